"""The Oxigraph server and the remote store: releases through the Graph Store Protocol,
queries through the SPARQL 1.1 Protocol, read-only serving of an embedded store."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg import queries
from kg.errors import StoreError
from kg.server import free_port, start_server, store_directory
from kg.store import SparqlStore, open_store

pytestmark = pytest.mark.server

KGR = rdflib.Namespace("https://w3id.org/corporate-kg/id/")
ACME_RELEASE = str(KGR["release/acme-2024-01-10"])
BOREALIS_RELEASE = str(KGR["release/borealis-2024-03-02"])
ACME = KGR["org/acme-industrial-group"]

#: Each named query with parameters, bound by name, IRI and prefixed name.
QUERY_CASES = [
    ("subsidiaries", {"company": "acme group"}),
    ("subsidiaries", {"company": str(ACME)}),
    ("owners", {}),
    ("owners", {"company": "BM"}),
    ("group-members", {"group": "ACME"}),
    ("sites", {}),
    ("executives", {"company": "kgr:org/acme-industrial-group"}),
    ("provenance", {"subject": "Acme Industrial Group", "relation": "ckg:acquires"}),
    ("facts-by-relation", {"release": BOREALIS_RELEASE}),
    ("entities-by-class", {}),
    ("releases", {}),
]


def listening_addresses(port: int) -> set[str]:
    """The local IPv4 addresses with a listening TCP socket on ``port`` (from /proc)."""
    table = Path("/proc/net/tcp")
    if not table.is_file():
        pytest.skip("no /proc/net/tcp on this system")
    found = set()
    for line in table.read_text().splitlines()[1:]:
        fields = line.split()
        address, hex_port = fields[1].split(":")
        if int(hex_port, 16) == port and fields[3] == "0A":  # 0A = LISTEN
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def test_remote_store_loads_replaces_and_queries(oxigraph_server, sample_releases):
    assert oxigraph_server.host == "127.0.0.1"
    with open_store(oxigraph_server.query_url) as remote:
        assert isinstance(remote, SparqlStore)
        assert remote.graphs() == []
        for iri, graph in sample_releases.items():
            assert remote.load_release(iri, graph, "sha-1") == "added"
        assert remote.graphs() == sorted(sample_releases)
        count = remote.count()
        assert count == sum(len(g) + 1 for g in sample_releases.values())

        assert (
            remote.load_release(ACME_RELEASE, sample_releases[ACME_RELEASE], "sha-1") == "unchanged"
        )
        assert remote.count() == count

        changed = rdflib.Graph() + sample_releases[ACME_RELEASE]
        changed.remove((None, RDFS.label, Literal("Jane Doe")))
        changed.add((KGR["person/jane-doe"], RDFS.label, Literal("Jane A. Doe")))
        assert remote.load_release(ACME_RELEASE, changed, "sha-2") == "replaced"
        assert remote.release_sha256(ACME_RELEASE) == "sha-2"
        labels = remote.query(
            f"SELECT ?label WHERE {{ ?person <{RDFS.label}> ?label }}",
            {"person": KGR["person/jane-doe"]},
        )
        assert labels == [{"label": Literal("Jane A. Doe")}]
        assert remote.count() == count  # one label swapped for another

        assert remote.query("ASK { ?s ?p ?o }") is True
        assert isinstance(remote.query("CONSTRUCT WHERE { ?s a ?c }"), rdflib.Graph)

        assert remote.remove_release(BOREALIS_RELEASE) is True
        assert remote.remove_release(BOREALIS_RELEASE) is False
        assert remote.graphs() == [ACME_RELEASE]


def test_remote_default_graph_is_the_merge_of_the_releases(oxigraph_server):
    from test_store import check_default_graph_is_the_merge

    with open_store(oxigraph_server.query_url) as remote:
        check_default_graph_is_the_merge(remote)


def test_named_queries_answer_the_same_remotely_and_embedded(
    oxigraph_server, tmp_store, sample_releases
):
    remote = open_store(oxigraph_server.url)
    for iri, graph in sample_releases.items():
        remote.load_release(iri, graph, "sha")
        tmp_store.load_release(iri, graph, "sha")
    for name, params in QUERY_CASES:
        embedded_rows = queries.run(tmp_store, name, **params)
        remote_rows = queries.run(remote, name, **params)
        assert embedded_rows, name
        assert remote_rows == embedded_rows, name
    # The dataset comes back whole through the Graph Store Protocol.
    assert sorted(remote.quads()) == sorted(tmp_store.quads())
    # SPARQL results written by the engine's serialiser are the same bytes either way.
    for name, params in QUERY_CASES:
        embedded = queries.serialize_results(queries.run_results(tmp_store, name, **params), "csv")
        remote_csv = queries.serialize_results(queries.run_results(remote, name, **params), "csv")
        assert remote_csv == embedded, name


def test_remote_bindings_cannot_inject(oxigraph_server, sample_releases):
    remote = open_store(oxigraph_server.query_url)
    for iri, graph in sample_releases.items():
        remote.load_release(iri, graph, "sha")
    count = remote.count()
    for hostile in ['" } ; DROP ALL ; #', '"""} } DROP ALL #', "x' } ; CLEAR ALL ; #"]:
        assert queries.run(remote, "subsidiaries", company=hostile) == []
    assert remote.count() == count


def test_read_only_server_over_an_embedded_store(tmp_path, sample_releases):
    directory = tmp_path / "store"
    with open_store(directory) as store:
        for iri, graph in sample_releases.items():
            store.load_release(iri, graph, "sha")
        expected = sorted(store.quads())
    with start_server(directory, port=None, ready_timeout=30) as server:
        assert "serve-read-only" in server.command and not server.writable
        assert listening_addresses(server.port) == {"127.0.0.1"}
        remote = open_store(server.query_url)
        assert sorted(remote.quads()) == expected
        assert queries.run(remote, "owners", company="Borealis Motors")

        with pytest.raises(StoreError) as refused:
            remote.update("DROP ALL")
        assert 400 <= refused.value.status < 500
        with pytest.raises(StoreError) as refused:
            remote.load_release(ACME_RELEASE, rdflib.Graph(), "new-sha")
        assert 400 <= refused.value.status < 500
        request = urllib.request.Request(
            server.url + "/update",
            data=b"update=DROP%20ALL",
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with pytest.raises(urllib.error.HTTPError) as refused_http:
            opener.open(request, timeout=10)
        assert 400 <= refused_http.value.code < 500
        refused_http.value.close()
        assert sorted(remote.quads()) == expected
    assert server.process.poll() is not None  # stopped
    with open_store(directory) as store:  # and the directory is usable again
        assert sorted(store.quads()) == expected


def test_server_start_errors_are_store_errors(tmp_path, oxigraph_server):
    with pytest.raises(StoreError, match="no Oxigraph store here"):
        start_server(tmp_path / "missing", port=None)
    # The port is taken: refused before anything starts (a probe must not reach the
    # running server and take it for the new one).
    with pytest.raises(StoreError, match="already in use"):
        start_server(tmp_path / "other", port=oxigraph_server.port, writable=True, ready_timeout=20)
    assert not (tmp_path / "other").exists()
    # A server that cannot open its store exits, and the error says why.
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "CURRENT").write_text("garbage\n")
    with pytest.raises(StoreError, match="exited with code 1: Error: Corruption"):
        start_server(corrupt, port=None, ready_timeout=20)
    with pytest.raises(StoreError, match="only an on-disk store can be served"):
        store_directory("memory:")
    assert store_directory("oxigraph:out/store") == Path("out/store")


def test_remote_query_syntax_errors_are_query_errors(oxigraph_server):
    from kg.errors import QueryError

    remote = open_store(oxigraph_server.query_url)
    with pytest.raises(QueryError, match="rejected the query"):
        remote.query("SELECT ?x WHERE { ?x")
    assert free_port() != oxigraph_server.port
    assert remote.query("ASK { ?s ?p ?o }", {"s": URIRef("http://example.org/a")}) is False


# --- kg serve under attack: the guard in front of Oxigraph -------------------------------

import http.client  # noqa: E402
import http.server  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402

from kg.server_guard import BROWSER_BLOCKED_PORTS, outbound_keywords  # noqa: E402

EVIL = "http://evil.example"


def send(server, method, path, body=None, headers=None, host=None, timeout=60):
    """(status, body text) of one raw HTTP request to the server's public address."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        headers = dict(headers or {})
        if host is not None:
            headers["Host"] = host
        data = body.encode("utf-8") if isinstance(body, str) else body
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def form(**fields) -> str:
    return urllib.parse.urlencode(fields)


class Listener:
    """A local HTTP listener that records every request and answers SPARQL results JSON."""

    def __init__(self):
        self.requests: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                listener.requests.append(f"{self.command} {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                data = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
                    {"x": {"type": "literal", "value": "from-listener"}}]}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    found = Listener()
    yield found
    found.close()


@pytest.fixture
def built_store(tmp_path, sample_releases):
    directory = tmp_path / "built"
    with open_store(directory) as store:
        for iri, graph in sample_releases.items():
            store.load_release(iri, graph, "sha")
    return directory


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(server, within: float = 15.0) -> float:
    """Seconds until the oxigraph process (restarted or not) used under 0.15 s of CPU in
    one second; fails after ``within`` seconds."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        process = server.process
        try:
            before = cpu_seconds(process.pid)
            time.sleep(1.0)
            if server.process is process and cpu_seconds(process.pid) - before < 0.15:
                return time.monotonic() - start
        except FileNotFoundError:  # replaced meanwhile
            continue
    pytest.fail(f"the oxigraph server still burns CPU {within:.0f} s after the query was stopped")


def test_oxigraph_listens_only_on_a_port_browsers_refuse(built_store):
    with start_server(built_store, port=None) as server:
        assert server.upstream_port in BROWSER_BLOCKED_PORTS
        assert listening_addresses(server.upstream_port) == {"127.0.0.1"}
        assert f"127.0.0.1:{server.upstream_port}" in server.command


def test_cross_origin_and_form_encoded_writes_are_refused(oxigraph_server, sample_releases):
    remote = open_store(oxigraph_server.query_url)
    for iri, graph in sample_releases.items():
        remote.load_release(iri, graph, "sha")  # application/sparql-update: accepted
    count = remote.count()
    assert count > 0
    form_post = {"Content-Type": "application/x-www-form-urlencoded"}
    attacks = [
        # the web page's form: cross-origin and form-encoded
        ("POST", "/update", form(update="DROP ALL"), {**form_post, "Origin": EVIL}, None),
        ("POST", "/update", form(update="DROP ALL"), form_post, None),
        ("POST", "/update", "DROP ALL", {"Content-Type": "text/plain"}, None),
        ("POST", "/update", "DROP ALL", {"Content-Type": "application/sparql-update",
                                         "Origin": EVIL}, None),
        ("POST", "/update", "DROP ALL", {"Content-Type": "application/sparql-update",
                                         "Origin": "null"}, None),
        ("POST", "/update", "DROP ALL", {"Content-Type": "application/sparql-update",
                                         "Sec-Fetch-Site": "cross-site"}, None),
        # DNS rebinding: the page's own origin, but a foreign host name
        ("POST", "/update", "DROP ALL", {"Content-Type": "application/sparql-update",
                                         "Origin": f"http://evil.example:{oxigraph_server.port}"},
         f"evil.example:{oxigraph_server.port}"),
        ("GET", "/update?update=DROP%20ALL", None, {}, None),
        # the Graph Store Protocol
        ("PUT", "/store?default", "x", {"Content-Type": "text/plain"}, None),
        ("POST", f"/store?graph={urllib.parse.quote(ACME_RELEASE)}", form(a="b"), form_post, None),
        ("DELETE", f"/store?graph={urllib.parse.quote(ACME_RELEASE)}", None, {"Origin": EVIL},
         None),
    ]
    for method, path, body, headers, host in attacks:
        status, text = send(oxigraph_server, method, path, body, headers, host=host)
        assert status in (403, 405, 415), (method, path, headers, status, text)
        assert "\n" not in text.strip() and text.strip(), text
    assert remote.count() == count
    # The same update from the server's own origin, as application/sparql-update, works.
    same_origin = f"http://127.0.0.1:{oxigraph_server.port}"
    status, _ = send(oxigraph_server, "POST", "/update", f"DROP GRAPH <{ACME_RELEASE}>",
                     {"Content-Type": "application/sparql-update", "Origin": same_origin})
    assert status == 204
    assert remote.graphs() == [BOREALIS_RELEASE]


def test_read_only_server_refuses_every_write(built_store):
    with start_server(built_store, port=None) as server:
        status, text = send(server, "POST", "/update", "DROP ALL",
                            {"Content-Type": "application/sparql-update"})
        assert status == 403 and "read-only" in text
        status, _ = send(server, "DELETE", f"/store?graph={urllib.parse.quote(ACME_RELEASE)}")
        assert status == 403
        assert open_store(server.query_url).graphs() == [ACME_RELEASE, BOREALIS_RELEASE]


def test_service_is_refused_unless_allowed(built_store, listener):
    service = f"SELECT ?x WHERE {{ SERVICE <{listener.url}> {{ ?x ?p ?o }} }}"
    disguised = [
        service,
        service.replace("SERVICE", "service"),
        service.replace("SERVICE", "\\u0053ERVICE"),
        f"PREFIX evil: <{listener.url}>\nSELECT ?x WHERE {{ ?a ?b ?c .SERVICE evil: {{ ?x ?p ?o }} }}",
        f"PREFIX : <{listener.url}>\nSELECT ?x WHERE {{ SERVICE:x {{ ?x ?p ?o }} }}",
        f"SELECT ?x WHERE {{ SERVICE SILENT <{listener.url}> # comment\n {{ ?x ?p ?o }} }}",
    ]
    with start_server(built_store, port=None) as server:
        for query in disguised:
            for method, path, body, headers in [
                ("GET", "/query?" + form(query=query), None, {}),
                ("POST", "/query", form(query=query),
                 {"Content-Type": "application/x-www-form-urlencoded"}),
                ("POST", "/query", query, {"Content-Type": "application/sparql-query"}),
            ]:
                status, text = send(server, method, path, body, headers)
                assert status == 403, (query, method, status, text)
                assert "SERVICE is disabled" in text and "--allow-service" in text
        # The word in a string, a variable or a local name is not the keyword.
        harmless = ('SELECT ?service WHERE { ?service <http://schema.org/serviceType> '
                    '"SERVICE" } # SERVICE <x>')
        status, text = send(server, "GET", "/query?" + form(query=harmless))
        assert status == 200, text
    assert listener.requests == []

    with start_server(built_store, port=None, allow_service=True) as server:
        status, text = send(server, "GET", "/query?" + form(query=service),
                            headers={"Accept": "application/sparql-results+json"})
        assert status == 200, text
        assert "from-listener" in text
    assert len(listener.requests) == 1  # the test's listener really is reachable


def test_load_in_an_update_is_refused(oxigraph_server, listener):
    for update in [f"LOAD <{listener.url}>", f"load silent <{listener.url}> INTO GRAPH <urn:g>",
                   f"INSERT {{ <urn:a> <urn:b> ?x }} WHERE {{ SERVICE <{listener.url}> {{ ?x ?p ?o }} }}"]:
        status, text = send(oxigraph_server, "POST", "/update", update,
                            {"Content-Type": "application/sparql-update"})
        assert status == 403, (update, status, text)
    assert listener.requests == []


def test_outbound_keywords_are_found_where_a_parser_could_read_them():
    assert outbound_keywords("SELECT * { ?s ?p 1SERVICE <http://x/> {} }") == {"SERVICE"}
    assert outbound_keywords("SELECT * { SERVICE:x {} }") == {"SERVICE"}
    assert outbound_keywords("LOAD <http://x/>", ("SERVICE", "LOAD")) == {"LOAD"}
    assert outbound_keywords('SELECT * { ?s ?p """ SERVICE <x> { } """ }') == set()
    assert outbound_keywords("SELECT * { ?s <http://x/SERVICE> ?SERVICE }") == set()
    assert outbound_keywords("SELECT * { ?s schema:Service ?o }") == set()


@pytest.fixture
def big_store(tmp_path):
    """A store of 400 triples: a cross product of three patterns has 6.4e7 rows."""
    directory = tmp_path / "big"
    triples = " ".join(f"<https://example.org/s{i}> <https://example.org/p> {i} ."
                       for i in range(400))
    with open_store(directory) as store:  # a release graph and its share of the merge
        store.update(f"INSERT DATA {{ {triples} GRAPH <https://example.org/g> {{ {triples} }} }}")
    return directory


@pytest.mark.parametrize("query", [
    # evaluated before anything is written: Oxigraph's own timeout stops it
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    # streamed as it is evaluated: stopped when the guard closes the connection
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
])
def test_runaway_query_is_stopped_by_the_timeout(big_store, query):
    with start_server(big_store, port=None, timeout_s=2) as server:
        started = time.monotonic()
        status, text = send(server, "POST", "/query", query,
                            {"Content-Type": "application/sparql-query",
                             "Accept": "application/sparql-results+json"})
        elapsed = time.monotonic() - started
        assert status == 503, text[:300]
        assert "did not finish within 2 s" in text or "cancelled" in text
        assert 1.5 < elapsed < 10
        wait_until_idle(server)
        assert server.running()
        # and the server still answers
        status, text = send(server, "GET", "/query?" + form(query="ASK { ?s ?p ?o }"),
                            headers={"Accept": "application/sparql-results+json"})
        assert status == 200 and "true" in text


def test_errors_come_with_an_http_status(built_store):
    closed = free_port()  # nothing listens there
    with start_server(built_store, port=None, allow_service=True) as server:
        status, text = send(server, "GET", "/query?" + form(
            query=f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{closed}/sparql> {{ ?s ?p ?o }} }}"),
            headers={"Accept": "application/sparql-results+json"})
        assert status >= 500, text
        assert text.strip() and "\n" not in text.strip()
        status, _ = send(server, "GET", "/query?" + form(query="SELECT ?x WHERE { ?x"))
        assert status == 400
        status, _ = send(server, "GET", "/nowhere")
        assert status == 404
        status, _ = send(server, "PUT", "/query", "x", {"Content-Type": "text/plain"})
        assert status == 405


def test_kg_serve_runs_in_the_foreground_and_stops_on_sigterm(built_store):
    import signal
    import subprocess
    import sys

    from kg.server import port_is_free

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--store", str(built_store), "--port", str(port),
         "--timeout", "5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        assert line.startswith(f"serving {built_store} at http://127.0.0.1:{port}/query "
                               "(read-only; SERVICE disabled; queries stopped after 5 s)"), line
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("POST", "/update", form(update="DROP ALL"),
                           {"Content-Type": "application/x-www-form-urlencoded", "Origin": EVIL})
        assert connection.getresponse().status == 403
        connection.close()
        assert queries.run(open_store(f"http://127.0.0.1:{port}/query"), "owners",
                           company="Borealis Motors")
    finally:
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=30)
    assert process.returncode == 0, rest
    assert "Traceback" not in rest
    assert listening_addresses(port) == set() and port_is_free("127.0.0.1", port)


def test_kg_serve_refuses_a_timeout_that_is_not_positive(built_store):
    from typer.testing import CliRunner

    from kg.cli import app

    result = CliRunner().invoke(app, ["serve", "--store", str(built_store), "--timeout", "0"])
    assert result.exit_code == 1
    assert result.stderr.strip() == ("error: --timeout must be a positive number of seconds, "
                                     "not 0")

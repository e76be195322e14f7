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

"""The embedded store: opening, release load/replace/unchanged, atomicity, queries,
bindings, lock and corruption errors.  The remote store is in test_server.py."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDFS, XSD

import kg.store.oxigraph as oxigraph_module
from kg.errors import QueryError, StoreError
from kg.server import free_port
from kg.store import OxigraphStore, SparqlStore, open_store
from kg.store.base import SHA256, bind_values, query_form, where_group_start

REPO = Path(__file__).resolve().parents[1]
CKG = rdflib.Namespace("https://w3id.org/corporate-kg/ontology#")
KGR = rdflib.Namespace("https://w3id.org/corporate-kg/id/")
ACME_RELEASE = str(KGR["release/acme-2024-01-10"])
BOREALIS_RELEASE = str(KGR["release/borealis-2024-03-02"])


def stored_graph(store, graph_iri: str) -> rdflib.Graph:
    """The triples the store holds in one named graph."""
    graph = rdflib.Graph()
    for s, p, o, g in store.quads():
        if g == URIRef(graph_iri):
            graph.add((s, p, o))
    return graph


def by_value(graph: rdflib.Graph) -> set:
    """The triples with literals compared by value: Oxigraph stores numbers and booleans
    by value, so "30.0"^^xsd:decimal comes back as "30"^^xsd:decimal (the same number)."""

    def key(term):
        if isinstance(term, Literal) and term.datatype in BY_VALUE and term.value is not None:
            return ("value", term.datatype, term.value)
        return term

    return {tuple(key(term) for term in triple) for triple in graph}


BY_VALUE = {XSD.decimal, XSD.integer, XSD.double, XSD.float, XSD.boolean}


def with_sha(graph: rdflib.Graph, graph_iri: str, sha: str) -> rdflib.Graph:
    expected = rdflib.Graph()
    for triple in graph:
        expected.add(triple)
    expected.add((URIRef(graph_iri), SHA256, Literal(sha)))
    return expected


# --- open_store ----------------------------------------------------------------------


def test_open_store_picks_the_store_by_url(tmp_path):
    with open_store(tmp_path / "a") as store:
        assert isinstance(store, OxigraphStore) and store.path == tmp_path / "a"
    with open_store(f"oxigraph:{tmp_path / 'b'}") as store:
        assert isinstance(store, OxigraphStore) and store.path == tmp_path / "b"
    assert (tmp_path / "a" / "CURRENT").is_file() and (tmp_path / "b" / "CURRENT").is_file()
    with open_store("memory:") as store:
        assert isinstance(store, OxigraphStore) and store.path is None
    remote = open_store("http://127.0.0.1:7878/query")
    assert isinstance(remote, SparqlStore)
    assert remote.update_url == "http://127.0.0.1:7878/update"
    assert remote.store_url == "http://127.0.0.1:7878/store"
    base = open_store("https://kg.example.org/sparql/", store_url="https://kg.example.org/gsp")
    assert base.query_url == "https://kg.example.org/sparql/query"
    assert base.store_url == "https://kg.example.org/gsp"


@pytest.mark.parametrize("url", ["ftp://host/store", "memory:/some/path", ""])
def test_open_store_rejects_unknown_forms(url):
    with pytest.raises(StoreError):
        open_store(url)


def test_unreachable_remote_store_says_how_to_fix():
    store = open_store(f"http://127.0.0.1:{free_port()}/query", timeout=5)
    with pytest.raises(StoreError, match="cannot reach the SPARQL endpoint.*kg serve"):
        store.graphs()


# --- releases ------------------------------------------------------------------------


def test_load_release_added_unchanged_replaced(tmp_store, sample_releases):
    acme = sample_releases[ACME_RELEASE]
    assert tmp_store.load_release(ACME_RELEASE, acme, "sha-1") == "added"
    stored = stored_graph(tmp_store, ACME_RELEASE)
    assert by_value(stored) == by_value(with_sha(acme, ACME_RELEASE, "sha-1"))
    assert tmp_store.release_sha256(ACME_RELEASE) == "sha-1"

    before = sorted(tmp_store.quads())
    assert tmp_store.load_release(ACME_RELEASE, acme, "sha-1") == "unchanged"
    assert sorted(tmp_store.quads()) == before

    changed = rdflib.Graph()
    dropped = (KGR["org/acme-industrial-group"], CKG.employeeCount, Literal(120000))
    for triple in acme:
        if triple != dropped:
            changed.add(triple)
    changed.add((KGR["org/acme-industrial-group"], RDFS.label, Literal("Acme Group AG")))
    assert tmp_store.load_release(ACME_RELEASE, changed, "sha-2") == "replaced"
    stored = stored_graph(tmp_store, ACME_RELEASE)
    assert dropped not in stored
    assert by_value(stored) == by_value(with_sha(changed, ACME_RELEASE, "sha-2"))
    assert tmp_store.release_sha256(ACME_RELEASE) == "sha-2"
    assert len(list(stored.objects(URIRef(ACME_RELEASE), SHA256))) == 1


def test_releases_live_in_their_own_named_graphs(tmp_store, sample_releases):
    for iri, graph in sample_releases.items():
        tmp_store.load_release(iri, graph, iri[-10:])
    assert tmp_store.graphs() == sorted(sample_releases)
    assert tmp_store.count() == sum(len(g) + 1 for g in sample_releases.values())
    dataset = tmp_store.dataset()
    for iri, graph in sample_releases.items():
        assert by_value(dataset.graph(URIRef(iri))) == by_value(with_sha(graph, iri, iri[-10:]))

    assert tmp_store.remove_release(BOREALIS_RELEASE) is True
    assert tmp_store.remove_release(BOREALIS_RELEASE) is False
    assert tmp_store.graphs() == [ACME_RELEASE]


def test_store_directory_persists_after_close(tmp_path, sample_releases):
    with open_store(tmp_path / "store") as store:
        for iri, graph in sample_releases.items():
            store.load_release(iri, graph, "sha")
        count = store.count()
    with open_store(tmp_path / "store") as store:
        assert store.count() == count
        assert store.load_release(ACME_RELEASE, sample_releases[ACME_RELEASE], "sha") == "unchanged"


class FailingGraph(rdflib.Graph):
    """A graph whose triples cannot all be read: iteration fails half-way."""

    def triples(self, pattern):
        for n, triple in enumerate(super().triples(pattern)):
            if n == 5:
                raise RuntimeError("disk gone while reading the release graph")
            yield triple


def test_failed_serialisation_leaves_the_old_graph_intact(tmp_store, sample_releases):
    acme = sample_releases[ACME_RELEASE]
    tmp_store.load_release(ACME_RELEASE, acme, "sha-1")
    before = sorted(tmp_store.quads())
    failing = FailingGraph()
    for triple in acme:
        failing.add(triple)
    failing.add((URIRef(ACME_RELEASE), RDFS.comment, Literal("new version")))
    with pytest.raises(RuntimeError, match="disk gone"):
        tmp_store.load_release(ACME_RELEASE, failing, "sha-2")
    assert sorted(tmp_store.quads()) == before
    assert tmp_store.release_sha256(ACME_RELEASE) == "sha-1"


def test_failure_inside_the_update_rolls_back_the_drop(tmp_store, sample_releases, monkeypatch):
    """The DROP and the INSERT are one transaction: if the INSERT fails, the DROP is undone."""
    acme = sample_releases[ACME_RELEASE]
    tmp_store.load_release(ACME_RELEASE, acme, "sha-1")
    before = sorted(tmp_store.quads())
    real_lines = oxigraph_module._lines  # the text of the DELETE DATA / INSERT DATA update
    monkeypatch.setattr(oxigraph_module, "_lines", lambda t: real_lines(t) + "<broken")
    with pytest.raises(QueryError):
        tmp_store.load_release(ACME_RELEASE, acme, "sha-2")
    assert sorted(tmp_store.quads()) == before


def test_graph_name_must_be_an_iri(tmp_store):
    with pytest.raises(StoreError, match="not an absolute IRI"):
        tmp_store.load_release("release one", rdflib.Graph(), "sha")


# --- queries -------------------------------------------------------------------------


@pytest.fixture
def loaded(tmp_store, sample_releases):
    for iri, graph in sample_releases.items():
        tmp_store.load_release(iri, graph, "sha")
    return tmp_store


def test_query_forms_and_the_union_default_graph(loaded):
    # Borealis Motors is described in both releases: the union sees both graphs.
    rows = loaded.query(
        f"SELECT ?owner ?acquirer WHERE {{ ?c <{CKG.ownedBy}> ?owner . ?acquirer <{CKG.acquires}> ?c }}"
    )
    assert rows == [
        {"owner": KGR["org/northern-auto-holdings"], "acquirer": KGR["org/acme-industrial-group"]}
    ]
    assert loaded.query(f"ASK {{ ?s <{CKG.listedOn}> ?o }}") is True
    assert loaded.query(f"ASK {{ ?s <{CKG.revenue}> ?o }}") is False
    graph = loaded.query(f"CONSTRUCT {{ ?s a ?c }} WHERE {{ ?s a ?c ; <{RDFS.label}> ?l }}")
    assert isinstance(graph, rdflib.Graph)
    assert (KGR["person/jane-doe"], rdflib.RDF.type, CKG.Person) in graph


def test_literals_come_back_as_rdflib_parses_them(loaded):
    rows = loaded.query(
        f"SELECT ?label ?alias ?n WHERE {{ ?g <{RDFS.label}> ?label ; <{rdflib.SKOS.altLabel}> ?alias ; <{CKG.employeeCount}> ?n }}"
    )
    assert {row["alias"] for row in rows} == {Literal("Acme Group"), Literal("ACME")}
    assert rows[0]["label"] == Literal("Acme Industrial Group", lang="en")
    assert rows[0]["n"] == Literal("120000", datatype=XSD.integer)
    assert rows[0]["alias"].datatype is None  # plain, not xsd:string


def test_bindings_restrict_the_query(loaded):
    query = f"SELECT ?label WHERE {{ ?entity <{RDFS.label}> ?label }}"
    rows = loaded.query(query, {"entity": KGR["org/borealis-motors"]})
    assert {row["label"] for row in rows} == {Literal("Borealis Motors")}
    rows = loaded.query(
        f"SELECT ?entity WHERE {{ ?entity <{RDFS.label}> ?label }}", {"?label": Literal("Jane Doe")}
    )
    assert rows == [{"entity": KGR["person/jane-doe"]}]


@pytest.mark.parametrize(
    "value",
    ['" } ; DROP ALL ; #', '"""} } DROP ALL #', 'x\\" }\n DROP ALL ; #', "Acme' } ; CLEAR ALL ; #"],
)
def test_bound_values_cannot_inject(loaded, value):
    count = loaded.count()
    query = f"SELECT ?entity WHERE {{ ?entity <{RDFS.label}> ?label }}"
    assert loaded.query(query, {"label": Literal(value)}) == []
    assert loaded.count() == count


@pytest.mark.parametrize(
    "bindings",
    [
        {"entity": "https://w3id.org/corporate-kg/id/org/acme"},  # a str, not a term
        {"entity": URIRef("not an iri")},
        {"entity": URIRef("http://x.org/a> } ; DROP ALL ; #")},
        {"entity": BNode()},
        {"bad name": Literal("x")},
    ],
)
def test_bad_bindings_are_query_errors(loaded, bindings):
    with pytest.raises(QueryError):
        loaded.query("SELECT ?entity WHERE { ?entity ?p ?o }", bindings)


def test_query_errors_name_the_problem(loaded):
    with pytest.raises(QueryError, match="syntax"):
        loaded.query("SELECT ?x WHERE { ?x ")
    with pytest.raises(QueryError, match="update"):
        loaded.query("DROP ALL")
    assert loaded.count() > 0


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
def test_any_text_survives_the_store_and_binds_exactly(text):
    graph = rdflib.Graph()
    graph.add((KGR["org/x"], RDFS.label, Literal(text)))
    with open_store("memory:") as store:
        store.load_release(ACME_RELEASE, graph, "sha")
        rows = store.query(
            f"SELECT ?entity WHERE {{ ?entity <{RDFS.label}> ?label }}", {"label": Literal(text)}
        )
        assert rows == [{"entity": KGR["org/x"]}]
        labels = [o for s, p, o, g in store.quads() if p == RDFS.label]
        assert labels == [Literal(text)]


# --- SPARQL text handling --------------------------------------------------------------


@pytest.mark.parametrize(
    "query, marker",
    [
        ("SELECT * WHERE { ?s ?p ?o }", "{ ?s ?p"),
        ("select * { ?s ?p ?o }", "{ ?s ?p"),
        (
            'PREFIX ex: <http://x.org/{}> # { not here\nSELECT ("{" AS ?b) WHERE { ?s ?p ?o }',
            "{ ?s ?p",
        ),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER(?o = '}') }", "{ ?s ?p ?o . F"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "{ ?s ?p"),
        ("ASK { ?s ?p ?o }", "{ ?s ?p"),
        ("SELECT (EXISTS { ?a ?b ?c } AS ?e) WHERE { ?s ?p ?o }", "{ ?s ?p"),
        ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", "{ { SELECT"),
    ],
)
def test_where_group_is_found_past_strings_iris_and_comments(query, marker):
    assert query[where_group_start(query) - 1 :].startswith(marker)


def test_bind_values_adds_one_values_row():
    text = bind_values(
        "SELECT ?s WHERE { ?s ?p ?o }", {"s": URIRef("http://x.org/a"), "o": Literal('a"b')}
    )
    assert 'VALUES (?s ?o) { (<http://x.org/a> "a\\"b") }' in text
    assert query_form(text) == "SELECT"


# --- opening errors --------------------------------------------------------------------


def test_a_locked_store_is_a_store_error_with_the_fix(tmp_path):
    path = tmp_path / "store"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from kg.store import open_store
                store = open_store({str(path)!r})
                print("open", flush=True)
                sys.stdin.read()
                store.close()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError) as caught:
            open_store(path)
        message = str(caught.value)
        assert str(path) in message and "locked by another process" in message
        assert "\n" not in message
        # Reading while another process writes is undefined in Oxigraph: refused, clearly.
        with pytest.raises(StoreError, match=f"another process \\(pid {holder.pid}"):
            open_store(path, read_only=True)
    finally:
        holder.communicate(input="", timeout=30)
    assert holder.returncode == 0
    with open_store(path) as store:  # the lock is released when the holder exits
        assert store.count() == 0


def test_the_same_directory_twice_in_one_process_is_a_store_error(tmp_path):
    with open_store(tmp_path / "store"):
        with pytest.raises(StoreError, match="locked"):
            open_store(tmp_path / "store")


def test_a_corrupt_directory_is_a_store_error_with_the_fix(tmp_path):
    path = tmp_path / "store"
    path.mkdir()
    (path / "CURRENT").write_text("garbage\n")
    (path / "MANIFEST-000001").write_bytes(b"\x00\x01not rocksdb")
    with pytest.raises(StoreError) as caught:
        open_store(path)
    assert str(path) in str(caught.value) and "kg build" in str(caught.value)


def test_a_file_is_not_a_store(tmp_path):
    path = tmp_path / "store.ttl"
    path.write_text("<a> <b> <c> .\n")
    with pytest.raises(StoreError, match="not a store directory"):
        open_store(path)


def test_read_only_store_refuses_writes(tmp_path, sample_releases):
    with open_store(tmp_path / "store") as store:
        store.load_release(ACME_RELEASE, sample_releases[ACME_RELEASE], "sha")
    with open_store(tmp_path / "store", read_only=True) as store:
        assert store.graphs() == [ACME_RELEASE]
        with pytest.raises(StoreError, match="read-only"):
            store.load_release(BOREALIS_RELEASE, sample_releases[BOREALIS_RELEASE], "sha")
    with pytest.raises(StoreError, match="no Oxigraph store"):
        open_store(tmp_path / "missing", read_only=True)


def test_a_closed_store_says_so(tmp_path):
    store = open_store(tmp_path / "store")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.graphs()


# --- the default graph is the merge of the release graphs ----------------------------


def graph_of(*triples) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def check_default_graph_is_the_merge(store) -> None:
    """Shared by the embedded and the remote store (tests/test_server.py)."""
    tarn = KGR["org/tarn-group"]
    label = (tarn, RDFS.label, Literal("Tarn Group"))
    staff = (tarn, CKG.employeeCount, Literal(120))
    a_iri, b_iri = str(KGR["release/a-2024"]), str(KGR["release/b-2024"])
    store.load_release(a_iri, graph_of(label, staff), "a-1")
    store.load_release(b_iri, graph_of(label), "b-1")
    labels = f"SELECT ?l WHERE {{ <{tarn}> <{RDFS.label}> ?l }}"
    staff_ask = f"ASK {{ <{tarn}> <{CKG.employeeCount}> ?n }}"
    # once, although two releases state it; GRAPH still tells which releases do
    assert store.query(labels) == [{"l": Literal("Tarn Group")}]
    stating = store.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{tarn}> <{RDFS.label}> ?l }} }}")
    assert sorted(str(r["g"]) for r in stating) == [a_iri, b_iri]
    # a new version of A without the label and the head count: B still states the label
    store.load_release(a_iri, graph_of((tarn, RDFS.comment, Literal("v2"))), "a-2")
    assert store.query(labels) == [{"l": Literal("Tarn Group")}]
    assert store.query(staff_ask) is False
    # removing B takes the label out of the merge; A's new triple stays
    assert store.remove_release(b_iri) is True
    assert store.query(labels) == []
    assert store.query(f"ASK {{ <{tarn}> <{RDFS.comment}> 'v2' }}") is True
    # the release graphs are the data; the merge is not among the quads
    assert {g for *_, g in store.quads()} == {URIRef(a_iri)}


def test_default_graph_is_the_merge_of_the_releases(tmp_store):
    check_default_graph_is_the_merge(tmp_store)


def test_a_store_written_without_the_merge_is_merged_or_read_as_the_union(tmp_path):
    import pyoxigraph as ox

    path = tmp_path / "old-store"
    old = ox.Store(str(path))
    graph = ox.NamedNode(ACME_RELEASE)
    node = ox.NamedNode(str(KGR["org/tarn-group"]))
    old.add(ox.Quad(node, ox.NamedNode(str(RDFS.label)), ox.Literal("Tarn Group"), graph))
    old.flush()
    del old
    ask = f"ASK {{ <{KGR['org/tarn-group']}> <{RDFS.label}> 'Tarn Group' }}"
    with open_store(path, read_only=True) as reader:
        assert reader.query(ask) is True  # read as the union, nothing written
    with open_store(path) as writer:
        assert writer.query(ask) is True  # merged on opening
    reopened = ox.Store.read_only(str(path))
    assert len(list(reopened.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 1


# --- store safety: other people's folders, failed builds, a writer at work -------------------

def test_a_folder_of_other_files_is_not_taken_for_a_store(tmp_path):
    from kg.errors import StoreError

    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="a folder with other files in it, not an Oxigraph store"):
        open_store(str(folder))
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with open_store(str(empty)) as store:  # an empty folder becomes a store
        assert store.graphs() == []
    with open_store(str(empty)) as store:  # and an existing store opens again
        assert store.graphs() == []


def test_a_reader_is_refused_while_another_process_writes(tmp_path, sample_releases):
    import subprocess
    import sys

    from kg.errors import StoreError
    from kg.server import start_server

    directory = tmp_path / "store"
    with open_store(str(directory)) as store:
        for iri, graph in sample_releases.items():
            store.load_release(iri, graph, "sha")
    writer = subprocess.Popen(
        [sys.executable, "-c", "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); "
         "print('open', flush=True); sys.stdin.read()", str(directory)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"
        with pytest.raises(StoreError) as refused:
            open_store(str(directory), read_only=True)
        message = str(refused.value)
        assert f"another process (pid {writer.pid}" in message and "\n" not in message
        with pytest.raises(StoreError, match=f"pid {writer.pid}"):
            start_server(directory, port=None)
    finally:
        writer.communicate("", timeout=30)
    with open_store(str(directory), read_only=True) as store:  # the writer is gone
        assert store.graphs() == sorted(sample_releases)


def test_closing_a_store_leaves_no_old_write_ahead_logs(tmp_path, sample_releases):
    directory = tmp_path / "store"
    with open_store(str(directory)) as store:
        for iri, graph in sample_releases.items():
            store.load_release(iri, graph, "sha")
        expected = sorted(store.quads())
    logs = {p.name: p.stat().st_size for p in directory.glob("*.log")}
    assert sum(logs.values()) == 0, logs  # their data is in the tables
    with open_store(str(directory), read_only=True) as store:
        assert sorted(store.quads()) == expected


def test_replacing_a_release_writes_only_its_differences(tmp_store, monkeypatch):
    """A replacement is one update holding the graph's differences: no pattern over the
    other graphs (its cost does not grow with the store), unchanged triples untouched."""
    tarn = KGR["org/tarn-group"]
    label = (tarn, RDFS.label, Literal("Tarn Group"))
    staff = (tarn, CKG.employeeCount, Literal(120))
    comment = (tarn, RDFS.comment, Literal("v2"))
    a_iri = str(KGR["release/a-2024"])
    tmp_store.load_release(a_iri, graph_of(label, staff), "a-1")
    for n in range(20):  # other releases stating the label
        tmp_store.load_release(str(KGR[f"release/other-{n}"]), graph_of(label), f"o-{n}")
    updates = []
    real = tmp_store._update
    monkeypatch.setattr(tmp_store, "_update", lambda sparql: (updates.append(sparql), real(sparql)))
    assert tmp_store.load_release(a_iri, graph_of(label, comment), "a-2") == "replaced"
    assert len(updates) == 1
    text = updates[0]
    assert "?other" not in text and "WHERE" not in text
    assert "Tarn Group" not in text  # the label stays: not deleted, not inserted again
    assert '"v2"' in text and "120" in text
    assert tmp_store.query(f"ASK {{ <{tarn}> <{RDFS.label}> ?l }}") is True
    assert tmp_store.query(f"ASK {{ <{tarn}> <{CKG.employeeCount}> ?n }}") is False
    assert tmp_store.query(f"ASK {{ GRAPH <{a_iri}> {{ <{tarn}> <{RDFS.comment}> 'v2' }} }}") is True

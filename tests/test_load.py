"""kg load: an export loaded into a store gives back the same dataset and the same
merged default graph; a file that does not parse is one line naming it, and leaves the
store as it was."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

import kg.load as load_module
from kg.cli import app
from kg.export import export
from kg.load import LoadError, default_graph_for, format_for_file, load
from kg.store import open_store

runner = CliRunner()
EX = rdflib.Namespace("http://example.org/")
FORMATS = {"nquads": ".nq", "trig": ".trig", "jsonld": ".jsonld"}


@pytest.fixture
def source(tmp_store, sample_releases):
    """The sample release graphs, one with a blank node and typed numbers."""
    for iri, graph in sample_releases.items():
        address = BNode()
        graph.add((URIRef(iri), EX.address, address))
        graph.add((address, EX.city, Literal("Riverton")))
        graph.add((address, EX.share, Literal("30", datatype=rdflib.XSD.decimal)))
        tmp_store.load_release(iri, graph, "sha")
    return tmp_store


def dataset_of(store) -> rdflib.Dataset:
    return store.dataset()


def merged_of(store) -> rdflib.Graph:
    graph = rdflib.Graph()
    for row in store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }"):
        graph.add((row["s"], row["p"], row["o"]))
    return graph


def same_dataset(a, b) -> bool:
    if sorted(a.graphs()) != sorted(b.graphs()):
        return False
    return all(isomorphic(rdflib.Graph() + a.dataset().graph(URIRef(g)),
                          rdflib.Graph() + b.dataset().graph(URIRef(g))) for g in a.graphs())


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_then_load_gives_the_same_dataset_and_merge(source, tmp_path, fmt):
    path = tmp_path / f"graph{FORMATS[fmt]}"
    written = export(source, path, fmt)
    with open_store(tmp_path / "loaded") as loaded:
        report = load(loaded, [path])
        assert report.quads == written
        assert same_dataset(source, loaded)
        assert isomorphic(merged_of(loaded), merged_of(source))
        # each triple once in the merge, as a build leaves it
        assert len(loaded.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")) == len(merged_of(source))
        # numbers keep their datatype and lexical form
        shares = {str(r["o"].datatype) + " " + str(r["o"])
                  for r in loaded.query(f"SELECT ?o WHERE {{ ?s <{EX.share}> ?o }}")}
        assert shares == {f"{rdflib.XSD.decimal} 30"}


def test_a_turtle_file_goes_into_one_named_graph_and_the_merge(source, tmp_path):
    path = tmp_path / "Partner Graph.ttl"
    written = export(source, path)
    with open_store(tmp_path / "loaded") as loaded:
        load(loaded, [path])
        assert loaded.graphs() == [default_graph_for(path)]
        assert default_graph_for(path).endswith("/graph/partner-graph")
        assert isomorphic(merged_of(loaded), merged_of(source))
        assert loaded.count() == written
    with open_store(tmp_path / "named") as named:
        load(named, [path], graph="https://example.org/graphs/partner")
        assert named.graphs() == ["https://example.org/graphs/partner"]


@pytest.mark.parametrize("read_size", [1 << 20, 37])
def test_n_triples_and_unusual_lines_are_loaded_too(tmp_path, monkeypatch, read_size):
    monkeypatch.setattr(load_module, "READ_SIZE", read_size)  # blocks cut inside lines
    path = tmp_path / "odd.nq"
    path.write_text(
        "# a comment line\n\n"
        '<http://e/a>\t<http://e/p>  "x y \\" <http://e/g> ." <http://e/g> . # trailing\n'
        '_:b1 <http://e/p> "v"@en-GB .\n'
        "<http://e/a> <http://e/q> _:b1 <http://e/g> .\n"
        '<http://e/a> <http://e/r> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <http://e/h>.'
    )
    with open_store(tmp_path / "store") as store:
        report = load(store, [path])
        assert report.quads == 4
        graphs = {str(g): [] for g in store.graphs()}
        for _s, p, o, g in store.quads():
            graphs[str(g)].append((str(p), str(o)))
        assert sorted(graphs) == ["http://e/g", "http://e/h", default_graph_for(path)]
        assert ("http://e/p", 'x y " <http://e/g> .') in graphs["http://e/g"]
        assert ("http://e/p", "v") in graphs[default_graph_for(path)]
        merged = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
        assert len(merged) == 4
        # the blank node of the default-graph triple and of the quad stay one node
        rows = store.query("SELECT ?b WHERE { ?b <http://e/p> ?v . <http://e/a> <http://e/q> ?b }")
        assert len(rows) == 1


@pytest.mark.parametrize("merge_chunk", [200_000, 2])
def test_a_file_without_blank_nodes_gives_the_store_of_the_one_pass_load(tmp_path, monkeypatch,
                                                                          merge_chunk):
    """Without blank nodes, the file is loaded as it is and its merge beside it (in
    chunks of MERGE_CHUNK statements); the store is the one the one-pass load gives."""
    monkeypatch.setattr(load_module, "MERGE_CHUNK", merge_chunk)
    quads = tmp_path / "plain.nq"
    quads.write_text(
        "# a comment line\n\n"
        '<http://e/a> <http://e/p> "x" <http://e/g> .\n'
        '<http://e/a> <http://e/p> "x" <http://e/h> .\n'  # one triple in two graphs
        "<http://e/a>\t<http://e/q>  <http://e/b> .\n"  # outside any graph
        '<http://e/b> <http://e/r> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <http://e/g> .\n'
        '<http://e/b> <http://e/s> "y"@en .'
    )
    triples = tmp_path / "plain.nt"
    triples.write_text('<http://e/c> <http://e/p> "z" .\n<http://e/a> <http://e/p> "x" .\n')

    def loaded(name: str) -> tuple:
        with open_store(tmp_path / name) as store:
            report = load(store, [quads])
            load(store, [triples], graph="http://e/t")
            merged = sorted(str(tuple(r.values())) for r in
                            store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }"))
            return report.quads, sorted(map(str, store.quads())), merged, store.graphs()

    beside = loaded("beside")
    monkeypatch.setattr(load_module, "_names_blank_nodes", lambda path: True)
    assert loaded("one-pass") == beside
    statements, named, merged, graphs = beside
    assert statements == 5
    assert graphs == sorted([default_graph_for(quads), "http://e/g", "http://e/h", "http://e/t"])
    assert len(named) == 7 and len(merged) == 5  # each triple once in the merge


@pytest.mark.parametrize("text, suffix", [
    ('<http://e/a> <http://e/p> "ok" <http://e/g> .\n<http://e/a> <http://e/p> oops .\n', ".nq"),
    ("@prefix e: <http://e/> .\ne:a e:p e:b ;\n  e:q .\n", ".ttl"),
    ('{"@id": "http://e/a", "http://e/p": [', ".jsonld"),
])
def test_a_file_that_does_not_parse_leaves_the_store_as_it_was(source, tmp_path, text, suffix):
    good = tmp_path / "good.nq"
    good.write_text('<http://e/new> <http://e/p> "new" <http://e/new-graph> .\n')
    bad = tmp_path / f"bad{suffix}"
    bad.write_text(text)
    (source.path / "kg-build-index.sqlite").write_bytes(b"index")  # the build's, not RocksDB's
    before_quads = sorted(map(str, source.quads()))
    before_merge = len(merged_of(source))
    with pytest.raises(LoadError) as info:
        load(source, [good, bad])
    message = str(info.value)
    assert "\n" not in message and str(bad) in message and "nothing was loaded" in message
    assert sorted(map(str, source.quads())) == before_quads
    assert len(merged_of(source)) == before_merge
    assert (source.path / "kg-build-index.sqlite").read_bytes() == b"index"  # kept
    assert "http://e/new-graph" not in source.graphs()
    source.load_release("http://e/after", rdflib.Graph(), "sha")  # still writable
    leftovers = [p.name for p in source.path.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_unknown_suffix_and_missing_file_are_one_line(tmp_store, tmp_path):
    with pytest.raises(LoadError, match=r"graph\.xlsx: cannot tell the RDF format"):
        format_for_file(tmp_path / "graph.xlsx")
    with pytest.raises(LoadError, match=r"nope\.nq: no such file"):
        load(tmp_store, [tmp_path / "nope.nq"])
    assert format_for_file("a.NQ") == ox.RdfFormat.N_QUADS


def test_kg_load_command(source, tmp_path):
    path = tmp_path / "graph.trig"
    written = export(source, path)
    store = tmp_path / "cli-store"
    result = runner.invoke(app, ["load", str(path), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert f"{written} statements" in result.stderr
    with open_store(str(store), read_only=True) as loaded:
        assert same_dataset(source, loaded)
    bad = tmp_path / "bad.nq"
    bad.write_text("<http://e/a> <http://e/p> .\n")
    result = runner.invoke(app, ["load", str(bad), "--store", str(tmp_path / "new-store")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.nq" in lines[0] and "line 1" in lines[0], result.stderr
    assert ".nq." not in lines[0]  # the loader's temporary file is not named
    assert not (tmp_path / "new-store").exists()  # a failed load into a new store leaves none


@pytest.mark.server
def test_kg_load_into_a_remote_store_in_chunks(oxigraph_server, plain_source, tmp_path,
                                               monkeypatch):
    monkeypatch.setattr(load_module, "REMOTE_CHUNK", 7)  # many requests
    path = tmp_path / "graph.nq"
    written = export(plain_source, path)
    with open_store(oxigraph_server.query_url) as remote:
        report = load(remote, [path])
        assert report.quads == written
        assert remote.graphs() == plain_source.graphs()
        assert remote.count() == plain_source.count()
        assert isomorphic(merged_of(remote), merged_of(plain_source))
        bad = tmp_path / "bad.ttl"
        bad.write_text("<http://e/a> <http://e/p> .\n")
        with pytest.raises(LoadError, match="bad.ttl"):
            load(remote, [path, bad])  # nothing sent: every file parses first
        assert remote.count() == plain_source.count()


@pytest.fixture
def plain_source(tmp_store, sample_releases):
    for iri, graph in sample_releases.items():
        tmp_store.load_release(iri, graph, "sha")
    return tmp_store

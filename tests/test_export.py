"""Exports: round-trip to the store's content, parse in independent tools (Raptor's
rapper, Oxigraph), deterministic bytes, atomic writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from decimal import Decimal

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic

import kg.export as export_module
from kg.errors import KgError
from kg.export import EXPORTERS, export, format_for_path, write_atomically
from kg.store import open_store

FORMATS = {  # format -> (suffix, rdflib parser, rapper parser or None, Oxigraph format)
    "turtle": (".ttl", "turtle", "turtle", ox.RdfFormat.TURTLE),
    "trig": (".trig", "trig", "trig", ox.RdfFormat.TRIG),
    "nquads": (".nq", "nquads", "nquads", ox.RdfFormat.N_QUADS),
    "jsonld": (".jsonld", "json-ld", None, ox.RdfFormat.JSON_LD),
}
EX = rdflib.Namespace("http://example.org/")


def add_blank_nodes(graph: rdflib.Graph, subject: URIRef) -> None:
    """Give a release graph a small blank-node structure (canonical labels are needed)."""
    address = BNode()
    graph.add((subject, EX.address, address))
    graph.add((address, EX.street, Literal("1 Harbour Road")))
    graph.add((address, EX.city, Literal("Riverton")))


@pytest.fixture
def store(tmp_store, sample_releases):
    for iri, graph in sample_releases.items():
        add_blank_nodes(graph, URIRef(iri))
        tmp_store.load_release(iri, graph, "sha")
    return tmp_store


def by_value(term):
    """Numbers compared by value: Oxigraph keeps "30"^^xsd:decimal, rdflib's Turtle writer
    spells it 30.0; both are the same decimal."""
    if (
        isinstance(term, Literal)
        and isinstance(term.value, Decimal | int | float)
        and not isinstance(term.value, bool)
    ):
        number = Decimal(str(term.value)).normalize()
        return Literal(f"{number:f}", datatype=term.datatype)
    return term


def graph_of(triples) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in triples:
        graph.add(tuple(by_value(term) for term in triple))
    return graph


def store_graphs(store) -> dict[str, rdflib.Graph]:
    triples: dict[str, list] = {}
    for s, p, o, g in store.quads():
        triples.setdefault(str(g), []).append((s, p, o))
    return {name: graph_of(found) for name, found in triples.items()}


def parsed_graphs(path, parser: str) -> dict[str, rdflib.Graph]:
    dataset = rdflib.Dataset()
    dataset.parse(path, format=parser)
    graphs = {}
    for graph in dataset.graphs():
        if len(graph):
            graphs[str(graph.identifier)] = graph_of(graph)
    return graphs


# the company graph and FollowTheMoney: tests/test_export_graph.py and tests/test_ftm.py
GRAPH_FORMATS = {"graphml": ".graphml", "gexf": ".gexf", "csv": ".csv", "ftm": ".ftm.json"}


def test_formats_are_registered():
    assert set(EXPORTERS) == set(FORMATS) | set(GRAPH_FORMATS)
    for name, (suffix, *_rest) in FORMATS.items():
        assert format_for_path(f"out/graph{suffix}") == name
    for name, suffix in GRAPH_FORMATS.items():
        assert format_for_path(f"out/graph{suffix}") == name
    with pytest.raises(KgError, match="cannot tell the export format"):
        format_for_path("out/graph.xlsx")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_round_trips_to_the_store_content(store, tmp_path, fmt):
    suffix, parser, _, _ = FORMATS[fmt]
    path = tmp_path / f"graph{suffix}"
    written = export(store, path, fmt)
    expected = store_graphs(store)
    if fmt == "turtle":
        merged = rdflib.Graph()
        for graph in expected.values():
            merged += graph
        parsed = graph_of(rdflib.Graph().parse(path, format=parser))
        assert isomorphic(parsed, merged)
        assert written == len(parsed)
        # Provenance survives the merge: every fact node still names its release.
        facts = set(
            parsed.subjects(URIRef("https://w3id.org/corporate-kg/ontology#relation"), None)
        )
        assert facts and all(parsed.value(f, rdflib.PROV.wasDerivedFrom) for f in facts)
    else:
        parsed = parsed_graphs(path, parser)
        assert set(parsed) == set(expected)
        for name, graph in expected.items():
            assert isomorphic(parsed[name], graph), name
        assert written == sum(len(g) for g in expected.values())


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_oxigraph_parses_the_export(store, tmp_path, fmt):
    suffix, _, _, ox_format = FORMATS[fmt]
    path = tmp_path / f"graph{suffix}"
    written = export(store, path, fmt)
    quads = list(ox.parse(path=str(path), format=ox_format))
    assert len(quads) == written


@pytest.mark.parametrize("fmt", [f for f, spec in FORMATS.items() if spec[2]])
def test_rapper_parses_the_export(store, tmp_path, fmt):
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper (Debian raptor2-utils) is not installed; `make test` installs it")
    suffix, _, rapper_format, _ = FORMATS[fmt]
    path = tmp_path / f"graph{suffix}"
    written = export(store, path, fmt)
    result = subprocess.run(
        [rapper, "-c", "-i", rapper_format, path.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f"returned {written} triples" in result.stderr
    assert "Error" not in result.stderr and "Warning" not in result.stderr


def test_exports_are_deterministic(tmp_path, sample_releases):
    """Two stores built in opposite orders (blank nodes get fresh ids) export the same bytes."""
    outputs = []
    for order in (sorted(sample_releases), sorted(sample_releases, reverse=True)):
        with open_store(tmp_path / f"store-{len(outputs)}") as store:
            for iri in order:
                graph = rdflib.Graph() + sample_releases[iri]
                add_blank_nodes(graph, URIRef(iri))
                store.load_release(iri, graph, "sha")
            files = {}
            for fmt, (suffix, *_rest) in FORMATS.items():
                path = tmp_path / f"{len(outputs)}{suffix}"
                export(store, path, fmt)
                files[fmt] = path.read_bytes()
            outputs.append(files)
    assert outputs[0] == outputs[1]


def test_prefixes_and_jsonld_context(store, tmp_path):
    export(store, tmp_path / "g.ttl")
    turtle = (tmp_path / "g.ttl").read_text()
    for prefix in ("ckg", "prov", "dcterms", "rdfs", "skos", "xsd"):
        assert f"@prefix {prefix}: " in turtle
    export(store, tmp_path / "g.jsonld")
    document = json.loads((tmp_path / "g.jsonld").read_text())
    assert document["@context"]["ckg"] == "https://w3id.org/corporate-kg/ontology#"
    assert document["@context"]["kgr"] == "https://w3id.org/corporate-kg/id/"
    text = (tmp_path / "g.jsonld").read_text()
    assert '"ckg:evidence"' in text  # compacted through the context


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "graph.ttl"
    path.write_text("old content\n")
    os.chmod(path, 0o640)

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module.os, "fsync", broken_fsync)
    with pytest.raises(KgError, match="graph.ttl: cannot write the export: .*No space left"):
        write_atomically(path, b"new content\n")
    assert path.read_text() == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_a_failing_writer_leaves_the_old_export(store, tmp_path, monkeypatch):
    path = tmp_path / "graph.trig"
    export(store, path)
    before = path.read_bytes()

    def broken(quads):
        raise KgError("serialiser failed")

    monkeypatch.setitem(EXPORTERS, "trig", export_module.Exporter("trig", ".trig", broken))
    with pytest.raises(KgError, match="serialiser failed"):
        export(store, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".graph")) == []


def test_replacing_an_export_keeps_its_mode(store, tmp_path):
    path = tmp_path / "graph.nq"
    path.write_text("")
    os.chmod(path, 0o640)
    export(store, path)
    assert path.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.nq"
    export(store, fresh)
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask


def test_unknown_format_is_an_error(store, tmp_path):
    with pytest.raises(KgError, match="unknown export format 'rdfxml'"):
        export(store, tmp_path / "g.rdf", "rdfxml")
    assert not (tmp_path / "g.rdf").exists()


LEXICAL_FORMS = [  # literals whose lexical form Turtle's shorthand would rewrite, and some it keeps
    ("30", rdflib.XSD.decimal), ("30.50", rdflib.XSD.decimal), ("030", rdflib.XSD.integer),
    ("1e3", rdflib.XSD.double), ("1", rdflib.XSD.boolean), ("true", rdflib.XSD.boolean),
    ("+7", rdflib.XSD.integer), ("2023", rdflib.XSD.gYear),
]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_export_keeps_literals_term_identical(tmp_path, fmt):
    """Re-importing an export gives the very terms the store holds (Oxigraph stores
    numbers by value, so "030"^^xsd:integer is held as "30"; "30"^^xsd:decimal stays "30",
    which rdflib's Turtle shorthand used to write as 30.0)."""
    suffix, _, _, ox_format = FORMATS[fmt]
    release = "https://w3id.org/corporate-kg/id/release/lexical"
    graph = rdflib.Graph(identifier=URIRef(release))
    forms = LEXICAL_FORMS
    if fmt == "jsonld":  # JSON-LD writes xsd:double as a JSON number, read back in its
        # canonical form (1.0E3); the project writes no xsd:double
        forms = [form for form in forms if form[1] != rdflib.XSD.double]
    for n, (lexical, datatype) in enumerate(forms):
        graph.add((EX[f"s{n}"], EX.value, Literal(lexical, datatype=datatype, normalize=False)))
    with open_store("memory:") as store:
        store.load_release(release, graph, "sha")
        held = {(str(s), str(o), str(o.datatype)) for s, p, o, _ in store.quads() if p == EX.value}
        path = tmp_path / f"lexical{suffix}"
        export(store, path, fmt)
    assert ("http://example.org/s0", "30", str(rdflib.XSD.decimal)) in held
    assert len(held) == len(forms)
    found = {(q.subject.value, q.object.value, q.object.datatype.value)
             for q in ox.parse(path=str(path), format=ox_format)
             if q.predicate == ox.NamedNode(str(EX.value))}
    assert found == held


# --- streaming from the embedded store ---------------------------------------------------

STREAMED = ("turtle", "trig", "nquads")


@pytest.fixture
def plain_store(tmp_store, sample_releases):
    """The sample releases without blank nodes: exports stream from Oxigraph's serialisers."""
    for iri, graph in sample_releases.items():
        tmp_store.load_release(iri, graph, "sha")
    return tmp_store


@pytest.mark.parametrize("fmt", STREAMED)
def test_streamed_export_round_trips_without_rdflib(plain_store, tmp_path, fmt, monkeypatch):
    def no_rdflib(quads):
        raise AssertionError("the streamed export went through rdflib")

    monkeypatch.setattr(export_module, "canonical_quads", no_rdflib)
    suffix, _, _, ox_format = FORMATS[fmt]
    path = tmp_path / f"graph{suffix}"
    written = export(plain_store, path, fmt)
    parsed = ox.Dataset(ox.parse(path=str(path), format=ox_format))
    assert len(parsed) == written
    expected = store_graphs(plain_store)
    if fmt == "turtle":
        merged = rdflib.Graph()
        for graph in expected.values():
            merged += graph
        assert isomorphic(graph_of(rdflib.Graph().parse(path, format="turtle")), merged)
    else:
        found = parsed_graphs(path, FORMATS[fmt][1])
        assert set(found) == set(expected)
        assert all(isomorphic(found[name], graph) for name, graph in expected.items())
        assert {str(q.graph_name.value) for q in parsed} == set(expected)
    assert not list(tmp_path.glob(".graph*"))  # no temporary left behind


def test_streamed_exports_are_deterministic_and_ordered_by_graph(tmp_path, sample_releases):
    outputs = []
    for n, order in enumerate((sorted(sample_releases), sorted(sample_releases, reverse=True))):
        with open_store(tmp_path / f"store-{n}") as store:
            for iri in order:
                store.load_release(iri, rdflib.Graph() + sample_releases[iri], "sha")
            files = {}
            for fmt in STREAMED:
                path = tmp_path / f"{n}{FORMATS[fmt][0]}"
                export(store, path, fmt)
                files[fmt] = path.read_bytes()
            outputs.append(files)
    assert outputs[0] == outputs[1]
    graphs = [line.rsplit(b" ", 2)[1] for line in outputs[0]["nquads"].splitlines()]
    assert graphs == sorted(graphs)  # graph by graph, in IRI order
    trig = outputs[0]["trig"].decode()
    assert trig.count(" {\n") == len(sample_releases) and "@prefix ckg: " in trig
    assert "kgr:" not in trig.split("\n\n", 1)[1]  # release IRIs stay whole, unescaped

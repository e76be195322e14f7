"""kg validate: the SHACL shapes as SPARQL on the store, conflicts between releases,
stated counts against the graph, and HermiT (--reason).

The stores here are built by the rules: the checks are under test, on facts checked by
hand, not the trained extractor (tested in test_model.py).  tests/data/validate holds
releases written for these tests about invented companies: two Kestrel releases state
different stakes and employees; the Fjord release states counts the graph cannot match
(three listed companies, two on the Oslo Stock Exchange, five plants, fewer employees
than its subsidiary has)."""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, SH, XSD, Literal, URIRef
from typer.testing import CliRunner

from kg import vocab
from kg.build import build
from kg.cli import app
from kg.errors import KgError
from kg.reason import java_available
from kg.store import open_store
from kg.validate import (
    _Compiler,
    conflicts,
    employee_gaps,
    shape_checks,
    stated_counts,
    validate,
    validate_graph,
)

ROOT = Path(__file__).resolve().parents[1]
RELEASES = ROOT / "data" / "releases"
OWN = ROOT / "tests" / "data" / "validate"
CKG = rdflib.Namespace(vocab.CKG_IRI)
runner = CliRunner()


def releases_folder(folder: Path, *names: str, sample: bool = True) -> Path:
    if sample:
        shutil.copytree(RELEASES, folder)
    else:
        folder.mkdir(parents=True)
    for name in names:
        shutil.copy(OWN / name, folder / name)
    return folder


CONFLICTING = ("kestrel-2024-01-10.txt", "kestrel-2024-06-12.txt", "fjord-2024-02-01.txt")


@pytest.fixture(scope="module")
def conflicting_store(tmp_path_factory) -> Path:
    """The sample releases plus the two Kestrel releases and the Fjord release."""
    base = tmp_path_factory.mktemp("conflicting")
    path = base / "store"
    with open_store(str(path)) as store:
        report = build([releases_folder(base / "in", *CONFLICTING)], store, extractor="rules",
                       registry_path=ROOT / "data" / "entities.yaml")
    assert not report.errors
    return path


# --- conflicts ------------------------------------------------------------------------------

def test_two_releases_stating_different_values_are_two_conflicts(conflicting_store):
    with open_store(str(conflicting_store), read_only=True) as store:
        found = conflicts(store)
    assert [(c.check, c.subject, c.other, c.values) for c in found] == [
        ("employees", "Kestrel Motors AS", None, ["6000", "8000"]),
        ("stake percent", "Kestrel Motors AS", "Vale Holdings ASA", ["35", "49"]),
    ]
    stake = found[1]
    assert [(s.release, s.date, s.value) for s in stake.statements] == [
        ("kestrel-2024-01-10", "2024-01-10", "35"), ("kestrel-2024-06-12", "2024-06-12", "49")]
    assert stake.statements[1].evidence == "Vale Holdings ASA holds a 49% stake in Kestrel Motors AS."


def test_the_sample_releases_have_no_conflict(demo_store_path):
    with open_store(str(demo_store_path), read_only=True) as store:
        assert conflicts(store) == []


# --- stated counts --------------------------------------------------------------------------

def test_stated_counts_are_compared_with_what_the_graph_knows(conflicting_store):
    with open_store(str(conflicting_store), read_only=True) as store:
        counts = stated_counts(store)
        gaps = employee_gaps(store)
    fjord = "Fjord Industrial Group ASA"
    listed = [c for c in counts["listed companies"] if c.subject == fjord]
    assert [(c.stated, c.known, c.missing) for c in listed] == [(3, ("Fjord Metals ASA",), 2)]
    assert listed[0].statements[0].release == "fjord-2024-02-01"
    on = [c for c in counts["listed companies per exchange"] if c.subject == fjord]
    assert [(c.scope, c.stated, c.known) for c in on] == [
        ("Oslo Stock Exchange", 2, ("Fjord Metals ASA",))]
    sites = {c.subject: c for c in counts["production sites"]}
    assert (sites[fjord].stated, sites[fjord].known) == (5, ("Bergen plant",))
    # the sample group states 12 production sites; the releases name three of them
    weiqiao = sites["Shandong Weiqiao Pioneering Group Co., Ltd."]
    assert weiqiao.stated == 12 and weiqiao.missing == 12 - len(weiqiao.known) > 0
    # a group of "more than 100,000" cannot have fewer than its subsidiaries (103,000)
    assert [(g.subject, g.stated, g.subsidiaries) for g in gaps] == [
        (fjord, 2000, (("Fjord Metals ASA", 2500),))]


# --- the command ----------------------------------------------------------------------------

def test_kg_validate_reports_each_check_and_exits_non_zero(conflicting_store):
    result = runner.invoke(app, ["validate", "--store", str(conflicting_store)])
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "PASS  shape StatementShape" in out
    assert "FAIL  conflict stake percent: 1 violation" in out
    assert ("Kestrel Motors AS (owner Vale Holdings ASA): 35 in kestrel-2024-01-10 (2024-01-10) "
            "vs 49 in kestrel-2024-06-12 (2024-06-12)") in out
    assert ("kestrel-2024-06-12 (2024-06-12) says 8000: Kestrel Motors AS was founded in 1998 "
            "and employs 8,000 people.") in out
    assert "FAIL  conflict employees: 1 violation" in out
    assert "PASS  conflict founding year" in out
    assert ("Fjord Industrial Group ASA: states 3 listed companies; the graph knows 1 "
            "(Fjord Metals ASA): 2 missing") in out
    assert "FAIL  count employees vs subsidiaries: 1 violation" in out
    assert "checks on" in result.stderr and "failed" in result.stderr


def test_kg_validate_json_reports_each_check_separately(conflicting_store):
    result = runner.invoke(app, ["validate", "--store", str(conflicting_store), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    checks = {c["name"]: c for c in report["checks"]}
    assert len(checks) == len(report["checks"])  # one entry per check
    assert {c["kind"] for c in report["checks"]} == {"shape", "conflict", "count"}
    assert all(c["passed"] for c in report["checks"] if c["kind"] == "shape")
    stake = checks["conflict stake percent"]
    assert not stake["passed"]
    [violation] = stake["violations"]
    assert [s["release"] for s in violation["statements"]] == ["kestrel-2024-01-10",
                                                               "kestrel-2024-06-12"]
    assert checks["conflict founding year"]["passed"]
    listed = [v for v in checks["count listed companies"]["violations"]
              if v["about"] == "Fjord Industrial Group ASA"]
    assert [(v["known"], v["missing"]) for v in listed] == [(["Fjord Metals ASA"], 2)]


def test_kg_validate_exits_zero_when_every_check_passes(tmp_path):
    store = tmp_path / "store"
    folder = releases_folder(tmp_path / "in", "kestrel-2024-01-10.txt", sample=False)
    assert runner.invoke(app, ["build", str(folder), "--store", str(store), "--extractor",
                               "rules", "--registry", "none"]).exit_code == 0
    result = runner.invoke(app, ["validate", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.stdout and "all passed" in result.stderr


# --- shapes as SPARQL -----------------------------------------------------------------------

def triples_of(store) -> rdflib.Graph:
    """The store's triples, whatever their graph, as one rdflib graph."""
    graph = rdflib.Graph()
    for s, p, o, _ in store.quads():
        graph.add((s, p, o))
    return graph


@contextmanager
def one_release_store(tmp_path: Path, name: str):
    """A memory store built by the rules from release ``name`` of tests/data/validate
    alone -> (store, the release's graph IRI, the store's triples)."""
    folder = releases_folder(tmp_path / "in", name, sample=False)
    with open_store("memory:") as store:
        build([folder], store, extractor="rules", registry_path=None)
        [iri] = store.graphs()
        yield store, iri, triples_of(store)


def planted(graph: rdflib.Graph, release: URIRef) -> rdflib.Graph:
    """``graph`` with one violation of most kinds of constraint of ontology/shapes.ttl."""
    g = rdflib.Graph()
    g += graph
    f = sorted(set(g.subjects(RDF.type, CKG.Statement)))
    assert len(f) >= 8
    with_object = sorted(set(g.subjects(CKG.object, None)) & set(f))[-1]
    entity = next(iter(g.objects(f[1], CKG.subject)))
    g.remove((f[0], CKG.evidence, None))  # minCount
    g.add((f[1], CKG.subject, URIRef(vocab.KGR_IRI + "org/unlabelled")))  # maxCount, no label
    g.set((f[2], CKG.confidence, Literal("1.5", datatype=XSD.decimal)))  # maxInclusive
    g.add((f[3], CKG.amount, Literal("abc", datatype=XSD.decimal)))  # ill-typed
    g.add((f[3], CKG.currency, Literal("yuan")))  # pattern
    g.add((f[4], CKG.dealStatus, CKG.Rumoured))  # sh:in
    g.add((with_object, CKG.value, Literal("7")))  # xone: object and value
    g.set((f[5], CKG.evidenceStart, Literal(10**6)))  # lessThanOrEquals
    g.add((f[5], CKG.year, Literal("2023")))  # datatype
    g.add((f[6], CKG.date, Literal("2023-02-30", datatype=XSD.date)))  # sh:or, invalid date
    g.add((f[6], CKG.product, URIRef(vocab.KGR_IRI + "org/not-a-product")))  # sh:class
    g.set((f[7], CKG.evidence, Literal("")))  # minLength
    g.set((release, CKG.sha256, Literal("XYZ")))
    g.add((release, CKG.datelinePlace, f[0]))  # class, maxCount
    g.add((entity, CKG.lei, Literal("bad")))
    g.add((entity, CKG.foundingYear, Literal("1990", datatype=XSD.gYear)))
    g.add((entity, CKG.foundingYear, Literal("1991", datatype=XSD.gYear)))
    g.add((entity, CKG.employeeCount, Literal("-5", datatype=XSD.integer)))
    g.add((entity, CKG.productionCapacity, Literal("lots")))
    g.add((rdflib.BNode(), CKG.object, rdflib.BNode()))  # a blank entity: nodeKind, label
    return g


def test_shape_checks_on_the_store_find_what_pyshacl_finds(tmp_path):
    with one_release_store(tmp_path, "fjord-2024-02-01.txt") as (store, iri, graph):
        assert validate_graph(graph)[0] and all(c.passed for c in shape_checks(store))
        bad = planted(graph, URIRef(iri))
        store.load_release(iri, bad, "1" * 64)
        ours = {(v.node, v.message.rsplit("[", 1)[1].rstrip("]"))
                for c in shape_checks(store) for v in c.violations}
        union = triples_of(store)
    from pyshacl import validate as pyshacl_validate

    _, results, _ = pyshacl_validate(union, shacl_graph=rdflib.Graph().parse(vocab.SHAPES_PATH),
                                     ont_graph=vocab.ontology(), inference="none")
    theirs = {(str(results.value(r, SH.focusNode)),
               str(results.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[1])
              for r in results.subjects(RDF.type, SH.ValidationResult)}
    # blank nodes get new labels in each engine: compare them by count
    named = {(n, c) for n, c in ours if n.startswith("http")}
    assert named == {(n, c) for n, c in theirs if n.startswith("http")}
    assert len(ours) == len(theirs) >= 20
    components = {c for _, c in ours}
    assert {"MinCountConstraintComponent", "MaxCountConstraintComponent", "XoneConstraintComponent",
            "InConstraintComponent", "OrConstraintComponent", "ClassConstraintComponent",
            "LessThanOrEqualsConstraintComponent", "PatternConstraintComponent",
            "DatatypeConstraintComponent", "NodeKindConstraintComponent",
            "MinLengthConstraintComponent", "MaxInclusiveConstraintComponent"} <= components


def test_a_constraint_the_translation_does_not_know_is_an_error():
    shapes = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ckg: <https://w3id.org/corporate-kg/ontology#> .
        <urn:s> a sh:NodeShape ; sh:targetClass ckg:Stake ;
            sh:property [ sh:path ckg:percentage ; sh:uniqueLang true ] .
    """, format="turtle")
    with pytest.raises(KgError, match="uniqueLang"):
        _Compiler(shapes).constraints(URIRef("urn:s"))


def test_validate_reads_the_answers_not_the_graph(conflicting_store, monkeypatch):
    """The checks run as SPARQL: nothing reads every quad into Python."""
    from kg.store.oxigraph import OxigraphStore

    def refuse(self):
        raise AssertionError("kg validate read every quad")

    monkeypatch.setattr(OxigraphStore, "quads", refuse)
    monkeypatch.setattr(OxigraphStore, "dataset", refuse)
    with open_store(str(conflicting_store), read_only=True) as store:
        assert not validate(store).conforms


# --- the reasoner ---------------------------------------------------------------------------

def test_years_and_dates_reach_hermit_as_date_times():
    from kg.reason import hermit_ready

    s, p = URIRef("urn:x"), CKG.foundingYear
    g = rdflib.Graph()
    g.add((s, p, Literal("1998", datatype=XSD.gYear)))
    g.add((s, CKG.date, Literal("2024-06-12", datatype=XSD.date)))
    g.add((s, CKG.since, Literal("20x3", datatype=XSD.gYear)))
    ready, mapped, bad = hermit_ready(g)
    assert set(ready.objects(s, None)) == {Literal("1998-01-01T00:00:00", datatype=XSD.dateTime),
                                           Literal("2024-06-12T00:00:00", datatype=XSD.dateTime)}
    assert mapped == 2 and len(bad) == 1 and "20x3" in bad[0]


needs_java = pytest.mark.skipif(not java_available(), reason="HermiT needs Java")


@needs_java
@pytest.mark.slow
def test_kg_validate_reason_runs_hermit_without_ignoring_datatypes(tmp_path):
    store = tmp_path / "store"
    folder = releases_folder(tmp_path / "in", "kestrel-2024-01-10.txt", "fjord-2024-02-01.txt",
                             sample=False)
    assert runner.invoke(app, ["build", str(folder), "--store", str(store), "--extractor",
                               "rules", "--registry", "none"]).exit_code == 0
    result = runner.invoke(app, ["validate", "--store", str(store), "--reason", "--format", "json"])
    report = json.loads(result.stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["reasoner consistency"]["passed"]
    assert checks["reasoner unsatisfiable classes"]["passed"]
    reasoner = report["reasoner"]
    assert reasoner["consistent"] and reasoner["mapped_literals"] >= 3  # years and dates
    assert "Fjord Metals ASA" in reasoner["inferred"]["ckg:Subsidiary"]["inferred"]
    assert "Fjord Metals ASA" in reasoner["inferred"]["ckg:ListedCompany"]["inferred"]


@needs_java
@pytest.mark.slow
def test_an_inconsistent_store_is_explained_with_its_release(tmp_path):
    from kg.reason import reason

    with one_release_store(tmp_path, "kestrel-2024-01-10.txt") as (store, iri, graph):
        kestrel = URIRef(vocab.KGR_IRI + "org/kestrel-motors-as")
        assert (kestrel, RDF.type, CKG.Company) in graph
        graph.add((kestrel, RDF.type, CKG.Person))  # an organisation cannot be a person
        store.load_release(iri, graph, "2" * 64)
        result = reason(store)
    assert not result.consistent
    text = " ".join(result.explanation)
    assert "kestrel-motors-as type Person" in text and "DisjointClasses" in text
    assert result.inconsistent_releases == ["kestrel-2024-01-10"]

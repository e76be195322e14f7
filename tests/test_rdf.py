"""kg.rdf: release graphs conform to the SHACL shapes, are deterministic and parse elsewhere."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
import rdflib
from rdflib import RDF, RDFS, SKOS, XSD, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL

from kg import vocab
from kg.errors import KgError
from kg.model import Fact, Release
from kg.rdf import fact_iri, release_graph, release_iri, typed_literal
from kg.resolve import load_registry, resolve

CKG, PROV = vocab.CKG, vocab.PROV
KGR = "https://w3id.org/corporate-kg/id/"
REGISTRY = Path(__file__).resolve().parent / "data" / "entities.yaml"

# A release written for these tests (invented companies).
TEXT = """Northwind to build battery plant in Gdansk

Rotterdam, 2024-03-05

Northwind Holdings agreed to acquire 60% of Borealis Battery Works for EUR 120 million. \
Northwind Chemicals B.V., a subsidiary of Northwind Holdings, will cooperate with Borealis \
Battery Works on cathode materials. The partners plan a battery plant in Gdansk, Pomerania, \
which is expected to reach a capacity of 20 GWh by 2027. Borealis Battery Works will supply \
battery cells to Northwind Chemicals B.V.

Borealis Battery Works was founded in 1998 and employs more than 1,200 people. Its chief \
executive officer Jan Kowalski visited the Gdansk site on 4 March 2024.

Northwind Holdings is listed on Euronext Amsterdam under the ticker NWH. Two companies of \
the Northwind group are listed in Amsterdam.
"""


def sentence(start_words: str) -> tuple[str, int, int]:
    """The sentence of TEXT that begins with ``start_words``, and its offsets."""
    start = TEXT.index(start_words)
    end = re.compile(r"(?<!B\.V)\.(?=\s|$)").search(TEXT, start).end()
    return TEXT[start:end], start, end


def F(subject, relation, obj=None, value=None, where="", **extra) -> Fact:  # noqa: N802
    evidence, start, end = sentence(where)
    extra.setdefault("confidence", 0.8)
    extra.setdefault("extractor", "test-rule")
    return Fact(doc="northwind-gdansk", subject=subject, relation=relation, object=obj, value=value,
                evidence=evidence, start=start, end=end, **extra)


def make_facts() -> list[Fact]:
    plant = "battery plant in Gdansk"
    return [
        F("Northwind Holdings", "X-acquires", "Borealis Battery Works", where="Northwind Holdings agreed",
          qualifiers={"status": "agreed", "percent": "60", "amount": "120 million", "unit": "EUR"}),
        F("Northwind Chemicals B.V.", "P749", "Northwind Holdings", where="Northwind Chemicals B.V., a"),
        F("Northwind Holdings", "P355", "Northwind Chemicals B.V.", where="Northwind Chemicals B.V., a"),
        F("Northwind Chemicals B.V.", "X-cooperates", "Borealis Battery Works",
          where="Northwind Chemicals B.V., a", qualifiers={"status": "planned"}),
        F("Northwind Holdings", "X-operates", plant, where="The partners plan", object_type="FAC",
          qualifiers={"status": "planned"}),
        F(plant, "P276", "Gdansk", where="The partners plan", subject_type="FAC", object_type="LOC"),
        F("Gdansk", "P131", "Pomerania", where="The partners plan", subject_type="LOC", object_type="LOC"),
        F(plant, "X-capacity", value="20", where="The partners plan", subject_type="FAC",
          qualifiers={"unit": "GWh", "horizon": "by 2027"}),
        F("Borealis Battery Works", "X-supplies", "Northwind Chemicals B.V.", where="Borealis Battery Works will",
          qualifiers={"product": "battery cells"}),
        F("Borealis Battery Works", "P571", value="1998", where="Borealis Battery Works was founded"),
        F("Borealis Battery Works", "P1128", value="1,200", where="Borealis Battery Works was founded",
          qualifiers={"bound": "more than"}),
        F("Borealis Battery Works", "P169", "Jan Kowalski", where="Its chief", object_type="PER"),
        F("Jan Kowalski", "X-visits", plant, where="Its chief", subject_type="PER", object_type="FAC",
          qualifiers={"date": "2024-03-04"}),
        F("Northwind Holdings", "P414", "Euronext Amsterdam", where="Northwind Holdings is listed",
          object_type="EXCHANGE", qualifiers={"ticker": "NWH"}),
        F("Northwind Holdings", "X-listed-companies-on", "Euronext Amsterdam", where="Two companies",
          object_type="EXCHANGE", qualifiers={"count": "2"}),
    ]


def make_release(**changes) -> Release:
    release = Release(
        id="northwind-gdansk", text=TEXT, sha256=hashlib.sha256(TEXT.encode("utf-8")).hexdigest(),
        source="northwind-gdansk.txt", format="txt", title="Northwind to build battery plant in Gdansk",
        date=date(2024, 3, 5), dateline_place="Rotterdam", issuer="Northwind Holdings",
    )
    return dataclasses.replace(release, **changes)


def build(facts=None, release=None) -> rdflib.Graph:
    facts = make_facts() if facts is None else facts
    release = release or make_release()
    return write(release, facts, load_registry(REGISTRY))


def write(release: Release, facts, registry=None) -> rdflib.Graph:
    """The release graph, from the resolution of this one release."""
    view = resolve(facts, registry, releases=[release]).release_view(release, facts)
    return release_graph(release, facts, view)


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return build()


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(vocab.SHAPES_PATH, format="turtle")


def violations(graph, shapes) -> list[tuple[str, str]]:
    """(result path, constraint component) of every violation."""
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    found = []
    for result in report.subjects(RDF.type, sh.ValidationResult):
        path = report.value(result, sh.resultPath)
        component = report.value(result, sh.sourceConstraintComponent)
        found.append((str(path) if path else "", str(component).rsplit("#", 1)[-1]))
    assert conforms == (not found)
    return sorted(found)


def node(number: int) -> URIRef:
    return fact_iri("northwind-gdansk", number)


def org(slug: str) -> URIRef:
    return URIRef(KGR + "org/" + slug)


# --------------------------------------------------------------------------- shapes


def test_release_graph_conforms_to_the_shapes(graph, shapes):
    assert violations(graph, shapes) == []


@pytest.mark.parametrize(
    ("change", "path", "component"),
    [
        ({"confidence": 1.5}, "confidence", "MaxInclusiveConstraintComponent"),
        ({"confidence": -0.1}, "confidence", "MinInclusiveConstraintComponent"),
        ({"start": 900, "end": 10}, "evidenceStart", "LessThanOrEqualsConstraintComponent"),
        ({"evidence": ""}, "evidence", "MinLengthConstraintComponent"),
        ({"qualifiers": {"percent": "150"}}, "percentage", "MaxInclusiveConstraintComponent"),
        ({"qualifiers": {"since": "sometime"}}, "since", "OrConstraintComponent"),
        ({"value": "nineteen ninety-eight"}, "value", "DatatypeConstraintComponent"),
    ],
)
def test_a_broken_fact_violates_the_shapes(shapes, change, path, component):
    founding = F("Borealis Battery Works", "P571", value="1998", where="Borealis Battery Works was founded")
    broken = dataclasses.replace(founding, **change)
    found = violations(build([broken]), shapes)
    assert found == [(vocab.CKG_IRI + path, component)]


def test_graph_level_breakage_violates_the_shapes(graph, shapes):
    broken = rdflib.Graph()
    for triple in graph:
        broken.add(triple)
    broken.add((node(2), CKG.value, Literal("extra")))  # object and value
    broken.remove((node(3), CKG.subject, None))  # no subject
    broken.set((release_iri("northwind-gdansk"), CKG.sha256, Literal("not-a-digest")))
    broken.add((node(1), CKG.dealStatus, CKG.Stake))  # a second, wrong status
    found = violations(broken, shapes)
    assert ("", "XoneConstraintComponent") in found
    assert (vocab.CKG_IRI + "subject", "MinCountConstraintComponent") in found
    assert (vocab.CKG_IRI + "sha256", "PatternConstraintComponent") in found
    assert (vocab.CKG_IRI + "dealStatus", "InConstraintComponent") in found
    assert (vocab.CKG_IRI + "dealStatus", "MaxCountConstraintComponent") in found


# --------------------------------------------------------------------------- content


def test_release_node_and_provenance(graph):
    release = release_iri("northwind-gdansk")
    assert graph.identifier == release
    assert {CKG.Release, PROV.Entity} <= set(graph.objects(release, RDF.type))
    assert graph.value(release, DCTERMS.date) == Literal("2024-03-05", datatype=XSD.date)
    assert graph.value(release, CKG.sha256) == Literal(hashlib.sha256(TEXT.encode()).hexdigest())
    assert graph.value(release, DCTERMS.publisher) == org("northwind-holdings")
    place = graph.value(release, CKG.datelinePlace)
    assert place == URIRef(KGR + "place/rotterdam") and (place, RDF.type, CKG.City) in graph
    activity = graph.value(node(1), PROV.wasGeneratedBy)
    assert graph.value(activity, PROV.used) == release
    agent = graph.value(activity, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in graph
    nodes = set(graph.subjects(RDF.type, CKG.Statement))
    assert nodes == {node(n) for n in range(1, len(make_facts()) + 1)}
    for each in nodes:
        assert graph.value(each, PROV.wasDerivedFrom) == release
        evidence = str(graph.value(each, CKG.evidence))
        start, end = int(graph.value(each, CKG.evidenceStart)), int(graph.value(each, CKG.evidenceEnd))
        assert TEXT[start:end] == evidence


def test_fact_nodes_carry_class_relation_and_typed_qualifiers(graph):
    acquisition = node(1)
    assert {CKG.Acquisition, CKG.Deal, CKG.Statement} <= set(graph.objects(acquisition, RDF.type))
    assert graph.value(acquisition, CKG.relation) == CKG.acquires
    assert graph.value(acquisition, CKG.dealStatus) == CKG.Agreed
    assert graph.value(acquisition, CKG.percentage) == Literal("60", datatype=XSD.decimal)
    assert graph.value(acquisition, CKG.amount) == Literal("120000000", datatype=XSD.decimal)
    assert graph.value(acquisition, CKG.currency) == Literal("EUR")  # a currency given as unit
    assert graph.value(acquisition, CKG.confidence) == Literal("0.8", datatype=XSD.decimal)
    assert graph.value(acquisition, CKG.extractor) == Literal("test-rule")
    assert graph.value(node(8), CKG.unit) == Literal("GWh")
    assert graph.value(node(8), CKG.value) == Literal("20", datatype=XSD.decimal)
    assert graph.value(node(10), CKG.value) == Literal("1998", datatype=XSD.gYear)
    assert graph.value(node(11), CKG.value) == Literal("1200", datatype=XSD.integer)
    assert graph.value(node(11), CKG.bound) == Literal("more than")
    assert graph.value(node(13), CKG["date"]) == Literal("2024-03-04", datatype=XSD.date)
    assert graph.value(node(15), CKG["count"]) == Literal("2", datatype=XSD.integer)
    cells = graph.value(node(9), CKG.product)
    assert (cells, RDF.type, CKG.Product) in graph and graph.value(cells, RDFS.label) == Literal("battery cells")
    assert {CKG.ChiefExecutiveOfficerPosition, CKG.Position} <= set(graph.objects(node(12), RDF.type))


def test_shortcuts_are_materialised(graph):
    borealis, holdings = org("borealis-battery"), org("northwind-holdings")
    chemicals, plant = org("northwind-chemicals-b-v"), URIRef(KGR + "site/battery-plant-in-gdansk")
    assert (holdings, CKG.acquires, borealis) in graph
    assert (chemicals, CKG.subsidiaryOf, holdings) in graph
    assert (holdings, CKG.operates, plant) in graph
    assert (borealis, CKG.foundingYear, Literal("1998", datatype=XSD.gYear)) in graph
    assert (borealis, CKG.employeeCount, Literal("1200", datatype=XSD.integer)) in graph
    assert (plant, CKG.productionCapacity, Literal("20", datatype=XSD.decimal)) in graph
    assert (holdings, CKG.listedOn, URIRef(KGR + "exchange/amsterdam-stock-exchange")) in graph
    # symmetric: both directions
    assert (chemicals, CKG.cooperatesWith, borealis) in graph
    assert (borealis, CKG.cooperatesWith, chemicals) in graph


def test_inverse_relation_is_stored_in_the_canonical_direction(graph):
    holdings, chemicals = org("northwind-holdings"), org("northwind-chemicals-b-v")
    assert graph.value(node(3), CKG.relation) == CKG.subsidiaryOf
    assert graph.value(node(3), CKG.subject) == chemicals
    assert graph.value(node(3), CKG.object) == holdings
    assert (holdings, CKG.hasSubsidiary, None) not in graph


def test_entities_are_described_once_with_types_labels_and_ids(graph):
    holdings = org("northwind-holdings")
    assert {CKG.CorporateGroup, CKG.Company, CKG.Organization, CKG.Agent} <= set(graph.objects(holdings, RDF.type))
    assert graph.value(holdings, RDFS.label) == Literal("Northwind Holdings")
    plant = URIRef(KGR + "site/battery-plant-in-gdansk")
    assert {CKG.Plant, CKG.Site} <= set(graph.objects(plant, RDF.type))
    person = URIRef(KGR + "person/jan-kowalski")
    assert (person, RDF.type, CKG.Person) in graph
    for entity in set(graph.objects(None, CKG.subject)) | set(graph.objects(None, CKG.object)):
        assert len(list(graph.objects(entity, RDFS.label))) == 1


def test_what_the_registry_says_is_in_the_registry_graph_only(graph):
    """A release graph holds what the release says; the registry's aliases, identifiers
    and "located in" are in the registry graph (kgr:registry/entities), once."""
    from kg.rdf import registry_graph, registry_iri

    holdings = org("northwind-holdings")
    rotterdam = URIRef(KGR + "place/rotterdam")
    assert graph.value(holdings, OWL.sameAs) is None and graph.value(holdings, CKG.lei) is None
    assert (holdings, CKG.headquarteredIn, None) not in graph
    assert (URIRef(KGR + "place/netherlands"), None, None) not in graph  # no release names it
    assert not set(graph.objects(holdings, SKOS.altLabel)) & {Literal("NWH"), Literal("Northwind Group")}
    facts = make_facts()
    resolution = resolve(facts, load_registry(REGISTRY), releases=[make_release()])
    registry = registry_graph(resolution.registry_view())
    assert registry.identifier == registry_iri() == URIRef(KGR + "registry/entities")
    assert set(registry.objects(holdings, SKOS.altLabel)) >= {Literal("NWH"), Literal("Northwind Group")}
    assert registry.value(holdings, OWL.sameAs) == URIRef("http://www.wikidata.org/entity/Q99990001")
    assert registry.value(holdings, CKG.lei) == Literal("5299000NORTHWIND0042")
    assert registry.value(holdings, CKG.headquarteredIn) == rotterdam  # the registry's located_in
    assert registry.value(rotterdam, CKG.locatedInRegion) == URIRef(KGR + "place/netherlands")
    assert (URIRef(KGR + "place/netherlands"), RDF.type, CKG.Country) in registry
    assert not set(registry.subjects(RDF.type, PROV.Entity))  # no release, no fact node
    assert (org("borealis-battery"), SKOS.altLabel, Literal("BBW Energy")) in registry
    only_holdings = [Fact(doc="r", subject="NWH", relation="P1128", value="1200")]
    alone = resolve(only_holdings, load_registry(REGISTRY)).registry_view()
    assert {e.name for e in alone} == {"Northwind Holdings", "Rotterdam", "Netherlands"}  # + where it lies


@pytest.mark.parametrize(
    ("text", "datatype", "expected"),
    [
        ("1998", XSD.gYear, Literal("1998", datatype=XSD.gYear)),
        ("1998-05-01", XSD.gYear, Literal("1998", datatype=XSD.gYear)),
        ("2024-03", XSD.date, Literal("2024-03", datatype=XSD.gYearMonth)),
        ("2024-02-30", XSD.date, None),
        ("100 billion", XSD.decimal, Literal("100000000000", datatype=XSD.decimal)),
        ("12.5", XSD.integer, None),
        ("twelve", XSD.integer, None),
        ("3", XSD.integer, Literal("3", datatype=XSD.integer)),
    ],
)
def test_typed_literal(text, datatype, expected):
    assert typed_literal(text, datatype) == expected


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"relation": "P9999"}, "no relation 'P9999'"),
        ({"relation": "P571"}, "relation ckg:foundingYear takes a value"),
        ({"value": "1"}, "exactly one of object and value"),
        ({"doc": "another-release"}, "belongs to release 'another-release'"),
    ],
)
def test_bad_facts_raise_one_line(change, message):
    good = F("Northwind Chemicals B.V.", "P749", "Northwind Holdings", where="Northwind Chemicals B.V., a")
    bad = dataclasses.replace(good, **change)
    facts = [bad]
    with pytest.raises(KgError, match=message) as err:
        write(make_release(), facts)
    assert "\n" not in str(err.value)


def test_release_without_title_uses_its_id(shapes):
    graph = build(release=make_release(title=None, date=None, dateline_place=None, issuer=None))
    assert graph.value(release_iri("northwind-gdansk"), DCTERMS.title) == Literal("northwind-gdansk")
    assert violations(graph, shapes) == []


def test_hostile_release_ids_give_valid_iris():
    for release_id in ("a b/c?d#e", "..", "Düsseldorf press 1", "<script>"):
        iri = release_iri(release_id)
        pyoxigraph.NamedNode(str(iri))
        pyoxigraph.NamedNode(str(fact_iri(release_id, 3)))
        assert "/" not in str(iri).removeprefix(KGR + "release/")
    with pytest.raises(KgError):
        release_iri("  ")


# --------------------------------------------------------------------------- output


def test_output_is_deterministic(graph):
    again = build()
    assert set(again) == set(graph)
    assert isomorphic(again, graph)
    assert sorted(again.serialize(format="nt").splitlines()) == sorted(graph.serialize(format="nt").splitlines())
    assert not any(isinstance(term, rdflib.BNode) for triple in graph for term in triple)


def test_turtle_parses_in_rapper_and_oxigraph(graph, tmp_path):
    path = tmp_path / "release.ttl"
    graph.serialize(path, format="turtle")
    rapper = shutil.which("rapper") or "/usr/bin/rapper"
    result = subprocess.run([rapper, "-i", "turtle", "-o", "ntriples", str(path)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == len(graph)
    quads = list(pyoxigraph.parse(path.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(graph)


def test_a_registry_event_is_not_also_an_industry(tmp_path, shapes):
    registry = tmp_path / "entities.yaml"
    registry.write_text("- {name: Battery Show Europe, type: MISC, class: Event}\n", encoding="utf-8")
    visit = F("Jan Kowalski", "X-visits", "Battery Show Europe", where="Its chief", subject_type="PER",
              object_type="MISC")
    facts = [visit]
    graph = write(make_release(), facts, load_registry(registry))
    show = URIRef(KGR + "industry/battery-show-europe")
    assert set(graph.objects(show, RDF.type)) == {CKG.Event}


def test_the_sample_releases_conform_to_the_shapes(shapes):
    """The whole pipeline on data/releases (load, extract, resolve, RDF) gives valid data."""
    from kg.extract import extract_facts
    from kg.releases import load_paths

    root = Path(__file__).resolve().parents[1]
    releases, _ = load_paths([root / "data" / "releases"])
    assert releases
    per_release = [(release, extract_facts(release)) for release in releases]
    resolution = resolve([f for _, facts in per_release for f in facts], load_registry(root / "data" / "entities.yaml"),
                         releases=releases)
    for release, facts in per_release:
        graph = release_graph(release, facts, resolution.release_view(release, facts))
        assert violations(graph, shapes) == [], release.id


def test_the_examples_in_the_docstrings_run():
    import doctest

    import kg.rdf

    assert doctest.testmod(kg.rdf).failed == 0

"""ontology/corporate.ttl: parses, is documented, stays in OWL 2 DL, and HermiT
draws the inferences it is designed for (through owlready2, on the machine's Java)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import owlready2
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS

from kg import vocab
from kg.model import Fact, Release
from kg.ontology_docs import write_docs
from kg.rdf import registry_graph, release_graph
from kg.resolve import resolve

ROOT = Path(__file__).resolve().parents[1]
SEED_GOLD = ROOT.parent / "shared" / "eval" / "seed-gold.jsonl"
CKG = vocab.CKG
CKG_IRI = vocab.CKG_IRI
KGR = vocab.KGR_IRI

needs_java = pytest.mark.skipif(shutil.which(owlready2.JAVA_EXE) is None, reason="HermiT needs Java")

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4), plus rdfs:Literal.
OWL2_DATATYPES = {XSD[name] for name in (
    "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int "
    "short byte unsignedLong unsignedInt unsignedShort unsignedByte double float string "
    "normalizedString token language Name NCName NMTOKEN boolean hexBinary base64Binary anyURI "
    "dateTime dateTimeStamp").split()} | {RDFS.Literal, OWL.real, OWL.rational, RDF.PlainLiteral, RDF.XMLLiteral}


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(vocab.ONTOLOGY_PATH, format="turtle")


def ckg_terms(graph: rdflib.Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(CKG_IRI)}


def props(graph: rdflib.Graph, kind) -> set[URIRef]:
    return {p for p in graph.subjects(RDF.type, kind) if str(p).startswith(CKG_IRI)}


# --------------------------------------------------------------------------- the file


def test_the_ontology_header(onto):
    header = URIRef("https://w3id.org/corporate-kg/ontology")
    assert (header, RDF.type, OWL.Ontology) in onto
    for predicate in (OWL.versionInfo, DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator):
        assert onto.value(header, predicate) is not None, predicate
    assert str(onto.value(header, OWL.versionInfo)) == vocab.version()
    assert dict(onto.namespaces())["ckg"] == URIRef(CKG_IRI)
    assert not list(onto.triples((None, OWL.imports, None))), "no owl:imports: HermiT runs offline"


def test_every_term_has_a_label_and_a_definition(onto):
    terms = ckg_terms(onto)
    assert len(terms) > 150
    for term in sorted(terms):
        labels = list(onto.objects(term, RDFS.label))
        definitions = list(onto.objects(term, SKOS.definition))
        assert len(labels) == 1 and labels[0].language == "en", f"{term}: one English rdfs:label"
        assert len(definitions) == 1 and len(definitions[0]) > 15, f"{term}: one skos:definition"
    assert terms == set(vocab.terms()), "every ckg: subject is declared with an OWL type"


def test_every_property_has_a_domain_and_a_range(onto):
    for prop in sorted(props(onto, OWL.ObjectProperty) | props(onto, OWL.DatatypeProperty)):
        assert onto.value(prop, RDFS.domain) is not None, f"{prop} has no rdfs:domain"
        assert onto.value(prop, RDFS.range) is not None, f"{prop} has no rdfs:range"


def test_wikidata_alignments_and_inverses(onto):
    relations = vocab.relations()
    wdt = "http://www.wikidata.org/prop/direct/"
    assert (relations["P749"].term, SKOS.exactMatch, URIRef(wdt + "P749")) in onto
    assert (CKG.subsidiaryOf, OWL.inverseOf, CKG.hasSubsidiary) in onto
    assert (CKG.cooperatesWith, RDF.type, OWL.SymmetricProperty) in onto
    assert (CKG.foundingYear, RDF.type, OWL.FunctionalProperty) in onto
    assert (CKG.guidelineId, RDF.type, OWL.AnnotationProperty) in onto
    for rel in relations.values():
        if rel.wikidata:
            assert rel.wikidata == rel.id  # P-ids are their own Wikidata alignment
    # W3C ORG, schema.org, PROV-O, FIBO and GLEIF are aligned too
    objects = {str(o) for o in onto.objects()}
    for prefix in ("http://www.w3.org/ns/org#", "https://schema.org/", "http://www.w3.org/ns/prov#",
                   "https://spec.edmcouncil.org/fibo/", "https://www.gleif.org/ontology/L2/"):
        assert any(o.startswith(prefix) for o in objects), prefix


def test_deal_status_is_closed_and_pairwise_different(onto):
    members = list(Collection(onto, onto.value(onto.value(CKG.DealStatus, OWL.equivalentClass), OWL.oneOf)))
    assert members == [CKG.Planned, CKG.Agreed, CKG.Completed, CKG.Cancelled]
    different = [list(Collection(onto, onto.value(node, OWL.distinctMembers)))
                 for node in onto.subjects(RDF.type, OWL.AllDifferent)]
    assert members in different


def test_disjointness_of_the_top_classes(onto):
    groups = [set(Collection(onto, onto.value(node, OWL.members)))
              for node in onto.subjects(RDF.type, OWL.AllDisjointClasses)]
    wanted = {CKG.Person, CKG.Organization, CKG.Place, CKG.Site, CKG.Product, CKG.Release, CKG.Statement}
    assert any(wanted <= group for group in groups)


def test_every_statement_class_with_a_chain_folds_its_role(onto):
    """Each object shortcut is derived from its node class by inverse(subject) o asX o object."""
    for rel in vocab.relations().values():
        if rel.literal or not rel.canonical:
            continue
        chains = [list(Collection(onto, c)) for c in onto.objects(rel.term, OWL.propertyChainAxiom)]
        node_chains = [c for c in chains if len(c) == 3 and c[2] == CKG.object]
        assert len(node_chains) == 1, f"{rel.curie} has no chain from its nodes"
        first, fold, _ = node_chains[0]
        assert onto.value(first, OWL.inverseOf) == CKG.subject
        self_restrictions = [r for r in onto.objects(rel.node_class, RDFS.subClassOf)
                             if onto.value(r, OWL.onProperty) == fold]
        assert self_restrictions and onto.value(self_restrictions[0], OWL.hasSelf) == Literal(True)


def test_owl2_dl_global_restrictions(onto):
    """Non-simple properties (heads of chains, transitive ones and everything above them) are
    never functional, asymmetric, irreflexive, in cardinality or self restrictions, or disjoint;
    data ranges use OWL 2's datatype map only; no IRI is both an object and a data property."""
    heads = set(onto.subjects(OWL.propertyChainAxiom, None)) | set(onto.subjects(RDF.type, OWL.TransitiveProperty))
    non_simple = set()
    queue = list(heads)
    while queue:
        prop = queue.pop()
        if prop in non_simple:
            continue
        non_simple.add(prop)
        queue.extend(onto.objects(prop, RDFS.subPropertyOf))
        queue.extend(onto.objects(prop, OWL.inverseOf))
        queue.extend(onto.subjects(OWL.inverseOf, prop))
    assert CKG.subsidiaryOf in non_simple and CKG.hasSubsidiary in non_simple
    for kind in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.AsymmetricProperty,
                 OWL.IrreflexiveProperty):
        assert not non_simple & set(onto.subjects(RDF.type, kind)), kind
    for restriction in onto.subjects(RDF.type, OWL.Restriction):
        prop = onto.value(restriction, OWL.onProperty)
        for counted in (OWL.cardinality, OWL.minCardinality, OWL.maxCardinality, OWL.qualifiedCardinality,
                        OWL.minQualifiedCardinality, OWL.maxQualifiedCardinality, OWL.hasSelf):
            if onto.value(restriction, counted) is not None:
                assert prop not in non_simple, f"{prop} is not simple"
    assert not non_simple & set(onto.subjects(OWL.propertyDisjointWith, None))
    for prop in props(onto, OWL.DatatypeProperty):
        rng = onto.value(prop, RDFS.range)
        base = rng if isinstance(rng, URIRef) else onto.value(rng, OWL.onDatatype)
        assert base in OWL2_DATATYPES, f"{prop}: range {base} is not in the OWL 2 datatype map"
    assert not props(onto, OWL.ObjectProperty) & props(onto, OWL.DatatypeProperty)
    assert not props(onto, OWL.ObjectProperty) & set(onto.subjects(RDF.type, OWL.Class))
    # every external class or property the ontology builds on is declared
    for predicate, kinds in ((RDFS.subClassOf, {OWL.Class}),
                             (RDFS.subPropertyOf, {OWL.ObjectProperty, OWL.DatatypeProperty})):
        for parent in onto.objects(None, predicate):
            if isinstance(parent, URIRef):
                assert set(onto.objects(parent, RDF.type)) & kinds, f"{parent} is not declared"


def test_docs_are_generated_with_pylode(tmp_path):
    index = write_docs(tmp_path / "docs")
    html = index.read_text(encoding="utf-8")
    assert "corporate-kg ontology" in html
    for label in ("subsidiary of", "listed company", "capacity target", "deal status"):
        assert label in html
    assert (tmp_path / "docs" / "corporate.ttl").read_bytes() == vocab.ONTOLOGY_PATH.read_bytes()
    assert (tmp_path / "docs" / "shapes.ttl").is_file()


# --------------------------------------------------------------------------- HermiT


def reason(graph: rdflib.Graph, tmp_path: Path, name: str) -> owlready2.World:
    """Load ``graph`` into a fresh owlready2 world (as N-Triples) and run HermiT on it."""
    path = tmp_path / f"{name}.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0,
                                   ignore_unsupported_datatypes=True)
    return world


def with_ontology(*triples) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph += vocab.ontology()
    for triple in triples:
        graph.add(triple)
    return graph


@needs_java
def test_hermit_finds_the_ontology_consistent_without_unsatisfiable_classes(tmp_path):
    path = tmp_path / "ontology.nt"
    vocab.ontology().serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    # strict: no unsupported datatypes are tolerated in the ontology itself
    owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    assert list(world.inconsistent_classes()) == []


def seed_release_and_facts() -> tuple[Release, list[Fact]]:
    """The seed release's gold facts as kg.model Facts, plus one listing fact."""
    if not SEED_GOLD.is_file():
        pytest.skip(f"{SEED_GOLD.name} not found beside the repository (../shared/eval)")
    record = json.loads(SEED_GOLD.read_text(encoding="utf-8").splitlines()[0])
    text, entities = record["text"], {e["id"]: e for e in record["entities"]}
    facts = []
    for gold in record["facts"]:
        subject, obj = entities[gold["subject"]], entities.get(gold.get("object"))
        start = text.find(gold["evidence"])
        qualifiers = {k: str(v) for k, v in gold.items()
                      if k not in ("subject", "relation", "object", "value", "evidence")}
        facts.append(Fact(
            doc=record["id"], subject=subject["names"][0], relation=gold["relation"],
            object=obj["names"][0] if obj else None, value=gold.get("value"),
            subject_type=subject["type"], object_type=obj["type"] if obj else None,
            qualifiers=qualifiers, evidence=gold["evidence"], start=start, end=start + len(gold["evidence"]),
            confidence=1.0, extractor="gold", subject_aliases=tuple(subject["names"][1:]),
            object_aliases=tuple(obj["names"][1:]) if obj else (),
        ))
    # The release names no listed company; one of the group's is listed in Hong Kong.
    facts.append(Fact(doc=record["id"], subject="China Hongqiao Group", relation="P414",
                      object="Hong Kong Stock Exchange", object_type="EXCHANGE", evidence="(test fact)",
                      start=0, end=0, confidence=1.0, extractor="test", qualifiers={"ticker": "1378"}))
    release = Release(id=record["id"], text=text, sha256="0" * 64, source="seed-gold.jsonl", format="jsonl",
                      title=record["title"], date=date.fromisoformat(record["date"]),
                      dateline_place=record["dateline_place"], issuer=record["issuer"])
    return release, facts


@pytest.fixture(scope="module")
def seed_world(tmp_path_factory) -> owlready2.World:
    """HermiT over the ontology and the seed release's graph, with every materialised
    shortcut triple removed: the reasoner must derive them from the fact nodes."""
    if shutil.which(owlready2.JAVA_EXE) is None:
        pytest.skip("HermiT needs Java")
    release, facts = seed_release_and_facts()
    data = release_graph(release, facts, resolve(facts, releases=[release]).release_view(release, facts))
    for rel in vocab.relations().values():
        data.remove((None, rel.term, None))
    assert not list(data.triples((None, CKG.subsidiaryOf, None)))
    return reason(with_ontology(*data), tmp_path_factory.mktemp("hermit"), "seed")


def related(world: owlready2.World, subject: str, prop: URIRef) -> set[str]:
    individual = world[KGR + subject]
    assert individual is not None, subject
    return {value.iri.removeprefix(KGR) for value in getattr(individual, world[str(prop)].python_name)}


def classes(world: owlready2.World, subject: str) -> set[str]:
    individual = world[KGR + subject]
    return {cls.iri.removeprefix(CKG_IRI) for cls in individual.INDIRECT_is_a if hasattr(cls, "iri")}


GROUP, DE = "org/shandong-weiqiao-pioneering-group", "org/weiqiao-germany-gmbh"
BAW, BASE = "org/beijing-automobile-works", "site/new-energy-vehicle-industrial-base-in-qingdao"


@needs_java
def test_hermit_infers_defined_classes(seed_world):
    assert "ListedCompany" in classes(seed_world, "org/china-hongqiao-group")  # Company + listing
    assert {"Subsidiary", "Company"} <= classes(seed_world, DE)  # GmbH + subsidiaryOf
    assert "ListedCompany" not in classes(seed_world, BAW)
    assert "Subsidiary" not in classes(seed_world, GROUP)


@needs_java
def test_hermit_derives_shortcuts_from_the_nodes_through_property_chains(seed_world):
    assert related(seed_world, DE, CKG.subsidiaryOf) == {GROUP}
    assert related(seed_world, GROUP, CKG.chiefExecutiveOfficer) == {"person/bo-zhang"}
    assert related(seed_world, GROUP, CKG.acquires) == {BAW}
    assert BASE in related(seed_world, GROUP, CKG.operates)
    assert related(seed_world, "person/bo-zhang", CKG.visited) == {BAW}
    # location o locatedInRegion: the base in Qingdao also lies in Shandong
    assert related(seed_world, BASE, CKG.location) == {"place/qingdao", "place/shandong-province"}


@needs_java
def test_hermit_derives_inverses_and_symmetric_pairs(seed_world):
    assert related(seed_world, GROUP, CKG.hasSubsidiary) == {DE}
    assert GROUP in related(seed_world, BASE, CKG.operatedBy)
    assert related(seed_world, BAW, CKG.cooperatesWith) == {GROUP}
    assert related(seed_world, GROUP, CKG.cooperatesWith) == {BAW}


CONTRADICTIONS = {
    "a person that is an organisation": [
        (URIRef(KGR + "org/x"), RDF.type, CKG.Person), (URIRef(KGR + "org/x"), RDF.type, CKG.Organization)],
    "a release that is a company": [
        (URIRef(KGR + "release/x"), RDF.type, CKG.Release), (URIRef(KGR + "release/x"), RDF.type, CKG.Company)],
    "a stake of 150 per cent": [
        (URIRef(KGR + "fact/x/1"), RDF.type, CKG.Stake),
        (URIRef(KGR + "fact/x/1"), CKG.percentage, Literal("150", datatype=XSD.decimal))],
    "a company given a site's location": [
        (URIRef(KGR + "org/y"), RDF.type, CKG.Company),
        (URIRef(KGR + "fact/y/1"), RDF.type, CKG.SiteLocation),
        (URIRef(KGR + "fact/y/1"), CKG.subject, URIRef(KGR + "org/y")),
        (URIRef(KGR + "fact/y/1"), CKG.object, URIRef(KGR + "place/z"))],
}


@needs_java
@pytest.mark.parametrize("case", list(CONTRADICTIONS))
def test_hermit_reports_contradictions(case, tmp_path):
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(with_ontology(*CONTRADICTIONS[case]), tmp_path, "bad")


def test_blank_node_free_chains_use_only_declared_role_properties(onto):
    for chain in onto.objects(None, OWL.propertyChainAxiom):
        for step in Collection(onto, chain):
            prop = onto.value(step, OWL.inverseOf) if isinstance(step, BNode) else step
            assert (prop, RDF.type, OWL.ObjectProperty) in onto, prop


@needs_java
def test_the_sample_releases_are_consistent_and_classified(tmp_path):
    """The whole pipeline on data/releases (load, extract, resolve, RDF) gives data the
    reasoner accepts, with listed companies and subsidiaries inferred."""
    from kg.extract import extract_facts
    from kg.releases import load_paths
    from kg.resolve import load_registry

    releases, _ = load_paths([ROOT / "data" / "releases"])
    assert releases
    per_release = [(release, extract_facts(release)) for release in releases]
    resolution = resolve([f for _, facts in per_release for f in facts], load_registry(ROOT / "data" / "entities.yaml"),
                         releases=releases)
    data = rdflib.Graph()
    for release, facts in per_release:
        data += release_graph(release, facts, resolution.release_view(release, facts))
    data += registry_graph(resolution.registry_view())  # what the registry says
    world = reason(with_ontology(*data), tmp_path, "samples")  # raises if inconsistent
    assert list(world[CKG_IRI + "ListedCompany"].instances())
    assert list(world[CKG_IRI + "Subsidiary"].instances())

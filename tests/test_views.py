"""kg.views.company_graph on hand-made RDF in the shape of docs/CONTRACTS.md."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from sample_graphs import CKG, KGR, XSS_EVIDENCE, XSS_NAME, sample_dataset

from kg.errors import KgError
from kg.views import company_graph, entity_kind

ORG = "https://w3id.org/corporate-kg/id/org/"


@pytest.fixture(scope="module")
def dataset():
    return sample_dataset(hostile=True)


@pytest.fixture(scope="module")
def graph(dataset):
    return company_graph(dataset)


def _facts(ds: rdflib.Dataset):
    """Fact nodes and their subject/object/value, read with plain triple patterns."""
    facts = {}
    for g in ds.graphs():
        for fact, _, subject in g.triples((None, CKG.subject, None)):
            facts[fact] = (subject, g.value(fact, CKG.object), g.value(fact, CKG.value))
    return facts


def test_one_node_per_entity_and_one_edge_per_fact(dataset, graph):
    facts = _facts(dataset)
    entities = {s for s, _, _ in facts.values()} | {o for _, o, _ in facts.values() if o}
    for g in dataset.graphs():
        entities |= set(g.objects(None, rdflib.namespace.DCTERMS.publisher))
    assert set(graph.nodes) == {str(e) for e in entities}
    with_object = {str(f) for f, (_, o, _) in facts.items() if o is not None}
    assert {k for _, _, k in graph.edges(keys=True)} == with_object
    # literal values never become nodes
    assert not any(str(v) in graph for _, _, v in facts.values() if v is not None)


def test_edge_carries_relation_qualifiers_and_provenance(graph):
    [(key, data)] = graph.get_edge_data(ORG + "gotion", ORG + "vw-china").items()
    assert key == str(KGR["fact/vw-gotion-2020-05-28/1"])
    assert data["relation"] == "P127"
    assert data["term"] == str(CKG.ownedBy)
    assert data["name"] == "ownedBy"
    assert data["percent"] == 26.0
    assert data["release"] == "vw-gotion-2020-05-28"
    assert data["release_title"] == "Volkswagen becomes largest shareholder of Gotion"
    assert data["release_date"] == "2020-05-28"
    assert data["evidence"] == "Volkswagen China will own 26% of Gotion High-Tech."
    assert data["evidence_end"] == len(data["evidence"])
    assert data["confidence"] == pytest.approx(0.9)
    assert data["extractor"] == "rule"


def test_deal_status_and_other_qualifiers(graph):
    acquires = [d for d in graph.get_edge_data(ORG + "weiqiao", ORG + "baw").values()
                if d["name"] == "acquires"]
    assert [d["status"] for d in acquires] == ["planned"]
    assert acquires[0]["confidence"] == pytest.approx(0.85)
    [supply] = graph.get_edge_data(ORG + "catl", ORG + "mercedes").values() and [
        d for d in graph.get_edge_data(ORG + "catl", ORG + "mercedes").values()
        if d["name"] == "supplies"]
    assert supply["qualifiers"]["product"] == str(KGR["product/cells"])
    [listing] = graph.get_edge_data(ORG + "hongqiao", str(KGR["exchange/hkex"])).values()
    assert listing["qualifiers"]["ticker"] == "1378"


def test_literal_facts_are_node_attributes(graph):
    weiqiao = graph.nodes[ORG + "weiqiao"]
    [employees] = weiqiao["employeeCount"]
    assert employees["value"] == 100000
    assert employees["qualifiers"]["bound"] == "more than"
    assert employees["evidence"] == "More than 100,000 people work for the group."
    assert [v["value"] for v in weiqiao["productionSiteCount"]] == [12]
    base = graph.nodes[str(KGR["site/nev-base"])]
    capacities = sorted(v["value"] for v in base["productionCapacity"])
    assert capacities == [500000, 1000000]
    assert base["productionValue"][0]["qualifiers"]["unit"] == "CNY"
    assert graph.nodes[ORG + "baw"]["foundingYear"][0]["value"] == "1951"
    assert graph.graph["literal_attributes"]["employeeCount"] == "employee count"


def test_entity_label_kind_aliases_wikidata(graph):
    weiqiao = graph.nodes[ORG + "weiqiao"]
    assert weiqiao["label"] == "Weiqiao Pioneering Group"
    assert weiqiao["aliases"] == ["Shandong Weiqiao Pioneering Group", "Weiqiao"]
    assert weiqiao["wikidata"] == "Q10929113"
    assert weiqiao["type"] == "CorporateGroup"
    kinds = {n.rsplit("/", 1)[-1]: k for n, k in graph.nodes(data="kind")}
    assert kinds["weiqiao"] == "group"
    assert kinds["hongqiao"] == "listed company"  # by class
    assert kinds["gotion"] == "listed company"  # by its listedOn fact
    assert kinds["baw"] == "company"  # a Manufacturer
    assert kinds["bo-zhang"] == "person"
    assert kinds["qingdao"] == kinds["shandong"] == kinds["debrecen"] == "place"
    assert kinds["nev-base"] == kinds["debrecen-plant"] == "site"
    assert kinds["hkex"] == "exchange"
    assert kinds["nev"] == "product"
    assert kinds["textile"] == "industry"


def test_entity_kind_falls_back_to_the_iri_path():
    assert entity_kind(str(KGR["site/x"]), []) == "site"
    assert entity_kind("http://example.org/x", []) == "other"
    assert entity_kind("http://example.org/x", ["http://example.org/Thing"]) == "other"


def test_hostile_names_are_kept_as_data(graph):
    assert graph.nodes[ORG + "xss"]["label"] == XSS_NAME
    [employees] = graph.nodes[ORG + "xss"]["employeeCount"]
    assert employees["evidence"] == XSS_EVIDENCE


def test_releases_are_listed(graph):
    releases = graph.graph["releases"]
    assert len(releases) == 7
    assert releases["catl-debrecen-2022-08-12"]["publisher"] == ORG + "catl"


class PyoxigraphSource:
    """A minimal Store stand-in on a raw pyoxigraph store (default graph NOT the union)."""

    def __init__(self, ds: rdflib.Dataset):
        self.store = ox.Store()
        self.store.load(ds.serialize(format="nquads").encode(), ox.RdfFormat.N_QUADS)

    @staticmethod
    def _term(t):
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        return Literal(t.value, datatype=URIRef(t.datatype.value))

    def query(self, sparql, bindings=None):
        assert not bindings
        result = self.store.query(sparql)
        names = [v.value for v in result.variables]
        return [{n: self._term(s[n]) for n in names if s[n] is not None} for s in result]


def _comparable(G):
    nodes = {n: (d["label"], d["kind"], tuple(d["aliases"])) for n, d in G.nodes(data=True)}
    edges = {(u, v, k, d["relation"], d["percent"], d["evidence"])
             for u, v, k, d in G.edges(keys=True, data=True)}
    return nodes, edges


def test_same_graph_from_a_sparql_engine(dataset, graph):
    from_oxigraph = company_graph(PyoxigraphSource(dataset))
    assert _comparable(from_oxigraph) == _comparable(graph)


def test_same_graph_from_the_project_store(dataset, graph):
    from kg.store import open_store

    store = open_store("memory:")
    try:
        vocabulary = rdflib.Graph()
        for t in dataset.default_graph:
            vocabulary.add(t)
        store.load_release(str(KGR["release/vocabulary"]), vocabulary, "0")
        for g in dataset.graphs():
            if isinstance(g.identifier, URIRef) and "/release/" in str(g.identifier):
                sha = hashlib.sha256(g.serialize(format="nt").encode()).hexdigest()
                store.load_release(str(g.identifier), g, sha)
        assert _comparable(company_graph(store)) == _comparable(graph)
    finally:
        store.close()


def test_an_empty_store_gives_an_empty_graph():
    G = company_graph(rdflib.Dataset())
    assert G.number_of_nodes() == G.number_of_edges() == 0


def test_a_source_without_query_is_refused():
    with pytest.raises(KgError, match="no query"):
        company_graph(object())


def test_the_most_specific_class_names_the_type():
    from sample_graphs import Sample

    s = Sample()
    s.entity("a", "org", "Alpha Holdings", "Company")
    s.entity("b", "org", "Beta Group", "CorporateGroup")
    for cls in ("Agent", "Organization", "Company"):  # what kg.rdf adds: the superclasses
        s.ds.add((s.entities["b"], rdflib.RDF.type, CKG[cls]))
    s.release("r", "A release", "2024-01-01")
    s.fact("r", "a", "P749", "b", evidence="Alpha belongs to Beta.")
    G = company_graph(s.ds)
    assert G.nodes[ORG + "b"]["type"] == "CorporateGroup"
    assert G.nodes[ORG + "b"]["kind"] == "group"
    assert G.nodes[ORG + "a"]["type"] == "Company"

"""Store -> NetworkX views of the knowledge graph.

``company_graph(source)`` reads the fact nodes (the n-ary ``ckg:Statement`` pattern of
docs/CONTRACTS.md) and turns them into a :class:`networkx.MultiDiGraph`:

* one node per entity, keyed by its IRI, with ``label``, ``kind`` (the legend class:
  ``group``, ``company``, ``listed company``, ``person``, ``place``, ``site``,
  ``exchange``, ``product``, ``industry`` or ``other``), ``types`` (class IRIs),
  ``aliases``, ``wikidata`` and ``identifiers``;
* one edge per fact between two entities, keyed by the fact IRI, carrying the relation
  and its qualifiers and the fact's provenance (release, evidence sentence, confidence,
  extractor);
* literal-valued facts (capacity, employees, founding year, production value, revenue,
  counts) become node attributes: a list of value records under the ontology term's local
  name, e.g. ``G.nodes[iri]["employeeCount"] == [{"value": 100000, "bound": "more than",
  "release": ..., "evidence": ..., ...}]``.

The source is anything with ``query(sparql, bindings=None)`` returning SELECT rows as
dicts of rdflib terms (the ``Store`` of docs/CONTRACTS.md), or an rdflib ``Graph`` /
``Dataset``.  The queries are constants: no value is ever spliced into them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any, Protocol

import networkx as nx
import rdflib
from rdflib import RDF, RDFS, SKOS, Literal, URIRef
from rdflib.term import Node

from kg.errors import KgError, OntologyError

CKG = "https://w3id.org/corporate-kg/ontology#"
KGR = "https://w3id.org/corporate-kg/id/"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

# The legend classes, most specific first: an entity shows as the first one any of its
# classes (or their superclasses) names.
KINDS = (
    "exchange",
    "listed company",
    "group",
    "company",
    "person",
    "site",
    "place",
    "product",
    "industry",
    "other",
)

# Words in class local names -> legend class (checked in KINDS order).
_KIND_WORDS = {
    "exchange": ("StockExchange", "Exchange"),
    "listed company": ("ListedCompany",),
    "group": ("CorporateGroup", "BusinessGroup", "Conglomerate"),
    "company": ("Company", "Organization", "Organisation", "Corporation", "Subsidiary",
                "Manufacturer", "Enterprise", "Business", "JointVenture"),
    "person": ("Person", "Human"),
    "site": ("Site", "Plant", "Factory", "ProductionBase", "IndustrialBase",
             "IndustrialCluster", "Headquarters", "Facility", "Mine", "Campus",
             "ResearchCentre", "ResearchCenter"),
    "place": ("Place", "City", "Province", "Country", "Region", "State", "Municipality",
              "AdministrativeArea", "Settlement"),
    "product": ("Product", "Vehicle", "Commodity"),
    "industry": ("Industry", "Sector"),
}

# The path segment of a data IRI (kgr:org/<slug>) -> legend class, when no class says more.
_KIND_BY_PATH = {
    "org": "company",
    "person": "person",
    "place": "place",
    "site": "site",
    "product": "product",
    "industry": "industry",
    "exchange": "exchange",
}

# Fact-node properties that are not qualifiers.
_CORE = {
    CKG + "subject", CKG + "object", CKG + "value", CKG + "relation", CKG + "evidence",
    CKG + "evidenceStart", CKG + "evidenceEnd", CKG + "confidence", CKG + "extractor",
    PROV + "wasDerivedFrom", PROV + "wasGeneratedBy", str(RDF.type),
}

# Qualifier local names -> the short keys of the extraction JSONL (docs/CONTRACTS.md), for
# when neither the source nor ontology/corporate.ttl says (ckg:qualifierKey).
_QUALIFIER_KEYS = {"percentage": "percent", "dealStatus": "status"}

_PREFIXES = f"""PREFIX ckg: <{CKG}>
PREFIX prov: <{PROV}>
PREFIX dcterms: <{DCTERMS}>
PREFIX rdf: <{RDF}>
PREFIX rdfs: <{RDFS}>
"""

# Every triple of every fact node, wherever it is (default graph or a release's graph).
FACTS_QUERY = _PREFIXES + """
SELECT DISTINCT ?fact ?p ?o WHERE {
  { ?fact ckg:subject ?s ; ?p ?o . }
  UNION
  { GRAPH ?g { ?fact ckg:subject ?s ; ?p ?o . } }
}
"""

# The triples of the entities that facts talk about, and of release issuers.
ENTITIES_QUERY = _PREFIXES + """
SELECT DISTINCT ?entity ?p ?o WHERE {
  {
    SELECT DISTINCT ?entity WHERE {
      { ?f ckg:subject|ckg:object ?entity . }
      UNION { GRAPH ?g1 { ?f ckg:subject|ckg:object ?entity . } }
      UNION { ?r dcterms:publisher ?entity . }
      UNION { GRAPH ?g2 { ?r dcterms:publisher ?entity . } }
      FILTER(isIRI(?entity))
    }
  }
  { ?entity ?p ?o . } UNION { GRAPH ?g { ?entity ?p ?o . } }
  FILTER(?p IN (rdf:type, rdfs:label, <http://www.w3.org/2004/02/skos/core#prefLabel>,
                <http://www.w3.org/2004/02/skos/core#altLabel>,
                <http://www.w3.org/2002/07/owl#sameAs>, <http://schema.org/sameAs>,
                <https://schema.org/sameAs>,
                <http://www.w3.org/2004/02/skos/core#exactMatch>,
                ckg:lei, ckg:ticker))
}
"""

RELEASES_QUERY = _PREFIXES + """
SELECT DISTINCT ?release ?p ?o WHERE {
  { ?release a ckg:Release ; ?p ?o . }
  UNION
  { GRAPH ?g { ?release a ckg:Release ; ?p ?o . } }
  FILTER(?p IN (dcterms:title, dcterms:date, dcterms:identifier, dcterms:publisher))
}
"""

# Vocabulary the source itself carries (when the ontology is loaded into the store).
VOCABULARY_QUERY = _PREFIXES + """
SELECT DISTINCT ?term ?p ?o WHERE {
  { ?term ?p ?o . } UNION { GRAPH ?g { ?term ?p ?o . } }
  FILTER(?p IN (ckg:guidelineId, ckg:qualifierKey, rdfs:label, rdfs:subClassOf))
  FILTER(STRSTARTS(STR(?term), STR(ckg:)))
}
"""


#: What ``kg view --view NAME`` shows: the relations (ontology local names) of each view;
#: ``all`` shows every relation.  A test checks the names against ontology/corporate.ttl.
VIEWS: dict[str, frozenset[str] | None] = {
    "ownership": frozenset({"subsidiaryOf", "hasSubsidiary", "ownedBy", "ownsStakeIn",
                            "acquires", "jointVentureOf"}),
    "cooperation": frozenset({"cooperatesWith", "supplies", "jointVentureOf"}),
    "structure": frozenset({"subsidiaryOf", "hasSubsidiary", "partOf", "hasPart", "memberOf",
                            "operates", "operatedBy", "listedOn", "headquarteredIn",
                            "location", "locatedInRegion", "chiefExecutiveOfficer",
                            "chairperson", "hasOfficer"}),
    "all": None,
}


def relation_view(G: nx.MultiDiGraph, view: str = "all") -> nx.MultiDiGraph:
    """The part of a company graph one view shows: the facts of its relations and the
    entities they link (``all``: the graph itself).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`company_graph`.
    view : str
        A key of :data:`VIEWS`: ``ownership``, ``cooperation``, ``structure`` or ``all``.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph; its graph attributes are ``G``'s.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "b", name="ownsStakeIn")
    >>> _ = G.add_edge("a", "c", name="cooperatesWith")
    >>> sorted(relation_view(G, "ownership"))
    ['a', 'b']
    """
    if view not in VIEWS:
        raise KgError(f"unknown view {view!r}; use one of: {', '.join(VIEWS)}")
    relations = VIEWS[view]
    if relations is None:
        return G
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    for u, v, key, data in G.edges(keys=True, data=True):
        if data.get("name") in relations:
            for node in (u, v):
                if node not in H:
                    H.add_node(node, **G.nodes[node])
            H.add_edge(u, v, key=key, **data)
    return H


class SparqlSource(Protocol):
    """What ``company_graph`` needs: the ``Store.query`` of docs/CONTRACTS.md."""

    def query(self, sparql: str, bindings: dict | None = None) -> Any: ...


class RdflibSource:
    """Run SPARQL SELECTs on an rdflib Graph or Dataset, answering like ``Store.query``."""

    def __init__(self, graph: rdflib.Graph):
        if isinstance(graph, rdflib.Dataset | rdflib.ConjunctiveGraph):
            self.graph = graph
        else:  # GRAPH ?g patterns need a dataset: a plain graph becomes its default graph
            self.graph = rdflib.Dataset()
            self.graph.default_graph += graph

    def query(self, sparql: str, bindings: dict | None = None) -> list[dict[str, Node]]:
        """Rows of a SELECT as dicts of variable name -> term (unbound variables left out)."""
        result = self.graph.query(sparql, initBindings=bindings or {})
        names = [str(v) for v in result.vars or ()]
        return [
            {name: term for name, term in zip(names, row, strict=True) if term is not None}
            for row in result
        ]


def as_source(source: SparqlSource | rdflib.Graph) -> SparqlSource:
    """Wrap an rdflib Graph/Dataset so that it answers ``query`` like a Store."""
    if isinstance(source, rdflib.Graph):
        return RdflibSource(source)
    if callable(getattr(source, "query", None)):
        return source
    raise KgError(f"company_graph: {type(source).__name__} has no query(sparql) method; "
                  "pass a Store (kg.store.open_store) or an rdflib Graph")


def company_graph(source: SparqlSource | rdflib.Graph) -> nx.MultiDiGraph:
    """Build the entity/fact graph of a store.

    Parameters
    ----------
    source : Store or rdflib.Graph
        Anything with ``query(sparql, bindings=None)`` returning SELECT rows as dicts of
        rdflib terms, or an rdflib ``Graph``/``Dataset`` (named graphs are read too).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are entity IRIs; edges ``(subject, object, fact_iri)`` carry ``relation``
        (guideline id such as ``"P749"``), ``term`` (ontology IRI), ``name`` (its local
        name, ``"subsidiaryOf"``), ``label``, ``percent``, ``status``, ``qualifiers`` and
        provenance (``release``, ``release_title``, ``release_date``, ``evidence``,
        ``confidence``, ``extractor``, ``fact``).  ``G.graph["releases"]`` maps release
        ids to their title and date, ``G.graph["literal_attributes"]`` the node
        attributes made of literal-valued facts to their labels.

    Examples
    --------
    >>> from rdflib import Dataset
    >>> G = company_graph(Dataset())
    >>> G.number_of_nodes()
    0
    """
    src = as_source(source)
    vocab = _vocabulary(src)
    releases = _releases(src)
    facts = _group_rows(src.query(FACTS_QUERY), "fact")
    entities = _group_rows(src.query(ENTITIES_QUERY), "entity")

    G = nx.MultiDiGraph()
    G.graph["releases"] = {r["id"]: {k: v for k, v in r.items() if k != "id"}
                           for r in sorted(releases.values(), key=lambda r: r["id"])}
    G.graph["literal_attributes"] = {}
    for iri, triples in sorted(entities.items()):
        G.add_node(iri, **_entity_attributes(iri, triples, vocab))

    for iri, triples in sorted(facts.items()):
        fact = _fact_record(iri, triples, vocab, releases)
        if fact is None:
            continue
        subject = fact.pop("subject")
        if subject not in G:
            G.add_node(subject, **_entity_attributes(subject, {}, vocab))
        obj = fact.pop("object", None)
        if obj is not None:
            if obj not in G:
                G.add_node(obj, **_entity_attributes(obj, {}, vocab))
            G.add_edge(subject, obj, key=iri, **fact)
        else:
            G.nodes[subject].setdefault(fact["name"], []).append(fact)
            G.graph["literal_attributes"][fact["name"]] = fact["label"]

    # A company listed on an exchange shows as a listed company.
    for u, _v, data in G.edges(data=True):
        if data["name"] == "listedOn" and G.nodes[u]["kind"] == "company":
            G.nodes[u]["kind"] = "listed company"
    for attr in G.graph["literal_attributes"]:
        for _, values in G.nodes(data=attr):
            if values:
                values.sort(key=lambda v: (-v["confidence"], v["release"] or "", v["fact"]))
    return G


# --- reading the rows -------------------------------------------------------------------


def _group_rows(rows: Iterable[dict], key: str) -> dict[str, dict[str, list[Node]]]:
    """``{key: {predicate: [objects]}}`` from ``(key, p, o)`` rows, duplicates dropped."""
    grouped: dict[str, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        subject, p, o = row.get(key), row.get("p"), row.get("o")
        if subject is None or p is None or o is None or not isinstance(subject, URIRef):
            continue
        objects = grouped[str(subject)][str(p)]
        if o not in objects:
            objects.append(o)
    return grouped


def _first(triples: dict[str, list[Node]], predicate: str) -> Node | None:
    values = sorted(triples.get(predicate, ()), key=str)
    return values[0] if values else None


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return re.split(r"[#/]", str(iri).rstrip("/#"))[-1]


def humanize(name: str) -> str:
    """``"subsidiaryOf"`` -> ``"subsidiary of"``; ``"ListedCompany"`` -> ``"listed company"``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ")
    return words.lower()


def python_value(term: Node) -> Any:
    """A literal as int/float/bool where its datatype is numeric, else its lexical form."""
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool | int | float):
            return value
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() and "." not in str(term) \
                else float(value)
        return str(term)
    if isinstance(term, URIRef):
        return str(term)
    return str(term)


def _release_id(iri: str) -> str:
    prefix = KGR + "release/"
    return iri[len(prefix):] if iri.startswith(prefix) else local_name(iri)


def _releases(src: SparqlSource) -> dict[str, dict[str, Any]]:
    releases = {}
    for iri, triples in _group_rows(src.query(RELEASES_QUERY), "release").items():
        title = _first(triples, DCTERMS + "title")
        date = _first(triples, DCTERMS + "date")
        ident = _first(triples, DCTERMS + "identifier")
        publisher = _first(triples, DCTERMS + "publisher")
        releases[iri] = {
            "id": str(ident) if ident is not None else _release_id(iri),
            "iri": iri,
            "title": str(title) if title is not None else None,
            "date": str(date) if date is not None else None,
            "publisher": str(publisher) if publisher is not None else None,
        }
    return releases


# --- vocabulary: guideline ids, labels, class hierarchy ---------------------------------


class _Vocabulary:
    def __init__(self) -> None:
        self.guideline: dict[str, str] = {}
        self.qualifier_key: dict[str, str] = {}
        self.label: dict[str, str] = {}
        self.superclasses: dict[str, set[str]] = defaultdict(set)

    def add(self, term: str, p: str, o: Node) -> None:
        if p == CKG + "guidelineId":
            self.guideline.setdefault(term, str(o))
        elif p == CKG + "qualifierKey":
            self.qualifier_key.setdefault(term, str(o))
        elif p == str(RDFS.label):
            if not isinstance(o, Literal) or o.language in (None, "en"):
                self.label.setdefault(term, str(o))
        elif p == str(RDFS.subClassOf) and isinstance(o, URIRef):
            self.superclasses[term].add(str(o))

    def ancestors(self, cls: str) -> set[str]:
        seen, todo = {cls}, [cls]
        while todo:
            for sup in self.superclasses.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen


@lru_cache(maxsize=1)
def _ontology_terms() -> tuple[tuple[str, str, Node], ...]:
    """``(term, predicate, object)`` of ontology/corporate.ttl, read through kg.vocab."""
    try:
        from kg import vocab
    except ImportError:  # kg.vocab not there: the source's own vocabulary only
        return ()
    try:
        graph = vocab.ontology()
    except OntologyError:
        return ()
    wanted = (URIRef(CKG + "guidelineId"), URIRef(CKG + "qualifierKey"), RDFS.label,
              RDFS.subClassOf)
    return tuple((str(s), str(p), o) for p in wanted for s, o in graph.subject_objects(p)
                 if isinstance(s, URIRef) and str(s).startswith(CKG))


def _vocabulary(src: SparqlSource) -> _Vocabulary:
    vocab = _Vocabulary()
    for row in src.query(VOCABULARY_QUERY):
        vocab.add(str(row["term"]), str(row["p"]), row["o"])
    for term, p, o in _ontology_terms():
        vocab.add(term, p, o)
    return vocab


# --- entities and facts -------------------------------------------------------------------


def entity_kind(iri: str, classes: Iterable[str], vocab: _Vocabulary | None = None) -> str:
    """The legend class of an entity: from its classes (and their superclasses), else its IRI.

    Examples
    --------
    >>> entity_kind("https://w3id.org/corporate-kg/id/org/baw",
    ...             ["https://w3id.org/corporate-kg/ontology#Manufacturer"])
    'company'
    >>> entity_kind("https://w3id.org/corporate-kg/id/place/qingdao", [])
    'place'
    """
    names: set[str] = set()
    for cls in classes:
        for c in (vocab.ancestors(cls) if vocab else {cls}):
            names.add(local_name(c))
    for kind in KINDS[:-1]:
        words = _KIND_WORDS[kind]
        if any(name == w or name.endswith(w) for name in names for w in words):
            return kind
    if iri.startswith(KGR):
        segment = iri[len(KGR):].split("/", 1)[0]
        if segment in _KIND_BY_PATH:
            return _KIND_BY_PATH[segment]
    return "other"


def _most_specific(classes: list[str], vocab: _Vocabulary) -> str | None:
    """The local name of the class no other class of the entity is a subclass of."""
    implied = {sup for c in classes for sup in vocab.ancestors(c) - {c}}
    specific = [c for c in classes if c not in implied] or classes
    specific.sort(key=lambda c: (not c.startswith(CKG), len(vocab.ancestors(c)) * -1, c))
    return local_name(specific[0]) if specific else None


def _entity_attributes(iri: str, triples: dict[str, list[Node]], vocab: _Vocabulary) -> dict:
    labels = sorted(triples.get(str(RDFS.label), ()) or triples.get(str(SKOS.prefLabel), ()),
                    key=lambda t: (getattr(t, "language", None) not in (None, "en"), str(t)))
    label = str(labels[0]) if labels else humanize(local_name(iri)).replace("-", " ")
    aliases = sorted({str(a) for a in triples.get(str(SKOS.altLabel), ())} - {label})
    aliases += sorted({str(x) for x in labels[1:]} - set(aliases) - {label})
    classes = sorted(str(c) for c in triples.get(str(RDF.type), ()) if isinstance(c, URIRef))
    identifiers: dict[str, str] = {}
    for p, objects in triples.items():
        for o in objects:
            if isinstance(o, URIRef) and str(o).startswith(WIKIDATA_ENTITY):
                identifiers.setdefault("wikidata", local_name(str(o)))
            elif isinstance(o, Literal) and p.startswith(CKG):  # ckg:lei, ckg:ticker
                identifiers.setdefault(local_name(p), str(o))
    return {
        "label": label,
        "kind": entity_kind(iri, classes, vocab),
        "types": classes,
        "type": _most_specific(classes, vocab),
        "aliases": aliases,
        "wikidata": identifiers.get("wikidata"),
        "identifiers": identifiers,
    }


def _fact_record(iri: str, triples: dict[str, list[Node]], vocab: _Vocabulary,
                 releases: dict[str, dict]) -> dict | None:
    subject = _first(triples, CKG + "subject")
    relation = _first(triples, CKG + "relation")
    obj = _first(triples, CKG + "object")
    value = _first(triples, CKG + "value")
    if not isinstance(subject, URIRef) or relation is None or (obj is None and value is None):
        return None
    term = str(relation)
    name = local_name(term)
    qualifiers: dict[str, Any] = {}
    for p, objects in sorted(triples.items()):
        if p in _CORE or not objects:
            continue
        key = vocab.qualifier_key.get(p) or _QUALIFIER_KEYS.get(local_name(p), local_name(p))
        o = sorted(objects, key=str)[0]
        if key == "status" and isinstance(o, URIRef):
            qualifiers[key] = local_name(str(o)).lower()
        else:
            qualifiers[key] = python_value(o)
    percent = qualifiers.get("percent")
    release_iri = _first(triples, PROV + "wasDerivedFrom")
    release = releases.get(str(release_iri)) if release_iri is not None else None
    confidence = _first(triples, CKG + "confidence")
    start, end = _first(triples, CKG + "evidenceStart"), _first(triples, CKG + "evidenceEnd")
    statement = sorted(local_name(str(t)) for t in triples.get(str(RDF.type), ()))
    record: dict[str, Any] = {
        "subject": str(subject),
        "fact": iri,
        "relation": vocab.guideline.get(term),
        "term": term,
        "name": name,
        "label": vocab.label.get(term) or humanize(name),
        "statement_class": statement[0] if statement else None,
        "percent": float(percent) if isinstance(percent, int | float) else None,
        "status": qualifiers.get("status"),
        "qualifiers": qualifiers,
        "release": release["id"] if release else (
            _release_id(str(release_iri)) if release_iri is not None else None),
        "release_iri": str(release_iri) if release_iri is not None else None,
        "release_title": release["title"] if release else None,
        "release_date": release["date"] if release else None,
        "evidence": str(_first(triples, CKG + "evidence") or ""),
        "evidence_start": python_value(start) if start is not None else None,
        "evidence_end": python_value(end) if end is not None else None,
        "confidence": float(python_value(confidence)) if confidence is not None else None,
        "extractor": str(_first(triples, CKG + "extractor") or ""),
    }
    if record["confidence"] is None:
        record["confidence"] = 0.0
    if isinstance(obj, URIRef):
        record["object"] = str(obj)
    else:
        lit = value if value is not None else obj
        record["value"] = python_value(lit)
        record["lexical"] = str(lit)
    return record

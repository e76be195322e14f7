"""The project's vocabulary, read from ``ontology/corporate.ttl``.

The Turtle file is the one place where classes, relations and qualifiers are
defined; this module only reads it (see STYLE.md, "the vocabulary lives in one
place").  ``relations()`` maps each guideline relation id (``P749``,
``X-operates``) to a :class:`Relation` built from the shortcut property's
``ckg:guidelineId``, ``skos:exactMatch wdt:Pnnn`` and ``ckg:statementClass``
annotations; ``qualifiers()`` maps the JSON qualifier keys (``percent``,
``status``) to their properties through ``ckg:qualifierKey``.

Examples
--------
>>> relations()["P749"].curie
'ckg:subsidiaryOf'
>>> json_relation_id(relations()["X-operates"])
'X-operates'
>>> term("Subsidiary")
rdflib.term.URIRef('https://w3id.org/corporate-kg/ontology#Subsidiary')
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from kg.errors import OntologyError

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
ONTOLOGY_PATH = ONTOLOGY_DIR / "corporate.ttl"
SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"

CKG_IRI = "https://w3id.org/corporate-kg/ontology#"
KGR_IRI = "https://w3id.org/corporate-kg/id/"
ONTOLOGY_IRI = URIRef("https://w3id.org/corporate-kg/ontology")

KGR = Namespace(KGR_IRI)
WDT = Namespace("http://www.wikidata.org/prop/direct/")
WD = Namespace("http://www.wikidata.org/entity/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")

_RAW = Namespace(CKG_IRI)  # unchecked; only for reading the annotations below
_DECLARATIONS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)
_lock = threading.Lock()


class _OntologyNamespace(Namespace):
    """A namespace whose attribute and item access (``CKG.subsidiaryOf``,
    ``CKG["Stake"]``) raise OntologyError for a term the ontology lacks.

    Use item access for the terms that clash with ``str`` methods
    (``CKG["title"]``, ``CKG["count"]``): attribute access to those names
    returns the ``str`` method, not the term.
    """

    def term(self, name: str) -> URIRef:
        return term(name)


CKG = _OntologyNamespace(CKG_IRI)


@dataclass(frozen=True)
class Relation:
    """One guideline relation and the ontology terms that carry it.

    ``id`` is the guideline id (``P749``, ``X-operates``); ``term`` the shortcut
    property; ``wikidata`` its aligned Wikidata property id or None;
    ``node_class`` the n-ary ckg:Statement subclass of its fact nodes; ``literal``
    is true for data properties (``ckg:value`` instead of ``ckg:object``);
    ``inverse`` is the guideline id of the inverse property, if any.
    ``subject_type`` / ``object_type`` are the entity types the domain and range
    suggest, ``subject_types`` / ``object_types`` every type they admit.
    ``canonical`` is false for inverse-only properties (``P355``): their facts are
    stored as nodes of the inverse relation with subject and object swapped.
    """

    id: str
    term: URIRef
    curie: str
    wikidata: str | None
    node_class: URIRef
    label: str
    literal: bool
    symmetric: bool
    inverse: str | None
    canonical: bool = True
    datatype: URIRef | None = None
    subject_type: str = "ORG"
    object_type: str | None = None
    subject_types: frozenset[str] = frozenset()  # entity types the domain admits
    object_types: frozenset[str] = frozenset()  # entity types the range admits


@dataclass(frozen=True)
class Qualifier:
    """A qualifier key of the JSON facts and the property that holds it on a node."""

    key: str
    term: URIRef
    curie: str
    object: bool  # an object property (status, product) rather than a literal
    datatype: URIRef | None  # the datatype of the literal, None for object qualifiers
    minimum: Literal | None = None
    maximum: Literal | None = None


@lru_cache(maxsize=1)
def ontology() -> Graph:
    """The ontology graph, parsed once from ``ontology/corporate.ttl``."""
    with _lock:
        if not ONTOLOGY_PATH.is_file():
            raise OntologyError(f"{ONTOLOGY_PATH.name}: ontology file not found in {ONTOLOGY_DIR.name}/")
        graph = Graph()
        try:
            graph.parse(ONTOLOGY_PATH, format="turtle")
        except Exception as err:  # rdflib raises several parser exception types
            raise OntologyError(f"ontology/{ONTOLOGY_PATH.name}: does not parse: {err}") from err
        return graph


@lru_cache(maxsize=1)
def _declared() -> frozenset[URIRef]:
    graph = ontology()
    return frozenset(
        s
        for kind in _DECLARATIONS
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(CKG_IRI)
    )


def terms() -> frozenset[URIRef]:
    """Every ckg: term the ontology declares (classes, properties, individuals)."""
    return _declared()


def term(local_name: str) -> URIRef:
    """The IRI of the ckg: term ``local_name``; OntologyError if the ontology lacks it."""
    name = local_name.removeprefix("ckg:")
    iri = URIRef(CKG_IRI + name)
    if iri not in _declared():
        raise OntologyError(
            f"ontology/corporate.ttl: no term ckg:{name}; add it to the ontology or fix the name"
        )
    return iri


def curie(iri: URIRef | str) -> str:
    """The ``ckg:`` curie of a ckg: IRI (``ckg:Stake``), the IRI itself otherwise."""
    text = str(iri)
    return "ckg:" + text[len(CKG_IRI):] if text.startswith(CKG_IRI) else text


def label(iri: URIRef) -> str:
    """The English rdfs:label of a term (the local name when it has none)."""
    for value in ontology().objects(iri, RDFS.label):
        return str(value)
    return str(iri).rsplit("#", 1)[-1]


def _one(graph: Graph, subject, predicate):
    return next(iter(graph.objects(subject, predicate)), None)


@lru_cache(maxsize=1)
def _entity_types() -> dict[URIRef, str]:
    graph = ontology()
    return {s: str(o) for s, o in graph.subject_objects(_RAW.entityType) if isinstance(s, URIRef)}


def _named_parents(graph: Graph, cls: URIRef) -> list[URIRef]:
    """Direct named superclasses: rdfs:subClassOf, and the named conjuncts of a
    defined class (``Subsidiary == Company and ...`` gives Company)."""
    parents = [p for p in graph.objects(cls, RDFS.subClassOf) if isinstance(p, URIRef)]
    for definition in graph.objects(cls, OWL.equivalentClass):
        conjuncts = _one(graph, definition, OWL.intersectionOf)
        if conjuncts is not None:
            parents.extend(m for m in Collection(graph, conjuncts) if isinstance(m, URIRef))
    return sorted(p for p in parents if str(p).startswith(CKG_IRI))


@lru_cache(maxsize=512)
def superclasses(cls: URIRef) -> tuple[URIRef, ...]:
    """``cls`` and its named ckg: superclasses, most specific first (breadth first)."""
    graph = ontology()
    seen: list[URIRef] = []
    queue = [cls]
    while queue:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.append(current)
        queue.extend(_named_parents(graph, current))
    return tuple(seen)


@lru_cache(maxsize=512)
def entity_type_for_class(cls: URIRef) -> str | None:
    """The guideline entity type (ORG, FAC, ...) of a class, via its superclasses."""
    types = _entity_types()
    for candidate in superclasses(cls):
        if candidate in types:
            return types[candidate]
    return None


def classes_for_type(entity_type: str) -> tuple[URIRef, ...]:
    """The ckg: classes an entity of guideline type ``entity_type`` belongs to.

    The base class carrying ``ckg:entityType`` comes first, then its named
    superclasses: ``classes_for_type("EXCHANGE")`` gives StockExchange,
    Organization, Agent.  OntologyError for a type no class carries.
    """
    for cls, value in sorted(_entity_types().items()):
        if value == entity_type:
            return superclasses(cls)
    known = ", ".join(sorted(set(_entity_types().values())))
    raise OntologyError(f"ontology/corporate.ttl: no class for entity type {entity_type!r} (known: {known})")


def _class_members(graph: Graph, node) -> list[URIRef]:
    """Named classes of a class expression: the class itself or the members of a union."""
    if isinstance(node, URIRef):
        return [node]
    union = _one(graph, node, OWL.unionOf)
    if union is None:
        return []
    return [m for m in Collection(graph, union) if isinstance(m, URIRef)]


def _type_of(graph: Graph, node) -> str | None:
    for cls in _class_members(graph, node):
        found = entity_type_for_class(cls)
        if found:
            return found
        for member in _class_members(graph, _one(graph, cls, OWL.equivalentClass) or BNode()):
            found = entity_type_for_class(member)
            if found:
                return found
    return None


def _types_of(graph: Graph, node) -> frozenset[str]:
    """Every entity type whose entities a class expression admits (a union's members,
    their subclasses; "MISC" for a class outside the typed ones, such as Event)."""
    members: list[URIRef] = []
    for cls in _class_members(graph, node):
        members.extend(_class_members(graph, _one(graph, cls, OWL.equivalentClass) or BNode()) or [cls])
    found: set[str] = set()
    for cls in members:
        own = entity_type_for_class(cls)
        found.update(t for sub, t in _entity_types().items() if cls in superclasses(sub))
        if own is not None:
            found.add(own)
        elif not any(cls in superclasses(sub) for sub in _entity_types()):
            found.add("MISC")
    return frozenset(found)


def _datatype(graph: Graph, prop: URIRef) -> tuple[URIRef | None, Literal | None, Literal | None]:
    """The value datatype of a data property and its min/max facets, if any."""
    declared = _one(graph, prop, _RAW.valueDatatype)
    if isinstance(declared, URIRef):
        return declared, None, None
    rng = _one(graph, prop, RDFS.range)
    if isinstance(rng, URIRef):
        return (None if rng == RDFS.Literal else rng), None, None
    if rng is None:
        return None, None, None
    base = _one(graph, rng, OWL.onDatatype)
    low = high = None
    facets = _one(graph, rng, OWL.withRestrictions)
    if facets is not None:
        for facet in Collection(graph, facets):
            found_low = _one(graph, facet, XSD.minInclusive)
            found_high = _one(graph, facet, XSD.maxInclusive)
            low = found_low if found_low is not None else low
            high = found_high if found_high is not None else high
    return base, low, high


def _wikidata_id(graph: Graph, prop: URIRef) -> str | None:
    for match in graph.objects(prop, SKOS.exactMatch):
        if str(match).startswith(str(WDT)):
            return str(match)[len(str(WDT)):]
    return None


@lru_cache(maxsize=1)
def _relations() -> dict[str, Relation]:
    graph = ontology()
    by_term: dict[URIRef, str] = {}
    for prop, gid in graph.subject_objects(_RAW.guidelineId):
        if str(gid) in by_term.values():
            raise OntologyError(f"ontology/corporate.ttl: guideline id {gid} is on two properties")
        by_term[prop] = str(gid)
    found: dict[str, Relation] = {}
    for prop, gid in sorted(by_term.items(), key=lambda item: item[1]):
        inverse_term = next(
            (o for o in graph.objects(prop, OWL.inverseOf) if o in by_term),
            next((s for s in graph.subjects(OWL.inverseOf, prop) if s in by_term), None),
        )
        node_class = _one(graph, prop, _RAW.statementClass)
        canonical = node_class is not None
        if node_class is None and inverse_term is not None:
            node_class = _one(graph, inverse_term, _RAW.statementClass)
        if node_class is None:
            raise OntologyError(
                f"ontology/corporate.ttl: {curie(prop)} has no ckg:statementClass (nor an inverse with one)"
            )
        literal = (prop, RDF.type, OWL.DatatypeProperty) in graph
        datatype = _datatype(graph, prop)[0] if literal else None
        found[gid] = Relation(
            id=gid,
            term=prop,
            curie=curie(prop),
            wikidata=_wikidata_id(graph, prop),
            node_class=node_class,
            label=label(prop),
            literal=literal,
            symmetric=(prop, RDF.type, OWL.SymmetricProperty) in graph,
            inverse=by_term.get(inverse_term) if inverse_term is not None else None,
            canonical=canonical,
            datatype=datatype,
            subject_type=_type_of(graph, _one(graph, prop, RDFS.domain)) or "ORG",
            object_type=None if literal else _type_of(graph, _one(graph, prop, RDFS.range)),
            subject_types=_types_of(graph, _one(graph, prop, RDFS.domain)),
            object_types=frozenset() if literal else _types_of(graph, _one(graph, prop, RDFS.range)),
        )
    return found


def relations() -> dict[str, Relation]:
    """Guideline relation id -> Relation, read from the ontology's annotations."""
    return dict(_relations())


def relation(name: str) -> Relation:
    """The Relation for a guideline id (``P749``), a curie (``ckg:subsidiaryOf``),
    a local name (``subsidiaryOf``) or a full IRI; OntologyError if none."""
    table = _relations()
    if name in table:
        return table[name]
    wanted = name if name.startswith("http") else CKG_IRI + name.removeprefix("ckg:")
    for rel in table.values():
        if str(rel.term) == wanted:
            return rel
    raise OntologyError(f"ontology/corporate.ttl: no relation {name!r} (no ckg:guidelineId for it)")


def json_relation_id(rel: Relation | str) -> str:
    """The id the JSON facts carry in ``wikidata``: the Wikidata property, else the guideline id."""
    found = rel if isinstance(rel, Relation) else relation(rel)
    return found.wikidata or found.id


@lru_cache(maxsize=1)
def _qualifiers() -> dict[str, Qualifier]:
    graph = ontology()
    found: dict[str, Qualifier] = {}
    for prop, key in sorted(graph.subject_objects(_RAW.qualifierKey)):
        is_object = (prop, RDF.type, OWL.ObjectProperty) in graph
        datatype, low, high = (None, None, None) if is_object else _datatype(graph, prop)
        found[str(key)] = Qualifier(str(key), prop, curie(prop), is_object, datatype, low, high)
    return found


def qualifiers() -> dict[str, Qualifier]:
    """JSON qualifier key (``percent``, ``status``) -> Qualifier, read from ckg:qualifierKey."""
    return dict(_qualifiers())


@lru_cache(maxsize=1)
def _deal_statuses() -> dict[str, URIRef]:
    graph = ontology()
    return {
        str(graph.value(ind, SKOS.notation)).casefold(): ind
        for ind in graph.subjects(RDF.type, _RAW.DealStatus)
        if graph.value(ind, SKOS.notation) is not None
    }


def deal_status(value: str) -> URIRef:
    """The ckg:DealStatus individual for ``planned`` / ``agreed`` / ``completed`` / ``cancelled``."""
    found = _deal_statuses().get(value.strip().casefold())
    if found is None:
        known = ", ".join(sorted(_deal_statuses()))
        raise OntologyError(f"ontology/corporate.ttl: no deal status {value!r} (known: {known})")
    return found


def deal_statuses() -> dict[str, URIRef]:
    """Notation (``planned``) -> ckg:DealStatus individual."""
    return dict(_deal_statuses())


def version() -> str:
    """The ontology's owl:versionInfo."""
    return str(ontology().value(ONTOLOGY_IRI, OWL.versionInfo) or "")


def __getattr__(name: str):
    # kg.model's docstring speaks of kg.vocab.RELATIONS: keep it as a lazy alias.
    if name == "RELATIONS":
        return relations()
    raise AttributeError(f"module 'kg.vocab' has no attribute {name!r}")

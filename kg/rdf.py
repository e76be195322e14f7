"""Release + facts + resolved entities -> the RDF graph of one release (its named graph).

The writer receives plain data (``kg.model.ResolvedRelease``, ``EntityDescription``)
once resolution has finished, and never calls back into it.

One graph per release (IRI ``kgr:release/<id>``), holding:

- the release node (``ckg:Release``, ``prov:Entity``) with title, date, SHA-256,
  source, dateline place and issuer;
- the extraction activity (``prov:Activity``) that used the release, associated
  with the corporate-kg software agent of this version;
- one node per fact (``kgr:fact/<id>/<n>``) typed with its n-ary class and that
  class's named superclasses, holding ``ckg:subject``, ``ckg:relation``,
  ``ckg:object`` or ``ckg:value``, the qualifiers, the evidence sentence and its
  offsets, the confidence and the extractor, ``prov:wasDerivedFrom`` the release
  and ``prov:wasGeneratedBy`` the activity;
- the materialised binary shortcut of each fact (``subject shortcut object`` or
  ``subject shortcut value``; both directions for a symmetric relation);
- a description of every entity the graph mentions: types, canonical label and the
  other names this release uses for it (``skos:altLabel``).

What the alias registry says (its aliases, identifiers such as Wikidata as
``owl:sameAs``, classes, "located in") is in one graph of its own,
``kgr:registry/entities`` (:func:`registry_graph`), never in a release graph.

Facts of an inverse-only relation (``P355`` has subsidiary) become nodes of the
canonical direction (``P749`` subsidiary of) with subject and object swapped.
Output is deterministic: the same inputs give the same triples and IRIs, with no
blank nodes.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

import kg
from kg import vocab
from kg.errors import KgError, OntologyError
from kg.model import EntityDescription, Fact, Release, ResolvedRelease

log = logging.getLogger(__name__)

CKG, KGR, PROV, SCHEMA, WD = vocab.CKG, vocab.KGR, vocab.PROV, vocab.SCHEMA, vocab.WD
KGR_IRI = vocab.KGR_IRI

_RELEASE_IRI = re.compile(r"^" + re.escape(vocab.KGR_IRI) + r"release/[A-Za-z0-9._~%-]+$")
_DERIVED_IRI = re.compile(
    r"^" + re.escape(vocab.KGR_IRI) + r"(?:fact/[A-Za-z0-9._~%-]+/[1-9][0-9]*"
    r"|extraction/[A-Za-z0-9._~%-]+|software/corporate-kg/[0-9A-Za-z.+-]+)$"
)
_SCALES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "mn": 10**6, "m": 10**6,
           "billion": 10**9, "bn": 10**9, "trillion": 10**12}
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_TEMPORAL = (XSD.date, XSD.gYear, XSD.gYearMonth)


def _segment(release_id: str) -> str:
    if not release_id or not release_id.strip():
        raise KgError("release id is empty; give the release an id (file name or front matter 'id')")
    text = quote(release_id, safe="")
    return text.replace(".", "%2E") if set(release_id) == {"."} else text


def release_iri(release_id: str) -> URIRef:
    """``kgr:release/<id>``: the release node and the named graph of its triples."""
    iri = f"{vocab.KGR_IRI}release/{_segment(release_id)}"
    if not _RELEASE_IRI.match(iri):
        raise KgError(f"refusing to mint release IRI {iri!r}")
    return URIRef(iri)


def _derived(iri: str) -> URIRef:
    if not _DERIVED_IRI.match(iri):
        raise KgError(f"refusing to mint IRI {iri!r}")
    return URIRef(iri)


def fact_iri(release_id: str, number: int) -> URIRef:
    """``kgr:fact/<release id>/<n>``, n counting a release's facts from 1."""
    return _derived(f"{vocab.KGR_IRI}fact/{_segment(release_id)}/{int(number)}")


def extraction_iri(release_id: str) -> URIRef:
    """The PROV activity that extracted a release's facts."""
    return _derived(f"{vocab.KGR_IRI}extraction/{_segment(release_id)}")


def software_iri(version: str = kg.__version__) -> URIRef:
    """The PROV software agent: corporate-kg at ``version``."""
    return _derived(f"{vocab.KGR_IRI}software/corporate-kg/{quote(version, safe='.+-')}")


# --------------------------------------------------------------------------- literals


def parse_number(text: str) -> Decimal | None:
    """A number as releases and extractors write it: "100,000", "1.5 million", "34%".

    >>> parse_number("100,000"), parse_number("1.5 million"), parse_number("about")
    (Decimal('100000'), Decimal('1500000'), None)
    """
    cleaned = str(text).strip().casefold().replace(",", "").replace("\u00a0", " ").replace("_", "")
    match = re.fullmatch(r"[~≈]?\s*([+-]?\d+(?:\.\d+)?)\s*(%|percent|per cent|[a-z]+)?", cleaned)
    if not match:
        return None
    scale = match.group(2)
    if scale and scale not in ("%", "percent", "per cent") and scale not in _SCALES:
        return None
    try:
        number = Decimal(match.group(1))
    except InvalidOperation:
        return None
    if scale in _SCALES:
        number *= _SCALES[scale]
    return Decimal(format(number.normalize(), "f"))


def _decimal_literal(number: Decimal) -> Literal:
    text = format(number.normalize(), "f")
    return Literal(text, datatype=XSD.decimal)


def temporal_literal(text: str, datatype: URIRef) -> Literal | None:
    """A date-ish string typed as precisely as it is written (gYear, gYearMonth, date).

    With ``datatype`` xsd:gYear only the year is kept.

    >>> temporal_literal("2023-04-11", XSD.date).datatype == XSD.date
    True
    >>> str(temporal_literal("in 1951", XSD.gYear))
    '1951'
    """
    value = str(text).strip()
    if datatype == XSD.gYear:
        match = re.search(r"(?<!\d)(1[0-9]{3}|2[0-9]{3})(?!\d)", value)
        return Literal(match.group(1), datatype=XSD.gYear) if match else None
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        return Literal(value, datatype=XSD.gYearMonth)
    try:
        return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
    except ValueError:
        return None


def typed_literal(text: str, datatype: URIRef | None) -> Literal | None:
    """``text`` as a literal of ``datatype``; None if it does not fit."""
    if datatype in (None, XSD.string, RDFS.Literal):
        return Literal(str(text))
    if datatype in _TEMPORAL:
        return temporal_literal(text, datatype)
    if datatype in (XSD.decimal, XSD.integer, XSD.nonNegativeInteger):
        number = parse_number(text)
        if number is None:
            return None
        if datatype == XSD.decimal:
            return _decimal_literal(number)
        if number != number.to_integral_value() or (datatype == XSD.nonNegativeInteger and number < 0):
            return None
        return Literal(str(int(number)), datatype=datatype)
    return Literal(str(text), datatype=datatype)


# --------------------------------------------------------------------------- graph


def _new_graph(identifier: URIRef) -> Graph:
    graph = Graph(identifier=identifier)
    for prefix, namespace in (
        ("ckg", vocab.CKG_IRI), ("kgr", vocab.KGR_IRI), ("prov", str(PROV)), ("schema", str(SCHEMA)),
        ("wd", str(WD)), ("dcterms", str(DCTERMS)), ("skos", str(SKOS)), ("owl", str(OWL)),
    ):
        graph.bind(prefix, namespace, override=True)
    return graph


class _Builder:
    """Collects one graph's triples; entities are described once each."""

    def __init__(self, identifier: URIRef, entities=()):
        self.identifier = identifier
        self.triples: set[tuple] = set()
        self.entities = {e.iri: e for e in entities}
        self.described: set[str] = set()
        self.qualifiers = vocab.qualifiers()

    def add(self, s, p, o) -> None:
        self.triples.add((s, p, o))

    @property
    def graph(self) -> Graph:
        graph = _new_graph(self.identifier)
        for triple in self.triples:
            graph.add(triple)
        return graph

    def describe(self, iri: str) -> URIRef:
        """``iri``'s description (types, label, aliases, identifiers, located in), once."""
        node = URIRef(iri)
        if iri in self.described:
            return node
        self.described.add(iri)
        entity: EntityDescription = self.entities[iri]
        classes: list[URIRef] = []
        for local in entity.classes:
            classes.extend(vocab.superclasses(vocab.term(local)))
        if not classes or any(vocab.entity_type_for_class(c) for c in classes):
            # the type's base class, unless the registry gives a class outside the typed ones (an Event)
            classes.extend(vocab.classes_for_type(entity.type))
        for cls in dict.fromkeys(classes):
            self.add(node, RDF.type, cls)
        self.add(node, RDFS.label, Literal(entity.name))
        for alias in sorted(set(entity.aliases) - {entity.name}):
            self.add(node, SKOS.altLabel, Literal(alias))
        for key, value in sorted(entity.identifiers):
            if key == "wikidata":
                self.add(node, OWL.sameAs, WD[value])
                self.add(node, SCHEMA.sameAs, WD[value])
            elif key == "lei":
                self.add(node, CKG.lei, Literal(value))
            elif key == "ticker":
                self.add(node, CKG.ticker, Literal(value))
            else:
                self.add(node, DCTERMS.identifier, Literal(f"{key}:{value}"))
        larger = entity.located_in
        if larger and larger in self.entities:
            link = {"LOC": CKG.locatedInRegion, "FAC": CKG.location, "ORG": CKG.headquarteredIn}.get(entity.type)
            if link is not None:
                self.add(node, link, self.describe(larger))
        return node


class _ReleaseBuilder(_Builder):
    """One release's graph from the release, its facts and their resolved entities."""

    def __init__(self, release: Release, resolved: ResolvedRelease):
        super().__init__(release_iri(release.id), resolved.entities)
        self.release = release
        self.resolved = resolved

    def release_node(self) -> URIRef:
        release = self.release
        node = release_iri(release.id)
        self.add(node, RDF.type, CKG.Release)
        self.add(node, RDF.type, PROV.Entity)
        title = release.title or release.id
        self.add(node, DCTERMS.title, Literal(title))
        self.add(node, RDFS.label, Literal(title))
        self.add(node, DCTERMS.identifier, Literal(release.id))
        self.add(node, CKG.sha256, Literal(release.sha256))
        self.add(node, DCTERMS.source, Literal(release.source))
        if release.url:
            url = URIRef(release.url)
            if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", release.url):
                self.add(node, SCHEMA.url, url)
            else:
                log.warning("%s: url %r is not an http(s) IRI; left out", release.id, release.url)
        if release.date:
            self.add(node, DCTERMS.date, Literal(release.date.isoformat(), datatype=XSD.date))
        if release.language:
            self.add(node, DCTERMS.language, Literal(release.language))
        if self.resolved.dateline_place:
            self.add(node, CKG.datelinePlace, self.describe(self.resolved.dateline_place))
        if self.resolved.issuer:
            self.add(node, DCTERMS.publisher, self.describe(self.resolved.issuer))
        activity, agent = extraction_iri(release.id), software_iri()
        self.add(activity, RDF.type, PROV.Activity)
        self.add(activity, RDFS.label, Literal(f"extraction of facts from {release.id}"))
        self.add(activity, PROV.used, node)
        self.add(activity, PROV.wasAssociatedWith, agent)
        self.add(agent, RDF.type, PROV.SoftwareAgent)
        self.add(agent, RDFS.label, Literal(f"corporate-kg {kg.__version__}"))
        self.add(agent, SCHEMA.softwareVersion, Literal(kg.__version__))
        return node

    def qualifier(self, node: URIRef, key: str, value, fact: Fact, product: str | None) -> None:
        text = str(value).strip()
        if key == "unit" and _CURRENCY.match(text) and _is_currency(text):
            key = "currency"
        spec = self.qualifiers.get(key)
        if spec is None:
            log.debug("%s: qualifier %r has no ontology property; left out", fact.doc, key)
            return
        if key == "status":
            try:
                self.add(node, spec.term, vocab.deal_status(text))
            except OntologyError as err:
                log.warning("%s: %s; qualifier left out", fact.doc, err)
            return
        if spec.object:  # product
            if product is not None:
                self.add(node, spec.term, self.describe(product))
            return
        literal = typed_literal(text.rstrip("%").strip() if key == "percent" else text, spec.datatype)
        if literal is None:
            log.warning("%s: qualifier %s=%r is not a %s; kept as text", fact.doc, key, text, spec.datatype)
            literal = Literal(text)
        self.add(node, spec.term, literal)

    def fact(self, number: int, fact: Fact, release_node: URIRef) -> None:
        where = f"{self.release.id}: fact {number} ({fact.subject} {fact.relation})"
        try:
            rel = vocab.relation(fact.relation)
        except OntologyError as err:
            raise KgError(f"{where}: {err}") from err
        if (fact.object is None) == (fact.value is None):
            raise KgError(f"{where}: exactly one of object and value must be set")
        if rel.literal != (fact.value is not None):
            wanted = "a value" if rel.literal else "an object"
            raise KgError(f"{where}: relation {rel.curie} takes {wanted}")
        subject = self.describe(self.resolved.subjects[number - 1])
        obj = self.resolved.objects[number - 1]
        if obj is not None:
            self.describe(obj)
        if not rel.canonical:
            rel = vocab.relation(rel.inverse)
            subject, obj = URIRef(obj), str(subject)
        node = fact_iri(self.release.id, number)
        for cls in vocab.superclasses(rel.node_class):
            self.add(node, RDF.type, cls)
        self.add(node, RDF.type, PROV.Entity)
        self.add(node, CKG.subject, subject)
        self.add(node, CKG.relation, rel.term)
        if obj is not None:
            target = URIRef(obj)
            self.add(node, CKG.object, target)
            self.add(subject, rel.term, target)
            if rel.symmetric:
                self.add(target, rel.term, subject)
        else:
            literal = typed_literal(fact.value, rel.datatype)
            if literal is None:
                log.warning("%s: value %r is not a %s; no shortcut triple", where, fact.value, rel.datatype)
                self.add(node, CKG.value, Literal(str(fact.value)))
            else:
                self.add(node, CKG.value, literal)
                self.add(subject, rel.term, literal)
        for key, value in sorted((fact.qualifiers or {}).items()):
            if value is not None and str(value).strip():
                self.qualifier(node, key, value, fact, self.resolved.products[number - 1])
        self.add(node, CKG.evidence, Literal(fact.evidence))
        self.add(node, CKG.evidenceStart, Literal(str(int(fact.start)), datatype=XSD.integer))
        self.add(node, CKG.evidenceEnd, Literal(str(int(fact.end)), datatype=XSD.integer))
        confidence = Decimal(repr(float(fact.confidence)))
        self.add(node, CKG.confidence, _decimal_literal(confidence))
        if fact.extractor:
            self.add(node, CKG.extractor, Literal(fact.extractor))
        self.add(node, PROV.wasDerivedFrom, release_node)
        self.add(node, PROV.wasGeneratedBy, extraction_iri(self.release.id))


def _is_currency(code: str) -> bool:
    import pycountry

    return pycountry.currencies.get(alpha_3=code) is not None


def release_triples(release: Release, facts: list[Fact], resolved: ResolvedRelease) -> set[tuple]:
    """The triples of :func:`release_graph` as a set of rdflib term triples (what a
    build writes: no ``Graph`` is made)."""
    return _release_builder(release, facts, resolved).triples


def _release_builder(release: Release, facts: list[Fact], resolved: ResolvedRelease) -> _ReleaseBuilder:
    if resolved.release_id != release.id or len(resolved.subjects) != len(facts):
        raise KgError(f"{release.id}: the resolved data given is not that of this release's facts")
    builder = _ReleaseBuilder(release, resolved)
    node = builder.release_node()
    for number, fact in enumerate(facts, start=1):
        if fact.doc != release.id:
            raise KgError(f"{release.id}: fact {number} belongs to release {fact.doc!r}")
        builder.fact(number, fact, node)
    return builder


def release_graph(release: Release, facts: list[Fact], resolved: ResolvedRelease) -> Graph:
    """The triples of one release's named graph (identifier ``kgr:release/<id>``).

    Parameters
    ----------
    release : the parsed release (its text is not read).
    facts : its facts (``fact.doc == release.id``), numbered from 1 in this order.
    resolved : the resolved entities of these facts, plain data
        (``kg.resolve.resolve(...).release_view(release, facts)``).

    Returns
    -------
    rdflib.Graph whose ``identifier`` is the release IRI.

    Examples
    --------
    >>> from kg.resolve import resolve
    >>> r = Release(id="r1", text="Acme GmbH is a unit of Acme Group.", sha256="0" * 64, source="r1.txt", format="txt")
    >>> f = Fact(doc="r1", subject="Acme GmbH", relation="P749", object="Acme Group", end=34)
    >>> g = release_graph(r, [f], resolve([f], releases=[r]).release_view(r, [f]))
    >>> (URIRef("https://w3id.org/corporate-kg/id/org/acme-gmbh"), CKG.subsidiaryOf, None) in g
    True
    """
    return _release_builder(release, facts, resolved).graph


REGISTRY_KEY = "entities"


def registry_iri(key: str = REGISTRY_KEY) -> URIRef:
    """``kgr:registry/<key>``: the named graph of what the alias registry says
    (``kgr:registry/entities`` for ``data/entities.yaml`` or the registry a build uses)."""
    return _derived_registry(f"{vocab.KGR_IRI}registry/{_segment(key)}")


def _derived_registry(iri: str) -> URIRef:
    if not re.match(r"^" + re.escape(vocab.KGR_IRI) + r"registry/[A-Za-z0-9._~%-]+$", iri):
        raise KgError(f"refusing to mint registry graph IRI {iri!r}")
    return URIRef(iri)


def registry_graph(entities, key: str = REGISTRY_KEY) -> Graph:
    """The registry graph: every entity of ``entities`` (``Resolution.registry_view()``)
    with its types, canonical name, the registry's aliases and identifiers, and the
    place it lies in.  Release graphs never carry these registry-derived triples.

    >>> from kg.model import EntityDescription
    >>> e = EntityDescription(iri=KGR_IRI + "org/acme", name="Acme", type="ORG", identifiers=(("wikidata", "Q1"),))
    >>> (URIRef(e.iri), OWL.sameAs, WD.Q1) in registry_graph([e])
    True
    """
    builder = _Builder(registry_iri(key), entities)
    for entity in entities:
        builder.describe(entity.iri)
    return builder.graph


__all__ = [
    "REGISTRY_KEY",
    "registry_graph",
    "registry_iri",
    "extraction_iri",
    "fact_iri",
    "parse_number",
    "release_graph",
    "release_iri",
    "release_triples",
    "software_iri",
    "temporal_literal",
    "typed_literal",
]

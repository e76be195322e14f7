"""``kg entities``: the entities of the store, and likely duplicates for a person to confirm.

:func:`entities` lists the resolved entities (label, types, aliases, identifiers, the
releases whose facts mention them), read with SPARQL from the store.
:func:`suggest_duplicates` proposes pairs of entities that may be one thing, each with
its reason (same normalised name, one name a word prefix of the other, one an acronym of
the other, a shared identifier), and the entry to add to the alias registry
(``data/entities.yaml``) if a person agrees: the registry wins over automatic matching,
so after a rebuild the two become one IRI.

Examples
--------
>>> acronym_of("BAW", "Beijing Automobile Works")
True
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import yaml
from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef

from kg import vocab
from kg.resolve import _acronym_of, name_key

PREFIXES = """PREFIX ckg: <https://w3id.org/corporate-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

#: entity type (registry ``type``) -> the IRI path segment kg/resolve.py mints under
_KINDS = {"org/": "ORG", "person/": "PER", "place/": "LOC", "site/": "FAC",
          "product/": "PRODUCT", "exchange/": "EXCHANGE", "misc/": "MISC"}


@dataclass
class EntityRecord:
    """One entity of the store."""

    iri: str
    label: str
    type: str | None  # ORG, PER, LOC, FAC, PRODUCT, EXCHANGE, MISC
    classes: list[str] = field(default_factory=list)  # ontology class local names
    aliases: list[str] = field(default_factory=list)
    identifiers: dict[str, str] = field(default_factory=dict)  # wikidata, lei, ticker, ...
    releases: list[str] = field(default_factory=list)  # ids of releases whose facts name it

    @property
    def names(self) -> list[str]:
        return [self.label, *self.aliases]

    def row(self) -> dict:
        return {"entity": self.iri, "entityLabel": self.label, "type": self.type or "",
                "class": ", ".join(self.classes), "aliases": "; ".join(self.aliases),
                "identifiers": "; ".join(f"{k}:{v}" for k, v in sorted(self.identifiers.items())),
                "releases": "; ".join(self.releases)}


def _entity_type(iri: str, classes: list[URIRef]) -> str | None:
    """The type of the most specific class that has one (a stock exchange is an
    organisation too, but EXCHANGE), else the one the IRI was minted under."""
    for cls in sorted(classes, key=lambda c: (-len(vocab.superclasses(c)), str(c))):
        found = vocab.entity_type_for_class(cls)
        if found:
            return found
    rest = iri[len(vocab.KGR_IRI):] if iri.startswith(vocab.KGR_IRI) else ""
    return next((t for prefix, t in _KINDS.items() if rest.startswith(prefix)), None)


def _most_specific(classes: list[URIRef]) -> list[str]:
    ckg = [c for c in classes if str(c).startswith(vocab.CKG_IRI)]
    deepest = sorted(ckg, key=lambda c: (-len(vocab.superclasses(c)), str(c)))
    implied = {s for c in ckg for s in vocab.superclasses(c) if s != c}
    return [vocab.curie(c).removeprefix("ckg:") for c in deepest if c not in implied]


def entities(store, name: str | None = None) -> list[EntityRecord]:
    """The entities facts name (as subject or object), with their labels, aliases,
    identifiers and the releases whose facts name them; only those a label or alias of
    which contains ``name`` (case-insensitive), or whose IRI is ``name``, when given.

    Parameters
    ----------
    store : kg.store.Store
    name : a part of a name, or an entity IRI.

    Returns
    -------
    list of EntityRecord, by label.
    """
    from kg.store.terms import sparql_term

    # the terms go through sparql_term (validated, escaped): the subquery below cannot see
    # a VALUES block of bound parameters at the top of the query
    if name and name.startswith(("http://", "https://")):
        match = f"VALUES ?e {{ {sparql_term(URIRef(name))} }}"
    elif name:
        match = ("?e rdfs:label|skos:altLabel ?n . "
                 f"FILTER(CONTAINS(LCASE(STR(?n)), LCASE({sparql_term(Literal(name))})))")
    else:
        match = ""
    subjects = (f"SELECT DISTINCT ?e WHERE {{ {match} "
                "{ ?f ckg:subject ?e } UNION { ?f ckg:object ?e } FILTER(isIRI(?e)) "
                "?e rdfs:label [] }")
    rows = store.query(
        f"{PREFIXES}SELECT ?e ?p ?o WHERE {{ {{ {subjects} }} ?e ?p ?o . "
        "VALUES ?p { rdfs:label skos:altLabel rdf:type owl:sameAs ckg:lei ckg:ticker "
        "dcterms:identifier } }")
    found: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        found[str(row["e"])][str(row["p"])].append(row["o"])
    releases: dict[str, set[str]] = defaultdict(set)
    for row in store.query(
            f"{PREFIXES}SELECT DISTINCT ?e ?r WHERE {{ {{ {subjects} }} "
            "{ ?f ckg:subject ?e } UNION { ?f ckg:object ?e } ?f prov:wasDerivedFrom ?r }"):
        releases[str(row["e"])].add(str(row["r"]).rsplit("/", 1)[-1])
    out = []
    label_p, alt_p = str(RDFS.label), str(SKOS.altLabel)
    for iri, props in found.items():
        labels = sorted(str(x) for x in props.get(label_p, []))
        if not labels:
            continue
        classes = sorted(props.get(str(RDF.type), []), key=str)
        identifiers = {}
        for o in props.get(str(OWL.sameAs), []):
            if str(o).startswith(str(vocab.WD)):
                identifiers["wikidata"] = str(o).rsplit("/", 1)[-1]
        for key, term in (("lei", vocab.CKG_IRI + "lei"), ("ticker", vocab.CKG_IRI + "ticker")):
            for o in props.get(term, []):
                identifiers[key] = str(o)
        for o in props.get("http://purl.org/dc/terms/identifier", []):
            key, _, value = str(o).partition(":")
            if value:
                identifiers[key] = value
        aliases = sorted({str(x) for x in props.get(alt_p, [])} | set(labels[1:]) - {labels[0]})
        out.append(EntityRecord(iri, labels[0], _entity_type(iri, classes),
                                _most_specific(classes), aliases, identifiers,
                                sorted(releases.get(iri, ()))))
    return sorted(out, key=lambda e: (e.label.casefold(), e.iri))


# --- likely duplicates ---------------------------------------------------------------------

#: a name that can be an acronym: two to eight capitals, digits or "&", no space
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,7}")


def acronym_of(acronym: str, long_name: str) -> bool:
    """True if ``acronym`` (two or more capitals, no space) abbreviates ``long_name``: its
    letters occur in order in the name, the first starting the name, at least two of
    them starting words (the resolver's test, :func:`kg.resolve._acronym_of`).

    >>> acronym_of("BAW", "Beijing Automobile Works"), acronym_of("XYZ", "Beijing Automobile Works")
    (True, False)
    """
    return bool(_ACRONYM.fullmatch(acronym)) and _acronym_of(acronym, long_name)


@dataclass
class Suggestion:
    """Two entities that may be one, why, and the registry entry that would merge them."""

    keep: EntityRecord  # the one whose name becomes canonical
    merge: EntityRecord
    reason: str
    registry_entry: str  # YAML for data/entities.yaml

    def row(self) -> dict:
        return {"keep": self.keep.iri, "keepLabel": self.keep.label,
                "merge": self.merge.iri, "mergeLabel": self.merge.label,
                "type": self.keep.type or "", "reason": self.reason,
                "releases": "; ".join(sorted(set(self.keep.releases) | set(self.merge.releases))),
                "registry_entry": self.registry_entry}


def _keys(record: EntityRecord) -> set[str]:
    return {name_key(n, record.type or "ORG") for n in record.names}


def suggest_duplicates(records: list[EntityRecord], registry=None) -> list[Suggestion]:
    """Pairs of entities of one type that may be the same thing, with the reason:

    - ``same normalised name``: two names normalise alike (case, accents, legal form,
      "the") yet are two IRIs;
    - ``shared identifier``: the same Wikidata id, LEI or ticker;
    - ``acronym``: a name of one is an acronym of a name of the other ("BAW");
    - ``name prefix``: a normalised name of one is the first words (two or more) of a name
      of the other ("Weiqiao Textile" / "Weiqiao Textile Dyeing").

    The entity with more releases (then the longer name) is kept; ``registry`` (a
    kg.resolve.Registry) tells whether it already has an entry there, to extend.

    Returns
    -------
    list of Suggestion, strongest reasons first.
    """
    by_type: dict[str, list[EntityRecord]] = defaultdict(list)
    for r in records:
        by_type[r.type or "?"].append(r)
    found: dict[tuple[str, str], tuple[int, str]] = {}

    def note(a: EntityRecord, b: EntityRecord, rank: int, reason: str) -> None:
        key = tuple(sorted((a.iri, b.iri)))
        if a.iri != b.iri and (key not in found or found[key][0] > rank):
            found[key] = (rank, reason)

    def rank_of(r: EntityRecord):
        return (-len(r.releases), -len(r.label), r.label, r.iri)

    for group in by_type.values():
        index: dict[str, list[EntityRecord]] = defaultdict(list)
        ids: dict[tuple[str, str], list[EntityRecord]] = defaultdict(list)
        for r in group:
            for key in _keys(r):
                index[key].append(r)
            for item in r.identifiers.items():
                ids[item].append(r)
        # many entities under one name or identifier: each is paired with the first (the
        # one to keep), not with every other, so the list grows with the entities
        for key, rs in index.items():
            rs.sort(key=rank_of)
            for b in rs[1:]:
                note(rs[0], b, 0, f"same normalised name '{key}'")
        for (k, v), rs in ids.items():
            rs.sort(key=rank_of)
            for b in rs[1:]:
                note(rs[0], b, 1, f"shared identifier {k}:{v}")
        # acronyms and prefixes between the first entity of each name
        heads = {key: rs[0] for key, rs in index.items()}
        distinct_heads = list({id(h): h for h in heads.values()}.values())
        initial: dict[str, list[tuple[str, EntityRecord]]] = defaultdict(list)
        for r in distinct_heads:
            for n in r.names:
                if n and n[0].isalpha():
                    initial[n[0].casefold()].append((n, r))
        for r in distinct_heads:
            for n in r.names:
                if _ACRONYM.fullmatch(n):
                    for long_name, other in initial.get(n[0].casefold(), ()):
                        if other.iri != r.iri and acronym_of(n, long_name):
                            note(r, other, 2, f"'{n}' is an acronym of '{long_name}'")
        for key, b in heads.items():
            words = key.split()
            for k in range(2, len(words)):
                short = " ".join(words[:k])
                a = heads.get(short)
                if a is not None and a.iri != b.iri:
                    note(a, b, 3, f"'{short}' is the start of '{key}'")
    by_iri = {r.iri: r for r in records}
    out = []
    for (x, y), (_, reason) in sorted(found.items(), key=lambda kv: (kv[1][0], kv[0])):
        a, b = by_iri[x], by_iri[y]
        keep, merge = sorted((a, b), key=lambda r: (-_in_registry(r, registry), -len(r.releases),
                                                    -len(r.label), r.label))
        out.append(Suggestion(keep, merge, reason, registry_entry(keep, merge, registry)))
    return out


def _in_registry(record: EntityRecord, registry) -> bool:
    return _entry_of(record, registry) is not None


def _entry_of(record: EntityRecord, registry):
    if registry is None:
        return None
    return next((e for e in registry.entries if e.name == record.label
                 and e.type == record.type), None)


def registry_entry(keep: EntityRecord, merge: EntityRecord, registry=None) -> str:
    """The YAML entry of ``data/entities.yaml`` that makes ``merge`` an alias of ``keep``
    (the existing entry extended, when ``keep`` has one)."""
    existing = _entry_of(keep, registry)
    names = [n for n in [*keep.aliases, *merge.names] if n != keep.label]
    entry: dict = {"name": keep.label, "type": keep.type or "ORG"}
    cls = existing.cls if existing is not None and existing.cls else \
        (keep.classes[0] if keep.classes else None)
    if cls:
        entry["class"] = cls
    previous = list(existing.aliases) if existing is not None else []
    entry["aliases"] = list(dict.fromkeys([*previous, *names]))
    ids = {**(existing.identifiers if existing is not None else {}), **merge.identifiers,
           **keep.identifiers}
    if ids:
        entry["ids"] = dict(sorted(ids.items()))
    if existing is not None and existing.located_in:
        entry["located_in"] = existing.located_in
    text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, default_flow_style=False)
    return ("# replaces the existing entry\n" if existing is not None else "") + text

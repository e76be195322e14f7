"""Data-quality contract: the store's content against ``ontology/shapes.ttl`` (SHACL)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"


def validate_graph(data: rdflib.Graph) -> tuple[bool, str]:
    """Validate ``data`` (with the ontology for class inference) -> (conforms, report text)."""
    from pyshacl import validate

    shapes = rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    ontology = rdflib.Graph().parse(ONTOLOGY_DIR / "corporate.ttl")
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=ontology,
                                 inference="rdfs", allow_warnings=True)
    return bool(conforms), str(text)


def validate_store(store) -> tuple[bool, str]:
    """Validate the union of every named graph of ``store``."""
    union = rdflib.Graph()
    for s, p, o, _ in store.dataset().quads((None, None, None, None)):
        union.add((s, p, o))
    return validate_graph(union)


# --- conflicts across releases ----------------------------------------------------------------

@dataclass(frozen=True)
class Statement:
    """What one release states in a conflict."""

    release: str  # release id
    date: str | None
    value: str
    evidence: str


@dataclass(frozen=True)
class Conflict:
    """Two releases state different values where there can be only one."""

    check: str  # "stake percent", "employees", ...
    subject: str  # the company (or site) it is about, by label
    other: str | None  # the owner of a stake; None for the others
    first: Statement
    second: Statement

    def line(self) -> str:
        about = f"{self.subject} (owner {self.other})" if self.other else self.subject
        return (f"conflict ({self.check}): {about}: {self.first.value} in {self.first.release}"
                f"{_dated(self.first)} vs {self.second.value} in {self.second.release}"
                f"{_dated(self.second)}")


def _dated(statement: Statement) -> str:
    return f" ({statement.date})" if statement.date else ""


#: check name -> (relation id, where the value is, qualifiers that scope it). A value is
#: compared only with values of the same scope (same year, period, unit, horizon).
FUNCTIONAL_CHECKS = {
    "stake percent": ("P127", "ckg:percentage", ()),
    "employees": ("P1128", "ckg:value", ("year", "period")),
    "founding year": ("P571", "ckg:value", ()),
    "headquarters": ("P159", "ckg:object", ()),
    "production sites": ("X-production-sites", "ckg:value", ("year", "period")),
    "capacity": ("X-capacity", "ckg:value", ("unit", "horizon", "year", "period")),
}

_CONFLICT_QUERY = """
PREFIX ckg: <https://w3id.org/corporate-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?subject ?other ?r1 ?r2 ?v1 ?v2 ?e1 ?e2 ?d1 ?d2 WHERE {
  GRAPH ?r1 { ?f1 ckg:relation <RELATION> ; ckg:subject ?subject ; VALUE ?v1 ;
                  ckg:evidence ?e1 . OTHER1 SCOPE1 OPTIONAL { ?r1 dcterms:date ?d1 } }
  GRAPH ?r2 { ?f2 ckg:relation <RELATION> ; ckg:subject ?subject ; VALUE ?v2 ;
                  ckg:evidence ?e2 . OTHER2 SCOPE2 OPTIONAL { ?r2 dcterms:date ?d2 } }
  FILTER(STR(?r1) < STR(?r2) && STR(?v1) != STR(?v2) SAME)
}
"""


def _conflict_query(relation: str, value: str, scope: tuple[str, ...], keyed: bool) -> str:
    from kg import vocab

    properties = {key: vocab.qualifiers()[key].term for key in scope}
    scope1 = " ".join(f"OPTIONAL {{ ?f1 <{p}> ?{k}1 }}" for k, p in properties.items())
    scope2 = " ".join(f"OPTIONAL {{ ?f2 <{p}> ?{k}2 }}" for k, p in properties.items())
    same = "".join(f' && COALESCE(STR(?{k}1), "") = COALESCE(STR(?{k}2), "")'
                   for k in properties)
    term = vocab.relation(relation).term  # the ontology's, so a typo is an error here
    return (_CONFLICT_QUERY.replace("<RELATION>", f"<{term}>").replace("VALUE", value)
            .replace("OTHER1", "?f1 ckg:object ?other ." if keyed else "")
            .replace("OTHER2", "?f2 ckg:object ?other ." if keyed else "")
            .replace("SCOPE1", scope1).replace("SCOPE2", scope2).replace("SAME", same))


def conflicts(store) -> list[Conflict]:
    """Values that two releases state differently where only one can be true: the
    percent of one stake, a company's employees (same year), founding year,
    headquarters, number of production sites, and a site's capacity (same unit and
    horizon).  Each conflict names both releases, their dates and their values; a
    change over time (a stake raised) shows up too, for a person to judge.  SPARQL on
    the store: nothing is loaded into Python but the answers."""
    from rdflib import Literal

    labels: dict[str, str] = {}

    def label(term) -> str:
        if isinstance(term, Literal):
            return str(term)
        key = str(term)
        if key not in labels:
            rows = store.query("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                               "SELECT ?l WHERE { ?e rdfs:label ?l } ORDER BY ?l LIMIT 1",
                               {"e": term})
            labels[key] = str(rows[0]["l"]) if rows else key
        return labels[key]

    found = []
    for check, (relation, value, scope) in FUNCTIONAL_CHECKS.items():
        keyed = check == "stake percent"
        seen = set()
        for row in store.query(_conflict_query(relation, value, scope, keyed)):
            key = (str(row["subject"]), str(row.get("other")), str(row["r1"]), str(row["r2"]),
                   str(row["v1"]), str(row["v2"]))
            if key in seen:
                continue
            seen.add(key)
            first, second = (Statement(str(row[r]).rsplit("/", 1)[-1],
                                       str(row[d]) if row.get(d) is not None else None,
                                       label(row[v]), " ".join(str(row[e]).split()))
                             for r, d, v, e in (("r1", "d1", "v1", "e1"), ("r2", "d2", "v2", "e2")))
            found.append(Conflict(check, label(row["subject"]),
                                  label(row["other"]) if keyed else None, first, second))
    return sorted(found, key=lambda c: (c.check, c.subject, c.other or "", c.first.release,
                                        c.second.release))

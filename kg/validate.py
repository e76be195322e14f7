"""``kg validate``: checks on the store, each reported on its own.

Three kinds of check, all SPARQL on the store (nothing but the answers is loaded into
Python, so a store of a million quads validates in seconds, not minutes):

- **shape**: the SHACL shapes of ``ontology/shapes.ttl``, compiled into SPARQL queries
  (:func:`shape_constraints`), one check per node shape.  The compiler covers the SHACL
  Core constraints the shapes use and refuses any other, so a new kind of constraint is
  an error here rather than a silently skipped rule.  Class targets and ``sh:class`` see
  the ontology's subclass hierarchy.  :func:`validate_graph` still runs pySHACL on an
  in-memory graph; the tests check both find the same violations.
- **conflict**: a value two releases state differently where only one can hold
  (:data:`FUNCTIONAL_CHECKS`: stake percent of one owner/owned pair, employees, founding
  and dissolution year, headquarters, production sites, capacity of one site, unit and
  horizon), with every release that states a value, its date and its evidence.
- **count**: a number a release states against what the graph knows
  (:func:`stated_counts`): listed companies of a group, its listed companies per
  exchange, its production sites, and its employees against those of its subsidiaries.
  The ontology has no term for a stated number of subsidiaries, so that one is not
  checked.

:func:`validate` runs them all and returns a :class:`Report`; ``kg validate`` prints it
as text or JSON and exits 1 when a check fails.  :mod:`kg.reason` runs HermiT.

Examples
--------
>>> from kg.store import open_store
>>> with open_store("memory:") as store:
...     report = validate(store)
>>> report.conforms, len(report.checks) > 10
(True, True)
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import rdflib
from rdflib import RDF, RDFS, SH, XSD, BNode, Literal, URIRef
from rdflib.collection import Collection

from kg import vocab
from kg.errors import KgError

log = logging.getLogger(__name__)

PREFIXES = """PREFIX ckg: <https://w3id.org/corporate-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

#: violations kept per check (the count is exact up to this, then "at least")
MAX_VIOLATIONS = 1000


# --- results --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Statement:
    """What one release states."""

    release: str  # release id
    date: str | None
    value: str
    evidence: str


@dataclass(frozen=True)
class Violation:
    """One problem a check found: a line, and the releases that state what it is about."""

    about: str  # the entity or node, by label (or IRI)
    message: str
    statements: tuple[Statement, ...] = ()
    known: tuple[str, ...] = ()  # what the graph knows (a count check), by label
    missing: int | None = None  # how many the graph lacks (negative: more than stated)
    node: str | None = None  # IRI of the focus node

    def line(self) -> str:
        return f"{self.about}: {self.message}"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check."""

    kind: str  # "shape" | "conflict" | "count" | "reasoner"
    name: str
    description: str
    violations: tuple[Violation, ...] = ()
    truncated: bool = False  # more than MAX_VIOLATIONS were found
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.violations

    def to_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "description": self.description,
                "passed": self.passed, "violations": [asdict(v) for v in self.violations],
                "truncated": self.truncated, "seconds": round(self.seconds, 3)}


@dataclass
class Report:
    """Every check's result, in the order they ran."""

    checks: list[CheckResult] = field(default_factory=list)
    quads: int | None = None

    @property
    def conforms(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]

    def to_dict(self) -> dict:
        return {"conforms": self.conforms, "quads": self.quads,
                "checks": [c.to_dict() for c in self.checks]}


def validate(store, kinds: tuple[str, ...] = ("shape", "conflict", "count")) -> Report:
    """Run the checks of ``kinds`` on ``store`` -> :class:`Report`.

    Parameters
    ----------
    store : kg.store.Store
    kinds : which kinds of check to run ("shape", "conflict", "count").

    Returns
    -------
    Report, one :class:`CheckResult` per check.
    """
    report = Report(quads=store.count())
    labels = _Labels(store)
    if "shape" in kinds:
        report.checks.extend(shape_checks(store, labels))
    if "conflict" in kinds:
        report.checks.extend(conflict_checks(store, labels))
    if "count" in kinds:
        report.checks.extend(count_checks(store, labels))
    return report


class _Labels:
    """IRI -> label, fetched from the store in batches and cached."""

    def __init__(self, store):
        self.store = store
        self.cache: dict[str, str] = {}

    def fetch(self, terms) -> None:
        wanted = sorted({str(t) for t in terms if isinstance(t, URIRef)} - set(self.cache))
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            values = " ".join(f"<{iri}>" for iri in chunk)
            rows = self.store.query(f"{PREFIXES} SELECT ?e (MIN(STR(?l)) AS ?label) WHERE {{ "
                                    f"VALUES ?e {{ {values} }} ?e rdfs:label ?l }} GROUP BY ?e")
            for row in rows:
                if row.get("label") is not None:
                    self.cache[str(row["e"])] = str(row["label"])
            for iri in chunk:
                self.cache.setdefault(iri, iri)

    def __call__(self, term) -> str:
        if term is None:
            return ""
        if not isinstance(term, URIRef):
            return str(term)
        if str(term) not in self.cache:
            self.fetch([term])
        return self.cache[str(term)]


def _release_id(iri) -> str:
    return str(iri).rsplit("/", 1)[-1]


def _evidence(term) -> str:
    return " ".join(str(term).split()) if term is not None else ""


# --- SHACL shapes as SPARQL -------------------------------------------------------------------

@dataclass(frozen=True)
class ShapeConstraint:
    """One constraint of ``ontology/shapes.ttl`` and the SELECT that finds its violations
    (variables ``?this`` and, for a value constraint, ``?value``)."""

    shape: str  # local name of the node shape
    path: str | None  # the property, as a CURIE
    component: str  # SHACL constraint component, e.g. "MinCountConstraintComponent"
    message: str
    query: str
    #: the tests of one pass over every focus node, (path, component, message) each; the
    #: query then returns ``?ok0``, ``?ok1``, ... false where a node fails that test
    per_node: tuple[tuple[str | None, str, str], ...] = ()
    #: a pattern binding ``?this`` to the focus nodes, when the query's rows are to be
    #: kept only for them (empty: the query visits the focus nodes itself)
    focus: str = ""


_IGNORED = {SH.message, SH.name, SH.description, SH.order, SH.group, SH.severity, RDF.type,
            RDFS.label, RDFS.comment, SH.path, SH.deactivated}
_TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}
_VALUE = {SH.datatype, SH.nodeKind, SH.pattern, SH.flags, SH.minLength, SH.maxLength, SH["in"],
          SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH["class"],
          SH["or"], SH.hasValue}
_COUNT = {SH.minCount, SH.maxCount}
_PAIR = {SH.lessThanOrEquals, SH.lessThan, SH.equals, SH.disjoint}
_NODE_ONLY = {SH.property, SH.xone}

#: datatypes the engine casts to: a literal of one of these whose lexical form does not cast
#: ("12a"^^xsd:integer, "2023-02-30"^^xsd:date) is ill-typed and fails sh:datatype, as in SHACL
_CASTABLE = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.gYear,
             XSD.gYearMonth, XSD.date, XSD.dateTime}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})", SH.Literal: "isLiteral({v})", SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}


def _n3(term) -> str:
    if isinstance(term, BNode):
        raise KgError("ontology/shapes.ttl: a blank node cannot be a value in a shape "
                      "compiled to SPARQL; use an IRI or a literal")
    return term.n3()


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@lru_cache(maxsize=1)
def _subclasses() -> dict[URIRef, frozenset[URIRef]]:
    """class -> itself and every subclass, from the ontology (named classes)."""
    graph = vocab.ontology()
    children: dict[URIRef, set[URIRef]] = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            children[sup].add(sub)

    def closure(cls: URIRef) -> frozenset[URIRef]:
        seen, todo = {cls}, [cls]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return frozenset(seen)

    return {c: closure(c) for c in set(children) | {c for s in children.values() for c in s}}


def _classes(cls: URIRef) -> str:
    return " ".join(sorted(f"<{c}>" for c in (_subclasses().get(cls) or {cls})))


class _Compiler:
    """SHACL shapes -> SPARQL: expressions for value tests, queries for constraints."""

    def __init__(self, shapes: rdflib.Graph):
        self.g = shapes
        self.fresh = 0

    def var(self) -> str:
        self.fresh += 1
        return f"?_v{self.fresh}"

    def check_known(self, node, allowed: set) -> None:
        for p in set(self.g.predicates(node)):
            if p not in allowed | _IGNORED:
                raise KgError(f"ontology/shapes.ttl: {p.n3(self.g.namespace_manager)} "
                              "is not supported by kg.validate's SPARQL translation of the "
                              "shapes; add it to kg/validate.py or express the rule otherwise")

    def one(self, node, p):
        return self.g.value(node, p)

    def items(self, node, p) -> list:
        head = self.g.value(node, p)
        return list(Collection(self.g, head)) if head is not None else []

    def value_test(self, node, v: str, only=None) -> str:
        """A SPARQL expression true when term ``v`` satisfies the value constraints of
        ``node``; ``only``: just this constraint parameter (one report line each)."""
        tests = []

        def want(p) -> bool:
            return only is None or p == only

        dt = self.one(node, SH.datatype) if want(SH.datatype) else None
        if dt is not None:
            test = f"(isLiteral({v}) && sameTerm(DATATYPE({v}), {_n3(dt)})"
            if dt in _CASTABLE:
                test += f" && COALESCE(STRLEN(STR({_n3(dt)}(STR({v})))) >= 0, false)"
            tests.append(test + ")")
        kind = self.one(node, SH.nodeKind) if want(SH.nodeKind) else None
        if kind is not None:
            tests.append(_NODE_KINDS[kind].format(v=v))
        pattern = self.one(node, SH.pattern) if want(SH.pattern) else None
        if pattern is not None:
            flags = self.one(node, SH.flags)
            args = f"STR({v}), {_string(str(pattern))}" + (f", {_string(str(flags))}" if flags else "")
            tests.append(f"(!isBlank({v}) && REGEX({args}))")
        for p, op in ((SH.minLength, ">="), (SH.maxLength, "<=")):
            n = self.one(node, p) if want(p) else None
            if n is not None:
                tests.append(f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(n)})")
        for p, op in ((SH.minInclusive, ">="), (SH.maxInclusive, "<="),
                      (SH.minExclusive, ">"), (SH.maxExclusive, "<")):
            bound = self.one(node, p) if want(p) else None
            if bound is not None:
                tests.append(f"COALESCE({v} {op} {_n3(bound)}, false)")
        members = self.items(node, SH["in"])
        if want(SH["in"]) and self.one(node, SH["in"]) is not None:
            tests.append("(" + (" || ".join(f"sameTerm({v}, {_n3(m)})" for m in members)
                                or "false") + ")")
        has = self.one(node, SH.hasValue) if want(SH.hasValue) else None
        if has is not None:
            tests.append(f"sameTerm({v}, {_n3(has)})")
        cls = self.one(node, SH["class"]) if want(SH["class"]) else None
        if cls is not None:
            t = self.var()
            tests.append(f"EXISTS {{ {v} rdf:type {t} . VALUES {t} {{ {_classes(cls)} }} }}")
        if want(SH["or"]) and self.one(node, SH["or"]) is not None:
            tests.append("(" + " || ".join(self.shape_test(m, v) for m in
                                           self.items(node, SH["or"])) + ")")
        return " && ".join(tests) or "true"

    # an expression true when focus ``v`` conforms to a (member) shape
    def shape_test(self, node, v: str) -> str:
        path = self.one(node, SH.path)
        if path is None:
            self.check_known(node, _VALUE)
            return self.value_test(node, v)
        self.check_known(node, _VALUE | _COUNT)
        x = self.var()
        tests = [f"NOT EXISTS {{ {v} {_n3(path)} {x} FILTER(!({self.value_test(node, x)})) }}"]
        low, high = self.one(node, SH.minCount), self.one(node, SH.maxCount)
        if low is not None and int(low) > 0:
            if int(low) > 1:
                raise KgError("ontology/shapes.ttl: sh:minCount above 1 inside sh:or/sh:xone "
                              "is not supported by kg.validate")
            tests.append(f"EXISTS {{ {v} {_n3(path)} {x} }}")
        if high is not None:
            raise KgError("ontology/shapes.ttl: sh:maxCount inside sh:or/sh:xone is not "
                          "supported by kg.validate")
        return "(" + " && ".join(tests) + ")"

    def target(self, shape) -> str:
        """A pattern binding ``?this`` to the shape's focus nodes (maybe more than once)."""
        branches = []
        for cls in self.g.objects(shape, SH.targetClass):
            t = self.var()
            branches.append(f"{{ ?this rdf:type {t} . VALUES {t} {{ {_classes(cls)} }} }}")
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            branches.append(f"{{ ?this {_n3(p)} [] }}")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            branches.append(f"{{ [] {_n3(p)} ?this }}")
        for n in self.g.objects(shape, SH.targetNode):
            branches.append(f"{{ BIND({_n3(n)} AS ?this) }}")
        return " UNION ".join(branches)

    def constraints(self, shape) -> list[ShapeConstraint]:
        """The shape's constraints as queries.  Most start from the property (``?this p
        ?value``, few rows fail the test) and keep the focus nodes among those that fail;
        the ones that must visit every focus node (minCount, node-level tests, xone) share
        one query per shape."""
        self.check_known(shape, _TARGETS | _VALUE | _NODE_ONLY)
        name = str(shape).rsplit("#", 1)[-1]
        target = self.target(shape)
        if not target:
            return []
        every = f"{{ SELECT DISTINCT ?this WHERE {{ {target} }} }}"
        shape_message = self.one(shape, SH.message)
        found: list[ShapeConstraint] = []
        # tests every focus node must pass: (path, component, message, expression)
        per_node: list[tuple[str | None, str, str, str]] = []

        def add(path, component, message, where, select="?this ?value", having=""):
            # the nodes failing the test, focus nodes or not: few rows, so the engine does
            # not test every row for being a focus node (that costs more than the test)
            group = f"GROUP BY ?this HAVING ({having}) " if having else ""
            query = f"{PREFIXES}SELECT DISTINCT {select} WHERE {{ {where} }} {group}"
            found.append(ShapeConstraint(name, path, component, message, query, focus=target))

        for p in sorted(_VALUE & set(self.g.predicates(shape)), key=str):
            if p == SH.flags:
                continue
            message = str(shape_message or f"the node fails {p.n3(self.g.namespace_manager)}")
            per_node.append((None, _component(p), message, self.value_test(shape, "?this", only=p)))
        members = self.items(shape, SH.xone)
        if members:
            count = " + ".join(f"IF({self.shape_test(m, '?this')}, 1, 0)" for m in members)
            per_node.append((None, "XoneConstraintComponent", str(shape_message or "sh:xone fails"),
                             f"(({count}) = 1)"))
        for prop in self.g.objects(shape, SH.property):
            self.property_constraints(prop, add, per_node)
        if per_node:
            flags = " ".join(f"BIND(COALESCE({test}, false) AS ?ok{i})"
                             for i, (_, _, _, test) in enumerate(per_node))
            failing = " || ".join(f"!?ok{i}" for i in range(len(per_node)))
            names = " ".join(f"?ok{i}" for i in range(len(per_node)))
            query = (f"{PREFIXES}SELECT ?this {names} WHERE {{ {every} {flags} "
                     f"FILTER({failing}) }} LIMIT {MAX_VIOLATIONS + 1}")
            found.append(ShapeConstraint(name, None, "", "", query,
                                         tuple((path, component, message)
                                               for path, component, message, _ in per_node)))
        return found

    def property_constraints(self, prop, add, per_node) -> None:
        self.check_known(prop, _VALUE | _COUNT | _PAIR)
        path = self.one(prop, SH.path)
        if not isinstance(path, URIRef):
            raise KgError("ontology/shapes.ttl: only IRI paths are supported by kg.validate")
        curie = path.n3(self.g.namespace_manager)
        message = self.one(prop, SH.message)

        def text(default: str) -> str:
            return str(message) if message is not None else default

        p = _n3(path)
        low, high = self.one(prop, SH.minCount), self.one(prop, SH.maxCount)
        if low is not None and int(low) > 0:
            x = self.var()
            count = (f"EXISTS {{ ?this {p} {x} }}" if int(low) == 1 else
                     f"EXISTS {{ SELECT ?this WHERE {{ ?this {p} {x} }} GROUP BY ?this "
                     f"HAVING (COUNT(DISTINCT {x}) >= {int(low)}) }}")
            per_node.append((curie, "MinCountConstraintComponent",
                             text(f"{curie}: fewer than {int(low)}"), count))
        if high is not None:
            add(curie, "MaxCountConstraintComponent", text(f"{curie}: more than {int(high)}"),
                f"?this {p} ?_o .", "?this", f"COUNT(DISTINCT ?_o) > {int(high)}")
        for param in sorted(_VALUE & set(self.g.predicates(prop)), key=str):
            if param == SH.flags:
                continue
            test = self.value_test(prop, "?value", only=param)
            add(curie, _component(param), text(f"{curie}: fails {param.n3(self.g.namespace_manager)}"),
                f"?this {p} ?value . FILTER(!({test}))")
        for param, op in ((SH.lessThanOrEquals, "<="), (SH.lessThan, "<")):
            other = self.one(prop, param)
            if other is not None:
                add(curie, _component(param), text(f"{curie}: not {op} {_n3(other)}"),
                    f"?this {p} ?value . ?this {_n3(other)} ?_w . "
                    f"FILTER(!COALESCE(?value {op} ?_w, false))")
        for param in (SH.equals, SH.disjoint):
            if self.one(prop, param) is not None:
                raise KgError(f"ontology/shapes.ttl: {param.n3(self.g.namespace_manager)} is "
                              "not supported by kg.validate")


def _component(param) -> str:
    local = str(param).rsplit("#", 1)[-1]
    return local[0].upper() + local[1:] + "ConstraintComponent"


@lru_cache(maxsize=1)
def _shapes() -> rdflib.Graph:
    """``ontology/shapes.ttl``, parsed once (read, never changed)."""
    return rdflib.Graph().parse(vocab.SHAPES_PATH)


@lru_cache(maxsize=1)
def shape_constraints() -> tuple[ShapeConstraint, ...]:
    """Every constraint of ``ontology/shapes.ttl`` with its SPARQL query."""
    shapes = _shapes()
    compiler = _Compiler(shapes)
    found: list[ShapeConstraint] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if isinstance(shape, URIRef):
            found.extend(compiler.constraints(shape))
    return tuple(found)


def _shape_descriptions() -> dict[str, str]:
    shapes = _shapes()
    out = {}
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        if isinstance(shape, URIRef):
            label = shapes.value(shape, RDFS.label)
            out[str(shape).rsplit("#", 1)[-1]] = str(label) if label else ""
    return out


def shape_checks(store, labels: _Labels | None = None) -> list[CheckResult]:
    """One check per node shape of ``ontology/shapes.ttl``, its constraints run as SPARQL."""
    labels = labels or _Labels(store)
    by_shape: dict[str, list[ShapeConstraint]] = defaultdict(list)
    for constraint in shape_constraints():
        by_shape[constraint.shape].append(constraint)
    descriptions = _shape_descriptions()
    results = []
    for shape, constraints in by_shape.items():
        start = time.perf_counter()
        violations: list[Violation] = []
        truncated = False
        for c in constraints:
            rows = store.query(c.query)
            if c.focus and rows:
                rows = _focus_rows(store, c.focus, rows)
            truncated |= len(rows) > MAX_VIOLATIONS
            for row in rows[:MAX_VIOLATIONS] if c.per_node else ():
                for i, (_, component, message) in enumerate(c.per_node):
                    if not _true(row.get(f"ok{i}")):
                        violations.append(Violation(str(row["this"]), f"{message} [{component}]",
                                                    node=str(row["this"])))
            for row in rows[:MAX_VIOLATIONS] if not c.per_node else ():
                value = row.get("value")
                where = f" (value {value.n3() if isinstance(value, Literal) else value})" \
                    if value is not None else ""
                violations.append(Violation(str(row["this"]),
                                            f"{c.message}{where} [{c.component}]",
                                            node=str(row["this"])))
            log.debug("shape %s %s %s: %d rows", shape, c.path, c.component, len(rows))
        violations = sorted(set(violations), key=lambda v: (v.about, v.message))
        results.append(CheckResult("shape", f"shape {shape}",
                                   f"{descriptions.get(shape) or shape} (ontology/shapes.ttl)",
                                   tuple(violations[:MAX_VIOLATIONS]),
                                   truncated or len(violations) > MAX_VIOLATIONS,
                                   time.perf_counter() - start))
    return results


def _focus_rows(store, focus: str, rows: list[dict]) -> list[dict]:
    """The rows whose ``?this`` is a focus node (one VALUES query per 500 nodes)."""
    nodes = sorted({row["this"] for row in rows if not isinstance(row["this"], BNode)}, key=str)
    blank = {row["this"] for row in rows if isinstance(row["this"], BNode)}
    keep = set()
    for i in range(0, len(nodes), 500):
        values = " ".join(n.n3() if isinstance(n, URIRef) else f"<{n}>" for n in nodes[i:i + 500])
        keep.update(r["this"] for r in store.query(
            f"{PREFIXES}SELECT DISTINCT ?this WHERE {{ VALUES ?this {{ {values} }} {focus} }}"))
    if blank:  # a blank node cannot be named in a query: ask once for all focus blank nodes
        keep.update(r["this"] for r in store.query(
            f"{PREFIXES}SELECT DISTINCT ?this WHERE {{ {focus} FILTER(isBlank(?this)) }}")
            if r["this"] in blank)
    return [row for row in rows if row["this"] in keep]


def _true(term) -> bool:
    return isinstance(term, Literal) and term.toPython() is True


def validate_store(store) -> tuple[bool, str]:
    """The SHACL shapes on ``store`` -> (conforms, report text): SPARQL on the store."""
    checks = shape_checks(store)
    lines = [f"{c.name}: {v.line()}" for c in checks for v in c.violations]
    return not lines, "\n".join(lines)


def validate_graph(data: rdflib.Graph) -> tuple[bool, str]:
    """Validate an in-memory graph with pySHACL (the ontology mixed in for its class
    hierarchy) -> (conforms, report text).  The reference the SPARQL checks are tested
    against; slow on big graphs."""
    from pyshacl import validate as shacl

    shapes = rdflib.Graph().parse(vocab.SHAPES_PATH)
    conforms, _, text = shacl(data, shacl_graph=shapes, ont_graph=vocab.ontology(),
                              inference="none", allow_warnings=True)
    return bool(conforms), str(text)


# --- conflicts across releases ----------------------------------------------------------------

@dataclass(frozen=True)
class Conflict:
    """Releases state different values where there can be only one: every statement of
    the value, at least two of them different and from different releases."""

    check: str  # "stake percent", "employees", ...
    subject: str  # the company (or site) it is about, by label
    other: str | None  # the owner of a stake; None for the others
    statements: tuple[Statement, ...]

    @property
    def values(self) -> list[str]:
        return list(dict.fromkeys(s.value for s in self.statements))

    @property
    def about(self) -> str:
        return f"{self.subject} (owner {self.other})" if self.other else self.subject

    def said(self) -> str:
        """``35 in a (2024-01-10) vs 49 in b (2024-06-12), c (2024-07-01)``"""
        by_value: dict[str, list[str]] = defaultdict(list)
        for s in self.statements:
            by_value[s.value].append(f"{s.release}{_dated(s)}")
        return " vs ".join(f"{value} in {', '.join(where)}" for value, where in by_value.items())

    def line(self) -> str:
        return f"conflict ({self.check}): {self.about}: {self.said()}"

    def violation(self) -> Violation:
        return Violation(self.about, self.said(), self.statements)


def _dated(statement: Statement) -> str:
    return f" ({statement.date})" if statement.date else ""


#: check name -> (relation id, where the value is, qualifiers that scope it, keyed by the
#: object too).  A value is compared only with values of the same scope (same year,
#: period, unit, horizon); a stake's percent only for the same owner and owned company.
FUNCTIONAL_CHECKS = {
    "stake percent": ("P127", "ckg:percentage", (), True),
    "employees": ("P1128", "ckg:value", ("year", "period"), False),
    "founding year": ("P571", "ckg:value", (), False),
    "dissolution year": ("P576", "ckg:value", (), False),
    "headquarters": ("P159", "ckg:object", ("since", "until", "period"), False),
    "production sites": ("X-production-sites", "ckg:value", ("year", "period"), False),
    "capacity": ("X-capacity", "ckg:value", ("unit", "horizon", "year", "period", "product"),
                 False),
}

_CONFLICT_DESCRIPTIONS = {
    "stake percent": "the percent one owner holds in one company",
    "employees": "a company's employees (same year or period)",
    "founding year": "the year a company was founded",
    "dissolution year": "the year a company was dissolved",
    "headquarters": "where a company has its headquarters (same since / until / period)",
    "production sites": "how many production sites a company has (same year or period)",
    "capacity": "the capacity of one site or company (same unit, horizon, year, product)",
}


def _conflict_keys_query(relation: str, value: str, scope: tuple[str, ...], keyed: bool) -> str:
    rel = vocab.relation(relation)  # the ontology's, so a typo is an error here
    properties = {key: vocab.qualifiers()[key].term for key in scope}
    optional = " ".join(f"OPTIONAL {{ ?f <{p}> ?q_{k} }}" for k, p in properties.items())
    binds = " ".join(f'BIND(COALESCE(STR(?q_{k}), "") AS ?k_{k})' for k in properties)
    keys = " ".join(f"?k_{k}" for k in properties)
    other = "?f ckg:object ?other ." if keyed else 'BIND("" AS ?other)'
    return (f"{PREFIXES}SELECT ?subject ?other {keys} WHERE {{ "
            f"?f rdf:type <{rel.node_class}> ; ckg:relation <{rel.term}> ; ckg:subject ?subject ; "
            f"{value} ?v ; prov:wasDerivedFrom ?r . {other} {optional} {binds} }} "
            f"GROUP BY ?subject ?other {keys} "
            f"HAVING (COUNT(DISTINCT ?v) > 1 && COUNT(DISTINCT ?r) > 1)")


def _conflict_details_query(relation: str, value: str, scope: tuple[str, ...], keyed: bool,
                            subjects: list) -> str:
    rel = vocab.relation(relation)
    properties = {key: vocab.qualifiers()[key].term for key in scope}
    optional = " ".join(f"OPTIONAL {{ ?f <{p}> ?q_{k} }}" for k, p in properties.items())
    keys = " ".join(f"?q_{k}" for k in properties)
    other = "?f ckg:object ?other ." if keyed else ""
    values = " ".join(s.n3() for s in subjects)
    return (f"{PREFIXES}SELECT ?subject ?other ?v ?r ?d ?e {keys} WHERE {{ "
            f"VALUES ?subject {{ {values} }} "
            f"?f ckg:subject ?subject ; rdf:type <{rel.node_class}> ; ckg:relation <{rel.term}> ; "
            f"{value} ?v ; prov:wasDerivedFrom ?r ; ckg:evidence ?e . {other} {optional} "
            f"OPTIONAL {{ ?r dcterms:date ?d }} }}")


def _conflicts_of(store, check: str, labels: _Labels) -> list[Conflict]:
    relation, value, scope, keyed = FUNCTIONAL_CHECKS[check]
    keys = store.query(_conflict_keys_query(relation, value, scope, keyed))
    if not keys:
        return []
    wanted = {(str(k["subject"]), str(k.get("other", "")) if keyed else "",
               *(str(k.get(f"k_{s}", "")) for s in scope)) for k in keys}
    subjects = sorted({k["subject"] for k in keys}, key=str)
    groups: dict[tuple, dict[tuple, Statement]] = defaultdict(dict)
    terms = set(subjects)
    rows = []
    for i in range(0, len(subjects), 200):
        rows += store.query(_conflict_details_query(relation, value, scope, keyed,
                                                    subjects[i:i + 200]))
    for row in rows:
        terms.update(t for t in (row.get("other"), row["v"]) if isinstance(t, URIRef))
    labels.fetch(terms)
    for row in rows:
        key = (str(row["subject"]), str(row.get("other", "")) if keyed else "",
               *(str(row.get(f"q_{s}", "")) for s in scope))
        if key not in wanted:
            continue
        statement = Statement(_release_id(row["r"]),
                              str(row["d"]) if row.get("d") is not None else None,
                              labels(row["v"]), _evidence(row["e"]))
        groups[key][(statement.release, statement.value)] = statement
    found = []
    for key, statements in groups.items():
        ordered = tuple(sorted(statements.values(),
                               key=lambda s: (s.date or "", s.release, s.value)))
        found.append(Conflict(check, labels(URIRef(key[0])),
                              labels(URIRef(key[1])) if keyed else None, ordered))
    return found


def conflicts(store) -> list[Conflict]:
    """Values that releases state differently where only one can be true (the checks of
    :data:`FUNCTIONAL_CHECKS`).  Each conflict lists every release stating the value, with
    its date, value and evidence; a change over time (a stake raised) shows up too, for a
    person to judge.  SPARQL on the store: one grouped query finds the conflicting keys,
    a second reads their statements."""
    labels = _Labels(store)
    found = [c for check in FUNCTIONAL_CHECKS for c in _conflicts_of(store, check, labels)]
    return sorted(found, key=lambda c: (c.check, c.subject, c.other or "",
                                        [s.release for s in c.statements]))


def conflict_checks(store, labels: _Labels | None = None) -> list[CheckResult]:
    """One check per functional value of :data:`FUNCTIONAL_CHECKS`."""
    labels = labels or _Labels(store)
    results = []
    for check in FUNCTIONAL_CHECKS:
        start = time.perf_counter()
        found = sorted(_conflicts_of(store, check, labels),
                       key=lambda c: (c.subject, c.other or ""))
        results.append(CheckResult(
            "conflict", f"conflict {check}",
            f"releases stating different values for {_CONFLICT_DESCRIPTIONS[check]}",
            tuple(c.violation() for c in found[:MAX_VIOLATIONS]), len(found) > MAX_VIOLATIONS,
            time.perf_counter() - start))
    return results


# --- stated counts against the graph --------------------------------------------------------

#: how a company belongs to a group: subsidiary of, part of (one step or more; a group's
#: own listing is not one of "its listed companies", and the extractors often take a
#: listed subsidiary's exchange for the group's)
MEMBERSHIP = "(ckg:subsidiaryOf|ckg:partOf)+"
#: what operates a group's sites: the group itself and its members
OPERATORS = "(ckg:subsidiaryOf|ckg:partOf)*"
#: bounds that make a stated number a lower bound (nothing can contradict it from above)
LOWER_BOUNDS = {"more than", "over", "at least", "above", "exceeding", "in excess of",
                "upwards of", "greater than"}
#: bounds that make a stated number approximate (10 % either side)
APPROXIMATE = {"about", "around", "approximately", "some", "roughly", "nearly", "almost",
               "close to", "circa", "an estimated"}


@dataclass(frozen=True)
class StatedCount:
    """A number a release states and what the graph knows of it."""

    check: str  # "listed companies", ...
    subject: str  # the group, by label
    stated: int
    known: tuple[str, ...]  # labels of what the graph knows (companies, sites)
    statements: tuple[Statement, ...]
    scope: str | None = None  # the exchange of a per-exchange count

    @property
    def missing(self) -> int:
        return self.stated - len(self.known)

    def violation(self) -> Violation:
        what = {"listed companies": "listed companies",
                "listed companies per exchange": f"listed companies on {self.scope}",
                "production sites": "production sites"}[self.check]
        known = ", ".join(self.known) or "none"
        if self.missing > 0:
            gap = f"{self.missing} missing"
        else:
            gap = f"{-self.missing} more than stated"
        message = (f"states {self.stated} {what}; the graph knows {len(self.known)} "
                   f"({known}): {gap}")
        return Violation(self.subject, message, self.statements, self.known, self.missing)


def _number(term) -> Decimal | None:
    try:
        return Decimal(str(term))
    except (InvalidOperation, ValueError):
        return None


def _count_statements(store, node_class: str, extra: str = "", extra_vars: str = "") -> list:
    return store.query(
        f"{PREFIXES}SELECT ?f ?group ?n ?r ?d ?e {extra_vars} WHERE {{ ?f rdf:type {node_class} ; "
        f"ckg:subject ?group ; prov:wasDerivedFrom ?r ; ckg:evidence ?e . {extra} "
        f"OPTIONAL {{ ?r dcterms:date ?d }} }}")


def _members_query(groups: list, pattern: str, membership: str) -> str:
    values = " ".join(g.n3() for g in groups)
    return (f"{PREFIXES}SELECT DISTINCT ?group ?known WHERE {{ VALUES ?group {{ {values} }} "
            f"?member {membership} ?group . {pattern} }}")


def _statement(row) -> Statement:
    return Statement(_release_id(row["r"]), str(row["d"]) if row.get("d") is not None else None,
                     str(row["n"]), _evidence(row["e"]))


def _group_counts(rows, scoped: bool = False) -> dict[tuple, list]:
    """(group, stated number[, scope]) -> the rows stating it."""
    grouped: dict[tuple, list] = defaultdict(list)
    for row in rows:
        n = _number(row["n"])
        if n is None or n != n.to_integral_value():
            continue
        key = (row["group"], int(n)) + ((row["x"],) if scoped else ())
        grouped[key].append(row)
    return grouped


def _known(store, groups, pattern: str, membership: str = MEMBERSHIP) -> dict[str, set]:
    known: dict[str, set] = defaultdict(set)
    groups = sorted(set(groups), key=str)
    for i in range(0, len(groups), 200):
        for row in store.query(_members_query(groups[i:i + 200], pattern, membership)):
            known[str(row["group"])].add(row["known"])
    return known


def stated_counts(store, labels: _Labels | None = None) -> dict[str, list[StatedCount]]:
    """Numbers releases state against what the graph knows, for each count check:

    - ``listed companies``: a group's stated number of listed companies (``ckg:
      ListedCompanyCount``) against its members (everything ``subsidiaryOf``/``partOf``
      it, any number of steps) that are listed
      (``ckg:listedOn`` something, or typed ``ckg:ListedCompany``);
    - ``listed companies per exchange``: ``ckg:ListingCount`` nodes (``ckg:count`` of
      the group's companies on one exchange) against its members listed there (the same
      exchange, or one whose name contains the stated place: "listed in Hong Kong");
    - ``production sites``: ``ckg:ProductionSiteCount`` against the sites the group and
      its members operate (``ckg:operates`` / ``ckg:operatedBy``), headquarters and
      research centres left out, and sites only planned (every operating statement
      ``ckg:dealStatus ckg:Planned`` or ``ckg:Cancelled``) too.

    Each (group, stated number) whose known number differs is returned, with every
    release that states the number.  Employees against subsidiaries are
    :func:`employee_gaps`.
    """
    labels = labels or _Labels(store)
    out: dict[str, list[StatedCount]] = {}

    listed = _group_counts(_count_statements(store, "ckg:ListedCompanyCount",
                                             "?f ckg:value ?n ."))
    known = _known(store, [k[0] for k in listed],
                   "{ ?member ckg:listedOn [] } UNION { ?member rdf:type ckg:ListedCompany } "
                   "BIND(?member AS ?known)")
    out["listed companies"] = _compare("listed companies", listed, known, labels)

    per_exchange = _group_counts(_count_statements(
        store, "ckg:ListingCount", "?f ckg:object ?x ; ckg:count ?n .", "?x"), scoped=True)
    exchanges = sorted({k[2] for k in per_exchange}, key=str)
    counts: list[StatedCount] = []
    if exchanges:
        values = " ".join(x.n3() for x in exchanges)
        known_on: dict[tuple[str, str], set] = defaultdict(set)
        groups = " ".join(g.n3() for g in sorted({k[0] for k in per_exchange}, key=str))
        rows = store.query(
            f"{PREFIXES}SELECT DISTINCT ?group ?x ?member WHERE {{ VALUES ?group {{ {groups} }} "
            f"VALUES ?x {{ {values} }} ?member {MEMBERSHIP} ?group . ?member ckg:listedOn ?on . "
            f"FILTER(?on = ?x || EXISTS {{ ?x rdfs:label ?place . "
            f"?on (rdfs:label|skos:altLabel) ?name . "
            f"FILTER(CONTAINS(LCASE(STR(?name)), LCASE(STR(?place)))) }}) }}")
        for row in rows:
            known_on[(str(row["group"]), str(row["x"]))].add(row["member"])
        labels.fetch({k[0] for k in per_exchange} | set(exchanges)
                     | {m for s in known_on.values() for m in s})
        for (group, n, x), rows in per_exchange.items():
            members = known_on.get((str(group), str(x)), set())
            if len(members) != n:
                counts.append(StatedCount("listed companies per exchange", labels(group), n,
                                          tuple(sorted(labels(m) for m in members)),
                                          _statements(rows), labels(x)))
    out["listed companies per exchange"] = sorted(counts, key=lambda c: (c.subject, c.scope))

    sites = _group_counts(_count_statements(store, "ckg:ProductionSiteCount",
                                            "?f ckg:value ?n ."))
    known = _known(store, [k[0] for k in sites],
                   "{ ?member ckg:operates ?known } UNION { ?known ckg:operatedBy ?member } "
                   "FILTER NOT EXISTS { ?known rdf:type ?hq . "
                   "VALUES ?hq { ckg:Headquarters ckg:ResearchCentre } } "
                   "FILTER (EXISTS { ?op ckg:object ?known ; ckg:relation ckg:operates . "
                   "  FILTER NOT EXISTS { ?op ckg:dealStatus ?st . "
                   "    VALUES ?st { ckg:Planned ckg:Cancelled } } } "
                   "  || EXISTS { ?op2 ckg:subject ?known ; ckg:relation ckg:operatedBy . "
                   "  FILTER NOT EXISTS { ?op2 ckg:dealStatus ?st2 . "
                   "    VALUES ?st2 { ckg:Planned ckg:Cancelled } } })", OPERATORS)
    out["production sites"] = _compare("production sites", sites, known, labels)
    return out


def _statements(rows) -> tuple[Statement, ...]:
    unique = {(_release_id(r["r"]), str(r["e"])): _statement(r) for r in rows}
    return tuple(sorted(unique.values(), key=lambda s: (s.date or "", s.release)))


def _compare(check: str, stated: dict, known: dict[str, set], labels: _Labels) -> list:
    labels.fetch({k[0] for k in stated} | {m for s in known.values() for m in s})
    found = []
    for (group, n), rows in stated.items():
        members = known.get(str(group), set())
        if len(members) != n:
            found.append(StatedCount(check, labels(group), n,
                                     tuple(sorted(labels(m) for m in members)), _statements(rows)))
    return sorted(found, key=lambda c: (c.subject, c.stated))


@dataclass(frozen=True)
class EmployeeGap:
    """A group states fewer employees than its subsidiaries are said to have together."""

    subject: str
    stated: int
    bound: str | None
    subsidiaries: tuple[tuple[str, int], ...]  # (label, employees), the smallest stated
    statements: tuple[Statement, ...]

    def violation(self) -> Violation:
        total = sum(n for _, n in self.subsidiaries)
        parts = ", ".join(f"{name} {n:,}" for name, n in self.subsidiaries)
        bound = f"{self.bound} " if self.bound else ""
        return Violation(self.subject, f"states {bound}{self.stated:,} employees; its "
                         f"subsidiaries are said to have {total:,} together ({parts})",
                         self.statements)


def employee_gaps(store, labels: _Labels | None = None) -> list[EmployeeGap]:
    """Groups whose stated employees (the largest a release states, with its bound) are
    fewer than the employees their subsidiaries are said to have together (each
    subsidiary's smallest stated number; only the topmost subsidiaries, so that a
    subsidiary of a subsidiary is not counted twice).  A lower bound ("more than
    100,000") cannot be contradicted from above; "about" allows 10 %."""
    labels = labels or _Labels(store)
    rows = store.query(
        f"{PREFIXES}SELECT ?group ?n ?bound ?r ?d ?e WHERE {{ "
        "?f rdf:type ckg:Headcount ; ckg:subject ?group ; ckg:value ?n ; "
        "prov:wasDerivedFrom ?r ; ckg:evidence ?e . "
        "FILTER EXISTS { ?sub (ckg:subsidiaryOf|ckg:partOf) ?group . ?sub ckg:employeeCount [] } "
        "OPTIONAL { ?f ckg:bound ?bound } OPTIONAL { ?r dcterms:date ?d } }")
    if not rows:
        return []
    groups = sorted({r["group"] for r in rows}, key=str)
    values = " ".join(g.n3() for g in groups)
    subs = store.query(
        f"{PREFIXES}SELECT ?group ?sub (MIN(?m) AS ?least) WHERE {{ VALUES ?group {{ {values} }} "
        "?sub (ckg:subsidiaryOf|ckg:partOf)+ ?group . ?sub ckg:employeeCount ?m . "
        "FILTER (?sub != ?group) "
        "FILTER NOT EXISTS { ?sub (ckg:subsidiaryOf|ckg:partOf)+ ?mid . "
        "  ?mid (ckg:subsidiaryOf|ckg:partOf)+ ?group . ?mid ckg:employeeCount [] "
        "  FILTER (?mid != ?group && ?mid != ?sub) } "
        "} GROUP BY ?group ?sub")
    by_group: dict[str, list] = defaultdict(list)
    for row in subs:
        n = _number(row["least"])
        if n is not None:
            by_group[str(row["group"])].append((row["sub"], int(n)))
    stated: dict[str, list] = defaultdict(list)
    for row in rows:
        stated[str(row["group"])].append(row)
    labels.fetch(set(groups) | {s for parts in by_group.values() for s, _ in parts})
    found = []
    for group, statements in stated.items():
        best = max(statements, key=lambda r: _number(r["n"]) or 0)
        n = _number(best["n"])
        bound = str(best["bound"]).lower() if best.get("bound") is not None else None
        if n is None or bound in LOWER_BOUNDS or not by_group.get(group):
            continue
        total = sum(m for _, m in by_group[group])
        limit = n * Decimal("1.1") if bound in APPROXIMATE else n
        if total > limit:
            parts = tuple(sorted(((labels(s), m) for s, m in by_group[group]),
                                 key=lambda p: (-p[1], p[0])))
            found.append(EmployeeGap(labels(URIRef(group)), int(n), bound, parts,
                                     _statements([best])))
    return sorted(found, key=lambda g: g.subject)


_COUNT_DESCRIPTIONS = {
    "listed companies": "a group's stated number of listed companies against the listed "
                        "companies the graph places in it",
    "listed companies per exchange": "a group's stated number of companies listed on one "
                                     "exchange against those the graph knows listed there",
    "production sites": "an organisation's stated number of production sites against the "
                        "sites the graph knows it and its subsidiaries operate",
    "employees vs subsidiaries": "a group's stated employees against the employees its "
                                 "subsidiaries are said to have together",
}


def count_checks(store, labels: _Labels | None = None) -> list[CheckResult]:
    """One check per stated count (:func:`stated_counts`, :func:`employee_gaps`)."""
    labels = labels or _Labels(store)
    start = time.perf_counter()
    counts = stated_counts(store, labels)
    elapsed = (time.perf_counter() - start) / max(len(counts), 1)
    results = [CheckResult("count", f"count {check}", _COUNT_DESCRIPTIONS[check],
                           tuple(c.violation() for c in found[:MAX_VIOLATIONS]),
                           len(found) > MAX_VIOLATIONS, elapsed)
               for check, found in counts.items()]
    start = time.perf_counter()
    gaps = employee_gaps(store, labels)
    results.append(CheckResult("count", "count employees vs subsidiaries",
                               _COUNT_DESCRIPTIONS["employees vs subsidiaries"],
                               tuple(g.violation() for g in gaps[:MAX_VIOLATIONS]),
                               len(gaps) > MAX_VIOLATIONS, time.perf_counter() - start))
    return results

"""Named SPARQL queries: ``queries/*.rq``, run with bound parameters.

Each file starts with a header of comment lines::

    # name: subsidiaries
    # title: Subsidiaries of a company
    # question: Which companies does X own, directly or through other subsidiaries?
    # description: Direct and indirect subsidiaries of a company ...
    #   (a line indented under a key continues it)
    # params: ?company (entity) the parent company [example: Weiqiao Pioneering Group];
    #   ?relation (IRI, optional) ...

Every parameter carries an example value.  A required parameter that is not given is
bound to its example, so that every named query runs without parameters; an optional
one is left unbound (the query then answers for everything).

Parameter kinds:

``entity``   an IRI (``https://...``, ``urn:...`` or a prefixed name such as
             ``kgr:org/acme``) bound to ``?x``; any other text is a *name*, bound as a
             literal to ``?xName``, which the query matches (case-insensitively) against
             ``rdfs:label`` / ``skos:altLabel``.  Such a query carries the pattern
             ``FILTER(!BOUND(?xName) || EXISTS { ?x rdfs:label|skos:altLabel ?a .
             FILTER(LCASE(STR(?a)) = LCASE(STR(?xName))) })``.
``IRI``      an absolute IRI or a known prefixed name, validated.
``string``, ``integer``, ``decimal``, ``date``, ``boolean``: typed literals.
``term``     an IRI if the value looks like one, else a plain literal.

Values are always bound through the store's bindings (a ``VALUES`` block of validated
RDF terms), never spliced into the query text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import QueryError
from kg.store.base import Store
from kg.store.terms import PREFIXES, is_absolute_iri, solution_rows

QUERY_DIR = Path(__file__).resolve().parents[1] / "queries"

PARAM_KINDS = ("entity", "IRI", "string", "integer", "decimal", "date", "boolean", "term")
_HEADER_KEY = re.compile(r"^#\s*(name|title|question|description|params)\s*:\s*(.*)$")
_EXAMPLE = re.compile(r"\s*\[example:\s*([^\]]*)\]\s*$")
_PARAM = re.compile(r"^\?([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)\s*(.*)$", re.DOTALL)
_IRI_SCHEMES = ("http:", "https:", "urn:")


@dataclass(frozen=True)
class QueryParam:
    """One declared parameter of a named query."""

    name: str
    kind: str
    description: str = ""
    optional: bool = False
    example: str | None = None

    def __str__(self) -> str:
        example = f", e.g. {self.example}" if self.example else ""
        return f"{self.name} ({self.kind}{', optional' if self.optional else ''}{example})"


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its name, description, parameters and SPARQL text."""

    name: str
    description: str
    parameters: tuple[QueryParam, ...]
    sparql: str
    path: Path
    declared: bool = True  # False for an ad-hoc .rq file without a "# params:" line
    title: str = ""
    question: str = ""

    @property
    def params(self) -> tuple[str, ...]:
        """The parameters for display: ``("company (entity, e.g. Acme)", "relation (IRI, optional)")``."""
        return tuple(str(p) for p in self.parameters)

    def param(self, name: str) -> QueryParam | None:
        return next((p for p in self.parameters if p.name == name), None)


def list_queries(directory: str | Path | None = None) -> list[NamedQuery]:
    """Every named query in ``directory`` (default: the repository's ``queries/``), by name.

    Examples
    --------
    >>> [q.name for q in list_queries()][:2]
    ['capacity-targets', 'deals-timeline']
    """
    folder = Path(directory) if directory is not None else QUERY_DIR
    if not folder.is_dir():
        raise QueryError(f"{folder}: no such query directory")
    return sorted((read_query(path) for path in folder.glob("*.rq")), key=lambda q: q.name)


def get_query(name: str, directory: str | Path | None = None) -> NamedQuery:
    """The named query ``name``, or the ``.rq`` file ``name`` is a path to.

    An unknown name is a ``QueryError`` that lists the known ones.
    """
    candidate = Path(name)
    if candidate.suffix == ".rq" and candidate.is_file():
        return read_query(candidate, strict=False)
    queries = {q.name: q for q in list_queries(directory)}
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, queries, n=3)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise QueryError(f"unknown query {name!r}; {hint}known queries: {', '.join(sorted(queries))}")


def read_query(path: str | Path, strict: bool = True) -> NamedQuery:
    """Parse one ``.rq`` file and its header.

    ``strict`` (the files of ``queries/``) requires the ``name`` and ``description``
    lines; an ad-hoc file may go without, and then takes any parameter as a ``term``:
    an IRI if it looks like one, else a plain literal, bound to the variable of its name.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read the query: {err}") from err
    header: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER_KEY.match(line)
        if match:
            key = match.group(1)
            header[key] = match.group(2).strip()
        elif key:
            header[key] = f"{header[key]} {line.lstrip('#').strip()}".strip()
    name = header.get("name", "" if strict else path.stem)
    if strict and name != path.stem:
        raise QueryError(f"{path}:1: the header must say '# name: {path.stem}' (found {name!r})")
    for key in ("title", "question", "description"):
        if strict and not header.get(key):
            raise QueryError(f"{path}: the header has no '# {key}:' line")
    params = _parse_params(header.get("params", ""), path)
    if strict:
        for param in params:
            if not param.example:
                raise QueryError(f"{path}: parameter ?{param.name} has no example; end its "
                                 "description with [example: VALUE]")
    declared = strict or "params" in header
    return NamedQuery(name, header.get("description", ""), params, text, path, declared,
                      title=header.get("title", ""), question=header.get("question", ""))


def _parse_params(spec: str, path: Path) -> tuple[QueryParam, ...]:
    if spec.strip().lower() in ("", "none", "-"):
        return ()
    params = []
    for entry in spec.split(";"):
        match = _PARAM.match(entry.strip())
        if not match:
            raise QueryError(
                f"{path}: cannot read parameter {entry.strip()!r}; write '?name (kind) description'"
            )
        name, modifiers, description = match.groups()
        words = [w.strip() for w in modifiers.split(",")]
        kind = words[0]
        if kind not in PARAM_KINDS:
            raise QueryError(
                f"{path}: parameter ?{name} has kind {kind!r}; use one of {', '.join(PARAM_KINDS)}"
            )
        example = _EXAMPLE.search(description)
        if example:
            description = description[:example.start()]
        params.append(QueryParam(name, kind, description.strip(), optional="optional" in words[1:],
                                 example=example.group(1).strip() if example else None))
    return tuple(params)


def run(store: Store, name: str, /, directory: str | Path | None = None, **params):
    """Run the named query ``name`` on ``store`` with ``params`` bound as RDF terms.

    Returns what :meth:`Store.query` returns (rows of rdflib terms for SELECT).
    Unknown or missing parameters and ill-formed values are a ``QueryError``.

    Examples
    --------
    >>> from kg.store import open_store
    >>> with open_store("memory:") as store:
    ...     run(store, "subsidiaries", company="Acme Group")
    []
    """
    query, bindings = prepare(name, directory, **params)
    return store.query(query.sparql, bindings)


def prepare(name: str, directory: str | Path | None = None, /,
            **params) -> tuple[NamedQuery, dict]:
    """The named query ``name`` and its parameters as bindings of validated RDF terms.

    Unknown or missing parameters and ill-formed values are a ``QueryError``.
    """
    query = get_query(name, directory)
    given = {key: value for key, value in params.items() if value is not None}
    if not query.declared:  # an ad-hoc file: every parameter is a term of its own name
        extra = tuple(QueryParam(key, "term") for key in given if query.param(key) is None)
        query = replace(query, parameters=query.parameters + extra)
    unknown = sorted(set(given) - {p.name for p in query.parameters})
    if unknown:
        accepted = ", ".join(p.name for p in query.parameters) or "none"
        raise QueryError(
            f"query {name!r} has no parameter {', '.join(unknown)}; it takes: {accepted}"
        )
    bindings = {}
    for param in query.parameters:
        if param.name not in given and not param.optional and param.example:
            given[param.name] = param.example  # the example is the default
        if param.name not in given:
            if not param.optional:
                raise QueryError(
                    f"query {name!r} needs the parameter {param.name!r} ({param.kind})"
                )
            continue
        variable, term = bind_param(query.name, param, given[param.name])
        bindings[variable] = term
    return query, bindings


#: The SPARQL results formats written by the engine's own serialisers.
RESULTS_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}


def run_results(store: Store, name: str, /, directory: str | Path | None = None, **params):
    """Run the named SELECT or ASK query ``name`` and return the engine's results
    (``pyoxigraph.QuerySolutions`` or ``QueryBoolean``, see :meth:`Store.query_solutions`).

    Examples
    --------
    >>> from kg.store import open_store
    >>> with open_store("memory:") as store:
    ...     results = run_results(store, "subsidiaries", company="Acme Group")
    ...     [v.value for v in results.variables][:4]
    ['subsidiary', 'subsidiaryLabel', 'parent', 'parentLabel']
    """
    query, bindings = prepare(name, directory, **params)
    return store.query_solutions(query.sparql, bindings)


def serialize_results(results, fmt: str) -> bytes:
    """SELECT or ASK results in a SPARQL results format (``csv``, ``tsv``, ``json``,
    ``xml``), written by pyoxigraph's serialiser: the columns in SELECT order, unbound
    variables included, and the header even when there is no row.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> results = store.query("SELECT ?b ?a WHERE { FILTER(false) }")
    >>> serialize_results(results, "csv")
    b'b,a\\r\\n'
    """
    if fmt not in RESULTS_FORMATS:
        raise QueryError(f"unknown SPARQL results format {fmt!r}; use one of "
                         f"{', '.join(RESULTS_FORMATS)}")
    return results.serialize(format=RESULTS_FORMATS[fmt])


def results_rows(results) -> tuple[list[str], list[dict]]:
    """The variables (in SELECT order) and rows (variable -> rdflib term, unbound left
    out) of SELECT results; an ASK answer is the column ``result`` with one row."""
    if isinstance(results, ox.QueryBoolean):
        return ["result"], [{"result": bool(results)}]
    return solution_rows(results)


def bind_param(query: str, param: QueryParam, value) -> tuple[str, URIRef | Literal]:
    """The variable name and RDF term a parameter value is bound as."""
    where = f"query {query!r}, parameter {param.name!r}"
    if param.kind == "entity":
        if isinstance(value, URIRef):
            return param.name, _iri(value, where)
        text = str(value).strip()
        if not text:
            raise QueryError(f"{where}: empty name")
        iri = _as_iri(text)
        if iri is not None:
            return param.name, iri
        return param.name + "Name", Literal(text)
    if param.kind == "IRI":
        return param.name, _iri(value, where)
    if param.kind == "term":
        if isinstance(value, URIRef | Literal):
            return param.name, value
        iri = _as_iri(str(value).strip())
        return param.name, iri if iri is not None else Literal(str(value))
    try:
        if param.kind == "string":
            return param.name, Literal(str(value))
        if param.kind == "integer":
            if isinstance(value, bool):
                raise ValueError(value)
            return param.name, Literal(int(str(value).strip()), datatype=XSD.integer)
        if param.kind == "decimal":
            return param.name, Literal(Decimal(str(value).strip()), datatype=XSD.decimal)
        if param.kind == "date":
            day = value if isinstance(value, date) else date.fromisoformat(str(value).strip())
            return param.name, Literal(day, datatype=XSD.date)
        if param.kind == "boolean":
            text = str(value).strip().lower()
            if text not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(value)
            return param.name, Literal(text in ("true", "1", "yes"), datatype=XSD.boolean)
    except (ValueError, InvalidOperation) as err:
        raise QueryError(f"{where}: {value!r} is not a valid {param.kind}") from err
    raise QueryError(f"{where}: unknown kind {param.kind!r}")


def _as_iri(text: str, any_scheme: bool = False) -> URIRef | None:
    """``text`` as an IRI if it is one, else ``None``.

    A known prefixed name (``kgr:org/acme``) is expanded.  Otherwise an absolute IRI is
    accepted when its scheme is http, https or urn, or any scheme if ``any_scheme``
    (an entity name such as "Acme: the group" must not pass for an IRI).
    """
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        candidate = PREFIXES[prefix] + local
        return URIRef(candidate) if is_absolute_iri(candidate) else None
    if (any_scheme or text.lower().startswith(_IRI_SCHEMES)) and is_absolute_iri(text):
        return URIRef(text)
    return None


def _iri(value, where: str) -> URIRef:
    iri = _as_iri(str(value).strip(), any_scheme=True)
    if iri is None:
        raise QueryError(
            f"{where}: {str(value)!r} is not an absolute IRI "
            f"(give https://..., urn:..., or a prefixed name with one of: {', '.join(sorted(PREFIXES))})"
        )
    return iri


def rows_for_display(result) -> list[dict]:
    """Query results as flat rows of plain values, for tables, CSV and JSON.

    IRIs become prefixed names where a project prefix fits (``kgr:org/acme``), numeric
    and boolean literals become Python numbers and booleans, other literals their text.
    An ASK answer is one row ``{"result": bool}``; a graph is rows of s, p, o.
    """
    if isinstance(result, bool):
        return [{"result": result}]
    if isinstance(result, Graph):
        rows = [{"subject": s, "predicate": p, "object": o} for s, p, o in sorted(result)]
        return rows_for_display(rows)
    return [{key: display_value(term) for key, term in row.items()} for row in result]


def display_value(term):
    """One RDF term as a plain value (see :func:`rows_for_display`)."""
    if isinstance(term, URIRef):
        return compact_iri(str(term))
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool | int | float):
            return value
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        return str(term)
    return str(term)


def compact_iri(iri: str) -> str:
    """``iri`` as ``prefix:local`` for the longest project namespace it starts with."""
    best = max(
        (prefix for prefix, ns in PREFIXES.items() if iri.startswith(ns) and len(iri) > len(ns)),
        key=lambda prefix: len(PREFIXES[prefix]),
        default=None,
    )
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri

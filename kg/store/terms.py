"""Conversion between rdflib terms and pyoxigraph terms, and safe SPARQL term syntax.

rdflib is the project's RDF API; pyoxigraph is the engine.  Every crossing between
the two goes through this module so that the rules live in one place:

- a plain literal and an ``xsd:string`` literal are the same RDF 1.1 term; on the way
  back from Oxigraph ``xsd:string`` becomes a plain rdflib ``Literal`` so that graphs
  compare equal to the ones rdflib parses from Turtle;
- IRIs are validated by Oxigraph's IRI parser when they are converted, so a term that
  reaches a query or an update is always well-formed;
- :func:`sparql_term` writes a term in N-Triples syntax (Oxigraph's serialiser), which is
  valid SPARQL and escapes every quote, backslash and line break.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Variable

from kg.errors import QueryError

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def is_absolute_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI (has a scheme, no characters IRIs forbid).

    >>> is_absolute_iri("https://w3id.org/corporate-kg/id/org/acme")
    True
    >>> is_absolute_iri("Acme Corp")
    False
    """
    if not _ABSOLUTE_IRI.match(text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib IRI, blank node or literal to the pyoxigraph term."""
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(_bnode_id(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None and term.datatype != XSD.string:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError as err:
        raise ValueError(f"not a valid RDF term: {term!r} ({err})") from err
    raise ValueError(f"not an RDF term: {term!r} (expected an IRI, blank node or literal)")


def solution_rows(solutions: ox.QuerySolutions) -> tuple[list[str], list[dict]]:
    """The variables (in SELECT order) and rows (variable -> rdflib term, unbound left
    out) of SELECT results."""
    variables = [v.value for v in solutions.variables]
    rows = []
    converted: dict = {}  # each distinct term converted once (rdflib terms are immutable)
    for solution in solutions:
        row = {}
        for name in variables:
            term = solution[name]
            if term is not None:
                same = converted.get(term)
                if same is None:
                    same = converted[term] = from_ox(term)
                row[name] = same
        rows.append(row)
    return variables, rows


def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Identifier:
    """Convert a pyoxigraph term back to rdflib (``xsd:string`` -> plain literal)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        # normalize=False: the lexical form stays as stored ("030" is not rewritten "30")
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise ValueError(f"unsupported Oxigraph term: {term!r}")


def to_ox_quad(s: Identifier, p: Identifier, o: Identifier, g: Identifier | None) -> ox.Quad:
    """An rdflib (s, p, o, g) as a pyoxigraph ``Quad``; ``g=None`` is the default graph."""
    graph = ox.DefaultGraph() if g is None else to_ox(g)
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)


def sparql_term(term: Identifier) -> str:
    """The term in N-Triples syntax, safe to place in a SPARQL query or update.

    >>> sparql_term(Literal('say "hi"\\n'))
    '"say \\\\"hi\\\\"\\\\n"'
    """
    return str(to_ox(term))


def _bnode_id(term: BNode) -> str:
    """A blank node label Oxigraph accepts (rdflib's ids are usually fine already)."""
    label = str(term)
    return label if re.fullmatch(r"[A-Za-z0-9_]+", label) else "b" + label.encode().hex()


def check_bindings(bindings: dict | None) -> dict[str, Identifier]:
    """Validate query bindings: variable name -> IRI or literal.

    Keys may be ``"x"``, ``"?x"`` or an rdflib ``Variable``; values must be rdflib
    ``URIRef`` (an absolute IRI) or ``Literal``.  Anything else is a ``QueryError``:
    bindings are the only way user input reaches a query, so they are strict.
    """
    checked: dict[str, Identifier] = {}
    for key, value in (bindings or {}).items():
        name = str(key).lstrip("?$")
        if not _VARIABLE_NAME.match(name):
            raise QueryError(f"binding name {key!r} is not a SPARQL variable name")
        if isinstance(value, URIRef):
            if not is_absolute_iri(str(value)):
                raise QueryError(f"binding ?{name}: {str(value)!r} is not an absolute IRI")
        elif isinstance(value, Literal):
            try:
                to_ox(value)
            except ValueError as err:
                raise QueryError(f"binding ?{name}: {err}") from err
        elif isinstance(value, Variable | BNode):
            raise QueryError(f"binding ?{name}: bind an IRI or a literal, not {value!r}")
        else:
            raise QueryError(
                f"binding ?{name}: {value!r} is a {type(value).__name__}; "
                "wrap it as rdflib URIRef(...) or Literal(...)"
            )
        checked[name] = value
    return checked


#: The prefixes the project writes and reads (exports, prefixed names in query parameters).
PREFIXES: dict[str, str] = {
    "ckg": "https://w3id.org/corporate-kg/ontology#",
    "kgr": "https://w3id.org/corporate-kg/id/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
}

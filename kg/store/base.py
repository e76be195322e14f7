"""What every store does, and the SPARQL text handling the stores share.

A store holds one named graph per release (the graph IRI is the release IRI,
``kgr:release/<id>``).  The SHA-256 of the release text is recorded inside that graph
as ``<graph> ckg:sha256 "..."`` so that re-loading an unchanged release does nothing.

The default graph is the merge of the release graphs: every triple some release states,
once.  Queries see it without ``GRAPH`` (no duplicates when two releases name the same
company), and ``GRAPH ?g`` still tells which releases state a triple.  Loading or
removing a release updates the merge in the same transaction (the embedded store by
the graph's differences, a remote one with :func:`replace_release_update` and
:func:`remove_release_update`); :meth:`Store.quads`
yields only the release graphs, the merge being derived from them.

Query bindings reach the engine as a ``VALUES`` block placed at the start of the
query's top-level ``WHERE`` group (:func:`bind_values`), built from validated terms
(:func:`kg.store.terms.sparql_term`); user text is never spliced into a query.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator

import rdflib
from rdflib import Literal, URIRef
from rdflib.term import Identifier

from kg.errors import QueryError
from kg.store.terms import check_bindings, sparql_term

CKG = rdflib.Namespace("https://w3id.org/corporate-kg/ontology#")
SHA256 = CKG.sha256

LoadOutcome = str  # "added" | "replaced" | "unchanged"
QueryResult = list[dict[str, Identifier]] | bool | rdflib.Graph


class Store(ABC):
    """A quad store holding one named graph per release.

    Use as a context manager, or call :meth:`close`.
    """

    location: str = ""

    @abstractmethod
    def load_release(self, graph_iri: str, graph: rdflib.Graph, sha256: str) -> LoadOutcome:
        """Put ``graph`` into the named graph ``graph_iri``.

        Returns ``"added"`` (new graph), ``"replaced"`` (the graph existed with another
        SHA-256; its old triples are gone) or ``"unchanged"`` (same SHA-256: nothing done).
        The replacement is atomic: a reader sees the old graph or the new one.
        """

    def put_graph(self, graph_iri: str, triples: list[tuple]) -> LoadOutcome:
        """Make named graph ``graph_iri`` hold exactly ``triples`` (rdflib terms), keeping
        the merged default graph the union of the named graphs, in one transaction.
        Returns ``"added"`` or ``"replaced"``; no SHA-256 is checked or recorded."""
        raise NotImplementedError(f"{type(self).__name__} cannot put a graph")

    def put_ntriples(self, graph_iri: str, text: str) -> LoadOutcome:
        """:meth:`put_graph` with the triples given as N-Triples text."""
        graph = rdflib.Graph().parse(data=text, format="nt")
        return self.put_graph(graph_iri, list(graph))

    def put_ntriples_many(self, graphs: list[tuple[str, str]]) -> list[LoadOutcome]:
        """:meth:`put_ntriples` of each ``(graph_iri, text)``; the outcomes in that order.
        Each graph is replaced atomically; a store may write several together (the
        embedded one bulk-loads the graphs it does not hold yet in one pass)."""
        return [self.put_ntriples(graph_iri, text) for graph_iri, text in graphs]

    def put_release(self, graph_iri: str, graph: rdflib.Graph, sha256: str) -> LoadOutcome:
        """Replace release graph ``graph_iri`` by ``graph`` (with its SHA-256 recorded),
        whatever the SHA-256 stored: the build decides what is unchanged."""
        return self.put_graph(graph_iri, release_triples(graph_iri, graph, sha256))

    def flush(self) -> None:
        """Write buffered changes out (the embedded store frees its write buffers); a
        remote store has nothing to do."""
        return None

    def build_index(self):
        """The build index of this store (``kg.store.index.BuildIndex``); the caller
        closes it.  In memory unless the store has a place for it."""
        from kg.store.index import BuildIndex

        return BuildIndex(None)

    @abstractmethod
    def remove_release(self, graph_iri: str) -> bool:
        """Drop the named graph; ``True`` if it existed."""

    @abstractmethod
    def query(self, sparql: str, bindings: dict | None = None) -> QueryResult:
        """Run a SPARQL query; its default graph is the merge of the named graphs.

        SELECT -> list of {variable: rdflib term} (unbound variables left out);
        ASK -> bool; CONSTRUCT / DESCRIBE -> rdflib.Graph.  ``bindings`` maps variable
        names to rdflib ``URIRef`` / ``Literal`` values.
        """

    def query_solutions(self, sparql: str, bindings: dict | None = None):
        """Run a SELECT or ASK and return the engine's own result object: a
        ``pyoxigraph.QuerySolutions`` (its ``variables`` in SELECT order, unbound ones
        included, and ``serialize(format=QueryResultsFormat.CSV)`` and the other SPARQL
        results formats) or a ``pyoxigraph.QueryBoolean``.  Iterate it once."""
        raise QueryError(f"{type(self).__name__} cannot return SPARQL results as such")

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (maintenance; releases go through load_release)."""

    @abstractmethod
    def quads(self) -> Iterator[tuple[Identifier, Identifier, Identifier, Identifier | None]]:
        """Every quad of the release graphs as rdflib terms (the merged default graph,
        derived from them, is left out)."""

    @abstractmethod
    def graphs(self) -> list[str]:
        """The named graph IRIs, sorted."""

    @abstractmethod
    def count(self) -> int:
        """The number of quads in the named graphs."""

    @abstractmethod
    def close(self) -> None:
        """Release the store (file lock, connections).  Safe to call twice."""

    def release_sha256(self, graph_iri: str) -> str | None:
        """The SHA-256 recorded in the release's graph, or ``None`` if not loaded."""
        rows = self.query(
            f"SELECT ?sha WHERE {{ GRAPH ?g {{ ?g <{SHA256}> ?sha }} }}",
            {"g": URIRef(graph_iri)},
        )
        return str(rows[0]["sha"]) if rows else None

    def dataset(self) -> rdflib.Dataset:
        """All quads as an ``rdflib.Dataset`` (named graphs kept)."""
        ds = rdflib.Dataset()
        for s, p, o, g in self.quads():
            if g is None:
                ds.default_graph.add((s, p, o))
            else:
                ds.add((s, p, o, g))
        return ds

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.location}>"


def release_triples(graph_iri: str, graph: rdflib.Graph, sha256: str) -> list[tuple]:
    """The triples to store for a release: ``graph``'s, with the SHA-256 recorded once."""
    if not isinstance(graph, rdflib.Graph):
        raise TypeError(f"expected an rdflib.Graph for {graph_iri}, got {type(graph).__name__}")
    node = URIRef(graph_iri)
    triples = [
        t for t in graph.triples((None, None, None)) if not (t[0] == node and t[1] == SHA256)
    ]
    triples.append((node, SHA256, Literal(sha256)))
    return triples


def ntriples(triples) -> str:
    """Triples as N-Triples text (also valid inside SPARQL ``INSERT DATA``)."""
    return "".join(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} .\n" for s, p, o in triples)


# --- SPARQL text: a small scanner that knows strings, IRIs and comments -------------

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-.]*(?::[^\s{}()\[\];,]*)?|:[^\s{}()\[\];,]*)
  | (?P<punct>[{}()])
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
UPDATE_WORDS = (
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
)


def unmerge_update(graph: str) -> str:
    """SPARQL Update removing from the default graph the triples of named graph ``graph``
    (an IRI in angle brackets) that no other named graph states."""
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != {graph}) }} }}")


def replace_release_update(graph: str, body: str) -> str:
    """One SPARQL Update that replaces release graph ``graph`` by the N-Triples ``body``
    and keeps the default graph the merge (set union) of the named graphs."""
    # the merge copies the stored graph (not the text again), so blank nodes stay the
    # same nodes in both places
    return (f"{unmerge_update(graph)} ;\nDROP SILENT GRAPH {graph} ;\n"
            f"INSERT DATA {{ GRAPH {graph} {{\n{body}}} }} ;\n"
            f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")


def remove_release_update(graph: str) -> str:
    """One SPARQL Update that removes release graph ``graph`` and its share of the merge."""
    return f"{unmerge_update(graph)} ;\nDROP GRAPH {graph}"


MERGE_ALL = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def _tokens(sparql: str):
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup
        if kind != "comment":
            yield kind, match.group(), match.start()


def query_form(sparql: str) -> str:
    """The query form: ``SELECT``, ``CONSTRUCT``, ``ASK``, ``DESCRIBE`` or ``UPDATE``.

    >>> query_form("PREFIX ex: <http://example.org/> # c\\nask { ?s ?p ?o }")
    'ASK'
    """
    for kind, text, _ in _tokens(sparql):
        if kind != "word":
            continue
        word = text.upper()
        if word in ("PREFIX", "BASE"):
            continue
        if word in QUERY_FORMS:
            return word
        if word in UPDATE_WORDS:
            return "UPDATE"
    raise QueryError(f"not a SPARQL query (no SELECT/CONSTRUCT/ASK/DESCRIBE): {_excerpt(sparql)}")


def where_group_start(sparql: str) -> int:
    """The offset just after the ``{`` that opens the query's top-level WHERE group."""
    braces = parens = 0
    form = None
    seen_where = False
    for kind, text, start in _tokens(sparql):
        if kind == "word" and braces == 0 and parens == 0:
            word = text.upper()
            if form is None and word in QUERY_FORMS:
                form = word
            elif word == "WHERE":
                seen_where = True
        elif kind == "punct":
            if text == "(":
                parens += 1
            elif text == ")":
                parens -= 1
            elif text == "{":
                if braces == 0 and parens == 0 and form and (seen_where or form != "CONSTRUCT"):
                    return start + 1
                braces += 1
            elif text == "}":
                braces -= 1
    raise QueryError(f"cannot find the WHERE group of the query: {_excerpt(sparql)}")


def bind_values(sparql: str, bindings: dict | None) -> str:
    """The query with ``bindings`` joined in as a ``VALUES`` block at the start of WHERE.

    The block is built from validated rdflib terms, so no user text enters the query
    unescaped.  A value that matches nothing simply gives no rows.
    """
    checked = check_bindings(bindings)
    if not checked:
        return sparql
    names = " ".join(f"?{name}" for name in checked)
    values = " ".join(sparql_term(value) for value in checked.values())
    at = where_group_start(sparql)
    return f"{sparql[:at]} VALUES ({names}) {{ ({values}) }}\n{sparql[at:]}"


def _excerpt(sparql: str) -> str:
    one_line = " ".join(sparql.split())
    return one_line if len(one_line) <= 80 else one_line[:77] + "..."

"""A remote store over HTTP: SPARQL 1.1 Protocol and the Graph Store Protocol.

Works with any SPARQL 1.1 engine (Oxigraph server, Fuseki, GraphDB, Virtuoso).  The
endpoints follow the Oxigraph server's layout unless given: ``BASE/query``,
``BASE/update`` and ``BASE/store``, where ``BASE`` is the URL given without a trailing
``/query``.  A release is written with one SPARQL Update request that replaces its
named graph and keeps the default graph the merge of the named graphs (see
:mod:`kg.store.base`); the server applies one request as one transaction.  The Graph
Store Protocol reads the graphs back.

Only the standard library's ``urllib`` is used.  Loopback URLs bypass any HTTP proxy
set in the environment.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import rdflib
from rdflib import BNode, Literal, URIRef

from kg.errors import QueryError, StoreError
from kg.store.base import (
    LoadOutcome,
    QueryResult,
    Store,
    bind_values,
    query_form,
    remove_release_update,
    replace_release_update,
)
from kg.store.base import ntriples as to_ntriples
from kg.store.terms import is_absolute_iri

RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


class SparqlStore(Store):
    """A store behind SPARQL 1.1 Protocol endpoints.

    Parameters
    ----------
    url:
        The query endpoint (``http://host:7878/query``) or the server's base URL.
    update_url, store_url:
        The update and Graph Store Protocol endpoints, if not ``BASE/update`` and
        ``BASE/store``.
    union_default_graph:
        Ask the server to query the union of the named graphs instead of the default
        graph (Oxigraph's ``union-default-graph`` parameter), for data written by
        other tools that do not keep the merged default graph.
    timeout:
        Seconds to wait for each HTTP request.
    """

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        store_url: str | None = None,
        union_default_graph: bool = False,
        timeout: float = 60.0,
        read_only: bool = False,
    ):
        self.read_only = read_only
        base = url.rstrip("/")
        if base.endswith("/query"):
            base = base[: -len("/query")]
            self.query_url = url
        else:
            self.query_url = base + "/query"
        self.update_url = update_url or base + "/update"
        self.store_url = store_url or base + "/store"
        self.union_default_graph = union_default_graph
        self.timeout = timeout
        self.location = self.query_url
        host = urllib.parse.urlsplit(self.query_url).hostname or ""
        handlers = [urllib.request.ProxyHandler({})] if host in LOOPBACK else []
        self._opener = urllib.request.build_opener(*handlers)
        self._closed = False

    # --- releases --------------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.query_url}: opened read-only; this command does not write")

    def load_release(self, graph_iri: str, graph: rdflib.Graph, sha256: str) -> LoadOutcome:
        self._check_writable()
        _check_graph_iri(graph_iri)
        if self.release_sha256(graph_iri) == sha256:
            return "unchanged"
        return self.put_release(graph_iri, graph, sha256)

    def put_graph(self, graph_iri: str, triples: list[tuple]) -> LoadOutcome:
        return self.put_ntriples(graph_iri, to_ntriples(triples))

    def put_ntriples(self, graph_iri: str, text: str) -> LoadOutcome:
        self._check_writable()
        _check_graph_iri(graph_iri)
        existed = self.query("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(graph_iri)})
        self.update(replace_release_update(f"<{graph_iri}>", text))
        return "replaced" if existed else "added"

    def build_index(self):
        """The build index of a remote store is kept on this machine, in the user's
        cache folder (``$XDG_CACHE_HOME/corporate-kg/``), one file per endpoint URL."""
        import hashlib
        import os
        from pathlib import Path

        from kg.store.index import BuildIndex

        self._check_writable()
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        name = hashlib.sha256(self.update_url.encode("utf-8")).hexdigest()[:16]
        return BuildIndex(cache / "corporate-kg" / f"build-index-{name}.sqlite")

    def remove_release(self, graph_iri: str) -> bool:
        self._check_writable()
        _check_graph_iri(graph_iri)
        if not self.query("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(graph_iri)}):
            return False
        self.update(remove_release_update(f"<{graph_iri}>"))
        return True

    # --- queries ---------------------------------------------------------------------

    def query(self, sparql: str, bindings: dict | None = None) -> QueryResult:
        form = query_form(sparql)
        if form == "UPDATE":
            raise QueryError("this is a SPARQL update, not a query: use Store.update()")
        payload = self._post_query(sparql, bindings, form)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return rdflib.Graph().parse(data=payload.decode("utf-8"), format="nt")
        return parse_results_json(payload, self.query_url)

    def query_solutions(self, sparql: str, bindings: dict | None = None):
        """The endpoint's SPARQL results JSON, read by pyoxigraph's results parser."""
        import pyoxigraph as ox

        form = query_form(sparql)
        if form not in ("SELECT", "ASK"):
            raise QueryError("only a SELECT or ASK query has SPARQL results; "
                             "this one builds a graph")
        payload = self._post_query(sparql, bindings, form)
        try:
            return ox.parse_query_results(payload, ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as err:
            raise StoreError(f"{self.query_url}: unreadable SPARQL results: {err}") from err

    def _post_query(self, sparql: str, bindings: dict | None, form: str) -> bytes:
        fields = {"query": bind_values(sparql, bindings)}
        if self.union_default_graph:
            fields["union-default-graph"] = "true"
        accept = NTRIPLES if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON
        body = urllib.parse.urlencode(fields).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        try:
            payload = self._request("POST", self.query_url, body, headers)
        except StoreError as err:
            if getattr(err, "status", None) == 400:
                raise QueryError(f"{self.query_url} rejected the query: {err.detail}") from err
            raise
        return payload

    def update(self, sparql: str) -> None:
        self._check_writable()
        # The SPARQL 1.1 Protocol's direct POST: a web form cannot send this content type,
        # so a guarded server (kg serve) accepts only it.
        self._request("POST", self.update_url, sparql.encode("utf-8"),
                      {"Content-Type": "application/sparql-update; charset=utf-8"})

    def post_triples(self, graph_iri: str | None, ntriples: bytes) -> None:
        """Add N-Triples to a named graph (``None``: the default graph) with the Graph
        Store Protocol's POST (kg.load sends a file in chunks this way)."""
        self._check_writable()
        if graph_iri is None:
            url = f"{self.store_url}?default"
        else:
            _check_graph_iri(graph_iri)
            url = self._graph_url(graph_iri)
        self._request("POST", url, ntriples, {"Content-Type": NTRIPLES})

    def quads(self) -> Iterator[tuple]:
        for name in self.graphs():
            text = self._request("GET", self._graph_url(name), headers={"Accept": NTRIPLES})
            graph = URIRef(name)
            for s, p, o in rdflib.Graph().parse(data=text.decode("utf-8"), format="nt"):
                yield s, p, o, graph

    def graphs(self) -> list[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(row["g"]) for row in rows if isinstance(row.get("g"), URIRef))

    def count(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"])

    def close(self) -> None:
        self._closed = True

    # --- HTTP ------------------------------------------------------------------------

    def _graph_url(self, graph_iri: str) -> str:
        return f"{self.store_url}?graph={urllib.parse.quote(graph_iri, safe='')}"

    def _request(self, method: str, url: str, body: bytes | None = None, headers=None) -> bytes:
        if self._closed:
            raise StoreError(
                f"{self.location}: the store is closed; open it again with open_store()"
            )
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as err:
            detail = " ".join(err.read().decode("utf-8", "replace").split())[:300]
            raise _http_error(method, url, err.code, detail) from err
        except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
            reason = getattr(err, "reason", err)
            raise StoreError(
                f"{url}: cannot reach the SPARQL endpoint ({reason}); "
                "start one with `kg serve` or check the URL"
            ) from err


def _http_error(method: str, url: str, status: int, detail: str) -> StoreError:
    err = StoreError(f"{method} {url}: HTTP {status}: {detail or 'no details'}")
    err.status = status
    err.detail = detail
    return err


def _check_graph_iri(graph_iri: str) -> None:
    if not is_absolute_iri(str(graph_iri)):
        raise StoreError(f"graph name {graph_iri!r} is not an absolute IRI")


def parse_results_json(payload: bytes, source: str) -> list[dict] | bool:
    """Parse SPARQL 1.1 Query Results JSON into rows of rdflib terms (or a boolean)."""
    try:
        data = json.loads(payload)
    except ValueError as err:
        raise StoreError(f"{source}: the answer is not SPARQL results JSON ({err})") from err
    if "boolean" in data:
        return bool(data["boolean"])
    names = data.get("head", {}).get("vars", [])
    rows = []
    for binding in data.get("results", {}).get("bindings", []):
        rows.append({name: _term(binding[name], source) for name in names if name in binding})
    return rows


def _term(value: dict, source: str):
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
            return Literal(value["value"], datatype=URIRef(datatype), normalize=False)
        return Literal(value["value"])
    raise StoreError(f"{source}: unsupported term in SPARQL results: {value!r}")

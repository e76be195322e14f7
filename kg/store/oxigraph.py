"""The embedded store: pyoxigraph on disk (a directory) or in memory.

The default graph is the merge of the named graphs (see :mod:`kg.store.base`).  A
release is replaced by its differences: the graph's old triples are read from its own
index, the triples it loses are looked up one by one to find those no other graph
states, and one update (``DELETE DATA`` / ``INSERT DATA``, or one atomic ``extend``
when nothing is lost) applies them in one transaction: readers see the old graph or the
new one, never a mix, a failure before or during the update leaves the old graph as it
was, and the cost depends on the graph, not on the size of the store.  A store written
before the merge was kept (an empty default graph beside named graphs) is merged when
opened writable, and queried as the union of its named graphs when opened read-only.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from kg.errors import QueryError, StoreError
from kg.store.base import (
    MERGE_ALL,
    SHA256,
    LoadOutcome,
    QueryResult,
    Store,
    bind_values,
    ntriples,
    query_form,
    remove_release_update,
    replace_release_update,
)
from kg.store.terms import from_ox, is_absolute_iri, solution_rows, to_ox

log = logging.getLogger(__name__)


class OxigraphStore(Store):
    """A pyoxigraph store; ``path=None`` keeps everything in memory.

    Parameters
    ----------
    path:
        The store directory (created if missing), or ``None`` for an in-memory store.
    read_only:
        Open an existing directory without taking its lock (several readers may share
        it; no process may write it meanwhile).
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        self.path = None if path is None else Path(path)
        self.read_only = read_only
        self.location = "memory:" if path is None else str(self.path)
        self._store: ox.Store | None = _open(self.path, read_only)
        self._union = False  # query the union of the named graphs (an unmerged store)
        if _unmerged(self._store):
            if read_only:
                self._union = True
            else:
                self._update(MERGE_ALL)

    # --- releases --------------------------------------------------------------------

    def load_release(self, graph_iri: str, graph: rdflib.Graph, sha256: str) -> LoadOutcome:
        name = _graph_node(graph_iri)
        store = self._open_store()
        recorded = [
            q.object.value for q in store.quads_for_pattern(name, to_ox(SHA256), None, name)
        ]
        if sha256 in recorded:
            return "unchanged"
        return self.put_release(graph_iri, graph, sha256)

    def put_graph(self, graph_iri: str, triples: list[tuple]) -> LoadOutcome:
        """Replace the named graph by ``triples`` touching only that graph and the merged
        triples it changes: the triples it loses are looked up one by one (an index
        lookup each) to find those no other graph states, and one update deletes and
        inserts the differences, in one transaction.  The cost does not depend on the
        size of the store."""
        # Convert everything before touching the store: if this raises, nothing changed.
        new = {(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples}
        return self._put(graph_iri, new, lambda: ntriples(triples))

    def put_ntriples(self, graph_iri: str, text: str) -> LoadOutcome:
        try:
            new = {(q.subject, q.predicate, q.object)
                   for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)}
        except SyntaxError as err:
            raise StoreError(f"{graph_iri}: the graph's N-Triples do not parse: {err}") from err
        return self._put(graph_iri, new, lambda: text)

    def put_ntriples_many(self, graphs: list[tuple[str, str]]) -> list[LoadOutcome]:
        """:meth:`put_ntriples` of each ``(graph_iri, text)``.  The graphs the store does
        not hold yet are written together, in one load of N-Quads: each graph's lines
        with its name, then the same lines again for the merged default graph (a triple
        the merge already holds is written once more, a no-op).  On disk that is
        pyoxigraph's bulk loader, which builds the index files apart and adds them all
        at once when it has read everything: a kill before that leaves none of these
        graphs, never part of one; it reads nothing from the store, so its cost does not
        grow with the store, unlike a transaction per graph.  In memory it is one
        transaction.  The other graphs (already stored, holding blank nodes, empty, or
        not written one statement a line as :func:`kg.store.base.ntriples` writes them)
        are then put one by one."""
        self._check_writable()
        store = self._open_store()
        names = [_graph_node(graph_iri) for graph_iri, _ in graphs]
        together: dict[ox.NamedNode, int] = {}
        for i, (name, (_, text)) in enumerate(zip(names, graphs, strict=True)):
            if name not in together and _plain_ntriples(text) \
                    and not store.contains_named_graph(name):
                together[name] = i
        outcomes: list[LoadOutcome | None] = [None] * len(graphs)
        if together:
            parts = []
            for name, i in together.items():
                text = graphs[i][1]
                parts.append(text.replace(" .\n", f" {name} .\n"))
                parts.append(text)
            data = "".join(parts).encode("utf-8")
            try:
                self._bulk_load(data, format=ox.RdfFormat.N_QUADS)
            except SyntaxError:
                together = {}  # nothing was written: one by one, which names the graph
            except OSError as err:
                raise StoreError(f"{self.location}: update failed: {err}") from err
            for i in together.values():
                outcomes[i] = "added"
        for i, (graph_iri, text) in enumerate(graphs):
            if outcomes[i] is None:
                outcomes[i] = self.put_ntriples(graph_iri, text)
        return outcomes

    def _put(self, graph_iri: str, new: set, text) -> LoadOutcome:
        self._check_writable()
        name = _graph_node(graph_iri)
        store = self._open_store()
        existed = store.contains_named_graph(name)
        old = {(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, name)} if existed else set()
        if any(isinstance(t, ox.BlankNode) for triple in new | old for t in triple):
            # DELETE DATA cannot name blank nodes: the general update (slower) does it
            self._update(replace_release_update(str(name), text()))
            return "replaced" if existed else "added"
        gone, added = old - new, new - old
        if added and not gone:  # nothing to delete: one atomic extend, no SPARQL to parse
            try:
                store.extend([ox.Quad(*t, name) for t in added] + [ox.Quad(*t) for t in added])
            except OSError as err:
                raise StoreError(f"{self.location}: update failed: {err}") from err
            return "replaced" if existed else "added"
        if not gone and not added:
            if not existed:
                store.add_graph(name)
            return "replaced" if existed else "added"
        unmerged = _stated_only_in(store, name, gone)
        g = str(name)
        parts = []
        if gone:
            parts.append("DELETE DATA { GRAPH " + g + " {\n" + _lines(gone) + "} \n"
                         + _lines(unmerged) + "}")
        if added:
            parts.append("INSERT DATA { GRAPH " + g + " {\n" + _lines(added) + "}\n"
                         + _lines(added) + "}")
        self._update(" ;\n".join(parts))
        return "replaced" if existed else "added"

    def remove_release(self, graph_iri: str) -> bool:
        name = _graph_node(graph_iri)
        store = self._open_store()
        if not store.contains_named_graph(name):
            return False
        triples = [(q.subject, q.predicate, q.object)
                   for q in store.quads_for_pattern(None, None, None, name)]
        if any(isinstance(t, ox.BlankNode) for triple in triples for t in triple):
            self._update(remove_release_update(str(name)))
            return True
        unmerged = _stated_only_in(store, name, triples)
        self._update(("DELETE DATA {\n" + _lines(unmerged) + "} ;\n" if unmerged else "")
                     + f"DROP GRAPH {name}")
        return True

    def flush(self) -> None:
        """Flush RocksDB's write buffers to disk: a long build calls it every batch, or
        the buffers grow to hundreds of MB."""
        if self.path is not None and not self.read_only:
            try:
                self._open_store().flush()
            except OSError as err:
                raise StoreError(f"{self.location}: flush failed: {err}") from err

    def build_index(self):
        from kg.store.index import INDEX_FILE, BuildIndex

        if self.path is None:  # lives as long as the store
            if getattr(self, "_memory_index", None) is None:
                self._memory_index = BuildIndex(None, owned=False)
            return self._memory_index
        if self.read_only:
            raise StoreError(f"{self.location}: the store is open read-only; a build writes it")
        return BuildIndex(self.path / INDEX_FILE)

    # --- queries ---------------------------------------------------------------------

    def query(self, sparql: str, bindings: dict | None = None) -> QueryResult:
        form = query_form(sparql)
        if form == "UPDATE":
            raise QueryError("this is a SPARQL update, not a query: use Store.update()")
        text = bind_values(sparql, bindings)
        try:
            result = self._open_store().query(text, use_default_graph_as_union=self._union)
            if isinstance(result, ox.QueryBoolean):
                return bool(result)
            if isinstance(result, ox.QuerySolutions):
                return solution_rows(result)[1]
            graph = rdflib.Graph()
            for triple in result:
                graph.add(
                    (from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object))
                )
            return graph
        except SyntaxError as err:
            raise QueryError(f"SPARQL syntax error: {err}") from err
        except OSError as err:
            raise StoreError(f"{self.location}: query failed: {err}") from err

    def query_solutions(self, sparql: str, bindings: dict | None = None):
        if query_form(sparql) not in ("SELECT", "ASK"):
            raise QueryError("only a SELECT or ASK query has SPARQL results; "
                             "this one builds a graph")
        text = bind_values(sparql, bindings)
        try:
            return self._open_store().query(text, use_default_graph_as_union=self._union)
        except SyntaxError as err:
            raise QueryError(f"SPARQL syntax error: {err}") from err
        except OSError as err:
            raise StoreError(f"{self.location}: query failed: {err}") from err

    def update(self, sparql: str) -> None:
        self._update(sparql)

    def quads(self) -> Iterator[tuple]:
        for quad in self._open_store():
            if isinstance(quad.graph_name, ox.DefaultGraph):
                continue  # the merge, derived from the release graphs
            yield (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object),
                   from_ox(quad.graph_name))

    def graphs(self) -> list[str]:
        return sorted(
            g.value for g in self._open_store().named_graphs() if isinstance(g, ox.NamedNode)
        )

    def count(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"])

    def close(self) -> None:
        index, self._memory_index = getattr(self, "_memory_index", None), None
        if index is not None:
            index.shutdown()
        store, self._store = self._store, None
        flushed = False
        if store is not None and self.path is not None and not self.read_only:
            try:
                store.flush()
                flushed = True
            except OSError as err:  # the data is in RocksDB's log; reopening recovers it
                log.warning("%s: flush on close failed: %s", self.location, err)
        # Dropping the last reference closes RocksDB and releases the directory lock.
        del store
        if flushed:
            _drop_old_logs(self.path)

    # --- bulk input and output (kg.load, kg.export) -------------------------------------

    @property
    def merged(self) -> bool:
        """True when the default graph holds the merge of the named graphs (False for an
        unmerged store opened read-only, which is queried as their union)."""
        return not self._union

    def bulk_load_file(self, path: Path, format: ox.RdfFormat,
                       to_graph: ox.NamedNode | None = None) -> None:
        """Load the file ``path`` with pyoxigraph's bulk loader (on disk: fast, not
        transactional; in memory: one transaction).  Quads go where the file says, its
        triples outside any graph into ``to_graph`` (default: the default graph): the
        caller writes the merge into the default graph itself."""
        self._check_writable()
        self._bulk_load(path=str(path), format=format, to_graph=to_graph)

    def bulk_load_data(self, data: bytes, format: ox.RdfFormat) -> None:
        """:meth:`bulk_load_file` of bytes in memory, parsed leniently (the caller made
        them from statements it has read).  One thread may call it while another runs
        :meth:`bulk_load_file`: each load writes index files of its own and adds them
        to the store when done."""
        self._check_writable()
        self._bulk_load(data, format=format, lenient=True)

    def _bulk_load(self, *args, **kwargs) -> None:
        """pyoxigraph's bulk loader on disk (fast, not transactional), one transaction in
        memory (``Store.load``)."""
        # no local name for the pyoxigraph store: a traceback must not keep it open
        if self.path is None:
            self._open_store().load(*args, **kwargs)
        else:
            self._open_store().bulk_load(*args, **kwargs)

    def checkpoint(self, target: Path) -> None:
        """A copy of the store in ``target`` (a new directory on the same file system:
        RocksDB hard-links its files, so this is cheap), for :meth:`restore`."""
        if self.path is None:
            raise StoreError("an in-memory store has no checkpoint")
        try:
            self._open_store().backup(str(target))
        except OSError as err:
            raise StoreError(f"{self.location}: cannot make a checkpoint: {err}") from err

    def restore(self, checkpoint: Path) -> None:
        """Put the store back as it was at ``checkpoint`` (which is moved into place)."""
        import shutil

        from kg.store.index import INDEX_FILE

        if self.path is None:
            raise StoreError("an in-memory store has no checkpoint")
        self._store = None
        gc.collect()  # the last reference gone: RocksDB closes and releases its lock
        index = self.path / INDEX_FILE  # the build index is not RocksDB's: it stays
        if index.exists():
            os.replace(index, checkpoint / INDEX_FILE)
        shutil.rmtree(self.path)
        os.replace(checkpoint, self.path)
        self._store = _open(self.path, self.read_only)

    def dump(self, output, format: ox.RdfFormat, graph=None, prefixes=None) -> bytes | None:
        """Write one graph (a ``pyoxigraph`` graph name; ``None``: the default graph, the
        merge) with pyoxigraph's own serialiser, straight from the store; the bytes when
        ``output`` is None."""
        try:
            return self._open_store().dump(output, format,
                                            from_graph=ox.DefaultGraph() if graph is None else graph,
                                            prefixes=prefixes)
        except OSError as err:
            raise StoreError(f"{self.location}: cannot read the store: {err}") from err

    def named_graph_nodes(self) -> list:
        """The named graphs as pyoxigraph terms, sorted by IRI."""
        return sorted(self._open_store().named_graphs(), key=lambda g: g.value)

    # --- helpers ---------------------------------------------------------------------

    def _open_store(self) -> ox.Store:
        if self._store is None:
            raise StoreError(
                f"{self.location}: the store is closed; open it again with open_store()"
            )
        return self._store

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(
                f"{self.location}: the store is open read-only; open it writable to change it"
            )

    def _update(self, sparql: str) -> None:
        self._check_writable()
        try:
            self._open_store().update(sparql)
        except SyntaxError as err:
            raise QueryError(f"SPARQL update syntax error: {err}") from err
        except OSError as err:
            raise StoreError(f"{self.location}: update failed: {err}") from err


def _lines(triples) -> str:
    """Oxigraph triples as N-Triples lines (valid inside ``INSERT DATA``), sorted."""
    return "".join(sorted(f"{s} {p} {o} .\n" for s, p, o in triples))


def _plain_ntriples(text: str) -> bool:
    """True for N-Triples text written one statement a line ending in `` .`` (as
    :func:`kg.store.base.ntriples` writes it: literals escape their line breaks) and
    without blank nodes (which one load would merge across graphs), not empty."""
    return bool(text) and "_:" not in text and text.count(" .\n") == text.count("\n") \
        and text.endswith(" .\n")


def _stated_only_in(store: ox.Store, name: ox.NamedNode, triples) -> list:
    """The ``triples`` of graph ``name`` that no other named graph states (an index
    lookup each): those leave the merged default graph with it."""
    return [t for t in triples if not any(
        isinstance(q.graph_name, ox.NamedNode) and q.graph_name != name
        for q in store.quads_for_pattern(*t, None))]


def _drop_old_logs(path: Path) -> None:
    """Let RocksDB delete the write-ahead logs whose data a flush has written to its
    tables: it does so when it opens the store, so open it once more and close it (else
    the old logs stay until the next writer, hundreds of MB after a big build)."""
    try:
        reopened = ox.Store(str(path))
    except OSError as err:  # another writer got there first, or a reference lives on
        log.debug("%s: old logs kept until the next open: %s", path, err)
        return
    del reopened


def _unmerged(store: ox.Store) -> bool:
    """True for a store with named graphs but no merged default graph (written before
    the merge was kept)."""
    has_default = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
    return has_default is None and next(iter(store.named_graphs()), None) is not None


def _graph_node(graph_iri: str) -> ox.NamedNode:
    if not is_absolute_iri(str(graph_iri)):
        raise StoreError(f"graph name {graph_iri!r} is not an absolute IRI")
    return to_ox(URIRef(graph_iri))


def writer_pid(path: str | Path) -> int | None:
    """The id of another process that holds the store at ``path`` open for writing
    (RocksDB's lock on its ``LOCK`` file), read from ``/proc/locks``; ``None`` if there
    is none or the system cannot tell.  Nothing is opened or locked by asking."""
    try:
        info = os.stat(Path(path) / "LOCK")
        table = Path("/proc/locks").read_text()
    except OSError:
        return None
    me = os.getpid()
    for line in table.splitlines():
        fields = line.split()
        if len(fields) < 6 or fields[1] not in ("POSIX", "FLOCK", "OFDLCK"):
            continue
        try:
            pid = int(fields[4])
            major, minor, inode = fields[5].split(":")
            device = os.makedev(int(major, 16), int(minor, 16))
        except ValueError:
            continue
        if int(inode) == info.st_ino and device == info.st_dev and pid != me:
            return pid
    return None


def _open(path: Path | None, read_only: bool) -> ox.Store:
    """Open pyoxigraph's store, turning its errors into a StoreError that says what to do."""
    if path is None:
        return ox.Store()
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: is a file, not a store directory; pass a directory path")
    if read_only and not (path / "CURRENT").exists():
        raise StoreError(
            f"{path}: no Oxigraph store here; build it first (kg build RELEASES --store DIR)"
        )
    if not read_only and path.is_dir() and not (path / "CURRENT").exists() \
            and next(path.iterdir(), None) is not None:
        raise StoreError(
            f"{path}: a folder with other files in it, not an Oxigraph store; pass a new or "
            "empty folder for the store (nothing was written here)"
        )
    if read_only:
        writer = writer_pid(path)
        if writer is not None:
            raise StoreError(
                f"{path}: another process (pid {writer}, e.g. a running `kg build` or "
                "`kg serve --writable`) is writing this store, and reading it meanwhile is "
                "undefined; wait until it has finished, or query it through `kg serve`"
            )
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as err:
        message = str(err)
        if "lock" in message.lower():
            raise StoreError(
                f"{path}: the store is locked by another process (a running `kg serve --writable` "
                "or another kg command); stop that process, or open the store read-only"
            ) from err
        raise StoreError(f"{path}: cannot open the store: {message}") from err
    except RuntimeError as err:  # RocksDB reports corruption as a RuntimeError
        raise StoreError(
            f"{path}: not a readable Oxigraph store ({err}); move the directory away "
            "and rebuild it with `kg build`, or point the store at another directory"
        ) from err

"""Files -> store: bulk-load an RDF export (``kg load FILE...``).

For users who receive a graph rather than releases: a TriG, N-Quads or JSON-LD export
keeps its named graphs (one per release); a Turtle or N-Triples file (one graph) goes
into the named graph given as ``graph``, by default ``kgr:graph/<file name>``.  The
store's default graph stays the merge of its named graphs (:mod:`kg.store.base`): every
triple loaded into a named graph is also written there.

Speed: the file and its share of the merge go through pyoxigraph's bulk loader.  An
N-Quads or N-Triples file without blank nodes is loaded as it is, by path, exactly as a
raw ``bulk_load`` would, while a second thread loads the merge copies (each statement
without its graph name, read line by line) in bulk loads of ``MERGE_CHUNK`` statements:
the loader parses a file this size on one thread, so on a machine with a core to spare
the merge costs little time, and its memory is that of a chunk.  A file with blank nodes
goes in one pass, since one loader must see a blank node and its copy to keep them one
node: its own bytes followed by the merge copies, which Python writes while the loader
reads them.  Other formats are parsed once by pyoxigraph in Python and handed to the
loader as N-Quads.  Blank nodes are the file's own: the loader keeps them apart from
other files'.

Safety: the bulk loader writes outside a transaction, so an on-disk store is first
checkpointed (RocksDB hard-links its files: cheap); if any file fails to parse, the
store is put back as it was and the error names the file and the line.  An in-memory
store loads each file in one transaction, after checking that every file parses.

A remote store (a SPARQL endpoint URL) gets the file in chunks through the Graph Store
Protocol (``POST store?graph=G`` for each named graph a chunk touches, ``POST
store?default`` for its share of the merge), after every file has parsed; a blank node
stays one node only within a chunk's request.

A new input format is one :func:`register_load_format` line.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError, StoreError
from kg.store.base import Store
from kg.store.terms import is_absolute_iri
from kg.vocab import KGR_IRI

#: File suffix -> pyoxigraph format.
LOAD_FORMATS: dict[str, ox.RdfFormat] = {}

BATCH = 20_000  # quads a merge chunk holds: bounded memory whatever the file's size
MERGE_CHUNK = 200_000  # merge copies a bulk load beside the file's own holds
READ_SIZE = 1 << 20
REMOTE_CHUNK = 50_000  # statements a Graph Store Protocol request of kg load carries


def register_load_format(suffix: str, rdf_format: ox.RdfFormat) -> None:
    """Make ``kg load FILE<suffix>`` read ``FILE`` as ``rdf_format``."""
    LOAD_FORMATS[suffix.lower()] = rdf_format


register_load_format(".nq", ox.RdfFormat.N_QUADS)
register_load_format(".nquads", ox.RdfFormat.N_QUADS)
register_load_format(".trig", ox.RdfFormat.TRIG)
register_load_format(".ttl", ox.RdfFormat.TURTLE)
register_load_format(".turtle", ox.RdfFormat.TURTLE)
register_load_format(".nt", ox.RdfFormat.N_TRIPLES)
register_load_format(".jsonld", ox.RdfFormat.JSON_LD)


class LoadError(KgError):
    """A file could not be loaded; nothing was written."""


@dataclass(frozen=True)
class LoadedFile:
    """One file loaded: how many statements it held, and in which format."""

    path: Path
    format: str
    quads: int


@dataclass
class LoadReport:
    """What :func:`load` did."""

    files: list[LoadedFile] = field(default_factory=list)

    @property
    def quads(self) -> int:
        return sum(f.quads for f in self.files)


def format_for_file(path: str | Path) -> ox.RdfFormat:
    """The RDF format a file's suffix names (``.nq`` -> N-Quads)."""
    path = Path(path)
    name = path.name.lower()
    for suffix in sorted(LOAD_FORMATS, key=len, reverse=True):
        if name.endswith(suffix):
            return LOAD_FORMATS[suffix]
    known = ", ".join(sorted(LOAD_FORMATS))
    raise LoadError(f"{path}: cannot tell the RDF format from the suffix; use one of {known}")


def default_graph_for(path: str | Path) -> str:
    """The named graph a Turtle or N-Triples file goes to: ``kgr:graph/<file name>``.

    >>> default_graph_for("in/Partner Graph.ttl")
    'https://w3id.org/corporate-kg/id/graph/partner-graph'
    """
    stem = Path(path).name.split(".")[0]
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "graph"
    return f"{KGR_IRI}graph/{slug}"


def load(store: Store, paths: list[str | Path], graph: str | None = None,
         progress: Callable[[int], None] | None = None) -> LoadReport:
    """Bulk-load RDF files into ``store``, keeping its default graph the merge.

    Parameters
    ----------
    store : Store
        An embedded Oxigraph store opened writable (:func:`kg.store.open_store`).
    paths : list of paths
        ``.nq``, ``.trig``, ``.ttl``, ``.nt`` or ``.jsonld`` files.
    graph : str, optional
        The named graph of triples outside any named graph (all of a Turtle or
        N-Triples file); by default ``kgr:graph/<file name>``.
    progress : callable, optional
        Called with the number of statements of each file loaded.

    Returns
    -------
    LoadReport
        The files loaded and their statement counts.

    Raises
    ------
    LoadError
        A file is missing, of an unknown format, or does not parse; the store is left
        as it was.

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import open_store
    >>> path = Path(tempfile.mkdtemp()) / "g.nq"
    >>> _ = path.write_text('<http://e/a> <http://e/p> "1" <http://e/g> .\\n')
    >>> with open_store("memory:") as store:
    ...     report = load(store, [path])
    ...     store.query("SELECT ?o WHERE { ?s ?p ?o }")[0]["o"].toPython()
    '1'
    >>> report.quads
    1
    """
    from kg.store.oxigraph import OxigraphStore
    from kg.store.sparql import SparqlStore

    if graph is not None and not is_absolute_iri(graph):
        raise LoadError(f"--graph {graph!r} is not an absolute IRI")
    files = []
    for path in map(Path, paths):
        if not path.is_file():
            raise LoadError(f"{path}: no such file; nothing was loaded")
        files.append((path, format_for_file(path)))
    report = LoadReport()

    def each(load) -> LoadReport:
        """Each file loaded by ``load(path, rdf_format)``, its count reported."""
        for path, rdf_format in files:
            report.files.append(load(path, rdf_format))
            if progress:
                progress(report.files[-1].quads)
        return report

    def checked_then_each(load) -> LoadReport:
        """Every file parsed first (nothing is written when one does not), then each
        loaded."""
        for path, rdf_format in files:
            _check_parses(path, rdf_format)
        return each(load)

    if isinstance(store, SparqlStore):
        return checked_then_each(lambda p, f: _post_chunks(store, p, f, graph))
    if not isinstance(store, OxigraphStore):
        raise StoreError(f"{store.location}: kg load writes an embedded or a SPARQL store")
    if store.path is None:  # in memory: one transaction a file
        return checked_then_each(lambda p, f: _load_one(store, p, f, graph))

    checkpoint = store.path.parent / f".{store.path.name}.kg-load-{os.getpid()}"
    shutil.rmtree(checkpoint, ignore_errors=True)
    store.checkpoint(checkpoint)
    try:
        return each(lambda p, f: _load_one(store, p, f, graph))
    except BaseException:
        store.restore(checkpoint)
        raise
    finally:
        shutil.rmtree(checkpoint, ignore_errors=True)


def _load_one(store, path: Path, rdf_format: ox.RdfFormat, graph: str | None) -> LoadedFile:
    """The file and its merge copies into an on-disk store: :func:`_load_beside` when
    the file is N-Quads or N-Triples without blank nodes, else :func:`_load_stream`."""
    target = ox.NamedNode(graph or default_graph_for(path))
    if rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES) \
            and store.path is not None and not _names_blank_nodes(path):
        return _load_beside(store, path, rdf_format, target)
    return _load_stream(store, path, rdf_format, target)


def _names_blank_nodes(path: Path) -> bool:
    """True when ``_:`` occurs anywhere in the file (a blank node label, or perhaps only
    text inside a literal: either way the one-pass load is the safe one)."""
    with open(path, "rb") as source:
        last = b""
        while chunk := source.read(READ_SIZE):
            if b"_:" in last + chunk[:1] or b"_:" in chunk:
                return True
            last = chunk[-1:]
    return False


def _load_beside(store, path: Path, rdf_format: ox.RdfFormat,
                 target: ox.NamedNode) -> LoadedFile:
    """The file by one bulk load of its path (its triples outside any graph into
    ``target``), and meanwhile its merge copies by a :class:`_MergeLoader` thread.  A
    failure of either stops both; the caller puts the store back."""
    merge = _MergeLoader(store, path)
    merge.start()
    try:
        store.bulk_load_file(path, rdf_format, to_graph=target)
    except (SyntaxError, OSError, ValueError) as err:
        merge.stopped.set()
        raise LoadError(_parse_problem(path, rdf_format, err)) from err
    finally:
        merge.join()
    if merge.error is not None:
        raise LoadError(f"{path}: cannot write its merge: {merge.error}; nothing was loaded") \
            from merge.error
    return LoadedFile(path, rdf_format.name, merge.statements)


class _MergeLoader(threading.Thread):
    """Loads the merge copies of an N-Quads or N-Triples file (each statement without its
    graph name) into the default graph, ``MERGE_CHUNK`` statements a bulk load, until
    the file ends or ``stopped`` is set.  A line no reader understands is skipped: the
    load of the file itself reports it."""

    def __init__(self, store, path: Path):
        super().__init__(daemon=True)
        self.store, self.path = store, path
        self.statements = 0
        self.error: BaseException | None = None
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            chunk: list[bytes] = []
            held = 0
            for copies, count in _line_copies(self.path, None):
                chunk.append(copies)
                held += count
                self.statements += count
                if held >= MERGE_CHUNK:
                    self._load(chunk)
                    chunk, held = [], 0
                if self.stopped.is_set():
                    return
            if chunk:
                self._load(chunk)
        except (OSError, SyntaxError, ValueError) as err:
            self.error = err

    def _load(self, chunk: list[bytes]) -> None:
        self.store.bulk_load_data(b"".join(chunk), ox.RdfFormat.N_QUADS)


def _load_stream(store, path: Path, rdf_format: ox.RdfFormat,
                 target: ox.NamedNode) -> LoadedFile:
    """Feed the file and its merge copies, as one N-Quads stream, to one bulk-load call
    (one call: blank nodes keep their identity between a statement and its copy; the
    loader renames them apart from other files').  The stream goes through a named pipe
    beside the store, written by a thread while the loader reads it, so the copies cost
    no pass of their own; where no pipe can be made, through a temporary file."""
    if rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES):
        def write(out) -> int:
            return _write_line_copies(path, out, f"<{target.value}>".encode())
    else:
        def write(out) -> int:
            return _write_parsed(path, rdf_format, out, target)
    where = store.path.parent if store.path is not None else None
    with tempfile.TemporaryDirectory(dir=where, prefix=f".{path.name}.") as folder:
        stream = Path(folder) / "statements.nq"
        feeder = _Feeder(stream, write)
        loader_error = None
        feeder.start()
        try:
            store.bulk_load_file(stream, ox.RdfFormat.N_QUADS)
        except (SyntaxError, OSError, ValueError) as err:
            loader_error = err
        finally:
            feeder.finish()
        if feeder.error is not None and not (loader_error is not None
                                             and isinstance(feeder.error, BrokenPipeError)):
            if isinstance(feeder.error, LoadError):
                raise feeder.error
            raise LoadError(f"{path}: cannot read it: {feeder.error}; nothing was loaded") \
                from feeder.error
        if loader_error is not None:
            # the file's lines come first: the loader's line number is the file's
            problem = str(loader_error).replace(stream.name, path.name)
            raise LoadError(_parse_problem(path, rdf_format, problem)) from loader_error
    return LoadedFile(path, rdf_format.name, feeder.statements)


class _Feeder(threading.Thread):
    """Writes the N-Quads stream for the loader: into a named pipe while the loader reads
    it (pyoxigraph's loader releases the GIL), or first into a file if no pipe can be made."""

    def __init__(self, stream: Path, write: Callable):
        super().__init__(daemon=True)
        self.stream, self.write = stream, write
        self.statements = 0
        self.error: BaseException | None = None
        try:
            os.mkfifo(stream)
            self.piped = True
        except (OSError, AttributeError):
            self.piped = False

    def start(self) -> None:
        if self.piped:
            super().start()
        else:
            self.run()

    def run(self) -> None:
        try:
            with open(self.stream, "wb") as out:
                self.statements = self.write(out)
        except (BrokenPipeError, LoadError, OSError, SyntaxError, ValueError) as err:
            self.error = err

    def finish(self) -> None:
        """Wait for the writer; if the loader stopped reading (or never began), open and
        close the pipe's reading end so that the writer's open or write returns."""
        if not self.piped:
            return
        self.join(timeout=0.5)
        while self.is_alive():
            try:
                fd = os.open(self.stream, os.O_RDONLY | os.O_NONBLOCK)
                os.close(fd)
            except OSError:
                pass
            self.join(timeout=0.5)


def _post_chunks(store, path: Path, rdf_format: ox.RdfFormat, graph: str | None) -> LoadedFile:
    """A remote store: the file in chunks of ``REMOTE_CHUNK`` statements, each chunk one
    Graph Store Protocol POST per named graph it touches and one to the default graph
    (the merge).  Each request is applied alone: a failure midway leaves the chunks sent
    before it."""
    target = ox.NamedNode(graph or default_graph_for(path))
    default = ox.DefaultGraph()
    parsed = ox.parse(path=str(path), format=rdf_format)
    statements = 0
    while batch := list(islice(parsed, REMOTE_CHUNK)):
        statements += len(batch)
        by_graph: dict = {}
        for quad in batch:
            name = target if quad.graph_name == default else quad.graph_name
            by_graph.setdefault(name, []).append(quad.triple)
        for name in sorted(by_graph, key=str):
            value = name.value if isinstance(name, ox.NamedNode) else str(name)
            store.post_triples(value, ox.serialize(by_graph[name], format=ox.RdfFormat.N_TRIPLES))
        store.post_triples(None, ox.serialize([q.triple for q in batch],
                                              format=ox.RdfFormat.N_TRIPLES))
    return LoadedFile(path, rdf_format.name, statements)


def _check_parses(path: Path, rdf_format: ox.RdfFormat) -> None:
    try:
        for _ in ox.parse(path=str(path), format=rdf_format):
            pass
    except (SyntaxError, OSError, ValueError) as err:
        raise LoadError(_parse_problem(path, rdf_format, err)) from err


def _parse_problem(path: Path, rdf_format: ox.RdfFormat, err: BaseException | str) -> str:
    message = " ".join(str(err).split()) or type(err).__name__
    if len(message) > 240:
        message = message[:237] + "..."
    return f"{path}: not valid {rdf_format.name}: {message}; nothing was loaded"


# One N-Quads statement on one line: subject, predicate, object, graph (optional).
_IRI = rb'<[^<>"{}|^`\\\x00-\x20]*>'
_BNODE = rb'_:[^\s<>"{}]*[^\s<>"{}.]'
_LITERAL = rb'"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^' + _IRI + rb")?"
_STATEMENT = re.compile(
    rb"[ \t]*(" + _IRI + rb"|" + _BNODE + rb")[ \t]*(" + _IRI + rb")[ \t]*("
    + _IRI + rb"|" + _BNODE + rb"|" + _LITERAL + rb")[ \t]*(" + _IRI + rb"|" + _BNODE
    + rb")?[ \t]*\.[ \t]*(?:#[^\n]*)?\r?\n?")
_SKIP = re.compile(rb"[ \t]*(?:#[^\n]*)?\r?\n?")


def _write_line_copies(path: Path, out, target: bytes) -> int:
    """N-Quads or N-Triples: the file's own lines, then one copy of each statement: in
    the default graph (the merge) if it names a graph, else in ``target``.  Returns the
    number of statements.

    A line as every export writes it (terms apart by one space, `` .`` at the end) is
    copied by cutting its last term (:func:`_plain_copy`); any other line goes through a
    full pattern, and a line the pattern does not cover (RDF 1.2 triple terms, say)
    through pyoxigraph's parser.  A line nobody can read is left to the loader, which
    reports it with this file's line number, since the file's lines come first."""
    with open(path, "rb") as source:
        last = b"\n"
        while chunk := source.read(READ_SIZE):
            out.write(chunk)
            last = chunk[-1:]
        if last != b"\n":
            out.write(b"\n")
    statements = 0
    for copies, count in _line_copies(path, target):
        out.write(copies)
        statements += count
    return statements


def _line_copies(path: Path, target: bytes | None) -> Iterator[tuple[bytes, int]]:
    """The merge copies of the statements of an N-Quads or N-Triples file, a block of
    lines at a time, with the number of statements in the block: a statement in a
    named graph copied into the default graph, one outside any graph into ``target``
    (or left as it is when ``target`` is None: the file's own load put it there)."""
    with open(path, "rb") as source:
        rest = b""
        while True:
            chunk = source.read(READ_SIZE)
            block = rest + chunk
            if chunk:
                cut = block.rfind(b"\n") + 1
                block, rest = block[:cut], block[cut:]
            if block:
                copies = []
                for line in block.splitlines():
                    copy = _plain_copy(line, target)
                    if copy is None:
                        copy = _pattern_copy(line, target)
                    if copy is not None:
                        copies.append(copy)
                yield b"".join(copies), len(copies)
            if not chunk:
                return


def _plain_copy(line: bytes, target: bytes | None) -> bytes | None:
    """The copy of a line written as ``S P O G .`` or ``S P O .`` with single spaces,
    or ``None`` when the line is written otherwise.

    The last term before `` .`` is a graph name when it is a whole IRI or blank node
    label (no quote inside: a literal's end would have one) and three terms come before
    it; ``S P <o> .`` has two.

    >>> _plain_copy(b'<s> <p> "a <b>"^^<d> <g> .', b"<t>")
    b'<s> <p> "a <b>"^^<d> .\\n'
    >>> _plain_copy(b'<s> <p> <o> .', b"<t>")
    b'<s> <p> <o> <t> .\\n'
    >>> _plain_copy(b'<s> <p> "x <y>" .', b"<t>")
    b'<s> <p> "x <y>" <t> .\\n'
    >>> _plain_copy(b'<s> <p> <o> .', None)
    b'<s> <p> <o> .\\n'
    """
    if not line.endswith(b" .") or line.startswith((b" ", b"#")) or b"\t" in line:
        return None
    head, _, last = line[:-2].rpartition(b" ")
    if b'"' not in last and (
            (last.startswith(b"<") and last.endswith(b">") and last.count(b"<") == 1)
            or last.startswith(b"_:")) and head.count(b" ") >= 2:
        if head.startswith(b'"') or not head:
            return None
        return head + b" .\n"  # a quad: its triple, into the merge
    if last.startswith((b"<", b"_:", b'"')) or last.endswith((b'"', b">")) or b"@" in last:
        if target is None:
            return line + b"\n"  # a triple: where the file's own load put it
        return line[:-2] + b" " + target + b" .\n"  # a triple: into the target graph
    return None


def _pattern_copy(line: bytes, target: bytes | None) -> bytes | None:
    found = _STATEMENT.fullmatch(line + b"\n")
    if found is not None:
        s, p, o, g = found.groups()
        return (b"%s %s %s %s .\n" % (s, p, o, target) if g is None and target is not None
                else b"%s %s %s .\n" % (s, p, o))
    if _SKIP.fullmatch(line) is not None:
        return None  # a blank or comment line
    return _copy_of_line(line, target) or None


def _copy_of_line(line: bytes, target: bytes | None) -> bytes:
    try:
        quads = list(ox.parse(line, format=ox.RdfFormat.N_QUADS))
    except SyntaxError:
        return b""  # the loader reports it, on the file's own line
    graph = ox.DefaultGraph() if target is None else ox.NamedNode(target[1:-1].decode())
    copies = [ox.Quad(q.subject, q.predicate, q.object,
                      graph if q.graph_name == ox.DefaultGraph() else ox.DefaultGraph())
              for q in quads]
    return ox.serialize(copies, format=ox.RdfFormat.N_QUADS)


def _write_parsed(path: Path, rdf_format: ox.RdfFormat, out, target: ox.NamedNode) -> int:
    """Turtle, TriG, JSON-LD: parsed once by pyoxigraph; every statement written into its
    named graph (``target`` for one outside any) and into the default graph."""
    statements = 0
    try:
        parsed = ox.parse(path=str(path), format=rdf_format)
        default = ox.DefaultGraph()
        while batch := list(islice(parsed, BATCH)):
            statements += len(batch)
            quads = []
            for quad in batch:
                s, p, o = quad.subject, quad.predicate, quad.object
                quads.append(ox.Quad(s, p, o, target if quad.graph_name == default
                                     else quad.graph_name))
                quads.append(ox.Quad(s, p, o))
            out.write(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    except (SyntaxError, ValueError) as err:
        raise LoadError(_parse_problem(path, rdf_format, err)) from err
    return statements

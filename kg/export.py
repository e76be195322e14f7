"""Exports: the store's quads to files, in a standard RDF or graph format.

``turtle``  every named graph merged into one graph (provenance stays on the fact nodes:
            each has ``prov:wasDerivedFrom`` its release)
``trig``    named graphs kept, one per release
``nquads``  named graphs kept, one quad a line
``jsonld``  named graphs kept, compacted with a context for the project's prefixes
``graphml`` the company graph of :func:`kg.views.company_graph` (entities as nodes, facts
            as edges) for Gephi, igraph, yEd or Cytoscape; every attribute a scalar
``gexf``    the same graph in Gephi's own format
``csv``     the same graph as two files: ``NAME.nodes.csv`` and ``NAME.edges.csv``
``ftm``     FollowTheMoney entities (:mod:`kg.ftm`), one JSON object a line

Output is deterministic so that diffs between two exports are meaningful.  From the
embedded store, Turtle, TriG and N-Quads stream straight out of Oxigraph's own
serialisers (``Store.dump``), one named graph at a time in the order of their IRIs, and
inside a graph in the store's index order (by subject, then predicate and object, each
keyed by a hash of its text: the same content gives the same bytes on every store and
machine); memory stays flat whatever the store's size, and numbers keep their datatype
and lexical form (``"30"^^xsd:decimal`` stays ``30``, never ``30.0``).  A store holding
blank nodes (whose labels are the store's own), another kind of store, and the other
formats go through rdflib: blank nodes get canonical labels (RDFC-1.0), statements are
written in sorted order.  The same prefixes are bound every time.  The file is written to a temporary name beside the
target and renamed over it at the end, so a failed export never leaves a half-written file.

A new format is one writer function and one :func:`register_exporter` line.  A writer
returns the bytes of the file, or ``{suffix: bytes}`` for a format of several files
(each written as the target's name with that suffix instead of the format's); a format
may also register a ``stream`` function that writes from the embedded store to a binary
file and returns the statement count, or ``None`` when it cannot (blank nodes).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx
import pyoxigraph as ox
import rdflib
from rdflib.namespace import NamespaceManager

from kg.errors import KgError
from kg.store.base import Store
from kg.store.terms import PREFIXES, from_ox, to_ox_quad

Quad = tuple  # (s, p, o, g) as rdflib terms; g is None for the default graph

#: The prefixes compacted in JSON-LD output.
JSONLD_CONTEXT_PREFIXES = ("ckg", "kgr", "prov", "schema", "rdfs", "skos", "dcterms", "xsd")


@dataclass(frozen=True)
class Exporter:
    """How to write one format: its file suffix and a function quads -> bytes."""

    name: str
    suffix: str
    write: Callable[[list[Quad]], bytes | dict[str, bytes]]
    files: tuple[str, ...] = ()  # the suffixes of a format of several files
    stream: Callable[[Any, BinaryIO], int | None] | None = None


EXPORTERS: dict[str, Exporter] = {}


def register_exporter(name: str, suffix: str,
                      write: Callable[[list[Quad]], bytes | dict[str, bytes]],
                      files: tuple[str, ...] = (),
                      stream: Callable[[Any, BinaryIO], int | None] | None = None) -> None:
    """Make ``export(store, path, name)`` use ``write(sorted_quads) -> bytes``; a format
    of several files names their suffixes in ``files`` and returns ``{suffix: bytes}``.
    ``stream(oxigraph_store, binary_file)`` writes straight from the embedded store
    instead, returning the statement count, or ``None`` to fall back to ``write``."""
    EXPORTERS[name] = Exporter(name, suffix, write, files, stream)


def export(store: Store, path: str | Path, fmt: str | None = None) -> int:
    """Write every quad of ``store`` to ``path`` in format ``fmt``; return how many statements.

    ``fmt`` is one of :data:`EXPORTERS` (turtle, trig, nquads, jsonld); if ``None`` it is
    taken from the file suffix.  For turtle the count is of distinct triples after the
    graphs are merged; for the other formats it is of quads.
    """
    path = Path(path)
    exporter = _exporter_for(path, fmt)
    if exporter.stream is not None and _streamable(store):
        with atomic_output(path) as out:
            written = exporter.stream(store, out)
            if written is None:  # blank nodes: canonical labels, through rdflib
                out.seek(0)
                out.truncate()
                data, written = _serialised(exporter, store)
                out.write(data)
        return written
    data, written = _serialised(exporter, store)
    if exporter.files:
        for suffix in exporter.files:
            write_atomically(files_for(path, exporter, suffix), data[suffix])
    else:
        write_atomically(path, data)
    return written


def _serialised(exporter: Exporter, store: Store) -> tuple[bytes | dict[str, bytes], int]:
    """The writer's output for the store's quads, and the statement count."""
    quads = canonical_quads(store.quads())
    data = exporter.write(quads)
    if exporter.name == "turtle":
        return data, len({q[:3] for q in quads})
    return data, len(quads)


def _streamable(store) -> bool:
    """An embedded store whose default graph is the merge (see :mod:`kg.store.base`)."""
    from kg.store.oxigraph import OxigraphStore

    return isinstance(store, OxigraphStore) and store.merged


def files_for(path: str | Path, exporter: Exporter | str, suffix: str) -> Path:
    """The file of a several-file format: ``out/graph.csv`` (or ``out/graph``) and
    ``.nodes.csv`` give ``out/graph.nodes.csv``."""
    path = Path(path)
    if isinstance(exporter, str):
        exporter = _exporter_for(path, exporter)
    name = path.name
    if name.lower().endswith(exporter.suffix):
        name = name[: -len(exporter.suffix)]
    return path.with_name(name + suffix)


def written_files(path: str | Path, fmt: str | None = None) -> list[Path]:
    """The files ``export(store, path, fmt)`` writes."""
    exporter = _exporter_for(Path(path), fmt)
    if not exporter.files:
        return [Path(path)]
    return [files_for(path, exporter, suffix) for suffix in exporter.files]


def format_for_path(path: str | Path) -> str:
    """The export format a file suffix names (``.ttl`` -> ``turtle``)."""
    path = Path(path)
    name = path.name.lower()
    for exporter in sorted(EXPORTERS.values(), key=lambda e: -len(e.suffix)):
        if name.endswith(exporter.suffix):
            return exporter.name
    suffixes = ", ".join(f"{e.suffix} ({e.name})" for e in EXPORTERS.values())
    raise KgError(f"{path}: cannot tell the export format from the suffix; use {suffixes}")


def _exporter_for(path: Path, fmt: str | None) -> Exporter:
    if fmt is None:
        fmt = format_for_path(path)
    if fmt not in EXPORTERS:
        raise KgError(f"unknown export format {fmt!r}; use one of: {', '.join(sorted(EXPORTERS))}")
    return EXPORTERS[fmt]


def canonical_quads(quads) -> list[Quad]:
    """The quads with canonical blank node labels (RDFC-1.0), sorted, without duplicates."""
    dataset = ox.Dataset(to_ox_quad(*quad) for quad in quads)
    if any(_has_blank(quad) for quad in dataset):
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    result = []
    for quad in sorted(dataset, key=lambda q: str(q)):
        graph = None if isinstance(quad.graph_name, ox.DefaultGraph) else from_ox(quad.graph_name)
        result.append((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object), graph))
    return result


def _has_blank(quad: ox.Quad) -> bool:
    return any(
        isinstance(term, ox.BlankNode) for term in (quad.subject, quad.object, quad.graph_name)
    )


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    with atomic_output(path) as out:
        out.write(data)


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` when the block ends without an error (it is
    written beside ``path`` under a temporary name, which an error removes)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
        )
    except OSError as err:
        raise KgError(f"{path}: cannot write the export: {err}") from err
    try:
        with handle:
            os.chmod(handle.name, _file_mode(path))
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except OSError as err:
        Path(handle.name).unlink(missing_ok=True)
        raise KgError(f"{path}: cannot write the export: {err}") from err
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    """The mode the export gets: the old file's, or the usual one for a new file."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# --- writers -------------------------------------------------------------------------


def _bind_prefixes(graph: rdflib.Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


class _TypedLiteral(rdflib.Literal):
    """A literal that Turtle and TriG write with its datatype: rdflib's shorthand would
    change its lexical form (``"30"^^xsd:decimal`` -> ``30.0``), so the re-imported
    term would not be the same term."""

    def _literal_n3(self, use_plain=False, qname_callback=None):
        return super()._literal_n3(use_plain=False, qname_callback=qname_callback)


# Turtle's shorthand for each datatype: a literal is written bare only if its lexical form
# is one, and rdflib writes it as it is.
_SHORTHAND = {
    str(rdflib.XSD.integer): re.compile(r"[+-]?[0-9]+"),
    str(rdflib.XSD.decimal): re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    str(rdflib.XSD.double): re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    str(rdflib.XSD.boolean): re.compile(r"true|false"),
}


def _exact(term):
    """``term``, or a :class:`_TypedLiteral` when rdflib's shorthand would rewrite it."""
    if isinstance(term, rdflib.Literal) and term.datatype is not None:
        shorthand = _SHORTHAND.get(str(term.datatype))
        if shorthand is not None and not (shorthand.fullmatch(str(term))
                                          and term._literal_n3(use_plain=True) == str(term)):
            return _TypedLiteral(str(term), datatype=term.datatype, normalize=False)
    return term


def _merged_graph(quads: list[Quad]) -> rdflib.Graph:
    graph = rdflib.Graph(bind_namespaces="none")
    _bind_prefixes(graph)
    for s, p, o, _ in quads:
        graph.add((s, p, _exact(o)))
    return graph


def _dataset(quads: list[Quad]) -> rdflib.Dataset:
    dataset = rdflib.Dataset()
    dataset.namespace_manager = NamespaceManager(dataset, bind_namespaces="none")
    _bind_prefixes(dataset)
    for s, p, o, g in quads:
        if g is None:
            dataset.default_graph.add((s, p, _exact(o)))
        else:
            dataset.add((s, p, _exact(o), g))
    return dataset


def write_turtle(quads: list[Quad]) -> bytes:
    """All graphs merged into one Turtle graph."""
    return _merged_graph(quads).serialize(format="turtle", encoding="utf-8")


def write_trig(quads: list[Quad]) -> bytes:
    """One TriG graph block per named graph."""
    return _dataset(quads).serialize(format="trig", encoding="utf-8")


def write_nquads(quads: list[Quad]) -> bytes:
    """One N-Quads line per quad, sorted."""
    lines = sorted(str(to_ox_quad(*quad)) + " .\n" for quad in quads)
    return "".join(lines).encode("utf-8")


def write_jsonld(quads: list[Quad]) -> bytes:
    """JSON-LD with a context for the project's prefixes; named graphs kept."""
    context = {prefix: PREFIXES[prefix] for prefix in JSONLD_CONTEXT_PREFIXES}
    text = _dataset(quads).serialize(format="json-ld", context=context, auto_compact=True)
    document = _sorted_nodes(json.loads(text))
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(
        "utf-8"
    )


def _sorted_nodes(value):
    """Sort every JSON-LD array except ``@list`` ones (rdflib's order is not stable)."""
    if isinstance(value, dict):
        return {
            key: [_sorted_nodes(i) for i in item] if key == "@list" else _sorted_nodes(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        items = [_sorted_nodes(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


# --- streaming from the embedded store (pyoxigraph's serialisers) ---------------------


# The prefixes of the streamed Turtle and TriG: the project's, except kgr:, whose local
# names hold slashes that Turtle would escape (kgr:fact\/x\/1): its IRIs stay whole.
STREAM_PREFIXES = {prefix: iri for prefix, iri in PREFIXES.items() if prefix != "kgr"}


def _has_blank_nodes(data: bytes) -> bool:
    """True when serialised RDF may hold a blank node (a literal containing ``_:`` is a
    false alarm that only costs the slower path)."""
    return b"_:" in data


def stream_nquads(store, out: BinaryIO) -> int | None:
    """Every named graph, in IRI order, as N-Quads lines: Oxigraph's N-Triples of each
    graph with the graph's name added (a line of N-Triples ends in `` .\n``, and no
    literal holds a raw line break)."""
    written = 0
    for graph in store.named_graph_nodes():
        chunk = store.dump(None, ox.RdfFormat.N_TRIPLES, graph=graph)
        if _has_blank_nodes(chunk):
            return None
        out.write(chunk.replace(b" .\n", f" {graph} .\n".encode()))
        written += chunk.count(b"\n")
    return written


def stream_turtle(store, out: BinaryIO) -> int | None:
    """The merged default graph, which the store keeps (see :mod:`kg.store.base`), in
    Oxigraph's Turtle with the project's prefixes."""
    start = out.tell()
    store.dump(out, ox.RdfFormat.TURTLE, prefixes=STREAM_PREFIXES)
    out.flush()
    if _file_has_blank_nodes(out, start):
        return None
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(rows[0]["n"])


def stream_trig(store, out: BinaryIO) -> int | None:
    """The project's prefixes once, then one block per named graph in IRI order, each
    Oxigraph's Turtle of that graph (its own prefix lines left out)."""
    out.write("".join(f"@prefix {prefix}: <{iri}> .\n"
                      for prefix, iri in sorted(STREAM_PREFIXES.items())).encode())
    for graph in store.named_graph_nodes():
        chunk = store.dump(None, ox.RdfFormat.TURTLE, graph=graph, prefixes=STREAM_PREFIXES)
        if _has_blank_nodes(chunk):
            return None
        body = 0
        while chunk.startswith(b"@prefix ", body):
            body = chunk.index(b"\n", body) + 1
        out.write(f"\n{graph} {{\n".encode())
        out.write(memoryview(chunk)[body:])
        out.write(b"}\n")
    return store.count()


def _file_has_blank_nodes(handle, start: int) -> bool:
    with open(handle.name, "rb") as written:
        written.seek(start)
        tail = b""
        while chunk := written.read(1 << 20):
            if _has_blank_nodes(tail + chunk):
                return True
            tail = chunk[-1:]
    return False


register_exporter("turtle", ".ttl", write_turtle, stream=stream_turtle)
register_exporter("trig", ".trig", write_trig, stream=stream_trig)
register_exporter("nquads", ".nq", write_nquads, stream=stream_nquads)
register_exporter("jsonld", ".jsonld", write_jsonld)


# --- the company graph: GraphML, GEXF, CSV -----------------------------------------------


def _scalar(value):
    """A value as GraphML/GEXF can hold it: str, int, float or bool (None stays None)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        parts = [_scalar(v) for v in value]
        return "; ".join(str(p) for p in parts if p is not None and not isinstance(p, dict))
    return str(value)


def _flat_attributes(data: dict) -> dict:
    """``data`` with every value a scalar: a dict's entries become ``key.entry``, a list
    of scalars one ``"; "``-joined string, a list of facts (a literal attribute such as
    ``employeeCount``) the value of its most confident fact."""
    flat: dict = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for inner, item in value.items():
                flat[f"{key}.{inner}"] = _scalar(item)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            best = value[0]  # kg.views sorts them by confidence
            flat[key] = _scalar(best.get("value", best.get("lexical")))
        else:
            flat[key] = _scalar(value)
    return {k: v for k, v in flat.items() if v is not None and v != ""}


def flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of a company graph whose attributes are all scalars of one type per key.

    GraphML and GEXF hold str, int, float and bool values, and give each attribute key
    one type: a key whose values are all numbers becomes float, all booleans bool, any
    other mixture str.  Graph-level attributes are left out.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="A", aliases=["Alpha", "AA"], identifiers={"lei": "X1"})
    >>> _ = G.add_edge("a", "b", key="f1", percent=75, qualifiers={"status": "completed"})
    >>> _ = G.add_edge("a", "b", key="f2", percent=12.5)
    >>> H = flat_graph(G)
    >>> H.nodes["a"]["aliases"], H.nodes["a"]["identifiers.lei"], H["a"]["b"]["f1"]["percent"]
    ('Alpha; AA', 'X1', 75.0)
    """
    H = nx.MultiDiGraph()
    H.add_nodes_from((n, _flat_attributes(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, k, _flat_attributes(d)) for u, v, k, d in G.edges(keys=True, data=True))
    for items in (list(H.nodes(data=True)), [(e[:3], e[3]) for e in H.edges(keys=True, data=True)]):
        kinds: dict[str, set] = {}
        for _, data in items:
            for key, value in data.items():
                kinds.setdefault(key, set()).add(type(value))
        for _, data in items:
            for key, value in data.items():
                types = kinds[key]
                if types == {int}:
                    continue
                if types <= {int, float}:
                    data[key] = float(value)
                elif types not in ({bool}, {str}):
                    data[key] = str(value)
    return H


def _company_graph(quads: list[Quad]) -> nx.MultiDiGraph:
    from kg.views import company_graph

    return flat_graph(company_graph(_dataset(quads)))


def write_graphml(quads: list[Quad]) -> bytes:
    """The company graph as GraphML (entities as nodes, facts as edges)."""
    buffer = io.BytesIO()
    nx.write_graphml(_company_graph(quads), buffer, encoding="utf-8", named_key_ids=True)
    return buffer.getvalue()


def write_gexf(quads: list[Quad]) -> bytes:
    """The company graph as GEXF 1.2 (Gephi's format)."""
    buffer = io.BytesIO()
    nx.write_gexf(_company_graph(quads), buffer, encoding="utf-8")
    return buffer.getvalue()


def _csv(rows: list[dict], first: list[str]) -> bytes:
    columns = list(first)
    for row in rows:
        columns += [key for key in row if key not in columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_csv(quads: list[Quad]) -> dict[str, bytes]:
    """The company graph as a nodes file (``id``, attributes) and an edges file
    (``source``, ``target``, ``id`` = the fact IRI, attributes): what spreadsheets and
    Gephi's import of a spreadsheet read."""
    G = _company_graph(quads)
    nodes = [{"id": n, **d} for n, d in sorted(G.nodes(data=True), key=lambda nd: str(nd[0]))]
    edges = [{"source": u, "target": v, "id": k, **d}
             for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: str(e[2]))]
    return {".nodes.csv": _csv(nodes, ["id", "label", "kind"]),
            ".edges.csv": _csv(edges, ["source", "target", "id", "name", "label"])}


register_exporter("graphml", ".graphml", write_graphml)
register_exporter("gexf", ".gexf", write_gexf)
register_exporter("csv", ".csv", write_csv, files=(".nodes.csv", ".edges.csv"))


def write_ftm(quads: list[Quad]) -> bytes:
    """FollowTheMoney entities (:mod:`kg.ftm`), one JSON object a line, sorted by id."""
    from kg.ftm import ftm_entities
    from kg.views import company_graph

    lines = (json.dumps(entity, ensure_ascii=False, sort_keys=True)
             for entity in ftm_entities(company_graph(_dataset(quads))))
    return "".join(line + "\n" for line in lines).encode("utf-8")


register_exporter("ftm", ".ftm.json", write_ftm)

"""Exports: the store's quads to one file, in a standard RDF format.

``turtle``  every named graph merged into one graph (provenance stays on the fact nodes:
            each has ``prov:wasDerivedFrom`` its release)
``trig``    named graphs kept, one per release
``nquads``  named graphs kept, one quad a line
``jsonld``  named graphs kept, compacted with a context for the project's prefixes

Output is deterministic so that diffs between two exports are meaningful: blank nodes
are given canonical labels (RDFC-1.0), statements are written in sorted order, and the
same prefixes are bound every time.  The file is written to a temporary name beside the
target and renamed over it at the end, so a failed export never leaves a half-written file.

A new format is one writer function and one :func:`register_exporter` line.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
    write: Callable[[list[Quad]], bytes]


EXPORTERS: dict[str, Exporter] = {}


def register_exporter(name: str, suffix: str, write: Callable[[list[Quad]], bytes]) -> None:
    """Make ``export(store, path, name)`` use ``write(sorted_quads) -> bytes``."""
    EXPORTERS[name] = Exporter(name, suffix, write)


def export(store: Store, path: str | Path, fmt: str | None = None) -> int:
    """Write every quad of ``store`` to ``path`` in format ``fmt``; return how many statements.

    ``fmt`` is one of :data:`EXPORTERS` (turtle, trig, nquads, jsonld); if ``None`` it is
    taken from the file suffix.  For turtle the count is of distinct triples after the
    graphs are merged; for the other formats it is of quads.
    """
    path = Path(path)
    exporter = _exporter_for(path, fmt)
    quads = canonical_quads(store.quads())
    data = exporter.write(quads)
    write_atomically(path, data)
    if exporter.name == "turtle":
        return len({q[:3] for q in quads})
    return len(quads)


def format_for_path(path: str | Path) -> str:
    """The export format a file suffix names (``.ttl`` -> ``turtle``)."""
    path = Path(path)
    by_suffix = {e.suffix: e.name for e in EXPORTERS.values()}
    if path.suffix.lower() in by_suffix:
        return by_suffix[path.suffix.lower()]
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
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            os.chmod(handle.name, _file_mode(path))
            handle.write(data)
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


register_exporter("turtle", ".ttl", write_turtle)
register_exporter("trig", ".trig", write_trig)
register_exporter("nquads", ".nq", write_nquads)
register_exporter("jsonld", ".jsonld", write_jsonld)

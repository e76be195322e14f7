"""HTML documentation of the ontology, generated from the Turtle with pyLODE.

Usage::

    python -m kg.ontology_docs docs/ontology

writes ``index.html`` (pyLODE's OntPub profile: every class and property with its
label, definition, domain, range, super-terms and alignments) and copies the
ontology and shapes Turtle files beside it, so the documentation links to the
exact files it was made from.
"""

from __future__ import annotations

import shutil
import sys
import types
from importlib import metadata
from pathlib import Path

from rdflib import RDF, Graph, URIRef

from kg import vocab
from kg.errors import KgError


def _import_pylode():
    """Import pyLODE, working around pylode 3.4.1's version module.

    pylode 3.4.1 reads its version from a pyproject.toml that its wheel does not
    ship (RDFLib/pyLODE issues 256 and 260, fixed upstream after 3.4.1); giving it
    the version from the installed package metadata lets it import.
    """
    if "pylode.version" not in sys.modules:
        try:
            version = metadata.version("pylode")
        except metadata.PackageNotFoundError as err:
            raise KgError(
                "pyLODE is not installed; install the 'docs' extra: pip install 'corporate-kg[docs]'"
            ) from err
        shim = types.ModuleType("pylode.version")
        shim.__version__ = version
        sys.modules["pylode.version"] = shim
    import pylode

    return pylode


def documented_graph() -> Graph:
    """The ontology without the bare declarations of external terms.

    The Turtle declares the W3C ORG, schema.org, PROV and FOAF terms it builds on
    (so that it stays OWL 2 DL without imports); the documentation lists the
    ckg: terms and shows the external ones only where they are used.
    """
    source = vocab.ontology()
    graph = Graph()
    for prefix, namespace in source.namespaces():
        graph.bind(prefix, namespace)
    for s, p, o in source:
        external = isinstance(s, URIRef) and not str(s).startswith(vocab.CKG_IRI)
        if external and s != vocab.ONTOLOGY_IRI and p == RDF.type:
            continue
        graph.add((s, p, o))
    return graph


def write_docs(out_dir: str | Path) -> Path:
    """Write the ontology's HTML documentation into ``out_dir``; return the index path.

    Raises KgError when pyLODE is not installed or cannot document the ontology.
    """
    pylode = _import_pylode()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    try:
        pylode.OntPub(ontology=documented_graph(), sort_subjects=True).make_html(destination=index)
    except pylode.PylodeError as err:
        raise KgError(f"ontology/{vocab.ONTOLOGY_PATH.name}: pyLODE cannot document it: {err}") from err
    for source in (vocab.ONTOLOGY_PATH, vocab.SHAPES_PATH):
        shutil.copyfile(source, out / source.name)
    return index


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m kg.ontology_docs OUT_DIR``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m kg.ontology_docs OUT_DIR", file=sys.stderr)
        return 2
    try:
        index = write_docs(args[0])
    except KgError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(index)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

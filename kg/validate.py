"""Data-quality contract: the store's content against ``ontology/shapes.ttl`` (SHACL)."""

from __future__ import annotations

from pathlib import Path

import rdflib

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"


def validate_graph(data: rdflib.Graph) -> tuple[bool, str]:
    """Validate ``data`` (with the ontology for class inference) -> (conforms, report text)."""
    from pyshacl import validate

    shapes = rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    ontology = rdflib.Graph().parse(ONTOLOGY_DIR / "corporate.ttl")
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=ontology,
                                 inference="rdfs", allow_warnings=True)
    return bool(conforms), str(text)


def validate_store(store) -> tuple[bool, str]:
    """Validate the union of every named graph of ``store``."""
    union = rdflib.Graph()
    for s, p, o, _ in store.dataset().quads((None, None, None, None)):
        union.add((s, p, o))
    return validate_graph(union)

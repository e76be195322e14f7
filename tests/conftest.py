"""Shared fixtures: keep only generic ones here (stores, servers, sample data)."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from kg.errors import StoreError
from kg.server import oxigraph_executable, start_server
from kg.store import open_store

TESTS = Path(__file__).resolve().parent
STORE_SAMPLE = TESTS / "data" / "store-sample.trig"


@pytest.fixture
def tmp_store(tmp_path):
    """An empty embedded Oxigraph store in a temporary directory; closed afterwards."""
    store = open_store(tmp_path / "store")
    yield store
    store.close()


@pytest.fixture
def sample_releases() -> dict[str, rdflib.Graph]:
    """The hand-made release graphs of tests/data/store-sample.trig: graph IRI -> Graph."""
    dataset = rdflib.Dataset()
    dataset.parse(STORE_SAMPLE, format="trig")
    releases = {}
    for graph in dataset.graphs():
        if len(graph):
            copy = rdflib.Graph(identifier=graph.identifier)
            for triple in graph:
                copy.add(triple)
            releases[str(graph.identifier)] = copy
    return dict(sorted(releases.items()))


@pytest.fixture
def oxigraph_server(tmp_path):
    """A writable ``oxigraph serve`` on 127.0.0.1 and a free port, over a temporary
    directory; always stopped afterwards.  Skips if the oxigraph CLI is not installed."""
    try:
        oxigraph_executable()
    except StoreError as err:
        pytest.skip(str(err))
    server = start_server(tmp_path / "server-store", port=None, writable=True, ready_timeout=30)
    try:
        yield server
    finally:
        server.stop()

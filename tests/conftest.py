"""Shared fixtures: keep only generic ones here (stores, servers, sample data)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import rdflib

from kg.errors import StoreError
from kg.server import oxigraph_executable, start_server
from kg.store import open_store

TESTS = Path(__file__).resolve().parent
STORE_SAMPLE = TESTS / "data" / "store-sample.trig"
DEMO_RELEASES = TESTS.parent / "data" / "releases"


@pytest.fixture
def tmp_store(tmp_path):
    """An empty embedded Oxigraph store in a temporary directory; closed afterwards."""
    store = open_store(tmp_path / "store")
    yield store
    store.close()


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory) -> Path:
    """The sample releases of data/releases (what ``make demo`` builds), built once into
    an on-disk store; tests open it read-only.

    The rules extract it: the query and analysis tests expect rows checked by hand
    against the releases, which must not move when the trained model is refitted (the
    model's own tests are in test_model.py)."""
    from kg.build import build

    path = tmp_path_factory.mktemp("demo") / "store"
    with open_store(path) as store:
        report = build([DEMO_RELEASES], store, extractor="rules",
                       registry_path=DEMO_RELEASES.parent / "entities.yaml")
    assert report.loaded and not report.errors
    return path


@pytest.fixture(scope="session")
def demo_graph(demo_store_path):
    """The company graph (kg.views.company_graph) of the sample releases."""
    from kg.views import company_graph

    with open_store(demo_store_path, read_only=True) as store:
        return company_graph(store)


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


# --- CI guards and the score summary ------------------------------------------------------

_MUST_RUN_IN_CI = ("browser", "server")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (CI=true) a browser or server test that skips is a failure: they must run."""
    outcome = yield
    report = outcome.get_result()
    if (report.skipped and os.environ.get("CI", "").lower() in ("1", "true", "yes")
            and any(item.get_closest_marker(m) for m in _MUST_RUN_IN_CI)):
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid}: skipped in CI, but browser/server tests must run here"


GOLD_SCORES: dict[str, tuple[dict, dict]] = {}


@pytest.fixture
def record_gold_score():
    """Tests that score a gold file record (name, measured micro row, committed figures)."""

    def record(name: str, micro: dict, committed: dict) -> None:
        GOLD_SCORES[name] = (micro, committed)

    return record


def pytest_terminal_summary(terminalreporter):
    """Print the extraction scores on every run, next to the committed figures."""
    if not GOLD_SCORES:
        return
    tr = terminalreporter
    tr.section("extraction scores (micro P / R / F1; committed figures in brackets)")
    for name, (micro, committed) in sorted(GOLD_SCORES.items()):
        cells = [f"{micro[k]:.3f} [{committed[k]:.3f}]" for k in ("precision", "recall", "f1")]
        tr.write_line(f"{name:<28} P {cells[0]}  R {cells[1]}  F1 {cells[2]}")

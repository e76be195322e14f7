"""kg view at scale: --view, --focus, --limit, and a large graph laid out in Python with
physics off, its hubs named, its communities collapsible (browser test)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg import vocab
from kg.analytics import central_subgraph, neighbours
from kg.cli import app
from kg.html import CHROMIUM, CHROMIUM_ARGS, LAYOUT_THRESHOLD, TOP_LABELS, page_data, write_html
from kg.views import VIEWS, relation_view

runner = CliRunner()


def page_json(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def large_graph(n: int = 700, links: int = 1400, seed: int = 3) -> nx.MultiDiGraph:
    """Companies in a few loose clusters, facts of three relations, one hostile name."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    for i in range(n):
        G.add_node(f"kgr:org/c{i}", label=f"Company {i}", kind="company")
    G.nodes["kgr:org/c0"]["label"] = "<img src=x onerror=alert(1)> Holdings"
    relations = ["subsidiaryOf", "cooperatesWith", "headquarteredIn"]
    for k in range(links):
        u = rng.randrange(n)
        v = (u // 100) * 100 + rng.randrange(100) if rng.random() < 0.9 else rng.randrange(n)
        if u != v:
            G.add_edge(f"kgr:org/c{u}", f"kgr:org/c{v}", key=f"f{k}", name=relations[k % 3],
                       label=relations[k % 3], confidence=0.9, release="r")
    return G


def test_every_view_names_ontology_relations(demo_graph):
    for name, relations in VIEWS.items():
        for relation in relations or ():
            assert vocab.term(relation), (name, relation)
    ownership = relation_view(demo_graph, "ownership")
    assert ownership.number_of_edges() > 0
    assert {d["name"] for _, _, d in ownership.edges(data=True)} <= VIEWS["ownership"]
    assert all(ownership.degree(n) > 0 for n in ownership)  # no entity left without a link
    assert relation_view(demo_graph, "all") is demo_graph


def test_kg_view_focus_depth_limit_and_view(demo_store_path, demo_graph, tmp_path):
    out = tmp_path / "focus.html"
    result = runner.invoke(app, ["view", str(out), "--store", str(demo_store_path),
                                 "--focus", "Hongtuo", "--depth", "1"])
    assert result.exit_code == 0, result.output
    data = page_json(out)
    centre = next(n for n, d in demo_graph.nodes(data=True) if "Hongtuo" in d["label"])
    expected = {centre, *neighbours(demo_graph, centre, 1)}
    assert {n["id"] for n in data["nodes"]} == {str(n) for n in expected}
    assert len(data["nodes"]) < demo_graph.number_of_nodes()

    result = runner.invoke(app, ["view", str(out), "--store", str(demo_store_path),
                                 "--limit", "5", "--view", "ownership"])
    assert result.exit_code == 0, result.output
    data = page_json(out)
    assert len(data["nodes"]) == 5
    assert {e["relation"] for e in data["edges"]} <= VIEWS["ownership"]
    assert "5 entities" in result.stderr

    result = runner.invoke(app, ["view", str(out), "--store", str(demo_store_path),
                                 "--focus", "No Such Company"])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "No Such Company" in result.stderr


def test_central_subgraph_keeps_the_hubs(demo_graph):
    top = central_subgraph(demo_graph, 3)
    assert top.number_of_nodes() == 3
    assert central_subgraph(demo_graph, 10_000) is demo_graph


def test_a_large_graph_is_laid_out_in_python_with_physics_off():
    G = large_graph()
    assert G.number_of_nodes() > LAYOUT_THRESHOLD
    data = page_data(G)
    assert data["layout"] == "precomputed"
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert page_data(G)["nodes"] == data["nodes"]  # the same places on every run
    named = {n["id"] for n in data["nodes"] if n.get("top")}
    assert len(named) == TOP_LABELS
    assert all(n["font"]["size"] > data["options"]["nodes"]["font"]["size"]
               for n in data["nodes"] if n["id"] in named)
    # the hub of every community is named (one a community: names stay apart), then the
    # best-connected of the rest
    degree = dict(G.degree())
    for cluster in data["clusters"]:
        hub = max(cluster["members"], key=lambda n: (degree[n], n))
        assert hub in named
        assert cluster["label"].startswith(G.nodes[hub]["label"])
    # communities the page can collapse: each entity in one at most, all of them real nodes
    members = [m for c in data["clusters"] for m in c["members"]]
    assert data["clusters"] and len(members) == len(set(members)) and set(members) <= set(G)
    # the entities of a cluster lie closer to each other than to the rest
    xy = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    first = data["clusters"][0]["members"]
    inside = sum(_dist(xy[a], xy[b]) for a, b in zip(first, first[1:], strict=False))
    across = sum(_dist(xy[a], xy[b]) for a, b in zip(first, [m for m in xy if m not in first],
                                                     strict=False))
    assert inside < across


def test_a_small_graph_keeps_the_physics_layout(demo_graph):
    data = page_data(demo_graph)
    assert data["layout"] == "physics" and data["clusters"] == []
    assert data["options"]["physics"]["enabled"] is True


def _dist(a, b) -> float:
    return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5


@pytest.mark.browser
def test_a_large_page_is_ready_without_physics_and_collapses(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    G = large_graph()
    page_path = write_html(G, tmp_path / "large.html")
    requests, errors, dialogs = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                       else r.abort())
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(page_path.resolve().as_uri())
            page.wait_for_function("() => window.kgReady === true", timeout=30000)
            assert page.evaluate("() => window.kgNetwork.physics.physicsEnabled") is False
            # the places are the ones computed in Python
            data = page_json(page_path)
            first = data["nodes"][0]
            pos = page.evaluate("id => window.kgNetwork.getPositions([id])[id]", first["id"])
            assert abs(pos["x"] - first["x"]) < 1 and abs(pos["y"] - first["y"]) < 1
            visible = "() => window.kgNodes.get({filter: n => !n.hidden}).length"
            assert page.evaluate(visible) == G.number_of_nodes()
            page.click("#kg-collapse")
            collapsed = page.evaluate(visible)
            assert collapsed < G.number_of_nodes() / 5
            cluster = data["clusters"][0]
            page.evaluate("""id => { window.kgNetwork.emit('doubleClick', {nodes: [id], edges: []});
                                     return true; }""", cluster["id"])
            assert page.evaluate(visible) == collapsed - 1 + len(cluster["members"])
            page.click("#kg-expand")
            assert page.evaluate(visible) == G.number_of_nodes()
            # finding an entity inside a collapsed community opens it
            page.click("#kg-collapse")
            assert page.evaluate("q => window.kgFind(q)", "Company 5") == "kgr:org/c5"
            assert page.evaluate("() => window.kgNodes.get('kgr:org/c5').hidden") is False
        finally:
            browser.close()
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert errors == [] and dialogs == []

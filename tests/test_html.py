"""kg.html: the offline page, as text and as chromium shows it (browser tests)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sample_graphs import XSS_EVIDENCE, XSS_NAME, XSS_TITLE, sample_dataset

from kg.errors import KgError
from kg.html import (
    CHROMIUM,
    CHROMIUM_ARGS,
    page_counts,
    page_data,
    render_html,
    screenshot,
    write_html,
)
from kg.views import company_graph

ORG = "https://w3id.org/corporate-kg/id/org/"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample_graph():
    return company_graph(sample_dataset())


@pytest.fixture(scope="module")
def hostile_graph():
    return company_graph(sample_dataset(hostile=True))


@pytest.fixture(scope="module")
def sample_page(sample_graph, tmp_path_factory):
    return write_html(sample_graph, tmp_path_factory.mktemp("html") / "sample.html",
                      title="Sample graph")


@pytest.fixture(scope="module")
def hostile_page(hostile_graph, tmp_path_factory):
    return write_html(hostile_graph, tmp_path_factory.mktemp("html") / "hostile.html",
                      title="<b>hostile</b> graph")


# --- the page as text ----------------------------------------------------------------


def test_page_references_nothing_remote(sample_page):
    html = sample_page.read_text()
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for attr in ("src", "href", "action", "srcset", "data", "poster"):
            assert attr not in tag.attrs, f"<{tag.name} {attr}=...> in the page"
    assert soup.find("link") is None and soup.find("iframe") is None
    styles = " ".join(s.get_text() for s in soup.find_all("style"))
    assert ".vis-tooltip" in styles  # vis-network's CSS is inlined
    assert not re.search(r"@import|url\(\s*[\"']?\s*(https?:)?//", styles, re.I)
    scripts = soup.find_all("script")
    assert len(scripts) == 3  # the data, vis-network, the page's script
    assert "vis.Network" in html and "vis-network" in scripts[1].get_text()
    assert "sourceMappingURL" not in html


def test_hostile_names_never_reach_the_html_as_markup(hostile_page):
    html = hostile_page.read_text()
    for raw in (XSS_NAME, XSS_TITLE, "<script>alert", "<svg", "</script><script>", "<b>rule"):
        assert raw not in html
    assert "&lt;b&gt;hostile&lt;/b&gt; graph" in html  # the title, escaped
    data = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert data and "<" not in data.group(1) and ">" not in data.group(1)


def test_page_data_matches_the_graph(sample_graph):
    data = page_data(sample_graph)
    assert len(data["nodes"]) == sample_graph.number_of_nodes()
    assert {n["id"] for n in data["nodes"]} == set(sample_graph.nodes)
    # every fact is on exactly one drawn edge
    drawn = [f["fact"] for e in data["edges"] for f in e["facts"]]
    assert sorted(drawn) == sorted(k for _, _, k in sample_graph.edges(keys=True))
    stake = next(e for e in data["edges"]
                 if e["from"] == ORG + "gotion" and e["to"] == ORG + "vw-china")
    assert stake["label"] == "owned by 26%"
    assert stake["facts"][0]["release_title"] == "Volkswagen becomes largest shareholder of Gotion"
    planned = next(e for e in data["edges"] if e["relation"] == "acquires"
                   and e["from"] == ORG + "weiqiao")
    assert planned["label"] == "acquires (planned)" and planned["dashes"]
    done = next(e for e in data["edges"] if e["relation"] == "acquires"
                and e["from"] == ORG + "stellantis")
    assert done["label"] == "acquires 21%" and not done["dashes"]
    kinds = {k["kind"]: k for k in data["kinds"]}
    assert kinds["place"]["count"] == 10 and kinds["group"]["shape"] != kinds["company"]["shape"]
    assert {r["name"]: r["count"] for r in data["relations"]}["listedOn"] == 7
    weiqiao = next(n for n in data["nodes"] if n["id"] == ORG + "weiqiao")
    employees = next(v for v in weiqiao["values"] if v["label"] == "employee count")
    assert employees["value"] == "100,000" and employees["qualifiers"] == "bound: more than"
    assert [src["evidence"] for src in employees["sources"]] == [
        "More than 100,000 people work for the group."]


def _restated(G, node: str, attr: str, releases: list[str]):
    """A copy of G in which more releases state the node's first ``attr`` value again."""
    G = G.copy()
    first = G.nodes[node][attr][0]
    G.nodes[node][attr] = list(G.nodes[node][attr]) + [
        dict(first, release=rid, release_title=f"Release {rid}", evidence=f"Sentence of {rid}.",
             fact=f"urn:x:{rid}", confidence=0.5) for rid in releases]
    return G


def test_identical_values_are_listed_once_with_every_release(sample_graph):
    weiqiao = ORG + "weiqiao"
    G = _restated(sample_graph, weiqiao, "employeeCount", ["r-two", "r-three"])
    G.nodes[weiqiao]["employeeCount"].append(dict(G.nodes[weiqiao]["employeeCount"][0],
                                                  value=6000, release="r-four", qualifiers={}))
    node = next(n for n in page_data(G)["nodes"] if n["id"] == weiqiao)
    counts = [v for v in node["values"] if v["label"] == "employee count"]
    assert [(v["value"], len(v["sources"])) for v in counts] == [("100,000", 3), ("6,000", 1)]
    assert [src["release"] for src in counts[0]["sources"]][1:] == ["r-three", "r-two"]
    assert counts[0]["sources"][0]["confidence"] == 0.9  # the best-supported source first


def test_parallel_links_of_one_pair_never_share_a_curve(sample_graph):
    def bend(e):  # signed curvature seen from the pair's first entity to its second
        if not e["smooth"]["enabled"]:
            return 0.0
        side = 1 if e["smooth"]["type"] == "curvedCW" else -1
        return side * e["smooth"]["roundness"] * (1 if e["from"] < e["to"] else -1)

    G = sample_graph.copy()
    G.add_edge(ORG + "weiqiao", ORG + "baw", key="urn:x:third", name="ownsStakeIn",
               label="owns stake in", percent=35.0)
    pairs: dict = {}
    for e in page_data(G)["edges"]:
        pairs.setdefault(frozenset((e["from"], e["to"])), []).append(bend(e))
    parallel = {p: bends for p, bends in pairs.items() if len(bends) > 1}
    assert len(parallel) >= 4
    assert any(len(b) == 3 for b in parallel.values())  # weiqiao and baw, both directions
    for bends in parallel.values():
        assert len(set(bends)) == len(bends), bends
    assert all(b == [0.0] for b in pairs.values() if len(b) == 1)  # a lone link is straight


def test_header_counts_facts_as_the_graph_does(sample_graph, tmp_path):
    G = sample_graph.copy()
    data = dict(next(iter(G.get_edge_data(ORG + "gotion", ORG + "vw-china").values())))
    G.add_edge(ORG + "gotion", ORG + "vw-china", key="urn:x:again", **dict(data, release="again"))
    counts = page_counts(G)
    assert counts["facts"] == G.number_of_edges() == sample_graph.number_of_edges() + 1
    assert counts["links"] == counts["facts"] - 1 == len(page_data(G)["edges"])
    assert sum(r["count"] for r in page_data(G)["relations"]) == counts["facts"]
    html = write_html(G, tmp_path / "g.html").read_text()
    header = BeautifulSoup(html, "html.parser").find(id="kg-counts").get_text()
    assert header.startswith(f"{G.number_of_nodes()} entities · {counts['facts']} facts in "
                             f"{counts['links']} links")


def test_parallel_facts_from_two_releases_share_one_edge(sample_graph):
    G = sample_graph.copy()
    data = dict(next(iter(G.get_edge_data(ORG + "gotion", ORG + "vw-china").values())))
    data.update(fact="urn:x:second", release="other-release", release_title="Another release",
                evidence="Another sentence says the same.")
    G.add_edge(ORG + "gotion", ORG + "vw-china", key="urn:x:second", **data)
    edges = [e for e in page_data(G)["edges"]
             if e["from"] == ORG + "gotion" and e["to"] == ORG + "vw-china"]
    assert len(edges) == 1
    assert {f["release_title"] for f in edges[0]["facts"]} == {
        "Volkswagen becomes largest shareholder of Gotion", "Another release"}


def test_an_empty_graph_still_makes_a_page(tmp_path):
    import networkx as nx

    html = render_html(nx.MultiDiGraph())
    assert "0 entities · 0 facts in 0 links" in html


def test_screenshot_of_a_missing_page_is_an_error(tmp_path):
    with pytest.raises(KgError, match="no such HTML page"):
        screenshot(tmp_path / "missing.html", tmp_path / "x.png")


# --- the page in chromium -----------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visit:
    """A page opened offline, recording requests, console errors and dialogs."""

    def __init__(self, browser, path: Path):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.route("**/*", self._route)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("() => window.kgReady === true", timeout=30000)

    def _route(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def remote_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:"))]

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def node_on_screen(self, node_id: str) -> tuple[float, float]:
        """Page coordinates of a node's centre."""
        return tuple(self.js("""id => {
            const p = window.kgNetwork.getPositions([id])[id];
            const d = window.kgNetwork.canvasToDOM(p);
            const r = document.getElementById('kg-network').getBoundingClientRect();
            return [r.left + d.x, r.top + d.y];
        }""", node_id))

    def close(self):
        self.page.close()


@pytest.fixture
def visit(browser, sample_page):
    v = Visit(browser, sample_page)
    yield v
    v.close()


@pytest.mark.browser
def test_page_renders_offline_with_every_node(visit, sample_graph):
    assert visit.remote_requests() == []
    assert visit.js("() => document.querySelectorAll('#kg-network canvas').length") == 1
    assert visit.js("() => window.kgNodes.length") == sample_graph.number_of_nodes()
    ids = set(visit.js("() => window.kgNodes.getIds()"))
    assert ids == set(sample_graph.nodes)
    assert visit.js("() => window.kgNetwork.physics.physicsEnabled") is False  # settled
    # the canvas has been drawn on: some pixels are not white
    painted = visit.js("""() => {
        const c = document.querySelector('#kg-network canvas');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < px.length; i += 4) if (px[i + 3] && px[i] < 200) n++;
        return n; }""")
    assert painted > 1000
    assert visit.errors == [] and visit.dialogs == []


@pytest.mark.browser
def test_first_view_names_are_readable_and_link_labels_follow_the_selection(visit):
    scale = visit.js("() => window.kgNetwork.getScale()")
    assert scale >= visit.js("() => window.kgStartScale") > 0.5
    # every entity name is drawn at 10 px or more on screen at the first view
    fonts = visit.js("""() => Object.values(window.kgNetwork.body.nodes)
                             .map(n => n.labelModule.fontOptions.size)""")
    assert min(fonts) * scale >= 10
    # link labels are small at this zoom until their entity is selected
    gotion = ORG + "gotion"
    links = visit.js("id => window.kgNetwork.getConnectedEdges(id)", gotion)
    def on_screen_px():
        return visit.js("""ids => ids.map(id => window.kgNetwork.body.edges[id].labelModule
                                          .fontOptions.size * window.kgNetwork.getScale())""", links)
    visit.js("() => window.kgNetwork.moveTo({scale: 0.3})")
    assert max(on_screen_px()) < 8
    visit.js("q => window.kgSelect(q)", "Gotion High-Tech")
    assert min(on_screen_px()) >= 12
    visit.js("() => window.kgNetwork.moveTo({scale: 0.2})")  # zooming keeps them readable
    visit.page.wait_for_function("""ids => ids.every(id => window.kgNetwork.body.edges[id]
                                    .labelModule.fontOptions.size * window.kgNetwork.getScale() >= 12)""",
                                 arg=links, timeout=3000)
    visit.page.mouse.click(5, 300)  # clicking the background drops the selection
    assert max(on_screen_px()) < 8
    assert visit.errors == []


@pytest.mark.browser
def test_labels_of_parallel_links_lie_apart(visit):
    # where each link's label is drawn (its curve's midpoint), for pairs with several links
    spots = visit.js("""() => {
        const groups = {};
        for (const e of window.kgEdges.get()) {
            const key = [e.from, e.to].sort().join(' ');
            const p = window.kgNetwork.body.edges[e.id].edgeType.getPoint(0.5);
            (groups[key] = groups[key] || []).push([p.x, p.y]);
        }
        return Object.values(groups).filter(g => g.length > 1); }""")
    assert len(spots) >= 4
    for group in spots:
        for i, (x1, y1) in enumerate(group):
            for x2, y2 in group[i + 1:]:
                assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 > 20  # a label is ~14 high


@pytest.mark.browser
def test_layout_stays_still_once_settled(visit):
    before = visit.js("() => window.kgNetwork.getPositions()")
    visit.page.wait_for_timeout(700)
    assert visit.js("() => window.kgNetwork.getPositions()") == before


@pytest.mark.browser
def test_search_focuses_the_node(visit):
    visit.page.fill("#kg-search", "gotion")
    visit.page.press("#kg-search", "Enter")
    gotion = ORG + "gotion"
    visit.page.wait_for_function("id => window.kgFocused === id", arg=gotion, timeout=5000)
    assert visit.js("() => window.kgNetwork.getSelectedNodes()") == [gotion]
    x, y = visit.js("""id => { const p = window.kgNetwork.getPositions([id])[id];
                                const v = window.kgNetwork.getViewPosition(); return [p.x - v.x, p.y - v.y]; }""",
                    gotion)
    assert abs(x) < 5 and abs(y) < 5
    assert visit.page.inner_text("#kg-details h3") == "Gotion High-Tech"
    visit.page.fill("#kg-search", "no such company")
    visit.page.press("#kg-search", "Enter")
    assert "No entity matches" in visit.page.inner_text("#kg-message")
    assert visit.errors == []


@pytest.mark.browser
def test_relation_filter_hides_those_edges(visit):
    def listed_hidden():
        return visit.js("""() => window.kgEdges.get({filter: e => e.relation === 'listedOn'})
                                 .map(e => window.kgNetwork.body.edges[e.id].options.hidden)""")

    assert listed_hidden() and not any(listed_hidden())
    visit.page.uncheck("input[data-relation=listedOn]")
    assert all(listed_hidden()) and len(listed_hidden()) == 7
    others = visit.js("""() => window.kgEdges.get({filter: e => e.relation !== 'listedOn'})
                               .filter(e => window.kgNetwork.body.edges[e.id].options.hidden).length""")
    assert others == 0
    visit.page.check("input[data-relation=listedOn]")
    assert not any(listed_hidden())
    visit.page.uncheck("input[data-kind=place]")
    assert visit.js("""() => window.kgNodes.get({filter: n => n.kind === 'place'})
                             .every(n => window.kgNetwork.body.nodes[n.id].options.hidden)""")


@pytest.mark.browser
def test_hovering_a_node_shows_its_provenance(visit):
    visit.js("() => window.kgNetwork.moveTo({scale: 1.0})")
    weiqiao = ORG + "weiqiao"
    visit.js("id => window.kgNetwork.focus(id, {scale: 1.0})", weiqiao)
    x, y = visit.node_on_screen(weiqiao)
    visit.page.mouse.move(x - 40, y - 40)
    visit.page.mouse.move(x, y, steps=5)
    tooltip = visit.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    text = tooltip.inner_text()
    assert "Weiqiao Pioneering Group" in text
    assert "More than 100,000 people work for the group." in text
    assert "Weiqiao and BAW plan a vehicle base in Qingdao" in text
    assert "confidence 0.90" in text


@pytest.mark.browser
def test_clicking_a_node_lists_its_facts_with_sources(visit):
    gotion = ORG + "gotion"
    visit.js("id => window.kgNetwork.focus(id, {scale: 1.2})", gotion)
    x, y = visit.node_on_screen(gotion)
    visit.page.mouse.click(x, y)
    details = visit.page.inner_text("#kg-details")
    assert "Gotion High-Tech" in details
    assert "Volkswagen China will own 26% of Gotion High-Tech." in details
    assert "Volkswagen becomes largest shareholder of Gotion" in details
    assert "vw-gotion-2020-05-28" in details


@pytest.mark.browser
def test_details_list_a_repeated_value_once_with_its_releases(browser, sample_graph, tmp_path):
    G = _restated(sample_graph, ORG + "weiqiao", "employeeCount", ["r-two", "r-three"])
    v = Visit(browser, write_html(G, tmp_path / "restated.html"))
    try:
        v.js("q => window.kgSelect(q)", "Shandong Weiqiao Pioneering Group")
        details = v.page.inner_text("#kg-details")
        assert details.count("employee count: 100,000") == 1
        assert "stated by 3 releases: weiqiao-baw-2023-04-20, r-three, r-two" in details
        assert "More than 100,000 people work for the group." in details  # the best source
        assert "Sentence of r-two." not in details  # folded away until asked for
        v.page.click("#kg-details details.kg-more summary")
        assert "Sentence of r-two." in v.page.inner_text("#kg-details")
        assert v.errors == []
    finally:
        v.close()


@pytest.mark.browser
def test_hostile_names_render_as_text_and_run_nothing(browser, hostile_page):
    v = Visit(browser, hostile_page)
    try:
        xss = ORG + "xss"
        assert v.js("id => window.kgNodes.get(id).name", xss) == XSS_NAME
        v.js("id => window.kgNetwork.focus(id, {scale: 1.2})", xss)
        x, y = v.node_on_screen(xss)
        v.page.mouse.move(x - 30, y - 30)
        v.page.mouse.move(x, y, steps=5)
        v.page.locator("div.vis-tooltip").wait_for(state="visible", timeout=5000)
        assert XSS_NAME in v.page.inner_text("div.vis-tooltip")
        v.page.mouse.click(x, y)
        assert v.page.inner_text("#kg-details h3") == XSS_NAME
        details = v.page.inner_text("#kg-details")
        assert XSS_EVIDENCE in details and XSS_TITLE in details
        v.page.fill("#kg-search", XSS_NAME)
        v.page.press("#kg-search", "Enter")
        v.page.wait_for_function("id => window.kgFocused === id", arg=xss, timeout=5000)
        assert v.js("() => window.kgNetwork.getSelectedNodes()") == [xss]
        # nothing the names contain became an element, and nothing ran
        assert v.js("() => document.querySelectorAll('img, svg, b, .kg-side script').length") == 0
        assert v.js("() => document.title") == "<b>hostile</b> graph"
        assert v.dialogs == [] and v.errors == [] and v.remote_requests() == []
    finally:
        v.close()


@pytest.mark.browser
def test_screenshot_command_writes_a_png(browser, sample_page, tmp_path):
    # its own process: Playwright's sync API does not nest inside the browser fixture's
    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "kg.html", "--screenshot", str(out),
                           "--width", "900", "--height", "600", str(sample_page)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20000
    assert int.from_bytes(data[16:20], "big") == 900
    wrong = subprocess.run([sys.executable, "-m", "kg.html", "--screenshot", str(out),
                            "--select", "Nowhere Corp", str(sample_page)],
                           cwd=REPO, capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 1 and "no entity named 'Nowhere Corp'" in wrong.stderr

"""Graph -> one self-contained, offline HTML page (pyvis + vis-network, all inlined).

``write_html(G, path)`` draws a graph of :func:`kg.views.company_graph`: entities coloured
and shaped by class with a legend, facts as labelled edges (stakes show their percent,
planned deals are dashed), tooltips and a details panel that show each fact's provenance
(release title and id, evidence sentence, confidence, extractor), a search box, and
checkboxes that filter relations and entity classes.

Readability: a node's size and label grow with its degree; labels scale with the zoom and
are not drawn below a legible size, so zoomed out only hubs are named, and link labels
appear as one zooms in or for the selected or hovered entity.  The first view shows the
largest connected part at a readable zoom (centred on its best-connected entity when it
does not fit).  Parallel links of one pair fan out on distinct curves.  A value stated
by several releases is listed once with every release stating it.  The header counts
facts (one per graph edge, as ``kg view`` does) and the links that carry them.

pyvis builds the nodes, edges and vis-network options; the page template is our own
(``kg/html_assets/``) because pyvis's template links Bootstrap from a CDN even with
``cdn_resources="in_line"``.  vis-network's JavaScript and CSS come from the pyvis
package and are inlined, so the page fetches nothing.

Names and sentences never enter the HTML as markup: the graph travels as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and the
page's script builds every tooltip and panel with ``textContent``.

``python -m kg.html --screenshot OUT.png PAGE.html`` saves a PNG of a page with Debian's
chromium (see :func:`screenshot`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from pyvis.network import Network

from kg.errors import KgError

ASSETS = Path(__file__).with_name("html_assets")
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# Entity class -> how it is drawn.  Shapes with the label below them, so names stay legible.
KIND_STYLE: dict[str, dict[str, Any]] = {
    "group": {"label": "corporate group", "shape": "hexagon", "color": "#d1495b", "size": 30},
    "listed company": {"label": "listed company", "shape": "diamond", "color": "#2e6fba",
                       "size": 24},
    "company": {"label": "company", "shape": "dot", "color": "#5b9bd5", "size": 20},
    "person": {"label": "person", "shape": "triangle", "color": "#f08c2e", "size": 16},
    "site": {"label": "site / plant", "shape": "square", "color": "#8e5ea2", "size": 18},
    "place": {"label": "place", "shape": "triangleDown", "color": "#3a9d5d", "size": 15},
    "exchange": {"label": "stock exchange", "shape": "star", "color": "#d4a017", "size": 20},
    "product": {"label": "product", "shape": "box", "color": "#f6d7a7", "size": 12},
    "industry": {"label": "industry", "shape": "ellipse", "color": "#d9e4ec", "size": 12},
    "other": {"label": "other", "shape": "dot", "color": "#9aa5ad", "size": 12},
}

# Relation (ontology local name) -> family colour of its edges.
_FAMILY_COLOR = {
    "ownership": "#b03a2e",
    "partnership": "#2471a3",
    "operations": "#7d3c98",
    "geography": "#229954",
    "people": "#ca6f1e",
    "markets": "#b7950b",
    "other": "#7b8a8b",
}
_FAMILY = {
    "ownership": ("subsidiaryOf", "hasSubsidiary", "ownedBy", "ownsStakeIn", "acquires",
                  "jointVentureOf", "partOf", "hasPart", "memberOf", "replaces", "replacedBy"),
    "partnership": ("cooperatesWith", "supplies"),
    "operations": ("operates", "operatedBy", "produces", "manufacturer", "industry"),
    "geography": ("location", "locatedInRegion", "headquarteredIn", "formationLocation"),
    "people": ("chiefExecutiveOfficer", "chairperson", "hasOfficer", "employer", "foundedBy",
               "visited"),
    "markets": ("listedOn", "hasListedCompaniesOn"),
}
_RELATION_FAMILY = {name: fam for fam, names in _FAMILY.items() for name in names}
_UNDIRECTED = {"cooperatesWith"}

# Layout and label sizes, in vis-network world units (on screen they scale with the zoom).
SPRING_LENGTH = 140
NODE_FONT = {"min": 17, "max": 26}  # a label's size grows with its entity's degree
EDGE_FONT = 14
LABEL_SCREEN_MIN_PX = 9  # a label smaller than this on screen is not drawn

# Above this many entities the layout is computed in Python (kg.layout) and physics is
# off: the page is ready as soon as it is drawn.  Then only TOP_LABELS entities are named
# in the overview, the best-connected of each community, largest communities first (the
# others when zoomed in), and communities of at least CLUSTER_MIN members can be
# collapsed into one node each.
LAYOUT_THRESHOLD = 500
TOP_LABELS = 40
CLUSTER_MIN = 5
OVERVIEW_PX = 900  # the network area's smaller side the overview's label size assumes


def _relation_color(name: str) -> str:
    return _FAMILY_COLOR[_RELATION_FAMILY.get(name, "other")]


def _wrap(label: str, width: int = 22) -> str:
    return "\n".join(textwrap.wrap(label, width, break_long_words=True)) or label


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def _qualifier_text(qualifiers: dict[str, Any], G: nx.Graph, skip=("percent",)) -> str:
    parts = []
    for key, value in sorted(qualifiers.items()):
        if key in skip:
            continue
        if isinstance(value, str) and value in G:
            value = G.nodes[value].get("label", value)
        parts.append(f"{key}: {_number(value)}")
    return "; ".join(parts)


def _provenance(fact: dict, G: nx.Graph) -> dict[str, Any]:
    return {
        "release": fact.get("release"),
        "release_title": fact.get("release_title"),
        "release_date": fact.get("release_date"),
        "evidence": fact.get("evidence") or "",
        "confidence": fact.get("confidence"),
        "extractor": fact.get("extractor") or "",
        "qualifiers": _qualifier_text(fact.get("qualifiers") or {}, G, skip=()),
        "fact": fact.get("fact"),
    }


def _edge_label(label: str, percent: float | None, status: str | None) -> str:
    text = label
    if percent is not None:
        text += f" {_number(percent)}%"
    if status and status != "completed":
        text += f" ({status})"
    return text


def _grouped_values(G: nx.Graph, attrs: dict) -> list[dict[str, Any]]:
    """An entity's literal values, one entry per distinct value with every release stating it.

    Several releases often repeat a value (the same headcount, the same founding year); the
    page shows it once, followed by the releases that state it, best-supported first.
    """
    groups: dict[tuple, dict[str, Any]] = {}
    for attr in sorted(G.graph.get("literal_attributes", {})):
        for fact in attrs.get(attr) or ():
            label = fact.get("label") or attr
            value = _number(fact.get("value"))
            qualifiers = _qualifier_text(fact.get("qualifiers") or {}, G)
            entry = groups.setdefault((label, value, qualifiers), {
                "label": label, "value": value, "qualifiers": qualifiers, "sources": []})
            entry["sources"].append(_provenance(fact, G))
    for entry in groups.values():
        entry["sources"].sort(key=lambda src: (-(src["confidence"] or 0), src["release"] or ""))
    order = {key: i for i, key in enumerate(groups)}
    return sorted(groups.values(), key=lambda v: (
        v["label"], -len(v["sources"]), order[(v["label"], v["value"], v["qualifiers"])]))


def _parallel_smooth(index: int, count: int, forward: bool) -> dict[str, Any]:
    """The curve of the ``index``-th of ``count`` links between one pair of entities.

    A lone link is straight.  Parallel links fan out symmetrically, each with its own
    roundness, so their lines, labels and hover targets never coincide.  The side is
    taken relative to one fixed direction of the pair (``forward``), so that A->B and
    B->A links do not land on the same curve.
    """
    if count == 1:
        return {"enabled": False}
    offset = index - (count - 1) / 2
    if offset == 0:
        return {"enabled": False}
    clockwise = (offset > 0) == forward
    return {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
            "roundness": round(min(0.9, 0.4 * abs(offset)), 3)}


def page_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """What the page header counts: entities, facts (one per graph edge), links, releases.

    A link is what the page draws between two entities: the facts that say the same thing
    (same subject, relation, object, percent and status) from several releases share one.
    ``kg view`` should print these same numbers.
    """
    links = {(u, v, d.get("name") or d.get("relation") or "related", d.get("percent"),
              d.get("status")) for u, v, d in G.edges(data=True)}
    return {"entities": G.number_of_nodes(), "facts": G.number_of_edges(), "links": len(links),
            "releases": len(G.graph.get("releases", {}))}


def page_data(G: nx.MultiDiGraph, *, title: str = "corporate-kg") -> dict[str, Any]:
    """The plain data the page draws: nodes, merged edges, legend and relation filter.

    Parallel facts that say the same thing (same subject, relation, object, percent and
    status, e.g. from two releases) become one edge listing every source.
    """
    ids = {n: str(n) for n in G.nodes}
    degree = Counter()
    for u, v in G.edges():
        degree[u] += 1
        degree[v] += 1
    merged: dict[tuple, list[dict]] = defaultdict(list)
    for u, v, data in G.edges(data=True):
        name = data.get("name") or data.get("relation") or "related"
        merged[(u, v, name, data.get("percent"), data.get("status"))].append(data)

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line",
                  heading=title)
    for n, attrs in G.nodes(data=True):
        kind = attrs.get("kind") if attrs.get("kind") in KIND_STYLE else "other"
        style = KIND_STYLE[kind]
        name = str(attrs.get("label") or n)
        values = _grouped_values(G, attrs)
        sources = sorted({d.get("release_title") or d.get("release") or ""
                          for _, _, d in G.edges(n, data=True)}
                         | {d.get("release_title") or d.get("release") or ""
                            for _, _, d in G.in_edges(n, data=True)}
                         | {src["release_title"] or src["release"] or ""
                            for v in values for src in v["sources"]} - {""})
        boxed = style["shape"] in ("box", "ellipse")
        net.add_node(
            ids[n], label=_wrap(name), shape=style["shape"],
            color={"background": style["color"], "border": "#2b2b2b" if not boxed else "#8a8a8a",
                   "highlight": {"background": style["color"], "border": "#000000"},
                   "hover": {"background": style["color"], "border": "#000000"}},
            value=degree[n] + (6 if kind == "group" else 0),
            # a hub pushes a little harder, keeping room around it for its name and links
            mass=round(1 + min(degree[n], 30) / 12, 2),
            borderWidth=1, kind=kind, name=name, iri=str(n),
            aliases=list(attrs.get("aliases") or ()), wikidata=attrs.get("wikidata"),
            type=attrs.get("type"), values=values, sources=sources, degree=degree[n],
        )

    relation_counts: Counter = Counter()
    relation_labels: dict[str, str] = {}
    ordered = sorted(merged.items(), key=lambda kv: (
        str(kv[0][0]), str(kv[0][1]), kv[0][2], kv[0][3] or 0, kv[0][4] or ""))
    pair_links: dict[tuple, list] = defaultdict(list)
    for key, _facts in ordered:
        pair_links[tuple(sorted((ids[key[0]], ids[key[1]])))].append(key)
    for (u, v, name, percent, status), facts in ordered:
        facts.sort(key=lambda d: (-(d.get("confidence") or 0), d.get("release") or ""))
        label = facts[0].get("label") or name
        relation_counts[name] += len(facts)
        relation_labels[name] = label
        pair = tuple(sorted((ids[u], ids[v])))
        siblings = pair_links[pair]
        planned = status in ("planned", "agreed")
        hub = max(degree[u], degree[v])
        net.add_edge(
            ids[u], ids[v], id=f"e{len(net.edges)}",
            label=_edge_label(label, percent, status),
            relation=name, relationLabel=label, status=status, percent=percent,
            dashes=[6, 5] if planned else False,
            arrows={"to": {"enabled": name not in _UNDIRECTED, "scaleFactor": 0.6}},
            color={"color": _relation_color(name), "highlight": "#111111", "opacity": 0.85},
            width=1.2 + 2.2 * (percent or 0) / 100 if name in _FAMILY["ownership"] else 1.2,
            smooth=_parallel_smooth(siblings.index((u, v, name, percent, status)),
                                    len(siblings), forward=(ids[u], ids[v]) == pair),
            # a hub's links are longer springs, so its many neighbours spread on a wide ring
            length=round(SPRING_LENGTH * (1 + 0.06 * min(hub, 25))),
            subject=str(G.nodes[u].get("label") or u), object=str(G.nodes[v].get("label") or v),
            facts=[_provenance(d, G) for d in facts],
        )
    large = G.number_of_nodes() > LAYOUT_THRESHOLD
    net.options = _vis_options(G.number_of_nodes(), precomputed=large)
    nodes, edges, heading, _height, _width, options = net.get_network_data()
    clusters = _precomputed_layout(G, nodes, degree) if large else []

    kinds = Counter(node["kind"] for node in nodes)
    components = sorted(nx.weakly_connected_components(G), key=len, reverse=True) if G else []
    return {
        "counts": page_counts(G),
        "main": sorted(ids[n] for n in components[0]) if components else [],
        "layout": "precomputed" if large else "physics",
        "clusters": clusters,
        "title": heading,
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "kinds": [{"kind": k, "label": s["label"], "shape": s["shape"], "color": s["color"],
                   "count": kinds[k]} for k, s in KIND_STYLE.items() if kinds[k]],
        "relations": [{"name": name, "label": relation_labels[name],
                       "color": _relation_color(name), "count": count}
                      for name, count in sorted(relation_counts.items(),
                                                key=lambda kv: (-kv[1], relation_labels[kv[0]]))],
    }


def _precomputed_layout(G: nx.MultiDiGraph, nodes: list[dict],
                        degree: Counter) -> list[dict[str, Any]]:
    """Give every node its place (:func:`kg.layout.community_layout`), name the hub of
    each community at a size readable in the overview, and return the communities the
    page can collapse: ``[{"id", "label", "size", "members"}]``."""
    from kg.layout import community_layout, layout_communities

    groups = layout_communities(G, seed=7)
    positions = community_layout(G, seed=7, groups=groups)
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1.0) * 1.05
    overview_font = max(NODE_FONT["max"], round(15 * extent / OVERVIEW_PX))
    # one name a community, its hub, largest communities first (named hubs stay apart);
    # the best-connected of the rest if there are fewer communities than names
    hubs = [max(group, key=lambda n: (degree[n], str(n))) for group in groups]
    ranked = sorted(degree, key=lambda n: (-degree[n], str(n)))
    top = set(hubs[:TOP_LABELS])
    for node in ranked:
        if len(top) >= min(TOP_LABELS, len(ranked)):
            break
        top.add(node)
    for node in nodes:
        x, y = positions[node["id"]]
        node["x"], node["y"] = x, y
        if node["id"] in top:
            node["font"] = {"size": overview_font}
            node["top"] = True
    clusters = []
    for i, (group, hub) in enumerate(zip(groups, hubs, strict=True), start=1):
        if len(group) < CLUSTER_MIN:
            continue
        name = str(G.nodes[hub].get("label") or hub)
        clusters.append({"id": f"cluster:{i}", "label": f"{name} +{len(group) - 1}",
                         "size": len(group), "members": sorted(str(n) for n in group)})
    return clusters


def _vis_options(n_nodes: int, precomputed: bool = False) -> dict[str, Any]:
    """vis-network options: Barnes-Hut until stable, then the page switches physics off;
    with ``precomputed`` positions (a large graph) no physics at all.

    Labels are sized in world units and scale with the zoom: a node's label grows with
    its degree, and a label smaller than ``LABEL_SCREEN_MIN_PX`` on screen is not drawn,
    so zoomed out only the hubs are named and edge labels appear as one zooms in (the page
    also shows the labels of a selected or hovered entity's links at any zoom).
    """
    options = {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 150 and not precomputed},
        "nodes": {
            "font": {"size": NODE_FONT["min"], "face": "Helvetica, Arial, sans-serif",
                     "color": "#1d2733", "strokeWidth": 5, "strokeColor": "#ffffff",
                     "multi": False},
            "scaling": {"min": 10, "max": 46,
                        "label": {"enabled": True, **NODE_FONT,
                                  "drawThreshold": LABEL_SCREEN_MIN_PX + 1, "maxVisible": 24}},
            "shadow": {"enabled": False},
            "margin": 6,
        },
        "edges": {
            "font": {"size": EDGE_FONT, "face": "Helvetica, Arial, sans-serif",
                     "color": "#2d3640", "strokeWidth": 5, "strokeColor": "#ffffff",
                     "align": "middle"},
            "selectionWidth": 2,
            "hoverWidth": 1.5,
            "scaling": {"label": {"drawThreshold": LABEL_SCREEN_MIN_PX + 2, "maxVisible": 18}},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False,
                        "keyboard": {"enabled": True, "bindToWindow": False},
                        "multiselect": False, "hideEdgesOnDrag": n_nodes > 150},
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -9000, "centralGravity": 0.3,
                          "springLength": SPRING_LENGTH, "springConstant": 0.03,
                          "damping": 0.35, "avoidOverlap": 0.6},
            "maxVelocity": 50,
            "minVelocity": 1.0,
            "stabilization": {"enabled": True, "updateInterval": 40,
                              "iterations": 1500 if n_nodes < 300 else 600 if n_nodes < 1000 else 300,
                              "fit": True},
        },
    }
    if precomputed:
        # fixed places: no physics; a label's size is its own (the overview names the
        # hubs at a readable size, maxVisible caps them when zoomed in), others show
        # when zoomed in
        options["physics"] = {"enabled": False, "stabilization": {"enabled": False}}
        options["nodes"]["scaling"]["label"]["enabled"] = False
        options["edges"]["smooth"] = False
        options["interaction"]["hideEdgesOnZoom"] = True
    return options


def _asset(path: Path) -> str:
    """A JavaScript or CSS file to inline; refuses text that would end its element early."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise KgError(f"{path}: cannot read the page asset: {e}") from e
    text = re.sub(r"/[/*]# sourceMappingURL=\S*(\s*\*/)?", "", text)
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise KgError(f"{path}: contains a closing script/style tag; cannot inline it")
    return text


def _json_for_html(data: Any) -> str:
    """JSON that is inert inside a <script> element: no <, > or & characters at all."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_html(G: nx.MultiDiGraph, *, title: str = "corporate-kg") -> str:
    """The page as a string (see :func:`write_html`)."""
    data = page_data(G, title=title)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ASSETS), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    template = env.get_template("page.html.j2")
    return template.render(
        title=title,
        counts=data["counts"],
        vis_css=jinja2.utils.markupsafe.Markup(_asset(VIS_DIR / "vis-network.css")),
        vis_js=jinja2.utils.markupsafe.Markup(_asset(VIS_DIR / "vis-network.min.js")),
        page_css=jinja2.utils.markupsafe.Markup(_asset(ASSETS / "page.css")),
        page_js=jinja2.utils.markupsafe.Markup(_asset(ASSETS / "page.js")),
        data_json=jinja2.utils.markupsafe.Markup(_json_for_html(data)),
    )


def write_html(G: nx.MultiDiGraph, path: str | Path, *, title: str = "corporate-kg") -> Path:
    """Write the graph as one self-contained HTML file that works offline.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph` (any MultiDiGraph works; missing
        attributes fall back to plain defaults).
    path : str or Path
        The file to write (its folder must exist).
    title : str
        The page title and heading.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("kgr:org/a", "kgr:org/b", name="subsidiaryOf", label="subsidiary of")
    >>> out = write_html(G, Path(tempfile.mkdtemp()) / "graph.html")
    >>> "vis.Network" in out.read_text() and "https://" not in out.read_text().split("<body")[0]
    True
    """
    path = Path(path)
    html = render_html(G, title=title)
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as e:
        raise KgError(f"{path}: cannot write the HTML page: {e}") from e
    return path


def screenshot(html_path: str | Path, png_path: str | Path, *, width: int = 1600,
               height: int = 1000, select: str | None = None, timeout_s: float = 60.0) -> Path:
    """Save a PNG of a page written by :func:`write_html`, as Debian's chromium shows it.

    Every network request is refused, so the picture is what an offline analyst sees.
    Waits until the layout has settled.

    Parameters
    ----------
    html_path : str or Path
        The HTML page.
    png_path : str or Path
        The PNG to write.
    width, height : int
        The viewport in CSS pixels.
    select : str, optional
        The name (or alias) of an entity to select first, so that the side panel shows
        its facts and their sources.
    timeout_s : float
        How long to wait for the layout.

    Returns
    -------
    Path
        ``png_path``.
    """
    html_path, png_path = Path(html_path).resolve(), Path(png_path)
    if not html_path.is_file():
        raise KgError(f"{html_path}: no such HTML page")
    if not Path(CHROMIUM).exists():
        raise KgError(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        raise KgError("screenshot needs playwright: pip install playwright") from e
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": width, "height": height},
                                        device_scale_factor=1)
                page.route("**/*", lambda route: route.continue_()
                           if route.request.url.startswith("file:") else route.abort())
                page.goto(html_path.as_uri())
                page.wait_for_function("() => window.kgReady === true", timeout=timeout_s * 1000)
                if select and page.evaluate("q => window.kgSelect(q)", select) is None:
                    raise KgError(f"{html_path}: no entity named {select!r} to select")
                page.wait_for_timeout(300)
                png_path.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(png_path))
            finally:
                browser.close()
    except PlaywrightError as e:
        raise KgError(f"{html_path}: screenshot failed: {str(e).splitlines()[0]}") from e
    return png_path


def main(argv: list[str] | None = None) -> int:
    """``python -m kg.html --screenshot OUT.png PAGE.html``."""
    parser = argparse.ArgumentParser(prog="python -m kg.html",
                                     description="Save a PNG screenshot of a graph page.")
    parser.add_argument("html", type=Path, help="the HTML page written by kg view")
    parser.add_argument("--screenshot", type=Path, required=True, metavar="OUT.png")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--select", metavar="NAME",
                        help="select this entity first, so the side panel shows its sources")
    args = parser.parse_args(argv)
    try:
        out = screenshot(args.html, args.screenshot, width=args.width, height=args.height,
                         select=args.select)
    except KgError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

/* corporate-kg graph page.  Every name and sentence is put into the page with
   textContent (never innerHTML), so a name like <img onerror=...> stays text. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null && text !== "") { e.textContent = String(text); }
    return e;
  }

  function fmtConfidence(c) {
    return (typeof c === "number") ? c.toFixed(2) : "n/a";
  }

  function kindStyle(kind) {
    for (var i = 0; i < data.kinds.length; i++) {
      if (data.kinds[i].kind === kind) { return data.kinds[i]; }
    }
    return { label: kind, color: "#9aa5ad" };
  }

  /* One fact's provenance: release title (id, date), evidence sentence, confidence. */
  function provenance(fact) {
    var box = el("div", "kg-fact");
    var source = el("div", "kg-source");
    source.appendChild(el("span", "kg-release", fact.release_title || fact.release || "unknown release"));
    var where = [];
    if (fact.release) { where.push(fact.release); }
    if (fact.release_date) { where.push(fact.release_date); }
    if (where.length) { source.appendChild(el("span", "kg-muted", " (" + where.join(", ") + ")")); }
    box.appendChild(source);
    if (fact.evidence) { box.appendChild(el("div", "kg-evidence", fact.evidence)); }
    var meta = "confidence " + fmtConfidence(fact.confidence);
    if (fact.extractor) { meta += " · " + fact.extractor; }
    if (fact.qualifiers) { meta += " · " + fact.qualifiers; }
    box.appendChild(el("div", "kg-muted", meta));
    return box;
  }

  function releaseName(fact) { return fact.release || fact.release_title || "unknown release"; }

  /* "stated by 3 releases: a, b, c" */
  function statedBy(sources) {
    return "stated by " + sources.length + (sources.length === 1 ? " release: " : " releases: ") +
      sources.map(releaseName).join(", ");
  }

  /* One statement (a value or a link) once, then the releases that state it: the best
     source in full, the others folded away under a summary line. */
  function statement(head, sources) {
    var box = el("div", "kg-statement");
    box.appendChild(head);
    if (sources.length > 1) { box.appendChild(el("div", "kg-stated", statedBy(sources))); }
    if (sources.length) { box.appendChild(provenance(sources[0])); }
    if (sources.length > 1) {
      var more = el("details", "kg-more");
      more.appendChild(el("summary", null, "evidence from " + (sources.length - 1) + " more release" +
        (sources.length > 2 ? "s" : "")));
      sources.slice(1).forEach(function (f) { more.appendChild(provenance(f)); });
      box.appendChild(more);
    }
    return box;
  }

  function valueHead(v) {
    return el("div", "kg-fact-head", v.label + ": " + v.value + (v.qualifiers ? " (" + v.qualifiers + ")" : ""));
  }

  function nodeTooltip(n) {
    var tip = el("div", "kg-tip");
    tip.appendChild(el("div", "kg-tip-title", n.name));
    var line = kindStyle(n.kind).label;
    if (n.aliases && n.aliases.length) { line += " · also " + n.aliases.join(", "); }
    if (n.wikidata) { line += " · Wikidata " + n.wikidata; }
    tip.appendChild(el("div", "kg-muted", line));
    (n.values || []).slice(0, 4).forEach(function (v) {
      var box = el("div", "kg-statement");
      box.appendChild(valueHead(v));
      if (v.sources.length > 1) { box.appendChild(el("div", "kg-stated", statedBy(v.sources))); }
      box.appendChild(provenance(v.sources[0]));
      tip.appendChild(box);
    });
    if (n.sources && n.sources.length) {
      tip.appendChild(el("div", "kg-muted", "Stated in: " + n.sources.join(" | ")));
    }
    tip.appendChild(el("div", "kg-muted", n.degree + " relation(s) · click for details"));
    return tip;
  }

  function edgeSentence(e) {
    return e.subject + " — " + e.label + " → " + e.object;
  }

  function edgeTooltip(e) {
    var tip = el("div", "kg-tip");
    tip.appendChild(el("div", "kg-tip-title", edgeSentence(e)));
    if (e.facts.length > 1) { tip.appendChild(el("div", "kg-stated", statedBy(e.facts))); }
    e.facts.slice(0, 3).forEach(function (f) { tip.appendChild(provenance(f)); });
    if (e.facts.length > 3) {
      tip.appendChild(el("div", "kg-muted", "and " + (e.facts.length - 3) + " more sources"));
    }
    return tip;
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return Object.assign({}, n, { title: nodeTooltip(n) });
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return Object.assign({}, e, { title: edgeTooltip(e) });
  }));

  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

  /* ---- details panel ---------------------------------------------------------- */
  var details = document.getElementById("kg-details");

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function nodeLink(id) {
    var a = el("span", "kg-node-link", byId[id] ? byId[id].name : id);
    a.addEventListener("click", function () { focusNode(id); });
    return a;
  }

  function showNode(id) {
    var n = byId[id];
    if (!n) { return; }
    clear(details);
    details.appendChild(el("h3", null, n.name));
    var badge = el("span", "kg-badge", kindStyle(n.kind).label);
    badge.style.background = kindStyle(n.kind).color;
    var sub = el("div");
    sub.appendChild(badge);
    if (n.wikidata) {
      var wd = el("a", null, "Wikidata " + n.wikidata);
      wd.href = "https://www.wikidata.org/wiki/" + encodeURIComponent(n.wikidata);
      wd.target = "_blank";
      wd.rel = "noopener noreferrer";
      sub.appendChild(wd);
    }
    details.appendChild(sub);
    if (n.aliases && n.aliases.length) {
      details.appendChild(el("div", "kg-muted", "Also: " + n.aliases.join(", ")));
    }
    details.appendChild(el("div", "kg-iri", n.iri));
    if (n.values && n.values.length) {
      details.appendChild(el("h4", null, "Values"));
      n.values.forEach(function (v) { details.appendChild(statement(valueHead(v), v.sources)); });
    }
    var connected = edges.get({ filter: function (e) { return e.from === id || e.to === id; } });
    if (connected.length) {
      details.appendChild(el("h4", null, "Relations (" + connected.length + ")"));
      connected.forEach(function (e) {
        var head = el("div", "kg-fact-head");
        head.appendChild(e.from === id ? document.createTextNode(n.name) : nodeLink(e.from));
        head.appendChild(document.createTextNode(" " + e.label + " "));
        head.appendChild(e.to === id ? document.createTextNode(n.name) : nodeLink(e.to));
        details.appendChild(statement(head, e.facts));
      });
    }
  }

  function showEdge(id) {
    var e = edges.get(id);
    if (!e) { return; }
    clear(details);
    var h = el("h3");
    h.appendChild(nodeLink(e.from));
    h.appendChild(document.createTextNode(" " + e.label + " "));
    h.appendChild(nodeLink(e.to));
    details.appendChild(h);
    details.appendChild(el("h4", null, statedBy(e.facts)));
    e.facts.forEach(function (fact) { details.appendChild(provenance(fact)); });
  }

  /* ---- link labels: drawn when zoomed in, and for the selected or hovered entity ----- */
  var baseEdgeFont = data.options.edges.font.size;
  var emphasis = { selected: [], hovered: [] };
  var enlarged = {};

  /* Give the labels of the selected and hovered links a readable size on screen at any
     zoom; put every other link back to the normal size (drawn only when zoomed in). */
  function refreshEmphasis() {
    var want = {};
    emphasis.selected.concat(emphasis.hovered).forEach(function (id) { want[id] = true; });
    var size = Math.max(baseEdgeFont, Math.ceil(130 / network.getScale()) / 10);
    var updates = [];
    Object.keys(enlarged).forEach(function (id) {
      if (!want[id]) { updates.push({ id: id, font: { size: baseEdgeFont } }); }
    });
    Object.keys(want).forEach(function (id) {
      if (enlarged[id] !== size) { updates.push({ id: id, font: { size: size } }); }
      want[id] = size;
    });
    enlarged = want;
    if (updates.length) { edges.update(updates); }
  }

  function emphasize(which, ids) { emphasis[which] = ids; refreshEmphasis(); }

  network.on("hoverNode", function (p) { emphasize("hovered", network.getConnectedEdges(p.node)); });
  network.on("blurNode", function () { emphasize("hovered", []); });
  network.on("hoverEdge", function (p) { emphasize("hovered", [p.edge]); });
  network.on("blurEdge", function () { emphasize("hovered", []); });
  /* after any change of zoom (wheel, focus, fit, moveTo) keep them readable */
  var drawnScale = null;
  network.on("afterDrawing", function () {
    var scale = network.getScale();
    if (scale !== drawnScale) {
      drawnScale = scale;
      if (Object.keys(enlarged).length) { refreshEmphasis(); }
    }
  });

  function selectEntity(id) {
    network.selectNodes([id]);
    emphasize("selected", network.getConnectedEdges(id));
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      emphasize("selected", network.getConnectedEdges(params.nodes[0]));
      showNode(params.nodes[0]);
    } else if (params.edges.length) {
      emphasize("selected", [params.edges[0]]);
      showEdge(params.edges[0]);
    } else {
      emphasize("selected", []);
    }
  });

  /* ---- search ------------------------------------------------------------------- */
  var names = document.getElementById("kg-names");
  var message = document.getElementById("kg-message");
  var seen = {};
  data.nodes.forEach(function (n) {
    [n.name].concat(n.aliases || []).forEach(function (name) {
      if (seen[name]) { return; }
      seen[name] = true;
      var o = document.createElement("option");
      o.value = name;
      names.appendChild(o);
    });
  });

  function findNode(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return null; }
    var exact = null, partial = null;
    data.nodes.forEach(function (n) {
      // hidden by a filter: not found; inside a collapsed community: found (and opened)
      if (nodes.get(n.id).hidden && shownAs(n.id) === n.id) { return; }
      var all = [n.name].concat(n.aliases || []);
      all.forEach(function (name) {
        var s = name.toLowerCase();
        if (s === q && !exact) { exact = n.id; }
        else if (s.indexOf(q) >= 0 && (!partial || byId[partial].degree < n.degree)) { partial = n.id; }
      });
    });
    return exact || partial;
  }

  function focusNode(id) {
    openClusterOf(id);
    window.kgFocused = null;
    network.once("animationFinished", function () { window.kgFocused = id; });
    selectEntity(id);
    network.focus(id, { scale: Math.max(1.1, network.getScale()), locked: false,
                        animation: { duration: 500, easingFunction: "easeInOutQuad" } });
    showNode(id);
  }

  document.getElementById("kg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var query = document.getElementById("kg-search").value;
    var id = findNode(query);
    message.textContent = id ? "" : "No entity matches “" + query + "”.";
    if (id) { focusNode(id); }
  });
  document.getElementById("kg-fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 400 } });
  });

  /* The first view: the largest connected part of the graph (not tiny outliers), never so
     far out that the entities' names become too small to read. */
  var MIN_START_SCALE = 0.65;
  function initialView() {
    if (data.layout === "precomputed") {
      // a large graph laid out in Python: the whole of it, its hubs named
      network.fit({ animation: false });
      return;
    }
    var main = data.main.filter(function (id) { return !nodes.get(id).hidden; });
    network.fit({ nodes: main.length > 1 ? main : undefined, animation: false });
    if (network.getScale() < MIN_START_SCALE && main.length) {
      // too big to show whole at a readable size: start on its best-connected entity
      var hub = main.reduce(function (a, b) { return byId[b].degree > byId[a].degree ? b : a; });
      network.moveTo({ position: network.getPositions([hub])[hub], scale: MIN_START_SCALE,
                       animation: false });
    }
  }

  /* ---- legend (entity classes) and relation filter ------------------------------ */
  function swatch(kind) {
    var s = el("span", "kg-swatch");
    s.style.background = kind.color;
    if (kind.shape === "dot" || kind.shape === "ellipse") { s.style.borderRadius = "50%"; }
    if (kind.shape === "diamond") { s.style.transform = "rotate(45deg) scale(.8)"; }
    if (kind.shape === "triangle") { s.style.clipPath = "polygon(50% 0, 100% 100%, 0 100%)"; }
    if (kind.shape === "triangleDown") { s.style.clipPath = "polygon(0 0, 100% 0, 50% 100%)"; }
    if (kind.shape === "hexagon") { s.style.clipPath = "polygon(25% 0, 75% 0, 100% 50%, 75% 100%, 25% 100%, 0 50%)"; }
    if (kind.shape === "star") { s.style.clipPath = "polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%, 2% 35%, 39% 35%)"; }
    if (kind.shape === "box") { s.style.borderRadius = "3px"; s.style.border = "1px solid #8a8a8a"; }
    return s;
  }

  var hiddenKinds = {};
  var hiddenRelations = {};

  function checkbox(onChange) {
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () { onChange(box.checked); });
    return box;
  }

  var legend = document.getElementById("kg-legend");
  data.kinds.forEach(function (kind) {
    var li = el("li");
    var label = el("label");
    var box = checkbox(function (on) {
      hiddenKinds[kind.kind] = !on;
      nodes.update(nodes.get({ filter: function (n) { return n.kind === kind.kind; } })
        .map(function (n) { return { id: n.id, hidden: !on || shownAs(n.id) !== n.id }; }));
    });
    box.setAttribute("data-kind", kind.kind);
    label.appendChild(box);
    label.appendChild(swatch(kind));
    label.appendChild(el("span", null, kind.label));
    label.appendChild(el("span", "kg-count", kind.count));
    li.appendChild(label);
    legend.appendChild(li);
  });

  var relationList = document.getElementById("kg-relations");
  function setRelation(name, on) {
    hiddenRelations[name] = !on;
    edges.update(edges.get({ filter: function (e) { return e.relation === name; } })
      .map(function (e) { return { id: e.id, hidden: !on }; }));
  }
  data.relations.forEach(function (rel) {
    var li = el("li");
    var label = el("label");
    var box = checkbox(function (on) { setRelation(rel.name, on); });
    box.setAttribute("data-relation", rel.name);
    label.appendChild(box);
    var line = el("span", "kg-line");
    line.style.borderTopColor = rel.color;
    label.appendChild(line);
    label.appendChild(el("span", null, rel.label));
    label.appendChild(el("span", "kg-count", rel.count));
    li.appendChild(label);
    relationList.appendChild(li);
  });
  function setAllRelations(on) {
    relationList.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = on;
      setRelation(box.getAttribute("data-relation"), on);
    });
  }
  document.getElementById("kg-rel-all").addEventListener("click", function () {
    setAllRelations(true);
  });
  document.getElementById("kg-rel-none").addEventListener("click", function () {
    setAllRelations(false);
  });

  /* ---- communities: collapse each into one node, double-click to open ----------- */
  var clusters = data.clusters || [];
  var clusterOf = {};
  clusters.forEach(function (c) { c.members.forEach(function (id) { clusterOf[id] = c.id; }); });
  var clusterFont = data.nodes.reduce(function (size, n) {
    return (n.font && n.font.size > size) ? n.font.size : size;
  }, data.options.nodes.font.size);

  function clusterTitle(c) {
    var tip = el("div", "kg-tip");
    tip.appendChild(el("div", "kg-tip-title", c.label));
    tip.appendChild(el("div", "kg-muted", c.size + " entities · double-click to open"));
    return tip;
  }

  /* A collapsed community: its members hidden, one node in their midst instead, and one
     grey link per pair of (community or entity) that facts link, as wide as they are many. */
  var collapsed = {};

  function shownAs(id) {
    var c = clusterOf[id];
    return (c && collapsed[c]) ? c : id;
  }

  function redrawClusters() {
    var add = [], remove = [], updates = [];
    clusters.forEach(function (c) {
      var present = nodes.get(c.id) !== null;
      if (collapsed[c.id] && !present) {
        var positions = network.getPositions(c.members), x = 0, y = 0;
        c.members.forEach(function (id) { x += positions[id].x; y += positions[id].y; });
        add.push({ id: c.id, label: c.label, shape: "dot", size: 30 * Math.sqrt(c.size),
                   x: x / c.size, y: y / c.size, borderWidth: 2, cluster: true,
                   color: { background: "#cfd8dc", border: "#455a64" },
                   font: { size: clusterFont }, title: clusterTitle(c) });
        c.members.forEach(function (id) { updates.push({ id: id, hidden: true }); });
      } else if (!collapsed[c.id] && present) {
        remove.push(c.id);
        c.members.forEach(function (id) {
          updates.push({ id: id, hidden: !!hiddenKinds[byId[id].kind] });
        });
      }
    });
    var links = {};
    data.edges.forEach(function (e) {
      var a = shownAs(e.from), b = shownAs(e.to);
      if (a === b || (a === e.from && b === e.to)) { return; }
      var key = a < b ? a + "\u0000" + b : b + "\u0000" + a;
      links[key] = (links[key] || 0) + 1;
    });
    edges.remove(edges.getIds({ filter: function (e) { return e.clusterLink; } }));
    nodes.update(updates);
    nodes.remove(remove);
    nodes.add(add);
    edges.add(Object.keys(links).map(function (key, i) {
      var ends = key.split("\u0000");
      return { id: "cluster-link:" + i, from: ends[0], to: ends[1], clusterLink: true,
               width: Math.min(8, 1 + Math.log(links[key])), smooth: false,
               arrows: { to: { enabled: false } }, color: { color: "#90a4ae", opacity: 0.7 },
               title: el("div", "kg-tip", links[key] + " facts") };
    }));
  }

  function collapseClusters() {
    clusters.forEach(function (c) { collapsed[c.id] = true; });
    redrawClusters();
    window.kgCollapsed = true;
  }

  function expandClusters() {
    collapsed = {};
    redrawClusters();
    window.kgCollapsed = false;
  }

  function openClusterOf(id) {
    var c = clusterOf[id];
    if (c && collapsed[c]) { delete collapsed[c]; redrawClusters(); }
  }

  if (clusters.length) {
    document.getElementById("kg-cluster-section").hidden = false;
    document.getElementById("kg-collapse").addEventListener("click", collapseClusters);
    document.getElementById("kg-expand").addEventListener("click", expandClusters);
    network.on("doubleClick", function (p) {
      if (p.nodes.length && collapsed[p.nodes[0]]) {
        delete collapsed[p.nodes[0]];
        redrawClusters();
      }
    });
  }

  /* ---- layout: stabilise, then switch physics off so nothing jitters ------------ */
  var loading = document.getElementById("kg-loading");
  var progress = document.getElementById("kg-progress");
  var settled = false;

  function settle() {
    if (settled) { return; }
    settled = true;
    network.setOptions({ physics: { enabled: false } });
    initialView();
    loading.className = "kg-loading done";
    window.kgReady = true;
    document.body.setAttribute("data-ready", "true");
  }

  network.on("stabilizationProgress", function (p) {
    progress.textContent = Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);
  if (data.nodes.length === 0) { settle(); }
  if (data.layout === "precomputed") {
    // places computed in Python, no physics: ready once drawn
    loading.className = "kg-loading done";
    network.once("afterDrawing", settle);
  }
  setTimeout(settle, 20000);

  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgEdges = edges;
  window.kgStartScale = MIN_START_SCALE;
  window.kgCollapse = collapseClusters;
  window.kgExpand = expandClusters;
  window.kgFind = function (query) { var id = findNode(query); if (id) { focusNode(id); } return id; };
  /* Select an entity and show its details without moving the view (for screenshots). */
  window.kgSelect = function (query) {
    var id = findNode(query);
    if (id) { selectEntity(id); showNode(id); }
    return id;
  };
}());

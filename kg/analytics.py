"""Answers computed on the graph of :func:`kg.views.company_graph`.

Plain functions over a NetworkX graph that return plain data, in the style of NetworkX's
own algorithms.  Edges are facts; a fact's relation is read from the edge attribute
``name`` (the ontology term's local name, e.g. ``"subsidiaryOf"``), its stake from
``percent`` and its deal status from ``status``.

Ownership and control
---------------------
``ownership_graph(G)`` reduces the facts to one ``owner -> owned`` edge per pair:

* ``subsidiaryOf`` (subsidiary -> parent) and ``hasSubsidiary``: the parent owns the
  subsidiary, 100% unless a percent is stated;
* ``ownedBy`` (owned -> owner) and ``ownsStakeIn``: the stated percent, else unknown;
* ``jointVentureOf`` (joint venture -> partner) with a stated percent;
* ``acquires`` once its status is ``completed``: the stated percent, else unknown.

When several facts speak of the same pair, a stated percent wins over an implied one,
and among stated percents the most confident (then the most recent) one.  An owner
*controls* what it holds more than 50% of, or what is called its subsidiary or "owned by"
it without a percent.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx

from kg.errors import KgError

# Relation names (ontology local names) read as ownership, by direction.
OWNED_TO_OWNER = frozenset({"subsidiaryOf", "ownedBy", "jointVentureOf"})
OWNER_TO_OWNED = frozenset({"hasSubsidiary", "ownsStakeIn", "acquires"})
SUBSIDIARY_RELATIONS = frozenset({"subsidiaryOf", "hasSubsidiary"})
# Membership of a group beyond ownership: member -> whole.
MEMBERSHIP_RELATIONS = frozenset({"partOf", "memberOf"})
COMPANY_KINDS = frozenset({"group", "company", "listed company"})


class EntityNotFound(KgError, KeyError):
    """No entity (or more than one) has the name that was asked for."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class NoConnection(KgError):
    """Two entities are not connected in the graph."""


def find_entity(G: nx.Graph, name: Hashable) -> Hashable:
    """The node an IRI, label or alias names.

    Parameters
    ----------
    G : networkx graph
        Nodes may carry ``label`` and ``aliases`` attributes.
    name : node or str
        A node key (IRI), or a label or alias, compared case-insensitively.

    Returns
    -------
    node
        The node key.

    Raises
    ------
    EntityNotFound
        When nothing, or more than one entity, has that name.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("kgr:org/baw", label="Beijing Automobile Works", aliases=["BAW"])
    >>> find_entity(G, "baw")
    'kgr:org/baw'
    """
    if name in G:
        return name
    wanted = str(name).casefold().strip()
    by_label = [n for n, label in G.nodes(data="label") if label and label.casefold() == wanted]
    if len(by_label) == 1:
        return by_label[0]
    by_alias = [n for n, aliases in G.nodes(data="aliases")
                if any(a.casefold() == wanted for a in aliases or ())]
    matches = by_label or by_alias
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise EntityNotFound(f"no entity named {name!r} in the graph "
                             "(give its IRI, label or an alias)")
    names = ", ".join(sorted(str(m) for m in matches))
    raise EntityNotFound(f"{name!r} names {len(matches)} entities ({names}); give the IRI")


def _stake(owner: Hashable, owned: Hashable, data: dict) -> dict | None:
    """The ownership a fact states, or None when it states none."""
    name = data.get("name")
    percent = data.get("percent")
    if name == "acquires" and data.get("status") != "completed":
        return None
    if name == "jointVentureOf" and percent is None:
        return None
    implied = name in SUBSIDIARY_RELATIONS and percent is None
    return {
        "owner": owner,
        "owned": owned,
        "percent": 100.0 if implied else (float(percent) if percent is not None else None),
        "stated": percent is not None,
        "control": (float(percent) > 50.0) if percent is not None
        else name in SUBSIDIARY_RELATIONS | {"ownedBy", "ownsStakeIn", "acquires"},
        "confidence": data.get("confidence") or 0.0,
        "date": data.get("release_date") or "",
        "fact": data.get("fact"),
    }


def ownership_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    """One ``owner -> owned`` edge per pair that some fact says is held.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.

    Returns
    -------
    networkx.DiGraph
        Edge attributes: ``percent`` (float, or None when no fact states it),
        ``stated`` (a fact gives the percent), ``control`` (bool) and ``facts``
        (the fact IRIs that say so).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("sub", "parent", name="subsidiaryOf")
    >>> H = ownership_graph(G)
    >>> H["parent"]["sub"]["percent"], H["parent"]["sub"]["control"]
    (100.0, True)
    """
    candidates: dict[tuple, list[dict]] = {}
    for u, v, data in G.edges(data=True):
        name = data.get("name")
        if name in OWNED_TO_OWNER:
            stake = _stake(v, u, data)
        elif name in OWNER_TO_OWNED:
            stake = _stake(u, v, data)
        else:
            continue
        if stake is not None and stake["owner"] != stake["owned"]:
            candidates.setdefault((stake["owner"], stake["owned"]), []).append(stake)
    H = nx.DiGraph()
    H.add_nodes_from(G.nodes(data=False))
    for (owner, owned), stakes in candidates.items():
        best = max(stakes, key=lambda s: (s["stated"], s["percent"] is not None,
                                          s["confidence"], s["date"]))
        control = best["control"] if best["stated"] else any(s["control"] for s in stakes)
        H.add_edge(owner, owned, percent=best["percent"], stated=best["stated"],
                   control=control, facts=sorted(str(s["fact"]) for s in stakes if s["fact"]))
    return H


def _control_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    H = ownership_graph(G)
    C = nx.DiGraph()
    C.add_nodes_from(H)
    C.add_edges_from((u, v) for u, v, c in H.edges(data="control") if c)
    return C


def ultimate_parents(G: nx.MultiDiGraph, company: Hashable) -> set:
    """The entities at the top of a company's chain of control.

    Follows subsidiary and majority-ownership facts upwards until an entity that
    nobody controls.  A cycle at the top (A controls B controls A) yields its members.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.
    company : node or str
        The company's IRI, label or alias.

    Returns
    -------
    set
        Ultimate parents; empty when nobody controls the company.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("plant co", "europe", name="subsidiaryOf")
    >>> _ = G.add_edge("europe", "group", name="ownedBy", percent=60.0)
    >>> ultimate_parents(G, "plant co")
    {'group'}
    """
    node = find_entity(G, company)
    C = _control_graph(G)
    controllers = nx.ancestors(C, node)
    if not controllers:
        return set()
    component = {n: i for i, scc in enumerate(nx.strongly_connected_components(C.subgraph(
        controllers | {node}))) for n in scc}
    return {a for a in controllers
            if a != node and all(component.get(p) == component[a] for p in C.predecessors(a))}


def subsidiaries(G: nx.MultiDiGraph, company: Hashable, transitive: bool = True) -> set:
    """The entities a company controls (majority-owned or called its subsidiary).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.
    company : node or str
        The company's IRI, label or alias.
    transitive : bool
        Also the subsidiaries of subsidiaries (default), else only direct ones.

    Returns
    -------
    set
        Controlled entities, never the company itself.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("plant co", "europe", name="subsidiaryOf")
    >>> _ = G.add_edge("europe", "group", name="subsidiaryOf")
    >>> sorted(subsidiaries(G, "group")), sorted(subsidiaries(G, "group", transitive=False))
    (['europe', 'plant co'], ['europe'])
    """
    node = find_entity(G, company)
    C = _control_graph(G)
    found = nx.descendants(C, node) if transitive else set(C.successors(node))
    return found - {node}


def effective_ownership(G: nx.MultiDiGraph) -> dict[Hashable, dict[Hashable, float]]:
    """How much of each entity every owner holds, directly and through other holdings.

    Percentages multiply along each chain of holdings (60% of a company that holds 50%
    of another is 30% of it) and add up over distinct chains; a chain never visits an
    entity twice, so cross-holdings and cycles end.  A subsidiary counts as 100% unless
    a percent is stated; a holding whose percent nobody states is left out.  Totals are
    capped at 100.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.

    Returns
    -------
    dict
        ``{owner: {owned: percent}}`` with percents in (0, 100].

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("B", "A", name="ownedBy", percent=60.0)
    >>> _ = G.add_edge("C", "B", name="ownedBy", percent=50.0)
    >>> effective_ownership(G)["A"]
    {'B': 60.0, 'C': 30.0}
    """
    H = ownership_graph(G)
    share = {(u, v): p / 100.0 for u, v, p in H.edges(data="percent") if p}
    result: dict[Hashable, dict[Hashable, float]] = {}
    for owner in H:
        totals: dict[Hashable, float] = {}
        # Depth-first over simple paths: (node, fraction held, nodes on the path).
        stack: list[tuple[Hashable, float, frozenset]] = [(owner, 1.0, frozenset([owner]))]
        while stack:
            node, fraction, path = stack.pop()
            for nxt in H.successors(node):
                if nxt in path or (node, nxt) not in share:
                    continue
                held = fraction * share[(node, nxt)]
                totals[nxt] = totals.get(nxt, 0.0) + held
                stack.append((nxt, held, path | {nxt}))
        if totals:
            result[owner] = {o: round(min(t, 1.0) * 100.0, 6) for o, t in
                             sorted(totals.items(), key=lambda kv: str(kv[0]))}
    return result


def _best_edge(G: nx.MultiDiGraph, u: Hashable, v: Hashable,
               relations: frozenset | None) -> tuple[Hashable, str, Hashable] | None:
    options = []
    for a, b in ((u, v), (v, u)):
        for data in (G.get_edge_data(a, b) or {}).values():
            name = data.get("name") or data.get("relation") or "related"
            if relations is None or name in relations:
                options.append(((a, b) == (u, v), data.get("confidence") or 0.0, str(name), a, b))
    if not options:
        return None
    _, _, name, a, b = max(options, key=lambda o: (o[0], o[1], o[2]))
    return (a, name, b)


def connection(G: nx.MultiDiGraph, a: Hashable, b: Hashable,
               relations: Iterable[str] | None = None) -> list[tuple[Hashable, str, Hashable]]:
    """The shortest chain of facts linking two entities, in either direction.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.
    a, b : node or str
        IRIs, labels or aliases of the two entities.
    relations : iterable of str, optional
        Use only facts of these relations (ontology local names, e.g.
        ``{"subsidiaryOf", "ownedBy"}``); all by default.

    Returns
    -------
    list of (source, relation, target)
        Each step as the fact states it (so ``source`` is the fact's subject), in the
        order that walks from ``a`` to ``b``; empty when ``a`` and ``b`` are the same.

    Raises
    ------
    NoConnection
        When no chain of facts links them.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("weiqiao", "baw", name="cooperatesWith")
    >>> _ = G.add_edge("baw", "qingdao", name="headquarteredIn")
    >>> connection(G, "qingdao", "weiqiao")
    [('baw', 'headquarteredIn', 'qingdao'), ('weiqiao', 'cooperatesWith', 'baw')]
    """
    source, target = find_entity(G, a), find_entity(G, b)
    wanted = frozenset(relations) if relations is not None else None
    U = nx.Graph()
    U.add_nodes_from(G)
    U.add_edges_from((u, v) for u, v, name in G.edges(data="name")
                     if u != v and (wanted is None or name in wanted))
    try:
        path = nx.shortest_path(U, source, target)
    except nx.NetworkXNoPath:
        raise NoConnection(f"no chain of facts links {a!r} and {b!r}") from None
    steps = []
    for u, v in zip(path, path[1:], strict=False):
        step = _best_edge(G, u, v, wanted)
        if step is not None:
            steps.append(step)
    return steps


def group_members(G: nx.MultiDiGraph, group: Hashable) -> set:
    """The entities that belong to a group: everything it controls, directly or not, and
    everything stated to be part or a member of it or of those.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.
    group : node or str
        The group's IRI, label or alias.

    Returns
    -------
    set
        Members, never the group itself.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("germany gmbh", "group", name="subsidiaryOf")
    >>> _ = G.add_edge("plant", "germany gmbh", name="partOf")
    >>> _ = G.add_edge("partner", "group", name="cooperatesWith")
    >>> sorted(group_members(G, "group"))
    ['germany gmbh', 'plant']
    """
    node = find_entity(G, group)
    M = _control_graph(G)
    M.add_edges_from((v, u) for u, v, name in G.edges(data="name")
                     if name in MEMBERSHIP_RELATIONS and u != v)
    return nx.descendants(M, node) - {node}


def _pagerank(U: nx.Graph) -> dict[Hashable, float]:
    try:
        return nx.pagerank(U)
    except ImportError:  # scipy is not installed: NetworkX's pure-Python implementation
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python(U)


def central_companies(G: nx.MultiDiGraph, k: int = 10,
                      by: str = "pagerank") -> list[tuple[Hashable, float]]:
    """The ``k`` most connected companies and groups.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.
    k : int
        How many to return.
    by : {"pagerank", "degree"}
        PageRank over the undirected graph of entities, or the number of distinct
        entities a company has facts with.

    Returns
    -------
    list of (node, score)
        Best first; ties in label order.  Only nodes whose ``kind`` is a group, company or
        listed company (nodes without a kind count as companies).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edges_from([("a", "hub"), ("b", "hub"), ("c", "hub"), ("a", "b")])
    >>> central_companies(G, 2, by="degree")
    [('hub', 3.0), ('a', 2.0)]
    """
    if by not in ("pagerank", "degree"):
        raise KgError(f"central_companies: unknown ranking {by!r} (use pagerank or degree)")
    U = nx.Graph()
    U.add_nodes_from(G)
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    if U.number_of_nodes() == 0:
        return []
    scores: dict[Hashable, Any] = _pagerank(U) if by == "pagerank" else dict(U.degree())
    companies = [n for n, kind in G.nodes(data="kind", default="company")
                 if kind in COMPANY_KINDS]
    ranked = sorted(companies, key=lambda n: (-scores[n], str(G.nodes[n].get("label", n))))
    return [(n, float(scores[n])) for n in ranked[:k]]

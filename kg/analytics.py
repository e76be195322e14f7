"""Answers computed on the graph of :func:`kg.views.company_graph`.

Plain functions over a NetworkX graph that return plain data, in the style of NetworkX's
own algorithms.  Edges are facts; a fact's relation is read from the edge attribute
``name`` (the ontology term's local name, e.g. ``"subsidiaryOf"``), its stake from
``percent`` and its deal status from ``status``.

Ownership and control
---------------------
``ownership_graph(G)`` reduces the facts to one ``owner -> owned`` edge per pair:

* ``ownedBy`` (owned -> owner) and ``ownsStakeIn``: the stated percent, else unknown;
* ``subsidiaryOf`` (subsidiary -> parent) and ``hasSubsidiary``: the stated percent;
  100% when the release calls it *wholly owned*; else unknown.  A subsidiary the release
  calls *indirect* is held through others: it is control, not a direct stake;
* ``jointVentureOf`` (joint venture -> partner) with a stated percent;
* ``acquires`` once its status is ``completed``: the stated percent, else unknown.

When several facts speak of the same pair, a stated percent wins over an unknown one,
and among stated percents the most confident (then the most recent) one.  An owner
*controls* what it holds more than 50% of, or what is called its subsidiary or "owned by"
it without a percent.

``integrated_ownership(G)`` adds the indirect holdings along every chain, cycles and
cross-holdings included, by solving one linear system (Vitali, Glattfelder and Battiston
2011, "The network of global corporate control", PLoS ONE 6(10): e25995).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from kg.errors import KgError

# Relation names (ontology local names) read as ownership, by direction.
OWNED_TO_OWNER = frozenset({"subsidiaryOf", "ownedBy", "jointVentureOf"})
OWNER_TO_OWNED = frozenset({"hasSubsidiary", "ownsStakeIn", "acquires"})
SUBSIDIARY_RELATIONS = frozenset({"subsidiaryOf", "hasSubsidiary"})
# Membership of a group beyond ownership: member -> whole.
MEMBERSHIP_RELATIONS = frozenset({"partOf", "memberOf"})
COMPANY_KINDS = frozenset({"group", "company", "listed company"})

# What a release says right after naming the subsidiary: 'Hongtuo, a wholly-owned
# subsidiary of ...', 'X ("X"), an indirect non-wholly owned subsidiary of ...'.
_AFTER_NAME = (r"\s*(?:\([^()]{0,80}\)\s*)?,?\s*(?:(?:is|was|has been|became|has become|"
               r"remains|will become|will be)\s+)?(?:an?\s+|the\s+|its\s+)?")
_WHOLLY = re.compile(_AFTER_NAME + r"(?:wholly|fully|100\s?%)[\s\-]+owned\s+subsidiar", re.I)
_INDIRECT = re.compile(_AFTER_NAME + r"indirect(?:ly)?\b[\w\s\-]{0,40}?subsidiar", re.I)


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


def label(G: nx.Graph, node: Hashable) -> str:
    """A node's ``label`` attribute, else the node key as text."""
    return str(G.nodes[node].get("label") or node) if node in G else str(node)


def _said_of(G: nx.Graph, subject: Hashable, evidence: str, pattern: re.Pattern) -> bool:
    """Whether the evidence, right after naming ``subject``, says what ``pattern`` says."""
    if not evidence or subject not in G:
        return False
    data = G.nodes[subject]
    names = [data.get("label") or str(subject), *(data.get("aliases") or ())]
    lowered = evidence.casefold()
    for name in (n for n in names if n):
        start = lowered.find(name.casefold())
        while start >= 0:
            if pattern.match(evidence, start + len(name)):
                return True
            start = lowered.find(name.casefold(), start + 1)
    return False


def _stake(G: nx.Graph, owner: Hashable, owned: Hashable, data: dict) -> dict | None:
    """The ownership a fact states, or None when it states none."""
    name = data.get("name")
    percent = data.get("percent")
    if name == "acquires" and data.get("status") != "completed":
        return None
    if name == "jointVentureOf" and percent is None:
        return None
    qualifiers = data.get("qualifiers") or {}
    indirect = False
    if name in SUBSIDIARY_RELATIONS and percent is None:
        evidence = data.get("evidence") or ""
        indirect = bool(qualifiers.get("indirect")) or _said_of(G, owned, evidence, _INDIRECT)
        if not indirect and _said_of(G, owned, evidence, _WHOLLY):
            percent = 100.0
    return {
        "owner": owner,
        "owned": owned,
        "percent": float(percent) if percent is not None else None,
        "indirect": indirect,
        "control": (float(percent) > 50.0) if percent is not None
        else name in SUBSIDIARY_RELATIONS | {"ownedBy", "ownsStakeIn", "acquires"},
        "confidence": data.get("confidence") or 0.0,
        "date": data.get("release_date") or "",
        "release": data.get("release"),
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
        ``stated`` (a fact gives the percent), ``indirect`` (every fact on the pair calls
        it an indirect subsidiary: held through others, not directly), ``control``
        (bool), ``facts`` (the fact IRIs that say so) and ``releases`` (their releases).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("sub", "parent", name="subsidiaryOf")
    >>> _ = G.add_edge("unit", "parent", name="subsidiaryOf",
    ...                evidence="unit, a wholly-owned subsidiary of parent")
    >>> H = ownership_graph(G)
    >>> H["parent"]["sub"]["percent"], H["parent"]["sub"]["control"]
    (None, True)
    >>> H["parent"]["unit"]["percent"]
    100.0
    """
    candidates: dict[tuple, list[dict]] = {}
    for u, v, data in G.edges(data=True):
        name = data.get("name")
        if name in OWNED_TO_OWNER:
            stake = _stake(G, v, u, data)
        elif name in OWNER_TO_OWNED:
            stake = _stake(G, u, v, data)
        else:
            continue
        if stake is not None and stake["owner"] != stake["owned"]:
            candidates.setdefault((stake["owner"], stake["owned"]), []).append(stake)
    H = nx.DiGraph()
    H.add_nodes_from(G.nodes(data=False))
    for (owner, owned), stakes in candidates.items():
        best = max(stakes, key=lambda s: (s["percent"] is not None, not s["indirect"],
                                          s["confidence"], s["date"]))
        stated = best["percent"] is not None
        control = best["control"] if stated else any(s["control"] for s in stakes)
        H.add_edge(owner, owned, percent=best["percent"], stated=stated,
                   indirect=all(s["indirect"] for s in stakes), control=control,
                   facts=sorted(str(s["fact"]) for s in stakes if s["fact"]),
                   releases=sorted({str(s["release"]) for s in stakes if s["release"]}))
    return H


def _control_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    H = ownership_graph(G)
    C = nx.DiGraph()
    C.add_nodes_from(H)
    C.add_edges_from((u, v, d) for u, v, d in H.edges(data=True) if d["control"])
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


@dataclass(frozen=True)
class Holding:
    """How much of ``owned`` its ``owner`` holds, directly and along every chain.

    ``direct`` is the stated direct stake in percent (None when there is none, or when
    a direct stake is stated without a percent: then ``direct_unknown`` is True).
    ``integrated`` is the direct plus indirect holding from the stated stakes, in percent
    (None when only stakes of unknown size link the two).  ``complete`` is False when a
    stake of unknown size lies on some chain between them: the true holding is then
    ``integrated`` *or more*.  ``via`` names the first entities the indirect chains pass
    through; ``releases`` the releases that state the direct stake.
    """

    owner: Hashable
    owned: Hashable
    direct: float | None
    direct_unknown: bool
    integrated: float | None
    complete: bool
    via: tuple = ()
    releases: tuple = ()


def integrated_ownership(G: nx.MultiDiGraph,
                         company: Hashable | None = None) -> list[Holding]:
    """Direct and indirect ownership along all chains, cross-holdings and cycles included.

    With ``A[i, j]`` the fraction of ``j`` that ``i`` holds directly (the stated stakes
    of :func:`ownership_graph`), Vitali, Glattfelder and Battiston (2011) sum the
    holdings along chains of every length, ``A + A^2 + ... = (I - A)^-1 A``.  With
    cross-holdings that sum also counts the chains that come back through the owner
    itself (if ``a`` holds 90% of ``b`` and ``b`` 40% of ``a`` it gives ``a`` 140% of
    ``b``), so each owner's row is divided by its diagonal entry of ``N = (I - A)^-1``:
    ``integrated[i, j] = (N - I)[i, j] / N[i, i]`` keeps exactly the chains from ``i``
    that never return to ``i``.  It is the share of ``j``'s capital that traces back to
    ``i``, at most 100%.  Both come from one linear solve, never from enumerating chains,
    so cycles are exact: if ``i`` holds ``a`` of ``j``, and ``j`` and ``k`` hold ``x`` of
    each other, ``i`` holds ``a / (1 - x^2)`` of ``j`` and ``a x / (1 - x^2)`` of ``k``.

    A direct stake stated without a percent is reported as unknown (``direct_unknown``),
    never as 100%; it contributes nothing to the sums, and every holding whose chains
    pass through it is marked incomplete.  A subsidiary stated without a percent that the
    owner already reaches through stated stakes (or that a release calls *indirect*) is
    held through them: it adds no direct stake.  A total above 100% (sources disagree
    about the shares) is capped at 100.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.
    company : node or str, optional
        Only holdings of or in this company (IRI, label or alias).

    Returns
    -------
    list of Holding
        One per (owner, owned) pair that some chain links, by owner and owned label.

    Raises
    ------
    KgError
        When the stated stakes hold all of each other in a closed cycle (the system has
        no solution).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("b", "a", name="ownedBy", percent=50.0)
    >>> _ = G.add_edge("a", "b", name="ownedBy", percent=50.0)
    >>> _ = G.add_edge("c", "b", name="ownedBy", percent=60.0)
    >>> _ = G.add_edge("b", "c", name="ownedBy", percent=40.0)
    >>> [(h.owner, h.owned, h.direct, round(h.integrated, 2))
    ...  for h in integrated_ownership(G, "a")]
    [('a', 'b', 50.0, 65.79), ('a', 'c', None, 39.47), ('b', 'a', 50.0, 50.0), ('c', 'a', None, 26.67)]
    """
    focus = find_entity(G, company) if company is not None else None
    H = ownership_graph(G)
    stated = {(u, v) for u, v, d in H.edges(data=True) if d["percent"] is not None}
    S = nx.DiGraph(list(stated))
    unknown = {(u, v) for u, v, d in H.edges(data=True)
               if d["percent"] is None and not d["indirect"]
               and not (u in S and v in S and nx.has_path(S, u, v))}
    nodes = sorted({n for e in stated | unknown for n in e}, key=str)
    index = {n: i for i, n in enumerate(nodes)}
    A = np.zeros((len(nodes), len(nodes)))
    for u, v in stated:
        A[index[u], index[v]] = H[u][v]["percent"] / 100.0
    try:
        N = np.linalg.solve(np.eye(len(nodes)) - A, np.eye(len(nodes))) if nodes else A
    except np.linalg.LinAlgError:
        cycle = next((c for c in nx.simple_cycles(H.edge_subgraph(stated))), [])
        raise KgError("the stated stakes form a closed cycle of complete holdings ("
                      + " -> ".join(label(G, n) for n in cycle)
                      + "): integrated ownership has no solution; check those facts") from None
    # (N - I) sums the chains of every length; dividing row i by N[i, i] drops those
    # that pass through i again.
    total = (N - np.eye(len(nodes))) / np.diag(N)[:, None] if nodes else A
    # Pairs that a chain through a stake of unknown size links.
    partial: set[tuple] = set()
    everything = stated | unknown
    D = nx.DiGraph(list(everything))
    below = {n: nx.descendants(D, n) for n in nodes}
    for a, b in unknown:
        owners = {a} | nx.ancestors(D, a)
        partial.update((o, x) for o in owners for x in below[b] | {b} if o != x)
    holdings = []
    for owner in nodes:
        for owned in nodes:
            if owner == owned or (focus is not None and focus not in (owner, owned)):
                continue
            value = float(total[index[owner], index[owned]])
            if value <= 1e-12 and (owner, owned) not in partial:
                continue
            edge = H.get_edge_data(owner, owned) or {}
            direct = edge.get("percent") if (owner, owned) in stated else None
            via = tuple(sorted((label(G, n) for n in D.successors(owner)
                                if n != owned and owned in below[n]), key=str))
            holdings.append(Holding(
                owner=owner, owned=owned, direct=direct,
                direct_unknown=(owner, owned) in unknown,
                integrated=round(min(value, 1.0) * 100.0, 6) if value > 1e-12 else None,
                complete=(owner, owned) not in partial, via=via,
                releases=tuple(edge.get("releases", ())) if (owner, owned) in everything
                else ()))
    holdings.sort(key=lambda h: (label(G, h.owner).casefold(), label(G, h.owned).casefold()))
    return holdings


def effective_ownership(G: nx.MultiDiGraph) -> dict[Hashable, dict[Hashable, float]]:
    """How much of each entity every owner holds, directly and through other holdings.

    The ``integrated`` figures of :func:`integrated_ownership` from stated stakes, as a
    nested dict; pairs that only stakes of unknown size link are left out.

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
    result: dict[Hashable, dict[Hashable, float]] = {}
    for h in sorted(integrated_ownership(G), key=lambda h: (str(h.owner), str(h.owned))):
        if h.integrated is not None:
            result.setdefault(h.owner, {})[h.owned] = h.integrated
    return result


def _best_edge(G: nx.MultiDiGraph, u: Hashable, v: Hashable,
               relations: frozenset | None) -> tuple[Hashable, Hashable, dict] | None:
    """The fact between ``u`` and ``v`` a path step shows: forwards first, then the most
    confident; ``(subject, object, edge data)``."""
    options = []
    for a, b in ((u, v), (v, u)):
        for data in (G.get_edge_data(a, b) or {}).values():
            name = data.get("name") or data.get("relation") or "related"
            if relations is None or name in relations:
                options.append(((a, b) == (u, v), data.get("confidence") or 0.0, str(name),
                                str(data.get("fact") or ""), a, b, data))
    if not options:
        return None
    *_, a, b, data = max(options, key=lambda o: o[:4])
    return a, b, data


def _shortest_steps(G: nx.MultiDiGraph, a: Hashable, b: Hashable,
                    relations: Iterable[str] | None) -> list[tuple[Hashable, Hashable, dict]]:
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
    return [(u, str(d.get("name") or d.get("relation") or "related"), v)
            for u, v, d in _shortest_steps(G, a, b, relations)]


@dataclass(frozen=True)
class Step:
    """One fact on a path: ``source`` (the fact's subject) ``relation`` ``target``, with
    its status, percent, evidence sentence and release."""

    source: Hashable
    relation: str
    target: Hashable
    status: str | None
    percent: float | None
    evidence: str
    release: str | None
    fact: str | None


def connection_facts(G: nx.MultiDiGraph, a: Hashable, b: Hashable,
                     relations: Iterable[str] | None = None) -> list[Step]:
    """The shortest chain of facts linking two entities, edge by edge with its evidence.

    The same chain as :func:`connection`; each step carries the fact behind it.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.
    a, b : node or str
        IRIs, labels or aliases of the two entities.
    relations : iterable of str, optional
        Use only facts of these relations; all by default.

    Returns
    -------
    list of Step
        In the order that walks from ``a`` to ``b``.

    Raises
    ------
    NoConnection
        When no chain of facts links them.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("weiqiao", "baw", name="acquires", status="planned",
    ...                evidence="Weiqiao plans to buy into BAW.", release="r1")
    >>> step, = connection_facts(G, "baw", "weiqiao")
    >>> step.source, step.relation, step.target, step.status, step.evidence
    ('weiqiao', 'acquires', 'baw', 'planned', 'Weiqiao plans to buy into BAW.')
    """
    return [Step(source=u, relation=str(d.get("name") or d.get("relation") or "related"),
                 target=v, status=d.get("status"), percent=d.get("percent"),
                 evidence=d.get("evidence") or "", release=d.get("release"),
                 fact=d.get("fact"))
            for u, v, d in _shortest_steps(G, a, b, relations)]


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


def entity_links(G: nx.Graph) -> nx.Graph:
    """The undirected entity graph: every entity, and a link between two entities that
    a fact relates (directions, parallel facts and self-links dropped).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("a", "a")])
    >>> G.add_node("alone")
    >>> U = entity_links(G)
    >>> sorted(U), U.number_of_edges()
    (['a', 'alone', 'b'], 1)
    """
    U = nx.Graph()
    U.add_nodes_from(G)
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return U


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
    U = entity_links(G)
    if U.number_of_nodes() == 0:
        return []
    scores: dict[Hashable, Any] = _pagerank(U) if by == "pagerank" else dict(U.degree())
    companies = [n for n, kind in G.nodes(data="kind", default="company")
                 if kind in COMPANY_KINDS]
    ranked = sorted(companies, key=lambda n: (-scores[n], str(G.nodes[n].get("label", n))))
    return [(n, float(scores[n])) for n in ranked[:k]]


@dataclass(frozen=True)
class ControlLink:
    """``controller`` controls ``controlled``: by a majority stake (``percent``) or by a
    statement that it is a subsidiary or owned without a percent.  ``ultimate`` are the
    ultimate parents of ``controlled``; ``releases`` the releases that state the link."""

    controller: Hashable
    controlled: Hashable
    percent: float | None
    basis: str
    ultimate: tuple
    releases: tuple


def control(G: nx.MultiDiGraph, company: Hashable | None = None) -> list[ControlLink]:
    """Who controls whom: every link of the majority chains, with its releases.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.
    company : node or str, optional
        Only the links of this company's group: the chain above it (up to its ultimate
        parents) and everything those control.

    Returns
    -------
    list of ControlLink
        Ordered by controller and controlled label.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("plant co", "europe", name="subsidiaryOf", release="r1")
    >>> _ = G.add_edge("europe", "group", name="ownedBy", percent=60.0, release="r2")
    >>> _ = G.add_edge("other", "group", name="ownedBy", percent=20.0, release="r2")
    >>> [(c.controller, c.controlled, c.basis, c.ultimate) for c in control(G, "plant co")]
    [('europe', 'plant co', 'subsidiary', ('group',)), ('group', 'europe', '60% stake', ('group',))]
    """
    C = _control_graph(G)
    if company is not None:
        node = find_entity(G, company)
        tops = ultimate_parents(G, node) or {node}
        keep = {node} | nx.ancestors(C, node)
        for top in tops:
            keep |= {top} | nx.descendants(C, top)
        C = C.subgraph(keep)
    links = []
    for u, v, d in C.edges(data=True):
        percent = d.get("percent")
        basis = f"{percent:g}% stake" if d.get("stated") else "subsidiary"
        links.append(ControlLink(
            controller=u, controlled=v, percent=percent if d.get("stated") else None,
            basis=basis, ultimate=tuple(sorted(ultimate_parents(G, v), key=str)),
            releases=tuple(d.get("releases", ()))))
    links.sort(key=lambda c: (label(G, c.controller).casefold(),
                              label(G, c.controlled).casefold()))
    return links


def neighbours(G: nx.MultiDiGraph, name: Hashable, depth: int = 1) -> dict[Hashable, int]:
    """The entities within ``depth`` facts of an entity, in either direction.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.
    name : node or str
        The entity's IRI, label or alias.
    depth : int
        How many facts away (1: the entities it has a fact with).

    Returns
    -------
    dict
        ``{entity: distance}``, the entity itself left out; by distance, then label.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("baw", "qingdao", name="headquarteredIn")
    >>> _ = G.add_edge("qingdao", "shandong", name="locatedInRegion")
    >>> neighbours(G, "baw", depth=2)
    {'qingdao': 1, 'shandong': 2}
    """
    if depth < 1:
        raise KgError(f"neighbours: depth must be 1 or more (got {depth})")
    node = find_entity(G, name)
    found = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), node,
                                                  cutoff=depth)
    found.pop(node, None)
    return dict(sorted(found.items(), key=lambda kv: (kv[1], label(G, kv[0]).casefold())))


def neighbourhood_graph(G: nx.MultiDiGraph, name: Hashable, depth: int = 1) -> nx.MultiDiGraph:
    """The subgraph of an entity and its :func:`neighbours`, with every fact among them.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("baw", "qingdao", name="headquarteredIn")
    >>> _ = G.add_edge("qingdao", "shandong", name="locatedInRegion")
    >>> sorted(neighbourhood_graph(G, "qingdao"))
    ['baw', 'qingdao', 'shandong']
    """
    node = find_entity(G, name)
    return G.subgraph({node, *neighbours(G, node, depth)}).copy()


def central_subgraph(G: nx.MultiDiGraph, limit: int) -> nx.MultiDiGraph:
    """The ``limit`` most central entities (PageRank over the undirected entity graph)
    and every fact among them.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("hub", "a"), ("hub", "b"), ("hub", "c"), ("c", "d")])
    >>> sorted(central_subgraph(G, 2))
    ['c', 'hub']
    """
    if limit >= G.number_of_nodes():
        return G
    U = entity_links(G)
    rank = _pagerank(U)
    keep = sorted(G, key=lambda n: (-rank.get(n, 0.0), str(n)))[:max(limit, 0)]
    return G.subgraph(keep).copy()


@dataclass(frozen=True)
class Centrality:
    """How central a company is: ``degree`` (distinct entities it has facts with),
    ``betweenness`` (normalised) and ``pagerank``, over the undirected entity graph."""

    entity: Hashable
    degree: int
    betweenness: float
    pagerank: float


def centrality(G: nx.MultiDiGraph, k: int | None = 10) -> list[Centrality]:
    """Degree, betweenness and PageRank of the companies and groups, best PageRank first.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.
    k : int or None
        How many to return (all with None).

    Returns
    -------
    list of Centrality

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edges_from([("a", "hub"), ("b", "hub"), ("c", "hub"), ("a", "b")])
    >>> [(c.entity, c.degree, round(c.betweenness, 3)) for c in centrality(G, 2)]
    [('hub', 3, 0.667), ('a', 2, 0.0)]
    """
    U = entity_links(G)
    if U.number_of_nodes() == 0:
        return []
    rank = _pagerank(U)
    between = nx.betweenness_centrality(U)
    companies = [n for n, kind in G.nodes(data="kind", default="company")
                 if kind in COMPANY_KINDS]
    ranked = sorted(companies, key=lambda n: (-rank[n], label(G, n).casefold()))
    rows = [Centrality(n, U.degree(n), float(between[n]), float(rank[n])) for n in ranked]
    return rows if k is None else rows[:k]


def communities(G: nx.MultiDiGraph, seed: int = 42, resolution: float = 1.0,
                threshold: float = 1e-7) -> list[set]:
    """Groups of entities more linked among themselves than to the rest (Louvain).

    The undirected entity graph, each pair weighted by how many facts link it, split by
    NetworkX's Louvain method with a fixed ``seed``, so that a graph gives the same
    communities on every run.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.
    seed : int
        Seed of the Louvain method's random order.
    resolution : float
        Above 1 favours smaller communities, below 1 larger ones.
    threshold : float
        The least gain of modularity for which the method goes on to another level.

    Returns
    -------
    list of set
        Largest first, then by the smallest label; entities without facts are left out.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edges_from([("a", "b"), ("b", "c"), ("a", "c"),
    ...                       ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> [sorted(c) for c in communities(G)]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    U = nx.Graph()
    for u, v in G.edges():
        if u != v:
            weight = U.get_edge_data(u, v, {}).get("weight", 0) + 1
            U.add_edge(u, v, weight=weight)
    if U.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(U, weight="weight", resolution=resolution,
                                             threshold=threshold, seed=seed)
    return sorted((set(c) for c in found),
                  key=lambda c: (-len(c), min(label(G, n).casefold() for n in c)))


def cross_holdings(G: nx.MultiDiGraph) -> list[list[tuple[Hashable, Hashable, float | None]]]:
    """The cycles of ownership: A holds B, ..., which holds A.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.

    Returns
    -------
    list of cycles
        Each a list of ``(owner, owned, percent)`` holdings (percent None when no fact
        states it), starting at the owner with the smallest label; shortest cycles first.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("b", "a", name="ownedBy", percent=30.0)
    >>> _ = G.add_edge("a", "b", name="ownedBy", percent=10.0)
    >>> _ = G.add_edge("c", "a", name="subsidiaryOf")
    >>> cross_holdings(G)
    [[('a', 'b', 30.0), ('b', 'a', 10.0)]]
    """
    H = ownership_graph(G)
    H.remove_edges_from([(u, v) for u, v, d in H.edges(data=True) if d["indirect"]])
    cycles = []
    for cycle in nx.simple_cycles(H):
        start = min(range(len(cycle)), key=lambda i: (label(G, cycle[i]).casefold(),
                                                      str(cycle[i])))
        cycle = cycle[start:] + cycle[:start]
        cycles.append([(u, v, H[u][v]["percent"])
                       for u, v in zip(cycle, cycle[1:] + cycle[:1], strict=True)])
    cycles.sort(key=lambda c: (len(c), [label(G, u).casefold() for u, _, _ in c]))
    return cycles

"""kg.analytics on hand-made graphs and on the sample RDF read by kg.views."""

from __future__ import annotations

import networkx as nx
import pytest
from sample_graphs import sample_dataset

from kg.analytics import (
    EntityNotFound,
    NoConnection,
    central_companies,
    centrality,
    communities,
    connection,
    connection_facts,
    control,
    cross_holdings,
    effective_ownership,
    find_entity,
    group_members,
    integrated_ownership,
    label,
    neighbourhood_graph,
    neighbours,
    ownership_graph,
    subsidiaries,
    ultimate_parents,
)
from kg.errors import KgError
from kg.views import company_graph

KGR = "https://w3id.org/corporate-kg/id/"
ORG, PERSON, PLACE = KGR + "org/", KGR + "person/", KGR + "place/"


def org(slug: str) -> str:
    return ORG + slug


@pytest.fixture(scope="module")
def sample():
    return company_graph(sample_dataset())


def graph(*facts) -> nx.MultiDiGraph:
    """Facts as (subject, relation name, object, extra attributes)."""
    G = nx.MultiDiGraph()
    for i, (s, name, o, *extra) in enumerate(facts):
        G.add_edge(s, o, key=f"f{i}", name=name, fact=f"f{i}", **(extra[0] if extra else {}))
    return G


# --- ultimate parents and subsidiaries ------------------------------------------------


def test_ultimate_parent_through_a_chain():
    G = graph(("plant co", "subsidiaryOf", "europe"),
              ("europe", "ownedBy", "holding", {"percent": 80.0}),
              ("holding", "subsidiaryOf", "group"),
              ("group", "cooperatesWith", "partner"))
    assert ultimate_parents(G, "plant co") == {"group"}
    assert ultimate_parents(G, "holding") == {"group"}
    assert ultimate_parents(G, "group") == set()


def test_a_minority_stake_is_not_control():
    G = graph(("target", "ownedBy", "investor", {"percent": 26.0}),
              ("target", "ownedBy", "founder", {"percent": 51.0}))
    assert ultimate_parents(G, "target") == {"founder"}
    assert subsidiaries(G, "investor") == set()


def test_a_planned_acquisition_is_not_ownership():
    G = graph(("buyer", "acquires", "target", {"status": "planned", "percent": 60.0}),
              ("closer", "acquires", "other", {"status": "completed", "percent": 60.0}))
    assert ultimate_parents(G, "target") == set()
    assert ultimate_parents(G, "other") == {"closer"}


def test_ultimate_parents_in_a_control_cycle():
    G = graph(("x", "ownedBy", "y", {"percent": 60.0}),
              ("y", "ownedBy", "x", {"percent": 60.0}),
              ("z", "subsidiaryOf", "x"))
    assert ultimate_parents(G, "z") == {"x", "y"}
    assert ultimate_parents(G, "x") == {"y"}
    assert subsidiaries(G, "x") == {"y", "z"}


def test_subsidiaries_direct_and_transitive():
    G = graph(("a", "subsidiaryOf", "top"), ("b", "subsidiaryOf", "a"),
              ("c", "hasSubsidiary", "d"), ("top", "hasSubsidiary", "c"))
    assert subsidiaries(G, "top") == {"a", "b", "c", "d"}
    assert subsidiaries(G, "top", transitive=False) == {"a", "c"}


def test_ultimate_parents_in_the_sample(sample):
    assert ultimate_parents(sample, "WEIQIAO Germany GmbH") == {org("weiqiao")}
    assert ultimate_parents(sample, "China Hongqiao Group") == {org("weiqiao")}
    assert ultimate_parents(sample, "VCIC") == {org("vw")}
    assert ultimate_parents(sample, "Leapmotor International") == {org("stellantis")}
    assert ultimate_parents(sample, "Gotion") == set()  # 26% is a stake, not control
    assert ultimate_parents(sample, "BAW") == set()  # the takeover is only planned


# --- effective ownership ----------------------------------------------------------------


def test_effective_ownership_multiplies_along_a_chain():
    G = graph(("b", "ownedBy", "a", {"percent": 60.0}), ("c", "ownedBy", "b", {"percent": 50.0}))
    result = effective_ownership(G)
    assert result["a"] == {"b": pytest.approx(60.0), "c": pytest.approx(30.0)}
    assert result["b"] == {"c": pytest.approx(50.0)}
    assert "c" not in result


def test_effective_ownership_adds_distinct_chains():
    G = graph(("b", "ownedBy", "a", {"percent": 50.0}),
              ("c", "ownedBy", "a", {"percent": 20.0}),
              ("c", "ownedBy", "b", {"percent": 40.0}))
    assert effective_ownership(G)["a"]["c"] == pytest.approx(40.0)


def test_a_subsidiary_without_a_percent_is_unknown_unless_called_wholly_owned():
    G = graph(("sub", "subsidiaryOf", "parent"),
              ("whole", "subsidiaryOf", "parent",
               {"evidence": "Whole Co (\"Whole\"), a wholly-owned subsidiary of Parent, said."}),
              ("part", "subsidiaryOf", "parent", {"percent": 80.0}),
              ("part", "subsidiaryOf", "parent"),  # a second release that gives no percent
              ("leaf", "ownedBy", "sub", {"percent": 25.0}))
    G.nodes["whole"]["label"] = "Whole Co"
    result = effective_ownership(G)["parent"]
    assert result == {"whole": 100.0, "part": pytest.approx(80.0)}
    holdings = {h.owned: h for h in integrated_ownership(G, "parent")}
    assert holdings["sub"].direct is None and holdings["sub"].direct_unknown
    assert holdings["sub"].integrated is None
    # 25% of a company held in an unknown proportion: unknown, never 25% or 100%
    assert holdings["leaf"].integrated is None and not holdings["leaf"].complete
    assert ultimate_parents(G, "sub") == {"parent"}  # still control


def test_wholly_owned_is_read_only_right_after_the_subsidiary_s_name():
    G = graph(("unit", "subsidiaryOf", "parent",
               {"evidence": "Unit, a subsidiary of Parent, buys from Other, a wholly-owned "
                            "subsidiary of Parent."}))
    G.nodes["unit"]["label"] = "Unit"
    assert ownership_graph(G)["parent"]["unit"]["percent"] is None


def test_a_holding_without_a_percent_is_left_out_of_the_products():
    G = graph(("b", "ownedBy", "a"), ("c", "ownedBy", "b", {"percent": 50.0}))
    assert "a" not in effective_ownership(G)
    assert ownership_graph(G)["a"]["b"]["percent"] is None
    assert ultimate_parents(G, "b") == {"a"}  # "owned by" without a percent is control
    a_c = next(h for h in integrated_ownership(G) if (h.owner, h.owned) == ("a", "c"))
    assert a_c.integrated is None and not a_c.complete and a_c.via == ("b",)


def test_a_subsidiary_reached_through_stated_stakes_is_indirect():
    # 'C, an indirect non-wholly owned subsidiary of A' stated beside A -100%-> B -75%-> C
    G = graph(("b", "subsidiaryOf", "a", {"percent": 100.0}),
              ("b", "acquires", "c", {"percent": 75.0, "status": "completed"}),
              ("c", "subsidiaryOf", "a"))
    a_c = next(h for h in integrated_ownership(G, "a") if h.owned == "c")
    assert (a_c.direct, a_c.direct_unknown, a_c.integrated, a_c.complete) == \
        (None, False, 75.0, True)
    # said so in the evidence, without the chain: control, but no stake at all
    G = graph(("c", "subsidiaryOf", "a",
               {"evidence": 'C ("C"), an indirect non-wholly owned subsidiary of A.'}))
    assert ownership_graph(G)["a"]["c"]["indirect"]
    assert integrated_ownership(G) == []
    assert ultimate_parents(G, "c") == {"a"}


@pytest.mark.parametrize("a, x", [(0.5, 0.5), (0.3, 0.2), (0.55, 0.45), (0.9, 0.05)])
def test_integrated_ownership_through_a_cross_holding_matches_the_closed_form(a, x):
    # i holds a of j; j and k hold x of each other.  The chains i -> j (-> k -> j)^n
    # sum to a / (1 - x^2); i -> j -> k (-> j -> k)^n to a x / (1 - x^2).
    G = graph(("j", "ownedBy", "i", {"percent": 100 * a}),
              ("k", "ownedBy", "j", {"percent": 100 * x}),
              ("j", "ownedBy", "k", {"percent": 100 * x}))
    result = effective_ownership(G)
    assert result["i"]["j"] == pytest.approx(100 * a / (1 - x * x))
    assert result["i"]["k"] == pytest.approx(100 * a * x / (1 - x * x))
    # j's holding of k: the chains that do not come back through j itself
    assert result["j"]["k"] == pytest.approx(100 * x)
    assert all(h.complete for h in integrated_ownership(G))


@pytest.mark.parametrize("x, y", [(0.5, 0.5), (0.9, 0.4), (0.2, 0.7)])
def test_chains_that_return_through_the_owner_are_not_counted(x, y):
    # a holds x of b, b holds y of a.  (I - A)^-1 A would give a x / (1 - xy) of b,
    # more than 100% for x = 0.9, y = 0.4; divided by N[a, a] = 1 / (1 - xy) it is x.
    G = graph(("b", "ownedBy", "a", {"percent": 100 * x}),
              ("a", "ownedBy", "b", {"percent": 100 * y}),
              ("c", "ownedBy", "b", {"percent": 30.0}))
    result = effective_ownership(G)
    assert result["a"]["b"] == pytest.approx(100 * x)
    assert result["b"]["a"] == pytest.approx(100 * y)
    assert result["a"]["c"] == pytest.approx(30 * x)
    assert result["b"]["c"] == pytest.approx(30.0)


def test_integrated_ownership_of_a_three_company_ring():
    # a -> b -> c -> a, 40% each, and d holds 50% of b: d's share of c goes round the
    # ring, 0.5 * 0.4 / (1 - 0.4^3); a's stays 40% of b and 16% of c
    G = graph(("b", "ownedBy", "a", {"percent": 40.0}), ("c", "ownedBy", "b", {"percent": 40.0}),
              ("a", "ownedBy", "c", {"percent": 40.0}), ("b", "ownedBy", "d", {"percent": 50.0}))
    result = effective_ownership(G)
    assert result["a"]["b"] == pytest.approx(40.0)
    assert result["a"]["c"] == pytest.approx(16.0)
    assert result["d"]["c"] == pytest.approx(100 * 0.5 * 0.4 / (1 - 0.4**3))
    assert result["d"]["a"] == pytest.approx(100 * 0.5 * 0.4**2 / (1 - 0.4**3))
    assert "a" not in result["a"]  # no self-holding is reported


def test_a_closed_cycle_of_complete_holdings_is_an_error():
    G = graph(("b", "ownedBy", "a", {"percent": 100.0}), ("a", "ownedBy", "b", {"percent": 100.0}))
    with pytest.raises(KgError, match="closed cycle"):
        integrated_ownership(G)


def test_effective_ownership_is_capped_at_100():
    G = graph(("b", "ownedBy", "a", {"percent": 100.0}),
              ("c", "ownedBy", "a", {"percent": 70.0}),
              ("c", "ownedBy", "b", {"percent": 70.0}))
    assert effective_ownership(G)["a"]["c"] == 100.0


def test_effective_ownership_in_the_sample(sample):
    result = effective_ownership(sample)
    # 51% directly, plus 21% of Leapmotor's 49%
    assert result[org("stellantis")][org("leap-intl")] == pytest.approx(51 + 0.21 * 49)
    assert result[org("hongqiao-holdings")][org("hongqiao")] == pytest.approx(64.4)
    # VCIC is Volkswagen's without a percent: its 26% of Gotion is not Volkswagen's 26%
    assert result[org("vw-china")][org("gotion")] == pytest.approx(26.0)
    assert org("vw") not in result
    vw = next(h for h in integrated_ownership(sample, "Gotion") if h.owner == org("vw"))
    assert vw.integrated is None and not vw.complete


def test_hongqiao_holds_75_percent_of_binzhou_lightweight_through_hongtuo(demo_graph):
    """The release: Hongtuo, a wholly-owned subsidiary of China Hongqiao, completed the
    acquisition of 75% of Binzhou Lightweight, now an indirect subsidiary of the Company."""
    holdings = {(label(demo_graph, h.owner), label(demo_graph, h.owned)): h
                for h in integrated_ownership(demo_graph, "China Hongqiao")}
    binzhou = holdings[("China Hongqiao Group Limited",
                        "Binzhou Lightweight Alloy Technology Co., Ltd.")]
    assert binzhou.integrated == pytest.approx(75.0)
    assert binzhou.direct is None and not binzhou.direct_unknown and binzhou.complete
    assert binzhou.via == ("Shandong Hongtuo Industrial Co., Ltd.",)
    hongtuo = holdings[("China Hongqiao Group Limited", "Shandong Hongtuo Industrial Co., Ltd.")]
    assert hongtuo.direct == 100.0
    assert "hongqiao-binzhou-lightweight-2023-06-30" in hongtuo.releases
    # "a subsidiary of China Hongqiao" with no percent: unknown, not 100
    material = holdings[("China Hongqiao Group Limited", "Shandong Hongqiao New Material Co., Ltd.")]
    assert material.direct_unknown and material.integrated is None


# --- connection -------------------------------------------------------------------------


def test_connection_is_the_shortest_chain_in_either_direction(sample):
    path = connection(sample, "Bo Zhang", "Qingdao")
    assert path == [(PERSON + "bo-zhang", "visited", org("baw")),
                    (org("baw"), "headquarteredIn", PLACE + "qingdao")]


def test_connection_steps_are_facts_that_walk_from_a_to_b(sample):
    path = connection(sample, "Robin Zeng", "Weiqiao")
    walker = find_entity(sample, "Robin Zeng")
    for source, name, target in path:
        assert walker in (source, target)
        assert any(d["name"] == name for d in sample.get_edge_data(source, target).values())
        walker = target if walker == source else source
    assert walker == org("weiqiao")
    assert len(path) == nx.shortest_path_length(sample.to_undirected(), PERSON + "robin-zeng",
                                                org("weiqiao"))


def test_connection_restricted_to_some_relations():
    G = graph(("a", "listedOn", "hkex"), ("b", "listedOn", "hkex"),
              ("a", "subsidiaryOf", "p"), ("b", "subsidiaryOf", "q"), ("q", "ownedBy", "p"))
    assert len(connection(G, "a", "b")) == 2
    owned = connection(G, "a", "b", relations={"subsidiaryOf", "ownedBy"})
    assert owned == [("a", "subsidiaryOf", "p"), ("q", "ownedBy", "p"), ("b", "subsidiaryOf", "q")]
    assert connection(G, "a", "a") == []


def test_no_connection_is_an_error():
    G = graph(("a", "subsidiaryOf", "b"), ("c", "subsidiaryOf", "d"))
    with pytest.raises(NoConnection, match="'a' and 'c'"):
        connection(G, "a", "c")


# --- names, groups, centrality -----------------------------------------------------------


def test_entities_are_found_by_label_or_alias(sample):
    assert find_entity(sample, "beijing automobile works") == org("baw")
    assert find_entity(sample, "BAW") == org("baw")
    with pytest.raises(EntityNotFound, match="no entity named 'Nowhere Corp'"):
        find_entity(sample, "Nowhere Corp")
    G = nx.MultiDiGraph()
    G.add_node("x1", label="Alpha", aliases=[])
    G.add_node("x2", label="Alpha", aliases=[])
    with pytest.raises(EntityNotFound, match="names 2 entities"):
        find_entity(G, "alpha")


def test_group_members(sample):
    members = group_members(sample, "Weiqiao Pioneering Group")
    assert members == {org("weiqiao-germany"), org("hongqiao-holdings"), org("hongqiao")}
    G = graph(("unit", "subsidiaryOf", "group"), ("plant", "partOf", "unit"),
              ("partner", "cooperatesWith", "group"), ("club", "memberOf", "group"))
    assert group_members(G, "group") == {"unit", "plant", "club"}


def test_central_companies_ranks_only_companies():
    G = graph(("a", "listedOn", "exchange"), ("b", "listedOn", "exchange"),
              ("c", "listedOn", "exchange"), ("d", "listedOn", "exchange"),
              ("a", "subsidiaryOf", "b"), ("c", "subsidiaryOf", "b"))
    nx.set_node_attributes(G, "company", "kind")
    G.nodes["exchange"]["kind"] = "exchange"
    by_degree = central_companies(G, 2, by="degree")
    assert by_degree == [("b", 3.0), ("a", 2.0)]
    by_rank = central_companies(G, 10)
    assert [n for n, _ in by_rank][0] == "b"
    assert "exchange" not in dict(by_rank)
    assert sum(s for _, s in by_rank) < 1.0


def test_central_companies_in_the_sample(sample):
    top = central_companies(sample, 5)
    assert len(top) == 5
    assert all(sample.nodes[n]["kind"] in {"group", "company", "listed company"} for n, _ in top)
    assert [s for _, s in top] == sorted((s for _, s in top), reverse=True)
    assert top[0][0] == org("weiqiao")


# --- kg analyze: control, path facts, neighbours, centrality, communities, cycles ------------


def test_control_lists_the_majority_chain_with_its_releases():
    G = graph(("plant co", "subsidiaryOf", "europe", {"release": "r1"}),
              ("europe", "ownedBy", "group", {"percent": 60.0, "release": "r2"}),
              ("minor", "ownedBy", "group", {"percent": 20.0, "release": "r2"}),
              ("elsewhere", "subsidiaryOf", "other", {"release": "r3"}))
    links = control(G, "plant co")
    assert [(c.controller, c.controlled, c.basis, c.percent, c.releases) for c in links] == [
        ("europe", "plant co", "subsidiary", None, ("r1",)),
        ("group", "europe", "60% stake", 60.0, ("r2",))]
    assert all(c.ultimate == ("group",) for c in links)
    assert {(c.controller, c.controlled) for c in control(G)} == {
        ("europe", "plant co"), ("group", "europe"), ("other", "elsewhere")}


def test_control_of_hongtuo_s_group_in_the_sample(demo_graph):
    links = {(label(demo_graph, c.controller), label(demo_graph, c.controlled)): c
             for c in control(demo_graph, "Hongtuo")}
    hongtuo = links[("China Hongqiao Group Limited", "Shandong Hongtuo Industrial Co., Ltd.")]
    assert hongtuo.basis == "100% stake"
    binzhou = links[("Shandong Hongtuo Industrial Co., Ltd.",
                     "Binzhou Lightweight Alloy Technology Co., Ltd.")]
    assert binzhou.percent == 75.0
    assert binzhou.releases == ("hongqiao-binzhou-lightweight-2023-06-30",)
    assert {label(demo_graph, n) for n in binzhou.ultimate} == {
        "Shandong Weiqiao Pioneering Group Co., Ltd."}
    # Weiqiao holds 35% of BAW: a stake, not control
    assert not any("Beijing Automobile Works" in pair[1] for pair in links)


def test_path_facts_carry_status_and_evidence(demo_graph):
    steps = connection_facts(demo_graph, "Hongtuo", "Binzhou Lightweight")
    assert len(steps) == 1
    step = steps[0]
    assert (label(demo_graph, step.source), step.relation, step.status, step.percent) == (
        "Shandong Hongtuo Industrial Co., Ltd.", "acquires", "completed", 75.0)
    assert "75% equity interest" in step.evidence
    assert step.release == "hongqiao-binzhou-lightweight-2023-06-30"
    assert [(s.source, s.relation, s.target) for s in connection_facts(
        demo_graph, "Zhang Bo", "BAW")] == connection(demo_graph, "Zhang Bo", "BAW")


def test_neighbours_by_distance():
    G = graph(("a", "subsidiaryOf", "b"), ("b", "listedOn", "x"), ("c", "ownedBy", "b"),
              ("x", "locatedInRegion", "far"), ("far", "partOf", "farther"))
    assert neighbours(G, "a") == {"b": 1}
    assert neighbours(G, "a", depth=2) == {"b": 1, "c": 2, "x": 2}
    assert sorted(neighbourhood_graph(G, "a", depth=2)) == ["a", "b", "c", "x"]
    assert neighbourhood_graph(G, "a", 2).number_of_edges() == 3
    with pytest.raises(KgError, match="depth must be 1 or more"):
        neighbours(G, "a", depth=0)


def test_centrality_of_a_star_and_the_sample(demo_graph):
    G = graph(("a", "cooperatesWith", "hub"), ("b", "cooperatesWith", "hub"),
              ("c", "cooperatesWith", "hub"), ("d", "cooperatesWith", "c"))
    nx.set_node_attributes(G, "company", "kind")
    ranked = centrality(G, None)
    assert ranked[0].entity == "hub" and ranked[0].degree == 3
    # hub lies on every shortest path between a, b and {c, d}: 5 of the 6 other pairs
    assert ranked[0].betweenness == pytest.approx(5 / 6)
    assert sum(c.pagerank for c in ranked) == pytest.approx(1.0)
    top = centrality(demo_graph, 3)
    assert label(demo_graph, top[0].entity) == "Shandong Weiqiao Pioneering Group Co., Ltd."
    assert [c.pagerank for c in top] == sorted((c.pagerank for c in top), reverse=True)


def test_communities_are_seeded_and_split_two_cliques():
    G = graph(*[(u, "cooperatesWith", v) for u, v in
                [("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"),
                 ("c", "x")]])
    assert [sorted(c) for c in communities(G)] == [["a", "b", "c"], ["x", "y", "z"]]


def test_communities_of_the_sample_are_stable_and_cover_the_graph(demo_graph):
    first, second = communities(demo_graph, seed=7), communities(demo_graph, seed=7)
    assert first == second
    linked = {n for u, v in demo_graph.edges() if u != v for n in (u, v)}
    assert set().union(*first) == linked
    assert sum(len(c) for c in first) == len(linked)  # a partition
    hongtuo = find_entity(demo_graph, "Hongtuo")
    home = next(c for c in first if hongtuo in c)
    assert find_entity(demo_graph, "China Hongqiao") in home


def test_cross_holdings_are_the_ownership_cycles():
    G = graph(("b", "ownedBy", "a", {"percent": 30.0}), ("a", "ownedBy", "b", {"percent": 10.0}),
              ("c", "ownedBy", "b", {"percent": 40.0}), ("a", "ownedBy", "c"),
              ("d", "cooperatesWith", "a"), ("a", "cooperatesWith", "d"))
    assert cross_holdings(G) == [[("a", "b", 30.0), ("b", "a", 10.0)],
                                 [("a", "b", 30.0), ("b", "c", 40.0), ("c", "a", None)]]


def test_the_sample_has_no_cross_holding(demo_graph):
    assert cross_holdings(demo_graph) == []


@pytest.mark.parametrize("module", ["kg.analytics", "kg.views", "kg.html", "kg.export",
                                    "kg.queries", "kg.ftm"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

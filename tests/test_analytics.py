"""kg.analytics on hand-made graphs and on the sample RDF read by kg.views."""

from __future__ import annotations

import networkx as nx
import pytest
from sample_graphs import sample_dataset

from kg.analytics import (
    EntityNotFound,
    NoConnection,
    central_companies,
    connection,
    effective_ownership,
    find_entity,
    group_members,
    ownership_graph,
    subsidiaries,
    ultimate_parents,
)
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


def test_a_wholly_owned_subsidiary_counts_100_unless_a_percent_is_stated():
    G = graph(("sub", "subsidiaryOf", "parent"),
              ("part", "subsidiaryOf", "parent", {"percent": 80.0}),
              ("part", "subsidiaryOf", "parent"),  # a second release that gives no percent
              ("leaf", "ownedBy", "sub", {"percent": 25.0}))
    result = effective_ownership(G)["parent"]
    assert result == {"sub": 100.0, "part": pytest.approx(80.0), "leaf": pytest.approx(25.0)}


def test_a_holding_without_a_percent_is_left_out_of_the_products():
    G = graph(("b", "ownedBy", "a"), ("c", "ownedBy", "b", {"percent": 50.0}))
    assert "a" not in effective_ownership(G)
    assert ownership_graph(G)["a"]["b"]["percent"] is None
    assert ultimate_parents(G, "b") == {"a"}  # "owned by" without a percent is control


def test_effective_ownership_terminates_on_cycles():
    G = graph(("b", "ownedBy", "a", {"percent": 50.0}),
              ("a", "ownedBy", "b", {"percent": 50.0}),
              ("c", "subsidiaryOf", "b"),
              ("c", "ownedBy", "c", {"percent": 10.0}))  # a self-holding is ignored
    result = effective_ownership(G)
    assert result["a"] == {"b": pytest.approx(50.0), "c": pytest.approx(50.0)}
    assert result["b"] == {"a": pytest.approx(50.0), "c": pytest.approx(100.0)}
    assert "c" not in result


def test_effective_ownership_is_capped_at_100():
    G = graph(("b", "ownedBy", "a", {"percent": 100.0}),
              ("c", "ownedBy", "a", {"percent": 70.0}),
              ("c", "ownedBy", "b", {"percent": 70.0}))
    assert effective_ownership(G)["a"]["c"] == 100.0


def test_effective_ownership_in_the_sample(sample):
    result = effective_ownership(sample)
    # 51% directly, plus 21% of Leapmotor's 49%
    assert result[org("stellantis")][org("leap-intl")] == pytest.approx(51 + 0.21 * 49)
    assert result[org("vw")][org("gotion")] == pytest.approx(26.0)
    assert result[org("weiqiao")][org("hongqiao")] == pytest.approx(64.4)


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


@pytest.mark.parametrize("module", ["kg.analytics", "kg.views", "kg.html"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

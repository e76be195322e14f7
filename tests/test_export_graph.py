"""The company graph exported for graph tools: GraphML (read back by NetworkX and igraph),
GEXF (Gephi) and a pair of CSV files, from the sample releases of data/releases."""

from __future__ import annotations

import csv

import igraph
import networkx as nx
import pytest

from kg.export import export, flat_graph, format_for_path, written_files
from kg.store import open_store

BINZHOU_DEAL = "https://w3id.org/corporate-kg/id/fact/hongqiao-binzhou-lightweight-2023-06-30"
HONGTUO = "https://w3id.org/corporate-kg/id/org/shandong-hongtuo-industrial-co-ltd"
BINZHOU = "https://w3id.org/corporate-kg/id/org/binzhou-lightweight-alloy-technology-co-ltd"
SCALARS = (str, int, float, bool)


@pytest.fixture(scope="module")
def exported(demo_store_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("graph-export")
    with open_store(demo_store_path, read_only=True) as store:
        for name in ("g.graphml", "g.gexf", "g.csv"):
            export(store, folder / name)
    return folder


def the_acquisition(edges) -> dict:
    """Hongtuo's completed acquisition of 75% of Binzhou Lightweight, among edge dicts."""
    (edge,) = [d for d in edges if d.get("name") == "acquires"
               and str(d.get("fact", d.get("id", ""))).startswith(BINZHOU_DEAL)]
    return edge


def test_graphml_reads_back_in_networkx_with_scalar_attributes(exported, demo_graph):
    G = nx.read_graphml(exported / "g.graphml", force_multigraph=True)
    assert G.is_directed() and G.is_multigraph()
    assert set(G) == set(demo_graph)
    assert G.number_of_edges() == demo_graph.number_of_edges()
    assert G.nodes[HONGTUO]["label"] == "Shandong Hongtuo Industrial Co., Ltd."
    assert "Hongtuo" in G.nodes[HONGTUO]["aliases"].split("; ")
    for _, data in G.nodes(data=True):
        assert all(isinstance(v, SCALARS) for v in data.values())
    deal = the_acquisition(d for u, v, d in G.edges(data=True) if (u, v) == (HONGTUO, BINZHOU))
    assert deal["percent"] == 75.0 and deal["status"] == "completed"
    assert deal["qualifiers.amount"] == 3360000000
    assert "75% equity interest" in deal["evidence"]
    assert deal["release"] == "hongqiao-binzhou-lightweight-2023-06-30"


def test_graphml_reads_in_igraph(exported, demo_graph):
    g = igraph.Graph.Read_GraphML(str(exported / "g.graphml"))
    assert g.vcount() == demo_graph.number_of_nodes()
    assert g.ecount() == demo_graph.number_of_edges()
    names = g.vs["id"] if "id" in g.vs.attributes() else g.vs["label"]
    assert HONGTUO in names or "Shandong Hongtuo Industrial Co., Ltd." in names
    assert 75.0 in g.es["percent"]


def test_gexf_reads_back_in_networkx(exported, demo_graph):
    G = nx.read_gexf(exported / "g.gexf")
    assert G.number_of_nodes() == demo_graph.number_of_nodes()
    assert G.number_of_edges() == demo_graph.number_of_edges()
    assert G.nodes[HONGTUO]["label"] == "Shandong Hongtuo Industrial Co., Ltd."
    assert G.nodes[HONGTUO]["kind"] == "company"


def test_csv_is_a_nodes_file_and_an_edges_file(exported, demo_graph):
    nodes_file, edges_file = written_files(exported / "g.csv")
    assert (nodes_file.name, edges_file.name) == ("g.nodes.csv", "g.edges.csv")
    with nodes_file.open(encoding="utf-8", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    with edges_file.open(encoding="utf-8", newline="") as handle:
        edges = list(csv.DictReader(handle))
    assert len(nodes) == demo_graph.number_of_nodes()
    assert len(edges) == demo_graph.number_of_edges()
    assert list(nodes[0])[:3] == ["id", "label", "kind"]
    assert list(edges[0])[:5] == ["source", "target", "id", "name", "label"]
    ids = {n["id"] for n in nodes}
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    assert len({e["id"] for e in edges}) == len(edges)  # one row a fact
    deal = the_acquisition(edges)
    assert (deal["source"], deal["target"], float(deal["percent"])) == (HONGTUO, BINZHOU, 75.0)


def test_graph_formats_by_suffix():
    assert format_for_path("out/graph.graphml") == "graphml"
    assert format_for_path("out/graph.gexf") == "gexf"
    assert format_for_path("out/graph.csv") == "csv"
    assert [p.name for p in written_files("out/graph", "csv")] == ["graph.nodes.csv",
                                                                   "graph.edges.csv"]


def test_flat_graph_gives_each_key_one_type():
    G = nx.MultiDiGraph()
    G.add_node("a", label="A", employeeCount=[{"value": 1200, "confidence": 0.9},
                                              {"value": 900, "confidence": 0.5}])
    G.add_node("b", label="B", founded="1951")
    G.add_node("c", label="C", founded=1951)
    G.add_edge("a", "b", key="f1", percent=75, qualifiers={"horizon": "2026"})
    G.add_edge("a", "b", key="f2", percent=12.5, qualifiers={"horizon": 2027}, status=None)
    H = flat_graph(G)
    assert H.nodes["a"]["employeeCount"] == 1200  # the most confident fact
    assert H.nodes["b"]["founded"] == "1951" and H.nodes["c"]["founded"] == "1951"
    assert H["a"]["b"]["f1"]["percent"] == 75.0 and H["a"]["b"]["f2"]["percent"] == 12.5
    assert {H["a"]["b"][k]["qualifiers.horizon"] for k in ("f1", "f2")} == {"2026", "2027"}
    assert "status" not in H["a"]["b"]["f2"]

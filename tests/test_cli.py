"""The CLI end to end on the sample releases, through Typer's test runner."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_GOLD = SHARED / "eval" / "seed-gold.jsonl"
runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample releases built once into an on-disk store (by the rules: the expected
    rows below were checked by hand and must not move when the model is refitted)."""
    store = tmp_path_factory.mktemp("store") / "kg"
    result = runner.invoke(app, ["build", str(ROOT / "data" / "releases"), "--store", str(store),
                                 "--format", "json", "--extractor", "rules"])
    assert result.exit_code == 0, result.output
    return store, result


def test_build_summary_counts_every_sample_release(built):
    store, result = built
    n_files = len([p for p in (ROOT / "data" / "releases").iterdir()
                   if not p.name.startswith(".")])
    assert f'"releases": {n_files}' in result.stdout
    assert '"added": ' in result.stdout


def test_rebuild_of_unchanged_releases_changes_nothing(built):
    store, _ = built
    result = runner.invoke(app, ["build", str(ROOT / "data" / "releases"), "--store", str(store),
                                 "--format", "json", "--extractor", "rules"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.split("\n]\n")[0] + "\n]")
    assert summary[0]["unchanged"] == summary[0]["releases"]
    assert summary[0]["added"] == 0


def test_export_formats_parse_and_agree(built, tmp_path):
    store, _ = built
    ttl, trig = tmp_path / "g.ttl", tmp_path / "g.trig"
    for path in (ttl, trig):
        result = runner.invoke(app, ["export", str(path), "--store", str(store)])
        assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(ttl)
    dataset = rdflib.Dataset().parse(trig, format="trig")
    assert len(graph) > 100
    named = [g for g in dataset.graphs() if str(g.identifier).startswith("https://w3id.org/corporate-kg/id/release/")]
    n_files = len([p for p in (ROOT / "data" / "releases").iterdir() if not p.name.startswith(".")])
    assert len(named) == n_files


def test_query_owners_answers_with_percentages(built):
    store, _ = built
    result = runner.invoke(app, ["query", "owners", "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)  # SPARQL 1.1 Query Results JSON
    assert answer["head"]["vars"] == ["company", "companyLabel", "owner", "ownerLabel", "kind",
                                      "percent", "status", "release"]
    rows = answer["results"]["bindings"]
    assert rows, "the sample releases state stakes; the owners query found none"
    assert any(r["ownerLabel"]["value"].startswith("Shandong Hongtuo")
               and r["percent"]["value"] == "75" for r in rows)


def test_query_from_standard_input_sees_each_label_once(built):
    store, _ = built
    sparql = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
              "SELECT ?label (COUNT(*) AS ?n) WHERE { ?e rdfs:label ?label } GROUP BY ?label")
    result = runner.invoke(app, ["query", "-", "--store", str(store), "--format", "jsonl"],
                           input=sparql)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(row["label"] == "China" for row in rows)  # named by several releases
    assert {row["n"] for row in rows} == {1}  # the default graph is the merge: once each


def test_query_lists_named_queries():
    result = runner.invoke(app, ["query", "--list", "--format", "json"])
    assert result.exit_code == 0, result.output
    names = {row["name"] for row in json.loads(result.stdout)}
    assert {"owners", "subsidiaries", "provenance"} <= names


def test_view_writes_one_offline_html(built, tmp_path):
    store, _ = built
    html = tmp_path / "graph.html"
    result = runner.invoke(app, ["view", str(html), "--store", str(store)])
    assert result.exit_code == 0, result.output
    text = html.read_text(encoding="utf-8")
    assert "vis-network" in text or "vis.Network" in text
    assert "<script src=\"http" not in text


def test_validate_store_against_shapes(built):
    """The sample data satisfies the shapes; it fails one count check, truthfully: the
    group states 12 production sites and the releases name fewer."""
    store, _ = built
    result = runner.invoke(app, ["validate", "--store", str(store), "--format", "json"])
    checks = json.loads(result.stdout)["checks"]
    assert [c["name"] for c in checks if not c["passed"]] == ["count production sites"]
    assert result.exit_code == 1


def test_build_reports_bad_input_and_keeps_the_rest(tmp_path):
    good = tmp_path / "in" / "good.txt"
    good.parent.mkdir()
    good.write_text("Acme Holdings acquires stake\n\nBerlin, 02.03.2024\n\n"
                    "Acme Holdings AG has acquired 40% of Beta Metals GmbH.\n", encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["build", str(good.parent), "--store", str(tmp_path / "st")])
    assert result.exit_code == 1
    assert "empty.txt" in result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(not SEED_GOLD.exists(), reason="shared/eval is not beside the repository")
def test_kg_eval_agrees_with_the_independent_scorer(tmp_path):
    """`kg extract` output scored by shared/eval/score.py == `kg eval`'s micro row."""
    pred = tmp_path / "pred.jsonl"
    result = runner.invoke(app, ["extract", str(SEED_GOLD), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    pred.write_text(result.stdout, encoding="utf-8")
    scored = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(SEED_GOLD),
                             str(pred), "--json"], capture_output=True, text=True, check=True)
    micro = json.loads(scored.stdout)["micro"]
    ours = runner.invoke(app, ["eval", str(SEED_GOLD), "--json"])
    assert ours.exit_code == 0, ours.output
    mine = json.loads(ours.stdout)["micro"]
    for key in ("tp", "fp", "fn"):
        assert mine[key] == micro[key], key


def test_unknown_query_parameter_is_one_line_not_a_traceback(built):
    store, _ = built
    result = runner.invoke(app, ["query", "provenance", "--store", str(store), "-p", "name=x"])
    assert result.exit_code == 1
    assert "has no parameter name" in result.output
    assert "Traceback" not in result.output


def test_provenance_names_the_release_and_the_sentence(built):
    store, _ = built
    result = runner.invoke(app, ["query", "provenance", "--store", str(store), "-p",
                                 "subject=Beijing Automobile Works", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows
    texts = {p.stem: p for p in (ROOT / "data" / "releases").iterdir()}
    for row in rows:
        assert row["releaseId"] in texts
        assert row["evidence"] and int(row["start"]) <= int(row["end"])


def test_exported_turtle_conforms_to_the_shapes_as_is(built, tmp_path):
    """pyshacl on the exported file alone (no ontology, no inference): no violation."""
    from pyshacl import validate

    store, _ = built
    ttl = tmp_path / "graph.ttl"
    assert runner.invoke(app, ["export", str(ttl), "--store", str(store)]).exit_code == 0
    conforms, _, text = validate(str(ttl), shacl_graph=str(ROOT / "ontology" / "shapes.ttl"))
    assert conforms, text


# --- kg analyze -----------------------------------------------------------------------------


def test_analyze_ownership_gives_hongqiao_75_percent_of_binzhou(built):
    store, _ = built
    result = runner.invoke(app, ["analyze", "ownership", "China Hongqiao", "--store", str(store),
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["owner", "ownerLabel", "owned", "ownedLabel", "direct", "integrated",
                             "complete", "via", "releases"]
    binzhou = next(r for r in rows if r["ownedLabel"].startswith("Binzhou Lightweight"))
    assert binzhou["ownerLabel"] == "China Hongqiao Group Limited"
    assert float(binzhou["integrated"]) == pytest.approx(75.0)
    assert binzhou["direct"] == "" and binzhou["complete"] == "True"
    material = next(r for r in rows if r["ownedLabel"].startswith("Shandong Hongqiao New"))
    assert material["direct"] == "unknown" and material["integrated"] == "unknown"


def test_analyze_markdown_and_json_agree(built):
    store, _ = built
    md = runner.invoke(app, ["analyze", "control", "Hongtuo", "--store", str(store),
                             "--format", "markdown"])
    js = runner.invoke(app, ["analyze", "control", "Hongtuo", "--store", str(store),
                             "--format", "json"])
    assert md.exit_code == 0 and js.exit_code == 0, md.output + js.output
    lines = md.stdout.splitlines()
    assert lines[0] == ("| controllerLabel | controlledLabel | basis | percent | "
                        "ultimateParents | releases |")
    assert set(lines[1]) == {"|", "-"}
    rows = json.loads(js.stdout)
    assert len(lines) == 2 + len(rows)
    assert any(r["basis"] == "75% stake" and r["controlledLabel"].startswith("Binzhou")
               for r in rows)


def test_analyze_path_shows_each_fact_with_evidence(built):
    store, _ = built
    result = runner.invoke(app, ["analyze", "path", "Hongtuo", "Weiqiao Textile", "--store",
                                 str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    steps = json.loads(result.stdout)
    assert [s["step"] for s in steps] == list(range(1, len(steps) + 1))
    assert steps[0]["sourceLabel"] == "Shandong Hongtuo Industrial Co., Ltd."
    assert all(s["evidence"] and s["release"] and s["relation"] for s in steps)
    names = [s["sourceLabel"] for s in steps] + [s["targetLabel"] for s in steps]
    assert "Weiqiao Textile Company Limited" in names


def test_analyze_neighbours_central_communities_cycles(built):
    store, _ = built
    near = runner.invoke(app, ["analyze", "neighbours", "Hongtuo", "--depth", "2", "--store",
                               str(store), "--format", "json"])
    assert near.exit_code == 0, near.output
    rows = json.loads(near.stdout)
    assert {r["distance"] for r in rows} == {1, 2}
    assert {r["entityLabel"] for r in rows if r["distance"] == 1} == {
        "China Hongqiao Group Limited", "Binzhou Lightweight Alloy Technology Co., Ltd.",
        "Shandong Hongchuang Aluminium Industry Holding Co., Ltd."}
    central = runner.invoke(app, ["analyze", "central", "--top", "3", "--store", str(store),
                                  "--format", "tsv"])
    assert central.exit_code == 0, central.output
    lines = central.stdout.splitlines()
    assert lines[0].split("\t") == ["rank", "company", "companyLabel", "degree", "betweenness",
                                    "pagerank"]
    assert len(lines) == 4
    groups = runner.invoke(app, ["analyze", "communities", "--store", str(store),
                                 "--format", "json"])
    again = runner.invoke(app, ["analyze", "communities", "--store", str(store),
                                "--format", "json"])
    assert groups.exit_code == 0 and groups.stdout == again.stdout
    cycles = runner.invoke(app, ["analyze", "cycles", "--store", str(store), "--format", "csv"])
    assert cycles.exit_code == 0
    assert cycles.stdout == "cycle,length,holdings\n"  # no cross-holding: the header only


def test_analyze_unknown_entity_is_one_line(built):
    store, _ = built
    result = runner.invoke(app, ["analyze", "ownership", "Nowhere Corp", "--store", str(store)])
    assert result.exit_code == 1
    assert "no entity named 'Nowhere Corp'" in result.output
    assert "Traceback" not in result.output


# --- kg query: the engine's SPARQL results serialisers ---------------------------------------

UNBOUND_SPARQL = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX ckg: <https://w3id.org/corporate-kg/ontology#>
SELECT ?z ?company ?never ?label WHERE {
  ?company ckg:listedOn ?exchange ; rdfs:label ?label .
  OPTIONAL { ?company ckg:noSuchProperty ?never }
} ORDER BY ?label"""


@pytest.mark.parametrize("fmt, sep", [("csv", ","), ("tsv", "\t")])
def test_query_columns_keep_the_select_order_with_an_all_unbound_column(built, fmt, sep):
    store, _ = built
    result = runner.invoke(app, ["query", "-", "--store", str(store), "--format", fmt],
                           input=UNBOUND_SPARQL)
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        header, *rows = list(csv.reader(io.StringIO(result.stdout)))
    else:
        header, *rows = [line.split(sep) for line in result.stdout.splitlines()]
    assert header == (["z", "company", "never", "label"] if fmt == "csv"
                      else ["?z", "?company", "?never", "?label"])
    assert len(rows) >= 3  # three listed companies in the sample
    for row in rows:
        assert len(row) == 4 and row[0] == "" and row[2] == "" and row[3]
    labels = {row[3].strip('"') for row in rows}
    assert "China Hongqiao Group Limited" in labels


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "markdown", "table"])
def test_an_empty_result_still_has_its_header(built, fmt):
    store, _ = built
    result = runner.invoke(app, ["query", "owners", "--store", str(store), "-p",
                                 "company=No Such Company", "--format", fmt])
    assert result.exit_code == 0, result.output
    columns = ["company", "companyLabel", "owner", "ownerLabel", "kind", "percent", "status",
               "release"]
    if fmt == "csv":
        assert result.stdout_bytes == (",".join(columns) + "\r\n").encode()  # RFC 4180 lines
    elif fmt == "tsv":
        assert result.stdout == "\t".join("?" + c for c in columns) + "\n"
    elif fmt == "json":
        answer = json.loads(result.stdout)
        assert answer["head"]["vars"] == columns and answer["results"]["bindings"] == []
    elif fmt == "markdown":  # the IRI columns give way to their labels
        assert result.stdout.splitlines()[0] == (
            "| companyLabel | ownerLabel | kind | percent | status | release |")
        assert len(result.stdout.splitlines()) == 2
    else:
        assert "companyLabel" in result.stdout and "no rows" in result.output


def test_query_markdown_keeps_the_select_order(built):
    store, _ = built
    result = runner.invoke(app, ["query", "-", "--store", str(store), "--format", "markdown"],
                           input=UNBOUND_SPARQL)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "| z | company | never | label |"
    assert all(line.count("|") == 5 for line in lines)
    assert any("China Hongqiao Group Limited" in line for line in lines[2:])


def test_analyze_answers_that_are_graphs_as_graphml_and_gexf(built, tmp_path):
    import networkx as nx

    store, _ = built
    near = runner.invoke(app, ["analyze", "neighbours", "Hongtuo", "--store", str(store),
                               "--format", "graphml"])
    assert near.exit_code == 0, near.output
    (tmp_path / "near.graphml").write_bytes(near.stdout_bytes)
    G = nx.read_graphml(tmp_path / "near.graphml")
    assert {d["label"] for _, d in G.nodes(data=True)} == {
        "Shandong Hongtuo Industrial Co., Ltd.", "China Hongqiao Group Limited",
        "Binzhou Lightweight Alloy Technology Co., Ltd.",
        "Shandong Hongchuang Aluminium Industry Holding Co., Ltd."}
    groups = runner.invoke(app, ["analyze", "communities", "--store", str(store),
                                 "--format", "gexf"])
    assert groups.exit_code == 0, groups.output
    (tmp_path / "groups.gexf").write_bytes(groups.stdout_bytes)
    H = nx.read_gexf(tmp_path / "groups.gexf")
    table = runner.invoke(app, ["analyze", "communities", "--store", str(store),
                                "--format", "json"])
    rows = json.loads(table.stdout)
    assert {d["community"] for _, d in H.nodes(data=True)} == {r["community"] for r in rows}
    assert H.number_of_nodes() == sum(r["size"] for r in rows)

# --- the alias registry: found beside the project, named by every build -----------------------

def _count(store) -> int:
    from kg.store import open_store

    with open_store(str(store), read_only=True) as st:
        return st.count()


def test_build_from_another_folder_uses_the_project_registry(built, tmp_path, monkeypatch):
    store, first = built
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_REGISTRY", raising=False)
    result = runner.invoke(app, ["build", str(ROOT / "data" / "releases"), "--store",
                                 str(tmp_path / "elsewhere"), "--format", "json",
                                 "--extractor", "rules"])  # as `built` was
    assert result.exit_code == 0, result.output
    registry = ROOT / "data" / "entities.yaml"
    assert f"alias registry: {registry} (default (the project's data/entities.yaml))" \
        in result.stderr
    assert f"alias registry: {registry}" in first.stderr
    assert _count(tmp_path / "elsewhere") == _count(store)  # the same graph from any folder
    # Without the registry, the graph is another one: the registry mattered.
    result = runner.invoke(app, ["build", str(ROOT / "data" / "releases"), "--store",
                                 str(tmp_path / "bare"), "--registry", "none",
                                 "--extractor", "rules"])
    assert result.exit_code == 0, result.output
    assert "alias registry: none (flag)" in result.stderr
    assert _count(tmp_path / "bare") != _count(store)


def test_registry_from_the_environment_shows_in_kg_config(monkeypatch):
    given = str(ROOT / "tests" / "data" / "entities.yaml")
    monkeypatch.setenv("KG_REGISTRY", given)
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if "registry" in line)
    assert "env KG_REGISTRY" in row and "entities.yaml" in row
    monkeypatch.delenv("KG_REGISTRY")
    result = runner.invoke(app, ["config"])
    row = next(line for line in result.stdout.splitlines() if "registry" in line)
    assert "default" in row and "data/entities" in result.stdout


def test_a_missing_registry_is_one_line_before_any_work(tmp_path):
    result = runner.invoke(app, ["build", str(ROOT / "data" / "releases"), "--store",
                                 str(tmp_path / "st"), "--registry", str(tmp_path / "no.yaml")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: {tmp_path / 'no.yaml'}: no such alias registry (given with --registry or "
        "KG_REGISTRY); fix the path, or pass --registry none to build without one")
    assert not (tmp_path / "st").exists()


def test_a_build_where_every_input_fails_creates_no_store(tmp_path):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02")
    result = runner.invoke(app, ["build", str(bad), "--store", str(tmp_path / "new-store")])
    assert result.exit_code == 1
    assert "all 2 input(s) failed; nothing was stored and no store was created." in result.stderr
    assert not (tmp_path / "new-store").exists()


def test_build_refuses_a_folder_that_is_not_a_store(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cat.jpg").write_bytes(b"\xff\xd8")
    result = runner.invoke(app, ["build", str(ROOT / "data" / "releases"), "--store", str(folder)])
    assert result.exit_code == 1
    assert "not an Oxigraph store" in result.stderr and "Traceback" not in result.output
    assert [p.name for p in folder.iterdir()] == ["cat.jpg"]


# --- kg remove and kg build --prune ---------------------------------------------------------

def _graphs(store) -> list[str]:
    from kg.store import open_store

    with open_store(str(store), read_only=True) as st:
        return [g.rsplit("/", 1)[-1] for g in st.graphs()]


def _built_copy(tmp_path) -> tuple[Path, Path]:
    """The sample releases copied to tmp_path/in and built into tmp_path/store."""
    import shutil

    src, store = tmp_path / "in", tmp_path / "store"
    shutil.copytree(ROOT / "data" / "releases", src)
    assert runner.invoke(app, ["build", str(src), "--store", str(store)]).exit_code == 0
    return src, store


def test_kg_remove_drops_a_release_and_its_share_of_the_merge(tmp_path):
    src, store = _built_copy(tmp_path)
    ids = _graphs(store)
    victim = "hongqiao-clarification-2023-10-09"
    assert victim in ids
    # The store without that release is the store built without its file.
    (src / f"{victim}.txt").unlink()
    assert runner.invoke(app, ["build", str(src), "--store", str(tmp_path / "without")]
                         ).exit_code == 0
    result = runner.invoke(app, ["remove", victim, "no-such-release", "--store", str(store)])
    assert result.exit_code == 1
    assert f"removed {victim}" in result.stderr
    assert "no release 'no-such-release'" in result.stderr
    assert _graphs(store) == [i for i in ids if i != victim]
    from kg.store import open_store

    with open_store(str(store), read_only=True) as a, \
            open_store(str(tmp_path / "without"), read_only=True) as b:
        merged = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
        assert sorted(map(str, a.quads())) == sorted(map(str, b.quads()))
        assert len(a.query(merged)) == len(b.query(merged))


def test_build_prune_removes_releases_whose_files_are_gone(tmp_path):
    src, store = _built_copy(tmp_path)
    before = _graphs(store)
    gone = "baw-delegation-zouping-2023-05-08"
    (src / f"{gone}.txt").unlink()
    broken = src / "hongqiao-clarification-2023-10-09.txt"
    broken.write_bytes(b"\x00\x01 now broken")  # fails to load: its graph is kept
    result = runner.invoke(app, ["build", str(src), "--store", str(store)])  # no --prune
    assert _graphs(store) == before
    result = runner.invoke(app, ["build", str(src), "--store", str(store), "--prune"])
    assert result.exit_code == 1  # the broken file
    assert f"removed {gone} (not found under the given paths)" in result.stderr
    assert _graphs(store) == [i for i in before if i != gone]
    # A mistyped path loads nothing and prunes nothing.
    result = runner.invoke(app, ["build", str(tmp_path / "typo"), "--store", str(store),
                                 "--prune"])
    assert result.exit_code == 1
    assert _graphs(store) == [i for i in before if i != gone]


def test_an_unexpected_error_is_one_line_and_its_traceback_comes_with_debug(monkeypatch, tmp_path):
    import kg.build

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(kg.build, "build", broken)
    args = ["build", str(ROOT / "data" / "releases"), "--store", str(tmp_path / "st")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "error: unexpected ZeroDivisionError: division by zero (run `kg --debug ...` for the "
        "traceback, and please report it)")
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["--debug", *args])
    assert isinstance(result.exception, ZeroDivisionError)


@pytest.mark.parametrize(("env", "value", "message"), [
    ("KG_WORKERS", "two", "error: workers must be a whole number of 1 or more, not 'two' "
                          "(env KG_WORKERS)"),
    ("KG_WORKERS", "0", "error: workers must be a whole number of 1 or more, not '0' "
                        "(env KG_WORKERS)"),
    ("KG_EXTRACTOR", "neural", "error: unknown extractor 'neural': use one of model, rules "
                               "(env KG_EXTRACTOR)"),
])
def test_a_bad_setting_is_one_line_naming_where_it_came_from(monkeypatch, tmp_path, env,
                                                            value, message):
    monkeypatch.setenv(env, value)
    for args in (["extract", str(ROOT / "data" / "releases")],
                 ["build", str(ROOT / "data" / "releases"), "--store", str(tmp_path / "st")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert result.stderr.strip().splitlines() == [message]
        assert not (tmp_path / "st").exists()


def test_an_unknown_extractor_flag_is_named_as_a_flag():
    result = runner.invoke(app, ["extract", str(ROOT / "data" / "releases"),
                                 "--extractor", "neural"])
    assert result.exit_code == 1
    assert result.stderr.strip() == ("error: unknown extractor 'neural': use one of model, "
                                     "rules (flag)")

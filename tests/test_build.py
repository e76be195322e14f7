"""The build pipeline: worker processes, idempotent re-builds, bad input in a batch."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

import kg.build
from kg.build import build, extract_all, load_releases
from kg.errors import KgError
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
RELEASES = ROOT / "data" / "releases"


def _key(facts):
    return sorted((f.doc, f.subject, f.relation, f.object or f.value, f.start, f.end) for f in facts)


def test_two_workers_give_the_same_facts_as_one():
    releases, errors = load_releases([RELEASES])
    assert not errors
    one = extract_all(releases, workers=1)
    two = extract_all(releases, workers=2)
    assert [_key(fs) for fs in one] == [_key(fs) for fs in two]
    assert sum(len(fs) for fs in one) > 0


def test_a_local_dask_cluster_gives_the_same_facts_in_the_same_order():
    releases, _ = load_releases([RELEASES])
    done = []
    one = extract_all(releases, workers=1)
    on_dask = extract_all(releases, workers=2, scheduler="local", progress=done.append)
    assert [_key(fs) for fs in on_dask] == [_key(fs) for fs in one]
    assert sum(done) == len(releases)


def test_an_unreachable_dask_scheduler_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(kg.build, "DASK_CONNECT_TIMEOUT", "1s")
    releases, _ = load_releases([RELEASES])
    unreachable = r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    with pytest.raises(KgError, match=unreachable):
        extract_all(releases[:2], scheduler="tcp://127.0.0.1:9")
    with open_store("memory:") as store, pytest.raises(KgError, match=unreachable):
        build([RELEASES], store, scheduler="tcp://127.0.0.1:9")


def test_changed_release_replaces_its_graph_and_only_that(tmp_path):
    src = tmp_path / "releases"
    shutil.copytree(RELEASES, src)
    with open_store(str(tmp_path / "store")) as store:
        first = build([src], store)
        assert set(first.status.values()) == {"added"}
        victim = sorted(src.glob("*.txt"))[0]
        victim.write_text(victim.read_text(encoding="utf-8") + "\nA closing line.\n",
                          encoding="utf-8")
        second = build([src], store)
        changed = {rid for rid, s in second.status.items() if s == "replaced"}
        assert changed == {victim.stem}
        assert all(s == "unchanged" for rid, s in second.status.items() if rid != victim.stem)


def test_bad_file_is_reported_and_nothing_stored_is_lost(tmp_path):
    src = tmp_path / "releases"
    shutil.copytree(RELEASES, src)
    with open_store(str(tmp_path / "store")) as store:
        build([src], store)
        before = store.count()
        (src / "broken.txt").write_bytes(b"\x00\x01binary\x00")
        report = build([src], store)
        assert len(report.errors) == 1 and "broken.txt" in str(report.errors[0])
        assert store.count() == before


def _long_release(folder: Path) -> Path:
    """A release of over 1,000,000 characters (spaCy's limit, error E088): a real
    release, filler, and another real release whose facts lie past the limit."""
    seed = (RELEASES / "weiqiao-baw-stake-2023-04-12.txt").read_text(encoding="utf-8")
    other = (RELEASES / "baw-delegation-zouping-2023-05-08.txt").read_text(encoding="utf-8")
    filler = "The market for industrial parts kept growing during the quarter. "
    path = folder / "long-release-2024-01-01.txt"
    path.write_text(seed + "\n\n" + filler * (1_050_000 // len(filler)) + "\n\n" + other,
                    encoding="utf-8")
    return path


def test_text_sections_are_sentence_aligned_and_cover_the_text():
    from kg.build import text_sections

    text = "First one. Second sentence here. Third.\n\nA new paragraph. " * 50
    spans = text_sections(text, 200)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert all(end - start <= 200 for start, end in spans)
    assert all(text[end - 2:end] == "\n\n" or text[end - 1] == " " for _, end in spans[:-1])
    assert text_sections("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]  # no break at all


def test_a_text_over_the_model_limit_is_extracted_in_sections(tmp_path):
    path = _long_release(tmp_path)
    releases, errors = load_releases([path])
    assert not errors and len(releases[0].text) > 1_000_000
    facts = extract_all(releases, max_chars=0)[0]  # all of it, past the extraction limit
    text = releases[0].text
    assert all(text[f.start:f.end] == f.evidence for f in facts)  # offsets into the whole text
    assert any(f.start > 1_000_000 for f in facts)
    assert any(f.start < 10_000 for f in facts)


def test_an_over_long_release_in_a_batch_with_two_workers(tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    src = tmp_path / "releases"
    shutil.copytree(RELEASES, src)
    _long_release(src)
    result = CliRunner().invoke(app, ["build", str(src), "--store", str(tmp_path / "store"),
                                      "--workers", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with open_store(str(tmp_path / "store")) as store:
        graphs = store.graphs()
    assert graphs[0].endswith("/registry/entities")  # the project registry, a graph of its own
    assert len(graphs) == len(list(RELEASES.iterdir())) + 2
    assert any(g.endswith("/long-release-2024-01-01") for g in graphs)


# --- the extraction limit (MAX_CHARS) ---------------------------------------------------


def _release_past_the_limit(folder: Path) -> Path:
    """A release whose second half lies past the extraction limit: a real release,
    filler, and another real release."""
    seed = (RELEASES / "weiqiao-baw-stake-2023-04-12.txt").read_text(encoding="utf-8")
    other = (RELEASES / "baw-delegation-zouping-2023-05-08.txt").read_text(encoding="utf-8")
    filler = "The market for industrial parts kept growing during the quarter. "
    path = folder / "long-release-2024-01-01.txt"
    path.write_text(seed + "\n\n" + filler * (kg.build.MAX_CHARS // len(filler)) + "\n\n"
                    + other, encoding="utf-8")
    return path


def test_the_extracted_part_ends_at_a_sentence_end_within_the_limit():
    from kg.build import extracted_length

    text = "Acme holds 20% of Beta. Beta makes vans. " * 10
    end = extracted_length(text, 100)
    assert end <= 100 and text[end - 2:end] == ". "
    assert extracted_length(text, 0) == extracted_length(text, len(text)) == len(text)
    assert extracted_length(text + "   ", len(text)) == len(text) + 3  # only blanks left out


def test_a_release_past_the_limit_is_stored_with_the_facts_of_its_first_part(tmp_path):
    from kg.build import extracted_length, extraction_note

    path = _release_past_the_limit(tmp_path)
    release = load_releases([path])[0][0]
    end = extracted_length(release.text)
    assert end < kg.build.MAX_CHARS < len(release.text)
    facts = extract_all([release])[0]
    assert facts and all(f.end <= end for f in facts)
    assert all(release.text[f.start:f.end] == f.evidence for f in facts)
    cut = replace(release, text=release.text[:end])
    assert extract_all([cut], max_chars=0)[0] == facts  # the first part, read as a text
    whole = extract_all([release], max_chars=0)[0]
    assert any(f.start > kg.build.MAX_CHARS for f in whole)  # the second release's facts
    note = extraction_note(release)
    assert note.startswith(f"{path}: {len(release.text):,} characters;")
    assert f"the first {end:,} only" in note and "\n" not in note
    assert extraction_note(release, 0) is None

    with open_store(str(tmp_path / "store")) as store:
        first = build([path], store)
        assert first.loaded == [release.id] and first.notes == [note] and not first.errors
        again = build([path], store)  # unchanged: not read again
        assert again.status[release.id] == "unchanged" and not again.notes
        lifted = build([path], store, max_chars=0)  # another limit: extracted again, whole
        assert lifted.status[release.id] == "replaced" and not lifted.notes


def test_a_build_with_a_least_confidence_stores_only_facts_above_it(tmp_path):
    """``--min-confidence`` is part of the extractor's identity: another threshold
    extracts an unchanged release again, and the store holds only the facts kept."""
    from kg.rdf import CKG

    path = ROOT / "data" / "releases" / "weiqiao-baw-stake-2023-04-12.txt"

    def stored(store) -> list[float]:
        rows = store.query(f"SELECT ?f ?c WHERE {{ ?f <{CKG.confidence}> ?c }}")
        return sorted(float(r["c"].toPython()) for r in rows)

    with open_store(str(tmp_path / "store")) as store:
        build([path], store)
        every = stored(store)
        again = build([path], store, min_confidence=0.7)
        assert again.status[again.loaded[0]] == "replaced"
        kept = stored(store)
    assert kept == [c for c in every if c >= 0.7] and 0 < len(kept) < len(every)

    from typer.testing import CliRunner

    from kg.cli import app

    built = CliRunner().invoke(app, ["build", str(path), "--store", str(tmp_path / "cli"),
                                     "--min-confidence", "0.7", "--format", "json"])
    assert built.exit_code == 0, built.output
    assert f"left out {len(every) - len(kept)} facts of confidence below 0.7" in built.stderr


def test_a_new_confidence_table_makes_a_build_extract_again(tmp_path, monkeypatch):
    """The rules' confidences come from a table that is re-measured now and then; facts
    stored with the old one must not pass for the new one's."""
    from kg.extract import confidence
    from kg.store.index import extractor_identity

    path = ROOT / "data" / "releases" / "weiqiao-baw-stake-2023-04-12.txt"
    table = tmp_path / "rule_precision.json"
    table.write_bytes(confidence.TABLE.read_bytes() + b"\n")
    with open_store(str(tmp_path / "store")) as store:
        first = build([path], store, extractor="rules")
        same = build([path], store, extractor="rules")
        monkeypatch.setattr(confidence, "TABLE", table)
        extractor_identity.cache_clear()  # worked out once a process
        try:
            again = build([path], store, extractor="rules")
        finally:
            extractor_identity.cache_clear()
    rid = first.loaded[0]
    assert (first.status[rid], same.status[rid], again.status[rid]) == \
        ("added", "unchanged", "replaced")


def test_kg_extract_and_kg_build_say_which_release_was_extracted_in_part(tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    path = _release_past_the_limit(tmp_path)
    runner = CliRunner()
    extracted = runner.invoke(app, ["extract", str(path), "--extractor", "rules"])
    assert extracted.exit_code == 0, extracted.output
    notes = [line for line in extracted.output.splitlines() if "partly extracted" in line]
    assert len(notes) == 1 and str(path) in notes[0] and "--max-chars" in notes[0]
    built = runner.invoke(app, ["build", str(path), "--store", str(tmp_path / "store"),
                                "--extractor", "rules", "--format", "json"])
    assert built.exit_code == 0, built.output
    assert [line for line in built.output.splitlines() if "partly extracted" in line] == notes
    whole = runner.invoke(app, ["extract", str(path), "--extractor", "rules", "--max-chars", "0"])
    assert whole.exit_code == 0 and "partly extracted" not in whole.output
    assert len(whole.stdout.splitlines()) > len(extracted.stdout.splitlines())
    bad = runner.invoke(app, ["extract", str(path), "--max-chars", "-1"])
    assert bad.exit_code != 0 and "max_chars must be a whole number" in bad.output
    assert "Traceback" not in bad.output


# --- a large single-line text ------------------------------------------------------------

_SYLLABLES = ["ka", "lor", "ven", "dri", "mos", "tel", "qua", "ris", "bel", "nor"]
_CITIES = ["Hamburg", "Lyon", "Pune", "Turin", "Austin", "Gdansk", "Osaka", "Rotterdam"]
_PRODUCTS = ["battery cells", "aluminium sheet", "cotton yarn", "brake systems", "solar glass"]
_PEOPLE = ["Anna Berg", "Tomas Reyes", "Mei Lin", "Carl Dunst", "Priya Rao"]


def _company_word(i: int) -> str:
    """An invented company name word, one for each of 0..999 ("Kalorven")."""
    return "".join(_SYLLABLES[int(d)] for d in f"{i:03d}").capitalize()


def _business_sentences(i: int) -> tuple[str, tuple[str, str, str, str]]:
    """Three sentences about an invented pair of companies, and the stake they state
    as (subject, relation, object, percent)."""
    owner, held = f"{_company_word(i)} Metals AG", f"{_company_word(i)}a Foods Limited"
    city, other, product = _CITIES[i % 8], _CITIES[(i + 3) % 8], _PRODUCTS[i % 5]
    text = (f"{owner} holds {5 + i % 90}% of {held}, a maker of {product} based in {city}. "
            f"{held} will open a plant in {other} to produce {10 + i % 40},000 tonnes of "
            f"{product} a year. {_PEOPLE[i % 5]}, chief executive officer of {owner}, said "
            f"demand for {product} kept growing.")
    return text, (held, "P127", owner, str(5 + i % 90))


@pytest.mark.parametrize("extractor", ["rules", "model"])
def test_a_large_single_line_text_is_extracted_to_its_end(extractor):
    """A quarter of a megabyte of business sentences on one line, no paragraph in sight
    (extraction used to grow with the square of the mentions of a text: coreference,
    overlap tests and name clusters compared every mention with every other)."""
    from datetime import date

    from kg.extract import load_pipeline
    from kg.model import Release

    blocks = [_business_sentences(i) for i in range(900)]
    text = " ".join(t for t, _ in blocks)
    assert len(text) > 250_000 and "\n" not in text
    release = Release(id="one-line", text=text, sha256="", source="one-line.txt", format="txt",
                      date=date(2024, 3, 1))  # dated: a press release, the trained layers run
    facts = kg.build.extract_release(release, load_pipeline(None), extractor, max_chars=0)
    assert all(text[f.start:f.end] == f.evidence for f in facts)
    stakes = {(f.subject, f.relation, f.object, f.qualifiers.get("percent")) for f in facts}
    found = [stake in stakes for _, stake in blocks]
    assert found[-1] and sum(found) >= 0.9 * len(blocks)  # to the last sentence
    if extractor == "rules":
        assert all(found)  # the rule states each one


@pytest.mark.parametrize("workers", [1, 2])
def test_an_extraction_failure_costs_one_release_not_the_batch(tmp_path, monkeypatch, workers):
    real = kg.build.extract_release

    def failing(release, nlp, extractor=None, max_chars=kg.build.MAX_CHARS):
        if release.id.startswith("hongqiao-clarification"):
            raise ValueError("[E088] Text of length 3400000 exceeds maximum of 1000000.\nMore.")
        return real(release, nlp, extractor, max_chars)

    monkeypatch.setattr(kg.build, "extract_release", failing)  # forked workers inherit it
    with open_store(str(tmp_path / "store")) as store:
        report = build([RELEASES], store, workers=workers)
        assert len(report.errors) == 1
        line = str(report.errors[0])
        assert "hongqiao-clarification-2023-10-09.txt" in line and "E088" in line
        assert "\n" not in line
        assert len(report.loaded) == len(list(RELEASES.iterdir())) - 1
        assert len(store.graphs()) == len(report.loaded)


def test_a_jsonl_record_over_the_model_limit_is_stored_with_the_rest(tmp_path):
    import json

    seed = (RELEASES / "weiqiao-baw-stake-2023-04-12.txt").read_text(encoding="utf-8")
    filler = "The market for industrial parts kept growing during the quarter. "
    long_text = seed + "\n\n" + filler * (1_200_000 // len(filler))
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"id": "huge-record", "text": long_text}) + "\n"
                     + json.dumps({"id": "small-record", "text": seed}) + "\n", encoding="utf-8")
    with open_store(str(tmp_path / "store")) as store:
        report = build([batch], store, workers=2)
        assert not report.errors, [str(e) for e in report.errors]
        assert sorted(report.loaded) == ["huge-record", "small-record"]
        assert [g.rsplit("/", 1)[-1] for g in store.graphs()] == ["huge-record", "small-record"]


# --- one graph whatever the build history -------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

REGISTRY = ROOT / "data" / "entities.yaml"
# releases that name the same companies in different ways ("BAW", "Beijing Automobile
# Works Co., Ltd.", "the Group"), define acronyms and place sites
HISTORY = [RELEASES / name for name in (
    "weiqiao-baw-stake-2023-04-12.txt", "weiqiao-baw-joint-venture-2023-08-30.md",
    "baw-delegation-zouping-2023-05-08.txt", "hongqiao-clarification-2023-10-09.txt",
    "weiqiao-group-profile-2023-03-15.md")]
_BATCH: dict[bool, set[str]] = {}


def _quads(store) -> set[str]:
    """Every quad of the store, the merged default graph included."""
    return {str(q) for q in store._store}


def _built(groups, registry: bool) -> set[str]:
    with open_store("memory:") as store:
        for group in groups:
            report = build(group, store, extractor="rules",
                           registry_path=REGISTRY if registry else None)
            assert not report.errors
        return _quads(store)


def _batch(registry: bool) -> set[str]:
    if registry not in _BATCH:
        _BATCH[registry] = _built([HISTORY], registry)
    return _BATCH[registry]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(HISTORY), cuts=st.sets(st.integers(1, len(HISTORY) - 1)),
       registry=st.booleans())
def test_any_order_and_grouping_of_builds_gives_the_same_quads(order, cuts, registry):
    """Batch, one by one, two groups, any order: the same IRIs and the same quads, in the
    release graphs, the registry graph and the merged default graph."""
    bounds = [0, *sorted(cuts), len(order)]
    groups = [order[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    assert _built(groups, registry) == _batch(registry)


def test_one_by_one_and_reversed_builds_give_the_batch_quads():
    for registry in (True, False):
        assert _built([[p] for p in HISTORY], registry) == _batch(registry)
        assert _built([[p] for p in reversed(HISTORY)], registry) == _batch(registry)
    assert _batch(True) != _batch(False)


def test_registry_triples_are_in_the_registry_graph_only():
    from kg.rdf import registry_iri

    with open_store("memory:") as store:
        build(HISTORY[:1], store, extractor="rules", registry_path=REGISTRY)
        where = {str(row["g"]) for row in store.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?e <http://www.w3.org/2002/07/owl#sameAs> ?q } }")}
        assert where == {str(registry_iri())}
        # in a release graph, every "located in" / "headquartered in" triple is a fact's
        # shortcut: the registry's located_in links are in the registry graph only
        unstated = """PREFIX ckg: <https://w3id.org/corporate-kg/ontology#>
        SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s ?p ?o
          FILTER(?p IN (ckg:locatedInRegion, ckg:location, ckg:headquarteredIn))
          FILTER NOT EXISTS { ?f ckg:subject ?s ; ckg:relation ?p ; ckg:object ?o } } }"""
        assert {str(r["g"]) for r in store.query(unstated)} == {str(registry_iri())}
        before = _quads(store)
        store.update(f"DROP GRAPH <{registry_iri()}>")  # behind the build's back
        build(HISTORY[:1], store, extractor="rules", registry_path=REGISTRY)
        assert _quads(store) == before
        build(HISTORY[:1], store, extractor="rules", registry_path=None)  # registry dropped
        assert str(registry_iri()) not in store.graphs()


def test_removing_a_release_gives_what_a_build_without_it_gives():
    from kg.build import remove_releases

    with open_store("memory:") as store:
        build(HISTORY, store, extractor="rules", registry_path=REGISTRY)
        removed, missing = remove_releases(store, [HISTORY[0].stem])
        assert removed == [HISTORY[0].stem] and not missing
        assert _quads(store) == _built([HISTORY[1:]], True)


def test_an_unchanged_file_costs_a_hash_not_a_parse(tmp_path, monkeypatch):
    import kg.releases

    with open_store(str(tmp_path / "store")) as store:
        first = build(HISTORY, store, extractor="rules")
        before = _quads(store)

        def no_parsing(*args, **kwargs):
            raise AssertionError("an unchanged file was parsed")

        monkeypatch.setattr(kg.releases, "load_file", no_parsing)
        again = build(HISTORY, store, extractor="rules")
        assert set(again.status.values()) == {"unchanged"}
        assert sorted(again.loaded) == sorted(first.loaded)
        assert _quads(store) == before


def test_another_extractor_re_extracts_unchanged_text(tmp_path):
    with open_store(str(tmp_path / "store")) as store:
        build(HISTORY[:2], store, extractor="rules")
        extractors = {str(r["x"]) for r in store.query(
            "SELECT DISTINCT ?x WHERE { ?f <https://w3id.org/corporate-kg/ontology#extractor> ?x }")}
        again = build(HISTORY[:2], store, extractor="model")
        assert set(again.status.values()) == {"replaced"}
        now = {str(r["x"]) for r in store.query(
            "SELECT DISTINCT ?x WHERE { ?f <https://w3id.org/corporate-kg/ontology#extractor> ?x }")}
        assert now != extractors
        assert set(build(HISTORY[:2], store, extractor="model").status.values()) == {"unchanged"}


def test_a_graph_removed_behind_the_index_is_built_again(tmp_path):
    from kg.rdf import release_iri

    with open_store(str(tmp_path / "store")) as store:
        build(HISTORY[:2], store, extractor="rules")
        before = _quads(store)
        store.update(f"DROP GRAPH <{release_iri(HISTORY[0].stem)}>")
        report = build(HISTORY[:2], store, extractor="rules")
        assert report.status[HISTORY[0].stem] == "added"
        assert {q for q in _quads(store) if "<urn:" not in q} >= {
            q for q in before if str(release_iri(HISTORY[0].stem)) in q}


def test_the_sample_data_built_one_by_one_gives_the_quads_of_the_batch(demo_store_path):
    """What issue 9 found: one-by-one builds of data/releases gave 3,453 quads against
    the batch's 3,497. Now every quad, merge included, is the same."""
    with open_store(demo_store_path, read_only=True) as batch:
        expected = _quads(batch)
    one_by_one = _built([[p] for p in sorted(RELEASES.iterdir())], registry=True)
    assert one_by_one == expected


# --- the whole build on a Dask cluster ----------------------------------------------------


@pytest.fixture
def dask_log(monkeypatch):
    """What the scheduler of a build's Dask cluster recorded while the build used it:
    ``tasks``, each task's key and the address of the worker that ran it, and ``pids``,
    each worker's process id."""
    log: dict = {}

    class Recorded(kg.build._dask_client):
        def __enter__(self):
            client = super().__enter__()
            client.get_task_stream()  # the scheduler records the tasks from now on
            return client

        def __exit__(self, *exc_info):
            log["tasks"] = [(t["key"], t["worker"]) for t in self.client.get_task_stream()]
            log["pids"] = self.client.run(os.getpid)
            super().__exit__(*exc_info)

    monkeypatch.setattr(kg.build, "_dask_client", Recorded)
    return log


def test_a_build_on_a_local_dask_cluster_stores_the_quads_of_a_plain_build(
        demo_store_path, tmp_path, dask_log):
    """--dask covers the whole build: the files are read and extracted, and the release
    graphs built, by the cluster's worker processes; the store holds the same quads."""
    with open_store(demo_store_path, read_only=True) as plain:  # extractor rules, registry
        expected = _quads(plain)
    with open_store(str(tmp_path / "store")) as store:
        report = build([RELEASES], store, workers=2, scheduler="local", extractor="rules",
                       registry_path=REGISTRY)
        assert not report.errors
        assert _quads(store) == expected
    phases = Counter(key.rsplit("-", 1)[0] for key, _ in dask_log["tasks"])
    tasks = -(-len(report.loaded) // kg.build._Workers.CHUNK)  # a release a file, a graph each
    assert phases == {"_work_in_worker": tasks, "_graph_in_worker": tasks}
    assert {worker for _, worker in dask_log["tasks"]} <= set(dask_log["pids"])
    assert len(dask_log["pids"]) == 2 and os.getpid() not in dask_log["pids"].values()


def test_a_bad_file_on_a_dask_cluster_is_one_error_and_the_rest_is_stored(tmp_path):
    src = tmp_path / "releases"
    shutil.copytree(RELEASES, src)
    (src / "broken.pdf").write_bytes(b"not a PDF at all")  # the worker's loader fails
    (src / "empty.txt").write_bytes(b"")  # the main process cannot ship it: no bytes
    with open_store("memory:") as store:
        plain = build([src], store, extractor="rules")
    with open_store(str(tmp_path / "store")) as store:
        report = build([src], store, workers=1, scheduler="local", extractor="rules")
        lines = sorted(str(e) for e in report.errors)
        assert lines == sorted(str(e) for e in plain.errors)  # as without Dask
        assert len(lines) == 2 and all("\n" not in line for line in lines)
        assert "broken.pdf" in lines[0] and "corrupt PDF" in lines[0]
        assert "empty.txt" in lines[1] and "empty file" in lines[1]
        assert len(store.graphs()) == len(report.loaded) == len(list(RELEASES.iterdir()))


def test_a_unit_shipped_with_its_bytes_loads_where_the_file_is_not(tmp_path):
    """What a worker on another machine does: load the bytes the main process read."""
    from kg.extract import load_pipeline

    path = tmp_path / "weiqiao-baw-stake-2023-04-12.txt"
    shutil.copy(RELEASES / path.name, path)
    unit = kg.build._Work(str(path), str(path))
    here = kg.build._work_outcomes(unit, load_pipeline(None), "rules")
    shipped = kg.build._with_bytes(unit)
    path.unlink()
    assert kg.build._work_outcomes(shipped, load_pipeline(None), "rules") == here
    assert here[0][1]  # facts

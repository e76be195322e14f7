"""The build pipeline: worker processes, idempotent re-builds, bad input in a batch."""

from __future__ import annotations

import shutil
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


def test_a_local_dask_cluster_gives_the_same_facts_in_the_same_order(tmp_path):
    releases, _ = load_releases([RELEASES])
    done = []
    one = extract_all(releases, workers=1)
    on_dask = extract_all(releases, workers=2, scheduler="local", progress=done.append)
    assert [_key(fs) for fs in on_dask] == [_key(fs) for fs in one]
    assert sum(done) == len(releases)
    with open_store(str(tmp_path / "a")) as a, open_store(str(tmp_path / "b")) as b:
        build([RELEASES], a)
        build([RELEASES], b, workers=2, scheduler="local")
        assert a.count() == b.count() > 0


def test_an_unreachable_dask_scheduler_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(kg.build, "DASK_CONNECT_TIMEOUT", "1s")
    releases, _ = load_releases([RELEASES])
    with pytest.raises(KgError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        extract_all(releases[:2], scheduler="tcp://127.0.0.1:9")


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
    facts = extract_all(releases)[0]
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
    assert len(graphs) == len(list(RELEASES.iterdir())) + 1
    assert any(g.endswith("/long-release-2024-01-01") for g in graphs)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_extraction_failure_costs_one_release_not_the_batch(tmp_path, monkeypatch, workers):
    real = kg.build.extract_release

    def failing(release, nlp, extractor=None):
        if release.id.startswith("hongqiao-clarification"):
            raise ValueError("[E088] Text of length 3400000 exceeds maximum of 1000000.\nMore.")
        return real(release, nlp, extractor)

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

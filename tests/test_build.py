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

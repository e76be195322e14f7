"""kg validate: the SHACL shapes, and conflicts between releases.

The stores here are built by the rules: the conflict checks are under test, on facts
checked by hand, not the trained extractor (tested in test_model.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from kg.build import build
from kg.cli import app
from kg.store import open_store
from kg.validate import conflicts

ROOT = Path(__file__).resolve().parents[1]
RELEASES = ROOT / "data" / "releases"

EARLY = """Kestrel Motors reports a record year

Oslo, 10 January 2024 – Kestrel Motors AS, a maker of electric buses, reported record sales.

Vale Holdings ASA holds a 35% stake in Kestrel Motors AS.

About Kestrel Motors AS

Kestrel Motors AS was founded in 1998 and employs 6,000 people.
"""
LATE = EARLY.replace("35%", "49%").replace("6,000", "8,000").replace(
    "10 January 2024", "12 June 2024").replace("a record year", "a bus plant")


def conflicting_releases(folder: Path) -> Path:
    shutil.copytree(RELEASES, folder)
    (folder / "kestrel-2024-01-10.txt").write_text(EARLY, encoding="utf-8")
    (folder / "kestrel-2024-06-12.txt").write_text(LATE, encoding="utf-8")
    return folder


def test_two_releases_stating_different_values_are_two_conflicts(tmp_path):
    with open_store(str(tmp_path / "store")) as store:
        build([conflicting_releases(tmp_path / "in")], store, extractor="rules")
        found = conflicts(store)
    assert [(c.check, c.subject, c.other, c.first.value, c.second.value) for c in found] == [
        ("employees", "Kestrel Motors AS", None, "6000", "8000"),
        ("stake percent", "Kestrel Motors AS", "Vale Holdings ASA", "35", "49"),
    ]
    stake = found[1]
    assert (stake.first.release, stake.first.date) == ("kestrel-2024-01-10", "2024-01-10")
    assert (stake.second.release, stake.second.date) == ("kestrel-2024-06-12", "2024-06-12")
    assert stake.second.evidence == "Vale Holdings ASA holds a 49% stake in Kestrel Motors AS."


def test_the_sample_releases_have_no_conflict(tmp_path):
    with open_store(str(tmp_path / "store")) as store:
        build([RELEASES], store, extractor="rules")
        assert conflicts(store) == []


def test_kg_validate_reports_conflicts_and_exits_non_zero(tmp_path):
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(app, ["build", str(conflicting_releases(tmp_path / "in")), "--store",
                               str(store), "--extractor", "rules"]).exit_code == 0
    result = runner.invoke(app, ["validate", "--store", str(store)])
    assert result.exit_code == 1
    assert ("conflict (stake percent): Kestrel Motors AS (owner Vale Holdings ASA): 35 in "
            "kestrel-2024-01-10 (2024-01-10) vs 49 in kestrel-2024-06-12 (2024-06-12)"
            in result.stdout)
    assert "conflict (employees): Kestrel Motors AS: 6000 in kestrel-2024-01-10" in result.stdout
    assert "  kestrel-2024-06-12: Kestrel Motors AS was founded in 1998 and employs 8,000 " \
           "people." in result.stdout
    assert "conflicts across releases: 2" in result.stderr

"""kg entities: what the store knows of each entity, and likely duplicates to confirm."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kg.build import build
from kg.cli import app
from kg.entities import EntityRecord, acronym_of, entities, suggest_duplicates
from kg.resolve import load_registry
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
OWN = ROOT / "tests" / "data" / "validate"
runner = CliRunner()


@pytest.fixture(scope="module")
def kestrel_store(tmp_path_factory) -> Path:
    """Two releases naming Kestrel Motors AS and one naming Kestrel Motors Norway AS (the
    planted likely duplicate), built without the registry."""
    base = tmp_path_factory.mktemp("entities")
    folder = base / "in"
    folder.mkdir()
    for name in ("kestrel-2024-01-10.txt", "kestrel-2024-06-12.txt",
                 "kestrel-norway-2024-03-05.txt"):
        shutil.copy(OWN / name, folder / name)
    with open_store(str(base / "store")) as store:
        build([folder], store, extractor="rules", registry_path=None)
    return base / "store"


def test_entities_with_aliases_and_the_releases_naming_them(kestrel_store):
    with open_store(str(kestrel_store), read_only=True) as store:
        found = entities(store, "kestrel motors as")
        everyone = entities(store)
    [kestrel] = found
    assert kestrel.label == "Kestrel Motors AS" and kestrel.type == "ORG"
    assert "Kestrel Motors" in kestrel.aliases
    assert kestrel.releases == ["kestrel-2024-01-10", "kestrel-2024-06-12"]
    assert {"Kestrel Motors Norway AS", "Vale Holdings ASA"} <= {e.label for e in everyone}


def test_suggest_finds_the_planted_duplicate_with_its_registry_entry(kestrel_store):
    result = runner.invoke(app, ["entities", "--suggest", "--store", str(kestrel_store),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    rows = json.loads(result.stdout)
    [row] = [r for r in rows if {r["keepLabel"], r["mergeLabel"]} ==
             {"Kestrel Motors AS", "Kestrel Motors Norway AS"}]
    assert row["reason"] == "'kestrel motors' is the start of 'kestrel motors norway'"
    # the one named by more releases is kept; the other's names become its aliases
    assert row["keepLabel"] == "Kestrel Motors AS"
    [entry] = yaml.safe_load(row["registry_entry"])
    assert entry["name"] == "Kestrel Motors AS" and entry["type"] == "ORG"
    assert {"Kestrel Motors Norway AS", "Kestrel Motors Norway"} <= set(entry["aliases"])
    # the entry is one the registry loader accepts
    path = kestrel_store.parent / "entities.yaml"
    path.write_text(row["registry_entry"], encoding="utf-8")
    assert load_registry(path).entries[0].name == "Kestrel Motors AS"


def test_kg_entities_text_shows_the_yaml_to_add(kestrel_store):
    result = runner.invoke(app, ["entities", "kestrel", "--suggest", "--store", str(kestrel_store)])
    assert result.exit_code == 0, result.output
    assert "- name: Kestrel Motors AS" in result.stdout
    assert "1 likely duplicate:" in result.stderr
    listing = runner.invoke(app, ["entities", "vale", "--store", str(kestrel_store),
                                  "--format", "csv"])
    assert listing.stdout.splitlines()[1].startswith(
        "https://w3id.org/corporate-kg/id/org/vale-holdings-asa,Vale Holdings ASA,ORG,")


def record(iri: str, label: str, *aliases: str, **ids: str) -> EntityRecord:
    return EntityRecord(f"https://w3id.org/corporate-kg/id/org/{iri}", label, "ORG",
                        ["Company"], list(aliases), dict(ids), [f"r-{iri}"])


@pytest.mark.parametrize("a, b, reason", [
    (record("a", "Nordlys Énergi AS"), record("b", "NORDLYS ENERGI ASA"),
     "same normalised name 'nordlys energi'"),
    (record("a", "Nordlys Energi AS", lei="5493001KJTIIGC8Y1R12"),
     record("b", "Nordlys Power", lei="5493001KJTIIGC8Y1R12"),
     "shared identifier lei:5493001KJTIIGC8Y1R12"),
    (record("a", "Beijing Automobile Works Co., Ltd."), record("b", "BAW"),
     "'BAW' is an acronym of 'Beijing Automobile Works Co., Ltd.'"),
])
def test_suggest_reasons(a, b, reason):
    [found] = suggest_duplicates([a, b])
    assert found.reason == reason


def test_suggest_leaves_unrelated_names_and_types_alone():
    people = EntityRecord("https://w3id.org/corporate-kg/id/person/nordlys-energi", "Nordlys Energi",
                          "PER")
    assert suggest_duplicates([record("a", "Nordlys Energi AS"), people,
                               record("c", "China Hongqiao Group"),
                               record("d", "China Shenhua Energy")]) == []
    assert acronym_of("BAW", "Beijing Automobile Works") and not acronym_of("XYZ", "Beijing Works")
    [prefix] = suggest_duplicates([record("e", "Weiqiao Textile"),
                                   record("f", "Weiqiao Textile Dyeing Co")])
    assert prefix.reason == "'weiqiao textile' is the start of 'weiqiao textile dyeing'"

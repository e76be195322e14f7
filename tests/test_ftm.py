"""FollowTheMoney export (kg.ftm): every entity passes the followthemoney model's checks,
the file loads with the `ftm` tools, and the sample releases' stakes and officers come out
as Ownership and Directorship entities."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from followthemoney import model
from rdflib import OWL, RDF, URIRef

from kg import vocab
from kg.export import export, format_for_path
from kg.ftm import FTM_SCHEMATA, ftm_entities
from kg.store import open_store

CKG = "https://w3id.org/corporate-kg/ontology#"


@pytest.fixture(scope="module")
def entities(demo_store_path, tmp_path_factory) -> tuple[Path, list[dict]]:
    path = tmp_path_factory.mktemp("ftm") / "graph.ftm.json"
    with open_store(demo_store_path, read_only=True) as store:
        export(store, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    return path, [json.loads(line) for line in lines]


def by_name(found: list[dict]) -> dict[str, dict]:
    return {name: e for e in found for name in e["properties"].get("name", [])}


def test_every_entity_passes_the_model(entities):
    _, found = entities
    assert found and len({e["id"] for e in found}) == len(found)
    for entity in found:
        proxy = model.get_proxy(entity, cleaned=False)  # cleans every value by its type
        assert proxy.schema.validate(proxy.to_dict()) is None
        assert all(proxy.get(p) for p in proxy.schema.required), entity
        assert proxy.to_dict()["properties"] == entity["properties"]  # already clean


def test_the_file_loads_with_the_ftm_tools(entities, tmp_path):
    path, found = entities
    ftm = Path(sys.executable).with_name("ftm")
    out = tmp_path / "validated.json"
    subprocess.run([str(ftm), "validate", "-i", str(path), "-o", str(out)], check=True,
                   capture_output=True, timeout=120)
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(found)


def test_stakes_become_ownerships_with_percent_and_dates(entities):
    _, found = entities
    names = by_name(found)
    hongtuo = names["Shandong Hongtuo Industrial Co., Ltd."]
    binzhou = names["Binzhou Lightweight Alloy Technology Co., Ltd."]
    weiqiao, baw = names["Shandong Weiqiao Pioneering Group Co., Ltd."], names[
        "Beijing Automobile Works Co., Ltd."]
    assert hongtuo["schema"] == "Company" and "Hongtuo" in hongtuo["properties"]["alias"]
    ownerships = [e for e in found if e["schema"] == "Ownership"]
    (deal,) = [e for e in ownerships if e["properties"]["owner"] == [hongtuo["id"]]
               and e["properties"]["asset"] == [binzhou["id"]]]
    assert deal["properties"]["percentage"] == ["75"]
    assert deal["properties"]["date"] == ["2023-06-30"]
    assert deal["properties"]["status"] == ["completed"]
    assert "75% equity interest" in deal["properties"]["summary"][0]
    # of the three releases on Weiqiao buying into BAW only the completed deal and the
    # stated 35% are ownerships; the plan of April 2023 and the agreement of August are not
    baw_stakes = [e for e in ownerships if e["properties"]["owner"] == [weiqiao["id"]]
                  and e["properties"]["asset"] == [baw["id"]]]
    assert {tuple(e["properties"]["date"]) for e in baw_stakes} == {("2024-01-05",)}
    assert all(e["properties"]["percentage"] == ["35"] for e in baw_stakes)


def test_officers_employees_and_head_offices(entities):
    _, found = entities
    names = by_name(found)
    zhang, hongqiao = names["Zhang Bo"], names["China Hongqiao Group Limited"]
    assert zhang["schema"] == "Person"
    roles = {r for e in found if e["schema"] == "Directorship"
             and e["properties"]["director"] == [zhang["id"]]
             and e["properties"]["organization"] == [hongqiao["id"]]
             for r in e["properties"].get("role", [])}
    assert roles == {"chairperson"}
    assert any(e["schema"] == "Employment" and e["properties"]["employee"] == [zhang["id"]]
               for e in found)
    weiqiao = names["Shandong Weiqiao Pioneering Group Co., Ltd."]
    (office,) = weiqiao["properties"]["addressEntity"]
    address = next(e for e in found if e["id"] == office)
    assert address["schema"] == "Address" and address["properties"]["full"] == ["Zouping"]
    assert names["Hong Kong Stock Exchange"]["schema"] == "Organization"
    assert names["Hong Kong Stock Exchange"]["properties"]["wikidataId"] == ["Q496672"]


def test_ids_are_stable_across_exports(demo_graph, entities):
    _, found = entities
    assert [e["id"] for e in ftm_entities(demo_graph)] == [e["id"] for e in found]


def test_the_mapping_table_names_ontology_terms_and_ftm_schemata():
    ontology = vocab.ontology()
    for term, mapping in FTM_SCHEMATA.items():
        iri = URIRef(CKG + term)
        kinds = set(ontology.objects(iri, RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, term
        if mapping.schema is not None:
            schema = model.get(mapping.schema)
            assert schema is not None, mapping.schema
            for prop in (mapping.subject, mapping.object):
                assert prop is None or prop in schema.properties, (term, prop)
    assert format_for_path("out/graph.ftm.json") == "ftm"

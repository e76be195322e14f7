"""The named query library (queries/*.rq) on the sample releases of data/releases.

Each query runs without parameters (a required parameter takes the example value of its
header) and is checked against what the releases say, read by a person: the expected
rows below are facts stated in data/releases, not outputs copied from a run.
"""

from __future__ import annotations

import pytest
import rdflib
from rdflib import Literal

from kg import queries
from kg.queries import list_queries, rows_for_display, run
from kg.store import open_store

CKG = rdflib.Namespace("https://w3id.org/corporate-kg/ontology#")
KGR = rdflib.Namespace("https://w3id.org/corporate-kg/id/")

WEIQIAO = "Shandong Weiqiao Pioneering Group Co., Ltd."
HONGQIAO = "China Hongqiao Group Limited"
HONGTUO = "Shandong Hongtuo Industrial Co., Ltd."
BINZHOU = "Binzhou Lightweight Alloy Technology Co., Ltd."
HONGCHUANG = "Shandong Hongchuang Aluminium Industry Holding Co., Ltd."
TEXTILE = "Weiqiao Textile Company Limited"
BAW = "Beijing Automobile Works Co., Ltd."
JV = "Qingdao Weiqiao BAW New Energy Automobile Co., Ltd."
NEW_MATERIAL = "Shandong Hongqiao New Material Co., Ltd."
GERMANY = "WEIQIAO Germany GmbH"
WEIHAI = "Weihai Weiqiao Textile Co., Ltd."


@pytest.fixture(scope="module")
def store(demo_store_path):
    with open_store(demo_store_path, read_only=True) as st:
        yield st


def ask(store, name: str, **params) -> list[dict]:
    return rows_for_display(run(store, name, **params))


def pick(rows: list[dict], *columns: str) -> set[tuple]:
    return {tuple(row.get(c) for c in columns) for row in rows}


# --- the library as a whole ----------------------------------------------------------------


def test_at_least_twenty_queries_each_with_title_question_and_examples():
    found = list_queries()
    assert len(found) >= 20
    for query in found:
        assert query.title and query.question.endswith("?"), query.name
        assert all(p.example for p in query.parameters), query.name


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_query_runs_without_parameters_and_answers(store, name):
    results = queries.run_results(store, name)
    variables, rows = queries.results_rows(results)
    assert variables
    if name != "disagreements":  # the sample releases do not contradict each other
        assert rows, f"{name} answers nothing on the sample releases"


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_query_has_a_test_here(name):
    assert f"def test_{name.replace('-', '_')}" in open(__file__, encoding="utf-8").read()


# --- one test a query ------------------------------------------------------------------------


def test_ownership_chain(store):
    # Hongchuang: 29.98% held by Hongtuo, a wholly-owned subsidiary of China Hongqiao, which
    # the group profile calls a listed subsidiary of Weiqiao Pioneering Group.
    rows = ask(store, "ownership-chain")
    assert pick(rows, "heldLabel", "holderLabel", "link", "percent", "ultimate") == {
        (HONGCHUANG, HONGTUO, "stake held by", 29.98, False),
        (HONGTUO, HONGQIAO, "subsidiary of", None, False),
        (HONGQIAO, WEIQIAO, "subsidiary of", None, True),
    }
    assert ask(store, "ownership-chain", company="Weiqiao Pioneering Group") == []


def test_group_holdings(store):
    rows = ask(store, "group-holdings")
    direct = {r["heldLabel"]: r for r in rows if r["direct"]}
    assert set(direct) == {BAW, HONGQIAO, JV, GERMANY, TEXTILE}
    assert direct[TEXTILE]["percent"] == 63.45 and direct[BAW]["percent"] == 35
    assert direct[JV]["percent"] == 60
    indirect = pick([r for r in rows if not r["direct"]], "holderLabel", "heldLabel", "percent")
    assert {(HONGTUO, BINZHOU, 75), (HONGTUO, HONGCHUANG, 29.98), (BAW, JV, 40),
            (HONGQIAO, HONGTUO, None), (TEXTILE, WEIHAI, None)} <= indirect
    # the takeover of BAW planned in April and agreed in August is not a holding; the
    # completed one of January 2024 is
    baw = direct[BAW]
    assert "acquires" in baw["relations"] and baw["releases"].split() == [
        "baw-first-vehicle-qingdao-2024-01-05"]


def test_listed_companies(store):
    # "three listed companies, two listed in Hong Kong": Hongqiao (1378), Weiqiao Textile
    # (2698) in Hong Kong, Hongchuang (002379) in Shenzhen
    rows = ask(store, "listed-companies")
    assert pick(rows, "companyLabel", "exchangeLabel") == {
        (HONGQIAO, "Hong Kong Stock Exchange"), (TEXTILE, "Hong Kong Stock Exchange"),
        (HONGCHUANG, "Shenzhen Stock Exchange")}
    tickers = {r["companyLabel"]: r["tickers"] for r in rows}
    assert "1378" in tickers[HONGQIAO] and "2698" in tickers[TEXTILE]
    assert "002379" in tickers[HONGCHUANG]
    assert ask(store, "listed-companies", group="BAW") == []


def test_subsidiaries_by_place(store):
    rows = ask(store, "subsidiaries-by-place")
    assert {(HONGQIAO, WEIQIAO, "Zouping"), (TEXTILE, WEIQIAO, "Zouping"),
            (WEIHAI, TEXTILE, "Weihai")} <= pick(rows, "subsidiaryLabel", "parentLabel",
                                                 "headquartersLabel")
    assert {r["placeLabel"] for r in rows} == {"Shandong Province"}
    germany = ask(store, "subsidiaries-by-place", place="Düsseldorf")
    assert pick(germany, "subsidiaryLabel", "parentLabel") == {(GERMANY, WEIQIAO)}


def test_partners(store):
    rows = ask(store, "partners")
    assert {r["partnerLabel"] for r in rows} == {WEIQIAO}
    assert {"cooperation", f"joint venture: {JV}"} <= {r["how"] for r in rows}
    assert {r["status"] for r in rows if r["how"] == "cooperation"} == {"agreed"}
    material = ask(store, "partners", company="Hongqiao New Material")
    assert pick(material, "partnerLabel", "how", "status") == {(JV, "supplies", "agreed")}


def test_joint_ventures(store):
    rows = ask(store, "joint-ventures")
    assert pick(rows, "ventureLabel", "memberLabel", "share") == {
        (JV, WEIQIAO, 60), (JV, BAW, 40)}
    assert ask(store, "joint-ventures", partner="Hongtuo") == []


def test_capacity_targets(store):
    rows = ask(store, "capacity-targets")
    found = pick(rows, "siteLabel", "amount", "unit", "horizon")
    assert {("Binzhou Lightweight aluminium alloy plant", 200000,
             "tonnes of aluminium alloy products", None),
            ("BAW Qingdao production base", 300000, "vehicles", "2025"),
            ("Qingdao battery pack plant", 20, "GWh", "2026")} <= found
    binzhou = next(r for r in rows if r["siteLabel"].startswith("Binzhou"))
    assert binzhou["places"] == "Binzhou" and binzhou["operators"] == BINZHOU
    in_qingdao = ask(store, "capacity-targets", place="Qingdao")
    assert in_qingdao and all(r["places"] == "Qingdao" for r in in_qingdao)


def test_deals_timeline(store):
    rows = ask(store, "deals-timeline")
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    baw = [(r["date"], r["dealStatusName"]) for r in rows
           if r["kind"] == "acquires" and r["objectLabel"] == BAW]
    # the completion is dated by its sentence ("completed its investment in BAW in
    # December 2023"), the others by their releases
    assert baw == [("2023-04-12", "planned"), ("2023-08-30", "agreed"),
                   ("2023-12", "completed")]
    completed = ask(store, "deals-timeline", status="completed")
    assert pick(completed, "subjectLabel", "objectLabel", "percent") == {
        (HONGTUO, BINZHOU, 75), (WEIQIAO, BAW, 35)}
    assert next(r for r in completed if r["subjectLabel"] == HONGTUO)["amount"] == 3360000000


def test_people(store):
    rows = ask(store, "people")
    assert {("Zhang Bo", WEIQIAO, "chief executive officer"),
            ("Zhang Bo", HONGQIAO, "chairperson"),
            ("Chen Yiming", HONGQIAO, "officer"),
            ("Liu Jianguo", BAW, "chairperson"),
            ("Markus Becker", GERMANY, "officer")} <= pick(rows, "personLabel",
                                                          "organisationLabel", "role")
    assert {r["personLabel"] for r in ask(store, "people")} >= {"Zhang Bo", "Gao Feng"}
    assert {r["personLabel"] for r in ask(store, "people", person="Zhang Bo")} == {"Zhang Bo"}


def test_headquarters(store):
    rows = ask(store, "headquarters")
    found = {r["companyLabel"]: r for r in rows}
    assert found[BAW]["headquartersLabel"] == "Qingdao" and found[BAW]["since"] == "2020"
    assert found[BAW]["firstStated"] == "2020-09-28"
    assert "baw-headquarters-qingdao-2020-09-28" in found[BAW]["releases"].split()
    assert found[WEIQIAO]["headquartersLabel"] == "Zouping"
    assert found[GERMANY]["headquartersLabel"] == "Düsseldorf"
    assert pick(ask(store, "headquarters", company="BAW"), "headquartersLabel") == {("Qingdao",)}


def test_release_facts(store):
    rows = ask(store, "release-facts")
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    assert {(HONGTUO, "acquires", BINZHOU, "completed", 75),
            (HONGTUO, "subsidiaryOf", HONGQIAO, None, None)} <= pick(
        rows, "subjectLabel", "relationName", "objectLabel", "status", "percent")
    clarification = ask(store, "release-facts", id="hongqiao-clarification-2023-10-09")
    # the clarification denies every stake: no ownership fact may come from it
    assert not {r["relationName"] for r in clarification} & {"acquires", "ownedBy",
                                                              "subsidiaryOf"}


def test_disagreements(store, tmp_store, sample_releases):
    assert ask(store, "disagreements", subject="BAW") == []  # the releases agree on BAW
    # two releases that give another percent for the same holder, and another head count
    for iri, graph in sample_releases.items():
        tmp_store.load_release(iri, graph, "sha")
    company, owner = KGR["org/borealis-motors"], KGR["org/acme-industrial-group"]
    for rid, percent, staff in (("r-old", "40", 900), ("r-new", "45", 1200)):
        release = KGR[f"release/{rid}"]
        g = rdflib.Graph()
        g.add((release, rdflib.DCTERMS.identifier, Literal(rid)))
        stake, headcount = KGR[f"fact/{rid}/1"], KGR[f"fact/{rid}/2"]
        g.add((stake, CKG.relation, CKG.ownedBy))
        g.add((stake, CKG.object, owner))
        g.add((stake, CKG.percentage, Literal(percent, datatype=rdflib.XSD.decimal)))
        g.add((headcount, CKG.relation, CKG.employeeCount))
        g.add((headcount, CKG.value, Literal(staff)))
        for fact in (stake, headcount):
            g.add((fact, CKG.subject, company))
            g.add((fact, rdflib.PROV.wasDerivedFrom, release))
            g.add((fact, CKG.evidence, Literal(f"{rid} says so.")))
        tmp_store.load_release(str(release), g, rid)
    rows = ask(tmp_store, "disagreements", subject="Borealis Motors")
    assert pick(rows, "relationName", "what", "first", "second") == {
        ("ownedBy", "percent", 40, 45), ("employeeCount", "value", 1200, 900)}
    assert {frozenset((r["firstRelease"], r["secondRelease"])) for r in rows} == {
        frozenset(("r-old", "r-new"))}


def test_identifiers(store):
    rows = ask(store, "identifiers")
    found = {(r["entityLabel"], r["kind"]): r for r in rows}
    assert found[("Qingdao", "place")]["wikidata"] == "Q170322"
    assert found[(HONGQIAO, "organisation")]["ticker"] == "HKEX:1378"
    assert found[(BAW, "organisation")]["hasIdentifier"] is False
    assert ("Hong Kong Stock Exchange", "organisation") not in found  # an exchange, once
    without = ask(store, "identifiers", identified="false")
    assert without and not any(r["hasIdentifier"] for r in without)
    assert len(without) + len(ask(store, "identifiers", identified="true")) == len(rows)


def test_low_confidence(store):
    rows = ask(store, "low-confidence")
    assert rows and all(r["confidence"] < 0.92 for r in rows)
    assert [r["confidence"] for r in rows] == sorted(r["confidence"] for r in rows)
    assert all(r["evidence"] and r["extractor"] and r["releaseId"] for r in rows)
    everything = ask(store, "low-confidence", threshold="1.01")
    assert len(everything) == sum(r["facts"] for r in ask(store, "facts-by-relation"))
    assert ask(store, "low-confidence", threshold="0") == []


def test_owners(store):
    rows = ask(store, "owners")
    assert {(BAW, WEIQIAO, "stake", 35), (BINZHOU, HONGTUO, "acquisition", 75),
            (HONGCHUANG, HONGTUO, "stake", 29.98), (TEXTILE, WEIQIAO, "stake", 63.45)} <= pick(
        rows, "companyLabel", "ownerLabel", "kind", "percent")


def test_subsidiaries(store):
    rows = ask(store, "subsidiaries")
    assert {r["subsidiaryLabel"] for r in rows} == {BINZHOU, NEW_MATERIAL, HONGTUO}


def test_group_members(store):
    rows = ask(store, "group-members")
    assert {r["memberLabel"] for r in rows} == {BINZHOU, HONGQIAO, NEW_MATERIAL, HONGTUO,
                                                GERMANY, WEIHAI, TEXTILE}
    assert {r["memberLabel"] for r in rows if r.get("listedOn")} == {HONGQIAO, TEXTILE}


def test_executives(store):
    rows = ask(store, "executives")  # optional company: every executive
    assert {("Zhang Bo", "chairperson"), ("Zhang Bo", "chief executive officer"),
            ("Liu Jianguo", "chairperson"), ("Zhang Hongxia", "chairperson")} <= pick(
        rows, "personLabel", "role")
    everyone = ask(store, "executives", company=None)
    assert len(everyone) == len(rows)  # optional: without a company, every executive
    hongqiao = ask(store, "executives", company="China Hongqiao")
    assert pick(hongqiao, "personLabel", "role", "title") == {
        ("Zhang Bo", "chairperson", None), ("Chen Yiming", "officer", "chief financial officer")}


def test_provenance(store):
    rows = ask(store, "provenance")
    assert {r["subjectLabel"] for r in rows} == {BINZHOU}
    assert all(r["evidence"] and r["start"] <= r["end"] and r["releaseId"] for r in rows)
    acquired = ask(store, "provenance", subject="Hongtuo", relation="ckg:acquires")
    assert pick(acquired, "objectLabel", "releaseId") == {
        (BINZHOU, "hongqiao-binzhou-lightweight-2023-06-30")}


def test_releases(store):
    rows = ask(store, "releases")
    assert len(rows) == 12
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert all(r["facts"] > 0 for r in rows)


def test_sites(store):
    rows = ask(store, "sites")
    found = {r["siteLabel"]: r for r in rows}
    assert found["Binzhou Lightweight aluminium alloy plant"]["locations"] == "Binzhou"
    assert "300000 vehicles by 2025" in found["BAW Qingdao production base"]["capacityTargets"]
    assert found["battery foil plant"]["operators"] == HONGCHUANG


def test_facts_by_relation(store):
    total = {r["relation"]: r["facts"] for r in ask(store, "facts-by-relation")}
    assert total["ckg:acquires"] == 4  # planned, agreed, completed (BAW) and Binzhou
    one = {r["relation"]: r["facts"] for r in ask(
        store, "facts-by-relation", release="kgr:release/hongqiao-binzhou-lightweight-2023-06-30")}
    assert one["ckg:acquires"] == 1 and sum(one.values()) == 16


def test_entities_by_class(store):
    counts = {r["class"]: r["entities"] for r in ask(store, "entities-by-class")}
    assert counts["ckg:ListedCompany"] == 3 and counts["ckg:StockExchange"] == 2
    assert counts["ckg:JointVenture"] == 1

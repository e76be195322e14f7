"""kg.evaluate: the matching rules, the JSONL contract, agreement with the shared scorer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.evaluate import (
    calibration,
    evaluate,
    extract_gold_texts,
    facts_to_jsonl_records,
    format_table,
    gold_facts,
    norm,
    number,
    pred_facts,
    record_scores,
    score,
)
from kg.model import Fact

REPO = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO.parent / "shared" / "eval"
SCORER = SHARED_EVAL / "score.py"

GOLD = [{
    "id": "d1", "text": "...",
    "entities": [
        {"id": "e1", "type": "ORG", "names": ["Alder Motors Co., Ltd.", "Alder"]},
        {"id": "e2", "type": "ORG", "names": ["Birch Holdings"]},
        {"id": "e3", "type": "ORG", "names": ["Cedar Energy"]},
    ],
    "facts": [
        {"subject": "e1", "relation": "P749", "object": "e2"},
        {"subject": "e2", "relation": "P355", "object": "e1"},  # the same fact, inverse
        {"subject": "e1", "relation": "X-cooperates", "object": "e3", "status": "agreed"},
        {"subject": "e1", "relation": "P571", "value": "1951"},
        {"subject": "e1", "relation": "P1128", "value": "100,000"},
        {"subject": "e2", "relation": "P127", "object": "e3", "percent": "30"},
    ],
}]


def pred(subject, relation, obj=None, value=None, **q):
    rec = {"doc": "d1", "subject": subject, "relation": relation, **q}
    if obj is not None:
        rec["object"] = obj
    else:
        rec["value"] = value
    return rec


@pytest.mark.parametrize(("a", "b"), [
    ("The Alder Motors Co., Ltd.", "alder motors"),
    ("U.S. Steel", "us steel"),
    ("Birch Holdings Group", "birch holdings group"),
])
def test_norm(a, b):
    assert norm(a) == b


@pytest.mark.parametrize(("text", "value"), [
    ("100,000", 1e5), ("1 million", 1e6), ("one million vehicles", 1e6),
    ("100 billion yuan", 1e11), ("24.06", 24.06), ("no figure", None),
])
def test_number(text, value):
    assert number(text) == value


def test_matching_rules_inverse_symmetric_numbers_years_and_duplicates():
    preds = [
        pred("Birch Holdings", "P355", "Alder Motors"),       # inverse of gold P749
        pred("Cedar Energy", "X-cooperates", "Alder"),         # symmetric, alias
        pred("Alder", "P571", "founded in 1951"),              # year only
        pred("Alder Motors", "P1128", value="100000"),         # number
        pred("Alder", "P749", "Birch Holdings"),               # another alias: dup
        pred("Birch Holdings", "P127", "Dogwood Partners"),    # wrong object: FP
    ]
    res = score(gold_facts(GOLD), pred_facts(preds))
    m = res["micro"]
    assert (m["gold"], m["tp"], m["fp"], m["fn"], m["dup"]) == (5, 4, 1, 1, 1)
    assert "P749/P355" in res["per_relation"]
    assert format_table(res).splitlines()[-1].startswith("micro")


def test_relations_filter_brings_the_inverse_partner():
    res = score(gold_facts(GOLD), pred_facts([pred("Birch Holdings", "P355", "Alder")]),
                relations={"P355"})
    assert set(res["per_relation"]) == {"P749/P355"}
    assert res["micro"]["tp"] == 1


def test_jsonl_contract_and_calibration():
    facts = [Fact(doc="d1", subject="Alder", relation="X-cooperates", object="Cedar Energy",
                  qualifiers={"status": "agreed"}, evidence="Alder and Cedar Energy agreed.",
                  start=0, end=29, confidence=0.85, extractor="cooperates"),
             Fact(doc="d1", subject="Alder", relation="P571", value="1951", evidence="x",
                  start=0, end=1, confidence=0.55, extractor="founded-year")]
    recs = facts_to_jsonl_records(facts)
    assert recs[0]["relation"].startswith("ckg:") and recs[0]["wikidata"] == "X-cooperates"
    assert recs[0]["status"] == "agreed" and "value" not in recs[0]
    assert recs[1]["value"] == "1951" and "object" not in recs[1]
    res = score(gold_facts(GOLD), pred_facts(recs))
    rows = calibration(res["_outcome"])
    assert sum(r["predictions"] for r in rows) == 2
    assert all(r["precision"] in (None, 1.0) for r in rows)


def test_record_scores_only_rises(tmp_path):
    path = tmp_path / "scores.json"
    record_scores(path, "x", {"precision": 0.8, "recall": 0.5, "f1": 0.6})
    record_scores(path, "x", {"precision": 0.9, "recall": 0.3, "f1": 0.45})
    assert json.loads(path.read_text())["x"]["f1"] == 0.6
    record_scores(path, "x", {"precision": 0.9, "recall": 0.6, "f1": 0.72})
    assert json.loads(path.read_text())["x"]["f1"] == 0.72


@pytest.mark.skipif(not SCORER.exists(), reason="shared/eval/score.py is not beside the repo")
def test_same_micro_scores_as_the_shared_scorer(tmp_path):
    gold = SHARED_EVAL / "seed-gold.jsonl"
    facts = extract_gold_texts(gold)
    result = evaluate(gold, facts=facts)
    json.dumps(result)  # plain data, as `kg eval --json` prints it
    ours = result["micro"]
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                 for r in facts_to_jsonl_records(facts)), encoding="utf-8")
    out = subprocess.run([sys.executable, str(SCORER), str(gold), str(pred_path), "--json"],
                         capture_output=True, text=True, check=True, timeout=60)
    theirs = json.loads(out.stdout)["micro"]
    for key in ("tp", "fp", "fn", "dup"):
        assert ours[key] == theirs[key], key
    for key in ("precision", "recall", "f1"):
        assert ours[key] == pytest.approx(theirs[key])


@pytest.mark.skipif(not SCORER.exists(), reason="shared/eval/score.py is not beside the repo")
def test_same_scores_on_a_noisy_prediction_file(tmp_path):
    """Hand-made predictions with aliases, inverses and wrong facts, on the seed gold."""
    gold = SHARED_EVAL / "seed-gold.jsonl"
    recs = [
        {"doc": "seed-weiqiao-baw", "subject": "BAW", "relation": "P571", "value": "1951"},
        {"doc": "seed-weiqiao-baw", "subject": "Weiqiao Pioneering Group", "relation": "P355",
         "object": "WEIQIAO Germany"},
        {"doc": "seed-weiqiao-baw", "subject": "BAW", "relation": "X-cooperates",
         "object": "Weiqiao"},
        {"doc": "seed-weiqiao-baw", "subject": "BAW", "relation": "P159", "object": "Beijing"},
        {"doc": "seed-weiqiao-baw", "subject": "Beijing Automobile Works", "relation": "P571",
         "value": "1951"},
        {"doc": "other-doc", "subject": "X", "relation": "P571", "value": "2000"},
    ]
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    from kg.evaluate import read_gold

    ours = score(gold_facts(read_gold(gold)), pred_facts(recs))["micro"]
    out = subprocess.run([sys.executable, str(SCORER), str(gold), str(pred_path), "--json"],
                         capture_output=True, text=True, check=True, timeout=60)
    theirs = json.loads(out.stdout)["micro"]
    assert {k: ours[k] for k in ("tp", "fp", "fn", "dup")} == \
        {k: theirs[k] for k in ("tp", "fp", "fn", "dup")}

"""kg.evaluate: the matching rules, the JSONL contract, agreement with the shared scorer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.evaluate import (
    brier_score,
    calibration,
    calibration_report,
    calibration_summary,
    cross_validated,
    dev_relations,
    evaluate,
    expected_calibration_error,
    extract_gold_texts,
    facts_to_jsonl_records,
    fold_of,
    folds,
    format_rule_table,
    format_table,
    gold_facts,
    held_out_tables,
    log_loss,
    norm,
    number,
    pred_facts,
    read_gold,
    record_scores,
    release_from_gold,
    reliability,
    rule_outcomes,
    rule_table,
    rule_table_gold_paths,
    score,
)
from kg.extract import confidence as confidence_module
from kg.extract import extract_facts
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


# --- calibration of confidences ----------------------------------------------------------

DEV_GOLD = [SHARED_EVAL / n for n in ("seed-gold.jsonl", "press-dev.jsonl", "redocred-dev.jsonl")]


def outcome(doc, rule, correct, relation="P749", via=False, genre="press"):
    return {"file": "x.jsonl", "doc": doc, "rule": rule, "relation": relation,
            "via_reference": via, "genre": genre, "correct": correct}


def counted_facts(table):
    """Facts a count table holds, over rules, relations and genres."""
    return sum(n for rels in table["rules"].values() for cell in rels.values()
               for _tp, n in confidence_module.by_genre(cell).values())


@pytest.mark.skipif(not all(p.exists() for p in DEV_GOLD), reason="dev gold files not beside")
def test_folds_are_disjoint_and_cover_every_gold_document():
    docs = [rec["id"] for p in DEV_GOLD for rec in read_gold(p)]
    parts = folds(docs, 5)
    assert len(parts) == 5 and all(parts)
    seen = [d for part in parts for d in part]
    assert len(seen) == len(set(seen)) == len(set(docs))  # disjoint, no document twice
    assert set(seen) == set(docs)
    assert all(fold_of(d, 5) == i for i, part in enumerate(parts) for d in part)
    assert folds(reversed(docs), 5) == parts  # the same split whatever the order


def test_a_held_out_table_never_uses_its_fold_documents():
    docs = [f"doc-{i}" for i in range(40)]
    outcomes = [outcome(d, "parent-of", i % 3 != 0, via=i % 2 == 0,
                        genre="article" if i % 5 == 0 else "press") for i, d in enumerate(docs)]
    outcomes += [outcome(d, "founded-year", True, "P571") for d in docs[::4]]
    tables = held_out_tables(outcomes, 5)
    for i, table in enumerate(tables):
        outside = [o for o in outcomes if fold_of(o["doc"], 5) != i]
        assert counted_facts(table) == len(outside)
        # Change every outcome of fold i and give it a rule of its own: table i is the same,
        # and the tables of the other folds are not.
        changed = [dict(o, correct=not o["correct"], rule="only-here")
                   if fold_of(o["doc"], 5) == i else o for o in outcomes]
        again = held_out_tables(changed, 5)
        assert again[i] == table
        assert all(again[j] != tables[j] for j in range(5) if j != i)
        assert "only-here" not in again[i]["rules"]


def test_held_out_confidence_of_a_rule_seen_only_in_its_own_document():
    docs = [f"doc-{i}" for i in range(30)]
    outcomes = [outcome(d, "parent-of", i % 4 != 0) for i, d in enumerate(docs)]
    outcomes.append(outcome("doc-7", "rare-rule", False))
    make = confidence_module.fit
    pairs = cross_validated(outcomes, lambda t: (lambda r, v, g: confidence_module.estimate(
        make(t), r, v, g)), 5)
    table = held_out_tables(outcomes, 5)[fold_of("doc-7", 5)]
    unseen = confidence_module.estimate(make(table), "never-seen-rule")
    assert pairs[-1] == (unseen, False)


def test_ece_brier_and_log_loss_worked_out_by_hand():
    pairs = [(0.9, True), (0.9, True), (0.9, False), (0.6, True), (0.2, False)]
    # bins [0.2, 0.3): 1 at 0.2, right 0/1; [0.6, 0.7): 1 at 0.6, 1/1; [0.9, 1.0]: 3 at 0.9, 2/3
    rows = reliability(pairs)
    assert [(r["bin"], r["count"]) for r in rows] == [("[0.2, 0.3)", 1), ("[0.6, 0.7)", 1),
                                                      ("[0.9, 1.0]", 3)]
    assert rows[2]["confidence"] == pytest.approx(0.9)
    assert rows[2]["precision"] == pytest.approx(2 / 3)
    # ECE = (1 * 0.2 + 1 * 0.4 + 3 * (0.9 - 2/3)) / 5 = (0.2 + 0.4 + 0.7) / 5
    assert expected_calibration_error(pairs) == pytest.approx(0.26)
    # Brier = (0.01 + 0.01 + 0.81 + 0.16 + 0.04) / 5
    assert brier_score(pairs) == pytest.approx(0.206)
    # log loss = -(2 ln 0.9 + ln 0.1 + ln 0.6 + ln 0.8) / 5
    assert log_loss(pairs) == pytest.approx(0.6494551, abs=1e-6)
    assert calibration_summary([(1.0, True)])["ece"] == 0.0
    assert reliability([(1.0, True)])[0]["bin"] == "[0.9, 1.0]"


def test_hierarchical_estimate_backs_off_to_the_relation_and_the_reference_shift():
    table = rule_table(
        [outcome(f"d{i}", "owned-by", i % 2 == 0, "P127") for i in range(40)]
        + [outcome("d0", "owned-by-rare", True, "P127")]
        + [outcome(f"d{i}", "founded-year", True, "P571", via=i < 10) for i in range(40)]
        + [outcome(f"d{i}", "founded-year", False, "P571", via=True) for i in range(10)])
    model = confidence_module.fit(table)
    est = confidence_module.estimate
    # one correct fact is not enough to lift a P127 rule near 1: it stays near its relation
    assert est(model, "owned-by-rare") < 0.75
    assert confidence_module.laplace(table, "owned-by-rare") == pytest.approx(0.667)
    assert est(model, "founded-year") > 0.8 > est(model, "owned-by")
    # the facts resting on a reference were right 10 times out of 20, the others always
    assert model["shift"]["reference"] < 0 < model["shift"]["direct"]
    assert est(model, "founded-year", True) < est(model, "founded-year")
    assert est(model, "never-seen") == est(model, "never-seen", False)
    assert all(0 <= est(model, r, v) <= 1 for r in ("owned-by", "x") for v in (True, False))
    # identical groups: no evidence that rules differ, the strongest prior wins
    assert confidence_module.prior_strength([(9, 10, 0.9)] * 5) == max(confidence_module.STRENGTHS)
    assert confidence_module.prior_strength([(10, 10, 0.5), (0, 10, 0.5)]) < 2


def test_stored_rule_table_is_readable_and_round_trips():
    text = confidence_module.TABLE.read_text(encoding="utf-8")
    table = json.loads(text)
    assert set(table) == {"rules", "via_reference"}
    assert format_rule_table(table) == text  # one rule per line, as write_rule_precision writes
    for rule, rels in table["rules"].items():
        cells = [confidence_module.by_genre(c) for c in rels.values()]
        assert all(0 <= tp <= n for c in cells for tp, n in c.values())
        for genre, (tp, n) in confidence_module.by_genre(
                table["via_reference"].get(rule, {})).items():
            assert 0 <= tp <= n <= sum(c[genre][1] for c in cells if genre in c)
    assert confidence_module.rule_precision()["founded-year"][1] >= 1
    # both genres are counted, press the reference genre
    model = confidence_module.model()
    assert set(model["shift"]["genre"]) == {"press", "article"}
    assert model["shift"]["genre"]["press"] == 0


@pytest.mark.skipif(not all(p.is_file() for p in rule_table_gold_paths()),
                    reason="needs ../shared/eval/press-train.jsonl and redocred-dev.jsonl")
def test_rule_confidences_say_how_often_the_rules_are_right_on_unseen_releases():
    """The stored table is what the rules' firings on press-train (which they were not
    written against) and Re-DocRED dev count, and refitted without a fold's releases it
    tells how often the rules are right on them: within 0.05 on press-train, and the more
    confident facts are the more often right."""
    outcomes = rule_outcomes(rule_table_gold_paths(),
                             relations_by_path=dev_relations(rule_table_gold_paths()))
    stored = json.loads(confidence_module.TABLE.read_text(encoding="utf-8"))
    assert rule_table(outcomes) == stored
    held_out = calibration_report(outcomes=outcomes, gold_paths=rule_table_gold_paths())
    held_out = held_out["estimators"]["hierarchical"]["held_out"]
    train = held_out["groups"]["press-train.jsonl"]
    assert train["count"] > 1000 and abs(train["confidence"] - train["precision"]) < 0.05
    assert train["ece"] < 0.06
    rows = [r for r in held_out["reliability"] if r["count"] >= 100]
    assert rows[-1]["precision"] > rows[0]["precision"] + 0.3


@pytest.mark.skipif(not DEV_GOLD[0].exists(), reason="seed gold not beside the repo")
def test_rule_outcomes_read_the_reference_flag_and_genre_and_restore_confidence(tmp_path):
    before = confidence_module.confidence
    rows = rule_outcomes([DEV_GOLD[0]])
    assert confidence_module.confidence is before
    assert rows and all(isinstance(r["via_reference"], bool) for r in rows)
    assert any(r["via_reference"] for r in rows) and not all(r["via_reference"] for r in rows)
    assert {r["doc"] for r in rows} == {rec["id"] for rec in read_gold(DEV_GOLD[0])}
    assert {r["genre"] for r in rows} == {"press"}  # a release with date and dateline
    # an article-style record (no date, no dateline, no title) is counted as an article
    article = {"id": "a1", "text": "Alder Motors is a carmaker. Alder Motors was founded in 1951.",
               "entities": [{"id": "e1", "type": "ORG", "names": ["Alder Motors"]}],
               "facts": [{"subject": "e1", "relation": "P571", "value": "1951"}]}
    path = tmp_path / "article.jsonl"
    path.write_text(json.dumps(article) + "\n", encoding="utf-8")
    rows = rule_outcomes([path])
    assert [(r["rule"], r["genre"], r["correct"]) for r in rows] == \
        [("founded-year", "article", True)]
    assert type(confidence_module.confidence("founded-year")) is float  # recording is over


@pytest.mark.skipif(not DEV_GOLD[0].exists(), reason="seed gold not beside the repo")
def test_calibrate_entry_runs_on_seed_gold():
    cmd = [sys.executable, "-m", "kg.evaluate", "calibrate", str(DEV_GOLD[0])]
    out = subprocess.run(cmd + ["--json"], capture_output=True, text=True, check=True,
                         timeout=120, cwd=REPO)
    report = json.loads(out.stdout)
    assert report["documents"] == 1 and report["predictions"] > 0
    assert set(report["estimators"]) == {"hierarchical", "laplace", "base_rate"}
    for parts in report["estimators"].values():
        for summary in parts.values():
            assert sum(r["count"] for r in summary["reliability"]) == report["predictions"]
            assert 0 <= summary["ece"] <= 1 and 0 <= summary["brier"] <= 1
            groups = summary["groups"]
            assert groups["seed-gold.jsonl"]["count"] == report["predictions"]
            assert sum(groups[k]["count"] for k in ("reference", "direct") if k in groups) \
                == report["predictions"]
    # one document: its held-out table is empty, so every confidence is the no-data 0.5
    held = report["estimators"]["hierarchical"]["held_out"]
    assert [(r["bin"], r["confidence"]) for r in held["reliability"]] == [("[0.5, 0.6)", 0.5)]
    text = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120,
                          cwd=REPO).stdout
    assert "hierarchical held-out: ECE" in text


def genre_counts(press_right, article_right, n=40):
    """A count table of two rules seen in both genres: ``*_right`` of every ``n`` right."""
    rows = []
    for rule, rel in (("founded-year", "P571"), ("parent-of", "P749")):
        for genre, right in (("press", press_right), ("article", article_right)):
            rows += [outcome(f"{genre}-{i}", rule, i < right, rel, via=i % 4 == 0, genre=genre)
                     for i in range(n)]
    return rule_table(rows)


def test_genre_shift_has_the_sign_of_the_data():
    est = confidence_module.estimate
    worse = confidence_module.fit(genre_counts(38, 24))  # press 95 % right, articles 60 %
    assert worse["shift"]["genre"]["article"] < 0 == worse["shift"]["genre"]["press"]
    better = confidence_module.fit(genre_counts(24, 38))  # the other way round
    assert better["shift"]["genre"]["article"] > 0
    for rule in ("founded-year", "parent-of"):
        for via in (False, True):
            assert est(worse, rule, via, "article") < est(worse, rule, via, "press")
            assert est(better, rule, via, "article") > est(better, rule, via, "press")
    # the shifts fit the data: the predicted right facts of each genre are the observed
    table = genre_counts(38, 24)
    for genre, right in (("press", 38), ("article", 24)):
        expected = sum(est(worse, r, via, genre) * (10 if via else 30)
                       for r in ("founded-year", "parent-of") for via in (True, False))
        assert expected == pytest.approx(2 * right, abs=0.5)
    assert counted_facts(table) == 160


def test_a_table_without_articles_gives_them_no_shift():
    table = rule_table([outcome(f"d{i}", "parent-of", i % 5 != 0) for i in range(30)])
    model = confidence_module.fit(table)
    assert model["shift"]["genre"] == {"press": 0.0, "article": 0.0}
    est = confidence_module.estimate
    assert est(model, "parent-of", False, "article") == est(model, "parent-of", False, "press")
    # a bare [tp, n] (the older table format) counts as press
    bare = {"rules": {"parent-of": {"P749": [24, 30]}}, "via_reference": {}}
    assert confidence_module.fit(bare)["rule"] == model["rule"]
    with pytest.raises(KgError, match="unknown genre"):
        est(model, "parent-of", False, "blog")


def test_default_genre_keeps_the_old_call_working():
    conf = confidence_module.confidence
    for rule in ("founded-year", "parent-of", "never-seen"):
        assert conf(rule) == conf(rule, False) == conf(rule, False, genre="press")
        assert conf(rule, True) == conf(rule, via_reference=True, genre="press")
        assert conf(rule, genre="article") != conf(rule)  # the genre is heard
        assert 0 < conf(rule, True, "article") <= 1


def test_extraction_gives_an_article_fact_and_a_press_fact_the_confidence_of_their_genre():
    text = "Alder Motors is a carmaker. Alder Motors was founded in 1951 by Erik Birch."
    found = {}
    for genre, rec in (("press", {"date": "2024-03-01"}), ("article", {})):
        with confidence_module.recording():
            facts = extract_facts(release_from_gold({"id": genre, "text": text, **rec}),
                                  extractor="rules")
        found[genre] = {f.extractor: f.confidence for f in facts}
        assert {c.genre for c in found[genre].values()} == {genre}
    assert set(found["press"]) & set(found["article"]) >= {"founded-year", "founded-by"}
    for rule in set(found["press"]) & set(found["article"]):
        assert found["press"][rule] != found["article"][rule], rule
        for genre in ("press", "article"):
            assert found[genre][rule] == confidence_module.confidence(
                rule, found[genre][rule].via_reference, genre=genre)

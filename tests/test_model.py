"""The trained extractor (the default): shipped weights, facts, committed scores on the
gold files, robustness to invented names and paraphrase, training and cross-validation.

Gold files are read from ``<repo>/../shared/eval``; the tests that need them skip with a
reason when that folder is absent.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from gold_corpus import check_scores
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kg.cli import app
from kg.evaluate import REDOCRED_RELATIONS, evaluate, read_gold
from kg.extract import DEFAULT_EXTRACTOR, extract_facts
from kg.extract.classifier import RELATION_MODEL, RelationClassifier
from kg.extract.entities import ENTITY_MODEL, LEXICON, EntityTagger
from kg.model import Release

REPO = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO.parent / "shared" / "eval"
DATA = Path(__file__).parent / "data"
MODEL_SCORES = DATA / "extract" / "model_scores.json"
FIXTURES = DATA / "extract"
needs_gold = pytest.mark.skipif(not (SHARED_EVAL / "press-dev.jsonl").exists(),
                                reason="shared/eval gold files are not beside the repository")


def release(text: str, rid: str = "t", when: date | None = date(2024, 5, 15)) -> Release:
    return Release(id=rid, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
                   source="test", format="txt", date=when)


def test_the_model_is_the_default_and_ships_with_the_package():
    assert DEFAULT_EXTRACTOR == "model"
    for path in (ENTITY_MODEL, LEXICON, RELATION_MODEL):
        assert path.is_file(), path
        assert path.stat().st_size < 50 * 2**20, path
    clf = RelationClassifier.load()
    assert {"P749", "P127", "X-jv", "X-operates", "P1056", "P276"} <= set(clf.relations)
    assert clf.coef.shape == (len(clf.vocab), len(clf.relations))
    assert set(clf.policy) >= set(clf.relations)


def test_tagger_finds_typed_entities_in_a_release():
    from kg.extract.analysis import analyse
    from kg.extract.pipeline import load_pipeline

    text = (FIXTURES / "release.txt").read_text(encoding="utf-8")
    spans = EntityTagger().spans(analyse(release(text), load_pipeline(None)))
    assert {s.type for s in spans} >= {"ORG", "LOC"}
    for s in spans:
        assert text[s.start:s.end] == s.text


def test_model_facts_carry_evidence_confidence_and_the_extractor():
    text = (FIXTURES / "release.txt").read_text(encoding="utf-8")
    facts = extract_facts(release(text))
    assert facts
    assert any(f.extractor.startswith("model") for f in facts)
    for f in facts:
        assert text[f.start:f.end] == f.evidence
        assert 0.0 <= f.confidence <= 1.0
        assert (f.object is None) != (f.value is None)


def test_rules_stay_selectable():
    text = (FIXTURES / "release.txt").read_text(encoding="utf-8")
    rules = extract_facts(release(text), extractor="rules")
    assert rules and not any(f.extractor.startswith("model") for f in rules)
    with pytest.raises(ValueError, match="unknown extractor"):
        extract_facts(release(text), extractor="regex")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([
    "Acme Holdings", "Beta Motors Co.", "plans to acquire", "a 30% stake in", "Qingdao",
    "Shandong Province", ",", ".", "\n\n", "CEO", "John Carter", "will build a new plant in",
    "About Acme Holdings:", "joint venture", "it", "the plant", "EUR 2 billion", "1999",
    "produces", "lithium-ion batteries", "and", "with a capacity of 20 GWh",
]), max_size=40))
def test_any_text_extracts_with_the_model_and_offsets_hold(parts):
    text = " ".join(parts)
    for f in extract_facts(release(text)):
        assert text[f.start:f.end] == f.evidence
        assert 0.0 <= f.confidence <= 1.0


# --- committed scores, both paths ----------------------------------------------------------

GOLD_SETS = {
    "seed-gold": SHARED_EVAL / "seed-gold.jsonl",
    "press-dev": SHARED_EVAL / "press-dev.jsonl",
    "redocred-dev": SHARED_EVAL / "redocred-dev.jsonl",
    "press-own": DATA / "press-own.jsonl",
    "press-holdout": DATA / "press-holdout.jsonl",
}


@needs_gold
@pytest.mark.parametrize("name", sorted(GOLD_SETS))
def test_model_scores_do_not_regress(name, record_gold_score):
    rels = REDOCRED_RELATIONS if name == "redocred-dev" else None
    check_scores(name, GOLD_SETS[name], MODEL_SCORES, record_gold_score, extractor="model",
                 relations=rels)


@needs_gold
def test_seed_release_recall_is_one_with_the_model():
    res = evaluate(SHARED_EVAL / "seed-gold.jsonl", extractor="model")
    assert res["micro"]["recall"] == 1.0, res["micro"]
    assert res["micro"]["precision"] >= 0.95, res["micro"]


# --- robustness: invented names and common paraphrases (shared/eval/perturb.py) ----------

@needs_gold
@pytest.mark.parametrize("mode", ["rename", "paraphrase", "both"])
def test_perturbed_press_dev_the_model_holds_up_as_well_as_the_rules(tmp_path, mode):
    """Invented names and paraphrases cost the model no more than they cost the rules
    (within 0.02 F1), and the model still scores above the rules on the varied text.

    The issue's target, a loss of at most 0.03 F1, holds for paraphrases; invented names
    still cost more (see the README's Robustness line)."""
    out = tmp_path / f"press-dev-{mode}.jsonl"
    subprocess.run([sys.executable, str(SHARED_EVAL / "perturb.py"),
                    str(SHARED_EVAL / "press-dev.jsonl"), str(out), "--mode", mode],
                   check=True, capture_output=True)
    f1 = {(path, name): evaluate(gold, extractor=path)["micro"]["f1"]
          for path in ("model", "rules")
          for name, gold in (("base", SHARED_EVAL / "press-dev.jsonl"), ("varied", out))}
    loss = {path: f1[path, "base"] - f1[path, "varied"] for path in ("model", "rules")}
    assert loss["model"] <= loss["rules"] + 0.02, (mode, f1)
    if mode == "paraphrase":
        assert loss["model"] <= 0.03, (mode, f1)
    assert f1["model", "varied"] > f1["rules", "varied"], (mode, f1)


# --- training and cross-validation ----------------------------------------------------------

def test_training_is_deterministic_and_learns(tmp_path):
    from kg.training.corpus import load_examples
    from kg.training.train import score_facts, train

    examples = load_examples([DATA / "press-own.jsonl"])[:8]
    first = train(examples, tmp_path / "a", log=lambda _m: None)
    second = train(examples, tmp_path / "b", log=lambda _m: None)
    for name in ("entities.crfsuite", "lexicon.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    a, b = (RelationClassifier.load(tmp_path / d / "relations.npz") for d in "ab")
    assert a.vocab == b.vocab and (a.coef == b.coef).all() and (a.intercept == b.intercept).all()
    from kg.extract import model_facts, rule_facts

    facts = [f for ex in examples
             for f in model_facts(ex.analysis, rule_facts(ex.analysis), *first)]
    # on the releases it learned from, the model finds most of what they state
    assert score_facts(examples, facts)["micro"]["recall"] > 0.5
    assert second[1].relations == first[1].relations


def test_eval_cv_scores_folds_the_model_never_saw():
    result = CliRunner().invoke(app, ["eval", str(DATA / "press-own.jsonl"), "--cv", "2",
                                      "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"model", "rules"}
    gold = sum(len(r["facts"]) for r in read_gold(DATA / "press-own.jsonl"))
    for table in out.values():
        assert 0 < table["micro"]["gold"] <= gold
        assert 0.0 <= table["micro"]["f1"] <= 1.0


def test_eval_cv_rejects_one_fold():
    result = CliRunner().invoke(app, ["eval", str(DATA / "press-own.jsonl"), "--cv", "1"])
    assert result.exit_code == 2
    assert "at least 2 folds" in result.output


def test_the_sample_releases_build_with_the_model_into_a_valid_graph():
    """``make demo`` builds data/releases with the default extractor: every release is
    stored and the graph satisfies the SHACL shapes."""
    from kg.build import build
    from kg.store import open_store
    from kg.validate import validate_store

    releases = REPO / "data" / "releases"
    with open_store("memory:") as store:
        report = build([releases], store, registry_path=REPO / "data" / "entities.yaml")
        assert not report.errors
        assert len(report.loaded) == len([p for p in releases.iterdir()
                                          if not p.name.startswith(".")])
        assert sum(report.facts_by_relation.values()) > 50
        conforms, text = validate_store(store)
    assert conforms, text[:2000]


# --- an operating point: --min-confidence ---------------------------------------------------

def test_min_confidence_keeps_the_more_confident_facts_and_buys_precision():
    """A threshold on the calibrated confidence leaves out exactly the facts below it, and
    on press-dev the facts it keeps are at least as precise as all of them."""
    releases = str(REPO / "data" / "releases")
    runner = CliRunner()
    every = runner.invoke(app, ["extract", releases])
    some = runner.invoke(app, ["extract", releases, "--min-confidence", "0.7"])
    assert every.exit_code == 0 and some.exit_code == 0, (every.output, some.output)
    assert "left out" not in every.stderr
    assert "of confidence below 0.7" in some.stderr
    every = [json.loads(line) for line in every.stdout.splitlines()]
    some = [json.loads(line) for line in some.stdout.splitlines()]
    assert some == [r for r in every if r["confidence"] >= 0.7]
    assert 0 < len(some) < len(every)

    dev = SHARED_EVAL / "press-dev.jsonl"
    if not dev.is_file():
        pytest.skip("needs ../shared/eval/press-dev.jsonl")
    base = evaluate(dev)["micro"]
    high = json.loads(runner.invoke(app, ["eval", str(dev), "--json", "--min-confidence",
                                          "0.7"]).stdout)
    assert high["min_confidence"] == 0.7
    high = high["micro"]
    assert high["pred"] < base["pred"] and high["precision"] >= base["precision"]
    assert high["recall"] < base["recall"]


def test_min_confidence_from_the_environment_is_applied_and_said(monkeypatch):
    releases = str(REPO / "data" / "releases")
    runner = CliRunner()
    every = runner.invoke(app, ["extract", releases]).stdout.splitlines()
    monkeypatch.setenv("KG_MIN_CONFIDENCE", "0.8")
    some = runner.invoke(app, ["extract", releases])
    kept = [json.loads(line) for line in some.stdout.splitlines()]
    assert kept and len(kept) < len(every) and all(r["confidence"] >= 0.8 for r in kept)
    assert f"left out {len(every) - len(kept):,} facts of confidence below 0.8" in some.stderr


def test_combine_calibrates_copies_and_leaves_the_callers_facts_alone():
    """Scoring the same cross-validated facts twice (kg eval --cv with two thresholds)
    must not calibrate them twice."""
    from dataclasses import replace

    from kg.extract.decoding import combine
    from kg.model import Fact

    fact = Fact(doc="d", subject="Acme", relation="P127", object="Birch", confidence=0.8,
                extractor="model")
    rule = replace(fact, relation="P159", object="Oslo", extractor="hq-in")
    calibration = {"model": {"x": [0.0, 1.0], "y": [0.1, 0.5]}, "rules": {"P159": 0.3}}
    policy = {"P127": {"use": "model", "threshold": 0.5}, "P159": {"use": "rules"}}
    once = combine([fact], [rule], policy, calibration)
    twice = combine([fact], [rule], policy, calibration)
    assert sorted(f.confidence for f in once) == sorted(f.confidence for f in twice) == [0.3, 0.42]
    assert (fact.confidence, rule.confidence) == (0.8, 0.8)


def test_min_confidence_out_of_range_is_a_one_line_error(monkeypatch):
    monkeypatch.delenv("KG_MIN_CONFIDENCE", raising=False)
    runner = CliRunner()
    bad = runner.invoke(app, ["extract", str(REPO / "data" / "releases"), "--min-confidence", "1.5"])
    assert bad.exit_code == 1
    assert "min_confidence must be a number from 0 to 1, not 1.5 (flag)" in bad.output
    monkeypatch.setenv("KG_MIN_CONFIDENCE", "high")
    env = runner.invoke(app, ["config"])
    assert env.exit_code == 1 and "not 'high' (env KG_MIN_CONFIDENCE)" in env.output
    assert "Traceback" not in bad.output + env.output


def test_eval_cv_scores_both_paths_so_it_takes_no_extractor():
    result = CliRunner().invoke(app, ["eval", str(DATA / "press-own.jsonl"), "--cv", "2",
                                      "--extractor", "rules"])
    assert result.exit_code == 2
    assert "--cv scores both paths" in result.output


def test_model_scores_are_the_same_whatever_the_hash_seed(tmp_path):
    """Workers and Dask processes have their own hash seeds: the facts must not move."""
    text = (FIXTURES / "release.txt").read_text(encoding="utf-8")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    outputs = set()
    for seed in ("1", "2"):
        run = subprocess.run([sys.executable, "-m", "kg", "extract", str(path)],
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.add(run.stdout)
    assert len(outputs) == 1 and next(iter(outputs)).strip()


def _pair_features(text: str, subj: str, obj: str) -> list[str]:
    from kg.extract.analysis import analyse
    from kg.extract.candidates import Argument, Pair
    from kg.extract.features import pair_features
    from kg.extract.pipeline import load_pipeline

    analysis = analyse(release(text), load_pipeline(None))
    named: dict = {}
    for m in analysis.mentions:
        if m.kind in ("name", "alias"):
            named.setdefault(m.text, m)  # the first mention of each name

    def arg(name: str) -> Argument:
        m = named[name]
        return Argument(m.start, m.end, m.text, "ORG", m.sent, "rules", m.text, m.cluster)

    a, b = arg(subj), arg(obj)
    return pair_features(analysis, Pair(a, b, a.sent), [a, b], frozenset())


def test_a_paraphrase_keeps_the_cue_family_of_the_words_between():
    said = "Northwind Holdings {} Calder Systems for an undisclosed sum, Northwind Holdings said."
    feats = {verb: set(_pair_features(said.format(verb), "Northwind Holdings", "Calder Systems"))
             for verb in ("acquired", "bought", "purchased")}
    for verb, f in feats.items():
        assert "bfam=ab|acquire" in f, verb
        assert f"bw={verb}" in f
    assert "bst=ab|acqui" in feats["acquired"] and "bst=ab|purch" in feats["purchased"]
    assert "bfam=ab|stake" not in feats["bought"]


def test_the_company_the_release_is_about_is_a_feature():
    text = ("Northwind Holdings opened a plant. Northwind Holdings said Calder Systems will "
            "supply it. Northwind Holdings employs 900 people.")
    f = _pair_features(text, "Northwind Holdings", "Calder Systems")
    assert "focus_a" in f and "focus_b" not in f


def _analysis(text: str):
    from kg.extract.analysis import analyse
    from kg.extract.pipeline import load_pipeline

    return analyse(release(text), load_pipeline(None))


def test_a_name_tagged_once_is_found_wherever_the_release_repeats_it():
    from kg.extract.entities import Span, propagated

    text = ("Calder Systems makes heat pumps in Tarnow. The heat pumps go to Norway. "
            "Demand for heat pumpsets grew. Calder said the heat pumps sell well.")
    analysis = _analysis(text)
    first = text.index("heat pumps")
    tagged = [Span(first, first + 10, "PRODUCT", "heat pumps", 0)]
    spans = propagated(analysis, tagged)
    found = [(s.start, s.type, s.sent) for s in spans if s.text == "heat pumps"]
    starts = [i for i in range(len(text)) if text.startswith("heat pumps", i)
              and not text.startswith("heat pumpsets", i)]
    assert [f[0] for f in found] == starts  # not inside "pumpsets"
    assert {f[1] for f in found} == {"PRODUCT"}
    assert [f[2] for f in found] == [analysis.sentence_at(i) for i in starts]
    for s in spans:
        assert text[s.start:s.end] == s.text


def test_propagation_leaves_tagged_text_alone_and_keeps_the_first_type():
    from kg.extract.entities import Span, propagated

    text = "Orin Motors builds vans. Orin Motors Group owns Orin Motors. Orin Motors grew."
    analysis = _analysis(text)
    group = text.index("Orin Motors Group")
    tagged = [Span(0, 11, "ORG", "Orin Motors", 0),
              Span(group, group + 17, "ORG", "Orin Motors Group", 1),
              Span(text.rindex("Orin Motors"), text.rindex("Orin Motors") + 11, "LOC",
                   "Orin Motors", 2)]
    spans = propagated(analysis, tagged)
    assert len(spans) == 4  # the one occurrence left, not the one inside the group's name
    new = [s for s in spans if s not in tagged]
    assert [(s.text, s.type) for s in new] == [("Orin Motors", "ORG")]
    assert propagated(analysis, []) == []


def _token_features_of(text: str, word: str) -> set[str]:
    from kg.extract.entities import token_features

    analysis = _analysis(text)
    toks = analysis.tokens
    k = toks.text.index(word)
    flat = [f for sent in token_features(analysis) for f in sent]
    return set(flat[k])


def test_the_tagger_reads_the_cue_family_of_the_words_around_a_token():
    # the same unseen product after three ways of saying "makes"
    for said in ("Calder Systems makes quernstones in Tarnow.",
                 "Calder Systems produces quernstones in Tarnow.",
                 "Calder Systems, a maker of quernstones, grew."):
        f = _token_features_of(said, "quernstones")
        assert "pfam=produce" in f and "sfam=produce" in f, said
    near = _token_features_of("Calder Systems makes quernstones.", "quernstones")
    assert "fam[-1]=produce" in near
    far = _token_features_of("Calder Systems makes one two three four five six seven "
                             "quernstones.", "quernstones")
    assert "pfam=produce" not in far and "sfam=produce" in far  # beyond the reach
    plain = _token_features_of("Calder Systems sells quernstones.", "quernstones")
    assert not any(x.startswith(("pfam=produce", "sfam=produce")) for x in plain)

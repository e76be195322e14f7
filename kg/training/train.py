"""Fit the entity and relation layers, and cross-validate them by document.

    python -m kg.training train   # writes kg/extract/resources/model/ (make train)
    python -m kg.training cv -k 5 # K-fold cross-validation over the training files
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from pathlib import Path

from kg.evaluate import fold_of, gold_facts, pred_facts, score
from kg.extract import model_facts, rule_facts
from kg.extract.classifier import RELATION_MODEL, RelationClassifier
from kg.extract.entities import (
    ENTITY_MODEL,
    LEXICON,
    MAX_ENTRY,
    EntityTagger,
    Lexicon,
    token_features,
    write_lexicon,
)
from kg.training.corpus import Example, bio_tags
from kg.training.relations import fit, labelled_pairs, training_arguments

SEED = 0
CRF_PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 150,
              "feature.possible_transitions": True}


LEXICON_TYPES = ("PRODUCT", "MISC", "EXCHANGE")
RENAME_SHARE = 0.5  # of the distinctive words of company and person names, per release
_SYLLABLES = ("var", "tes", "mor", "kal", "dre", "sol", "bri", "fen", "lux", "zen", "tor",
              "pel", "nau", "ros", "vid", "hal", "cor", "mir", "ost", "bel", "dan", "gri",
              "nok", "ran", "del", "mo", "rix", "lon", "tis", "ber", "dor", "lia", "sor", "ket")


def invented_word(word: str, rng: random.Random) -> str:
    """A made-up word cased like ``word`` ("Stellantis" -> "Morketdan")."""
    new = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3))))
    if word.isupper():
        return new.upper()
    return new.capitalize() if word[:1].isupper() else new


def rename_map(example: Example) -> dict[str, str]:
    """Half the distinctive words of the release's company and person names, each swapped
    for an invented word (seeded by the release id, so training is repeatable)."""
    from kg.extract import gazetteers as gz

    rng = random.Random(f"{SEED}/{example.id}")
    text = example.analysis.release.text
    words = set()
    for s in example.spans:
        if s.type not in ("ORG", "PER"):
            continue
        for w in text[s.start:s.end].split():
            w = w.strip(",.()\"“”'’")
            low = w.lower()
            if w[:1].isupper() and len(w) > 2 and low not in gz.org_words() \
                    and low not in gz.places() and w.isalpha():
                words.add(w)
    return {w: invented_word(w, rng) for w in sorted(words) if rng.random() < RENAME_SHARE}
LEXICON_FOLDS = 5


def build_lexicon(examples: list[Example]) -> Lexicon:
    """Lower-cased token sequences of the product, industry (MISC) and exchange names."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from kg.extract.pipeline import load_pipeline

    tokenizer = load_pipeline(None).tokenizer
    votes: dict[tuple[str, ...], Counter] = {}
    for ex in examples:
        for ent in ex.record.get("entities", []):
            if ent["type"] not in LEXICON_TYPES:
                continue
            for name in ent.get("names", []):
                words = [t.text.lower() for t in tokenizer(name.strip())]
                while words and words[0] in ("the", "a", "an", "its", "their"):
                    words = words[1:]
                if not words or len(words) > MAX_ENTRY:
                    continue
                if len(words) == 1 and (len(words[0]) < 3 or words[0] in STOP_WORDS):
                    continue
                votes.setdefault(tuple(words), Counter())[ent["type"]] += 1
    return {k: c.most_common(1)[0][0] for k, c in votes.items()}


def train_entities(examples: list[Example], path: Path) -> EntityTagger:
    """The CRF over the examples' sentences, written to ``path`` with its lexicon.

    Sentences where the annotators marked no entity are left out: the gold files list
    the entities that facts name, so the names of such a sentence are unlabelled, not
    known to be outside every entity (on press-train folds leaving them out raised the
    tagger's recall of every type by 2-5 points at about the same precision).

    Each example's lexicon features come from a lexicon of the *other* examples (five
    groups), so that the CRF learns how far a lexicon hit can be trusted on unseen text.
    """
    import pycrfsuite

    groups = [[ex for ex in examples if fold_of(ex.id + "/lexicon", LEXICON_FOLDS) == g]
              for g in range(LEXICON_FOLDS)]
    trainer = pycrfsuite.Trainer(verbose=False)
    for g, group in enumerate(groups):
        lexicon = build_lexicon([ex for h, other in enumerate(groups) if h != g
                                 for ex in other])
        for ex in group:
            feats = token_features(ex.analysis, lexicon, rename_map(ex))
            for x, y in zip(feats, bio_tags(ex), strict=True):
                if x and any(tag != "O" for tag in y):
                    trainer.append(x, y)
    trainer.set_params(CRF_PARAMS)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))
    lexicon = build_lexicon(examples)
    write_lexicon(lexicon, path.with_name(LEXICON.name))
    return EntityTagger(path, lexicon)


def relations_of(examples: list[Example]) -> list[str]:
    """The relations the examples state, canonical direction, sorted."""
    from kg.training.relations import FLIP

    return sorted({FLIP.get(f["relation"], f["relation"]) for ex in examples
                   for f in ex.record.get("facts", [])})


ARGUMENT_FOLDS = 3


def predicted_arguments(examples: list[Example], rules_by_doc: dict, log=None
                        ) -> dict[str, list]:
    """Each example's arguments as the extractor would find them on unseen text: tagged by
    a CRF trained on the other ``ARGUMENT_FOLDS - 1`` groups, labelled with gold entities."""
    from kg.extract.candidates import entity_arguments
    from kg.training.relations import label_arguments

    out = {}
    for g in range(ARGUMENT_FOLDS):
        group = [ex for ex in examples if fold_of(ex.id + "/arguments", ARGUMENT_FOLDS) == g]
        others = [ex for ex in examples if fold_of(ex.id + "/arguments", ARGUMENT_FOLDS) != g]
        if not group or not others:
            continue
        if log:
            log(f"  arguments of {len(group)} releases from a tagger that never saw them")
        with tempfile.TemporaryDirectory(prefix="kg-args-") as tmp:
            tagger = train_entities(others, Path(tmp) / ENTITY_MODEL.name)
            for ex in group:
                args = entity_arguments(ex.analysis, tagger.spans(ex.analysis),
                                        rules_by_doc[ex.id])
                out[ex.id] = label_arguments(ex, args)
    return out


def train_relations(examples: list[Example], rules_by_doc: dict, progress=None, log=None
                    ) -> RelationClassifier:
    """The pair classifier, from pairs of gold mentions and of the mentions a tagger that
    never saw the release finds there (what it will meet on unseen text)."""
    samples = []
    predicted = predicted_arguments(examples, rules_by_doc, log)
    for ex in examples:
        samples += labelled_pairs(ex, training_arguments(ex, rules_by_doc[ex.id]),
                                  rules_by_doc[ex.id])
        if ex.id in predicted:
            samples += labelled_pairs(ex, predicted[ex.id], rules_by_doc[ex.id])
    return fit(samples, relations_of(examples), progress=progress)


def train(examples: list[Example], out_dir: Path, log=print
          ) -> tuple[EntityTagger, RelationClassifier]:
    """Both layers from ``examples``, written into ``out_dir``."""
    random.seed(SEED)
    rules = {ex.id: rule_facts(ex.analysis) for ex in examples}
    log(f"entity layer: CRF over {len(examples)} releases")
    tagger = train_entities(examples, out_dir / ENTITY_MODEL.name)
    log("relation layer: one logistic regression per relation")
    classifier = train_relations(examples, rules, log=log)
    classifier.save(out_dir / RELATION_MODEL.name)
    return tagger, classifier


def cross_validate(examples: list[Example], k: int = 5, log=print,
                   scored: set[str] | None = None, floor: float | None = None) -> dict:
    """Facts for every scored example from a model trained without its fold.

    Returns ``{"model": facts, "rules": facts}`` lists of :class:`kg.model.Fact`.
    """
    rules = {ex.id: rule_facts(ex.analysis) for ex in examples}
    model_out, rules_out = [], []
    for fold in range(k):
        train_set = [ex for ex in examples if fold_of(ex.id, k) != fold]
        test_set = [ex for ex in examples if fold_of(ex.id, k) == fold
                    and (scored is None or ex.source in scored)]
        log(f"fold {fold + 1}/{k}: training on {len(train_set)} releases, "
            f"scoring {len(test_set)}")
        with tempfile.TemporaryDirectory(prefix="kg-cv-") as tmp:
            tagger = train_entities(train_set, Path(tmp) / ENTITY_MODEL.name)
            classifier = train_relations(train_set, rules)
            if floor is not None:  # keep everything above it, to sweep thresholds after
                classifier.thresholds = dict.fromkeys(classifier.relations, floor)
            for ex in test_set:
                model_out += model_facts(ex.analysis, rules[ex.id], tagger, classifier)
                rules_out += rules[ex.id]
    return {"model": model_out, "rules": rules_out}


def score_facts(examples: list[Example], facts, relations=None) -> dict:
    from kg.evaluate import facts_to_jsonl_records

    return score(gold_facts([ex.record for ex in examples]),
                 pred_facts(facts_to_jsonl_records(facts)), relations)


def cross_validated_scores(examples: list[Example], k: int, classifier: RelationClassifier,
                           relations=None, log=print, sources: set[str] | None = None,
                           min_confidence: float = 0.0) -> dict:
    """``kg eval --cv``: each fold scored by layers trained without it, the model's facts
    taken with ``classifier``'s per-relation policy and calibration (the shipped ones),
    the rules' beside them; only the examples of ``sources`` are scored (all by default),
    all of the other folds' are trained on, and only facts of at least ``min_confidence``
    count. Returns ``{"model": score, "rules": score}``."""
    res = cross_validate(examples, k, log=log, scored=sources,
                         floor=min(classifier.thresholds.values(), default=0.5))
    return policy_scores(examples, res, classifier.policy, classifier.calibration,
                         relations, sources, min_confidence)


def policy_scores(examples: list[Example], cv: dict, policy: dict[str, dict],
                  calibration: dict | None = None, relations=None,
                  sources: set[str] | None = None, min_confidence: float = 0.0) -> dict:
    """:func:`cross_validate`'s facts scored on the examples of ``sources``: the model's
    taken with ``policy`` and ``calibration``, the rules' as they are; of either, the
    facts of at least ``min_confidence`` (:func:`kg.extract.decoding.confident`).
    Returns ``{"model": score, "rules": score}``."""
    from kg.extract.decoding import combine, confident

    scored = [ex for ex in examples if sources is None or ex.source in sources]
    ids = {ex.id for ex in scored}
    rules = [f for f in cv["rules"] if f.doc in ids]
    model = combine([f for f in cv["model"] if f.doc in ids], rules, policy, calibration)
    return {"model": score_facts(scored, confident(model, min_confidence), relations),
            "rules": score_facts(scored, confident(rules, min_confidence), relations)}


THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
# precision counts twice as much as recall when a relation's source and threshold are
# chosen: on press-train folds, F1 0.325 at precision 0.53 (the rules' 0.55) instead of
# F1 0.346 at precision 0.37 with plain F1
POLICY_BETA = 0.5


def f_beta(precision: float, recall: float, beta: float = POLICY_BETA) -> float:
    if precision + recall == 0:
        return 0.0
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall)


def choose_policy(examples: list[Example], cv: dict, log=print,
                  sources: tuple[str, ...] | None = ("press-train.jsonl",),
                  beta: float = POLICY_BETA) -> dict[str, dict]:
    """Per relation, the source and threshold with the best cross-validated F-beta.

    ``cv`` is :func:`cross_validate`'s result with a low ``floor``. A source is the
    model's facts at a threshold, the rules' facts, or both. Only the releases of
    ``sources`` are scored: the rules were written against the other files, so their
    figures there say nothing of unseen text.
    """
    from kg.extract.decoding import combine

    scored = [ex for ex in examples if sources is None or ex.source in sources] or examples
    ids = {ex.id for ex in scored}
    cv = {name: [f for f in facts if f.doc in ids] for name, facts in cv.items()}
    gold = gold_facts([ex.record for ex in scored])
    relations = sorted({f.relation for f in cv["model"]} | {f.relation for f in cv["rules"]})
    policy: dict[str, dict] = {}
    for rel in relations:
        model = [f for f in cv["model"] if f.relation == rel]
        rules = [f for f in cv["rules"] if f.relation == rel]
        options = [{"use": "rules", "threshold": 1.0}] + [
            {"use": use, "threshold": t} for use in ("model", "both") for t in THRESHOLDS]
        best, best_value, best_micro = options[0], -1.0, None
        for opt in options:
            facts = combine(model, rules, {rel: opt})
            if not facts:
                value, micro = 0.0, None
            else:
                from kg.evaluate import facts_to_jsonl_records

                micro = score(gold, pred_facts(facts_to_jsonl_records(facts)), {rel})["micro"]
                value = f_beta(micro["precision"], micro["recall"], beta)
            if value > best_value + 1e-9:
                best, best_value, best_micro = opt, value, micro
        policy[rel] = best
        if best_micro:
            log(f"  {rel:<22} {best['use']:<6} {best['threshold']:.2f}  "
                f"P {best_micro['precision']:.3f} R {best_micro['recall']:.3f} "
                f"F1 {best_micro['f1']:.3f}")
    return policy


def fit_calibration(examples: list[Example], cv: dict, policy: dict[str, dict],
                    sources: tuple[str, ...] | None = ("press-train.jsonl",)) -> dict:
    """Confidence as the probability that a fact is right on unseen text.

    From the cross-validated facts the policy keeps: an isotonic map from the model's
    score to the observed precision, and for facts only the rules found, their
    relation's observed precision (Laplace-smoothed). Scored on ``sources`` only.
    """
    from sklearn.isotonic import IsotonicRegression

    from kg.evaluate import facts_to_jsonl_records
    from kg.extract.decoding import combine

    scored = [ex for ex in examples if sources is None or ex.source in sources] or examples
    ids = {ex.id for ex in scored}
    facts = combine([f for f in cv["model"] if f.doc in ids],
                    [f for f in cv["rules"] if f.doc in ids], policy)
    res = score(gold_facts([ex.record for ex in scored]),
                pred_facts(facts_to_jsonl_records(facts)), None)
    model_pairs, rule_counts = [], {}
    for pred, outcome in res["_outcome"]:
        if outcome == "dup":
            continue
        rec = pred.record
        if str(rec.get("extractor", "")).startswith("model"):
            model_pairs.append((float(rec["confidence"]), outcome == "tp"))
        else:
            tp, n = rule_counts.get(pred.rel, (0, 0))
            rule_counts[pred.rel] = (tp + (outcome == "tp"), n + 1)
    out: dict = {"rules": {rel: round((tp + 1) / (n + 2), 4)
                           for rel, (tp, n) in sorted(rule_counts.items())}}
    if model_pairs:
        iso = IsotonicRegression(y_min=0.01, y_max=0.99, out_of_bounds="clip")
        xs = [x for x, _ in model_pairs]
        iso.fit(xs, [float(y) for _, y in model_pairs])
        grid = [round(i / 50, 2) for i in range(51)]
        out["model"] = {"x": grid, "y": [round(float(v), 4) for v in iso.predict(grid)]}
    return out

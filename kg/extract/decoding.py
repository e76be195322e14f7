"""From scored pairs to facts: the trained extractor's last step.

Every pair whose probability for a relation passes that relation's threshold becomes a
fact; facts that say the same thing (same relation, same names after normalisation)
are kept once, with the highest probability. Qualifiers come from the rules' fact when
the rules found the same one, else from the sentence (status, percent, unit, bound).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import numpy as np

from kg.evaluate import norm
from kg.extract import qualifiers as q
from kg.extract.candidates import VALUE_RELATIONS, Argument, Pair
from kg.extract.mentions import BOUND_WORDS, PERCENT_RE, normal_bound
from kg.model import Fact

SYMMETRIC = {"X-cooperates"}
STATUS_RELATIONS = {"X-acquires", "X-cooperates", "X-operates", "X-supplies"}
PERCENT_RELATIONS = {"P127", "X-acquires", "X-jv"}
# the bound words the rules read before a number, right before this one
_BOUND = re.compile(rf"\b({BOUND_WORDS})\s+$", re.I)
_UNIT = re.compile(r"\s*([A-Za-z][\w\-]*(?:\s+(?:of|per|a)\s+[\w\-]+){0,3})")


@lru_cache(maxsize=1 << 16)
def cached_norm(name: str) -> str:
    return norm(name)


def argument_names(arg: Argument, analysis) -> set[str]:
    names = {cached_norm(arg.name)}
    if arg.cluster >= 0:
        names |= {cached_norm(n) for n in analysis.clusters[arg.cluster].names}
    return names


def rule_index(analysis, rule_facts: list[Fact]) -> dict[tuple[int, str, str], list[Fact]]:
    """(sentence, subject name, object name or value) -> the rules' facts there."""
    out: dict[tuple[int, str, str], list[Fact]] = {}
    for f in rule_facts:
        s = analysis.sentence_at(f.start)
        subjects = {norm(f.subject)} | {norm(a) for a in f.subject_aliases}
        objects = ({norm(f.object)} | {norm(a) for a in f.object_aliases}) \
            if f.object is not None else {norm(f.value or "")}
        for a in subjects:
            for b in objects:
                out.setdefault((s, a, b), []).append(f)
    return out


def rules_for(pair: Pair, analysis, index) -> list[Fact]:
    found = []
    for a in argument_names(pair.subj, analysis):
        for b in argument_names(pair.obj, analysis):
            found += index.get((pair.sent, a, b), [])
            found += [f for f in index.get((pair.sent, b, a), []) if f.relation in SYMMETRIC]
    return found


def _qualifiers(relation: str, pair: Pair, analysis, rule_fact: Fact | None) -> dict[str, str]:
    if rule_fact is not None:
        return dict(rule_fact.qualifiers)
    sent = analysis.sentences[pair.sent]
    text = analysis.release.text
    out: dict[str, str] = {}
    if relation in STATUS_RELATIONS:
        st = q.status(sent.text)
        if st:
            out["status"] = st
    if relation in PERCENT_RELATIONS:
        # a share stated between the two ("X holds 34% of Y", "Y is 50% owned by X");
        # one elsewhere in the sentence may be another deal's
        lo = min(pair.subj.end, pair.obj.end)
        hi = max(pair.subj.start, pair.obj.start)
        inside = [m.group("num") for m in PERCENT_RE.finditer(sent.text)
                  if lo <= sent.start + m.start("num") < hi]
        if len(inside) == 1:
            out["percent"] = inside[0]
    if relation in VALUE_RELATIONS:
        arg = pair.obj
        if arg.unit:
            from kg.extract import gazetteers as gz

            code = gz.currency(arg.unit.rstrip(".").lower()) or gz.currency(arg.unit.lower())
            if code:
                out["unit"] = code
        elif relation in ("X-capacity", "X-production-value", "X-revenue"):
            um = _UNIT.match(text, arg.end, min(len(text), arg.end + 60))
            if um:
                out["unit"] = um.group(1)
        bm = _BOUND.search(text, max(0, arg.start - 20), arg.start)
        if bm:
            out["bound"] = normal_bound(bm.group(1))
    return out


def decode(analysis, pairs: list[Pair], probabilities, classifier, rule_facts: list[Fact],
           index=None) -> list[Fact]:
    """Facts from the pairs whose probability passes each relation's threshold."""
    from kg.extract import trimmed

    index = index if index is not None else rule_index(analysis, rule_facts)
    text = analysis.release.text
    best: dict[tuple, Fact] = {}
    relations = classifier.relations
    scores = np.asarray(probabilities, dtype=np.float64).reshape(len(pairs), len(relations))
    floor = np.array([classifier.threshold(r) for r in relations], dtype=np.float64)
    for k, r in zip(*np.nonzero(scores >= floor), strict=True):  # by pair, then relation
        pair, relation, p = pairs[k], relations[r], float(scores[k, r])
        is_value = pair.obj.source == "number"
        if (relation in VALUE_RELATIONS) != is_value:
            continue
        if relation == "P571" and pair.obj.type != "YEAR":
            continue
        subj, obj = pair.subj, pair.obj
        key = fact_key(relation, subj.name, obj.name)
        old = best.get(key)
        if old is not None and old.confidence >= p:
            continue
        same = [f for f in rules_for(pair, analysis, index) if f.relation == relation]
        sent = analysis.sentences[pair.sent]
        evidence, start, end = trimmed(text, sent.start, sent.end)
        best[key] = Fact(
            doc=analysis.release.id, subject=subj.name, relation=relation,
            object=None if is_value else obj.name, value=obj.name if is_value else None,
            subject_type=subj.type, object_type=None if is_value else obj.type,
            qualifiers=_qualifiers(relation, pair, analysis, same[0] if same else None),
            evidence=evidence, start=start, end=end, confidence=round(p, 4),
            extractor="model" + ("+rules" if same else ""),
        )
    return list(best.values())


def fact_key(relation: str, subject: str, obj: str) -> tuple:
    """What makes two facts the same: the relation and the normalised names (either
    order for a symmetric relation)."""
    key = (relation, cached_norm(subject), cached_norm(obj))
    if relation in SYMMETRIC:
        key = (relation, *sorted(key[1:]))
    return key


def _fact_key(f: Fact) -> tuple:
    return fact_key(f.relation, f.subject, f.object if f.object is not None else f.value or "")


def combine(model: list[Fact], rules: list[Fact], policy: dict[str, dict],
            calibration: dict | None = None) -> list[Fact]:
    """The facts of each relation from the source its policy names.

    ``policy[relation] = {"use": "model" | "rules" | "both", "threshold": t}``, chosen by
    cross-validation (:func:`kg.training.train.choose_policy`); a relation the model was
    not trained for keeps the rules' facts. With ``calibration``
    (:func:`kg.training.train.fit_calibration`) a kept fact's confidence becomes the
    precision such facts had in cross-validation.
    """
    out: dict[tuple, Fact] = {}
    for f in model:
        pol = policy.get(f.relation, {"use": "model", "threshold": 0.5})
        if pol["use"] in ("model", "both") and f.confidence >= pol["threshold"]:
            out.setdefault(_fact_key(f), f)
    for f in rules:
        use = policy.get(f.relation, {"use": "rules"})["use"]
        if use in ("rules", "both"):
            out.setdefault(_fact_key(f), f)
    facts = list(out.values())
    if calibration:  # new facts: the caller's keep the confidences they had
        facts = [replace(f, confidence=calibrated(f, calibration)) for f in facts]
    return facts


def confident(facts: list[Fact], min_confidence: float = 0.0) -> list[Fact]:
    """The facts whose confidence is at least ``min_confidence`` (0: all of them).

    A confidence estimates how often such facts are right: the model's and the rules'
    in :func:`combine` by their precision in cross-validation over press-train, the
    rules alone by their counts (:mod:`kg.extract.confidence`). A threshold is an
    operating point that trades recall for precision (README, "Confidence").
    """
    if not min_confidence:
        return facts
    return [f for f in facts if f.confidence >= min_confidence]


def calibrated(fact: Fact, calibration: dict) -> float:
    """The cross-validated precision of facts like ``fact`` (see :func:`combine`)."""
    if fact.extractor.startswith("model") and "model" in calibration:
        table = calibration["model"]
        return round(float(np.interp(fact.confidence, table["x"], table["y"])), 4)
    by_relation = calibration.get("rules", {})
    if fact.relation in by_relation:
        return float(by_relation[fact.relation])
    return fact.confidence

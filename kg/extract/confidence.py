"""Confidence of a fact: the probability that it is right, estimated from the gold files.

``resources/rule_precision.json`` holds what ``kg.evaluate.write_rule_precision``
counted on the development gold files: for each rule, per relation it produced,
``[true positives, scored predictions]``; and, per rule, the same counts restricted
to the facts that rest on a pronoun or descriptor ("it", "the company")::

    {"rules": {"founded-year": {"P571": [28, 34]}, ...},
     "via_reference": {"founded-year": [9, 12], ...}}

The estimate is hierarchical (empirical Bayes).  A rule's precision is shrunk
towards the pooled precision of its relation(s), and a relation's towards the
precision of all rules together, each by a prior strength (in pseudo-facts) chosen
to maximise the beta-binomial likelihood of the counts one level down.  So a rule
seen twice borrows most of its estimate from its relation, a rule seen fifty times
mostly speaks for itself, and a rule never seen gets the overall precision.  Facts
resting on a reference, and the others, then get a shift in log-odds fitted to their
observed precision (maximum likelihood).  ``kg.evaluate.calibration_report`` measures
how well this is calibrated on held-out documents (``python -m kg.evaluate calibrate``).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from kg.errors import KgError

TABLE = Path(__file__).parent / "resources" / "rule_precision.json"
STRENGTHS = tuple(2 ** (i / 2) for i in range(-2, 21))  # prior strengths tried: 0.5 .. 1024
FLOOR, CEILING = 0.05, 0.99


@lru_cache(maxsize=1)
def load_table() -> dict:
    """The counts of ``resources/rule_precision.json`` (empty when the file is missing)."""
    if not TABLE.exists():
        return {"rules": {}, "via_reference": {}}
    try:
        data = json.loads(TABLE.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise KgError(f"{TABLE}: invalid JSON ({err.msg})") from err
    if not isinstance(data, dict) or not isinstance(data.get("rules"), dict):
        raise KgError(f"{TABLE}: needs a \"rules\" object (rule -> relation -> [tp, n])")
    return data


def rule_precision() -> dict[str, tuple[int, int]]:
    """rule name -> (true positives, predictions) on the development gold files."""
    return {rule: _total(rels.values()) for rule, rels in load_table()["rules"].items()}


def _total(pairs) -> tuple[int, int]:
    tp = n = 0
    for a, b in pairs:
        tp, n = tp + int(a), n + int(b)
    return tp, n


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def prior_strength(groups: list[tuple[int, int, float]]) -> float:
    """Empirical-Bayes strength of a Beta prior: groups are (tp, n, prior mean).

    Returns the strength ``m`` (pseudo-facts) among :data:`STRENGTHS` that maximises
    the beta-binomial likelihood of the groups' counts under Beta(m p, m (1 - p));
    a large ``m`` says the groups do not differ more than chance allows.
    """
    def loglik(m: float) -> float:
        total = 0.0
        for tp, n, p in groups:
            a, b = m * p, m * (1 - p)
            total += _log_beta(tp + a, n - tp + b) - _log_beta(a, b)
        return total

    return max(STRENGTHS, key=loglik) if groups else STRENGTHS[-1]


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _shift(logits: list[float], observed: float) -> float:
    """The log-odds shift d with sum(sigmoid(l + d)) == observed (bisection, |d| <= 4)."""
    if not logits:
        return 0.0
    lo, hi = -4.0, 4.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if sum(_sigmoid(x + mid) for x in logits) < observed:
            lo = mid
        else:
            hi = mid
    return round((lo + hi) / 2, 4)


def fit(table: dict) -> dict:
    """The fitted estimator of a count table (see the module docstring).

    Returns ``{"overall", "relation", "rule", "strength": {"relation", "rule"},
    "shift": {"reference", "direct"}}``: precisions of the levels, the prior
    strengths chosen and the log-odds shifts of the two kinds of fact.
    """
    rules = {r: {rel: (int(c[0]), int(c[1])) for rel, c in rels.items()}
             for r, rels in table.get("rules", {}).items()}
    by_rel: dict[str, list[tuple[int, int]]] = {}
    for rels in rules.values():
        for rel, c in rels.items():
            by_rel.setdefault(rel, []).append(c)
    rel_counts = {rel: _total(cs) for rel, cs in by_rel.items()}
    tp_all, n_all = _total(rel_counts.values())
    overall = (tp_all + 1) / (n_all + 2)
    m_rel = prior_strength([(tp, n, overall) for tp, n in rel_counts.values()])
    relation = {rel: (tp + m_rel * overall) / (n + m_rel) for rel, (tp, n) in rel_counts.items()}

    def parent(rels: dict) -> float:
        n = sum(c[1] for c in rels.values())
        return (sum(c[1] * relation[rel] for rel, c in rels.items()) / n) if n else overall

    rule_counts = {r: (_total(rels.values()), parent(rels)) for r, rels in rules.items()}
    m_rule = prior_strength([(tp, n, p) for (tp, n), p in rule_counts.values()])
    rule = {r: (tp + m_rule * p) / (n + m_rule) for r, ((tp, n), p) in rule_counts.items()}
    via = {r: (int(c[0]), int(c[1])) for r, c in table.get("via_reference", {}).items()}
    ref_logits, direct_logits = [], []
    ref_tp = direct_tp = 0
    for r, ((tp, n), _p) in rule_counts.items():
        vtp, vn = via.get(r, (0, 0))
        ref_logits += [_logit(rule[r])] * vn
        direct_logits += [_logit(rule[r])] * (n - vn)
        ref_tp, direct_tp = ref_tp + vtp, direct_tp + tp - vtp
    return {"overall": overall, "relation": relation, "rule": rule,
            "strength": {"relation": m_rel, "rule": m_rule},
            "shift": {"reference": _shift(ref_logits, ref_tp),
                      "direct": _shift(direct_logits, direct_tp)}}


def estimate(model: dict, rule: str, via_reference: bool = False) -> float:
    """Probability that a fact of ``rule`` is right under a :func:`fit` model."""
    p = model["rule"].get(rule, model["overall"])
    d = model["shift"]["reference" if via_reference else "direct"]
    return round(max(FLOOR, min(CEILING, _sigmoid(_logit(p) + d))), 3)


def laplace(table: dict, rule: str, via_reference: bool = False) -> float:
    """The earlier estimator, kept for comparison: (tp + 1) / (n + 2), times 0.9 on a reference."""
    tp, n = _total(table.get("rules", {}).get(rule, {}).values())
    p = (tp + 1) / (n + 2) * (0.9 if via_reference else 1.0)
    return round(max(FLOOR, min(CEILING, p)), 3)


@lru_cache(maxsize=1)
def model() -> dict:
    """The estimator fitted to the stored table."""
    return fit(load_table())


def confidence(rule: str, via_reference: bool = False) -> float:
    """Calibrated probability that a fact found by ``rule`` is right.

    ``via_reference``: an argument is a pronoun or descriptor in the fact's sentence.
    """
    return estimate(model(), rule, via_reference)


def clear_cache() -> None:
    """Forget the loaded table and model (after the table file was rewritten)."""
    load_table.cache_clear()
    model.cache_clear()

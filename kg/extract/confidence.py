"""Confidence of a fact: the probability that it is right, estimated from the gold files.

``resources/rule_precision.json`` holds what ``kg.evaluate.write_rule_precision``
counted on ``kg.evaluate.RULE_TABLE_GOLD`` (press-train, which the rules were not
written against, and Re-DocRED's dev file, the only encyclopaedic text): for each
rule, per relation it produced and per genre of text, ``[true positives, scored
predictions]``; and, per rule and genre,
the same counts restricted to the facts that rest on a pronoun or descriptor ("it",
"the company")::

    {"rules": {"founded-year": {"P571": {"article": [24, 30], "press": [4, 4]}}, ...},
     "via_reference": {"founded-year": {"article": [6, 8], "press": [3, 4]}, ...}}

The genre is "press" (a press release: release date, dateline or title line) or
"article" (encyclopaedia-style text, :func:`kg.extract.relations.encyclopaedic`); a
bare ``[tp, n]`` instead of a genre object counts as press.

The estimate is hierarchical (empirical Bayes).  A rule's precision is shrunk
towards the pooled precision of its relation(s), and a relation's towards the
precision of all rules together, each by a prior strength (in pseudo-facts) chosen
to maximise the beta-binomial likelihood of the counts one level down.  So a rule
seen twice borrows most of its estimate from its relation, a rule seen fifty times
mostly speaks for itself, and a rule never seen gets the overall precision.  Two
additive log-odds shifts follow, fitted jointly by maximum likelihood (each group's
predicted right facts equal its observed ones): one for facts resting on a reference
and one for the others, and one per genre, "press" fixed at 0, so "article" is the
log-odds difference of an article's fact from a press release's fact of the same
rule.  ``kg.evaluate.calibration_report`` measures how well this is calibrated on
held-out documents (``python -m kg.evaluate calibrate``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from kg.errors import KgError

TABLE = Path(__file__).parent / "resources" / "rule_precision.json"
STRENGTHS = tuple(2 ** (i / 2) for i in range(-2, 21))  # prior strengths tried: 0.5 .. 1024
FLOOR, CEILING = 0.05, 0.99
GENRES = ("press", "article")  # press first: the default, and the genre with shift 0
DEFAULT_GENRE = "press"


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
        raise KgError(f"{TABLE}: needs a \"rules\" object (rule -> relation -> genre -> [tp, n])")
    return data


def by_genre(counts) -> dict[str, tuple[int, int]]:
    """genre -> (tp, n) of one table entry: a genre object, or a bare [tp, n] (press)."""
    if isinstance(counts, dict):
        unknown = set(counts) - set(GENRES)
        if unknown:
            raise KgError(f"{TABLE}: unknown genre {sorted(unknown)[0]!r} (press or article)")
        return {g: (int(c[0]), int(c[1])) for g, c in counts.items()}
    return {DEFAULT_GENRE: (int(counts[0]), int(counts[1]))}


def rule_precision() -> dict[str, tuple[int, int]]:
    """rule name -> (true positives, predictions) on the files the table is counted on."""
    return {rule: _total(c for cell in rels.values() for c in by_genre(cell).values())
            for rule, rels in load_table()["rules"].items()}


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


def _shift(logits: list[tuple[float, int]], observed: float) -> float:
    """The log-odds shift d with sum(n * sigmoid(l + d)) == observed, for (l, n) pairs.

    Bisection, |d| <= 4; 0 when there are no facts.
    """
    if not any(n for _, n in logits):
        return 0.0
    lo, hi = -4.0, 4.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if sum(n * _sigmoid(x + mid) for x, n in logits) < observed:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _cells(table: dict) -> list[tuple[str, str, bool, int, int]]:
    """(rule, genre, via_reference, tp, n) of every non-empty group of the table."""
    out = []
    for rule, rels in table.get("rules", {}).items():
        totals: dict[str, tuple[int, int]] = {}
        for cell in rels.values():
            for g, (tp, n) in by_genre(cell).items():
                totals[g] = _total([totals.get(g, (0, 0)), (tp, n)])
        via = by_genre(table.get("via_reference", {}).get(rule, {}))
        for g, (tp, n) in totals.items():
            vtp, vn = via.get(g, (0, 0))
            out += [(rule, g, True, vtp, vn), (rule, g, False, tp - vtp, n - vn)]
    return [c for c in out if c[4]]


def _shifts(cells, rule_logit: dict[str, float], rounds: int = 100) -> dict:
    """Additive log-odds shifts per kind of fact and per genre, by maximum likelihood.

    Alternates the two moment conditions (each kind's, then each genre's predicted
    right facts equal the observed) until they hold; then moves the press shift into
    the kinds so that press is 0.  A genre without facts gets 0 (no evidence).
    """
    kind = {True: 0.0, False: 0.0}
    genre = dict.fromkeys(GENRES, 0.0)

    def refit(shifts, key, offset):
        for k in shifts:
            group = [c for c in cells if key(c) == k]
            shifts[k] = _shift([(rule_logit[c[0]] + offset(c), c[4]) for c in group],
                               sum(c[3] for c in group))

    for _ in range(rounds):
        before = (dict(kind), dict(genre))
        refit(kind, lambda c: c[2], lambda c: genre[c[1]])
        refit(genre, lambda c: c[1], lambda c: kind[c[2]])
        if all(abs(a[k] - b[k]) < 1e-6 for a, b in zip(before, (kind, genre), strict=True)
               for k in a):
            break
    seen = {c[1] for c in cells}
    base = genre[DEFAULT_GENRE] if DEFAULT_GENRE in seen else 0.0
    return {"reference": round(kind[True] + base, 4), "direct": round(kind[False] + base, 4),
            "genre": {g: round(genre[g] - base, 4) if g in seen else 0.0 for g in GENRES}}


def fit(table: dict) -> dict:
    """The fitted estimator of a count table (see the module docstring).

    Returns ``{"overall", "relation", "rule", "strength": {"relation", "rule"},
    "shift": {"reference", "direct", "genre": {"press", "article"}}}``: precisions
    of the levels, the prior strengths chosen and the log-odds shifts.
    """
    rules = {r: {rel: _total(by_genre(c).values()) for rel, c in rels.items()}
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
    shift = _shifts(_cells(table), {r: _logit(p) for r, p in rule.items()})
    return {"overall": overall, "relation": relation, "rule": rule,
            "strength": {"relation": m_rel, "rule": m_rule}, "shift": shift}


def estimate(model: dict, rule: str, via_reference: bool = False,
             genre: str = DEFAULT_GENRE) -> float:
    """Probability that a fact of ``rule`` in a text of ``genre`` is right under a :func:`fit` model."""
    if genre not in GENRES:
        raise KgError(f"unknown genre {genre!r} (press or article)")
    p = model["rule"].get(rule, model["overall"])
    shift = model["shift"]
    d = shift["reference" if via_reference else "direct"] + shift.get("genre", {}).get(genre, 0.0)
    return round(max(FLOOR, min(CEILING, _sigmoid(_logit(p) + d))), 3)


def laplace(table: dict, rule: str, via_reference: bool = False) -> float:
    """The earlier estimator, kept for comparison: (tp + 1) / (n + 2), times 0.9 on a reference."""
    tp, n = _total(c for cell in table.get("rules", {}).get(rule, {}).values()
                   for c in by_genre(cell).values())
    p = (tp + 1) / (n + 2) * (0.9 if via_reference else 1.0)
    return round(max(FLOOR, min(CEILING, p)), 3)


@lru_cache(maxsize=1)
def model() -> dict:
    """The estimator fitted to the stored table."""
    return fit(load_table())


class Graded(float):
    """A confidence that remembers what it was estimated from (see :func:`recording`)."""

    def __new__(cls, value: float, rule: str, via_reference: bool, genre: str):
        self = super().__new__(cls, value)
        self.rule, self.via_reference, self.genre = rule, via_reference, genre
        return self


_RECORDING: ContextVar[bool] = ContextVar("recording_confidence", default=False)


@contextmanager
def recording() -> Iterator[None]:
    """While active, :func:`confidence` returns :class:`Graded` values.

    A Fact keeps its confidence but not whether it rests on a reference nor the
    genre of its text; ``kg.evaluate.rule_outcomes`` reads them back from the
    extracted facts' confidences.
    """
    token = _RECORDING.set(True)
    try:
        yield
    finally:
        _RECORDING.reset(token)


def confidence(rule: str, via_reference: bool = False, genre: str = DEFAULT_GENRE) -> float:
    """Calibrated probability that a fact found by ``rule`` is right.

    ``via_reference``: an argument is a pronoun or descriptor in the fact's sentence;
    ``genre``: "press" (a press release, the default) or "article" (encyclopaedia-style
    text, :func:`kg.extract.relations.encyclopaedic`).
    """
    value = estimate(model(), rule, via_reference, genre)
    return Graded(value, rule, via_reference, genre) if _RECORDING.get() else value


def clear_cache() -> None:
    """Forget the loaded table and model (after the table file was rewritten)."""
    load_table.cache_clear()
    model.cache_clear()

"""Confidence of a fact: the precision its rule reached on the development sets.

``resources/rule_precision.json`` maps rule name -> [true positives, predictions]
as measured by ``kg.evaluate.measure_rule_precision`` on the gold files; a rule's
confidence is its smoothed precision (tp + 1) / (n + 2), so a rule never seen
scores 0.5 and a rule right 45 times out of 50 scores 0.88.  Facts resting on a
pronoun or a descriptor ("the company") lose a little.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).parent / "resources" / "rule_precision.json"


@lru_cache(maxsize=1)
def rule_precision() -> dict[str, tuple[int, int]]:
    """rule name -> (true positives, predictions) on the development gold files."""
    if not TABLE.exists():
        return {}
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    return {k: (int(v[0]), int(v[1])) for k, v in data.items()}


def confidence(rule: str, via_reference: bool = False) -> float:
    """Smoothed precision of ``rule``; lower when an argument is a pronoun/descriptor."""
    tp, n = rule_precision().get(rule, (0, 0))
    p = (tp + 1) / (n + 2)
    if via_reference:
        p *= 0.9
    return round(max(0.05, min(0.99, p)), 3)

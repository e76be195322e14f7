"""Checks shared by the project's own annotated corpora (tests/data/press-*.jsonl):
the gold schema of ``shared/eval/ANNOTATION.md``, and scores that do not fall."""

from __future__ import annotations

import json
from pathlib import Path

from kg.evaluate import evaluate

# the relation ids of the annotation guideline's table
RELATIONS = {
    "P749", "P355", "P127", "P1830", "X-acquires", "X-jv", "X-cooperates", "X-supplies",
    "X-operates", "P276", "P131", "P159", "P571", "P112", "P169", "P488", "X-position",
    "X-visits", "P1056", "P452", "P414", "X-listed-companies", "X-listed-companies-on",
    "X-production-sites", "P1128", "X-capacity", "X-production-value", "X-revenue",
}
ENTITY_TYPES = {"ORG", "PER", "LOC", "FAC", "PRODUCT", "EXCHANGE", "MISC"}
LITERAL_RELATIONS = {
    "P571", "P1128", "X-capacity", "X-production-value", "X-revenue",
    "X-listed-companies", "X-production-sites",
}
STATUSES = {"planned", "agreed", "completed", "cancelled"}


def check_records(records: list[dict], *, count: int, prefix: str, text_chars: tuple[int, int],
                  facts: tuple[int, int]) -> None:
    """Every record has the gold schema: ids, title line, notes, entities, fact counts."""
    assert len(records) == count
    assert len({r["id"] for r in records}) == len(records)
    for rec in records:
        assert rec["id"].startswith(prefix), rec["id"]
        assert text_chars[0] <= len(rec["text"]) <= text_chars[1], (rec["id"], len(rec["text"]))
        assert rec["title"] and rec["text"].startswith(rec["title"]), rec["id"]
        assert rec["notes"].strip(), rec["id"]
        assert facts[0] <= len(rec["facts"]) <= facts[1], (rec["id"], len(rec["facts"]))
        assert len({e["id"] for e in rec["entities"]}) == len(rec["entities"]), rec["id"]
        for ent in rec["entities"]:
            assert ent["type"] in ENTITY_TYPES, (rec["id"], ent)
            assert ent["names"] and all(n.strip() for n in ent["names"]), (rec["id"], ent)


def check_facts(records: list[dict], *, strict: bool = False) -> None:
    """Facts name known entities and quote their evidence exactly; ``strict`` also wants
    values exactly for the literal relations and statuses from the guideline's set."""
    for rec in records:
        ids = {e["id"] for e in rec["entities"]}
        for fact in rec["facts"]:
            where = (rec["id"], fact["relation"], fact["subject"], fact.get("object"))
            assert fact["relation"] in RELATIONS, where
            assert fact["subject"] in ids, where
            assert ("object" in fact) != ("value" in fact), where
            assert "value" in fact or fact["object"] in ids, where
            assert fact["evidence"] in rec["text"], where
            if strict:
                assert ("value" in fact) == (fact["relation"] in LITERAL_RELATIONS), where
                assert fact.get("status", "planned") in STATUSES, where


def check_surface_forms(records: list[dict]) -> None:
    """Some name of every entity occurs in its release's text."""
    for rec in records:
        text = rec["text"].casefold()
        for ent in rec["entities"]:
            assert any(n.casefold() in text for n in ent["names"]), (rec["id"], ent["names"])


def check_scores(name: str, gold: Path, scores: Path, record_gold_score,
                 extractor: str = "rules", relations=None) -> None:
    """Micro P, R and F1 stay within 0.02 of the figures committed in ``scores``."""
    committed = json.loads(scores.read_text(encoding="utf-8"))[name]
    res = evaluate(gold, extractor=extractor, relations=relations)
    record_gold_score(f"{name} ({extractor})", res["micro"], committed)
    for key in ("precision", "recall", "f1"):
        assert res["micro"][key] >= committed[key] - 0.02, (key, res["micro"])

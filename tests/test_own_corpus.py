"""The project's own annotated press releases: a well-formed gold file, and scores that hold.

``tests/data/press-own.jsonl`` holds 16 releases written for this project (invented
companies, every region and deal kind of the genre) annotated as
``shared/eval/ANNOTATION.md`` says.  They measure extraction beyond the shared dev
releases; the figures committed in ``tests/data/extract/own_scores.json`` are the first
run's, and a test fails when micro precision, recall or F1 falls more than 0.02 below them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gold_corpus import check_facts, check_records, check_scores, check_surface_forms

from kg.evaluate import read_gold

DATA = Path(__file__).parent / "data"
GOLD = DATA / "press-own.jsonl"
SCORES = DATA / "extract" / "own_scores.json"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return read_gold(GOLD)


def test_every_record_has_the_gold_schema(records):
    check_records(records, count=16, prefix="own-", text_chars=(1200, 4000), facts=(8, 30))


def test_facts_name_known_entities_and_quote_their_evidence(records):
    check_facts(records)


def test_some_surface_form_of_every_entity_occurs_in_its_text(records):
    check_surface_forms(records)


def test_own_scores_do_not_regress(record_gold_score):
    check_scores("press-own", GOLD, SCORES, record_gold_score)

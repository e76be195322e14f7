"""Annotated releases as training examples.

A gold record (the schema of ``../shared/eval/seed-gold.jsonl``) names its entities by
their surface names, not by offsets. :func:`gold_spans` finds those names in the text
(longest first, never overlapping), which gives the entity layer its BIO tags and the
relation layer the mentions of each gold entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.evaluate import read_gold, release_from_gold
from kg.extract.analysis import Analysis, analyse
from kg.extract.entities import sentence_tokens
from kg.extract.pipeline import load_pipeline

# the files the shipped model learns from, relative to the shared evaluation folder
SHARED_TRAINING = ("press-train.jsonl", "press-dev.jsonl", "seed-gold.jsonl")
OWN_TRAINING = Path(__file__).resolve().parents[2] / "tests" / "data" / "press-own.jsonl"


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    type: str
    entity: str  # the gold entity id


@dataclass
class Example:
    """One annotated release, analysed."""

    record: dict
    analysis: Analysis
    spans: list[GoldSpan]
    source: str
    entity_types: dict[str, str] = field(default_factory=dict)
    nested: list[GoldSpan] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.record["id"]


def _name_pattern(name: str) -> re.Pattern:
    body = re.escape(name).replace(r"\ ", r"\s+")
    left = r"(?<![\w])" if name[:1].isalnum() else ""
    right = r"(?![\w])" if name[-1:].isalnum() else ""
    return re.compile(left + body + right, re.I)


def gold_spans(text: str, entities: list[dict]) -> list[GoldSpan]:
    """Where the entities' names occur in ``text``: the longest names win overlaps."""
    return _longest_first(_occurrences(text, entities))


def _occurrences(text: str, entities: list[dict]) -> list[GoldSpan]:
    found: list[GoldSpan] = []
    for ent in entities:
        for name in {n.strip() for n in ent.get("names", []) if n and n.strip()}:
            if len(name) < 2:
                continue
            for m in _name_pattern(name).finditer(text):
                found.append(GoldSpan(m.start(), m.end(), ent["type"], ent["id"]))
    return found


def _longest_first(found: list[GoldSpan]) -> list[GoldSpan]:
    found = sorted(found, key=lambda s: (-(s.end - s.start), s.start))
    taken: list[GoldSpan] = []
    occupied: set[int] = set()
    for s in found:
        if any(i in occupied for i in range(s.start, s.end)):
            continue
        taken.append(s)
        occupied.update(range(s.start, s.end))
    return sorted(taken, key=lambda s: s.start)


def nested_spans(text: str, entities: list[dict], flat: list[GoldSpan]) -> list[GoldSpan]:
    """Names of other entities inside a flat span ("Debrecen" in "the plant in Debrecen")."""
    inner = [s for s in _occurrences(text, entities)
             if any(f.start <= s.start and s.end <= f.end and f.entity != s.entity
                    and (f.start, f.end) != (s.start, s.end) for f in flat)]
    return _longest_first(inner)


def bio_tags(example: Example) -> list[list[str]]:
    """Per sentence, per token, the gold BIO tag."""
    toks = example.analysis.tokens
    tags = ["O"] * len(toks)
    for s in example.spans:
        first = True
        for i in range(len(toks)):
            if toks.idx[i] >= s.end:
                break
            if toks.idx[i] >= s.start:
                tags[i] = ("B-" if first else "I-") + s.type
                first = False
    return [tags[i:j] for i, j in sentence_tokens(example.analysis)]


def load_examples(paths, progress=None) -> list[Example]:
    """Every record of the gold files, analysed by the rules' pipeline."""
    nlp = load_pipeline(None)
    out = []
    for path in paths:
        for rec in read_gold(path):
            rel = release_from_gold(rec, Path(path).name)
            analysis = analyse(rel, nlp)
            ents = rec.get("entities", [])
            flat = gold_spans(rel.text, ents)
            ex = Example(rec, analysis, flat, Path(path).name,
                         {e["id"]: e["type"] for e in ents}, nested_spans(rel.text, ents, flat))
            out.append(ex)
            if progress:
                progress()
    return out

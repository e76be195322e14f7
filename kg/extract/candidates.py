"""Candidate argument pairs for the trained relation layer.

A release's *arguments* are the entity mentions the tagger found
(:mod:`kg.extract.entities`), the names and sites the rules found that the tagger did
not, the pronouns and descriptors the rules resolved ("it", "the joint venture", "the
plant"), and the numbers of the text (amounts, capacities, headcounts, years). A
*pair* is an ordered (subject, object) of two arguments of one sentence (a reference
brings its antecedent's name from another sentence); every pair is classified into one
of the guideline's relations or none.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from kg.extract.mentions import parse_number, plain_number

# the relations whose object is a number, and those whose object is an entity
VALUE_RELATIONS = ("P571", "P1128", "X-capacity", "X-production-value", "X-revenue",
                   "X-production-sites", "X-listed-companies")
ENTITY_TYPES = ("ORG", "PER", "LOC", "FAC", "PRODUCT", "EXCHANGE", "MISC")
# the types a pair's subject can have, whatever the relation (the guideline's table)
SUBJECT_TYPES = {"ORG", "FAC", "PER", "LOC"}
NUMBER_RE = re.compile(
    r"(?<![\w.,])(?:(?P<cur>US\$|HK\$|NT\$|A\$|C\$|S\$|R\$|RMB|Rs\.?|INR|USD|EUR|CNY|JPY|KRW|"
    r"GBP|CHF|[$€£¥₹])\s?)?"
    r"(?P<num>\d{1,3}(?:[,’' ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|mln|mn|bn|tn|crores?|lakhs?|[mbk])\b)?"
    r"(?![\w-]*\d)", re.I)
YEAR_RE = re.compile(r"^(?:1[89]\d\d|20[0-4]\d)$")


@dataclass
class Argument:
    """One side of a pair: an entity mention or a number."""

    start: int
    end: int
    text: str
    type: str  # an entity type, or "NUM" / "YEAR" / "MONEY"
    sent: int
    source: str  # "tagger" | "rules" | "reference" | "gold" | "number"
    name: str  # the name a fact gives it (a reference's antecedent, a number's plain value)
    cluster: int = -1  # the rules' cluster, when the rules know it
    entity: str | None = None  # the gold entity (training only)
    unit: str | None = None


@dataclass
class Pair:
    subj: Argument
    obj: Argument
    sent: int  # the sentence whose text is the evidence


def number_arguments(analysis) -> list[Argument]:
    """The numbers of every sentence, with their plain value as the name."""
    out = []
    for s in analysis.sentences:
        for m in NUMBER_RE.finditer(s.text):
            num, scale, cur = m.group("num"), m.group("scale"), m.group("cur")
            if scale and scale.lower() in "mbk" and not cur:
                scale = None  # "5 m" is five metres more often than five million
            value = parse_number(num, scale)
            if value is None:
                continue
            start = s.start + m.start()
            end = s.start + m.end()
            if not scale:
                end = s.start + m.end("num")
            kind = "YEAR" if YEAR_RE.match(num) and not cur else ("MONEY" if cur else "NUM")
            out.append(Argument(start, end, analysis.release.text[start:end], kind, s.index,
                                "number", plain_number(value), unit=cur))
    return out


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


class SpanIndex:
    """Spans (anything with ``start`` and ``end``) ordered by start, to find those that
    overlap a span without looking at every one: a long release has tens of thousands
    of arguments, and asking each of them about each mention grew with the square.

    A span overlapping ``[start, end)`` starts before ``end`` and, being at most
    ``longest`` characters long, after ``start - longest``: only the spans whose start
    lies between are looked at.

    >>> index = SpanIndex([Argument(0, 5, "Acme", "ORG", 0, "rules", "Acme")])
    >>> [a.text for a in index.overlapping(3, 9)], index.overlapping(5, 9)
    (['Acme'], [])
    """

    def __init__(self, spans=()):
        self.spans = sorted(spans, key=lambda a: a.start)
        self.starts = [a.start for a in self.spans]
        self.longest = max((a.end - a.start for a in self.spans), default=0)

    def add(self, span) -> None:
        k = bisect_right(self.starts, span.start)
        self.starts.insert(k, span.start)
        self.spans.insert(k, span)
        self.longest = max(self.longest, span.end - span.start)

    def overlapping(self, start: int, end: int) -> list:
        """The spans overlapping ``[start, end)``, by start."""
        lo = bisect_right(self.starts, start - self.longest)
        hi = bisect_left(self.starts, end)
        return [a for a in self.spans[lo:hi] if _overlaps(start, end, a.start, a.end)]


def crossing(a: Argument, b: Argument) -> bool:
    """Overlapping without one holding the other, or the same span."""
    if not _overlaps(a.start, a.end, b.start, b.end):
        return False
    return not (a.start <= b.start and b.end <= a.end or b.start <= a.start and a.end <= b.end) \
        or (a.start, a.end) == (b.start, b.end)


def named_clusters(mentions) -> dict[tuple[int, int], int]:
    """(start, end) of the rules' names, aliases and sites -> their cluster (the first)."""
    out: dict[tuple[int, int], int] = {}
    for m in mentions:
        if m.cluster >= 0 and m.kind in ("name", "alias", "site"):
            out.setdefault((m.start, m.end), m.cluster)
    return out


def entity_arguments(analysis, spans, facts=()) -> list[Argument]:
    """Tagger spans, then the rules' names, sites and fact objects the tagger left out,
    then references."""
    out: list[Argument] = []
    rule_ments = [m for m in analysis.mentions if m.cluster >= 0]
    named = named_clusters(rule_ments)
    for sp in spans:
        out.append(Argument(sp.start, sp.end, sp.text, sp.type, sp.sent, "tagger",
                            sp.text, named.get((sp.start, sp.end), -1)))
    tagged = SpanIndex(out)
    for m in rule_ments:
        if m.kind in ("name", "alias", "site"):
            host = tagged.overlapping(m.start, m.end)
            typ = m.type if m.type in ENTITY_TYPES else "ORG"
            if host and not (typ in ("LOC", "ORG") and all(
                    a.start <= m.start and m.end <= a.end and a.type != typ
                    and (a.start, a.end) != (m.start, m.end) for a in host)):
                continue  # a name inside a tagged span of another type is an argument too
            out.append(Argument(m.start, m.end, m.text, typ, m.sent, "rules", m.text, m.cluster))
    out += fact_arguments(analysis, facts, out)
    out += reference_arguments(analysis, out)
    out.sort(key=lambda a: (a.start, -a.end))
    return out


def fact_arguments(analysis, facts, named: list[Argument]) -> list[Argument]:
    """The objects of the rules' facts (products, industries) that no argument covers,
    found in their evidence sentence."""
    text = analysis.release.text
    out: list[Argument] = []
    taken, added = SpanIndex(named), SpanIndex()
    for f in facts:
        if f.object is None or f.object_type not in ("PRODUCT", "MISC", "FAC"):
            continue
        pos = text.find(f.object, f.start, f.end)
        if pos < 0:
            continue
        end = pos + len(f.object)
        if taken.overlapping(pos, end) or added.overlapping(pos, end):
            continue
        sent = analysis.sentence_at(pos)
        out.append(Argument(pos, end, f.object, f.object_type, sent, "rules", f.object))
        added.add(out[-1])
    return out


def reference_arguments(analysis, named: list[Argument]) -> list[Argument]:
    """Pronouns and descriptors the rules resolved, named by their antecedent."""
    out = []
    taken = SpanIndex(named)
    for m in analysis.mentions:
        if m.kind not in ("pronoun", "descriptor") or m.cluster < 0:
            continue
        if taken.overlapping(m.start, m.end):
            continue
        cluster = analysis.clusters[m.cluster]
        typ = cluster.type if cluster.type in ENTITY_TYPES else "ORG"
        out.append(Argument(m.start, m.end, m.text, typ, m.sent, "reference",
                            cluster.canonical, m.cluster))
    return out


def pairs(args: list[Argument], numbers: list[Argument]) -> list[Pair]:
    """Ordered pairs of one sentence: entity -> entity, and entity -> number."""
    by_sent: dict[int, list[Argument]] = {}
    for a in args:
        by_sent.setdefault(a.sent, []).append(a)
    nums: dict[int, list[Argument]] = {}
    for n in numbers:
        nums.setdefault(n.sent, []).append(n)
    out = []
    for sent, group in by_sent.items():
        for a in group:
            if a.type not in SUBJECT_TYPES:
                continue
            for b in group:
                if b is a or crossing(a, b):
                    continue
                if a.cluster >= 0 and a.cluster == b.cluster:
                    continue
                if a.name == b.name:
                    continue
                out.append(Pair(a, b, sent))
            for n in nums.get(sent, []):
                if not any(_overlaps(n.start, n.end, x.start, x.end) for x in group):
                    out.append(Pair(a, n, sent))
    return out

"""Qualifiers read from a sentence: deal status, dates, bounds, speculation, negation."""

from __future__ import annotations

import re
from datetime import date, timedelta

from kg.extract.mentions import MONTHS, WEEKDAYS

_PLANNED = re.compile(
    r"\b(?:plans?|planned|planning|intends?|intention|aims?|aiming|expects?|expected|"
    r"considering|consider|proposed|proposes|seeks?|seeking|in talks|talks|negotiat\w+|"
    r"is set to|are set to|to be|will be built|in the future|future|by 20\d\d|"
    r"is going to|prepares?|preparing|would like)\b", re.I)
_AGREED = re.compile(
    r"\b(?:agreed|agrees|agreement|signed|signs|sign|deal|announced|announces|unveils?|"
    r"entered into|forming|form|formed|establishment|definitive|arrangement|approved|"
    r"has reached|reached)\b", re.I)
_COMPLETED = re.compile(
    r"\b(?:acquired|bought|purchased|took over|completed|closed|finali[sz]ed|has acquired|"
    r"had acquired|transferred|sold|merged|became|opened|last year|in (?:19|20)\d\d)\b", re.I)
_FUTURE = re.compile(r"\b(?:will|shall|to be|to build|to establish|to set up|to construct|to open|"
                     r"to develop|plans?|planned|planning|expected|aims?|set to|"
                     r"going to|intends?|proposed|seek|seeks|under construction|upcoming|"
                     r"is building|are building|by 20\d\d)\b", re.I)
_NEGATION = re.compile(
    r"\b(?:no plans?|not|n't|never|denied|denies|deny|declined to|rejected|ruled out|"
    r"called off|abandon(?:ed|s)?|scrapped|terminated|without)\b", re.I)
_SPECULATION = re.compile(
    r"\b(?:analysts? (?:said|say|says|expect|believe|think)|analysts|if the deal|if it|"
    r"could|might|may(?! \d)|rumou?r\w*|speculat\w*|reportedly|potentially|possible|"
    r"possibly|projections?|would greatly|hypothetical\w*|exploring|explore)\b", re.I)


def status(text: str, verb_span: tuple[int, int] | None = None) -> str | None:
    """planned | agreed | completed, read from the words of the sentence.

    ``verb_span`` narrows the reading to the clause around the verb when given.
    """
    t = text if verb_span is None else text[max(0, verb_span[0] - 80):verb_span[1] + 40]
    if re.search(r"\b(?:cancel\w*|called off|terminated|abandon\w*|scrapped)\b", t, re.I):
        return "cancelled"
    if _PLANNED.search(t) and not re.search(r"\b(?:agreed|signed|announced a plan)\b", t, re.I):
        return "planned"
    if _AGREED.search(t) or re.search(r"\bwill\b", t):
        return "agreed"
    if _COMPLETED.search(t):
        return "completed"
    return None


def future(text: str) -> bool:
    """True when the clause speaks of something still to be done."""
    return bool(_FUTURE.search(text))


def negated(text: str) -> bool:
    """True when the clause is negated ("has no plans to", "did not")."""
    return bool(_NEGATION.search(text))


def speculative(text: str) -> bool:
    """True for speculation, hypotheticals and others' expectations."""
    return bool(_SPECULATION.search(text))


_DAY_MONTH = re.compile(
    r"\b(?:on\s+)?(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>[A-Z][a-z]+)\.?"
    r"(?:,?\s+(?P<y>\d{4}))?", )
_MONTH_DAY = re.compile(r"\b(?P<m>[A-Z][a-z]+)\.?\s+(?P<d>\d{1,2})(?!\d)(?:st|nd|rd|th)?"
                        r"(?:,?\s+(?P<y>\d{4}))?")  # not the "20" of "March 2024"
_MONTH_YEAR = re.compile(r"\b(?:in\s+)?(?P<m>[A-Z][a-z]+)\s+(?P<y>\d{4})\b")
_WEEKDAY = re.compile(r"\b(?:on\s+|last\s+)?(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|"
                      r"Saturday|Sunday)\b")


def _month(name: str) -> int | None:
    low = name.lower()[:3]
    for i, m in enumerate(MONTHS[:12]):
        if m[:3] == low:
            return i + 1
    return None


def resolve_date(text: str, release_date: date | None, ahead: bool = False) -> str | None:
    """The first date the text states, as ISO, resolved against the release date.

    "On the 11th April" in a release of 2023-04-20 -> "2023-04-11"; "on Tuesday" in a
    release of Wednesday 2024-07-10 -> "2024-07-09"; "in July 2021" -> "2021-07".
    A day without a year is the latest one up to the release date, or with ``ahead``
    (the text speaks of what is to come) the next one from it.
    """
    for rx in (_DAY_MONTH, _MONTH_DAY):
        for m in rx.finditer(text):
            mo = _month(m.group("m"))
            if not mo:
                continue
            d = int(m.group("d"))
            if not 1 <= d <= 31:
                continue
            y = int(m.group("y")) if m.group("y") else None
            if y is None:
                if release_date is None:
                    continue
                y = release_date.year
                try:
                    if not ahead and date(y, mo, d) > release_date + timedelta(days=2):
                        y -= 1
                    elif ahead and date(y, mo, d) < release_date - timedelta(days=2):
                        y += 1
                except ValueError:
                    continue
            try:
                return date(y, mo, d).isoformat()
            except ValueError:
                continue
    m = _MONTH_YEAR.search(text)
    if m and _month(m.group("m")):
        return f"{m.group('y')}-{_month(m.group('m')):02d}"
    m = _WEEKDAY.search(text)
    if m and release_date is not None:
        target = WEEKDAYS.index(m.group("w").lower())
        delta = (release_date.weekday() - target) % 7
        return (release_date - timedelta(days=delta)).isoformat()
    return None


YEAR = re.compile(r"(?<!\d)(1[6-9]\d\d|20[0-4]\d)(?!\d)")


DATED_RELATIONS = {"X-acquires", "X-cooperates", "X-jv", "X-supplies", "P127", "X-position",
                   "P169", "P488"}
_DATED_EVENT = re.compile(
    r"\b(?:signed|signs|completed|completes|closed|closes|finali[sz]ed|agreed|entered into|"
    r"acquired|bought|took over|appointed|named|elected|effective|takes effect|took effect|"
    r"became|since|as of|formed|established|set up)\b", re.I)


_DATELINE_LEAD = re.compile(r"^.{0,120}?(?:--|—|–)\s*")
_AHEAD = re.compile(r"\b(?:will|shall|effective|takes effect|as of|from)\b", re.I)


def event_date(sentence: str, release_date: date | None) -> str | None:
    """The date a deal, stake or appointment took (or takes) effect, when the sentence
    states one beside such a verb ("completed on 5 May", "signed in March 2024",
    "appointed ... effective 1 July"): ISO ``YYYY-MM-DD`` or ``YYYY-MM``."""
    verb = _DATED_EVENT.search(sentence)
    if not verb:
        return None
    ahead = bool(_AHEAD.search(sentence))
    # the date after the verb first; before it, not the dateline's ("OSLO, 20 May --")
    before = _DATELINE_LEAD.sub("", sentence[:verb.start()])
    return (resolve_date(sentence[verb.start():], release_date, ahead)
            or resolve_date(before, release_date, ahead))


def add_event_dates(facts, release_date: date | None) -> None:
    """Give each deal, stake or position fact the date its sentence states (in place)."""
    for f in facts:
        if f.relation in DATED_RELATIONS and "date" not in f.qualifiers:
            when = event_date(f.evidence, release_date)
            if when:
                f.qualifiers["date"] = when

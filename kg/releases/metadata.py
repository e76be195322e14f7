"""What a release says about itself: title, dateline (place and date), sections, issuer.

Every loader turns its file into plain text and hands it to ``build_release``; this
module finds the rest in that text, so all formats agree on it.

Datelines
---------
A dateline is looked for at the start of the first five non-empty lines (so both a
dateline on its own line and one opening the first body paragraph are found)::

    Düsseldorf, 20.04.2023
    BEIJING, April 20, 2023 /PRNewswire/ -- Acme today announced ...
    SHANGHAI, China, Jan. 5, 2024 (GLOBE NEWSWIRE) — ...
    Qingdao, 2023-08-30
    Hong Kong, 9 October 2023 — ...
    20 April 2023
    SEOUL, June 2 (Yonhap) -- ...       (place only: no year, so no date)
    BEIJING - ...                        (place only: an upper-case city and a dash)

Date forms and how day and month are told apart:

* ``2023-08-30``: ISO 8601, year-month-day.
* ``20.04.2023`` (dots): always day-first, the European form.
* ``04/20/2023`` (slashes): month-first when the dateline carries a US newswire
  marker (``/PRNewswire/``, ``Business Wire``, ``GLOBE NEWSWIRE``); otherwise
  day-first when the first number is above 12, month-first when only the second is;
  when both are 12 or less and there is no US marker, the date is **ambiguous and
  read day-first** (the international reading), and a debug message is logged.
* Month names (English, abbreviated with or without a dot, or German):
  ``April 20, 2023``, ``Jan. 5, 2024``, ``20 April 2023``, ``20. April 2023``,
  ``20th of April 2023``.
* Two-digit years are 20xx below 70 and 19xx otherwise.  Impossible dates
  (31.02.2023) give no date.

The dateline place is the text before the date, without newswire markers, without
"China" and without trailing punctuation; of a comma-separated place
("VANCOUVER, BC", "Zouping, Shandong Province") the first part, the city, is kept.
A place printed in capitals, as newswires do, is written in title case
("BEIJING" -> "Beijing"); places of three letters or fewer keep their capitals.

Sections
--------
``Release.sections`` lists, in text order: ``title`` (the first line, when it is the
title), ``dateline``, ``body`` (a short region between title and dateline, such as a
subtitle or byline, is a ``body`` section of its own), then the boilerplate sections,
each running from its heading to the next heading or an end marker (``###``,
``-30-``, ``-ends-``):

* ``about``: "About X" or "About X:" on its own line, or "About X: ..." opening a
  paragraph; ``Section.subject`` is X without the colon.
* ``contacts``: "Media contact(s):", "Press contact", "Contacts:", "Investor
  Relations:", "For more information, contact:" ...
* ``forward-looking``: "Forward-looking statements", "Safe harbor", "Cautionary
  statement" ... headings.
* ``source``: one "Source: ..." (or newswire "SOURCE Acme Inc.") line.

Every section span is stripped of surrounding whitespace.  About sections stay part
of ``Release.text`` (they state many facts).  The issuer is front matter ``issuer``,
else the subject of the first About section that names a company (not "the Company").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from os import PathLike
from typing import Any

from kg.errors import ReleaseError
from kg.model import Release, Section

log = logging.getLogger(__name__)

# -- release ids ------------------------------------------------------------------------

RELEASE_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")


def check_release_id(release_id: str, where: str | PathLike[str], line: int | None = None,
                     origin: str = "") -> str:
    """``release_id`` if it is a safe slug (``[A-Za-z0-9._-]``), else ``ReleaseError``."""
    if RELEASE_ID.fullmatch(release_id) and release_id.strip("."):
        return release_id
    fix = "; rename the file or set `id:` in front matter" if origin == "file name" else ""
    source = f" (from the {origin})" if origin else ""
    raise ReleaseError(where, f"bad release id {release_id!r}{source}: use only the characters "
                              f"A-Z a-z 0-9 . _ -{fix}", line=line)


# -- dates ------------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
    # German, for releases of European subsidiaries
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "dezember": 12,
}
_MONTH = "(?:" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\b"
US_NEWSWIRES = ("prnewswire", "businesswire", "globenewswire")

_DATE = rf"""
    (?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})(?!\d)
  | (?P<dd>\d{{1,2}})\.(?P<dm>\d{{1,2}})\.(?P<dy>\d{{4}}|\d{{2}})(?!\d)
  | (?P<s1>\d{{1,2}})/(?P<s2>\d{{1,2}})/(?P<sy>\d{{4}}|\d{{2}})(?!\d)
  | (?P<nd>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<nm>{_MONTH})\.?,?\s+(?P<ny>\d{{4}})(?!\d)
  | (?P<mm>{_MONTH})\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s*(?P<my>\d{{4}})(?!\d))?
"""
_WORD = r"[^\W\d_](?:[^\W\d_]|[.'’\-])*"
_PLACE_PART = rf"{_WORD}(?:[ \t]{_WORD}){{0,4}}"
_DATELINE = re.compile(
    rf"""[ \t]*
    (?:(?P<place>{_PLACE_PART}(?:,[ \t]*{_PLACE_PART}){{0,3}})[ \t]*(?:,|[ \t][-–—]|[ \t])\s*)?
    (?P<date>{_DATE})
    (?P<wire>\s*(?:/\s*(?P<wire1>[A-Za-z][\w .&-]{{1,40}}?)\s*/
                 |\(\s*(?P<wire2>[A-Za-z][\w .&-]{{1,40}}?)\s*\)))?
    (?P<dash>\s*(?:--|—|–|-|:)(?=\s|$))?
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Business Wire puts the wire between place and date: "AUSTIN, Texas--(BUSINESS WIRE)--Feb. 3, 2025--"
_WIRE_FIRST = re.compile(
    rf"""[ \t]*
    (?P<place>{_PLACE_PART}(?:,[ \t]*{_PLACE_PART}){{0,3}})[ \t]*
    (?:--|—|–)[ \t]*\(\s*(?P<wire2>[A-Za-z][\w .&-]{{1,40}}?)\s*\)[ \t]*(?:--|—|–)[ \t]*
    (?P<date>{_DATE})
    (?P<dash>[ \t]*(?:--|—|–))
    """,
    re.VERBOSE | re.IGNORECASE,
)
_PLACE_ONLY = re.compile(r"[ \t]*(?P<place>[A-Z][A-Z.'’\-]+(?:[ \t][A-Z][A-Z.'’\-]+){0,3})"
                         r"(?:,[ \t]*[A-Z][\w.]*(?:[ \t][A-Z][\w.]*)?)?"
                         r"(?P<dash>[ \t]+(?:--|—|–|-))[ \t]+(?=\S)")
_NOT_PLACES = {"on", "in", "since", "from", "by", "until", "as", "dated", "date", "updated",
               "published", "posted", "the", "at", "for", "of"}
_COUNTRY_PARTS = {"china", "prc", "p.r. china", "people's republic of china", "the prc"}


@dataclass(frozen=True)
class Dateline:
    """Where and when a release was issued, and the span of its dateline."""

    place: str | None
    date: date | None
    start: int
    end: int


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _make_date(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _match_date(m: re.Match[str], us_wire: bool) -> date | None:
    """The date of a ``_DATELINE`` match, by the day/month rules of the docstring."""
    g = m.group
    if g("iy"):
        return _make_date(int(g("iy")), int(g("im")), int(g("id")))
    if g("dd"):
        return _make_date(_year(g("dy")), int(g("dm")), int(g("dd")))
    if g("s1"):
        first, second, year = int(g("s1")), int(g("s2")), _year(g("sy"))
        if us_wire or (second > 12 >= first):
            return _make_date(year, first, second)
        if first <= 12 and second <= 12 and first != second:
            log.debug("ambiguous date %s read day-first", g("date"))
        return _make_date(year, second, first)
    if g("nd"):
        return _make_date(int(g("ny")), MONTHS[g("nm").lower()], int(g("nd")))
    if g("my"):
        return _make_date(int(g("my")), MONTHS[g("mm").lower()], int(g("md")))
    return None


def clean_place(place: str) -> str | None:
    """The city of a dateline place: first comma part, no "China", capitals tamed."""
    parts = [p.strip(" \t.,;:-–—") for p in place.split(",")]
    parts = [p for p in parts if p and p.lower() not in _COUNTRY_PARTS]
    if not parts:
        return None
    city = parts[0]
    if city.isupper() and len(city) > 3:
        city = city.title()
    return city


def parse_dateline(line: str, offset: int = 0) -> Dateline | None:
    """The dateline at the start of ``line``, or None.

    ``offset`` is added to the span, so that it indexes the whole text.

    Examples
    --------
    >>> parse_dateline("Düsseldorf, 20.04.2023")
    Dateline(place='Düsseldorf', date=datetime.date(2023, 4, 20), start=0, end=22)
    """
    m = _DATELINE.match(line)
    if m:
        rest = line[m.end():]
        standalone = not rest.strip()
        marked = bool(m.group("wire") or m.group("dash"))
        has_year = not m.group("mm") or m.group("my")
        place = m.group("place")
        if place and (not place[0].isupper() or place.split()[0].lower() in _NOT_PLACES):
            place = None
        acceptable = (standalone or marked) and (has_year or (place and marked))
        if acceptable and (place or not m.group("place")):
            wire = (m.group("wire1") or m.group("wire2") or "").lower().replace(" ", "")
            us_wire = wire.startswith(US_NEWSWIRES)
            start = len(line) - len(line.lstrip())
            return Dateline(
                place=clean_place(place) if place else None,
                date=_match_date(m, us_wire),
                start=offset + start,
                end=offset + len(line[:m.end()].rstrip()),
            )
    m = _WIRE_FIRST.match(line)
    if m and m.group("place")[0].isupper():
        start = len(line) - len(line.lstrip())
        wire = m.group("wire2").lower().replace(" ", "")
        return Dateline(place=clean_place(m.group("place")),
                        date=_match_date(m, wire.startswith(US_NEWSWIRES)),
                        start=offset + start, end=offset + m.end("dash"))
    m = _PLACE_ONLY.match(line)
    if m:
        start = len(line) - len(line.lstrip())
        return Dateline(clean_place(m.group("place")), None, offset + start,
                        offset + m.end("dash"))
    return None


_LINE = re.compile(r"[^\n]*\S[^\n]*")
DATELINE_LINES = 5


def find_dateline(text: str, start: int = 0, lines: int = DATELINE_LINES) -> Dateline | None:
    """The first dateline opening one of the first ``lines`` non-empty lines from ``start``."""
    for n, m in enumerate(_LINE.finditer(text, start)):
        if n >= lines:
            break
        found = parse_dateline(m.group(), m.start())
        if found:
            return found
    return None


def parse_iso_date(value: Any) -> date | None:
    """A ``date`` from a date, a datetime or an ISO 8601 string (its date part); else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})(?!\d)", value)
        if m:
            return _make_date(int(m[1]), int(m[2]), int(m[3]))
    return None


# -- titles -----------------------------------------------------------------------------

_BYLINE = re.compile(r"By\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}\s*$")
MAX_TITLE_CHARS = 200


def first_line_title(text: str) -> tuple[str, int, int] | None:
    """``(title, start, end)`` of the first non-empty line, if it reads like a title."""
    m = _LINE.search(text)
    if not m:
        return None
    line = m.group().strip()
    if len(line) > MAX_TITLE_CHARS or _BYLINE.match(line):
        return None
    dateline = parse_dateline(line)
    if dateline and (dateline.date or dateline.end - dateline.start > len(line) // 2):
        return None
    start = m.start() + (len(m.group()) - len(m.group().lstrip()))
    return line, start, start + len(line)


# -- sections ---------------------------------------------------------------------------

_ABBREVIATION_END = re.compile(r"(?:\b[A-Z][A-Za-z]{0,4}\.|\b(?:[A-Za-z]\.){2,})$")
_ABOUT_LINE = re.compile(r"about\s+(?P<subject>\S.*?)\s*:?", re.IGNORECASE)
_ABOUT_INLINE = re.compile(r"about\s+(?P<subject>[^:\n]{1,80}?)\s*:\s+\S", re.IGNORECASE)
_CONTACTS = re.compile(
    r"(?:(?:media|press|investor|investors|company|editorial|news|journalist|analyst)s?"
    r"(?:\s+(?:and|&)\s+\w+)?\s+)?"
    r"(?:contact\(s\)|contacts?|enquiries|inquiries|relations)"
    r"|for\s+(?:further|more)\s+information(?:,?\s+(?:please\s+)?contact)?",
    re.IGNORECASE,
)
_FORWARD_LOOKING = re.compile(
    r"(?:cautionary\s+(?:note|statement|language)s?|safe\s+harbou?r|forward[-\s]looking"
    r"\s+(?:statements?|information)|(?:note|statement)s?\s+(?:regarding|concerning|about|on)"
    r"\s+forward[-\s]looking|disclaimer)\b",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"source\s*:\s*\S|SOURCE\s+[A-Z0-9]", re.IGNORECASE)
_END_MARKER = re.compile(r"(?:#\s*#\s*#|-\s*30\s*-|-?\s*ends?\s*-?)\s*$", re.IGNORECASE)
_GENERIC_SUBJECTS = {"us", "the company", "the group", "company", "the issuer", "this release",
                     "this press release", "the companies", "the author"}
MAX_HEADING_CHARS = 120


def _is_heading_line(line: str) -> bool:
    """Short, and not a sentence (no final full stop other than an abbreviation's)."""
    if len(line) > MAX_HEADING_CHARS:
        return False
    if line.endswith((".", "!", "?")):
        return line.endswith(".") and bool(_ABBREVIATION_END.search(line))
    return True


def classify_heading(line: str) -> tuple[str, str | None, bool] | None:
    """``(kind, subject, single_line)`` when ``line`` opens a boilerplate section."""
    line = line.strip()
    m = _ABOUT_INLINE.match(line)
    if m and len(m.group("subject").split()) <= 10 and m.group("subject")[0].isupper():
        return "about", m.group("subject").strip(), False
    if _is_heading_line(line):
        m = _ABOUT_LINE.fullmatch(line)
        if m and m.group("subject")[0].isupper() and len(m.group("subject").split()) <= 12:
            return "about", m.group("subject").rstrip(":").strip(), False
    if _SOURCE.match(line) and (line[:6] == "SOURCE" or ":" in line[:8]):
        return "source", None, True
    m = _CONTACTS.match(line)
    if m:
        rest = line[m.end():].lstrip()
        if (not rest and len(line) <= 60) or rest.startswith(":"):
            return "contacts", None, False
    m = _FORWARD_LOOKING.match(line)
    if m and ((_is_heading_line(line) and len(line) <= 100)
              or line[m.end():].lstrip().startswith(":")):
        return "forward-looking", None, False
    return None


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_sections(text: str, *, title_span: tuple[int, int] | None = None,
                  dateline: Dateline | None = None) -> tuple[Section, ...]:
    """The sections of ``text`` in text order (see the module docstring)."""
    sections: list[Section] = []
    body_from = 0
    if title_span:
        sections.append(Section("title", *title_span))
        body_from = title_span[1]
    if dateline and dateline.start >= body_from:
        between = _strip_span(text, body_from, dateline.start)
        if between[0] < between[1]:
            sections.append(Section("body", *between))
        sections.append(Section("dateline", dateline.start, dateline.end))
        body_from = dateline.end

    boiler: list[Section] = []
    body_end = len(text)
    open_kind: tuple[str, int, str, str | None] | None = None  # kind, start, heading, subject

    def close(at: int) -> None:
        nonlocal open_kind
        if open_kind:
            kind, start, heading, subject = open_kind
            s, e = _strip_span(text, start, at)
            boiler.append(Section(kind, s, e, heading=heading, subject=subject))
            open_kind = None

    for m in _LINE.finditer(text, body_from):
        line = m.group().strip()
        found = None if _END_MARKER.fullmatch(line) else classify_heading(line)
        if found or _END_MARKER.fullmatch(line):
            body_end = min(body_end, m.start())
            close(m.start())
        if not found:
            continue
        kind, subject, single_line = found
        start, end = _strip_span(text, m.start(), m.end())
        if single_line:
            boiler.append(Section(kind, start, end))
        else:
            open_kind = (kind, start, _heading_text(kind, line), subject)
    close(len(text))

    body = _strip_span(text, body_from, body_end)
    if body[0] < body[1]:
        sections.append(Section("body", *body))
    sections.extend(boiler)
    return tuple(sections)


def _heading_text(kind: str, line: str) -> str:
    """The heading of a section's first line, without the colon and any text after it."""
    if kind == "about":
        m = _ABOUT_INLINE.match(line)
        return line[:m.end("subject")].strip() if m else line.rstrip(":").strip()
    return line.split(":", 1)[0].strip()


def issuer_from_sections(sections: tuple[Section, ...]) -> str | None:
    """The subject of the first About section that names a company."""
    for section in sections:
        if section.kind == "about" and section.subject and \
                section.subject.lower() not in _GENERIC_SUBJECTS:
            return section.subject
    return None


# -- the release ------------------------------------------------------------------------

GIVEN_KEYS = ("title", "date", "dateline_place", "issuer", "url", "language")


def _given_text(given: Mapping[str, Any], key: str, where, line) -> str | None:
    value = given.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, (dict, list, tuple, set)):
        raise ReleaseError(where, f"`{key}` must be a single value, not a {type(value).__name__}",
                           line=line)
    return str(value).strip() or None


def build_release(
    text: str,
    *,
    release_id: str,
    sha256: str,
    source: str,
    format: str,
    given: Mapping[str, Any] | None = None,
    where: str | PathLike[str] | None = None,
    line: int | None = None,
    id_origin: str = "",
) -> Release:
    """A ``Release`` from its text and what the file states about it.

    Parameters
    ----------
    text : the release text; every offset (sections, later facts) indexes it.
    release_id, sha256, source, format : as in ``kg.model.Release``.
    given : metadata the file states (front matter, HTML meta tags, a JSONL record):
        ``title``, ``date``, ``dateline_place``, ``issuer``, ``url``, ``language``.
        A stated value wins over one found in the text.
    where, line : the file (and line) named by errors; ``source`` by default.
    id_origin : where the id came from ("file name", "front matter", "record"), for errors.

    Raises ``ReleaseError`` for a bad id, an empty text or a stated date that is not one.
    """
    given = given or {}
    where = where if where is not None else source
    check_release_id(release_id, where, line, id_origin)
    if not text.strip():
        raise ReleaseError(where, "no release text (the file holds only metadata or markup)",
                           line=line)

    stated_date = given.get("date")
    release_date = parse_iso_date(stated_date) if stated_date not in (None, "") else None
    if stated_date not in (None, "") and release_date is None:
        raise ReleaseError(where, f"date {stated_date!r} is not a date; write it as YYYY-MM-DD",
                           line=line)

    first = first_line_title(text)
    title = _given_text(given, "title", where, line)
    title_span = None
    if first and (title is None or first[0] == title):
        title = title or first[0]
        title_span = first[1:]
    dateline = find_dateline(text, start=title_span[1] if title_span else 0)
    sections = find_sections(text, title_span=title_span, dateline=dateline)
    place = _given_text(given, "dateline_place", where, line)
    return Release(
        id=release_id,
        text=text,
        sha256=sha256,
        source=source,
        format=format,
        title=title,
        date=release_date or (dateline.date if dateline else None),
        dateline_place=place or (dateline.place if dateline else None),
        issuer=_given_text(given, "issuer", where, line) or issuer_from_sections(sections),
        url=_given_text(given, "url", where, line),
        language=_given_text(given, "language", where, line) or "en",
        sections=sections,
    )

"""kg.releases: release files -> Release.  The tables below are the specification.

Fixtures are our own small releases in tests/data/releases/ and bad inputs in
tests/data/bad/.  The PDF fixtures are hand-written PDF bytes (``minimal_pdf``);
``python tests/test_releases.py`` writes them again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

import kg.releases as releases
from kg.errors import KgError, ReleaseError
from kg.model import Release
from kg.releases import (
    MAX_RELEASE_BYTES,
    LoadResult,
    iter_load_paths,
    known_suffixes,
    load_path,
    load_paths,
    loader_for,
    register,
)
from kg.releases.decoding import decode_text, split_front_matter
from kg.releases.md import markdown_to_text
from kg.releases.metadata import build_release, find_sections, parse_dateline

ROOT = Path(__file__).parents[1]
DATA = ROOT / "tests" / "data"
RELEASES = DATA / "releases"
BAD = DATA / "bad"
SHARED = ROOT.parent / "shared"
SEED_TXT = SHARED / "seeds" / "weiqiao-baw-2023-04-20.txt"
SEED_GOLD = SHARED / "eval" / "seed-gold.jsonl"


# -- a hand-written PDF with a text layer -----------------------------------------------

def _pdf_string(line: str) -> str:
    out = []
    for byte in line.encode("cp1252"):
        ch = chr(byte)
        if ch in "()\\":
            out.append("\\" + ch)
        elif 32 <= byte < 127:
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


def minimal_pdf(lines: list[str], *, title: str | None = None, text_layer: bool = True) -> bytes:
    """A one-page PDF: ``lines`` in Helvetica (WinAnsi), or only a grey box (no text layer)."""
    if text_layer:
        shown = " ".join(f"{_pdf_string(line)} Tj T*" if line else "T*" for line in lines)
        content = f"BT /F1 11 Tf 14 TL 72 760 Td {shown} ET"
    else:
        content = "0.5 g 72 600 200 100 re f"
    stream = content.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream) + 1, stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if title:
        objects.append(b"<< /Title %s >>" % _pdf_string(title).encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info = b" /Info %d 0 R" % len(objects) if title else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, info, xref)
    return bytes(out)


def encrypted_pdf(plain: bytes, user_password: str, owner_password: str = "owner") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
    writer.encrypt(user_password, owner_password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_LINES = [
    "Kessel Werke to build heat pump plant in Görlitz",
    "",
    "Görlitz, 02.09.2024 – Kessel Werke GmbH will build a heat pump plant",
    "in Görlitz with a capacity of 50,000 units a year.",
    "",
    "About Kessel Werke GmbH",
    "Kessel Werke GmbH makes heating systems in Saxony.",
]


def write_pdf_fixtures() -> None:
    """(Re)write the PDF fixtures: one good release, three bad ones."""
    good = minimal_pdf(PDF_LINES, title="Kessel Werke to build heat pump plant in Görlitz")
    (RELEASES / "goerlitz-heat-pump-plant.pdf").write_bytes(good)
    (BAD / "encrypted.pdf").write_bytes(encrypted_pdf(good, "secret"))
    (BAD / "scanned-no-text-layer.pdf").write_bytes(minimal_pdf([], text_layer=False))
    (BAD / "corrupt.pdf").write_bytes(good[:180] + b"\x9c\x00 truncated in transit")


# -- helpers ----------------------------------------------------------------------------

def one(path: Path, **kwargs) -> Release:
    loaded = list(load_path(path, **kwargs))
    assert len(loaded) == 1, loaded
    return loaded[0]


def only_error(path: Path, **kwargs) -> ReleaseError:
    result = load_paths([path], **kwargs)
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    return result.errors[0]


def assert_sections_well_formed(release: Release) -> None:
    """Sections are in text order, do not overlap and are stripped spans of the text."""
    end = 0
    for section in release.sections:
        assert end <= section.start < section.end <= len(release.text), section
        span = release.text[section.start:section.end]
        assert span == span.strip(), section
        end = section.end


# -- the registry -----------------------------------------------------------------------

@pytest.mark.parametrize("suffix, loader", [
    (".txt", "txt"), (".TXT", "txt"), (".md", "md"), (".markdown", "md"), (".html", "html"),
    (".htm", "html"), (".pdf", "pdf"), (".jsonl", "jsonl"),
])
def test_each_suffix_has_its_loader(suffix, loader):
    assert loader_for(Path("release" + suffix)).name == loader


def test_an_unknown_suffix_names_the_known_ones():
    with pytest.raises(ReleaseError) as err:
        loader_for(Path("minutes.docx"))
    assert str(err.value) == f"minutes.docx: no loader for .docx; known: {', '.join(known_suffixes())}"
    assert {".txt", ".md", ".html", ".pdf", ".jsonl"} <= set(known_suffixes())


@pytest.fixture
def registry(monkeypatch):
    """A scratch copy of the registry, so tests can register formats."""
    monkeypatch.setattr(releases, "_LOADERS", dict(releases._LOADERS))
    return releases


def _load_rst(source):
    text = decode_text(source.read_bytes(), source.path)
    yield Release(id=source.path.stem, text=text, sha256="0" * 64, source=str(source.path),
                  format=source.format, title=text.splitlines()[0])


def test_a_new_format_is_one_registration(registry, tmp_path):
    register(".rst")(_load_rst)
    (tmp_path / "notes.rst").write_text("Acme news\n=========\n", encoding="utf-8")
    release = one(tmp_path / "notes.rst")
    assert (release.format, release.title) == ("rst", "Acme news")


def test_a_taken_suffix_is_not_silently_replaced(registry):
    with pytest.raises(ValueError, match="already has the loader 'txt'"):
        register(".txt")(_load_rst)
    register(".txt", replace=True)(_load_rst)
    assert loader_for(Path("a.txt")).name == "txt" and loader_for(Path("a.txt")).load is _load_rst


class _EntryPoint:
    def __init__(self, name, target):
        self.name, self.value, self._target = name, f"plugin:{name}", target

    def load(self):
        if isinstance(self._target, Exception):
            raise self._target
        return self._target


def test_third_party_loaders_come_from_entry_points(registry, monkeypatch, tmp_path, caplog):
    plugins = [_EntryPoint("rst", _load_rst), _EntryPoint("broken", ImportError("no module"))]
    monkeypatch.setattr(releases, "_entry_points", lambda: plugins)
    monkeypatch.setattr(releases, "_plugins_loaded", False)
    (tmp_path / "plugin.rst").write_text("From a plug-in\n", encoding="utf-8")
    assert one(tmp_path / "plugin.rst").format == "rst"
    assert ".rst" in known_suffixes() and ".broken" not in known_suffixes()
    assert "broken" in caplog.text  # reported, and the other formats still load
    assert one(RELEASES / "ningbo-foil-line-2024-03-04.txt").format == "txt"


# -- each format, from the fixtures -----------------------------------------------------

FORMATS = [
    # file, format, id, title, date, dateline place, issuer, url
    ("ningbo-foil-line-2024-03-04.txt", "txt", "ningbo-foil-line-2024-03-04",
     "Harbor Alloys starts battery foil line in Ningbo", date(2024, 3, 4), "Ningbo",
     "Harbor Alloys Co., Ltd.", None),
    ("bremen-casting-cooperation.md", "md", "bremen-casting-2024-02-12",
     "Nordguss and Harbor Alloys agree on casting cooperation", date(2024, 2, 12), "Bremen",
     "Nordguss AG", "https://press.example.org/nordguss/2024-02-12"),
    ("lisbon-plant-opening.html", "html", "lisbon-plant-opening",
     "Tejo Motors opens plant in Lisbon", date(2024, 5, 14), "Lisbon", "Tejo Motors S.A.",
     "https://news.tejo.example/2024/plant-lisbon"),
    ("goerlitz-heat-pump-plant.pdf", "pdf", "goerlitz-heat-pump-plant",
     "Kessel Werke to build heat pump plant in Görlitz", date(2024, 9, 2), "Görlitz",
     "Kessel Werke GmbH", None),
]


@pytest.mark.parametrize("name, fmt, rid, title, day, place, issuer, url", FORMATS,
                         ids=[row[1] for row in FORMATS])
def test_each_format_loads(name, fmt, rid, title, day, place, issuer, url):
    path = RELEASES / name
    release = one(path)
    assert (release.format, release.id, release.title) == (fmt, rid, title)
    assert (release.date, release.dateline_place, release.issuer, release.url) == \
        (day, place, issuer, url)
    assert release.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert release.source == str(path)
    assert release.language == "en"
    assert [s.kind for s in release.sections][:3] == ["title", "dateline", "body"]
    assert release.sections_of("about")[0].subject == issuer
    assert_sections_well_formed(release)


def test_txt_text_is_the_file_itself():
    path = RELEASES / "ningbo-foil-line-2024-03-04.txt"
    release = one(path)
    assert release.text == path.read_text(encoding="utf-8")
    kinds = [(s.kind, s.heading) for s in release.sections]
    assert kinds[3:] == [("about", "About Harbor Alloys Co., Ltd."),
                         ("contacts", "Media contacts"),
                         ("forward-looking", "Forward-looking statements"), ("source", None)]


def test_txt_with_bom_and_crlf_keeps_offsets_on_the_clean_text(tmp_path):
    clean = (RELEASES / "ningbo-foil-line-2024-03-04.txt").read_text(encoding="utf-8")
    raw = b"\xef\xbb\xbf" + clean.replace("\n", "\r\n").encode("utf-8")
    (tmp_path / "windows.txt").write_bytes(raw)
    release = one(tmp_path / "windows.txt")
    assert release.text == clean
    assert release.sha256 == hashlib.sha256(raw).hexdigest()
    dateline = release.sections_of("dateline")[0]
    assert release.text[dateline.start:dateline.end] == \
        "NINGBO, China, March 4, 2024 /PRNewswire/ --"


def test_txt_front_matter_sets_id_and_wins_over_the_text(tmp_path):
    (tmp_path / "draft.txt").write_text(
        "---\nid: acme-2024\ndate: 2024-01-31\nissuer: Acme Group\n---\n\n"
        "Acme opens a plant\n\nLyon, 05.02.2024 – Acme opened a plant.\n", encoding="utf-8")
    release = one(tmp_path / "draft.txt")
    assert (release.id, release.date, release.issuer, release.dateline_place) == \
        ("acme-2024", date(2024, 1, 31), "Acme Group", "Lyon")
    assert release.text.startswith("Acme opens a plant\n")


def test_markdown_is_reduced_to_plain_text():
    release = one(RELEASES / "bremen-casting-cooperation.md")
    assert release.text == (
        "Nordguss and Harbor Alloys agree on casting cooperation\n\n"
        "Bremen, 12.02.2024 – Nordguss AG and Harbor Alloys will jointly develop\n"
        "die-cast parts for electric vans, as Nordguss said today.\n\n"
        "The cooperation covers:\n\n"
        "aluminium alloys from Harbor Alloys,\n"
        "casting cells at the Nordguss plant in Bremen.\n\n"
        "Casting cell\n\n"
        "About Nordguss AG\n\n"
        "Nordguss AG, founded in 1962, runs two foundries in northern Germany.\n\n"
        "Press contact: Jan Peters, presse@nordguss.example"
    )
    assert [s.kind for s in release.sections][-2:] == ["about", "contacts"]


@pytest.mark.parametrize("markdown, plain", [
    ("# Acme buys Beta #", "Acme buys Beta"),
    ("Acme buys Beta\n==============", "Acme buys Beta"),
    ("**Acme** buys *Beta* and __Gamma__, not _Delta_ ~~Epsilon~~", "Acme buys Beta and Gamma, not Delta Epsilon"),
    ("see [the filing](https://x.example/f) and ![logo](logo.png)", "see the filing and logo"),
    ("per [the filing][1]\n\n[1]: https://x.example/f", "per the filing"),
    ("mail <https://acme.example> now", "mail https://acme.example now"),
    ("> quoted **text**", "quoted text"),
    ("- first\n* second\n+ third\n1. fourth", "first\nsecond\nthird\n1. fourth"),
    ("```\nraw *code*\n```", "raw *code*"),
    ("snake_case_name stays, 2 * 3 * 4 stays", "snake_case_name stays, 2 * 3 * 4 stays"),
    ("AT&amp;T <b>bold</b> \\*literal\\*", "AT&T bold *literal*"),
    ("| Plant | Capacity |\n|---|---|\n| Bremen | 10,000 t |", "Plant | Capacity\nBremen | 10,000 t"),
    ("one\n\n\n\ntwo\n\n---\n\nthree", "one\n\ntwo\n\nthree"),
])
def test_markdown_markup_table(markdown, plain):
    assert markdown_to_text(markdown) == plain


def test_html_keeps_the_article_and_drops_the_page_chrome():
    release = one(RELEASES / "lisbon-plant-opening.html")
    assert release.text.split("\n\n") == [
        "Tejo Motors opens plant in Lisbon",
        "Lisbon, 14 May 2024 – Tejo Motors S.A. has opened an electric scooter plant in Lisbon "
        "with an annual capacity of 80,000 scooters.",
        "The plant is owned by Tejo Motors S.A. and operated by its subsidiary\nTejo Fabrica Lda.",
        "Opening: May 2024",
        "Staff: 400",
        "About Tejo Motors S.A.",
        "Tejo Motors S.A. builds electric scooters and is listed on Euronext Lisbon.",
    ]


def test_html_without_article_uses_the_body_and_its_declared_charset(tmp_path):
    # labelled Latin-1, written as Windows-1252 ("–" and "’"): read as browsers do
    page = ("<html><head><meta charset='iso-8859-1'><title>Météo Énergie wins order</title>"
            "</head><body><header>Site menu</header><p>Nantes, 3 June 2024 – Météo Énergie’s "
            "unit won an order.</p><footer>Legal</footer></body></html>")
    (tmp_path / "order.htm").write_bytes(page.encode("cp1252"))
    release = one(tmp_path / "order.htm")
    assert release.text == "Nantes, 3 June 2024 – Météo Énergie’s unit won an order."
    assert (release.title, release.dateline_place, release.date) == \
        ("Météo Énergie wins order", "Nantes", date(2024, 6, 3))


def test_pdf_text_layer():
    release = one(RELEASES / "goerlitz-heat-pump-plant.pdf")
    for line in PDF_LINES:
        assert line in release.text
    assert release.text.startswith(PDF_LINES[0])


def test_pdf_encrypted_only_against_changes_still_loads(tmp_path):
    plain = minimal_pdf(PDF_LINES)
    (tmp_path / "owner-only.pdf").write_bytes(encrypted_pdf(plain, user_password=""))
    release = one(tmp_path / "owner-only.pdf")
    assert release.title == PDF_LINES[0]
    assert release.dateline_place == "Görlitz"


def test_jsonl_records_keep_their_text_exactly():
    path = RELEASES / "batch.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    loaded = list(load_path(path))
    assert [r.id for r in loaded] == [rec["id"] for rec in records]
    for line, (release, record) in enumerate(zip(loaded, records, strict=True), start=1):
        assert release.text == record["text"]  # "\r\n" inside a record stays
        assert release.sha256 == hashlib.sha256(record["text"].encode("utf-8")).hexdigest()
        assert release.source == f"{path}:{line}"
        assert release.format == "jsonl"
        assert_sections_well_formed(release)
    first, second = loaded
    assert (first.title, first.date, first.dateline_place, first.url) == (
        "Kestrel Holdings buys 25% of Vale Batteries", date(2024, 6, 3), "Oslo",
        "https://wire.example.net/kestrel")
    assert (second.date, second.dateline_place, second.issuer) == \
        (date(2024, 7, 1), "Perth", "Corvid Metals Ltd")


def test_the_fixture_directory_loads_without_errors():
    result = load_paths([RELEASES])
    assert result.errors == []
    assert len(result.releases) == 6  # 4 single-release files + 2 records of batch.jsonl


# -- encodings --------------------------------------------------------------------------

@pytest.mark.parametrize("raw, text", [
    ("Café Ünion news".encode(), "Café Ünion news"),
    (b"\xef\xbb\xbfBOM dropped\r\nline two\rline three", "BOM dropped\nline two\nline three"),
    ("Düsseldorf – Nordguss’ news".encode("cp1252"), "Düsseldorf – Nordguss’ news"),
    ("UTF-16 with its mark: Görlitz".encode("utf-16"), "UTF-16 with its mark: Görlitz"),
], ids=["utf8", "bom-crlf", "cp1252", "utf16"])
def test_decoding(raw, text):
    assert decode_text(raw, "r.txt") == text


@pytest.mark.parametrize("raw, problem", [
    (b"", "r.txt: empty file"),
    (b" \n\t\n", "r.txt: empty file"),
    ("\xa0\u2003\n".encode(), "r.txt: empty file"),
    (b"PK\x03\x04\x00\x00binary", "r.txt: binary file (NUL byte at offset 4)"),
    ("Café ".encode() + b"and D\xfcsseldorf", "r.txt:1: mixed encoding: byte 0xFC at byte offset 11"),
    (b"line one\nline \x81\x8d\x8f\x90", "r.txt:2: not UTF-8 or Windows-1252 text: byte 0x81"),
    (b"\xef\xbb\xbfBOM then \xe9", "r.txt:1: mixed encoding: byte 0xE9 at byte offset 12"),
    (bytes(range(0xA0, 0x100)) * 4, "r.txt:1: not UTF-8 text (byte 0xA0 at byte offset 0) and not readable as Windows-1252"),
], ids=["empty", "whitespace", "unicode-spaces", "nul", "mixed", "undefined-cp1252", "bom-mixed", "not-text"])
def test_decoding_errors(raw, problem):
    with pytest.raises(ReleaseError) as err:
        decode_text(raw, "r.txt")
    assert str(err.value).startswith(problem)


@pytest.mark.parametrize("text, problem", [
    ("---\nid: a\ntitle: Acme: results\n---\nbody", "f.md:3: invalid YAML front matter: mapping values are not allowed here"),
    ("---\ntitle: [unclosed\n---\nbody", "f.md:3: invalid YAML front matter"),
    ("---\ntitle: a\n  bad: indent\n---\nbody", "f.md:3: invalid YAML front matter"),
    ("---\n- a\n- b\n---\nbody", "f.md:2: front matter is not a mapping of keys to values (it is a list)"),
    ("---\ntitle: never closed\nbody", "f.md:1: front matter opened with '---' is never closed"),
])
def test_front_matter_errors_name_the_line(text, problem):
    with pytest.raises(ReleaseError) as err:
        split_front_matter(text, "f.md")
    assert str(err.value).startswith(problem)


def test_front_matter_split():
    assert split_front_matter("---\nid: x\n---\n\n\nTitle\n", "f.md") == ({"id": "x"}, "Title\n")
    assert split_front_matter("---\n---\nTitle", "f.md") == ({}, "Title")
    assert split_front_matter("No front matter\n---\n", "f.md") == ({}, "No front matter\n---\n")


# -- datelines --------------------------------------------------------------------------

DATELINES = [
    # line, place, date
    ("Düsseldorf, 20.04.2023", "Düsseldorf", date(2023, 4, 20)),
    ("BEIJING, April 20, 2023 /PRNewswire/ --", "Beijing", date(2023, 4, 20)),
    ("SHANGHAI, China, Jan. 5, 2024", "Shanghai", date(2024, 1, 5)),
    ("Qingdao, 2023-08-30", "Qingdao", date(2023, 8, 30)),
    ("20 April 2023", None, date(2023, 4, 20)),
    ("April 20, 2023", None, date(2023, 4, 20)),
    ("20th of April 2023", None, date(2023, 4, 20)),
    ("Sept. 28, 2020", None, date(2020, 9, 28)),
    ("Hong Kong, 9 October 2023 — The board said", "Hong Kong", date(2023, 10, 9)),
    ("Zouping, Shandong Province, 12 April 2023 — Weiqiao", "Zouping", date(2023, 4, 12)),
    ("VANCOUVER, BC, Feb. 11,\xa02025 /PRNewswire/ - Acme", "Vancouver", date(2025, 2, 11)),
    ("HOUSTON, Feb. 13, 2025 (GLOBE NEWSWIRE) — Acme", "Houston", date(2025, 2, 13)),
    ("Frankfurt am Main, 3. März 2024", "Frankfurt am Main", date(2024, 3, 3)),
    ("Lyon, 05.02.24 – Acme", "Lyon", date(2024, 2, 5)),
    # slashes: month-first only behind a US newswire marker ...
    ("NEW YORK, 04/05/2024 /PRNewswire/ -- Acme", "New York", date(2024, 4, 5)),
    ("London, 03/04/2023 (Business Wire) --", "London", date(2023, 3, 4)),
    ("Austin, 05/06/2024 /GLOBE NEWSWIRE/ --", "Austin", date(2024, 5, 6)),
    # ... day-first when the first number is over 12, month-first when only the second is ...
    ("Lyon, 25/05/2024", "Lyon", date(2024, 5, 25)),
    ("Lyon, 05/25/2024", "Lyon", date(2024, 5, 25)),
    # ... and day-first when ambiguous (the documented rule)
    ("Lyon, 04/05/2024", "Lyon", date(2024, 5, 4)),
    # a place without a date
    ("SEOUL, June 2 (Yonhap) -- POSCO said", "Seoul", None),
    ("BEIJING - The share price rose", "Beijing", None),
    ("Düsseldorf, 31.02.2023", "Düsseldorf", None),
    ("NYC, June 3, 2024 --", "NYC", date(2024, 6, 3)),
    # Business Wire puts the wire between the place and the date
    ("AUSTIN, Texas--(BUSINESS WIRE)--Feb. 3, 2025--Norvale Robotics Inc. today", "Austin",
     date(2025, 2, 3)),
    ("MUNICH--(BUSINESS WIRE)--04/05/2024-- Acme AG", "Munich", date(2024, 4, 5)),
]


@pytest.mark.parametrize("line, place, day", DATELINES, ids=[row[0][:30] for row in DATELINES])
def test_datelines(line, place, day):
    dateline = parse_dateline(line)
    assert dateline is not None
    assert (dateline.place, dateline.date) == (place, day)
    assert dateline.start == 0
    # the dateline ends at white space, or at its closing dash ("...2025--Acme")
    assert line[dateline.end:].strip() == "" or line[dateline.end] in " \xa0" \
        or line[dateline.end - 1] in "-—–"


@pytest.mark.parametrize("line", [
    "Acme buys Beta",
    "On April 20, 2023 - the board met",
    "April 20, 2023 was a good day",
    "Founded in 1951, the company moved in 2020.",
    "In 2023 the plant produced 20.04 tonnes",
    "About Acme Corp",
])
def test_not_datelines(line):
    assert parse_dateline(line) is None


# -- sections ---------------------------------------------------------------------------

SECTIONS = [
    # text, [(kind, subject)] after title/dateline/body
    ("Acme news\n\nBody.\n\nAbout Acme Corp.\n\nAcme makes things.",
     [("about", "Acme Corp.")]),
    ("Acme news\n\nBody.\n\nAbout Acme GmbH:\nAcme makes things.\n\nABOUT BETA LTD\nBeta too.",
     [("about", "Acme GmbH"), ("about", "BETA LTD")]),
    ("Acme news\n\nBody.\n\nAbout Acme: Acme makes things.\n\nMedia contact(s):\nJane Roe",
     [("about", "Acme"), ("contacts", None)]),
    ("Acme news\n\nBody.\n\nContacts:\nJane Roe\n\nSource: Acme Corp\n\nSafe Harbor Statement\n"
     "Risks apply.", [("contacts", None), ("source", None), ("forward-looking", None)]),
    ("Acme news\n\nBody.\n\nPress contact\nJane Roe\n\nCautionary Statement Regarding "
     "Forward-Looking Statements\nRisks.", [("contacts", None), ("forward-looking", None)]),
    ("Acme news\n\nAbout 500 people work at the plant.\n\nContact us at the fair.\n\n"
     "Forward-looking statements in this release are hedged.", []),
    ("Acme news\n\nBody.\n\n###\n\nAbout Acme\nAcme makes things.\n\n-30-\n\nPage footer",
     [("about", "Acme")]),
]


@pytest.mark.parametrize("text, expected", SECTIONS, ids=range(len(SECTIONS)))
def test_sections(text, expected):
    sections = find_sections(text, title_span=(0, 9))
    kinds = [(s.kind, s.subject) for s in sections]
    assert kinds[:2] == [("title", None), ("body", None)]
    assert kinds[2:] == expected
    release = Release(id="x", text=text, sha256="", source="", format="txt", sections=sections)
    assert_sections_well_formed(release)


def test_sections_end_at_end_markers_and_the_body_stops_at_boilerplate():
    text = SECTIONS[-1][0]
    sections = find_sections(text, title_span=(0, 9))
    body, about = sections[1], sections[2]
    assert text[body.start:body.end] == "Body."
    assert text[about.start:about.end] == "About Acme\nAcme makes things."
    assert about.heading == "About Acme"


RELEASE_PIECES = st.sampled_from([
    "Acme news", "About Acme Corp.", "About Acme:", "ABOUT BETA", "Media contact(s):",
    "Contacts:", "Source: Acme", "SOURCE Acme", "Forward-looking statements", "###", "-30-",
    "BEIJING, April 20, 2023 /PRNewswire/ --", "Düsseldorf, 20.04.2023", "SEOUL, June 2 (Yonhap) --",
    "04/05/2024", "By Jane Roe", " ", "\n", "\n\n", "\xa0", "Acme sold 20% of Beta.", ":", "-",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(RELEASE_PIECES, st.text(max_size=30)), max_size=25))
def test_any_text_gives_well_formed_sections_or_one_release_error(pieces):
    text = " ".join(pieces)
    try:
        release = build_release(text, release_id="r", sha256="", source="r.txt", format="txt")
    except ReleaseError as err:
        assert "\n" not in str(err) and not text.strip()
        return
    assert release.text == text
    assert_sections_well_formed(release)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_to_text_or_one_release_error(raw):
    try:
        text = decode_text(raw, "r.txt")
    except ReleaseError as err:
        assert str(err).startswith("r.txt") and "\n" not in str(err)
        return
    assert "\r" not in text and text.strip()


# -- bad inputs -------------------------------------------------------------------------

BAD_INPUTS = {
    # file in tests/data/bad/ -> the problem its one error names
    "empty.txt": "empty file (0 bytes)",
    "whitespace-only.txt": "empty file (no text)",
    "binary.txt": "binary file (NUL byte at offset",
    "mixed-encoding.txt": ":4: mixed encoding: byte 0xE9 at byte offset",
    "not-text.txt": "not UTF-8 or Windows-1252 text",
    "invalid-yaml.md": ":3: invalid YAML front matter",
    "list-front-matter.md": ":2: front matter is not a mapping",
    "only-front-matter.md": "no release text",
    "bad-id.md": "bad release id 'Acme results 2024!' (from the front matter)",
    "bad date.txt": "bad release id 'bad date' (from the file name)",
    "bad-front-matter-date.md": "date 'next Tuesday' is not a date; write it as YYYY-MM-DD",
    "corrupt.pdf": "corrupt PDF",
    "encrypted.pdf": "encrypted PDF: it needs a password",
    "scanned-no-text-layer.pdf": "PDF has no text layer",
    "not-a-pdf.pdf": "corrupt PDF: no %PDF- header",
    "scripts-only.html": "no text in the page",
    "minutes.docx": "no loader for .docx; known: .htm",
    "broken-line.jsonl": ":2: not JSON: Expecting ',' delimiter",
    "record-without-text.jsonl": ":1: record has no 'text' field",
    "record-bad-id.jsonl": ":1: bad release id 'two words' (from the record)",
    "binary.jsonl": "binary file (NUL byte at offset",
}


def test_every_bad_fixture_has_an_expected_problem():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(BAD_INPUTS)


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_each_bad_input_is_one_error_line_naming_the_file(name):
    error = only_error(BAD / name)
    message = str(error)
    assert message.startswith(str(BAD / name) + ":")
    assert BAD_INPUTS[name] in message
    assert "\n" not in message
    assert "loader failed" not in message  # a known problem, not a caught crash
    assert isinstance(error, KgError)


def test_a_batch_of_good_and_bad_files_loads_all_the_good_ones(tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(RELEASES, batch / "good")
    shutil.copytree(BAD, batch / "bad")
    result = load_paths([batch])
    good = load_paths([RELEASES]).releases
    broken_line_records = 2  # broken-line.jsonl: lines 1 and 3 load
    assert len(result.releases) == len(good) + broken_line_records
    assert {r.id for r in good} <= {r.id for r in result.releases}
    assert len(result.errors) == len(BAD_INPUTS)
    assert sorted(e.path for e in result.errors) == sorted(str(batch / "bad" / n) for n in BAD_INPUTS)


def test_a_broken_jsonl_line_does_not_stop_the_others():
    errors: list[ReleaseError] = []
    loaded = list(load_path(BAD / "broken-line.jsonl", errors=errors))
    assert [r.id for r in loaded] == ["line-one", "line-three"]
    assert [r.source for r in loaded] == [f"{BAD / 'broken-line.jsonl'}:{n}" for n in (1, 3)]
    assert [e.line for e in errors] == [2]


def test_load_path_raises_the_first_error():
    with pytest.raises(ReleaseError, match="not JSON"):
        list(load_path(BAD / "broken-line.jsonl"))


def test_a_huge_file_is_rejected_from_its_size_without_reading_it(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: nothing is written
    started = time.perf_counter()
    error = only_error(huge)
    assert time.perf_counter() - started < 0.5
    assert str(error) == (f"{huge}: file is 50.0 MB, over the 20.0 MB limit for one release "
                          "(raise max_bytes to load it)")


def test_the_size_limit_is_a_parameter_and_a_module_constant(tmp_path, monkeypatch):
    path = RELEASES / "ningbo-foil-line-2024-03-04.txt"
    size = path.stat().st_size
    assert MAX_RELEASE_BYTES == 20 * 1024 * 1024
    assert "over the" in str(only_error(path, max_bytes=size - 1))
    assert one(path, max_bytes=size).id == "ningbo-foil-line-2024-03-04"
    monkeypatch.setattr(releases, "MAX_RELEASE_BYTES", size - 1)
    assert "over the" in str(only_error(path))


def test_a_jsonl_record_over_the_limit_is_one_error(tmp_path):
    batch = tmp_path / "big.jsonl"
    small = json.dumps({"id": "small", "text": "Short release."})
    large = json.dumps({"id": "large", "text": "x" * 5000})
    batch.write_text(f"{large}\n{small}\n", encoding="utf-8")
    errors: list[ReleaseError] = []
    assert [r.id for r in load_path(batch, errors=errors, max_bytes=1000)] == ["small"]
    assert [(e.line, "over the 1000 byte limit" in e.problem) for e in errors] == [(1, True)]


def test_a_missing_directory_is_one_error(tmp_path):
    missing = tmp_path / "no-such-dir"
    assert str(only_error(missing)) == f"{missing}: no such file or directory"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="running as root: file permissions are not enforced")
def test_an_unreadable_file_is_one_error(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text("Acme news\n", encoding="utf-8")
    locked.chmod(0)
    try:
        assert str(only_error(locked)) == f"{locked}: cannot read the file: permission denied"
    finally:
        locked.chmod(0o644)


def test_a_read_failure_is_one_error(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("Acme news\n", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(releases, "open", refuse, raising=False)
    assert str(only_error(path)) == f"{path}: cannot read the file: permission denied"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_is_one_error_and_never_opened(tmp_path):
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)  # opening it would block until a writer comes
    assert str(only_error(pipe)) == f"{pipe}: not a regular file"


# -- walking directories ----------------------------------------------------------------

def _tree(root: Path) -> None:
    for rel in ("b/second.txt", "a.txt", "c/d/deep.md", ".hidden.txt", ".git/HEAD.txt",
                "b/.cache/skip.txt", "z.txt"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Release {path.stem}\n\nBody of {path.stem}.\n", encoding="utf-8")


def test_directories_are_walked_in_sorted_order_without_hidden_files(tmp_path):
    _tree(tmp_path)
    assert [r.id for r in load_paths([tmp_path]).releases] == ["a", "second", "deep", "z"]
    assert [r.id for r in load_paths([tmp_path], recursive=False).releases] == ["a", "z"]
    assert [r.id for r in load_paths(tmp_path / ".hidden.txt").releases] == [".hidden"]


def test_unknown_suffixes_in_a_directory_are_reported_or_skipped(tmp_path):
    _tree(tmp_path)
    (tmp_path / "notes.docx").write_bytes(b"PK")
    assert [e.path for e in load_paths([tmp_path]).errors] == [str(tmp_path / "notes.docx")]
    assert load_paths([tmp_path], skip_unknown=True).errors == []


def test_a_release_id_used_twice_is_reported(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    for folder in ("one", "two"):
        (tmp_path / folder / "acme.txt").write_text("Acme news\n", encoding="utf-8")
    result = load_paths([tmp_path])
    assert [r.source for r in result.releases] == [str(tmp_path / "one" / "acme.txt")]
    assert [str(e) for e in result.errors] == [
        f"{tmp_path / 'two' / 'acme.txt'}: release id 'acme' is also used by "
        f"{tmp_path / 'one' / 'acme.txt'}; set a distinct `id`"]


def test_streaming_gives_the_same_items_in_the_same_order():
    stream = iter_load_paths([RELEASES, BAD])
    assert iter(stream) is stream  # a generator: nothing is held
    items = list(stream)
    result = load_paths([RELEASES, BAD])
    assert isinstance(result, LoadResult)
    assert [i for i in items if isinstance(i, Release)] == result.releases
    assert [str(i) for i in items if isinstance(i, ReleaseError)] == [str(e) for e in result.errors]
    releases_, errors = result  # the contract's (releases, errors) pair
    assert releases_ is result.releases and errors is result.errors


def test_a_thousand_releases_load_in_well_under_two_seconds(tmp_path):
    paragraph = ("Harbor Alloys Co., Ltd. will expand its rolling plant in Ningbo, Zhejiang "
                 "Province, to 90,000 tonnes of battery foil a year by 2026. ") * 4
    for n in range(1000):
        body = "\n\n".join([f"Harbor Alloys news {n}", "NINGBO, China, March 4, 2024 "
                            "/PRNewswire/ -- " + paragraph, paragraph, paragraph, paragraph,
                            "About Harbor Alloys Co., Ltd.", paragraph, "Media contact:\nMei Lin"])
        (tmp_path / f"release-{n:04d}.txt").write_text(body, encoding="utf-8")
    assert 2500 < (tmp_path / "release-0000.txt").stat().st_size < 3500
    started = time.perf_counter()
    result = load_paths([tmp_path])
    elapsed = time.perf_counter() - started
    assert len(result.releases) == 1000 and not result.errors
    assert all(r.dateline_place == "Ningbo" for r in result.releases)
    assert elapsed < 2.0, f"{elapsed:.2f} s for 1,000 releases"


# -- the seed release -------------------------------------------------------------------

@pytest.mark.skipif(not SEED_GOLD.exists(), reason="../shared/eval/seed-gold.jsonl is absent")
def test_seed_gold_record_loads_with_its_text_unchanged():
    record = json.loads(SEED_GOLD.read_text(encoding="utf-8").splitlines()[0])
    release = next(r for r in load_path(SEED_GOLD) if r.id == "seed-weiqiao-baw")
    assert release.text == record["text"]
    assert (release.date, release.dateline_place, release.issuer) == \
        (date(2023, 4, 20), "Düsseldorf", "WEIQIAO Germany GmbH")


@pytest.mark.skipif(not SEED_TXT.exists(), reason="../shared/seeds/ release is absent")
def test_seed_release_metadata_and_sections():
    release = one(SEED_TXT)
    assert release.id == "weiqiao-baw-2023-04-20"
    assert release.dateline_place == "Düsseldorf"
    assert release.date == date(2023, 4, 20)
    assert release.title == "New cooperation with the automotive industry"
    about = release.sections_of("about")
    assert [s.subject for s in about] == ["WEIQIAO Germany GmbH"]
    assert release.issuer == "WEIQIAO Germany GmbH"
    assert release.text[about[0].end - 1] == "."  # the About section runs to the end
    assert [s.kind for s in release.sections] == ["title", "dateline", "body", "about"]
    assert_sections_well_formed(release)
    if SEED_GOLD.exists():
        gold = json.loads(SEED_GOLD.read_text(encoding="utf-8").splitlines()[0])
        assert release.text == gold["text"]


if __name__ == "__main__":
    write_pdf_fixtures()


# --- deeply nested HTML: linear, no recursion, one line when too deep -------------------------

def _nested_page(depth: int, inner: str, closed: bool = True) -> str:
    return ("<html><head><title>Deep page</title></head><body>" + "<div>" * depth + inner
            + ("</div>" * depth if closed else "") + "</body></html>")


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "unclosed"])
def test_html_of_50000_nested_divs_loads_quickly(tmp_path, closed):
    page = tmp_path / "deep.html"
    inner = ("<p>Lisbon, 14 May 2024 - Tejo Motors S.A. opened a plant in Lisbon.</p>"
             "<footer>Legal notice</footer><script>var x = 1;</script>")
    page.write_text(_nested_page(50_000, inner, closed), encoding="utf-8")
    started = time.monotonic()
    release = one(page)
    assert time.monotonic() - started < 5
    assert release.text == "Lisbon, 14 May 2024 - Tejo Motors S.A. opened a plant in Lisbon."


def test_deep_html_keeps_an_article_header_and_drops_the_page_footer(tmp_path):
    page = tmp_path / "deep-article.html"
    inner = ("<article>" + "<section>" * 3000 + "<header><h1>Tejo opens plant</h1></header>"
             "<p>Tejo Motors S.A. opened a plant.</p><nav>Menu</nav>" + "</section>" * 3000
             + "</article>")
    page.write_text("<html><body>" + "<div>" * 3000 + "<footer>Imprint</footer>" + inner
                    + "</div>" * 3000 + "</body></html>", encoding="utf-8")
    assert one(page).text == "Tejo opens plant\n\nTejo Motors S.A. opened a plant."


def test_html_nested_too_deep_is_one_clear_line(tmp_path):
    from kg.releases.html import MAX_DEPTH

    page = tmp_path / "too-deep.html"
    page.write_text(_nested_page(MAX_DEPTH + 50_000, "Acme opened a plant."), encoding="utf-8")
    started = time.monotonic()
    error = only_error(page)
    assert time.monotonic() - started < 2
    assert str(error) == (f"{page}: elements nested over {MAX_DEPTH:,} levels deep; not read "
                          "(a page a person wrote nests far less)")


def test_many_unclosed_paragraphs_are_not_taken_for_nesting(tmp_path):
    from kg.releases.html import MAX_DEPTH, nesting_depth

    page = tmp_path / "flat.html"
    markup = "<html><body><ul>" + "<li><p>Item" * (MAX_DEPTH + 10) + "</ul></body></html>"
    page.write_text(markup, encoding="utf-8")
    assert nesting_depth(markup) == 3
    assert one(page).text.startswith("Item\n\nItem")


def test_a_loader_crash_is_one_line_without_a_logged_traceback(tmp_path, monkeypatch, caplog):
    def crash(source):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setitem(releases._LOADERS, ".html",
                        releases.LoaderSpec("html", (".html",), crash))
    page = tmp_path / "any.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    with caplog.at_level("WARNING"):
        error = only_error(page)
    assert str(error) == (f"{page}: the html loader failed: RecursionError: "
                          "maximum recursion depth exceeded")
    assert not [r for r in caplog.records if r.exc_info]


def test_a_symlink_to_a_file_outside_the_folder_is_not_followed(tmp_path, caplog):
    folder = tmp_path / "releases"
    folder.mkdir()
    text = "Acme opens plant\n\nBerlin, 2 March 2024 - Acme AG opened a plant in Berlin.\n"
    (folder / "good.txt").write_text(text, encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("Private notes of Acme AG about a plant.\n", encoding="utf-8")
    (folder / "leak.txt").symlink_to(secret)
    (folder / "alias.txt").symlink_to(folder / "good.txt")  # inside the folder: followed
    with caplog.at_level("WARNING"):
        result = load_paths([folder])
    assert sorted(r.id for r in result.releases) == ["alias", "good"]
    assert not result.errors
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [f"{folder / 'leak.txt'}: skipped, a symbolic link to {secret} "
                        f"outside {folder} (not followed)"]


def test_pdf_lines_wrapped_inside_sentences_are_joined(tmp_path):
    import textwrap

    from kg.extract import extract_facts

    source = ROOT / "data" / "releases" / "weiqiao-baw-stake-2023-04-12.txt"
    text = source.read_text(encoding="utf-8")
    lines = []
    for paragraph in text.split("\n\n"):
        lines += textwrap.wrap(paragraph, 76) + [""]
    pdf = tmp_path / "weiqiao-baw-stake-2023-04-12.pdf"
    pdf.write_bytes(minimal_pdf(lines))
    release = one(pdf)
    sentence = ("Shandong Weiqiao Pioneering Group Co., Ltd. intends to become a shareholder of "
                "Beijing Automobile Works Co., Ltd. (BAW), the carmaker based in Qingdao.")
    assert sentence in release.text  # one line again, as in the text file

    def facts(r):
        return {(f.subject, f.relation, f.object or f.value)
                for f in extract_facts(r, extractor="rules")}

    from_text = facts(one(source))
    assert from_text and facts(release) == from_text


@pytest.mark.parametrize("wrapped, joined", [
    ("A short title\nThe first line of a long paragraph that goes\non here.",
     "A short title\nThe first line of a long paragraph that goes on here."),
    ("Products of the group include the following ones:\n- aluminium foil\n- textiles",
     "Products of the group include the following ones:\n- aluminium foil\n- textiles"),
    ("The new-energy vehicle industrial base is a new-\nenergy project in Qingdao.\nEnd.",
     "The new-energy vehicle industrial base is a new-energy project in Qingdao.\nEnd."),
    ("One line only", "One line only"),
])
def test_join_wrapped_lines(wrapped, joined):
    from kg.releases.pdf import join_wrapped_lines

    assert join_wrapped_lines(wrapped) == joined

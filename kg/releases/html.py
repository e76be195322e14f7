"""HTML releases (``.html``, ``.htm``): the main text of the page.

``Release.text`` is the text of the page's ``<article>`` (else ``<main>``, else an
element with ``role="main"``, else ``<body>``), without scripts, styles, navigation,
asides, forms, page headers and footers (those of an ``<article>`` are kept: they
hold its title and contacts), hidden elements and cookie or consent banners.  Each
block element (paragraph, heading, list item, table row, ...) becomes one paragraph;
paragraphs are separated by a blank line, ``<br>`` by a line break, and runs of
white space inside a paragraph by one space (non-breaking spaces are kept).

The page is walked without recursion and pruned in one pass, so the time is linear in
its size whatever its depth; a page nested over ``MAX_DEPTH`` levels (read from its tags
before parsing) is refused with one line.

Metadata from the page: title from ``og:title``, else ``<title>``; date from
``article:published_time`` (and similar meta tags, or the first ``<time datetime>``);
url from ``<link rel="canonical">`` or ``og:url``; language from ``<html lang>``.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction, Tag

from kg.errors import ReleaseError
from kg.model import Release
from kg.releases import SourceFile, register
from kg.releases.decoding import decode_text
from kg.releases.metadata import build_release, parse_iso_date

DROPPED = ("script", "style", "noscript", "template", "nav", "aside", "form", "button",
           "iframe", "svg", "canvas", "select", "input", "textarea", "dialog", "object")
BLOCKS = frozenset((
    "p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4",
    "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr",
    "blockquote", "pre", "figure", "figcaption", "address", "hr", "caption", "body", "html",
))
CELLS = frozenset(("td", "th"))
_CHROME = re.compile(r"cookie|consent|gdpr|onetrust|cmp-banner|privacy-banner", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
DATE_META = ("article:published_time", "og:published_time", "datepublished", "date",
             "dc.date", "dc.date.issued", "dcterms.date", "publish-date", "pubdate")
SKIPPED = (Comment, Doctype, ProcessingInstruction)
MAX_DEPTH = 100_000  # elements nested deeper than this: not a page a person wrote
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*?(/?)>")
# Elements without content, and elements whose end tag may be left out (the next one
# closes them): neither adds a level in a count that only reads tags.
_FLAT = frozenset((
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
    "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp",
))
# Browsers read pages labelled Latin-1 or ASCII as Windows-1252 (WHATWG Encoding).
_WHATWG_ALIASES = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}


def _decode(data: bytes, source: SourceFile) -> str:
    """The page's text: its declared charset if not UTF-8, else the common rules."""
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            codec = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            codec = "utf-8"
        codec = _WHATWG_ALIASES.get(codec, codec)
        if codec not in ("utf-8", "utf-8-sig"):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ReleaseError(source.path, f"the page declares charset {codec} but byte "
                                                f"offset {exc.start} is not {codec}") from None
    return decode_text(data, source.path)


def nesting_depth(text: str, limit: int = MAX_DEPTH) -> int:
    """How deep the page's elements nest, read from its tags in one linear pass
    (counting stops once past ``limit``)."""
    depth = deepest = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.groups()
        if name.lower() in _FLAT or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest


def _is_chrome(tag: Tag) -> bool:
    if tag.attrs is None:
        return False
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(tag.get("style") or ""):
        return True
    marks = " ".join([tag.get("id") or "", *(tag.get("class") or []), tag.get("aria-label") or ""])
    return bool(_CHROME.search(marks))


def _main_container(soup: BeautifulSoup) -> Tag:
    for finder in (lambda: soup.find("article"), lambda: soup.find("main"),
                   lambda: soup.find(attrs={"role": "main"}), lambda: soup.body):
        found = finder()
        if isinstance(found, Tag):
            return found
    return soup


def _prune(container: Tag) -> None:
    """Drop scripts, navigation, chrome, and headers and footers outside an article.

    One pass over the tree with an explicit stack (no recursion, linear in the number
    of elements), then the dropped subtrees are removed.
    """
    dropped: list[Tag] = []
    stack: list[tuple[Tag, bool]] = [(container, container.name == "article"
                                      or container.find_parent("article") is not None)]
    while stack:
        tag, in_article = stack.pop()
        for child in tag.contents:
            if not isinstance(child, Tag):
                continue
            if child.name in DROPPED or (child.name in ("header", "footer") and not in_article) \
                    or _is_chrome(child):
                dropped.append(child)  # its subtree goes with it: not visited
            else:
                stack.append((child, in_article or child.name == "article"))
    for tag in dropped:
        tag.decompose()


def page_text(container: Tag) -> str:
    """The text of ``container``: one paragraph per block element, blank lines between.

    The tree is walked with an explicit stack, so any depth of nesting is fine.
    """
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = "".join(current)
        lines = [_SPACE.sub(" ", part).strip() for part in text.split("\x00")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            paragraphs.append(joined)
        current.clear()

    _FLUSH = object()  # a marker on the stack: end of a block element
    stack: list = list(reversed(container.contents))
    while stack:
        child = stack.pop()
        if child is _FLUSH:
            flush()
        elif isinstance(child, SKIPPED):
            continue
        elif isinstance(child, NavigableString):
            current.append(str(child))
        elif isinstance(child, Tag):
            if child.name == "br":
                current.append("\x00")
            elif child.name == "pre":
                flush()
                pre = child.get_text().strip("\n")
                if pre.strip():
                    paragraphs.append(pre)
            elif child.name in BLOCKS:
                flush()
                stack.append(_FLUSH)
                stack.extend(reversed(child.contents))
            else:
                if child.name in CELLS and current and "".join(current).strip():
                    current.append(" | ")
                stack.extend(reversed(child.contents))
    flush()
    return "\n\n".join(paragraphs)


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    wanted = {n.lower() for n in names}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        if key in wanted and (tag.get("content") or "").strip():
            return tag["content"].strip()
    return None


def page_metadata(soup: BeautifulSoup) -> dict:
    """Title, date, url and language the page states in its markup."""
    title = _meta(soup, "og:title", "twitter:title")
    if not title and soup.title and soup.title.string:
        title = _SPACE.sub(" ", soup.title.string).strip()
    published = parse_iso_date(_meta(soup, *DATE_META))
    if published is None:
        time = soup.find("time", attrs={"datetime": True})
        published = parse_iso_date(time["datetime"]) if time else None
    canonical = soup.find("link", rel="canonical", href=True)
    url = canonical["href"] if canonical else _meta(soup, "og:url")
    lang = soup.html.get("lang") if soup.html else None
    return {
        "title": title or None,
        "date": published,
        "url": url,
        "language": lang.split("-")[0].lower() if lang else None,
    }


@register(".html", ".htm", ".xhtml")
def load_html(source: SourceFile) -> Iterator[Release]:
    """The one release of an HTML page."""
    data = source.read_bytes()
    markup = _decode(data, source)
    if nesting_depth(markup) > MAX_DEPTH:
        raise ReleaseError(source.path, f"elements nested over {MAX_DEPTH:,} levels deep; "
                                        "not read (a page a person wrote nests far less)")
    soup = BeautifulSoup(markup, "lxml")
    given = page_metadata(soup)
    container = _main_container(soup)
    _prune(container)
    text = page_text(container)
    heading = container.find("h1")
    if heading and given["title"]:
        words = _SPACE.sub(" ", heading.get_text()).strip()
        if words and words in given["title"]:
            given["title"] = words  # "<title>Acme buys Beta | Newsroom" -> the article's h1
    if not text.strip():
        raise ReleaseError(source.path, "no text in the page (only scripts, navigation or markup)")
    yield build_release(
        text,
        release_id=source.path.stem,
        sha256=hashlib.sha256(data).hexdigest(),
        source=str(source.path),
        format=source.format,
        given=given,
        id_origin="file name",
    )

"""Markdown releases (``.md``, ``.markdown``), with optional YAML front matter.

``Release.text`` is the part after the front matter with the Markdown markup reduced
to plain text, line by line (so paragraphs and line breaks stay where they were):

* headings ``# Title`` / ``Title`` + ``===`` -> ``Title``; thematic breaks dropped;
* ``**bold**``, ``*em*``, ``__bold__``, ``_em_``, ``~~struck~~``, ```code``` -> the words;
* ``[text](url)``, ``[text][ref]``, ``![alt](src)`` -> ``text`` / ``alt``; ``<https://x>``
  -> ``https://x``; reference definitions ``[ref]: url`` dropped;
* block quotes ``>`` and bullet markers (``-``, ``*``, ``+``) dropped, numbers kept;
* code fences dropped (their content kept), HTML tags dropped, entities and
  backslash escapes resolved; table rows become cells separated by " | ".

The title is front matter ``title``, else the first heading, else the first line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from kg.model import Release
from kg.releases import SourceFile, register
from kg.releases.decoding import decode_text, split_front_matter
from kg.releases.txt import release_from_parts

_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_OR_RULE = re.compile(r"^ {0,3}(?:=+|-+|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")
_REF_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+.*$")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_BULLET = re.compile(r"^([ \t]*)[-*+][ \t]+")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
_CODE = re.compile(r"`+([^`]+?)`+")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*")
_EM_UNDERSCORE = re.compile(r"(?<![\w\\])_(?=\S)(.+?)(?<=\S)_(?!\w)")
_STRUCK = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


_PROTECTED = 0xE000  # escaped characters wait in the private use area


def _inline(line: str) -> str:
    line = _ESCAPE.sub(lambda m: chr(_PROTECTED + ord(m.group(1))), line)
    line = _CODE.sub(r"\1", line)
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _TAG.sub("", line)
    line = _STRONG.sub(r"\2", line)
    line = _EM_STAR.sub(r"\1", line)
    line = _EM_UNDERSCORE.sub(r"\1", line)
    line = _STRUCK.sub(r"\1", line)
    line = re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group()) - _PROTECTED), line)
    return html.unescape(line)


def markdown_to_text(markdown: str) -> str:
    """The plain text of ``markdown``, by the rules of the module docstring."""
    out: list[str] = []
    in_code = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            out.append(line)
            continue
        if _REF_DEFINITION.match(line) or (_TABLE_SEPARATOR.match(line) and "|" in line):
            continue
        if _SETEXT_OR_RULE.match(line):
            out.append("")
            continue
        line = _QUOTE.sub("", line)
        heading = _HEADING.match(line)
        if heading:
            line = heading.group(1)
        else:
            line = _BULLET.sub(r"\1", line)
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            line = " | ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        out.append(_inline(line).rstrip())
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def first_heading(markdown: str) -> str | None:
    """The text of the first ``#`` heading."""
    for line in markdown.split("\n"):
        m = _HEADING.match(line)
        if m and m.group(1).strip():
            return _inline(m.group(1)).strip()
    return None


@register(".md", ".markdown")
def load_md(source: SourceFile) -> Iterator[Release]:
    """The one release of a Markdown file."""
    data = source.read_bytes()
    front, body = split_front_matter(decode_text(data, source.path), source.path)
    yield release_from_parts(source, data, front, markdown_to_text(body),
                             {"title": first_heading(body)})

"""Bytes -> release text: encoding rules, binary detection and YAML front matter.

Encoding rules (in this order):

1. A file whose first 8 KB hold NUL bytes or many other control bytes is binary,
   not a release (UTF-16 files with a byte-order mark are the one exception).
2. UTF-8 with a byte-order mark: the mark is dropped.
3. UTF-8.
4. Windows-1252, but only if every byte decodes and the result looks like text
   (printable, mostly ASCII).  If the bytes also hold valid UTF-8 multi-byte
   sequences, the file is *mixed* (part UTF-8, part something else): that is an
   error naming the byte offset of the first invalid byte, never a guess.

Line ends are normalised to ``\\n`` (``\\r\\n`` and a lone ``\\r``).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from os import PathLike
from typing import Any

import yaml

from kg.errors import ReleaseError

_SNIFF_BYTES = 8192
# C0 control bytes other than \t \n \v \f \r and ESC: a text file has none of them.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_VALID_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` -> ``\\n``."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_like_text(text: str) -> bool:
    """Printable and mostly ASCII: what a real Windows-1252 release looks like."""
    if not text or _CONTROL_CHARS.search(text):
        return False
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return non_ascii <= 0.3 * len(text)


def decode_text(data: bytes, path: str | PathLike[str]) -> str:
    """The text of a release file's bytes, by the rules of the module docstring.

    Raises ``ReleaseError`` for empty, binary, undecodable and mixed-encoding files.
    """
    text = _decode(data, path) if data.strip() else ""
    if not text.strip():
        raise ReleaseError(path, "empty file (no text)")
    return text


def _decode(data: bytes, path: str | PathLike[str]) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return normalise_newlines(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise ReleaseError(path, f"invalid UTF-16 at byte offset {exc.start}") from None
    head = data[:_SNIFF_BYTES]
    nul = head.find(b"\x00")
    if nul >= 0:
        raise ReleaseError(path, f"binary file (NUL byte at offset {nul}); not a text release")
    if len(_CONTROL_BYTES.findall(head)) > max(2, len(head) // 100):
        raise ReleaseError(path, "binary file (control bytes); not a text release")
    body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return normalise_newlines(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(data) - len(body))
        bad = data[offset]
    if body is not data or _VALID_UTF8_MULTIBYTE.search(body):
        raise ReleaseError(
            path,
            f"mixed encoding: byte 0x{bad:02X} at byte offset {offset} is not UTF-8, but the "
            "file also holds UTF-8 characters; re-save it as UTF-8",
            line=_line_of(data, offset),
        )
    try:
        text = body.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ReleaseError(
            path,
            f"not UTF-8 or Windows-1252 text: byte 0x{body[exc.start]:02X} at byte offset "
            f"{exc.start}; re-save it as UTF-8",
            line=_line_of(body, exc.start),
        ) from None
    if not _looks_like_text(text):
        raise ReleaseError(
            path,
            f"not UTF-8 text (byte 0x{bad:02X} at byte offset {offset}) and not readable as "
            "Windows-1252 either; re-save it as UTF-8",
            line=_line_of(data, offset),
        )
    return normalise_newlines(text)


# -- front matter ---------------------------------------------------------------------

_FRONT_OPEN = re.compile(r"---[ \t]*\n")
_FRONT_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_LEADING_BLANK_LINES = re.compile(r"\A[ \t]*(?:\n[ \t]*)*(?:\n|\Z)")


def split_front_matter(text: str, path: str | PathLike[str]) -> tuple[dict[str, Any], str]:
    """``(front matter mapping, the text after it)``.

    Front matter is a YAML mapping between a first line ``---`` and a closing line
    ``---`` (or ``...``).  Without it: ``({}, text)``.  Blank lines after the closing
    line are not part of the text.  Raises ``ReleaseError`` naming the file line for
    invalid YAML, an unclosed block, or YAML that is not a mapping.
    """
    opening = _FRONT_OPEN.match(text)
    if not opening:
        return {}, text
    closing = _FRONT_CLOSE.search(text, opening.end())
    if not closing:
        raise ReleaseError(path, "front matter opened with '---' is never closed by a '---' line",
                           line=1)
    block = text[opening.end():closing.start()]
    try:
        meta = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = mark.line + 2 if mark is not None else None  # +1 for '---', +1 for 1-based
        raise ReleaseError(path, f"invalid YAML front matter: {problem}", line=line) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, Mapping):
        raise ReleaseError(
            path, f"front matter is not a mapping of keys to values (it is a {type(meta).__name__})",
            line=2,
        )
    rest = _LEADING_BLANK_LINES.sub("", text[closing.end():])
    return {str(key): value for key, value in meta.items()}, rest

"""PDF releases (``.pdf``): the text layer, read with pypdf.

``Release.text`` is the text of each page (pypdf's ``extract_text``), pages separated
by a blank line, ``\\r\\n`` -> ``\\n`` and trailing spaces of each line removed.  Lines
that the PDF wrapped inside a paragraph are joined into one (see
:func:`join_wrapped_lines`), so that a sentence is one line of text.  A PDF
encrypted with an empty user password (only printing or copying restricted) is read;
one that needs a password is an error, as are a damaged file and a PDF without a
text layer (a scan: run OCR first).  The title is the document's ``/Title`` unless it
is a word processor's placeholder, else the first line.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterator

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from kg.errors import ReleaseError
from kg.model import Release
from kg.releases import SourceFile, register
from kg.releases.decoding import normalise_newlines
from kg.releases.metadata import build_release

log = logging.getLogger(__name__)
logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported as errors

_PLACEHOLDER_TITLE = re.compile(r"^(?:microsoft (?:word|powerpoint) - |untitled\b)|"
                                r"\.(?:docx?|pptx?|odt|rtf|indd|pdf)$", re.IGNORECASE)
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def _open(data: bytes, source: SourceFile) -> PdfReader:
    if not data.lstrip()[:5] == b"%PDF-":
        raise ReleaseError(source.path, "corrupt PDF: no %PDF- header")
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            AssertionError, RecursionError, OSError) as exc:
        raise ReleaseError(source.path, f"corrupt PDF: {exc}".splitlines()[0]) from None
    if encrypted:
        try:
            opened = reader.decrypt("")
        except DependencyError:
            raise ReleaseError(source.path, "encrypted PDF: its cipher needs the 'cryptography' "
                                            "package; save an unencrypted copy") from None
        except (PyPdfError, ValueError, KeyError, TypeError) as exc:
            raise ReleaseError(source.path, f"encrypted PDF that cannot be opened: {exc}") from None
        if opened == PasswordType.NOT_DECRYPTED:
            raise ReleaseError(source.path, "encrypted PDF: it needs a password; "
                                            "save an unencrypted copy")
    return reader


FULL_LINE = 0.75  # a line this close to the page's text width was wrapped, not ended
_CONTINUES = (",", ";", "(", "/", "&", "-")  # a line ending so goes on in the next one
_ITEM = re.compile(r"^\s*(?:[•▪·*–-]|\(?[0-9]{1,2}[.)]|\(?[a-z][.)])\s")


def join_wrapped_lines(text: str) -> str:
    """``text`` with the line breaks inside paragraphs turned into spaces.

    A line is taken to go on in the next one when it is nearly as long as the page's
    text width (the 80th percentile of its line lengths) or ends with ``,`` ``;``
    ``(`` ``/`` ``&`` ``-``, unless it ends with ``:`` or the next line is empty or
    starts a list item.  Short lines (titles, headings, the last line of a paragraph)
    keep their break.  A line ending in a hyphen is joined without a space.

    >>> join_wrapped_lines("A title\\nThe first line of a paragraph that the PDF\\nwrapped.")
    'A title\\nThe first line of a paragraph that the PDF wrapped.'
    """
    lines = text.split("\n")
    lengths = sorted(len(line) for line in lines if line.strip())
    if len(lengths) < 2:
        return text
    width = lengths[min(len(lengths) - 1, int(len(lengths) * 0.8))]
    out = [lines[0]]
    for previous, line in zip(lines, lines[1:], strict=False):
        stripped = previous.rstrip()  # the line as the PDF had it, not as joined so far
        goes_on = (stripped and line.strip() and not stripped.endswith(":")
                   and not _ITEM.match(line)
                   and (len(stripped) >= FULL_LINE * width or stripped.endswith(_CONTINUES)))
        if goes_on:
            joined = out[-1].rstrip()
            out[-1] = joined + ("" if joined.endswith("-") else " ") + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def pdf_text(reader: PdfReader, source: SourceFile) -> str:
    """The text layer of every page, pages separated by a blank line."""
    pages: list[str] = []
    try:
        for page in reader.pages:
            text = _TRAILING_SPACE.sub("", normalise_newlines(page.extract_text() or ""))
            text = join_wrapped_lines(text)
            if text.strip():
                pages.append(text.strip("\n"))
    except FileNotDecryptedError:
        raise ReleaseError(source.path, "encrypted PDF: it needs a password") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            AssertionError, RecursionError, ZeroDivisionError) as exc:
        raise ReleaseError(source.path, f"corrupt PDF: {exc}".splitlines()[0]) from None
    return "\n\n".join(pages)


def _title(reader: PdfReader) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        return None
    title = (title or "").strip()
    return title if title and not _PLACEHOLDER_TITLE.search(title) else None


@register(".pdf")
def load_pdf(source: SourceFile) -> Iterator[Release]:
    """The one release of a PDF file."""
    data = source.read_bytes()
    reader = _open(data, source)
    text = pdf_text(reader, source)
    if not text.strip():
        raise ReleaseError(source.path, f"PDF has no text layer ({len(reader.pages)} page(s) "
                                        "of images?); run OCR first")
    yield build_release(
        text,
        release_id=source.path.stem,
        sha256=hashlib.sha256(data).hexdigest(),
        source=str(source.path),
        format=source.format,
        given={"title": _title(reader)},
        id_origin="file name",
    )

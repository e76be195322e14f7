"""Plain-text releases (``.txt``), with optional YAML front matter.

``Release.text`` is the decoded file (see ``kg.releases.decoding``: BOM dropped,
``\\r\\n`` -> ``\\n``) after the front matter, if there is one; nothing else is changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from kg.model import Release
from kg.releases import SourceFile, register
from kg.releases.decoding import decode_text, split_front_matter
from kg.releases.metadata import build_release


def release_from_parts(source: SourceFile, data: bytes, front: dict, body: str,
                       hints: dict | None = None) -> Release:
    """A release from a file's bytes, its front matter and its release text.

    ``hints`` is metadata the format itself offers (a Markdown heading); front matter
    wins over it, and both win over what is found in the text.
    """
    stated = {**(hints or {}), **front}
    has_id = front.get("id") not in (None, "")
    return build_release(
        body,
        release_id=str(front["id"]) if has_id else source.path.stem,
        sha256=hashlib.sha256(data).hexdigest(),
        source=str(source.path),
        format=source.format,
        given=stated,
        id_origin="front matter" if has_id else "file name",
    )


@register(".txt", ".text")
def load_txt(source: SourceFile) -> Iterator[Release]:
    """The one release of a ``.txt`` file."""
    data = source.read_bytes()
    front, body = split_front_matter(decode_text(data, source.path), source.path)
    yield release_from_parts(source, data, front, body)

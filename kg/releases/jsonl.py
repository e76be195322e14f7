"""JSON Lines batches (``.jsonl``): one release per line, read as a stream.

Each line is a JSON object with at least ``id`` and ``text`` (the schema of the gold
files in ``../shared/eval``).  ``Release.text`` is the ``text`` field exactly as it is
(no normalisation: offsets in the record index it), ``sha256`` is the hash of that
text encoded as UTF-8, and ``source`` is ``FILE:LINE``.  ``title``, ``date``,
``dateline_place``, ``issuer``, ``url`` and ``language`` are taken from the record
when set (not null), else found in the text; a ``source`` that is a web address
becomes ``url``.

A bad line (not JSON, not an object, no ``id`` or ``text``, a bad id, a record over
the size limit) is one ``ReleaseError`` naming ``FILE:LINE``; the other lines load.
Blank lines are skipped.  The size limit applies to each record, not to the file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import IO

from kg.errors import ReleaseError
from kg.model import Release
from kg.releases import SourceFile, register
from kg.releases.metadata import GIVEN_KEYS, build_release

_CHUNK = 1 << 20


def _lines(handle: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)``; ``None`` for a line longer than ``max_bytes`` (skipped)."""
    number = 0
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the long line
                line = handle.readline(_CHUNK)
            yield number, None
            continue
        yield number, line


def release_from_record(record: dict, source: SourceFile, line: int) -> Release:
    """The release of one JSONL record (already parsed)."""
    where = f"{source.path}:{line}"
    for key in ("id", "text"):
        if key not in record or record[key] is None:
            raise ReleaseError(source.path, f"record has no {key!r} field", line=line)
    text = record["text"]
    if not isinstance(text, str):
        raise ReleaseError(source.path, f"'text' must be a string, not {type(text).__name__}",
                           line=line)
    release_id = record["id"]
    if not isinstance(release_id, (str, int)) or isinstance(release_id, bool):
        raise ReleaseError(source.path, f"'id' must be a string, not {type(release_id).__name__}",
                           line=line)
    given = {key: record.get(key) for key in GIVEN_KEYS}
    origin = record.get("source")
    if not given["url"] and isinstance(origin, str) and origin.startswith(("http://", "https://")):
        given["url"] = origin
    return build_release(
        text,
        release_id=str(release_id),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source=where,
        format=source.format,
        given=given,
        where=source.path,
        line=line,
        id_origin="record",
    )


@register(".jsonl", ".ndjson")
def load_jsonl(source: SourceFile) -> Iterator[Release | ReleaseError]:
    """Every release of a JSON Lines batch, and one error per bad line."""
    records = 0
    with source.open() as handle:
        nul = handle.peek(8192)[:8192].find(b"\x00")
        if nul >= 0:
            yield ReleaseError(source.path, f"binary file (NUL byte at offset {nul}); "
                                            "not JSON Lines")
            return
        for number, raw in _lines(handle, source.max_bytes):
            if raw is None:
                yield ReleaseError(source.path, f"record is over the {source.max_bytes} byte "
                                                "limit (raise max_bytes to load it)", line=number)
                continue
            if not raw.strip():
                continue
            records += 1
            try:
                record = json.loads(raw)
            except UnicodeDecodeError as exc:
                yield ReleaseError(source.path, f"not UTF-8: byte offset {exc.start} of the line",
                                   line=number)
                continue
            except json.JSONDecodeError as exc:
                yield ReleaseError(source.path, f"not JSON: {exc.msg} (column {exc.colno})",
                                   line=number)
                continue
            if not isinstance(record, dict):
                yield ReleaseError(source.path, f"not a JSON object but a {type(record).__name__}",
                                   line=number)
                continue
            try:
                yield release_from_record(record, source, number)
            except ReleaseError as err:
                yield err
    if records == 0:
        yield ReleaseError(source.path, "empty file (no JSON records)")

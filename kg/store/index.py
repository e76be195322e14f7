"""The build index: what a build needs to know about the releases a store holds,
without reading the store or the release files again.

One small SQLite file beside the store's data (``kg-build-index.sqlite`` inside an
embedded store's directory; in memory for ``memory:``; under the user's cache folder for
a remote endpoint), holding

- ``files``: each release file read by a build, the SHA-256 of its bytes, the identity
  of the extractor that read it (``extractor_identity``) and the ids of its releases:
  an unchanged file is skipped after one hash, before any parsing or extraction;
- ``releases``: each stored release's metadata (everything its graph states but the
  facts), its facts (JSON), the extractor identity and the fingerprint of the resolved
  data its graph was last written from;
- ``meta``: build-wide values (the fingerprint of the registry graph).

The index is derived data: a release it lists whose graph the store lacks is forgotten
at the start of a build (and extracted again), so deleting the file costs one full
re-extraction and nothing else.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path

from kg.model import Fact, Release

INDEX_FILE = "kg-build-index.sqlite"
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, extractor TEXT NOT NULL, releases TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS releases (
    id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, extractor TEXT NOT NULL, release TEXT NOT NULL,
    facts TEXT NOT NULL, mentions TEXT NOT NULL, fingerprint TEXT);
"""

# Fact fields kept for resolution (no evidence text, no offsets): small enough to hold
# one record a fact of every stored release.
_MENTION_FIELDS = ("subject", "relation", "object", "subject_type", "object_type",
                   "subject_aliases", "object_aliases")


@lru_cache(maxsize=8)
def extractor_identity(extractor: str | None = None, spacy_model: str | None = None,
                       max_chars: int | None = None, min_confidence: float = 0.0) -> str:
    """Who extracted the facts: extractor name, corporate-kg version, the SHA-256 of the
    trained model's files (``--extractor model``) and of the rules' confidence table
    (:mod:`kg.extract.confidence`), the spaCy pipeline name, the
    characters of a release extracted when not the default (``kg.build.MAX_CHARS``), and
    the least confidence of a kept fact when there is one.  A rebuild re-extracts a
    release whose identity differs, even when its text is unchanged.

    >>> extractor_identity("rules").startswith("rules kg-")
    True
    >>> extractor_identity("rules", max_chars=0).endswith(" max-chars-0")
    True
    >>> extractor_identity("rules", min_confidence=0.7).endswith(" min-confidence-0.7")
    True
    """
    import kg
    from kg.config import Settings
    from kg.extract import DEFAULT_EXTRACTOR
    from kg.extract.confidence import TABLE

    name = extractor or DEFAULT_EXTRACTOR
    parts = [name, f"kg-{kg.__version__}"]
    if name == "model":
        folder = Path(kg.__file__).resolve().parent / "extract" / "resources" / "model"
        digest = hashlib.sha256()
        for path in sorted(folder.glob("*")) if folder.is_dir() else ():
            if path.is_file():
                digest.update(path.name.encode("utf-8") + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        parts.append(f"model-{digest.hexdigest()[:16]}")
    if TABLE.is_file():  # the confidences of the rules' facts come from it
        parts.append(f"confidence-{hashlib.sha256(TABLE.read_bytes()).hexdigest()[:16]}")
    if spacy_model:
        parts.append(f"spacy-{spacy_model}")
    if max_chars is not None and max_chars != Settings.max_chars:
        parts.append(f"max-chars-{max_chars}")
    if min_confidence:
        parts.append(f"min-confidence-{float(min_confidence)!r}")
    return " ".join(parts)


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _release_json(release: Release) -> str:
    data = {
        "id": release.id, "sha256": release.sha256, "source": release.source,
        "format": release.format, "title": release.title,
        "date": release.date.isoformat() if release.date else None,
        "dateline_place": release.dateline_place, "issuer": release.issuer,
        "url": release.url, "language": release.language,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _release_from_json(text: str) -> Release:
    data = json.loads(text)
    day = data.pop("date")
    return Release(text="", date=date.fromisoformat(day) if day else None, **data)


_FACT_FIELDS = tuple(f.name for f in dataclasses.fields(Fact))


def _facts_json(facts: Iterable[Fact]) -> str:
    return json.dumps([{k: getattr(f, k) for k in _FACT_FIELDS} for f in facts],
                      ensure_ascii=False)


def decode_release(release_json: str, facts_json: str) -> tuple[Release, list[Fact]]:
    """The release and facts of :meth:`BuildIndex.release_json`."""
    return _release_from_json(release_json), _facts_from_json(facts_json)


def _facts_from_json(text: str) -> list[Fact]:
    out = []
    for data in json.loads(text):
        data["subject_aliases"] = tuple(data.get("subject_aliases") or ())
        data["object_aliases"] = tuple(data.get("object_aliases") or ())
        out.append(Fact(**data))
    return out


class Mention:
    """One fact reduced to what resolution reads (a ``Fact`` look-alike with slots: the
    build holds one for every fact of every stored release)."""

    __slots__ = ("doc", "subject", "relation", "object", "value", "subject_type",
                 "object_type", "subject_aliases", "object_aliases", "qualifiers")
    evidence = ""
    _EMPTY: dict = {}

    def __init__(self, doc, subject, relation, object, subject_type, object_type,  # noqa: A002
                 subject_aliases, object_aliases, product, literal):
        self.doc, self.subject, self.relation, self.object = doc, subject, relation, object
        self.value = "" if literal else None
        self.subject_type, self.object_type = subject_type, object_type
        self.subject_aliases, self.object_aliases = subject_aliases, object_aliases
        self.qualifiers = {"product": product} if product else self._EMPTY


def _interner():
    """One string object for equal names (the same company is named in many releases)."""
    table: dict[str, str] = {}

    def intern(text):
        return text if text is None else table.setdefault(text, text)

    return intern


class BuildIndex:
    """The SQLite build index of one store (see the module docstring).

    ``path=None`` keeps it in memory.  Writes are committed by :meth:`commit` (the build
    commits after each batch it has written to the store).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, owned: bool = True):
        self.path = None if path is None else Path(path)
        self.owned = owned  # False: close() only commits (the store closes it)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(":memory:" if self.path is None else str(self.path))
        self._db.execute("PRAGMA journal_mode=WAL" if self.path else "PRAGMA journal_mode=MEMORY")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        version = self.get_meta("schema")
        if version not in (None, SCHEMA_VERSION):  # an older layout: start again
            self._db.executescript("DROP TABLE files; DROP TABLE releases; DELETE FROM meta;")
            self._db.executescript(_SCHEMA)
        self.set_meta("schema", SCHEMA_VERSION)
        self.commit()

    # --- meta ------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self._db.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- files -----------------------------------------------------------------------

    def files(self) -> dict[str, tuple[str, str, list[str]]]:
        """path -> (sha256, extractor identity, release ids), for every recorded file."""
        return {path: (sha, ext, json.loads(ids)) for path, sha, ext, ids in
                self._db.execute("SELECT path, sha256, extractor, releases FROM files")}

    def set_file(self, path: str, sha256: str, extractor: str, release_ids: list[str]) -> None:
        self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                         (path, sha256, extractor, json.dumps(sorted(release_ids))))

    def forget_file(self, path: str) -> None:
        self._db.execute("DELETE FROM files WHERE path = ?", (path,))

    # --- releases --------------------------------------------------------------------

    def release_states(self) -> dict[str, tuple[str, str]]:
        """release id -> (sha256 of its text, extractor identity)."""
        return {rid: (sha, ext) for rid, sha, ext in
                self._db.execute("SELECT id, sha256, extractor FROM releases")}

    def put_release(self, release: Release, facts: list[Fact], extractor: str) -> None:
        """Record a release and its facts; its graph is still to be written."""
        from kg.resolve import acronym_definitions

        slim = [[getattr(f, k) for k in _MENTION_FIELDS]
                + [(f.qualifiers or {}).get("product"), f.value is not None] for f in facts]
        mentions = json.dumps({"facts": slim, "acronyms": acronym_definitions(facts)},
                              ensure_ascii=False)
        self._db.execute("INSERT OR REPLACE INTO releases VALUES (?, ?, ?, ?, ?, ?, NULL)",
                         (release.id, release.sha256, extractor, _release_json(release),
                          _facts_json(facts), mentions))

    def forget_releases(self, release_ids: Iterable[str]) -> None:
        ids = list(release_ids)
        self._db.executemany("DELETE FROM releases WHERE id = ?", [(rid,) for rid in ids])
        gone = set(ids)
        for path, (_, _, rids) in self.files().items():
            if gone.intersection(rids):
                self.forget_file(path)

    def release_ids(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT id FROM releases ORDER BY id")]

    def fingerprints(self) -> dict[str, str | None]:
        return dict(self._db.execute("SELECT id, fingerprint FROM releases"))

    def set_fingerprint(self, release_id: str, fingerprint: str | None) -> None:
        self._db.execute("UPDATE releases SET fingerprint = ? WHERE id = ?",
                         (fingerprint, release_id))

    def mentions(self) -> Iterator[tuple[Release, list[Mention], list[tuple[str, str, str]]]]:
        """Every stored release (metadata only), its facts stripped to what resolution
        reads (names, types, aliases, the product qualifier), and the acronyms its
        evidence defines, in release id order."""
        intern = _interner()
        for text, mentions in self._db.execute(
                "SELECT release, mentions FROM releases ORDER BY id"):
            release = _release_from_json(text)
            data = json.loads(mentions)
            slim = []
            doc = intern(release.id)
            for (subject, relation, obj, subject_type, object_type, subject_aliases,
                 object_aliases, product, literal) in data["facts"]:
                slim.append(Mention(
                    doc, intern(subject), intern(relation), intern(obj), intern(subject_type),
                    intern(object_type), tuple(map(intern, subject_aliases)),
                    tuple(map(intern, object_aliases)), intern(product), literal))
            yield release, slim, [tuple(a) for a in data["acronyms"]]

    def release_json(self, release_id: str) -> tuple[str, str]:
        """A stored release (metadata only) and its facts as stored (JSON text): a
        worker process decodes them (:func:`decode_release`)."""
        row = self._db.execute("SELECT release, facts FROM releases WHERE id = ?",
                               (release_id,)).fetchone()
        if row is None:
            raise KeyError(release_id)
        return row[0], row[1]

    # --- transactions ----------------------------------------------------------------

    def commit(self) -> None:
        self._db.commit()

    def close(self) -> None:
        if not self.owned:
            self.commit()
            return
        self.shutdown()

    def shutdown(self) -> None:
        """Close the database (what ``close`` does for an index the caller owns)."""
        if self._db is not None:
            self._db.commit()
            self._db.close()
            self._db = None

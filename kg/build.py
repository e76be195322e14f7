"""The main job: release files -> facts -> entities -> one named graph per release -> store.

Each stage is the plain function of its own module; this module only wires them
together, spreads reading, extraction and graph building over worker processes (or a
Dask cluster) and reports what happened.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.config import Settings
from kg.errors import KgError, ReleaseError
from kg.model import Fact, Release

log = logging.getLogger(__name__)

Progress = Callable[[int], None]  # called with the number of releases just finished


@dataclass
class BuildReport:
    """What a build did, for the summary the CLI prints."""

    loaded: list[str] = field(default_factory=list)  # release ids
    status: dict[str, str] = field(default_factory=dict)  # release id -> added|replaced|unchanged
    errors: list[ReleaseError] = field(default_factory=list)
    registry: str | None = None  # the alias registry used (its path), None for none
    removed: list[str] = field(default_factory=list)  # release ids pruned (build --prune)
    notes: list[str] = field(default_factory=list)  # releases extracted in part (MAX_CHARS)
    reresolved: list[str] = field(default_factory=list)  # unchanged, graph rewritten: resolution moved
    facts_by_relation: Counter = field(default_factory=Counter)
    entities_by_class: Counter = field(default_factory=Counter)
    below_confidence: int = 0  # facts extracted and left out (build --min-confidence)

    @property
    def ok(self) -> bool:
        return not self.errors


# -- extraction of one release ----------------------------------------------------------

SECTION_CHARS = 500_000  # a text longer than this (or the pipeline's max_length) is cut
# The characters of one release that are extracted (0: all of them). Extraction costs
# about the same per character whatever the length of the text, some 4 microseconds with
# the rules and 13 with the trained extractor on a shared two-core machine, and resolving
# and storing the facts found about as much again: a 3.4 MB text takes a minute or more.
# Past this limit, about six times the longest release of the annotated corpora (5,190),
# a text is extracted up to the last paragraph or sentence end before it, the release is
# stored (its SHA-256, the facts of that part), and the user is told in one line which
# file, how much, and how to extract all of it. At 30,000 a 3.4 MB text adds about 0.9 s
# of CPU to a build (extraction 0.45 s), which keeps a build of the sample releases with
# it under 5 s; at 50,000 it added 1.5 s, and such a build came to 4.7-5.5 s.
MAX_CHARS = Settings.max_chars  # 30,000; --max-chars, $KG_MAX_CHARS
_SENTENCE_END = re.compile(r"""[.!?。！？]["'”’)\]]*\s+""")

Extracted = list[Fact] | ReleaseError  # the facts of one release, or why there are none


def text_sections(text: str, limit: int) -> list[tuple[int, int]]:
    """``(start, end)`` spans covering ``text``, each at most ``limit`` characters.

    A span ends at a paragraph break when one lies in the second half of the window,
    else at a sentence end, else at white space, else at the limit.

    >>> text_sections("One. Two. Three.", 10)
    [(0, 10), (10, 16)]
    """
    spans = []
    start = 0
    while len(text) - start > limit:
        cut = _section_end(text, start, limit)
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def _section_end(text: str, start: int, limit: int) -> int:
    """Where the section of at most ``limit`` characters from ``start`` ends (see
    :func:`text_sections`)."""
    window_end = start + limit
    half = start + limit // 2
    cut = text.rfind("\n\n", half, window_end)
    if cut >= 0:
        return cut + 2
    ends = [m.end() for m in _SENTENCE_END.finditer(text, half, window_end)]
    if ends:
        return ends[-1]
    space = max(text.rfind(" ", half, window_end), text.rfind("\n", half, window_end))
    return space + 1 if space >= 0 else window_end


def extracted_length(text: str, max_chars: int = MAX_CHARS) -> int:
    """How many characters of ``text``, from its start, are extracted: all of them up to
    ``max_chars`` (0: no limit), else up to the last paragraph or sentence end (else
    white space) within ``max_chars``, where :func:`text_sections` would cut.

    >>> extracted_length("One. Two. Three.", 12), extracted_length("One. Two. Three.", 0)
    (10, 16)
    """
    if not max_chars or len(text) <= max_chars:
        return len(text)
    end = _section_end(text, 0, max_chars)
    return end if text[end:].strip() else len(text)


def extraction_note(release: Release, max_chars: int = MAX_CHARS) -> str | None:
    """The line that tells the user only part of a release was extracted (``None`` when
    all of it is): the file, its length, and how much was extracted."""
    end = extracted_length(release.text, max_chars)
    if end == len(release.text):
        return None
    return (f"{release.source}: {len(release.text):,} characters; facts were extracted from "
            f"the first {end:,} only (--max-chars {max_chars}; 0 extracts all)")


def _clip_sections(sections, start: int, end: int) -> tuple:
    clipped = []
    for section in sections:
        lo, hi = max(section.start, start), min(section.end, end)
        if lo < hi:
            clipped.append(replace(section, start=lo - start, end=hi - start))
    return tuple(clipped)


def extract_release(release: Release, nlp, extractor: str | None = None,
                    max_chars: int = MAX_CHARS) -> list[Fact]:
    """The facts of one release.

    Only the first ``max_chars`` characters are extracted (see :data:`MAX_CHARS` and
    :func:`extracted_length`; 0: all). A text longer than the pipeline can take (spaCy's
    ``max_length``) is extracted in sentence-aligned sections; the facts' offsets refer
    to the whole text, and a fact two sections state is kept once.
    """
    from kg.extract import extract_facts

    end = extracted_length(release.text, max_chars)
    if end < len(release.text):
        log.info("%s: %d characters, the first %d extracted", release.source,
                 len(release.text), end)
        release = replace(release, text=release.text[:end],
                          sections=_clip_sections(release.sections, 0, end))
    limit = min(SECTION_CHARS, max(1000, int(getattr(nlp, "max_length", SECTION_CHARS)) - 1))
    if len(release.text) <= limit:
        return extract_facts(release, nlp=nlp, extractor=extractor)
    log.info("%s: %d characters, extracted in sections of up to %d", release.source,
             len(release.text), limit)
    facts: list[Fact] = []
    seen: set[tuple] = set()
    for start, end in text_sections(release.text, limit):
        part = replace(release, text=release.text[start:end],
                       sections=_clip_sections(release.sections, start, end))
        for fact in extract_facts(part, nlp=nlp, extractor=extractor):
            key = (fact.subject, fact.relation, fact.object, fact.value)
            if key in seen:
                continue
            seen.add(key)
            fact.start += start
            fact.end += start
            facts.append(fact)
    return facts


def extract_or_error(release: Release, nlp, extractor: str | None = None,
                     max_chars: int = MAX_CHARS) -> Extracted:
    """:func:`extract_release`, with any failure turned into a one-line ``ReleaseError``
    naming the release's file: one bad release must not stop a batch."""
    try:
        return extract_release(release, nlp, extractor, max_chars)
    except Exception as exc:  # an extractor bug or a limit costs this release, not the batch
        log.debug("extraction failed on %s", release.source, exc_info=True)
        message = " ".join(str(exc).split())[:300]
        return ReleaseError(release.source, f"extraction failed: {type(exc).__name__}: {message}")


# -- extraction in worker processes -------------------------------------------------

_WORKER_NLP = None
_WORKER_EXTRACTOR = None
_WORKER_MAX_CHARS = MAX_CHARS


def _init_worker(model: str | None, extractor: str | None = None,
                 max_chars: int = MAX_CHARS) -> None:
    global _WORKER_NLP, _WORKER_EXTRACTOR, _WORKER_MAX_CHARS
    from kg.extract import load_pipeline

    _WORKER_NLP = load_pipeline(model)
    _WORKER_EXTRACTOR = extractor
    _WORKER_MAX_CHARS = max_chars


DASK_CONNECT_TIMEOUT = "10s"  # how long to try reaching a remote scheduler


class _dask_client:
    """A Dask client for ``scheduler``: ``"local"`` (a local cluster of ``workers``
    processes, bound to 127.0.0.1) or the address of a running scheduler
    (``tcp://host:8786``); closed, with its local cluster, on exit."""

    def __init__(self, scheduler: str, workers: int):
        self.scheduler, self.workers = scheduler, workers

    def __enter__(self):
        from kg.errors import KgError

        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as err:
            raise KgError("Dask is not installed: pip install 'corporate-kg[scale]' "
                          f"({err.name} missing)") from err
        if not logging.getLogger().isEnabledFor(logging.DEBUG):
            logging.getLogger("distributed").setLevel(logging.WARNING)  # one line per event else
        self.cluster = None
        try:
            if self.scheduler == "local":
                self.cluster = LocalCluster(n_workers=max(1, self.workers), threads_per_worker=1,
                                            processes=True, host="127.0.0.1",
                                            dashboard_address="127.0.0.1:0",
                                            scheduler_kwargs={"dashboard": False})
                self.client = Client(self.cluster)
            else:
                self.client = Client(self.scheduler, timeout=DASK_CONNECT_TIMEOUT)
        except OSError as err:
            if self.cluster is not None:
                self.cluster.close()
            raise KgError(f"cannot reach the Dask scheduler at {self.scheduler}: {err}") from err
        return self.client

    def __exit__(self, *exc_info) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def extract_all(
    releases: Sequence[Release],
    *,
    workers: int = 1,
    model: str | None = None,
    progress: Progress | None = None,
    scheduler: str | None = None,
    errors: list[ReleaseError] | None = None,
    extractor: str | None = None,
    max_chars: int = MAX_CHARS,
) -> list[list[Fact]]:
    """Facts of each release, in the order of ``releases``.

    With ``workers > 1`` the releases are spread over that many processes, each
    loading the spaCy pipeline once.  With ``scheduler`` (``"local"`` or a Dask
    scheduler address) they go to a Dask cluster instead, the pools of
    :func:`build` (:class:`_Workers`, :class:`_DaskWorkers`) either way.

    A release whose extraction fails gets no facts and its ``ReleaseError`` is appended
    to ``errors``; without ``errors`` the first one is raised.  Of a release longer than
    ``max_chars`` characters only the first part is extracted (:func:`extraction_note`
    says so).
    """
    outcomes: list[Extracted] = []
    if releases:
        pool = (_DaskWorkers(scheduler, workers, model, extractor, max_chars) if scheduler
                else _Workers(workers if len(releases) > 1 else 1, model, extractor, max_chars))
        try:
            for _, outcome in pool.map(_extract_chunk, releases):
                outcomes.append(outcome)
                if progress:
                    progress(1)
        finally:
            pool.close()
    out = []
    for outcome in outcomes:
        if isinstance(outcome, ReleaseError):
            if errors is None:
                raise outcome
            errors.append(outcome)
            out.append([])
        else:
            out.append(outcome)
    return out


# -- the whole path ------------------------------------------------------------------


def load_releases(paths: Iterable[str | Path]) -> tuple[list[Release], list[ReleaseError]]:
    """Every release under ``paths``; bad files become errors, the rest goes on."""
    from kg.releases import load_paths

    result = load_paths([Path(p) for p in paths])
    return list(result.releases), list(result.errors)


BATCH_SIZE = 256  # releases extracted, recorded and written per step of a build


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True)
class _Work:
    """One unit for a worker: a release file to load and extract, or one release of a
    many-release file (JSONL) that the main process read."""

    path: str  # as given (releases record it as their source)
    key: str  # the absolute path: the build index's key
    release: Release | None = None
    # the file's bytes, read by the main process for a Dask worker (or why they could
    # not be read): see _DaskWorkers
    data: bytes | ReleaseError | None = None


def _with_bytes(work: _Work) -> _Work:
    """``work`` with its file's bytes (:func:`kg.releases.read_file`) or the error that
    says why they cannot be read; a file no loader takes is left to the worker to
    report, as it would without them."""
    from kg.releases import loader_for, read_file

    if work.release is not None:
        return work
    try:
        loader_for(work.path)
    except ReleaseError:
        return work
    try:
        return replace(work, data=read_file(work.path))
    except ReleaseError as err:
        return replace(work, data=err)


def _strip(release: Release) -> Release:
    """The release without its text (the graph and the index do not need it)."""
    return replace(release, text="", sections=())


def _outcome(release: Release, facts: Extracted, max_chars: int) -> tuple:
    """``(release without its text, facts or error, note)``: the note
    (:func:`extraction_note`) is worked out here, where the text still is."""
    return _strip(release), facts, extraction_note(release, max_chars)


def _work_outcomes(work: _Work, nlp, extractor: str | None,
                   max_chars: int = MAX_CHARS) -> list[tuple]:
    """``(release or error, facts or error, note or None)`` for each release of ``work``."""
    from kg.releases import load_file

    if work.release is not None:
        return [_outcome(work.release, extract_or_error(work.release, nlp, extractor, max_chars),
                         max_chars)]
    if isinstance(work.data, ReleaseError):
        return [(work.data, None, None)]
    out = []
    for item in load_file(work.path, data=work.data):
        if isinstance(item, ReleaseError):
            out.append((item, None, None))
        else:
            out.append(_outcome(item, extract_or_error(item, nlp, extractor, max_chars),
                                max_chars))
    return out


def _worker_settings(settings: tuple | None) -> tuple:
    """``(pipeline, extractor, max_chars)`` of a worker: the ones :func:`_init_worker`
    set, or those of ``settings`` ``(model, extractor, max_chars)``, which a Dask worker
    is given with each task (it may serve builds of other settings; the pipeline is
    loaded once a process all the same, ``load_pipeline`` is cached)."""
    if settings is None:
        return _WORKER_NLP, _WORKER_EXTRACTOR, _WORKER_MAX_CHARS
    from kg.extract import load_pipeline

    return load_pipeline(settings[0]), settings[1], settings[2]


def _work_in_worker(chunk: list[_Work], settings: tuple | None = None) -> list[list[tuple]]:
    """:func:`_work_outcomes` of each unit (see :func:`_worker_settings`)."""
    nlp, extractor, max_chars = _worker_settings(settings)
    return [_work_outcomes(w, nlp, extractor, max_chars) for w in chunk]


def _extract_chunk(chunk: list[Release], settings: tuple | None = None) -> list[Extracted]:
    """:func:`extract_or_error` of each release (see :func:`_worker_settings`): the task
    of ``kg extract``."""
    nlp, extractor, max_chars = _worker_settings(settings)
    return [extract_or_error(r, nlp, extractor, max_chars) for r in chunk]


_EXTRACTING = (_work_in_worker, _extract_chunk)  # tasks that need the extraction settings


class _Workers:
    """``workers`` processes for the whole build (started on first use), or this
    process when ``workers <= 1``; each loads the spaCy pipeline once."""

    CHUNK = 8  # units a task
    IN_PROCESS_WHEN_ONE = True  # one worker: this process, no pool

    def __init__(self, workers: int, model: str | None, extractor: str | None,
                 max_chars: int = MAX_CHARS):
        self.workers, self.model, self.extractor = workers, model, extractor
        self.max_chars = max_chars
        self.pool: ProcessPoolExecutor | None = None
        self.ready = False

    def map(self, fn, items: Iterable) -> Iterator[tuple]:
        """``(item, fn applied to it)`` for each item, in order, chunks of ``CHUNK``
        items a task, at most ``4 * workers`` tasks in flight (memory stays bounded)."""
        if self.workers <= 1 and self.IN_PROCESS_WHEN_ONE:
            for chunk in _batches(items, self.CHUNK):
                if not self.ready and fn in _EXTRACTING:
                    _init_worker(self.model, self.extractor, self.max_chars)  # not for a no-op build
                    self.ready = True
                yield from zip(chunk, fn(chunk), strict=True)
            return
        pending: deque = deque()
        for chunk in _batches(items, self.CHUNK):
            pending.append((chunk, self._submit(fn, chunk)))
            if len(pending) >= 4 * self.workers:
                chunk, future = pending.popleft()
                yield from zip(chunk, future.result(), strict=True)
        while pending:
            chunk, future = pending.popleft()
            yield from zip(chunk, future.result(), strict=True)

    def _submit(self, fn, chunk: list):
        """``fn(chunk)`` started in a worker process: a future."""
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.workers, initializer=_init_worker,
                                            initargs=(self.model, self.extractor,
                                                      self.max_chars))
        return self.pool.submit(fn, chunk)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


class _DaskWorkers(_Workers):
    """:class:`_Workers` on a Dask cluster (``scheduler``: ``"local"`` or a scheduler
    address): one client for the whole build, opened on the first task and closed by
    :meth:`close`, so both phases, reading and extraction (:func:`_work_in_worker`) and
    the release graphs (:func:`_graph_in_worker`), run on the cluster, with at most four
    tasks a worker thread in flight.

    The main process reads each file's bytes and ships them with its name; the worker
    parses them (``load_file(path, data=...)``).  A worker of a remote cluster may not
    see the user's files, or see other files under the same path, and the main process
    has just read every file to hash it; shipping paths to a local cluster only would
    save a copy through a socket per file (small beside extraction) at the cost of a
    second way of loading that only some clusters take.  A file that cannot be read
    here is shipped as its ``ReleaseError`` and comes back as the unit's error.
    """

    IN_PROCESS_WHEN_ONE = False

    def __init__(self, scheduler: str, workers: int, model: str | None,
                 extractor: str | None, max_chars: int = MAX_CHARS):
        super().__init__(workers, model, extractor, max_chars)
        self.scheduler = scheduler
        self.opened: _dask_client | None = None
        self.client = None

    def _submit(self, fn, chunk: list):
        import uuid

        if self.client is None:
            opened = _dask_client(self.scheduler, self.workers)
            self.client = opened.__enter__()  # KgError when the scheduler cannot be reached
            self.opened = opened
            self.workers = sum(self.client.nthreads().values()) or self.workers  # in flight
        args: tuple = (chunk,)
        if fn is _work_in_worker:
            chunk = [_with_bytes(w) for w in chunk]
        if fn in _EXTRACTING:
            args = (chunk, (self.model, self.extractor, self.max_chars))
        # the function's name leads the key: the dashboard and task stream tell the phases apart
        return self.client.submit(fn, *args, key=f"{fn.__name__}-{uuid.uuid4().hex}")

    def close(self) -> None:
        if self.opened is not None:
            opened, self.opened, self.client = self.opened, None, None
            opened.__exit__(None, None, None)


def _graph_in_worker(chunk: list[tuple]) -> list[str | ReleaseError]:
    """N-Triples of each release graph (its SHA-256 recorded), or the error that says
    why it cannot be built; a task is ``(release, release JSON, facts JSON, resolved)``
    as the build index stores them (decoded here, not in the main process)."""
    from kg.rdf import release_triples
    from kg.store.base import ntriples
    from kg.store.index import decode_release

    out: list[str | ReleaseError] = []
    for _, release_json, facts_json, resolved in chunk:
        release, facts = decode_release(release_json, facts_json)
        try:
            triples = release_triples(release, facts, resolved)  # states its SHA-256 once
        except KgError as err:
            out.append(ReleaseError(release.source, str(err)))
            continue
        out.append(ntriples(sorted(triples)))
    return out


def build(
    paths: Iterable[str | Path],
    store,
    *,
    workers: int = 1,
    model: str | None = None,
    registry_path: str | Path | None = None,
    progress: Progress | None = None,
    scheduler: str | None = None,
    prune: bool = False,
    extractor: str | None = None,
    batch_size: int = BATCH_SIZE,
    max_chars: int = MAX_CHARS,
    min_confidence: float = 0.0,
) -> BuildReport:
    """Load, extract, resolve and store every release under ``paths``.

    Parameters
    ----------
    paths : files or directories of releases (any suffix a loader is registered for).
    store : an open ``kg.store`` Store.
    workers : processes that load and extract releases and build the release graphs
        (with ``scheduler="local"``: the local cluster's worker processes).
    scheduler : ``"local"`` or a Dask scheduler address: the work of ``workers`` is done
        on that Dask cluster instead (:class:`_DaskWorkers`).
    model : optional spaCy pipeline name (rules only when None).
    extractor : ``"model"`` (the default: trained layers with the rules as features) or
        ``"rules"``.
    registry_path : the curated alias registry (``data/entities.yaml``).
    prune : afterwards, remove the stored releases this build did not find under
        ``paths`` (see :func:`prune_releases`).
    batch_size : releases held in memory at a time.
    max_chars : the characters of a release that are extracted (:data:`MAX_CHARS`; 0:
        all); a release extracted in part is stored, and ``report.notes`` says so.
    min_confidence : only facts of at least this confidence are stored
        (:func:`kg.extract.decoding.confident`); ``report.below_confidence`` counts the others.

    Returns
    -------
    BuildReport

    The build streams: each file is hashed first, and a file whose SHA-256 and
    extractor (``kg.store.index.extractor_identity``) are those of the last build is
    not read again; the others are loaded and extracted in batches (in ``workers``
    processes or on the cluster) and recorded in the store's build index.  Then every
    stored release is resolved together (:func:`kg.resolve.resolve`: the IRIs do not
    depend on the order or grouping of builds), and a release's graph is built (by the
    same workers) and written when it is new or changed, or when the resolved data it
    is written from changed.  What the registry says goes to its own graph
    (``kg.rdf.registry_iri()``).

    A release whose graph cannot be built is reported as an error; the graphs of the
    other releases, and everything already in the store, are kept.
    """
    from kg.extract.decoding import confident
    from kg.resolve import load_registry
    from kg.store.index import extractor_identity

    report = BuildReport(registry=str(registry_path) if registry_path else None)
    registry = load_registry(registry_path) if registry_path else None  # a bad one fails first
    identity = extractor_identity(extractor, model, max_chars, min_confidence)
    index = store.build_index()
    pool = (_DaskWorkers(scheduler, workers, model, extractor, max_chars) if scheduler
            else _Workers(workers, model, extractor, max_chars))
    try:
        stored = set(store.graphs())
        forgotten = _forget_unstored(index, stored)
        changed: set[str] = set()
        files_done: list[tuple[str, str, list[str]]] = []
        plan = _Plan(paths, index, stored, identity, report, progress)
        outcomes = pool.map(_work_in_worker, plan.work())
        for batch in _batches(outcomes, batch_size):
            for unit, results in batch:
                ids = []
                for release, facts, note in results:
                    if isinstance(release, ReleaseError):
                        report.errors.append(release)  # read again next time
                        plan.failed.add(unit.key)
                        continue
                    if isinstance(facts, ReleaseError):
                        report.errors.append(facts)  # its stored graph, if any, stays as it was
                        plan.failed.add(unit.key)
                        continue
                    if not plan.claim(release):
                        continue
                    ids.append(release.id)
                    if note:
                        report.notes.append(note)
                    kept = confident(facts, min_confidence)
                    report.below_confidence += len(facts) - len(kept)
                    facts = kept
                    index.put_release(release, facts, identity)
                    changed.add(release.id)
                    report.loaded.append(release.id)
                    report.facts_by_relation.update(f.relation for f in facts)
                if unit.release is None and unit.key not in plan.failed:
                    files_done.append((unit.key, plan.sha[unit.key], ids))
                if progress:
                    progress(len(results))
            index.commit()
        for path, sha, ids in plan.jsonl_done():
            files_done.append((path, sha, ids))
        if prune:
            report.removed = prune_releases(store, report)
            index.forget_releases(report.removed)
        write_resolved(store, index, registry, changed, report, batch_size,
                       registry_key=str(registry_path) if registry_path else None,
                       force=bool(report.removed or forgotten), pool=pool)
        for path, sha, ids in files_done:  # only now: a build killed before re-reads them
            index.set_file(path, sha, identity, ids)
        index.commit()
    finally:
        pool.close()
        index.close()
    return report


class _Plan:
    """Which files (and JSONL records) a build must read: each file is hashed and
    compared with the build index before anything is parsed."""

    def __init__(self, paths, index, stored: set[str], identity: str, report: BuildReport,
                 progress: Progress | None):
        self.paths, self.index, self.stored = paths, index, stored
        self.identity, self.report, self.progress = identity, report, progress
        self.files = index.files()
        self.states = index.release_states()
        self.sha: dict[str, str] = {}
        self.seen: dict[str, str] = {}  # release id -> its source
        self.failed: set[str] = set()
        self._jsonl: dict[str, list[str]] = {}

    def claim(self, release: Release) -> bool:
        """Record a release id; a second release with the same id is an error."""
        if release.id in self.seen and self.seen[release.id] != release.source:
            self._duplicate(release.id, release.source)
            return False
        self.seen[release.id] = release.source
        return True

    def _duplicate(self, release_id: str, source: str) -> None:
        self.report.errors.append(ReleaseError(
            source, f"release id {release_id!r} is also used by {self.seen[release_id]}; "
                    "set a distinct `id`"))

    def _unchanged(self, release_id: str, source: str) -> None:
        if release_id in self.seen:
            self._duplicate(release_id, source)
            return
        self.seen[release_id] = source
        self.report.loaded.append(release_id)
        self.report.status[release_id] = "unchanged"

    def work(self) -> Iterator[_Work]:
        """The units to load and extract, in input order."""
        from kg.rdf import release_iri
        from kg.releases import iter_release_files
        from kg.store.index import file_sha256

        for item in iter_release_files(self.paths):
            if isinstance(item, ReleaseError):
                self.report.errors.append(item)
                continue
            path, key = str(item), str(item.absolute())
            try:
                sha = file_sha256(item)
            except OSError:
                sha = ""  # the loader reports why it cannot be read
            self.sha[key] = sha
            known = self.files.get(key)
            if sha and known and known[0] == sha and known[1] == self.identity \
                    and all(str(release_iri(rid)) in self.stored for rid in known[2]):
                for rid in known[2]:
                    self._unchanged(rid, path)
                if self.progress:
                    self.progress(len(known[2]))
                continue
            if item.suffix.lower() in (".jsonl", ".ndjson"):
                yield from self._records(item, key)
                continue
            yield _Work(path, key)

    def _records(self, item: Path, key: str) -> Iterator[_Work]:
        """The records of a many-release file that are new or changed."""
        from kg.rdf import release_iri
        from kg.releases import load_file

        ids = self._jsonl.setdefault(key, [])
        for loaded in load_file(item):
            if isinstance(loaded, ReleaseError):
                self.report.errors.append(loaded)
                self.failed.add(key)
                continue
            ids.append(loaded.id)
            state = self.states.get(loaded.id)
            if state == (loaded.sha256, self.identity) \
                    and str(release_iri(loaded.id)) in self.stored:
                self._unchanged(loaded.id, loaded.source)
                continue
            yield _Work(str(item), key, loaded)

    def jsonl_done(self) -> list[tuple[str, str, list[str]]]:
        return [(path, self.sha[path], ids) for path, ids in self._jsonl.items()
                if path not in self.failed]


def _forget_unstored(index, stored: set[str]) -> int:
    """Drop from the index the releases whose graph the store no longer holds; returns
    how many."""
    from kg.rdf import registry_iri, release_iri

    gone = [rid for rid in index.release_ids() if str(release_iri(rid)) not in stored]
    if gone:
        index.forget_releases(gone)
    lost = 0
    if index.get_meta("registry") is not None and str(registry_iri()) not in stored:
        index.set_meta("registry", None)  # written again by the next resolution
        lost = 1
    index.commit()
    return len(gone) + lost


def _fingerprint(view, release: Release) -> str:
    import hashlib

    import kg

    text = repr((kg.__version__, view, release.title, release.date, release.source,
                 release.url, release.language, release.sha256))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_resolved(store, index, registry, changed: set[str], report: BuildReport | None = None,
                   batch_size: int = BATCH_SIZE, registry_key: str | None = None,
                   force: bool = False, pool: _Workers | None = None) -> None:
    """Resolve every release of the build index together and write the graphs whose
    resolved data changed (and those of ``changed``), then the registry graph.

    Nothing is resolved when nothing changed: no release in ``changed``, every stored
    graph written from the current resolution, and the registry the one last used.
    """
    import hashlib

    from kg.rdf import registry_graph, registry_iri, release_iri
    from kg.resolve import resolve
    from kg.store.base import ntriples

    report = report or BuildReport()
    registry_sha = "none"
    if registry is not None:
        registry_sha = hashlib.sha256(repr(registry.entries).encode("utf-8")).hexdigest()
    fingerprints = index.fingerprints()
    if not changed and not force and registry_sha == index.get_meta("registry_sha") \
            and all(fingerprints.values()):
        return
    releases, facts, acronyms = [], [], {}
    for release, slim, defined in index.mentions():
        releases.append((release, len(facts)))
        facts.extend(slim)
        acronyms[release.id] = defined
    resolution = resolve(facts, registry, [r for r, _ in releases], acronyms)
    bounds = [start for _, start in releases[1:]] + ([len(facts)] if releases else [])

    def tasks():
        """(release, facts, resolved) of each graph to write, with its fingerprint."""
        for (release, start), end in zip(releases, bounds, strict=True):
            view = resolution.release_view(release, facts[start:end])
            fingerprint = _fingerprint(view, release)
            if release.id not in changed and fingerprints.get(release.id) == fingerprint:
                continue
            fingerprints[release.id] = fingerprint
            yield (release, *index.release_json(release.id), view)

    def write(graphs: list[tuple[Release, str]]) -> None:
        """One batch of graphs into the store (together: see ``put_ntriples_many``),
        then into the index: a graph the index records is in the store."""
        outcomes = store.put_ntriples_many([(str(release_iri(release.id)), text)
                                            for release, text in graphs])
        for (release, _), outcome in zip(graphs, outcomes, strict=True):
            index.set_fingerprint(release.id, fingerprints[release.id])
            if release.id in changed:
                report.status[release.id] = outcome
            else:
                report.reresolved.append(release.id)
        store.flush()
        index.commit()

    pool = pool or _Workers(1, None, None)
    pending: list[tuple[Release, str]] = []
    for (release, _, _, _), text in pool.map(_graph_in_worker, tasks()):
        if isinstance(text, ReleaseError):
            report.errors.append(text)
            continue
        pending.append((release, text))
        if len(pending) >= batch_size:
            write(pending)
            pending = []
    if pending:
        write(pending)
    graph_iri = str(registry_iri())
    triples = sorted(registry_graph(resolution.registry_view())) if registry is not None else []
    if not triples:  # no registry, or none of its entities named: no registry graph
        store.remove_release(graph_iri)  # a no-op (one look-up) when there is none
        index.set_meta("registry", None)
    else:
        fingerprint = hashlib.sha256(ntriples(triples).encode("utf-8")).hexdigest()
        if index.get_meta("registry") != fingerprint:
            store.put_graph(graph_iri, triples)
            index.set_meta("registry", fingerprint)
    index.set_meta("registry_sha", registry_sha)
    index.set_meta("registry_path", registry_key)
    index.commit()


STORED_SOURCES = """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?release ?source WHERE { GRAPH ?release { ?release dcterms:source ?source } }
"""


def _source_file(source: str) -> Path:
    """The file of a release's source (``batch.jsonl:12`` -> ``batch.jsonl``)."""
    head, sep, tail = source.rpartition(":")
    return Path(head if sep and tail.isdigit() else source).absolute()


def prune_releases(store, report: BuildReport) -> list[str]:
    """Remove the stored releases that the build of ``report`` did not load: after it,
    the store holds exactly the releases found under the build's paths.

    A release whose file failed to load in this build is kept as it was (the file is
    still there; fix it and build again), and nothing is removed when the build loaded
    nothing (a mistyped path must not empty the store).  Returns the removed ids.
    """
    from kg.rdf import release_iri

    if not report.loaded:
        return []
    kept = {str(release_iri(rid)) for rid in report.loaded}
    failed = {_source_file(e.path) for e in report.errors}
    removed = []
    for row in store.query(STORED_SOURCES):
        iri, source = str(row["release"]), str(row["source"])
        if iri in kept or _source_file(source) in failed:
            continue
        if store.remove_release(iri):
            removed.append(iri.rsplit("/", 1)[-1])
    return sorted(removed)


def remove_releases(store, releases: Iterable[str]) -> tuple[list[str], list[str]]:
    """Remove releases (ids or release IRIs) and their share of the merged default graph.

    The releases that stay are then resolved again without them (with the registry the
    last build used), so the store holds what a build of the remaining releases gives.
    Returns ``(removed, missing)``: the ones removed and the ones the store does not hold.
    """
    from kg.rdf import release_iri

    removed, missing = [], []
    for given in releases:
        iri = given if given.startswith(("http://", "https://")) else str(release_iri(given))
        (removed if store.remove_release(iri) else missing).append(given)
    if removed:
        re_resolve(store)
    return removed, missing


def re_resolve(store) -> BuildReport:
    """Forget the releases the store no longer holds, resolve the others again with the
    registry the last build used, and rewrite the graphs whose resolved data moved."""
    from kg.resolve import load_registry

    report = BuildReport()
    index = store.build_index()
    try:
        forgotten = _forget_unstored(index, set(store.graphs()))
        path = index.get_meta("registry_path")
        registry = load_registry(path) if path and Path(path).is_file() else None
        write_resolved(store, index, registry, set(), report, registry_key=path,
                       force=bool(forgotten))
    finally:
        index.close()
    return report


ENTITY_CLASSES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?entity ?class WHERE {
  ?entity a ?class ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?class), "https://w3id.org/corporate-kg/ontology#"))
  FILTER(REGEX(STR(?entity),
    "^https://w3id[.]org/corporate-kg/id/(org|person|place|site|product|industry|exchange)/"))
}
"""


def most_specific_classes(store) -> Counter:
    """Entities counted once each, under their most specific ontology class(es)."""
    from kg import vocab

    classes: dict = {}
    for row in store.query(ENTITY_CLASSES):
        classes.setdefault(row["entity"], set()).add(row["class"])
    counts: Counter = Counter()
    for types in classes.values():
        implied = {sup for cls in types for sup in vocab.superclasses(cls)[1:]}
        for cls in types - implied:
            counts[vocab.curie(cls)] += 1
    return counts


def summary(store, report: BuildReport) -> list[tuple[str, list[dict]]]:
    """Tables for the end of a build: releases, entities by class, facts by relation."""
    from kg import queries

    counts = Counter(report.status.values())
    releases = [{"releases": len(report.loaded), **{k: counts.get(k, 0)
                 for k in ("added", "replaced", "unchanged")},
                 "re-resolved": len(report.reresolved), "failed": len(report.errors)}]
    by_class = [{"class": cls, "entities": n}
                for cls, n in sorted(most_specific_classes(store).items(),
                                     key=lambda kv: (-kv[1], kv[0]))]
    by_relation = queries.rows_for_display(queries.run(store, "facts-by-relation"))
    return [("releases", releases), ("entities by class (most specific)", by_class),
            ("facts by relation", by_relation)]

"""The main job: release files -> facts -> entities -> one named graph per release -> store.

Each stage is the plain function of its own module; this module only wires them
together, spreads extraction over worker processes and reports what happened.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.errors import ReleaseError
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
    facts_by_relation: Counter = field(default_factory=Counter)
    entities_by_class: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.errors


# -- extraction of one release ----------------------------------------------------------

SECTION_CHARS = 500_000  # a text longer than this (or the pipeline's max_length) is cut
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
        window_end = start + limit
        half = start + limit // 2
        cut = text.rfind("\n\n", half, window_end)
        if cut >= 0:
            cut += 2
        else:
            ends = [m.end() for m in _SENTENCE_END.finditer(text, half, window_end)]
            if ends:
                cut = ends[-1]
            else:
                space = max(text.rfind(" ", half, window_end), text.rfind("\n", half, window_end))
                cut = space + 1 if space >= 0 else window_end
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def _clip_sections(sections, start: int, end: int) -> tuple:
    clipped = []
    for section in sections:
        lo, hi = max(section.start, start), min(section.end, end)
        if lo < hi:
            clipped.append(replace(section, start=lo - start, end=hi - start))
    return tuple(clipped)


def extract_release(release: Release, nlp, extractor: str | None = None) -> list[Fact]:
    """The facts of one release.

    A text longer than the pipeline can take (spaCy's ``max_length``) is extracted in
    sentence-aligned sections; the facts' offsets refer to the whole text, and a fact
    two sections state is kept once.
    """
    from kg.extract import extract_facts

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


def extract_or_error(release: Release, nlp, extractor: str | None = None) -> Extracted:
    """:func:`extract_release`, with any failure turned into a one-line ``ReleaseError``
    naming the release's file: one bad release must not stop a batch."""
    try:
        return extract_release(release, nlp, extractor)
    except Exception as exc:  # an extractor bug or a limit costs this release, not the batch
        log.debug("extraction failed on %s", release.source, exc_info=True)
        message = " ".join(str(exc).split())[:300]
        return ReleaseError(release.source, f"extraction failed: {type(exc).__name__}: {message}")


# -- extraction in worker processes -------------------------------------------------

_WORKER_NLP = None
_WORKER_EXTRACTOR = None


def _init_worker(model: str | None, extractor: str | None = None) -> None:
    global _WORKER_NLP, _WORKER_EXTRACTOR
    from kg.extract import load_pipeline

    _WORKER_NLP = load_pipeline(model)
    _WORKER_EXTRACTOR = extractor


def _extract_in_worker(release: Release) -> Extracted:
    return extract_or_error(release, _WORKER_NLP, _WORKER_EXTRACTOR)


DASK_CONNECT_TIMEOUT = "10s"  # how long to try reaching a remote scheduler


def extract_partition(releases: Sequence[Release], model: str | None = None,
                      extractor: str | None = None) -> list[Extracted]:
    """Facts of each release of one partition (or its ``ReleaseError``): the pure
    function a cluster maps.

    The spaCy pipeline is loaded once per process (``load_pipeline`` is cached).
    """
    from kg.extract import load_pipeline

    nlp = load_pipeline(model)
    return [extract_or_error(r, nlp, extractor) for r in releases]


def _extract_dask(releases: Sequence[Release], scheduler: str, workers: int,
                  model: str | None, progress: Progress | None,
                  extractor: str | None = None) -> list[Extracted]:
    """Map :func:`extract_partition` over partitions of ``releases`` with Dask.

    ``scheduler`` is ``"local"`` (a local cluster of ``workers`` processes, bound to
    127.0.0.1) or the address of a running scheduler (``tcp://host:8786``).
    """
    from kg.errors import KgError

    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as err:
        raise KgError("Dask is not installed: pip install 'corporate-kg[scale]' "
                      f"({err.name} missing)") from err
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        logging.getLogger("distributed").setLevel(logging.WARNING)  # one line per event else
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                   processes=True, host="127.0.0.1",
                                   dashboard_address="127.0.0.1:0",
                                   scheduler_kwargs={"dashboard": False})
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT)
    except OSError as err:
        if cluster is not None:
            cluster.close()
        raise KgError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from err
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        size = max(1, min(64, len(releases) // (n_workers * 4) or 1))
        parts = [list(releases[i:i + size]) for i in range(0, len(releases), size)]
        futures = client.map(extract_partition, parts, model=model, extractor=extractor,
                             pure=False)
        where = {f.key: i for i, f in enumerate(futures)}
        results: list[list[Extracted] | None] = [None] * len(parts)
        for future in as_completed(futures):
            results[where[future.key]] = future.result()
            if progress:
                progress(len(parts[where[future.key]]))
        return [facts for part in results for facts in part]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def extract_outcomes(
    releases: Sequence[Release],
    *,
    workers: int = 1,
    model: str | None = None,
    progress: Progress | None = None,
    scheduler: str | None = None,
    extractor: str | None = None,
) -> list[Extracted]:
    """Facts of each release, or the ``ReleaseError`` that says why it has none, in the
    order of ``releases``.

    With ``workers > 1`` the releases are spread over that many processes, each
    loading the spaCy pipeline once.  With ``scheduler`` (``"local"`` or a Dask
    scheduler address) partitions of the releases go to a Dask cluster instead.
    """
    from kg.extract import load_pipeline

    if scheduler and releases:
        return _extract_dask(releases, scheduler, workers, model, progress, extractor)
    if workers <= 1 or len(releases) < 2:
        nlp = load_pipeline(model)
        out = []
        for release in releases:
            out.append(extract_or_error(release, nlp, extractor))
            if progress:
                progress(1)
        return out
    chunk = max(1, min(64, len(releases) // (workers * 8) or 1))
    out = []
    with ProcessPoolExecutor(workers, initializer=_init_worker,
                             initargs=(model, extractor)) as pool:
        for facts in pool.map(_extract_in_worker, releases, chunksize=chunk):
            out.append(facts)
            if progress:
                progress(1)
    return out


def extract_all(
    releases: Sequence[Release],
    *,
    workers: int = 1,
    model: str | None = None,
    progress: Progress | None = None,
    scheduler: str | None = None,
    errors: list[ReleaseError] | None = None,
    extractor: str | None = None,
) -> list[list[Fact]]:
    """Facts of each release, in the order of ``releases`` (see :func:`extract_outcomes`).

    A release whose extraction fails gets no facts and its ``ReleaseError`` is appended
    to ``errors``; without ``errors`` the first one is raised.
    """
    out = []
    for outcome in extract_outcomes(releases, workers=workers, model=model, progress=progress,
                                    scheduler=scheduler, extractor=extractor):
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
) -> BuildReport:
    """Load, extract, resolve and store every release under ``paths``.

    Parameters
    ----------
    paths : files or directories of releases (any suffix a loader is registered for).
    store : an open ``kg.store`` Store.
    workers : extraction processes.
    scheduler : ``"local"`` or a Dask scheduler address to extract on a cluster.
    model : optional spaCy pipeline name (rules only when None).
    extractor : ``"model"`` (the default: trained layers with the rules as features) or
        ``"rules"``.
    registry_path : the curated alias registry (``data/entities.yaml``).
    prune : afterwards, remove the stored releases this build did not find under
        ``paths`` (see :func:`prune_releases`).

    Returns
    -------
    BuildReport

    A release whose graph cannot be built is reported as an error; the graphs of the
    other releases, and everything already in the store, are kept.
    """
    from kg.rdf import release_graph
    from kg.resolve import load_registry, resolve

    report = BuildReport(registry=str(registry_path) if registry_path else None)
    registry = load_registry(registry_path) if registry_path else None  # a bad one fails first
    releases, errors = load_releases(paths)
    report.errors.extend(errors)
    outcomes = extract_outcomes(releases, workers=workers, model=model, progress=progress,
                                scheduler=scheduler, extractor=extractor)
    extracted = []
    for release, outcome in zip(releases, outcomes, strict=True):
        if isinstance(outcome, ReleaseError):
            report.errors.append(outcome)  # its stored graph, if any, stays as it was
        else:
            extracted.append((release, outcome))
    all_facts = [f for _, facts in extracted for f in facts]
    resolution = resolve(all_facts, registry)

    for release, facts in extracted:
        graph = release_graph(release, facts, resolution)
        report.status[release.id] = store.load_release(str(graph.identifier), graph, release.sha256)
        report.loaded.append(release.id)
        report.facts_by_relation.update(f.relation for f in facts)
    if prune:
        report.removed = prune_releases(store, report)
    return report


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

    Returns ``(removed, missing)``: the ones removed and the ones the store does not hold.
    """
    from kg.rdf import release_iri

    removed, missing = [], []
    for given in releases:
        iri = given if given.startswith(("http://", "https://")) else str(release_iri(given))
        (removed if store.remove_release(iri) else missing).append(given)
    return removed, missing


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
                 for k in ("added", "replaced", "unchanged")}, "failed": len(report.errors)}]
    by_class = [{"class": cls, "entities": n}
                for cls, n in sorted(most_specific_classes(store).items(),
                                     key=lambda kv: (-kv[1], kv[0]))]
    by_relation = queries.rows_for_display(queries.run(store, "facts-by-relation"))
    return [("releases", releases), ("entities by class (most specific)", by_class),
            ("facts by relation", by_relation)]

"""`kg validate` on a big store: time and memory on a generated store of --quads quads.

A benchmark, not a test (run with `make bench`).  It builds the sample releases in
data/releases with the rules (the facts checked by hand), then writes copies of their
release graphs into a new Oxigraph store until the named graphs hold at least --quads
quads: copy i renames the releases, facts and extraction activities, and the
companies, people and sites (``.../org/x`` -> ``.../org/x-c<i>``), keeping places,
exchanges, products and industries shared, as a growing corpus about many groups
would.  The default graph is the merge of the named graphs, as `kg build` keeps it.
Each copy carries the sample data's findings (the production-site conflict and
counts), so the checks also report thousands of violations (capped per check).

Then it runs the same checks as `kg validate` (kg.validate.validate) on the store
opened read-only, and prints the time of each kind of check, what failed, and the peak
resident memory of the process (``ru_maxrss``; generation included, printed apart).

    python bench/validate_scale.py --quads 1000000 [--store DIR] [--keep]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from kg import vocab  # noqa: E402

RENAMED = ("release/", "fact/", "extraction/", "org/", "person/", "site/")


def sample_quads() -> list[ox.Quad]:
    """The quads of the sample releases' named graphs, built with the rules."""
    from kg.build import build
    from kg.store import open_store

    with open_store("memory:") as store:
        build([ROOT / "data" / "releases"], store, extractor="rules",
              registry_path=ROOT / "data" / "entities.yaml")
        raw = store._open_store()  # the engine's own store: quads without conversion
        return [q for q in raw.quads_for_pattern(None, None, None)
                if not isinstance(q.graph_name, ox.DefaultGraph)]


def _renamer(copy: int):
    cache: dict[str, ox.NamedNode] = {}

    def rename(term):
        if not isinstance(term, ox.NamedNode) or not term.value.startswith(vocab.KGR_IRI):
            return term
        iri = term.value
        if iri not in cache:
            rest = iri[len(vocab.KGR_IRI):]
            new = iri
            for prefix in RENAMED:
                if rest.startswith(prefix):
                    head, _, tail = rest[len(prefix):].partition("/")
                    new = f"{vocab.KGR_IRI}{prefix}{head}-c{copy}" + (f"/{tail}" if tail else "")
                    break
            cache[iri] = ox.NamedNode(new)
        return cache[iri]

    return rename


def generate(path: Path, quads: int) -> tuple[int, int, float]:
    """Write copies of the sample into a new store at ``path`` -> (named quads, releases,
    seconds)."""
    start = time.perf_counter()
    base = sample_quads()
    releases_per_copy = len({q.graph_name for q in base})
    store = ox.Store(str(path))
    written, copy = 0, 0
    while written < quads:
        rename = _renamer(copy)
        batch = [ox.Quad(rename(q.subject), rename(q.predicate), rename(q.object),
                         rename(q.graph_name)) for q in base]
        store.bulk_extend(batch)
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                          for q in batch)
        written += len(batch)
        copy += 1
    store.flush()
    store.optimize()
    del store
    return written, copy * releases_per_copy, time.perf_counter() - start


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quads", type=int, default=1_000_000,
                        help="quads in the named graphs (default 1,000,000)")
    parser.add_argument("--store", type=Path, help="where to write the store "
                        "(default: a temporary folder, removed afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the generated store")
    args = parser.parse_args()

    from kg.store import open_store
    from kg.validate import validate

    folder = args.store or Path(tempfile.mkdtemp(prefix="kg-validate-scale-")) / "store"
    if folder.exists() and any(folder.iterdir()):
        sys.exit(f"{folder}: not empty; pass a new folder with --store")
    try:
        written, releases, seconds = generate(folder, args.quads)
        generation_peak = peak_mb()
        print(f"generated {written:,} quads in {releases:,} release graphs in {seconds:.1f} s "
              f"(peak RSS so far {generation_peak:.0f} MB)")
        start = time.perf_counter()
        with open_store(str(folder), read_only=True) as store:
            report = validate(store)
        elapsed = time.perf_counter() - start
        by_kind: Counter = Counter()
        for check in report.checks:
            by_kind[check.kind] += check.seconds
        print(f"kg validate: {len(report.checks)} checks on {report.quads:,} quads in "
              f"{elapsed:.1f} s (" + ", ".join(f"{k} {s:.1f} s" for k, s in by_kind.items())
              + f"); peak RSS {peak_mb():.0f} MB")
        slowest = sorted(report.checks, key=lambda c: -c.seconds)[:3]
        print("slowest: " + ", ".join(f"{c.name} {c.seconds:.1f} s" for c in slowest))
        for check in report.failed:
            more = "at least " if check.truncated else ""
            print(f"  FAIL {check.name}: {more}{len(check.violations):,} violations")
        print(f"result: {'under' if elapsed < 60 else 'OVER'} 60 s")
    finally:
        if not args.keep and not args.store:
            shutil.rmtree(folder.parent, ignore_errors=True)
        elif args.keep or args.store:
            print(f"store kept at {folder}")


if __name__ == "__main__":
    main()

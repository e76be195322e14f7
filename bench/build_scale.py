"""Build at scale: the whole pipeline on 1,000 and 10,000 generated releases.

A benchmark, not a test (run with `make bench`).  It writes N release files of the
sample data's shape (the releases of data/releases with their places, years and
company names varied: about one new company name in twenty releases, so that the
number of entities grows with the corpus), and measures, each build in a fresh
process so that peak memory is its own:

* ``build``: `kg build` with the rules extractor on 2 workers into a new store
  (releases/s, seconds per release, peak resident memory of the main process and of
  the largest worker, and the store's time per release write);
* ``no-op rebuild``: the same build again, nothing changed (every file costs a hash);
* ``replace 10``: ten releases changed, then built again: the time per release write
  with N releases stored (constant per-release store cost).

Targets (issue 10): 10k in under 5 minutes, per-release time at 10k within 1.2x of
1k, peak under 1 GB, no-op rebuild of 10k under 15 s.

    python bench/build_scale.py              # 1,000 and 10,000
    python bench/build_scale.py --size 200   # a quick try
    python bench/build_scale.py --size 1000 --dask local --out dask.json
                                             # the same on a local Dask cluster

Prints a table and writes ``bench/build_scale.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract_speed import SWAPS  # noqa: E402  (the same place and year variants)

# company words replaced by invented ones, one new name about every twenty releases
COMPANY_WORDS = ("Hongqiao", "Hongtuo", "Hongchuang")
SYLLABLES = ["ka", "lo", "mi", "ren", "sha", "tu", "vei", "zan", "qin", "bo", "dar", "feng"]


def _name(number: int) -> str:
    rng = random.Random(number)
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def write_corpus(folder: Path, n: int, seed: int = 7) -> None:
    """``n`` release files under ``folder``, made from data/releases."""
    base = sorted(p for p in (ROOT / "data" / "releases").iterdir() if p.is_file())
    texts = [(p.stem, p.suffix, p.read_text(encoding="utf-8")) for p in base]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        stem, suffix, text = texts[i % len(texts)]
        for word, options in SWAPS:
            text = text.replace(word, rng.choice(options))
        if text.startswith("---\n"):  # front matter: a release id of its own
            text = text.replace("\nid: ", f"\nid: {i:05d}-", 1)
        group = _name(rng.randrange(max(1, n // 20)))
        for word in COMPANY_WORDS:
            text = text.replace(word, group + word[-3:])
        (folder / f"{stem}-{i:05d}{suffix}").write_text(text, encoding="utf-8")


def child(args) -> None:
    """Run one build in this process and print its figures as JSON."""
    from kg.build import build
    from kg.store import open_store
    from kg.store.oxigraph import OxigraphStore

    writes: list[float] = []  # the store's time per graph written
    real_many, real_graph = OxigraphStore.put_ntriples_many, OxigraphStore.put_graph

    def timed_many(self, graphs):  # the release graphs, a batch at a time
        start = time.perf_counter()
        try:
            return real_many(self, graphs)
        finally:
            writes.extend([(time.perf_counter() - start) / max(1, len(graphs))] * len(graphs))

    def timed_graph(self, graph_iri, triples):  # the registry graph
        start = time.perf_counter()
        try:
            return real_graph(self, graph_iri, triples)
        finally:
            writes.append(time.perf_counter() - start)

    OxigraphStore.put_ntriples_many, OxigraphStore.put_graph = timed_many, timed_graph
    start = time.perf_counter()
    with open_store(args.store) as store:
        report = build([args.releases], store, workers=args.workers, extractor="rules",
                       registry_path=ROOT / "data" / "entities.yaml", scheduler=args.dask)
    seconds = time.perf_counter() - start
    quads = None
    with open_store(args.store, read_only=True) as store:
        quads = store.count()
    print(json.dumps({
        "seconds": seconds,
        "releases": len(report.loaded),
        "changed": sum(1 for s in report.status.values() if s != "unchanged"),
        "reresolved": len(report.reresolved),
        "errors": len(report.errors),
        "writes": len(writes),
        "write_ms": 1000 * sum(writes) / len(writes) if writes else None,
        "peak_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "quads": quads,
    }))


def run_child(releases: Path, store: Path, workers: int, dask: str | None = None) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", "--releases", str(releases),
                          "--store", str(store), "--workers", str(workers),
                          *(["--dask", dask] if dask else [])],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"build failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(n: int, workers: int, scratch: Path, dask: str | None = None) -> dict:
    releases, store = scratch / f"releases-{n}", scratch / f"store-{n}"
    write_corpus(releases, n)
    first = run_child(releases, store, workers, dask)
    noop = run_child(releases, store, workers, dask)
    changed = sorted(releases.iterdir())[:: max(1, n // 10)][:10]
    for path in changed:
        path.write_text(path.read_text(encoding="utf-8") + "\nA closing line.\n",
                        encoding="utf-8")
    replace = run_child(releases, store, workers, dask)
    shutil.rmtree(releases, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    return {"releases": n, "workers": workers, "dask": dask, "build": first, "noop": noop,
            "replace": replace}


def table(results: list[dict]) -> str:
    rows = [("releases", "build s", "rel/s", "ms/release", "write ms", "peak main MB",
             "peak worker MB", "quads", "no-op s", "replace: write ms", "replace s")]
    for r in results:
        b, noop, rep = r["build"], r["noop"], r["replace"]
        rows.append((f"{r['releases']:,}", f"{b['seconds']:.1f}", f"{r['releases'] / b['seconds']:.1f}",
                     f"{1000 * b['seconds'] / r['releases']:.1f}", f"{b['write_ms']:.2f}",
                     f"{b['peak_main_mb']:.0f}", f"{b['peak_worker_mb']:.0f}", f"{b['quads']:,}",
                     f"{noop['seconds']:.2f}", f"{rep['write_ms']:.2f}" if rep["write_ms"] else "-",
                     f"{rep['seconds']:.1f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, action="append",
                        help="number of releases (repeatable; default 1000 and 10000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dask", help="'local' or a Dask scheduler address (kg build --dask)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "build_scale.json")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--releases", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    sizes = args.size or [1000, 10000]
    results = []
    with tempfile.TemporaryDirectory(prefix="kg-build-scale-") as scratch:
        for n in sizes:
            where = f" of a Dask cluster ({args.dask})" if args.dask else ""
            print(f"building {n:,} generated releases on {args.workers} workers{where} ...",
                  flush=True)
            results.append(measure(n, args.workers, Path(scratch), args.dask))
    print(table(results))
    if len(results) >= 2:
        small, large = results[0], results[-1]
        ratio = (large["build"]["seconds"] / large["releases"]) / \
                (small["build"]["seconds"] / small["releases"])
        print(f"time per release at {large['releases']:,} / at {small['releases']:,}: {ratio:.2f}x")
    args.out.write_text(json.dumps({"results": results}, indent=2) + "\n", encoding="utf-8")
    print(f"written {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()

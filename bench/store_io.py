"""Store input and output at scale, each figure beside its baseline in the same run.

A benchmark, not a test (``make bench``; try ``--quads 100000`` first).  It writes a
generated N-Quads file of release graphs (:mod:`bench.synthetic`, about ``--quads``
quads), then measures, every operation in a child process of its own (peak memory is
that process's), baseline and ours alternating ``--repeat`` times (median seconds):

* ``kg load`` (:func:`kg.load.load`: the file, plus its merge into the default graph)
  against pyoxigraph's raw ``Store.bulk_load`` of the file alone;
* ``kg export`` N-Quads and Turtle (:func:`kg.export.export`) against pyoxigraph's raw
  ``Store.dump`` (N-Quads: the whole dataset; Turtle: the default graph), on the store
  ``kg load`` wrote;
* named queries (:mod:`kg.queries`) on that store, as rows of rdflib terms
  (``queries.run``) and as the engine's SPARQL results JSON (``kg query --format json``),
  against the same queries on rdflib's in-memory ``Dataset`` (default graph = union of
  the named graphs) holding the same quads, each rdflib query stopped after
  ``--query-timeout`` seconds.

Targets (issue 10): load within 1.25x of raw bulk_load and under 1.5 GB; N-Quads export
within 1.5x of Store.dump and under 300 MB; Turtle within 2x; queries at least 5x faster
than rdflib.  Prints a table and writes ``bench/results/store_io.json``.
"""

from __future__ import annotations

import shutil
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    bench_parser,
    child_args,
    child_done,
    measured,
    median_run,
    merge_runs,
    print_table,
    ran_as_child,
    verdict,
    work_folder,
    write_results,
)

QUERIES = ["releases", "facts-by-relation", "entities-by-class", "owners", "low-confidence",
           "subsidiaries"]


# --- the children: one operation each, timed inside ------------------------------------------


def child(op: str, args: list[str]) -> None:
    started = time.perf_counter()
    extra: dict = {}
    if op == "raw-load":
        import pyoxigraph as ox

        store = ox.Store(args[1])
        store.bulk_load(path=args[0], format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
    elif op == "kg-load":
        from kg.load import load
        from kg.store import open_store

        with open_store(args[1]) as store:
            extra["statements"] = load(store, [args[0]]).quads
    elif op == "raw-dump":
        import pyoxigraph as ox

        store = ox.Store.read_only(args[0])
        fmt = ox.RdfFormat.N_QUADS if args[2] == "nquads" else ox.RdfFormat.TURTLE
        graph = None if args[2] == "nquads" else ox.DefaultGraph()
        store.dump(args[1], fmt, from_graph=graph)
    elif op == "kg-export":
        from kg.export import export
        from kg.store import open_store

        with open_store(args[0], read_only=True) as store:
            extra["statements"] = export(store, args[1], args[2])
    elif op == "kg-queries":
        from kg import queries
        from kg.store import open_store

        times: dict[str, float] = {}
        engine: dict[str, float] = {}
        with open_store(args[0], read_only=True) as store:
            for name in QUERIES:
                runs, served = [], []
                for _ in range(3):
                    t = time.perf_counter()
                    rows = queries.run(store, name)  # rows of rdflib terms, like rdflib's
                    runs.append(time.perf_counter() - t)
                    t = time.perf_counter()  # SPARQL results JSON, as `kg query -f json`
                    queries.serialize_results(queries.run_results(store, name), "json")
                    served.append(time.perf_counter() - t)
                times[name] = round(statistics.median(runs), 4)
                engine[name] = round(statistics.median(served), 4)
                extra[f"rows_{name}"] = len(rows)
        extra["queries"] = times
        extra["engine"] = engine
    elif op == "rdflib-queries":
        import rdflib

        from kg.queries import prepare
        from kg.store.base import bind_values

        t = time.perf_counter()
        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(args[0], format="nquads")
        extra["parse_s"] = round(time.perf_counter() - t, 2)
        timeout = float(args[1])

        def stop(signum, frame):
            raise TimeoutError

        signal.signal(signal.SIGALRM, stop)
        times = {}
        for name in QUERIES:
            query, bindings = prepare(name)
            t = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                rows = list(dataset.query(bind_values(query.sparql, bindings)))
                extra[f"rows_{name}"] = len(rows)
                times[name] = round(time.perf_counter() - t, 4)
            except TimeoutError:
                times[name] = None  # stopped at the timeout
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        extra["queries"] = times
    else:
        sys.exit(f"unknown child operation {op}")
    child_done(op, started, extra)


# --- the bench -------------------------------------------------------------------------------


def main() -> None:
    if ran_as_child(child):  # one measured operation, in a process of its own
        return
    parser = bench_parser(__doc__)
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--query-timeout", type=float, default=60.0,
                        help="seconds before an rdflib query is stopped")
    parser.add_argument("--only", choices=["load", "export", "queries"], default=None,
                        help="measure only this part (the store is loaded anyway)")
    parser.add_argument("--skip-rdflib", action="store_true",
                        help="no rdflib baseline (it needs about 1.8 GB for 1M quads)")
    args = parser.parse_args()

    from bench.synthetic import write_nquads

    with work_folder(args.work) as work:
        source = work / "releases.nq"
        quads, releases = write_nquads(source, args.quads)
        print(f"{source.name}: {quads:,} quads in {releases:,} release graphs "
              f"({source.stat().st_size / 1e6:,.0f} MB); repeat {args.repeat}, median seconds")

        parts = {args.only} if args.only else {"load", "export", "queries"}
        store = work / "kg-load-store"
        rows: list[dict] = []
        # load: raw bulk_load of the file against kg load (file + merge)
        loads = []
        for _ in range(args.repeat if "load" in parts else 1):
            for what in ("raw-load", "kg-load") if "load" in parts else ("kg-load",):
                target = work / f"{what}-store"
                shutil.rmtree(target, ignore_errors=True)
                loads.append(measured(child_args(__file__, what, source, target)))
        if "load" in parts:
            raw = merge_runs([r for r in loads if r["op"] == "raw-load"])
            ours = merge_runs([r for r in loads if r["op"] == "kg-load"])
            load_row = {"operation": "kg load N-Quads (+ merge)", "baseline": "Store.bulk_load",
                        "baseline_s": raw["seconds"], "ours_s": ours["seconds"],
                        "ratio": round(ours["seconds"] / raw["seconds"], 2),
                        "baseline_mb": raw["peak_mb"], "ours_mb": ours["peak_mb"],
                        "target": "<= 1.25x, < 1500 MB"}
            load_row["verdict"] = verdict(load_row["ratio"] <= 1.25 and ours["peak_mb"] < 1500)
            rows.append(load_row)

        # export: raw Store.dump against kg export, N-Quads and Turtle
        exports = (("nquads", ".nq", 1.5, 300), ("turtle", ".ttl", 2.0, None))
        for fmt, suffix, limit, mb in exports if "export" in parts else ():
            raw_out, our_out = work / f"raw{suffix}", work / f"ours{suffix}"
            raw, ours = median_run([child_args(__file__, "raw-dump", store, raw_out, fmt),
                                    child_args(__file__, "kg-export", store, our_out, fmt)],
                                   args.repeat)
            ratio = round(ours["seconds"] / raw["seconds"], 2)
            row = {"operation": f"kg export {fmt}", "baseline": "Store.dump",
                   "baseline_s": raw["seconds"], "ours_s": ours["seconds"], "ratio": ratio,
                   "baseline_mb": raw["peak_mb"], "ours_mb": ours["peak_mb"],
                   "target": f"<= {limit}x" + (f", < {mb} MB" if mb else ""),
                   "size_mb": round(our_out.stat().st_size / 1e6, 1)}
            row["verdict"] = verdict(ratio <= limit and (mb is None or ours["peak_mb"] < mb))
            rows.append(row)
            raw_out.unlink(missing_ok=True)
            our_out.unlink(missing_ok=True)

        # named queries: the store against rdflib in memory
        query_rows = []
        ours = measured(child_args(__file__, "kg-queries", store)) if "queries" in parts else None
        if ours is not None and not args.skip_rdflib:
            theirs = measured(child_args(__file__, "rdflib-queries", source, args.query_timeout))
            for name in QUERIES:
                mine, served = ours["queries"][name], ours["engine"][name]
                other = theirs["queries"][name]
                slower = other if other is not None else args.query_timeout
                bound = ">" if other is None else ""
                query_rows.append({
                    "operation": f"query {name}", "baseline": "rdflib Dataset",
                    "baseline_s": other if other is not None else f">{args.query_timeout:g}",
                    "rows_s": mine, "json_s": served,
                    "speedup_rows": f"{bound}{slower / max(mine, 1e-4):,.1f}x",
                    "speedup_json": f"{bound}{slower / max(served, 1e-4):,.1f}x",
                    "rows": ours.get(f"rows_{name}"), "target": ">= 5x",
                    "verdict_rows": verdict(slower / max(mine, 1e-4) >= 5),
                    "verdict_json": verdict(slower / max(served, 1e-4) >= 5)})
            print(f"rdflib: parsed the file in {theirs['parse_s']} s, peak {theirs['peak_mb']} MB")
        elif ours is not None:
            query_rows = [{"operation": f"query {n}", "rows_s": ours["queries"][n],
                           "json_s": ours["engine"][n], "rows": ours.get(f"rows_{n}")}
                          for n in QUERIES]

        columns = ["operation", "baseline", "baseline_s", "ours_s", "ratio", "baseline_mb",
                   "ours_mb", "target", "verdict"]
        if rows:
            print_table("load and export (seconds: median; MB: peak resident memory)", rows,
                        columns)
        if query_rows:
            print_table("named queries (seconds; Oxigraph: median of 3; rows_s: kg.queries.run, "
                        "rows of rdflib terms as rdflib gives; json_s: the engine's SPARQL "
                        "results JSON, as `kg query --format json`)", query_rows,
                        ["operation", "baseline", "baseline_s", "rows_s", "json_s",
                         "speedup_rows", "speedup_json", "rows", "target", "verdict_rows",
                         "verdict_json"])
        name = "store_io" + (f"_{args.only}" if args.only else "")
        path = write_results(name, {"quads": quads, "releases": releases,
                                    "repeat": args.repeat, "rows": rows + query_rows})
        print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""`kg view` of a large graph: time to write the page, and time until Chromium shows it.

A benchmark, not a test (``make bench``; try ``--entities 500 --facts 1000`` first).  It
loads generated release graphs (:mod:`bench.synthetic`) with ``--facts`` facts between
``--entities`` companies, places and exchanges into a store, then measures, each in a
child process of its own:

* ``kg view`` writing the page (reading the store, the company graph, the layout computed
  in Python, the HTML), against its baseline: the same command with ``--limit 300`` (the
  physics layout in the browser, as every page had before);
* Chromium (Playwright, headless, every network request refused) from opening the page
  to ``window.kgReady`` (drawn, physics off), against the ``--limit 300`` page, which is
  ready once vis-network's physics has settled; and a screenshot of the large page.

Targets (issue 10): 5,000 entities and 10,000 facts written in under 10 s, ready in
under 5 s, the labels of the top entities readable in the screenshot.  Prints a table and
writes ``bench/results/view_speed.json`` (and ``view_speed.png``).
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    RESULTS,
    bench_parser,
    child_args,
    child_done,
    measured,
    print_table,
    ran_as_child,
    verdict,
    work_folder,
    write_results,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]


def child(op: str, args: list[str]) -> None:
    started = time.perf_counter()
    extra: dict = {}
    if op == "kg-view":
        from typer.testing import CliRunner

        from kg.cli import app

        result = CliRunner().invoke(app, ["view", args[1], "--store", args[0], *args[2:]])
        if result.exit_code != 0:
            sys.exit(result.output)
        # "wrote PATH: N entities, ..." without the path
        extra["said"] = result.stderr.strip().splitlines()[-1].split(": ", 1)[-1]
    elif op == "chromium":
        from playwright.sync_api import sync_playwright

        page_path = Path(args[0]).resolve()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                       else r.abort())
            started = time.perf_counter()
            page.goto(page_path.as_uri())
            page.wait_for_function("() => window.kgReady === true", timeout=120_000)
            ready = time.perf_counter() - started
            if len(args) > 1:
                page.screenshot(path=args[1])
            extra["nodes"] = page.evaluate("() => window.kgNodes.length")
            browser.close()
        extra["seconds"] = round(ready, 3)  # open to ready, not the browser's start
    else:
        sys.exit(f"unknown child operation {op}")
    child_done(op, started, extra)


def main() -> None:
    if ran_as_child(child):  # one measured operation, in a process of its own
        return
    parser = bench_parser(__doc__)
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--facts", type=int, default=10000)
    args = parser.parse_args()

    from bench.synthetic import FACTS_PER_RELEASE, QUADS_PER_RELEASE, write_nquads
    from kg.load import load
    from kg.store import open_store

    with work_folder(args.work) as work:
        releases = max(1, args.facts // FACTS_PER_RELEASE)
        source = work / "releases.nq"
        quads, releases = write_nquads(source, releases * QUADS_PER_RELEASE,
                                       entities=args.entities)
        store = work / "store"
        shutil.rmtree(store, ignore_errors=True)
        with open_store(store) as st:
            load(st, [source])
        big, small = work / "large.html", work / "limit300.html"
        ours = measured(child_args(__file__, "kg-view", store, big))
        base = measured(child_args(__file__, "kg-view", store, small, "--limit", "300"))
        shot = RESULTS / "view_speed.png"
        RESULTS.mkdir(parents=True, exist_ok=True)
        ready = measured(child_args(__file__, "chromium", big, shot))
        ready_base = measured(child_args(__file__, "chromium", small))
        rows = [
            {"operation": "kg view: write the page", "baseline": "--limit 300 (physics)",
             "baseline_s": base["seconds"], "ours_s": ours["seconds"], "ours_mb": ours["peak_mb"],
             "target": "< 10 s", "verdict": verdict(ours["seconds"] < 10),
             "page": ours["said"], "size_mb": round(big.stat().st_size / 1e6, 1)},
            {"operation": "Chromium: open to ready", "baseline": "--limit 300 (physics)",
             "baseline_s": ready_base["seconds"], "ours_s": ready["seconds"],
             "target": "< 5 s", "verdict": verdict(ready["seconds"] < 5),
             "page": f"{ready['nodes']} nodes drawn"},
        ]
        print(f"{releases:,} generated releases, {quads:,} quads: {ours['said']}")
        print_table("kg view of a large graph (seconds)", rows,
                    ["operation", "baseline", "baseline_s", "ours_s", "target", "verdict", "page"])
        path = write_results("view_speed", {"entities": args.entities, "facts": args.facts,
                                            "rows": rows, "screenshot": shot.name})
        print(f"\nwrote {path.relative_to(ROOT)} and {shot.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""What the benches share: a measured child process, a table, a JSON file of results.

Each measured operation runs in a child process of its own, so that its peak resident
memory is its own (read with ``os.wait4``, the kernel's figure for that child alone); the
child times the operation itself and prints it as one JSON line, so interpreter start-up
and imports are left out of the seconds (not out of the memory, which counts them).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def measured(args: list[str], timeout: float | None = None) -> dict:
    """Run ``python ARGS...`` in ``ROOT``; return its last JSON line of output, plus
    ``peak_mb`` (the child's own maximum resident set), ``wall_s`` and ``cpu_s`` (its
    user and system time: on a busy shared machine, about what an idle one would take).
    A child that fails stops the bench with its error output."""
    started = time.perf_counter()
    with open(os.devnull, "rb") as devnull, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as errors:
        # files, not pipes: a child that writes much never blocks on a full pipe
        proc = subprocess.Popen([sys.executable, *args], stdout=out, stderr=errors,
                                stdin=devnull, cwd=ROOT)
        deadline = None if timeout is None else started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise TimeoutError(" ".join(args))
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        errors.seek(0)
        text = out.read().decode(errors="replace")
        err = errors.read().decode(errors="replace")
    code = proc.returncode
    if code != 0:
        sys.exit(f"bench child failed ({code}): {' '.join(args)}\n{err.strip()[-2000:]}")
    lines = [line for line in text.splitlines() if line.startswith("{")]
    result = json.loads(lines[-1]) if lines else {}
    result["peak_mb"] = round(usage.ru_maxrss / 1024, 1)
    result["wall_s"] = round(time.perf_counter() - started, 3)
    result["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 3)  # the child's own CPU time
    return result


def median_run(args_list: list[list[str]], repeat: int) -> list[dict]:
    """Run each of several commands ``repeat`` times, alternating them (so that a busy
    moment of a shared machine hits both alike); per command the median of ``seconds``
    and the largest ``peak_mb``."""
    runs: list[list[dict]] = [[] for _ in args_list]
    for _ in range(repeat):
        for i, args in enumerate(args_list):
            runs[i].append(measured(args))
    merged = []
    for results in runs:
        best = {**results[0], **merge_runs(results)}
        best["seconds_all"] = [r["seconds"] for r in results]
        merged.append(best)
    return merged


def merge_runs(results: list[dict]) -> dict:
    """Several runs of one command: the median ``seconds`` and the largest ``peak_mb``."""
    return {"seconds": round(statistics.median(r["seconds"] for r in results), 3),
            "peak_mb": max(r["peak_mb"] for r in results)}


def bench_parser(doc: str) -> argparse.ArgumentParser:
    """A bench's arguments, described by the first paragraph of its docstring, with
    ``--work`` (see :func:`work_folder`)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for the generated files and stores (default: a temporary "
                             "one beside the project, removed afterwards)")
    return parser


def child_args(script: str, op: str, *args) -> list[str]:
    """The arguments of :func:`measured` that run operation ``op`` of the bench
    ``script`` (its ``__file__``) in a child process of its own (:func:`ran_as_child`)."""
    return [str(Path(script).resolve().relative_to(ROOT)), "--child", op, *map(str, args)]


def ran_as_child(child) -> bool:
    """When this process was started as one measured operation (``--child OP ARG...``),
    run ``child(OP, ARGS)`` and say so; the bench's ``main`` then returns."""
    if sys.argv[1:2] != ["--child"]:
        return False
    child(sys.argv[2], sys.argv[3:])
    return True


def child_done(op: str, started: float, extra: dict) -> None:
    """A child's result: one JSON line, its seconds counted from ``started``."""
    print(json.dumps({"op": op, "seconds": round(time.perf_counter() - started, 3), **extra}))


@contextmanager
def work_folder(work: Path | None) -> Iterator[Path]:
    """``work`` (kept), or a temporary folder under bench/ removed afterwards."""
    folder = work or Path(tempfile.mkdtemp(prefix="kg-bench-", dir=ROOT / "bench"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield folder
    finally:
        if work is None:
            shutil.rmtree(folder, ignore_errors=True)


def print_table(title: str, rows: list[dict], columns: list[str]) -> None:
    widths = {c: max(len(c), *(len(_cell(r.get(c))) for r in rows)) for c in columns}
    print(f"\n{title}")
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        print("  ".join(_cell(row.get(c)).ljust(widths[c]) for c in columns))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def write_results(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {"bench": name, "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
               "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **payload}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"

"""Extraction speed and memory: releases per second on one and two workers.

A benchmark, not a test (run with `make bench`).  It builds a corpus of at least
1,000 releases of 2-5 KB from the sample releases in data/releases (names varied so
that no two releases are the same), then times, in the same run:

* baseline: spaCy's blank English tokenizer over the same texts (one process), the
  floor any spaCy-based extractor pays;
* extraction with 1 worker and with 2 workers, for the default trained extractor
  ("model") and for the rules alone ("rules"), with --spacy-model when given.

Figures are printed as absolute numbers and as ratios to the baseline, because this
machine is shared and noisy.  Peak memory is the largest resident set of this
process and of its worker processes.

``--check-gates`` instead checks, on the same corpus, that every sentence a relation
rule matches passes that rule's literal gate (the pre-test that lets extraction skip
a rule; a gate too strict would drop facts silently).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.build import extract_all  # noqa: E402
from kg.model import Release  # noqa: E402

SWAPS = [
    ("Qingdao", ["Yantai", "Weifang", "Jinan", "Linyi", "Dezhou"]),
    ("Shandong", ["Jiangsu", "Zhejiang", "Anhui", "Hebei", "Henan"]),
    ("2023", ["2019", "2020", "2021", "2022", "2024"]),
]


def corpus(n: int, seed: int = 7) -> list[Release]:
    """``n`` releases of 2-5 KB made from the sample releases."""
    from kg.releases import load_paths

    base = [r for r in load_paths([ROOT / "data" / "releases"]).releases]
    if not base:
        sys.exit("no sample releases in data/releases")
    rng = random.Random(seed)
    out = []
    i = 0
    while len(out) < n:
        a = base[i % len(base)]
        b = base[(i * 7 + 3) % len(base)]
        text = a.text
        if len(text.encode()) < 2100:
            text = text + "\n\n" + b.text
        text = text[:4800]
        for word, options in SWAPS:
            text = text.replace(word, rng.choice(options))
        rid = f"bench-{i:05d}"
        out.append(Release(id=rid, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
                           source=rid, format="txt", title=a.title, date=a.date or date(2023, 1, 1)))
        i += 1
    return out


def check_gates(releases: list[Release]) -> int:
    """Exit status 0 when every rule match on ``releases`` passes its rule's gate."""
    from kg.extract import load_pipeline
    from kg.extract.analysis import analyse
    from kg.extract.relations import GATES, RULES

    nlp = load_pipeline(None)
    misses = 0
    for release in releases:
        for r in analyse(release, nlp).rendered:
            for (name, _rel, rx, _fn), gate in zip(RULES, GATES, strict=True):
                if rx.search(r) and not all(any(t in r for t in cond) for cond in gate):
                    misses += 1
                    print(f"gate miss: rule {name} in {release.id}: {r[:120]}")
    print(f"rule gates checked on {len(releases)} releases ({len(RULES)} rule patterns): "
          f"{misses} misses")
    return 1 if misses else 0


def peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--releases", type=int, default=1000)
    ap.add_argument("--spacy-model", default=None)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--check-gates", action="store_true",
                    help="check that every rule match passes its rule's gate, and stop")
    args = ap.parse_args(argv)

    releases = corpus(args.releases)
    if args.check_gates:
        return check_gates(releases)
    sizes = [len(r.text.encode()) for r in releases]
    import spacy

    blank = spacy.blank("en")
    base_s = timed(lambda: [blank.make_doc(r.text) for r in releases])
    n = len(releases)
    result = {
        "releases": n,
        "size_bytes": {"min": min(sizes), "mean": sum(sizes) // n, "max": max(sizes)},
        "spacy_model": args.spacy_model or "none",
        "baseline_tokenizer_rps": n / base_s,
        "extractors": {},
    }
    for extractor in ("rules", "model"):
        one_s = timed(lambda e=extractor: extract_all(releases, workers=1, model=args.spacy_model,
                                                       extractor=e))
        own_one, _ = peak_rss_mb()
        two_s = timed(lambda e=extractor: extract_all(releases, workers=2, model=args.spacy_model,
                                                       extractor=e))
        result["extractors"][extractor] = {
            "one_worker_rps": n / one_s,
            "two_workers_rps": n / two_s,
            "speedup_two_vs_one": one_s / two_s,
            "one_worker_vs_tokenizer": base_s / one_s,
            "peak_rss_main_mb_after_one_worker": round(own_one, 1),
        }
    own, kids = peak_rss_mb()
    result["peak_rss_mb"] = {"main": round(own, 1), "largest_worker": round(kids, 1)}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"corpus: {n} releases, {result['size_bytes']['min']}-{result['size_bytes']['max']} "
          f"bytes (mean {result['size_bytes']['mean']}); spaCy model: {result['spacy_model']}")
    print(f"baseline (blank tokenizer): {result['baseline_tokenizer_rps']:.0f} releases/s")
    for extractor, r in result["extractors"].items():
        print(f"{extractor:<6} 1 worker:  {r['one_worker_rps']:.1f} releases/s "
              f"({r['one_worker_vs_tokenizer']:.3f} x tokenizer speed)")
        print(f"{extractor:<6} 2 workers: {r['two_workers_rps']:.1f} releases/s "
              f"({r['speedup_two_vs_one']:.2f} x one worker)")
    print(f"model / rules, 1 worker: "
          f"{result['extractors']['model']['one_worker_rps'] / result['extractors']['rules']['one_worker_rps']:.2f}")
    print(f"peak RSS: main {own:.0f} MB, largest worker {kids:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m kg.training train|cv``: rebuild the shipped model, or cross-validate it.

    python -m kg.training train            # what `make train` runs
    python -m kg.training cv -k 5          # K-fold CV by document, as `kg eval --cv`

Both read the annotated files: ``press-train.jsonl``, ``press-dev.jsonl`` and
``seed-gold.jsonl`` of the shared evaluation folder (``--shared``, default
``../shared/eval`` beside the project) and the project's own ``tests/data/press-own.jsonl``.
``tests/data/press-holdout.jsonl`` is never read here: it stays blind.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kg.errors import KgError

PROJECT = Path(__file__).resolve().parents[2]
DEFAULT_SHARED = PROJECT.parent / "shared" / "eval"


def training_files(shared: Path) -> list[Path]:
    from kg.training.corpus import OWN_TRAINING, SHARED_TRAINING

    files = [shared / name for name in SHARED_TRAINING] + [OWN_TRAINING]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise KgError(f"training files not found: {', '.join(missing)} (give --shared DIR, "
                      "the folder that holds press-train.jsonl)")
    return files


def _examples(files: list[Path], log):
    from kg.training.corpus import load_examples

    n = [0]

    def tick():
        n[0] += 1
        if n[0] % 50 == 0:
            log(f"  analysed {n[0]} releases")

    examples = load_examples(files, progress=tick)
    log(f"  {len(examples)} releases from {len(files)} files")
    return examples


def main(argv: list[str] | None = None) -> int:
    from kg.extract.entities import MODEL_DIR

    parser = argparse.ArgumentParser(prog="python -m kg.training", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    tr = sub.add_parser("train", help="fit both layers and write them into the package")
    tr.add_argument("--out", type=Path, default=MODEL_DIR, help="model folder to write")
    tr.add_argument("--folds", type=int, default=5,
                    help="cross-validation folds used to choose each relation's threshold")
    cv = sub.add_parser("cv", help="K-fold cross-validation by document")
    cv.add_argument("-k", type=int, default=5)
    for p in (tr, cv):
        p.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                       help="folder holding press-train.jsonl (default ../shared/eval)")
    args = parser.parse_args(argv)
    start = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - start:6.0f}s] {msg}", file=sys.stderr, flush=True)

    try:
        files = training_files(args.shared)
    except KgError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    from kg.evaluate import format_table
    from kg.training.train import (
        choose_policy,
        cross_validate,
        cross_validated_scores,
        fit_calibration,
        policy_scores,
        train,
    )

    log("reading and analysing the annotated releases")
    examples = _examples(files, log)
    if args.command == "cv":
        from kg.extract.classifier import relation_classifier

        # trained on folds of every training file, scored on press-train's releases
        tables = cross_validated_scores(examples, args.k, relation_classifier(), log=log,
                                        sources={"press-train.jsonl"})
        for name in ("model", "rules"):
            print(f"\n{name} ({args.k}-fold cross-validation by document, press-train)")
            print(format_table(tables[name]))
        return 0
    log(f"{args.folds}-fold cross-validation to choose each relation's source and threshold")
    res = cross_validate(examples, args.folds, log=log, floor=0.05)
    policy = choose_policy(examples, res, log=log)
    calibration = fit_calibration(examples, res, policy)
    log("confidence calibrated on the cross-validated facts of press-train")
    # the figures `kg eval press-train.jsonl --cv` prints for the model written below
    cv_scores = policy_scores(examples, res, policy, calibration,
                              sources={"press-train.jsonl"})
    for name in ("model", "rules"):
        m = cv_scores[name]["micro"]
        log(f"{args.folds}-fold cross-validation on press-train, {name}: "
            f"P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f}")
    log("training on every release")
    import os
    import shutil

    from kg.extract.classifier import RELATION_MODEL

    # written beside the model folder, moved in when complete: an interrupted run
    # leaves the shipped model as it was
    partial = args.out.with_name(args.out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    _tagger, classifier = train(examples, partial, log=log)
    classifier.policy = policy
    classifier.thresholds = {r: p["threshold"] for r, p in policy.items()}
    classifier.calibration = calibration
    classifier.save(partial / RELATION_MODEL.name)
    args.out.mkdir(parents=True, exist_ok=True)
    for item in sorted(partial.iterdir()):
        os.replace(item, args.out / item.name)
    partial.rmdir()
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

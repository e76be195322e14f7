"""The trained relation layer's weights: one logistic regression per relation over the
feature strings of :mod:`kg.extract.features` (one-vs-rest, so a pair can hold two
relations, as "a subsidiary" and "holds 60%" do).

Inference needs only numpy: a vocabulary (feature string -> row) and a weight matrix
(row x relation) with one intercept per relation, read from
``resources/model/relations.npz``. Training lives in :mod:`kg.training`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np

from kg.extract.entities import MODEL_DIR

RELATION_MODEL = MODEL_DIR / "relations.npz"


class RelationClassifier:
    """Probabilities of each relation for a pair's features."""

    def __init__(self, vocab: list[str], relations: list[str], coef: np.ndarray,
                 intercept: np.ndarray, thresholds: dict[str, float] | None = None,
                 policy: dict[str, dict] | None = None, calibration: dict | None = None):
        self.index = {f: i for i, f in enumerate(vocab)}
        self.vocab = list(vocab)
        self.relations = list(relations)
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)
        self.thresholds = dict(thresholds or {})
        # per relation: take the model's facts, the rules', or both (kg.extract.decoding)
        self.policy = dict(policy or {})
        # confidence -> cross-validated precision (kg.extract.decoding.calibrated)
        self.calibration = dict(calibration or {})

    def probabilities(self, feature_lists: list[list[str]]) -> np.ndarray:
        """One row per pair, one column per relation."""
        # sorted rows and float64 sums in their order: the same scores in every process,
        # whatever its hash seed (workers, Dask)
        known = self.index.get
        rows = [sorted({i for i in map(known, feats) if i is not None}) for feats in feature_lists]
        sizes = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        z = np.zeros((len(rows), len(self.relations)), dtype=np.float64)
        if sizes.any():
            flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(sizes.sum()))
            starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
            some = sizes > 0
            z[some] = np.add.reduceat(self.coef[flat].astype(np.float64), starts[some], axis=0)
        out = (z + self.intercept).astype(np.float32)
        return 1.0 / (1.0 + np.exp(-out))

    def threshold(self, relation: str) -> float:
        return self.thresholds.get(relation, 0.5)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = json.dumps({"relations": self.relations, "thresholds": self.thresholds,
                           "policy": self.policy, "calibration": self.calibration},
                          sort_keys=True)
        np.savez_compressed(path, coef=self.coef.astype(np.float16),
                            intercept=self.intercept, vocab=np.array(self.vocab),
                            meta=np.array(meta))

    @classmethod
    def load(cls, path: Path = RELATION_MODEL) -> RelationClassifier:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            return cls(z["vocab"].tolist(), meta["relations"], z["coef"].astype(np.float32),
                       z["intercept"], meta.get("thresholds"), meta.get("policy"),
                       meta.get("calibration"))


@lru_cache(maxsize=2)
def relation_classifier(path: str | None = None) -> RelationClassifier:
    return RelationClassifier.load(Path(path) if path else RELATION_MODEL)

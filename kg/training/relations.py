"""Training the relation layer: labelled pairs from annotated releases, one logistic
regression per relation.

A pair is labelled with relation R when the gold file states R between the two
arguments' entities (or the entity and the number) and the pair's sentence is the
fact's evidence sentence. The same two arguments in another sentence are left out of
R's training: the sentence may or may not say it, and the annotators chose one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from kg.evaluate import norm, number, year
from kg.extract.candidates import (
    ENTITY_TYPES,
    VALUE_RELATIONS,
    Argument,
    Pair,
    fact_arguments,
    named_clusters,
    number_arguments,
    pairs,
    reference_arguments,
)
from kg.extract.classifier import RelationClassifier
from kg.extract.decoding import rule_index, rules_for
from kg.extract.features import pair_features
from kg.training.corpus import Example

FLIP = {"P355": "P749", "P1830": "P127"}


@dataclass
class LabelledPair:
    pair: Pair
    features: list[str]
    positive: set[str]
    unknown: set[str]  # relations this pair is left out of


def _sentences_of(example: Example, evidence: str | None) -> set[int] | None:
    if not evidence:
        return None
    text = example.analysis.release.text
    pos = text.find(evidence.strip())
    if pos < 0:
        words = evidence.split()
        if not words:
            return None
        m = re.search(r"\s+".join(map(re.escape, words)), text)
        if not m:
            return None
        start, end = m.start(), m.end()
    else:
        start, end = pos, pos + len(evidence.strip())
    a = example.analysis.sentence_at(start)
    b = example.analysis.sentence_at(max(start, end - 1))
    return set(range(a, b + 1))


def gold_index(example: Example) -> dict[tuple[str, str, object], set[int] | None]:
    """(subject entity, relation, object entity or number) -> its evidence sentences."""
    out: dict[tuple, set[int] | None] = {}
    for fa in example.record.get("facts", []):
        rel, subj = fa["relation"], fa["subject"]
        if fa.get("object") is not None:
            obj: object = fa["object"]
        else:
            value = fa.get("value")
            obj = ("year", year(value)) if rel == "P571" else ("num", number(value))
        if rel in FLIP and isinstance(obj, str):
            rel, subj, obj = FLIP[rel], obj, subj
        sents = _sentences_of(example, fa.get("evidence"))
        key = (subj, rel, obj)
        if key in out and (out[key] is None or sents is None):
            out[key] = None
        elif key in out:
            out[key] |= sents
        else:
            out[key] = sents
    return out


def _entities_by_name(example: Example) -> dict[str, list[str]]:
    """Normalised name -> the gold entities (in record order) that bear it."""
    out: dict[str, list[str]] = {}
    for e in example.record.get("entities", []):
        for n in e.get("names", []):
            ids = out.setdefault(norm(n), [])
            if e["id"] not in ids:
                ids.append(e["id"])
    return out


def _cluster_entities(example: Example, by_name: dict[str, list[str]]) -> dict[int, str]:
    """The rules' clusters whose names are a gold entity's names."""
    out = {}
    for c in example.analysis.clusters:
        ids: set[str] = set()
        for n in c.names:
            ids.update(by_name.get(norm(n), ()))
        if len(ids) == 1:
            out[c.id] = ids.pop()
    return out


def training_arguments(example: Example, rules=()) -> list[Argument]:
    """Gold mentions (as the tagger would give them), the rules' other names, references."""
    analysis = example.analysis
    text = analysis.release.text
    rule_ments = [m for m in analysis.mentions if m.cluster >= 0]
    named = named_clusters(rule_ments)
    out: list[Argument] = []
    for s in [*example.spans, *example.nested]:
        out.append(Argument(s.start, s.end, text[s.start:s.end], s.type,
                            analysis.sentence_at(s.start), "tagger", text[s.start:s.end],
                            named.get((s.start, s.end), -1), entity=s.entity))
    by_name = _entities_by_name(example)
    clusters = _cluster_entities(example, by_name)
    for m in rule_ments:
        if m.kind in ("name", "alias", "site") and not any(
                m.start < a.end and a.start < m.end for a in out):
            typ = m.type if m.type in ENTITY_TYPES else "ORG"
            out.append(Argument(m.start, m.end, m.text, typ, m.sent, "rules", m.text, m.cluster,
                                entity=clusters.get(m.cluster)))
    for f in fact_arguments(analysis, rules, out):
        f.entity = next(iter(by_name.get(norm(f.name), ())), None)
        out.append(f)
    for r in reference_arguments(analysis, out):
        r.entity = clusters.get(r.cluster)
        out.append(r)
    out.sort(key=lambda a: (a.start, -a.end))
    return out


def label_arguments(example: Example, args: list[Argument]) -> list[Argument]:
    """Give predicted arguments their gold entity: the one a name or a reference's
    antecedent names (after normalisation), when exactly one does."""
    by_name = _entities_by_name(example)
    clusters = _cluster_entities(example, by_name)
    for a in args:
        ids = by_name.get(norm(a.name), [])
        a.entity = ids[0] if len(ids) == 1 else clusters.get(a.cluster)
    return args


def _object_key(arg: Argument, relation: str):
    if arg.source != "number":
        return arg.entity
    if relation == "P571":
        return ("year", year(arg.name))
    return ("num", number(arg.name))


def labelled_pairs(example: Example, args: list[Argument], rules) -> list[LabelledPair]:
    analysis = example.analysis
    gold = gold_index(example)
    relations_of: dict[tuple, list[str]] = {}
    for (s, rel, o) in gold:
        relations_of.setdefault((s, o), []).append(rel)
    index = rule_index(analysis, rules)
    by_sent: dict[int, list[Argument]] = {}
    for a in args:
        by_sent.setdefault(a.sent, []).append(a)
    out = []
    for p in pairs(args, number_arguments(analysis)):
        positive, unknown = set(), set()
        if p.subj.entity is not None:
            keys = {p.obj.entity} if p.obj.source != "number" else {
                ("year", year(p.obj.name)), ("num", number(p.obj.name))}
            for key in keys:
                if key is None:
                    continue
                rels = list(relations_of.get((p.subj.entity, key), []))
                if p.obj.source != "number":
                    rels += [r for r in relations_of.get((key, p.subj.entity), [])
                             if r == "X-cooperates"]
                for rel in rels:
                    if p.obj.source == "number" and key != _object_key(p.obj, rel):
                        continue
                    k = (p.subj.entity, rel, key)
                    sents = gold.get(k, gold.get((key, rel, p.subj.entity)))
                    if sents is None or p.sent in sents:
                        positive.add(rel)
                    else:
                        unknown.add(rel)
        feats = pair_features(analysis, p, by_sent.get(p.sent, []),
                              frozenset(f.relation for f in rules_for(p, analysis, index)))
        out.append(LabelledPair(p, feats, positive, unknown - positive))
    return out


def fit(samples: list[LabelledPair], relations: list[str], c: float = 0.5,
        min_count: int = 2, progress=None) -> RelationClassifier:
    """One L2 logistic regression per relation (liblinear), on the features seen twice."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for s in samples for f in set(s.features))
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols = [], []
    for r, s in enumerate(samples):
        for f in set(s.features):
            j = index.get(f)
            if j is not None:
                rows.append(r)
                cols.append(j)
    x = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                   shape=(len(samples), len(vocab)))
    coef = np.zeros((len(vocab), len(relations)), dtype=np.float32)
    intercept = np.full(len(relations), -10.0, dtype=np.float32)
    for k, rel in enumerate(relations):
        keep = np.array([rel not in s.unknown for s in samples])
        value = rel in VALUE_RELATIONS
        usable = keep & np.array([(s.pair.obj.source == "number") == value for s in samples])
        y = np.array([rel in s.positive for s in samples])[usable]
        if y.sum() >= 2 and not y.all():
            model = LogisticRegression(C=c, solver="liblinear", class_weight=None,
                                       max_iter=200, random_state=0)
            model.fit(x[usable], y)
            coef[:, k] = model.coef_[0]
            intercept[k] = model.intercept_[0]
        if progress:
            progress(rel)
    return RelationClassifier(vocab, relations, coef, intercept)

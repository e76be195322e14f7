"""Score extracted facts against a gold JSONL file.

The matching rules are those of the project's independent scorer (``score.py`` in
the shared evaluation folder), re-implemented here so ``kg eval`` works on its own:

* names are compared after :func:`norm` (NFKC, casefold, no dots or apostrophes,
  other punctuation as spaces, no leading "the", trailing legal forms dropped);
* P355/P1830/P527 are turned into P749/P127/P361 with subject and object swapped;
  X-cooperates matches in either order;
* P571/P576 compare years; other literal gold values holding a number compare as
  numbers ("1 million" == "1000000");
* gold facts no prediction could tell apart are merged; predictions are de-duplicated;
  each gold fact is matched once (maximum bipartite matching per document and
  relation); an unmatched prediction compatible with a matched gold fact is a "dup"
  (neither TP nor FP).

``evaluate(gold_path)`` extracts facts from the gold records' texts and returns
per-relation and micro P/R/F1, plus the accuracy of the status and percent
qualifiers on matched facts and a calibration table (precision per confidence bucket).

``calibration_report`` measures how well fact confidences are calibrated on documents
the confidence table was not fitted on (k-fold cross-validation by document);
``python -m kg.evaluate calibrate [--json]`` prints it, and ``python -m kg.evaluate
rule-table`` regenerates the table (``write_rule_precision``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from kg.errors import KgError
from kg.model import Fact, Release

INVERSE = {"P355": "P749", "P1830": "P127", "P527": "P361"}
PARTNER = {**INVERSE, **{v: k for k, v in INVERSE.items()}}
SYMMETRIC = {"X-cooperates"}
YEAR_RELATIONS = {"P571", "P576"}
LEGAL_SUFFIXES = {"inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited",
                  "llc", "plc", "gmbh", "ag", "sa", "nv", "bv", "spa"}
_DROP = re.compile(r"[.'’‘`´]")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:[,\u00a0 ]\d{3})+|\d+(?:\.\d+)?)\s*"
                     r"(thousand|million|mln|mn|billion|bn|trillion)?\b", re.I)
_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve").split()
_MULT = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
         "trillion": 1e12}
_GOLD_ID = re.compile(r"^(?:P\d+|X-.+)$")

# --- matching rules ------------------------------------------------------------------------


def norm(name) -> str:
    """Normalised name: "The Beijing Automobile Works Co., Ltd." -> "beijing automobile works"."""
    s = unicodedata.normalize("NFKC", str(name)).casefold()
    s = _DROP.sub("", s)
    s = "".join(" " if unicodedata.category(ch).startswith("P") or ch in "™®©" else ch
                for ch in s)
    words = s.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def number(text) -> float | None:
    """The first number of a literal: "100,000" -> 1e5, "one million" -> 1e6."""
    s = str(text)
    for value, word in enumerate(_SMALL):
        s = re.sub(rf"\b{word}\b", str(value), s, flags=re.I)
    m = _NUMBER.search(s)
    if not m:
        return None
    v = float(re.sub(r"[,\u00a0 ]", "", m.group(1)))
    return v * _MULT[m.group(2).lower()] if m.group(2) else v


def year(text) -> str | None:
    m = _YEAR.search(str(text))
    return m.group(1) if m else None


def canonical(rel: str, subj, obj) -> tuple[str, object, object]:
    """Inverse relations in their canonical direction; symmetric ones ordered."""
    if rel in INVERSE:
        return INVERSE[rel], obj, subj
    if rel in SYMMETRIC and str(obj) < str(subj):
        return rel, obj, subj
    return rel, subj, obj


class _Gold:
    """One gold fact (or several indistinguishable ones) with normalised names."""

    def __init__(self, rel, subj_names, obj_names, literal, record):
        self.rel = rel
        self.subj = {n for n in map(norm, subj_names) if n}
        self.obj = {n for n in map(norm, obj_names) if n}
        self.years = {y for y in map(year, obj_names) if y} if rel in YEAR_RELATIONS else set()
        self.nums = ({v for v in map(number, obj_names) if v is not None}
                     if literal and rel not in YEAR_RELATIONS else set())
        self.records = [record]

    def same_as(self, other: _Gold) -> bool:
        return (self.rel == other.rel and bool(self.subj & other.subj)
                and bool(self.obj & other.obj or self.years & other.years))

    def take(self, other: _Gold) -> None:
        self.subj |= other.subj
        self.obj |= other.obj
        self.years |= other.years
        self.nums |= other.nums
        self.records += other.records


def _merge(facts: list[_Gold]) -> list[_Gold]:
    out: list[_Gold] = []
    for f in facts:
        hits = [g for g in out if g.same_as(f)]
        if not hits:
            out.append(f)
            continue
        keep = hits[0]
        keep.take(f)
        for g in hits[1:]:
            keep.take(g)
            out.remove(g)
        grown = True
        while grown:
            grown = False
            for g in out:
                if g is not keep and keep.same_as(g):
                    keep.take(g)
                    out.remove(g)
                    grown = True
                    break
    return out


def read_gold(path) -> list[dict]:
    """The records of a gold JSONL file (``KgError`` names the file and line on bad input)."""
    path = Path(path)
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise KgError(f"{path}: cannot read gold file ({err.strerror})") from err
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            raise KgError(f"{path}:{n}: invalid JSON ({err.msg})") from err
        if not isinstance(rec, dict) or "id" not in rec or "facts" not in rec:
            raise KgError(f"{path}:{n}: gold record needs id, entities and facts")
        records.append(rec)
    return records


def gold_facts(records: Iterable[dict]) -> dict[str, list[_Gold]]:
    """doc id -> merged gold facts in canonical direction."""
    out = {}
    for rec in records:
        names = {e["id"]: e["names"] for e in rec.get("entities", [])}
        facts: dict[tuple, _Gold] = {}
        for fa in rec["facts"]:
            literal = fa.get("object") is None
            obj = fa["value"] if literal else fa["object"]
            rel, s, o = canonical(fa["relation"], fa["subject"], obj)
            if (rel, s, o) in facts:
                facts[(rel, s, o)].records.append(fa)  # same fact stated twice
                continue
            facts[(rel, s, o)] = _Gold(rel, names.get(s, [s]), names.get(o, [str(o)]), literal, fa)
        out[rec["id"]] = _merge(list(facts.values()))
    return out


class _Pred:
    def __init__(self, rel, subj, obj, record):
        self.rel = rel
        self.subj = norm(subj)
        self.obj = norm(obj)
        self.year = year(obj) if rel in YEAR_RELATIONS else None
        self.num = number(obj)
        self.record = record

    def key(self):
        return (self.rel, self.subj, self.year or self.obj)


def _pred_relation(rec: dict) -> str:
    rel = str(rec["relation"]).strip()
    if not _GOLD_ID.match(rel) and rec.get("wikidata"):
        return str(rec["wikidata"]).strip()
    return rel


def pred_facts(records: Iterable[dict]) -> dict[str, dict[tuple, _Pred]]:
    """doc id -> de-duplicated predictions (first of each key wins)."""
    out: dict[str, dict[tuple, _Pred]] = defaultdict(dict)
    for rec in records:
        obj = rec["object"] if rec.get("object") is not None else rec["value"]
        rel, s, o = canonical(_pred_relation(rec), str(rec["subject"]), str(obj))
        p = _Pred(rel, s, o, rec)
        out[str(rec["doc"])].setdefault(p.key(), p)
    return out


def compatible(p: _Pred, g: _Gold) -> bool:
    """True when prediction ``p`` states gold fact ``g``."""
    if p.rel == g.rel and p.rel in SYMMETRIC and p.obj in g.subj and p.subj in g.obj:
        return True
    if p.rel != g.rel or not p.subj or p.subj not in g.subj:
        return False
    if p.year and g.years:
        return p.year in g.years
    if p.num is not None and g.nums:
        return any(abs(p.num - v) <= 1e-9 * max(1.0, abs(v)) for v in g.nums)
    return bool(p.obj) and p.obj in g.obj


def _matching(edges: list[list[int]], n_right: int) -> list[int | None]:
    """Maximum bipartite matching (augmenting paths); left i -> right j or None."""
    owner: list[int | None] = [None] * n_right

    def augment(i, seen):
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if owner[j] is None or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(edges)):
        augment(i, set())
    left: list[int | None] = [None] * len(edges)
    for j, i in enumerate(owner):
        if i is not None:
            left[i] = j
    return left


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(gold: dict[str, list[_Gold]], pred: dict[str, dict[tuple, _Pred]],
          relations: set[str] | None = None) -> dict:
    """Per-relation and micro counts and P/R/F1, matched pairs, qualifier accuracy."""
    selected = ({g.rel for fs in gold.values() for g in fs} if relations is None
                else {INVERSE.get(r, r) for r in relations})
    counts = defaultdict(lambda: {"gold": 0, "pred": 0, "tp": 0, "fp": 0, "fn": 0, "dup": 0})
    matched: list[tuple[_Pred, _Gold]] = []
    outcome: list[tuple[_Pred, str]] = []  # (prediction, "tp" | "fp" | "dup")
    missed: list[tuple[str, _Gold]] = []
    for doc, gfacts in gold.items():
        g_by = defaultdict(list)
        for g in gfacts:
            if g.rel in selected:
                g_by[g.rel].append(g)
        p_by = defaultdict(list)
        for p in pred.get(doc, {}).values():
            if p.rel in selected:
                p_by[p.rel].append(p)
        for rel in set(g_by) | set(p_by):
            gl, pl = g_by.get(rel, []), p_by.get(rel, [])
            edges = [[j for j, g in enumerate(gl) if compatible(p, g)] for p in pl]
            match = _matching(edges, len(gl))
            c = counts[rel]
            tp = sum(m is not None for m in match)
            dup = sum(1 for i, m in enumerate(match) if m is None and edges[i])
            c["gold"] += len(gl)
            c["pred"] += len(pl)
            c["tp"] += tp
            c["dup"] += dup
            c["fp"] += len(pl) - tp - dup
            c["fn"] += len(gl) - tp
            hit = set()
            for i, m in enumerate(match):
                if m is not None:
                    matched.append((pl[i], gl[m]))
                    hit.add(m)
                    outcome.append((pl[i], "tp"))
                else:
                    outcome.append((pl[i], "dup" if edges[i] else "fp"))
            missed += [(doc, g) for j, g in enumerate(gl) if j not in hit]
    for rel in selected:
        counts[rel]  # noqa: B018  (a row for every selected relation)
    rows = {}
    for rel in sorted(counts, key=lambda r: (-counts[r]["gold"], r)):
        c = counts[rel]
        p, r, f = _prf(c["tp"], c["fp"], c["fn"])
        label = f"{rel}/{PARTNER[rel]}" if rel in PARTNER else rel
        rows[label] = {**c, "precision": p, "recall": r, "f1": f}
    tot = {k: sum(c[k] for c in counts.values()) for k in ("gold", "pred", "tp", "fp", "fn", "dup")}
    p, r, f = _prf(tot["tp"], tot["fp"], tot["fn"])
    return {"per_relation": rows, "micro": {**tot, "precision": p, "recall": r, "f1": f},
            "documents": len(gold), "_matched": matched, "_outcome": outcome,
            "_missed": missed}


def qualifier_accuracy(matched: list[tuple[_Pred, _Gold]], key: str) -> dict:
    """Share of matched facts whose gold states ``key`` and the prediction agrees."""
    n = ok = 0
    for p, g in matched:
        values = {str(r.get(key)) for r in g.records if r.get(key) is not None}
        if not values:
            continue
        n += 1
        got = p.record.get(key)
        if got is not None and (str(got) in values or key == "percent" and any(
                _same_number(got, v) for v in values)):
            ok += 1
    return {"gold": n, "correct": ok, "accuracy": ok / n if n else None}


def _same_number(a, b) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-6
    except (TypeError, ValueError):
        return False


def calibration(outcome: list[tuple[_Pred, str]],
                edges=(0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)) -> list[dict]:
    """Observed precision of predictions bucketed by their confidence."""
    rows = []
    for lo, hi in zip(edges, edges[1:], strict=False):
        inside = [o for p, o in outcome if o != "dup" and lo <= float(
            p.record.get("confidence", 0.5)) < hi]
        tp = sum(o == "tp" for o in inside)
        rows.append({"bucket": f"[{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}",
                     "predictions": len(inside), "tp": tp,
                     "precision": tp / len(inside) if inside else None})
    return rows


# --- facts -> JSONL contract ------------------------------------------------------------------


def facts_to_jsonl_records(facts: Iterable[Fact]) -> list[dict]:
    """Facts as the JSON objects of ``kg extract --format jsonl`` (docs/CONTRACTS.md)."""
    from kg import vocab

    table = vocab.relations()
    out = []
    for f in facts:
        rel = table[f.relation]
        rec = {"doc": f.doc, "subject": f.subject, "relation": rel.curie,
               "wikidata": vocab.json_relation_id(rel)}
        if f.object is not None:
            rec["object"] = f.object
        else:
            rec["value"] = f.value
        for k, v in f.qualifiers.items():
            rec.setdefault(k, v)
        rec.update({"evidence": f.evidence, "start": f.start, "end": f.end,
                    "confidence": f.confidence, "extractor": f.extractor,
                    "subject_type": f.subject_type})
        if f.object_type:
            rec["object_type"] = f.object_type
        out.append(rec)
    return out


def release_from_gold(rec: dict, source: str = "gold.jsonl") -> Release:
    """A Release built straight from a gold record (no loader needed)."""
    text = rec["text"]
    d = rec.get("date")
    try:
        when = date.fromisoformat(d) if d else None
    except ValueError:
        when = None
    return Release(id=rec["id"], text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
                   source=source, format="jsonl", title=rec.get("title"), date=when,
                   dateline_place=rec.get("dateline_place"), issuer=rec.get("issuer"))


def extract_gold_texts(gold_path, nlp=None, extractor: str | None = None) -> list[Fact]:
    """Facts extracted from the texts of a gold file."""
    from kg.extract import extract_facts, load_pipeline

    nlp = nlp if nlp is not None else load_pipeline(None)
    facts = []
    for rec in read_gold(gold_path):
        facts += extract_facts(release_from_gold(rec, Path(gold_path).name), nlp,
                               extractor=extractor)
    return facts


def evaluate(gold_path, relations=None, nlp=None, facts: list[Fact] | None = None,
             model: str | None = None, details: bool = False,
             extractor: str | None = None, min_confidence: float = 0.0) -> dict:
    """Extract from the gold texts (or take ``facts``) and score them.

    Returns ``{"per_relation", "micro", "documents", "qualifiers": {"status", "percent"},
    "calibration", "min_confidence"}`` (plain JSON data); ``relations`` limits the relations
    scored (an inverse relation brings its partner along).  ``nlp`` is a pipeline, or
    ``model`` names one for :func:`kg.extract.load_pipeline`.  Only facts of at least
    ``min_confidence`` are scored (:func:`kg.extract.decoding.confident`).  ``details=True`` adds
    ``_matched``, ``_outcome`` and ``_missed`` (prediction and gold objects) for error
    analysis.
    """
    from kg.extract.decoding import confident

    records = read_gold(gold_path)
    if facts is None:
        if nlp is None and model:
            from kg.extract import load_pipeline

            nlp = load_pipeline(model)
        facts = extract_gold_texts(gold_path, nlp, extractor)
    preds = facts_to_jsonl_records(confident(facts, min_confidence))
    res = score(gold_facts(records), pred_facts(preds),
                set(relations) if relations else None)
    res["qualifiers"] = {k: qualifier_accuracy(res["_matched"], k) for k in ("status", "percent")}
    res["calibration"] = calibration(res["_outcome"])
    res["min_confidence"] = min_confidence
    if not details:
        for key in ("_matched", "_outcome", "_missed"):
            res.pop(key)
    return res


def format_table(result: dict) -> str:
    """A fixed-width table: one row per relation, then the "micro" row last."""
    rows = result["per_relation"]
    lw = max([8] + [len(k) for k in rows])
    head = (f"{'relation':<{lw}} {'gold':>5} {'pred':>5} {'tp':>5} {'fp':>5} {'fn':>5} "
            f"{'dup':>4} {'P':>6} {'R':>6} {'F1':>6}")

    def line(label, c):
        return (f"{label:<{lw}} {c['gold']:>5} {c['pred']:>5} {c['tp']:>5} {c['fp']:>5} "
                f"{c['fn']:>5} {c['dup']:>4} {c['precision']:>6.3f} {c['recall']:>6.3f} "
                f"{c['f1']:>6.3f}")

    out = [head, "-" * len(head)]
    out += [line(k, c) for k, c in rows.items()]
    out.append("-" * len(head))
    out.append(line("micro", result["micro"]))
    return "\n".join(out)


REDOCRED_RELATIONS = ("P127,P571,P749,P355,P176,P527,P361,P108,P137,P159,P488,P112,P740,P1056,"
                      "P576,P463,P1366,P1365").split(",")


def rule_outcomes(gold_paths, nlp=None, relations_by_path=None) -> list[dict]:
    """One row per scored prediction on the gold files, the data behind confidences.

    Each row is ``{"file", "doc", "rule", "relation", "via_reference", "genre",
    "correct"}``, the flag and the genre ("press" or "article") as extraction passed
    them to :func:`kg.extract.confidence.confidence`; duplicates (other aliases of a matched fact) are left out, and so are predictions
    of relations a file does not score (``relations_by_path`` maps a path, as given,
    to its relations; see :func:`dev_relations`).  Each file is extracted once.
    """
    from kg.extract.confidence import DEFAULT_GENRE, recording

    out = []
    for path in gold_paths:
        rels = (relations_by_path or {}).get(str(path))
        with recording():  # each fact's confidence carries its via_reference and genre
            facts = extract_gold_texts(path, nlp, extractor="rules")
        res = evaluate(path, relations=rels, facts=facts, details=True)
        for p, outcome in res["_outcome"]:
            if outcome == "dup":
                continue
            conf = p.record.get("confidence")
            out.append({"file": Path(path).name, "doc": str(p.record["doc"]),
                        "rule": p.record.get("extractor", ""), "relation": p.rel,
                        "via_reference": bool(getattr(conf, "via_reference", False)),
                        "genre": getattr(conf, "genre", DEFAULT_GENRE),
                        "correct": outcome == "tp"})
    return out


def rule_table(outcomes: Iterable[dict]) -> dict:
    """Count table of :mod:`kg.extract.confidence` from outcome rows.

    ``{"rules": {rule: {relation: {genre: [tp, n]}}}, "via_reference": {rule: {genre:
    [tp, n]}}}``, keys sorted, genres seen only; only the rows given are counted (a
    row without "genre" counts as press).
    """
    from kg.extract.confidence import DEFAULT_GENRE

    def cell():
        return defaultdict(lambda: [0, 0])

    rules: dict = defaultdict(lambda: defaultdict(cell))
    via: dict = defaultdict(cell)
    for o in outcomes:
        g = o.get("genre", DEFAULT_GENRE)
        rows = [rules[o["rule"]][o["relation"]][g]] + (
            [via[o["rule"]][g]] if o["via_reference"] else [])
        for row in rows:
            row[0] += bool(o["correct"])
            row[1] += 1

    def plain(c):
        return {g: c[g] for g in sorted(c)}

    return {"rules": {r: {rel: plain(rules[r][rel]) for rel in sorted(rules[r])}
                      for r in sorted(rules)},
            "via_reference": {r: plain(via[r]) for r in sorted(via)}}


def measure_rule_precision(gold_paths, nlp=None, relations_by_path=None) -> dict:
    """The count table behind :mod:`kg.extract.confidence`, measured on the gold files.

    Regenerate the stored table with :func:`write_rule_precision` after changing the rules.
    """
    return rule_table(rule_outcomes(gold_paths, nlp, relations_by_path))


def format_rule_table(table: dict) -> str:
    """The count table as JSON, one rule per line."""
    def block(key):
        rows = [f"    {json.dumps(k)}: {json.dumps(v)}" for k, v in table[key].items()]
        return f'  "{key}": {{\n' + ",\n".join(rows) + "\n  }"

    return "{\n" + block("rules") + ",\n" + block("via_reference") + "\n}\n"


def write_rule_precision(gold_paths=None, nlp=None, relations_by_path=None) -> Path:
    """Measure and store the count table used for confidences (default:
    :func:`rule_table_gold_paths`)."""
    from kg.extract.confidence import TABLE, clear_cache
    from kg.store.index import extractor_identity

    if gold_paths is None:
        gold_paths = rule_table_gold_paths()
    if relations_by_path is None:
        relations_by_path = dev_relations(gold_paths)
    table = measure_rule_precision(gold_paths, nlp, relations_by_path)
    TABLE.write_text(format_rule_table(table), encoding="utf-8")
    clear_cache()
    extractor_identity.cache_clear()  # it holds the table's digest
    return TABLE


# --- calibration on held-out documents --------------------------------------------------

# What the rules' confidences are counted on. press-train: releases the rules were not
# written against, so that a confidence is the precision a rule has on text nobody here
# has read (counted on the dev files, which the rules were written against, every press
# fact got 0.9 or more and was right 57% of the time on press-train). Re-DocRED's dev file,
# which the rules were tuned on, is the only encyclopaedic text there is. A text's genre is
# the one extraction gives it, so press-train's releases without a date, dateline or title
# line count as articles, as they are read.
RULE_TABLE_GOLD = ("press-train.jsonl", "redocred-dev.jsonl")


def rule_table_gold_paths() -> list[Path]:
    """The gold files :func:`write_rule_precision` counts on, and
    :func:`calibration_report` measures on, by default."""
    folder = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
    return [folder / name for name in RULE_TABLE_GOLD]


def dev_relations(gold_paths) -> dict[str, list[str]]:
    """Relations scored per gold file: ``REDOCRED_RELATIONS`` for Re-DocRED files, else all."""
    return {str(p): REDOCRED_RELATIONS for p in gold_paths if Path(p).name.startswith("redocred")}


def fold_of(doc: str, k: int = 5) -> int:
    """The cross-validation fold of a document: a hash of its id, so always the same."""
    return int(hashlib.sha256(str(doc).encode("utf-8")).hexdigest()[:12], 16) % k


def folds(docs: Iterable[str], k: int = 5) -> list[list[str]]:
    """The documents split into ``k`` folds by :func:`fold_of` (sorted, no repeats)."""
    out: list[list[str]] = [[] for _ in range(k)]
    for doc in sorted(set(map(str, docs))):
        out[fold_of(doc, k)].append(doc)
    return out


def held_out_tables(outcomes: list[dict], k: int = 5) -> list[dict]:
    """Per fold, the count table fitted on the outcomes of the other folds' documents."""
    return [rule_table(o for o in outcomes if fold_of(o["doc"], k) != i) for i in range(k)]


def estimators() -> dict:
    """name -> (count table -> (rule, via_reference, genre) -> confidence), the ones compared.

    ``hierarchical`` is :func:`kg.extract.confidence.confidence`'s estimator, ``laplace``
    the earlier flat one (blind to the genre), ``base_rate`` gives every fact the
    overall precision.
    """
    from kg.extract.confidence import by_genre, estimate, fit, laplace

    def hierarchical(table):
        model = fit(table)
        return lambda rule, via, genre="press": estimate(model, rule, via, genre)

    def base_rate(table):
        tp = n = 0
        for rels in table["rules"].values():
            for cell in rels.values():
                for a, b in by_genre(cell).values():
                    tp, n = tp + a, n + b
        return lambda rule, via, genre="press": (tp + 1) / (n + 2)

    return {"hierarchical": hierarchical,
            "laplace": lambda table: (lambda rule, via, genre="press": laplace(table, rule, via)),
            "base_rate": base_rate}


def cross_validated(outcomes: list[dict], make, k: int = 5) -> list[tuple[float, bool]]:
    """(confidence, correct) of every outcome, the confidence from a table without its fold."""
    tables = held_out_tables(outcomes, k)
    scorers = [make(t) for t in tables]
    return [(scorers[fold_of(o["doc"], k)](o["rule"], o["via_reference"], _genre(o)),
             bool(o["correct"])) for o in outcomes]


def _genre(outcome: dict) -> str:
    return outcome.get("genre", "press")


def in_sample(outcomes: list[dict], make) -> list[tuple[float, bool]]:
    """(confidence, correct) of every outcome, the confidence from a table of all outcomes."""
    scorer = make(rule_table(outcomes))
    return [(scorer(o["rule"], o["via_reference"], _genre(o)), bool(o["correct"]))
            for o in outcomes]


def _bin(c: float, bins: int) -> int:
    return min(int(c * bins), bins - 1)


def reliability(pairs: list[tuple[float, bool]], bins: int = 10) -> list[dict]:
    """Non-empty equal-width confidence bins: count, mean confidence, observed precision."""
    groups: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for c, y in pairs:
        groups[_bin(c, bins)].append((c, y))
    rows = []
    for b in sorted(groups):
        g = groups[b]
        hi = "1.0]" if b == bins - 1 else f"{(b + 1) / bins:.1f})"
        rows.append({"bin": f"[{b / bins:.1f}, {hi}", "count": len(g),
                     "confidence": sum(c for c, _ in g) / len(g),
                     "precision": sum(y for _, y in g) / len(g)})
    return rows


def expected_calibration_error(pairs: list[tuple[float, bool]], bins: int = 10) -> float:
    """ECE: mean over equal-width bins of |precision - mean confidence|, weighted by count."""
    n = len(pairs)
    return sum(r["count"] / n * abs(r["precision"] - r["confidence"])
               for r in reliability(pairs, bins)) if n else 0.0


def brier_score(pairs: list[tuple[float, bool]]) -> float:
    """Mean squared difference between confidence and outcome (1 right, 0 wrong)."""
    return sum((c - y) ** 2 for c, y in pairs) / len(pairs) if pairs else 0.0


def log_loss(pairs: list[tuple[float, bool]]) -> float:
    """Mean negative log-likelihood of the outcomes (confidences clipped to [1e-6, 1 - 1e-6])."""
    def one(c, y):
        c = min(max(c, 1e-6), 1 - 1e-6)
        return -math.log(c if y else 1 - c)

    return sum(one(c, y) for c, y in pairs) / len(pairs) if pairs else 0.0


def calibration_summary(pairs: list[tuple[float, bool]], bins: int = 10) -> dict:
    """ECE, Brier score, log loss and the reliability table of (confidence, correct) pairs."""
    return {"ece": expected_calibration_error(pairs, bins), "brier": brier_score(pairs),
            "log_loss": log_loss(pairs), "reliability": reliability(pairs, bins)}


def calibration_groups(outcomes: list[dict], pairs: list[tuple[float, bool]],
                       bins: int = 10) -> dict:
    """Calibration per gold file, kind of fact (resting on a reference or direct) and genre.

    ``pairs[i]`` is the (confidence, correct) of ``outcomes[i]``; each group has its
    count, mean confidence, observed precision, ECE, Brier score and log loss.
    """
    groups: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for o, pair in zip(outcomes, pairs, strict=True):
        groups[o["file"]].append(pair)
        groups["reference" if o["via_reference"] else "direct"].append(pair)
        groups[f"genre {_genre(o)}"].append(pair)
    return {key: {"count": len(g), "confidence": sum(c for c, _ in g) / len(g),
                  "precision": sum(y for _, y in g) / len(g),
                  "ece": expected_calibration_error(g, bins), "brier": brier_score(g),
                  "log_loss": log_loss(g)}
            for key, g in sorted(groups.items())}


def calibration_report(gold_paths=None, k: int = 5, nlp=None, relations_by_path=None,
                       outcomes: list[dict] | None = None, bins: int = 10) -> dict:
    """How well fact confidences are calibrated, in sample and on held-out documents.

    The gold files are extracted once; for each of ``k`` folds of documents (by
    :func:`fold_of`) the count table is refitted on the other folds and gives the
    confidences of the fold's predictions, pooled over folds ("held_out").  "in_sample"
    uses one table of all outcomes, as the stored table is.  Each estimator of
    :mod:`kg.extract.confidence` (``hierarchical``, the one in use, and ``laplace``, the
    earlier one) is reported, and so is ``base_rate``: every prediction given the
    precision of the training folds, the reference a useful confidence must beat.
    """
    if gold_paths is None:
        gold_paths = rule_table_gold_paths()
    if relations_by_path is None:
        relations_by_path = dev_relations(gold_paths)
    if outcomes is None:
        outcomes = rule_outcomes(gold_paths, nlp, relations_by_path)
    docs = {rec["id"] for p in gold_paths for rec in read_gold(p)}
    from kg.extract.confidence import fit

    report = {"files": [Path(p).name for p in gold_paths], "documents": len(docs),
              "documents_with_predictions": len({o["doc"] for o in outcomes}),
              "predictions": len(outcomes), "correct": sum(bool(o["correct"]) for o in outcomes),
              "folds": k, "bins": bins, "estimators": {}}
    for name, make in estimators().items():
        report["estimators"][name] = parts = {}
        for part, pairs in (("held_out", cross_validated(outcomes, make, k)),
                            ("in_sample", in_sample(outcomes, make))):
            parts[part] = {**calibration_summary(pairs, bins),
                           "groups": calibration_groups(outcomes, pairs, bins)}
    model = fit(rule_table(outcomes))
    report["model"] = {"overall": model["overall"], "strength": model["strength"],
                       "shift": model["shift"]}
    return report


def format_calibration(report: dict) -> str:
    """The calibration report as text: a summary line and reliability table per estimator."""
    out = [f"{report['predictions']} scored predictions ({report['correct']} right) in "
           f"{report['documents_with_predictions']} of {report['documents']} documents of "
           f"{', '.join(report['files'])}; {report['folds']}-fold cross-validation by document",
           f"fitted on all: overall precision {report['model']['overall']:.3f}, prior strength "
           f"relation {report['model']['strength']['relation']:.3g} rule "
           f"{report['model']['strength']['rule']:.3g}, log-odds shift reference "
           f"{report['model']['shift']['reference']:+.3f} direct "
           f"{report['model']['shift']['direct']:+.3f} article "
           f"{report['model']['shift']['genre']['article']:+.3f} (press 0)", ""]
    for name, parts in report["estimators"].items():
        for part in ("held_out", "in_sample"):
            s = parts[part]
            out.append(f"{name} {part.replace('_', '-')}: ECE {s['ece']:.4f}  Brier "
                       f"{s['brier']:.4f}  log loss {s['log_loss']:.4f}")
            out.append(f"  {'bin':<11} {'count':>5} {'mean conf':>9} {'precision':>9}")
            out += [f"  {r['bin']:<11} {r['count']:>5} {r['confidence']:>9.3f} "
                    f"{r['precision']:>9.3f}" for r in s["reliability"]]
            out.append(f"  {'group':<19} {'count':>5} {'mean conf':>9} {'precision':>9} "
                       f"{'ECE':>6} {'Brier':>6} {'logloss':>7}")
            out += [f"  {key:<19} {g['count']:>5} {g['confidence']:>9.3f} {g['precision']:>9.3f} "
                    f"{g['ece']:>6.3f} {g['brier']:>6.3f} {g['log_loss']:>7.3f}"
                    for key, g in s["groups"].items()]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def record_scores(path, name: str, micro: dict) -> dict:
    """Store micro P/R/F1 of ``name`` in the JSON file at ``path``; a figure only rises.

    Returns the figures now stored for ``name``.
    """
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    old = data.get(name, {})
    new = {k: round(float(micro[k]), 4) for k in ("precision", "recall", "f1")}
    if old and old.get("f1", 0) > new["f1"]:
        return old
    data[name] = new
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return new


def main(argv: list[str] | None = None) -> int:
    """``python -m kg.evaluate calibrate [--json] [--folds K] [GOLD ...]``, or ``rule-table``.

    ``calibrate`` prints :func:`calibration_report` (default: the files the table is
    counted on, :data:`RULE_TABLE_GOLD`);
    ``rule-table`` measures the counts on the gold files and rewrites the stored table.
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m kg.evaluate",
                                     description="Calibration of fact confidences.")
    sub = parser.add_subparsers(dest="command", required=True)
    files = f"gold JSONL files (default: {' and '.join(RULE_TABLE_GOLD)})"
    cal = sub.add_parser("calibrate", help="held-out and in-sample calibration of confidences")
    cal.add_argument("gold", nargs="*", help=files)
    cal.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    cal.add_argument("--bins", type=int, default=10, help="equal-width confidence bins")
    cal.add_argument("--json", action="store_true", help="print the report as JSON")
    tab = sub.add_parser("rule-table", help="measure and store the rule precision table")
    tab.add_argument("gold", nargs="*", help=files)
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.gold] or rule_table_gold_paths()
    try:
        if args.command == "rule-table":
            print(write_rule_precision(paths))
            return 0
        if args.folds < 2 or args.bins < 1:
            raise KgError("--folds needs at least 2 and --bins at least 1")
        report = calibration_report(paths, k=args.folds, bins=args.bins)
    except KgError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2) if args.json else format_calibration(report), end="\n"
          if args.json else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())

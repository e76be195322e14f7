"""The trained entity layer: a CRF tags the tokens of each sentence with the guideline's
entity types (ORG, PER, LOC, FAC, PRODUCT, EXCHANGE, MISC) in BIO form.

It reads the rules' analysis of the release (:func:`kg.extract.analysis.analyse`): its
tokens and sentences, and the types the rules gave to names, sites and money, which are
features beside the words themselves, their shapes, the gazetteers and the cue families
of the words around them ("makes", "a maker of": a product may follow). The weights are
learned from annotated releases by :mod:`kg.training` and shipped in
``resources/model/entities.crfsuite``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.extract import gazetteers as gz
from kg.extract.features import FAMILY

MODEL_DIR = Path(__file__).parent / "resources" / "model"
ENTITY_MODEL = MODEL_DIR / "entities.crfsuite"
LEXICON = MODEL_DIR / "lexicon.json"
_SHAPE = (re.compile(r"[A-Z]"), re.compile(r"[a-z]"), re.compile(r"\d"))


@dataclass(frozen=True)
class Span:
    """An entity mention the tagger found: character offsets into the release text."""

    start: int
    end: int
    type: str
    text: str
    sent: int


def shape(word: str) -> str:
    """"Xxxx" for "Acme", "dd.d" for "12.5": letters and digits by kind, runs shortened."""
    s = _SHAPE[0].sub("X", word)
    s = _SHAPE[1].sub("x", s)
    s = _SHAPE[2].sub("d", s)
    return re.sub(r"(.)\1{2,}", r"\1\1", s)


def _rule_tags(analysis) -> list[str]:
    """Per token, the type the rules gave the name, site or amount covering it, in BIO form."""
    toks = analysis.tokens
    tags = ["O"] * len(toks)
    for m in analysis.mentions:
        if m.kind not in ("name", "alias", "site", "value") and m.type not in ("MONEY", "PERCENT"):
            continue
        i = bisect_right(toks.idx, m.start) - 1
        first = True
        while 0 <= i < len(toks) and toks.idx[i] < m.end:
            if toks.end(i) > m.start and tags[i] == "O":
                kind = "site" if m.kind == "site" else m.type
                tags[i] = ("B-" if first else "I-") + kind
                first = False
            i += 1
    return tags


def _word_features(word: str) -> list[str]:
    low = word.lower()
    out = [f"w={low}", f"sh={shape(word)}", f"s3={low[-3:]}", f"p3={low[:3]}"]
    if word[:1].isupper():
        out.append("cap")
    if word.isupper() and len(word) > 1:
        out.append("upper")
    if any(c.isdigit() for c in word):
        out.append("digit")
    if low in gz.places():
        out.append("g=place")
    if low in gz.org_words():
        out.append("g=org")
    if low in gz.site_heads():
        out.append("g=site")
    if low in gz.exchanges():
        out.append("g=exchange")
    return out


@lru_cache(maxsize=1 << 16)
def _cached_word_features(word: str) -> tuple[str, ...]:
    return tuple(_word_features(word))


@lru_cache(maxsize=1 << 16)
def _cached_shape(word: str) -> str:
    return shape(word)


def sentence_tokens(analysis) -> list[tuple[int, int]]:
    """Token ranges ``(first, after_last)`` of the analysis's sentences."""
    toks = analysis.tokens
    out = []
    for s in analysis.sentences:
        i = bisect_right(toks.idx, s.start - 1)
        j = bisect_right(toks.idx, s.end - 1)
        out.append((i, j))
    return out


Lexicon = dict[tuple[str, ...], str]
MAX_ENTRY = 6


def lexicon_tags(low: list[str], lexicon: Lexicon | None) -> list[str]:
    """Per token, the type of the longest lexicon entry covering it, in BIO form."""
    tags = ["O"] * len(low)
    if not lexicon:
        return tags
    k = 0
    while k < len(low):
        for size in range(min(MAX_ENTRY, len(low) - k), 0, -1):
            typ = lexicon.get(tuple(low[k:k + size]))
            if typ:
                tags[k] = "B-" + typ
                for j in range(k + 1, k + size):
                    tags[j] = "I-" + typ
                k += size
                break
        else:
            k += 1
    return tags


FAMILY_WINDOW = 3  # words either side whose cue family is a feature
FAMILY_REACH = 6  # how far the nearest cue word before and after is looked for


def _family_context(families: list[str | None], k: int) -> list[str]:
    """The cue families (:data:`kg.extract.features.CUE_FAMILIES`) of the words around
    token ``k``, and of the nearest cue word before and after it: "makes", "produces" and
    "a maker of" before a word all say a product may follow, whichever word it is."""
    n = len(families)
    out = [f"fam[{d}]={families[k + d]}" for d in range(-FAMILY_WINDOW, FAMILY_WINDOW + 1)
           if d and 0 <= k + d < n and families[k + d]]
    for j in range(k - 1, max(-1, k - 1 - FAMILY_REACH), -1):
        if families[j]:
            out.append(f"pfam={families[j]}")
            break
    for j in range(k + 1, min(n, k + 1 + FAMILY_REACH)):
        if families[j]:
            out.append(f"nfam={families[j]}")
            break
    return out


def token_features(analysis, lexicon: Lexicon | None = None,
                   rename: dict[str, str] | None = None) -> list[list[list[str]]]:
    """The CRF's input: per sentence, per token, a list of feature strings.

    ``lexicon`` maps lower-cased token sequences of names seen in training (products,
    industries) to their type. ``rename`` (training only) swaps words for invented ones
    before the features are read, so that the CRF learns names from their shape and
    context rather than by heart.
    """
    toks = analysis.tokens
    rtags = _rule_tags(analysis)
    out = []
    for sent, (i0, i1) in zip(analysis.sentences, sentence_tokens(analysis), strict=True):
        words = toks.text[i0:i1]
        if rename:
            words = [rename.get(w, w) for w in words]
        base = [_cached_word_features(w) for w in words]
        low = [w.lower() for w in words]
        lex = lexicon_tags(low, lexicon)
        families = [FAMILY.get(w) for w in low]
        in_sentence = [f"sfam={fam}" for fam in sorted(set(families) - {None})]
        seq = []
        n = len(words)
        for k in range(n):
            f = list(base[k])
            f += in_sentence
            f += _family_context(families, k)
            f.append(f"r={rtags[i0 + k]}")
            f.append(f"lx={lex[k]}")
            if k + 1 < n:
                f.append(f"lx[1]={lex[k + 1]}")
            if k > 0:
                f.append(f"lx[-1]={lex[k - 1]}")
            f.append(f"sec={sent.section}")
            for d in (-2, -1, 1, 2):
                j = k + d
                if 0 <= j < n:
                    f.append(f"w[{d}]={low[j]}")
                    f.append(f"r[{d}]={rtags[i0 + j]}")
                    if d in (-1, 1):
                        f.append(f"sh[{d}]={_cached_shape(words[j])}")
                else:
                    f.append(f"w[{d}]=<edge>")
            if k > 0:
                f.append(f"b={low[k - 1]}|{low[k]}")
            if k + 1 < n:
                f.append(f"b+={low[k]}|{low[k + 1]}")
            if k == 0:
                f.append("first")
            seq.append(f)
        out.append(seq)
    return out


def spans_from_tags(analysis, tags_per_sentence: list[list[str]]) -> list[Span]:
    """BIO tags -> character spans (an I- without its B- opens a span)."""
    toks = analysis.tokens
    text = analysis.release.text
    out: list[Span] = []
    for s_index, ((i0, _i1), tags) in enumerate(
            zip(sentence_tokens(analysis), tags_per_sentence, strict=True)):
        cur: list | None = None
        for k, tag in enumerate([*tags, "O"]):
            if cur is not None and (tag == "O" or tag.startswith("B-") or tag[2:] != cur[2]):
                a, b = toks.idx[cur[0]], toks.end(cur[1])
                out.append(Span(a, b, cur[2], text[a:b], s_index))
                cur = None
            if tag == "O":
                continue
            if cur is None:
                cur = [i0 + k, i0 + k, tag[2:]]
            else:
                cur[1] = i0 + k
    return out


MAX_PROPAGATED = 8  # tokens: longer names are sentences the tagger got wrong


def propagated(analysis, spans: list[Span]) -> list[Span]:
    """``spans`` and every other occurrence of their names, with the same type.

    A release names its products, sites and partners several times, and the tagger,
    reading one sentence at a time, finds some of the occurrences and not others; a
    fact needs the name in its own sentence. Occurrences are matched token by token
    (so "Acme" is not found inside "Acmeco"), within one sentence, where no span is;
    a name tagged with two types keeps the first.
    """
    toks = analysis.tokens
    n = len(toks.text)
    taken = bytearray(n)
    known: dict[tuple[str, ...], str] = {}
    for s in spans:
        i, j = bisect_left(toks.idx, s.start), bisect_left(toks.idx, s.end)
        taken[i:j] = b"\x01" * (j - i)
        if len(s.text) >= 3 and 0 < j - i <= MAX_PROPAGATED:
            known.setdefault(tuple(toks.text[i:j]), s.type)
    if not known:
        return list(spans)
    longest = max(map(len, known))
    firsts = {key[0] for key in known}
    out = list(spans)
    text = analysis.release.text
    k = 0
    while k < n:
        if taken[k] or toks.text[k] not in firsts:
            k += 1
            continue
        for size in range(min(longest, n - k), 0, -1):
            typ = known.get(tuple(toks.text[k:k + size]))
            if typ is None or any(taken[k:k + size]):
                continue
            a, b = toks.idx[k], toks.end(k + size - 1)
            sent = analysis.sentence_at(a)
            if sent != analysis.sentence_at(b - 1):
                continue
            out.append(Span(a, b, typ, text[a:b], sent))
            taken[k:k + size] = b"\x01" * size
            k += size - 1
            break
        k += 1
    out.sort(key=lambda s: (s.start, -s.end))
    return out


def read_lexicon(path: Path) -> Lexicon:
    """The lexicon file: ``{"TYPE": ["lower-cased name", ...]}`` (names as spaced tokens)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {tuple(name.split(" ")): typ for typ, names in data.items() for name in names}


def write_lexicon(lexicon: Lexicon, path: Path) -> None:
    data: dict[str, list[str]] = {}
    for key, typ in sorted(lexicon.items()):
        data.setdefault(typ, []).append(" ".join(key))
    Path(path).write_text(json.dumps(data, indent=0, sort_keys=True), encoding="utf-8")


class EntityTagger:
    """The trained CRF (python-crfsuite) over :func:`token_features`."""

    def __init__(self, path: Path = ENTITY_MODEL, lexicon: Lexicon | None = None):
        import pycrfsuite

        self.path = Path(path)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))
        if lexicon is None:
            lex_path = self.path.with_name(LEXICON.name)
            lexicon = read_lexicon(lex_path) if lex_path.exists() else {}
        self.lexicon = lexicon

    def tags(self, analysis) -> list[list[str]]:
        return [self._tagger.tag(seq) if seq else []
                for seq in token_features(analysis, self.lexicon)]

    def spans(self, analysis) -> list[Span]:
        """The tagged spans and the other occurrences of their names (:func:`propagated`)."""
        return propagated(analysis, spans_from_tags(analysis, self.tags(analysis)))


@lru_cache(maxsize=2)
def entity_tagger(path: str | None = None) -> EntityTagger:
    return EntityTagger(Path(path) if path else ENTITY_MODEL)

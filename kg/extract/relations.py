"""Relation rules over rendered sentences.

A rule is a regular expression over a sentence in which mentions are placeholders
(``⟦ORG:12⟧``); slot macros make the rules read like the language of the genre:

    {ORG:s}, a wholly-owned subsidiary of {ORG:o}

``{T:name}`` is one mention of type T (ORG accepts untyped names too), ``{ORGS:name}``
a list of them ("A, B and C"), ``{GAP}`` up to 80 characters without a mention and
``{G30}`` up to 30.  Each family of rules below yields :class:`Candidate` facts; the
qualifiers (status, percent, amount, date, ...) come from the match and its sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.extract import gazetteers as gz
from kg.extract import qualifiers as q
from kg.extract.analysis import JOINT_VENTURE, PLACEHOLDER, Analysis
from kg.extract.mentions import (
    BOUND_WORDS,
    classify_name,
    normal_bound,
    parse_number,
    plain_number,
)

SLOTS = {
    "ORG": "ORG|UNK", "ORGX": "ORG", "PER": "PER", "LOC": "LOC", "LOCU": "LOC|UNK",
    "FAC": "FAC", "EXCH": "EXCHANGE|LOC", "MONEY": "MONEY", "PCT": "PCT",
    "AGENT": "ORG|UNK|PER", "SITE": "FAC|ORG|UNK|LOC", "ORGF": "ORG|UNK|FAC", "PROD": "UNK|ORG", "PERU": "PER|UNK",
    "BRAND": "UNK|ORG|LOC",
}
_SEP = (r"(?:\s*,\s*(?:and\s+|&\s+)?|\s+and\s+(?:most\s+recently\s+|also\s+|later\s+)?|"
        r"\s*&\s*|\s+as well as\s+)(?:[Tt]he\s+)?")
NUM = (r"(?:\d[\d,’']*(?:\.\d+)?(?:\s*(?:thousand|million|billion|trillion|mln|bln|bn|mn|"
       r"crore|lakh))?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
       r"twenty|thirty|forty|fifty|a|one hundred)\s+(?:thousand|million|billion|hundred)"
       r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)")


def compile_rule(pattern: str) -> re.Pattern:
    """Expand slot macros and compile."""

    def slot(m):
        kind, name = m.group(1), m.group(2)
        if kind.endswith("S") and kind[:-1] in SLOTS:
            one = rf"⟦(?:{SLOTS[kind[:-1]]}):\d+⟧"
            item = rf"(?:{one}|\d{{3,5}}(?=\s*,))"
            return rf"(?P<{name}>{one}(?:{_SEP}{item})*)"
        return rf"⟦(?:{SLOTS[kind]}):(?P<{name}>\d+)⟧"

    pattern = re.sub(r"\{([A-Z]+):(\w+)\}", slot, pattern)
    pattern = (pattern.replace("{GAP}", r"[^⟦⟧]{0,80}?").replace("{G30}", r"[^⟦⟧]{0,30}?")
               .replace("{G50}", r"[^⟦⟧]{0,50}?").replace("{NUM}", NUM)
               .replace("{BOUND}", rf"(?:(?P<bound>{BOUND_WORDS})\s+)?")
               .replace("{BW}", rf"(?:(?:{BOUND_WORDS})\s+)?")
               .replace("{PAR}", r"(?:\s*\([^()]{0,60}\))?")
               .replace("{ITS}", r"(?:its|their|⟦(?:ORG|UNK):\d+⟧)")
               .replace("{LGAP}", r"(?:[^⟦⟧]|⟦LOC:\d+⟧){0,80}?")
               .replace("{XGAP}", r"[^.;]{0,150}?")
               .replace("{LG50}", r"(?:[^⟦⟧]|⟦LOC:\d+⟧){0,50}?")
               .replace("{LG}", r"(?:[^⟦⟧]|⟦LOC:\d+⟧){0,120}?")
               .replace("{AGAP}", r"(?:[^⟦⟧]|⟦[A-Z]+:\d+⟧){0,80}?")
               .replace("{TICKER}", r"(?P<ticker>[A-Z][A-Z0-9.\-]{0,9}|\d{3,6}(?:\.[A-Z]{1,3})?|"
                                   r"⟦(?:UNK|ORG):\d+⟧)"))
    return re.compile(pattern)


@dataclass
class Candidate:
    """A fact found by a rule, before names are chosen."""

    relation: str
    subj: int  # cluster id
    sent: int
    rule: str
    obj: int | None = None  # cluster id
    obj_text: str | None = None  # literal object (product, industry, unnamed thing)
    value: str | None = None
    obj_type: str | None = None
    qualifiers: dict[str, str] = field(default_factory=dict)


def ids(group_text: str | None) -> list[int]:
    """Mention indexes in a matched list group (or the one index of a single slot)."""
    if not group_text:
        return []
    if group_text.isdigit():
        return [int(group_text)]
    return [int(m.group("i")) for m in PLACEHOLDER.finditer(group_text)]


# --- noun phrases for products and industries ----------------------------------------

_NP_STOP = re.compile(
    r"\s+(?:for|with|to|in|that|which|who|by|from|at|on|into|under|per|since|through|while|"
    r"across|using|used|as|is|are|was|were|will|has|have|had|its|their|including|such|and then|"
    r"annually|globally|worldwide|each|every|among|amongst|based|built|designed|developed|"
    r"equipped|powered|featuring|both|all)\b.*$|[.;:()\"“”].*$")
_NP_DROP = re.compile(
    r"^(?:(?:a|an|the|its|their|his|our|both|all|other|various|variety|range|wide|full|"
    r"complete|broad|cutting[\s\-]edge|advanced|innovative|high[\s\-]quality|leading|popular|"
    r"next[\s\-]generation|custom|proprietary|key|major|main|mainly|primarily|"
    r"commercial[\s\-]off[\s\-]the[\s\-]shelf|more|some|several|many|of)\s+)+", re.I)
_NUMERIC_LEAD = re.compile(rf"^(?:(?:{BOUND_WORDS})\s+)?{NUM}\s+(?:[\w\-]+\s+)?(?:of\s+)?", re.I)


VERBISH = {"began", "begins", "said", "says", "announced", "reported", "completed", "plans",
           "expects", "aims", "opened", "trading", "entered", "signed", "agreed", "became",
           "will", "would", "can", "could", "has", "have", "had", "up", "also", "set"}


def noun_items(text: str, max_words: int = 5) -> list[str]:
    """Split "worsted wool fabric, denim and cotton yarn for ..." into items."""
    t = _NP_STOP.sub("", " " + text).strip()
    parts = re.split(r"\s*,\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+|\s+&\s+(?=\w+s\b)",
                     t)
    out = []
    for p in parts:
        p = _NUMERIC_LEAD.sub("", p.strip())
        p = _NP_DROP.sub("", p).strip(" ,-")
        p = re.sub(r"^(?:a\s+)?(?:variety|range|number|series|portfolio|line) of\s+", "", p)
        words = p.split()
        if not words or len(words) > max_words:
            continue
        if words[0].lower() in ("the", "a", "an", "such", "other", "this", "these", "both",
                                "all", "each") or \
                any(w.lower() in ("which", "that", "who", "is", "are", "was", "be") for w in words):
            continue
        if not re.search(r"[a-z]", p) or PLACEHOLDER.search(p) or any(
                w.lower() in VERBISH for w in words):
            continue
        if len(words) == 1 and words[0].lower() in GENERIC_GOODS or re.fullmatch(BOUND_WORDS, p, re.I):
            continue  # "produce materials for EVs", "produces around 30 percent": no product named
        out.append(p)
    return out


# words that name no product on their own ("will produce materials for ...")
GENERIC_GOODS = {"materials", "material", "products", "product", "goods", "items", "solutions",
                 "output", "volumes", "quantities", "things", "offerings", "stuff"}


# --- the rule families ------------------------------------------------------------------


class Ctx:
    """What one rule sees: the analysis, the sentence index, its rendered text."""

    def __init__(self, analysis: Analysis, sent_index: int):
        self.a = analysis
        self.i = sent_index
        self.sent = analysis.sentences[sent_index]
        self.r = analysis.rendered[sent_index]

    def cl(self, mention_index: str | int | None) -> int | None:
        if mention_index is None:
            return None
        m = self.a.mentions[int(mention_index)]
        return m.cluster if m.cluster >= 0 else None

    def mention(self, mention_index: str | int):
        return self.a.mentions[int(mention_index)]

    def cand(self, relation, subj, rule, obj=None, **kw) -> Candidate | None:
        s = self.cl(subj)
        if s is None:
            return None
        o = None
        if obj is not None:
            o = self.cl(obj)
            if o is None or o == s:
                return None
        return Candidate(relation, s, self.i, rule, obj=o, **kw)

    def salient_org(self) -> int | None:
        """The organisation the release is mostly about (most mentions, earliest).

        An organisation named like the release's title (an encyclopaedia article) wins.
        """
        title = (self.a.release.title or "").strip().lower()
        if title:
            for c in self.a.clusters:
                if c.type in ("ORG", "UNK") and any(n.lower() == title for n in c.names):
                    return c.id
        best, score = None, (0, 0)
        for c in self.a.clusters:
            if c.type not in ("ORG", "UNK"):
                continue
            n = sum(1 for m in c.mentions if m.kind != "pronoun")
            first = -min(m.start for m in c.mentions)
            if (n, first) > score:
                best, score = c.id, (n, first)
        return best

    def sentence_org(self, before: int | None = None) -> int | None:
        """The first organisation named in the sentence (optionally before a position)."""
        for m in PLACEHOLDER.finditer(self.r):
            if before is not None and m.start() >= before:
                break
            if m.group("t") in ("ORG", "UNK"):
                return self.cl(m.group("i"))
        return None


RULES: list[tuple[str, str, re.Pattern]] = []
GATES: list[tuple[tuple[str, ...], ...]] = []  # per rule pattern: see required_literals


# -- literal gates: what every match of a rule pattern must contain --------------------
#
# A small reader of the pattern source (no private ``re`` modules): it knows literal
# characters, escapes, classes, groups, alternatives and quantifiers, and gives the
# literal texts every match contains.  A run of literals and of groups whose branches
# are plain literals ("⟦(?:ORG|UNK):") yields the set of texts it can be; a group of
# alternatives yields the texts of its branches.  Anything it does not understand
# (classes, look-arounds, flag groups, back references) requires nothing, so a gate is
# always safe: a sentence that fails it cannot match.

_CLASS_ESCAPES = set("dDsSwWbBAZ")
_CONTROL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_QUANTIFIER = re.compile(r"\{(\d*)(?:,(\d*))?\}")
_RUN_LIMIT = 24  # most texts a literal run may stand for


def _parse_regex(src: str, pos: int = 0, depth: int = 0):
    """``(branches, end)``: the alternatives of ``src[pos:]`` up to a closing ``)``.

    A branch is a list of nodes: ``("lit", ch)``, ``("group", branches)``,
    ``("opaque",)`` or ``("rep", node, min)``.
    """
    branches, seq = [], []
    n = len(src)
    while pos < n:
        ch = src[pos]
        if ch == ")" and depth:
            break
        if ch == "|":
            branches.append(seq)
            seq = []
            pos += 1
            continue
        if ch in "*+?" or ch == "{" and _QUANTIFIER.match(src, pos) and src[pos:pos + 2] != "{}":
            if ch == "{":
                qm = _QUANTIFIER.match(src, pos)
                low = int(qm.group(1) or 0)
                pos = qm.end()
            else:
                low = 1 if ch == "+" else 0
                pos += 1
            if pos < n and src[pos] in "?+":  # lazy or possessive
                pos += 1
            seq[-1] = ("rep", seq[-1], low)
            continue
        if ch == "\\":
            nxt = src[pos + 1]
            pos += 2
            if nxt in _CONTROL_ESCAPES:
                seq.append(("lit", _CONTROL_ESCAPES[nxt]))
            elif nxt.isalnum():
                seq.append(("opaque",))  # classes, anchors, \x.., \u...., back references
                if nxt in "xuU":
                    pos += {"x": 2, "u": 4, "U": 8}[nxt]
                elif nxt == "N":
                    pos = src.index("}", pos) + 1
                while nxt.isdigit() and pos < n and src[pos].isdigit():
                    pos += 1  # octal escapes and back references: all their digits
            else:
                seq.append(("lit", nxt))
            continue
        if ch == "[":
            pos += 1
            if pos < n and src[pos] == "^":
                pos += 1
            if pos < n and src[pos] == "]":
                pos += 1
            while src[pos] != "]":
                pos += 2 if src[pos] == "\\" else 1
            seq.append(("opaque",))
            pos += 1
            continue
        if ch == "(":
            plain = True
            if src.startswith("(?:", pos) or src.startswith("(?>", pos):
                pos += 3
            elif src.startswith("(?P<", pos):
                pos = src.index(">", pos) + 1
            elif src.startswith("(?", pos):
                plain = False  # look-around, flags, comment, condition, back reference
                pos += 2
            else:
                pos += 1
            inner, pos = _parse_regex(src, pos, depth + 1)
            seq.append(("group", inner) if plain else ("opaque",))
            pos += 1  # the ")"
            continue
        seq.append(("opaque",) if ch in ".^$" else ("lit", ch))
        pos += 1
    branches.append(seq)
    return branches, pos


def _exact(node) -> set[str] | None:
    """The texts ``node`` matches when they are few plain literals, else None."""
    if node[0] == "lit":
        return {node[1]}
    if node[0] == "rep" and node[2] == 0:
        inner = _exact(node[1])
        return None if inner is None else inner | {""}
    if node[0] != "group":
        return None
    out: set[str] = set()
    for branch in node[1]:
        texts = {""}
        for sub in branch:
            ex = _exact(sub)
            if ex is None or len(texts) * len(ex) > _RUN_LIMIT:
                return None
            texts = {a + b for a in texts for b in ex}
        out |= texts
    return out if len(out) <= _RUN_LIMIT else None


def _minimal(texts) -> tuple[str, ...]:
    """Alternatives without those that contain a shorter one (it alone decides)."""
    keep = sorted(set(texts), key=lambda t: (len(t), t))
    out: list[str] = []
    for t in keep:
        if not any(k in t for k in out):
            out.append(t)
    return tuple(out)


def _strength(cond: tuple[str, ...]) -> int:
    return min(len(t.strip()) for t in cond) if cond else 0


def _required(branch) -> list[tuple[str, ...]]:
    """Conditions (tuples of alternative texts, one must occur) every match implies."""
    conds: list[tuple[str, ...]] = []
    run: set[str] = {""}

    def flush():
        nonlocal run
        if "" not in run:
            conds.append(_minimal(run))
        run = {""}

    for node in branch:
        ex = _exact(node)
        if ex is not None and len(run) * len(ex) <= _RUN_LIMIT:
            run = {a + b for a in run for b in ex}
            continue
        flush()
        if node[0] == "group":
            conds.extend(_alternatives(node[1]))
        elif node[0] == "rep" and node[2] >= 1 and node[1][0] in ("group", "lit"):
            conds.extend(_required([node[1]]))
    flush()
    return conds


def _alternatives(branches) -> list[tuple[str, ...]]:
    """What a choice between branches implies: all of one branch's conditions, or one
    text from each branch."""
    if len(branches) == 1:
        return _required(branches[0])
    texts: list[str] = []
    for b in branches:
        conds = _required(b)
        if not conds:
            return []
        texts.extend(max(conds, key=_strength))
    return [_minimal(texts)]


def required_literals(pattern: str, flags: int = 0) -> tuple[tuple[str, ...], ...]:
    """The strongest conditions every match of ``pattern`` meets, strongest first.

    Each condition is a tuple of texts one of which a matching string contains
    (``("⟦ORG:", "⟦UNK:")``).  Case-insensitive and verbose patterns give none.
    """
    if flags & (re.IGNORECASE | re.VERBOSE):
        return ()
    try:
        branches, end = _parse_regex(pattern)
    except (IndexError, ValueError):
        return ()  # a pattern this reader does not follow: no gate
    if end != len(pattern):
        return ()
    conds = [c for c in _alternatives(branches) if _strength(c) >= 2]
    conds = sorted(set(conds), key=lambda c: (-_strength(c), len(c), c))
    return tuple(conds[:4])


def _gate(rx: re.Pattern) -> tuple[tuple[str, ...], ...]:
    return required_literals(rx.pattern, rx.flags)


def rule(name: str, relation: str, *patterns: str):
    """Register a pattern family under a rule name (with its literal pre-test)."""

    def deco(fn):
        for p in patterns:
            rx = compile_rule(p)
            RULES.append((name, relation, rx, fn))
            GATES.append(_gate(rx))
        return fn

    return deco


def looks_like_person(cluster, clusters=()) -> bool:
    """An untyped name shaped like a person's: two or three capitalised words, no
    organisation word, no place ("Bob Crewe", "Joanna Lumley")."""
    if cluster.type == "PER":
        return True
    if cluster.type != "UNK" or "det" in cluster.cues:
        return False
    if any(m.kind == "descriptor" and "article-subject" in m.cues for m in cluster.mentions):
        # an article whose sentences open with "The company" is about a firm ("Cinema
        # Verity"), not a person; a descriptor found elsewhere may be misplaced
        return False
    words = cluster.canonical.split()
    return (2 <= len(words) <= 4 and all(re.fullmatch(r"[A-Z][a-zà-ÿ’'\-]+\.?", w) or
                                         0 < k < len(words) - 1 and re.fullmatch(r"[A-Z]\.", w)
                                         for k, w in enumerate(words))
            and sum(len(w) > 2 for w in words) <= 3
            and not any(w.lower().rstrip(".") in gz.org_words() for w in words)
            and not gz.place_kind(cluster.canonical)
            and not any(c.type == "ORG" and words[0] in c.canonical.split() for c in clusters))


def surname_of_person(cluster, clusters) -> bool:
    """A one-word untyped name that is the last word of a person named in the text."""
    words = cluster.canonical.split()
    return cluster.type == "UNK" and len(words) == 1 and any(
        c is not cluster and c.canonical.split()[-1] == words[0] and looks_like_person(c, clusters)
        for c in clusters)


def _percent(ctx: Ctx, idx: str | None) -> str | None:
    if idx is None:
        return None
    m = ctx.mention(idx)
    return plain_number(m.value) if m.value is not None else None


def _money(ctx: Ctx, idx: str | None) -> dict[str, str]:
    if idx is None:
        return {}
    m = ctx.mention(idx)
    out = {"amount": plain_number(m.value), "unit": m.unit}
    if m.bound:
        out["bound"] = m.bound
    return out


def _slot_start(ctx: Ctx, m: re.Match, name: str) -> int:
    """Where a slot's placeholder starts in the sentence (a single slot's group is its index)."""
    return ctx.r.rfind("⟦", 0, m.end(name))


def _gd(m: re.Match, name: str) -> str | None:
    return m.groupdict().get(name)


# subsidiaries ---------------------------------------------------------------------------

SUB_WORD = r"(?:subsidiary|subsidiaries|unit|division|arm|business unit|affiliate|branch)"
OWNED_ADJ = (r"(?:(?:a|an|the)\s+)?(?:(?:wholly|fully|majority|indirect|direct|indirectly|"
             r"directly|[\w\-]+)[\s\-]+){0,4}?")


_WHICH_HOLDS = re.compile(r"\s*,\s*which\s+(?:holds|owns|has)\s+(?:a\s+|an\s+)?⟦PCT:(\d+)⟧")


@rule("subsidiary-of", "P749",
      rf"{{ORG:s}}{{PAR}}\s*,\s*{OWNED_ADJ}{SUB_WORD}\s+(?:of|under)\s+{{LG50}}{{ORG:o}}",
      rf"{{ORG:o}}\s+{{ORG:s}}\s+(?:[\w\-]+\s+)?{SUB_WORD}\b",
      rf"{{ORG:o}}\s+(?:[\w\-]+\s+){{0,3}}{SUB_WORD}\s*,\s*{{ORG:s}}",
      rf"{{ORG:s}}(?:\s*,\s*which(?: like {{ORG:s2}})?)?\s+(?:is|was|has been|remains|becomes|"
      rf"became|will become|will remain|will be|(?:will\s+)?(?:operate|operates|continue|continues|"
      rf"run|runs)\s+as)\s+{OWNED_ADJ}{SUB_WORD}(?:\s+and\s+[\w\s]{{1,40}}?)?"
      rf"\s+(?:of|under)\s+{{G50}}{{ORG:o}}",
      rf"{{ORG:o}}(?:’s|'s)\s+(?:[\w\-]+\s+){{0,3}}{SUB_WORD}\s*,?\s*{{ORG:s}}",
      rf"{{ORG:o}}(?:’s|'s)\s+{{ORG:s}}\s+(?:[\w\-]+\s+)?{SUB_WORD}\b",
      rf"{{ORG:s}}{{PAR}}\s*,\s*{OWNED_ADJ}{SUB_WORD}\s+of\s+{{ORG:o}}",
      r"{ORG:s}\s*(?:\([^⟦⟧()]*\)\s*)?(?:,|\s+(?:is|was|will))\s+{G30}"
      r"(?:wholly|fully)[\s\-]owned\s+by\s+{ORG:o}",
      r"{ORG:s},\s+(?:a|an)\s+(?:[\w\-]+\s+){0,3}?(?:subsidiary|unit)\s+of\s+{G50}{ORG:o}",
      # "It is based in Nashville and is a subsidiary of Y"
      rf"{{ORG:s}}\s+(?:is|was)\s+(?:based|headquartered|located)\s+in\s+⟦LOC:\d+⟧(?:\s*,\s*⟦LOC:\d+⟧)*"
      rf"\s*,?\s+and\s+(?:is|was)\s+{OWNED_ADJ}{SUB_WORD}\s+of\s+(?:the\s+)?{{ORG:o}}",
      # "X, a Y subsidiary", "X is a wholly owned Y subsidiary"
      r"{ORG:s}{PAR}\s*(?:,|\s+(?:is|was|became))\s+(?:a|an)\s+(?:(?:wholly|fully)[\s\-]owned\s+)?"
      r"{ORG:o}\s+(?:subsidiary|division|unit)\b",
      # an aside between the name and its verb: "X, known until 1994 as Z, is a unit of Y"
      rf"{{ORG:s}}{{PAR}}\s*,\s*[^⟦⟧,;]{{3,80}}?,\s*(?:is|was|has been|remains)\s+{OWNED_ADJ}"
      rf"{SUB_WORD}\s+of\s+(?:the\s+)?{{ORG:o}}",
      )
def subsidiary(ctx: Ctx, m: re.Match, name: str, rel: str):
    sub = m.group(0)
    if re.match(r"⟦[A-Z]+:\d+⟧\s+(?:⟦|(?:[\w\-]+\s+){0,3}" + SUB_WORD + r"\s*,)", sub) and \
            ctx.mention(m.group("o")).kind != "pronoun":
        return
    if re.search(r"\b(?:former|formerly|previously|spin-off|spun off|talks)\b", ctx.r, re.I) \
            and not re.search(r"\b(?:unit|subsidiary)\b", sub):
        return
    holds = _WHICH_HOLDS.match(ctx.r, m.end())
    for s in ("s", "s2"):
        if _gd(m, s):
            yield ctx.cand(rel, m.group(s), name, m.group("o"))
            if holds:  # "a subsidiary of Y, which holds 74.9 percent of the shares"
                c = ctx.cand("P127", m.group(s), name + "-holds", m.group("o"))
                if c:
                    c.qualifiers["percent"] = _percent(ctx, holds.group(1))
                    yield c


@rule("article-parent", "P749",
      # an article's "The parent company, Y, has offices in ...": the parent of its subject
      r"^\s*(?:(?:The|Its)\s+parent(?:\s+company)?|⟦ORG:\d+⟧)\s*,\s*{ORG:o}\s*,",
      # "GWS headquarters in Taiwan and subsidiary GWS China take care of ..."
      r"{ORG:o}\s+(?:headquarters\s+in\s+⟦LOC:\d+⟧\s+)?and\s+(?:its\s+)?subsidiary\s+{ORG:s}",
      )
def article_parent(ctx: Ctx, m: re.Match, name: str, rel: str):
    if not encyclopaedic(ctx.a) or q.negated(m.group(0)) or _gd(m, "s") is None and \
            not re.match(r"\s*(?:The|Its)\s+parent\b", ctx.sent.text):
        return
    s = ctx.cl(_gd(m, "s")) if _gd(m, "s") else ctx.salient_org()
    o = ctx.cl(m.group("o"))
    if s is not None and o is not None and s != o and \
            ctx.a.clusters[o].type in ("ORG", "UNK") and \
            not looks_like_person(ctx.a.clusters[s], ctx.a.clusters):
        first = ctx.a.sentences[0].text if ctx.a.sentences else ""
        if _gd(m, "s") is None and re.search(r"\b(?:is|was)\s+an?\s+[^.;]{0,60}?\b(?:show|series|"
                                             r"film|programme|program|album|game|novel|magazine|"
                                             r"newspaper)\b", first):
            # a show's "parent company" owns it; a work is nobody's subsidiary
            yield Candidate("P127", s, ctx.i, name + "-owner", obj=o)
        else:
            yield Candidate(rel, s, ctx.i, name, obj=o)


@rule("parent-of", "P749",
      r"{ORG:o}\s*,\s*(?:the\s+)?(?:[A-Z][\w\-]+\s+)?parent(?: company)?\s+of\s+{G50}{ORG:s}",
      r"{ORG:o}\s+[^⟦⟧.;]{0,60}?\b(?:along\s+with|together\s+with)\s+its\s+(?:[\w\-]+\s+)?"
      r"subsidiar(?:y|ies)\s+{ORGS:s}",
      r"{ORG:o}{PAR}\s*(?:,\s*)?(?:is\s+)?(?:made up of|consists of|comprises|comprising)\s+"
      r"(?:the\s+)?{ORGS:s}",
      r"{ORG:o}(?:’s|'s)?\s+(?:[\w\-]+\s+){0,3}(?:subsidiaries|units|businesses|divisions|"
      r"service|business|platforms?)\s+(?:such as|including|like|called|named|include)\s+"
      r"{ORGS:s}",
      r"{ORG:o}\s+(?:owns|operates|has)\s+(?:the\s+)?(?:[\w\-]+\s+){0,2}subsidiar(?:y|ies)\s+"
      r"{ORGS:s}",
      r"{ORG:o}\s+(?:includes|include|houses|will include|will house|will cover|covers)\s+{AGAP}"
      r"(?:such as|including|called)\s+{ORGS:s}",
      # "along with its subsidiaries A and B" once "its" is resolved to the parent
      r"(?:along|together)\s+with\s+{ORG:o}(?:’s|'s)?\s+(?:wholly[\s\-]owned\s+)?"
      r"subsidiar(?:y|ies)\s+{ORGS:s}",
      )
def parent(ctx: Ctx, m: re.Match, name: str, rel: str):
    parts = re.search(r"\b(?:made up of|consists of|comprises|comprising)\b", m.group(0))
    for i in ids(m.group("s")):
        c = ctx.cand(rel, i, name, m.group("o"))
        if c is not None and parts:
            c.qualifiers["_parts"] = "1"  # an article reads these as parts (P361)
        yield c
    # "X includes Y's businesses such as A and B": A, B are Y's too
    inner = re.search(r"⟦(?:ORG|UNK):(\d+)⟧(?:’s|'s)\s+[^⟦⟧]*(?:such as|including|called)",
                      m.group(0)[m.group(0).find("⟧") + 1:])
    if inner:
        for i in ids(m.group("s")):
            yield ctx.cand(rel, i, name + "-possessive", inner.group(1))


# stakes -------------------------------------------------------------------------------

STAKE = r"(?:stake|interest|share|shareholding|holding|equity stake|equity interest|ownership)"


@rule("holds-stake", "P127",
      rf"{{ORG:o}}(?:\s*,\s*{{AGAP}},)?\s+(?:\w+\s+){{0,3}}?(?:holds|owns|held|hold|retains ownership of|retains|"
      rf"controls|has)\s+(?:a|an|the)?\s*(?:[\w\-]+\s+)?{{PCT:p}}\s+(?:[\w\-]+\s+)?(?:{STAKE}\s+)?"
      rf"(?:of\s+the\s+(?:issued\s+)?(?:shares|share capital)\s+)?(?:in|of)\s+{{ORG:s}}(?:\s+and\s+{{PCT:p2}}\s+(?:{STAKE}\s+)?in\s+"
      rf"(?:⟦(?:ORG|UNK):\d+⟧(?:’s|'s)\s+)?{{ORG:s2}})?",
      r"{ORG:s}(?:\s*,\s*which)?\s+(?:is|was)\s+(?:\w+\s+)?{PCT:p}[\s\-]owned\s+by\s+{ORG:o}",
      rf"{{PCT:p}}\s+(?:{STAKE}\s+)?(?:was|is|are|were)\s+held\s+by\s+{{ORG:o}}",
      rf"\bwith\s+the\s+(?P<rest>remaining|other|rest)\s+{{PCT:p}}\s+(?:{STAKE}\s+)?(?:(?:is|are|being)\s+)?"
      rf"held\s+by\s+{{ORG:o}}",
      r"{ORG:o}\s+(?:will\s+)?(?:directly\s+|indirectly\s+)?hold\s+[^⟦⟧]{0,120}?\s+of\s+{ORG:s}"
      r"\s*\(\s*{PCT:p}",
      r"{ORG:s}\s+(?:is|was|has been)\s+backed\s+by\s+(?:[\w\-]+\s+){0,4}?(?:investors|"
      r"shareholders|backers)\s+(?:including|such as|like)\s+{ORGS:o}",
      r"{ORG:s}(?:’s|'s)\s+(?:current\s+|major\s+|main\s+)?(?:share\s*holders|shareholders|"
      r"owners|investors)\s+(?:include|includes|are)\s+{ORGS:o}",
      r"(?:shareholders?|stake(?:holder)?s?)\s+in\s+{ORG:s}\s+alongside\s+{ORGS:o}",
      # "A holds 80% of S and B (holds) 20%": the second owner's share of the same company
      r"{ORG:o}\s+(?:now\s+|will\s+)?(?:holds?|owns?)\s+{PCT:p}\s+of\s+(?:the\s+shares\s+(?:of|in)\s+)?"
      r"{ORG:s}\s*(?:,\s*)?(?:and|while|whereas)\s+{ORG:o2}\s+(?:(?:will\s+)?(?:holds?|owns?|retains?|keeps?)\s+)?"
      r"(?:the\s+(?:remaining|other|rest)\s+)?{PCT:p2}(?!\s*(?:of|in)\s)",
      # "S is a subsidiary of / majority owned by / backed by O, which holds 74.9% of the shares"
      rf"{{ORG:s}}{{PAR}}\s*(?:,[^⟦⟧,]{{0,60}}?(?:⟦LOC:\d+⟧[^⟦⟧,]{{0,20}})?,\s*)?\s+(?:is|was|remains|has been)\s+"
      rf"{{AGAP}}\b(?:of|by)\s+{{AGAP}}{{ORG:o}}[^⟦⟧,]{{0,8}}\s*,\s*which\s+(?:holds|owns|retains|keeps|"
      rf"controls)\s+(?:a\s+|an\s+)?{{PCT:p}}(?:\s+{STAKE}\b|\s+of\s+(?:the\s+(?:shares|company|"
      rf"share capital)|(?:⟦(?:ORG|UNK):\d+⟧(?:’s|'s)?\s+)?(?:shares|share capital)|⟦(?:ORG|UNK):\d+⟧))?",
      # "The seller is X, which keeps a 40 percent stake": a stake in the deal's company
      rf"{{ORG:o}}[^⟦⟧,]{{0,8}}\s*,\s*which\s+(?:keeps|retains|will keep|will retain|continues to hold|"
      rf"will continue to hold)\s+(?:a\s+|an\s+|the\s+remaining\s+)?{{PCT:p}}\s+(?:(?:equity\s+)?{STAKE}|"
      rf"of the shares)\b(?!\s+(?:in|of)\s)",
      # "S, in which O holds 30 percent, ..."
      r"{ORG:s}\s*,\s*in\s+which\s+{ORG:o}\s+(?:holds|owns|has|retains)\s+(?:a\s+|an\s+)?{PCT:p}",
      # "O is the majority shareholder of S"
      r"{ORG:o}{PAR}\s*,?\s+(?:is|was|remains|has become|became|will remain)\s+(?:the\s+|a\s+)?(?:single\s+)?"
      r"(?:majority|controlling|largest|principal|major|sole)\s+(?:share\s*holder|owner|stakeholder)\s+"
      r"(?:of|in)\s+{ORG:s}",
      # "O increased its shareholding in S to 60%"
      rf"{{ORG:o}}\s+(?:has\s+|had\s+|will\s+)?(?:increased|raised|lifted|increases|raises|lifts|"
      rf"expanded)\s+(?:{{ITS}}|the)\s+(?:[\w\-]+\s+)?{STAKE}\s+in\s+{{ORG:s}}\s+(?:from\s+⟦PCT:\d+⟧\s+)?"
      rf"to\s+{{PCT:p}}",
      # "S remains wholly owned by O"
      r"{ORG:s}\s+(?:remains|will remain|continues to be|will continue to be)\s+(?P<whole>wholly|fully|"
      r"100\s*%)[\s\-]owned\s+by\s+(?:the\s+)?(?:[^⟦⟧,.;]{0,40}?\s+)?{ORG:o}",
      )
def stake(ctx: Ctx, m: re.Match, name: str, rel: str):
    if q.negated(m.group(0)):
        return
    if re.search(r"\b(?:will|would|to)\s+(?:make|become|acquire)\b", m.group(0)[:40]):
        return
    subj = _gd(m, "s")
    if subj is None:  # "the rest 24.06% was held by X": the stake's company comes earlier
        before = ctx.r[: m.start()]
        found = re.findall(r"(?:in|of)\s+⟦(?:ORG|UNK):(\d+)⟧", before)
        if not found and "which" in m.group(0):  # "..., which keeps a 40% stake": the deal's
            for k in (ctx.i - 1, ctx.i - 2):
                if k >= 0:
                    found = re.findall(rf"\b(?:{STAKE}|shares)\s+(?:in|of)\s+(?:the\s+)?"
                                       r"⟦(?:ORG|UNK):(\d+)⟧", ctx.a.rendered[k])
                    if found:
                        break
        if not found and _gd(m, "rest"):  # "S is 75% owned by A, with the remaining 25% held by B"
            first = re.match(r"\s*(?:[A-Z][\w\s,]{0,30}?)?⟦(?:ORG|UNK):(\d+)⟧", ctx.r)
            found = [first.group(1)] if first else []
        if not found:
            return
        subj = found[-1]
    objs = ids(m.group("o")) if m.group("o") and "⟦" in m.group("o") else [m.group("o")]
    past = bool(re.search(r"\b(?:held|owned|[Pp]rior to|[Bb]efore|previously|formerly)\b",
                          ctx.r[: m.end()]))
    for o in objs:
        c = ctx.cand(rel, subj, name, o)
        if c:
            pct = _percent(ctx, _gd(m, "p")) or ("100" if _gd(m, "whole") else None)
            if pct:
                c.qualifiers["percent"] = pct
            if past:
                c.qualifiers["_past"] = "1"
            yield c
    if _gd(m, "o2"):
        c = ctx.cand(rel, subj, name, m.group("o2"))
        if c:
            c.qualifiers["percent"] = _percent(ctx, m.group("p2"))
            yield c
    if _gd(m, "s2"):
        c = ctx.cand(rel, m.group("s2"), name, objs[0])
        if c:
            pct = _percent(ctx, _gd(m, "p2"))
            if pct:
                c.qualifiers["percent"] = pct
            yield c


# acquisitions --------------------------------------------------------------------------

# an appositive description of the target before its name: "the Spanish silica producer X"
TARGET_DESC = (r"(?:(?:[A-Za-z][\w\-]*\s+|⟦LOC:\d+⟧\s+){0,3}?(?:producer|maker|manufacturer|company|"
               r"firm|group|developer|operator|supplier|miner|start-?up|owner|specialist)\s+)?")
ACQ_VERB = (r"(?:acquire[sd]?|acquiring|buy|buys|bought|buying|purchase[sd]?|purchasing|"
            r"take over|took over|takes over|taken over|pay|pays|paid|invest|invests|invested)")


@rule("acquired-by", "X-acquires",
      r"{ORG:o}\s+(?:was|has been|is being|will be|had been|(?:has\s+|had\s+)?agreed to be|is to be|would be)\s+"
      r"(?:\w+\s+)?(?:acquired|bought|"
      r"purchased|taken over)\s+by\s+(?:the\s+)?(?:[a-z][\w\-]*\s+){0,3}?{ORG:s}"
      r"(?:\s+for\s+{MONEY:amt})?",
      )
def acquired_by(ctx: Ctx, m: re.Match, name: str, rel: str):
    yield from acquires(ctx, m, name, rel)


@rule("acquires", "X-acquires",
      rf"{{ORG:s}}\s*,?\s*{{LG}}\b(?:invest|invests|pay|pays|paid|invested)\s+{{BW}}{{MONEY:amt}}"
      rf"(?:\s*\([^()]*\))?\s+(?:to\s+(?:purchase|acquire|buy)|for)\s+(?:a|an)?\s*"
      rf"(?:roughly\s+|about\s+|around\s+)?(?:a\s+)?{{PCT:p}}\s+(?:{STAKE}\s+|of the shares\s+)?"
      rf"(?:in|of)\s+(?:[\w\-]+\s+){{0,4}}?{{ORG:o}}",
      rf"{{ORG:s}}\s*,?\s*{{LG}}\b(?:plan|plans|planning|agreed|agrees)\s+to\s+(?:invest\s+)?"
      rf"{{BW}}{{MONEY:amt}}(?:\s*\([^()]*\))?\s+to\s+(?:acquire|purchase|buy)\s+{{PCT:p}}\s+"
      rf"(?:of the shares\s+|{STAKE}\s+)?(?:of|in)\s+{{ORG:o}}",
      rf"{{ORG:s}}{{PAR}}\s+{{G50}}\b{ACQ_VERB}\s+(?P<x>[^⟦⟧]{{0,60}}?)(?:{{MONEY:amt}}\s+)?"
      rf"(?P<y>[^⟦⟧]{{0,60}}?)(?:{{PCT:p}}\s+)?(?P<z>[^⟦⟧]{{0,40}}?)"
      rf"(?:{STAKE}|shares|equity|the balance|all)\b[^⟦⟧]{{0,40}}?\b(?:in|of)\s+"
      rf"(?:the\s+)?{TARGET_DESC}{{ORG:o}}",
      # "has agreed to acquire 100 percent of X", "will buy a further 10% of the shares of X"
      rf"{{ORG:s}}{{PAR}}\s+{{G50}}\b(?:acquire|buy|purchase|take over)\s+(?:an?\s+)?(?:additional\s+|further\s+)?"
      rf"{{PCT:p}}\s+(?:(?:equity\s+)?{STAKE}\s+)?(?:of|in)\s+(?:the\s+(?:shares|share capital|equity)\s+(?:of|in)\s+)?"
      rf"(?:the\s+)?{TARGET_DESC}{{ORG:o}}",
      # "has completed the acquisition of all of the outstanding shares of X"
      rf"{{ORG:s}}{{PAR}}\s+{{G50}}\b(?:acquisition|purchase|takeover)\s+of\s+(?:all\s+(?:of\s+)?)?"
      rf"(?:the\s+)?(?:entire\s+|remaining\s+)?(?:issued\s+and\s+)?(?:outstanding\s+)?"
      rf"(?:shares|share capital|stock|equity)\s+(?:of|in)\s+(?:the\s+)?{TARGET_DESC}{{ORG:o}}",
      # "has terminated the agreement signed in March to acquire 80 percent of X"
      rf"{{ORG:s}}{{PAR}}\s+{{G30}}\b(?:terminated|cancelled|canceled|called off|withdrawn from|"
      rf"abandoned|walked away from)\s+(?:the|{{ITS}})\s+(?:[\w\-]+\s+)?(?:agreement|deal|offer|plan|"
      rf"transaction|bid)\b[^⟦⟧.;]{{0,60}}?\bto\s+(?:acquire|buy|purchase|take over)\s+"
      rf"(?:an?\s+)?(?:{{PCT:p}}\s+(?:(?:equity\s+)?{STAKE}\s+)?(?:of|in)\s+)?(?:the\s+)?"
      rf"{TARGET_DESC}{{ORG:o}}",
      r"{ORG:s}\s+{G50}\b(?:acquire[sd]?|acquiring|buy|buys|bought|purchase[sd]?|"
      r"take over|took over|takes over|to acquire|acquisition of)\s+(?:the\s+)?"
      r"(?:[\w\-\.]+\s+|⟦LOC:\d+⟧\s+){0,5}?{ORG:o}(?:\s+for\s+{MONEY:amt})?",
      r"{ORG:s}\s+{G50}\b(?:acquire[sd]?|bought|buy|purchased?)\s+(?:all|all of the|"
      r"100%|the entire|the remaining|the balance)\s+[^⟦⟧]{0,60}?\s+{ORG:o}\s+shares",
      rf"{{ORG:s}}\s*,\s*which\s+(?:bought|acquired|purchased)\s+{{PCT:p}}\s+(?:{STAKE}\s+)?"
      rf"(?:of|in)\s+{{ORG:o}}",
      rf"{{ORG:s}}{{PAR}}(?:\s*,\s*(?:a|an|the)\s+[^⟦⟧,]{{0,60}}?(?:⟦(?:ORG|UNK):\d+⟧)?\s*,)?"
      rf"\s+{{G50}}\b(?:(?:completed|completes|closed|closes|finali[sz]ed)\s+"
      rf"(?:{{ITS}}|the)\s+(?:acquisition|purchase)\s+of|acquired|bought|purchased)\s+"
      rf"(?:an?\s+)?(?:additional\s+|further\s+)?{{PCT:p}}\s+(?:(?:equity\s+)?{STAKE}\s+)?"
      rf"(?:of|in)\s+(?:the\s+(?:shares|equity)\s+(?:of|in)\s+)?(?:the\s+)?{{ORG:o}}"
      rf"(?:\s+for\s+{{BW}}{{MONEY:amt}})?",
      rf"{{ORG:s}}\s+{{G50}}\b(?:intends|plans|wants|aims|is planning|expects|agreed)\s+to\s+"
      rf"(?:become\s+(?:a|the)\s+(?:[\w\-]+\s+)?shareholder\s+(?:of|in)|take\s+(?:an?\s+)?"
      rf"(?:[\w\-]+\s+)?{STAKE}\s+in)\s+{{ORG:o}}",
      # "X has completed its takeover of Y", "X announced its proposed acquisition of Y"
      r"{ORG:s}\s+{G50}\b(?:completed|completes|closed|closes|finali[sz]ed|finali[sz]es|announced|announces|"
      r"agreed|concluded)\s+{ITS}\s+(?:proposed\s+|planned\s+|intended\s+)?(?:acquisition|purchase|"
      r"takeover|buyout|buy-out)\s+of\s+(?:the\s+)?{ORG:o}(?:\s+for\s+{BW}{MONEY:amt})?",
      r"{ORG:s}\s+{G50}\b(?:completed|closed)\s+{ITS}\s+(?:investment|equity investment)\s+in\s+"
      r"{ORG:o}(?:[^⟦⟧]{0,40}?\band\s+(?:now\s+)?(?:holds|owns)\s+{PCT:p})?",
      rf"\b(?:selling|sold|sells|sell|transferred|transfers|transfer)\s+(?:{{ITS}}|the|a|an)?\s*"
      rf"(?:entire\s+|whole\s+|remaining\s+)?(?:{{PCT:p}}\s+)?(?:{STAKE}|shares|holding)\s+in\s+"
      rf"(?:[\w\-]+\s+){{0,3}}?{{ORG:o}}\s+to\s+{{ORG:s}}",
      r"\bsell(?:s|ing)?\s+(?:{ITS}\s+)?(?:[\w\-]+\s+){0,3}?(?:unit|subsidiary|business|division|"
      r"arm)\s*,?\s*{ORG:o}\s*,?\s+to\s+{ORG:s}",
      r"\b(?:sell(?:s|ing)?|sold)\s+{ORG:o}\s+to\s+{ORG:s}",
      r"{ORG:o}\s+(?:was|were|had been|has been)\s+(?:later\s+|subsequently\s+|eventually\s+|"
      r"then\s+)?sold\s+to\s+(?:the\s+)?{ORG:s}",
      rf"{{ORG:s}}\s+{{G50}}\b(?:bought|acquired|purchased|buy|acquire)\s+(?:an?\s+)?{{PCT:p}}\s+"
      rf"(?:{STAKE}\s+)?in\s+(?:the\s+)?(?P<unit>[a-z][\w\- ]{{2,40}}?(?:business|unit|"
      rf"division|operations?))\s+of\s+{{G50}}{{ORG:o2}}(?:\s+for\s+{{MONEY:amt}})?",
      )
def acquires(ctx: Ctx, m: re.Match, name: str, rel: str):
    text = m.group(0)
    if _gd(m, "o") and re.search(r"\bfrom\s+(?:the\s+)?$", ctx.r[m.start():_slot_start(ctx, m, "o")]):
        return  # "will buy the Dalton business from B": B sells
    if re.search(r"\b(?:acquired|bought|purchased|taken over|owned)\s+by\b", text) and \
            name != "acquired-by":
        return
    cancelled = re.search(r"\b(?:terminated|cancell?ed|canceled|called off|withdrawn from|"
                          r"abandoned|walked away from)\b(?![^⟦⟧]{0,40}\bcompleted\b)",
                          ctx.r[max(0, m.start() - 40):m.end()])
    if q.negated(text) and not cancelled or \
            q.speculative(ctx.r) and not re.search(r"\bexpects? to\b", text):
        return
    if re.search(r"\b(?:capacity|quota|assets?)\b", text):
        return
    obj = _gd(m, "o")
    c = None
    if _gd(m, "unit"):
        c = ctx.cand(rel, m.group("s"), name, None, obj_text=m.group("unit").strip(),
                     obj_type="ORG")
        c.obj_text = f"{c.obj_text} of {ctx.a.clusters[ctx.cl(m.group('o2'))].canonical}" \
            if c and ctx.cl(m.group("o2")) is not None else c.obj_text if c else None
    else:
        c = ctx.cand(rel, m.group("s"), name, obj)
    if c is None:
        return
    if c.obj is not None and ctx.a.clusters[c.obj].type not in ("ORG", "UNK"):
        return
    st = q.status(text)
    if re.search(r"\b(?:took over|bought|acquired|purchased|sold|transferred|selling|has "
                 r"acquired|had|completed|closed|finali[sz]ed)\b", ctx.r[max(0, m.start() - 60):m.end()]) \
            and not re.search(r"\b(?:will|agreed to|expects? to|plans? to)\b", text):
        st = "completed"
    elif re.search(r"\b(?:plans?|planning|intends?|expects? to|considering|talks)\b", text) and \
            not re.search(r"\bannounced (?:a|its) plan\b", text):
        st = "planned"
    elif re.search(r"\bannounced (?:a|its) plan\b", text):
        st = "agreed"
    elif re.search(r"\b(?:will|to acquire|agreed|announced|deal|arrangement)\b", ctx.r):
        st = "agreed"
    if cancelled:
        st = "cancelled"
    if st:
        c.qualifiers["status"] = st
    pct = _percent(ctx, _gd(m, "p"))
    if pct:
        c.qualifiers["percent"] = pct
    elif re.search(r"\b(?:fully acquire|all of the|all the issued|entire stake|100%|wholly)\b",
                   text):
        c.qualifiers["percent"] = "100"
    else:
        pm = re.search(r"\(\s*⟦PCT:(\d+)⟧\s*\)", ctx.r[m.start():m.end() + 30])
        if pm:
            c.qualifiers["percent"] = _percent(ctx, pm.group(1))
    c.qualifiers.update(_money(ctx, _gd(m, "amt")))
    if "amount" not in c.qualifiers:
        mm = re.search(r"\bfor\s+(?:an amount aggregating to\s+|(?:a\s+)?(?:total\s+)?"
                       r"(?:cash\s+)?consideration\s+of\s+)?(?:approximately\s+|about\s+"
                       r"|around\s+)?⟦MONEY:(\d+)⟧", ctx.r[m.start():])
        if mm:
            c.qualifiers.update(_money(ctx, mm.group(1)))
    d = q.resolve_date(ctx.sent.text, ctx.a.release.date) if st == "completed" else None
    if d and re.match(r"\d{4}-\d{2}$", d):
        c.qualifiers["date"] = d
    yield c


# cooperation and joint ventures ------------------------------------------------------------

COOP = (r"(?:partnership|cooperation|co-operation|collaboration|alliance|agreement|"
        r"memorandum of understanding|MoU|MOU|joint development|framework agreement)")


COOP_ACR = r"(?:\s*\((?:[^()⟦⟧]|⟦UNK:\d+⟧){1,20}\))?"  # "memorandum of understanding (MoU)"
TEAM_UP = (r"(?:teamed up|team up|teams up|teaming up|joined hands|join hands|joins hands|joining hands|"
           r"joined forces|join forces|joins forces|joining forces|partnered|partners|is partnering|"
           r"are partnering|partnering|collaborated|collaborates|is collaborating|are collaborating|"
           r"cooperated|co-operated|cooperates|is cooperating|are cooperating)")


@rule("cooperates", "X-cooperates",
      rf"{{ORG:a}}\s+(?:and|&)\s+{{ORG:b}}\s+(?:have\s+|has\s+|had\s+|will\s+|today\s+)?"
      rf"(?:also\s+)?(?:announced|signed|sign|signs|formed|form|forge|forged|entered into|"
      rf"established|agreed|launched|inked|struck)\s+(?:on\s+)?(?:a|an|the)?\s*"
      rf"(?:[\w\-]+\s+){{0,3}}{COOP}",
      rf"{{ORG:a}}\s+{{LG50}}\b(?:forming|form|forge|forged|formed|establish|established|"
      rf"establishment of|sign|signed|signs|enter|entered into|announced|has|have|launch|"
      rf"launched)\s+(?:an?\s+|the\s+)?(?:[\w\-]+\s+){{0,3}}{COOP}{COOP_ACR}\s+with\s+{{ORG:b}}",
      # "A has joined hands with B", "A is partnering with B", "A and B have teamed up"
      rf"{{ORG:a}}{{PAR}}\s+(?:(?:today|also|recently|formally|officially|has|have|had|will|is|are|"
      rf"(?:announced|said|says|announces)(?:\s+(?:today\s+)?that)?\s+(?:it|they)|now)\s+){{0,4}}"
      rf"{TEAM_UP}\s+with\s+(?:the\s+)?(?:[\w\-]+\s+){{0,2}}?{{ORG:b}}",
      rf"{{ORG:a}}{{PAR}}\s+(?:and|&)\s+{{ORG:b}}{{PAR}}\s+(?:have\s+|has\s+|had\s+|will\s+|today\s+|are\s+)?"
      rf"(?:also\s+)?(?:{TEAM_UP}|agreed\s+to\s+(?:cooperate|co-operate|collaborate|work together|partner|"
      rf"jointly\s+\w+))\b",
      r"\b(?:deal|partnership|cooperation|collaboration|alliance|agreement)\s+between\s+"
      r"{ORG:a}\s+and\s+(?:[\w’'\-]+\s+)?{ORG:b}",
      r"{ORG:a}\s+(?:has\s+|had\s+)?agreed\s+with\s+(?:[\w\.\-]+\s+)?{ORG:b}\s+to\b",
      rf"^[^⟦⟧]{{0,80}}?{{ORG:a}}(?:[^⟦⟧.]|⟦[A-Z]+:\d+⟧){{0,200}}?\band\s+{{ORG:b}}\s*,\s*(?:a|an|the)\s+"
      rf"[^⟦⟧]{{0,120}}?,\s+(?:have|has)\s+(?:announced|signed|formed|entered into|launched)\s+"
      rf"(?:a|an|the)?\s*(?:[\w\-]+\s+){{0,3}}{COOP}",
      r"^\s*{ORG:a}\s+{XGAP}\bwill\s+(?:also\s+)?(?:work|cooperate|collaborate|partner|"
      r"team up)\s+(?:together\s+|closely\s+|jointly\s+)?with\s+{ORG:b}",
      # "A, together with B, will develop ..."
      r"{ORG:a}{PAR}\s*,\s*together\s+with\s+{ORG:b}{PAR}\s*,\s+(?:will|plans? to|has agreed to|have agreed to|"
      r"agreed to|intends? to|aims? to)\s+(?:jointly\s+)?(?:develop|build|produce|invest|launch|establish|set up|"
      r"work|research|commerciali[sz]e|explore)\b",
      # "A and B have expanded their partnership"
      rf"{{ORG:a}}{{PAR}}\s+and\s+{{ORG:b}}{{PAR}}\s+(?:have\s+|has\s+|will\s+|today\s+|agreed\s+to\s+)*"
      rf"(?:deepen|deepened|expand|expanded|strengthen|strengthened|extend|extended|renew|renewed|"
      rf"intensify|intensified)\s+(?:their|the)\s+(?:[\w\-]+\s+){{0,2}}{COOP}",
      r"{ORG:a}\s+and\s+{ORG:b}\s+will\s+(?:also\s+)?(?:work together|cooperate|collaborate|"
      r"partner|jointly)",
      # "A (KRX: 1), a Korean maker of X, and B (TSE: 2) of Japan today signed a joint venture
      # agreement", "A and B announced that they have agreed to establish a joint venture"
      rf"{{ORG:a}}{{PAR}}(?:\s*,\s*(?:a|an|the)\s+[^⟦⟧]{{0,80}}?,)?\s+and\s+{{ORG:b}}{{PAR}}"
      rf"(?:\s+of\s+⟦LOC:\d+⟧)?(?:\s*,\s*(?:a|an|the)\s+[^⟦⟧]{{0,80}}?,)?\s+(?:have\s+|has\s+|will\s+|"
      rf"today\s+|jointly\s+)?(?:also\s+)?(?:(?:announced|said)\s+(?:today\s+)?that\s+they\s+(?:have\s+|had\s+|"
      rf"will\s+)?)?(?:signed|sign|signs|entered into|agreed|agree|inked|concluded)\s+(?:on\s+)?"
      rf"(?:to\s+(?:establish|form|set up|create|found)\s+)?(?:a|an|the)?\s*(?:[\w\-]+\s+){{0,3}}?"
      rf"(?:{COOP}|joint venture)",
      # "A and the bus maker B have been development partners since 2019"
      r"{ORG:a}\s+and\s+(?:the\s+|its\s+)?(?:[\w\-]+\s+){0,3}?{ORG:b}\s+(?:have been|are|were|became|"
      r"have become|will become|will remain|remain)\s+(?:long-standing\s+|long-time\s+|longtime\s+|"
      r"strategic\s+|close\s+)?(?:[\w\-]+\s+)?partners\b",
      # "A will deepen its cooperation with B", "A has extended its partnership with B"
      rf"{{ORG:a}}\s+(?P<gap>(?:[^⟦⟧.;]|⟦[A-Z]+:\d+⟧){{0,150}}?)\b(?:will\s+|to\s+|has\s+|have\s+)?"
      rf"(?:deepen|deepens|deepened|expand|expands|expanded|strengthen|strengthens|strengthened|extend|"
      rf"extends|extended|continue|continues|intensify|intensifies|intensified|renew|renews|renewed)\s+"
      rf"(?:{{ITS}}|the|their)\s+(?:[\w\-]+\s+){{0,2}}{COOP}\s+with\s+(?:the\s+)?{{ORG:b}}",
      # "X, which has signed a memorandum of understanding with the joint venture"
      rf"{{ORG:a}}\s*,\s*which\s+(?:has\s+|have\s+|had\s+)?(?:also\s+)?(?:signed|entered into|concluded)\s+"
      rf"(?:a|an)\s+(?:[\w\-]+\s+){{0,3}}{COOP}\s+with\s+(?:the\s+)?{{ORG:b}}",
      # "The two companies will continue their development partnership / agreed to jointly market"
      rf"\b[Tt]he\s+two\s+(?P<two>companies|partners|groups|firms)\s+(?:have\s+|will\s+|had\s+)?"
      rf"(?:also\s+)?(?:agreed\s+to\s+(?:jointly|work together|cooperate|collaborate)|work together|"
      rf"cooperate|collaborate|(?:continue|deepen|expand|extend|strengthen)\s+(?:their|the)\s+"
      rf"(?:[\w\-]+\s+){{0,2}}{COOP})",
      )
def cooperates(ctx: Ctx, m: re.Match, name: str, rel: str):
    text = m.group(0)
    if q.negated(text) or re.search(r"\b(?:could|might|may|exploring)\b", text):
        return
    if re.search(r"\b(?:agreement|arrangement|deal)\b", text) and re.search(
            r"\b(?:acquire|acquisition|merger|merge|takeover|sell|sale)\b", ctx.r[m.start():]) \
            and not re.search(r"\b(?:partnership|cooperation|collaboration|alliance)\b", text):
        return
    if _gd(m, "two"):
        pair = _two_companies(ctx)
        if pair is None:
            return
        c = Candidate(rel, pair[0], ctx.i, name + "-two", obj=pair[1])
    else:
        if _gd(m, "gap") and any(
                x.group("t") in ("ORG", "UNK") and ctx.mention(x.group("i")).kind in ("name", "alias")
                and ctx.cl(x.group("i")) != ctx.cl(m.group("a"))
                for x in PLACEHOLDER.finditer(m.group("gap"))):
            return  # "A said B will deepen its cooperation with C": B's cooperation
        c = ctx.cand(rel, m.group("a"), name, m.group("b"))
    if c is None:
        return
    if re.match(r"\s*Under the (?:memorandum|agreement|MoU|MOU|contract|framework agreement)\b",
                ctx.r):
        c.qualifiers["status"] = "agreed"  # "Under the memorandum, A and B will jointly ..."
    elif re.search(r"\bwill\s+(?:also\s+)?(?:work|cooperate|collaborate|partner|team|join)", text) or \
            re.search(r"\btogether\s+with\b[^.;]*\bwill\b", text):
        c.qualifiers["status"] = "planned"
    elif re.search(r"\b(?:announced|signed|sign|signs|agreed|forming|form|forge|forged|formed|"
                   r"establishment|deal|entered|inked|struck|launched|teamed|joined|partnered)\b", text):
        c.qualifiers["status"] = "agreed"
    yield c


def _two_companies(ctx: Ctx) -> tuple[int, int] | None:
    """"The two companies": the two organisations the release names most often."""
    counts = []
    for c in ctx.a.clusters:
        if c.type not in ("ORG", "UNK") or looks_like_person(c, ctx.a.clusters):
            continue
        named = [x for x in c.mentions if x.kind in ("name", "alias", "descriptor", "pronoun")
                 and x.sent <= ctx.i]
        if named:
            counts.append((len(named), -min(x.start for x in named), c.id))
    counts.sort(reverse=True)
    if len(counts) < 2 or counts[1][0] < 2:
        return None
    return counts[0][2], counts[1][2]


@rule("joint-venture", "X-jv",
      r"{ORG:j}\.?\s*(?:,\s*|\s+(?:is|was|will be|is to be|becomes|became)\s+)(?:a|an|the)\s+"
      r"(?:[\w/:\-]+\s+){0,3}?joint venture(?:\s+company)?\s+"
      r"(?:between|of|by|formed by)\s+{ORG:a}{PAR}\s+and\s+(?:[\w’'\-]+\s+|⟦LOC:\d+⟧(?:’s|'s)\s+)"
      r"{0,3}?{ORG:b}",
      r"{ORG:a}\s+and\s+{ORG:b}\s+(?:will|have|had|has|plan to|agreed to|)\s*(?:also\s+)?"
      r"(?:form|formed|set up|establish|established|create|created|launch|launched)\s+"
      r"(?:a|an|the)?\s*(?:new\s+)?(?:[\w/:\-]+\s+){0,2}?joint venture(?:\s+company)?\s*,?\s*"
      r"(?:(?:to be\s+)?(?:called|named)\s+)?{ORG:j}",
      # "J, jointly established by A and B", "J, a joint venture of A (51%) and B (49%)"
      r"{ORG:j}\s*,\s*(?:a\s+company\s+)?jointly\s+(?:established|formed|set up|founded|owned|created)\s+by\s+"
      r"{ORG:a}{PAR}\s+and\s+{ORG:b}",
      r"{ORG:j}\s*,\s*(?:a|an|the)\s+(?:[\w/\-]+\s+){0,3}?joint venture(?:\s+company)?\s+"
      r"between\s+the two companies",
      r"{ORG:a}{PAR}\s+and\s+{ORG:b}{PAR}\s+(?:today\s+|have\s+|had\s+)?(?:signed|approved)\s+"
      r"(?:the\s+)?(?:articles of association|joint venture (?:contract|agreement))\s+(?:of|for)\s+"
      r"{ORG:j}\s*,\s*(?:a|an|the)\s+(?:[\w/\-]+\s+){0,3}?joint venture",
      # "A and B have formed J, a joint venture company"
      r"{ORG:a}{PAR}\s+and\s+{ORG:b}{PAR}\s+(?:have\s+|has\s+|had\s+|will\s+|today\s+|jointly\s+)?"
      r"(?:formed|form|set up|established|establish|created|create|launched|launch|founded|found|"
      r"incorporated|registered)\s+{ORG:j}\s*,\s*(?:a|an|their|the)\s+(?:[\w/:\-]+\s+){0,3}?"
      r"(?:joint venture|JV)\b",
      r"(?:formation|establishment|creation) of\s+{ORG:j}\s*,\s*(?:a|an)\s+"
      r"(?P<split>\d+/\d+)\s+{ORG:a}-led\s+joint venture",
      )
def joint_venture(ctx: Ctx, m: re.Match, name: str, rel: str):
    text = m.group(0)
    partners = [p for p in (_gd(m, "a"), _gd(m, "b")) if p is not None]
    if "the two companies" in text:
        seen: list[int] = []
        for s in range(ctx.i, max(-1, ctx.i - 3), -1):
            r = ctx.a.rendered[s]
            cut = m.start() if s == ctx.i else len(r)
            for pm in reversed(list(PLACEHOLDER.finditer(r[:cut]))):
                c = ctx.cl(pm.group("i"))
                if pm.group("t") in ("ORG", "UNK") and c is not None and c not in seen \
                        and c != ctx.cl(m.group("j")):
                    seen.append(c)
            if len(seen) >= 2:
                break
        partners = seen[:2]
        out = []
        for p in partners:
            cand = Candidate(rel, ctx.cl(m.group("j")), ctx.i, name, obj=p)
            out.append(cand)
        yield from out
        return
    split = _gd(m, "split")
    shares = split.split("/") if split else []
    if split:
        others = [pm.group("i") for pm in PLACEHOLDER.finditer(ctx.r)
                  if pm.group("t") in ("ORG", "UNK") and ctx.cl(pm.group("i")) not in
                  (ctx.cl(m.group("j")), ctx.cl(m.group("a")))]
        if others:
            partners.append(others[0])
    for k, p in enumerate(partners):
        c = ctx.cand(rel, m.group("j"), name, p)
        if c is None:
            continue
        if k < len(shares):
            c.qualifiers["percent"] = shares[k]
        for own in re.finditer(r"⟦(?:ORG|UNK):(\d+)⟧\s+(?:will\s+)?(?:own|owns|hold|holds)\s+"
                               r"(?:a\s+)?⟦PCT:(\d+)⟧", ctx.r[m.end():]):
            if ctx.cl(own.group(1)) == c.obj:
                c.qualifiers["percent"] = _percent(ctx, own.group(2))
        yield c
    if name == "joint-venture" and re.search(r"\b(?:will|form\w*|set up|establish\w*|creat\w*|"
                                             r"launch\w*|articles of association)\b", text) \
            and len(partners) == 2 and _gd(m, "b"):
        if re.match(r"⟦(?:ORG|UNK):\d+⟧(?:\s*\([^()]*\))?\s+and", text):
            c = ctx.cand("X-cooperates", partners[0], "joint-venture-partners", partners[1])
            if c:
                c.qualifiers["status"] = "agreed"
                yield c


def is_jv(ctx: Ctx, idx: str) -> bool:
    """Whether a mention's cluster is a joint venture (named as one, or "the joint venture")."""
    cid = ctx.cl(idx)
    return cid is not None and any(
        "jv" in mm.cues or re.search(rf"\b{JOINT_VENTURE}\b|\bJV\b", mm.text)
        for mm in ctx.a.clusters[cid].mentions)


_HOLD = r"(?:will\s+)?(?:holds?|owns?|has|have|controls?)"


@rule("jv-stake", "X-jv",
      rf"{{ORG:j}}\s*,\s*in which\s+{{ORG:a}}\s+{_HOLD}\s+(?:an?\s+)?{{PCT:pa}}(?:\s+{STAKE})?"
      rf"\s*,?\s+(?:and|while)\s+{{ORG:b}}\s+(?:{_HOLD}\s+)?(?:the\s+remaining\s+|an?\s+)?{{PCT:pb}}",
      r"{ORG:j}\s*,?\s*(?:which\s+)?(?:is\s+|will be\s+)?(?:jointly\s+)?owned\s+{PCT:pa}\s+by\s+"
      r"{ORG:a}\s*,?\s+and\s+{PCT:pb}\s+by\s+{ORG:b}",
      rf"{{ORG:a}}\s+{_HOLD}\s+(?:an?\s+)?{{PCT:pa}}(?:\s+{STAKE})?\s+(?:of|in)\s+(?:the\s+)?{{ORG:j}}"
      rf"(?:\s*,?\s+(?:and|while)\s+{{ORG:b}}\s+(?:{_HOLD}\s+)?(?:the\s+remaining\s+|an?\s+)?"
      rf"{{PCT:pb}})?",
      rf"{{ORG:a}}\s+{_HOLD}\s+(?:an?\s+)?{{PCT:pa}}(?:\s+{STAKE})?\s+(?:of|in)\s+the\s+(?:new\s+)?"
      rf"(?:joint venture|JV|venture)(?:\s+company)?\s*,\s*(?:(?:to be\s+)?(?:named|called)\s+)?{{ORG:j}}"
      rf"(?:\s*,?\s+(?:and|while|with)\s+{{ORG:b}}\s+(?:{_HOLD}\s+|holding\s+)?(?:the\s+remaining\s+|"
      rf"the\s+other\s+|an?\s+)?{{PCT:pb}})?",
      )
def jv_stake(ctx: Ctx, m: re.Match, name: str, rel: str):
    """Partners' shares of a joint venture: one X-jv fact per partner, with its percent."""
    if q.negated(m.group(0)):
        return
    two = _gd(m, "b") is not None
    if not is_jv(ctx, m.group("j")) and not (two and "in which" in m.group(0)
                                             or two and "owned" in m.group(0)) \
            and not re.search(r"\b(?:joint venture|JV|venture)(?:\s+company)?\s*,\s*(?:(?:to be\s+)?"
                              r"(?:named|called)\s+)?⟦", m.group(0)):
        return
    for part, pct in (("a", "pa"), ("b", "pb")):
        if _gd(m, part) is None:
            continue
        c = ctx.cand(rel, m.group("j"), name, m.group(part))
        if c is None or ctx.a.clusters[c.obj].type not in ("ORG", "UNK"):
            continue
        p = _percent(ctx, _gd(m, pct))
        if p:
            c.qualifiers["percent"] = p
        yield c


# supply ------------------------------------------------------------------------------------


@rule("supplies", "X-supplies",
      r"{ORG:s}(?:\s*\((?:[^()⟦⟧]|⟦(?:EXCHANGE|UNK|LOC):\d+⟧){0,60}\))?(?:\s*,\s*(?:a|an|the)\s+[^⟦⟧,]{0,80}?,)?"
      r"\s+(?:[^⟦⟧]|⟦MONEY:\d+⟧){0,80}?\b(?:deal|agreement|contract)\s+to\s+(?:supply|deliver|provide)\s+"
      r"(?P<prod>[^⟦⟧]{2,60}?)\s+to\s+{ORG:o}",
      r"{ORG:o}\s+(?:will\s+be|is\s+to\s+be|is|are|has\s+been|was|were)\s+(?:being\s+)?supplied\s+"
      r"with\s+(?P<prod>[^⟦⟧]{2,60}?)\s+by\s+(?:the\s+)?{ORG:s}",
      r"{ORG:s}\s+(?:will\s+|has agreed to\s+|agreed to\s+)?(?:(?:began|begins|started|starts|has been|have been|"
      r"had been|will begin|will start|continues|will continue|is|are)\s+)?(?:supply|supplies|supplied|supplying)\s+"
      r"(?P<prod>[^⟦⟧]{2,60}?)\s+(?:back\s+)?to\s+{ORG:o}",
      r"{ORG:s}\s+(?:is|as|will be|becomes|became|(?:has been|was|have been) (?:selected|chosen|"
      r"named|appointed) as)\s+(?:a|the)\s+(?:[\w\-]+\s+){0,2}supplier\s+"
      r"(?:of\s+(?P<prod>[^⟦⟧]{2,40}?)\s+)?(?:to|for)\s+{ORG:o}",
      r"{ORG:s}{PAR}(?:\s*,\s*(?:a|an|the)\s+[^⟦⟧,]{0,60}?(?:⟦(?:ORG|UNK):\d+⟧)?\s*,)?\s+{G30}\b"
      r"(?:signed|signs|entered into|enters into|concluded|won|secured|inked|announced|announces|reached|"
      r"struck)\s+(?:a|an)\s+"
      r"(?:[\w\-]+\s+){0,3}?(?:supply|delivery|offtake)\s+(?:agreement|contract|deal)\s+with\s+"
      r"{ORG:o}",
      r"{ORG:s}\s+(?:will\s+|has agreed to\s+|agreed to\s+)?(?:supply|supplies|supplied)\s+"
      r"{ORG:o}\s+with\s+(?P<prod>[^⟦⟧]{2,60}?)(?=[.;,]|$|\s+(?:from|for|at|in|under)\b)",
      r"{ORG:s}{PAR}\s*,?\s*(?:is|was|has been|has long been|remains)\s+(?:a|an|the)\s+"
      r"(?:[\w\-]+\s+){0,2}supplier\s+of\s+{ORG:o}",
      # "A has won an order from B to supply robots", "A received a contract from B"
      r"{ORG:s}{PAR}\s+(?:has\s+|have\s+|had\s+)?(?:won|wins|secured|secures|received|receives|bagged|"
      r"bags|landed|clinched|booked|obtained)\s+(?:an?\s+|the\s+)?(?:[\w\-]+\s+){0,3}?(?:order|contract)"
      r"\s+from\s+{ORG:o}(?:\s+(?:to|for)\s+(?:the\s+)?(?:supply|deliver|provide)(?:\s+of)?\s+"
      r"(?P<prod>[^⟦⟧]{2,60}?)(?=[.;,]|$|\s+(?:to|for|from|by|at|in|over)\b))?",
      # "A has been selected by B as the supplier of lens modules"
      r"{ORG:s}{PAR}\s+(?:has been|was|have been|is|will be)\s+(?:selected|chosen|named|appointed|"
      r"nominated|awarded)\s+by\s+{ORG:o}\s+as\s+(?:a|an|the|its|their)\s+(?:[\w\-]+\s+){0,2}?"
      r"(?:supplier|vendor|provider)(?:\s+(?:of|for)\s+(?P<prod>[^⟦⟧]{2,40}?)(?=[.;,]|$|\s+(?:to|for|from|by|"
      r"at|in)\b))?",
      # "B has chosen A to supply anode materials", "B will source cells from A"
      r"{ORG:o}{PAR}\s+(?:has\s+|have\s+|had\s+)?(?:chosen|selected|picked|tapped|appointed|named)\s+{ORG:s}{PAR}\s+"
      r"(?:as\s+(?:its|a|the|their)\s+(?:[\w\-]+\s+){0,2}?(?:supplier|vendor)(?:\s+(?:of|for)\s+"
      r"(?P<prod2>[^⟦⟧]{2,40}?)(?=[.;,]|$|\s+(?:to|for|from|by|at|in)\b))?|to\s+(?:supply|deliver|provide)\s+"
      r"(?P<prod>[^⟦⟧]{2,60}?)(?=[.;,]|$|\s+(?:to|for|from|by|at|in|under)\b))",
      r"{ORG:o}\s+(?:will\s+|to\s+|has agreed to\s+|agreed to\s+|plans to\s+|is to\s+)?(?:source|sources|sourced|"
      r"procure|procures|procured)\s+(?P<prod>[^⟦⟧]{2,60}?)\s+from\s+{ORG:s}",
      # "A signed a contract worth KRW 1 trillion with B to supply ...", "A bagged an order
      # worth Rs 200 crore from B"
      r"{ORG:s}{PAR}\s+{G30}\b(?:won|wins|secured|secures|received|receives|bagged|bags|landed|clinched|booked|"
      r"obtained)\s+(?:an?\s+)?(?:[\w\-]+\s+){0,3}?orders?\s+(?:worth|valued at|of)\s+{BW}⟦MONEY:\d+⟧\s+"
      r"from\s+{ORG:o}",
      r"{ORG:s}{PAR}\s+{G30}\b(?:signed|signs|won|secured|inked|concluded|entered into|bagged)\s+(?:an?\s+)?"
      r"(?:[\w\-]+\s+){0,3}?(?:contract|agreement|deal)\s+(?:worth|valued at|of)\s+{BW}⟦MONEY:\d+⟧\s+with\s+"
      r"{ORG:o}\s+(?:to|for\s+the)\s+(?:supply|deliver|provide)(?:\s+of)?\s+(?P<prod>[^⟦⟧]{2,60}?)"
      r"(?=[.;,]|$|\s+(?:to|for|from|by|at|in|over)\b)",
      # "A will provide B with cells", "A will deliver 50,000 tonnes of anode to B"
      r"{ORG:s}\s+(?:will\s+|to\s+|has agreed to\s+|agreed to\s+|is to\s+)?(?:provide|provides|provided|"
      r"deliver|delivers|delivered)\s+{ORG:o}\s+with\s+(?P<prod>[^⟦⟧]{2,60}?)(?=[.;,]|$|\s+(?:from|for|at|in|"
      r"under)\b)",
      r"{ORG:s}\s+(?:will\s+|to\s+|has agreed to\s+|agreed to\s+|is to\s+)?(?:deliver|delivers|delivered)"
      r"\s+(?P<prod>[^⟦⟧]{2,60}?)(?:\s+from\s+(?:[^⟦⟧]|⟦(?:ORG|UNK|FAC|LOC):\d+⟧){0,60}?)?\s+(?:back\s+)?to\s+"
      r"{ORG:o}",
      )
def supplies(ctx: Ctx, m: re.Match, name: str, rel: str):
    if q.negated(m.group(0)) or re.search(r"\b(?:could|might|may|look to)\b", m.group(0)):
        return
    c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c is None:
        return
    prod = _gd(m, "prod") or _gd(m, "prod2")
    if prod and re.match(r"(?:\w+\s+){0,2}?(?:support|assistance|access|guidance|funding|financing|advice|"
                         r"opportunit|information|training|updates?|insights?|services?)\b", prod) \
            and re.search(r"\b(?:provide|provides|provided)\b", m.group(0)):
        return  # "provide B with support": no goods supplied
    if not prod:  # "... a supply agreement with X to deliver P", "Under the agreement, A will deliver P"
        rest = ctx.r[m.end():]
        if ctx.i + 1 < len(ctx.a.rendered) and re.match(r"\s*Under the (?:agreement|contract|deal)\b",
                                                      ctx.a.rendered[ctx.i + 1]):
            rest += " " + ctx.a.rendered[ctx.i + 1]
        pm = re.search(r"\b(?:to|will)\s+(?:supply|deliver|provide)\s+(?:it\s+with\s+)?"
                       r"(?P<prod>[^⟦⟧]{2,60}?)(?=[.;,]|$|\s+(?:to|for|from|by)\b)", rest)
        prod = pm.group("prod") if pm else None
    if prod:
        items = noun_items(prod)
        if items:
            c.qualifiers["product"] = items[0]
    if re.search(r"\b(?:deal|agreement|contract|agreed)\b", m.group(0)):
        c.qualifiers["status"] = "agreed"
    yield c


# sites: operator, location, products ---------------------------------------------------

BUILD = (r"(?:build|builds|building|built|establish|establishes|established|establishing|"
         r"set up|sets up|setting up|construct|constructs|constructing|open|opens|opened|"
         r"opening|operate|operates|operating|run|runs|develop|complete|completing|launch|"
         r"launched|break ground on|broke ground on|invest in|expand|expanding|commission|commissions|"
         r"commissioned|commissioning|inaugurate|inaugurates|inaugurated|inaugurating|"
         r"(?:began|begins|begin|started|starts|start|commenced|commences|commence)\s+(?:the\s+)?"
         r"(?:construction|production|operations|mass production|work)\s+(?:of|at|on))")


@rule("operates", "X-operates",
      rf"{{ORG:s}}\s+(?P<mid>(?:[^⟦⟧]|⟦(?:MONEY|PCT):\d+⟧){{0,80}}?)(?:with\s+{{ORG:s2}}\s+)?(?:[^⟦⟧]{{0,20}}?)"
      rf"\b{BUILD}\s+(?:what will be\s+)?(?:a|an|the|its|their|his|two|three|four|new)?\s*"
      rf"(?:new\s+|planned\s+|future\s+)?(?:first\s+|second\s+)?"
      rf"(?:⟦ORG:\d+⟧\s*)?{{FAC:o}}",
      r"{ORG:s}\s+(?:also\s+)?(?:has|have|had|operates|owns|runs)\s+(?:a|an|its|the)\s+{FAC:o}",
      r"{FAC:o}\s+(?:project\s+)?of\s+{ORG:s}",
      # "the Nagpur plant, which Tata Forge commissioned in 2022"
      rf"{{FAC:o}}\s*,\s*which\s+{{ORG:s}}\s+(?:has\s+|had\s+|will\s+|is\s+|recently\s+)*{BUILD}\b",
      rf"{{ORG:s}}\s*,\s*(?:which|a|an|the)\s+[^⟦⟧]{{0,160}}?,\s+(?:will|plans to|is to|has|"
      rf"is planning to|aims to)\s+{BUILD}\s+(?:{{ITS}}|a|an|the)?\s*{{FAC:o}}",
      rf"^\s*{{ORG:s}}\s+{{XGAP}}\bwith\s+{{ORG:s2}}\s+to\s+{BUILD}\s+(?:a|an|the)?\s*{{FAC:o}}",
      r"{ORG:s}(?:’s|'s)\s+(?:global\s+|main\s+|principal\s+|first\s+|new\s+)*(?:[\w\-]+\s+)?"
      r"{FAC:o}",
      r"{FAC:o}\s*,?\s+(?:(?:which|that)\s+)?(?:(?:will be|is being|was|has been|is|are)\s+)?(?:(?:wholly|jointly|"
      r"fully)\s+)?(?:built|established|operated|constructed|opened|developed|run|owned|commissioned)\s+"
      r"by\s+{ORG:s}",
      r"{ORG:s}\s*,\s*the\s+joint venture\s+[^⟦⟧]{0,40}?,\s+will\s+[^⟦⟧]{0,30}?\s+"
      r"(?:complete|build|open)\s+the\s+{FAC:o}",
      r"{ORG:s}(?:’s|'s)\s+principal\s+focus\s+is\s+{ITS}\s+{FAC:o}",
      r"(?:^|(?<![,;])\s){ORG:s}\s+(?:new\s+|first\s+|main\s+|largest\s+|flagship\s+|existing\s+|"
      r"second\s+|third\s+)?{FAC:o}",
      )
def operates(ctx: Ctx, m: re.Match, name: str, rel: str):
    text = m.group(0)
    if q.negated(text) or re.search(r"\b(?:could|might|may|exploring)\b", text):
        return
    fac = ctx.mention(m.group("o"))
    if fac.type != "FAC" or "count" in fac.cues:
        return
    if re.match(r"\s*⟦(?:ORG|UNK):\d+⟧\s+(?:(?:new|first|main|largest|flagship|existing|second|"
                r"third)\s+)?⟦FAC", text) and \
            ctx.mention(m.group("s")).text.lower() not in ("its", "their"):
        return
    if name == "operates" and "visit" in ctx.r.lower() and "’s" in text:
        return
    subjects = [m.group("s")] + ([m.group("s2")] if _gd(m, "s2") else [])
    pair = re.search(r"⟦(?:ORG|UNK):(\d+)⟧\s+and\s+$", ctx.r[: ctx.r.rfind("⟦", 0, m.start("s"))])
    if pair and re.search(r"\b(?:jointly|together|joint venture|JV)\b", text):
        subjects.append(pair.group(1))  # "A and B ... form a joint venture that will build"
    for s in subjects:
        c = ctx.cand(rel, s, name, m.group("o"))
        if c is None:
            continue
        if ctx.a.clusters[c.subj].type not in ("ORG", "UNK"):
            continue
        if q.future(ctx.r[max(0, m.start() - 40):m.end()]) and not re.search(
                r"\b(?:opened|has opened|operates|runs)\b", text):
            c.qualifiers["status"] = "planned"
        yield c


@rule("operates-passive", "X-operates",
      r"^\s*(?:[A-Z][a-z]+,?\s+)?(?:(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir)\s+)?(?:new\s+)?{FAC:o}(?P<rest>[^⟦⟧]{0,20}?"
      r"(?:,?\s*(?:as well as|and)\s+(?:a|an|the)\s+(?:new\s+)?⟦FAC:\d+⟧)?[^⟦⟧]{0,80}?)\b"
      r"(?:will|is to|are to|would|shall)\s+be\s+(?:[\w\-]+\s+)?(?:built|established|constructed|"
      r"set up|erected|developed)\b(?!\s+by\b)",
      )
def operates_passive(ctx: Ctx, m: re.Match, name: str, rel: str):
    """ "A cell factory will be built in X": with no builder named in the sentence, the
    site is the release's own company's project (status planned)."""
    if q.negated(m.group(0)) or q.speculative(ctx.r) or encyclopaedic(ctx.a):
        return
    own = ctx.salient_org()
    if own is None or any(x.group("t") in ("ORG", "UNK", "PER") and ctx.cl(x.group("i")) != own
                          for x in PLACEHOLDER.finditer(ctx.r)):
        return  # another organisation (or a person) is named: leave it to the other rules
    sites = [m.group("o")] + [x.group("i") for x in PLACEHOLDER.finditer(m.group("rest"))
                              if x.group("t") == "FAC"]
    for site in sites:
        if "count" in ctx.mention(site).cues:
            continue
        fac = ctx.cl(site)
        if fac is not None and fac != own:
            yield Candidate(rel, own, ctx.i, name, obj=fac, qualifiers={"status": "planned"})


@rule("site-at-campus", "P276",
      r"{FAC:s}\s+at\s+(?:the\s+)?⟦(?:FAC|LOC):(?P<c>\d+)⟧\s+in\s+{LOCU:o}",
      )
def site_at_campus(ctx: Ctx, m: re.Match, name: str, rel: str):
    if "count" in ctx.mention(m.group("s")).cues:
        return
    for o in ("c", "o"):
        c = ctx.cand(rel, m.group("s"), name, m.group(o))
        if c:
            yield c
    c = ctx.cand("P131", m.group("c"), name, m.group("o"))
    if c:
        yield c


@rule("site-location", "P276",
      r"{FAC:s}\s+(?:(?:is|was|will be|are|has been)\s+)?(?:(?:located|built|established|set up|"
      r"implemented|based|sited|situated|planned)\s+)?(?:in|at|near)\s+(?:the\s+)?"
      r"(?:[\w\-]+\s+){0,4}?{LOCU:o}",
      r"{FAC:s}\s+(?:[^⟦⟧]{0,60}?)\bwill be\s+(?:[\w\-]+\s+)?(?:built|established|located|"
      r"implemented|set up)\s+(?:on\s+[^⟦⟧]{0,40}?)?(?:in|at|near)\s+(?:[\w\-]+\s+){0,4}?"
      r"{LOCU:o}",
      r"{FAC:s}\s+(?:[^⟦⟧]{0,30}?)\b(?:at|in)\s+(?:two|three|several)\s+{LOCU:o}\s+locations",
      # "the Qinzhou base, located in Guangxi,", "Located in Kumamoto Prefecture, the factory"
      r"{FAC:s}\s*,\s*(?:which\s+is\s+|which\s+will\s+be\s+)?(?:located|situated|sited|based)\s+(?:in|at|near)\s+"
      r"(?:the\s+)?(?:[\w\-]+\s+){0,3}?{LOCU:o}",
      r"{FAC:s}\s*,\s*(?:in|near)\s+(?:the\s+)?{LOC:o}(?:\s*,\s*⟦LOC:\d+⟧)?\s*,",
      r"^\s*(?:[Ll]ocated|[Ss]ituated|[Bb]ased)\s+(?:in|at|near)\s+(?:the\s+)?{LOCU:o}\s*,\s*(?:the\s+)?(?:new\s+)?"
      r"{FAC:s}",
      r"{FAC:s}\s*,\s*as well as\s+(?:a|an)\s+{FAC:s2}[^⟦⟧]{0,80}?will be\s+(?:built|"
      r"established|located|set up)\s+(?:in|at)\s+(?:two|three|several)?\s*{LOCU:o}",
      )
def site_location(ctx: Ctx, m: re.Match, name: str, rel: str):
    if "count" in ctx.mention(m.group("s")).cues:
        return
    site = ctx.cl(m.group("s"))
    if site is not None and re.fullmatch(r"(?i)(?:new\s+)?(?:site|plant|factory|facility|base|project|"
                                         r"location|area|land|plot)s?", ctx.a.clusters[site].canonical):
        return  # "on a 100-hectare site near Leipzig": the plot, not a named site
    o = ctx.mention(m.group("o"))
    after = ctx.r[m.end("o") + 1:]  # the text after the place's placeholder
    if o.text.lower() in gz.demonyms() or o.type != "LOC" and re.match(
            r"\s+(?:locations|sites|facilities|plants)\b", after):
        return  # "at two Bavarian locations": an adjective, not the place
    for s in ("s", "s2"):
        if not _gd(m, s):
            continue
        c = ctx.cand(rel, m.group(s), name, m.group("o"))
        if c and ctx.a.clusters[c.obj].type in ("LOC", "UNK") and \
                ctx.a.clusters[c.subj].type == "FAC":
            yield c
        if _gd(m, "o2"):
            c2 = ctx.cand(rel, m.group(s), name, m.group("o2"))
            if c2:
                yield c2


@rule("site-products", "P1056",
      r"{FAC:s}(?:\s*,\s*(?:which\s+is\s+)?(?:located|situated|based|sited)\s+(?:in|at|near)\s+{LG50},)?\s+{LGAP}"
      r"\b(?:to|will|would|shall|which will|that will)\s+"
      r"(?:also\s+)?(?:produce|manufacture|make|build|assemble|supply|refine)\s+"
      r"(?P<np>[^.;]{3,120})",
      r"{FAC:s}\s+(?:produces|manufactures|makes|assembles)\s+(?P<np>[^⟦⟧]{3,120})",
      # "The Gumi plant is dedicated to the production of cathode materials"
      r"{FAC:s}\s+(?:is|was|will be|are|has been)\s+(?:mainly\s+|primarily\s+)?(?:dedicated to|used for|designed for|"
      r"intended for|reserved for|devoted to)\s+(?:the\s+)?(?:mass\s+)?(?:production|manufacture|manufacturing|making|"
      r"assembly)\s+of\s+(?P<np>[^⟦⟧]{3,120})",
      r"{FAC:s}\s+(?:[^⟦⟧]{0,60}?)\b(?:for|retrofitted for)\s+(?P<np>[\w\-]+(?:\s+and\s+"
      r"[\w\-]+)?)\s+production\b",
      )
def site_products(ctx: Ctx, m: re.Match, name: str, rel: str):
    np = re.split(r",\s+(?:and|while|but)\s+(?:a|an|the|its)\b", m.group("np"))[0]  # next clause
    np = re.sub(r"\s+(?:units?|pieces)\b.*$", "", np)
    np = re.split(r"⟦", np)[0]
    for item in noun_items(np) if not re.match(rf"\s*(?:{BOUND_WORDS}|\d)", np) else []:
        c = ctx.cand(rel, m.group("s"), name, None, obj_text=item, obj_type="PRODUCT")
        if c:
            yield c
    nm = re.match(r"\s*(?:up to\s+)?[\d,]+\s+⟦(?:UNK|ORG|PROD):(\d+)⟧", m.group("np"))
    if nm:
        c = ctx.cand(rel, m.group("s"), name, nm.group(1))
        if c:
            c.obj_type = "PRODUCT"
            yield c


# places ---------------------------------------------------------------------------------


_PLACE_LIST_TAIL = re.compile(r"(?:\s*,\s*(?:the\s+)?⟦LOC:\d+⟧)*\s*,?\s*(?:and|or)\s+"
                              r"(?:the\s+)?⟦LOC:\d+⟧|"
                              # a list ending in a name the gazetteers miss ("... and Frankfurt.")
                              r"(?:\s*,\s*(?:the\s+)?⟦(?:LOC|UNK):\d+⟧)*\s*,?\s*(?:and|or)\s+"
                              r"(?:the\s+)?⟦(?:LOC|UNK):\d+⟧(?=\s*(?:[.;]|$))")


def _region_kind(text: str) -> str | None:
    return gz.place_kind(text) or ("region" if _REGION_WORD.search(text) else None)


_REGION_WORD = re.compile(r"Province|State|Region|Prefecture|County|Oblast|Governorate|Voivodeship")


def _inside(a, b) -> bool:
    """Whether place mention ``a`` may be read as lying in place mention ``b``."""
    kb = _region_kind(b.text)
    if a.type == "UNK" and kb not in ("country", "region"):
        return False
    ka = gz.place_kind(a.text)
    if kb is None or ka == "country" or (ka == "region" and kb == "region" and
                                        not re.search(r"Province", b.text)):
        return kb == "country" and ka != "country"
    return True


@rule("place-in-place", "P131",
      r"{LOCU:a}\s*,\s*(?:the\s+)?{LOC:b}(?!\s*-based)",
      r"{LOCU:a}\s*,\s*(?:the\s+)?{LOC:b}-based",
      r"{LOCU:a}\s+in\s+{LOC:b}\s*,\s*{LOC:c}",
      r"{LOC:b}(?:’s|'s)\s+{LOC:a}",
      r"{LOCU:a}\s+(?:in|of)\s+(?:the\s+)?(?:province|state|region) of\s+{LOC:b}",
      r"(?<=\bin\s)⟦LOC:(?P<a>\d+)⟧\s+of\s+{LOC:b}",
      r"\b(?:the|a)\s+{LOC:b}\s+(?:town|city|village|municipality|district|county|port city|"
      r"community)\s+of\s+{LOCU:a}",
      )
def place_in_place(ctx: Ctx, m: re.Match, name: str, rel: str):
    a, b = ctx.mention(m.group("a")), ctx.mention(m.group("b"))
    pre = ctx.r[max(0, m.start() - 12):m.start()]
    if re.search(r"\b(?:and|or|between)\s*$", pre):
        return
    if _PLACE_LIST_TAIL.match(ctx.r, m.end()):
        return  # "in Europe, Asia and the Americas", "in Korea, Poland or Hungary": a list
    chain = _PLACE_CHAIN.match(ctx.r, m.end())
    end = ctx.mention(chain.group(1)) if chain else None
    if _inside(a, b) or (a.type == "UNK" and end is not None and gz.place_kind(b.text) == "city"
                         and _region_kind(end.text) in ("country", "region")):
        # (a name unknown to the gazetteers before "City, Region" is a place there too)
        c = ctx.cand(rel, m.group("a"), name, m.group("b"))
        if c:
            yield c
    if _gd(m, "c") and _inside(b, ctx.mention(m.group("c"))):
        c2 = ctx.cand(rel, m.group("b"), name, m.group("c"))
        if c2:
            yield c2
    # a chain "Pingguo, Baise, Guangxi Zhuang Autonomous Region": the middle place lies in
    # the last one
    if end is not None and m.group(0).lstrip().startswith("⟦") and b.type == "LOC" and \
            _region_kind(end.text) in ("country", "region") and _inside(b, end):
        c3 = ctx.cand(rel, m.group("b"), name, chain.group(1))
        if c3:
            yield c3


_PLACE_CHAIN = re.compile(r"\s*,\s*⟦LOC:(\d+)⟧(?!\s*,?\s*(?:and|or)\s+(?:the\s+)?⟦LOC)")


# headquarters ----------------------------------------------------------------------------


@rule("headquarters", "P159",
      r"{ORG:s}\s*(?:\((?:[^⟦⟧()]|⟦EXCHANGE:\d+⟧)*\)\s*)?(?:,\s*(?:a|an|the|which|which is)\s+"
      r"(?:[^⟦⟧]|⟦(?:ORG|UNK|LOC):\d+⟧){0,80}?)?"
      r"\s*,?\s*(?:is\s+|are\s+|was\s+)?(?:proudly\s+|also\s+)?(?:headquartered|based)\s+in\s+"
      r"(?:southwest\s+|northeast\s+|northwest\s+|southeast\s+|central\s+|the\s+)?"
      r"(?:⟦LOC:\d+⟧(?:’s|'s)\s+)?(?:(?:[\w\-]+\s+|⟦[A-Z]+:\d+⟧\s+){0,3}?(?:province|state|"
      r"region|city|town|county) of\s+)?{LOCU:o}",
      r"{LOCU:o}(?:\s*,\s*⟦LOC:\d+⟧)?-based\s+(?:[\w\-]+\s+){0,3}?{ORG:s}",
      r"{ORG:s}{PAR}(?:\s*,[^⟦⟧]{0,90}?,|\s+[^⟦⟧.;]{0,60}?\band)?\s+(?:had\s+|has\s+|will\s+|is\s+to\s+|"
      r"plans\s+to\s+|is\s+moving\s+|is\s+relocating\s+)?(?:moved|relocated|transferred|move|relocate|"
      r"transfer|moving|relocating)\s+{ITS}\s+(?:corporate\s+|global\s+)?(?:headquarters|head\s+office|"
      r"registered\s+office|main\s+office)\s+(?:from\s+{LOCU:f}(?:\s*,\s*⟦LOC:\d+⟧)?\s+)?to\s+{LOCU:o}"
      r"(?:\s*,\s*⟦LOC:\d+⟧)?(?:\s+in\s+(?P<since>\d{4})|\s+(?:with effect from|effective|as of|on)\s+"
      r"(?P<sincedate>[^⟦⟧.;,]{3,30}))?",
      # "a mining company founded in 2006 with headquarters in Tromsø"
      r"{ORG:s}{PAR}\s*,?\s+(?:is\s+(?:a|an)\s+)?[^⟦⟧;]{0,80}?\b(?:with|which\s+has)\s+(?:{ITS}\s+)?(?:global\s+|"
      r"corporate\s+|registered\s+)?(?:headquarters|head\s+office|head\s+offices)\s+in\s+{LOCU:o}",
      # "Founded in 2009 and headquartered in Reno, Nevada, X operates ..."
      r"^\s*(?:[A-Z][^⟦⟧]{0,40}?\s+and\s+)?(?:[Hh]eadquartered|[Bb]ased)\s+in\s+{LOCU:o}"
      r"(?:\s*,\s*⟦LOC:\d+⟧)?\s*,\s*(?:the\s+)?{ORG:s}",
      # "X, founded in 1962 by Y and headquartered in Z", "X was founded in 2020 by A and B, ...,
      # and is headquartered in Z"
      r"{ORG:s}{PAR}(?:\s*,\s*|\s+(?:was|is|has been)\s+)(?:founded|established|incorporated|created)\b"
      r"(?:[^⟦⟧.;]|⟦(?:PER|UNK|LOC):\d+⟧){0,120}?\s+and\s+(?:is\s+)?(?:headquartered|based)\s+in\s+"
      r"{LOCU:o}",
      # "X, a Stockholm-based battery recycling company,"
      r"{ORG:s}\s*,\s*(?:a|an)\s+{LOCU:o}(?:\s*,\s*⟦LOC:\d+⟧)?-based\b",
      # "X has its headquarters in Stuttgart", "X (head office: Osaka)", "X is a Pune-based maker"
      r"{ORG:s}{PAR}\s+(?:has|had|maintains|keeps)\s+(?:{ITS}|a|the)\s+(?:global\s+|corporate\s+|registered\s+|"
      r"main\s+)?(?:headquarters|head\s+office|head\s+offices|registered\s+office)\s+(?:located\s+)?in\s+{LOCU:o}",
      r"{ORG:s}\s*\(\s*(?:[^()⟦⟧;]{0,40}(?:⟦[A-Z]+:\d+⟧[^()⟦⟧;]{0,20})?;\s*)?(?:[Hh]eadquarters|[Hh]ead\s+[Oo]ffice|"
      r"HQ|[Hh]eadquartered\s+in|[Bb]ased\s+in|⟦UNK:(?P<ho>\d+)⟧)\s*:?\s*{LOCU:o}",
      r"{ORG:s}{PAR}\s+(?:is|was)\s+(?:a|an)\s+(?:(?:leading|global|major|large|fast-growing|listed|young)\s+)?"
      r"{LOCU:o}(?:\s*,\s*⟦LOC:\d+⟧)?-based\b",
      r"{ORG:s}(?:’s|'s)\s+(?:global\s+|corporate\s+|new\s+)?headquarters\s+(?:is|are|will be)?"
      r"\s*(?:located\s+)?in\s+{LOCU:o}",
      r"{ORG:s}{PAR}\s+(?:is|was)\s+(?:a|an|the)\s+[^⟦⟧]{0,80}?\b(?:headquartered|based)\s+in\s+"
      r"(?:the\s+)?(?:(?:[\w\-]+\s+|⟦[A-Z]+:\d+⟧\s+){0,3}?(?:province|state|region|city|town|county)"
      r"\s+of\s+)?{LOCU:o}",
      r"{ORG:s}{PAR}\s+(?:is|was)\s+(?:a|an|the)\s+[^⟦⟧]{0,60}?\b(?:club|team)\s+from\s+{LOCU:o}",
      r"{ORG:s}\s+[^⟦⟧.;]{0,60}?\band\s+(?:is\s+)?(?:headquartered|based)\s+in\s+{LOCU:o}",
      r"{ORG:s}\s+has\s+been\s+(?:headquartered|based)\s+in\s+{LOCU:o}(?:\s*,\s*⟦LOC:\d+⟧)?"
      r"(?:\s*,)?(?:\s+since\s+(?P<since>\d{4}))?",
      r"{ORG:s}{PAR}\s*,?{LGAP}\b(?:opened|inaugurated|moved into)\s+{ITS}\s+new\s+"
      r"(?:corporate\s+|global\s+)?(?:headquarters|head\s+office)\s+in\s+{LOCU:o}",
      r"\bheadquarters\s+(?:of|for)\s+{ORG:s}\s+(?:is|are)\s+(?:located\s+)?in\s+{LOCU:o}",
      # "according to the Hangzhou, China-based company": the release's own company
      r"\bthe\s+{LOCU:o}(?:\s*,\s*⟦LOC:\d+⟧)?-based\s+(?:[a-z\-]+\s+){0,2}?"
      r"(?:company|group|firm|corporation)\b(?!\s*⟦)",
      )
def headquarters(ctx: Ctx, m: re.Match, name: str, rel: str):
    if _gd(m, "ho") and not re.fullmatch(r"(?i)head\s+office|headquarters|HQ", ctx.mention(m.group("ho")).text):
        return  # "(President: X; Head Office: Osaka)": only the head office names the place
    if _gd(m, "s") is None:
        own = ctx.salient_org()
        if own is not None and ctx.a.clusters[own].type in ("ORG", "UNK") and \
                ctx.cl(m.group("o")) not in (None, own):
            yield Candidate(rel, own, ctx.i, name + "-descriptor", obj=ctx.cl(m.group("o")))
        return
    if q.negated(m.group(0)):
        return
    if m.group(0).startswith("⟦") and re.search(
            r"\b(?:publisher|owner|editor|operator|printer|distributor|producer)\s+(?:of|for)\s+"
            r"(?:the\s+)?$", ctx.r[:m.start()]) \
            and ctx.mention(m.group("s")).kind == "descriptor":
        return  # "the publisher of the magazine, based in Paris": the publisher is based there
    o = ctx.mention(m.group("o"))
    if o.type == "UNK" and re.match(r"\s+(?:barracks|campus|building|buildings|street|road|"
                                    r"avenue|square|estate|complex|tower|hall)\b",
                                    ctx.a.release.text[o.end:]):
        return  # "based in the Schomberg barracks": a site's name, not a town
    c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c is None or ctx.a.clusters[c.obj].type not in ("LOC", "UNK"):
        return
    if ctx.a.clusters[c.subj].type == "PER" or re.search(
            r"\b(?:journalist|writer|author|actor|actress|singer|artist|politician|player)\s+"
            r"based\b", m.group(0)):
        return  # "a journalist based in Rome": a person has no headquarters
    if _gd(m, "since"):
        c.qualifiers["since"] = m.group("since")
    elif _gd(m, "sincedate") and q.resolve_date(m.group("sincedate"), ctx.a.release.date):
        c.qualifiers["since"] = q.resolve_date(m.group("sincedate"), ctx.a.release.date)
    elif name == "headquarters" and re.match(r"\s*Since\s+(?:\w+\s+)?(\d{4})\b", ctx.r) \
            and "has been" in m.group(0):
        c.qualifiers["since"] = re.match(r"\s*Since\s+(?:\w+\s+)?(\d{4})\b", ctx.r).group(1)
    elif re.search(r"\btoday\b[^⟦⟧]{0,30}\b(?:opened|inaugurated|moved into)\b", m.group(0)) \
            and ctx.a.release.date:
        c.qualifiers["since"] = str(ctx.a.release.date.year)  # "today opened its new headquarters"
    yield c


@rule("institution-in", "P159",
      r"{ORG:s}\s+in\s+{LOC:o}(?!\s*-based)",
      )
def institution_in(ctx: Ctx, m: re.Match, name: str, rel: str):
    """"the Patrice Lumumba University in Moscow": an institution named with its city."""
    # schools and academies "in" a town are venues and places, seldom a seat
    if not re.search(r"\b(?:University|College|Institute|Museum|Hospital|"
                     r"Conservatory|Seminary)$", ctx.mention(m.group("s")).text):
        return
    c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c and gz.place_kind(ctx.a.clusters[c.obj].canonical) in ("city", "region"):
        yield c


@rule("publisher-based", "P159",
      # "The publisher of the magazine, based in Paris, is Y, Z."
      r"\b[Tt]he\s+(?:publisher|owner|operator|producer|distributor|parent\s+company)\s+of\s+"
      r"(?:the\s+[a-z]+|⟦[A-Z]+:\d+⟧)\s*,\s*(?:based|headquartered)\s+in\s+{LOCU:o}\s*,\s*"
      r"(?:is|was)\s+(?:the\s+)?{ORGS:s}",
      # "Tartu ... is home to the nation's oldest university, the University of Tartu"
      r"⟦(?:LOC|UNK):(?P<o>\d+)⟧\s+(?:is|has\s+been)\s+(?:also\s+)?home\s+to\s+[^⟦⟧.;]{0,80}?"
      r"\b(?:university|college|institute|museum|company|headquarters|club|team)\s*,\s*(?:the\s+)?"
      r"{ORG:s}",
      # "Wellington-based special effects companies A and B": each is based there
      r"⟦(?:LOC|UNK):(?P<o>\d+)⟧(?:\s*,\s*⟦LOC:\d+⟧)?-based\s+(?:[\w\-]+\s+){0,3}?"
      r"(?:companies|firms|studios|labels|publishers|agencies)\s+(?:such\s+as\s+)?{ORGS:s}",
      )
def publisher_based(ctx: Ctx, m: re.Match, name: str, rel: str):
    if not encyclopaedic(ctx.a) or q.negated(m.group(0)):
        return
    for s_ in ids(m.group("s")):
        c = ctx.cand(rel, s_, name, m.group("o"))
        if c and ctx.a.clusters[c.obj].type == "LOC" and \
                ctx.a.clusters[c.subj].type in ("ORG", "UNK"):
            yield c


# founding -----------------------------------------------------------------------------

FOUNDED = r"(?:founded|established|incorporated|set up|formed|created|launched|started)"


@rule("founded-year", "P571",
      rf"(?:{FOUNDED}|Founded|Established|Incorporated)\s+in\s+(?:[A-Z][a-z]+\s+)?(?:\d{{1,2}},?\s+)?"
      rf"(?P<y>1[6-9]\d\d|20[0-4]\d)\s*(?:by\s+[^⟦⟧,]{{0,40}}?)?,\s+(?:the\s+)?{{ORG:s}}",
      rf"{{ORG:s}}\s*(?:\([^⟦⟧()]*\)\s*)?,?\s*(?:which\s+|that\s+)?(?:was\s+|has been\s+|is\s+)?"
      rf"(?:originally\s+|first\s+)?{FOUNDED}\s+(?:in\s+)?(?:[A-Z][a-z]+\s+)?(?:\d{{1,2}},?\s+)?"
      rf"(?:in\s+)?(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      rf"{{ORG:s}}\s*,\s*(?:a|an|the)\s+{{AGAP}}\b(?:that|which)\s+was\s+{FOUNDED}\s+in\s+"
      rf"(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      r"[Ss]ince\s+(?:its|their|⟦(?:ORG|UNK):\d+⟧)\s+(?:founding|establishment|inception|creation)\s+"
      r"in\s+(?P<y>1[6-9]\d\d|20[0-4]\d),\s+{ORG:s}",
      r"{ORG:s}\s+[^⟦⟧]{0,80}?\bsince\s+(?:its|their|⟦(?:ORG|UNK):\d+⟧)\s+(?:founding|establishment|"
      r"inception|creation|formation)\s+in\s+(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      r"{ORG:s}\s*\(\s*(?:founded|established|est\.|formed)\s+(?:in\s+)?(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      r"(?:^|[.;]\s*)(?:Founded|Established|Incorporated|Formed|Created)\s+in\s+(?P<y>1[6-9]\d\d|20[0-4]\d)"
      r"\b[^.;]{0,160}?,\s+(?:the\s+)?{ORG:s}",
      rf"{{ORG:s}}{{PAR}}(?:\s*,\s*(?:based|headquartered)\s+in\s+(?:[^,;⟦⟧]|⟦LOC:\d+⟧)"
      rf"{{1,60}}?(?:,\s*⟦LOC:\d+⟧)*,)?\s+(?:was|were)\s+(?:originally\s+|first\s+)?{FOUNDED}\s+"
      rf"(?:in|on)\s+(?:\d{{1,2}}\s+)?(?:[A-Z][a-z]+\s+)?(?:\d{{1,2}},?\s+)?(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      rf"{{ORG:s}}{{PAR}}\s+(?:was|were)\s+(?:originally\s+|first\s+)?{FOUNDED}\s+[^.;]{{0,100}}?\b"
      rf"(?:in|on)\s+(?:\d{{1,2}}\s+)?(?:[A-Z][a-z]+\s+)?(?:\d{{1,2}},?\s+)?(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      rf"{{ORG:s}}{{PAR}}\s+(?:is|was|are|were)\s+(?:a|an|the)\s+(?:[^.;⟦⟧]|(?<!by )(?<!of )(?<!and )(?<!between )"
      rf"(?<!for )(?<!with )⟦(?:ORG|UNK|LOC):\d+⟧\s+(?=[a-z]))"
      rf"{{0,100}}?(?:,\s+|\b){FOUNDED}\s+"
      rf"(?:[^.;]{{0,40}}?\s)?(?:in|on)\s+(?:[A-Z][a-z]+\s+)?(?:\d{{1,2}},?\s+)?"
      rf"(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      rf"{{ORG:s}}\s+(?:was\s+|were\s+)?{FOUNDED}\s+(?:[^⟦⟧]{{0,60}}?\s)?on\s+\d{{1,2}}\s+[A-Z][a-z]+\s+"
      rf"(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      rf"{{ORG:s}}\s+(?:was\s+)?{FOUNDED}\s+(?:by\s+[^⟦⟧]{{0,60}}?|⟦LOC:\d+⟧\s*){{0,3}}\s+in\s+"
      rf"(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      # "X, an organization founded in 2016 to ...", "X, a label started in 1990"
      rf"{{ORG:s}}{{PAR}}\s*,\s*(?:a|an)\s+[^⟦⟧,.;]{{0,60}}?\b{FOUNDED}\s+in\s+(?:[A-Z][a-z]+\s+)?"
      rf"(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      # "in 1932 they formed the right-wing political organization X in December 1932"
      r"\b(?:founded|established|formed|created|set up)\s+(?:the\s+|a\s+)?(?:[a-z][\w\-]*\s+){0,4}?"
      r"(?:organi[sz]ation|party|company|firm|group|band|society|association|league|movement|"
      r"club|label|school|institute|foundation|charity)\s+{ORG:s}\s+in\s+(?:[A-Z][a-z]+\s+)?"
      r"(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      # "Since 1773, when the X was founded by ..."
      rf"\b(?:[Ss]ince|[Ii]n)\s+(?P<y>1[6-9]\d\d|20[0-4]\d)\s*,\s*when\s+(?:the\s+)?{{ORG:s}}\s+"
      rf"(?:was|were)\s+{FOUNDED}\b",
      # "The oldest college in the state, founded in 1701, is X"
      rf"\b(?:[Tt]he|[Aa]n?)\s+[^⟦⟧.;,]{{0,60}},\s*{FOUNDED}\s+in\s+(?P<y>1[6-9]\d\d|20[0-4]\d)\s*,\s*"
      rf"(?:is|was)\s+(?:the\s+)?{{ORG:s}}",
      # "... until the creation of the Bundesliga in 1963"
      r"\b(?:creation|founding|establishment|formation|foundation)\s+of\s+(?:the\s+)?"
      r"{ORG:s}\s+in\s+(?:[A-Z][a-z]+\s+)?(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      # "On 17 March 2009, ..., and the X, led by Y, was formed"; "In 2012 she ..., forming X"
      r"^\s*(?:[Ii]n|[Oo]n)\s+(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?(?:\d{1,2},?\s+)?"
      r"(?P<y>1[6-9]\d\d|20[0-4]\d)\s*,\s*[^.;]{0,150}?(?:\b(?:formed|forming|founded|co-founded|"
      r"established|set up)\s+(?:the\s+)?{ORG:s}(?!\s*(?:’s|'s|⟦)|\s+(?:international|de|des|du)\b)|(?:the\s+)?{ORG:s2}(?:\s*,\s*"
      r"(?:led|headed|chaired)\s+by\s+⟦[A-Z]+:\d+⟧\s*,)?\s+(?:was|were)\s+(?:formed|founded|"
      r"established|set up)\b)",
      # a radio or television station "originally hit the airwaves on January 3, 1975"
      r"{ORG:s}\s+(?:originally\s+|first\s+)?(?:hit\s+the\s+airwaves|went\s+on\s+(?:the\s+)?air|"
      r"began\s+broadcasting|signed\s+on)\s+(?:(?:in|on)\s+)?(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?"
      r"(?:\d{1,2},?\s+)?(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      # "X, the French officers' school, was created in 1901": a description between commas
      rf"{{ORG:s}}{{PAR}}\s*,\s*(?:a|an|the)\s+(?:[^⟦⟧,;.]|⟦(?:ORG|UNK|LOC):\d+⟧){{0,80}}?,\s*(?:was|were)\s+"
      rf"(?:originally\s+|first\s+)?{FOUNDED}\s+(?:in|on)\s+(?:\d{{1,2}}\s+)?(?:[A-Z][a-z]+\s+)?"
      rf"(?:\d{{1,2}},?\s+)?(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      # "X was founded in the early 2000s": the decade
      rf"{{ORG:s}}{{PAR}}\s+(?:was|were)\s+(?:originally\s+|first\s+)?{FOUNDED}\s+in\s+the\s+"
      rf"(?:early\s+|mid-?\s*|late\s+)?(?P<y>1[6-9]\d0|20[0-4]0)(?P<decade>s)\b",
      # "X is an independent label based in Town, Region, started by Y in 1990"
      rf"{{ORG:s}}{{PAR}}\s+(?:is|was)\s+(?:a|an)\s+[^⟦⟧.;]{{0,60}}?\bbased\s+in\s+"
      rf"(?:⟦(?:LOC|UNK):\d+⟧(?:\s*,\s*)?){{1,3}}\s*{FOUNDED}\s+(?:by\s+⟦[A-Z]+:\d+⟧\s+)?in\s+"
      rf"(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      )
def founded_year(ctx: Ctx, m: re.Match, name: str, rel: str):
    if q.negated(m.group(0)):
        return
    c = ctx.cand(rel, _gd(m, "s") or m.group("s2"), name,
                 value=m.group("y") + (_gd(m, "decade") or ""))
    if c and ctx.a.clusters[c.subj].type in ("ORG", "UNK"):
        yield c


@rule("founded-by", "P112",
      r"{ORG:s}\s*,?\s*(?:which\s+)?(?:was\s+)?(?:co-)?(?:founded|established|set up|started|"
      r"created|formed)\s+(?:in\s+\d{4}\s+)?(?:in\s+[^⟦⟧]{0,30}?)?by\s+(?:the\s+)?(?:[a-z]+\s+){0,2}"
      r"{AGENTS:o}",
      # "X was established in Lyon in 1975 by Belgian expatriate Ann Roe"
      r"{ORG:s}\s+(?:was\s+)?(?:co-)?(?:founded|established|set up|started|created|formed)\s+"
      r"in\s+⟦LOC:\d+⟧(?:\s*,\s*⟦LOC:\d+⟧)?\s+(?:in\s+(?:[A-Z][a-z]+\s+)?\d{4}\s+)?by\s+"
      r"(?:the\s+)?(?:[A-Z][a-z]+\s+)?(?:[a-z]+\s+){0,2}{PERU:o}",
      # "a foundation created and run by members of the Orsa family"
      r"{ORG:s}{PAR}\s+(?:is|was)\s+(?:a|an)\s+[^⟦⟧.;]{0,60}?\b(?:founded|created|established|started)"
      r"\s+and\s+(?:run|led|managed|owned|funded)\s+by\s+(?:members\s+of\s+)?(?:the\s+)?{PERU:o}"
      r"\s+family",
      r"{ORG:s}\s+(?:is|was|are|were)\s+(?:a|an|the)\s+{LG}\b(?:co-)?(?:founded|started|formed|"
      r"created|established)\s+(?:in\s+(?:[A-Z][a-z]+\s+)?\d{4}\s+)?(?:in\s+⟦LOC:\d+⟧(?:\s*,\s*"
      r"⟦LOC:\d+⟧)*\s+)?by\s+(?:the\s+)?(?:[a-z]+\s+){0,2}{AGENTS:o}",
      r"{PER:o}\s*,\s*(?:the\s+|a\s+)?(?:[\w\-]+\s+(?:and\s+)?){0,3}?(?:co-)?founder\s+(?:of|and\s+"
      r"[\w\s]+?of)\s+{ORG:s}",
      r"{ORG:s}(?:’s|'s)?\s+(?:co-)?founder\s+{PER:o}",
      r"{PER:o}\s*,\s*(?:the\s+)?{ORG:s}\s+(?:co-)?founder",
      r"(?:[Cc]ompany|[Gg]roup)\s+(?:co-)?founder\s+{PER:o}",
      r"{PER:o}\s*,\s*[^⟦⟧]{0,20}?\b(?:CEO|chief executive(?: officer)?|chairman|president)\s+"
      r"and\s+(?:co-)?founder\s+of\s+{ORG:s}",
      )
@rule("founded-by-clause", "P112",
      # "X is an independent label based in A, B, started by Ann Roe in 1990"
      r"{ORG:s}\s+(?:is|was|are|were)\s+(?:a|an|the)\s+{AGAP},\s+(?:co-)?(?:founded|started|formed|"
      r"created|established)\s+(?:in\s+\d{4}\s+)?by\s+(?:the\s+)?(?:[a-z]+\s+){0,2}{PERU:o}",
      )
def founded_by(ctx: Ctx, m: re.Match, name: str, rel: str):
    if re.search(r"\bfounding\s+chairman\b", m.group(0)):
        return
    subj = _gd(m, "s")
    if subj is None:
        subj = ctx.salient_org()
        if subj is None:
            return
        for o in ids(m.group("o")) if "⟦" in m.group("o") else [m.group("o")]:
            oc = ctx.cl(o)
            if oc is not None and oc != subj:
                yield Candidate(rel, subj, ctx.i, name, obj=oc)
        return
    objs = ids(m.group("o")) if "⟦" in m.group("o") else [m.group("o")]
    # "established by Tarn's first bishop, Ann Roe": the founder is the one named after
    poss = re.match(r"(?:’s|'s)\s+(?:[\w\-]+\s+){0,3}?[a-z]+\s*,\s*⟦(?:PER|UNK):(\d+)⟧",
                    ctx.r[m.end():])
    if poss:
        objs = objs[:-1] + [poss.group(1)]
    elif re.match(r"(?:’s|'s)\s", ctx.r[m.end():]):
        objs = objs[:-1]  # "founded by Tarn's council": not a name of the founder
    for o in objs:
        c = ctx.cand(rel, subj, name, o)
        if c and name == "founded-by-clause" and \
                not looks_like_person(ctx.a.clusters[c.obj], ctx.a.clusters):
            continue
        if c:
            yield c


# people -------------------------------------------------------------------------------------


def _title_phrases() -> str:
    return "|".join(re.escape(p) for _, p in gz.titles())


TITLE = rf"(?P<title>(?i:(?:(?:founding|new|former|acting|interim|retired|current|group|global|co-|managing)\s+)?(?:{_title_phrases()})(?:\s+(?:and|&)\s+(?:co-founder|founder|(?:{_title_phrases()})))?))"
GOVERNMENT = re.compile(r"\b(?:State|Council|Ministry|Government|Parliament|Congress|Senate|"
                        r"Navy|Army|Police|Court|Assembly|Administration)\b")


HONORIFIC = r"(?:(?:Prof|Dr|Mr|Ms|Mrs|Professor)\.?\s+)*"


def title_relation(title: str) -> tuple[str, str]:
    """(relation id, normalised title) of a position phrase."""
    t = title.lower().strip()
    t = re.sub(r"^(?:founding|new|acting|interim|current|group|global)\s+", "", t)
    first = re.split(r"\s+(?:and|&)\s+", t)[0]
    for rel, phrase in gz.titles():
        if first == phrase.lower():
            return rel, first
    return "X-position", first


@rule("position", "P169",
      rf"{{ORG:o}}(?:’s|'s|’|')?\s+{TITLE}\s+{{PER:p}}",
      rf"{{ORG:o}}(?:’s|'s|’|')\s+{TITLE}\s*,\s*{{PER:p}}",
      rf"\b(?:led|headed)\s+by\s+{{ORG:o}}\s+{TITLE}\s*,\s*{{PER:p}}",
      rf"{{ORG:o}}\s+{TITLE}\s+⟦PER:\d+⟧\s+and\s+(?:the\s+)?(?P<ptitle>{_title_phrases()})\s+{{PER:p}}",
      rf"{{PER:p}}\s*,\s*(?:the\s+)?(?:{{ORG:o2}}(?:’s|'s)?\s+)?{TITLE}\s+(?:of|at|for)\s+"
      rf"(?:the\s+)?{{ORG:o}}",
      rf"{{PER:p}}\s*,\s*(?:the\s+)?{{ORG:o}}(?:’s|'s)?\s+{TITLE}\b",
      rf"{{ORG:o}}\s+(?:(?:has|have|had|today|also|formally)\s+)*(?:appointed|appoints|named|names|hired|hires|"
      rf"promoted|promotes|elected|elects|nominated|nominates)\s+{HONORIFIC}{{PER:p}}\s*,?\s+(?:as\s+)?"
      rf"(?:(?:its|the|new|(?P<its>⟦(?:ORG|UNK):\d+⟧))\s+)*{TITLE}",
      # "Chief Executive Officer Kim Min-jun of Hanra Materials said", "(President: Kenji Sato)"
      rf"(?:^|(?<=\s)|(?<=[(\[“\"]))(?<![Tt]he\s){TITLE}\s+{HONORIFIC}{{PER:p}}\s+(?:of|at)\s+(?:the\s+)?{{ORG:o}}",
      rf"{{ORG:o}}\s*\(\s*(?:[^()⟦⟧;]{{0,40}}(?:⟦[A-Z]+:\d+⟧[^()⟦⟧;]{{0,20}})?;\s*)?{TITLE}\s*:\s*{HONORIFIC}{{PERU:p}}"
      rf"\s*[;,)]",
      # "said Anil Mehta, Managing Director, Tata Forge Ltd."
      rf"{{PER:p}}\s*,\s*(?:the\s+)?{TITLE}\s*,\s*(?:the\s+)?{{ORG:o}}(?=\s*[.;,)]|\s*$)",
      rf"{{PERU:p}}(?:\s*,\s*(?:previously|formerly|most recently|currently)\s+[^⟦⟧]{{0,60}}?⟦(?:ORG|UNK):\d+⟧"
      rf"[^⟦⟧,]{{0,40}},)?\s+(?:will be|will serve as|will continue as|will become|is|is currently|is now|"
      rf"has been|became|"
      rf"was appointed|was named|has been appointed|has been named|is set to become|"
      rf"takes over as|will take over as|took over as|has taken over as|stepped up as|was promoted to|"
      rf"has been promoted to|was elected|has been elected|was elected as|(?:succeeds|succeeded|will succeed|"
      rf"replaces|replaced|will replace)\s+{HONORIFIC}⟦(?:PER|UNK):\d+⟧\s+as)\s+(?:the\s+|a\s+|an\s+)?(?:new\s+)?"
      rf"{TITLE}"
      rf"(?:\s+(?:of|at)\s+(?:this\s+[\w\s]+|the\s+)?{{ORG:o}})?",
      rf"{{PER:p}}\s+(?:is set to|will)\s+become\s+(?:[\w\-]+\s+){{0,4}}?{{ORG:o}}(?:’s|'s)\s+"
      rf"(?:new\s+)?{TITLE}",
      rf"{{PERU:p}}\s+(?:serves|served)\s+as\s+{{ORG:o}}(?:’s|'s)\s+{TITLE}",
      rf"(?:^|[.;]\s*)(?:[Tt]he\s+)?(?:current\s+)?{TITLE}\s+of\s+(?:the\s+)?{{ORG:o}}\s+(?:is|was)\s+"
      rf"{{PERU:p}}",
      rf"{{PERU:p}}\s+(?:previously\s+)?(?:serves|served)\s+as\s+(?:an?\s+|the\s+)?{TITLE}\s+of\s+"
      rf"(?:the\s+)?{{ORG:o}}"
      rf"(?:\s+between\s+\d{{4}}\s+and\s+\d{{4}})?(?:\s*,\s*and\s+(?P<title2>[\w\s]+?)\s+of\s+"
      rf"(?:the\s+)?{{ORG:o3}})?",
      # "X (1893 - 1956) was an American sociologist, the first president of Y"
      rf"{{PERU:p}}{{PAR}}\s*,?\s*(?:is|was)\s+(?:a|an)\s+[^⟦⟧.;]{{0,100}}?,\s+(?:the\s+)?"
      rf"(?:(?:first|second|third|last|founding|longtime|long-time)\s+)?(?:[a-z\-]+\s+){{0,2}}?"
      rf"{TITLE}\s+of\s+(?:[a-z\-]+\s+){{0,2}}?(?:the\s+)?{{ORG:o}}",
      # "X (born 1947) is a Norwegian civil servant and former CEO of Y"
      rf"{{PERU:p}}{{PAR}}\s*,?\s*(?:is|was)\s+(?:a|an)\s+[^⟦⟧.;,]{{0,80}}?\s+and\s+(?:the\s+)?"
      rf"(?:(?:former|current|first|founding)\s+)?{TITLE}\s+of\s+(?:the\s+)?{{ORG:o}}",
      r"{PER:p}\s+(?:also\s+)?chairs\s+(?:the\s+)?{ORGS:o}",
      r"{PERU:p}\s*,\s*who\s+(?:also\s+)?chairs\s+the\s+(?:supervisory\s+)?board\s+(?:of\s+directors\s+)?of\s+"
      r"(?:the\s+)?{ORG:o}",
      r"{PER:p}\s+(?:is\s+)?(?:also\s+)?(?:a\s+)?member\s+of\s+(?:the\s+)?(?:Board of Trustees|"
      r"[Bb]oard(?: of [Dd]irectors)?|supervisory board|⟦(?:UNK|ORG):(?P<board>\d+)⟧)\s+of\s+"
      r"(?:the\s+)?{ORGS:o}",
      r"{ORG:o}\s+(?:board member|director)\b",
      # "Its chairman is Ann Roe", "Orsa's chief executive, Dr. Ann Roe, said"
      rf"{{ORG:o}}(?:’s|'s)?\s+{TITLE}\s+(?:is|was|remains)\s+{HONORIFIC}{{PERU:p}}",
      rf"{{ORG:o}}(?:’s|'s|’|')?\s+{TITLE}\s*,\s*{HONORIFIC}{{PER:p}}\s*,(?P<appos>)",
      # "Ann Roe will remain managing director of Orsa", "Ann Roe serves as CFO"
      rf"{{PERU:p}}\s+(?:will remain|remains|will stay on as|stays on as|continues as|serves as|"
      rf"will continue to serve as|continues to serve as)\s+(?:the\s+|a\s+|an\s+)?{TITLE}"
      rf"(?:\s+(?:of|at)\s+(?:the\s+)?{{ORG:o}}|(?P<alone>\s*[.;]))",
      # a two-tier board: "Ann Roe, Chairman of the Executive Board of Orsa AG" leads the company
      # (its chief executive); the chair of its Supervisory Board chairs it
      r"{PERU:p}\s*,\s*(?:the\s+)?(?:[Cc]hair(?:man|woman|person)?|[Pp]resident)\s+of\s+the\s+(?:(?P<exb>"
      r"[Ee]xecutive\s+[Bb]oard|[Mm]anagement\s+[Bb]oard|[Bb]oard\s+of\s+[Mm]anagement)|(?P<svb>[Ss]upervisory\s+"
      r"[Bb]oard))\s+(?:of|at)\s+(?:the\s+)?{ORG:o}",
      # "Ann Roe, co-founder and chief executive of Orsa"
      rf"{{PER:p}}\s*,\s*(?P<cofounder>(?:co-)?founder)\s+and\s+{TITLE}\s+(?:of|at)\s+(?:the\s+)?{{ORG:o}}",
      # "Ann Roe, Chief Financial Officer since 2021, has been appointed", "Ann Roe will join the
      # management board as Chief Operating Officer": the release's company
      rf"{{PER:p}}\s*,\s*{TITLE}\s+since\s+\d{{4}}\s*,(?P<alone>)",
      rf"{{PERU:p}}\s+(?:will\s+join|joins|has\s+joined|joined)\s+the\s+(?:management|executive)\s+board\s+as\s+"
      rf"(?:the\s+|its\s+)?(?:new\s+)?{TITLE}(?P<alone>)",
      # "Ann Roe will join the Orsa Board of Directors", "... will join the Orsa board"
      r"{PERU:p}\s*(?:,[^⟦⟧]{0,60}?(?:⟦(?:ORG|UNK):\d+⟧[^⟦⟧,]{0,20})?,\s*)?(?:will\s+join|joins|has\s+joined|"
      r"joined)\s+the\s+(?:{ORG:o}\s+(?:[Bb]oard(?:\s+of\s+[Dd]irectors)?|[Ss]upervisory\s+[Bb]oard)|{ORG:bd})"
      r"(?P<joins>)",
      # "Orsa's board is chaired by Ann Roe", "The Board of Directors, chaired by Ann Roe,"
      rf"{{ORG:o}}(?:’s|'s)?\s+(?:[Bb]oard(?:\s+of\s+[Dd]irectors)?|[Ss]upervisory\s+[Bb]oard)\s+"
      rf"(?:is|was|has been|will be)\s+(?P<chaired>chaired)\s+by\s+{HONORIFIC}{{PERU:p}}",
      rf"{{ORG:o}}\s*,\s*(?:which\s+is\s+)?(?P<chaired>chaired)\s+by\s+{HONORIFIC}{{PERU:p}}",
      )
def position(ctx: Ctx, m: re.Match, name: str, rel: str):
    text = m.group(0)
    org = ctx.mention(ids(m.group("o"))[0]) if _gd(m, "o") else None
    if _gd(m, "its") and org is not None and ctx.cl(ids(m.group("its"))[0]) != org.cluster:
        return  # "A appointed B as C's chief executive": C's officer
    if org is not None and org.type == "UNK" and re.fullmatch(
            r"Representative|Executive|Senior|Deputy|Vice|Chief|Managing|General|Independent|"
            r"Non-Executive|Former|Acting|Interim", org.text):
        return  # "Kenji Sato, Representative Director": part of the title, not a company
    if org is not None and re.match(r"⟦[A-Z]+:\d+⟧['’]\s", text) and not org.text.endswith("s"):
        return  # a closing quote, not "Hanra Materials' chairman"
    # a past position still names the person's employer
    former = bool(re.search(r"\b(?:former|formerly|ex-)\b", text)) and "served as" not in text
    if re.search(r"\b(?:retired|late)\b", text) and "served as" not in text:
        return
    title = _gd(m, "ptitle") or _gd(m, "title")  # "X chair A and chief executive B": B's own
    if _gd(m, "cofounder") and encyclopaedic(ctx.a):
        return  # an article's "founder and executive chairman of" is read by its own rules
    if _gd(m, "exb") or _gd(m, "svb"):
        relation, t = ("P169", "chief executive officer") if _gd(m, "exb") else ("P488", "chairman")
        title = None
    elif _gd(m, "joins") is not None:
        relation, t = "X-position", "board member"
        if _gd(m, "bd"):  # "the Orsa Board of Directors" named as one: the company before "Board"
            bm = re.fullmatch(r"(?:the\s+)?(.+?)\s+(?:Supervisory\s+)?Board(?:\s+of\s+Directors)?",
                              ctx.mention(m.group("bd")).text, re.I)
            owner = bm and next((c.id for c in ctx.a.clusters if c.type in ("ORG", "UNK") and
                                 bm.group(1).lower() in (n.lower() for n in c.names)), None)
            if owner is None:
                return
            c = Candidate(relation, owner, ctx.i, name, obj=ctx.cl(m.group("p")),
                          qualifiers={"title": t, "status": "planned"})
            if c.obj is not None and "will" in text:
                yield c
            return
    elif _gd(m, "chaired"):
        relation, t = "P488", "chairman"
    elif "chairs" in text:
        relation, t = "P488", "chairman"
    elif "member of" in text:
        if _gd(m, "board") and not re.fullmatch(
                r"(?:Board|Supervisory Board)(?: of (?:Trustees|Directors|Governors))?",
                ctx.mention(m.group("board")).text):
            return  # "a member of the Tarn Society of X": no board
        relation, t = "X-position", "board member"
    elif re.fullmatch(r"⟦\w+:\d+⟧\s+(?:board member|director)", text):
        relation, t = "X-position", text.split("⟧")[-1].strip()  # "... and Orsa board member"
    elif title:
        relation, t = title_relation(title)
        if relation == "X-position" and t == "president" and encyclopaedic(ctx.a):
            relation = "P488"  # an article's "president of the society" presides over it
    else:
        return
    orgs = []
    if _gd(m, "o"):
        orgs = ids(m.group("o")) if "⟦" in m.group("o") else [m.group("o")]
        if m.end("o") == m.end() and re.match(r"\s*(?:\(⟦[A-Z]+:\d+⟧\)\s*)?(?:⟦(?:ORG|UNK):|[A-Z])",
                                              ctx.r[m.end():]):
            orgs = orgs[:-1]  # "chairs the Tarn University (TU) Business School board": a modifier
    elif re.match(r"\s*[•*\-–]?\s*⟦(?:ORG|UNK):(\d+)⟧\s*:", ctx.r):
        orgs = [re.match(r"\s*[•*\-–]?\s*⟦(?:ORG|UNK):(\d+)⟧", ctx.r).group(1)]
    elif _gd(m, "alone") is not None:
        yield from _salient_position(ctx, m.group("p"), name, relation, t)
        return
    if _gd(m, "chaired") and orgs and re.fullmatch(
            r"(?:the\s+)?(?:[Bb]oard(?:\s+of\s+[Dd]irectors)?|[Ss]upervisory\s+[Bb]oard)",
            ctx.mention(orgs[0]).text):
        # "The Board of Directors, chaired by Ann Roe": the board of the release's company
        yield from _salient_position(ctx, m.group("p"), name, relation, t)
        return
    if not _gd(m, "p"):
        # "{ORG} board member" inside an appositive: the person is the sentence's person
        pm = [x for x in PLACEHOLDER.finditer(ctx.r[: m.start()]) if x.group("t") == "PER"]
        if not pm or not re.fullmatch(r"\s*,[^.;“”\"]{0,100}", ctx.r[pm[-1].end(): m.start()]):
            return  # "said Ann Roe, retired X President and Y board member": her appositive
        person = pm[-1].group("i")
    else:
        person = m.group("p")
    extra = []
    if title and re.search(r"\s+and\s+", title):  # "president and CEO": both positions
        for part in re.split(r"\s+and\s+", title)[1:]:
            r2, t2 = title_relation(part)
            if r2 != relation and "founder" not in part.lower():
                extra.append((r2, t2))
    two_tier = re.fullmatch(r"(?:the\s+)?(Executive|Management|Supervisory)\s+Board\s+of\s+(?:the\s+)?(.+)",
                            ctx.mention(orgs[0]).text, re.I) if len(orgs) == 1 else None
    if two_tier and relation == "P488":
        # "Chairman of the Management Board of Orsa AG" named as one: Orsa's chief executive
        owner = next((c.id for c in ctx.a.clusters if c.type in ("ORG", "UNK") and
                      two_tier.group(2).lower() in (n.lower() for n in c.names)), None)
        pc = ctx.cl(person)
        if owner is not None and pc is not None:
            yield Candidate("P488" if two_tier.group(1).lower() == "supervisory" else "P169",
                            owner, ctx.i, name, obj=full_person(ctx, pc))
        return
    if len(orgs) == 1 and ctx.cl(orgs[0]) is not None and re.fullmatch(
            r"(?:the\s+)?(?:Supervisory|Management|Executive)?\s*Board(?:\s+of\s+Directors)?",
            ctx.a.clusters[ctx.cl(orgs[0])].canonical, re.I) and not encyclopaedic(ctx.a):
        # "the Supervisory Board ... Its chairman, X": the chair of the company's board
        yield from _salient_position(ctx, person, name, relation, t)
        return
    for o in orgs:
        oc = ctx.cl(o)
        if oc is None or GOVERNMENT.search(ctx.a.clusters[oc].canonical):
            continue
        for r2, t2 in extra:
            c2 = ctx.cand(r2, o, name, person)
            if c2 and ctx.a.clusters[c2.obj].type == "PER":
                if r2 == "X-position":
                    c2.qualifiers["title"] = t2
                yield c2
        c = ctx.cand(relation, o, name, person)
        if c is not None:
            c.obj = full_person(ctx, c.obj)
        if c is None or not looks_like_person(ctx.a.clusters[c.obj], ctx.a.clusters):
            continue
        if former:
            e = ctx.cand("P108", person, name + "-employer-former", o)
            if e:
                yield e
            continue
        if relation == "X-position" or "member" in t:
            c.qualifiers["title"] = t
        if re.search(r"\b(?:will (?:be|serve as|become|take over as|join)|is set to become)\b", text):
            c.qualifiers["status"] = "planned"
        yield c
        if not re.search(r"\b(?:member|former|retired|leader)\b", text) and not (
                _gd(m, "appos") is not None and encyclopaedic(ctx.a)):
            e = ctx.cand("P108", person, name + "-employer", o)
            if e:
                yield e
        if title and re.search(r"founder", title) and relation != "P112":
            c2 = ctx.cand("P112", o, name + "-founder", person)
            if c2:
                yield c2
    if _gd(m, "o3") and _gd(m, "title2"):
        r2, t2 = title_relation(m.group("title2"))
        c = ctx.cand(r2, m.group("o3"), name, person)
        if c:
            yield c


@rule("head-of-unit", "P169",
      r"{PERU:p}\s+(?:will\s+be|will\s+become|is|becomes|became|has\s+been\s+named)\s+(?:the\s+)?"
      r"head\s+of\s+{ORG:o}(?!\s*(?:’s|'s))",
      )
def head_of_unit(ctx: Ctx, m: re.Match, name: str, rel: str):
    """"A will be head of this business": the unit a release's bullet names is led by A."""
    men = ctx.mention(m.group("o"))
    if men.kind != "descriptor" or not re.fullmatch(
            r"(?:this|the)\s+(?:new\s+)?(?:business(?:\s+unit)?|unit|division|segment|group)",
            men.text, re.I):
        return
    c = ctx.cand(rel, m.group("o"), name, m.group("p"))
    if c and looks_like_person(ctx.a.clusters[c.obj], ctx.a.clusters):
        if re.search(r"\bwill\b", m.group(0)):
            c.qualifiers["status"] = "planned"
        yield c


@rule("led-by", "P488",
      # an article's "X is the head of the Y", "X headed the state-owned monopoly Y"
      r"{PERU:p}\s+(?:is|was|has been|became)\s+(?:currently\s+|later\s+)?the\s+head\s+of\s+"
      r"(?:the\s+)?{ORG:o}(?!\s*(?:’s|'s))",
      r"{PERU:p}\s+(?:also\s+|later\s+)?headed\s+(?:the\s+)?(?:[a-z][\w\-]*\s+){0,5}?{ORG:o}"
      r"(?!\s*(?:’s|'s))",
      # "She was deputy leader of the Orsa Party under Ann Roe": Ann Roe led it
      r"\b(?:deputy|vice)[\s\-](?:leader|chairman|chairwoman|chair|president)\s+of\s+(?:the\s+)?"
      r"{ORG:o}\s+under\s+{PERU:p}",
      r"{ORG:o}\s*(?:\([^()]*\)\s*)?,\s*(?:then\s+|later\s+)?led\s+by\s+(?:[a-z]+\s+){0,2}{PERU:p}",
      r"{ORG:o}\s+(?:is|was|has been)\s+(?:currently\s+)?led\s+by\s+(?:[a-z]+\s+){0,2}{PERU:p}",
      # "Orsa Party leader Ann Roe"; "Ann Roe was a leader of Orsa Party"
      r"{ORG:o}\s+(?:party\s+)?(?:leader|chairman|chairwoman)\s+{PERU:p}",
      r"{PERU:p}\s+(?:is|was|became)\s+(?:a|the)\s+(?:[a-z]+\s+)?leader\s+of\s+(?:the\s+)?{ORG:o}",
      )
def led_by(ctx: Ctx, m: re.Match, name: str, rel: str):
    """An article's "the X, led by Y": Y chairs X (a press release's teams are led too)."""
    if not encyclopaedic(ctx.a):
        return
    c = ctx.cand(rel, m.group("o"), name, m.group("p"))
    if c and ctx.a.clusters[c.subj].type in ("ORG", "UNK") and \
            looks_like_person(ctx.a.clusters[c.obj], ctx.a.clusters) and \
            not looks_like_person(ctx.a.clusters[c.subj], ctx.a.clusters):
        yield c


@rule("position-salient", "P169",
      r"(?:^|[,.;“\"]\s*|\bsaid\s+|\badded\s+)(?:CEO|Chief Executive Officer|chief executive)\s+"
      r"{PER:p}",
      # "Chief Financial Officer Ann Roe added", "a report by Chairman Li Wei"
      rf"(?:^\s*|[,;“\"]\s*|\b(?:said|added|by|from|to)\s+)(?=[A-Z])(?!President\b){TITLE}\s+"
      rf"{HONORIFIC}{{PER:p}}(?!\s*(?:’s|'s|,\s*(?:the\s+)?(?:{_title_phrases()})\b))",
      )
def position_salient(ctx: Ctx, m: re.Match, name: str, rel: str):
    relation, t = title_relation(_gd(m, "title")) if _gd(m, "title") else (rel, "")
    yield from _salient_position(ctx, m.group("p"), name, relation, t)


def _salient_position(ctx: Ctx, person: str, name: str, relation: str, title: str):
    """A title with no organisation named: a position at the release's own company."""
    org = ctx.salient_org()
    pc = ctx.cl(person)
    if org is None or pc is None or encyclopaedic(ctx.a) or \
            not looks_like_person(ctx.a.clusters[pc], ctx.a.clusters):
        return
    c = Candidate(relation, org, ctx.i, name, obj=pc)
    if relation == "X-position":
        c.qualifiers["title"] = title
    if re.search(r"\bwill\s+(?:join|become|take over|serve)\b", ctx.r):
        c.qualifiers["status"] = "planned"
    yield c


# visits ---------------------------------------------------------------------------------------


@rule("visits", "X-visits",
      # "visited Haoyu's Quzhou production base": the site is what was visited
      r"{AGENT:s}\s*,?\s+(?:[^⟦⟧]{0,30}?)\b(?:visited|toured|paid a visit to|visits|inspected)\s+"
      r"(?:the\s+)?⟦(?:ORG|UNK):\d+⟧(?:’s|'s)\s+(?:new\s+)?{FAC:o}",
      r"{AGENT:s}\s*,?\s+(?:[^⟦⟧]{0,30}?)\b(?:visited|toured|paid a visit to|visits|inspected)\s+"
      r"(?:the\s+)?(?:{FAC:f}\s+of\s+)?{ORGF:o}(?!(?:’s|'s)\s+(?:new\s+)?⟦FAC)",
      )
def visits(ctx: Ctx, m: re.Match, name: str, rel: str):
    subj = m.group("s")
    appos = re.search(r"⟦PER:(\d+)⟧\s*,\s*[^⟦⟧]{0,40}?$", ctx.r[: m.start()])
    if ctx.mention(subj).type != "PER" and appos:
        subj = appos.group(1)
    c = ctx.cand(rel, subj, name, m.group("o"))
    if c is None:
        return
    d = q.resolve_date(ctx.sent.text, ctx.a.release.date)
    if d:
        c.qualifiers["date"] = d
    yield c


# products, industries ----------------------------------------------------------------------

MAKER = r"(?:maker|manufacturer|producer|supplier|builder|developer)"
PRODUCE_VERB = (r"(?:(?:also\s+|mainly\s+|primarily\s+|currently\s+)?(?:develops and produces|"
                r"designs and manufactures|develops and manufactures|produces|produced|manufactures|"
                r"manufactured|makes)|(?:will|is designed to|is expected to|is able to|can|is to)\s+"
                r"(?:also\s+|mainly\s+|primarily\s+)?(?:produce|manufacture|make))")
IND_ADJ = (r"(?:leading|large|major|global|private|privately[\s\-]held|listed|state-owned|"
           r"family-owned|international|young|fast-growing|diversified|integrated|independent)")
INDUSTRY_STOP = {"technology", "tech", "auto", "multinational", "state-owned", "leading",
                 "global", "major", "private", "public", "listed", "holding", "investment",
                 "international", "world’s", "largest", "biggest", "new", "chinese", "u.s.",
                 "company", "diversified", "industrial", "giant", "the", "a", "an",
                 "infrastructure", "energy", "long-standing", "long-time", "longtime",
                 "trusted", "preferred", "strategic", "exclusive", "sole", "key", "main",
                 # a company's form, not its industry ("a joint venture company", "a sister company")
                 "joint", "venture", "wholly-owned", "majority-owned", "subsidiary", "parent", "sister",
                 "portfolio", "publicly", "family-owned", "newly", "start-up", "startup", "shell",
                 "family", "family-run", "privately", "privately-held", "privately held", "held",
                 "traded", "member", "fortune", "owner-managed", "medium-sized", "mid-sized", "small"}


def _tail(np: str) -> str:
    """The words of a noun phrase after its last function word ("a spin-off from car")."""
    return re.split(r"\b(?:from|of|a|an|the|by|for|with|to|in|its|their|as|and|become|becomes|"
                    r"is|are|was|were|be|new)\s+", np)[-1].strip()


@rule("produces", "P1056",
      r"{ORG:s}{PAR}\s*,?\s+(?:which\s+|that\s+)?(?:[\w\s,]{0,40}?\b)?"
      r"(?:produces|manufactures|makes|delivers|develops and produces|designs and manufactures|"
      r"annually produces|designs and builds|develops and builds)"
      # "produces and sells X", "develops, manufactures and markets X"
      r"(?:(?:\s*,\s*|\s*,?\s+and\s+)(?:develops|designs|produces|manufactures|makes|sells|markets|distributes|"
      r"supplies|exports|installs|services|assembles|tests))*\s+(?P<np>[^⟦⟧]{3,160})",
      rf"{{ORG:s}}{{PAR}}\s*,\s*(?:a|an|the)\s+(?:[^⟦⟧]{{0,40}}?\s)?{MAKER}\s+of\s+(?P<np>[^⟦⟧]{{3,80}})",
      rf"(?<![\w\-])(?P<np>[a-z][\w\-]*(?:\s+[a-z][\w\-]*){{0,2}})\s+{MAKER}\s+{{ORG:s}}",
      rf"{{ORG:s}}\s*,\s*(?:the\s+)?(?:world’s|world's|country’s|China’s|Europe’s)?\s*"
      rf"(?:[\w\-]+\s+)?(?:biggest|largest|leading|second-largest|top)\s+"
      rf"(?P<np>[a-z][\w\-]*(?:\s+[a-z][\w\-]*){{0,2}})\s+{MAKER}",
      rf"{{ORG:s}}\s+is\s+(?:a|an|the)\s+(?:[\w\-]+\s+){{0,2}}?(?P<np>[a-z][\w\-]*(?:\s+"
      rf"[a-z][\w\-]*){{0,2}})\s+{MAKER}\b",
      rf"{{ORG:s}}{{PAR}}(?:\s*,\s*(?:[^⟦⟧]|⟦LOC:\d+⟧){{0,80}}?,)?\s+is\s+(?:a|an|the|one of the)\s+"
      rf"(?:[\w\-’']+\s+){{0,3}}?{MAKER}s?\s+of\s+(?P<np>[^⟦⟧]{{3,80}})",
      rf"{{ORG:s}}\s*,\s*(?:the\s+)?(?:world’s|world's)\s+(?:largest|biggest)\s+{MAKER}\s+of\s+"
      rf"(?P<np>[^⟦⟧]{{3,60}})",
      r"{ORG:s}\s*,\s*{AGAP}\b(?:designs|develops|manufactures|produces)\s*,\s*"
      r"[^⟦⟧]{0,60}?\b(?:a variety of|a range of)\s+(?P<np>[^⟦⟧]{3,160})",
      # "X, based in Y, was established in 1921 and makes ...", "X, headquartered in Y, produces"
      rf"{{ORG:s}}{{PAR}}\s*,\s*(?:based|headquartered|located|founded|established|incorporated)\b"
      rf"(?:[^⟦⟧]|⟦(?:LOC|UNK):\d+⟧){{0,80}}?,?\s+(?:[^⟦⟧,]{{0,40}}?\band\s+)?{PRODUCE_VERB}\s+(?P<np>[^⟦⟧]{{3,160}})",
      # a site or company that produces, produced or will produce: "the mine produced 142,000
      # tonnes of copper", "The plant will produce ...", "its plant in A, B, which produces ..."
      rf"{{FAC:s}}(?:\s+in\s+⟦LOC:\d+⟧(?:\s*,\s*⟦LOC:\d+⟧)?)?(?:\s*,\s*(?:operated|owned|run|built)\s+by\s+"
      rf"⟦(?:ORG|UNK):\d+⟧\s*,)?\s*,?\s+(?:which\s+|that\s+)?"
      rf"(?:[^⟦⟧,.;]{{0,30}}?\s)?{PRODUCE_VERB}\s+(?P<np>[^⟦⟧]{{3,160}})",
      # "X is mainly engaged in the production of wire", "X specialises in the R&D, production
      # and sale of motors"
      r"{ORG:s}{PAR}\s+(?:(?:is|are|has been)\s+)?(?:mainly\s+|primarily\s+|principally\s+)?(?:engaged|"
      r"speciali[sz](?:es|ed|ing|e)|focused|focuses|focusing)\s+(?:in|on)\s+the\s+"
      r"(?:(?:R&D|research(?:\s+and\s+development)?|development|design)\s*(?:,\s*|\s+and\s+))*"
      r"(?:production|manufacture|manufacturing|making)\s+(?:and\s+(?:sale|sales|marketing|distribution)\s+)?"
      r"of\s+(?P<np>[^⟦⟧]{3,120})",
      # "X's products include ball screws and linear guides"
      r"{ORG:s}(?:’s|'s)?\s+(?:main\s+|key\s+|core\s+|principal\s+)?(?:products|product portfolio|"
      r"product range|product line-?up)\s+(?:include|includes|included|comprise|comprises|consist of|"
      r"consists of|are|is)\s+(?P<np>[^⟦⟧]{3,120})",
      # "X supplies titanium billet and nickel bar to Y": what a company supplies it makes
      r"{ORG:s}\s+(?:also\s+)?(?:supplies|will supply|delivers|will deliver)\s+(?P<np>[^⟦⟧]{3,80}?)\s+"
      r"(?:to|for)\s+(?:⟦|the\s+|[a-z])",
      )
def produces(ctx: Ctx, m: re.Match, name: str, rel: str):
    np = m.group("np")
    if m.group(0).endswith(ctx.r[m.end("np"):m.end()]) and m.end("np") < m.start("s"):
        np = _tail(np)
    if q.negated(m.group(0)):
        return
    if re.search(r"\b(?:capacity|quota)\b", np[:30]):
        return
    if re.fullmatch(rf"\s*{MAKER}s?(?:\s+(?:and|or|&))?\s*", np):
        return  # "a manufacturer and supplier of X": the second noun is no product
    if re.match(r"\s*(?:it|its|them|up|sense|use|sure|clear|possible|progress|a decision|an? "
                r"(?:[\w\-]+\s+){0,2}?(?:impact|difference|contribution|commitment|decision|effort|move|"
                r"statement|announcement|offer|bid|investment|progress)|(?:a\s+)?(?:net\s+)?(?:profit|loss|"
                r"revenue|sales)|(?:(?:about|around|approximately|some|over|nearly|almost|roughly|up to|"
                r"more than|less than)\s+)?(?:⟦PCT|\d[\d.,]*\s*(?:%|percent|per cent)))",
                np, re.I):
        return  # "makes it possible", "produced a profit": no product
    np = re.sub(r"\s+and\s+(?:which|that|is|are|has|have|will|employs)\b.*$", "", np)
    np = re.sub(r",\s+and\s+(?:a|an|the|its|their|it|this)\s.*$", "", np)  # a new clause
    np = re.sub(r"[\s,]+(?:and|or|as well as)\s*$", "", np)  # "a maker of X, and <next name>"
    np = re.sub(r"\s+(?:(?:per|a)\s+(?:year|annum|day)|annually)\b", "", np)  # "80,000 t of A a year"
    # "drive and chassis components": one product whose first word is shared
    if re.search(r"\s+back$", np):
        return  # "supply sulphates back to X": material returned, made at a plant
    np = re.sub(r"(?:\b([a-z][\w\-]*)\s+)?\b([a-z][\w\-]*[^s\W])\s+and\s+([a-z][\w\-]+)(\s+[a-z][\w\-]+s)\b"
                r"(?!\s+and\b)",
                lambda x: x.group(0) if x.group(1) == x.group(3)  # "copper foil and copper rods"
                else (x.group(1) + " " if x.group(1) else "") + x.group(2) + " §and§ " + x.group(3)
                + x.group(4), np)
    category = None
    cm = re.match(r"\s*([a-z][\w\-]*(?:\s+[a-z][\w\-]*)?),\s*(?:in particular|particularly|especially|"
                  r"notably|mainly|primarily)\s+", np)
    if cm:  # "makes specialty chemicals, in particular A, B and C": the kind, then products
        category, np = cm.group(1), np[cm.end():]
    np = re.sub(r"^(?:about|around|approximately|some|over|up to)\s+" + NUM + r"\s+\w+\s+of\s+",
                "", np)
    parts = re.split(r",\s*(?:about\s+|around\s+)?\d[\d,.]*\s+(?:million|billion|thousand)?\s*"
                     r"(?:\w+\s+)?of\s+|\s+and\s+\d[\d,.]*\s+(?:million|billion|thousand)?\s*"
                     r"(?:\w+\s+)?of\s+", np)
    items = []
    for part in parts:
        items += noun_items(part)
    subj = m.group("s")
    site = re.match(r"[^⟦⟧.;]{0,40}?⟦(?:ORG|UNK|FAC):\d+⟧[^⟦⟧.;]{0,20}?\bfrom\s+(?:its\s+|their\s+|the\s+|"
                    r"⟦(?:ORG|UNK):\d+⟧\s+)?⟦FAC:(\d+)⟧", ctx.r[m.end("np"):])
    if site and "supplies" in m.re.pattern:
        subj = site.group(1)  # "X will supply A to Y from its plant in Z": the plant makes A
    elif "supplies" in m.re.pattern and re.match(
            r"[^.;]{0,60}?\bfrom\s+(?:its|their|⟦(?:ORG|UNK):\d+⟧)\s+(?:[a-z\-]+\s+)?(?:plant|factory|mine|mill|"
            r"site|works|facility|refinery|smelter)\b", ctx.r[m.end("np"):]):
        return  # made at a site the text does not name as one: not the company's own claim
    if re.search(r"\b(?:in|near|at)\s+$", ctx.r[: m.start("s")]) and \
            ctx.mention(subj).type in ("UNK", "LOC"):
        return  # "X, headquartered in Cologne, produces": the place produces nothing
    if re.search(r"\b(?:of|by|with|and|from)\s+$", ctx.r[: ctx.r.rfind("⟦", 0, m.start("s"))]) and \
            re.match(r"⟦[A-Z]+:\d+⟧\s*,\s+(?:makes|produces|manufactures)", m.group(0)):
        first = re.match(r"\s*⟦(?:ORG|UNK):(\d+)⟧", ctx.r)
        if not first:
            return
        subj = first.group(1)
    if category:
        c = ctx.cand("P452", subj, name + "-industry", None, obj_text=category, obj_type="MISC")
        if c:
            yield c
    items = [i.replace("§and§", "and") for i in items]
    for item in items:
        low = item.lower()
        if low in INDUSTRY_STOP or low.split()[0] in ("textile", "textiles"):
            if low.split()[0] in ("textile", "textiles"):
                c = ctx.cand("P452", subj, name + "-industry", None, obj_text=item,
                             obj_type="MISC")
                if c:
                    yield c
            continue
        c = ctx.cand(rel, subj, name, None, obj_text=item, obj_type="PRODUCT")
        if c and ctx.a.clusters[c.subj].type in ("ORG", "UNK", "FAC") and \
                not looks_like_person(ctx.a.clusters[c.subj], ctx.a.clusters):
            yield c


@rule("brands", "P1056",
      r"{ORG:s}(?:’s|'s)?\s+(?:[\w\-]+\s+){0,3}?brands?\s*,?\s*(?:such as|including|like|"
      r"among them|namely)\s+(?:[Tt]he\s+)?{BRANDS:o}",
      r"{ORG:s}(?:’s|'s)?\s+{BRANDS:o}\s+brands\b",
      r"(?:{ORG:s}(?:’s|'s)?|\b[Ii]ts)\s+(?:[\w\-]+,?\s+){0,5}?(?:product|model|device|platform)"
      r"\s*,\s*{PROD:o}\s*[,.;]",
      )
def brands(ctx: Ctx, m: re.Match, name: str, rel: str):
    """Named brands and products of a company: "its brands such as A and B", "its
    A, B and C brands", "its electric boiler product, A,"."""
    if q.negated(m.group(0)):
        return
    subj = _gd(m, "s")
    if subj is None:  # "its ... product, A": the company named before in the sentence
        subj = next((x.group("i") for x in PLACEHOLDER.finditer(ctx.r[:m.start()])
                     if x.group("t") in ("ORG", "UNK")), None)
        if subj is None:
            return
    for o in ids(m.group("o")):
        oc = ctx.a.mentions[o]
        if oc.kind not in ("name", "alias"):
            continue
        c = ctx.cand(rel, subj, name, o)
        if c and ctx.a.clusters[c.subj].type in ("ORG", "UNK") and \
                not looks_like_person(ctx.a.clusters[c.subj], ctx.a.clusters):
            yield c


@rule("industry", "P452",
      r"{ORG:s}\s+covers\s+(?:the\s+)?(?:complete\s+|whole\s+|entire\s+)?value chain\s+of\s+"
      r"(?:the\s+)?(?P<np>[\w\-]+(?:\s+and\s+[\w\-]+)?)\s+(?:industry|industries|sectors?)",
      r"{ORG:s}\s+(?:is\s+|has been\s+|have been\s+)?(?:active|operates|working|works|specializ\w+|speciali[sz]es|"
      r"focus\w*)\s+(?:in|on)\s+(?:the\s+)?(?P<np>[\w\-]+(?:\s+(?:and\s+)?[\w\-]+){0,3})\s+"
      r"(?P<head>industry|industries|sectors?|businesses|business)",
      r"(?<![\w\-])(?P<np>[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,2})\s+(?:firm|company|group|"
      r"giant|major|player|conglomerate)\s+{ORG:s}",
      r"{ORG:s}\s+(?:is|are)\s+(?:among|one of)\s+the\s+(?:top\s+|leading\s+|largest\s+)*"
      r"(?:global\s+|world’s\s+)?(?P<np>[a-z][\w\-]*)\s+(?:companies|producers|makers|firms)",
      r"{ORG:s}\s+(?:[^⟦⟧]{0,40}?)\bventured\s+into\s+(?P<np>[\w\-]+(?:\s+[\w\-]+){0,2}\s+"
      r"business)",
      r"(?:As|as)\s+a\s+(?:major\s+|leading\s+)?(?:[A-Z]\w+\s+)?(?P<np>[a-z][\w\-]*)\s+player,\s+"
      r"{ORG:s}",
      r"{ORG:s}\s+is\s+(?:a|the|one of the)\s+(?:global\s+|world\s+|leading\s+|international\s+|"
      r"European\s+|market\s+)*leaders?\s+in\s+(?:the\s+)?(?P<np>[a-z][\w\-]*(?:\s+[a-z][\w\-]*)?)"
      r"(?=\s+(?:industry|sector|market)|[\s,.]|$)",
      r"{ORG:s}\s*,\s+(?:a|an|the)\s+(?:[A-Z][\w\-]+\s+){0,2}(?P<np>[a-z][\w\-]*(?:\s+[a-z][\w\-]*)?)"
      r"\s+(?:company|firm|group|specialist|provider|conglomerate)\s*,",
      # "X is a Norwegian mining company", "X, a Stockholm-based battery recycling company,"
      rf"{{ORG:s}}{{PAR}}(?:\s+is|\s*,)\s+(?:a|an)\s+(?:(?:{IND_ADJ}|[A-Z][\w\-]+|⟦LOC:\d+⟧(?:\s*,\s*⟦LOC:\d+⟧)?"
      rf"-based)\s+)*(?P<np>[a-z][\w\-]*(?:\s+[a-z][\w\-]*)?)\s+(?:company|firm|group|"
      rf"specialist|conglomerate|business)\b(?!\s+(?:of|in|for|that|which)\b)",
      # "X is a supplier of body parts to the automotive industry"
      rf"{{ORG:s}}{{PAR}}(?:\s*,[^;]{{0,100}}?,)?\s+is\s+(?:a|an|the)\s+(?:[\w\-]+\s+){{0,3}}?(?:{MAKER}|provider|"
      rf"partner)s?\s+(?:of|to)\s+[^⟦⟧.;]{{3,100}}?\s+(?:to|for)\s+the\s+(?P<np>[a-z][\w\-]*(?:\s+[a-z][\w\-]*)?)"
      rf"\s+(?P<head>industry|industries|sector)\b",
      # "X is engaged in new energy materials and fine chemicals", "a group engaged in the A industry"
      r"{ORG:s}{PAR}\s+(?:is|are|has been)\s+(?:(?:a|an)\s+[^⟦⟧,;]{0,50}?\s)?(?:mainly\s+|primarily\s+|"
      r"principally\s+|chiefly\s+)?(?P<engaged>engaged|active)\s+in\s+(?:the\s+)?(?P<np>[a-z][\w\-]*(?:\s+[a-z][\w\-]*)"
      r"{0,2}(?:(?:\s*,\s*|\s+and\s+)[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,2}?)*?)(?:\s+(?P<head>industry|"
      r"industries|sectors?|businesses|business))?(?=\s+and\s+(?:has|is|have|employs|was|operates)\b|"
      r"\s*[,.;]|$)",
      )
def industry(ctx: Ctx, m: re.Match, name: str, rel: str):
    np = m.group("np").strip()
    if m.end("np") < m.start("s"):
        np = _tail(np)
    head = _gd(m, "head")
    words = np.split()
    if _gd(m, "engaged") and len(words) > 1 and words[0].lower() in ("new", "energy", "industrial"):
        words = ["x"] + words[1:]  # "engaged in new energy materials": a named field
    if not words or words[0].lower() in INDUSTRY_STOP or np.lower() in INDUSTRY_STOP:
        if not (words and len(words) > 1 and (words[0].lower() in ("infrastructure",) or
                                             words[0].lower() == "new" and np.endswith("business"))):
            return
    if gz.place_kind(np) or np.lower() in gz.demonyms():
        return
    if re.search(r"\bof\b", np) or words[-1].lower() in ("enterprise", "holding", "investment",
                                                          "technology", "industrial", "trading"):
        return
    if re.search(r"\s*,\s*", np):
        np = re.sub(r"\s*,\s*(?:and\s+)?", " and ", np)
    if re.search(r"\s+and\s+", np):
        items = re.split(r"\s+and\s+", np)
        suffix = " industry" if "value chain" in m.group(0) else (" " + head if head and
                                                                    head.startswith("bus") else "")
        if head and head.startswith("business"):
            suffix = " businesses"
        items = [i + suffix for i in items]
    else:
        items = [np + (" industry" if "value chain" in m.group(0) else "")]
        if head and head.startswith("business") and not np.endswith("business"):
            items = [np + " businesses"]
    for item in items:
        c = ctx.cand(rel, m.group("s"), name, None, obj_text=item.strip(), obj_type="MISC")
        if c and ctx.a.clusters[c.subj].type in ("ORG", "UNK"):
            yield c


# listings -------------------------------------------------------------------------------------


def exchange_key(text: str) -> str:
    """The gazetteer key of an exchange name ("Main Board of The Stock Exchange of Hong Kong
    Limited" -> "stock exchange of hong kong")."""
    t = re.sub(r"^(?:(?:the\s+)?(?:Main|Growth|GEM)\s+Board\s+of\s+)?(?:the\s+)?", "", text.strip(),
               flags=re.I)
    return re.sub(r"\s+(?:Limited|Ltd\.?)$", "", t).lower()


@rule("listed-on", "P414",
      r"{ORG:s}(?:\s*\([^()]*\))?\s*\(\s*(?:[\w’'\-]+\s+)?{EXCH:o}\s*:\s*{TICKER}"
      r"(?:\s*[;,][^()]*)?\s*\)",
      r"{ORG:s}\s*\([^()⟦⟧]{0,40}(?:⟦(?:ORG|UNK):\d+⟧[^()⟦⟧]{0,40}){0,2}[,;]\s*{EXCH:o}\s*:\s*"
      r"{TICKER}\s*\)",
      r"{ORG:s}\s*,?\s*(?:[^⟦⟧]{0,80}?)\b(?:began trading|begins trading|started trading|"
      r"is listed|are listed|was listed|listed|trades|trade|debuted|went public|traded|quoted)\s+on\s+"
      r"(?:the\s+)?(?:(?:[A-Z][\w\-]*\s+){0,2}?(?:⟦(?:ORG|UNK):\d+⟧|[Mm]arket|[Bb]oard|[Ss]egment)\s+of\s+"
      r"(?:the\s+)?)?"
      r"⟦(?:EXCHANGE|LOC|ORG):(?P<o>\d+)⟧",
      r"{ORG:s}{GAP}\blisted\s+in\s+⟦LOC:\d+⟧\s*\(\s*{EXCH:o}\s*:\s*{TICKER}\s*\)",
      r"{ORG:s}(?:’s|'s)\s+shares\s+{AGAP}\bon\s+the\s+{EXCH:o}",
      r"^\s*{EXCH:o}\s*:\s*{TICKER}",
      r"\|\s*{EXCH:o}\s*:\s*{TICKER}",
      )
def listed_on(ctx: Ctx, m: re.Match, name: str, rel: str):
    first = list(_listed_on(ctx, m, name, rel, m.group("o")))
    yield from first
    if not first or _gd(m, "s") is None:
        return
    # a dual listing: "(BSE: 500470, NSE: TATAFORGE)", "listed on the NSE (...) and BSE"
    more = [x.group(1) for x in re.finditer(r"⟦EXCHANGE:(\d+)⟧", ctx.r[m.end("o") + 1:m.end()])]
    tail = re.match(r"(?:\s*\([^()]*\))?\s*,?\s*(?:and|as well as)\s+(?:on\s+)?(?:the\s+)?⟦EXCHANGE:(\d+)⟧",
                    ctx.r[m.end():])
    if tail:
        more.append(tail.group(1))
    for o in more:
        for c in _listed_on(ctx, m, name, rel, o):
            c.qualifiers.pop("ticker", None)
            yield c


_TICKER_IN_TEXT = re.compile(r"\bunder the (?:ticker|symbol)\s+(?:symbol\s+)?[“\"]?([A-Z]{1,6})\b")


def _release_ticker(analysis: Analysis) -> re.Match | None:
    """The first "under the ticker X" of the whole release (searched once a release, not
    once a listing: a long text states many listings)."""
    if "_ticker" not in analysis.__dict__:
        analysis.__dict__["_ticker"] = _TICKER_IN_TEXT.search(analysis.release.text)
    return analysis.__dict__["_ticker"]


def _listed_on(ctx: Ctx, m: re.Match, name: str, rel: str, o: str):
    ex = ctx.mention(o)
    low = exchange_key(ex.text)
    if ex.type == "ORG" and low not in gz.exchanges():
        return
    if _gd(m, "s") is not None and exchange_key(ctx.mention(m.group("s")).text) in gz.exchanges():
        return  # "the Main Board of the ... Exchange (HKEX: 1378)" names no company
    if low not in gz.exchanges() and not re.search(r"Exchange|Börse|Bourse", ex.text):
        return
    if re.search(r"OTC", ex.text) or re.search(r"de-?list", ctx.r[:m.end()], re.I):
        return
    subj = _gd(m, "s")
    if subj is None:
        sal = ctx.salient_org()
        if sal is None:
            return
        c = Candidate(rel, sal, ctx.i, name, obj=ctx.cl(o))
    else:
        c = ctx.cand(rel, subj, name, o)
    if c is None or c.obj is None:
        return
    full = gz.exchanges().get(low)
    if full and full != ex.text:  # "HKEX" -> "Hong Kong Stock Exchange"
        c.obj, c.obj_text, c.obj_type = None, full, "EXCHANGE"
    t = _gd(m, "ticker")
    if t and t.startswith("⟦"):
        t = ctx.mention(PLACEHOLDER.match(t).group("i")).text
    if not t:
        tm = re.search(r"\bunder the (?:ticker|symbol|stock code)\s+(?:symbol\s+)?[“\"]?"
                       r"([A-Z]{1,6}|\d{3,6})\b|\(stock code:\s*(\d{3,6})\)"
                       r"|^\s*\(\s*(?:[A-Z][A-Za-z ]{1,20}|⟦EXCHANGE:\d+⟧):\s*(\d{3,6}|[A-Z]{1,6})\s*\)", ctx.r[m.end():])
        if tm is None:
            tm = _release_ticker(ctx.a)
        t = next((g for g in tm.groups() if g), None) if tm else None
    if t:
        c.qualifiers["ticker"] = t
    yield c


# counts --------------------------------------------------------------------------------------


def _count(word: str) -> str | None:
    v = parse_number(word)
    return plain_number(v) if v is not None else None


@rule("listed-companies", "X-listed-companies",
      rf"{{ORG:s}}\s+(?:includes|has|comprises|owns|controls|consists of)\s+(?P<n>{NUM})\s+"
      rf"(?:publicly\s+)?listed\s+companies",
      )
def listed_companies(ctx: Ctx, m: re.Match, name: str, rel: str):
    c = ctx.cand(rel, m.group("s"), name, value=_count(m.group("n")))
    if c and c.value:
        yield c
        on = re.search(rf"(?P<n>{NUM})\s+of\s+(?:which|them)\s+(?:are\s+)?listed\s+(?:in|on)\s+"
                       r"(?:the\s+)?⟦(?:EXCHANGE|LOC):(?P<o>\d+)⟧", ctx.r[m.end():])
        if on:
            c2 = ctx.cand("X-listed-companies-on", m.group("s"), name + "-on", on.group("o"))
            if c2:
                c2.qualifiers["count"] = _count(on.group("n"))
                yield c2


@rule("production-sites", "X-production-sites",
      rf"(?P<n>\d[\d,]*|{NUM})\s+(?:(?!(?:employees|people|staff|workers|and\s+(?:operates|has|runs|"
      rf"owns))\b)[\w\-]+\s+(?:and\s+[\w\-]+\s+)?){{0,3}}?"
      r"(?P<what>production sites|production bases|plants|factories|manufacturing (?:sites|"
      r"centers|centres|bases|facilities|plants)|production facilities)\b",
      rf"(?P<n>\d[\d,]*|{NUM})\s+(?:[\w\-]+\s+(?:and\s+[\w\-]+\s+)?){{0,3}}?⟦FAC:(?P<f>\d+)⟧",
      )
def production_sites(ctx: Ctx, m: re.Match, name: str, rel: str):
    if _gd(m, "f"):
        fac = ctx.mention(m.group("f"))
        if "count" not in fac.cues or not re.search(
                r"(?:production|manufacturing)\s+(?:sites|bases|centers|centres|facilities|plants)"
                r"|\bplants|\bfactories", fac.text):
            return
    pre = ctx.r[max(0, m.start() - 30):m.start()]
    if re.search(r"\b(?:more|planned|new|additional|the first of|of the)\s*$", pre) or \
            re.search(r"\b(?:more|planned|new)\b", m.group(0)):
        return
    if re.search(r"\b(?:invest\w*|build\w*|construct\w*|set up|establish\w*)\b[^.;]{0,60}$",
                 ctx.r[max(0, m.start() - 80):m.start()]):
        return  # "to invest EUR 2 billion in two production sites": sites to come, not a count
    subj = ctx.sentence_org(before=m.start())
    if subj is None:
        prev = ctx.i - 1
        while prev >= 0 and not ctx.a.rendered[prev].strip():
            prev -= 1
        subj = Ctx(ctx.a, prev).sentence_org() if prev >= 0 else None
    if subj is None:
        return
    v = _count(m.group("n"))
    if v and ctx.a.clusters[subj].type in ("ORG", "UNK") and \
            not looks_like_person(ctx.a.clusters[subj], ctx.a.clusters):
        yield Candidate(rel, subj, ctx.i, name, value=v)  # not "she is responsible for 8 plants"


@rule("employees", "P1128",
      r"{BOUND}(?P<n>\d[\d,’']*(?:\.\d+)?(?:\s+(?:thousand|million))?)\s+"
      r"(?:full-time\s+|permanent\s+)?(?:employees|staff|workers|people|personnel)\b",
      r"\b(?:workforce|headcount|staff)\s+of\s+{BOUND}(?P<n>\d[\d,’']*(?:\.\d+)?"
      r"(?:\s+(?:thousand|million))?)\b(?!\s*%)",
      )
def employees(ctx: Ctx, m: re.Match, name: str, rel: str):
    pre = ctx.r[max(0, m.start() - 40):m.start()]
    if re.search(r"\b(?:create|hire|add|cut|lay off|laid off|jobs|to|visited|by)\s*$", pre):
        return
    if re.search(r"\bhous(?:e|es|ed|ing)\b", pre):
        return  # "the new office will house 150 employees": a site's staff, not the company's
    if not re.search(r"\b(?:employ|employs|employing|employed|has|have|with|workforce|includes|"
                     r"staff of|headcount|and|of)\b", pre + " " + ctx.r[m.end():m.end() + 20]):
        return
    subj = ctx.sentence_org(before=m.start())
    if subj is None or re.match(r"\s*With\b", ctx.r):
        after = re.search(r"⟦(?:ORG|UNK):(\d+)⟧", ctx.r[m.end():])
        subj = ctx.cl(after.group(1)) if after else subj
    if subj is None:
        return
    c = Candidate(rel, subj, ctx.i, name, value=plain_number(parse_number(
        m.group("n").split()[0], (m.group("n").split() + [None])[1])))
    b = normal_bound(_gd(m, "bound"))
    if b:
        c.qualifiers["bound"] = b
    if ctx.a.clusters[subj].type in ("ORG", "UNK"):
        yield c


CAP_UNIT = (r"(?P<unit>(?:GWh|MWh|TWh|GW|MW|kW|gigawatt[\s\-]hours?|megawatt[\s\-]hours?|gigawatts?|megawatts?|"
            r"sets|pieces|pcs|tonnes|tons|tonnes|ktpa|ktpy|kta|mtpa|MTPA|Mtpa|tpa|TPA|"
            r"MT|Mt|kt|kilotonnes|kilotons|metric tonnes|t|metric tons|units|vehicles|"
            r"cars|automobiles|meters|metres|barrels|ounces|cubic meters|square meters|wafers|parts|"
            r"[\w\-]+(?:\s+[\w\-.]+)?\s+units)\b(?:\s+of\s+[a-z][\w\-]*(?:\s+(?!(?:per|a|each|every)\b)"
            r"[a-z][\w\-]*){0,2})?"
            r"(?:\s+(?:per|a)\s+(?:year|annum|day)|\s+annually)?)")
# any counted thing, when a yearly rate says it is a capacity ("1 million two-wheelers a year")
PER_YEAR = r"(?:\s+(?:per|a|each|every)\s+(?:year|annum)|\s+annually|\s+yearly)(?!\s+ago)"
CAP_ANY = (r"(?P<unit>(?!(?:times|investments|acquisitions|people|employees|jobs|visits|meetings|years|"
           r"months|weeks|days|hours|percent|dollars|euros|yuan)\b)[a-z][\w\-]*s(?:\s+of\s+[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,2}?)?" + PER_YEAR + r")")
CAP_CONTEXT = (r"(?:production|annual|installed|manufacturing|output|total|production\s+"
               r"capacit(?:y|ies)|capacity)")


_NOT_PRODUCT = {"ore", "capacity", "output", "raw", "material", "materials", "products", "product",
                "equivalent", "waste", "scrap", "feed", "feedstock", "input", "throughput"}


def _capacity_product(ctx: Ctx, subj: int, name: str, unit: str):
    """"a capacity of 1.2 million tons of alumina": the site makes alumina."""
    pm = re.search(r"\bof\s+([a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,2})$", unit)
    if not pm or ctx.a.clusters[subj].type != "FAC":
        return  # a company's (combined) capacity names a broad kind ("tonnes of castings")
    words = [w for w in pm.group(1).split() if w not in ("per", "a", "year", "annum", "annually")]
    if not words or any(w in _NOT_PRODUCT for w in words):
        return
    yield Candidate("P1056", subj, ctx.i, name + "-product", obj_text=" ".join(words),
                    obj_type="PRODUCT")


def clean_unit(unit: str) -> str:
    """A capacity unit without the words the pattern ran into ("GWh of annual capacity",
    "tonnes of cotton yarn and ...")."""
    unit = re.sub(r"\s+", " ", unit.strip())
    unit = re.sub(r"\s+of\s+(?:annual|production|manufacturing|installed|total|capacity)\b.*$", "",
                  unit)
    unit = re.sub(r"\s+(?:per|a|each|every)\s+(?:year|annum)$|\s+annually$|\s+yearly$", "", unit)
    return re.sub(r"(?:\s+(?:and|or|with|in|at|from|for|by|to|the|a|an))+$", "", unit)


# "the Karvik mine, which will raise its ore throughput": the mine's, not its owner's
_WHICH_ITS = re.compile(r"⟦FAC:(\d+)⟧\s*,\s*which\b[^⟦⟧]{0,40}⟦(?:ORG|UNK):\d+⟧\s+(?:[a-z][\w\-]*\s+){0,3}$")


@rule("capacity", "X-capacity",
      rf"\bcapacit(?:y|ies)\s+of\s+{{BOUND}}(?P<n>{NUM})\s+(?:[a-z\-]+\s+)?{CAP_UNIT}",
      rf"{{BOUND}}(?P<n>{NUM})\s+{CAP_UNIT}\s+(?:of\s+)?(?:[\w\-]+\s+){{0,3}}?"
      r"(?:production\s+|manufacturing\s+|annual\s+|installed\s+|total\s+)?capacit(?:y|ies)",
      rf"\b(?:steady\s+)?production\s+of\s+{{BOUND}}(?P<n>{NUM})\s+{CAP_UNIT}",
      rf"\b(?:will\s+|to\s+|can\s+|could\s+)?(?:manufacture|produce|make)\s+{{BOUND}}(?P<n>{NUM})\s+"
      rf"(?:⟦(?:UNK|ORG):\d+⟧\s+)?{CAP_UNIT}",
      rf"\b(?:annually\s+)?produces\s+{{BOUND}}(?P<n>{NUM})\s+{CAP_UNIT}",
      rf"\bcapacit(?:y|ies)\s+of\s+{{BOUND}}(?P<n>{NUM})\s+{CAP_UNIT}",
      # "raise the mill's sheet capacity from 240,000 to 330,000 tonnes": both figures
      rf"\b(?:[Cc]apacit(?:y|ies)|[Tt]hroughput|[Oo]utput)\s+(?:[a-z][\w\-]*\s+){{0,3}}?from\s+{{BW}}"
      rf"(?P<n0>{NUM})\s+(?:[A-Za-z][\w\-]*\s+){{0,4}}?to\s+{{BOUND}}(?P<n>{NUM})\s+{CAP_UNIT}",
      # "will lift the capacity of the site to 60,000 tonnes", "will double its output to ..."
      rf"\b(?:lift|raise|increase|boost|expand|double|triple|bring|take)(?:s|d|ed|ing)?\s+(?:the\s+|its\s+|"
      rf"their\s+|⟦(?:ORG|UNK|FAC):\d+⟧(?:’s|'s)?\s+)?(?:[a-z][\w\-]*\s+){{0,3}}?(?:capacit(?:y|ies)|"
      rf"throughput|output|production)(?:\s+of\s+(?:the\s+|its\s+)?(?:[a-z][\w\-]*\s+){{0,2}}?(?:site|plant|"
      rf"mine|factory|facility|base|mill|line|smelter|refinery)|\s+(?:of|at)\s+(?:the\s+|{{ITS}}\s+)?{{FAC:site}}|"
      rf"\s+(?:of|for)\s+[a-z][\w\-]*(?:\s+[a-z][\w\-]*){{0,2}}?)?\s+to\s+{{BOUND}}"
      rf"(?P<n>{NUM})\s+{CAP_UNIT}",
      # "an initial capacity of 40,000 tonnes, rising to 80,000 tonnes by 2028"
      rf"\bcapacit(?:y|ies)\b[^⟦⟧.;]{{0,120}}?\b(?:rising|growing|increasing|expanding|(?:designed|planned|"
      rf"expected|set|due)\s+to\s+(?:grow|rise|increase|expand|reach))\s+(?:to\s+)?{{BOUND}}(?P<n>{NUM})\s+"
      rf"{CAP_UNIT}",
      # "its total capacity will exceed 4.5 billion square meters per year"
      rf"\bcapacit(?:y|ies)\s+(?:will|is expected to|is set to|should)\s+(?P<verb>exceed|reach|rise to|"
      rf"increase to|grow to|top|surpass|be)\s+{{BOUND}}(?P<n>{NUM})\s+{CAP_UNIT}",
      # "The plant can process 25,000 tonnes a year", "a concentrator producing 18,000 tonnes"
      rf"\b(?:can|will|is able to|to|could)\s+(?:annually\s+)?process\s+{{BOUND}}(?P<n>{NUM})\s+{CAP_UNIT}",
      rf"\bproducing\s+{{BOUND}}(?P<n>{NUM})\s+{CAP_UNIT}",
      # "can produce 1 million two-wheelers a year", "capable of manufacturing 50,000 tonnes"
      rf"\b(?:can|could|will be able to|is able to|are able to|capable of|able to|designed to|set to|"
      rf"expected to|will|capacity to)\s+(?:annually\s+)?(?:produce|producing|manufacture|manufacturing|make|"
      rf"making|build|building|assemble|assembling|turn out|turning out|roll out)\s+{{BOUND}}(?P<n>{NUM})\s+"
      rf"(?:{CAP_UNIT}|{CAP_ANY.replace('?P<unit>', '?P<unit2>')})",
      rf"\bcapable of\s+(?:producing|manufacturing|making)\s+{{BOUND}}(?P<n>{NUM})\s+{CAP_UNIT}",
      rf"\bcapacit(?:y|ies)\s+of\s+{{BOUND}}(?P<n>{NUM})\s+(?P<unit>(?!(?:people|employees|visitors|passengers|"
      rf"seats|beds|students|percent)\b)[a-z][\w\-]*s\b(?:{PER_YEAR})?)"
      rf"(?!\s+(?:of|in)\b)",
      # "a 16 GWh cell factory", "its 60,000-tonne smelter"
      rf"\b(?:a|an|the|its|their|⟦(?:ORG|UNK):\d+⟧)\s+(?:new\s+)?{{BOUND}}(?P<n>{NUM})[\s\-](?P<unit>GWh|MWh|GW|MW|"
      rf"ktpa|mtpa|MTPA|tpa|(?:metric[\s\-])?(?:tonnes?|tons?)(?:[\s\-]per[\s\-](?:year|annum))?)\s+"
      rf"(?:[a-z][\w\-]*\s+)?{{FAC:site}}",
      # "a new cathode plant with an annual output of 50,000 tonnes"
      rf"{{FAC:site}}(?:\s+in\s+⟦LOC:\d+⟧(?:\s*,\s*⟦LOC:\d+⟧)?)?\s*,?\s+with\s+(?:an?\s+)?(?:annual|yearly|planned|"
      rf"designed|expected)\s+(?:output|production)\s+of\s+{{BOUND}}(?P<n>{NUM})\s+{CAP_UNIT}",
      # "the plant's annual capacity will be increased to 500,000 units", "capacity at the
      # Nagoya plant is 500,000 units", "capacity of its Oita plant stands at 30,000 tpa"
      rf"\bcapacit(?:y|ies)\s+(?:(?:at|of)\s+(?:the\s+|{{ITS}}\s+)?{{FAC:site}}\s+)?(?:will be|was|"
      rf"has been|is being|is to be|is set to be|is expected to be|have been|were)\s+(?:increased|raised|"
      rf"expanded|lifted|boosted|brought|ramped up)\s+to\s+{{BOUND}}(?P<n>{NUM})\s+{CAP_UNIT}",
      rf"\bcapacit(?:y|ies)\s+(?:at|of)\s+(?:the\s+|{{ITS}}\s+)?{{FAC:site}}\s+(?:is|was|will be|"
      rf"stands at|totals|amounts to|reaches|will reach|is expected to reach)\s+{{BOUND}}(?P<n>{NUM})\s+"
      rf"{CAP_UNIT}",
      # "designed for an annual output of 25,000 tonnes", "a nameplate output of 2 GW"
      rf"\b(?:designed for|planned|targeted|target|design|rated|nameplate)\s+(?:an?\s+)?(?:annual\s+|yearly\s+)?"
      rf"(?:output|production)\s+of\s+{{BOUND}}(?P<n>{NUM})\s+{CAP_UNIT}",
      )
def capacity(ctx: Ctx, m: re.Match, name: str, rel: str):
    pre = ctx.r[max(0, m.start() - 60):m.start()]
    if re.search(r"\b(?:sold|sales|quota|sell|corresponds)\b", pre + m.group(0)):
        return
    numtxt = m.group("n")
    parts = numtxt.split()
    value = parse_number(parts[0], parts[1] if len(parts) > 1 else None)
    if value is None:
        return
    # subject: the nearest site or organisation before the figure, else after
    subj = None
    for pm in reversed(list(PLACEHOLDER.finditer(ctx.r[: m.start()]))):
        if pm.group("t") in ("FAC", "ORG", "UNK"):
            mm = ctx.mention(pm.group("i"))
            if mm.cluster >= 0 and "count" not in mm.cues and (
                    mm.type != "UNK" or len(ctx.a.clusters[mm.cluster].mentions) > 1
                    or re.match(r"\s*$", ctx.r[: pm.start()])):
                subj = mm.cluster
                break
    inner = re.search(r"⟦FAC:(\d+)⟧", ctx.r[m.start():m.start("n")])
    if subj is None and inner:
        subj = ctx.cl(inner.group(1))  # "raise the plant's capacity to ..."
    head = re.search(r"\bthe\s+(mill|plant|site|factory|mine|smelter|refinery|facility|base)(?:’s|'s)"
                     r"\s+(?:[a-z][\w\-]*\s+){0,3}$", pre)
    if _gd(m, "site"):
        subj = ctx.cl(m.group("site"))  # "lift the output of the plant to ..."
    elif head:  # "raise the mill's sheet capacity": the site last named with that head noun
        sites = [x for x in ctx.a.mentions if x.type == "FAC" and x.cluster >= 0 and x.sent <= ctx.i
                 and head.group(1) in ctx.a.clusters[x.cluster].canonical.lower().split()]
        if sites:
            subj = sites[-1].cluster
    elif subj is not None and re.search(_WHICH_ITS, pre):
        subj = ctx.cl(re.search(_WHICH_ITS, pre).group(1))
    if re.search(r"\b(?:combined|total)\s+(?:annual\s+)?(?:production\s+)?capacity\b", pre + m.group(0)):
        own = ctx.sentence_org(before=m.start())  # "X operates two foundries with a combined ..."
        if own is not None and re.match(r"\s*⟦(?:ORG|UNK):\d+⟧", ctx.r):
            subj = own
    if subj is None:
        after = re.search(r"⟦(?:FAC|ORG|UNK):(\d+)⟧", ctx.r[m.end():])
        if after and not re.search(r"\bof\s+$", ctx.r[m.end():m.end() + after.start()]):
            subj = ctx.cl(after.group(1))  # not "100,000 tons of PVDF": the product
    if subj is None:
        return
    c = Candidate(rel, subj, ctx.i, name, value=plain_number(value))
    unit = clean_unit(_gd(m, "unit") or m.group("unit2"))
    c.qualifiers["unit"] = unit
    b = normal_bound(_gd(m, "bound"))
    if b:
        c.qualifiers["bound"] = b
    elif _gd(m, "verb") in ("exceed", "top", "surpass"):
        c.qualifiers["bound"] = "more than"
    if _gd(m, "n0"):
        p0 = m.group("n0").split()
        v0 = parse_number(p0[0], p0[1] if len(p0) > 1 else None)
        if v0 is not None:
            c0 = Candidate(rel, subj, ctx.i, name + "-from", value=plain_number(v0))
            c0.qualifiers["unit"] = unit
            yield c0
    extra: list[Candidate] = []
    ustart = m.start("unit") if _gd(m, "unit") else m.start("unit2")
    rest = ctx.r[ustart + len(unit):]
    for more in re.finditer(rf"(?:,|\band)\s+(?:and\s+)?{BOUND_WORDS and ''}(?P<n>{NUM})\s+"
                            r"(?P<u>(?:tonnes|tons|meters|metres|units|vehicles|barrels)\s+of\s+"
                            r"[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,2})", rest):
        parts2 = more.group("n").split()
        v2 = parse_number(parts2[0], parts2[1] if len(parts2) > 1 else None)
        if v2 is not None:
            c2 = Candidate(rel, subj, ctx.i, name, value=plain_number(v2))
            c2.qualifiers["unit"] = clean_unit(more.group("u"))
            extra.append(c2)
            yield c2
    if "process" not in m.group(0):
        for u in [unit] + [cc.qualifiers["unit"] for cc in extra]:
            yield from _capacity_product(ctx, subj, name, u)
    hz = re.search(r"\b(?:by|in|from)\s+(20\d\d)\b|\bin the (first [\w\s]+? years)\b|"
                   r"\b(final expansion stage)\b|^\s*(Eventually)\b", ctx.r[m.start():] + " " +
                   ctx.r[:m.start()])
    if hz:
        c.qualifiers["horizon"] = next(g for g in hz.groups() if g).lower()
    yield c


INVEST_IS = (r"(?:is|was|will be|amounts to|will amount to|amounted to|totals|will total|totalled|totaled|"
             r"is estimated at|is expected to be|is expected to reach|is put at|stands at|reaches|will reach|"
             r"is projected at|is valued at|comes to|will come to)")
SPEND = (r"(?:invest|invests|invested|investing|spend|spends|spent|spending|earmark|earmarks|earmarked|"
         r"allocate|allocates|allocated|commit|commits|committed|pour|pours|poured|inject|injects|injected)")


@rule("production-value", "X-production-value",
      r"\bproduction value\s+of\s+{BW}{MONEY:v}",
      r"\b(?:total\s+)?investment\s+of\s+{MONEY:v}\s+(?:for|in)\s+(?:its|the|a)\s+{FAC:f}",
      r"\binvest\s+{MONEY:v}\s+in\s+(?:the\s+|its\s+|two\s+|three\s+|a\s+)?{FAC:f}",
      r"\binvest\s+{BW}{MONEY:v}\s+to\s+(?:build|construct|set up|establish|develop)\s+(?:a|an|the|its)\s+"
      r"{FAC:f}",
      r"{FAC:f}\s*,?\s*(?:[^⟦⟧]{0,40}?)\bin a project valued at\s+{MONEY:v}",
      r"\bproject valued at\s+{MONEY:v}",
      # "The base has a total planned investment of 18 billion yuan"
      r"{FAC:f}\s+(?:(?:[^⟦⟧.;]|⟦(?:LOC|ORG|UNK):\d+⟧){0,100}?\band\s+)?(?:has|had|will have|involves|"
      r"represents|requires)\s+(?:a|an)\s+(?:total\s+)?"
      r"(?:planned\s+|estimated\s+|expected\s+|envisaged\s+)?(?:total\s+)?investment\s+of\s+{BOUND}{MONEY:v}",
      # "The total investment in the plant is EUR 300 million"
      r"\b(?:total\s+)?investment\s+in\s+{FAC:f}\s+(?:is|was|will be|amounts to|totals|is estimated at)\s+"
      r"{BOUND}{MONEY:v}",
      # "the partners will invest a combined KRW 1.1 trillion in the project"
      r"\binvest(?:s|ed|ing)?\s+(?:a\s+(?:combined|total)\s+(?:of\s+)?)?{BOUND}{MONEY:v}\s+in\s+"
      r"(?:the\s+|its\s+|their\s+|a\s+|an\s+)?(?:new\s+)?{FAC:f}",
      # "The plant was built at a cost of SEK 3.4 billion"
      r"{FAC:f}\s+(?:was|is being|will be|has been|is to be)\s+(?:built|constructed|erected)\s+at\s+"
      r"(?:a|an)\s+(?:total\s+|estimated\s+)?cost\s+of\s+{BOUND}{MONEY:v}",
      # "the annual output value of the base is expected to exceed 30 billion yuan"
      r"\b(?:output|production|sales)\s+value\s+of\s+{FAC:f}\s+(?:is|was|will|should)\s+"
      r"(?:expected\s+to\s+|set\s+to\s+)?(?P<verb>exceed|reach|be|top|surpass)\s+{BOUND}{MONEY:v}",
      r"\b(?:annual\s+)?(?:output|sales)\s+value\s+of\s+{BOUND}{MONEY:v}",
      # "the base will have a capacity of ..., and annual sales revenue is expected to reach X"
      r"{FAC:f}\s+will\s+[^⟦⟧]{0,120}?\bannual\s+(?:sales\s+revenue|sales|output value)\s+(?:is|are)\s+"
      r"expected\s+to\s+(?P<verb>exceed|reach|be|top|surpass)\s+{BOUND}{MONEY:v}",
      # "The total investment for the Qinzhou base is estimated at CNY 15 billion",
      # "Investment in the Pune facility will amount to Rs 500 crore"
      rf"(?:\b(?:total\s+|planned\s+|overall\s+)?investment|^\s*⟦(?:ORG|UNK):(?P<iv>\d+)⟧)\s+(?:in|for|of)\s+"
      rf"(?:the\s+|{{ITS}}\s+)?(?:new\s+)?{{FAC:f}}(?:\s+project)?\s+{INVEST_IS}\s+{{BOUND}}{{MONEY:v}}",
      # "will spend ¥30 billion on the Oita plant", "has earmarked KRW 500 billion for ..."
      rf"\b{SPEND}\s+(?:a\s+(?:combined|total)\s+(?:of\s+)?|(?:up\s+to|about|around|some|over)\s+)?"
      rf"{{BOUND}}{{MONEY:v}}\s+(?:on|for|in|into|to)\s+(?:(?:setting up|building|constructing|establishing|"
      rf"developing|expanding)\s+)?(?:the\s+|{{ITS}}\s+|a\s+|an\s+)?(?:new\s+)?{{FAC:f}}",
      rf"\b{SPEND}\s+{{BOUND}}{{MONEY:v}}\s+to\s+(?:build|construct|set up|establish|develop|expand)\s+"
      rf"(?:a|an|the|{{ITS}})\s+(?:new\s+)?{{FAC:f}}",
      # "The Sines refinery, a EUR 1 billion project", "the Nagpur plant, with an investment of ..."
      r"{FAC:f}\s*,\s*(?:a|an)\s+{BOUND}{MONEY:v}\s+(?:project|investment|plant|facility|factory)\b",
      r"{FAC:f}\s*,?\s*(?:[^⟦⟧.;]{0,40}?)\b(?:at|with|for)\s+(?:an?\s+)?(?:total\s+|estimated\s+|planned\s+|"
      r"overall\s+)?(?:investment|cost|outlay|capital expenditure|capex)\s+of\s+{BOUND}{MONEY:v}",
      # "The Gumi plant will cost KRW 1.2 trillion"
      r"{FAC:f}\s+(?:will|would|is expected to|is set to|is estimated to|is projected to|should)\s+cost\s+"
      r"{BOUND}{MONEY:v}",
      )
def production_value(ctx: Ctx, m: re.Match, name: str, rel: str):
    if _gd(m, "iv") and not re.fullmatch(r"(?:(?:Total|Planned|Overall)\s+)?Investment",
                                         ctx.mention(m.group("iv")).text):
        return  # a sentence-initial "Investment" read as a name, not another name
    money = ctx.mention(m.group("v"))
    subj = ctx.cl(_gd(m, "f")) if _gd(m, "f") else None
    if subj is None:
        for pm in reversed(list(PLACEHOLDER.finditer(ctx.r[: m.start()]))):
            if pm.group("t") == "FAC":
                subj = ctx.cl(pm.group("i"))
                break
    if subj is None:
        return
    c = Candidate(rel, subj, ctx.i, name, value=plain_number(money.value))
    c.qualifiers["unit"] = money.unit
    if money.bound:
        c.qualifiers["bound"] = money.bound
    elif _gd(m, "bound"):
        c.qualifiers["bound"] = normal_bound(m.group("bound"))
    elif _gd(m, "verb") in ("exceed", "top", "surpass"):
        c.qualifiers["bound"] = "more than"
    yield c


REV_NOUN = (r"(?:(?:annual|total|consolidated|net|group|full-year|full year|yearly|sales|operating|"
            r"fiscal\s+(?:year\s+)?\d{4}|FY\s?\d{4}|\d{4})\s+){0,3}(?:sales|revenues?|turnover)")
REV_VERB = (r"(?:reported|reports|had|has|posted|posts|recorded|records|generated|generates|achieved|"
            r"achieves|booked|books|registered|registers|realised|realized|realises|realizes|delivered|"
            r"delivers|logged|logs|clocked|with|earned|earns)")
REV_IS = (r"(?:totall?ed|totals|amounted to|amounts to|reached|reaches|was|were|came in at|came to|"
          r"stood at|stands at|(?:rose|fell|increased|decreased|grew|climbed|jumped)\s+(?:[\w\-]+\s+)?to|"
          r"(?:rose|grew|increased)\s+[^⟦⟧.;]{0,30}?\bto|hit|topped|exceeded)")


@rule("revenue", "X-revenue",
      r"{ORG:s}\s+(?:reported|had|posted|recorded|generated|achieved|booked)\s+{MONEY:v}\s+in\s+"
      r"(?:annual\s+)?(?:sales|revenues?|turnover)(?:\s+in\s+(?P<year>\d{4}))?",
      # "X generated revenue of NOK 4.2 billion", "X, which had 2023 revenue of $2.1 billion",
      # "X posted a turnover of Rs 500 crore", "X, with sales of around EUR 850 million"
      rf"{{ORG:s}}\s*,?\s*(?:[^⟦⟧]{{0,50}}?|[^⟦⟧.;]{{0,80}}?\band\s+)\b{REV_VERB}\s+(?:an?\s+)?(?:record\s+)?{REV_NOUN}\s+of\s+"
      rf"{{BW}}{{MONEY:v}}",
      # "With annual revenues of more than $2 billion, Corbin Industries employs ..."
      rf"^\s*(?:[^⟦⟧]{{0,30}}?\b)?[Ww]ith\s+(?:an?\s+)?{REV_NOUN}\s+of\s+{{BW}}{{MONEY:v}}\s*,\s*(?:the\s+)?{{ORG:s}}",
      # "Kessler's 2023 revenue amounted to EUR 1.2 billion", "Revenue at X rose to ..."
      rf"{{ORG:s}}(?:’s|'s)?\s+{REV_NOUN}\s+(?:(?:for|in)\s+(?:the\s+)?(?:fiscal\s+|financial\s+)?(?:year\s+)?"
      rf"(?:\d{{4}}|FY\s?\d{{2,4}}|⟦UNK:\d+⟧)?\s*,?\s*)?{REV_IS}\s+{{BW}}{{MONEY:v}}",
      rf"(?:^\s*⟦UNK:(?P<rv>\d+)⟧|\b(?:[Rr]evenues?|[Ss]ales|[Tt]urnover))\s+(?:at|of)\s+{{ORG:s}}\s+"
      rf"(?:in\s+\d{{4}}\s+)?{REV_IS}\s+{{BW}}{{MONEY:v}}",
      r"{ORG:s}(?:’s|'s)?\s+(?:annual\s+)?(?:sales|revenues?|turnover)\s+(?:for|in)\s+"
      r"(?P<year>\d{4})\s+(?:are|is|was|were)\s+(?:estimated\s+at\s+|expected\s+to\s+be\s+)?"
      r"{BW}{MONEY:v}",
      r"^\s*(?:⟦UNK:(?P<rv>\d+)⟧|(?:(?:Total|Annual|Group)\s+)?(?:Revenues?|Sales|Turnover))"
      r"\s+for\s+the\s+(?:financial\s+)?"
      r"year(?:\s+ended\s+[^⟦⟧]{0,30}?)?\s+(?:amounted\s+to|was|were|reached|totall?ed|"
      r"(?:rose|fell|increased|decreased|grew)\s+to)\s+{BW}{MONEY:v}",
      )
def revenue(ctx: Ctx, m: re.Match, name: str, rel: str):
    if re.search(r"\b(?:monthly|quarterly|run rate|profit)\b", m.group(0)):
        return
    money = ctx.mention(m.group("v"))
    if _gd(m, "rv") and not re.fullmatch(r"(?:(?:Total|Annual|Group|Net)\s+)?(?:Revenues?|Sales|Turnover)",
                                         ctx.mention(m.group("rv")).text):
        return
    if _gd(m, "s") is None:  # "Revenue for the year amounted to ...": the reporting company
        if _gd(m, "rv") and not re.fullmatch(r"(?:(?:Total|Annual|Group)\s+)?(?:Revenues?|Sales|"
                                             r"Turnover)", ctx.mention(m.group("rv")).text):
            return
        prev = ctx.i - 1
        while prev >= 0 and not ctx.a.rendered[prev].strip():
            prev -= 1
        if prev < 0 or not re.search(r"\bresults\b", ctx.a.rendered[prev]):
            return
        subj = Ctx(ctx.a, prev).sentence_org()
        if subj is None or ctx.a.clusters[subj].type not in ("ORG", "UNK"):
            return
        c = Candidate(rel, subj, ctx.i, name, value=plain_number(money.value))
        ye = re.search(r"\byear ended\s+[^⟦⟧.]{0,20}?(\d{4})\b", ctx.a.rendered[prev] + " " + ctx.r)
        if ye:
            c.qualifiers["year"] = ye.group(1)
    else:
        c = ctx.cand(rel, m.group("s"), name, value=plain_number(money.value))
    if c is None:
        return
    c.qualifiers["unit"] = money.unit
    year_rx = r"\b(?:in|for|fiscal(?: year)?|FY|financial year|year ended [^⟦⟧.;]{0,20}?)\s*(\d{4})\b"
    ym = (re.search(r"\b(\d{4})\s+(?:[a-z\-]+\s+){0,2}(?:sales|revenues?|turnover)\b", m.group(0))
          or re.search(year_rx, ctx.r[m.start("v"):])
          or re.search(year_rx, re.sub(r"\b(?:[Ff]ounded|[Ee]stablished|[Ii]ncorporated|[Ss]ince)\s+in\s+\d{4}",
                                       "", ctx.r[:m.start("v")])))
    y = _gd(m, "year") or (ym.group(1) if ym else None)
    if y:
        c.qualifiers["year"] = y
    if money.bound:
        c.qualifiers["bound"] = money.bound
    yield c


def site_purpose_facts(analysis: Analysis) -> Iterator[Candidate]:
    """"a facility to manufacture precursors": the site produces precursors."""
    for site in analysis.mentions:
        if site.kind == "site" and site.cluster >= 0:
            for cue in site.cues:
                if cue.startswith("purpose:"):
                    yield Candidate("P1056", site.cluster, site.sent, "site-purpose",
                                    obj_text=cue.split(":", 1)[1], obj_type="PRODUCT")


_NAMED_AFTER_PLACE = re.compile(r"\b(?:mine|mines|deposit|field|oilfield|project|well|quarry)\s*$",
                                re.I)


def site_name_facts(analysis: Analysis) -> Iterator[Candidate]:
    """A site named after its place or operator: "Qingdao headquarters base" (P276
    Qingdao), "the AtmosZero factory" (AtmosZero X-operates it)."""
    inner = sorted((m.start, k, m) for k, m in enumerate(analysis.mentions)
                   if m.kind in ("name", "alias") and "in-site" in m.cues and m.cluster >= 0)
    starts = [start for start, _, _ in inner]
    for site in analysis.mentions:
        if site.kind != "site" or site.cluster < 0 or "count" in site.cues:
            continue
        within = inner[bisect_left(starts, site.start):bisect_right(starts, site.end)]
        for _, _, m in sorted(within, key=lambda x: x[1]):  # in the order of the text's mentions
            if m.end <= site.end:
                c = analysis.clusters[m.cluster]
                if c.type == "LOC":
                    yield Candidate("P276", site.cluster, site.sent, "site-name-place",
                                    obj=c.id)
                elif c.type in ("ORG", "UNK") and any(
                        "in-site" not in x.cues and x.kind in ("name", "alias") for x in c.mentions):
                    if c.type == "UNK" and _NAMED_AFTER_PLACE.search(site.text):
                        continue  # "the Quebrada Alta copper mine": the mine's own name
                    yield Candidate("X-operates", c.id, site.sent, "site-name-operator",
                                    obj=site.cluster)


_BULLET = re.compile(r"^\s*[•*\-–]\s*⟦(?:ORG|UNK):(?P<u>\d+)⟧\s*:")
_LIST_INTRO = re.compile(r"\b(?:business\s+)?(?:groups|units|divisions|subsidiaries|segments|"
                         r"companies|businesses)\b[^.]*?(?:as follows|include|are)\s*:\s*$")


def bullet_unit_facts(analysis: Analysis) -> Iterator[Candidate]:
    """Bulleted units after "The new business groups are as follows:" belong to the
    organisation the list is about (status planned when the units are new)."""
    intro = None
    for sent in analysis.sentences:
        r = analysis.rendered[sent.index]
        bm = _BULLET.match(r)
        if bm and intro is not None:
            ctx = Ctx(analysis, intro.index)
            parent = ctx.sentence_org() or ctx.salient_org()
            unit = Ctx(analysis, sent.index).cl(bm.group("u"))
            if parent is not None and unit is not None and unit != parent:
                c = Candidate("P749", unit, sent.index, "list-of-units", obj=parent)
                if re.search(r"\bnew\b", intro.text):
                    c.qualifiers["status"] = "planned"
                yield c
            continue
        if _LIST_INTRO.search(r):
            intro = sent
        elif not bm and r.strip():
            intro = None if not r.strip().startswith(("•", "*")) else intro


SKIP_SECTIONS = {"contacts", "forward-looking", "source", "title", "dateline"}
_GATE_TABLE: list = [0, [], [], []]  # rules seen, conditions, groups, other conditions


def _gate_table():
    """``(conditions, groups, rest)``: the distinct gate conditions; the rules grouped
    by the condition they test first (a sentence tests it once for the group); and
    each rule's other conditions, as indexes into the conditions."""
    if _GATE_TABLE[0] != len(GATES):
        index: dict[tuple[str, ...], int] = {}
        ids = [[index.setdefault(c, len(index)) for c in gate] for gate in GATES]
        conds = list(index)
        shared = Counter(c for gate in ids for c in gate)

        def order(c):  # slots of the rarer types, then the conditions most rules share
            slot = all(t.startswith("⟦") for t in conds[c])
            common = slot and any(t in ("⟦ORG:", "⟦UNK:") for t in conds[c])
            return (common, not slot, -shared[c], c)

        ids = [sorted(g, key=order) for g in ids]
        groups: dict[int, list[int]] = {}
        for k, g in enumerate(ids):
            groups.setdefault(g[0] if g else -1, []).append(k)
        _GATE_TABLE[:] = [len(GATES), conds, [(c, tuple(ks)) for c, ks in groups.items()],
                          [tuple(g[1:]) for g in ids]]
    return _GATE_TABLE[1], _GATE_TABLE[2], _GATE_TABLE[3]


_TWO_PARTIES = re.compile(r"\b[Tt]he\s+two\s+(?:companies|partners|groups|firms)\b")


def candidates(analysis: Analysis) -> Iterator[Candidate]:
    """Every candidate fact of every rule over every sentence."""
    conds, groups, rest = _gate_table()
    for sent in analysis.sentences:
        if sent.section in SKIP_SECTIONS:
            continue
        r = analysis.rendered[sent.index]
        if "⟦" not in r and not _TWO_PARTIES.search(r):
            continue  # no name, no fact (but "the two companies" names the release's pair)
        ctx = Ctx(analysis, sent.index)
        known: list[bool | None] = [None] * len(conds)  # condition -> met, as asked
        live: list[int] = []  # rules whose first condition the sentence meets
        for c, rules in groups:
            if c >= 0:
                ok = False
                for t in conds[c]:
                    if t in r:
                        ok = True
                        break
                known[c] = ok
                if not ok:
                    continue
            live += rules
        live.sort()  # rule order
        for k in live:
            met = True
            for c in rest[k]:
                ok = known[c]
                if ok is None:
                    ok = False
                    for t in conds[c]:
                        if t in r:
                            ok = True
                            break
                    known[c] = ok
                if not ok:
                    met = False
                    break
            if not met:
                continue
            name, rel, rx, fn = RULES[k]
            for m in rx.finditer(r):
                for c in fn(ctx, m, name, rel) or ():
                    if c is not None:
                        yield c
    yield from site_name_facts(analysis)
    yield from site_purpose_facts(analysis)
    yield from bullet_unit_facts(analysis)


def encyclopaedic(analysis: Analysis) -> bool:
    """True for an article-style text: no release date, no dateline, no headline line.

    An encyclopaedia records ownership with every parent-subsidiary link and names its
    products; a press annotation does neither.
    """
    found = analysis.__dict__.get("_encyclopaedic")  # asked by many rules: looked up once
    if found is None:
        rel = analysis.release
        found = analysis.__dict__["_encyclopaedic"] = (
            rel.date is None and not rel.dateline_place and not any(
                s.section in ("dateline", "title") for s in analysis.sentences))
    return found


def _majority(percent: str) -> bool:
    try:
        return float(percent) > 50
    except ValueError:
        return False


_BOUGHT_FROM = re.compile(r"\b(?:bought|purchased|acquired|sourced)\s+from\b")


def implied_facts(analysis: Analysis, cands: list[Candidate]) -> list[Candidate]:
    """Facts the stated ones imply: a company held 100 percent is a (wholly owned)
    subsidiary; and, by an article's conventions, a subsidiary is owned by its parent."""
    wholly = [Candidate("P749", c.subj, c.sent, c.rule + "-wholly", obj=c.obj)
              for c in cands if c.relation == "P127" and c.obj is not None
              and c.qualifiers.get("percent") in ("100", "100.0")
              and c.qualifiers.get("status") in (None, "completed")]
    if not encyclopaedic(analysis):
        return wholly
    out = wholly
    for c in cands:
        if c.relation == "P1056" and c.obj is None:
            # an article records named products only: "weapons" is a description
            c.relation = "drop"
        elif c.rule == "brands" and c.obj is not None:
            # an article records a brand with its maker (P176), not the maker's products
            c.relation, c.subj, c.obj, c.rule = "P176", c.obj, c.subj, "brands-maker"
        if c.relation == "P749" and c.qualifiers.get("_parts"):
            c.relation, c.rule = "P361", c.rule + "-parts"
        elif c.relation == "P749" and c.obj is not None and not c.rule.endswith("-holder"):
            # (a trust's hospitals are its subsidiaries; an encyclopaedia does not call
            # them owned)
            out.append(Candidate("P127", c.subj, c.sent, c.rule + "-owner", obj=c.obj))
        elif c.relation == "P127" and c.rule == "owned-by" and c.obj is not None and \
                analysis.clusters[c.obj].type in ("ORG", "UNK") and \
                analysis.clusters[c.subj].type in ("ORG", "UNK") and \
                not c.qualifiers.get("_person"):
            # an organisation owned by another is, for an encyclopaedia, its subsidiary
            out.append(Candidate("P749", c.subj, c.sent, c.rule + "-parent", obj=c.obj))
        elif c.relation == "X-operates" and c.obj is not None and \
                analysis.clusters[c.subj].type in ("ORG", "UNK") and \
                gz.place_kind(analysis.clusters[c.subj].canonical) is None and \
                any(m.kind in ("name", "alias") for m in analysis.clusters[c.obj].mentions):
            # an article's operator of a named thing (a channel, a line, an airport): P137
            out.append(Candidate("P137", c.obj, c.sent, c.rule + "-operator", obj=c.subj))
        elif c.relation == "X-acquires" and c.obj is not None and \
                not _BOUGHT_FROM.search(analysis.sentences[c.sent].text) and \
                c.qualifiers.get("status") in (None, "completed") and (
                    "percent" not in c.qualifiers or _majority(c.qualifiers["percent"])):
            # an article's "was acquired by Y" (or a majority stake): Y has owned it since
            out.append(Candidate("P127", c.obj, c.sent, c.rule + "-owner", obj=c.subj))
    out += _maker_named_models(analysis, cands + out)
    out += _named_after_parent(analysis, cands + out)
    return out



# words that, after an organisation's name, name one of its units ("Orsa Television",
# "Orsa Two", "Orsa World News"); a country after it names a regional arm ("Orsa Canada")
_UNIT_TAIL = frozenset(
    "television tv mobile electronics express news radio online digital labs hd one two three "
    "four europe asia africa america americas international pacific arabia latina world"
    .split())
# words a company's own full name ends in ("Orsa Music" is often Orsa itself): a unit only
# with more after them ("Orsa Music Canada")
_FIRM_TAIL = frozenset(
    "music records pictures entertainment interactive publishing productions studios studio "
    "games films sports software".split())
_CHANNEL_TAIL = frozenset("one two three four news".split())
_MODEL_TOKEN = re.compile(r"(?:\d{3,}|[A-Z]{1,3}\d{1,4}[A-Za-z]?|\d{1,3}[A-Z]{1,2})$")


def _unit_tail(words: list[str]) -> str | None:
    """"unit" when the words after an organisation's name name a unit of it, "region" when
    a country's name ends them, else None."""
    if not words or gz.place_kind(" ".join(words)) == "city":
        return None
    low = [w.lower().rstrip(".") for w in words]
    if not all(w in _UNIT_TAIL or w in _FIRM_TAIL or gz.place_kind(o) == "country"
               for w, o in zip(low, words, strict=True)):
        return None
    if len(words) == 1 and low[0] in _FIRM_TAIL:
        return None
    return "region" if gz.place_kind(words[-1]) == "country" else "unit"


def _named_after_parent(analysis: Analysis, cands: list[Candidate]) -> list[Candidate]:
    """An article's names built on an organisation's name: "Orsa Records", "Orsa Canada"
    or "Orsa Two" is a unit of Orsa (P749, owned: P127); "Orsa Vela 500" or "Orsa T5",
    a numbered model, is a make of Orsa (P176)."""
    have = {(c.relation, c.subj, c.obj) for c in cands}
    clusters = analysis.clusters
    owners = [c for c in clusters if c.type in ("ORG", "UNK") and
              not looks_like_person(c, clusters) and not gz.place_kind(c.canonical)]
    out = []
    for x in clusters:
        if x.type not in ("ORG", "UNK"):  # "Orsa Two" is person-shaped; its tail says not
            continue
        best = None
        for y in owners:
            if y.id == x.id:
                continue
            for yn in y.names:
                if len(yn) < 2 or yn.lower() in gz.demonyms() or \
                        yn.lower().rstrip(".") in gz.org_words():
                    continue
                for xn in x.names:
                    if xn.startswith(yn + " ") and (best is None or len(yn) > len(best[1])):
                        best = (y, yn, xn)
        if best is None:
            continue
        y, yn, xn = best
        rest = xn[len(yn) + 1:].split()
        sent = next((m.sent for m in x.mentions if m.kind == "name"), x.mentions[0].sent)
        kind = _unit_tail(rest)
        if kind:
            # a regional arm is owned (P127); a unit is also a subsidiary
            rels = ("P749", "P127") if kind == "unit" else ("P127",)
            if rest[-1].lower() in _CHANNEL_TAIL:
                rels += ("P137",)  # a broadcaster's numbered or HD channel is run by it
            for rel in rels:
                if (rel, x.id, y.id) not in have and ("P749", y.id, x.id) not in have:
                    out.append(Candidate(rel, x.id, sent, "named-after-parent", obj=y.id))
        elif rest[0][:1].isupper() and _MODEL_TOKEN.match(rest[-1]) and \
                ("P176", x.id, y.id) not in have:
            out.append(Candidate("P176", x.id, sent, "named-after-maker", obj=y.id))
    return out


POSSESSED_UNIT = (r"(?P<unit>division|unit|subsidiary|arm|studio|label|imprint|channel|network|"
                  r"station|newspaper|magazine|airline|brand)")


def _firm_pair(ctx: Ctx, c: Candidate) -> bool:
    """Both sides may be organisations: neither typed a person or a place, nor a person
    named elsewhere ("Bell Atlantic" is shaped like a person's name, and is not one)."""
    return all(ctx.a.clusters[i].type in ("ORG", "UNK") and
               not gz.place_kind(ctx.a.clusters[i].canonical) and
               not surname_of_person(ctx.a.clusters[i], ctx.a.clusters)
               for i in (c.subj, c.obj))


@rule("possessive-unit", "P749",
      # "Orsa's Vell Studio division", "Orsa's television channel Vell TV"
      rf"{{ORG:o}}(?:’s|'s|’)\s+(?:[a-z][\w\-]*\s+){{0,2}}?{{ORG:s}}\s+{POSSESSED_UNIT}\b",
      rf"{{ORG:o}}(?:’s|'s|’)\s+(?:[a-z][\w\-]*\s+){{0,2}}?{POSSESSED_UNIT}\s+(?:the\s+)?{{ORG:s}}",
      )
def possessive_unit(ctx: Ctx, m: re.Match, name: str, rel: str):
    """An article's "Y's X division": X is a unit of Y (P749; by the article's convention
    also owned by it).  A brand is Y's make, not its subsidiary."""
    if not encyclopaedic(ctx.a):
        return
    c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c is None or not _firm_pair(ctx, c) or \
            ctx.mention(m.group("s")).kind not in ("name", "alias"):
        return
    if m.group("unit") == "brand":
        c.relation, c.rule = "P176", name + "-brand"
    yield c


@rule("possessive-purchase", "P127",
      # "following Orsa's purchase of Vell", "after Orsa's acquisition of the Vell Group"
      r"{ORG:o}(?:’s|'s|’)\s+(?:[a-z]+\s+)?(?:purchase|acquisition|takeover|buyout)\s+of\s+"
      r"(?:the\s+)?{ORG:s}(?!\s*(?:’s|'s|’))",
      )
def possessive_purchase(ctx: Ctx, m: re.Match, name: str, rel: str):
    """An article's "Y's purchase of X": Y has owned X since (P127; X its subsidiary)."""
    if not encyclopaedic(ctx.a) or q.negated(m.group(0)) or \
            re.search(r"\b(?:failed|planned|proposed|attempted|blocked|abandoned)\b", ctx.sent.text):
        return
    c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c is None or ctx.mention(m.group("s")).kind not in ("name", "alias") or \
            not _firm_pair(ctx, c):
        return
    yield c
    yield Candidate("P749", c.subj, ctx.i, name + "-parent", obj=c.obj)


MAKE_VERB = (r"(?:produced|produces|produce|producing|makes|made|making|manufactured|"
             r"manufactures|manufacturing|built|builds|developed|develops|designed|designs)")
_ITEM_GAP = re.compile(r"\s*(?:,\s*)?(?:and\s+|or\s+|as\s+well\s+as\s+)?(?:the\s+)?"
                       r"(?:(?:larger|smaller|later|earlier|popular|new|original|first|"
                       r"second|compact|luxury|flagship)\s+)?$")


def _items_after(ctx: Ctx, pos: int, types=("UNK",)) -> list[str]:
    """Mention indexes of the names listed from ``pos`` on ("the A and the larger B, C")."""
    out = []
    for x in PLACEHOLDER.finditer(ctx.r, pos):
        gap = ctx.r[pos:x.start()]
        if re.search(r"[.;:(]", gap) or not _ITEM_GAP.match(gap):
            break
        out.append(x.group("i"))
        pos = x.end()
        if x.group("t") not in types:
            out.pop()
            break
    return out


@rule("makes-listed", "P176",
      # "In the 1970s Orsa produced several moped lines including the Vela and the larger Nova"
      rf"{{ORG:o}}\s+(?:also\s+|later\s+|then\s+|has\s+|had\s+)?{MAKE_VERB}\s+[^.;⟦⟧]{{0,80}}?"
      rf"\b(?:including|such\s+as|notably|among\s+them)\s+(?:the\s+)?(?=⟦UNK:\d+⟧)",
      # "Orsa is best known for its range of rockets such as the Vela and the Nova"
      r"{ORG:o}\s+(?:is|was|became)\s+(?:best|well|widely)\s+known\s+for\s+"
      r"(?:[^.;⟦⟧]|⟦(?:ORG|UNK):\d+⟧){0,100}?"
      r"\b(?:including|such\s+as|like|notably)\s+(?:the\s+)?(?=⟦UNK:\d+⟧)",
      # "Orsa produced trucks and buses under the Vela and Nova brands"
      rf"{{ORG:o}}\s+(?:also\s+)?{MAKE_VERB}\s+[^.;⟦⟧]{{0,80}}?\bunder\s+the\s+(?=⟦UNK:\d+⟧)",
      )
def makes_listed(ctx: Ctx, m: re.Match, name: str, rel: str):
    """An article's named products listed after what a maker makes: each is its make."""
    if not encyclopaedic(ctx.a) or q.negated(m.group(0)):
        return
    items = _items_after(ctx, m.end())
    if m.group(0).endswith("under the ") and not re.match(
            r"(?:\s*(?:,\s*)?(?:and\s+|or\s+)?(?:[^⟦⟧.;]{0,30}?)⟦UNK:\d+⟧)*\s+brands?\b",
            ctx.r[m.end():]):
        return
    maker = ctx.cl(m.group("o"))
    if maker is None or not _firm_pair(ctx, Candidate(rel, maker, ctx.i, name, obj=maker)):
        return
    for i in items:
        c = ctx.cand(rel, i, name, m.group("o"))
        if c and ctx.mention(i).kind in ("name", "alias") and \
                not looks_like_person(ctx.a.clusters[c.subj], ctx.a.clusters) and \
                gz.place_kind(ctx.a.clusters[c.subj].canonical) is None:
            yield c


_PART_GAP = re.compile(r"(?:\s+(?:at|in|on)\s+(?:the\s+)?⟦(?:UNK|LOC|FAC):\d+⟧)?\s*(?:,\s*)?"
                       r"(?:and\s+)?(?:the\s+)?$")


@rule("comprises-list", "P361",
      # "It comprises A, B at C, the D, the E and the F"
      r"{ORG:o}{PAR}\s*(?:,\s*)?(?:is\s+)?(?:made\s+up\s+of|consists\s+of|comprises|comprising)\s+"
      r"(?:the\s+)?(?=⟦(?:ORG|UNK|FAC):\d+⟧)",
      )
def comprises_list(ctx: Ctx, m: re.Match, name: str, rel: str):
    """An article's whole and the named parts it comprises, each written with or without
    "the" and with its place ("A at C"): each is a part (P361)."""
    if not encyclopaedic(ctx.a) or q.negated(m.group(0)):
        return
    pos = m.end()
    for x in PLACEHOLDER.finditer(ctx.r, pos):
        gap = ctx.r[pos:x.start()]
        if x.group("t") not in ("ORG", "UNK", "FAC") or not _PART_GAP.match(gap) or \
                re.search(r"[.;:(]", gap):
            if x.group("t") in ("LOC", "UNK", "FAC") and re.fullmatch(
                    r"\s+(?:at|in|on)\s+(?:the\s+)?", gap):
                pos = x.end()  # "A at C": the place of the part before
                continue
            break
        pos = x.end()
        c = ctx.cand(rel, x.group("i"), name, m.group("o"))
        if c and ctx.mention(x.group("i")).kind in ("name", "alias") and \
                not looks_like_person(ctx.a.clusters[c.subj], ctx.a.clusters) and \
                gz.place_kind(ctx.a.clusters[c.subj].canonical) is None:
            yield c
            if _HOLDER_NAME.search(ctx.a.clusters[c.obj].canonical):
                # a trust's or a group's parts are its subsidiaries as well
                yield Candidate("P749", c.subj, ctx.i, name + "-holder", obj=c.obj)


_HOLDER_NAME = re.compile(r"\b(?:Trust|Group|Holdings|Corporation|Company|Conglomerate)$")


POSSESSED_KINDS = (r"(?P<kind>offerings|services|channels|networks|stations|properties|franchises|"
                   r"brands|labels|imprints|titles|newspapers|magazines|subsidiaries|divisions|"
                   r"units|businesses|companies|products|games|consoles|devices|models|cars|"
                   r"vehicles|aircraft)")


@rule("possessive-list", "P127",
      # "Orsa's online media offerings, such as A, B, and C", "Orsa's brands including A"
      rf"{{ORG:o}}(?:’s|'s|’)\s+(?:[a-z][\w\-]*\s+){{0,3}}?{POSSESSED_KINDS}\s*,?\s*(?:such\s+as|"
      rf"including|like|namely|among\s+them)\s+(?:the\s+)?(?=⟦(?:ORG|UNK):\d+⟧)",
      # "until the channel's owner, Orsa, decided ..."
      r"{ORGF:s}(?:’s|'s|’)\s+(?:then\s+|former\s+|new\s+|current\s+)?owner\s*,\s*(?:the\s+)?"
      r"{ORG:o}\s*,",
      )
def possessive_list(ctx: Ctx, m: re.Match, name: str, rel: str):
    """An article's "Y's offerings such as A, B and C": each is Y's (P127); a subsidiary,
    division or unit is also its subsidiary (P749); a product or game is its make (P176)."""
    if not encyclopaedic(ctx.a) or q.negated(m.group(0)) or "former" in m.group(0):
        return
    if _gd(m, "s") is not None:
        c = ctx.cand(rel, m.group("s"), name, m.group("o"))
        if c and _firm_pair(ctx, c) and not looks_like_person(ctx.a.clusters[c.obj],
                                                              ctx.a.clusters):
            yield c
        return
    kind = m.group("kind")
    owner = m.group("o")
    for i in _items_after(ctx, m.end(), ("ORG", "UNK")):
        c = ctx.cand(rel, i, name, owner)
        if c is None or ctx.mention(i).kind not in ("name", "alias") or not _firm_pair(ctx, c):
            continue
        if kind in ("products", "games", "consoles", "devices", "models", "cars", "vehicles",
                    "aircraft"):
            c.relation, c.rule = "P176", name + "-make"
            yield c
            continue
        yield c
        if kind in ("subsidiaries", "divisions", "units", "businesses", "companies"):
            yield Candidate("P749", c.subj, ctx.i, name + "-unit", obj=c.obj)


_DEVICE_AFTER = re.compile(r"\s+(?:(?:home|video\s+game|game|handheld|mobile|personal|tablet|"
                           r"sports)\s+)?(?:console|computer|phone|smartphone|handset|tablet|car|"
                           r"sedan|coupe|hatchback|truck|van|motorcycle|aircraft|airliner|jet|"
                           r"helicopter|locomotive|engine|processor|chip|camera|rifle|pistol)s?\b")


def _maker_named_models(analysis: Analysis, cands: list[Candidate]) -> list[Candidate]:
    """A model named after its maker ("the Orsa Nova 5" of a maker Orsa): in an article
    where the organisation is stated to make things, such a product, used as a noun with
    its article, is its make (P176)."""
    makers = {c.obj for c in cands if c.relation == "P176" and c.obj is not None} | \
        {c.subj for c in cands if c.relation == "P1056"}
    text = analysis.release.text
    # "the Vela 5200 console": the device word says the name is a make
    devices = {c.id for c in analysis.clusters if c.type == "UNK" and any(
        m.kind == "name" and _DEVICE_AFTER.match(text, m.end) for m in c.mentions)}
    have = {(c.subj, c.obj) for c in cands if c.relation == "P176"}
    out = []
    for mk in range(len(analysis.clusters)):
        org = analysis.clusters[mk]
        if org.type not in ("ORG", "UNK"):
            continue
        for prod in analysis.clusters:
            if mk not in makers and prod.id not in devices:
                continue
            if prod.id == mk or prod.type != "UNK" or (prod.id, mk) in have:
                continue
            name = prod.canonical
            heads = list(org.names) + [n.rsplit(None, 1)[0].rstrip(",") for n in org.names
                                              if " " in n and n.split()[-1].lower().rstrip(".")
                                              in gz.LEGAL_FORMS]
            head = next((n for n in heads if name.startswith(n + " ")), None)
            if head is None or classify_name(name) != "UNK":
                continue
            rest = name[len(head) + 1:].split()
            if not rest or rest[0].lower() in gz.org_words() or not (rest[0][:1].isupper() or
                                                                      rest[0][:1].isdigit()):
                continue
            # used as a model is: "the Orsa Nova 5 was ...", not "the Orsa Cloud apps"
            used = [m for m in prod.mentions if m.kind == "name" and
                    re.search(r"\b[Tt]he\s+$", text[max(0, m.start - 4):m.start]) and
                    (not re.match(r"\s+[a-z]|\s*[/&+]", text[m.end:]) or
                     _DEVICE_AFTER.match(text, m.end))]
            if used:
                out.append(Candidate("P176", prod.id, used[0].sent, "maker-named-model", obj=mk))
    return out



# --- encyclopaedic phrasing (products, operators, parts, employers, dissolution) --------

MADE_BY = (r"(?:developed|produced|manufactured|built|made|designed|marketed|released|"
           r"published|created|launched|introduced|sold)")


@rule("made-by", "P176",
      rf"{{PROD:s}}\s*(?:\([^()]*\)\s*)?(?:series\s+|line\s+|range\s+|family\s+)?(?:,\s*)?"
      rf"(?:is|was|are|were)\s+(?:a|an|the)\s+{{AGAP}}\b{MADE_BY}\s+by\s+{{ORG:o}}",
      rf"{{PROD:s}}\s*(?:\([^()]*\)\s*)?,\s*(?:a|an|the)\s+{{AGAP}}\b{MADE_BY}\s+by\s+{{ORG:o}}",
      )
def made_by(ctx: Ctx, m: re.Match, name: str, rel: str):
    text = m.group(0)
    if re.search(r"\b(?:published|released)\b", text) and not re.search(
            r"\b(?:game|console|software|device|phone|player|computer|system)\b", text):
        return
    # a creative work (show, film, game, franchise) has a producer or publisher, not a
    # manufacturer
    if re.search(r"\b(?:television|TV|series|show|film|movie|franchise|album|song|novel|book|"
                 r"magazine|newspaper|programme|program|game)\b", text) and not re.search(
            r"\b(?:console|device|player|phone|smartphone|computer|vehicle|car|aircraft)s?\b", text):
        return
    c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c and ctx.a.clusters[c.obj].type in ("ORG", "UNK"):
        yield c
        if encyclopaedic(ctx.a) and re.search(r"\b(?:is|was|are|were)\s+(?:a|an|the)\s+"
                                              r"(?:[\w\-]+\s+){0,2}?brand\b", text):
            # "X is a brand name of fabric softener produced by Y": Y owns the brand
            yield Candidate("P127", c.subj, ctx.i, name + "-brand", obj=c.obj)


@rule("operated-by", "P137",
      r"{SITE:s}\s*(?:\([^()]*\)\s*)?(?:,\s*)?(?:is|was|are|were|,)?\s*(?:a|an|the)?\s*{AGAP}"
      r"\b(?:operated|managed|run|maintained|administered)\s+(?:under\s+(?:a\s+)?contract\s+)?"
      r"by\s+(?:the\s+)?{ORG:o}",
      r"{ORG:o}\s*(?:\([^()]*\)\s*)?(?:also\s+)?(?:operates|operated|runs|ran|manages|managed)\s+"
      r"(?:the\s+)?{SITE:s}",
      # "Y operated a commuter service named the X"
      r"{ORG:o}\s+(?:also\s+)?(?:operates|operated|runs|ran)\s+(?:a|an)\s+[^⟦⟧.;,]{0,40}?\b"
      r"(?:named|called|known as)\s+(?:the\s+)?{SITE:s}",
      # "X was a US Army training camp", "X is a Navy air station"
      r"{SITE:s}{PAR}\s+(?:is|was)\s+(?:a|an)\s+(?:former\s+)?{ORG:o}\s+(?:[a-z\-]+\s+){0,2}?"
      r"(?P<kind>camp|base|air base|airfield|air station|naval station|depot|barracks|airport|"
      r"station|fort|range|formation|brigade|battalion|regiment|squadron|flotilla|destroyer|"
      r"frigate|cruiser|submarine|warship|aircraft\s+carrier|gunboat|torpedo\s+boat)\b",
      # "X was one of six torpedo boats built for the German Navy"
      r"{PROD:s}\s+(?:is|was)\s+(?:a|an|the|one)\s+{AGAP}\b(?:built|commissioned|ordered|designed)\s+"
      r"for\s+the\s+{ORG:o}",
      )
def operated_by(ctx: Ctx, m: re.Match, name: str, rel: str):
    sm = ctx.mention(m.group("s"))
    if sm.kind not in ("name", "alias") and "article-subject" not in sm.cues:
        # an article's operator runs a named thing, not "its catchments": a named thing may
        # follow within the same stretch ("its catchments lie within the X, which is run by Y")
        later = m.re.search(ctx.r, m.end("s"), m.end())
        if later is not None:
            yield from operated_by(ctx, later, name, rel)
        return
    if q.negated(m.group(0)):
        return
    if "built for" in m.group(0) or "commissioned for" in m.group(0) or \
            "ordered for" in m.group(0) or "designed for" in m.group(0):
        # a ship or aircraft built for a navy, an army, an air force or an airline
        if not re.search(r"\b(?:Navy|Army|Air Force|Marines?|Coast Guard|Airlines?|Airways)\b",
                         ctx.mention(m.group("o")).text):
            return
    c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c and ctx.a.clusters[c.obj].type in ("ORG", "UNK"):
        yield c


# an aside naming the thing otherwise: ", also referred to as A or B or simply C,"
ALSO_KNOWN = r"\s*,\s*(?:also\s+)?(?:known|referred to|called)\s+as\s+(?:[^⟦⟧,.;]|⟦[A-Z]+:\d+⟧){0,120}?,\s*"
UNIT_NOUN = (r"(?P<unit>flagship|subsidiary|division|unit|arm|command|business school|school|college|"
             r"faculty|department|branch|affiliate|imprint|label|wing|member company|part)")


@rule("unit-of", "P749",
      rf"{{ORG:s}}{{PAR}}\s*(?:,\s*[^⟦⟧]{{0,80}}?,\s*|{ALSO_KNOWN})?(?:is|was|became|has been)\s+(?:a|an|the)\s+"
      rf"(?:[\w\-’']+\s+){{0,3}}?{UNIT_NOUN}\s+of\s+(?:the\s+)?(?:[a-z][\w\-]*\s+){{0,2}}?{{ORG:o}}",
      r"{ORG:s}\s+(?:\w+\s+)?belonged\s+to\s+(?:the\s+)?(?:[\w\-]+\s+){0,2}?{ORG:o}",
      )
def unit_of(ctx: Ctx, m: re.Match, name: str, rel: str):
    text = m.group(0)
    if q.negated(text) or re.search(r"\b(?:former|formerly|once)\b", text):
        return
    c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c is None or ctx.a.clusters[c.obj].type not in ("ORG", "UNK") or \
            looks_like_person(ctx.a.clusters[c.subj], ctx.a.clusters) or \
            _cut_short(ctx, m.group("o")):
        return
    unit = _gd(m, "unit") or ""
    if unit != "part":  # "a part of": a component, not a subsidiary
        yield c
    if unit in ("division", "command", "business school", "school", "college", "faculty",
                "department", "branch", "wing", "part"):
        p = ctx.cand("P361", m.group("s"), name + "-part", m.group("o"))
        if p:
            yield p


@rule("owned-by", "P127",
      r"{ORGF:s}\s*(?:\([^()]*\)\s*)?(?:,\s*)?(?:is|was|are|were|has been)\s+(?:\w+\s+){0,2}?"
      r"(?:owned|controlled)\s+by\s+(?:and\s+(?:based|located|housed)\s+(?:at|in)\s+)?(?:the\s+)?{ORG:o}",
      r"{ORG:o}\s+(?:has\s+|had\s+)?(?:also\s+)?owned\s+{ORG:s}",
      r"{ORGF:s}\s*,\s*(?:a|an|the)\s+{AGAP}\b(?:owned|controlled)\s+by\s+(?:the\s+)?{ORG:o}",
      # "X is a local station and is owned by Y", "X is branded as 101.5 The Bay and is owned by Y"
      r"{ORGF:s}\s+(?:is|was)\s+(?:[^⟦⟧.;]|(?<=\d)\.(?=\d)|⟦(?:LOC|UNK):\d+⟧){0,60}?\band\s+(?:is|was)\s+"
      r"(?:\w+\s+)?(?:owned|controlled)\s+by\s+(?:the\s+)?{ORG:o}",
      r"{ORGF:s}\s+(?:is|was)\s+(?:\w+\s+)?owned\s+by\s+(?:[a-z]+\s+)?{PERU:op}",
      r"{ORGF:s}\s+(?:is|was)\s+one\s+of\s+(?:the\s+)?[^⟦⟧.;]{0,40}?\bowned\s+by\s+(?:the\s+)?"
      r"{ORG:o}",
      # "X is a Y-owned newspaper", "the Y-owned X"
      r"{ORGF:s}{PAR}\s*(?:,|\s+(?:is|was))\s+(?:a|an)\s+{ORG:o}-(?:owned|controlled)\b",
      r"\b(?:the|a|an)\s+{ORG:o}-(?:owned|controlled)\s+(?:[a-z\-]+\s+){0,3}?{ORGF:s}",
      # "X is a regional radio network owned by Y"
      r"{ORGF:s}\s*(?:\([^()]*\)\s*)?(?:is|was)\s+(?:a|an)\s+(?:[^⟦⟧.;,]|⟦(?:LOC|UNK):\d+⟧){0,60}?"
      r"\b(?:owned|controlled)\s+"
      r"by\s+(?:the\s+)?{ORG:o}",
      # "X is a distribution company headquartered in London and owned by Y"
      r"{ORGF:s}{PAR}\s+(?:is|was)\s+(?:a|an|the)\s+(?:[^.;⟦⟧]|⟦LOC:\d+⟧){0,120}?\band\s+"
      r"(?:is\s+|was\s+)?(?:wholly\s+|majority\s+|jointly\s+)?owned\s+by\s+(?:the\s+)?{ORG:o}",
      )
def owned_by(ctx: Ctx, m: re.Match, name: str, rel: str):
    text = m.group(0)
    outside = re.sub(r"\([^()]*\)", "", text)  # "(formerly Z)" is a former name, not owner
    if q.negated(text) or re.search(r"\b(?:formerly|previously|once|until)\b", outside) or \
            re.search(r"\bwholly[\s\-]owned\b", text):
        return
    person = _gd(m, "op")  # the pattern whose owner may be an untyped person's name
    c = ctx.cand(rel, m.group("s"), name, person or m.group("o"))
    if c and person and ctx.mention(person).type == "UNK" and \
            not looks_like_person(ctx.a.clusters[c.obj], ctx.a.clusters):
        return
    if c and ctx.a.clusters[c.obj].type in ("ORG", "UNK", "PER"):
        if re.search(r"\bby\s+(?!the\b)[a-z]+\s+⟦[A-Z]+:\d+⟧$", text):
            c.qualifiers["_person"] = "1"  # "owned by producer X": a person, no parent company
        pm = _WHICH_HOLDS.match(ctx.r, m.end())
        if pm:
            c.qualifiers["percent"] = _percent(ctx, pm.group(1))
        yield c


@rule("backed-by", "P127",
      r"{ORG:s}{PAR}\s+(?:is|was|has been|are|were)\s+(?:also\s+|currently\s+)?(?:backed|funded|"
      r"financed)\s+by\s+(?:[\w\-]+\s+){0,4}?(?:investors|backers|shareholders|investment firms|"
      r"venture capital firms|funds)\s*,?\s*(?:including|such as|like|among them)\s+(?:[Tt]he\s+)?"
      r"{AGENTS:o}",
      r"{ORG:s}(?:’s|'s)\s+(?:[\w\-]+\s+){0,2}?(?:investors|backers|shareholders)\s+"
      r"(?:include|includes|included)\s+(?:[Tt]he\s+)?{AGENTS:o}",
      )
def backed_by(ctx: Ctx, m: re.Match, name: str, rel: str):
    """Investors named as backing a company hold a part of it: "X is backed by investors
    including A, B and C"."""
    if q.negated(m.group(0)) or q.speculative(m.group(0)):
        return
    for o in ids(m.group("o")):
        c = ctx.cand(rel, m.group("s"), name, o)
        if c and ctx.a.clusters[c.subj].type in ("ORG", "UNK") and \
                ctx.a.clusters[c.obj].type in ("ORG", "UNK", "PER"):
            yield c
    # a fund named by a number ("2150") stands in the list without a mention
    for num in re.findall(r"(?:^|,\s*)(\d{3,5})(?=\s*,)", m.group("o")):
        c = ctx.cand(rel, m.group("s"), name)
        if c and ctx.a.clusters[c.subj].type in ("ORG", "UNK"):
            c.obj_text, c.obj_type = num, "ORG"
            yield c


@rule("member-of", "P463",
      r"{ORG:s}\s+(?:is|was|became|has been)\s+(?:a|an)\s+(?:founding\s+|full\s+|associate\s+)?"
      r"member\s+of\s+(?:the\s+)?{ORG:o}",
      # "Tarnland is a member state of the Orsa Union", "X is one of the founding members of Y"
      r"⟦(?:ORG|UNK|LOC):(?P<s>\d+)⟧\s+(?:is|was|became|has been)\s+(?:a|an)\s+"
      r"(?:founding\s+|full\s+|associate\s+)?"
      r"member(?:\s+(?:state|country|nation|school|club|institution))?\s+of\s+(?:the\s+)?{ORG:o}",
      r"{ORG:s}\s+(?:is|was)\s+one\s+of\s+the\s+(?:\w+\s+)?(?:founding\s+)?members\s+of\s+(?:the\s+)?"
      r"{ORG:o}",
      r"{ORG:s}\s+joined\s+(?:the\s+)?{ORG:o}\s+as\s+(?:a|an)\s+member",
      )
def member_of(ctx: Ctx, m: re.Match, name: str, rel: str):
    c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c and ctx.a.clusters[c.subj].type in ("ORG", "UNK", "LOC") and \
            not looks_like_person(ctx.a.clusters[c.subj], ctx.a.clusters) and \
            not surname_of_person(ctx.a.clusters[c.subj], ctx.a.clusters) and \
            ctx.a.clusters[c.obj].type in ("ORG", "UNK"):
        yield c


@rule("body-of", "P361",
      # "the National Executive Board of the Orsa Union", "(including the A, the B and the C)"
      r"{ORG:s}\s+of\s+the\s+{ORG:o}",
      r"{ORG:o}\s*\(\s*including\s+(?:the\s+)?(?P<s>(?=⟦(?:ORG|UNK):\d+⟧))",
      # "X is one of several schools of Y", "X is one of the four colleges of the Y"
      r"{ORG:s}{PAR}\s+(?:is|was|became)\s+one\s+of\s+(?:the\s+)?(?:[a-z\-]+\s+){0,2}?"
      r"(?:schools|colleges|faculties|institutes|divisions|units|campuses|constituent\s+"
      r"(?:colleges|institutions|units|bodies))\s+of\s+(?:the\s+)?{ORG:o}(?!\s*(?:’s|'s))",
      # "Since 1773 X is part of the Y's company"
      r"{ORG:s}\s+(?:is|was|has\s+been)\s+(?:a\s+)?part\s+of\s+(?:the\s+)?{ORG:o}(?:’s|'s)\s+"
      r"(?:company|ensemble|organi[sz]ation|group|family|network|system)\b",
      )
def body_of(ctx: Ctx, m: re.Match, name: str, rel: str):
    """A named body of a named whole, and the named members of a whole listed after it."""
    if not encyclopaedic(ctx.a) or q.negated(m.group(0)):
        return
    if "including" in m.group(0):
        # "the X (including the A, the B and other elements)": each listed name
        subs = _items_after(ctx, m.end(), ("ORG", "UNK"))
        if not re.match(r"(?:\s*(?:,\s*)?(?:and\s+)?(?:the\s+)?⟦(?:ORG|UNK):\d+⟧)*\s*"
                        r"(?:(?:,\s*)?and\s+other\s+[a-z]+\s*)?\)", ctx.r[m.end():]):
            return
    elif not re.search(r"\b(?:one|part) of\b", m.group(0)) and \
            not _BODY.search(ctx.mention(m.group("s")).text):
        return
    else:
        subs = ids(m.group("s"))
    for s_ in subs:
        c = ctx.cand(rel, s_, name, m.group("o"))
        if c and ctx.a.clusters[c.obj].type in ("ORG", "UNK") and \
                ctx.a.clusters[c.subj].type in ("ORG", "UNK"):
            yield c


_BODY = re.compile(r"\b(?:Committee|Council|Board|Commission|Secretariat|Assembly|Senate|Chamber|"
                   r"Directorate|Presidium|Politburo|Bureau|Executive)$")


@rule("part-of", "P361",
      r"{ORG:s}\s*(?:\([^()]*\)\s*)?(?:,\s*)?(?:is|was|are|were)\s+(?:a|an|the)\s+"
      r"(?:[\w\-]+\s+){0,2}?(?:part|component|constituent|division|branch|section|wing|arm)\s+"
      r"of\s+(?:the\s+)?{ORG:o}",
      # "X is part of the worldwide Y": a named whole, not "the Y region"
      r"{ORG:s}\s*(?:\([^()]*\)\s*)?(?:,\s*)?(?:is|was|are|were|has been|have been)\s+"
      r"(?:an?\s+)?(?:integral\s+|constituent\s+)?part\s+of\s+(?:the\s+)?(?:[a-z][\w\-]*\s+){0,2}?"
      r"{ORG:o}(?!\s*(?:’s|'s|[\w\-–]))",
      )
def part_of(ctx: Ctx, m: re.Match, name: str, rel: str):
    if ctx.mention(m.group("s")).kind == "pronoun" and " part of" in m.group(0) and \
            not re.search(r"\b(?:a|an|the)\s+(?:[\w\-]+\s+){0,2}?part of", m.group(0)):
        return
    c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c and ctx.a.clusters[c.obj].type in ("ORG", "UNK") and not _cut_short(ctx, m.group("o")):
        yield c


def _cut_short(ctx: Ctx, mention_index: str) -> bool:
    """A name running on in capitals ("the Tarn Indian Hills District"): only a piece of
    it is a mention, so it is no party to a fact."""
    return bool(re.match(r"\s+[A-Z][a-z]", ctx.a.release.text[ctx.mention(mention_index).end:]))


_COMPANY_END = re.compile(r"\b(?:Television|Pictures|Studios?|Records|Entertainment|Airlines?|"
                          r"Airways|Publishing|Press|Media|Games|Motors|Software|Networks?|"
                          r"Productions|Films|Music|Interactive|Electronics)$")


def _possessive_part(ctx: Ctx, m: re.Match, name: str, rel: str, fits) -> Iterator[Candidate]:
    """An article's "Y's X" where ``fits(x, y)`` says X is a part or company of Y."""
    if not encyclopaedic(ctx.a):
        return
    sub, whole = ctx.mention(m.group("s")), ctx.mention(m.group("o"))
    if sub.kind != "name" or whole.kind not in ("name", "alias") or not fits(sub, whole):
        return
    c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c:
        yield c


@rule("owners-company", "P749",
      r"(?:\bthe\s+)?{ORGX:o}(?:’s|'s|’|')\s+{ORG:s}(?!\s*(?:’s|'s|[a-z]))",
      )
def owners_company(ctx: Ctx, m: re.Match, name: str, rel: str):
    """An article's "Halvard Media's Vell Pictures": a company of a company."""
    yield from _possessive_part(ctx, m, name, rel, lambda sub, whole: bool(
        _COMPANY_END.search(sub.text)) and not sub.text.startswith(whole.text))


_UNIT_NAME = re.compile(r"^(?:[A-Z][\w\-]+\s+){0,4}?(?:School|College|Faculty|Department|Institute|"
                        r"Library|Museum|Press|Hospital|Laboratory|Laboratories)\b")
_WHOLE_NAME = re.compile(r"\b(?:University|Universität|Université|Universidad|College|Academy|"
                         r"Institute)\b")


@rule("school-of", "P361",
      r"(?:\bthe\s+)?{ORG:o}(?:’s|'s|’|')\s+{ORG:s}",
      )
def school_of(ctx: Ctx, m: re.Match, name: str, rel: str):
    """An article's "the University's Law School": a named school of a named university
    (not "School of Podiatric medicine", a name cut short)."""
    yield from _possessive_part(ctx, m, name, rel, lambda sub, whole: bool(
        _UNIT_NAME.match(sub.text) and _WHOLE_NAME.search(whole.text)
        and not re.match(r"\s+[a-z]", ctx.a.release.text[sub.end:])))


JOB = (r"(?i:professor|lecturer|reader|researcher|research fellow|fellow|scientist|engineer|"
       r"journalist|editor|columnist|correspondent|reporter|presenter|anchor|analyst|economist|"
       r"employee|executive|teacher|instructor|coach|astronaut|physician|surgeon|curator|"
       r"conductor|librarian|academician)")
_NOT_WORK = re.compile(r"\b(?:stud(?:y|ied|ies|ying)|graduated|educated|trained|born|degree|"
                       r"doctorate|received|earned|attended|enrolled|student|alumn\w*|visited)\b",
                       re.I)


def article_person(ctx: Ctx) -> int | None:
    """The person an article is about: the cluster named like its title (articles only)."""
    if not encyclopaedic(ctx.a):
        return None
    title = re.sub(r"\s*\([^()]*\)\s*$", "", ctx.a.release.title or "").strip().lower()
    if not title:
        return None
    ends = (title.split()[0], title.split()[-1])
    for c in ctx.a.clusters:
        # "Amos Hochstein" titles the article of "Amos J. Hochstein"
        if any(n.lower() == title or len(n.split()) > 2 and
               (n.split()[0].lower(), n.split()[-1].lower()) == ends for n in c.names) and \
                looks_like_person(c, ctx.a.clusters):
            return c.id
    return None


def full_person(ctx: Ctx, cluster: int) -> int:
    """A surname alone ("Mr. Leonard") as the person named in full elsewhere in the text."""
    words = ctx.a.clusters[cluster].canonical.split()
    if len(words) == 1:
        for c in ctx.a.clusters:
            if c.id != cluster and c.type in ("PER", "UNK") and len(c.canonical.split()) > 1 and \
                    c.canonical.split()[-1] == words[0] and looks_like_person(c, ctx.a.clusters):
                return c.id
    return cluster


@rule("employer", "P108",
      r"{PERU:s}\s+(?:[^⟦⟧]{0,30}?\b)?(?:worked|works|working|work)\s+(?:as\s+[^⟦⟧]{1,40}?\s+)?"
      r"(?:for|at|with)\s+(?:the\s+)?{ORG:o}",
      r"{PERU:s}\s+(?:[^⟦⟧]{0,20}?\b)?joined\s+(?:the\s+)?(?:(?:faculty|staff)\s+of\s+(?:the\s+)?)?"
      r"{ORG:o}",
      r"{PERU:s}\s*(?:\([^()]*\)\s*)?,?\s*(?:is|was)\s+(?:a|an|the)\s+[^⟦⟧]{0,60}?\b(?:professor|"
      r"lecturer|researcher|fellow|engineer|journalist|editor|correspondent|employee|analyst|"
      r"executive|director|officer|president|chairman|CEO|founder|manager)\s+(?:[^⟦⟧]{0,40}?\s)?"
      r"(?:at|of|for|with)\s+(?:the\s+)?{ORG:o}",
      )
@rule("employer-job", "P108",
      # "He is also a professor of history at X", "and a senior editor at the Y"
      rf"(?:^(?:[^⟦⟧]{0,40}?\s)?|[.;:]\s*|,\s*)(?:{{PERU:s}}|(?P<he>[Hh]e|[Ss]he))\s*(?:\([^()]*\)\s*)?,?\s*"
      rf"(?:is|was|became|has been|had been)\s+{{AGAP}}\b(?:(?:a|an|the)\s+)?"
      rf"(?:[\w\-]+\s+){{0,3}}?{JOB}\s+{{AGAP}}\b(?:at|with)\s+(?:the\s+)?{{ORGS:o}}",
      )
@rule("employer-appos", "P108",
      # "Ann Roe, sister of Bo Roe and a professor at the University of Tarn, said ..."
      rf"{{PERU:s}}\s*,\s*(?:[a-z][^⟦⟧,;]{{0,30}}?(?:⟦[A-Z]+:\d+⟧)?\s+and\s+)?(?:a|an|the)\s+"
      rf"(?:[\w\-]+\s+){{0,3}}?{JOB}\s+(?:of\s+[a-z][a-z\s]{{0,30}}?\s+)?(?:at|with)\s+"
      rf"(?:the\s+)?{{ORGS:o}}",
      )
@rule("employer-years", "P108",
      # "He was visiting professor at Tarn (2007), Vell (2009-2011) and Orsa (2015)"
      rf"(?:^(?:[^⟦⟧]{{0,40}}?\s)?|[.;:]\s*|,\s*)(?:{{PERU:s}}|(?P<he>[Hh]e|[Ss]he))\s+(?:is|was|has been)"
      rf"\s+(?:a\s+|an\s+)?(?:[\w\-]+\s+){{0,2}}?{JOB}\s+at\s+(?P<o>(?:⟦[A-Z]+:\d+⟧\s*"
      rf"\((?:[^()]{{0,10}}?\d{{4}}[^()]{{0,12}})\)(?:\s*,\s*(?:and\s+)?|\s+and\s+)?){{2,}})",
      )
@rule("employer-and-job", "P108",
      # "X is an academician at A and a professor at the B": the sentence's person
      rf"\band\s+(?:[a-z]+\s+){{0,3}}?(?:(?:was|is|became)\s+)?(?:a|an)\s+(?:[\w\-]+,?\s+){{0,4}}?{JOB}\s+"
      rf"(?:at|with)\s+(?:the\s+)?{{ORGS:o}}",
      )
@rule("employer-of-the", "P108",
      # "re-measured by Ann Roe and Bo Lind of the Tarn Foundation"
      r"\b(?:by|with)\s+(?P<plist>⟦(?:PER|UNK):\d+⟧(?:\s+and\s+⟦(?:PER|UNK):\d+⟧)?)\s+of\s+the\s+"
      r"{ORGX:o}",
      )
@rule("employer-coach", "P108",
      # "He is currently the manager of Orsa FC", "X became head coach of the Y"
      r"(?:^(?:[^⟦⟧]{0,40}?\s)?|[.;:]\s*|,\s*)(?:{PERU:s}|(?P<he>[Hh]e|[Ss]he))\s+(?:is|was|became|has been)\s+"
      r"(?:currently\s+|later\s+|then\s+)?(?:the\s+)?(?:head\s+coach|manager|coach|[a-z]+\s+coach)\s+"
      r"of\s+(?:the\s+)?{ORG:o}",
      )
@rule("employer-teaches", "P108",
      # "taught at X", "began teaching at the Y", "went on to teach literature at the Z"
      r"(?:^(?:[^⟦⟧]{0,40}?\s)?|[.;:]\s*|,\s*)(?:{PERU:s}|(?P<he>[Hh]e|[Ss]he))\s+[^.;]{0,80}?\b(?:teach(?:es)?|taught|"
      r"teaching|lectured|lectures|lecturing)\s+(?:[a-z]+\s+){0,3}?at\s+(?:the\s+)?{ORGS:o}",
      r"\b(?:and|then|also|previously|later|currently)\s+(?:teaches|taught|lectured)\s+at\s+"
      r"(?:the\s+)?{ORGS:o}",
      )
@rule("employer-media", "P108",
      # "The Daily Courier technology columnist Ann Roe", "NASA astronaut Bo Lind"
      rf"{{ORG:o}}(?:’s|'s)?\s+(?:[a-z]+\s+)?{JOB}\s+{{PER:s}}",
      )
@rule("employer-staff", "P108",
      # "took a position with X", "served on the management team of Y", "on the faculty of Z"
      r"(?:^(?:[^⟦⟧]{0,40}?\s)?|[.;:]\s*|,\s*)(?:{PERU:s}|(?P<he>[Hh]e|[Ss]he))\s+[^⟦⟧.;]{0,40}?\b(?:took\s+a\s+"
      r"(?:position|job|post)\s+with|served\s+on\s+the\s+(?:[\w\-]+\s+){0,3}?(?:team|staff|faculty)"
      r"\s+of|(?:is|was)\s+(?:currently\s+)?on\s+the\s+(?:faculty|faculties|staff)\s+of)\s+"
      r"(?:the\s+)?{ORGS:o}",
      # "In 1904 he obtained his habilitation for medicine at the University of Tarn": the
      # right to teach there
      r"(?:^(?:[^⟦⟧]{0,40}?\s)?|[.;:]\s*|,\s*)(?:{PERU:s}|(?P<he>[Hh]e|[Ss]he))\s+(?:obtained|"
      r"completed|gained)\s+(?:his\s+|her\s+|⟦PER:\d+⟧\s+)?habilitation\b[^⟦⟧.;]{0,40}?\bat\s+"
      r"(?:the\s+)?{ORG:o}",
      )
def employer(ctx: Ctx, m: re.Match, name: str, rel: str):
    # a former employer is still an employer ("former CEO of X")
    text = m.group(0)
    if _NOT_WORK.search(text[: text.rfind("⟦")] if "⟦" in text else text):
        return
    if _gd(m, "plist"):  # several people "of the X"
        for p in ids(m.group("plist")):
            pc = ctx.cl(p)
            oc = ctx.cl(m.group("o"))
            if pc is not None and oc is not None and pc != oc and \
                    looks_like_person(ctx.a.clusters[pc], ctx.a.clusters) and \
                    not re.search(r"\b(?:Party|Movement|Congress|Front|Alliance)\b",
                                  ctx.a.clusters[oc].canonical):  # a party member, no employee
                yield Candidate(rel, full_person(ctx, pc), ctx.i, name, obj=oc)
        return
    subj = _gd(m, "s")
    if subj is not None:
        person = ctx.cl(subj)
        if ctx.mention(subj).kind == "pronoun":  # an article's "he" is its person
            art = article_person(ctx)
            person = art if art is not None else person
    elif _gd(m, "he") is not None:
        person = article_person(ctx)  # an article's unresolved "he": the article's person
    else:  # "... and previously taught at X": the sentence's person
        pm = [ctx.cl(x.group("i")) for x in PLACEHOLDER.finditer(ctx.r[: m.start()])
              if x.group("t") in ("PER", "UNK")]
        pm = [full_person(ctx, c) for c in pm if c is not None]
        pm = [c for c in pm if looks_like_person(ctx.a.clusters[c], ctx.a.clusters)]
        person = pm[0] if pm else None
    if person is None:
        return
    person = full_person(ctx, person)
    if not looks_like_person(ctx.a.clusters[person], ctx.a.clusters):
        return
    objs = ids(m.group("o")) if "⟦" in m.group("o") else [m.group("o")]
    dated = name == "employer-years"  # a list of dated posts names each employer in full
    for o in objs:
        oc = ctx.cl(o)
        if oc is None or oc == person or ctx.a.clusters[oc].type not in ("ORG", "UNK") or \
                ctx.mention(o).kind not in ("name", "alias") or \
                GOVERNMENT.search(ctx.a.clusters[oc].canonical) or \
                surname_of_person(ctx.a.clusters[oc], ctx.a.clusters):
            continue
        one = ctx.a.clusters[oc].canonical.split()
        if len(one) == 1 and (one[0].lower() in gz.org_words() or
                              len(objs) > 1 and ctx.a.clusters[oc].type == "UNK" and not dated):
            # "the School of the Art Institute", "School of Painting, Sculpture and
            # Architecture": a name cut short, not an employer
            continue
        yield Candidate(rel, person, ctx.i, name, obj=oc)


@rule("employer-teacher", "P108",
      # "a doctorate from the University of Tarn, under the supervision of A and B"
      r"\b(?:doctorate|degree|Ph\.?\s?D\.?|habilitation|thesis|dissertation)\s+(?:[^⟦⟧.;]{0,40}?\s)?"
      r"(?:from|at)\s+(?:the\s+)?{ORG:o}(?:\s+in\s+\d{4})?\s*,?\s+under\s+(?:the\s+)?"
      r"(?:supervision\s+of\s+)?{AGENTS:t}",
      # "his doctorate in 1959 under A at the University of Tarn"
      r"\b(?:doctorate|degree|Ph\.?\s?D\.?|habilitation|studies)\b[^.;]{0,60}?\bunder\s+(?:the\s+)?"
      r"(?:supervision\s+of\s+)?{AGENTS:t}\s+at\s+(?:the\s+)?{ORG:o}",
      # "studied music at the Tarn Conservatoire where her teachers included A and B"
      r"\bstud(?:ied|ying)\s+(?:[a-z]+\s+){0,3}?at\s+(?:the\s+)?{ORG:o}\s*,?\s+where\s+(?:his|her|their|⟦PER:\d+⟧)"
      r"\s+teachers\s+(?:included|were)\s+{AGENTS:t}",
      )
def employer_teacher(ctx: Ctx, m: re.Match, name: str, rel: str):
    """A supervisor or teacher at a university is employed there."""
    oc = ctx.cl(m.group("o"))
    if oc is None or ctx.a.clusters[oc].type not in ("ORG", "UNK") or \
            looks_like_person(ctx.a.clusters[oc], ctx.a.clusters):
        return
    for t in ids(m.group("t")):
        pc = ctx.cl(t)
        if pc is not None and pc != oc and looks_like_person(ctx.a.clusters[pc], ctx.a.clusters):
            yield Candidate(rel, full_person(ctx, pc), ctx.i, name, obj=oc)


_ON_DATE = (r"(?:in|on)\s+(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?(?:\d{1,2},?\s+)?"
            r"(?P<y>1[6-9]\d\d|20[0-4]\d)\b")
_SUCCESSION_THING = r"(?:company|business|entity|group|firm|organi[sz]ation|airline|club|party|bank)"


@rule("succession", "P1366",
      # "X merged with Y; the combined business began trading under the new name of Z on ..."
      rf"{{ORG:a}}\s+merged\s+with\s+(?:the\s+)?{{ORG:b}}\s*[;,]\s*(?:and\s+)?(?P<combined>the\s+"
      rf"(?:combined|merged|new)\s+{_SUCCESSION_THING}|⟦(?:ORG|UNK):\d+⟧)\s+(?:began\s+trading|was\s+renamed|was\s+named|traded|operated)"
      rf"\s+(?:under\s+the\s+(?:new\s+)?name\s+(?:of\s+)?|as\s+)?(?:the\s+)?{{ORG:z}}\s+{_ON_DATE}",
      # "In 1996 the X was demerged to create two entities; A and B"
      r"\b[Ii]n\s+(?P<y>1[6-9]\d\d|20[0-4]\d)\s*,?\s+(?:the\s+)?{ORG:a}\s+was\s+(?:demerged|split)\s+"
      r"(?:up\s+)?(?:to\s+create|to\s+form|into)\s+(?:two|three|four)\s+(?:new\s+)?(?:entities|"
      r"companies|organi[sz]ations|parts)\s*[;:,]\s*(?:the\s+)?{ORGS:z}",
      # "X, which ..., was merged with the Y unit and renamed (as) Z"
      r"{ORG:a}(?:\s+in\s+(?:[A-Z][a-z]+\s+)?\d{4})?\s*,?\s*(?:which\s+)?(?:has\s+been|had\s+been|was)"
      r"\s+merged\s+with\s+[^.;]{0,80}?\band\s+"
      r"renamed\s+(?:as\s+|to\s+)?(?:the\s+)?{ORG:z}",
      # "X was merged into Y in June 1940"
      rf"{{ORG:a}}\s+(?:was|were)\s+merged\s+into\s+(?:the\s+)?{{ORG:m}}\s+{_ON_DATE}",
      )
def succession(ctx: Ctx, m: re.Match, name: str, rel: str):
    """Successions an article states: mergers into a new name, demergers, renamings.

    The predecessors end (P576) in the stated year, the successors begin (P571) then;
    predecessor P1366 successor and successor P1365 predecessor.
    """
    if not encyclopaedic(ctx.a) or q.negated(m.group(0)):
        return
    text = m.group(0)
    combined = _gd(m, "combined") or ""
    if combined.startswith("⟦") and not re.search(
            r"\b(?:combined|merged|new)\s+" + _SUCCESSION_THING, ctx.sent.text):
        return  # a descriptor placeholder stands for "the combined business" only
    y = _gd(m, "y")
    if y is None:  # "X in April 2009, which has been merged with ... and renamed as Z"
        ym = re.findall(r"\b(?:in|on)\s+(?:[A-Z][a-z]+\s+)?(1[6-9]\d\d|20[0-4]\d)\b", text)
        y = ym[-1] if ym else None
    olds = [g for g in ("a", "b") if _gd(m, g)]
    news = ids(_gd(m, "z")) if _gd(m, "z") else []
    if "demerged" in text or " split" in text:
        olds = ["a"]
    for g in olds:
        if y:
            c = ctx.cand("P576", m.group(g), name, value=y)
            if c:
                yield c
        for z in news:
            c = ctx.cand("P1366", m.group(g), name, z)
            if c:
                yield c
                yield Candidate("P1365", c.obj, ctx.i, name, obj=c.subj)
    if y:
        for z in news:
            c = ctx.cand("P571", z, name, value=y)
            if c:
                yield c


@rule("dissolved-year", "P576",
      r"{ORG:s}\s+(?:[^⟦⟧]{0,40}?\b)?(?:was\s+)?(?:dissolved|disbanded|defunct|abolished|"
      r"liquidated|closed down|shut down|closed|ceased operations|went bankrupt|was merged)\s+"
      r"(?:in|on)\s+(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?(?:\d{1,2},?\s+)?(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      r"\b[Ii]n\s+(?:[A-Z][a-z]+\s+)?(?P<y>1[6-9]\d\d|20[0-4]\d)\s*,\s+(?:[Tt]he\s+)?{ORG:s}\s+"
      r"(?:was|were)\s+(?:dissolved|disbanded|abolished|liquidated|merged into|closed)\b",
      r"{ORG:s}\s*(?:\([^()]*\)\s*)?[^.;]{0,100}?\bactive\s+(?:from|between)\s+"
      r"(?P<y0>1[6-9]\d\d|20[0-4]\d)\s+(?:to|until|and)\s+(?P<y>1[6-9]\d\d|20[0-4]\d)\b",
      )
def dissolved_year(ctx: Ctx, m: re.Match, name: str, rel: str):
    c = ctx.cand(rel, m.group("s"), name, value=m.group("y"))
    if c and ctx.a.clusters[c.subj].type in ("ORG", "UNK") and \
            not looks_like_person(ctx.a.clusters[c.subj], ctx.a.clusters):
        yield c
        if _gd(m, "y0"):
            yield Candidate("P571", c.subj, ctx.i, name + "-start", value=m.group("y0"))


ENSEMBLE = r"(?:band|group|ensemble|duo|trio|quartet|orchestra|choir|collective)"


@rule("formation-place", "P740",
      r"{ORG:s}\s+(?:was\s+)?(?:founded|formed|established|created|started)\s+in\s+{LOC:o}",
      r"(?:[Ff]ounded|[Ff]ormed|[Ee]stablished)\s+in\s+{LOC:o}(?:\s+in\s+\d{4})?,\s+(?:the\s+)?"
      r"{ORG:s}",
      rf"{{ORG:s}}{{PAR}}\s+(?:is|was|are|were)\s+(?:a|an|the)\s+[^⟦⟧.;]{{0,60}}?\b{ENSEMBLE}\s+from\s+"
      rf"{{LOC:o}}",
      rf"\b(?:the|a|an)\s+{{LOC:o}}(?:\s*,\s*⟦LOC:\d+⟧)?(?:-based)?\s+(?:[a-z\-]+\s+){{0,2}}{ENSEMBLE}\s+"
      rf"(?:[Tt]he\s+)?{{ORG:s}}",
      rf"{{ORG:s}}{{PAR}}\s+(?:is|was|are|were)\s+(?:a|an|the)\s+{{LOC:o}}-based\s+(?:[a-z\-]+\s+){{0,2}}"
      rf"{ENSEMBLE}",
      )
@rule("formation-place-kind", "P740",
      # "X are a vocal group formed in 1962 in Lyon", "X is a club founded in Bergen"
      rf"{{ORG:s}}{{PAR}}\s+(?:is|was|are|were)\s+(?:a|an|the)\s+[^⟦⟧.;]{{0,60}}?\b(?:{ENSEMBLE}|club|"
      rf"team|label|party|society|association)\s+(?:originally\s+)?(?:founded|formed|established|"
      rf"created)\s+(?:in\s+(?:[A-Z][a-z]+\s+)?\d{{4}}\s+)?in\s+{{LOC:o}}",
      )
def formation_place(ctx: Ctx, m: re.Match, name: str, rel: str):
    c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c and ctx.a.clusters[c.obj].type == "LOC":
        yield c


@rule("network-country", "P740",
      # an episode's "first aired on the Orsa network in the United States": a national network
      r"\b(?:aired|airs|broadcast|premiered|debuted)\s+(?:[a-z]+\s+){0,2}?on\s+(?:the\s+)?{ORG:s}"
      r"(?:\s+(?:television\s+)?(?:network|channel))?\s+in\s+(?:the\s+)?{LOC:o}",
      )
def network_country(ctx: Ctx, m: re.Match, name: str, rel: str):
    """An article's network, named with the country an episode first aired in, was formed
    there (a country, not a town: "aired on X in Boston" is a local station's audience)."""
    if not encyclopaedic(ctx.a):
        return
    c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c and ctx.a.clusters[c.obj].type == "LOC" and \
            gz.place_kind(ctx.a.clusters[c.obj].canonical) == "country" and \
            not looks_like_person(ctx.a.clusters[c.subj], ctx.a.clusters):
        yield c


@rule("founded-by-active", "P112",
      r"{PERU:o}\s+(?:co-?)?founded\s+(?:the\s+)?{ORG:s}",
      # "allied to Orsa Party founder Ann Roe"
      r"{ORG:s}\s+(?:co-?)?founder\s+{PERU:o}",
      r"{PERU:o}\s+(?:had\s+)?(?:formed|established|set up|started|created)\s+(?:the\s+)?{ORG:s}"
      r"\s+in\s+\d{4}",
      # "the venture capital firm he founded, Orbo Ventures"
      r"\b(?:firm|company|label|business|magazine|newspaper|band|school|party|organi[sz]ation|"
      r"foundation|charity|studio|agency|fund|institute|society)\s+(?:that\s+|which\s+)?"
      r"(?:(?P<he>he|she)|{PER:o})\s+(?:had\s+)?(?:co-?)?founded\s*,\s*(?:the\s+)?{ORG:s}",
      r"\b[Ii]n\s+(?:[A-Z][a-z]+\s+)?(?P<y>1[6-9]\d\d|20[0-4]\d)\s*,\s*{PER:o}\s+(?:co-?)?"
      r"(?:founded|formed|established|set up|started|created)\s+(?:the\s+)?{ORG:s}",
      )
def founded_by_active(ctx: Ctx, m: re.Match, name: str, rel: str):
    if _gd(m, "he"):
        pm = [x.group("i") for x in PLACEHOLDER.finditer(ctx.r[: m.start()])
              if x.group("t") == "PER"]
        founder = ctx.cl(pm[-1]) if pm else article_person(ctx)
        s = ctx.cl(m.group("s"))
        c = Candidate(rel, s, ctx.i, name, obj=founder) if founder is not None and \
            s is not None and s != founder else None
    else:
        c = ctx.cand(rel, m.group("s"), name, m.group("o"))
    if c and ctx.a.clusters[c.subj].type in ("ORG", "UNK") and \
            looks_like_person(ctx.a.clusters[c.obj], ctx.a.clusters) and \
            not looks_like_person(ctx.a.clusters[c.subj], ctx.a.clusters) and \
            ctx.a.clusters[c.subj].canonical.lower() not in gz.org_words():
        c.obj = full_person(ctx, c.obj)
        yield c
        y = re.match(r"\s+in\s+(1[6-9]\d\d|20[0-4]\d)\b", ctx.r[m.end():]) or \
            re.search(r"\s+in\s+(1[6-9]\d\d|20[0-4]\d)\b$", m.group(0))
        year = y.group(1) if y else _gd(m, "y")
        if year:
            yield Candidate("P571", c.subj, ctx.i, name + "-year", value=year)


def article_org(ctx: Ctx) -> int | None:
    """The organisation an article is about: the cluster named like its title (articles
    only; None when the title names a person or nothing found)."""
    if not encyclopaedic(ctx.a):
        return None
    title = re.sub(r"\s*\([^()]*\)\s*$", "", ctx.a.release.title or "").strip().lower()
    if not title:
        return None
    for c in ctx.a.clusters:
        if c.type in ("ORG", "UNK") and any(n.lower() == title for n in c.names) and \
                not looks_like_person(c, ctx.a.clusters):
            return c.id
    return None


SUBJECT_KIND = (r"(?:company|firm|business|workshop|factory|label|studio|publishing\s+house|"
                r"brewery|shipyard|bank)")


@rule("founded-subject", "P112",
      # an article about a firm: "In 1937, the cyclist Ann Roe founded a small company in Tarn"
      rf"{{PERU:o}}\s+(?:co-?)?(?:founded|established|set up|started)\s+(?:a|the)\s+"
      rf"(?:(?:small|new|little|tiny|family)\s+)?{SUBJECT_KIND}\b(?:\s+in\s+{{LOC:l}})?",
      )
def founded_subject(ctx: Ctx, m: re.Match, name: str, rel: str):
    """The unnamed firm a person founded in an article about a firm is the article's
    subject: its founder, and the town it was founded in."""
    subj = article_org(ctx)
    founder = ctx.cl(m.group("o"))
    if subj is None or founder is None or founder == subj or \
            not looks_like_person(ctx.a.clusters[founder], ctx.a.clusters) or \
            any(mm.cluster == subj for mm in ctx.a.mentions if mm.sent == ctx.i):
        return  # (a firm named in the sentence is not the one the article is about)
    yield Candidate(rel, subj, ctx.i, name, obj=full_person(ctx, founder))
    loc = ctx.cl(_gd(m, "l"))
    if loc is not None and ctx.a.clusters[loc].type == "LOC":
        yield Candidate("P740", subj, ctx.i, name + "-place", obj=loc)

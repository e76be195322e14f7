"""What the relation layer sees of a candidate pair: a list of feature strings.

Words between and around the two arguments (with the order they come in), their types,
their head words, how they were found, the other arguments between them, the section,
whether an argument is the company the release is about, and the rules' verdict on the
same pair (a rule firing is evidence, not the answer).

Words are also read by their family (:data:`CUE_FAMILIES`): writers say "buy" or
"purchase" for "acquire" and "shareholding" for "stake", so a family learned from one
word still fires on its variants in unseen text; and by their first five letters
("acquired", "acquisition" -> "acqui").
"""

from __future__ import annotations

from bisect import bisect_left

from kg.extract.candidates import Pair

MAX_BETWEEN = 10
STEM = 5

# Words the genre uses interchangeably for one kind of statement (by meaning, not taken
# from any one release): a family is a feature beside the word itself.
CUE_FAMILIES = {
    "acquire": "acquire acquires acquired acquiring acquisition acquisitions buy buys bought "
               "buying purchase purchased purchases purchasing takeover take takes took "
               "taken over",
    "stake": "stake stakes shareholding shareholdings shares share holding holds held owns "
             "owned owning ownership equity interest interests percent % wholly-owned",
    "jv": "joint venture ventures joint-venture jv partnership partner partners partnering "
          "alliance",
    "cooperate": "cooperate cooperation collaborate collaboration agreement agreements "
                 "memorandum mou signed sign signs pact team teamed together with",
    "supply": "supply supplies supplied supplier suppliers supplying deliver delivers "
              "delivered provide provides provided customer customers order orders contract",
    "produce": "produce produces produced producing producer producers production make makes "
               "made maker makers manufacture manufactures manufactured manufacturer "
               "manufacturers manufacturing output capacity",
    "site": "plant plants factory factories facility facilities mill mills site sites hub "
            "complex base refinery smelter works line lines park",
    "locate": "in at located based near outside headquartered headquarters hq",
    "lead": "ceo chief chairman chairwoman chair president head heads led leads director "
            "founder founded md executive officer",
    "parent": "subsidiary subsidiaries unit arm affiliate parent group division owned",
    "build": "build builds built building construct construction invest invests invested "
             "investment investing set up establish established open opened opens",
}
FAMILY = {w: fam for fam, words in CUE_FAMILIES.items() for w in words.split()}


def _masked(toks, i: int, j: int, masks: dict) -> list[str]:
    """Tokens i..j lower-cased, a token inside another argument as ``<TYPE>`` (once per
    argument): the words around a pair generalise, the names in them do not."""
    out: list[str] = []
    last = None
    for k in range(max(0, i), min(j, len(toks.text))):
        arg = masks.get(k) if masks else None
        if arg is None:
            out.append(toks.text[k].lower())
        elif arg is not last:
            out.append(f"<{arg.type}>")
        last = arg
    return out


def _words(toks, start: int, end: int, masks=None) -> list[str]:
    return _masked(toks, bisect_left(toks.idx, start), bisect_left(toks.idx, end), masks)


def _before(toks, pos: int, n: int, masks=None) -> list[str]:
    i = bisect_left(toks.idx, pos)
    return _masked(toks, i - n, i, masks)


def _after(toks, pos: int, n: int, masks=None) -> list[str]:
    i = bisect_left(toks.idx, pos)
    return _masked(toks, i, i + n, masks)


def _head(arg) -> str:
    """The last word of an argument when it is a common word ("plant", "group"), else its
    shape: a name's own words do not carry over to other releases."""
    from kg.extract import gazetteers as gz

    words = arg.text.split()
    if not words:
        return ""
    last = words[-1].lower().strip(".,")
    if words[-1].islower() or last in gz.org_words() or last in gz.site_heads():
        return last
    return "<Name>"


def _bucket(n: int) -> str:
    return str(n) if n < 4 else ("4-6" if n < 7 else ("7-10" if n < 11 else "11+"))


def pair_features(analysis, pair: Pair, others, rule_relations: frozenset[str]) -> list[str]:
    """Feature strings of one pair.

    ``others`` are the sentence's arguments (to count the ones between the pair);
    ``rule_relations`` the relations the rules stated between the two.
    """
    toks = analysis.tokens
    a, b = pair.subj, pair.obj
    first, second = (a, b) if a.start < b.start else (b, a)
    order = "ab" if first is a else "ba"
    tp = f"{a.type}>{b.type}"
    masks = {}  # token index -> the other argument covering it
    for o in others:
        if o is not a and o is not b:
            for k in range(bisect_left(toks.idx, o.start), bisect_left(toks.idx, o.end)):
                masks.setdefault(k, o)
    between = _words(toks, first.end, second.start, masks)
    f = [f"tp={tp}", f"ord={order}", f"tpo={tp}|{order}", f"len={_bucket(len(between))}",
         f"src={a.source}>{b.source}", f"sec={analysis.sentences[pair.sent].section}"]
    if a.start <= b.start and b.end <= a.end:
        f.append("nest=b-in-a")
        between = []
    elif b.start <= a.start and a.end <= b.end:
        f.append("nest=a-in-b")
        between = []
    families = sorted({FAMILY[w] for w in between if w in FAMILY})
    stems = [w[:STEM] for w in between[:8] if len(w) > STEM and w.isalpha()]
    if len(between) > MAX_BETWEEN:
        between = between[:MAX_BETWEEN // 2] + ["…"] + between[-(MAX_BETWEEN // 2):]
    for w in between:
        f.append(f"bw={w}")
        f.append(f"bwo={order}|{w}")
        f.append(f"bwt={a.type}>{b.type}|{w}")
    for w1, w2 in zip(between, between[1:], strict=False):
        f.append(f"bb={order}|{w1}_{w2}")
    for fam in families:
        f.append(f"bfam={order}|{fam}")
        f.append(f"bfamt={tp}|{order}|{fam}")
    for stem in stems:
        f.append(f"bst={order}|{stem}")
    if between:
        f.append(f"bfirst={order}|{between[0]}")
        f.append(f"blast={order}|{between[-1]}")
    else:
        f.append("adjacent")
    for w in _before(toks, first.start, 4):
        if w in FAMILY:
            f.append(f"prefam={FAMILY[w]}")
    for w in _after(toks, second.end, 4):
        if w in FAMILY:
            f.append(f"postfam={FAMILY[w]}")
    for k, w in enumerate(reversed(_before(toks, first.start, 3, masks))):
        f.append(f"pre{k}={w}")
        f.append(f"pre{k}t={tp}|{w}")
    for k, w in enumerate(_after(toks, second.end, 3, masks)):
        f.append(f"post{k}={w}")
        f.append(f"post{k}t={tp}|{w}")
    head_a = _head(a)
    head_b = _head(b)
    f.append(f"ha={head_a}")
    f.append(f"hb={b.type}|{head_b}" if b.type not in ("NUM", "YEAR", "MONEY") else f"hb={b.type}")
    if a.source == "reference":
        f.append(f"refa={a.text.lower()}")
    if b.source == "reference":
        f.append(f"refb={b.text.lower()}")
    focus = analysis.focus_cluster()
    if a.cluster >= 0 and a.cluster == focus:
        f.append("focus_a")
    if b.cluster >= 0 and b.cluster == focus:
        f.append("focus_b")
    inside = [o for o in others if first.end <= o.start and o.end <= second.start]
    f.append(f"nin={_bucket(len(inside))}")
    for o in inside[:4]:
        f.append(f"in={o.type}")
    if b.unit:
        f.append("cur")
    if b.type in ("NUM", "MONEY", "YEAR"):
        for k, w in enumerate(_after(toks, b.end, 4)):
            f.append(f"unit{k}={w}")
        for w in _before(toks, b.start, 3):
            f.append(f"nb={w}")
    for rel in sorted(rule_relations):
        f.append(f"rule={rel}")
        f.append(f"rulet={rel}|{tp}")
    if not rule_relations:
        f.append("norule")
    return f

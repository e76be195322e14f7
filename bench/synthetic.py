"""Generated release graphs of the sample data's shape, written as N-Quads.

Each release is one named graph (``kgr:release/<id>``) holding its own node (title,
date, identifier, publisher, SHA-256), a handful of facts in the n-ary pattern of
docs/CONTRACTS.md (``ckg:Statement`` nodes with subject, relation, object, evidence,
offsets, confidence, extractor and ``prov:wasDerivedFrom``; stakes carry a percent as
``xsd:decimal``) and the label and class of every entity it names, as
:mod:`kg.rdf` writes them.  Entities are drawn from a fixed pool, so releases share
them and the merged default graph is smaller than the sum of the graphs, as in a real
collection; ``subsidiaryOf`` links form trees (each company has one parent), as groups
do, while stakes, cooperation and supply link companies at random.  The output depends only on the arguments: the same file on every run.

``python bench/synthetic.py OUT.nq --quads 1000000`` writes about that many quads.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

CKG = "https://w3id.org/corporate-kg/ontology#"
KGR = "https://w3id.org/corporate-kg/id/"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"

# relation -> (statement class, object kind)
RELATIONS = [
    ("subsidiaryOf", "ParentRelation", "org"),
    ("ownsStakeIn", "Stake", "org"),
    ("cooperatesWith", "Cooperation", "org"),
    ("supplies", "SupplyRelation", "org"),
    ("headquarteredIn", "HeadquartersLocation", "place"),
    ("listedOn", "Listing", "exchange"),
]
KIND_CLASS = {"org": "Company", "place": "City", "exchange": "StockExchange"}
WORDS = ["Hong", "Wei", "Qiao", "Bei", "Jing", "Shan", "Dong", "Hai", "Tian", "Hua", "Xin",
         "Long", "Feng", "Da", "Zhong", "Guang", "Ming", "Jin", "Yuan", "Kai"]
SUFFIXES = ["Group Co., Ltd.", "Industrial Co., Ltd.", "Holdings Limited", "Automobile Co., Ltd.",
            "Aluminium Co., Ltd.", "New Material Co., Ltd.", "Technology Co., Ltd."]
FACTS_PER_RELEASE = 5
QUADS_PER_RELEASE = 9 + FACTS_PER_RELEASE * 17  # about: release node, facts, entity triples


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def entity_name(kind: str, n: int) -> str:
    rng = random.Random(n * 7919 + len(kind))
    if kind == "place":
        return f"{rng.choice(WORDS)}{rng.choice(WORDS).lower()} City {n}"
    if kind == "exchange":
        return f"{rng.choice(WORDS)} Stock Exchange {n}"
    return f"{rng.choice(WORDS)}{rng.choice(WORDS).lower()} {rng.choice(SUFFIXES)} {n}"


def release_lines(i: int, rng: random.Random, entities: int) -> list[str]:
    """The N-Quads lines of release ``i``."""
    rid = f"synthetic-{i:06d}"
    g = f"<{KGR}release/{rid}>"
    issuer = rng.randrange(entities)
    title = _lit(f"Release {i} of {entity_name('org', issuer)}")
    lines = [
        f"{g} <{RDF_TYPE}> <{CKG}Release> {g} .",
        f"{g} <{DCT}title> {title} {g} .",
        f'{g} <{DCT}date> "2023-{1 + i % 12:02d}-{1 + i % 28:02d}"^^<{XSD}date> {g} .',
        f"{g} <{DCT}identifier> {_lit(rid)} {g} .",
        f"{g} <{DCT}publisher> <{KGR}org/e{issuer}> {g} .",
        f'{g} <{CKG}sha256> "{i:064x}" {g} .',
    ]
    named = {("org", issuer)}
    for k in range(FACTS_PER_RELEASE):
        relation, cls, kind = RELATIONS[rng.randrange(len(RELATIONS))]
        subject = rng.randrange(entities)
        obj = rng.randrange(entities if kind == "org" else max(1, entities // 20))
        if relation == "subsidiaryOf":  # groups are trees: a company's one parent
            subject = max(subject, 1)
            obj = subject // 3
        elif kind == "org" and obj == subject:
            obj = (obj + 1) % entities
        prefix = "e" if kind == "org" else kind[0]
        s, o = f"<{KGR}org/e{subject}>", f"<{KGR}{kind}/{prefix}{obj}>"
        named |= {("org", subject), (kind, obj)}
        f = f"<{KGR}fact/{rid}/{k + 1}>"
        sentence = (f"{entity_name('org', subject)} {relation} "
                    f"{entity_name(kind, obj)}, the company said on day {i}.")
        lines += [
            f"{f} <{RDF_TYPE}> <{CKG}Statement> {g} .",
            f"{f} <{RDF_TYPE}> <{CKG}{cls}> {g} .",
            f"{f} <{RDF_TYPE}> <{PROV}Entity> {g} .",
            f"{f} <{CKG}subject> {s} {g} .",
            f"{f} <{CKG}relation> <{CKG}{relation}> {g} .",
            f"{f} <{CKG}object> {o} {g} .",
            f"{f} <{CKG}evidence> {_lit(sentence)} {g} .",
            f'{f} <{CKG}evidenceStart> "{k * 120}"^^<{XSD}integer> {g} .',
            f'{f} <{CKG}evidenceEnd> "{k * 120 + len(sentence)}"^^<{XSD}integer> {g} .',
            f'{f} <{CKG}confidence> "0.{rng.randrange(50, 99)}"^^<{XSD}decimal> {g} .',
            f'{f} <{CKG}extractor> "rules" {g} .',
            f"{f} <{PROV}wasDerivedFrom> {g} {g} .",
            f"{s} <{CKG}{relation}> {o} {g} .",
        ]
        if relation == "ownsStakeIn":
            lines.append(f'{f} <{CKG}percentage> "{rng.randrange(5, 100)}"^^<{XSD}decimal> {g} .')
    for kind, n in sorted(named):
        prefix = "e" if kind == "org" else kind[0]
        e = f"<{KGR}{kind}/{prefix}{n}>"
        lines += [f"{e} <{RDF_TYPE}> <{CKG}{KIND_CLASS[kind]}> {g} .",
                  f"{e} <{RDFS_LABEL}> {_lit(entity_name(kind, n))} {g} ."]
    return lines


def write_nquads(path: str | Path, quads: int, *, entities: int | None = None,
                 seed: int = 10) -> tuple[int, int]:
    """Write about ``quads`` quads of generated releases to ``path``; return
    (quads written, releases)."""
    releases = max(1, quads // QUADS_PER_RELEASE)
    entities = entities or max(50, releases // 2)
    rng = random.Random(seed)
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for i in range(releases):
            lines = release_lines(i, rng, entities)
            written += len(lines)
            out.write("\n".join(lines))
            out.write("\n")
    return written, releases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--entities", type=int, default=None)
    args = parser.parse_args()
    written, releases = write_nquads(args.out, args.quads, entities=args.entities)
    print(f"{args.out}: {written} quads in {releases} releases")


if __name__ == "__main__":
    main()

"""The vocabulary is one: docs/CONTRACTS.md, the code, the queries and the shapes use
only terms that ontology/corporate.ttl defines, and kg.vocab reads them from there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg import vocab
from kg.errors import OntologyError
from kg.model import ENTITY_TYPES

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ROOT / "docs" / "CONTRACTS.md"


def contract_rows() -> list[dict[str, str]]:
    """The relation table of docs/CONTRACTS.md, one dict a row."""
    rows = []
    in_table = False
    for line in CONTRACTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("| guideline id |"):
            in_table = True
            continue
        if in_table and not line.startswith("|"):
            break
        if in_table and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows.append(dict(zip(("id", "shortcut", "wikidata", "node", "qualifiers"), cells, strict=True)))
    return rows


ROWS = contract_rows()


def test_the_contract_table_was_read():
    assert len(ROWS) >= 30
    assert {row["id"] for row in ROWS} >= {"P749", "P127", "X-acquires", "X-capacity", "P414"}


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_every_contract_relation_is_in_the_ontology(row):
    relations = vocab.relations()
    assert row["id"] in relations, f"no ckg:guidelineId {row['id']!r} in the ontology"
    rel = relations[row["id"]]
    shortcut = re.match(r"ckg:(\w+)", row["shortcut"]).group(1)
    assert rel.curie == f"ckg:{shortcut}"
    assert rel.wikidata == (None if row["wikidata"] == "-" else row["wikidata"])
    assert vocab.json_relation_id(rel) == (rel.wikidata or row["id"])
    # the node class is the table's class or a subclass of it (P169 -> a Position)
    node_classes = re.findall(r"ckg:(\w+)", row["node"])
    assert vocab.term(node_classes[0]) in vocab.superclasses(rel.node_class)
    for other in node_classes[1:]:  # "(a ckg:Deal)"
        assert vocab.term(other) in vocab.superclasses(rel.node_class)
    # "(inverse ckg:hasSubsidiary, P355)"
    inverse = re.search(r"inverse ckg:(\w+), (P\d+)", row["shortcut"])
    if inverse:
        assert relations[inverse.group(2)].curie == f"ckg:{inverse.group(1)}"
        assert relations[inverse.group(2)].inverse == row["id"]
        assert rel.inverse == inverse.group(2)
    assert rel.symmetric == ("symmetric" in row["shortcut"])
    assert rel.literal == ("literal" in row["shortcut"])
    qualifiers = {q.curie for q in vocab.qualifiers().values()}
    for name in re.findall(r"ckg:(\w+)", row["qualifiers"]):
        assert f"ckg:{name}" in qualifiers, f"ckg:{name} is no qualifier (no ckg:qualifierKey)"


def test_every_relation_has_a_label_and_a_node_class_that_is_a_statement():
    for rel in vocab.relations().values():
        assert rel.label
        assert vocab.term("Statement") in vocab.superclasses(rel.node_class)


def test_relation_lookup_by_id_curie_name_or_iri():
    rel = vocab.relation("P749")
    assert vocab.relation("ckg:subsidiaryOf") is rel
    assert vocab.relation("subsidiaryOf") is rel
    assert vocab.relation(str(rel.term)) is rel
    assert vocab.json_relation_id("X-operates") == "X-operates"
    assert vocab.json_relation_id("ckg:operatedBy") == "P137"
    with pytest.raises(OntologyError, match="no relation 'P0'"):
        vocab.relation("P0")


def test_qualifier_keys_of_the_jsonl_contract_are_in_the_ontology():
    contract = CONTRACTS.read_text(encoding="utf-8")
    listed = re.search(r'qualifiers \(([^)]*)\)', contract).group(1)
    keys = set(re.findall(r'"(\w+)"', listed))
    assert keys >= {"status", "percent", "amount", "unit", "title", "ticker", "count", "product", "year"}
    assert keys <= set(vocab.qualifiers())


def test_deal_status_has_exactly_four_individuals():
    assert set(vocab.deal_statuses()) == {"planned", "agreed", "completed", "cancelled"}
    assert vocab.deal_status(" Completed ") == vocab.term("Completed")
    with pytest.raises(OntologyError, match="no deal status 'rumoured'"):
        vocab.deal_status("rumoured")


@pytest.mark.parametrize("entity_type", ENTITY_TYPES)
def test_every_entity_type_has_a_class(entity_type):
    classes = vocab.classes_for_type(entity_type)
    assert vocab.entity_type_for_class(classes[0]) == entity_type
    if entity_type == "EXCHANGE":
        assert vocab.term("Organization") in classes


def test_unknown_terms_raise():
    with pytest.raises(OntologyError, match="no term ckg:Compnay"):
        vocab.term("Compnay")
    with pytest.raises(OntologyError):
        vocab.CKG.Compnay  # noqa: B018
    with pytest.raises(OntologyError):
        vocab.CKG["hasSubsidiaries"]
    assert vocab.CKG.Company == vocab.term("ckg:Company")


# --------------------------------------------------------------------------- one vocabulary

TERM_PATTERNS = (
    re.compile(r"(?<![\w/#-])ckg:([A-Za-z_]\w*)"),
    re.compile(r"\bCKG\.([A-Za-z_]\w*)"),
    re.compile(r"\bCKG\[\s*['\"](\w+)['\"]\s*\]"),
    re.compile(r"\b(?:vocab\.)?term\(\s*['\"](?:ckg:)?(\w+)['\"]\s*\)"),
)
# str methods that shadow ckg: terms on an rdflib Namespace: CKG.title is str.title.
SHADOWED = {name for name in dir(str) if not name.startswith("_")}
NAMESPACE_METHODS = {"term", "uri"}


def used_terms() -> dict[str, set[str]]:
    """Every ckg: term the code, the queries and the shapes use -> where."""
    sources = sorted((ROOT / "kg").rglob("*.py")) + sorted((ROOT / "queries").glob("*.rq"))
    sources.append(vocab.SHAPES_PATH)
    found: dict[str, set[str]] = {}
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            for pattern in TERM_PATTERNS:
                for match in pattern.finditer(line):
                    name = match.group(1)
                    if pattern.pattern.startswith(r"\bCKG\.") and name in NAMESPACE_METHODS:
                        continue
                    found.setdefault(name, set()).add(f"{path.relative_to(ROOT)}:{number}")
    return found


def test_the_scan_finds_the_terms_in_use():
    used = used_terms()
    assert {"subject", "relation", "Statement", "Release", "confidence", "subsidiaryOf"} <= set(used)


def test_every_ckg_term_used_anywhere_is_in_the_ontology():
    declared = {str(t)[len(vocab.CKG_IRI):] for t in vocab.terms()}
    missing = {name: sorted(where) for name, where in used_terms().items() if name not in declared}
    assert not missing, "terms used but not in ontology/corporate.ttl: " + "; ".join(
        f"ckg:{name} ({', '.join(where)})" for name, where in sorted(missing.items())
    )


def test_no_code_reads_a_term_that_a_str_method_shadows():
    bad = []
    for path in sorted((ROOT / "kg").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in re.finditer(r"\bCKG\.([A-Za-z_]\w*)\b(?!\s*\()", line):
                if match.group(1) in SHADOWED:
                    bad.append(f"{path.relative_to(ROOT)}:{number}: CKG.{match.group(1)}")
    assert not bad, "use CKG['name'] for these (CKG.name is a str method): " + "; ".join(bad)


def test_python_keeps_no_second_list_of_relations():
    """kg/vocab.py reads the relations; no Python file spells out the guideline table.

    Rules may name the relation they produce (``"P749"``), but no module maps
    guideline ids to ontology terms or Wikidata ids by hand, and every id a module
    names is a relation of the ontology.
    """
    ids = {rel.id for rel in vocab.relations().values()}
    local_names = {rel.curie.split(":", 1)[1] for rel in vocab.relations().values()}
    pair = re.compile(r"[\"'](P\d+|X-[a-z-]+)[\"']\s*:\s*[\"'](\w+)[\"']")
    for path in sorted((ROOT / "kg").rglob("*.py")):
        if path.name == "vocab.py":
            continue
        text = path.read_text(encoding="utf-8")
        table = [(gid, name) for gid, name in pair.findall(text)
                 if name in local_names or re.fullmatch(r"P\d+", name)]
        if path.name == "evaluate.py":
            # the scorer's own inverse pairs (score.py's FLIP), narrower than the
            # ontology's inverses on purpose; they are matching rules, not terms
            table = [(gid, name) for gid, name in table if name in local_names]
        assert len(table) < 3, f"{path.relative_to(ROOT)} maps ids to terms by hand: {table[:5]}"
        spelled = set(re.findall(r"[\"'](P\d{2,4}|X-[a-z]+(?:-[a-z]+)*)[\"']", text))
        unknown = spelled - ids
        assert not unknown, f"{path.relative_to(ROOT)} names relations the ontology lacks: {unknown}"


def test_the_examples_in_the_docstrings_run():
    import doctest

    import kg.vocab

    assert doctest.testmod(kg.vocab).failed == 0

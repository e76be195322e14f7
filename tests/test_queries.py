"""Named queries (queries/*.rq) on the hand-made sample releases in an embedded store.

Expected answers are read from the sample graphs with rdflib where they can be, so
the queries are checked against an independent reading of the same data."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg import queries
from kg.errors import QueryError
from kg.queries import compact_iri, get_query, list_queries, read_query, rows_for_display, run

CKG = rdflib.Namespace("https://w3id.org/corporate-kg/ontology#")
KGR = rdflib.Namespace("https://w3id.org/corporate-kg/id/")
ACME = KGR["org/acme-industrial-group"]
BOREALIS = KGR["org/borealis-motors"]

#: A parameter set for each query that takes parameters (used to run every query).
SAMPLE_PARAMS = {
    "subsidiaries": {"company": "Acme Group"},
    "group-members": {"group": "acme industrial group"},
    "provenance": {"subject": "Acme Industrial Group"},
    "owners": {"company": "Borealis Motors"},
    "executives": {"company": str(ACME)},
}

REQUIRED = {
    "subsidiaries",
    "owners",
    "group-members",
    "sites",
    "executives",
    "provenance",
    "facts-by-relation",
    "entities-by-class",
    "releases",
}


@pytest.fixture
def store(tmp_store, sample_releases):
    for iri, graph in sample_releases.items():
        tmp_store.load_release(iri, graph, "sha")
    return tmp_store


@pytest.fixture
def union(sample_releases) -> rdflib.Graph:
    """All sample triples in one rdflib graph: the independent reading."""
    graph = rdflib.Graph()
    for release in sample_releases.values():
        graph += release
    return graph


def test_the_named_queries_are_there_with_headers():
    found = {q.name: q for q in list_queries()}
    assert REQUIRED <= set(found)
    for query in found.values():
        assert query.description and query.path.name == f"{query.name}.rq"
    subsidiaries = found["subsidiaries"]
    assert [(p.name, p.kind, p.optional) for p in subsidiaries.parameters] == [
        ("company", "entity", False)
    ]
    assert subsidiaries.params == ("company (entity, e.g. China Hongqiao Group Limited)",)
    assert subsidiaries.title == "Subsidiaries of a company"
    assert subsidiaries.question.endswith("?")
    provenance = found["provenance"]
    assert [(p.name, p.kind, p.optional) for p in provenance.parameters] == [
        ("subject", "entity", False),
        ("relation", "IRI", True),
    ]


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_query_runs_and_returns_rows(store, name):
    rows = run(store, name, **SAMPLE_PARAMS.get(name, {}))
    assert isinstance(rows, list) and rows
    for row in rows:
        assert all(isinstance(term, URIRef | Literal) for term in row.values())


def test_subsidiaries_are_transitive_and_found_by_name_or_iri(store, union):
    by_alias = run(store, "subsidiaries", company="acme group")  # skos:altLabel, any case
    by_label = run(store, "subsidiaries", company="ACME INDUSTRIAL GROUP")
    by_iri = run(store, "subsidiaries", company=str(ACME))
    by_curie = run(store, "subsidiaries", company="kgr:org/acme-industrial-group")
    by_uriref = run(store, "subsidiaries", company=ACME)
    assert by_alias == by_label == by_iri == by_curie == by_uriref

    # Independent reading: the closure of subsidiaryOf / inverse hasSubsidiary under ACME.
    parent_of = {s: o for s, o in union.subject_objects(CKG.subsidiaryOf)}
    parent_of.update({o: s for s, o in union.subject_objects(CKG.hasSubsidiary)})

    def under_acme(node):
        while node in parent_of:
            node = parent_of[node]
            if node == ACME:
                return True
        return False

    expected = {(child, parent) for child, parent in parent_of.items() if under_acme(child)}
    assert {(row["subsidiary"], row["parent"]) for row in by_iri} == expected
    assert len(expected) == 2  # a direct and an indirect subsidiary
    assert run(store, "subsidiaries", company=str(BOREALIS)) == []


def test_owners_gives_stakes_and_planned_acquisitions(store, union):
    rows = run(store, "owners", company="BM")
    by_owner = {row["owner"]: row for row in rows}
    stake_fact = next(union.subjects(CKG.relation, CKG.ownedBy))
    deal_fact = next(union.subjects(CKG.relation, CKG.acquires))
    stake_owner = union.value(stake_fact, CKG.object)
    acquirer = union.value(deal_fact, CKG.subject)
    assert set(by_owner) == {stake_owner, acquirer}
    assert by_owner[stake_owner]["kind"] == Literal("stake")
    assert (
        by_owner[stake_owner]["percent"].toPython()
        == union.value(stake_fact, CKG.percentage).toPython()
    )
    assert by_owner[acquirer]["kind"] == Literal("acquisition")
    assert by_owner[acquirer]["status"] == Literal("planned")
    assert by_owner[acquirer]["release"] == union.value(deal_fact, PROV.wasDerivedFrom)
    assert len(run(store, "owners")) == len(rows)  # all stakes in the sample are in Borealis


def test_group_members_and_their_listings(store):
    rows = run(store, "group-members", group="ACME")
    assert {row["memberLabel"] for row in rows} == {
        Literal("Acme Textiles"),
        Literal("Acme Textiles Europe GmbH"),
    }
    assert all(row["group"] == ACME for row in rows)


def test_sites_with_location_operator_products_and_capacity(store, union):
    (row,) = run(store, "sites")
    site = next(union.subjects(CKG.location, None))
    target = next(union.subjects(CKG.relation, CKG.productionCapacity))
    assert row["site"] == site
    assert str(row["operators"]) == str(
        union.value(union.value(None, CKG.operates, site), RDFS.label)
    )
    assert str(row["locations"]) == str(union.value(union.value(site, CKG.location), RDFS.label))
    assert str(row["products"]) == str(union.value(union.value(site, CKG.produces), RDFS.label))
    capacity = str(row["capacityTargets"])
    for qualifier in (CKG.value, CKG.unit, CKG.horizon):
        assert str(union.value(target, qualifier)) in capacity


def test_executives_with_roles_and_titles(store, union):
    rows = run(store, "executives", company="Acme Industrial Group")
    titles = {
        row["personLabel"].toPython(): (row["role"].toPython(), row["title"].toPython())
        for row in rows
    }
    assert titles == {
        "Jane Doe": ("chief executive officer", "Chief Executive Officer"),
        "John Roe": ("chairperson", "Chairman"),
    }
    everyone = run(store, "executives")
    positions = set(union.subjects(RDF.type, CKG.Position))
    assert len(everyone) == len(positions)


def test_provenance_says_which_release_sentence_and_offsets(store, union):
    rows = run(store, "provenance", subject="Acme Industrial Group")
    facts = set(union.subjects(CKG.subject, ACME))
    assert {row["fact"] for row in rows} == facts
    (row,) = run(store, "provenance", subject="Acme Industrial Group", relation="ckg:acquires")
    fact = row["fact"]
    release = union.value(fact, PROV.wasDerivedFrom)
    assert row["relation"] == CKG.acquires
    assert row["object"] == union.value(fact, CKG.object)
    assert row["objectLabel"] == Literal("Borealis Motors")
    assert row["release"] == release
    assert row["releaseId"] == Literal("acme-2024-01-10")
    assert row["releaseTitle"] == union.value(release, rdflib.namespace.DCTERMS.title)
    assert row["evidence"] == union.value(fact, CKG.evidence)
    for column, prop in (
        ("start", CKG.evidenceStart),
        ("end", CKG.evidenceEnd),
        ("confidence", CKG.confidence),
    ):
        assert row[column].toPython() == union.value(fact, prop).toPython()
    assert row["extractor"] == union.value(fact, CKG.extractor)


def test_facts_by_relation_counts_fact_nodes(store, union):
    expected = Counter(union.objects(None, CKG.relation))
    rows = run(store, "facts-by-relation")
    assert {row["relation"]: row["facts"].toPython() for row in rows} == dict(expected)
    counts = [row["facts"].toPython() for row in rows]
    assert counts == sorted(counts, reverse=True)
    borealis = run(store, "facts-by-relation", release="kgr:release/borealis-2024-03-02")
    assert sum(row["facts"].toPython() for row in borealis) == 3


def test_entities_by_class_and_releases(store, union, sample_releases):
    rows = {row["class"]: row["entities"].toPython() for row in run(store, "entities-by-class")}
    assert rows[CKG.Company] == len(set(union.subjects(RDF.type, CKG.Company)))
    assert CKG.Release not in rows and CKG.Acquisition not in rows  # not entities
    releases = run(store, "releases")
    assert [str(row["release"]) for row in releases] == sorted(sample_releases)  # ordered by date
    for row in releases:
        graph = sample_releases[str(row["release"])]
        assert row["facts"].toPython() == len(set(graph.subjects(CKG.relation, None)))
        assert row["title"] == graph.value(row["release"], rdflib.namespace.DCTERMS.title)
    assert {str(row["id"]) for row in releases} == {"acme-2024-01-10", "borealis-2024-03-02"}


# --- parameters: bound, validated, never spliced ----------------------------------------


@pytest.mark.parametrize(
    "value", ['" } ; DROP ALL ; #', 'Acme Group" } UNION { ?s ?p ?o } #', "'; CLEAR ALL ; '"]
)
def test_a_hostile_name_returns_nothing_and_changes_nothing(store, value):
    count = store.count()
    assert run(store, "subsidiaries", company=value) == []
    assert run(store, "provenance", subject=value) == []
    assert store.count() == count


def test_iri_parameters_are_validated(store):
    with pytest.raises(QueryError, match="not an absolute IRI"):
        run(store, "facts-by-relation", release="http://x.org/a> } ; DROP ALL ; #")
    with pytest.raises(QueryError, match="not an absolute IRI"):
        run(store, "provenance", subject="Acme Group", relation="acquires")
    with pytest.raises(QueryError, match="not an absolute IRI"):
        run(store, "facts-by-relation", release="unknownprefix:x y")


def test_missing_unknown_and_misspelt(store, tmp_path):
    # a required parameter that is not given takes its example value
    assert run(store, "subsidiaries") == run(store, "subsidiaries",
                                              company="China Hongqiao Group Limited")
    adhoc = tmp_path / "needs.rq"
    adhoc.write_text("# params: ?company (entity) the company\nSELECT ?company {}\n")
    with pytest.raises(QueryError, match="needs the parameter 'company'"):
        run(store, str(adhoc))
    with pytest.raises(QueryError, match="has no parameter colour"):
        run(store, "subsidiaries", company="Acme", colour="red")
    with pytest.raises(QueryError, match="did you mean subsidiaries"):
        run(store, "subsidiarys", company="Acme")


def test_typed_parameters_become_typed_literals():
    from kg.queries import QueryParam, bind_param

    assert bind_param("q", QueryParam("n", "integer"), "42") == ("n", Literal(42))
    assert bind_param("q", QueryParam("d", "decimal"), "0.5")[1].toPython() == Decimal("0.5")
    assert bind_param("q", QueryParam("d", "date"), "2024-01-10")[1].toPython().year == 2024
    assert bind_param("q", QueryParam("c", "entity"), "Acme: the group") == (
        "cName",
        Literal("Acme: the group"),
    )
    with pytest.raises(QueryError, match="not a valid integer"):
        bind_param("q", QueryParam("n", "integer"), "forty")


def test_a_query_file_header_is_checked(tmp_path):
    (tmp_path / "owners.rq").write_text("# name: other\n# description: x\nSELECT * { ?s ?p ?o }\n")
    with pytest.raises(QueryError, match="owners.rq:1: the header must say '# name: owners'"):
        list_queries(tmp_path)
    (tmp_path / "owners.rq").write_text("# name: owners\n# description: x\nASK {}\n")
    with pytest.raises(QueryError, match="owners.rq: the header has no '# title:' line"):
        list_queries(tmp_path)
    header = "# name: owners\n# title: Owners\n# question: Who?\n# description: x\n"
    (tmp_path / "owners.rq").write_text(header + "# params: ?x (colour)\nASK {}\n")
    with pytest.raises(QueryError, match="kind 'colour'"):
        list_queries(tmp_path)
    (tmp_path / "owners.rq").write_text(header + "# params: ?x (string) a name\nASK {}\n")
    with pytest.raises(QueryError, match=r"\?x has no example"):
        list_queries(tmp_path)
    (tmp_path / "owners.rq").write_text(header + "# params: ?x (string) a name [example: Acme]\n"
                                        "ASK {}\n")
    (query,) = list_queries(tmp_path)
    assert query.parameters[0].example == "Acme" and query.parameters[0].description == "a name"


def test_an_ad_hoc_query_file_binds_terms(store, tmp_path):
    path = tmp_path / "labels.rq"
    path.write_text(
        "SELECT DISTINCT ?label WHERE { ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?label }\n"
    )
    rows = run(store, str(path), entity="kgr:org/borealis-motors")
    assert rows == [{"label": Literal("Borealis Motors")}]
    assert read_query(path, strict=False).name == "labels"
    assert get_query(str(path)).declared is False


def test_rows_for_display_gives_plain_values(store):
    rows = rows_for_display(run(store, "facts-by-relation"))
    assert {"relation": "ckg:acquires", "facts": 1} in rows
    assert compact_iri(str(KGR["org/acme"])) == "kgr:org/acme"
    assert compact_iri("http://example.org/x") == "http://example.org/x"
    assert rows_for_display(True) == [{"result": True}]
    assert queries.display_value(Literal("0.90", datatype=rdflib.XSD.decimal)) == 0.9

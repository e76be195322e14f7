"""kg.resolve: one canonical entity per thing across releases, stable and valid IRIs."""

from __future__ import annotations

import random
import warnings
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import KgError
from kg.model import ENTITY_TYPES, Fact
from kg.resolve import (
    RegistryError,
    classes_from_name,
    is_generic_site_name,
    load_registry,
    mint_iri,
    name_key,
    resolve,
    slug,
)

DATA = Path(__file__).resolve().parent / "data"
REGISTRY = DATA / "entities.yaml"
KGR = "https://w3id.org/corporate-kg/id/"


def fact(doc, subject, relation, obj=None, value=None, evidence="", **extra) -> Fact:
    return Fact(doc=doc, subject=subject, relation=relation, object=obj, value=value,
                evidence=evidence, end=len(evidence), **extra)


@pytest.fixture(scope="module")
def registry():
    return load_registry(REGISTRY)


# --------------------------------------------------------------------------- names

@pytest.mark.parametrize(
    ("name", "etype", "key"),
    [
        ("WEIQIAO Germany GmbH", "ORG", "weiqiao germany"),
        ("Weiqiao Germany", "ORG", "weiqiao germany"),
        ("The Acme Motor Co., Ltd.", "ORG", "acme motor"),
        ("ACME MOTOR CORPORATION", "ORG", "acme motor"),
        ("Acme Group", "ORG", "acme group"),  # "group" is part of the name
        ("Company", "ORG", "company"),  # never strips the last word
        ("U.S. Steel", "ORG", "us steel"),
        ("Müller AG", "ORG", "muller"),
        ("Mr. Bo Zhang", "PER", "bo zhang"),
        ("BO ZHANG", "PER", "bo zhang"),
        ("Shandong Province", "LOC", "shandong"),
        ("province of Shandong", "LOC", "shandong"),
        ("BAW’s", "ORG", "baw"),
        ("北京汽车", "ORG", "北京汽车"),
    ],
)
def test_name_key(name, etype, key):
    assert name_key(name, etype) == key


@pytest.mark.parametrize(
    ("name", "etype", "classes"),
    [
        ("Weiqiao Pioneering Group", "ORG", ("CorporateGroup",)),
        ("Northwind Chemicals GmbH", "ORG", ("Company",)),
        ("Greenpeace", "ORG", ()),
        ("Qingdao headquarters base", "FAC", ("Headquarters",)),
        ("new energy vehicle industrial base", "FAC", ("ProductionBase",)),
        ("Debrecen battery plant", "FAC", ("Plant",)),
        ("Munich R&D centre", "FAC", ("ResearchCentre",)),
        ("Germany", "LOC", ("Country",)),
        ("Shandong Province", "LOC", ("Region",)),
        ("Qingdao", "LOC", ("City",)),
    ],
)
def test_classes_from_name(name, etype, classes):
    assert classes_from_name(name, etype) == classes


# --------------------------------------------------------------------------- merging


def test_names_of_one_company_merge_across_releases():
    facts = [
        fact("r1", "Acme Motor Co., Ltd.", "P571", value="1990"),
        fact("r2", "ACME MOTOR", "P159", "Lyon", object_type="LOC"),
        fact("r3", "the Acme Motor Corporation", "P1128", value="5000"),
    ]
    resolution = resolve(facts)
    iris = {resolution.subject_iri(f) for f in facts}
    assert iris == {KGR + "org/acme-motor-co-ltd"}
    entity = resolution.entities[KGR + "org/acme-motor-co-ltd"]
    assert entity.name == "Acme Motor Co., Ltd."
    assert entity.aliases == {"ACME MOTOR", "the Acme Motor Corporation"}
    assert resolution.object_iri(facts[1]) == KGR + "place/lyon"


def test_extractor_aliases_merge_and_types_keep_things_apart():
    facts = [
        fact("r1", "Shandong Weiqiao Pioneering Group", "P452", "textile industry",
             subject_aliases=("Weiqiao", "Weiqiao Pioneering Group"), object_type="MISC"),
        fact("r2", "Weiqiao", "P1128", value="100000"),
        # the same words as a place are a different thing
        fact("r2", "Weiqiao", "P131", "Shandong", subject_type="LOC", object_type="LOC"),
    ]
    resolution = resolve(facts)
    group = resolution.subject_iri(facts[0])
    assert group == KGR + "org/shandong-weiqiao-pioneering-group"
    assert resolution.subject_iri(facts[1]) == group
    assert resolution.subject_iri(facts[2]) == KGR + "place/weiqiao"
    assert resolution.classes[group] == ("CorporateGroup",)


def test_acronym_defined_in_a_release_stands_for_its_expansion():
    text = "Acme Group will buy a stake in Borealis Automobile Works (BAW) this year."
    facts = [
        fact("r1", "Acme Group", "X-acquires", "Borealis Automobile Works", evidence=text),
        fact("r1", "BAW", "P571", value="1951", evidence="BAW was founded in 1951."),
        fact("r2", "BAW", "P159", "Qingdao", object_type="LOC", evidence="BAW is based in Qingdao."),
    ]
    resolution = resolve(facts)
    baw = resolution.object_iri(facts[0])
    assert baw == KGR + "org/borealis-automobile-works"
    assert resolution.subject_iri(facts[1]) == baw
    assert resolution.subject_iri(facts[2]) == baw  # r2 uses it undefined; all definitions agree
    assert "BAW" in resolution.entities[baw].aliases


def test_an_acronym_two_releases_define_differently_stays_local():
    facts = [
        fact("r1", "Basel Auto Werke", "P571", value="1960", evidence="Basel Auto Werke (BAW) is old."),
        fact("r1", "BAW", "P1128", value="10"),
        fact("r2", "Beijing Automobile Works", "P571", value="1951",
             evidence="Beijing Automobile Works (BAW) was founded in 1951."),
        fact("r2", "BAW", "P1128", value="20"),
        fact("r3", "BAW", "P1128", value="30"),
    ]
    resolution = resolve(facts)
    assert resolution.subject_iri(facts[1]) == resolution.subject_iri(facts[0])
    assert resolution.subject_iri(facts[3]) == resolution.subject_iri(facts[2])
    assert resolution.subject_iri(facts[0]) != resolution.subject_iri(facts[2])
    assert resolution.subject_iri(facts[4]) == KGR + "org/baw"


def test_a_parenthesis_that_is_no_acronym_is_not_one():
    facts = [
        fact("r1", "Acme Group", "P1128", value="10", evidence="Acme Group (XYZ) has 10 staff."),
        fact("r1", "XYZ", "P1128", value="20"),
    ]
    resolution = resolve(facts)
    assert resolution.subject_iri(facts[0]) != resolution.subject_iri(facts[1])


# --------------------------------------------------------------------------- generic sites


def site_release(doc, operator, site, place=None):
    """The facts a release gives about a site: who operates it, and where it is."""
    facts = [fact(doc, operator, "X-operates", site, object_type="FAC",
                  evidence=f"{operator} said its {site} will grow.")] if operator else []
    if place:
        facts.append(fact(doc, site, "P276", place, subject_type="FAC", object_type="LOC",
                          evidence=f"The {site} in {place} will grow."))
    return facts


def sites_of(resolution):
    return sorted(iri.removeprefix(KGR + "site/") for iri in resolution.entities if iri.startswith(KGR + "site/"))


@pytest.mark.parametrize(
    ("name", "generic"),
    [
        ("rolling mill", True),
        ("industrial base", True),
        ("battery plant", True),
        ("the new plant", True),
        ("The New Plant", True),  # title case alone names nothing
        ("joint venture's plant", True),
        ("R&D centre", True),
        ("Gigafactory Berlin", False),
        ("Qingdao new energy vehicle industrial base", False),
        ("BAW's production base", False),
        ("rolling mill in Hamburg", False),
        ("北京工厂", False),  # an uncased script is not a description we know
    ],
)
def test_generic_site_names_are_told_from_named_ones(name, generic):
    assert is_generic_site_name(name) is generic


def test_two_companies_rolling_mills_stay_apart():
    alpha = site_release("a", "Alpha Metals GmbH", "rolling mill", "Hamburg")
    beta = site_release("b", "Beta Steel SA", "rolling mill", "Lyon")
    resolution = resolve(alpha + beta)
    assert sites_of(resolution) == ["alpha-metals--rolling-mill--in-hamburg", "beta-steel--rolling-mill--in-lyon"]
    # each release's site carries its own operator and place, nobody else's
    for operates, located in (alpha, beta):
        site = resolution.object_iri(operates)
        assert resolution.subject_iri(located) == site
        assert resolution.lookup("rolling mill", "FAC", operates.doc).iri == site
    assert resolution.object_iri(alpha[0]) != resolution.object_iri(beta[0])
    assert resolution.lookup("rolling mill", "FAC") is None  # no global "rolling mill"


def test_the_same_operators_mill_in_the_same_city_merges_across_releases():
    facts = (site_release("a", "Alpha Metals GmbH", "rolling mill", "Hamburg")
             + site_release("c", "Alpha Metals", "the rolling mill", "Hamburg")
             + site_release("d", "Alpha Metals", "rolling mill", "Bremen"))
    resolution = resolve(facts)
    assert resolution.object_iri(facts[0]) == resolution.object_iri(facts[2])
    assert resolution.object_iri(facts[0]) != resolution.object_iri(facts[4])  # another city, another mill
    assert sites_of(resolution) == ["alpha-metals--rolling-mill--in-bremen", "alpha-metals--rolling-mill--in-hamburg"]


def test_operator_only_place_only_and_neither_scope_the_site():
    facts = (site_release("a", "Alpha Metals", "spinning mill")
             + site_release("b", None, "cotton processing plant", "Zouping")
             + [fact("c", "the new plant", "X-capacity", value="5", subject_type="FAC"),
                fact("d", "the new plant", "X-capacity", value="7", subject_type="FAC")])
    resolution = resolve(facts)
    assert sites_of(resolution) == [
        "alpha-metals--spinning-mill", "cotton-processing-plant--in-zouping",
        "release-c--new-plant", "release-d--new-plant"]
    # the two releases' unplaced, unowned plants do not merge, even when their ids read alike
    assert resolution.subject_iri(facts[2]) != resolution.subject_iri(facts[3])
    alike = [fact("r 1", "the new plant", "X-capacity", value="5", subject_type="FAC"),
             fact("r-1", "the new plant", "X-capacity", value="7", subject_type="FAC")]
    resolution = resolve(alike)
    first, second = (resolution.subject_iri(f) for f in alike)
    assert first != second and KGR + "site/release-r-1--new-plant" in (first, second)


def test_a_generic_site_keeps_its_narrowest_place():
    facts = (site_release("a", "Alpha Metals", "rolling mill", "Hamburg")
             + [fact("a", "rolling mill", "P276", "Germany", subject_type="FAC", object_type="LOC")]
             + site_release("b", "Alpha Metals", "rolling mill", "Hamburg"))
    resolution = resolve(facts)
    assert sites_of(resolution) == ["alpha-metals--rolling-mill--in-hamburg"]
    # a region the release names as the larger place of another gives way too
    facts = (site_release("a", None, "battery plant", "Altona")
             + site_release("a", None, "battery plant", "Hamburg")
             + [fact("a", "Altona", "P131", "Hamburg", subject_type="LOC", object_type="LOC")])
    assert sites_of(resolve(facts)) == ["battery-plant--in-altona"]


def test_aliases_of_a_generic_site_share_its_scope():
    facts = [fact("a", "Alpha Metals", "X-operates", "rolling mill", object_type="FAC",
                  object_aliases=("the mill",)),
             fact("a", "the mill", "X-capacity", value="5", subject_type="FAC")]
    resolution = resolve(facts)
    assert resolution.subject_iri(facts[1]) == resolution.object_iri(facts[0])
    assert sites_of(resolution) == ["alpha-metals--rolling-mill"]
    # a generic alias of a named site follows the name, and drags no other release along
    facts = [fact("a", "Alpha Metals", "X-operates", "Gigafactory Hamburg", object_type="FAC",
                  object_aliases=("the plant",)),
             fact("b", "the plant", "X-capacity", value="7", subject_type="FAC")]
    resolution = resolve(facts)
    assert sites_of(resolution) == ["gigafactory-hamburg", "release-b--plant"]


def test_named_sites_still_merge_across_releases():
    facts = (site_release("a", "Alpha Metals", "Gigafactory Berlin", "Berlin")
             + site_release("b", "Beta Steel", "Gigafactory Berlin"))
    resolution = resolve(facts)
    assert resolution.object_iri(facts[0]) == resolution.object_iri(facts[2])
    assert sites_of(resolution) == ["gigafactory-berlin"]


def test_the_registry_wins_for_generic_sites_it_lists(tmp_path):
    path = tmp_path / "entities.yaml"
    path.write_text("- {name: Qingdao, type: LOC}\n"
                    "- {name: Qingdao battery pack plant, type: FAC, aliases: [battery pack plant],"
                    " located_in: Qingdao}\n", encoding="utf-8")
    registry = load_registry(path)
    facts = (site_release("a", "Alpha Motors", "battery pack plant", "Qingdao")
             + site_release("b", "Alpha Motors", "battery pack plant")
             + site_release("c", "Beta Steel", "battery pack plant", "Lyon"))
    resolution = resolve(facts, registry)
    listed = KGR + "site/qingdao-battery-pack-plant"
    assert resolution.object_iri(facts[0]) == resolution.object_iri(facts[2]) == listed
    # a release that places it where the registry's entry is not is about another plant
    assert resolution.object_iri(facts[3]) == KGR + "site/beta-steel--battery-pack-plant--in-lyon"


def test_the_registry_wins_for_a_generic_site_it_lists_with_its_place(tmp_path):
    path = tmp_path / "entities.yaml"
    path.write_text("- {name: Binzhou, type: LOC, aliases: [Binzhou City]}\n"
                    "- {name: Lightweight alloy plant, type: FAC, aliases: [alloy plant in Binzhou]}\n"
                    "- {name: Zouping foil plant, type: FAC}\n", encoding="utf-8")
    registry = load_registry(path)
    facts = (site_release("a", "Alpha Alloys", "alloy plant", "Binzhou City")
             + site_release("b", "Beta Foils", "foil plant", "Zouping")
             + site_release("c", "Beta Foils", "alloy plant", "Zouping"))
    resolution = resolve(facts, registry)
    assert resolution.object_iri(facts[0]) == KGR + "site/lightweight-alloy-plant"
    assert resolution.object_iri(facts[2]) == KGR + "site/zouping-foil-plant"
    assert resolution.object_iri(facts[4]) == KGR + "site/beta-foils--alloy-plant--in-zouping"


def test_generic_site_iris_do_not_depend_on_release_order():
    a = (site_release("a", "Alpha Metals GmbH", "rolling mill", "Hamburg")
         + [fact("a", "the new plant", "X-capacity", value="1", subject_type="FAC")])
    b = (site_release("b", "Beta Steel SA", "rolling mill", "Lyon")
         + site_release("b", "Alpha Metals", "rolling mill", "Hamburg")
         + [fact("b", "the new plant", "X-capacity", value="2", subject_type="FAC")])

    def iris(facts):
        resolution = resolve(facts)
        return {(f.doc, f.subject, f.relation, f.object):
                (resolution.subject_iri(f), resolution.object_iri(f)) for f in facts}

    expected = iris(a + b)
    assert iris(b + a) == expected
    for seed in range(3):
        shuffled = a + b
        random.Random(seed).shuffle(shuffled)
        assert iris(shuffled) == expected
    assert len({site for pair in expected.values() for site in pair if site and "/site/" in site}) == 4


def test_built_store_keeps_two_companies_mills_apart_in_either_order(tmp_path):
    from kg.build import build
    from kg.queries import run
    from kg.store import open_store

    alpha, beta = tmp_path / "alpha-2024-01-05.txt", tmp_path / "beta-2024-02-05.txt"
    alpha.write_text("Alpha Metals expands\n\nHamburg, 2024-01-05\n\n"
                     "Alpha Metals GmbH said its rolling mill in Hamburg will double output.\n", encoding="utf-8")
    beta.write_text("Beta Steel restructures\n\nLyon, 2024-02-05\n\n"
                    "Beta Steel SA said its rolling mill in Lyon will close.\n", encoding="utf-8")
    found = []
    for order in ([alpha, beta], [beta, alpha]):
        with open_store("memory:") as store:
            build(order, store, extractor="rules")  # resolution is under test, not extraction
            rows = run(store, "sites")
        found.append(sorted((str(r["site"]), str(r["operators"]), str(r["locations"])) for r in rows))
    assert found[0] == found[1]
    assert found[0] == [(KGR + "site/alpha-metals--rolling-mill--in-hamburg", "Alpha Metals GmbH", "Hamburg"),
                        (KGR + "site/beta-steel--rolling-mill--in-lyon", "Beta Steel SA", "Lyon")]


@settings(max_examples=40, deadline=None)
@given(operator=st.text(min_size=1, max_size=20).filter(str.strip),
       place=st.text(min_size=1, max_size=20).filter(str.strip),
       site=st.sampled_from(["rolling mill", "the new plant", "joint venture's plant", "base"]))
def test_any_scope_gives_a_valid_site_iri(operator, place, site):
    resolution = resolve(site_release("r 1", operator, site, place) + site_release("r/2", None, site))
    for iri in resolution.entities:
        pyoxigraph.NamedNode(iri)
        assert rdflib.URIRef(iri).n3()


# --------------------------------------------------------------------------- registry


def test_registry_wins_over_automatic_matching(registry):
    facts = [
        fact("r1", "Northwind", "P749", "Northwind Chemicals"),  # two registry entities
        fact("r2", "NWH", "P1128", value="1200"),
        fact("r3", "Northwind Holdings N.V.", "P414", "Euronext Amsterdam", object_type="EXCHANGE"),
        fact("r4", "BBW Energy", "X-supplies", "Northwind Group"),
    ]
    resolution = resolve(facts, registry)
    holdings = KGR + "org/northwind-holdings"
    assert {resolution.subject_iri(f) for f in facts[:3]} == {holdings}
    assert resolution.object_iri(facts[3]) == holdings
    assert resolution.object_iri(facts[0]) == KGR + "org/northwind-chemicals-b-v"
    assert resolution.subject_iri(facts[3]) == KGR + "org/borealis-battery"  # the registry's slug
    entity = resolution.entities[holdings]
    assert entity.name == "Northwind Holdings"
    assert entity.identifiers["wikidata"] == "Q99990001"
    assert resolution.classes[holdings] == ("CorporateGroup",)
    assert resolution.object_iri(facts[2]) == KGR + "exchange/amsterdam-stock-exchange"
    # located_in brings the place along, resolved through the registry too
    rotterdam = resolution.located_in[holdings]
    assert rotterdam == KGR + "place/rotterdam"
    assert resolution.entities[rotterdam].identifiers == {"wikidata": "Q99990002"}


def test_aliases_never_merge_two_registry_entities(registry):
    facts = [fact("r1", "Northwind Holdings", "P1128", value="5",
                  subject_aliases=("Northwind Chemicals",))]
    resolution = resolve(facts, registry)
    assert resolution.subject_iri(facts[0]) == KGR + "org/northwind-holdings"
    assert resolution.lookup("Northwind Chemicals", "ORG").iri == KGR + "org/northwind-chemicals-b-v"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {name: X, type: COMPANY}", "'type' must be one of"),
        ("- {name: X, type: ORG, class: Nonsense}", "'class' 'Nonsense' is not an ontology class"),
        ("- {name: X, type: LOC, class: ListedCompany}", "class ListedCompany is for ORG entities"),
        ("- {name: X, type: ORG, ids: {wikidata: '42'}}", "wikidata id '42' is malformed"),
        ("- {name: X, type: ORG}\n- {name: Y, type: ORG, aliases: [x]}", "'x' names both 'X' and 'Y'"),
        ("- {name: X, type: ORG, colour: red}", "unknown keys colour"),
        ("- {name: '', type: ORG}", "'name' must be a non-empty string"),
        ("- {name: X, type: ORG, slug: 'Not A Slug'}", "'slug' must be"),
        ("name: [unclosed", "not valid YAML"),
        ("just a string", "expected a YAML list"),
    ],
)
def test_bad_registry_is_one_line_naming_the_file(tmp_path, text, message):
    path = tmp_path / "entities.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_registry_file(tmp_path):
    with pytest.raises(RegistryError, match="cannot read the entity registry"):
        load_registry(tmp_path / "absent.yaml")
    assert load_registry(None).entries == ()
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert load_registry(empty).entries == ()


def test_the_project_registry_loads():
    registry = load_registry(DATA.parents[1] / "data" / "entities.yaml")
    assert len(registry.entries) > 10


# --------------------------------------------------------------------------- IRIs


def test_iris_do_not_depend_on_fact_order(registry):
    facts = [
        fact("r1", "Acme Motor Co., Ltd.", "P749", "Northwind", subject_aliases=("Acme",)),
        fact("r2", "ACME", "P159", "Lyon", object_type="LOC"),
        fact("r2", "Acme Motor", "X-operates", "Lyon plant", object_type="FAC"),
        fact("r3", "Borealis Automobile Works", "P571", value="1951",
             evidence="Borealis Automobile Works (BAW) was founded in 1951."),
        fact("r3", "BAW", "X-cooperates", "ACME"),
    ]

    def iris(facts):
        resolution = resolve(facts, registry)
        return {(f.doc, f.subject, f.object): (resolution.subject_iri(f), resolution.object_iri(f))
                for f in facts}

    expected = iris(facts)
    for seed in range(5):
        shuffled = facts[:]
        random.Random(seed).shuffle(shuffled)
        assert iris(shuffled) == expected


def test_names_with_the_same_slug_get_distinct_iris():
    facts = [fact("r1", "A&B Trading", "P1128", value="1"), fact("r1", "A and B Trading", "P1128", value="2")]
    resolution = resolve(facts)
    first, second = (resolution.subject_iri(f) for f in facts)
    assert first != second
    assert {first, second} & {KGR + "org/a-and-b-trading"}


def test_non_latin_names_get_a_hash_slug():
    assert slug("北京汽车") != slug("上海汽车")
    assert slug("北京汽车").startswith("n-")
    assert slug("1951") .startswith("1951-")
    long = slug("Very " * 40 + "Long Name")
    assert len(long) <= 64 + 9 and long.endswith(slug("Very " * 40 + "Long Name")[-8:])


def test_blank_names_are_refused_with_one_line():
    blank = fact("r1", "  ", "P1128", value="3")
    resolution = resolve([blank])
    with pytest.raises(KgError, match="^r1: a P1128 fact has an empty subject name$"):
        resolution.subject_iri(blank)


def test_unknown_entity_type_is_refused():
    with pytest.raises(KgError, match="unknown entity type"):
        mint_iri("SHIP", "Ever Given")
    with pytest.raises(KgError, match="unknown type"):
        resolve([fact("r1", "Ever Given", "X-sails", value="25", subject_type="SHIP")])


def test_types_the_relation_rules_out_follow_its_domain_and_range(registry):
    facts = [
        fact("r1", "Northwind Holdings", "P159", "Rotterdam", object_type="ORG"),  # a place, not an org
        fact("r1", "Rotterdam plant", "P276", "Rotterdam"),  # subject typed ORG by default: a site
        fact("r1", "Jan Kowalski", "X-visits", "Rotterdam plant", subject_type="PER", object_type="FAC"),
    ]
    resolution = resolve(facts, registry)
    assert resolution.object_iri(facts[0]) == KGR + "place/rotterdam"
    assert resolution.subject_iri(facts[1]) == KGR + "site/rotterdam-plant"
    assert resolution.object_iri(facts[1]) == KGR + "place/rotterdam"
    assert resolution.subject_iri(facts[2]) == KGR + "person/jan-kowalski"  # PER is allowed: kept
    assert resolution.object_iri(facts[2]) == KGR + "site/rotterdam-plant"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(min_size=0, max_size=80), etype=st.sampled_from(ENTITY_TYPES))
def test_any_text_gives_an_iri_rdflib_and_oxigraph_accept(name, etype):
    iri = mint_iri(etype, name)
    assert iri.startswith(KGR)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # rdflib warns about IRIs it finds invalid
        node = rdflib.URIRef(iri)
        triple = rdflib.Graph().add((node, rdflib.RDFS.label, rdflib.Literal(name)))
        data = triple.serialize(format="nt")
    pyoxigraph.NamedNode(iri)
    assert len(list(pyoxigraph.parse(data.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES))) == 1


@settings(max_examples=60, deadline=None)
@given(names=st.lists(st.text(min_size=1, max_size=30).filter(str.strip), min_size=1, max_size=5))
def test_any_names_resolve_to_valid_distinct_iris(names):
    facts = [fact("r1", name, "P1128", value="1") for name in names]
    resolution = resolve(facts)
    iris = {resolution.subject_iri(f) for f in facts}
    keys = {name_key(n) for n in names}
    assert len(iris) == len(keys)  # one entity per normalised name, no two share an IRI
    for iri in iris:
        pyoxigraph.NamedNode(iri)


def test_the_examples_in_the_docstrings_run():
    import doctest

    import kg.resolve

    assert doctest.testmod(kg.resolve).failed == 0

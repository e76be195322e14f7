"""A deal, stake or appointment that carries its own date (the fact's ``date`` qualifier)
keeps it all the way: typed as precisely as it is written on the fact node, the date
`deals-timeline` orders by, and a line of the HTML tooltip.  (Finding such dates in the
text is the extractor's part; this checks every stage after it.)"""

from __future__ import annotations

import hashlib
from datetime import date

import rdflib
from rdflib.namespace import XSD

from kg.html import page_data
from kg.model import Fact, Release
from kg.queries import rows_for_display, run
from kg.rdf import release_graph
from kg.resolve import resolve
from kg.views import company_graph

CKG = rdflib.Namespace("https://w3id.org/corporate-kg/ontology#")
TEXT = ("Acme Holdings completed the acquisition of 60% of Beta Metals on 5 May 2024. "
        "Acme Holdings signed a cooperation agreement with Gamma Motors in March 2024.")


def dated_release():
    release = Release(id="acme-beta-2024-06-01", text=TEXT,
                      sha256=hashlib.sha256(TEXT.encode("utf-8")).hexdigest(),
                      source="acme-beta.txt", format="txt", title="Acme closes Beta Metals deal",
                      date=date(2024, 6, 1), issuer="Acme Holdings")
    first, second = TEXT.split(". ")
    facts = [
        Fact(doc=release.id, subject="Acme Holdings", relation="X-acquires",
             object="Beta Metals", object_type="ORG", evidence=first + ".", start=0,
             end=len(first) + 1, confidence=0.9, extractor="test",
             qualifiers={"status": "completed", "percent": "60", "date": "2024-05-05"}),
        Fact(doc=release.id, subject="Acme Holdings", relation="X-cooperates",
             object="Gamma Motors", object_type="ORG", evidence=second,
             start=len(first) + 2, end=len(TEXT), confidence=0.9, extractor="test",
             qualifiers={"status": "agreed", "date": "2024-03"}),
    ]
    return release, facts


def test_a_deal_date_is_typed_on_the_fact_queryable_and_in_the_tooltip(tmp_store):
    release, facts = dated_release()
    graph = release_graph(release, facts, resolve(facts, releases=[release]).release_view(release, facts))
    dates = {str(o): o.datatype for o in graph.objects(None, CKG.date)}
    assert dates == {"2024-05-05": XSD.date, "2024-03": XSD.gYearMonth}
    tmp_store.load_release(f"https://w3id.org/corporate-kg/id/release/{release.id}", graph, "x")

    rows = rows_for_display(run(tmp_store, "deals-timeline"))
    assert [(r["date"], r["dateSource"], r["kind"], r["dealStatusName"]) for r in rows] == [
        ("2024-03", "deal", "cooperatesWith", "agreed"),
        ("2024-05-05", "deal", "acquires", "completed")]

    data = page_data(company_graph(tmp_store))
    tooltips = [f["qualifiers"] for e in data["edges"] for f in e["facts"]]
    assert any("date: 2024-05-05" in t for t in tooltips)
    assert any("date: 2024-03" in t for t in tooltips)

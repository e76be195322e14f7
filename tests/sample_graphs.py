"""Hand-made RDF in the shape of docs/CONTRACTS.md, for the view, analytics and HTML tests.

The facts follow real, public corporate events; every sentence here is written by us.
``python tests/sample_graphs.py OUT.html`` writes the sample as the interactive page
(used for docs/screenshot.png until the lead regenerates it from the demo output).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, XSD

CKG = Namespace("https://w3id.org/corporate-kg/ontology#")
KGR = Namespace("https://w3id.org/corporate-kg/id/")
WD = Namespace("http://www.wikidata.org/entity/")

# guideline id -> (shortcut property, n-ary class), as in docs/CONTRACTS.md.
RELATIONS = {
    "P749": ("subsidiaryOf", "ParentRelation"),
    "P127": ("ownedBy", "Stake"),
    "X-acquires": ("acquires", "Acquisition"),
    "X-jv": ("jointVentureOf", "JointVentureParticipation"),
    "X-cooperates": ("cooperatesWith", "Cooperation"),
    "X-supplies": ("supplies", "SupplyRelation"),
    "X-operates": ("operates", "SiteOperation"),
    "P276": ("location", "SiteLocation"),
    "P131": ("locatedInRegion", "RegionMembership"),
    "P159": ("headquarteredIn", "HeadquartersLocation"),
    "P571": ("foundingYear", "Founding"),
    "P169": ("chiefExecutiveOfficer", "Position"),
    "P488": ("chairperson", "Position"),
    "X-visits": ("visited", "Visit"),
    "P1056": ("produces", "ProductionRelation"),
    "P452": ("industry", "IndustryRelation"),
    "P414": ("listedOn", "Listing"),
    "X-listed-companies": ("listedCompanyCount", "ListedCompanyCount"),
    "X-listed-companies-on": ("hasListedCompaniesOn", "ListingCount"),
    "X-production-sites": ("productionSiteCount", "ProductionSiteCount"),
    "P1128": ("employeeCount", "Headcount"),
    "X-capacity": ("productionCapacity", "CapacityTarget"),
    "X-production-value": ("productionValue", "ProductionValue"),
    "X-revenue": ("revenue", "Revenue"),
    "P361": ("partOf", "PartRelation"),
}

QUALIFIERS = {
    "percent": (CKG["percentage"], XSD.decimal),
    "status": (CKG["dealStatus"], None),
    "unit": (CKG["unit"], None),
    "horizon": (CKG["horizon"], None),
    "bound": (CKG["bound"], None),
    "count": (CKG["count"], XSD.integer),
    "since": (CKG["since"], XSD.gYear),
    "date": (CKG["date"], XSD.date),
    "title": (CKG["title"], None),
    "ticker": (CKG["ticker"], None),
    "product": (CKG["product"], None),
    "year": (CKG["year"], XSD.gYear),
}

XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_EVIDENCE = "The board of <script>alert(2)</script> & Co. said \"hello\" to 'everyone'."
XSS_TITLE = "\"><svg onload=alert(3)> takeover"


@dataclass
class Sample:
    """A Dataset being filled release by release."""

    ds: Dataset = field(default_factory=lambda: Dataset())
    entities: dict[str, URIRef] = field(default_factory=dict)
    counter: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for gid, (prop, _cls) in RELATIONS.items():
            self.ds.add((CKG[prop], CKG.guidelineId, Literal(gid)))
            words = "".join(" " + c.lower() if c.isupper() else c for c in prop)
            self.ds.add((CKG[prop], RDFS.label, Literal(words, lang="en")))

    def entity(self, key: str, path: str, label: str, cls: str, *aliases: str,
               wikidata: str | None = None) -> URIRef:
        iri = KGR[f"{path}/{key}"]
        self.entities[key] = iri
        self.ds.add((iri, RDF.type, CKG[cls]))
        self.ds.add((iri, RDFS.label, Literal(label)))
        for alias in aliases:
            self.ds.add((iri, SKOS.altLabel, Literal(alias)))
        if wikidata:
            self.ds.add((iri, OWL.sameAs, WD[wikidata]))
        return iri

    def release(self, rid: str, title: str, date: str, publisher: str | None = None):
        iri = KGR[f"release/{rid}"]
        g = self.ds.graph(iri)
        g.add((iri, RDF.type, CKG.Release))
        g.add((iri, RDF.type, PROV.Entity))
        g.add((iri, DCTERMS.title, Literal(title)))
        g.add((iri, DCTERMS.date, Literal(date, datatype=XSD.date)))
        if publisher:
            g.add((iri, DCTERMS.publisher, self.entities[publisher]))
        return iri

    def fact(self, rid: str, subject: str, gid: str, obj: str | None = None, *,
             value: str | None = None, datatype=XSD.integer, evidence: str = "",
             confidence: float = 0.9, extractor: str = "rule", **qualifiers) -> URIRef:
        release = KGR[f"release/{rid}"]
        g = self.ds.graph(release)
        n = self.counter.get(rid, 0) + 1
        self.counter[rid] = n
        node = KGR[f"fact/{rid}/{n}"]
        prop, cls = RELATIONS[gid]
        s = self.entities[subject]
        g.add((node, RDF.type, CKG[cls]))
        g.add((node, CKG.subject, s))
        g.add((node, CKG.relation, CKG[prop]))
        if obj is not None:
            o = self.entities[obj]
            g.add((node, CKG.object, o))
            g.add((s, CKG[prop], o))
        else:
            g.add((node, CKG.value, Literal(value, datatype=datatype)))
        for key, q in qualifiers.items():
            pred, dt = QUALIFIERS[key]
            if key == "product":
                g.add((node, pred, self.entities[q]))
            elif key == "status":  # an individual of ckg:DealStatus
                g.add((node, pred, CKG[q.capitalize()]))
            else:
                g.add((node, pred, Literal(q, datatype=dt)))
        g.add((node, PROV.wasDerivedFrom, release))
        g.add((node, CKG.evidence, Literal(evidence)))
        g.add((node, CKG.evidenceStart, Literal(0, datatype=XSD.integer)))
        g.add((node, CKG.evidenceEnd, Literal(len(evidence), datatype=XSD.integer)))
        g.add((node, CKG.confidence, Literal(str(confidence), datatype=XSD.decimal)))
        g.add((node, CKG.extractor, Literal(extractor)))
        return node


def sample_dataset(hostile: bool = False) -> Dataset:
    """About 50 entities in six releases; ``hostile=True`` adds names that try to inject HTML."""
    s = Sample()
    e = s.entity
    # organisations
    e("weiqiao", "org", "Weiqiao Pioneering Group", "CorporateGroup",
      "Shandong Weiqiao Pioneering Group", "Weiqiao", wikidata="Q10929113")
    e("weiqiao-germany", "org", "WEIQIAO Germany GmbH", "Company", "WEIQIAO Germany")
    e("baw", "org", "Beijing Automobile Works", "Manufacturer", "BAW")
    e("hongqiao", "org", "China Hongqiao Group", "ListedCompany", "Hongqiao")
    e("hongqiao-holdings", "org", "Hongqiao Investment Holdings", "Company")
    e("vw", "org", "Volkswagen AG", "CorporateGroup", "Volkswagen", wikidata="Q246")
    e("vw-china", "org", "Volkswagen (China) Investment", "Company", "VCIC")
    e("gotion", "org", "Gotion High-Tech", "Company", "Gotion")
    e("stellantis", "org", "Stellantis N.V.", "CorporateGroup", "Stellantis")
    e("leapmotor", "org", "Zhejiang Leapmotor Technology", "Company", "Leapmotor")
    e("leap-intl", "org", "Leapmotor International", "Company")
    e("catl", "org", "Contemporary Amperex Technology", "Company", "CATL", wikidata="Q24840003")
    e("catl-hungary", "org", "CATL Hungary Kft.", "Company")
    e("mercedes", "org", "Mercedes-Benz Group", "Company", "Mercedes-Benz")
    e("byd", "org", "BYD Company", "Company", "BYD")
    e("toyota", "org", "Toyota Motor Corporation", "Company", "Toyota")
    e("btet", "org", "BYD Toyota EV Technology", "Company")
    # people
    e("bo-zhang", "person", "Bo Zhang", "Person")
    e("carlos-tavares", "person", "Carlos Tavares", "Person")
    e("john-elkann", "person", "John Elkann", "Person")
    e("robin-zeng", "person", "Robin Zeng", "Person", "Zeng Yuqun")
    # places
    e("qingdao", "place", "Qingdao", "City")
    e("shandong", "place", "Shandong Province", "Region", "Shandong")
    e("china", "place", "China", "Country")
    e("goettingen", "place", "Göttingen", "City")
    e("germany", "place", "Germany", "Country")
    e("debrecen", "place", "Debrecen", "City")
    e("hungary", "place", "Hungary", "Country")
    e("hangzhou", "place", "Hangzhou", "City")
    e("amsterdam", "place", "Amsterdam", "City")
    e("shenzhen", "place", "Shenzhen", "City")
    e("duesseldorf", "place", "Düsseldorf", "City")
    # sites
    e("nev-base", "site", "Qingdao new energy vehicle industrial base", "ProductionBase")
    e("goettingen-plant", "site", "Göttingen battery plant", "Plant")
    e("debrecen-plant", "site", "Debrecen battery plant", "Plant")
    # exchanges
    e("hkex", "exchange", "Hong Kong Stock Exchange", "StockExchange", "HKEX")
    e("szse", "exchange", "Shenzhen Stock Exchange", "StockExchange", "SZSE")
    e("tse", "exchange", "Tokyo Stock Exchange", "StockExchange")
    # products and industries
    e("nev", "product", "new energy vehicles", "Product", "NEVs")
    e("cells", "product", "lithium-ion battery cells", "Product", "battery cells")
    e("aluminium", "industry", "aluminium industry", "Industry")
    e("textile", "industry", "textile industry", "Industry")

    r = "weiqiao-baw-2023-04-20"
    s.release(r, "Weiqiao and BAW plan a vehicle base in Qingdao", "2023-04-20", "weiqiao-germany")
    f = s.fact
    f(r, "weiqiao", "X-acquires", "baw", status="planned", confidence=0.85,
      evidence="Weiqiao intends to buy into Beijing Automobile Works.")
    f(r, "weiqiao", "X-cooperates", "baw", status="planned",
      evidence="Both companies want to set up an industrial base for electric cars together.")
    f(r, "weiqiao", "X-operates", "nev-base", status="planned",
      evidence="Weiqiao and BAW will jointly build the Qingdao vehicle base.")
    f(r, "baw", "X-operates", "nev-base", status="planned",
      evidence="Weiqiao and BAW will jointly build the Qingdao vehicle base.")
    f(r, "nev-base", "P276", "qingdao", evidence="The base is to be built in Qingdao.")
    f(r, "qingdao", "P131", "shandong", evidence="Qingdao lies in Shandong Province.")
    f(r, "nev-base", "P1056", "nev", evidence="The base will make new energy vehicles.")
    f(r, "nev-base", "X-capacity", value="500000", unit="vehicles", horizon="3-5 years",
      evidence="A first target is 500,000 cars a year within three to five years.")
    f(r, "nev-base", "X-capacity", value="1000000", unit="vehicles", confidence=0.8,
      evidence="Later the output is meant to reach one million cars.")
    f(r, "nev-base", "X-production-value", value="100000000000", unit="CNY", bound="more than",
      evidence="Annual production value is put at over CNY 100 billion.")
    f(r, "weiqiao", "P169", "bo-zhang", title="CEO",
      evidence="Bo Zhang is the chief executive of Weiqiao.")
    f(r, "bo-zhang", "X-visits", "baw", date="2023-04-11",
      evidence="Bo Zhang toured the BAW headquarters in Qingdao on 11 April.")
    f(r, "baw", "P571", value="1951", datatype=XSD.gYear, evidence="BAW dates back to 1951.")
    f(r, "baw", "P159", "qingdao", since="2020",
      evidence="BAW has had its head office in Qingdao since 2020.")
    f(r, "weiqiao-germany", "P749", "weiqiao",
      evidence="WEIQIAO Germany GmbH is the group's European subsidiary.")
    f(r, "weiqiao", "X-listed-companies", value="3",
      evidence="Three companies of the group are listed.")
    f(r, "weiqiao", "X-listed-companies-on", "hkex", count="2",
      evidence="Two of the listed companies trade in Hong Kong.")
    f(r, "weiqiao", "X-production-sites", value="12", evidence="The group runs 12 production sites.")
    f(r, "weiqiao", "P1128", value="100000", bound="more than",
      evidence="More than 100,000 people work for the group.")
    f(r, "weiqiao", "P452", "textile", evidence="The group is active in textiles and aluminium.")
    f(r, "weiqiao", "P452", "aluminium", evidence="The group is active in textiles and aluminium.")
    f(r, "weiqiao-germany", "P159", "duesseldorf", confidence=0.6,
      evidence="WEIQIAO Germany is based in Düsseldorf.")

    r = "hongqiao-profile-2023"
    s.release(r, "China Hongqiao: company profile", "2023-06-30", "hongqiao")
    f(r, "hongqiao", "P414", "hkex", ticker="1378",
      evidence="China Hongqiao shares trade on the Hong Kong exchange.")
    f(r, "hongqiao", "P127", "hongqiao-holdings", percent="64.4",
      evidence="Hongqiao Investment Holdings holds 64.4% of China Hongqiao.")
    f(r, "hongqiao-holdings", "P749", "weiqiao", confidence=0.7,
      evidence="Hongqiao Investment Holdings belongs to the Weiqiao group.")
    f(r, "hongqiao", "P452", "aluminium", evidence="China Hongqiao produces aluminium.")
    f(r, "hongqiao", "P159", "shandong", evidence="The company is based in Shandong.")
    f(r, "hongqiao", "P1128", value="46000", bound="about",
      evidence="The company has around 46,000 staff.")

    r = "vw-gotion-2020-05-28"
    s.release(r, "Volkswagen becomes largest shareholder of Gotion", "2020-05-28", "vw")
    f(r, "gotion", "P127", "vw-china", percent="26",
      evidence="Volkswagen China will own 26% of Gotion High-Tech.")
    f(r, "vw-china", "P749", "vw", evidence="VCIC is Volkswagen's holding company in China.")
    f(r, "vw", "X-cooperates", "gotion", status="agreed",
      evidence="Volkswagen and Gotion will develop battery cells together.")
    f(r, "gotion", "P414", "szse", evidence="Gotion is listed in Shenzhen.")
    f(r, "gotion", "X-operates", "goettingen-plant",
      evidence="Gotion runs a battery plant in Göttingen.")
    f(r, "goettingen-plant", "P276", "goettingen", evidence="The plant is in Göttingen.")
    f(r, "goettingen", "P131", "germany", evidence="Göttingen, Germany.")
    f(r, "goettingen-plant", "P1056", "cells", evidence="Göttingen makes battery cells.")

    r = "stellantis-leapmotor-2023-10-26"
    s.release(r, "Stellantis invests in Leapmotor and forms Leapmotor International",
              "2023-10-26", "stellantis")
    f(r, "stellantis", "X-acquires", "leapmotor", percent="21", status="completed",
      evidence="Stellantis has acquired about 21% of Leapmotor.")
    f(r, "leapmotor", "P127", "stellantis", percent="21",
      evidence="Stellantis now holds some 21% of Leapmotor.")
    f(r, "leap-intl", "X-jv", "stellantis", percent="51",
      evidence="Stellantis holds 51% of Leapmotor International.")
    f(r, "leap-intl", "X-jv", "leapmotor", percent="49",
      evidence="Leapmotor holds the other 49% of the joint venture.")
    f(r, "leap-intl", "P127", "stellantis", percent="51",
      evidence="Stellantis holds 51% of Leapmotor International.")
    f(r, "leap-intl", "P127", "leapmotor", percent="49",
      evidence="Leapmotor holds the other 49% of the joint venture.")
    f(r, "leapmotor", "P414", "hkex", evidence="Leapmotor is listed in Hong Kong.")
    f(r, "leapmotor", "P159", "hangzhou", evidence="Leapmotor is based in Hangzhou.")
    f(r, "stellantis", "P159", "amsterdam", evidence="Stellantis is registered in Amsterdam.")
    f(r, "stellantis", "P169", "carlos-tavares", title="CEO",
      evidence="Carlos Tavares leads Stellantis as chief executive.")
    f(r, "stellantis", "P488", "john-elkann", title="Chairman",
      evidence="John Elkann chairs the Stellantis board.")
    f(r, "leapmotor", "P1056", "nev", evidence="Leapmotor builds electric cars.")

    r = "catl-debrecen-2022-08-12"
    s.release(r, "CATL to build its second European plant in Debrecen", "2022-08-12", "catl")
    f(r, "catl", "X-operates", "debrecen-plant", status="planned",
      evidence="CATL will build a plant in Debrecen.")
    f(r, "catl-hungary", "P749", "catl", evidence="CATL Hungary is a CATL subsidiary.")
    f(r, "catl-hungary", "X-operates", "debrecen-plant", status="planned",
      evidence="The plant will be run by CATL Hungary.")
    f(r, "debrecen-plant", "P276", "debrecen", evidence="The site is in Debrecen.")
    f(r, "debrecen", "P131", "hungary", evidence="Debrecen, Hungary.")
    f(r, "debrecen-plant", "X-capacity", value="100", unit="GWh", horizon="2027",
      evidence="The plant is planned for 100 GWh.")
    f(r, "catl", "X-supplies", "mercedes", product="cells",
      evidence="Mercedes-Benz will be the plant's first customer.")
    f(r, "mercedes", "X-cooperates", "catl", status="agreed",
      evidence="Mercedes-Benz and CATL deepen their partnership.")
    f(r, "catl", "P414", "szse", evidence="CATL is listed in Shenzhen.")
    f(r, "catl", "P488", "robin-zeng", title="Chairman",
      evidence="Robin Zeng is CATL's chairman.")
    f(r, "debrecen-plant", "P1056", "cells", evidence="Debrecen will make battery cells.")
    f(r, "catl", "X-revenue", value="328590000000", unit="CNY", year="2022",
      evidence="Revenue came to CNY 328.6 billion.")

    r = "byd-toyota-2020-04-01"
    s.release(r, "BYD and Toyota start a joint venture for electric vehicles", "2020-04-01",
              "byd")
    f(r, "btet", "X-jv", "byd", percent="50", evidence="BYD owns half of the joint venture.")
    f(r, "btet", "X-jv", "toyota", percent="50", evidence="Toyota owns the other half.")
    f(r, "btet", "P127", "byd", percent="50", evidence="BYD owns half of the joint venture.")
    f(r, "btet", "P127", "toyota", percent="50", evidence="Toyota owns the other half.")
    f(r, "btet", "P159", "shenzhen", evidence="The joint venture sits in Shenzhen.")
    f(r, "byd", "P414", "hkex", evidence="BYD shares trade in Hong Kong and Shenzhen.")
    f(r, "byd", "P414", "szse", evidence="BYD shares trade in Hong Kong and Shenzhen.")
    f(r, "toyota", "P414", "tse", evidence="Toyota is listed in Tokyo.")
    f(r, "byd", "P1056", "nev", evidence="BYD makes electric vehicles.")
    f(r, "byd", "X-cooperates", "toyota", status="completed",
      evidence="BYD and Toyota work together on electric cars.")

    if hostile:
        e("xss", "org", XSS_NAME, "Company", "</script><script>alert(4)</script>")
        r = "hostile-2024-01-01"
        s.release(r, XSS_TITLE, "2024-01-01")
        f(r, "xss", "P749", "baw", evidence=XSS_EVIDENCE, extractor="<b>rule</b>")
        f(r, "xss", "P1128", value="12", evidence=XSS_EVIDENCE)
    return s.ds


def main(argv: list[str]) -> int:
    """Write the sample as an interactive HTML page: ``sample_graphs.py OUT.html``."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from kg.html import write_html
    from kg.views import company_graph

    out = Path(argv[1] if len(argv) > 1 else "out/sample.html")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_html(company_graph(sample_dataset()), out, title="corporate-kg sample")
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

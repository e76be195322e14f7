"""The company graph as FollowTheMoney entities (https://followthemoney.tech).

One table, :data:`FTM_SCHEMATA`, maps the ontology's classes and relations to FtM
schemata; :func:`ftm_entities` applies it to a graph of :func:`kg.views.company_graph`
and returns entity dicts that the ``followthemoney`` model has checked (every value
cleaned by its property type, every required property present, ``Schema.validate``
passes).  The export ``FILE.ftm.json`` writes them one JSON object a line, the format
the ``ftm`` command-line tools read.

Every entity id is derived from the IRI it comes from, so ids are stable across builds.
A fact becomes an interval entity of its own (``Ownership``, ``Directorship``,
``Employment``), dated by the release that states it; its evidence sentence is the
entity's ``summary`` and the fact IRI its ``recordId``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

from kg.errors import KgError


@dataclass(frozen=True)
class FtmMapping:
    """How one ontology term becomes FollowTheMoney.

    For a class: ``schema`` is the entity's schema.  For a relation: ``schema`` is the
    interval schema a fact becomes, and ``subject`` / ``object`` the properties its
    subject and object fill; with ``schema`` None the fact is a property (``subject``)
    of its subject entity, pointing at the object's entity.
    """

    schema: str | None
    subject: str | None = None
    object: str | None = None


#: Ontology class or relation (local name) -> FollowTheMoney.  Classes are tried in this
#: order, so a more specific class comes before its superclass.
FTM_SCHEMATA: dict[str, FtmMapping] = {
    # classes
    "CorporateGroup": FtmMapping("Company"),
    "ListedCompany": FtmMapping("Company"),
    "JointVenture": FtmMapping("Company"),
    "Company": FtmMapping("Company"),
    "StockExchange": FtmMapping("Organization"),
    "Organization": FtmMapping("Organization"),
    "Person": FtmMapping("Person"),
    "Place": FtmMapping("Address"),
    # relations
    "ownedBy": FtmMapping("Ownership", subject="asset", object="owner"),
    "ownsStakeIn": FtmMapping("Ownership", subject="owner", object="asset"),
    "subsidiaryOf": FtmMapping("Ownership", subject="asset", object="owner"),
    "hasSubsidiary": FtmMapping("Ownership", subject="owner", object="asset"),
    "jointVentureOf": FtmMapping("Ownership", subject="asset", object="owner"),
    "acquires": FtmMapping("Ownership", subject="owner", object="asset"),  # once completed
    "chiefExecutiveOfficer": FtmMapping("Directorship", subject="organization", object="director"),
    "chairperson": FtmMapping("Directorship", subject="organization", object="director"),
    "hasOfficer": FtmMapping("Directorship", subject="organization", object="director"),
    "employer": FtmMapping("Employment", subject="employee", object="employer"),
    "headquarteredIn": FtmMapping(None, subject="addressEntity"),
}

#: Literal-valued facts and identifiers that become properties of the entity.
FTM_PROPERTIES = {"foundingYear": "incorporationDate", "wikidata": "wikidataId",
                  "ticker": "ticker", "lei": "leiCode"}
ID_PREFIX = "corporate-kg"


def _model():
    try:
        from followthemoney import model
    except ImportError:  # pragma: no cover - the ftm extra is not installed
        raise KgError("the FollowTheMoney export needs the followthemoney package: "
                      "pip install -e '.[ftm]'") from None
    return model


def entity_schema(G: nx.MultiDiGraph, node: Hashable) -> str | None:
    """The FtM schema of a node, from its ontology classes (None when none maps)."""
    classes = {str(t).rsplit("#", 1)[-1] for t in G.nodes[node].get("types") or ()}
    for name, mapping in FTM_SCHEMATA.items():
        if mapping.subject is None and name in classes:
            return mapping.schema
    return None


def _checked(proxy) -> dict:
    """The entity as a dict, after the model's own checks; a failure is a KgError."""
    from followthemoney.exc import InvalidData

    data = proxy.to_dict()
    missing = [p for p in proxy.schema.required if not proxy.get(p)]
    if missing:
        raise KgError(f"FtM {proxy.schema.name} {proxy.id}: required {', '.join(missing)} "
                      "missing")
    try:
        proxy.schema.validate(data)
    except InvalidData as err:
        raise KgError(f"FtM {proxy.schema.name} {proxy.id}: {err}") from err
    return data


def _add(proxy, prop: str, value) -> None:
    if value is None or value == "":
        return
    proxy.add(prop, str(value))


def ftm_entities(G: nx.MultiDiGraph) -> list[dict]:
    """FollowTheMoney entities of a company graph, each checked by the FtM model.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph of :func:`kg.views.company_graph`.

    Returns
    -------
    list of dict
        ``{"id", "schema", "properties"}`` dicts, sorted by id.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("kgr:org/a", label="Alpha Ltd", types=["ckg#Company"])
    >>> G.add_node("kgr:org/b", label="Beta Group", types=["ckg#CorporateGroup"])
    >>> _ = G.add_edge("kgr:org/a", "kgr:org/b", key="kgr:fact/1", name="ownedBy",
    ...                percent=60.0, release_date="2024-03-01", fact="kgr:fact/1")
    >>> [(e["schema"], e["properties"].get("percentage")) for e in ftm_entities(G)]
    [('Company', None), ('Ownership', ['60']), ('Company', None)]
    """
    model = _model()
    ids: dict[Hashable, str] = {}
    proxies = {}
    for node, data in G.nodes(data=True):
        schema = entity_schema(G, node)
        if schema is None or not data.get("label"):
            continue
        proxy = model.make_entity(schema)
        proxy.make_id(ID_PREFIX, str(node))
        if schema == "Address":
            _add(proxy, "full", data["label"])
        else:
            _add(proxy, "name", data["label"])
            for alias in data.get("aliases") or ():
                _add(proxy, "alias", alias)
            for key, value in (data.get("identifiers") or {}).items():
                if key in FTM_PROPERTIES and FTM_PROPERTIES[key] in proxy.schema.properties:
                    _add(proxy, FTM_PROPERTIES[key], value)
            for key, prop in FTM_PROPERTIES.items():
                facts = data.get(key)
                if isinstance(facts, list) and facts and prop in proxy.schema.properties:
                    _add(proxy, prop, facts[0].get("value"))
        ids[node] = proxy.id
        proxies[proxy.id] = proxy
    for u, v, key, data in G.edges(keys=True, data=True):
        mapping = FTM_SCHEMATA.get(data.get("name") or "")
        if mapping is None or mapping.subject is None or u not in ids or v not in ids:
            continue
        if data.get("name") == "acquires" and data.get("status") != "completed":
            continue
        if mapping.schema is None:  # a property of the subject: its head office
            target = proxies[ids[v]]
            subject = proxies[ids[u]]
            if mapping.subject in subject.schema.properties and target.schema.name == "Address":
                subject.add(mapping.subject, target.id)
                _add(subject, "address", G.nodes[v].get("label"))
            continue
        proxy = model.make_entity(mapping.schema)
        proxy.make_id(ID_PREFIX, str(data.get("fact") or key))
        subject_range = proxy.schema.properties[mapping.subject].range
        object_range = proxy.schema.properties[mapping.object].range
        if not (proxies[ids[u]].schema.is_a(subject_range)
                and proxies[ids[v]].schema.is_a(object_range)):
            continue  # e.g. a person "owned by" a company: not an FtM ownership
        proxy.add(mapping.subject, ids[u])
        proxy.add(mapping.object, ids[v])
        qualifiers = data.get("qualifiers") or {}
        if mapping.schema == "Ownership" and data.get("percent") is not None:
            _add(proxy, "percentage", f"{data['percent']:g}")
        if mapping.schema in ("Directorship", "Employment"):
            _add(proxy, "role", qualifiers.get("title") or data.get("label"))
        else:
            _add(proxy, "role", data.get("label"))
        _add(proxy, "status", data.get("status"))
        _add(proxy, "startDate", qualifiers.get("date") or qualifiers.get("since"))
        _add(proxy, "date", data.get("release_date"))
        _add(proxy, "summary", data.get("evidence"))
        _add(proxy, "recordId", data.get("fact"))
        proxies[proxy.id] = proxy
    return [_checked(proxies[i]) for i in sorted(proxies)]

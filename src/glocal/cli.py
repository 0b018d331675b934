"""The ``glocal`` command: a thin layer over the library. The only module that imports click.

Library modules are imported inside the commands, so that ``glocal --help`` starts fast.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import time
from pathlib import Path

import click

QUERY_FORMATS = ["table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld"]
EXPORT_FORMATS = ["ttl", "nt", "nq", "trig", "jsonld"]
STORED_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def store_option(command):
    """--store PATH, shared by every command that reads or writes the graph."""
    return click.option(
        "--store", "store", type=click.Path(path_type=Path), envvar="GLOCAL_STORE",
        help="Store folder (default: $GLOCAL_STORE, else ~/.local/share/glocal/store).")(command)


def reports_errors(command):
    """Turn Glocal's domain errors into a one-line message and exit code 1, never a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .errors import GlocalError

        try:
            return command(*args, **kwargs)
        except GlocalError as exc:
            raise click.ClickException(str(exc)) from None
    return wrapper


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"'{value}' is not name=value", param_hint="--param")
        params[name.strip()] = text
    return params


@click.group()
@click.version_option(package_name="glocal")
def main():
    """Glocal: an open knowledge graph of cities, city networks and urban best practices.

    Example:

        glocal build && glocal query german-us-twinnings
    """


@main.command()
@store_option
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Data folder (default: the curated data shipped with Glocal).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
@click.option("--strict", is_flag=True, help="Stop at the first bad row instead of skipping and counting it.")
@reports_errors
def build(store, data_dir, quiet, strict):
    """Build the graph from the ontology and the data, validate it, and publish it to the store.

    The build writes aside and swaps: if any step fails, the previous graph stays in place.

    Example:

        glocal build --store ./glocal-store
    """
    from .builder import build as build_graph

    started = time.perf_counter()

    def progress(step: str) -> None:
        if not quiet:
            click.echo(f"[{time.perf_counter() - started:6.2f}s] {step}", err=True)

    report = build_graph(store, data_dir=data_dir, progress=progress, strict=strict)
    click.echo(f"Built {report.triples:,} triples in {report.seconds:.2f}s at {report.location}")
    for source, figures in report.notes.items():
        click.echo(f"{source}: " + ", ".join(f"{k} {v:,}" for k, v in figures.items()))
    for source, errors in report.skipped.items():
        click.echo(f"Skipped {len(errors):,} bad rows of {source} (--strict stops instead):")
        for error in errors:
            click.echo(f"  {error}")
    click.echo("Named graphs: " + ", ".join(f"{g} {n:,}" for g, n in report.graphs.items()))
    click.echo("Entities: " + ", ".join(f"{c} {n:,}" for c, n in report.entities.items()))


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Data folder to check (default: the curated data shipped with Glocal).")
@reports_errors
def validate(files, data_dir):
    """Check data against the SHACL shapes, without writing anything.

    With FILES (Turtle, TriG, N-Triples…), checks those files beside the ontology; without,
    checks the graph the data folder would build.

    Example:

        glocal validate my-cities.ttl
    """
    from .builder import assemble
    from .validate import check, validate_files

    if files:
        validate_files(list(files))
    else:
        check(assemble(data_dir))
    click.echo("The graph conforms to the shapes.")


@main.command()
@click.argument("query")
@store_option
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query variable to a value (repeatable). Values are bound as RDF terms.")
@click.option("--format", "-f", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True,
              help="Output format: table, csv, tsv, json, xml for SELECT/ASK; turtle, nt, jsonld for CONSTRUCT.")
@reports_errors
def query(query, store, params, fmt):
    """Run a SPARQL query: inline text, a .rq file, or the name of a stored query.

    Glocal's prefixes (glo:, gli:, glg:, org:, skos:, prov:, …) are predeclared, and the
    default graph is the union of all named graphs.

    Examples:

        glocal query german-us-twinnings --format csv

        glocal query "SELECT ?city WHERE { ?city glo:twinnedWith city:us-ca-los-angeles }"

        glocal query my-question.rq --param city=city/de-berlin
    """
    from .graph import open_graph

    graph = open_graph(store)
    values = parse_params(params)
    if query.endswith(".rq"):
        if not Path(query).is_file():
            raise click.BadParameter(f"no such file: {query}", param_hint="QUERY")
        result = graph.query(Path(query).read_text(encoding="utf-8"), values)
    elif STORED_NAME.match(query):
        result = graph.run(query, values)
    else:
        result = graph.query(query, values)
    if result.kind == "graph" and fmt == "table":
        fmt = "turtle"
    try:
        output = result.serialize(fmt)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    sys.stdout.buffer.write(output)


@main.group(invoke_without_command=True)
@click.pass_context
def queries(ctx):
    """List the stored queries (name, summary, parameters).

    Example:

        glocal queries
    """
    if ctx.invoked_subcommand is None:
        from .queries import stored_queries

        for q in stored_queries().values():
            params = " ".join(f"{n}={s.get('default', '?')}" for n, s in q.params.items())
            click.echo(f"{q.name:40} {q.summary}" + (f"  [{params}]" if params else ""))


@queries.command("show")
@click.argument("name")
@reports_errors
def queries_show(name):
    """Print a stored query with its documentation.

    Example:

        glocal queries show german-us-twinnings
    """
    from .queries import stored_query

    click.echo(stored_query(name).text, nl=False)


@main.command()
@store_option
@click.option("--format", "-f", "fmt", type=click.Choice(EXPORT_FORMATS), default="trig", show_default=True,
              help="nq and trig keep the named graphs; ttl and nt give the union of all graphs.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (default: standard output).")
@reports_errors
def export(store, fmt, output):
    """Export the graph in a standard RDF format, sorted so that equal graphs give equal files.

    Example:

        glocal export --format nq -o glocal.nq
    """
    from .graph import open_graph

    graph = open_graph(store)
    if output:
        with output.open("wb") as stream:
            graph.export(fmt, stream)
    else:
        graph.export(fmt, sys.stdout.buffer)


@main.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@reports_errors
def stats(store, as_json):
    """Count triples per named graph and entities per class.

    Example:

        glocal stats --json
    """
    from .graph import open_graph

    figures = open_graph(store).stats()
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    click.echo(f"{figures['triples']:,} triples")
    click.echo("\nNamed graph                        triples")
    for name, count in figures["graphs"].items():
        click.echo(f"  glg:{name:30} {count:>8,}")
    click.echo("\nClass                              entities")
    for name, count in figures["entities"].items():
        click.echo(f"  glo:{name:30} {count:>8,}")


@main.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Data folder (default: the curated data shipped with Glocal).")
@click.option("--report", "report", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the review file (CSV): every listed place not linked, with its candidates.")
@click.option("--all", "everything", is_flag=True, help="List linked places too, with their evidence.")
@reports_errors
def resolve(data_dir, report, everything):
    """Resolve the twin-town listings to GeoNames places and report what was not linked.

    For each place: the candidate chosen, the rule, the evidence (name match, country,
    distance in km, population) and a confidence; below the threshold nothing is linked.

    Example:

        glocal resolve --report review.csv
    """
    from .ingest.world_twinnings import resolve_listings
    from .resolve_report import resolution_summary, write_report
    from .resources import data_dir as shipped

    outcome = resolve_listings(data_dir or shipped())
    for line in resolution_summary(outcome):
        click.echo(line)
    if report:
        rows = write_report(outcome, report, everything)
        click.echo(f"Wrote {rows:,} rows to {report}")

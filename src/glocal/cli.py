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
EXPORT_FORMATS = ["ttl", "nt", "nq", "trig", "jsonld", "graphml", "gexf"]
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
@reports_errors
def build(store, data_dir, quiet):
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

    report = build_graph(store, data_dir=data_dir, progress=progress)
    click.echo(f"Built {report.triples:,} triples in {report.seconds:.2f}s at {report.location}")
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
              help="nq and trig keep the named graphs; ttl and nt give the union of all graphs; "
                   "graphml and gexf give the network of entities and relations (Gephi, Cytoscape).")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (default: standard output).")
@reports_errors
def export(store, fmt, output):
    """Export the graph in a standard RDF format, sorted so that equal graphs give equal files,
    or its network of entities as GraphML or GEXF.

    Examples:

        glocal export --format nq -o glocal.nq

        glocal export --format graphml -o glocal.graphml
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


ANALYSIS_FORMATS = ["table", "csv", "json"]


def analysis_options(command):
    """--store and --format, shared by the analyze commands."""
    command = click.option("--format", "-f", "fmt", type=click.Choice(ANALYSIS_FORMATS), default="table",
                           show_default=True, help="Output format.")(command)
    return store_option(command)


def entity_network(store):
    from .explore import network
    from .graph import open_graph

    return network(open_graph(store))


@main.command()
@store_option
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="HTML file to write.")
@click.option("--focus", metavar="ENTITY", help="Draw only the ego network of this entity (label or city:de-berlin).")
@click.option("--depth", type=int, default=1, show_default=True, help="Steps from --focus.")
@click.option("--network", "networks", metavar="NAMES", help="Only these networks (comma-separated) and their members.")
@click.option("--country", "countries", metavar="CODES", help="Only the cities of these countries (ISO codes, comma-separated).")
@click.option("--theme", metavar="THEME", help="Only what concerns this theme (e.g. housing).")
@click.option("--query", "query_name", metavar="NAME", help="Draw the result of a stored CONSTRUCT query.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A parameter of --query.")
@click.option("--by-country", is_flag=True, help="Aggregate cities to their countries (for very large graphs).")
@click.option("--size", "size_by", type=click.Choice(["degree", "population"]), default="degree",
              show_default=True, help="Size nodes by their number of relations or by population.")
@reports_errors
def viz(store, output, focus, depth, networks, countries, theme, query_name, params, by_country, size_by):
    """Write the interactive explorer: one self-contained HTML page that works offline.

    Nodes are styled by class with a legend; hovering shows a summary, clicking shows the
    entity's facts, sources and links to Wikidata / GeoNames / DBpedia. The page filters by
    class, country and network without regenerating. Large graphs are drawn from precomputed
    positions with physics off.

    Examples:

        glocal viz -o glocal.html

        glocal viz --focus Berlin --depth 2 -o berlin.html

        glocal viz --network C40 --country DE,US -o c40.html

        glocal viz --by-country -o countries.html
    """
    from . import explore
    from . import viz as page
    from .graph import open_graph

    graph = open_graph(store)
    g = explore.network(graph)
    title = "Glocal explorer"
    if query_name:
        from .errors import GlocalError

        result = graph.run(query_name, parse_params(params))
        if result.kind != "graph":
            raise GlocalError(f"stored query '{query_name}' is not a CONSTRUCT query")
        g, title = explore.from_construct(g, result.triples), f"{title}: {query_name}"
    if focus:
        g, title = explore.ego(g, focus, depth), f"{title}: {focus}, depth {depth}"
    if networks:
        g, title = explore.by_network(g, networks.split(",")), f"{title}: {networks}"
    if countries:
        g, title = explore.by_country(g, countries.split(",")), f"{title}: {countries}"
    if theme:
        g, title = explore.by_theme(g, theme), f"{title}: {theme}"
    if by_country:
        g, title = explore.by_country_level(g), f"{title}, by country"
    size = page.write(g, output, title, size_by)
    click.echo(f"Wrote {output} ({g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges, {size / 1e6:.1f} MB)")


@main.group()
def analyze():
    """Measure the network: centralities, communities, bridges, paths and partnership suggestions.

    Example:

        glocal analyze centrality --top 10
    """


@analyze.command("centrality")
@analysis_options
@click.option("--top", type=int, default=20, show_default=True, help="How many cities (0: all).")
@click.option("--ties", type=click.Choice(["both", "twinning", "membership"]), default="both", show_default=True,
              help="The twinning network, the membership network, or both together.")
@reports_errors
def analyze_centrality(store, fmt, top, ties):
    """Cities by betweenness and degree centrality in the twinning and membership networks.

    Example:

        glocal analyze centrality --ties membership --top 10 --format csv
    """
    from .analyze import centrality, format_rows

    click.echo(format_rows(centrality(entity_network(store), top or None, ties), fmt), nl=False)


@analyze.command("communities")
@analysis_options
@reports_errors
def analyze_communities(store, fmt):
    """Communities of the twinning and membership network (Louvain modularity, seeded).

    Example:

        glocal analyze communities --format json
    """
    from .analyze import communities, format_rows

    click.echo(format_rows(communities(entity_network(store)), fmt), nl=False)


@analyze.command("bridges")
@analysis_options
@click.option("--between", default="DE,US", show_default=True, metavar="A,B", help="The two countries.")
@reports_errors
def analyze_bridges(store, fmt, between):
    """Cities that bridge the German and US clusters, with their ties to the other side.

    Example:

        glocal analyze bridges --between DE,US
    """
    from .analyze import bridges, format_rows

    codes = [c.strip().upper() for c in between.split(",")]
    if len(codes) != 2:
        raise click.BadParameter("give two ISO codes, e.g. DE,US", param_hint="--between")
    click.echo(format_rows(bridges(entity_network(store), *codes), fmt), nl=False)


@analyze.command("path")
@click.argument("source")
@click.argument("target")
@analysis_options
@reports_errors
def analyze_path(source, target, store, fmt):
    """The shortest diplomatic path between two cities (twinnings, networks, practices, challenges).

    Example:

        glocal analyze path Hamburg Leipzig
    """
    from .analyze import format_rows, path

    click.echo(format_rows(path(entity_network(store), source, target), fmt), nl=False)


@analyze.command("suggest")
@analysis_options
@click.option("--top", type=int, default=20, show_default=True, help="How many pairs (0: all).")
@click.option("--cross-border", is_flag=True, help="Only pairs of cities in different countries.")
@reports_errors
def analyze_suggest(store, fmt, top, cross_border):
    """Partnership suggestions: cities not yet twinned that share networks, practices or challenges.

    Example:

        glocal analyze suggest --cross-border --top 10
    """
    from .analyze import format_rows, suggestions

    click.echo(format_rows(suggestions(entity_network(store), top or None, cross_border), fmt), nl=False)

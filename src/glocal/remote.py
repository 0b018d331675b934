"""External stores: the graph in a SPARQL server (Oxigraph server, Virtuoso, Fuseki, GraphDB…).

`RemoteGraph` has the interface of the embedded `KnowledgeGraph` (query, run, execute, quads,
export, stats), so every read command works against either. It speaks the SPARQL 1.1 Protocol:
Glocal's prefixes are declared in the query text, the default graph is the union of Glocal's
named graphs (passed as ``default-graph-uri``), and parameters are bound by a ``VALUES`` block
at the start of the WHERE clause (see `bind`).

`push` loads a graph into a server by the SPARQL 1.1 Graph Store Protocol, one named graph at a
time in batches. Credentials come from the environment only: ``GLOCAL_STORE_USER`` and
``GLOCAL_STORE_PASSWORD`` (HTTP digest or basic auth, whichever the server asks for).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from .errors import GlocalError, QuerySyntaxError
from .graph import GraphMethods, quad_key
from .namespaces import GLG, PREFIXES
from .queries import stored_query, to_term
from .results import Result
from .sparqlio import SKIPPED, bind, collect

ACCEPT_RESULTS = "application/sparql-results+json"
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9"  # Virtuoso would send graphs as JSON too
FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
TIMEOUT = httpx.Timeout(120.0, connect=10.0)


class StoreError(GlocalError):
    """The external store refused a request or could not be reached."""


def is_url(location) -> bool:
    return str(location).startswith(("http://", "https://"))


def credentials() -> httpx.Auth | None:
    """The store's credentials from $GLOCAL_STORE_USER and $GLOCAL_STORE_PASSWORD, if set."""
    user, password = os.environ.get("GLOCAL_STORE_USER"), os.environ.get("GLOCAL_STORE_PASSWORD")
    if not user:
        return None
    return _AnyAuth(user, password or "")


class _AnyAuth(httpx.Auth):
    """Answers a server's 401 challenge with digest or basic auth, as the challenge asks."""

    def __init__(self, user: str, password: str):
        self._digest, self._basic = httpx.DigestAuth(user, password), httpx.BasicAuth(user, password)

    def auth_flow(self, request):
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        auth = self._digest if challenge.startswith("digest") else self._basic
        flow = auth.auth_flow(request)
        retry = next(flow)
        if challenge.startswith("digest"):
            retry = flow.send(response)
        yield retry


def _client() -> httpx.Client:
    return httpx.Client(timeout=TIMEOUT, auth=credentials(), follow_redirects=True)


class RemoteGraph(GraphMethods):
    """A Glocal graph in a SPARQL server, read through its query endpoint."""

    def __init__(self, endpoint: str):
        self.location = self.endpoint = endpoint
        self.version = None  #: see current_version
        self._http = _client()
        self._graphs: list[str] | None = None

    def graphs(self) -> list[str]:
        """The named graphs of the store that are Glocal's (the union is the default graph)."""
        if self._graphs is None:
            answer = self._request(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                                   f"FILTER(STRSTARTS(STR(?g), \"{GLG}\")) }}", [])
            self._graphs = sorted(s["g"].value for s in answer)
            if not self._graphs:
                raise StoreError(f"the store at {self.endpoint} holds no Glocal graph: run 'glocal push' first")
        return self._graphs

    def query(self, sparql: str, params: dict[str, object] | None = None) -> Result:
        """Run a SPARQL query; `params` binds variables to values (strings, numbers or terms)."""
        return self._result(sparql, {ox.Variable(k): to_term(v, None, k) for k, v in (params or {}).items()})

    def run(self, name: str, params: dict[str, object] | None = None) -> Result:
        """Run a stored query by name, its parameters typed and checked by its header."""
        query = stored_query(name)
        return self._result(query.text, query.bindings(params or {}))

    def execute(self, sparql: str, substitutions: dict | None = None):
        """The raw answer: pyoxigraph QuerySolutions, QueryBoolean or an iterator of triples."""
        text = bind(sparql, substitutions) if substitutions else sparql
        return self._request(PROLOGUE + text, self.graphs())

    def _result(self, sparql: str, substitutions: dict) -> Result:
        return Result(collect(self.execute(sparql, substitutions)))

    def current_version(self) -> None:
        """An external store may change at any time: it has no version to keep answers by."""

    def _request(self, sparql: str, default_graphs: list[str]):
        form_keyword = FORM.search(SKIPPED.sub(" ", sparql))
        graph_query = bool(form_keyword) and form_keyword.group(1).upper() in ("CONSTRUCT", "DESCRIBE")
        form = [("query", sparql)] + [("default-graph-uri", g) for g in default_graphs]
        form += [("named-graph-uri", g) for g in default_graphs]
        try:
            accept = ACCEPT_GRAPH if graph_query else ACCEPT_RESULTS
            response = self._http.post(self.endpoint, content=urlencode(form), headers={
                "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the store at {self.endpoint}: {exc}") from None
        if response.status_code == 400:
            raise QuerySyntaxError(f"the store refused the query: {_message(response)}")
        if response.status_code >= 300:
            raise StoreError(f"the store at {self.endpoint} answered {response.status_code}: {_message(response)}")
        kind = response.headers.get("content-type", "").split(";")[0].strip()
        formats = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                   "text/turtle": ox.RdfFormat.TURTLE, "text/rdf+n3": ox.RdfFormat.TURTLE}
        try:
            if kind in ("application/sparql-results+json", "application/json"):
                body = _portable_bnodes(response.content)
                answer = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
                if isinstance(answer, ox.QuerySolutions):  # parsed lazily: check it all now
                    list(answer)
                    answer = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
                return answer
            if kind in formats:
                return iter([q.triple for q in ox.parse(response.content, formats[kind])])
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"the store at {self.endpoint} sent an answer that does not parse: {exc}") from None
        raise StoreError(f"the store at {self.endpoint} answered in an unexpected format '{kind}'")

    def quads(self) -> list[ox.Quad]:
        """Every quad of Glocal's named graphs, sorted as the embedded store sorts them."""
        answer = self._request(f'SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                               f'FILTER(STRSTARTS(STR(?g), "{GLG}")) }}', [])
        graphs = set(self.graphs())
        quads = [ox.Quad(s["s"], s["p"], s["o"], s["g"]) for s in answer if s["g"].value in graphs]
        return sorted(quads, key=quad_key)

    def triple_count(self, graphs: dict[str, int]) -> int:
        return sum(graphs.values())


def _portable_bnodes(body: bytes) -> bytes:
    """JSON results with blank node labels made valid (Virtuoso sends 'nodeID://b10001')."""
    if b'"bnode"' not in body:
        return body
    results = json.loads(body)
    for binding in results.get("results", {}).get("bindings", []):
        for term in binding.values():
            if term.get("type") == "bnode":
                term["value"] = re.sub(r"[^A-Za-z0-9_]", "_", term["value"])
    return json.dumps(results).encode()


def _message(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:500] or response.reason_phrase


def push(quads: Iterable[ox.Quad], gsp_url: str, batch_size: int = 5000,
         progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Load quads into a store by the Graph Store Protocol, replacing each named graph.

    Each graph is sent in batches of about `batch_size` triples (the first batch PUT, the others
    POSTed); the triples of a blank node travel in the batch of the subject that refers to it, so
    that no blank node is split. `progress(graph, sent, total)` is called after each batch.
    Returns the triples sent per graph.
    """
    by_graph: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise GlocalError("push sends named graphs only; this graph has triples in the default graph")
        by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
    sent = {}
    with _client() as http:
        for graph, triples in by_graph.items():
            done = 0
            for number, batch in enumerate(_batches(triples, batch_size)):
                body = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES)
                method = http.put if number == 0 else http.post
                try:
                    response = method(gsp_url, params={"graph": graph}, content=body,
                                      headers={"Content-Type": "application/n-triples"})
                except httpx.HTTPError as exc:
                    raise StoreError(f"cannot reach the store at {gsp_url}: {exc}") from None
                if response.status_code >= 300:
                    raise StoreError(f"the store at {gsp_url} refused graph <{graph}> "
                                     f"({response.status_code}): {_message(response)}")
                done += len(batch)
                if progress:
                    progress(graph, done, len(triples))
            sent[graph] = done
    return sent


def _batches(triples: list[ox.Triple], size: int) -> Iterable[list[ox.Triple]]:
    """Batches of whole subjects, each blank node's triples in the batch that refers to it."""
    by_subject: dict = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)
    owner: dict = {}  # blank node → the IRI subject whose batch carries it
    for subject, ts in by_subject.items():
        for t in ts:
            if isinstance(t.object, ox.BlankNode):
                owner.setdefault(t.object, subject)

    def root(node):
        seen = set()
        while isinstance(node, ox.BlankNode) and node in owner and node not in seen:
            seen.add(node)
            node = owner[node]
        return node

    groups: dict = {}
    for subject, ts in by_subject.items():
        groups.setdefault(root(subject), []).extend(ts)
    batch: list[ox.Triple] = []
    for ts in groups.values():
        batch.extend(ts)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch

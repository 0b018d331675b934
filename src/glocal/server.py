"""``glocal serve``: the SPARQL 1.1 Protocol endpoint, Linked Data pages and the query page.

An ASGI application (Starlette) served by uvicorn: a small, well-tried stack whose HTTP parsing
rejects malformed requests itself, and whose event loop keeps answering (503, pages, static files)
while queries run. Queries run in a pool of worker processes (see `Engine`): a request waits
briefly for an idle worker, else gets 503; a query past the time limit gets 503 and its worker is
killed and replaced, so a flood of slow queries cannot exhaust the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import multiprocessing
import queue
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import sparqlio
from .cache import ResultCache
from .errors import GlocalError
from .namespaces import BASE

WEB = Path(__file__).parent / "web"
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Accept, Content-Type", "Access-Control-Max-Age": "86400"}


@dataclass
class Limits:
    """What one request may cost; the defaults suit a public endpoint."""

    timeout: float = 10.0  #: seconds a query may run
    max_rows: int = 10_000  #: solutions (or triples) a query may return
    max_request: int = 64 * 1024  #: bytes of query text or request body
    workers: int = 4  #: queries evaluated at once
    queue_wait: float = 2.0  #: seconds a request waits for a worker before 503


class HTTPError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class Engine:
    """Runs queries in a pool of worker processes, with the limits applied.

    A worker is a process of its own, so that a query past its time limit can really be stopped:
    the worker is killed and a fresh one takes its place. A request waits up to `queue_wait`
    for an idle worker, then gets 503.
    """

    def __init__(self, graph, limits: Limits):
        self.graph, self.location, self.limits = graph, str(graph.location), limits
        self.cache = ResultCache()
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.SimpleQueue = queue.SimpleQueue()
        self._all: set[_Worker] = set()
        for _ in range(limits.workers):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        worker = _Worker(self._context, self.location, self.limits.max_rows)
        self._all.add(worker)
        return worker

    async def run(self, sparql: str, substitutions: dict | None = None) -> sparqlio.Answer:
        """The answer, from the cache when the same query was answered on the same graph version."""
        version = self.graph.current_version()
        cached = self.cache.get(ResultCache.key(version, sparql, substitutions)) if version else None
        if cached is not None:
            return cached
        waited = time.monotonic() + self.limits.queue_wait
        while True:
            try:
                worker = self._idle.get_nowait()
                break
            except queue.Empty:
                if time.monotonic() > waited:
                    raise HTTPError(503, "the server is busy: every query worker is taken; try again "
                                         "shortly", {"Retry-After": "5"}) from None
                await asyncio.sleep(0.01)
        outcome, value = await asyncio.to_thread(self._ask, worker, sparql, substitutions)
        if outcome == "ok":
            answer, version = value
            if version:
                self.cache.put(ResultCache.key(version, sparql, substitutions), sparql, answer)
            return answer
        if outcome == "timeout":
            raise HTTPError(503, f"the query ran longer than the time limit of {self.limits.timeout:g} s",
                            {"Retry-After": "5"})
        if outcome == "too-large":
            raise HTTPError(400, f"the result has more than {self.limits.max_rows:,} rows: add a LIMIT or "
                                 "narrow the query")
        if outcome == "crashed":
            raise HTTPError(500, "the query engine crashed while evaluating this query (a bug in the "
                                 "engine, not in the query); the server goes on")
        raise HTTPError(400, value)

    def _ask(self, worker: _Worker, sparql: str, substitutions: dict | None) -> tuple[str, object]:
        try:
            worker.connection.send((sparql, substitutions))
            if worker.connection.poll(self.limits.timeout):
                answer = worker.connection.recv()
                self._idle.put(worker)
                return answer
            outcome = ("timeout", None)
        except (EOFError, OSError):  # the worker died: the engine crashed on this query
            outcome = ("crashed", None)
        worker.stop()
        self._all.discard(worker)
        self._idle.put(self._start())
        return outcome

    def close(self) -> None:
        for worker in list(self._all):
            worker.stop()


class _Worker:
    def __init__(self, context, location: str, max_rows: int):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_answer_queries, args=(child, location, max_rows), daemon=True,
                                       name="glocal-query")
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


def _answer_queries(connection, location: str, max_rows: int) -> None:
    """A worker process: answers (sparql, substitutions) requests until the connection closes.

    The answer goes with the version of the graph it was read from; the worker reopens the
    graph when a new build has been published since it last looked.
    """
    from .graph import open_graph

    graph = open_graph(location, cache=False)  # the engine keeps the answers
    while True:
        try:
            sparql, substitutions = connection.recv()
        except (EOFError, OSError):
            return
        try:
            if graph.version != graph.current_version():
                graph = open_graph(location, cache=False)
            answer = ("ok", (sparqlio.collect(graph.execute(sparql, substitutions), max_rows), graph.version))
        except sparqlio.TooLarge:
            answer = ("too-large", None)
        except SyntaxError as exc:
            answer = ("failed", f"SPARQL syntax error: {exc}")
        except (RuntimeError, OSError, ValueError, GlocalError) as exc:
            answer = ("failed", f"the query failed: {exc}")
        connection.send(answer)


def create_app(graph, limits: Limits | None = None, allow_service: bool = False) -> Starlette:
    """The web application over a graph (embedded or remote)."""
    from . import pages, reconcile

    limits = limits or Limits()
    engine = Engine(graph, limits)
    site = pages.Site(engine)

    async def sparql(request: Request) -> Response:
        query, form = await _query_text(request, limits)
        if query is None:
            if _prefers_html(request):
                return RedirectResponse("/", status_code=303)
            return _rdf_response(request, site.service_description(str(request.url_for("sparql"))))
        if not allow_service and sparqlio.uses_service(query):
            raise HTTPError(403, "federated queries (SERVICE) are disabled on this endpoint "
                                 "(start it with --allow-service to allow them)")
        if any(k in form for k in ("default-graph-uri", "named-graph-uri")):
            raise HTTPError(400, "this endpoint does not take default-graph-uri or named-graph-uri: its "
                                 "default graph is the union of its named graphs; use GRAPH in the query")
        answer = await engine.run(query)
        return answer_response(request, answer)

    async def stored(request: Request) -> Response:
        from .queries import stored_query

        name = request.path_params["name"]
        try:
            query = stored_query(name)
            params = {k: v for k, v in request.query_params.items()}
            substitutions = query.bindings(params)
        except GlocalError as exc:
            raise HTTPError(404 if "no stored query" in str(exc) else 400, str(exc)) from None
        answer = await engine.run(query.text, substitutions)
        return answer_response(request, answer)

    async def queries(request: Request) -> Response:
        from .queries import stored_queries

        return JSONResponse([{"name": q.name, "summary": q.summary, "description": q.description,
                              "tags": q.tags, "params": q.params, "text": q.text}
                             for q in stored_queries().values()])

    async def void(request: Request) -> Response:
        return _rdf_response(request, await site.void(str(request.url_for("sparql"))))

    routes = [
        Route("/", site.query_page, name="query-page"),
        Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
        Route("/queries", queries),
        Route("/queries/{name}", stored),
        Route("/void", void),
        Route("/.well-known/void", void),
        Route("/reconcile", reconcile.endpoint(engine), methods=["GET", "POST"]),
        Route("/reconcile/properties", reconcile.properties),
        Mount("/static", StaticFiles(directory=WEB / "static"), name="static"),
        Mount("/vis", StaticFiles(directory=pages.VIS_NETWORK), name="vis"),
        Route("/ontology/", site.ontology),
        Route("/{kind:str}/{path:path}", site.entity),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPError: _error, 404: _not_found, 405: _not_allowed},
                    lifespan=_closing(engine))
    wrapped = _with_cors(app)
    wrapped.close = engine.close  # stops the worker processes (uvicorn's shutdown does it too)
    return wrapped


def _closing(engine: Engine):
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        engine.close()
    return lifespan


async def _query_text(request: Request, limits: Limits) -> tuple[str | None, dict]:
    """The query of a GET, form POST or direct POST; refuses updates and oversized requests."""
    form = dict(parse_qsl(request.url.query, keep_blank_values=True))
    if len(request.url.query) > limits.max_request:
        raise HTTPError(414, f"the request is longer than the limit of {limits.max_request:,} bytes")
    if request.method == "POST":
        body = await _read_body(request, limits.max_request)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/sparql-update":
            raise HTTPError(403, "this endpoint is read-only: SPARQL updates are refused")
        if kind == "application/sparql-query":
            return _decode(body), form
        if kind == "application/x-www-form-urlencoded":
            form.update(parse_qsl(_decode(body), keep_blank_values=True))
        else:
            raise HTTPError(415, "POST a query as application/sparql-query or as a form "
                                 "(application/x-www-form-urlencoded)")
    if "update" in form:
        raise HTTPError(403, "this endpoint is read-only: SPARQL updates are refused")
    return form.get("query"), form


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPError(413, f"the request body is larger than the limit of {limit:,} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise HTTPError(413, f"the request body is larger than the limit of {limit:,} bytes")
    return bytes(body)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPError(400, "the request is not UTF-8 text") from None


def answer_response(request: Request, answer: sparqlio.Answer) -> Response:
    offered = sparqlio.GRAPH_TYPES if answer.kind == "graph" else sparqlio.RESULT_TYPES
    media = sparqlio.negotiate(request.headers.get("accept", ""), offered)
    if media is None:
        raise HTTPError(406, "no acceptable format; this answer is available as " + ", ".join(offered))
    return Response(answer.serialize(media), media_type=sparqlio.content_type(media))


def _rdf_response(request: Request, triples: list) -> Response:
    media = sparqlio.negotiate(request.headers.get("accept", ""), sparqlio.GRAPH_TYPES)
    if media is None:
        raise HTTPError(406, "no acceptable format; this is available as " + ", ".join(sparqlio.GRAPH_TYPES))
    return Response(sparqlio.serialize_graph(triples, media), media_type=sparqlio.content_type(media))


def _prefers_html(request: Request) -> bool:
    return sparqlio.negotiate(request.headers.get("accept", ""), {"text/html": None, **sparqlio.GRAPH_TYPES},
                              default=None) == "text/html"


async def _error(request: Request, exc: HTTPError) -> Response:
    return PlainTextResponse(exc.message + "\n", status_code=exc.status, headers=exc.headers)


async def _not_found(request: Request, exc) -> Response:
    return PlainTextResponse(f"nothing here: {request.url.path}\n", status_code=404)


async def _not_allowed(request: Request, exc) -> Response:
    return PlainTextResponse(f"{request.method} is not allowed here\n", status_code=405)


def _with_cors(app):
    """CORS headers on every answer; preflight (OPTIONS) requests answered here."""
    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        if scope["method"] == "OPTIONS":
            await send({"type": "http.response.start", "status": 204,
                        "headers": [(k.lower().encode(), v.encode()) for k, v in CORS.items()]})
            return await send({"type": "http.response.body", "body": b""})

        async def send_with_cors(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + [
                    (b"access-control-allow-origin", b"*")]
            await send(message)

        await app(scope, receive, send_with_cors)
    return wrapped


def entity_path(iri: str) -> str | None:
    """The local path of a Glocal IRI (https://w3id.org/glocal/id/city/x → /id/city/x)."""
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else None


def iri_of(kind: str, path: str) -> str | None:
    """The Glocal IRI a local path names, or None if the path is not a well-formed Glocal path."""
    segments = path.split("/") if path else []
    if kind not in ("id", "ontology", "graph") or not all(SLUG.match(s) for s in segments):
        return None
    return f"{BASE}{kind}/{path}" if path else None


def serve(graph, host: str = "127.0.0.1", port: int = 8000, limits: Limits | None = None,
          allow_service: bool = False) -> None:
    """Run the server until interrupted."""
    import uvicorn

    limits = limits or Limits()
    app = create_app(graph, limits, allow_service)
    # A request line or headers beyond max_request (+16 KiB) is cut off by the HTTP parser;
    # below that, the application answers 414/413 with a message.
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_keep_alive=5,
                limit_concurrency=256, h11_max_incomplete_event_size=limits.max_request + 16 * 1024)


def get(graph, path: str, accept: str = "*/*", allow_service: bool = False,
        limits: Limits | None = None) -> tuple[int, dict, bytes]:
    """Answer one GET request in-process: (status, headers, body)."""
    app = create_app(graph, dataclasses.replace(limits or Limits(), workers=1), allow_service)
    raw_path, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": raw_path, "raw_path": raw_path.encode(), "root_path": "",
             "query_string": query.encode(), "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 0),
             "headers": [(b"host", b"127.0.0.1"), (b"accept", accept.encode())]}
    status, headers, body = 500, {}, bytearray()

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = {k.decode(): v.decode() for k, v in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    try:
        asyncio.run(app(scope, receive, send))
    finally:
        app.close()
    return status, headers, bytes(body)


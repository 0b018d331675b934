"""Reliability of glocal serve on loopback: bounded load, overload, and fuzzed inputs."""

import http.client
import importlib.util
import random
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from servers import glocal_serve

from glocal.queries import stored_queries

pytestmark = [pytest.mark.server, pytest.mark.slow]

_spec = importlib.util.spec_from_file_location("serve_load", Path(__file__).parents[1] / "bench" / "serve_load.py")
serve_load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serve_load)


@pytest.fixture(scope="module")
def server(store, tmp_path_factory):
    running = glocal_serve(store, tmp_path_factory.mktemp("reliability") / "serve.log",
                           "--workers", "2", "--timeout", "1")
    yield running
    running.close()


def test_bounded_load_is_served(server):
    figures = serve_load.load(server.url, serve_load.MIX, 400, 8)
    print(f"\n{figures['throughput']:.0f} requests/s, p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms")
    assert figures["statuses"] == {200: 400}


def test_overload_answers_503_and_the_server_keeps_serving(server):
    stress = serve_load.overload(server.url, 6)  # 6 never-ending queries, 2 workers, 1 s limit
    assert stress["slow"] == {503: 6}
    assert stress["slow_max_ms"] < 10_000
    assert stress["after"] == {200: 1}
    busy = httpx.get(server.url + serve_load.NEVER_ENDING, timeout=30)
    assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
    assert "time limit of 1 s" in busy.text


def mutations(seed: int, count: int):
    """Stored queries with characters deleted, doubled or replaced — deterministic by seed."""
    rng = random.Random(seed)
    texts = [q.text for q in stored_queries().values()]
    alphabet = "{}()<>?.;,\"'#*^|!&=- \\\nSELECTWHERE\u00e9\u2028\x00"
    for _ in range(count):
        chars = list(rng.choice(texts))
        for _ in range(rng.randint(1, 5)):
            i = rng.randrange(len(chars))
            action = rng.choice(["delete", "double", "replace"])
            if action == "delete":
                del chars[i]
            elif action == "double":
                chars.insert(i, chars[i])
            else:
                chars[i] = rng.choice(alphabet)
        yield "".join(chars)


def test_malformed_sparql_gets_clean_answers(server):
    statuses = {}
    for query in mutations(7, 150):
        response = httpx.post(server.url + "/sparql", data={"query": query}, timeout=30)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code in (200, 400, 403, 500, 503), response.text
        if response.status_code == 500:  # pyoxigraph 0.5 aborts on some ORDER BY: see the test below
            assert response.text.startswith("the query engine crashed")
        if response.status_code == 400:
            assert response.text.startswith(("SPARQL syntax error", "the query failed", "the result has more"))
            assert "Traceback" not in response.text
    assert statuses.get(400, 0) > 50  # most mutations break the query


def test_an_engine_crash_is_answered_and_the_server_goes_on(server):
    # pyoxigraph 0.5.13 aborts the process ("user-provided comparison function does not correctly
    # implement a total order") sorting by an unbound variable beside GRAPH patterns; found by the
    # fuzzing above. The query runs in a worker process, so only that worker dies.
    query = ("SELECT ?g ?p WHERE { GRAPH ?g { ?e ?q ?v } OPTIONAL { GRAPH ?g { ?e prov:wasDerivedFrom ?s } } } "
             "ORDER BY ?g ?p ?v")
    # Whether it crashes depends on the data sorted, so either answer is accepted; what matters is
    # that a crash is a clean 500 and the server goes on serving.
    response = httpx.post(server.url + "/sparql", data={"query": query}, timeout=30)
    assert response.status_code in (200, 500) and "Traceback" not in response.text
    if response.status_code == 500:
        assert response.text.startswith("the query engine crashed")
    assert httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200


@pytest.mark.parametrize("body, headers, status", [
    (b"query=" + b"x" * 200_000, {"Content-Type": "application/x-www-form-urlencoded"}, 413),
    (b"SELECT * WHERE { ?s ?p ?o }" + b" " * 100_000, {"Content-Type": "application/sparql-query"}, 413),
    (b"\xff\xfe\x00garbage", {"Content-Type": "application/sparql-query"}, 400),
    (b"query=SELECT", {"Content-Type": "text/plain"}, 415),
])
def test_bad_bodies_are_4xx(server, body, headers, status):
    assert httpx.post(server.url + "/sparql", content=body, headers=headers).status_code == status


def raw_get(server, path: str) -> tuple[int, str]:
    """A GET with the path sent exactly as given (no client-side normalisation of '..')."""
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.putheader("Accept", "text/html")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body


def test_huge_get_query_is_refused(server):
    status, body = raw_get(server, "/sparql?query=" + quote("ASK {} #") + "x" * 70_000)
    assert status == 414 and "longer than the limit" in body


@pytest.mark.parametrize("accept", [
    "", "*/*;q=abc", "garbage", "text/csv;q=0, application/json;q=0", ";;;,,,", "a/b;" * 500,
    "application/sparql-results+json;q=2", "\u00e9/\u00e9", "text/*", "*",
])
def test_bad_accept_headers(server, accept):
    try:
        response = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
    except UnicodeEncodeError:  # the client cannot even send it
        return
    assert response.status_code in (200, 406)


@pytest.mark.parametrize("path", [
    "/id/../../etc/passwd", "/id/city/..%2f..%2f..%2fetc%2fpasswd", "/id/%2e%2e/%2e%2e/etc/passwd",
    "/static/../server.py", "/static/%2e%2e/server.py", "/static/..%2fserver.py", "/vis/../../../../etc/passwd",
    "/vis/%2e%2e%2f%2e%2e%2fpyvis%2f__init__.py", "/ontology/..", "/id/city/de-berlin%00", "/id/city/" + "a" * 5000,
    "/etc/passwd", "/id/city/de-berlin/../../../graph/meta", "//etc/passwd", "/id/city/%ff",
])
def test_path_traversal_is_4xx(server, path):
    status, body = raw_get(server, path)
    assert 400 <= status < 500, path
    assert "root:" not in body and "import " not in body


def test_still_serving_after_the_fuzzing(server):
    assert httpx.get(server.url + "/id/city/de-berlin", headers={"Accept": "text/turtle"}).status_code == 200

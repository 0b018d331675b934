"""glocal link and glocal enrich wikidata, against a real Oxigraph server on 127.0.0.1.

The server holds tests/wikidata/fixture.ttl, a small Wikidata-shaped graph. Requests go through a
tiny local proxy that counts them, records the User-Agent, and can answer 429 first, answer too
slowly, or send a malformed body.
"""

import json
import shutil
import threading
import time
import urllib.parse
import urllib.request
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import servers

import glocal
from glocal.enrich import enrich_wikidata
from glocal.errors import GlocalError, RemoteError
from glocal.linking import link
from glocal.wikidata import Client

FIXTURE = Path(__file__).parent / "wikidata" / "fixture.ttl"
UA = "glocal-tests/1.0 (https://w3id.org/glocal; tests@example.org)"
pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """`oxigraph serve` on 127.0.0.1 with the fixture loaded; yields its query URL."""
    server = servers.oxigraph(tmp_path_factory.mktemp("wikidata-fixture") / "db", load=FIXTURE)
    yield server.url + "/query"
    server.close()


class Proxy:
    """Forwards POSTed queries to the Oxigraph server, unless told to misbehave.

    mode: "forward"; "429" (answer 429 with Retry-After: 1 to the first `failures` requests); "503"
    (the same without Retry-After);
    "slow" (answer after 3 s); "malformed" (an HTML page with status 200, after `failures`
    requests forwarded).
    """

    def __init__(self, upstream: str):
        self.upstream, self.mode, self.failures = upstream, "forward", 1
        self.requests: list[dict] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                proxy.requests.append({"agent": self.headers["User-Agent"],
                                       "query": urllib.parse.parse_qs(body.decode())["query"][0]})
                count = len(proxy.requests)
                if proxy.mode == "429" and count <= proxy.failures:
                    return self.answer(429, b"Too Many Requests", "text/plain", {"Retry-After": "1"})
                if proxy.mode == "503" and count <= proxy.failures:
                    return self.answer(503, b"Service Unavailable", "text/plain")
                if proxy.mode == "malformed" and count > proxy.failures:
                    return self.answer(200, b"<html><body>Service unavailable</body></html>", "text/html")
                if proxy.mode == "slow":
                    time.sleep(3)  # longer than the client's timeout: it has gone by now
                    return self.answer(503, b"Too slow", "text/plain")
                request = urllib.request.Request(proxy.upstream, data=body, headers={
                    "Content-Type": self.headers["Content-Type"], "Accept": self.headers["Accept"]})
                with urllib.request.urlopen(request, timeout=10) as response:
                    self.answer(response.status, response.read(), response.headers["Content-Type"])

            def answer(self, status, body, content_type, headers=None):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def proxy(oxigraph):
    server = Proxy(oxigraph)
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def store_copy(store, tmp_path) -> Path:
    """A private copy of the session's built store, for commands that publish to it."""
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    return copy


def client(proxy, tmp_path, **settings) -> Client:
    settings = {"endpoint": proxy.url, "user_agent": UA, "cache": tmp_path / "cache", "timeout": 5,
                "retries": 2, "backoff": 0.1, "batch_size": 100} | settings
    return Client(**settings)


def snapshot(location: Path) -> tuple[str, list[str]]:
    """The store's CURRENT pointer and its folder listing: equal snapshots, nothing was published."""
    return (location / "CURRENT").read_text(), sorted(p.name for p in location.iterdir())


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").rglob("*")) if (tmp_path / "cache").exists() else []


def ask(location: Path, query: str) -> bool:
    return glocal.open_graph(location).query(query).boolean


# --- offline ----------------------------------------------------------------------------------

def test_offline_link_uses_the_ids_the_data_carries(store_copy, tmp_path):
    before = glocal.open_graph(store_copy).stats()["graphs"]
    report = link(store_copy, output=tmp_path / "links.nq")
    assert report.totals == {"city": 249, "country": 2, "network": 9}
    assert report.coverage["city"] == {"wikidata": 128, "geonames": 249, "dbpedia": 0}
    assert report.coverage["country"] == {"wikidata": 0, "geonames": 2, "dbpedia": 0}
    assert report.requests == 0
    assert ask(store_copy, "ASK { GRAPH glg:links { city:de-berlin owl:sameAs <http://www.wikidata.org/entity/Q64> ;"
                           " owl:sameAs <https://sws.geonames.org/2950159/> } }")
    assert ask(store_copy, """ASK { GRAPH glg:links { link:city-de-berlin--wikidata a glo:Link ;
        rdf:subject city:de-berlin ; rdf:predicate owl:sameAs ; rdf:object <http://www.wikidata.org/entity/Q64> ;
        glo:linkMethod "source-id" ; glo:confidence 0.95 ; prov:wasDerivedFrom source:wikidata-p190-2016 } }""")
    assert ask(store_copy, "ASK { GRAPH glg:meta { glg:links a void:Linkset ; prov:wasGeneratedBy ?a . ?a a prov:Activity } }")
    after = glocal.open_graph(store_copy).stats()["graphs"]
    assert {g: n for g, n in after.items() if g not in ("links", "meta")} == \
           {g: n for g, n in before.items() if g != "meta"}
    assert b"<https://w3id.org/glocal/graph/links>" in (tmp_path / "links.nq").read_bytes()
    again = link(store_copy)
    assert again.triples == report.triples, "re-linking replaces glg:links, it does not add to it"
    assert report.precision["wikidata"][1] >= 10 and report.precision["geonames"][1] >= 10


# --- online -----------------------------------------------------------------------------------

def test_online_link_batches_sends_the_user_agent_and_derives_dbpedia(store_copy, proxy, tmp_path):
    wikidata = client(proxy, tmp_path)
    report = link(store_copy, online=True, client=wikidata)
    graph = glocal.open_graph(store_copy)
    # Köln has no Wikidata id in the data: found by its GeoNames id (P1566)
    method = graph.query("SELECT ?m WHERE { link:city-de-cologne--wikidata rdf:object "
                         "<http://www.wikidata.org/entity/Q365> ; glo:linkMethod ?m }").rows
    assert method == [{"m": "wikidata-P1566"}]
    assert ask(store_copy, f"""ASK {{ link:city-de-berlin--wikidata glo:linkMethod "source-id+wikidata-P1566" .
        link:country-de--wikidata rdf:object <http://www.wikidata.org/entity/Q183> ;
                                  glo:linkMethod "wikidata-P297+P1566" ; prov:wasDerivedFrom <{proxy.url}> .
        country:us owl:sameAs <http://dbpedia.org/resource/United_States> .
        city:us-ca-los-angeles owl:sameAs <http://dbpedia.org/resource/Los_Angeles> . }}""")
    assert report.coverage["country"] == {"wikidata": 2, "geonames": 2, "dbpedia": 2}
    assert report.coverage["city"]["wikidata"] == 129 and report.coverage["city"]["dbpedia"] == 5
    assert report.coverage["network"]["wikidata"] == 0  # no network in the fixture: none invented
    # batched VALUES: 251 GeoNames ids in 3 queries, ISO codes 1, network names 1, 131 items' titles 2
    assert wikidata.requests == len(proxy.requests) == 7
    assert all(r["agent"] == UA for r in proxy.requests)
    assert all(r["query"].count('"') <= 2 * 100 + 2 for r in proxy.requests)


def test_a_curated_id_that_wikidata_contradicts_is_flagged(data_copy, proxy, tmp_path):
    """A wrong QID put in the data on purpose: Hamburg's GeoNames id is on another item."""
    cities = data_copy / "cities.csv"
    text = cities.read_text(encoding="utf-8")
    cities.write_text(text.replace("2911298,geonames,Q1055,", "2911298,geonames,Q64,"), encoding="utf-8")
    glocal.build(tmp_path / "store", data_dir=data_copy, validate=False)
    report = link(tmp_path / "store", online=True, client=client(proxy, tmp_path))
    hamburg = next(k for k in report.links if k.entity.endswith("city/de-hamburg") and k.target == "wikidata")
    assert (hamburg.method, hamburg.confidence) == ("source-id-contradicted", Decimal("0.5"))
    assert any("de-hamburg: the data says Q64, but GeoNames 2911298 is on Q1055" in c for c in report.conflicts)


def test_second_run_is_served_from_the_cache(store_copy, proxy, tmp_path):
    first = link(store_copy, online=True, client=client(proxy, tmp_path))
    sent = len(proxy.requests)
    again = client(proxy, tmp_path)
    second = link(store_copy, online=True, client=again)
    assert len(proxy.requests) == sent, "a re-run made a request it had already made"
    assert again.requests == 0 and again.cache_hits == sent
    assert second.links == first.links


def test_enrich_imports_wikidata_facts_into_their_own_graph(store_copy, proxy, tmp_path):
    link(store_copy, online=True, client=client(proxy, tmp_path))
    curated = glocal.open_graph(store_copy).stats()["graphs"]
    report = enrich_wikidata(store_copy, client=client(proxy, tmp_path))
    assert report.facts == {"P1082": 4, "P17": 5, "P190": 4, "P625": 3}
    assert ask(store_copy, """ASK { GRAPH glg:wikidata {
        <http://www.wikidata.org/entity/Q64> <http://www.wikidata.org/prop/direct/P190> <http://www.wikidata.org/entity/Q65> ;
            <http://www.wikidata.org/prop/direct/P17> <http://www.wikidata.org/entity/Q183> ;
            <http://www.wikidata.org/prop/direct/P625> "Point(13.383333333 52.516666666)"^^gsp:wktLiteral ;
            <http://www.wikidata.org/prop/P1082> ?s .
        ?s <http://www.wikidata.org/prop/statement/P1082> "3664088"^^xsd:decimal ;
           <http://www.wikidata.org/prop/qualifier/P585> "2021-01-01T00:00:00Z"^^xsd:dateTime } }""")
    # the comparison a researcher makes: the curated twinnings that Wikidata states too
    rows = glocal.open_graph(store_copy).run("twinnings-vs-wikidata").rows
    stated = {(r["german"].rsplit("/", 1)[1], r["american"].rsplit("/", 1)[1])
              for r in rows if r.get("inWikidata") is True}
    assert stated == {("de-berlin", "us-ca-los-angeles"), ("de-hamburg", "us-il-chicago")}
    assert len(rows) == 119 and sum(r.get("inWikidata") is False for r in rows) > 0
    after = glocal.open_graph(store_copy).stats()["graphs"]
    assert after["wikidata"] == report.triples
    assert {g: n for g, n in after.items() if g not in ("wikidata", "meta")} == \
           {g: n for g, n in curated.items() if g != "meta"}
    assert ask(store_copy, "ASK { GRAPH glg:meta { glg:wikidata dct:source ?e ; dct:license ?l } }")
    with (tmp_path / "all.trig").open("wb") as stream:
        glocal.open_graph(store_copy).export("trig", stream)
    glocal.validate_files([tmp_path / "all.trig"])  # links and imports keep the graph conformant


def test_enrich_without_links_says_to_link_first(store_copy, proxy, tmp_path):
    with pytest.raises(GlocalError, match="run 'glocal link' first"):
        enrich_wikidata(store_copy, client=client(proxy, tmp_path))
    assert proxy.requests == []


# --- a misbehaving endpoint -------------------------------------------------------------------

def test_a_429_is_retried_after_the_wait_retry_after_asks(store_copy, proxy, tmp_path):
    proxy.mode, proxy.failures = "429", 1
    wikidata = client(proxy, tmp_path)
    report = link(store_copy, online=True, client=wikidata)
    assert wikidata.waits == [1.0]
    assert wikidata.requests == len(proxy.requests) == 8  # 7 queries, one of them twice
    assert proxy.requests[0]["query"] == proxy.requests[1]["query"]
    assert report.coverage["city"]["wikidata"] == 129


def test_a_503_without_retry_after_backs_off_exponentially(store_copy, proxy, tmp_path):
    proxy.mode, proxy.failures = "503", 2
    wikidata = client(proxy, tmp_path, backoff=0.1)
    link(store_copy, online=True, client=wikidata)
    assert wikidata.waits == [0.1, 0.2]
    assert wikidata.requests == len(proxy.requests) == 9


def test_a_damaged_cache_file_is_a_miss(store_copy, proxy, tmp_path):
    link(store_copy, online=True, client=client(proxy, tmp_path))
    damaged = next(p for p in cache_files(tmp_path) if p.is_file())
    damaged.write_text('{"bindings": [', encoding="utf-8")
    again = client(proxy, tmp_path)
    link(store_copy, online=True, client=again)
    assert (again.requests, again.cache_hits) == (1, 6)
    assert isinstance(json.loads(damaged.read_text(encoding="utf-8"))["bindings"], list)  # rewritten whole


def test_429_until_the_retries_run_out(store_copy, proxy, tmp_path):
    proxy.mode, proxy.failures = "429", 100
    before = snapshot(store_copy)
    with pytest.raises(RemoteError, match=r"answered HTTP 429 .*\(3 attempts\)"):
        link(store_copy, online=True, client=client(proxy, tmp_path))
    assert snapshot(store_copy) == before
    assert cache_files(tmp_path) == []


def test_timeout(store_copy, proxy, tmp_path):
    proxy.mode = "slow"
    before = snapshot(store_copy)
    with pytest.raises(RemoteError, match=r"did not answer within 1 s \(2 attempts\)"):
        link(store_copy, online=True, client=client(proxy, tmp_path, timeout=1, retries=1))
    assert snapshot(store_copy) == before
    assert cache_files(tmp_path) == []


def test_malformed_response_midway_publishes_nothing(store_copy, proxy, tmp_path, cli):
    proxy.mode, proxy.failures = "malformed", 2
    before = snapshot(store_copy)
    with pytest.raises(RemoteError, match="malformed response, not SPARQL JSON results .*<html>"):
        link(store_copy, online=True, client=client(proxy, tmp_path), output=tmp_path / "links.nq")
    assert snapshot(store_copy) == before
    assert not (tmp_path / "links.nq").exists()
    assert len([p for p in cache_files(tmp_path) if p.is_file()]) == 2  # the two whole answers
    assert not [p for p in cache_files(tmp_path) if "partial" in p.name]
    result = cli("link", "--store", store_copy, "--online", "--endpoint", proxy.url, "--no-cache")
    assert result.exit_code == 1
    assert "malformed response" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_enrich_that_fails_midway_publishes_nothing(store_copy, proxy, tmp_path):
    link(store_copy, online=True, client=client(proxy, tmp_path))
    proxy.mode, proxy.failures = "malformed", len(proxy.requests) + 1  # the second enrich query fails
    before = snapshot(store_copy)
    with pytest.raises(RemoteError, match="malformed response"):
        enrich_wikidata(store_copy, client=client(proxy, tmp_path))
    assert snapshot(store_copy) == before
    assert not ask(store_copy, "ASK { GRAPH glg:wikidata { ?s ?p ?o } }")


# --- the commands -----------------------------------------------------------------------------

def test_link_and_enrich_commands(store_copy, proxy, tmp_path, cli):
    common = ["--store", store_copy, "--endpoint", proxy.url, "--cache", tmp_path / "cache",
              "--user-agent", UA]
    result = cli("link", "--online", *common)
    assert result.exit_code == 0, result.output
    assert "city" in result.output and "129/249" in result.output
    assert "Precision on the hand-checked sample: " in result.output
    assert "SPARQL requests: 5, answers from the cache: 0" in result.output  # batches of 200
    result = cli("enrich", "wikidata", *common)
    assert result.exit_code == 0, result.output
    assert "Facts: P1082 4, P17 5, P190 4, P625 3" in result.output
    assert all(r["agent"] == UA for r in proxy.requests)

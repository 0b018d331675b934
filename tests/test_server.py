"""glocal serve over real HTTP: the SPARQL 1.1 Protocol, Linked Data, reconciliation, limits."""

import json
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from servers import glocal_serve
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

pytestmark = pytest.mark.server

BERLIN = "https://w3id.org/glocal/id/city/de-berlin"
TWINS = "SELECT ?city WHERE { ?city glo:twinnedWith city:de-berlin } ORDER BY ?city"


@pytest.fixture(scope="module")
def server(store, tmp_path_factory):
    running = glocal_serve(store, tmp_path_factory.mktemp("serve") / "serve.log", "--max-rows", "5000")
    yield running
    running.close()


def sparql(server, query, fmt=JSON, method="GET"):
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client.query().convert()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_as_json_gives_the_embedded_answer(server, graph, method):
    answer = sparql(server, TWINS, JSON, method)
    assert [b["city"]["value"] for b in answer["results"]["bindings"]] == [r["city"] for r in graph.query(TWINS).rows]


def test_select_as_xml_csv_and_tsv(server, graph):
    expected = [r["city"] for r in graph.query(TWINS).rows]
    xml = sparql(server, TWINS, XML)
    assert [u.firstChild.data for u in xml.getElementsByTagName("uri")] == expected
    assert sparql(server, TWINS, CSV).decode().split("\r\n")[1:-1] == expected
    assert sparql(server, TWINS, TSV).decode().splitlines()[1:] == [f"<{c}>" for c in expected]


def test_ask_and_construct(server):
    assert sparql(server, "ASK { city:de-berlin glo:twinnedWith city:us-ca-los-angeles }")["boolean"] is True
    turtle = sparql(server, "CONSTRUCT WHERE { city:de-berlin rdfs:label ?l }", TURTLE)
    assert [t.object.value for t in ox.parse(turtle, ox.RdfFormat.TURTLE)] == ["Berlin"]


def test_direct_post_and_graph_conneg(server):
    query = "CONSTRUCT WHERE { city:de-berlin glo:wikidataId ?q }"
    for accept, fmt in [("application/n-triples", ox.RdfFormat.N_TRIPLES),
                        ("application/ld+json", ox.RdfFormat.JSON_LD), ("text/turtle", ox.RdfFormat.TURTLE)]:
        response = httpx.post(server.url + "/sparql", content=query,
                              headers={"Content-Type": "application/sparql-query", "Accept": accept})
        assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
        assert [t.object.value for t in ox.parse(response.content, fmt)] == ["Q64"]


def test_service_description_and_void(server, graph):
    response = httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    description = list(ox.parse(response.content, ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(t.predicate.value == sd + "endpoint" and t.object.value == server.url + "/sparql"
               for t in description)
    void = list(ox.parse(httpx.get(server.url + "/void", headers={"Accept": "text/turtle"}).content,
                         ox.RdfFormat.TURTLE))
    totals = [int(t.object.value) for t in void if t.predicate.value == "http://rdfs.org/ns/void#triples"
              and isinstance(t.subject, ox.NamedNode)]
    assert totals == [graph.stats()["triples"]]


@pytest.mark.parametrize("request_args", [
    {"method": "GET", "params": {"update": "DROP ALL"}},
    {"method": "POST", "data": {"update": "DROP ALL"}},
    {"method": "POST", "content": "DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
])
def test_updates_are_refused(server, graph, request_args):
    method = request_args.pop("method")
    response = httpx.request(method, server.url + "/sparql", **request_args)
    assert response.status_code == 403 and "read-only" in response.text
    assert graph.stats()["triples"] > 0


def test_service_is_refused(server):
    response = httpx.get(server.url + "/sparql", params={
        "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert response.status_code == 403 and "--allow-service" in response.text


def test_syntax_errors_are_400_with_the_parsers_message(server):
    response = httpx.get(server.url + "/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert response.text.startswith("SPARQL syntax error:") and "Traceback" not in response.text


def test_result_and_request_size_limits(server):
    response = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 400 and "more than 5,000 rows" in response.text
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70_000
    assert httpx.post(server.url + "/sparql", data={"query": huge}).status_code == 413


def test_cors(server):
    response = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://x"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(server.url + "/sparql", headers={
        "Origin": "http://x", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204 and "POST" in preflight.headers["access-control-allow-methods"]


def test_unacceptable_accept_is_406(server):
    response = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_entity_page_in_html(server):
    response = httpx.get(server.url + "/id/city/de-berlin", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "<h1>Berlin" in response.text
    assert 'href="https://www.wikidata.org/wiki/Q64"' in response.text
    assert 'href="https://www.geonames.org/2950159"' in response.text
    assert 'href="/id/city/us-ca-los-angeles"' in response.text  # its twin, as a local link
    assert "glg:wikidata-p190-2016" in response.text and "vis-network.min.js" in response.text
    assert httpx.get(server.url + "/vis/vis-network.min.js").status_code == 200


@pytest.mark.parametrize("accept, fmt", [("text/turtle", ox.RdfFormat.TURTLE),
                                         ("application/ld+json", ox.RdfFormat.JSON_LD)])
def test_entity_description_by_conneg(server, graph, accept, fmt):
    response = httpx.get(server.url + "/id/city/de-berlin", headers={"Accept": accept})
    triples = {(t.predicate.value, t.object.value) for t in ox.parse(response.content, fmt)}
    expected = {(r["p"], str(r["o"])) for r in graph.query(f"SELECT ?p ?o WHERE {{ <{BERLIN}> ?p ?o }}").rows}
    assert {(p, o) for p, o in triples} == expected


def test_unknown_entity_is_404(server):
    assert httpx.get(server.url + "/id/city/xx-nowhere", headers={"Accept": "text/html"}).status_code == 404
    assert httpx.get(server.url + "/id/city/xx-nowhere", headers={"Accept": "text/turtle"}).status_code == 404


def test_ontology_dereferences(server):
    html = httpx.get(server.url + "/ontology/", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "pyLODE" in html.text
    assert 'id="City"' in html.text and 'id="twinnedWith"' in html.text
    turtle = httpx.get(server.url + "/ontology/", headers={"Accept": "text/turtle"})
    classes = {t.subject.value for t in ox.parse(turtle.content, ox.RdfFormat.TURTLE)
               if t.object.value == "http://www.w3.org/2002/07/owl#Class"}
    assert "https://w3id.org/glocal/ontology/City" in classes
    term = httpx.get(server.url + "/ontology/City", headers={"Accept": "text/html"})
    assert term.status_code == 200 and "owl:Class" in term.text


def test_stored_queries_over_http(server, graph):
    listed = httpx.get(server.url + "/queries").json()
    assert "network-members" in [q["name"] for q in listed]
    for network, count in [("network/c40", 16), ("network/iclei", 0)]:
        response = httpx.get(server.url + "/queries/network-members", params={"network": network},
                             headers={"Accept": "application/sparql-results+json"})
        members = sorted(b["member"]["value"] for b in response.json()["results"]["bindings"])
        assert members == sorted(r["member"] for r in graph.run("network-members", {"network": network}).rows)
        assert len(members) == count
    assert httpx.get(server.url + "/queries/no-such-query").status_code == 404
    assert httpx.get(server.url + "/queries/network-members", params={"nope": "1"}).status_code == 400


def test_reconciliation(server):
    manifest = httpx.get(server.url + "/reconcile").json()
    assert manifest["identifierSpace"] == "https://w3id.org/glocal/id/" and "view" in manifest
    queries = {"q0": {"query": "WURZBURG"}, "q1": {"query": "pittsburgh", "properties": [{"pid": "country", "v": "us"}]},
               "q2": {"query": "Berlin", "type": "City", "limit": 1}}
    answer = httpx.post(server.url + "/reconcile", data={"queries": json.dumps(queries)}).json()
    assert answer["q0"]["result"][0] | {"score": 0} == {  # accents and case do not matter
        "id": "city/de-wuerzburg", "name": "Würzburg", "score": 0, "match": True,
        "type": [{"id": "City", "name": "City"}], "description": "Germany · Wikidata Q2999"}
    assert answer["q1"]["result"][0] | {"score": 0} == {
        "id": "city/us-pa-pittsburgh", "name": "Pittsburgh", "score": 0, "match": True,
        "type": [{"id": "City", "name": "City"}], "description": answer["q1"]["result"][0]["description"]}
    assert answer["q2"]["result"][0]["description"].endswith("Wikidata Q64")
    bad = httpx.post(server.url + "/reconcile", data={"queries": "{not json"})
    assert bad.status_code == 400


def test_reconciliation_data_extension(server):
    manifest = httpx.get(server.url + "/reconcile").json()
    assert manifest["extend"]["propose_properties"]["service_path"] == "/reconcile/properties"
    offered = httpx.get(server.url + "/reconcile/properties", params={"type": "City"}).json()["properties"]
    assert {"id": "wikidata", "name": "Wikidata id"} in offered
    request = {"ids": ["city/de-berlin", "city/us-pa-pittsburgh", "city/xx-nowhere"],
               "properties": [{"id": "wikidata"}, {"id": "country"}, {"id": "geonames"}]}
    answer = httpx.post(server.url + "/reconcile", data={"extend": json.dumps(request)}).json()
    assert answer["rows"]["city/de-berlin"] == {"wikidata": [{"str": "Q64"}], "geonames": [{"str": "2950159"}],
                                               "country": [{"id": "country/de", "name": "Germany"}]}
    assert answer["rows"]["city/xx-nowhere"] == {"wikidata": [], "country": [], "geonames": []}
    assert answer["rows"]["city/us-pa-pittsburgh"]["country"] == [{"id": "country/us", "name": "United States"}]
    bad = httpx.post(server.url + "/reconcile", data={"extend": json.dumps({"ids": [], "properties": [{"id": "x"}]})})
    assert bad.status_code == 400 and "unknown properties" in bad.text


def test_query_page_is_served_offline(server):
    page = httpx.get(server.url + "/", headers={"Accept": "text/html"}).text
    assert "yasqe.min.js" in page and "network-members" in page and "http" not in page.split("<body>")[1].replace(
        "https://w3id.org/glocal/", "")
    assert httpx.get(server.url + "/static/yasqe/LICENSE.txt").text.count("MIT") >= 1


def test_serve_get_in_process(cli, store):
    result = cli("serve", "--store", store, "--get", "/id/city/de-berlin", "--accept", "text/turtle")
    assert result.exit_code == 0 and "city:de-berlin" in result.stdout
    missing = cli("serve", "--store", store, "--get", "/id/city/xx-nowhere")
    assert missing.exit_code == 1


@pytest.mark.parametrize("command", [("build",), ("link",), ("enrich", "wikidata")])
def test_writing_commands_refuse_a_url(cli, command):
    result = cli(*command, "--store", "http://127.0.0.1:9/sparql")
    assert result.exit_code == 2 and "glocal push" in result.output


def test_allow_service_lets_federated_queries_through(cli, store):
    path = "/sparql?query=" + quote("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    refused = cli("serve", "--store", store, "--get", path)
    assert refused.exit_code == 1 and "--allow-service" in refused.stdout
    allowed = cli("serve", "--store", store, "--allow-service", "--get", path)
    assert "--allow-service" not in allowed.stdout and "403" not in allowed.stderr

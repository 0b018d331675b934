"""Querying: formats, stored queries, parameters bound as terms, clear errors."""

import json

import pytest

import glocal


def test_api_rows_are_python_values(graph):
    # DISTINCT: a twinning that two sources claim is typed in both of their graphs
    rows = graph.query("SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a glo:Twinning }").rows
    assert isinstance(rows[0]["n"], int) and rows[0]["n"] == graph.stats()["entities"]["Twinning"]
    row = graph.query("SELECT ?lat ?name WHERE { city:de-berlin geo:lat ?lat ; rdfs:label ?name }").rows[0]
    assert row["name"] == "Berlin" and 52 < row["lat"] < 53


@pytest.mark.parametrize("fmt, check", [
    ("json", lambda out: json.loads(out)["head"]["vars"] == ["city"]),
    ("csv", lambda out: out.splitlines()[0] == "city"),
    ("tsv", lambda out: out.splitlines()[0] == "?city"),
    ("table", lambda out: "city:de-berlin" in out),
])
def test_select_formats(cli, store, fmt, check):
    result = cli("query", "--store", store, "--format", fmt,
                 "SELECT ?city WHERE { ?city glo:twinnedWith city:us-ca-los-angeles }")
    assert result.exit_code == 0, result.output
    assert check(result.output), result.output


@pytest.mark.parametrize("fmt, needle", [("turtle", "@prefix"), ("nt", "<https://w3id.org/glocal/id/city/de-berlin>"),
                                        ("jsonld", "@id")])
def test_construct_formats(cli, store, fmt, needle):
    result = cli("query", "--store", store, "--format", fmt,
                 "CONSTRUCT { ?c glo:twinnedWith ?d } WHERE { BIND(city:de-berlin AS ?c) ?c glo:twinnedWith ?d }")
    assert result.exit_code == 0, result.output
    assert needle in result.output


def test_syntax_error_gives_parser_message_and_position(cli, store):
    result = cli("query", "--store", store, "SELECT ?x WHERE { ?x ?y }")
    assert result.exit_code == 1
    assert "SPARQL syntax error" in result.output and "1:" in result.output
    assert "Traceback" not in result.output


def test_unknown_stored_query_lists_close_matches(cli, store):
    result = cli("query", "--store", store, "german-us-twining")
    assert result.exit_code == 1
    assert "german-us-twinnings" in result.output


def test_missing_store_says_build_first(cli, tmp_path):
    result = cli("query", "--store", tmp_path / "nothing", "german-us-twinnings")
    assert result.exit_code == 1 and "glocal build" in result.output


def test_param_binds_an_iri(cli, store):
    result = cli("query", "--store", store, "network-members", "--param", "network=network/c40", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/glocal/id/city/us-ca-los-angeles" in result.output


@pytest.mark.parametrize("value", [
    '"} } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o',
    "city/x> } UNION { ?s ?p ?o",
    "<http://x> . ?s ?p ?o",
])
def test_param_cannot_inject_sparql(graph, value):
    query = "SELECT ?name ?city WHERE { ?city rdfs:label ?name }"
    try:  # bound as a literal that matches nothing, or refused as a malformed IRI
        assert graph.query(query, {"name": value}).rows == []
    except glocal.ParameterError:
        pass
    assert len(graph.query("SELECT ?s WHERE { ?s a glo:City }")) > 100  # nothing was dropped
    with pytest.raises(glocal.ParameterError):
        graph.run("network-members", {"network": value})


def test_param_type_is_checked(graph):
    with pytest.raises(glocal.ParameterError, match="no parameter"):
        graph.run("network-members", {"nettwork": "network/c40"})


def test_stored_queries_have_complete_headers():
    queries = glocal.stored_queries()
    assert "german-us-twinnings" in queries
    for query in queries.values():
        assert query.summary and query.description and query.tags, query.name
        for name, spec in query.params.items():
            assert spec.get("type") and spec.get("description") and "default" in spec, (query.name, name)


LOCAL = sorted(name for name, q in glocal.stored_queries().items() if "federated" not in q.tags)


@pytest.mark.parametrize("name", LOCAL)  # federated ones run against a stand-in (test_query_library)
def test_every_stored_query_runs(graph, name):
    assert len(graph.run(name)) > 0


def test_queries_list_and_show(cli):
    listing = cli("queries")
    assert listing.exit_code == 0 and "german-us-twinnings" in listing.output
    shown = cli("queries", "show", "network-members")
    assert shown.exit_code == 0 and "#+ summary" in shown.output and "SELECT" in shown.output


def test_export_to_a_missing_folder_is_a_clear_error(cli, store, tmp_path):
    result = cli("export", "--store", store, "-o", tmp_path / "no" / "such" / "g.nq", "-f", "nq")
    assert result.exit_code == 1 and "cannot write" in result.output and "Traceback" not in result.output


def test_export_and_stats(cli, store, tmp_path):
    out = tmp_path / "g.trig"
    assert cli("export", "--store", store, "-f", "trig", "-o", out).exit_code == 0
    assert "glg:twin-towns-wikipedia" in out.read_text(encoding="utf-8")
    stats = cli("stats", "--store", store, "--json")
    figures = json.loads(stats.output)
    assert figures["entities"]["City"] > 100 and figures["triples"] > 1000

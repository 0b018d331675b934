"""The entity network of the shipped graph, its views, the explorer page and the network exports."""

import re

import networkx as nx
import pytest

from glocal import explore, viz
from glocal.errors import GlocalError


@pytest.fixture(scope="module")
def net(graph):
    return explore.network(graph)


def kinds(g):
    return {k: sum(1 for _, d in g.nodes(data=True) if d["kind"] == k) for k in explore.KINDS}


def relations(g, relation):
    return sum(1 for *_, r in g.edges(data="relation") if r == relation)


def test_network_holds_every_entity_and_relation(graph, net):
    counts = graph.stats()["entities"]
    assert kinds(net)["city"] == counts["City"] and kinds(net)["network"] == counts["CityNetwork"]
    assert kinds(net)["country"] == 2 and kinds(net)["indicator"] == counts["Indicator"]
    assert relations(net, "twinned with") == counts["Twinning"]
    assert relations(net, "member of") == counts["Membership"]
    assert relations(net, "in country") == counts["City"]
    berlin = net.nodes["city:de-berlin"]
    assert berlin["label"] == "Berlin" and berlin["country"] == "DE" and berlin["networks"] == ["C40"]
    assert ["Wikidata", "https://www.wikidata.org/wiki/Q64"] in berlin["links"]
    assert ["GeoNames", "https://www.geonames.org/2950159"] in berlin["links"]
    assert ["Region", "Berlin"] in berlin["facts"] and berlin["sources"]
    assert net.edges["city:de-berlin", "city:us-ca-los-angeles"]["sources"] == [
        s for s in net.edges["city:de-berlin", "city:us-ca-los-angeles"]["sources"] if "Wikipedia" in s]


def test_views(net):
    berlin = explore.ego(net, "Berlin", 1)
    assert set(berlin) == {"city:de-berlin", "city:us-ca-los-angeles", "network:c40", "country:de"}
    c40 = explore.by_network(net, ["c40"])
    assert kinds(c40)["city"] == 16 and kinds(c40)["network"] == 1 and kinds(c40)["country"] == 2
    german = explore.by_country(net, ["de"])
    assert {d["country"] for _, d in german.nodes(data=True) if d["kind"] == "city"} == {"DE"}
    assert "country:us" not in german and "network:c40" in german
    housing = explore.by_theme(net, "housing")
    assert "theme:housing" in housing and "challenge:affordable-housing" in housing
    assert all(d["kind"] != "theme" or n == "theme:housing" for n, d in housing.nodes(data=True))
    with pytest.raises(GlocalError, match="no city/country/network"):
        explore.resolve(net, "Atlantis", ("city", "country", "network"))
    with pytest.raises(GlocalError, match="no city or country with ISO code XX"):
        explore.by_country(net, ["xx"])


def test_country_level_view(net):
    view = explore.by_country_level(net)
    assert set(view) == {"country:de", "country:us", "network:c40"}  # ICLEI and UCLG have no members yet
    assert view.edges["country:de", "country:us"]["relation"] == "119 twinnings"
    assert view.edges["network:c40", "country:de"]["count"] == 2
    assert view.edges["network:c40", "country:us"]["count"] == 14
    assert 47 < view.nodes["country:de"]["lat"] < 55 and ["Cities", "117"] in view.nodes["country:de"]["facts"]  # de-* rows of cities.csv
    assert view.nodes["country:de"]["label"] == "Germany"
    cities = nx.Graph([("a", "b")])
    cities.nodes["a"].update(kind="city", country="FR", lat=1, lon=2)
    cities.nodes["b"].update(kind="city", country="IT", lat=3, lon=4)
    cities.edges["a", "b"]["relation"] = "twinned with"
    assert set(explore.by_country_level(cities)) == {"country-of:FR", "country-of:IT"}


def test_construct_view(graph, net):
    view = explore.from_construct(net, graph.run("network-twinnings").triples)
    cities = graph.query("""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
        { ?c org:memberOf network:c40 } UNION { ?m org:memberOf network:c40 ; glo:twinnedWith ?c } }""").rows
    assert kinds(view)["network"] == 1 and kinds(view)["city"] == cities[0]["n"] > 16
    triples = graph.run("network-twinnings").triples
    assert view.number_of_edges() == len({frozenset((t.subject.value, t.object.value)) for t in triples})
    assert relations(view, "member of") == 16
    assert view.nodes["city:de-berlin"]["label"] == "Berlin"


def test_page_is_self_contained(net):
    html = viz.render(explore.ego(net, "Berlin", 1))
    assert "vis-network" in html and "@license" in html  # inlined with its licence header
    assert re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=", html) == []
    assert "bootstrap" not in html.lower() and "@import" not in html


def test_large_graph_has_precomputed_positions_and_no_physics():
    g = nx.random_labeled_tree(viz.SPRING_LIMIT + 10, seed=1)
    for n in g:
        g.nodes[n].update(kind="city", label=str(n), lat=n % 50, lon=n // 50)
    nodes, edges = viz.page_data(g)
    assert len(nodes) == len(g) and len(edges) == len(g) - 1
    assert nodes[7]["x"] == 7 // 50 * 10.0 and nodes[7]["y"] == -(7 % 50) * 10.0
    assert '"enabled": false' in viz.render(g)


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_export_network_formats(cli, store, net, tmp_path, fmt, read):
    out = tmp_path / f"glocal.{fmt}"
    assert cli("export", "--store", store, "--format", fmt, "-o", out).exit_code == 0
    back = read(out)
    assert back.number_of_nodes() == net.number_of_nodes() and back.number_of_edges() == net.number_of_edges()
    assert back.nodes["city:de-berlin"]["label"] == "Berlin"
    assert back.nodes["city:de-berlin"]["networks"] == "C40"


def test_viz_command(cli, store, tmp_path):
    out = tmp_path / "c40.html"
    result = cli("viz", "--store", store, "--network", "C40", "-o", out)
    assert result.exit_code == 0 and "19 nodes" in result.output and out.stat().st_size > 100_000
    bad = cli("viz", "--store", store, "--query", "german-us-twinnings", "-o", out)
    assert bad.exit_code == 1 and "not a CONSTRUCT query" in bad.output
    unwritable = cli("viz", "--store", store, "-o", tmp_path / "missing" / "x.html")
    assert unwritable.exit_code == 1 and "cannot write" in unwritable.output

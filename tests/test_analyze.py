"""Analytics on a small hand-made network whose answers are known by hand."""

import networkx as nx
import pytest

from glocal import analyze
from glocal.errors import GlocalError


def city(g, node, country):
    g.add_node(node, kind="city", label=node.title(), country=country)


@pytest.fixture
def small():
    """Germany: Aa, Bb, Cc; US: Xx, Yy, Zz. Twinnings Aa–Xx, Bb–Yy; network Net with Aa, Xx, Yy;
    practice Prac implemented by Cc and Zz, addressing challenge Chal; countries and a theme as hubs."""
    g = nx.Graph()
    for node, country in [("aa", "DE"), ("bb", "DE"), ("cc", "DE"), ("xx", "US"), ("yy", "US"), ("zz", "US")]:
        city(g, node, country)
        g.add_edge(node, f"country-{country}", relation="in country", sources=[])
    for code in ("DE", "US"):
        g.nodes[f"country-{code}"].update(kind="country", label=code, country=code)
    g.add_node("net", kind="network", label="Net")
    g.add_node("prac", kind="practice", label="Prac")
    g.add_node("chal", kind="challenge", label="Chal")
    g.add_node("theme", kind="theme", label="Theme")
    g.add_edges_from([("aa", "xx"), ("bb", "yy")], relation="twinned with", sources=[])
    g.add_edges_from([("aa", "net"), ("xx", "net"), ("yy", "net")], relation="member of", sources=[])
    g.add_edges_from([("prac", "cc"), ("prac", "zz")], relation="implemented by", sources=[])
    g.add_edge("prac", "chal", relation="addresses", sources=[])
    g.add_edges_from([("prac", "theme"), ("net", "theme")], relation="theme", sources=[])
    return g


def test_centrality(small):
    rows = analyze.centrality(small)
    # 7 nodes in the diplomatic network; Yy lies on the 3 shortest paths from Bb: 3/15
    assert [r["city"] for r in rows] == ["yy", "aa", "xx", "bb", "cc", "zz"]
    assert rows[0]["betweenness"] == 0.2 and rows[0]["twinnings"] == 1 and rows[0]["networks"] == 1
    assert rows[1]["degree"] == round(2 / 6, 6)
    assert [r["city"] for r in analyze.centrality(small, top=2)] == ["yy", "aa"]
    twinning = analyze.centrality(small, ties="twinning")  # two separate pairs: nobody in between
    assert {r["betweenness"] for r in twinning} == {0} and twinning[0]["degree"] == round(1 / 6, 6)
    membership = analyze.centrality(small, ties="membership")  # Net joins Aa, Xx, Yy: 3 of 6 others
    assert [r["city"] for r in membership][:3] == ["aa", "xx", "yy"] and membership[0]["twinnings"] == 0
    with pytest.raises(GlocalError, match="ties are"):
        analyze.centrality(small, ties="friendship")


def test_bridges(small):
    rows = analyze.bridges(small, "DE", "US")
    assert [(r["city"], r["ties"]) for r in rows] == [("yy", 2), ("aa", 2), ("xx", 2), ("bb", 1)]
    assert rows[1]["reasons"] == "twinned with Xx; in Net with US cities"


def test_path_avoids_country_and_theme_hubs(small):
    assert [r["node"] for r in analyze.path(small, "Bb", "aa")] == ["bb", "yy", "net", "aa"]
    steps = analyze.path(small, "Cc", "Zz")
    assert [(r["node"], r["relation"]) for r in steps] == [("cc", ""), ("prac", "implemented by"),
                                                          ("zz", "implemented by")]
    with pytest.raises(GlocalError, match="no diplomatic path between Cc and Aa"):
        analyze.path(small, "Cc", "Aa")
    with pytest.raises(GlocalError, match="no city named 'Nowhere'"):
        analyze.path(small, "Nowhere", "Aa")


def test_suggestions(small):
    rows = analyze.suggestions(small, top=None)
    assert [(r["city_a"], r["city_b"], r["score"]) for r in rows] == [
        ("Cc", "Zz", 2), ("Aa", "Yy", 1), ("Xx", "Yy", 1)]  # Aa–Xx are twinned already
    assert rows[0]["reasons"] == "both address Chal; both implement Prac"
    assert [(r["city_a"], r["city_b"]) for r in analyze.suggestions(small, cross_border=True)] == [
        ("Cc", "Zz"), ("Aa", "Yy")]


def test_communities_of_two_joined_triangles():
    g = nx.Graph()
    for node in "abcdef":
        city(g, node, "DE" if node in "abc" else "US")
    g.add_edges_from([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")],
                     relation="twinned with", sources=[])
    rows = analyze.communities(g)
    assert [(r["size"], r["countries"], r["members"]) for r in rows] == [(3, "DE:3", "A, B, C"), (3, "US:3", "D, E, F")]


def test_format_rows():
    rows = [{"city": "Berlin", "score": 2}, {"city": "Kiel", "score": 10}]
    assert analyze.format_rows(rows, "table") == "city    score\n------  -----\nBerlin  2\nKiel    10\n"
    assert analyze.format_rows(rows, "csv") == "city,score\nBerlin,2\nKiel,10\n"
    assert '"score": 10' in analyze.format_rows(rows, "json")


def test_analyze_commands_on_the_shipped_graph(cli, store):
    table = cli("analyze", "path", "Hamburg", "Leipzig", "--store", store)
    assert table.exit_code == 0 and "Chicago" in table.output and "C40" in table.output
    csv = cli("analyze", "centrality", "--store", store, "--format", "csv", "--top", "3")
    assert csv.exit_code == 0 and csv.output.splitlines()[0] == "city,label,country,twinnings,networks,degree,betweenness"
    assert len(csv.output.splitlines()) == 4
    bridges = cli("analyze", "bridges", "--store", store, "--format", "json")
    assert bridges.exit_code == 0 and '"city": "city:de-berlin"' in bridges.output
    suggest = cli("analyze", "suggest", "--store", store, "--cross-border")
    assert suggest.exit_code == 0 and "both members of C40" in suggest.output
    assert cli("analyze", "communities", "--store", store).exit_code == 0
    missing = cli("analyze", "path", "Pittsburgh", "Atlantis", "--store", store)
    assert missing.exit_code == 1 and "no city named 'Atlantis'" in missing.output

"""glocal push into real Oxigraph server and Virtuoso; the read commands give the embedded answers."""

import json
import re
import shutil
import subprocess
import sys

import pytest
from servers import oxigraph, virtuoso, with_credentials

import glocal
from glocal.queries import stored_queries
from glocal.sparqlio import uses_service

pytestmark = [pytest.mark.server, pytest.mark.slow]

needs_virtuoso = pytest.mark.skipif(shutil.which("virtuoso-t") is None,
                                    reason="Debian package virtuoso-opensource is not installed (.ci/apt-packages.txt)")


def glocal_cli(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "glocal", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=300, check=False)


@pytest.fixture(scope="module", params=["oxigraph", pytest.param("virtuoso", marks=needs_virtuoso)])
def remote(request, store, tmp_path_factory):
    """(query URL, push result) of a real store holding the pushed graph."""
    folder = tmp_path_factory.mktemp(request.param) / "db"
    if request.param == "oxigraph":
        server, env = oxigraph(folder), None
        query_url, gsp_url = server.url + "/query", server.url + "/store"
    else:
        server, password = virtuoso(folder)
        env = with_credentials("dba", password)
        query_url, gsp_url = server.url + "/sparql", server.url + "/sparql-graph-crud-auth"
    pushed = glocal_cli("push", "--from", store, "--gsp", gsp_url, "--batch", "1000", env=env)
    yield query_url, pushed, request.param
    server.close()


def comparable(rows):
    """Rows as a sorted list, blank node labels (which each store chooses) blanked out, the parts
    of a GROUP_CONCAT (whose order SPARQL leaves open) sorted; and as Virtuoso answers: a computed
    boolean as 1/0, an empty GROUP_CONCAT as "" where Oxigraph leaves it unbound."""
    def value(v):
        v = "" if v is None else int(v) if isinstance(v, bool) else v
        return "; ".join(sorted(str(v).split("; ")))
    text = [json.dumps({k: value(v) for k, v in r.items()}, sort_keys=True) for r in rows]
    return sorted(re.sub(r'"_:[^"]*"', '"_:"', t) for t in text)


def test_push_sends_every_named_graph_in_batches(remote, graph):
    pushed = remote[1]
    assert pushed.returncode == 0, pushed.stderr
    assert f"Pushed {graph.stats()['triples']:,} triples in {len(graph.stats()['graphs'])} named graphs" in pushed.stdout
    brookings = re.findall(r"brookings-metro-monitor> ([\d,]+)/3,568 triples", pushed.stderr)
    assert len(brookings) == 4 and brookings[-1] == "3,568"  # progress, batch by batch of ~1,000


def test_stats_are_the_same(remote, graph):
    assert glocal.open_graph(remote[0]).stats() == graph.stats()


@pytest.mark.parametrize("name", [n for n, q in stored_queries().items() if not uses_service(q.text)])
def test_stored_queries_give_the_embedded_answers(remote, graph, name, request):
    if (remote[2], name) == ("virtuoso", "practices-by-theme"):
        # Virtuoso 7.2 answers nothing once ?theme is bound (by VALUES, BIND, FILTER or a constant)
        # in this query's skos:broader* path joined with the other patterns; alone the path works.
        request.applymarker(pytest.mark.xfail(strict=True, reason="Virtuoso 7.2 property-path bug"))
    remote_result, local_result = glocal.open_graph(remote[0]).run(name), graph.run(name)
    assert remote_result.kind == local_result.kind
    if local_result.kind == "graph":  # CONSTRUCT: the same triples
        assert sorted(map(str, remote_result.triples)) == sorted(map(str, local_result.triples))
    else:
        assert comparable(remote_result.rows) == comparable(local_result.rows)


def test_parameters_and_prefixes_work_remotely(remote, graph):
    remote_graph = glocal.open_graph(remote[0])
    params = {"network": "network/c40"}
    assert len(graph.run("network-members", params).rows) == 16
    assert comparable(remote_graph.run("network-members", params).rows) == comparable(
        graph.run("network-members", params).rows)
    assert remote_graph.run("network-members", {"network": "network/iclei"}).rows == []
    assert remote_graph.query("ASK { city:de-berlin glo:twinnedWith city:us-ca-los-angeles }").boolean


def test_cli_query_and_export_against_the_store(remote, store):
    query_url = remote[0]
    remote_csv = glocal_cli("query", "--store", query_url, "german-us-twinnings", "--format", "csv")
    local_csv = glocal_cli("query", "--store", store, "german-us-twinnings", "--format", "csv")
    assert remote_csv.returncode == 0, remote_csv.stderr
    assert sorted(remote_csv.stdout.splitlines()) == sorted(local_csv.stdout.splitlines())
    remote_nt = glocal_cli("export", "--store", query_url, "--format", "nt")
    local_nt = glocal_cli("export", "--store", store, "--format", "nt")
    def lines(text):  # blank node labels blanked, booleans in one lexical form (Virtuoso writes 1/0)
        text = re.sub(r'"1"(\^\^<http://www.w3.org/2001/XMLSchema#boolean>)', r'"true"\1', text)
        text = re.sub(r'"0"(\^\^<http://www.w3.org/2001/XMLSchema#boolean>)', r'"false"\1', text)
        return sorted(re.sub(r"_:\S+", "_:", line) for line in text.splitlines())
    remote_lines, local_lines = lines(remote_nt.stdout), lines(local_nt.stdout)
    if remote[2] == "virtuoso":  # Virtuoso stores WKT as its own geometry type, rounded: compare the rest
        wkt = lambda ls: ([x for x in ls if "#asWKT>" not in x], sum("#asWKT>" in x for x in ls))
        (remote_lines, remote_wkt), (local_lines, local_wkt) = wkt(remote_lines), wkt(local_lines)
        assert remote_wkt == local_wkt > 0
    assert remote_lines == local_lines


def test_errors_from_the_store_are_one_line_messages(remote):
    bad = glocal_cli("query", "--store", remote[0], "SELECT ?x WHERE { ?x }")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "refused the query" in bad.stderr
    unreachable = glocal_cli("stats", "--store", "http://127.0.0.1:9/sparql")
    assert unreachable.returncode == 1 and "cannot reach the store" in unreachable.stderr


def test_serve_over_the_store(remote, store):
    """glocal serve works over an external store too: the entity description is the same."""
    args = ("serve", "--get", "/id/city/de-berlin", "--accept", "application/n-triples")
    remote_nt = glocal_cli(*args, "--store", remote[0])
    local_nt = glocal_cli(*args, "--store", store)
    assert remote_nt.returncode == 0, remote_nt.stderr
    assert sorted(remote_nt.stdout.splitlines()) == sorted(local_nt.stdout.splitlines())
    assert "Q64" in remote_nt.stdout


@pytest.mark.parametrize("args", [("analyze", "centrality", "--format", "csv"),
                                  ("analyze", "communities", "--format", "json"),
                                  ("export", "--format", "graphml")])
def test_analyze_and_network_export_against_the_store(remote, store, args):
    remote_out = glocal_cli(*args, "--store", remote[0])
    local_out = glocal_cli(*args, "--store", store)
    assert remote_out.returncode == 0, remote_out.stderr
    # the network's GROUP_CONCATs (edge sources) come in the order each engine chooses
    concat_sorted = lambda text: re.sub(r">([^<]*; [^<]*)<", lambda m: ">" + "; ".join(sorted(m[1].split("; "))) + "<",
                                        text)
    assert concat_sorted(remote_out.stdout) == concat_sorted(local_out.stdout) and len(local_out.stdout) > 1000


def test_viz_against_the_store(remote, store, tmp_path):
    pages, summaries = {}, {}
    for name, location in (("remote", remote[0]), ("local", store)):
        result = glocal_cli("viz", "--store", location, "--focus", "city:de-berlin", "-o", tmp_path / f"{name}.html")
        assert result.returncode == 0, result.stderr
        pages[name] = (tmp_path / f"{name}.html").read_text()
        summaries[name] = result.stdout.split("(")[1].split(",")[:2]  # "4 nodes", " 4 edges"
    assert summaries["remote"] == summaries["local"]
    ids = {name: sorted(re.findall(r'"id": "([^"]+)"', page)) for name, page in pages.items()}
    assert ids["remote"] == ids["local"] and "city:de-berlin" in ids["local"]

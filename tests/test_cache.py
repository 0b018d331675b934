"""Answers kept per graph version: the same answer again without an evaluation, never a stale one."""

import httpx
import pyoxigraph as ox
import pytest
from servers import glocal_serve

import glocal
from glocal.cache import ResultCache
from glocal.sparqlio import Answer

TWINNINGS = "SELECT (COUNT(*) AS ?n) WHERE { ?t a glo:Twinning }"


def counting(graph, monkeypatch) -> list:
    """Record every evaluation the graph makes."""
    calls, execute = [], graph.execute
    monkeypatch.setattr(graph, "execute", lambda *args: calls.append(args) or execute(*args))
    return calls


def test_a_repeated_query_is_answered_from_the_cache(store, monkeypatch):
    graph = glocal.open_graph(store)
    calls = counting(graph, monkeypatch)
    first = graph.run("twinning-partners", {"city": "city/de-berlin"}).rows
    assert graph.run("twinning-partners", {"city": "city/de-berlin"}).rows == first
    assert len(calls) == 1
    assert graph.run("twinning-partners", {"city": "city/de-kiel"}).rows != first  # other parameters: evaluated
    assert len(calls) == 2


def test_without_the_cache_every_query_is_evaluated(store, monkeypatch):
    graph = glocal.open_graph(store, cache=False)
    calls = counting(graph, monkeypatch)
    assert graph.query(TWINNINGS).rows == graph.query(TWINNINGS).rows
    assert len(calls) == 2


@pytest.mark.parametrize("query", ["SELECT (NOW() AS ?t) WHERE {}", "SELECT (STRUUID() AS ?id) WHERE {}",
                                   "SELECT ?n WHERE { BIND(RAND() AS ?n) }"])
def test_answers_that_change_from_run_to_run_are_not_kept(store, monkeypatch, query):
    graph = glocal.open_graph(store)
    calls = counting(graph, monkeypatch)
    graph.query(query)
    graph.query(query)
    assert len(calls) == 2


def test_the_least_recently_used_answers_go_first():
    cache = ResultCache(max_rows=3, max_answer_rows=2)
    answer = lambda n: Answer("select", ["x"], [(ox.Literal(str(i)),) for i in range(n)])
    cache.put(("v", "a", ()), "a", answer(1))
    cache.put(("v", "b", ()), "b", answer(1))
    cache.get(("v", "a", ()))
    cache.put(("v", "c", ()), "c", answer(2))  # 4 rows: the oldest unused (b) goes
    assert [cache.get(("v", k, ())) is not None for k in "abc"] == [True, False, True]
    cache.put(("v", "d", ()), "d", answer(3))  # larger than an answer may be: not kept
    assert cache.get(("v", "d", ())) is None


@pytest.mark.server
def test_the_server_answers_from_the_new_build_once_published(tmp_path, data_copy):
    location = tmp_path / "store"
    glocal.build(location, data_dir=data_copy)
    running = glocal_serve(location, tmp_path / "serve.log", "--workers", "1")
    try:
        count = lambda: int(httpx.get(running.url + "/sparql", params={"query": TWINNINGS}, headers={
            "Accept": "application/sparql-results+json"}).json()["results"]["bindings"][0]["n"]["value"])
        before = count()
        assert count() == before  # the second answer is the kept one
        twinnings = data_copy / "twinnings.csv"
        lines = twinnings.read_text(encoding="utf-8").splitlines(keepends=True)
        twinnings.write_text("".join(lines[:-1]), encoding="utf-8")
        glocal.build(location, data_dir=data_copy)
        assert count() == before - 1
    finally:
        running.close()

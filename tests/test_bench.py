"""The benchmark runner and its synthetic graphs: they must keep working (no timing is asserted)."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from bench import synthetic

import glocal

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def template(graph) -> bytes:
    buffer = io.BytesIO()
    graph.export("nq", buffer)
    return buffer.getvalue()


def test_synthetic_graph_keeps_the_real_proportions(template):
    real = synthetic.shape(template)
    data = synthetic.generate(template, 100_000, seed=3)
    assert abs(data.count(b"\n") - 100_000) < 1_000
    grown = synthetic.shape(data)
    factor = grown["City"] / real["City"]
    assert factor > 9
    for kind in ("Twinning", "Membership", "Practice", "Observation", "MetropolitanArea"):
        assert abs(grown[kind] / real[kind] - factor) < 0.1 * factor, kind
    for kind in ("Country", "CityNetwork", "Indicator"):  # shared, not copied
        assert grown[kind] == real[kind]


def test_synthetic_graph_is_deterministic_by_seed(template):
    a, b = synthetic.generate(template, 30_000, seed=1), synthetic.generate(template, 30_000, seed=1)
    assert a == b
    assert synthetic.generate(template, 30_000, seed=2) != a
    with pytest.raises(ValueError, match="smaller than the real graph"):
        synthetic.generate(template, 100, seed=1)


def test_synthetic_graph_answers_the_stored_queries(template, tmp_path):
    from glocal import store

    data = synthetic.generate(template, 30_000)
    with store.new_database(tmp_path / "store") as database:
        store.load_nquads(database, data)
    grown = glocal.open_graph(tmp_path / "store")
    assert len(grown.run("german-us-twinnings")) > 2 * 119
    assert grown.run("twinning-partners").rows[0]["city"].endswith("city/de-berlin")
    assert any("-x" in row["city"] for row in grown.run("most-twinned-cities").rows)  # copies are twinned too


@pytest.mark.slow
def test_runner_in_a_tiny_configuration(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, "-m", "bench", "--sizes", "12000", "--no-real", "--no-servers",
                           "--repeat", "1", "--rdflib-cap", "2", "--viz", "300", "--json", str(out),
                           "--markdown", str(tmp_path / "results.md")],
                          check=False, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    [dataset] = results["datasets"]
    assert dataset["dataset"] == "synthetic 12,000" and 11_000 < dataset["triples"] < 13_000
    assert {"embedded", "rdflib"} <= set(dataset["load"])
    expected = {n for n, q in glocal.stored_queries().items() if "federated" not in q.tags}
    assert set(dataset["queries"]) == expected
    empty_without_worldwide = {"cities-in-several-networks", "c40-twinned-with-other-networks",
                               "commitments-vs-emissions", "emission-trend",
                               "municipality-figures", "network-memberships-by-source"}
    for name, row in dataset["queries"].items():
        assert row["embedded"]["rows"] > 0 or name in empty_without_worldwide, name
        assert row["embedded-cached"]["rows"] == row["embedded"]["rows"], name
        # rdflib answered: the same number of rows (but rdflib gives one row for an empty GROUP BY)
        if row["rdflib"].get("ms") is not None and row["embedded"]["rows"] > 0:
            assert row["rdflib"]["rows"] == row["embedded"]["rows"], name
    assert results["viz"][0]["html_bytes"] > 0 and results["cli"]["glocal --help"] > 0
    assert "| german-us-twinnings |" in (tmp_path / "results.md").read_text()

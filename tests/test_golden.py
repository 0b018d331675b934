"""Golden files: each ingestion module turns a small input folder into the expected quads.

Each folder under golden/ holds the input data files of one case and `expected.trig`.
A failure prints the quads only in the expected and only in the actual graph.
"""

from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.compare import to_isomorphic

from glocal import ingest
from glocal.builder import ONTOLOGY_GRAPH, read_ontology
from glocal.resources import ontology_dir

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def ingest_case(folder: Path) -> Dataset:
    context = ingest.Context(worldwide=True)
    read_ontology(context.dataset, ontology_dir())  # the concepts that data refers to
    ingest.ingest(folder, context)
    context.check_references()
    return context.dataset.to_dataset()


def graphs(dataset: Dataset) -> dict[str, set]:
    return {str(g.identifier): {t for t in g} for g in dataset.graphs()
            if len(g) and g.identifier != ONTOLOGY_GRAPH}


@pytest.mark.parametrize("case", CASES)
def test_ingestion_matches_golden_file(case):
    actual = graphs(ingest_case(GOLDEN / case))
    expected_dataset = Dataset()
    expected_dataset.parse(GOLDEN / case / "expected.trig", format="trig")
    expected = graphs(expected_dataset)
    assert sorted(actual) == sorted(expected), "the named graphs differ"
    for name in expected:
        from rdflib import Graph

        a, e = Graph(), Graph()
        for t in actual[name]:
            a.add(t)
        for t in expected[name]:
            e.add(t)
        if to_isomorphic(a) != to_isomorphic(e):
            only_expected = sorted(" ".join(x.n3() for x in t) for t in expected[name] - actual[name])
            only_actual = sorted(" ".join(x.n3() for x in t) for t in actual[name] - expected[name])
            pytest.fail(f"graph {name} differs\nonly in expected:\n  " + "\n  ".join(only_expected)
                        + "\nonly in actual:\n  " + "\n  ".join(only_actual))

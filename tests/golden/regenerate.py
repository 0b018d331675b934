"""Rewrite each case's expected.trig from the current code: run it, then review the diff.

    python tests/golden/regenerate.py && git diff tests/golden
"""

import sys
from pathlib import Path

from rdflib import Dataset

sys.path.insert(0, str(Path(__file__).parents[1]))
from test_golden import CASES, GOLDEN, graphs, ingest_case

from glocal.namespaces import PREFIXES

for case in CASES:
    out = Dataset()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace, replace=True)
    for name, triples in graphs(ingest_case(GOLDEN / case)).items():
        for triple in triples:
            out.graph(name).add(triple)
    (GOLDEN / case / "expected.trig").write_text(out.serialize(format="trig"), encoding="utf-8")
    print("wrote", case)

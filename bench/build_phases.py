"""Where the build spends its time, phase by phase, with all sources (issue 3's scale check).

Runs the phases of `glocal.build` one after the other on the shipped data and prints each
phase's seconds and share of the total, the triples, and the peak memory (ru_maxrss) of the run.

    python bench/build_phases.py
"""

import itertools
import resource
import tempfile
import time
from pathlib import Path

import pyshacl
from rdflib import Graph

from glocal import ingest, store
from glocal.builder import assemble, canonical_nquads
from glocal.validate import shapes, sparql_violations, split_sparql_constraints


def main() -> None:
    times: dict[str, float] = {}

    def phase(name, run):
        started = time.perf_counter()
        value = run()
        times[name] = time.perf_counter() - started
        return value

    context = ingest.Context()
    marks: list[tuple[float, str]] = []
    dataset = phase("ingest (resolution included)",
                    lambda: assemble(context=context, progress=lambda s: marks.append((time.perf_counter(), s))))
    union = Graph()
    phase("union graph for validation", lambda: [union.add(t) for t in dataset.triples((None, None, None))])
    core, constraints = split_sparql_constraints(shapes())
    phase("SHACL core constraints (pyshacl)",
          lambda: pyshacl.validate(union, shacl_graph=core, inference="none", allow_warnings=True))
    phase("SHACL-SPARQL constraints (Oxigraph)", lambda: sparql_violations(union, constraints))
    data = phase("canonical N-Quads", lambda: canonical_nquads(dataset))
    with tempfile.TemporaryDirectory() as tmp:
        def load():
            with store.new_database(Path(tmp) / "store") as database:
                database.bulk_extend(store.ox.parse(data, format=store.ox.RdfFormat.N_QUADS))
        phase("store load (Oxigraph)", load)
    total = sum(times.values())
    triples = data.count(b"\n")
    print(f"{triples:,} triples; {total:.1f} s in all; peak memory "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    for name, seconds in times.items():
        print(f"  {name:40} {seconds:7.1f} s  {seconds / total:6.1%}")
    print("ingest steps:")
    for (t0, step), (t1, _) in itertools.pairwise(marks):
        print(f"  {step:40} {t1 - t0:7.1f} s")
    for source, figures in context.notes.items():
        print(f"{source}: {figures}")


if __name__ == "__main__":
    main()

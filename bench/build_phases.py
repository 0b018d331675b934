"""Where the build spends its time and memory, phase by phase (issue 3's scale check, issue 8's build target).

Runs the phases of `glocal.build` one after the other on the shipped data with all sources
(the worldwide build) and prints each phase's wall and CPU seconds (CPU time is the steadier
figure on a shared machine), the triples and the peak resident memory of the run.

    python bench/build_phases.py             # the phases of `glocal build --worldwide`
    python bench/build_phases.py --compare   # also the earlier paths on the same quads, as ratios
    python bench/build_phases.py --scale     # store load throughput at 1M triples, disk vs memory

--compare measures, in the same run, what the build did before issue 3's scale work: the quads
held in an rdflib Dataset instead of `glocal.quads.Quads`, rdflib's N-Quads serializer, and the
SHACL core constraints in pyshacl instead of the SPARQL translation in Oxigraph.
--scale loads the 1M-triple synthetic graph (bench/synthetic.py, curated template) into
Oxigraph on disk as `glocal build` does (`store.load_nquads`) and into its memory store
(`store.in_memory`, where the build validates), median of --repeat loads.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from rdflib import Dataset

from glocal import ingest, store
from glocal.builder import assemble, canonical_nquads, collector_paused, serialise
from glocal.quads import Quads
from glocal.validate import shapes, violations


def rss_mb() -> float:
    """The current resident memory of this process."""
    with open("/proc/self/statm") as stream:
        return int(stream.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Phases:
    def __init__(self):
        self.rows: list[tuple[str, float, float]] = []

    def run(self, name, step):
        wall, cpu = time.perf_counter(), time.process_time()
        value = step()
        self.rows.append((name, time.perf_counter() - wall, time.process_time() - cpu))
        print(f"  {name:44} {self.rows[-1][1]:7.1f} s wall {self.rows[-1][2]:7.1f} s CPU", file=sys.stderr)
        return value

    def seconds(self, name: str) -> tuple[float, float]:
        return next((wall, cpu) for n, wall, cpu in self.rows if n == name)


def build_phases(compare: bool) -> None:
    phases = Phases()
    context = ingest.Context(worldwide=True)
    marks: list[tuple[float, str]] = []
    with collector_paused():  # as glocal.build does
        dataset = phases.run("ingest (resolution included)", lambda: assemble(
            context=context, progress=lambda s: marks.append((time.perf_counter(), s))))
        data = phases.run("N-Quads", lambda: serialise(dataset))
    memory = phases.run("validation: load into Oxigraph's memory store", lambda: store.in_memory(data))
    shapes_graph = shapes()
    found = phases.run("validation: SHACL as SPARQL in Oxigraph", partial(violations, memory, shapes_graph))
    del memory
    with tempfile.TemporaryDirectory() as tmp:
        def load():
            with store.new_database(Path(tmp) / "store") as database:
                store.load_nquads(database, data)
        phases.run("store load (Oxigraph on disk)", load)
    triples = data.count(b"\n")
    wall, cpu = sum(r[1] for r in phases.rows), sum(r[2] for r in phases.rows)
    print(f"\n{triples:,} triples, {len(found)} violations; {wall:.1f} s wall, {cpu:.1f} s CPU in all; "
          f"peak memory {peak_mb():.0f} MB")
    print("| phase | wall s | CPU s | share of CPU |\n| --- | ---: | ---: | ---: |")
    for name, w, c in phases.rows:
        print(f"| {name} | {w:.1f} | {c:.1f} | {c / cpu:.0%} |")
    print("\ningest steps (wall s):")
    for (t0, step), (t1, _) in itertools.pairwise(marks):
        if t1 - t0 >= 0.5:
            print(f"  {step:50} {t1 - t0:6.1f}")
    if compare:
        compare_paths(phases, dataset, shapes_graph)


def compare_paths(phases: Phases, quads: Quads, shapes_graph) -> None:
    """The earlier paths on the same quads, beside the current ones."""
    before = rss_mb()
    held = phases.run("hold the quads: glocal.quads.Quads", lambda: _fill(Quads(), quads))
    quads_mb = rss_mb() - before
    before = rss_mb()
    rdflib_dataset = phases.run("hold the quads: rdflib Dataset", lambda: _fill(Dataset(default_union=True), quads))
    rdflib_mb = rss_mb() - before
    del held
    phases.run("canonical N-Quads from the rdflib Dataset", partial(canonical_nquads, rdflib_dataset))
    union = phases.run("validation (pyshacl): union graph", partial(_union, rdflib_dataset))
    del rdflib_dataset
    phases.run("validation: SHACL core in pyshacl", lambda: violations(union, shapes_graph, "pyshacl"))
    print("\n| step | now | before | before / now (CPU) |\n| --- | ---: | ---: | ---: |")
    for label, now, then in (
            ("hold the quads (CPU s)", "hold the quads: glocal.quads.Quads", "hold the quads: rdflib Dataset"),
            ("N-Quads (CPU s; before: sorted, as the build wrote them)", "N-Quads",
             "canonical N-Quads from the rdflib Dataset"),
            ("SHACL validation (CPU s)", "validation: SHACL as SPARQL in Oxigraph",
             "validation: SHACL core in pyshacl")):
        a, b = phases.seconds(now)[1], phases.seconds(then)[1]
        if label.startswith("SHACL"):
            a += phases.seconds("validation: load into Oxigraph's memory store")[1]
            b += phases.seconds("validation (pyshacl): union graph")[1]
        print(f"| {label} | {a:.1f} | {b:.1f} | {b / a:.1f}× |")
    print(f"| resident memory of the held quads (MB) | {quads_mb:.0f} | {rdflib_mb:.0f} | {rdflib_mb / quads_mb:.1f}× |")


def _fill(target, quads: Quads):
    for quad in quads.quads():
        target.add(quad)
    return target


def _union(dataset: Dataset):
    from rdflib import Graph

    union = Graph()
    for triple in dataset.triples((None, None, None)):
        union.add(triple)
    return union


def scale(triples: int, repeat: int) -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent))
    from bench import synthetic

    data = synthetic.generate(canonical_nquads(assemble()), triples)
    n = data.count(b"\n")
    times: dict[str, list[tuple[float, float]]] = {"disk": [], "memory": []}

    def timed(kind, load):
        wall, cpu = time.perf_counter(), time.process_time()  # CPU: all threads of the process
        load()
        times[kind].append((time.perf_counter() - wall, time.process_time() - cpu))

    def on_disk(folder: Path):
        with store.new_database(folder) as database:
            store.load_nquads(database, data)

    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeat + 1):  # the first load warms up
            timed("disk", partial(on_disk, Path(tmp) / f"store{i}"))
            timed("memory", lambda: store.in_memory(data))
    rate = {kind: [n / statistics.median(t[k] for t in runs[1:]) for k in (0, 1)] for kind, runs in times.items()}
    print(f"\n{n:,} triples (synthetic, seed 7), median of {repeat} loads after a warm-up")
    print("| store | triples/s (wall) | triples per CPU-second |\n| --- | ---: | ---: |")
    print(f"| Oxigraph on disk (`store.load_nquads`, as `glocal build`) | {rate['disk'][0]:,.0f} | {rate['disk'][1]:,.0f} |")
    print(f"| Oxigraph in memory (`store.in_memory`, as the validation) | {rate['memory'][0]:,.0f} | "
          f"{rate['memory'][1]:,.0f} |")
    print(f"| memory / disk | {rate['memory'][0] / rate['disk'][0]:.1f}× | {rate['memory'][1] / rate['disk'][1]:.1f}× |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare", action="store_true", help="also the earlier paths (pyshacl takes minutes)")
    parser.add_argument("--scale", action="store_true", help="only the 1M-triple load throughput")
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the --scale graph")
    parser.add_argument("--repeat", type=int, default=3, help="timed loads of --scale after a warm-up")
    args = parser.parse_args(argv)
    if args.scale:
        scale(args.triples, args.repeat)
    else:
        build_phases(args.compare)


if __name__ == "__main__":
    main()

"""Run time of every stored query on the built graph: median of several runs after a warm-up.

    glocal build --store /tmp/bench-store && python bench/queries.py --store /tmp/bench-store
"""

import argparse
import statistics
import time

import glocal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    graph = glocal.open_graph(args.store, cache=False)  # every run evaluated
    print(f"{'query':32} {'rows':>6} {'median ms':>10}")
    for name, query in glocal.stored_queries().items():
        if "federated" in query.tags:
            continue
        rows = len(graph.run(name))  # warm-up
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            assert len(graph.run(name)) == rows
            times.append(time.perf_counter() - started)
        print(f"{name:32} {rows:6} {statistics.median(times) * 1000:10.2f}")


if __name__ == "__main__":
    main()

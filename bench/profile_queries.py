"""Where a stored query's time goes on the embedded store: Oxigraph, or glocal's own code.

For every stored query (the federated ones left out), median ms of several runs after a warm-up:

- ``oxigraph``: evaluating the query and walking its solutions, no term touched (Oxigraph's
  evaluation is lazy: the walk is the evaluation);
- ``terms``: ``Result.solutions``, each solution's terms as pyoxigraph objects;
- ``rows``: ``Result.rows``, what `graph.run(name).rows` costs a caller (terms as Python values);
- ``json``: ``Result.serialize("json")``, what `glocal query -f json` and the server write.

``ours`` is ``rows − oxigraph``: the share of glocal's result conversion.

    python -m bench.profile_queries --store /tmp/bench-1m --repeat 5
"""

from __future__ import annotations

import argparse
import json

import pyoxigraph as ox

import glocal
from glocal.results import Result
from glocal.sparqlio import collect

from .run import benchmarked_queries, median_ms


def profile(graph, name: str, repeat: int) -> dict:
    query = glocal.stored_query(name)
    substitutions = query.bindings({})

    def execute():
        return graph.execute(query.text, substitutions)

    def walk():
        raw = execute()
        if not isinstance(raw, ox.QueryBoolean):
            for _ in raw:
                pass

    result = Result(collect(execute()))
    entry = {"rows": len(result), "oxigraph": median_ms(walk, repeat)}
    if result.kind == "select":
        entry["terms"] = median_ms(lambda: Result(collect(execute())).solutions, repeat)
        entry["rows_ms"] = median_ms(lambda: Result(collect(execute())).rows, repeat)
        entry["json"] = median_ms(lambda: Result(collect(execute())).serialize("json"), repeat)
        entry["ours"] = entry["rows_ms"] - entry["oxigraph"]
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated query names (default: all)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    graph = glocal.open_graph(args.store, cache=False)
    names = [n for n in args.only.split(",") if n] or benchmarked_queries()
    figures = {}
    print("| query | rows | oxigraph | terms | rows | json | ours |\n| --- |" + " ---: |" * 6)
    for name in names:
        e = figures[name] = profile(graph, name, args.repeat)
        cells = [e.get(k) for k in ("oxigraph", "terms", "rows_ms", "json", "ours")]
        print(f"| {name} | {e['rows']} | " + " | ".join("–" if c is None else f"{c:.1f}" for c in cells) + " |",
              flush=True)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=1)


if __name__ == "__main__":
    main()

"""Glocal against the stores researchers would otherwise use, side by side in one run.

For the real graph (built here from data/) and synthetic graphs of its shape (bench/synthetic.py),
measures load throughput and peak memory, and the median latency of every stored query (the
federated ones left out) after a warm-up, on:

- the embedded store (Oxigraph on disk, loaded as `glocal build` loads it), every run evaluated
  (`open_graph(store, cache=False)`), and as a researcher's repeated query meets it: answered from
  the answers kept per graph version (glocal.cache; after the warm-up, every run is a kept answer);
- rdflib's in-memory Dataset, the baseline most Python knowledge-graph tools ship with, in a worker
  process under a time cap (a query whose warm-up run passes the cap is reported as "> cap");
- Oxigraph server and Virtuoso, started here on 127.0.0.1 (tests/servers.py), loaded with their
  own bulk loaders and asked through glocal's SPARQL protocol client;

then the generation time and file size of `glocal viz` pages (bench/explorer.py's synthetic
networks) and the cold start of the CLI. Prints Markdown tables, writes everything as JSON.

    python -m bench --sizes 100000,1000000 --repeat 5 --json bench/results.json
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import glocal

from . import synthetic

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import servers  # the tests' server helpers: one implementation for both

GLOCAL = [sys.executable, "-m", "glocal"]
OVER_CAP: set[str] = set()  # rdflib: queries over the cap on a smaller graph are not run on larger ones


def median_ms(run, repeat: int) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def benchmarked_queries() -> list[str]:
    return [name for name, q in glocal.stored_queries().items() if "federated" not in q.tags]


def rdflib_text(name: str) -> str:
    """The stored query as plain SPARQL: prefixes declared, default parameters in a VALUES block."""
    from glocal.remote import PROLOGUE
    from glocal.sparqlio import bind

    query = glocal.stored_query(name)
    substitutions = query.bindings({})
    return PROLOGUE + (bind(query.text, substitutions) if substitutions else query.text)


def peak_mb(pid: int | str = "self") -> float:
    """Peak resident memory of a live process (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- worker processes: each load in a fresh process, so its peak memory is its own ---

def load_embedded(data_path: str, folder: str, conn) -> None:
    from glocal import store

    data = Path(data_path).read_bytes()
    started = time.perf_counter()
    database = store.ox.Store(folder)
    store.load_nquads(database, data)
    database.flush()
    conn.send((time.perf_counter() - started, len(database), peak_mb()))


def rdflib_worker(data_path: str, repeat: int, cap: float, conn) -> None:
    """Loads the data into rdflib's memory Dataset, then times the queries it is sent."""
    import rdflib

    data = Path(data_path).read_bytes()
    started = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=data, format="nquads")
    conn.send((time.perf_counter() - started, len(dataset), peak_mb()))
    while True:
        name = conn.recv()
        if name is None:
            return
        text = rdflib_text(name)

        def run(text=text):
            return len(dataset.query(text))

        started = time.perf_counter()
        try:
            rows = run()
        except Exception as exc:  # noqa: BLE001  (rdflib fails on some valid queries: report, go on)
            conn.send(("error", f"rdflib error: {type(exc).__name__}: {str(exc)[:120]}"))
            continue
        warm = time.perf_counter() - started
        conn.send(("warm", rows))
        if warm > cap:
            conn.send(("slow", warm * 1000))
            continue
        conn.send(("ms", median_ms(run, repeat - 1) if repeat > 1 else warm * 1000))


class Rdflib:
    """rdflib in a worker process; a query over the cap kills the worker, the next one reloads."""

    def __init__(self, data_path: Path, repeat: int, cap: float):
        self.data_path, self.repeat, self.cap = data_path, repeat, cap
        self.load = self._start()

    def _start(self):
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=rdflib_worker, args=(str(self.data_path), self.repeat, self.cap, child))
        self.process.start()
        if not self.conn.poll(self.cap * 10):
            self.close()
            return None
        return self.conn.recv()

    def query(self, name: str) -> dict:
        if name in OVER_CAP:
            return {"ms": None, "note": f"> {self.cap:g} s on a smaller graph"}
        if self.process is None and self._start() is None:
            return {"ms": None, "note": "load over the cap"}
        self.conn.send(name)
        if not self.conn.poll(self.cap):
            self.close()
            OVER_CAP.add(name)
            return {"ms": None, "note": f"> {self.cap:g} s"}
        kind, rows = self.conn.recv()
        if kind == "error":
            return {"ms": None, "note": rows}
        kind, ms = self.conn.recv()
        if kind == "slow":
            OVER_CAP.add(name)
            return {"ms": None, "rows": rows, "note": f"> {self.cap:g} s (one run: {ms / 1000:.1f} s)"}
        return {"ms": ms, "rows": rows}

    def close(self):
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
            self.process = None


def in_process(target, *args):
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=target, args=(*args, child))
    process.start()
    answer = parent.recv()
    process.join()
    return answer


def timed_command(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of a command, measured by /usr/bin/time (GNU time)."""
    started = time.perf_counter()
    process = subprocess.run(["/usr/bin/time", "-f", "%M", *args], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"{args[0]} failed: {process.stderr.decode(errors='replace')[-2000:]}")
    return seconds, int(process.stderr.split()[-1]) / 1024


# --- the measurements ---

def measure_dataset(label: str, data: bytes, work: Path, args) -> dict:
    print(f"\n## {label}", flush=True)
    work.mkdir(parents=True)
    data_path = work / "data.nq"
    data_path.write_bytes(data)
    triples = data.count(b"\n")
    result = {"dataset": label, "triples": triples, "load": {}, "queries": {}}
    names = benchmarked_queries() if args.queries is None else [n for n in args.queries.split(",") if n]

    loads = []
    for run in range(args.repeat + 1):
        folder = work / f"embedded-{run}"
        loads.append(in_process(load_embedded, str(data_path), str(folder)))
        if run < args.repeat:
            shutil.rmtree(folder)
    loads = loads[1:]  # the first is the warm-up
    seconds = statistics.median(s for s, _, _ in loads)
    result["load"]["embedded"] = {"triples_per_s": triples / seconds, "seconds": seconds,
                                  "peak_mb": max(m for _, _, m in loads), "runs": len(loads)}
    print(f"embedded: {triples / seconds:,.0f} triples/s", flush=True)
    location = _publish(work / f"embedded-{args.repeat}", work / "store")
    graph, cached = glocal.open_graph(location, cache=False), glocal.open_graph(location)
    engines = {"embedded": lambda name: len(graph.run(name)),  # every run evaluated
               "embedded-cached": lambda name: len(cached.run(name))}  # after the warm-up: kept answers

    rdf = None
    if args.rdflib_cap > 0:
        rdf = Rdflib(data_path, args.repeat, args.rdflib_cap)
        if rdf.load is None:
            result["load"]["rdflib"] = {"note": f"load over {args.rdflib_cap * 10:g} s"}
        else:
            seconds, _, mb = rdf.load
            result["load"]["rdflib"] = {"triples_per_s": triples / seconds, "seconds": seconds, "peak_mb": mb,
                                        "runs": 1}
            print(f"rdflib: {triples / seconds:,.0f} triples/s", flush=True)

    started_servers = []
    try:
        if args.servers:
            folder = work / "oxigraph" / "db"
            folder.parent.mkdir()
            binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
            seconds, mb = timed_command([binary, "load", "--location", str(folder), "--file", str(data_path)])
            result["load"]["oxigraph-server"] = {"triples_per_s": triples / seconds, "seconds": seconds,
                                                 "peak_mb": mb, "runs": 1}
            server = servers.oxigraph(folder)
            started_servers.append(server)
            remote = glocal.open_graph(server.url + "/query")
            engines["oxigraph-server"] = lambda name, g=remote: len(g.run(name))

            folder = work / "virtuoso"
            server, password = servers.virtuoso(folder, buffers=args.virtuoso_buffers)
            started_servers.append(server)
            os.link(data_path, folder / "data.nq")
            isql = ["isql-vt", f"127.0.0.1:{server.sql_port}", "dba", password]
            seconds, _ = timed_command([*isql, (f"exec=ld_dir('{folder}', 'data.nq', 'urn:unused'); "
                                        "rdf_loader_run(); checkpoint;")])
            result["load"]["virtuoso"] = {"triples_per_s": triples / seconds, "seconds": seconds,
                                          "peak_mb": peak_mb(server.process.pid), "runs": 1}
            remote = glocal.open_graph(server.url + "/sparql")
            engines["virtuoso"] = lambda name, g=remote: len(g.run(name))
            print("servers loaded", flush=True)

        for name in names:
            row = {}
            for engine, run in engines.items():
                try:
                    rows = run(name)
                    row[engine] = {"ms": median_ms(lambda r=run, n=name: r(n), args.repeat), "rows": rows}
                except glocal.GlocalError as exc:
                    row[engine] = {"ms": None, "note": str(exc)[:200]}
            if rdf is not None:
                row["rdflib"] = rdf.query(name)
            result["queries"][name] = row
            print(f"{name:30} " + "  ".join(f"{e}={_ms(r)}" for e, r in row.items()), flush=True)
    finally:
        for server in started_servers:
            server.close()
        if rdf is not None:
            rdf.close()
        shutil.rmtree(work, ignore_errors=True)
    return result


def _publish(database: Path, location: Path) -> Path:
    """A loaded database as a store location (CURRENT pointing at it), for glocal.open_graph."""
    location.mkdir()
    database.rename(location / "build-bench")
    (location / "CURRENT").write_text("build-bench\n")
    return location


def measure_viz(sizes: list[int], repeat: int, work: Path) -> list[dict]:
    from glocal import viz

    from .explorer import synthetic as network

    results = []
    for nodes in sizes:
        g = network(nodes)
        out = work / f"viz-{nodes}.html"
        size = viz.write(g, out, "bench")
        ms = median_ms(lambda g=g, out=out: viz.write(g, out, "bench"), repeat)
        results.append({"nodes": len(g), "edges": g.number_of_edges(), "seconds": ms / 1000, "html_bytes": size})
        print(f"viz {len(g):,} nodes: {ms / 1000:.2f} s, {size / 1e6:.1f} MB", flush=True)
    return results


def measure_cli(store: Path, repeat: int) -> dict:
    commands = {"glocal --help": [*GLOCAL, "--help"],
                "glocal query city-identifiers": [*GLOCAL, "query", "city-identifiers", "--store", str(store)]}
    results = {}
    for label, command in commands.items():
        results[label] = median_ms(lambda c=command: subprocess.run(c, check=True, capture_output=True),
                                   repeat) / 1000
        print(f"{label}: {results[label]:.3f} s", flush=True)
    return results


def _ms(entry: dict | None) -> str:
    if not entry:
        return "–"
    if entry.get("ms") is None:
        note = entry.get("note", "")
        return note if note.startswith("> ") else "error (in the JSON)"
    ms = entry["ms"]
    return f"{ms:.1f}" if ms >= 1 else f"{ms:.2f}"


def _ratio(a: dict | None, b: dict | None) -> str:
    if not a or not b or a.get("ms") is None:
        return "–"
    if b.get("ms") is None:
        return "> " + f"{_cap_ms(b) / a['ms']:,.0f}×" if _cap_ms(b) else "–"
    return f"{b['ms'] / a['ms']:,.1f}×"


def _cap_ms(entry: dict) -> float | None:
    note = entry.get("note", "")
    if note.startswith("> ") and note.split()[1].replace(".", "").isdigit():
        return float(note.split()[1]) * 1000
    return None


def report(results: dict) -> str:
    """The results as Markdown tables."""
    lines = [f"Machine: {results['machine']}", f"Command: `{results['command']}`", ""]
    if "build" in results:
        b = results["build"]
        lines += [(f"Real build (`glocal build`): {results['real_triples']:,} triples in {b['seconds']:.2f} s, "
                  f"peak memory {b['peak_mb']:,.0f} MB."), ""]
    engines = ("embedded", "oxigraph-server", "virtuoso", "rdflib")
    lines += ["| graph | triples | " + " | ".join(f"{e} load (triples/s, peak MB)" for e in engines)
              + " | embedded vs rdflib |", "|" + " --- |" * 2 + " ---: |" * (len(engines) + 1)]
    for d in results["datasets"]:
        cells = []
        for e in engines:
            load = d["load"].get(e)
            cells.append(f"{load['triples_per_s']:,.0f} ({load['peak_mb']:,.0f})" if load and "triples_per_s" in load
                         else (load or {}).get("note", "–"))
        emb, rdf = d["load"].get("embedded"), d["load"].get("rdflib", {})
        speedup = f"{emb['triples_per_s'] / rdf['triples_per_s']:.1f}×" if "triples_per_s" in rdf else "–"
        lines.append(f"| {d['dataset']} | {d['triples']:,} | " + " | ".join(cells) + f" | {speedup} |")
    for d in results["datasets"]:
        lines += ["", (f"Stored queries on {d['dataset']} ({d['triples']:,} triples), median ms of "
                  f"{results['repeat']} runs after a warm-up:"), "",
                  ("| query | rows | embedded | embedded, cached | Oxigraph server | Virtuoso | rdflib "
                  "| rdflib / embedded | embedded / Virtuoso |"), "| --- |" + " ---: |" * 8]
        for name, row in d["queries"].items():
            emb = row.get("embedded", {})
            virt = row.get("virtuoso")
            versus_virtuoso = (f"{emb['ms'] / virt['ms']:.1f}" if virt and virt.get("ms") and emb.get("ms")
                               else "–")
            lines.append(f"| {name} | {emb.get('rows', '–')} | {_ms(emb)} | {_ms(row.get('embedded-cached'))} | "
                         f"{_ms(row.get('oxigraph-server'))} | "
                         f"{_ms(virt)} | {_ms(row.get('rdflib'))} | {_ratio(emb, row.get('rdflib'))} | "
                         f"{versus_virtuoso} |")
    if results.get("viz"):
        lines += ["", "| `glocal viz` nodes | edges | generation s | HTML MB |", "| ---: | ---: | ---: | ---: |"]
        lines += [f"| {v['nodes']:,} | {v['edges']:,} | {v['seconds']:.2f} | {v['html_bytes'] / 1e6:.1f} |"
                  for v in results["viz"]]
    if results.get("cli"):
        lines += ["", "| cold start | median s |", "| --- | ---: |"]
        lines += [f"| `{label}` | {s:.3f} |" for label, s in results["cli"].items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worldwide", action="store_true",
                        help="build the real graph with the worldwide sources (glocal build --worldwide)")
    parser.add_argument("--store", type=Path,
                        help="a graph already built there is the real graph (no build is timed)")
    parser.add_argument("--sizes", default="100000,1000000",
                        help="synthetic graph sizes in triples, comma-separated ('' for none)")
    parser.add_argument("--no-real", dest="real", action="store_false",
                        help="leave out the real graph's own load and queries (it is still built: it is the template)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs after the warm-up (median)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rdflib-cap", type=float, default=10.0,
                        help="seconds a query may run on rdflib (its load: ten times that); 0 leaves rdflib out")
    parser.add_argument("--no-servers", dest="servers", action="store_false",
                        help="leave out Oxigraph server and Virtuoso")
    parser.add_argument("--virtuoso-buffers", type=int, default=340_000,
                        help="Virtuoso's NumberOfBuffers (8 KiB pages; 340,000 is its guide's value for 4 GB)")
    parser.add_argument("--queries", help="stored queries to time, comma-separated (default: all; '' for none, "
                                          "loads only)")
    parser.add_argument("--viz", default="1000,10000,100000", help="explorer sizes in nodes ('' for none)")
    parser.add_argument("--json", type=Path, default=Path("bench/results.json"))
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]

    results = {"machine": f"{platform.node()}: {os.cpu_count()} cores, "
                          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
                          f"{platform.platform()}, Python {platform.python_version()}",
               "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
               "date": time.strftime("%Y-%m-%d %H:%M"), "repeat": args.repeat, "seed": args.seed, "datasets": []}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="glocal-bench-") as tmp:
        work = Path(tmp)
        store = args.store or work / "real-store"
        if not args.store:
            seconds, mb = timed_command([*GLOCAL, "build", "--store", str(store),
                                         *(["--worldwide"] if args.worldwide else [])])
            results["build"] = {"seconds": seconds, "peak_mb": mb}
        buffer = io.BytesIO()
        glocal.open_graph(store).export("nq", buffer)
        template = buffer.getvalue()
        results["real_triples"] = template.count(b"\n")
        results["shape"] = {"real": synthetic.shape(template)}
        print(f"real graph: {results['real_triples']:,} triples", flush=True)
        if args.real:
            results["datasets"].append(measure_dataset("real graph", template, work / "real", args))
        for size in sizes:
            if size < results["real_triples"]:
                print(f"skipping {size:,}: smaller than the real graph", flush=True)
                continue
            data = synthetic.generate(template, size, args.seed)
            label = f"synthetic {size:,}"
            results["shape"][label] = synthetic.shape(data)
            results["datasets"].append(measure_dataset(label, data, work / f"s{size}", args))
            args.json.write_text(json.dumps(results, indent=1) + "\n")  # kept if a later step fails
        sizes_viz = [int(s) for s in args.viz.split(",") if s]
        results["viz"] = measure_viz(sizes_viz, args.repeat, work)
        results["cli"] = measure_cli(store, args.repeat)
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    tables = report(results)
    if args.markdown:
        args.markdown.write_text(tables)
    print("\n" + tables)


if __name__ == "__main__":
    main()

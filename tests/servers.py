"""Real servers for the tests, on 127.0.0.1: glocal serve, Oxigraph server and Virtuoso."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process; stops it (by its own pid) on close."""

    def __init__(self, args: list[str], url: str, ready: str, log: Path, env: dict | None = None,
                 wait: float = 60.0):
        self.url = url
        self._log = log.open("wb")
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + wait
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{args[0]} exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(ready, timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"{args[0]} did not answer at {ready} within {wait:g}s")
            time.sleep(0.1)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def glocal_serve(store: Path, log: Path, *options: str) -> Server:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    return Server([sys.executable, "-m", "glocal", "serve", "--store", str(store), "--port", str(port),
                   *options], url, url + "/sparql", log)


def oxigraph(folder: Path, load: Path | None = None) -> Server:
    """`oxigraph serve` on a database in `folder`, first loaded with the RDF file `load` if given."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if load:
        subprocess.run([binary, "load", "--location", str(folder), "--file", str(load)], check=True,
                       capture_output=True)
    return Server([binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
                  url, url + "/query?query=ASK%7B%7D", folder.parent / "oxigraph.log")


def virtuoso(folder: Path, buffers: int | None = None) -> tuple[Server, str]:
    """A fresh Virtuoso database in `folder`, with a new dba password (returned).

    `buffers`: database pages (8 KiB) held in memory (Debian's default is 10,000; Virtuoso's
    guide gives 340,000 for 4 GB). The SQL port is the server's `sql_port`, for isql.
    """
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text()
    ini = re.sub(r"/var/lib/virtuoso-opensource-7/db", str(folder), ini)
    ini = re.sub(r"(?m)^ServerPort\s*=\s*1111", f"ServerPort = 127.0.0.1:{sql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort\s*=\s*8890", f"ServerPort = 127.0.0.1:{http_port}", ini)
    ini = re.sub(r"(?m)^DirsAllowed\s*=.*", f"DirsAllowed = ., {folder}, /usr/share/virtuoso-opensource-7/vad", ini)
    ini = re.sub(r"(?m)^ResultSetMaxRows\s*=.*", "ResultSetMaxRows = 1000000", ini)
    if buffers:
        ini = re.sub(r"(?m)^NumberOfBuffers\s*=.*", f"NumberOfBuffers = {buffers}", ini)
        ini = re.sub(r"(?m)^MaxDirtyBuffers\s*=.*", f"MaxDirtyBuffers = {buffers * 3 // 4}", ini)
    (folder / "virtuoso.ini").write_text(ini)
    url = f"http://127.0.0.1:{http_port}"
    server = Server(["virtuoso-t", "-f", "-c", str(folder / "virtuoso.ini")], url,
                    url + "/sparql?query=ASK%7B%7D", folder / "server.log", wait=120)
    server.sql_port = sql_port
    password = secrets.token_hex(8)
    subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", f"exec=USER_SET_PASSWORD('dba', '{password}');"],
                   check=True, capture_output=True, timeout=60)
    return server, password


def with_credentials(user: str, password: str) -> dict:
    return {**os.environ, "GLOCAL_STORE_USER": user, "GLOCAL_STORE_PASSWORD": password}

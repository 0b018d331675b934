"""A well-behaved client for the Wikidata SPARQL endpoint, or any Wikidata-like one (QLever, a mirror).

Following the Wikidata query service's policy, it sends a descriptive User-Agent (configurable),
asks many ids per query (``VALUES`` batches), gives up on a request after a timeout, retries
429/503 answers and timeouts with exponential backoff, waiting as long as ``Retry-After`` says,
and keeps every answer in an on-disk cache, so that a re-run makes no request it already made.
A failure raises `RemoteError` with a one-line reason; nothing is cached from a failed request.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import time
import urllib.error
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GlocalError, RemoteError

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
DEFAULT_USER_AGENT = ("glocal/0.1 (Glocal knowledge graph of cities and city networks; "
                      "https://w3id.org/glocal) SPARQLWrapper")
WD = "http://www.wikidata.org/entity/"
PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
"""
RETRIED = {429, 502, 503, 504}


def default_cache() -> Path:
    """``$GLOCAL_CACHE``, else ``$XDG_CACHE_HOME/glocal/sparql`` (``~/.cache/glocal/sparql``)."""
    if os.environ.get("GLOCAL_CACHE"):
        return Path(os.environ["GLOCAL_CACHE"])
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache_home) / "glocal" / "sparql"


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date.

    >>> retry_after("3"), retry_after(None), retry_after("soon")
    (3.0, None, None)
    >>> retry_after("Wed, 21 Oct 2015 07:28:00 GMT")
    0.0
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def batches(values: Iterable[str], size: int) -> list[list[str]]:
    """Sorted, distinct values in batches of `size`: the same ids always give the same queries.

    >>> batches(["b", "a", "c", "a"], 2)
    [['a', 'b'], ['c']]
    """
    ordered = sorted(set(values))
    return [ordered[i:i + size] for i in range(0, len(ordered), size)]


def literal(text: str) -> str:
    """A SPARQL string literal.

    >>> print(literal("Köln"))
    "Köln"
    """
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Client:
    """SPARQL SELECT against a Wikidata-like endpoint, cached, batched and retried.

    `requests` counts the HTTP requests sent, `cache_hits` the answers read from the cache, and
    `waits` the seconds waited before each retry.
    """

    endpoint: str = DEFAULT_ENDPOINT
    user_agent: str = DEFAULT_USER_AGENT
    timeout: int = 60
    retries: int = 4
    backoff: float = 2.0
    max_wait: float = 300.0
    batch_size: int = 200
    cache: Path | None = field(default_factory=default_cache)
    requests: int = 0
    cache_hits: int = 0
    waits: list[float] = field(default_factory=list)

    def select(self, query: str) -> list[dict[str, dict]]:
        """The bindings of a SELECT query, as SPARQL 1.1 JSON binding objects."""
        text = PREFIXES + query
        path = self._cache_path(text)
        cached = self._cached(path)
        if cached is not None:
            self.cache_hits += 1
            return cached
        bindings = self._fetch(text)
        if path is not None:
            answer = {"endpoint": self.endpoint, "query": text, "bindings": bindings,
                      "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                partial.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
                os.replace(partial, path)
            except OSError as exc:
                raise GlocalError(f"cannot write the answer cache {self.cache}: {exc.strerror} "
                                  "(--cache DIR picks another, --no-cache skips it)") from None
        return bindings

    def select_values(self, variable: str, values: Iterable[str], body: str) -> list[dict[str, dict]]:
        """Run `body` once per batch of `values` (SPARQL terms) bound to ?`variable` by VALUES."""
        rows = []
        for batch in batches(values, self.batch_size):
            rows += self.select(f"SELECT * WHERE {{\n  VALUES ?{variable} {{ {' '.join(batch)} }}\n{body}\n}}")
        return rows

    def _cache_path(self, text: str) -> Path | None:
        if self.cache is None:
            return None
        key = hashlib.sha256(f"{self.endpoint}\n{text}".encode()).hexdigest()
        return Path(self.cache) / key[:2] / f"{key}.json"

    @staticmethod
    def _cached(path: Path | None) -> list[dict[str, dict]] | None:
        """A cached answer; an unreadable cache file (edited, truncated by hand) counts as a miss."""
        if path is None or not path.is_file():
            return None
        try:
            bindings = json.loads(path.read_text(encoding="utf-8"))["bindings"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return bindings if isinstance(bindings, list) else None

    def _fetch(self, text: str) -> list[dict[str, dict]]:
        attempt = 0
        while True:
            try:
                return self._request(text)
            except _Transient as exc:
                if attempt == self.retries:
                    tries = f"{attempt + 1} attempt{'s' if attempt else ''}"
                    raise RemoteError(f"the SPARQL endpoint {self.endpoint} {exc.reason} ({tries}); "
                                      "try again later, or raise --timeout / --retries") from None
                wait = min(exc.wait if exc.wait is not None else self.backoff * 2 ** attempt, self.max_wait)
                self.waits.append(wait)
                time.sleep(wait)
                attempt += 1

    def _request(self, text: str) -> list[dict[str, dict]]:
        from SPARQLWrapper import JSON, POST, URLENCODED, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        sparql = SPARQLWrapper(self.endpoint, agent=self.user_agent)
        sparql.setQuery(text)
        sparql.setMethod(POST)
        sparql.setRequestMethod(URLENCODED)
        sparql.setReturnFormat(JSON)
        sparql.setTimeout(self.timeout)
        self.requests += 1
        try:
            response = sparql.query().response
            body = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code in RETRIED:
                raise _Transient(f"answered HTTP {exc.code} {exc.reason}",
                                 retry_after(exc.headers.get("Retry-After"))) from None
            raise RemoteError(f"the SPARQL endpoint {self.endpoint} answered HTTP {exc.code} {exc.reason}") from None
        except SPARQLWrapperException as exc:
            raise RemoteError(f"the SPARQL endpoint {self.endpoint} refused the query: "
                              f"{str(exc).splitlines()[0]}") from None
        except TimeoutError:
            raise _Transient(f"did not answer within {self.timeout} s", None) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _Transient(f"did not answer within {self.timeout} s", None) from None
            raise _Transient(f"could not be reached ({exc.reason})", None) from None
        except (ConnectionError, OSError) as exc:
            raise _Transient(f"could not be reached ({exc})", None) from None
        return self._bindings(body)

    def _bindings(self, body: bytes) -> list[dict[str, dict]]:
        try:
            document = json.loads(body.decode("utf-8"))
            bindings = document["results"]["bindings"]
            if not isinstance(bindings, list) or not all(
                    isinstance(b, dict) and all(isinstance(t, dict) and "type" in t and "value" in t
                                                for t in b.values()) for b in bindings):
                raise ValueError("bindings are not SPARQL JSON terms")
        except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            start = body[:60].decode("utf-8", "replace").replace("\n", " ")
            raise RemoteError(f"the SPARQL endpoint {self.endpoint} sent a malformed response, not SPARQL "
                              f"JSON results ({type(exc).__name__}: {exc}); it began: {start!r}") from None
        return bindings


class _Transient(Exception):
    """A failure worth retrying: 429/503, a timeout, a dropped connection."""

    def __init__(self, reason: str, wait: float | None):
        super().__init__(reason)
        self.reason, self.wait = reason, wait


def qid(binding: dict) -> str | None:
    """The QID of a binding that holds a Wikidata entity IRI, else None.

    >>> qid({"type": "uri", "value": "http://www.wikidata.org/entity/Q64"})
    'Q64'
    """
    value = binding.get("value", "")
    if binding.get("type") == "uri" and value.startswith(WD) and value[len(WD):].startswith("Q"):
        return value[len(WD):]
    return None

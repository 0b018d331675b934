"""Answers kept per graph version: a repeated query costs a lookup, not an evaluation.

A built graph never changes: `glocal build` writes a new database and swaps the store's pointer
(see glocal.store), so the database's name is the graph's version, and an answer stays true for
as long as that database is read. Federated queries (SERVICE) and queries whose answer changes
from run to run (NOW, RAND, UUID, STRUUID, BNODE) are never kept.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from .sparqlio import SKIPPED, Answer, uses_service

MAX_ROWS = 200_000  #: rows (or triples) kept in all; the least recently used answers go first
MAX_ANSWER_ROWS = 50_000  #: a larger answer is not kept
_VOLATILE = re.compile(r"(?<![?$\w])(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


def cacheable(sparql: str) -> bool:
    """Whether the same query on the same graph always has the same answer.

    >>> cacheable('SELECT ?now WHERE { ?s glo:startYear ?now }')
    True
    >>> cacheable('SELECT (NOW() AS ?t) WHERE {}'), cacheable('SELECT * { SERVICE <http://x> { ?s ?p ?o } }')
    (False, False)
    """
    return not uses_service(sparql) and not _VOLATILE.search(SKIPPED.sub(" ", sparql))


class ResultCache:
    """The answers to recent queries, keyed by graph version, query text and parameters."""

    def __init__(self, max_rows: int = MAX_ROWS, max_answer_rows: int = MAX_ANSWER_ROWS):
        self.max_rows, self.max_answer_rows = max_rows, max_answer_rows
        self._answers: OrderedDict[tuple, Answer] = OrderedDict()
        self._rows = 0

    @staticmethod
    def key(version: str, sparql: str, substitutions: dict | None) -> tuple:
        return version, sparql, tuple(sorted((str(k), str(v)) for k, v in (substitutions or {}).items()))

    def get(self, key: tuple) -> Answer | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: tuple, sparql: str, answer: Answer) -> None:
        """Keep the answer, unless it is too large or the query's answer may change."""
        size = max(1, len(answer.rows))
        if size > self.max_answer_rows or key in self._answers or not cacheable(sparql):
            return
        self._answers[key] = answer
        self._rows += size
        while self._rows > self.max_rows:
            _, old = self._answers.popitem(last=False)
            self._rows -= max(1, len(old.rows))

"""Glocal: an open knowledge graph of cities, city networks and urban best practices.

The library API; the ``glocal`` command is a thin layer over it. Build the graph into a store,
open it, and ask it questions in SPARQL, inline or by the name of a stored query::

    >>> import glocal, tempfile
    >>> location = tempfile.mkdtemp() + "/store"
    >>> report = glocal.build(location)
    >>> graph = glocal.open_graph(location)
    >>> graph.query("ASK { city:de-berlin glo:twinnedWith city:us-ca-los-angeles }").boolean
    True

Names are imported on first use, so that ``glocal --help`` starts fast.
"""

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "build": "builder", "BuildReport": "builder",
    "open_graph": "graph", "KnowledgeGraph": "graph",
    "stored_queries": "queries", "stored_query": "queries", "StoredQuery": "queries",
    "validate_files": "validate", "check": "validate",
    "GlocalError": "errors", "DataError": "errors", "ValidationError": "errors",
    "QuerySyntaxError": "errors", "QueryNotFound": "errors", "ParameterError": "errors",
    "StoreNotFound": "errors",
    "link": "linking", "LinkReport": "linking", "enrich_wikidata": "enrich", "RemoteError": "errors",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'glocal' has no attribute '{name}'")

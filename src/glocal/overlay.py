"""Named graphs published on top of a built store: the linkset, the Wikidata import.

`glocal build` publishes the curated graph. `glocal link` and `glocal enrich` each compute one
named graph of their own and publish *the current graph plus that graph* as a new database,
with the same atomic pointer swap as a build (`store.new_database`): a reader sees the old graph
or the new one, never half of one, and a failure leaves the store as it was. Publishing a graph
again replaces it, and its description in glg:meta, as a whole. A rebuild starts again from the
curated data, without these graphs: run link and enrich again (the cache makes that free).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef

from . import store
from .namespaces import GLG

META = GLG["meta"]


def publish(location: Path, graph: URIRef, dataset: Dataset, owned: set[URIRef]) -> int:
    """Replace named graph `graph` of the store with `dataset`'s, and the glg:meta statements
    about the nodes in `owned` with `dataset`'s glg:meta; returns the triples in `graph`."""
    database = store.open_read_only(location)
    drop_subjects = {ox.NamedNode(str(node)) for node in owned}
    kept = [q for q in database
            if q.graph_name != ox.NamedNode(str(graph))
            and not (q.graph_name == ox.NamedNode(str(META)) and q.subject in drop_subjects)]
    del database
    added = list(ox.parse(dataset.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS))
    with store.new_database(location) as new:
        new.bulk_extend(kept + added)
        new.optimize()  # one set of index files, as store.load_nquads leaves them
    return len(dataset.graph(graph))

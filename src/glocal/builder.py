"""Build the knowledge graph: ontology and data in, a validated graph in the embedded store out."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from . import ingest, resources, store
from .namespaces import DCTERMS, GLG, GLO, PROV, RDF, RDFS, VOID, XSD
from .quads import Quads

ONTOLOGY_FILES = ("glocal.ttl", "themes.ttl")
ONTOLOGY_GRAPH = GLG["ontology"]
META_GRAPH = GLG["meta"]


@dataclass
class BuildReport:
    """What a build produced: counts and timings, for the summary a user sees."""

    location: Path
    triples: int = 0
    graphs: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    skipped: dict[str, list] = field(default_factory=dict)  # source id → DataErrors of skipped rows
    notes: dict[str, dict[str, int]] = field(default_factory=dict)  # source id → figures (e.g. resolution)


def read_ontology(dataset: Quads | Dataset, ontology_dir: Path) -> None:
    """The ontology and concept schemes, with canonical blank node ids (for a stable export)."""
    files = Graph()
    for name in ONTOLOGY_FILES:
        files.parse(ontology_dir / name, format="turtle")
    for s, p, o in to_canonical_graph(files):
        dataset.add((s, p, o, ONTOLOGY_GRAPH))


def assemble(data_dir: Path | None = None, ontology_dir: Path | None = None,
             progress: Callable[[str], None] = lambda _: None, context: ingest.Context | None = None) -> Quads:
    """The whole graph as quads: ontology, data, and metadata on each named graph."""
    data_dir = data_dir or resources.data_dir()
    ontology_dir = ontology_dir or resources.ontology_dir()
    context = context or ingest.Context()
    context.progress = progress
    progress(f"reading the ontology from {ontology_dir}")
    read_ontology(context.dataset, ontology_dir)
    progress(f"reading the data from {data_dir}")
    ingest.ingest(data_dir, context)
    context.check_references()
    describe_graphs(context.dataset)
    return context.dataset


def describe_graphs(dataset: Quads) -> None:
    """PROV metadata on each source's named graph, written into glg:meta (where sources.csv
    describes the sources)."""
    for graph, size in dataset.sizes().items():
        if not graph.startswith(GLG) or graph == META_GRAPH:
            continue
        key = graph[len(GLG):]
        meta = [(graph, RDF.type, GLO.SourceGraph), (graph, RDFS.label, Literal(f"facts from {key}", lang="en")),
                (graph, VOID.triples, Literal(size, datatype=XSD.integer))]
        source = ingest.source_iri(key)
        if (source, RDF.type, None) in dataset:
            meta.append((graph, PROV.wasDerivedFrom, source))
            meta += [(graph, DCTERMS.license, licence) for licence in dataset.objects(source, DCTERMS.license)]
        for s, p, o in meta:
            dataset.add((s, p, o, META_GRAPH))


def serialise(dataset: Quads) -> bytes:
    """The quads as N-Quads in no particular order, for the store (which orders them itself)."""
    return "".join(dataset.nquads()).encode("utf-8", "replace")


def canonical_nquads(dataset: Quads | Dataset) -> bytes:
    """The dataset as sorted N-Quads: the same input always gives the same bytes."""
    if isinstance(dataset, Quads):
        text = "".join(sorted(set(dataset.nquads())))
        return text.encode("utf-8", "replace")
    lines = dataset.serialize(format="nquads", encoding="utf-8").splitlines()
    return b"\n".join(sorted({line for line in lines if line.strip()})) + b"\n"


def build(location: Path | None = None, data_dir: Path | None = None, ontology_dir: Path | None = None,
          progress: Callable[[str], None] = lambda _: None, validate: bool = True,
          strict: bool = False, worldwide: bool = False) -> BuildReport:
    """Build the graph, validate it and publish it to the store at `location`.

    Nothing is published unless every step succeeds: a failure leaves the previous graph in place.
    `worldwide` adds the worldwide sources (the whole twin-town list, Wikidata P190, ClimActor
    memberships, C40 and CDP emissions and CDP targets) to the curated graph. A bad row of such a big source is skipped and counted in
    `BuildReport.skipped`, unless `strict`.

    >>> import tempfile, pathlib
    >>> report = build(pathlib.Path(tempfile.mkdtemp()) / "store")
    >>> report.entities["City"] > 100
    True
    """
    from .validate import check

    started = time.perf_counter()
    location = Path(location or store.default_location())
    context = ingest.Context(strict=strict, worldwide=worldwide)
    with collector_paused():
        dataset = assemble(data_dir, ontology_dir, progress, context)
        context.release_resolver()  # its memory serves the steps below
        progress("serialising")
        data = serialise(dataset)
    if validate:  # in Oxigraph's memory store, where the shapes' queries run 2-3× faster than on disk
        progress("validating against the SHACL shapes")
        check(store.in_memory(data), ontology_dir)
    progress(f"writing the store at {location}")
    with store.new_database(location) as database:
        store.load_nquads(database, data)
    report = BuildReport(location=location, seconds=time.perf_counter() - started,
                         skipped=context.skipped, notes=context.notes)
    report.graphs = dict(sorted((g[len(GLG):], n) for g, n in dataset.sizes().items() if g.startswith(GLG)))
    report.triples = data.count(b"\n")
    report.entities = count_entities(dataset)
    return report


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: ingestion makes millions of objects (terms, tuples,
    the gazetteer's places) that live until the graph is written, and every collection would walk
    them all again (a third of the ingestion time of the worldwide build). They hold no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def count_entities(dataset: Quads) -> dict[str, int]:
    """Instances per Glocal class, e.g. {'City': 290, 'Twinning': 144, …}."""
    typed = {(s, c) for s, p, c, g in dataset.quads()
             if p == RDF.type and isinstance(c, URIRef) and c.startswith(GLO) and g != ONTOLOGY_GRAPH}
    counts: dict[str, int] = {}
    for _, cls in typed:
        counts[cls[len(GLO):]] = counts.get(cls[len(GLO):], 0) + 1
    return dict(sorted(counts.items()))

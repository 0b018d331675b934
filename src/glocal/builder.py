"""Build the knowledge graph: ontology and data in, a validated graph in the embedded store out."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from . import ingest, resources, store
from .namespaces import DCTERMS, GLG, GLO, PROV, RDF, RDFS, VOID, XSD

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


def read_ontology(dataset: Dataset, ontology_dir: Path) -> None:
    """The ontology and concept schemes, with canonical blank node ids (for a stable export)."""
    files = Graph()
    for name in ONTOLOGY_FILES:
        files.parse(ontology_dir / name, format="turtle")
    graph = dataset.graph(ONTOLOGY_GRAPH)
    for triple in to_canonical_graph(files):
        graph.add(triple)


def assemble(data_dir: Path | None = None, ontology_dir: Path | None = None,
             progress: Callable[[str], None] = lambda _: None, context: ingest.Context | None = None) -> Dataset:
    """The whole graph as an rdflib Dataset: ontology, data, and metadata on each named graph."""
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


def describe_graphs(dataset: Dataset) -> None:
    """PROV metadata on each source's named graph, written into glg:meta."""
    meta = dataset.graph(META_GRAPH)
    for graph in list(dataset.graphs()):
        if not str(graph.identifier).startswith(str(GLG)) or graph.identifier == META_GRAPH:
            continue
        key = str(graph.identifier)[len(GLG):]
        meta.add((graph.identifier, RDF.type, GLO.SourceGraph))
        meta.add((graph.identifier, RDFS.label, Literal(f"facts from {key}", lang="en")))
        meta.add((graph.identifier, VOID.triples, Literal(len(graph), datatype=XSD.integer)))
        source = ingest.source_iri(key)
        if (source, RDF.type, None) in meta:
            meta.add((graph.identifier, PROV.wasDerivedFrom, source))
            for licence in meta.objects(source, DCTERMS.license):
                meta.add((graph.identifier, DCTERMS.license, licence))


def canonical_nquads(dataset: Dataset) -> bytes:
    """The dataset as sorted N-Quads: the same input always gives the same bytes."""
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
    dataset = assemble(data_dir, ontology_dir, progress, context)
    if validate:
        progress("validating against the SHACL shapes")
        check(dataset, ontology_dir)
    progress("serialising")
    data = canonical_nquads(dataset)
    progress(f"writing the store at {location}")
    with store.new_database(location) as database:
        store.load_nquads(database, data)
    report = BuildReport(location=location, seconds=time.perf_counter() - started,
                         skipped=context.skipped, notes=context.notes)
    report.graphs = dict(sorted((str(g.identifier)[len(GLG):], len(g)) for g in dataset.graphs()
                                if str(g.identifier).startswith(str(GLG))))
    report.triples = data.count(b"\n")
    report.entities = count_entities(dataset)
    return report


def count_entities(dataset: Dataset) -> dict[str, int]:
    """Instances per Glocal class, e.g. {'City': 290, 'Twinning': 144, …}."""
    typed = {(s, c) for s, _, c, g in dataset.quads((None, RDF.type, None, None))
             if isinstance(c, URIRef) and c.startswith(str(GLO)) and g != ONTOLOGY_GRAPH}
    counts: dict[str, int] = {}
    for _, cls in typed:
        counts[cls[len(GLO):]] = counts.get(cls[len(GLO):], 0) + 1
    return dict(sorted(counts.items()))

"""sources.csv: the documents, sections and datasets that every fact cites (graph glg:meta)."""

from pathlib import Path

from rdflib import Literal, URIRef

from ..namespaces import DCTERMS, GLG, GLO, RDF, RDFS
from . import SOURCE_ID, Context, read_csv, source_iri

COLUMNS = ["id", "kind", "title", "publisher", "origin", "licence", "citation", "part_of"]
KINDS = {"document": GLO.Document, "section": GLO.DocumentSection, "dataset": GLO.SourceDataset}
META = GLG["meta"]


def ingest(context: Context, data_dir: Path) -> None:
    path = data_dir / "sources.csv"
    if not path.exists():
        return
    rows = list(read_csv(path, COLUMNS))
    for row in rows:  # all ids first, so that part_of may point forward
        source_id = row.text("id")
        if not SOURCE_ID.match(source_id):
            raise row.error("id", f"'{source_id}' is not a source id (expected 'dataset' or 'document#section')")
        if source_id in context.sources:
            raise row.error("id", f"source '{source_id}' is defined twice")
        context.sources[source_id] = source_iri(source_id)
    for row in rows:
        source = context.sources[row.text("id")]
        kind = row.text("kind")
        if kind not in KINDS:
            raise row.error("kind", f"'{kind}' is not one of {', '.join(KINDS)}")
        title = Literal(row.text("title"))
        context.add(META, source, RDF.type, KINDS[kind])
        context.add(META, source, RDFS.label, title)
        context.add(META, source, DCTERMS.title, title)
        for name, predicate in (("publisher", DCTERMS.publisher), ("citation", DCTERMS.bibliographicCitation),
                                ("origin", DCTERMS.source)):
            value = row.text(name, required=False)
            context.add(META, source, predicate, Literal(value) if value else None)
        licence = row.text("licence", required=False)
        if licence:
            context.add(META, source, DCTERMS.license,
                        URIRef(licence) if licence.startswith("http") else Literal(licence))
        part_of = row.text("part_of", required=False)
        if part_of:
            if part_of not in context.sources:
                raise row.error("part_of", f"unknown source '{part_of}'")
            context.add(META, source, DCTERMS.isPartOf, context.sources[part_of])
        elif kind == "section":
            raise row.error("part_of", "a section must name the document it is part of")

"""indicators.csv, datasets.csv, observations.csv: statistics as RDF Data Cube observations."""

from decimal import Decimal
from pathlib import Path

from rdflib import Literal, URIRef

from ..namespaces import DCTERMS, GLO, PROV, QB, RDF, RDFS
from . import Context, decimal_literal, entity, read_csv

AREA_KINDS = ("city", "metro", "region", "country")


def ingest(context: Context, data_dir: Path) -> None:
    units = read_indicators(context, data_dir / "indicators.csv")
    if (data_dir / "datasets.csv").exists():
        for row in read_csv(data_dir / "datasets.csv", ["id", "label", "source"]):
            context.describe("dataset", row, GLO.Dataset, "label")
    if (data_dir / "observations.csv").exists():
        columns = ["dataset", "indicator", "area", "period", "value", "source"]
        for row in read_csv(data_dir / "observations.csv", columns):
            dataset = context.ref(row, "dataset", ("dataset",))
            indicator = context.ref(row, "indicator", ("indicator",))
            area = context.ref(row, "area", AREA_KINDS)
            if indicator not in units:
                raise row.error("indicator", f"'{row.text('indicator')}' is not in indicators.csv")
            iri = observation_iri(dataset, indicator, area, row.text("period"))
            context.define_minted("observation", iri.rsplit("/", 1)[1], row, "area")
            graph, source = context.source(row)
            write_observation(context, graph, source, iri, dataset, indicator, area, row.text("period"),
                              row.decimal("value"), units[indicator])


def read_indicators(context: Context, path: Path) -> dict[URIRef, Literal]:
    """Define the indicators of a file like indicators.csv; → {indicator IRI: unit}."""
    units = {}
    if path.exists():
        for row in read_csv(path, ["id", "label", "description", "unit", "themes", "source"]):
            iri, graph = context.describe("indicator", row, GLO.Indicator, "label")
            units[iri] = Literal(row.text("unit"))
            context.add(graph, iri, DCTERMS.description, Literal(row.text("description"), lang="en"))
            context.add(graph, iri, GLO.unit, units[iri])
            for theme in context.refs(row, "themes", ("theme",)):
                context.add(graph, iri, GLO.theme, theme)
    return units


def observation_iri(dataset: URIRef, indicator: URIRef, area: URIRef, period: str) -> URIRef:
    """`gli:observation/{dataset}--{indicator}--{kind}-{area}--{period}`."""
    parts = [str(iri).rsplit("/", 1)[1] for iri in (dataset, indicator)]
    return entity("observation", "--".join([*parts, "-".join(str(area).rsplit("/", 2)[1:]), period]))


def write_observation(context: Context, graph: URIRef, source: URIRef, iri: URIRef, dataset: URIRef,
                      indicator: URIRef, area: URIRef, period: str, value: Decimal, unit: Literal) -> None:
    """One Data Cube observation in a source's graph."""
    add = context.add
    add(graph, iri, RDF.type, GLO.Observation)
    add(graph, iri, RDFS.label, Literal(f"{context.label(indicator)}, {context.label(area)}, {period}", lang="en"))
    add(graph, iri, PROV.wasDerivedFrom, source)
    add(graph, iri, QB.dataSet, dataset)
    add(graph, iri, GLO.indicator, indicator)
    add(graph, iri, GLO.refArea, area)
    add(graph, iri, GLO.refPeriod, Literal(period))
    add(graph, iri, GLO.value, decimal_literal(value))
    add(graph, iri, GLO.unit, unit)

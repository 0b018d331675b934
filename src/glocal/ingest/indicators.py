"""indicators.csv, datasets.csv, observations.csv: statistics as RDF Data Cube observations."""

from decimal import Decimal
from pathlib import Path

from rdflib import Literal, URIRef

from ..namespaces import DCTERMS, GLO, PROV, QB, RDF, RDFS
from . import Context, decimal_literal, read_csv

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
            period = row.text("period")
            iri = context.define_minted("observation", observation_slug(dataset, indicator, area, period), row, "area")
            if indicator not in units:
                raise row.error("indicator", f"'{row.text('indicator')}' is not in indicators.csv")
            graph, source = context.source(row)
            label = f"{context.label(indicator)}, {context.label(area)}, {period}"
            add_observation(context, graph, source, iri, label, dataset, indicator, area, period,
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


def observation_slug(dataset: URIRef, indicator: URIRef, area: URIRef, period: str) -> str:
    """`{dataset}--{indicator}--{kind}-{area}--{period}`, e.g. `…-2019--growth-rank--metro-cbsa-12420--2007-2017`."""
    kind, slug = str(area).rsplit("/", 2)[1:]
    return "--".join([str(dataset).rsplit("/", 1)[1], str(indicator).rsplit("/", 1)[1], f"{kind}-{slug}", period])


def add_observation(context: Context, graph: URIRef, source: URIRef, iri: URIRef, label: str, dataset: URIRef,
                    indicator: URIRef, area: URIRef, period: str, value: Decimal, unit: Literal) -> None:
    """One Data Cube observation in a source's graph."""
    add = context.dataset.graph(graph).add
    add((iri, PROV.wasDerivedFrom, source))
    add((iri, RDF.type, GLO.Observation))
    add((iri, RDFS.label, Literal(label, lang="en")))
    add((iri, QB.dataSet, dataset))
    add((iri, GLO.indicator, indicator))
    add((iri, GLO.refArea, area))
    add((iri, GLO.refPeriod, Literal(period)))
    add((iri, GLO.value, decimal_literal(value)))
    add((iri, GLO.unit, unit))

"""indicators.csv, datasets.csv, observations.csv: statistics as RDF Data Cube observations."""

from pathlib import Path

from rdflib import Literal

from ..namespaces import DCTERMS, GLO, QB, RDF, RDFS
from . import Context, decimal_literal, read_csv

AREA_KINDS = ("city", "metro", "region", "country")


def ingest(context: Context, data_dir: Path) -> None:
    units = {}
    if (data_dir / "indicators.csv").exists():
        columns = ["id", "label", "description", "unit", "themes", "source"]
        for row in read_csv(data_dir / "indicators.csv", columns):
            iri, graph = context.describe("indicator", row, GLO.Indicator, "label")
            units[iri] = Literal(row.text("unit"))
            context.add(graph, iri, DCTERMS.description, Literal(row.text("description"), lang="en"))
            context.add(graph, iri, GLO.unit, units[iri])
            for theme in context.refs(row, "themes", ("theme",)):
                context.add(graph, iri, GLO.theme, theme)
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
            parts = [row.text(n).split("/", 1)[1] for n in ("dataset", "indicator")]
            slug = "--".join([*parts, row.text("area").replace("/", "-"), period])
            iri = context.define_minted("observation", slug, row, "area")
            if indicator not in units:
                raise row.error("indicator", f"'{row.text('indicator')}' is not in indicators.csv")
            graph = context.cite(row, iri)
            label = f"{context.label(indicator)}, {context.label(area)}, {period}"
            context.add(graph, iri, RDF.type, GLO.Observation)
            context.add(graph, iri, RDFS.label, Literal(label, lang="en"))
            context.add(graph, iri, QB.dataSet, dataset)
            context.add(graph, iri, GLO.indicator, indicator)
            context.add(graph, iri, GLO.refArea, area)
            context.add(graph, iri, GLO.refPeriod, Literal(period))
            context.add(graph, iri, GLO.value, decimal_literal(row.decimal("value")))
            context.add(graph, iri, GLO.unit, units[indicator])

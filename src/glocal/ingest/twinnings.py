"""twinnings.csv: town twinning partnerships between two cities.

A twinning is an n-ary node (two partners, kind, start year, status, source). Unless its status
says it has ended, the build also writes the symmetric shortcut `a glo:twinnedWith b` both ways.
"""

from pathlib import Path

from rdflib import Literal

from ..namespaces import GLO, RDF, RDFS
from . import Context, int_literal, read_csv

COLUMNS = ["city_a", "city_b", "kind", "start_year", "status", "source"]
ENDED = "ended"


def ingest(context: Context, data_dir: Path) -> None:
    path = data_dir / "twinnings.csv"
    if not path.exists():
        return
    for row in read_csv(path, COLUMNS):
        a = context.ref(row, "city_a", ("city",))
        b = context.ref(row, "city_b", ("city",))
        if a == b:
            raise row.error("city_b", "a city cannot be twinned with itself")
        a, b = sorted((a, b))
        slug = f"{a.rsplit('/', 1)[1]}--{b.rsplit('/', 1)[1]}"
        iri = context.define_minted("twinning", slug, row, "city_b")
        graph = context.cite(row, iri)
        context.add(graph, iri, RDF.type, GLO.Twinning)
        context.add(graph, iri, RDFS.label, Literal(f"{context.label(a)} – {context.label(b)}", lang="en"))
        context.add(graph, iri, GLO.partner, a)
        context.add(graph, iri, GLO.partner, b)
        context.add(graph, iri, GLO.twinningKind, context.ref(row, "kind", ("twinning-kind",), required=False))
        context.add(graph, iri, GLO.startYear, int_literal(row.integer("start_year", required=False)))
        status = row.text("status", required=False)
        context.add(graph, iri, GLO.status, Literal(status) if status else None)
        if status != ENDED:
            context.add(graph, a, GLO.twinnedWith, b)
            context.add(graph, b, GLO.twinnedWith, a)

"""groups.yaml: groups of metros that the working paper names as a claim (skos:Collection)."""

from pathlib import Path

from rdflib import Literal

from ..namespaces import GLO, SKOS
from . import Context, int_literal, read_yaml_list


def ingest(context: Context, data_dir: Path) -> None:
    path = data_dir / "groups.yaml"
    if not path.exists():
        return
    for row in read_yaml_list(path):
        iri, graph = context.describe("group", row, GLO.MetroGroup, "label")
        context.add(graph, iri, SKOS.definition, Literal(row.text("definition"), lang="en"))
        context.add(graph, iri, GLO.statedSize, int_literal(row.integer("stated_size", required=False)))
        out_of = row.text("out_of", required=False)
        context.add(graph, iri, GLO.outOf, Literal(out_of) if out_of else None)
        context.add(graph, iri, GLO.quote, Literal(row.text("quote")))
        for member in context.refs(row, "members", ("metro",)):
            context.add(graph, iri, SKOS.member, member)

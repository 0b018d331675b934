"""practices.yaml: policies and practices, what they address, who implements them, outcomes."""

from pathlib import Path

from rdflib import Literal

from ..namespaces import DCTERMS, GLO, RDF, RDFS
from . import Context, Row, read_yaml_list

TYPES = {"Practice": GLO.Practice, "Policy": GLO.Policy, "BestPractice": GLO.BestPractice}
IMPLEMENTERS = ("city", "region", "metro", "country", "actor")


def ingest(context: Context, data_dir: Path) -> None:
    path = data_dir / "practices.yaml"
    if path.exists():
        for row in read_yaml_list(path):
            _practice(context, row)


def _practice(context: Context, row: Row) -> None:
    row.slug("id")  # a malformed id is reported before anything else
    kind = row.text("type")
    if kind not in TYPES:
        raise row.error("type", f"'{kind}' is not one of {', '.join(TYPES)}")
    iri, graph = context.describe("practice", row, TYPES[kind], "label")
    context.add(graph, iri, DCTERMS.description, Literal(row.text("description"), lang="en"))
    for name, predicate, kinds in (("implemented_by", GLO.implementedBy, IMPLEMENTERS),
                                   ("addresses", GLO.addresses, ("challenge",)),
                                   ("themes", GLO.theme, ("theme",)),
                                   ("actor_types", GLO.involvesActorType, ("actor-type",))):
        for value in context.refs(row, name, kinds):
            context.add(graph, iri, predicate, value)
    context.add(graph, iri, DCTERMS.isPartOf, context.ref(row, "part_of", ("practice",), required=False))
    for other in context.refs(row, "contrasts_with", ("practice",)):
        context.add(graph, iri, GLO.contrastsWith, other)
        context.add(graph, other, GLO.contrastsWith, iri)
    context.add(graph, iri, GLO.quote, Literal(row.text("quote")))
    outcomes = row.values.get("outcomes") or []
    if not isinstance(outcomes, list):
        raise row.error("outcomes", "expected a list of {id, label, description}")
    for values in outcomes:
        if not isinstance(values, dict):
            raise row.error("outcomes", "expected a list of {id, label, description}")
        outcome = Row(row.path, row.line, dict(values, source=row.values.get("source")))
        outcome_iri = context.define("outcome", outcome)
        context.cite(outcome, outcome_iri)
        context.add(graph, outcome_iri, RDF.type, GLO.Outcome)
        context.add(graph, outcome_iri, RDFS.label, Literal(outcome.text("label"), lang="en"))
        context.add(graph, outcome_iri, DCTERMS.description, Literal(outcome.text("description"), lang="en"))
        context.add(graph, iri, GLO.hasOutcome, outcome_iri)

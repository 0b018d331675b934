"""SHACL validation of the graph against ontology/shapes.ttl.

The core constraints run in pyshacl. The SPARQL-based constraints (sh:sparql) run in Oxigraph,
each once over the whole graph instead of once per focus node as pyshacl does: the constraint's
SELECT becomes a subquery joined with the shape's targets. Same shapes, same results, and a
build that stays fast as the graph grows (on the curated graph: 0.6 s instead of 5.3 s).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import Dataset, Graph
from rdflib.namespace import SH

from . import resources
from .errors import ValidationError

SHOWN = 40  # violations listed in a report; the rest are counted
TARGETS = {
    SH.targetClass: "?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
                    "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{}> .",
    SH.targetSubjectsOf: "{{ SELECT DISTINCT ?this WHERE {{ ?this <{}> ?target }} }}",
    SH.targetObjectsOf: "{{ SELECT DISTINCT ?this WHERE {{ ?target <{}> ?this }} }}",
    SH.targetNode: "VALUES ?this {{ <{}> }}",
}


def shapes(ontology_dir: Path | None = None) -> Graph:
    return Graph().parse((ontology_dir or resources.ontology_dir()) / "shapes.ttl", format="turtle")


def check(dataset: Dataset | Graph, ontology_dir: Path | None = None) -> None:
    """Raise `ValidationError` with a readable report unless the graph conforms.

    The graph is validated as one union graph, ontology included, so that the shapes see
    rdfs:subClassOf and the SKOS concepts.
    """
    union = Graph()
    for triple in dataset.triples((None, None, None)):
        union.add(triple)
    core, constraints = split_sparql_constraints(shapes(ontology_dir))
    conforms, results, _ = pyshacl.validate(union, shacl_graph=core, inference="none", allow_warnings=True)
    lines = [] if conforms else violations(results)
    lines += sparql_violations(union, constraints)
    if lines:
        lines.sort()
        shown = lines[:SHOWN] + ([f"… and {len(lines) - SHOWN} more"] if len(lines) > SHOWN else [])
        raise ValidationError("\n".join(shown), len(lines))


def violations(results: Graph) -> list[str]:
    """One line per violation: the focus node, the property path and the shape's message."""
    lines = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        lines.append(f"- {focus}" + (f" {path.n3(results.namespace_manager)}" if path else "")
                     + f": {message}")
    return lines


def split_sparql_constraints(shapes_graph: Graph) -> tuple[Graph, list[tuple[str, str]]]:
    """The shapes without their sh:sparql constraints, and each constraint as a whole-graph query.

    A query is (SPARQL text selecting ?this and ?value for every violation, message).
    """
    core = Graph()
    for triple in shapes_graph:
        core.add(triple)
    queries = []
    for shape, constraint in shapes_graph.subject_objects(SH.sparql):
        core.remove((shape, SH.sparql, constraint))
        if (constraint, SH.deactivated, None) in shapes_graph:
            continue
        select = str(shapes_graph.value(constraint, SH.select)).replace("$this", "?this")
        prefixes = "".join(
            f"PREFIX {shapes_graph.value(d, SH.prefix)}: <{shapes_graph.value(d, SH.namespace)}>\n"
            for p in shapes_graph.objects(constraint, SH.prefixes) for d in shapes_graph.objects(p, SH.declare))
        message = str(shapes_graph.value(constraint, SH.message) or f"violates {shape}")
        for predicate, pattern in TARGETS.items():
            for target in shapes_graph.objects(shape, predicate):
                body = pattern.format(target)
                queries.append((f"{prefixes}SELECT DISTINCT ?this ?value WHERE {{ {body} {{ {select} }} }}",
                                message))
    return core, queries


def sparql_violations(union: Graph, queries: list[tuple[str, str]]) -> list[str]:
    if not queries:
        return []
    store = ox.Store()
    store.bulk_load(union.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    lines = []
    for query, message in queries:
        for solution in store.query(query):
            value = solution["value"]
            text = message.replace("{?value}", str(value.value if value is not None else ""))
            lines.append(f"- {solution['this'].value}: {text}")
    return lines


def validate_files(paths: list[Path], ontology_dir: Path | None = None) -> None:
    """Validate RDF files (with the ontology and themes beside them) against the shapes."""
    from .builder import read_ontology

    dataset = Dataset(default_union=True)
    read_ontology(dataset, ontology_dir or resources.ontology_dir())
    for path in paths:
        dataset.parse(path)
    check(dataset, ontology_dir)


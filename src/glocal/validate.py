"""SHACL validation of the graph against ontology/shapes.ttl (pyshacl)."""

from __future__ import annotations

from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph
from rdflib.namespace import SH

from . import resources
from .errors import ValidationError

SHOWN = 40  # violations listed in a report; the rest are counted


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
    conforms, results, _ = pyshacl.validate(union, shacl_graph=shapes(ontology_dir), inference="none",
                                            allow_warnings=True)
    if not conforms:
        raise ValidationError(*summarise(results))


def summarise(results: Graph) -> tuple[str, int]:
    """One line per violation: the focus node, the property path and the shape's message."""
    lines = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        lines.append(f"- {focus}" + (f" {path.n3(results.namespace_manager)}" if path else "")
                     + f": {message}")
    lines.sort()
    shown = lines[:SHOWN] + ([f"… and {len(lines) - SHOWN} more"] if len(lines) > SHOWN else [])
    return "\n".join(shown), len(lines)


def validate_files(paths: list[Path], ontology_dir: Path | None = None) -> None:
    """Validate RDF files (with the ontology and themes beside them) against the shapes."""
    from .builder import read_ontology

    dataset = Dataset(default_union=True)
    read_ontology(dataset, ontology_dir or resources.ontology_dir())
    for path in paths:
        dataset.parse(path)
    check(dataset, ontology_dir)

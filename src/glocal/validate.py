"""SHACL validation of the graph against ontology/shapes.ttl.

Two engines, the same shapes, the same results:

- ``oxigraph`` (the default): the constraints of the shapes become SPARQL queries that find their
  violations over the whole graph at once, run in parallel in Oxigraph (the build validates an
  in-memory copy of the graph before it writes the store). The SHACL core constraints are
  translated here (`Compiler`); a shape that uses one the translation lacks is refused by name,
  not skipped. On the 474k-triple worldwide graph this takes 5 CPU-seconds, pyshacl 84.
- ``pyshacl``: the reference implementation, focus node by focus node in rdflib. tests/
  test_validate.py checks that both engines report the same violations.

The SPARQL-based constraints (sh:sparql) run in Oxigraph with both engines, each once over the
whole graph instead of once per focus node as pyshacl does: the constraint's SELECT becomes a
subquery joined with the shape's targets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

from . import resources
from .errors import ValidationError

ENGINES = ("oxigraph", "pyshacl")
SHOWN = 40  # violations listed in a report; the rest are counted
TARGETS = {
    SH.targetClass: "?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
                    "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{}> .",
    SH.targetSubjectsOf: "{{ SELECT DISTINCT ?this WHERE {{ ?this <{}> ?target }} }}",
    SH.targetObjectsOf: "{{ SELECT DISTINCT ?this WHERE {{ ?target <{}> ?this }} }}",
    SH.targetNode: "VALUES ?this {{ <{}> }}",
}


@dataclass(frozen=True)
class Violation:
    """One validation result, as SHACL reports it (value and path only where SHACL gives them)."""

    focus: Node
    path: URIRef | None
    value: Node | None
    shape: Node            # the shape in the shapes graph (a blank node for an inline shape)
    component: URIRef      # e.g. sh:MinCountConstraintComponent
    message: str

    def line(self, shapes_graph: Graph) -> str:
        path = f" {self.path.n3(shapes_graph.namespace_manager)}" if self.path else ""
        return f"- {self.focus}{path}: {self.message}"


def shapes(ontology_dir: Path | None = None) -> Graph:
    return Graph().parse((ontology_dir or resources.ontology_dir()) / "shapes.ttl", format="turtle")


def check(graph, ontology_dir: Path | None = None, engine: str = "oxigraph") -> None:
    """Raise `ValidationError` with a readable report unless the graph conforms.

    `graph` is an Oxigraph store (validated as the union of its graphs), the quads of a build
    (`glocal.quads.Quads`) or an rdflib graph or dataset. The union includes the ontology, so
    that the shapes see rdfs:subClassOf and the SKOS concepts.
    """
    shapes_graph = shapes(ontology_dir)
    found = violations(graph, shapes_graph, engine)
    if found:
        lines = sorted(v.line(shapes_graph) for v in found)
        shown = lines[:SHOWN] + ([f"… and {len(lines) - SHOWN} more"] if len(lines) > SHOWN else [])
        raise ValidationError("\n".join(shown), len(lines))


def violations(graph, shapes_graph: Graph, engine: str = "oxigraph") -> list[Violation]:
    """Every violation of the shapes in the graph (see `check`)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine '{engine}' (expected {' or '.join(ENGINES)})")
    store = graph if isinstance(graph, ox.Store) else oxigraph_store(graph)
    core, constraints = split_sparql_constraints(shapes_graph)
    tasks = [partial(sparql_violations, store, [constraint]) for constraint in constraints]
    if engine == "pyshacl":
        tasks.append(partial(pyshacl_violations, rdflib_graph(graph), core))
    else:
        tasks += [partial(check.violations, store) for check in Compiler(core, subclasses(store)).checks()]
    with ThreadPoolExecutor() as pool:  # Oxigraph answers queries in parallel, without the GIL
        return [v for found in pool.map(lambda task: task(), tasks) for v in found]


def subclasses(store: ox.Store) -> Callable[[URIRef], list[URIRef]]:
    """The classes of the store that are a class or its subclasses (rdfs:subClassOf*), per class."""
    @cache
    def of(cls: URIRef) -> list[URIRef]:
        query = f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> }}"
        return sorted({str(cls)} | {r["c"].value for r in store.query(query, use_default_graph_as_union=True)
                                     if isinstance(r["c"], ox.NamedNode)})
    return of


def oxigraph_store(graph) -> ox.Store:
    """An in-memory Oxigraph store holding the triples of a `Quads` or an rdflib graph."""
    store = ox.Store()
    data = "".join(_nt_row(t) for t in graph.triples((None, None, None))).encode("utf-8", "replace")
    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    return store


def rdflib_graph(graph) -> Graph:
    """The union of the graph's triples as one rdflib graph (the input pyshacl takes)."""
    union = Graph()
    if isinstance(graph, ox.Store):
        data = graph.dump(format=ox.RdfFormat.N_QUADS)
        triples = ((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
                   for q in ox.parse(data, format=ox.RdfFormat.N_QUADS))
    else:
        triples = graph.triples((None, None, None))
    for triple in triples:
        union.add(triple)
    return union


def to_rdflib(term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=None if term.datatype.value == str(XSD.string) else term.datatype.value)


def pyshacl_violations(union: Graph, core: Graph) -> list[Violation]:
    import pyshacl

    _, results, _ = pyshacl.validate(union, shacl_graph=core, inference="none", allow_warnings=True)
    return [Violation(results.value(r, SH.focusNode), results.value(r, SH.resultPath),
                      results.value(r, SH.value), results.value(r, SH.sourceShape),
                      results.value(r, SH.sourceConstraintComponent), str(results.value(r, SH.resultMessage)))
            for r in results.objects(None, SH.result)  # not the nested sh:detail results
            if (r, SH.resultSeverity, SH.Violation) in results]


def split_sparql_constraints(shapes_graph: Graph) -> tuple[Graph, list[tuple[str, Node, str]]]:
    """The shapes without their sh:sparql constraints, and each constraint as a whole-graph query.

    A query is (SPARQL text selecting ?this and ?value for every violation, shape, message).
    """
    core = Graph(namespace_manager=shapes_graph.namespace_manager)
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
                                shape, message))
    return core, queries


def sparql_violations(store: ox.Store, queries: list[tuple[str, Node, str]]) -> list[Violation]:
    """The violations of sh:sparql constraints, each query as made by `split_sparql_constraints`."""
    found = []
    for query, shape, message in queries:
        for solution in store.query(query, use_default_graph_as_union=True):
            value = solution["value"]
            text = message.replace("{?value}", str(value.value if value is not None else ""))
            found.append(Violation(to_rdflib(solution["this"]), None, None if value is None else to_rdflib(value),
                                   shape, SH.SPARQLConstraintComponent, text))
    return found


# SHACL core → SPARQL -------------------------------------------------------------------------

# Parameters that are not constraints: read by the compiler, or documentation only.
NOT_CONSTRAINTS = {SH.path, SH.property, SH.message, SH.name, SH.description, SH.targetClass,
                   SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.deactivated, SH.severity,
                   SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.flags,
                   SH.order, SH.group, SH.declare, SH.prefixes}
NODE_KINDS = {SH.IRI: "isIRI({v})", SH.Literal: "isLiteral({v})", SH.BlankNode: "isBlank({v})",
              SH.BlankNodeOrIRI: "!isLiteral({v})", SH.BlankNodeOrLiteral: "!isIRI({v})",
              SH.IRIOrLiteral: "!isBlank({v})"}
NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger,
           XSD.positiveInteger}
COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}


def name(parameter: URIRef) -> str:
    """sh:minCount → 'minCount'."""
    return str(parameter).removeprefix(str(SH))


def component(parameter: URIRef) -> URIRef:
    """sh:minCount → sh:MinCountConstraintComponent."""
    return URIRef(f"{SH}{name(parameter)[0].upper()}{name(parameter)[1:]}ConstraintComponent")


@dataclass(frozen=True)
class Check:
    """One query of the translated shapes: the SPARQL text selects ?this (and ?value when
    `has_value`) and one boolean per constraint (?f0, ?f1, …), false where the row violates it.
    Only rows with a violation are selected."""

    query: str
    constraints: tuple[tuple[Node, URIRef, URIRef | None, str], ...]  # (shape, component, path, message)
    has_value: bool

    def violations(self, store: ox.Store) -> list[Violation]:
        found = []
        for row in store.query(self.query, use_default_graph_as_union=True):
            focus = to_rdflib(row["this"])
            value = to_rdflib(row["value"]) if self.has_value else None
            for i, (shape, component, path, message) in enumerate(self.constraints):
                if row[f"f{i}"].value == "false":
                    found.append(Violation(focus, path, value, shape, component, message))
        return found


class Compiler:
    """Turns the SHACL core constraints of a shapes graph into SPARQL queries over the whole graph.

    For each property shape of a targeted node shape, one query tests every constraint on single
    values (sh:class, sh:datatype, sh:pattern, …) and one query every count (sh:minCount,
    sh:maxCount, sh:qualifiedMinCount, …), so that each value is visited twice at most. Nested
    shapes (sh:node, sh:or, sh:qualifiedValueShape) become boolean expressions of the value
    (`conforms`). The classes that sh:targetClass and sh:class name are expanded to their
    subclasses in the validated graph (`subclasses`) instead of a path in every query.
    """

    def __init__(self, shapes_graph: Graph, subclasses: Callable[[URIRef], list[URIRef]]):
        self.g = shapes_graph
        self.subclasses = subclasses
        self.count = 0

    def checks(self) -> Iterator[Check]:
        for node_shape in sorted(set(self.g.subjects(RDF.type, SH.NodeShape)) | self._targeted(), key=str):
            targets = self._targets(node_shape)
            if not targets or self._inactive(node_shape):
                continue
            for shape in (node_shape, *self.g.objects(node_shape, SH.property)):
                if not self._inactive(shape):
                    yield from self._shape_checks(shape, targets)

    def _targeted(self) -> set[Node]:
        return {s for p in TARGETS for s in self.g.subjects(p, None)}

    def _inactive(self, shape: Node) -> bool:
        severity = self.g.value(shape, SH.severity)
        return (shape, SH.deactivated, Literal(True)) in self.g or severity not in (None, SH.Violation)

    def _targets(self, shape: Node) -> str:
        """The focus nodes of a shape, as a pattern binding ?this (a node may come more than once:
        the queries count and select DISTINCT)."""
        patterns = []
        for predicate, target in self.g.predicate_objects(shape):
            if predicate == SH.targetClass:
                classes = self.subclasses(target)
                patterns.append(f"?this a <{classes[0]}> ." if len(classes) == 1 else
                                f"VALUES ?class {{ {' '.join(f'<{c}>' for c in classes)} }} ?this a ?class .")
            elif predicate == SH.targetSubjectsOf:
                patterns.append(f"?this <{target}> ?target .")
            elif predicate == SH.targetObjectsOf:
                patterns.append(f"?target <{target}> ?this .")
            elif predicate == SH.targetNode:
                patterns.append(f"VALUES ?this {{ {target.n3()} }}")
        return patterns[0] if len(patterns) == 1 else " UNION ".join(f"{{ {p} }}" for p in patterns)

    def _constraints(self, shape: Node) -> Iterator[tuple[URIRef, Node]]:
        for parameter, argument in self.g.predicate_objects(shape):
            if parameter not in NOT_CONSTRAINTS and str(parameter).startswith(str(SH)):
                yield parameter, argument

    def _shape_checks(self, shape: Node, targets: str) -> Iterator[Check]:
        path = self.g.value(shape, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise self._unsupported(shape, "a property path that is not a single IRI")
        message = self.g.value(shape, SH.message)

        def constraint(parameter: URIRef, argument: Node) -> tuple[Node, URIRef, URIRef | None, str]:
            text = str(message) if message is not None else f"violates sh:{name(parameter)} {self._show(argument)}"
            return shape, component(parameter), path, text

        values = f"?this <{path}> ?value ." if path is not None else "BIND(?this AS ?value)"
        on_values, counts = [], []
        for parameter, argument in self._constraints(shape):
            if parameter in (SH.minCount, SH.maxCount):
                if path is None:
                    raise self._unsupported(shape, f"sh:{name(parameter)} on a node shape")
                test = ">=" if parameter == SH.minCount else "<="
                counts.append((f"COUNT(DISTINCT ?value) {test} {int(argument)}", constraint(parameter, argument)))
            elif parameter == SH.hasValue and path is not None:
                counts.append((f"MAX(sameTerm(?value, {argument.n3()}))", constraint(parameter, argument)))
            elif parameter == SH.uniqueLang:
                if argument.toPython():
                    yield Check(f"SELECT DISTINCT ?this (false AS ?f0) WHERE {{ {targets} ?this <{path}> ?a, ?b . "
                                "FILTER(!sameTerm(?a, ?b) && LANG(?a) != \"\" && LCASE(LANG(?a)) = LCASE(LANG(?b))) "
                                "BIND(LCASE(LANG(?a)) AS ?lang) }", (constraint(parameter, argument),), False)
            elif parameter == SH.lessThanOrEquals:
                yield Check(f"SELECT DISTINCT ?this ?value ?other (false AS ?f0) WHERE {{ {targets} {values} "
                            f"?this <{argument}> ?other . FILTER(!COALESCE(?value <= ?other, false)) }}",
                            (constraint(parameter, argument),), True)
            else:
                on_values.append((self.value_test(shape, parameter, argument, "?value"),
                                  constraint(parameter, argument)))
        counted = values
        qualified = self.g.value(shape, SH.qualifiedValueShape)
        if qualified is not None:  # ?qualified: the value if it conforms to the shape, else unbound
            counted += f" BIND(IF({self.conforms(qualified, '?value')}, ?value, ?unbound) AS ?qualified)"
            for parameter, op in ((SH.qualifiedMinCount, ">="), (SH.qualifiedMaxCount, "<=")):
                bound = self.g.value(shape, parameter)
                if bound is not None:
                    counts.append((f"COUNT(DISTINCT ?qualified) {op} {int(bound)}", constraint(parameter, bound)))
        if on_values:
            flags = " ".join(f"BIND({test} AS ?f{i})" for i, (test, _) in enumerate(on_values))
            violated = " || ".join(f"!?f{i}" for i in range(len(on_values)))
            yield Check(f"SELECT DISTINCT ?this ?value {' '.join(f'?f{i}' for i in range(len(on_values)))} "
                        f"WHERE {{ {targets} {values} {flags} FILTER({violated}) }}",
                        tuple(c for _, c in on_values), True)
        if counts:
            # an aggregate over no value (the OPTIONAL unmatched) gives 0 for COUNT and SUM, error otherwise
            selected = " ".join(f"(COALESCE({test}, false) AS ?f{i})" for i, (test, _) in enumerate(counts))
            violated = " || ".join(f"!COALESCE({test}, false)" for test, _ in counts)
            yield Check(f"SELECT ?this {selected} WHERE {{ {targets} OPTIONAL {{ {counted} }} }} "
                        f"GROUP BY ?this HAVING ({violated})", tuple(c for _, c in counts), False)

    def value_test(self, shape: Node, parameter: URIRef, argument: Node, v: str) -> str:
        """A SPARQL expression true when value `v` satisfies a constraint on single values."""
        if parameter == SH["class"]:
            return self._instance(v, argument)
        if parameter == SH.datatype:
            test = f"isLiteral({v}) && DATATYPE({v}) = <{argument}>"
            return f"COALESCE({test}" + (f" && isNumeric({v})" if argument in NUMERIC else "") + ", false)"
        if parameter == SH.nodeKind:
            return NODE_KINDS[argument].format(v=v)
        if parameter == SH.pattern:
            flags = self.g.value(shape, SH.flags)
            pattern = Literal(str(argument)).n3() + (f", {Literal(str(flags)).n3()}" if flags else "")
            return f"COALESCE(!isBlank({v}) && REGEX(STR({v}), {pattern}), false)"
        if parameter in (SH.minLength, SH.maxLength):
            test = ">=" if parameter == SH.minLength else "<="
            return f"COALESCE(!isBlank({v}) && STRLEN(STR({v})) {test} {int(argument)}, false)"
        if parameter == SH.languageIn:
            tags = " || ".join(f"LANGMATCHES(LANG({v}), {Literal(str(t)).n3()})" for t in Collection(self.g, argument))
            return f"COALESCE(isLiteral({v}) && ({tags or 'false'}), false)"
        if parameter in COMPARISONS:
            return f"COALESCE({v} {COMPARISONS[parameter]} {argument.n3()}, false)"
        if parameter == SH.hasValue:
            return f"sameTerm({v}, {argument.n3()})"
        if parameter == SH["in"]:
            return " || ".join(f"sameTerm({v}, {m.n3()})" for m in Collection(self.g, argument)) or "false"
        if parameter == SH.node:
            return self.conforms(argument, v)
        if parameter == SH["or"]:
            return " || ".join(f"({self.conforms(s, v)})" for s in Collection(self.g, argument)) or "false"
        if parameter == SH["and"]:
            return " && ".join(f"({self.conforms(s, v)})" for s in Collection(self.g, argument)) or "true"
        if parameter == SH["not"]:
            return f"!({self.conforms(argument, v)})"
        raise self._unsupported(shape, f"sh:{name(parameter)}")

    def _instance(self, v: str, cls: URIRef) -> str:
        classes = self.subclasses(cls)
        if len(classes) == 1:
            return f"EXISTS {{ {v} a <{classes[0]}> }}"
        k = self.var()
        return f"EXISTS {{ {v} a {k} . FILTER({k} IN ({', '.join(f'<{c}>' for c in classes)})) }}"

    def conforms(self, shape: Node, v: str) -> str:
        """A SPARQL expression true when node `v` conforms to `shape` (a nested shape)."""
        tests = [self.value_test(shape, parameter, argument, v) for parameter, argument in self._constraints(shape)]
        for property_shape in self.g.objects(shape, SH.property):
            path = self.g.value(property_shape, SH.path)
            if not isinstance(path, URIRef):
                raise self._unsupported(property_shape, "a property path that is not a single IRI")
            if (property_shape, SH.qualifiedValueShape, None) in self.g:
                raise self._unsupported(property_shape, "sh:qualifiedValueShape in a nested shape")
            tests += [self._property_test(property_shape, path, parameter, argument, v)
                      for parameter, argument in self._constraints(property_shape)]
        return " && ".join(f"({t})" for t in tests) or "true"

    def _property_test(self, shape: Node, path: URIRef, parameter: URIRef, argument: Node, v: str) -> str:
        """A SPARQL expression true when node `v` satisfies one constraint of a property shape."""
        if parameter in (SH.minCount, SH.maxCount):
            n = int(argument) + (parameter == SH.maxCount)
            names = [self.var() for _ in range(n)]
            distinct = " && ".join(f"!sameTerm({a}, {b})" for i, a in enumerate(names) for b in names[i + 1:])
            found = f"EXISTS {{ {' '.join(f'{v} <{path}> {x} .' for x in names)} FILTER({distinct or 'true'}) }}"
            return ("true" if n == 0 else found) if parameter == SH.minCount else f"!{found}"
        if parameter == SH.hasValue:
            return f"EXISTS {{ {v} <{path}> {argument.n3()} }}"
        value = self.var()
        test = self.value_test(shape, parameter, argument, value)
        return f"NOT EXISTS {{ {v} <{path}> {value} . FILTER(!({test})) }}"

    def var(self) -> str:
        self.count += 1
        return f"?v{self.count}"

    def _show(self, node: Node) -> str:
        return "(…)" if isinstance(node, BNode) else node.n3(self.g.namespace_manager)

    def _unsupported(self, shape: Node, feature: str) -> ValueError:
        return ValueError(f"shape {self._show(shape)} uses {feature}, which the oxigraph SHACL engine does "
                          "not translate: validate with the pyshacl engine")


def validate_files(paths: list[Path], ontology_dir: Path | None = None, engine: str = "oxigraph") -> None:
    """Validate RDF files (with the ontology and themes beside them) against the shapes."""
    from rdflib import Dataset

    from .builder import read_ontology

    dataset = Dataset(default_union=True)
    read_ontology(dataset, ontology_dir or resources.ontology_dir())
    for path in paths:
        dataset.parse(path)
    check(dataset, ontology_dir, engine)

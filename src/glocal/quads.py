"""The quads of a build, held in plain Python dictionaries.

An rdflib `Dataset` keeps three indexes of every triple in nested dictionaries and resolves the
named graph on every add; for the half-million quads of the worldwide build that costs seconds
and gigabytes. `Quads` keeps one index (graph → subject → predicate → objects), drops
duplicates as they arrive and offers the few lookups that ingestion needs, with rdflib's names
(`objects`, `subjects`, `subject_objects`, `value`, `triples`). It writes N-Quads exactly as
rdflib's serializer does, so exports stay byte-identical.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Dataset, Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


class Quads:
    """A set of quads: named graph → subject → predicate → one object or a set of objects."""

    def __init__(self) -> None:
        self._graphs: dict[URIRef, dict[Node, dict[Node, Node | set[Node]]]] = {}
        self._sizes: dict[URIRef, int] = {}

    def add(self, quad: tuple[Node, Node, Node, URIRef]) -> None:
        """Add a quad (subject, predicate, object, graph), as rdflib's `Dataset.add`; once only."""
        subject, predicate, obj, graph = quad
        subjects = self._graphs.get(graph)
        if subjects is None:
            subjects = self._graphs[graph] = {}
            self._sizes[graph] = 0
        predicates = subjects.get(subject)
        if predicates is None:
            predicates = subjects[subject] = {}
        objects = predicates.get(predicate)
        if objects is None:
            predicates[predicate] = obj  # most (subject, predicate) pairs have a single object
        elif isinstance(objects, set):
            if obj in objects:
                return
            objects.add(obj)
        elif objects == obj:
            return
        else:
            predicates[predicate] = {objects, obj}
        self._sizes[graph] += 1

    def sizes(self) -> dict[URIRef, int]:
        """Each named graph with its number of triples."""
        return dict(self._sizes)

    def __len__(self) -> int:
        return sum(self._sizes.values())

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        for graph, subjects in self._graphs.items():
            for subject, predicates in subjects.items():
                for predicate, objects in predicates.items():
                    if isinstance(objects, set):
                        for obj in objects:
                            yield subject, predicate, obj, graph
                    else:
                        yield subject, predicate, objects, graph

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        """The objects of (subject, predicate) in any graph.

        Unlike rdflib's union graph, a triple that several graphs hold comes once per graph."""
        if subject is None or predicate is None:
            return (o for _, _, o in self.triples((subject, predicate, None)))
        return self._objects(subject, predicate)

    def _objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        for subjects in self._graphs.values():
            predicates = subjects.get(subject)
            objects = predicates.get(predicate) if predicates else None
            if isinstance(objects, set):
                yield from objects
            elif objects is not None:
                yield objects

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next(self.objects(subject, predicate), None)

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        """The triples of all graphs matching a pattern (None matches anything), as rdflib's `triples`."""
        s, p, o = pattern
        for subjects in self._graphs.values():
            for subject, predicates in ((s, subjects.get(s, {})),) if s is not None else subjects.items():
                for predicate, objects in ((p, predicates.get(p)),) if p is not None else predicates.items():
                    if objects is None:
                        continue
                    for obj in objects if isinstance(objects, set) else (objects,):
                        if o is None or obj == o:
                            yield subject, predicate, obj

    def subjects(self, predicate: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        return (s for s, _, _ in self.triples((None, predicate, obj)))

    def subject_objects(self, predicate: Node | None = None) -> Iterator[tuple[Node, Node]]:
        return ((s, o) for s, _, o in self.triples((None, predicate, None)))

    def __contains__(self, triple: Triple) -> bool:
        return next(self.triples(triple), None) is not None

    def nquads(self) -> Iterator[str]:
        """One N-Quads line per quad, written as rdflib's N-Quads serializer writes it."""
        n3: dict[Node, str] = {}
        for subject, predicate, obj, graph in self.quads():
            if isinstance(obj, Literal):
                text = _quoteLiteral(obj)
            else:
                text = n3.get(obj) or n3.setdefault(obj, obj.n3())
            yield (f"{n3.get(subject) or n3.setdefault(subject, subject.n3())} "
                   f"{n3.get(predicate) or n3.setdefault(predicate, predicate.n3())} "
                   f"{text} {n3.get(graph) or n3.setdefault(graph, graph.n3())} .\n")

    def to_dataset(self) -> Dataset:
        """An rdflib Dataset of the same quads (for tests and small graphs)."""
        dataset = Dataset()
        for subject, predicate, obj, graph in self.quads():
            dataset.add((subject, predicate, obj, graph))
        return dataset

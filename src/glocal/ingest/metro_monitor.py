"""raw/brookings-metro-monitor/: every edition of the Brookings Metro Monitor (worldwide build).

Four files, one qb:DataSet each (`dataset/brookings-metro-monitor-{edition}`, with the years it
covers as schema:temporalCoverage): the 2018 edition (`metro_monitor.csv`, ranks 2006-2016 and 2016
values), 2019 (`cbsa_metromonitor.csv`, ranks for 2007-2017, 2012-2017 and 2016-2017, 2017 values),
2020 and 2021 (yearly values 2008-2018 and 2009-2019, no ranks). Each rank and value becomes an
observation in the graph of brookings-metro-monitor, keyed like observations.csv, so an
observation the curated table holds is not written twice. Areas are metros by CBSA code (the
metro of metros.csv with that code, else a new `metro/cbsa-{code}` named after the 2021 or 2020
edition); `99999` is the United States; other codes from 99990 up are aggregates (e.g. the 100
largest metros) and are left out. The same fact in two rows (the 2019 values repeat on the rows of
each rank period; two 2020/2021 rows split one metro's values) is written once; a contradicting
repeat, a bad number or code is skipped and reported with file, line and field.

A metro's CBSA name lists its principal cities ("Austin-Round Rock-Georgetown, TX"): each goes through
the resolver (name, US, the listed states) and, when linked, becomes a glo:principalCity.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Literal, URIRef

from ..errors import DataError
from ..namespaces import GLO, PROV, QB, RDF, RDFS, SCHEMA
from ..resolve import Resolution, Resolver
from . import Context, Row, entity, read_csv, source_graph, source_iri
from .indicators import observation_iri, read_indicators, write_observation

SOURCE = "brookings-metro-monitor"
FOLDER = Path("raw") / SOURCE
INDICATORS = "metro-monitor-indicators.csv"
UNITED_STATES = "99999"
AGGREGATES = 99990  # codes from here up are not metros
CBSA_NAME = re.compile(r"^(?P<cities>.+), (?P<states>[A-Z]{2}(?:-[A-Z]{2})*) (?:Metro|Micro)politan Statistical Area$")
RANKS = {"prosperity_rank": "prosperity-rank", "growth_rank": "growth-rank", "inclusion_rank": "inclusion-rank"}
VALUES_2020 = {"Employment at firms 0-5 years old": "employment-at-young-firms", "Jobs": "jobs", "Real GDP": "real-gdp",
               "Average Annual Wage": "average-annual-wage", "Output per Job": "output-per-job",
               "Output per Person": "output-per-person", "Median Earnings": "median-earnings",
               "Relative Income Poverty Rate": "relative-income-poverty"}


@dataclass(frozen=True)
class Edition:
    year: str
    file: str
    label: str
    coverage: str                  # schema:temporalCoverage, an ISO 8601 interval of years
    year_column: str               # the year of the values
    values: dict[str, str]         # column → indicator id
    ranks: dict[str, str] = field(default_factory=dict)  # column → indicator id, period `rank_year_range`
    thousands: frozenset[str] = frozenset()  # value columns published in thousands of US dollars

    @property
    def dataset(self) -> URIRef:
        return entity("dataset", f"{SOURCE}-{self.year}")


EDITIONS = (
    Edition("2018", "metro_monitor.csv",
            "Brookings Metro Monitor 2018: ranks for the 100 largest US metro areas (2006–2016) and 2016 values",
            "2006/2016", "value_year", {
                "Average Annual Wage": "average-annual-wage", "Output per Job": "output-per-job",
                "Output per Person": "output-per-person",
                "Employment at firms 0-5 years old, indexed to 2006": "young-firm-employment-index-2006",
                "Employment at firms 0-5 years old, indexed to 2010": "young-firm-employment-index-2010",
                "Employment, indexed to 2000": "employment-index-2000", "Output, indexed to 2000": "output-index-2000",
                "Employment-to-Population Ratio": "employment-to-population-ratio", "Median Income": "median-income",
                "Relative Income Poverty": "relative-income-poverty"},
            RANKS, frozenset({"Average Annual Wage", "Output per Job", "Output per Person"})),
    Edition("2019", "cbsa_metromonitor.csv",
            "Brookings Metro Monitor 2019: ranks for the 100 largest US metro areas (2007–2017) and 2017 values",
            "2007/2017", "value_year", {
                "average_annual_wage": "average-annual-wage", "output_per_job": "output-per-job",
                "output_per_person": "output-per-person", "employment_at_firms_0_5_years_old": "employment-at-young-firms",
                "jobs": "jobs", "real_gdp": "real-gdp", "employment_to_population_ratio": "employment-to-population-ratio",
                "median_income": "median-income", "relative_income_poverty": "relative-income-poverty",
                "gap_in_employment_to_population_ratio": "gap-in-employment-to-population-ratio",
                "gap_in_median_income": "gap-in-median-income",
                "gap_in_relative_income_poverty": "gap-in-relative-income-poverty"},
            {**RANKS, "racial_inclusion_rank": "racial-inclusion-rank"}),
    Edition("2020", "cbsa_metromonitor_2020.csv",
            "Brookings Metro Monitor 2020: yearly values for US metro areas, 2008–2018", "2008/2018", "year",
            {**VALUES_2020, "Employment Rate": "employment-to-population-ratio"}),
    Edition("2021", "cbsa_metromonitor_2021.csv",
            "Brookings Metro Monitor 2021: yearly values for US metro areas, 2009–2019", "2009/2019", "year",
            {**VALUES_2020, "Employment-to-Population Ratio": "employment-to-population-ratio"}),
)


@dataclass(frozen=True)
class Fact:
    edition: Edition
    code: str
    indicator: str
    period: str
    value: Decimal
    thousands: bool
    row: Row
    column: str


def read_edition(edition: Edition, path: Path, context: Context, figures: Counter) -> list[Fact]:
    """The facts of one file; a bad row is skipped (and reported) as a whole."""
    columns = ["cbsa_code", edition.year_column, *(["rank_year_range"] if edition.ranks else []),
               *edition.ranks, *edition.values]
    facts = []
    for row in read_csv(path, columns):
        try:
            row_facts = _row_facts(edition, row)
        except DataError as error:
            context.skip(SOURCE, error)
            continue
        if row_facts is None:
            figures["aggregate rows left out"] += 1
        else:
            facts += row_facts
    return facts


def _row_facts(edition: Edition, row: Row) -> list[Fact] | None:
    code = row.text("cbsa_code")
    if not re.fullmatch(r"[0-9]{5}", code):
        raise row.error("cbsa_code", f"'{code}' is not a five-digit CBSA code")
    if int(code) >= AGGREGATES and code != UNITED_STATES:
        return None
    facts = []
    span = row.text("rank_year_range") if edition.ranks else "NA"
    if span != "NA":
        if not re.fullmatch(r"[0-9]{4}-[0-9]{4}", span):
            raise row.error("rank_year_range", f"'{span}' is not a span of years such as 2007-2017")
        for column, indicator in edition.ranks.items():
            if _given(row, column):
                rank = row.integer(column)
                if rank < 1:
                    raise row.error(column, f"{rank} is not a rank (expected 1 or more)")
                facts.append(Fact(edition, code, indicator, span, Decimal(rank), False, row, column))
    year = row.text(edition.year_column)
    if not re.fullmatch(r"[0-9]{4}", year):
        raise row.error(edition.year_column, f"'{year}' is not a year")
    for column, indicator in edition.values.items():
        if _given(row, column):
            facts.append(Fact(edition, code, indicator, year, row.decimal(column), column in edition.thousands,
                              row, column))
    return facts


def _given(row: Row, column: str) -> bool:
    """A cell with a value: the files write a missing one as NA."""
    return row.text(column, required=False) not in (None, "NA")


def cbsa_names(path: Path) -> dict[str, tuple[str, Row]]:
    """The first name of each CBSA in a 2020/2021 file, with its row."""
    names: dict[str, tuple[str, Row]] = {}
    for row in read_csv(path, ["cbsa_code", "cbsa_name"]):
        code, name = row.text("cbsa_code", required=False), row.text("cbsa_name", required=False)
        if code and name:
            names.setdefault(code, (name, row))
    return names


def principal_city_names(name: str, known) -> tuple[list[str], list[str]]:
    """'Austin-Round Rock-Georgetown, TX Metropolitan Statistical Area' → (['Austin', 'Round Rock',
    'Georgetown'], ['TX']). OMB joins the cities with '-', or with '--' when a city's own name has a
    hyphen ('Nashville-Davidson--Murfreesboro--Franklin'); a name known as a whole ('Winston-Salem') is
    one city; of 'Louisville/Jefferson County' the first name is taken."""
    match = CBSA_NAME.match(name)
    if not match:
        return [], []
    states, cities = match["states"].split("-"), match["cities"]
    parts = cities.split("--") if "--" in cities else [cities] if known(cities, states) else cities.split("-")
    return [p.split("/")[0].strip() for p in parts if p.strip()], states


def resolve_city(resolver: Resolver, name: str, states: list[str]) -> Resolution:
    """A principal city: the resolver over US places, told the state when only one listed state has
    a place of that name; a place outside the listed states is not the city."""
    in_states = {p.admin1 for p, _ in resolver.gazetteer.candidates("US", name)} & set(states)
    hint = ("US", in_states.pop()) if len(in_states) == 1 else None
    r = resolver.resolve(name, "US", hint=hint)
    if r.place is not None and r.place.admin1 not in states:
        return Resolution(name, "US", "unresolved", None, 0.0, None, r.candidates,
                          f"no GeoNames place named '{name}' in {'/'.join(states)}")
    return r


def ingest(context: Context, data_dir: Path) -> None:
    folder = data_dir / FOLDER
    editions = [e for e in EDITIONS if (folder / e.file).exists()]
    if not editions:
        return
    context.progress(f"{SOURCE}: reading the editions")
    figures: Counter = Counter()
    read_indicators(context, data_dir / INDICATORS)
    facts = [f for e in editions for f in read_edition(e, folder / e.file, context, figures)]
    graph, source, add = source_graph(SOURCE), source_iri(SOURCE), context.add
    for edition in editions:
        dataset = edition.dataset
        if dataset not in context.ids:
            add(graph, dataset, RDF.type, GLO.Dataset)
            add(graph, dataset, RDFS.label, Literal(edition.label, lang="en"))
            add(graph, dataset, PROV.wasDerivedFrom, source)
        add(graph, dataset, SCHEMA.temporalCoverage, Literal(edition.coverage))
        add(graph, dataset, QB.structure, GLO.observationStructure)
    names: dict[str, tuple[str, Row]] = {}
    for edition in editions:  # the names of the 2020 and 2021 editions, the later one's winning
        if edition.year >= "2020":
            names.update(cbsa_names(folder / edition.file))
    metros = _metros(context, {f.code for f in facts if f.code != UNITED_STATES}, names, figures)
    areas = {**metros, UNITED_STATES: entity("country", "us")}
    _observations(context, facts, areas, figures, data_dir)
    _principal_cities(context, metros, names, figures)
    keys = ["metros", "metros added", *(f"observations {e.year} edition" for e in editions),
            "observations in observations.csv", "repeated values merged", "aggregate rows left out",
            "principal cities linked", "principal cities ambiguous", "principal cities unresolved",
            "metros with a principal city"]
    context.notes[SOURCE] = {key: figures[key] for key in keys}


def _metros(context: Context, codes: set[str], names: dict, figures: Counter) -> dict[str, URIRef]:
    """The metro of each CBSA code: the one metros.csv defines, else a new one in the source graph."""
    known = {str(code): URIRef(metro) for metro, code in context.dataset.subject_objects(GLO.cbsaCode)}
    graph, source, add = source_graph(SOURCE), source_iri(SOURCE), context.add
    metros = {}
    for code in sorted(codes):
        if code in known:
            metros[code] = known[code]
            continue
        metro = metros[code] = entity("metro", f"cbsa-{code}")
        add(graph, metro, RDF.type, GLO.MetropolitanArea)
        add(graph, metro, RDFS.label, Literal(names[code][0] if code in names else f"CBSA {code}", lang="en"))
        add(graph, metro, GLO.cbsaCode, Literal(code))
        add(graph, metro, GLO.country, entity("country", "us"))
        add(graph, metro, PROV.wasDerivedFrom, source)
        figures["metros added"] += 1
    figures["metros"] = len(metros)
    return metros


def _observations(context: Context, facts: list[Fact], areas: dict, figures: Counter, data_dir: Path) -> None:
    graph, source = source_graph(SOURCE), source_iri(SOURCE)
    units: dict[URIRef, Literal] = {}
    seen: dict[URIRef, Fact] = {}
    thousand_usd = Literal("thousand USD")
    for fact in facts:
        indicator, area = entity("indicator", fact.indicator), areas[fact.code]
        iri = observation_iri(fact.edition.dataset, indicator, area, fact.period)
        first = seen.get(iri)
        if first is not None:
            if first.value != fact.value:
                context.skip(SOURCE, fact.row.error(fact.column, f"{fact.value} contradicts {first.value} "
                                                                 f"of line {first.row.line}"))
            else:
                figures["repeated values merged"] += 1
            continue
        seen[iri] = fact
        if iri in context.ids:  # observations.csv has it
            figures["observations in observations.csv"] += 1
            continue
        if indicator not in units:
            unit = next(context.dataset.objects(indicator, GLO.unit), None)
            if unit is None:
                raise DataError(data_dir / INDICATORS, None, "id", f"no indicator '{fact.indicator}' is defined "
                                f"(in indicators.csv or {INDICATORS})")
            units[indicator] = unit
        write_observation(context, graph, source, iri, fact.edition.dataset, indicator, area, fact.period,
                          fact.value, thousand_usd if fact.thousands else units[indicator])
        figures[f"observations {fact.edition.year} edition"] += 1


def _principal_cities(context: Context, metros: dict, names: dict, figures: Counter) -> None:
    from .world_twinnings import mint_cities

    if not names:  # only the 2020 and 2021 editions name the metros
        return
    gazetteer = context.gazetteer()
    wanted = []
    for code in metros:
        if code in names:
            match = CBSA_NAME.match(names[code][0])
            if match:
                cities = match["cities"]
                wanted += [cities, *cities.split("--"), *re.split(r"--?", cities)]
    gazetteer.index(("US", n.split("/")[0].strip()) for n in wanted)

    def known(name: str, states: list[str]) -> bool:
        return any(p.admin1 in states for p, _ in gazetteer.candidates("US", name))

    resolver = Resolver(gazetteer)
    links: dict[URIRef, list[int]] = {}
    for code, metro in metros.items():
        if code not in names:
            continue
        name, row = names[code]
        cities, states = principal_city_names(name, known)
        for city in cities:
            r = resolve_city(resolver, city, states)
            context.resolved(SOURCE, row.path, row.line, city, "US", f"principal city of {name}", r)
            figures[f"principal cities {r.status}"] += 1
            if r.linked:
                links.setdefault(metro, []).append(r.place.geonames_id)
    cities = mint_cities(context, gazetteer, {g for gids in links.values() for g in gids})
    graph = source_graph(SOURCE)
    for metro, gids in links.items():
        present = set(context.dataset.objects(metro, GLO.principalCity))
        for g in gids:
            if cities[g] not in present:
                context.add(graph, metro, GLO.principalCity, cities[g])
    figures["metros with a principal city"] = len(links)

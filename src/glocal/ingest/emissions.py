"""raw/c40-ghg-inventories/, raw/cdp-city-emissions/: city-wide greenhouse-gas emissions and reduction targets.

Emissions become Data Cube observations of a city (tCO2e): one indicator per figure as its source
defines it, never summed or mixed — GPC BASIC and BASIC+ totals (C40 inventories; CDP 2017–2020),
scope 1, 2 and 3 totals as reported to CDP, the CDP 2017 total that covers scopes 1 and 2, and the
CDP 2016 city-wide total whose scopes the file does not state. The period is the inventory
(accounting) year, "2014-2015" for a fiscal year; the dataset is the C40 workbook or the CDP file of
one reporting year, so a figure reported twice keeps both reports apart. A figure of 0 is left out
(CDP files write 0 where a city gave no estimate); C40 BASIC+ totals only for BASIC+ inventories.

CDP 2021 reduction targets become glo:EmissionsTarget policies of the city (type, sector, base year,
base-year emissions, percentage reduction, target year, target-year emissions as reported); rows
without a target year are left out and counted.

Cities are resolved with glocal.resolve: C40 by name, country and the population the workbook
states; CDP once per account (its stable organisation id) from the city name the files give for it
(the row's `City`, else another file's, else the name OpenClimate cleaned for the targets file, else
the organisation name without 'City of', 'Stadt' …), its country, and the first point and population
any file gives. A row with a bad number, period, point or unknown country is skipped and reported
(file, line, field); a repeated figure (same dataset, indicator, city and year) too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from rdflib import Literal, URIRef

from ..errors import DataError
from ..namespaces import DCTERMS, GLO, PROV, QB, RDF, RDFS
from ..resolve import Resolver
from . import (
    Context,
    Origin,
    Row,
    decimal_literal,
    entity,
    int_literal,
    read_csv,
    source_graph,
    source_iri,
)
from .indicators import observation_iri, write_observation

C40, CDP = "c40-ghg-inventories", "cdp-city-emissions"
C40_PATH = Path("raw") / C40 / "C40_GPC_inventories.csv"
CDP_FOLDER = Path("raw") / CDP
TARGETS_FILE = "2021_Cities_Emissions_Reduction_Targets.csv"
UNIT = "tCO2e"
NOT_GIVEN = {"", "NA", "Not Applicable"}
THEME, CHALLENGE = entity("theme", "climate-and-sustainability"), entity("challenge", "climate-change")

INDICATORS = {  # id → (label, description)
    "ghg-emissions-gpc-basic": (
        "GHG emissions, GPC BASIC", ("City-wide greenhouse-gas emissions in the BASIC scope of the Global Protocol "
        "for Community-Scale GHG Emission Inventories (GPC): stationary energy and transport (scopes 1 and 2) and "
        "waste generated in the city (scopes 1 and 3), in tonnes CO2e, as reported.")),
    "ghg-emissions-gpc-basic-plus": (
        "GHG emissions, GPC BASIC+", ("City-wide greenhouse-gas emissions in the GPC BASIC+ scope: BASIC plus "
        "industrial processes and product use, agriculture, forestry and other land use, and transboundary "
        "transport and energy transmission losses (scope 3), in tonnes CO2e, as reported.")),
    "ghg-emissions-scope-1": (
        "GHG emissions, scope 1 total", ("Total scope 1 emissions (from sources within the city boundary) as a city "
        "reported them to CDP, in tonnes CO2e; protocols and boundaries differ between cities.")),
    "ghg-emissions-scope-2": (
        "GHG emissions, scope 2 total", ("Total scope 2 emissions (from grid-supplied energy used within the city "
        "boundary) as a city reported them to CDP, in tonnes CO2e.")),
    "ghg-emissions-scope-3": (
        "GHG emissions, scope 3 total", ("Total scope 3 emissions (occurring outside the city boundary because of "
        "activities within it) as a city reported them to CDP, in tonnes CO2e.")),
    "ghg-emissions-scope-1-2": (
        "GHG emissions, scopes 1 and 2", ("Total city-wide emissions reported to CDP in 2017 by a city that stated "
        "'Scopes Included: Total Scope 1 and Scope 2', in tonnes CO2e.")),
    "ghg-emissions-total-reported": (
        "GHG emissions, city-wide total (scopes not stated)", ("'Total City-wide Emissions' as reported to CDP in "
        "2016, in tonnes CO2e; the file does not state which scopes or sectors the total covers.")),
}
C40_FIGURES = {"BASIC": "ghg-emissions-gpc-basic", "BASIC+": "ghg-emissions-gpc-basic-plus"}
SCOPES = "Scopes Included "  # CDP 2017: which scopes its total covers
SCOPES_2017 = {"Total Scope 1 and Scope 2": "ghg-emissions-scope-1-2",
               "Total Scope 1, Scope 2 and Waste Scope 3 (Total BASIC emissions)": "ghg-emissions-gpc-basic"}


@dataclass(frozen=True)
class CdpFile:
    """How one CDP city-wide emissions file names its columns."""

    name: str
    account: str
    city: tuple[str, ...]      # columns naming the city, best first
    period: str
    figures: dict[str, str]    # column → indicator id ('' for the 2017 total: its 'Scopes Included' decides)
    population: str = "Population"


def _recent(name: str, account: str, period: str, scope1: str, scope2: str, scope3: str, basic: str,
            basic_plus: str) -> CdpFile:
    return CdpFile(name, account, ("City", "Organization"), period, {
        scope1: "ghg-emissions-scope-1", scope2: "ghg-emissions-scope-2", scope3: "ghg-emissions-scope-3",
        basic: "ghg-emissions-gpc-basic", basic_plus: "ghg-emissions-gpc-basic-plus"})


S1, S2 = "Total Scope 1 Emissions (metric tonnes CO2e)", "Total Scope 2 Emissions (metric tonnes CO2e)"
CDP_FILES = {
    2016: CdpFile("2016_-_Citywide_GHG_Emissions.csv", "Account Number", ("City Short Name", "City Name"),
                  "Measurement Year", {"Total City-wide Emissions (metric tonnes CO2e)": "ghg-emissions-total-reported",
                                       S1: "ghg-emissions-scope-1", S2: "ghg-emissions-scope-2"},
                  "Current Population"),
    2017: CdpFile("2017_-_Cities_Community_Wide_Emissions.csv", "Account number", ("City", "Organization"),
                  "Accounting year", {"Total emissions (metric tonnes CO2e)": "", S1: "ghg-emissions-scope-1",
                                      S2: "ghg-emissions-scope-2"}),
    **{year: _recent(name, "Account Number", "Accounting Year", S1, S2, "Total Scope 3 emissions (metric tonnes CO2e)",
                     "Total BASIC Emissions (GPC)", "Total BASIC+ Emissions (GPC)")
       for year, name in ((2018, "2018_City-wide_Emissions.csv"), (2019, "2019_City-wide_Emissions.csv"))},
    **{year: _recent(name, "Account Number", "Accounting year", "TOTAL Scope 1 Emissions (metric tonnes CO2e)",
                     "TOTAL Scope 2 emissions (metric tonnes CO2e)", "TOTAL Scope 3 Emissions",
                     "TOTAL BASIC Emissions (GPC)", "TOTAL BASIC+ Emissions (GPC)")
       for year, name in ((2020, "2020_-_City-Wide_Emissions.csv"), (2021, "2021_City-wide_Emissions.csv"))},
}
TARGET_COLUMNS = ["Account.Number", "Organization", "City", "Country", "Type.of.target", "Sector",
                  "Target.boundary.relative.to.city.boundary", "Base.year", "Base.year.emissions..metric.tonnes.CO2e.",
                  "Percentage.reduction.target", "Target.year", "Target.year.absolute.emissions..metric.tonnes.CO2e.",
                  "Population", "City.Location", "name", "iso"]
# CDP's country names that GeoNames and glocal.resolve spell otherwise
CDP_COUNTRIES = {
    "Bolivia (Plurinational State of)": "BO", "China, Hong Kong Special Administrative Region": "HK",
    "Dem. Rep. Congo": "CD", "Lao People's Democratic Republic": "LA", "Republic of Korea": "KR",
    "Republic of Moldova": "MD", "Russian Federation": "RU", "Taiwan, Greater China": "TW",
    "United Kingdom of Great Britain and Northern Ireland": "GB", "United Republic of Tanzania": "TZ",
    "Venezuela (Bolivarian Republic of)": "VE", "Viet Nam": "VN", "Côte d’Ivoire": "CI",
}


# ----------------------------------------------------------------------------- parsing helpers

def figure(row: Row, name: str) -> Decimal | None:
    """A number of a cell; the source's markers of 'no figure' give None."""
    return None if (row.values.get(name) or "").strip() in NOT_GIVEN else row.decimal(name)


def year(row: Row, name: str) -> int | None:
    return None if (row.values.get(name) or "").strip() in NOT_GIVEN else row.integer(name)


def period(row: Row, name: str) -> str:
    """The inventory year of a period cell: '2015-01-01 - 2015-12-31' → '2015'; a fiscal year
    ('2014-07-01 - 2015-06-30', 'July 2014 - 2015 June') → '2014-2015'; at most 366 days. CDP 2016
    gives only the last day ('12/31/2014 12:00:00 AM' → '2014', '6/30/2015 …' → '2014-2015')."""
    text = row.text(name)
    end = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}) .*", text)
    if end:
        month, day, y = map(int, end.groups())
        return str(y) if (month, day) == (12, 31) else f"{y - 1}-{y}"
    dated = re.fullmatch(r"(\d{4}-\d{2}-\d{2}) - (\d{4}-\d{2}-\d{2})", text)
    if dated:
        start, end = (date.fromisoformat(d) for d in dated.groups())
        if not 0 < (end - start).days <= 366:
            raise row.error(name, f"'{text}' is not an inventory year or a 12-month period")
        last = end - timedelta(days=1)  # '2016-01-01 - 2017-01-01' is the year 2016
        return str(start.year) if start.year == last.year else f"{start.year}-{last.year}"
    years = sorted({int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", text)})
    if len(years) == 1:
        return str(years[0])
    if len(years) == 2 and years[1] == years[0] + 1:
        return f"{years[0]}-{years[1]}"
    raise row.error(name, f"'{text}' is not an inventory year or a 12-month period")


def point(row: Row, name: str) -> tuple[float, float] | None:
    """(lat, lon) of 'POINT (lon lat)' or '(lat, lon)'; None when not given."""
    text = (row.values.get(name) or "").strip()
    if text in NOT_GIVEN:
        return None
    wkt = re.fullmatch(r"POINT \((-?[\d.]+) (-?[\d.]+)\)", text)
    pair = re.fullmatch(r"\((-?[\d.]+), (-?[\d.]+)\)", text)
    if wkt:
        lat, lon = float(wkt.group(2)), float(wkt.group(1))
    elif pair:
        lat, lon = float(pair.group(1)), float(pair.group(2))
    else:
        raise row.error(name, f"'{text}' is not a point")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise row.error(name, f"{lat}, {lon} lie outside the globe")
    return lat, lon


def population(row: Row, name: str) -> int | None:
    """A population the row states, as evidence for the resolver; anything but digits gives None."""
    text = (row.values.get(name) or "").strip()
    return int(text) if text.isdigit() else None


def organisation_name(text: str) -> str:
    """The place an organisation name names: 'City of Melbourne' → 'Melbourne', 'Stadt Heidelberg' →
    'Heidelberg', 'Prefeitura de Joinville' → 'Joinville', 'Melton City Council' → 'Melton'."""
    text = re.sub(r"^(City|Town|Village|Municipality|Municipio|Municipalidad|Prefeitura( Municipal)?|Comune|"
                  r"Ayuntamiento|Ville|Stadt|Gemeente|Kommune)( of| de| di| do| da)? ", "", text.strip())
    return re.sub(r" (City Council|Council|Municipality|Metropolitan Municipality|Municipal Council|Kommune)$",
                  "", text)


def country(context: Context, row: Row, name: str) -> str:
    text = row.text(name)
    cc = CDP_COUNTRIES.get(text) or context.gazetteer().country_code(text)
    if cc is None:
        raise row.error(name, f"unknown country '{text}'")
    return cc


# ----------------------------------------------------------------------------- writing

class Writer:
    """Writes the observations of one source in its graph; a repeated observation is skipped."""

    def __init__(self, context: Context, source_id: str):
        self.context, self.source_id = context, source_id
        self.graph, self.source = source_graph(source_id), source_iri(source_id)
        self.written: dict[URIRef, int] = {}  # observation → line that gave it
        self.indicators: set[str] = set()
        self.datasets: set[str] = set()

    def dataset(self, slug: str, label: str) -> URIRef:
        iri = entity("dataset", slug)
        if slug not in self.datasets:
            self.datasets.add(slug)
            add = self.context.add
            add(self.graph, iri, RDF.type, GLO.Dataset)
            add(self.graph, iri, RDFS.label, Literal(label, lang="en"))
            add(self.graph, iri, QB.structure, GLO.observationStructure)
            add(self.graph, iri, PROV.wasDerivedFrom, self.source)
        return iri

    def indicator(self, slug: str) -> URIRef:
        iri = entity("indicator", slug)
        if slug not in self.indicators:
            self.indicators.add(slug)
            label, description = INDICATORS[slug]
            add = self.context.add
            add(self.graph, iri, RDF.type, GLO.Indicator)
            add(self.graph, iri, RDFS.label, Literal(label, lang="en"))
            add(self.graph, iri, DCTERMS.description, Literal(description, lang="en"))
            add(self.graph, iri, GLO.unit, Literal(UNIT))
            add(self.graph, iri, GLO.theme, THEME)
            add(self.graph, iri, PROV.wasDerivedFrom, self.source)
        return iri

    def observation(self, row: Row, column: str, dataset: URIRef, indicator_id: str, city: URIRef, when: str,
                    value: Decimal) -> bool:
        indicator = self.indicator(indicator_id)
        iri = observation_iri(dataset, indicator, city, when)
        if iri in self.written:
            self.context.skip(self.source_id, row.error(column, f"repeats the {indicator_id} of {self.context.label(city)} "
                                                                f"for {when} given at line {self.written[iri]}"))
            return False
        self.written[iri] = row.line
        write_observation(self.context, self.graph, self.source, iri, dataset, indicator, city, when, value,
                          Literal(UNIT))
        return True


@dataclass(frozen=True)
class Query:
    """What the source says of a place, and where (for the review report)."""

    name: str
    cc: str
    country: str               # as the source writes it
    point: tuple[float, float] | None
    population: int | None
    row: Row
    about: str


def link(context: Context, source_id: str, queries: dict[object, Query]) -> dict[object, URIRef]:
    """Resolve each query (a region after a comma is a hint: 'Portland, OR'); → key → city IRI of the linked."""
    from .world_twinnings import mint_cities

    gazetteer = context.gazetteer()
    resolver = Resolver(gazetteer)
    split = {key: resolver.split(q.name, q.country) for key, q in queries.items()}
    gazetteer.index((q.cc, split[key][0]) for key, q in queries.items())
    places = {}
    for key, q in queries.items():
        bare, hint = split[key]
        r = resolver.resolve(bare, q.cc, *(q.point or (None, None)), hint=hint, population=q.population)
        context.resolved(source_id, q.row.path, q.row.line, q.name, q.country, q.about, r)
        if r.linked:
            places[key] = r.place.geonames_id
    cities = mint_cities(context, gazetteer, set(places.values()))
    return {key: cities[g] for key, g in places.items()}


# ----------------------------------------------------------------------------- C40

def ingest_c40(context: Context, path: Path) -> None:
    columns = ["City", "Country", "Year", "Level", "Population", *C40_FIGURES]
    rows = []
    for row in read_csv(path, columns):
        try:
            cc = country(context, row, "Country")
            figures = {c: figure(row, c) for c in C40_FIGURES}
            rows.append((row, cc, period(row, "Year"), figures))
        except DataError as error:
            context.skip(C40, error)
    queries = {}  # (city, country) → the query of the city's first row
    for row, cc, _, _ in rows:
        queries.setdefault((row.text("City"), cc), Query(row.text("City"), cc, row.text("Country"), None,
                                                         population(row, "Population"), row, "C40 GPC inventory"))
    cities = link(context, C40, queries)
    writer = Writer(context, C40)
    dataset = writer.dataset(C40, "C40 GHG emissions dashboard data: GPC inventories of C40 cities (version 30.05.2023)")
    count = zeros = 0
    for row, cc, when, figures in rows:
        city = cities.get((row.text("City"), cc))
        if city is None:
            continue
        for column, value in figures.items():
            zeros += value == 0
            if not value or (column == "BASIC+" and row.text("Level") != "BASIC+"):
                continue
            count += writer.observation(row, column, dataset, C40_FIGURES[column], city, when, value)
    context.notes[C40] = {"inventories": len(rows), "cities": len(queries), "cities linked": len(set(cities.values())),
                          "observations": count, "zero figures left out": zeros}


# ----------------------------------------------------------------------------- CDP

@dataclass
class CdpRow:
    row: Row
    account: str
    cc: str
    city: str | None          # the city name the row gives
    fallback: str             # else: the organisation name, or OpenClimate's clean name (targets file)
    point: tuple[float, float] | None
    population: int | None


def read_cdp(context: Context, path: Path, spec: CdpFile | None) -> list[tuple[CdpRow, object]]:
    """(CdpRow, payload) for each good row: (period, {column: value}) of an emissions file, or a target."""
    columns = ([spec.account, *spec.city, "Country", spec.period, spec.population, "City Location", *spec.figures,
                *([SCOPES] if "" in spec.figures.values() else [])] if spec else TARGET_COLUMNS)
    out = []
    for row in read_csv(path, columns):
        try:
            if spec:
                city, fallback = (row.text(c, required=False) for c in spec.city)
                r = CdpRow(row, row.text(spec.account), country(context, row, "Country"), city,
                           organisation_name(fallback or ""), point(row, "City Location"),
                           population(row, spec.population))
                payload = (period(row, spec.period), {c: figure(row, c) for c in spec.figures})
            else:
                cc = context.gazetteer().iso3.get(row.text("iso")) or country(context, row, "Country")
                r = CdpRow(row, row.text("Account.Number"), cc, _text(row, "City"), row.text("name"),
                           point(row, "City.Location"), population(row, "Population"))
                payload = target(row)
            out.append((r, payload))
        except DataError as error:
            context.skip(CDP, error)
    return out


def target(row: Row) -> dict:
    return {"type": row.text("Type.of.target"), "sector": _text(row, "Sector"),
            "boundary": _text(row, "Target.boundary.relative.to.city.boundary"),
            "base_year": year(row, "Base.year"),
            "base_emissions": figure(row, "Base.year.emissions..metric.tonnes.CO2e."),
            "percent": figure(row, "Percentage.reduction.target"), "target_year": year(row, "Target.year"),
            "target_emissions": figure(row, "Target.year.absolute.emissions..metric.tonnes.CO2e.")}


def _text(row: Row, name: str) -> str | None:
    value = row.text(name, required=False)
    return None if value in NOT_GIVEN else value


def ingest_cdp(context: Context, folder: Path) -> None:
    files = {y: read_cdp(context, folder / spec.name, spec) for y, spec in CDP_FILES.items()
             if (folder / spec.name).exists()}
    targets = read_cdp(context, folder / TARGETS_FILE, None) if (folder / TARGETS_FILE).exists() else []
    # one query per account: the best name any file gives, its country, the first point
    by_account: dict[str, list[CdpRow]] = defaultdict(list)
    for rows in (*(files[y] for y in sorted(files, reverse=True)), targets):
        for r, _ in rows:
            by_account[r.account].append(r)
    queries = {}
    for account, rows in by_account.items():
        clean = [r.fallback for r in rows if r.row.path.name == TARGETS_FILE]
        name = next((r.city for r in rows if r.city), None) or (clean + [rows[0].fallback])[0]
        first = rows[0]
        queries[account] = Query(name, first.cc, first.row.text("Country"),
                                 next((r.point for r in rows if r.point), None),
                                 next((r.population for r in rows if r.population), None), first.row,
                                 f"CDP account {account}")
    cities = link(context, CDP, queries)
    writer = Writer(context, CDP)
    count = zeros = 0
    for reported, rows in sorted(files.items()):
        dataset = writer.dataset(f"cdp-citywide-emissions-{reported}",
                                 f"CDP city-wide emissions reported in {reported}")
        for r, (when, figures) in rows:
            city = cities.get(r.account)
            if city is None:
                continue
            for column, value in figures.items():
                zeros += value == 0
                if not value:
                    continue
                indicator = CDP_FILES[reported].figures[column] or SCOPES_2017.get(r.row.text(SCOPES, False))
                if not indicator:
                    context.skip(CDP, r.row.error(SCOPES, "does not say which scopes the total covers"))
                    continue
                count += writer.observation(r.row, column, dataset, indicator, city, when, value)
    written = write_targets(context, cities, targets)
    context.notes[CDP] = {"rows": sum(map(len, files.values())), "target rows": len(targets),
                          "accounts": len(queries), "accounts linked": len(cities),
                          "cities linked": len(set(cities.values())), "observations": count,
                          "zero figures left out": zeros, "targets": written,
                          "targets without a target year": sum(t["target_year"] is None for _, t in targets)}


def write_targets(context: Context, cities: dict, targets: list) -> int:
    graph, source, add = source_graph(CDP), source_iri(CDP), context.add
    ordinal: dict[str, int] = defaultdict(int)
    count = 0
    for r, t in targets:
        ordinal[r.account] += 1
        city = cities.get(r.account)
        if city is None or t["target_year"] is None:
            continue
        iri = entity("practice", f"cdp-2021-target-{r.account}-{ordinal[r.account]}")
        name = context.label(city)
        if t["percent"] is not None and t["base_year"] is not None:
            label = f"{name}: {t['percent']} % below {t['base_year']} emissions by {t['target_year']}"
        else:
            label = f"{name}: {t['type'].lower()} for {t['target_year']}"
        description = f"{t['type']} reported to CDP in 2021 (sector: {t['sector'] or 'not stated'}; " \
                      f"target boundary: {t['boundary'] or 'not stated'})."
        add(graph, iri, RDF.type, GLO.EmissionsTarget)
        add(graph, iri, RDFS.label, Literal(label, lang="en"))
        add(graph, iri, DCTERMS.description, Literal(description, lang="en"))
        add(graph, iri, GLO.implementedBy, city)
        add(graph, iri, GLO.theme, THEME)
        add(graph, iri, GLO.addresses, CHALLENGE)
        add(graph, iri, GLO.targetType, Literal(t["type"]))
        add(graph, iri, GLO.targetSector, Literal(t["sector"]) if t["sector"] else None)
        add(graph, iri, GLO.baseYear, int_literal(t["base_year"]))
        add(graph, iri, GLO.baseYearEmissions, decimal_literal(t["base_emissions"]))
        add(graph, iri, GLO.reductionPercent, decimal_literal(t["percent"]))
        add(graph, iri, GLO.targetYear, int_literal(t["target_year"]))
        add(graph, iri, GLO.targetYearEmissions, decimal_literal(t["target_emissions"]))
        add(graph, iri, PROV.wasDerivedFrom, source)
        context.ids[iri] = Origin(r.row.path, r.row.line, "Account.Number")
        count += 1
    return count


def ingest(context: Context, data_dir: Path) -> None:
    if (data_dir / C40_PATH).exists():
        context.progress(f"{C40}: resolving the cities")
        ingest_c40(context, data_dir / C40_PATH)
    if (data_dir / CDP_FOLDER).exists():
        context.progress(f"{CDP}: resolving the cities")
        ingest_cdp(context, data_dir / CDP_FOLDER)

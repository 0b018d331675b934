"""raw/destatis-gemeindeverzeichnis/: every German municipality with its official key, area and population.

The municipality records (satzart 60) of the Destatis Gemeindeverzeichnis, 4th-quarter 2020 extract:
the AGS (land + rb + kreis + gemeinde, eight digits) becomes glo:ags of the municipality's city, area
(km², territory of 31.12.2020) and population (31.12.2019) become Data Cube observations, all in
the graph of destatis-gemeindeverzeichnis. The city is found by the resolver from the name (without
Destatis' suffix: 'Köln, Stadt' → 'Köln'), country DE, the Land of the AGS's first two digits as
region hint and the town hall's point; a GeoNames place in another Land or farther than MAX_KM from the
town hall is never linked. A
municipality that links to no place (or to a place another municipality also links to) becomes a
city of its own, from its Destatis name and point, unless a city of the graph is one of its
candidates (then it is left out and reported, not guessed). Unincorporated areas (gemeindefreie
Gebiete, textkennzeichen 65/66) are left out. A bad record names file, line and field.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal, URIRef

from ..errors import DataError
from ..namespaces import GEO, GLO, GSP, PROV, RDF, RDFS, SCHEMA
from ..resolve import DE_ADMIN1, MAX_KM, Resolution, Resolver
from . import Context, Origin, Row, decimal_literal, entity, read_lines, source_graph, source_iri
from .indicators import observation_iri, write_observation

SOURCE = "destatis-gemeindeverzeichnis"
PATH = Path("raw") / SOURCE / "gemeinden.csv"
COLUMNS = ["satzart", "textkennzeichen", "land", "rb", "kreis", "gemeinde", "gemeindename", "flaeche",
           "bevoelkerung", "laengengrad", "breitengrad"]
DATASET = "destatis-gemeindeverzeichnis-2020"
PERIODS = {"area": "2020", "population": "2019"}  # territory of 31.12.2020, population of 31.12.2019
UNINCORPORATED = {"65", "66"}
# the Länder in the order of their AGS codes 01 … 16 (German names, as DE_ADMIN1 has them)
LAENDER = ("Schleswig-Holstein", "Hamburg", "Niedersachsen", "Bremen", "Nordrhein-Westfalen", "Hessen",
           "Rheinland-Pfalz", "Baden-Württemberg", "Bayern", "Saarland", "Berlin", "Brandenburg",
           "Mecklenburg-Vorpommern", "Sachsen", "Sachsen-Anhalt", "Thüringen")
ADMIN1 = {f"{i:02d}": next(code for code, (_, de) in DE_ADMIN1.items() if de == land)
          for i, land in enumerate(LAENDER, start=1)}  # AGS Land → GeoNames admin1


@dataclass
class Municipality:
    row: Row
    ags: str
    name: str
    admin1: str
    area: Decimal
    population: int
    lat: Decimal
    lon: Decimal


def _number(row: Row, name: str, decimal_comma: bool = False) -> Decimal:
    text = row.text(name)
    cleaned = text.replace(",", ".") if decimal_comma else text.replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise row.error(name, f"'{text}' is not a number") from None
    if not value.is_finite() or value < 0:
        raise row.error(name, f"'{text}' is not a number of at least 0")
    return value


def _municipality(row: Row) -> Municipality:
    ags = "".join(row.text(c) for c in ("land", "rb", "kreis", "gemeinde"))
    if not re.fullmatch(r"[0-9]{8}", ags) or ags[:2] not in ADMIN1:
        raise row.error("gemeinde", f"'{ags}' (land + rb + kreis + gemeinde) is not an eight-digit AGS of a Land")
    population = _number(row, "bevoelkerung")
    if population != int(population):
        raise row.error("bevoelkerung", f"'{row.text('bevoelkerung')}' is not a whole number")
    lat, lon = _number(row, "breitengrad", True), _number(row, "laengengrad", True)
    if not (47 <= lat <= 56 and 5 <= lon <= 16):
        raise row.error("breitengrad", f"{lat}, {lon} lie outside Germany")
    name = row.text("gemeindename").split(",", 1)[0].strip()
    return Municipality(row, ags, name, ADMIN1[ags[:2]], _number(row, "flaeche"), int(population),
                        lat.quantize(Decimal("0.00001")), lon.quantize(Decimal("0.00001")))


def _in_land(r: Resolution, m: Municipality) -> Resolution:
    """The resolver's decision, unless it links a namesake in another Land or far from the town hall
    (Destatis' point is official, not geocoded from the name)."""
    if r.linked and r.place.admin1 != m.admin1:
        note = f"the place named so lies in another Land ({r.place.admin1}, not {m.admin1})"
    elif r.linked and r.distance_km > MAX_KM:
        note = f"the place named so lies {r.distance_km:.0f} km from the town hall"
    else:
        return r
    return Resolution(r.name, r.country, "unresolved", None, 0.0, None, r.candidates, note)


def ingest(context: Context, data_dir: Path) -> None:
    from .world_twinnings import DE_ISO, mint_cities, slugify

    path = data_dir / PATH
    if not path.exists():
        return
    context.progress(f"{SOURCE}: resolving the municipalities")
    gazetteer = context.gazetteer()
    municipalities, unincorporated = [], 0
    for row in read_lines(context, SOURCE, path, COLUMNS):
        if row.text("satzart", False) != "60":
            continue
        if row.text("textkennzeichen", False) in UNINCORPORATED:
            unincorporated += 1
            continue
        try:
            municipalities.append(_municipality(row))
        except DataError as error:
            context.skip(SOURCE, error)
    gazetteer.index(("DE", m.name) for m in municipalities)
    resolver = Resolver(gazetteer)
    decisions = [_in_land(resolver.resolve(m.name, "DE", float(m.lat), float(m.lon), ("DE", m.admin1)), m)
                 for m in municipalities]
    claims = Counter(r.place.geonames_id for r in decisions if r.linked)
    known = {str(gid) for gid in context.dataset.objects(None, GLO.geonamesId)}
    linked, own, left_out = {}, [], []
    for m, r in zip(municipalities, decisions):
        if r.linked and claims[r.place.geonames_id] > 1:
            r = Resolution(r.name, r.country, "ambiguous", None, 0.0, None, r.candidates,
                           f"{claims[r.place.geonames_id]} municipalities link to GeoNames {r.place.geonames_id}")
        context.resolved(SOURCE, path, m.row.line, m.row.text("gemeindename"), "DE", f"municipality AGS {m.ags}", r)
        if r.linked:
            linked[m.ags] = r.place.geonames_id
        elif any(str(c.place.geonames_id) in known and c.place.admin1 == m.admin1 for c in r.candidates):
            left_out.append(m)
        else:
            own.append(m)
    cities = mint_cities(context, gazetteer, set(linked.values()))
    city_of = {m.ags: cities[linked[m.ags]] for m in municipalities if m.ags in linked}
    city_of.update(_mint_own(context, own, DE_ISO, slugify))
    graph, source = source_graph(SOURCE), source_iri(SOURCE)
    dataset = entity("dataset", DATASET)
    for iri in (dataset, entity("indicator", "area"), entity("indicator", "population")):
        context.references.append((iri, str(iri).split("/id/", 1)[1], Origin(path, None, None)))
    units = {k: context.dataset.value(entity("indicator", k), GLO.unit) or Literal("") for k in PERIODS}
    for m in municipalities:
        city = city_of.get(m.ags)
        if city is None:
            continue
        context.add(graph, city, GLO.ags, Literal(m.ags))
        for key, value in (("area", m.area), ("population", Decimal(m.population))):
            indicator = entity("indicator", key)
            iri = observation_iri(dataset, indicator, city, PERIODS[key])
            write_observation(context, graph, source, iri, dataset, indicator, city, PERIODS[key], value, units[key])
    context.notes[SOURCE] = {"municipalities": len(municipalities), "unincorporated areas left out": unincorporated,
                             "linked": len(linked), "cities of their own": len(own),
                             "left out (a namesake city exists)": len(left_out)}


def _mint_own(context: Context, municipalities: list[Municipality], de_iso: dict, slugify) -> dict[str, URIRef]:
    """A city from the Destatis record of each municipality that has none: AGS → city IRI."""
    graph, source, add = source_graph(SOURCE), source_iri(SOURCE), context.add
    taken = set(context.dataset.subjects(RDF.type, GLO.City)) | set(context.ids)
    slugs = Counter(f"de-{slugify(m.name)}" for m in municipalities)
    cities = {}
    for m in municipalities:
        slug = f"de-{slugify(m.name)}"
        city = entity("city", slug)
        if slugs[slug] > 1 or city in taken:
            city = entity("city", f"{slug}-{m.ags}")
        cities[m.ags] = city
        add(graph, city, RDF.type, GLO.City)
        add(graph, city, RDFS.label, Literal(m.name, lang="en"))
        add(graph, city, GLO.country, entity("country", "de"))
        add(graph, city, SCHEMA.containedInPlace, entity("region", de_iso[m.admin1]))
        lat, lon = decimal_literal(m.lat), decimal_literal(m.lon)
        add(graph, city, GEO.lat, lat)
        add(graph, city, GEO.long, lon)
        geometry = URIRef(city + "/geometry")
        add(graph, city, GSP.hasGeometry, geometry)
        add(graph, geometry, RDF.type, GSP.Geometry)
        add(graph, geometry, GSP.asWKT, Literal(f"POINT({lon} {lat})", datatype=GSP.wktLiteral))
        add(graph, city, PROV.wasDerivedFrom, source)
    return cities

"""countries.csv, regions.csv, cities.csv, metros.csv: the places of the graph."""

import re
from pathlib import Path

from rdflib import Literal

from ..namespaces import GEO, GLO, GSP, RDF, RDFS, SCHEMA
from . import Context, Row, decimal_literal, read_csv

GEONAMES_ID = re.compile(r"^[1-9][0-9]*$")
WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")


def ingest(context: Context, data_dir: Path) -> None:
    readers = (("countries.csv", _country), ("regions.csv", _region),
               ("cities.csv", _city), ("metros.csv", _metro))
    for name, read in readers:
        path = data_dir / name
        if path.exists():
            for row in read_csv(path, COLUMNS[name]):
                read(context, row)


COLUMNS = {
    "countries.csv": ["id", "iso2", "name_en", "name_de", "geonames_id", "source"],
    "regions.csv": ["id", "iso3166_2", "name_en", "name_local", "country", "geonames_id", "source"],
    "cities.csv": ["id", "name", "name_local", "country", "region", "lat", "lon", "geonames_id",
                   "source", "wikidata_id", "wikidata_source"],
    "metros.csv": ["id", "name", "cbsa_code", "country", "principal_cities", "source"],
}


def _identifier(row: Row, name: str, pattern: re.Pattern, expected: str) -> Literal | None:
    value = row.text(name, required=False)
    if value is None:
        return None
    if not pattern.match(value):
        raise row.error(name, f"'{value}' is not {expected}")
    return Literal(value)


def _coded(row: Row, name: str, pattern: str, expected: str) -> Literal:
    value = row.text(name)
    if not re.match(pattern, value):
        raise row.error(name, f"'{value}' is not {expected}")
    return Literal(value)


def _local_name(context: Context, graph, iri, row: Row, english: str) -> None:
    """The name in the local language, where it differs from the English one."""
    local = row.text("name_local", required=False)
    if local and local != row.text(english):
        context.add(graph, iri, SCHEMA.alternateName, Literal(local))


def _country(context: Context, row: Row) -> None:
    iri, graph = context.describe("country", row, GLO.Country, "name_en")
    context.add(graph, iri, RDFS.label, Literal(row.text("name_de"), lang="de"))
    context.add(graph, iri, GLO.iso2, _coded(row, "iso2", r"^[A-Z]{2}$", "an ISO 3166-1 alpha-2 code"))
    context.add(graph, iri, GLO.geonamesId, _identifier(row, "geonames_id", GEONAMES_ID, "a GeoNames id"))


def _region(context: Context, row: Row) -> None:
    iri, graph = context.describe("region", row, GLO.Region, "name_en")
    _local_name(context, graph, iri, row, "name_en")
    code = _coded(row, "iso3166_2", r"^[A-Z]{2}-[A-Z0-9]{1,3}$", "an ISO 3166-2 code such as DE-BY")
    context.add(graph, iri, GLO.iso3166_2, code)
    context.add(graph, iri, GLO.country, context.ref(row, "country", ("country",)))
    context.add(graph, iri, GLO.geonamesId, _identifier(row, "geonames_id", GEONAMES_ID, "a GeoNames id"))


def _city(context: Context, row: Row) -> None:
    iri, graph = context.describe("city", row, GLO.City, "name")
    _local_name(context, graph, iri, row, "name")
    context.add(graph, iri, GLO.country, context.ref(row, "country", ("country",)))
    context.add(graph, iri, SCHEMA.containedInPlace, context.ref(row, "region", ("region",), required=False))
    lat, lon = row.decimal("lat"), row.decimal("lon")
    if not -90 <= lat <= 90:
        raise row.error("lat", f"{lat} is not a latitude (expected -90 to 90)")
    if not -180 <= lon <= 180:
        raise row.error("lon", f"{lon} is not a longitude (expected -180 to 180)")
    context.add(graph, iri, GEO.lat, decimal_literal(lat))
    context.add(graph, iri, GEO.long, decimal_literal(lon))
    geometry = iri + "/geometry"
    context.add(graph, iri, GSP.hasGeometry, geometry)
    context.add(graph, geometry, RDF.type, GSP.Geometry)
    context.add(graph, geometry, GSP.asWKT, Literal(f"POINT({lon} {lat})", datatype=GSP.wktLiteral))
    context.add(graph, iri, GLO.geonamesId, _identifier(row, "geonames_id", GEONAMES_ID, "a GeoNames id"))
    wikidata_id = _identifier(row, "wikidata_id", WIKIDATA_ID, "a Wikidata id such as Q64")
    if wikidata_id is not None:
        wikidata_graph = context.cite(row, iri, "wikidata_source")
        context.add(wikidata_graph, iri, GLO.wikidataId, wikidata_id)


def _metro(context: Context, row: Row) -> None:
    iri, graph = context.describe("metro", row, GLO.MetropolitanArea, "name")
    if row.text("cbsa_code", required=False):
        context.add(graph, iri, GLO.cbsaCode, _coded(row, "cbsa_code", r"^[0-9]{5}$", "a five-digit CBSA code"))
    context.add(graph, iri, GLO.country, context.ref(row, "country", ("country",)))
    for city in context.refs(row, "principal_cities", ("city",)):
        context.add(graph, iri, GLO.principalCity, city)

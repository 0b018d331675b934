"""raw/climactor/: city participation in climate networks (ClimActor, December 2022 database).

Each city row names its initiatives (`initiatives_committed`, ';;'-separated tags); the tags of the
networks in `NETWORKS` become memberships in the graph of climactor, the city resolved by the
resolver from name, country (ISO alpha-3) and the row's coordinates. Regions are left out. The tags'
years date ClimActor's snapshot of each network, not when a city joined, so no start year is
written. A row that is not valid UTF-8 (the file has one) or has no usable country is skipped and
reported with file, line and field. ClimActor data are for non-commercial use and must be cited.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import DataError
from ..resolve import Resolver
from . import Context, Origin, entity, read_lines, source_graph, source_iri, write_membership

SOURCE = "climactor"
PATH = Path("raw") / SOURCE / "subnational_contextuals_database_Dec2022.csv"
COLUMNS = ["name", "iso", "entity_type", "lat", "lng", "initiatives_committed"]
NETWORKS = {  # network id → the tags that record it
    "c40": re.compile(r"C40(Cities\d{4})?"),
    "gcom": re.compile(r"(GCoM|GlobalCovenantofMayors)(\d{4}|CDP\d{4}|EuropeanCommission\d{4}|Harmonized\d{4})?(ZCA(\d{4})?)?"),
    "eu-covenant-of-mayors": re.compile(r"EUCovenantofMayors\d{4}"),
    "carbonn": re.compile(r"Carbonn(\d{4})?"),
    "iclei": re.compile(r"ICLEI( - Local Governments for Sustainability)?"),
    "climate-mayors": re.compile(r"ClimateMayors(\d{4})?"),
    "under2-coalition": re.compile(r"Under2 ?Coalition(\d{4})?"),
    "race-to-zero": re.compile(r"Race ?to ?Zero(\d{4})?", re.IGNORECASE),
}


def networks_of(tags: str) -> set[str]:
    found = set()
    for tag in re.split(r";;?", tags or ""):
        tag = tag.strip()
        found |= {n for n, pattern in NETWORKS.items() if pattern.fullmatch(tag)}
    return found


def ingest(context: Context, data_dir: Path) -> None:
    from .world_twinnings import mint_cities

    path = data_dir / PATH
    if not path.exists():
        return
    context.progress(f"{SOURCE}: resolving the cities")
    gazetteer = context.gazetteer()
    rows = []
    for record in read_lines(context, SOURCE, path, COLUMNS):
        line, row = record.line, record.values
        if row["entity_type"] != "City" or not networks_of(row["initiatives_committed"]):
            continue
        cc = gazetteer.iso3.get(row["iso"])
        if cc is None:
            context.skip(SOURCE, DataError(path, line, "iso", f"unknown country code '{row['iso']}'"))
            continue
        try:
            lat, lon = float(row["lat"]), float(row["lng"])
        except ValueError:
            lat = lon = None
        rows.append((line, row, cc, lat, lon))
    gazetteer.index((cc, row["name"]) for _, row, cc, _, _ in rows)
    resolver = Resolver(gazetteer)
    members: dict[str, set[int]] = {}
    linked = 0
    for line, row, cc, lat, lon in rows:
        r = resolver.resolve(row["name"], cc, lat, lon)
        context.resolved(SOURCE, path, line, row["name"], row["iso"],
                         "member of " + ", ".join(sorted(networks_of(row["initiatives_committed"]))), r)
        if r.linked:
            linked += 1
            for network in networks_of(row["initiatives_committed"]):
                members.setdefault(network, set()).add(r.place.geonames_id)
    cities = mint_cities(context, gazetteer, {g for gids in members.values() for g in gids})
    graph, source = source_graph(SOURCE), source_iri(SOURCE)
    count = 0
    for network_id, gids in sorted(members.items()):
        network = entity("network", network_id)
        context.references.append((network, f"network/{network_id}", Origin(path, None, "initiatives_committed")))
        for g in sorted(gids):
            write_membership(context, graph, source, cities[g], network)
            count += 1
    context.notes[SOURCE] = {"city rows with a network": len(rows), "rows linked": linked,
                             "memberships": count}

"""raw/gcom-mycovenant/: the signatories of the Global Covenant of Mayors that report through the
European MyCovenant platform (JRC, GCoM – MyCovenant 5th release, January 2024), with their dates.

Each signatory that is one local authority becomes a membership of network/gcom in the graph of
gcom-mycovenant, with its date of adhesion (schema:startDate and glo:startYear; the source's
"date of adhesion to the GCoM", which for signatures before 2016 is the date the city signed the
EU Covenant of Mayors that merged into the GCoM); a suspended signatory (`on_hold`) keeps its
membership with glo:status "on_hold". ClimActor records the same signatories as GCoM (its tags
GCoMEuropeanCommission…), so the two sources' claims meet on one membership IRI. Group signatories
("Alkmaar, Bergen, …") name several towns and are left out. The city is resolved from name,
country and point; a city the source lists twice keeps its earliest date. A bad row (unknown
country, bad date or number, not UTF-8) is skipped and reported with file, line and field.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import DataError
from ..resolve import Resolver
from . import Context, Origin, Row, entity, read_lines, source_graph, source_iri, write_membership

SOURCE = "gcom-mycovenant"
PATH = Path("raw") / SOURCE / "signatories.csv"
COLUMNS = ["organisation_id", "organisation_name", "country_code", "organisation_latitude",
           "organisation_longitude", "group_profile", "signatory_status", "date_of_adhesion", "gcom_id"]
NETWORK = "gcom"
STATUSES = ("published", "on_hold")
MISSING = "-"
# words for "the municipality of" that some signatories put around their name ('Comune di Bari',
# 'Landeshauptstadt Kiel', 'Cork City Council'); the resolver gets the bare name
AUTHORITY = re.compile(r"^(comune di|commune de|ville de|municipality of|città di|ayuntamiento de|concello de|"
                       r"município de|vila de|mestna občina|landeshauptstadt|stadt)\s+|\s+(city|town) council$",
                       re.IGNORECASE)


def _signatory(row: Row, countries: dict) -> tuple[str, datetime.date, float | None, float | None]:
    """(country, date, lat, lon) of a row, or a DataError naming the field."""
    code = row.text("country_code").upper()
    if code not in countries:
        raise row.error("country_code", f"unknown country code '{row.text('country_code')}'")
    try:
        date = datetime.date.fromisoformat(row.text("date_of_adhesion"))
    except ValueError:
        raise row.error("date_of_adhesion", f"'{row.text('date_of_adhesion')}' is not a date (YYYY-MM-DD)") from None
    if row.text("signatory_status") not in STATUSES:
        raise row.error("signatory_status", f"'{row.text('signatory_status')}' is not one of {', '.join(STATUSES)}")
    point = [row.text(c, False) for c in ("organisation_latitude", "organisation_longitude")]
    if MISSING in point or None in point:
        return code, date, None, None
    lat, lon = (_coordinate(row, c) for c in ("organisation_latitude", "organisation_longitude"))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise row.error("organisation_latitude", f"{lat}, {lon} lie outside the globe")
    return code, date, lat, lon


def _coordinate(row: Row, name: str) -> float:
    """A coordinate; a few rows write it with a decimal comma ('50,36579895')."""
    text = row.text(name)
    try:
        return float(Decimal(text.replace(",", ".") if text.count(",") == 1 else text))
    except InvalidOperation:
        raise row.error(name, f"'{text}' is not a number") from None


def ingest(context: Context, data_dir: Path) -> None:
    from .world_twinnings import mint_cities

    path = data_dir / PATH
    if not path.exists():
        return
    context.progress(f"{SOURCE}: resolving the signatories")
    gazetteer = context.gazetteer()
    rows, groups = [], 0
    for row in read_lines(context, SOURCE, path, COLUMNS):
        if row.text("group_profile", False) == "true":
            groups += 1
            continue
        try:
            rows.append((row, *_signatory(row, gazetteer.country_names)))
        except DataError as error:
            context.skip(SOURCE, error)
    gazetteer.index((cc, AUTHORITY.sub("", row.text("organisation_name"))) for row, cc, *_ in rows)
    resolver = Resolver(gazetteer)
    joined: dict[int, tuple[datetime.date, bool]] = {}  # GeoNames id → (earliest date, any row published)
    status = {"linked": 0, "ambiguous": 0, "unresolved": 0}
    for row, cc, date, lat, lon in rows:
        name = row.text("organisation_name")
        r = resolver.resolve(AUTHORITY.sub("", name), cc, lat, lon)
        context.resolved(SOURCE, path, row.line, name, row.text("country_code"),
                         f"GCoM signatory {row.text('gcom_id')} since {date}", r)
        status[r.status] += 1
        if r.linked:
            published = row.text("signatory_status") == "published"
            first, active = joined.get(r.place.geonames_id, (date, False))
            joined[r.place.geonames_id] = (min(first, date), active or published)
    cities = mint_cities(context, gazetteer, set(joined))
    graph, source = source_graph(SOURCE), source_iri(SOURCE)
    network = entity("network", NETWORK)
    context.references.append((network, f"network/{NETWORK}", Origin(path, None, None)))
    for g, (date, active) in sorted(joined.items()):
        write_membership(context, graph, source, cities[g], network, start=date,
                         status=None if active else "on_hold")
    context.notes[SOURCE] = {"signatory rows": len(rows), "group signatories left out": groups,
                             **{f"rows {k}": v for k, v in status.items()}, "memberships": len(joined),
                             "memberships on hold": sum(1 for _, a in joined.values() if not a)}

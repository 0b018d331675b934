"""networks.csv and memberships.csv: city networks and who belongs to them.

A membership is an n-ary node (org:Membership) that keeps the role, the years and the source;
for a current membership (no end year) the build also writes the shortcut `member org:memberOf
network`, as Wikidata writes its "truthy" statements, so that common queries stay short.
"""

from pathlib import Path

from rdflib import Literal

from ..namespaces import DCTERMS, GLO, SCHEMA
from . import Context, Row, membership_iri, read_csv, write_membership

NETWORK_COLUMNS = ["id", "label", "name", "description", "themes", "source"]
MEMBERSHIP_COLUMNS = ["member", "network", "role", "start_year", "end_year", "source"]
MEMBER_KINDS = ("city", "region", "metro", "country")


def ingest(context: Context, data_dir: Path) -> None:
    if (data_dir / "networks.csv").exists():
        for row in read_csv(data_dir / "networks.csv", NETWORK_COLUMNS):
            _network(context, row)
    if (data_dir / "memberships.csv").exists():
        for row in read_csv(data_dir / "memberships.csv", MEMBERSHIP_COLUMNS):
            _membership(context, row)


def _network(context: Context, row: Row) -> None:
    iri, graph = context.describe("network", row, GLO.CityNetwork, "label")
    context.add(graph, iri, SCHEMA.alternateName, Literal(row.text("name"), lang="en"))
    context.add(graph, iri, DCTERMS.description, Literal(row.text("description"), lang="en"))
    for theme in context.refs(row, "themes", ("theme",)):
        context.add(graph, iri, GLO.theme, theme)


def _membership(context: Context, row: Row) -> None:
    member = context.ref(row, "member", MEMBER_KINDS)
    network = context.ref(row, "network", ("network",))
    context.define_minted("membership", membership_iri(network, member).rsplit("/", 1)[1], row, "member")
    graph, source = context.source(row)
    start, end = row.integer("start_year", False), row.integer("end_year", False)
    if start is not None and end is not None and end < start:
        raise row.error("end_year", f"{end} is before the start year {start}")
    write_membership(context, graph, source, member, network, role=row.text("role", required=False),
                     start=start, end_year=end)

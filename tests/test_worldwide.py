"""The worldwide sources in the graph built with --worldwide: provenance per source, the two twinning sources side by
side, and bad rows skipped and counted (or fatal with --strict)."""

import shutil

import pytest

import glocal

pytestmark = pytest.mark.slow
from glocal.errors import DataError


def test_worldwide_twinnings_arrive_with_their_provenance(world_graph):
    rows = world_graph.query("""
        SELECT ?g (COUNT(DISTINCT ?t) AS ?n) WHERE {
          GRAPH ?g { ?t a glo:Twinning ; prov:wasDerivedFrom ?source }
          GRAPH glg:meta { ?g prov:wasDerivedFrom ?source }
        } GROUP BY ?g""").rows
    counts = {str(r["g"]).rsplit("/", 1)[1]: int(r["n"]) for r in rows}
    assert counts["twin-towns-wikipedia"] > 19_000
    assert counts["wikidata-p190-2016"] > 4_000
    # cities added from GeoNames carry their source and a country of their own
    assert world_graph.query("""ASK { GRAPH glg:geonames { city:jp-kameoka a glo:City ;
        prov:wasDerivedFrom source:geonames ; glo:geonamesId "1860635" ; glo:country country:jp } }""").boolean


def test_a_query_compares_wikipedia_and_wikidata(world_graph):
    rows = world_graph.run("twinnings-wikipedia-vs-wikidata", {"city": "city/de-berlin"}).rows
    agreement = {str(r["label"]): str(r["agreement"]) for r in rows}
    assert agreement["Berlin – Los Angeles"] == "both"
    assert set(agreement.values()) == {"both", "wikipedia only", "wikidata only"}


def test_german_us_twinnings_of_the_list_are_all_present_and_resolved(world_graph):
    n = world_graph.query("""SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {
        GRAPH glg:twin-towns-wikipedia { ?t a glo:Twinning ; glo:partner ?de, ?us }
        ?de glo:country country:de ; glo:geonamesId ?a . ?us glo:country country:us ; glo:geonamesId ?b }""")
    assert int(n.rows[0]["n"]) == 119  # data/tools/TWINNINGS.md: every resolvable pair of the 144


@pytest.mark.slow
def test_a_bad_row_is_skipped_and_counted_unless_strict(tmp_path, data_copy):
    listing = data_copy / "raw" / "twin-towns-wikipedia" / "twin_cities.csv"
    lines = listing.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(5, "Testtown,Atlantis,1.0,2.0,Berlin,Germany,52.5,13.4\n")
    listing.write_text("".join(lines), encoding="utf-8")
    report = glocal.build(tmp_path / "store", data_dir=data_copy, validate=False, worldwide=True)
    skipped = [str(e) for e in report.skipped["twin-towns-wikipedia"]]
    assert any("twin_cities.csv, line 6, field 'country1': unknown country 'Atlantis'" in s for s in skipped)
    assert report.notes["twin-towns-wikipedia"]["bad rows"] == len(skipped) == 8
    with pytest.raises(DataError, match="line 6, field 'country1'"):
        glocal.build(tmp_path / "strict", data_dir=data_copy, validate=False, strict=True, worldwide=True)


def test_resolve_report_lists_what_was_not_linked(cli, tmp_path):
    out = tmp_path / "review.csv"
    result = cli("resolve", "--report", out)
    assert result.exit_code == 0, result.output
    assert "pairs 19,407" in result.output
    assert "resolved climactor: linked 10,234" in result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("source,file,line,name,country,about,status,method,confidence")
    assert "Moosburg an der Isar (Germany),ambiguous" in text
    assert ",Rochester,United States," in text
    sources = {line.split(",", 1)[0] for line in text.splitlines()[1:]}
    assert sources == {"twin-towns-wikipedia", "wikidata-p190-2016", "climactor", "gcom-mycovenant",
                       "destatis-gemeindeverzeichnis", "brookings-metro-monitor"}


def test_build_summary_counts_skipped_rows(cli, tmp_path, data_copy):
    shutil.rmtree(data_copy / "raw" / "wikidata-p190-2016")
    result = cli("build", "--store", tmp_path / "s", "--data", data_copy, "--quiet", "--worldwide")
    assert result.exit_code == 0, result.output
    assert "Skipped 7 bad rows of twin-towns-wikipedia" in result.output
    assert "line 12150, field 'country2': unknown country 'in Italy'" in result.output


def test_climactor_memberships_arrive_with_their_provenance(world_graph):
    assert world_graph.query("""ASK { GRAPH glg:climactor {
        ?m a glo:Membership ; org:member city:de-heidelberg ; org:organization network:c40 ;
           prov:wasDerivedFrom source:climactor }
        source:climactor dct:license ?licence FILTER(CONTAINS(?licence, "non-commercial")) }""").boolean
    rows = world_graph.query("""SELECT ?network (COUNT(DISTINCT ?city) AS ?n) WHERE { GRAPH glg:climactor {
        ?m org:member ?city ; org:organization ?network } } GROUP BY ?network""").rows
    counts = {str(r["network"]).rsplit("/", 1)[1]: int(r["n"]) for r in rows}
    assert counts["gcom"] > 5000 and counts["eu-covenant-of-mayors"] > 2000 and 50 < counts["c40"] < 100


def test_climactor_bad_byte_and_unknown_country_are_skipped_with_file_line_field():
    from pathlib import Path

    from glocal import ingest

    context = ingest.Context(worldwide=True)
    ingest.ingest(Path(__file__).parent / "golden" / "climactor", context)
    skipped = sorted(str(e).split("climactor/")[-1] for e in context.skipped["climactor"])
    assert skipped == [
        "subnational_contextuals_database_Dec2022.csv, line 3, field 'state': is not valid UTF-8 (byte 0xca)",
        "subnational_contextuals_database_Dec2022.csv, line 6, field 'iso': unknown country code 'XXX'"]
    with pytest.raises(DataError, match="line 3, field 'state'"):
        ingest.ingest(Path(__file__).parent / "golden" / "climactor", ingest.Context(strict=True, worldwide=True))


def test_network_questions_on_the_worldwide_graph(world_graph):
    """The query library's network questions, answered with the ClimActor memberships."""
    several = world_graph.run("cities-in-several-networks", {"minimum": 2}).rows
    mexico = next(r for r in several if r["name"] == "Mexico City")
    assert len(several) > 3000 and mexico["networks"] == 5 and "C40" in mexico["memberOf"]
    c40 = world_graph.run("c40-twinned-with-other-networks").rows
    assert ("Abidjan", "Marseille") in {(r["name"], r["partnerName"]) for r in c40}
    assert not any("C40" in r["partnerNetworks"] for r in c40)
    pairs = {(r["germanCity"], r["americanCity"]) for r in world_graph.run("german-us-pairs-in-climate-networks").rows}
    assert {("Berlin", "Los Angeles"), ("Frankfurt am Main", "Philadelphia")} <= pairs


def test_mycovenant_bad_rows_are_skipped_with_file_line_field(tmp_path):
    from pathlib import Path

    from glocal import ingest

    folder = Path(__file__).parent / "golden" / "gcom-mycovenant"
    context = ingest.Context(worldwide=True)
    ingest.ingest(folder, context)
    skipped = [str(e).split("gcom-mycovenant/")[-1] for e in context.skipped["gcom-mycovenant"]]
    assert skipped == [
        "signatories.csv, line 9, field 'organisation_latitude': 'null' is not a number",
        "signatories.csv, line 10, field 'country_code': unknown country code 'xx'",
        "signatories.csv, line 11, field 'date_of_adhesion': '2010-13-45' is not a date (YYYY-MM-DD)"]
    notes = context.notes["gcom-mycovenant"]
    assert notes["group signatories left out"] == 1 and notes["memberships"] == 6
    with pytest.raises(DataError, match="line 9, field 'organisation_latitude'"):
        ingest.ingest(folder, ingest.Context(strict=True, worldwide=True))
    copy = tmp_path / "data"
    shutil.copytree(folder, copy)
    listing = copy / "raw" / "gcom-mycovenant" / "signatories.csv"
    listing.write_text(listing.read_text(encoding="utf-8").replace(",date_of_adhesion,", ",date,", 1), encoding="utf-8")
    with pytest.raises(DataError, match="signatories.csv, line 1: header lacks column.s. date_of_adhesion"):
        ingest.ingest(copy, ingest.Context(worldwide=True))


def test_destatis_bad_records_are_skipped_with_file_line_field():
    from pathlib import Path

    from glocal import ingest

    folder = Path(__file__).parent / "golden" / "destatis-gemeindeverzeichnis"
    context = ingest.Context(worldwide=True)
    ingest.ingest(folder, context)
    skipped = [str(e).split("destatis-gemeindeverzeichnis/")[-1] for e in context.skipped["destatis-gemeindeverzeichnis"]]
    assert skipped == [
        "gemeinden.csv, line 8, field 'bevoelkerung': '1 2O6' is not a number",
        "gemeinden.csv, line 9, field 'bezeichnung': is not valid UTF-8 (byte 0xfc)",
        ("gemeinden.csv, line 10, field 'gemeinde': '0105107' (land + rb + kreis + gemeinde) is not an eight-digit "
         "AGS of a Land")]
    assert context.notes["destatis-gemeindeverzeichnis"] == {
        "municipalities": 5, "unincorporated areas left out": 1, "linked": 3, "cities of their own": 2,
        "left out (a namesake city exists)": 0}
    # the Lehesten whose only GeoNames namesake lies 57 km away is not linked to it
    lehesten = [r.resolution for r in context.resolutions if r.name == "Lehesten, Stadt"]
    assert lehesten[0].status == "unresolved" and "km from the town hall" in lehesten[0].note
    with pytest.raises(DataError, match="line 8, field 'bevoelkerung'"):
        ingest.ingest(folder, ingest.Context(strict=True, worldwide=True))

"""The Brookings Metro Monitor editions (ingest/metro_monitor.py): bad rows, CBSA names, principal cities.

The golden case tests/golden/metro-monitor checks the quads; tests/test_worldwide.py the built graph.
"""

import shutil
from pathlib import Path

import pytest

from glocal import ingest
from glocal.errors import DataError
from glocal.ingest.metro_monitor import SOURCE, principal_city_names
from glocal.namespaces import GLO

GOLDEN = Path(__file__).parent / "golden" / "metro-monitor"


@pytest.fixture
def folder(tmp_path) -> Path:
    """The golden case with the 2019 edition only (the editions that name metros need the gazetteer)."""
    copy = tmp_path / "data"
    shutil.copytree(GOLDEN, copy)
    for name in ("cbsa_metromonitor_2020.csv", "cbsa_metromonitor_2021.csv", "metro_monitor.csv"):
        (copy / "raw" / SOURCE / name).unlink()
    return copy


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "raw" / SOURCE / "cbsa_metromonitor.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def read(folder: Path, strict: bool = False) -> ingest.Context:
    return ingest.ingest(folder, ingest.Context(worldwide=True, strict=strict))


def test_a_bad_number_is_skipped_and_counted_unless_strict(folder):
    before = read(folder).notes[SOURCE]["observations 2019 edition"]
    edit(folder, "2017,58746.7727368283", "2017,58746.77x")
    context = read(folder)
    skipped = [str(e).split(SOURCE + "/")[-1] for e in context.skipped[SOURCE]]
    assert skipped == ["cbsa_metromonitor.csv, line 2, field 'average_annual_wage': '58746.77x' is not a number",
                       "cbsa_metromonitor.csv, line 7, field 'cbsa_code': '2' is not a five-digit CBSA code"]
    # the whole row is skipped: the three 2007-2017 ranks only it holds (its growth rank is in
    # observations.csv, its values repeat on lines 3 and 4)
    assert context.notes[SOURCE]["observations 2019 edition"] == before - 3
    with pytest.raises(DataError, match="cbsa_metromonitor.csv, line 2, field 'average_annual_wage'"):
        read(folder, strict=True)


def test_a_contradicting_repeat_is_skipped_and_an_equal_one_merged(folder):
    edit(folder, "12420,2012-2017,NA,NA,3,12,51,2017,58746.7727368283", "12420,2012-2017,NA,NA,3,12,51,2017,1")
    context = read(folder)
    skipped = [str(e).split(SOURCE + "/")[-1] for e in context.skipped[SOURCE]]
    assert "cbsa_metromonitor.csv, line 3, field 'average_annual_wage': 1 contradicts 58746.7727368283 of line 2" \
        in skipped
    assert context.notes[SOURCE]["repeated values merged"] > 0


def test_a_missing_column_fails_the_source_with_file_and_column(folder):
    edit(folder, ",growth_rank,", ",growth,")
    with pytest.raises(DataError, match=r"cbsa_metromonitor.csv, line 1: header lacks column\(s\) growth_rank"):
        read(folder)


def test_the_united_states_is_kept_and_aggregates_are_left_out(folder):
    context = read(folder)
    assert context.notes[SOURCE]["aggregate rows left out"] == 0  # 99999 is the country, not an aggregate
    us = set(context.dataset.subjects(GLO.refArea, ingest.entity("country", "us")))
    assert len(us) == 11  # the values of line 5 (99999) that are not NA


@pytest.mark.parametrize("name, whole, expected", [
    ("Austin-Round Rock-Georgetown, TX Metropolitan Statistical Area", False,
     (["Austin", "Round Rock", "Georgetown"], ["TX"])),
    ("Nashville-Davidson--Murfreesboro--Franklin, TN Metropolitan Statistical Area", False,
     (["Nashville-Davidson", "Murfreesboro", "Franklin"], ["TN"])),
    ("Winston-Salem, NC Metropolitan Statistical Area", True, (["Winston-Salem"], ["NC"])),
    ("Louisville/Jefferson County, KY-IN Metropolitan Statistical Area", False, (["Louisville"], ["KY", "IN"])),
    ("Top 100 Largest Metropolitan Areas", False, ([], [])),
])
def test_principal_city_names_from_the_cbsa_name(name, whole, expected):
    assert principal_city_names(name, lambda _name, _states: whole) == expected

"""Emissions sources (ingest/emissions.py) on the golden excerpts: bad rows are skipped and counted with
file, line and field (fatal with strict), a missing column fails the source, periods are read right, and
what the module writes conforms to the SHACL shapes."""

import shutil
from pathlib import Path

import pytest

from glocal import ValidationError, ingest
from glocal.builder import read_ontology
from glocal.errors import DataError
from glocal.ingest import Row, entity
from glocal.ingest.emissions import period
from glocal.namespaces import GLO
from glocal.quads import Quads
from glocal.resources import ontology_dir
from glocal.validate import check

GOLDEN = Path(__file__).parent / "golden"
C40_FILE = Path("raw/c40-ghg-inventories/C40_GPC_inventories.csv")
CDP_FILE = Path("raw/cdp-city-emissions/2018_City-wide_Emissions.csv")


@pytest.fixture
def excerpt(tmp_path):
    """Writable copies of the two golden excerpts."""
    for case in ("c40-ghg-inventories", "cdp-city-emissions"):
        shutil.copytree(GOLDEN / case, tmp_path / case)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def gazetteer():
    """One GeoNames gazetteer for the module (loading it takes seconds)."""
    return ingest.Context().gazetteer()


@pytest.fixture
def run(gazetteer):
    """Ingest a folder as the worldwide build does → the context."""
    def run(folder: Path, strict: bool = False) -> ingest.Context:
        context = ingest.Context(worldwide=True, strict=strict, _gazetteer=gazetteer)
        ingest.ingest(folder, context)
        return context
    return run


def skipped(context: ingest.Context, source: str) -> list[str]:
    return [str(e).split(f"{source}/")[-1] for e in context.skipped.get(source, [])]


def test_a_bad_number_is_skipped_with_file_line_field(excerpt, run):
    folder = excerpt / "c40-ghg-inventories"
    edit(folder / C40_FILE, "953935.095285382", "953935.09x")
    context = run(folder)
    assert skipped(context, "c40-ghg-inventories") == [
        "C40_GPC_inventories.csv, line 5, field 'BASIC': '953935.09x' is not a number"]
    assert context.notes["c40-ghg-inventories"]["inventories"] == 8  # 9 rows, one skipped
    with pytest.raises(DataError, match="C40_GPC_inventories.csv, line 5, field 'BASIC'"):
        run(folder, strict=True)


def test_an_unknown_country_is_skipped_with_file_line_field(excerpt, run):
    folder = excerpt / "cdp-city-emissions"
    edit(folder / CDP_FILE, "Jammerbugt,Denmark", "Jammerbugt,Atlantis")
    context = run(folder)
    assert skipped(context, "cdp-city-emissions") == [
        "2018_City-wide_Emissions.csv, line 2, field 'Country': unknown country 'Atlantis'"]
    with pytest.raises(DataError, match="line 2, field 'Country'"):
        run(folder, strict=True)


def test_a_target_with_a_bad_percentage_is_skipped(excerpt, run):
    folder = excerpt / "cdp-city-emissions"
    targets = folder / "raw/cdp-city-emissions/2021_Cities_Emissions_Reduction_Targets.csv"
    before = run(folder).notes["cdp-city-emissions"]
    edit(targets, "29300000,40,2020", "29300000,forty,2020")
    context = run(folder)
    [error] = skipped(context, "cdp-city-emissions")
    assert error.startswith("2021_Cities_Emissions_Reduction_Targets.csv, line ")
    assert error.endswith("field 'Percentage.reduction.target': 'forty' is not a number")
    after = context.notes["cdp-city-emissions"]
    assert (after["target rows"], after["targets"]) == (before["target rows"] - 1, before["targets"] - 1)


def test_a_missing_column_fails_the_source_naming_file_and_column(excerpt, run):
    folder = excerpt / "c40-ghg-inventories"
    edit(folder / C40_FILE, "City,Country,Region,Boundary,Year,", "City,Nation,Region,Boundary,Year,")
    with pytest.raises(DataError, match=r"C40_GPC_inventories.csv, line 1: header lacks column\(s\) Country"):
        run(folder)


def test_repeated_figures_are_skipped_not_duplicated(excerpt, run):
    folder = excerpt / "c40-ghg-inventories"
    lines = (folder / C40_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / C40_FILE).write_text("".join(lines + [lines[4]]), encoding="utf-8")
    context = run(folder)
    assert skipped(context, "c40-ghg-inventories") == [
        ("C40_GPC_inventories.csv, line 11, field 'BASIC': repeats the ghg-emissions-gpc-basic of Heidelberg "
        "for 2018 given at line 5")]


@pytest.mark.parametrize("text, expected", [
    ("2015-01-01 - 2015-12-31", "2015"), ("2014-07-01 - 2015-06-30", "2014-2015"),
    ("2016-01-01 - 2017-01-01", "2016"), ("12/31/2014 12:00:00 AM", "2014"), ("6/30/2015 12:00:00 AM", "2014-2015"),
    ("2018", "2018"), ("July 2014 - 2015 June", "2014-2015"), ("01 January 2016 - 31 December 2016", "2016")])
def test_inventory_periods(text, expected):
    assert period(Row(Path("f.csv"), 2, {"Year": text}), "Year") == expected


@pytest.mark.parametrize("text", ["2005-01-01 - 2012-12-31", "2015-04-01 - 2015-03-31", "-", "2005-2012"])
def test_periods_longer_than_a_year_are_bad(text):
    with pytest.raises(DataError, match="f.csv, line 2, field 'Year'"):
        period(Row(Path("f.csv"), 2, {"Year": text}), "Year")


def test_emissions_conform_to_the_shapes_and_a_target_needs_its_year(gazetteer):
    context = ingest.Context(worldwide=True, _gazetteer=gazetteer)
    read_ontology(context.dataset, ontology_dir())
    ingest.ingest(GOLDEN / "cdp-city-emissions", context)
    check(context.dataset)
    target = entity("practice", "cdp-2021-target-31165-1")
    without_year = Quads()
    for s, p, o, g in context.dataset.quads():
        if (s, p) != (target, GLO.targetYear):
            without_year.add((s, p, o, g))
    with pytest.raises(ValidationError, match="glo:targetYear"):
        check(without_year)

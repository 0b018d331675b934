#!/usr/bin/env python3
"""Copy what the emissions sources need from ../shared/sources into data/raw/ (offline, byte-stable).

Outputs (re-running gives byte-identical files):
  data/raw/c40-ghg-inventories/C40_GPC_inventories.csv
      the inventory rows of the sheet "GHG Dashboard Data - Inventory" of C40_GPC_Database.xlsx
      (rows with a city), columns City … Level and the aggregates BASIC, BASIC+; cells as the
      workbook holds them (numbers in Python's shortest round-trip form, text stripped of tabs)
  data/raw/cdp-city-emissions/<year file>.csv
      the columns of each CDP city-wide emissions file that the build reads (header names unchanged),
      only the rows that give at least one emissions figure; cells unchanged
  data/raw/cdp-city-emissions/2021_Cities_Emissions_Reduction_Targets.csv
      the columns of the 2021 targets file that the build reads, only the rows of a target type
      (not "No target" or "NA"); cells unchanged

Needs openpyxl (only this tool: the build reads the CSV files).
"""
from __future__ import annotations

import csv
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO.parent / "shared" / "sources"
RAW = REPO / "data" / "raw"

C40_COLUMNS = ["City", "Country", "Region", "Boundary", "Year", "Year_calendar", "Level", "Population",
               "BASIC", "BASIC+"]
NOT_A_FIGURE = {"", "Not Applicable", "NA"}

# CDP file → (columns kept, the emissions columns of which one must be filled)
CDP_FILES = {
    "2016_-_Citywide_GHG_Emissions.csv": (
        ["Account Number", "City Name", "City Short Name", "Country", "Reporting Year", "Measurement Year",
         "Current Population", "City Location"],
        ["Total City-wide Emissions (metric tonnes CO2e)", "Total Scope 1 Emissions (metric tonnes CO2e)",
         "Total Scope 2 Emissions (metric tonnes CO2e)"]),
    "2017_-_Cities_Community_Wide_Emissions.csv": (
        ["Account number", "Organization", "City", "Country", "Reporting year", "Accounting year",
         "Scopes Included ", "Population", "City Location"],
        ["Total emissions (metric tonnes CO2e)", "Total Scope 1 Emissions (metric tonnes CO2e)",
         "Total Scope 2 Emissions (metric tonnes CO2e)"]),
    **{name: (
        ["Year Reported to CDP", "Account Number", "Organization", "City", "Country", "Accounting Year",
         "Population", "City Location"],
        ["Total Scope 1 Emissions (metric tonnes CO2e)", "Total Scope 2 Emissions (metric tonnes CO2e)",
         "Total Scope 3 emissions (metric tonnes CO2e)", "Total BASIC Emissions (GPC)",
         "Total BASIC+ Emissions (GPC)"]) for name in ("2018_City-wide_Emissions.csv", "2019_City-wide_Emissions.csv")},
    **{name: (
        ["Year Reported to CDP", "Account Number", "Organization", "City", "Country", "Accounting year",
         "Population", "City Location"],
        ["TOTAL Scope 1 Emissions (metric tonnes CO2e)", "TOTAL Scope 2 emissions (metric tonnes CO2e)",
         "TOTAL Scope 3 Emissions", "TOTAL BASIC Emissions (GPC)", "TOTAL BASIC+ Emissions (GPC)"])
       for name in ("2020_-_City-Wide_Emissions.csv", "2021_City-wide_Emissions.csv")},
}
TARGETS = "2021_Cities_Emissions_Reduction_Targets_clean_names.csv"
TARGET_COLUMNS = [
    "Year.Reported.to.CDP", "Account.Number", "Organization", "City", "Country", "Type.of.target", "Sector",
    "Target.boundary.relative.to.city.boundary", "Base.year", "Year.target.was.set",
    "Base.year.emissions..metric.tonnes.CO2e.", "Percentage.reduction.target", "Target.year",
    "Target.year.absolute.emissions..metric.tonnes.CO2e.", "Population", "City.Location", "name", "iso"]


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return " ".join(str(value).split())


def prepare_c40() -> None:
    import openpyxl

    book = openpyxl.load_workbook(SOURCES / "c40-ghg-inventories" / "C40_GPC_Database.xlsx",
                                  read_only=True, data_only=True)
    rows = book["GHG Dashboard Data - Inventory"].iter_rows(values_only=True)
    header = [cell(h) for h in next(rows)]
    index = [header.index(c) for c in C40_COLUMNS]
    kept = [[cell(r[i]) for i in index] for r in rows if cell(r[header.index("City")])]
    write(RAW / "c40-ghg-inventories" / "C40_GPC_inventories.csv", C40_COLUMNS, kept)


def prepare_cdp() -> None:
    source = SOURCES / "cdp-city-emissions"
    for name, (ids, figures) in CDP_FILES.items():
        header, rows = read(source / name)
        kept = [[r[c] for c in ids + figures] for r in rows if any(r[c].strip() not in NOT_A_FIGURE for c in figures)]
        write(RAW / "cdp-city-emissions" / name, ids + figures, kept, len(rows))
    header, rows = read(source / TARGETS)
    kept = [[r[c] for c in TARGET_COLUMNS] for r in rows if r["Type.of.target"] not in ("No target", "NA")]
    write(RAW / "cdp-city-emissions" / "2021_Cities_Emissions_Reduction_Targets.csv", TARGET_COLUMNS, kept, len(rows))


def read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        return reader.fieldnames, list(reader)


def write(path: Path, header: list[str], rows: list[list[str]], read_rows: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{path.relative_to(REPO)}: {len(rows)} rows" + (f" of {read_rows}" if read_rows is not None else ""))


if __name__ == "__main__":
    prepare_c40()
    prepare_cdp()

#!/usr/bin/env python3
"""Copy what the worldwide twinnings need from ../shared/sources into data/ (offline, deterministic).

Outputs (re-running gives byte-identical files):
  data/raw/twin-towns-wikipedia/twin_cities.csv           unchanged copy (25,917 geocoded listings)
  data/raw/twin-towns-wikipedia/twin_cities_raw_only.csv  the rows of twin_cities_raw.csv that
                                                          twin_cities.csv lacks (not geocoded), lines unchanged
  data/raw/wikidata-p190-2016/names.tsv, relations.tsv    unchanged copies
  data/raw/brookings-metro-monitor/*.csv                   unchanged copies of the four Metro Monitor files
  data/wikidata-items.csv   for every QID of names.tsv that the wikidata-locode-crosswalk knows: its
                            UN/LOCODE country (first two letters) and latest Wikidata population
"""
from __future__ import annotations

import csv
import io
import shutil
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO.parent / "shared" / "sources"
DATA = REPO / "data"


def copy_twinnings() -> None:
    src, out = SOURCES / "twin-towns-wikipedia", DATA / "raw" / "twin-towns-wikipedia"
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / "twin_cities.csv", out / "twin_cities.csv")
    with open(src / "twin_cities.csv", encoding="utf-8", newline="") as f:
        geocoded = {(r["city1"], r["country1"], r["city2"], r["country2"]) for r in csv.DictReader(f)}
    lines = (src / "twin_cities_raw.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    keep = [line for line in lines[1:] if tuple(next(csv.reader([line]))) not in geocoded]
    (out / "twin_cities_raw_only.csv").write_text(lines[0] + "".join(keep), encoding="utf-8", newline="")
    print(f"twin_cities.csv: {len(geocoded)} rows; raw rows not geocoded: {len(keep)}")


def crosswalk(folder: Path) -> tuple[dict[str, set[str]], dict[str, tuple[int, int]]]:
    """QID → its UN/LOCODE countries, and QID → (year, population) of its latest Wikidata population."""
    country: dict[str, set[str]] = defaultdict(set)
    for name in ("match1.csv", "match2.csv", "match3.csv"):
        with open(folder / name, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                country[r["wikidata_id"]].add(r["LOCODE"].replace(" ", "")[:2])
    with open(folder / "ActorIdentifier.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            country[r["identifier"]].add(r["actor_id"].replace(" ", "")[:2])
    population: dict[str, tuple[int, int]] = {}
    with open(folder / "wikidata-city-population.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            q = r["item"].rsplit("/", 1)[1]
            country[q].add(r["locode"].replace(" ", "")[:2])
            try:
                year, pop = int(r["populationYear"]), int(float(r["population"]))
            except ValueError:
                continue
            if q not in population or (year, pop) > population[q]:
                population[q] = (year, pop)
    return country, population


def copy_wikidata() -> None:
    src, out = SOURCES / "wikidata-p190-2016", DATA / "raw" / "wikidata-p190-2016"
    out.mkdir(parents=True, exist_ok=True)
    for name in ("names.tsv", "relations.tsv"):
        shutil.copyfile(src / name, out / name)
    qids = {line.split("\t", 1)[0] for line in (src / "names.tsv").read_text(encoding="utf-8").splitlines()}
    country, population = crosswalk(SOURCES / "wikidata-locode-crosswalk")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["qid", "countries", "population", "population_year", "source"])
    rows = 0
    for q in sorted(qids & set(country), key=lambda q: int(q[1:])):
        year, pop = population.get(q, ("", ""))
        w.writerow([q, ";".join(sorted(country[q])), pop, year, "wikidata-locode-crosswalk"])
        rows += 1
    (DATA / "wikidata-items.csv").write_text(buf.getvalue(), encoding="utf-8")
    print(f"wikidata-items.csv: {rows} of {len(qids)} P190 QIDs have a LOCODE country")


def copy_metro_monitor() -> None:
    src, out = SOURCES / "brookings-metro-monitor", DATA / "raw" / "brookings-metro-monitor"
    out.mkdir(parents=True, exist_ok=True)
    for name in ("metro_monitor.csv", "cbsa_metromonitor.csv", "cbsa_metromonitor_2020.csv",
                 "cbsa_metromonitor_2021.csv"):
        shutil.copyfile(src / name, out / name)


if __name__ == "__main__":
    copy_twinnings()
    copy_wikidata()
    copy_metro_monitor()

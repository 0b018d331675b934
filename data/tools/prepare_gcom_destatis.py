#!/usr/bin/env python3
"""Copy what the GCoM signatories and the German municipalities need from ../shared/sources into data/raw/.

Offline and deterministic (re-running gives byte-identical files); needs openpyxl, the build does not:
  data/raw/gcom-mycovenant/signatories.csv   the columns the build reads of sheet "1" of
      df1_Signatories_2024.xlsx, rows in workbook order, values as given ('-' = missing) except:
      dates as YYYY-MM-DD, booleans as true/false, numbers as Python writes them
  data/raw/destatis-gemeindeverzeichnis/gemeinden.csv   the header and the municipality records
      (satzart 60) of AuszugGV4QAktuell.csv, bytes unchanged (UTF-8 with BOM)
"""
from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO.parent / "shared" / "sources"
RAW = REPO / "data" / "raw"
GCOM_COLUMNS = ["organisation_id", "organisation_name", "country_code", "organisation_latitude",
                "organisation_longitude", "group_profile", "signatory_status", "date_of_adhesion", "gcom_id"]


def cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time():
            raise ValueError(f"date with a time of day: {value}")
        return value.date().isoformat()
    return "" if value is None else str(value)


def convert_gcom() -> None:
    import openpyxl

    book = openpyxl.load_workbook(SOURCES / "gcom-mycovenant" / "df1_Signatories_2024.xlsx", read_only=True)
    rows = book["1"].iter_rows(values_only=True)
    header = list(next(rows))
    keep = [header.index(c) for c in GCOM_COLUMNS]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(GCOM_COLUMNS)
    count = 0
    for row in rows:
        if any(v is not None for v in row):
            writer.writerow([cell(row[i]) for i in keep])
            count += 1
    out = RAW / "gcom-mycovenant"
    out.mkdir(parents=True, exist_ok=True)
    (out / "signatories.csv").write_text(buf.getvalue(), encoding="utf-8", newline="")
    print(f"signatories.csv: {count} signatories")


def copy_municipalities() -> None:
    lines = (SOURCES / "destatis-gemeindeverzeichnis" / "AuszugGV4QAktuell.csv").read_bytes().splitlines(keepends=True)
    keep = [line for line in lines[1:] if line.startswith(b"60,")]
    out = RAW / "destatis-gemeindeverzeichnis"
    out.mkdir(parents=True, exist_ok=True)
    (out / "gemeinden.csv").write_bytes(lines[0] + b"".join(keep))
    print(f"gemeinden.csv: {len(keep)} municipality records of {len(lines) - 1}")


if __name__ == "__main__":
    convert_gcom()
    copy_municipalities()

"""The review file of the resolver: one row per listed place, with candidates and evidence."""

from __future__ import annotations

import csv
from pathlib import Path

COLUMNS = ["file", "line", "name", "country", "partner", "status", "method", "confidence",
           "geonames_id", "resolved_name", "admin1", "distance_km", "population", "candidates", "note"]


def resolution_summary(outcome) -> list[str]:
    counts = outcome.counts()
    lines = [f"{k}: {v:,}" for k, v in counts.items()]
    lines += [f"bad row: {e}" for e in outcome.bad_rows]
    return lines


def write_report(outcome, path: Path, everything: bool = False) -> int:
    """Write the review CSV; returns the number of rows (unlinked places, or all with everything)."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(COLUMNS)
        for listing in outcome.listings:
            for side, other, r in zip(listing.sides, reversed(listing.sides), listing.resolutions):
                if r.linked and not everything:
                    continue
                p = r.place
                candidates = "; ".join(
                    f"{c.place.geonames_id} {c.place.name} ({c.place.country}-{c.place.admin1}) "
                    f"pop {c.place.population} {c.name_match}"
                    + ("" if c.distance_km is None else f" {c.distance_km} km") for c in r.candidates)
                writer.writerow([listing.path.name, listing.line, side.name, side.country,
                                 f"{other.name} ({other.country})", r.status, r.method or "", r.confidence,
                                 p.geonames_id if p else "", p.name if p else "", p.admin1 if p else "",
                                 "" if r.distance_km is None else r.distance_km,
                                 p.population if p else "", candidates, r.note])
                rows += 1
    return rows

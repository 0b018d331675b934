"""The review file of the resolver: one row per place a source names, with candidates and evidence."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

COLUMNS = ["source", "file", "line", "name", "country", "about", "status", "method", "confidence",
           "geonames_id", "resolved_name", "admin1", "distance_km", "population", "candidates", "note"]


def resolution_summary(resolutions) -> list[str]:
    """One line per source: how many of its places were linked, ambiguous or unresolved."""
    counts: dict[str, Counter] = {}
    for record in resolutions:
        counts.setdefault(record.source_id, Counter())[record.resolution.status] += 1
    return [f"{source}: " + ", ".join(f"{status} {count[status]:,}" for status in
                                      ("linked", "ambiguous", "unresolved"))
            for source, count in counts.items()]


def write_report(resolutions, path: Path, everything: bool = False) -> int:
    """Write the review CSV; returns the number of rows (places not linked, or all with everything)."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(COLUMNS)
        for record in resolutions:
            r = record.resolution
            if r.linked and not everything:
                continue
            p = r.place
            candidates = "; ".join(
                f"{c.place.geonames_id} {c.place.name} ({c.place.country}-{c.place.admin1}) "
                f"pop {c.place.population} {c.name_match}"
                + ("" if c.distance_km is None else f" {c.distance_km} km") for c in r.candidates)
            writer.writerow([record.source_id, record.path.name, record.line or "", record.name,
                             record.country, record.about, r.status, r.method or "", r.confidence,
                             p.geonames_id if p else "", p.name if p else "", p.admin1 if p else "",
                             "" if r.distance_km is None else r.distance_km,
                             p.population if p else "", candidates, r.note])
            rows += 1
    return rows

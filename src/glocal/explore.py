"""The knowledge graph as a network: entities as nodes, their relations as edges (networkx).

`network(graph)` reads cities, countries, city networks, practices, challenges, themes and
indicators from a built graph, with what a reader needs to know about each (label, type, key
facts, sources, links to Wikidata / GeoNames / DBpedia). The views (`ego`, `by_network`,
`by_country`, `by_theme`, `from_construct`) cut a part out of it. The explorer (viz.py) draws it;
the analytics (analyze.py) measure it; `export_network` writes it as GraphML or GEXF.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .errors import GlocalError
from .namespaces import GLI, PREFIXES

KINDS = ("city", "country", "network", "practice", "challenge", "theme", "indicator")
TYPE_LABELS = {"City": "City", "Country": "Country", "CityNetwork": "City network", "Practice": "Practice",
               "Policy": "Policy", "BestPractice": "Best practice", "Partnership": "Partnership",
               "Indicator": "Indicator"}
SAME_AS_SITES = {"wikidata.org": "Wikidata", "geonames.org": "GeoNames", "dbpedia.org": "DBpedia"}

ENTITIES = """
SELECT ?e ?kind ?type ?label WHERE {
  { ?e a glo:City . BIND("city" AS ?kind) BIND("City" AS ?type) }
  UNION { ?e a glo:Country . BIND("country" AS ?kind) BIND("Country" AS ?type) }
  UNION { ?e a glo:CityNetwork . BIND("network" AS ?kind) BIND("CityNetwork" AS ?type) }
  UNION { ?e a glo:Indicator . BIND("indicator" AS ?kind) BIND("Indicator" AS ?type) }
  UNION { ?e a ?c . VALUES ?c { glo:Practice glo:Policy glo:BestPractice glo:Partnership }
          BIND("practice" AS ?kind) BIND(STRAFTER(STR(?c), STR(glo:)) AS ?type) }
  UNION { ?e skos:inScheme scheme:challenges . BIND("challenge" AS ?kind) BIND("Challenge" AS ?type) }
  UNION { ?e skos:inScheme scheme:themes . BIND("theme" AS ?kind) BIND("Theme" AS ?type) }
  OPTIONAL { ?e rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en") || LANG(?l) = "") }
  OPTIONAL { ?e skos:prefLabel ?p FILTER(LANGMATCHES(LANG(?p), "en")) }
  BIND(COALESCE(?l, ?p) AS ?label)
}"""

FACTS = """
SELECT ?e ?name ?value WHERE {
  VALUES (?p ?name) { (glo:iso2 "ISO code") (glo:geonamesId "GeoNames id") (glo:wikidataId "Wikidata id")
                      (schema:population "Population") (geo:lat "Latitude") (geo:long "Longitude")
                      (schema:alternateName "Also called") (glo:unit "Unit") (dct:description "Description")
                      (skos:definition "Definition") }
  ?e ?p ?value .
}"""

PLACES = """
SELECT ?e ?name ?value WHERE {
  { ?e glo:country ?x . BIND("Country" AS ?name) }
  UNION { ?e schema:containedInPlace ?x . BIND("Region" AS ?name) }
  ?x rdfs:label ?value FILTER(LANGMATCHES(LANG(?value), "en") || LANG(?value) = "")
}"""

SOURCES = """
SELECT DISTINCT ?e ?title ?origin WHERE {
  { ?e prov:wasDerivedFrom ?s } UNION { ?e dct:source ?s FILTER(isIRI(?s)) }
  ?s dct:title ?title .
  OPTIONAL { ?s dct:source ?origin }
}"""

SAME_AS = "SELECT ?e ?o WHERE { { ?e owl:sameAs ?o } UNION { ?e skos:exactMatch ?o } FILTER(isIRI(?o)) }"

EDGES = """
SELECT ?a ?b ?relation ?source WHERE {
  { ?t a glo:Twinning ; glo:partner ?a, ?b . ?a glo:twinnedWith ?b FILTER(STR(?a) < STR(?b))
    OPTIONAL { ?t prov:wasDerivedFrom ?s } BIND("twinned with" AS ?relation) }
  UNION { ?m a glo:Membership ; org:member ?a ; org:organization ?b . ?a org:memberOf ?b
          OPTIONAL { ?m prov:wasDerivedFrom ?s } BIND("member of" AS ?relation) }
  UNION { ?a a glo:City ; glo:country ?b . BIND("in country" AS ?relation) }
  UNION { ?a glo:implementedBy ?b . BIND("implemented by" AS ?relation) }
  UNION { ?a glo:addresses ?b . BIND("addresses" AS ?relation) }
  UNION { ?a glo:theme ?b . BIND("theme" AS ?relation) }
  OPTIONAL { ?s dct:title ?source }
}"""


def curie(iri: str) -> str:
    """city:de-berlin for a Glocal IRI; other IRIs unchanged.

    >>> curie("https://w3id.org/glocal/id/city/de-berlin")
    'city:de-berlin'
    """
    if iri.startswith(str(GLI)):
        kind, _, slug = iri[len(GLI):].partition("/")
        if kind in PREFIXES and "/" not in slug:
            return f"{kind}:{slug}"
    return iri


def links_out(facts: dict, same_as: list[str]) -> list[list[str]]:
    """Links to the open-data world from the ids a node carries and its owl:sameAs / skos:exactMatch.

    >>> links_out({"Wikidata id": "Q64", "GeoNames id": "2950159"}, ["http://dbpedia.org/resource/Berlin"])
    [['Wikidata', 'https://www.wikidata.org/wiki/Q64'], ['GeoNames', 'https://www.geonames.org/2950159'], \
['DBpedia', 'http://dbpedia.org/resource/Berlin']]
    """
    links = {}
    if "Wikidata id" in facts:
        links["Wikidata"] = f"https://www.wikidata.org/wiki/{facts['Wikidata id']}"
    if "GeoNames id" in facts:
        links["GeoNames"] = f"https://www.geonames.org/{facts['GeoNames id']}"
    for iri in same_as:
        host = iri.split("/")[2] if iri.count("/") >= 2 else ""
        for site, name in SAME_AS_SITES.items():
            if host == site or host.endswith("." + site):
                links.setdefault(name, iri)
    return [[name, url] for name, url in links.items()]


def network(graph) -> nx.Graph:
    """The entities of a built graph (KnowledgeGraph) as an attributed, undirected networkx graph.

    Node ids are compact IRIs (city:de-berlin). Node attributes: kind (one of KINDS), type,
    label, iri, country (ISO code of cities and countries), networks (labels), themes (ids),
    facts ([name, value] pairs), sources ([title, origin]), links ([site, url]), lat/lon and
    population where known. Edge attributes: relation and sources.
    """
    g = nx.Graph()
    for row in graph.query(ENTITIES).rows:
        node = curie(row["e"])
        if node in g and row["type"] == "Practice":  # typed Practice and Policy: keep Policy
            continue
        g.add_node(node, kind=row["kind"], type=TYPE_LABELS.get(row["type"], row["type"]),
                   label=row["label"] or node, iri=row["e"], networks=[], themes=[], sources=[])
    facts = defaultdict(dict)
    for query in (FACTS, PLACES):
        for row in graph.query(query).rows:
            node = curie(row["e"])
            if node in g and row["name"] not in facts[node]:
                facts[node][row["name"]] = row["value"]
    same_as = defaultdict(list)
    for row in graph.query(SAME_AS).rows:
        same_as[curie(row["e"])].append(row["o"])
    for node, data in g.nodes(data=True):
        found = facts.get(node, {})
        data["links"] = links_out(found, same_as.get(node, []))
        if "Latitude" in found and "Longitude" in found:
            data["lat"], data["lon"] = float(found.pop("Latitude")), float(found.pop("Longitude"))
        if "Population" in found:
            data["population"] = int(float(str(found["Population"])))
        if data["kind"] == "country":
            data["country"] = found.get("ISO code", "")
        data["facts"] = [[k, str(v)] for k, v in sorted(found.items())]
    for row in graph.query(SOURCES).rows:
        node = curie(row["e"])
        if node in g:
            g.nodes[node]["sources"].append([row["title"], row["origin"] or ""])
    for row in graph.query(EDGES).rows:
        a, b = curie(row["a"]), curie(row["b"])
        if a in g and b in g:
            if g.has_edge(a, b):
                if row["source"] and row["source"] not in g.edges[a, b]["sources"]:
                    g.edges[a, b]["sources"].append(row["source"])
                continue
            g.add_edge(a, b, relation=row["relation"], sources=[row["source"]] if row["source"] else [])
    for node, data in g.nodes(data=True):
        for other in g[node]:
            kind = g.nodes[other]["kind"]
            if kind == "network" and data["kind"] == "city":
                data["networks"].append(g.nodes[other]["label"])
            elif kind == "theme":
                data["themes"].append(other)
        if data["kind"] == "city":
            data["country"] = next((g.nodes[o]["country"] for o in g[node] if g.nodes[o]["kind"] == "country"), "")
        data["networks"].sort()
        data["themes"].sort()
        data["sources"].sort()
    return g


def resolve(g: nx.Graph, name: str, kinds: tuple[str, ...] = KINDS) -> str:
    """The node a user means: a compact IRI (city:de-berlin), city/de-berlin, a full IRI, or a
    label (case-insensitive). An unknown or ambiguous name is an error that lists candidates.

    >>> g = nx.Graph(); g.add_node("city:us-pa-pittsburgh", label="Pittsburgh", kind="city")
    >>> resolve(g, "pittsburgh"), resolve(g, "city/us-pa-pittsburgh")
    ('city:us-pa-pittsburgh', 'city:us-pa-pittsburgh')
    """
    text = name.strip()
    candidates = [text, text.replace("/", ":", 1), curie(text)]
    for candidate in candidates:
        if candidate in g and g.nodes[candidate]["kind"] in kinds:
            return candidate
    matches = sorted(n for n, d in g.nodes(data=True)
                     if d["kind"] in kinds and d["label"].casefold() == text.casefold())
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise GlocalError(f"'{name}' is ambiguous: {', '.join(matches)}")
    close = sorted(n for n, d in g.nodes(data=True)
                   if d["kind"] in kinds and text.casefold() in d["label"].casefold())[:5]
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise GlocalError(f"no {'/'.join(kinds) if len(kinds) < len(KINDS) else 'entity'} named '{name}' in the graph.{hint}")


def ego(g: nx.Graph, name: str, depth: int = 1) -> nx.Graph:
    """The ego network: everything within `depth` relations of an entity."""
    if depth < 0:
        raise GlocalError("--depth must be 0 or more")
    return g.subgraph(nx.single_source_shortest_path_length(g, resolve(g, name), cutoff=depth)).copy()


def by_network(g: nx.Graph, names: list[str]) -> nx.Graph:
    """The networks given, their member cities, the twinnings among them and their countries."""
    keep = set()
    for name in names:
        net = resolve(g, name, ("network",))
        keep |= {net, *(n for n in g[net] if g.nodes[n]["kind"] == "city")}
    keep |= {c for n in list(keep) for c in g[n] if g.nodes[c]["kind"] == "country"}
    return g.subgraph(keep).copy()


def by_country(g: nx.Graph, codes: list[str]) -> nx.Graph:
    """The cities of the countries given (ISO codes), the countries, and what they are linked to:
    their networks and practices, and the challenges and themes of those."""
    wanted = {c.strip().upper() for c in codes if c.strip()}
    places = {n for n, d in g.nodes(data=True) if d["kind"] in ("city", "country") and d.get("country") in wanted}
    if not places:
        raise GlocalError(f"no city or country with ISO code {', '.join(sorted(wanted))} in the graph")
    return g.subgraph(_with_context(g, places)).copy()


def by_theme(g: nx.Graph, name: str) -> nx.Graph:
    """A theme, the practices, networks and indicators with it, and their challenges and places."""
    theme = resolve(g, name if ":" in name else f"theme:{name}", ("theme",))
    direct = {theme, *g[theme]}
    keep = set(direct)
    for node in direct - {theme}:
        keep |= {n for n in g[node] if g.nodes[n]["kind"] != "theme"}
    return g.subgraph(keep).copy()


def by_country_level(g: nx.Graph) -> nx.Graph:
    """Cities aggregated to their countries: one node per country (at the mean of its cities'
    coordinates), edges counting the twinnings between the countries' cities and the members each
    network has in each country. For graphs too large to read city by city."""
    view = nx.Graph()
    members = defaultdict(list)
    for n, d in g.nodes(data=True):
        if d["kind"] == "city" and d.get("country"):
            members[d["country"]].append(d)
    node_of = {d["country"]: n for n, d in g.nodes(data=True) if d["kind"] == "country"}
    for code, cities in members.items():
        node_of.setdefault(code, f"country-of:{code}")
        placed = [c for c in cities if "lat" in c]
        attrs = {"kind": "country", "type": "Country", "label": code, "country": code, "iri": "",
                 "networks": [], "themes": [], "sources": [], "links": [], "facts": []}
        attrs.update(g.nodes[node_of[code]] if node_of[code] in g else {})
        attrs["facts"] = [*attrs["facts"], ["Cities", str(len(cities))]]
        if placed:
            attrs.update(lat=sum(c["lat"] for c in placed) / len(placed), lon=sum(c["lon"] for c in placed) / len(placed))
        view.add_node(node_of[code], **attrs)
    for a, b, d in g.edges(data=True):
        da, db = g.nodes[a], g.nodes[b]
        if d["relation"] == "twinned with":
            ends = (node_of.get(da.get("country")), node_of.get(db.get("country")))
        elif d["relation"] == "member of":
            city, net = (a, b) if da["kind"] == "city" else (b, a)
            ends = (node_of.get(g.nodes[city].get("country")), net)
            view.add_node(net, **g.nodes[net])
        else:
            continue
        if ends[0] in view and ends[1] in view and ends[0] != ends[1]:
            if not view.has_edge(*ends):
                view.add_edge(*ends, relation=d["relation"], sources=[], count=0)
            view.edges[ends]["count"] += 1
    for a, b, d in view.edges(data=True):
        d["relation"] = f"{d['count']} {'twinnings' if d['relation'] == 'twinned with' else 'members'}"
    return view


def _with_context(g: nx.Graph, places: set[str]) -> set[str]:
    """Places plus the non-place nodes within two steps of them through non-place nodes."""
    keep, frontier = set(places), set(places)
    for _ in range(2):
        frontier = {n for f in frontier for n in g[f] if g.nodes[n]["kind"] not in ("city", "country")} - keep
        keep |= frontier
    return keep


def from_construct(g: nx.Graph, triples) -> nx.Graph:
    """The view a CONSTRUCT result draws: its IRIs as nodes (with what the graph knows about them),
    its triples between IRIs as edges named by their predicate."""
    import pyoxigraph as ox

    from .results import compact

    view = nx.Graph()
    for triple in triples:
        ends = []
        for term in (triple.subject, triple.object):
            if not isinstance(term, ox.NamedNode):
                break
            node = curie(term.value)
            if node not in view:
                attrs = dict(g.nodes[node]) if node in g else {
                    "kind": "other", "type": "Resource", "label": compact(term), "iri": term.value,
                    "networks": [], "themes": [], "sources": [], "facts": [], "links": []}
                view.add_node(node, **attrs)
            ends.append(node)
        if len(ends) == 2 and ends[0] != ends[1]:
            edge = g.edges[ends] if g.has_edge(*ends) else {"relation": compact(triple.predicate), "sources": []}
            view.add_edge(*ends, **edge)
    if not view:
        raise GlocalError("the query's result has no IRIs to draw")
    return view


def export_network(g: nx.Graph, fmt: str, output) -> None:
    """Write the network as GraphML or GEXF (for Gephi, Cytoscape): lists joined with '; ', nodes and
    edges sorted, so that equal graphs give equal files."""
    flat = nx.Graph()
    for n, d in sorted(g.nodes(data=True)):
        attrs = {k: v for k, v in d.items() if k not in ("facts", "sources", "links", "networks", "themes")}
        attrs.update(networks="; ".join(d.get("networks", [])), themes="; ".join(d.get("themes", [])),
                     sources="; ".join(t for t, _ in d.get("sources", [])),
                     links="; ".join(u for _, u in d.get("links", [])))
        flat.add_node(n, **attrs)
    flat.add_edges_from((a, b, {"relation": d["relation"], "sources": "; ".join(d["sources"])})
                        for a, b, d in sorted((*sorted(e[:2]), e[2]) for e in g.edges(data=True)))
    if fmt == "graphml":
        nx.write_graphml(flat, output)
    elif fmt == "gexf":
        nx.write_gexf(flat, output)
    else:
        raise GlocalError(f"unknown network format '{fmt}' (expected graphml or gexf)")

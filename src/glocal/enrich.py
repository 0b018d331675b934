"""Import facts about the linked cities from Wikidata into a named graph of their own, glg:wikidata.

The facts keep Wikidata's own vocabulary — `wd:Q64 wdt:P190 wd:Q65`, `wd:Q64 p:P1082 [ps:P1082 …;
pq:P585 …]` — on Wikidata's items, so they never mix with the curated facts in a query; the
owl:sameAs links of glg:links join the two, which is how a researcher compares them.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Literal, Namespace, URIRef

from . import overlay, store
from .errors import GlocalError
from .graph import open_graph
from .linking import LINKS_GRAPH
from .namespaces import DCTERMS, GLG, GLI, GLO, PROV, RDF, RDFS, VOID, XSD
from .wikidata import WD, Client, qid

WIKIDATA_GRAPH = GLG["wikidata"]
ACTIVITY = GLI["activity/enrich-wikidata"]
WDT = Namespace("http://www.wikidata.org/prop/direct/")
P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
#: twinned administrative body, member of, coordinate location, country (population is dated: P1082)
TRUTHY = ("P190", "P463", "P625", "P17")


@dataclass
class EnrichReport:
    location: Path
    items: int = 0
    triples: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    cache_hits: int = 0
    seconds: float = 0.0


def linked_items(location: Path) -> list[str]:
    """The QIDs that glg:links links the graph's cities to."""
    rows = open_graph(location).query(f"""
        SELECT DISTINCT ?item WHERE {{
          GRAPH glg:links {{ ?city owl:sameAs ?item }} ?city a glo:City
          FILTER(STRSTARTS(STR(?item), "{WD}"))
        }} ORDER BY ?item""").rows
    return [row["item"][len(WD):] for row in rows]


def term(binding: dict) -> URIRef | Literal | None:
    """An RDF term from a SPARQL JSON binding; blank nodes give None.

    >>> term({"type": "literal", "value": "3664088", "datatype": str(XSD.decimal)})
    rdflib.term.Literal('3664088', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind in ("literal", "typed-literal"):
        datatype = binding.get("datatype")
        return Literal(value, lang=binding.get("xml:lang"), datatype=URIRef(datatype) if datatype else None)
    return None


def statement_node(binding: dict, item: str, value: str, date: str) -> URIRef:
    """The endpoint's statement IRI, or (for a blank node) one minted from item, value and date."""
    if binding["type"] == "uri":
        return URIRef(binding["value"])
    digest = hashlib.sha256(f"{item}|{value}|{date}".encode()).hexdigest()[:16]
    return GLI[f"wikidata-statement/{item.lower()}-p1082-{digest}"]


def enrich_wikidata(location: Path | str | None = None, client: Client | None = None) -> EnrichReport:
    """Fetch P190, P463, P625, P17 and dated P1082 of the linked cities; publish glg:wikidata."""
    started = time.perf_counter()
    location = Path(location or store.default_location())
    client = client or Client()
    items = linked_items(location)
    if not items:
        raise GlocalError(f"no city of the graph at {location} is linked to Wikidata: run 'glocal link' first")
    values = [f"wd:{item}" for item in items]
    properties = " ".join(f"wdt:{p}" for p in TRUTHY)
    truthy = client.select_values("item", values, f"  VALUES ?property {{ {properties} }}\n  ?item ?property ?value .")
    population = client.select_values(
        "item", values, "  ?item p:P1082 ?statement . ?statement ps:P1082 ?value .\n"
                        "  OPTIONAL { ?statement pq:P585 ?date }")
    dataset = Dataset()
    graph = dataset.graph(WIKIDATA_GRAPH)
    report = EnrichReport(location=location, items=len(items))
    for row in truthy:
        subject, predicate, value = term(row["item"]), term(row["property"]), term(row["value"])
        if None not in (subject, predicate, value):
            graph.add((subject, predicate, value))
            name = str(predicate)[len(str(WDT)):]
            report.facts[name] = report.facts.get(name, 0) + 1
    for row in population:
        subject, value = term(row["item"]), term(row["value"])
        date = term(row["date"]) if "date" in row else None
        if subject is None or value is None:
            continue
        node = statement_node(row["statement"], qid(row["item"]) or "", str(value), str(date or ""))
        graph.add((subject, P.P1082, node))
        graph.add((node, PS.P1082, value))
        if date is not None:
            graph.add((node, PQ.P585, date))
        report.facts["P1082"] = report.facts.get("P1082", 0) + 1
    describe(dataset, client.endpoint, len(graph))
    report.triples = overlay.publish(location, WIKIDATA_GRAPH, dataset, {WIKIDATA_GRAPH, ACTIVITY})
    report.facts = dict(sorted(report.facts.items()))
    report.requests, report.cache_hits = client.requests, client.cache_hits
    report.seconds = time.perf_counter() - started
    return report


def describe(dataset: Dataset, endpoint: str, triples: int) -> None:
    meta = dataset.graph(overlay.META)
    meta.add((WIKIDATA_GRAPH, RDF.type, GLO.SourceGraph))
    meta.add((WIKIDATA_GRAPH, RDFS.label, Literal("facts from Wikidata about the linked cities", lang="en")))
    meta.add((WIKIDATA_GRAPH, VOID.triples, Literal(triples, datatype=XSD.integer)))
    meta.add((WIKIDATA_GRAPH, DCTERMS.source, URIRef(endpoint)))  # not a glo:Source: no prov:wasDerivedFrom
    meta.add((WIKIDATA_GRAPH, DCTERMS.license, CC0))
    meta.add((WIKIDATA_GRAPH, PROV.wasGeneratedBy, ACTIVITY))
    meta.add((ACTIVITY, RDF.type, PROV.Activity))
    meta.add((ACTIVITY, RDFS.label, Literal("glocal enrich wikidata", lang="en")))
    meta.add((ACTIVITY, PROV.used, URIRef(endpoint)))
    meta.add((ACTIVITY, PROV.used, LINKS_GRAPH))
    meta.add((ACTIVITY, PROV.endedAtTime, Literal(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                                  datatype=XSD.dateTime)))


"""The web pages: Linked Data pages of entities, the ontology's documentation, the query page,
and the Service Description and VoID of the endpoint."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from pathlib import Path

import jinja2
import pyoxigraph as ox
import pyvis
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .namespaces import BASE, GLG, GLI, GLO, PREFIXES
from .results import compact
from .server import WEB, HTTPError, _prefers_html, _rdf_response, entity_path, iri_of

VIS_NETWORK = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel")
DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
LINKS_OUT = {str(GLO) + "wikidataId": ("Wikidata", "https://www.wikidata.org/wiki/{}"),
             str(GLO) + "geonamesId": ("GeoNames", "https://www.geonames.org/{}")}
NEIGHBOURS = 40
TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(WEB / "templates"), autoescape=True)


class Site:
    def __init__(self, engine):
        self.engine = engine
        self._ontology_html: str | None = None

    async def entity(self, request: Request) -> Response:
        iri = iri_of(request.path_params["kind"], request.path_params["path"])
        if iri is None:
            raise HTTPError(404, f"nothing here: {request.url.path}")
        if not _prefers_html(request):
            answer = await self.engine.run(
                f"CONSTRUCT {{ <{iri}> ?p ?o . ?o ?p2 ?o2 }} WHERE {{ <{iri}> ?p ?o "
                f"OPTIONAL {{ ?o ?p2 ?o2 FILTER(isBlank(?o)) }} }}")
            if not answer.rows:
                raise HTTPError(404, f"Glocal has no description of <{iri}>")
            return _rdf_response(request, answer.rows)
        facts = (await self.engine.run(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }}")).rows
        incoming = (await self.engine.run(
            f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> FILTER(isIRI(?s)) }} ORDER BY ?p ?s LIMIT 200")).rows
        if not facts and not incoming:
            raise HTTPError(404, f"Glocal has no description of <{iri}>")
        labels = await self._labels({iri} | {t.value for row in facts + incoming for t in row
                                             if isinstance(t, ox.NamedNode)})
        return HTMLResponse(render_entity(iri, facts, incoming, labels))

    async def _labels(self, iris: set[str]) -> dict[str, str]:
        values = " ".join(f"<{i}>" for i in sorted(iris))
        answer = await self.engine.run(
            f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ <{LABELS[0]}> <{LABELS[1]}> }} "
            f"?x ?p ?l FILTER(LANG(?l) = '' || LANGMATCHES(LANG(?l), 'en')) }}")
        return {x.value: l.value for x, l in answer.rows}

    async def ontology(self, request: Request) -> Response:
        if _prefers_html(request):
            if self._ontology_html is None:
                self._ontology_html = await asyncio.to_thread(ontology_html)
            return HTMLResponse(self._ontology_html)
        answer = await self.engine.run(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GLG}ontology> {{ ?s ?p ?o }} }}")
        return _rdf_response(request, answer.rows)

    async def query_page(self, request: Request) -> Response:
        from .queries import stored_queries

        if not _prefers_html(request) and request.headers.get("accept", "").strip() not in ("", "*/*"):
            return RedirectResponse("/void", status_code=303)
        page = TEMPLATES.get_template("query.html").render(
            queries=list(stored_queries().values()), prefixes=PREFIXES, base=BASE)
        return HTMLResponse(page)

    def service_description(self, endpoint: str) -> list:
        formats = "formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML, formats:SPARQL_Results_CSV, " \
                  "formats:SPARQL_Results_TSV, formats:Turtle, formats:N-Triples, formats:JSON-LD"
        text = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dct: <http://purl.org/dc/terms/> .
<{endpoint}> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:resultFormat {formats} ;
  sd:feature sd:UnionDefaultGraph ;
  dct:title "Glocal SPARQL endpoint (read-only)" ;
  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ; void:inDataset <{BASE}dataset> ] ] .
"""
        return list(ox.parse(text, ox.RdfFormat.TURTLE))

    async def void(self, endpoint: str) -> list:
        answer = await self.engine.run(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        total = sum(int(n.value) for _, n in answer.rows)
        subsets = "".join(f'  void:subset [ a void:Dataset ; void:triples {n.value} ; '
                          f'sd:name <{g.value}> ] ;\n' for g, n in answer.rows)
        text = f"""@prefix void: <http://rdfs.org/ns/void#> .
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix dct: <http://purl.org/dc/terms/> .
<{BASE}dataset> a void:Dataset ;
  dct:title "Glocal: cities as international actors" ;
  dct:license <https://creativecommons.org/licenses/by-sa/4.0/> ;
  void:sparqlEndpoint <{endpoint}> ;
  void:uriSpace "{GLI}" ;
  void:vocabulary <{GLO}> ;
  void:exampleResource <{GLI}city/de-berlin> ;
  void:triples {total} ;
{subsets}  void:dataDump <{endpoint}> .
"""
        return list(ox.parse(text, ox.RdfFormat.TURTLE))


def ontology_html() -> str:
    """The ontology's documentation, generated by pyLODE from ontology/glocal.ttl."""
    from pylode import OntPub

    from .resources import ontology_dir

    return OntPub(ontology=str(ontology_dir() / "glocal.ttl")).make_html()


def link(term, labels: dict[str, str]) -> dict:
    """How a term is shown: text, an href for IRIs (local for Glocal's), and a title."""
    if isinstance(term, ox.NamedNode):
        local = entity_path(term.value)
        return {"text": labels.get(term.value) or compact(term), "href": local or term.value,
                "title": term.value, "local": local is not None}
    if isinstance(term, ox.Literal):
        return {"text": term.value, "href": None, "title": compact(term.datatype) if not term.language
                else term.language, "local": False}
    return {"text": str(term), "href": None, "title": "", "local": False}


def render_entity(iri: str, facts: list, incoming: list, labels: dict[str, str]) -> str:
    """The HTML page of one entity: facts grouped by property, sources, links out, neighbourhood."""
    groups: dict = defaultdict(list)
    sources, graphs, links_out = {}, set(), []
    for p, o, g in sorted(facts, key=lambda r: (str(r[0]), str(r[1]))):
        graphs.add(g.value)
        if p.value == DERIVED:
            sources[o.value] = link(o, labels)
        if p.value in LINKS_OUT and isinstance(o, ox.Literal):
            name, pattern = LINKS_OUT[p.value]
            links_out.append({"text": f"{name} {o.value}", "href": pattern.format(o.value)})
        entry = groups[p.value]
        if all(v["term"] != o for v in entry):
            entry.append({"term": o, "shown": link(o, labels), "graphs": []})
        next(v for v in entry if v["term"] == o)["graphs"].append(compact(g))
    properties = [{"property": link(ox.NamedNode(p), labels), "values": values} for p, values in groups.items()]
    referenced = [{"subject": link(s, labels), "property": link(p, labels)} for s, p in incoming]
    nodes, edges = [{"id": iri, "label": labels.get(iri, compact(ox.NamedNode(iri))), "main": True}], []
    seen = {iri}
    for p, o, _ in facts:
        if isinstance(o, ox.NamedNode) and p.value != DERIVED and len(seen) < NEIGHBOURS:
            _node(o.value, labels, nodes, seen)
            edges.append({"from": iri, "to": o.value, "label": compact(p)})
    for s, p in incoming:
        if len(seen) < NEIGHBOURS:
            _node(s.value, labels, nodes, seen)
            edges.append({"from": s.value, "to": iri, "label": compact(p)})
    for node in nodes:
        node["href"] = entity_path(node["id"]) or node["id"]
    edges = [dict(e) for e in {(e["from"], e["to"], e["label"]): e for e in edges}.values()]
    return TEMPLATES.get_template("entity.html").render(
        iri=iri, label=labels.get(iri, compact(ox.NamedNode(iri))), properties=properties,
        referenced=referenced, sources=list(sources.values()), graphs=sorted(compact(ox.NamedNode(g))
                                                                               for g in graphs),
        links_out=links_out, network={"nodes": nodes, "edges": edges})


def _node(value: str, labels, nodes, seen) -> None:
    if value not in seen:
        seen.add(value)
        nodes.append({"id": value, "label": labels.get(value, compact(ox.NamedNode(value))), "main": False})


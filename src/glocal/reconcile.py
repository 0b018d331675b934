"""A reconciliation service (W3C Entity Reconciliation API, as OpenRefine speaks it) at /reconcile.

It matches names to Glocal entities — cities by default — by their labels, ignoring case and
accents; a ``country`` property (name or ISO code) narrows the candidates. Each candidate's
description carries its country and Wikidata id, and data extension adds columns of Wikidata
and GeoNames ids, country and coordinates to the reconciled rows.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .namespaces import GLI, GLO

DEFAULT_TYPE = "City"
SLUG_PATH = re.compile(r"^[a-z][a-z-]*/[A-Za-z0-9._~-]+$")
TYPES = ("City", "MetropolitanArea", "Region", "Country", "CityNetwork", "Practice")
MAX_QUERIES = 100
#: Properties offered for data extension: id → (name, predicate)
PROPERTIES = {"wikidata": ("Wikidata id", "glo:wikidataId"), "geonames": ("GeoNames id", "glo:geonamesId"),
              "country": ("country", "glo:country"), "lat": ("latitude", "geo:lat"),
              "long": ("longitude", "geo:long")}


def normal(text: str) -> str:
    """Case- and accent-free text: normal('Köln') == normal('koln')."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def manifest(base: str) -> dict:
    return {"versions": ["0.2"], "name": "Glocal", "identifierSpace": str(GLI), "schemaSpace": str(GLO),
            "defaultTypes": [{"id": t, "name": t} for t in TYPES],
            "view": {"url": base + "/id/{{id}}"},
            "extend": {"propose_properties": {"service_url": base, "service_path": "/reconcile/properties"},
                       "property_settings": []}}


async def properties(request: Request) -> Response:
    """The properties a reconciled column can be extended with."""
    return JSONResponse({"type": request.query_params.get("type", DEFAULT_TYPE),
                         "properties": [{"id": k, "name": name} for k, (name, _) in PROPERTIES.items()]})


def endpoint(engine):
    from .server import HTTPError, _read_body

    candidates: dict[str, list[dict]] = {}

    async def entities(kind: str) -> list[dict]:
        if kind not in candidates:
            answer = await engine.run(f"""
                SELECT ?e ?label (SAMPLE(?countryLabel) AS ?country) (SAMPLE(?code) AS ?iso)
                       (SAMPLE(?qid) AS ?wikidata) WHERE {{
                  ?e a glo:{kind} ; rdfs:label ?label .
                  OPTIONAL {{ ?e glo:country ?c . ?c rdfs:label ?countryLabel
                              FILTER(LANGMATCHES(LANG(?countryLabel), "en"))
                              BIND(STRAFTER(STR(?c), "/country/") AS ?code) }}
                  OPTIONAL {{ ?e glo:wikidataId ?qid }}
                }} GROUP BY ?e ?label""")
            candidates[kind] = [
                {"id": e.value[len(GLI):], "name": label.value, "key": normal(label.value),
                 "country": country.value if country else "", "iso": iso.value if iso else "",
                 "wikidata": qid.value if qid else ""}
                for e, label, country, iso, qid in answer.rows if e.value.startswith(str(GLI))]
        return candidates[kind]

    async def reconcile(request: Request) -> Response:
        params = dict(parse_qsl(request.url.query))
        if request.method == "POST":
            params.update(parse_qsl((await _read_body(request, 1024 * 1024)).decode("utf-8", "replace")))
        if "extend" in params:
            try:
                return JSONResponse(await extend(json.loads(params["extend"])))
            except (ValueError, TypeError, AttributeError, KeyError) as exc:
                raise HTTPError(400, f"bad extension request: {exc}") from None
        if "queries" not in params:
            return JSONResponse(manifest(str(request.base_url).rstrip("/")))
        try:
            queries = json.loads(params["queries"])
            if not isinstance(queries, dict) or len(queries) > MAX_QUERIES:
                raise ValueError(f"expected an object of at most {MAX_QUERIES} queries")
            answers = {key: {"result": await match(q)} for key, q in queries.items()}
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            raise HTTPError(400, f"bad reconciliation queries: {exc}") from None
        return JSONResponse(answers)

    async def match(query: dict) -> list[dict]:
        kind = query.get("type") or DEFAULT_TYPE
        kind = kind.get("id", DEFAULT_TYPE) if isinstance(kind, dict) else kind
        if kind not in TYPES:
            raise ValueError(f"unknown type '{kind}' (known: {', '.join(TYPES)})")
        wanted = normal(str(query["query"]))
        country = next((normal(str(p.get("v", ""))) for p in query.get("properties") or []
                        if p.get("pid") == "country"), "")
        scored = []
        for c in await entities(kind):
            if country and country not in (normal(c["country"]), c["iso"]):
                continue
            score = 100.0 if c["key"] == wanted else 100 * difflib.SequenceMatcher(None, wanted, c["key"]).ratio()
            if score >= 50:
                scored.append((score, c))
        scored.sort(key=lambda sc: (-sc[0], sc[1]["name"]))
        limit = int(query.get("limit") or 5)
        exact = [c for s, c in scored if s == 100.0]
        return [{"id": c["id"], "name": c["name"], "score": round(s, 1), "match": s == 100.0 and len(exact) == 1,
                 "type": [{"id": kind, "name": kind}],
                 "description": " · ".join(x for x in (c["country"], c["wikidata"] and "Wikidata " + c["wikidata"])
                                           if x)}
                for s, c in scored[:limit]]

    async def extend(request: dict) -> dict:
        ids = [str(i) for i in request["ids"]][:MAX_QUERIES * 10]
        wanted = [p["id"] for p in request["properties"]]
        unknown = [w for w in wanted if w not in PROPERTIES]
        if unknown:
            raise ValueError(f"unknown properties {', '.join(unknown)} (known: {', '.join(PROPERTIES)})")
        rows = {i: {w: [] for w in wanted} for i in ids}
        entities = " ".join(f"<{GLI}{i}>" for i in ids if SLUG_PATH.match(i))
        for name in wanted:
            if not entities:
                break
            answer = await engine.run(f"""SELECT ?e ?v ?l WHERE {{ VALUES ?e {{ {entities} }}
                ?e {PROPERTIES[name][1]} ?v
                OPTIONAL {{ ?v rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en")) }} }}""")
            for e, v, label in answer.rows:
                key = e.value[len(GLI):]
                if isinstance(v, ox.NamedNode) and v.value.startswith(str(GLI)):
                    rows[key][name].append({"id": v.value[len(GLI):], "name": label.value if label else v.value})
                else:
                    rows[key][name].append({"str": v.value})
        return {"meta": [{"id": w, "name": PROPERTIES[w][0]} for w in wanted], "rows": rows}

    return reconcile

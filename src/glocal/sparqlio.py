"""The SPARQL Protocol's formats: content negotiation, bounded collection and serialisation."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .errors import GlocalError
from .namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "application/xml": "xml",
                "text/csv": "csv", "text/tab-separated-values": "tsv"}
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML,
               "text/plain": ox.RdfFormat.N_TRIPLES}
TEXT_TYPES = {"text/csv", "text/tab-separated-values", "text/turtle", "text/plain", "text/html"}
# Strings, IRIs and comments, skipped when looking for the SERVICE keyword.
SKIPPED = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                      r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


class TooLarge(Exception):
    """The answer has more rows than allowed."""


@dataclass
class Answer:
    """A query's answer, fully collected: kind 'select', 'ask' or 'graph'."""

    kind: str
    variables: list[str]
    rows: list[tuple]  # SELECT: terms (None if unbound); graph: triples
    boolean: bool = False

    def serialize(self, media: str) -> bytes:
        if self.kind == "graph":
            return serialize_graph(self.rows, media)
        return WRITERS[RESULT_TYPES[media]](self)


def serialize_graph(triples: list, media: str) -> bytes:
    """Triples in an RDF format, declaring only the Glocal prefixes they use."""
    iris = {t.value for triple in triples for t in (triple.subject, triple.predicate, triple.object)
            if isinstance(t, ox.NamedNode)} | {triple.object.datatype.value for triple in triples
                                               if isinstance(triple.object, ox.Literal)}
    used = {p: ns for p, ns in PREFIXES.items() if any(i.startswith(ns) for i in iris)}
    return ox.serialize(triples, format=GRAPH_TYPES[media], prefixes=used)


def collect(raw, max_rows: float = float("inf")) -> Answer:
    """Read a lazily evaluated pyoxigraph answer, stopping past the row limit (if any)."""
    if isinstance(raw, ox.QueryBoolean):
        return Answer("ask", [], [], bool(raw))
    rows = []
    if isinstance(raw, ox.QuerySolutions):
        variables = [v.value for v in raw.variables]
        for solution in raw:
            rows.append(tuple(solution[v] for v in variables))
            _check(rows, max_rows)
        return Answer("select", variables, rows)
    for triple in raw:
        rows.append(triple)
        _check(rows, max_rows)
    return Answer("graph", [], rows)


def _check(rows: list, max_rows: int) -> None:
    if len(rows) > max_rows:
        raise TooLarge()


def uses_service(query: str) -> bool:
    """Whether the query text has the SERVICE keyword outside strings, IRIs and comments.

    >>> uses_service('SELECT * { SERVICE <http://x> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT * { ?s rdfs:label "SERVICE" } # SERVICE')
    False
    """
    return bool(_SERVICE.search(SKIPPED.sub(" ", query)))


def negotiate(accept: str, offered, default: str | None = "first") -> str | None:
    """The offered media type the Accept header prefers; the first offered one for */* or none.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", RESULT_TYPES)
    'application/sparql-results+json'
    >>> negotiate("image/png", RESULT_TYPES) is None
    True
    """
    offered = list(offered)
    if not accept.strip():
        return offered[0] if default == "first" else default
    best, best_q = None, 0.0
    for position, item in enumerate(accept.split(",")[:32]):
        media, *params = [p.strip() for p in item.split(";")]
        media = media.lower()
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        if media in ("*/*", "*"):
            candidates = offered[:1] if default == "first" else []
        elif media.endswith("/*"):
            candidates = [o for o in offered if o.startswith(media[:-1])][:1]
        else:
            candidates = [o for o in offered if o == media]
        if candidates and q > best_q:
            best, best_q = candidates[0], q
    return best


def content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media in TEXT_TYPES else media


def _json(answer: Answer) -> bytes:
    if answer.kind == "ask":
        return json.dumps({"head": {}, "boolean": answer.boolean}).encode()
    bindings = [{v: _json_term(t) for v, t in zip(answer.variables, row) if t is not None}
                for row in answer.rows]
    return json.dumps({"head": {"vars": answer.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode()


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _xml(answer: Answer) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in answer.variables]
    out.append("</head>")
    if answer.kind == "ask":
        out.append(f"<boolean>{'true' if answer.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in answer.rows:
            out.append("<result>")
            for v, t in zip(answer.variables, row):
                if t is not None:
                    out.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>\n")
    return "\n".join(out).encode()


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv(answer: Answer) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    if answer.kind == "ask":
        writer.writerows([["boolean"], ["true" if answer.boolean else "false"]])
    else:
        writer.writerow(answer.variables)
        for row in answer.rows:
            writer.writerow(["" if t is None else "_:" + t.value if isinstance(t, ox.BlankNode) else t.value
                             for t in row])
    return output.getvalue().encode()


def _tsv(answer: Answer) -> bytes:
    if answer.kind == "ask":
        return b"?boolean\n" + (b"true\n" if answer.boolean else b"false\n")
    lines = ["\t".join("?" + v for v in answer.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in answer.rows]
    return ("\n".join(lines) + "\n").encode()


WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}


def bind(sparql: str, substitutions: dict) -> str:
    """The query with its parameters bound by a VALUES block opening its WHERE clause.

    Joined at the start of the pattern, the block binds the variables before anything is
    grouped or projected, like a SEP-0007 substitution of a variable the query selects.

    >>> bind('SELECT ?c WHERE { ?c a ?k } # {', {ox.Variable("k"): ox.NamedNode("http://x/City")})
    'SELECT ?c WHERE { VALUES (?k) { (<http://x/City>) } ?c a ?k } # {'
    """
    masked = SKIPPED.sub(lambda m: " " * len(m.group()), sparql)
    where = re.search(r"\bWHERE\s*\{", masked, re.IGNORECASE) or re.search(r"\{", masked)
    if where is None:
        raise GlocalError("cannot bind parameters: the query has no WHERE clause")
    names = " ".join(f"?{v.value}" for v in substitutions)
    terms = " ".join(str(t) for t in substitutions.values())
    return f"{sparql[:where.end()]} VALUES ({names}) {{ ({terms}) }}{sparql[where.end():]}"

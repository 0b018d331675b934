"""Stored queries: one research question per ``queries/*.rq`` file, with a YAML header.

The header is written in ``#+ `` comment lines at the top of the file (the grlc convention)::

    #+ summary: German–US twinnings
    #+ description: Every partnership between a German and a US city, with its source.
    #+ tags: [twinning, germany, usa]
    #+ params:
    #+   country:
    #+     type: iri
    #+     default: country/de
    #+     description: the country whose cities are listed

A parameter is a variable of the query (``?country``) that the query projects or binds; its
value is substituted as an RDF term (SEP-0007), never pasted into the query text.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import yaml

from . import resources
from .errors import ParameterError, QueryNotFound
from .namespaces import GLI, PREFIXES

PARAM_TYPES = ("iri", "string", "integer", "decimal", "boolean")
XSD = "http://www.w3.org/2001/XMLSchema#"
IRI_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')
REFERENCE = re.compile(r"^[a-z][a-z0-9-]*/[^\s/:]+$")


@dataclass
class StoredQuery:
    """A stored query: its name (the file name), its header and its text."""

    name: str
    path: Path
    summary: str
    description: str
    tags: list[str]
    params: dict[str, dict] = field(default_factory=dict)
    text: str = ""

    @classmethod
    def load(cls, path: Path) -> StoredQuery:
        text = path.read_text(encoding="utf-8")
        header = "\n".join(line[3:] for line in text.splitlines() if line.startswith("#+ "))
        try:
            meta = yaml.safe_load(header) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"{path}: the '#+' header is not valid YAML: {exc}") from None
        return cls(name=path.stem, path=path, summary=meta.get("summary", ""),
                   description=meta.get("description", ""), tags=list(meta.get("tags") or []),
                   params=dict(meta.get("params") or {}), text=text)

    def bindings(self, given: dict[str, object]) -> dict[ox.Variable, object]:
        """The substitutions for the given parameter values, defaults filled in and types checked."""
        unknown = sorted(set(given) - set(self.params))
        if unknown:
            declared = ", ".join(self.params) or "none"
            raise ParameterError(f"query '{self.name}' has no parameter {', '.join(unknown)} "
                                 f"(its parameters: {declared})")
        substitutions = {}
        for name, spec in self.params.items():
            value = given.get(name, spec.get("default"))
            if value is None:
                raise ParameterError(f"query '{self.name}' needs --param {name}=… ({spec.get('type', 'string')})")
            term = to_term(value, spec.get("type", "string"), name)
            allowed = spec.get("values")
            if allowed and term not in [to_term(v, spec.get("type", "string"), name) for v in allowed]:
                raise ParameterError(f"parameter '{name}' must be one of {', '.join(map(str, allowed))}")
            substitutions[ox.Variable(name)] = term
        return substitutions


def stored_queries(folder: Path | None = None) -> dict[str, StoredQuery]:
    """All stored queries by name, sorted (read again only when a file changes)."""
    paths = sorted((folder or resources.queries_dir()).glob("*.rq"))
    return dict(_load_all(tuple((p, p.stat().st_mtime_ns) for p in paths)))


@functools.lru_cache(maxsize=8)
def _load_all(files: tuple[tuple[Path, int], ...]) -> tuple[tuple[str, StoredQuery], ...]:
    return tuple((path.stem, StoredQuery.load(path)) for path, _ in files)


def stored_query(name: str, folder: Path | None = None) -> StoredQuery:
    """The stored query of that name; an unknown name lists the close matches."""
    queries = stored_queries(folder)
    if name not in queries:
        raise QueryNotFound(name, difflib.get_close_matches(name, queries, n=3, cutoff=0.5))
    return queries[name]


def to_term(value: object, kind: str | None, name: str = "value"):
    """A parameter value as an RDF term of the declared type (None: guess from the text).

    >>> to_term("city/de-berlin", "iri")
    <NamedNode value=https://w3id.org/glocal/id/city/de-berlin>
    >>> to_term("1990", "integer")
    <Literal value=1990 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    >>> to_term('x" } DROP ALL #', "string").value
    'x" } DROP ALL #'
    """
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if kind not in (None, *PARAM_TYPES):
        raise ParameterError(f"parameter '{name}' has an unknown type '{kind}' (expected one of "
                             f"{', '.join(PARAM_TYPES)})")
    text = str(value).strip() if not isinstance(value, bool) else str(value).lower()
    if kind is None:
        if text.startswith("<") or _prefixed(text):
            kind = "iri"
        elif isinstance(value, int) or re.fullmatch(r"[+-]?\d+", text):
            kind = "integer"
        else:
            kind = "string"
    if kind == "iri":
        return ox.NamedNode(_iri(text, name))
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ParameterError(f"parameter '{name}' must be a whole number, not '{text}'")
        return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "decimal":
        try:
            Decimal(text)
        except InvalidOperation:
            raise ParameterError(f"parameter '{name}' must be a number, not '{text}'") from None
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))
    if kind == "boolean":
        if text not in ("true", "false"):
            raise ParameterError(f"parameter '{name}' must be true or false, not '{text}'")
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "boolean"))
    return ox.Literal(str(value))


def _prefixed(text: str) -> bool:
    prefix, _, rest = text.partition(":")
    return prefix in PREFIXES and bool(rest) or text.startswith(("http://", "https://"))


def _iri(text: str, name: str) -> str:
    """Accepts <IRI>, an absolute IRI, a prefixed name (city:de-berlin) or city/de-berlin."""
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    elif text.startswith(("http://", "https://")):
        iri = text
    elif ":" in text and text.split(":", 1)[0] in PREFIXES:
        prefix, local = text.split(":", 1)
        iri = PREFIXES[prefix] + local
    elif REFERENCE.match(text):
        iri = str(GLI) + text
    else:
        raise ParameterError(f"parameter '{name}' must be an IRI (<…>, city:de-berlin or city/de-berlin), not '{text}'")
    if IRI_FORBIDDEN.search(iri) or ":" not in iri:
        raise ParameterError(f"parameter '{name}': '{iri}' is not a valid IRI")
    return iri


def render_docs(queries: dict[str, StoredQuery]) -> str:
    """queries/README.md: every stored query with its question, tags and parameters (generated)."""
    lines = ["# Stored queries", "",
             "One research question per `.rq` file; the `#+` header documents it. Run one with",
             "`glocal query NAME [--param name=value]`; print it with `glocal queries show NAME`.",
             "This page is generated by `glocal queries docs -o queries/README.md`: edit the `.rq` files.",
             "", "| query | question | tags |", "| --- | --- | --- |"]
    lines += [f"| [`{q.name}`](#{q.name}) | {q.summary} | {', '.join(q.tags)} |" for q in queries.values()]
    for q in queries.values():
        lines += ["", f"## {q.name}", "", f"**{q.summary}** — [`{q.name}.rq`]({q.name}.rq)", "",
                  " ".join(str(q.description).split()), ""]
        if q.params:
            lines += ["| parameter | type | default | description |", "| --- | --- | --- | --- |"]
            for name, spec in q.params.items():
                allowed = f" (one of: {', '.join(map(str, spec['values']))})" if spec.get("values") else ""
                lines.append(f"| `{name}` | {spec.get('type', 'string')} | `{spec.get('default', '')}` | "
                             f"{spec.get('description', '')}{allowed} |")
            lines.append("")
        lines.append(f"Tags: {', '.join(q.tags)}")
    return "\n".join(lines) + "\n"

"""Query results: rows of Python values, the standard serialisations, and a plain-text table."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox

from .namespaces import PREFIXES
from .sparqlio import WRITERS, Answer

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                              "positiveInteger", "negativeInteger", "nonPositiveInteger",
                              "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
FLOATS = {XSD + "double", XSD + "float"}
BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))  # most specific namespace first

GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                 "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}


def to_python(term):
    """A result term as a plain Python value: IRIs and strings as str, numbers as numbers.

    >>> to_python(ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")))
    42
    >>> to_python(ox.NamedNode("https://w3id.org/glocal/id/city/de-berlin"))
    'https://w3id.org/glocal/id/city/de-berlin'
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in INTEGERS:
                return int(term.value)
            if datatype == XSD + "decimal":
                return Decimal(term.value)
            if datatype in FLOATS:
                return float(term.value)
            if datatype == XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            pass
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def compact(term) -> str:
    """A term as a researcher reads it in a table: prefixed IRIs, bare literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in BY_LENGTH:
            local = term.value[len(namespace):]
            if term.value.startswith(namespace) and "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


class Result:
    """The answer to a query: `kind` is 'select', 'ask' or 'graph'.

    `rows` gives SELECT solutions as dicts of Python values, `boolean` the answer to an ASK,
    `triples` the triples of a CONSTRUCT or DESCRIBE; `serialize(fmt)` writes the standard formats.
    """

    def __init__(self, answer: Answer):
        self._answer = answer
        self.kind, self.variables, self.boolean = answer.kind, answer.variables, answer.boolean

    @property
    def solutions(self) -> list[tuple]:
        """SELECT solutions as tuples of pyoxigraph terms (None where unbound), in variable order."""
        return self._answer.rows if self.kind == "select" else []

    @property
    def rows(self) -> list[dict]:
        if self.kind != "select":
            raise ValueError(f"a {self.kind} result has no rows: use .boolean (ask) or .triples (graph)")
        return [{v: to_python(t) for v, t in zip(self.variables, row)} for row in self.solutions]

    @property
    def triples(self) -> list:
        return self._answer.rows if self.kind == "graph" else []

    def __len__(self) -> int:
        return 1 if self.kind == "ask" else len(self._answer.rows)

    def to_dataframe(self):
        """The rows as a pandas DataFrame (needs pandas: pip install glocal[pandas])."""
        import pandas

        return pandas.DataFrame(self.rows, columns=self.variables)

    def serialize(self, fmt: str) -> bytes:
        """The result in a standard format: json, csv, tsv, xml (SELECT, ASK), turtle, nt, jsonld (graphs)."""
        if self.kind == "graph":
            if fmt not in GRAPH_FORMATS:
                raise ValueError(f"a graph result is written as {', '.join(GRAPH_FORMATS)}, not '{fmt}'")
            return ox.serialize(self.triples, format=GRAPH_FORMATS[fmt], prefixes=PREFIXES)
        if fmt == "table":
            return self.table().encode()
        if fmt not in WRITERS:
            raise ValueError(f"a SELECT or ASK result is written as table, {', '.join(WRITERS)}, not '{fmt}'")
        return WRITERS[fmt](self._answer)

    def table(self) -> str:
        """A plain-text table of the solutions (or the ASK answer)."""
        if self.kind == "ask":
            return ("yes" if self.boolean else "no") + "\n"
        if self.kind == "graph":
            return self.serialize("turtle").decode()
        cells = [[compact(t) for t in row] for row in self.solutions]
        widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(self.variables)]
        line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()
        out = [line(self.variables), line(["-" * w for w in widths]), *map(line, cells)]
        out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
        return "\n".join(out) + "\n"

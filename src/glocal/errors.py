"""Domain exceptions. The CLI turns each into a one-line message and exit code 1."""


class GlocalError(Exception):
    """Base class of every error Glocal reports to a user."""


class DataError(GlocalError):
    """A malformed row in a data file: names the file, line and field, and what was expected."""

    def __init__(self, path, line: int | None, field: str | None, problem: str):
        self.path, self.line, self.field, self.problem = str(path), line, field, problem
        where = self.path + (f", line {line}" if line else "") + (f", field '{field}'" if field else "")
        super().__init__(f"{where}: {problem}")


class ValidationError(GlocalError):
    """The graph does not conform to the SHACL shapes; `report` holds the readable report."""

    def __init__(self, report: str, violations: int):
        self.report, self.violations = report, violations
        super().__init__(f"the graph does not conform to the shapes ({violations} violations):\n{report}")


class QuerySyntaxError(GlocalError):
    """A SPARQL query that does not parse; the message is the parser's, with the position."""


class QueryNotFound(GlocalError):
    """An unknown stored query name; `suggestions` holds the close matches."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name, self.suggestions = name, suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no stored query named '{name}'.{hint} ('glocal queries' lists them)")


class ParameterError(GlocalError):
    """A query parameter that is unknown, missing or of the wrong type."""


class StoreNotFound(GlocalError):
    """No graph has been built at the store location yet."""


class RemoteError(GlocalError):
    """A SPARQL endpoint that cannot be reached, refuses, times out or answers nonsense."""

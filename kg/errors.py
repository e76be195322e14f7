"""One exception base for the project; messages name the file, line or query and the fix."""


class KgError(Exception):
    """Base of every error the project raises on purpose."""


class ReleaseError(KgError):
    """A release file could not be read or parsed.

    ``str(err)`` is one line: ``PATH[:LINE]: problem``.
    """

    def __init__(self, path, problem: str, line: int | None = None):
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self):  # survives the trip back from a worker process
        return (type(self), (self.path, self.problem, self.line))


class StoreError(KgError):
    """The store could not be opened, read or written."""


class QueryError(KgError):
    """A named query is unknown, malformed or missing a parameter."""


class OntologyError(KgError):
    """The ontology file is missing a term the code needs."""

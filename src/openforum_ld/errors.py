"""One error hierarchy; the CLI turns each into "Error: ..." and its exit code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path


class Report(Protocol):
    """What a validation report gives the error that carries it (`validate.ValidationReport`;
    named by its shape so that the basics import nothing above them)."""

    @property
    def violations(self) -> Sequence[object]: ...

    def to_text(self, relative_to: Path | None = None) -> str: ...


class OpenForumError(Exception):
    """Base of every error the program reports to its user instead of a traceback."""

    exit_code = 2


class ConfigError(OpenForumError):
    """A setting has a value the program cannot use."""


class DataError(OpenForumError):
    """A data, ontology or shapes file is missing, unreadable or not valid RDF syntax."""

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:"
            if self.line is not None:
                where += f"{self.line}:"
                if self.column is not None:
                    where += f"{self.column}:"
            where += " "
        return f"{where}{self.message}"


class ShapeError(DataError):
    """A shape that parses but cannot be applied; `shape` names it, so that the file and line
    where it is written can be found."""

    def __init__(self, message: str, shape: object = None) -> None:
        super().__init__(message)
        self.shape = shape


class InvalidDataError(OpenForumError):
    """The data parsed but does not conform to the shapes; it carries the report."""

    exit_code = 1

    def __init__(self, report: Report) -> None:
        super().__init__(
            f"the data does not conform to the shapes ({len(report.violations)} violations)"
        )
        self.report = report


class PublishError(OpenForumError):
    """The publication cannot be written (a full disk, a path that is not a directory)."""


class PublicationError(OpenForumError):
    """A publication that cannot be served: missing, unfinished, of another format or base."""


class QueryError(OpenForumError):
    """A SPARQL query that cannot be parsed or run; line and column point into the query."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is not None:
            return f"query line {self.line}, column {self.column}: {self.message}"
        return self.message

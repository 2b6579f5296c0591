"""Problems found in the input, each pointing at a file, line and column."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True, order=True)
class Loc:
    """A place in an input file; line and column count from 1 like editors do."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


@dataclass(frozen=True, slots=True)
class DataError:
    """One problem in the input data: where, what, and what to do about it."""

    loc: Loc
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.loc}: error: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.loc.path, self.loc.line, self.loc.col, self.message)


class ClusterGraphError(Exception):
    """The root of every error clustergraph raises: catch it to catch them all.

    Beneath it: `DataErrors` (the input is invalid: every problem with its place),
    `QueryError` (a query could not be answered, e.g. a server failed) and
    `UsageError` (a request the library cannot carry out as asked). The command
    line maps them to exit 1, 1 and 2.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a forked worker (the site's), an error crosses back pickled; rebuilt
        # without calling __init__ again (DataErrors takes problems, not the joined text).
        return _rebuilt, (type(self), self.args, self.__dict__)


def _rebuilt(cls: type[ClusterGraphError], args: tuple[Any, ...], state: dict[str, Any]) -> ClusterGraphError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class DataErrors(ClusterGraphError, ValueError):
    """Raised with every problem found, so a user can fix them all in one pass."""

    def __init__(self, errors: Iterable[DataError]) -> None:
        self.errors = sorted(set(errors), key=lambda e: e.sort_key)
        super().__init__("\n".join(str(e) for e in self.errors))


class QueryError(ClusterGraphError, RuntimeError):
    """A query that could not be answered: a remote endpoint failed or refused it (exit 1)."""


class UsageError(ClusterGraphError, ValueError):
    """A request the library cannot carry out as asked (the CLI maps it to exit 2).

    A message about one argument names it as the library does, in backquotes
    (`` `depth` must be 0 or more``), and `param` says which; the command line
    writes its own option name there instead (``--depth must be 0 or more``).
    """

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param

    def worded(self, names: Mapping[str, str]) -> str:
        """The message with each parameter named as a caller calls it (`names`: param -> name)."""
        text = str(self)
        for param, name in names.items():
            text = text.replace(f"`{param}`", name)
        return text


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choice, or an empty string when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""

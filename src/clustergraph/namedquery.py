"""A named query and its declared parameters: the records query text, engines and servers share.

They sit below `querying.py` (which reads them from `.rq` files and runs them),
`sparql.py` (which checks and rewrites their text) and `endpoint.py` (which sends
them to a server), so none of those imports another to know the type.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Param:
    """A declared parameter: `?name` in the query, bound to a term of `type`."""

    name: str
    type: str
    default: str | None = None
    meaning: str = ""
    line: int = 0

    def __str__(self) -> str:
        return f"{self.name} ({self.type}{'' if self.default is None else ', ' + self.default})"


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query with what its header says: title, one-line description, parameters."""

    name: str
    text: str
    path: str = "-e"
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()

    def __post_init__(self) -> None:
        # Every engine, every server and the read-only check get the same line ends.
        object.__setattr__(self, "text", normalize_newlines(self.text))


def normalize_newlines(text: str) -> str:
    """`text` with CR LF and lone CR as LF: a `#` comment then ends at the same place for
    every engine and for the read-only check (Oxigraph ends comments at CR, rdflib does not)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")

"""The one base of every result row: a frozen record that also reads like a mapping.

Analyses hand back frozen dataclasses (`ConnectorRow`, `CoverageRow`,
`Suggestion`, `Change`, `ProgressEvent`, ...), each a subclass of `Row`. A row
answers `row.betweenness` and `row["betweenness"]` alike, so code written
against the dicts of earlier versions keeps working; `to_dict()` gives the JSON
object other systems read (the same keys as always), and `columns()` the
field names a table, CSV or TSV shows, in order.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True, slots=True)
... class Pair(Row):
...     a: str
...     b: str
>>> p = Pair("x", "y")
>>> p["a"], p.b, dict(p), Pair.columns(), Pair.shown()
('x', 'y', {'a': 'x', 'b': 'y'}, ('a', 'b'), ('a', 'b'))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

_COLUMNS: dict[type, tuple[str, ...]] = {}


class Row(Mapping[str, Any]):
    """Base of the result records (subclasses are frozen dataclasses)."""

    __slots__ = ()
    # Fields left out of `to_dict` (and of iteration) while they are None: keys
    # that earlier versions wrote only on some rows.
    optional: ClassVar[tuple[str, ...]] = ()
    # The columns a table on a terminal shows, where that is fewer than all fields.
    brief: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        """The field names, in order: the columns of CSV, TSV and JSON."""
        # Kept per class: every `len`, iteration and `to_dict` asks, and
        # `dataclasses.fields` costs microseconds (seconds over 50,000 map rows).
        found = _COLUMNS.get(cls)
        if found is None:
            found = _COLUMNS[cls] = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
        return found

    @classmethod
    def shown(cls) -> tuple[str, ...]:
        """The columns of a table on a terminal: `brief`, else every field but the optional ones."""
        return cls.brief or tuple(c for c in cls.columns() if c not in cls.optional)

    def __getitem__(self, key: str) -> Any:
        if key in self.optional and getattr(self, key, None) is None:
            raise KeyError(key)
        try:
            return getattr(self, key)
        except (AttributeError, TypeError):
            raise KeyError(key) from None

    def __iter__(self) -> Iterator[str]:
        return (c for c in self.columns() if not (c in self.optional and getattr(self, c) is None))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.columns() and key in set(iter(self))

    def to_dict(self) -> dict[str, Any]:
        """The row as a plain JSON-ready dict (nested rows too)."""
        return {k: plain(getattr(self, k)) for k in self}


def plain(value: Any) -> Any:
    """`value` with every `Row` inside it turned into a dict (for JSON and comparisons)."""
    if isinstance(value, Row):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def json_default(value: Any) -> Any:
    """For `json.dumps(..., default=json_default)`: rows as objects, anything else as text."""
    if isinstance(value, Row):
        return value.to_dict()
    return str(value)

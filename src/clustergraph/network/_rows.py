"""Typed result rows that still read like the dicts they replace (``row["id"]``, ``dict(row)``)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any


class Row:
    """Mixin for frozen dataclass rows: ``row["id"]``, ``row.get(...)``, ``dict(row)``, ``to_dict()``.

    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True, slots=True)
    ... class R(Row):
    ...     id: str
    ...     size: int
    >>> r = R("a", 2)
    >>> r["id"], r.get("nope", 0), dict(r)
    ('a', 0, {'id': 'a', 'size': 2})
    """

    __slots__ = ()

    def keys(self) -> list[str]:
        return [f.name for f in fields(self)]  # type: ignore[arg-type]

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.keys()

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)

    def to_dict(self) -> dict[str, Any]:
        """The row as a plain dict (tuples become lists), for JSON."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in ((k, self[k]) for k in self.keys())}

"""Immutable records: what the loader hands to every later step."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from .errors import Loc


@dataclass(frozen=True, slots=True)
class Record:
    """One validated record of the data directory.

    `collection` is the top-level key it came from; `kind` is the singular kind
    ("organization", ...; inside plans: "plan", "goal", "strategy", "action").
    `fields` holds every field but `id` and `name`, already checked and
    normalised: text as str, lists as tuples, references as ids.
    `locs` maps a field name (or "name[i]" for the i-th list item) to where its
    value was written.
    """

    collection: str
    kind: str
    id: str
    name: str
    loc: Loc
    fields: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    locs: Mapping[str, Loc] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)

    def where(self, name: str) -> Loc:
        """Location of a field's value, falling back to the record itself."""
        return self.locs.get(name, self.loc)


class Dispute(NamedTuple):
    """One entry of a record's `disputed`: another value sources give for `field`."""

    field: str
    value: str
    sources: tuple[str, ...]  # source ids
    note: str | None


def disputes(rec: Record) -> list[Dispute]:
    """The record's `disputed` entries, named (the record holds them as plain tuples)."""
    return [Dispute(*d) for d in rec.fields.get("disputed", ())]


@dataclass(frozen=True, slots=True)
class Data:
    """Every record of a data directory, in file order, with an index by id."""

    root: str
    records: tuple[Record, ...]
    by_id: Mapping[str, Record]

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def of(self, collection: str) -> list[Record]:
        return [r for r in self.records if r.collection == collection]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.records:
            key = r.collection if r.collection != "plans" else f"plans ({r.kind})"
            out[key] = out.get(key, 0) + 1
        return out


class Locs(Mapping[str, Loc]):
    """Where each field of one record was written, as `Record.locs`.

    Holds each position as one int, line << 32 | col, and makes a `Loc` only when
    one is asked for: a big directory has millions of positions and almost none
    is ever shown.
    """

    __slots__ = ("_at", "_path")

    def __init__(self, path: str, at: dict[str, int]) -> None:
        self._path = path
        self._at = at

    def __getitem__(self, name: str) -> Loc:
        at = self._at[name]
        return Loc(self._path, at >> 32, at & 0xFFFFFFFF)

    def __contains__(self, name: object) -> bool:
        return name in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Locs):
            return self._path == other._path and self._at == other._at
        return Mapping.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Locs({self._path!r}, {self._at!r})"

    @property
    def positions(self) -> dict[str, int]:
        """The packed positions, for the cache."""
        return self._at

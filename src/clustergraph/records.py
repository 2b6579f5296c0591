"""Immutable records: what the loader hands to every later step."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

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

"""Checks across records, once every file is read: unique ids, references that
resolve to the right kind of record, chains that end, dates in order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from . import schema
from .didyoumean import Suggester
from .errors import DataError, Loc
from .records import Record

_ENTITY_WORDS = {
    "datasets": "the dataset",
    "organizations": "an organization",
    "colleges": "a college",
    "workforce_boards": "a workforce board",
    "people": "a person",
    "facilities": "a facility",
    "programs": "a program",
    "initiatives": "an initiative",
    "policies": "a policy",
    "sources": "a source",
    "clusters": "a cluster",
    "reports": "a report",
    "plans": "a plan item",
    "events": "an event",
    "partnerships": "a partnership",
    schema.PLAN_ITEM: "a plan goal, strategy or action",
}


def _target_ok(rec: Record, targets: tuple[str, ...]) -> bool:
    if rec.collection == "plans" and schema.PLAN_ITEM in targets:
        return True
    return rec.collection in targets


def _describe_targets(targets: tuple[str, ...]) -> str:
    """'an organization, college or person': the kinds a reference may name."""
    article = _ENTITY_WORDS[targets[0]].split(" ", 1)[0]
    words = [_ENTITY_WORDS[t].split(" ", 1)[1] for t in targets]
    return f"{article} " + ", ".join(words[:-1]) + (" or " if len(words) > 1 else "") + words[-1]


def _check_references(
    records: list[Record], by_id: dict[str, Record], errors: list[DataError], unreadable: Sequence[str] = ()
) -> None:
    ids_by_collection: dict[str, list[str]] = {}
    for r in records:
        key = schema.PLAN_ITEM if r.collection == "plans" else r.collection
        ids_by_collection.setdefault(key, []).append(r.id)
    suggesters: dict[tuple[str, ...], Suggester] = {}

    def suggest(ref: str, targets: tuple[str, ...]) -> str:
        if targets not in suggesters:
            suggesters[targets] = Suggester(x for t in targets for x in ids_by_collection.get(t, ()))
        return suggesters[targets].hint(ref)

    unchecked: list[Loc] = []
    ref_fields = {
        key: [(name, f) for name, f in schema.fields_for(*key).items() if f.is_ref]
        for key in {(r.collection, r.kind) for r in records}
    }
    for rec in records:
        values = rec.fields
        for name, f in ref_fields[rec.collection, rec.kind]:
            value = values.get(name)
            if value is None:
                continue
            ids = value if f.kind == "refs" else (value,)
            for i, ref in enumerate(ids):
                target = by_id.get(ref)
                if target is not None and _target_ok(target, f.targets) and target.id != rec.id:
                    continue  # the common case: a good reference
                loc = rec.where(f"{name}[{i}]") if f.kind == "refs" else rec.where(name)
                if target is None and unreadable:
                    unchecked.append(loc)  # it may well be in the file that could not be read
                elif target is None:
                    hint = suggest(ref, tuple(f.targets))
                    errors.append(DataError(loc, f"unknown reference '{ref}' in {name}", hint))
                elif not _target_ok(target, f.targets):
                    errors.append(
                        DataError(
                            loc,
                            f"'{ref}' in {name} is {_ENTITY_WORDS[target.collection]}",
                            f"{name} takes the id of {_describe_targets(f.targets)}",
                        )
                    )
                elif target.id == rec.id and name in (
                    "broader",
                    "parent",
                    "members",
                    "located_at",
                    "consortium",
                ):
                    errors.append(DataError(loc, f"{rec.id} refers to itself in {name}"))

    if unchecked:
        names = ", ".join(Path(u).name for u in unreadable)
        n = len(unchecked)
        errors.append(
            DataError(
                min(unchecked),
                f"not checked: {names} could not be read",
                f"{n} reference{'s' if n > 1 else ''} to ids found in no other file; fix that file first",
            )
        )


def _check_cycles(
    records: list[Record], by_id: dict[str, Record], field: str, errors: list[DataError]
) -> None:
    reported: set[str] = set()
    for rec in records:
        path = [rec.id]
        cur = rec.get(field)
        while cur is not None and cur in by_id:
            if cur == rec.id:
                if len(path) > 1 and not reported.intersection(path):
                    errors.append(
                        DataError(
                            rec.where(field),
                            f"{field} forms a cycle: {' -> '.join([*path, cur])}",
                            f"a {field} chain must end",
                        )
                    )
                reported.update(path)
                break
            if cur in path:
                break  # a cycle further up; reported from its own members
            path.append(cur)
            cur = by_id[cur].get(field)


def _check_dates(records: list[Record], errors: list[DataError]) -> None:
    for rec in records:
        since, until = rec.get("since"), rec.get("until")
        if since and until and until < since:
            errors.append(DataError(rec.where("until"), f"until {until} is before since {since}"))


def _check_disputes(records: list[Record], by_id: dict[str, Record], errors: list[DataError]) -> None:
    """Every source a `disputed` entry cites is a source record."""
    sources = Suggester(r.id for r in records if r.collection == "sources")
    for rec in records:
        for i, entry in enumerate(rec.fields.get("disputed", ())):
            for j, ref in enumerate(entry[2]):
                target = by_id.get(ref)
                if target is not None and target.collection == "sources":
                    continue
                loc = rec.where(f"disputed[{i}].sources[{j}]")
                if target is None:
                    errors.append(
                        DataError(loc, f"unknown reference '{ref}' in disputed sources", sources.hint(ref))
                    )
                else:
                    errors.append(
                        DataError(
                            loc,
                            f"'{ref}' in disputed sources is {_ENTITY_WORDS[target.collection]}",
                            "disputed sources take the id of a source",
                        )
                    )


def _check_singletons(records: list[Record], errors: list[DataError]) -> None:
    """A directory describes one dataset: a second `datasets` record is an error."""
    first: dict[str, Record] = {}
    for rec in records:
        if rec.collection not in schema.SINGLETONS:
            continue
        if rec.collection in first:
            one = first[rec.collection]
            errors.append(
                DataError(
                    rec.loc,
                    f"a second {rec.collection} record '{rec.id}' (the first, '{one.id}', is at {one.loc})",
                    f"a data directory holds at most one {rec.collection} record; keep one",
                )
            )
        else:
            first[rec.collection] = rec


def check_records(
    records: list[Record], errors: list[DataError], unreadable: Sequence[str] = ()
) -> dict[str, Record]:
    """Index records by id, appending every cross-record problem to `errors`.

    `unreadable` names files that could not be read at all: a reference to an id found
    nowhere else may point into them, so those are reported once, not one by one.
    """
    by_id: dict[str, Record] = {}
    for rec in records:
        first = by_id.get(rec.id)
        if first is not None:
            errors.append(
                DataError(
                    rec.where("id"),
                    f"duplicate id '{rec.id}' (also at {first.where('id')})",
                    "ids must be unique across the directory",
                )
            )
            continue
        by_id[rec.id] = rec
    _check_references(records, by_id, errors, unreadable)
    _check_cycles([r for r in records if r.collection == "clusters"], by_id, "broader", errors)
    _check_cycles(
        [r for r in records if r.collection in ("organizations", "workforce_boards")], by_id, "parent", errors
    )
    _check_dates(records, errors)
    _check_disputes(records, by_id, errors)
    _check_singletons(records, errors)
    return by_id


def unsourced(records: Iterable[Record]) -> list[Record]:
    """Records that cite no source (sources and the dataset record aside): `validate` warns of them.

    Every fact should say which document it came from; a record without `sources` is
    one a reader cannot check.
    """
    return [r for r in records if r.collection not in ("sources", "datasets") and not r.get("sources")]

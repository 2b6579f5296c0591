"""`clustergraph import`: other formats in, a YAML data directory out.

The readers (readers/) turn the files into checked records; this module writes them
as one YAML file per collection, or, with `merge`, compares them with an existing
directory and says what would change, writing only when asked.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .records import Data, Record


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import did: the records read, the files written (none for a dry merge), the changes."""

    records: tuple[Record, ...]
    written: tuple[Path, ...] = ()
    changes: tuple[dict[str, Any], ...] = field(default=())

    def counts(self) -> dict[str, int]:
        """Records per collection, in the data format's order of collections."""
        from .schema import COLLECTIONS

        found = [r.collection for r in self.records]
        return {c: found.count(c) for c in COLLECTIONS if c in found}


def import_files(
    paths: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    types: str | os.PathLike[str] | None = None,
    merge: bool = False,
    write: bool = False,
) -> Imported:
    """Read `paths` and write the YAML directory `output`; nothing is written on any error.

    Without `merge`, `output` must not exist yet (or be empty). With `merge`, the
    records are matched with `output`'s by id, or by name within a collection;
    the result lists every added record and changed field, and only with `write`
    are new records added to `output` (one file per collection that gets new ones).
    """
    from .readers import read
    from .yamlwrite import directory_files, write_directory

    out = Path(output)
    if not merge:
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise UsageError(f"{output} exists already; pass `merge` to merge into it")
        records = read(paths, types=types)
        files = directory_files(records)
        write_directory(out, files)
        return Imported(tuple(records), tuple(out / n for n in files))
    from .loader import load

    known = load(out, cache=False)
    records = read(paths, types=types, known=known)
    changes = tuple(_changes(known, records))
    if not write:
        return Imported(tuple(records), (), changes)
    added = [r for r in records if r.id not in known.by_id]
    written = _append(out, known, added)
    return Imported(tuple(records), tuple(written), changes)


def _changes(known: Data, records: Sequence[Record]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for r in records:
        old = known.by_id.get(r.id)
        if old is None:
            if r.collection == "plans" and r.kind != "plan" and r.get("part_of") not in known.by_id:
                continue
            rows.append(
                {
                    "change": "added",
                    "kind": r.kind,
                    "id": r.id,
                    "name": r.name,
                    "field": "",
                    "old": "",
                    "new": "",
                }
            )
            continue
        before = {"name": old.name, **old.fields}
        after = {"name": r.name, **r.fields}
        for key in sorted(set(before) | set(after)):
            if key in after and before.get(key) != after.get(key):
                rows.append(
                    {
                        "change": "changed" if key in before else "added field",
                        "kind": r.kind,
                        "id": r.id,
                        "name": r.name,
                        "field": key,
                        "old": _show(before.get(key)),
                        "new": _show(after.get(key)),
                    }
                )
    return rows


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    return str(value)


def _append(out: Path, known: Data, added: list[Record]) -> list[Path]:
    """New records go into `<collection>.imported.yaml`, so no hand-edited file is rewritten."""
    from .output import atomic_write
    from .yamlwrite import collection_text

    by_id = {**known.by_id, **{r.id: r for r in added}}
    written = []
    for collection in dict.fromkeys(r.collection for r in added):
        mine = [
            r
            for r in added
            if r.collection == collection and not (r.collection == "plans" and r.kind != "plan")
        ]
        if not mine:
            continue
        path = out / f"{collection}.imported.yaml"
        if path.exists():
            raise UsageError(f"{path} exists already; review it and rename it before merging again")
        text = collection_text(
            collection, mine, by_id, "Records added by `clustergraph import --merge --write`."
        )
        atomic_write(path, lambda f, t=text: f.write(t.encode("utf-8")))
        written.append(path)
    return written


INTERCHANGE_FORMATS = ("kumu", "xlsx")


def export_records(data: str | os.PathLike[str], fmt: str, output: str | os.PathLike[str]) -> tuple[int, int]:
    """Write a data directory as a Kumu blueprint (`kumu`) or an Excel workbook (`xlsx`).

    Returns (records, connections written). Both read back with `import_files` to the
    same records. The blueprint carries the map's positions and kind colours.
    """
    from .loader import load
    from .render.kumu import blueprint, kumu_rows, type_word, write_blueprint
    from .render.workbook import write_workbook

    if fmt not in INTERCHANGE_FORMATS:
        raise UsageError(f"unknown format '{fmt}' (formats: {', '.join(INTERCHANGE_FORMATS)})")
    records = load(data)
    elements, connections = kumu_rows(records)
    if fmt == "xlsx":
        write_workbook(records, output)
        return len(elements), len(connections)
    from .builder import build
    from .network import project
    from .render.map import KINDS, layout

    G = project(build(records), "all")
    positions = {str(n): (float(x), float(y)) for n, (x, y) in layout(G).items()}
    colors = {}
    for r in records:
        kind = r.kind if r.collection != "plans" else ""
        if kind in KINDS:
            colors[type_word(r)] = KINDS[kind][1]
    title = Path(data).name
    write_blueprint(blueprint(records, positions, colors, title), output)
    return len(elements), len(connections)

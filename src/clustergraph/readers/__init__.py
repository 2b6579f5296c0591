"""Readers of the formats analysts keep their maps in, beside the YAML loader.

Kumu workbooks (.xlsx with Elements and Connections sheets), Kumu JSON (a blueprint
or a project export), Kumu or Gephi CSV tables, and our own workbook (what
`export --format xlsx` writes: a sheet per collection, a column per field) all
become the loader's `Record`s, checked by the loader's rules. Readers never write
RDF, nor files: `importing.py` writes the YAML.

>>> from pathlib import Path
>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "elements.csv").write_text("Label,Type\\nPort of Example,Port\\n")
>>> [(r.collection, r.id, r.get("type")) for r in read([d / "elements.csv"]) if r.collection != "sources"]
[('organizations', 'port-of-example', 'port')]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import MappingProxyType

from .. import schema
from ..crosscheck import check_records
from ..errors import DataError, DataErrors, Loc
from ..records import Data, Record
from .rows import CONNECTION_HEADS, Assembler, header_key, read_types
from .tables import Table, read_csv, read_json, read_xlsx

SUFFIXES = {".xlsx": read_xlsx, ".xlsm": read_xlsx, ".csv": read_csv, ".tsv": read_csv, ".json": read_json}


def _role(table: Table) -> str | None:
    """'elements', 'connections', a collection name (our workbook), or None."""
    header = {header_key(h) for h in table.header}
    raw = set(table.header)
    if table.name in schema.COLLECTIONS and {"id", "name"} <= raw:
        return table.name
    if any(a in header and b in header for a, b in CONNECTION_HEADS):
        return "connections"
    if "name" in header:
        return "elements"
    return None


def read_tables(paths: Iterable[str | os.PathLike[str]], errors: list[DataError]) -> list[Table]:
    """The tables of every file, by suffix; unknown suffixes and missing files are errors."""
    tables: list[Table] = []
    for p in paths:
        path = Path(p)
        shown = os.fspath(p)
        reader = SUFFIXES.get(path.suffix.casefold())
        if not path.exists():
            errors.append(DataError(Loc(shown), "no such file"))
        elif reader is None:
            errors.append(
                DataError(
                    Loc(shown),
                    f"cannot import '{path.suffix or path.name}' files",
                    "give .xlsx, .csv or .json files",
                )
            )
        else:
            found = reader(path, shown, errors)
            ours = [t for t in found if _role(t) in schema.COLLECTIONS]
            # Our workbook also carries Kumu's two sheets, for Kumu; its own sheets say it all.
            tables.extend(ours or found)
    return tables


def read(
    paths: Sequence[str | os.PathLike[str]],
    *,
    types: str | os.PathLike[str] | None = None,
    known: Data | None = None,
) -> list[Record]:
    """The records of `paths` (xlsx, csv, json), checked as the loader checks YAML.

    `types` is a YAML file mapping element Type words to a collection and type;
    `known` is an existing data directory's records, which references may name
    and which keep their ids (for `import --merge`). Raises DataErrors naming
    `file[sheet]:row:col` for every problem found.
    """
    from ..yamlfile import gc_paused

    with gc_paused():  # as for the loader: millions of small objects, none of them cyclic garbage
        return _read(paths, types, known)


def _read(
    paths: Sequence[str | os.PathLike[str]], types: str | os.PathLike[str] | None, known: Data | None
) -> list[Record]:
    errors: list[DataError] = []
    words = read_types(os.fspath(types), errors) if types else {}
    tables = read_tables(paths, errors)
    asm = Assembler(words, known)
    links: list[Table] = []
    for table in tables:
        role = _role(table)
        if role is None:
            errors.append(
                DataError(
                    table.loc(table.header_row, 1),
                    "sheet has neither a Label column nor From and To columns",
                    "add the headers in the first row, or put '(ignore)' in the sheet name",
                )
            )
        elif role == "connections":
            links.append(table)
        else:
            asm.elements(table, None if role == "elements" else role)
    asm.foreign = sorted({t.where.split("[", 1)[0] for t in tables if not t.marker})
    asm.fill()
    asm.links(links)
    asm.cite_files()
    records, found = asm.build()
    errors.extend(found)
    mine = {r.id for r in records}
    everything = [*(r for r in (known.records if known else ()) if r.id not in mine), *records]
    check_records(everything, errors)
    if errors:
        raise DataErrors(errors)
    return records


def read_data(paths: Sequence[str | os.PathLike[str]], **kwargs: object) -> Data:
    """`read` as a `Data`, the loader's result type."""
    records = read(paths, **kwargs)  # type: ignore[arg-type]
    return Data(
        root=os.fspath(paths[0]) if paths else "",
        records=tuple(records),
        by_id=MappingProxyType({r.id: r for r in records}),
    )

"""Records -> YAML text in the house style of graph/: one file per collection, fields in
the schema's order, lists in flow style, dates quoted, the editor's schema line first.

The inverse of the loader for what `import` and `init` write: loading the text back
gives the same records (a test checks it on graph/).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from . import schema
from .records import Record

SCHEMA_FILE = "clustergraph.schema.json"
SCHEMA_LINE = f"# yaml-language-server: $schema={SCHEMA_FILE}"
_COMMON_LAST = (
    "description", "aliases", "website", "wikidata", "city", "clusters", "sources", "notes", "disputed",
)  # fmt: skip


def field_order(collection: str, kind: str) -> list[str]:
    """id, name, the collection's own fields, then the common ones, notes last."""
    fields = schema.fields_for(collection, kind)
    own = [f for f in fields if f not in schema.COMMON]
    return ["id", "name", *own, *(f for f in _COMMON_LAST if f in fields)]


# Text that YAML reads back as the same string when written plain (checked first: asking
# PyYAML for every value is most of the time of writing a big directory).
_PLAIN = re.compile(r"[A-Za-z][\w .,'()/&+-]*\Z")
_WORDS = frozenset(("true", "false", "yes", "no", "on", "off", "null", "y", "n"))


def scalar(value: Any) -> str:
    """One value as YAML text: plain where YAML reads it back as the same string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and not text.endswith(" ") and text.casefold() not in _WORDS:
        return text
    plain = yaml.safe_dump(text, allow_unicode=True, width=1_000_000).removesuffix("\n...\n").rstrip("\n")
    if plain == text and "\n" not in plain:
        return plain
    return json.dumps(text, ensure_ascii=False)


def _flow(items: Iterable[Any]) -> str:
    out = []
    for v in items:
        s = scalar(v)
        if any(c in s for c in ",[]{}") and not s.startswith('"'):
            s = json.dumps(str(v), ensure_ascii=False)
        out.append(s)
    return "[" + ", ".join(out) + "]"


def dispute_dicts(value: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """`disputed` entries (field, value, sources, note) as mappings, the note left out when none."""
    out = []
    for field_, other, sources, note in value:
        d: dict[str, Any] = {"field": field_, "value": other, "sources": list(sources)}
        if note is not None:
            d["note"] = note
        out.append(d)
    return out


def _dispute(entry: tuple[Any, ...]) -> str:
    d = dispute_dicts([entry])[0]
    parts = [f"field: {d['field']}", f"value: {json.dumps(str(d['value']), ensure_ascii=False)}"]
    parts.append(f"sources: {_flow(d['sources'])}")
    if "note" in d:
        parts.append(f"note: {json.dumps(str(d['note']), ensure_ascii=False)}")
    return "{" + ", ".join(parts) + "}"


def record_lines(rec: Record, by_id: Mapping[str, Record], indent: str = "  ") -> list[str]:
    """The lines of one record as a list item; plans carry their goals, strategies, actions."""
    values: dict[str, Any] = {"id": rec.id, "name": rec.name, **rec.fields}
    lines: list[str] = []
    lead = f"{indent}- "
    pad = indent + "  "
    for key in field_order(rec.collection, rec.kind):
        if key not in values or key == "part_of":
            continue
        value = values[key]
        f = schema.fields_for(rec.collection, rec.kind).get(key)
        prefix = lead if not lines else pad
        if f is not None and f.kind == "disputed":
            lines.append(f"{prefix}{key}:")
            lines.extend(f"{pad}  - {_dispute(d)}" for d in value)
        elif f is not None and f.kind == "goals":
            children = [by_id[c] for c in value if c in by_id]
            if not children:
                continue
            lines.append(f"{prefix}{key}:")
            for child in children:
                lines.extend(record_lines(child, by_id, pad + "  "))
        elif isinstance(value, tuple | list):
            lines.append(f"{prefix}{key}: {_flow(value)}")
        elif f is not None and f.kind == "date":
            lines.append(f"{prefix}{key}: {json.dumps(str(value))}")
        else:
            lines.append(f"{prefix}{key}: {scalar(value)}")
    return lines


def collection_text(
    collection: str, records: list[Record], by_id: Mapping[str, Record], comment: str = ""
) -> str:
    lines = [SCHEMA_LINE]
    if comment:
        lines.extend(f"# {c}" if c else "#" for c in comment.splitlines())
    lines.append(f"{collection}:")
    for rec in records:
        if rec.collection == "plans" and rec.kind != "plan":
            continue  # written inside its plan
        lines.extend(record_lines(rec, by_id))
    return "\n".join(lines) + "\n"


def directory_files(records: Iterable[Record], comment: Callable[[str], str] | None = None) -> dict[str, str]:
    """File name -> text: one file per collection, in the schema's order of collections."""
    recs = list(records)
    by_id = {r.id: r for r in recs}
    out: dict[str, str] = {}
    for collection in schema.COLLECTIONS:
        mine = [r for r in recs if r.collection == collection]
        if mine:
            out[f"{collection}.yaml"] = collection_text(
                collection, mine, by_id, comment(collection) if comment else ""
            )
    return out


def schema_text() -> str:
    return json.dumps(schema.json_schema(), indent=2) + "\n"


def write_directory(target: str | os.PathLike[str], files: Mapping[str, str]) -> Path:
    """Create directory `target` holding `files` (and the JSON Schema), all at once.

    The files are written into a temporary sibling directory that is renamed into
    place at the end, so a failure leaves nothing behind, not even the directory.
    """
    dest = Path(target)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        for name, text in {**files, SCHEMA_FILE: schema_text()}.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(text, encoding="utf-8")
        if dest.exists():
            dest.rmdir()  # only an empty directory is replaced
        os.replace(tmp, dest)
    except BaseException:
        for p in sorted(tmp.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
        tmp.rmdir()
        raise
    return dest

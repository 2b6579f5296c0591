"""Rows of elements and connections (Kumu, Gephi, our own workbook) -> the loader's records.

One rule for every format, read off the data format's table in `schema.py`:

- an element's Type names a collection ("Organization", "Workforce Board") or a closed
  `type` value ("Company", "Community College", "Bill"), case, spaces, hyphens and
  plurals ignored; `--types` adds or overrides words;
- a column whose header names a field of that collection fills it; references take
  ids or labels; Tags naming a cluster fill `clusters`; Sources take ids, labels or
  URLs (a new URL becomes a source record); any other column goes into `notes`;
- a connection sets a reference field of its From record when its Type names one
  ("Operator", "Located at", "Lead"), and is a partnership otherwise.

The records are then built as YAML nodes and checked by the loader itself
(`load.parse_node`), so an imported record is exactly what the same YAML would give;
each node's mark points back at the cell it came from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .. import schema
from ..errors import DataError, Loc, did_you_mean
from ..records import Data, Locs, Record
from .tables import REJECTED, Table

_STR = "tag:yaml.org,2002:str"
_WORD = re.compile(r"[^0-9a-z]+")
CONNECTION_HEADS = (("from", "to"), ("source", "target"))
_PLAN_LEVELS = ("plan", "goal", "strategy", "action")
# Header words for the fields every format has, beside the field names themselves.
_SAME = {
    "label": "name",
    "start": "since",
    "end": "until",
    "element_type": "type",
    "connection_type": "type",
    "part_of": "part_of",
}


def norm(word: str) -> str:
    """'Workforce Boards' -> 'workforceboard': case, spaces, hyphens and plurals ignored."""
    w = _WORD.sub("", str(word).casefold())
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


@cache
def header_key(header: str) -> str:
    """A column header as a field name: 'Located at' -> 'located_at'."""
    key = re.sub(r"[\s\-]+", "_", str(header).strip().casefold())
    return _SAME.get(key, key)


def slug(text: str) -> str:
    s = re.sub(r"[^0-9a-z]+", "-", str(text).casefold()).strip("-")
    return s[:80].rstrip("-") or "item"


@dataclass(frozen=True, slots=True)
class Kind:
    """Where an element Type puts a record: its collection, the `type` it fills, the plan level."""

    collection: str
    type: str | None = None
    level: str | None = None

    @property
    def kind(self) -> str:
        return self.level or schema.KIND[self.collection]


# A --types entry already reported as wrong: its elements are skipped without a second message.
REPORTED = Kind("")


def type_words() -> dict[str, Kind]:
    """Every element Type the schema knows, by its normalised word."""
    words: dict[str, Kind] = {}
    for collection in schema.COLLECTIONS:
        if collection == "plans":
            continue
        for w in (collection, schema.KIND[collection]):
            words.setdefault(norm(w), Kind(collection))
    for level in _PLAN_LEVELS:
        words.setdefault(norm(level), Kind("plans", None, level))
    for collection, fields in schema.COLLECTIONS.items():
        f = fields.get("type")
        if f is not None and f.kind == "enum":
            for choice in f.choices:
                words.setdefault(norm(choice), Kind(collection, choice))
    return words


def read_types(path: str, errors: list[DataError]) -> dict[str, Kind]:
    """A --types file: `Word: {collection: organizations, type: economic-development-org}` per line
    (or `Word: facilities`); each problem names its line and column."""
    from ..yamlfile import compose_text

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(DataError(Loc(path), f"cannot read file: {exc}"))
        return {}
    root = compose_text(text, path, errors)
    if root is None:
        return {}

    def at(node: yaml.Node) -> Loc:
        return Loc(path, node.start_mark.line + 1, node.start_mark.column + 1)

    example = "e.g. 'EDC: {collection: organizations, type: economic-development-org}'"
    if not isinstance(root, yaml.MappingNode):
        errors.append(DataError(at(root), "expected a mapping of Type words", example))
        return {}
    out: dict[str, Kind] = {}
    for key, value in root.value:
        word = str(key.value)
        spec: dict[str, yaml.Node] = {}
        if isinstance(value, yaml.ScalarNode):
            spec = {"collection": value}
        elif isinstance(value, yaml.MappingNode):
            spec = {str(k.value): v for k, v in value.value}
        got = spec.get("collection")
        if got is None or not isinstance(got, yaml.ScalarNode) or got.value not in schema.COLLECTIONS:
            shown = got.value if isinstance(got, yaml.ScalarNode) else ""
            errors.append(
                DataError(
                    at(got if got is not None else value),
                    f"'{word}': '{shown}' is not a collection",
                    did_you_mean(str(shown), schema.COLLECTIONS)
                    or "collections: " + ", ".join(schema.COLLECTIONS),
                )
            )
            out[norm(word)] = REPORTED
            continue
        collection = got.value
        type_node = spec.get("type")
        kind_type = type_node.value if isinstance(type_node, yaml.ScalarNode) else None
        f = schema.COLLECTIONS[collection].get("type")
        if type_node is not None and f is not None and f.kind == "enum" and kind_type not in f.choices:
            errors.append(
                DataError(
                    at(type_node),
                    f"'{word}': {collection} type '{kind_type}' is not allowed",
                    did_you_mean(str(kind_type), f.choices) or "allowed: " + ", ".join(f.choices),
                )
            )
            out[norm(word)] = REPORTED
            continue
        out[norm(word)] = Kind(collection, kind_type)
    return out


# ---------------------------------------------------------------- building records


@dataclass(frozen=True, slots=True)
class _Json:
    """A cell holding JSON (the `disputed` entries), built as YAML nodes as it stands."""

    value: Any
    loc: Loc


@dataclass(slots=True)
class _Rec:
    """A record being assembled: field -> (value, cell) with list values as [(item, cell)]."""

    kind: Kind
    id: str
    id_cell: Loc
    name: str
    name_cell: Loc
    fields: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    notes_cell: Loc | None = None
    parent: str | None = None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


_PIPE = re.compile(r"(?<!\\)\|")


def _items(value: Any) -> list[str]:
    """A cell's values: a JSON list, or text split at '|' (a '\\|' is a '|' inside a value)."""
    if isinstance(value, tuple):
        return [_text(v) for v in value if v is not None and _text(v).strip()]
    if isinstance(value, str):
        parts = (v.replace("\\|", "|").strip() for v in _PIPE.split(value))
        return [v for v in parts if v]
    return [_text(value)]


class Assembler:
    """Collects records from tables and builds them into checked `Record`s."""

    def __init__(self, types: dict[str, Kind] | None = None, known: Data | None = None) -> None:
        self.words = {**type_words(), **(types or {})}
        self.errors: list[DataError] = []
        self.recs: list[_Rec] = []
        self.by_id: dict[str, _Rec] = {}
        self.known = known
        self.taken: set[str] = set(known.by_id) if known else set()
        self.labels: dict[str, list[str]] = {}  # casefolded name or alias -> ids
        self.source_urls: dict[str, str] = {}
        self.pending: list[tuple[_Rec, Table, int, tuple[Any, ...]]] = []
        self.seen_labels: dict[tuple[str, str], Loc] = {}
        self.broken: set[str] = set()  # labels and ids of elements already reported as unreadable
        self.foreign: list[str] = []  # files not written by `export`: records get a source naming them
        if known:
            for r in known.records:
                self._index(r.id, r.name, r.get("aliases") or ())
                if r.collection == "sources" and r.get("url"):
                    self.source_urls[r.get("url")] = r.id

    def _index(self, rid: str, name: str, aliases: Iterable[str] = ()) -> None:
        for key in {rid.casefold(), name.casefold(), *(a.casefold() for a in aliases)}:
            ids = self.labels.setdefault(key, [])
            if rid not in ids:
                ids.append(rid)

    def err(self, loc: Loc, message: str, hint: str = "") -> None:
        self.errors.append(DataError(loc, message, hint))

    # ------------------------------------------------------------- elements

    def elements(self, table: Table, collection: str | None = None) -> None:
        """The rows of an elements table (or of our workbook's sheet for `collection`)."""
        header = [header_key(h) for h in table.header]
        label_col = _first(header, "name")
        if label_col is None:
            self.err(
                table.loc(table.header_row, 1),
                "no Label column",
                "put 'Label' (or 'ID' then 'Label') in the first row",
            )
            return
        id_col = _first(header, "id")
        alias_col = _first(header, "aliases")
        type_col = _first(header, "type") if collection is None else None
        kind_col = _first(header, "kind") if collection == "plans" else None
        if type_col is None and collection is None:
            type_col = _first(header, "kind")  # Gephi tables written by `export --format csv`
        for row, cells in table.rows:
            label = cells[label_col] if label_col < len(cells) else None
            keys = [
                label,
                *(cells[c] for c in (type_col, id_col, kind_col) if c is not None and c < len(cells)),
            ]
            if REJECTED in keys:
                continue  # its cell is reported already
            if label is None:
                self.err(
                    table.loc(row, label_col + 1),
                    "empty label",
                    "give every element a name, or delete the row",
                )
                continue
            kind = self._kind(table, row, cells, type_col, kind_col, collection)
            if kind is None:
                # reported once here; connections naming it are not reported again
                raw = cells[id_col] if id_col is not None and id_col < len(cells) else None
                self.broken.update(
                    {_text(label).casefold(), *([_text(raw).casefold()] if raw is not None else [])}
                )
                continue
            name = _text(label)
            tcell = cells[type_col] if type_col is not None and type_col < len(cells) else collection
            key = (str(tcell).casefold(), name.casefold())
            raw_id = cells[id_col] if id_col is not None and id_col < len(cells) else None
            first = self.seen_labels.get(key)
            if first is not None and raw_id is None:
                self.err(
                    table.loc(row, label_col + 1),
                    f"duplicate label '{name}' in type {tcell} (also at row {first.line})",
                    "merge the rows, or give each an ID",
                )
                continue
            if raw_id is not None and _text(raw_id) in self.by_id:
                other = self.by_id[_text(raw_id)].id_cell
                sheet = other.path.rsplit("[", 1)[-1].rstrip("]")
                self.err(
                    table.loc(row, (id_col or 0) + 1),
                    f"duplicate ID '{_text(raw_id)}' (also at {sheet} row {other.line})",
                    "give each element its own ID, or merge the rows",
                )
                continue
            self.seen_labels.setdefault(key, table.loc(row, label_col + 1))
            rid = self._new_id(raw_id, name, kind)
            id_cell = table.loc(row, (id_col if raw_id is not None else label_col) + 1)  # type: ignore[operator]
            rec = _Rec(kind, rid, id_cell, name, table.loc(row, label_col + 1))
            if kind.type:
                rec.fields["type"] = (kind.type, table.loc(row, (type_col or 0) + 1))
            self.recs.append(rec)
            self.by_id[rid] = rec
            # connections may name an element by the sheet's own ID, slug or not, or an alias
            aliases = (
                _items(cells[alias_col])
                if alias_col is not None and alias_col < len(cells) and cells[alias_col] is not None
                else []
            )
            self._index(rid, name, [*aliases, *([_text(raw_id)] if raw_id is not None else [])])
            self.pending.append((rec, table, row, cells))

    def _kind(
        self,
        table: Table,
        row: int,
        cells: tuple[Any, ...],
        type_col: int | None,
        kind_col: int | None,
        collection: str | None,
    ) -> Kind | None:
        if collection is not None:
            if collection == "plans":
                level = cells[kind_col] if kind_col is not None and kind_col < len(cells) else "plan"
                if str(level) not in _PLAN_LEVELS:
                    self.err(
                        table.loc(row, (kind_col or 0) + 1),
                        f"kind '{level}' is not a plan level",
                        "one of: " + ", ".join(_PLAN_LEVELS),
                    )
                    return None
                return Kind("plans", None, str(level))
            return Kind(collection)
        value = cells[type_col] if type_col is not None and type_col < len(cells) else None
        if value is None:
            self.err(
                table.loc(row, (type_col if type_col is not None else len(table.header)) + 1),
                "element has no Type",
                "give it a Type such as Organization, Company, Community College, Facility or Person",
            )
            return None
        kind = self.words.get(norm(_text(value)))
        if kind is REPORTED:
            return None  # its --types entry is reported already
        if kind is None:
            self.err(
                table.loc(row, type_col + 1),  # type: ignore[operator]
                f"Type '{value}' names no collection or type",
                (
                    f"did you mean '{self._word(norm(_text(value)))}'? or "
                    if did_you_mean(norm(_text(value)), self.words)
                    else ""
                )
                + f"map it with --types, e.g. '{value}: {{collection: organizations, type: company}}'",
            )
        return kind

    def _word(self, w: str) -> str:
        close = did_you_mean(w, self.words)
        return close.split("'")[1] if close else w

    def _new_id(self, raw: Any, name: str, kind: Kind) -> str:
        text = _text(raw) if raw is not None else ""
        if text and schema.SLUG_RE.match(text):
            base = text
            if base not in self.by_id:
                self.taken.add(base)
                return base
        else:
            base = slug(name)
            # --merge: an existing record of the same name and collection keeps its id
            if self.known:
                for rid in self.labels.get(name.casefold(), []):
                    old = self.known.by_id.get(rid)
                    if old is not None and old.collection == kind.collection and rid not in self.by_id:
                        return rid
        rid, n = base, 1
        while rid in self.taken or rid in self.by_id:
            n += 1
            rid = f"{base}-{n}"
        self.taken.add(rid)
        return rid

    # ------------------------------------------------------------- fields

    def resolve(self, text: str, loc: Loc, what: str = "element") -> str | None:
        """An id for an id or a label (or alias); None after reporting why not."""
        if text in self.by_id or (self.known and text in self.known.by_id):
            return text
        ids = self.labels.get(text.casefold(), [])
        if len(ids) == 1:
            return ids[0]
        if not ids and text.casefold() in self.broken:
            return None
        if len(ids) > 1:
            self.err(
                loc, f"'{text}' names {len(ids)} elements: {', '.join(ids)}", "use the ID of the one you mean"
            )
            return None
        names = [r.name for r in self.recs]
        if self.known:
            names += [r.name for r in self.known.records]
        self.err(loc, f"'{text}' names no {what}", did_you_mean(text, names))
        return None

    def fill(self) -> None:
        """Every element's columns, once all ids and labels are known."""
        for rec, table, row, cells in self.pending:
            fields = schema.fields_for(rec.kind.collection, rec.kind.kind)
            for col, value in enumerate(cells):
                if value is None or value is REJECTED or col >= len(table.header):
                    continue
                head = table.header[col]
                key = header_key(head)
                loc = table.loc(row, col + 1)
                if key in ("id", "name", "kind") or (
                    key == "type" and table.name.casefold() not in schema.COLLECTIONS
                ):
                    continue
                if (
                    key == f"{norm(rec.kind.kind)}_type"
                    or key == f"{schema.KIND.get(rec.kind.collection, '')}_type".replace("-", "_")
                ):
                    key = "type"
                if key == "part_of" and rec.kind.level:
                    rec.parent = self.resolve(_text(value), loc, "plan item")
                elif key == "tags":
                    self._tags(rec, value, loc)
                elif key == "sources":
                    self._sources(rec, value, loc)
                elif key in fields and key not in ("id", "name"):
                    self._set(rec, key, fields[key], value, loc)
                else:
                    self._note(rec, head, value, loc)

    def _set(self, rec: _Rec, key: str, f: schema.Field, value: Any, loc: Loc) -> None:
        if f.kind == "disputed":
            try:
                items = json.loads(_text(value))
            except ValueError:
                items = None
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                self.err(
                    loc,
                    "disputed must be a JSON list",
                    'e.g. [{"field": "city", "value": "Carson", "sources": ["a-source"]}]',
                )
                return
            rec.fields[key] = _Json(items, loc)
            return
        if f.kind in ("refs", "texts", "enums", "naics"):
            items = _items(value)
            if f.kind == "refs":
                got = [(self.resolve(i, loc), loc) for i in items]
                items_loc = [(i, c) for i, c in got if i is not None]
            elif f.kind == "enums":
                items_loc = [(_choice(i, f.choices), loc) for i in items]
            else:
                items_loc = [(i, loc) for i in items]
            old = rec.fields.get(key)
            rec.fields[key] = [*(old if isinstance(old, list) else []), *items_loc]
            return
        text = _text(value)
        if f.kind == "ref":
            rid = self.resolve(text, loc)
            if rid is None:
                return
            text = rid
        elif f.kind == "enum":
            text = _choice(text, f.choices)
        elif f.kind == "open-enum":
            text = slug(text)
        rec.fields[key] = (text, loc)

    def _note(self, rec: _Rec, head: str, value: Any, loc: Loc) -> None:
        rec.notes.append(f"{head.strip()}: {_text(value)}")
        rec.notes_cell = rec.notes_cell or loc

    def _tags(self, rec: _Rec, value: Any, loc: Loc) -> None:
        other = []
        for tag in _items(value):
            rid = self._cluster(tag)
            if rid is not None:
                old = rec.fields.get("clusters") or []
                if rid not in [i for i, _ in old]:
                    rec.fields["clusters"] = [*old, (rid, loc)]
            else:
                other.append(tag)
        if other:
            self._note(rec, "Tags", "|".join(other), loc)

    def _cluster(self, tag: str) -> str | None:
        for rid in self.labels.get(tag.casefold(), []):
            target = self.by_id.get(rid)
            coll = (
                target.kind.collection if target else self.known.by_id[rid].collection if self.known else None
            )
            if coll == "clusters":
                return rid
        return None

    def _sources(self, rec: _Rec, value: Any, loc: Loc) -> None:
        out = list(rec.fields.get("sources") or [])
        for item in _items(value):
            if re.match(r"https?://", item, re.IGNORECASE):
                rid = self.source_urls.get(item) or self._url_source(item, loc)
            else:
                rid = self.resolve(item, loc, "source")
            if rid is not None and rid not in [i for i, _ in out]:
                out.append((rid, loc))
        rec.fields["sources"] = out

    def _url_source(self, url: str, loc: Loc) -> str:
        base = slug(re.sub(r"^https?://(www\.)?", "", url, flags=re.IGNORECASE))
        rid = self._new_id(None, base, Kind("sources"))
        src = _Rec(Kind("sources"), rid, loc, url, loc, {"title": (url, loc), "url": (url, loc)})
        self.recs.append(src)
        self.by_id[rid] = src
        self.source_urls[url] = rid
        self._index(rid, url)
        return rid

    # ------------------------------------------------------------- connections

    def links(self, tables: Iterable[Table]) -> None:
        """Every connection row: a reference field of its From record, or a partnership."""
        groups: dict[str, _Rec] = {}
        for table in tables:
            header = [header_key(h) for h in table.header]
            gephi = "source" in header and "target" in header and "from" not in header
            fcol = _first(header, "source" if gephi else "from")
            tcol = _first(header, "target" if gephi else "to")
            # Gephi's Type is the direction; its Label (or our export's relations) is the kind
            type_col = _first(header, "name") if gephi else _first(header, "type")
            if gephi and type_col is None:
                type_col = _first(header, "relations")
            name_col = None if gephi else _first(header, "name")
            pcol = _first(header, "partnership")
            for row, cells in table.rows:
                self._link(table, header, row, cells, fcol, tcol, type_col, name_col, pcol, gephi, groups)

    def _link(
        self,
        table: Table,
        header: list[str],
        row: int,
        cells: tuple[Any, ...],
        fcol: int | None,
        tcol: int | None,
        type_col: int | None,
        name_col: int | None,
        pcol: int | None,
        gephi: bool,
        groups: dict[str, _Rec],
    ) -> None:
        def cell(i: int | None) -> Any:
            return cells[i] if i is not None and i < len(cells) else None

        src_text, to_text = cell(fcol), cell(tcol)
        if REJECTED in (src_text, to_text, cell(type_col), cell(pcol)):
            return  # its cell is reported already
        if src_text is None or to_text is None:
            col = (fcol if src_text is None else tcol) or 0
            self.err(
                table.loc(row, col + 1),
                f"connection has no {'From' if src_text is None else 'To'}",
                "name an element by its label or ID",
            )
            return
        src = self.resolve(_text(src_text), table.loc(row, (fcol or 0) + 1))
        targets = [(self.resolve(t, table.loc(row, (tcol or 0) + 1)), t) for t in _items(to_text)]
        if src is None or any(t is None for t, _ in targets):
            return
        tloc = table.loc(row, (tcol or 0) + 1)
        kind_text = cell(type_col)
        key = header_key(_text(kind_text)) if kind_text is not None else ""
        if gephi and key and "," in key:
            key = key.split(",")[0]
        src_rec = self.by_id.get(src)
        if src_rec is not None and cell(pcol) is None:
            fields = schema.fields_for(src_rec.kind.collection, src_rec.kind.kind)
            f = fields.get(key)
            if f is not None and f.is_ref:
                self._ref_link(src_rec, key, f, [t for t, _ in targets], tloc)  # type: ignore[misc]
                return
        if key == "member_of":
            for t, _ in targets:
                target = self.by_id.get(t)  # type: ignore[arg-type]
                if target is not None and "members" in schema.fields_for(
                    target.kind.collection, target.kind.kind
                ):
                    target.fields["members"] = [*(target.fields.get("members") or []), (src, tloc)]
                    continue
                self.err(tloc, f"'{t}' cannot have members", "member of takes an organization")
            return
        if kind_text is None:
            self.err(
                table.loc(row, (type_col if type_col is not None else len(table.header)) + 1),
                "connection has no Type",
                "give it a Type such as sector-partnership, funding, training or research",
            )
            return
        pid_text = cell(pcol)
        if pid_text is not None and str(pid_text) in groups:
            rec = groups[str(pid_text)]
            for t, _ in [(src, None), *targets]:
                if t not in [i for i, _ in rec.fields["members"]]:
                    rec.fields["members"].append((t, tloc))
            return
        # A To cell naming several elements is one link to each (as in Kumu), unless a
        # Partnership column makes the row one partnership of them all.
        parts = [targets] if pid_text is not None else [[t] for t in targets]
        for part in parts:
            members = [(src, table.loc(row, (fcol or 0) + 1)), *[(t, tloc) for t, _ in part]]
            raw_name = cell(name_col)
            if raw_name is not None:
                name = _text(raw_name)
            else:
                names = [self._name_of(m) for m, _ in members]
                name = f"{', '.join(names[:-1])} and {names[-1]} ({_text(kind_text)})"
            raw_id = pid_text if pid_text is not None else cell(_first(header, "id"))
            rid = self._new_id(
                raw_id,
                name if raw_name is not None else f"{src}-{part[0][0]}-{slug(_text(kind_text))}",
                Kind("partnerships"),
            )
            name_loc = table.loc(row, ((name_col if raw_name is not None else fcol) or 0) + 1)
            rec = _Rec(Kind("partnerships"), rid, name_loc, name, name_loc)
            rec.fields["members"] = members
            rec.fields["type"] = (slug(_text(kind_text)), table.loc(row, (type_col or 0) + 1))
            self.recs.append(rec)
            self.by_id[rid] = rec
            if pid_text is not None:
                groups[str(pid_text)] = rec
            fields = schema.fields_for("partnerships", "partnership")
            skip = {fcol, tcol, type_col, name_col, pcol, _first(header, "id")}
            for col, value in enumerate(cells):
                if value is None or value is REJECTED or col in skip or col >= len(table.header):
                    continue
                head = table.header[col]
                key = header_key(head)
                loc = table.loc(row, col + 1)
                if gephi and key in ("type", "weight", "id", "relations"):
                    continue
                if key == "tags":
                    self._tags(rec, value, loc)
                elif key == "sources":
                    self._sources(rec, value, loc)
                elif key in fields and key not in ("id", "name", "members", "type"):
                    self._set(rec, key, fields[key], value, loc)
                elif key != "direction":
                    self._note(rec, head, value, loc)

    def _name_of(self, rid: str) -> str:
        r = self.by_id.get(rid)
        if r is not None:
            return r.name
        return self.known.by_id[rid].name if self.known else rid

    def _ref_link(self, rec: _Rec, key: str, f: schema.Field, targets: list[str], loc: Loc) -> None:
        if f.kind == "ref":
            if len(targets) > 1 or key in rec.fields:
                self.err(
                    loc, f"{key} takes one element; {rec.name} has more", "keep one connection of this type"
                )
                return
            rec.fields[key] = (targets[0], loc)
            return
        old = list(rec.fields.get(key) or [])
        for t in targets:
            if t not in [i for i, _ in old]:
                old.append((t, loc))
        rec.fields[key] = old

    # ------------------------------------------------------------- records

    def cite_files(self) -> None:
        """Records that cite nothing cite the file they were imported from (not for our own exports)."""
        if not self.foreign:
            return
        unsourced = [r for r in self.recs if r.kind.collection != "sources" and not r.fields.get("sources")]
        if not unsourced:
            return
        shown = ", ".join(self.foreign)
        rid = self._new_id(None, f"imported {self.foreign[0]}", Kind("sources"))
        loc = Loc(self.foreign[0])
        src = _Rec(
            Kind("sources"),
            rid,
            loc,
            f"Imported from {shown}",
            loc,
            {"title": (f"Imported from {shown}", loc)},
        )
        self.recs.append(src)
        self.by_id[rid] = src
        for r in unsourced:
            r.fields["sources"] = [(rid, r.name_cell)]

    def _require_types(self) -> None:
        """A collection that needs a `type` the element's Type did not give: say how to map it."""
        keep = []
        for r in self.recs:
            f = schema.COLLECTIONS[r.kind.collection].get("type")
            if f is not None and f.required and f.kind == "enum" and "type" not in r.fields:
                word = r.kind.kind.replace("-", " ").title()
                self.err(
                    r.name_cell,
                    f"'{r.name}' is {_article(word)} {word} but gives no {r.kind.kind} type",
                    f"use a Type such as {', '.join(c.replace('-', ' ').title() for c in f.choices[:4])}, "
                    f"{_article(word)} '{word} type' column, or --types (allowed: {', '.join(f.choices)})",
                )
                self.by_id.pop(r.id, None)
                continue
            keep.append(r)
        self.recs = keep

    def build(self) -> tuple[list[Record], list[DataError]]:
        """The records, checked by the loader's own rules; every problem points at a cell."""
        from ..loader import parse_node

        cells: list[Loc] = []
        keys: dict[str, yaml.ScalarNode] = {}

        def node(value: str, loc: Loc) -> yaml.ScalarNode:
            cells.append(loc)
            mark = _Mark(len(cells) - 1)
            return yaml.ScalarNode(_STR, value, mark, mark)

        def key(name: str, loc: Loc) -> yaml.ScalarNode:
            # The keys are field names of the schema, written by us: no message ever points at
            # one, so one node per name serves every record (a third of the nodes otherwise).
            found = keys.get(name)
            if found is None:
                found = keys[name] = node(name, loc)
            return found

        def json_node(value: Any, loc: Loc) -> yaml.Node:
            mark = node("", loc).start_mark
            if isinstance(value, dict):
                kv = [(node(str(k), loc), json_node(v, loc)) for k, v in value.items()]
                return yaml.MappingNode("tag:yaml.org,2002:map", kv, mark, mark)
            if isinstance(value, list):
                return yaml.SequenceNode(
                    "tag:yaml.org,2002:seq", [json_node(v, loc) for v in value], mark, mark
                )
            return node(_text(value), loc)

        def mapping(rec: _Rec, extra: list[tuple[yaml.Node, yaml.Node]]) -> yaml.MappingNode:
            pairs: list[tuple[yaml.Node, yaml.Node]] = [
                (key("id", rec.id_cell), node(rec.id, rec.id_cell)),
                (key("name", rec.name_cell), node(rec.name, rec.name_cell)),
            ]
            for name, value in rec.fields.items():
                if isinstance(value, _Json):
                    pairs.append((key(name, value.loc), json_node(value.value, value.loc)))
                elif isinstance(value, list):
                    first = value[0][1] if value else rec.name_cell
                    seq = yaml.SequenceNode(
                        "tag:yaml.org,2002:seq", [node(v, c) for v, c in value], node("", first).start_mark
                    )
                    pairs.append((key(name, first), seq))
                else:
                    pairs.append((key(name, value[1]), node(value[0], value[1])))
            if rec.notes:
                old = rec.fields.get("notes")
                text = "; ".join([*([old[0]] if old else []), *rec.notes])
                pairs = [p for p in pairs if p[0].value != "notes"]
                pairs.append(
                    (
                        node("notes", rec.notes_cell or rec.name_cell),
                        node(text, rec.notes_cell or rec.name_cell),
                    )
                )
            pairs.extend(extra)
            mark = node("", rec.name_cell).start_mark
            return yaml.MappingNode("tag:yaml.org,2002:map", pairs, mark, mark)

        self._require_types()
        children: dict[str, list[_Rec]] = {}
        for r in self.recs:
            if r.kind.level and r.kind.level != "plan":
                if r.parent is None:
                    self.err(
                        r.name_cell,
                        f"{r.kind.level} '{r.name}' is part of no plan",
                        "fill its Part of column",
                    )
                    continue
                children.setdefault(r.parent, []).append(r)

        def plan_node(rec: _Rec) -> yaml.MappingNode:
            child = schema.PLAN_CHILD.get(rec.kind.level or "")
            extra = []
            if child and rec.id in children:
                kids = [plan_node(k) for k in children[rec.id] if k.kind.level == child[1]]
                mark = node("", rec.name_cell).start_mark
                extra.append(
                    (
                        node(child[0], rec.name_cell),
                        yaml.SequenceNode("tag:yaml.org,2002:seq", kids, mark, mark),
                    )
                )
            return mapping(rec, extra)

        by_collection: dict[str, list[yaml.Node]] = {}
        for r in self.recs:
            if r.kind.level and r.kind.level != "plan":
                continue
            n = plan_node(r) if r.kind.level else mapping(r, [])
            by_collection.setdefault(r.kind.collection, []).append(n)
        zero = yaml.Mark("<import>", 0, 0, 0, None, None)
        root = yaml.MappingNode(
            "tag:yaml.org,2002:map",
            [
                (
                    yaml.ScalarNode(_STR, c, zero, zero),
                    yaml.SequenceNode("tag:yaml.org,2002:seq", items, zero, zero),
                )
                for c, items in by_collection.items()
            ],
            zero,
            zero,
        )
        raw: list[DataError] = []
        records = parse_node(root, "<import>", raw)
        errors = [*self.errors, *(_moved(e, cells) for e in raw)]
        records = [_relocated(r, cells) for r in records]
        return records, errors


def _moved(e: DataError, cells: list[Loc]) -> DataError:
    if e.loc.path != "<import>" or not 0 < e.loc.line <= len(cells):
        return e
    return DataError(cells[e.loc.line - 1], e.message, e.hint)


class _CellLocs(Mapping[str, Loc]):
    """A record's field places as cells, looked up only when a message needs one."""

    __slots__ = ("_at", "_cells")

    def __init__(self, at: Mapping[str, int], cells: list[Loc]) -> None:
        self._at, self._cells = at, cells

    def __getitem__(self, name: str) -> Loc:
        return self._cells[(self._at[name] >> 32) - 1]

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


def _relocated(r: Record, cells: list[Loc]) -> Record:
    """The record with its places as cells, for the checks across records."""
    at = r.locs.positions if isinstance(r.locs, Locs) else {k: v.line << 32 for k, v in r.locs.items()}
    return Record(r.collection, r.kind, r.id, r.name, cells[r.loc.line - 1], r.fields, _CellLocs(at, cells))


class _Mark:
    """The part of a YAML mark the loader reads: line (here the cell's index) and column."""

    __slots__ = ("column", "line")

    def __init__(self, line: int) -> None:
        self.line = line
        self.column = 0


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _first(header: list[str], *keys: str) -> int | None:
    for i, h in enumerate(header):
        if h in keys:
            return i
    return None


def _choice(text: str, choices: tuple[str, ...]) -> str:
    """A closed value written as words ('Under construction') as the schema spells it."""
    if text in choices:
        return text
    return slug(text) or text

"""Read a data directory of YAML files into validated, immutable records.

Every problem is collected (not only the first) and carries file:line:col, so a
user fixes a whole file in one pass. Finding the files and reading each into
YAML nodes is `yamlfile.py`; checks across records (ids, references, cycles)
are `crosscheck.py`; this module turns each file's nodes into checked records.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from . import schema
from .crosscheck import check_records
from .errors import DataError, DataErrors, Loc, did_you_mean
from .records import Data, Locs, Record
from .schema import Field
from .yamlfile import alias_locs, compose_text, data_files, display_path, gc_paused, read_text

MAX_NAME_CHARS = 300
MAX_TEXT_CHARS = 20_000
_STD_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD_TAG + t for t in ("str", "int", "float", "bool", "timestamp", "null")}
_STR = _STD_TAG + "str"
_SLUG_KINDS = frozenset(("slug", "ref", "open-enum"))
_SLUG_MATCH = schema.SLUG_RE.match
_intern = sys.intern
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A name is one line of plain text: no tab, line break or bidi override either.
_NAME_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_WHOLE_RE = re.compile(r"[0-9]{1,9}\Z")
_COLLECTION_TAGS = frozenset((_STD_TAG + "seq", _STD_TAG + "map"))


def _loc(path: str, node: yaml.Node) -> Loc:
    return Loc(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _at(node: yaml.Node) -> int:
    # line and column packed in one int: a (line, col) tuple costs three objects,
    # which at 200,000 entities is several hundred MB (a column fits: files are < 4 GiB)
    mark = node.start_mark
    return (mark.line + 1) << 32 | (mark.column + 1)


class _FileReader:
    """Turns one file's YAML nodes into records, collecting problems as it goes."""

    def __init__(self, path: str, errors: list[DataError], anchors: bool = True) -> None:
        self.path = path
        self.errors = errors
        # Without an '&' in the file there is no anchor, so no node can be shared:
        # the alias bookkeeping below is then skipped (it costs a set entry per node).
        self.anchors = anchors
        self.seen_nodes: set[int] = set()
        self.alias_seen = False

    def err(self, node: yaml.Node, message: str, hint: str = "") -> None:
        self.errors.append(DataError(_loc(self.path, node), message, hint))

    def _shared(self, node: yaml.Node) -> bool:
        # Composed YAML shares one node object between an anchor and its aliases;
        # seeing an object twice means an alias, which we refuse (no expansion bombs).
        key = id(node)
        if key in self.seen_nodes:
            self.alias_seen = True
            return True
        self.seen_nodes.add(key)
        return False

    def pairs(self, node: yaml.MappingNode) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
        """Key/value pairs of a mapping, refusing duplicate and non-text keys."""
        first: dict[str, yaml.Node] = {}
        self.tag_ok(node)
        for key, value in node.value:
            if self.anchors and self._shared(key):
                continue  # an alias used as a key: reported with the file's other aliases
            if not isinstance(key, yaml.ScalarNode) or key.tag not in _SCALAR_TAGS:
                self.err(key, "mapping keys must be plain words")
                continue
            if key.value in first:
                where = first[key.value].start_mark
                self.err(
                    key,
                    f"duplicate key '{key.value}' (first at line {where.line + 1})",
                    "YAML keeps only the last one; remove one of them",
                )
                continue
            first[key.value] = key
            # Field names repeat in every record: one str each, not one per record.
            yield _intern(key.value), key, value

    def tag_ok(self, node: yaml.Node) -> bool:
        """A list or a mapping must carry no tag of its own (`!!python/tuple [...]`, `!evil`)."""
        if node.tag in _COLLECTION_TAGS:
            return True
        self.err(node, f"YAML tag '{node.tag}' is not allowed", "remove the tag")
        return False

    def file(self, root: yaml.Node) -> Iterator[tuple[str, yaml.MappingNode]]:
        """(collection, record node) for every record in the file."""
        if not isinstance(root, yaml.MappingNode):
            what = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
            self.err(
                root,
                f"file holds {what}; expected collections",
                "write e.g. 'organizations:' then a list of records",
            )
            return
        for name, key, value in self.pairs(root):
            if name not in schema.COLLECTIONS:
                self.err(
                    key,
                    f"unknown collection '{name}'",
                    did_you_mean(name, schema.COLLECTIONS) or "collections: " + ", ".join(schema.COLLECTIONS),
                )
                continue
            if isinstance(value, yaml.ScalarNode) and value.tag == _STD_TAG + "null":
                continue  # an empty collection is harmless
            if self.anchors and self._shared(value):
                continue  # an alias: reported once for the whole file
            if not isinstance(value, yaml.SequenceNode):
                self.err(value, f"'{name}' must be a list of records", "start each record with '- id: ...'")
                continue
            self.tag_ok(value)
            for item in value.value:
                if self.anchors and self._shared(item):
                    continue
                if not isinstance(item, yaml.MappingNode):
                    self.err(item, f"each item of '{name}' must be a record (a mapping with id and name)")
                    continue
                yield name, item

    # ------------------------------------------------------------- values

    def text(self, node: yaml.Node, field: str, limit: int = MAX_TEXT_CHARS) -> str | None:
        if self.anchors and self._shared(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.err(
                node,
                f"{field} must be text, not a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}",
            )
            return None
        if node.tag not in _SCALAR_TAGS:
            self.err(node, f"YAML tag '{node.tag}' is not allowed", "remove the tag")
            return None
        if node.tag == _STD_TAG + "null":
            self.err(node, f"{field} is empty", "give it a value or remove the field")
            return None
        value: str = node.value
        bad = (_NAME_CONTROL_RE if field == "name" else _CONTROL_RE).search(value)
        if bad is not None:
            self.err(node, f"{field} contains control character U+{ord(bad.group()):04X}", "remove it")
            return None
        if len(value) > limit:
            self.err(
                node,
                f"{field} is {len(value)} characters long, over the limit of {limit}",
                "shorten it; put detail in description" if field == "name" else "shorten it",
            )
            return None
        return value

    def seq(self, node: yaml.Node, field: str) -> list[yaml.Node] | None:
        if self.anchors and self._shared(node):
            return None
        if not isinstance(node, yaml.SequenceNode):
            example = node.value if isinstance(node, yaml.ScalarNode) else "..."
            self.err(node, f"{field} must be a list", f"write it as [{example}]")
            return None
        if not self.tag_ok(node):
            return None
        return list(node.value)

    def value(self, f: Field, node: yaml.Node, field: str, locs: dict[str, int]) -> Any:
        kind = f.kind
        if kind in ("texts", "refs", "enums", "naics"):
            items = self.seq(node, field)
            if items is None:
                return None
            out = []
            seen: set[str] = set()
            for _i, item in enumerate(items):
                v = self.scalar_value(kind.rstrip("s") if kind != "naics" else "naics", f, item, field)
                if v is None:
                    continue
                if v in seen and kind != "texts":
                    self.err(item, f"'{v}' is listed twice in {field}")
                    continue
                seen.add(v)
                locs[_intern(f"{field}[{len(out)}]")] = _at(item)
                out.append(v)
            if len(out) < f.min_items and len(items) == len(out):
                self.err(node, f"{field} needs at least {f.min_items} different ids, has {len(out)}")
                return None
            return tuple(out)
        return self.scalar_value(kind, f, node, field)

    def scalar_value(self, kind: str, f: Field, node: yaml.Node, field: str) -> Any:
        limit = MAX_NAME_CHARS if field == "name" else MAX_TEXT_CHARS
        # Fast path for the common case, a plain string that passes; anything else
        # takes the careful way below, which finds and words the problem.
        if not self.anchors and node.__class__ is yaml.ScalarNode and node.tag == _STR:
            text = node.value
            if len(text) <= limit and not (_NAME_CONTROL_RE if field == "name" else _CONTROL_RE).search(text):
                ok = (
                    _SLUG_MATCH(text) is not None
                    if kind in _SLUG_KINDS
                    else text in f.choices
                    if kind == "enum"
                    else kind == "text" and (field != "name" or bool(text.strip()))
                )
                if ok:
                    # ids, references and enum values repeat across records: keep one copy each
                    return _intern(text) if kind != "text" else text
        text = self.text(node, field, limit)
        if text is None:
            return None
        problem = ""
        hint = ""
        match kind:
            case "text":
                if field == "name" and not text.strip():
                    problem = "name is blank"
            case "slug" | "ref" | "open-enum":
                if not schema.SLUG_RE.match(text):
                    problem = (
                        f"'{text}' is not a valid id"
                        if kind != "open-enum"
                        else f"{field} '{text}' is not a lower-case slug"
                    )
                    hint = "use lower-case letters, digits and '-', starting with a letter or digit"
            case "int":
                # ASCII digits only: YAML 1.1 also reads 0x7E1, 0b101 and 1:30 as ints, and
                # str.isdigit() takes '²' and other digits int() refuses.
                if not _WHOLE_RE.match(text):
                    shown = text if len(text) <= 40 else text[:40] + "…"
                    problem = f"{field} must be a whole number, not '{shown}'"
                    hint = "write it with the digits 0-9 only, e.g. 2017"
                else:
                    return int(text)
            case "date":
                why = schema.check_date(text)
                if why:
                    problem = f"bad date '{text}' in {field}: {why}"
            case "url":
                why = schema.check_url(text)
                if why:
                    problem, hint = (
                        f"bad URL in {field}: {why}",
                        "write a full https:// address; encode spaces as %20",
                    )
            case "wikidata":
                if not schema.WIKIDATA_RE.match(text):
                    problem, hint = f"'{text}' is not a Wikidata id", "write the item id, e.g. Q42"
            case "enum":
                if text not in f.choices:
                    problem = f"{field} '{text}' is not allowed"
                    hint = did_you_mean(text, f.choices) or "allowed: " + ", ".join(f.choices)
            case "naics":
                if not schema.NAICS_RE.match(text):
                    problem, hint = f"'{text}' is not a NAICS code", "2 to 6 digits, quoted: '3364'"
        if problem:
            self.err(node, problem, hint)
            return None
        return text

    # ------------------------------------------------------------- records

    def record(
        self, collection: str, node: yaml.MappingNode, fields: dict[str, Field], kind: str
    ) -> tuple[Record | None, dict[str, yaml.Node]]:
        """Check one record's fields; nested plan levels are returned for the caller."""
        values: dict[str, Any] = {}
        locs: dict[str, int] = {}
        nested: dict[str, yaml.Node] = {}
        present: set[str] = set()
        for name, key, value in self.pairs(node):
            present.add(name)
            f = fields.get(name)
            if f is None:
                self.err(
                    key,
                    f"unknown field '{name}' in {kind}",
                    did_you_mean(name, fields) or "fields: " + ", ".join(fields),
                )
                continue
            if f.kind == "goals":
                nested[name] = value
                continue
            if f.kind == "disputed":
                v = self.disputes(value, fields, kind, _stated(node), locs)
            else:
                v = self.value(f, value, name, locs)
            if v is not None:
                values[name] = v
                locs[name] = _at(value)
        for name, f in fields.items():
            if f.required and name not in present:
                self.err(node, f"{kind} is missing required field '{name}'")
        if "id" not in values:
            return None, nested
        # A record with a bad or missing value is still returned (the error is reported, so
        # load raises), so that references to it are checked as usual: one typo, one error.
        rid = values.pop("id")
        rname = values.pop("name", rid)
        rec = Record(
            collection=collection,
            kind=kind,
            id=rid,
            name=rname,
            loc=_loc(self.path, node),
            fields=MappingProxyType(values),
            locs=Locs(self.path, locs),
        )
        return rec, nested

    def disputes(
        self, node: yaml.Node, fields: dict[str, Field], kind: str, stated: set[str], locs: dict[str, int]
    ) -> tuple[tuple[str, str, tuple[str, ...], str | None], ...] | None:
        """The entries of `disputed`: (field, value, source ids, note) each.

        A plain tuple each, as every record value is (the file cache writes them
        with `marshal`); `records.disputes` gives them names.
        """
        items = self.seq(node, "disputed")
        if items is None:
            return None
        allowed = schema.disputable(fields)
        out: list[tuple[str, str, tuple[str, ...], str | None]] = []
        for item in items:
            if self.anchors and self._shared(item):
                continue
            if not isinstance(item, yaml.MappingNode):
                self.err(
                    item,
                    "each item of disputed must be a mapping with field, value and sources",
                    "write e.g. '- {field: city, value: Carson, sources: [a-source]}'",
                )
                continue
            at = _intern(f"disputed[{len(out)}]")
            got: dict[str, Any] = {}
            where: dict[str, int] = {}
            for name, key, value in self.pairs(item):
                f = schema.DISPUTE.get(name)
                if f is None:
                    self.err(
                        key,
                        f"unknown field '{name}' in disputed",
                        did_you_mean(name, schema.DISPUTE) or "fields: " + ", ".join(schema.DISPUTE),
                    )
                    continue
                inner: dict[str, int] = {}
                v = self.value(f, value, f"disputed {name}", inner)
                if v is None:
                    continue
                got[name] = v
                where[name] = _at(value)
                for k, pos in inner.items():  # "disputed sources[0]" -> "sources[0]"
                    where[k.removeprefix("disputed ")] = pos
                if name == "field" and v not in allowed:
                    self.err(
                        value,
                        f"'{v}' cannot be disputed"
                        if v in schema.NOT_DISPUTABLE
                        else f"disputed field '{v}' is not a field of {kind}",
                        did_you_mean(v, allowed) or "fields: " + ", ".join(allowed),
                    )
                    got.pop(name)
                elif name == "field" and v not in stated:
                    self.err(
                        value,
                        f"disputed field '{v}' is not stated in this {kind}",
                        "give the value the record uses; disputed lists the other values",
                    )
                    got.pop(name)
            missing = [n for n, f in schema.DISPUTE.items() if f.required and n not in got]
            written = _stated(item)
            for name in missing:
                if name not in written:  # else its bad value was reported above
                    self.err(item, f"disputed entry is missing required field '{name}'")
            if missing:
                continue
            locs[at] = _at(item)
            for k, pos in where.items():
                locs[_intern(f"{at}.{k}")] = pos
            out.append((got["field"], got["value"], got["sources"], got.get("note")))
        return tuple(out)

    def plan(self, node: yaml.MappingNode) -> Iterator[Record]:
        """A plan and every goal, strategy and action inside it, each as a record."""
        yield from self._plan_level(node, "plan", None)

    def _plan_level(self, node: yaml.MappingNode, level: str, parent: str | None) -> Iterator[Record]:
        fields = schema.fields_for("plans", level)
        rec, nested = self.record("plans", node, fields, level)
        child = schema.PLAN_CHILD.get(level)
        children: list[str] = []
        kids: list[Record] = []
        if child and child[0] in nested:
            items = self.seq(nested[child[0]], child[0]) or []
            for item in items:
                if self._shared(item):
                    continue
                if not isinstance(item, yaml.MappingNode):
                    self.err(
                        item, f"each item of '{child[0]}' must be a {child[1]} (a mapping with id and name)"
                    )
                    continue
                for r in self._plan_level(item, child[1], rec.id if rec else None):
                    if r.kind == child[1]:
                        children.append(r.id)
                    kids.append(r)
        if rec is not None:
            extra: dict[str, Any] = {}
            if parent:
                extra["part_of"] = parent
            if child:
                extra[child[0]] = tuple(children)
            rec = Record(
                rec.collection,
                rec.kind,
                rec.id,
                rec.name,
                rec.loc,
                MappingProxyType({**rec.fields, **extra}),
                rec.locs,
            )
            yield rec
        yield from kids


def _stated(node: yaml.MappingNode) -> set[str]:
    """The field names a record's mapping writes."""
    return {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _records(reader: _FileReader, root: yaml.Node) -> list[Record]:
    out: list[Record] = []
    for collection, node in reader.file(root):
        if collection == "plans":
            out.extend(reader.plan(node))
            continue
        rec, _ = reader.record(collection, node, schema.fields_for(collection, ""), schema.KIND[collection])
        if rec is not None:
            out.append(rec)
    return out


def parse_node(root: yaml.Node, shown: str, errors: list[DataError]) -> list[Record]:
    """The checked records of a tree of YAML nodes built by another reader (readers/):
    the same checks as a file's, with each node's mark saying where its value came from."""
    return _records(_FileReader(shown, errors, anchors=False), root)


def parse_text(text: str, shown: str, errors: list[DataError]) -> list[Record]:
    """The checked records of one file's text; problems go to `errors`."""
    root = compose_text(text, shown, errors)
    if root is None:
        return []
    reader = _FileReader(shown, errors, anchors="&" in text)
    out = _records(reader, root)
    if reader.alias_seen:
        locs = alias_locs(text, shown)
        if locs:
            more = f"; {len(locs)} aliases in this file" if len(locs) > 1 else ""
            errors.append(
                DataError(
                    locs[0], f"YAML aliases (*name) are not allowed{more}", "write the values out in full"
                )
            )
    return out


# ------------------------------------------------------------- a data directory


def load(root: str | os.PathLike[str] = "graph", *, cache: bool = True) -> Data:
    """Load and check every YAML file under `root`.

    Returns the records in file order; raises DataErrors listing every problem,
    sorted by file and line, when any is found. With `cache` (and unless
    CLUSTERGRAPH_CACHE=0), a directory's files that are unchanged since the
    last load are not parsed again (see `clustergraph.cache`).

    >>> load("graph").by_id["laedc"].kind
    'organization'
    """
    base = Path(root)
    if not base.exists():
        raise DataErrors(
            [
                DataError(
                    Loc(str(root)), "no such data directory", "pass the folder that holds your *.yaml files"
                )
            ]
        )
    errors: list[DataError] = []
    if base.is_file():
        files = [base]
    else:
        files, errors = data_files(base)
        if not files and not errors:
            raise DataErrors(
                [DataError(Loc(str(root)), "no *.yaml files here", "pass the folder that holds your data")]
            )
    store = None
    if cache and base.is_dir():
        from .cache import open_cache

        store = open_cache(base)
    from .progressbar import bar

    records: list[Record] = []
    unreadable: list[str] = []  # files whose records are unknown: references into them are not checked
    with gc_paused(), bar(len(files), "reading YAML", min_total=20) as advance:
        for path in files:
            shown = display_path(path)
            before = len(errors)
            got = read_text(path, shown, errors)
            advance(1)
            if got is None:
                if not any(e.message == "file holds no data" for e in errors[before:]):
                    unreadable.append(shown)
                continue
            hit = store.get(got[0], shown) if store else None
            if hit is not None:
                records.extend(hit)
                continue
            before = len(errors)
            found = parse_text(got[1], shown, errors)
            if not found and any(e.message.startswith("YAML syntax") for e in errors[before:]):
                unreadable.append(shown)
            records.extend(found)
            if store and len(errors) == before:
                store.put(got[0], found)
    by_id = check_records(records, errors, unreadable)
    if errors:
        raise DataErrors(errors)
    if store:
        store.prune()
    return Data(root=str(root), records=tuple(records), by_id=MappingProxyType(by_id))

"""Kumu's view of the records: elements (every record but partnerships) and connections
(partnerships and reference fields), as a JSON blueprint or as the rows of an
Elements and a Connections sheet.

Written so that `clustergraph import` reads it back to the same records with no
`--types`: the Type is our kind ("Organization", "Workforce Board", "Goal"), the
closed `type` goes in "<Kind> type", clusters are tags, sources are ids, and each
reference field is a connection whose Type is the field ("Operator", "Members").
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from .. import __version__, schema
from ..records import Data, Record
from ..yamlwrite import dispute_dicts, field_order

_SKIP = {"id", "name", "part_of", "goals", "strategies", "actions", "clusters", "sources"}


def words(field: str) -> str:
    """'located_at' -> 'Located at', a header the importer reads back as the field."""
    return field.replace("_", " ").capitalize()


def type_word(rec: Record) -> str:
    kind = rec.kind if rec.collection == "plans" else schema.KIND[rec.collection]
    return kind.replace("-", " ").title()


def _escape(text: str) -> str:
    return str(text).replace("|", "\\|")


def _element(rec: Record, clusters: Mapping[str, str]) -> tuple[dict[str, Any], list[tuple[str, list[str]]]]:
    """The element's columns (lists as lists) and its reference fields as (field, targets)."""
    row: dict[str, Any] = {"ID": rec.id, "Label": rec.name, "Type": type_word(rec)}
    if rec.get("part_of"):
        row["Part of"] = rec.get("part_of")
    refs: list[tuple[str, list[str]]] = []
    fields = schema.fields_for(rec.collection, rec.kind)
    for key in field_order(rec.collection, rec.kind):
        value = rec.get(key)
        if value is None or key in _SKIP:
            continue
        f = fields[key]
        if f.is_ref:
            refs.append((key, list(value) if f.kind == "refs" else [value]))
        elif key == "type":
            row[f"{type_word(rec)} type"] = value
        elif f.kind == "disputed":
            row[words(key)] = json.dumps(dispute_dicts(value), ensure_ascii=False)
        else:
            row[words(key)] = list(value) if isinstance(value, tuple) else value
    if rec.get("clusters"):
        row["Tags"] = [clusters.get(c, c) for c in rec.get("clusters")]
    if rec.get("sources"):
        row["Sources"] = list(rec.get("sources"))
    return row, refs


def _partnership(rec: Record, clusters: Mapping[str, str]) -> dict[str, Any]:
    members = list(rec.get("members"))
    row: dict[str, Any] = {
        "From": members[0],
        "To": members[1:],
        "Type": rec.get("type").replace("-", " ").title(),
        "Label": rec.name,
        "Partnership": rec.id,
    }
    for key in field_order("partnerships", "partnership"):
        value = rec.get(key)
        if value is None or key in (*_SKIP, "members", "type"):
            continue
        if key == "disputed":
            row[words(key)] = json.dumps(dispute_dicts(value), ensure_ascii=False)
            continue
        row[words(key)] = list(value) if isinstance(value, tuple) else value
    if rec.get("clusters"):
        row["Tags"] = [clusters.get(c, c) for c in rec.get("clusters")]
    if rec.get("sources"):
        row["Sources"] = list(rec.get("sources"))
    return row


def kumu_rows(data: Data) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Element rows and connection rows; list values stay lists (JSON arrays, or '|' in a sheet)."""
    clusters = {r.id: r.name for r in data.records if r.collection == "clusters"}
    elements: list[dict[str, Any]] = []
    connections: list[dict[str, Any]] = []
    for rec in data.records:
        if rec.collection == "partnerships":
            connections.append(_partnership(rec, clusters))
            continue
        row, refs = _element(rec, clusters)
        elements.append(row)
        for key, targets in refs:
            connections.append({"From": rec.id, "To": targets, "Type": words(key)})
    return elements, connections


def blueprint(
    data: Data, positions: Mapping[str, tuple[float, float]], colors: Mapping[str, str], title: str
) -> dict[str, Any]:
    """A Kumu JSON blueprint: elements, connections (one per pair), a map with our
    layout's positions, and a view whose style colours each Type as our map does."""

    def attrs(row: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in row.items():
            key = {
                "ID": "id",
                "Label": "label",
                "Type": "type",
                "From": "from",
                "To": "to",
                "Tags": "tags",
            }.get(k, k)
            out[key] = v
        return out

    elements, rows = kumu_rows(data)
    connections = []
    for row in rows:
        for i, target in enumerate(row["To"]):
            conn = attrs({**row, "To": target})
            if "Partnership" in row:
                conn["id"] = row["Partnership"] if i == 0 else f"{row['Partnership']}--{i + 1}"
            connections.append({**conn, "direction": "undirected"})
    style = "\n".join(
        f'element["element type"="{word}"] {{ color: {colour}; }}' for word, colour in sorted(colors.items())
    )
    return {
        "clustergraph": {"version": __version__, "written_by": "clustergraph export --format kumu"},
        "elements": [attrs(e) for e in elements],
        "connections": connections,
        "maps": [
            {
                "name": title,
                "elements": [
                    {"element": rid, "position": {"x": x, "y": y}}
                    for rid, (x, y) in sorted(positions.items())
                ],
            }
        ],
        "perspectives": [{"name": title, "style": style}],
    }


def write_blueprint(doc: dict[str, Any], path: str | os.PathLike[str]) -> None:
    from ..output import atomic_write

    text = json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8")
    atomic_write(path, lambda f: f.write(text))

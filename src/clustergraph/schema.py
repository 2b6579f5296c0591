"""The data format: one table of collections and fields that the loader checks,
the builder reads and `clustergraph schema` turns into JSON Schema.

Keep this the only place that says which fields exist and what they hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .concepts import KINDS, STAGES

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
WIKIDATA_RE = re.compile(r"Q[1-9][0-9]*\Z")
DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")  # not \d: any script's digits
# Characters that RFC 3987 forbids in an IRI, plus controls and whitespace.
URL_BAD_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
URL_RE = re.compile(r"https?://[^/?#\s]+[^\s]*\Z", re.IGNORECASE)
NAICS_RE = re.compile(r"[0-9]{2,6}\Z")

# Collections whose records become network nodes and may be referenced by the
# fields the contract leaves open (lead, partners, members, ...).
ENTITY_COLLECTIONS = (
    "organizations",
    "colleges",
    "workforce_boards",
    "people",
    "facilities",
    "programs",
    "initiatives",
    "policies",
)
ORG_LIKE = ("organizations", "colleges", "workforce_boards")
PLAN_ITEM = "plan-item"  # goals, strategies and actions inside `plans`
VALUE_CHAIN = STAGES

ORGANIZATION_TYPES = (
    "economic-development-org",
    "chamber",
    "port",
    "company",
    "research-institute",
    "nonprofit",
    "government",
    "legislature",
    "labor-union",
    "labor-management-partnership",
    "industry-association",
    "foundation",
    "consortium",
    "incubator",
)
COLLEGE_TYPES = ("community-college", "university", "state-university", "private-university")


@dataclass(frozen=True, slots=True)
class Field:
    """What one field holds.

    kind: text | texts | slug | int | date | url | wikidata | enum | enums |
          open-enum | ref | refs | naics | goals | disputed
    choices: the closed value set (enum, enums) or the conventional values (open-enum)
    targets: collections a reference may point to
    """

    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    doc: str = ""
    min_items: int = 0

    @property
    def is_ref(self) -> bool:
        return self.kind in ("ref", "refs")


def _text(doc: str = "", required: bool = False) -> Field:
    return Field("text", required=required, doc=doc)


def _refs(*targets: str, doc: str = "", min_items: int = 0, required: bool = False) -> Field:
    return Field("refs", targets=targets, doc=doc, min_items=min_items, required=required)


def _ref(*targets: str, doc: str = "") -> Field:
    return Field("ref", targets=targets, doc=doc)


COMMON: dict[str, Field] = {
    "id": Field("slug", required=True, doc="unique lower-case slug, e.g. 'port-of-los-angeles'"),
    "name": _text("display name", required=True),
    "description": _text("a sentence or two"),
    "aliases": Field("texts", doc="other names the record is known by"),
    "website": Field("url", doc="http(s) URL of the home page"),
    "wikidata": Field("wikidata", doc="Wikidata item id, e.g. Q123"),
    "city": _text("city or locality"),
    "clusters": _refs("clusters", doc="cluster ids"),
    "sources": _refs("sources", doc="ids of the sources that state this record"),
    "notes": _text("free notes, e.g. 'unverified'"),
    "disputed": Field("disputed", doc="values on which sources disagree with the one the record uses"),
}

# One entry of `disputed`: an alternative value of one of the record's fields, the
# sources that give it, and a note. The record keeps the value it uses; this says
# that other sources give another.
DISPUTE: dict[str, Field] = {
    "field": _text("the field whose value sources disagree on (a field of the record)", required=True),
    "value": _text("the other value, as the source gives it", required=True),
    "sources": _refs("sources", doc="ids of the sources that give this value", min_items=1, required=True),
    "note": _text("how the sources differ, or which one the record follows and why"),
}
# Fields whose value is the record's identity: sources cannot disagree on them in the data.
NOT_DISPUTABLE = ("id", "disputed")
# Collections that hold at most one record in a data directory.
SINGLETONS = ("datasets",)

COLLECTIONS: dict[str, dict[str, Field]] = {
    "datasets": {
        "region": _text("the region the dataset covers, e.g. 'Los Angeles County'", required=True),
        "edition": Field("date", doc="when this edition was issued"),
        "publisher": _ref(*ORG_LIKE, doc="organisation that publishes the dataset"),
        "license": Field("url", doc="URL of the licence the data is published under"),
    },
    "sources": {
        "title": _text("title of the document or page", required=True),
        "publisher": _ref(*ORG_LIKE, doc="organisation that published it"),
        "year": Field("int", doc="year of publication"),
        "url": Field("url", doc="where it can be read"),
        "pages": _text("pages cited"),
    },
    "clusters": {
        "type": Field("enum", choices=("traded", "local", "emerging")),
        "broader": _ref("clusters", doc="the wider cluster this one belongs to"),
        "naics": Field("naics", doc="NAICS codes, as strings"),
        "benchmark": _text("US Cluster Mapping benchmark cluster name"),
    },
    "organizations": {
        "type": Field("enum", required=True, choices=ORGANIZATION_TYPES),
        "members": _refs(*ORG_LIKE, doc="member organisations, colleges or boards"),
        # A college may host a centre or institute (a Center of Excellence at a college).
        "parent": _ref("organizations", "colleges", doc="parent organisation or college"),
    },
    "colleges": {
        "type": Field("enum", required=True, choices=COLLEGE_TYPES),
        "district": _text("college district"),
        "consortium": _ref("organizations", doc="consortium the college belongs to"),
    },
    "workforce_boards": {
        "area": _text("the area the board serves"),
        "parent": _ref("organizations", "workforce_boards", doc="parent body"),
    },
    "facilities": {
        "operator": _ref(*ENTITY_COLLECTIONS, doc="who runs it"),
        "located_at": _ref("facilities", "organizations", doc="facility or organisation it sits in"),
        "purpose": Field("texts", doc="what it is for"),
        "value_chain": Field("enums", choices=VALUE_CHAIN),
        "status": Field("enum", choices=("planned", "financing", "under-construction", "open", "closed")),
    },
    "programs": {
        "type": Field("enum", choices=("apprenticeship", "training", "degree", "certificate", "incubation")),
        "provider": _refs(*ENTITY_COLLECTIONS, doc="who runs it"),
        "occupations": Field("texts", doc="occupations it trains for"),
    },
    "initiatives": {
        "lead": _refs(*ENTITY_COLLECTIONS, doc="who leads it"),
        "partners": _refs(*ENTITY_COLLECTIONS, doc="who takes part"),
        "started": Field("date"),
        "status": Field("open-enum", choices=("planned", "active", "completed", "ended")),
        "strategy": _ref(PLAN_ITEM, doc="the plan goal, strategy or action it carries out"),
    },
    "people": {
        "role": _text("title or role"),
        "affiliation": _ref(*ENTITY_COLLECTIONS, doc="where the person works"),
    },
    "policies": {
        "type": Field("enum", choices=("bill", "regulation", "tax", "permit")),
        "identifier": _text("official identifier, e.g. 'AB 427'"),
        "jurisdiction": _text("e.g. California"),
        "authors": _refs(*ENTITY_COLLECTIONS, doc="person ids"),
        "supporters": _refs(*ENTITY_COLLECTIONS),
        "opponents": _refs(*ENTITY_COLLECTIONS),
        "status": _text("e.g. introduced, chaptered, vetoed"),
        "introduced": Field("date"),
        "scope": Field("texts", doc="the activities the policy names as its scope"),
    },
    "reports": {
        "publisher": _ref(*ENTITY_COLLECTIONS),
        "published": Field("date"),
        "url": Field("url"),
    },
    "plans": {
        "goals": Field("goals", doc="goals, each with strategies, each with actions"),
    },
    "events": {
        "date": Field("date", required=True),
        "type": Field(
            "open-enum",
            required=True,
            choices=(
                "financing-closed",
                "groundbreaking",
                "launched",
                "published",
                "meeting",
                "introduced",
                "opened",
            ),
        ),
        "subject": _refs(*ENTITY_COLLECTIONS, "reports"),
        "participants": _refs(*ENTITY_COLLECTIONS),
        "advances": _refs(PLAN_ITEM, doc="plan goals, strategies or actions it moves forward"),
    },
    "partnerships": {
        "members": _refs(*ENTITY_COLLECTIONS, min_items=2, required=True, doc="two or more ids"),
        "type": Field(
            "open-enum",
            required=True,
            choices=(
                "sector-partnership",
                "membership",
                "funding",
                "training",
                "research",
                "advocacy",
                "co-location",
            ),
        ),
        "via": _ref("initiatives", doc="initiative the partnership runs through"),
        "since": Field("date"),
        "until": Field("date"),
    },
}

# Plans nest goals -> strategies -> actions; each level is a small record of its own.
PLAN_LEVELS: dict[str, dict[str, Field]] = {
    "goal": {"strategies": Field("goals")},
    "strategy": {"actions": Field("goals")},
    "action": {"lead": _refs(*ENTITY_COLLECTIONS, doc="who leads the action")},
}
PLAN_CHILD = {
    "plan": ("goals", "goal"),
    "goal": ("strategies", "strategy"),
    "strategy": ("actions", "action"),
}
PLAN_ITEM_COMMON = ("id", "name", "description", "clusters", "sources", "notes", "disputed")

# Singular kind of each collection's records, as the network and map name them.
KIND = {k.collection: k.kind for k in KINDS}


def fields_of(collection: str) -> dict[str, Field]:
    """Every field a record of `collection` may have, common ones first."""
    return {**COMMON, **COLLECTIONS[collection]}


def plan_fields(level: str) -> dict[str, Field]:
    return {k: COMMON[k] for k in PLAN_ITEM_COMMON} | PLAN_LEVELS[level]


@cache
def fields_for(collection: str, kind: str) -> dict[str, Field]:
    """Fields of a record; goals, strategies and actions inside plans have their own.

    Cached, one dict per kind: callers read it and never change it.
    """
    if kind in PLAN_LEVELS:
        return plan_fields(kind)
    return fields_of(collection)


def disputable(fields: dict[str, Field]) -> list[str]:
    """The fields of a record that `disputed` may name."""
    return [name for name in fields if name not in NOT_DISPUTABLE]


def check_date(text: str) -> str | None:
    """Return a problem description for a bad YYYY[-MM[-DD]] date, or None."""
    import calendar

    m = DATE_RE.match(text)
    if not m:
        return "expected a date written YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is not None and not 1 <= int(month) <= 12:
        return f"month {month} does not exist"
    if day is not None:
        last = calendar.monthrange(int(year), int(month))[1]
        if not 1 <= int(day) <= last:
            return f"day {day} does not exist in {year}-{month}"
    return None


def check_url(text: str) -> str | None:
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme not in ("http", "https"):
        if scheme.isalpha():
            return f"'{scheme}:' links are not allowed; expected an http:// or https:// URL"
        return "expected an absolute http:// or https:// URL"
    if URL_BAD_CHARS.search(text):
        return 'URL contains a space, control character or one of <>"{}|^`\\'
    if not URL_RE.match(text):
        return "expected an absolute http:// or https:// URL"
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(text)
    except ValueError as exc:
        return f"not a valid IRI: {exc}"
    return None


# ---------------------------------------------------------------- JSON Schema


def _json_field(f: Field) -> dict[str, Any]:
    doc = {"description": f.doc} if f.doc else {}
    slug = {"type": "string", "pattern": SLUG_RE.pattern.removesuffix("\\Z").join("^$")}
    date = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
    url = {"type": "string", "format": "uri", "pattern": "^https?://"}
    match f.kind:
        case "text":
            out: dict[str, Any] = {"type": ["string", "number"]}
        case "texts":
            out = {"type": "array", "items": {"type": "string"}}
        case "slug" | "ref":
            out = slug
        case "refs":
            out = {"type": "array", "items": slug, "uniqueItems": True}
            if f.min_items:
                out["minItems"] = f.min_items
        case "int":
            out = {"type": "integer"}
        case "date":
            out = date
        case "url":
            out = url
        case "wikidata":
            out = {"type": "string", "pattern": "^Q[1-9][0-9]*$"}
        case "enum":
            out = {"enum": list(f.choices)}
        case "enums":
            out = {"type": "array", "items": {"enum": list(f.choices)}, "uniqueItems": True}
        case "open-enum":
            out = {**slug, "examples": list(f.choices)}
        case "naics":
            out = {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{2,6}$"}}
        case "goals":
            out = {"type": "array", "items": {"$ref": "#/$defs/goal"}}
        case _:  # pragma: no cover - the table above is closed
            raise ValueError(f.kind)
    return out | doc


def _json_record(fields: dict[str, Field]) -> dict[str, Any]:
    props = {}
    for name, f in fields.items():
        props[name] = _json_disputed(disputable(fields)) if f.kind == "disputed" else _json_field(f)
    return {
        "type": "object",
        "properties": props,
        "required": [name for name, f in fields.items() if f.required],
        "additionalProperties": False,
    }


def _json_disputed(names: list[str]) -> dict[str, Any]:
    entry = _json_record(DISPUTE)
    entry["properties"]["field"] = {"enum": names, "description": DISPUTE["field"].doc}
    return {"type": "array", "items": entry, "description": COMMON["disputed"].doc}


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one data file, made from the tables above."""
    defs: dict[str, Any] = {}
    for level, (key, child) in (("goal", ("strategies", "strategy")), ("strategy", ("actions", "action"))):
        rec = _json_record(plan_fields(level))
        rec["properties"][key] = {"type": "array", "items": {"$ref": f"#/$defs/{child}"}}
        defs[level] = rec
    defs["action"] = _json_record(plan_fields("action"))
    props: dict[str, Any] = {
        name: {"type": "array", "items": _json_record(fields_of(name))} for name in COLLECTIONS
    }
    for name in SINGLETONS:
        props[name]["maxItems"] = 1
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://w3id.org/clustergraph/schema/data.json",
        "title": "clustergraph data file",
        "description": "A mapping of collection names to lists of records.",
        "type": "object",
        "properties": props,
        "additionalProperties": False,
        "$defs": defs,
    }


# ---------------------------------------------------------------- the manual's tables

_HOLDS = {
    "text": "text",
    "texts": "list of text",
    "slug": "id slug",
    "int": "whole number",
    "date": "date (YYYY, YYYY-MM, YYYY-MM-DD)",
    "url": "http(s) URL",
    "wikidata": "Wikidata id (Q…)",
    "naics": "list of NAICS codes as quoted strings",
}


def _targets(f: Field) -> str:
    return " / ".join("plan goal/strategy/action" if t == PLAN_ITEM else t for t in f.targets)


def _holds(f: Field) -> str:
    """What the manual says a field holds, e.g. 'list of ids of sources. ids of the sources ...'."""
    values = ", ".join(f"`{c}`" for c in f.choices)
    match f.kind:
        case "ref":
            base = f"id of {_targets(f)}"
        case "refs":
            base = f"list of ids of {_targets(f)}"
        case "enum":
            base = f"one of: {values}"
        case "enums":
            base = f"list, each one of: {values}"
        case "open-enum":
            base = f"lower-case slug, such as {values}"
        case "goals":
            return "nested list (see below)"
        case "disputed":
            return "list of `{field, value, sources, note}` (see below). " + f.doc
        case _:
            base = _HOLDS[f.kind]
    return f"{base}. {f.doc}" if f.doc else base


def markdown_table(fields: dict[str, Field]) -> str:
    """One field table of docs/data-format.md, as the manual prints it."""
    lines = ["| field | required | holds |", "| --- | --- | --- |"]
    for name, f in fields.items():
        lines.append(f"| `{name}` | {'yes' if f.required else ''} | {_holds(f)} |")
    return "\n".join(lines) + "\n"


def markdown_tables() -> list[str]:
    """Every field table of docs/data-format.md, in its order: the fields every record may
    have, then one per collection, then the fields of a `disputed` entry.
    tests/test_docs.py checks the manual holds exactly these."""
    return [
        markdown_table(COMMON),
        *(markdown_table(COLLECTIONS[name]) for name in COLLECTIONS),
        markdown_table(DISPUTE),
    ]

"""What changed between two editions of the data.

An edition is a data directory, an exported RDF file, or a git revision of a data
directory written `REV:PATH`. Both sides are compared as RDF graphs, so a Turtle
file received from a partner compares the same way as a YAML directory; where the
new side is YAML, each changed value also says where it is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .builder import _COMMON, _FIELDS, BuiltGraph
from .concepts import KINDS, PLAN_LEVELS
from .edition import Edition, open_editions
from .records import Data
from .rows import Row
from .vocab import CG, DCTERMS, RDF, RDFS

# Class -> collection and kind, to name an entity read back from RDF (the
# dataset record is not an entity that changes; plan levels are plans' records).
_COLLECTION_OF_CLASS = {CG + k.cls: k.collection for k in KINDS if k.collection != "datasets"}
_KIND_OF_CLASS = {CG + k.cls: k.kind for k in KINDS if k.collection != "datasets"}
for _level, _cls in PLAN_LEVELS.items():
    _COLLECTION_OF_CLASS[CG + _cls] = "plans"
    _KIND_OF_CLASS[CG + _cls] = _level


def _field_names() -> dict[str, dict[str, str]]:
    """Per collection: predicate IRI -> field name, the inverse of the builder's table."""
    out: dict[str, dict[str, str]] = {}
    for collection in _COLLECTION_OF_CLASS.values():
        table = {pred: name for name, (pred, _) in _COMMON.items()}
        table.update({pred: name for name, (pred, _) in _FIELDS[collection].items()})
        table[RDFS + "label"] = "name"
        out[collection] = table
    return out


_FIELD_OF = _field_names()
CHANGESET = "http://purl.org/vocab/changeset/schema#"


@dataclass(frozen=True)
class Entity:
    id: str
    kind: str
    collection: str
    fields: dict[str, tuple[str, ...]]

    @property
    def name(self) -> str:
        return self.fields.get("name", ("",))[0]


@dataclass(frozen=True, slots=True, eq=False)
class Change(Row):
    """One change between editions: an entity `added`, `removed` or `changed` (one row per
    field, `old` -> `new`, and `where` the new value is written), or a partnership
    `started` or `ended` (with its type, dates and sources in `detail`)."""

    optional = ("detail",)
    change: str
    kind: str
    id: str
    name: str
    field: str
    old: str
    new: str
    where: str
    detail: dict[str, str] | None = None


@dataclass(frozen=True, slots=True, eq=False)
class NetworkChange(Row):
    """One way the network moved between editions (see `network_changes`)."""

    change: str
    what: str
    id: str
    name: str
    old: str
    new: str


@dataclass
class Diff:
    """The changes from `old` to `new`, by id, plus the raw triple changes."""

    old: str
    new: str
    rows: list[Change]
    added: list[ox.Triple]
    removed: list[ox.Triple]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for r in self.rows:
            counts[r["change"]] += 1
        return dict(counts)


# ---------------------------------------------------------------- comparing


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode, base: str) -> str:
    if isinstance(term, ox.NamedNode):
        v = term.value
        return v.removeprefix(base) if v.startswith(base) else v
    return term.value


def entities(graph: BuiltGraph) -> dict[str, Entity]:
    """Every record of a built graph, read back from its triples, by id."""
    base = graph.base
    ident = ox.NamedNode(DCTERMS + "identifier")
    a = ox.NamedNode(RDF + "type")
    out: dict[str, Entity] = {}
    for quad in graph.store.quads_for_pattern(None, ident, None, ox.DefaultGraph()):
        s = quad.subject
        classes = {q.object.value for q in graph.store.quads_for_pattern(s, a, None, ox.DefaultGraph())}
        cls = next((c for c in classes if c in _COLLECTION_OF_CLASS), None)
        if cls is None:
            continue
        collection = _COLLECTION_OF_CLASS[cls]
        names = _FIELD_OF[collection]
        values: dict[str, list[str]] = defaultdict(list)
        for q in graph.store.quads_for_pattern(s, None, None, ox.DefaultGraph()):
            name = names.get(q.predicate.value)
            if name is not None:
                values[name].append(_value(q.object, base))
        rid = quad.object.value
        out[rid] = Entity(
            rid, _KIND_OF_CLASS[cls], collection, {k: tuple(sorted(v)) for k, v in values.items()}
        )
    return out


def record_entities(data: Data) -> dict[str, Entity]:
    """Every record as written in YAML, by id: what a reviewer of the files sees."""
    out: dict[str, Entity] = {}
    for rec in data:
        values = {
            k: tuple(sorted(map(str, v))) if isinstance(v, tuple) else (str(v),)
            for k, v in rec.fields.items()
        }
        values["name"] = (rec.name,)
        out[rec.id] = Entity(rec.id, rec.kind, rec.collection, values)
    return out


def _where(edition: Edition, rid: str, name: str) -> str:
    if edition.data is None or rid not in edition.data.by_id:
        return ""
    rec = edition.data.by_id[rid]
    text = str(rec.where(name) if name else rec.loc)
    for tmp, shown in edition.shown_root.items():
        text = text.replace(tmp, shown, 1)
    return text


def _show(values: tuple[str, ...] | None) -> str:
    if not values:
        return ""
    return values[0] if len(values) == 1 else "[" + ", ".join(values) + "]"


def _triples(graph: BuiltGraph) -> set[ox.Triple]:
    return {q.triple for q in graph.store.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def diff(old: Edition, new: Edition) -> Diff:
    """Compare two editions.

    Rows, in this order: entities added, removed and changed (one row per changed
    field, old -> new, and where the new value is written), partnerships
    started and ended. `change` is one of added, removed, changed, started, ended.
    """
    if old.data is not None and new.data is not None:
        # Both sides are YAML: compare the records as written, so a change that the
        # graph also states another way (a consortium's member list) still shows.
        before, after = record_entities(old.data), record_entities(new.data)
    else:
        before, after = entities(old.graph), entities(new.graph)
    rows: list[Change] = []

    def row(change: str, e: Entity, fld: str = "", was: str = "", now: str = "", where: str = "") -> None:
        detail = None
        if e.kind == "partnership" and change in ("started", "ended", "added"):
            fields = (after.get(e.id) or before[e.id]).fields
            detail = {k: _show(fields.get(k)) for k in ("type", "since", "until", "sources")}
        rows.append(Change(change, e.kind, e.id, e.name, fld, was, now, where, detail))

    for rid in sorted(after.keys() - before.keys()):
        e = after[rid]
        if e.collection == "partnerships":
            continue
        row("added", e, where=_where(new, rid, ""))
    for rid in sorted(before.keys() - after.keys()):
        e = before[rid]
        if e.collection != "partnerships":
            row("removed", e)
    for rid in sorted(before.keys() & after.keys()):
        b, n = before[rid], after[rid]
        for fld in sorted(b.fields.keys() | n.fields.keys()):
            if b.fields.get(fld) != n.fields.get(fld):
                row(
                    "changed",
                    n,
                    fld,
                    _show(b.fields.get(fld)),
                    _show(n.fields.get(fld)),
                    _where(new, rid, fld),
                )
    for rid in sorted(after.keys() - before.keys()):
        e = after[rid]
        if e.collection == "partnerships":
            row("started", e, "members", "", _show(e.fields.get("members")), _where(new, rid, ""))
    for rid in sorted(before.keys() - after.keys()):
        e = before[rid]
        if e.collection == "partnerships":
            row("ended", e, "members", _show(e.fields.get("members")), "")
    for rid in sorted(before.keys() & after.keys()):
        e = after[rid]
        if e.collection == "partnerships" and e.fields.get("until") and not before[rid].fields.get("until"):
            row("ended", e, "until", "", _show(e.fields["until"]), _where(new, rid, "until"))
    old_t, new_t = _triples(old.graph), _triples(new.graph)
    added = sorted(new_t - old_t, key=str)
    removed = sorted(old_t - new_t, key=str)
    return Diff(old.label, new.label, rows, added, removed)


# ---------------------------------------------------------------- changesets


def changeset_turtle(d: Diff, prefixes: dict[str, str] | None = None) -> bytes:
    """The triple changes as a Talis ChangeSet in Turtle: one cs:ChangeSet per
    changed subject, each with reified `cs:removal` and `cs:addition` statements.
    `apply_changeset` (or the SPARQL update in the README) applies it to a store."""
    store = ox.Store()
    a = ox.NamedNode(RDF + "type")
    cs = {
        n: ox.NamedNode(CHANGESET + n)
        for n in ("ChangeSet", "subjectOfChange", "removal", "addition", "changeReason")
    }
    rdf = {n: ox.NamedNode(RDF + n) for n in ("Statement", "subject", "predicate", "object")}
    by_subject: dict[Any, list[tuple[ox.NamedNode, ox.Triple]]] = defaultdict(list)
    for t in d.removed:
        by_subject[t.subject].append((cs["removal"], t))
    for t in d.added:
        by_subject[t.subject].append((cs["addition"], t))
    quads = []
    for i, (subject, changes) in enumerate(sorted(by_subject.items(), key=lambda kv: str(kv[0]))):
        node = ox.BlankNode(f"cs{i}")
        quads += [
            ox.Quad(node, a, cs["ChangeSet"]),
            ox.Quad(node, cs["subjectOfChange"], subject),
            ox.Quad(node, cs["changeReason"], ox.Literal(f"clustergraph diff {d.old} {d.new}")),
        ]
        for j, (kind, t) in enumerate(changes):
            st = ox.BlankNode(f"cs{i}s{j}")
            quads += [
                ox.Quad(node, kind, st),
                ox.Quad(st, a, rdf["Statement"]),
                ox.Quad(st, rdf["subject"], t.subject),
                ox.Quad(st, rdf["predicate"], t.predicate),
                ox.Quad(st, rdf["object"], t.object),
            ]
    store.extend(quads)
    pfx = {"cs": CHANGESET, "rdf": RDF, **(prefixes or {})}
    return store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=pfx)


def sparql_update(d: Diff) -> str:
    """The triple changes as one SPARQL 1.1 Update any store can run."""

    def block(triples: Iterable[ox.Triple]) -> str:
        return "\n".join(f"  {t.subject} {t.predicate} {t.object} ." for t in triples)

    return f"DELETE DATA {{\n{block(d.removed)}\n}} ;\nINSERT DATA {{\n{block(d.added)}\n}}\n"


APPLY_CHANGESET = f"""PREFIX cs: <{CHANGESET}>
PREFIX rdf: <{RDF}>
DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <urn:clustergraph:changeset> {{
  ?c cs:removal ?st . ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }} }} ;
INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <urn:clustergraph:changeset> {{
  ?c cs:addition ?st . ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }} }} ;
DROP SILENT GRAPH <urn:clustergraph:changeset>
"""


def apply_changeset(store: ox.Store, changeset: bytes) -> None:
    """Apply a changeset made by `changeset_turtle` to the default graph of `store`."""
    store.load(changeset, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:clustergraph:changeset"))
    store.update(APPLY_CHANGESET)


class _Closing:
    """Closes editions on leaving a `with` block (what `open_pair` hands back)."""

    def __init__(self, editions: Iterable[Edition]) -> None:
        self.editions = list(editions)

    def cleanup(self) -> None:
        for ed in self.editions:
            ed.close()

    def __enter__(self) -> _Closing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()


def open_pair(old: str, new: str) -> tuple[Edition, Edition, _Closing]:
    """Both editions (problems of both reported at once), and what closes them."""
    a, b = open_editions(old, new)
    return a, b, _Closing((a, b))


# ---------------------------------------------------------------- how the network moved


def _components(G: Any) -> list[frozenset[str]]:
    """Groups of actors linked to each other (clusters are topics, not links)."""
    import networkx as nx

    from .network import actors

    return [frozenset(c) for c in nx.connected_components(actors(G)) if len(c) > 1]


def network_changes(
    old: Edition, new: Edition, top: int = 10, relations: str | Iterable[str] | None = None
) -> list[NetworkChange]:
    """How the partnership network moved between two editions.

    Rows (`change`): `rank` for an entity that entered, left or moved within the
    top `top` connectors (rank before -> after, with its betweenness);
    `articulation-gained` / `articulation-lost` for entities that became, or
    stopped being, single points of failure; `gap-closed` / `gap-opened` per
    cluster and asset kind of the coverage rules, and per value-chain cell;
    `merged` / `split` for groups of linked entities (connected components of two
    or more) that joined up or fell apart.

    Both networks are of the same `relations` (default: all), taken from each
    edition's own cache, so nothing is projected or analysed twice.
    """
    G_old, G_new = old.network(relations), new.network(relations)
    c_old = {r["id"]: r for r in old.connectors(relations)}
    c_new = {r["id"]: r for r in new.connectors(relations)}
    rows: list[NetworkChange] = []

    def label(rid: str) -> str:
        for G in (G_new, G_old):
            if rid in G:
                return str(G.nodes[rid].get("label", rid))
        return rid

    def add(change: str, what: str, rid: str, was: str, now: str) -> None:
        rows.append(NetworkChange(change, what, rid, label(rid) if rid else "", was, now))

    def rank(r: Any) -> str:
        return f"{r['rank']} (betweenness {r['betweenness']:.3g})" if r else "-"

    for rid in sorted(c_old.keys() | c_new.keys(), key=lambda i: (c_new.get(i, {}).get("rank", 1e9), i)):
        a, b = c_old.get(rid), c_new.get(rid)
        ra, rb = (a or {}).get("rank", 1e9), (b or {}).get("rank", 1e9)
        if ra != rb and min(ra, rb) <= top:
            add("rank", "connector", rid, rank(a), rank(b))
    for rid in sorted(c_old.keys() | c_new.keys()):
        was = bool((c_old.get(rid) or {}).get("articulation"))
        now = bool((c_new.get(rid) or {}).get("articulation"))
        if was != now:
            cut = (c_new.get(rid) if now else c_old.get(rid)) or {}
            add(
                f"articulation-{'gained' if now else 'lost'}",
                "single point of failure",
                rid,
                str(was).lower(),
                f"cuts off {cut.get('cut_off', 0)}" if now else "false",
            )
    g_old, g_new = old.gaps(relations), new.gaps(relations)
    for key, kind in (("coverage", "asset"), ("value_chain", "stage")):
        before = {(r["cluster"], r[kind]): r for r in g_old[key]}
        for r in g_new[key]:
            prev = before.get((r["cluster"], r[kind]))
            was_gap = prev is None or (not prev["has"] if key == "coverage" else prev["empty"])
            is_gap = not r["has"] if key == "coverage" else r["empty"]
            if was_gap != is_gap:
                add(
                    "gap-opened" if is_gap else "gap-closed",
                    f"{kind} {r[kind]}",
                    r["cluster"],
                    "gap" if was_gap else "covered",
                    "gap" if is_gap else "covered",
                )
    comp_old, comp_new = _components(G_old), _components(G_new)

    def whole(group: frozenset[str]) -> str:
        return f"{len(group)} entities incl. {label(min(group))}"

    def pieces(groups: list[frozenset[str]]) -> str:
        return " + ".join(f"{len(g)} entities" for g in groups)

    # A group of one edition that overlaps several groups of the other: merged
    # (seen from the new edition) or split (seen from the old one).
    for change, wholes, others in (("merged", comp_new, comp_old), ("split", comp_old, comp_new)):
        for group in wholes:
            parts = [g for g in others if g & group]
            if len(parts) > 1:
                was, now = (
                    (pieces(parts), whole(group)) if change == "merged" else (whole(group), pieces(parts))
                )
                add(change, "group", "", was, now)
    return rows

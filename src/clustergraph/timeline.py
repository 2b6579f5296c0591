"""Progress over time: the plan -> goal -> strategy -> action -> event chain.

Read from the RDF graph only, so it works on an exported Turtle file as well as on
a data directory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .rows import Row
from .vocab import CG, DCTERMS, DEFAULT_BASE, RDF, RDFS, SCHEMA

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .builder import BuiltGraph, TripleTable

_DEPTH = {"plan": 0, "goal": 1, "strategy": 2, "action": 3}


@dataclass(frozen=True, slots=True, eq=False)
class ProgressEvent(Row):
    """A dated event, what it is about, its clusters, and the plan items it advances.

    `action`, `strategy` and `goal` name the chain of the first item it advances
    (empty where it advances none, or a strategy or goal directly).
    """

    brief = ("date", "event", "type", "action", "clusters")
    date: str
    year: str
    id: str
    event: str
    type: str
    subjects: list[str]
    clusters: list[str]
    advances: list[str]
    action: str
    strategy: str
    goal: str


@dataclass(frozen=True, slots=True, eq=False)
class StalledItem(Row):
    """A goal, strategy or action that no event advances yet."""

    brief = ("level", "id", "name", "part_of")
    id: str
    level: str
    name: str
    part_of: str


@dataclass(frozen=True)
class Progress:
    """The timeline of progress events and the plan items none of them advances."""

    events: list[ProgressEvent]
    stalled: list[StalledItem]

    def by_year(self, key: str = "action") -> list[dict[str, Any]]:
        """Events per year and per `key` (action, strategy, goal or cluster)."""
        counts: Counter[tuple[str, str]] = Counter()
        for e in self.events:
            values = e[f"{key}s"] if key == "cluster" else [e[key]] if e[key] else []
            for v in values or ["(none)"]:
                counts[(e["year"], v)] += 1
        return [{"year": y, key: k, "events": n} for (y, k), n in sorted(counts.items())]


@dataclass(frozen=True)
class Plan:
    """What progress reads of a graph, once: the plan's items and every event, whatever its date.

    `items` maps a plan item's id to (level, name, part_of); `events` are every
    event, oldest first; `names` maps each plan item an event advances to its
    label, where it has one (what a page shows for it). `progress` reads the day
    it is asked for from these, so a day's view and the whole edition read the
    graph once between them, and an edition can keep them between runs.
    """

    items: dict[str, tuple[str, str, str]]
    events: list[ProgressEvent]
    names: dict[str, str]


def read_plan(graph: BuiltGraph | ox.Store | TripleTable, base: str | None = None) -> Plan:
    """The plan items and events of `graph`: a built graph, a store, or the triples the build
    would write (`builder.TripleTable`), all read alike and giving the same `Plan`.

    Ids are IRIs with `base` taken off (the graph's own base for a built graph or a
    table, else the default). Where a record holds one value, "first" and "least"
    agree; a graph from elsewhere with several is read as the store orders them.
    """
    from .network.project import _Reader, _store

    if base is None:
        base = getattr(graph, "base", DEFAULT_BASE)
    read = _Reader(*_store(graph))

    def local(iri: str) -> str:
        return iri.removeprefix(base)

    def objects(predicate: str, subjects: Collection[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for s, o in read.each(predicate):
            if s in subjects:
                out.setdefault(s, []).append(o)
        return out

    level: dict[str, str] = {}
    for cls in ("Plan", "Goal", "Strategy", "Action"):
        for s, _ in read.each(RDF + "type", CG + cls):
            level[s] = cls.lower()
    events = {s: None for s, _ in read.each(RDF + "type", CG + "Event")}
    advances = objects(CG + "advances", events)
    targets = {o for values in advances.values() for o in values}
    labels = objects(RDFS + "label", level.keys() | events.keys() | targets)
    part_of = objects(DCTERMS + "isPartOf", level)
    items = {
        local(s): (lv, min(labels.get(s, ("",))), local(part_of[s][0]) if s in part_of else "")
        for s, lv in level.items()
    }
    dates, category = objects(SCHEMA + "startDate", events), objects(CG + "category", events)
    about, own = objects(SCHEMA + "about", events), objects(CG + "inCluster", events)
    clusters_of = objects(CG + "inCluster", {o for values in about.values() for o in values})
    found: list[ProgressEvent] = []
    for e in events:
        date = min(dates.get(e, ("",)))
        advanced = sorted(local(o) for o in advances.get(e, ()))
        found.append(
            ProgressEvent(
                date=date,
                year=date[:4],
                id=local(e),
                event=min(labels.get(e, ("",))),
                type=min(category.get(e, ("",))),
                subjects=sorted(local(o) for o in about.get(e, ())),
                # an event counts for its own clusters and those of what it is about
                clusters=sorted(
                    {local(o) for o in own.get(e, ())}
                    | {local(c) for s in about.get(e, ()) for c in clusters_of.get(s, ())}
                ),
                advances=advanced,
                **_chain(items, advanced[0] if advanced else ""),
            )
        )
    found.sort(key=lambda r: (r["date"], r["id"]))
    names = {local(t): labels[t][0] for t in sorted(targets) if labels.get(t, ("",))[0]}
    return Plan(items, found, names)


def _chain(items: dict[str, tuple[str, str, str]], rid: str) -> dict[str, str]:
    """The action, strategy and goal above plan item `rid` (each the highest of its level)."""
    out = {"action": "", "strategy": "", "goal": ""}
    while rid in items:
        level, _, up = items[rid]
        if level in out:
            out[level] = rid
        rid = up
    return out


def progress(graph: BuiltGraph | Plan, at: str | None = None) -> Progress:
    """Every progress event with the plan item it advances, oldest first, and the
    actions (and strategies, goals) that no event advances yet.

    `graph` is the built graph, or what `read_plan` read of one. With `at` (a
    date, see `clustergraph.network.dated`), only the events up to that day
    count, so `stalled` is what no event had advanced by then.

    An event that advances a strategy or goal directly counts for it; one that
    advances an action counts for the action, its strategy and its goal. An
    action listed under `stalled` has no reported progress at all: the first
    place to ask "is anyone working on this?".
    """
    plan = graph if isinstance(graph, Plan) else read_plan(graph)
    events = plan.events
    if at is not None:
        from .network.dated import Span, check_date

        when = check_date(at)
        events = [e for e in events if Span(e.date or None).on(when)]
    items = plan.items
    advanced = {x for e in events for t in e.advances for x in _chain(items, t).values() if x}
    stalled = [
        StalledItem(rid, lv, name, up)
        for rid, (lv, name, up) in sorted(items.items(), key=lambda kv: (_DEPTH[kv[1][0]], kv[0]))
        if lv != "plan" and rid not in advanced
    ]
    return Progress(events, stalled)

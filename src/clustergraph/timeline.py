"""Progress over time: the plan -> goal -> strategy -> action -> event chain.

Read from the RDF graph only, so it works on an exported Turtle file as well as on
a data directory.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .builder import BuiltGraph
from .rows import Row
from .vocab import CG, DCTERMS, RDF, RDFS, SCHEMA

_A = ox.NamedNode(RDF + "type")
_LABEL = ox.NamedNode(RDFS + "label")
_PART_OF = ox.NamedNode(DCTERMS + "isPartOf")
_ADVANCES = ox.NamedNode(CG + "advances")
_DATE = ox.NamedNode(SCHEMA + "startDate")
_CATEGORY = ox.NamedNode(CG + "category")
_IN_CLUSTER = ox.NamedNode(CG + "inCluster")
_ABOUT = ox.NamedNode(SCHEMA + "about")
_DG = ox.DefaultGraph()
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


def _objects(store: ox.Store, s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode) -> list[Any]:
    return [q.object for q in store.quads_for_pattern(s, p, None, _DG)]


def _one(store: ox.Store, s: Any, p: ox.NamedNode) -> str:
    values = sorted(o.value for o in _objects(store, s, p))
    return values[0] if values else ""


def _local(graph: BuiltGraph, node: Any) -> str:
    return node.value.removeprefix(graph.base)


def progress(graph: BuiltGraph, at: str | None = None) -> Progress:
    """Every progress event with the plan item it advances, oldest first, and the
    actions (and strategies, goals) that no event advances yet.

    With `at` (a date, see `clustergraph.network.dated`), only the events up to
    that day count, so `stalled` is what no event had advanced by then.

    An event that advances a strategy or goal directly counts for it; one that
    advances an action counts for the action, its strategy and its goal. An
    action listed under `stalled` has no reported progress at all: the first
    place to ask "is anyone working on this?".
    """
    store = graph.store
    parent: dict[str, str] = {}
    level: dict[str, str] = {}
    labels: dict[str, str] = {}
    for cls in ("Plan", "Goal", "Strategy", "Action"):
        for q in store.quads_for_pattern(None, _A, ox.NamedNode(CG + cls), _DG):
            rid = _local(graph, q.subject)
            level[rid] = cls.lower()
            labels[rid] = _one(store, q.subject, _LABEL)
            up = _objects(store, q.subject, _PART_OF)
            if up:
                parent[rid] = _local(graph, up[0])

    def chain(rid: str) -> dict[str, str]:
        out = {"action": "", "strategy": "", "goal": ""}
        while rid in level:
            if level[rid] in out:
                out[level[rid]] = rid
            rid = parent.get(rid, "")
        return out

    events: list[ProgressEvent] = []
    advanced: set[str] = set()
    on = None
    if at is not None:
        from .network.dated import Span, check_date

        when = check_date(at)

        def on(date: str) -> bool:
            return Span(date or None).on(when)

    for q in store.quads_for_pattern(None, _A, ox.NamedNode(CG + "Event"), _DG):
        e = q.subject
        date = _one(store, e, _DATE)
        if on is not None and not on(date):
            continue
        targets = sorted(_local(graph, o) for o in _objects(store, e, _ADVANCES))
        for t in targets:
            advanced.update(x for x in chain(t).values() if x)
        links = chain(targets[0]) if targets else {"action": "", "strategy": "", "goal": ""}
        events.append(
            ProgressEvent(
                date=date,
                year=date[:4],
                id=_local(graph, e),
                event=_one(store, e, _LABEL),
                type=_one(store, e, _CATEGORY),
                subjects=sorted(_local(graph, o) for o in _objects(store, e, _ABOUT)),
                # an event counts for its own clusters and those of what it is about
                clusters=sorted(
                    {_local(graph, o) for o in _objects(store, e, _IN_CLUSTER)}
                    | {
                        _local(graph, c)
                        for s in _objects(store, e, _ABOUT)
                        for c in _objects(store, s, _IN_CLUSTER)
                    }
                ),
                advances=targets,
                **links,
            )
        )
    events.sort(key=lambda r: (r["date"], r["id"]))
    stalled = [
        StalledItem(rid, level[rid], labels[rid], parent.get(rid, ""))
        for rid in sorted(level, key=lambda r: (_DEPTH[level[r]], r))
        if level[rid] != "plan" and rid not in advanced
    ]
    return Progress(events, stalled)

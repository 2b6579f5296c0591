"""The network as it stood on a date: a filter of the projected network by the dated facts of the RDF graph.

`dates` reads the dated facts once (partnerships' start and end, initiatives'
start, policies' introduction, events and whom they concern); `network_at`
keeps the part of a projected network that existed on a day; `first_years`
gives every entity and link the year it first appears, for a map that replays
the network over time. Nothing is projected again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..errors import UsageError
from ..vocab import CG, DCTERMS, RDF, SCHEMA

__all__ = [
    "STATUS_AFTER",
    "Dates",
    "Span",
    "at_sentence",
    "check_date",
    "dates",
    "first_years",
    "network_at",
    "on_words",
]

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")

#: Event types after which a facility no longer counts as an asset.
CLOSING = frozenset({"closed", "demolished"})


def check_date(when: str, name: str = "at") -> str:
    """`when` if it is a date written YYYY, YYYY-MM or YYYY-MM-DD, else UsageError naming `name`.

    >>> check_date("2016")
    '2016'
    """
    text = str(when).strip()
    if not _DATE.match(text):
        raise UsageError(f"`{name}` must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not {when!r}")
    return text


def on_words(when: str) -> str:
    """ "in 2016", "in 2016-05", "on 2016-05-01": a date as a sentence says it.

    >>> on_words("2016"), on_words("2016-05-01")
    ('in 2016', 'on 2016-05-01')
    """
    return f"{'on' if len(when) == 10 else 'in'} {when}"


def _first_day(d: str) -> str:
    return d + "-01-01"[len(d) - 4 :] if len(d) < 10 else d


def _last_day(d: str) -> str:
    return d + "-12-31"[len(d) - 4 :] if len(d) < 10 else d


@dataclass(frozen=True, slots=True)
class Span:
    """When something existed: from `start` (None: undated, always there) until `end` (None: still)."""

    start: str | None
    end: str | None = None

    def on(self, when: str) -> bool:
        """Whether it existed on `when`: begun by its last day and not ended before its first.

        A date as precise as a year counts from the first day of that year, and
        a day asked for as a year is its last day: a partnership "since 2016"
        stood "at 2016".

        >>> Span("2016").on("2016"), Span("2017-03").on("2017-02-28"), Span(None, "2015").on("2016")
        (True, False, False)
        """
        if self.start is not None and _first_day(self.start) > _last_day(when):
            return False
        return self.end is None or _last_day(self.end) >= _first_day(when)


@dataclass(frozen=True, slots=True)
class Dates:
    """The dated facts of a graph, by record id."""

    partnerships: dict[str, Span] = field(repr=False)  #: partnership id -> since / until
    kinds: dict[str, str] = field(repr=False)  #: partnership id -> its type
    starts: dict[str, str] = field(repr=False)  #: entity -> own start (initiative, policy, facility)
    ends: dict[str, str] = field(repr=False)  #: facility -> the date of its closing event
    events: dict[str, list[str]] = field(repr=False)  #: entity -> dates of events about or with it
    #: facility -> (date, event type) of the events about it, oldest first
    stages: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False)


#: Event type -> the status of the facility it is about, from then on (see `network_at`).
STATUS_AFTER: dict[str, str] = {
    "financing-closed": "financing",
    "groundbreaking": "under-construction",
    "opened": "open",
    "launched": "open",
    "closed": "closed",
    "demolished": "closed",
}


def _id(identifier: dict[str, str], iri: str) -> str:
    return identifier.get(iri) or iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def dates(graph: Any) -> Dates:
    """Read the dated facts of the knowledge graph (what `build` writes, or an RDF file with our vocabulary).

    - partnerships: ``schema:startDate`` / ``schema:endDate`` (``since`` / ``until``);
    - an entity's own start: an initiative's ``started``, a policy's
      ``introduced``, else (for initiatives, policies and facilities) the date of
      the first event about it (``subject``: a launch, a groundbreaking, a
      financing);
    - a facility's end: an event about it of a closing type (`CLOSING`);
    - every event's date for each entity it is about or that takes part.

    Examples
    --------
    >>> from clustergraph import build, load
    >>> d = dates(build(load("graph")))
    >>> d.partnerships["ccw-partnership"].start
    '2017-07-20'
    """
    from .project import _Reader, _store

    store, union = _store(graph)
    read = _Reader(store, union)
    identifier = {s: o for s, o in read.pairs(DCTERMS + "identifier")}
    category = {s: o for s, o in read.pairs(CG + "category")}
    start_of = read.values(SCHEMA + "startDate")
    end_of = read.values(SCHEMA + "endDate")
    partnerships: dict[str, Span] = {}
    kinds: dict[str, str] = {}
    for p, _ in read.pairs(RDF + "type", CG + "Partnership"):
        pid = _id(identifier, p)
        s, e = start_of.get(p), end_of.get(p)
        partnerships[pid] = Span(min(s) if s else None, max(e) if e else None)
        kinds[pid] = category.get(p, "partner")
    starts: dict[str, str] = {}
    for iri, _ in read.pairs(RDF + "type", CG + "Initiative"):
        if iri in start_of:
            starts[_id(identifier, iri)] = min(start_of[iri])
    for iri, d in read.pairs(SCHEMA + "legislationDate"):
        nid = _id(identifier, iri)
        starts[nid] = min(d, starts.get(nid, d))
    own = {
        _id(identifier, iri)
        for cls in (CG + "Initiative", CG + "Policy", CG + "Facility")
        for iri, _ in read.pairs(RDF + "type", cls)
    }
    about = read.values(SCHEMA + "about")
    with_ = read.values(CG + "participant")
    events: dict[str, list[str]] = defaultdict(list)
    stages: dict[str, list[tuple[str, str]]] = defaultdict(list)
    facilities = {_id(identifier, iri) for iri, _ in read.pairs(RDF + "type", CG + "Facility")}
    ends: dict[str, str] = {}
    first_about: dict[str, str] = {}
    for ev, _ in read.pairs(RDF + "type", CG + "Event"):
        if ev not in start_of:
            continue
        when = min(start_of[ev])
        for iri in about.get(ev, ()):
            nid = _id(identifier, iri)
            events[nid].append(when)
            first_about[nid] = min(when, first_about.get(nid, when))
            if category.get(ev) in CLOSING:
                ends[nid] = min(when, ends.get(nid, when))
            if nid in facilities and category.get(ev) in STATUS_AFTER:
                stages[nid].append((when, category[ev]))
        for iri in with_.get(ev, ()):
            events[_id(identifier, iri)].append(when)
    for nid, when in first_about.items():
        if nid in own and nid not in starts:
            starts[nid] = when
    return Dates(
        partnerships,
        kinds,
        starts,
        ends,
        {k: sorted(v) for k, v in events.items()},
        {k: sorted(v, key=lambda e: _first_day(e[0])) for k, v in stages.items()},
    )


def _spans(G: nx.Graph, d: Dates) -> tuple[dict[Hashable, Span], dict[tuple[Hashable, Hashable], _Link]]:
    """When each node and each link of `G` existed, from the dated facts."""
    own: dict[Hashable, Span] = {}
    for v, kind in G.nodes(data="kind"):
        sid = str(v)
        if kind != "cluster" and (sid in d.starts or sid in d.ends):
            own[v] = Span(d.starts.get(sid), d.ends.get(sid))
    links: dict[tuple[Hashable, Hashable], _Link] = {}
    always = _Link([Span(None)])  # shared by every undated link between undated ends
    for a, b, data in G.edges(data=True):
        ends_a, ends_b = own.get(a), own.get(b)
        if ends_a is None and ends_b is None and not data.get("partnerships"):
            links[(a, b)] = always  # no partnership record: its relations carry no date
        else:
            links[(a, b)] = _link_span(data, d, ends_a, ends_b)
    nodes: dict[Hashable, Span] = {}
    firsts: dict[Hashable, list[str]] = defaultdict(list)
    undated: set[Hashable] = set()
    for (a, b), span in links.items():
        for x in (a, b):
            if span.start is None:
                undated.add(x)
            else:
                firsts[x].append(span.start)
    for v, kind in G.nodes(data="kind"):
        if v in own:
            nodes[v] = own[v]
        elif kind == "cluster" or v in undated:
            nodes[v] = Span(None)
        else:
            facts = firsts.get(v, []) + d.events.get(str(v), [])
            nodes[v] = Span(min(facts, key=_first_day) if facts else None)
    return nodes, links


def _later(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b, key=_first_day)


def _earlier_end(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b, key=_last_day)


class _Link:
    """When a link existed: while any of its relations did (each a `Span`), within both its ends' spans."""

    __slots__ = ("spans",)

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans

    @property
    def start(self) -> str | None:
        starts = [s.start for s in self.spans]
        return None if None in starts else min(starts, key=_first_day)  # type: ignore[arg-type]

    def on(self, when: str) -> bool:
        return any(s.on(when) for s in self.spans)


def _link_span(data: dict[str, Any], d: Dates, a: Span | None, b: Span | None) -> _Link:
    """A link exists while one of its relations does and both its ends do."""
    records = [d.partnerships[p] for p in data.get("partnerships") or () if p in d.partnerships]
    structural = [r for r in data.get("relations") or () if not r.startswith("partnership:")]
    bare = "partnership:partner" in (data.get("relations") or ()) and not data.get("partnerships")
    spans = [Span(None)] if structural or bare or not records else records
    if a is None and b is None:  # the common case: neither end has dates of its own to bound it
        return _Link(spans)
    out = []
    for span in spans:
        start, end = span.start, span.end
        for ends_ in (a, b):
            if ends_ is not None:
                start, end = _later(start, ends_.start), _earlier_end(end, ends_.end)
        out.append(Span(start, end))
    return _Link(out)


def network_at(G: nx.Graph, when: str, d: Dates) -> nx.Graph:
    """The part of the network that stood on `when`: a filter of `G`, nothing projected again.

    For an analyst: "how did the ecosystem look in 2016?" Partnerships count
    from their ``since`` until their ``until``; initiatives from their start,
    policies from their introduction, facilities from their first event and
    until a closing event; any other entity from its first dated fact (a dated
    partnership or an event it takes part in). A fact with no date counts as
    always present (an entity with any undated link is there from the start),
    and ``G.graph["at"]`` says how many entities and links were kept only so.

    Parameters
    ----------
    G : networkx.Graph
        From `project` (any relations).
    when : str
        A date, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a year means its last
        day (a partnership since 2016 stood at 2016).
    d : Dates
        From `dates` of the same graph.

    Returns
    -------
    networkx.Graph
        A new graph with the entities and links of that day (a facility
        with events by then also gets ``status``: financing, under-construction,
        open or closed, from the last of them, see `STATUS_AFTER`); a link some of
        whose partnership records had not begun (or had ended) keeps only the
        others in ``partnerships``, ``relations`` and ``weight``.
        ``G.graph["at"]``: ``date``, ``entities``, ``links``, ``undated_entities``,
        ``undated_links`` (kept because they carry no date), ``left_out_entities``,
        ``left_out_links``.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from(["a", "b", "c"], kind="organization")
    >>> G.add_edge("a", "b", relations=["partnership:funding"], partnerships=["p1"], weight=1)
    >>> G.add_edge("b", "c", relations=["member-of"], partnerships=[], weight=1)
    >>> d = Dates({"p1": Span("2017")}, {"p1": "funding"}, {}, {}, {"a": ["2017"]})
    >>> sorted(network_at(G, "2016", d).edges), sorted(network_at(G, "2017", d).edges)
    ([('b', 'c')], [('a', 'b'), ('b', 'c')])
    >>> network_at(G, "2016", d).graph["at"]["left_out_entities"]
    1

    Notes
    -----
    O(n + m) over the network plus O(P) over the partnership records.
    """
    when = check_date(when)
    nodes, links = _spans(G, d)
    H = nx.Graph()
    H.graph.update(G.graph)
    keep = [v for v in G if nodes[v].on(when)]
    H.add_nodes_from((v, G.nodes[v]) for v in keep)
    for v in keep:  # a facility's status that day, from the last of its events by then
        passed = [kind for day, kind in d.stages.get(str(v), ()) if Span(day).on(when)]
        if passed:
            H.nodes[v]["status"] = STATUS_AFTER[passed[-1]]
    kept = set(keep)
    undated_links = 0
    edges = []
    for (a, b), span in links.items():
        if a not in kept or b not in kept or not span.on(when):
            continue
        data = G.edges[a, b]
        undated_links += span.start is None
        edges.append((a, b, _as_of(data, d, when)))
    H.add_edges_from(edges)
    H.graph["at"] = {
        "date": when,
        "entities": H.number_of_nodes(),
        "links": H.number_of_edges(),
        "undated_entities": sum(
            1 for v in keep if nodes[v].start is None and G.nodes[v].get("kind") != "cluster"
        ),
        "undated_links": undated_links,
        "left_out_entities": G.number_of_nodes() - H.number_of_nodes(),
        "left_out_links": G.number_of_edges() - H.number_of_edges(),
    }
    return H


def _as_of(data: dict[str, Any], d: Dates, when: str) -> dict[str, Any]:
    """Edge attributes with only the partnership records that stood on `when`."""
    ids = data.get("partnerships") or []
    gone = [p for p in ids if p in d.partnerships and not d.partnerships[p].on(when)]
    if not gone:
        return data
    live = [p for p in ids if p not in gone]
    rels = [r for r in data.get("relations") or () if not r.startswith("partnership:")]
    kinds = sorted({f"partnership:{d.kinds.get(p, 'partner')}" for p in live})
    live_spans = [d.partnerships[p] for p in live if p in d.partnerships]
    starts = [s.start for s in live_spans if s.start is not None]
    ends = [s.end for s in live_spans]
    return {
        **data,
        "relations": sorted({*rels, *kinds}),
        "weight": max(1, int(data.get("weight") or 1) - len(gone)),
        "partnerships": live,
        "since": min(starts, key=_first_day) if starts else None,
        "until": None if None in ends or not ends else max(ends, key=_last_day),  # type: ignore[type-var]
    }


def first_years(
    G: nx.Graph, d: Dates
) -> tuple[dict[Hashable, int | None], dict[tuple[Hashable, Hashable], int | None]]:
    """The year each entity and each link first stands in the network (None: undated, always there).

    For a map that replays the network year by year.

    >>> G = nx.Graph([("a", "b")])
    >>> G.edges["a", "b"].update(relations=["partnership:funding"], partnerships=["p1"])
    >>> first_years(G, Dates({"p1": Span("2016-05")}, {}, {}, {}, {}))
    ({'a': 2016, 'b': 2016}, {('a', 'b'): 2016})
    """
    nodes, links = _spans(G, d)

    def year(s: Span | _Link) -> int | None:
        start = s.start
        return int(start[:4]) if start else None

    return {v: year(s) for v, s in nodes.items()}, {k: year(s) for k, s in links.items()}


def at_sentence(G: nx.Graph) -> str | None:
    """What `network_at` kept, in words (None when `G` is not a network on a date).

    >>> G = network_at(nx.Graph(), "2016", Dates({}, {}, {}, {}, {}))
    >>> at_sentence(G).split(";")[0]
    'The network as it stood in 2016: 0 entities and 0 links (none left out as not yet there)'
    """
    info = G.graph.get("at")
    if not info:
        return None
    out_n, out_m = info["left_out_entities"], info["left_out_links"]
    left = (
        f"{out_n} entit{'ies' if out_n != 1 else 'y'} and {out_m} link{'s' if out_m != 1 else ''} "
        "left out as not yet there or ended"
        if out_n or out_m
        else "none left out as not yet there"
    )
    un, ul = info["undated_entities"], info["undated_links"]
    return (
        f"The network as it stood {on_words(info['date'])}: {info['entities']} entities and "
        f"{info['links']} links "
        f"({left}); {un} entit{'ies' if un != 1 else 'y'} and {ul} link{'s' if ul != 1 else ''} carry no "
        "date and count as always present."
    )

"""How complete the data is: records with no source, no cluster, or marked unverified.

A director reading a gap should know how much of the data could show it. This
counts, by kind, the entities that cite no source, those tagged with no cluster (a
cluster's coverage cannot see them), and every record whose notes say it is
unverified, each listed by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from .views import actors

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ..builder import BuiltGraph, TripleTable

__all__ = ["Completeness", "Marked", "completeness", "unverified_records"]


@dataclass(frozen=True, slots=True)
class Completeness:
    """Entities by kind (kind -> names, sorted) with no source, with no cluster, and unverified.

    `unverified` holds every record whose notes say "unverified", entities or not
    (events, plan items), by the kind of record.
    """

    entities: dict[str, int] = field(default_factory=dict)
    unsourced: dict[str, list[str]] = field(default_factory=dict)
    untagged: dict[str, list[str]] = field(default_factory=dict)
    unverified: dict[str, list[str]] = field(default_factory=dict)

    def __getitem__(self, key: str) -> object:
        return getattr(self, key)


_RECORD_KINDS = {"Goal": "plan item", "Strategy": "plan item", "Action": "plan item", "Source": "source"}


@dataclass(frozen=True, slots=True)
class Marked:
    """A record whose notes say it is unverified: its id, our class of it, and its name.

    `cls` is the first of its `cg:` classes (Event, Action, Source...), "" when it has none.
    """

    id: str
    cls: str
    name: str


def unverified_records(graph: ox.Store | TripleTable | BuiltGraph) -> list[Marked]:
    """Every record whose notes (skos:note) say "unverified", from a store, a built graph or
    the triples the build would write (`builder.TripleTable`), read alike.

    What `completeness` lists under `unverified` before it knows the network's kinds:
    kept as it is for a state of the data, whatever the relations shown.
    """
    from ..vocab import CG, DCTERMS, RDF, RDFS, SKOS
    from .project import _Reader, _store

    read = _Reader(*_store(graph))
    marked = {s: None for s, note in read.each(SKOS + "note") if "unverified" in note.lower()}
    if not marked:
        return []

    def first(predicate: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for s, o in read.each(predicate):
            if s in marked and s not in out:
                out[s] = o
        return out

    ident, label = first(DCTERMS + "identifier"), first(RDFS + "label")
    ours: dict[str, list[str]] = {}
    for s, o in read.each(RDF + "type"):
        if s in marked and o.startswith(CG):
            ours.setdefault(s, []).append(o[len(CG) :])
    return [
        Marked(ident.get(s, ""), min(ours[s]) if s in ours else "", label.get(s) or ident.get(s) or s)
        for s in marked
    ]


def _unverified(marked: Iterable[Marked], kind_of: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for m in marked:
        kind = kind_of.get(m.id)
        if kind is None:
            # Our own class names the kind of record (cg:Event, cg:Action, cg:Source).
            local = m.cls or "record"
            kind = _RECORD_KINDS.get(local, local.lower())
        out.setdefault(kind, set()).add(m.name)
    return {k: sorted(v, key=str.lower) for k, v in sorted(out.items())}


def completeness(
    G: nx.Graph,
    store: ox.Store | TripleTable | BuiltGraph | None = None,
    *,
    unverified: Iterable[Marked] | None = None,
) -> Completeness:
    """What the data leaves out, by kind: entities with no source, with no cluster, unverified records.

    For an analyst: a cluster's coverage counts only what is tagged with it (or
    linked to what is), so an untagged college is invisible to every coverage cell;
    an unsourced record cannot be checked; an unverified one is on record with doubt.
    The unverified records are `unverified` (as `unverified_records` reads them),
    else read from `store` (the graph, or the triples the build would write);
    with neither, none are listed.

    >>> G = nx.Graph()
    >>> G.add_node("a", kind="college", label="A College", sources=[], clusters=[])
    >>> G.add_node("b", kind="college", label="B College", sources=[{"id": "s"}], clusters=["x"])
    >>> c = completeness(G)
    >>> c.entities, c.unsourced, c.untagged
    ({'college': 2}, {'college': ['A College']}, {'college': ['A College']})
    """
    H = actors(G)
    entities: dict[str, int] = {}
    unsourced: dict[str, list[str]] = {}
    untagged: dict[str, list[str]] = {}
    kind_of: dict[str, str] = {}
    for n, d in sorted(H.nodes(data=True), key=lambda nd: str(nd[1].get("label") or nd[0]).lower()):
        kind = str(d.get("kind") or "other")
        kind_of[str(n)] = kind
        entities[kind] = entities.get(kind, 0) + 1
        name = str(d.get("label") or n)
        if not d.get("sources"):
            unsourced.setdefault(kind, []).append(name)
        if not d.get("clusters"):
            untagged.setdefault(kind, []).append(name)
    if unverified is None and store is not None:
        unverified = unverified_records(store)
    verified = _unverified(unverified, kind_of) if unverified is not None else {}
    return Completeness(dict(sorted(entities.items())), unsourced, untagged, verified)

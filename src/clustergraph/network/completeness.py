"""How complete the data is: records with no source, no cluster, or marked unverified.

A director reading a gap should know how much of the data could show it. This
counts, by kind, the entities that cite no source, those tagged with no cluster (a
cluster's coverage cannot see them), and every record whose notes say it is
unverified, each listed by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from .views import actors

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["Completeness", "completeness"]


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


def _unverified(store: ox.Store, kind_of: dict[str, str]) -> dict[str, list[str]]:
    import pyoxigraph as ox

    from ..vocab import CG, DCTERMS, RDF, RDFS, SKOS

    def one(subject: ox.NamedNode | ox.BlankNode, predicate: str) -> str:
        for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None, ox.DefaultGraph()):
            return str(q.object.value)
        return ""

    out: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + "note"), None, ox.DefaultGraph()):
        if "unverified" not in str(q.object.value).lower():
            continue
        s = q.subject
        ident = one(s, DCTERMS + "identifier")
        kind = kind_of.get(ident)
        if kind is None:
            # Our own class names the kind of record (cg:Event, cg:Action, cg:Source).
            ours = [
                str(t.object.value)[len(CG) :]
                for t in store.quads_for_pattern(s, ox.NamedNode(RDF + "type"), None, ox.DefaultGraph())
                if str(t.object.value).startswith(CG)
            ]
            local = sorted(ours)[0] if ours else "record"
            kind = _RECORD_KINDS.get(local, local.lower())
        out.setdefault(kind, set()).add(one(s, RDFS + "label") or ident or str(s.value))
    return {k: sorted(v, key=str.lower) for k, v in sorted(out.items())}


def completeness(G: nx.Graph, store: ox.Store | None = None) -> Completeness:
    """What the data leaves out, by kind: entities with no source, with no cluster, unverified records.

    For an analyst: a cluster's coverage counts only what is tagged with it (or
    linked to what is), so an untagged college is invisible to every coverage cell;
    an unsourced record cannot be checked; an unverified one is on record with doubt.

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
    verified = _unverified(store, kind_of) if store is not None else {}
    return Completeness(dict(sorted(entities.items())), unsourced, untagged, verified)

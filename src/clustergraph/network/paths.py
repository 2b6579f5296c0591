"""How two entities, or two groups of them, are connected: the shortest chains of partners."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from .resolve import Group, Resolver
from .views import actors

__all__ = ["Hop", "Path", "Paths", "paths", "relation_words"]

# Words for a relation kind, as a page or a table says it.
_WORDS = {
    "member-of": "member of",
    "initiative-lead": "leads the initiative",
    "initiative-partner": "partner in the initiative",
    "operator": "operates",
    "located-at": "located at",
    "sub-organization": "part of",
    "affiliation": "affiliated with",
    "provider": "provides the program",
    "author": "author of",
    "supporter": "supports",
    "opponent": "opposes",
    "in-cluster": "in the cluster",
    "broader": "part of the cluster",
}


def relation_words(relation: str) -> str:
    """A relation kind in words: ``partnership:funding`` -> ``funding partnership``.

    >>> relation_words("partnership:co-location"), relation_words("initiative-lead")
    ('co-location partnership', 'leads the initiative')
    """
    if relation.startswith("partnership:"):
        kind = relation.split(":", 1)[1]
        if kind == "partner":
            return "partnership"
        words = kind if kind.startswith("co-") else kind.replace("-", " ")
        return words if words.endswith("partnership") else f"{words} partnership"
    return _WORDS.get(relation, relation.replace("-", " "))


# Predicate (local name) -> (words when the hop runs subject -> object, words the other way).
_DIRECTED: dict[str, tuple[str, str]] = {
    "hasMember": ("has as member", "member of"),
    "memberOf": ("member of", "has as member"),
    "ledBy": ("led by", "leads"),
    "hasPartner": ("has as partner", "partner in"),
    "operatedBy": ("operated by", "operates"),
    "locatedAt": ("located at", "site of"),
    "subOrganizationOf": ("part of", "includes"),
    "affiliation": ("affiliated with", "has affiliated"),
    "provider": ("provided by", "provides"),
    "author": ("authored by", "author of"),
    "supporter": ("supported by", "supports"),
    "opponent": ("opposed by", "opposes"),
}


def _directed_words(store: Any, a_iri: str, b_iri: str, relation: str) -> str:
    """The relation in words as read from a to b, from the triple the store holds."""
    import pyoxigraph as ox

    from .kinds import PREDICATES

    a, b = ox.NamedNode(a_iri), ox.NamedNode(b_iri)
    for pred, rel in PREDICATES.items():
        if rel != relation:
            continue
        words = _DIRECTED.get(pred.rsplit("/", 1)[-1].rsplit("#", 1)[-1])
        if words is None:
            continue
        p = ox.NamedNode(pred)
        if next(iter(store.quads_for_pattern(a, p, b)), None) is not None:
            return words[0]
        if next(iter(store.quads_for_pattern(b, p, a)), None) is not None:
            return words[1]
    return relation_words(relation)


@dataclass(frozen=True, slots=True)
class Hop:
    """One link of a path: two entities, the relations between them, and who states them."""

    a: str
    a_label: str
    b: str
    b_label: str
    relations: tuple[str, ...]
    sources: tuple[Mapping[str, str | None], ...]  # {id, title, url}
    partnerships: tuple[str, ...]
    words: tuple[str, ...] = ()  # each relation in words, read from a to b

    @property
    def relation(self) -> str:
        """The relations in words, read from a to b: "operates; funding partnership"."""
        return "; ".join(self.words or tuple(relation_words(r) for r in self.relations))

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.a,
            "from_label": self.a_label,
            "to": self.b,
            "to_label": self.b_label,
            "relations": list(self.relations),
            "relation": self.relation,
            "sources": [dict(s) for s in self.sources],
            "partnerships": list(self.partnerships),
        }


@dataclass(frozen=True, slots=True)
class Path:
    """A chain of entities from one end to the other; `brokers` are those in between."""

    nodes: tuple[str, ...]
    hops: tuple[Hop, ...]

    @property
    def brokers(self) -> tuple[str, ...]:
        return self.nodes[1:-1]

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": list(self.nodes),
            "brokers": list(self.brokers),
            "hops": [h.to_dict() for h in self.hops],
        }


@dataclass(frozen=True, slots=True)
class Paths:
    """What `paths` found: the two ends as resolved, the paths (shortest first), and the
    entities that belong to both ends (connected with no hop at all)."""

    source: Group
    target: Group
    paths: tuple[Path, ...]
    both: tuple[str, ...] = field(default=())

    def rows(self) -> list[dict[str, Any]]:
        """One row per hop: ``path``, ``step``, ``from``, ``relation``, ``to``, ``sources`` (ids)."""
        return [
            {
                "path": i,
                "step": j,
                "from": h.a,
                "relation": h.relation,
                "to": h.b,
                "sources": [s["id"] for s in h.sources],
            }
            for i, p in enumerate(self.paths, 1)
            for j, h in enumerate(p.hops, 1)
        ]

    def to_dict(self) -> dict[str, Any]:
        ends = {
            name: {"kind": g.kind, "key": g.key, "label": g.label, "members": sorted(g.members)}
            for name, g in (("from", self.source), ("to", self.target))
        }
        return ends | {"both": list(self.both), "paths": [p.to_dict() for p in self.paths]}

    def sentence(self, labels: Mapping[str, str]) -> str:
        """The answer in words: who connects the two ends."""
        a, b = self.source.label, self.target.label
        both = ""
        if self.both:
            names = ", ".join(labels.get(x, x) for x in self.both)
            both = f" {names} belong{'s' if len(self.both) == 1 else ''} to both."
        if not self.paths:
            return _capital(f"no chain of partners links {a} to {b}.{both}")
        brokers = list(dict.fromkeys(x for p in self.paths for x in p.brokers))
        n = len(self.paths[0].hops)
        steps = f"{n} step{'s' if n != 1 else ''}"
        names = ", ".join(labels.get(x, x) for x in brokers)
        if not self.paths[0].brokers:
            pairs = "; ".join(
                f"{h.a_label} with {h.b_label}" for p in self.paths if not p.brokers for h in p.hops
            )
            longer = f" Longer paths go through {names}." if brokers else ""
            return _capital(f"{a} and {b} are linked directly: {pairs}.{longer}{both}")
        return _capital(f"{a} reaches {b} in {steps} at the shortest, through {names}.{both}")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_S, _T = ("\0from",), ("\0to",)  # end nodes no record id can be


def _candidates(H: nx.Graph, src: frozenset[str], dst: frozenset[str]) -> Iterator[list[str]]:
    if len(src) == 1 and len(dst) == 1:
        (a,), (b,) = src, dst
        yield from nx.shortest_simple_paths(H, a, b)
        return
    J = nx.Graph(H)
    # Sorted, so that ties between equally short paths come out in the same order every run.
    J.add_edges_from((_S, v) for v in sorted(src))
    J.add_edges_from((v, _T) for v in sorted(dst))
    for p in nx.shortest_simple_paths(J, _S, _T):
        yield p[1:-1]


def paths(
    G: nx.Graph,
    source: str,
    target: str,
    k: int = 3,
    aliases: Mapping[str, list[str]] | None = None,
    limit: int = 5000,
    store: Any = None,
) -> Paths:
    """The `k` shortest chains of partners from `source` to `target`, each hop with its relations and sources.

    For an analyst: "how is the Port connected to UCLA?", or, with groups, "who
    connects aerospace to the colleges?". Each path is a chain of relations
    stated in the data (partnerships, memberships, operators, initiative leads,
    policy support...); the entities in the middle are the brokers, those whom
    an introduction would go through.

    Parameters
    ----------
    G : networkx.Graph
        From `project`; paths run between actors (cluster nodes and links to
        them are left out, see `actors`), so a shared cluster never passes for a
        partnership.
    source, target : str
        An id, a name or an alias (see `Resolver`); or a group:
        ``cluster:ID`` (the entities tagged with the cluster or in its
        partnerships), ``kind:KIND`` (``kind:colleges``, ``kind:port``), or a
        bare cluster id.
    k : int
        How many paths at most, shortest first (ties in a stable order).
    aliases : mapping, optional
        Record id -> aliases (`clustergraph.network.resolve.aliases`), so that
        aliases resolve too.
    limit : int
        Candidate paths examined at most, so a query between two large groups
        stays quick.
    store : pyoxigraph.Store, optional
        The graph the network was projected from: with it, each hop says which
        way a relation runs ("operates" or "operated by"), read from its triple.

    Returns
    -------
    Paths
        ``source`` and ``target`` as resolved (`Group`), ``paths`` (each a
        `Path` of ``nodes`` and ``hops``; ``brokers`` are the entities in
        between) and ``both`` (entities in both groups, connected with no hop).
        Between groups, a path never passes through a member of either end:
        that member would start or end a shorter path of its own.

    Raises
    ------
    clustergraph.network.resolve.UnknownEntity
        (a `UsageError`) for text that names nothing, with a did-you-mean.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("port", {"label": "Port", "kind": "organization"}),
    ...                   ("edc", {"label": "EDC", "kind": "organization"}),
    ...                   ("college", {"label": "College", "kind": "college"})])
    >>> G.add_edge("port", "edc", relations=["partnership:funding"], sources=[{"id": "s1"}])
    >>> G.add_edge("edc", "college", relations=["member-of"], sources=[])
    >>> found = paths(G, "Port", "kind:colleges")
    >>> [p.nodes for p in found.paths], [h.relations for h in found.paths[0].hops]
    ([('port', 'edc', 'college')], [('partnership:funding',), ('member-of',)])
    >>> found.sentence({"edc": "EDC"})
    'Port reaches colleges and universities in 2 steps at the shortest, through EDC.'

    Notes
    -----
    Yen's k-shortest simple paths (`networkx.shortest_simple_paths`) from a
    virtual node linked to every member of `source` to one linked to every
    member of `target`: O(k n (m + n log n)) at worst; one breadth-first search
    per path in practice, since the graph is unweighted.

    References
    ----------
    .. [1] Yen, J. Y. (1971). Finding the k shortest loopless paths in a network.
       Management Science 17(11), 712-716.
    """
    H = actors(G)
    r = Resolver(H, aliases)
    src, dst = r.group(source, "source"), r.group(target, "target")
    both = tuple(sorted(src.members & dst.members))
    a_set, b_set = src.members - dst.members, dst.members - src.members
    found: list[Path] = []
    if a_set and b_set:
        ends = a_set | b_set
        try:
            for nodes in islice(_candidates(H, a_set, b_set), limit):
                if any(v in ends for v in nodes[1:-1]):
                    continue
                hops = tuple(_hop(H, x, y, store) for x, y in pairwise(nodes))
                found.append(Path(tuple(nodes), hops))
                if len(found) >= k:
                    break
        except nx.NetworkXNoPath:
            pass
    return Paths(src, dst, tuple(found), both)


def _hop(H: nx.Graph, a: str, b: str, store: Any = None) -> Hop:
    e = H.edges[a, b]
    relations = tuple(e.get("relations") or ())
    words: tuple[str, ...] = ()
    a_iri, b_iri = H.nodes[a].get("iri"), H.nodes[b].get("iri")
    if store is not None and a_iri and b_iri:
        words = tuple(_directed_words(store, a_iri, b_iri, r) for r in relations)
    return Hop(
        a,
        str(H.nodes[a].get("label") or a),
        b,
        str(H.nodes[b].get("label") or b),
        relations,
        tuple(e.get("sources") or ()),
        tuple(e.get("partnerships") or ()),
        words,
    )

"""Views of a projected network that every analysis shares: the actors, and who serves a cluster."""

from __future__ import annotations

import weakref
from collections import defaultdict

import networkx as nx

from .kinds import STRUCTURE

# actors(G) per network, while the network lives: a report asks for it a dozen times (connectors,
# gaps, communities, structure, failures, completeness...), and each copy cost seconds at 20,000
# entities. An entry is used again only while the network has as many nodes and links as when
# it was made; a network changed in place otherwise (kinds, relations) must not be asked again.
# A network that is its own view (a view itself, asked again by each analysis of it) is
# kept with None, never with itself: the value would keep its weak key alive.
_ACTORS: weakref.WeakKeyDictionary[nx.Graph, tuple[int, int, nx.Graph | None]] = weakref.WeakKeyDictionary()


def actors(G: nx.Graph) -> nx.Graph:
    """The network of actors and assets only: no cluster nodes, no cluster links.

    Analyses of who works with whom run on this view, so that a cluster (a topic
    every member is tagged with) does not pass for the region's best connector.
    Membership of clusters stays in each node's ``clusters`` attribute. When
    there is nothing to leave out, `G` itself is returned, and otherwise a graph
    whose nodes and links share `G`'s attribute dicts; either way, treat the
    view as read-only: it is kept and handed to the next caller asking for the
    same network.

    >>> G = nx.Graph([("a", "c1", {"relations": ["in-cluster"]}), ("a", "b", {"relations": ["operator"]})])
    >>> G.nodes["c1"]["kind"] = "cluster"
    >>> H = actors(G)
    >>> sorted(H.edges)
    [('a', 'b')]
    """
    size = (G.number_of_nodes(), G.number_of_edges())
    known = _ACTORS.get(G)
    if known is not None and known[:2] == size:
        return G if known[2] is None else known[2]
    H = _actors(G)
    _ACTORS[G] = (*size, None if H is G else H)
    if H is not G:  # analyses of the view ask for its view in turn: it is itself
        _ACTORS[H] = (H.number_of_nodes(), H.number_of_edges(), None)
    return H


def _actors(G: nx.Graph) -> nx.Graph:
    drop = {v for v, kind in G.nodes(data="kind") if kind == "cluster"}
    cut = [(a, b) for a, b, rels in G.edges(data="relations") if rels and set(rels) <= STRUCTURE]
    if not drop and not cut:
        return G  # read-only use: no copy needed (a copy costs seconds at 20,000 entities)
    cut_set = set(cut)
    H = nx.Graph()
    H.graph.update(G.graph)
    # The nodes and links of H hold G's own attribute dicts (not copies: at 200,000
    # entities a copy of each is ~0.4 GiB, kept as long as G), added in the order
    # add_nodes_from and add_edges_from would add them, so H is the graph they make.
    node, adj = H._node, H._adj
    for v, d in G.nodes(data=True):
        if v not in drop:
            node[v] = d
            adj[v] = {}
    for a, b, d in G.edges(data=True):
        if a not in drop and b not in drop and (a, b) not in cut_set:
            adj[a][b] = d
            adj[b][a] = d
    return H


def in_cluster(G: nx.Graph, cluster: str, reach: int = 1) -> set[str]:
    """Entities that take part in or serve `cluster` (cluster nodes excluded).

    An entity counts when it is tagged with the cluster, or is a member of a
    partnership tagged with it; with ``reach=1`` (the default) also when it is
    directly linked to such an entity (the college a research institute is
    affiliated with serves that institute's cluster).

    >>> G = nx.Graph([("a", "b", {"clusters": []}), ("b", "c", {"clusters": []})])
    >>> nx.set_node_attributes(G, {"a": ["aero"], "b": [], "c": []}, "clusters")
    >>> sorted(in_cluster(G, "aero")), sorted(in_cluster(G, "aero", reach=0))
    (['a', 'b'], ['a'])
    """
    return cluster_members(G, reach).get(cluster, set())


def cluster_members(G: nx.Graph, reach: int = 1) -> dict[str, set[str]]:
    """`in_cluster` for every cluster at once, in one pass over nodes and edges."""
    core: dict[str, set[str]] = defaultdict(set)
    kind = dict(G.nodes(data="kind"))
    for v, cs in G.nodes(data="clusters"):
        if kind.get(v) != "cluster":
            for c in cs or ():
                core[c].add(v)
    for a, b, cs in G.edges(data="clusters"):
        for c in cs or ():
            for x in (a, b):
                if kind.get(x) != "cluster":
                    core[c].add(x)
    if reach <= 0:
        return dict(core)
    # Each member's non-cluster neighbours once, as a set: a hub in many clusters is
    # then merged by C-level set unions, not re-filtered per cluster (at 50,000
    # entities that filtering was most of `gaps`).
    beside: dict[str, set[str]] = {}
    out: dict[str, set[str]] = {}
    for c, members in core.items():
        grown = set(members)
        for v in members:
            near = beside.get(v)
            if near is None:
                near = beside[v] = {w for w in G[v] if kind.get(w) != "cluster"}
            grown |= near
        out[c] = grown
    return out

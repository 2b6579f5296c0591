"""Centrality and structural-hole measures, computed in igraph or NetworkX.

NetworkX is the reference implementation; igraph (C core) computes the same
measures where NetworkX is too slow for a 20,000-entity network (Burt's
constraint ~6 min in NetworkX, 0.02 s in igraph; see docs/performance.md, "Engine choices"). Tests check
both give the same numbers. Every function takes an undirected `networkx.Graph`
and returns ``{node: value}``; edges count once whatever their ``weight``,
because the number of documented relations between two entities says more
about how well they are documented than how close they are.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import networkx as nx

__all__ = [
    "EXACT_LIMIT",
    "SAMPLE_K",
    "betweenness",
    "betweenness_method",
    "constraint",
    "effective_size",
    "pagerank",
]

#: Up to this many entities betweenness is exact; above it, sampled.
EXACT_LIMIT = 2000
#: Source entities sampled for betweenness above `EXACT_LIMIT`.
SAMPLE_K = 500

BACKENDS = ("igraph", "networkx")


def _backend(backend: str | None) -> str:
    if backend in (None, "auto"):
        try:
            import igraph  # noqa: F401
        except ImportError:  # pragma: no cover - igraph is a dependency
            return "networkx"
        return "igraph"
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
    return backend


#: Conversions kept while `shared_igraph` is open: {id(G): (G, igraph graph, nodes)}.
_SHARED: ContextVar[dict[int, tuple[nx.Graph, Any, list[Hashable]]] | None] = ContextVar(
    "clustergraph_igraph", default=None
)


@contextmanager
def shared_igraph() -> Iterator[None]:
    """Within the block, each graph is converted to igraph once, however many measures ask.

    For a caller that computes several measures of one graph it does not change
    meanwhile (`connectors`): at 50,000 entities a conversion costs about 1 s.
    """
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _to_igraph(G: nx.Graph) -> tuple[Any, list[Hashable]]:
    import igraph as ig

    shared = _SHARED.get()
    if shared is not None and id(G) in shared:
        _, g, nodes = shared[id(G)]
        return g, nodes
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in G.edges()])
    if shared is not None:
        shared[id(G)] = (G, g, nodes)  # G kept too, so its id is not reused meanwhile
    return g, nodes


def _sample_size(n: int, k: int | None) -> int | None:
    """None for exact, else the number of sources to sample."""
    if k is None:
        return None if n <= EXACT_LIMIT else SAMPLE_K
    return None if k >= n else k


def betweenness_method(n: int, k: int | None = None, seed: int = 0) -> str:
    """How `betweenness` computes for n entities, in words, for output headers.

    >>> betweenness_method(10)
    'exact'
    >>> betweenness_method(20000)
    'sampled from k=500 sources (seed 0)'
    """
    size = _sample_size(n, k)
    return "exact" if size is None else f"sampled from k={size} sources (seed {seed})"


def betweenness(
    G: nx.Graph, k: int | None = None, seed: int = 0, backend: str | None = None
) -> dict[Hashable, float]:
    """Share of the shortest paths between other entities that pass through each one.

    For an analyst: an entity with high betweenness sits on the routes by which
    the rest of the region reaches each other; information, referrals and
    joint projects flow through it, and if it stops brokering, others must find
    longer ways round. 0 means nobody needs it to reach anyone; 1 means every
    pair of other entities is linked only through it (the centre of a star).

    Parameters
    ----------
    G : networkx.Graph
    k : int, optional
        Sample this many source entities (estimate). Default: exact up to
        `EXACT_LIMIT` entities, else ``SAMPLE_K`` sources.
    seed : int
        Seed of the source sample, so results repeat exactly.
    backend : "igraph", "networkx" or None (igraph when installed)

    Returns
    -------
    dict
        Normalised betweenness: divided by (n-1)(n-2)/2, the pairs of others.

    Examples
    --------
    >>> betweenness(nx.star_graph(3))  # the hub is on every path
    {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0}

    Notes
    -----
    Brandes' algorithm, O(nm) exact. Sampled: the same accumulation from k
    random sources, scaled by n/k (Brandes and Pich), O(km); the sources are
    ``random.Random(seed).sample`` of the entities in graph order, so both
    backends use the same ones. Unweighted.

    References
    ----------
    .. [1] Freeman, L. C. (1977). A set of measures of centrality based on
       betweenness. Sociometry 40(1), 35-41.
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality.
       Journal of Mathematical Sociology 25(2), 163-177.
    .. [3] Brandes, U. and Pich, C. (2007). Centrality estimation in large
       networks. International Journal of Bifurcation and Chaos 17(7), 2303-2318.
    """
    n = len(G)
    if n == 0:
        return {}
    nodes = list(G)
    size = _sample_size(n, k)
    sources = None if size is None else random.Random(seed).sample(nodes, size)
    if _backend(backend) == "igraph":
        g, _ = _to_igraph(G)
        index = {v: i for i, v in enumerate(nodes)}
        raw = g.betweenness(directed=False, sources=None if sources is None else [index[s] for s in sources])
        values = dict(zip(nodes, raw, strict=True))
    elif sources is None:
        values = nx.betweenness_centrality(G, normalized=False)
    else:
        values = nx.betweenness_centrality_subset(G, sources, nodes, normalized=False)
    pairs = (n - 1) * (n - 2) / 2
    scale = (1.0 if sources is None else n / len(sources)) / pairs if pairs else 0.0
    return {v: values[v] * scale for v in nodes}


def pagerank(G: nx.Graph, alpha: float = 0.85, backend: str | None = None) -> dict[Hashable, float]:
    """PageRank: how much of the network's attention reaches each entity.

    For an analyst: being linked to well-linked partners counts more than
    being linked to many isolated ones. A high score marks an entity whose
    word travels far (a good channel for announcing a programme); values sum
    to 1 over the network.

    Examples
    --------
    >>> pr = pagerank(nx.star_graph(3))
    >>> round(pr[0], 3), round(pr[1], 3)
    (0.48, 0.173)

    Notes
    -----
    Power iteration on the undirected graph (each edge both ways), damping
    `alpha`; entities with no links spread their score evenly. igraph uses
    PRPACK; the NetworkX backend a plain power iteration to 1e-12 (NetworkX's
    own `pagerank` needs SciPy). O(m) per iteration.

    References
    ----------
    .. [1] Brin, S. and Page, L. (1998). The anatomy of a large-scale
       hypertextual Web search engine. Computer Networks 30, 107-117.
    """
    if len(G) == 0:
        return {}
    if _backend(backend) == "igraph":
        g, nodes = _to_igraph(G)
        return dict(zip(nodes, g.pagerank(directed=False, damping=alpha), strict=True))
    return _pagerank_python(G, alpha)


def _pagerank_python(
    G: nx.Graph, alpha: float, tol: float = 1e-12, max_iter: int = 1000
) -> dict[Hashable, float]:
    n = len(G)
    x = dict.fromkeys(G, 1.0 / n)
    deg = dict(G.degree())
    for _ in range(max_iter):
        dangling = alpha * sum(x[v] for v in G if deg[v] == 0) / n
        nxt = dict.fromkeys(G, (1.0 - alpha) / n + dangling)
        for v in G:
            if deg[v]:
                share = alpha * x[v] / deg[v]
                for w in G[v]:
                    nxt[w] += share
        if sum(abs(nxt[v] - x[v]) for v in G) < n * tol:
            return nxt
        x = nxt
    return x  # pragma: no cover - converges long before on any real network


def constraint(G: nx.Graph, backend: str | None = None) -> dict[Hashable, float | None]:
    """Burt's constraint: how much an entity's partners are tied to each other.

    For an analyst: low constraint means the entity's partners do not know
    each other, so it alone spans "structural holes" and hears of
    opportunities others do not (a broker's position); high constraint (up to
    about 1, more for a single partner) means its partners form one closed
    group it depends on. None for an entity with no partner.

    Examples
    --------
    >>> c = constraint(nx.star_graph(3))
    >>> round(c[0], 3), c[1]  # the hub's three partners are strangers to each other
    (0.333, 1.0)

    Notes
    -----
    c(i) = sum over partners j of (p_ij + sum_q p_iq p_qj)^2, with p_ij the
    share of i's ties that go to j (unweighted). O(sum of degree^2).
    NetworkX's `constraint` takes ~6 min for 20,000 entities; igraph 0.02 s.

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of
       Competition. Harvard University Press.
    """
    if _backend(backend) == "igraph":
        g, nodes = _to_igraph(G)
        raw = g.constraint()
        return {
            v: (None if G.degree(v) == 0 or math.isnan(c) else c) for v, c in zip(nodes, raw, strict=True)
        }
    values = nx.constraint(G)
    return {v: (None if G.degree(v) == 0 or math.isnan(c) else c) for v, c in values.items()}


def effective_size(G: nx.Graph, triangles: dict[Hashable, int] | None = None) -> dict[Hashable, float | None]:
    """Burt's effective size: how many non-redundant partners an entity has.

    For an analyst: degree minus the redundancy among partners. An entity with
    8 partners who all know each other has an effective size near 1 (one
    circle); 8 partners who are strangers to each other give 8 (eight separate
    circles it can bridge). None for an entity with no partner.

    Examples
    --------
    >>> effective_size(nx.star_graph(3))[0], effective_size(nx.complete_graph(4))[0]
    (3.0, 1.0)

    Notes
    -----
    Unweighted, undirected: n - 2t/n with n partners and t ties among them
    (Borgatti 1997), which is what NetworkX's `effective_size` gives, computed
    here from the triangle counts in O(sum of degree^2) instead of one ego
    graph per entity.

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes. Harvard University Press.
    .. [2] Borgatti, S. P. (1997). Structural holes: unpacking Burt's
       redundancy measures. Connections 20(1), 35-38.
    """
    tri = triangles if triangles is not None else nx.triangles(G)
    out: dict[Hashable, float | None] = {}
    for v, d in G.degree():
        out[v] = None if d == 0 else d - 2 * tri[v] / d
    return out

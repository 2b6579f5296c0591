"""Suggested partnerships: pairs not yet linked that the network says should be."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import networkx as nx

from ..rows import Row

__all__ = ["HUB_CAP", "SUGGESTABLE", "Suggestion", "suggestions"]


@dataclass(frozen=True, slots=True, eq=False)
class Suggestion(Row):
    """A pair not yet linked that the network says should be (see `suggestions` for the score)."""

    brief = ("a", "b", "score", "why")
    a: Any
    a_label: str
    b: Any
    b_label: str
    score: float
    adamic_adar: float
    resource_allocation: float
    shared_partners: list[str]
    shared_clusters: list[str]
    why: str


#: Kinds that can enter a partnership; facilities, policies, people and
#: initiatives count as shared contexts but are not suggested as partners.
SUGGESTABLE = frozenset({"organization", "college", "workforce-board"})

#: Common neighbours with more partners than this do not generate candidate
#: pairs (a regional hub would pair everyone with everyone); they still count
#: in the score of pairs found another way.
HUB_CAP = 100

#: Clusters with more members than this do not generate candidate pairs.
CLUSTER_CAP = 60


def _umbrella_only(H: nx.Graph, u: Hashable, v: Hashable, w: Hashable) -> bool:
    """True when u and v are both only members of w (siblings in one consortium)."""
    return _member_only(H.edges[u, w]) and _member_only(H.edges[v, w])


def _member_only(link: dict[str, Any]) -> bool:
    """True for a link that is only a membership (of an umbrella body)."""
    return link.get("relations") == ["member-of"]


def _contexts(H: nx.Graph, u: Hashable, v: Hashable) -> list[Hashable]:
    """Common neighbours of u and v that count as a shared context."""
    return sorted((w for w in nx.common_neighbors(H, u, v) if not _umbrella_only(H, u, v, w)), key=str)


def suggestions(G: nx.Graph, H: nx.Graph, cluster: str | None = None, top: int = 20) -> list[Suggestion]:
    """Rank pairs of entities that are not partners but are close in the network.

    For an analyst: two organisations that share partners, initiatives or a
    cluster but have no partnership of their own are the cheapest
    introductions to make: someone they both work with can broker it.

    Parameters
    ----------
    G : networkx.Graph
        The projection (node ``clusters`` are read from it).
    H : networkx.Graph
        The actor network (`actors(G)`) in which pairs are scored.
    cluster : str, optional
        Keep pairs of which at least one entity is in this cluster.
    top : int
        Rows to return.

    Returns
    -------
    list of dict
        ``a, a_label, b, b_label, score, adamic_adar, resource_allocation,
        shared_partners`` (ids), ``shared_clusters`` (ids), ``why``.
        ``score`` is the Adamic–Adar index plus 1 per shared cluster, and
        ranks the rows (ties by ids).

    Examples
    --------
    >>> H = nx.Graph([("a", "hub"), ("b", "hub"), ("c", "b")])
    >>> nx.set_node_attributes(H, "organization", "kind")
    >>> nx.set_node_attributes(H, [], "clusters")
    >>> [(r["a"], r["b"]) for r in suggestions(H, H)]
    [('a', 'b'), ('c', 'hub')]

    Notes
    -----
    Candidate pairs are those two steps apart through a shared context whose
    degree is at most `HUB_CAP`, plus pairs sharing a cluster of at most
    `CLUSTER_CAP` members, never all n² pairs: O(sum over contexts of
    min(degree, HUB_CAP)^2). Pairs whose only shared neighbours are umbrella
    bodies they are both mere members of (two colleges of one consortium) are
    not suggested: the consortium already links them. Adamic–Adar weights a
    shared partner by 1/log(its degree); resource allocation by 1/degree:
    sharing a small, focused partner says more than sharing a regional hub.

    References
    ----------
    .. [1] Adamic, L. A. and Adar, E. (2003). Friends and neighbors on the
       Web. Social Networks 25(3), 211-230.
    .. [2] Zhou, T., Lü, L. and Zhang, Y.-C. (2009). Predicting missing links
       via local information. European Physical Journal B 71, 623-630.
    .. [3] Liben-Nowell, D. and Kleinberg, J. (2007). The link-prediction
       problem for social networks. JASIST 58(7), 1019-1031.
    """
    ok = {v for v in H if H.nodes[v].get("kind") in SUGGESTABLE}
    key = {v: str(v) for v in H}
    adj = H._adj  # read-only: the views of each node and link cost more than the lookups
    pre: dict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for w in H:
        nbrs = adj[w]
        d = len(nbrs) + (w in nbrs)  # H.degree(w): a loop counts twice
        if d < 2 or d > HUB_CAP:
            continue
        nb = sorted((x for x in nbrs if x in ok), key=key.__getitem__)
        weight = 1 / math.log(d)
        # `_umbrella_only` asked once per neighbour, not once per pair: a pair is left out
        # when both are only members of w.
        umbrella = {x for x in nb if _member_only(adj[x][w])}
        for u, v in combinations(nb, 2):
            if not (u in umbrella and v in umbrella):
                pre[(u, v)] += weight
    members: dict[str, list[Hashable]] = defaultdict(list)
    for v in sorted(ok, key=key.__getitem__):
        for c in G.nodes[v].get("clusters") or ():
            members[c].append(v)
    for ms in members.values():
        if len(ms) <= CLUSTER_CAP:
            for i, u in enumerate(ms):
                for v in ms[i + 1 :]:
                    pre[(u, v)] += 0.0
    clusters = {v: set(G.nodes[v].get("clusters") or ()) for v in ok}
    scored = (
        (pre_score + len(clusters[u] & clusters[v]), u, v)
        for (u, v), pre_score in pre.items()
        if v not in adj[u] and (cluster is None or cluster in clusters[u] or cluster in clusters[v])
    )
    # The pre-score skipped hubs; rescore a generous head exactly, then cut. Only the head
    # is kept in order (the same rows as sorting every pair, as heapq documents).
    head = heapq.nsmallest(max(4 * top, top + 50), scored, key=lambda t: (-t[0], key[t[1]], key[t[2]]))
    rows = [_row(G, H, u, v, clusters) for _, u, v in head]
    rows = [r for r in rows if r["score"] > 0]
    rows.sort(key=lambda r: (-r["score"], r["a"], r["b"]))
    return rows[:top]


def _row(
    G: nx.Graph, H: nx.Graph, u: Hashable, v: Hashable, clusters: dict[Hashable, set[str]]
) -> Suggestion:
    ctx = _contexts(H, u, v)
    aa = sum(1 / math.log(H.degree(w)) for w in ctx if H.degree(w) > 1)
    ra = sum(1 / H.degree(w) for w in ctx)
    shared = sorted(clusters[u] & clusters[v])
    label = {x: H.nodes[x].get("label", str(x)) for x in (u, v, *ctx)}
    reasons = []
    if shared:
        names = [G.graph.get("clusters", {}).get(c, c) for c in shared]
        reasons.append(f"both in the {', '.join(names)} cluster{'s' if len(shared) > 1 else ''}")
    if ctx:
        first = sorted(ctx, key=lambda w: (H.degree(w), str(w)))
        names = ", ".join(label[w] for w in first[:3]) + (f" and {len(ctx) - 3} more" if len(ctx) > 3 else "")
        reasons.append(f"share {len(ctx)} partner{'s' if len(ctx) != 1 else ''}: {names}")
    a, b = sorted((u, v), key=str)
    return Suggestion(
        a=a,
        a_label=label[a],
        b=b,
        b_label=label[b],
        score=round(aa + len(shared), 6),
        adamic_adar=round(aa, 6),
        resource_allocation=round(ra, 6),
        shared_partners=[str(w) for w in ctx],
        shared_clusters=shared,
        why="; ".join(reasons) + "; not yet linked",
    )

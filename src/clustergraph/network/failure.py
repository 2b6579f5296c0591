"""Single points of failure that matter: a removal that cuts off several entities or a whole kind.

`connectors` marks every articulation point, and in a sparse regional network that is
most of the top ten, so the mark says little. `single_points_of_failure` keeps the
ones a director should worry about.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import networkx as nx

from .views import actors

__all__ = ["FailurePoint", "single_points_of_failure"]


@dataclass(frozen=True, slots=True)
class FailurePoint:
    """One entity whose departure would cut part of the network off.

    `cut_off`: the entities that lose every path to the rest; `kinds_lost`: (cluster,
    kind) pairs of which every tagged entity is among them; `why`: the reason in words.
    """

    id: Hashable
    label: str
    cut_off: tuple[Hashable, ...]
    kinds_lost: tuple[tuple[str, str], ...]
    why: str
    kinds_why: str = ""

    def __getitem__(self, key: str) -> object:
        return getattr(self, key)


def _cut_off(H: nx.Graph, v: Hashable) -> list[Hashable]:
    """What is separated from the largest remaining part of v's component when v leaves.

    A search from each of v's partners that never steps on v: the pieces are found
    without copying the graph (a subgraph view is ten times slower at 5,000 entities).
    """
    adj = H._adj
    seen: set[Hashable] = {v}
    parts: list[list[Hashable]] = []
    for start in sorted(adj[v], key=str):
        if start in seen:
            continue
        seen.add(start)
        part, stack = [start], [start]
        while stack:
            for w in adj[stack.pop()]:
                if w not in seen:
                    seen.add(w)
                    part.append(w)
                    stack.append(w)
        parts.append(part)
    parts.sort(key=lambda c: (-len(c), min(map(str, c))))
    return sorted((x for part in parts[1:] for x in part), key=str)


def single_points_of_failure(
    G: nx.Graph,
    candidates: Iterable[Hashable] | None = None,
    *,
    kind_names: dict[str, str] | None = None,
    cluster_names: dict[str, str] | None = None,
) -> list[FailurePoint]:
    """The entities whose removal cuts off at least two others, or one whole kind from a cluster.

    For an analyst: a single point of failure is an organization, college or program
    that is the only route between part of the network and the rest. Losing one that
    strands a single person matters less than losing one that strands several partners,
    or the only college (the only workforce board, ...) a cluster has: only those are
    reported, most important first (most entities cut off, then most kinds lost).

    Parameters: `G` the projected network (cluster nodes and organizational ties are
    left out as in `connectors`); `candidates` the ids to test (default: every
    articulation point); `kind_names`, `cluster_names` words for the reasons.

    >>> G = nx.path_graph(["a", "b", "c", "d", "e"])  # b and d cut one entity off, c two
    >>> for n in G: G.nodes[n].update(kind="organization", label=n.upper(), clusters=[])
    >>> [(p.id, p.cut_off) for p in single_points_of_failure(G)]
    [('c', ('d', 'e'))]

    Notes: one connected-components pass per candidate, O(n + m) each; test only the
    top connectors on a big network.
    """
    H = actors(G)
    kind_names = kind_names or {}
    cluster_names = cluster_names or {}
    points = set(nx.articulation_points(H))
    ids = [v for v in (candidates if candidates is not None else sorted(points, key=str)) if v in points]
    tagged: dict[tuple[str, str], set[Hashable]] = {}
    for n, d in H.nodes(data=True):
        for c in d.get("clusters") or ():
            tagged.setdefault((str(c), str(d.get("kind"))), set()).add(n)
    out = []
    for v in ids:
        lost = _cut_off(H, v)
        gone = set(lost)
        kinds = tuple(sorted(key for key, members in tagged.items() if v not in members and members <= gone))
        if len(lost) < 2 and not kinds:
            continue
        label = str(H.nodes[v].get("label") or v)
        names = sorted(str(H.nodes[x].get("label") or x) for x in lost)
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        many = "entities lose" if len(lost) != 1 else "entity loses"
        why = f"without it, {len(lost)} {many} every link to the rest ({shown})"
        said = "; ".join(
            f"every {kind_names.get(k, k).lower()} of the {cluster_names.get(c, c)} cluster" for c, k in kinds
        )
        if said:
            why += f", including {said}"
        out.append(
            FailurePoint(v, label, tuple(lost), kinds, why, f"the only link to {said}" if said else "")
        )
    out.sort(key=lambda p: (-len(p.cut_off), -len(p.kinds_lost), str(p.id)))
    return out

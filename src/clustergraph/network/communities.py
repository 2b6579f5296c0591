"""Communities of collaboration (Leiden), and how they compare with the declared clusters."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..errors import UsageError
from ..rows import Row
from .connectors import _and
from .views import actors, cluster_members

__all__ = ["BRIDGES_SHOWN", "SPLIT_SHARE", "ClusterFit", "Communities", "Community", "communities"]

#: A community holds a real part of a cluster (or a cluster a real part of a
#: community) when it has at least 2 of its members and at least this share.
SPLIT_SHARE = 0.25
#: Bridging members listed per community (``bridge_count`` gives them all).
BRIDGES_SHOWN = 5


@dataclass(frozen=True, slots=True)
class Community(Row):
    """One community of collaboration: entities linked more among themselves than to the rest."""

    number: int  #: 1 is the largest
    name: str  #: its most central members and dominant clusters, in words
    size: int
    members: tuple[str, ...]  #: ids, most links inside the community first
    clusters: tuple[str, ...]  #: declared clusters its members belong to, most members first
    density: float  #: share of the possible pairs of members that are linked
    links: int  #: links inside the community
    external: int  #: links to other communities
    bridges: tuple[str, ...]  #: members with most links to other communities (up to `BRIDGES_SHOWN`)
    bridge_count: int  #: members with any link to another community
    neighbours: tuple[int, ...]  #: communities it has links to, most links first
    joins: tuple[str, ...]  #: clusters of which it holds a real part, when there are two or more
    why: str  #: the sentence that says what it is


@dataclass(frozen=True, slots=True)
class ClusterFit(Row):
    """Where a declared cluster's linked members fall among the communities."""

    cluster: str
    label: str
    members: int  #: linked entities tagged with the cluster (or in its partnerships)
    communities: tuple[int, ...]  #: communities holding its members, most first
    counts: tuple[int, ...]  #: how many in each of `communities`
    share: float  #: share of its members in the first of `communities`
    split: bool  #: two or more communities each hold a real part of it
    why: str


@dataclass(frozen=True, slots=True)
class Communities:
    """What `communities` found: rows, the membership of every entity, the comparison with clusters."""

    rows: tuple[Community, ...]
    fits: tuple[ClusterFit, ...]
    membership: dict[Hashable, int] = field(repr=False)  #: entity -> community number (linked ones)
    unlinked: tuple[Hashable, ...]  #: entities with no link, in no community
    modularity: float
    resolution: float
    seed: int
    sentences: tuple[str, ...]
    #: Normalised mutual information between communities and declared clusters, over the
    #: linked entities tagged with exactly one cluster (1: the same groups; 0: unrelated);
    #: None with fewer than two such entities.
    agreement: float | None = None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> Community:
        return self.rows[i]

    def to_dict(self) -> dict[str, Any]:
        return {
            "modularity": self.modularity,
            "agreement": self.agreement,
            "resolution": self.resolution,
            "seed": self.seed,
            "sentences": list(self.sentences),
            "communities": [r.to_dict() for r in self.rows],
            "clusters": [f.to_dict() for f in self.fits],
            "unlinked": list(self.unlinked),
        }


def communities(G: nx.Graph, resolution: float = 1.0, seed: int = 0) -> Communities:
    """Find communities of collaboration with the Leiden algorithm and compare them with the clusters.

    For an analyst: a community is a group of entities that work with each other
    more than with the rest of the region. Where a declared cluster is split
    across communities, its members do not in fact work together as one group;
    where a community joins several clusters, those clusters share their
    partners (a cross-cluster coalition, often around a college or an EDC).

    Parameters
    ----------
    G : networkx.Graph
        From `project`; cluster nodes and cluster links are left out (see
        `actors`), so clusters cannot pull their members together.
    resolution : float
        Above 0. Higher gives more, smaller communities; 1 is classic modularity.
    seed : int
        Seed of igraph's random choices, so the same network gives the same
        communities on every run.

    Returns
    -------
    Communities
        ``rows``: one `Community` per community, largest first (ties by first
        member id), numbered from 1; ``fits``: one `ClusterFit` per declared
        cluster with linked members; ``membership``: entity id -> community
        number; ``unlinked``: entities with no link (in no community);
        ``modularity`` of the partition at `resolution`; ``agreement``: how
        far communities and declared clusters are the same groups (normalised
        mutual information, Danon et al. 2005); ``sentences``: what was
        found, in words.

    Examples
    --------
    Two triangles joined by one link form two communities:

    >>> G = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> found = communities(G)
    >>> [sorted(r["members"]) for r in found]
    [[1, 2, 3], [4, 5, 6]]
    >>> found.rows[0]["bridges"], found.membership[6]
    ((3,), 2)

    Notes
    -----
    Leiden (igraph's ``community_leiden``, modularity objective, iterated until
    a pass improves nothing) guarantees that every community is connected,
    which Louvain does not; a community that still came out in pieces would be
    split into its connected parts here. igraph's random generator is set to a
    ``random.Random(seed)`` for the call and restored after. Links count once,
    whatever their weight (as in the connector measures). About O(m) per pass;
    the rows cost O(n + m).

    References
    ----------
    .. [1] Traag, V. A., Waltman, L. and van Eck, N. J. (2019). From Louvain to
       Leiden: guaranteeing well-connected communities. Scientific Reports 9, 5233.
    .. [2] Newman, M. E. J. and Girvan, M. (2004). Finding and evaluating
       community structure in networks. Physical Review E 69, 026113.
    .. [3] Reichardt, J. and Bornholdt, S. (2006). Statistical mechanics of
       community detection. Physical Review E 74, 016110 (the resolution).
    .. [4] Danon, L., Díaz-Guilera, A., Duch, J. and Arenas, A. (2005).
       Comparing community structure identification. Journal of Statistical
       Mechanics P09008 (normalised mutual information).
    """
    if not resolution > 0:
        raise UsageError(f"`resolution` must be above 0, not {resolution}", "resolution")
    H = actors(G)
    linked = [v for v in H if H.degree(v) > 0]
    unlinked = tuple(v for v in H if H.degree(v) == 0)
    groups = _leiden(H, linked, resolution, seed)  # H's links are all between linked entities
    number = {v: i for i, group in enumerate(groups, 1) for v in group}
    modularity = _modularity(H, number, resolution) if groups else 0.0
    tagged = _tagged(H, linked)
    rows = tuple(_row(H, i, group, number, tagged) for i, group in enumerate(groups, 1))
    fits = _fits(H, tagged, number, rows)
    agreement, compared = _agreement(H, number)
    sentences = _sentences(rows, fits, len(unlinked), modularity, resolution)
    if agreement is not None:
        sentences += (
            f"Communities and declared clusters agree at {agreement:.2f} (normalised mutual information "
            f"over the {compared} linked entities tagged with exactly one cluster; 1: the same groups, "
            "0: unrelated).",
        )
    return Communities(
        rows, fits, number, unlinked, round(modularity, 6), resolution, seed, sentences, agreement
    )


def _agreement(H: nx.Graph, number: Mapping[Hashable, int]) -> tuple[float | None, int]:
    """NMI of communities against declared clusters (entities with one cluster), and how many compared."""
    import igraph as ig

    pairs = [(number[v], cs[0]) for v, cs in H.nodes(data="clusters") if v in number and cs and len(cs) == 1]
    if len(pairs) < 2:
        return None, len(pairs)
    index = {c: i for i, c in enumerate(sorted({c for _, c in pairs}))}
    nmi = ig.compare_communities([n for n, _ in pairs], [index[c] for _, c in pairs], method="nmi")
    return round(float(nmi), 6), len(pairs)


def _leiden(H: nx.Graph, nodes: Sequence[Hashable], resolution: float, seed: int) -> list[list[Hashable]]:
    """Leiden groups of `nodes`, each connected, largest first (ties by their first node)."""
    import igraph as ig

    if not nodes:
        return []
    index = {v: i for i, v in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in H.edges()])
    ig.set_random_number_generator(random.Random(seed))
    try:
        found = g.community_leiden(objective_function="modularity", resolution=resolution, n_iterations=-1)
    finally:
        ig.set_random_number_generator(random)
    groups: list[list[Hashable]] = []
    for part in found:
        sub = g.induced_subgraph(part)
        # Leiden's guarantee; kept as a check so a community is never two islands.
        for piece in sub.connected_components() if not sub.is_connected() else [range(len(part))]:
            groups.append(sorted((nodes[part[i]] for i in piece), key=_key))
    groups.sort(key=lambda grp: (-len(grp), _key(grp[0])))
    return groups


def _modularity(H: nx.Graph, number: Mapping[Hashable, int], resolution: float) -> float:
    """Newman's modularity of the partition `number` (linked entities only), as
    `networkx.community.modularity` computes it (links weighted by their
    ``weight``), in one pass over the links (NetworkX's walk of subgraph views
    took 2 s at 50,000 entities)."""
    inside: Counter[int] = Counter()
    degree: Counter[int] = Counter()
    m = 0.0
    for a, b, w in H.edges(data="weight", default=1):
        m += w
        ca, cb = number[a], number[b]
        degree[ca] += w
        degree[cb] += w
        if ca == cb:
            inside[ca] += w
    if not m:
        return 0.0
    return sum(inside[c] / m - resolution * (degree[c] / (2 * m)) ** 2 for c in degree)


def _key(v: Hashable) -> tuple[str, str]:
    return (type(v).__name__, str(v))


def _tagged(H: nx.Graph, linked: Sequence[Hashable]) -> dict[str, set[Hashable]]:
    """Cluster -> its linked members (tagged, or in a partnership tagged with it)."""
    keep = set(linked)
    return {c: ms & keep for c, ms in cluster_members(H, reach=0).items() if ms & keep}


def _label(H: nx.Graph, v: Hashable) -> str:
    return str(H.nodes[v].get("label") or v)


def _cluster_label(H: nx.Graph, c: str) -> str:
    return str((H.graph.get("clusters") or {}).get(c, c))


def _row(
    H: nx.Graph,
    i: int,
    group: list[Hashable],
    number: Mapping[Hashable, int],
    tagged: Mapping[str, set[Hashable]],
) -> Community:
    inside: Counter[Hashable] = Counter()
    outside: Counter[Hashable] = Counter()
    neighbours: Counter[int] = Counter()
    for v in group:
        for w in H[v]:
            if number[w] == i:
                inside[v] += 1
            else:
                outside[v] += 1
                neighbours[number[w]] += 1
    members = sorted(group, key=lambda v: (-inside[v], -H.degree(v), _key(v)))
    links = sum(inside.values()) // 2
    n = len(group)
    density = 2 * links / (n * (n - 1)) if n > 1 else 0.0
    mine = set(group)
    held = Counter({c: len(ms & mine) for c, ms in tagged.items() if ms & mine})
    clusters = sorted(held, key=lambda c: (-held[c], c))
    with_cluster = len(set().union(*(tagged[c] & mine for c in clusters))) if clusters else 0
    parts = [c for c in clusters if held[c] >= 2 and held[c] >= SPLIT_SHARE * with_cluster]
    joins = tuple(parts) if len(parts) >= 2 else ()
    bridges = sorted(outside, key=lambda v: (-outside[v], _key(v)))
    leaders = ", ".join(_label(H, v) for v in members[:2])
    main = [_cluster_label(H, c) for c in (parts or clusters)[:2]]
    name = leaders + (f" ({', '.join(main)})" if main else "")
    what = f'Community {i} "{name}": {n} entit{"ies" if n != 1 else "y"}, density {density:.0%}'
    if joins:
        counts = _and([str(held[c]) for c in joins])
        joined = _and([_cluster_label(H, c) for c in joins])
        what += f"; joins the {joined} clusters ({counts} of its {n} members)"
    elif clusters:
        c = clusters[0]
        what += f"; mostly the {_cluster_label(H, c)} cluster ({held[c]} of its {n} members)"
    else:
        what += "; none of its members is tagged with a cluster"
    if bridges:
        what += f"; bridged to {len(neighbours)} other communit{'ies' if len(neighbours) != 1 else 'y'}"
        what += f" mainly by {_and([_label(H, v) for v in bridges[:2]])}"
    return Community(
        number=i,
        name=name,
        size=n,
        members=tuple(members),
        clusters=tuple(clusters),
        density=round(density, 6),
        links=links,
        external=sum(outside.values()),
        bridges=tuple(bridges[:BRIDGES_SHOWN]),
        bridge_count=len(bridges),
        neighbours=tuple(sorted(neighbours, key=lambda k: (-neighbours[k], k))),
        joins=joins,
        why=what + ".",
    )


def _fits(
    H: nx.Graph,
    tagged: Mapping[str, set[Hashable]],
    number: Mapping[Hashable, int],
    rows: Sequence[Community],
) -> tuple[ClusterFit, ...]:
    out = []
    names = {r.number: r.name for r in rows}
    for c in sorted(tagged):
        ms = tagged[c]
        counts = Counter(number[v] for v in ms)
        order = sorted(counts, key=lambda k: (-counts[k], k))
        total = len(ms)
        parts = [k for k in order if counts[k] >= 2 and counts[k] >= SPLIT_SHARE * total]
        split = len(parts) >= 2
        label = _cluster_label(H, c)
        first = order[0]
        if total < 2:
            why = f"The {label} cluster has only 1 linked member: too few to compare."
        elif split:
            where = ", ".join(f'{counts[k]} in community {k} "{names[k]}"' for k in parts)
            rest = total - sum(counts[k] for k in parts)
            why = (
                f"The {label} cluster is split across {len(parts)} communities: of its {total} linked "
                f"members, {where}" + (f", {rest} elsewhere" if rest else "") + "."
            )
        else:
            why = (
                f"The {label} cluster works as one community: {counts[first]} of its {total} linked "
                f'members are in community {first} "{names[first]}".'
            )
        out.append(
            ClusterFit(
                cluster=c,
                label=label,
                members=total,
                communities=tuple(order),
                counts=tuple(counts[k] for k in order),
                share=round(counts[first] / total, 6),
                split=split,
                why=why,
            )
        )
    return tuple(out)


def _sentences(
    rows: Sequence[Community], fits: Sequence[ClusterFit], unlinked: int, modularity: float, resolution: float
) -> tuple[str, ...]:
    k = len(rows)
    if not k:
        return ("The network has no links, so it forms no communities yet.",)
    out = [
        f"Leiden found {k} communit{'ies' if k != 1 else 'y'} of collaboration (modularity {modularity:.2f} "
        f"at resolution {resolution:g}; above about 0.3 the groups are clearly marked)"
        + (
            f"; {unlinked} entit{'ies' if unlinked != 1 else 'y'} with no link belong to none."
            if unlinked
            else "."
        )
    ]
    split = [f for f in fits if f.split]
    whole = [f for f in fits if not f.split and f.members >= 2]
    few = len(fits) - len(split) - len(whole)
    if fits:
        out.append(
            f"Of {len(fits)} declared clusters with linked members, {len(whole)} "
            f"work{'s' if len(whole) == 1 else ''} as one community and {len(split)} "
            f"{'is' if len(split) == 1 else 'are'} split across communities"
            + (f"; {few} {'has' if few == 1 else 'have'} too few linked members to tell." if few else ".")
        )
    out += [f.why for f in split]
    out += [r.why for r in rows if r.joins]
    return tuple(out)

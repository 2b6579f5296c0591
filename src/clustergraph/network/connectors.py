"""Central connectors and single points of failure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..errors import UsageError, did_you_mean
from ..progressbar import ANALYSIS_FROM_NODES, stages
from ..rows import Row
from .centrality import betweenness, constraint, effective_size, pagerank, shared_igraph
from .kinds import SECTORS
from .views import actors, in_cluster

__all__ = [
    "ROLES",
    "ConnectorRow",
    "articulation",
    "brokerage",
    "check_cluster",
    "check_entity",
    "connectors",
]

#: Gould–Fernandez brokerage roles. Partnerships have no direction, so the
#: gatekeeper (broker shares the receiver's group) and the representative
#: (broker shares the sender's group) cannot be told apart: they are one role.
ROLES: tuple[str, ...] = ("coordinator", "itinerant", "gatekeeper_representative", "liaison")


@dataclass(frozen=True, slots=True, eq=False)
class ConnectorRow(Row):
    """One entity's place in the network, as `connectors` ranks it (see there for each measure)."""

    brief = (
        "rank", "id", "sector", "degree", "betweenness", "pagerank", "constraint",
        "effective_size", "liaison", "gatekeeper_representative", "cut_off", "why",
    )  # fmt: skip
    rank: int
    id: Any
    label: str
    kind: str | None
    sector: str | None
    degree: int
    betweenness: float
    pagerank: float
    constraint: float | None
    effective_size: float | None
    coordinator: int
    itinerant: int
    gatekeeper_representative: int
    liaison: int
    articulation: bool
    cut_off: int
    why: str


#: Rows whose why-sentence names who would be cut off (the rest give the count).
DETAIL_ROWS = 100


def brokerage(G: nx.Graph, group: str = "sector") -> dict[Hashable, dict[str, int]]:
    """Gould–Fernandez brokerage: which kinds of gaps each entity bridges.

    For every pair of an entity's partners that are not partners of each
    other, the entity is their broker; the role depends on the groups
    (sectors: industry, education, workforce, government, civic) of the three:

    - coordinator: all three in one sector (brokers inside its own sector);
    - itinerant (consultant): the two partners share a sector the broker is
      not in (an outsider linking two members of one sector);
    - gatekeeper/representative: the broker shares a sector with one of the
      two (it opens its sector to another, or speaks for its sector to
      another). With undirected partnerships the two roles coincide and are
      counted together;
    - liaison: three different sectors (links sectors neither of which it
      belongs to: the rarest and most valuable bridge).

    For an analyst: liaison and gatekeeper/representative counts show who
    actually connects education, industry, workforce and government, which
    is what sector partnerships are meant to do.

    Returns
    -------
    dict
        ``{node: {role: number of open partner pairs}}`` for the roles in
        `ROLES`.

    Examples
    --------
    >>> G = nx.Graph([("college", "edc"), ("edc", "firm"), ("edc", "board")])
    >>> nx.set_node_attributes(
    ...     G, {"college": "education", "edc": "civic", "firm": "industry", "board": "workforce"}, "sector"
    ... )
    >>> brokerage(G)["edc"]
    {'coordinator': 0, 'itinerant': 0, 'gatekeeper_representative': 0, 'liaison': 3}

    Notes
    -----
    Counts come from the partners' sector counts (all pairs) minus the pairs
    that are linked (each triangle once): O(sum over edges of the smaller
    degree), with no enumeration of all partner pairs.

    References
    ----------
    .. [1] Gould, R. V. and Fernandez, R. M. (1989). Structures of mediation:
       a formal approach to brokerage in transaction networks. Sociological
       Methodology 19, 89-126.
    """
    return _brokerage(G, group)[0]


def _brokerage(
    G: nx.Graph, group: str = "sector"
) -> tuple[dict[Hashable, dict[str, int]], dict[Hashable, Counter[tuple[str, str]]], dict[Hashable, int]]:
    """Roles, per entity the open partner pairs by pair of different sectors, and
    per entity its triangles (linked partner pairs, found on the way)."""
    sector = {v: G.nodes[v].get(group) for v in G}
    nbrs = {v: set(G[v]) for v in G}
    # Each linked pair once: a ahead of b in `_order_key` order (ranks compared,
    # not keys rebuilt per pair: this loop is the cost of brokerage on a big network).
    rank = {v: i for i, v in enumerate(sorted(G, key=_order_key))}
    out: dict[Hashable, dict[str, int]] = {}
    bridges: dict[Hashable, Counter[tuple[str, str]]] = {}
    triangles: dict[Hashable, int] = {}
    for v in G:
        gv = sector[v]
        counts = Counter(sector[w] for w in nbrs[v])
        same = counts.get(gv, 0)
        other = len(nbrs[v]) - same
        itinerant = sum(c * (c - 1) // 2 for s, c in counts.items() if s != gv)
        roles = {
            "coordinator": same * (same - 1) // 2,
            "itinerant": itinerant,
            "gatekeeper_representative": same * other,
            "liaison": other * (other - 1) // 2 - itinerant,
        }
        kinds = sorted(counts, key=str)
        mix: Counter[tuple[str, str]] = Counter()
        for x, sa in enumerate(kinds):
            for sb in kinds[x + 1 :]:
                mix[(str(sa), str(sb))] = counts[sa] * counts[sb]
        mine = nbrs[v]
        linked = 0
        for a in mine:
            ra = rank[a]
            for b in nbrs[a] & mine:
                if ra < rank[b]:
                    linked += 1
                    sa, sb = sector[a], sector[b]
                    roles[_role(gv, sa, sb)] -= 1
                    if sa != sb:
                        mix[tuple(sorted((str(sa), str(sb))))] -= 1  # type: ignore[index]
        out[v] = roles
        bridges[v] = +mix
        # A self-loop is not a triangle (as in nx.triangles); projections have none.
        triangles[v] = nx.triangles(G, v) if v in mine else linked
    return out, bridges, triangles


def _order_key(v: Hashable) -> tuple[str, str]:
    return (type(v).__name__, str(v))


def _role(gv: Any, ga: Any, gb: Any) -> str:
    if ga == gb:
        return "coordinator" if ga == gv else "itinerant"
    if gv in (ga, gb):
        return "gatekeeper_representative"
    return "liaison"


def articulation(G: nx.Graph) -> dict[Hashable, int]:
    """Single points of failure: entities whose removal splits the network.

    For an analyst: an articulation point is the only link between some
    entities and the rest of their network; if it closes, loses funding or
    leaves a partnership, they are cut off. The value is how many entities
    would be separated from the largest remaining part of its component.

    Returns
    -------
    dict
        ``{node: entities cut off}`` for articulation points only.

    Examples
    --------
    >>> articulation(nx.path_graph(5))  # removing 1 cuts 0 off; removing 2 cuts 2 off
    {1: 1, 2: 2, 3: 1}

    Notes
    -----
    One depth-first search (Hopcroft–Tarjan low points) that also keeps
    subtree sizes, so the pieces left by each removal are known without
    removing anything: O(n + m).

    References
    ----------
    .. [1] Hopcroft, J. and Tarjan, R. (1973). Algorithm 447: efficient
       algorithms for graph manipulation. Communications of the ACM 16(6),
       372-378.
    """
    return _articulation(G).cut


class _Cuts:
    """What one DFS knows about cut vertices: the pieces each removal leaves.

    `order` lists the entities in DFS preorder, so the subtree under a child c
    is ``order[disc[c] : disc[c] + size[c]]`` and a component the slice of its
    root; the pieces a removal leaves are read off without removing anything.
    """

    def __init__(self) -> None:
        self.disc: dict[Hashable, int] = {}
        self.size: dict[Hashable, int] = {}
        self.root: dict[Hashable, Hashable] = {}
        self.children: dict[Hashable, list[Hashable]] = {}  # children whose subtree splits off
        self.order: list[Hashable] = []
        self.cut: dict[Hashable, int] = {}

    def _span(self, x: Hashable) -> list[Hashable]:
        return self.order[self.disc[x] : self.disc[x] + self.size[x]]

    def cut_off(self, v: Hashable) -> list[Hashable]:
        """Entities separated from the largest remaining part of v's component."""
        if v not in self.cut:
            return []
        root = self.root[v]
        parts = [(self.size[c], self.disc[c], c) for c in self.children[v]]
        rest = self.size[root] - 1 - sum(p[0] for p in parts)
        biggest = max(parts, key=lambda p: (p[0], -p[1]))
        if rest >= biggest[0] and v != root:
            return [x for c in self.children[v] for x in self._span(c)]
        keep = set(self._span(biggest[2]))
        return [x for x in self._span(root) if x != v and x not in keep]


def _articulation(G: nx.Graph) -> _Cuts:
    cuts = _Cuts()
    disc, size, order = cuts.disc, cuts.size, cuts.order
    low: dict[Hashable, int] = {}
    for root in G:
        if root in disc:
            continue
        disc[root] = low[root] = len(order)
        order.append(root)
        size[root] = 1
        stack = [(root, None, iter(G[root]))]
        start = len(order) - 1
        while stack:
            v, parent, it = stack[-1]
            for w in it:
                if w not in disc:
                    disc[w] = low[w] = len(order)
                    order.append(w)
                    size[w] = 1
                    stack.append((w, v, iter(G[w])))
                    break
                if w != parent:
                    low[v] = min(low[v], disc[w])
            else:
                stack.pop()
                if parent is not None:
                    low[parent] = min(low[parent], low[v])
                    size[parent] += size[v]
                    if low[v] >= disc[parent]:
                        cuts.children.setdefault(parent, []).append(v)
        total = size[root]
        for v in order[start:]:
            cuts.root[v] = root
            kids = cuts.children.get(v)
            if not kids or (v == root and len(kids) < 2):
                continue
            parts = [size[c] for c in kids]
            rest = total - 1 - sum(parts)
            cuts.cut[v] = total - 1 - max([*parts, rest])
    cuts.cut = {v: cuts.cut[v] for v in G if v in cuts.cut}
    return cuts


def check_cluster(G: nx.Graph, cluster: str) -> None:
    """Raise `UsageError` (with a did-you-mean) for a cluster id the graph lacks."""
    from ..concepts import check_cluster, known_clusters

    check_cluster(
        cluster, known_clusters(G.graph.get("clusters"), (cs for _, cs in G.nodes(data="clusters")))
    )


def check_entity(G: nx.Graph, node: str) -> None:
    """Raise `UsageError` (with a did-you-mean) for an entity id the graph lacks."""
    if node not in G:
        hint = did_you_mean(str(node), [str(v) for v in G])
        raise UsageError(f"unknown entity '{node}'" + (f" ({hint})" if hint else ""))


def connectors(
    G: nx.Graph,
    top: int | None = None,
    cluster: str | None = None,
    k: int | None = None,
    seed: int = 0,
    backend: str | None = None,
) -> list[ConnectorRow]:
    """Rank the entities that hold the network together, with the reason in words.

    Parameters
    ----------
    G : networkx.Graph
        From `project`; cluster nodes and cluster links are left out (see
        `actors`).
    top : int, optional
        Keep the first `top` rows.
    cluster : str, optional
        Keep entities that take part in or serve this cluster (see
        `in_cluster`). Measures are still those of the whole network, so a
        cluster's connectors are ranked by their place in the region.
    k, seed : int
        Betweenness sampling (see `betweenness`).
    backend : "igraph", "networkx" or None

    Returns
    -------
    list of ConnectorRow
        One row per entity, most central first (betweenness, then degree,
        then id): ``rank, id, label, kind, sector, degree, betweenness,
        pagerank, constraint, effective_size`` and the brokerage roles
        ``coordinator, itinerant, gatekeeper_representative, liaison`` (see
        `brokerage`), ``articulation`` (bool: a single point of failure),
        ``cut_off`` (entities separated if it left) and ``why``.

    Examples
    --------
    Two groups joined through one broker:

    >>> G = nx.barbell_graph(3, 1)
    >>> nx.set_node_attributes(G, "civic", "sector")
    >>> top = connectors(G, top=1)[0]
    >>> top["id"], top["articulation"], top["cut_off"]
    (3, True, 3)

    Notes
    -----
    Cost is that of the measures: betweenness (exact O(nm) up to
    `EXACT_LIMIT` entities, sampled O(km) above), PageRank and constraint in
    igraph, brokerage O(sum of min degrees over edges), articulation O(n+m);
    the why-sentence of the first `DETAIL_ROWS` rows names who is cut off,
    read from the same search (O(entities cut off) each).
    """
    if cluster is not None:
        check_cluster(G, cluster)
    H = actors(G)
    if len(H) == 0:
        return []
    steps = ("betweenness", "PageRank", "constraint", "brokerage", "effective size", "articulation")
    with stages("connectors", steps, show=len(H) >= ANALYSIS_FROM_NODES) as stage, shared_igraph():
        stage("betweenness")
        btw = betweenness(H, k=k, seed=seed, backend=backend)
        stage("PageRank")
        pr = pagerank(H, backend=backend)
        stage("constraint")
        con = constraint(H, backend=backend)
        stage("brokerage")
        roles, bridges, triangles = _brokerage(H)
        stage("effective size")
        eff = effective_size(H, triangles)
        stage("articulation")
        cuts = _articulation(H)
    cut = cuts.cut
    keep = in_cluster(G, cluster) if cluster is not None else set(H)
    order = sorted((v for v in H if v in keep), key=lambda v: (-round(btw[v], 12), -H.degree(v), str(v)))
    if top is not None:
        order = order[:top]
    rows: list[ConnectorRow] = []
    for rank, v in enumerate(order, 1):
        d = H.nodes[v]
        row: dict[str, Any] = {
            "rank": rank,
            "id": v,
            "label": d.get("label", str(v)),
            "kind": d.get("kind"),
            "sector": d.get("sector"),
            "degree": H.degree(v),
            "betweenness": round(btw[v], 6),
            "pagerank": round(pr[v], 6),
            "constraint": None if con[v] is None else round(con[v], 6),
            "effective_size": None if eff[v] is None else round(eff[v], 6),
            **roles[v],
            "articulation": v in cut,
            "cut_off": cut.get(v, 0),
        }
        lost = cuts.cut_off(v) if rank <= DETAIL_ROWS else None
        rows.append(ConnectorRow(**row, why=_why(H, v, row, cluster, bridges[v], lost)))
    return rows


MAX_CLUSTERS_NAMED = 5  # in a "why" text; beyond this, the count and the three with most partners


def _names(H: nx.Graph, nodes: list[Hashable], limit: int = 3) -> str:
    """The best-connected few of `nodes` by label, and how many more."""
    first = sorted(nodes, key=lambda x: (-H.degree(x), str(H.nodes[x].get("label", x))))
    text = ", ".join(str(H.nodes[x].get("label", x)) for x in first[:limit])
    return text + (f" and {len(first) - limit} more" if len(first) > limit else "")


def _why(
    H: nx.Graph,
    v: Hashable,
    row: dict[str, Any],
    cluster: str | None,
    mix: Counter[tuple[str, str]],
    lost: list[Hashable] | None,
) -> str:
    deg = row["degree"]
    if deg == 0:
        return "no partner in the network: isolated"
    data, partners = H.nodes, H.adj[v]  # looked up once: this runs for every entity
    seen = {data[w].get("sector") for w in partners}
    sectors = [s for s in SECTORS if s in seen]
    own = data[v].get("clusters") or []
    theirs = Counter(c for w in partners for c in data[w].get("clusters") or () if c not in own)
    text = f"{deg:,} partner{'s' if deg != 1 else ''} in {_and(sectors)}"
    if own:
        text += f"; in the {_and(list(own))} cluster{'s' if len(own) > 1 else ''}"
    if len(theirs) > MAX_CLUSTERS_NAMED:
        # A hub of a big region reaches dozens of clusters: name where most partners are.
        most = [c for c, _ in sorted(theirs.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
        text += f"; partners in {len(theirs)} other clusters, most of them in {_and(most)}"
    elif theirs:
        text += f"; partners in the {_and(sorted(theirs))} cluster{'s' if len(theirs) > 1 else ''}"
    parts = [text]
    open_pairs = sum(row[r] for r in ROLES)
    across = open_pairs - row["coordinator"]
    if open_pairs:
        text = f"brokers {open_pairs:,} pair{'s' if open_pairs != 1 else ''} of partners with no direct link"
        if across:
            main = min(mix.items(), key=lambda kv: (-kv[1], kv[0]))[0] if mix else None
            text += f", {across:,} across sectors" + (f" (mostly {main[0]} and {main[1]})" if main else "")
        parts.append(text)
    if row["cut_off"]:
        n = row["cut_off"]
        text = f"removing it cuts {n:,} entit{'ies' if n != 1 else 'y'} off"
        if lost:
            in_c = Counter(c for x in lost for c in H.nodes[x].get("clusters") or ())
            text += f" ({_names(H, lost)})"
            if cluster and in_c.get(cluster):
                text += f", {in_c[cluster]:,} of them in the {cluster} cluster"
            elif in_c:
                top_c, count = min(in_c.items(), key=lambda kv: (-kv[1], kv[0]))
                text += f", {count:,} of them in the {top_c} cluster"
        parts.append(text)
    return "; ".join(parts)


def _and(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]

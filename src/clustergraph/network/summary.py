"""Ecosystem summary: the network's size, cohesion, and whether its leaders work together."""

from __future__ import annotations

import random
from collections.abc import Hashable
from typing import Any

import networkx as nx

from .centrality import EXACT_LIMIT, _backend, _to_igraph
from .views import actors

__all__ = ["ROBUSTNESS_NOTE", "summary"]

ROBUSTNESS_NOTE = (
    "Field studies of innovation ecosystems found that where the leading actors collaborate "
    "with each other, the whole network's collaboration is more robust."
)

#: Sources sampled for the average path length above `EXACT_LIMIT` entities.
PATH_SAMPLE = 200
#: Sources whose distances are asked of igraph in one call (see `_average_path_length`).
_SOURCES_AT_ONCE = 16


def summary(G: nx.Graph, top: int = 10, seed: int = 0) -> dict[str, Any]:
    """Figures that describe the whole ecosystem, with sentences for a reader.

    Parameters
    ----------
    G : networkx.Graph
        From `project`; cluster nodes and links are left out (see `actors`).
    top : int
        How many best-connected actors (by number of partners, ties by id)
        form the "top connectors" whose links to each other are counted.
    seed : int
        Seed of the source sample for the average path length above
        `EXACT_LIMIT` entities.

    Returns
    -------
    dict
        - ``entities``, ``links``: size of the network;
        - ``density``: share of all possible pairs that are linked (a sparse
          regional network is typically well under 5 %);
        - ``components``: separate islands; ``largest_component`` and
          ``largest_component_share``: how much of the ecosystem can reach
          each other at all (low share: a fragmented region);
        - ``isolated``: entities with no link;
        - ``average_path_length``: average number of steps between two
          entities of the largest component (how many introductions it takes);
        - ``clustering``: average local clustering, the chance that two
          partners of an entity are partners themselves (closed circles);
        - ``top_connectors``, ``top_links``, ``top_possible``,
          ``top_density``: links among the `top` best-connected actors;
          ``rich_club``: the same density (rich-club coefficient at their
          degree), and ``rich_club_ratio``: how many times denser than the
          network as a whole;
        - ``sentences``: the figures in words, including the robustness note.

    Examples
    --------
    >>> s = summary(nx.path_graph(4), top=2)
    >>> s["entities"], s["links"], s["components"], s["average_path_length"]
    (4, 3, 1, 1.667)

    Notes
    -----
    O(n + m) for size and components, O(sum of degree^2) for clustering;
    average path length is exact (one BFS per entity, O(nm)) up to
    `EXACT_LIMIT` entities, else the mean over `PATH_SAMPLE` sampled sources.

    References
    ----------
    .. [1] Watts, D. J. and Strogatz, S. H. (1998). Collective dynamics of
       'small-world' networks. Nature 393, 440-442.
    .. [2] Zhou, S. and Mondragón, R. J. (2004). The rich-club phenomenon in
       the Internet topology. IEEE Communications Letters 8(3), 180-182.
    .. [3] Colizza, V., Flammini, A., Serrano, M. A. and Vespignani, A.
       (2006). Detecting rich-club ordering in complex networks. Nature
       Physics 2, 110-115.
    """
    H = actors(G)
    n, m = H.number_of_nodes(), H.number_of_edges()
    comps = sorted(nx.connected_components(H), key=len, reverse=True) if n else []
    largest = comps[0] if comps else set()
    density = nx.density(H) if n > 1 else 0.0
    apl = _average_path_length(H, largest, seed) if len(largest) > 1 else None
    leaders = sorted(H, key=lambda v: (-H.degree(v), str(v)))[:top]
    top_links = H.subgraph(leaders).number_of_edges()
    possible = len(leaders) * (len(leaders) - 1) // 2
    top_density = top_links / possible if possible else 0.0
    out: dict[str, Any] = {
        "entities": n,
        "links": m,
        "density": round(density, 6),
        "components": len(comps),
        "largest_component": len(largest),
        "largest_component_share": round(len(largest) / n, 6) if n else 0.0,
        "isolated": sum(1 for _, d in H.degree() if d == 0),
        "average_path_length": None if apl is None else round(apl, 3),
        "path_length_method": "exact"
        if len(largest) <= EXACT_LIMIT
        else f"sampled from {PATH_SAMPLE} sources",
        "clustering": round(_clustering(H), 6) if n else 0.0,
        "top_connectors": leaders,
        "top_links": top_links,
        "top_possible": possible,
        "top_density": round(top_density, 6),
        "rich_club": round(_rich_club(H, leaders), 6),
        "rich_club_ratio": round(top_density / density, 3) if density else None,
    }
    out["sentences"] = _sentences(H, out)
    return out


def _average_path_length(H: nx.Graph, largest: set[Hashable], seed: int) -> float:
    """Mean distance between entities of the largest component (BFS never leaves it)."""
    nodes = [v for v in H if v in largest]
    sources = nodes if len(nodes) <= EXACT_LIMIT else random.Random(seed).sample(nodes, PATH_SAMPLE)
    total = pairs = 0
    if _backend(None) == "igraph":
        g, order = _to_igraph(H)
        index = {v: i for i, v in enumerate(order)}
        targets = [index[v] for v in nodes]
        rows = [index[s] for s in sources]
        # A few sources at a time: the distances of all 200 sampled sources to every
        # entity are 40 million numbers at 200,000 entities (twice over: igraph's
        # matrix, then Python's lists), the largest thing `summary` held. The sums are
        # of integers, so the mean is the same to the last digit.
        for start in range(0, len(rows), _SOURCES_AT_ONCE):
            for row in g.distances(source=rows[start : start + _SOURCES_AT_ONCE], target=targets):
                total += sum(row)  # every target is in the component: all finite
                pairs += len(row) - 1
    else:  # pragma: no cover - igraph is a dependency
        for s in sources:
            lengths = nx.single_source_shortest_path_length(H, s)
            total += sum(lengths.values())
            pairs += len(lengths) - 1
    return total / pairs if pairs else 0.0


def _clustering(H: nx.Graph) -> float:
    """Average local clustering, entities with fewer than two partners counting 0 (as NetworkX)."""
    if _backend(None) == "igraph":
        g, _ = _to_igraph(H)
        values = g.transitivity_local_undirected(mode="zero")
        return sum(values) / len(values)
    return nx.average_clustering(H)  # pragma: no cover - igraph is a dependency


def _rich_club(H: nx.Graph, leaders: list[Hashable]) -> float:
    """Rich-club coefficient at the degree of the last of the leaders.

    Density among every entity with more partners than k, where k is one less
    than the smallest degree among the leaders (so ties at that degree count).
    """
    if not leaders:
        return 0.0
    k = min(H.degree(v) for v in leaders) - 1
    rich = [v for v, d in H.degree() if d > k]
    if len(rich) < 2:
        return 0.0
    return 2 * H.subgraph(rich).number_of_edges() / (len(rich) * (len(rich) - 1))


def _sentences(H: nx.Graph, s: dict[str, Any]) -> list[str]:
    n = s["entities"]
    out = [
        f"{n:,} entities and {s['links']:,} links; density {s['density']:.1%} "
        f"(share of all possible pairs that are linked)."
    ]
    if n:
        out.append(
            f"{s['components']:,} separate component{'s' if s['components'] != 1 else ''}; the largest holds "
            f"{s['largest_component']:,} entities ({s['largest_component_share']:.0%}); {s['isolated']:,} "
            f"entit{'ies have' if s['isolated'] != 1 else 'y has'} no link at all."
        )
    if s["average_path_length"] is not None:
        out.append(
            f"Within the largest component it takes {s['average_path_length']:.1f} steps on average to reach "
            f"another entity; clustering {s['clustering']:.2f} (chance that two partners of an entity "
            "are partners themselves)."
        )
    if s["top_possible"]:
        names = ", ".join(str(H.nodes[v].get("label", v)) for v in s["top_connectors"][:3])
        ratio = (
            f", {s['rich_club_ratio']:.0f}x the density of the whole network" if s["rich_club_ratio"] else ""
        )
        out.append(
            f"The {len(s['top_connectors'])} most connected actors ({names}, ...) share {s['top_links']} of "
            f"{s['top_possible']} possible links with each other ({s['top_density']:.0%}{ratio}). "
            + ROBUSTNESS_NOTE
        )
    return out

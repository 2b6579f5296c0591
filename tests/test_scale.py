"""The faster paths of the analyses give the answers of the plain ones (issue 21)."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from clustergraph.network import connectors, effective_size
from clustergraph.network.communities import _modularity
from clustergraph.network.views import cluster_members

SECTORS = ("industry", "education", "workforce", "government", "civic")


def _network(seed: int) -> nx.Graph:
    rnd = random.Random(seed)
    G = nx.gnm_random_graph(120, 420, seed=seed)
    for v in G:
        G.nodes[v].update(sector=rnd.choice(SECTORS), kind="organization", clusters=rnd.sample("abcd", 2))
    for a, b in G.edges:
        G.edges[a, b].update(weight=rnd.choice([1, 2, 3]), relations=["partnership:funding"], clusters=[])
    return G


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_connectors_effective_size_from_brokerage_triangles_is_networkx_s(seed: int) -> None:
    G = _network(seed)
    plain = effective_size(G)  # from nx.triangles
    assert {r["id"]: r["effective_size"] for r in connectors(G)} == {
        v: None if x is None else round(x, 6) for v, x in plain.items()
    }


@pytest.mark.parametrize("resolution", [0.5, 1.0, 2.0])
def test_one_pass_modularity_is_networkx_s_with_weights(resolution: float) -> None:
    G = _network(4)
    rnd = random.Random(5)
    number = {v: rnd.randrange(6) for v in G}
    groups = [{v for v in G if number[v] == c} for c in set(number.values())]
    expected = nx.community.modularity(G, groups, resolution=resolution)
    assert _modularity(G, number, resolution) == pytest.approx(expected, abs=1e-12)


def test_cluster_members_with_reach_adds_every_non_cluster_neighbour() -> None:
    G = _network(6)
    G.add_node("c-a", kind="cluster", clusters=[])
    G.add_edge("c-a", 0, relations=["in-cluster"], clusters=[])
    got = cluster_members(G, reach=1)
    for c, members in got.items():
        core = {v for v, cs in G.nodes(data="clusters") if c in cs and G.nodes[v]["kind"] != "cluster"}
        assert members == core | {w for v in core for w in G[v] if G.nodes[w]["kind"] != "cluster"}

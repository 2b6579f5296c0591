"""Each measure on small hand-built graphs with known answers, and igraph == NetworkX."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from clustergraph.errors import UsageError
from clustergraph.network import (
    articulation,
    betweenness,
    brokerage,
    connectors,
    constraint,
    effective_size,
    pagerank,
    summary,
    without,
)
from clustergraph.network.centrality import EXACT_LIMIT


def _typed(G: nx.Graph, sector: str | dict[object, str] = "civic") -> nx.Graph:
    nx.set_node_attributes(G, sector if isinstance(sector, dict) else dict.fromkeys(G, sector), "sector")
    nx.set_node_attributes(G, "organization", "kind")
    nx.set_node_attributes(G, {v: f"Org {v}" for v in G}, "label")
    nx.set_node_attributes(G, {v: [] for v in G}, "clusters")
    return G


def star() -> nx.Graph:
    return _typed(nx.star_graph(4))  # hub 0, leaves 1-4


def bridge() -> nx.Graph:
    """Two triangles {0,1,2} and {4,5,6} joined through 3: 2-3-4."""
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (5, 6), (4, 6)])
    return _typed(G)


def path() -> nx.Graph:
    return _typed(nx.path_graph(5))


BACKENDS = ["igraph", "networkx"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_betweenness_of_a_star_is_all_on_the_hub(backend: str) -> None:
    b = betweenness(star(), backend=backend)
    assert b[0] == pytest.approx(1.0)
    assert all(b[v] == 0 for v in range(1, 5))


@pytest.mark.parametrize("backend", BACKENDS)
def test_betweenness_of_a_path_peaks_in_the_middle(backend: str) -> None:
    # Pairs of others through node 2 of 0-1-2-3-4: (0,3) (0,4) (1,3) (1,4) = 4 of C(4,2)=6.
    b = betweenness(path(), backend=backend)
    assert [round(b[v], 6) for v in range(5)] == [0, 0.5, round(4 / 6, 6), 0.5, 0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_bridge_node_carries_every_path_between_the_groups(backend: str) -> None:
    b = betweenness(bridge(), backend=backend)
    assert max(b, key=b.get) == 3
    assert b[3] == pytest.approx(9 / 15)  # 3 x 3 pairs across, of C(6,2) = 15


def test_sampled_betweenness_is_the_same_on_both_backends_and_repeats() -> None:
    G = _typed(nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=1))
    a = betweenness(G, k=40, seed=7, backend="igraph")
    b = betweenness(G, k=40, seed=7, backend="networkx")
    assert all(a[v] == pytest.approx(b[v], abs=1e-12) for v in G)
    assert betweenness(G, k=40, seed=7) == a
    assert betweenness(G, k=40, seed=8) != a
    exact = betweenness(G)
    top_exact = sorted(G, key=exact.get, reverse=True)[:10]
    top_sampled = sorted(G, key=a.get, reverse=True)[:30]
    assert len(set(top_exact) & set(top_sampled)) >= 7  # a sample ranks the main brokers high


def test_large_networks_switch_to_sampling_with_a_stated_k() -> None:
    from clustergraph.network import betweenness_method

    assert betweenness_method(EXACT_LIMIT) == "exact"
    assert betweenness_method(EXACT_LIMIT + 1) == "sampled from k=500 sources (seed 0)"
    assert betweenness_method(100, k=10, seed=3) == "sampled from k=10 sources (seed 3)"


@pytest.mark.parametrize("make", [star, bridge, path, lambda: _typed(nx.karate_club_graph())])
def test_pagerank_and_constraint_agree_between_igraph_and_networkx(make: object) -> None:
    G = make()  # type: ignore[operator]
    G.add_node("alone", sector="civic", kind="organization", label="alone", clusters=[])
    p1, p2 = pagerank(G, backend="igraph"), pagerank(G, backend="networkx")
    assert sum(p1.values()) == pytest.approx(1.0)
    assert all(p1[v] == pytest.approx(p2[v], abs=1e-9) for v in G)
    c1, c2 = constraint(G, backend="igraph"), constraint(G, backend="networkx")
    assert c1["alone"] is None and c2["alone"] is None
    assert all(c1[v] == pytest.approx(c2[v], abs=1e-12) for v in G if v != "alone")


def test_structural_holes_of_a_star_and_a_clique() -> None:
    c, e = constraint(star()), effective_size(star())
    assert c[0] == pytest.approx(0.25) and c[1] == pytest.approx(1.0)  # 4 strangers: 4 x (1/4)^2
    assert e[0] == 4 and e[1] == 1
    K = nx.complete_graph(5)
    assert effective_size(K)[0] == pytest.approx(1.0)  # everyone knows everyone: one circle
    nx_eff = nx.effective_size(bridge())
    assert all(effective_size(bridge())[v] == pytest.approx(nx_eff[v]) for v in bridge())


def test_brokerage_roles_follow_the_sectors_of_the_three() -> None:
    G = nx.Graph([("hub", x) for x in ("e1", "e2", "i1", "w1")])
    _typed(G, {"hub": "education", "e1": "education", "e2": "education", "i1": "industry", "w1": "workforce"})
    assert brokerage(G)["hub"] == {
        "coordinator": 1,  # e1-e2
        "itinerant": 0,
        "gatekeeper_representative": 4,  # e1-i1, e1-w1, e2-i1, e2-w1
        "liaison": 1,  # i1-w1
    }
    G.add_edge("e1", "e2")  # linked pairs need no broker
    assert brokerage(G)["hub"]["coordinator"] == 0
    H = _typed(nx.Graph([("x", "a"), ("x", "b")]), {"x": "civic", "a": "industry", "b": "industry"})
    assert brokerage(H)["x"]["itinerant"] == 1


def test_brokerage_counts_match_enumerating_every_pair() -> None:
    G = nx.connected_watts_strogatz_graph(60, 6, 0.3, seed=2)
    _typed(G, {v: ("industry", "education", "workforce")[v % 3] for v in G})
    fast = brokerage(G)
    for v in G:
        slow = dict.fromkeys(fast[v], 0)
        nb = sorted(G[v])
        for i, a in enumerate(nb):
            for b in nb[i + 1 :]:
                if not G.has_edge(a, b):
                    sa, sb, sv = (G.nodes[x]["sector"] for x in (a, b, v))
                    role = (
                        ("coordinator" if sa == sv else "itinerant")
                        if sa == sb
                        else ("gatekeeper_representative" if sv in (sa, sb) else "liaison")
                    )
                    slow[role] += 1
        assert fast[v] == slow


def test_articulation_points_and_how_many_they_cut_off() -> None:
    assert articulation(star()) == {0: 3}  # removing the hub leaves 4 singletons: 3 cut from one
    assert articulation(path()) == {1: 1, 2: 2, 3: 1}
    assert articulation(bridge()) == {2: 2, 3: 3, 4: 2}  # 2 leaves {0,1} apart from {3..6}
    G = nx.connected_watts_strogatz_graph(200, 4, 0.05, seed=3)
    G.add_edges_from([(500, 0), (501, 500), (502, 9)])
    assert set(articulation(G)) == set(nx.articulation_points(G))


def test_connectors_rank_the_bridge_first_and_say_why() -> None:
    rows = connectors(bridge())
    top = rows[0]
    assert (top["id"], top["rank"], top["articulation"], top["cut_off"]) == (3, 1, True, 3)
    assert "removing it cuts 3 entities off" in top["why"]
    assert [r["id"] for r in connectors(bridge(), top=3)] == [3, 2, 4]
    assert rows == connectors(bridge())  # deterministic


def test_why_names_a_few_clusters_and_counts_the_rest() -> None:
    # A hub whose 12 partners sit in 8 clusters: the text stays a sentence, not a list of 8.
    G = _typed(nx.star_graph(12))
    for leaf in range(1, 13):
        G.nodes[leaf]["clusters"] = ["c0"] if leaf <= 5 else [f"c{leaf % 7 + 1}"]
    hub = next(r for r in connectors(G) if r["id"] == 0)
    assert "partners in 8 other clusters, most of them in c0, " in hub["why"]
    G.nodes[0]["clusters"] = ["c0"]  # its own cluster is not an "other" one
    hub = next(r for r in connectors(G) if r["id"] == 0)
    assert "partners in 7 other clusters" in hub["why"]
    few = _typed(nx.star_graph(2))
    few.nodes[1]["clusters"], few.nodes[2]["clusters"] = ["b"], ["a"]
    assert "partners in the a and b clusters" in connectors(few)[0]["why"]


def test_connectors_reject_an_unknown_cluster_with_a_suggestion() -> None:
    G = star()
    G.graph["clusters"] = {"aerospace": "Aerospace"}
    with pytest.raises(UsageError, match="did you mean 'aerospace'"):
        connectors(G, cluster="aerospce")


def test_summary_of_known_graphs() -> None:
    s = summary(path(), top=2)
    assert (s["entities"], s["links"], s["components"], s["largest_component_share"]) == (5, 4, 1, 1.0)
    assert s["average_path_length"] == pytest.approx(2.0)  # (4x1 + 3x2 + 2x3 + 1x4) / 10
    assert s["clustering"] == 0
    two = _typed(nx.Graph([(0, 1), (2, 3)]))
    two.add_node(9, sector="civic", kind="organization", label="x", clusters=[])
    s2 = summary(two)
    assert (s2["components"], s2["isolated"], s2["largest_component_share"]) == (3, 1, 0.4)
    k = summary(_typed(nx.complete_graph(6)), top=3)
    assert (k["top_links"], k["top_possible"], k["top_density"]) == (3, 3, 1.0)
    assert "leading actors collaborate" in k["sentences"][-1]


def test_without_reports_what_is_cut_off_and_the_reach_lost() -> None:
    w = without(bridge(), 3)
    assert w["reach_before"] == 21 and w["reach_after"] == 6  # C(7,2) -> 2 x C(3,2)
    assert w["reach_drop"] == pytest.approx(15 / 21, abs=1e-6)
    assert [g["size"] for g in w["disconnected"]] == [3]
    w0 = without(bridge(), 0)
    assert w0["disconnected"] == [] and "still reaches" in w0["why"]
    with pytest.raises(UsageError, match="unknown entity"):
        without(bridge(), 42)


def test_isolated_entities_have_no_measures_but_a_reason() -> None:
    G = star()
    G.add_node("alone", sector="civic", kind="organization", label="Alone", clusters=[])
    row = next(r for r in connectors(G) if r["id"] == "alone")
    assert row["constraint"] is None and row["effective_size"] is None
    assert row["why"].endswith("isolated")
    assert not math.isnan(next(r for r in connectors(G) if r["id"] == 0)["constraint"])


def test_who_is_cut_off_matches_removing_the_entity() -> None:
    from clustergraph.network.connectors import _articulation

    G = nx.connected_watts_strogatz_graph(150, 4, 0.05, seed=5)
    G.add_edges_from([(900, 0), (901, 900), (902, 900), (903, 9), (904, 150), (905, 904)])
    cuts = _articulation(G)
    for v, n in cuts.cut.items():
        lost = set(cuts.cut_off(v))
        assert len(lost) == n
        R = G.copy()
        R.remove_node(v)
        parts = sorted(nx.connected_components(R.subgraph(nx.node_connected_component(G, v) - {v})), key=len)
        assert len(lost) == sum(len(p) for p in parts[:-1])
        assert all(p <= lost or not (p & lost) for p in parts)  # whole pieces, never half of one


def test_summary_clustering_and_path_length_agree_with_networkx() -> None:
    G = _typed(nx.karate_club_graph())
    G.add_edge(100, 101)  # a second component: path length is of the largest only
    nx.set_node_attributes(G, {100: "civic", 101: "civic"}, "sector")
    s = summary(G)
    assert s["clustering"] == pytest.approx(nx.average_clustering(G), abs=1e-6)
    K = nx.karate_club_graph()
    assert s["average_path_length"] == pytest.approx(nx.average_shortest_path_length(K), abs=1e-3)


def test_sampled_path_length_is_the_mean_distance_from_the_seeded_sources() -> None:
    """Above EXACT_LIMIT the distances are asked a few sources at a time: the figure is still the
    mean over the 200 seeded sources' BFS distances, exactly as one call for all of them gave."""
    import random

    from clustergraph.network.centrality import EXACT_LIMIT
    from clustergraph.network.summary import PATH_SAMPLE

    G = _typed(nx.connected_watts_strogatz_graph(EXACT_LIMIT + 500, 4, 0.1, seed=3))
    G.add_edge(-1, -2)  # a second component, left out of the path length
    nx.set_node_attributes(G, {-1: "civic", -2: "civic"}, "sector")
    s = summary(G, seed=7)
    largest = [v for v in G if v >= 0]
    total = pairs = 0
    for v in random.Random(7).sample(largest, PATH_SAMPLE):
        lengths = nx.single_source_shortest_path_length(G, v)
        total, pairs = total + sum(lengths.values()), pairs + len(lengths) - 1
    assert s["path_length_method"] == f"sampled from {PATH_SAMPLE} sources"
    assert s["average_path_length"] == round(total / pairs, 3)


def test_why_writes_big_counts_with_thousands_separators() -> None:
    """A hub of a state's network brokers thousands of pairs: "1,225", as every figure is written."""
    import networkx as nx

    from clustergraph.network import connectors

    G = nx.Graph()
    G.add_node("hub", kind="organization", label="Hub", sector="government", clusters=[], sources=[])
    for i in range(50):
        sector = "industry" if i % 2 else "education"
        G.add_node(f"p{i}", kind="organization", label=f"P {i}", sector=sector, clusters=[], sources=[])
        G.add_edge("hub", f"p{i}", relations=["partnership:x"], weight=1, sources=[])
    (row,) = [r for r in connectors(G) if r["id"] == "hub"]
    assert "brokers 1,225 pairs of partners with no direct link" in row["why"]
    assert "1,225 across sectors" in row["why"]

"""Sector mixing and structure: E-I index, assortativity, cores, triple helix; against hand counts and NetworkX."""

from __future__ import annotations

import json
import random

import networkx as nx
import pytest

from clustergraph.cli import main
from clustergraph.network import (
    assortativity,
    core_periphery,
    ei_index,
    load_network,
    mixing,
    structure,
    triple_helix,
)


def _sectors(G: nx.Graph, sectors: dict) -> nx.Graph:
    nx.set_node_attributes(G, sectors, "sector")
    return G


def _hand() -> nx.Graph:
    """Two firms, two colleges, a city and an EDC: 6 links, counted by hand in the tests."""
    G = nx.Graph([("f1", "f2"), ("f1", "c1"), ("f1", "city"), ("c1", "c2"), ("c2", "edc"), ("city", "edc")])
    return _sectors(
        G,
        {
            "f1": "industry",
            "f2": "industry",
            "c1": "education",
            "c2": "education",
            "city": "government",
            "edc": "civic",
        },
    )


def test_ei_index_by_hand():
    ei = ei_index(_hand())
    # internal: f1-f2, c1-c2; external: f1-c1, f1-city, c2-edc, city-edc
    assert (ei.external, ei.internal) == (4, 2)
    assert ei.index == pytest.approx((4 - 2) / 6)
    # random mixing: groups of 2, 2, 1, 1 among 6 -> P(internal) = (2 + 2) / 30
    assert ei.expected == pytest.approx(1 - 2 * 4 / 30, abs=1e-6)
    assert ei.entities["f1"] == pytest.approx((2 - 1) / 3)
    assert ei.entities["edc"] == 1.0 and ei.entities["f2"] == -1.0
    # industry's ties: f1-f2 (in), f1-c1, f1-city (out)
    assert ei.groups["industry"] == pytest.approx(1 / 3)


def test_ei_index_over_clusters_counts_shared_membership_and_skips_untagged():
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    nx.set_node_attributes(
        G, {"a": ["aero"], "b": ["aero", "bio"], "c": ["bio"], "d": ["blue"], "e": []}, "clusters"
    )
    ei = ei_index(G, "clusters")
    assert (ei.internal, ei.external) == (2, 1)  # a-b, b-c share; c-d does not; d-e not counted
    assert ei.index == pytest.approx(-1 / 3) and ei.expected is None
    assert ei.entities["e"] is None and ei.entities["d"] == 1.0


def test_assortativity_matches_networkx():
    pytest.importorskip("numpy")  # NetworkX's version needs it; ours does not
    rng = random.Random(4)
    for seed in range(5):
        G = nx.gnm_random_graph(60, 150, seed=seed)
        _sectors(G, {v: rng.choice(["industry", "education", "government", "civic"]) for v in G})
        assert assortativity(G) == pytest.approx(
            nx.attribute_assortativity_coefficient(G, "sector"), abs=1e-12
        )


def test_assortativity_by_hand():
    # ends: industry 3 (f1-f2 twice, f1-c1, f1-city) ... computed from the mixing matrix
    G = _hand()
    e = {("industry", "industry"): 2, ("education", "education"): 2}
    total = 12
    ends = {"industry": 4, "education": 4, "government": 2, "civic": 2}
    a2 = sum((k / total) ** 2 for k in ends.values())
    expected = (sum(e.values()) / total - a2) / (1 - a2)
    assert assortativity(G) == pytest.approx(expected)
    assert assortativity(nx.Graph([(1, 2)])) is None  # no sector at all


def test_core_periphery_matches_networkx_core_number():
    G = nx.gnm_random_graph(80, 200, seed=2)
    G.add_node("alone")
    cores = core_periphery(G)
    assert cores.coreness == nx.core_number(G)
    k = max(nx.core_number(G).values())
    assert set(cores.core) == set(nx.k_core(G, k))
    assert cores.position("alone") == "isolated"
    assert {cores.position(v) for v in G if v not in cores.core and v != "alone"} == {"periphery"}


def test_triple_helix_by_hand():
    h = triple_helix(_hand())
    assert (h.links, h.helix_links, h.crossing) == (
        6,
        4,
        2,
    )  # f1-c1, f1-city cross; c2-edc, city-edc: intermediary
    assert h.share == pytest.approx(2 / 6, abs=1e-6) and h.share_of_helix == 0.5
    assert h.pairs == {"academia-industry": 1, "government-industry": 1}
    assert h.entities["f1"] == 2 and h.entities["edc"] == 0


def test_mixing_rows_per_entity():
    rows = {r["id"]: r for r in mixing(_hand())}
    assert rows["f1"].degree == 3 and rows["f1"].helix_crossing == 2
    assert rows["f1"].position in ("core", "periphery")
    assert rows["f1"].to_dict()["sector"] == "industry"


def test_structure_sentences_say_it_in_words():
    s = structure(_hand())
    text = " ".join(s.sentences)
    assert "4 of 6 links (67%) join entities of different sectors" in text
    assert "cross the triple helix of industry, academia and government" in text
    assert s.figures()["triple_helix_links"] == 2


def test_la_structure_leaves_cluster_nodes_out():
    G = load_network("graph", "all")
    s = structure(G)
    assert (
        s.sector_ei.external + s.sector_ei.internal
        == nx.Graph(
            [
                (a, b)
                for a, b in G.edges()
                if G.nodes[a]["kind"] != "cluster" and G.nodes[b]["kind"] != "cluster"
            ]
        ).number_of_edges()
    )


def test_cli_summary_prints_the_figures_and_the_organisation(runner):
    result = runner.invoke(main, ["summary", "graph", "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "How the ecosystem is organized" in result.output
    assert "ei_sector" in result.output and "triple helix" in result.output
    doc = json.loads(runner.invoke(main, ["summary", "graph", "--format", "json"]).output)
    assert doc["figures"]["entities"] > 0 and doc["organised"]
    tsv = runner.invoke(main, ["summary", "graph", "--format", "tsv"]).output.splitlines()
    assert tsv[0] == "figure\tvalue"

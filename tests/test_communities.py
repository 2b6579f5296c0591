"""Communities (Leiden) on hand-made graphs with known structure, on graph/, and from the CLI."""

from __future__ import annotations

import json
import random
from itertools import combinations

import networkx as nx
import pytest

from clustergraph.cli import main
from clustergraph.errors import UsageError
from clustergraph.network import communities, load_network


def _cliques(sizes: list[int]) -> tuple[nx.Graph, list[set[int]]]:
    """Cliques of the given sizes, each joined to the next by one link (a chain)."""
    G, groups, start = nx.Graph(), [], 0
    for k in sizes:
        members = list(range(start, start + k))
        G.add_edges_from(combinations(members, 2))
        groups.append(set(members))
        if start:
            G.add_edge(start - 1, start)
        start += k
    return G, groups


def test_ring_of_cliques_gives_each_clique():
    G = nx.ring_of_cliques(6, 5)
    found = communities(G)
    assert sorted(sorted(r.members) for r in found) == [list(range(i, i + 5)) for i in range(0, 30, 5)]
    assert all(r.density == 1.0 and r.links == 10 for r in found)
    assert all(r.bridge_count == 2 and r.external == 2 for r in found)


def test_higher_resolution_separates_small_cliques_the_resolution_limit_merges():
    G = nx.ring_of_cliques(16, 4)
    cliques = [set(range(i, i + 4)) for i in range(0, 64, 4)]
    merged = communities(G, resolution=1.0)
    assert len(merged) < 16
    for r in merged:  # each community is a union of whole cliques
        assert set(r.members) == set().union(*(c for c in cliques if c & set(r.members)))
    separate = communities(G, resolution=2.0)
    assert sorted(map(sorted, (r.members for r in separate))) == sorted(map(sorted, cliques))


def test_planted_groups_are_found_exactly():
    G = nx.planted_partition_graph(4, 10, 0.9, 0.02, seed=1)
    found = communities(G)
    assert [sorted(r.members) for r in found] == [list(range(i, i + 10)) for i in range(0, 40, 10)]


def test_every_community_is_connected_and_unlinked_entities_are_in_none():
    G = nx.planted_partition_graph(5, 12, 0.5, 0.05, seed=3)
    G.add_nodes_from(["lone-1", "lone-2"])
    found = communities(G, resolution=1.5)
    assert all(nx.is_connected(G.subgraph(r.members)) for r in found)
    assert found.unlinked == ("lone-1", "lone-2")
    assert "lone-1" not in found.membership
    assert sum(r.size for r in found) == len(G) - 2
    assert "2 entities with no link belong to none" in found.sentences[0]


def test_same_seed_same_communities_and_the_random_module_is_left_alone():
    G = nx.planted_partition_graph(6, 15, 0.3, 0.05, seed=7)
    random.seed(5)
    expected = random.random()
    random.seed(5)
    first = communities(G, seed=11)
    assert random.random() == expected
    again = communities(G.copy(), seed=11)
    assert [r.members for r in first] == [r.members for r in again]
    assert (
        first.modularity
        == again.modularity
        == round(nx.community.modularity(G, [set(r.members) for r in first]), 6)
    )


def test_rows_read_like_dicts():
    G, _ = _cliques([4, 4])
    row = communities(G).rows[0]
    assert row["size"] == row.size == 4
    assert dict(row)["number"] == 1
    assert row.to_dict()["members"] == list(row.members)


def test_a_cluster_split_across_communities_is_said_so():
    G, _ = _cliques([5, 5, 5])
    tags = {v: ["aerospace"] for v in (0, 1, 5, 6)} | {v: ["bioscience"] for v in range(10, 15)}
    for v in G:
        G.nodes[v].update(label=f"Entity {v}", clusters=tags.get(v, []), kind="organization")
    G.graph["clusters"] = {"aerospace": "Aerospace", "bioscience": "Bioscience"}
    found = communities(G)
    fit = {f.cluster: f for f in found.fits}
    assert fit["aerospace"].split and fit["aerospace"].counts == (2, 2)
    assert fit["aerospace"].why.startswith(
        "The Aerospace cluster is split across 2 communities: of its 4 linked"
    )
    assert not fit["bioscience"].split and fit["bioscience"].share == 1.0
    assert "The Bioscience cluster works as one community: 5 of its 5 linked members" in fit["bioscience"].why
    assert fit["aerospace"].why in found.sentences


def test_a_community_joining_two_clusters_is_said_so():
    G, _ = _cliques([6, 4])
    tags = {0: ["aerospace"], 1: ["aerospace"], 2: ["bioscience"], 3: ["bioscience"]}
    for v in G:
        G.nodes[v].update(label=f"Entity {v}", clusters=tags.get(v, []))
    G.graph["clusters"] = {"aerospace": "Aerospace", "bioscience": "Bioscience"}
    row = communities(G).rows[0]
    assert row.joins == ("aerospace", "bioscience")
    assert "joins the Aerospace and Bioscience clusters (2 and 2 of its 6 members)" in row.why
    assert row.name.endswith("(Aerospace, Bioscience)")


def test_resolution_must_be_positive():
    with pytest.raises(UsageError, match="`resolution` must be above 0"):
        communities(nx.path_graph(3), resolution=0)


def test_la_communities_cover_the_linked_entities():
    G = load_network("graph", "collaboration")
    found = communities(G)
    linked = {v for v in G if G.degree(v)}
    assert set(found.membership) == linked
    blue = next(f for f in found.fits if f.cluster == "blue-economy")
    assert "altasea" in found.rows[blue.communities[0] - 1].members


def test_cli_communities_json_and_table(runner):
    result = runner.invoke(main, ["communities", "graph", "--format", "json", "--seed", "3"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["seed"] == 3 and doc["communities"][0]["number"] == 1
    assert {"name", "size", "members", "clusters", "density", "bridges"} <= set(doc["communities"][0])
    table = runner.invoke(main, ["communities", "graph", "--format", "table"])
    assert table.exit_code == 0
    assert (
        "Leiden found" in table.output
        and "How the communities compare with the declared clusters" in table.output
    )


def test_cli_communities_rejects_a_zero_resolution(runner):
    result = runner.invoke(main, ["communities", "graph", "--resolution", "0"])
    assert result.exit_code == 2


def test_communities_repeat_across_processes_whatever_the_hash_seed(tmp_path):
    import os
    import subprocess
    import sys

    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "CLUSTERGRAPH_CACHE": "0"}
        cmd = [
            sys.executable,
            "-m",
            "clustergraph",
            "communities",
            "graph",
            "--format",
            "json",
            "--seed",
            "5",
        ]
        outputs.append(subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout)
    assert outputs[0] == outputs[1] and json.loads(outputs[0])["communities"]


def test_a_network_with_no_links_forms_no_communities():
    found = communities(nx.empty_graph(3))
    assert found.rows == () and found.unlinked == (0, 1, 2) and found.modularity == 0.0
    assert found.sentences == ("The network has no links, so it forms no communities yet.",)


def test_cli_communities_turtle_uses_only_declared_terms(runner):
    from importlib.resources import files

    import pyoxigraph as ox

    result = runner.invoke(main, ["communities", "graph", "--format", "turtle"])
    assert result.exit_code == 0, result.output
    store = ox.Store()
    store.load(result.stdout_bytes, format=ox.RdfFormat.TURTLE)
    cg = "https://w3id.org/clustergraph/ns#"
    ask = f"ASK {{ ?c a <{cg}Community> ; <{cg}communityNumber> 1 ; <{cg}communityMember> <https://w3id.org/clustergraph/id/la-oc-regional-consortium> }}"
    assert store.query(ask)
    vocab = ox.Store()
    vocab.load(
        files("clustergraph").joinpath("vocab/clustergraph.ttl").read_bytes(), format=ox.RdfFormat.TURTLE
    )
    declared = {
        str(q.subject.value)
        for q in vocab.quads_for_pattern(
            None, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None, None
        )
    }
    used = {q.predicate.value for q in store} | {
        q.object.value for q in store if q.predicate.value.endswith("#type")
    }
    assert {t for t in used if t.startswith(cg)} <= declared


def test_agreement_with_clusters_is_one_when_they_are_the_communities():
    G, groups = _cliques([5, 5, 5])
    names = ["aero", "bio", "blue"]
    for group, name in zip(groups, names, strict=True):
        for v in group:
            G.nodes[v]["clusters"] = [name]
    assert communities(G).agreement == 1.0
    for v in G:  # one cluster for all: nothing in common with three communities
        G.nodes[v]["clusters"] = ["aero"]
    assert communities(G).agreement == 0.0
    assert communities(nx.path_graph(3)).agreement is None

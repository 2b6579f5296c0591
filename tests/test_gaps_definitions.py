"""`gaps` against its own definitions, written out the slow way: who serves a cluster
(`in_cluster` with the rules' reach), which entities meet a rule (any condition, every
key of it, any listed value), in `str` order. The analysis finds the same from the other
side (each entity asks which clusters it serves) and from an index of field values; these
tests hold it to the plain reading on the LA data, on generated data and on small graphs
made to hit the corners (list values, absent fields, an empty condition, directed links).
Suggested partnerships likewise: on random networks without hubs, every pair sharing a
context or a cluster, scored and ranked as `suggestions` documents.
"""

from __future__ import annotations

import importlib.util
import math
import random
import sys
from collections.abc import Mapping
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from clustergraph.builder import BuiltGraph, build
from clustergraph.loader import load
from clustergraph.network import gaps, in_cluster, load_rules, project
from clustergraph.network.gaps import STAGES
from clustergraph.network.suggest import HUB_CAP, SUGGESTABLE, suggestions

from .conftest import ROOT


def _meets(d: Mapping[str, Any], conds: list[Mapping[str, Any]]) -> bool:
    """The rules' reading: any condition whose every key has one of the wanted values."""
    for cond in conds:
        if all(
            (set(want) if isinstance(want, list) else {want})
            & (set(d.get(k)) if isinstance(d.get(k), list) else {d.get(k)})
            for k, want in cond.items()
        ):
            return True
    return False


def _expected(G: nx.Graph, rules: Mapping[str, Any], cluster: str | None = None) -> tuple[dict, dict]:
    """Coverage and value-chain entities per (cluster, asset or stage), and the assessed flags."""
    reach = rules.get("reach", 1)
    entities = {v: d for v, d in G.nodes(data=True) if d.get("kind") != "cluster"}
    clusters = sorted(
        {str(c) for _, cs in G.nodes(data="clusters") for c in cs or ()} | set(G.graph["clusters"])
    )
    serving = {c: in_cluster(G, c, reach=reach) for c in clusters}
    anywhere = set().union(*serving.values())
    groups = {("asset", name): {v for v, d in entities.items() if _meets(d, a["match"])}
              for name, a in rules["assets"].items()}  # fmt: skip
    for stage in STAGES:
        groups["stage", stage] = {
            v
            for v, d in entities.items()
            if stage in (d.get("value_chain") or ()) or _meets(d, rules["value_chain"].get(stage) or [])
        }
    found = {
        (c, key): sorted(serving[c] & group, key=str)
        for c in ([cluster] if cluster else clusters)
        for key, group in groups.items()
    }
    return found, {key: bool(group & anywhere) for key, group in groups.items()}


def _held(G: nx.Graph, rules: Mapping[str, Any], cluster: str | None = None) -> None:
    out = gaps(G, rules, cluster=cluster, top=5)
    found, assessed = _expected(G, rules, cluster)
    got = {(r.cluster, ("asset", r.asset)): r.entities for r in out.coverage}
    got |= {(r.cluster, ("stage", r.stage)): r.assets for r in out.value_chain}
    assert got == found
    for r in out.coverage:
        assert r.has == bool(r.entities) and r.count == len(r.entities)
        assert r.assessed == assessed["asset", r.asset]
    for r in out.value_chain:
        assert r.empty == (not r.assets) and r.assessed == assessed["stage", r.stage]


@pytest.fixture(scope="module")
def la_network(la_graph: BuiltGraph) -> nx.Graph:
    return project(la_graph, "collaboration")


@pytest.mark.parametrize("reach", [0, 1])
def test_la_coverage_is_in_cluster_meeting_the_rules(la_network: nx.Graph, reach: int) -> None:
    rules = {**load_rules(), "reach": reach}
    _held(la_network, rules)
    _held(la_network, rules, cluster="blue-economy")


@pytest.fixture(scope="module")
def generated_network(tmp_path_factory: pytest.TempPathFactory) -> nx.Graph:
    spec = importlib.util.spec_from_file_location("cg_bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    out: Path = tmp_path_factory.mktemp("generated")
    module.generate(1500, out, seed=11)
    return project(build(load(out, cache=False)), "collaboration")


def test_generated_coverage_is_in_cluster_meeting_the_rules(generated_network: nx.Graph) -> None:
    # Hubs in many clusters, partnerships tagged with clusters, people and programmes:
    # each entity serves tens of clusters here, as at national scale.
    rules = load_rules()
    _held(generated_network, rules)
    _held(generated_network, {**rules, "reach": 0})
    some = sorted(generated_network.graph["clusters"])[3]
    _held(generated_network, rules, cluster=some)


def _corner_graph(directed: bool = False) -> nx.Graph:
    G: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    G.graph["clusters"] = {"bio": "Bioscience", "aero": "Aerospace", "idle": "Idle"}
    G.add_node("lab", kind="organization", category="research-institute", clusters=["bio"], label="Lab")
    G.add_node("uni", kind="college", category=None, sector=["health", "space"], clusters=[])
    G.add_node("fab", kind="organization", category="manufacturer", value_chain=["build"], clusters=["aero"])
    G.add_node("hall", kind="facility", clusters=[], value_chain=["research", "export"])
    G.add_node("board", kind="workforce-board", clusters=[])
    G.add_node("lone", kind="organization", category="research-institute", clusters=[])
    G.add_node("c-bio", kind="cluster", clusters=[])
    G.add_edge("lab", "uni", clusters=[])
    G.add_edge("uni", "fab", clusters=["aero", "bio"])  # a partnership tagged with two clusters
    G.add_edge("fab", "hall", clusters=[])
    G.add_edge("board", "hall", clusters=None)
    G.add_edge("lab", "c-bio", relations=["in-cluster"], clusters=[])
    return G


CORNER_RULES: dict[str, Any] = {
    "assets": {
        "institute": {"label": "Institute", "match": [{"category": "research-institute"}]},
        "spacey": {"label": "Space", "match": [{"sector": ["space", "sea"]}]},  # any listed value, in a list
        "uncategorised": {"label": "Blank", "match": [{"category": None}]},  # an absent or empty field
        "college-in-health": {"label": "Both", "match": [{"kind": "college", "sector": "health"}]},
        "either": {"label": "Either", "match": [{"kind": "workforce-board"}, {"category": "manufacturer"}]},
        "anything": {"label": "Anything", "match": [{}]},  # no key: every entity
        "nothing": {"label": "Nothing", "match": []},
        "nobody": {"label": "Nobody", "match": [{"kind": "spaceship"}]},
    },
    "value_chain": {"research": [{"category": "research-institute"}], "design": [{"kind": "college"}]},
}


@pytest.mark.parametrize("reach", [0, 1])
@pytest.mark.parametrize("directed", [False, True])
def test_corner_rules_and_links(reach: int, directed: bool) -> None:
    G = _corner_graph(directed)
    rules = {**CORNER_RULES, "reach": reach}
    _held(G, rules)
    _held(G, rules, cluster="aero")
    _held(G, rules, cluster="idle")


def test_corner_cases_read_as_the_rules_say() -> None:
    out = gaps(_corner_graph(), CORNER_RULES)
    cov = {(r.cluster, r.asset): r for r in out.coverage}
    # The lone institute serves no cluster; the lab serves bio, and aero through uni's partnership.
    assert cov["bio", "institute"].entities == ["lab"] and cov["aero", "institute"].entities == ["lab"]
    # uni and fab are members of both clusters through their partnership; hall is fab's partner.
    assert cov["aero", "anything"].entities == ["fab", "hall", "lab", "uni"]
    assert cov["aero", "spacey"].entities == cov["aero", "college-in-health"].entities == ["uni"]
    assert not cov["aero", "nothing"].has and not cov["aero", "nothing"].assessed
    assert not cov["idle", "institute"].has and cov["idle", "institute"].assessed
    assert "no institute serves Idle" in cov["idle", "institute"].why
    stage = {(r.cluster, r.stage): r.assets for r in out.value_chain}
    assert stage["aero", "export"] == ["hall"] and stage["bio", "design"] == ["uni"]


def _random_network(seed: int) -> nx.Graph:
    """Kinds, small clusters and umbrella memberships at random; no hub above `HUB_CAP`."""
    rng = random.Random(seed)
    H = nx.gnm_random_graph(120, 260, seed=seed)
    H = nx.relabel_nodes(H, {i: f"e{i:03d}" for i in H})
    kinds = ["organization", "organization", "college", "workforce-board", "facility", "person"]
    for v in H:
        H.nodes[v].update(
            kind=rng.choice(kinds),
            label=v.upper(),
            clusters=rng.sample(["a", "b", "c", "d"], rng.randint(0, 1)),
        )
    for _, _, d in H.edges(data=True):
        d["relations"] = rng.choice([["member-of"], ["member-of"], ["partner"], ["member-of", "partner"]])
    return H


def _plain_suggestions(H: nx.Graph, cluster: str | None) -> list[tuple[str, str, float]]:
    """Every pair not linked that shares a context or a cluster, scored and ranked as documented."""
    ok = sorted((v for v in H if H.nodes[v]["kind"] in SUGGESTABLE), key=str)
    out = []
    for u, v in combinations(ok, 2):
        cu, cv = set(H.nodes[u]["clusters"]), set(H.nodes[v]["clusters"])
        if H.has_edge(u, v) or (cluster is not None and cluster not in cu | cv):
            continue
        umbrella = [
            w
            for w in nx.common_neighbors(H, u, v)
            if H.edges[u, w]["relations"] == H.edges[v, w]["relations"] == ["member-of"]
        ]
        ctx = sorted(set(nx.common_neighbors(H, u, v)) - set(umbrella), key=str)
        if ctx or cu & cv:
            out.append((u, v, round(sum(1 / math.log(H.degree(w)) for w in ctx) + len(cu & cv), 6)))
    return sorted(out, key=lambda t: (-t[2], t[0], t[1]))


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("cluster", [None, "b"])
def test_suggestions_are_every_candidate_pair_ranked(seed: int, cluster: str | None) -> None:
    H = _random_network(seed)
    assert max(d for _, d in H.degree()) <= HUB_CAP
    every = _plain_suggestions(H, cluster)
    assert len(every) > 60  # more than the head `suggestions` rescores for top 5
    got = [(r.a, r.b, r.score) for r in suggestions(H, H, cluster=cluster, top=len(every) + 10)]
    assert got == every
    assert [(r.a, r.b, r.score) for r in suggestions(H, H, cluster=cluster, top=5)] == every[:5]

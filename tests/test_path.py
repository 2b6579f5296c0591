"""`clustergraph path` and the entity resolver: exact paths on a hand-made dataset and on graph/."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from clustergraph.builder import build
from clustergraph.cli import main
from clustergraph.errors import UsageError
from clustergraph.loader import load
from clustergraph.network import project
from clustergraph.network.paths import paths
from clustergraph.network.resolve import Resolver, UnknownEntity, aliases

from .conftest import GRAPH_DIR

# A hand-made region: an EDC funds a port, runs a consortium of two colleges, and a
# facility the port operates sits in the aerospace cluster. Synthetic, made here.
HAND = {
    "sources.yaml": """sources:
  - id: s-fund
    name: Funding note
    title: Funding note
  - id: s-consortium
    name: Consortium charter
    title: Consortium charter
""",
    "clusters.yaml": """clusters:
  - id: aero
    name: Aerospace
""",
    "organizations.yaml": """organizations:
  - id: edc
    name: Test EDC
    aliases: [The Development Corporation]
    type: economic-development-org
  - id: port
    name: Test Port
    type: port
  - id: consortium
    name: Test College Consortium
    type: consortium
    members: [college-a, college-b]
    sources: [s-consortium]
  - id: loner
    name: Lone Foundation
    type: foundation
""",
    "colleges.yaml": """colleges:
  - id: college-a
    name: College A
    type: community-college
  - id: college-b
    name: College B
    type: community-college
""",
    "facilities.yaml": """facilities:
  - id: hangar
    name: Test Hangar
    operator: port
    clusters: [aero]
""",
    "partnerships.yaml": """partnerships:
  - id: edc-port-funding
    name: EDC funds the port
    members: [edc, port]
    type: funding
    sources: [s-fund]
  - id: edc-consortium
    name: EDC and the consortium
    members: [edc, consortium]
    type: sector-partnership
""",
}


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hand")
    for name, text in HAND.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hand_net(hand: Path) -> tuple[nx.Graph, dict[str, list[str]], object]:
    g = build(load(hand))
    return project(g, "collaboration"), aliases(g.store), g.store


def _run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_cluster_to_kind_names_the_brokers_with_each_hop_and_its_sources(hand_net) -> None:
    G, al, store = hand_net
    found = paths(G, "cluster:aero", "kind:colleges", aliases=al, store=store)
    assert [p.nodes for p in found.paths] == [
        ("hangar", "port", "edc", "consortium", "college-a"),
        ("hangar", "port", "edc", "consortium", "college-b"),
    ]
    hops = found.paths[0].hops
    assert [h.relation for h in hops] == [
        "operated by",
        "funding partnership",
        "sector partnership",
        "has as member",
    ]
    assert [[s["id"] for s in h.sources] for h in hops] == [[], ["s-fund"], [], ["s-consortium"]]
    assert hops[1].partnerships == ("edc-port-funding",)
    assert found.paths[0].brokers == ("port", "edc", "consortium")
    labels = {v: d["label"] for v, d in G.nodes(data=True)}
    assert found.sentence(labels) == (
        "The Aerospace cluster reaches colleges and universities in 4 steps at the shortest, "
        "through Test Port, Test EDC, Test College Consortium."
    )


def test_names_and_aliases_resolve_case_insensitively(hand_net) -> None:
    G, al, store = hand_net
    r = Resolver(G, al)
    assert r.entity("the development corporation") == "edc"
    assert r.entity("TEST PORT") == "port"
    found = paths(G, "The Development Corporation", "College B", aliases=al, store=store)
    assert [p.nodes for p in found.paths] == [("edc", "consortium", "college-b")]
    assert [h.relation for h in found.paths[0].hops] == ["sector partnership", "has as member"]


def test_no_path_and_max(hand_net) -> None:
    G, _al, _ = hand_net
    assert paths(G, "loner", "edc").paths == ()
    assert len(paths(G, "cluster:aero", "kind:colleges", k=1).paths) == 1


def test_unknown_entity_names_the_parameter_with_a_suggestion(hand_net) -> None:
    G, al, _ = hand_net
    with pytest.raises(
        UnknownEntity, match=r"^`target`: no entity 'colege-a' \(did you mean 'college-a' or 'college-b'\?\)"
    ):
        paths(G, "edc", "colege-a", aliases=al)
    with pytest.raises(UsageError, match=r"`source`: no cluster 'aer' \(did you mean 'cluster:aero'\?\)"):
        paths(G, "cluster:aer", "edc")
    with pytest.raises(UsageError, match=r"`target`: no kind 'colleeges' \(did you mean 'kind:colleges'\?\)"):
        paths(G, "edc", "kind:colleeges")


def test_cli_path_table_json_and_to_option(hand: Path) -> None:
    r = _run("path", str(hand), "cluster:aero", "kind:colleges", "--max", "1", "--format", "tsv")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "path\tstep\tfrom\trelation\tto\tsources",
        "1\t1\thangar\toperated by\tport\t",
        "1\t2\tport\tfunding partnership\tedc\ts-fund",
        "1\t3\tedc\tsector partnership\tconsortium\t",
        "1\t4\tconsortium\thas as member\tcollege-a\ts-consortium",
    ]
    j = _run("path", str(hand), "Test Port", "--to", "kind:colleges", "--format", "json")
    doc = json.loads(j.stdout)
    assert doc["to"]["members"] == ["college-a", "college-b"]
    assert [p["brokers"] for p in doc["paths"]] == [["edc", "consortium"], ["edc", "consortium"]]
    bad = _run("path", str(hand), "edc", "colege-a")
    assert bad.exit_code == 2 and "did you mean 'college-a'" in bad.output


def test_la_aerospace_to_colleges_goes_through_amp_socal_and_laedc() -> None:
    r = _run("path", str(GRAPH_DIR), "cluster:aerospace", "kind:colleges", "--format", "json")
    doc = json.loads(r.stdout)
    # AMP SoCal (aerospace and defense manufacturing) reaches the CSU5 campuses; LAEDC
    # (the Southern California Aerospace Council's lead) reaches the consortium's colleges;
    # Antelope Valley and El Camino colleges are in the cluster themselves.
    assert [p["nodes"] for p in doc["paths"]] == [
        ["amp-socal", "csu5", "cal-poly-pomona"],
        ["laedc", "la-oc-regional-consortium", "cerritos-college"],
        ["amp-socal", "csu5", "cal-state-la"],
    ]
    assert doc["paths"][0]["hops"][0]["relation"] == "membership partnership"


def test_la_aliases_resolve_in_path_without_and_focus(tmp_path: Path) -> None:
    r = _run("path", str(GRAPH_DIR), "LA BioMed", "UCLA", "--format", "tsv")
    assert r.exit_code == 0 and r.stdout.splitlines()[1].startswith(
        "1\t1\tla-biomed\taffiliation partnership\tucla"
    )
    r = _run("connectors", str(GRAPH_DIR), "--without", "The Lundquist Institute", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["id"] == "la-biomed"
    r = _run("map", str(GRAPH_DIR), "-o", str(tmp_path / "m.html"), "--focus", "lundquist institute")
    assert r.exit_code == 0, r.output

"""The streaming GraphML and GEXF writers write what NetworkX's writers write.

NetworkX builds the whole document in memory first (gigabytes at 200,000 entities), so
`export` writes element by element; these tests hold the bytes equal to NetworkX's on
the LA network, on generated data, and on awkward values (markup characters, line
breaks, empty text, booleans, infinities, nodes without attributes, no edges).
"""

from __future__ import annotations

import io
import math
import re
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from clustergraph import open_edition
from clustergraph.render.export import _gexf_viz, export_network, flat_network, write_gexf, write_graphml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402


def _networkx_graphml(G: nx.Graph, measures: dict[Any, dict[str, Any]]) -> bytes:
    f = io.BytesIO()
    nx.write_graphml(flat_network(G, measures), f, encoding="utf-8", prettyprint=True)
    return f.getvalue()


def _networkx_gexf(G: nx.Graph, measures: dict[Any, dict[str, Any]]) -> bytes:
    flat = flat_network(G, measures)
    _gexf_viz(G, flat)
    f = io.BytesIO()
    nx.write_gexf(flat, f, encoding="utf-8", prettyprint=True)
    return f.getvalue()


def _ours(write: Any, G: nx.Graph, measures: dict[Any, dict[str, Any]]) -> bytes:
    f = io.BytesIO()
    write(G, f, measures)
    return f.getvalue()


def _without_creator(gexf: bytes) -> bytes:
    """The creator names the writer; everything else must be the same."""
    return re.sub(rb"<creator>[^<]*</creator>", b"<creator/>", gexf)


def _measured(path: Path) -> tuple[nx.Graph, dict[Any, dict[str, Any]]]:
    ed = open_edition(path)
    measures: dict[Any, dict[str, Any]] = {r["id"]: dict(r) for r in ed.connectors()}
    for v, number in ed.communities().membership.items():
        measures.setdefault(v, {})["community"] = number
    return ed.network(), measures


@pytest.fixture(scope="module")
def networks(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[nx.Graph, dict[Any, dict[str, Any]]]]:
    data = tmp_path_factory.mktemp("generated") / "data"
    generate(300, data, seed=3)
    return [_measured(ROOT / "graph"), _measured(data)]


def _awkward() -> tuple[nx.Graph, dict[Any, dict[str, Any]]]:
    G = nx.Graph(name='a "named" <graph>', relations="all", note="")
    G.add_node("a&b", label='R&D <lab> "quoted"\nline\ttab\r', kind="organization", flag=True)
    G.add_node("bare")  # no attributes at all
    G.add_node("c", label="", kind="program", clusters=["x", "y"], sources=[{"id": "s", "title": "T & U"}])
    G.add_edge("a&b", "c", relations=["partner"], weight=2.0, since="")
    G.add_edge("c", "bare")  # an edge without attributes
    measures = {"a&b": {"betweenness": math.inf, "pagerank": math.nan, "degree": 1, "articulation": False}}
    return G, measures


def test_graphml_is_what_networkx_writes(networks: list[Any]) -> None:
    for G, measures in [*networks, _awkward()]:
        assert _ours(write_graphml, G, measures) == _networkx_graphml(G, measures)


def test_gexf_is_what_networkx_writes_but_for_the_creator(networks: list[Any]) -> None:
    for G, measures in [*networks, _awkward()]:
        ours = _ours(write_gexf, G, measures)
        assert b"<creator>clustergraph " in ours
        assert _without_creator(ours) == _without_creator(_networkx_gexf(G, measures))


def test_empty_and_edgeless_networks(tmp_path: Path) -> None:
    lone = nx.Graph()
    lone.add_node("only", label="Only", kind="organization")
    for G in (nx.Graph(), lone):
        assert _ours(write_graphml, G, {}) == _networkx_graphml(G, {})
        if G.number_of_nodes():  # NetworkX's GEXF writer cannot lay out an empty network either
            assert _without_creator(_ours(write_gexf, G, {})) == _without_creator(_networkx_gexf(G, {}))


def test_gexf_time_attributes_are_left_to_networkx(tmp_path: Path) -> None:
    """A node with `start` makes GEXF dynamic: NetworkX's writer, which knows the rules, writes it."""
    G = nx.Graph()
    G.add_node("a", label="A", kind="program", start="2017-01-01")
    G.add_node("b", label="B", kind="organization")
    G.add_edge("a", "b", relations=["partner"])
    export_network(G, "gexf", tmp_path / "n.gexf")
    text = (tmp_path / "n.gexf").read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and "NetworkX" in text
    assert set(nx.read_gexf(tmp_path / "n.gexf").nodes) == {"a", "b"}


def test_csv_streams_the_same_rows(networks: list[Any], tmp_path: Path) -> None:
    """Two passes over the network (columns, then rows) give every node and edge with every column."""
    G, measures = networks[1]
    export_network(G, "csv", tmp_path / "csv", measures)
    import csv

    with open(tmp_path / "csv" / "nodes.csv", encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f))
    with open(tmp_path / "csv" / "edges.csv", encoding="utf-8", newline="") as f:
        edges = list(csv.DictReader(f))
    assert [r["id"] for r in nodes] == list(G.nodes)
    assert len(edges) == G.number_of_edges()
    assert {"betweenness", "community", "Id", "Label"} <= nodes[0].keys()
    assert {r["Type"] for r in edges} == {"Undirected"}

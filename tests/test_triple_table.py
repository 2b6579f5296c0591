"""The triples the build would write, read without a store, answer as the store does.

A network command on YAML reads its network, dated facts, aliases and dataset
record from `TripleTable` and never fills a store; every answer must be the one
the built store gives, on the LA data, on generated data, and on text that
needs escaping in N-Triples.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from clustergraph.builder import TripleTable, build
from clustergraph.edition import open_edition
from clustergraph.loader import load
from clustergraph.network import PRESETS, project
from clustergraph.network.dated import dates
from clustergraph.network.resolve import aliases
from clustergraph.records import Data

from .conftest import awkward_copy


def _same(a: nx.Graph, b: nx.Graph) -> None:
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(data=True)) == list(b.edges(data=True))
    assert a.graph == b.graph


def test_the_table_holds_the_stores_triples(corpus: Data) -> None:
    store = build(corpus).store
    table = TripleTable(corpus)
    assert len(table) == len(store)
    for quad in list(store)[:: max(1, len(store) // 2000)]:  # a sample of every kind of triple
        assert (quad.subject.value, quad.object.value) in table.pairs(quad.predicate.value)


@pytest.mark.parametrize("relations", [*PRESETS, None, "in-cluster,partnership:funding,operator"])
def test_the_same_network_from_the_table_as_from_the_store(corpus: Data, relations: str | None) -> None:
    _same(project(TripleTable(corpus), relations), project(build(corpus), relations))


def test_the_same_dates_and_aliases(corpus: Data) -> None:
    graph, table = build(corpus), TripleTable(corpus)
    assert dates(table) == dates(graph)
    assert aliases(table) == aliases(graph.store)


def test_awkward_text_reads_back_unescaped(tmp_path: Path) -> None:
    table = TripleTable(load(awkward_copy(tmp_path / "data")))
    G = project(table)
    assert G.nodes["port-of-los-angeles"]["label"] == 'Port of "Los Angeles" \\ San Pedro'
    assert aliases(table)["laedc"] == ['L.A.\\E"DC', "LAEDC", "Ünïcode ✓"]


def test_an_edition_answers_the_same_before_and_after_its_graph_is_built(tmp_path: Path) -> None:
    target = awkward_copy(tmp_path / "data")
    with open_edition(target) as fresh, open_edition(target) as built:
        assert len(built.graph) > 0
        _same(fresh.network(), built.network())
        assert (fresh.dates, fresh.aliases, fresh.dataset) == (built.dates, built.aliases, built.dataset)
        assert fresh.name == built.name and "graph not built yet" in repr(fresh)

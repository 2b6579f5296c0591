"""The faster paths of the analyses give the answers of the plain ones (issue 21)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

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


# ---------------------------------------------------------------- SHACL without the engine

import pyoxigraph as ox  # noqa: E402

from clustergraph.builder import build  # noqa: E402
from clustergraph.errors import DataErrors  # noqa: E402
from clustergraph.loader import load  # noqa: E402
from clustergraph.shacl import check_shapes  # noqa: E402
from clustergraph.vocab import DEFAULT_BASE  # noqa: E402

from .conftest import GRAPH_DIR, break_eight_constraints  # noqa: E402

BAD_INPUTS = Path(__file__).parent / "bad_inputs"
S = "https://schema.org/"


def _both(graph, data) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    native = [str(p) for p in check_shapes(graph, data, engine=False)]
    engine = [str(p) for p in check_shapes(graph, data, engine=True)]
    return native, engine


def test_shapes_checked_on_the_store_say_what_the_engine_says_on_eight_broken_constraints() -> None:
    data = load(GRAPH_DIR)
    graph = build(data)
    store, base = graph.store, DEFAULT_BASE
    break_eight_constraints(store, base)
    native, engine = _both(graph, data)
    assert native == engine and len(native) == 8


@pytest.mark.parametrize("seed", range(4))
def test_shapes_checked_on_the_store_say_what_the_engine_says_on_randomly_mutated_data(seed: int) -> None:
    """Objects of random triples swapped for wrong terms, or removed, as a foreign file might have them."""
    data = load(GRAPH_DIR)
    graph = build(data)
    store = graph.store
    rnd = random.Random(seed)
    quads = sorted(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), key=str)
    wrong = [
        ox.Literal(""),
        ox.Literal("x", language="en"),
        ox.Literal("2019-13"),
        ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ox.Literal("2019", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
        ox.Literal("Not A Slug"),
        ox.NamedNode("https://example.org/nowhere"),
        ox.NamedNode(DEFAULT_BASE + "aerospace"),
        ox.NamedNode(DEFAULT_BASE + "laedc"),
        ox.BlankNode("b0"),
    ]
    for q in rnd.sample(quads, 60):
        store.remove(q)
        if rnd.random() < 0.7:
            store.add(ox.Quad(q.subject, q.predicate, rnd.choice(wrong)))
    native, engine = _both(graph, data)
    # The engine also reports, in its own words, what broke inside a nested shape
    # (a disputed value): the default check hands any non-conforming graph to it.
    assert native and set(native) <= set(engine)
    assert [str(p) for p in check_shapes(graph, data)] == engine


@pytest.mark.parametrize("case", sorted(p.name for p in BAD_INPUTS.iterdir() if p.name != "expected.tsv"))
def test_shapes_checked_on_the_store_say_what_the_engine_says_on_the_bad_input_corpus(
    case: str, tmp_path: Path
) -> None:
    src = BAD_INPUTS / case
    try:
        data = load(src if src.is_dir() else _alone(src, tmp_path), cache=False)
    except DataErrors:
        return  # the loader's own answer, the same with either engine
    native, engine = _both(build(data), data)
    assert native == engine


def test_shapes_sharing_a_predicate_each_count_and_check_their_own_focus_nodes() -> None:
    """A predicate several shapes name is read once for all of them: on each, one focus node
    loses its values and another gains two wrong ones; every shape still says what the engine says."""
    from clustergraph.shapecheck import _parsed

    data = load(GRAPH_DIR)
    graph = build(data)
    store = graph.store
    named: dict[str, int] = {}
    for shape in _parsed() or ():
        for p in shape.properties if shape.targets else ():
            named[p.path] = named.get(p.path, 0) + 1
    shared = sorted(path for path, n in named.items() if n > 1)
    assert len(shared) >= 4  # cg:category, schema:startDate, dcterms:isPartOf, ...
    for path in shared:
        pred = ox.NamedNode(path)
        subjects = sorted({q.subject for q in store.quads_for_pattern(None, pred, None)}, key=str)
        gone, more = subjects[0], subjects[-1]
        for q in list(store.quads_for_pattern(gone, pred, None)):
            store.remove(q)
        store.add(ox.Quad(more, pred, ox.Literal("x", language="en")))
        store.add(ox.Quad(more, pred, ox.NamedNode("https://example.org/nowhere")))
    native, engine = _both(graph, data)
    assert native == engine and len(native) >= 2 * len(shared)


def _alone(src: Path, tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    shutil.copy(src, tmp_path / "data" / src.name)
    return tmp_path / "data"


# ---------------------------------------------------------------- query: a default limit on long listings


def test_query_limit_keeps_the_first_rows_and_counts_the_rest(runner) -> None:  # type: ignore[no-untyped-def]
    from clustergraph.cli import main

    every = runner.invoke(
        main, ["query", "partners", str(GRAPH_DIR), "-p", "org=laedc", "--all", "--format", "tsv"]
    )
    some = runner.invoke(
        main, ["query", "partners", str(GRAPH_DIR), "-p", "org=laedc", "--limit", "3", "--format", "tsv"]
    )
    assert every.exit_code == 0 and some.exit_code == 0, some.output
    rows = every.stdout.splitlines()
    assert some.stdout.splitlines() == rows[:4]  # the header and the first three rows, in order
    assert f"{len(rows) - 4} more rows left out" in some.stderr


def test_run_query_limit_counts_rows_left_out_on_both_engines() -> None:
    from clustergraph.querying import named_queries, run_query

    graph = build(load(GRAPH_DIR))
    q = named_queries()["partners"]
    for engine in ("oxigraph", "rdflib"):
        whole = run_query(q, {"org": "laedc"}, graph=graph, engine=engine)
        cut = run_query(q, {"org": "laedc"}, graph=graph, engine=engine, limit=2)
        assert cut.rows == whole.rows[:2] and cut.left_out == len(whole.rows) - 2

"""The map page: what it holds matches the network, it needs no network, and data stays text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from clustergraph.builder import BuiltGraph
from clustergraph.cli import main
from clustergraph.errors import UsageError
from clustergraph.network import connectors, gaps, project
from clustergraph.render.export import export_network
from clustergraph.render.map import SIZE_MEASURES, layout, map_data, map_html, relation_style, select

from ._render_data import (
    FLAGGING,
    HOSTILE,
    Page,
    external_references,
    generated_network,
    hostile_analysis,
    hostile_network,
)
from .conftest import GRAPH_DIR

BUILT = "2026-01-01 00:00 UTC"


@pytest.fixture(scope="module")
def la_net(la_graph: BuiltGraph) -> nx.Graph:
    return project(la_graph)


@pytest.fixture(scope="module")
def la_rows(la_net: nx.Graph) -> list[dict[str, Any]]:
    return connectors(la_net)


@pytest.fixture(scope="module")
def la_page(la_net: nx.Graph, la_rows: list[dict[str, Any]]) -> str:
    data = map_data(la_net, measures={r["id"]: r for r in la_rows}, highlight="gaps", gaps=gaps(la_net))
    return map_html(data, "LA map", "The whole regional network", BUILT)


def test_la_map_holds_every_node_and_link_with_its_attributes(
    la_net: nx.Graph, la_rows: list[dict[str, Any]], la_page: str
) -> None:
    degree = {r["id"]: r["degree"] for r in la_rows}
    data = Page(la_page).data()
    nodes = {n["id"]: n for n in data["nodes"]}
    assert set(nodes) == set(la_net.nodes)
    drawn = [e for e in data["edges"] if e["style"] != "suggested"]
    assert len(drawn) == la_net.number_of_edges()
    assert {frozenset((e["from"], e["to"])) for e in drawn} == {frozenset(e) for e in la_net.edges}
    for nid, d in la_net.nodes(data=True):
        n = nodes[nid]
        assert (n["label"], n["kind"], n["clusters"]) == (d["label"], d["kind"], list(d["clusters"]))
        assert [data["sources"][i]["title"] for i in n["sources"]] == [s["title"] for s in d["sources"]]
        # Links as connectors counts them (between actors), else as drawn (a cluster node's).
        assert n["m"]["degree"] == degree.get(nid, la_net.degree(nid))
    for e in drawn:
        d = la_net.edges[e["from"], e["to"]]
        assert e["rel"] == list(d["relations"])
        assert [data["sources"][i]["url"] for i in e.get("sources", [])] == [s["url"] for s in d["sources"]]
    # Every source is written once, however many nodes and links cite it.
    assert len({(s["title"], s.get("url")) for s in data["sources"]}) == len(data["sources"])


def test_la_map_measures_and_sizes_come_from_connectors(la_page: str, la_rows: list[dict[str, Any]]) -> None:
    data = Page(la_page).data()
    nodes = {n["id"]: n for n in data["nodes"]}
    top = la_rows[0]
    assert nodes[top["id"]]["m"]["betweenness"] == pytest.approx(top["betweenness"], abs=1e-4)
    assert nodes[top["id"]]["value"] == max(n["value"] for n in data["nodes"])
    assert nodes[top["id"]]["why"] == top["why"]


def test_la_map_needs_no_network(la_page: str) -> None:
    assert external_references(la_page) == []
    page = Page(la_page)
    assert [a for a, _ in page.scripts if a.get("src")] == []
    assert "Content-Security-Policy" in la_page and "default-src 'none'" in la_page
    assert "vis.Network" in la_page  # the library is inline, not linked
    assert "bootstrap" not in la_page.lower()


def test_la_map_has_title_caption_legend_search_and_filters(la_page: str) -> None:
    page = Page(la_page)
    ids = {a.get("id") for _, a in page.tags}
    assert {"cg-title", "cg-caption", "cg-search", "cg-kinds", "cg-cluster", "cg-styles", "cg-network"} <= ids
    assert "sized by bridging" in la_page and f"Built {BUILT}" in la_page
    data = page.data()
    assert {k["id"] for k in data["kinds"]} == {n["kind"] for n in data["nodes"]}
    assert sum(k["count"] for k in data["kinds"]) == len(data["nodes"])
    assert "suggested" in {s["id"] for s in data["styles"]}


def test_gaps_are_drawn_dashed_and_isolated_entities_ringed(la_net: nx.Graph, la_page: str) -> None:
    data = Page(la_page).data()
    result = gaps(la_net)
    suggested = [e for e in data["edges"] if e["style"] == "suggested"]
    assert {frozenset((e["from"], e["to"])) for e in suggested} == {
        frozenset((s["a"], s["b"])) for s in result["suggestions"]
    }
    assert all(e["why"] for e in suggested)
    style = next(s for s in data["styles"] if s["id"] == "suggested")
    assert style["dashes"]
    ringed = {n["id"] for n in data["nodes"] if n.get("mark") == "gap"}
    assert ringed == {r["id"] for r in result["isolated"]}


def test_connectors_highlight_rings_the_top_connectors(
    la_net: nx.Graph, la_rows: list[dict[str, Any]]
) -> None:
    data = map_data(
        la_net, measures={r["id"]: r for r in la_rows}, highlight="connectors", connectors=la_rows[:5]
    )
    assert [n["id"] for n in data["nodes"] if n.get("mark") == "connector"] == sorted(
        (r["id"] for r in la_rows[:5]), key=list(la_net).index
    )
    assert not [e for e in data["edges"] if e["style"] == "suggested"]


def test_hostile_names_stay_text_in_the_page() -> None:
    g = hostile_network()
    a = hostile_analysis(g)
    title = "</title><script>alert(1)</script>"
    html = map_html(
        map_data(g, measures=a["measures"], highlight="gaps", gaps=a["gaps"]), title, HOSTILE[0], BUILT
    )
    page = Page(html)
    # Only our own tags, and no event-handler attribute anywhere.
    assert {t for t, _ in page.tags} <= {
        "html", "head", "meta", "title", "style", "body", "div", "header", "h1", "p", "aside", "section",
        "label", "input", "span", "select", "option", "button", "script",
    }  # fmt: skip
    assert not [n for _, attrs in page.tags for n in attrs if n.startswith("on")]
    assert len(page.scripts) == 3 and page.scripts[0][0] == {"type": "application/json", "id": "cg-data"}
    raw = page.scripts[0][1]
    for bad in ("<", ">", "\u2028", "\u2029"):
        assert bad not in raw
    for name in [*HOSTILE, FLAGGING]:
        if "<" in name:
            assert name not in html
    # Quotes may stand raw in the JSON, but no data reaches an attribute unescaped.
    assert not [v for _, attrs in page.tags for v in attrs.values() if v and "alert" in v]
    data = page.data()
    assert {n["label"] for n in data["nodes"]} >= {*HOSTILE, FLAGGING}
    assert data["title"] == title
    # A javascript: source keeps its title but loses its link; http(s) links stay.
    urls = {data["sources"][i].get("url") for n in data["nodes"] for i in n["sources"]}
    assert urls == {None, "https://example.org/r?a=1&b=2"}
    assert external_references(html) == []


def test_same_network_gives_the_same_picture() -> None:
    g = hostile_network()
    assert layout(g, seed=3) == layout(g, seed=3)
    assert map_data(g) == map_data(g)
    assert layout(g, seed=3) != layout(g, seed=4)


def test_cluster_filter_of_the_page_shows_what_cluster_selects(la_net: nx.Graph, la_page: str) -> None:
    # Each node's `serves` lists the clusters whose filter keeps it: the same set as `--cluster`.
    data = Page(la_page).data()
    clusters = [c["id"] for c in data["clusters"]]
    for i, c in enumerate(clusters):
        shown = {n["id"] for n in data["nodes"] if i in n["serves"]}
        assert shown == set(select(la_net, cluster=c)), c


def test_select_cluster_and_focus(la_net: nx.Graph) -> None:
    bio = select(la_net, cluster="bioscience")
    assert "bioscience" in bio and "la-biomed" in bio and "spacex" not in bio
    ego = select(la_net, focus="laedc", depth=1)
    assert set(ego) == {"laedc", *la_net["laedc"]}
    assert set(select(la_net, focus="laedc", depth=0)) == {"laedc"}
    with pytest.raises(UsageError, match="did you mean 'bioscience'"):
        select(la_net, cluster="bioscienc")
    with pytest.raises(UsageError, match="did you mean 'laedc'"):
        select(la_net, focus="laed")


def test_bad_size_measure_is_a_usage_error(la_net: nx.Graph) -> None:
    with pytest.raises(UsageError, match="did you mean 'pagerank'"):
        map_data(la_net, size_by="pagerang")
    size_by = next(p for p in main.commands["map"].params if p.name == "size_by")
    assert tuple(size_by.type.choices) == SIZE_MEASURES


def test_relation_style_prefers_the_most_telling_relation() -> None:
    assert relation_style(["in-cluster", "partnership:funding"]) == "partnership"
    assert relation_style(["initiative-partner", "member-of"]) == "initiative"
    assert relation_style(["supporter"]) == "policy"
    assert relation_style(["member-of", "operator"]) == "structure"
    assert relation_style(["in-cluster"]) == "in-cluster"
    assert relation_style(["something-new"]) == "other"


def test_map_command_writes_a_page_and_says_what(runner: Any, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = runner.invoke(main, ["map", str(GRAPH_DIR), "-o", str(out), "--highlight", "connectors"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote {out}: 139 nodes" in result.stderr
    assert external_references(out.read_text("utf-8")) == []
    focus = runner.invoke(main, ["map", str(GRAPH_DIR), "-o", str(out), "--focus", "altasea", "--depth", "2"])
    assert focus.exit_code == 0, focus.output
    data = Page(out.read_text("utf-8")).data()
    assert "altasea" in {n["id"] for n in data["nodes"]} and "within 2 links of AltaSea" in data["caption"]


def test_map_command_rejects_unknown_cluster_with_exit_2(runner: Any, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = runner.invoke(main, ["map", str(GRAPH_DIR), "-o", str(out), "--cluster", "aero"])
    assert result.exit_code == 2
    assert "no cluster 'aero'" in result.stderr
    assert not out.exists()


# ---------------------------------------------------------------- exports


def test_graphml_and_gexf_carry_attributes_and_measures(
    la_net: nx.Graph, la_rows: list[dict[str, Any]], tmp_path: Path
) -> None:
    measures = {r["id"]: r for r in la_rows}
    export_network(la_net, "graphml", tmp_path / "n.graphml", measures)
    export_network(la_net, "gexf", tmp_path / "n.gexf", measures)
    for g in (nx.read_graphml(tmp_path / "n.graphml"), nx.read_gexf(tmp_path / "n.gexf")):
        assert g.number_of_nodes() == la_net.number_of_nodes()
        assert g.number_of_edges() == la_net.number_of_edges()
        top = la_rows[0]
        d = g.nodes[top["id"]]
        assert d["kind"] == top["kind"]
        assert float(d["betweenness"]) == pytest.approx(top["betweenness"])
        assert d["why"] == top["why"]
        laedc = g.nodes["laedc"]
        assert "https://" in laedc["source_urls"] and laedc["sources"].count("; ") >= 1


def test_csv_export_writes_nodes_and_edges(runner: Any, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "csv"
    result = runner.invoke(main, ["export", str(GRAPH_DIR), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    nodes = list(csv.DictReader((out / "nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((out / "edges.csv").open(encoding="utf-8")))
    assert len(nodes) == 139 and len(edges) == 334
    assert list(nodes[0])[:4] == ["id", "label", "kind", "category"]
    assert {"betweenness", "pagerank", "why", "source_urls"} <= set(nodes[0])
    assert list(edges[0])[:4] == ["source", "target", "relations", "weight"]


def test_writing_a_map_never_imports_pyvis_or_ipython(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import clustergraph.cli, clustergraph.render.map\n"
        "assert 'networkx' not in sys.modules and 'pyvis' not in sys.modules\n"
        "from clustergraph.render import write_map\n"
        f"write_map({str(GRAPH_DIR)!r}, {str(tmp_path / 'm.html')!r})\n"
        "assert 'pyvis' not in sys.modules and 'IPython' not in sys.modules, 'slow imports'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert (tmp_path / "m.html").stat().st_size > 100_000


def test_big_network_packs_unlinked_entities_beneath_the_network() -> None:
    g = generated_network(1200)
    for i in range(40):
        g.add_node(f"lonely-{i}", label=f"Lonely {i}", kind="organization", clusters=[], sources=[])
    pos = layout(g)
    main = max(nx.connected_components(g), key=len)
    bottom = max(pos[v][1] for v in main)
    assert all(pos[f"lonely-{i}"][1] > bottom for i in range(40))
    xs = [pos[v][0] for v in main]
    # The network keeps its size instead of being squeezed by far-off strays.
    assert max(xs) - min(xs) >= 0.8 * 130 * len(main) ** 0.5

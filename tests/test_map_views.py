"""The map and report a director trusts (issue 15), checked without a browser.

Layout that stays between editions and between runs, the static picture, the
badges, "not assessed" cells, the data completeness section, one network per page,
and `to_pyvis` for notebooks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from clustergraph.cli import main
from clustergraph.edition import open_edition
from clustergraph.network import gaps
from clustergraph.network.failure import single_points_of_failure
from clustergraph.render import to_pyvis, write_map, write_report
from clustergraph.render.layout import layout

from ._render_data import Page
from .conftest import GRAPH_DIR


@pytest.fixture(scope="module")
def la() -> Any:
    with open_edition(str(GRAPH_DIR)) as ed:
        yield ed


def _text(html: str) -> str:
    """What a reader sees: the page without scripts, styles and tags, entities decoded, spaces joined."""
    import html as htmllib
    import re

    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _data(path: Path) -> dict[str, Any]:
    return Page(path.read_text("utf-8")).data()


def test_the_same_data_gives_the_same_page_whatever_the_hash_seed(tmp_path: Path) -> None:
    """A focus map was laid out in set order, so each run drew a different picture."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"m{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1700000000"}
        cmd = [sys.executable, "-m", "clustergraph", "map", str(GRAPH_DIR), "-o", str(out)]
        subprocess.run(
            [*cmd, "--focus", "aerospace", "--depth", "3"], env=env, check=True, capture_output=True
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_an_entity_keeps_its_place_between_editions_and_what_is_new_sits_by_its_partners(
    editions: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = editions
    write_map(old, tmp_path / "old.html")
    write_map(new, tmp_path / "new.html", since=old)
    before = {n["id"]: (n["x"], n["y"]) for n in _data(tmp_path / "old.html")["nodes"]}
    after = _data(tmp_path / "new.html")
    at = {n["id"]: (n["x"], n["y"]) for n in after["nodes"]}
    kept = set(before) & set(at)
    assert len(kept) > 70 and all(at[n] == before[n] for n in kept)
    (fresh,) = [n["id"] for n in after["nodes"] if n.get("new")]
    partners = [
        e["to"] if e["from"] == fresh else e["from"] for e in after["edges"] if fresh in (e["from"], e["to"])
    ]
    cx = sum(at[p][0] for p in partners) / len(partners)
    cy = sum(at[p][1] for p in partners) / len(partners)
    assert ((at[fresh][0] - cx) ** 2 + (at[fresh][1] - cy) ** 2) ** 0.5 < 200
    # Its mark is a color no kind uses.
    assert after["marks"]["new"]["colour"] not in {k["colour"] for k in after["kinds"]}


def test_layout_keep_places_only_the_new_nodes() -> None:
    old = nx.path_graph([f"n{i}" for i in range(6)])
    first = layout(old)
    grown = old.copy()
    grown.add_edge("n5", "new")
    grown.add_node("alone")
    second = layout(grown, keep=first)
    assert all(second[n] == first[n] for n in first)
    assert {"new", "alone"} <= set(second)
    assert layout(grown, keep=first) == second  # seeded: the same again


def test_map_writes_a_static_svg_and_png_from_the_same_positions(tmp_path: Path) -> None:
    runner = CliRunner()
    svg, png, html = tmp_path / "m.svg", tmp_path / "m.png", tmp_path / "m.html"
    for out in (svg, png, html):
        result = runner.invoke(main, ["map", str(GRAPH_DIR), "-o", str(out), "--highlight", "connectors"])
        assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    root = ET.fromstring(svg.read_text("utf-8"))
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    nodes = _data(html)["nodes"]
    biggest = max(nodes, key=lambda n: n["value"])
    assert biggest["label"] in texts
    circles = {(c.get("cx"), c.get("cy")) for c in root.iter("{http://www.w3.org/2000/svg}circle")}
    assert (str(biggest["x"]), str(biggest["y"])) in circles
    assert runner.invoke(main, ["map", str(GRAPH_DIR), "-o", str(svg), "--format", "gif"]).exit_code == 2


def _tagged(edges: list[tuple[str, str]], kinds: dict[str, str], clusters: dict[str, list[str]]) -> nx.Graph:
    G = nx.Graph()
    for n, kind in kinds.items():
        G.add_node(n, kind=kind, label=n.title(), clusters=clusters.get(n, []), category=None, value_chain=[])
    G.add_edges_from(edges, relations=["partnership:sector-partnership"])
    G.graph["clusters"] = {"aero": "Aerospace"}
    return G


def test_single_point_of_failure_only_where_a_removal_cuts_off_two_or_a_whole_kind(la: Any) -> None:
    # hub -- a -- b (two cut off by hub); hub -- person (one cut off: no badge);
    # hub -- college, the only college tagged aero (a whole kind of a cluster: a badge).
    kinds = {"hub": "organization", "x": "organization", "a": "organization", "b": "organization"}
    kinds |= {"p": "person", "c": "college", "q": "person", "y": "organization"}
    edges = [
        ("x", "hub"),
        ("y", "x"),
        ("y", "hub"),
        ("hub", "a"),
        ("a", "b"),
        ("x", "p"),
        ("y", "c"),
        ("c", "q"),
    ]
    G = _tagged(edges, kinds, {"c": ["aero"], "y": ["aero"], "q": ["aero"]})
    points = {p.id: p for p in single_points_of_failure(G, kind_names={"college": "College"})}
    assert set(points) == {"hub", "c"} or set(points) >= {"hub"}
    assert points["hub"].cut_off == ("a", "b")
    assert "x" not in points  # cuts one person off: not a badge
    # The LA connectors: every badge meets the rule, most important first.
    top = [r["id"] for r in la.connectors()[:10]]
    found = single_points_of_failure(la.network(), top)
    assert all(len(p.cut_off) >= 2 or p.kinds_lost for p in found)
    cuts = [len(p.cut_off) for p in found]
    assert cuts == sorted(cuts, reverse=True)
    rows = {r["id"]: r for r in la.connectors()[:10]}
    assert all(rows[i]["cut_off"] >= 2 for i in (p.id for p in found) if not points.get(i))


def test_a_whole_kind_cut_off_from_a_cluster_is_a_badge() -> None:
    kinds = {"hub": "organization", "x": "organization", "y": "organization", "c": "college"}
    G = _tagged([("x", "hub"), ("y", "hub"), ("x", "y"), ("hub", "c")], kinds, {"c": ["aero"], "x": ["aero"]})
    (point,) = single_points_of_failure(
        G, kind_names={"college": "College"}, cluster_names={"aero": "Aerospace"}
    )
    assert point.id == "hub" and point.cut_off == ("c",) and point.kinds_lost == (("aero", "college"),)
    assert "every college of the Aerospace cluster" in point.why


def test_coverage_says_not_assessed_where_no_record_of_the_kind_serves_any_cluster() -> None:
    kinds = {"a": "organization", "b": "college", "w": "workforce-board"}
    G = _tagged([("a", "b")], kinds, {"a": ["aero"], "b": ["aero"]})
    G.graph["clusters"] = {"aero": "Aerospace", "bio": "Bioscience"}
    result = gaps(G)
    cell = {(r["cluster"], r["asset"]): r for r in result["coverage"]}
    # No workforce board serves any cluster: not assessed, not a gap.
    assert (
        not cell[("aero", "workforce-board")]["assessed"] and not cell[("bio", "workforce-board")]["assessed"]
    )
    # A college serves aerospace, so bioscience's missing college is a real gap.
    assert cell[("bio", "college-partner")]["assessed"] and not cell[("bio", "college-partner")]["has"]
    assert "not assessed" in cell[("aero", "workforce-board")]["why"]
    # The value-chain query says in its title that it counts facilities only.
    assert "facilities only" in (Path(__file__).parents[1] / "queries" / "value-chain-gaps.rq").read_text()
    out = CliRunner().invoke(main, ["gaps", str(GRAPH_DIR), "--format", "tsv"])
    assert out.exit_code == 0 and "\tcoverage\t" not in out.output[:0]


@pytest.fixture(scope="module")
def report(la: Any, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("r") / "r.html"
    write_report(la, out)
    return out.read_text("utf-8")


def test_the_report_and_its_map_describe_one_network_stated_on_the_page(report: str, la: Any) -> None:
    info = la.summary()
    text = _text(report)
    assert "Every figure, table and the map count one network: every kind of link" in text
    caption = Page(report).data()["caption"]
    assert f"{info['entities']} entities and {info['links']} links" in caption
    assert f"{info['entities']} entities and {info['links']} links" in text


def test_the_report_opens_with_a_short_summary_and_has_data_completeness(report: str) -> None:
    overview = report[
        report.index('<div class="overview">') : report.index("</div>", report.index("overview"))
    ]
    assert 3 <= overview.count("<p>") <= 5
    assert '<section id="completeness">' in report
    # Each unverified record is listed by name.
    assert "AB 427 introduced" in _text(report) and "LAEDC Policy Committee" in _text(report)
    # A vetoed bill among the connectors says so.
    assert '<span class="status ended">vetoed</span>' in report
    for british in ("Organisation", "Programme", "Labour", "colour", "neighbourhood"):
        assert british not in _text(report), british


def test_to_pyvis_carries_our_kinds_positions_and_text_only_tooltips(tmp_path: Path) -> None:
    from pyvis.network import Network

    net = to_pyvis(GRAPH_DIR, notebook=False)
    assert isinstance(net, Network)
    write_map(GRAPH_DIR, tmp_path / "m.html")
    at = {n["id"]: (n["x"], n["y"]) for n in _data(tmp_path / "m.html")["nodes"]}
    nodes = {n["id"]: n for n in net.nodes}
    assert set(nodes) == set(at) and all((n["x"], n["y"]) == at[i] for i, n in nodes.items())
    assert nodes["ucla"]["color"] == "#E69F00" and nodes["ab-427"]["shape"] == "triangle"
    assert len(net.edges) == len(_data(tmp_path / "m.html")["edges"])
    assert all("href" not in n["title"] for n in net.nodes)

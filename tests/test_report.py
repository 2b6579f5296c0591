"""The report page: every section from the analyses, offline, and data that stays text."""

from __future__ import annotations

import html as htmllib
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from clustergraph.builder import BuiltGraph
from clustergraph.cli import main
from clustergraph.network import connectors, gaps, project, summary
from clustergraph.render.map import map_data
from clustergraph.render.report import report_html
from clustergraph.timeline import progress

from ._render_data import FLAGGING, HOSTILE, Page, external_references, hostile_analysis, hostile_network
from .conftest import GRAPH_DIR


@pytest.fixture(scope="module")
def la_report(la_graph: BuiltGraph, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, nx.Graph]:
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(main, ["report", str(GRAPH_DIR), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and f"wrote {out}" in result.stderr
    return out.read_text("utf-8"), project(la_graph)


def _text(html: str) -> str:
    return htmllib.unescape(html)


def test_report_has_every_section(la_report: tuple[str, nx.Graph]) -> None:
    page = Page(la_report[0])
    sections = [a.get("id") for t, a in page.tags if t == "section" and a.get("id", "").isalpha()]
    assert sections == [
        "figures",
        "organised",
        "connectors",
        "matrix",
        "coverage",
        "suggestions",
        "events",
        "completeness",
        "map",
    ]


def test_report_figures_and_connectors_come_from_the_analyses(la_report: tuple[str, nx.Graph]) -> None:
    html, G = la_report
    info = summary(G)
    text = _text(html)
    assert f'<div class="num">{info["entities"]}</div>' in html
    for sentence in info["sentences"]:
        assert sentence in text
    for row in connectors(G, top=10):
        assert row["label"] in text and row["why"] in text


def test_report_grids_have_a_row_per_cluster_and_red_gaps(la_report: tuple[str, nx.Graph]) -> None:
    html, G = la_report
    result = gaps(G)
    clusters = {r["cluster"] for r in result["value_chain"]}
    assert html.count('<tr><th scope="row">') == 2 * len(clusters)
    # A red "gap" cell only where the data could show the asset; the others say "not assessed".
    empty = sum(1 for r in result["value_chain"] if r["empty"] and r["assessed"])
    missing = sum(1 for r in result["coverage"] if not r["count"] and r["assessed"])
    unassessed = sum(1 for key in ("value_chain", "coverage") for r in result[key] if not r["assessed"])
    assert html.count('class="lv0"') == empty + missing + 2  # + the two legends
    assert html.count('class="lvna"') == unassessed + 2


def test_report_lists_suggestions_and_every_progress_event(
    la_report: tuple[str, nx.Graph], la_graph: BuiltGraph
) -> None:
    html, G = la_report
    text = _text(html)
    for s in gaps(G)["suggestions"]:
        assert s["why"] in text
    events = progress(la_graph).events
    assert events
    for e in events:
        assert e["event"] in text
    for year in {e["year"] for e in events}:
        assert f"<h3>{year}</h3>" in html


def test_report_embeds_the_map_and_needs_no_network(la_report: tuple[str, nx.Graph]) -> None:
    html, G = la_report
    assert external_references(html) == []
    data = Page(html).data()
    assert len(data["nodes"]) == G.number_of_nodes()
    assert html.count('id="cg-network"') == 1


def test_report_without_map_is_small(runner: Any, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(main, ["report", str(GRAPH_DIR), "-o", str(out), "--no-map"])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "cg-data" not in text and "vis.Network" not in text
    assert len(text) < 200_000


def test_hostile_data_stays_text_in_the_report() -> None:
    g = hostile_network()
    a = hostile_analysis(g)
    events = [
        {
            "date": "2017-01-02",
            "year": "2017",
            "event": HOSTILE[1],
            "type": "<b>launched</b>",
            "advances": ["x"],
        },
        {"date": "2018", "year": "2018", "event": FLAGGING, "type": "published", "advances": []},
    ]
    html = report_html(
        g,
        summary={"entities": 3, "sentences": [HOSTILE[0]]},
        connectors=a["connectors"],
        gaps=a["gaps"],
        events=events,
        map_data=map_data(g, measures=a["measures"]),
        title=HOSTILE[2],
        plan_labels={"x": HOSTILE[5]},
        sources_of="<data>",
    )
    page = Page(html)
    assert not [n for _, attrs in page.tags for n in attrs if n.startswith("on")]
    assert {t for t, _ in page.tags} & {"img", "svg", "iframe", "object", "embed", "link"} == set()
    assert all(a["href"].startswith("#") for t, a in page.tags if t == "a")
    assert len([1 for t, _ in page.tags if t == "script"]) == 3
    for name in [*HOSTILE, FLAGGING]:
        if "<" in name:
            assert name not in html
    text = _text(html)
    assert HOSTILE[1] in text and FLAGGING in text and "no college <b>partner</b>" not in html
    assert external_references(html) == []


def test_a_big_network_embeds_the_maps_overview(runner: Any, tmp_path: Path) -> None:
    """Above the overview threshold (forced here with --overview always) the report's map is the
    overview `clustergraph map` writes: groups first, opened on a click, never every dot at once."""
    from ._browser import browser_missing, chromium, wait_ready

    out = tmp_path / "report.html"
    result = runner.invoke(main, ["report", str(GRAPH_DIR), "-o", str(out), "--overview", "always"])
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert '"overview":{"groups":' in html and "Headline figures" in html and "Close every group" in html
    default = tmp_path / "default.html"
    assert runner.invoke(main, ["report", str(GRAPH_DIR), "-o", str(default)]).exit_code == 0
    assert '"overview":{' not in default.read_text("utf-8")  # 139 nodes: the whole map
    if browser_missing():
        pytest.skip(browser_missing() or "")
    with chromium() as driver:
        driver.get(out.as_uri())
        wait_ready(driver)
        state = driver.execute_script("return cg.overview")
        assert state["groups"] > 1 and state["drawnNodes"] == state["groups"] and state["drawnEntities"] == 0
        assert driver.execute_script("return cg.search('LA BioMed')")
        assert driver.execute_script("return cg.overview.drawnEntities") > 0
        assert driver.execute_script("return window.__dialogs") == []


def test_a_crowded_grid_cell_names_twenty_and_counts_the_rest() -> None:
    """At 50,000 entities a cluster's cell can hold thousands of names: the tooltip names the first
    20 (A-Z) and says how many more, and the cell still counts them all."""
    from clustergraph.render.report import TIP_NAMES, value_chain_grid

    g = nx.Graph()
    g.add_node("aero", kind="cluster", label="Aerospace")
    members = [f"m{i:04d}" for i in range(1_234)]
    for m in members:
        g.add_node(m, kind="organization", label=f"Member {m}")
    grid = value_chain_grid(g, [{"cluster": "aero", "stage": "research", "assets": members}])
    (cell,) = grid["rows"][0]["cells"]
    assert cell["text"] == 1_234 and cell["level"] == 3
    assert cell["tip"].count(";") == TIP_NAMES and cell["tip"].endswith(f"and {1_234 - TIP_NAMES:,} more")
    assert cell["tip"].startswith("Member m0000; Member m0001")


def test_a_grid_cell_names_its_first_twenty_as_a_sort_would_ties_and_all() -> None:
    """Names equal but for case keep the order of the gaps analysis, as `sorted(key=str.lower)` keeps
    them, and an asset the network no longer holds is named by its id."""
    from clustergraph.render.report import TIP_NAMES, coverage_grid

    g = nx.Graph()
    g.add_node("aero", kind="cluster", label="Aerospace")
    labels = ["acme", "ACME", "Zeta", "Acme", "beta", "Beta", "alpha"] * 4
    ids = [f"e{i:02d}" for i in range(len(labels))]
    for i, label in zip(ids, labels, strict=True):
        g.add_node(i, kind="organization", label=label)
    ids.append("gone")  # not in the network
    row = {"cluster": "aero", "asset": "college", "label": "College partner", "entities": ids}
    (cell,) = coverage_grid(g, [row])["rows"][0]["cells"]
    shown = sorted([*labels, "gone"], key=str.lower)
    assert cell["text"] == len(ids)
    assert cell["tip"] == "; ".join(shown[:TIP_NAMES]) + f"; and {len(ids) - TIP_NAMES:,} more"
    few = {**row, "entities": ids[:5]}
    (cell,) = coverage_grid(g, [few])["rows"][0]["cells"]
    assert cell["tip"] == "; ".join(sorted(labels[:5], key=str.lower)) and cell["level"] == 3

"""`map --overview`: a big network opens on its groups, members drawn on a click.

Above `OVERVIEW_FROM` nodes ("auto") the page holds every entity as compact arrays and
builds vis objects only for the groups (clusters, and communities for entities in no
cluster); a click on a group, or a search for one of its members, adds them. Below the
threshold the full map is written exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from clustergraph.render.map import (
    OVERVIEW_FROM,
    map_data,
    map_html,
    overview_data,
    overview_html,
    wants_overview,
)

from ._browser import browser_missing, chromium, wait_ready
from ._render_data import generated_network

N = OVERVIEW_FROM + 500


def _network() -> nx.Graph:
    """The generated network, and 40 entities in no cluster, in two communities (one with an alias)."""
    g = generated_network(N)
    for i in range(40):
        g.add_node(
            f"lone-{i}", label=f"Loner {i}", kind="organization", clusters=[], sources=[], community=i % 2
        )
        g.add_edge(f"lone-{i}", f"node-{i}", relations=["partnership:x"], weight=1, sources=[])
    return g


@pytest.fixture(scope="module")
def overview() -> dict[str, Any]:
    g = _network()
    communities = {n: d["community"] for n, d in g.nodes(data=True) if "community" in d}
    data = map_data(g, aliases={"lone-7": ["Seventh Harbour Trust"]}, communities=communities)
    assert wants_overview(data, "auto")
    return overview_data(data)


def test_groups_are_clusters_then_communities_sized_and_linked_by_members(overview: dict[str, Any]) -> None:
    ov = overview["overview"]
    labels = {gr["label"]: gr["count"] for gr in ov["groups"]}
    assert {"Community 0", "Community 1"} <= set(labels)
    assert labels["Community 0"] == labels["Community 1"] == 20
    assert sum(labels.values()) == len(ov["ids"]) == N + 40
    assert len(ov["groups"]) == 12 + 2
    # Flat triples (group, group, links between their members), each pair once.
    weights = ov["between"][2::3]
    assert weights and all(w > 0 for w in weights)
    assert len(ov["links"]) % 3 == 0
    # Compact: no per-entity objects at all.
    assert "nodes" not in overview and "edges" not in overview


def test_below_the_threshold_the_map_is_unchanged() -> None:
    data = map_data(generated_network(200))
    assert not wants_overview(data, "auto")
    assert wants_overview(data, "always") and not wants_overview(map_data(generated_network(N)), "never")


@pytest.fixture(scope="module")
def page(overview: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("overview") / "overview.html"
    path.write_text(overview_html(overview, "Overview <b>"), "utf-8")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if browser_missing():
        pytest.skip(browser_missing() or "")
    with chromium() as driver:
        yield driver


def test_the_page_opens_on_the_groups_and_a_click_opens_one(browser: Any, page: Path) -> None:
    browser.get(page.as_uri())
    wait_ready(browser)
    s = browser.execute_script("return cg.overview")
    assert s["groups"] == 14 and s["drawnNodes"] == 14 and s["entities"] == N + 40
    assert browser.execute_script("return cg.network.body.nodeIndices.length") == 14
    k = browser.execute_script(
        "return cg.data.overview.groups.findIndex(function (g) { return g.label === 'Community 1'; })"
    )
    pos = browser.execute_script(
        "var p = cg.network.canvasToDOM(cg.network.getPositions(['g:' + arguments[0]])['g:' + arguments[0]]);"
        "var r = document.getElementById('cg-network').getBoundingClientRect();"
        "return [p.x + r.left, p.y + r.top];",
        k,
    )
    for kind in ("mousePressed", "mouseReleased"):
        browser.execute_cdp_cmd(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": pos[0], "y": pos[1], "button": "left", "clickCount": 1},
        )
    s = browser.execute_script("return cg.overview")
    assert s["opened"] == [k] and s["drawnEntities"] == 20 and s["drawnNodes"] == 14 + 20
    assert browser.execute_script("return cg.nodes.get('lone-1') !== null")
    assert "Community 1" in browser.find_element("id", "cg-info").text


def test_search_finds_an_entity_in_a_closed_group_and_opens_it(browser: Any, page: Path) -> None:
    browser.get(page.as_uri())
    wait_ready(browser)
    assert browser.execute_script("return cg.nodes.get('lone-7')") is None
    assert browser.execute_script("return cg.search('harbour trust')") == ["lone-7"]
    assert browser.execute_script("return cg.nodes.get('lone-7') !== null")
    assert browser.execute_script("return cg.network.getSelectedNodes()") == ["lone-7"]
    assert browser.execute_script("return cg.overview.drawnEntities") == 20
    assert "Loner 7" in browser.find_element("id", "cg-info").text
    # An entity deep in a cluster, by id, opens that cluster with its links.
    browser.execute_script("cg.search('node-3000')")
    assert browser.execute_script("return cg.nodes.get('node-3000') !== null")
    assert browser.execute_script("return cg.edges.length") > 0
    assert browser.execute_script("return window.__dialogs") == []


def test_map_html_below_the_threshold_is_the_full_map() -> None:
    data = map_data(generated_network(100))
    html = map_html(data, "t", "w")
    assert '"overview"' not in html and "cg-data" in html


def test_map_overview_always_writes_the_overview_of_a_small_network(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from clustergraph.cli import main

    from .conftest import GRAPH_DIR

    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["map", str(GRAPH_DIR), "-o", str(out), "--overview", "always"])
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert '"overview"' in html and "map/overview" not in html and "https://" not in html.split("cg-data")[0]
    default = tmp_path / "default.html"
    assert CliRunner().invoke(main, ["map", str(GRAPH_DIR), "-o", str(default)]).exit_code == 0
    assert '"overview"' not in default.read_text("utf-8")

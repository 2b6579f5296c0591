"""`map --overview`: a big network opens on its groups, members drawn on a click.

Above `OVERVIEW_FROM` nodes ("auto") the page holds every entity as compact arrays and
builds vis objects only for the groups (clusters, and communities for entities in no
cluster); a click on a group, or a search for one of its members, adds them. Below the
threshold the full map is written exactly as before.
"""

from __future__ import annotations

import math
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
    overview_of,
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


def _communities() -> dict[str, int]:
    return {n: d["community"] for n, d in _network().nodes(data=True) if "community" in d}


@pytest.fixture(scope="module")
def overview() -> dict[str, Any]:
    g = _network()
    data = map_data(g, aliases={"lone-7": ["Seventh Harbour Trust"]}, communities=_communities(), place=False)
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


def test_group_discs_never_overlap_and_the_layout_repeats(overview: dict[str, Any]) -> None:
    groups = overview["overview"]["groups"]
    for i, a in enumerate(groups):
        for b in groups[i + 1 :]:
            assert math.dist((a["x"], a["y"]), (b["x"], b["y"])) >= a["r"] + b["r"], (a["label"], b["label"])
    again = overview_data(map_data(_network(), communities=_communities(), place=False))
    assert [(g["x"], g["y"]) for g in again["overview"]["groups"]] == [(g["x"], g["y"]) for g in groups]


def test_the_overview_from_the_network_is_the_overview_from_the_full_maps_data(
    overview: dict[str, Any],
) -> None:
    g = _network()
    direct = overview_of(
        g, aliases={"lone-7": ["Seventh Harbour Trust"]}, communities=_communities(), size_by="degree"
    )
    via = overview_data(
        map_data(
            g, aliases={"lone-7": ["Seventh Harbour Trust"]}, communities=_communities(), size_by="degree"
        )
    )
    assert direct["overview"] == via["overview"]
    assert (
        direct["kinds"] == via["kinds"]
        and direct["styles"] == via["styles"]
        and direct["groups"] == via["groups"]
    )


def _click(browser: Any, node: str) -> None:
    pos = browser.execute_script(
        "var p = cg.network.canvasToDOM(cg.network.getPositions([arguments[0]])[arguments[0]]);"
        "var r = document.getElementById('cg-network').getBoundingClientRect();"
        "return [p.x + r.left, p.y + r.top];",
        node,
    )
    for kind in ("mousePressed", "mouseReleased"):
        browser.execute_cdp_cmd(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": pos[0], "y": pos[1], "button": "left", "clickCount": 1},
        )


def _overlapping(labels: list[dict[str, float]]) -> list[tuple[str, str]]:
    return [
        (a["id"], b["id"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if a["x0"] < b["x1"] - 0.5
        and b["x0"] < a["x1"] - 0.5
        and a["y0"] < b["y1"] - 0.5
        and b["y0"] < a["y1"] - 0.5
    ]


def test_group_names_are_drawn_largest_first_and_never_cover_each_other(browser: Any, page: Path) -> None:
    browser.get(page.as_uri())
    wait_ready(browser)
    browser.execute_script("cg.network.redraw()")
    labels = browser.execute_script("return cg.labels")
    biggest = browser.execute_script(
        "var gs = cg.data.overview.groups, k = 0;"
        "gs.forEach(function (g, i) { if (g.count > gs[k].count) k = i; }); return 'g:' + k;"
    )
    assert biggest in [x["id"] for x in labels] and len(labels) >= 10
    assert _overlapping(labels) == []
    # Open the biggest group: its members' names join in, still covering nothing.
    _click(browser, biggest)
    browser.execute_script(
        "cg.network.moveTo({scale: 1.0, position: cg.network.getPositions([arguments[0]])[arguments[0]]})",
        biggest,
    )
    browser.execute_script("cg.network.redraw()")
    labels = browser.execute_script("return cg.labels")
    assert any(not x["id"].startswith("g:") for x in labels)
    assert _overlapping(labels) == []


def test_filters_colours_details_and_the_url_carry_over_to_the_overview(browser: Any, page: Path) -> None:
    browser.get(page.as_uri())
    wait_ready(browser)
    browser.execute_script("cg.show('node-40')")
    info = browser.find_element("id", "cg-info").text
    assert "Entity 40" in info and "partner" in info
    # A partner in another (closed) group: a click on it opens that group and shows it.
    partner = browser.find_element("css selector", "#cg-info [data-partner]")
    pid = partner.get_attribute("data-partner")
    partner.click()
    assert browser.execute_script("return cg.network.getSelectedNodes()") == [pid]
    # Hiding a kind hides its members and their links.
    kind = browser.execute_script("return cg.data.kinds[0].id")
    browser.find_element("css selector", f'#cg-kinds button[data-kind="{kind}"]').click()
    hidden = browser.execute_script(
        "var ov = cg.data.overview; return cg.overview.opened.every(function (k) {"
        " return ov.group.every(function (g, e) { return g !== k || ov.kind[e] !== 0 ||"
        " cg.nodes.get(ov.ids[e]).hidden; }); })"
    )
    assert hidden
    browser.execute_script("cg.colourBy('sector')")
    fill = browser.execute_script("return cg.nodes.get(arguments[0]).color.background", pid)
    assert fill.lower() in [
        g["colour"].lower() for g in browser.execute_script("return cg.data.groups.sector")
    ]
    state = browser.execute_script("return cg.state()")
    assert (
        f"focus={pid}" in state and "open=" in state and f"hide={kind}" in state and "color=sector" in state
    )
    # The same view from its URL, in a fresh load.
    browser.get(page.as_uri() + "#" + state)
    wait_ready(browser)
    assert browser.execute_script("return cg.network.getSelectedNodes()") == [pid]
    assert browser.execute_script("return cg.overview.opened.length") >= 1
    assert browser.find_element("id", "cg-color").get_attribute("value") == "sector"
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("cg.savePng()")
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return !!cg.savedPng"))
    assert browser.execute_script("return cg.savedPng.name") == "overview-b.png"
    assert browser.execute_script("return window.__dialogs") == []


def test_on_a_phone_the_sidebar_folds_behind_the_menu(page: Path) -> None:
    if browser_missing():
        pytest.skip(browser_missing() or "")
    with chromium(width=420, height=900) as phone:
        phone.get(page.as_uri())
        wait_ready(phone)
        side = phone.find_element("id", "cg-side")
        assert not side.is_displayed()
        phone.find_element("id", "cg-menu").click()
        assert side.is_displayed()
        assert phone.execute_script("return document.getElementById('cg-network').clientWidth") > 380


def test_the_overview_embeds_sizes_by_links_and_takes_the_highlights(tmp_path: Path) -> None:
    import json
    import re

    from click.testing import CliRunner

    from clustergraph.cli import main

    from .conftest import GRAPH_DIR

    out = tmp_path / "embed.html"
    args = ["map", str(GRAPH_DIR), "-o", str(out), "--overview", "always", "--embed", "--highlight", "gaps"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert "cg-page-embed" in html
    data = json.loads(re.search(r'id="cg-data">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert data["page"] == "embed" and data["sizeBy"] == "degree" and data["highlight"] == "gaps"
    assert "gap" in data["overview"]["mark"].values()
    assert "suggested" in [s["id"] for s in data["styles"]]
    sized = tmp_path / "sized.html"
    args = ["map", str(GRAPH_DIR), "-o", str(sized), "--overview", "always", "--size-by", "betweenness"]
    assert CliRunner().invoke(main, args).exit_code == 0
    page = sized.read_text("utf-8")
    assert (
        json.loads(re.search(r'id="cg-data">(.*?)</script>', page, re.S).group(1))["sizeBy"] == "betweenness"
    )  # type: ignore[union-attr]

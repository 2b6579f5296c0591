"""The map and the report in a real browser: headless Chromium, opened from disk, no network.

Checks what a person gets: the nodes are drawn, search and filters change what is
visible, and nothing from the data runs, neither on load nor while the pointer
hovers every node and edge. Screenshots land in tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clustergraph.render import write_map, write_report
from clustergraph.render.map import map_data, map_html

from ._browser import browser_missing, chromium, wait_ready
from ._render_data import FLAGGING, HOSTILE, generated_network, hostile_analysis, hostile_network
from .conftest import GRAPH_DIR

pytestmark = pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pages")
    g = hostile_network()
    a = hostile_analysis(g)
    hostile = root / "hostile.html"
    data = map_data(g, measures=a["measures"], highlight="gaps", gaps=a["gaps"], size_by="degree")
    hostile.write_text(map_html(data, HOSTILE[1], HOSTILE[0]), "utf-8")
    write_map(GRAPH_DIR, root / "la-map.html", highlight="connectors")
    big = root / "big.html"
    big.write_text(map_html(map_data(generated_network(1600)), "Generated", "1,600 nodes"), "utf-8")
    write_report(GRAPH_DIR, root / "la-report.html")
    return {"hostile": hostile, "map": root / "la-map.html", "report": root / "la-report.html", "big": big}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as driver:
        yield driver


def _open(driver: Any, path: Path) -> None:
    driver.get(path.as_uri())
    wait_ready(driver)


def _nothing_ran(driver: Any) -> None:
    assert driver.execute_script("return window.__dialogs") == []
    assert driver.execute_script("return document.body.getAttribute('data-pwned')") is None
    # No element the data could have smuggled in.
    assert driver.execute_script("return document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert driver.execute_script("return document.querySelectorAll('script').length") == 3


def _fetched(driver: Any) -> list[str]:
    names = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return [n for n in names if not n.startswith(("file:", "data:", "about:"))]


def _visible(driver: Any) -> int:
    return driver.execute_script(
        "var b = cg.network.body; return Object.keys(b.nodes).filter(id => !b.nodes[id].options.hidden).length;"
    )


def test_map_draws_every_node_from_disk_offline(browser: Any, pages: dict[str, Path]) -> None:
    started = time.perf_counter()
    _open(browser, pages["map"])
    took = time.perf_counter() - started
    data_nodes = browser.execute_script("return cg.data.nodes.length")
    assert data_nodes == 139
    drawn = browser.execute_script("return Object.keys(cg.network.getPositions()).length")
    assert drawn == data_nodes == _visible(browser)
    assert browser.execute_script("return cg.network.body.edgeIndices.length") == 334
    # Positions are ours: physics is off, nothing moved.
    assert browser.execute_script(
        "var n = cg.data.nodes[0], p = cg.network.getPosition(n.id); return [p.x === n.x, p.y === n.y]"
    ) == [True, True]
    assert _fetched(browser) == []
    _nothing_ran(browser)
    assert took < 10
    browser.save_screenshot(str(ARTIFACTS / "map-la.png"))


def test_search_and_filters_change_what_is_visible(browser: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    _open(browser, pages["map"])
    total = _visible(browser)
    scale = browser.execute_script("return cg.network.getScale()")
    box = browser.find_element(By.ID, "cg-search")
    box.send_keys("port of long", Keys.ENTER)
    selected = browser.execute_script("return cg.network.getSelectedNodes()")
    assert set(selected) == {"port-of-long-beach"}
    assert browser.execute_script("return cg.network.getScale()") != scale  # zoomed to it
    assert "Port of Long Beach" in browser.find_element(By.ID, "cg-info").text
    box.clear()
    box.send_keys(Keys.ENTER)

    colleges = browser.execute_script("return cg.data.nodes.filter(n => n.kind === 'college').length")
    button = browser.find_element(By.CSS_SELECTOR, '#cg-kinds button[data-kind="college"]')
    button.click()
    assert _visible(browser) == total - colleges > 0
    assert browser.execute_script("return cg.network.body.nodes['csu5'].options.hidden") is False
    assert browser.execute_script("return cg.network.body.nodes['ucla'].options.hidden") is True
    button.click()
    assert _visible(browser) == total

    Select(browser.find_element(By.ID, "cg-cluster")).select_by_value("bioscience")
    serving = browser.execute_script(
        "var i = cg.data.clusters.findIndex(c => c.id === 'bioscience');"
        "return cg.data.nodes.filter(n => n.serves.indexOf(i) >= 0).map(n => n.id).sort()"
    )
    shown = browser.execute_script("return cg.visibleIds().sort()")
    assert shown == serving and 0 < len(shown) < total
    assert "la-biomed" in shown and "spacex" not in shown
    assert browser.find_element(By.ID, "cg-count").text.startswith(f"{len(shown)} of {total}")
    browser.find_element(By.ID, "cg-reset").click()
    assert _visible(browser) == total
    _nothing_ran(browser)


def _names(driver: Any) -> list[dict[str, float]]:
    """The boxes of the names drawn in the last frame (DOM px), after one more redraw."""
    driver.execute_script("cg.network.redraw()")
    return driver.execute_script("return cg.labels")


def _overlapping(boxes: list[dict[str, float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[:i])
        if a["x0"] < b["x1"] - 0.5
        and b["x0"] < a["x1"] - 0.5
        and a["y0"] < b["y1"] - 0.5
        and b["y0"] < a["y1"] - 0.5
    ]


def test_names_never_cover_each_other_and_zooming_in_shows_more(browser: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, pages["map"])
    width, height = browser.execute_script(
        "var c = document.getElementById('cg-network'); return [c.clientWidth, c.clientHeight]"
    )
    first = _names(browser)
    # The dense consortium hub would pile 30 names on each other; the page draws those that fit.
    assert 20 <= len(first) < 139
    assert _overlapping(first) == []
    assert all(b["x0"] >= 0 and b["x1"] <= width and b["y0"] >= 0 and b["y1"] <= height for b in first)
    # Nor is any other name written across the biggest dot, the consortium hub.
    x, y, r = browser.execute_script(
        "var id = 'la-oc-regional-consortium', p = cg.network.canvasToDOM(cg.network.getPosition(id));"
        "return [p.x, p.y, cg.network.body.nodes[id].shape.radius * cg.network.getScale()]"
    )
    for b in first:
        if b["id"] != "la-oc-regional-consortium":
            nx_, ny_ = min(max(x, b["x0"]), b["x1"]), min(max(y, b["y0"]), b["y1"])
            assert (nx_ - x) ** 2 + (ny_ - y) ** 2 >= (r - 0.5) ** 2, b["id"]
    # Zooming in on the hub makes room: more of its members' names appear, still without overlap.
    members = set(browser.execute_script("return cg.network.getConnectedNodes('la-oc-regional-consortium')"))
    browser.execute_script(
        "cg.network.moveTo({ position: cg.network.getPosition('la-oc-regional-consortium'),"
        " scale: 3 * cg.network.getScale(), animation: false })"
    )
    zoomed = _names(browser)
    assert _overlapping(zoomed) == []
    assert len(members & {b["id"] for b in zoomed}) > len(members & {b["id"] for b in first}) + 5
    # A search hit always gets its name, first, whatever else is around it.
    browser.find_element(By.ID, "cg-reset").click()
    box = browser.find_element(By.ID, "cg-search")
    box.send_keys("cerritos", Keys.ENTER)
    hit = _names(browser)
    assert hit[0]["id"] == "cerritos-college" and _overlapping(hit) == []
    spot = browser.execute_script("return cg.network.canvasToDOM(cg.network.getPosition('cerritos-college'))")
    assert hit[0]["x0"] <= spot["x"] <= hit[0]["x1"] and hit[0]["y0"] >= spot["y"]
    browser.find_element(By.ID, "cg-reset").click()
    _nothing_ran(browser)


_SHOWN_EDGES = (
    "var b = cg.network.body; return Object.keys(b.edges).filter(id => !b.edges[id].options.hidden).length;"
)


def test_link_kinds_can_be_hidden_from_the_legend(browser: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, pages["map"])
    total = browser.execute_script(_SHOWN_EDGES)
    spokes = browser.execute_script("return cg.data.edges.filter(e => e.style === 'in-cluster').length")
    button = browser.find_element(By.CSS_SELECTOR, '#cg-styles button[data-style="in-cluster"]')
    button.click()
    assert browser.execute_script(_SHOWN_EDGES) == total - spokes
    button.click()
    assert browser.execute_script(_SHOWN_EDGES) == total


def test_big_map_holds_cluster_spokes_back_until_asked(browser: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, pages["big"])
    assert browser.execute_script("return Object.keys(cg.network.getPositions()).length") == 1600
    spokes = browser.execute_script("return cg.data.edges.filter(e => e.style === 'in-cluster').length")
    every = browser.execute_script("return cg.data.edges.length")
    assert spokes > 0
    assert browser.execute_script("return cg.edges.length") == every - spokes
    browser.find_element(By.CSS_SELECTOR, '#cg-styles button[data-style="in-cluster"]').click()
    assert browser.execute_script("return cg.edges.length") == every
    assert browser.execute_script(_SHOWN_EDGES) == every
    _nothing_ran(browser)


def _hover(driver: Any, x: float, y: float) -> None:
    driver.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})


def test_hostile_names_run_nothing_on_load_or_hover(browser: Any, pages: dict[str, Path]) -> None:
    _open(browser, pages["hostile"])
    _nothing_ran(browser)
    assert browser.title == HOSTILE[1]
    assert browser.execute_script("return document.getElementById('cg-title').textContent") == HOSTILE[1]
    points = browser.execute_script(
        """
        var r = document.getElementById('cg-network').getBoundingClientRect(), net = cg.network;
        function dom(p) { var d = net.canvasToDOM(p); return [r.left + d.x, r.top + d.y]; }
        var nodes = cg.data.nodes.map(n => [n.id, dom(net.getPosition(n.id))]);
        var edges = cg.data.edges.map((e, i) => {
          var a = net.getPosition(e.from), b = net.getPosition(e.to);
          return ['e' + i, dom({x: a.x * 0.6 + b.x * 0.4, y: a.y * 0.6 + b.y * 0.4})];
        });
        return [nodes, edges];
        """
    )
    labels = {n["id"]: n["label"] for n in browser.execute_script("return cg.data.nodes")}
    shown_nodes = 0
    for nid, (x, y) in points[0]:
        _hover(browser, x, y)
        tip = browser.execute_script(
            "var t = document.getElementById('cg-tip'); return t.hidden ? null : t.textContent"
        )
        if tip is not None and labels[nid] in tip:
            shown_nodes += 1
        _nothing_ran(browser)
    shown_edges = 0
    for _, (x, y) in points[1]:
        _hover(browser, x, y)
        tip = browser.execute_script(
            "var t = document.getElementById('cg-tip'); return t.hidden ? null : t.textContent"
        )
        shown_edges += tip is not None and "\u2014" in tip
        _nothing_ran(browser)
    # Nearly every node and edge shows its tooltip (a few overlap others), as text.
    assert shown_nodes >= len(points[0]) - 2
    assert shown_edges >= len(points[1]) // 2
    # Clicking a node pins its details; its source links are http(s) only.
    x, y = dict(points[0])["n0"]
    browser.execute_cdp_cmd(
        "Input.dispatchMouseEvent",
        {"type": "mousePressed", "x": x, "y": y, "button": "left", "clickCount": 1},
    )
    browser.execute_cdp_cmd(
        "Input.dispatchMouseEvent",
        {"type": "mouseReleased", "x": x, "y": y, "button": "left", "clickCount": 1},
    )
    info = browser.execute_script("return document.getElementById('cg-info').textContent")
    assert HOSTILE[0] in info
    hrefs = browser.execute_script("return [...document.querySelectorAll('#cg-info a')].map(a => a.href)")
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    assert FLAGGING in browser.execute_script("return cg.data.nodes.map(n => n.label).join('|')")
    _nothing_ran(browser)
    assert _fetched(browser) == []
    browser.save_screenshot(str(ARTIFACTS / "map-hostile.png"))


def test_report_opens_offline_with_its_map(browser: Any, pages: dict[str, Path]) -> None:
    _open(browser, pages["report"])
    assert browser.execute_script("return Object.keys(cg.network.getPositions()).length") == 139
    for section in ("figures", "connectors", "matrix", "coverage", "suggestions", "events", "map"):
        assert browser.execute_script(f"return !!document.getElementById('{section}')")
    _nothing_ran(browser)
    assert _fetched(browser) == []
    browser.save_screenshot(str(ARTIFACTS / "report-la-top.png"))
    browser.execute_script("document.getElementById('map').scrollIntoView()")
    browser.save_screenshot(str(ARTIFACTS / "report-la-map.png"))

"""What a director gets from the map and the report, checked in headless Chromium (issue 15).

One browser for the module. Each test reads the page's own object (`cg`): the names
drawn (`cg.labels`), the ones that must be drawn (`cg.mustName`), the view in the
URL, the partners panel, and the pixels of the canvas for the rings.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clustergraph.render import write_map, write_report

from ._browser import browser_missing, chromium, wait_ready
from .conftest import GRAPH_DIR

pytestmark = pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, editions: tuple[Path, Path]) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("views")
    old, new = editions
    out = {
        "gaps": root / "gaps.html",
        "focus": root / "focus.html",
        "cluster": root / "cluster.html",
        "since": root / "since.html",
        "embed": root / "embed.html",
        "report": root / "report.html",
    }
    write_map(GRAPH_DIR, out["gaps"], highlight="gaps")
    write_map(GRAPH_DIR, out["focus"], focus="aerospace", depth=3, highlight="connectors")
    write_map(GRAPH_DIR, out["cluster"], cluster="blue-economy")
    write_map(new, out["since"], since=old)
    write_map(GRAPH_DIR, out["embed"], embed=True)
    write_report(GRAPH_DIR, out["report"])
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as driver:
        yield driver


def _open(driver: Any, path: Path, fragment: str = "", width: int = 1400, height: int = 1000) -> None:
    driver.set_window_size(width, height)
    driver.get("about:blank")  # a new document even when only the fragment changes
    driver.get(path.as_uri() + fragment)
    wait_ready(driver)


def _named(driver: Any) -> tuple[set[str], list[str]]:
    """The ids named on the canvas after a redraw, and the ids the page says must be."""
    driver.execute_script("cg.network.redraw()")
    labels = driver.execute_script("return cg.labels")
    return {b["id"] for b in labels}, driver.execute_script("return cg.mustName")


def _biggest_in_view(driver: Any, k: int = 3) -> list[str]:
    return driver.execute_script(
        """
        var net = cg.network, c = document.getElementById('cg-network');
        var a = net.DOMtoCanvas({x: 0, y: 0}), z = net.DOMtoCanvas({x: c.clientWidth, y: c.clientHeight});
        return cg.data.nodes.filter(n => {
          var b = net.body.nodes[n.id], p = net.getPosition(n.id);
          return !b.options.hidden && p.x >= a.x && p.x <= z.x && p.y >= a.y && p.y <= z.y;
        }).sort((x, y) => y.value - x.value).slice(0, arguments[0]).map(n => n.id);
        """,
        k,
    )


@pytest.mark.parametrize("view", ["gaps", "focus", "cluster", "since"])
def test_the_biggest_dots_and_what_is_new_are_named_in_every_view(
    browser: Any, pages: dict[str, Path], view: str
) -> None:
    _open(browser, pages[view])
    named, must = _named(browser)
    assert must and set(must) <= named, set(must) - named
    assert set(_biggest_in_view(browser)) <= named
    if view == "since":
        new = browser.execute_script("return cg.data.nodes.filter(n => n.new).map(n => n.id)")
        assert len(new) == 1 and set(new) <= named
    if view == "focus":
        browser.save_screenshot(str(ARTIFACTS / "map-la-focus.png"))


def test_every_search_hit_is_named_and_aliases_find_their_entity(
    browser: Any, pages: dict[str, Path]
) -> None:
    _open(browser, pages["gaps"])
    hits = browser.execute_script("return cg.search('altasea')")
    assert len(hits) >= 2
    named, _ = _named(browser)
    assert set(hits) <= named
    # "Lundquist" is an alias of LA BioMed: the page's search finds it as the `search` query does.
    assert "la-biomed" in browser.execute_script("return cg.search('Lundquist')")
    named, _ = _named(browser)
    assert "la-biomed" in named
    # The partners of the node one picked are named too.
    browser.execute_script("cg.focus('la-biomed')")
    # (a suggested partnership drawn on the gaps page is not a partner yet)
    partners = browser.execute_script(
        "return cg.data.edges.filter(e => e.style !== 'suggested' && (e.from === 'la-biomed' || e.to === 'la-biomed'))"
        ".map(e => e.from === 'la-biomed' ? e.to : e.from)"
    )
    named, _ = _named(browser)
    assert partners and set(partners) <= named
    # After a filter, the biggest dots still in view are named.
    browser.find_element("id", "cg-reset").click()
    browser.find_element("css selector", '#cg-kinds button[data-kind="college"]').click()
    named, must = _named(browser)
    assert set(must) <= named and set(_biggest_in_view(browser)) <= named


_PIXEL = """
var net = cg.network, id = arguments[0], p = net.canvasToDOM(net.getPosition(id));
var b = net.body.nodes[id], r = (b.shape.radius || b.options.size) * net.getScale();
var ctx = document.querySelector('#cg-network canvas').getContext('2d'), k = window.devicePixelRatio || 1;
function at(x, y) { var d = ctx.getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data; return [d[0], d[1], d[2]]; }
var ring = [];
for (var dx = r + 1; dx <= r + 8; dx += 0.5) {
  ring.push(at(p.x + dx, p.y), at(p.x - dx, p.y), at(p.x, p.y + dx), at(p.x, p.y - dx));
}
return {centre: at(p.x, p.y), ring: ring};
"""


def _close(rgb: list[int], hex_colour: str, tolerance: int = 60) -> bool:
    want = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return sum(abs(a - b) for a, b in zip(rgb, want, strict=True)) <= tolerance


def _ring_and_fill(driver: Any, node: str) -> tuple[bool, bool]:
    driver.execute_script("cg.network.redraw()")
    px = driver.execute_script(_PIXEL, node)
    data = driver.execute_script("return [cg.data.marks.gap.colour, cg.data.kinds]")
    kind = driver.execute_script("return cg.data.nodes.find(n => n.id === arguments[0]).kind", node)
    fill = next(k["colour"] for k in data[1] if k["id"] == kind)
    return any(_close(c, data[0]) for c in px["ring"]), _close(px["centre"], fill)


def test_rings_keep_the_kind_colour_and_survive_legend_clicks(browser: Any, pages: dict[str, Path]) -> None:
    _open(browser, pages["gaps"])
    node = browser.execute_script(
        "return cg.data.nodes.filter(n => n.mark === 'gap' &&"
        " cg.data.kinds.find(k => k.id === n.kind).shape === 'dot')[0].id"
    )
    browser.execute_script(
        "cg.network.moveTo({position: cg.network.getPosition(arguments[0]), scale: 2, animation: false})",
        node,
    )
    assert _ring_and_fill(browser, node) == (True, True)
    for selector in ('#cg-kinds button[data-kind="college"]', '#cg-styles button[data-style="partnership"]'):
        button = browser.find_element("css selector", selector)
        button.click()
        assert _ring_and_fill(browser, node) == (True, True)
        button.click()
        assert _ring_and_fill(browser, node) == (True, True)
    # "Show everything" brings back the first view: every node, no fragment, the same zoom.
    first = browser.execute_script("cg.network.fit(); return null")  # noqa: F841 - moves the view
    browser.find_element("css selector", '#cg-kinds button[data-kind="person"]').click()
    browser.execute_script("cg.search('port')")
    browser.find_element("id", "cg-reset").click()
    assert browser.execute_script("return cg.visibleIds().length") == browser.execute_script(
        "return cg.data.nodes.length"
    )
    assert browser.execute_script("return cg.state()") == ""
    assert browser.execute_script("return cg.network.getSelectedNodes().length") == 0


def test_the_details_panel_lists_partners_that_move_the_view(browser: Any, pages: dict[str, Path]) -> None:
    _open(browser, pages["gaps"])
    browser.execute_script("cg.focus('la-oc-regional-consortium')")
    items = browser.find_elements("css selector", "#cg-info .cg-partners li")
    degree = browser.execute_script(
        "return cg.data.edges.filter(e => e.style !== 'suggested' &&"
        " (e.from === 'la-oc-regional-consortium' || e.to === 'la-oc-regional-consortium')).length"
    )
    assert len(items) == degree > 20
    assert browser.execute_script(
        "return document.querySelector('#cg-info .cg-partners .cg-h').textContent"
    ) == (f"{degree} partners")
    first = items[0].find_element("css selector", "button")
    target, name = first.get_attribute("data-partner"), first.text
    assert name and items[0].find_element("css selector", ".cg-rel").text.strip()
    first.click()
    assert browser.execute_script("return cg.network.getSelectedNodes()") == [target]
    assert browser.find_element("css selector", "#cg-info h2").text == name
    assert f"focus={target}" in browser.execute_script("return location.hash")


def test_the_view_lives_in_the_url(browser: Any, pages: dict[str, Path]) -> None:
    _open(browser, pages["gaps"], "#focus=laedc")
    assert browser.execute_script("return cg.network.getSelectedNodes()") == ["laedc"]
    assert "Los Angeles County Economic Development Corporation" in browser.find_element("id", "cg-info").text
    browser.find_element("css selector", '#cg-kinds button[data-kind="college"]').click()
    hash_ = browser.execute_script("return location.hash")
    assert "focus=laedc" in hash_ and "hide=college" in hash_
    browser.execute_script("cg.network.moveTo({position: {x: 100, y: 200}, scale: 1.5, animation: false})")
    browser.execute_script("cg.network.emit('zoom', {})")
    time.sleep(0.4)
    hash_ = browser.execute_script("return location.hash")
    assert "zoom=1.500" in hash_ and "at=100,200" in hash_
    # A link with that fragment opens the same view.
    _open(browser, pages["gaps"], hash_)
    assert browser.execute_script("return cg.network.getSelectedNodes()") == ["laedc"]
    assert browser.execute_script("return cg.network.body.nodes['ucla'].options.hidden") is True
    assert abs(browser.execute_script("return cg.network.getScale()") - 1.5) < 0.01
    _open(browser, pages["gaps"], "#q=port%20of")
    assert set(browser.execute_script("return cg.network.getSelectedNodes()")) >= {"port-of-long-beach"}


def test_embed_is_the_map_alone(browser: Any, pages: dict[str, Path]) -> None:
    _open(browser, pages["embed"])
    shown = browser.execute_script(
        "return ['.cg-head', '.cg-side'].map(s => getComputedStyle(document.querySelector(s)).display)"
    )
    assert shown == ["none", "none"]
    width = browser.execute_script("return document.getElementById('cg-network').clientWidth")
    assert width >= browser.execute_script("return window.innerWidth") - 2


def test_phone_width_folds_the_sidebar_and_keeps_tables_readable(
    browser: Any, pages: dict[str, Path]
) -> None:
    _open(browser, pages["gaps"], width=420, height=900)
    inner = browser.execute_script("return window.innerWidth")
    assert browser.execute_script("return document.getElementById('cg-network').clientWidth") >= inner - 2
    side = "return getComputedStyle(document.getElementById('cg-side')).display"
    assert browser.execute_script(side) == "none"
    browser.find_element("id", "cg-menu").click()
    assert browser.execute_script(side) != "none"
    browser.save_screenshot(str(ARTIFACTS / "map-la-phone.png"))
    _open(browser, pages["report"], width=420, height=900)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= inner + 1
    rows = browser.execute_script(
        "return [...document.querySelectorAll('table.connectors tbody tr')].map(r => r.offsetHeight)"
    )
    assert rows and max(rows) < 420, rows  # one card per connector, each a few lines
    browser.save_screenshot(str(ARTIFACTS / "report-la-phone.png"))


def test_print_puts_sections_on_pages_with_no_cut_table_and_the_map_as_a_picture(
    browser: Any, pages: dict[str, Path]
) -> None:
    _open(browser, pages["report"])
    browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    src = browser.execute_script("var i = document.querySelector('img.cg-print'); return i ? i.src : ''")
    assert src.startswith("data:image/png;base64,") and len(src) > 20_000
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        browser.set_window_size(794, 1123)  # A4 at 96 dpi
        overflowing = browser.execute_script(
            "return [...document.querySelectorAll('main table')].filter("
            "t => t.scrollWidth > t.parentElement.clientWidth + 1).map(t => t.className)"
        )
        assert overflowing == []
        assert (
            browser.execute_script("return getComputedStyle(document.querySelector('#cg-network')).display")
            == "none"
        )
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(
        browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})[
            "data"
        ]
    )
    pages_ = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    # A section starts a page (the two grids share one); long lists run over to a second, no more.
    sections = browser.execute_script("return document.querySelectorAll('main > section').length")
    assert sections - 2 <= pages_ <= 2 * sections, (pages_, sections)
    (ARTIFACTS / "report-la.pdf").write_bytes(pdf)


def test_the_png_button_saves_the_current_view(browser: Any, pages: dict[str, Path], tmp_path: Path) -> None:
    _open(browser, pages["gaps"])
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    browser.find_element("id", "cg-png").click()
    deadline = time.time() + 10
    files: list[Path] = []
    while time.time() < deadline and not files:
        files = [p for p in tmp_path.glob("*.png") if p.stat().st_size > 0]
        time.sleep(0.1)
    assert files, "no PNG was saved"
    body = files[0].read_bytes()
    assert body[:8] == b"\x89PNG\r\n\x1a\n" and len(body) > 20_000
    assert files[0].name.startswith("cluster-partnership-map")

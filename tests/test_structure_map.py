"""The structure on the map and in exports: communities and colour choices, first years, the year slider."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from clustergraph.cli import main
from clustergraph.edition import open_edition
from clustergraph.render.map import NO_GROUP, PALETTE, colour_groups

from ._browser import browser_missing, chromium, wait_ready
from ._render_data import Page
from .conftest import GRAPH_DIR


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("structure-maps")
    out = {"community": root / "community.html", "at": root / "at.html", "whole": root / "whole.html"}
    runner = CliRunner()
    for args in (
        ["map", str(GRAPH_DIR), "-o", str(out["community"]), "--color", "community"],
        ["map", str(GRAPH_DIR), "-o", str(out["at"]), "--at", "2016"],
        ["map", str(GRAPH_DIR), "-o", str(out["whole"])],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    return out


def test_map_nodes_carry_their_community_and_the_legend_of_every_colouring(maps: dict[str, Path]) -> None:
    data = Page(maps["community"].read_text("utf-8")).data()
    assert data["color"] == "community" and "Colored by community" in data["caption"]
    with open_edition(GRAPH_DIR) as ed:
        membership = ed.communities("all").membership
    assert {n["id"]: n["community"] for n in data["nodes"] if "community" in n} == membership
    groups = data["groups"]["community"]
    assert [g["id"] for g in groups] == [str(i) for i in range(1, len(groups) + 1)]
    assert groups[0]["colour"] == PALETTE[0] and sum(g["count"] for g in groups) == len(membership)
    assert {g["id"] for g in data["groups"]["sector"]} <= {
        "industry",
        "education",
        "workforce",
        "government",
        "civic",
    }


def test_colours_follow_a_fixed_order_and_run_out_to_grey() -> None:
    nodes = [{"sector": "civic"}, {"sector": "industry"}, {"sector": "civic"}]
    assert [g["id"] for g in colour_groups(nodes, {})["sector"]] == ["industry", "civic"]
    many = [{"community": i} for i in range(1, len(PALETTE) + 3)]
    assert colour_groups(many, {})["community"][-1]["colour"] == NO_GROUP


def test_map_nodes_and_links_carry_their_first_year(maps: dict[str, Path]) -> None:
    data = Page(maps["whole"].read_text("utf-8")).data()
    years = {n["id"]: n.get("year") for n in data["nodes"]}
    assert years["center-for-a-competitive-workforce"] == 2017 and years["la-oc-regional-consortium"] is None
    assert data["years"] == sorted(
        {y for y in years.values() if y} | {e["year"] for e in data["edges"] if "year" in e}
    )
    link = next(e for e in data["edges"] if {e["from"], e["to"]} == {"csu5", "amp-socal"})
    assert link["year"] == 2014


def test_a_map_on_a_date_keeps_the_whole_maps_positions(maps: dict[str, Path]) -> None:
    whole = {n["id"]: (n["x"], n["y"]) for n in Page(maps["whole"].read_text("utf-8")).data()["nodes"]}
    at = Page(maps["at"].read_text("utf-8")).data()
    assert at["nodes"] and all((n["x"], n["y"]) == whole[n["id"]] for n in at["nodes"])
    assert "center-for-a-competitive-workforce" not in {n["id"] for n in at["nodes"]}
    assert max(at["years"]) <= 2016


def test_graphml_and_gexf_carry_the_community(tmp_path: Path, runner: Any) -> None:
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"g.{fmt}"
        assert runner.invoke(main, ["export", str(GRAPH_DIR), "--format", fmt, "-o", str(out)]).exit_code == 0
        text = out.read_text("utf-8")
        assert 'attr.name="community"' in text or 'title="community"' in text
    root = ET.parse(tmp_path / "g.graphml").getroot()
    key = next(
        k.get("id")
        for k in root.iter("{http://graphml.graphdrawing.org/xmlns}key")
        if k.get("attr.name") == "community"
    )
    assert next(k for k in root.iter("{http://graphml.graphdrawing.org/xmlns}key") if k.get("id") == key).get(
        "attr.type"
    ) in ("int", "long")


@pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")
def test_the_year_slider_replays_the_network_and_colours_switch(maps: dict[str, Path]) -> None:
    with chromium() as driver:
        driver.get(maps["whole"].as_uri())
        wait_ready(driver)
        visible = "return cg.data.nodes.filter(n => !cg.nodes.get(n.id).hidden).length"
        total = driver.execute_script(visible)
        driver.execute_script("cg.year(2014)")
        early = driver.execute_script(visible)
        later = driver.execute_script("return cg.data.nodes.filter(n => n.year > 2014).length")
        assert early == total - later and later > 0
        assert (
            driver.execute_script("return cg.nodes.get('center-for-a-competitive-workforce').hidden") is True
        )
        assert "As it stood in 2014" in driver.find_element("id", "cg-year-text").text
        driver.find_element("id", "cg-reset").click()
        assert driver.execute_script(visible) == total
        # Play starts from the first dated year (1907 in the LA data: the Port's founding).
        first = driver.execute_script("return cg.data.nodes.filter(n => !(n.year > cg.data.years[0])).length")
        driver.find_element("id", "cg-play").click()
        assert driver.execute_script(visible) == first <= early
        assert driver.find_element("id", "cg-play").text == "Stop"
        driver.find_element("id", "cg-play").click()
        driver.execute_script("cg.colourBy('sector')")
        fill = driver.execute_script("return cg.nodes.get('laedc').color.background")
        civic = driver.execute_script("return cg.data.groups.sector.find(g => g.id === 'civic').colour")
        assert fill == civic
        swatch = "return document.querySelector('#cg-kinds button[data-kind=\"college\"] svg > *').getAttribute('fill')"
        assert driver.execute_script(swatch) == driver.execute_script("return cg.data.noGroup")
        driver.execute_script("cg.colourBy('kind')")
        assert driver.execute_script(swatch) == driver.execute_script(
            "return cg.data.kinds.find(k => k.id === 'college').colour"
        )
        assert driver.execute_script("return window.__dialogs") == []


def test_the_report_says_how_the_ecosystem_is_organised(tmp_path: Path, runner: Any) -> None:
    out = tmp_path / "report.html"
    assert runner.invoke(main, ["report", str(GRAPH_DIR), "-o", str(out), "--no-map"]).exit_code == 0
    html = out.read_text("utf-8")
    start = html.index('<section id="organised">')
    section = html[start : html.index("</section>", start)]
    assert 'href="#organised"' in html
    for text in (
        "How the ecosystem is organized",
        "cross the triple helix",
        "Communities of collaboration",
        "AltaSea at the Port of Los Angeles",
    ):
        assert text in section, text
    assert "la-oc-regional-consortium" not in section  # names, never ids

"""Connectors and gaps on the real LA data, through the library and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from clustergraph.builder import BuiltGraph
from clustergraph.cli import main
from clustergraph.errors import DataErrors
from clustergraph.network import connectors, gaps, load_rules, project, summary, without

from .conftest import GRAPH_DIR, ROOT


@pytest.fixture(scope="module")
def G(la_graph: BuiltGraph) -> nx.Graph:
    return project(la_graph, "collaboration")


@pytest.fixture(scope="module")
def la_gaps(G: nx.Graph) -> dict:
    return gaps(G)


def _row(rows: list[dict], rid: str) -> dict:
    return next(r for r in rows if r["id"] == rid)


def test_the_college_consortium_and_laedc_are_the_top_connectors(G: nx.Graph) -> None:
    rows = connectors(G, top=5)
    ids = [r["id"] for r in rows]
    # The LA/OC Regional Consortium ties the 26 colleges to the LAEDC-led workforce
    # partnerships (WDC, CCW) and, through CCW, to the seven workforce boards.
    assert ids[0] == "la-oc-regional-consortium"
    top = rows[0]
    assert top["articulation"] and top["cut_off"] >= 7
    assert "education" in top["why"] and "removing it cuts" in top["why"]
    # LAEDC leads the WDC, the Policy Committee and the Southern California Aerospace
    # Council and backs AB 427: without it the aerospace policy actors lose every path.
    assert ids[1] == "laedc"
    laedc = rows[1]
    assert laedc["articulation"] and laedc["liaison"] > 0 and laedc["gatekeeper_representative"] > 0
    assert "Al Muratsuchi" in laedc["why"]


def test_single_points_of_failure_in_the_la_clusters(G: nx.Graph) -> None:
    rows = connectors(G)
    # AltaSea is the only link of its funders, its incubator partner and its own training
    # programme to the rest of the network.
    altasea = _row(rows, "altasea")
    assert altasea["articulation"] and altasea["cut_off"] == 5
    assert "Annenberg Foundation" in altasea["why"] and "blue-economy" in altasea["why"]
    # UCLA now reaches the network through the Port too, so LA BioMed is no single point
    # of failure; Pasadena City College still is, for its bioscience training partners.
    assert not _row(rows, "la-biomed")["articulation"]
    # The seven workforce boards are now linked to each other through CCW too, so the
    # LA Basin planning unit is no longer their only tie.
    assert not _row(rows, "la-basin-regional-planning-unit")["articulation"]
    pcc = _row(rows, "pasadena-city-college")
    assert pcc["articulation"] and "Biotech Pathways Project" in pcc["why"]
    # A community college linked only through consortia is no single point of failure.
    assert not _row(rows, "cerritos-college")["articulation"]


def test_cluster_filter_keeps_the_cluster_and_its_partners(G: nx.Graph) -> None:
    ids = {r["id"] for r in connectors(G, cluster="bioscience")}
    assert {"la-biomed", "biolabs", "ucla", "los-angeles-county", "cal-state-la-biospace"} <= ids
    assert "spacex" not in ids and "port-of-long-beach" not in ids


def test_without_laedc_cuts_off_the_aerospace_policy_actors(G: nx.Graph) -> None:
    w = without(G, "laedc")
    lost = {e["id"] for g in w["disconnected"] for e in g["entities"]}
    assert {"ab-427", "al-muratsuchi", "ben-allen", "laedc-policy-committee"} <= lost
    assert 0 < w["reach_drop"] < 1


def test_la_summary_figures(G: nx.Graph) -> None:
    s = summary(G)
    assert s["entities"] == G.number_of_nodes()
    # The workforce boards (LA Basin RPU) and CSU5 form islands apart from LAEDC's network.
    assert s["components"] > 1 and s["largest_component_share"] < 1
    assert "la-oc-regional-consortium" in s["top_connectors"]
    assert 0 < s["top_density"] <= 1 and "leading actors collaborate" in s["sentences"][-1]


def _coverage(result: dict, cluster: str, asset: str) -> dict:
    return next(r for r in result["coverage"] if r["cluster"] == cluster and r["asset"] == asset)


def test_la_coverage_gaps(la_gaps: dict) -> None:
    # No workforce board is tied to the blue economy; its colleges include USC (a tenant)
    # and Santa Monica College (a workforce programme with AltaSea), its labour programmes
    # AltaSea's Ocean Career Pathways and the longshore union's training.
    assert not _coverage(la_gaps, "blue-economy", "workforce-board")["has"]
    assert {"usc", "santa-monica-college"} <= set(
        _coverage(la_gaps, "blue-economy", "college-partner")["entities"]
    )
    assert {"ilwu", "altasea-ocean-career-pathways"} <= set(
        _coverage(la_gaps, "blue-economy", "labor-program")["entities"]
    )
    assert _coverage(la_gaps, "blue-economy", "facility-incubator")["has"]
    # Bioscience has LA BioMed and Caltech, colleges (UCLA, Cal State LA, PCC ...) and two
    # training programmes (SBWIB's pre-apprenticeship, PCC's CIRM Bridges).
    assert set(_coverage(la_gaps, "bioscience", "research-institute")["entities"]) >= {"la-biomed", "caltech"}
    assert {"ucla", "cal-state-la", "pasadena-city-college"} <= set(
        _coverage(la_gaps, "bioscience", "college-partner")["entities"]
    )
    assert set(_coverage(la_gaps, "bioscience", "labor-program")["entities"]) == {
        "pcc-cirm-bridges-program",
        "sbwib-bioscience-pre-apprenticeship",
    }
    # Aerospace: five bills, facilities (LA AFB, Armstrong, the C-17 plant, Plant 42 ...)
    # and two colleges with aerospace programmes.
    assert set(_coverage(la_gaps, "aerospace", "policy-champion")["entities"]) == {
        "ab-427",
        "sb-1215-2016",
        "ab-245-2019",
        "ab-538-2021",
        "acr-145-2018",
    }
    assert "los-angeles-air-force-base" in _coverage(la_gaps, "aerospace", "facility-incubator")["entities"]
    assert _coverage(la_gaps, "aerospace", "college-partner")["entities"] == [
        "antelope-valley-college",
        "el-camino-college",
    ]
    # The boards serve the regional plan's priority sectors, but not the blue economy.
    boards = {r["cluster"] for r in la_gaps["coverage"] if r["asset"] == "workforce-board" and r["has"]}
    assert {"bioscience", "aerospace", "trade-logistics"} <= boards and "blue-economy" not in boards


def test_la_value_chain_cells(la_gaps: dict) -> None:
    cell = {(r["cluster"], r["stage"]): r for r in la_gaps["value_chain"]}
    assert "la-biomed-research-facility" in cell["bioscience", "research"]["assets"]
    assert "cal-state-la-biospace" in cell["bioscience", "design"]["assets"]  # incubation is design
    assert cell["blue-economy", "export"]["assets"] == [
        "port-of-long-beach",
        "port-of-los-angeles",
    ]  # ports export
    # Aerospace builds (the C-17 plant, the companies) but nothing in the data exports.
    assert "boeing-c17-long-beach" in cell["aerospace", "build"]["assets"]
    assert cell["aerospace", "export"]["empty"]
    assert cell["bioscience", "build"]["empty"] and cell["blue-economy", "build"]["empty"]


def test_la_isolated_and_peripheral_entities(la_gaps: dict) -> None:
    status = {r["id"]: r for r in la_gaps["isolated"]}
    # The commission AB 427 would have created was never established: nothing links to it.
    assert status["california-aerospace-commission"]["status"] == "isolated"
    # Orange County colleges reach the network only through the LA/OC consortium.
    assert status["saddleback-college"]["broker"] == "la-oc-regional-consortium"
    # SpaceX is named by a source but linked to no one in the data.
    assert status["spacex"]["status"] == "isolated"
    assert status["aerospace-corporation"]["broker"] == "space-and-missile-systems-center"


def test_la_suggestions_pair_partners_of_a_shared_hub(la_gaps: dict) -> None:
    pairs = {(r["a"], r["b"]): r for r in la_gaps["suggestions"]}
    # Pasadena City College and the Pasadena Bioscience Collaborative both work with Caltech.
    assert ("pasadena-bioscience-collaborative", "pasadena-city-college") in pairs
    assert (
        "California Institute of Technology"
        in pairs["pasadena-bioscience-collaborative", "pasadena-city-college"]["why"]
    )
    # Goodwill and Northrop Grumman both work with Antelope Valley College's aerospace programme.
    assert ("goodwill-southern-california", "northrop-grumman") in pairs
    # Two colleges of one consortium are not suggested: the consortium links them.
    assert ("cerritos-college", "citrus-college") not in pairs
    scores = [r["score"] for r in la_gaps["suggestions"]]
    assert scores == sorted(scores, reverse=True)


def test_results_are_identical_from_the_data_directory_and_its_turtle(
    la_graph: BuiltGraph, tmp_path: Path
) -> None:
    ttl = tmp_path / "la.ttl"
    ttl.write_bytes(la_graph.serialize("turtle"))
    a, b = project(la_graph, "collaboration"), project(ttl, "collaboration")
    assert connectors(a) == connectors(b)
    assert gaps(a) == gaps(b)
    assert summary(a) == summary(b)


def test_shipped_rules_file_is_found_and_valid() -> None:
    rules = load_rules()
    assert Path(rules["path"]).resolve() == (ROOT / "rules" / "expected.yaml").resolve()
    assert {"college-partner", "workforce-board", "policy-champion"} <= set(rules["assets"])


def test_a_bad_rules_file_points_at_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text(
        "assets:\n  college:\n    match:\n      - {kind: college, colour: red}\n", encoding="utf-8"
    )
    with pytest.raises(DataErrors) as exc:
        load_rules(bad)
    assert f"{bad}:4:9" in str(exc.value) and "colour" in str(exc.value)


# ---------------------------------------------------------------- CLI


def _run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_cli_connectors_table_has_the_summary_header() -> None:
    r = _run("connectors", str(GRAPH_DIR), "--top", "3", "--format", "table")
    assert r.exit_code == 0, r.output
    assert "leading actors collaborate" in r.output and "Betweenness: exact." in r.output
    assert "la-oc-regional-consortium" in r.output


def test_cli_connectors_csv_is_pure_rows_and_json_has_summary() -> None:
    r = _run("connectors", str(GRAPH_DIR), "--top", "3", "--format", "csv")
    lines = r.output.splitlines()
    assert lines[0].startswith("rank,id,label") and len(lines) == 4
    doc = json.loads(_run("connectors", str(GRAPH_DIR), "--top", "2", "--format", "json").output)
    assert set(doc) == {"summary", "betweenness", "rows"} and len(doc["rows"]) == 2


def test_cli_connectors_turtle_is_rdf_with_our_terms() -> None:
    r = _run("connectors", str(GRAPH_DIR), "--top", "3", "--format", "turtle")
    assert r.exit_code == 0
    store = ox.Store()
    store.load(r.stdout_bytes, format=ox.RdfFormat.TURTLE)
    ask = "ASK { ?s a <https://w3id.org/clustergraph/ns#ConnectorScore> ; <https://w3id.org/clustergraph/ns#entity> <https://w3id.org/clustergraph/id/laedc> }"
    assert store.query(ask)


def test_cli_without_lists_who_is_cut_off() -> None:
    r = _run("connectors", str(GRAPH_DIR), "--without", "laedc", "--format", "tsv")
    assert r.exit_code == 0 and "ab-427" in r.output


def test_cli_unknown_ids_are_usage_errors_with_a_suggestion() -> None:
    r = _run("connectors", str(GRAPH_DIR), "--cluster", "bioscince")
    assert r.exit_code == 2 and "did you mean 'bioscience'" in r.output
    r = _run("connectors", str(GRAPH_DIR), "--without", "laedcc")
    assert r.exit_code == 2 and "did you mean 'laedc'" in r.output
    r = _run("gaps", str(GRAPH_DIR), "--cluster", "aerospac")
    assert r.exit_code == 2 and "did you mean 'aerospace'" in r.output


def test_cli_bad_data_exits_1_with_a_location(tmp_path: Path) -> None:
    (tmp_path / "orgs.yaml").write_text("organizations:\n  - id: a\n    name: A\n    type: spaceship\n")
    for command in ("connectors", "gaps"):
        r = _run(command, str(tmp_path))
        assert r.exit_code == 1
        assert "orgs.yaml:4:" in r.output and "Traceback" not in r.output


def test_cli_gaps_in_every_format(la_turtle_path: Path) -> None:
    table = _run("gaps", str(GRAPH_DIR), "--format", "table")
    assert table.exit_code == 0 and "Coverage" in table.output and "Suggested partnerships" in table.output
    tsv = _run("gaps", str(GRAPH_DIR), "--format", "tsv").output.splitlines()
    assert tsv[0].split("\t") == ["section", "cluster", "subject", "status", "entities", "why"]
    doc = json.loads(_run("gaps", str(GRAPH_DIR), "--format", "json").output)
    assert set(doc) >= {"coverage", "value_chain", "isolated", "suggestions"}
    # The same from the exported Turtle file.
    again = json.loads(_run("gaps", str(la_turtle_path), "--format", "json").output)
    assert again["coverage"] == doc["coverage"] and again["suggestions"] == doc["suggestions"]
    ttl = _run("gaps", str(GRAPH_DIR), "--cluster", "blue-economy", "--format", "turtle")
    assert b"cg:CoverageFinding" in ttl.stdout_bytes and b"cg:SuggestedPartnership" in ttl.stdout_bytes


def test_cli_gaps_with_a_custom_rules_file(tmp_path: Path) -> None:
    rules = tmp_path / "r.yaml"
    rules.write_text("reach: 0\nassets:\n  port:\n    label: Port\n    match: [{category: port}]\n")
    doc = json.loads(_run("gaps", str(GRAPH_DIR), "--rules", str(rules), "--format", "json").output)
    assert {r["asset"] for r in doc["coverage"]} == {"port"}
    assert _coverage(doc, "blue-economy", "port")["entities"] == ["port-of-long-beach", "port-of-los-angeles"]


@pytest.fixture(scope="module")
def la_turtle_path(tmp_path_factory: pytest.TempPathFactory, la_graph: BuiltGraph) -> Path:
    out = tmp_path_factory.mktemp("la") / "la.ttl"
    out.write_bytes(la_graph.serialize("turtle"))
    return out

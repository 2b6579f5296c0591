"""`--at DATE`: the network as it stood on a day, a filter of the projection, on hand-made dated data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clustergraph.cli import main
from clustergraph.edition import open_edition
from clustergraph.errors import UsageError
from clustergraph.network.dated import Span, first_years

from ._render_data import Page

DATA = """\
clusters:
  - id: aero
    name: Aerospace
organizations:
  - id: firm
    name: A Firm
    type: company
    clusters: [aero]
  - id: city
    name: The City
    type: government
  - id: edc
    name: The EDC
    type: economic-development-org
  - id: late-firm
    name: A Late Firm
    type: company
colleges:
  - id: college
    name: A College
    type: community-college
facilities:
  - id: lab
    name: A Lab
    operator: college
  - id: plant
    name: A Plant
    operator: firm
initiatives:
  - id: council
    name: A Council
    lead: [edc]
    started: "2018-03"
events:
  - id: lab-opened
    name: The lab opens
    date: "2017-06-01"
    type: opened
    subject: [lab]
  - id: plant-groundbreaking
    name: The plant breaks ground
    date: "2015"
    type: groundbreaking
    subject: [plant]
  - id: plant-opened
    name: The plant opens
    date: "2017-06"
    type: opened
    subject: [plant]
  - id: late-firm-joins
    name: The late firm joins a meeting
    date: "2019"
    type: meeting
    participants: [late-firm, edc]
partnerships:
  - id: firm-college
    name: Firm and college train together
    type: training
    members: [firm, college]
    since: "2016-09"
  - id: firm-city
    name: Firm and city
    type: funding
    members: [firm, city]
  - id: firm-college-research
    name: Firm and college research, ended
    type: research
    members: [firm, college]
    since: "2010"
    until: "2012"
"""


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dated")
    (root / "data.yaml").write_text(DATA, encoding="utf-8")
    return root


def test_a_partnership_counts_from_its_start(dated: Path) -> None:
    with open_edition(dated) as ed:
        before, after = ed.on("2016-08").network("partnerships"), ed.on("2016-09").network("partnerships")
        assert ("college", "firm") not in before.edges
        assert before.has_edge("firm", "city")  # undated: always there
        assert after.has_edge("college", "firm")
        assert after.edges["college", "firm"]["relations"] == ["partnership:training"]
        assert after.edges["college", "firm"]["partnerships"] == ["firm-college"]
        # the whole network still merges both records
        assert ed.network("partnerships").edges["college", "firm"]["weight"] == 2


def test_a_partnership_counts_until_its_end(dated: Path) -> None:
    with open_edition(dated) as ed:
        G = ed.on("2011").network("partnerships")
        assert G.edges["college", "firm"]["relations"] == ["partnership:research"]
        assert ed.on("2013").network("partnerships").has_edge("firm", "city")
        assert not ed.on("2013").network("partnerships").has_edge("college", "firm")


def test_initiatives_facilities_and_entities_appear_on_their_first_dated_fact(dated: Path) -> None:
    with open_edition(dated) as ed:
        early, mid, late = (ed.on(d).network("collaboration") for d in ("2017-05", "2018-03-01", "2019"))
        assert "lab" not in early and "lab" in mid  # the opening event
        assert "council" not in early and "council" in mid  # started 2018-03
        assert mid.has_edge("council", "edc")
        assert "late-firm" not in mid and "late-firm" in late  # its only fact: a 2019 event
        assert "edc" not in early and "edc" in mid  # its first dated fact: leading the council
        assert "city" in early  # an undated partnership: always there
        assert ed.projections == 1  # every day is a filter of one projection


def test_the_output_says_how_many_facts_carry_no_date(dated: Path) -> None:
    with open_edition(dated) as ed:
        info = ed.on("2015").network("partnerships").graph["at"]
    assert info["date"] == "2015"
    assert (info["links"], info["undated_links"]) == (1, 1)  # firm-city
    assert info["left_out_links"] == 1  # firm-college: research ended 2012, training from 2016-09
    # firm and city (an undated link), college (dated from 2010), plant (ground broken in 2015);
    # edc, late-firm, lab, council not yet
    assert (info["entities"], info["undated_entities"], info["left_out_entities"]) == (4, 2, 4)


def test_a_year_means_the_whole_year() -> None:
    assert Span("2016-09").on("2016") and not Span("2017").on("2016-12-31")
    assert Span(None, "2016").on("2016-12") and not Span(None, "2016-05").on("2016-06")


def test_a_bad_date_is_a_usage_error(dated: Path, runner) -> None:
    with open_edition(dated) as ed, pytest.raises(UsageError, match="`at` must be a date"):
        ed.on("last year")
    result = runner.invoke(main, ["connectors", str(dated), "--at", "2016-13"])
    assert result.exit_code == 2 and "--at must be a date" in result.output


def test_first_years_for_the_replay(dated: Path) -> None:
    with open_edition(dated) as ed:
        nodes, links = first_years(ed.network("collaboration"), ed.dates)
    assert nodes["lab"] == 2017 and nodes["council"] == 2018 and nodes["firm"] is None
    assert links[("college", "firm")] == 2010 and links[("city", "firm")] is None


@pytest.mark.parametrize("command", ["connectors", "gaps", "communities", "summary"])
def test_every_analysis_command_takes_at(dated: Path, runner, command: str) -> None:
    result = runner.invoke(main, [command, str(dated), "--at", "2016", "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "The network as it stood in 2016:" in result.output
    assert "carry no date and count as always present" in result.output


def test_communities_json_before_and_after_a_partnership_starts(dated: Path, runner) -> None:
    def groups(at: str) -> list[list[str]]:
        out = runner.invoke(
            main, ["communities", str(dated), "--relations", "partnerships", "--at", at, "--format", "json"]
        )
        return [sorted(c["members"]) for c in json.loads(out.output)["communities"]]

    assert groups("2016-08") == [["city", "firm"]]
    assert groups("2016-09") == [["city", "college", "firm"]]


def test_map_and_report_at_a_date(dated: Path, runner, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = runner.invoke(main, ["map", str(dated), "-o", str(out), "--at", "2016"])
    assert result.exit_code == 0, result.output
    data = Page(out.read_text(encoding="utf-8")).data()
    ids = {n["id"] for n in data["nodes"]}
    assert "lab" not in ids and "firm" in ids
    assert "as it stood in 2016" in data["caption"] and "carry no date" in data["caption"]
    report = tmp_path / "report.html"
    assert runner.invoke(main, ["report", str(dated), "-o", str(report), "--at", "2016"]).exit_code == 0
    assert "as it stood in 2016" in report.read_text(encoding="utf-8")


def test_a_report_at_a_date_lists_only_the_events_up_to_it(dated: Path, runner, tmp_path: Path) -> None:
    now, then = tmp_path / "now.html", tmp_path / "then.html"
    assert runner.invoke(main, ["report", str(dated), "-o", str(now), "--no-map"]).exit_code == 0
    assert (
        runner.invoke(main, ["report", str(dated), "-o", str(then), "--no-map", "--at", "2018"]).exit_code
        == 0
    )
    assert "The lab opens" in then.read_text("utf-8") and "The lab opens" in now.read_text("utf-8")
    assert "The late firm joins a meeting" in now.read_text("utf-8")
    assert "The late firm joins a meeting" not in then.read_text("utf-8")


def test_summary_entities_at_a_date(dated: Path, runner) -> None:
    out = runner.invoke(main, ["summary", str(dated), "--entities", "--at", "2017", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = {r["id"]: r for r in json.loads(out.output)}
    assert "council" not in rows and rows["firm"]["helix_crossing"] == 2  # college and city
    assert rows["firm"]["ei_sector"] == pytest.approx(1 / 3, abs=1e-6)  # college, city out; its plant in


def test_a_facility_has_the_status_its_events_give_it_that_day(dated: Path) -> None:
    with open_edition(dated) as ed:
        assert "plant" not in ed.on("2014").network()
        assert ed.on("2016").network().nodes["plant"]["status"] == "under-construction"
        assert ed.on("2017-06").network().nodes["plant"]["status"] == "open"
        # The whole network carries no day's status: only the record's own, and this one states none.
        assert ed.network().nodes["plant"]["status"] is None


def test_path_at_a_date(dated: Path, runner) -> None:
    def hops(at: str) -> int:
        args = [
            "path",
            str(dated),
            "firm",
            "college",
            "--relations",
            "partnerships",
            "--at",
            at,
            "--format",
            "json",
        ]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        return len(json.loads(result.output)["paths"])

    assert hops("2016-08") == 0 and hops("2016-09") == 1


def test_progress_at_a_date_counts_the_events_up_to_it(runner) -> None:
    def events(*extra: str) -> list[dict]:
        result = runner.invoke(main, ["progress", "graph", "--format", "json", *extra])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    now, then = events(), events("--at", "2017")
    assert then and len(then) < len(now)
    assert all(e["date"][:4] <= "2017" for e in then)
    stalled_now, stalled_then = events("--stalled"), events("--stalled", "--at", "2017")
    assert {r["id"] for r in stalled_now} <= {r["id"] for r in stalled_then}

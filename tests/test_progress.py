"""Progress over time: events by date and the plan items nothing advances yet."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from clustergraph.builder import BuiltGraph, build, open_graph
from clustergraph.cli import main
from clustergraph.loader import load
from clustergraph.timeline import progress

PLAN = """
organizations:
  - {id: edc, name: EDC, type: economic-development-org}
clusters:
  - {id: aero, name: Aerospace}
plans:
  - id: plan
    name: Plan
    goals:
      - id: goal-a
        name: Goal A
        strategies:
          - id: strat-a
            name: Strategy A
            actions:
              - {id: act-1, name: Action 1, lead: [edc]}
              - {id: act-2, name: Action 2}
      - id: goal-b
        name: Goal B
events:
  - {id: e2, name: Second, date: "2018-05-01", type: meeting, subject: [edc], advances: [act-1], clusters: [aero]}
  - {id: e1, name: First, date: "2017", type: launched, advances: [act-1]}
"""


def _plan(tmp_path: Path) -> Path:
    (tmp_path / "d.yaml").write_text(PLAN)
    return tmp_path


def test_events_come_oldest_first_with_their_plan_chain(tmp_path: Path) -> None:
    p = progress(build(load(_plan(tmp_path))))
    assert [(e["id"], e["year"], e["action"], e["strategy"], e["goal"]) for e in p.events] == [
        ("e1", "2017", "act-1", "strat-a", "goal-a"),
        ("e2", "2018", "act-1", "strat-a", "goal-a"),
    ]


def test_stalled_items_are_those_no_event_advances(tmp_path: Path) -> None:
    p = progress(build(load(_plan(tmp_path))))
    # act-1 advances its strategy and goal too; goal-b and act-2 have nothing
    assert [(s["level"], s["id"]) for s in p.stalled] == [("goal", "goal-b"), ("action", "act-2")]
    assert p.stalled[1]["part_of"] == "strat-a"


def test_counts_per_year(tmp_path: Path) -> None:
    p = progress(build(load(_plan(tmp_path))))
    assert p.by_year("action") == [
        {"year": "2017", "action": "act-1", "events": 1},
        {"year": "2018", "action": "act-1", "events": 1},
    ]
    assert p.by_year("cluster") == [
        {"year": "2017", "cluster": "(none)", "events": 1},
        {"year": "2018", "cluster": "aero", "events": 1},
    ]


def test_la_plan_every_action_has_progress(la_graph: BuiltGraph) -> None:
    p = progress(la_graph)
    assert p.stalled == []
    actions = {e["action"] for e in p.events}
    assert {
        "action-physical-spaces",
        "action-sector-partnerships",
        "action-asset-gap-analysis",
        "action-advocate-policy",
    } <= actions
    by_id = {e["id"]: e for e in p.events}
    assert by_id["altasea-groundbreaking"]["date"] == "2017-12-11"
    assert "blue-economy" in by_id["altasea-groundbreaking"]["clusters"]


def test_a_turtle_export_gives_the_same_progress(la_graph: BuiltGraph, tmp_path: Path) -> None:
    ttl = tmp_path / "la.ttl"
    ttl.write_bytes(la_graph.serialize("turtle"))
    assert progress(open_graph(str(ttl))) == progress(la_graph)


def test_progress_cli(tmp_path: Path) -> None:
    data = _plan(tmp_path)
    result = CliRunner().invoke(main, ["progress", str(data), "--stalled", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "level,id,name,part_of",
        "goal,goal-b,Goal B,plan",
        "action,act-2,Action 2,strat-a",
    ]
    result = CliRunner().invoke(main, ["progress", str(data), "--format", "tsv"])
    assert result.stdout.splitlines()[1].split("\t")[:3] == ["2017", "First", "launched"]

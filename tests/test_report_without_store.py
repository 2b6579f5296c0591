"""The report reads the plan and the unverified records without a store, and the same.

`clustergraph report` on YAML reads the plan's progress, its items' names and the
records marked unverified from the triples the build would write
(`builder.TripleTable`), or from what the last run on the same files kept, and
never fills a store. Each answer must be the one the store gave, read as the
report read it before (the reference readers below are that code), on the LA
data, on generated data and on text N-Triples must escape; and a second report
on unchanged data reads neither the records nor a store and writes the same bytes.
"""

from __future__ import annotations

import importlib
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from clustergraph.builder import BuiltGraph, TripleTable, build
from clustergraph.cli import main
from clustergraph.network import project
from clustergraph.network.completeness import completeness, unverified_records
from clustergraph.network.dated import Span, check_date
from clustergraph.records import Data
from clustergraph.timeline import progress, read_plan
from clustergraph.vocab import CG, DCTERMS, RDF, RDFS, SCHEMA, SKOS

from .conftest import GRAPH_DIR

builder = importlib.import_module("clustergraph.builder")
loader = importlib.import_module("clustergraph.loader")

_DG = ox.DefaultGraph()
_DEPTH = {"plan": 0, "goal": 1, "strategy": 2, "action": 3}


def _objects(store: ox.Store, s: Any, p: str) -> list[Any]:
    return [q.object for q in store.quads_for_pattern(s, ox.NamedNode(p), None, _DG)]


def _one(store: ox.Store, s: Any, p: str) -> str:
    values = sorted(o.value for o in _objects(store, s, p))
    return values[0] if values else ""


def _reference_progress(graph: BuiltGraph, at: str | None) -> tuple[list[dict[str, Any]], list[Any]]:
    """Progress as the report read it from the store before it read a table (events, stalled)."""
    store = graph.store

    def local(node: Any) -> str:
        return str(node.value).removeprefix(graph.base)

    parent: dict[str, str] = {}
    level: dict[str, str] = {}
    labels: dict[str, str] = {}
    for cls in ("Plan", "Goal", "Strategy", "Action"):
        for q in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(CG + cls), _DG):
            rid = local(q.subject)
            level[rid] = cls.lower()
            labels[rid] = _one(store, q.subject, RDFS + "label")
            up = _objects(store, q.subject, DCTERMS + "isPartOf")
            if up:
                parent[rid] = local(up[0])

    def chain(rid: str) -> dict[str, str]:
        out = {"action": "", "strategy": "", "goal": ""}
        while rid in level:
            if level[rid] in out:
                out[level[rid]] = rid
            rid = parent.get(rid, "")
        return out

    events: list[dict[str, Any]] = []
    advanced: set[str] = set()
    for q in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(CG + "Event"), _DG):
        e = q.subject
        date = _one(store, e, SCHEMA + "startDate")
        if at is not None and not Span(date or None).on(check_date(at)):
            continue
        targets = sorted(local(o) for o in _objects(store, e, CG + "advances"))
        for t in targets:
            advanced.update(x for x in chain(t).values() if x)
        about = _objects(store, e, SCHEMA + "about")
        events.append(
            {
                "date": date,
                "year": date[:4],
                "id": local(e),
                "event": _one(store, e, RDFS + "label"),
                "type": _one(store, e, CG + "category"),
                "subjects": sorted(local(o) for o in about),
                "clusters": sorted(
                    {local(o) for o in _objects(store, e, CG + "inCluster")}
                    | {local(c) for s in about for c in _objects(store, s, CG + "inCluster")}
                ),
                "advances": targets,
                **(chain(targets[0]) if targets else {"action": "", "strategy": "", "goal": ""}),
            }
        )
    events.sort(key=lambda r: (r["date"], r["id"]))
    stalled = [
        (rid, level[rid], labels[rid], parent.get(rid, ""))
        for rid in sorted(level, key=lambda r: (_DEPTH[level[r]], r))
        if level[rid] != "plan" and rid not in advanced
    ]
    return events, stalled


def _reference_plan_labels(graph: BuiltGraph, events: list[dict[str, Any]]) -> dict[str, str]:
    """The names the report gave the plan items its events advance (`results.labels`)."""
    out = {}
    for a in sorted({a for e in events for a in e["advances"]}):
        quad = next(
            graph.store.quads_for_pattern(ox.NamedNode(graph.iri(a)), ox.NamedNode(RDFS + "label"), None),
            None,
        )
        if quad is not None and quad.object.value:
            out[a] = quad.object.value
    return out


def _reference_unverified(store: ox.Store, kind_of: dict[str, str]) -> dict[str, list[str]]:
    """The unverified records by kind, as completeness read them from the store."""
    kinds = {"Goal": "plan item", "Strategy": "plan item", "Action": "plan item", "Source": "source"}

    def one(subject: Any, predicate: str) -> str:
        for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None, _DG):
            return str(q.object.value)
        return ""

    out: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + "note"), None, _DG):
        if "unverified" not in str(q.object.value).lower():
            continue
        s = q.subject
        ident = one(s, DCTERMS + "identifier")
        kind = kind_of.get(ident)
        if kind is None:
            ours = [
                str(t.object.value)[len(CG) :]
                for t in store.quads_for_pattern(s, ox.NamedNode(RDF + "type"), None, _DG)
                if str(t.object.value).startswith(CG)
            ]
            local = sorted(ours)[0] if ours else "record"
            kind = kinds.get(local, local.lower())
        out.setdefault(kind, set()).add(one(s, RDFS + "label") or ident or str(s.value))
    return {k: sorted(v, key=str.lower) for k, v in sorted(out.items())}


@pytest.mark.parametrize("at", [None, "2016", "2017-06", "2030"])
def test_progress_from_the_table_is_the_stores(corpus: Data, at: str | None) -> None:
    graph = build(corpus)
    events, stalled = _reference_progress(graph, at)
    for source in (TripleTable(corpus), graph):
        plan = read_plan(source)
        p = progress(plan, at=at)
        assert [dict(e) for e in p.events] == events
        assert [(s.id, s.level, s.name, s.part_of) for s in p.stalled] == stalled
        shown = sorted({a for e in p.events for a in e.advances})
        assert {a: plan.names[a] for a in shown if a in plan.names} == _reference_plan_labels(graph, events)
    assert events or at == "2016"  # every data set here has events (none of the LA's is that old)


def test_unverified_records_from_the_table_are_the_stores(corpus: Data) -> None:
    graph = build(corpus)
    G = project(graph)
    kind_of = {n: str(d.get("kind") or "other") for n, d in G.nodes(data=True)}
    expected = _reference_unverified(graph.store, kind_of)
    assert completeness(G, TripleTable(corpus)).unverified == expected
    assert completeness(G, unverified=unverified_records(graph)).unverified == expected
    assert completeness(G, graph.store) == completeness(G, unverified=unverified_records(TripleTable(corpus)))


def test_the_la_data_has_unverified_records_of_several_kinds(la_data: Data) -> None:
    """What the test above compares is not empty: events, entities and sources are marked."""
    G = project(TripleTable(la_data))
    assert len(completeness(G, TripleTable(la_data)).unverified) >= 2


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CLUSTERGRAPH_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))  # this test's own secret
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    target = tmp_path / "data"
    shutil.copytree(GRAPH_DIR, target)
    return target


@pytest.mark.parametrize("args", [[], ["--at", "2017"], ["--relations", "partnerships", "--no-map"]])
def test_a_second_report_reads_no_records_and_fills_no_store(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    made: Counter[str] = Counter()
    for module, name in ((loader, "load"), (builder, "build")):
        real = getattr(module, name)

        def spy(*a: object, _real: Any = real, _key: str = name, **kw: object) -> object:
            made[_key] += 1
            return _real(*a, **kw)

        monkeypatch.setattr(module, name, spy)
    runner = CliRunner()
    pages = []
    for run, env in enumerate(({"CLUSTERGRAPH_CACHE": "0"}, {}, {})):
        out = tmp_path / f"report-{run}.html"
        result = runner.invoke(main, ["report", str(copy), "-o", str(out), *args], env=env)
        assert result.exit_code == 0, result.output
        pages.append(out.read_bytes())
        assert made == {"load": min(run + 1, 2)}, run  # cold, filling the cache, then warm: no store
    assert pages[0] == pages[1] == pages[2]


@pytest.mark.parametrize("args", [["map"], ["map", "--overview", "always", "--at", "2016"], ["report"]])
def test_the_first_years_are_kept_and_a_second_page_is_the_same(
    copy: Path, tmp_path: Path, args: list[str]
) -> None:
    """The year each entity and link first stands (the year slider) is kept with the network it
    was read from; the page of a second run, which reads it back, is the first's, byte for byte
    (and so is one of a day's network, whose years are made again)."""
    runner = CliRunner()
    pages = []
    for run, env in enumerate(({"CLUSTERGRAPH_CACHE": "0"}, {}, {})):
        out = tmp_path / f"page-{run}.html"
        result = runner.invoke(main, [args[0], str(copy), "-o", str(out), *args[1:]], env=env)
        assert result.exit_code == 0, result.output
        pages.append(out.read_bytes())
    assert pages[0] == pages[1] == pages[2]
    kept = (copy.parent / ".clustergraph-cache" / "editions").rglob("*-years-*")
    assert any(kept) == ("--at" not in args)  # a day's network is a filter, made again

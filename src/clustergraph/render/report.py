"""The report: one self-contained HTML page for a director who would rather look than read.

It shows results that were computed elsewhere (the network, its summary, connectors,
gaps and the progress events) and computes nothing of its own but counts for the
cluster x value-chain grid. This module turns them into plain data for the
`report.html` template, which autoescapes every value: no markup is made here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..concepts import STAGES
from ._html import built_at
from .map import KINDS, cluster_labels, map_context
from .templates import render

if TYPE_CHECKING:
    import networkx as nx


def _fmt(value: Any) -> str:
    """A cell's text (not yet escaped): numbers rounded, lists joined, sources by title."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Mapping):
        return str(value.get("label") or value.get("title") or value.get("id") or "")
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


def _label(graph: nx.Graph, nid: Any) -> str:
    return str(graph.nodes[nid].get("label") or nid) if nid in graph else str(nid)


# Figures of the network summary worth a card, in this order, with their names.
_FIGURES = {
    "entities": "entities",
    "links": "links",
    "components": "separate groups",
    "largest_component": "in the largest group",
    "isolated": "with no link",
    "density": "density",
    "average_path_length": "average steps apart",
    "clustering": "clustering",
}


_FIGURE_FORMATS = {"density": "{:.1%}", "average_path_length": "{:.1f}", "clustering": "{:.2f}"}


def figures(summary: Mapping[str, Any]) -> dict[str, Any]:
    """Headline figures as cards (text, name), then the summary's sentences that explain them."""
    cards = []
    for key, name in _FIGURES.items():
        value = summary.get(key)
        if value is None or isinstance(value, bool):
            continue
        text = (
            _FIGURE_FORMATS.get(key, "{:,}").format(value) if isinstance(value, int | float) else str(value)
        )
        cards.append({"num": text, "what": name})
    return {"cards": cards, "sentences": [str(s) for s in summary.get("sentences") or ()]}


def connectors_rows(graph: nx.Graph, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The top connectors with the measures that make them so, and the reason in words."""
    out = []
    for rank, r in enumerate(rows, 1):
        kind = str(r.get("kind") or graph.nodes.get(r.get("id"), {}).get("kind") or "")
        out.append(
            {
                "rank": rank,
                "name": str(r.get("label") or _label(graph, r.get("id"))),
                "flag": bool(r.get("articulation")),
                "kind": KINDS.get(kind, (kind,))[0],
                "sector": str(r.get("sector") or ""),
                "degree": _fmt(r.get("degree")),
                "betweenness": _fmt(r.get("betweenness")),
                "pagerank": _fmt(r.get("pagerank")),
                "why": str(r.get("why") or ""),
            }
        )
    return out


def _grid(
    graph: nx.Graph,
    cells: Mapping[tuple[str, str], tuple[list[str], str]],
    columns: Sequence[tuple[str, str]],
    corner: str,
) -> dict[str, Any]:
    """A clusters x columns grid; a cell holds (names, note) and is coloured by how many names."""
    labels = cluster_labels(graph)
    clusters = sorted({c for c, _ in cells}, key=lambda c: labels.get(c, c).lower())
    rows = []
    for cid in clusters:
        tds = []
        for col, _ in columns:
            names, note = cells.get((cid, col), ([], ""))
            tip = "; ".join(names) if names else (note or "none")
            tds.append({"level": min(len(names), 3), "tip": tip, "text": len(names) or "gap"})
        rows.append({"label": labels.get(cid, cid), "cells": tds})
    return {"corner": corner, "columns": [name for _, name in columns], "rows": rows}


def value_chain_grid(graph: nx.Graph, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Clusters x value-chain stages from the gaps analysis: assets per cell, red where none."""
    cells = {
        (str(r["cluster"]), str(r["stage"])): (
            sorted((_label(graph, a) for a in r.get("assets") or ()), key=str.lower),
            "",
        )
        for r in rows
    }
    stages = [s for s in STAGES if any(st == s for _, st in cells)]
    stages += sorted({st for _, st in cells} - set(stages))
    return _grid(graph, cells, [(s, s) for s in stages], "Cluster")


def coverage_grid(graph: nx.Graph, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Clusters x expected assets (college partner, workforce board, ...): who serves each, red where none."""
    columns: dict[str, str] = {}
    cells = {}
    for r in rows:
        asset_id = str(r.get("asset") or r.get("label"))
        columns.setdefault(asset_id, str(r.get("label") or asset_id))
        names = sorted((_label(graph, e) for e in r.get("entities") or ()), key=str.lower)
        cells[(str(r["cluster"]), asset_id)] = (names, str(r.get("why") or ""))
    return _grid(graph, cells, list(columns.items()), "Cluster")


def suggestion_rows(graph: nx.Graph, gaps: Mapping[str, Any]) -> list[dict[str, str]]:
    """Suggested partnerships: the two parties and why they should talk."""
    rows = []
    for s in gaps.get("suggestions") or ():
        score = s.get("score")
        rows.append(
            {
                "a": str(s.get("a_label") or _label(graph, s["a"])),
                "b": str(s.get("b_label") or _label(graph, s["b"])),
                "score": _fmt(score) if score is not None else "",
                "why": str(s.get("why") or ""),
            }
        )
    return rows


def events_by_year(
    events: Sequence[Mapping[str, Any]], labels: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Progress events by year, oldest first: each year's bar width (percent) and its events."""
    labels = labels or {}
    by_year: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for e in events:
        by_year[str(e.get("year") or str(e.get("date") or "")[:4] or "undated")].append(e)
    most = max((len(v) for v in by_year.values()), default=1)
    years = []
    for y, evs in sorted(by_year.items()):
        items = [
            {
                "date": str(e.get("date") or ""),
                "type": str(e.get("type") or ""),
                "event": str(e.get("event") or e.get("id") or ""),
                "advances": ", ".join(labels.get(a, a) for a in e.get("advances") or ()),
            }
            for e in sorted(evs, key=lambda x: str(x.get("date") or ""))
        ]
        years.append({"year": y, "width": f"{100 * len(evs) / most:.0f}", "events": items})
    return years


_CHANGE_WORDS = {
    "added": "new",
    "removed": "gone",
    "changed": "changed",
    "started": "partnership started",
    "ended": "partnership ended",
}


def since_data(changes: Mapping[str, Any]) -> dict[str, Any]:
    """What changed since an earlier edition: records, partnerships, and how the network moved."""
    rows = changes.get("rows") or ()
    counts = ", ".join(f"{n} {_CHANGE_WORDS.get(k, k)}" for k, n in (changes.get("summary") or {}).items())
    table = []
    for r in rows:
        if r["change"] == "changed":
            what = f"{r['field']}: {r['old']} \u2192 {r['new']}"
        elif r["change"] in ("started", "ended"):
            detail = r.get("detail") or {}
            what = f"{detail.get('type', '')}: {r['new'] or r['old']}"
        else:
            what = ""
        table.append(
            [
                _CHANGE_WORDS.get(r["change"], r["change"]),
                str(r["kind"]),
                str(r["name"] or r["id"]),
                what,
                str(r.get("where") or ""),
            ]
        )
    moved = [
        [str(m["change"]), str(m["what"]), str(m["name"] or m["id"]), str(m["old"]), str(m["new"])]
        for m in changes.get("network") or ()
    ]
    return {"since": str(changes.get("since", "")), "counts": counts, "rows": table, "moved": moved}


def organised_data(graph: nx.Graph, sentences: Sequence[str], communities: Any | None) -> dict[str, Any]:
    """ "How the ecosystem is organised": the structure in words, and the communities by name.

    `sentences` from `network.structure`; `communities` from `network.communities`
    (its rows name members by label here, never by id).
    """
    rows = []
    notes: list[str] = []
    if communities is not None:
        labels = cluster_labels(graph)
        for r in communities.rows:
            rows.append(
                [
                    r.number,
                    r.name,
                    r.size,
                    ", ".join(labels.get(c, c) for c in r.clusters) or "none",
                    ", ".join(_label(graph, v) for v in r.bridges) or "none: a separate island",
                ]
            )
        notes = [str(x) for x in communities.sentences]
    return {"sentences": [str(x) for x in sentences], "communities": rows, "notes": notes}


def _scope(graph: nx.Graph, summary: Mapping[str, Any]) -> str:
    """What the figures count, in one line (entities and links exclude cluster nodes and their links)."""
    clusters = len(cluster_labels(graph))
    entities = summary.get("entities", graph.number_of_nodes())
    links = summary.get("links", graph.number_of_edges())
    return f"{entities:,} entities and {links:,} links in {clusters} cluster{'s' if clusters != 1 else ''}."


def report_html(
    graph: nx.Graph,
    *,
    summary: Mapping[str, Any],
    connectors: Sequence[Mapping[str, Any]],
    gaps: Mapping[str, Any],
    events: Sequence[Mapping[str, Any]],
    stalled: Sequence[Mapping[str, Any]] = (),
    map_data: Mapping[str, Any] | None,
    title: str = "Cluster partnership network",
    plan_labels: Mapping[str, str] | None = None,
    sources_of: str = "",
    built: str | None = None,
    changes: Mapping[str, Any] | None = None,
    organised: Sequence[str] = (),
    communities: Any | None = None,
) -> str:
    """The whole report page. `map_data` (from `map.map_data`) is drawn in its last section;
    `changes` (a diff from an earlier edition) adds a "Since the last edition" section;
    `organised` (`network.structure` sentences) and `communities` (`network.communities`)
    make the section "How the ecosystem is organised"."""
    built = built or built_at()
    return render(
        "report.html",
        title=title,
        built=built,
        sources_of=sources_of,
        scope=_scope(graph, summary),
        figures=figures(summary),
        connectors=connectors_rows(graph, connectors),
        value_chain=value_chain_grid(graph, gaps.get("value_chain") or ()),
        coverage=coverage_grid(graph, gaps.get("coverage") or ()),
        suggestions=suggestion_rows(graph, gaps),
        years=events_by_year(events, plan_labels),
        stalled=[{"level": str(r["level"]), "name": str(r["name"])} for r in stalled],
        changes=since_data(changes) if changes is not None else None,
        organised=organised_data(graph, organised, communities) if organised or communities else None,
        map=None if map_data is None else map_context(map_data, "Network map", "The whole network", built),
    )

"""The report: one self-contained HTML page for a director who would rather look than read.

It shows results that were computed elsewhere (the network, its summary, connectors,
gaps and the progress events) and computes nothing of its own but counts for the
cluster x value-chain grid. This module turns them into plain data for the
`report.html` template, which autoescapes every value: no markup is made here.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..concepts import STAGES
from ._html import built_at
from .legend import ENDED_STATUSES, MEASURES, category_words, kind_label, relations_preset_words
from .map import cluster_labels, map_context
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


def _names(graph: nx.Graph) -> dict[str, str]:
    return {str(n): str(d.get("label") or n) for n, d in graph.nodes(data=True)}


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


def _percent(value: Any) -> str:
    if not isinstance(value, int | float):
        return ""
    return f"{100 * value:.0f}%" if value >= 0.1 else f"{100 * value:.1f}%"


def _kind_text(graph: nx.Graph, nid: Any, kind: str) -> str:
    category = graph.nodes[nid].get("category") if nid in graph else None
    words = category_words(category)
    return words[:1].upper() + words[1:] if words else kind_label(kind)


def connectors_rows(
    graph: nx.Graph, rows: Sequence[Mapping[str, Any]], failures: Mapping[Any, Any] | None = None
) -> list[dict[str, Any]]:
    """The top connectors with the measures that make them so, and the reason in words.

    `failures` (id -> why) are the single points of failure that matter; a policy
    shows its status, and one that is vetoed or ended says so before anything else.
    """
    failures = failures or {}
    out = []
    for rank, r in enumerate(rows, 1):
        nid = r.get("id")
        kind = str(r.get("kind") or graph.nodes.get(nid, {}).get("kind") or "")
        status = str(graph.nodes[nid].get("status") or "") if nid in graph else ""
        ended = status in ENDED_STATUSES
        why = str(r.get("why") or "")
        if ended:
            why = (
                f"{status.capitalize()}: not in force, though it still links its authors and supporters. "
                + why
            )
        out.append(
            {
                "rank": rank,
                "name": str(r.get("label") or _label(graph, nid)),
                "flag": nid in failures,
                "spof": _spof_text(failures.get(nid), why),
                "status": status.replace("-", " "),
                "ended": ended,
                "kind": _kind_text(graph, nid, kind),
                "degree": _fmt(r.get("degree")),
                "betweenness": _percent(r.get("betweenness")),
                "pagerank": _percent(r.get("pagerank")),
                "why": why,
            }
        )
    return out


def _spof_text(point: Any, why: str) -> str:
    """What the badge adds to the row's reason: the kinds it alone links, or the cut-off when unsaid."""
    if point is None:
        return ""
    if isinstance(point, str):
        return point
    if "cuts" in why:
        return str(point.kinds_why)
    return str(point.why)


def measure_notes() -> list[dict[str, str]]:
    """What the connectors table's measures mean, for the line under it."""
    return [
        {"name": MEASURES[k]["name"], "explain": MEASURES[k]["explain"]}
        for k in ("degree", "betweenness", "pagerank")
    ]


# A grid cell's tooltip names at most this many (A-Z) and says how many more: at 50,000
# entities a cluster's cell can hold thousands, and the page held every one (80 MB of tips).
TIP_NAMES = 20


def _names_tip(names: Sequence[str], count: int) -> str:
    """Names for a cell's tooltip: all `count` of them, or the first `TIP_NAMES` and how many more."""
    if count <= TIP_NAMES:
        return "; ".join(names)
    return f"{'; '.join(names[:TIP_NAMES])}; and {count - TIP_NAMES:,} more"


def _first_names(ids: Iterable[Any], names: Mapping[Any, str]) -> tuple[list[str], int]:
    """The first `TIP_NAMES` names of `ids` A-Z (as `sorted(..., key=str.lower)` orders them), and
    how many there are: a tooltip shows no more (a cluster's cell at 50,000 entities holds
    thousands, and sorting every one was seconds of the report)."""
    shown = [names[i] if i in names else str(i) for i in ids]
    first = heapq.nsmallest(TIP_NAMES, shown, key=str.lower)  # the same as sorted(...)[:TIP_NAMES]
    return first, len(shown)


def _grid(
    graph: nx.Graph,
    cells: Mapping[tuple[str, str], tuple[list[str], int, str]],
    columns: Sequence[tuple[str, str]],
    corner: str,
    unassessed: set[str] | None = None,
) -> dict[str, Any]:
    """A clusters x columns grid; a cell holds (first names, how many, note), colored by how many.

    A column in `unassessed` has no record of its kind serving any cluster: its empty
    cells say "not assessed", never "gap".
    """
    unassessed = unassessed or set()
    labels = cluster_labels(graph)
    clusters = sorted({c for c, _ in cells}, key=lambda c: labels.get(c, c).lower())
    rows = []
    for cid in clusters:
        tds = []
        for col, _ in columns:
            names, count, note = cells.get((cid, col), ([], 0, ""))
            tip = _names_tip(names, count) if count else (note or "none")
            if not count and col in unassessed:
                tds.append({"level": "na", "tip": tip, "text": "not assessed"})
            else:
                tds.append({"level": min(count, 3), "tip": tip, "text": count or "gap"})
        rows.append({"label": labels.get(cid, cid), "cells": tds})
    return {
        "corner": corner,
        "columns": [name for _, name in columns],
        "rows": rows,
        "gaps": sum(1 for r in rows for c in r["cells"] if c["level"] == 0),
        "unassessed": sum(1 for r in rows for c in r["cells"] if c["level"] == "na"),
        "cells": sum(len(r["cells"]) for r in rows),
    }


def value_chain_grid(graph: nx.Graph, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Clusters x value-chain stages from the gaps analysis: assets per cell, red where none."""
    names = _names(graph)
    cells = {
        (str(r["cluster"]), str(r["stage"])): (*_first_names(r.get("assets") or (), names), "") for r in rows
    }
    stages = [s for s in STAGES if any(st == s for _, st in cells)]
    stages += sorted({st for _, st in cells} - set(stages))
    unassessed = {str(r["stage"]) for r in rows if not r.get("assessed", True)}
    return _grid(graph, cells, [(s, s) for s in stages], "Cluster", unassessed)


def coverage_grid(graph: nx.Graph, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Clusters x expected assets (college partner, workforce board, ...): who serves each, red where none."""
    columns: dict[str, str] = {}
    cells = {}
    names = _names(graph)
    for r in rows:
        asset_id = str(r.get("asset") or r.get("label"))
        columns.setdefault(asset_id, str(r.get("label") or asset_id))
        cells[(str(r["cluster"]), asset_id)] = (
            *_first_names(r.get("entities") or (), names),
            str(r.get("why") or ""),
        )
    unassessed = {str(r.get("asset") or r.get("label")) for r in rows if not r.get("assessed", True)}
    return _grid(graph, cells, list(columns.items()), "Cluster", unassessed)


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


_MOVE_WORDS = {
    "rank": "moved among the top connectors",
    "articulation-gained": "became a single point of failure",
    "articulation-lost": "no longer a single point of failure",
    "gap-opened": "new gap",
    "gap-closed": "gap closed",
    "merged": "groups joined up",
    "split": "a group fell apart",
}
_YES_NO = {"true": "yes", "false": "no", "-": "not among them"}


def _named(value: Any, names: Mapping[str, str]) -> str:
    """A changed value in words: ids of entities become their names, lists are joined."""
    if isinstance(value, list | tuple):
        return ", ".join(_named(v, names) for v in value)
    text = "" if value is None else str(value)
    if text.startswith("[") and text.endswith("]"):
        return ", ".join(names.get(v.strip(), v.strip()) for v in text[1:-1].split(",") if v.strip())
    return names.get(text, text)


def since_data(changes: Mapping[str, Any], names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What changed since an earlier edition: records, partnerships, and how the network moved.

    `names` (id -> name) turns the ids in changed values into names.
    """
    names = names or {}
    rows = changes.get("rows") or ()
    counts = ", ".join(f"{n} {_CHANGE_WORDS.get(k, k)}" for k, n in (changes.get("summary") or {}).items())
    table = []
    for r in rows:
        if r["change"] == "changed":
            field = str(r["field"]).replace("_", " ")
            what = f"{field}: {_named(r['old'], names)} \u2192 {_named(r['new'], names)}"
        elif r["change"] in ("started", "ended"):
            detail = r.get("detail") or {}
            kind = str(detail.get("type", ""))
            what = f"{kind}: {_named(r['new'] or r['old'], names)}"
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
        [
            _MOVE_WORDS.get(str(m["change"]), str(m["change"]).replace("-", " ")),
            str(m["what"]).replace("-", " "),
            str(m["name"] or m["id"]),
            _YES_NO.get(str(m["old"]), str(m["old"])),
            _YES_NO.get(str(m["new"]), str(m["new"])),
        ]
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


def overview(
    graph: nx.Graph,
    summary: Mapping[str, Any],
    connectors: Sequence[Mapping[str, Any]],
    failures: Mapping[Any, Any],
    value_chain: Mapping[str, Any],
    coverage: Mapping[str, Any],
    suggestions: Sequence[Mapping[str, Any]],
    completeness: Any = None,
) -> list[str]:
    """Three to five sentences for the top of the report: what the figures mean, what to do next."""
    out = []
    entities, links = summary.get("entities", 0), summary.get("links", 0)
    clusters = len(cluster_labels(graph))
    largest = summary.get("largest_component")
    share = (
        f"; the largest connected group holds {largest / entities:.0%} of them"
        if entities and largest
        else ""
    )
    out.append(f"The data holds {entities:,} entities and {links:,} links across {clusters} clusters{share}.")
    if connectors:
        top = connectors[0]
        name = str(top.get("label") or _label(graph, top.get("id")))
        text = f"{name} is the strongest connector"
        if failures:
            n = len(failures)
            text += f"; {n} of the top {len(connectors)} are single points of failure"
            first = next(iter(failures.values()))
            lost = getattr(first, "cut_off", ())
            if lost:
                # Most important first: the one whose loss strands the most.
                text += (
                    f", the most critical being {first.label}: without it {len(lost)} entities lose every"
                    " link to the rest, so they need a second partner"
                )
        out.append(text + ".")
    gaps, na = coverage.get("gaps", 0) + value_chain.get("gaps", 0), coverage.get("unassessed", 0)
    na += value_chain.get("unassessed", 0)
    cells = coverage.get("cells", 0) + value_chain.get("cells", 0)
    if cells:
        text = f"Of {cells} coverage and value-chain cells, {gaps} are gaps the data can show"
        if na:
            text += (
                f" and {na} are not assessed, because no record of that kind is tagged with any cluster: "
                "tag those records with their clusters before reading these cells as gaps"
            )
        out.append(text + ".")
    if suggestions:
        s0 = suggestions[0]
        out.append(
            f"{len(suggestions)} partnerships are suggested; "
            f"the strongest is between {s0['a']} and {s0['b']}."
        )
    if completeness is not None:
        unverified = sum(len(v) for v in completeness.unverified.values())
        untagged = sum(len(v) for v in completeness.untagged.values())
        if unverified or untagged:
            out.append(
                f"{untagged} entities carry no cluster tag and {unverified} records are marked unverified "
                "(see Data completeness)."
            )
    return out[:5]


def completeness_data(c: Any) -> dict[str, Any] | None:
    """The data completeness section: per kind, how many entities and which lack sources or clusters."""
    if c is None:
        return None
    kinds = sorted(set(c.entities) | set(c.unverified), key=lambda k: (k not in c.entities, k))
    rows = []
    for k in kinds:
        rows.append(
            {
                "kind": kind_label(k) if k in c.entities else k.capitalize(),
                "count": c.entities.get(k, ""),
                "unsourced": c.unsourced.get(k, []),
                "untagged": c.untagged.get(k, []),
                "unverified": c.unverified.get(k, []),
            }
        )
    return {"rows": rows}


def _map(data: Mapping[str, Any], built: str) -> dict[str, Any]:
    """The map section's context: the map itself, or (a network too big to draw whole) its overview."""
    from .map import overview_context

    if "overview" in data:
        return overview_context(data, "Network map", built)
    return map_context(data, "Network map", "The same network as the figures", built)


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
    failures: Mapping[Any, Any] | None = None,
    relations: str | None = None,
    completeness: Any = None,
) -> str:
    """The whole report page. `map_data` (from `map.map_data`, or `map.overview_of` for a network
    too big to draw whole) is drawn in its last section;
    `changes` (a diff from an earlier edition) adds a "Since the last edition" section;
    `organised` (`network.structure` sentences) and `communities` (`network.communities`)
    make the section "How the ecosystem is organized"; `completeness` (from
    `network.completeness`) the "Data completeness" section."""
    built = built or built_at()
    failures = failures or {}
    chain = value_chain_grid(graph, gaps.get("value_chain") or ())
    cover = coverage_grid(graph, gaps.get("coverage") or ())
    suggested = suggestion_rows(graph, gaps)
    return render(
        "report.html",
        title=title,
        built=built,
        sources_of=sources_of,
        scope=_scope(graph, summary),
        network_words=relations_preset_words(relations),
        overview=overview(graph, summary, connectors, failures, chain, cover, suggested, completeness),
        figures=figures(summary),
        connectors=connectors_rows(graph, connectors, failures),
        measures=measure_notes(),
        value_chain=chain,
        coverage=cover,
        suggestions=suggested,
        years=events_by_year(events, plan_labels),
        stalled=[{"level": str(r["level"]), "name": str(r["name"])} for r in stalled],
        changes=since_data(changes, _names(graph)) if changes is not None else None,
        organised=organised_data(graph, organised, communities) if organised or communities else None,
        completeness=completeness_data(completeness),
        map=None if map_data is None else _map(map_data, built),
    )

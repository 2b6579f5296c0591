"""The report: one self-contained HTML page for a director who would rather look than read.

It shows results that were computed elsewhere (the network, its summary, connectors,
gaps and the progress events) and computes nothing of its own but counts for the
cluster x value-chain grid. Every text from the data is escaped here; links are
made only for http(s) URLs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._html import asset, built_at, esc, page
from .map import KINDS, cluster_labels, map_parts

if TYPE_CHECKING:
    import networkx as nx

STAGES = ("research", "design", "build", "export")


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


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """An HTML table; `rows` hold cell markup that the caller already escaped."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _section(sid: str, title: str, intro: str, content: str) -> str:
    return f'<section id="{sid}"><h2>{esc(title)}</h2><p class="intro">{esc(intro)}</p>{content}</section>'


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


def figures(summary: Mapping[str, Any]) -> str:
    """Headline figures as cards, then the summary's sentences that explain them."""
    cards = []
    for key, name in _FIGURES.items():
        value = summary.get(key)
        if value is None or isinstance(value, bool):
            continue
        text = (
            _FIGURE_FORMATS.get(key, "{:,}").format(value) if isinstance(value, int | float) else str(value)
        )
        cards.append(
            f'<div class="card"><div class="num">{esc(text)}</div><div class="what">{esc(name)}</div></div>'
        )
    sentences = "".join(f"<li>{esc(s)}</li>" for s in summary.get("sentences") or ())
    return f'<div class="cards">{"".join(cards)}</div>' + (
        f'<ul class="sentences">{sentences}</ul>' if sentences else ""
    )


def connectors_table(graph: nx.Graph, rows: Sequence[Mapping[str, Any]]) -> str:
    """The top connectors with the measures that make them so, and the reason in words."""
    if not rows:
        return '<p class="empty">No connectors: the network has no links.</p>'
    out = []
    for rank, r in enumerate(rows, 1):
        kind = str(r.get("kind") or graph.nodes.get(r.get("id"), {}).get("kind") or "")
        flag = ' <span class="flag">single point of failure</span>' if r.get("articulation") else ""
        out.append(
            [
                esc(rank),
                f"<strong>{esc(r.get('label') or _label(graph, r.get('id')))}</strong>{flag}",
                esc(KINDS.get(kind, (kind,))[0]),
                esc(r.get("sector") or ""),
                esc(_fmt(r.get("degree"))),
                esc(_fmt(r.get("betweenness"))),
                esc(_fmt(r.get("pagerank"))),
                esc(r.get("why") or ""),
            ]
        )
    headers = ["#", "Name", "Kind", "Sector", "Links", "Betweenness", "PageRank", "Why it matters"]
    return _table(headers, out, "connectors")


def _grid(
    graph: nx.Graph,
    cells: Mapping[tuple[str, str], tuple[list[str], str]],
    columns: Sequence[tuple[str, str]],
    corner: str,
) -> str:
    """A clusters x columns grid; a cell holds (names, note) and is coloured by how many names."""
    labels = cluster_labels(graph)
    clusters = sorted({c for c, _ in cells}, key=lambda c: labels.get(c, c).lower())
    if not clusters:
        return '<p class="empty">No clusters in the network.</p>'
    head = "".join(f"<th>{esc(name)}</th>" for _, name in columns)
    rows = []
    for cid in clusters:
        tds = []
        for col, _ in columns:
            names, note = cells.get((cid, col), ([], ""))
            level = min(len(names), 3)
            tip = "; ".join(names) if names else (note or "none")
            tds.append(f'<td class="lv{level}" title="{esc(tip)}">{len(names) or "gap"}</td>')
        rows.append(f'<tr><th scope="row">{esc(labels.get(cid, cid))}</th>{"".join(tds)}</tr>')
    return (
        f'<table class="matrix"><thead><tr><th>{esc(corner)}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


_GRID_LEGEND = (
    '<p class="legend"><span class="lv0">gap</span> none <span class="lv1">1</span> one '
    '<span class="lv2">2</span> two <span class="lv3">3+</span> three or more '
    "(hover a cell for the names)</p>"
)


def value_chain_matrix(graph: nx.Graph, rows: Sequence[Mapping[str, Any]]) -> str:
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
    return _grid(graph, cells, [(s, s) for s in stages], "Cluster") + _GRID_LEGEND


def coverage_matrix(graph: nx.Graph, rows: Sequence[Mapping[str, Any]]) -> str:
    """Clusters x expected assets (college partner, workforce board, ...): who serves each, red where none."""
    columns: dict[str, str] = {}
    cells = {}
    for r in rows:
        asset_id = str(r.get("asset") or r.get("label"))
        columns.setdefault(asset_id, str(r.get("label") or asset_id))
        names = sorted((_label(graph, e) for e in r.get("entities") or ()), key=str.lower)
        cells[(str(r["cluster"]), asset_id)] = (names, str(r.get("why") or ""))
    return _grid(graph, cells, list(columns.items()), "Cluster") + _GRID_LEGEND


def suggestions_markup(graph: nx.Graph, gaps: Mapping[str, Any]) -> str:
    """Suggested partnerships: the two parties and why they should talk."""
    rows = []
    for s in gaps.get("suggestions") or ():
        score = s.get("score")
        rows.append(
            [
                f"<strong>{esc(s.get('a_label') or _label(graph, s['a']))}</strong>",
                f"<strong>{esc(s.get('b_label') or _label(graph, s['b']))}</strong>",
                esc(_fmt(score) if score is not None else ""),
                esc(s.get("why") or ""),
            ]
        )
    if not rows:
        return '<p class="empty">No suggestions.</p>'
    return _table(["Who", "With whom", "Score", "Why"], rows, "suggestions")


def stalled_markup(stalled: Sequence[Mapping[str, Any]]) -> str:
    """Plan goals, strategies and actions that no event advances yet."""
    if not stalled:
        return ""
    items = "".join(f'<li><span class="type">{esc(r["level"])}</span> {esc(r["name"])}</li>' for r in stalled)
    return f'<h3>No progress reported yet</h3><ul class="events">{items}</ul>'


def events_markup(events: Sequence[Mapping[str, Any]], labels: Mapping[str, str] | None = None) -> str:
    """Progress events by year: a bar per year, then each year's events with what they advance."""
    if not events:
        return '<p class="empty">No progress events recorded.</p>'
    labels = labels or {}
    by_year: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for e in events:
        by_year[str(e.get("year") or str(e.get("date") or "")[:4] or "undated")].append(e)
    most = max(len(v) for v in by_year.values())
    bars = "".join(
        f'<div class="bar"><span class="y">{esc(y)}</span>'
        f'<span class="b" style="width:{100 * len(v) / most:.0f}%"></span>'
        f'<span class="n">{len(v)}</span></div>'
        for y, v in sorted(by_year.items())
    )
    parts = [f'<div class="bars">{bars}</div>']
    for y, evs in sorted(by_year.items()):
        items = []
        for e in sorted(evs, key=lambda x: str(x.get("date") or "")):
            adv = [labels.get(a, a) for a in e.get("advances") or ()]
            adv_text = f' <span class="adv">advances: {esc(", ".join(adv))}</span>' if adv else ""
            items.append(
                f'<li><span class="date">{esc(e.get("date") or "")}</span> '
                f'<span class="type">{esc(e.get("type") or "")}</span> '
                f"{esc(e.get('event') or e.get('id') or '')}{adv_text}</li>"
            )
        parts.append(f'<h3>{esc(y)}</h3><ul class="events">{"".join(items)}</ul>')
    return "".join(parts)


_CHANGE_WORDS = {
    "added": "new",
    "removed": "gone",
    "changed": "changed",
    "started": "partnership started",
    "ended": "partnership ended",
}


def since_markup(changes: Mapping[str, Any]) -> str:
    """What changed since an earlier edition: records, partnerships, and how the network moved."""
    rows = changes.get("rows") or ()
    if not rows:
        return f'<p class="empty">Nothing changed since {esc(changes.get("since", ""))}.</p>'
    counts = ", ".join(f"{n} {_CHANGE_WORDS.get(k, k)}" for k, n in (changes.get("summary") or {}).items())
    parts = [f"<p>{esc(counts)}.</p>"]
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
                esc(_CHANGE_WORDS.get(r["change"], r["change"])),
                esc(r["kind"]),
                f"<strong>{esc(r['name'] or r['id'])}</strong>",
                esc(what),
                esc(r.get("where") or ""),
            ]
        )
    parts.append(_table(["Change", "Kind", "Name", "What", "Where"], table, "since"))
    moved = changes.get("network") or ()
    if moved:
        parts.append("<h3>How the network moved</h3>")
        parts.append(
            _table(
                ["Change", "What", "Who or which cluster", "Before", "After"],
                (
                    [
                        esc(m["change"]),
                        esc(m["what"]),
                        esc(m["name"] or m["id"]),
                        esc(m["old"]),
                        esc(m["new"]),
                    ]
                    for m in moved
                ),
                "since",
            )
        )
    return "".join(parts)


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
) -> str:
    """The whole report page. `map_data` (from `map.map_data`) is drawn in its last section;
    `changes` (a diff from an earlier edition) adds a "Since the last edition" section."""
    built = built or built_at()
    n_sugg = len(gaps.get("suggestions") or ())
    sections = [
        _section("figures", "Headline figures", "The size and shape of the network.", figures(summary)),
        _section(
            "connectors",
            "Top connectors",
            "Who holds the region together: organisations that link otherwise separate groups. "
            "A single point of failure is one whose loss would split the network.",
            connectors_table(graph, connectors),
        ),
        _section(
            "matrix",
            "Clusters and their value chain",
            "Assets per cluster at each stage of the value chain (research, design, build, export). "
            "Red cells are stages with no asset.",
            value_chain_matrix(graph, gaps.get("value_chain") or ()),
        ),
        _section(
            "coverage",
            "Coverage gaps per cluster",
            "Which kinds of partner each cluster has and which it lacks. Red cells are gaps.",
            coverage_matrix(graph, gaps.get("coverage") or ()),
        ),
        _section(
            "suggestions",
            "Suggested partnerships",
            f"{n_sugg} pairs that are not linked yet but share clusters, partners or goals.",
            suggestions_markup(graph, gaps),
        ),
        _section(
            "events",
            "Progress by year",
            "Reported progress events, oldest first, and the plan items none of them advances yet.",
            events_markup(events, plan_labels) + stalled_markup(stalled),
        ),
    ]
    if changes is not None:
        sections.insert(
            1,
            _section(
                "since",
                "Since the last edition",
                f"What changed since {changes.get('since', '')}: records added, removed or edited, "
                "partnerships started or ended, and how connectors and gaps moved.",
                since_markup(changes),
            ),
        )
    style = asset("report.css")
    scripts = ""
    if map_data is not None:
        parts = map_parts(map_data, "Network map", "The whole network", built)
        sections.append(
            _section(
                "map",
                "Network map",
                "The same network, interactive: search by name, filter by kind or cluster, "
                "hover for sources.",
                f'<div class="embed">{parts.body}</div>',
            )
        )
        style += "\n" + parts.style
        scripts = parts.scripts
    nav = "".join(
        f'<a href="#{sid}">{esc(name)}</a>'
        for sid, name in [
            ("figures", "Figures"),
            *([("since", "Since last edition")] if changes is not None else []),
            ("connectors", "Connectors"),
            ("matrix", "Value chain"),
            ("coverage", "Coverage"),
            ("suggestions", "Suggestions"),
            ("events", "Progress"),
            *([("map", "Map")] if map_data is not None else []),
        ]
    )
    source = f" from {esc(sources_of)}" if sources_of else ""
    body = (
        f'<header class="top"><h1>{esc(title)}</h1><p>Built {esc(built)}{source}. '
        f"{esc(_scope(graph, summary))}</p>"
        f"<nav>{nav}</nav></header>"
        f"<main>{''.join(sections)}</main>"
    )
    return page(title, style, body, scripts)

"""Outputs a person looks at: the interactive map, the report page, network exports.

They read only the network (`clustergraph.network`) and its analysis results, and
the RDF graph for the progress events; nothing here reads the YAML directly or
writes back. Each `write_*` function is what one CLI command does.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from ..errors import ClusterGraphError, UsageError
from ..output import atomic_write

if TYPE_CHECKING:
    from ..edition import Edition
    from ..remote import Remote


@dataclass(frozen=True, slots=True)
class Written:
    """What a `write_*` call wrote: files, bytes, counts and seconds taken."""

    paths: list[Path]
    nodes: int
    edges: int
    size: int
    took: float


EditionLike = Union["Edition", "Remote", str, os.PathLike[str]]


@contextmanager
def _opened(data: EditionLike) -> Iterator[Edition]:
    """The edition to draw: `data` itself when it is one (left open), else opened and closed here."""
    from ..edition import Edition, open_edition

    if isinstance(data, Edition):
        yield data
        return
    with open_edition(data) as ed:  # a path, or a server (remote.Remote)
        yield ed


def _structure(ed: Edition, G: Any, relations: str | None, place: bool = True) -> dict[str, Any]:
    """What a map shows of the structure: each entity's community and each fact's first year.

    `place=False` (the overview, which places its groups itself): no positions.
    """
    from .map import layout

    out: dict[str, Any] = {"communities": ed.communities(relations).membership}
    out["years"] = ed.first_years(relations)  # of `G`, the edition's network of `relations`
    if place and ed.whole is not ed:  # a day's network keeps the whole network's picture
        out["positions"] = layout(ed.whole.network(relations))
    return out


def _write_html(output: str | os.PathLike[str], html: str) -> int:
    body = html.encode("utf-8")
    atomic_write(output, lambda f: f.write(body))
    return len(body)


def _what(G: Any, cluster: str | None, focus: str | None, depth: int) -> str:
    if focus is not None:
        label = G.nodes[focus].get("label") or focus
        return f"Everything within {depth} link{'s' if depth != 1 else ''} of {label}"
    if cluster is not None:
        return f"The {(G.graph.get('clusters') or {}).get(cluster, cluster)} cluster's ecosystem"
    return "The whole regional network"


def _since(old: Edition, relations: str | None, place: bool = True, **view: Any) -> Any:
    """What the earlier edition held and where its map (of the same view, when it can) placed it.

    `place=False` (the overview): what it held only, not laid out.
    """
    from .map import Since, select

    G = old.network(relations)
    try:
        part = select(G, **view)
    except ClusterGraphError:  # the cluster or the focus is new: the whole old map
        part = G
    if not place:
        return Since(old.name, frozenset(part), frozenset(frozenset(e) for e in part.edges))
    return Since.of(old.name, part)


def _failures(ed: Edition, relations: str | None, ids: list[Any]) -> dict[Any, Any]:
    """The single points of failure among `ids` that matter (see `network.failure`), by id."""
    from ..network.failure import single_points_of_failure
    from .legend import KINDS
    from .map import cluster_labels

    G = ed.network(relations)
    names = {k: v[0] for k, v in KINDS.items()}
    points = single_points_of_failure(G, ids, kind_names=names, cluster_names=cluster_labels(G))
    return {p.id: p for p in points}


def _let_graph_go(ed: Edition) -> None:
    """Read what a page needs of the graph beyond its network, then let the graph go."""
    _ = ed.aliases, ed.dates, ed.dataset
    ed.let_graph_go()


def map_title(ed: Edition, title: str | None = None, what: str = "cluster partnership map") -> str:
    """A page's title: the caller's, or the edition's name (region, edition) and what the page is."""
    return title or f"{what[:1].upper()}{what[1:]}: {ed.name}"


def _map_data(
    data: EditionLike,
    *,
    cluster: str | None = None,
    focus: str | None = None,
    depth: int = 1,
    highlight: str | None = None,
    size_by: str | None = None,
    relations: str | None = None,
    title: str | None = None,
    top: int = 10,
    since: EditionLike | None = None,
    color: str = "kind",
    page: str = "map",
    with_title: bool = False,
    overview: str = "never",
    free_graph: bool = False,
) -> Any:
    """What the map of `data` draws (`map.map_data`), and with `with_title` its title and caption head.

    With `free_graph`, the edition's graph is let go once what the map reads of it
    (aliases, dates, the dataset's name) is read (`Edition.let_graph_go`).
    """
    from ..network import gaps
    from ..network.resolve import Resolver
    from .map import map_data, overview_of, overview_wanted, select

    with _opened(data) as ed:
        G = ed.network(relations)
        names = ed.aliases
        if free_graph:
            _let_graph_go(ed)
        if focus is not None:  # an id, a name or an alias
            focus = Resolver(G, names).entity(focus, "focus")
        part = select(G, cluster=cluster, focus=focus, depth=depth)
        # The overview places its groups itself and draws no single points of failure:
        # laying out every node (~30 s at 50,000) and those failures are left out.
        whole = not overview_wanted(part.number_of_nodes(), overview)
        if size_by is None:  # the overview's dots are sized by links unless asked otherwise
            size_by = "betweenness" if whole else "degree"
        # The overview needs the connectors' ranking only to size or ring by it.
        needs_rows = whole or size_by != "degree" or highlight == "connectors"
        rows = ed.connectors(relations) if needs_rows else []
        result = None
        if highlight == "gaps":
            result = gaps(G, cluster=cluster) if cluster is not None else ed.gaps(relations)
        previous = None
        if since is not None:
            with _opened(since) as old:
                previous = _since(old, relations, whole, cluster=cluster, focus=focus, depth=depth)
        shown = [r for r in rows if r["id"] in part][:top]
        if not whole:
            out = overview_of(
                part,
                measures={r["id"]: r for r in rows},
                size_by=size_by,
                highlight=highlight,
                gaps=result,
                connectors=shown,
                since=previous,
                aliases=names,
                relations=relations,
                page=page,
                color=color,
                **_structure(ed, G, relations, whole),
            )
        else:
            out = map_data(
                part,
                measures={r["id"]: r for r in rows},
                size_by=size_by,
                highlight=highlight,
                gaps=result,
                connectors=shown,
                since=previous,
                aliases=names,
                failures={k: p.why for k, p in _failures(ed, relations, [r["id"] for r in shown]).items()},
                relations=relations,
                page=page,
                **_structure(ed, G, relations),
                color=color,
            )
        if not with_title:
            return out
        what = _what(G, cluster, focus, depth)
        if "at" in G.graph:  # `Edition.on`: the network as it stood on a day
            what += _as_it_stood(G.graph["at"])
        return out, map_title(ed, title), what


def write_map(
    data: EditionLike,
    output: str | os.PathLike[str],
    *,
    cluster: str | None = None,
    focus: str | None = None,
    depth: int = 1,
    highlight: str | None = None,
    size_by: str | None = None,
    relations: str | None = None,
    title: str | None = None,
    top: int = 10,
    since: EditionLike | None = None,
    color: str = "kind",
    embed: bool = False,
    fmt: str = "html",
    overview: str = "never",
    free_graph: bool = False,
) -> Written:
    """Write the map of DATA (or of one cluster, or of one entity's neighborhood).

    `color` is what colors the nodes: kind, community, sector or cluster (see
    `map.COLOR_BY`); every node carries its community and first dated year either way.

    `data` and `since` are editions (see `clustergraph.edition.open_edition`) or
    what names one. With `since` (an earlier edition), every entity keeps the
    position it had on the earlier map and what is new is placed near its partners
    and ringed. `embed` writes the map alone, without header or sidebar, for an
    iframe. `fmt` "svg" or "png" writes a static picture from the same positions.
    `overview` ("auto", "always" or "never", see `map.wants_overview`): an HTML map
    that opens on its groups (clusters, communities), each opened on a click; it is
    built from the network directly (`map.overview_of`), never laid out whole, and its
    dots are sized by links (degree) unless `size_by` says otherwise (the full map's
    default is betweenness). `free_graph` lets the edition's graph go once the map has
    read what it needs of it (what a command does: at 200,000 entities the store is
    2.5 GiB); asked for again, it is built again.
    """
    from .map import map_html, overview_html

    if fmt not in ("html", "svg", "png"):
        raise UsageError(f"`fmt` must be html, svg or png, not '{fmt}'", param="fmt")
    started = time.perf_counter()
    data_, page_title, what = _map_data(
        data,
        cluster=cluster,
        focus=focus,
        depth=depth,
        highlight=highlight,
        size_by=size_by,
        relations=relations,
        title=title,
        top=top,
        since=since,
        color=color,
        page="embed" if embed else "map",
        with_title=True,
        overview=overview if fmt == "html" else "never",
        free_graph=free_graph,
    )
    if "overview" in data_:
        size = _write_html(output, overview_html(data_, page_title))
        ov = data_["overview"]
        suggested = sum(1 for s in ov["links"][2::3] if data_["styles"][s]["id"] == "suggested")
        drawn = len(ov["links"]) // 3 - suggested
        return Written([Path(output)], len(ov["ids"]), drawn, size, time.perf_counter() - started)
    if fmt == "html":
        size = _write_html(output, map_html(data_, page_title, what))
    else:
        from .picture import write_picture

        size = write_picture(data_, output, fmt, page_title)
    n_edges = sum(1 for e in data_["edges"] if e["style"] != "suggested")
    return Written([Path(output)], len(data_["nodes"]), n_edges, size, time.perf_counter() - started)


def _as_it_stood(at: dict[str, Any]) -> str:
    """The words a map's caption adds for a network on a date (see `network.dated.network_at`)."""
    from ..network.dated import on_words

    un, ul = at["undated_entities"], at["undated_links"]
    return (
        f" as it stood {on_words(at['date'])} ({un} entit{'ies' if un != 1 else 'y'} and {ul}"
        f" link{'s' if ul != 1 else ''} carry no date and are shown as always there)"
    )


def write_report(
    data: EditionLike,
    output: str | os.PathLike[str],
    *,
    relations: str | None = None,
    title: str | None = None,
    top: int = 10,
    with_map: bool = True,
    since: EditionLike | None = None,
    overview: str = "auto",
    free_graph: bool = False,
) -> Written:
    """Write the one-page report: figures, connectors, grids, gaps, suggestions, progress, map.

    Above `map.OVERVIEW_FROM` entities (`overview="auto"`; or "always", "never") the
    embedded map is the overview: groups first, a group's members on a click, as
    `clustergraph map` writes it; a page holding every one of 50,000 dots would not open.

    Every figure, table and the embedded map describe one network: that of
    `relations` in the edition `data`, stated on the page. With `since` (an
    earlier edition) the report gains a "Since the last edition" section,
    comparing the same relations in both, and its map keeps the earlier
    positions and rings what is new. Each edition is projected and analysed once.
    `free_graph` lets the edition's graph go once the report has read what it needs
    of it (progress, labels, completeness), before the analyses (see `write_map`).
    """
    from ..network.completeness import completeness
    from .map import map_data, overview_of, overview_wanted
    from .report import report_html

    started = time.perf_counter()
    with _opened(data) as ed:
        whole = not overview_wanted(ed.network(relations).number_of_nodes(), overview)
        changes: dict[str, Any] | None = None
        previous = None
        if since is not None:
            from ..compare import diff, network_changes

            with _opened(since) as old:
                previous = _since(old, relations, whole)
                moved = diff(old, ed)
                changes = {"since": old.name, "rows": moved.rows, "summary": moved.summary()}
                changes["network"] = network_changes(old, ed, relations=relations) if moved.changed else []
        # What the page reads of the graph beyond the network (the plan, the unverified
        # records, the aliases) is read from the triples the build would write, or from
        # what the last run kept: a report on YAML fills no store.
        G = ed.network(relations)
        plan = ed.progress()
        events = plan.events  # on a day's edition (`Edition.on`), the events up to that day
        advanced = sorted({a for e in events for a in e.get("advances") or ()})
        plan_labels = {a: ed.plan.names[a] for a in advanced if a in ed.plan.names}
        complete = completeness(G, unverified=ed.unverified)
        names = ed.aliases
        if free_graph:
            _let_graph_go(ed)
        rows = ed.connectors(relations)
        result = ed.gaps(relations)
        failures = _failures(ed, relations, [r["id"] for r in rows[:top]])
        data_: dict[str, Any] | None = None
        if with_map and whole:
            data_ = map_data(
                G,
                measures={r["id"]: r for r in rows},
                highlight="gaps",
                gaps=result,
                connectors=rows[:top],
                since=previous,
                **_structure(ed, G, relations),
                aliases=names,
                failures={k: p.why for k, p in failures.items()},
                relations=relations,
                page="report",
            )
        elif with_map:  # too big to draw whole: the overview, placed by groups, never laid out whole
            data_ = overview_of(
                G,
                measures={r["id"]: r for r in rows},
                highlight="gaps",
                gaps=result,
                connectors=rows[:top],
                since=previous,
                aliases=names,
                relations=relations,
                page="report",
                **_structure(ed, G, relations, place=False),
            )
        summary = ed.summary(relations)
        if "at" in G.graph:  # `Edition.on`: say which day, and how much carries no date
            from ..network.dated import at_sentence

            summary = {**summary, "sentences": [at_sentence(G), *summary["sentences"]]}
        html = report_html(
            G,
            summary=summary,
            connectors=rows[:top],
            gaps=result,
            events=events,
            stalled=plan.stalled,
            map_data=data_,
            title=map_title(ed, title, "cluster partnership report"),
            plan_labels=plan_labels,
            sources_of=ed.name,
            changes=changes,
            organised=ed.structure(relations).sentences,
            communities=ed.communities(relations),
            failures=failures,
            relations=relations,
            completeness=complete,
        )
    size = _write_html(output, html)
    return Written(
        [Path(output)], G.number_of_nodes(), G.number_of_edges(), size, time.perf_counter() - started
    )


def write_export(
    data: EditionLike,
    fmt: str,
    output: str | os.PathLike[str],
    *,
    relations: str | None = None,
    free_graph: bool = False,
) -> Written:
    """Write the network with its measures as GraphML, GEXF or CSV (a folder of nodes.csv, edges.csv).

    `free_graph` lets the edition's graph go once the network is projected (see `write_map`).
    """
    from .export import export_network

    started = time.perf_counter()
    with _opened(data) as ed:
        G = ed.network(relations)
        if free_graph:
            ed.let_graph_go()
        measures: dict[Any, dict[str, Any]] = {r["id"]: dict(r) for r in ed.connectors(relations)}
        for v, number in ed.communities(relations).membership.items():  # Gephi colours by it
            measures.setdefault(v, {})["community"] = number
        paths = export_network(G, fmt, output, measures)
    size = sum(p.stat().st_size for p in paths if str(p) != "-")  # '-' went to standard output
    return Written(paths, G.number_of_nodes(), G.number_of_edges(), size, time.perf_counter() - started)


def to_pyvis(data: EditionLike, **options: Any) -> Any:
    """The map as a `pyvis.network.Network` for a notebook (see `clustergraph.render.notebook.to_pyvis`)."""
    from .notebook import to_pyvis as _to_pyvis

    return _to_pyvis(data, **options)


__all__ = ["Written", "map_title", "to_pyvis", "write_export", "write_map", "write_report"]

"""Outputs a person looks at: the interactive map, the report page, network exports.

They read only the network (`clustergraph.network`) and its analysis results, and
the RDF graph for the progress events; nothing here reads the YAML directly or
writes back. Each `write_*` function is what one CLI command does.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..output import atomic_write

if TYPE_CHECKING:
    import networkx as nx

    from ..build import BuiltGraph


@dataclass(frozen=True, slots=True)
class Written:
    """What a `write_*` call wrote: files, bytes, counts and seconds taken."""

    paths: list[Path]
    nodes: int
    edges: int
    size: int
    took: float


def _network(data: str | os.PathLike[str], relations: str | None) -> tuple[BuiltGraph, nx.Graph]:
    from ..build import open_graph
    from ..network import project

    graph = open_graph(os.fspath(data))
    return graph, project(graph, relations)


def _previous(since: str, relations: str | None) -> nx.Graph:
    """The network of an earlier edition: a directory, an RDF file or a git REV:PATH."""
    import tempfile

    from ..diff import open_edition
    from ..network import project

    with tempfile.TemporaryDirectory(prefix="clustergraph-since-") as tmp:
        return project(open_edition(since, Path(tmp)).graph, relations)


def _write_html(output: str | os.PathLike[str], html: str) -> int:
    body = html.encode("utf-8")
    atomic_write(output, lambda f: f.write(body))
    return len(body)


def write_map(
    data: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    cluster: str | None = None,
    focus: str | None = None,
    depth: int = 1,
    highlight: str | None = None,
    size_by: str = "betweenness",
    relations: str | None = None,
    title: str | None = None,
    top: int = 10,
    since: str | None = None,
) -> Written:
    """Write the interactive map of DATA (or of one cluster, or of one node's neighbourhood).

    With `since` (an earlier edition), what is new in DATA is drawn in green.
    """
    from ..network import connectors, gaps
    from .map import Since, map_data, map_html, select

    started = time.perf_counter()
    graph, G = _network(data, relations)
    if focus is not None:  # an id, a name or an alias
        from ..network.resolve import Resolver, aliases

        focus = Resolver(G, aliases(graph.store)).entity(focus, "focus")
    part = select(G, cluster=cluster, focus=focus, depth=depth)
    rows = connectors(G)
    result = gaps(G, cluster=cluster) if highlight == "gaps" else None
    data_ = map_data(
        part,
        measures={r["id"]: r for r in rows},
        size_by=size_by,
        highlight=highlight,
        gaps=result,
        connectors=[r for r in rows if r["id"] in part][:top],
        since=Since.of(since, _previous(since, relations)) if since else None,
    )
    if focus is not None:
        label = G.nodes[focus].get("label") or focus
        what = f"Everything within {depth} link{'s' if depth != 1 else ''} of {label}"
    elif cluster is not None:
        what = f"The {(G.graph.get('clusters') or {}).get(cluster, cluster)} cluster's ecosystem"
    else:
        what = "The whole regional network"
    html = map_html(data_, title or "Cluster partnership map", what)
    size = _write_html(output, html)
    n_edges = sum(1 for e in data_["edges"] if e["style"] != "suggested")
    return Written([Path(output)], len(data_["nodes"]), n_edges, size, time.perf_counter() - started)


def write_report(
    data: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    relations: str | None = None,
    title: str | None = None,
    top: int = 10,
    with_map: bool = True,
    since: str | None = None,
) -> Written:
    """Write the one-page report: figures, connectors, grids, gaps, suggestions, progress, map.

    With `since` (an earlier edition) the report gains a "Since the last edition"
    section, and the map draws what is new in green.
    """
    from ..network import connectors, gaps, summary
    from ..progress import progress
    from ..results import labels
    from .map import Since, map_data
    from .report import report_html

    started = time.perf_counter()
    changes: dict[str, Any] | None = None
    previous: Since | None = None
    if since:
        from ..diff import diff, network_changes, open_pair
        from ..network import project

        old, new, tmp = open_pair(since, os.fspath(data))
        with tmp:
            graph = new.graph
            G = project(graph, relations)
            previous = Since.of(since, project(old.graph, relations))
            moved = diff(old, new)
            changes = {"since": since, "rows": moved.rows, "summary": moved.summary()}
            changes["network"] = network_changes(old, new) if moved.changed else []
    else:
        graph, G = _network(data, relations)
    rows = connectors(G)
    result = gaps(G)
    plan = progress(graph)
    events = plan.events
    advanced = sorted({a for e in events for a in e.get("advances") or ()})
    plan_labels = {a: name for a in advanced if (name := labels(graph, [graph.iri(a)]).get(graph.iri(a)))}
    data_ = (
        map_data(
            G,
            measures={r["id"]: r for r in rows},
            highlight="gaps",
            gaps=result,
            connectors=rows[:top],
            since=previous,
        )
        if with_map
        else None
    )
    html = report_html(
        G,
        summary=summary(G),
        connectors=rows[:top],
        gaps=result,
        events=events,
        stalled=plan.stalled,
        map_data=data_,
        title=title or "Cluster partnership report",
        plan_labels=plan_labels,
        sources_of=os.fspath(data),
        changes=changes,
    )
    size = _write_html(output, html)
    return Written(
        [Path(output)], G.number_of_nodes(), G.number_of_edges(), size, time.perf_counter() - started
    )


def write_export(
    data: str | os.PathLike[str], fmt: str, output: str | os.PathLike[str], *, relations: str | None = None
) -> Written:
    """Write the network with its measures as GraphML, GEXF or CSV (a folder of nodes.csv, edges.csv)."""
    from ..network import connectors
    from .export import export_network

    started = time.perf_counter()
    _, G = _network(data, relations)
    measures: dict[Any, dict[str, Any]] = {r["id"]: dict(r) for r in connectors(G)}
    paths = export_network(G, fmt, output, measures)
    size = sum(p.stat().st_size for p in paths)
    return Written(paths, G.number_of_nodes(), G.number_of_edges(), size, time.perf_counter() - started)

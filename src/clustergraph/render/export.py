"""Network exports for Gephi (GraphML, GEXF) and spreadsheets (CSV).

Each node carries its attributes from the network (label, kind, category, sector,
clusters, sources, ...) and its measures from `connectors` (degree, betweenness,
PageRank, constraint, brokerage roles, the reason in words). GraphML and GEXF hold
only scalars, so lists become text joined with "; " and sources become their
titles and, separately, their URLs. GEXF also carries the map's colour, size and
position, so Gephi opens on the same picture.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..output import atomic_write, atomic_write_files
from .map import KINDS, layout

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("graphml", "gexf", "csv")
# Measures that are counts; every other number is written as a float, so a column
# never mixes types (GraphML declares one type per attribute).
_COUNTS = {
    "community",
    "degree",
    "cut_off",
    "rank",
    "coordinator",
    "itinerant",
    "gatekeeper_representative",
    "liaison",
}
_SKIP = {"id"}  # the node id is the node's key already


def _flat(value: Any) -> Any:
    """A scalar for GraphML/GEXF: lists joined with "; ", source dicts by title."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return str(value.get("title") or value.get("label") or value.get("id") or "")
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(_flat(v)) for v in value)
    return str(value)


def _attrs(d: Mapping[str, Any], measures: Mapping[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in {**d, **(measures or {})}.items():
        if key in _SKIP or value is None:
            continue
        if key == "sources":
            out["sources"] = "; ".join(
                str(s.get("title") or s.get("id")) for s in value if isinstance(s, Mapping)
            )
            out["source_urls"] = " ".join(
                str(s["url"]) for s in value if isinstance(s, Mapping) and s.get("url")
            )
            out["source_ids"] = "; ".join(
                str(s.get("id")) for s in value if isinstance(s, Mapping) and s.get("id")
            )
            continue
        if key == "disputed":  # "city: Carson (source-a, source-b); ..."
            out["disputed"] = "; ".join(
                f"{d.get('field')}: {d.get('value')} ({', '.join(d.get('sources') or ())})" for d in value
            )
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = int(value) if key in _COUNTS else float(value)
        out[key] = _flat(value)
    return out


def flat_network(graph: nx.Graph, measures: Mapping[Any, Mapping[str, Any]] | None = None) -> nx.Graph:
    """A copy of the network with scalar attributes only and the measures merged into the nodes."""
    import networkx as nx

    measures = measures or {}
    flat = nx.Graph()
    flat.graph.update({k: _flat(v) for k, v in graph.graph.items() if _flat(v) is not None})
    for n, d in graph.nodes(data=True):
        flat.add_node(n, **_attrs(d, measures.get(n)))
    for u, v, d in graph.edges(data=True):
        flat.add_edge(u, v, **_attrs(d))
    return flat


def _gexf_viz(graph: nx.Graph, flat: nx.Graph) -> None:
    """Colour by kind, size by degree, position from the map's layout (GEXF viz module)."""
    pos = layout(graph)
    for n, d in flat.nodes(data=True):
        colour = KINDS.get(str(d.get("kind")), ("", "#999999"))[1].lstrip("#")
        r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
        x, y = pos[n]
        d["viz"] = {
            "color": {"r": r, "g": g, "b": b, "a": 1.0},
            "size": 4.0 + 2.0 * float(graph.degree(n)) ** 0.5,
            # GEXF's y axis points up, the screen's down.
            "position": {"x": x, "y": -y, "z": 0.0},
        }


def _guard(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (= + - @ first) gets a leading quote."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value
    return value


def _csv(rows: list[dict[str, Any]], first: list[str]) -> Callable[[IO[bytes]], None]:
    cols = [*first, *sorted({k for r in rows for k in r} - set(first))]

    def write(f: IO[bytes]) -> None:
        text = io.TextIOWrapper(f, encoding="utf-8", newline="")
        w = csv.DictWriter(text, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows({k: _guard(v) for k, v in r.items()} for r in rows)
        text.flush()
        text.detach()

    return write


def export_network(
    graph: nx.Graph,
    fmt: str,
    path: str | os.PathLike[str],
    measures: Mapping[Any, Mapping[str, Any]] | None = None,
) -> list[Path]:
    """Write the network as GraphML, GEXF, or CSV; return the files written.

    For CSV, `path` is a directory that receives `nodes.csv` (one row per node:
    id, label, kind, ... and the measures, then Gephi's Id and Label) and
    `edges.csv` (source, target, relations, weight, ..., then Gephi's Source,
    Target, Type, Weight). The two files are written atomically as a set.
    """
    import networkx as nx

    if fmt not in FORMATS:
        from ..errors import UsageError

        raise UsageError(f"unknown export format '{fmt}' (formats: {', '.join(FORMATS)})")
    flat = flat_network(graph, measures)
    target = Path(path)
    if fmt == "graphml":
        atomic_write(target, lambda f: nx.write_graphml(flat, f, encoding="utf-8", prettyprint=True))
        return [target]
    if fmt == "gexf":
        _gexf_viz(graph, flat)
        atomic_write(target, lambda f: nx.write_gexf(flat, f, encoding="utf-8", prettyprint=True))
        return [target]
    # Gephi's spreadsheet import reads Id, Label and Source, Target, Type, Weight; the
    # lower-case columns before them stay for the scripts that read them already.
    nodes = [{"id": n, **d, "Id": n, "Label": d.get("label")} for n, d in flat.nodes(data=True)]
    edges = [
        {
            "source": u,
            "target": v,
            **d,
            "Source": u,
            "Target": v,
            "Type": "Undirected",
            "Weight": d.get("weight"),
        }
        for u, v, d in flat.edges(data=True)
    ]
    node_cols = ["id", "label", "kind", "category", "sector", "clusters", "Id", "Label"]
    edge_cols = ["source", "target", "relations", "weight", "Source", "Target", "Type", "Weight"]
    # Both files or neither: a failure never leaves new nodes beside old edges.
    return atomic_write_files(
        target, {"nodes.csv": _csv(nodes, node_cols), "edges.csv": _csv(edges, edge_cols)}
    )

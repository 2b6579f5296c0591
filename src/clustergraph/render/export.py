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
import time
from collections.abc import Callable, Iterator, Mapping
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


# GraphML, written as it goes: NetworkX's writer builds the whole document as an
# ElementTree first (at 200,000 entities, gigabytes). The bytes are the same as
# `nx.write_graphml(flat_network(G, measures), f, prettyprint=True)` writes
# (tests/test_exports.py compares them): keys named d0, d1, ... in the order the
# attributes first appear (graph, then nodes, then edges) and listed newest first.
_GRAPHML_HEAD = (
    b"<?xml version='1.0' encoding='utf-8'?>\n"
    b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
    b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    b' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
    b' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
_XML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _text(value: str) -> str:
    """XML character data, escaped as ElementTree escapes it."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def _attribute(value: str) -> str:
    """An XML attribute value, escaped as ElementTree escapes it."""
    value = _text(value)
    for raw, entity in (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        if raw in value:
            value = value.replace(raw, entity)
    return value


def write_graphml(
    graph: nx.Graph, f: IO[bytes], measures: Mapping[Any, Mapping[str, Any]] | None = None
) -> None:
    """Write the network (its measures merged into the nodes) as GraphML, one element at a time.

    The body goes to a temporary file while the attribute keys are found (GraphML lists
    them first), then the keys and the body are written to `f`.
    """
    import shutil
    import tempfile

    measures = measures or {}
    keys: dict[tuple[str, type, str], str] = {}

    def data(scope: str, attrs: Mapping[str, Any], indent: str) -> str:
        parts = []
        for name, value in attrs.items():
            kind = type(value)
            if kind not in _XML_TYPES:
                raise TypeError(f"GraphML does not support type {kind} as data values.")
            key = keys.setdefault((name, kind, scope), f"d{len(keys)}")
            text = str(value)
            if text:
                parts.append(f'{indent}<data key="{key}">{_text(text)}</data>')
            else:
                parts.append(f'{indent}<data key="{key}" />')
        return "".join(parts)

    graph_attrs = {k: _flat(v) for k, v in graph.graph.items() if _flat(v) is not None}
    graph_attrs = {k: v for k, v in graph_attrs.items() if k not in ("id", "node_default", "edge_default")}
    graph_id = _flat(graph.graph.get("id"))
    inner = data("graph", graph_attrs, "\n    ")  # keys in order of appearance: the graph's first
    with tempfile.TemporaryFile() as spool:
        body = io.TextIOWrapper(spool, encoding="utf-8", newline="\n")
        nodes = iter(graph.nodes(data=True))
        edges = iter(graph.edges(data=True))
        for n, d in nodes:
            attrs = data("node", _attrs(d, measures.get(n)), "\n      ")
            tag = f'\n    <node id="{_attribute(str(n))}"'
            body.write(f"{tag}>{attrs}\n    </node>" if attrs else f"{tag} />")
        for u, v, d in edges:
            attrs = data("edge", _attrs(d), "\n      ")
            tag = f'\n    <edge source="{_attribute(str(u))}" target="{_attribute(str(v))}"'
            body.write(f"{tag}>{attrs}\n    </edge>" if attrs else f"{tag} />")
        body.flush()
        f.write(_GRAPHML_HEAD)
        for (name, kind, scope), key in reversed(keys.items()):
            f.write(
                f'\n  <key id="{key}" for="{scope}" attr.name="{_attribute(name)}"'
                f' attr.type="{_XML_TYPES[kind]}" />'.encode()
            )
        opening = '\n  <graph edgedefault="undirected"'
        if graph_id is not None:
            opening += f' id="{_attribute(str(graph_id))}"'
        if not inner and not graph.number_of_nodes() and not graph.number_of_edges():
            f.write(f"{opening} />\n</graphml>\n".encode())
            return
        f.write(f"{opening}>".encode())
        spool.seek(0)
        shutil.copyfileobj(spool, f, 1 << 20)
        # the graph's own data comes after its nodes and edges, as NetworkX writes it
        f.write(f"{inner}\n  </graph>\n</graphml>\n".encode())


_GEXF_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<gexf xmlns:viz="http://www.gexf.net/1.2draft/viz" xmlns="http://www.gexf.net/1.2draft"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">'
    '\n  <meta lastmodifieddate="{date}">\n    <creator>{creator}</creator>\n  </meta>'
)
_GEXF_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
# Keys GEXF turns into elements or XML attributes of their own (time, hierarchy): a network
# carrying any of them is written by NetworkX's writer, which knows their rules.
_GEXF_NODE_KEYS = {"pid", "start", "end", "parents", "spells", "slices", "viz"}
_GEXF_EDGE_KEYS = {"type", "start", "end", "spells", "slices", "viz"}


def _gexf_unusual(graph: nx.Graph, measures: Mapping[Any, Mapping[str, Any]]) -> bool:
    """Whether the network uses a GEXF feature the streaming writer leaves to NetworkX."""
    for n, d in graph.nodes(data=True):
        if _GEXF_NODE_KEYS & d.keys() or _GEXF_NODE_KEYS & measures.get(n, {}).keys():
            return True
    return any(_GEXF_EDGE_KEYS & d.keys() for _, _, d in graph.edges(data=True))


def write_gexf(
    graph: nx.Graph, f: IO[bytes], measures: Mapping[Any, Mapping[str, Any]] | None = None
) -> None:
    """Write the network as GEXF 1.2 with the map's colours, sizes and positions, one element at a time.

    The document is what `nx.write_gexf` writes for `flat_network` plus the viz module (the
    same elements, attributes, ids and order), but the creator names clustergraph, and the
    whole document is never held in memory: the body goes to a temporary file while the
    attribute declarations (listed first) are found.
    """
    import shutil
    import tempfile

    from .. import __version__

    measures = measures or {}
    declared: dict[tuple[str, str], tuple[str, type]] = {}  # (class, title) -> (id, type)

    def attvalues(scope: str, attrs: Mapping[str, Any]) -> str:
        parts = []
        for title, value in attrs.items():
            kind = type(value)
            if kind not in _GEXF_TYPES:
                raise TypeError(f"attribute value type is not allowed: {kind}")
            found = declared.get((scope, title))
            if found is None:
                found = declared[(scope, title)] = (str(len(declared)), kind)
            if kind is bool:
                text = str(value).lower()
            else:
                text = str(value)
                if kind is float:
                    text = {"inf": "INF", "nan": "NaN", "-inf": "-INF"}.get(text, text)
            parts.append(f'\n          <attvalue for="{found[0]}" value="{_attribute(text)}" />')
        return f"\n        <attvalues>{''.join(parts)}\n        </attvalues>" if parts else ""

    pos = layout(graph)
    with tempfile.TemporaryFile() as spool:
        body = io.TextIOWrapper(spool, encoding="utf-8", newline="\n")
        body.write("\n    <nodes>" if graph.number_of_nodes() else "\n    <nodes />")
        for n, d in graph.nodes(data=True):
            attrs = _attrs(d, measures.get(n))
            label = str(attrs.pop("label", n))
            colour = KINDS.get(str(attrs.get("kind")), ("", "#999999"))[1].lstrip("#")
            r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
            size = 4.0 + 2.0 * float(graph.degree(n)) ** 0.5
            x, y = pos[n]
            body.write(
                f'\n      <node id="{_attribute(str(n))}" label="{_attribute(label)}">'
                f'\n        <viz:color r="{r}" g="{g}" b="{b}" a="1.0" />'
                f'\n        <viz:size value="{size}" />'
                # GEXF's y axis points up, the screen's down.
                f'\n        <viz:position x="{x}" y="{-y}" z="0.0" />'
                f"{attvalues('node', attrs)}\n      </node>"
            )
        if graph.number_of_nodes():
            body.write("\n    </nodes>")
        body.write("\n    <edges>" if graph.number_of_edges() else "\n    <edges />")
        for number, (u, v, d) in enumerate(graph.edges(data=True)):
            attrs = _attrs(d)
            extra = ""
            if "label" in attrs:
                extra += f' label="{_attribute(str(attrs.pop("label")))}"'
            if "weight" in attrs:
                extra += f' weight="{_attribute(str(attrs.pop("weight")))}"'
            ends = f'source="{_attribute(str(u))}" target="{_attribute(str(v))}"'
            tag = f'\n      <edge {ends} id="{number}"{extra}'
            values = attvalues("edge", attrs)
            body.write(f"{tag}>{values}\n      </edge>" if values else f"{tag} />")
        if graph.number_of_edges():
            body.write("\n    </edges>")
        body.flush()
        head = _GEXF_HEAD.format(date=time.strftime("%Y-%m-%d"), creator=f"clustergraph {__version__}")
        name = _flat(graph.graph.get("name")) or ""
        head += f'\n  <graph defaultedgetype="undirected" mode="static" name="{_attribute(str(name))}">'
        for scope in ("edge", "node"):  # NetworkX lists the class declared last first
            rows = [(i, t, k) for (c, t), (i, k) in declared.items() if c == scope]
            if rows:
                head += f'\n    <attributes mode="static" class="{scope}">'
                for i, title, kind in rows:
                    declaration = f'id="{i}" title="{_attribute(title)}" type="{_GEXF_TYPES[kind]}"'
                    head += f"\n      <attribute {declaration} />"
                head += "\n    </attributes>"
        f.write(head.encode())
        spool.seek(0)
        shutil.copyfileobj(spool, f, 1 << 20)
        f.write(b"\n  </graph>\n</gexf>\n")


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


def _csv(rows: Callable[[], Iterator[dict[str, Any]]], first: list[str]) -> Callable[[IO[bytes]], None]:
    """A writer of the rows `rows()` makes, columns `first` then the others A-Z.

    The rows are made twice (once for the columns, once to write) rather than held:
    at 200,000 entities a list of them would be the biggest thing in memory.
    """

    def write(f: IO[bytes]) -> None:
        seen: dict[str, None] = {}
        for r in rows():
            seen.update(dict.fromkeys(r))
        cols = [*first, *sorted(seen.keys() - set(first))]
        text = io.TextIOWrapper(f, encoding="utf-8", newline="")
        w = csv.DictWriter(text, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows({k: _guard(v) for k, v in r.items()} for r in rows())
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
    target = Path(path)
    measures = measures or {}
    if fmt == "graphml":
        atomic_write(target, lambda f: write_graphml(graph, f, measures))
        return [target]
    if fmt == "gexf":
        if not _gexf_unusual(graph, measures):
            atomic_write(target, lambda f: write_gexf(graph, f, measures))
        else:
            flat = flat_network(graph, measures)
            _gexf_viz(graph, flat)
            atomic_write(target, lambda f: nx.write_gexf(flat, f, encoding="utf-8", prettyprint=True))
        return [target]

    # Gephi's spreadsheet import reads Id, Label and Source, Target, Type, Weight; the
    # lower-case columns before them stay for the scripts that read them already.
    def nodes() -> Iterator[dict[str, Any]]:
        for n, d in graph.nodes(data=True):
            flat = _attrs(d, measures.get(n))
            yield {"id": n, **flat, "Id": n, "Label": flat.get("label")}

    def edges() -> Iterator[dict[str, Any]]:
        for u, v, d in graph.edges(data=True):
            flat = _attrs(d)
            yield {
                "source": u,
                "target": v,
                **flat,
                "Source": u,
                "Target": v,
                "Type": "Undirected",
                "Weight": flat.get("weight"),
            }

    node_cols = ["id", "label", "kind", "category", "sector", "clusters", "Id", "Label"]
    edge_cols = ["source", "target", "relations", "weight", "Source", "Target", "Type", "Weight"]
    # Both files or neither: a failure never leaves new nodes beside old edges.
    return atomic_write_files(
        target, {"nodes.csv": _csv(nodes, node_cols), "edges.csv": _csv(edges, edge_cols)}
    )

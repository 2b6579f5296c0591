"""`to_pyvis`: the map as a `pyvis.network.Network`, for an analyst in Jupyter.

The network carries our kinds (shape and color), sizes, positions and legend words,
so it looks like the map; the analyst then adjusts it as Pyvis documents
(`net.toggle_physics(True)`, `net.show_buttons()`, `net.show("map.html")`).
Tooltips are text only: a title string is shown as text by vis-network, and since
Pyvis switches to a tooltip that reads titles as HTML when one contains "href",
that word is broken up with an invisible word joiner in every title.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .legend import _OTHER_KIND, KINDS, MEASURES

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = ["to_pyvis"]

_JOINER = "\u2060"  # WORD JOINER: invisible, and "href" is no longer the word Pyvis looks for


def _text(value: str) -> str:
    return value.replace("href", "hre" + _JOINER + "f").replace("HREF", "HRE" + _JOINER + "F")


def _node_title(n: Mapping[str, Any], sources: list[Mapping[str, str]], clusters: Mapping[str, str]) -> str:
    lines = [str(n["label"]), KINDS.get(n["kind"], _OTHER_KIND)[0]]
    if n.get("status"):
        lines.append(f"Status: {n['status']}")
    if n.get("clusters"):
        lines.append("Clusters: " + ", ".join(clusters.get(c, c) for c in n["clusters"]))
    for key, value in (n.get("m") or {}).items():
        lines.append(f"{MEASURES.get(key, {'name': key})['name']}: {value}")
    if n.get("spof"):
        lines.append(f"Single point of failure: {n['spof']}")
    if n.get("sources"):
        lines.append("Sources: " + "; ".join(sources[i]["title"] for i in n["sources"]))
    return _text("\n".join(lines))


def to_pyvis(
    data: Any,
    *,
    relations: str | None = None,
    cluster: str | None = None,
    focus: str | None = None,
    depth: int = 1,
    size_by: str = "betweenness",
    highlight: str | None = None,
    since: Any = None,
    height: str = "750px",
    notebook: bool = True,
    cdn_resources: str = "in_line",
) -> Network:
    """A `pyvis.network.Network` of the map of `data` (an edition or what names one).

    Same selection, sizes and positions as `clustergraph map` (physics is off, so the
    layout holds; turn it on with ``net.toggle_physics(True)``). `cdn_resources`
    "in_line" keeps the page offline, as our own map is.

    >>> from clustergraph.render import to_pyvis
    >>> net = to_pyvis("graph", cluster="bioscience", notebook=False)
    >>> "la-biomed" in {n["id"] for n in net.nodes}
    True
    >>> next(n for n in net.nodes if n["id"] == "la-biomed")["color"]
    '#0072B2'
    """
    from pyvis.network import Network

    from . import _map_data

    payload = _map_data(
        data,
        relations=relations,
        cluster=cluster,
        focus=focus,
        depth=depth,
        size_by=size_by,
        highlight=highlight,
        since=since,
    )
    net = Network(height=height, notebook=notebook, cdn_resources=cdn_resources)
    clusters = {c["id"]: c["label"] for c in payload["clusters"]}
    for n in payload["nodes"]:
        label, colour, shape = KINDS.get(n["kind"], _OTHER_KIND)
        net.add_node(
            n["id"],
            label=_text(str(n["label"])),
            shape=shape,
            color=colour,
            x=n["x"],
            y=n["y"],
            value=n["value"],
            title=_node_title(n, payload["sources"], clusters),
            kind=label,
        )
    styles = {s["id"]: s for s in payload["styles"]}
    # Edges straight into the list Pyvis renders: its add_edge compares each new edge
    # with every earlier one, which is quadratic on a big network.
    for e in payload["edges"]:
        st = styles[e["style"]]
        edge: dict[str, Any] = {
            "from": e["from"],
            "to": e["to"],
            "color": st["colour"],
            "width": st["width"],
            "title": _text(e.get("words") or e["style"]),
        }
        if st.get("dashes"):
            edge["dashes"] = st["dashes"]
        net.edges.append(edge)
    net.toggle_physics(False)
    net.set_options(
        '{"nodes": {"scaling": {"min": 7, "max": 38}}, "edges": {"smooth": false},'
        ' "physics": {"enabled": false}, "interaction": {"hover": true}}'
    )
    return net

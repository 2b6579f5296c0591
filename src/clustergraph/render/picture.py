"""A static picture of the map (`map --format svg|png`): the same positions, kinds and marks.

The SVG is text made by a template (`templates/map.svg`, autoescaped like every page:
a name is text, never markup); the PNG is that SVG rasterized by cairosvg, a
well-kept converter on the Cairo library, so no code of ours draws pixels. Names
are written for the biggest dots and the marked ones, as the interactive map
names them first.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..errors import UsageError
from ..output import atomic_write
from .legend import _OTHER_KIND, KINDS, MARKS, RELATION_STYLES
from .templates import render

__all__ = ["map_svg", "write_picture"]

_MARGIN = 60.0
_MIN_R, _MAX_R = 7.0, 38.0  # as the interactive map scales dots
_NAMED = 25  # the biggest dots that get a name, besides marked and new ones


def _radius(value: float, lo: float, hi: float) -> float:
    if hi <= lo:
        return (_MIN_R + _MAX_R) / 2 if hi > 0 else _MIN_R
    return _MIN_R + (_MAX_R - _MIN_R) * (value - lo) / (hi - lo)


def _names(first: list[Mapping[str, Any]], radius: Mapping[str, float]) -> set[str]:
    """The names that fit, in order of importance: none covers another or a big dot (13 px text)."""
    placed: list[tuple[float, float, float, float]] = []
    discs = [(n["x"], n["y"], radius[n["id"]]) for n in first if radius[n["id"]] >= 12]
    out: set[str] = set()
    for n in first:
        if n["id"] in out:
            continue
        w, r = 7.2 * len(str(n["label"])), radius[n["id"]]
        box = (n["x"] - w / 2, n["y"] + r + 2, n["x"] + w / 2, n["y"] + r + 19)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        if any(
            (min(max(x, box[0]), box[2]) - x) ** 2 + (min(max(y, box[1]), box[3]) - y) ** 2 < rr * rr
            for x, y, rr in discs
            if (x, y) != (n["x"], n["y"])
        ):
            continue
        placed.append(box)
        out.add(n["id"])
    return out


def map_svg(data: Mapping[str, Any], title: str = "") -> str:
    """The map of `data` (from `map.map_data`) as an SVG document, at its own positions."""
    nodes = data["nodes"]
    if not nodes:
        raise UsageError("nothing to draw: the map has no nodes")
    values = [float(n.get("value") or 0) for n in nodes]
    lo, hi = min(values), max(values)
    xs, ys = [n["x"] for n in nodes], [n["y"] for n in nodes]
    # Room above for the title and on the right for the legend.
    left, top = min(xs) - _MARGIN, min(ys) - _MARGIN - 40
    width, height = max(xs) - min(xs) + 2 * _MARGIN + 240, max(ys) - min(ys) + 2 * _MARGIN + 60
    at = {n["id"]: n for n in nodes}
    order = sorted(nodes, key=lambda n: -float(n.get("value") or 0))
    first = [n for n in nodes if n.get("mark") or n.get("new")] + order[:_NAMED]
    first += [n for n in nodes if n["kind"] == "cluster"]
    styles = {s["id"]: s for s in data["styles"]}
    edges = []
    for e in data["edges"]:
        a, b = at.get(e["from"]), at.get(e["to"])
        if a is None or b is None or (e["style"] == "in-cluster" and len(nodes) > 1500):
            continue
        st = styles.get(e["style"]) or {"colour": RELATION_STYLES["other"][1], "width": 1, "dashes": False}
        colour = MARKS["new"]["colour"] if e.get("new") else st["colour"]
        dash = " ".join(str(d) for d in st["dashes"]) if st.get("dashes") else ""
        edges.append(
            {
                "x1": a["x"],
                "y1": a["y"],
                "x2": b["x"],
                "y2": b["y"],
                "colour": colour,
                "width": st["width"] + (1.5 if e.get("new") else 0),
                "dash": dash,
            }
        )
    radius = {n["id"]: _radius(v, lo, hi) for n, v in zip(nodes, values, strict=True)}
    named = _names(first, radius)
    dots = []
    for n in nodes:
        label, colour, shape = KINDS.get(n["kind"], _OTHER_KIND)
        r = radius[n["id"]]
        rings = [MARKS["new"]["colour"]] if n.get("new") else []
        if n.get("mark") in MARKS:
            rings.append(MARKS[n["mark"]]["colour"])
        dots.append(
            {
                "x": n["x"],
                "y": n["y"],
                "r": round(r, 1),
                "colour": colour,
                "shape": shape,
                "rings": [
                    (round(r * (1 if shape == "dot" else 1.45) + 3 + 4 * k, 1), c)
                    for k, c in enumerate(rings)
                ],
                "label": n["label"] if n["id"] in named else "",
                "kind": label,
            }
        )
    # Big dots last, so they are on top; names after every dot.
    dots.sort(key=lambda d: d["r"])
    return render(
        "map.svg",
        title=title,
        box=f"{left:.0f} {top:.0f} {width:.0f} {height:.0f}",
        left=left,
        top=top,
        width=width,
        height=height,
        legend_x=left + width - 220,
        edges=edges,
        dots=dots,
        legend=[{"label": k["label"], "colour": k["colour"]} for k in data["kinds"]],
    )


def write_picture(data: Mapping[str, Any], output: str | os.PathLike[str], fmt: str, title: str = "") -> int:
    """Write the map as SVG or PNG (`fmt`); returns the bytes written. Nothing is left half-written."""
    svg = map_svg(data, title).encode("utf-8")
    if fmt == "svg":
        body = svg
    elif fmt == "png":
        try:
            import cairosvg
        except (ImportError, OSError) as exc:  # the Cairo library itself may be missing
            raise UsageError(
                f"cannot write PNG: cairosvg or the Cairo library is missing ({exc}); "
                "install cairosvg (and libcairo2), or write SVG"
            ) from exc
        body = cairosvg.svg2png(bytestring=svg, output_width=None, scale=1.5)
    else:
        raise UsageError(f"`fmt` must be svg or png, not '{fmt}'", param="fmt")
    atomic_write(output, lambda f: f.write(body))
    return len(body)

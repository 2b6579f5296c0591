"""Where each entity sits on the map: a seeded layout that stays put between editions.

`layout` draws a network from scratch (Fruchterman-Reingold, seeded, in id order, so
the same data gives the same picture whatever order it was read in). `layout(...,
keep=previous)` starts from an earlier edition's positions: every entity that was
there keeps its place and only what is new is placed, next to its partners, so two
editions can be compared by eye. The static picture (`map --format svg|png`), the
GEXF export and the interactive map all take their positions from here.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import random
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["layout", "pack_discs"]

_SPACING = 130.0  # px; a drawing (or a packed part) of n nodes is about _SPACING * sqrt(n) wide
_GAP = 120.0  # px between packed components
_LONE = 190.0  # px of row an unlinked entity takes, so its label has room
_PACK_FROM = 1000  # nodes: from this size on, components are laid out apart and packed
_NEAR = 0.75 * _SPACING  # px from its partners' centre at which a new entity is placed


def _fr(g: Any) -> list[tuple[float, float]]:
    if g.vcount() == 1:
        return [(0.0, 0.0)]
    if g.vcount() == 2:
        return [(0.0, 0.0), (1.0, 0.0)]
    return [(x, y) for x, y in g.layout_fruchterman_reingold(niter=500, grid="auto").coords]


def _scaled(coords: list[tuple[float, float]], scale: float) -> list[tuple[float, float]]:
    return [(x * scale, y * scale) for x, y in coords]


def _box(coords: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _ in coords], [y for _, y in coords]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def _ordered(graph: nx.Graph) -> tuple[list[Any], list[tuple[int, int]]]:
    """Nodes in id order and edges as sorted index pairs: the layout never depends on read order."""
    nodes = sorted(graph, key=str)
    index = {v: i for i, v in enumerate(nodes)}
    edges = sorted({tuple(sorted((index[u], index[v]))) for u, v in graph.edges() if u != v})
    return nodes, edges  # type: ignore[return-value]


def layout(
    graph: nx.Graph, seed: int = 0, keep: Mapping[Any, tuple[float, float]] | None = None
) -> dict[Any, tuple[int, int]]:
    """Node positions in screen pixels from a seeded Fruchterman-Reingold layout.

    igraph's C layout takes about a second for 5,000 nodes where NetworkX's
    `spring_layout` takes a minute (docs/performance.md). A network under 1,000 nodes
    is laid out whole, its width growing with the square root of the node count. A
    bigger one is laid out part by part (connected components, each sized by the same
    rule) and packed: the largest on top, the others in rows beneath; laid out
    together, its unlinked entities would drift far off and squeeze the network into
    a dot. The same network and seed give the same picture.

    `keep` (positions from an earlier edition's map): every node found there keeps
    its position; the others are placed near the partners already placed, and what
    has no placed partner at all is laid out on its own and set in a band beneath.

    >>> import networkx as nx
    >>> old = layout(nx.path_graph(["a", "b", "c"]))
    >>> new = layout(nx.path_graph(["a", "b", "c", "d"]), keep=old)
    >>> all(new[n] == old[n] for n in old)
    True
    """
    if keep:
        return _extend(graph, seed, keep)
    return _fresh(graph, seed)


def _fresh(graph: nx.Graph, seed: int) -> dict[Any, tuple[int, int]]:
    import igraph as ig

    nodes, edge_list = _ordered(graph)
    if not nodes:
        return {}
    g = ig.Graph(n=len(nodes), edges=edge_list)
    # igraph draws its random start from the generator set here; a private seeded
    # one makes the picture repeatable without touching the `random` module's state.
    ig.set_random_number_generator(random.Random(seed))
    try:
        if len(nodes) < _PACK_FROM:
            coords = _fr(g)
            _, _, w, h = _box(coords)
            # vis-network never zooms in past 1:1 when it fits the view, so a small
            # network is spread to at least 900 px or it would sit small on the page.
            size = max(_SPACING * len(nodes) ** 0.5, 900.0)
            drawn = [(list(range(len(nodes))), _scaled(coords, size / (max(w, h) or 1.0)))]
        else:
            drawn = []
            for part in sorted(g.connected_components(), key=lambda c: (-len(c), c[0])):
                coords = _fr(g.induced_subgraph(part))
                _, _, w, h = _box(coords)
                drawn.append((part, _scaled(coords, _SPACING * len(part) ** 0.5 / (max(w, h) or 1.0))))
    finally:
        ig.set_random_number_generator(random)
    # Rows at least as wide as the main part and as the screen's shape asks, so the
    # small parts fill a band beneath it rather than a tall column.
    _, _, main_w, main_h = _box(drawn[0][1])
    width = max(900.0, main_w, 1.6 * main_h)
    pos: dict[Any, tuple[int, int]] = {}
    x = y = row_height = 0.0
    for k, (part, coords) in enumerate(drawn):
        left, top, w, h = _box(coords)
        if k == 0:
            x0, y0, y = width / 2 - w / 2, 0.0, h + 2 * _GAP
        else:
            w = max(w, _LONE - _GAP)
            if x > 0 and x + w > width:
                x, y, row_height = 0.0, y + row_height + _GAP, 0.0
            x0, y0 = x, y
            x, row_height = x + w + _GAP, max(row_height, h)
        for v, (cx, cy) in zip(part, coords, strict=True):
            # Whole pixels: vis-network keeps positions as integers anyway.
            pos[nodes[v]] = (round(x0 + cx - left), round(y0 + cy - top))
    return pos


def _angle(node: Any, seed: int) -> float:
    """A direction for a new node that depends only on its id and the seed (not on hash seeds)."""
    digest = hashlib.blake2b(f"{seed}:{node}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") / 2**32 * 2 * math.pi


def _extend(
    graph: nx.Graph, seed: int, keep: Mapping[Any, tuple[float, float]]
) -> dict[Any, tuple[int, int]]:
    nodes, _ = _ordered(graph)
    pos: dict[Any, tuple[float, float]] = {n: tuple(keep[n]) for n in nodes if n in keep}  # type: ignore[misc]
    if not pos:
        return _fresh(graph, seed)
    todo = [n for n in nodes if n not in pos]
    taken = list(pos.values())
    # Rounds: a new node next to partners already placed goes near their centre, on the
    # side (of 12 tried from its own direction) farthest from anything there; a new node
    # whose partners are all new waits for a later round.
    while todo:
        later = []
        for n in todo:
            near = [pos[m] for m in graph[n] if m in pos and m != n]
            if not near:
                later.append(n)
                continue
            cx = sum(p[0] for p in near) / len(near)
            cy = sum(p[1] for p in near) / len(near)
            start = _angle(n, seed)
            best, room = (cx, cy), -1.0
            for k in range(12):
                a = start + k * math.pi / 6
                p = (cx + _NEAR * math.cos(a), cy + _NEAR * math.sin(a))
                gap = min(((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 for q in taken), default=math.inf)
                if gap > room:
                    best, room = p, gap
            pos[n] = best
            taken.append(best)
        if len(later) == len(todo):
            break
        todo = later
    if todo:
        # Entities with no partner in the earlier drawing: laid out among themselves and
        # set in a band beneath it, so nothing that was there moves.
        rest = _fresh(graph.subgraph(todo), seed)
        left, _, _, _ = _box(list(pos.values()))
        bottom = max(p[1] for p in pos.values()) + 2 * _GAP
        r_left, r_top, _, _ = _box([(float(x), float(y)) for x, y in rest.values()])
        for n, (x, y) in rest.items():
            pos[n] = (left + x - r_left, bottom + y - r_top)
    return {n: (round(x), round(y)) for n, (x, y) in pos.items()}


def pack_discs(
    radii: list[float], links: Mapping[tuple[int, int], float], seed: int = 0, pad: float = 40.0
) -> list[tuple[int, int]]:
    """Centres for discs of `radii` that never overlap, linked discs near each other.

    The overview's groups: a seeded Fruchterman-Reingold layout of the discs by their
    `links` ((i, j) -> weight) says where each disc would like to be; the discs are then
    placed largest first, each at the free point nearest that wish (a sunflower search
    outwards), at least `pad` px plus a twentieth of its radius from every disc placed.
    The same radii, links and seed give the same picture.

    >>> radii = [100.0, 100.0, 10.0]
    >>> pos = pack_discs(radii, {(0, 1): 1.0})
    >>> all(math.dist(pos[i], pos[j]) >= radii[i] + radii[j] for i in range(3) for j in range(i))
    True
    """
    import igraph as ig

    n = len(radii)
    if n == 0:
        return []
    if n == 1:
        return [(0, 0)]
    pairs = sorted((min(a, b), max(a, b)) for a, b in links if a != b)
    g = ig.Graph(n=n, edges=pairs)
    weights = [1.0 + math.log1p(links.get(p, links.get((p[1], p[0]), 1.0))) for p in pairs]
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = g.layout_fruchterman_reingold(niter=500, weights=weights or None).coords
    finally:
        ig.set_random_number_generator(random)
    left, top, w, h = _box([(x, y) for x, y in coords])
    # The wishes spread over about the area the discs need, so few have to move far.
    side = 1.3 * math.sqrt(sum(math.pi * r * r for r in radii))
    scale = side / (max(w, h) or 1.0)
    wish = [((x - left - w / 2) * scale, (y - top - h / 2) * scale) for x, y in coords]
    # A disc with no links would drift off to the rim of the layout and squeeze the rest
    # into a corner of the screen: it wishes for the middle, so it lands at the edge of the
    # packed discs instead.
    linked = {end for pair in pairs for end in pair}
    wish = [p if i in linked else (0.0, 0.0) for i, p in enumerate(wish)]
    cell = 2.0 * sorted(radii)[n // 2] + 2 * pad
    grid: dict[tuple[int, int], list[int]] = {}
    placed: dict[int, tuple[float, float]] = {}
    golden = math.pi * (3 - math.sqrt(5))

    def cells(x: float, y: float, r: float) -> Iterator[tuple[int, int]]:
        for cx in range(math.floor((x - r) / cell), math.floor((x + r) / cell) + 1):
            for cy in range(math.floor((y - r) / cell), math.floor((y + r) / cell) + 1):
                yield cx, cy

    def blocker(x: float, y: float, r: float) -> int:
        """A placed disc that a disc of radius r at (x, y) would come too close to, or -1."""
        reach = r + pad
        get = grid.get
        for cx in range(math.floor((x - reach) / cell), math.floor((x + reach) / cell) + 1):
            for cy in range(math.floor((y - reach) / cell), math.floor((y + reach) / cell) + 1):
                for j in get((cx, cy), ()):
                    px, py = placed[j]
                    q = radii[j]
                    room = r + q + pad + 0.05 * (r if r > q else q)
                    if (x - px) ** 2 + (y - py) ** 2 < room * room:
                        return j
        return -1

    def gap(r: float, q: float) -> float:
        return r + q + pad + 0.05 * max(r, q) + 1.0

    def beside(x0: float, y0: float, r: float, turn0: float) -> tuple[float, float] | None:
        """The free point nearest (x0, y0) touching one of the placed discs nearest it, if any."""
        # The placed discs nearest the wish: from the grid cells around it, widening
        # until a dozen are found (or every disc is in reach).
        reach, pool = cell, set()
        while (2 * reach / cell) ** 2 < len(placed):  # past that, looking at every disc is cheaper
            pool = {j for c in cells(x0, y0, reach) for j in grid.get(c, ())}
            if len(pool) >= 12:
                break
            reach *= 2
        if len(pool) < 12:
            pool = set(placed)
        near = heapq.nsmallest(
            12, sorted(pool), key=lambda j: math.hypot(placed[j][0] - x0, placed[j][1] - y0) - radii[j]
        )
        tries = []
        for j in near:
            px, py = placed[j]
            toward = math.atan2(y0 - py, x0 - px) if (x0, y0) != (px, py) else turn0
            reach = gap(r, radii[j])
            for turn in (0.0, 0.6, -0.6, 1.3, -1.3, 2.2, -2.2):
                tries.append((px + reach * math.cos(toward + turn), py + reach * math.sin(toward + turn)))
        tries.sort(key=lambda p: ((p[0] - x0) ** 2 + (p[1] - y0) ** 2, p))
        return next((p for p in tries if blocker(p[0], p[1], r) < 0), None)

    def along(x: float, y: float, r: float, ux: float, uy: float) -> tuple[float, float]:
        """The first free point from (x, y) along (ux, uy), hopping past each disc in the way."""
        while (j := blocker(x, y, r)) >= 0:
            px, py = placed[j]
            q = radii[j]
            room = r + q + pad + 0.05 * max(r, q) + 1.0
            # Where the line leaves the circle of `room` around disc j (the far root).
            bx, by = x - px, y - py
            half = bx * ux + by * uy
            t = -half + math.sqrt(max(half * half - (bx * bx + by * by - room * room), 0.0))
            x, y = x + ux * (t + 1.0), y + uy * (t + 1.0)
        return x, y

    # Largest first, each at its wish or at the free point nearest it beside a placed disc
    # near the wish; where the wish is hemmed in all round, outwards from the middle along
    # the line through it, to the first free point.
    for i in sorted(range(n), key=lambda i: (-radii[i], i)):
        r, (x0, y0) = radii[i], wish[i]
        spot = (x0, y0) if blocker(x0, y0, r) < 0 else beside(x0, y0, r, i * golden)
        if spot is None:
            d = math.hypot(x0, y0)
            ux, uy = (x0 / d, y0 / d) if d > 1e-9 else (math.cos(i * golden), math.sin(i * golden))
            spot = along(x0, y0, r, ux, uy)
        placed[i] = spot
        for c in cells(spot[0], spot[1], r + pad):
            grid.setdefault(c, []).append(i)
    # Centred, and turned so that its long side lies across the screen (a turn moves no
    # disc closer to another).
    weight = [r * r for r in radii]
    total = sum(weight)
    cx = sum(placed[i][0] * weight[i] for i in range(n)) / total
    cy = sum(placed[i][1] * weight[i] for i in range(n)) / total
    sxx = sum(weight[i] * (placed[i][0] - cx) ** 2 for i in range(n))
    syy = sum(weight[i] * (placed[i][1] - cy) ** 2 for i in range(n))
    sxy = sum(weight[i] * (placed[i][0] - cx) * (placed[i][1] - cy) for i in range(n))
    turn = -0.5 * math.atan2(2 * sxy, sxx - syy)
    c, s = math.cos(turn), math.sin(turn)
    out = []
    for i in range(n):
        x, y = placed[i][0] - cx, placed[i][1] - cy
        out.append((round(x * c - y * s), round(x * s + y * c)))
    return out

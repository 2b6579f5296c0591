"""The interactive network map: one self-contained HTML file a director opens from disk.

The picture is drawn by vis-network, the library Pyvis wraps, inlined from the copy
that ships inside the pyvis package. We do not use Pyvis's own page template: it
links Bootstrap from a CDN, its filter menu makes nodes vanish, its link tooltips
are built with innerHTML, and its `add_edge` checks every earlier edge (quadratic
at 5,000 nodes). Our page is small: data as escaped JSON, our own script for the
legend, search, filters and tooltips (text only, never markup), and positions
computed here with a seeded layout so the browser never runs physics.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ..concepts import check_cluster, known_clusters
from ..errors import UsageError, did_you_mean
from ._html import built_at, safe_url
from .layout import layout, pack_discs
from .legend import (
    _OTHER_KIND,
    _POLICY,
    _SHOWN,
    _STRUCTURE,
    KINDS,
    MARKS,
    MEASURES,
    RELATION_STYLES,
    SIZE_MEANINGS,
    SIZE_MEASURES,
    category_words,
    relation_words,
    relations_preset_words,
    relations_words,
)
from .templates import render

if TYPE_CHECKING:
    import networkx as nx

# `map --color`: what gives a node its colour. Communities, sectors and clusters take
# colours from PALETTE in order (Okabe-Ito first, then Tol's muted scheme); a node in
# none of the first len(PALETTE) groups, or in no group, is NO_GROUP grey.
COLOR_BY = ("kind", "community", "sector", "cluster")
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
    "#332288", "#117733", "#882255", "#44AA99", "#999933", "#AA4499",
)  # fmt: skip
NO_GROUP = "#BBBBBB"
SECTOR_LABELS: dict[str, str] = {
    "industry": "Industry",
    "education": "Education and research",
    "workforce": "Workforce",
    "government": "Government",
    "civic": "Civic and intermediary",
}


def relation_style(relations: Sequence[str]) -> str:
    """The legend key of an edge that merges `relations`: the most telling one wins.

    A partnership outranks an initiative role, which outranks a policy role, an
    organisational tie (operator, member of, ...) and, last, cluster membership.
    """
    return _relation_style(tuple(relations))


@cache
def _relation_style(relations: tuple[str, ...]) -> str:
    # A few dozen distinct combinations recur over every link of a big network.
    families = {r.lower().split(":", 1)[0] for r in relations}
    if "partnership" in families:
        return "partnership"
    if any(f.startswith("initiative") or f in ("lead", "partner") for f in families):
        return "initiative"
    if any(w in f for f in families for w in _POLICY):
        return "policy"
    if any(w in f for f in families for w in _STRUCTURE):
        return "structure"
    if families & {"in-cluster", "broader", "cluster"}:
        return "in-cluster"
    return "other"


def select(graph: nx.Graph, cluster: str | None = None, focus: str | None = None, depth: int = 1) -> nx.Graph:
    """The part of the network a map shows.

    `cluster`: the cluster's ecosystem as `network.in_cluster` defines it (entities
    tagged with it, members of its partnerships and their direct partners) and the
    cluster node itself. `focus` with `depth`: the nodes within `depth` links of one
    node (its ego network). Unknown ids raise UsageError with a did-you-mean hint.
    """
    import networkx as nx

    from ..network import in_cluster

    g = graph
    if cluster is not None:
        known = known_clusters(graph.graph.get("clusters"))
        known |= {str(n): str(n) for n, d in g.nodes(data=True) if d.get("kind") == "cluster"}
        check_cluster(cluster, known)
        keep = in_cluster(g, cluster) | ({cluster} & set(g))
        g = _part(g, keep)
    if focus is not None:
        if focus not in g:
            hint = did_you_mean(focus, [str(n) for n in g])
            raise UsageError(f"no node '{focus}' to focus on" + (f" ({hint})" if hint else ""))
        if depth < 0:
            raise UsageError("`depth` must be 0 or more", param="depth")
        g = _part(g, set(nx.single_source_shortest_path_length(g, focus, cutoff=depth)))
    return g


def _part(graph: nx.Graph, keep: set[Any]) -> nx.Graph:
    """The subgraph on `keep`, its nodes and edges in the graph's own order.

    A NetworkX subgraph view iterates a node set, whose order depends on the
    interpreter's hash seed: the same data would give a different page each run.
    """
    import networkx as nx

    part = nx.Graph()
    part.graph.update(graph.graph)
    part.add_nodes_from((n, d) for n, d in graph.nodes(data=True) if n in keep)
    part.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u in keep and v in keep)
    return part


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4) if math.isfinite(value) else None
    return value


class _Sources:
    """One table of sources for the page; nodes and edges cite them by index.

    A source is typically cited by many entities and links, so the table keeps the
    page a fraction of the size it would have with the sources written out each time.
    """

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []
        self._index: dict[tuple[str, str], int] = {}

    def cite(self, items: Iterable[Any] | None) -> list[int]:
        """Indexes of `items` ({id, title, url} or plain titles); a URL that is not http(s) is dropped."""
        out = []
        for s in items or ():
            if isinstance(s, Mapping):
                title, url = str(s.get("title") or s.get("id") or ""), safe_url(s.get("url")) or ""
            else:
                title, url = str(s), ""
            key = (title, url)
            if key not in self._index:
                self._index[key] = len(self.rows)
                self.rows.append({"title": title, "url": url} if url else {"title": title})
            out.append(self._index[key])
        return out


# Drawing order of edges: vis-network paints later edges over earlier ones, so faint
# cluster spokes go first and suggested partnerships last, on top.
_EDGE_ORDER = {"in-cluster": 0, "other": 1, "structure": 2, "policy": 3, "initiative": 4, "partnership": 5}


def _text_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def cluster_labels(graph: nx.Graph) -> dict[str, str]:
    """Every cluster the network knows (from `project`'s graph attribute and cluster nodes), id -> label."""
    labels = {str(k): str(v) for k, v in (graph.graph.get("clusters") or {}).items()}
    for n, d in graph.nodes(data=True):
        if d.get("kind") == "cluster":
            labels[str(n)] = str(d.get("label") or n)
    return labels


def _isolation(graph: nx.Graph, row: Any) -> str:
    """Why a node is ringed as a gap, in words."""
    if not isinstance(row, Mapping):
        return "isolated: no partnership links"
    if row.get("why"):
        return str(row["why"])
    broker = row.get("broker")
    if row.get("status") == "peripheral" and broker in graph:
        return f"peripheral: reaches the network only through {graph.nodes[broker].get('label') or broker}"
    return f"{row.get('status') or 'isolated'}: no partnership links"


@dataclass(frozen=True)
class Since:
    """The previous edition's network, to tell what is new in this one."""

    label: str
    nodes: frozenset[Any]
    links: frozenset[frozenset[Any]]
    positions: Mapping[Any, tuple[int, int]] | None = None

    @classmethod
    def of(cls, label: str, previous: nx.Graph, seed: int = 0) -> Since:
        """What `previous` holds, and where its map placed each entity (so the new map keeps it)."""
        links = frozenset(frozenset(e) for e in previous.edges)
        return cls(label, frozenset(previous), links, layout(previous, seed))

    def is_new(self, node: Any) -> bool:
        return node not in self.nodes

    def is_new_link(self, u: Any, v: Any) -> bool:
        return frozenset((u, v)) not in self.links


def map_data(
    graph: nx.Graph,
    *,
    measures: Mapping[Any, Mapping[str, Any]] | None = None,
    size_by: str = "betweenness",
    highlight: str | None = None,
    gaps: Mapping[str, Any] | None = None,
    connectors: Sequence[Mapping[str, Any]] | None = None,
    seed: int = 0,
    since: Since | None = None,
    communities: Mapping[Any, int] | None = None,
    color: str = "kind",
    years: tuple[Mapping[Any, int | None], Mapping[tuple[Any, Any], int | None]] | None = None,
    positions: Mapping[Any, tuple[int, int]] | None = None,
    aliases: Mapping[Any, Sequence[str]] | None = None,
    failures: Mapping[Any, str] | None = None,
    relations: str | None = None,
    page: str = "map",
    place: bool = True,
) -> dict[str, Any]:
    """Everything the page's script draws, as plain JSON-able data.

    `communities` (entity -> community number, from `network.communities`) gives
    each node a ``community``; `color` says what colors the nodes (`COLOR_BY`),
    and ``groups`` holds the legend of every coloring; `years` (from
    `network.dated.first_years`) gives nodes and links the year they first stand
    in the network (``year``; none when undated), for the page's year slider.
    `positions` (node -> x, y) places the nodes it holds where a bigger network
    had them (the network on a date keeps the whole network's picture).

    With `since` (what the previous edition's network held, and where its map put
    each entity), every entity that was there keeps its position, and what is new is
    placed near its partners and ringed in a color no kind uses.

    `aliases` (id -> other names) lets the search find "Lundquist"; `failures` (id ->
    why, from `network.single_points_of_failure`) badges the real single points of
    failure; `relations` (the preset the network was projected with) is stated on
    the page; `page` is "map", "embed" (no header or sidebar, for an iframe) or
    "report" (the map inside the report: no URL state). `place=False` leaves the
    layout out (every node at 0, 0): the overview (`overview_data`) places its groups
    itself, and laying out 50,000 nodes it never draws took half its time.

    `measures` maps node id to a connectors() row; `connectors` (the top rows) are
    ringed when `highlight` is "connectors"; the `suggestions` and `isolated` of
    `gaps` are drawn (dashed, ringed) when `highlight` is "gaps".
    """
    if highlight not in (None, "gaps", "connectors"):
        raise UsageError(f"`highlight` must be gaps or connectors, not '{highlight}'", param="highlight")
    if color not in COLOR_BY:
        raise UsageError(f"`color` must be one of {', '.join(COLOR_BY)}, not '{color}'", param="color")
    if size_by not in SIZE_MEASURES:
        hint = did_you_mean(size_by, SIZE_MEASURES)
        raise UsageError(
            f"cannot size by '{size_by}': choose one of {', '.join(SIZE_MEASURES)}"
            + (f" ({hint})" if hint else "")
        )
    if page not in ("map", "embed", "report"):
        raise UsageError(f"page must be map, embed or report, not '{page}'")
    measures = measures or {}
    aliases = aliases or {}
    failures = failures or {}
    if not place:
        pos: Mapping[Any, tuple[int, int]] = {}
    elif positions is not None and all(v in positions for v in graph):
        pos = dict(positions)
    else:
        pos = layout(graph, seed, keep=since.positions if since is not None else None)
    marks: dict[Any, dict[str, str]] = {}
    if highlight == "connectors":
        for rank, row in enumerate(connectors or (), 1):
            if row.get("id") in graph:
                marks[row["id"]] = {
                    "mark": "connector",
                    "why": f"#{rank} connector: {row.get('why') or ''}".strip(),
                }
    suggested: list[tuple[Any, Any, str]] = []
    if highlight == "gaps" and gaps:
        for row in gaps.get("isolated") or ():
            nid = row.get("id") if isinstance(row, Mapping) else row
            if nid in graph:
                marks[nid] = {"mark": "gap", "why": _isolation(graph, row)}
        for row in gaps.get("suggestions") or ():
            if row["a"] in graph and row["b"] in graph:
                suggested.append((row["a"], row["b"], str(row.get("why") or "")))

    from ..network.views import cluster_members

    labels = cluster_labels(graph)
    cluster_ids = set(labels)
    for _, d in graph.nodes(data=True):
        cluster_ids.update(_text_list(d.get("clusters")))
    # The cluster filter shows what `--cluster` would: the cluster's ecosystem
    # (`in_cluster`), every cluster's from one pass (one call per cluster was
    # quadratic in clusters: 84 s at 20,000 entities and 80 clusters).
    members = cluster_members(graph)
    serves: dict[Any, list[str]] = {}
    for c in sorted(cluster_ids):
        for nid in members.get(c, set()) | ({c} & set(graph)):
            serves.setdefault(nid, []).append(c)
    kinds: Counter[str] = Counter()
    clusters: Counter[str] = Counter()
    sources = _Sources()
    nodes = []
    for nid, d in graph.nodes(data=True):
        kind = str(d.get("kind") or "other")
        kinds[kind] += 1
        node_clusters = _text_list(d.get("clusters"))
        clusters.update(serves.get(nid, ()))
        row = measures.get(nid) or {}
        m = {k: _round(row[k]) for k in _SHOWN if row.get(k) is not None}
        if "degree" not in m:
            m["degree"] = graph.degree(nid)
        x, y = pos.get(nid, (0, 0))
        node: dict[str, Any] = {
            "id": str(nid),
            "label": str(d.get("label") or nid),
            "kind": kind,
            "clusters": node_clusters,
            "serves": serves.get(nid, []),
            "x": x,
            "y": y,
            "value": m.get(size_by) or 0,
            "m": m,
            "sources": sources.cite(d.get("sources")),
        }
        for key in ("category", "sector", "city", "status"):
            if d.get(key):
                node[key] = str(d[key])
        if aliases.get(nid):
            node["aliases"] = [str(a) for a in aliases[nid]]
        if d.get("disputed"):
            node["disputed"] = [
                {
                    "field": str(x.get("field") or ""),
                    "value": _text(x.get("value")),
                    "sources": [str(s) for s in x.get("sources") or ()],
                    "note": str(x.get("note") or ""),
                }
                for x in d["disputed"]
                if isinstance(x, Mapping)
            ]
        if d.get("value_chain"):
            node["value_chain"] = _text_list(d["value_chain"])
        if row.get("why"):
            node["why"] = str(row["why"])
        if nid in failures:
            node["spof"] = str(failures[nid])
        node.update(marks.get(nid, {}))
        if since is not None and since.is_new(nid):
            node["new"] = True
        if communities is not None and nid in communities:
            node["community"] = communities[nid]
        if years is not None and years[0].get(nid) is not None:
            node["year"] = years[0][nid]
        nodes.append(node)

    styles: Counter[str] = Counter()
    edges = []
    for u, v, d in graph.edges(data=True):
        rels = _text_list(d.get("relations"))
        style = relation_style(rels)
        styles[style] += 1
        edge: dict[str, Any] = {
            "from": str(u),
            "to": str(v),
            "style": style,
            "rel": rels,
            "words": relations_words(rels),
        }
        for key in ("since", "until"):
            if d.get(key):
                edge[key] = str(d[key])
        if d.get("weight") not in (None, 1):
            edge["weight"] = _round(d["weight"])
        if d.get("sources"):
            edge["sources"] = sources.cite(d["sources"])
        if since is not None and since.is_new_link(u, v):
            edge["new"] = True
        if years is not None:
            first = years[1].get((u, v), years[1].get((v, u)))
            if first is not None:
                edge["year"] = first
        edges.append(edge)
    for u, v, why in suggested:
        styles["suggested"] += 1
        edges.append(
            {
                "from": str(u),
                "to": str(v),
                "style": "suggested",
                "rel": ["suggested"],
                "words": relation_words("suggested"),
                "why": why,
            }
        )
    edges.sort(key=lambda e: _EDGE_ORDER.get(e["style"], 9))  # stable: same data, same page

    cluster_list = sorted((c for c in clusters if clusters[c]), key=lambda c: labels.get(c, c).lower())
    position = {c: i for i, c in enumerate(cluster_list)}
    for node in nodes:
        node["serves"] = [position[c] for c in node["serves"]]

    categories = sorted({str(d.get("category")) for _, d in graph.nodes(data=True) if d.get("category")})
    return {
        "page": page,
        "sizeBy": size_by,
        "highlight": highlight,
        "relations": relations or "all",
        "since": since.label if since is not None else None,
        "kinds": [
            {
                "id": k,
                "label": KINDS.get(k, _OTHER_KIND)[0],
                "colour": KINDS.get(k, _OTHER_KIND)[1],
                "shape": KINDS.get(k, _OTHER_KIND)[2],
                "count": kinds[k],
            }
            for k in [*KINDS, *sorted(set(kinds) - set(KINDS))]
            if kinds[k]
        ],
        # A node's "serves" holds positions in this list (the cluster filter's options).
        "clusters": [{"id": c, "label": labels.get(c, c), "count": clusters[c]} for c in cluster_list],
        "sources": sources.rows,
        "styles": [
            {
                "id": s,
                "label": RELATION_STYLES[s][0],
                "colour": RELATION_STYLES[s][1],
                "dashes": RELATION_STYLES[s][2],
                "width": RELATION_STYLES[s][3],
                "count": styles[s],
            }
            for s in RELATION_STYLES
            if styles[s]
        ],
        "color": color,
        "groups": colour_groups(nodes, labels),
        "noGroup": NO_GROUP,
        "years": sorted({y for x in (*nodes, *edges) if (y := x.get("year")) is not None}),
        "marks": MARKS,
        "measures": MEASURES,
        "categories": {c: category_words(c) for c in categories},
        "sizeMeanings": SIZE_MEANINGS,
        "nodes": nodes,
        "edges": edges,
    }


def colour_groups(
    nodes: Sequence[Mapping[str, Any]], labels: Mapping[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """The legend of each `map --color` choice: its groups, largest first, each with a colour and count.

    A node's group: its ``community`` number (communities come numbered largest
    first), its ``sector`` (in `SECTOR_LABELS` order) or its first cluster (by
    id), so a group keeps its colour from one edition to the next as far as it
    can. Groups past the length of `PALETTE` share `NO_GROUP` grey.

    >>> nodes = [{"sector": "industry", "clusters": ["aero"], "community": 1}]
    >>> colour_groups(nodes, {"aero": "Aerospace"})["cluster"]
    [{'id': 'aero', 'label': 'Aerospace', 'colour': '#0072B2', 'count': 1}]
    """
    keys = {
        "community": lambda n: n.get("community"),
        "sector": lambda n: n.get("sector"),
        "cluster": lambda n: (n.get("clusters") or [None])[0],
    }
    names = {
        "community": lambda g: f"Community {g}",
        "sector": lambda g: SECTOR_LABELS.get(str(g), str(g)),
        "cluster": lambda g: labels.get(str(g), str(g)),
    }
    out: dict[str, list[dict[str, Any]]] = {}
    for by, key in keys.items():
        counts = Counter(g for n in nodes if (g := key(n)) is not None)
        # Fixed orders, so a sector or a cluster keeps its colour from one edition to the next.
        if by == "sector":
            order = sorted(
                counts, key=lambda g: (list(SECTOR_LABELS).index(g) if g in SECTOR_LABELS else 99, g)
            )
        else:
            order = sorted(counts, key=lambda g: (g if by == "community" else 0, str(g)))
        out[by] = [
            {
                "id": str(g),
                "label": names[by](g),
                "colour": PALETTE[i] if i < len(PALETTE) else NO_GROUP,
                "count": counts[g],
            }
            for i, g in enumerate(order)
        ]
    return out


def counts(data: Mapping[str, Any]) -> tuple[int, int, int, int]:
    """Entities, links between them, clusters and cluster links on a map (as the report's figures count)."""
    clusters = {n["id"] for n in data["nodes"] if n["kind"] == "cluster"}
    drawn = [e for e in data["edges"] if e["style"] != "suggested"]
    spokes = sum(1 for e in drawn if e["from"] in clusters or e["to"] in clusters)
    return len(data["nodes"]) - len(clusters), len(drawn) - spokes, len(clusters), spokes


def caption(data: Mapping[str, Any], what: str, built: str) -> str:
    """What the map shows, in the report's terms, and when it was built (plain text)."""
    entities, links, n_clusters, spokes = counts(data)
    colored = {"community": "community", "sector": "sector", "cluster": "first cluster"}.get(
        data.get("color") or "kind", "kind"
    )
    size = MEASURES.get(data["sizeBy"], {}).get("name", data["sizeBy"]).lower()
    text = f"{what}: {entities:,} entities and {links:,} links"
    if n_clusters:
        plural = "s" if n_clusters != 1 else ""
        text += f", and {n_clusters} cluster{plural} (diamonds) with {spokes:,} membership links"
    text += (
        f". Links count {relations_preset_words(data.get('relations'))}."
        f" Colored by {colored}, sized by {size}. Click a dot for its partners and sources."
    )
    if data["highlight"] == "gaps":
        s = sum(1 for x in data["edges"] if x["style"] == "suggested")
        text += (
            f" Dashed red lines: {s} suggested partnerships; red rings: entities that are"
            " isolated or linked only through one broker."
        )
    elif data["highlight"] == "connectors":
        text += " Black rings: the top connectors."
    if data.get("since"):
        new_nodes = sum(1 for x in data["nodes"] if x.get("new"))
        new_links = sum(1 for x in data["edges"] if x.get("new"))
        text += (
            f" Magenta: {new_nodes} {'entity' if new_nodes == 1 else 'entities'} and {new_links}"
            f" link{'' if new_links == 1 else 's'} new since {data['since']}; everything else sits where it"
            " sat on that edition's map."
        )
    return text + f" Built {built}."


def map_context(data: Mapping[str, Any], title: str, what: str, built: str | None = None) -> dict[str, Any]:
    """What the map's templates (`_map_body.html`, `_map_scripts.html`) need: title, caption, payload.

    The report includes the same partials with this context, so its map is this map.
    """
    built = built or built_at()
    text = caption(data, what, built)
    payload = {**data, "title": title, "caption": text, "built": built}
    return {
        "title": title,
        "caption": text,
        "payload": payload,
        "page": data.get("page", "map"),
        "groups_first": False,
    }


def map_html(data: Mapping[str, Any], title: str, what: str, built: str | None = None) -> str:
    """A complete, self-contained HTML page holding the map (title and texts are escaped)."""
    return render("map.html", **map_context(data, title, what, built))


# `map --overview`: above this many nodes ("auto") the page opens on its groups. The full map
# stays below it: at 5,000 entities it is interactive in under a second and readable, where an
# overview of its ~60 groups piles into one blob.
OVERVIEW_FROM = 10_000
OVERVIEW_CHOICES = ("auto", "always", "never")
_GROUP_LINKS = 6  # each group's strongest links to other groups drawn on the overview
_MEMBER_GAP = 45.0  # px between the members of an opened group, on average
_GROUP_HOLE = 60.0  # px around an opened group's centre left for its name
_SMALL_COMMUNITY = 5  # members: a community smaller than this joins the overview's "small communities"


def wants_overview(data: Mapping[str, Any], overview: str = "auto") -> bool:
    """Whether the map of `data` (from `map_data`) opens on an overview.

    "always", "never", or "auto": above `OVERVIEW_FROM` nodes.
    """
    return overview_wanted(len(data["nodes"]), overview)


def overview_wanted(nodes: int, overview: str = "auto") -> bool:
    """Whether a map of `nodes` nodes opens on an overview (`overview` as in `wants_overview`)."""
    if overview not in OVERVIEW_CHOICES:
        raise UsageError(
            f"`overview` must be one of {', '.join(OVERVIEW_CHOICES)}, not '{overview}'", param="overview"
        )
    return overview == "always" or (overview == "auto" and nodes > OVERVIEW_FROM)


@dataclass
class _Entities:
    """Every entity of an overview as parallel lists (index = entity), and its links."""

    ids: list[str]
    labels: list[str]
    kinds: list[str]
    group_keys: list[str]
    value: list[Any]
    community: list[int | None]
    sector: list[str | None]
    first_cluster: list[str | None]
    year: list[int | None]
    mark: list[str | None]
    new: list[bool]
    aliases: dict[int, list[str]]
    # (a, b, style, first year, new) per link, suggested partnerships last
    links: list[tuple[int, int, str, int | None, bool]]


def _group_key(kind: str, nid: str, clusters: Sequence[str], community: int | None) -> str:
    if kind == "cluster":
        return "cluster:" + nid
    if clusters:
        return "cluster:" + clusters[0]
    if community is not None:
        return f"community:{community}"
    return "none:"


def overview_data(data: Mapping[str, Any], seed: int = 0) -> dict[str, Any]:
    """The map of `data` (from `map_data`) as an overview: one node per group, members on demand.

    A group is an entity's first cluster (a cluster node is its own group), or, for an
    entity in no cluster, its community of collaboration (communities of fewer than
    `_SMALL_COMMUNITY` entities are one group, "small communities"). Groups are sized by members and
    linked by the links between their members (weight = number of links; cluster spokes
    and suggested links do not count; each group keeps its `_GROUP_LINKS` strongest).
    Every entity is kept, as parallel arrays (ids, names, group, kind, size) and its
    links as one flat array of index triples, so the page's search still finds any
    entity and the browser builds vis objects only for the groups a reader opens.
    `overview_of` builds the same from the network without `map_data`'s objects.
    """
    nodes = data["nodes"]
    at = {n["id"]: i for i, n in enumerate(nodes)}
    labels = {c["id"]: c["label"] for c in data["clusters"]}
    for n in nodes:
        if n["kind"] == "cluster":
            labels.setdefault(n["id"], n["label"])
    rows = _Entities(
        ids=[n["id"] for n in nodes],
        labels=[n["label"] for n in nodes],
        kinds=[n["kind"] for n in nodes],
        group_keys=[
            _group_key(n["kind"], n["id"], n.get("clusters") or (), n.get("community")) for n in nodes
        ],
        value=[n["value"] for n in nodes],
        community=[n.get("community") for n in nodes],
        sector=[n.get("sector") for n in nodes],
        first_cluster=[(n.get("clusters") or [None])[0] for n in nodes],
        year=[n.get("year") for n in nodes],
        mark=[n.get("mark") for n in nodes],
        new=[bool(n.get("new")) for n in nodes],
        aliases={i: list(n["aliases"]) for i, n in enumerate(nodes) if n.get("aliases")},
        links=[
            (at[e["from"]], at[e["to"]], e["style"], e.get("year"), bool(e.get("new"))) for e in data["edges"]
        ],
    )
    meta = {k: data.get(k) for k in ("page", "sizeBy", "highlight", "relations", "since", "color")}
    return _overview(rows, labels, meta, seed)


def overview_of(
    graph: nx.Graph,
    *,
    measures: Mapping[Any, Mapping[str, Any]] | None = None,
    size_by: str = "degree",
    highlight: str | None = None,
    gaps: Mapping[str, Any] | None = None,
    connectors: Sequence[Mapping[str, Any]] | None = None,
    seed: int = 0,
    since: Since | None = None,
    communities: Mapping[Any, int] | None = None,
    color: str = "kind",
    years: tuple[Mapping[Any, int | None], Mapping[tuple[Any, Any], int | None]] | None = None,
    aliases: Mapping[Any, Sequence[str]] | None = None,
    relations: str | None = None,
    page: str = "map",
) -> dict[str, Any]:
    """The overview of `graph`, as `overview_data(map_data(graph, ...))` gives it, without the full map.

    The arguments are `map_data`'s; at 50,000 entities this skips building 250,000
    node and link objects the overview would only take apart again.
    """
    if color not in COLOR_BY:
        raise UsageError(f"`color` must be one of {', '.join(COLOR_BY)}, not '{color}'", param="color")
    measures = measures or {}
    aliases = aliases or {}
    communities = communities or {}
    node_years, link_years = years if years is not None else ({}, {})
    marks: dict[Any, str] = {}
    suggested: list[tuple[Any, Any]] = []
    if highlight == "connectors":
        marks.update((row["id"], "connector") for row in connectors or () if row.get("id") in graph)
    if highlight == "gaps" and gaps:
        for row in gaps.get("isolated") or ():
            nid = row.get("id") if isinstance(row, Mapping) else row
            marks[nid] = "gap"
        suggested = [
            (r["a"], r["b"]) for r in gaps.get("suggestions") or () if r["a"] in graph and r["b"] in graph
        ]
    ids, labels_, kinds, keys, value, community, sector, first, year, mark, new = ([] for _ in range(11))
    at: dict[Any, int] = {}
    named: dict[int, list[str]] = {}
    for i, (nid, d) in enumerate(graph.nodes(data=True)):
        at[nid] = i
        sid = str(nid)
        kind = str(d.get("kind") or "other")
        clusters = _text_list(d.get("clusters"))
        c = communities.get(nid)
        ids.append(sid)
        labels_.append(str(d.get("label") or nid))
        kinds.append(kind)
        keys.append(_group_key(kind, sid, clusters, c))
        row = measures.get(nid) or {}
        v = row.get(size_by)
        value.append(_round(v) if v is not None else graph.degree(nid) if size_by == "degree" else 0)
        community.append(c)
        sector.append(str(d["sector"]) if d.get("sector") else None)
        first.append(clusters[0] if clusters else None)
        year.append(node_years.get(nid))
        mark.append(marks.get(nid))
        new.append(since is not None and since.is_new(nid))
        if aliases.get(nid):
            named[i] = [str(x) for x in aliases[nid]]
    links: list[tuple[int, int, str, int | None, bool]] = []
    for u, v, d in graph.edges(data=True):
        first_year = link_years.get((u, v), link_years.get((v, u))) if years is not None else None
        style = relation_style(_text_list(d.get("relations")))
        links.append((at[u], at[v], style, first_year, since is not None and since.is_new_link(u, v)))
    links.sort(key=lambda e: _EDGE_ORDER.get(e[2], 9))
    links += [(at[a], at[b], "suggested", None, False) for a, b in suggested]
    rows = _Entities(
        ids, labels_, kinds, keys, value, community, sector, first, year, mark, new, named, links
    )
    meta = {
        "page": page,
        "sizeBy": size_by,
        "highlight": highlight,
        "relations": relations or "all",
        "since": since.label if since is not None else None,
        "color": color,
    }
    return _overview(rows, cluster_labels(graph), meta, seed)


def _overview(
    rows: _Entities, labels: Mapping[str, str], meta: Mapping[str, Any], seed: int
) -> dict[str, Any]:
    keys: list[str] = []
    index: dict[str, int] = {}
    key_of: list[int] = []
    # Communities of a few entities (pairs that only know each other) are one group: hundreds
    # of two-member discs drew a ring of noise around the picture.
    members = Counter(rows.group_keys)
    for key in rows.group_keys:
        if key.startswith("community:") and members[key] < _SMALL_COMMUNITY:
            key = "small:"
        if key not in index:
            index[key] = len(keys)
            keys.append(key)
        key_of.append(index[key])
    sizes = Counter(key_of)
    kind_count = Counter(rows.kinds)
    kind_ids = [k for k in [*KINDS, *sorted(set(kind_count) - set(KINDS))] if kind_count[k]]
    kind_at = {k: i for i, k in enumerate(kind_ids)}
    style_count = Counter(e[2] for e in rows.links)
    style_ids = [s for s in RELATION_STYLES if style_count[s]]
    style_at = {s: i for i, s in enumerate(style_ids)}
    links: list[int] = []
    link_year: list[int] = []
    link_new: list[int] = []
    between: Counter[tuple[int, int]] = Counter()
    for k, (a, b, style, first_year, is_new) in enumerate(rows.links):
        links += (a, b, style_at[style])
        if first_year is not None:
            link_year += (k, first_year)
        if is_new:
            link_new.append(k)
        if style in ("in-cluster", "suggested"):
            continue
        ga, gb = key_of[a], key_of[b]
        if ga != gb:
            between[min(ga, gb), max(ga, gb)] += 1
    # Each group keeps its strongest links to other groups: with hundreds of clusters every
    # pair is linked by someone, and all of them at once would be a solid grey disc.
    strongest: set[tuple[int, int]] = set()
    by_group: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for pair, w in between.items():
        for end in pair:
            by_group.setdefault(end, []).append((w, pair))
    for group_rows in by_group.values():
        group_rows.sort(key=lambda r: (-r[0], r[1]))
        strongest.update(pair for _, pair in group_rows[:_GROUP_LINKS])
    between = Counter({pair: between[pair] for pair in strongest})
    # Each group a disc of the area its members fill when opened (_MEMBER_GAP apart on
    # average, around a hole of _GROUP_HOLE), no two overlapping, linked ones near.
    radii = [_GROUP_HOLE + _MEMBER_GAP * math.sqrt(sizes[i]) for i in range(len(keys))]
    pos = pack_discs(radii, dict(between), seed)

    def name(key: str) -> str:
        what, _, rest = key.partition(":")
        if what == "cluster":
            return labels.get(rest, rest)
        if what == "community":
            return f"Community {rest}"
        if what == "small":
            return f"Small communities (under {_SMALL_COMMUNITY} members each)"
        return "In no cluster or community"

    groups = [
        {
            "id": key,
            "label": name(key),
            "count": sizes[i],
            "x": pos[i][0],
            "y": pos[i][1],
            "r": round(radii[i]),
        }
        for i, key in enumerate(keys)
    ]
    # The colourings of `map --color`, as the full map has them, each entity as an index
    # into its colouring's legend (-1: in none).
    light = [
        {"community": c, "sector": s, "clusters": [f] if f else []}
        for c, s, f in zip(rows.community, rows.sector, rows.first_cluster, strict=True)
    ]
    legends = colour_groups(light, labels)
    colour_of: dict[str, list[int]] = {}
    for by, of in (("community", rows.community), ("sector", rows.sector), ("cluster", rows.first_cluster)):
        where = {g["id"]: i for i, g in enumerate(legends[by])}
        colour_of[by] = [where.get(str(x), -1) if x is not None else -1 for x in of]
    entities = len(rows.ids)
    years = sorted({y for y in rows.year if y is not None} | set(link_year[1::2]))
    return {
        **meta,
        "overview": {
            "groups": groups,
            "between": [x for (a, b), w in sorted(between.items()) for x in (a, b, w)],
            "ids": rows.ids,
            "labels": rows.labels,
            "group": key_of,
            "kind": [kind_at[k] for k in rows.kinds],
            "value": rows.value,
            "aliases": {str(i): a for i, a in rows.aliases.items()},
            "links": links,
            "colour": colour_of,
            "year": [x for i, y in enumerate(rows.year) if y is not None for x in (i, y)],
            "linkYear": link_year,
            "mark": {str(i): m for i, m in enumerate(rows.mark) if m},
            "new": [i for i, x in enumerate(rows.new) if x],
            "linkNew": link_new,
            "gap": _MEMBER_GAP,
            "hole": _GROUP_HOLE,
            "seed": seed,
        },
        "kinds": [
            {
                "id": k,
                "label": KINDS.get(k, _OTHER_KIND)[0],
                "colour": KINDS.get(k, _OTHER_KIND)[1],
                "shape": KINDS.get(k, _OTHER_KIND)[2],
                "count": kind_count[k],
            }
            for k in kind_ids
        ],
        "styles": [
            {
                "id": s,
                "label": RELATION_STYLES[s][0],
                "colour": RELATION_STYLES[s][1],
                "dashes": RELATION_STYLES[s][2],
                "width": RELATION_STYLES[s][3],
                "count": style_count[s],
            }
            for s in style_ids
        ],
        "groups": legends,
        "noGroup": NO_GROUP,
        "years": years,
        "marks": MARKS,
        "measures": MEASURES,
        "sizeMeanings": SIZE_MEANINGS,
        "caption": (
            f"The whole network: {entities:,} entities in {len(groups)} groups (clusters, and communities"
            " of collaboration for entities in no cluster), sized by members and linked by the links"
            " between them (each group's strongest). Click a group to open it; search finds any entity."
        ),
    }


def overview_context(data: Mapping[str, Any], title: str, built: str | None = None) -> dict[str, Any]:
    """What the templates need to draw the overview `data`: title, caption, payload (as `map_context`).

    The report includes the same partials with this context when its network is too big to draw whole.
    """
    built = built or built_at()
    text = f"{data['caption']} Built {built}."
    payload = {**data, "title": title, "caption": text, "built": built}
    return {"title": title, "caption": text, "payload": payload, "page": data["page"], "groups_first": True}


def overview_html(data: Mapping[str, Any], title: str, built: str | None = None) -> str:
    """A complete, self-contained HTML page holding the overview `data` (from `overview_data`)."""
    return render("map_overview.html", **overview_context(data, title, built))

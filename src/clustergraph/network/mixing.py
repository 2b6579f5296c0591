"""How the ecosystem is organised: who links to whom across sectors and clusters, its core and periphery.

Each measure is one documented function over the network of actors (cluster
nodes and links left out, see `actors`); `structure` gathers them for the whole
network with the sentences a director reads, `mixing` per entity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from ..rows import Row
from .kinds import SECTORS
from .views import actors

__all__ = [
    "HELIX",
    "Cores",
    "EIIndex",
    "EntityMixing",
    "Helix",
    "Structure",
    "assortativity",
    "core_periphery",
    "ei_index",
    "mixing",
    "structure",
    "structure_sentences",
    "triple_helix",
]

#: Sector -> sphere of the triple helix. Workforce and civic actors (boards,
#: EDCs, nonprofits, initiatives) are the intermediaries, outside the three.
HELIX: dict[str, str] = {"industry": "industry", "education": "academia", "government": "government"}


@dataclass(frozen=True, slots=True)
class EIIndex:
    """Krackhardt and Stern's E-I index of a grouping, for the whole network, per group and per entity."""

    attribute: str
    index: float | None  #: (E - I) / (E + I) over the counted ties; None when none is counted
    external: int  #: ties between different groups
    internal: int  #: ties inside one group
    expected: float | None  #: the index random mixing would give with the same group sizes
    groups: dict[str, float | None] = field(repr=False)  #: E-I of the ties touching each group
    entities: dict[Hashable, float | None] = field(repr=False)  #: E-I of each entity's own ties


def _values(d: Mapping[str, Any], attribute: str) -> frozenset[str]:
    value = d.get(attribute)
    if value is None:
        return frozenset()
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(str(x) for x in value)
    return frozenset((str(value),))


def ei_index(G: nx.Graph, attribute: str = "sector") -> EIIndex:
    """Krackhardt and Stern's E-I index: do ties stay inside groups or cross them?

    For an analyst: with sectors as groups, +1 means every link joins two
    sectors (industry to a college, a board to government), -1 means every
    link stays inside one sector (firms only with firms). Compare it with
    ``expected``, the index random mixing would give with the same number of
    entities in each sector: below it, sectors keep to themselves more than
    chance; above it, they seek each other out. With clusters as groups, a low
    index means clusters are worlds apart.

    Parameters
    ----------
    G : networkx.Graph
        From `project` (cluster nodes and links are left out, see `actors`).
    attribute : str
        Node attribute naming the group: ``"sector"`` (one value) or
        ``"clusters"`` (a list). With a list, a tie is internal when the two
        share a group and external when they share none; an entity with no
        value (no cluster) and its ties are not counted.

    Returns
    -------
    EIIndex
        ``index``, ``external`` (E), ``internal`` (I), ``expected``; ``groups``:
        for each group, the index over the ties of its members; ``entities``:
        for each entity, the index over its own counted ties (None when it has
        none).

    Examples
    --------
    A firm and a college linked to each other, and each to one of its own kind:

    >>> G = nx.Graph([("firm", "college"), ("firm", "firm2"), ("college", "college2")])
    >>> nx.set_node_attributes(G, {"firm": "industry", "firm2": "industry",
    ...                            "college": "education", "college2": "education"}, "sector")
    >>> ei = ei_index(G)
    >>> ei.external, ei.internal, round(ei.index, 3), round(ei.expected, 3), ei.entities["firm"]
    (1, 2, -0.333, 0.333, 0.0)

    Notes
    -----
    E-I = (E - I) / (E + I), E the ties between groups and I those inside one
    [1]_. Under random mixing a tie is internal with probability
    sum_g n_g (n_g - 1) / (n (n - 1)) over group sizes n_g, which gives
    ``expected`` (single-valued groups only; None for lists). O(n + m).

    References
    ----------
    .. [1] Krackhardt, D. and Stern, R. N. (1988). Informal networks and
       organizational crises: an experimental simulation. Social Psychology
       Quarterly 51(2), 123-140.
    """
    H = actors(G)
    groups = {v: _values(d, attribute) for v, d in H.nodes(data=True)}
    multi = any(isinstance(d.get(attribute), list | tuple | set | frozenset) for _, d in H.nodes(data=True))
    e_all = i_all = 0
    per_entity: dict[Hashable, list[int]] = {v: [0, 0] for v in H}
    per_group: dict[str, list[int]] = {}
    for a, b in H.edges():
        ga, gb = groups[a], groups[b]
        if not ga or not gb:
            continue
        inside = bool(ga & gb)
        slot = 1 if inside else 0
        e_all += not inside
        i_all += inside
        per_entity[a][slot] += 1
        per_entity[b][slot] += 1
        for g in ga | gb:
            per_group.setdefault(g, [0, 0])[slot] += 1
    sizes = Counter(next(iter(g)) for g in groups.values() if len(g) == 1) if not multi else Counter()
    n = sum(sizes.values())
    expected = None
    if not multi and n > 1:
        p_in = sum(k * (k - 1) for k in sizes.values()) / (n * (n - 1))
        expected = round(1 - 2 * p_in, 6)
    order = [s for s in SECTORS if s in per_group] + sorted(set(per_group) - set(SECTORS))
    return EIIndex(
        attribute=attribute,
        index=_ei(e_all, i_all),
        external=e_all,
        internal=i_all,
        expected=expected,
        groups={g: _ei(*per_group[g]) for g in order},
        entities={v: _ei(*c) for v, c in per_entity.items()},
    )


def _ei(external: int, internal: int) -> float | None:
    total = external + internal
    return round((external - internal) / total, 6) if total else None


def assortativity(G: nx.Graph, attribute: str = "sector") -> float | None:
    """Newman's attribute assortativity: how much more than chance entities link to their own kind.

    For an analyst: 0 is random mixing, 1 means every link joins two entities
    of the same sector (or kind), negative values that links prefer the other
    sectors. Unlike the E-I index it corrects for how big each sector is, so a
    region where half the entities are colleges is not called inward-looking
    only because colleges meet colleges often.

    Examples
    --------
    >>> G = nx.Graph([(0, 1), (2, 3), (1, 2)])
    >>> nx.set_node_attributes(G, {0: "a", 1: "a", 2: "b", 3: "b"}, "sector")
    >>> round(assortativity(G), 6)
    0.333333

    Notes
    -----
    r = (sum_i e_ii - sum_i a_i^2) / (1 - sum_i a_i^2), with e_ij the share of
    link ends joining group i to group j (each undirected link counted both
    ways) and a_i = sum_j e_ij [1]_; the same value as NetworkX's
    ``attribute_assortativity_coefficient``, computed in O(m) without NumPy.
    None when undefined (every link end in one group). Entities without the
    attribute are left out with their links.

    References
    ----------
    .. [1] Newman, M. E. J. (2003). Mixing patterns in networks. Physical
       Review E 67, 026126.
    """
    H = actors(G)
    value = dict(H.nodes(data=attribute))
    ends: Counter[Any] = Counter()
    same = total = 0
    for a, b in H.edges():
        x, y = value.get(a), value.get(b)
        if x is None or y is None:
            continue
        total += 2
        ends[x] += 1
        ends[y] += 1
        if x == y:
            same += 2
    if not total:
        return None
    expected = sum((k / total) ** 2 for k in ends.values())
    if expected >= 1:
        return None
    return (same / total - expected) / (1 - expected)


@dataclass(frozen=True, slots=True)
class Cores:
    """The k-core decomposition: each entity's coreness, and the main core."""

    k: int  #: the highest coreness (the main core is the k-core for this k)
    core: tuple[Hashable, ...]  #: entities of the main core, by id
    coreness: dict[Hashable, int] = field(repr=False)

    def position(self, v: Hashable) -> str:
        """``core`` (in the main core), ``periphery`` (linked, outside it) or ``isolated``."""
        c = self.coreness.get(v, 0)
        if c == 0:
            return "isolated"
        return "core" if c == self.k else "periphery"


def core_periphery(G: nx.Graph) -> Cores:
    """Core and periphery from the k-core decomposition.

    For an analyst: the core is the largest group in which every member is
    linked to at least k other members, for the highest such k; these are the
    organisations that work densely with each other. The periphery is linked
    to the network but not part of that dense centre: where new partners and
    programmes usually sit, and where a region wants to pull them in.

    Examples
    --------
    A triangle with a tail: the triangle is the core.

    >>> cores = core_periphery(nx.Graph([(1, 2), (2, 3), (1, 3), (3, 4)]))
    >>> cores.k, cores.core, cores.position(4)
    (2, (1, 2, 3), 'periphery')

    Notes
    -----
    Coreness by Batagelj and Zaversnik's O(m) peeling [1]_ (igraph's
    ``coreness``); the k-core is Seidman's [2]_. Entities with no link have
    coreness 0 and are ``isolated``, neither core nor periphery.

    References
    ----------
    .. [1] Batagelj, V. and Zaversnik, M. (2003). An O(m) algorithm for cores
       decomposition of networks. arXiv:cs/0310049.
    .. [2] Seidman, S. B. (1983). Network structure and minimum degree. Social
       Networks 5(3), 269-287.
    """
    import igraph as ig

    H = actors(G)
    nodes = list(H)
    index = {v: i for i, v in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in H.edges()])
    coreness = dict(zip(nodes, g.coreness(), strict=True))
    k = max(coreness.values(), default=0)
    core = tuple(
        sorted((v for v, c in coreness.items() if c == k and k > 0), key=lambda v: (type(v).__name__, str(v)))
    )
    return Cores(k, core, coreness)


@dataclass(frozen=True, slots=True)
class Helix:
    """Ties among industry, academia and government, and those that cross between them."""

    links: int  #: all links counted (between entities with a sector)
    helix_links: int  #: links with both ends in one of the three spheres
    crossing: int  #: links joining two different spheres
    pairs: dict[str, int] = field(repr=False)  #: "academia-industry" etc. -> crossing links
    entities: dict[Hashable, int] = field(repr=False)  #: links of each entity that cross spheres

    @property
    def share(self) -> float | None:
        """Share of all links that cross the triple helix."""
        return round(self.crossing / self.links, 6) if self.links else None

    @property
    def share_of_helix(self) -> float | None:
        """Share of the links among the three spheres that cross between them."""
        return round(self.crossing / self.helix_links, 6) if self.helix_links else None


def triple_helix(G: nx.Graph) -> Helix:
    """The share of links that cross the triple helix of industry, academia and government.

    For an analyst: regional innovation policy since Etzkowitz and Leydesdorff
    asks whether firms, universities and colleges, and government work with
    each other, not only among themselves. This counts the links that join two
    of the three spheres (industry-academia, industry-government,
    academia-government). Workforce boards and civic actors (EDCs, nonprofits,
    initiatives) are the intermediaries: their links are counted in ``links``
    but cross no sphere.

    Examples
    --------
    >>> G = nx.Graph([("firm", "college"), ("firm", "city"), ("firm", "firm2"), ("college", "edc")])
    >>> nx.set_node_attributes(G, {"firm": "industry", "firm2": "industry", "college": "education",
    ...                            "city": "government", "edc": "civic"}, "sector")
    >>> h = triple_helix(G)
    >>> h.links, h.helix_links, h.crossing, h.share, h.pairs
    (4, 3, 2, 0.5, {'academia-industry': 1, 'government-industry': 1})

    Notes
    -----
    Spheres from the ``sector`` attribute (see `HELIX`): industry -> industry,
    education -> academia, government -> government. share = crossing / links;
    share_of_helix = crossing / helix_links. O(m).

    References
    ----------
    .. [1] Etzkowitz, H. and Leydesdorff, L. (2000). The dynamics of
       innovation: from National Systems and "Mode 2" to a Triple Helix of
       university-industry-government relations. Research Policy 29(2), 109-123.
    """
    H = actors(G)
    sector = dict(H.nodes(data="sector"))
    links = helix_links = crossing = 0
    pairs: Counter[str] = Counter()
    entities: dict[Hashable, int] = dict.fromkeys(H, 0)
    for a, b in H.edges():
        if sector.get(a) is None or sector.get(b) is None:
            continue
        links += 1
        sa, sb = HELIX.get(sector[a]), HELIX.get(sector[b])
        if sa is None or sb is None:
            continue
        helix_links += 1
        if sa != sb:
            crossing += 1
            pairs["-".join(sorted((sa, sb)))] += 1
            entities[a] += 1
            entities[b] += 1
    return Helix(links, helix_links, crossing, dict(sorted(pairs.items())), entities)


@dataclass(frozen=True, slots=True)
class EntityMixing(Row):
    """One entity's place in the structure."""

    id: str
    label: str
    sector: str | None
    degree: int
    ei_sector: float | None  #: E-I index of its links over sectors (+1: all to other sectors)
    ei_cluster: float | None  #: E-I index over clusters (+1: all to entities of other clusters)
    coreness: int
    position: str  #: core, periphery or isolated
    helix_crossing: int  #: its links that cross the triple helix


@dataclass(frozen=True, slots=True)
class Structure:
    """The whole network's mixing and structure figures, and the sentences that say them."""

    sector_ei: EIIndex = field(repr=False)
    cluster_ei: EIIndex = field(repr=False)
    sector_assortativity: float | None
    kind_assortativity: float | None
    cores: Cores = field(repr=False)
    helix: Helix = field(repr=False)
    sentences: tuple[str, ...]

    def figures(self) -> dict[str, Any]:
        """The figures as one flat mapping (for tables, JSON and RDF)."""
        r = self.sector_assortativity
        return {
            "ei_sector": self.sector_ei.index,
            "ei_sector_expected": self.sector_ei.expected,
            "ei_sector_by_sector": dict(self.sector_ei.groups),
            "ei_cluster": self.cluster_ei.index,
            "links_within_clusters": self.cluster_ei.internal,
            "links_across_clusters": self.cluster_ei.external,
            "sector_assortativity": None if r is None else round(r, 6),
            "kind_assortativity": None
            if self.kind_assortativity is None
            else round(self.kind_assortativity, 6),
            "core_k": self.cores.k,
            "core_size": len(self.cores.core),
            "core": [str(v) for v in self.cores.core],
            "periphery_size": sum(1 for c in self.cores.coreness.values() if 0 < c < self.cores.k),
            "triple_helix_links": self.helix.crossing,
            "triple_helix_share": self.helix.share,
            "triple_helix_share_of_helix": self.helix.share_of_helix,
            "triple_helix_pairs": dict(self.helix.pairs),
        }


def structure(G: nx.Graph) -> Structure:
    """How the ecosystem is organised: the mixing and core figures of the whole network, in words.

    Examples
    --------
    >>> G = nx.Graph([("firm", "college"), ("firm", "firm2"), ("college", "college2")])
    >>> nx.set_node_attributes(G, {"firm": "industry", "firm2": "industry",
    ...                            "college": "education", "college2": "education"}, "sector")
    >>> s = structure(G)
    >>> s.figures()["ei_sector"], s.figures()["core_k"]
    (-0.333333, 1)

    Notes
    -----
    `ei_index` over sectors and over clusters, `assortativity` by sector and by
    kind, `core_periphery` and `triple_helix`: O(n + m) together.
    """
    H = actors(G)
    s = Structure(
        sector_ei=ei_index(H, "sector"),
        cluster_ei=ei_index(H, "clusters"),
        sector_assortativity=assortativity(H, "sector"),
        kind_assortativity=assortativity(H, "kind"),
        cores=core_periphery(H),
        helix=triple_helix(H),
        sentences=(),
    )
    return replace(s, sentences=tuple(_sentences(H, s)))


def structure_sentences(G: nx.Graph) -> list[str]:
    """The section "How the ecosystem is organised" in plain words (for `summary` and the report).

    >>> structure_sentences(nx.Graph())
    ['The network has no links yet, so how it is organized cannot be told.']
    """
    return list(structure(G).sentences)


def mixing(G: nx.Graph) -> list[EntityMixing]:
    """Each entity's mixing and structural position, most linked first (ties by id).

    Examples
    --------
    >>> G = nx.Graph([("firm", "college"), ("firm", "firm2")])
    >>> nx.set_node_attributes(G, {"firm": "industry", "firm2": "industry", "college": "education"}, "sector")
    >>> row = mixing(G)[0]
    >>> row["id"], row["ei_sector"], row["position"], row["helix_crossing"]
    ('firm', 0.0, 'core', 1)

    Notes
    -----
    The per-entity values of `ei_index` (sectors, clusters), `core_periphery`
    and `triple_helix`: O(n + m), then a sort.
    """
    H = actors(G)
    by_sector, by_cluster = ei_index(H, "sector"), ei_index(H, "clusters")
    cores, helix = core_periphery(H), triple_helix(H)
    order = sorted(H, key=lambda v: (-H.degree(v), str(v)))
    return [
        EntityMixing(
            id=str(v),
            label=str(H.nodes[v].get("label") or v),
            sector=H.nodes[v].get("sector"),
            degree=H.degree(v),
            ei_sector=by_sector.entities.get(v),
            ei_cluster=by_cluster.entities.get(v),
            coreness=cores.coreness.get(v, 0),
            position=cores.position(v),
            helix_crossing=helix.entities.get(v, 0),
        )
        for v in order
    ]


def _sentences(H: nx.Graph, s: Structure) -> list[str]:
    if H.number_of_edges() == 0:
        return ["The network has no links yet, so how it is organized cannot be told."]
    out = []
    ei = s.sector_ei
    counted = ei.external + ei.internal
    if counted:
        text = (
            f"{ei.external} of {counted} links ({ei.external / counted:.0%}) join entities of different "
            f"sectors (E-I index {ei.index:+.2f}, from -1: every link inside one sector, to +1: every link "
            "across sectors"
        )
        if ei.expected is not None and ei.index is not None:
            gap = ei.index - ei.expected
            if abs(gap) < 0.1:
                how = "about what random mixing would give"
            elif gap < 0:
                how = "sectors keep to themselves more than random mixing would"
            else:
                how = "sectors seek each other out more than random mixing would"
            text += f"; random mixing would give {ei.expected:+.2f}, so {how}"
        out.append(text + ").")
        inward = [(g, v) for g, v in ei.groups.items() if v is not None]
        if len(inward) > 1:
            g, v = min(inward, key=lambda gv: (gv[1], gv[0]))
            out.append(f"The most inward-looking sector is {g} (E-I {v:+.2f} over its links).")
    r = s.sector_assortativity
    if r is not None:
        if r > 0.1:
            words = "entities link to their own sector more than chance"
        elif r < -0.1:
            words = "entities prefer partners from other sectors"
        else:
            words = "entities choose partners regardless of sector"
        out.append(f"Sector assortativity {r:+.2f} (0 is random mixing, 1 only within a sector): {words}.")
    cl = s.cluster_ei
    if cl.external + cl.internal:
        out.append(
            f"Of {cl.external + cl.internal} links between entities tagged with a cluster, "
            f"{cl.internal} stay within a shared cluster and {cl.external} cross to another cluster "
            f"(E-I {cl.index:+.2f})."
        )
    else:
        out.append("No link joins two entities that are both tagged with a cluster.")
    cores = s.cores
    if cores.k:
        names = ", ".join(
            str(H.nodes[v].get("label") or v)
            for v in sorted(cores.core, key=lambda v: (-H.degree(v), str(v)))[:3]
        )
        periphery = sum(1 for c in cores.coreness.values() if 0 < c < cores.k)
        more = f" and {len(cores.core) - 3} more" if len(cores.core) > 3 else ""
        out.append(
            f"A core of {len(cores.core)} entities ({names}{more}) each work with at least {cores.k} "
            f"others of the core; {periphery} linked entit{'ies sit' if periphery != 1 else 'y sits'} "
            "on the periphery."
        )
    h = s.helix
    if h.links:
        pairs = ", ".join(f"{k.replace('-', '–')} {v}" for k, v in h.pairs.items())
        out.append(
            f"{h.crossing} of {h.links} links ({h.share:.0%}) cross the triple helix of industry, "
            "academia and government"
            + (f" ({pairs})" if pairs else "")
            + f"; {h.links - h.helix_links} involve an intermediary (a workforce board or a civic actor)."
        )
    return out

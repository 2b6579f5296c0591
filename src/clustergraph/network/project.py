"""RDF graph -> typed NetworkX graph of entities and their relations.

The projection reads only RDF (with SPARQL on a pyoxigraph store), never the
YAML records, so it gives the same network for a data directory and for a
Turtle file someone else exported with our vocabulary.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import networkx as nx
import pyoxigraph as ox

from ..vocab import CG, ORG, PROV, SCHEMA, SKOS

if TYPE_CHECKING:
    import rdflib

    from ..build import BuiltGraph

__all__ = [
    "KINDS",
    "PRESETS",
    "RELATIONS",
    "SECTORS",
    "actors",
    "cluster_members",
    "in_cluster",
    "load_network",
    "project",
    "sector_of",
]

# rdf:type -> node kind. Sources, reports, plans, events and partnerships are
# not nodes: partnerships become edges, the others are context, not actors.
KINDS: dict[str, str] = {
    CG + "Organization": "organization",
    CG + "College": "college",
    CG + "WorkforceBoard": "workforce-board",
    CG + "Facility": "facility",
    CG + "Program": "program",
    CG + "Initiative": "initiative",
    CG + "Person": "person",
    CG + "Policy": "policy",
    CG + "Cluster": "cluster",
}

# Predicate -> (relation kind, True when the edge is read object -> subject,
# i.e. the predicate is an inverse that build writes for convenience).
_PREDICATES: dict[str, str] = {
    ORG + "hasMember": "member-of",
    ORG + "memberOf": "member-of",
    CG + "ledBy": "initiative-lead",
    CG + "hasPartner": "initiative-partner",
    CG + "operatedBy": "operator",
    CG + "locatedAt": "located-at",
    ORG + "subOrganizationOf": "sub-organization",
    SCHEMA + "affiliation": "affiliation",
    SCHEMA + "provider": "provider",
    SCHEMA + "author": "author",
    CG + "supporter": "supporter",
    CG + "opponent": "opponent",
    CG + "inCluster": "in-cluster",
    SKOS + "broader": "broader",
}

#: Relation kinds other than partnerships (those are ``partnership:<type>``).
RELATIONS: tuple[str, ...] = tuple(sorted(set(_PREDICATES.values())))

_STRUCTURE = frozenset({"in-cluster", "broader"})

#: Named choices for ``project(relations=...)``:
#:
#: - ``partnerships``: only partnership records (``partnership:<type>``), the
#:   narrowest reading of "who works with whom";
#: - ``collaboration``: partnerships plus initiatives (lead, partner),
#:   memberships, operators and sites, affiliations, providers, authors,
#:   supporters and opponents of policies: every relation between actors;
#: - ``all`` (the default): ``collaboration`` plus cluster nodes linked by
#:   ``in-cluster`` and ``broader``, for maps that show clusters as hubs.
PRESETS: dict[str, frozenset[str] | None] = {
    "partnerships": frozenset({"partnership:*"}),
    "collaboration": frozenset({"partnership:*", *(set(RELATIONS) - _STRUCTURE)}),
    "all": None,
}

#: The five sectors of Gould–Fernandez brokerage.
SECTORS: tuple[str, ...] = ("industry", "education", "workforce", "government", "civic")

_ORG_SECTORS: dict[str, str] = {
    "company": "industry",
    "chamber": "industry",
    "industry-association": "industry",
    "incubator": "industry",
    "port": "government",
    "government": "government",
    "legislature": "government",
    "research-institute": "education",
    "labor-union": "workforce",
    "labor-management-partnership": "workforce",
    "economic-development-org": "civic",
    "nonprofit": "civic",
    "foundation": "civic",
}
_PROGRAM_SECTORS = {"degree": "education", "certificate": "education", "incubation": "industry"}


def sector_of(kind: str, category: str | None) -> str | None:
    """The sector of an entity from its kind and category, before inheritance.

    - college -> education; workforce-board -> workforce; policy -> government;
      initiative -> civic (a collaboration of several sectors);
    - organization by category: company, chamber, industry-association,
      incubator -> industry; port, government, legislature -> government;
      research-institute -> education (education and research);
      labor-union, labor-management-partnership -> workforce;
      economic-development-org, nonprofit, foundation -> civic;
    - program: degree, certificate -> education; incubation -> industry;
      apprenticeship, training and others -> workforce;
    - cluster -> None (a cluster is a topic, not an actor).

    Three kinds inherit instead (done in `project`, returned here as None): a
    consortium takes the sector most of its members have (civic when it has
    none), a facility its operator's (industry when it has none), a person
    their affiliation's (civic when none).

    >>> sector_of("organization", "port"), sector_of("college", "university")
    ('government', 'education')
    """
    match kind:
        case "college":
            return "education"
        case "workforce-board":
            return "workforce"
        case "policy":
            return "government"
        case "initiative":
            return "civic"
        case "program":
            return _PROGRAM_SECTORS.get(category or "", "workforce")
        case "organization":
            if category == "consortium":
                return None
            return _ORG_SECTORS.get(category or "", "civic")
    return None


@cache
def _query(name: str) -> str:
    return (resources.files("clustergraph.network") / "sparql" / f"{name}.rq").read_text(encoding="utf-8")


def _store(graph: Any) -> tuple[ox.Store, bool]:
    """A pyoxigraph store holding `graph`, and whether to query all its graphs as one."""
    if isinstance(graph, ox.Store):
        return graph, False
    if isinstance(graph, str | os.PathLike):
        from ..build import read_graph

        return read_graph(os.fspath(graph)).store, False
    store = getattr(graph, "store", None)
    if isinstance(store, ox.Store):  # BuiltGraph
        return store, False
    inner = getattr(store, "_store", None)
    if isinstance(inner, ox.Store):  # rdflib.Graph over oxrdflib: query in Oxigraph
        return inner, True
    # Any other rdflib.Graph: copy it once into Oxigraph as N-Triples.
    copy = ox.Store()
    copy.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return copy, False


def _rows(store: ox.Store, name: str, union: bool) -> Iterable[tuple[Any, ...]]:
    result = store.query(_query(name), use_default_graph_as_union=union)
    for solution in result:
        yield tuple(solution)


def _text(term: Any) -> str | None:
    return None if term is None else term.value


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _wanted(relations: str | Iterable[str] | None) -> frozenset[str] | None:
    if relations is None:
        return None
    if isinstance(relations, str):
        if relations in PRESETS:
            return PRESETS[relations]
        relations = [r.strip() for r in relations.split(",") if r.strip()]
    out: set[str] = set()
    for r in relations:
        if r in PRESETS:
            preset = PRESETS[r]
            if preset is None:
                return None
            out |= preset
        else:
            out.add(r)
    return frozenset(out)


def _keep(relation: str, wanted: frozenset[str] | None) -> bool:
    if wanted is None or relation in wanted:
        return True
    return relation.startswith("partnership:") and "partnership:*" in wanted


def project(
    graph: BuiltGraph | rdflib.Graph | ox.Store | str | os.PathLike[str],
    relations: str | Iterable[str] | None = None,
) -> nx.Graph:
    """Project the RDF graph onto an undirected NetworkX graph of entities.

    Parameters
    ----------
    graph : BuiltGraph, rdflib.Graph, pyoxigraph.Store or path
        The knowledge graph: what `clustergraph.build.build` returns, any
        rdflib graph, or a Turtle (N-Triples, JSON-LD, RDF/XML) file.
    relations : str or iterable of str, optional
        Which relation kinds become edges: a preset name (``"partnerships"``,
        ``"collaboration"``, ``"all"``; see `PRESETS`), relation kinds such as
        ``"partnership:funding"``, ``"partnership:*"``, ``"initiative-lead"``,
        ``"in-cluster"`` (see `RELATIONS`), or a comma-separated string of
        them. Default: all relations. Cluster nodes are kept only when
        ``in-cluster`` or ``broader`` is included.

    Returns
    -------
    networkx.Graph
        Nodes are keyed by record id (``dcterms:identifier``, else the IRI's
        last segment) with attributes ``iri``, ``label``, ``kind``,
        ``category``, ``sector`` (see `sector_of`), ``clusters`` (sorted ids),
        ``sources`` (dicts ``{id, title, url}``), ``value_chain`` and ``city``.
        Every entity is a node, linked or not, so isolated ones show.
        Edges merge every relation between two entities: ``relations`` (sorted
        kinds), ``weight`` (how many relations were merged: two partnership
        records and a membership give 3), ``sources``, ``since`` and
        ``until`` (from partnership records; ``until`` is None while any of
        them is open), ``clusters`` (clusters the partnership records name)
        and ``partnerships`` (their ids). ``G.graph["relations"]`` records
        the choice; ``G.graph["clusters"]`` maps every cluster id to its
        label, whether or not cluster nodes are kept.

    Examples
    --------
    >>> from clustergraph import build, load
    >>> G = project(build(load("graph")), relations="partnerships")
    >>> G.edges["altasea", "port-of-los-angeles"]["relations"]
    ['partnership:co-location', 'partnership:funding']
    >>> G.nodes["port-of-los-angeles"]["sector"], G.nodes["altasea"]["clusters"]
    ('government', ['blue-economy'])

    Notes
    -----
    Four SPARQL queries (``network/sparql/*.rq``) read the store once each:
    O(T) in the number of triples read; the rest is O(N + E). A partnership
    of m members gives m(m-1)/2 edges. Relations are read from the
    predicates build writes (ORG, schema.org, our ``cg:`` terms); no
    inference is done, so a foreign file must state them directly.
    """
    store, union = _store(graph)
    wanted = _wanted(relations)
    with_clusters = wanted is None or bool(wanted & _STRUCTURE)

    # -- nodes
    ids: dict[str, str] = {}
    cluster_ids: dict[str, str] = {}
    cluster_labels: dict[str, str] = {}
    nodes: dict[str, dict[str, Any]] = {}
    for s, cls, ident, label, category, city in _rows(store, "entities", union):
        kind = KINDS[cls.value]
        iri = s.value
        nid = _text(ident) or _local(iri)
        if kind == "cluster":
            cluster_ids[iri] = nid
            cluster_labels[nid] = _text(label) or nid
            if not with_clusters:
                continue
        ids[iri] = nid
        nodes[nid] = {
            "iri": iri,
            "label": _text(label) or nid,
            "kind": kind,
            "category": _text(category),
            "sector": None,
            "clusters": [],
            "sources": [],
            "value_chain": [],
            "city": _text(city),
        }

    source_info: dict[str, dict[str, str | None]] = {}
    for src, ident, title, url in _rows(store, "sources", union):
        source_info[src.value] = {
            "id": _text(ident) or _local(src.value),
            "title": _text(title),
            "url": _text(url),
        }

    # -- one pass over the predicates we read
    pairs: list[tuple[str, str, str, str]] = []  # (relation, predicate, subject, object) as IRIs
    cited: dict[str, list[str]] = defaultdict(list)  # subject IRI -> source IRIs
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    partner_links: set[tuple[str, str]] = set()
    for s, p, o in _rows(store, "links", union):
        pred, subj, obj = p.value, s.value, o.value
        if pred == PROV + "wasDerivedFrom":
            cited[subj].append(obj)
        elif pred == CG + "partnerOf":
            partner_links.add((subj, obj) if subj < obj else (obj, subj))
        elif pred in _PREDICATES:
            rel = _PREDICATES[pred]
            # Inverse predicates build writes twice (hasMember/memberOf) give the
            # same pair; the edge keeps one relation per pair and kind.
            pairs.append((rel, pred, subj, obj))
            facts[subj][pred].append(obj)
        else:
            facts[subj][pred].append(obj)

    for iri, nid in ids.items():
        node = nodes[nid]
        node["sources"] = [source_info[x] for x in sorted(set(cited.get(iri, ())), key=_source_key)]
        f = facts.get(iri, {})
        node["value_chain"] = sorted({_local(x) for x in f.get(CG + "valueChainStage", ())})

    # -- edges
    edges: dict[tuple[str, str], dict[str, Any]] = {}

    def link(rel: str, a: str, b: str, srcs: Iterable[str], record: str | None = None) -> dict[str, Any]:
        key = (a, b) if a < b else (b, a)
        e = edges.get(key)
        if e is None:
            e = edges[key] = {
                "rel": Counter(),
                "sources": set(),
                "since": [],
                "until": [],
                "clusters": set(),
                "partnerships": set(),
            }
        if record is None and e["rel"][rel]:
            # One structural fact (e.g. a membership read both as hasMember and
            # memberOf) counts once.
            e["sources"].update(srcs)
            return e
        e["rel"][rel] += 1
        e["sources"].update(srcs)
        if record is not None:
            e["partnerships"].add(record)
        return e

    for rel, _pred, a, b in pairs:
        if rel == "in-cluster" and a in ids and b in cluster_ids:
            nodes[ids[a]]["clusters"].append(cluster_ids[b])
        if a not in ids or b not in ids or a == b:
            continue
        if _keep(rel, wanted):
            # The sources of the record that states the relation (its subject).
            link(rel, ids[a], ids[b], cited.get(a, ()))

    members: dict[str, list[str]] = defaultdict(list)
    for p, m in _rows(store, "partnerships", union):
        members[p.value].append(m.value)
    covered: set[tuple[str, str]] = set()
    for p, ms in members.items():
        f = facts.get(p, {})
        category = next(iter(f.get(CG + "category", ())), "partner")
        rel = f"partnership:{category}"
        inside = sorted({m for m in ms if m in ids})
        for i, a in enumerate(inside):
            for b in inside[i + 1 :]:
                covered.add((a, b) if a < b else (b, a))
                if not _keep(rel, wanted):
                    continue
                e = link(rel, ids[a], ids[b], cited.get(p, ()), record=_local(p))
                e["since"].extend(f.get(SCHEMA + "startDate", ()) or [None])
                e["until"].extend(f.get(SCHEMA + "endDate", ()) or [None])
                e["clusters"].update(_local(c) for c in f.get(CG + "inCluster", ()))
    # A cg:partnerOf link with no partnership record (a foreign file may state
    # only the link) is a partnership of unknown kind.
    if _keep("partnership:partner", wanted):
        for a, b in sorted(partner_links - covered):
            if a in ids and b in ids:
                link("partnership:partner", ids[a], ids[b], ())

    G = nx.Graph(
        relations=sorted(wanted) if wanted is not None else "all",
        clusters=dict(sorted(cluster_labels.items())),
    )
    for nid in sorted(nodes):
        node = nodes[nid]
        node["clusters"] = sorted(set(node["clusters"]))
        G.add_node(nid, **node)
    for a, b in sorted(edges):
        e = edges[(a, b)]
        since = [x for x in e["since"] if x is not None]
        G.add_edge(
            a,
            b,
            relations=sorted(e["rel"]),
            weight=sum(e["rel"].values()),
            sources=[source_info[x] for x in sorted(e["sources"], key=_source_key) if x in source_info],
            since=min(since) if since else None,
            until=None if not e["until"] or None in e["until"] else max(e["until"]),
            clusters=sorted(e["clusters"]),
            partnerships=sorted(e["partnerships"]),
        )
    _inherit_sectors(G, nodes, ids, pairs)
    return G


def _source_key(iri: str) -> str:
    return _local(iri)


def _inherit_sectors(
    G: nx.Graph, nodes: dict[str, dict[str, Any]], ids: dict[str, str], pairs: list[tuple[str, ...]]
) -> None:
    """Set `sector`: own rule first, then consortia, facilities and people inherit."""
    for _, d in G.nodes(data=True):
        d["sector"] = sector_of(d["kind"], d["category"])
    # Read inheritance from the RDF relations themselves, whichever edges were kept.
    members: dict[str, list[str]] = defaultdict(list)
    operator: dict[str, str] = {}
    affiliation: dict[str, str] = {}
    for rel, pred, a, b in pairs:
        if a not in ids or b not in ids:
            continue
        x, y = ids[a], ids[b]
        if rel == "member-of":
            group, member = (x, y) if pred == ORG + "hasMember" else (y, x)
            if member not in members[group]:
                members[group].append(member)
        elif rel == "operator":
            operator.setdefault(x, y)
        elif rel == "affiliation":
            affiliation.setdefault(x, y)
    for nid, d in G.nodes(data=True):
        if d["kind"] == "organization" and d["category"] == "consortium":
            votes = Counter(G.nodes[m]["sector"] for m in members.get(nid, ()) if G.nodes[m]["sector"])
            # Ties go to the sector listed first in SECTORS, so the answer is stable.
            d["sector"] = min(votes, key=lambda s: (-votes[s], SECTORS.index(s))) if votes else "civic"
    for nid, d in G.nodes(data=True):
        if d["kind"] == "facility":
            d["sector"] = G.nodes[operator[nid]]["sector"] if nid in operator else "industry"
        elif d["kind"] == "person":
            d["sector"] = G.nodes[affiliation[nid]]["sector"] if nid in affiliation else "civic"
        if d["sector"] is None and d["kind"] != "cluster":
            d["sector"] = "civic"


def actors(G: nx.Graph) -> nx.Graph:
    """The network of actors and assets only: no cluster nodes, no cluster links.

    Analyses of who works with whom run on this view, so that a cluster (a topic
    every member is tagged with) does not pass for the region's best connector.
    Membership of clusters stays in each node's ``clusters`` attribute. When
    there is nothing to leave out, `G` itself is returned: treat it as
    read-only.

    >>> G = nx.Graph([("a", "c1", {"relations": ["in-cluster"]}), ("a", "b", {"relations": ["operator"]})])
    >>> G.nodes["c1"]["kind"] = "cluster"
    >>> H = actors(G)
    >>> sorted(H.edges)
    [('a', 'b')]
    """
    drop = {v for v, kind in G.nodes(data="kind") if kind == "cluster"}
    cut = [(a, b) for a, b, rels in G.edges(data="relations") if rels and set(rels) <= _STRUCTURE]
    if not drop and not cut:
        return G  # read-only use: no copy needed (a copy costs seconds at 20,000 entities)
    cut_set = set(cut)
    H = nx.Graph()
    H.graph.update(G.graph)
    H.add_nodes_from((v, d) for v, d in G.nodes(data=True) if v not in drop)
    H.add_edges_from(
        (a, b, d)
        for a, b, d in G.edges(data=True)
        if a not in drop and b not in drop and (a, b) not in cut_set
    )
    return H


def in_cluster(G: nx.Graph, cluster: str, reach: int = 1) -> set[str]:
    """Entities that take part in or serve `cluster` (cluster nodes excluded).

    An entity counts when it is tagged with the cluster, or is a member of a
    partnership tagged with it; with ``reach=1`` (the default) also when it is
    directly linked to such an entity (the college a research institute is
    affiliated with serves that institute's cluster).

    >>> G = nx.Graph([("a", "b", {"clusters": []}), ("b", "c", {"clusters": []})])
    >>> nx.set_node_attributes(G, {"a": ["aero"], "b": [], "c": []}, "clusters")
    >>> sorted(in_cluster(G, "aero")), sorted(in_cluster(G, "aero", reach=0))
    (['a', 'b'], ['a'])
    """
    return cluster_members(G, reach).get(cluster, set())


def cluster_members(G: nx.Graph, reach: int = 1) -> dict[str, set[str]]:
    """`in_cluster` for every cluster at once, in one pass over nodes and edges."""
    core: dict[str, set[str]] = defaultdict(set)
    kind = dict(G.nodes(data="kind"))
    for v, cs in G.nodes(data="clusters"):
        if kind.get(v) != "cluster":
            for c in cs or ():
                core[c].add(v)
    for a, b, cs in G.edges(data="clusters"):
        for c in cs or ():
            for x in (a, b):
                if kind.get(x) != "cluster":
                    core[c].add(x)
    if reach <= 0:
        return dict(core)
    out: dict[str, set[str]] = {}
    for c, members in core.items():
        grown = set(members)
        for v in members:
            grown.update(w for w in G[v] if kind.get(w) != "cluster")
        out[c] = grown
    return out


def load_network(data: str | os.PathLike[str], relations: str | Iterable[str] | None = None) -> nx.Graph:
    """The network of a data directory (YAML) or of an exported RDF file.

    A path ending in an RDF suffix (.ttl, .nt, .jsonld, .rdf) is read as RDF;
    anything else is loaded, validated and built first (bad data raises
    `clustergraph.errors.DataErrors`).
    """
    from ..build import open_graph

    return project(open_graph(os.fspath(data)), relations)

"""RDF graph -> typed NetworkX graph of entities and their relations.

The projection reads only RDF (the triples of a pyoxigraph store, one
predicate at a time, or the same triples as `clustergraph.builder.TripleTable`
holds them before any store is filled), never the YAML records, so it gives the
same network for a data directory and for a Turtle file someone else exported
with our vocabulary.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from itertools import combinations
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx
import pyoxigraph as ox

from ..vocab import CG, DCTERMS, ORG, PROV, RDF, RDFS, SCHEMA
from ..yamlfile import gc_paused
from .kinds import KINDS, PREDICATES, PRESETS, RELATIONS, SECTORS, STRUCTURE, sector_of
from .views import actors, cluster_members, in_cluster

if TYPE_CHECKING:
    import rdflib

    from ..builder import BuiltGraph, TripleTable

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


def _store(graph: Any) -> tuple[ox.Store | TripleTable, bool]:
    """A pyoxigraph store holding `graph` (or the table it is), and whether to read all its graphs as one."""
    from ..builder import TripleTable

    if isinstance(graph, ox.Store | TripleTable):
        return graph, False
    if isinstance(graph, str | os.PathLike):
        from ..builder import read_graph

        return read_graph(os.fspath(graph)).store, False
    store = getattr(graph, "store", None)
    if isinstance(store, ox.Store):  # BuiltGraph
        return store, False
    inner = getattr(store, "_store", None)
    if isinstance(inner, ox.Store):  # rdflib.Graph over oxrdflib: read in Oxigraph
        return inner, True
    # Any other rdflib.Graph: copy it once into Oxigraph as N-Triples.
    copy = ox.Store()
    copy.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return copy, False


class _Reader:
    """The triples of one predicate at a time, as (subject, object) strings.

    Reading a predicate's quads straight from Oxigraph's index is about 3x
    cheaper than the same rows through SPARQL, and each predicate is read at
    most once. Terms are compared by their string value, as SPARQL results were.
    Every string is handed out once (`strings`): an IRI read as the subject of
    ten predicates is one str, not ten, in every table the projection keeps.
    A `TripleTable` (the triples build writes, with no store) is read the same
    way, its strings already shared.
    """

    def __init__(self, store: ox.Store | TripleTable, union: bool) -> None:
        self.store = store
        self.graph: ox.DefaultGraph | None = None if union else ox.DefaultGraph()
        self.strings: dict[str, str] = {}

    def each(self, predicate: str, obj: str | None = None) -> Iterator[tuple[str, str]]:
        """(subject, object) of every triple with `predicate` (and object `obj`), in index order."""
        store = self.store
        if not isinstance(store, ox.Store):  # a table's own list, read as it is
            rows = store.pairs(predicate)
            return iter(rows) if obj is None else ((s, v) for s, v in rows if v == obj)
        return self._quads(store, predicate, obj)

    def _quads(self, store: ox.Store, predicate: str, obj: str | None) -> Iterator[tuple[str, str]]:
        o = None if obj is None else ox.NamedNode(obj)
        one = self.strings.setdefault
        for q in store.quads_for_pattern(None, ox.NamedNode(predicate), o, self.graph):
            s, v = q.subject.value, q.object.value
            yield one(s, s), one(v, v)

    def pairs(self, predicate: str, obj: str | None = None) -> list[tuple[str, str]]:
        """`each` as a list."""
        return list(self.each(predicate, obj))

    def values(self, predicate: str) -> dict[str, list[str]]:
        """Subject -> its objects for `predicate`, each subject's objects in index order."""
        out: dict[str, list[str]] = {}
        for s, o in self.each(predicate):
            if s in out:
                out[s].append(o)
            else:
                out[s] = [o]
        return out

    def last(self, predicate: str) -> dict[str, str]:
        """Subject -> its last object for `predicate` in index order."""
        return dict(self.each(predicate))

    def many(self, predicate: str) -> tuple[dict[str, str], dict[str, list[str]]]:
        """`last`, and every object of the few subjects that have more than one."""
        last: dict[str, str] = {}
        more: dict[str, list[str]] = {}
        for s, o in self.each(predicate):
            if s in last:
                more.setdefault(s, [last[s]]).append(o)
            last[s] = o
        return last, more


def _local(iri: str) -> str:
    # Not cached: a cache would keep every IRI of the graph for the life of the process.
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
        elif r in RELATIONS or (r.startswith("partnership:") and len(r) > len("partnership:")):
            out.add(r)
        else:  # a typo would give a network without links and every entity "isolated"
            from ..errors import UsageError, did_you_mean

            hint = did_you_mean(r, [*PRESETS, *RELATIONS]) or "presets: " + ", ".join(PRESETS)
            raise UsageError(f"unknown relation '{r}' in `relations` ({hint})", param="relations")
    if not out:
        from ..errors import UsageError

        message = "`relations` names no relation; give a preset such as collaboration"
        raise UsageError(message, param="relations")
    return frozenset(out)


def _keep(relation: str, wanted: frozenset[str] | None) -> bool:
    if wanted is None or relation in wanted:
        return True
    return relation.startswith("partnership:") and "partnership:*" in wanted


def project(
    graph: BuiltGraph | TripleTable | rdflib.Graph | ox.Store | str | os.PathLike[str],
    relations: str | Iterable[str] | None = None,
) -> nx.Graph:
    """Project the RDF graph onto an undirected NetworkX graph of entities.

    Parameters
    ----------
    graph : BuiltGraph, TripleTable, rdflib.Graph, pyoxigraph.Store or path
        The knowledge graph: what `clustergraph.builder.build` returns (or
        the `clustergraph.builder.TripleTable` of what it would write), any
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
        ``sources`` (dicts ``{id, title, url}``), ``value_chain``, ``city``,
        ``status`` (a policy's or facility's status, else None) and
        ``disputed`` (values other sources give for a field: dicts ``{field,
        value, sources, note}``, ``sources`` being source ids; empty for most).
        Every entity is a node, linked or not, so isolated ones show.
        Edges merge every relation between two entities: ``relations`` (sorted
        kinds), ``weight`` (how many relations were merged: two partnership
        records and a membership give 3), ``sources``, ``since`` and
        ``until`` (from partnership records; ``until`` is None while any of
        them is open), ``clusters`` (clusters the partnership records name)
        and ``partnerships`` (their ids). ``G.graph["relations"]`` records
        the choice; ``G.graph["clusters"]`` maps every cluster id to its
        label, whether or not cluster nodes are kept. Equal lists of ids
        (``relations``, ``clusters``, ``value_chain``, empty lists) may be one
        shared list object: read the graph, do not change it in place.

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
    Each predicate used is read once, straight from the store's index
    (``quads_for_pattern``, no SPARQL; predicates of relations left out are
    not read): O(T) in the number of triples read; the rest is O(N + E). A partnership
    of m members gives m(m-1)/2 edges. Relations are read from the
    predicates build writes (ORG, schema.org, our ``cg:`` terms); no
    inference is done, so a foreign file must state them directly.
    """
    store, union = _store(graph)
    # The projection makes some million small containers and no cycles:
    # Python's cycle collector would walk them again and again (a third of
    # the time at 20,000 entities) for nothing to free.
    with gc_paused():
        return _project(_Reader(store, union), _wanted(relations))


def _project(read: _Reader, wanted: frozenset[str] | None) -> nx.Graph:
    # Memory: at 200,000 entities the store alone is ~2.5 GiB, so what is read
    # is kept once (`_Reader.strings`), each table is let go as soon as its
    # last use is past, and nodes and edges move into the NetworkX graph one by
    # one (their gathering structures freed as they go) instead of being copied
    # in while every table is still alive.
    with_clusters = wanted is None or bool(wanted & STRUCTURE)

    # -- nodes. A subject with several values of an attribute gives one row
    # per combination, the last in index order winning (as SPARQL rows with
    # OPTIONALs did); build writes one value each. So a node takes the last
    # label, category and city, and one node is made per identifier.
    identifier, identifiers = read.many(DCTERMS + "identifier")
    label_of = read.last(RDFS + "label")
    category_of = read.last(CG + "category")
    city_of = read.last(SCHEMA + "addressLocality")
    ids: dict[str, str] = {}
    cluster_ids: dict[str, str] = {}
    cluster_labels: dict[str, str] = {}
    nodes: dict[str, dict[str, Any]] = {}
    for cls, kind in KINDS.items():
        for iri, _ in read.each(RDF + "type", cls):
            label = label_of.get(iri)
            category = category_of.get(iri)
            city = city_of.get(iri)
            for ident in identifiers.get(iri) or (identifier.get(iri),):
                nid = ident or _local(iri)
                if kind == "cluster":
                    cluster_ids[iri] = nid
                    cluster_labels[nid] = label or nid
                    if not with_clusters:
                        continue
                ids[iri] = nid
                nodes[nid] = {
                    "iri": iri,
                    "label": label or nid,
                    "kind": kind,
                    "category": category,
                    "sector": None,
                    "clusters": [],
                    "sources": [],
                    "value_chain": [],
                    "city": city,
                    "disputed": [],
                    "status": None,
                }
    del label_of, category_of, city_of, identifiers
    one = _sharing()  # one list per distinct list of ids

    # -- sources: every object of prov:wasDerivedFrom, with what finds it
    cited: dict[str, tuple[str, ...]] = {}
    for subj, src in read.each(PROV + "wasDerivedFrom"):
        had = cited.get(subj)
        cited[subj] = (src,) if had is None else (*had, src)
    title_of = read.last(DCTERMS + "title")
    url_of = read.last(SCHEMA + "url")
    source_info: dict[str, dict[str, str | None]] = {
        src: {
            "id": identifier.get(src) or _local(src),
            "title": title_of.get(src),
            "url": url_of.get(src),
        }
        for src in {src for srcs in cited.values() for src in srcs}
    }
    del title_of, url_of
    source_key = {src: _local(src) for src in source_info}

    def cites(srcs: Collection[str]) -> list[dict[str, str | None]]:
        if len(srcs) == 1:
            return [source_info[next(iter(srcs))]]
        return [source_info[x] for x in sorted(set(srcs), key=source_key.__getitem__)]

    # -- relations: read a predicate only when its edges are kept or sectors
    # and cluster tags need it.
    related: dict[str, list[tuple[str, str]]] = {
        pred: read.pairs(pred)
        for pred, rel in PREDICATES.items()
        if rel in _ALWAYS_READ or _keep(rel, wanted)
    }
    stages = read.values(CG + "valueChainStage")
    disputed = _disputes(read, identifier)
    del identifier
    for iri, nid in ids.items():
        node = nodes[nid]
        node["sources"] = cites(cited.get(iri, ()))
        node["value_chain"] = one(sorted({_local(x) for x in stages.get(iri, ())}))
        if iri in disputed:
            node["disputed"] = disputed[iri]
    del stages, disputed
    for subj, obj in related[CG + "inCluster"]:
        if subj in ids and obj in cluster_ids:
            nodes[ids[subj]]["clusters"].append(cluster_ids[obj])
    # A status (a bill vetoed, a facility under construction) is shown wherever the entity is.
    for subj, status in read.last(CG + "status").items():
        if subj in ids:
            nodes[ids[subj]]["status"] = status

    # -- edges: [relation -> count, sources, since, until, clusters, partnerships]
    edges: dict[tuple[str, str], _Edge] = {}
    for pred, rel in PREDICATES.items():
        if not _keep(rel, wanted):
            continue
        for subj, obj in related[pred]:
            a, b = ids.get(subj), ids.get(obj)
            if a is None or b is None or subj == obj:
                continue
            key = (a, b) if a < b else (b, a)
            e = edges.get(key) or edges.setdefault(key, _Edge())
            # One structural fact (e.g. a membership read both as hasMember
            # and memberOf) counts once; the sources are those of the record
            # that states it (its subject).
            e.once(rel)
            if subj in cited:
                e.cite(cited[subj])

    typed = {p for p, _ in read.each(RDF + "type", CG + "Partnership")}
    members: dict[str, list[str]] = {}
    for p, m in read.each(CG + "member"):
        if p in typed and m in ids:
            if p in members:
                members[p].append(m)
            else:
                members[p] = [m]
    del typed
    # The first category of a partnership (its kind), the earliest start, the latest end.
    kind_of: dict[str, str] = {}
    for p, category in read.each(CG + "category"):
        if p in members and p not in kind_of:
            kind_of[p] = category
    starts: dict[str, str] = {}
    for p, when in read.each(SCHEMA + "startDate"):
        if p in members and (p not in starts or when < starts[p]):
            starts[p] = when
    ends: dict[str, str] = {}
    for p, when in read.each(SCHEMA + "endDate"):
        if p in members and (p not in ends or when > ends[p]):
            ends[p] = when
    tagged: dict[str, set[str]] = {}
    for subj, obj in related[CG + "inCluster"]:
        if subj in members:
            tagged.setdefault(subj, set()).add(_local(obj))
    bare_links = _keep("partnership:partner", wanted)
    covered: set[tuple[str, str]] = set()
    kept: dict[str, bool] = {}
    for p, listed in members.items():
        ms = sorted(set(listed))  # the union of named graphs may hold a triple twice
        if len(ms) < 2:
            continue
        pairs = list(combinations(ms, 2))
        rel = f"partnership:{kind_of.get(p, 'partner')}"
        if bare_links:
            covered.update(pairs)
        if rel not in kept:
            kept[rel] = _keep(rel, wanted)
        if not kept[rel]:
            continue
        record = _Record(
            _local(p),
            cited.get(p, ()),
            cites(cited.get(p, ())),
            starts.get(p),
            ends.get(p),  # None: still open
            tuple(sorted(tagged.get(p, ()))),
        )
        for a, b in pairs:
            x, y = ids[a], ids[b]
            key = (x, y) if x < y else (y, x)
            e = edges.get(key) or edges.setdefault(key, _Edge())
            e.add(rel, record)
    del members, kind_of, starts, ends, tagged, kept
    # A cg:partnerOf link with no partnership record (a foreign file may state
    # only the link) is a partnership of unknown kind.
    if bare_links:
        links = {
            (s, o) if s < o else (o, s)
            for s, o in read.each(CG + "partnerOf")
            if (s, o) not in covered and (o, s) not in covered
        }
        del covered
        for a, b in sorted(links):
            if a in ids and b in ids:
                x, y = ids[a], ids[b]
                key = (x, y) if x < y else (y, x)
                e = edges.get(key) or edges.setdefault(key, _Edge())
                e.once("partnership:partner", only_new=True)
        del links
    else:
        del covered

    for node in nodes.values():
        node["clusters"] = one(sorted(set(node["clusters"])))
        if not node["disputed"]:
            node["disputed"] = one(())
    order = sorted(nodes)
    _inherit_sectors({nid: nodes[nid] for nid in order}, ids, related)
    del related, ids, cited
    read.strings.clear()
    G = nx.Graph(
        relations=sorted(wanted) if wanted is not None else "all",
        clusters=dict(sorted(cluster_labels.items())),
    )
    # Each node's and each edge's gathering structure is let go as it enters G.
    G.add_nodes_from((nid, nodes.pop(nid)) for nid in order)
    del order, nodes
    G.add_edges_from((a, b, edges.pop((a, b)).attributes(cites, one)) for a, b in sorted(edges))
    return G


def _disputes(read: _Reader, identifier: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Record IRI -> its `cg:disputed` values as dicts {field, value, sources (ids), note},
    sorted by field and value; empty, and nothing more read, when the graph has none."""
    links = read.pairs(CG + "disputed")
    if not links:
        return {}
    field_of, value_of = read.values(CG + "field"), read.values(RDF + "value")
    note_of, source_of = read.values(RDFS + "comment"), read.values(DCTERMS + "source")
    none: tuple[None] = (None,)
    out: dict[str, list[dict[str, Any]]] = {}
    for subj, entry in links:
        out.setdefault(subj, []).append(
            {
                "field": field_of.get(entry, none)[-1],
                "value": value_of.get(entry, none)[-1],
                "sources": sorted(identifier.get(x) or _local(x) for x in source_of.get(entry, ())),
                "note": note_of.get(entry, none)[-1],
            }
        )
    for entries in out.values():
        entries.sort(key=lambda d: (d["field"] or "", d["value"] or ""))
    return out


# Relations read whatever the choice of edges: sectors follow memberships,
# operators and affiliations; cluster tags follow in-cluster.
_ALWAYS_READ = frozenset({"member-of", "operator", "affiliation", "in-cluster"})


class _Record(NamedTuple):
    """A partnership record, as its edges need it."""

    id: str
    sources: tuple[str, ...]  # source IRIs, as read
    cites: list[dict[str, str | None]]  # `sources` as edges show them
    since: str | None  # the earliest start date
    until: str | None  # the latest end date; None when it has none (still open)
    clusters: tuple[str, ...]  # sorted


class _Edge:
    """What `project` gathers about one pair before it becomes edge attributes.

    Small, as there is one per edge: `rel` is one relation kind counted once
    (a str) until a second kind or count comes; `sources` (of the structural
    relations) and `records` (partnership records, one per pair they make) are
    None until there is one, a single record is kept as itself.
    """

    __slots__ = ("records", "rel", "sources")

    def __init__(self) -> None:
        self.rel: str | dict[str, int] = ""
        self.sources: set[str] | None = None
        self.records: _Record | list[_Record] | None = None

    def _counts(self) -> dict[str, int]:
        rel = self.rel
        if isinstance(rel, str):
            self.rel = rel = {rel: 1} if rel else {}
        return rel

    def once(self, kind: str, *, only_new: bool = False) -> None:
        """Count `kind` once (a structural fact); with `only_new`, only if it is not counted yet."""
        if self.rel == "" or self.rel == kind:
            self.rel = kind
        else:
            counts = self._counts()
            if only_new:
                counts.setdefault(kind, 1)
            else:
                counts[kind] = 1

    def add(self, kind: str, record: _Record) -> None:
        """Count one more `kind` from a partnership record."""
        counts = self._counts()
        counts[kind] = counts.get(kind, 0) + 1
        had = self.records
        if had is None:
            self.records = record
        elif isinstance(had, list):
            had.append(record)
        else:
            self.records = [had, record]

    def cite(self, srcs: Iterable[str]) -> None:
        if self.sources is None:
            self.sources = set(srcs)
        else:
            self.sources.update(srcs)

    def attributes(
        self,
        cites: Callable[[Collection[str]], list[dict[str, str | None]]],
        one: Callable[[Iterable[str]], list[str]],
    ) -> dict[str, Any]:
        """The edge's attributes; `one` gives the one shared list of equal id lists."""
        rel = self._counts()
        had = self.records
        records = [] if had is None else had if isinstance(had, list) else [had]
        srcs: set[str] = self.sources or set()
        since: str | None = None
        until: str | None = None
        clusters: list[str] = one(())
        partnerships: list[str] = clusters
        if len(records) == 1 and not srcs:  # the common case, made short
            r = records[0]
            return {
                "relations": one(sorted(rel)),
                "weight": sum(rel.values()),
                "sources": list(r.cites),
                "since": r.since,
                "until": r.until,
                "clusters": one(r.clusters),
                "partnerships": [r.id],
            }
        if records:
            srcs = srcs.union(*(r.sources for r in records))
            starts = [r.since for r in records if r.since is not None]
            since = min(starts) if starts else None
            ends = [r.until for r in records]
            until = None if None in ends else max(ends)  # type: ignore[type-var]
            clusters = one(sorted({c for r in records for c in r.clusters}))
            partnerships = sorted({r.id for r in records})
        return {
            "relations": one(sorted(rel)),
            "weight": sum(rel.values()),
            "sources": cites(srcs) if srcs else [],
            "since": since,
            "until": until,
            "clusters": clusters,
            "partnerships": partnerships,
        }


def _sharing() -> Callable[[Iterable[str]], list[str]]:
    """A function that gives one list per distinct sequence of ids (relation kinds, cluster
    ids): a few dozen recur over every edge, and a list each is ~60 bytes times a million."""
    lists: dict[tuple[str, ...], list[str]] = {}

    def one(items: Iterable[str]) -> list[str]:
        key = items if isinstance(items, tuple) else tuple(items)
        found = lists.get(key)
        if found is None:
            found = lists[key] = list(key)
        return found

    return one


def _inherit_sectors(
    nodes: dict[str, dict[str, Any]], ids: dict[str, str], related: dict[str, list[tuple[str, str]]]
) -> None:
    """Set `sector` on `nodes` (in id order): own rule first, then consortia, facilities and people inherit.

    One pass in id order, as before: a parent met later in that order (a person
    who runs a facility) has no inherited sector yet.
    """
    for d in nodes.values():
        d["sector"] = sector_of(d["kind"], d["category"])
    # Read inheritance from the RDF relations themselves, whichever edges were kept.
    members: dict[str, set[str]] = defaultdict(set)
    for group, member in related[ORG + "hasMember"]:
        if group in ids and member in ids:
            members[ids[group]].add(ids[member])
    for member, group in related[ORG + "memberOf"]:
        if group in ids and member in ids:
            members[ids[group]].add(ids[member])
    # The first operator of a facility, the first affiliation of a person.
    operator: dict[str, str] = {}
    affiliation: dict[str, str] = {}
    for pred, parent in ((CG + "operatedBy", operator), (SCHEMA + "affiliation", affiliation)):
        for a, b in related[pred]:
            if a in ids and b in ids:
                parent.setdefault(ids[a], ids[b])
    for nid, d in nodes.items():
        if d["kind"] == "organization" and d["category"] == "consortium":
            votes = Counter(nodes[m]["sector"] for m in members.get(nid, ()) if nodes[m]["sector"])
            # Ties go to the sector listed first in SECTORS, so the answer is stable.
            d["sector"] = min(votes, key=lambda s: (-votes[s], SECTORS.index(s))) if votes else "civic"
    for nid, d in nodes.items():
        if d["kind"] == "facility":
            d["sector"] = nodes[operator[nid]]["sector"] if nid in operator else "industry"
        elif d["kind"] == "person":
            d["sector"] = nodes[affiliation[nid]]["sector"] if nid in affiliation else "civic"
        if d["sector"] is None and d["kind"] != "cluster":
            d["sector"] = "civic"


def load_network(data: str | os.PathLike[str], relations: str | Iterable[str] | None = None) -> nx.Graph:
    """The network of a data directory (YAML) or of an exported RDF file.

    A path ending in an RDF suffix (.ttl, .nt, .jsonld, .rdf) is read as RDF;
    anything else is loaded, validated and built first (bad data raises
    `clustergraph.errors.DataErrors`).
    """
    from ..builder import open_graph

    return project(open_graph(os.fspath(data)), relations)

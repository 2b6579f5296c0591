"""The content of every page of the site, as plain data the templates turn into HTML.

Nothing here writes markup: each function returns dicts and lists of text, ids and
numbers; the Jinja2 templates (autoescaping) place them. Links are page paths
relative to the site's root (``id/laedc.html``); a record without a page of its
own is named, not linked.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx

from ...concepts import BY_KIND, NODE_KINDS, OTHER_KIND, PLAN_LEVELS, STAGES
from ...network.kinds import PREDICATES
from ...network.paths import _DIRECTED, relation_words
from ...network.resolve import _KIND_LABELS
from ...network.resolve import _KIND_WORDS as _KIND_NAMES
from ...network.views import actors, cluster_members
from .._html import safe_url
from .facts import Records, plan_items, predicate_words

# Kinds in words (US spelling), singular and plural: the one table of kinds.
_DC = "http://purl.org/dc/terms/"
KIND_WORDS: dict[str, tuple[str, str]] = {k.kind: (k.label, k.plural) for k in NODE_KINDS}
LEVEL_WORDS = dict(PLAN_LEVELS)
NEIGHBOURS_DRAWN = 12
# A hub can have thousands of partners of one relation: a page lists this many, and counts
# the rest (all of them are in the record's Turtle and JSON-LD, and in the path form).
PARTNERS_LISTED = 300
SHORT_LIST = 40  # entities named in one cell of a table


def kind_colour(kind: str) -> str:
    return BY_KIND.get(kind, OTHER_KIND).colour


def words(slug: str | None) -> str:
    return (slug or "").replace("-", " ")


@dataclass
class Site:
    """Everything the pages are made from, computed once per edition."""

    name: str
    built: str
    records: Records
    G: nx.Graph  # the network with cluster nodes ("all")
    events: Sequence[Mapping[str, Any]]
    # The analyses, which may be set after the pages' own tables are made (`site_from`).
    rows: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # connectors rows by id
    gaps: Mapping[str, Any] = field(default_factory=dict)
    summary: Mapping[str, Any] = field(default_factory=dict)
    communities: Mapping[Any, int] = field(default_factory=dict)  # entity -> community number
    H: nx.Graph = field(init=False)
    pages: dict[str, str] = field(init=False)  # record id -> page path
    plans: dict[str, dict[str, Any]] = field(init=False)
    cited_by: dict[str, list[str]] = field(init=False)
    direction: dict[tuple[str, str], list[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.H = actors(self.G)
        self._labels = {str(v): str(d.get("label") or v) for v, d in self.G.nodes(data=True)}
        self._kinds = {str(v): d.get("kind") for v, d in self.G.nodes(data=True)}
        self._iris = {v: d.get("iri") for v, d in self.G.nodes(data=True)}
        self.clusters: dict[str, str] = dict(self.G.graph.get("clusters") or {})
        self.plans = plan_items(self.records)
        self.cited_by = self.records.cited_by()
        self.sources = sorted(self.cited_by)
        entities = [str(v) for v in self.H]
        self.pages = {
            rid: f"id/{rid}.html" for rid in [*entities, *self.clusters, *self.sources, *self.plans]
        }
        self.members = cluster_members(self.H, reach=0)
        # Which way each relation runs: (subject iri, object iri) -> predicate names.
        wanted = {p for p in PREDICATES if p.rsplit("/", 1)[-1].rsplit("#", 1)[-1] in _DIRECTED}
        direction: dict[tuple[str, str], list[str]] = defaultdict(list)
        for s, p, o in self.records.with_predicates(sorted(wanted)):
            direction[(s, o)].append(p.rsplit("/", 1)[-1].rsplit("#", 1)[-1])
        self.direction = dict(direction)
        self.events_of: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        self.advancing: dict[str, list[int]] = defaultdict(list)  # plan item -> positions in events
        for i, e in enumerate(self.events):
            for s in e.get("subjects") or ():
                self.events_of[s].append(e)
            for a in e.get("advances") or ():
                self.advancing[a].append(i)

    def serving(self, cid: str) -> set[str]:
        """Entities that take part in or serve the cluster: its members and their partners
        (`cluster_members` with ``reach=1``), made when its page asks. Kept for every
        cluster at once they were 4.6 million entries at 50,000 entities (228 MiB), as
        most clusters have a hub among their members."""
        core = self.members.get(cid, set())
        grown = set(core)
        for v in core:
            grown.update(w for w in self.H[v] if self._kinds.get(w) != "cluster")
        return grown

    @cached_property
    def isolated(self) -> dict[str, Mapping[str, Any]]:
        """Entity id -> its row of the gaps' isolated entities."""
        return {r["id"]: r for r in self.gaps.get("isolated") or ()}

    # -- small helpers the templates use through the page data

    def label(self, rid: str) -> str:
        found = self._labels.get(rid)
        if found is not None:
            return found
        if rid in self.clusters:
            return self.clusters[rid]
        return self.records.label.get(self.records.iri(rid), rid)

    def by_name(self, rid: str) -> tuple[str, str]:
        """The order records are listed in: by name, and by id where two share a name (a set
        of ids has no order of its own, and must not leave one to the process's hash seed)."""
        return self.label(rid).lower(), rid

    def ref(self, rid: str) -> dict[str, Any]:
        """A record as a page shows a mention of it: its name and, when it has one, its page."""
        return {
            "id": rid,
            "label": self.label(rid),
            "href": self.pages.get(rid),
            "kind": self._kinds.get(rid),
        }

    def source_ref(self, sid: str) -> dict[str, Any]:
        iri = self.records.iri(sid)
        title = self.records.values(sid, "http://purl.org/dc/terms/title")
        url = self.records.values(sid, "https://schema.org/url")
        return {
            "id": sid,
            "label": title[0] if title else self.records.label.get(iri, sid),
            "href": self.pages.get(sid),
            "url": safe_url(url[0]) if url else None,
        }

    def relation_between(self, a: str, b: str, relation: str) -> str:
        """The relation in words, read from a to b."""
        ia, ib = self._iris.get(a), self._iris.get(b)
        for name in self.direction.get((ia, ib), ()):
            if _RELATION_OF[name] == relation:
                return _DIRECTED[name][0]
        for name in self.direction.get((ib, ia), ()):
            if _RELATION_OF[name] == relation:
                return _DIRECTED[name][1]
        return relation_words(relation)

    def kind_words(self, kind: str | None, plural: bool = False) -> str:
        pair = KIND_WORDS.get(kind or "", ((kind or "record").capitalize(), (kind or "record") + "s"))
        return pair[1] if plural else pair[0]


_PRED_BY_NAME = {p.rsplit("/", 1)[-1].rsplit("#", 1)[-1]: p for p in PREDICATES}


# A directed predicate's name -> the relation it is part of.
_RELATION_OF = {name: PREDICATES.get(p) for name, p in _PRED_BY_NAME.items()}


# ---------------------------------------------------------------- entity pages


def disputes(site: Site, rid: str) -> list[dict[str, Any]]:
    """Where sources disagree with a value the record keeps: the field, the value it keeps,
    the other value and who gives it, and the note."""
    out = []
    for d in site.records.disputes(rid):
        kept = site.records.values(rid, _FIELD_PREDICATES.get(d["field"], ""))
        pred = _FIELD_PREDICATES.get(d["field"])
        out.append(
            {
                "field": words(d["field"]),
                "fact": predicate_words(pred) if pred else None,  # the line of facts it concerns
                "kept": "; ".join(kept),
                "value": d["value"],
                "sources": [site.source_ref(x) for x in d["sources"]],
                "note": d["note"],
            }
        )
    return out


# A disputed field's predicate, to show the value the record keeps beside the other one.
_FIELD_PREDICATES = {
    "city": "https://schema.org/addressLocality",
    "name": "http://www.w3.org/2000/01/rdf-schema#label",
    "since": "https://schema.org/startDate",
    "started": "https://schema.org/startDate",
    "date": "https://schema.org/startDate",
    "until": "https://schema.org/endDate",
    "description": _DC + "description",
    "website": "http://xmlns.com/foaf/0.1/homepage",
    "status": "https://w3id.org/clustergraph/ns#status",
}


def entity_page(site: Site, rid: str) -> dict[str, Any]:
    """An entity: what it is, its facts and sources, partners by relation, place in the network."""
    G, H = site.G, site.H
    d = G.nodes[rid]
    iri = str(d.get("iri") or site.records.iri(rid))
    kind = str(d.get("kind") or "")
    what = site.kind_words(kind)
    if d.get("category") and words(d["category"]) not in what.lower():
        what += f" ({words(d['category'])})"
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    adjacency = H[rid]
    for other in sorted(adjacency, key=site.by_name):
        for rel in adjacency[other].get("relations") or ():
            group = groups[site.relation_between(rid, other, rel)]
            if len(group) < PARTNERS_LISTED:
                group.append(site.ref(other))
            else:
                group.append({})  # counted, not listed
    partners = [
        {
            "relation": k,
            "entities": [r for r in v if r],
            "more": sum(1 for r in v if not r),
        }
        for k, v in sorted(groups.items(), key=lambda kv: -len(kv[1]))
    ]
    aliases = site.records.values(rid, "http://www.w3.org/2004/02/skos/core#altLabel")
    return {
        "id": rid,
        "iri": iri,
        "label": site.label(rid),
        "what": what,
        "kind": kind,
        "colour": kind_colour(kind),
        "aliases": aliases,
        "city": d.get("city"),
        "clusters": [site.ref(c) for c in d.get("clusters") or ()],
        "value_chain": list(d.get("value_chain") or ()),
        # Links to partners are listed under Partners, by relation, with their sources.
        "facts": site.records.facts(rid, safe_url, skip=set(H[rid])),
        "disputes": disputes(site, rid),
        "sources": [site.source_ref(s) for s in site.records.sources(rid)],
        "partners": partners,
        "partner_count": H.degree(rid),
        "measures": measures_in_words(site, rid),
        "drawing": neighbourhood(site, rid),
        "events": [event_row(site, e) for e in site.events_of.get(rid, ())],
        "ttl": f"{rid}.ttl",
        "jsonld": f"{rid}.jsonld",
    }


def measures_in_words(site: Site, rid: str) -> list[str]:
    """Sentences on the entity's place in the network, for a director."""
    H = site.H
    row = site.rows.get(rid)
    n = H.number_of_nodes()
    out: list[str] = []
    degree = H.degree(rid)
    if degree == 0:
        out.append("No link to any other entity is recorded yet.")
        return out
    if row is not None:
        out.append(f"Ranks {row['rank']:,} of {n:,} as a connector of the regional network.")
        if row.get("why"):
            out.append(str(row["why"])[:1].upper() + str(row["why"])[1:] + ".")
        if not row.get("cut_off"):
            out.append("Removing it would cut no one off: every partner has another path.")
    iso = site.isolated.get(rid)
    if iso and iso.get("status") == "peripheral" and iso.get("broker"):
        out.append(f"Linked to the rest only through {site.label(str(iso['broker']))}.")
    return out


def neighbourhood(site: Site, rid: str) -> dict[str, Any]:
    """A small drawing: the entity in the middle, its partners around it (the best connected first)."""
    H = site.H
    others = sorted(H[rid], key=lambda v: (-H.degree(v), site.label(v).lower(), v))
    shown, more = others[:NEIGHBOURS_DRAWN], max(0, len(others) - NEIGHBOURS_DRAWN)
    w, h, r = 640, 320, 120
    cx, cy = w / 2, h / 2
    nodes = []
    for i, v in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(shown))
        x, y = cx + r * 1.1 * math.cos(angle), cy + r * math.sin(angle)
        label = site.label(v)
        nodes.append(
            {
                "x": round(x, 1),
                "y": round(y, 1),
                "label": label if len(label) <= 26 else label[:24] + "…",
                "title": label,
                "href": site.pages.get(v),
                "colour": kind_colour(str(H.nodes[v].get("kind"))),
                "anchor": "middle" if abs(x - cx) < 20 else ("start" if x > cx else "end"),
                "dx": 0 if abs(x - cx) < 20 else (9 if x > cx else -9),
                "dy": -10 if y < cy - r * 0.9 else (18 if y > cy + r * 0.9 else 4),
            }
        )
    return {
        "w": w,
        "h": h,
        "cx": cx,
        "cy": cy,
        "nodes": nodes,
        "more": more,
        "colour": kind_colour(str(H.nodes[rid].get("kind"))),
    }


def event_row(site: Site, e: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "date": e.get("date") or "",
        "name": e.get("event") or e.get("id"),
        "type": words(e.get("type")),
        "subjects": [site.ref(s) for s in e.get("subjects") or ()],
        "advances": [site.ref(a) for a in e.get("advances") or ()],
    }


# ---------------------------------------------------------------- clusters, sources, plan items


def cluster_page(site: Site, cid: str) -> dict[str, Any]:
    """A cluster: who takes part and who serves it, coverage, value chain, gaps, suggestions."""
    core = site.members.get(cid, set())
    serving = site.serving(cid) - core
    # With no entity tagged, the data cannot show the assets: nothing is claimed missing.
    coverage = [r for r in site.gaps.get("coverage") or () if r.get("cluster") == cid] if core else []
    chain = {r["stage"]: r for r in site.gaps.get("value_chain") or () if r.get("cluster") == cid and core}
    members = core | serving
    suggestions = [
        {"a": site.ref(s["a"]), "b": site.ref(s["b"]), "why": s.get("why") or ""}
        for s in site.gaps.get("suggestions") or ()
        if s["a"] in members or s["b"] in members
    ]
    by_kind: dict[str, list[str]] = defaultdict(list)
    for v in sorted(core, key=site.by_name):
        by_kind[site.kind_words(site.H.nodes[v].get("kind"), plural=True)].append(v)
    return {
        "id": cid,
        "label": site.label(cid),
        "iri": site.records.iri(cid),
        "facts": site.records.facts(cid, safe_url),
        "disputes": disputes(site, cid),
        "sources": [site.source_ref(s) for s in site.records.sources(cid)],
        "members": [
            {
                "kind": k,
                "entities": [site.ref(x) for x in v[:PARTNERS_LISTED]],
                "more": max(0, len(v) - PARTNERS_LISTED),
            }
            for k, v in sorted(by_kind.items())
        ],
        "member_count": len(core),
        "serving": [site.ref(v) for v in sorted(serving, key=site.by_name)[:PARTNERS_LISTED]],
        "serving_more": max(0, len(serving) - PARTNERS_LISTED),
        "coverage": [
            {
                "asset": r.get("label") or words(r.get("asset")),
                "has": r.get("has"),
                "status": r.get("status"),
                "entities": [site.ref(x) for x in (r.get("entities") or ())[:SHORT_LIST]],
                "more": max(0, len(r.get("entities") or ()) - SHORT_LIST),
                "why": r.get("why") or "",
            }
            for r in coverage
        ],
        "value_chain": [
            {
                "stage": s,
                "assets": [site.ref(x) for x in ((chain.get(s) or {}).get("assets") or ())[:SHORT_LIST]],
                "more": max(0, len((chain.get(s) or {}).get("assets") or ()) - SHORT_LIST),
                "assessed": s in chain,
            }
            for s in STAGES
        ],
        "suggestions": suggestions[:10],
        "ttl": f"{cid}.ttl",
        "jsonld": f"{cid}.jsonld",
    }


def source_page(site: Site, sid: str) -> dict[str, Any]:
    """A source: what it is, and every record that cites it."""
    citing = site.cited_by.get(sid, [])
    paged = sorted((r for r in citing if r in site.pages), key=site.by_name)
    other = sorted((r for r in citing if r not in site.pages), key=site.by_name)
    cap = PARTNERS_LISTED * 3  # a source the whole region cites would make a page of megabytes
    with_pages = [site.ref(r) for r in paged[:cap]]
    without = [site.ref(r) for r in other[:cap]]
    ref = site.source_ref(sid)
    return ref | {
        "iri": site.records.iri(sid),
        # The title is the heading and the address the "read the original" link.
        "facts": site.records.facts(sid, safe_url, shown={_DC + "title", "https://schema.org/url"}),
        "citing": with_pages,
        "other": without,
        "more": max(0, len(paged) - cap) + max(0, len(other) - cap),
        "cited": len(citing),
        "ttl": f"{sid}.ttl",
        "jsonld": f"{sid}.jsonld",
    }


def plan_page(site: Site, pid: str) -> dict[str, Any]:
    """A plan item: where it sits in the plan, its parts, the events that advance it."""
    item = site.plans[pid]
    below: set[str] = set()
    todo = [pid]
    while todo:
        x = todo.pop()
        below.add(x)
        todo.extend(site.plans[x]["children"])
    seen: set[int] = set()
    for x in below:
        for i in site.advancing.get(x, ()):
            if i not in seen:
                seen.add(i)
    events = [event_row(site, site.events[i]) for i in sorted(seen)]
    trail = []
    up = item["parent"]
    while up in site.plans:
        trail.append(site.ref(up) | {"level": LEVEL_WORDS[site.plans[up]["level"]]})
        up = site.plans[up]["parent"]
    lead = [
        site.ref(i)
        for v in site.records.values(pid, "https://w3id.org/clustergraph/ns#ledBy")
        if (i := site.records.id_of(v))
    ]
    return {
        "id": pid,
        "label": item["label"],
        "level": LEVEL_WORDS[item["level"]],
        "iri": site.records.iri(pid),
        "trail": list(reversed(trail)),
        "children": [site.ref(c) | {"level": LEVEL_WORDS[site.plans[c]["level"]]} for c in item["children"]],
        "lead": lead,
        "events": events,
        "stalled": not events and item["level"] != "plan",
        "facts": site.records.facts(pid, safe_url, shown={_DC + "isPartOf"}),  # isPartOf: the trail
        "disputes": disputes(site, pid),
        "sources": [site.source_ref(s) for s in site.records.sources(pid)],
        "ttl": f"{pid}.ttl",
        "jsonld": f"{pid}.jsonld",
    }


# ---------------------------------------------------------------- index, lists, search, path data


def index_page(site: Site) -> dict[str, Any]:
    s = site.summary
    kinds: dict[str, int] = defaultdict(int)
    for _, k in site.H.nodes(data="kind"):
        kinds[str(k)] += 1
    clusters = [
        {
            **site.ref(c),
            "members": len(site.members.get(c, ())),
            # A gap is claimed only where the data shows who serves the cluster.
            "gaps": sum(
                1 for r in site.gaps.get("coverage") or () if r.get("cluster") == c and not r.get("has")
            )
            if site.members.get(c)
            else None,
        }
        for c in sorted(site.clusters, key=lambda c: site.clusters[c].lower())
    ]
    top = sorted(site.rows.values(), key=lambda r: r["rank"])[:5]
    return {
        "figures": [
            {"value": f"{s.get('entities', 0):,}", "what": "entities"},
            {"value": f"{s.get('links', 0):,}", "what": "links between them"},
            {"value": f"{len(site.clusters):,}", "what": "industry clusters"},
            {"value": f"{len(site.sources):,}", "what": "sources cited"},
            {"value": f"{s.get('components', 0):,}", "what": "separate groups"},
            {"value": f"{s.get('isolated', 0):,}", "what": "entities with no link"},
        ],
        "sentences": list(s.get("sentences") or ())[:3],
        "clusters": clusters,
        "kinds": [
            {"kind": k, "label": site.kind_words(k, plural=True), "count": n, "href": f"kinds.html#{k}"}
            for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])
        ],
        "top": [site.ref(r["id"]) | {"why": r.get("why") or ""} for r in top],
    }


# A kind with more entities than this is listed on pages of this many, by name: a page of
# 200,000 links takes a browser seconds to open and a person cannot use it.
LISTED_PER_PAGE = 500


def kinds_page(site: Site) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every entity by kind: the sections of ``kinds.html`` and, for a kind of more than
    LISTED_PER_PAGE entities, its pages ``kinds/KIND-N.html`` (each {rel, kind, label, n,
    of, first, last, entities, prev, next}); such a section lists its pages, not its entities."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for v, k in site.H.nodes(data="kind"):
        by_kind[str(k)].append(site.ref(str(v)))
    sections, pages = [], []
    for k, v in sorted(by_kind.items(), key=lambda kv: site.kind_words(kv[0], True)):
        v.sort(key=lambda r: (r["label"].lower(), r["id"]))
        label = site.kind_words(k, plural=True)
        section: dict[str, Any] = {"kind": k, "label": label, "count": len(v), "entities": v, "pages": []}
        if len(v) > LISTED_PER_PAGE:
            parts = [v[i : i + LISTED_PER_PAGE] for i in range(0, len(v), LISTED_PER_PAGE)]
            rels = [f"kinds/{k}-{n}.html" for n in range(1, len(parts) + 1)]
            for n, part in enumerate(parts):
                page = {
                    "rel": rels[n],
                    "kind": k,
                    "label": label,
                    "n": n + 1,
                    "of": len(parts),
                    "first": part[0]["label"],
                    "last": part[-1]["label"],
                    "count": len(part),
                    "entities": part,
                    "prev": rels[n - 1] if n else None,
                    "next": rels[n + 1] if n + 1 < len(parts) else None,
                }
                pages.append(page)
                section["pages"].append({k2: page[k2] for k2 in ("rel", "first", "last", "count")})
            section["entities"] = []
        sections.append(section)
    return sections, pages


def search_index(site: Site) -> dict[str, Any]:
    """The offline search box's data: {"what": [words], "rows": [[id, name, aliases, what]]},
    a row for every page (``id/ID.html``), "what" an index into the words (Person, Source...).

    At 50,000 entities the rows are two megabytes: they travel in a script file of their
    own (``search-data.js``), the words said once rather than on every row.
    """
    rows = []
    alt = "http://www.w3.org/2004/02/skos/core#altLabel"
    whats: dict[str, int] = {}
    for rid in site.pages:
        if rid in site.H:
            what = site.kind_words(site.H.nodes[rid].get("kind"))
        elif rid in site.clusters:
            what = "Industry cluster"
        elif rid in site.plans:
            what = "Plan " + site.plans[rid]["level"]
        else:
            what = "Source"
        rows.append([rid, site.label(rid), site.records.values(rid, alt), whats.setdefault(what, len(whats))])
    rows.sort(key=lambda r: (str(r[1]).lower(), r[0]))
    return {"what": list(whats), "rows": rows}


def path_data(site: Site) -> dict[str, Any]:
    """The network as the path form's script needs it: nodes [id, name, kind, category,
    aliases], links [a, b, words a to b, words b to a, sources] where a and b are node
    positions, the words positions in "phrases" and the sources positions in "sources"
    ([id, title]): at 50,000 entities each of 170,000 links spelt its words and its
    sources' ids out (19.5 MB); a few hundred phrases and 2,000 sources are said once.
    """
    H = site.H
    ids = [str(v) for v in H]
    index = {v: i for i, v in enumerate(ids)}
    alt = "http://www.w3.org/2004/02/skos/core#altLabel"
    nodes = [
        [v, site.label(v), str(H.nodes[v].get("kind") or ""), str(H.nodes[v].get("category") or ""),
         site.records.values(v, alt)]
        for v in ids
    ]  # fmt: skip
    phrases: dict[str, int] = {}
    source_at = {sid: i for i, sid in enumerate(site.sources)}
    edges = []
    for a, b, e in H.edges(data=True):
        rels = list(e.get("relations") or ())
        there = "; ".join(site.relation_between(a, b, r) for r in rels)
        back = "; ".join(site.relation_between(b, a, r) for r in rels)
        cited = [s["id"] for s in e.get("sources") or ()]
        edges.append(
            [
                index[a],
                index[b],
                phrases.setdefault(there, len(phrases)),
                phrases.setdefault(back, len(phrases)),
                [source_at.get(s, s) for s in cited],
            ]
        )
    members = {c: sorted(index[v] for v in site.members.get(c, ())) for c in site.clusters}
    return {
        "nodes": nodes,
        "edges": edges,
        "phrases": list(phrases),
        "clusters": [[c, site.clusters[c], members[c]] for c in site.clusters],
        "sources": [[sid, site.source_ref(sid)["label"]] for sid in site.sources],
        # The same words `clustergraph path` accepts after kind:, and how it names each group.
        "kinds": {k: [k, *names] for k, names in _KIND_NAMES.items()},
        "kindLabels": dict(_KIND_LABELS),
    }

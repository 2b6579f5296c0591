"""RDF -> NetworkX projection: the same network from the data and from its Turtle."""

from __future__ import annotations

import importlib.util
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from clustergraph.builder import BuiltGraph, build
from clustergraph.cli import main
from clustergraph.loader import load
from clustergraph.network import KINDS, PRESETS, SECTORS, project, sector_of
from clustergraph.network.kinds import PREDICATES as _PREDICATES
from clustergraph.network.project import _local, _wanted
from clustergraph.vocab import CG, ORG, SCHEMA

from .conftest import GRAPH_DIR, ROOT


@pytest.fixture(scope="session")
def la_turtle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ttl") / "la.ttl"
    result = CliRunner().invoke(main, ["build", str(GRAPH_DIR), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _same(a: nx.Graph, b: nx.Graph) -> None:
    assert sorted(a.nodes(data=True)) == sorted(b.nodes(data=True))
    assert sorted(a.edges(data=True)) == sorted(b.edges(data=True))


@pytest.mark.parametrize("relations", [None, "partnerships", "collaboration"])
def test_exported_turtle_projects_to_the_same_network(
    la_graph: BuiltGraph, la_turtle: Path, relations: str | None
) -> None:
    _same(project(la_graph, relations), project(la_turtle, relations))
    _same(project(la_graph, relations), project(str(la_turtle), relations))


def test_any_rdflib_graph_projects_like_the_store(la_graph: BuiltGraph, la_turtle: Path) -> None:
    _same(project(la_graph), project(la_graph.rdflib))
    _same(project(la_graph), project(rdflib.Graph().parse(la_turtle)))


def test_nodes_are_keyed_by_record_id_with_their_attributes(la_graph: BuiltGraph) -> None:
    G = project(la_graph)
    port = G.nodes["port-of-los-angeles"]
    assert port["iri"] == la_graph.iri("port-of-los-angeles")
    assert port["label"] == "Port of Los Angeles"
    assert (port["kind"], port["category"], port["sector"]) == ("organization", "port", "government")
    assert port["clusters"] == ["blue-economy"]
    assert port["city"] == "Los Angeles"
    assert {s["id"] for s in port["sources"]} == {"progress-report-2017", "wikipedia-port-of-los-angeles"}
    assert all(set(s) == {"id", "title", "url"} for s in port["sources"])
    assert G.nodes["biolabs-la-incubator"]["value_chain"] == ["research"]
    # Sources, events, reports, plans and partnerships are not nodes.
    assert "progress-report-2017" not in G and "altasea-port-lease" not in G
    assert "wdc-launched" not in G and "goal-2-clusters" not in G


def test_sectors_follow_kind_category_and_inheritance(la_graph: BuiltGraph) -> None:
    sector = nx.get_node_attributes(project(la_graph), "sector")
    assert sector["ucla"] == sector["la-biomed"] == "education"  # research institute counts as education
    assert sector["la-area-chamber"] == sector["biolabs"] == "industry"
    assert sector["laedc"] == sector["center-for-a-competitive-workforce"] == "civic"
    assert sector["los-angeles-county-wdb"] == "workforce"
    # A consortium takes its members' sector; a facility its operator's; a person their affiliation's.
    assert sector["la-oc-regional-consortium"] == sector["csu5"] == "education"
    assert sector["la-basin-regional-planning-unit"] == "workforce"
    assert sector["biolabs-la-incubator"] == "industry"
    assert sector["al-muratsuchi"] == "government"


def test_parallel_relations_merge_into_one_weighted_edge(la_graph: BuiltGraph) -> None:
    e = project(la_graph).edges["altasea", "port-of-los-angeles"]
    # A co-location lease and a donation: two partnership records on one pair.
    assert e["relations"] == ["partnership:co-location", "partnership:funding"]
    assert e["weight"] == 2
    assert e["partnerships"] == ["altasea-port-lease", "port-funds-altasea"]
    assert e["clusters"] == ["blue-economy"]
    assert e["until"] is None
    wdc = project(la_graph).edges["la-area-chamber", "laedc"]
    # WDC, CCW (2017 launch and 2019 update) and the digital media report: four records, the earliest 2017.
    assert wdc["since"] == "2017" and wdc["weight"] == 4
    # A membership is written both as org:hasMember and org:memberOf: one relation, not two.
    assert project(la_graph).edges["csu5", "cal-state-la"]["weight"] == 1


def test_relation_presets_choose_the_edges(la_graph: BuiltGraph) -> None:
    only = project(la_graph, "partnerships")
    assert all(r.startswith("partnership:") for *_, rs in only.edges(data="relations") for r in rs)
    assert "aerospace" not in only  # no cluster nodes without in-cluster edges
    assert only.nodes["ab-427"]["clusters"] == ["aerospace"]  # the attribute stays
    collab = project(la_graph, "collaboration")
    assert collab.has_edge("laedc", "workforce-development-council")
    assert not any("in-cluster" in rs for *_, rs in collab.edges(data="relations"))
    every = project(la_graph)
    assert every.has_edge("altasea", "blue-economy")
    assert every.graph["relations"] == "all" and PRESETS["all"] is None
    funding = project(la_graph, ["partnership:funding", "operator"])
    assert {r for *_, rs in funding.edges(data="relations") for r in rs} == {
        "partnership:funding",
        "operator",
    }
    assert set(project(la_graph, "partnership:funding,operator").edges) == set(funding.edges)


def test_a_bare_partner_link_without_a_record_is_still_an_edge(tmp_path: Path) -> None:
    ttl = tmp_path / "foreign.ttl"
    ttl.write_text(
        """@prefix cg: <https://w3id.org/clustergraph/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
ex:a a cg:Organization ; rdfs:label "A" ; cg:category "company" ; cg:partnerOf ex:b .
ex:b a cg:College ; rdfs:label "B" ; cg:partnerOf ex:a .
ex:c a cg:WorkforceBoard ; rdfs:label "C" .
""",
        encoding="utf-8",
    )
    G = project(ttl)
    assert sorted(G) == ["a", "b", "c"]  # ids from the IRI when dcterms:identifier is absent
    assert G.edges["a", "b"]["relations"] == ["partnership:partner"]
    assert G.nodes["a"]["sector"] == "industry" and G.degree("c") == 0


# -- Regression: the projection against an independent recomputation --------
#
# `_expected` recomputes the network the slow, obvious way (one small SPARQL
# query per aspect, every row converted), so that a faster `project` can be
# checked to give the same nodes, attributes, edges and G.graph.

_PREFIXES = """PREFIX cg: <https://w3id.org/clustergraph/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""


def _select(store: ox.Store, where: str, *names: str) -> list[tuple[str | None, ...]]:
    text = f"{_PREFIXES}SELECT {' '.join('?' + n for n in names)} WHERE {{ {where} }}"
    return [tuple(None if t is None else t.value for t in row) for row in store.query(text)]


def _one(rows: list[tuple[str | None, ...]]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key, value in rows:
        assert key is not None and out.get(key, value) == value, f"{key} has two values"
        out[key] = value
    return out


def _expected(store: ox.Store, relations: str | None) -> tuple[list[Any], list[Any], dict[str, Any]]:
    wanted = _wanted(relations)

    def keep(rel: str) -> bool:
        return (
            wanted is None or rel in wanted or (rel.startswith("partnership:") and "partnership:*" in wanted)
        )

    with_clusters = wanted is None or "in-cluster" in wanted or "broader" in wanted
    kind_of = _one([(s, KINDS[c or ""]) for s, c in _select(store, "?s a ?c", "s", "c") if c in KINDS])
    ident = _one(_select(store, "?s dcterms:identifier ?x", "s", "x"))
    label = _one(_select(store, "?s rdfs:label ?x", "s", "x"))
    category = _one(_select(store, "?s cg:category ?x", "s", "x"))
    city = _one(_select(store, "?s schema:addressLocality ?x", "s", "x"))
    status = _one(_select(store, "?s cg:status ?x", "s", "x"))
    title = _one(_select(store, "?s dcterms:title ?x", "s", "x"))
    url = _one(_select(store, "?s schema:url ?x", "s", "x"))

    def nid(iri: str) -> str:
        return ident.get(iri) or _local(iri)

    clusters = {iri: nid(iri) for iri, k in kind_of.items() if k == "cluster"}
    ids = {iri: nid(iri) for iri, k in kind_of.items() if with_clusters or k != "cluster"}
    cited: dict[str, set[str]] = defaultdict(set)
    for s, src in _select(store, "?s prov:wasDerivedFrom ?src", "s", "src"):
        cited[s or ""].add(src or "")

    def sources(srcs: Iterable[str]) -> list[dict[str, str | None]]:
        return [
            {"id": ident.get(x) or _local(x), "title": title.get(x), "url": url.get(x)}
            for x in sorted(srcs, key=_local)
        ]

    def multi(pred: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for s, o in _select(store, f"?s <{pred}> ?o", "s", "o"):
            out[s or ""].add(o or "")
        return out

    in_cluster, stages = multi(CG + "inCluster"), multi(CG + "valueChainStage")
    disputed: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s, d, f, v, n in _select(
        store,
        "?s cg:disputed ?d . ?d cg:field ?f ; rdf:value ?v . OPTIONAL { ?d rdfs:comment ?n }",
        *"sdfvn",
    ):
        srcs = sorted(
            ident.get(x or "") or _local(x or "") for (x,) in _select(store, f"<{d}> dcterms:source ?x", "x")
        )
        disputed[s or ""].append({"field": f, "value": v, "sources": srcs, "note": n})
    nodes = {
        ids[iri]: {
            "iri": iri,
            "label": label.get(iri) or ids[iri],
            "kind": kind_of[iri],
            "category": category.get(iri),
            "sector": sector_of(kind_of[iri], category.get(iri)),
            "clusters": sorted({clusters[c] for c in in_cluster[iri] if c in clusters}),
            "sources": sources(cited[iri]),
            "value_chain": sorted({_local(x) for x in stages[iri]}),
            "city": city.get(iri),
            "disputed": sorted(disputed[iri], key=lambda d: (d["field"], d["value"])),
            "status": status.get(iri),
        }
        for iri in ids
    }
    # Sectors: consortia vote by their members', then facilities and people inherit.
    triples = [(pred, s, o) for pred in _PREDICATES for s, o in multi(pred).items() for o in o]
    members = {
        (s, o) if p == ORG + "hasMember" else (o, s) for p, s, o in triples if _PREDICATES[p] == "member-of"
    }
    for n in nodes.values():
        if n["category"] == "consortium":
            votes = Counter(
                nodes[ids[m]]["sector"]
                for g, m in members
                if g == n["iri"] and m in ids and nodes[ids[m]]["sector"]
            )
            n["sector"] = min(votes, key=lambda s: (-votes[s], SECTORS.index(s))) if votes else "civic"
    # One pass in id order: a parent met later (a person running a facility) has no sector yet.
    heir = {"facility": (CG + "operatedBy", "industry"), "person": (SCHEMA + "affiliation", "civic")}
    for _, n in sorted(nodes.items()):
        if n["kind"] in heir:
            pred, default = heir[n["kind"]]
            parents = [o for p, s, o in triples if p == pred and s == n["iri"] and o in ids]
            assert len(parents) <= 1
            n["sector"] = nodes[ids[parents[0]]]["sector"] if parents else default
        if n["sector"] is None and n["kind"] != "cluster":
            n["sector"] = "civic"

    edges: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {
            "rel": Counter(),
            "sources": set(),
            "since": [],
            "until": [],
            "clusters": set(),
            "records": set(),
        }
    )
    for pred, s, o in triples:
        rel = _PREDICATES[pred]
        if s in ids and o in ids and s != o and keep(rel):
            e = edges[tuple(sorted((ids[s], ids[o])))]  # type: ignore[index]
            e["rel"][rel] = 1
            e["sources"] |= cited[s]
    covered = set()
    start, end, pcategory = multi(SCHEMA + "startDate"), multi(SCHEMA + "endDate"), multi(CG + "category")
    for p, a, b in _select(
        store, "?p a cg:Partnership ; cg:member ?a, ?b . FILTER(STR(?a) < STR(?b))", "p", "a", "b"
    ):
        assert p and a and b
        if a not in ids or b not in ids:
            continue
        covered.add((a, b))
        rel = "partnership:" + (category.get(p) or "partner")
        assert len(pcategory[p]) <= 1
        if keep(rel):
            e = edges[tuple(sorted((ids[a], ids[b])))]  # type: ignore[index]
            e["rel"][rel] += 1
            e["records"].add(_local(p))
            e["sources"] |= cited[p]
            e["since"] += sorted(start[p]) or [None]
            e["until"] += sorted(end[p]) or [None]
            e["clusters"] |= {_local(c) for c in in_cluster[p]}
    for a, b in _select(store, "?a cg:partnerOf ?b . FILTER(STR(?a) < STR(?b))", "a", "b"):
        if a in ids and b in ids and (a, b) not in covered and keep("partnership:partner"):
            edges[tuple(sorted((ids[a], ids[b])))]["rel"]["partnership:partner"] = 1  # type: ignore[index]
    out_edges = []
    for (a, b), e in sorted(edges.items()):
        since = [x for x in e["since"] if x is not None]
        out_edges.append(
            (
                a,
                b,
                {
                    "relations": sorted(e["rel"]),
                    "weight": sum(e["rel"].values()),
                    "sources": sources(e["sources"]),
                    "since": min(since) if since else None,
                    "until": None if not e["until"] or None in e["until"] else max(e["until"]),
                    "clusters": sorted(e["clusters"]),
                    "partnerships": sorted(e["records"]),
                },
            )
        )
    graph = {
        "relations": sorted(wanted) if wanted is not None else "all",
        "clusters": dict(sorted((c, label.get(iri) or c) for iri, c in clusters.items())),
    }
    return sorted(nodes.items()), out_edges, graph


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> BuiltGraph:
    spec = importlib.util.spec_from_file_location("cg_bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("generated")
    module.generate(300, out, seed=1)
    return build(load(out))


@pytest.mark.parametrize("relations", [*PRESETS, None, "in-cluster,partnership:funding,operator"])
@pytest.mark.parametrize("which", ["la", "generated"])
def test_projection_matches_a_recomputation(
    which: str, relations: str | None, la_graph: BuiltGraph, generated: BuiltGraph
) -> None:
    graph = la_graph if which == "la" else generated
    G = project(graph, relations)
    nodes, edges, meta = _expected(graph.store, relations)
    assert sorted(G.nodes(data=True)) == nodes
    assert list(G) == sorted(G)  # nodes are added in sorted order
    got = sorted((*sorted((a, b)), d) for a, b, d in G.edges(data=True))
    assert got == edges
    assert G.graph == meta

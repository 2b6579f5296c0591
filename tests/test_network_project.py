"""RDF -> NetworkX projection: the same network from the data and from its Turtle."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner

from clustergraph.build import BuiltGraph
from clustergraph.cli import main
from clustergraph.network import PRESETS, project

from .conftest import GRAPH_DIR


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
    assert wdc["since"] == "2017" and wdc["weight"] == 2
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

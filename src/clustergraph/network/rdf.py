"""Analysis results as RDF (our vocabulary), so they can be queried and pushed like the data.

Results hang off one analysis resource, ``<base>analysis/connectors`` or
``<base>analysis/gaps`` ('/' keeps them apart from every record id), and point
at the entities by their IRIs. Terms are declared in the "network analysis"
section of ``vocab/clustergraph.ttl``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import networkx as nx
import pyoxigraph as ox

from ..vocab import CG, RDF, RDFS, XSD, prefixes

__all__ = ["communities_rdf", "connectors_rdf", "gaps_rdf", "to_turtle"]

_A = ox.NamedNode(RDF + "type")
_COMMENT = ox.NamedNode(RDFS + "comment")
_LABEL = ox.NamedNode(RDFS + "label")


def _p(name: str) -> ox.NamedNode:
    return ox.NamedNode(CG + name)


def _lit(value: Any) -> ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    return ox.Literal(str(value))


def _base(G: nx.Graph) -> str:
    for v, iri in G.nodes(data="iri"):
        if iri and str(iri).endswith(str(v)):
            return str(iri)[: -len(str(v))]
    from ..vocab import DEFAULT_BASE

    return DEFAULT_BASE


def _iri(G: nx.Graph, base: str, v: Any) -> ox.NamedNode:
    iri = G.nodes[v].get("iri") if v in G else None
    return ox.NamedNode(iri or base + str(v))


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in str(text))


_CONNECTOR_FIELDS = {
    "rank": "rank",
    "degree": "degree",
    "betweenness": "betweenness",
    "pagerank": "pagerank",
    "constraint": "constraint",
    "effective_size": "effectiveSize",
    "coordinator": "coordinatorPairs",
    "itinerant": "itinerantPairs",
    "gatekeeper_representative": "gatekeeperRepresentativePairs",
    "liaison": "liaisonPairs",
    "articulation": "articulationPoint",
    "cut_off": "cutOff",
}
_SUMMARY_FIELDS = {
    "entities": "entityCount",
    "links": "linkCount",
    "density": "density",
    "components": "componentCount",
    "largest_component_share": "largestComponentShare",
    "average_path_length": "averagePathLength",
    "clustering": "clustering",
    "top_links": "topConnectorLinks",
    "rich_club": "richClubCoefficient",
}


def connectors_rdf(
    G: nx.Graph, rows: Sequence[Mapping[str, Any]], summary: Mapping[str, Any] | None = None
) -> Iterator[ox.Quad]:
    """Triples for `connectors` rows (and a `summary`): one cg:ConnectorScore per row."""
    base = _base(G)
    run = ox.NamedNode(base + "analysis/connectors")
    yield ox.Quad(run, _A, _p("NetworkAnalysis"))
    yield ox.Quad(run, _LABEL, ox.Literal("Connectors and single points of failure"))
    if summary:
        for key, name in _SUMMARY_FIELDS.items():
            if summary.get(key) is not None:
                yield ox.Quad(run, _p(name), _lit(summary[key]))
        for sentence in summary.get("sentences", ()):
            yield ox.Quad(run, _COMMENT, ox.Literal(sentence))
    for row in rows:
        node = ox.NamedNode(f"{base}analysis/connectors/{_slug(row['id'])}")
        yield ox.Quad(node, _A, _p("ConnectorScore"))
        yield ox.Quad(node, _p("analysis"), run)
        yield ox.Quad(node, _p("entity"), _iri(G, base, row["id"]))
        for key, name in _CONNECTOR_FIELDS.items():
            if row.get(key) is not None:
                yield ox.Quad(node, _p(name), _lit(row[key]))
        yield ox.Quad(node, _COMMENT, ox.Literal(row["why"]))


def gaps_rdf(G: nx.Graph, result: Mapping[str, Any]) -> Iterator[ox.Quad]:
    """Triples for a `gaps` result: coverage findings, value-chain cells, peripheral entities, suggestions."""
    base = _base(G)
    run = ox.NamedNode(base + "analysis/gaps")
    yield ox.Quad(run, _A, _p("NetworkAnalysis"))
    yield ox.Quad(run, _LABEL, ox.Literal("Partnership gaps"))
    in_cluster = ox.NamedNode(CG + "inCluster")
    for r in result["coverage"]:
        node = ox.NamedNode(f"{base}analysis/gaps/coverage/{_slug(r['cluster'])}/{_slug(r['asset'])}")
        yield ox.Quad(node, _A, _p("CoverageFinding"))
        yield ox.Quad(node, _p("analysis"), run)
        yield ox.Quad(node, in_cluster, ox.NamedNode(base + r["cluster"]))
        yield ox.Quad(node, _p("assetKind"), ox.Literal(r["asset"]))
        yield ox.Quad(node, _p("present"), _lit(r["has"]))
        for v in r["entities"]:
            yield ox.Quad(node, _p("asset"), _iri(G, base, v))
        yield ox.Quad(node, _COMMENT, ox.Literal(r["why"]))
    for r in result["value_chain"]:
        node = ox.NamedNode(f"{base}analysis/gaps/value-chain/{_slug(r['cluster'])}/{r['stage']}")
        yield ox.Quad(node, _A, _p("ValueChainCell"))
        yield ox.Quad(node, _p("analysis"), run)
        yield ox.Quad(node, in_cluster, ox.NamedNode(base + r["cluster"]))
        yield ox.Quad(node, _p("valueChainStage"), _p(r["stage"]))
        yield ox.Quad(node, _p("present"), _lit(not r["empty"]))
        for v in r["assets"]:
            yield ox.Quad(node, _p("asset"), _iri(G, base, v))
    for r in result["isolated"]:
        node = ox.NamedNode(f"{base}analysis/gaps/isolated/{_slug(r['id'])}")
        yield ox.Quad(node, _A, _p("PeripheralEntity"))
        yield ox.Quad(node, _p("analysis"), run)
        yield ox.Quad(node, _p("entity"), _iri(G, base, r["id"]))
        yield ox.Quad(node, _p("status"), ox.Literal(r["status"]))
        if r["broker"]:
            yield ox.Quad(node, _p("broker"), _iri(G, base, r["broker"]))
    for i, r in enumerate(result["suggestions"], 1):
        node = ox.NamedNode(f"{base}analysis/gaps/suggestion/{_slug(r['a'])}--{_slug(r['b'])}")
        yield ox.Quad(node, _A, _p("SuggestedPartnership"))
        yield ox.Quad(node, _p("analysis"), run)
        yield ox.Quad(node, _p("rank"), _lit(i))
        for v in (r["a"], r["b"]):
            yield ox.Quad(node, _p("candidate"), _iri(G, base, v))
        yield ox.Quad(node, _p("score"), _lit(float(r["score"])))
        yield ox.Quad(node, _p("adamicAdar"), _lit(float(r["adamic_adar"])))
        yield ox.Quad(node, _p("resourceAllocation"), _lit(float(r["resource_allocation"])))
        for v in r["shared_partners"]:
            yield ox.Quad(node, _p("sharedPartner"), _iri(G, base, v))
        for c in r["shared_clusters"]:
            yield ox.Quad(node, in_cluster, ox.NamedNode(base + c))
        yield ox.Quad(node, _COMMENT, ox.Literal(r["why"]))


def communities_rdf(G: nx.Graph, found: Any) -> Iterator[ox.Quad]:
    """Triples for a `communities` result: one cg:Community per community, one cg:ClusterFit per cluster."""
    base = _base(G)
    run = ox.NamedNode(base + "analysis/communities")
    yield ox.Quad(run, _A, _p("NetworkAnalysis"))
    yield ox.Quad(run, _LABEL, ox.Literal("Communities of collaboration"))
    yield ox.Quad(run, _p("modularity"), _lit(float(found.modularity)))
    yield ox.Quad(run, _p("resolution"), _lit(float(found.resolution)))
    for sentence in found.sentences:
        yield ox.Quad(run, _COMMENT, ox.Literal(sentence))
    node_of = {}
    for r in found.rows:
        node = node_of[r.number] = ox.NamedNode(f"{base}analysis/communities/{r.number}")
        yield ox.Quad(node, _A, _p("Community"))
        yield ox.Quad(node, _p("analysis"), run)
        yield ox.Quad(node, _LABEL, ox.Literal(r.name))
        yield ox.Quad(node, _p("communityNumber"), _lit(r.number))
        yield ox.Quad(node, _p("entityCount"), _lit(r.size))
        yield ox.Quad(node, _p("density"), _lit(float(r.density)))
        for v in r.members:
            yield ox.Quad(node, _p("communityMember"), _iri(G, base, v))
        for v in r.bridges:
            yield ox.Quad(node, _p("bridge"), _iri(G, base, v))
        for c in r.clusters:
            yield ox.Quad(node, ox.NamedNode(CG + "inCluster"), ox.NamedNode(base + c))
        yield ox.Quad(node, _COMMENT, ox.Literal(r.why))
    for f in found.fits:
        node = ox.NamedNode(f"{base}analysis/communities/cluster/{_slug(f.cluster)}")
        yield ox.Quad(node, _A, _p("ClusterFit"))
        yield ox.Quad(node, _p("analysis"), run)
        yield ox.Quad(node, ox.NamedNode(CG + "inCluster"), ox.NamedNode(base + f.cluster))
        for number in f.communities:
            yield ox.Quad(node, _p("community"), node_of[number])
        yield ox.Quad(node, _p("split"), _lit(bool(f.split)))
        yield ox.Quad(node, _p("share"), _lit(float(f.share)))
        yield ox.Quad(node, _COMMENT, ox.Literal(f.why))


def to_turtle(G: nx.Graph, quads: Iterator[ox.Quad]) -> bytes:
    """Serialise analysis triples as Turtle with our prefixes."""
    store = ox.Store()
    store.bulk_extend(quads)
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes(_base(G)))
    return out.getvalue()

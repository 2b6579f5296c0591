"""Network analysis of the knowledge graph: who holds the region together, and where the gaps are.

`project` turns the RDF graph into a NetworkX graph; every analysis takes that graph:

>>> from clustergraph import build, load
>>> from clustergraph.network import connectors, project
>>> G = project(build(load("graph")))
>>> connectors(G, top=1)[0]["id"]
'la-oc-regional-consortium'
"""

from __future__ import annotations

from .centrality import betweenness, betweenness_method, constraint, effective_size, pagerank
from .communities import ClusterFit, Communities, Community, communities
from .connectors import ROLES, articulation, brokerage, connectors
from .gaps import gaps, load_rules
from .kinds import KINDS, PRESETS, RELATIONS, SECTORS, sector_of
from .mixing import (
    assortativity,
    core_periphery,
    ei_index,
    mixing,
    structure,
    structure_sentences,
    triple_helix,
)
from .project import load_network, project
from .suggest import suggestions
from .summary import summary
from .views import actors, in_cluster
from .whatif import without

__all__ = [
    "KINDS",
    "PRESETS",
    "RELATIONS",
    "ROLES",
    "SECTORS",
    "ClusterFit",
    "Communities",
    "Community",
    "actors",
    "articulation",
    "assortativity",
    "betweenness",
    "betweenness_method",
    "brokerage",
    "communities",
    "connectors",
    "constraint",
    "core_periphery",
    "effective_size",
    "ei_index",
    "gaps",
    "in_cluster",
    "load_network",
    "load_rules",
    "mixing",
    "pagerank",
    "project",
    "sector_of",
    "structure",
    "structure_sentences",
    "suggestions",
    "summary",
    "triple_helix",
    "without",
]

"""Network analysis of the knowledge graph: who holds the region together, and where the gaps are.

`project` turns the RDF graph into a NetworkX graph; the analyses take that graph.
"""

from __future__ import annotations

from .project import KINDS, PRESETS, RELATIONS, SECTORS, project, sector_of

__all__ = ["KINDS", "PRESETS", "RELATIONS", "SECTORS", "project", "sector_of"]

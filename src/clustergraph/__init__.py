"""clustergraph: a region's industry-cluster partnerships as a knowledge graph.

The public API, one name each, whatever module implements it:

>>> from clustergraph import load, build
>>> graph = build(load("graph"))
>>> graph.rdflib  # an rdflib.Graph over the same store  # doctest: +ELLIPSIS
<Graph identifier=urn:x-rdflib:default ...>

>>> from clustergraph import open_edition
>>> with open_edition("graph") as ed:
...     ed.connectors()[0]["id"]
'la-oc-regional-consortium'

Every error raised is a `ClusterGraphError`: `DataErrors` (invalid input, each
problem with its file:line:col), `QueryError` (a query that could not be
answered) and `UsageError` (a request that cannot be carried out as asked).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "BuiltGraph",
    "ClusterGraphError",
    "Data",
    "DataError",
    "DataErrors",
    "Edition",
    "Loc",
    "QueryError",
    "Record",
    "UsageError",
    "__version__",
    "build",
    "communities",
    "connectors",
    "diff",
    "export_records",
    "gaps",
    "import_files",
    "init_directory",
    "load",
    "named_queries",
    "open_edition",
    "open_graph",
    "paths",
    "progress",
    "project",
    "push",
    "query",
    "read_data",
    "read_graph",
    "structure",
    "summary",
    "to_pyvis",
    "write_export",
    "write_map",
    "write_report",
    "write_site",
]

from .errors import ClusterGraphError, DataError, DataErrors, Loc, QueryError, UsageError
from .records import Data, Record

if TYPE_CHECKING:
    from .builder import BuiltGraph, build, open_graph, read_graph
    from .compare import diff
    from .edition import Edition, open_edition
    from .graphstore import push
    from .importing import export_records, import_files
    from .loader import load
    from .network import communities, connectors, gaps, project, structure, summary
    from .network.paths import paths
    from .querying import named_queries, query
    from .readers import read_data
    from .render import to_pyvis, write_export, write_map, write_report
    from .render.site import write_site
    from .starter import init_directory
    from .timeline import progress

# Public name -> the module that implements it. Imported on first use, so
# `clustergraph --help` does not pay for pyoxigraph, PyYAML or NetworkX.
_HOME = {
    "load": "loader",
    "build": "builder",
    "BuiltGraph": "builder",
    "open_graph": "builder",
    "read_graph": "builder",
    "Edition": "edition",
    "open_edition": "edition",
    "query": "querying",
    "named_queries": "querying",
    "connectors": "network",
    "gaps": "network",
    "project": "network",
    "summary": "network",
    "communities": "network",
    "structure": "network",
    "paths": "network.paths",
    "diff": "compare",
    "progress": "timeline",
    "push": "graphstore",
    "read_data": "readers",
    "import_files": "importing",
    "export_records": "importing",
    "init_directory": "starter",
    "write_map": "render",
    "write_report": "render",
    "write_export": "render",
    "to_pyvis": "render",
    "write_site": "render.site",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'clustergraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"clustergraph.{_HOME[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

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
    "connectors",
    "diff",
    "gaps",
    "load",
    "named_queries",
    "open_edition",
    "open_graph",
    "progress",
    "project",
    "push",
    "query",
    "read_graph",
    "summary",
]

from .errors import ClusterGraphError, DataError, DataErrors, Loc, QueryError, UsageError
from .records import Data, Record

if TYPE_CHECKING:
    from .builder import BuiltGraph, build, open_graph, read_graph
    from .compare import diff
    from .edition import Edition, open_edition
    from .graphstore import push
    from .loader import load
    from .network import connectors, gaps, project, summary
    from .querying import named_queries, query
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
    "diff": "compare",
    "progress": "timeline",
    "push": "graphstore",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'clustergraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"clustergraph.{_HOME[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

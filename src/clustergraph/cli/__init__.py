"""The `clustergraph` command line: parse options, call one library function, print.

Heavy libraries (rdflib, pyshacl, networkx, pyvis) are imported inside the
commands that need them, so `clustergraph --help` starts at once.

`base` holds the `main` group and what every command shares (output, error
handling, the common options); each other module adds one family of
commands to `main`: `data` (validate, build, schema, diff, progress, init,
import), `sparql` (queries, query, push), `network` (connectors, path, gaps,
communities, summary) and `render` (map, report, site, serve, export).
"""

from __future__ import annotations

from . import data, network, render, sparql
from .base import FLAGS, QUERY_LIMIT, emit, main, run

__all__ = ["FLAGS", "QUERY_LIMIT", "data", "emit", "main", "network", "render", "run", "sparql"]

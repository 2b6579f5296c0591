"""clustergraph: a region's industry-cluster partnerships as a knowledge graph.

>>> from clustergraph import load, build
>>> graph = build(load("graph"))
>>> graph.rdflib  # an rdflib.Graph over the same store  # doctest: +ELLIPSIS
<Graph identifier=urn:x-rdflib:default ...>
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["BuiltGraph", "Data", "DataError", "DataErrors", "Record", "__version__", "build", "load"]

from .errors import DataError, DataErrors
from .records import Data, Record

if TYPE_CHECKING:
    from .build import BuiltGraph, build
    from .load import load


def __getattr__(name: str) -> Any:
    # Lazy, so `clustergraph --help` does not pay for pyoxigraph and PyYAML.
    # `build` and `load` are their modules, which can be called as their
    # functions (see _callable.py): one object whichever way it is imported.
    import importlib

    if name in ("build", "load"):
        return importlib.import_module(f"clustergraph.{name}")
    if name == "BuiltGraph":
        value = importlib.import_module("clustergraph.build").BuiltGraph
        globals()["BuiltGraph"] = value
        return value
    raise AttributeError(name)

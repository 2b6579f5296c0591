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
    # Lazy, so `clustergraph --help` does not pay for pyoxigraph and PyYAML. The
    # function `build` shadows the module of the same name once asked for;
    # `from clustergraph.build import ...` still reaches the module.
    import importlib

    if name in ("build", "BuiltGraph"):
        module = importlib.import_module("clustergraph.build")
        globals().update(build=module.build, BuiltGraph=module.BuiltGraph)
        return globals()[name]
    if name == "load":
        value = importlib.import_module("clustergraph.load").load
        globals()["load"] = value
        return value
    raise AttributeError(name)

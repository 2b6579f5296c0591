"""Modules that can be called: `clustergraph.build` and `clustergraph.load`.

`from clustergraph import load, build` gives the two functions, but each shares
its name with the module that defines it, and once the module has been
imported (by `from clustergraph.build import open_graph`, say) Python's import
system sets the package attribute to the module. Calling such a module calls
its function of the same name, so the documented spelling works whatever was
imported first, and `clustergraph.build.open_graph` still reaches the module.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return getattr(self, self.__name__.rpartition(".")[2])(*args, **kwargs)


def callable_module(name: str) -> None:
    """Make the module `name` callable as its function of the same (last) name."""
    sys.modules[name].__class__ = _CallableModule

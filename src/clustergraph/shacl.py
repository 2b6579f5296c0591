"""SHACL conformance of a built graph, with problems pointed back at the YAML."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from .builder import BuiltGraph
from .errors import DataError, Loc
from .records import Data
from .results import TermCache, rdflib_term
from .vocab import SH, XSD_STRING, vocab_file


@cache
def _shapes():  # type: ignore[no-untyped-def]
    """The packaged shapes, each `sh:in` list holding its plain strings twice: as written
    and typed xsd:string. They are one term in RDF 1.1, but rdflib tells them apart, and
    pyshacl-turbo reading the pyoxigraph store sees the data's strings typed while pySHACL
    on an rdflib graph sees them plain; with both in the list either engine matches."""
    import rdflib
    from rdflib.collection import Collection

    shapes = rdflib.Graph().parse(vocab_file("shapes.ttl"), format="turtle")
    xsd_string = rdflib.URIRef(XSD_STRING)
    for head in list(shapes.objects(None, rdflib.URIRef(SH + "in"))):
        values = Collection(shapes, head)
        plain = [v for v in values if isinstance(v, rdflib.Literal) and v.datatype is None and not v.language]
        for v in plain:
            values.append(rdflib.Literal(str(v), datatype=xsd_string))
    return shapes


def _engine() -> tuple[Any, bool]:
    """The SHACL engine, and whether it reads the pyoxigraph store itself.

    pyshacl-turbo (a Rust engine with pySHACL's API) reads the store: at 222,613
    triples 3.2 s, where copying the graph into rdflib first took 10.8 s; the tests
    check it answers as pySHACL does. Without it, pySHACL on an rdflib copy.
    """
    try:
        from pyshacl_turbo import validate
    except ImportError:
        from pyshacl import validate

        return validate, False
    return validate, True


def _rdflib_copy(graph: BuiltGraph) -> Any:
    """A plain in-memory rdflib copy of the graph, for the SHACL engines.

    The engines walk the graph triple by triple; a plain copy answers those look-ups
    far faster than the Oxigraph-backed view, whose literals also carry an explicit
    xsd:string that sh:in does not match. Made from the store's terms, each distinct
    term converted once: at 222,000 triples 6.5 s, where parsing an N-Triples dump
    took 13.5 s (same triples).
    """
    import pyoxigraph as ox
    import rdflib

    term = TermCache(rdflib_term).__getitem__
    local = rdflib.Graph()
    quads = graph.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    local.addN((term(q.subject), term(q.predicate), term(q.object), local) for q in quads)
    return local


class RecordsOf:
    """A data directory's records as `check_shapes` uses them (`by_id`), read only when asked.

    `validate` lets the records go before the shapes are checked; only a problem, to be
    pointed at its place in the YAML, reads them again.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self.read = False
        self._data: Data | None = None

    @property
    def by_id(self) -> Mapping[str, Any]:
        if self._data is None:
            from .loader import load

            self._data = load(self.path)
            self.read = True
        return self._data.by_id


def check_shapes(
    graph: BuiltGraph,
    data: Data | RecordsOf | None = None,
    source: str | None = None,
    engine: bool | None = None,
) -> list[DataError]:
    """Every SHACL violation of `graph` against the packaged shapes.

    Each problem points at the record's place in the YAML when `data` is given,
    else at `source` (the RDF file the graph was read from), else at the focus
    node's IRI; the message names the record either way.

    A graph built from `data` is checked by `shapecheck` on the store, a tenth of
    the engine's time; only when it finds a problem does the SHACL engine run, so
    the report is worded as it always was (the engine also reports what broke
    inside a nested shape). RDF from elsewhere goes to the engine. `engine` True
    forces the engine, False `shapecheck` alone (its own wording).
    """
    import rdflib

    from . import shapecheck

    found: list[tuple[str, str, Any]] | None = None
    if engine is not True and (engine is False or (data is not None and shapecheck.supported())):
        term = TermCache(rdflib_term).__getitem__
        results = shapecheck.check(graph.store)
        if not results:
            return []
        if engine is False:
            found = [(r.focus.value, r.message or "does not conform", term(r.value)) for r in results]
    if found is None:
        found = list(_engine_results(graph))
    problems: list[DataError] = []
    for focus, message, value in found:
        # A node named under a record's IRI (a disputed value: <record#disputed-0>) is that record's.
        rid = focus.removeprefix(graph.base).split("#", 1)[0]
        rec = data.by_id.get(rid) if data is not None else None
        loc = rec.loc if rec is not None else Loc(source or f"<{focus}>")
        if isinstance(value, rdflib.Literal) and str(value.datatype) == XSD_STRING:
            value = rdflib.Literal(str(value))  # shown as written, whichever engine typed it
        extra = f" (value {value.n3()})" if value is not None else ""
        problems.append(DataError(loc, f"shape: {message} in '{rid}'{extra}"))
    # The engines hand results back in no fixed order; sorted, a re-run prints the same.
    return sorted(problems, key=lambda p: p.sort_key)


def _engine_results(graph: BuiltGraph) -> Iterator[tuple[str, str, Any]]:
    """(focus IRI, message, value as an rdflib term or None) of each result of the SHACL engine."""
    import rdflib

    validate, reads_store = _engine()
    conforms, results, _ = validate(
        graph.store if reads_store else _rdflib_copy(graph),
        shacl_graph=_shapes(),
        inference="none",
        advanced=False,
        allow_warnings=True,
    )
    if conforms:
        return
    sh = rdflib.Namespace(SH)
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = str(results.value(result, sh.focusNode))
        message = str(results.value(result, sh.resultMessage) or "does not conform")
        yield focus, message, results.value(result, sh.value)

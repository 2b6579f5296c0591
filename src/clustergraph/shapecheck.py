"""The packaged SHACL shapes checked straight on the pyoxigraph store, without a SHACL engine.

`validate` of a YAML directory spent most of its time in the engine (at 20,000
entities about 10 s of 18 s cpu), though the shapes use a handful of SHACL Core
constraints on one property at a time. This module evaluates exactly those
constraints, reading each property once from Oxigraph's index, and gives the
results the engines give (focus node, the property shape's ``sh:message``, the
value); `shacl.check_shapes` uses it for graphs built from records and keeps the
engine for RDF received from elsewhere. A shape using anything else makes
`supported` false, and the engine runs instead.

Supported: node shapes with ``sh:targetClass`` (instances of subclasses
included, as ``rdfs:subClassOf`` in the data says) and a node-level ``sh:class``;
property shapes whose path is one IRI, with ``sh:minCount``, ``sh:maxCount``,
``sh:datatype``, ``sh:minLength``, ``sh:pattern``, ``sh:class``, ``sh:nodeKind
sh:IRI``, ``sh:in``, ``sh:or`` of datatypes, ``sh:node`` and ``sh:message``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyoxigraph as ox

from .vocab import SH, XSD_STRING

__all__ = ["Result", "check", "supported"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD = "http://www.w3.org/2001/XMLSchema#"
#: Lexical forms of the datatypes the shapes name (an ill-typed literal does not conform).
LEXICAL = {
    XSD + "gYear": re.compile(r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?"),
    XSD + "gYearMonth": re.compile(r"-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?"),
    XSD + "date": re.compile(
        r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?"
    ),
}
PROPERTY_KEYS = {
    "path",
    "minCount",
    "maxCount",
    "datatype",
    "minLength",
    "pattern",
    "class",
    "nodeKind",
    "in",
    "or",
    "node",
    "message",
}


@dataclass(frozen=True, slots=True)
class Result:
    """One violation: the focus node, the property shape's message, the offending value (if any)."""

    focus: ox.NamedNode | ox.BlankNode
    message: str | None
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None


@dataclass(frozen=True, slots=True)
class _Property:
    path: str
    message: str | None
    min_count: int | None
    max_count: int | None
    datatypes: tuple[str, ...] | None  # sh:datatype, or the datatypes of an sh:or
    min_length: int | None
    pattern: re.Pattern[str] | None
    cls: str | None
    iri_only: bool
    allowed: frozenset[tuple[str, str]] | None  # sh:in, as (kind, value) keys
    node: str | None


@dataclass(frozen=True, slots=True)
class _Shape:
    name: str
    targets: tuple[str, ...]
    cls: str | None
    properties: tuple[_Property, ...]


class Unsupported(Exception):
    """A shape uses a constraint this module does not evaluate."""


def _key(term: Any) -> tuple[str, str]:
    """sh:in membership: plain and xsd:string literals are one term (RDF 1.1)."""
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ("iri", str(term))
    if (
        isinstance(term, rdflib.Literal)
        and not term.language
        and term.datatype in (None, rdflib.URIRef(XSD_STRING))
    ):
        return ("str", str(term))
    raise Unsupported(f"sh:in value {term!r}")


def _ox_key(term: Any) -> tuple[str, str] | None:
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value == XSD_STRING:
        return ("str", term.value)
    return None


@cache
def _parsed() -> tuple[_Shape, ...] | None:
    from .shacl import _shapes

    try:
        return _parse(_shapes())
    except Unsupported:
        return None


def supported() -> bool:
    """Whether every packaged shape is one this module evaluates."""
    return _parsed() is not None


def _parse(g: Any) -> tuple[_Shape, ...]:
    import rdflib
    from rdflib.collection import Collection

    sh = rdflib.Namespace(SH)

    def one(s: Any, p: Any) -> Any:
        values = list(g.objects(s, p))
        if len(values) > 1:
            raise Unsupported(f"several {p} on {s}")
        return values[0] if values else None

    def prop(p: Any) -> _Property:
        keys = {str(k).removeprefix(SH) for k in g.predicates(p, None)}
        if not keys <= PROPERTY_KEYS or not isinstance(one(p, sh.path), rdflib.URIRef):
            raise Unsupported(f"property shape {p}: {sorted(keys - PROPERTY_KEYS)}")
        datatypes = None
        if (dt := one(p, sh.datatype)) is not None:
            datatypes = (str(dt),)
        if (alts := one(p, sh["or"])) is not None:
            if datatypes is not None:
                raise Unsupported("sh:datatype beside sh:or")
            found = []
            for alt in Collection(g, alts):
                alt_keys = {str(k) for k in g.predicates(alt, None)}
                if alt_keys != {SH + "datatype"}:
                    raise Unsupported("sh:or of anything but datatypes")
                found.append(str(one(alt, sh.datatype)))
            datatypes = tuple(found)
        kind = one(p, sh.nodeKind)
        if kind is not None and kind != sh.IRI:
            raise Unsupported(f"sh:nodeKind {kind}")
        pattern = one(p, sh.pattern)
        listed = one(p, sh["in"])
        message = one(p, sh.message)
        number = {k: one(p, sh[k]) for k in ("minCount", "maxCount", "minLength")}
        cls, node = one(p, sh["class"]), one(p, sh.node)
        return _Property(
            path=str(one(p, sh.path)),
            message=None if message is None else str(message),
            min_count=None if number["minCount"] is None else int(number["minCount"]),
            max_count=None if number["maxCount"] is None else int(number["maxCount"]),
            datatypes=datatypes,
            min_length=None if number["minLength"] is None else int(number["minLength"]),
            pattern=None if pattern is None else re.compile(str(pattern)),
            cls=None if cls is None else str(cls),
            iri_only=kind is not None,
            allowed=None if listed is None else frozenset(_key(t) for t in Collection(g, listed)),
            node=None if node is None else str(node),
        )

    shapes = []
    node_keys = {"targetClass", "property", "class"}
    for s in sorted(set(g.subjects(rdflib.RDF.type, sh.NodeShape)), key=str):
        keys = {str(k).removeprefix(SH) for k in g.predicates(s, None) if str(k).startswith(SH)}
        if not keys <= node_keys:
            raise Unsupported(f"node shape {s}: {sorted(keys - node_keys)}")
        cls = one(s, sh["class"])
        props = tuple(prop(p) for p in sorted(g.objects(s, sh.property), key=str))
        if any(p.message is None for p in props) and s in set(g.subjects(sh.targetClass, None)):
            raise Unsupported(f"{s}: a property shape with no sh:message")  # the engine's wording is its own
        targets = tuple(sorted(str(c) for c in g.objects(s, sh.targetClass)))
        shapes.append(_Shape(str(s), targets, None if cls is None else str(cls), props))
    return tuple(shapes)


class _Data:
    """The store's default graph: every typed node and the class hierarchy, read once.

    A property's values are not kept: `check` reads each predicate once and lets it
    go (at 200,000 entities tables of every predicate's values, kept to the end,
    were 1.6 GiB beside a 2.5 GiB store).
    """

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._instances: dict[str, set[Any]] = {}
        types: dict[str, set[Any]] = {}
        for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None, ox.DefaultGraph()):
            types.setdefault(q.object.value if isinstance(q.object, ox.NamedNode) else "", set()).add(
                q.subject
            )
        self.types = types
        self.sub: dict[str, set[str]] = {}
        for q in store.quads_for_pattern(None, ox.NamedNode(SUBCLASS), None, ox.DefaultGraph()):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
                self.sub.setdefault(q.object.value, set()).add(q.subject.value)

    def quads(self, predicate: str, subject: Any = None) -> Iterator[ox.Quad]:
        return self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None, ox.DefaultGraph())

    def instances(self, cls: str) -> set[Any]:
        """Instances of `cls` or of any of its subclasses (transitively)."""
        found = self._instances.get(cls)
        if found is None:
            found, seen, todo = set(), {cls}, [cls]
            while todo:
                c = todo.pop()
                found |= self.types.get(c, set())
                for s in self.sub.get(c, ()):
                    if s not in seen:
                        seen.add(s)
                        todo.append(s)
            self._instances[cls] = found
        return found


def _conforms_datatype(value: Any, datatypes: tuple[str, ...]) -> bool:
    if not isinstance(value, ox.Literal):
        return False
    dt = value.datatype.value
    if dt not in datatypes:
        return False
    lexical = LEXICAL.get(dt)
    return lexical is None or lexical.fullmatch(value.value) is not None


def _each_value_problem(p: _Property, value: Any, data: _Data, shapes: dict[str, _Shape]) -> Iterator[bool]:
    if p.datatypes is not None:
        yield not _conforms_datatype(value, p.datatypes)
    text = value.value if not isinstance(value, ox.BlankNode) else None
    if p.min_length is not None:
        yield text is None or len(text) < p.min_length
    if p.pattern is not None:
        yield text is None or p.pattern.search(text) is None
    if p.cls is not None:
        yield isinstance(value, ox.Literal) or value not in data.instances(p.cls)
    if p.iri_only:
        yield not isinstance(value, ox.NamedNode)
    if p.allowed is not None:
        yield _ox_key(value) not in p.allowed
    if p.node is not None:
        yield next(iter(_focus_results(shapes[p.node], value, data, shapes)), None) is not None


def _focus_results(shape: _Shape, focus: Any, data: _Data, shapes: dict[str, _Shape]) -> Iterator[Result]:
    """The results of one node against `shape`: a value of an `sh:node`, its properties looked up."""
    if shape.cls is not None and (isinstance(focus, ox.Literal) or focus not in data.instances(shape.cls)):
        yield Result(focus, None, focus)
    for p in shape.properties:
        # a literal has no values (and is no subject to look up)
        values = [] if isinstance(focus, ox.Literal) else [q.object for q in data.quads(p.path, focus)]
        if p.min_count is not None and len(values) < p.min_count:
            yield Result(focus, p.message, None)
        if p.max_count is not None and len(values) > p.max_count:
            yield Result(focus, p.message, None)
        for v in values:
            # an engine reports one result per constraint broken; messages are the
            # property shape's, so the problems print the same either way
            for broken in _each_value_problem(p, v, data, shapes):
                if broken:
                    yield Result(focus, p.message, v)


def _path_results(
    path: str, uses: list[tuple[set[Any], _Property]], data: _Data, shapes: dict[str, _Shape]
) -> Iterator[Result]:
    """The results of every property shape on `path`, each with its focus nodes, in one read of it.

    Only the number of values of each focus node is kept while the predicate is read
    (for sh:minCount and sh:maxCount), and only until it is read.
    """
    counts: list[dict[Any, int] | None] = [
        {} if p.min_count is not None or p.max_count is not None else None for _, p in uses
    ]
    for q in data.quads(path):
        s, v = q.subject, q.object
        for (focus, p), n in zip(uses, counts, strict=True):
            if s not in focus:
                continue
            if n is not None:
                n[s] = n.get(s, 0) + 1
            # an engine reports one result per constraint broken; messages are the
            # property shape's, so the problems print the same either way
            for broken in _each_value_problem(p, v, data, shapes):
                if broken:
                    yield Result(s, p.message, v)
    for (focus, p), n in zip(uses, counts, strict=True):
        if n is None:
            continue
        for f in focus:
            have = n.get(f, 0)
            if p.min_count is not None and have < p.min_count:
                yield Result(f, p.message, None)
            if p.max_count is not None and have > p.max_count:
                yield Result(f, p.message, None)


def check(store: ox.Store) -> list[Result]:
    """Every violation of the packaged shapes in the store's default graph, in no fixed order.

    Each predicate a shape names is read once, for every shape that names it.
    Raises `Unsupported` when a packaged shape is one this module cannot evaluate.
    """
    parsed = _parsed()
    if parsed is None:
        raise Unsupported("the packaged shapes")
    data = _Data(store)
    by_name = {s.name: s for s in parsed}
    out: list[Result] = []
    uses: dict[str, list[tuple[set[Any], _Property]]] = {}
    for shape in parsed:
        if not shape.targets:
            continue
        focus: set[Any] = set()
        for c in shape.targets:
            focus |= data.instances(c)
        if shape.cls is not None:
            out.extend(
                Result(f, None, f)
                for f in focus
                if isinstance(f, ox.Literal) or f not in data.instances(shape.cls)
            )
        for p in shape.properties:
            uses.setdefault(p.path, []).append((focus, p))
    for path in sorted(uses):
        out.extend(_path_results(path, uses[path], data, by_name))
    return out

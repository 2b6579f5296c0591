"""What a query answered, engine-neutral: `Term`s in rows, and the rows as a person reads them.

Each engine's terms (pyoxigraph, rdflib, the W3C results JSON of a server) become
the same `Term`, so answers from the engines and from an endpoint compare equal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from . import vocab
from .schema import SLUG_RE

if TYPE_CHECKING:
    from .builder import BuiltGraph

_LABEL = ox.NamedNode(vocab.RDFS + "label")


@dataclass(frozen=True, slots=True, order=True)
class Term:
    """An RDF term as the W3C SPARQL results JSON spells it (`kind` is its `type`)."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    def json(self) -> dict[str, str]:
        out = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype:
            out["datatype"] = self.datatype
        return out

    def ox(self) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if self.kind == "uri":
            return ox.NamedNode(self.value)
        if self.kind == "bnode":
            return ox.BlankNode(self.value)
        if self.lang:
            return ox.Literal(self.value, language=self.lang)
        return ox.Literal(self.value, datatype=ox.NamedNode(self.datatype) if self.datatype else None)


Row = tuple[Term | None, ...]


@dataclass(frozen=True, slots=True)
class Result:
    """What a query answered: rows of a SELECT, the truth of an ASK, or triples of a CONSTRUCT."""

    form: str
    vars: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None
    triples: tuple[tuple[Term, Term, Term], ...] = ()
    took: float = field(default=0.0, compare=False)
    left_out: int = 0  #: rows of a SELECT past the `limit` asked for: counted, not kept

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.form == "ask" else bool(self.rows or self.triples)

    def w3c_json(self) -> dict[str, Any]:
        """The W3C SPARQL 1.1 Query Results JSON document."""
        if self.form == "ask":
            return {"head": {}, "boolean": bool(self.boolean)}
        vars_, rows = self.table()
        bindings = [{v: t.json() for v, t in zip(vars_, row, strict=True) if t is not None} for row in rows]
        return {"head": {"vars": list(vars_)}, "results": {"bindings": bindings}}

    def table(self) -> tuple[tuple[str, ...], tuple[Row, ...]]:
        """Variables and rows; the triples of a CONSTRUCT as subject, predicate, object rows."""
        if self.form == "graph":
            return ("subject", "predicate", "object"), self.triples
        return self.vars, self.rows

    def turtle(self, base: str = vocab.DEFAULT_BASE) -> bytes:
        triples = [ox.Triple(s.ox(), p.ox(), o.ox()) for s, p, o in self.triples]
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=vocab.prefixes(base)) or b""


class TermCache(dict[Any, "Term | None"]):
    """Engine terms to `Term`s, each distinct term converted once.

    A result repeats the same IRIs and numbers over many rows (the cluster of
    every row, a count of 1); building a Term costs microseconds, a dict hit
    almost nothing, which at 10,000 rows is most of the time after the engine.
    `terms[term]` is the conversion (None stays None).
    """

    def __init__(self, convert: Callable[[Any], Term | None]) -> None:
        super().__init__({None: None})
        self.convert = convert

    def __missing__(self, term: Any) -> Term | None:
        out = self[term] = self.convert(term)
        return out


def term_from_ox(term: Any) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        lang = term.language
        return Term("literal", term.value, None if lang or dt == vocab.XSD_STRING else dt, lang)
    return Term("triple", str(term))


def term_from_rdflib(term: Any) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return Term("uri", str(term))
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    if isinstance(term, Literal):
        dt = str(term.datatype) if term.datatype else None
        plain = term.language or dt == vocab.XSD_STRING
        return Term("literal", str(term), None if plain else dt, term.language)
    return Term("triple", str(term))


def rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Any:
    """A pyoxigraph term as rdflib's, a plain string staying plain: rdflib tells "a" and
    "a"^^xsd:string apart, and every rdflib parser writes the plain one (oxrdflib's own
    converter keeps the type, so rdflib code would see strings that match nothing)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == vocab.XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def term_from_json(cell: Mapping[str, str]) -> Term:
    kind = {"typed-literal": "literal"}.get(cell["type"], cell["type"])
    dt = cell.get("datatype")
    lang = cell.get("xml:lang")
    return Term(kind, cell["value"], None if lang or dt == vocab.XSD_STRING else dt, lang)


# ---------------------------------------------------------------- display


def labels(graph: BuiltGraph, iris: Sequence[str]) -> dict[str, str]:
    """rdfs:label of each IRI that has one in the graph."""
    out: dict[str, str] = {}
    for iri in set(iris):
        quad = next(graph.store.quads_for_pattern(ox.NamedNode(iri), _LABEL, None), None)
        if quad is not None:
            out[iri] = quad.object.value
    return out


def display_rows(
    result: Result,
    raw: bool = False,
    label_of: Callable[[Sequence[str]], Mapping[str, str]] | None = None,
    base: str = vocab.DEFAULT_BASE,
) -> tuple[list[str], list[dict[str, str]]]:
    """Rows of plain text for a person: labels, else prefixed names (`raw`: full IRIs)."""
    names, rows = result.table()
    known: Mapping[str, str] = {}
    if not raw and label_of is not None:
        known = label_of([t.value for row in rows for t in row if t is not None and t.kind == "uri"])
    prefixes = sorted(vocab.prefixes(base).items(), key=lambda kv: -len(kv[1]))

    def show(t: Term | None) -> str:
        if t is None:
            return ""
        if t.kind != "uri" or raw:
            return t.value
        if t.value in known:
            return known[t.value]
        for p, ns in prefixes:
            if t.value.startswith(ns) and SLUG_RE.match(t.value[len(ns) :].lower() or "-"):
                return f"{p}:{t.value[len(ns) :]}"
        return t.value

    return list(names), [{n: show(t) for n, t in zip(names, row, strict=True)} for row in rows]

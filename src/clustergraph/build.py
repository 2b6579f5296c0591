"""Records -> RDF triples, made once into one pyoxigraph store.

The store is the only copy of the graph: Oxigraph answers SPARQL and writes
Turtle from it, and `BuiltGraph.rdflib` wraps the same store as an
`rdflib.Graph` (through oxrdflib) for code that speaks rdflib, such as pySHACL.
Quads are made as pyoxigraph terms and added in bulk: at 20,000 records this is
about 3x faster than rdflib's `Graph.addN` (see BENCHMARKS.md).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox

from . import vocab
from .records import Data, Record
from .vocab import CG, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD

if TYPE_CHECKING:
    import rdflib

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
SUFFIXES = {"turtle": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "xml": ".rdf"}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


A = _n(RDF + "type")
LABEL = _n(RDFS + "label")
_STRING = _n(XSD + "string")
_DATE_TYPES = {4: _n(XSD + "gYear"), 7: _n(XSD + "gYearMonth"), 10: _n(XSD + "date")}

# What each field becomes: (predicate IRI, how the value is written).
#   lit: string literal; ref: record IRI; url: IRI; date: typed date; year: xsd:gYear;
#   stage: value-chain stage individual; sameas: Wikidata entity.
_COMMON: dict[str, tuple[str, str]] = {
    "description": (DCTERMS + "description", "lit"),
    "aliases": (SKOS + "altLabel", "lit"),
    "website": (SCHEMA + "url", "url"),
    "wikidata": (OWL + "sameAs", "sameas"),
    "city": (SCHEMA + "addressLocality", "lit"),
    "clusters": (CG + "inCluster", "ref"),
    "sources": (PROV + "wasDerivedFrom", "ref"),
    "notes": (SKOS + "note", "lit"),
    "type": (CG + "category", "lit"),
    "status": (CG + "status", "lit"),
    "url": (SCHEMA + "url", "url"),
    "lead": (CG + "ledBy", "ref"),
    "part_of": (DCTERMS + "isPartOf", "ref"),
}
_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "sources": {
        "title": (DCTERMS + "title", "lit"),
        "publisher": (DCTERMS + "publisher", "ref"),
        "year": (DCTERMS + "date", "year"),
        "pages": (SCHEMA + "pagination", "lit"),
    },
    "clusters": {
        "broader": (SKOS + "broader", "ref"),
        "naics": (SCHEMA + "naics", "lit"),
        "benchmark": (CG + "benchmarkCluster", "lit"),
    },
    "organizations": {
        "members": (ORG + "hasMember", "ref"),
        "parent": (ORG + "subOrganizationOf", "ref"),
    },
    "colleges": {
        "district": (CG + "district", "lit"),
        "consortium": (ORG + "memberOf", "ref"),
    },
    "workforce_boards": {
        "area": (SCHEMA + "areaServed", "lit"),
        "parent": (ORG + "subOrganizationOf", "ref"),
    },
    "facilities": {
        "operator": (CG + "operatedBy", "ref"),
        "located_at": (CG + "locatedAt", "ref"),
        "purpose": (CG + "purpose", "lit"),
        "value_chain": (CG + "valueChainStage", "stage"),
    },
    "programs": {
        "provider": (SCHEMA + "provider", "ref"),
        "occupations": (SCHEMA + "occupationalCategory", "lit"),
    },
    "initiatives": {
        "partners": (CG + "hasPartner", "ref"),
        "started": (SCHEMA + "startDate", "date"),
        "strategy": (CG + "implements", "ref"),
    },
    "people": {
        "role": (SCHEMA + "jobTitle", "lit"),
        "affiliation": (SCHEMA + "affiliation", "ref"),
    },
    "policies": {
        "identifier": (SCHEMA + "legislationIdentifier", "lit"),
        "jurisdiction": (SCHEMA + "legislationJurisdiction", "lit"),
        "authors": (SCHEMA + "author", "ref"),
        "supporters": (CG + "supporter", "ref"),
        "opponents": (CG + "opponent", "ref"),
        "introduced": (SCHEMA + "legislationDate", "date"),
        "scope": (CG + "scope", "lit"),
    },
    "reports": {
        "publisher": (SCHEMA + "publisher", "ref"),
        "published": (SCHEMA + "datePublished", "date"),
    },
    "plans": {
        "goals": (CG + "hasGoal", "ref"),
        "strategies": (CG + "hasStrategy", "ref"),
        "actions": (CG + "hasAction", "ref"),
    },
    "events": {
        "date": (SCHEMA + "startDate", "date"),
        "subject": (SCHEMA + "about", "ref"),
        "participants": (CG + "participant", "ref"),
        "advances": (CG + "advances", "ref"),
    },
    "partnerships": {
        "members": (CG + "member", "ref"),
        "via": (CG + "via", "ref"),
        "since": (SCHEMA + "startDate", "date"),
        "until": (SCHEMA + "endDate", "date"),
    },
}

_ORG_COLLAB = {"consortium", "labor-management-partnership"}
_GOVERNMENT = {"government", "legislature"}


def _classes(rec: Record) -> list[str]:
    """rdf:types of a record: our class plus the standard ones it specialises.

    The standard types are written out (not left to inference) so that plain
    SPARQL over ORG or schema.org terms finds our records.
    """
    kind = rec.kind
    t = rec.get("type")
    match rec.collection:
        case "sources":
            return [CG + "Source", PROV + "Entity"]
        case "clusters":
            return [CG + "Cluster", SKOS + "Concept"]
        case "organizations":
            out = [CG + "Organization", ORG + "Organization"]
            out.append(ORG + ("OrganizationalCollaboration" if t in _ORG_COLLAB else "FormalOrganization"))
            if t in _GOVERNMENT:
                out.append(SCHEMA + "GovernmentOrganization")
            return out
        case "colleges":
            return [
                CG + "College",
                ORG + "Organization",
                ORG + "FormalOrganization",
                SCHEMA + "CollegeOrUniversity",
            ]
        case "workforce_boards":
            return [CG + "WorkforceBoard", ORG + "Organization"]
        case "facilities":
            return [CG + "Facility", ORG + "Site"]
        case "programs":
            out = [CG + "Program", SCHEMA + "EducationalOccupationalProgram"]
            if t == "apprenticeship":
                out.append(SCHEMA + "WorkBasedProgram")
            return out
        case "initiatives":
            return [CG + "Initiative", ORG + "Organization", ORG + "OrganizationalCollaboration"]
        case "people":
            return [CG + "Person", SCHEMA + "Person"]
        case "policies":
            return [CG + "Policy", SCHEMA + "Legislation"]
        case "reports":
            return [CG + "Report", SCHEMA + "Report"]
        case "plans":
            return [CG + kind.capitalize(), PROV + "Plan"]
        case "events":
            return [CG + "Event", SCHEMA + "Event"]
        case "partnerships":
            return [CG + "Partnership", PROV + "Entity"]
    raise ValueError(rec.collection)  # pragma: no cover - collections are closed


class _Terms:
    """Caches of terms, so each IRI and predicate is made once per build."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.iris: dict[str, ox.NamedNode] = {}
        self.preds: dict[str, ox.NamedNode] = {}

    def rec(self, rid: str) -> ox.NamedNode:
        node = self.iris.get(rid)
        if node is None:
            node = self.iris[rid] = ox.NamedNode(self.base + rid)
        return node

    def pred(self, iri: str) -> ox.NamedNode:
        node = self.preds.get(iri)
        if node is None:
            node = self.preds[iri] = ox.NamedNode(iri)
        return node


def _value(terms: _Terms, mode: str, value: object) -> ox.NamedNode | ox.Literal:
    text = str(value)
    match mode:
        case "lit":
            return ox.Literal(text)
        case "ref":
            return terms.rec(text)
        case "url":
            return terms.pred(text)
        case "date":
            return ox.Literal(text, datatype=_DATE_TYPES[len(text)])
        case "year":
            return ox.Literal(f"{int(text):04d}", datatype=_DATE_TYPES[4])
        case "stage":
            return terms.pred(CG + text)
        case "sameas":
            return terms.pred(WD + text)
    raise ValueError(mode)  # pragma: no cover


def triples(data: Data, base: str = vocab.DEFAULT_BASE) -> Iterator[ox.Quad]:
    """Every triple of the graph, as pyoxigraph quads in the default graph."""
    terms = _Terms(base)
    a = A
    scheme = ox.NamedNode(vocab.scheme_iri(base))
    in_scheme = terms.pred(SKOS + "inScheme")
    dc_source = terms.pred(DCTERMS + "source")
    ident = terms.pred(DCTERMS + "identifier")
    pref = terms.pred(SKOS + "prefLabel")
    yield ox.Quad(scheme, a, terms.pred(SKOS + "ConceptScheme"))
    yield ox.Quad(scheme, LABEL, ox.Literal("Industry clusters"))
    for rec in data.records:
        s = terms.rec(rec.id)
        for cls in _classes(rec):
            yield ox.Quad(s, a, terms.pred(cls))
        yield ox.Quad(s, LABEL, ox.Literal(rec.name))
        yield ox.Quad(s, ident, ox.Literal(rec.id))
        table = _FIELDS[rec.collection]
        for name, value in rec.fields.items():
            spec = table.get(name) or _COMMON[name]
            p = terms.pred(spec[0])
            mode = spec[1]
            values = value if isinstance(value, tuple) else (value,)
            for v in values:
                yield ox.Quad(s, p, _value(terms, mode, v))
                if name == "sources":
                    yield ox.Quad(s, dc_source, terms.rec(v))
        yield from _extra(rec, s, terms, scheme, in_scheme, pref)


def _extra(
    rec: Record,
    s: ox.NamedNode,
    terms: _Terms,
    scheme: ox.NamedNode,
    in_scheme: ox.NamedNode,
    pref: ox.NamedNode,
) -> Iterator[ox.Quad]:
    """Triples that are not a field copied over: inverses, links, scheme membership."""
    if rec.collection == "clusters":
        yield ox.Quad(s, in_scheme, scheme)
        yield ox.Quad(s, pref, ox.Literal(rec.name))
        yield ox.Quad(s, terms.pred(SKOS + "notation"), ox.Literal(rec.id))
        broader = rec.get("broader")
        if broader:
            yield ox.Quad(terms.rec(broader), terms.pred(SKOS + "narrower"), s)
        else:
            yield ox.Quad(s, terms.pred(SKOS + "topConceptOf"), scheme)
            yield ox.Quad(scheme, terms.pred(SKOS + "hasTopConcept"), s)
    elif rec.collection == "organizations":
        member_of = terms.pred(ORG + "memberOf")
        for m in rec.get("members", ()):
            yield ox.Quad(terms.rec(m), member_of, s)
        parent = rec.get("parent")
        if parent:
            yield ox.Quad(terms.rec(parent), terms.pred(ORG + "hasSubOrganization"), s)
    elif rec.collection == "colleges" and rec.get("consortium"):
        yield ox.Quad(terms.rec(rec.get("consortium")), terms.pred(ORG + "hasMember"), s)
    elif rec.collection == "facilities" and rec.get("operator"):
        yield ox.Quad(terms.rec(rec.get("operator")), terms.pred(ORG + "hasSite"), s)
    elif rec.collection == "partnerships":
        members = [terms.rec(m) for m in rec.fields["members"]]
        links = [terms.pred(CG + "partnerOf")]
        special = vocab.PARTNERSHIP_LINKS.get(rec.fields["type"])
        if special:
            links.append(terms.pred(special))
        for x in members:
            for y in members:
                if x != y:
                    for p in links:
                        yield ox.Quad(x, p, y)


@dataclass
class BuiltGraph:
    """The built graph: one pyoxigraph store, with rdflib and serialisation views."""

    store: ox.Store
    base: str = vocab.DEFAULT_BASE

    def __len__(self) -> int:
        return len(self.store)

    @cached_property
    def rdflib(self) -> rdflib.Graph:
        """The same triples as an `rdflib.Graph` (backed by this store, not a copy)."""
        import rdflib
        from oxrdflib import OxigraphStore
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        g = rdflib.Graph(store=OxigraphStore(store=self.store), identifier=DATASET_DEFAULT_GRAPH_ID)
        for prefix, ns in vocab.prefixes(self.base).items():
            g.bind(prefix, ns, override=True)
        return g

    def serialize(self, fmt: str = "turtle", out: IO[bytes] | None = None) -> bytes | None:
        """Write the graph as turtle, nt, jsonld or xml to `out`, or return the bytes."""
        target = out if out is not None else io.BytesIO()
        self.store.dump(
            target,
            FORMATS[fmt],
            from_graph=ox.DefaultGraph(),
            prefixes=vocab.prefixes(self.base) if fmt in ("turtle", "xml") else None,
        )
        return target.getvalue() if out is None and isinstance(target, io.BytesIO) else None

    def iri(self, rid: str) -> str:
        return self.base + rid


def build(data: Data, base: str = vocab.DEFAULT_BASE) -> BuiltGraph:
    """Turn loaded records into the RDF graph.

    >>> from clustergraph.load import load
    >>> g = build(load("graph"))
    >>> len(g) > 100
    True
    """
    store = ox.Store()
    store.bulk_extend(triples(data, base))
    return BuiltGraph(store=store, base=base)


def read_graph(path: str, fmt: str | None = None) -> BuiltGraph:
    """Load an exported graph file (Turtle, N-Triples, JSON-LD, RDF/XML) into a store."""
    store = ox.Store()
    rdf_format = FORMATS[fmt] if fmt else ox.RdfFormat.from_extension(path.rsplit(".", 1)[-1])
    if rdf_format is None:
        rdf_format = ox.RdfFormat.TURTLE
    store.bulk_load(path=path, format=rdf_format, to_graph=ox.DefaultGraph())
    return BuiltGraph(store=store)


RDF_SUFFIXES = (".ttl", ".nt", ".jsonld", ".rdf", ".xml", ".n3", ".nq", ".trig")


def open_graph(path: str) -> BuiltGraph:
    """The graph of a data directory (loaded and built) or of an exported RDF file."""
    from .load import load

    if path.endswith(RDF_SUFFIXES):
        return read_graph(path)
    return build(load(path))

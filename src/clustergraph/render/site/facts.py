"""What the graph says about each record, read once from the store: facts, sources, linked data.

One pass over the store's triples groups them by subject; a page then shows a
record's facts in words (predicate labels from our vocabulary, standard terms
from a small table), and its Turtle and JSON-LD files hold exactly those triples.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyoxigraph as ox

from ... import vocab
from ...builder import TripleTable
from ...network.project import _Reader
from ...vocab import CG, DCTERMS, OWL, PROV, RDF, RDFS, SCHEMA, SKOS

# Predicates a page shows in its own place rather than in the list of facts.
SHOWN_ELSEWHERE = frozenset(
    {
        RDF + "type",
        RDFS + "label",
        DCTERMS + "identifier",
        PROV + "wasDerivedFrom",
        DCTERMS + "source",
        SKOS + "altLabel",
        SKOS + "prefLabel",
        SKOS + "inScheme",  # bookkeeping of the concept scheme, not a fact for a reader
        SKOS + "topConceptOf",
        SKOS + "notation",  # a cluster's notation is its id, shown under Identifier
        CG + "disputed",  # under "Where the sources disagree"
        CG + "category",  # in the line that says what the record is
        CG + "inCluster",  # in the line of its clusters
    }
)

# Words for standard terms our vocabulary file does not declare.
_STANDARD: dict[str, str] = {
    DCTERMS + "description": "description",
    DCTERMS + "title": "title",
    DCTERMS + "isPartOf": "part of",
    DCTERMS + "publisher": "publisher",
    DCTERMS + "issued": "issued",
    DCTERMS + "spatial": "region",
    SCHEMA + "url": "web page",
    SCHEMA + "addressLocality": "city",
    SCHEMA + "startDate": "date or start",
    SCHEMA + "endDate": "until",
    SCHEMA + "about": "about",
    SCHEMA + "participant": "participants",
    SCHEMA + "affiliation": "affiliated with",
    SCHEMA + "provider": "provided by",
    SCHEMA + "author": "authors",
    SCHEMA + "legislationIdentifier": "bill number",
    SCHEMA + "naics": "NAICS code",
    SCHEMA + "roleName": "role",
    SCHEMA + "datePublished": "published",
    SCHEMA + "occupationalCategory": "occupations",
    OWL + "sameAs": "same as",
    "http://www.w3.org/ns/org#memberOf": "member of",
    "http://www.w3.org/ns/org#hasMember": "has as member",
    "http://www.w3.org/ns/org#hasSite": "has the site",
    "http://www.w3.org/ns/org#subOrganizationOf": "part of",
    "http://www.w3.org/ns/org#linkedTo": "linked to",
    SKOS + "broader": "part of the cluster",
    SKOS + "notation": "code",
    SKOS + "note": "note",
    RDFS + "comment": "note",
    "http://xmlns.com/foaf/0.1/homepage": "website",
}


@cache
def _vocabulary_labels() -> dict[str, str]:
    store = ox.Store()
    store.load(path=str(vocab.vocab_file("clustergraph.ttl")), format=ox.RdfFormat.TURTLE)
    return {
        q.subject.value: q.object.value
        for q in store.quads_for_pattern(None, ox.NamedNode(RDFS + "label"), None)
        if isinstance(q.subject, ox.NamedNode)
    }


@cache
def predicate_words(iri: str) -> str:
    """A predicate in words: our vocabulary's label, a standard term's, or its name split up.

    >>> predicate_words("https://schema.org/addressLocality"), predicate_words("https://x.org/ns#valueChainStage")
    ('city', 'value chain stage')
    """
    if iri in _STANDARD:
        return _STANDARD[iri]
    label = _vocabulary_labels().get(iri)
    if label:
        return label
    name = re.split(r"[/#]", iri.rstrip("/#"))[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


@dataclass(frozen=True, slots=True)
class Value:
    """One object of a fact: a record (`rid` set), a web link (`url`), or text."""

    text: str
    rid: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """One property of a record in words, with its values."""

    what: str
    values: tuple[Value, ...]


# Records whose triples are kept grouped by predicate at once: a page asks about its own
# record several times and about the sources it cites (shared by many pages); past this
# many the grouping is dropped and read again, so memory stays flat over 200,000 pages.
_GROUPED_KEPT = 20_000


_RECENT_KEPT = 8  # subjects whose triples are kept as read (a page's record, its sources, ...)


class Records:
    """Labels, ids, aliases and citations of every record, read in one pass per predicate;
    a record's own triples, and the records of a type, are read when asked.

    They are read from a store (an RDF file, a server, a graph already built) or
    from a `builder.TripleTable` made `by_subject`, whose `SubjectFile` holds
    every subject's lines on disk: then no store is filled (2.5 GiB at 200,000
    entities). Either way the Python objects of a record's triples are made
    only for the record being written, never for the whole graph at once, and
    a process forked from this one reads the same store or file in place.
    """

    def __init__(self, triples: ox.Store | TripleTable, base: str) -> None:
        self.base = base
        if isinstance(triples, ox.Store):
            self._store: ox.Store | None = triples
            self._lines = None
        else:
            assert triples.by_subject is not None, "a table made by_subject"
            self._store, self._lines = None, triples.by_subject
        self._read: _Reader | None = _Reader(triples, union=False)
        # The first label and the last identifier in the order read (the store's, or written).
        self.label: dict[str, str] = {}
        read = self._read
        for s, o in read.each(RDFS + "label"):
            self.label.setdefault(s, o)
        self.rid: dict[str, str] = read.last(DCTERMS + "identifier")
        self.aliases: dict[str, list[str]] = defaultdict(list)
        for s, o in read.each(SKOS + "altLabel"):
            self.aliases[s].append(o)
        for v in self.aliases.values():
            v.sort()
        self._derived: list[tuple[str, str]] = read.pairs(PROV + "wasDerivedFrom")
        # Every named subject: a linked record with triples of its own gets a link. (Asking the
        # store per IRI instead was measured slower: 0.9 ms a page against 0.5 at 50,000.)
        self.subjects: Collection[str] = (
            self._lines
            if self._lines is not None
            else {
                row[0].value
                for row in triples.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")  # type: ignore[union-attr]
            }
        )
        self._grouped: dict[str, dict[str, list[str]]] = {}
        self._recent: dict[str, tuple[ox.Quad, ...]] = {}
        self._prefixes = vocab.prefixes(base)

    def let_table_go(self) -> None:
        """Stop reading the table or store the tables above came from (`with_predicates` and
        `of_type` no longer answer): a site at 200,000 entities holds no table of every
        triple while its pages are written, each read from the `SubjectFile`. A store,
        which the records' own triples are read from, stays."""
        self._read = None

    def _reader(self) -> _Reader:
        assert self._read is not None, "read before let_table_go"
        return self._read

    def with_predicates(self, predicates: Iterable[str]) -> Iterable[tuple[str, str, str]]:
        """(subject, predicate, object) IRIs of every triple with one of `predicates`."""
        for p in predicates:
            for s, o in self._reader().each(p):
                yield s, p, o

    def iri(self, rid: str) -> str:
        return self.base + rid

    def id_of(self, iri: str) -> str | None:
        if iri in self.rid:
            return self.rid[iri]
        return iri[len(self.base) :] if iri.startswith(self.base) else None

    def _of(self, iri: str) -> tuple[ox.Quad, ...]:
        """The triples of `iri` (read only). The last few subjects' are kept: a page reads its
        own record's three times (its facts, its values, its Turtle and JSON-LD), with its
        sources and disputed values in between, and from a `SubjectFile` each read is a parse."""
        recent = self._recent
        found = recent.get(iri)
        if found is not None:
            return found
        if self._lines is not None:
            text = self._lines.text(iri)
            found = tuple(ox.parse(text, format=ox.RdfFormat.N_TRIPLES)) if text else ()
        else:
            assert self._store is not None
            found = tuple(self._store.quads_for_pattern(ox.NamedNode(iri), None, None, ox.DefaultGraph()))
        if len(recent) >= _RECENT_KEPT:
            del recent[next(iter(recent))]  # the oldest
        recent[iri] = found
        return found

    def triples(self, rid: str) -> tuple[ox.Quad, ...]:
        return self._of(self.iri(rid))

    def _by_predicate(self, iri: str) -> dict[str, list[str]]:
        got = self._grouped.get(iri)
        if got is None:
            if len(self._grouped) >= _GROUPED_KEPT:
                self._grouped.clear()
            got = defaultdict(list)
            for q in self._of(iri):
                got[q.predicate.value].append(q.object.value)
            self._grouped[iri] = got
        return got

    def values(self, rid: str, predicate: str) -> list[str]:
        """The objects of `predicate` on `rid`, sorted."""
        if predicate == SKOS + "altLabel":
            return list(self.aliases.get(self.iri(rid), ()))
        return sorted(self._by_predicate(self.iri(rid)).get(predicate, ()))

    def sources(self, rid: str) -> list[str]:
        """Ids of the sources the record cites."""
        return sorted({i for v in self.values(rid, PROV + "wasDerivedFrom") if (i := self.id_of(v))})

    def cited_by(self) -> dict[str, list[str]]:
        """Source id -> ids of the records that cite it."""
        out: dict[str, list[str]] = defaultdict(list)
        for s, o in self._derived:
            rid = self.id_of(s)
            if rid is not None and (src := self.id_of(o)):
                out[src].append(rid)
        return {k: sorted(set(v)) for k, v in out.items()}

    def of_type(self, cls: str) -> list[str]:
        # Asked of the store for the few classes the pages list (plan levels), rather than a set
        # of types kept for every subject.
        return sorted(rid for s, _ in self._reader().each(RDF + "type", cls) if (rid := self.id_of(s)))

    def facts(
        self, rid: str, safe_url: Any, skip: Collection[str] = (), shown: Collection[str] = ()
    ) -> list[Fact]:
        """The record's properties in words, leaving out what a page shows elsewhere
        (the predicates in SHOWN_ELSEWHERE and `shown`, links to the records in `skip`)."""
        grouped: dict[str, list[Value]] = defaultdict(list)
        for t in self.triples(rid):
            p = t.predicate.value
            if p in SHOWN_ELSEWHERE or p in shown:
                continue
            o = t.object
            if isinstance(o, ox.NamedNode):
                oid = self.id_of(o.value)
                if oid in skip:
                    continue
                if oid is not None and o.value in self.subjects:
                    grouped[p].append(Value(self.label.get(o.value, oid), rid=oid))
                elif (url := safe_url(o.value)) is not None:
                    grouped[p].append(Value(_short(o.value), url=url))
                else:
                    grouped[p].append(Value(o.value))
            elif isinstance(o, ox.Literal):
                grouped[p].append(Value(o.value))
        facts = [Fact(predicate_words(p), tuple(sorted(vs, key=_value_order))) for p, vs in grouped.items()]
        return sorted(facts, key=lambda f: (f.what != "description", f.what))

    def disputes(self, rid: str) -> list[dict[str, Any]]:
        """The other values sources give for the record's fields (`disputed` in the data):
        {field, value, sources (ids), note}, in the order the data lists them."""
        out = []
        for node in sorted(self.values(rid, CG + "disputed")):
            got: dict[str, list[str]] = defaultdict(list)
            for t in self._of(node):
                got[t.predicate.value].append(t.object.value)
            out.append(
                {
                    "field": (got.get(CG + "field") or [""])[0],
                    "value": (got.get(RDF + "value") or [""])[0],
                    "sources": sorted(i for v in got.get(DCTERMS + "source", ()) if (i := self.id_of(v))),
                    "note": (got.get(RDFS + "comment") or [""])[0],
                }
            )
        return out

    def _record_triples(self, rid: str) -> list[ox.Quad]:
        """The record's triples and those of the nodes it owns (its disputed values), each
        read once for its Turtle and its JSON-LD (`_of` keeps the last few subjects')."""
        triples = list(self.triples(rid))
        for node in self.values(rid, CG + "disputed"):
            triples.extend(self._of(node))
        return triples

    def turtle(self, rid: str) -> bytes:
        return ox.serialize(self._record_triples(rid), format=ox.RdfFormat.TURTLE, prefixes=self._prefixes)

    def jsonld(self, rid: str) -> bytes:
        return ox.serialize(self._record_triples(rid), format=ox.RdfFormat.JSON_LD)


def _value_order(v: Value) -> tuple[str, str, str, str]:
    return v.text.lower(), v.rid or "", v.url or "", v.text


def _short(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/")


def plan_items(records: Records) -> dict[str, dict[str, Any]]:
    """Plan, goal, strategy and action ids -> {level, label, parent, children}."""
    items: dict[str, dict[str, Any]] = {}
    for level in ("Plan", "Goal", "Strategy", "Action"):
        for rid in records.of_type(CG + level):
            parents = [i for v in records.values(rid, DCTERMS + "isPartOf") if (i := records.id_of(v))]
            items[rid] = {
                "level": level.lower(),
                "label": records.label.get(records.iri(rid), rid),
                "parent": parents[0] if parents else None,
                "children": [],
            }
    for rid, item in items.items():
        if item["parent"] in items:
            items[item["parent"]]["children"].append(rid)
    return items


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


__all__ = ["Fact", "Records", "Value", "plan_items", "predicate_words", "unique"]

"""Records -> RDF triples, made once into one pyoxigraph store.

The store is the only copy of the graph: Oxigraph answers SPARQL and writes
Turtle from it, and `BuiltGraph.rdflib` wraps the same store as an
`rdflib.Graph` (through oxrdflib) for code that speaks rdflib, such as pySHACL.
Quads are made as pyoxigraph terms and added in bulk: at 20,000 records this is
about 3x faster than rdflib's `Graph.addN` (docs/performance.md).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

from . import vocab
from .errors import UsageError
from .records import Data, Record
from .vocab import CG, DCAT, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD, XSD_STRING
from .yamlfile import gc_paused

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
_STRING = _n(XSD_STRING)
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
    "datasets": {
        "region": (DCTERMS + "spatial", "lit"),
        "edition": (DCTERMS + "issued", "date"),
        "publisher": (DCTERMS + "publisher", "ref"),
        "license": (DCTERMS + "license", "url"),
    },
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
        case "datasets":
            return [DCAT + "Dataset"]
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


class _Terms(dict[str, str]):
    """N-Triples text of IRIs, made once each: `terms[iri]` is '<iri>'."""

    def __init__(self, prefix: str = "") -> None:
        super().__init__()
        self.prefix = prefix

    def __missing__(self, key: str) -> str:
        text = self[key] = f"<{self.prefix}{key}>"
        return text


def _lit(text: str) -> str:
    """An N-Triples string literal; only these four characters need escaping."""
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"'


_DATE_SUFFIX = {n: f"^^<{dt.value}>" for n, dt in _DATE_TYPES.items()}
# Literal fields whose values repeat across records (a type, a city): written once each.
_REPEATING = {"type", "status", "city", "purpose", "occupations", "role", "jurisdiction", "area", "district"}
_CHUNK = 100_000  # triples per call into the store, so the text never grows large


class _Writer:
    """Turns records into N-Triples lines; each field's conversion is chosen once."""

    def __init__(self, base: str) -> None:
        # A bad base IRI fails here, not as text the store skips checking.
        if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*\Z", base):
            raise UsageError(f"`base` must be an absolute IRI such as https://example.org/id/, not {base!r}")
        try:
            ox.NamedNode(base + "x")
        except ValueError as exc:
            raise UsageError(f"`base` must be an absolute IRI, not {base!r}: {exc}") from None
        self.done = 0  # records written so far, for a progress bar
        self.iris = _Terms(base)
        self.preds = _Terms()
        self.stages = _Terms(CG)
        self.wikidata = _Terms(WD)
        self.words: dict[str, str] = {}
        self.fields = {c: self._fields(c) for c in _FIELDS}
        self.classes: dict[tuple[str, str, str | None], tuple[str, ...]] = {}

    def word(self, text: str) -> str:
        lit = self.words.get(text)
        if lit is None:
            lit = self.words[text] = _lit(text)
        return lit

    def _converter(self, field: str, mode: str) -> Callable[[Any], str]:
        match mode:
            case "lit":
                return self.word if field in _REPEATING else _lit
            case "ref":
                return self.iris.__getitem__
            case "url":
                return self.preds.__getitem__
            case "date":
                return lambda text: f'"{text}"{_DATE_SUFFIX[len(text)]}'
            case "year":
                return lambda year: f'"{int(year):04d}"{_DATE_SUFFIX[4]}'
            case "stage":
                return self.stages.__getitem__
            case "sameas":
                return self.wikidata.__getitem__
        raise ValueError(mode)  # pragma: no cover

    def _fields(self, collection: str) -> dict[str, tuple[str, Callable[[Any], str]]]:
        # `disputed` is not here: each entry is a node of its own (see `disputes`)
        specs = {**_COMMON, **_FIELDS[collection]}
        return {name: (self.preds[iri], self._converter(name, mode)) for name, (iri, mode) in specs.items()}

    def disputes(self, s: str, rid: str, entries: tuple[tuple[Any, ...], ...]) -> list[str]:
        """`s cg:disputed <s#disputed-i>`, that node a cg:DisputedValue with cg:field,
        rdf:value, dcterms:source and rdfs:comment.

        Each entry is named under its record's IRI rather than a blank node: Oxigraph
        renames blank nodes on every load, and the same data must give the same bytes.
        """
        preds, iris = self.preds, self.iris
        a, disputed, field = preds[RDF + "type"], preds[CG + "disputed"], preds[CG + "field"]
        value, source, comment = preds[RDF + "value"], preds[DCTERMS + "source"], preds[RDFS + "comment"]
        cls = preds[CG + "DisputedValue"]
        out: list[str] = []
        for i, (name, text, sources, note) in enumerate(entries):
            b = f"<{iris.prefix}{rid}#disputed-{i}>"
            out.append(f"{s} {disputed} {b} .\n")
            out.append(f"{b} {a} {cls} .\n")
            out.append(f"{b} {field} {self.word(name)} .\n")
            out.append(f"{b} {value} {_lit(text)} .\n")
            out.extend(f"{b} {source} {iris[src]} .\n" for src in sources)
            if note:
                out.append(f"{b} {comment} {_lit(note)} .\n")
        return out

    def lines(self, data: Data) -> Iterator[list[str]]:
        """N-Triples lines of the whole graph, in lists of about _CHUNK lines."""
        iris, preds = self.iris, self.preds
        a, label = preds[RDF + "type"], preds[RDFS + "label"]
        ident, sources, dc_source = (
            preds[DCTERMS + "identifier"],
            preds[PROV + "wasDerivedFrom"],
            preds[DCTERMS + "source"],
        )
        scheme = f"<{vocab.scheme_iri(iris.prefix)}>"
        out = [
            f"{scheme} {a} {preds[SKOS + 'ConceptScheme']} .\n",
            f"{scheme} {label} {_lit('Industry clusters')} .\n",
        ]
        add = out.append
        for done, rec in enumerate(data.records, 1):
            s = iris[rec.id]
            key = (rec.collection, rec.kind, rec.fields.get("type"))
            types = self.classes.get(key)
            if types is None:
                types = self.classes[key] = tuple(preds[c] for c in _classes(rec))
            for cls in types:
                add(f"{s} {a} {cls} .\n")
            add(f"{s} {label} {_lit(rec.name)} .\n")
            add(f"{s} {ident} {_lit(rec.id)} .\n")
            spec = self.fields[rec.collection]
            for name, value in rec.fields.items():
                conversion = spec.get(name)
                if conversion is None:
                    if name != "disputed":  # pragma: no cover - the loader admits no other
                        raise KeyError(name)
                    out.extend(self.disputes(s, rec.id, value))
                    continue
                p, conv = conversion
                if value.__class__ is tuple:
                    for v in value:
                        add(f"{s} {p} {conv(v)} .\n")
                    if p is sources:
                        for v in value:
                            add(f"{s} {dc_source} {iris[v]} .\n")
                else:
                    add(f"{s} {p} {conv(value)} .\n")
            if rec.collection in _EXTRA:
                out.extend(self.extra(rec, s, scheme))
            if len(out) >= _CHUNK:
                self.done = done
                yield out
                out = []
                add = out.append
        self.done = len(data.records)
        yield out

    def extra(self, rec: Record, s: str, scheme: str) -> list[str]:
        """Triples that are not a field copied over: inverses, links, scheme membership."""
        iris, preds = self.iris, self.preds
        out: list[str] = []
        if rec.collection == "clusters":
            out.append(f"{s} {preds[SKOS + 'inScheme']} {scheme} .\n")
            out.append(f"{s} {preds[SKOS + 'prefLabel']} {_lit(rec.name)} .\n")
            out.append(f"{s} {preds[SKOS + 'notation']} {_lit(rec.id)} .\n")
            broader = rec.get("broader")
            if broader:
                out.append(f"{iris[broader]} {preds[SKOS + 'narrower']} {s} .\n")
            else:
                out.append(f"{s} {preds[SKOS + 'topConceptOf']} {scheme} .\n")
                out.append(f"{scheme} {preds[SKOS + 'hasTopConcept']} {s} .\n")
        elif rec.collection == "organizations":
            member_of = preds[ORG + "memberOf"]
            out.extend(f"{iris[m]} {member_of} {s} .\n" for m in rec.get("members", ()))
            parent = rec.get("parent")
            if parent:
                out.append(f"{iris[parent]} {preds[ORG + 'hasSubOrganization']} {s} .\n")
        elif rec.collection == "colleges" and rec.get("consortium"):
            out.append(f"{iris[rec.get('consortium')]} {preds[ORG + 'hasMember']} {s} .\n")
        elif rec.collection == "facilities" and rec.get("operator"):
            out.append(f"{iris[rec.get('operator')]} {preds[ORG + 'hasSite']} {s} .\n")
        elif rec.collection == "datasets":
            out.append(f"{s} {preds[DCTERMS + 'title']} {_lit(rec.name)} .\n")
        elif rec.collection == "partnerships":
            members = [iris[m] for m in rec.fields["members"]]
            links = [preds[CG + "partnerOf"]]
            special = vocab.PARTNERSHIP_LINKS.get(rec.fields["type"])
            if special:
                links.append(preds[special])
            out.extend(f"{x} {p} {y} .\n" for x in members for y in members if x != y for p in links)
        return out


_EXTRA = {"datasets", "clusters", "organizations", "colleges", "facilities", "partnerships"}


def ntriples(data: Data, base: str = vocab.DEFAULT_BASE) -> Iterator[str]:
    """The graph as N-Triples text, in pieces of about 100,000 lines.

    This is how the store is filled: Oxigraph parses N-Triples faster than
    pyoxigraph can take `Quad` objects with literals from Python (each literal
    term costs several microseconds to convert), and the text is only ever one
    piece large.
    """
    for lines in _Writer(base).lines(data):
        yield "".join(lines)


def triples(data: Data, base: str = vocab.DEFAULT_BASE) -> Iterator[ox.Quad]:
    """Every triple of the graph, as pyoxigraph quads in the default graph."""
    for text in ntriples(data, base):
        yield from ox.parse(text, format=ox.RdfFormat.N_TRIPLES)


class TripleTable:
    """The triples `build` writes, by predicate, as (subject, object) value strings: no store.

    What the network commands read of a graph (the projection, the dated facts,
    the aliases, the dataset's record) is a few dozen predicates' subject-object
    pairs. Reading them from the builder's own N-Triples lines skips filling a
    store and reading it back: at 50,000 entities 2.9 s against 11 s, in about a
    quarter of the memory. The values are those a store would give (an IRI's
    text, a literal's lexical form), each pair once, in the order written; a
    string met twice is one str. `clustergraph.network.project` reads it as it
    reads a store (`project(table)`), so both give the same network.

    >>> from clustergraph.loader import load
    >>> table = TripleTable(load("graph"))
    >>> port = "https://w3id.org/clustergraph/id/port-of-los-angeles"
    >>> [label for s, label in table.pairs(RDFS + "label") if s == port]
    ['Port of Los Angeles']
    """

    def __init__(self, data: Data, base: str = vocab.DEFAULT_BASE, *, by_subject: bool = False) -> None:
        self.base = base
        #: Every subject's own triples, when asked for (`by_subject`): see `SubjectFile`.
        self.by_subject: SubjectFile | None = SubjectFile() if by_subject else None
        with gc_paused():  # millions of tuples, none of them cyclic garbage
            self._rows = self._read(data, base, self.by_subject)
            if self.by_subject is not None:
                self.by_subject.finish()

    @staticmethod
    def _read(data: Data, base: str, spool: SubjectFile | None) -> dict[str, list[tuple[str, str]]]:
        by_predicate: dict[str, list[tuple[str, str]]] = {}
        strings: dict[str, str] = {}
        one = strings.setdefault
        said = subject = ""  # a record's triples come together: its subject is read once
        bucket: list[str] = []
        for lines in _Writer(base).lines(data):
            for line in lines:
                s, p, o = line.split(" ", 2)  # the writer's lines: '<s> <p> o .\n'
                if s != said:
                    said = s
                    s = s[1:-1]
                    subject = one(s, s)
                    if spool is not None:
                        bucket = spool.bucket(subject)
                if spool is not None:
                    bucket.append(line)
                rows = by_predicate.get(p)
                if rows is None:
                    rows = by_predicate[p] = []
                o = o[1:-4] if o[0] == "<" else _value(o[:-3])
                rows.append((subject, one(o, o)))
            if spool is not None:
                spool.spill()
        del strings
        # A store holds a triple once; the writer may write one twice (two partnerships of the
        # same pair): each predicate's list is made unique in turn, keeping the first of each.
        out: dict[str, list[tuple[str, str]]] = {}
        for p in list(by_predicate):
            rows = by_predicate.pop(p)
            unique = set(rows)
            out[p[1:-1]] = rows if len(unique) == len(rows) else list(dict.fromkeys(rows))
            del unique
        return out

    def __len__(self) -> int:
        return sum(map(len, self._rows.values()))

    def pairs(self, predicate: str) -> list[tuple[str, str]]:
        """(subject, object) of every triple of `predicate`; the list is the table's own: read it only."""
        return self._rows.get(predicate, [])


class SubjectFile:
    """Every subject's triples as N-Triples, found by subject: in memory when they are few,
    else in an unnamed temporary file.

    What the site writes for each record (its Turtle and JSON-LD, its facts)
    are the triples of one subject. A store answers that, at 330 bytes a
    triple held in memory (2.5 GiB at 200,000 entities); here the writer's
    lines are grouped by subject, and a subject's are read back in one slice
    or `pread` (`text`). The lines are spread over buckets by subject as they
    are written (a partnership writes its members' triples, so an entity's
    lines are scattered through the whole stream), and the buckets go to disk
    once they hold more than `SPILL` lines; then each bucket is sorted: a
    subject's lines come together, each once (a store holds a triple once),
    in a fixed order. Memory stays at one bucket and the index, a tuple per
    subject. Processes forked after `finish` read the same bytes or file.

    >>> f = SubjectFile()
    >>> f.bucket("https://x.org/a").extend(['<https://x.org/a> <https://x.org/p> "2" .\\n'] * 2)
    >>> f.finish()
    >>> f.text("https://x.org/a"), f.text("https://x.org/b")
    ('<https://x.org/a> <https://x.org/p> "2" .\\n', '')
    """

    BUCKETS = 64
    SPILL = 400_000  # lines held in the buckets before they are written out (about 50 MB)

    def __init__(self) -> None:
        self._buckets: list[list[str]] = [[] for _ in range(self.BUCKETS)]
        self._spilled: IO[bytes] | None = None
        self._chunks: list[list[tuple[int, int]]] = [[] for _ in range(self.BUCKETS)]
        self._file: IO[bytes] | None = None
        self._memory = b""
        self._index: dict[str, tuple[int, int]] = {}

    def bucket(self, subject: str) -> list[str]:
        """The list a line of `subject` is appended to, while writing."""
        return self._buckets[hash(subject) % self.BUCKETS]

    def spill(self) -> None:
        """Write the buckets out once they hold many lines (called between the writer's chunks)."""
        if sum(map(len, self._buckets)) < self.SPILL:
            return
        with _temporary_space():
            if self._spilled is None:
                self._spilled = _temporary_file("lines")
            out = self._spilled
            for i, lines in enumerate(self._buckets):
                if lines:
                    data = "".join(lines).encode()
                    self._chunks[i].append((out.tell(), len(data)))
                    out.write(data)
                    lines.clear()

    def finish(self) -> None:
        """Sort each bucket by subject into what the subjects are read from."""
        spilled = self._spilled
        with _temporary_space():
            if spilled is not None:
                spilled.flush()
                self._file = _temporary_file("subjects")
            pieces: list[bytes] = []
            at = 0
            for i, held in enumerate(self._buckets):
                lines = held
                if self._chunks[i]:
                    assert spilled is not None
                    text = b"".join(_read_at(spilled, n, off) for off, n in self._chunks[i]).decode()
                    # A line ends at a newline alone: a literal may hold other breaks (U+2028) as they are.
                    lines = [line + "\n" for line in text.split("\n")[:-1]]
                    lines += held
                self._buckets[i] = []
                at = self._sorted(lines, pieces, at)
                if self._file is not None:
                    self._file.write(b"".join(pieces))
                    pieces.clear()
            if self._file is not None:
                self._file.flush()
            else:
                self._memory = b"".join(pieces)
        self._chunks = []
        if spilled is not None:
            spilled.close()
            self._spilled = None

    def _sorted(self, lines: list[str], pieces: list[bytes], at: int) -> int:
        """Append one bucket's subjects to `pieces`, each subject's lines sorted and unique."""
        lines.sort()  # a subject's lines come together ('<s> ...'), a triple written twice side by side
        index = self._index
        for subject, run in groupby(lines, key=_subject_of):
            data = "".join(dict.fromkeys(run)).encode()  # each triple once
            pieces.append(data)
            index[subject] = (at, len(data))
            at += len(data)
        return at

    def __contains__(self, subject: object) -> bool:
        return subject in self._index

    def __len__(self) -> int:
        return len(self._index)

    def __iter__(self) -> Iterator[str]:
        """Every subject, in no particular order."""
        return iter(self._index)

    def text(self, subject: str) -> str:
        """The N-Triples lines of `subject` ('' when it has none), sorted."""
        found = self._index.get(subject)
        if found is None:
            return ""
        off, n = found
        if self._file is None:
            return self._memory[off : off + n].decode()
        return _read_at(self._file, n, off).decode()


def _read_at(file: IO[bytes], n: int, offset: int) -> bytes:
    """`n` bytes at `offset`: `pread`, which leaves the file's position alone (processes forked
    with the file read it at once), or a seek and a read where there is none (Windows, where
    no process is forked)."""
    if hasattr(os, "pread"):
        return os.pread(file.fileno(), n, offset)
    file.seek(offset)
    return file.read(n)


def _subject_of(line: str) -> str:
    """The subject IRI of one of the writer's N-Triples lines ('<s> <p> o .')."""
    return line[1 : line.index(">")]


def _temporary_file(what: str) -> IO[bytes]:
    import tempfile

    return tempfile.TemporaryFile(prefix=f"clustergraph-{what}-")


@contextmanager
def _temporary_space() -> Iterator[None]:
    """A temporary file that cannot be written is named with what to do, not a traceback."""
    try:
        yield
    except OSError as exc:
        import tempfile

        from .output import OutputError

        raise OutputError(
            tempfile.gettempdir(),
            f"{exc.strerror or exc} (a temporary file of the graph's triples, by subject)",
            "free some space there, or set TMPDIR to a folder with room",
        ) from None


def _value(term: str) -> str:
    """An N-Triples term as the writer writes it -> its value (an IRI's text, a literal's lexical form)."""
    if term[0] == "<":
        return term[1:-1]
    text = term[1 : term.rindex('"')]
    if "\\" in text:  # the four escapes of `_lit`
        text = re.sub(r"\\(.)", lambda m: _UNESCAPE[m.group(1)], text)
    return text


_UNESCAPE = {"\\": "\\", '"': '"', "n": "\n", "r": "\r"}


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

    >>> from clustergraph.loader import load
    >>> g = build(load("graph"))
    >>> len(g) > 100
    True
    """
    from .progressbar import bar

    store = ox.Store()
    graph = ox.DefaultGraph()
    writer = _Writer(base)
    # Every IRI and literal is written by _Writer from checked records (URLs were
    # checked as IRIs by the loader), so the parser's own checks can be skipped.
    with bar(len(data), "building graph", min_total=100_000) as advance:
        done = 0
        for lines in writer.lines(data):
            store.load("".join(lines), format=ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True)
            advance(writer.done - done)
            done = writer.done
    return BuiltGraph(store=store, base=base)


def read_graph(path: str, fmt: str | None = None) -> BuiltGraph:
    """Load an exported graph file (Turtle, N-Triples, JSON-LD, RDF/XML) into a store.

    A syntax error is reported like bad YAML: DataErrors naming file:line:col.
    """
    store = ox.Store()
    suffix = path.rsplit(".", 1)[-1].lower()
    rdf_format = FORMATS[fmt] if fmt else ox.RdfFormat.from_extension("rdf" if suffix == "owl" else suffix)
    try:
        store.bulk_load(path=path, format=rdf_format or ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    except SyntaxError as exc:
        from .errors import DataError, DataErrors, Loc

        line, col = (exc.lineno or 0, exc.offset or 0)
        raise DataErrors([DataError(Loc(path, line, col), f"not valid RDF: {exc.msg}")]) from None
    except OSError as exc:
        from .errors import DataError, DataErrors, Loc

        raise DataErrors([DataError(Loc(path), f"cannot read file: {exc.strerror or exc}")]) from None
    return BuiltGraph(store=store)


# Exported graph files that `open_graph` reads as RDF rather than as a data directory.
RDF_SUFFIXES = (".ttl", ".nt", ".jsonld", ".rdf", ".owl", ".xml", ".n3")


def is_rdf_file(path: str) -> bool:
    return os.path.isfile(path) and path.lower().endswith(RDF_SUFFIXES)


def names_rdf_file(path: str) -> bool:
    """Whether a command's DATA means an RDF file: one that exists, or a path with an RDF
    suffix that is not a directory (so a mistyped `export.ttl` says "no such file")."""
    return is_rdf_file(path) or (path.lower().endswith(RDF_SUFFIXES) and not os.path.isdir(path))


def open_graph(path: str) -> BuiltGraph:
    """The graph of a data directory (loaded and built) or of an exported RDF file."""
    from .loader import load

    if names_rdf_file(path):
        return read_graph(path)
    return build(load(path))


def predicate_rows() -> list[tuple[str, str, str]]:
    """(collection or "every record", field, predicate as a prefixed name), from the
    builder's own tables: what docs/data-format.md shows, so the two never drift."""
    from .schema import COLLECTIONS, COMMON

    def curie(iri: str) -> str:
        for prefix, ns in sorted(vocab.PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if iri.startswith(ns):
                return f"{prefix}:{iri[len(ns) :]}"
        return f"<{iri}>"

    special = {
        "id": "dcterms:identifier",
        "name": "rdfs:label",
        "disputed": "cg:disputed (a cg:DisputedValue)",
    }
    rows = []
    for field in COMMON:
        iri = _COMMON.get(field)
        pred = curie(iri[0]) if iri else special.get(field, "")
        if field == "sources":
            pred += ", dcterms:source"
        rows.append(("every record", field, pred))
    for collection, fields in COLLECTIONS.items():
        for field in fields:
            iri = _FIELDS.get(collection, {}).get(field) or _COMMON.get(field)
            pred = (
                curie(iri[0])
                if iri
                else {"goals": "cg:hasGoal / cg:hasStrategy / cg:hasAction"}.get(field, "")
            )
            rows.append((collection, field, pred))
    return rows


def predicate_table() -> str:
    """The field -> predicate table of docs/data-format.md, as Markdown."""
    lines = ["| where | field | predicate |", "| --- | --- | --- |"]
    lines += [
        f"| {where} | `{field}` | `{pred}` |" if pred else f"| {where} | `{field}` | |"
        for where, field, pred in predicate_rows()
    ]
    return "\n".join(lines) + "\n"

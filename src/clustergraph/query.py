"""SPARQL over the graph: named queries, safe parameters, local engines and remote endpoints.

A named query is a `.rq` file whose comment header says what it answers:

    # title: Partners of an organisation
    # description: Every organisation that shares a partnership record with ORG.
    # param: org (id) — the organisation, by its id in the data
    # param: since (integer, 1900) — only events from this year on

A parameter is a variable of the query (`?org`). Its value is turned into an
RDF term of the declared type (an `id` becomes the record's IRI, a number a
typed literal, text a string literal) and bound to the variable by the engine
(pyoxigraph `substitutions`, rdflib `initBindings`, or for a remote endpoint a
`VALUES` block written from serialised terms at the start of the `WHERE`
group). The value is never pasted into the query text, so a value such as
`"} ; DROP ALL ; {"` is only ever a string to compare with.

Local engines only read: `SERVICE` (which would reach out to the network),
`LOAD` and every SPARQL update are refused before the engine sees the query.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from . import vocab
from .errors import DataError, DataErrors, Loc, QueryError, UsageError, did_you_mean

if TYPE_CHECKING:
    from .build import BuiltGraph

ENGINES = ("oxigraph", "rdflib")
PARAM_TYPES = ("id", "iri", "string", "integer", "decimal", "boolean")
XSD_STRING = vocab.XSD + "string"
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\s]*\Z")
_LABEL = ox.NamedNode(vocab.RDFS + "label")
_IDENT = ox.NamedNode(vocab.DCTERMS + "identifier")


# ---------------------------------------------------------------- named queries


@dataclass(frozen=True, slots=True)
class Param:
    """A declared parameter: `?name` in the query, bound to a term of `type`."""

    name: str
    type: str
    default: str | None = None
    meaning: str = ""
    line: int = 0

    def __str__(self) -> str:
        return f"{self.name} ({self.type}{'' if self.default is None else ', ' + self.default})"


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query with what its header says: title, one-line description, parameters."""

    name: str
    text: str
    path: str = "-e"
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()


_HEADER = re.compile(r"#\s*(title|description|param)\s*:\s*(.*)", re.IGNORECASE)
_PARAM = re.compile(r"([A-Za-z_]\w*)\s*\(\s*([a-z]+)\s*(?:,\s*([^)]*?))?\s*\)\s*(?:(?:—|–|--|-)\s*(.*))?\Z")


def parse_query_text(text: str, name: str = "-e", path: str = "-e") -> NamedQuery:
    """Read the comment header of a query; a malformed `# param:` line is a DataError at its line."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    errors: list[DataError] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1).lower(), m.group(2).strip()
        if key != "param":
            fields.setdefault(key, value)
            continue
        pm = _PARAM.match(value)
        if not pm:
            hint = "write '# param: name (type, default) — meaning'"
            errors.append(DataError(Loc(path, lineno, 1), f"malformed parameter line: {value!r}", hint))
            continue
        pname, ptype, default, meaning = pm.groups()
        if ptype not in PARAM_TYPES:
            hint = did_you_mean(ptype, PARAM_TYPES) or "types: " + ", ".join(PARAM_TYPES)
            errors.append(DataError(Loc(path, lineno, 1), f"unknown parameter type '{ptype}'", hint))
            continue
        params.append(Param(pname, ptype, default or None, (meaning or "").strip(), lineno))
    used = {tok[1:] for kind, tok, _ in _tokens(text) if kind == "var"}
    for p in params:
        if p.name not in used:
            errors.append(DataError(Loc(path, p.line, 1), f"parameter '{p.name}' is never used as ?{p.name}"))
    if errors:
        raise DataErrors(errors)
    return NamedQuery(
        name=name,
        text=text,
        path=path,
        title=fields.get("title", ""),
        description=fields.get("description", ""),
        params=tuple(params),
    )


def query_dirs(data: str | None = None) -> list[Path]:
    """Where named queries are looked up, later folders overriding earlier ones.

    The shipped queries sit next to the package in a wheel, or at the top of the
    repository in an editable install; a `queries/` folder beside the user's data
    directory adds their own.
    """
    here = Path(__file__).resolve().parent
    dirs = [d for d in (here / "queries", here.parent.parent / "queries") if d.is_dir()][:1]
    if data is not None:
        own = Path(data).resolve().parent / "queries"
        if own.is_dir() and own.resolve() not in [d.resolve() for d in dirs]:
            dirs.append(own)
    return dirs


def named_queries(data: str | None = None) -> dict[str, NamedQuery]:
    """Every named query by name, sorted by name."""
    found: dict[str, NamedQuery] = {}
    errors: list[DataError] = []
    for folder in query_dirs(data):
        for path in sorted(folder.glob("*.rq")):
            try:
                found[path.stem] = load_query_file(path, path.stem)
            except DataErrors as exc:
                errors.extend(exc.errors)
    if errors:
        raise DataErrors(errors)
    return dict(sorted(found.items()))


def load_query_file(path: str | Path, name: str | None = None) -> NamedQuery:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataErrors([DataError(Loc(str(path)), f"cannot read query: {exc}")]) from None
    return parse_query_text(text, name or p.stem, str(path))


def resolve_query(name_or_file: str, data: str | None = None) -> NamedQuery:
    """A named query by name, or a `.rq` file by path; an unknown name is a usage error."""
    if name_or_file.endswith(".rq") or "/" in name_or_file or Path(name_or_file).is_file():
        if not Path(name_or_file).is_file():
            raise UsageError(f"no query file {name_or_file}")
        return load_query_file(name_or_file)
    queries = named_queries(data)
    if name_or_file not in queries:
        hint = did_you_mean(name_or_file, queries)
        raise UsageError(
            f"unknown query '{name_or_file}'"
            + (f" ({hint})" if hint else "")
            + "; `clustergraph queries` lists them"
        )
    return queries[name_or_file]


# ---------------------------------------------------------------- a small SPARQL tokenizer

# Enough of SPARQL's lexer to tell keywords from the same letters inside strings,
# IRIs, comments, prefixed names and variables.
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    |(?P<iri><[^<>"{}|^`\\\s]*>)
    |(?P<var>[?$][A-Za-z0-9_]+)
    |(?P<lang>@[A-Za-z][A-Za-z0-9-]*)
    |(?P<pname>(?:[A-Za-z_][\w.-]*)?:[^\s{}()<>,;"'\[\]=!|&*/+^]*)
    |(?P<word>[A-Za-z_]\w*)
    |(?P<brace>[{}])
    |(?P<other>\S)""",
    re.VERBOSE | re.DOTALL,
)
_UPDATE_WORDS = {"INSERT", "DELETE", "DROP", "CLEAR", "CREATE", "COPY", "MOVE", "ADD", "WITH", "LOAD"}
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind != "comment":
            yield kind, m.group(), m.start()


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_read_only(q: NamedQuery, local: bool = True) -> None:
    """Refuse updates everywhere, and SERVICE, LOAD and FROM on a local engine (a usage error, exit 2).

    FROM and FROM NAMED name the dataset to query; rdflib's engine answers them by
    downloading each IRI, and the local graph holds only its default graph anyway.
    """
    for kind, tok, pos in _tokens(q.text):
        word = tok.upper()
        if kind != "word" or (word not in _UPDATE_WORDS and word not in ("SERVICE", "FROM")):
            continue
        line, col = _line_col(q.text, pos)
        where = f"{q.path}:{line}:{col}"
        if word == "SERVICE" and local:
            raise UsageError(
                f"{where}: SERVICE is refused on the local engine (it would fetch data over the network); "
                "query the remote endpoint itself with --endpoint"
            )
        if word == "FROM" and local:
            raise UsageError(
                f"{where}: FROM is refused on the local engine (rdflib would download the graph; the local "
                "graph is the default graph): leave FROM out, or query a server with --endpoint"
            )
        if word in _UPDATE_WORDS:
            raise UsageError(f"{where}: {word} is a SPARQL update; `clustergraph query` only reads the graph")


def query_form(text: str) -> str:
    """'select', 'ask' or 'graph' (CONSTRUCT / DESCRIBE), from the first query keyword."""
    for kind, tok, _ in _tokens(text):
        if kind == "word" and tok.upper() in _FORMS:
            return _FORMS[tok.upper()]
    return "select"


def _where_brace(text: str) -> int | None:
    """Offset just after the `{` that opens the outermost WHERE group."""
    depth = 0
    seen_where = False
    form = None
    for kind, tok, pos in _tokens(text):
        if kind == "word" and depth == 0:
            word = tok.upper()
            form = form or _FORMS.get(word)
            seen_where = seen_where or word == "WHERE"
        elif kind == "brace":
            if tok == "{":
                if depth == 0 and (seen_where or form in ("select", "ask")):
                    return pos + 1
                depth += 1
            else:
                depth -= 1
    return None


# ---------------------------------------------------------------- parameters


def bind_params(
    q: NamedQuery, given: Mapping[str, str], base: str = vocab.DEFAULT_BASE
) -> dict[str, ox.NamedNode | ox.Literal]:
    """Turn `-p name=value` strings into RDF terms of each parameter's declared type.

    A missing parameter (without a default), an undeclared one, or a value that is
    not of the declared type is a usage error naming the parameter.
    """
    declared = {p.name: p for p in q.params}
    for name in given:
        if name not in declared:
            known = ", ".join(declared) or "none"
            hint = did_you_mean(name, declared)
            raise UsageError(
                f"unknown parameter '{name}' for query {q.name}"
                + (f" ({hint})" if hint else f" (its parameters: {known})")
            )
    out: dict[str, ox.NamedNode | ox.Literal] = {}
    for p in q.params:
        value = given.get(p.name, p.default)
        if value is None:
            raise UsageError(
                f"missing parameter '{p.name}' ({p.type}) for query {q.name}: {p.meaning}; "
                f"give it with -p {p.name}=VALUE"
            )
        out[p.name] = _term(p, value, base)
    return out


def _term(p: Param, value: str, base: str) -> ox.NamedNode | ox.Literal:
    bad = UsageError(f"parameter '{p.name}' must be {_TYPE_WORDS[p.type]}, not {value!r}")
    match p.type:
        case "id":
            if not _SLUG.match(value):
                raise bad
            return ox.NamedNode(base + value)
        case "iri":
            if not _IRI.match(value):
                raise bad
            return ox.NamedNode(value)
        case "integer":
            try:
                return ox.Literal(str(int(value)), datatype=ox.NamedNode(vocab.XSD + "integer"))
            except ValueError:
                raise bad from None
        case "decimal":
            try:
                number = Decimal(value)
            except InvalidOperation:
                raise bad from None
            if not number.is_finite():
                raise bad
            return ox.Literal(str(number), datatype=ox.NamedNode(vocab.XSD + "decimal"))
        case "boolean":
            if value.lower() not in ("true", "false"):
                raise bad
            return ox.Literal(value.lower(), datatype=ox.NamedNode(vocab.XSD + "boolean"))
    return ox.Literal(value)


_TYPE_WORDS = {
    "id": "a record id (lower-case letters, digits and '-')",
    "iri": "an absolute IRI",
    "string": "text",
    "integer": "a whole number",
    "decimal": "a number",
    "boolean": "true or false",
}


def check_ids(graph: BuiltGraph, q: NamedQuery, bound: Mapping[str, ox.NamedNode | ox.Literal]) -> None:
    """An `id` parameter must name a record of the graph, else the answer would be silently empty."""
    for p in q.params:
        term = bound[p.name]
        if p.type != "id" or next(graph.store.quads_for_pattern(term, None, None), None) is not None:
            continue
        rid = term.value[len(graph.base) :]
        ids = [str(qd.object.value) for qd in graph.store.quads_for_pattern(None, _IDENT, None)]
        hint = did_you_mean(rid, ids)
        raise UsageError(
            f"parameter '{p.name}': no record with id '{rid}' in the graph" + (f" ({hint})" if hint else "")
        )


# ---------------------------------------------------------------- results


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


class _Terms(dict[Any, "Term | None"]):
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


def _from_ox(term: Any) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        lang = term.language
        return Term("literal", term.value, None if lang or dt == XSD_STRING else dt, lang)
    return Term("triple", str(term))


def _from_rdflib(term: Any) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return Term("uri", str(term))
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    if isinstance(term, Literal):
        dt = str(term.datatype) if term.datatype else None
        return Term("literal", str(term), None if term.language or dt == XSD_STRING else dt, term.language)
    return Term("triple", str(term))


def _from_json(cell: Mapping[str, str]) -> Term:
    kind = {"typed-literal": "literal"}.get(cell["type"], cell["type"])
    dt = cell.get("datatype")
    lang = cell.get("xml:lang")
    return Term(kind, cell["value"], None if lang or dt == XSD_STRING else dt, lang)


# ---------------------------------------------------------------- engines


def run_query(
    q: NamedQuery,
    params: Mapping[str, str] | None = None,
    *,
    graph: BuiltGraph | None = None,
    engine: str = "oxigraph",
    endpoint: str | None = None,
    timeout: float = 60.0,
) -> Result:
    """Answer `q` on a built graph (with the chosen engine) or on a remote SPARQL endpoint.

    A syntax error is a DataErrors pointing at the query's file:line:col (exit 1);
    a bad parameter or a refused query is a UsageError (exit 2); a remote failure a QueryError.
    """
    import time

    started = time.perf_counter()
    check_read_only(q, local=endpoint is None)
    given = dict(params or {})
    if endpoint is not None:
        result = _run_endpoint(q, bind_params(q, given), endpoint, timeout)
    else:
        if graph is None:
            raise UsageError("give a data directory, --graph FILE or --endpoint URL")
        bound = bind_params(q, given, graph.base)
        check_ids(graph, q, bound)
        if engine == "oxigraph":
            result = _run_oxigraph(q, bound, graph)
        elif engine == "rdflib":
            result = _run_rdflib(q, bound, graph)
        else:
            raise UsageError(f"unknown engine '{engine}' (engines: {', '.join(ENGINES)})")
    return Result(
        result.form, result.vars, result.rows, result.boolean, result.triples, time.perf_counter() - started
    )


def _syntax_error(q: NamedQuery, message: str, line: int = 0, col: int = 0) -> DataErrors:
    return DataErrors([DataError(Loc(q.path, line, col), f"SPARQL syntax: {message}")])


_OX_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _run_oxigraph(q: NamedQuery, bound: Mapping[str, ox.NamedNode | ox.Literal], graph: BuiltGraph) -> Result:
    """Oxigraph, with the parameters as a VALUES block.

    pyoxigraph's `substitutions=` follows SEP-0007, which binds only variables the
    SELECT projects; a parameter usually is not projected (you know which
    organisation you asked about), so Oxigraph gets the same VALUES block as a
    remote endpoint.
    """
    prefixes = vocab.prefixes(graph.base)
    try:
        answer = graph.store.query(with_values(q, bound), prefixes=prefixes)
    except SyntaxError as exc:
        error = exc
        if bound:  # report the place in the text as written, not with VALUES added
            try:
                graph.store.query(q.text, prefixes=prefixes)
            except SyntaxError as original:
                error = original
        m = _OX_ERROR.match(str(error))
        if m:
            raise _syntax_error(q, m.group(3), int(m.group(1)), int(m.group(2))) from None
        raise _syntax_error(q, str(error)) from None
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = tuple(v.value for v in answer.variables)
        # A solution iterates its values in the order of the variables (None when
        # unbound); each distinct term is converted once (`_Terms`).
        convert = _Terms(_from_ox).__getitem__
        rows = tuple(tuple(map(convert, sol)) for sol in answer)
        return Result("select", names, rows)
    triples = tuple((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)) for t in answer)
    return Result("graph", triples=triples)  # type: ignore[arg-type]


def _run_rdflib(q: NamedQuery, bound: Mapping[str, ox.NamedNode | ox.Literal], graph: BuiltGraph) -> Result:
    """rdflib's own SPARQL engine (the reference), reading the same Oxigraph store triple by triple."""
    from pyparsing import ParseException
    from rdflib import Literal, URIRef
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(q.text, initNs=vocab.prefixes(graph.base))
    except ParseException as exc:
        raise _syntax_error(q, exc.msg, exc.lineno, exc.col) from None
    except Exception as exc:  # rdflib reports unknown prefixes and the like as plain Exceptions
        raise _syntax_error(q, str(exc)) from None
    bindings: dict[str, Any] = {}
    for name, term in bound.items():
        if isinstance(term, ox.NamedNode):
            bindings[name] = URIRef(term.value)
        elif term.datatype.value == XSD_STRING:
            bindings[name] = Literal(term.value)
        else:
            bindings[name] = Literal(term.value, datatype=URIRef(term.datatype.value))
    # use_store_provided=False: without it oxrdflib would hand the query to Oxigraph.
    answer = graph.rdflib.query(prepared, initBindings=bindings, use_store_provided=False)
    if answer.type == "ASK":
        return Result("ask", boolean=bool(answer.askAnswer))
    if answer.type == "SELECT":
        names = tuple(str(v) for v in answer.vars or ())
        convert = _Terms(_from_rdflib).__getitem__
        rows = tuple(tuple(map(convert, row)) for row in answer)
        return Result("select", names, rows)
    triples = tuple(tuple(_from_rdflib(t) for t in triple) for triple in answer)
    return Result("graph", triples=triples)  # type: ignore[arg-type]


def values_block(bindings: Sequence[Mapping[str, ox.NamedNode | ox.Literal]]) -> str:
    """A SPARQL VALUES block of serialised terms (pyoxigraph escapes them as N-Triples does)."""
    names = list(bindings[0]) if bindings else []
    head = " ".join("?" + n for n in names)
    rows = " ".join("(" + " ".join(str(b[n]) for n in names) + ")" for b in bindings)
    return f"VALUES ({head}) {{ {rows} }}"


def with_values(q: NamedQuery, bound: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The query text with the parameters as a VALUES block opening its WHERE group.

    A VALUES block at the start of the group joins before anything else is
    evaluated, so it means what binding the variable beforehand means, for
    variables the SELECT does not project too. The values are serialised terms,
    never the user's text.
    """
    if not bound:
        return q.text
    at = _where_brace(q.text)
    if at is None:
        raise UsageError(f"{q.path}: cannot find the WHERE group to bind the parameters in")
    return q.text[:at] + " " + values_block([bound]) + " " + q.text[at:]


def with_prefixes(text: str, base: str = vocab.DEFAULT_BASE) -> str:
    """The query text with our standard prefixes declared where it does not declare them itself."""
    toks = list(_tokens(text))
    declared = {
        tok[:-1]
        for (k1, w, _), (k, tok, _) in itertools.pairwise(toks)
        if k1 == "word" and w.upper() == "PREFIX" and k == "pname"
    }
    missing = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in vocab.prefixes(base).items() if p not in declared)
    # Added on the first line, so line numbers in the endpoint's messages stay right.
    return (missing + " " if missing else "") + text


def http_request(
    url: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 60.0,
) -> tuple[int, str, bytes]:
    """One HTTP exchange (standard library); every failure becomes a QueryError with a plain message."""
    # Imported here: urllib.request costs ~40 ms, and only --endpoint and push need it.
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip()
        raise QueryError(
            f"{url} answered HTTP {exc.code} {exc.reason}" + (f": {body[:800]}" if body else "")
        ) from None
    except TimeoutError:
        raise QueryError(f"{url} did not answer within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ConnectionRefusedError):
            raise QueryError(
                f"cannot connect to {url}: connection refused (is the server running?)"
            ) from None
        if isinstance(reason, TimeoutError):
            raise QueryError(f"{url} did not answer within {timeout:g} s") from None
        raise QueryError(f"cannot reach {url}: {reason}") from None
    except (ValueError, OSError) as exc:
        raise QueryError(f"cannot reach {url}: {exc}") from None


def _run_endpoint(
    q: NamedQuery, bound: Mapping[str, ox.NamedNode | ox.Literal], url: str, timeout: float
) -> Result:
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--endpoint must be an http:// or https:// URL, not {url!r}")
    import urllib.parse

    body = urllib.parse.urlencode({"query": with_prefixes(with_values(q, bound))}).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
    }
    _, ctype, payload = http_request(url, method="POST", data=body, headers=headers, timeout=timeout)
    if query_form(q.text) == "graph":
        try:
            quads = ox.parse(
                payload, format=ox.RdfFormat.from_media_type(ctype.split(";")[0]) or ox.RdfFormat.N_TRIPLES
            )
            triples = tuple((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)) for t in quads)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"{url} sent triples that cannot be read: {exc}") from None
        return Result("graph", triples=triples)  # type: ignore[arg-type]
    try:
        doc = json.loads(payload)
    except ValueError:
        raise QueryError(f"{url} did not answer with SPARQL results JSON (Content-Type {ctype!r})") from None
    if "boolean" in doc:
        return Result("ask", boolean=bool(doc["boolean"]))
    names = tuple(doc.get("head", {}).get("vars", []))
    rows = tuple(
        tuple(_from_json(b[n]) if n in b else None for n in names)
        for b in doc.get("results", {}).get("bindings", [])
    )
    return Result("select", names, rows)


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
            if t.value.startswith(ns) and _SLUG.match(t.value[len(ns) :].lower() or "-"):
                return f"{p}:{t.value[len(ns) :]}"
        return t.value

    return list(names), [{n: show(t) for n, t in zip(names, row, strict=True)} for row in rows]

"""SPARQL over the graph: named queries, safe parameters, local engines and remote endpoints.

A named query is a `.rq` file whose comment header says what it answers:

    # title: Partners of an organisation
    # description: Every organisation that shares a partnership record with ORG.
    # param: org (id) — the organisation, by its id in the data
    # param: since (integer, 1900) — only events from this year on

A parameter is a variable of the query (`?org`). Its value is turned into an
RDF term of the declared type (an `id` becomes the record's IRI, a number a
typed literal, text a string literal) and bound to the variable: rdflib takes
`initBindings`; Oxigraph and remote endpoints get a `VALUES` block written from
the serialised terms at the start of the `WHERE` group. The value is never
pasted into the query text, so a value such as `"} ; DROP ALL ; {"` is only ever
a string to compare with.

Local engines only read: `SERVICE` (which would reach out to the network),
`LOAD` and every SPARQL update are refused before the engine sees the query.
The query records are `namedquery.py`, the query text is handled in `sparql.py`,
answers in `results.py`, servers in `endpoint.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from . import vocab
from .errors import ClusterGraphError, DataError, DataErrors, Loc, QueryError, UsageError, did_you_mean
from .inputs import FileRefused, read_regular
from .namedquery import NamedQuery, Param
from .results import Result, TermCache, rdflib_term, term_from_ox, term_from_rdflib
from .schema import SLUG_RE
from .sparql import check_algebra, check_read_only, tokens, with_values

if TYPE_CHECKING:
    from .builder import BuiltGraph
    from .remote import Remote

ENGINES = ("oxigraph", "rdflib")
MAX_QUERY_BYTES = 4 * 2**20
PARAM_TYPES = ("id", "iri", "string", "integer", "decimal", "boolean")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\s]*\Z")
_IDENT = ox.NamedNode(vocab.DCTERMS + "identifier")


# ---------------------------------------------------------------- named queries


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
    used = {tok[1:] for kind, tok, _ in tokens(text) if kind == "var"}
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


def shadowing_file(name: str, data: str | None = None) -> Path | None:
    """The `.rq` file beside the data that replaces the shipped query `name`, if there is one.

    A partner's data may come with a `queries/` folder; a file there named like a shipped
    query is used instead of it, so the CLI says so.
    """
    dirs = query_dirs(data)
    if len(dirs) < 2 or not (dirs[0] / f"{name}.rq").is_file():
        return None
    own = dirs[-1] / f"{name}.rq"
    return own if own.is_file() else None


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
        text = read_regular(p, MAX_QUERY_BYTES).decode("utf-8")
    except FileRefused as exc:
        raise DataErrors([DataError(Loc(str(path)), f"cannot read query: {exc.message}", exc.hint)]) from None
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
            if not SLUG_RE.match(value):
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


_NAMES = (ox.NamedNode(vocab.RDFS + "label"), ox.NamedNode(vocab.SKOS + "altLabel"))


def resolve_ids(graph: BuiltGraph, q: NamedQuery, given: Mapping[str, str]) -> dict[str, str]:
    """`id` parameters given as a name or an alias ("LA BioMed") become the record's id.

    A name that fits one record is that record; one that fits several is a usage error
    listing them; text that is no id and names nothing gets the closest names as a hint.
    """
    out = dict(given)
    for p in q.params:
        value = out.get(p.name)
        if p.type != "id" or value is None:
            continue
        if SLUG_RE.match(value) and next(
            graph.store.quads_for_pattern(ox.NamedNode(graph.base + value), None, None), None
        ):
            continue
        key = value.casefold()
        names: dict[str, set[str]] = {}
        for pred in _NAMES:
            for quad in graph.store.quads_for_pattern(None, pred, None):
                subject = quad.subject.value
                if isinstance(quad.subject, ox.NamedNode) and subject.startswith(graph.base):
                    names.setdefault(str(quad.object.value), set()).add(subject[len(graph.base) :])
        found = {rid for name, ids in names.items() if name.casefold() == key for rid in ids}
        if len(found) == 1:
            out[p.name] = found.pop()
        elif found:
            raise UsageError(
                f"parameter '{p.name}': '{value}' names {len(found)} records:"
                f" {', '.join(sorted(found))}; give its id"
            )
        elif not SLUG_RE.match(value):
            hint = did_you_mean(value, names)
            raise UsageError(
                f"parameter '{p.name}' must be a record id, name or alias; no record is named '{value}'"
                + (f" ({hint})" if hint else "")
            )
    return out


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


# ---------------------------------------------------------------- engines


def run_query(
    q: NamedQuery,
    params: Mapping[str, str] | None = None,
    *,
    graph: BuiltGraph | None = None,
    engine: str = "oxigraph",
    endpoint: str | Remote | None = None,
    timeout: float = 60.0,
    limit: int | None = None,
) -> Result:
    """Answer `q` on a built graph (with the chosen engine) or on a remote SPARQL endpoint
    (an address, or a `remote.Remote` with its graph selection and credentials).

    With `limit`, a SELECT keeps its first `limit` rows and counts the others in
    ``left_out`` (on Oxigraph they are counted without being turned into terms).

    A syntax error is a DataErrors pointing at the query's file:line:col (exit 1);
    a bad parameter or a refused query is a UsageError (exit 2); a remote failure a QueryError.
    """
    import time

    started = time.perf_counter()
    if limit is not None and limit < 0:
        raise UsageError(f"`limit` must be 0 or more, not {limit}", param="limit")
    check_read_only(q, local=endpoint is None)
    given = dict(params or {})
    if endpoint is not None:
        from .endpoint import run_endpoint  # urllib only when a server is asked

        result = run_endpoint(q, bind_params(q, given), endpoint, timeout)
    else:
        if graph is None:
            raise UsageError("give a `graph` or an `endpoint`", param="graph")
        bound = bind_params(q, resolve_ids(graph, q, given), graph.base)
        check_ids(graph, q, bound)
        if engine == "oxigraph":
            result = _run_oxigraph(q, bound, graph, limit)
        elif engine == "rdflib":
            result = _run_rdflib(q, bound, graph)
        else:
            raise UsageError(f"unknown engine '{engine}' (engines: {', '.join(ENGINES)})")
    rows, left = result.rows, result.left_out
    if limit is not None and len(rows) > limit:
        rows, left = rows[:limit], left + len(rows) - limit
    return Result(
        result.form, result.vars, rows, result.boolean, result.triples, time.perf_counter() - started, left
    )


def _syntax_error(q: NamedQuery, message: str, line: int = 0, col: int = 0) -> DataErrors:
    return DataErrors([DataError(Loc(q.path, line, col), f"SPARQL syntax: {message}")])


_OX_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _run_oxigraph(
    q: NamedQuery, bound: Mapping[str, ox.NamedNode | ox.Literal], graph: BuiltGraph, limit: int | None = None
) -> Result:
    """Oxigraph, with the parameters as a VALUES block.

    pyoxigraph's `substitutions=` follows SEP-0007, which binds only variables the
    SELECT projects; a parameter usually is not projected (you know which
    organisation you asked about), so Oxigraph gets the same VALUES block as a
    remote endpoint.
    """
    prefixes = vocab.prefixes(graph.base)
    text = with_values(q, bound)
    try:
        return _oxigraph_result(graph.store.query(text, prefixes=prefixes), limit)
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
    except (RuntimeError, OSError, ValueError, TypeError) as exc:
        raise _evaluation_error(q, "oxigraph", exc) from None


def _evaluation_error(q: NamedQuery, engine: str, exc: BaseException) -> QueryError:
    """An engine that parsed the query but failed while answering it (exit 1, no traceback)."""
    why = str(exc) or type(exc).__name__
    return QueryError(f"{q.path}: the {engine} engine could not answer the query: {why}")


def _oxigraph_result(
    answer: ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples, limit: int | None = None
) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = tuple(v.value for v in answer.variables)
        # A solution iterates its values in the order of the variables (None when
        # unbound); each distinct term is converted once (`TermCache`).
        convert = TermCache(term_from_ox).__getitem__
        solutions = iter(answer)
        rows = tuple(tuple(map(convert, sol)) for sol in islice(solutions, limit))
        left = sum(1 for _ in solutions) if limit is not None else 0
        return Result("select", names, rows, left_out=left)
    triples = tuple(
        (term_from_ox(t.subject), term_from_ox(t.predicate), term_from_ox(t.object)) for t in answer
    )
    return Result("graph", triples=triples)  # type: ignore[arg-type]


def _run_rdflib(q: NamedQuery, bound: Mapping[str, ox.NamedNode | ox.Literal], graph: BuiltGraph) -> Result:
    """rdflib's own SPARQL engine (the reference), reading the same Oxigraph store triple by triple."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(q.text, initNs=vocab.prefixes(graph.base))
    except ParseException as exc:
        raise _syntax_error(q, exc.msg, exc.lineno, exc.col) from None
    except Exception as exc:  # rdflib reports unknown prefixes and the like as plain Exceptions
        raise _syntax_error(q, str(exc)) from None
    # rdflib's own parse: no SERVICE (which would send these bindings out) and no FROM in it.
    check_algebra(q, prepared.algebra)
    bindings = {name: rdflib_term(term) for name, term in bound.items()}
    try:
        return _rdflib_result(graph, prepared, bindings)
    except ClusterGraphError:
        raise
    except Exception as exc:  # an invalid REGEX pattern (re.error), a bad cast, RecursionError ...
        raise _evaluation_error(q, "rdflib", exc) from None


def _rdflib_result(graph: BuiltGraph, prepared: Any, bindings: Mapping[str, Any]) -> Result:
    # use_store_provided=False: without it oxrdflib would hand the query to Oxigraph.
    answer = graph.rdflib.query(prepared, initBindings=bindings, use_store_provided=False)
    if answer.type == "ASK":
        return Result("ask", boolean=bool(answer.askAnswer))
    if answer.type == "SELECT":
        names = tuple(str(v) for v in answer.vars or ())
        convert = TermCache(term_from_rdflib).__getitem__
        rows = tuple(tuple(map(convert, row)) for row in answer)
        return Result("select", names, rows)
    triples = tuple(tuple(term_from_rdflib(t) for t in triple) for triple in answer)
    return Result("graph", triples=triples)  # type: ignore[arg-type]


def query(
    query: str,
    graph: BuiltGraph | None = None,
    params: Mapping[str, str] | None = None,
    *,
    engine: str = "oxigraph",
    endpoint: str | None = None,
    timeout: float = 60.0,
    data: str | None = None,
) -> Result:
    """Answer a named query (by name), a `.rq` file (by path) or SPARQL text.

    `params` are the query's declared parameters as text, as `-p name=value`
    gives them; `data` is where a `queries/` folder of the user's own is looked
    for. Otherwise as `run_query`.

    >>> from clustergraph import build, load
    >>> result = query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", build(load("graph")))
    >>> int(result.rows[0][0].value) > 2000
    True
    """
    if Path(query).is_file() or query.endswith(".rq"):
        q = resolve_query(query, data)
    elif any(c.isspace() for c in query) or "{" in query:
        q = parse_query_text(query)
    else:
        q = resolve_query(query, data)
    return run_query(q, params, graph=graph, engine=engine, endpoint=endpoint, timeout=timeout)

"""Remote SPARQL 1.1 Protocol endpoints: one HTTP exchange, and a query sent to a server.

HTTP goes through `clustergraph.http` (no cross-origin redirects, a wall-clock deadline,
a bounded answer); this module turns a query into a request and the answer into a Result,
refusing answers of the wrong shape with a QueryError.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import QueryError
from .http import redact
from .remote import check_url
from .results import Result, Term, term_from_json, term_from_ox
from .sparql import query_form, with_prefixes, with_values

if TYPE_CHECKING:
    from .namedquery import NamedQuery
    from .remote import Remote


def http_request(
    url: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 60.0,
) -> tuple[int, str, bytes]:
    """One HTTP exchange through `clustergraph.http.request`: (status, Content-Type, body).

    Kept for callers of the tuple form; new code calls `http.request` and gets a Response.
    """
    from .http import request

    resp = request(url, method=method, data=data, headers=headers, timeout=timeout)
    return resp.status, resp.content_type, resp.body


def _not_results(url: str, why: str) -> QueryError:
    return QueryError(f"{url} did not answer with SPARQL results JSON ({why})")


def _term(cell: object, url: str) -> Term:
    if not isinstance(cell, dict):
        raise _not_results(url, "a binding is not an object")
    kind, value = cell.get("type"), cell.get("value")
    if kind not in ("uri", "literal", "typed-literal", "bnode") or not isinstance(value, str):
        raise _not_results(url, "a binding has no 'type' of uri, literal or bnode and a text 'value'")
    for key in ("datatype", "xml:lang"):
        if key in cell and not isinstance(cell[key], str):
            raise _not_results(url, f"a binding's {key!r} is not text")
    return term_from_json(cell)


def parse_results_json(payload: bytes, url: str, content_type: str = "") -> Result:
    """SPARQL 1.1 Query Results JSON as a Result; anything else (valid JSON of another shape
    included) is a QueryError saying the server did not answer with SPARQL results."""
    try:
        doc = json.loads(payload)
    except (ValueError, RecursionError):
        raise _not_results(url, f"Content-Type {content_type!r}") from None
    if not isinstance(doc, dict):
        kinds = {list: "a list", str: "a string", bool: "true or false", type(None): "null"}
        what = kinds.get(type(doc), "a number")
        raise _not_results(url, f"the answer is {what}, not a JSON object")
    if "boolean" in doc:
        if not isinstance(doc["boolean"], bool):
            raise _not_results(url, "'boolean' is not true or false")
        return Result("ask", boolean=doc["boolean"])
    head, results = doc.get("head", {}), doc.get("results", {})
    if not isinstance(head, dict) or not isinstance(results, dict):
        raise _not_results(url, "'head' or 'results' is not an object")
    names, bindings = head.get("vars", []), results.get("bindings", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _not_results(url, "'head.vars' is not a list of names")
    if not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings):
        raise _not_results(url, "'results.bindings' is not a list of objects")
    rows = tuple(tuple(_term(b[n], url) if n in b else None for n in names) for b in bindings)
    return Result("select", tuple(names), rows)


def run_endpoint(
    q: NamedQuery, bound: Mapping[str, ox.NamedNode | ox.Literal], url: str | Remote, timeout: float
) -> Result:
    """Ask `url` (an address, or a Remote with its graph selection and credentials) the query `q`."""
    from .remote import Remote

    remote = url if isinstance(url, Remote) else Remote(check_url(url), timeout=timeout)
    resp = remote.ask(
        with_prefixes(with_values(q, bound)),
        "application/sparql-results+json, application/n-triples;q=0.9",
    )
    ctype, payload, url = resp.content_type, resp.body, remote.url
    if query_form(q.text) == "graph":
        try:
            quads = ox.parse(
                payload, format=ox.RdfFormat.from_media_type(ctype.split(";")[0]) or ox.RdfFormat.N_TRIPLES
            )
            triples = tuple(
                (term_from_ox(t.subject), term_from_ox(t.predicate), term_from_ox(t.object)) for t in quads
            )
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"{redact(url)} sent triples that cannot be read: {exc}") from None
        return Result("graph", triples=triples)  # type: ignore[arg-type]
    return parse_results_json(payload, redact(url), ctype)

"""Remote SPARQL 1.1 Protocol endpoints: one HTTP exchange, and a query sent to a server.

Only the standard library speaks HTTP here, imported when a command first talks
to a server (`--endpoint`, `push`), so local commands start without it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import QueryError, UsageError
from .results import Result, term_from_json, term_from_ox
from .sparql import query_form, with_prefixes, with_values

if TYPE_CHECKING:
    from .query import NamedQuery


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


def run_endpoint(
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
            triples = tuple(
                (term_from_ox(t.subject), term_from_ox(t.predicate), term_from_ox(t.object)) for t in quads
            )
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
        tuple(term_from_json(b[n]) if n in b else None for n in names)
        for b in doc.get("results", {}).get("bindings", [])
    )
    return Result("select", names, rows)

"""Fuzz the SPARQL read-only check against the engines' own parsers.

For any text: `check_read_only` refuses it, or the text really is read-only to both
engines. A text it lets through must (1) never show a SERVICE or a dataset clause in
rdflib's parsed algebra (the check and rdflib disagree: a crash), and (2) never make
Oxigraph evaluate a SERVICE (every SERVICE the fuzzer can name points at a closed port on
127.0.0.1, so Oxigraph reports a connection error, an OSError). Deep nesting that got past the depth
limit would crash the process in Oxigraph's parser: libFuzzer reports that too.

Run with `make fuzz` (atheris, `pip install -e '.[fuzz]'`), e.g.
    python fuzz/fuzz_sparql.py -max_total_time=60 -dict=fuzz/sparql.dict fuzz/corpus-sparql queries
"""

from __future__ import annotations

import sys

import atheris

# Only our code is instrumented: rdflib's parser (pyparsing) runs ~50x slower instrumented.
import pyoxigraph as ox
from rdflib.plugins.sparql import prepareQuery

with atheris.instrument_imports(include=["clustergraph"]):
    from clustergraph.errors import ClusterGraphError
    from clustergraph.namedquery import NamedQuery
    from clustergraph.sparql import check_algebra, check_read_only

_STORE = ox.Store()
_STORE.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))
# A relative SERVICE IRI resolves to a closed port (Oxigraph refuses reserved ports such as 9).
_BASE = "http://127.0.0.1:18999/"


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    q = NamedQuery("fuzz", text)
    try:
        check_read_only(q, local=True)
    except ClusterGraphError:
        return  # refused (or too deep): nothing reaches an engine
    try:
        prepared = prepareQuery(q.text, base=_BASE)
    except Exception:  # rdflib reports syntax errors as many types
        prepared = None
    if prepared is not None:
        check_algebra(q, prepared.algebra)  # raises (a crash here) if rdflib sees SERVICE
    try:
        answer = _STORE.query(q.text, base_iri=_BASE)
        if not isinstance(answer, ox.QueryBoolean):
            for _ in answer:
                pass
    except SyntaxError:
        return
    except OSError as exc:  # an in-memory store does no I/O: only a SERVICE call can fail so
        raise AssertionError(f"Oxigraph evaluated a SERVICE the check let through: {text!r}") from exc
    except (RuntimeError, ValueError) as exc:  # unknown functions, bad casts: not the network
        if "service" in str(exc).lower():
            raise AssertionError(f"Oxigraph evaluated a SERVICE the check let through: {text!r}") from exc


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

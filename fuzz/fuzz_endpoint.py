"""Fuzz the endpoint-answer parser: any bytes a server sends give a Result or a QueryError.

Run with `make fuzz` (atheris, `pip install -e '.[fuzz]'`), e.g.
    python fuzz/fuzz_endpoint.py -max_total_time=60 fuzz/corpus-endpoint
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from clustergraph.endpoint import parse_results_json
    from clustergraph.errors import QueryError


def test_one_input(data: bytes) -> None:
    try:
        result = parse_results_json(data, "http://127.0.0.1:1/sparql", "application/sparql-results+json")
    except QueryError as exc:
        assert "did not answer with SPARQL results JSON" in str(exc)
        return
    assert result.form in ("ask", "select")
    if result.form == "ask":
        assert isinstance(result.boolean, bool)
    for row in result.rows:
        assert len(row) == len(result.vars)
        for term in row:
            assert term is None or (isinstance(term.value, str) and term.kind in ("uri", "literal", "bnode"))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

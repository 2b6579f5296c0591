"""Named queries rewritten for speed answer exactly what their earlier text answered.

Each rewrite (a sub-select Oxigraph hashes instead of a per-row lookup, a number
to order by instead of an IRI) must give the same rows in the same order. The text
each query had before its rewrite is kept here and run beside the shipped one, on
generated data (benchmarks/generate.py, small) and on the LA data, on both engines.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from clustergraph.builder import BuiltGraph, build
from clustergraph.loader import load
from clustergraph.querying import named_queries, parse_query_text, run_query

ROOT = Path(__file__).resolve().parent.parent

# The text of each query before it was rewritten (header and comments left out).
BEFORE = {
    "initiatives": """
PREFIX cg: <https://w3id.org/clustergraph/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?initiative ?role ?organisation
WHERE {
  ?initiative a cg:Initiative ; rdfs:label ?name .
  { ?initiative cg:ledBy ?organisation . ?organisation rdfs:label ?orgName . BIND("lead" AS ?role) }
  UNION
  { ?initiative cg:hasPartner ?organisation . ?organisation rdfs:label ?orgName . BIND("partner" AS ?role) }
}
ORDER BY STR(?name) ?role STR(?orgName) ?initiative ?organisation
""",
    "unsourced": """
PREFIX cg: <https://w3id.org/clustergraph/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?kind ?record
WHERE {
  VALUES ?kind { cg:Cluster cg:Organization cg:College cg:WorkforceBoard cg:Facility cg:Program
                 cg:Initiative cg:Person cg:Policy cg:Report cg:Plan cg:Event cg:Partnership }
  ?record a ?kind .
  FILTER NOT EXISTS { ?record prov:wasDerivedFrom ?source }
}
ORDER BY ?kind ?record
""",
}
# Rows each must at least find on the generated data, so that equality means something.
AT_LEAST = {"initiatives": 100, "unsourced": 50}
QUERIES = named_queries()


def _generate() -> object:
    spec = importlib.util.spec_from_file_location("cg_bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.generate


@pytest.fixture(scope="module")
def generated_graph(tmp_path_factory: pytest.TempPathFactory) -> BuiltGraph:
    data = tmp_path_factory.mktemp("generated")
    _generate()(600, data, seed=2)  # type: ignore[operator]
    return build(load(data, cache=False))


def test_every_earlier_text_is_of_a_shipped_query() -> None:
    assert set(BEFORE) <= set(QUERIES)
    assert set(AT_LEAST) == set(BEFORE)


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_rewrite_gives_the_same_rows_in_the_same_order_on_generated_data(
    generated_graph: BuiltGraph, name: str
) -> None:
    before = run_query(parse_query_text(BEFORE[name]), graph=generated_graph)
    after = run_query(QUERIES[name], graph=generated_graph)
    assert len(before.rows) >= AT_LEAST[name]
    assert after.vars == before.vars
    assert after.rows == before.rows
    assert run_query(QUERIES[name], graph=generated_graph, engine="rdflib").rows == before.rows


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_rewrite_gives_the_same_rows_on_the_la_data(la_graph: BuiltGraph, name: str) -> None:
    before = run_query(parse_query_text(BEFORE[name]), graph=la_graph)
    assert run_query(QUERIES[name], graph=la_graph).rows == before.rows
    assert run_query(parse_query_text(BEFORE[name]), graph=la_graph, engine="rdflib").rows == before.rows

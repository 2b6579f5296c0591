"""The `datasets` record (a dcat:Dataset) and `disputed` values: loaded, built, shaped,
projected onto the network, queried and exported."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from clustergraph.builder import BuiltGraph, build
from clustergraph.cli import main
from clustergraph.loader import load
from clustergraph.network.project import project
from clustergraph.querying import named_queries, run_query
from clustergraph.records import Data, Dispute, disputes
from clustergraph.shacl import check_shapes
from clustergraph.vocab import CG, DCTERMS, PREFIXES

ID = "https://w3id.org/clustergraph/id/"
DATA = """
datasets:
  - id: la
    name: Los Angeles region, 2018 edition
    region: Los Angeles County
    edition: "2018-03"
    publisher: org-a
    license: https://example.org/licence
    sources: [s1]
sources:
  - {id: s1, name: S1, title: A source}
  - {id: s2, name: S2, title: Another source}
  - {id: s3, name: S3, title: A third source}
organizations:
  - id: org-a
    name: Org A
    type: nonprofit
    city: Torrance
    sources: [s1]
    disputed:
      - field: city
        value: Carson
        sources: [s3, s2]
        note: Two pages place it in Carson.
  - {id: org-b, name: Org B, type: port, sources: [s1]}
partnerships:
  - id: lease
    name: A lease
    members: [org-a, org-b]
    type: co-location
    since: "2013-12-17"
    description: $57 million in site improvements
    sources: [s2]
    disputed:
      - {field: description, value: $40 million in site improvements, sources: [s1]}
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    folder = tmp_path_factory.mktemp("disputes") / "data"
    folder.mkdir()
    (folder / "all.yaml").write_text(DATA, encoding="utf-8")
    return load(folder)


@pytest.fixture(scope="module")
def graph(data: Data) -> BuiltGraph:
    return build(data)


def ask(graph: BuiltGraph, where: str) -> bool:
    prefixes = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items()) + f"PREFIX id: <{ID}>\n"
    return bool(graph.store.query(prefixes + f"ASK {{ {where} }}"))


def test_disputed_entries_are_loaded_in_order_with_their_sources(data: Data) -> None:
    assert disputes(data.by_id["org-a"]) == [
        Dispute("city", "Carson", ("s3", "s2"), "Two pages place it in Carson.")
    ]
    assert disputes(data.by_id["lease"])[0].note is None
    assert disputes(data.by_id["org-b"]) == []
    at = data.by_id["org-a"].where("disputed[0].sources[1]")
    assert (at.line, at.col) == (23, 23)


def test_a_cached_load_gives_the_same_disputes(data: Data) -> None:
    again = load(data.root)  # the second load reads the file cache
    assert again.by_id["org-a"].fields == data.by_id["org-a"].fields


def test_the_dataset_is_a_dcat_dataset_with_title_region_edition_publisher_licence(graph: BuiltGraph) -> None:
    assert ask(
        graph,
        """id:la a dcat:Dataset ; rdfs:label "Los Angeles region, 2018 edition" ;
             dcterms:title "Los Angeles region, 2018 edition" ; dcterms:spatial "Los Angeles County" ;
             dcterms:issued "2018-03"^^xsd:gYearMonth ; dcterms:publisher id:org-a ;
             dcterms:license <https://example.org/licence> ; prov:wasDerivedFrom id:s1""",
    )


def test_a_disputed_value_is_a_node_of_its_record_with_field_value_sources_and_note(
    graph: BuiltGraph,
) -> None:
    assert ask(
        graph,
        """id:org-a cg:disputed ?d . ?d a cg:DisputedValue ; cg:field "city" ; rdf:value "Carson" ;
             dcterms:source id:s2 , id:s3 ; rdfs:comment "Two pages place it in Carson." """,
    )
    assert ask(graph, 'id:lease cg:disputed ?d . ?d rdf:value "$40 million in site improvements"')


def test_the_same_data_gives_the_same_bytes(data: Data) -> None:
    assert build(data).serialize("nt") == build(data).serialize("nt")


def test_the_graph_conforms_and_a_broken_dispute_names_its_record(data: Data) -> None:
    graph = build(data)
    assert check_shapes(graph, data) == []
    entry = next(
        iter(graph.store.quads_for_pattern(ox.NamedNode(ID + "org-a"), ox.NamedNode(CG + "disputed"), None))
    )
    for q in list(graph.store.quads_for_pattern(entry.object, ox.NamedNode(DCTERMS + "source"), None)):
        graph.store.remove(q)
    problems = check_shapes(graph, data)
    assert problems and all(p.message.split(" (value")[0].endswith(" in 'org-a'") for p in problems)
    assert any(p.message.startswith("shape: cg:disputed must be a cg:DisputedValue") for p in problems)
    assert {p.loc for p in problems} == {data.by_id["org-a"].loc}


def test_the_vocabulary_declares_the_new_terms() -> None:
    import rdflib

    from clustergraph.vocab import vocab_file

    g = rdflib.Graph().parse(vocab_file("clustergraph.ttl"))
    for term in ("DisputedValue", "disputed", "field"):
        iri = rdflib.URIRef(CG + term)
        assert g.value(iri, rdflib.RDFS.label) and g.value(iri, rdflib.RDFS.comment), term


def test_the_network_carries_disputes_as_node_attributes(graph: BuiltGraph) -> None:
    G = project(graph)
    assert G.nodes["org-a"]["disputed"] == [
        {"field": "city", "value": "Carson", "sources": ["s2", "s3"], "note": "Two pages place it in Carson."}
    ]
    assert G.nodes["org-b"]["disputed"] == []
    assert "la" not in G  # the dataset is not an actor


def test_the_same_network_from_an_exported_turtle_file(graph: BuiltGraph, tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    path.write_bytes(graph.serialize("turtle") or b"")
    assert project(path).nodes["org-a"]["disputed"] == project(graph).nodes["org-a"]["disputed"]


def test_the_disputed_query_lists_one_row_per_source_on_both_engines(graph: BuiltGraph) -> None:
    query = named_queries()["disputed"]
    rows = {}
    for engine in ("oxigraph", "rdflib"):
        result = run_query(query, {}, graph=graph, engine=engine)
        rows[engine] = [tuple(t.value if t is not None else None for t in r) for r in result.rows]
    assert rows["oxigraph"] == rows["rdflib"]
    assert [(r[0].removeprefix(ID), r[1], r[2], r[3].removeprefix(ID)) for r in rows["oxigraph"]] == [
        ("lease", "description", "$40 million in site improvements", "s1"),
        ("org-a", "city", "Carson", "s2"),
        ("org-a", "city", "Carson", "s3"),
    ]


def test_csv_export_shows_disputes_as_text(data: Data, tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "net"
    result = runner.invoke(main, ["export", data.root, "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    nodes = next(p for p in out.iterdir() if "node" in p.name)
    with nodes.open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r.get("id") == "org-a" or r.get("Id") == "org-a")
    assert row["disputed"] == "city: Carson (s2, s3)"


def test_json_schema_knows_datasets_and_disputed(runner: CliRunner) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads(runner.invoke(main, ["schema"]).output)
    doc = yaml.safe_load(DATA)
    jsonschema.validate(doc, schema)
    entry = schema["properties"]["organizations"]["items"]["properties"]["disputed"]["items"]
    assert "city" in entry["properties"]["field"]["enum"] and "id" not in entry["properties"]["field"]["enum"]
    for bad in (
        {**doc, "datasets": doc["datasets"] * 2},
        {
            "organizations": [
                {**doc["organizations"][0], "disputed": [{"field": "town", "value": "x", "sources": ["s1"]}]}
            ]
        },
        {"organizations": [{**doc["organizations"][0], "disputed": [{"field": "city", "value": "x"}]}]},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)

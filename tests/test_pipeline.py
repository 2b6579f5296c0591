"""Load -> build -> serialise, on the real LA data and on small hand-made files."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from clustergraph.builder import BuiltGraph, build
from clustergraph.cli import main
from clustergraph.errors import DataErrors
from clustergraph.loader import load
from clustergraph.records import Data
from clustergraph.shacl import check_shapes
from clustergraph.vocab import CG, DEFAULT_BASE, RDFS

from .conftest import GRAPH_DIR, break_eight_constraints

ID = DEFAULT_BASE


def _parse(data: bytes, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=data, format=fmt)


@pytest.mark.parametrize(
    ("fmt", "rdflib_fmt", "ox_fmt"),
    [
        ("turtle", "turtle", ox.RdfFormat.TURTLE),
        ("nt", "nt", ox.RdfFormat.N_TRIPLES),
        ("jsonld", "json-ld", ox.RdfFormat.JSON_LD),
        ("xml", "xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_every_format_round_trips_through_rdflib_and_oxigraph(
    la_graph: BuiltGraph, fmt: str, rdflib_fmt: str, ox_fmt: ox.RdfFormat
) -> None:
    reference = _parse(la_graph.serialize("nt"), "nt")
    text = la_graph.serialize(fmt)
    by_rdflib = _parse(text, rdflib_fmt)
    store = ox.Store()
    store.load(text, format=ox_fmt)
    by_oxigraph = _parse(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), "nt")
    assert len(by_rdflib) == len(by_oxigraph) == len(reference) == len(la_graph)
    assert isomorphic(by_rdflib, reference)
    assert isomorphic(by_oxigraph, reference)


def test_jsonld_uses_no_remote_context(la_graph: BuiltGraph) -> None:
    """A JSON-LD reader must never have to fetch a context to read our export."""

    def contexts(node: object) -> list[object]:
        if isinstance(node, dict):
            found = [node["@context"]] if "@context" in node else []
            return found + [c for v in node.values() for c in contexts(v)]
        if isinstance(node, list):
            return [c for v in node for c in contexts(v)]
        return []

    doc = json.loads(la_graph.serialize("jsonld"))
    assert doc  # expanded JSON-LD: full IRIs, nothing to resolve
    for ctx in contexts(doc):
        assert not isinstance(ctx, str), ctx
        assert not (isinstance(ctx, list) and any(isinstance(c, str) for c in ctx)), ctx


def test_turtle_reads_well_with_prefixes(la_graph: BuiltGraph) -> None:
    text = la_graph.serialize("turtle").decode()
    for prefix in ("cg:", "org:", "schema:", "skos:", "prov:", "dcterms:", "id:"):
        assert f"@prefix {prefix}" in text
    assert "id:laedc" in text


def test_same_data_gives_the_same_bytes(la_data: Data) -> None:
    assert build(la_data).serialize("nt") == build(la_data).serialize("nt")


def test_every_resource_has_a_label_and_an_identifier(la_graph: BuiltGraph, la_data: Data) -> None:
    g = la_graph.rdflib
    for rec in la_data:
        iri = rdflib.URIRef(ID + rec.id)
        assert (
            g.value(iri, rdflib.RDFS.label) == rdflib.Literal(rec.name, datatype=rdflib.XSD.string)
            or str(g.value(iri, rdflib.RDFS.label)) == rec.name
        )
        assert str(g.value(iri, rdflib.DCTERMS.identifier)) == rec.id


def test_library_users_get_an_rdflib_graph_over_the_same_store(la_graph: BuiltGraph) -> None:
    g = la_graph.rdflib
    assert isinstance(g, rdflib.Graph)
    assert len(g) == len(la_graph.store)
    rows = list(g.query("SELECT ?n WHERE { ?o a org:Organization ; rdfs:label ?n } "))
    assert any(str(r[0]).startswith("Los Angeles County Economic Development") for r in rows)


def test_partnership_is_a_node_and_a_direct_link(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(
        """
organizations:
  - {id: a, name: A, type: nonprofit}
  - {id: b, name: B, type: company}
  - {id: c, name: C, type: company}
partnerships:
  - {id: p, name: A-B-C, type: research, members: [a, b, c], since: "2017-05"}
"""
    )
    g = build(load(tmp_path)).rdflib
    p = rdflib.URIRef(ID + "p")
    a, b, c = (rdflib.URIRef(ID + x) for x in "abc")
    assert (p, rdflib.RDF.type, rdflib.URIRef(CG + "Partnership")) in g
    assert set(g.objects(p, rdflib.URIRef(CG + "member"))) == {a, b, c}
    for x, y in [(a, b), (b, a), (a, c), (c, b)]:
        assert (x, rdflib.URIRef(CG + "researchPartner"), y) in g
        assert (x, rdflib.URIRef(CG + "partnerOf"), y) in g
    start = g.value(p, rdflib.URIRef("https://schema.org/startDate"))
    assert start.datatype == rdflib.XSD.gYearMonth


def test_plan_hierarchy_and_dates_are_typed(la_graph: BuiltGraph) -> None:
    g = la_graph.rdflib
    q = """
    SELECT ?plan ?goal ?strategy ?action WHERE {
      ?plan cg:hasGoal ?goal . ?goal cg:hasStrategy ?strategy . ?strategy cg:hasAction ?action .
      ?action dcterms:isPartOf ?strategy .
    }"""
    rows = list(g.query(q))
    assert {str(r[3]).removeprefix(ID) for r in rows} >= {
        "action-physical-spaces",
        "action-sector-partnerships",
        "action-asset-gap-analysis",
        "action-advocate-policy",
    }
    types = {o.datatype for o in g.objects(None, rdflib.URIRef("https://schema.org/startDate"))}
    assert types <= {rdflib.XSD.gYear, rdflib.XSD.gYearMonth, rdflib.XSD.date}


def test_clusters_form_a_skos_scheme(la_graph: BuiltGraph) -> None:
    g = la_graph.rdflib
    bio = rdflib.URIRef(ID + "bioscience")
    assert (bio, rdflib.RDF.type, rdflib.SKOS.Concept) in g
    scheme = g.value(bio, rdflib.SKOS.inScheme)
    assert (scheme, rdflib.RDF.type, rdflib.SKOS.ConceptScheme) in g


def test_la_graph_conforms_to_the_shapes(la_graph: BuiltGraph, la_data: Data) -> None:
    assert check_shapes(la_graph, la_data) == []


def test_broken_graph_does_not_conform_and_names_the_record(la_data: Data) -> None:
    graph = build(la_data)
    # A record that lost its label: what a hand-edited Turtle from elsewhere might hold.
    laedc = ox.NamedNode(ID + "laedc")
    for q in list(graph.store.quads_for_pattern(laedc, ox.NamedNode(RDFS + "label"), None)):
        graph.store.remove(q)
    problems = check_shapes(graph, la_data)
    assert problems
    assert any("'laedc'" in p.message and "label" in p.message for p in problems)
    assert all(p.loc.line > 0 for p in problems)  # pointed back at the YAML


def test_load_reports_every_problem_sorted(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("organizations:\n  - {id: x, name: X, type: bad}\n")
    (tmp_path / "a.yaml").write_text("clusters:\n  - {id: Y, name: Y}\n")
    with pytest.raises(DataErrors) as info:
        load(tmp_path)
    paths = [e.loc.path for e in info.value.errors]
    assert paths == sorted(paths) and len(paths) == 2


def test_records_are_immutable(la_data: Data) -> None:
    rec = la_data.by_id["laedc"]
    with pytest.raises(AttributeError):
        rec.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        rec.fields["type"] = "x"  # type: ignore[index]
    assert rec.loc.path.endswith("organizations.yaml") and rec.loc.line > 0


# ---------------------------------------------------------------- CLI


def test_cli_build_writes_turtle(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "out" / "graph.ttl"
    result = runner.invoke(main, ["build", str(GRAPH_DIR), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "triples" in result.output
    g = rdflib.Graph().parse(out)
    assert len(g) > 500


def test_cli_build_format_follows_the_suffix(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "graph.nt"
    assert runner.invoke(main, ["build", str(GRAPH_DIR), "-o", str(out)]).exit_code == 0
    assert out.read_text().splitlines()[0].startswith("<")


def test_cli_build_to_stdout(runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", str(GRAPH_DIR), "-o", "-", "--format", "nt"])
    assert result.exit_code == 0
    assert rdflib.Graph().parse(data=result.stdout_bytes, format="nt")


def test_cli_build_refuses_to_overwrite_input(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "d.yaml").write_text("organizations:\n  - {id: a, name: A, type: nonprofit}\n")
    result = runner.invoke(main, ["build", str(tmp_path), "-o", str(tmp_path / "d.yaml")])
    assert result.exit_code == 2
    assert "input data file" in result.output
    assert "organizations" in (tmp_path / "d.yaml").read_text()


def test_cli_validate_la_is_clean(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(GRAPH_DIR)])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


@pytest.mark.parametrize("suffix", ["ttl", "jsonld"])
def test_cli_validate_checks_an_exported_rdf_file_against_the_shapes(
    runner: CliRunner, tmp_path: Path, suffix: str
) -> None:
    exported = tmp_path / f"la.{suffix}"
    assert runner.invoke(main, ["build", str(GRAPH_DIR), "-o", str(exported)]).exit_code == 0
    result = runner.invoke(main, ["validate", str(exported)])
    assert result.exit_code == 0, result.output
    assert "triples: no problems" in result.output


def test_cli_validate_names_the_rdf_file_and_the_record_of_a_problem(
    runner: CliRunner, tmp_path: Path
) -> None:
    exported = tmp_path / "la.ttl"
    assert runner.invoke(main, ["build", str(GRAPH_DIR), "-o", str(exported)]).exit_code == 0
    tampered = tmp_path / "tampered.ttl"  # someone edited the export by hand
    text = exported.read_text(encoding="utf-8")
    tampered.write_text(text.replace('cg:category "bill"', 'cg:category "ordinance"'), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(tampered)])
    assert result.exit_code == 1
    assert f"{tampered}: error: shape: cg:category on a Policy must be one of" in result.output
    assert "'ab-427'" in result.output and "Traceback" not in result.output


def test_cli_missing_directory_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no such data directory" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "command", [["validate"], ["connectors"], ["query", "facilities"], ["report", "-o", "r.html"]]
)
def test_cli_missing_rdf_file_says_no_such_file(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    missing = str(tmp_path / "received.ttl")
    if command[0] == "query":
        result = runner.invoke(main, [*command, missing])
    else:
        result = runner.invoke(main, [command[0], missing, *command[1:]])
    assert result.exit_code == 1
    assert f"{missing}: error:" in result.output and "No such file" in result.output
    assert "YAML" not in result.output and "Traceback" not in result.output


def test_cli_unknown_option_is_a_usage_error(runner: CliRunner) -> None:
    assert runner.invoke(main, ["build", "--frobnicate"]).exit_code == 2


def test_schema_is_json_schema_of_the_same_fields(runner: CliRunner) -> None:
    from clustergraph.schema import COLLECTIONS, fields_of

    result = runner.invoke(main, ["schema"])
    doc = json.loads(result.output)
    assert doc["$schema"].endswith("2020-12/schema")
    for name in COLLECTIONS:
        rec = doc["properties"][name]["items"]
        assert set(rec["properties"]) == set(fields_of(name))
    orgs = doc["properties"]["organizations"]["items"]
    assert "port" in orgs["properties"]["type"]["enum"]
    assert set(orgs["required"]) == {"id", "name", "type"}


def test_schema_accepts_the_la_files(runner: CliRunner) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads(runner.invoke(main, ["schema"]).output)
    for path in GRAPH_DIR.rglob("*.yaml"):
        jsonschema.validate(yaml.safe_load(path.read_text()), schema)


def test_python_dash_m_runs() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "clustergraph", "--help"], capture_output=True, text=True, check=True
    )
    assert "validate" in out.stdout


def test_both_shacl_engines_give_the_same_answers(la_data: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    """pyshacl-turbo is used when installed; it must say exactly what pySHACL says."""
    turbo = pytest.importorskip("pyshacl_turbo")
    import pyshacl

    import clustergraph.shacl as shacl

    graph = build(la_data)
    store, base = graph.store, DEFAULT_BASE
    break_eight_constraints(store, base)
    answers = []
    # turbo on the store (the default), turbo on an rdflib copy, pySHACL on an rdflib copy
    for engine, reads_store in ((turbo, True), (turbo, False), (pyshacl, False)):
        monkeypatch.setattr(shacl, "_engine", lambda e=engine, r=reads_store: (e.validate, r))
        answers.append(sorted(str(p) for p in check_shapes(graph, la_data)))
    assert answers[0] == answers[1] == answers[2]
    assert len(answers[0]) == 8 and any("'ab-427' (value \"ordinance\")" in a for a in answers[0])


@pytest.mark.parametrize(
    "first",
    ["", "import clustergraph.builder, clustergraph.loader", "from clustergraph.builder import open_graph"],
)
def test_the_documented_import_works_whatever_was_imported_before(first: str) -> None:
    # `build` and `load` share their names with their modules; the README's spelling
    # must work in a fresh interpreter whatever the user imported first.
    import subprocess
    import sys

    code = (
        f"{first}\nfrom clustergraph import load, build\nimport clustergraph.builder as cb\n"
        f"g = build(load({str(GRAPH_DIR)!r}))\nprint(len(g), cb.is_rdf_file('x.ttl'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(len(build(load(GRAPH_DIR)))), "False"]


def test_validate_reads_the_records_again_only_to_place_a_problem(la_data: Data) -> None:
    """`validate` lets the records go before the shapes; a problem still points at its YAML line."""
    from clustergraph.shacl import RecordsOf

    clean = RecordsOf(GRAPH_DIR)
    assert check_shapes(build(la_data), clean) == [] and not clean.read
    graph = build(la_data)
    break_eight_constraints(graph.store, DEFAULT_BASE)
    again = RecordsOf(GRAPH_DIR)
    assert [str(p) for p in check_shapes(graph, again)] == [str(p) for p in check_shapes(graph, la_data)]
    assert again.read and any("organizations.yaml:" in str(p) for p in check_shapes(graph, again))

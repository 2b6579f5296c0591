"""import, export --format kumu|xlsx, init: other formats in and out, with nothing lost."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.compare import isomorphic

from clustergraph.builder import build
from clustergraph.cli import main
from clustergraph.errors import DataErrors
from clustergraph.loader import load
from clustergraph.readers import read
from clustergraph.readers.rows import norm, type_words

from ._sheets import csv_file, example_workbook, json_file, workbook

GRAPH = Path(__file__).resolve().parents[1] / "graph"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def graph_rdf() -> object:
    return build(load(GRAPH, cache=False)).rdflib


@pytest.mark.parametrize("fmt, name", [("xlsx", "region.xlsx"), ("kumu", "region.json")])
def test_graph_round_trips_through_excel_and_kumu_to_an_isomorphic_graph(
    fmt: str, name: str, tmp_path: Path, graph_rdf: object
) -> None:
    exported = tmp_path / name
    code, out = _run("export", str(GRAPH), "--format", fmt, "-o", str(exported))
    assert code == 0, out
    code, out = _run("import", str(exported), "-o", str(tmp_path / "back"))
    assert code == 0, out
    again = build(load(tmp_path / "back", cache=False)).rdflib
    assert isomorphic(graph_rdf, again)
    first = (tmp_path / "back" / "organizations.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=clustergraph.schema.json"


def test_kumu_blueprint_has_kinds_as_types_clusters_as_tags_positions_and_colours(tmp_path: Path) -> None:
    out = tmp_path / "kumu.json"
    assert _run("export", str(GRAPH), "--format", "kumu", "-o", str(out))[0] == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    port = next(e for e in doc["elements"] if e["id"] == "port-of-los-angeles")
    assert port["type"] == "Organization" and port["Organization type"] == "port"
    assert port["tags"] == ["Blue economy"] or "Blue" in port["tags"][0]
    assert {c["from"] for c in doc["connections"]} and all("to" in c for c in doc["connections"])
    placed = {e["element"] for e in doc["maps"][0]["elements"]}
    assert "port-of-los-angeles" in placed
    assert '"element type"="Organization"' in doc["perspectives"][0]["style"]


def test_example_workbook_imports_and_validates(tmp_path: Path) -> None:
    book, types = example_workbook(tmp_path)
    code, out = _run("import", str(book), "-o", str(tmp_path / "data"), "--types", str(types))
    assert code == 0, out
    data = load(tmp_path / "data", cache=False)
    council = data.by_id["example-bay-economic-council"]
    assert council.get("type") == "economic-development-org"
    assert council.get("members") == ("port-of-bayport",)  # "Member of" sets the To record's members
    assert data.by_id["ocean-tech-lab"].get("operator") == "port-of-bayport"
    assert data.by_id["ocean-tech-lab"].get("notes") == "Tags: wet lab"  # nothing is lost
    assert data.by_id["ocean-tech-lab"].get("clusters") == ("blue-economy",)
    training = [r for r in data.records if r.collection == "partnerships"]
    # a To cell naming two elements is one link to each, as in Kumu
    assert [r.get("members") for r in training] == [
        ("bayport-community-college", "port-of-bayport"),
        ("bayport-community-college", "example-bay-economic-council"),
    ]
    source = [r for r in data.records if r.collection == "sources"]
    assert [s.get("url") for s in source] == ["https://example.org/plan-2024"]
    assert all(r.get("sources") for r in data.records if r.collection != "sources")
    assert _run("validate", str(tmp_path / "data"))[0] == 0


def test_the_same_sheet_gives_the_same_ids_every_time(tmp_path: Path) -> None:
    book, types = example_workbook(tmp_path)
    first = [r.id for r in read([book], types=types)]
    assert first == [r.id for r in read([book], types=types)]


def test_kumu_csv_pair_and_ids_that_are_not_slugs(tmp_path: Path) -> None:
    csv_file(
        tmp_path / "elements.csv",
        [["ID", "Label", "Type"], ["Org-1", "Acme Works", "Company"], ["b2", "Bay Guild", "Labor Union"]],
    )
    csv_file(tmp_path / "connections.csv", [["From", "To", "Type"], ["Org-1", "b2", "Advocacy"]])
    recs = {r.id: r for r in read([tmp_path / "elements.csv", tmp_path / "connections.csv"])}
    assert recs["acme-works"].get("type") == "company" and recs["b2"].get("type") == "labor-union"
    link = next(r for r in recs.values() if r.collection == "partnerships")
    assert link.get("members") == ("acme-works", "b2") and link.get("type") == "advocacy"


def test_gephi_tables_written_by_export_are_read(tmp_path: Path) -> None:
    csv_file(
        tmp_path / "nodes.csv",
        [["Id", "Label", "Type"], ["a", "Alpha Lab", "Facility"], ["b", "Beta Lab", "Facility"]],
    )
    csv_file(
        tmp_path / "edges.csv",
        [["Source", "Target", "Type", "Weight", "Label"], ["a", "b", "Undirected", "1", "Research"]],
    )
    recs = read([tmp_path / "nodes.csv", tmp_path / "edges.csv"])
    link = next(r for r in recs if r.collection == "partnerships")
    assert link.get("type") == "research" and "Weight" not in (link.get("notes") or "")


def test_kumu_project_export_names_elements_by_their_internal_ids(tmp_path: Path) -> None:
    doc = {
        "name": "p",
        "attributes": [],
        "maps": [],
        "elements": [
            {
                "_id": "elem-AAA",
                "attributes": {"label": "Acme Works", "element type": "Company", "tags": ["x"]},
            },
            {"_id": "elem-BBB", "attributes": {"label": "Bay Guild", "element type": "Labor Union"}},
        ],
        "connections": [
            {
                "_id": "conn-1",
                "from": "elem-AAA",
                "to": "elem-BBB",
                "direction": "undirected",
                "attributes": {"connection type": "Funding"},
            }
        ],
    }
    recs = read([json_file(tmp_path / "project.json", doc)])
    link = next(r for r in recs if r.collection == "partnerships")
    assert link.get("members") == ("acme-works", "bay-guild") and link.get("type") == "funding"
    assert next(r for r in recs if r.id == "acme-works").get("notes") == "Tags: x"


def test_type_words_of_every_collection_and_closed_type_are_distinct() -> None:
    words = type_words()
    assert words[norm("Workforce Boards")].collection == "workforce_boards"
    assert words[norm("Community College")].type == "community-college"
    assert words[norm("Bill")].collection == "policies"
    assert words[norm("Companies")].type == "company"


def test_nothing_is_written_on_error_not_even_the_directory(tmp_path: Path) -> None:
    book = workbook(
        tmp_path / "bad.xlsx", {"Elements": [["Label", "Type"], ["A", "Company"], ["B", "Spaceship"]]}
    )
    code, out = _run("import", str(book), "-o", str(tmp_path / "data"))
    assert code == 1
    assert f"{book}[Elements]:3:2: error: Type 'Spaceship' names no collection or type" in out
    assert not (tmp_path / "data").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.xlsx"]


def test_import_refuses_a_directory_that_holds_files(tmp_path: Path) -> None:
    book, types = example_workbook(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.yaml").write_text("sources:\n", encoding="utf-8")
    code, out = _run("import", str(book), "-o", str(tmp_path / "data"), "--types", str(types))
    assert code == 2 and "--merge" in out


def test_merge_shows_changes_and_writes_only_with_write(tmp_path: Path) -> None:
    book, types = example_workbook(tmp_path)
    assert _run("import", str(book), "-o", str(tmp_path / "data"), "--types", str(types))[0] == 0
    before = {p.name: p.read_text() for p in (tmp_path / "data").iterdir()}
    more = workbook(
        tmp_path / "more.xlsx",
        {
            "Elements": [
                ["Label", "Type", "City", "Sources"],
                ["Port of Bayport", "Port", "Bayport East", "example-org-plan-2024"],
                ["Harbor Guild", "Labor Union", "Bayport", "example-org-plan-2024"],
            ]
        },
    )
    code, out = _run("import", str(more), "-o", str(tmp_path / "data"), "--merge", "--format", "tsv")
    assert code == 0, out
    assert "added\tlabor-union" not in out and "added\torganization\tharbor-guild\tHarbor Guild" in out
    assert "changed\torganization\tport-of-bayport\tPort of Bayport\tcity\tBayport\tBayport East" in out
    assert {p.name: p.read_text() for p in (tmp_path / "data").iterdir()} == before
    code, out = _run(
        "import", str(more), "-o", str(tmp_path / "data"), "--merge", "--write", "--format", "tsv"
    )
    assert code == 0, out
    added = tmp_path / "data" / "organizations.imported.yaml"
    assert "harbor-guild" in added.read_text() and "port-of-bayport" not in added.read_text()
    assert (tmp_path / "data" / "organizations.yaml").read_text() == before["organizations.yaml"]
    assert load(tmp_path / "data", cache=False).by_id["harbor-guild"].get("type") == "labor-union"


def test_formulas_are_values_never_run_and_exported_formula_text_stays_text(tmp_path: Path) -> None:
    book = workbook(
        tmp_path / "f.xlsx",
        {
            "Elements": [
                ["Label", "Type", "Description"],
                ["Acme Works", "Company", '=HYPERLINK("http://evil.example","x")'],
            ]
        },
    )
    recs = read([book])
    acme = next(r for r in recs if r.id == "acme-works")
    assert acme.get("description") is None  # no value was ever saved for the formula: an empty cell
    data = tmp_path / "data"
    data.mkdir()
    (data / "o.yaml").write_text(
        "sources:\n  - {id: s, name: S, title: S}\norganizations:\n"
        "  - {id: a, name: A, type: company, description: '=1+1', notes: '@SUM(A1)', sources: [s]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "x.xlsx"
    assert _run("export", str(data), "--format", "xlsx", "-o", str(out))[0] == 0
    with zipfile.ZipFile(out) as z:
        sheets = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
        assert b"<f>" not in sheets and b"quotePrefix" in z.read("xl/styles.xml")
    back = {r.id: r for r in read([out])}
    assert back["a"].get("description") == "=1+1" and back["a"].get("notes") == "@SUM(A1)"


def test_csv_export_has_gephi_headers_and_guards_formula_text(tmp_path: Path) -> None:
    import csv

    out = tmp_path / "csv"
    assert _run("export", str(GRAPH), "--format", "csv", "-o", str(out))[0] == 0
    nodes = list(csv.DictReader((out / "nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((out / "edges.csv").open(encoding="utf-8")))
    assert {"Id", "Label"} <= set(nodes[0]) and nodes[0]["Id"] == nodes[0]["id"]
    assert {"Source", "Target", "Type", "Weight"} <= set(edges[0]) and edges[0]["Type"] == "Undirected"


def test_init_makes_a_directory_that_validates_and_whose_examples_are_valid(tmp_path: Path) -> None:
    code, out = _run("init", str(tmp_path / "new"), "--region", "Example Bay")
    assert code == 0, out
    files = sorted(p.name for p in (tmp_path / "new").iterdir())
    assert "README.md" in files and "sources.yaml" in files and "partnerships.yaml" in files
    for p in (tmp_path / "new").glob("*.yaml"):
        assert p.read_text().startswith("# yaml-language-server: $schema=clustergraph.schema.json\n")
    assert _run("validate", str(tmp_path / "new"))[0] == 0
    # Uncommenting every example gives a valid directory too.
    for p in (tmp_path / "new").glob("*.yaml"):
        lines = p.read_text().splitlines()
        examples = [ln[2:] for ln in lines if ln.startswith("#   ")]
        rest = [ln for ln in lines if not ln.startswith("#")]
        if examples:
            p.write_text("\n".join([*rest, *examples]) + "\n")
    code, out = _run("validate", str(tmp_path / "new"))
    assert code == 0, out
    assert _run("init", str(tmp_path / "new"))[0] == 2  # never over an existing directory


def test_errors_list_every_problem_with_sheet_row_and_column(tmp_path: Path) -> None:
    book = workbook(
        tmp_path / "region.xlsx",
        {
            "Elements": [
                ["Label", "Type"],
                ["Acme Works", "Company"],
                ["Beta Works", None],
                ["Nowhere Institue", "Facility"],
            ],
            "Connections": [["From", "To", "Type"], ["Acme Works", "Nowhere Institute", "Funding"]],
            "Notes (ignore)": [["anything"]],
        },
    )
    with pytest.raises(DataErrors) as info:
        read([book])
    shown = [str(e) for e in info.value.errors]
    assert shown == [
        f"{book}[Connections]:2:2: error: 'Nowhere Institute' names no element (did you mean 'Nowhere Institue'?)",
        f"{book}[Elements]:3:2: error: element has no Type (give it a Type such as Organization, Company, Community College, Facility or Person)",
    ]


DISPUTED = """sources:
  - {id: s1, name: S1, title: First source}
  - {id: s2, name: S2, title: Second source}
organizations:
  - id: acme
    name: Acme Works
    type: company
    city: Bayport
    aliases: ["A|B Works"]
    sources: [s1]
    disputed:
      - {field: city, value: "Bayport East", sources: [s2], note: "s2 gives the old address"}
      - {field: type, value: nonprofit, sources: [s2]}
"""


@pytest.mark.parametrize("fmt, name", [("xlsx", "d.xlsx"), ("kumu", "d.json")])
def test_disputed_values_and_pipes_in_values_survive_the_round_trip(
    fmt: str, name: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "d.yaml").write_text(DISPUTED, encoding="utf-8")
    assert _run("export", str(data), "--format", fmt, "-o", str(tmp_path / name))[0] == 0
    code, out = _run("import", str(tmp_path / name), "-o", str(tmp_path / "back"))
    assert code == 0, out
    before, after = load(data, cache=False), load(tmp_path / "back", cache=False)
    assert dict(after.by_id["acme"].fields) == dict(before.by_id["acme"].fields)
    assert isomorphic(build(before).rdflib, build(after).rdflib)


def test_yaml_written_from_records_loads_back_to_the_same_records(tmp_path: Path) -> None:
    from clustergraph.yamlwrite import directory_files, write_directory

    for source in (GRAPH, None):
        if source is None:
            source = tmp_path / "d"
            source.mkdir()
            (source / "d.yaml").write_text(DISPUTED, encoding="utf-8")
        before = load(source, cache=False)
        out = tmp_path / f"out-{source.name}"
        write_directory(out, directory_files(before.records))
        after = load(out, cache=False)
        assert [
            (r.id, r.kind, r.name, dict(r.fields)) for r in sorted(after.records, key=lambda r: r.id)
        ] == [(r.id, r.kind, r.name, dict(r.fields)) for r in sorted(before.records, key=lambda r: r.id)]


def test_the_kumu_sheets_of_the_workbook_alone_give_the_same_graph(tmp_path: Path, graph_rdf: object) -> None:
    import openpyxl

    out = tmp_path / "la.xlsx"
    assert _run("export", str(GRAPH), "--format", "xlsx", "-o", str(out))[0] == 0
    book = openpyxl.load_workbook(out)
    for name in book.sheetnames:
        if name not in ("Elements", "Connections"):
            del book[name]
    book.save(tmp_path / "kumu.xlsx")  # as Kumu's own export would hand it back: two sheets
    code, msg = _run("import", str(tmp_path / "kumu.xlsx"), "-o", str(tmp_path / "back"))
    assert code == 0, msg
    assert isomorphic(graph_rdf, build(load(tmp_path / "back", cache=False)).rdflib)


def test_a_wrong_types_entry_is_reported_at_its_line_and_only_there(tmp_path: Path) -> None:
    book, _ = example_workbook(tmp_path)
    types = tmp_path / "bad-types.yaml"
    types.write_text("EDC: {collection: organisations, type: economic-development-org}\nLab: facilities\n")
    code, out = _run("import", str(book), "-o", str(tmp_path / "data"), "--types", str(types))
    assert code == 1 and not (tmp_path / "data").exists()
    assert [ln for ln in out.splitlines() if ": error: " in ln] == [
        f"{types}:1:19: error: 'EDC': 'organisations' is not a collection (did you mean 'organizations'?)"
    ]


def test_one_sheet_with_two_blank_rows_between_elements_and_connections(tmp_path: Path) -> None:
    book = workbook(
        tmp_path / "one.xlsx",
        {
            "Sheet1": [
                ["Label", "Type"],
                ["Acme Works", "Company"],
                ["Bay Guild", "Labor Union"],
                [None],
                [None],
                ["From", "To", "Type"],
                ["Acme Works", "Bay Gild", "Funding"],
            ]
        },
    )
    with pytest.raises(DataErrors) as info:
        read([book])
    # the connections' section has its own header; row numbers stay the sheet's
    assert [str(e) for e in info.value.errors] == [
        f"{book}[Sheet1]:7:2: error: 'Bay Gild' names no element (did you mean 'Bay Guild'?)"
    ]

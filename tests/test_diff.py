"""`clustergraph diff`: two editions of the LA data, compared by id."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from clustergraph.builder import build
from clustergraph.cli import main
from clustergraph.compare import apply_changeset, changeset_turtle, diff, open_pair, sparql_update
from clustergraph.loader import load

from .conftest import GRAPH_DIR


def _rows(old: Path, new: Path) -> list[dict[str, str]]:
    a, b, tmp = open_pair(str(old), str(new))
    with tmp:
        return diff(a, b).rows


EXPECTED = [
    ("added", "organization", "test-blue-economy-association", "", "", ""),
    ("added", "event", "test-council-meeting", "", "", ""),
    (
        "changed",
        "college",
        "east-los-angeles-college",
        "consortium",
        "la-regional-consortium",
        "la-oc-regional-consortium",
    ),
    (
        "changed",
        "organization",
        "laedc",
        "name",
        "Los Angeles County Economic Development Corporation",
        "LAEDC",
    ),
    (
        "ended",
        "partnership",
        "altasea-port-lease",
        "members",
        "[altasea, port-of-los-angeles, rockefeller-philanthropy-advisors]",
        "",
    ),
]


def test_diff_reports_every_change_by_id(editions: tuple[Path, Path]) -> None:
    old, new = editions
    rows = _rows(old, new)
    assert [(r["change"], r["kind"], r["id"], r["field"], r["old"], r["new"]) for r in rows] == EXPECTED
    where = {r["id"]: r["where"] for r in rows}
    # the new value is pointed at in the new edition's files
    assert where["laedc"].startswith(f"{new / 'organizations.yaml'}:")
    line = int(where["east-los-angeles-college"].split(":")[-2])
    assert (new / "colleges.yaml").read_text().splitlines()[
        line - 1
    ].strip() == "consortium: la-oc-regional-consortium"
    ended = next(r for r in rows if r["change"] == "ended")
    assert ended["detail"]["type"] == "co-location"


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_diff_cli_in_every_row_format(editions: tuple[Path, Path], fmt: str) -> None:
    old, new = editions
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", fmt])
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":
        doc = json.loads(out)
        assert doc["changed"] is True
        assert doc["summary"] == {"added": 2, "changed": 2, "ended": 1}
        assert any(n["change"] == "gap-closed" and n["id"] == "blue-economy" for n in doc["network"])
        assert [(c["change"], c["id"]) for c in doc["changes"]] == [(e[0], e[2]) for e in EXPECTED]
        return
    lines = out.strip().splitlines()
    if fmt == "table":
        assert "How the network moved:" in lines
        lines = lines[: lines.index("")]
    body = lines[2:] if fmt == "table" else lines[1:]
    assert len(body) == len(EXPECTED)
    for line, expected in zip(body, EXPECTED, strict=True):
        for value in expected:
            assert value in line
    assert "2 added, 2 changed, 1 ended" in result.stderr


def test_turtle_changeset_applied_to_old_gives_new(editions: tuple[Path, Path]) -> None:
    old, new = editions
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "turtle"])
    assert result.exit_code == 0
    store = build(load(old)).store
    apply_changeset(store, result.stdout_bytes)
    got = rdflib.Graph().parse(
        data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt"
    )
    want = rdflib.Graph().parse(data=build(load(new)).serialize("nt"), format="nt")
    assert len(got) == len(want)
    assert isomorphic(got, want)


def test_sparql_update_applied_to_old_gives_new(editions: tuple[Path, Path]) -> None:
    old, new = editions
    a, b, tmp = open_pair(str(old), str(new))
    with tmp:
        d = diff(a, b)
    store = build(load(old)).store
    store.update(sparql_update(d))
    assert set(store) == set(build(load(new)).store)
    assert changeset_turtle(d)  # the same change also reads as a changeset


def test_identical_editions_say_so_and_exit_zero(editions: tuple[Path, Path]) -> None:
    old, _ = editions
    result = CliRunner().invoke(main, ["diff", str(old), str(GRAPH_DIR), "--exit-code"])
    assert result.exit_code == 0
    assert "no changes" in result.stderr
    assert result.stdout == ""


def test_exit_code_flag_reports_a_change(editions: tuple[Path, Path]) -> None:
    old, new = editions
    assert CliRunner().invoke(main, ["diff", str(old), str(new), "--exit-code"]).exit_code == 1
    assert CliRunner().invoke(main, ["diff", str(old), str(new)]).exit_code == 0


def test_an_exported_turtle_file_compares_like_its_directory(
    editions: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = editions
    ttl = tmp_path / "e2017.ttl"
    assert CliRunner().invoke(main, ["build", str(old), "-o", str(ttl)]).exit_code == 0
    rows = _rows(ttl, new)
    changes = {(r["change"], r["id"], r["field"]) for r in rows}
    assert {
        ("added", "test-blue-economy-association", ""),
        ("changed", "laedc", "name"),
        ("ended", "altasea-port-lease", "members"),
    } <= changes


# ---------------------------------------------------------------- git revisions


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, editions: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose `graph/` holds edition 2017 at tag v2017 and 2018 at HEAD."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    old, new = editions
    repo = tmp_path / "repo"
    shutil.copytree(old, repo / "graph")
    _git(repo, "init", "-q")
    _git(repo, "add", "graph")
    _git(repo, "commit", "-q", "-m", "2017 edition")
    _git(repo, "tag", "v2017")
    shutil.rmtree(repo / "graph")
    shutil.copytree(new, repo / "graph")
    _git(repo, "add", "-A", "graph")
    _git(repo, "commit", "-q", "-m", "2018 edition")
    monkeypatch.chdir(repo)
    return repo


def test_git_revisions_are_read_without_touching_the_work_tree(repo: Path) -> None:
    before = sorted((p.name, p.stat().st_mtime_ns) for p in (repo / "graph").iterdir())
    result = CliRunner().invoke(main, ["diff", "v2017:graph", "graph", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [(c["change"], c["id"]) for c in doc["changes"]] == [(e[0], e[2]) for e in EXPECTED]
    assert sorted((p.name, p.stat().st_mtime_ns) for p in (repo / "graph").iterdir()) == before
    # both sides from git; the old side's places are named by revision
    result = CliRunner().invoke(main, ["diff", "HEAD:graph", "v2017:graph", "--format", "json"])
    rows = json.loads(result.stdout)["changes"]
    assert any(r["where"].startswith("v2017:graph/organizations.yaml:") for r in rows if r["id"] == "laedc")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("v1999:graph", "unknown revision 'v1999'"),
        ("v2017:nope", "'nope' does not exist in revision 'v2017'"),
    ],
)
def test_unknown_revision_or_path_is_a_clear_error(repo: Path, spec: str, message: str) -> None:
    result = CliRunner().invoke(main, ["diff", spec, "graph"])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_neither_file_nor_revision_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "missing"), str(GRAPH_DIR)])
    assert result.exit_code == 1
    assert "no such directory or file" in result.output


# ---------------------------------------------------------------- how the network moved

CHAIN = """
clusters:
  - {id: aero, name: Aerospace}
organizations:
  - {id: a, name: A, type: company, clusters: [aero]}
  - {id: b, name: B, type: company, clusters: [aero]}
  - {id: c, name: C, type: research-institute, clusters: [aero]}
  - {id: d, name: D, type: research-institute, clusters: [aero]}
partnerships:
  - {id: ab, name: A-B, type: research, members: [a, b]}
  - {id: cd, name: C-D, type: research, members: [c, d]}
"""
BRIDGE = "  - {id: bc, name: B-C, type: research, members: [b, c]}\n"


def _network_rows(old_text: str, new_text: str, tmp_path: Path) -> list[tuple[str, str, str, str, str]]:
    from clustergraph.compare import network_changes

    for name, text in (("old", old_text), ("new", new_text)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "d.yaml").write_text(text)
    a, b, tmp = open_pair(str(tmp_path / "old"), str(tmp_path / "new"))
    with tmp:
        return [(r["change"], r["id"], r["what"], r["old"], r["new"]) for r in network_changes(a, b)]


def test_losing_the_only_bridge_splits_the_group_and_ends_two_single_points_of_failure(
    tmp_path: Path,
) -> None:
    rows = _network_rows(CHAIN + BRIDGE, CHAIN, tmp_path)
    changes = {(r[0], r[1]) for r in rows}
    assert ("articulation-lost", "b") in changes and ("articulation-lost", "c") in changes
    assert [r for r in rows if r[0] == "split"] == [
        ("split", "", "group", "4 entities incl. A", "2 entities + 2 entities")
    ]
    # b and c were the top connectors (betweenness 2/3); now every entity ties
    ranks = {r[1]: (r[3], r[4]) for r in rows if r[0] == "rank"}
    assert ranks["b"][0].startswith("1 (betweenness 0.667)")


def test_a_new_bridge_merges_groups(tmp_path: Path) -> None:
    rows = _network_rows(CHAIN, CHAIN + BRIDGE, tmp_path)
    assert ("merged", "", "group", "2 entities + 2 entities", "4 entities incl. A") in rows
    assert {("articulation-gained", "b"), ("articulation-gained", "c")} <= {(r[0], r[1]) for r in rows}


def test_la_editions_show_the_gap_a_new_association_closes(editions: tuple[Path, Path]) -> None:
    old, new = editions
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--network", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert (
        "gap-closed,asset industry-association,blue-economy,Blue economy,gap,covered"
        in result.stdout.splitlines()
    )

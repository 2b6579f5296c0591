"""The application layer: an edition loads, builds, projects and analyses once."""

from __future__ import annotations

from pathlib import Path

import pytest

from clustergraph import ClusterGraphError, DataErrors, QueryError, UsageError, open_edition
from clustergraph.compare import network_changes
from clustergraph.render import write_map, write_report

from .conftest import GRAPH_DIR
from .test_diff import CHAIN

# B leads an initiative C joins: a link of the whole network, not a partnership.
INITIATIVE = """
initiatives:
  - {id: bc, name: B and C, lead: [b], partners: [c]}
"""


def _editions(tmp_path: Path, old: str, new: str) -> tuple[Path, Path]:
    dirs = tmp_path / "old", tmp_path / "new"
    for folder, text in zip(dirs, (old, new), strict=True):
        folder.mkdir()
        (folder / "d.yaml").write_text(text, encoding="utf-8")
    return dirs


def test_each_relations_preset_is_projected_once_and_shared() -> None:
    with open_edition(GRAPH_DIR) as ed:
        assert ed.network("all") is ed.network() is ed.network(None)
        assert ed.network("partnerships") is not ed.network()
        ed.connectors("partnerships"), ed.gaps("partnerships"), ed.summary("partnerships")
        ed.connectors(), ed.gaps(), ed.summary()
        assert ed.projections == 2
        assert ed.connectors() is ed.connectors()  # computed once, kept


def test_report_since_analyses_each_edition_once(editions: tuple[Path, Path], tmp_path: Path) -> None:
    old_dir, new_dir = editions
    with open_edition(new_dir) as new, open_edition(old_dir) as old:
        write_report(new, tmp_path / "r.html", since=old, relations="partnerships")
        assert (new.projections, old.projections) == (1, 1)
        # a map of the same network afterwards needs no new projection
        write_map(new, tmp_path / "m.html", since=old, relations="partnerships", highlight="gaps")
        assert (new.projections, old.projections) == (1, 1)


def test_network_changes_describe_the_chosen_relations(tmp_path: Path) -> None:
    old_dir, new_dir = _editions(tmp_path, CHAIN, CHAIN + INITIATIVE)
    with open_edition(old_dir) as old, open_edition(new_dir) as new:
        every = {r["change"] for r in network_changes(old, new)}
        partnerships = {r["change"] for r in network_changes(old, new, relations="partnerships")}
    assert "merged" in every  # through the initiative, the two pairs are one group
    assert "merged" not in partnerships  # no partnership joins them


def test_report_since_with_relations_compares_that_network(tmp_path: Path) -> None:
    old_dir, new_dir = _editions(tmp_path, CHAIN, CHAIN + INITIATIVE)
    out = tmp_path / "r.html"
    write_report(new_dir, out, since=old_dir, relations="partnerships")
    partnerships_only = out.read_text(encoding="utf-8")
    write_report(new_dir, out, since=old_dir, relations="all")
    every = out.read_text(encoding="utf-8")
    # The report words the change for a director ("merged" -> "groups joined up").
    assert ">groups joined up</td>" in every
    assert ">groups joined up</td>" not in partnerships_only


def test_a_git_revision_is_extracted_and_removed_on_close() -> None:
    ed = open_edition("HEAD:graph")
    root = next(iter(ed.shown_root))
    assert Path(root).is_dir() and ed.shown_root[root] == "HEAD:graph"
    assert "HEAD:graph" not in ed.name  # a director's name, not revision syntax
    ed.close()
    assert not Path(root).exists()


def test_an_edition_without_a_dataset_record_is_named_after_its_folder(tmp_path: Path) -> None:
    old_dir, _ = _editions(tmp_path, CHAIN, CHAIN)
    with open_edition(old_dir) as ed:
        assert ed.dataset is None
        assert ed.name == "old"


def test_every_error_is_a_clustergraph_error_on_a_builtin_base() -> None:
    assert issubclass(DataErrors, ClusterGraphError) and issubclass(DataErrors, ValueError)
    assert issubclass(UsageError, ClusterGraphError) and issubclass(UsageError, ValueError)
    assert issubclass(QueryError, ClusterGraphError)
    with pytest.raises(ClusterGraphError):
        open_edition("no/such/folder")


def test_library_messages_name_parameters_and_the_cli_names_flags() -> None:
    from clustergraph.cli import FLAGS

    err = UsageError("`depth` must be 0 or more", param="depth")
    assert str(err) == "`depth` must be 0 or more"
    assert err.worded(FLAGS) == "--depth must be 0 or more"


def test_the_facade_exports_functions_not_modules() -> None:
    import clustergraph.builder
    import clustergraph.loader

    assert callable(clustergraph.load) and callable(clustergraph.build)
    assert clustergraph.load.__module__ == "clustergraph.loader"
    assert set(clustergraph.__all__) <= set(dir(clustergraph))
    for name in clustergraph.__all__:
        assert getattr(clustergraph, name) is not None


def test_no_file_of_the_project_points_at_a_document_outside_it() -> None:
    import subprocess

    root = GRAPH_DIR.parent
    files = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout
    outside = ("BENCHMARKS" + ".md", "DESIGN" + ".md", "STYLE" + ".md", "../" + "shared")
    found = []
    for name in files.splitlines():
        path = root / name
        if path.suffix in (".png", ".xlsx", ".gz") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{name}: {word}" for word in outside if word in text]
    assert found == []


def test_the_architecture_page_names_every_module() -> None:
    root = GRAPH_DIR.parent
    page = (root / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = root / "src" / "clustergraph"
    modules = sorted(p.name for p in package.glob("*.py") if p.name != "__main__.py")
    assert [m for m in modules if f"`{m}`" not in page] == []


def test_records_let_go_after_the_build_are_read_again_when_asked(tmp_path: Path) -> None:
    from clustergraph import load

    with open_edition(GRAPH_DIR) as ed:
        # A network-only command never needs the records; everything it asks still answers.
        G = ed.network()
        assert ed.connectors()[0].id in G and ed.gaps() and ed.summary()["entities"]
        assert ed.dataset is not None and ed.name
        first = ed.data
        assert first is not None and first.records == load(GRAPH_DIR).records
        assert ed.data is first  # read once, then kept
        assert ed.on("2016").data is first
    with open_edition(GRAPH_DIR, keep_records=True) as ed:
        assert ed.data is ed.data and ed.data.records == first.records
    turtle = tmp_path / "g.ttl"
    turtle.write_bytes(open_edition(GRAPH_DIR).graph.serialize("turtle") or b"")
    with open_edition(turtle) as ed:
        assert ed.data is None  # RDF has no records


def test_diff_of_editions_that_let_their_records_go_is_the_diff_of_kept_ones(tmp_path: Path) -> None:
    from clustergraph.compare import diff

    old_dir, new_dir = _editions(tmp_path, CHAIN, CHAIN.replace("name: B", "name: Bee") + INITIATIVE)
    with open_edition(old_dir, keep_records=True) as old, open_edition(new_dir, keep_records=True) as new:
        kept = diff(old, new).rows
    with open_edition(old_dir) as old, open_edition(new_dir) as new:
        assert diff(old, new).rows == kept
    assert any(r.where for r in kept)  # places come from the records

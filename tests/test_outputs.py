"""Outputs that cannot be written: exit 1 naming the path, no traceback, nothing half-written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustergraph.cli import main
from clustergraph.output import OutputError, atomic_write, atomic_write_files

from .conftest import GRAPH_DIR


def _fails(result, where: str, why: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert f"{where}: error: cannot write: {why}" in result.stderr
    assert "Traceback" not in result.output


def test_an_existing_folder_as_output(runner: CliRunner, tmp_path: Path) -> None:
    """T7 (O03)."""
    out = tmp_path / "outdir"
    out.mkdir()
    for cmd in (["build", str(GRAPH_DIR)], ["map", str(GRAPH_DIR)]):
        _fails(runner.invoke(main, [*cmd, "-o", str(out)]), str(out), "it is a folder (give a file name)")
    assert list(out.iterdir()) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc, which no one may write")
def test_a_folder_no_one_can_write(runner: CliRunner) -> None:
    """T7 (O04): /proc stands in for a read-only folder (root may write a chmod 555 one)."""
    result = runner.invoke(main, ["build", str(GRAPH_DIR), "-o", "/proc/x.ttl"])
    assert result.exit_code == 1 and "/proc/x.ttl: error: cannot write: " in result.stderr


def test_an_empty_output_path(runner: CliRunner) -> None:
    """T7 (O10)."""
    _fails(runner.invoke(main, ["build", str(GRAPH_DIR), "-o", ""]), "''", "the output path is empty")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize(
    "args", [["build", str(GRAPH_DIR), "-o", "-"], ["schema"], ["query", "facilities", str(GRAPH_DIR)]]
)
def test_a_full_disk_on_standard_output(args: list[str], tmp_path: Path) -> None:
    """T7 (O05): a real process, so stdout really is /dev/full."""
    import subprocess
    import sys

    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "clustergraph", *args], stdout=full, stderr=subprocess.PIPE, timeout=120
        )
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert "No space left on device" in err and "Traceback" not in err and "Exception ignored" not in err


def test_export_to_standard_output(runner: CliRunner) -> None:
    """T7 (O11): the GEXF goes to stdout, no stat of '-' afterwards; CSV refuses it."""
    result = runner.invoke(main, ["export", str(GRAPH_DIR), "--format", "gexf", "-o", "-"])
    assert result.exit_code == 0 and result.stdout.startswith("<?xml")
    _fails(
        runner.invoke(main, ["export", str(GRAPH_DIR), "--format", "csv", "-o", "-"]),
        "standard output",
        "a set of files needs a folder",
    )


def test_export_csv_onto_a_file(runner: CliRunner, tmp_path: Path) -> None:
    """T7 (O13)."""
    target = tmp_path / "file"
    target.write_text("hi\n")
    result = runner.invoke(main, ["export", str(GRAPH_DIR), "--format", "csv", "-o", str(target)])
    _fails(result, str(target), "it is a file, not a folder")
    assert target.read_text() == "hi\n"


def test_export_csv_is_written_as_a_set(runner: CliRunner, tmp_path: Path) -> None:
    """PO1 (O12): when edges.csv cannot be written, nodes.csv is not written either."""
    out = tmp_path / "out"
    (out / "edges.csv").mkdir(parents=True)
    result = runner.invoke(main, ["export", str(GRAPH_DIR), "--format", "csv", "-o", str(out)])
    _fails(result, str(out / "edges.csv"), "it is a folder")
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv"]
    fresh = tmp_path / "fresh"
    assert runner.invoke(main, ["export", str(GRAPH_DIR), "--format", "csv", "-o", str(fresh)]).exit_code == 0
    assert sorted(p.name for p in fresh.iterdir()) == ["edges.csv", "nodes.csv"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failing_writer_leaves_the_set_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    atomic_write_files(out, {"a.csv": lambda f: f.write(b"old a"), "b.csv": lambda f: f.write(b"old b")})

    def fail(f: object) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left on device"):
        atomic_write_files(out, {"a.csv": lambda f: f.write(b"new a"), "b.csv": fail})
    assert (out / "a.csv").read_bytes() == b"old a" and (out / "b.csv").read_bytes() == b"old b"
    with pytest.raises(OutputError):
        atomic_write(tmp_path, lambda f: f.write(b"x"))


@pytest.mark.parametrize("base", ["not an iri", "http://x/ > <http://y/", "http://x/\n", ""])
def test_a_base_that_is_not_an_iri_is_a_usage_error(runner: CliRunner, tmp_path: Path, base: str) -> None:
    """T3 (R06): `--base ''` no longer silently means the default."""
    out = tmp_path / "out.ttl"
    result = runner.invoke(main, ["build", str(GRAPH_DIR), "--base", base, "-o", str(out)])
    assert result.exit_code == 2
    assert "--base must be an absolute IRI" in result.stderr
    assert not out.exists()

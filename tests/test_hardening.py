"""Hostile and broken input beyond the static corpus: huge files, link loops,
unreadable files, interrupted writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustergraph.cli import main
from clustergraph.output import atomic_write

ORG = "organizations:\n  - {id: a, name: A, type: nonprofit}\n"


def _build(data: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", str(data), "-o", str(out)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    big = data / "huge.yaml"
    line = "  - {id: x, name: " + "x" * 90 + ", type: nonprofit}\n"
    with big.open("w") as f:
        f.write("organizations:\n")
        for _ in range(50 * 1024 * 1024 // len(line)):
            f.write(line)
    assert big.stat().st_size > 49 * 1024 * 1024
    import tracemalloc

    tracemalloc.start()
    started = time.perf_counter()
    code, output = _build(data, tmp_path / "out.ttl")
    took = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 1
    assert f"{big}:1:1: error: file is 5" in output and "MiB limit" in output and "split it" in output
    assert peak < 20 * 1024 * 1024  # never read into memory
    assert took < 5
    assert not (tmp_path / "out.ttl").exists()


def test_a_directory_link_loop_is_reported_not_followed_forever(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    (data / "orgs.yaml").write_text(ORG)
    os.symlink(data, data / "sub" / "loop")
    code, output = _build(data, tmp_path / "out.ttl")
    assert code == 1
    assert f"{data / 'sub' / 'loop'}: error: directory link loop" in output


def test_a_dangling_link_is_an_unreadable_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "orgs.yaml").write_text(ORG)
    os.symlink(tmp_path / "gone.yaml", data / "partner.yaml")
    code, output = _build(data, tmp_path / "out.ttl")
    assert code == 1
    assert f"{data / 'partner.yaml'}:1:1: error: cannot read file" in output


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission_is_reported(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    secret = data / "orgs.yaml"
    secret.write_text(ORG)
    secret.chmod(0)
    try:
        code, output = _build(data, tmp_path / "out.ttl")
    finally:
        secret.chmod(0o644)
    assert code == 1
    assert "cannot read file: Permission denied" in output


def test_a_failed_write_leaves_the_previous_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("edition 2017\n")

    def half_then_fail(f: object) -> None:
        f.write(b"@prefix broken")  # type: ignore[attr-defined]
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, half_then_fail)
    assert target.read_text() == "edition 2017\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_a_killed_build_leaves_the_previous_output_intact(tmp_path: Path) -> None:
    """SIGKILL a writer in the middle of writing: the old file must survive whole."""
    target = tmp_path / "graph.ttl"
    target.write_text("edition 2017\n")
    script = textwrap.dedent(
        f"""
        import sys, time
        from clustergraph.output import atomic_write
        def slow(f):
            for i in range(1000):
                f.write(b"<urn:s> <urn:p> <urn:o> .\\n" * 100)
                f.flush()
                if i == 3:
                    print("writing", flush=True)
                time.sleep(0.01)
        atomic_write({str(target)!r}, slow)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert target.read_text() == "edition 2017\n"
    # the interrupted temp file sits beside it under a hidden name, never under the target's
    assert all(p.name.startswith(".graph.ttl.") for p in tmp_path.iterdir() if p.name != "graph.ttl")


def test_output_inside_the_data_directory_must_not_replace_yaml(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "orgs.yaml").write_text(ORG)
    result = CliRunner().invoke(main, ["build", str(data), "-o", str(data / "orgs.yaml")])
    assert result.exit_code == 2
    assert (data / "orgs.yaml").read_text() == ORG
    # a Turtle file beside the data is fine
    assert CliRunner().invoke(main, ["build", str(data), "-o", str(data / "graph.ttl")]).exit_code == 0


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "map.html", lambda f: f.write(b"<html></html>"))
    finally:
        os.umask(old)
    assert (tmp_path / "map.html").stat().st_mode & 0o777 == 0o644


def test_a_broken_turtle_file_names_its_line_and_column(tmp_path: Path) -> None:
    ttl = tmp_path / "partner.ttl"
    ttl.write_text('@prefix x: <urn:x#> .\nx:a x:b x:c ;\n  x:d "unterminated .\n')
    for command in (["connectors", str(ttl)], ["progress", str(ttl)], ["diff", str(ttl), str(ttl)]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, command
        assert f"{ttl}:3:7: error: not valid RDF" in result.output
        assert "Traceback" not in result.output

"""Hostile files among the inputs: FIFOs, devices, floods, thousands of dangling references, odd rules."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustergraph.cli import main
from clustergraph.didyoumean import SMALL, Suggester
from clustergraph.errors import did_you_mean
from clustergraph.inputs import FileRefused, read_regular

from .conftest import GRAPH_DIR

BASE = """sources:
  - id: src
    name: Source
    title: A source
"""

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def _data(tmp_path: Path) -> Path:
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.yaml").write_text(BASE, encoding="utf-8")
    return d


@needs_fifo
def test_a_fifo_among_the_data_files_is_refused_at_once(runner: CliRunner, tmp_path: Path) -> None:
    """H1 (F03)."""
    d = _data(tmp_path)
    os.mkfifo(d / "pipe.yaml")
    result = runner.invoke(main, ["validate", str(d)])
    assert result.exit_code == 1
    assert (
        f"{d / 'pipe.yaml'}:1:1: error: a FIFO (named pipe), not a regular file "
        "(remove it or move it out of the folder)" in result.stderr
    )


@needs_fifo
def test_a_fifo_among_the_query_files_is_refused_at_once(runner: CliRunner, tmp_path: Path) -> None:
    """H1 (F12): `queries` and `query NAME` list the folder."""
    shutil.copytree(GRAPH_DIR, tmp_path / "region" / "graph")
    (tmp_path / "region" / "queries").mkdir()
    fifo = tmp_path / "region" / "queries" / "x.rq"
    os.mkfifo(fifo)
    for args in (
        ["queries", str(tmp_path / "region" / "graph")],
        ["query", "facilities", str(tmp_path / "region" / "graph")],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 1, result.output
        assert f"{fifo}: error: cannot read query: a FIFO (named pipe), not a regular file" in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_link_to_dev_zero_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """H2 (F09): st_size 0 used to pass the size check."""
    d = _data(tmp_path)
    (d / "zero.yaml").symlink_to("/dev/zero")
    result = runner.invoke(main, ["validate", str(d)])
    assert result.exit_code == 1
    assert f"{d / 'zero.yaml'}:1:1: error: a character device, not a regular file" in result.stderr


def test_the_size_is_checked_on_what_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(FileRefused, match="over the 0 MiB limit"):
        read_regular(big, 1000)
    assert read_regular(big, 2000) == b"x" * 2000
    with pytest.raises(FileRefused, match="a directory"):
        read_regular(tmp_path)


def test_two_thousand_dangling_references_validate_in_linear_time(runner: CliRunner, tmp_path: Path) -> None:
    """H4 (F11): 82 s before; each still gets its hint."""
    d = tmp_path / "d"
    d.mkdir()
    lines = ["organizations:"]
    for i in range(2000):
        lines += [
            f"  - id: org-{i:05d}-alpha",
            f"    name: Org {i}",
            "    type: company",
            f"    parent: org-{i:05d}-alphx",
        ]
    (d / "a.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.monotonic()
    result = runner.invoke(main, ["validate", str(d)], env={"CLUSTERGRAPH_CACHE": "0"})
    took = time.monotonic() - start
    assert result.exit_code == 1
    assert result.stderr.count("did you mean 'org-") == 2000
    assert (
        f"{d / 'a.yaml'}:8001:13: error: unknown reference 'org-01999-alphx' in parent (did you mean 'org-01999-alpha'?)"
        in result.stderr
    )
    assert took < 10  # about 1 s on one core; quadratic took 82 s


def test_the_index_gives_the_hints_difflib_gives() -> None:
    ids = [f"org-{i:04d}-{w}" for i in range(SMALL + 50) for w in ("alpha",)]
    big = Suggester(ids)
    for word in ("org-0007-alphx", "org-0007-alph", "org-0007-alphaa", "org-0070-lapha"):
        assert big.hint(word) == did_you_mean(word, ids), word
    assert Suggester(["college", "company"]).hint("colege") == "did you mean 'college'?"


@pytest.mark.parametrize(
    ("match", "shown"),
    [("{kind: [[college]]}", "[['college']]"), ("{kind: {x: y}}", "{'x': 'y'}")],
)
def test_rules_values_that_are_lists_of_lists_or_mappings(
    runner: CliRunner, tmp_path: Path, match: str, shown: str
) -> None:
    """T8 (C07)."""
    rules = tmp_path / "r.yaml"
    rules.write_text(f"assets:\n  a:\n    label: A\n    match:\n      - {match}\n", encoding="utf-8")
    result = runner.invoke(main, ["gaps", str(GRAPH_DIR), "--rules", str(rules)])
    assert result.exit_code == 1
    assert (
        f"{rules}:5:9: error: condition 'kind' takes a value or a list of values, not {shown}"
        in result.stderr
    )

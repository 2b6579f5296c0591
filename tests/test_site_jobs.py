"""`clustergraph site --jobs N`: pages written by several processes are the same bytes as
pages written in turn, and a process that cannot write stops the site cleanly."""

from __future__ import annotations

import importlib.util
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustergraph.cli import main

from .conftest import GRAPH_DIR

ROOT = Path(__file__).resolve().parent.parent


def _generate(n: int, out: Path, seed: int) -> Path:
    spec = importlib.util.spec_from_file_location(
        "cg_bench_generate_jobs", ROOT / "benchmarks" / "generate.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.generate(n, out, seed=seed)
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Records are cut into tasks of 500, and a kind of more than 500 entities is listed
    # on pages of its own: 1,400 entities give several tasks and ~530 organizations.
    return _generate(1400, tmp_path_factory.mktemp("gen") / "data", seed=5)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("which", ["graph", "generated"])
def test_pages_written_in_parallel_are_the_bytes_written_in_turn(
    which: str, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # the footer's "built" time
    data = GRAPH_DIR if which == "graph" else generated
    extra = [] if which == "graph" else ["--no-map"]
    r = CliRunner().invoke(main, ["site", str(data), "-o", str(tmp_path / "one"), "--jobs", "1", *extra])
    assert r.exit_code == 0, r.output
    # In a process of its own: this one may run threads left by other tests, and a process
    # with threads writes the pages in turn rather than fork.
    env = {**os.environ, "CLUSTERGRAPH_CACHE": "0", "CLUSTERGRAPH_PROGRESS": "0"}
    cmd = [
        sys.executable,
        "-m",
        "clustergraph",
        "site",
        str(data),
        "-o",
        str(tmp_path / "two"),
        "--jobs",
        "2",
    ]
    two_run = subprocess.run([*cmd, *extra], env=env, capture_output=True, text=True, check=False)
    assert two_run.returncode == 0, two_run.stderr
    assert "2 processes" in two_run.stderr  # written by two processes, not quietly in turn
    files = int(two_run.stderr.split(" files,")[0].rsplit(" ", 1)[-1].replace(",", ""))
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert sorted(one) == sorted(two) and len(one) == files
    assert [p for p in one if one[p] != two[p]] == []
    assert "id/index.html" not in one and "index.html" in one
    # Modes as any new file of the user's: the folder is not left private to its writer.
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "two").stat().st_mode & 0o777 == 0o777 & ~mask
    assert (tmp_path / "two" / "index.html").stat().st_mode & 0o777 == 0o666 & ~mask
    if which == "generated":
        _kinds_are_listed_on_pages(tmp_path / "two")


def _kinds_are_listed_on_pages(site: Path) -> None:
    """A kind of more than 500 entities: kinds.html links its pages, which list each once."""
    import re

    kinds = (site / "kinds.html").read_text("utf-8")
    pages = re.findall(r'href="(kinds/organization-\d+\.html)"', kinds)
    assert pages == ["kinds/organization-1.html", "kinds/organization-2.html"]
    listed = [
        href
        for page in pages
        for href in re.findall(r'<li><a href="\.\./(id/[^"]+)"', (site / page).read_text("utf-8"))
    ]
    assert len(listed) == len(set(listed)) > 500
    assert all((site / h).is_file() for h in listed)
    assert 'rel="next" href' not in kinds and 'href="../kinds/organization-2.html" rel="next"' in (
        site / pages[0]
    ).read_text("utf-8")


def test_jobs_must_be_one_or_more(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["site", str(GRAPH_DIR), "-o", str(tmp_path / "s"), "--jobs", "0"])
    assert r.exit_code == 2 and "--jobs" in r.output
    assert not (tmp_path / "s").exists()


def _small_files_only() -> None:
    # Any file over 4 KB cannot be written (EFBIG: Python ignores SIGXFSZ): every page
    # but the smallest fails, in whichever process writes it.
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_a_process_that_cannot_write_leaves_the_previous_site_and_no_traceback(
    jobs: str, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    env = {**os.environ, "CLUSTERGRAPH_CACHE": "0", "CLUSTERGRAPH_PROGRESS": "0"}
    cmd = [sys.executable, "-m", "clustergraph", "site", str(GRAPH_DIR), "-o", str(out), "--no-map"]
    first = subprocess.run([*cmd, "--jobs", "1"], env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    before = _tree(out)
    r = subprocess.run(
        [*cmd, "--jobs", jobs],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=_small_files_only,
    )
    assert r.returncode == 1, r.stderr
    assert "cannot write: File too large" in r.stderr and str(out) in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert _tree(out) == before  # the previous site, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no half-written folder beside it

"""The bad-input corpus: every case exits 1, names file:line:col, writes nothing."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustergraph.cli import main

CASES_DIR = Path(__file__).parent / "bad_inputs"


def _expected() -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in (CASES_DIR / "expected.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        case, loc, message = line.split("\t")
        out[case].append((loc, message))
    return out


EXPECTED = _expected()
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.name != "expected.tsv")


def _copy_case(case: str, tmp_path: Path) -> Path:
    """A data directory holding one bad case, as a user would have it."""
    src = CASES_DIR / case
    data = tmp_path / "data"
    if src.is_dir():
        shutil.copytree(src, data)
    else:
        data.mkdir()
        shutil.copy(src, data / src.name)
    return data


def _where(data: Path, case: str, loc: str) -> str:
    # expected.tsv names files as in the corpus: "case.yaml:1:2" or "case-dir/a.yaml:1:2"
    inner = loc.split("/", 1)[1] if (CASES_DIR / case).is_dir() else loc
    return f"{data / inner}"


def test_the_corpus_is_complete() -> None:
    assert set(CASES) == set(EXPECTED)
    assert len(CASES) >= 60


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_with_its_place_and_nothing_is_written(case: str, tmp_path: Path) -> None:
    data = _copy_case(case, tmp_path)
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(main, ["build", str(data), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.glob(".out.ttl.*")) == []  # no temp file left behind
    for loc, message in EXPECTED[case]:
        message = message.replace("{data}", str(data))
        assert f"{_where(data, case, loc)}: error: {message}" in result.output, result.output
    # every problem is listed, not only the first
    assert result.output.count(": error: ") == len(EXPECTED[case])


@pytest.mark.parametrize("case", ["duplicate-key.yaml", "dangling-reference.yaml", "syntax-tab-indent.yaml"])
def test_bad_input_leaves_an_existing_output_untouched(case: str, tmp_path: Path) -> None:
    data = _copy_case(case, tmp_path)
    out = tmp_path / "graph.ttl"
    out.write_text("previous edition\n")
    result = CliRunner().invoke(main, ["build", str(data), "-o", str(out)])
    assert result.exit_code == 1
    assert out.read_text() == "previous edition\n"


@pytest.mark.parametrize("case", ["unknown-field.yaml", "bad-enum.yaml", "dangling-reference-suggests.yaml"])
def test_validate_suggests_the_fix(case: str, tmp_path: Path) -> None:
    data = _copy_case(case, tmp_path)
    result = CliRunner().invoke(main, ["validate", str(data)])
    assert result.exit_code == 1
    assert "(did you mean '" in result.output

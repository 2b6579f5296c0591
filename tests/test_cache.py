"""The per-file record cache: same records, and only edited files are parsed again."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

from clustergraph import cache
from clustergraph.errors import DataErrors
from clustergraph.loader import load

from .conftest import GRAPH_DIR

load_module = importlib.import_module("clustergraph.loader")  # the package exports `load`, the function


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(GRAPH_DIR, target)
    return target


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the loader really parses (cache misses), in order."""
    seen: list[str] = []
    real = load_module.parse_text

    def spy(text: str, shown: str, errors: list) -> list:  # type: ignore[type-arg]
        seen.append(Path(shown).name)
        return real(text, shown, errors)

    monkeypatch.setattr(load_module, "parse_text", spy)
    monkeypatch.delenv("CLUSTERGRAPH_CACHE", raising=False)
    return seen


def test_cached_records_are_identical_with_their_locations(data: Path, parsed: list[str]) -> None:
    first = load(data)
    n_files = len(parsed)
    second = load(data)
    assert len(parsed) == n_files  # nothing parsed again
    assert second.records == first.records
    for a, b in zip(first, second, strict=True):
        assert a.loc == b.loc
        assert dict(a.locs) == dict(b.locs)
        assert type(b.fields.get("sources", ())) is tuple
    assert (data.parent / ".clustergraph-cache").is_dir()
    assert load(data, cache=False).records == first.records


def test_editing_one_file_reparses_only_that_file(data: Path, parsed: list[str]) -> None:
    load(data)
    parsed.clear()
    path = data / "people.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("people:", "# edited\npeople:", 1))
    again = load(data)
    assert parsed == ["people.yaml"]
    person = again.of("people")[0]
    assert person.loc.line == load(data, cache=False).by_id[person.id].loc.line  # shifted by the edit


def test_deleting_the_cache_is_safe_and_a_new_version_starts_afresh(
    data: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = load(data)
    shutil.rmtree(data.parent / ".clustergraph-cache")
    assert load(data).records == before.records
    parsed.clear()
    monkeypatch.setattr(cache, "__version__", "999.0")
    assert load(data).records == before.records
    assert len(parsed) == len(list(data.glob("*.yaml")))
    versions = list((data.parent / ".clustergraph-cache").iterdir())
    assert len(versions) == 1  # the old version's entries were dropped


def test_a_file_with_problems_is_never_cached(data: Path, parsed: list[str]) -> None:
    bad = data / "zz-bad.yaml"
    bad.write_text("organizations:\n  - id: Bad Id\n    name: x\n    type: company\n")
    with pytest.raises(DataErrors) as first:
        load(data)
    parsed.clear()
    with pytest.raises(DataErrors) as second:
        load(data)
    assert parsed == ["zz-bad.yaml"]
    assert [str(e) for e in first.value.errors] == [str(e) for e in second.value.errors]


def test_switched_off_by_environment(data: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTERGRAPH_CACHE", "0")
    load(data)
    load(data)
    assert len(parsed) == 2 * len(list(data.glob("*.yaml")))
    assert not (data.parent / ".clustergraph-cache").exists()


def test_progress_bar_stays_quiet_in_pipes_and_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from clustergraph import progressbar

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stderr", Tty())
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CLUSTERGRAPH_PROGRESS", raising=False)
    assert progressbar.wanted()
    monkeypatch.setenv("CI", "true")
    assert not progressbar.wanted()
    monkeypatch.delenv("CI")
    monkeypatch.setattr("sys.stderr", object())
    assert not progressbar.wanted()
    with progressbar.bar(10, "x", min_total=100) as advance:
        advance(5)  # a no-op below the threshold


def test_analysis_stages_say_which_step_runs_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib
    import io

    import networkx as nx

    from clustergraph import progressbar
    from clustergraph.network import connectors

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Tty()
    monkeypatch.setattr("sys.stderr", err)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CLUSTERGRAPH_PROGRESS", raising=False)
    with progressbar.stages("work", ["first", "second"]) as stage:
        stage("first")
        stage("second")
    drawn = err.getvalue()
    assert "work" in drawn and "0/2  first" in drawn and "1/2  second" in drawn and "2/2  done" in drawn
    # A small network is done before a bar would help: nothing is drawn.
    err.seek(0)
    err.truncate()
    G = nx.path_graph(5)
    nx.set_node_attributes(G, "civic", "sector")
    connectors(G)
    assert err.getvalue() == ""
    # A big one shows each measure as it starts.
    module = importlib.import_module("clustergraph.network.connectors")
    monkeypatch.setattr(module, "ANALYSIS_FROM_NODES", 5)
    connectors(G)
    assert "betweenness" in err.getvalue() and "6/6  done" in err.getvalue()


# ---------------------------------------------------------------- planted entries (P2)

BASE = """sources:
  - id: src
    name: Source
    title: A source
organizations:
  - id: org-a
    name: Org A
    type: nonprofit
    sources: [src]
"""
EVIL = ("organizations", "organization", "evil one", "Evil \x1b[31m name", 1, 1, {"type": "nope"}, {})


def _entry_folder(root: Path) -> Path:
    import hashlib
    import os

    root_key = hashlib.blake2b(os.path.realpath(root).encode(), digest_size=8).hexdigest()
    return root.resolve().parent / cache.DIRNAME / ("v" + cache.fingerprint()) / root_key


def test_a_planted_cache_entry_is_never_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    """P2 (R07): an entry written by someone without the user's secret is parsed again."""
    import marshal

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    root = tmp_path / "d"
    root.mkdir()
    (root / "data.yaml").write_text(BASE, encoding="utf-8")
    raw = (root / "data.yaml").read_bytes()
    folder = _entry_folder(root)
    folder.mkdir(parents=True)
    body = marshal.dumps((EVIL,))
    for blob in (body, b"\0" * 32 + body, bytes(32) + body[:5]):
        (folder / cache.FileCache.key(raw)).write_bytes(blob)
        parsed.clear()
        assert [r.id for r in load(root)] == ["src", "org-a"]
        assert parsed == ["data.yaml"]


def test_a_valid_entry_copied_under_another_name_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    root = tmp_path / "d"
    root.mkdir()
    (root / "a.yaml").write_text(BASE, encoding="utf-8")
    load(root)
    folder = _entry_folder(root)
    entry = folder / cache.FileCache.key((root / "a.yaml").read_bytes())
    other = BASE.replace("Org A", "Org B")
    (root / "a.yaml").write_text(other, encoding="utf-8")
    (folder / cache.FileCache.key(other.encode())).write_bytes(entry.read_bytes())
    parsed.clear()
    assert [r.name for r in load(root).of("organizations")] == ["Org B"]
    assert parsed == ["a.yaml"]


def test_a_secret_others_can_read_turns_the_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    assert cache.user_secret() is not None
    secret = tmp_path / "home-cache" / "clustergraph" / "secret"
    assert secret.stat().st_mode & 0o777 == 0o600
    secret.chmod(0o644)
    assert cache.user_secret() is None
    root = tmp_path / "d"
    root.mkdir()
    (root / "a.yaml").write_text(BASE, encoding="utf-8")
    load(root)
    load(root)
    assert parsed == ["a.yaml", "a.yaml"]

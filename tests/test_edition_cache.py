"""The edition cache: a command on unchanged data reads its network, not the YAML.

Same answers with it as without it, a fresh build after any edit, and nothing
trusted that this user's clustergraph did not write.
"""

from __future__ import annotations

import importlib
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from clustergraph.cli import main
from clustergraph.edition import open_edition

from .conftest import GRAPH_DIR

builder = importlib.import_module("clustergraph.builder")
loader = importlib.import_module("clustergraph.loader")


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CLUSTERGRAPH_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))  # this test's own secret
    target = tmp_path / "data"
    shutil.copytree(GRAPH_DIR, target)
    return target


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often the records were read ("load") and a store was filled ("build")."""
    seen: Counter[str] = Counter()
    for module, name, key in ((loader, "load", "load"), (builder, "build", "build")):
        real = getattr(module, name)

        def spy(*args: object, _real: Any = real, _key: str = key, **kwargs: object) -> object:
            seen[_key] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return seen


def _entries(data: Path) -> list[Path]:
    return sorted((data.parent / ".clustergraph-cache" / "editions").rglob("*-*"))


def _same(a: nx.Graph, b: nx.Graph) -> None:
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(data=True)) == list(b.edges(data=True))
    assert a.graph == b.graph


def test_second_open_reads_the_network_without_building(data: Path, made: Counter[str]) -> None:
    with open_edition(data) as first:
        G = first.network("partnerships")
        dates, aliases, dataset = first.dates, first.aliases, first.dataset
    assert made == {"load": 1}  # read from the triples the build would write: no store
    with open_edition(data) as second:
        assert "graph not built yet" in repr(second)
        H = second.network("partnerships")
        _same(G, H)
        assert second.dates == dates
        assert second.aliases == aliases and aliases  # the LA data has aliases
        assert second.dataset == dataset
        assert second.on("2016").network("partnerships").number_of_nodes() < H.number_of_nodes()
        assert made == {"load": 1}  # nothing above needed the records
        assert len(second.graph) > 0  # asked for, it is built
    assert made == {"load": 2, "build": 1}


def test_commands_answer_the_same_with_and_without_it(data: Path) -> None:
    runner = CliRunner()
    for args in (
        ["connectors", str(data), "--format", "tsv"],
        ["gaps", str(data), "--format", "json"],
        ["communities", str(data), "--format", "tsv"],
        ["summary", str(data), "--format", "json"],
        ["connectors", str(data), "--at", "2016", "--format", "tsv"],
        ["connectors", str(data), "--without", "LA BioMed", "--format", "tsv"],
    ):
        cold = runner.invoke(main, args, env={"CLUSTERGRAPH_CACHE": "0"})
        assert cold.exit_code == 0, cold.output
        warm = [runner.invoke(main, args) for _ in range(2)]  # the first fills the cache
        assert [w.exit_code for w in warm] == [0, 0]
        assert warm[0].output == cold.output == warm[1].output, args
    assert any(p.name.endswith("-complete") for p in _entries(data))


def test_an_edit_is_seen_and_the_old_state_is_dropped(data: Path, made: Counter[str]) -> None:
    with open_edition(data) as ed:
        before = ed.network().number_of_nodes()
    old = _entries(data)
    people = data / "people.yaml"
    text = people.read_text(encoding="utf-8")
    added = "  - id: zz-test-person\n    name: Test Person\n"
    people.write_text(text.replace("people:\n", "people:\n" + added, 1), encoding="utf-8")
    with open_edition(data) as ed:
        assert ed.network().number_of_nodes() == before + 1
    assert made == {"load": 2}
    assert not set(old) & set(_entries(data))  # the earlier state's entries are gone


def test_bad_data_leaves_no_state_to_trust(data: Path) -> None:
    (data / "broken.yaml").write_text("organizations:\n  - id: x\n    name: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["connectors", str(data)])
    assert result.exit_code == 1 and "broken.yaml" in result.output
    assert not any(p.name.endswith("-complete") for p in _entries(data))
    again = CliRunner().invoke(main, ["connectors", str(data)])
    assert again.exit_code == 1 and "broken.yaml" in again.output  # checked again, not skipped


def test_planted_or_damaged_entries_are_not_trusted(data: Path, made: Counter[str]) -> None:
    with open_edition(data) as ed:
        G = ed.network()
    for path in _entries(data):
        if "-network-" in path.name:
            blob = bytearray(path.read_bytes())
            blob[-1] ^= 0xFF  # one byte changed: the MAC no longer holds
            path.write_bytes(bytes(blob))
    with open_edition(data) as ed:
        _same(G, ed.network())
    assert made["load"] == 2  # the damaged network was made again from the records


def test_off_writes_nothing(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTERGRAPH_CACHE", "0")
    with open_edition(data) as ed:
        ed.network()
    assert _entries(data) == []


def test_a_graph_let_go_is_built_again_when_asked(data: Path, made: Counter[str], tmp_path: Path) -> None:
    with open_edition(data) as ed:
        triples = len(ed.graph)
        ed.on("2016").network()
        ed.let_graph_go()  # what network commands do once they have their network
        assert "graph not built yet" in repr(ed)
        assert len(ed.on("2016").graph) == triples
    assert made == {"load": 2, "build": 2}
    ttl = tmp_path / "graph.ttl"
    result = CliRunner().invoke(main, ["build", str(data), "-o", str(ttl)])
    assert result.exit_code == 0, result.output
    with open_edition(ttl) as rdf:
        rdf.let_graph_go()  # an RDF file is not read again: its graph stays
        assert f"{triples} triples" in repr(rdf)


@pytest.mark.parametrize(
    ("args", "stores"),
    [
        (["connectors", "--without", "LA BioMed"], 0),
        (["gaps", "--format", "turtle"], 0),
        (["communities", "--at", "2016"], 0),
        (["summary", "--entities"], 0),
        (["map", "-o", "{tmp}/map.html", "--at", "2016"], 0),
        (["report", "-o", "{tmp}/report.html"], 0),
        (["export", "--format", "graphml", "-o", "{tmp}/net.graphml"], 0),
        (["site", "-o", "{tmp}/site", "--no-map"], 0),
    ],
)
def test_a_command_reads_the_records_once(
    data: Path,
    made: Counter[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    stores: int,
) -> None:
    """Letting the graph go must never make a command read the records or build the graph
    a second time; one that needs only networks, dates and aliases fills no store."""
    monkeypatch.setenv("CLUSTERGRAPH_CACHE", "0")
    argv = [args[0], str(data), *(a.format(tmp=tmp_path) for a in args[1:])]
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 0, result.output
    assert made == {"load": 1, **({"build": stores} if stores else {})}

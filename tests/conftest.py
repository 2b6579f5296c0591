"""Shared fixtures: the real LA data, built once per test session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from clustergraph.builder import BuiltGraph, build
from clustergraph.loader import load
from clustergraph.records import Data
from clustergraph.vocab import DEFAULT_BASE

from ._servers import OXIGRAPH, VIRTUOSO, Server
from ._servers import oxigraph_server as oxigraph_server_at
from ._servers import virtuoso_server as virtuoso_server_at

ROOT = Path(__file__).resolve().parent.parent
GRAPH_DIR = ROOT / "graph"


def generated_copy(out: Path, entities: int = 400, seed: int = 3) -> Path:
    """Synthetic data (benchmarks/generate.py, never the LA data) written to `out`."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("cg_bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(entities, out, seed=seed)
    return out


def awkward_copy(out: Path) -> Path:
    """The LA data with names and aliases that N-Triples must escape."""
    shutil.copytree(GRAPH_DIR, out)
    orgs = out / "organizations.yaml"
    text = orgs.read_text(encoding="utf-8")
    text = text.replace(
        "    name: Port of Los Angeles\n",
        "    name: 'Port of \"Los Angeles\" \\ San Pedro'\n",
        1,
    )
    text = text.replace("    aliases: [LAEDC]\n", '    aliases: [LAEDC, "L.A.\\\\E\\"DC", "Ünïcode ✓"]\n', 1)
    orgs.write_text(text, encoding="utf-8")
    return out


@pytest.fixture(scope="session", params=["la", "generated", "awkward"])
def corpus_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three data folders every reader of the graph is held to: the LA data, generated
    data, and the LA data with text N-Triples must escape (quotes, backslashes, non-ASCII)."""
    if request.param == "la":
        return GRAPH_DIR
    where = tmp_path_factory.mktemp(request.param) / "data"
    return generated_copy(where) if request.param == "generated" else awkward_copy(where)


@pytest.fixture(scope="session")
def corpus(corpus_dir: Path) -> Data:
    """The records of `corpus_dir`."""
    return load(corpus_dir)


@pytest.fixture(scope="session")
def la_data() -> Data:
    return load(GRAPH_DIR)


@pytest.fixture(scope="session")
def la_graph(la_data: Data) -> BuiltGraph:
    return build(la_data)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


NEW_ORG = """  - id: test-blue-economy-association
    name: Test Blue Economy Association
    type: industry-association
    clusters: [blue-economy]
    notes: unverified (made by tests/test_diff.py)
"""
NEW_EVENT = """  - id: test-council-meeting
    name: Workforce Development Council meeting
    date: "2018-03"
    type: meeting
    subject: [workforce-development-council]
    advances: [action-sector-partnerships]
    notes: unverified (made by tests/test_diff.py)
"""


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _remove_record(path: Path, rid: str) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {rid}\n")
    end = text.find("\n  - id: ", start + 1)
    path.write_text(text[:start] + text[end + 1 :], encoding="utf-8")


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Edition 2017 is graph/ as it is; edition 2018 removes a partnership, adds an
    organisation and an event, renames LAEDC and moves a college to another consortium."""
    root = tmp_path_factory.mktemp("editions")
    old, new = root / "e2017", root / "e2018"
    shutil.copytree(GRAPH_DIR, old)
    shutil.copytree(GRAPH_DIR, new)
    _remove_record(new / "partnerships.yaml", "altasea-port-lease")
    _edit(new / "organizations.yaml", "organizations:\n", "organizations:\n" + NEW_ORG)
    _edit(new / "events.yaml", "events:\n", "events:\n" + NEW_EVENT)
    _edit(
        new / "organizations.yaml",
        "name: Los Angeles County Economic Development Corporation\n",
        "name: LAEDC\n",
    )
    _edit(
        new / "colleges.yaml",
        '  - id: east-los-angeles-college\n    name: "East Los Angeles College"\n    aliases: ["East LA Community College", "ELAC"]\n    type: community-college\n    district: "Los Angeles Community College District"\n    consortium: la-regional-consortium\n',
        '  - id: east-los-angeles-college\n    name: "East Los Angeles College"\n    aliases: ["East LA Community College", "ELAC"]\n    type: community-college\n    district: "Los Angeles Community College District"\n    consortium: la-oc-regional-consortium\n',
    )
    return old, new


# ---------------------------------------------------------------- real SPARQL servers (tests/_servers.py)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One `oxigraph serve` for the whole session (skips where the binary is absent)."""
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    with oxigraph_server_at(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One Virtuoso for the whole session: it takes seconds to create its database."""
    if VIRTUOSO is None:
        pytest.skip("virtuoso-t is not installed (Debian/Ubuntu: apt-get install virtuoso-opensource)")
    with virtuoso_server_at(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def break_eight_constraints(store: ox.Store, base: str = DEFAULT_BASE) -> None:
    """Break one SHACL constraint of each kind in the LA graph (8 problems in all): a missing
    label, a value outside sh:in, then datatype, pattern, maxCount, minLength, class and sh:or."""
    from clustergraph.vocab import CG, RDFS

    S = "https://schema.org/"
    laedc, ab427 = ox.NamedNode(base + "laedc"), ox.NamedNode(base + "ab-427")
    for q in list(store.quads_for_pattern(laedc, ox.NamedNode(RDFS + "label"), None)):
        store.remove(q)
    for q in list(store.quads_for_pattern(ab427, ox.NamedNode(CG + "category"), None)):
        store.remove(q)
    store.add(ox.Quad(ab427, ox.NamedNode(CG + "category"), ox.Literal("ordinance")))
    ucla, aero, altasea = (ox.NamedNode(base + n) for n in ("ucla", "aerospace", "altasea"))
    event = ox.NamedNode(base + "altasea-groundbreaking")
    store.add(ox.Quad(ucla, ox.NamedNode(RDFS + "label"), ox.Literal("")))
    store.add(ox.Quad(aero, ox.NamedNode(S + "naics"), ox.Literal("33x")))
    store.add(ox.Quad(altasea, ox.NamedNode("http://purl.org/dc/terms/identifier"), ox.Literal("second-id")))
    store.add(ox.Quad(altasea, ox.NamedNode("http://www.w3.org/ns/org#subOrganizationOf"), aero))
    store.add(ox.Quad(event, ox.NamedNode(S + "startDate"), ox.Literal("December 2017")))
    store.add(ox.Quad(altasea, ox.NamedNode(S + "url"), ox.Literal("https://altasea.org")))

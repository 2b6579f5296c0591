"""Shared fixtures: the real LA data, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from clustergraph.build import BuiltGraph, build
from clustergraph.load import load
from clustergraph.records import Data

ROOT = Path(__file__).resolve().parent.parent
GRAPH_DIR = ROOT / "graph"


@pytest.fixture(scope="session")
def la_data() -> Data:
    return load(GRAPH_DIR)


@pytest.fixture(scope="session")
def la_graph(la_data: Data) -> BuiltGraph:
    return build(la_data)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()

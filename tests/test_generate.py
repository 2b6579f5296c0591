"""The benchmark data generator: its output is valid data of the requested shape."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

from clustergraph.loader import load
from clustergraph.schema import ENTITY_COLLECTIONS
from clustergraph.yamlfile import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cg_bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _generator().generate
NODES = (*ENTITY_COLLECTIONS, "clusters", "reports")


def test_generated_data_loads_and_validates(tmp_path: Path) -> None:
    generate(400, tmp_path, seed=3)
    data = load(tmp_path, cache=False)
    counts = Counter(r.collection for r in data)
    assert sum(counts[c] for c in NODES) == 400
    assert 590 <= counts["partnerships"] <= 610
    for c in ("sources", "plans", "events", *NODES):
        assert counts[c] > 0, c


def test_partnerships_are_mostly_pairs_with_a_few_hubs(tmp_path: Path) -> None:
    generate(600, tmp_path, seed=1)
    partnerships = load(tmp_path, cache=False).of("partnerships")
    sizes = Counter(len(p.fields["members"]) for p in partnerships)
    assert sizes[2] > 0.7 * len(partnerships)
    degree = Counter(m for p in partnerships for m in p.fields["members"])
    top = degree.most_common(1)[0][1]
    assert top > 5 * (sum(degree.values()) / len(degree))  # skewed, not uniform


def test_same_seed_same_bytes_and_files_stay_small(tmp_path: Path) -> None:
    a = generate(200, tmp_path / "a", seed=9, chunk=50)
    b = generate(200, tmp_path / "b", seed=9, chunk=50)
    assert [p.name for p in a] == [p.name for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))
    assert any(p.name == "partnerships-006.yaml" for p in a)  # split into several files
    assert max(p.stat().st_size for p in a) < MAX_FILE_BYTES
    c = generate(200, tmp_path / "c", seed=10, chunk=50)
    assert [p.read_bytes() for p in c] != [p.read_bytes() for p in a]

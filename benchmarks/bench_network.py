"""Time the network analyses on a generated graph of 20,000 entities.

    python benchmarks/bench_network.py --entities 20000 [--seed 1] [--exact]

The data comes from benchmarks/generate.py (synthetic, never the LA data):
YAML -> build -> project, then `connectors` (sampled betweenness), `gaps`,
`summary` and a what-if, each timed alone. `--exact` also times exact
betweenness (igraph; NetworkX's would take tens of minutes, see docs/performance.md, "Engine choices")
and NetworkX's sampled betweenness and constraint on a slice, to show why
igraph computes them. Target (issue 5): connectors and gaps each under 10 s on
2 cores.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

from clustergraph.builder import build
from clustergraph.loader import load
from clustergraph.network import actors, betweenness, connectors, constraint, gaps, project, summary, without


def _time(what: str, f, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    out = f(*args, **kwargs)
    print(f"{what:<48} {time.perf_counter() - started:8.2f} s", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entities", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--exact", action="store_true", help="Also time exact betweenness and NetworkX kernels.")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _time(f"generate {args.entities} entities", generate, args.entities, Path(tmp), seed=args.seed)
        graph = _time("load + build", lambda: build(load(tmp)))
    G = _time("project (collaboration)", project, graph, "collaboration")
    H = actors(G)
    rels = H.edges(data="relations")
    partnered = sum(1 for *_, r in rels if any(x.startswith("partnership:") for x in r))
    print(f"network: {len(H)} entities, {H.number_of_edges()} links ({partnered} partnership links)")
    rows = _time("connectors (sampled betweenness, k=500)", connectors, G)
    _time("connectors --top 10", connectors, G, top=10)
    _time("summary", summary, G)
    result = _time("gaps", gaps, G)
    _time(f"without {rows[0]['id']}", without, G, rows[0]["id"])
    found = f"{len(result['suggestions'])} suggestions; {len(result['isolated'])} isolated"
    print(f"{len(rows)} connector rows; {found}")
    if args.exact:
        _time("betweenness exact (igraph)", betweenness, H, k=len(H) + 1)
        _time("betweenness sampled k=500 (networkx)", betweenness, H, backend="networkx")
        sample = random.Random(0).sample(list(H), 1000)
        import networkx as nx

        _time("constraint, 1,000 entities (networkx)", nx.constraint, H, nodes=sample)
        _time("constraint, all entities (igraph)", constraint, H)


if __name__ == "__main__":
    main()

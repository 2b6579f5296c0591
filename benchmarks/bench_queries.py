"""Time every named query on a generated graph, on Oxigraph and on rdflib's engine.

    python benchmarks/bench_queries.py --entities 20000 [--seed 1] [--rdflib-timeout 120] [--queries a,b]

The data comes from benchmarks/generate.py (synthetic, never the LA data). Each
rdflib run happens in a forked child so that a query the engine cannot finish
is stopped after --rdflib-timeout seconds instead of holding the benchmark.
Target (issue 4): every named query under 100 ms on Oxigraph at 20,000 entities.

Columns: rows returned; `oxigraph` is the whole `run_query` (binding, engine,
turning rows into Terms), best of three after a warm-up; `engine` is Oxigraph
alone (the same query text, solutions iterated but not converted), so
`oxigraph - engine` is the Python side; `rdflib` is one run of rdflib's engine
(`>N s` when stopped); `speed-up` is rdflib / oxigraph.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

from clustergraph import vocab
from clustergraph.build import BuiltGraph, build
from clustergraph.load import load
from clustergraph.query import NamedQuery, bind_params, named_queries, run_query, with_values

_GRAPH: BuiltGraph | None = None


def _params(graph: BuiltGraph, queries: dict[str, NamedQuery]) -> dict[str, dict[str, str]]:
    """Realistic parameter values: the busiest organisation, the biggest cluster, a sourced partnership."""
    top = run_query(queries["partnership-counts"], graph=graph).rows[0][0]
    cluster = run_query(queries["cluster-summary"], graph=graph).rows[0][0]
    base = graph.base
    org = top.value[len(base) :] if top else ""
    clu = cluster.value[len(base) :] if cluster else ""
    partners = run_query(queries["partners"], {"org": org}, graph=graph).rows
    record = partners[0][2].value[len(base) :] if partners and partners[0][2] else org
    return {
        "partners": {"org": org},
        "members-of": {"org": org},
        "cluster-links": {"cluster": clu},
        "sources-of": {"record": record},
        "search": {"text": "port"},
    }


def _time(q: NamedQuery, params: dict[str, str], engine: str) -> tuple[float, int]:
    assert _GRAPH is not None
    started = time.perf_counter()
    result = run_query(q, params, graph=_GRAPH, engine=engine)
    return time.perf_counter() - started, len(result.rows)


def _engine_only(q: NamedQuery, params: dict[str, str]) -> float:
    assert _GRAPH is not None
    text = with_values(q, bind_params(q, params, _GRAPH.base))
    prefixes = vocab.prefixes(_GRAPH.base)
    started = time.perf_counter()
    for _ in _GRAPH.store.query(text, prefixes=prefixes):  # type: ignore[union-attr]
        pass
    return time.perf_counter() - started


def _child(q: NamedQuery, params: dict[str, str], out: mp.Queue) -> None:  # type: ignore[type-arg]
    out.put(_time(q, params, "rdflib"))


def _rdflib_in_child(q: NamedQuery, params: dict[str, str], timeout: float) -> tuple[float, int] | None:
    ctx = mp.get_context("fork")
    out: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    proc = ctx.Process(target=_child, args=(q, params, out))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None
    return out.get() if not out.empty() else None


def main() -> None:
    global _GRAPH
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entities", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rdflib-timeout", type=float, default=120.0)
    ap.add_argument("--queries", default="", help="comma-separated names (default: all)")
    args = ap.parse_args()
    only = {n for n in args.queries.split(",") if n}
    with tempfile.TemporaryDirectory() as tmp:
        generate(args.entities, tmp, seed=args.seed)
        started = time.perf_counter()
        _GRAPH = build(load(tmp))
        took = time.perf_counter() - started
        print(f"{args.entities} entities: {len(_GRAPH)} triples, loaded and built in {took:.1f} s")
    queries = named_queries()
    params = _params(_GRAPH, queries)
    print(f"{'query':34} {'rows':>7} {'oxigraph':>10} {'engine':>10} {'rdflib':>10} {'speed-up':>9}")
    for name, q in queries.items():
        if only and name not in only:
            continue
        p = params.get(name, {})
        _time(q, p, "oxigraph")  # warm the store's caches once
        ox_s, rows = min(_time(q, p, "oxigraph") for _ in range(3))
        engine_s = min(_engine_only(q, p) for _ in range(3))
        rd = _rdflib_in_child(q, p, args.rdflib_timeout)
        rd_text = f"{rd[0] * 1000:8.0f}ms" if rd else f">{args.rdflib_timeout:.0f} s".rjust(10)
        ratio = f"{rd[0] / ox_s:8.0f}x" if rd else "       -"
        flag = "" if ox_s < 0.1 else "  over 100 ms"
        same = "" if rd is None or rd[1] == rows else f"  ROW COUNTS DIFFER ({rd[1]})"
        print(
            f"{name:34} {rows:7} {ox_s * 1000:8.1f}ms {engine_s * 1000:8.1f}ms {rd_text} {ratio}{flag}{same}",
            flush=True,
        )


if __name__ == "__main__":
    main()

"""Push, read back and query a generated graph on real servers: Oxigraph and Virtuoso.

    python benchmarks/bench_servers.py [--sizes S,M] [--servers oxigraph,virtuoso] [--seed 1]
                                       [--buffers 170000] [--constructed-up-to 300000]

For each size (entities as in benchmarks/run.py: S 1,000, M 20,000, L 200,000), the data
comes from benchmarks/generate.py (synthetic, never the LA data) and is built once. Each
server is started fresh on free 127.0.0.1 ports in a temporary directory (tests/_servers.py),
then, as a user runs them:

- push: `graphstore.push` in ten chunks (`--chunk`: a DELETE, then POSTs) into an empty
  server (Virtuoso: Digest as dba on /sparql-graph-crud-auth), the same again (replacing
  it), and last one streamed PUT replacing it (given --put-timeout seconds: on Virtuoso a
  PUT of 781,000 triples did not finish);
- read back: the graph as an edition, by Graph Store GET (`--store`) and, up to
  --constructed-up-to triples, by CONSTRUCT in pages of 10,000 (`--endpoint` alone);
- every named query through `--endpoint` with `--default-graph`, best of three after a
  warm-up, beside the same query on the local Oxigraph engine; `same` says whether the
  server's rows equal the local ones.

Seconds are wall-clock on this machine, which other work shares: read ratios, not
absolutes. `x_floor` is the time over the YAML floor of the same run (`yaml.load` with
CSafeLoader over the same files). Results go to benchmarks/results/servers-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/_servers.py starts the servers

from bench_queries import _params
from generate import generate

from clustergraph.auth import Credentials
from clustergraph.builder import BuiltGraph, build
from clustergraph.errors import QueryError
from clustergraph.graphstore import push
from clustergraph.loader import load
from clustergraph.querying import named_queries, run_query
from clustergraph.remote import Remote, read_remote
from tests._servers import OXIGRAPH, VIRTUOSO, Server, oxigraph_server, virtuoso_server

HERE = Path(__file__).resolve().parent
SIZES = {"S": 1_000, "M": 20_000, "L": 200_000}
GRAPH = "https://w3id.org/clustergraph/id/graph/bench"
RESULTS = HERE / "results"


def _floor(data: Path) -> float:
    import yaml

    started = time.perf_counter()
    for path in sorted(data.rglob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - started


def _timed(fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def _best(fn: Any, runs: int = 3) -> tuple[float, Any]:
    fn()  # warm-up: the server's caches, our imports
    times, out = [], None
    for _ in range(runs):
        t, out = _timed(fn)
        times.append(t)
    return min(times), out


def _start(name: str, where: Path, buffers: int) -> AbstractContextManager[Server]:
    return oxigraph_server(where) if name == "oxigraph" else virtuoso_server(where, buffers=buffers)


def bench_server(name: str, graph: BuiltGraph, floor: float, args: argparse.Namespace) -> dict[str, Any]:
    row: dict[str, Any] = {"server": name}
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        ctx = _start(name, Path(tmp), args.buffers)
        started = time.perf_counter()
        with ctx as server:
            row["start_s"] = round(time.perf_counter() - started, 2)
            store = server.store_auth or server.store
            auth = Credentials(server.user, password=server.password) if server.user else None
            chunk = max(10_000, len(graph) // 10)
            row["chunk"] = chunk
            t, _ = _timed(lambda: push(graph, store, GRAPH, timeout=3600, auth=auth, chunk=chunk))
            row["push_chunked_s"], row["push_x_floor"] = round(t, 2), round(t / floor, 2)
            t, _ = _timed(lambda: push(graph, store, GRAPH, timeout=3600, auth=auth, chunk=chunk))
            row["repush_chunked_s"] = round(t, 2)  # replacing what the first push wrote
            remote = Remote(server.query, (GRAPH,), timeout=3600)
            read_store = server.store or server.store_auth
            t, back = _timed(
                lambda: read_remote(Remote(server.query, (GRAPH,), store=read_store, timeout=3600))
            )
            row["read_gsp_s"] = round(t, 2)
            row["read_gsp_same"] = len(back) == len(graph)
            if len(graph) <= args.constructed_up_to:
                t, back = _timed(lambda: read_remote(remote))
                row["read_construct_s"] = round(t, 2)
                row["read_construct_same"] = len(back) == len(graph)
            row["queries"] = _queries(graph, remote)
            # Last, as it may not finish (Virtuoso at M): one PUT replacing the whole graph.
            try:
                t, _ = _timed(lambda: push(graph, store, GRAPH, timeout=args.put_timeout, auth=auth))
                row["repush_put_s"] = round(t, 2)
            except QueryError as exc:
                row["repush_put_s"] = None
                row["repush_put_error"] = str(exc)[:200]
    return row


def _queries(graph: BuiltGraph, remote: Remote) -> list[dict[str, Any]]:
    params = _params(graph)
    out = []
    for name, q in sorted(named_queries().items()):
        given = params.get(name, {})
        t_local, local = _best(lambda q=q, given=given: run_query(q, given, graph=graph))
        try:
            t_remote, answer = _best(lambda q=q, given=given: run_query(q, given, endpoint=remote))
            same = (answer.vars, answer.rows) == (local.vars, local.rows)
            cell: dict[str, Any] = {"remote_ms": round(t_remote * 1000, 1), "same": same}
        except Exception as exc:  # a server that cannot answer: say so, go on
            cell = {"remote_ms": None, "error": str(exc)[:200]}
        out.append({"query": name, "rows": len(local.rows), "local_ms": round(t_local * 1000, 1), **cell})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,M")
    parser.add_argument("--servers", default="oxigraph,virtuoso")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--buffers", type=int, default=170_000, help="Virtuoso NumberOfBuffers")
    parser.add_argument("--constructed-up-to", type=int, default=300_000, help="triples")
    parser.add_argument("--put-timeout", type=float, default=600, help="seconds for the single PUT")
    args = parser.parse_args()
    present = {"oxigraph": OXIGRAPH, "virtuoso": VIRTUOSO}
    servers = [s for s in args.servers.split(",") if s]
    for s in servers:
        if not present.get(s):
            print(f"{s}: not installed, skipped", file=sys.stderr)
    servers = [s for s in servers if present.get(s)]
    doc: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "virtuoso_buffers": args.buffers,
        "sizes": [],
    }
    for size in args.sizes.split(","):
        entities = SIZES[size]
        with tempfile.TemporaryDirectory(prefix=f"bench-data-{size}-") as tmp:
            data = Path(tmp) / "data"
            generate(entities, data, args.seed)
            floor = _floor(data)
            graph = build(load(data, cache=False))
            entry: dict[str, Any] = {
                "size": size,
                "entities": entities,
                "triples": len(graph),
                "floor_s": round(floor, 2),
                "servers": [],
            }
            print(
                f"{size}: {entities:,} entities, {len(graph):,} triples, floor {floor:.2f} s", file=sys.stderr
            )
            for name in servers:
                row = bench_server(name, graph, floor, args)
                entry["servers"].append(row)
                _print(size, row)
            doc["sizes"].append(entry)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"servers-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(doc, indent=2))
    (RESULTS / "servers-latest.json").write_text(json.dumps(doc, indent=2))
    print(f"wrote {out}", file=sys.stderr)


def _print(size: str, row: dict[str, Any]) -> None:
    qs = row["queries"]
    remote = [q["remote_ms"] for q in qs if q.get("remote_ms") is not None]
    local = [q["local_ms"] for q in qs]
    same = sum(1 for q in qs if q.get("same"))
    keys = [k for k in row if k.endswith("_s")]
    print(f"{size} {row['server']}: " + ", ".join(f"{k} {row[k]}" for k in keys), file=sys.stderr)
    print(
        f"  queries: {same}/{len(qs)} same as local; remote total {sum(remote):.0f} ms, "
        f"max {max(remote, default=0):.0f} ms; local total {sum(local):.0f} ms",
        file=sys.stderr,
    )
    for q in qs:
        verdict = "same" if q.get("same") else q.get("error", "DIFFERENT")
        print(
            f"    {q['query']:<34} rows {q['rows']:>7}  local {q['local_ms']:>8} ms  "
            f"remote {q.get('remote_ms')!s:>8} ms  {verdict}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()

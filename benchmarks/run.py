"""The benchmark suite behind `make bench`: every pipeline step at S, M, 50K and L.

    python benchmarks/run.py [--sizes S,M,50K,L] [--commands all] [--seed 1] [--timeout 3600]
    python benchmarks/run.py --markdown benchmarks/results/latest.json

For each size, synthetic data is generated into a temporary directory
(benchmarks/generate.py), then each measurement runs in a fresh Python process
so that one step's memory does not count against the next:

- floor: `yaml.load(..., Loader=yaml.CSafeLoader)` over the same files, nothing else.
- pipeline: load+validate, build, Turtle, re-loads through the file cache, the
  named queries, network projection, connectors, gaps and the map, each step
  timed alone. Steps whose modules do not exist yet are skipped with a note.
- `clustergraph build DIR -o FILE.ttl` as a user runs it (cache off, then on),
  `clustergraph validate DIR` (YAML checks and SHACL), and every command a user runs
  on a whole edition (connectors, gaps, communities, summary, query, export, map,
  report, site: `--commands`), each in its own process with the cache off, so that its
  peak memory is the command's own.

Seconds are wall-clock; `cpu` is user+system time of the process (steadier on a
busy machine); peak memory is the process's peak resident set during the step
(Linux resets it per step through /proc/self/clear_refs; elsewhere it is the
peak so far). Ratios are to the floor measured in the same run (`x floor` on wall
seconds, `x cpu` on cpu seconds, the steadier on a shared machine). Results go to
benchmarks/results/<time>-<commit>.json and benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZES = {"S": 1_000, "M": 20_000, "50K": 50_000, "L": 200_000}
SHACL_UP_TO = 200_000  # entities: `validate` with SHACL is timed up to this size

# Every command a user runs on a whole edition, timed as the user runs it (fresh process,
# cache off): its peak memory is the figure "under 4 GiB at L" is about.
USER_COMMANDS: list[tuple[str, list[str]]] = [
    ("connectors", ["connectors", "{data}", "--top", "10"]),
    ("gaps", ["gaps", "{data}"]),
    ("communities", ["communities", "{data}"]),
    ("summary", ["summary", "{data}"]),
    ("query", ["query", "partnership-counts", "{data}"]),
    ("export", ["export", "{data}", "--format", "graphml", "-o", "{out}/network.graphml"]),
    ("map", ["map", "{data}", "-o", "{out}/map.html"]),
    ("report", ["report", "{data}", "-o", "{out}/report.html"]),
    ("site", ["site", "{data}", "-o", "{out}/site"]),
]

# Timed a second time on warm caches: the commands the edition cache serves (the
# others build the graph again, from the records' cache, as `build, cache warm` does).
WARM_COMMANDS = ("connectors", "gaps", "communities", "summary", "map", "report")

# ---------------------------------------------------------------- measuring


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _reset_peak() -> None:
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # Linux: peak RSS (VmHWM) starts again from the current RSS


def _peak_mib() -> float:
    with contextlib.suppress(OSError), open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def _emit(row: dict[str, Any]) -> None:
    print(json.dumps(row), flush=True)


@contextlib.contextmanager
def _step(name: str, **extra: Any) -> Iterator[dict[str, Any]]:
    """Time one step and print its row as a JSON line (the parent reads them as they come)."""
    row: dict[str, Any] = {"step": name, **extra}
    gc.collect()
    _reset_peak()
    wall, cpu = time.perf_counter(), _cpu()
    yield row
    row["seconds"] = round(time.perf_counter() - wall, 3)
    row["cpu"] = round(_cpu() - cpu, 3)
    row["peak_mib"] = round(_peak_mib(), 1)
    _emit(row)


def _skip(name: str, why: str) -> None:
    _emit({"step": name, "skipped": why})


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


# ---------------------------------------------------------------- workers (run in a child process)


def worker_floor(data: Path) -> None:
    import yaml

    files = sorted(data.rglob("*.yaml"))
    with _step("floor: yaml.load with CSafeLoader", files=len(files)) as row:
        for path in files:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        row["mb"] = round(sum(p.stat().st_size for p in files) / 1e6, 1)


def worker_pipeline(data: Path, scratch: Path) -> None:
    from clustergraph.builder import build
    from clustergraph.loader import load

    with _step("load+validate") as row:
        records = load(data, cache=False)
        row["records"] = len(records)
    with _step("build") as row:
        graph = build(records)
        row["triples"] = len(graph)
    with _step("turtle"), open(scratch / "graph.ttl", "wb") as f:
        graph.serialize("turtle", f)
    _cache_steps(data, records)
    _query_steps(graph, records)
    _network_steps(graph)


def _cache_steps(data: Path, records: Any) -> None:
    from clustergraph.loader import load

    os.environ["CLUSTERGRAPH_CACHE"] = "1"  # the other steps run with it off

    with _step("load, filling the cache"):
        load(data)
    with _step("load, cache warm") as row:
        again = load(data)
        row["same_records"] = again.records == records.records
    first = sorted(data.rglob("*.yaml"))[0]
    original = first.read_bytes()
    first.write_bytes(original + b"\n# edited\n")
    try:
        with _step("load, one file edited") as row:
            load(data)
            row["file_mb"] = round(len(original) / 1e6, 2)
    finally:
        first.write_bytes(original)


def _query_steps(graph: Any, records: Any) -> None:
    if not _has("clustergraph.querying"):
        _skip("named queries", "clustergraph.querying not there yet")
        return
    from clustergraph.querying import named_queries, run_query

    # A parameter without a default gets a real, well-connected id (or a search word).
    hub = max(records.of("organizations") or records.records, key=lambda r: len(r.fields)).id
    per_query: dict[str, float] = {}
    with _step("named queries") as row:
        for name, q in sorted(named_queries().items()):
            params: dict[str, str] = {}
            for p in q.params:
                if p.default is None:
                    params[p.name] = hub if p.type in ("id", "iri") else "a"
            started = time.perf_counter()
            try:
                result = run_query(q, params, graph=graph)
                per_query[name] = round(time.perf_counter() - started, 3)
                del result
            except Exception as exc:  # a broken query is a finding, not a reason to stop
                per_query[name] = -1.0
                row.setdefault("failed", {})[name] = f"{type(exc).__name__}: {exc}"[:200]
        row["queries"] = per_query
        row["slowest"] = max(per_query, key=lambda k: per_query[k]) if per_query else None


def _network_steps(graph: Any) -> None:
    if not _has("clustergraph.network"):
        for name in ("project", "connectors", "gaps", "map"):
            _skip(name, "clustergraph.network not there yet")
        return
    from clustergraph.network import connectors, gaps, project

    with _step("project (RDF -> NetworkX)") as row:
        G = project(graph)
        row["nodes"], row["edges"] = G.number_of_nodes(), G.number_of_edges()
    with _step("connectors"):
        rows = connectors(G)
    with _step("gaps"):
        gaps(G)
    structure = _structure_steps(graph, G)
    if not _has("clustergraph.render.map"):
        _skip("map", "clustergraph.render.map not there yet")
        return
    from clustergraph.render.map import map_data, map_html

    with _step("map") as row:
        extra: dict[str, Any] = {}
        if structure is not None:  # what `clustergraph map` adds: communities (cached), first years
            from clustergraph.network.dated import first_years

            found, known = structure
            extra = {"communities": found.membership, "years": first_years(G, known)}
        data = map_data(G, measures={r["id"]: r for r in rows}, connectors=rows[:10], **extra)
        row["html_mb"] = round(len(map_html(data, "benchmark", "The whole network")) / 1e6, 1)


def _structure_steps(graph: Any, G: Any) -> tuple[Any, Any] | None:
    """Communities, the mixing measures and the network on a date, on the network the map draws.

    Returns the communities and the dated facts, which the map step uses as `clustergraph map` does.
    """
    if not _has("clustergraph.network.communities"):
        _skip("communities", "clustergraph.network.communities not there yet")
        return None
    from clustergraph.network import communities, structure
    from clustergraph.network.dated import dates, network_at

    with _step("communities (Leiden)") as row:
        found = communities(G)
        row["communities"], row["modularity"] = len(found.rows), found.modularity
    with _step("structure (E-I, assortativity, cores, helix)"):
        structure(G)
    with _step("network at a date (read dates + filter)") as row:
        known = dates(graph)
        H = network_at(G, "2012", known)
        row["nodes"], row["edges"] = H.number_of_nodes(), H.number_of_edges()
    return found, known


# ---------------------------------------------------------------- the parent


def _child(args: list[str], timeout: float, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Run a worker, collecting its JSON lines even when it dies or times out."""
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    rows: list[dict[str, Any]] = []
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env) as proc:
        timer = threading.Timer(timeout, proc.kill)  # a step may run long without printing
        timer.start()
        assert proc.stdout is not None
        for line in proc.stdout:
            with contextlib.suppress(json.JSONDecodeError):
                rows.append(json.loads(line))
        code = proc.wait()
        timer.cancel()
    if code == -9:
        rows.append({"step": "(stopped)", "skipped": f"worker passed its {timeout:.0f} s limit"})
    elif code != 0:
        rows.append({"step": "(worker failed)", "skipped": f"exit code {code}"})
    return rows


def _command(name: str, argv: list[str], env: dict[str, str], repeat: int = 1) -> dict[str, Any]:
    """Wall time and peak memory of a whole command, the way a user runs it (best of `repeat`)."""
    best: dict[str, Any] = {}
    for _ in range(repeat):
        # stderr to a file, not a pipe: a command that warns more than a pipe holds
        # (64 KiB: `validate` of generated data warns of every unsourced record)
        # would block on it while we wait for it to end
        with tempfile.TemporaryFile() as errors:
            started = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            errors.seek(0)
            err = errors.read().decode(errors="replace")
        row = {
            "step": name,
            "seconds": round(seconds, 3),
            "cpu": round(usage.ru_utime + usage.ru_stime, 3),
            "peak_mib": round(usage.ru_maxrss / 1024, 1),
        }
        if proc.returncode != 0:
            row["failed"] = err.strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
        if not best or row["seconds"] < best["seconds"]:
            best = row
    return best


def bench_size(
    label: str,
    entities: int,
    seed: int,
    timeout: float,
    exe: list[str],
    commands: set[str] | None = None,
    leftovers: list[Path] | None = None,
) -> dict[str, Any]:
    """One size's rows. Its folder (data, sites: 600,000 files at L) is removed at the end, or
    handed to `leftovers` for the caller to remove after the last size: on ext4 a file made
    in the minutes after many were deleted costs up to ten times the system time, and the
    next size's sites would pay it (docs/site.md)."""
    tmp = Path(tempfile.mkdtemp(prefix=f"clustergraph-bench-{label}-"))
    try:
        data = tmp / "data"
        started = time.perf_counter()
        # generated in a child, so this launcher stays small: a child started by
        # vfork counts the launcher's resident memory in its own peak
        gen = [sys.executable, str(HERE / "generate.py"), "--entities", str(entities), "--out", str(data)]
        subprocess.run([*gen, "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
        files = sorted(data.rglob("*.yaml"))
        info = {
            "size": label,
            "entities": entities,
            "files": len(files),
            "mb": round(sum(p.stat().st_size for p in files) / 1e6, 1),
            "generate_seconds": round(time.perf_counter() - started, 1),
        }
        print(f"{label}: {entities:,} entities, {info['mb']} MB in {len(files)} files", file=sys.stderr)
        env = {**os.environ, "CLUSTERGRAPH_CACHE": "0", "CLUSTERGRAPH_PROGRESS": "0"}
        rows = _child(["--worker", "floor", str(data)], timeout, env)
        rows += _child(["--worker", "pipeline", str(data), str(tmp)], timeout, env)
        out = str(tmp / "cli.ttl")
        cli = [*exe, "build", str(data), "-o", out]
        rows.append(_command("clustergraph build (whole command)", cli, env))
        cached = {**env, "CLUSTERGRAPH_CACHE": "1"}
        _command("(fill cache)", cli, cached)
        rows.append(_command("clustergraph build, cache warm", cli, cached))
        check = "clustergraph validate (YAML + SHACL)"
        if entities <= SHACL_UP_TO:
            rows.append(_command(check, [*exe, "validate", str(data)], env))
        else:
            rows.append({"step": check, "skipped": f"above {SHACL_UP_TO:,} entities (not timed)"})
        chosen = [(n, [a.format(data=data, out=tmp) for a in args]) for n, args in USER_COMMANDS]
        chosen = [(n, argv) for n, argv in chosen if commands is None or n in commands]
        for name, argv in chosen:
            rows.append(_command(f"clustergraph {name} (whole command)", [*exe, *argv], env))
        if any(name in WARM_COMMANDS for name, _ in chosen):
            # A second run on unchanged data reads the networks, dates and aliases the
            # first kept (the edition cache): `summary` keeps the partnerships network
            # the analyses read, `map` every relation's (the map's and the report's).
            for name in ("summary", "map"):
                fill = [a.format(data=data, out=tmp) for a in dict(USER_COMMANDS)[name]]
                step = f"clustergraph {name} (fills edition cache)"
                rows.append(_command(step, [*exe, *fill], cached))
            for name, argv in chosen:
                if name in WARM_COMMANDS:
                    rows.append(_command(f"clustergraph {name}, cache warm", [*exe, *argv], cached))
        floor = next((r["seconds"] for r in rows if r["step"].startswith("floor")), None)
        floor_cpu = next((r["cpu"] for r in rows if r["step"].startswith("floor")), None)
        for r in rows:
            if floor and "seconds" in r:
                r["x_floor"] = round(r["seconds"] / floor, 2)
                r["x_floor_cpu"] = round(r["cpu"] / floor_cpu, 2) if floor_cpu else None
        pipeline = [r for r in rows if r["step"] in ("load+validate", "build", "turtle")]
        if floor and len(pipeline) == 3:
            seconds = sum(r["seconds"] for r in pipeline)
            cpu = sum(r["cpu"] for r in pipeline)
            rows.append(
                {
                    "step": "load+validate+build+turtle",
                    "seconds": round(seconds, 3),
                    "cpu": round(cpu, 3),
                    "peak_mib": max(r["peak_mib"] for r in pipeline),
                    "x_floor": round(seconds / floor, 2),
                    "x_floor_cpu": round(cpu / floor_cpu, 2) if floor_cpu else None,
                }
            )
        return {**info, "steps": rows}
    finally:
        if leftovers is None:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            leftovers.append(tmp)


def startup(exe: list[str]) -> list[dict[str, Any]]:
    env = {**os.environ, "CLUSTERGRAPH_PROGRESS": "0"}
    return [
        _command("clustergraph --help", [*exe, "--help"], env, repeat=5),
        _command("clustergraph queries", [*exe, "queries"], env, repeat=5),
    ]


def table(results: dict[str, Any]) -> str:
    lines = [
        f"{'size':<5} {'step':<42} {'seconds':>9} {'cpu s':>8} {'peak MiB':>9} {'x floor':>8} {'x cpu':>6}",
        "-" * 93,
    ]
    for size in results["sizes"]:
        what = f"{size['entities']:,} entities, {size['mb']} MB of YAML in {size['files']} files"
        lines.append(f"{size['size']} = {what}")
        for r in size["steps"]:
            if "skipped" in r:
                lines.append(f"{size['size']:<5} {r['step']:<42} {'skipped: ' + r['skipped']}")
                continue
            x = f"{r['x_floor']:.2f}" if r.get("x_floor") is not None else ""
            xc = f"{r['x_floor_cpu']:.2f}" if r.get("x_floor_cpu") is not None else ""
            flag = "  FAILED" if r.get("failed") else ""
            lines.append(
                f"{size['size']:<5} {r['step'][:42]:<42} {r['seconds']:>9.2f} {r['cpu']:>8.2f}"
                f" {r['peak_mib']:>9.0f} {x:>8} {xc:>6}{flag}"
            )
    for r in results.get("startup", []):
        lines.append(f"{'':<5} {r['step']:<42} {r['seconds']:>9.3f} {r['cpu']:>8.3f} {r['peak_mib']:>9.0f}")
    return "\n".join(lines)


def markdown(results: dict[str, Any]) -> str:
    """The results as the Markdown table docs/performance.md shows (`run.py --markdown FILE.json`)."""
    lines = [
        "| size | step | wall s | cpu s | x floor (wall) | x floor (cpu) | peak MiB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in results["sizes"]:
        for r in size["steps"]:
            if r["step"].startswith("("):
                continue
            if "skipped" in r:
                lines.append(f"| {size['size']} | {r['step']} | skipped: {r['skipped']} | | | | |")
                continue
            x = f"{r['x_floor']:.2f}" if r.get("x_floor") is not None else ""
            xc = f"{r['x_floor_cpu']:.2f}" if r.get("x_floor_cpu") is not None else ""
            failed = " (failed)" if r.get("failed") else ""
            lines.append(
                f"| {size['size']} | {r['step']}{failed} | {r['seconds']:.2f} | {r['cpu']:.2f} | {x} | {xc}"
                f" | {r['peak_mib']:,.0f} |"
            )
    for r in results.get("startup", []):
        lines.append(f"| | {r['step']} | {r['seconds']:.3f} | {r['cpu']:.3f} | | | {r['peak_mib']:,.0f} |")
    return "\n".join(lines)


def _machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    mem = ""
    with contextlib.suppress(OSError), open("/proc/meminfo") as f:
        mem = f"{int(f.readline().split()[1]) / 2**20:.0f} GiB"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "system": platform.platform(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def _commit() -> str:
    try:
        git = ["git", "rev-parse", "--short", "HEAD"]
        out = subprocess.run(git, capture_output=True, text=True, cwd=HERE)
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=HERE).returncode != 0
        return out.stdout.strip() + ("-dirty" if dirty else "")
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="S,M,50K,L", help="comma-separated, from S, M, 50K, L [default: all]")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=3600, help="seconds allowed per worker")
    ap.add_argument(
        "--commands",
        default="all",
        help=f"whole commands to time, comma-separated: {', '.join(n for n, _ in USER_COMMANDS)}; all; none",
    )
    ap.add_argument("--markdown", metavar="RESULTS.json", help="print a results file as Markdown")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.markdown:
        print(markdown(json.loads(Path(args.markdown).read_text(encoding="utf-8"))))
        return
    if args.worker:
        kind, *paths = args.worker
        workers: dict[str, Callable[..., None]] = {"floor": worker_floor, "pipeline": worker_pipeline}
        workers[kind](*map(Path, paths))
        return
    labels = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in labels if s not in SIZES]
    if unknown:
        ap.error(f"unknown size {', '.join(unknown)}; sizes: {', '.join(SIZES)}")
    known = {n for n, _ in USER_COMMANDS}
    commands = None if args.commands == "all" else {c.strip() for c in args.commands.split(",") if c.strip()}
    if commands is not None:
        commands.discard("none")
        if commands - known:
            unknown_commands = ", ".join(sorted(commands - known))
            ap.error(f"unknown command {unknown_commands}; commands: {', '.join(sorted(known))}")
    exe = [str(Path(sys.executable).with_name("clustergraph"))]
    if not Path(exe[0]).exists():
        exe = [sys.executable, "-m", "clustergraph"]
    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "commit": _commit(),
        "machine": _machine(),
        "sizes": [],
        "startup": [],
    }
    leftovers: list[Path] = []
    try:
        for s in labels:  # a table per size as soon as it is done: L takes a while
            row = bench_size(s, SIZES[s], args.seed, args.timeout, exe, commands, leftovers)
            results["sizes"].append(row)
            print(table({"sizes": results["sizes"][-1:]}), file=sys.stderr)
        results["startup"] = startup(exe)
    finally:
        for tmp in leftovers:
            shutil.rmtree(tmp, ignore_errors=True)
    results["machine"]["load_average_after"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    text = table(results)
    print(text)
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    name = f"{time.strftime('%Y%m%d-%H%M%S')}-{results['commit']}.json"
    for target in (out_dir / name, out_dir / "latest.json"):
        target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {out_dir / name}", file=sys.stderr)


if __name__ == "__main__":
    main()

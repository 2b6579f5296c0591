"""Time `clustergraph site` against `clustergraph build` on the same generated data.

    python benchmarks/bench_site.py [--entities 200,20000] [--seed 1] [--no-map]

For each size, synthetic data is generated (benchmarks/generate.py, never the LA data),
then each command runs once in a fresh process with the file cache off, as a user
runs it: the YAML floor (`yaml.load` with CSafeLoader over the same files), `clustergraph
build DIR -o FILE.ttl`, and `clustergraph site DIR -o OUT` (with the map, and without it:
`--no-map`). Then, in one process, the site's own steps are timed alone: opening the
edition (load + build), the analyses the pages show (projection, connectors, gaps,
summary, progress), and writing the pages. Ratios are to the build of the same run.

Targets (issue 18): pages for 200 records in under 2 s; for 20,000 entities in at most
2x the build's time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

BIN = Path(sys.executable).parent / "clustergraph"


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall-clock, cpu) seconds of one command in a fresh process; cpu is steadier on a busy machine."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, args)
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def _floor(files: list[Path]) -> float:
    code = (
        "import sys, time, yaml\n"
        "t = time.perf_counter()\n"
        "for f in sys.argv[1:]:\n"
        "    yaml.load(open(f, 'rb'), Loader=yaml.CSafeLoader)\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, files)], check=True, capture_output=True, text=True
    )
    return float(out.stdout)


def _steps(data: Path, out: Path) -> list[tuple[str, float, float]]:
    from clustergraph.edition import open_edition
    from clustergraph.render.site import _write_all, site_from

    steps = []
    t, c = time.perf_counter(), time.process_time()
    ed = open_edition(str(data))
    steps.append(("  open the edition (load + build)", time.perf_counter() - t, time.process_time() - c))
    t, c = time.perf_counter(), time.process_time()
    site = site_from(ed)
    what = "  analyses (project, connectors, gaps, summary, progress)"
    steps.append((what, time.perf_counter() - t, time.process_time() - c))
    t, c = time.perf_counter(), time.process_time()
    out.mkdir()
    pages, files, size, _ = _write_all(site, out, with_map=False)
    what = f"  pages ({pages:,} pages, {files:,} files, {size / 1e6:.1f} MB, no map)"
    steps.append((what, time.perf_counter() - t, time.process_time() - c))
    return steps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", default="200,20000", help="comma-separated sizes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-map", action="store_true", help="skip the run with the map (the slowest)")
    args = ap.parse_args()
    env = {**os.environ, "CLUSTERGRAPH_CACHE": "off", "SOURCE_DATE_EPOCH": "0"}
    print(f"{'entities':>8}  {'step':<62} {'wall s':>7} {'cpu s':>7} {'cpu x build':>11}")
    for n in (int(x) for x in args.entities.split(",")):
        with tempfile.TemporaryDirectory(prefix="cg-bench-site-") as tmp:
            root = Path(tmp)
            files = generate(n, root / "data", seed=args.seed)
            data = str(root / "data")

            def show(what: str, wall: float, cpu: float, build: float | None, n: int = n) -> None:
                ratio = f"{cpu / build:>10.2f}x" if build else f"{'':>11}"
                print(f"{n:>8,}  {what:<62} {wall:>7.2f} {cpu:>7.2f} {ratio}", flush=True)

            floor = _floor(files)
            show("floor: yaml.load with CSafeLoader", floor, floor, None)
            build = _run([str(BIN), "build", data, "-o", str(root / "g.ttl")], env)
            show("clustergraph build (whole command)", *build, build[1])
            bare = _run([str(BIN), "site", data, "-o", str(root / "site2"), "--no-map"], env)
            show("clustergraph site --no-map (whole command)", *bare, build[1])
            for what, wall, cpu in _steps(root / "data", root / "site3"):
                show(what, wall, cpu, build[1])
            if not args.no_map:
                full = _run([str(BIN), "site", data, "-o", str(root / "site")], env)
                show("clustergraph site (whole command, with the map)", *full, build[1])


if __name__ == "__main__":
    main()

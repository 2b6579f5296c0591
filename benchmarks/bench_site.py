"""Time `clustergraph site` against `clustergraph build` on the same generated data.

    python benchmarks/bench_site.py [--entities 200,20000] [--data DIR ...] [--seed 1]
                                    [--no-map] [--no-steps] [--jobs N]

For each size, synthetic data is generated (benchmarks/generate.py, never the LA data),
or an existing data folder is read (`--data DIR`, e.g. written by `generate.py`; only read);
then each command runs once in a fresh process with the file cache off, as a user
runs it: the YAML floor (`yaml.load` with CSafeLoader over the same files), `clustergraph
build DIR -o FILE.ttl`, and `clustergraph site DIR -o OUT` (without the map: `--no-map`,
and with it). Each command's row gives wall and CPU seconds (its worker processes
included), the peak resident memory of the command's own process and of its largest
worker, and the peak of the whole process tree counted once (PSS: pages the workers
share with the parent count once), sampled every 0.2 s. Then, in one process, the site's
own steps are timed alone (`--no-steps` skips them): opening the edition (load + build),
the analyses the pages show (projection, connectors, gaps, summary, progress), preparing
the pages' data, and writing the pages. Ratios are of CPU seconds to the build's; the
target of issue 21 (the site at 200,000 entities at most 2x the build, on both cores)
is about wall seconds on a quiet machine, so both are printed.

Targets (issue 18): pages for 200 records in under 2 s; for 20,000 entities in at most
2x the build's time. Issue 21: at 200,000 entities, pages written on both cores, at most
2x the build, peak memory under 4 GiB.
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


def _tree(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = [int(x) for x in f.read().split()]
    except OSError:
        return [pid]
    return [pid, *(q for k in kids for q in _tree(k))]


def _rss(pid: int, field: str = "VmRSS") -> int:
    """Resident memory in KiB of one process (VmHWM: its peak so far), 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss(pid: int) -> int:
    """Proportional memory in KiB of one process (shared pages divided among their users)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Ran:
    """One command: wall and CPU seconds, peak MiB of the process, its largest worker, the tree."""

    def __init__(self, wall: float, cpu: float, parent: float, child: float, tree: float) -> None:
        self.wall, self.cpu, self.parent, self.child, self.tree = wall, cpu, parent, child, tree


# Memory is read every 0.2 s (/proc/PID/status, cheap); the tree's PSS every 2 s:
# smaps_rollup walks every page of the process, and at 200,000 entities (three processes of
# 4 GiB) reading it five times a second took most of a core from the command measured.
_PSS_EVERY = 10


def _run(args: list[str], env: dict[str, str]) -> Ran:
    """Run one command in a fresh process, sampling its memory and its workers' until it ends."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = child = tree = 0
    samples = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        pids = _tree(proc.pid)
        # The command's own peak as the kernel keeps it (a worker forked from it starts with
        # the parent's figure, so the workers' are sampled).
        parent = max(parent, _rss(proc.pid, "VmHWM"))
        child = max([child, *(_rss(q) for q in pids[1:])])
        if samples % _PSS_EVERY == 0:
            tree = max(tree, sum(_pss(q) for q in pids))
        samples += 1
        time.sleep(0.2)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, args)
    # ru_maxrss: the peak of the process or of a worker it waited for, caught between samples too.
    parent = max(parent, usage.ru_maxrss if not child else 0)
    wall = time.perf_counter() - started
    return Ran(wall, usage.ru_utime + usage.ru_stime, parent / 1024, child / 1024, tree / 1024)


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


def _steps(data: Path, out: Path, jobs: int | None) -> list[tuple[str, float, float]]:
    from clustergraph.edition import open_edition
    from clustergraph.render.site import _write_all, default_jobs, site_from

    steps = []
    t, c = time.perf_counter(), time.process_time()
    ed = open_edition(str(data))
    ed.graph  # noqa: B018 - load and build now, to time them alone
    steps.append(("  open the edition (load + build)", time.perf_counter() - t, time.process_time() - c))
    t, c = time.perf_counter(), time.process_time()
    ed.network("all")
    steps.append(("  project the network", time.perf_counter() - t, time.process_time() - c))
    jobs = jobs or default_jobs()
    t, c0 = time.perf_counter(), os.times()
    site = site_from(ed, jobs)
    what = f"  analyses ({jobs} processes: connectors, communities, gaps, summary) + the pages' data"
    steps.append((what, time.perf_counter() - t, _cpu(c0, os.times())))
    t, c0 = time.perf_counter(), os.times()
    out.mkdir()
    pages, files, size, used = _write_all(site, out, with_map=False, jobs=jobs)
    what = f"  pages ({pages:,} pages, {files:,} files, {size / 1e6:.1f} MB, {used} processes)"
    steps.append((what, time.perf_counter() - t, _cpu(c0, os.times())))
    return steps


def _cpu(before: os.times_result, after: os.times_result) -> float:
    """CPU seconds between two `os.times()`, this process's and its waited-for children's."""
    keys = ("user", "system", "children_user", "children_system")
    return sum(getattr(after, k) - getattr(before, k) for k in keys)


def _show(
    n: int, what: str, wall: float, cpu: float, build: Ran | None = None, ran: Ran | None = None
) -> None:
    ratio = f"{cpu / build.cpu:>10.2f}x" if build else f"{'':>11}"
    wratio = f"{wall / build.wall:>11.2f}x" if build else f"{'':>12}"
    mem = f" {ran.parent:>17,.0f} {ran.child:>7,.0f} {ran.tree:>6,.0f}" if ran else ""
    print(f"{n:>8,}  {what:<62} {wall:>7.2f} {cpu:>7.2f} {ratio} {wratio}{mem}", flush=True)


def _entities(data: Path) -> int:
    """Entity records in a generated folder: the count its name says (e200000), else the files'."""
    name = data.name.lstrip("e")
    return int(name) if name.isdigit() else sum(1 for _ in data.rglob("*.yaml"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", default="200,20000", help="comma-separated sizes to generate")
    ap.add_argument(
        "--data", action="append", default=[], metavar="DIR", help="an existing data folder (read only)"
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-map", action="store_true", help="skip the run with the map (the slowest)")
    ap.add_argument("--no-steps", action="store_true", help="skip the steps timed in one process")
    ap.add_argument(
        "--jobs", type=int, default=None, help="processes writing the pages (default: one per core)"
    )
    args = ap.parse_args()
    env = {**os.environ, "CLUSTERGRAPH_CACHE": "off", "CLUSTERGRAPH_PROGRESS": "0", "SOURCE_DATE_EPOCH": "0"}
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} at the start")
    head = (
        f"{'entities':>8}  {'step':<62} {'wall s':>7} {'cpu s':>7} {'cpu x build':>11} {'wall x build':>12}"
    )
    print(head + f" {'peak MiB: process':>17} {'worker':>7} {'tree':>6}")
    sizes: list[tuple[int, Path | None]] = [
        (int(x), None) for x in args.entities.split(",") if x and not args.data
    ]
    sizes += [(_entities(Path(d)), Path(d)) for d in args.data]
    # Every size's files are removed at the end only (see the note on deleted inodes below).
    with tempfile.TemporaryDirectory(prefix="cg-bench-site-") as tmp:
        for n, given in sizes:
            root = Path(tmp) / f"e{n}"
            root.mkdir()
            if given is None:
                files = generate(n, root / "data", seed=args.seed)
                data = str(root / "data")
            else:
                files = sorted(given.rglob("*.yaml"))
                data = str(given)

            floor = _floor(files)
            _show(n, "floor: yaml.load with CSafeLoader", floor, floor)
            ran = _run([str(BIN), "build", data, "-o", str(root / "g.ttl")], env)
            build = ran
            _show(n, "clustergraph build (whole command)", ran.wall, ran.cpu, build, ran)
            (root / "g.ttl").unlink()
            # Each site is kept until the run is done: on a file system without a journal
            # (ext4 here), each new file's inode is looked for past the inodes freed in the
            # last minutes, so a site written just after another was deleted spent 0.1-0.3 ms
            # of system time a file (28-70 s at 50,000 entities) where it spends ~0.02.
            ran = _run([str(BIN), "site", data, "-o", str(root / "site2"), "--no-map", *jobs], env)
            _show(n, "clustergraph site --no-map (whole command)", ran.wall, ran.cpu, build, ran)
            if not args.no_map:
                ran = _run([str(BIN), "site", data, "-o", str(root / "site"), *jobs], env)
                _show(n, "clustergraph site (whole command, with the map)", ran.wall, ran.cpu, build, ran)
            if not args.no_steps:
                for what, wall, cpu in _steps(Path(data), root / "site3", args.jobs):
                    _show(n, what, wall, cpu, build)


if __name__ == "__main__":
    main()

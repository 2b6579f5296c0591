"""Time the map of a generated 5,000-entity network: writing it, its size, and opening it.

    python benchmarks/bench_map.py [--entities 5000] [--seed 1] [--loads 3] [--no-full]
    python benchmarks/bench_map.py --entities 50000,200000 [--data-root DIR] [--save-dir DIR]

The data comes from benchmarks/generate.py (synthetic, never the LA data):
YAML -> build -> project (all relations, as `clustergraph map` draws) ->
connectors, then the map is rendered and written, each step timed alone, and
`clustergraph map` is run once end to end as a user would. Then headless
Chromium (Debian's chromium and chromium-driver, no network) opens the file
`--loads` times in one fresh browser; "interactive" is the moment the page's
script has built the network and vis-network has drawn it once (`cg.ready`),
measured from navigation start by the page's own clock. At this size the map
holds back the cluster spokes (every member to its cluster) until the reader
asks for them in the legend, so "links drawn" is below the network's count.

The same data is then written as the overview (`map --overview`, what `clustergraph
map` writes above 3,000 nodes) and opened the same way.

Targets (issue 6): HTML written in under 5 s, interactive in under 3 s.

Above `OVERVIEW_FROM` entities (`--entities 50000,200000`, comma-separated) the run is
the overview's, as a user gets it: the data is `--data-root`/eN when it is there
(benchmarks/generate.py --seed 1 writes it), else generated; the floor (`yaml.load`
with CSafeLoader over the files, in a child process) and `clustergraph map DIR -o FILE`
(cold: CLUSTERGRAPH_CACHE=0) are timed in cpu seconds with the command's peak memory,
and the page is opened in headless Chromium: cold (a fresh browser), warm (opened
again), then the biggest group opened and a search, timed by the page's own clock.
Targets (issue 21): interactive in under 3 s, `map` at most 2x the floor in cpu.
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
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests._browser

from generate import generate

from clustergraph.builder import build
from clustergraph.loader import load
from clustergraph.network import connectors, project
from clustergraph.output import atomic_write
from clustergraph.render.map import OVERVIEW_FROM, map_data, map_html, overview_data, overview_html


def _time(what: str, f, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    out = f(*args, **kwargs)
    print(f"{what:<44} {time.perf_counter() - started:8.2f} s", flush=True)
    return out


def _open_times(path: Path, loads: int) -> None:
    from tests._browser import browser_missing, chromium, wait_ready

    missing = browser_missing()
    if missing:
        print(f"browser: skipped ({missing})")
        return
    with chromium(page_load=600) as driver:
        for i in range(loads):
            started = time.perf_counter()
            driver.get(path.as_uri())
            wait_ready(driver, timeout=300)
            wall = time.perf_counter() - started
            t = driver.execute_script("return cg.timing")
            drawn = driver.execute_script("return Object.keys(cg.network.getPositions()).length")
            edges = driver.execute_script("return cg.network.body.edgeIndices.length")
            label = "cold" if i == 0 else "warm"
            print(
                f"open #{i + 1} ({label}): interactive at {t['drawn'] / 1000:.2f} s "
                f"(script start {t['start'] / 1000:.2f}, network built {t['network'] / 1000:.2f}); "
                f"wall {wall:.2f} s; {drawn} nodes and {edges} links drawn",
                flush=True,
            )


def _run(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall s, cpu s and peak MiB of a child process (its own rusage, as /usr/bin/time gives)."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


_FLOOR = """
import sys, yaml
from pathlib import Path
for p in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""


def _big(entities: int, data_dir: Path, out: Path, loads: int) -> None:
    """The overview at `entities`: floor, `clustergraph map` end to end, and the page in Chromium."""
    print(f"== {entities:,} entities ({data_dir}); load average {os.getloadavg()[0]:.2f}", flush=True)
    _, floor, _ = _run([sys.executable, "-c", _FLOOR, str(data_dir)])
    print(f"{'floor (yaml.load, CSafeLoader)':<44} {floor:8.2f} s cpu")
    env = {**os.environ, "CLUSTERGRAPH_CACHE": "0", "CLUSTERGRAPH_PROGRESS": "0"}
    cli = Path(sys.executable).with_name("clustergraph")
    wall, cpu, peak = _run([str(cli), "map", str(data_dir), "-o", str(out)], env)
    print(
        f"{'clustergraph map (end to end, cold)':<44} {cpu:8.2f} s cpu ({cpu / floor:.2f}x the floor);"
        f" {wall:.2f} s wall; peak {peak:,.0f} MiB",
        flush=True,
    )
    print(f"page: {out.stat().st_size / 1e6:.1f} MB")
    _open_overview(out, loads)


def _open_overview(path: Path, loads: int) -> None:
    from tests._browser import browser_missing, chromium, wait_ready

    missing = browser_missing()
    if missing:
        print(f"browser: skipped ({missing})")
        return
    with chromium(page_load=600) as driver:
        for i in range(loads):
            driver.get(path.as_uri())
            wait_ready(driver, timeout=300)
            t = driver.execute_script("return cg.timing")
            print(
                f"open #{i + 1} ({'cold' if i == 0 else 'warm'}): interactive at {t['drawn'] / 1000:.2f} s"
                f" (data parsed {t['parsed'] / 1000:.2f}, network built {t['network'] / 1000:.2f})",
                flush=True,
            )
        took = driver.execute_script(
            "var gs = cg.data.overview.groups, k = 0;"
            "gs.forEach(function (g, i) { if (g.count > gs[k].count) k = i; });"
            "var t = performance.now(); cg.open(k); cg.network.redraw();"
            "return [performance.now() - t, gs[k].count, gs[k].label];"
        )
        print(f"open the biggest group ({took[2]}, {took[1]:,} members): {took[0] / 1000:.2f} s")
        took = driver.execute_script(
            "var ov = cg.data.overview, name = ov.labels[Math.floor(ov.labels.length / 2)];"
            "var t = performance.now(); var hits = cg.search(name); cg.network.redraw();"
            "return [performance.now() - t, name, hits.length];"
        )
        print(f"search '{took[1]}' ({took[2]} hits, its group opened): {took[0] / 1000:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--entities", default="5000", help="Sizes, comma-separated; above 10,000 the overview is timed."
    )
    ap.add_argument(
        "--data-root", help="A folder with eN (generate.py --entities N --seed 1) to read, not generate"
    )
    ap.add_argument("--save-dir", help="Keep each big size's page here as eN.html.")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--loads", type=int, default=3, help="Times the browser opens the page.")
    ap.add_argument(
        "--no-full", dest="full", action="store_false", help="Open only the overview, not the full map."
    )
    ap.add_argument("--save", metavar="FILE", help="Keep a copy of the overview page here.")
    ap.add_argument("--open", metavar="PAGE", help="Only open this overview page in the browser.")
    args = ap.parse_args()
    if args.open:
        _open_overview(Path(args.open).resolve(), args.loads)
        return
    for entities in (int(x) for x in args.entities.split(",")):
        if entities > OVERVIEW_FROM:
            with tempfile.TemporaryDirectory() as tmp:
                data_dir = Path(args.data_root or tmp) / f"e{entities}"
                if args.data_root is None or not data_dir.is_dir():
                    data_dir = Path(tmp) / "data"
                    _time(f"generate {entities} entities", generate, entities, data_dir, seed=args.seed)
                keep = (Path(args.save_dir) if args.save_dir else Path(tmp)).resolve() / f"e{entities}.html"
                _big(entities, data_dir, keep, args.loads)
        else:
            _small(args, entities)


def _small(args: argparse.Namespace, entities: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        _time(f"generate {entities} entities", generate, entities, data_dir, seed=args.seed)
        graph = _time("load + build", lambda: build(load(data_dir)))
        G = _time("project (all relations)", project, graph)
        print(f"network: {G.number_of_nodes()} nodes, {G.number_of_edges()} links")
        rows = _time("connectors", connectors, G)
        out = Path(tmp) / "map.html"
        started = time.perf_counter()
        data = _time("map_data (layout, attributes)", map_data, G, measures={r["id"]: r for r in rows})
        html = _time("map_html", map_html, data, "benchmark", "The whole network")
        body = html.encode("utf-8")
        _time("write", atomic_write, out, lambda f: f.write(body))
        print(f"{'HTML written (map_data + map_html + write)':<44} {time.perf_counter() - started:8.2f} s")
        print(f"HTML size: {len(body) / 1e6:.1f} MB ({len(body):,} bytes)")
        cli = Path(sys.executable).with_name("clustergraph")
        started = time.perf_counter()
        subprocess.run([str(cli), "map", str(data_dir), "-o", str(out)], check=True)
        print(f"{'clustergraph map (end to end, incl. build)':<44} {time.perf_counter() - started:8.2f} s")
        if args.full:
            out.write_bytes(body)
            print("full map (--overview never):")
            _open_times(out, args.loads)
        ov = Path(tmp) / "overview.html"
        ov_body = _time(
            "overview_data + overview_html", lambda: overview_html(overview_data(data), "benchmark")
        )
        ov.write_text(ov_body, "utf-8")
        if args.save:
            Path(args.save).write_text(ov_body, "utf-8")
        print(f"overview HTML size: {len(ov_body.encode()) / 1e6:.1f} MB")
        print("overview (--overview auto above 3,000 nodes):")
        _open_times(ov, args.loads)


if __name__ == "__main__":
    main()

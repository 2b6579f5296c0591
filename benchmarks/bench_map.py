"""Time the map of a generated 5,000-entity network: writing it, its size, and opening it.

    python benchmarks/bench_map.py [--entities 5000] [--seed 1] [--loads 3] [--no-full]

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
"""

from __future__ import annotations

import argparse
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
from clustergraph.render.map import map_data, map_html, overview_data, overview_html


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entities", type=int, default=5_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--loads", type=int, default=3, help="Times the browser opens the page.")
    ap.add_argument(
        "--no-full", dest="full", action="store_false", help="Open only the overview, not the full map."
    )
    ap.add_argument("--save", metavar="FILE", help="Keep a copy of the overview page here.")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        _time(f"generate {args.entities} entities", generate, args.entities, data_dir, seed=args.seed)
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

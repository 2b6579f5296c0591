"""Time `clustergraph import` of a generated Kumu workbook against reading the workbook itself.

    python benchmarks/bench_import.py [--rows 50000] [--repeat 3]

The workbook is made here (synthetic names, never the LA data): an Elements sheet of
organisations, colleges and facilities, and a Connections sheet of partnerships and
operator links, `--rows` rows in all (60 % elements). Timed, best of `--repeat`:

- floor: reading every cell of the workbook with python-calamine (what any import must pay),
  and the same with openpyxl's read-only mode, for the choice of library;
- import: `readers.read` (cells -> checked records, as the loader checks YAML);
- import + YAML: the whole `clustergraph import` (records written to a new directory);
- the loader reading that YAML back: what the same records cost when read from YAML.

The figure to watch is import / floor (target: 3x or less).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clustergraph.importing import import_files
from clustergraph.loader import load
from clustergraph.readers import read
from tests._sheets import workbook

TYPES = ("Company", "Community College", "Facility", "Nonprofit", "Research Institute")


def make_workbook(path: Path, rows: int) -> Path:
    n_el = rows * 6 // 10
    n_conn = rows - n_el
    elements = [["Label", "Type", "Description", "Tags", "City", "Sources"]]
    for i in range(n_el):
        elements.append(
            [
                f"Entity {i}",
                TYPES[i % len(TYPES)],
                f"Synthetic entity number {i}.",
                "",
                f"City {i % 40}",
                "https://example.org/s",
            ]
        )
    connections = [["From", "To", "Type", "Since"]]
    for i in range(n_conn):
        a, b = i % n_el, (i * 7 + 3) % n_el
        if b == a:
            b = (a + 1) % n_el
        kind = "Operator" if TYPES[a % len(TYPES)] == "Facility" and i % 3 == 0 and i < n_el else "Funding"
        if kind == "Operator":
            connections.append([f"Entity {a}", f"Entity {a + 1 if (a + 1) < n_el else 0}", kind, None])
        else:
            connections.append([f"Entity {a}", f"Entity {b}", kind, str(2000 + i % 25)])
    # one operator per facility at most: keep the first
    seen: set[str] = set()
    kept = [connections[0]]
    for row in connections[1:]:
        if row[2] == "Operator":
            if row[0] in seen:
                continue
            seen.add(row[0])
        kept.append(row)
    return workbook(path, {"Elements": elements, "Connections": kept})


def best(f, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        t = time.perf_counter()
        book = make_workbook(d / "big.xlsx", args.rows)
        print(
            f"workbook: {args.rows:,} rows, {book.stat().st_size / 1e6:.1f} MB,"
            f" made in {time.perf_counter() - t:.1f} s"
        )

        def calamine() -> None:
            from python_calamine import CalamineWorkbook

            wb = CalamineWorkbook.from_path(str(book))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python()

        def openpyxl_read() -> None:
            import openpyxl

            wb = openpyxl.load_workbook(book, read_only=True)
            for ws in wb.worksheets:
                for _ in ws.iter_rows(values_only=True):
                    pass
            wb.close()

        n = [0]

        def whole() -> None:
            n[0] += 1
            import_files([book], d / f"out{n[0]}")

        floor = best(calamine, args.repeat)
        opx = best(openpyxl_read, 1)
        imp = best(lambda: read([book]), args.repeat)
        full = best(whole, args.repeat)
        print(f"read cells, python-calamine : {floor:7.2f} s   1.0x")
        print(f"read cells, openpyxl (r/o)  : {opx:7.2f} s  {opx / floor:4.1f}x")
        print(f"import (records, checked)   : {imp:7.2f} s  {imp / floor:4.1f}x")
        print(f"import + YAML written       : {full:7.2f} s  {full / floor:4.1f}x")
        # The same records read back from the YAML written: the loader's own cost for them.
        yaml_load = best(lambda: load(d / "out1", cache=False), args.repeat)
        print(f"load of the written YAML    : {yaml_load:7.2f} s  {yaml_load / floor:4.1f}x")
        print(f"import / YAML load          : {imp / yaml_load:4.2f}")


if __name__ == "__main__":
    main()

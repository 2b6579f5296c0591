"""Fuzz the loader: any bytes in a data file give records or DataErrors, never a crash.

Run with `make fuzz` (atheris, `pip install -e '.[fuzz]'`), e.g.
    python fuzz/fuzz_load.py -max_total_time=60 fuzz/corpus
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from clustergraph.errors import DataErrors
    from clustergraph.loader import load

_DIR = Path(tempfile.mkdtemp(prefix="clustergraph-fuzz-"))
_FILE = _DIR / "data.yaml"


def test_one_input(data: bytes) -> None:
    _FILE.write_bytes(data)
    try:
        load(_DIR)
    except DataErrors as exc:
        # every problem must point somewhere and render as text
        for error in exc.errors:
            assert error.loc.path
            str(error)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

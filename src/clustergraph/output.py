"""Writing output files so that a reader never sees a half-written one."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from .errors import UsageError


def guard_output(target: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Refuse an output path that is one of the input data files or inside the data directory."""
    t = Path(target).resolve()
    for src in inputs:
        if not isinstance(src, str | os.PathLike):  # a server (remote.Remote) holds no files here
            continue
        s = Path(src).resolve()
        if t == s or (s.is_dir() and s in t.parents and t.suffix in (".yaml", ".yml")):
            raise UsageError(f"refusing to write {target}: it is an input data file")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(target: str | os.PathLike[str], write: Callable[[IO[bytes]], object]) -> None:
    """Write through `write(f)` to a temp file beside `target`, fsync, then rename.

    On any failure the temp file is removed and an existing `target` is left as
    it was. `target` "-" writes to standard output.
    """
    if str(target) == "-":
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open()
        # would, so a map written to a shared folder stays readable by others.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise

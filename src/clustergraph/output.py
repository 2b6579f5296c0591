"""Writing output files so that a reader never sees a half-written one."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO

from .errors import DataError, DataErrors, Loc, UsageError


class OutputError(DataErrors):
    """An output that cannot be written (a folder, no permission, a full disk): exit 1, naming the path."""

    def __init__(
        self, target: str | os.PathLike[str], why: str, hint: str = "choose another output path"
    ) -> None:
        shown = os.fspath(target)
        shown = "standard output" if shown == "-" else shown or "''"
        super().__init__([DataError(Loc(shown), f"cannot write: {why}", hint)])


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


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
    it was; an OSError becomes an OutputError naming `target`. `target` "-" writes
    to standard output.
    """
    if str(target) == "-":
        try:
            write(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError("-", _why(exc)) from None
        return
    if not str(target):
        raise OutputError(target, "the output path is empty")
    path = Path(target)
    if path.is_dir():
        raise OutputError(target, "it is a folder", "give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(target, _why(exc)) from None
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open()
        # would, so a map written to a shared folder stays readable by others.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise OutputError(target, _why(exc)) from None
        raise


def atomic_write_files(
    folder: str | os.PathLike[str], files: Mapping[str, Callable[[IO[bytes]], object]]
) -> list[Path]:
    """Write several files into `folder` as a set: all of them, or none.

    Every file is written into a temp folder beside `folder` first; only when all are
    written are they moved into place (a new `folder` is renamed in whole). A failure
    leaves `folder` as it was and raises an OutputError naming the path.
    """
    if str(folder) in ("", "-"):
        raise OutputError(folder, "a set of files needs a folder, not standard output", "give a folder name")
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise OutputError(folder, "it is a file, not a folder", "give a folder name")
    for name in files:
        if (target / name).is_dir():
            raise OutputError(target / name, "it is a folder", "remove it or choose another folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise OutputError(folder, _why(exc)) from None
    try:
        for name, write in files.items():
            atomic_write(tmp / name, write)
        if not target.exists():
            os.chmod(tmp, 0o777 & ~_umask())
            os.rename(tmp, target)
        else:
            for name in files:
                os.replace(tmp / name, target / name)
    except OSError as exc:
        raise OutputError(folder, _why(exc)) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [target / name for name in files]

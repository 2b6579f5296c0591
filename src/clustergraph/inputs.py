"""Reading an input file (data, query, rules) so that no file can hang or flood the reader.

A name in the data or queries folder may be a FIFO (opening it waits for a writer that
never comes), a device or a link to one (`/dev/zero` reports size 0 and never ends), or a
file far too big. `read_regular` opens without blocking, checks on the opened descriptor
that it is a regular file, and reads at most `limit` bytes, so what is checked is what is
read.
"""

from __future__ import annotations

import os
import stat

MAX_FILE_BYTES = 32 * 1024 * 1024


class FileRefused(OSError):
    """An input that is not a regular file, or is larger than the limit; `hint` says what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _kind(mode: int) -> str:
    for test, word in (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return word
    return "not a regular file"


def read_regular(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; else FileRefused (an OSError).

    Other OSErrors (missing, no permission) propagate as they are.
    """
    # O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused(
                f"{_kind(st.st_mode)}, not a regular file", "remove it or move it out of the folder"
            )
        too_big = FileRefused(
            f"file is {max(st.st_size, limit + 1) / 1e6:.1f} MB, over the {limit // 2**20} MiB limit",
            "split it into several files",
        )
        if st.st_size > limit:
            raise too_big
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise too_big
        return b"".join(chunks)
    finally:
        os.close(fd)

"""Real SPARQL servers for tests: `oxigraph serve` and Virtuoso (`virtuoso-t`), each on free
127.0.0.1 ports in a temporary directory, stopped when the block ends.

Each server is described by a `Server`: where to query it, where its Graph Store is (open and,
where the server has one, behind a password), and the credentials the test set up. Tests read
these addresses, never a server's name, so one test body runs on both.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
VIRTUOSO = shutil.which("virtuoso-t")


@dataclass(frozen=True, slots=True)
class Server:
    """A running server: its SPARQL query address, its Graph Store addresses, and who may write."""

    name: str
    query: str
    store: str  # Graph Store address that needs no password ("" when the server has none)
    store_auth: str  # Graph Store address that asks for a password ("" when the server has none)
    user: str = ""
    password: str = ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(
    proc: subprocess.Popen[bytes], url: str, what: str, log: Path | None, limit: float
) -> None:
    deadline = time.monotonic() + limit
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # it answers: up
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                text = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
                raise RuntimeError(f"{what} did not start within {limit:g} s: {text}") from None
            time.sleep(0.1)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def oxigraph_server(location: Path, union: bool = False) -> Iterator[Server]:
    """`oxigraph serve` on a free port; its default graph is the default graph only (not the
    union), so a query sees a pushed named graph only through `default-graph-uri` or GRAPH.
    With `union`, the default graph is the union of every graph (`--union-default-graph`)."""
    if OXIGRAPH is None:
        raise FileNotFoundError("oxigraph")
    port = free_port()
    log = location / "oxigraph.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(location / "db"), "--bind", f"127.0.0.1:{port}"]
            + (["--union-default-graph"] if union else []),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, url + "/query?query=ASK%7B%7D", "oxigraph serve", log, 20)
        yield Server("oxigraph", url + "/query", url + "/store", "")
    finally:
        _stop(proc)


# A Virtuoso configuration with every file in the test's directory and both listeners on
# 127.0.0.1 (the Debian default, /etc/virtuoso-opensource-7/virtuoso.ini, listens on every
# interface on fixed ports). ResultSetMaxRows is raised from Debian's 10,000 so that no
# answer is cut short silently.
_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
EnabledGzipContent = 1
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@contextmanager
def virtuoso_server(location: Path, buffers: int = 10_000) -> Iterator[Server]:
    """`virtuoso-t` in the foreground on free ports, with a new database in `location`.

    `buffers` is `NumberOfBuffers` (8 KB pages held in memory): Debian's 10,000 is plenty
    for tests; the comments of Debian's virtuoso.ini suggest 170,000 when 2 GB are free.

    A new database's `dba` account (password `dba`) may write through the Digest-protected
    Graph Store `/sparql-graph-crud-auth`; the open `/sparql-graph-crud` only reads.
    """
    if VIRTUOSO is None:
        raise FileNotFoundError("virtuoso-t")
    http_port, sql_port = free_port(), free_port()
    ini = location / "virtuoso.ini"
    ini.write_text(
        _VIRTUOSO_INI.format(
            dir=location, sql_port=sql_port, http_port=http_port, buffers=buffers, dirty=buffers * 3 // 4
        )
    )
    with (location / "stdout.log").open("wb") as out:
        proc = subprocess.Popen(
            [VIRTUOSO, "-f", "+configfile", str(ini)], cwd=location, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{http_port}"
    try:
        _wait_until_up(proc, url + "/sparql?query=ASK%7B%7D", "virtuoso-t", location / "virtuoso.log", 90)
        yield Server(
            "virtuoso",
            url + "/sparql",
            url + "/sparql-graph-crud",
            url + "/sparql-graph-crud-auth",
            user="dba",
            password="dba",
        )
    finally:
        _stop(proc)

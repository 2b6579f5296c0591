"""A fake HTTP server on 127.0.0.1 that logs every request and answers as told, for hostile-server tests."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Answer:
    status: int = 200
    content_type: str = "application/sparql-results+json"
    body: bytes = b'{"head":{"vars":[]},"results":{"bindings":[]}}'
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0  # seconds between single bytes of an endless body


@dataclass
class Fake:
    url: str
    log: list[tuple[str, str, bytes]]  # (method, path, body) of every request, in order
    answer: Answer


@contextmanager
def fake_server(answer: Answer | Callable[[str, str, bytes], Answer] | None = None) -> Iterator[Fake]:
    """Serve on a free 127.0.0.1 port until the block ends; `answer` may depend on the request."""
    log: list[tuple[str, str, bytes]] = []
    fixed = answer if isinstance(answer, Answer) else Answer()
    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _go(self) -> None:
            n = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(n) if n else b""
            log.append((self.command, self.path, data))
            a = answer(self.command, self.path, data) if callable(answer) else fixed
            self.send_response(a.status)
            self.send_header("Content-Type", a.content_type)
            for k, v in a.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(10**6 if a.drip else len(a.body)))
            self.end_headers()
            if a.drip:
                try:
                    while not stop.is_set():
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(a.drip)
                except OSError:
                    return
                return
            self.wfile.write(a.body)

        do_GET = do_POST = do_PUT = do_DELETE = _go

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Fake(f"http://127.0.0.1:{server.server_address[1]}", log, fixed)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()

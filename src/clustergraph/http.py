"""The one HTTP layer: every request to a server (`query --endpoint`, `push`, every endpoint command).

What it promises, whatever the server sends back:

- **Only the server named.** A redirect to another origin (scheme, host or port) is never
  followed; it fails with the status and the address it pointed to. A redirect to the same
  origin is followed at most `MAX_REDIRECTS` times, and only when it keeps the method and
  the body (307/308, or any redirect of a GET/HEAD): a POSTed query never silently becomes a
  bodiless GET.
- **A wall-clock deadline.** `timeout` bounds the whole exchange (connect, headers, body),
  not each socket read: a server that drips one byte every half second is cut off at the
  deadline.
- **A bounded answer.** At most `max_bytes` of body are read (the Content-Length is checked
  first, then the bytes as they arrive).
- **No secrets in messages.** A `user:password@` part of a URL is refused (it is never
  sent), and every message shows the URL without it (`redact`).
- **One kind of failure.** Everything that can go wrong raises `HTTPError` (or its subclass
  `Unauthorized`), both `QueryError`s, with a one-line message; bad arguments (a timeout that
  is not a positive number) raise `UsageError`.

API::

    from clustergraph.http import request, Response, Auth, HTTPError, Unauthorized, redact

    resp = request(url, method="POST", data=body, headers={...}, timeout=60.0,
                   max_bytes=MAX_RESPONSE_BYTES, auth=None)
    resp.status, resp.reason, resp.url, resp.body, resp.header("Content-Type"), resp.content_type

`auth` is the seam for authentication: any object with

    apply(method, url, headers) -> None      # add Authorization (or other) headers in place
    challenge(response) -> bool              # a 401 came back: learn from it (a Digest nonce);
                                             # True to send the request once more

is called before each send; when the server answers 401, `challenge` decides whether the
request is retried (once). A 401 that is not retried raises `Unauthorized`, which carries the
`WWW-Authenticate` challenges (`exc.challenges`). Without `auth`, a 401 raises `Unauthorized`
at once, so a caller can ask for credentials and try again.

Only the standard library (http.client) speaks HTTP here; the module is imported when a
command first talks to a server, so local commands start without it.
"""

from __future__ import annotations

import contextlib
import math
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO, Protocol

from .errors import QueryError, UsageError
from .terminal import safe_text

if TYPE_CHECKING:
    import http.client

MAX_RESPONSE_BYTES = 256 * 2**20
MAX_REDIRECTS = 3
_CHUNK = 64 * 1024
_BODY_IN_MESSAGE = 800


@dataclass(frozen=True, slots=True)
class Response:
    """A complete answer: status, headers (in the order sent) and the whole body."""

    url: str
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str, default: str = "") -> str:
        """The first header of that name (case-insensitive), or `default`."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), default)

    def header_all(self, name: str) -> tuple[str, ...]:
        name = name.lower()
        return tuple(v for k, v in self.headers if k.lower() == name)

    @property
    def content_type(self) -> str:
        return self.header("Content-Type")


class HTTPError(QueryError):
    """A request that failed: the server could not be reached, timed out, or answered an error.

    `status` is the HTTP status (0 when no answer came), `response` the answer when there was one.
    """

    def __init__(self, message: str, status: int = 0, response: Response | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.response = response


class Unauthorized(HTTPError):
    """The server answered 401 and asks for credentials; `challenges` are its WWW-Authenticate values."""

    @property
    def challenges(self) -> tuple[str, ...]:
        return self.response.header_all("WWW-Authenticate") if self.response else ()


class Auth(Protocol):
    """Credentials for a request (see the module docstring); implemented by the auth layer."""

    def apply(self, method: str, url: str, headers: dict[str, str]) -> None: ...

    def challenge(self, response: Response) -> bool: ...


def redact(url: str) -> str:
    """`url` without any `user:password@` part, for messages."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", r"\1", url)


def _origin(parts: urllib.parse.SplitResult) -> tuple[str, str, int]:
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def _split(url: str) -> urllib.parse.SplitResult:
    shown = redact(url)
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise HTTPError(f"{safe_text(shown)} is not a valid URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise HTTPError(f"{safe_text(shown)} is not an http:// or https:// URL")
    if not parts.hostname:
        raise HTTPError(f"{safe_text(shown)} names no server")
    if "@" in parts.netloc:
        raise HTTPError(
            f"{safe_text(shown)}: a user name or password inside the URL is not supported "
            "(remove 'user:…@' from it; credentials are never sent that way)"
        )
    if safe_text(url) != url or " " in url:
        raise HTTPError(f"{safe_text(shown)} is not a valid URL: it holds spaces or control characters")
    return parts


def check_timeout(timeout: float) -> float:
    """`timeout` if it is a usable number of seconds, else a UsageError saying what is wanted."""
    if not isinstance(timeout, int | float) or not math.isfinite(timeout) or timeout <= 0:
        raise UsageError(f"`timeout` must be a positive number of seconds, not {timeout!r}", param="timeout")
    return float(timeout)


def request(
    url: str,
    *,
    method: str = "GET",
    data: bytes | BinaryIO | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 60.0,
    max_bytes: int = MAX_RESPONSE_BYTES,
    auth: Auth | None = None,
) -> Response:
    """Send one request and return the complete 2xx answer (see the module docstring).

    `timeout` is a deadline in seconds for the whole exchange, redirects and an auth retry
    included. Any status outside 2xx raises `HTTPError` (401: `Unauthorized`).
    """
    timeout = check_timeout(timeout)
    deadline = time.monotonic() + timeout
    first = url
    parts = _split(url)
    origin = _origin(parts)
    retried = False
    redirects = 0
    while True:
        sent = dict(headers or {})
        if auth is not None:
            auth.apply(method, url, sent)
        if not isinstance(data, bytes | None):
            data.seek(0)  # a file body (a streamed upload) is sent again from its start
        resp = _exchange(parts, url, method, data, sent, deadline, timeout, max_bytes)
        if resp.status == 401:
            if auth is not None and not retried and auth.challenge(resp):
                retried = True
                continue
            raise Unauthorized(_status_message(resp), 401, resp)
        if resp.status in (301, 302, 303, 307, 308):
            location = resp.header("Location")
            target = urllib.parse.urljoin(url, location) if location else ""
            try:
                target_parts = urllib.parse.urlsplit(target)
                same = bool(target) and _origin(target_parts) == origin and "@" not in target_parts.netloc
            except ValueError:
                same = False
            keeps_body = resp.status in (307, 308) or method in ("GET", "HEAD")
            if same and keeps_body and redirects < MAX_REDIRECTS:
                redirects += 1
                url, parts = target, target_parts
                continue
            why = (
                "a redirect to another server is not followed"
                if not same
                else "too many redirects"
                if redirects >= MAX_REDIRECTS
                else "the request would lose its body"
            )
            shown = safe_text(redact(target or "nowhere"))
            raise HTTPError(f"{_status_message(resp, body=False)} to {shown}: {why}", resp.status, resp)
        if not 200 <= resp.status < 300:
            raise HTTPError(_status_message(resp), resp.status, resp)
        if url != first:
            return Response(url, resp.status, resp.reason, resp.headers, resp.body)
        return resp


def _status_message(resp: Response, *, body: bool = True) -> str:
    text = f"{safe_text(redact(resp.url))} answered HTTP {resp.status} {safe_text(resp.reason)}".rstrip()
    shown = resp.body[: _BODY_IN_MESSAGE * 4].decode("utf-8", "replace").strip()
    if body and shown:
        text += ": " + safe_text(shown[:_BODY_IN_MESSAGE])
    return text


def _exchange(
    parts: urllib.parse.SplitResult,
    url: str,
    method: str,
    data: bytes | BinaryIO | None,
    headers: dict[str, str],
    deadline: float,
    timeout: float,
    max_bytes: int,
) -> Response:
    import http.client
    import ssl

    shown = safe_text(redact(url))
    late = HTTPError(f"{shown} did not answer within {timeout:g} s")
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise late
    host, port = parts.hostname or "", parts.port
    conn: http.client.HTTPConnection
    if parts.scheme.lower() == "https":
        conn = http.client.HTTPSConnection(
            host, port, timeout=remaining, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=remaining)
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    # The watchdog closes the socket at the deadline, so even a read that receives one byte
    # just before each socket timeout cannot keep the request alive past it.
    expired = threading.Event()

    def cut() -> None:
        expired.set()
        sock = conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    watchdog = threading.Timer(remaining, cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.request(method, target, body=data, headers=headers)
        answer = conn.getresponse()
        resp = _read(answer, url, shown, max_bytes, deadline, late)
    except HTTPError:
        if expired.is_set():
            raise late from None
        raise
    except TimeoutError:
        raise late from None
    except ConnectionRefusedError:
        raise HTTPError(f"cannot connect to {shown}: connection refused (is the server running?)") from None
    except socket.gaierror as exc:
        raise HTTPError(
            f"cannot reach {shown}: the server name cannot be resolved ({exc.strerror})"
        ) from None
    except ssl.SSLError as exc:
        raise HTTPError(f"cannot reach {shown}: TLS failed ({safe_text(str(exc))})") from None
    except (http.client.HTTPException, OSError, ValueError) as exc:
        if expired.is_set():
            raise late from None
        reason = safe_text(str(exc) or type(exc).__name__)
        if isinstance(exc, http.client.HTTPException | ConnectionError):
            raise HTTPError(f"{shown} broke off or sent a broken HTTP answer: {reason}") from None
        raise HTTPError(f"cannot reach {shown}: {reason}") from None
    finally:
        watchdog.cancel()
        conn.close()
    if expired.is_set():
        raise late
    return resp


def _read(
    answer: http.client.HTTPResponse,
    url: str,
    shown: str,
    max_bytes: int,
    deadline: float,
    late: HTTPError,
) -> Response:
    too_big = HTTPError(
        f"{shown} sent more than {max_bytes:,} bytes (max_bytes); ask for less, e.g. with LIMIT"
    )
    length = answer.getheader("Content-Length")
    if length and length.strip().isdigit() and len(length.strip()) < 20 and int(length) > max_bytes:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() >= deadline:
            raise late
        chunk = answer.read1(_CHUNK)  # one socket read at most, so the deadline is checked often
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise too_big
        chunks.append(chunk)
    if answer.length:  # the Content-Length promised more than came
        raise HTTPError(f"{shown} broke off: {answer.length:,} bytes of its answer never came")
    return Response(url, answer.status, answer.reason or "", tuple(answer.getheaders()), b"".join(chunks))

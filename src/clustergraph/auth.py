"""Who we are to a server: HTTP Basic, Digest (negotiated from its challenge) or a bearer token.

`Credentials` is the `auth` of `clustergraph.http.request`. The first request goes without
a password; when the server answers 401, its `WWW-Authenticate` challenge decides the scheme
(Digest when offered, since it never sends the password, else Basic), the password is
looked up once, and the request is sent again. Later requests to the same server answer the
challenge at once.

Where the password comes from, in this order: the `password` given to the library, the
`CLUSTERGRAPH_PASSWORD` environment variable, `~/.netrc` (or the file `NETRC` names) for the
server's host, and last a prompt, only when stdin is a terminal. It is never a command-line
argument, and no message holds it. A bearer token is sent as `Authorization: Bearer` from
the first request on.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import sys
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from .errors import QueryError

if TYPE_CHECKING:
    from .http import Auth, Response

PASSWORD_ENV = "CLUSTERGRAPH_PASSWORD"
TOKEN_ENV = "CLUSTERGRAPH_TOKEN"


class AuthError(QueryError):
    """A server refused our credentials, or asked for some and none could be found (exit 1).

    Its message names parameters in backquotes (`` `user` ``), as UsageError does (`worded`).
    """

    def worded(self, names: Mapping[str, str]) -> str:
        text = str(self)
        for param, name in names.items():
            text = text.replace(f"`{param}`", name)
        return text


@dataclass(frozen=True, slots=True)
class Challenge:
    """One challenge of a `WWW-Authenticate` header: the scheme (lower case) and its parameters."""

    scheme: str
    params: dict[str, str] = field(default_factory=dict)


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_PARAM = re.compile(rf"\s*({_TOKEN})\s*=\s*(\"(?:[^\"\\]|\\.)*\"|{_TOKEN})\s*,?")
_SCHEME = re.compile(rf"\s*,?\s*({_TOKEN})(?=\s|,|$)")


def parse_challenges(values: tuple[str, ...] | list[str]) -> list[Challenge]:
    """The challenges of one or more `WWW-Authenticate` values (a value may hold several).

    >>> [c.scheme for c in parse_challenges(['Basic realm="a", Digest realm="b", nonce="n"'])]
    ['basic', 'digest']
    >>> parse_challenges(['Digest realm="SPARQL", qop="auth"'])[0].params
    {'realm': 'SPARQL', 'qop': 'auth'}
    """
    out: list[Challenge] = []
    for value in values:
        pos = 0
        while pos < len(value):
            m = _SCHEME.match(value, pos)
            if not m:
                break
            params: dict[str, str] = {}
            pos = m.end()
            while True:
                p = _PARAM.match(value, pos)
                # `Basic realm=x, Digest ...`: a token with no '=' after it starts the next challenge.
                if not p:
                    break
                raw = p.group(2)
                params[p.group(1).lower()] = (
                    re.sub(r"\\(.)", r"\1", raw[1:-1]) if raw.startswith('"') else raw
                )
                pos = p.end()
            out.append(Challenge(m.group(1).lower(), params))
            if pos == m.end() and not value[pos:].strip(" ,"):
                break
    return out


def origin(url: str) -> str:
    """`scheme://host:port` of a URL, the server as a message names it."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def _netrc(host: str, user: str | None) -> tuple[str, str] | None:
    import netrc

    path = os.environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise AuthError(f"cannot read {path}: {exc}") from None
    if entry is None:
        return None
    login, _, password = entry
    if user is not None and login and login != user:
        return None
    return login or (user or ""), password or ""


class Credentials:
    """Credentials for one server (see the module docstring); an `http.Auth`.

    `user` may be None: a `~/.netrc` entry for the server's host then names it. `password`
    is for library callers; the command line never takes one.
    """

    def __init__(
        self,
        user: str | None = None,
        *,
        token: str | None = None,
        password: str | None = None,
        prompt: bool = True,
    ) -> None:
        self.user = user
        self.token = token
        self._password = password
        self._prompt = prompt
        self._scheme: Challenge | None = None
        self._nc = 0
        self._sent = False  # whether the request being retried carried credentials

    def __repr__(self) -> str:  # never the password
        return f"Credentials(user={self.user!r}, token={'***' if self.token else None})"

    # ------------------------------------------------------------ http.Auth

    def apply(self, method: str, url: str, headers: dict[str, str]) -> None:
        self._sent = False
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
            self._sent = True
        elif self._scheme is not None:
            headers["Authorization"] = self._header(method, url)
            self._sent = True

    def challenge(self, response: Response) -> bool:
        """Learn the scheme from a 401 and say whether to send the request again."""
        server = origin(response.url)
        offered = parse_challenges(list(response.header_all("WWW-Authenticate")))
        digest = next((c for c in offered if c.scheme == "digest"), None)
        if self.token or (self._sent and not (digest and digest.params.get("stale", "").lower() == "true")):
            raise refused(server, self)
        chosen = digest or next((c for c in offered if c.scheme == "basic"), None)
        if chosen is None:
            schemes = ", ".join(sorted({c.scheme for c in offered})) or "none named"
            raise AuthError(
                f"{server} asks for an authentication scheme we do not speak ({schemes}); "
                "Basic, Digest and bearer tokens are supported"
            )
        self._lookup(server, urllib.parse.urlsplit(response.url).hostname or "")
        self._scheme, self._nc = chosen, 0
        return True

    # ------------------------------------------------------------ private

    def _lookup(self, server: str, host: str) -> None:
        if self._password is not None and self.user is not None:
            return
        from_env = os.environ.get(PASSWORD_ENV)
        if from_env is not None and self.user is not None:
            self._password = from_env
            return
        found = _netrc(host, self.user)
        if found is not None:
            self.user, self._password = found
            return
        if self.user is None:
            raise missing(server)
        if self._prompt and _is_terminal():
            import getpass

            self._password = getpass.getpass(f"Password for {self.user} at {server}: ")
            return
        raise AuthError(
            f"{server} asks for the password of user {self.user!r}: set {PASSWORD_ENV} or add "
            f"'machine {host} login {self.user} password …' to ~/.netrc"
        )

    def _header(self, method: str, url: str) -> str:
        assert self._scheme is not None and self.user is not None
        password = self._password or ""
        if self._scheme.scheme == "basic":
            import base64

            pair = f"{self.user}:{password}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return self._digest(method, url, password)

    def _digest(self, method: str, url: str, password: str) -> str:
        assert self._scheme is not None and self.user is not None
        p = self._scheme.params
        algorithm = p.get("algorithm", "MD5")
        base = algorithm.upper().removesuffix("-SESS")
        hashes = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256, "SHA-512-256": None}
        fn = hashes.get(base)
        if fn is None:
            raise AuthError(f"{origin(url)} asks for Digest with {algorithm}, which is not supported")

        def h(text: str) -> str:
            return fn(text.encode("utf-8")).hexdigest()  # type: ignore[misc]

        realm, nonce = p.get("realm", ""), p.get("nonce", "")
        parts = urllib.parse.urlsplit(url)
        uri = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        cnonce = secrets.token_hex(8)
        ha1 = h(f"{self.user}:{realm}:{password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        qops = [q.strip() for q in p.get("qop", "").split(",") if q.strip()]
        fields = {"username": self.user, "realm": realm, "nonce": nonce, "uri": uri}
        if "auth" in qops:
            self._nc += 1
            nc = f"{self._nc:08x}"
            fields["response"] = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            extra = f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        else:
            fields["response"] = h(f"{ha1}:{nonce}:{ha2}")
            extra = ""
        text = ", ".join(f'{k}="{_quote(v)}"' for k, v in fields.items())
        if "opaque" in p:
            text += f', opaque="{_quote(p["opaque"])}"'
        return f"Digest {text}, algorithm={algorithm}{extra}"


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def credentials(user: str | None = None, token: str | None = None) -> Credentials:
    """The credentials a command uses: `token` (else `CLUSTERGRAPH_TOKEN`) as a bearer token,
    else `user` with a password looked up when the server asks for one."""
    return Credentials(user, token=token or os.environ.get(TOKEN_ENV) or None)


def missing(server: str) -> AuthError:
    return AuthError(
        f"{server} asks for a user name and password and none was given: name the user (`user`) and "
        f"give the password in {PASSWORD_ENV} or ~/.netrc, or give a bearer token (`token` or {TOKEN_ENV})"
    )


def refused(server: str, auth: object) -> AuthError:
    if getattr(auth, "token", None):
        return AuthError(f"{server} refused the bearer token (HTTP 401)")
    return AuthError(
        f"{server} refused the password of user {getattr(auth, 'user', None)!r} (HTTP 401): "
        f"check {PASSWORD_ENV} or ~/.netrc"
    )


def send(
    url: str,
    method: str,
    data: bytes | BinaryIO | None,
    headers: dict[str, str],
    auth: Auth | None,
    timeout: float,
    max_bytes: int | None = None,
) -> Response:
    """`http.request` with our credentials; a refused or missing password becomes an AuthError
    naming the server (never a traceback, never the password)."""
    from .http import MAX_RESPONSE_BYTES, Unauthorized, request

    try:
        return request(
            url,
            method=method,
            data=data,
            headers=headers,
            timeout=timeout,
            max_bytes=max_bytes or MAX_RESPONSE_BYTES,
            auth=auth,
        )
    except Unauthorized:
        has = getattr(auth, "user", None) is not None or getattr(auth, "token", None)
        raise (refused(origin(url), auth) if has else missing(origin(url))) from None

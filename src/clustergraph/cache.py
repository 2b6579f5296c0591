"""A cache of checked records per data file, so a re-run re-parses only edited files.

Each YAML file's records are stored under `.clustergraph-cache/` (beside the
data directory, or in the working directory when that is read-only), keyed by a
hash of the file's bytes. A key also depends on the clustergraph version and on
the source of the modules that decide what a record is (loader, schema, record
types), so any change there starts a fresh cache. Entries are plain tuples
written with `marshal`, which at 20,000 entities wrote them 2.7x and read them
1.3x faster than pickle (`Record` itself does not pickle: its mappings are
read-only proxies). The directory is safe to delete at any time.

Only files that loaded without a problem are stored; checks across files
(references, duplicate ids, cycles) run on every load.

An entry is trusted only when it carries a valid MAC (keyed BLAKE2b) made with a
secret of the user's own: 32 random bytes in `~/.cache/clustergraph/secret`
(`$XDG_CACHE_HOME` when set), a file that must belong to the user and be readable
by no one else. The cache folder beside the data may be writable by others (a
shared checkout, a world-writable working directory); an entry planted there, or
an entry of one file copied under another file's name, fails the check and the
file is parsed again. Without a usable secret there is no cache.

Beside the records, an `EditionCache` keeps what an edition makes of the whole
directory: its projected networks, its dated facts, its aliases and its dataset
record, pickled, under a digest of every data file's bytes and of the whole
package's code. A command whose inputs are all there (`connectors`, `gaps`,
`communities`, `summary`, `map`) then neither reads the records nor builds the
graph: at 200,000 entities the network is read in about a second, where loading,
building and projecting it take a minute and a half. Its entries are signed like
the records' and are only ever unpickled after their MAC checks; only the newest
digest of a directory is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import pickle
import secrets
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import __version__
from .errors import Loc
from .records import Locs, Record

DIRNAME = ".clustergraph-cache"
_FORMAT = 2
_MAC = 32
# The modules whose code decides what a file's records are.
_SOURCES = ("loader.py", "yamlfile.py", "schema.py", "records.py", "errors.py", "cache.py")


def enabled() -> bool:
    """False when CLUSTERGRAPH_CACHE is set to 0, no or off."""
    return os.environ.get("CLUSTERGRAPH_CACHE", "1").lower() not in ("0", "no", "off", "false")


def fingerprint() -> str:
    """Changes with the version, the Python and marshal format, and the loader's code."""
    h = hashlib.blake2b(digest_size=8)
    h.update(f"{__version__} {_FORMAT} {sys.version_info[:2]} {marshal.version}".encode())
    here = Path(__file__).parent
    for name in _SOURCES:
        h.update((here / name).read_bytes())
    return h.hexdigest()


def _plain(rec: Record) -> tuple[Any, ...]:
    locs = rec.locs
    at = getattr(locs, "positions", None)
    if at is None:
        at = {k: v.line << 32 | v.col for k, v in locs.items()}
    return (rec.collection, rec.kind, rec.id, rec.name, rec.loc.line, rec.loc.col, dict(rec.fields), at)


def _record(t: tuple[Any, ...], path: str) -> Record:
    collection, kind, rid, name, line, col, fields, at = t
    return Record(collection, kind, rid, name, Loc(path, line, col), MappingProxyType(fields), Locs(path, at))


def _secret_path() -> Path:
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(home) / "clustergraph" / "secret"


def _read_secret(path: Path) -> bytes | None:
    """The secret, if the file is a regular file of this user that no one else can read or write."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()
        if not stat.S_ISREG(st.st_mode) or not mine or st.st_mode & 0o077:
            return None
        value = os.read(fd, 64)
    finally:
        os.close(fd)
    return value if len(value) == 32 else None


def user_secret() -> bytes | None:
    """This user's cache secret, made on first use (0600 in a 0700 folder); None when unusable."""
    path = _secret_path()
    found = _read_secret(path)
    if found is not None or path.exists():
        return found
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret.")  # 0600
        try:
            os.write(fd, secrets.token_bytes(32))
            os.fsync(fd)
            os.close(fd)
            os.link(tmp, path)  # fails if another run made it first: then theirs is used
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    except OSError:
        return None
    return _read_secret(path)


class FileCache:
    """The cache entries of one data directory, under `folder`, signed with `secret`."""

    def __init__(self, folder: Path, secret: bytes) -> None:
        self.folder = folder
        self.secret = secret
        self.used: set[str] = set()

    def _mac(self, key: str, body: bytes) -> bytes:
        h = hashlib.blake2b(key.encode() + b"\0", key=self.secret, digest_size=_MAC)
        h.update(body)
        return h.digest()

    @staticmethod
    def key(raw: bytes) -> str:
        return hashlib.blake2b(raw, digest_size=16).hexdigest()

    def get(self, raw: bytes, shown: str) -> list[Record] | None:
        """The records of a file with these bytes, shown as `shown`, or None on a miss."""
        key = self.key(raw)
        try:
            blob = (self.folder / key).read_bytes()
            mac, body = blob[:_MAC], blob[_MAC:]
            if not hmac.compare_digest(mac, self._mac(key, body)):
                return None  # not written by this user's clustergraph: never trusted
            records = [_record(t, shown) for t in marshal.loads(body)]
        except (OSError, ValueError, EOFError, TypeError):
            return None  # missing, or written by something else: parse the file again
        self.used.add(key)
        return records

    def put(self, raw: bytes, records: list[Record]) -> None:
        key = self.key(raw)
        self.used.add(key)
        body = marshal.dumps(tuple(_plain(r) for r in records))
        blob = self._mac(key, body) + body
        tmp = self.folder / f".{key}.{os.getpid()}.tmp"
        try:
            tmp.write_bytes(blob)
            os.replace(tmp, self.folder / key)  # atomic: a concurrent run sees all or nothing
        except OSError:
            tmp.unlink(missing_ok=True)

    def prune(self) -> None:
        """Forget files that are no longer in the directory (after a complete load)."""
        try:
            for entry in os.scandir(self.folder):
                if entry.name not in self.used and not entry.name.startswith("."):
                    os.unlink(entry.path)
        except OSError:
            pass


def open_cache(root: Path) -> FileCache | None:
    """The cache of data directory `root`, or None when disabled or nowhere writable."""
    if not enabled():
        return None
    secret = user_secret()
    if secret is None:
        return None
    version = "v" + fingerprint()
    root_key = hashlib.blake2b(os.path.realpath(root).encode(), digest_size=8).hexdigest()
    for base in (Path(root).resolve().parent, Path.cwd()):
        top = base / DIRNAME
        folder = top / version / root_key
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if not os.access(folder, os.W_OK):
            continue
        _drop_old_versions(top, version)
        return FileCache(folder, secret)
    return None


def _drop_old_versions(top: Path, keep: str) -> None:
    try:
        for entry in os.scandir(top):
            if entry.is_dir() and entry.name.startswith("v") and entry.name != keep:
                shutil.rmtree(entry.path, ignore_errors=True)
    except OSError:
        pass


# ---------------------------------------------------------------- editions

_EDITION_FORMAT = 1


def package_fingerprint() -> str:
    """Changes with any of the package's code or vocabulary, the version and the Python."""
    import networkx

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{__version__} {_EDITION_FORMAT} {sys.version_info[:2]} {networkx.__version__}".encode())
    here = Path(__file__).parent
    for path in sorted(here.rglob("*")):
        if path.suffix in (".py", ".ttl", ".rq") and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(here)).encode() + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


class EditionCache:
    """What one state of a data directory makes (networks, dates, aliases), kept between runs.

    `digest` names the state: every data file's name and bytes, and the package's
    code (`package_fingerprint`). `complete` says a load and a build of exactly
    that state succeeded, so its entries may stand in for them.
    """

    def __init__(self, folder: Path, secret: bytes, digest: str) -> None:
        self.folder = folder
        self.secret = secret
        self.digest = digest

    def _path(self, name: str) -> Path:
        return self.folder / f"{self.digest}-{name}"

    def _mac(self, name: str) -> Any:
        return hashlib.blake2b(f"{self.digest}-{name}".encode() + b"\0", key=self.secret, digest_size=_MAC)

    @property
    def complete(self) -> bool:
        return self.get("complete") is True

    def get(self, name: str) -> Any | None:
        """The value kept under `name`, or None when missing or not signed by this user."""
        from .yamlfile import gc_paused

        try:
            blob = self._path(name).read_bytes()
        except OSError:
            return None
        mac = self._mac(name)
        view = memoryview(blob)
        mac.update(view[_MAC:])
        if not hmac.compare_digest(bytes(view[:_MAC]), mac.digest()):
            return None  # not written by this user's clustergraph: never unpickled
        try:
            with gc_paused():  # millions of new objects, none of them garbage
                return pickle.loads(view[_MAC:])
        except Exception:  # a damaged entry is a miss, never a failure
            return None

    def put(self, name: str, value: Any) -> None:
        """Keep `value` under `name` (atomically); a failure to write only loses the entry."""
        if name == "complete":
            self._drop_others()
        try:
            body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # something that does not pickle is not kept
            return
        mac = self._mac(name)
        mac.update(body)
        target = self._path(name)
        tmp = self.folder / f".{target.name}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as f:
                f.write(mac.digest())
                f.write(body)
            os.replace(tmp, target)
        except OSError:
            tmp.unlink(missing_ok=True)

    def _drop_others(self) -> None:
        """Forget the entries of earlier states of the directory."""
        try:
            for entry in os.scandir(self.folder):
                if not entry.name.startswith((self.digest, ".")):
                    os.unlink(entry.path)
        except OSError:
            pass


def open_edition_cache(root: Path, files: list[Path]) -> EditionCache | None:
    """The edition cache of data directory `root` as its `files` are now, or None when disabled."""
    if not enabled():
        return None
    secret = user_secret()
    if secret is None:
        return None
    h = hashlib.blake2b(package_fingerprint().encode(), digest_size=16)
    try:
        for path in files:
            h.update(os.path.relpath(path, root).encode() + b"\0")
            h.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    except OSError:
        return None  # an unreadable file: the load says which
    root_key = hashlib.blake2b(os.path.realpath(root).encode(), digest_size=8).hexdigest()
    for base in (Path(root).resolve().parent, Path.cwd()):
        folder = base / DIRNAME / "editions" / root_key
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return EditionCache(folder, secret, h.hexdigest())
    return None

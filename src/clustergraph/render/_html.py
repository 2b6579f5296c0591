"""Pieces every self-contained page needs: safe links, safe JSON, inline assets.

A page a director opens from disk must work with no network and must never run
anything that came from the data. So: text is escaped by the templates
(`templates.py`, autoescape on), links go through `safe_url` (http and https
only), JSON for scripts through `script_json`, and the vis-network library is
inlined from the copy that ships inside the pyvis package.
"""

from __future__ import annotations

import json
import os
import re
import time
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any

_URL_OK = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)
# Characters that could end a <script> element, open a comment, or end a JS
# string in older engines; JSON allows them escaped as \uXXXX anywhere.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def safe_url(url: object) -> str | None:
    """The URL when it is an absolute http(s) link without quotes or spaces, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    return url if _URL_OK.match(url) else None


def _rows_as_objects(value: Any) -> Any:
    from ..rows import Row

    if isinstance(value, Row):
        return value.to_dict()
    raise TypeError(f"{type(value).__name__} is not JSON")


def script_json(value: Any) -> str:
    """JSON that is safe inside `<script type="application/json">`: no `<`, `>`, `&`, U+2028/9."""
    text = json.dumps(
        value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_rows_as_objects
    )
    return _SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


def built_at() -> str:
    """When the page was built, in UTC; SOURCE_DATE_EPOCH pins it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch) if epoch else time.time(), UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _pyvis_dir() -> Path:
    # find_spec on the top-level package locates it without importing it: importing
    # pyvis imports IPython, which costs a CLI about a second.
    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - pyvis is a dependency
        raise RuntimeError("pyvis is not installed; it ships the vis-network library the map needs")
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def vis_network_js() -> str:
    """The vis-network library bundled in pyvis, to inline in a `<script>`."""
    js = (_pyvis_dir() / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text("utf-8")
    if "</script" in js.lower():  # pragma: no cover - checked against the pinned file
        raise RuntimeError("vis-network.min.js cannot be inlined: it contains </script")
    return js


@cache
def asset(name: str) -> str:
    """A text file of ours shipped in `render/static/` (JavaScript and CSS)."""
    return resources.files(__package__).joinpath("static", name).read_text("utf-8")

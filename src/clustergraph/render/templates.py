"""The one Jinja2 environment every page of ours is rendered with.

Autoescaping is on for every template, so a value from the data is text by
construction: a template cannot forget to escape it. Python hands templates data,
never markup strings; the only markup that goes in unescaped is our own (the
JavaScript and CSS shipped beside the templates, the vis-network library) and JSON
made safe for a `<script>` element by `script_json`. Undefined names are errors
(StrictUndefined), so a misspelt variable fails the build instead of printing
nothing.

Templates live in `clustergraph/render/templates/` (package data). A page extends
`page.html`, which holds the document head and the no-network Content Security
Policy; partials start with an underscore.

>>> render_string("<p>{{ name }}</p>", name="<b>Port</b> & co")
'<p>&lt;b&gt;Port&lt;/b&gt; &amp; co</p>'
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ._html import asset, safe_url, script_json, vis_network_js

__all__ = ["Markup", "environment", "render", "render_string"]


def _script_json(value: Any) -> Markup:
    return Markup(script_json(value))


def _asset(name: str) -> Markup:
    # Our own files, never data: shipped in the package beside this module.
    return Markup(asset(name))


def _vis_network() -> Markup:
    return Markup(vis_network_js())


@cache
def environment() -> Environment:
    """The shared environment: autoescape on, StrictUndefined, our templates and helpers.

    Filters: `script_json` (a value as JSON safe inside `<script>`), `safe_url` (the URL
    when it is http(s), else None). Globals: `asset(name)` (a shipped JS/CSS file),
    `vis_network_js()` (the library pyvis ships).
    """
    env = Environment(
        loader=PackageLoader("clustergraph.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = _script_json
    env.filters["safe_url"] = safe_url
    env.globals["asset"] = _asset
    env.globals["vis_network_js"] = _vis_network
    return env


def render(name: str, /, **context: Any) -> str:
    """Render the template `name` (a file under templates/) with `context`."""
    return environment().get_template(name).render(**context)


def render_string(source: str, /, **context: Any) -> str:
    """Render a template given as text, with the same environment (escaping, filters)."""
    return environment().from_string(source).render(**context)

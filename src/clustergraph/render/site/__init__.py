"""`clustergraph site`: a static, offline website of one edition of the graph.

The folder it writes opens from disk (``index.html``) or can be published as it is:

- ``index.html``: headline figures, the clusters, the map, and a search box over
  names, aliases and ids (the index travels inside the page as JSON data);
- ``id/ID.html`` for every entity, cluster, source and plan item, with the same
  record beside it as ``id/ID.ttl`` and ``id/ID.jsonld``: the record IRIs
  (``https://w3id.org/clustergraph/id/ID``) can be redirected to these files;
- ``kinds.html`` (every entity by kind), ``sources.html``, ``plan.html``;
- ``path.html``: "how is A connected to B", answered in the page by the same
  search as `clustergraph path`;
- ``map.html``: the interactive map (`clustergraph map`), shown on the index;
- ``site.css``, ``site.js``: the only style and code; every page carries a strict
  Content-Security-Policy (nothing loads from elsewhere, no inline code runs).

Text from the data is always text: templates autoescape, and the script builds
the search results and paths with ``textContent``, never markup.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._html import built_at
from .pages import (
    Site,
    cluster_page,
    entity_page,
    index_page,
    kinds_page,
    path_data,
    plan_page,
    search_index,
    source_page,
)

__all__ = ["SiteWritten", "site_from", "write_site"]

# No network, no inline code: style and script come from the site's own folder only.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True, slots=True)
class SiteWritten:
    """What `write_site` wrote: the folder, how many pages and files, bytes, seconds."""

    path: Path
    pages: int
    files: int
    size: int
    took: float


def open_site_edition(data: str) -> Any:
    """The edition the site reads: the application layer's object (`clustergraph.edition`)."""
    from ...edition import open_edition

    return open_edition(data)


def site_from(ed: Any) -> Site:
    """Everything the pages need, from an edition: network, measures, gaps, events."""
    from .facts import Records

    # A folder name alone ("graph") says little to a director: say what it holds.
    name = ed.name if ed.dataset is not None else f"Cluster partnerships ({ed.name})"
    return Site(
        name=name,
        built=built_at(),
        records=Records(ed.graph.store, ed.graph.base),
        G=ed.network("all"),
        rows={str(r["id"]): r for r in ed.connectors("all")},
        gaps=ed.gaps("all"),
        events=ed.progress().events,
        summary=ed.summary("all"),
    )


def write_site(data: Any, output: str | os.PathLike[str], *, with_map: bool = True) -> SiteWritten:
    """Write the site of `data` (an `Edition`, or a data directory, RDF file or REV:PATH naming
    one) into the folder `output`.

    The folder is written beside its target and renamed into place when complete, so
    a failure leaves the previous site as it was.
    """
    from ...edition import Edition

    started = time.perf_counter()
    out = Path(output)
    if isinstance(data, Edition):
        _check_target(out, Path(data.label))
        site = site_from(data)
    else:
        _check_target(out, Path(os.fspath(data)))
        with open_site_edition(os.fspath(data)) as ed:
            site = site_from(ed)
    from ...output import OutputError

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    except OSError as exc:
        raise OutputError(out, exc.strerror or str(exc)) from None
    # Tens of thousands of small files: written plainly into the new folder (one
    # fsync each would cost minutes), which is renamed into place only when complete.
    try:
        pages, files, size = _write_all(site, tmp, with_map)
        _replace_dir(tmp, out)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(out, exc.strerror or str(exc)) from None
        raise
    return SiteWritten(out, pages, files, size, time.perf_counter() - started)


def _check_target(out: Path, data: Path) -> None:
    """Refuse to replace the data, a folder holding it, or a folder that is not a site."""
    from ...errors import UsageError

    o, d = out.resolve(), data.resolve()
    if o == d or o in d.parents or d in o.parents:
        raise UsageError(
            f"output: refusing to write the site to {out}: it holds or is inside the data {data}"
        )
    if o.exists() and (not o.is_dir() or (any(o.iterdir()) and not (o / "site.js").exists())):
        raise UsageError(
            f"output: refusing to replace {out}: it is not a site written by clustergraph"
            " (choose a new folder)"
        )


def _replace_dir(new: Path, target: Path) -> None:
    mode = 0o777 & ~_umask()
    for p in [new, *new.rglob("*")]:
        p.chmod(mode if p.is_dir() else mode & 0o666)
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
        new.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        new.rename(target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_all(site: Site, root: Path, with_map: bool) -> tuple[int, int, int]:
    from ..templates import environment

    env = environment()
    (root / "id").mkdir()
    size = 0
    files = 0
    pages = 0

    def put(rel: str, body: bytes | str) -> None:
        nonlocal size, files
        data = body.encode("utf-8") if isinstance(body, str) else body
        (root / rel).write_bytes(data)
        size += len(data)
        files += 1

    common = {"site": site.name, "built": site.built, "csp": CSP, "site_pages": site.pages}

    def render(template: str, rel: str, depth: int, **ctx: Any) -> None:
        nonlocal pages
        put(rel, env.get_template("site/" + template).render(root="../" * depth, **common, **ctx))
        pages += 1

    from importlib import resources

    assets = resources.files(__package__)
    for name in ("site.css", "site.js"):
        put(name, assets.joinpath(name).read_bytes())

    render(
        "index.html",
        "index.html",
        0,
        page=index_page(site),
        search=search_index(site),
        with_map=with_map,
    )
    render("kinds.html", "kinds.html", 0, kinds=kinds_page(site))
    render(
        "sources.html",
        "sources.html",
        0,
        sources=sorted((site.source_ref(s) for s in site.sources), key=lambda r: r["label"].lower()),
    )
    roots = [p for p, item in site.plans.items() if item["parent"] not in site.plans]
    render("plans.html", "plan.html", 0, plans=_plan_tree(site, roots))
    render("path.html", "path.html", 0, data=path_data(site))

    records = site.records
    linked: Callable[[str], None]

    def linked(rid: str) -> None:
        put(f"id/{rid}.ttl", records.turtle(rid))
        put(f"id/{rid}.jsonld", records.jsonld(rid))

    from ...progressbar import bar

    entity = env.get_template("site/entity.html")
    with bar(site.H.number_of_nodes(), "writing entity pages", min_total=2000) as advance:
        for rid in site.H:
            rid = str(rid)
            put(f"id/{rid}.html", entity.render(root="../", **common, e=entity_page(site, rid)))
            pages += 1
            linked(rid)
            advance(1)
    for cid in site.clusters:
        render("cluster.html", f"id/{cid}.html", 1, c=cluster_page(site, cid))
        linked(cid)
    for sid in site.sources:
        render("source.html", f"id/{sid}.html", 1, s=source_page(site, sid))
        linked(sid)
    for pid in site.plans:
        render("plan.html", f"id/{pid}.html", 1, p=plan_page(site, pid))
        linked(pid)

    if with_map:
        from ..map import map_data, map_html

        G = site.G
        data = map_data(G, measures=site.rows, highlight="gaps", gaps=site.gaps, connectors=[])
        put("map.html", map_html(data, f"{site.name}: partnership map", "The whole regional network"))
    return pages, files, size


def _plan_tree(site: Site, ids: list[str]) -> list[dict[str, Any]]:
    from .pages import LEVEL_WORDS

    return [
        site.ref(i)
        | {
            "level": LEVEL_WORDS[site.plans[i]["level"]],
            "children": _plan_tree(site, site.plans[i]["children"]),
        }
        for i in ids
    ]

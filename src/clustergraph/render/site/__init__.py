"""`clustergraph site`: a static, offline website of one edition of the graph.

The folder it writes opens from disk (``index.html``) or can be published as it is:

- ``index.html``: headline figures, the clusters, the map, and a search box over
  names, aliases and ids (its data in ``search-data.js``, loaded by the page's script tag);
- ``id/ID.html`` for every entity, cluster, source and plan item, with the same
  record beside it as ``id/ID.ttl`` and ``id/ID.jsonld``: the record IRIs
  (``https://w3id.org/clustergraph/id/ID``) can be redirected to these files;
- ``kinds.html`` (every entity by kind), ``sources.html``, ``plan.html``;
- ``path.html``: "how is A connected to B", answered in the page by the same
  search as `clustergraph path` (the network in ``path-data.js``);
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
    LISTED_PER_PAGE,
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
    """What `write_site` wrote: the folder, how many pages and files, bytes, seconds, and
    how many processes wrote them."""

    path: Path
    pages: int
    files: int
    size: int
    took: float
    jobs: int = 1


def open_site_edition(data: str) -> Any:
    """The edition the site reads: the application layer's object (`clustergraph.edition`)."""
    from ...edition import open_edition

    return open_edition(data)


def site_from(ed: Any, jobs: int = 1, *, free_graph: bool = False) -> Site:
    """Everything the pages need, from an edition: network, measures, gaps, communities, events.

    With `jobs` above 1 (and a process that can fork), the connectors, the communities,
    the gaps and the summary are computed in forked processes while this one reads the
    pages' own tables: the same results, on both cores instead of one after the other,
    and none of the analyses' working memory in this process. With `free_graph` (the
    edition is the site's own), the table of triples the network and the pages' tables
    were read from is let go once they are made, before the pages are written: each
    record's own triples are read from the `SubjectFile`, which stays.
    """
    from ...builder import TripleTable
    from .facts import Records

    # Each record's own triples first: on YAML, a table of the triples the build would write,
    # with every subject's lines on disk, and no store (2.5 GiB at 200,000 entities); the
    # network, the dates and the plan are read from the same table, made once.
    triples = ed.record_triples()
    records = Records(triples, triples.base if isinstance(triples, TripleTable) else ed.graph.base)
    # A folder name alone ("graph") says little to a director: say what it holds.
    name = ed.name if ed.dataset is not None else f"Cluster partnerships ({ed.name})"
    G = ed.network("all")
    with _Analyses(ed, jobs) as elsewhere:
        site = Site(
            name=name,
            built=built_at(),
            records=records,
            G=G,
            events=ed.progress().events,
        )
        site.rows = {str(r["id"]): r for r in elsewhere.get("connectors")}
        site.gaps = elsewhere.get("gaps")
        site.summary = elsewhere.get("summary")
        site.communities = elsewhere.get("communities")
    if free_graph:
        records.let_table_go()
        ed.let_graph_go()
    return site


# The edition a forked analysis reads (set in the parent just before the process starts).
_EDITION: Any = None


def _analyse(ed: Any, name: str) -> Any:
    """One of the site's analyses of the network "all", as the pages use it."""
    if name == "communities":  # only who is in which community: the map's overview groups by it
        return dict(ed.communities("all").membership)
    return getattr(ed, name)("all")


def _analysis(name: str) -> Any:
    """One of the site's analyses, in a forked process."""
    assert _EDITION is not None
    return _analyse(_EDITION, name)


class _Analyses:
    """The connectors, the communities, the gaps and the summary, each computed in a process
    forked from this one when `jobs` > 1 (the network is read in place, copy-on-write; only
    the result travels back), else here on first `get`. Either way `get` gives what
    `_analyse` gives."""

    # The longest first, so that two processes end about together (50,000 entities, cpu s:
    # connectors 13, communities 8, gaps 8, summary 3).
    NAMES = ("connectors", "communities", "gaps", "summary")

    def __init__(self, ed: Any, jobs: int) -> None:
        self.ed, self.jobs = ed, jobs
        self.futures: dict[str, Any] = {}
        self.pool: Any = None

    def __enter__(self) -> _Analyses:
        global _EDITION
        if self.jobs > 1 and _can_fork():
            import gc
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            _EDITION = self.ed
            # Until the results are back, the objects made so far are left alone by every
            # process's garbage collector, so the network stays shared instead of copied.
            gc.freeze()
            self.pool = ProcessPoolExecutor(
                min(self.jobs, len(self.NAMES)), mp_context=multiprocessing.get_context("fork")
            )
            self.futures = {n: self.pool.submit(_analysis, n) for n in self.NAMES}
        return self

    def get(self, name: str) -> Any:
        if name not in self.futures:
            return _analyse(self.ed, name)
        from concurrent.futures.process import BrokenProcessPool

        from ...errors import ClusterGraphError

        try:
            return self.futures[name].result()
        except BrokenProcessPool:
            raise ClusterGraphError(
                f"the process computing the {name} stopped unexpectedly (out of memory?)"
            ) from None

    def __exit__(self, *exc: object) -> None:
        global _EDITION
        if self.pool is not None:
            import gc

            self.pool.shutdown(wait=True, cancel_futures=True)
            gc.unfreeze()
        _EDITION = None


def write_site(
    data: Any, output: str | os.PathLike[str], *, with_map: bool = True, jobs: int | None = None
) -> SiteWritten:
    """Write the site of `data` (an `Edition`, or a data directory, RDF file or REV:PATH naming
    one) into the folder `output`.

    The folder is written beside its target and renamed into place when complete, so
    a failure leaves the previous site as it was. `jobs` processes write the pages
    (default: one per core; 1 writes them in this process); the files are the same
    whatever the number.
    """
    from ...errors import UsageError

    if jobs is not None and jobs < 1:
        raise UsageError("`jobs` must be 1 or more")
    from ...edition import Edition

    started = time.perf_counter()
    out = Path(output)
    if isinstance(data, Edition):
        _check_target(out, Path(data.label))
        site = site_from(data, jobs or default_jobs())
    else:
        _check_target(out, Path(os.fspath(data)))
        with open_site_edition(os.fspath(data)) as ed:
            site = site_from(ed, jobs or default_jobs(), free_graph=True)
    from ...output import OutputError

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    except OSError as exc:
        raise OutputError(out, exc.strerror or str(exc)) from None
    # Tens of thousands of small files: written plainly into the new folder (one
    # fsync each would cost minutes), which is renamed into place only when complete.
    try:
        pages, files, size, used = _write_all(site, tmp, with_map, jobs or default_jobs())
        _replace_dir(tmp, out)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(out, exc.strerror or str(exc)) from None
        raise
    return SiteWritten(out, pages, files, size, time.perf_counter() - started, used)


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
    # Everything inside was created with the default modes (the umask applied); only the
    # temporary folder itself was made private, and takes the mode of a new folder.
    new.chmod(0o777 & ~_umask())
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


# Records per task handed to a worker: small enough that both cores stay busy to the end
# and a failure stops the rest soon, large enough that handing out tasks costs nothing.
CHUNK = 500


def default_jobs() -> int:
    """The cores this process may run on (all of them unless restricted)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - platforms without affinity
        return max(1, os.cpu_count() or 1)


class _Writer:
    """Writes the site's files into `root`: the task "top" (style, script, index and the
    lists), one task per chunk of records (page, Turtle, JSON-LD), and "map".

    Every file depends only on the site's data, never on which task or process wrote
    it, so the pages written in parallel are the same bytes as those written in turn.
    """

    def __init__(self, site: Site, root: Path, with_map: bool) -> None:
        self.site, self.root, self.with_map = site, root, with_map
        self.env = _page_environment()
        self.common = {"site": site.name, "built": site.built, "csp": CSP, "site_pages": site.pages}
        self.templates = {
            name: self.env.get_template(f"site/{name}.html")
            for name in ("entity", "cluster", "source", "plan")
        }
        # Every record with a page of its own, in a fixed order, cut into chunks.
        self.records: list[tuple[str, str]] = [
            *(("entity", str(r)) for r in site.H),
            *(("cluster", c) for c in site.clusters),
            *(("source", s) for s in site.sources),
            *(("plan", p) for p in site.plans),
        ]
        # The two long tasks first (the map, the index with the search's and the path form's
        # data: seconds each at 50,000 entities), so that no process is left alone with one
        # at the end while the others have nothing left to write.
        self.tasks: list[tuple[str, int]] = [("map", 0)] if with_map else []
        self.tasks.append(("top", 0))
        self.tasks += [("records", i) for i in range(0, len(self.records), CHUNK)]

    def size_of(self, task: tuple[str, int]) -> int:
        """Records the task writes (for the progress bar)."""
        return len(self.records[task[1] : task[1] + CHUNK]) if task[0] == "records" else 0

    def run(self, task: tuple[str, int]) -> tuple[int, int, int]:
        """Write one task's files; (pages, files, bytes)."""
        self.pages = self.files = self.size = 0
        what, start = task
        if what == "top":
            self._top()
        elif what == "records":
            for kind, rid in self.records[start : start + CHUNK]:
                self._record(kind, rid)
        else:
            self._map()
        return self.pages, self.files, self.size

    def put(self, rel: str, body: bytes | str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        # Created with the mode a new file gets (0666 less the umask), exclusively: two
        # tasks never write the same file.
        fd = os.open(self.root / rel, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        self.size += len(data)
        self.files += 1

    def render(self, template: str, rel: str, depth: int, **ctx: Any) -> None:
        page = self.templates.get(template) or self.env.get_template(f"site/{template}.html")
        self.put(rel, page.render(root="../" * depth, **self.common, **ctx))
        self.pages += 1

    def _top(self) -> None:
        from importlib import resources

        site = self.site
        assets = resources.files(__package__)
        for name in ("site.css", "site.js"):
            self.put(name, assets.joinpath(name).read_bytes())
        # The search's and the path form's data are script files of their own: a page
        # opened from disk may not fetch JSON, and a page holding megabytes of it is slow
        # to open and to save.
        self.put("search-data.js", _script_data("search", search_index(site)))
        self.put("path-data.js", _script_data("network", path_data(site)))
        self.render("index", "index.html", 0, page=index_page(site), with_map=self.with_map)
        kinds, kind_pages = kinds_page(site)
        self.render("kinds", "kinds.html", 0, kinds=kinds, per_page=LISTED_PER_PAGE)
        if kind_pages:
            (self.root / "kinds").mkdir()
        for k in kind_pages:
            self.render("kind", k["rel"], 1, k=k)
        sources = sorted((site.source_ref(s) for s in site.sources), key=lambda r: r["label"].lower())
        self.render("sources", "sources.html", 0, sources=sources)
        roots = [p for p, item in site.plans.items() if item["parent"] not in site.plans]
        self.render("plans", "plan.html", 0, plans=_plan_tree(site, roots))
        self.render("path", "path.html", 0)

    def _record(self, kind: str, rid: str) -> None:
        site = self.site
        rel = f"id/{rid}.html"
        if kind == "entity":
            self.render("entity", rel, 1, e=entity_page(site, rid))
        elif kind == "cluster":
            self.render("cluster", rel, 1, c=cluster_page(site, rid))
        elif kind == "source":
            self.render("source", rel, 1, s=source_page(site, rid))
        else:
            self.render("plan", rel, 1, p=plan_page(site, rid))
        self.put(f"id/{rid}.ttl", site.records.turtle(rid))
        self.put(f"id/{rid}.jsonld", site.records.jsonld(rid))

    def _map(self) -> None:
        from ..map import map_data, map_html, overview_html, overview_of, overview_wanted

        site = self.site
        title = f"{site.name}: partnership map"
        # The same picture either way: gaps highlighted, dots sized by the connectors' measures.
        shown: dict[str, Any] = {
            "measures": site.rows,
            "highlight": "gaps",
            "gaps": site.gaps,
            "connectors": [],
            "communities": site.communities,
        }
        if overview_wanted(site.G.number_of_nodes()):
            # Too big to draw whole (above 10,000 nodes), as `clustergraph map` decides: the
            # overview of clusters and groups, a group's members drawn when it is opened.
            self.put("map.html", overview_html(overview_of(site.G, **shown), title))
            return
        data = map_data(site.G, **shown)
        self.put("map.html", map_html(data, title, "The whole regional network"))


def _script_data(name: str, value: Any) -> str:
    """A script that sets ``clustergraph.NAME`` to `value` (JSON, which is JavaScript; with
    ``<``, ``>``, ``&`` and the line separators escaped as everywhere else)."""
    from .._html import script_json

    head = "window.clustergraph = window.clustergraph || {};\n"
    return f"{head}clustergraph.{name} = {script_json(value)};\n"


def _page_environment() -> Any:
    """The shared environment, with the pages' data read as it is made: dicts.

    Jinja reads ``e.label`` as the attribute first and the key second; on a dict the
    missing attribute costs an exception per lookup (4 million at 20,000 pages). Here a
    dict's key is looked up first, then the usual rules apply. No key of the pages' data
    is the name of a dict method, so a template reads the same values either way.
    """
    from ..templates import environment

    env = environment().overlay(cache_size=64)  # its own cache: templates compiled against it
    usual = env.getattr

    def getattr_(obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return usual(obj, attribute)

    env.getattr = getattr_  # type: ignore[method-assign]
    return env


# The writer a forked worker inherits (set in the parent just before the workers start).
_WRITER: _Writer | None = None


def _run_task(task: tuple[str, int]) -> tuple[str, Any]:
    """One task in a worker: ("done", counts), or ("oserror", (errno, strerror)) so the parent
    words a file that could not be written as it does when it writes it itself."""
    assert _WRITER is not None
    try:
        return "done", _WRITER.run(task)
    except OSError as exc:
        return "oserror", (exc.errno, exc.strerror or str(exc))


def _write_all(site: Site, root: Path, with_map: bool, jobs: int = 1) -> tuple[int, int, int, int]:
    """Write every file of the site into `root` (an empty folder); (pages, files, bytes,
    processes that wrote them).

    With `jobs` above 1, the tasks are shared out to that many worker processes, forked
    from this one so that they read the prepared site in place (copy-on-write) instead
    of receiving it. Where a process cannot be forked safely (no fork on the platform,
    or other threads running, as in `serve`), this process writes them in turn.
    """
    from ...progressbar import bar

    (root / "id").mkdir()
    writer = _Writer(site, root, with_map)
    totals = [0, 0, 0]
    jobs = min(jobs, len(writer.tasks))
    with bar(len(writer.records), "writing pages", min_total=2000) as advance:
        if jobs <= 1 or not _can_fork():
            jobs = 1
            for task in writer.tasks:
                for i, n in enumerate(writer.run(task)):
                    totals[i] += n
                advance(writer.size_of(task))
        else:
            _write_parallel(writer, jobs, totals, advance)
    return totals[0], totals[1], totals[2], jobs


def _can_fork() -> bool:
    import multiprocessing
    import threading

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _write_parallel(writer: _Writer, jobs: int, totals: list[int], advance: Callable[[int], None]) -> None:
    import gc
    import multiprocessing
    from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    global _WRITER
    _WRITER = writer
    # Objects made so far are left alone by the workers' garbage collector, so their
    # memory stays shared with this process instead of being copied page by page.
    gc.freeze()
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    try:
        futures = {pool.submit(_run_task, task): task for task in writer.tasks}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                try:
                    status, value = future.result()
                except BrokenProcessPool:
                    raise OSError(
                        0, "a process writing the pages stopped unexpectedly (out of memory?)"
                    ) from None
                if status == "oserror":
                    raise OSError(*value)
                for i, n in enumerate(value):
                    totals[i] += n
                advance(writer.size_of(futures[future]))
    finally:
        # On a failure the tasks not started are dropped and the running ones end
        # before the caller removes the folder they write into.
        pool.shutdown(wait=True, cancel_futures=True)
        _WRITER = None
        gc.unfreeze()


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

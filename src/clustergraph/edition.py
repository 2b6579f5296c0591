"""The application layer: one object per edition of the data, everything computed once.

An edition is what a user names on the command line: a data directory of YAML, an
exported RDF file, a git revision of a data directory written `REV:PATH` (e.g.
`v2017:graph`), or a SPARQL server (`remote.Remote`, or an http(s) URL): the graphs it
names are read into a local store once, so every analysis runs on a server's graph
exactly as on the YAML it was pushed from. `open_edition` reads it; the `Edition` loads
and builds its graph once, projects the network once per relations preset, and runs each
analysis (summary, connectors, gaps, progress) the first time it is asked for, keeping
the answer. The map, the report, `diff` and the command line all ask an edition, so a
page that shows the connectors, the gaps and a map of the same network computes each
once, on the same network.

>>> with open_edition("graph") as ed:
...     G = ed.network("partnerships")
...     G is ed.network("partnerships"), ed.projections
(True, 1)
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .errors import DataError, DataErrors, Loc

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph as ox

    from .builder import BuiltGraph, TripleTable
    from .cache import EditionCache
    from .network.completeness import Marked
    from .records import Data
    from .remote import Remote
    from .timeline import Plan, Progress

Relations = str | Iterable[str] | None


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """What the dataset says of itself (its `datasets` record, a `dcat:Dataset` in RDF).

    Empty strings where the record leaves a field out.
    """

    title: str
    region: str = ""
    edition: str = ""
    publisher: str = ""
    license: str = ""


class Edition:
    """One edition of the data: its graph, its networks and its analyses, each made once.

    Parameters
    ----------
    label : str
        What the user named (a directory, a file, `REV:PATH`), for messages.
    graph : BuiltGraph, optional
        The knowledge graph of the edition. Without it, it is built from the
        records (or by `make_graph`) the first time it is asked for.
    data : Data, optional
        Its validated records, when it came from YAML.
    reload : callable, optional
        How to read the records again, for an edition that lets them go (see
        `keep_records`).
    make_graph : callable, optional
        How to build the graph when it is first asked for, when that is not
        from the records.
    keep_records : bool
        Keep the records for the life of the edition (what `diff` needs).
        Otherwise they are let go once the graph is built or the command is
        done with them (`let_graph_go`), and read again if asked for.
    kept : EditionCache, optional
        Where the networks, dated facts, aliases and dataset record of this
        state of the data are kept between runs (`clustergraph.cache`): what
        is there is read, not made; what is made is kept.
    shown_root : mapping, optional
        Temporary extraction folder -> how the user wrote it (`REV:PATH`), so
        places in a git revision are shown as the user named them.

    `projections` counts the networks projected so far: one per relations
    preset asked for, however often it is asked.
    """

    def __init__(
        self,
        label: str,
        graph: BuiltGraph | None,
        data: Data | None = None,
        shown_root: Mapping[str, str] | None = None,
        *,
        cleanup: tempfile.TemporaryDirectory[str] | None = None,
        reload: Callable[[], Data | None] | None = None,
        make_graph: Callable[[], BuiltGraph] | None = None,
        kept: EditionCache | None = None,
        keep_records: bool = True,
    ) -> None:
        if graph is None and make_graph is None and data is None and reload is None:
            raise TypeError("an Edition needs its graph, or its records, or how to build it")
        self.label = label
        self._graph = graph
        self._make_graph = make_graph
        self._rebuildable = graph is None  # a graph it built itself can be let go and built again
        self._kept = kept
        self._data = data
        self._reload = reload
        self._keep_records = keep_records
        self._table: TripleTable | None = None
        self.shown_root = dict(shown_root or {})
        self.built = datetime.now().astimezone().isoformat(timespec="minutes")
        self.projections = 0
        self._cleanup = cleanup
        self._networks: dict[frozenset[str] | None, nx.Graph] = {}
        self._results: dict[tuple[Any, ...], Any] = {}
        #: The day this edition is seen on (`on`); None for the edition as it is.
        self.at: str | None = None
        self._whole: Edition | None = None

    @property
    def graph(self) -> BuiltGraph:
        """The knowledge graph, built the first time it is asked for when the edition
        was opened from what its last run kept (see `kept`)."""
        if self._whole is not None:
            return self._whole.graph
        if self._graph is None:
            if self._make_graph is not None:
                self._graph = self._make_graph()
            else:
                from .builder import build

                self._graph = build(self._records())
                self._table = None  # the store answers what the table did
                if not self._keep_records:
                    self._let_records_go()
        return self._graph

    def _records(self) -> Data:
        """The records, read again if they were let go; kept until `_let_records_go`."""
        if self._data is None:
            assert self._reload is not None
            data = self._reload()
            assert data is not None
            self._data = data
        return self._data

    def _let_records_go(self) -> None:
        if self._reload is not None:
            self._data = None

    def _triples(self, by_subject: bool = False) -> ox.Store | TripleTable:
        """What the graph's readers read (the projection, the dated facts, the aliases;
        with `by_subject`, each record's own triples, as the site's pages read them).

        The store, when the graph is built (or was given: an RDF file, a server).
        Otherwise the triples the build would write, as a `TripleTable` made from
        the records, and no store is filled: a network command on YAML never
        builds one (at 50,000 entities the table is 2.9 s where the store and
        reading it back are 11 s, in about a quarter of the memory). The
        records are let go once the table is made, unless kept: a command that
        needs the store as well asks for `graph` first, and its readers then
        read the store. A table made `by_subject` also holds every subject's
        lines, on disk (`builder.SubjectFile`): a site at 200,000 entities then
        holds no store (2.5 GiB).
        """
        whole = self.whole
        if whole._reads_store():
            return whole.graph.store
        if whole._table is None or (by_subject and whole._table.by_subject is None):
            from .builder import TripleTable

            whole._table = TripleTable(whole._records(), by_subject=by_subject)
            if not whole._keep_records:  # the table answers what the readers ask (1.4 GiB at L)
                whole._let_records_go()
        return whole._table

    def record_triples(self) -> ox.Store | TripleTable:
        """What each record's own triples are read from (the site's pages, its Turtle and
        JSON-LD files): the store when there is one, else the table of the triples the
        build would write, with every subject's lines (`builder.SubjectFile`). The
        networks, dates and aliases are then read from the same table."""
        return self._triples(by_subject=True)

    def let_graph_go(self) -> None:
        """Free the graph: the command has what it needs of it (its network, dates, aliases).

        At 200,000 entities the store is 2.5 GiB of the 4 a network command would
        otherwise hold while its analysis runs; the table of triples and the
        records waiting to be built are let go too. Asked for again, each is
        made again from the same files; an edition that cannot be (an RDF file,
        a server) keeps its graph, and one that keeps its records keeps them.
        """
        whole = self.whole
        freed = whole._table is not None
        whole._table = None
        if whole._graph is not None and whole._rebuildable:
            whole._graph = None
            freed = True
        if whole._data is not None and not whole._keep_records and whole._reload is not None:
            whole._let_records_go()
            freed = True
        if freed:
            _give_back_memory()

    def _kept_or(self, name: str, make: Callable[[], Any]) -> Any:
        """What the cache keeps under `name`, else `make()`, then kept."""
        if self._kept is None:
            return make()
        found = self._kept.get(name)
        if found is None:
            found = make()
            self._kept.put(name, found)
        return found

    @property
    def data(self) -> Data | None:
        """The validated records, when the edition came from YAML; None for RDF and servers.

        An edition opened without `keep_records` lets them go once its graph is
        built (the graph, the networks and the analyses never read them: at
        200,000 entities they are 1.4 GiB); they are read again from the same
        files the first time they are asked for, and then kept.
        """
        if self._data is None and self._reload is None:
            return None
        self._keep_records = True
        return self._records()

    def __repr__(self) -> str:
        at = f" at {self.at}" if self.at else ""
        if self.whole._graph is None:
            return f"<Edition {self.label!r}{at}: graph not built yet>"
        return f"<Edition {self.label!r}{at}: {len(self.graph)} triples>"

    def on(self, at: str | None) -> Edition:
        """The edition as it stood on `at` (YYYY, YYYY-MM or YYYY-MM-DD); itself when `at` is None.

        Its networks are filters of this edition's (see
        `clustergraph.network.dated.network_at`: nothing is projected again),
        and its analyses run on them. Close the edition it came from, not the view.

        >>> with open_edition("graph") as ed:
        ...     old = ed.on("2016")
        ...     len(old.network()) < len(ed.network()), ed.projections, old.name.endswith("stood in 2016")
        (True, 1, True)
        """
        if at is None:
            return self
        from .network.dated import check_date

        whole = self._whole or self
        view = Edition(  # its records are the whole's, never a second hold on them
            whole.label,
            None,
            None,
            whole.shown_root,
            reload=whole._reload_whole,
            make_graph=lambda: whole.graph,
        )
        view.built = whole.built
        view.at = check_date(at)
        view._whole = whole
        return view

    def _reload_whole(self) -> Data | None:
        return self.data

    @property
    def whole(self) -> Edition:
        """The edition this one is a day's view of (`on`), or itself."""
        return self._whole or self

    @cached_property
    def dates(self) -> Any:
        """The dated facts of the graph (`clustergraph.network.dated.dates`), read once."""
        if self._whole is not None:
            return self._whole.dates
        from .network.dated import dates

        return self._kept_or("dates", lambda: dates(self._triples()))

    @cached_property
    def aliases(self) -> dict[str, list[str]]:
        """Record id -> its aliases (`clustergraph.network.resolve.aliases`), read once."""
        if self._whole is not None:
            return self._whole.aliases
        from .network.resolve import aliases

        return self._kept_or("aliases", lambda: aliases(self._triples()))

    # ------------------------------------------------------------ life

    def close(self) -> None:
        """Remove what the edition extracted to a temporary folder (git revisions)."""
        if self._cleanup is not None:
            self._cleanup.cleanup()
            self._cleanup = None

    def __enter__(self) -> Edition:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------ what it is

    @cached_property
    def dataset(self) -> DatasetInfo | None:
        """The dataset's own record (`datasets` in YAML, `dcat:Dataset` in RDF), if it has one."""
        if self._whole is not None:
            return self._whole.dataset
        found = self._kept_or("dataset", lambda: (self._dataset(),))
        return found[0]  # kept in a tuple: None is a dataset without a record, not a miss

    def _dataset(self) -> DatasetInfo | None:
        from .network.project import _Reader, _store
        from .vocab import DCTERMS, RDF, RDFS

        read = _Reader(*_store(self._triples()))
        node = next((n for n, _ in read.each(RDF + "type", "http://www.w3.org/ns/dcat#Dataset")), None)
        if node is None:
            return None
        labels = read.last(RDFS + "label")

        def value(predicate: str) -> str:
            # The first value; one that names a thing with a label (a publisher) is shown by it.
            return next((labels.get(o, o) for s, o in read.each(predicate) if s == node), "")

        return DatasetInfo(
            title=value(DCTERMS + "title") or labels.get(node, ""),
            region=value(DCTERMS + "spatial"),
            edition=value(DCTERMS + "issued"),
            publisher=value(DCTERMS + "publisher"),
            license=value(DCTERMS + "license"),
        )

    @property
    def name(self) -> str:
        """The edition as a director would name it: the dataset's region and edition, else its folder.

        A git revision is named after its folder and revision ("graph as of v2017"),
        never in revision syntax.
        """
        ds = self.dataset
        if self.at is not None:
            from .network.dated import on_words

            return f"{self._whole.name if self._whole else self.label}, as it stood {on_words(self.at)}"
        if ds is not None:
            main = ds.region or ds.title
            return f"{main}, {ds.edition} edition" if ds.edition else main
        rev, sep, path = self.label.partition(":")
        # An endpoint's label holds a URL, never revision syntax.
        if sep and not Path(self.label).exists() and rev and "://" not in self.label:
            return f"{Path(path or '.').resolve().name} as of {rev}"
        return Path(self.label).resolve().name if Path(self.label).exists() else self.label

    # ------------------------------------------------------------ networks and analyses

    def network(self, relations: Relations = None) -> nx.Graph:
        """The network of the chosen relations (see `clustergraph.network.project`), projected once.

        Presets that select the same relations share one network ("all" and
        None are the same). Treat the graph as read-only: every analysis of
        this edition shares it.
        """
        from .network import project
        from .network.project import _wanted

        key = _wanted(relations)
        if key not in self._networks:
            if self._whole is not None:  # a day's network: a filter of the whole one
                from .network.dated import network_at

                whole = self._whole.network(relations)
                self._networks[key] = network_at(whole, self.at or "", self._whole.dates)
            else:
                name = "network-" + _key_name(key)
                self._networks[key] = self._kept_or(name, lambda: project(self._triples(), relations))
                self.projections += 1
        return self._networks[key]

    def _once(self, key: tuple[Any, ...], make: Any) -> Any:
        if key not in self._results:
            self._results[key] = make()
        return self._results[key]

    def summary(self, relations: Relations = None) -> dict[str, Any]:
        """`clustergraph.network.summary` of the network of `relations`, computed once."""
        from .network import summary
        from .network.project import _wanted

        return self._once(("summary", _wanted(relations)), lambda: summary(self.network(relations)))

    def connectors(self, relations: Relations = None) -> list[Any]:
        """Every connector row of the network of `relations`, most central first, computed once.

        Callers that want the first N slice the list; the ranking is of the whole network.
        """
        from .network import connectors
        from .network.project import _wanted

        return self._once(("connectors", _wanted(relations)), lambda: connectors(self.network(relations)))

    def gaps(self, relations: Relations = None, rules: str | os.PathLike[str] | None = None) -> Any:
        """`clustergraph.network.gaps` of the network of `relations` (whole region), computed once."""
        from .network import gaps
        from .network.project import _wanted

        where = os.fspath(rules) if rules is not None else None
        return self._once(("gaps", _wanted(relations), where), lambda: gaps(self.network(relations), where))

    def communities(self, relations: Relations = None, resolution: float = 1.0, seed: int = 0) -> Any:
        """`clustergraph.network.communities` of the network of `relations`, computed once."""
        from .network import communities
        from .network.project import _wanted

        return self._once(
            ("communities", _wanted(relations), resolution, seed),
            lambda: communities(self.network(relations), resolution=resolution, seed=seed),
        )

    def structure(self, relations: Relations = None) -> Any:
        """`clustergraph.network.structure` (how the ecosystem is organised), computed once."""
        from .network import structure
        from .network.project import _wanted

        return self._once(("structure", _wanted(relations)), lambda: structure(self.network(relations)))

    def first_years(self, relations: Relations = None) -> Any:
        """`clustergraph.network.dated.first_years` of the network of `relations` (the year each
        entity and link first stands: a map's year slider), made once; for the edition as it
        is, kept between runs like the network and the dates it is read from."""
        from .network.dated import first_years
        from .network.project import _wanted

        key = _wanted(relations)
        return self._once(
            ("years", key),
            lambda: self._kept_or(
                "years-" + _key_name(key), lambda: first_years(self.network(relations), self.dates)
            ),
        )

    def progress(self) -> Progress:
        """The plan's progress events and stalled items (`clustergraph.timeline.progress`), read once."""
        from .timeline import progress

        return self._once(("progress",), lambda: progress(self.whole.plan, at=self.at))

    @cached_property
    def plan(self) -> Plan:
        """The plan's items and every event (`clustergraph.timeline.read_plan`), read once, kept
        between runs: a day's `progress` is read from them, and a report needs no store."""
        if self._whole is not None:
            return self._whole.plan
        from .timeline import read_plan

        return self._kept_or("plan", lambda: read_plan(self._triples(), self._base()))

    @cached_property
    def unverified(self) -> list[Marked]:
        """The records marked unverified (`clustergraph.network.completeness.unverified_records`),
        read once, kept between runs."""
        if self._whole is not None:
            return self._whole.unverified
        from .network.completeness import unverified_records

        return self._kept_or("unverified", lambda: unverified_records(self._triples()))

    def _base(self) -> str | None:
        """The base of the IRIs `_triples` holds: the graph's when it reads a store, else None
        (a `TripleTable` knows its own)."""
        whole = self.whole
        return whole.graph.base if whole._reads_store() else None

    def _reads_store(self) -> bool:
        """Whether the graph's readers read a store: it is built, or it is not made from records."""
        return self._graph is not None or self._make_graph is not None


def _give_back_memory() -> None:
    """Return freed heap pages to the system (glibc), so what is made next does not
    count on top of them in the process's peak.

    What was let go (the store, the table, the records) holds no reference
    cycles, so it is freed as it goes: no `gc.collect`, which at 50,000 entities
    walked every object of the network for 6 s and found nothing.
    """
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: the memory is reused by this process all the same


def _key_name(key: frozenset[str] | None) -> str:
    """A short file name for a relations key (a preset can select a dozen relations)."""
    import hashlib

    return (
        "all" if key is None else hashlib.blake2b("+".join(sorted(key)).encode(), digest_size=8).hexdigest()
    )


# ---------------------------------------------------------------- opening


def _git(args: list[str], cwd: str | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


def _from_git(spec: str, workdir: Path) -> tuple[Path, str]:
    """Extract REV:PATH from the git repository around the working directory."""
    rev, _, path = spec.partition(":")
    path = path or "."
    top = _git(["rev-parse", "--show-toplevel"])
    if top.returncode != 0:
        raise DataErrors(
            [
                DataError(
                    Loc(spec),
                    "not inside a git repository",
                    "run diff from the repository, or pass two directories",
                )
            ]
        )
    root = top.stdout.decode().strip()
    # PATH is relative to the working directory, as git users expect of REV:./PATH.
    rel = os.path.relpath(Path(path).resolve(), root)
    if _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=root).returncode != 0:
        raise DataErrors(
            [DataError(Loc(spec), f"unknown revision '{rev}'", "see `git log --oneline` or `git tag`")]
        )
    archive = _git(["archive", "--format=tar", rev, "--", rel], cwd=root)
    if archive.returncode != 0:
        raise DataErrors([DataError(Loc(spec), f"'{path}' does not exist in revision '{rev}'")])
    target = workdir / "edition"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target / rel, f"{rev}:{path.rstrip('/')}"


def open_edition(
    spec: str | os.PathLike[str] | Remote,
    workdir: str | os.PathLike[str] | None = None,
    *,
    keep_records: bool = False,
) -> Edition:
    """Open one edition: a data directory, an exported RDF file, a git `REV:PATH`, or a server.

    A git revision is extracted into `workdir`, or into a temporary folder the
    edition removes when closed (`Edition.close`, or use it as a context manager).
    A server is a `remote.Remote` (its graph selection and credentials) or an
    http(s) URL of its SPARQL endpoint (its default graph, no credentials); its
    graph is read with `remote.read_remote`. Bad data raises `DataErrors`; a
    server that fails, a `QueryError`.

    The records of YAML are let go once the graph is built, unless `keep_records`
    (what `diff` needs): `Edition.data` reads them again, from the same files,
    when asked. (A git revision's files are there until the edition is closed.)
    """
    from .builder import names_rdf_file, read_graph
    from .remote import Remote, read_remote
    from .yamlfile import display_path

    if isinstance(spec, str) and spec.startswith(("http://", "https://")):
        spec = Remote(spec)
    if isinstance(spec, Remote):
        return Edition(spec.label, read_remote(spec))
    spec = os.fspath(spec)
    p = Path(spec)
    if names_rdf_file(spec) and (p.exists() or ":" not in spec):
        return Edition(spec, read_graph(spec))  # a missing file says so, naming it
    if p.exists():
        return _from_yaml(spec, p, keep_records)
    if ":" in spec:
        tmp = tempfile.TemporaryDirectory(prefix="clustergraph-edition-") if workdir is None else None
        try:
            root, shown = _from_git(spec, Path(workdir) if workdir is not None else Path(tmp.name))  # type: ignore[union-attr]
            return _from_yaml(spec, root, keep_records, {display_path(root): shown}, cleanup=tmp)
        except BaseException:
            if tmp is not None:
                tmp.cleanup()
            raise
    raise DataErrors(
        [
            DataError(
                Loc(spec),
                "no such directory or file, and not a git REV:PATH",
                "pass a data directory, a .ttl file, or e.g. v2017:graph",
            )
        ]
    )


def _from_yaml(
    spec: str,
    root: Path,
    keep_records: bool,
    shown_root: Mapping[str, str] | None = None,
    *,
    cleanup: tempfile.TemporaryDirectory[str] | None = None,
) -> Edition:
    """The edition of a YAML directory: loaded and checked now, built when first asked.

    Its graph is built the first time something asks for it; its networks,
    dates and aliases are read from the triples the build would write, so a
    command that needs nothing else never fills a store (`Edition._triples`).
    When the last run on exactly these files left what it made
    (`cache.EditionCache`, not for git revisions), the edition opens on that:
    nothing is read or built until something asks for the graph or the records.
    """
    from .loader import load

    kept = None if cleanup is not None or keep_records or not root.is_dir() else _edition_cache(root)
    data = None
    if kept is None or not kept.complete:
        data = load(root)  # bad data raises here, naming every problem
        if kept is not None:
            kept.put("complete", True)  # this state loads: its entries may stand in
    return Edition(
        spec,
        None,
        data,
        shown_root,
        cleanup=cleanup,
        reload=lambda: load(root),
        kept=kept,
        keep_records=keep_records,
    )


def _edition_cache(root: Path) -> EditionCache | None:
    from .cache import enabled, open_edition_cache
    from .yamlfile import data_files

    if not enabled():
        return None
    files, errors = data_files(root)
    return None if errors or not files else open_edition_cache(root, files)


def open_editions(*specs: str, keep_records: bool = True) -> list[Edition]:
    """Open several editions, reporting the problems of all of them at once (as `diff` needs:
    with their records kept, see `open_edition`)."""
    errors: list[DataError] = []
    opened: list[Edition] = []
    for spec in specs:
        try:
            opened.append(open_edition(spec, keep_records=keep_records))
        except DataErrors as exc:
            errors.extend(exc.errors)
    if errors:
        for ed in opened:
            ed.close()
        raise DataErrors(errors)
    return opened

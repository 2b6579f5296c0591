"""The `clustergraph` command line: parse options, call one library function, print.

Heavy libraries (rdflib, pyshacl, networkx, pyvis) are imported inside the
commands that need them, so `clustergraph --help` starts at once.
"""

from __future__ import annotations

import functools
import io
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import click

from . import __version__
from .concepts import SIZE_MEASURES
from .errors import DataErrors, QueryError, UsageError
from .rows import json_default, plain
from .terminal import fit_widths, safe_json, safe_text, truncate, width

FORMATS = ("table", "csv", "tsv", "json")
RDF_FORMATS = ("turtle", "nt", "jsonld", "xml")


# ---------------------------------------------------------------- output


def format_option(*extra: str, help: str = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The `--format` option of every command that prints rows: table, csv, tsv, json,
    and the `extra` formats a command also writes (turtle, sparql)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice([*FORMATS, *extra]),
        default=None,
        help=(help or "Output format.") + " [default: table on a terminal, tsv in a pipe]",
    )


output_options = format_option()


def _default_format(fmt: str | None) -> str:
    return fmt or ("table" if sys.stdout.isatty() else "tsv")


def _cell(value: Any) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        # A gaps row lists thousands of ids at national scale: join strings at once.
        if all(type(v) is str for v in value):
            return ", ".join(value)
        return ", ".join(map(_cell, value))
    return str(value)


def emit(rows: Sequence[Mapping[str, Any]], fmt: str | None, columns: Sequence[str] | None = None) -> None:
    """Print rows (dicts) as an aligned table, CSV, TSV or a JSON list.

    Every cell is terminal-safe (`terminal.safe_text`: control and bidi characters shown as
    escapes) in every format; JSON stays JSON, with those characters as `\\uXXXX`. On a
    terminal a table is fitted to its width (the widest columns cut, with an ellipsis);
    in a pipe nothing is cut.
    """
    fmt = _default_format(fmt)
    cols = list(columns or (rows[0].keys() if rows else []))
    out = sys.stdout
    if fmt == "json":
        out.write(
            safe_json(
                json.dumps([plain(dict(r)) for r in rows], indent=2, ensure_ascii=False, default=json_default)
            )
        )
        out.write("\n")
        return
    if fmt in ("csv", "tsv"):
        import csv

        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow([safe_text(str(c)) for c in cols])
        for r in rows:
            # CSV quotes a line break inside a cell; in TSV it would end the row.
            writer.writerow([safe_text(_cell(r.get(c)), newlines=fmt == "csv") for c in cols])
        return
    head = [safe_text(str(c)) for c in cols]
    cells = [[safe_text(_cell(r.get(c)).replace("\n", " ")) for c in cols] for r in rows]
    widths = [max([width(c), *(width(row[i]) for row in cells)]) for i, c in enumerate(head)]
    if out.isatty() and widths:
        import shutil

        fitted = fit_widths(widths, shutil.get_terminal_size().columns)
        if fitted != widths:
            head = [truncate(c, w) for c, w in zip(head, fitted, strict=True)]
            cells = [[truncate(v, w) for v, w in zip(row, fitted, strict=True)] for row in cells]
            widths = fitted

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out.write(line(head) + "\n" + "  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write(line(row) + "\n")


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """A line of text for a person (stdout, or stderr with `err`), terminal-safe (`safe_text`)."""
    click.echo(safe_text(message, newlines=True), err=err, nl=nl)


def note(message: str) -> None:
    """A line for the person at the terminal, on stderr so pipes stay clean (terminal-safe)."""
    echo(message, err=True)


def fail_on_data_errors(errors: Iterable[Any], what: str = "problem") -> None:
    errs = list(errors)
    for e in errs:
        click.echo(safe_text(str(e)), err=True)
    files = len({e.loc.path for e in errs})
    plural = "" if len(errs) == 1 else "s"
    click.echo(f"{len(errs)} {what}{plural} in {files} file{'' if files == 1 else 's'}", err=True)
    sys.exit(1)


# Library parameter -> the option that sets it: library messages name parameters,
# and only the command line knows them as flags.
#: Rows `clustergraph query` shows unless --limit or --all says otherwise: a listing of
#: thousands of rows is read in a file, and turning them all into text is most of the time.
QUERY_LIMIT = 1000

FLAGS = {
    "limit": "--limit",
    "depth": "--depth",
    "highlight": "--highlight",
    "endpoint": "--endpoint",
    "graph_iri": "--graph",
    "chunk": "--chunk",
    "store": "--store",
    "default_graphs": "--default-graph",
    "named_graphs": "--named-graph",
    "user": "--user",
    "token": "--token",
    "graph": "DATA",
    "base": "--base",
    "timeout": "--timeout",
    "relations": "--relations",
    "at": "--at",
    "resolution": "--resolution",
    "merge": "--merge",
    "source": "FROM",  # clustergraph path FROM TO
    "target": "TO",
    "focus": "--focus",
    "without": "--without",
    "port": "--port",
}


def handle_errors(f: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into the contract's exit codes: 1 for bad data, 2 for usage."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = f(*args, **kwargs)
            sys.stdout.flush()  # a full disk shows here, as a message, not at exit as a traceback
            return result
        except DataErrors as exc:
            fail_on_data_errors(exc.errors)
        except UsageError as exc:
            raise click.UsageError(safe_text(exc.worded(FLAGS), newlines=True)) from None
        except QueryError as exc:  # a remote endpoint failed: one line, exit 1
            worded = getattr(exc, "worded", None)  # auth.AuthError names parameters like UsageError
            message = worded(FLAGS) if worded else str(exc)
            click.echo(f"error: {safe_text(message, newlines=True)}", err=True)
            sys.exit(1)
        except BrokenPipeError:
            raise
        except OSError as exc:  # the system refused a write (or a read): name the path and why
            where = exc.filename if exc.filename is not None else "standard output"
            click.echo(f"error: {safe_text(str(where))}: {exc.strerror or exc}", err=True)
            _quiet_stdout()
            sys.exit(1)

    return wrapper


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush cannot fail (a full disk) again."""
    import os

    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


@contextmanager
def ctrl_c_stops_at_once() -> Iterator[None]:
    """While the block runs, Ctrl-C ends the process at once (exit status 130).

    Python acts on Ctrl-C only between its own steps, and Oxigraph evaluates a
    query in Rust until it is done, so a runaway query could not be stopped.
    Use it only where nothing is being written to a file.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


data_argument = click.argument("data", default="graph", type=click.Path(path_type=str))

at_option = click.option(
    "--at",
    metavar="DATE",
    help="The network as it stood that day (YYYY, YYYY-MM or YYYY-MM-DD); undated facts always count.",
)


def credential_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """`--user` and `--token` of every command that talks to a server; never a password."""
    f = click.option(
        "--token",
        metavar="TOKEN",
        help="Bearer token [default: $CLUSTERGRAPH_TOKEN].",
    )(f)
    return click.option(
        "--user",
        metavar="NAME",
        help="User name when the server asks for one; the password comes from $CLUSTERGRAPH_PASSWORD, "
        "~/.netrc or a prompt, never an argument.",
    )(f)


def graph_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """`--default-graph` and `--named-graph` of every command that reads from an endpoint."""
    f = click.option(
        "--named-graph",
        "named_graphs",
        multiple=True,
        metavar="IRI",
        help="A named graph the query may use with GRAPH (repeatable; named-graph-uri).",
    )(f)
    return click.option(
        "--default-graph",
        "default_graphs",
        multiple=True,
        metavar="IRI",
        help="Graph the endpoint answers from, e.g. the one `push` wrote (repeatable; default-graph-uri) "
        "[default: the server's default graph].",
    )(f)


# Reading a whole graph from a server takes longer than answering one query.
READ_TIMEOUT = 300.0


def source_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """`--endpoint URL` in place of DATA (with `--default-graph`, `--named-graph`, `--store`,
    `--user`, `--token`) for every command that reads an edition: the command's `data` (or,
    where it has none, `source`) becomes a `remote.Remote`, which `open_edition` reads."""
    import inspect

    takes_data = "data" in inspect.signature(f).parameters

    @functools.wraps(f)
    def wrapper(
        *args: Any,
        endpoint: str | None,
        default_graphs: tuple[str, ...],
        named_graphs: tuple[str, ...],
        store: str | None,
        user: str | None,
        token: str | None,
        **kwargs: Any,
    ) -> Any:
        remote = None
        if endpoint is None:
            if default_graphs or named_graphs or store or user or token:
                raise UsageError(
                    "--default-graph, --named-graph, --store, --user and --token go with --endpoint URL"
                )
        else:
            ctx = click.get_current_context()
            if takes_data and ctx.get_parameter_source("data") is not click.core.ParameterSource.DEFAULT:
                raise UsageError("give DATA or --endpoint URL, not both")
            remote = make_remote(endpoint, default_graphs, named_graphs, user, token, READ_TIMEOUT, store)
        if takes_data:
            if remote is not None:
                kwargs["data"] = remote
        else:
            kwargs["source"] = remote
        from .yamlfile import gc_paused

        # One command, then the process is done: the cyclic collector would walk the
        # millions of records and network objects again and again for the little cyclic
        # garbage a command makes (a fifth of `map`'s cpu at 50,000 entities).
        # Reference counting still frees everything else as it goes.
        with gc_paused():
            return f(*args, **kwargs)

    wrapper = graph_options(credential_options(wrapper))  # listed last in --help
    for option in reversed(
        [
            click.option(
                "--endpoint", metavar="URL", help="Read the graph from this SPARQL endpoint instead of DATA."
            ),
            click.option(
                "--store",
                metavar="URL",
                help="The server's Graph Store address, to read each graph in one GET "
                "[default: CONSTRUCT in pages through --endpoint].",
            ),
        ]
    ):
        wrapper = option(wrapper)
    return wrapper


def make_remote(
    endpoint: str,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    user: str | None = None,
    token: str | None = None,
    timeout: float = 60.0,
    store: str | None = None,
) -> Any:
    """The `remote.Remote` the endpoint options describe."""
    from .auth import credentials
    from .remote import Remote

    return Remote(
        endpoint,
        tuple(default_graphs),
        tuple(named_graphs),
        store=store,
        auth=credentials(user, token),
        timeout=timeout,
    )


# ---------------------------------------------------------------- commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clustergraph")
def main() -> None:
    """Turn a region's industry-cluster partnerships (YAML) into a knowledge graph."""


@main.command()
@data_argument
@click.option("--no-shacl", is_flag=True, help="Only check the YAML, skip SHACL on the built graph.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (records that cite no source).")
@handle_errors
def validate(data: str, no_shacl: bool, strict: bool) -> None:
    """Check the YAML files and the built graph (SHACL); print every problem.

    Records that cite no source are warnings: named, exit 0 (1 with --strict).
    DATA may also be an exported RDF file (.ttl, .nt, .jsonld, .rdf): its triples are
    checked against the same shapes.
    """
    from .builder import build, names_rdf_file, read_graph
    from .loader import load
    from .shacl import RecordsOf, check_shapes

    started = time.perf_counter()
    if names_rdf_file(data):
        graph = read_graph(data)
        problems = [] if no_shacl else check_shapes(graph, source=data)
        if problems:
            fail_on_data_errors(problems)
        note(f"{data}: {len(graph)} triples: no problems ({time.perf_counter() - started:.2f} s)")
        return
    from .crosscheck import unsourced

    records = load(data)
    graph = build(records)
    # The warnings are kept as their lines, not as records: a fifth of the records
    # holding on would keep most of the records' memory in use (0.9 GiB at 200,000 entities).
    warnings = [
        f"{r.loc}: warning: {r.kind} '{r.id}' cites no source (list the documents it comes from in sources)"
        for r in unsourced(records)
    ]
    count = len(records)
    if not no_shacl:
        # The records are let go before the shapes are checked (at 200,000 entities they are
        # a gigabyte beside the store); a problem's place in the YAML reads them again.
        del records
        problems = check_shapes(graph, RecordsOf(data))
        if problems:
            fail_on_data_errors(problems)
    took = time.perf_counter() - started
    for line in warnings:
        note(line)
    if warnings:
        plural = "s cite" if len(warnings) > 1 else " cites"
        note(
            f"{data}: {count} records, {len(graph)} triples: no problems;"
            f" {len(warnings)} record{plural} no source ({took:.2f} s)"
        )
        if strict:
            sys.exit(1)
        return
    note(f"{data}: {count} records, {len(graph)} triples: no problems ({took:.2f} s)")


@main.command("build")
@data_argument
@click.option("-o", "--output", default="-", show_default=True, help="File to write, or - for stdout.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RDF_FORMATS),
    default=None,
    help="RDF format [default: from the file suffix, else turtle].",
)
@click.option(
    "--base", default=None, help="Base IRI of record IRIs [default: https://w3id.org/clustergraph/id/]."
)
@handle_errors
def build_cmd(data: str, output: str, fmt: str | None, base: str | None) -> None:
    """Write the RDF graph of DATA (Turtle, N-Triples, JSON-LD or RDF/XML)."""
    from .builder import SUFFIXES, build
    from .loader import load
    from .output import atomic_write, guard_output
    from .vocab import DEFAULT_BASE

    fmt = fmt or next((k for k, s in SUFFIXES.items() if output.endswith(s)), "turtle")
    if output != "-":
        guard_output(output, [data])
    started = time.perf_counter()
    records = load(data)
    graph = build(records, DEFAULT_BASE if base is None else base)
    atomic_write(output, lambda f: graph.serialize(fmt, f))
    took = time.perf_counter() - started
    if output != "-":
        note(f"wrote {output}: {len(graph)} triples from {len(records)} records ({took:.2f} s)")


@main.command()
@handle_errors
def schema() -> None:
    """Print the JSON Schema of the data format, for editors."""
    from .schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


@main.command("diff")
@click.argument("old")
@click.argument("new", required=False)
@format_option(
    "turtle",
    "sparql",
    help="Rows (table, csv, tsv, json), or the triple changes as a Turtle changeset or a SPARQL update.",
)
@click.option("--network", is_flag=True, help="Only how the network moved (connectors, gaps, groups).")
@click.option("--exit-code", is_flag=True, help="Exit 1 when the editions differ, as `git diff --exit-code`.")
@handle_errors
@source_options
def diff_cmd(
    old: str, new: str | None, fmt: str | None, network: bool, exit_code: bool, source: Any = None
) -> None:
    """What changed between two editions: OLD and NEW are data directories, RDF files
    or git revisions written REV:PATH (e.g. v2017:graph).

    With --endpoint URL, OLD is what the server holds and the one argument is NEW:
    `clustergraph diff graph --endpoint URL --default-graph IRI` shows what pushing
    graph would change.
    """
    from .compare import (
        Change,
        NetworkChange,
        changeset_turtle,
        diff,
        network_changes,
        open_pair,
        sparql_update,
    )
    from .vocab import prefixes

    if source is not None:
        if new is not None:
            raise UsageError("with --endpoint URL (the old edition), give one edition: the new one")
        old, new = source, old
    elif new is None:
        raise UsageError("give two editions: OLD and NEW (or one, with --endpoint URL as the old)")
    before, after, tmp = open_pair(old, new)  # type: ignore[arg-type]
    old, new = before.label, after.label
    with tmp:
        result = diff(before, after)
    fmt = _default_format(fmt)
    moved = network_changes(before, after) if (result.changed and fmt in ("table", "json")) or network else []
    if fmt == "turtle":
        click.echo(changeset_turtle(result, prefixes(after.graph.base)).decode(), nl=False)
    elif fmt == "sparql":
        click.echo(sparql_update(result), nl=False)
    elif fmt == "json":
        doc = {"old": old, "new": new, "changed": result.changed}
        doc |= {"summary": result.summary(), "changes": result.rows, "network": moved}
        click.echo(safe_json(json.dumps(doc, indent=2, ensure_ascii=False, default=json_default)))
    elif network:
        emit(moved, fmt, NetworkChange.shown())
    elif result.changed:
        emit(result.rows, fmt, Change.shown())
        if moved and fmt == "table":
            click.echo("\nHow the network moved:\n")
            emit(moved, fmt, NetworkChange.shown())
    if not result.changed:
        note(f"no changes between {old} and {new}")
    else:
        counts = ", ".join(f"{n} {k}" for k, n in result.summary().items())
        note(f"{counts}; {len(result.added)} triples added, {len(result.removed)} removed")
    if exit_code and result.changed:
        sys.exit(1)


@main.command("progress")
@data_argument
@click.option(
    "--by",
    type=click.Choice(["action", "strategy", "goal", "cluster"]),
    help="Count events per year and per plan item or cluster.",
)
@click.option("--stalled", is_flag=True, help="List the goals, strategies and actions no event advances yet.")
@at_option
@output_options
@handle_errors
@source_options
def progress_cmd(data: str, by: str | None, stalled: bool, at: str | None, fmt: str | None) -> None:
    """Progress over time: the events that advance the plan, by date; DATA may also be an RDF file."""
    from .edition import open_edition
    from .timeline import ProgressEvent, StalledItem

    with open_edition(data) as ed:
        result = ed.on(at).progress()
    if stalled:
        emit(result.stalled, fmt, StalledItem.shown())
        by_then = f" by {at}" if at else " yet"
        note(f"{len(result.stalled)} plan items with no progress event{by_then}")
    elif by:
        emit(result.by_year(by), fmt, ("year", by, "events"))
    else:
        emit(result.events, fmt, ProgressEvent.shown())


# ---------------------------------------------------------------- SPARQL (queries, query, push)


@main.command("queries")
@click.argument("data", default="graph", type=click.Path(path_type=str))
@output_options
@handle_errors
def queries_cmd(data: str, fmt: str | None) -> None:
    """List the named queries (and those in a queries/ folder beside DATA) with their parameters."""
    from .querying import named_queries

    # Tables show three columns; JSON also carries the title, the file and each
    # parameter as data, for tools that build forms or docs from the library.
    rows = [
        {
            "name": q.name,
            "parameters": ", ".join(str(p) for p in q.params),
            "description": q.description,
            "title": q.title,
            "file": q.path,
            "params": [
                {"name": p.name, "type": p.type, "default": p.default, "meaning": p.meaning} for p in q.params
            ],
        }
        for q in named_queries(data).values()
    ]
    emit(rows, fmt, ("name", "parameters", "description"))


@main.command("query")
@click.argument("name_or_file", required=False)
@click.argument("data", required=False)
@click.option("-e", "--expression", "inline", metavar="SPARQL", help="Run this query text.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind a parameter.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True)
@click.option("--endpoint", metavar="URL", help="Ask a SPARQL 1.1 endpoint.")
@click.option("--graph", "graph_file", type=click.Path(exists=True, dir_okay=False), help="An RDF file.")
@format_option(
    "turtle", help="table, csv, tsv, json (W3C SPARQL results JSON), or turtle (default for CONSTRUCT)."
)
@click.option("--raw", is_flag=True, help="Show full IRIs instead of labels and prefixed names.")
@click.option("--exit-status", is_flag=True, help="Exit 1 when an ASK is false or nothing matched.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Endpoint timeout, s.")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=QUERY_LIMIT,
    show_default=True,
    help="Show at most N rows of a SELECT; a note says how many were left out.",
)
@click.option("--all", "all_rows", is_flag=True, help="Show every row (no --limit).")
@graph_options
@credential_options
@handle_errors
def query_cmd(
    name_or_file: str | None,
    data: str | None,
    inline: str | None,
    params: tuple[str, ...],
    engine: str,
    endpoint: str | None,
    graph_file: str | None,
    fmt: str | None,
    raw: bool,
    exit_status: bool,
    timeout: float,
    limit: int,
    all_rows: bool,
    default_graphs: tuple[str, ...],
    named_graphs: tuple[str, ...],
    user: str | None,
    token: str | None,
) -> None:
    """Run a named query, a .rq file or -e TEXT on DATA (default ./graph), an RDF file or an endpoint.

    Exit 0 on success; 1 for invalid data or query text (file:line:col) or a failed
    endpoint; 2 for usage errors, including a missing or unknown parameter and a
    refused SERVICE, LOAD or update.
    """
    from .builder import open_graph, read_graph
    from .querying import parse_query_text, resolve_query, run_query, shadowing_file
    from .results import display_rows, labels

    if inline is not None:
        if data is not None:
            raise UsageError("with -e, give at most one argument: DATA")
        data, q = name_or_file, parse_query_text(inline)
    elif name_or_file is None:
        raise UsageError("give a query name, a .rq file or -e TEXT (`clustergraph queries` lists the names)")
    else:
        import os.path

        if os.path.isdir(name_or_file):  # `query DATA NAME`: the data came first
            raise UsageError(
                f"{name_or_file} is a folder: the query comes first, then the data"
                f" (clustergraph query {data or 'NAME'} {name_or_file})"
            )
        q = resolve_query(name_or_file, data or "graph")
        if shadowing_file(name_or_file, data or "graph") is not None:
            note(f"{q.path}: note: this file beside the data replaces the shipped query '{name_or_file}'")
    from .vocab import unknown_terms

    for warning in unknown_terms(q.text):
        note(f"{q.path}: warning: {warning}")
    if sum(x is not None for x in (data, graph_file, endpoint)) > 1:
        raise UsageError("give one source: DATA, --graph FILE or --endpoint URL")
    if endpoint and engine != "oxigraph":
        raise UsageError("--engine applies to local graphs, not to --endpoint")
    if (default_graphs or named_graphs or user or token) and not endpoint:
        raise UsageError("--default-graph, --named-graph, --user and --token go with --endpoint URL")
    given: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"-p takes NAME=VALUE, not {item!r}")
        given[name] = value
    graph = None
    if endpoint is None:
        # DATA may be an exported RDF file too, as for every other command.
        graph = read_graph(graph_file) if graph_file else open_graph(data or "graph")
    with ctrl_c_stops_at_once():
        remote = (
            make_remote(endpoint, default_graphs, named_graphs, user, token, timeout) if endpoint else None
        )
        result = run_query(
            q,
            given,
            graph=graph,
            engine=engine,
            endpoint=remote,
            timeout=timeout,
            limit=None if all_rows else limit,
        )
    if fmt == "turtle" and result.form != "graph":
        raise UsageError("--format turtle is for CONSTRUCT and DESCRIBE queries")
    if result.form == "ask" and fmt != "json":
        click.echo("true" if result.boolean else "false")
    elif fmt == "json":
        click.echo(safe_json(json.dumps(result.w3c_json(), indent=2, ensure_ascii=False)))
    elif result.form == "graph" and fmt in (None, "turtle"):
        click.echo(result.turtle().decode(), nl=False)
    else:
        label_of = (lambda iris: labels(graph, iris)) if graph is not None else None
        columns, rows = display_rows(result, raw=raw, label_of=label_of)
        emit(rows, fmt, columns)
    if result.form != "ask":
        count = len(result.triples) if result.form == "graph" else len(result.rows)
        what = ("triple" if result.form == "graph" else "row") + ("" if count == 1 else "s")
        note(f"{count} {what} ({result.took * 1000:.0f} ms, {endpoint or engine})")
        if result.left_out:
            more = f"{result.left_out} more row{'s' if result.left_out != 1 else ''}"
            note(f"{more} left out: --limit N shows up to N, --all shows every row")
    if exit_status and not result:
        sys.exit(1)


@main.command("push")
@click.argument("data", default="graph", type=click.Path(path_type=str))
@click.option("--endpoint", required=True, metavar="URL", help="Graph Store address.")
@click.option("--graph", "graph_iri", metavar="IRI", help="Named graph [default: from DATA].")
@click.option(
    "--chunk",
    type=click.IntRange(min=1),
    metavar="N",
    help="Clear the graph, then send it in POSTs of N triples (for servers that cap a request's size).",
)
@click.option(
    "--no-gzip",
    is_flag=True,
    help="Never gzip the N-Triples (they are gzipped only where the server says it reads gzip).",
)
@click.option(
    "--timeout", type=float, default=120.0, show_default=True, help="Server timeout per request, s."
)
@credential_options
@handle_errors
def push_cmd(
    data: str,
    endpoint: str,
    graph_iri: str | None,
    chunk: int | None,
    no_gzip: bool,
    timeout: float,
    user: str | None,
    token: str | None,
) -> None:
    """Replace a named graph on a SPARQL 1.1 Graph Store endpoint with the graph of DATA
    (a data directory or an exported RDF file)."""
    from .auth import credentials
    from .builder import open_graph
    from .graphstore import default_graph_iri, push

    graph = open_graph(data)
    started = time.perf_counter()
    done = push(
        graph,
        endpoint,
        graph_iri or default_graph_iri(data, graph.base),
        timeout=timeout,
        auth=credentials(user, token),
        chunk=chunk,
        compress=not no_gzip,
    )
    took = time.perf_counter() - started
    where = f"<{done.graph}> at {done.endpoint}"
    note(f"pushed {done.triples} triples to {where} (HTTP {done.status}, {took:.2f} s)")


# ---------------------------------------------------------------- network (connectors, gaps)


def _network_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = format_option("turtle", help="Output format; turtle writes the results as RDF.")(f)
    f = click.option(
        "--relations",
        default="collaboration",
        show_default=True,
        help="Relations that make the network: partnerships, collaboration, all, or kinds (comma-separated).",
    )(f)
    return click.option("--cluster", metavar="ID", help="Only this cluster.")(f)


def _header(lines: Iterable[str]) -> None:
    for line in lines:
        echo(line)
    click.echo()


def _at_lines(G: Any) -> list[str]:
    """What `--at` kept, as a header line (none without `--at`)."""
    from .network.dated import at_sentence

    sentence = at_sentence(G)
    return [sentence] if sentence else []


@main.command("connectors")
@data_argument
@click.option("--top", type=click.IntRange(min=1), metavar="N", help="Only the first N rows.")
@click.option("--without", "without_id", metavar="ID", help="What-if: what is cut off if this entity leaves.")
@click.option("-k", "--sample", type=click.IntRange(min=1), help="Betweenness from K sampled sources.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the betweenness sample.")
@at_option
@_network_options
@handle_errors
@source_options
def connectors_cmd(
    data: str,
    top: int | None,
    without_id: str | None,
    sample: int | None,
    seed: int,
    at: str | None,
    cluster: str | None,
    relations: str,
    fmt: str | None,
) -> None:
    """Rank central connectors and single points of failure (DATA: a directory or an RDF file)."""
    from .edition import open_edition

    with open_edition(data) as ed:
        _connectors(ed.on(at), top, without_id, sample, seed, cluster, relations, _default_format(fmt))


def _connectors(
    ed: Any,
    top: int | None,
    without_id: str | None,
    sample: int | None,
    seed: int,
    cluster: str | None,
    relations: str,
    fmt: str,
) -> None:
    from .network import actors, betweenness_method, connectors, without
    from .network.connectors import ConnectorRow
    from .network.resolve import Resolver

    G = ed.network(relations)
    names = ed.aliases if without_id is not None else {}
    ed.let_graph_go()
    if without_id is not None:
        if fmt == "turtle":
            raise UsageError("--without prints a what-if, not RDF: use --format table, csv, tsv or json")
        # An id, a name or an alias: "LA BioMed" means la-biomed.
        without_id = Resolver(actors(G), names).entity(without_id, "without")
        result = without(G, without_id)
        if fmt == "json":
            click.echo(safe_json(json.dumps(result, indent=2, ensure_ascii=False, default=json_default)))
            return
        rows = [{"group": i, **e} for i, g in enumerate(result["disconnected"], 1) for e in g["entities"]]
        if fmt == "table":
            _header([result["why"]])
        emit(rows, fmt, ("group", "id", "label", "kind", "sector"))
        return
    if cluster is None and sample is None and seed == 0:
        rows = ed.connectors(relations)[:top]  # the edition's ranking, computed once; top slices it
    else:
        rows = connectors(G, top=top, cluster=cluster, k=sample, seed=seed)
    info = ed.summary(relations)
    method = betweenness_method(info["entities"], sample, seed)
    if fmt == "turtle":
        from .network.rdf import connectors_rdf, to_turtle

        click.echo(to_turtle(G, connectors_rdf(G, rows, info)), nl=False)
    elif fmt == "json":
        doc = {"summary": info, "betweenness": method, "rows": rows}
        if "at" in G.graph:
            doc["at"] = G.graph["at"]
        click.echo(safe_json(json.dumps(doc, indent=2, ensure_ascii=False, default=json_default)))
    else:
        if fmt == "table":
            _header([*_at_lines(G), *info["sentences"], f"Betweenness: {method}."])
        emit(rows, fmt, ConnectorRow.shown() if fmt == "table" else ConnectorRow.columns())


PATH_COLUMNS = ("path", "step", "from", "relation", "to", "sources")


@main.command("path")
@click.argument("args", nargs=-1, metavar="[DATA] FROM TO")
@click.option("--from", "from_", metavar="WHO", help="Where paths start (instead of the FROM argument).")
@click.option("--to", "to", metavar="WHO", help="Where paths end, e.g. kind:colleges (instead of TO).")
@click.option("--max", "k", type=click.IntRange(min=1), default=3, show_default=True, help="Paths at most.")
@click.option(
    "--relations",
    default="collaboration",
    show_default=True,
    help="Relations a path may use: partnerships, collaboration, all, or kinds (comma-separated).",
)
@at_option
@output_options
@handle_errors
@source_options
def path_cmd(
    args: tuple[str, ...],
    from_: str | None,
    to: str | None,
    k: int,
    relations: str,
    at: str | None,
    fmt: str | None,
    source: Any = None,
) -> None:
    """How two entities are connected: the shortest paths, each hop's relation and sources.

    FROM and TO are ids, names or aliases ("LA BioMed"), or groups: cluster:ID (the
    entities taking part in a cluster) and kind:KIND (kind:colleges, kind:port).
    DATA defaults to ./graph. Example: clustergraph path graph cluster:aerospace kind:colleges
    """
    from .network.paths import paths
    from .network.resolve import aliases

    rest = list(args)
    ends = [from_, to]
    for i in (1, 0):  # fill TO, then FROM, from the last arguments
        if ends[i] is None and rest:
            ends[i] = rest.pop()
    if ends[0] is None or ends[1] is None:
        raise UsageError("give FROM and TO (an id, a name, cluster:ID or kind:KIND)")
    if len(rest) > (0 if source is not None else 1):
        raise UsageError(
            f"too many arguments: {' '.join(args)} (give [DATA] FROM TO, or FROM TO --endpoint URL)"
        )
    data = source if source is not None else rest[0] if rest else "graph"
    from .edition import open_edition

    with open_edition(data) as ed:
        graph, G = ed.graph, ed.on(at).network(relations)
    found = paths(G, ends[0], ends[1], k=k, aliases=aliases(graph.store), store=graph.store)
    fmt = _default_format(fmt)
    if fmt == "json":
        click.echo(safe_json(json.dumps(found.to_dict(), indent=2, ensure_ascii=False)))
        return
    labels = {str(v): str(d.get("label") or v) for v, d in G.nodes(data=True)}
    if fmt == "table":
        for line in _at_lines(G):
            echo(line)
        echo(found.sentence(labels))
        if not found.paths:
            return
        click.echo()
    emit(found.rows(), fmt, PATH_COLUMNS)
    if fmt != "table":
        note(found.sentence(labels))


@main.command("gaps")
@data_argument
@click.option(
    "--rules", type=click.Path(path_type=str), help="Coverage rules [default: rules/expected.yaml]."
)
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True, help="Suggestions to list.")
@at_option
@_network_options
@handle_errors
@source_options
def gaps_cmd(
    data: str,
    rules: str | None,
    top: int,
    at: str | None,
    cluster: str | None,
    relations: str,
    fmt: str | None,
) -> None:
    """List partnership gaps: missing assets, empty value-chain stages, isolated entities, suggestions."""
    from .edition import open_edition
    from .network import gaps, load_rules
    from .network.gaps import STAGES, IsolatedRow, coverage_matrix, gap_rows, value_chain_matrix
    from .network.suggest import Suggestion

    spec = load_rules(rules)
    with open_edition(data) as ed:
        G = ed.on(at).network(relations)
        ed.let_graph_go()
        result = gaps(G, spec, cluster=cluster, top=top)
    fmt = _default_format(fmt)
    if fmt == "turtle":
        from .network.rdf import gaps_rdf, to_turtle

        click.echo(to_turtle(G, gaps_rdf(G, result)), nl=False)
    elif fmt == "json":
        doc = {**result, "at": G.graph["at"]} if "at" in G.graph else result
        click.echo(safe_json(json.dumps(doc, indent=2, ensure_ascii=False, default=json_default)))
    elif fmt in ("csv", "tsv"):
        emit(gap_rows(result), fmt, ("section", "cluster", "subject", "status", "entities", "why"))
    else:
        _header(
            [
                *_at_lines(G),
                "Coverage: assets serving each cluster (- is a gap; n/a: not assessed, no record of"
                f" that kind serves any cluster); rules {result['rules']}",
            ]
        )
        emit(coverage_matrix(result), fmt, ("cluster", *spec["assets"]))
        _header(["", "Value chain: assets per stage (- is an empty cell; n/a: not assessed)"])
        emit(value_chain_matrix(result), fmt, ("cluster", *STAGES))
        _header(["", "Isolated (no link) and peripheral (linked only through one broker) entities"])
        emit(result.isolated, fmt, IsolatedRow.shown())
        _header(["", "Suggested partnerships (score: Adamic-Adar + 1 per shared cluster)"])
        emit(result.suggestions, fmt, Suggestion.shown())


# ---------------------------------------------------------------- map, report, export


def _overview_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--overview auto|always|never` (render.map.OVERVIEW_CHOICES), for map and report."""
    return click.option(
        "--overview",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help=f"{what}; auto: above 10,000 nodes.",
    )


def _relations_option(default: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--relations",
        default=default,
        show_default=True,
        help="Relations drawn: partnerships, collaboration, all, or kinds (comma-separated).",
    )


def _kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


@main.command("map")
@data_argument
@click.option("-o", "--output", required=True, metavar="FILE", help="File to write (.html, .svg or .png).")
@click.option("--cluster", metavar="ID", help="Only this cluster's ecosystem.")
@click.option(
    "--focus", metavar="ID", help="Only the neighborhood of this entity (an id, a name or an alias)."
)
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Links from --focus.")
@click.option("--highlight", type=click.Choice(["gaps", "connectors"]), help="Draw gaps or top connectors.")
@click.option(
    "--size-by",
    type=click.Choice(SIZE_MEASURES),
    default="betweenness",
    show_default=True,
    help="Measure that sizes the nodes (the overview: degree unless given).",
)
@click.option("--title", help="Title shown on the map.")
@click.option(
    "--since",
    metavar="OLD",
    help="Keep an earlier edition's positions and mark what is new (directory, RDF file, REV:PATH).",
)
@click.option("--embed", is_flag=True, help="The map alone, without header or sidebar, for an iframe.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "svg", "png"]),
    default=None,
    help="html (interactive, the default), or a static svg or png picture of the same positions.",
)
@click.option(
    "--color",
    type=click.Choice(["kind", "community", "sector", "cluster"]),
    default="kind",
    show_default=True,
    help="What colors the nodes (the page's legend can switch).",
)
@_overview_option("Open on the groups (clusters, communities), each opened on a click")
@at_option
@_relations_option("all")
@handle_errors
@source_options
def map_cmd(
    data: str,
    output: str,
    cluster: str | None,
    focus: str | None,
    depth: int,
    highlight: str | None,
    size_by: str | None,
    title: str | None,
    since: str | None,
    color: str,
    at: str | None,
    embed: bool,
    fmt: str | None,
    relations: str,
    overview: str,
) -> None:
    """Write an interactive, self-contained HTML map of the network (opens offline), or a picture of it."""
    from .edition import open_edition
    from .output import guard_output
    from .render import write_map

    guard_output(output, [data])
    if click.get_current_context().get_parameter_source("size_by") == click.core.ParameterSource.DEFAULT:
        size_by = None  # betweenness on the full map, links (degree) on the overview
    if fmt is None:  # from the file name: map.png is a picture
        fmt = next((f for f in ("svg", "png") if output.lower().endswith("." + f)), "html")
    with open_edition(data) as ed:
        done = write_map(
            ed.on(at),
            output,
            cluster=cluster,
            focus=focus,
            depth=depth,
            highlight=highlight,
            size_by=size_by,
            relations=relations,
            title=title,
            since=since,
            color=color,
            embed=embed,
            fmt=fmt,
            overview=overview,
            free_graph=True,  # the command asks nothing more of it
        )
    note(f"wrote {output}: {done.nodes} nodes, {done.edges} links, {_kb(done.size)} ({done.took:.2f} s)")


@main.command("report")
@data_argument
@click.option("-o", "--output", required=True, metavar="FILE.html", help="HTML file to write.")
@click.option("--title", help="Title of the report.")
@click.option("--no-map", is_flag=True, help="Leave the interactive map out (a smaller page).")
@click.option(
    "--since",
    metavar="OLD",
    help="Add what changed since an earlier edition (directory, RDF file, REV:PATH).",
)
@_overview_option("Embed the map's overview (groups, opened on a click)")
@at_option
@_relations_option("all")
@handle_errors
@source_options
def report_cmd(
    data: str,
    output: str,
    title: str | None,
    no_map: bool,
    since: str | None,
    overview: str,
    at: str | None,
    relations: str,
) -> None:
    """Write one self-contained HTML page: figures, connectors, gaps, progress and the map."""
    from .edition import open_edition
    from .output import guard_output
    from .render import write_report

    guard_output(output, [data])
    with open_edition(data) as ed:
        view = ed.on(at)
        done = write_report(
            view,
            output,
            relations=relations,
            title=title,
            with_map=not no_map,
            since=since,
            overview=overview,
            free_graph=True,  # the command asks nothing more of it
        )
    note(f"wrote {output}: {done.nodes} nodes, {done.edges} links, {_kb(done.size)} ({done.took:.2f} s)")


@main.command("site")
@data_argument
@click.option(
    "-o", "--output", required=True, metavar="DIR", help="Folder to write (replaced when complete)."
)
@click.option("--no-map", is_flag=True, help="Leave the interactive map out (quicker for large editions).")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Processes writing the pages (default: one per core; 1: in turn). Same files either way.",
)
@handle_errors
def site_cmd(data: str, output: str, no_map: bool, jobs: int | None) -> None:
    """Write a static offline website: index with search, a page per entity, cluster, source, plan item."""
    from .output import guard_output
    from .render.site import write_site

    guard_output(output, [data])
    done = write_site(data, output, with_map=not no_map, jobs=jobs)
    note(
        f"wrote {output}/: {done.pages:,} pages, {done.files:,} files, {_kb(done.size)}"
        f" ({done.took:.2f} s{f', {done.jobs} processes' if done.jobs > 1 else ''});"
        f" open {output}/index.html"
    )


@main.command("serve")
@data_argument
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every one)."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free)."
)
@click.option("--watch", is_flag=True, help="Reload when a YAML file of DATA changes.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Time limit of one query, s.")
@click.option("-v", "--verbose", is_flag=True, help="Log every request.")
@handle_errors
def serve_cmd(data: str, host: str, port: int, watch: bool, timeout: float, verbose: bool) -> None:
    """Serve the site and a read-only SPARQL 1.1 endpoint at /sparql until Ctrl-C."""
    from .server import LOOPBACK, start

    serving = start(
        data, host, port, timeout=timeout, watch=watch, say=note, background=False, verbose=verbose
    )
    url = serving.url
    note(f"serving {data}: the site at {url}, SPARQL at {url}sparql, named queries at {url}queries")
    if host in LOOPBACK:
        note(f"listening on {host} only: other machines cannot reach it (--host 0.0.0.0 to share it)")
    else:
        note(f"listening on {host}: anyone who can reach this machine can read the graph")
    if watch:
        note(f"watching {data} for changes")
    note("press Ctrl-C to stop")
    try:
        serving.server.serve_forever()
    except KeyboardInterrupt:
        note("stopped")
    finally:
        serving.server.server_close()
        serving.app.close()


@main.command("export")
@data_argument
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv", "kumu", "xlsx"]), required=True)
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="PATH",
    help="File to write (for csv: a folder, gets nodes.csv, edges.csv).",
)
@_relations_option("all")
@handle_errors
@source_options
def export_cmd(data: str, fmt: str, output: str, relations: str) -> None:
    """Write the network with its measures for Gephi (GraphML, GEXF) or spreadsheets (CSV),
    or the records as a Kumu blueprint (kumu) or an Excel workbook (xlsx) that `import` reads back."""
    from .output import guard_output
    from .render import write_export

    guard_output(output, [data])
    if fmt in ("kumu", "xlsx"):
        from .importing import export_records

        started = time.perf_counter()
        elements, connections = export_records(data, fmt, output)
        took = time.perf_counter() - started
        note(f"wrote {output}: {elements} elements, {connections} connections ({took:.2f} s)")
        return
    done = write_export(data, fmt, output, relations=relations, free_graph=True)
    files = ", ".join(str(p) for p in done.paths)
    note(f"wrote {files}: {done.nodes} nodes, {done.edges} links ({done.took:.2f} s)")


# ---------------------------------------------------------------- structure (communities, summary)

analysis_relations = click.option(
    "--relations",
    default="collaboration",
    show_default=True,
    help="Relations that make the network: partnerships, collaboration, all, or kinds (comma-separated).",
)
COMMUNITY_COLUMNS = ("number", "name", "size", "density", "clusters", "bridges", "members")
FIT_COLUMNS = ("cluster", "members", "communities", "counts", "split", "why")
MEMBERS_SHOWN = 6  # in a table cell; csv, tsv and json carry them all
ENTITY_MIXING_COLUMNS = (
    "id", "sector", "degree", "ei_sector", "ei_cluster", "coreness", "position", "helix_crossing",
)  # fmt: skip


@main.command("communities")
@data_argument
@click.option(
    "--resolution",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Higher gives more, smaller communities.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed, so runs repeat exactly.")
@at_option
@analysis_relations
@format_option("turtle", help="Output format; turtle writes the communities as RDF.")
@handle_errors
@source_options
def communities_cmd(
    data: str, resolution: float, seed: int, at: str | None, relations: str, fmt: str | None
) -> None:
    """Communities of collaboration (Leiden), compared with the declared clusters."""
    from .edition import open_edition

    with open_edition(data) as ed:
        view = ed.on(at)
        G = view.network(relations)
        ed.let_graph_go()
        found = view.communities(relations, resolution=resolution, seed=seed)
    fmt = _default_format(fmt)
    if fmt == "turtle":
        from .network.rdf import communities_rdf, to_turtle

        click.echo(to_turtle(G, communities_rdf(G, found)), nl=False)
        return
    if fmt == "json":
        doc = found.to_dict() | ({"at": G.graph["at"]} if "at" in G.graph else {})
        click.echo(safe_json(json.dumps(doc, indent=2, ensure_ascii=False, default=json_default)))
        return
    rows = [r.to_dict() for r in found.rows]
    if fmt != "table":
        emit(rows, fmt, COMMUNITY_COLUMNS)
        return
    _header([*_at_lines(G), *found.sentences])
    for r in rows:
        if len(r["members"]) > MEMBERS_SHOWN:
            r["members"] = [*r["members"][:MEMBERS_SHOWN], f"... {len(r['members']) - MEMBERS_SHOWN} more"]
    emit(rows, fmt, COMMUNITY_COLUMNS)
    if found.fits:
        _header(["", "How the communities compare with the declared clusters"])
        emit([f.to_dict() for f in found.fits], fmt, FIT_COLUMNS)


@main.command("summary")
@data_argument
@click.option(
    "--entities",
    "per_entity",
    is_flag=True,
    help="One row per entity instead: its sector and cluster E-I index, coreness and triple-helix links.",
)
@at_option
@analysis_relations
@output_options
@handle_errors
@source_options
def summary_cmd(data: str, per_entity: bool, at: str | None, relations: str, fmt: str | None) -> None:
    """The ecosystem in figures, and how it is organized (sectors, clusters, core, triple helix)."""
    from .edition import open_edition
    from .network import mixing

    with open_edition(data) as ed:
        view = ed.on(at)
        G = view.network(relations)
        ed.let_graph_go()
        if per_entity:
            rows = mixing(G)
            if _default_format(fmt) == "table" and _at_lines(G):
                _header(_at_lines(G))
            emit(rows, fmt, ENTITY_MIXING_COLUMNS)
            return
        info, shape = view.summary(relations), view.structure(relations)
    figures = {k: v for k, v in info.items() if k != "sentences"} | shape.figures()
    if "at" in G.graph:
        figures |= {f"at_{k}" if k != "date" else "at": v for k, v in G.graph["at"].items()}
    fmt = _default_format(fmt)
    if fmt == "json":
        doc = {"figures": figures, "sentences": info["sentences"], "organised": list(shape.sentences)}
        click.echo(safe_json(json.dumps(doc, indent=2, ensure_ascii=False, default=json_default)))
        return
    rows = [{"figure": k, "value": _figure(v)} for k, v in figures.items()]
    if fmt != "table":
        emit(rows, fmt, ("figure", "value"))
        return
    _header([*_at_lines(G), *info["sentences"]])
    emit(rows, fmt, ("figure", "value"))
    _header(["", "How the ecosystem is organized"])
    for line in shape.sentences:
        echo(line)


def _figure(value: Any) -> Any:
    """A figure as one table cell: mappings as "key value" pairs."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {_cell(v)}" for k, v in value.items())
    return value


# ---------------------------------------------------------------- moving in (init, import)


@main.command("init")
@click.argument("directory", type=click.Path(path_type=str))
@click.option("--region", default="My region", show_default=True, help="The region the data is about.")
@handle_errors
def init_cmd(directory: str, region: str) -> None:
    """Create a new data directory that validates at once: a dataset record, an example
    source, a commented example per collection, a README for editors."""
    from .starter import init_directory

    path = init_directory(directory, region)
    files = sorted(p.name for p in path.iterdir())
    note(f"created {directory}: {len(files)} files; next: clustergraph validate {directory}")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


IMPORT_COLUMNS = ("change", "kind", "id", "name", "field", "old", "new")


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "-o", "--output", required=True, metavar="DIR", help="Data directory to create (or merge into)."
)
@click.option(
    "--types",
    type=click.Path(path_type=str),
    metavar="MAP.yaml",
    help="Element Type words -> collection, type.",
)
@click.option("--merge", is_flag=True, help="Merge into an existing DIR: show what would change.")
@click.option("--write", is_flag=True, help="With --merge: add the new records to DIR.")
@output_options
@handle_errors
def import_cmd(
    files: tuple[str, ...], output: str, types: str | None, merge: bool, write: bool, fmt: str | None
) -> None:
    """Read Kumu workbooks (.xlsx), Kumu JSON, Kumu or Gephi CSV, or our own workbook into
    YAML files in DIR, one per collection. Nothing is written when any problem is found."""
    from .importing import import_files

    if write and not merge:
        raise UsageError("--write goes with --merge")
    started = time.perf_counter()
    done = import_files(files, output, types=types, merge=merge, write=write)
    took = time.perf_counter() - started
    counts = ", ".join(f"{n} {c}" for c, n in done.counts().items())
    if not merge:
        note(f"wrote {len(done.written)} files to {output}: {counts} ({took:.2f} s)")
        return
    if done.changes:
        emit(list(done.changes), fmt, IMPORT_COLUMNS)
    added = sum(1 for c in done.changes if c["change"] == "added")
    changed = len(done.changes) - added
    if write:
        shown = ", ".join(str(p) for p in done.written) or "nothing"
        note(
            f"added {_count(added, 'record')} ({shown}); {_count(changed, 'changed field')} shown,"
            " not applied: edit them by hand"
        )
    else:
        note(
            f"{_count(added, 'record')} to add, {_count(changed, 'field')} that"
            f" differ{'s' if changed == 1 else ''}; nothing written (add --write to add them)"
        )


if __name__ == "__main__":  # pragma: no cover
    main()

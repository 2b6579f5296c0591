"""What every command shares: the `main` group, output (`emit`), error handling and the common options."""

from __future__ import annotations

import functools
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import click

from .. import __version__
from ..errors import DataErrors, QueryError, UsageError
from ..rows import json_default, plain
from ..terminal import fit_widths, safe_json, safe_text, truncate, width

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


def default_format(fmt: str | None) -> str:
    """The format asked for, else a table on a terminal and TSV in a pipe."""
    return fmt or ("table" if sys.stdout.isatty() else "tsv")


def cell(value: Any) -> str:
    """One value as the text of a table, CSV or TSV cell: lists joined with ", "."""
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
        return ", ".join(map(cell, value))
    return str(value)


def emit(rows: Sequence[Mapping[str, Any]], fmt: str | None, columns: Sequence[str] | None = None) -> None:
    """Print rows (dicts) as an aligned table, CSV, TSV or a JSON list.

    Every cell is terminal-safe (`terminal.safe_text`: control and bidi characters shown as
    escapes) in every format; JSON stays JSON, with those characters as `\\uXXXX`. On a
    terminal a table is fitted to its width (the widest columns cut, with an ellipsis);
    in a pipe nothing is cut.
    """
    fmt = default_format(fmt)
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

        delimiter = "," if fmt == "csv" else "\t"
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow([safe_text(str(c)) for c in cols])
        for r in rows:
            # CSV quotes a line break inside a cell; in TSV it would end the row.
            fields = [safe_text(cell(r.get(c)), newlines=fmt == "csv") for c in cols]
            line = _unquoted_line(fields, delimiter)
            if line is None:
                writer.writerow(fields)
            else:
                out.write(line)
        return
    head = [safe_text(str(c)) for c in cols]
    cells = [[safe_text(cell(r.get(c)).replace("\n", " ")) for c in cols] for r in rows]
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


def _unquoted_line(fields: list[str], delimiter: str) -> str | None:
    """The CSV or TSV line of `fields` when the csv module would quote none of them, else None.

    A field is quoted when it holds the delimiter, a quote or a line break (and a lone
    empty field is quoted); otherwise the csv module writes the fields as they are,
    joined. It does so a character at a time: a gaps row lists thousands of ids, and it
    spent about 1 s of cpu on gaps' 93 MB of TSV at 50,000 entities (1.1 GB at 200,000),
    where a join and four searches take a few hundredths.
    """
    line = delimiter.join(fields)
    if (
        len(fields) < 2
        or line.count(delimiter) != len(fields) - 1
        or '"' in line
        or "\n" in line
        or "\r" in line
    ):
        return None
    return line + "\n"


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
        from ..yamlfile import gc_paused

        # One command, then the process is done: the cyclic collector would walk the
        # millions of records and network objects again and again for the little cyclic
        # garbage a command makes (a fifth of `map`'s cpu at 50,000 entities).
        # Reference counting still frees everything else as it goes.
        with gc_paused():
            done = f(*args, **kwargs)
            if _one_shot:
                # What the command made (the network is a reference cycle: networkx views point
                # back at their graph) is left to the process's exit, not walked once more by a
                # full collection when the collector is enabled again (1.4-1.7 s at 50,000
                # entities). Not in a process that runs more than one command (tests, a notebook).
                import gc

                gc.freeze()
            return done

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
    from ..auth import credentials
    from ..remote import Remote

    return Remote(
        endpoint,
        tuple(default_graphs),
        tuple(named_graphs),
        store=store,
        auth=credentials(user, token),
        timeout=timeout,
    )


# ---------------------------------------------------------------- commands


# Set by `run`: this process runs one command and exits (the `clustergraph` program).
_one_shot = False


def run() -> None:
    """The `clustergraph` program: `main`, in a process that runs one command and exits."""
    global _one_shot
    _one_shot = True
    main(prog_name="clustergraph")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clustergraph")
def main() -> None:
    """Turn a region's industry-cluster partnerships (YAML) into a knowledge graph."""

"""The `clustergraph` command line: parse options, call one library function, print.

Heavy libraries (rdflib, pyshacl, networkx, pyvis) are imported inside the
commands that need them, so `clustergraph --help` starts at once.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import click

from . import __version__
from .errors import DataErrors, UsageError

FORMATS = ("table", "csv", "tsv", "json")
RDF_FORMATS = ("turtle", "nt", "jsonld", "xml")


# ---------------------------------------------------------------- output


def output_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The shared `--format` option of every command that prints rows."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format [default: table on a terminal, tsv in a pipe].",
    )(f)


def _default_format(fmt: str | None) -> str:
    return fmt or ("table" if sys.stdout.isatty() else "tsv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def emit(rows: Sequence[Mapping[str, Any]], fmt: str | None, columns: Sequence[str] | None = None) -> None:
    """Print rows (dicts) as an aligned table, CSV, TSV or a JSON list."""
    fmt = _default_format(fmt)
    cols = list(columns or (rows[0].keys() if rows else []))
    out = sys.stdout
    if fmt == "json":
        out.write(json.dumps([dict(r) for r in rows], indent=2, ensure_ascii=False, default=str) + "\n")
        return
    if fmt in ("csv", "tsv"):
        import csv

        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(cols)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in cols])
        return
    cells = [[_cell(r.get(c)).replace("\n", " ") for c in cols] for r in rows]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()
    out.write(line + "\n" + "  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")


def note(message: str) -> None:
    """A line for the person at the terminal, on stderr so pipes stay clean."""
    click.echo(message, err=True)


def fail_on_data_errors(errors: Iterable[Any], what: str = "problem") -> None:
    errs = list(errors)
    for e in errs:
        click.echo(str(e), err=True)
    files = len({e.loc.path for e in errs})
    plural = "" if len(errs) == 1 else "s"
    click.echo(f"{len(errs)} {what}{plural} in {files} file{'' if files == 1 else 's'}", err=True)
    sys.exit(1)


def handle_errors(f: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into the contract's exit codes: 1 for bad data, 2 for usage."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except DataErrors as exc:
            fail_on_data_errors(exc.errors)
        except UsageError as exc:
            raise click.UsageError(str(exc)) from None

    return wrapper


data_argument = click.argument("data", default="graph", type=click.Path(path_type=str))


# ---------------------------------------------------------------- commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clustergraph")
def main() -> None:
    """Turn a region's industry-cluster partnerships (YAML) into a knowledge graph."""


@main.command()
@data_argument
@click.option("--no-shacl", is_flag=True, help="Only check the YAML, skip SHACL on the built graph.")
@handle_errors
def validate(data: str, no_shacl: bool) -> None:
    """Check the YAML files and the built graph (SHACL); print every problem."""
    from .build import build
    from .load import load
    from .shacl import check_shapes

    started = time.perf_counter()
    records = load(data)
    graph = build(records)
    if not no_shacl:
        problems = check_shapes(graph, records)
        if problems:
            fail_on_data_errors(problems)
    took = time.perf_counter() - started
    note(f"{data}: {len(records)} records, {len(graph)} triples: no problems ({took:.2f} s)")


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
    from .build import SUFFIXES, build
    from .load import load
    from .output import atomic_write, guard_output
    from .vocab import DEFAULT_BASE

    fmt = fmt or next((k for k, s in SUFFIXES.items() if output.endswith(s)), "turtle")
    if output != "-":
        guard_output(output, [data])
    started = time.perf_counter()
    records = load(data)
    graph = build(records, base or DEFAULT_BASE)
    atomic_write(output, lambda f: graph.serialize(fmt, f))
    took = time.perf_counter() - started
    if output != "-":
        note(f"wrote {output}: {len(graph)} triples from {len(records)} records ({took:.2f} s)")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the data format, for editors."""
    from .schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


DIFF_COLUMNS = ("change", "kind", "id", "name", "field", "old", "new", "where")


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, "turtle", "sparql"]),
    default=None,
    help="Rows (table, csv, tsv, json), or the triple changes as a Turtle changeset or a SPARQL update.",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when the editions differ, as `git diff --exit-code`.")
@handle_errors
def diff_cmd(old: str, new: str, fmt: str | None, exit_code: bool) -> None:
    """What changed between two editions: OLD and NEW are data directories, RDF files
    or git revisions written REV:PATH (e.g. v2017:graph)."""
    from .diff import changeset_turtle, diff, open_pair, sparql_update
    from .vocab import prefixes

    before, after, tmp = open_pair(old, new)
    with tmp:
        result = diff(before, after)
    if fmt == "turtle":
        click.echo(changeset_turtle(result, prefixes(after.graph.base)).decode(), nl=False)
    elif fmt == "sparql":
        click.echo(sparql_update(result), nl=False)
    elif fmt == "json":
        doc = {"old": old, "new": new, "changed": result.changed}
        doc |= {"summary": result.summary(), "changes": result.rows}
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    elif result.changed:
        emit(result.rows, fmt, DIFF_COLUMNS)
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
@output_options
@handle_errors
def progress_cmd(data: str, by: str | None, stalled: bool, fmt: str | None) -> None:
    """Progress over time: the events that advance the plan, by date; DATA may also be an RDF file."""
    from .build import open_graph
    from .progress import progress

    result = progress(open_graph(data))
    if stalled:
        emit(result.stalled, fmt, ("level", "id", "name", "part_of"))
        note(f"{len(result.stalled)} plan items with no progress event yet")
    elif by:
        emit(result.by_year(by), fmt, ("year", by, "events"))
    else:
        emit(result.events, fmt, ("date", "event", "type", "action", "clusters"))


if __name__ == "__main__":  # pragma: no cover
    main()

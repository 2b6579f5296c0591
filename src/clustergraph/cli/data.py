"""Commands on the data itself: validate, build, schema, diff, progress, init, import."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import click

from ..errors import UsageError
from ..rows import json_default
from ..terminal import safe_json
from .base import (
    RDF_FORMATS,
    at_option,
    data_argument,
    default_format,
    emit,
    fail_on_data_errors,
    format_option,
    handle_errors,
    main,
    note,
    output_options,
    source_options,
)


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
    from ..builder import build, names_rdf_file, read_graph
    from ..loader import load
    from ..shacl import RecordsOf, check_shapes

    started = time.perf_counter()
    if names_rdf_file(data):
        graph = read_graph(data)
        problems = [] if no_shacl else check_shapes(graph, source=data)
        if problems:
            fail_on_data_errors(problems)
        note(f"{data}: {len(graph)} triples: no problems ({time.perf_counter() - started:.2f} s)")
        return
    from ..crosscheck import unsourced

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
    from ..builder import SUFFIXES, build
    from ..loader import load
    from ..output import atomic_write, guard_output
    from ..vocab import DEFAULT_BASE

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
    from ..schema import json_schema

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
    from ..compare import (
        Change,
        NetworkChange,
        changeset_turtle,
        diff,
        network_changes,
        open_pair,
        sparql_update,
    )
    from ..vocab import prefixes

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
    fmt = default_format(fmt)
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
    from ..edition import open_edition
    from ..timeline import ProgressEvent, StalledItem

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


# ---------------------------------------------------------------- moving in (init, import)


@main.command("init")
@click.argument("directory", type=click.Path(path_type=str))
@click.option("--region", default="My region", show_default=True, help="The region the data is about.")
@handle_errors
def init_cmd(directory: str, region: str) -> None:
    """Create a new data directory that validates at once: a dataset record, an example
    source, a commented example per collection, a README for editors."""
    from ..starter import init_directory

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
    from ..importing import import_files

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

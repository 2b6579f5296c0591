"""SPARQL commands: queries, query, push."""

from __future__ import annotations

import json
import sys
import time

import click

from ..errors import UsageError
from ..terminal import safe_json
from .base import (
    QUERY_LIMIT,
    credential_options,
    ctrl_c_stops_at_once,
    emit,
    format_option,
    graph_options,
    handle_errors,
    main,
    make_remote,
    note,
    output_options,
)

# ---------------------------------------------------------------- SPARQL (queries, query, push)


@main.command("queries")
@click.argument("data", default="graph", type=click.Path(path_type=str))
@output_options
@handle_errors
def queries_cmd(data: str, fmt: str | None) -> None:
    """List the named queries (and those in a queries/ folder beside DATA) with their parameters."""
    from ..querying import named_queries

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
    from ..builder import open_graph, read_graph
    from ..querying import parse_query_text, resolve_query, run_query, shadowing_file
    from ..results import display_rows, labels

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
    from ..vocab import unknown_terms

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
    from ..auth import credentials
    from ..builder import open_graph
    from ..graphstore import default_graph_iri, push

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

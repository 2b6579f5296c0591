"""Commands that draw or write files: map, report, site, serve, export."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import click

from ..concepts import SIZE_MEASURES
from .base import at_option, data_argument, handle_errors, main, note, source_options

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
    from ..edition import open_edition
    from ..output import guard_output
    from ..render import write_map

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
    from ..edition import open_edition
    from ..output import guard_output
    from ..render import write_report

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
    from ..output import guard_output
    from ..render.site import write_site

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
    from ..server import LOOPBACK, start

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
    from ..output import guard_output
    from ..render import write_export

    guard_output(output, [data])
    if fmt in ("kumu", "xlsx"):
        from ..importing import export_records

        started = time.perf_counter()
        elements, connections = export_records(data, fmt, output)
        took = time.perf_counter() - started
        note(f"wrote {output}: {elements} elements, {connections} connections ({took:.2f} s)")
        return
    done = write_export(data, fmt, output, relations=relations, free_graph=True)
    files = ", ".join(str(p) for p in done.paths)
    note(f"wrote {files}: {done.nodes} nodes, {done.edges} links ({done.took:.2f} s)")

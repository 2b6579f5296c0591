"""Network commands: connectors, path, gaps, communities, summary."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import click

from ..errors import UsageError
from ..rows import json_default
from ..terminal import safe_json
from .base import (
    at_option,
    cell,
    data_argument,
    default_format,
    echo,
    emit,
    format_option,
    handle_errors,
    main,
    note,
    output_options,
    source_options,
)

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
    from ..network.dated import at_sentence

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
    from ..edition import open_edition

    with open_edition(data) as ed:
        _connectors(ed.on(at), top, without_id, sample, seed, cluster, relations, default_format(fmt))


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
    from ..network import actors, betweenness_method, connectors, without
    from ..network.connectors import ConnectorRow
    from ..network.resolve import Resolver

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
    if fmt in ("csv", "tsv"):  # rows only: the summary and the method are not printed
        emit(rows, fmt, ConnectorRow.columns())
        return
    info = ed.summary(relations)
    method = betweenness_method(info["entities"], sample, seed)
    if fmt == "turtle":
        from ..network.rdf import connectors_rdf, to_turtle

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
    from ..network.paths import paths
    from ..network.resolve import aliases

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
    from ..edition import open_edition

    with open_edition(data) as ed:
        graph, G = ed.graph, ed.on(at).network(relations)
    found = paths(G, ends[0], ends[1], k=k, aliases=aliases(graph.store), store=graph.store)
    fmt = default_format(fmt)
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
    from ..edition import open_edition
    from ..network import gaps, load_rules
    from ..network.gaps import STAGES, IsolatedRow, coverage_matrix, gap_rows, value_chain_matrix
    from ..network.suggest import Suggestion

    spec = load_rules(rules)
    with open_edition(data) as ed:
        G = ed.on(at).network(relations)
        ed.let_graph_go()
        result = gaps(G, spec, cluster=cluster, top=top)
    fmt = default_format(fmt)
    if fmt == "turtle":
        from ..network.rdf import gaps_rdf, to_turtle

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
    from ..edition import open_edition

    with open_edition(data) as ed:
        view = ed.on(at)
        G = view.network(relations)
        ed.let_graph_go()
        found = view.communities(relations, resolution=resolution, seed=seed)
    fmt = default_format(fmt)
    if fmt == "turtle":
        from ..network.rdf import communities_rdf, to_turtle

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
    from ..edition import open_edition
    from ..network import mixing

    with open_edition(data) as ed:
        view = ed.on(at)
        G = view.network(relations)
        ed.let_graph_go()
        if per_entity:
            rows = mixing(G)
            if default_format(fmt) == "table" and _at_lines(G):
                _header(_at_lines(G))
            emit(rows, fmt, ENTITY_MIXING_COLUMNS)
            return
        info, shape = view.summary(relations), view.structure(relations)
    figures = {k: v for k, v in info.items() if k != "sentences"} | shape.figures()
    if "at" in G.graph:
        figures |= {f"at_{k}" if k != "date" else "at": v for k, v in G.graph["at"].items()}
    fmt = default_format(fmt)
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
        return ", ".join(f"{k} {cell(v)}" for k, v in value.items())
    return value

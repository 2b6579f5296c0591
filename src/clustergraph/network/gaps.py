"""Partnership gaps: missing asset kinds, empty value-chain stages, isolated entities."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from ..concepts import STAGES, known_clusters
from ..errors import DataError, DataErrors, Loc
from ..inputs import FileRefused, read_regular
from ..progressbar import ANALYSIS_FROM_NODES, stages
from ..rows import Row
from .connectors import check_cluster
from .suggest import Suggestion, suggestions
from .views import actors, in_cluster

__all__ = [
    "STAGES",
    "CoverageRow",
    "Gaps",
    "IsolatedRow",
    "ValueChainRow",
    "coverage_matrix",
    "default_rules_path",
    "gap_rows",
    "gaps",
    "load_rules",
    "value_chain_matrix",
]

_FIELDS = ("kind", "category", "sector", "value_chain")


@dataclass(frozen=True, slots=True, eq=False)
class CoverageRow(Row):
    """Whether a cluster has an asset kind of the coverage rules (`has` False: a gap).

    `assessed` False: no entity of that kind serves any cluster in the data, so the
    data cannot tell a missing asset from one nobody has tagged ("not assessed").
    """

    cluster: str
    asset: str
    label: str
    has: bool
    count: int
    entities: list[Any]
    why: str
    assessed: bool = True


@dataclass(frozen=True, slots=True, eq=False)
class ValueChainRow(Row):
    """The assets of one cluster at one value-chain stage (`empty`: none).

    `assessed` False: nothing at that stage serves any cluster in the data ("not assessed").
    """

    cluster: str
    stage: str
    assets: list[Any]
    empty: bool
    assessed: bool = True


@dataclass(frozen=True, slots=True, eq=False)
class IsolatedRow(Row):
    """An entity with no link (`isolated`) or linked only through one `broker` (`peripheral`)."""

    id: Any
    label: str
    kind: str | None
    status: str
    broker: Any


@dataclass(frozen=True, slots=True, eq=False)
class Gaps(Row):
    """Everything `gaps` found: coverage, value chain, isolated entities, suggestions, and the rules used."""

    coverage: list[CoverageRow]
    value_chain: list[ValueChainRow]
    isolated: list[IsolatedRow]
    suggestions: list[Suggestion]
    rules: str | None


def default_rules_path() -> Path:
    """The shipped rules: inside the package in a wheel, at the repository top when editable."""
    packaged = Path(str(resources.files("clustergraph"))) / "rules" / "expected.yaml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules" / "expected.yaml"


def load_rules(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Read and check a rules file (see ``rules/expected.yaml``).

    Raises `DataErrors` pointing at the file, line and column of a bad rule.
    """
    import yaml

    target = Path(path) if path is not None else default_rules_path()
    if path is not None:
        shown = os.fspath(path)
    else:  # the shipped file, shown relative to the working directory when under it
        rel = os.path.relpath(target)
        shown = rel if not rel.startswith("..") else str(target)
    try:
        text = read_regular(target, 4 * 2**20).decode("utf-8")
    except FileRefused as exc:
        raise DataErrors(
            [DataError(Loc(shown), f"cannot read rules file: {exc.message}", exc.hint)]
        ) from None
    except OSError as exc:
        raise DataErrors([DataError(Loc(shown), f"cannot read rules file: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise DataErrors([DataError(Loc(shown), "cannot read rules file: it is not UTF-8 text")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        rules = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = Loc(shown, mark.line + 1, mark.column + 1) if mark else Loc(shown)
        raise DataErrors([DataError(loc, f"invalid YAML: {getattr(exc, 'problem', exc)}")]) from None
    errors: list[DataError] = []

    def where(*keys: str | int) -> Loc:
        n = node
        for k in keys:
            if isinstance(n, yaml.MappingNode):
                n = next((v for kk, v in n.value if kk.value == k), n)
            elif isinstance(n, yaml.SequenceNode) and isinstance(k, int) and k < len(n.value):
                n = n.value[k]
        mark = n.start_mark if n is not None else None
        return Loc(shown, mark.line + 1, mark.column + 1) if mark else Loc(shown)

    if not isinstance(rules, Mapping):
        raise DataErrors([DataError(where(), "a rules file is a mapping with `assets` and `value_chain`")])
    assets = rules.get("assets") or {}
    if not isinstance(assets, Mapping):
        errors.append(DataError(where("assets"), "`assets` must map asset kinds to {label, match}"))
        assets = {}
    for name, spec in assets.items():
        if not isinstance(spec, Mapping) or not isinstance(spec.get("match"), list):
            errors.append(DataError(where("assets", name), f"asset kind '{name}' needs a `match` list"))
            continue
        errors.extend(_check_conditions(spec["match"], lambda i, n=name: where("assets", n, "match", i)))
    chain = rules.get("value_chain") or {}
    if not isinstance(chain, Mapping):
        errors.append(DataError(where("value_chain"), "`value_chain` must map stages to condition lists"))
        chain = {}
    for stage, conds in chain.items():
        if stage not in STAGES:
            errors.append(
                DataError(where("value_chain", stage), f"unknown stage '{stage}' (one of {STAGES})")
            )
        elif not isinstance(conds, list):
            errors.append(
                DataError(where("value_chain", stage), f"stage '{stage}' needs a list of conditions")
            )
        else:
            errors.extend(_check_conditions(conds, lambda i, s=stage: where("value_chain", s, i)))
    reach = rules.get("reach", 1)
    if reach not in (0, 1):
        errors.append(DataError(where("reach"), "`reach` is 0 (tagged only) or 1 (also direct partners)"))
    if errors:
        raise DataErrors(errors)
    return {"reach": reach, "assets": dict(assets), "value_chain": dict(chain), "path": shown}


def _check_conditions(conds: list[Any], where: Any) -> list[DataError]:
    out = []
    for i, cond in enumerate(conds):
        if not isinstance(cond, Mapping) or not cond:
            out.append(DataError(where(i), "a condition is a mapping such as {kind: college}"))
            continue
        for k, want in cond.items():
            if k not in _FIELDS:
                out.append(DataError(where(i), f"unknown condition key '{k}' (one of {', '.join(_FIELDS)})"))
            elif not _scalar(want) and not (isinstance(want, list) and all(_scalar(w) for w in want)):
                out.append(
                    DataError(where(i), f"condition '{k}' takes a value or a list of values, not {want!r}")
                )
    return out


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _matches(d: Mapping[str, Any], conds: list[Mapping[str, Any]]) -> bool:
    for cond in conds:
        ok = True
        for k, want in cond.items():
            wanted = set(want) if isinstance(want, list) else {want}
            have = d.get(k)
            have_set = set(have) if isinstance(have, list) else {have}
            if not wanted & have_set:
                ok = False
                break
        if ok:
            return True
    return False


class _Matcher:
    """The entities that meet a rule's conditions, found in an index of each field's values.

    The same sets as asking `_matches` of every entity for every rule, by set operations:
    at 200,000 entities that was 2.2 million calls for the seven assets and four stages
    (2.4 s). A value that cannot be indexed (not hashable) sends that rule back to
    `_matches`, entity by entity, so that it fails, or not, just as it did.
    """

    def __init__(self, entities: list[tuple[Hashable, Mapping[str, Any]]]) -> None:
        self._entities = entities
        self._index: dict[str, dict[Any, set[Hashable]]] = {}

    def __call__(self, conds: list[Mapping[str, Any]]) -> set[Hashable]:
        """Every entity meeting any of `conds` (a new set: the caller may add to it)."""
        try:
            return self._indexed(conds)
        except TypeError:
            return {v for v, d in self._entities if _matches(d, conds)}

    def _indexed(self, conds: list[Mapping[str, Any]]) -> set[Hashable]:
        out: set[Hashable] = set()
        for cond in conds:
            hit: set[Hashable] | None = None  # None: no key yet, every entity
            for k, want in cond.items():
                by = self._by(k)
                got = set().union(*(by.get(w, ()) for w in (want if isinstance(want, list) else (want,))))
                hit = got if hit is None else hit & got
                if not hit:
                    break
            out |= {v for v, _ in self._entities} if hit is None else hit
        return out

    def _by(self, key: str) -> dict[Any, set[Hashable]]:
        """Value -> the entities that have it for `key` (each item of a list; None when absent)."""
        by = self._index.get(key)
        if by is None:
            made: defaultdict[Any, set[Hashable]] = defaultdict(set)
            for v, d in self._entities:
                have = d.get(key)
                if isinstance(have, list):
                    for h in have:
                        made[h].add(v)
                else:
                    made[have].add(v)
            by = self._index[key] = dict(made)
        return by


def _serving(
    G: nx.Graph, groups: Mapping[Any, set[Hashable]], reach: int, only: str | None
) -> tuple[dict[Any, dict[str, list[Hashable]]], dict[Any, bool]]:
    """For each group of entities, those that serve each cluster (in `str` order), and whether any serves one.

    The lists are ``sorted(cluster_members(G, reach)[c] & group, key=str)`` for every
    cluster c, found from the other side: each entity of a group is asked once which
    clusters it serves (its own tags and those of its partnerships, and with ``reach``
    1 those of its direct partners'), in `str` order, so each list is filled already
    sorted. At 200,000 entities the members of 800 clusters were 55 million set entries
    (1.2 GiB, 11 s cpu) and sorting their intersections another 18 s. `only`: the one
    cluster whose lists are kept (whether a group serves any cluster still counts all).
    """
    kind = dict(G.nodes(data="kind"))
    tags: dict[Hashable, set[str]] = {}  # the clusters each entity is a member of itself
    for v, cs in G.nodes(data="clusters"):
        if cs and kind.get(v) != "cluster":
            tags[v] = set(cs)
    for a, b, cs in G.edges(data="clusters"):
        if cs:
            for x in (a, b):
                if kind.get(x) != "cluster":
                    if x in tags:
                        tags[x].update(cs)
                    else:
                        tags[x] = set(cs)
    # A member's neighbours serve its clusters: x serves c when a node linked to x (x in
    # G[v], so v in G.pred[x] for a directed graph) is a member of c. The adjacency dicts
    # themselves, read-only: a view of each entity's neighbours costs more than the lookups.
    near = (G._pred if G.is_directed() else G._adj) if reach > 0 else None
    keys_of: defaultdict[Hashable, list[Any]] = defaultdict(list)
    for key, group in groups.items():
        for v in group:
            keys_of[v].append(key)
    found: dict[Any, defaultdict[str, list[Hashable]]] = {key: defaultdict(list) for key in groups}
    serves = dict.fromkeys(groups, False)
    for x in sorted(keys_of, key=str):
        own = tags.get(x)
        served = set(own) if own else set()
        if near is not None:
            for v in near[x]:
                theirs = tags.get(v)
                if theirs:
                    served |= theirs
        if not served:
            continue
        for key in keys_of[x]:
            serves[key] = True
            lists = found[key]
            if only is None:
                for c in served:
                    lists[c].append(x)
            elif only in served:
                lists[only].append(x)
    return {key: dict(lists) for key, lists in found.items()}, serves


def gaps(
    G: nx.Graph,
    rules: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    cluster: str | None = None,
    top: int = 20,
) -> Gaps:
    """Where the region's cluster strategy has holes, and who could fill them.

    Parameters
    ----------
    G : networkx.Graph
        From `project`.
    rules : path or mapping, optional
        The coverage rules (default: the shipped ``rules/expected.yaml``).
    cluster : str, optional
        Only this cluster (and, for isolated entities and suggestions, the
        entities that serve it).
    top : int
        How many suggested partnerships to return.

    Returns
    -------
    Gaps
        A record (also readable as a mapping, ``result["coverage"]``):

        - ``coverage``: one row per cluster and asset kind: ``cluster,
          asset, label, has`` (bool), ``count``, ``entities`` (ids) and
          ``why``. A row with ``has`` False is a gap: the cluster strategy
          names that kind of asset and none serves the cluster.
        - ``value_chain``: one row per cluster and stage (research, design,
          build, export): ``cluster, stage, assets`` (ids), ``empty`` (bool).
          An empty cell is a stage the region does not cover for that
          cluster, a gap "along the value chain, from research to design to
          build to export".
        - ``isolated``: entities with no link at all (``status``
          ``isolated``) or linked only through one other entity
          (``peripheral``, with ``broker``): they depend on a single
          relationship.
        - ``suggestions``: pairs not yet linked, ranked by link prediction
          (see `suggestions`).
        - ``rules``: the path of the rules used.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("lab", kind="organization", category="research-institute", clusters=["bio"], label="Lab")
    >>> G.add_node("town", kind="organization", category="government", clusters=[], label="Town")
    >>> G.graph["clusters"] = {"bio": "Bioscience"}
    >>> rules = {"assets": {"college-partner": {"label": "College", "match": [{"kind": "college"}]}},
    ...          "value_chain": {"research": [{"category": "research-institute"}]}}
    >>> out = gaps(G, rules)
    >>> out["coverage"][0]["has"], out["value_chain"][0]["assets"], out["isolated"][1]["status"]
    (False, ['lab'], 'isolated')

    Notes
    -----
    Coverage and value chain: O(clusters x entities serving them); isolated
    entities O(n); suggestions avoid all n² pairs (see `suggestions`). The
    set of entities serving a cluster is `in_cluster` with the rules' reach.
    """
    if cluster is not None:
        check_cluster(G, cluster)
    spec = dict(rules) if isinstance(rules, Mapping) else load_rules(rules)
    reach = spec.get("reach", 1)
    H = actors(G)
    known = known_clusters(G.graph.get("clusters"), (cs for _, cs in G.nodes(data="clusters")))
    chosen = [cluster] if cluster is not None else sorted(known)
    # Which entities match each rule, decided once per entity, not once per cluster.
    entities = [(v, d) for v, d in G.nodes(data=True) if d.get("kind") != "cluster"]
    asset_rules = spec.get("assets") or {}
    match = _Matcher(entities)
    has_asset = {name: match(asset["match"]) for name, asset in asset_rules.items()}
    stage_rules = spec.get("value_chain") or {}
    at_stage = {stage: match(stage_rules.get(stage) or []) for stage in STAGES}
    for v, d in entities:  # an entity tagged with a stage is at that stage, whatever the rules say
        tagged = d.get("value_chain")
        if tagged:
            for stage in STAGES:
                if stage in tagged:
                    at_stage[stage].add(v)
    groups = {("asset", name): found for name, found in has_asset.items()}
    groups.update({("stage", stage): found for stage, found in at_stage.items()})
    found_in, serves = _serving(G, groups, reach, cluster)
    # A gap is claimed only where the data could show the asset: some entity of that kind
    # (at that stage) serves some cluster. Otherwise the cell is "not assessed".
    assessed = {name: serves["asset", name] for name in has_asset}
    staged = {stage: serves["stage", stage] for stage in at_stage}
    coverage: list[CoverageRow] = []
    chain: list[ValueChainRow] = []
    for c in chosen:
        for name, asset in asset_rules.items():
            found = found_in["asset", name].get(c) or []
            label = asset.get("label", name)
            if found:
                why = f"{known[c]} has {len(found)} {label.lower()}{'s' if len(found) != 1 else ''}"
            elif not assessed[name]:
                why = f"not assessed: no {label.lower()} serves any cluster in the data"
            else:
                why = f"no {label.lower()} serves {known[c]}" + (
                    f" ({asset['why']})" if asset.get("why") else ""
                )
            coverage.append(CoverageRow(c, name, label, bool(found), len(found), found, why, assessed[name]))
        for stage in STAGES:
            found = found_in["stage", stage].get(c) or []
            chain.append(ValueChainRow(c, stage, found, not found, staged[stage]))
    keep = in_cluster(G, cluster) if cluster is not None else set(H)
    isolated: list[IsolatedRow] = []
    for v in sorted(H, key=str):
        if v not in keep:
            continue
        d = H.degree(v)
        label, kind = H.nodes[v].get("label", str(v)), H.nodes[v].get("kind")
        if d == 0:
            isolated.append(IsolatedRow(v, label, kind, "isolated", None))
        elif d == 1:
            (w,) = H[v]
            isolated.append(IsolatedRow(v, label, kind, "peripheral", w))
    # Suggestions are most of the time on a big network; say so on a terminal.
    with stages("gaps", ("suggested partnerships",), show=len(H) >= ANALYSIS_FROM_NODES) as stage:
        stage("suggested partnerships")
        suggested = suggestions(G, H, cluster=cluster, top=top)
    return Gaps(coverage, chain, isolated, suggested, spec.get("path"))


def gap_rows(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every finding of `gaps` as one flat row type, for CSV and TSV.

    Columns: ``section`` (coverage, value-chain, isolated, suggestion),
    ``cluster``, ``subject`` (asset kind, stage, entity id or "a + b"),
    ``status`` (has/lacks, has/empty, isolated/peripheral, the score),
    ``entities`` (ids) and ``why``.
    """
    rows: list[dict[str, Any]] = []
    for r in result["coverage"]:
        rows.append(
            {
                "section": "coverage",
                "cluster": r["cluster"],
                "subject": r["asset"],
                "status": "has" if r["has"] else "lacks" if r.get("assessed", True) else "not assessed",
                "entities": r["entities"],
                "why": r["why"],
            }
        )
    for r in result["value_chain"]:
        rows.append(
            {
                "section": "value-chain",
                "cluster": r["cluster"],
                "subject": r["stage"],
                "status": "has" if not r["empty"] else "empty" if r.get("assessed", True) else "not assessed",
                "entities": r["assets"],
                "why": ""
                if not r["empty"]
                else f"no asset serves the {r['stage']} stage"
                if r.get("assessed", True)
                else f"not assessed: nothing at the {r['stage']} stage serves any cluster in the data",
            }
        )
    for r in result["isolated"]:
        rows.append(
            {
                "section": "isolated",
                "cluster": "",
                "subject": r["id"],
                "status": r["status"],
                "entities": [r["broker"]] if r["broker"] else [],
                "why": f"linked only through {r['broker']}" if r["broker"] else "no link at all",
            }
        )
    for r in result["suggestions"]:
        rows.append(
            {
                "section": "suggestion",
                "cluster": r["shared_clusters"],
                "subject": f"{r['a']} + {r['b']}",
                "status": r["score"],
                "entities": r["shared_partners"],
                "why": r["why"],
            }
        )
    return rows


def coverage_matrix(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Cluster x asset kind as one row per cluster: the count, "-" for a gap, "n/a" where not assessed."""
    return _matrix(
        result["coverage"],
        "asset",
        lambda r: str(r["count"]) if r["has"] else "-" if r.get("assessed", True) else "n/a",
    )


def value_chain_matrix(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Cluster x stage as one row per cluster: the number of assets, "-" if empty, "n/a" if not assessed."""
    return _matrix(
        result["value_chain"],
        "stage",
        lambda r: str(len(r["assets"])) if not r["empty"] else "-" if r.get("assessed", True) else "n/a",
    )


def _matrix(rows: list[Mapping[str, Any]], column: str, cell: Any) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        out.setdefault(r["cluster"], {"cluster": r["cluster"]})[r[column]] = cell(r)
    return list(out.values())

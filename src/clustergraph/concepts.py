"""The concepts every layer names, each defined once: kinds, value-chain stages, measures, clusters.

A record's collection (`workforce_boards`), its kind in the network
(`workforce-board`), its class in our vocabulary (`cg:WorkforceBoard`), the
words a page uses for it ("Workforce board", "Workforce boards"), its colour
and shape on the map, and the words a person may type for it (`kind:boards`)
are one row of `KINDS` here. The loader, the builder, the network, `diff`, the
map, the report and the site read this table; none keeps its own.

>>> BY_COLLECTION["workforce_boards"].kind, BY_KIND["workforce-board"].plural
('workforce-board', 'Workforce boards')
>>> STAGES
('research', 'design', 'build', 'export')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import UsageError, did_you_mean


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of record, as every layer names it."""

    collection: str  # the YAML collection
    kind: str  # the kind in the network, rows and pages
    cls: str  # the local name of its class in our vocabulary (cg:...)
    label: str  # a page's word for one (US spelling)
    plural: str  # ... and for several
    colour: str = "#999999"  # on the map (Okabe-Ito palette: readable with colour-vision deficiencies)
    shape: str = "dot"  # vis-network shape, a second cue beside the colour
    node: bool = False  # an actor (or cluster) of the network, not context
    words: tuple[str, ...] = ()  # what a person may write after `kind:`


# In the order legends list them: the network's node kinds first.
KINDS: tuple[Kind, ...] = (
    Kind("organizations", "organization", "Organization", "Organization", "Organizations",
         "#0072B2", "dot", True, ("organizations", "organisations", "organisation", "orgs", "org")),
    Kind("colleges", "college", "College", "College or university", "Colleges and universities",
         "#E69F00", "dot", True, ("colleges", "universities", "university")),
    Kind("workforce_boards", "workforce-board", "WorkforceBoard", "Workforce board", "Workforce boards",
         "#009E73", "dot", True, ("workforce-boards", "boards", "board", "workforce_boards")),
    Kind("facilities", "facility", "Facility", "Facility", "Facilities",
         "#56B4E9", "square", True, ("facilities",)),
    Kind("programs", "program", "Program", "Program", "Programs",
         "#D4C300", "square", True, ("programs", "programmes", "programme")),
    Kind("initiatives", "initiative", "Initiative", "Initiative", "Initiatives",
         "#CC79A7", "dot", True, ("initiatives",)),
    Kind("people", "person", "Person", "Person", "People",
         "#8C6D46", "dot", True, ("people", "persons")),
    Kind("policies", "policy", "Policy", "Policy", "Policies",
         "#D55E00", "triangle", True, ("policies", "bills", "bill")),
    Kind("clusters", "cluster", "Cluster", "Industry cluster", "Industry clusters",
         "#444444", "diamond", True, ("clusters",)),
    Kind("datasets", "dataset", "Dataset", "Dataset", "Datasets"),
    Kind("sources", "source", "Source", "Source", "Sources"),
    Kind("reports", "report", "Report", "Report", "Reports"),
    Kind("plans", "plan", "Plan", "Plan", "Plans"),
    Kind("events", "event", "Event", "Event", "Events"),
    Kind("partnerships", "partnership", "Partnership", "Partnership", "Partnerships"),
)  # fmt: skip

BY_COLLECTION: Mapping[str, Kind] = {k.collection: k for k in KINDS}
BY_KIND: Mapping[str, Kind] = {k.kind: k for k in KINDS}
NODE_KINDS: tuple[Kind, ...] = tuple(k for k in KINDS if k.node)
#: A kind the table does not know (a foreign RDF file's), as pages show it.
OTHER_KIND = Kind("", "other", "", "Other", "Others")

#: The levels of a plan: a plan has goals, a goal strategies, a strategy actions.
#: Their records are in the `plans` collection; their classes are cg:Plan, cg:Goal, ...
PLAN_LEVELS: Mapping[str, str] = {"plan": "Plan", "goal": "Goal", "strategy": "Strategy", "action": "Action"}

#: The value chain, "from research to design to build to export", in order.
STAGES: tuple[str, ...] = ("research", "design", "build", "export")


@dataclass(frozen=True, slots=True)
class Measure:
    """A network measure of `connectors`, as pages and options name it."""

    name: str  # the field of a connector row
    label: str  # a page's word for it
    sizes: str = ""  # what a bigger dot means when it sizes the map's nodes ("" = cannot size)


MEASURES: tuple[Measure, ...] = (
    Measure("degree", "links", "direct links"),
    Measure("betweenness", "betweenness", "bridging between others"),
    Measure("pagerank", "PageRank", "well-connected partners"),
    Measure("constraint", "constraint"),
    Measure("effective_size", "effective size", "non-redundant contacts"),
    Measure("cut_off", "cut off if removed"),
)
BY_MEASURE: Mapping[str, Measure] = {m.name: m for m in MEASURES}
#: Measures a map can be sized by.
SIZE_MEASURES: tuple[str, ...] = tuple(m.name for m in MEASURES if m.sizes)


# ---------------------------------------------------------------- clusters


def known_clusters(
    graph_clusters: Mapping[str, str] | None, tagged: Iterable[Iterable[str]] = ()
) -> dict[str, str]:
    """Every cluster a network knows, id -> name: those it declares, then any that records are tagged with.

    `graph_clusters` is what the projection keeps in ``G.graph["clusters"]``;
    `tagged` the `clusters` lists of its nodes (a tag without a cluster record
    is named by its id).
    """
    known = dict(graph_clusters or {})
    for tags in tagged:
        for c in tags or ():
            known.setdefault(str(c), str(c))
    return known


def check_cluster(cluster: str, known: Iterable[str], param: str = "cluster") -> None:
    """Raise the one error for a cluster id the network does not know, with did-you-mean."""
    choices = sorted(known)
    if cluster in choices:
        return
    hint = did_you_mean(cluster, choices)
    raise UsageError(f"no cluster '{cluster}' in the network" + (f" ({hint})" if hint else ""), param=param)

"""What the pages call things, and in which colour: one table per concept, handed to pages as data.

Kinds, link styles, the marks drawn over them, the measures and the words for
categories and relations are defined here once; the map's script, the report, the
static picture and `to_pyvis` read them from here (the page gets them in its JSON),
so a colour or a legend text is never spelled twice. Words are for directors, in US
spelling: no ids, no enums.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..concepts import MEASURES as _MEASURE_TABLE
from ..concepts import NODE_KINDS, OTHER_KIND

# Kinds in the order the legend lists them: (legend label, color, vis-network shape), from
# the one table of kinds (clustergraph.concepts).
KINDS: dict[str, tuple[str, str, str]] = {k.kind: (k.label, k.colour, k.shape) for k in NODE_KINDS}
_OTHER_KIND = (OTHER_KIND.label, OTHER_KIND.colour, OTHER_KIND.shape)

# Edge styles by the family of a relation kind (the part before ":").
# (legend label, color, dashes: false or a dash pattern, width)
RELATION_STYLES: dict[str, tuple[str, str, bool | list[int], float]] = {
    "partnership": ("Partnership", "#3B6FB6", False, 2.0),
    "initiative": ("Initiative lead or partner", "#A0579A", False, 1.5),
    "structure": ("Operates, provides, member of, part of", "#8A8A8A", False, 1.0),
    "policy": ("Policy author, supporter or opponent", "#7B3F8C", [6, 3], 1.2),
    "in-cluster": ("Belongs to a cluster", "#C9C9C9", [2, 4], 0.8),
    "other": ("Other link", "#AAAAAA", False, 1.0),
    "suggested": ("Suggested partnership (gap)", "#D0021B", [10, 6], 3.0),
}
_STRUCTURE = (
    "operator",
    "provider",
    "member",
    "affiliation",
    "parent",
    "located",
    "sub-organization",
    "site",
)
_POLICY = ("author", "supporter", "opponent", "policy")

# The marks drawn around a node, outside its fill, so they never hide the kind color;
# "new" uses a color that no kind, link style or other mark uses.
MARKS: dict[str, dict[str, str]] = {
    "new": {"colour": "#E6007E", "legend": "Magenta ring: new since {since}"},
    "gap": {"colour": "#D0021B", "legend": "Red ring: isolated, or linked only through one broker"},
    "connector": {"colour": "#111111", "legend": "Black ring: one of the top connectors"},
}

# Each measure: its name on a page, what it means in a director's words, and how to show it.
MEASURES: dict[str, dict[str, str]] = {
    "degree": {"name": "Direct links", "explain": "partners and ties it has", "format": "count"},
    "betweenness": {
        "name": "Bridging",
        "explain": "share of the shortest routes between two others that pass through it",
        "format": "percent",
    },
    "pagerank": {
        "name": "Reach",
        "explain": "share of attention it gets, counting how well connected its partners are",
        "format": "percent",
    },
    "constraint": {
        "name": "Dependence",
        "explain": "how much its partners know each other (low: it holds unique ties)",
        "format": "ratio",
    },
    "effective_size": {
        "name": "Independent contacts",
        "explain": "partners who are not partners of each other",
        "format": "number",
    },
    "cut_off": {
        "name": "Cut off without it",
        "explain": "entities that lose every path to the rest of the network if it leaves",
        "format": "count",
    },
}
# What a bigger dot means when a measure sizes the map, and which measures can: the
# one table of measures (clustergraph.concepts) says.
SIZE_MEANINGS: dict[str, str] = {m.name: m.sizes for m in _MEASURE_TABLE if m.sizes}
SIZE_MEASURES: tuple[str, ...] = tuple(SIZE_MEANINGS)
assert set(MEASURES) == {m.name for m in _MEASURE_TABLE}, "a measure without words for the page"
# Measures shown in a node's tooltip, in this order, when present.
_SHOWN = ("degree", "betweenness", "pagerank", "constraint", "effective_size", "cut_off")

# Category slugs whose words are not the slug with spaces.
_CATEGORY_WORDS = {
    "economic-development-org": "economic development organization",
    "research-institute": "research institute",
    "labor-management-partnership": "labor-management partnership",
    "state-university": "state university",
    "private-university": "private university",
    "community-college": "community college",
}

# Relation kinds (as the network names them) in words; partnership types read "X partnership".
_RELATION_WORDS = {
    "member-of": "member",
    "in-cluster": "in the cluster",
    "broader": "part of the wider cluster",
    "initiative-partner": "initiative partner",
    "initiative-lead": "initiative lead",
    "operator": "operator",
    "provider": "provider",
    "located-at": "located at",
    "sub-organization": "part of",
    "parent": "part of",
    "affiliation": "affiliated",
    "author": "author",
    "supporter": "supporter",
    "opponent": "opponent",
    "suggested": "suggested partnership",
}

# Statuses a policy or facility can have that mean it is not (or no longer) live.
ENDED_STATUSES = frozenset(
    {"vetoed", "failed", "withdrawn", "ended", "closed", "repealed", "expired", "dead"}
)


def category_words(category: str | None) -> str:
    """A record's type in words: 'economic-development-org' -> 'economic development organization'."""
    if not category:
        return ""
    return _CATEGORY_WORDS.get(category, category.replace("-", " "))


def relation_words(relation: str) -> str:
    """One relation kind in words: 'partnership:funding' -> 'funding partnership'."""
    if relation.startswith("partnership:"):
        kind = relation.split(":", 1)[1].replace("-", " ")
        return kind if "partnership" in kind else f"{kind} partnership"
    return _RELATION_WORDS.get(relation, relation.replace("-", " ").replace(":", " "))


def relations_words(relations: Sequence[str]) -> str:
    """Every relation of one link in words, each once, joined by commas."""
    seen: list[str] = []
    for r in relations:
        w = relation_words(r)
        if w not in seen:
            seen.append(w)
    return ", ".join(seen)


def kind_label(kind: str) -> str:
    """The legend's name for a kind."""
    return KINDS.get(kind, _OTHER_KIND)[0]


def kind_colour(kind: str) -> str:
    """The fill color of a kind."""
    return KINDS.get(kind, _OTHER_KIND)[1]


# The relations presets in words, for the sentence every page states about its network.
_PRESET_WORDS = {
    "all": "every kind of link: partnerships, initiatives, memberships and operators, policy roles, clusters",
    "collaboration": "partnerships, initiatives and policy roles (not memberships or operators)",
    "partnerships": "partnerships only",
}


def relations_preset_words(relations: str | None) -> str:
    """What a relations preset (or a comma-separated list of kinds) counts as links, in words."""
    key = relations or "all"
    if key in _PRESET_WORDS:
        return _PRESET_WORDS[key]
    return ", ".join(relation_words(r.strip()) for r in key.split(",") if r.strip())

"""What the network is made of: node kinds, relation kinds, presets and sectors.

The tables that turn our vocabulary's classes and predicates into the node and
edge kinds of the NetworkX graph, the named choices of relations, and the
sector each kind of actor belongs to.
"""

from __future__ import annotations

from ..concepts import NODE_KINDS
from ..vocab import CG, ORG, SCHEMA, SKOS

# rdf:type -> node kind. Sources, reports, plans, events and partnerships are
# not nodes: partnerships become edges, the others are context, not actors.
KINDS: dict[str, str] = {CG + k.cls: k.kind for k in NODE_KINDS}

# Predicate -> (relation kind, True when the edge is read object -> subject,
# i.e. the predicate is an inverse that build writes for convenience).
PREDICATES: dict[str, str] = {
    ORG + "hasMember": "member-of",
    ORG + "memberOf": "member-of",
    CG + "ledBy": "initiative-lead",
    CG + "hasPartner": "initiative-partner",
    CG + "operatedBy": "operator",
    CG + "locatedAt": "located-at",
    ORG + "subOrganizationOf": "sub-organization",
    SCHEMA + "affiliation": "affiliation",
    SCHEMA + "provider": "provider",
    SCHEMA + "author": "author",
    CG + "supporter": "supporter",
    CG + "opponent": "opponent",
    CG + "inCluster": "in-cluster",
    SKOS + "broader": "broader",
}

#: Relation kinds other than partnerships (those are ``partnership:<type>``).
RELATIONS: tuple[str, ...] = tuple(sorted(set(PREDICATES.values())))

STRUCTURE = frozenset({"in-cluster", "broader"})

#: Named choices for ``project(relations=...)``:
#:
#: - ``partnerships``: only partnership records (``partnership:<type>``), the
#:   narrowest reading of "who works with whom";
#: - ``collaboration``: partnerships plus initiatives (lead, partner),
#:   memberships, operators and sites, affiliations, providers, authors,
#:   supporters and opponents of policies: every relation between actors;
#: - ``all`` (the default): ``collaboration`` plus cluster nodes linked by
#:   ``in-cluster`` and ``broader``, for maps that show clusters as hubs.
PRESETS: dict[str, frozenset[str] | None] = {
    "partnerships": frozenset({"partnership:*"}),
    "collaboration": frozenset({"partnership:*", *(set(RELATIONS) - STRUCTURE)}),
    "all": None,
}

#: The five sectors of Gould–Fernandez brokerage.
SECTORS: tuple[str, ...] = ("industry", "education", "workforce", "government", "civic")

_ORG_SECTORS: dict[str, str] = {
    "company": "industry",
    "chamber": "industry",
    "industry-association": "industry",
    "incubator": "industry",
    "port": "government",
    "government": "government",
    "legislature": "government",
    "research-institute": "education",
    "labor-union": "workforce",
    "labor-management-partnership": "workforce",
    "economic-development-org": "civic",
    "nonprofit": "civic",
    "foundation": "civic",
}
_PROGRAM_SECTORS = {"degree": "education", "certificate": "education", "incubation": "industry"}


def sector_of(kind: str, category: str | None) -> str | None:
    """The sector of an entity from its kind and category, before inheritance.

    - college -> education; workforce-board -> workforce; policy -> government;
      initiative -> civic (a collaboration of several sectors);
    - organization by category: company, chamber, industry-association,
      incubator -> industry; port, government, legislature -> government;
      research-institute -> education (education and research);
      labor-union, labor-management-partnership -> workforce;
      economic-development-org, nonprofit, foundation -> civic;
    - program: degree, certificate -> education; incubation -> industry;
      apprenticeship, training and others -> workforce;
    - cluster -> None (a cluster is a topic, not an actor).

    Three kinds inherit instead (done in `project`, returned here as None): a
    consortium takes the sector most of its members have (civic when it has
    none), a facility its operator's (industry when it has none), a person
    their affiliation's (civic when none).

    >>> sector_of("organization", "port"), sector_of("college", "university")
    ('government', 'education')
    """
    match kind:
        case "college":
            return "education"
        case "workforce-board":
            return "workforce"
        case "policy":
            return "government"
        case "initiative":
            return "civic"
        case "program":
            return _PROGRAM_SECTORS.get(category or "", "workforce")
        case "organization":
            if category == "consortium":
                return None
            return _ORG_SECTORS.get(category or "", "civic")
    return None

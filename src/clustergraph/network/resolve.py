"""From what a person types to a node of the network: an id, a name, an alias, or a group.

Directors do not know ids: "LA BioMed", "the Lundquist Institute" and
``la-biomed`` all mean one record. `Resolver` accepts any of them (names and
aliases case-insensitively, when only one entity carries them), and, where a
command takes a group, ``cluster:ID`` (the entities taking part in a cluster)
or ``kind:colleges`` (every entity of a kind or category). Anything else is an
`UnknownEntity` naming the parameter, with the closest matches.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..concepts import NODE_KINDS
from ..errors import UsageError
from .views import cluster_members

__all__ = ["Group", "Resolver", "UnknownEntity", "aliases"]


class UnknownEntity(UsageError):
    """Text that names no entity (or names several): says which parameter, and what was close."""

    def __init__(self, param: str, text: str, problem: str, hint: str = "") -> None:
        self.text, self.hint = text, hint
        super().__init__(f"`{param}`: {problem}" + (f" ({hint})" if hint else ""), param=param)


@dataclass(frozen=True, slots=True)
class Group:
    """What a parameter resolved to: one entity or a group of them.

    ``kind`` is ``"entity"``, ``"cluster"`` or ``"kind"``; ``key`` the id, the
    cluster id or the kind; ``label`` words for a page; ``members`` the node ids.
    """

    kind: str
    key: str
    label: str
    members: frozenset[str]


# Words a person may write after ``kind:``, for the network's node kinds.
_KIND_WORDS = {k.kind: k.words for k in NODE_KINDS if k.kind != "cluster"}
_KIND_LABELS = {k.kind: k.plural.lower() for k in NODE_KINDS if k.kind != "cluster"}


def aliases(graph: Any) -> dict[str, list[str]]:
    """Record id -> its aliases (``skos:altLabel``), read from the graph's store (or its
    `clustergraph.builder.TripleTable`).

    >>> from clustergraph import build, load
    >>> aliases(build(load("graph")).store)["la-biomed"]
    ['LA BioMed', 'Lundquist Institute', 'The Lundquist Institute']
    """
    from ..vocab import DCTERMS, SKOS
    from .project import _Reader, _store

    read = _Reader(*_store(graph))
    ident = read.last(DCTERMS + "identifier")
    out: dict[str, list[str]] = defaultdict(list)
    for s, alias in read.each(SKOS + "altLabel"):
        out[ident.get(s) or s.rstrip("/#").rsplit("/", 1)[-1]].append(alias)
    return {k: sorted(v) for k, v in out.items()}


class Resolver:
    """Turns text into node ids of `G`, by id, name or alias (`aliases`: id -> list of aliases).

    >>> G = nx.Graph([("la-biomed", "ucla")])
    >>> nx.set_node_attributes(G, {"la-biomed": "The Lundquist Institute", "ucla": "UCLA"}, "label")
    >>> nx.set_node_attributes(G, {"la-biomed": "organization", "ucla": "college"}, "kind")
    >>> r = Resolver(G, {"la-biomed": ["LA BioMed"]})
    >>> r.entity("la biomed"), r.entity("UCLA"), sorted(r.group("kind:colleges").members)
    ('la-biomed', 'ucla', ['ucla'])
    >>> r.entity("ucal", "TO")
    Traceback (most recent call last):
    ...
    clustergraph.network.resolve.UnknownEntity: `TO`: no entity 'ucal' (did you mean 'ucla'?)
    """

    def __init__(self, G: nx.Graph, aliases: Mapping[str, Iterable[str]] | None = None) -> None:
        self.G = G
        names: dict[str, set[str]] = defaultdict(set)
        for v, label in G.nodes(data="label"):
            names[str(v).lower()].add(v)
            if label:
                names[str(label).casefold()].add(v)
        for v, words in (aliases or {}).items():
            if v in G:
                for w in words:
                    names[w.casefold()].add(v)
        self._names = dict(names)
        self.clusters: dict[str, str] = dict(G.graph.get("clusters") or {})

    def entity(self, text: str, param: str = "entity") -> str:
        """The node id `text` names (an id, or a name or alias only one entity has)."""
        if text in self.G:
            return text
        found = self._names.get(text.strip().casefold(), set())
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            ids = ", ".join(sorted(map(str, found)))
            raise UnknownEntity(param, text, f"'{text}' names several entities ({ids}): give the id")
        want = text.strip().casefold()
        close = sorted(
            (n for n in self._names if want and want in n), key=lambda n: (not n.startswith(want), n)
        )[:3]
        close = close or difflib.get_close_matches(want, list(self._names), n=3, cutoff=0.6)
        hint = ""
        if close:
            ids = []
            for c in close:
                ids.extend(sorted(map(str, self._names[c])))
            hint = "did you mean " + " or ".join(f"'{i}'" for i in dict.fromkeys(ids))
            hint += "?"
        raise UnknownEntity(param, text, f"no entity '{text}'", hint)

    def cluster(self, text: str, param: str = "cluster") -> str:
        """The cluster id `text` names (its id or its name)."""
        if text in self.clusters:
            return text
        for cid, label in self.clusters.items():
            if label.casefold() == text.strip().casefold():
                return cid
        close = difflib.get_close_matches(text, [*self.clusters], n=1, cutoff=0.6)
        hint = f"did you mean 'cluster:{close[0]}'?" if close else "clusters: " + ", ".join(self.clusters)
        raise UnknownEntity(param, text, f"no cluster '{text}'", hint)

    def kind(self, text: str, param: str = "kind") -> str:
        """The node kind or category `text` names: ``colleges``, ``college``, ``port``..."""
        word = text.strip().lower().replace(" ", "-")
        for kind, words in _KIND_WORDS.items():
            if word == kind or word in words:
                return kind
        categories = {str(c) for _, c in self.G.nodes(data="category") if c}
        if word in categories:
            return word
        if word.endswith("s") and word[:-1] in categories:
            return word[:-1]
        choices = [*_KIND_WORDS, *(w for ws in _KIND_WORDS.values() for w in ws), *categories]
        close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
        hint = f"did you mean 'kind:{close[0]}'?" if close else "kinds: " + ", ".join(_KIND_LABELS)
        raise UnknownEntity(param, text, f"no kind '{text}'", hint)

    def group(self, text: str, param: str = "entity") -> Group:
        """An entity, ``cluster:ID`` (entities tagged with it or in its partnerships),
        ``kind:KIND`` (entities of that kind or category), or a bare cluster id or name."""
        prefix, sep, rest = text.partition(":")
        if sep and prefix.lower() == "cluster":
            cid = self.cluster(rest, param)
            members = cluster_members(self.G, reach=0).get(cid, set())
            return Group("cluster", cid, f"the {self.clusters[cid]} cluster", frozenset(members))
        if sep and prefix.lower() == "kind":
            kind = self.kind(rest, param)
            members = {v for v, d in self.G.nodes(data=True) if kind in (d.get("kind"), d.get("category"))}
            label = _KIND_LABELS.get(kind, kind.replace("-", " ") + "s")
            return Group("kind", kind, label, frozenset(members))
        try:
            nid = self.entity(text, param)
        except UnknownEntity:
            if text in self.clusters or text.casefold() in {c.casefold() for c in self.clusters.values()}:
                return self.group("cluster:" + text, param)
            raise
        label = str(self.G.nodes[nid].get("label") or nid)
        return Group("entity", str(nid), label, frozenset({nid}))

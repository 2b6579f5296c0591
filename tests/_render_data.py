"""Small hand-made networks for the map, report and browser tests.

They carry the node and edge attributes `clustergraph.network.project` gives, and
names that try to break out of HTML, attributes, scripts and JSON.
"""

from __future__ import annotations

import json
import random
import re
from html.parser import HTMLParser
from typing import Any

import networkx as nx

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)",
    "<!-- x --> & \u2028 \u2029 {{title}} ${alert(1)}",
    "<a href=javascript:alert(1)>click</a>",
]
# Same idea, but the payload flags the page instead of opening a dialog, so a
# test can see it ran even when dialogs are suppressed.
FLAGGING = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"

KINDS = [
    "organization",
    "college",
    "workforce-board",
    "facility",
    "program",
    "initiative",
    "person",
    "policy",
]
SECTORS = ["industry", "education", "workforce", "government", "civic"]


def hostile_network() -> nx.Graph:
    """Two clusters, one node of every kind, hostile labels, sources and a bad URL."""
    g = nx.Graph()
    g.add_node("aero", label="Aerospace <b>", kind="cluster", clusters=[], sources=[], sector="industry")
    g.add_node("bio", label="Bioscience", kind="cluster", clusters=[], sources=[], sector="industry")
    names = [*HOSTILE, FLAGGING, "Port of Los Angeles", "El Camino College"]
    for i, name in enumerate(names):
        kind = KINDS[i % len(KINDS)]
        g.add_node(
            f"n{i}",
            label=name,
            kind=kind,
            category="port" if kind == "organization" else kind,
            sector=SECTORS[i % len(SECTORS)],
            clusters=["aero"] if i % 2 == 0 else ["bio"],
            sources=[
                {"id": f"s{i}", "title": f"Report {name}", "url": "https://example.org/r?a=1&b=2"},
                {"id": f"t{i}", "title": "Bad link", "url": "javascript:alert(1)"},
            ],
            value_chain=["research", "build"] if kind == "facility" else [],
            city="Los Angeles",
            iri=f"https://w3id.org/clustergraph/id/n{i}",
        )
        g.add_edge(f"n{i}", "aero" if i % 2 == 0 else "bio", relations=["in-cluster"], weight=1, sources=[])
    rels = ["partnership:sector-partnership", "initiative-lead", "operator", "partnership:<script>x</script>"]
    for i in range(len(names) - 1):
        g.add_edge(
            f"n{i}",
            f"n{i + 1}",
            relations=[rels[i % len(rels)]],
            weight=1 + i % 2,
            sources=[{"id": "s0", "title": HOSTILE[1], "url": "https://example.org/"}],
            since="2017",
            until=None,
        )
    g.add_node("lonely", label="Lonely <i>org</i>", kind="organization", clusters=["bio"], sources=[])
    return g


def hostile_analysis(g: nx.Graph) -> dict[str, Any]:
    """Measures, connectors and gaps shaped like the network module's results."""
    bc = nx.betweenness_centrality(g)
    rows = [
        {
            "id": n,
            "label": d["label"],
            "kind": d["kind"],
            "sector": d.get("sector"),
            "degree": g.degree(n),
            "betweenness": bc[n],
            "pagerank": 1 / len(g),
            "constraint": 0.5,
            "effective_size": 1.5,
            "articulation": n == "n3",
            "cut_off": 0,
            "why": f"links {d['label']} across clusters",
        }
        for n, d in g.nodes(data=True)
    ]
    rows.sort(key=lambda r: -r["betweenness"])
    gaps = {
        "coverage": [{"cluster": "bio", "missing": ["college"], "why": "no college <b>partner</b>"}],
        "value_chain": [],
        "isolated": ["lonely"],
        "suggestions": [{"a": "n0", "b": "n5", "why": "both serve <script>alert(1)</script>"}],
    }
    return {"measures": {r["id"]: r for r in rows}, "connectors": rows[:3], "gaps": gaps}


def generated_network(n: int, seed: int = 0) -> nx.Graph:
    """A random network of `n` nodes shaped like a regional ecosystem (about 3 links a node)."""
    rng = random.Random(seed)
    g = nx.Graph()
    clusters = [f"cluster-{c}" for c in range(12)]
    for c in clusters:
        g.add_node(
            c, label=c.replace("-", " ").title(), kind="cluster", clusters=[], sources=[], sector="industry"
        )
    ids = [f"node-{i}" for i in range(n - len(clusters))]
    for i, nid in enumerate(ids):
        cl = rng.sample(clusters, rng.choice((1, 1, 2)))
        g.add_node(
            nid,
            label=f"Entity {i}",
            kind=rng.choice(KINDS),
            sector=rng.choice(SECTORS),
            clusters=cl,
            sources=[
                {"id": f"src-{i % 50}", "title": f"Source {i % 50}", "url": f"https://example.org/{i % 50}"}
            ],
            city="Los Angeles",
        )
        for c in cl:
            g.add_edge(nid, c, relations=["in-cluster"], weight=1, sources=[])
    for i, nid in enumerate(ids):
        for _ in range(2):
            # Preferential towards earlier nodes, so some become hubs as in real ecosystems.
            other = ids[int(rng.random() ** 2 * max(1, i))] if i else ids[-1]
            if other != nid:
                g.add_edge(nid, other, relations=["partnership:sector-partnership"], weight=1, sources=[])
    return g


# ---------------------------------------------------------------- reading a written page

_URL_ATTRS = {"src", "href", "srcset", "data", "action", "formaction", "poster", "background", "xlink:href"}
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]+)", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\s+(?:url\()?\s*['\"]?([^'\");\s]+)", re.IGNORECASE)


class Page(HTMLParser):
    """Every start tag with its attributes, every script's text and every style's text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._in: tuple[str, dict[str, str | None]] | None = None
        self._buf: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in, self._buf = (tag, dict(attrs)), []

    def handle_endtag(self, tag: str) -> None:
        if self._in and tag == self._in[0]:
            text = "".join(self._buf)
            if tag == "script":
                self.scripts.append((self._in[1], text))
            else:
                self.styles.append(text)
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._buf.append(data)

    def data(self) -> dict[str, Any]:
        """The map's embedded JSON (the first map on the page)."""
        for attrs, text in self.scripts:
            if attrs.get("id") == "cg-data":
                return json.loads(text)
        raise AssertionError("no cg-data script on the page")


def external_references(html: str) -> list[str]:
    """Every resource the page would fetch from a network: src/href-like attributes of any
    tag except plain links (<a href>), <link> tags, CSS url() and @import. Should be empty."""
    page = Page(html)
    found = []
    for tag, attrs in page.tags:
        if tag == "link":
            found.append(f"<link {attrs}>")
        for name, value in attrs.items():
            linked = name in _URL_ATTRS and value and not (tag == "a" and name == "href")
            if linked and re.match(r"\s*(https?:)?//", value, re.IGNORECASE):
                found.append(f"<{tag} {name}={value}>")
            if name == "style" and value:
                found += [u for u in _CSS_URL.findall(value) if not u.startswith("data:")]
    for css in page.styles:
        found += [u for u in _CSS_URL.findall(css) if not u.startswith("data:")]
        found += _CSS_IMPORT.findall(css)
    return found

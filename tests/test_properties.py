"""Property-based round trips: any valid dataset survives every RDF format exactly."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
import rdflib
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from clustergraph.builder import build
from clustergraph.loader import load
from clustergraph.vocab import DEFAULT_BASE

# Any Unicode a person might type: no surrogates, no control characters and, in a name, no
# bidirectional embedding or isolate controls (U+202A-202E, U+2066-2069): the loader refuses them.
NAME = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"),
        blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() != "")
SLUG = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
DATE = st.dates().map(lambda d: d.isoformat()).filter(lambda d: d[0] != "0")


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, list[dict[str, object]]]:
    ids = draw(st.lists(SLUG, min_size=3, max_size=12, unique=True))
    clusters, orgs = ids[:2], ids[2:]
    data: dict[str, list[dict[str, object]]] = {
        "sources": [
            {"id": "src", "name": draw(NAME), "title": draw(NAME), "url": "https://example.org/a?b=c&d=%20"}
        ],
        "clusters": [{"id": c, "name": draw(NAME)} for c in clusters],
        "organizations": [
            {
                "id": o,
                "name": draw(NAME),
                "type": draw(st.sampled_from(["nonprofit", "company", "port", "consortium"])),
                "clusters": draw(st.lists(st.sampled_from(clusters), unique=True, max_size=2)),
                "aliases": draw(st.lists(NAME, max_size=2, unique=True)),
                "description": draw(NAME),
                "sources": ["src"],
            }
            for o in orgs
        ],
    }
    if len(orgs) >= 2:
        members = draw(st.lists(st.sampled_from(orgs), min_size=2, max_size=4, unique=True))
        data["partnerships"] = [
            {
                "id": "p-1",
                "name": draw(NAME),
                "type": draw(st.sampled_from(["research", "funding", "joint-venture"])),
                "members": members,
                "since": draw(DATE),
            }
        ]
    data["events"] = [
        {"id": "ev-1", "name": draw(NAME), "type": "launched", "date": draw(DATE), "subject": [orgs[0]]}
    ]
    return data


def _write(data: dict[str, object], where: Path) -> None:
    (where / "data.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_every_format_parses_back_to_the_same_graph(data: dict[str, list[dict[str, object]]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _write(data, Path(tmp))
        graph = build(load(tmp))
    reference = rdflib.Graph().parse(data=graph.serialize("nt"), format="nt")
    assert len(reference) == len(graph)
    for fmt, rdflib_fmt, ox_fmt in (
        ("turtle", "turtle", ox.RdfFormat.TURTLE),
        ("nt", "nt", ox.RdfFormat.N_TRIPLES),
        ("jsonld", "json-ld", ox.RdfFormat.JSON_LD),
    ):
        text = graph.serialize(fmt)
        assert isomorphic(rdflib.Graph().parse(data=text, format=rdflib_fmt), reference), fmt
        store = ox.Store()
        store.load(text, format=ox_fmt)
        back = rdflib.Graph().parse(
            data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt"
        )
        assert isomorphic(back, reference), fmt
    # every name comes back exactly, whatever its script or symbols
    for rec in data["organizations"]:
        label = reference.value(rdflib.URIRef(DEFAULT_BASE + str(rec["id"])), rdflib.RDFS.label)
        assert str(label) == rec["name"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_every_name_reaches_the_map_exactly_and_only_as_text(
    data: dict[str, list[dict[str, object]]],
) -> None:
    """Names of any script or symbol, built into a graph and drawn on a map: the page's data
    holds them exactly, and no name can close the script element or open a tag."""
    from clustergraph.network import project
    from clustergraph.render.map import map_data, map_html

    from ._render_data import Page

    with tempfile.TemporaryDirectory() as tmp:
        _write(data, Path(tmp))
        G = project(build(load(tmp)))
    html = map_html(map_data(G), "Map", "All")
    page = Page(html)
    labels = {n["id"]: n["label"] for n in page.data()["nodes"]}
    for rec in data["organizations"]:
        assert labels[str(rec["id"])] == rec["name"]
    payload = next(text for attrs, text in page.scripts if attrs.get("id") == "cg-data")
    assert "<" not in payload and ">" not in payload and "\u2028" not in payload
    # the only tags on the page are the page's own
    assert {tag for tag, _ in page.tags} <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "p",
        "div",
        "aside",
        "label",
        "input",
        "select",
        "option",
        "button",
        "span",
        "section",
        "main",
        "script",
        "h2",
        "nav",
        "a",
    }

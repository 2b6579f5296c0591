"""`clustergraph site`: every page exists, no link is dead, and in headless Chromium the
search, the path form and hostile names behave (nothing from the data runs)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from clustergraph.cli import main
from clustergraph.network import actors, project

from ._browser import browser_missing, chromium
from ._render_data import FLAGGING, HOSTILE
from .conftest import GRAPH_DIR

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _hostile_yaml(root: Path) -> Path:
    """A small dataset whose names, aliases, descriptions and titles try to break out of HTML."""

    def q(text: str) -> str:
        return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar

    names = [*HOSTILE, FLAGGING]
    orgs = "\n".join(
        f"  - id: org-{i}\n    name: {q(name)}\n    type: nonprofit\n    aliases: [{q('alias ' + name)}]\n"
        f"    description: {q(name)}\n    city: {q(name)}\n    clusters: [c-hostile]\n    sources: [src-hostile]"
        for i, name in enumerate(names)
    )
    parts = "\n".join(
        f"  - id: part-{i}\n    name: {q(name)}\n    members: [org-{i}, org-{i + 1}]\n    type: {q('funding')}\n"
        "    sources: [src-hostile]"
        for i, name in enumerate(names[:-1])
    )
    (root / "orgs.yaml").write_text(
        "sources:\n"
        f"  - id: src-hostile\n    name: {q(FLAGGING)}\n    title: {q(HOSTILE[1])}\n    url: https://example.org/a?b=1&c=2\n"
        f"clusters:\n  - id: c-hostile\n    name: {q(HOSTILE[0])}\n"
        f"organizations:\n{orgs}\npartnerships:\n{parts}\n",
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sites")
    hostile = _hostile_yaml(tmp_path_factory.mktemp("hostile-data"))
    runner = CliRunner()
    out = {}
    for name, data in (("la", GRAPH_DIR), ("hostile", hostile)):
        r = runner.invoke(main, ["site", str(data), "-o", str(root / name)])
        assert r.exit_code == 0, r.output
        out[name] = root / name
    out["hostile-data"] = hostile
    return out


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.csp: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(str(a[key]))
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp.append(str(a.get("content")))


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_a_page_per_entity_with_turtle_and_jsonld_beside_it(sites: dict[str, Path], la_graph: Any) -> None:
    site = sites["la"]
    entities = [str(v) for v in actors(project(la_graph))]
    for rid in entities:
        for suffix in (".html", ".ttl", ".jsonld"):
            assert (site / "id" / f"{rid}{suffix}").is_file(), rid + suffix
    # The Turtle beside a page is the record itself: its triples are the graph's.
    store = ox.Store()
    store.load(path=str(site / "id" / "la-biomed.ttl"), format=ox.RdfFormat.TURTLE)
    iri = ox.NamedNode(la_graph.iri("la-biomed"))
    assert set(store.quads_for_pattern(iri, None, None)) == {
        ox.Quad(q.subject, q.predicate, q.object) for q in la_graph.store.quads_for_pattern(iri, None, None)
    }
    doc = json.loads((site / "id" / "la-biomed.jsonld").read_text("utf-8"))
    assert any(node["@id"] == la_graph.iri("la-biomed") for node in doc)
    for page in ("index.html", "kinds.html", "sources.html", "plan.html", "path.html", "map.html"):
        assert (site / page).is_file()
    text = (site / "id" / "la-biomed.html").read_text("utf-8")
    assert "Also known as LA BioMed, Lundquist Institute, The Lundquist Institute" in text
    assert "Ranks " in text and "<svg" in text and "Copy id" in text
    # A disputed value is shown beside the one the record keeps, with who gives it.
    assert "this page uses Torrance; Carson according to" in text
    assert "(sources disagree: see below)" in text
    turtle = (site / "id" / "la-biomed.ttl").read_text("utf-8")
    assert "Carson" in turtle  # the disputed values travel with the record


def test_no_dead_internal_link_and_a_strict_policy_on_every_page(sites: dict[str, Path]) -> None:
    for name in ("la", "hostile"):
        site = sites[name]
        pages = sorted(site.rglob("*.html"))
        assert len(pages) > 10
        parsed = {p: _parse(p) for p in pages}
        for page, links in parsed.items():
            if page.name != "map.html":  # the map page is the map command's own
                assert links.csp == [
                    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    "frame-src 'self'; base-uri 'none'; form-action 'none'"
                ], page
            for link in links.links:
                parts = urlsplit(link)
                if parts.scheme in ("http", "https"):
                    continue  # a link to a source's original, never loaded by the page
                assert not parts.scheme and not parts.netloc, (page, link)
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                assert target.is_file(), (page, link)
                assert site.resolve() in target.parents, (page, link)
                if parts.fragment and target.suffix == ".html":
                    assert parts.fragment in parsed[target].ids, (page, link)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.handlers: list[str] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.handlers += [k for k, _ in attrs if k.startswith("on")]
        if tag == "script":
            self.scripts.append(dict(attrs))


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "link", "body", "header", "nav", "a", "main", "footer", "script", "h1",
    "h2", "p", "section", "label", "input", "ul", "li", "ol", "div", "span", "table", "thead", "tbody", "tr",
    "th", "td", "iframe", "article", "svg", "circle", "line", "g", "text", "figure", "figcaption", "dl",
    "dt", "dd", "code", "button", "strong", "br", "form", "datalist",
}  # fmt: skip


OUR_SCRIPTS = {"site.js", "search-data.js", "path-data.js"}


def _script_data(path: Path) -> Any:
    """The value a data script (search-data.js, path-data.js) sets: it is one assignment of JSON."""
    first, _, rest = path.read_text("utf-8").partition("\n")
    assert first == "window.clustergraph = window.clustergraph || {};"
    name, _, body = rest.partition(" = ")
    assert name in ("clustergraph.search", "clustergraph.network") and body.endswith(";\n")
    return json.loads(body[:-2])


def test_hostile_text_stays_text_and_only_our_script_runs(sites: dict[str, Path]) -> None:
    for page in sorted(sites["hostile"].rglob("*.html")):
        if page.name == "map.html":
            continue  # the map command's page, tested with it
        tags = _Tags()
        tags.feed(page.read_text("utf-8"))
        assert tags.tags <= ALLOWED_TAGS, (page, tags.tags - ALLOWED_TAGS)
        assert tags.handlers == [], page
        for script in tags.scripts:
            assert script.get("src", "").rsplit("/", 1)[-1] in OUR_SCRIPTS, page
    # The data scripts are one assignment of JSON each, with no markup character left raw.
    for name in OUR_SCRIPTS - {"site.js"}:
        assert _script_data(sites["hostile"] / name), name
        assert not set("<>&") & set((sites["hostile"] / name).read_text("utf-8")), name
    org = (sites["hostile"] / "id" / "org-1.html").read_text("utf-8")
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in org


def test_site_refuses_to_replace_the_data_or_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", "utf-8")
    r = CliRunner().invoke(main, ["site", str(GRAPH_DIR), "-o", str(tmp_path)])
    assert r.exit_code == 2 and "not a site written by clustergraph" in r.output
    assert (tmp_path / "keep.txt").read_text("utf-8") == "mine"
    r = CliRunner().invoke(main, ["site", str(GRAPH_DIR), "-o", str(GRAPH_DIR / "site")])
    assert r.exit_code == 2 and "inside the data" in r.output


# ---------------------------------------------------------------- in a real browser

browser_only = pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if browser_missing():
        pytest.skip(browser_missing() or "")
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as driver:
        yield driver


def _nothing_ran(driver: Any) -> None:
    assert driver.execute_script("return window.__dialogs") == []
    assert driver.execute_script("return document.body.getAttribute('data-pwned')") is None
    assert driver.execute_script("return document.querySelectorAll('img, object, embed').length") == 0
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def _wait(driver: Any, js: str, timeout: float = 10.0) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.02).until(lambda d: d.execute_script(js))


@browser_only
def test_search_finds_an_alias_offline(browser: Any, sites: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    browser.get((sites["la"] / "index.html").as_uri())
    box = browser.find_element(By.ID, "q")
    box.send_keys("Lundquist")
    _wait(browser, "return document.querySelectorAll('#q-results li').length > 0")
    first = browser.find_element(By.CSS_SELECTOR, "#q-results li a")
    assert first.text == "Los Angeles Biomedical Research Institute"
    assert "also known as" in browser.find_element(By.CSS_SELECTOR, "#q-results li").text
    first.click()
    _wait(browser, "return document.readyState === 'complete'")
    assert browser.current_url.endswith("/id/la-biomed.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Los Angeles Biomedical Research Institute"
    fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(n.startswith("file:") for n in fetched)
    _nothing_ran(browser)
    browser.save_screenshot(str(ARTIFACTS / "site-entity.png"))


@browser_only
def test_path_form_answers_as_the_command_does(browser: Any, sites: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    browser.get((sites["la"] / "path.html").as_uri())
    browser.find_element(By.ID, "path-from").send_keys("cluster:aerospace")
    browser.find_element(By.ID, "path-to").send_keys("kind:colleges")
    browser.find_element(By.CSS_SELECTOR, "#path-form button").click()
    _wait(browser, "return document.querySelectorAll('#path-answer .path').length === 3")
    cli = json.loads(
        CliRunner()
        .invoke(main, ["path", str(GRAPH_DIR), "cluster:aerospace", "kind:colleges", "--format", "json"])
        .stdout
    )
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('#path-answer .path')).map(p =>"
        " Array.from(p.querySelectorAll('li > a')).map(a => a.getAttribute('href').split('/').pop().replace('.html', '')))"
    )
    # Each hop names its two ends: a path of n nodes shows 2(n-1) links.
    expected = [
        [x for a, b in zip(p["nodes"], p["nodes"][1:], strict=False) for x in (a, b)] for p in cli["paths"]
    ]
    # The shortest path is the same; among equally short ones (the LA data has many
    # two-step routes to a college) the page and the command may pick different ones.
    assert shown[0] == expected[0]
    assert [len(p) for p in shown] == [len(p) for p in expected]
    answer = browser.find_element(By.CSS_SELECTOR, "#path-answer .answer").text
    assert answer.startswith("The Aerospace cluster reaches colleges and universities in 2 steps")
    browser.find_element(By.ID, "path-to").clear()
    browser.find_element(By.ID, "path-to").send_keys("colege of the canyons")
    browser.find_element(By.CSS_SELECTOR, "#path-form button").click()
    _wait(browser, "return !!document.querySelector('#path-answer .error')")
    assert "To: no entity" in browser.find_element(By.CSS_SELECTOR, "#path-answer .error").text
    _nothing_ran(browser)


@browser_only
def test_hostile_names_run_nothing_anywhere(browser: Any, sites: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    site = sites["hostile"]
    browser.get((site / "index.html").as_uri())
    box = browser.find_element(By.ID, "q")
    box.send_keys("alias")
    _wait(browser, "return document.querySelectorAll('#q-results li').length >= 7")
    texts = browser.execute_script(
        "return Array.from(document.querySelectorAll('#q-results li a')).map(a => a.textContent)"
    )
    assert set(HOSTILE) <= set(texts)
    _nothing_ran(browser)
    started = time.perf_counter()
    for page in sorted((site / "id").glob("*.html")):
        browser.get(page.as_uri())
        _nothing_ran(browser)
    assert time.perf_counter() - started < 30
    browser.get((site / "path.html").as_uri() + "?from=org-0&to=" + "org-6")
    _wait(browser, "return document.querySelectorAll('#path-answer .path').length > 0")
    assert HOSTILE[0] in browser.find_element(By.ID, "path-answer").text
    _nothing_ran(browser)


def test_site_of_an_rdf_file_matches_the_site_of_its_data(tmp_path: Path, la_graph: Any) -> None:
    ttl = tmp_path / "la.ttl"
    ttl.write_bytes(la_graph.serialize("turtle"))
    r = CliRunner().invoke(main, ["site", str(ttl), "-o", str(tmp_path / "s"), "--no-map"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "s" / "id" / "la-biomed.html").is_file()
    assert not (tmp_path / "s" / "map.html").exists()


def _communities(page: Path) -> dict[str, int]:
    """Entity id -> community number, as a map page's data carries them."""
    text = page.read_text(encoding="utf-8")
    nodes, _ = json.JSONDecoder().raw_decode(text, text.index('"nodes":[') + len('"nodes":'))
    return {n["id"]: n["community"] for n in nodes if "community" in n}


def test_the_sites_map_carries_the_communities_the_map_command_finds(
    sites: dict[str, Path], tmp_path: Path
) -> None:
    r = CliRunner().invoke(main, ["map", str(GRAPH_DIR), "-o", str(tmp_path / "map.html")])
    assert r.exit_code == 0, r.output
    expected = _communities(tmp_path / "map.html")
    assert len(expected) > 50
    assert _communities(sites["la"] / "map.html") == expected


def test_the_index_and_the_path_form_carry_their_data_in_scripts_of_their_own(sites: dict[str, Path]) -> None:
    site = sites["la"]

    # The pages stay the same few kilobytes whatever the size of the network.
    assert (site / "path.html").stat().st_size < 5_000
    search = _script_data(site / "search-data.js")
    pages = {p.stem for p in (site / "id").glob("*.html")}
    assert {r[0] for r in search["rows"]} == pages
    assert {search["what"][r[3]] for r in search["rows"]} >= {"Source", "Industry cluster"}
    network = _script_data(site / "path-data.js")
    assert len(network["edges"]) > 100
    assert all(
        0 <= e[2] < len(network["phrases"]) and 0 <= e[3] < len(network["phrases"]) for e in network["edges"]
    )


def test_a_cluster_page_names_who_serves_it_as_in_cluster_finds_them() -> None:
    from clustergraph.edition import open_edition
    from clustergraph.network import in_cluster
    from clustergraph.render.site import site_from
    from clustergraph.render.site.pages import PARTNERS_LISTED, cluster_page

    with open_edition(str(GRAPH_DIR)) as ed:
        site = site_from(ed)
        served = 0
        for c in site.clusters:
            page = cluster_page(site, c)
            expected = in_cluster(site.H, c, reach=1) - in_cluster(site.H, c, reach=0)
            shown = sorted(expected, key=site.by_name)[:PARTNERS_LISTED]
            assert [r["id"] for r in page["serving"]] == shown
            assert page["serving_more"] == max(0, len(expected) - PARTNERS_LISTED)
            served += len(expected)
        assert served > 0

"""`map --since` and `report --since`: what is new since the last edition, shown."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from clustergraph.cli import main

from ._render_data import Page, external_references


def test_map_since_marks_the_new_entity_and_its_links_green(
    editions: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = editions
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["map", str(new), "-o", str(out), "--since", str(old)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    data = Page(html).data()
    # The page names the earlier edition as a director would (its dataset record), not by its path.
    from clustergraph.edition import open_edition

    assert data["since"] == open_edition(str(old)).name != str(old)
    assert [n["id"] for n in data["nodes"] if n.get("new")] == ["test-blue-economy-association"]
    fresh = [(e["from"], e["to"]) for e in data["edges"] if e.get("new")]
    # its only link is to its cluster; links that existed before are not flagged
    assert fresh and all("test-blue-economy-association" in pair for pair in fresh)
    assert "1 entity and 1 link new since" in data["caption"]
    assert external_references(html) == []


def test_map_without_since_flags_nothing(editions: tuple[Path, Path], tmp_path: Path) -> None:
    _, new = editions
    out = tmp_path / "map.html"
    assert CliRunner().invoke(main, ["map", str(new), "-o", str(out)]).exit_code == 0
    data = Page(out.read_text(encoding="utf-8")).data()
    assert data["since"] is None
    assert not any(n.get("new") for n in data["nodes"]) and not any(e.get("new") for e in data["edges"])


def test_report_since_has_a_section_with_every_change(editions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = editions
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(new), "-o", str(out), "--since", str(old)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<section id="since">' in html and 'href="#since"' in html
    section = html[
        html.index('<section id="since">') : html.index("</section>", html.index('<section id="since">'))
    ]
    for text in (
        "Test Blue Economy Association",
        "Workforce Development Council meeting",
        # Ids in changed values are shown as names (no internal ids on a page).
        "consortium: Los Angeles Regional Consortium \u2192 Los Angeles and Orange County Regional Consortium",
        "name: Los Angeles County Economic Development Corporation \u2192 LAEDC",
        "partnership ended",
        "co-location: AltaSea at the Port of Los Angeles, Port of Los Angeles, Rockefeller Philanthropy Advisors",
        "How the network moved",
        "gap closed",
    ):
        assert text in section, text
    assert "2 new, 2 changed, 1 partnership ended" in section
    assert external_references(html) == []
    # the embedded map marks the same new entity
    assert [n["id"] for n in Page(html).data()["nodes"] if n.get("new")] == ["test-blue-economy-association"]


def test_report_since_an_unknown_revision_is_a_clear_error(
    editions: tuple[Path, Path], tmp_path: Path
) -> None:
    _, new = editions
    result = CliRunner().invoke(
        main, ["report", str(new), "-o", str(tmp_path / "r.html"), "--since", str(tmp_path / "nope")]
    )
    assert result.exit_code == 1
    assert "no such directory or file" in result.output
    assert not (tmp_path / "r.html").exists()


def test_report_lists_plan_items_with_no_progress(tmp_path: Path) -> None:
    from .test_progress import PLAN

    data = tmp_path / "data"
    data.mkdir()
    (data / "d.yaml").write_text(PLAN)
    out = tmp_path / "report.html"
    assert CliRunner().invoke(main, ["report", str(data), "-o", str(out), "--no-map"]).exit_code == 0
    html = out.read_text(encoding="utf-8")
    section = html[html.index('<section id="events">') :]
    assert "No progress reported yet" in section
    assert "Goal B" in section and "Action 2" in section and "Action 1</li>" not in section

"""Each record's own triples without a store: `SubjectFile`, and the site written from it.

The site writes every record's Turtle and JSON-LD and lists its facts. On YAML
those come from the triples the build would write, grouped by subject on disk
(`builder.SubjectFile`), never from a store: every subject must hold exactly
its triples in the built store, whether its lines stayed in memory or went
through the temporary files, and the site must be the site written from the
store, page for page.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from clustergraph.builder import SubjectFile, TripleTable, build
from clustergraph.edition import open_edition
from clustergraph.errors import DataErrors
from clustergraph.records import Data
from clustergraph.render.site import write_site

from .conftest import GRAPH_DIR


def _store_subjects(store: ox.Store) -> dict[str, set[ox.Quad]]:
    out: dict[str, set[ox.Quad]] = {}
    for q in store:
        if isinstance(q.subject, ox.NamedNode):
            out.setdefault(q.subject.value, set()).add(q)
    return out


@pytest.mark.parametrize("spill", [SubjectFile.SPILL, 37])
def test_every_subject_holds_its_triples_in_the_store(
    corpus: Data, spill: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SubjectFile, "SPILL", spill)  # 37: spilled to disk after a few records
    expected = _store_subjects(build(corpus).store)
    lines = TripleTable(corpus, by_subject=True).by_subject
    assert lines is not None
    assert set(lines) == set(expected) and len(lines) == len(expected)
    for subject, quads in expected.items():
        text = lines.text(subject)
        rows = text.splitlines(keepends=False) if "\u2028" not in text else text.split("\n")[:-1]
        assert rows == sorted(set(rows)), subject  # sorted, each triple once
        assert set(ox.parse(text, format=ox.RdfFormat.N_TRIPLES)) == quads, subject
    assert lines.text("https://example.org/not-a-subject") == ""


def test_a_literal_holding_a_line_separator_stays_one_line() -> None:
    f = SubjectFile()
    line = '<https://x.org/a> <https://x.org/p> "one\u2028two" .\n'
    f.bucket("https://x.org/a").append(line)
    f.SPILL = 0  # type: ignore[misc]  # through the temporary file, where the lines are split again
    f.spill()
    f.finish()
    assert f.text("https://x.org/a") == line


def _site_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _triples(path: Path, body: bytes) -> set[ox.Quad]:
    fmt = ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.JSON_LD
    return set(ox.parse(body, format=fmt))


def test_the_site_from_yaml_is_the_site_from_the_store(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLUSTERGRAPH_CACHE", "0")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    with open_edition(corpus_dir) as ed:
        write_site(ed, tmp_path / "from-yaml", jobs=2)
        assert repr(ed).endswith("graph not built yet>")  # no store was filled
    with open_edition(corpus_dir) as ed:
        assert len(ed.graph) > 0  # the store first: the pages read it
        write_site(ed, tmp_path / "from-store", jobs=1)
    a, b = _site_files(tmp_path / "from-yaml"), _site_files(tmp_path / "from-store")
    assert a.keys() == b.keys() and len(a) > 100
    for name, body in a.items():
        if name.endswith((".ttl", ".jsonld")):
            triples = _triples(Path(name), body)
            assert triples and triples == _triples(Path(name), b[name]), name
        else:
            assert body == b[name], name


def test_no_room_for_the_temporary_file_is_named_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    missing = tmp_path / "no-such-folder"
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    monkeypatch.setattr(SubjectFile, "SPILL", 10)
    with open_edition(GRAPH_DIR) as ed, pytest.raises(DataErrors) as caught:
        ed.record_triples()
    message = str(caught.value)
    assert str(missing) in message and "TMPDIR" in message
    assert not any(p.name.startswith("clustergraph-") for p in tmp_path.iterdir())
    assert os.path.isdir(tmp_path)

"""`clustergraph init`: a new data directory that validates at once.

One file per collection, each opening with the editor's schema line and a commented
example record built from the schema (so the example always names real fields), a
sources file with one example source, and a README for the people who edit it.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import schema
from .errors import UsageError
from .yamlwrite import SCHEMA_LINE, scalar, write_directory

# What an example record of each collection shows, beyond id and name: values that
# pass the loader's checks, with references to the other examples' ids.
_EXAMPLE: dict[str, dict[str, object]] = {
    "clusters": {"type": "traded", "naics": ["3364"]},
    "organizations": {
        "type": "economic-development-org",
        "website": "https://example.org/",
        "city": "Example City",
    },
    "colleges": {"type": "community-college", "district": "Example Community College District"},
    "workforce_boards": {"area": "Example County"},
    "facilities": {
        "operator": "example-organization",
        "value_chain": ["research", "design"],
        "status": "open",
    },
    "programs": {"type": "apprenticeship", "provider": ["example-college"], "occupations": ["Machinist"]},
    "initiatives": {"lead": ["example-organization"], "partners": ["example-college"], "started": "2024-01"},
    "people": {"role": "Director", "affiliation": "example-organization"},
    "policies": {
        "type": "bill",
        "identifier": "AB 0000",
        "jurisdiction": "Example State",
        "introduced": "2024-02-01",
    },
    "reports": {
        "publisher": "example-organization",
        "published": "2024",
        "url": "https://example.org/report.pdf",
    },
    "plans": {},
    "events": {"date": "2024-05-01", "type": "launched", "subject": ["example-initiative"]},
    "partnerships": {
        "members": ["example-organization", "example-college"],
        "type": "training",
        "since": "2024",
    },
}

_README = """# {region}: cluster partnership data

This folder is a clustergraph data directory: one YAML file per collection.
Check it after every edit:

    clustergraph validate {name}

- Each record has an `id` (lower-case letters, digits and `-`, unique in the whole
  folder) and a `name`. References name ids: `members: [port-of-example, example-college]`.
- Every fact cites the documents it came from: add the document to `sources.yaml`
  once, then list its id in the record's `sources`.
- Each file shows a commented example record; copy it below the collection name,
  remove the `# `, and replace the values.
- Dates are written `"2024"`, `"2024-05"` or `"2024-05-01"` (in quotes).
- Your editor completes and checks fields as you type if it has the YAML language
  server (the first line of each file points it at `clustergraph.schema.json`).
- The full list of fields: `clustergraph schema`, or the project's data-format guide.
"""


def _example_lines(collection: str) -> list[str]:
    kind = schema.KIND[collection]
    fields = {"id": f"example-{kind}", "name": f"Example {kind.replace('-', ' ')}", **_EXAMPLE[collection]}
    lines = []
    for i, (key, value) in enumerate(fields.items()):
        text = "[" + ", ".join(scalar(v) for v in value) + "]" if isinstance(value, list) else scalar(value)
        if schema.fields_of(collection).get(key, schema.COMMON["id"]).kind == "date":
            text = f'"{value}"'
        lines.append(f"#   {'- ' if i == 0 else '  '}{key}: {text}")
    lines.append("#     sources: [example-source]")
    return lines


def starter_files(region: str, name: str) -> dict[str, str]:
    """File name -> text of a new data directory for `region`."""
    files: dict[str, str] = {}
    if "datasets" in schema.COLLECTIONS:
        files["datasets.yaml"] = "\n".join(
            [
                SCHEMA_LINE,
                "# The dataset: its title and region name every map, report and page.",
                "datasets:",
                f"  - id: {_slug(region)}",
                f"    name: {scalar(region + ' cluster partnerships')}",
                f"    region: {scalar(region)}",
                "    sources: [example-source]",
                "",
            ]
        )
    files["sources.yaml"] = "\n".join(
        [
            SCHEMA_LINE,
            "# Sources: every document a fact in this folder was read from. Replace the example",
            "# with your first real source, and cite its id in the records that use it.",
            "sources:",
            "  - id: example-source",
            "    name: Example source",
            "    title: Replace with the title of the document",
            "    url: https://example.org/",
            "    notes: An example; replace it.",
            "",
        ]
    )
    for collection in schema.COLLECTIONS:
        if collection in ("sources", "datasets"):
            continue
        body = _example_lines(collection) if collection != "plans" else _plan_lines()
        files[f"{collection}.yaml"] = "\n".join(
            [
                SCHEMA_LINE,
                f"# {collection.replace('_', ' ').capitalize()}. An example record:",
                "#",
                *body,
                f"{collection}:",
                "",
            ]
        )
    files["README.md"] = _README.format(region=region, name=name)
    return files


def _plan_lines() -> list[str]:
    return [
        "#   - id: example-plan",
        "#     name: Example regional plan",
        "#     goals:",
        "#       - id: example-goal",
        "#         name: Strengthen the region's industry clusters",
        "#         strategies:",
        "#           - id: example-strategy",
        "#             name: Align regional assets",
        "#             actions:",
        "#               - id: example-action",
        "#                 name: Form sector partnerships",
        "#                 lead: [example-organization]",
        "#     sources: [example-source]",
    ]


def _slug(text: str) -> str:
    from .readers.rows import slug

    return slug(text)


def init_directory(target: str | os.PathLike[str], region: str = "My region") -> Path:
    """Create the data directory `target` (it must not exist, or be empty)."""
    dest = Path(target)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise UsageError(f"{target} exists already and is not empty; give a new directory")
    return write_directory(dest, starter_files(region, os.fspath(target)))

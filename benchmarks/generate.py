"""Seeded synthetic data in clustergraph's YAML format, at any size.

    python benchmarks/generate.py --entities 20000 --out /tmp/cg-m [--seed 7]

`--entities N` counts the records that become network nodes: clusters,
organizations, colleges, workforce boards, facilities, programs, initiatives,
people, policies and reports. Sources, plans, events and partnerships come on
top; partnerships number about 1.5 per entity, mostly with two members, and
pick their members with a heavy-tailed weight so a few hubs hold many ties, as
in a real region. Every reference points at a record of the right collection,
chains (`broader`, `parent`, `located_at`) only point backwards so they never
cycle, and each collection is split into files of at most `CHUNK` records
(far below the loader's 32 MiB limit), so editing one file touches a small part.

The YAML is written as text, quoting free text as JSON strings (valid YAML),
so that generating L (200,000 entities) takes seconds, not minutes.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path

CHUNK = 5_000

# Share of N for each node collection; what is left after the others goes to organizations.
SHARES = {
    "clusters": 0.004,
    "colleges": 0.03,
    "workforce_boards": 0.01,
    "facilities": 0.09,
    "programs": 0.12,
    "initiatives": 0.06,
    "people": 0.25,
    "policies": 0.03,
    "reports": 0.03,
}
ORG_LIKE = ("organizations", "colleges", "workforce_boards")
ENTITIES = (*ORG_LIKE, "people", "facilities", "programs", "initiatives", "policies")
ORG_TYPES = (
    ["company"] * 40
    + ["nonprofit"] * 8
    + ["government"] * 5
    + ["research-institute"] * 4
    + ["industry-association"] * 4
    + ["consortium"] * 3
    + [
        "economic-development-org",
        "chamber",
        "port",
        "legislature",
        "labor-union",
        "labor-management-partnership",
        "foundation",
        "incubator",
    ]
)
COLLEGE_TYPES = ("community-college", "university", "state-university", "private-university")
PARTNERSHIP_TYPES = (
    ["sector-partnership"] * 3
    + ["membership"] * 2
    + ["funding"] * 3
    + ["training"] * 3
    + ["research"] * 2
    + ["advocacy", "co-location", "incubation", "supply-chain"]
)
EVENT_TYPES = ("financing-closed", "groundbreaking", "launched", "published", "meeting", "opened")
CITIES = (
    "Los Angeles",
    "Long Beach",
    "Pasadena",
    "Torrance",
    "Santa Monica",
    "Burbank",
    "Glendale",
    "El Segundo",
    "Pomona",
    "Lancaster",
    "San Pedro",
    "Carson",
)
WORDS = (
    "Pacific",
    "Harbor",
    "Summit",
    "Vista",
    "Golden",
    "Coastal",
    "Valley",
    "Orbital",
    "Quantum",
    "Blue",
    "Signal",
    "Ridge",
    "Canyon",
    "Meridian",
    "Apex",
    "Beacon",
    "Cedar",
    "Harbor",
    "Mesa",
    "Sierra",
    "Tidal",
    "Vector",
    "Nova",
    "Crescent",
    "Atlas",
    "Pioneer",
    "Horizon",
    "Keystone",
    "Catalyst",
    "Frontier",
    "Aurora",
    "Redwood",
    "Sequoia",
    "Mariner",
    "Solstice",
    "Granite",
)
TRADES = (
    "Aerospace",
    "Bioscience",
    "Robotics",
    "Logistics",
    "Media",
    "Photonics",
    "Materials",
    "Energy",
    "Marine",
    "Fabrication",
    "Analytics",
    "Foods",
    "Apparel",
    "Mobility",
    "Devices",
    "Software",
    "Biologics",
    "Composites",
)
SUFFIXES = ("Inc.", "LLC", "Corporation", "Group", "Partners", "Labs", "Systems", "Works", "& Co.")
GIVEN = (
    "Ana",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Isabel",
    "Jamal",
    "Keiko",
    "Luis",
    "Maya",
    "Nadia",
    "Omar",
    "Priya",
)
FAMILY = (
    "Alvarez",
    "Brooks",
    "Chen",
    "Diaz",
    "Evans",
    "Flores",
    "Garcia",
    "Huang",
    "Ito",
    "Johnson",
    "Kim",
    "Lopez",
    "Moreno",
    "Nguyen",
)
ROLES = ("Chief Executive Officer", "Director", "Program Manager", "Dean", "Council Member", "Analyst")
OCCUPATIONS = ("machinist", "software developer", "lab technician", "welder", "data analyst", "pilot")
PURPOSES = ("research", "incubation", "manufacturing", "testing", "training", "shared use")
STAGES = ("research", "design", "build", "export")
FIELD_STATUS = ("planned", "financing", "under-construction", "open", "closed")


def q(text: str) -> str:
    """A YAML scalar for free text (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def flow(items: Sequence[str]) -> str:
    return "[" + ", ".join(items) + "]"


def slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(p for p in out.split("-") if p)


class Generator:
    """Makes every record of one synthetic data directory, deterministically from a seed."""

    def __init__(self, entities: int, seed: int) -> None:
        self.n = entities
        self.rng = random.Random(seed)
        self.ids: dict[str, list[str]] = {}
        self.used: set[str] = set()
        self.counts = self._counts(entities)
        # Heavy-tailed popularity: weight 1/(rank+10)^0.9 over every entity, in a shuffled
        # order, so hubs are spread over collections the way real connectors are.
        self.pool: list[str] = []
        self.cum: list[float] = []

    @staticmethod
    def _counts(n: int) -> dict[str, int]:
        counts = {c: max(1, round(n * s)) for c, s in SHARES.items()}
        counts["clusters"] = max(3, counts["clusters"])
        counts["organizations"] = max(2, n - sum(counts.values()))
        return counts

    def new_id(self, name: str) -> str:
        base = slug(name)[:60].strip("-") or "record"
        rid = base
        if rid in self.used:
            rid = f"{base}-{len(self.used)}"
        self.used.add(rid)
        return rid

    def pick(self, collection: str, k: int = 1) -> list[str]:
        pool = self.ids[collection]
        return self.rng.sample(pool, min(k, len(pool)))

    def hubs(self, k: int) -> list[str]:
        """k different entities, drawn by popularity (a few are drawn very often)."""
        out: list[str] = []
        rng, cum, pool, total = self.rng, self.cum, self.pool, self.cum[-1]
        while len(out) < k:
            rid = pool[bisect.bisect_left(cum, rng.random() * total)]
            if rid not in out:
                out.append(rid)
        return out

    def common(self, clusters: bool = True, sources: bool = True) -> list[str]:
        rng = self.rng
        lines = []
        if rng.random() < 0.3:
            lines.append(f"description: {q(self.sentence())}")
        if clusters and rng.random() < 0.7:
            lines.append(f"clusters: {flow(self.pick('clusters', rng.choice((1, 1, 2))))}")
        if sources and "sources" in self.ids and rng.random() < 0.85:
            lines.append(f"sources: {flow(self.pick('sources', rng.choice((1, 1, 2))))}")
        return lines

    def sentence(self) -> str:
        rng = self.rng
        return (
            f"{rng.choice(WORDS)} {rng.choice(TRADES).lower()} work in {rng.choice(CITIES)}, "
            f"started {rng.randint(1990, 2024)}; serves {rng.randint(2, 900)} firms."
        )

    def date(self, lo: int = 2000, hi: int = 2025) -> str:
        rng = self.rng
        y = rng.randint(lo, hi)
        match rng.randrange(3):
            case 0:
                return f"{y}"
            case 1:
                return f"{y}-{rng.randint(1, 12):02d}"
        return f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    # ------------------------------------------------------------ collections

    def records(self) -> dict[str, list[str]]:
        """Every collection as a list of YAML record texts ('- id: ...' blocks)."""
        out: dict[str, list[str]] = {}
        rng = self.rng
        names = {c: [self.name_for(c, i) for i in range(self.counts[c])] for c in ("organizations", *SHARES)}
        for c, ns in names.items():
            self.ids[c] = [self.new_id(n) for n in ns]
        pool = [rid for c in ENTITIES for rid in self.ids[c]]
        rng.shuffle(pool)
        self.pool = pool
        self.cum = list(itertools.accumulate(1 / (r + 10) ** 0.9 for r in range(len(pool))))
        n_sources = max(3, self.n // 25)
        src_names = [f"{rng.choice(WORDS)} {rng.choice(TRADES)} Report {i}" for i in range(n_sources)]
        self.ids["sources"] = [self.new_id(n) for n in src_names]
        out["sources"] = [self.source(rid, n) for rid, n in zip(self.ids["sources"], src_names, strict=True)]
        out["plans"], plan_items = self.plans()
        self.ids["plan-items"] = plan_items
        makers: dict[str, Callable[[int, str, str], list[str]]] = {
            "clusters": self.cluster,
            "organizations": self.organization,
            "colleges": self.college,
            "workforce_boards": self.board,
            "facilities": self.facility,
            "programs": self.program,
            "initiatives": self.initiative,
            "people": self.person,
            "policies": self.policy,
            "reports": self.report,
        }
        for c, make in makers.items():
            out[c] = [
                self.block(rid, name, make(i, rid, name))
                for i, (rid, name) in enumerate(zip(self.ids[c], names[c], strict=True))
            ]
        out["events"] = [self.event(i) for i in range(max(1, self.n // 10))]
        out["partnerships"] = [self.partnership(i) for i in range(self.n * 3 // 2)]
        return out

    def name_for(self, collection: str, i: int) -> str:
        rng = self.rng
        w, t = rng.choice(WORDS), rng.choice(TRADES)
        match collection:
            case "clusters":
                return f"{t} {rng.choice(('Cluster', 'Sector', 'Value Chain'))} {i}"
            case "organizations":
                return f"{w} {t} {rng.choice(SUFFIXES)}"
            case "colleges":
                return f"{w} {rng.choice(('Community College', 'University', 'State University'))}"
            case "workforce_boards":
                return f"{w} Workforce Development Board"
            case "facilities":
                return f"{w} {t} {rng.choice(('Center', 'Campus', 'Hub', 'Lab'))}"
            case "programs":
                return f"{t} {rng.choice(('Apprenticeship', 'Certificate', 'Bootcamp', 'Degree'))}"
            case "initiatives":
                return f"{w} {t} {rng.choice(('Initiative', 'Alliance', 'Council', 'Compact'))}"
            case "people":
                return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            case "policies":
                return f"{t} Jobs Act of {rng.randint(2010, 2025)}"
            case "reports":
                return f"The State of {t} in {rng.choice(CITIES)}, {rng.randint(2010, 2025)}"
        raise ValueError(collection)

    @staticmethod
    def block(rid: str, name: str, lines: list[str]) -> str:
        body = "".join(f"\n    {ln}" for ln in lines)
        return f"  - id: {rid}\n    name: {q(name)}{body}\n"

    def source(self, rid: str, name: str) -> str:
        rng = self.rng
        lines = [f"title: {q(name + ': findings and outlook')}"]
        if rng.random() < 0.6:
            lines.append(f"publisher: {self.pick('organizations')[0]}")
        lines.append(f"year: {rng.randint(2005, 2025)}")
        lines.append(f"url: https://example.org/reports/{rid}.pdf")
        if rng.random() < 0.3:
            lines.append(f"pages: {q(f'{rng.randint(1, 40)}-{rng.randint(41, 90)}')}")
        return self.block(rid, name, lines)

    def plans(self) -> tuple[list[str], list[str]]:
        rng = self.rng
        items: list[str] = []
        out = []
        for p in range(max(1, self.n // 5_000)):
            name = f"Regional Strategic Plan {2016 + p}-{2020 + p}"
            rid = self.new_id(name)
            text = [f"  - id: {rid}\n    name: {q(name)}\n    sources: {flow(self.pick('sources'))}\n"]
            text.append("    goals:\n")
            for g in range(7):
                gid = self.new_id(f"{rid} goal {g + 1}")
                items.append(gid)
                text.append(f"      - id: {gid}\n        name: {q(f'Goal {g + 1}: {self.sentence()}')}\n")
                text.append("        strategies:\n")
                for s in range(rng.randint(2, 5)):
                    sid = self.new_id(f"{gid} strategy {s + 1}")
                    items.append(sid)
                    text.append(f"          - id: {sid}\n            name: {q(self.sentence())}\n")
                    text.append("            actions:\n")
                    for a in range(rng.randint(1, 4)):
                        aid = self.new_id(f"{sid} action {a + 1}")
                        items.append(aid)
                        text.append(
                            f"              - id: {aid}\n                name: {q(self.sentence())}\n"
                            f"                lead: {flow(self.hubs(rng.choice((1, 1, 2))))}\n"
                        )
            out.append("".join(text))
        return out, items

    def cluster(self, i: int, rid: str, name: str) -> list[str]:
        rng = self.rng
        lines = [f"type: {rng.choice(('traded', 'traded', 'local', 'emerging'))}"]
        if i >= 3 and rng.random() < 0.5:
            lines.append(f"broader: {self.ids['clusters'][rng.randrange(i)]}")
        codes = sorted({f"{rng.randint(31, 99)}{rng.randint(10, 99)}" for _ in range(rng.randint(1, 3))})
        lines.append(f"naics: {flow([q(c) for c in codes])}")
        return lines + self.common(clusters=False)

    def organization(self, i: int, rid: str, name: str) -> list[str]:
        rng = self.rng
        t = rng.choice(ORG_TYPES)
        lines = [f"type: {t}", f"city: {q(rng.choice(CITIES))}"]
        if rng.random() < 0.4:
            lines.append(f"website: https://www.{rid[:40].strip('-')}.example.com/")
        if rng.random() < 0.1:
            lines.append(f"wikidata: Q{rng.randint(1, 10**8)}")
        if rng.random() < 0.15:
            lines.append(f"aliases: {flow([q(''.join(w[0] for w in name.split()))])}")
        if t in ("consortium", "industry-association") and i > 0:
            members = [m for m in self.hubs(rng.randint(2, 8)) if m != rid]
            members = [m for m in members if m in self._org_like]
            if members:
                lines.append(f"members: {flow(members)}")
        elif i > 10 and rng.random() < 0.1:
            lines.append(f"parent: {self.ids['organizations'][rng.randrange(i)]}")
        return lines + self.common()

    @property
    def _org_like(self) -> set[str]:
        cached = getattr(self, "_org_like_set", None)
        if cached is None:
            cached = self._org_like_set = {r for c in ORG_LIKE for r in self.ids[c]}
        return cached

    def college(self, i: int, rid: str, name: str) -> list[str]:
        rng = self.rng
        lines = [f"type: {rng.choice(COLLEGE_TYPES)}", f"city: {q(rng.choice(CITIES))}"]
        if rng.random() < 0.5:
            lines.append(f"district: {q(rng.choice(WORDS) + ' Community College District')}")
        if rng.random() < 0.3:
            lines.append(f"website: https://www.{rid[:40].strip('-')}.edu/")
        return lines + self.common()

    def board(self, i: int, rid: str, name: str) -> list[str]:
        rng = self.rng
        lines = [f"area: {q(rng.choice(CITIES) + ' and surrounding cities')}"]
        if i > 0 and rng.random() < 0.2:
            lines.append(f"parent: {self.ids['workforce_boards'][rng.randrange(i)]}")
        return lines + self.common()

    def facility(self, i: int, rid: str, name: str) -> list[str]:
        rng = self.rng
        lines = [f"operator: {self.hubs(1)[0]}"]
        if i > 0 and rng.random() < 0.15:
            lines.append(f"located_at: {self.ids['facilities'][rng.randrange(i)]}")
        lines.append(f"purpose: {flow(rng.sample(PURPOSES, rng.randint(1, 2)))}")
        lines.append(f"value_chain: {flow([s for s in STAGES if rng.random() < 0.4] or ['build'])}")
        lines.append(f"status: {rng.choice(FIELD_STATUS)}")
        return lines + self.common()

    def program(self, i: int, rid: str, name: str) -> list[str]:
        rng = self.rng
        t = rng.choice(("apprenticeship", "training", "degree", "certificate", "incubation"))
        return [
            f"type: {t}",
            f"provider: {flow(self.hubs(rng.choice((1, 1, 2))))}",
            f"occupations: {flow([q(o) for o in rng.sample(OCCUPATIONS, 2)])}",
            *self.common(),
        ]

    def initiative(self, i: int, rid: str, name: str) -> list[str]:
        rng = self.rng
        lines = [
            f"lead: {flow(self.hubs(1))}",
            f"partners: {flow(self.hubs(rng.randint(1, 5)))}",
            f"started: {q(self.date())}",
            f"status: {rng.choice(('planned', 'active', 'active', 'completed'))}",
        ]
        if rng.random() < 0.3:
            lines.append(f"strategy: {rng.choice(self.ids['plan-items'])}")
        return lines + self.common()

    def person(self, i: int, rid: str, name: str) -> list[str]:
        rng = self.rng
        return [f"role: {q(rng.choice(ROLES))}", f"affiliation: {self.pick(rng.choice(ORG_LIKE))[0]}"] + (
            self.common() if rng.random() < 0.5 else []
        )

    def policy(self, i: int, rid: str, name: str) -> list[str]:
        rng = self.rng
        return [
            f"type: {rng.choice(('bill', 'regulation', 'tax', 'permit'))}",
            f"identifier: {q(f'AB {rng.randint(1, 3000)}')}",
            "jurisdiction: California",
            f"authors: {flow(self.pick('people', rng.randint(1, 2)))}",
            f"supporters: {flow(self.hubs(rng.randint(1, 3)))}",
            f"status: {rng.choice(('introduced', 'chaptered', 'vetoed'))}",
            f"introduced: {q(self.date(2010))}",
            *self.common(),
        ]

    def report(self, i: int, rid: str, name: str) -> list[str]:
        return [
            f"publisher: {self.hubs(1)[0]}",
            f"published: {q(self.date(2010))}",
            f"url: https://example.org/pub/{rid}",
            *self.common(),
        ]

    def event(self, i: int) -> str:
        rng = self.rng
        t = rng.choice(EVENT_TYPES)
        name = f"{rng.choice(WORDS)} {rng.choice(TRADES)} {t.replace('-', ' ')} {i}"
        lines = [
            f"date: {q(self.date(2015))}",
            f"type: {t}",
            f"subject: {flow(self.hubs(1) + (self.pick('reports') if t == 'published' else []))}",
            f"participants: {flow(self.hubs(rng.randint(1, 4)))}",
        ]
        if rng.random() < 0.3:
            lines.append(f"advances: {flow(rng.sample(self.ids['plan-items'], 1))}")
        return self.block(self.new_id(name), name, lines + self.common())

    def partnership(self, i: int) -> str:
        rng = self.rng
        k = rng.choices((2, 3, 4, 6), weights=(85, 10, 4, 1))[0]
        members = self.hubs(k)
        t = rng.choice(PARTNERSHIP_TYPES)
        name = f"{members[0]} {t} partnership {i}"
        lines = [f"members: {flow(members)}", f"type: {t}"]
        if rng.random() < 0.15:
            lines.append(f"via: {self.pick('initiatives')[0]}")
        if rng.random() < 0.6:
            since = self.date(2000, 2020)
            lines.append(f"since: {q(since)}")
            if rng.random() < 0.2:
                lines.append(f"until: {q(str(int(since[:4]) + rng.randint(1, 5)))}")
        return self.block(self.new_id(name), name, lines + self.common())


def generate(entities: int, out: str | Path, seed: int = 1, chunk: int = CHUNK) -> list[Path]:
    """Write a synthetic data directory of `entities` node records into `out`; return the files."""
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for collection, blocks in Generator(entities, seed).records().items():
        for part, start in enumerate(range(0, len(blocks), chunk)):
            path = target / f"{collection}-{part + 1:03d}.yaml"
            header = f"# synthetic {collection}, seed {seed}\n{collection}:\n"
            path.write_text(header + "".join(blocks[start : start + chunk]), encoding="utf-8")
            written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, required=True, help="records that become network nodes")
    parser.add_argument("--out", required=True, help="directory to write (never graph/)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if Path(args.out).resolve() == (Path(__file__).resolve().parent.parent / "graph"):
        parser.error("refusing to write synthetic data into graph/")
    files = generate(args.entities, args.out, args.seed)
    size = sum(p.stat().st_size for p in files)
    print(f"wrote {len(files)} files, {size / 1e6:.1f} MB, into {args.out}")


if __name__ == "__main__":
    main()

"""Namespaces, prefixes and the packaged vocabulary files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

CG = "https://w3id.org/clustergraph/ns#"
DEFAULT_BASE = "https://w3id.org/clustergraph/id/"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"  # the datatype of a plain string literal
SH = "http://www.w3.org/ns/shacl#"
WD = "http://www.wikidata.org/entity/"

PREFIXES: dict[str, str] = {
    "cg": CG,
    "org": ORG,
    "schema": SCHEMA,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "wd": WD,
}

# Conventional partnership kinds get a specialised link (a sub-property of
# cg:partnerOf, itself a sub-property of org:linkedTo); other kinds use cg:partnerOf.
PARTNERSHIP_LINKS: dict[str, str] = {
    "sector-partnership": CG + "sectorPartner",
    "membership": CG + "membershipPartner",
    "funding": CG + "fundingPartner",
    "training": CG + "trainingPartner",
    "research": CG + "researchPartner",
    "advocacy": CG + "advocacyPartner",
    "co-location": CG + "coLocatedWith",
}


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """Prefixes for serialisations: the standard ones plus `id:` for our records."""
    return {"id": base, **PREFIXES}


def scheme_iri(base: str = DEFAULT_BASE) -> str:
    """The SKOS concept scheme of clusters; '/' keeps it apart from every record id."""
    return base + "scheme/clusters"


def vocab_file(name: str) -> Path:
    """Path of a packaged vocabulary file: 'clustergraph.ttl' or 'shapes.ttl'."""
    return Path(str(resources.files("clustergraph") / "vocab" / name))


def vocabulary_terms() -> frozenset[str]:
    """Local names of every cg: class and property the vocabulary file declares."""
    import re

    text = vocab_file("clustergraph.ttl").read_text(encoding="utf-8")
    declared = re.findall(r"^cg:([A-Za-z_][\w-]*)\s", text, re.MULTILINE)
    return frozenset(declared)


def unknown_terms(query: str) -> list[str]:
    """Warnings for cg: terms a SPARQL text names that the vocabulary does not declare.

    A misspelt term never errs in SPARQL: it matches nothing and the answer is silently
    empty, so the query runs and this says why it may be empty.

    >>> unknown_terms("SELECT ?o WHERE { ?o a cg:Organisation }")
    ["cg:Organisation is not in the clustergraph vocabulary (did you mean 'cg:Organization'?)"]
    """
    import re

    from .errors import did_you_mean

    # Only where cg: is our namespace: a query may bind the prefix to something else.
    bound = re.search(r"PREFIX\s+cg:\s*<([^>]*)>", query, re.IGNORECASE)
    if bound and bound.group(1) != CG:
        return []
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|#[^\n]*|<[^>\s]*>', " ", query)
    known = vocabulary_terms()
    out = []
    for name in dict.fromkeys(re.findall(r"(?<![\w:])cg:([A-Za-z_][\w-]*)", text)):
        if name not in known:
            hint = did_you_mean(name, known).replace("'", "'cg:", 1)
            out.append(f"cg:{name} is not in the clustergraph vocabulary" + (f" ({hint})" if hint else ""))
    return out

"""The LA dataset: every fact of the 2017 progress report is in the built graph
and cites the report. Checked by querying the graph, not by reading the YAML."""

from __future__ import annotations

import pytest

from clustergraph.builder import BuiltGraph
from clustergraph.vocab import PREFIXES

REPORT = "progress-report-2017"
PREFIX = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items()) + (
    "PREFIX id: <https://w3id.org/clustergraph/id/>\n"
)


def ask(graph: BuiltGraph, where: str) -> bool:
    return bool(graph.store.query(PREFIX + f"ASK {{ {where} }}"))


def rows(graph: BuiltGraph, query: str) -> list[tuple[str, ...]]:
    return [tuple(t.value for t in r) for r in graph.store.query(PREFIX + query)]


def cites_report(graph: BuiltGraph, rid: str) -> bool:
    return ask(graph, f"id:{rid} prov:wasDerivedFrom id:{REPORT} . id:{REPORT} a cg:Source")


def test_the_report_is_a_source_published_by_laedc(la_graph: BuiltGraph) -> None:
    assert ask(
        la_graph, f'id:{REPORT} a cg:Source ; dcterms:publisher id:laedc ; dcterms:date "2017"^^xsd:gYear'
    )


def test_goal_2_its_strategies_and_actions(la_graph: BuiltGraph) -> None:
    found = rows(
        la_graph,
        """SELECT ?goal ?strategy ?action WHERE {
             ?plan a cg:Plan ; cg:hasGoal ?g . ?g rdfs:label ?goal ; cg:hasStrategy ?s .
             ?s rdfs:label ?strategy ; cg:hasAction ?a . ?a rdfs:label ?action }""",
    )
    goals = {r[0] for r in found}
    assert any("export-oriented industry clusters" in g for g in goals)
    strategies = {r[1] for r in found}
    assert any(s.startswith("Align regional economic, networking and physical assets") for s in strategies)
    assert any(s.startswith("Promote a legislative, regulatory and policy environment") for s in strategies)
    actions = {r[2] for r in found}
    for start in (
        "Develop new physical spaces and renovate existing ones",
        "Form sector-based partnerships between community and four-year colleges",
        "Identify industry trends, and perform asset and gap analyses",
        "Advocate for tax, legal, permit and regulatory regimes",
    ):
        assert any(a.startswith(start) for a in actions), start
    for rid in ("action-physical-spaces", "action-sector-partnerships", "action-asset-gap-analysis"):
        assert cites_report(la_graph, rid)


@pytest.mark.parametrize(
    ("event", "kind", "subject", "cluster", "action"),
    [
        (
            "la-biomed-financing-closed",
            "financing-closed",
            "la-biomed-research-facility",
            "bioscience",
            "action-physical-spaces",
        ),
        (
            "altasea-groundbreaking",
            "groundbreaking",
            "altasea-campus",
            "blue-economy",
            "action-physical-spaces",
        ),
    ],
)
def test_physical_space_events(
    la_graph: BuiltGraph, event: str, kind: str, subject: str, cluster: str, action: str
) -> None:
    assert ask(
        la_graph,
        f'id:{event} a cg:Event ; cg:category "{kind}" ; schema:about id:{subject} ; '
        f"cg:advances id:{action} ; cg:inCluster id:{cluster} ; schema:startDate ?d",
    )
    assert ask(la_graph, f"id:{subject} a cg:Facility ; cg:inCluster id:{cluster}")
    assert cites_report(la_graph, event) and cites_report(la_graph, subject)


def test_la_biomed_facility_is_research_and_incubator(la_graph: BuiltGraph) -> None:
    assert ask(
        la_graph,
        'id:la-biomed-research-facility cg:operatedBy id:la-biomed ; cg:purpose "incubation" ; '
        'cg:valueChainStage cg:research . id:la-biomed a cg:Organization ; cg:category "research-institute"',
    )


def test_altasea_campus_operator_and_location(la_graph: BuiltGraph) -> None:
    assert ask(
        la_graph,
        "id:altasea-campus cg:operatedBy id:altasea ; cg:locatedAt id:port-of-los-angeles . "
        'id:port-of-los-angeles cg:category "port" . id:altasea org:hasSite id:altasea-campus',
    )


def test_workforce_development_council(la_graph: BuiltGraph) -> None:
    assert ask(
        la_graph,
        "id:workforce-development-council a cg:Initiative ; cg:ledBy id:laedc , id:la-area-chamber ; "
        "cg:hasPartner id:la-oc-regional-consortium ; cg:implements id:action-sector-partnerships . "
        'id:la-area-chamber cg:category "chamber" . id:la-oc-regional-consortium cg:category "consortium"',
    )
    assert ask(
        la_graph, 'id:wdc-launched cg:category "launched" ; schema:about id:workforce-development-council'
    )
    # the partnership record behind it, and its direct links
    assert ask(
        la_graph,
        "?p a cg:Partnership ; cg:member id:laedc , id:la-oc-regional-consortium ; cg:via id:workforce-development-council",
    )
    assert ask(la_graph, "id:laedc cg:sectorPartner id:la-oc-regional-consortium")
    for rid in ("workforce-development-council", "wdc-launched", "la-oc-regional-consortium"):
        assert cites_report(la_graph, rid)


def test_the_consortium_counts_19_la_county_colleges(la_graph: BuiltGraph) -> None:
    (count,) = rows(
        la_graph,
        'SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a cg:College ; cg:category "community-college" ; '
        "org:memberOf id:la-oc-regional-consortium }",
    )[0]
    assert int(count) >= 19


@pytest.mark.parametrize(
    ("report", "words"),
    [
        ("powering-economic-opportunity", "Powering Economic Opportunity"),
        ("entertainment-rise-of-digital-media", "Entertainment & the Rise of Digital Media"),
    ],
)
def test_laedc_reports(la_graph: BuiltGraph, report: str, words: str) -> None:
    assert ask(
        la_graph,
        f'id:{report} a cg:Report ; schema:publisher id:laedc ; rdfs:label|skos:altLabel ?l FILTER(CONTAINS(?l, "{words}"))',
    )
    assert ask(
        la_graph, f"?e a cg:Event ; schema:about id:{report} ; cg:advances id:action-asset-gap-analysis"
    )
    assert cites_report(la_graph, report)


def test_policy_committee_and_its_speakers(la_graph: BuiltGraph) -> None:
    assert ask(
        la_graph,
        "id:laedc-policy-committee a cg:Initiative ; cg:ledBy id:laedc ; cg:implements id:action-advocate-policy",
    )
    assert ask(
        la_graph,
        'id:policy-committee-meetings-2017 cg:category "meeting" ; schema:about id:laedc-policy-committee ; '
        'cg:participant id:ben-allen , id:al-muratsuchi ; schema:startDate "2017"^^xsd:gYear',
    )
    assert ask(la_graph, 'id:ben-allen a cg:Person ; schema:jobTitle "State Senator"')
    assert ask(la_graph, 'id:al-muratsuchi a cg:Person ; schema:jobTitle "Assemblymember"')
    for rid in ("laedc-policy-committee", "policy-committee-meetings-2017", "ben-allen", "al-muratsuchi"):
        assert cites_report(la_graph, rid)


def test_ab_427(la_graph: BuiltGraph) -> None:
    assert ask(
        la_graph,
        'id:ab-427 a cg:Policy , schema:Legislation ; schema:legislationIdentifier "AB 427" ; '
        "schema:author id:al-muratsuchi ; cg:inCluster id:aerospace ; cg:scope ?s ; rdfs:label ?l "
        'FILTER(CONTAINS(?l, "Aerospace Commission"))',
    )
    assert cites_report(la_graph, "ab-427")


def test_the_four_named_clusters(la_graph: BuiltGraph) -> None:
    for rid in ("bioscience", "blue-economy", "aerospace", "entertainment-digital-media"):
        assert ask(
            la_graph, f"id:{rid} a cg:Cluster , skos:Concept ; skos:inScheme ?s ; prov:wasDerivedFrom ?src"
        )


def test_every_partnership_and_every_record_cites_a_source(la_graph: BuiltGraph) -> None:
    unsourced = rows(
        la_graph,
        """SELECT ?x WHERE { ?x dcterms:identifier ?id .
             FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?s }
             FILTER NOT EXISTS { ?x a cg:Source } }""",
    )
    assert unsourced == []


def test_the_dataset_record_names_the_region_and_edition(la_graph: BuiltGraph) -> None:
    found = rows(
        la_graph,
        """SELECT ?title ?region ?issued WHERE { ?d a dcat:Dataset ; dcterms:title ?title ;
             dcterms:spatial ?region ; dcterms:issued ?issued ; prov:wasDerivedFrom id:progress-report-2017 }""",
    )
    assert found == [
        ("Los Angeles County industry clusters and their partnerships", "Los Angeles County", "2017")
    ]


@pytest.mark.parametrize(
    ("record", "field", "value", "source"),
    [
        # The audit's corrections: the figure and date sources disagree on, both kept.
        ("altasea-port-lease", "description", "$40 million", "altasea-future-ocean-blue"),
        ("altasea-port-lease", "since", "2013-10", "callahan-altasea-2015"),
        ("la-biomed", "city", "Carson", "cnsi-incubators-2021"),
        ("la-biomed", "city", "West Carson", "harbor-ucla-wikipedia-mirror"),
        (
            "antelope-valley-college",
            "district",
            "Antelope Valley College District",
            "avc-educational-master-plan-2013",
        ),
    ],
)
def test_disputed_values_keep_the_other_sources_figure(
    la_graph: BuiltGraph, record: str, field: str, value: str, source: str
) -> None:
    assert ask(
        la_graph,
        f"""id:{record} cg:disputed ?d . ?d cg:field "{field}" ; rdf:value ?v ; dcterms:source id:{source} .
            FILTER(CONTAINS(?v, "{value}"))""",
    )


def test_the_audits_name_corrections(la_graph: BuiltGraph) -> None:
    assert ask(la_graph, 'id:south-bay-wdb rdfs:label "South Bay Workforce Investment Board"')
    assert ask(la_graph, 'id:pacific-gateway-wdb schema:areaServed "Cities of Long Beach and Signal Hill"')
    assert ask(
        la_graph, 'id:antelope-valley-college cg:district "Antelope Valley Community College District"'
    )
    assert ask(
        la_graph,
        'id:altasea-port-lease schema:startDate "2013-12-17"^^xsd:date ; cg:member id:rockefeller-philanthropy-advisors',
    )

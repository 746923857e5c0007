"""The researcher questions in queries/: each one's exact answer, checked against the seeds."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest

from .conftest import LOCAL_BASE, ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.load import Dataset

QUERIES = ROOT / "queries"
SKOS = "http://www.w3.org/2004/02/skos/core#"

# Each answer is the list of result rows, in the query's order, as plain strings
# (literals by their lexical form, local IRIs relative to the base).
EXPECTED: dict[str, list[tuple[str, ...]]] = {
    "who-moderated": [
        ("id/forum/open-smart-regions-2020", "id/person/tarik-nesh-nash", "Tarik Nesh-Nash")
    ],
    "forum-date-and-organizers": [
        ("2020-11-20", "Impact For Development", "true"),
        ("2020-11-20", "Digital Arabia Network", "false"),
        ("2020-11-20", "National Democratic Institute", "false"),
        ("2020-11-20", "National Endowment for Democracy", "false"),
        ("2020-11-20", "Organization for Economic Cooperation and Development", "false"),
    ],
    "agenda": [
        (
            "1",
            "Morocco's Commitments Towards The Open Government Principles",
            "1",
            "Open Government Achievements Of The Moroccan Government",
        ),
        (
            "1",
            "Morocco's Commitments Towards The Open Government Principles",
            "2",
            "Open Parliament Achievements of The Moroccan Parliament",
        ),
        (
            "1",
            "Morocco's Commitments Towards The Open Government Principles",
            "3",
            "Open Region Achievements Of The Region Of Tanger-Tetouan-Al Houceima",
        ),
        (
            "2",
            "International Orientations",
            "1",
            "Open Government Partnership in support of Local Governments",
        ),
        ("2", "International Orientations", "2", "Scaling up Open regions in Morocco"),
        ("2", "International Orientations", "3", "Towards An Open And Smart MENA Region"),
        (
            "2",
            "International Orientations",
            "4",
            "Local Governments as an Integral Part Of The Move Towards an Open State",
        ),
        (
            "3",
            "Open Subnational Governments Processes, Successes And Challenges",
            "1",
            "County Government Of Elgeyo Marakwet, Kenya",
        ),
        (
            "3",
            "Open Subnational Governments Processes, Successes And Challenges",
            "2",
            "Ozurgeti, Georgia",
        ),
        (
            "3",
            "Open Subnational Governments Processes, Successes And Challenges",
            "3",
            "Kaduna State, Nigeria",
        ),
        (
            "3",
            "Open Subnational Governments Processes, Successes And Challenges",
            "4",
            "Region of Tangier-Tetouan-Al Hoceima - Morocco",
        ),
        (
            "4",
            "The Role Of The Academic Sector And Civil Society",
            "1",
            "Collective Intelligence For Open and Smart Governance",
        ),
        (
            "4",
            "The Role Of The Academic Sector And Civil Society",
            "2",
            "Applications Of Open And Smart City Principles",
        ),
        (
            "4",
            "The Role Of The Academic Sector And Civil Society",
            "3",
            "Experiences Of Local Civil Society In The Field Of Open Smart City",
        ),
        (
            "4",
            "The Role Of The Academic Sector And Civil Society",
            "4",
            "Open And Smart Path Towards Development",
        ),
    ],
    "talks-of-a-section": [
        ("1", "Open Government Partnership in support of Local Governments", "Rudi Borrmann"),
        ("2", "Scaling up Open regions in Morocco", "Slobodan Milic"),
        ("3", "Towards An Open And Smart MENA Region", "Bassant Helmi"),
        (
            "4",
            "Local Governments as an Integral Part Of The Move Towards an Open State",
            "Charlotte Denise-Adam & David Goessmann",
        ),
    ],
    "speakers-per-section": [
        ("1", "Morocco's Commitments Towards The Open Government Principles", "3"),
        ("2", "International Orientations", "5"),
        ("3", "Open Subnational Governments Processes, Successes And Challenges", "5"),
        ("4", "The Role Of The Academic Sector And Civil Society", "5"),
    ],
    "talks-with-two-speakers": [
        ("Local Governments as an Integral Part Of The Move Towards an Open State", "2"),
        ("Open And Smart Path Towards Development", "2"),
        ("Region of Tangier-Tetouan-Al Hoceima - Morocco", "2"),
    ],
    "subnational-speakers-outside-morocco": [
        ("Nana Tavdumadze", "Ozurgeti Municipality", "Ozurgeti", "Georgia"),
        ("John Maritim", "County Government of Elgeyo", "Elgeyo Marakwet", "Kenya"),
        ("Yusuf Auta", "Kaduna State Government", "Kaduna State", "Nigeria"),
    ],
    "parliament-commitments": [
        (
            "1",
            "Implementing the constitutional and legislative requirements in the field of participatory democracy, democracy and citizenship",
            "establishing a system for submitting petitions and petitions for legislation to the House of Representatives",
        ),
        (
            "2",
            "Involving male and female citizens in the legislative process",
            "a digital space to interact with citizens about draft laws and proposals",
        ),
        (
            "3",
            "the application of the constitutional and legislative requirements regarding the right to obtain information",
            "proactively publishing open data",
        ),
        (
            "4",
            "Opening up to the public, especially the youth, in order to better define the parliamentary work",
            "communication program",
        ),
        (
            "5",
            "Consulting citizens and involving them in the process of evaluating public policies",
            "extrapolating the opinions of citizens",
        ),
        (
            "6",
            "Developing a partnership with civil society and university mediation",
            "organizing periodic meetings",
        ),
    ],
    "figures-and-their-source": [
        (
            value,
            unit,
            measure,
            "Rudi Borrmann",
            "Report, section VI: International Orientations",
            "202",
            "275",
            "Report of the forum Open Smart Regions: Convergence for Openness",
        )
        for value, unit, measure in [
            ("53", "percent", "ambition average"),
            ("56", "members", "new members"),
            ("66", "percent", "completion average"),
        ]
    ],
    "people-on-the-web-page-only": [("Fatima-Ezzahra Denial",)],
    "misspellings-and-their-source": [
        (
            "County Government of Elgeyo",
            "Elgeyo country government",
            "Report, section VII: Open Subnational Governments Processes, Successes And Challenges",
        ),
        (
            "John Maritim",
            "John Martin",
            "Report, section VII: Open Subnational Governments Processes, Successes And Challenges",
        ),
        (
            "Ministry of Economy, Finance and Administration Reform",
            "Ministry of Economy, Finance and Administration",
            "Report, section VII: Open Subnational Governments Processes, Successes And Challenges",
        ),
        ("Rudi Borrmann", "Rudi Borrman", "Report, section VI: International Orientations"),
        (
            "Tangier-Tetouan-Al Hoceima",
            "Tanger-Tetouan-Al Houceima",
            "Web page, agenda block 1: Morocco's Commitments Towards The Open Government Principles",
        ),
    ],
    "action-plans": [
        ("2019-2020 Open Parliament Action Plan", "Moroccan Parliament", "2019/2020", "developed"),
        (
            "Morocco's Open Government action plan 2018-2020",
            "Moroccan Government",
            "2018/2020",
            "adopted",
        ),
        ("Ozurgeti local action plan", "Ozurgeti Municipality", "", "planned"),
        (
            "regional action plan for the open local government of Tangier-Tetouan-Al Hoceima",
            "Regional Council of Tangier-Tetouan-Al Hoceima",
            "2020/2022",
            "to be adopted",
        ),
        (
            "second Moroccan Open Government National Action Plan",
            "Moroccan Government",
            "2020/2022",
            "in preparation",
        ),
    ],
    "conclusions-with-an-author": [("1", "Moroccan Government"), ("3", "Moroccan Parliament")],
    "ogp-members": [
        ("County Government of Elgeyo", ""),
        ("Kaduna State Government", ""),
        ("Moroccan Government", ""),
        ("National Democratic Institute", "founding member"),
        ("Ozurgeti Municipality", ""),
    ],
    "ogp-local-figures": [
        ("ambition average", "53", "percent"),
        ("completion average", "66", "percent"),
        ("new members", "56", "members"),
    ],
    "kaduna-commitment-areas": [
        ("access to information",),
        ("citizen engagement",),
        ("ease of doing business",),
        ("open budget",),
        ("open contracting",),
    ],
    "commitments-on-access-to-information": [
        ("Kaduna State Government",),
        ("Morocco's Open Government action plan 2018-2020",),
        ("regional action plan for the open local government of Tangier-Tetouan-Al Hoceima",),
    ],
    "regions-ndi-assists": [
        ("Beni Mellal-Khenifra",),
        ("Casablanca-Settat",),
        ("Marrakech-Safi",),
        ("Oriental",),
        ("Souss-Massa",),
    ],
    "places-and-their-country": [
        ("Georgia", "Ozurgeti"),
        ("Kenya", "Elgeyo Marakwet"),
        ("Morocco", "Beni Mellal-Khenifra"),
        ("Morocco", "Casablanca-Settat"),
        ("Morocco", "Marrakech-Safi"),
        ("Morocco", "Oriental"),
        ("Morocco", "Souss-Massa"),
        ("Morocco", "Tangier-Tetouan-Al Hoceima"),
        ("Nigeria", "Kaduna State"),
    ],
    "narrower-topics-of-transparency": [
        ("access to information", "accès à l'information"),
        ("budget transparency", "transparence budgétaire"),
        ("open budget", "budget ouvert"),
        ("open contracting", "commande publique ouverte"),
        ("open data", "données ouvertes"),
    ],
    "talks-on-collective-intelligence": [
        ("Collective Intelligence For Open and Smart Governance", "Lex Paulson")
    ],
    "speakers-from-universities": [
        (
            "Abdelkrim Marzouk",
            "Dean of School of Humanities and Social Sciences, Al Akhawayn University",
            "Al Akhawayn University",
        ),
        (
            "Lex Paulson",
            "Director of the School of Collective Intelligence, University of Mohammed VI Polytechnic",
            "University of Mohammed VI Polytechnic",
        ),
    ],
    "sections-mentioning-tasharoc": [
        (
            "Report, section VII: Open Subnational Governments Processes, Successes And Challenges",
            "278",
            "361",
        ),
        (
            "Web page, agenda block 3: Open Subnational Governments Processes, Successes And Challenges",
            "51",
            "72",
        ),
    ],
    "laws": [
        ("2011 Moroccan constitution", "Morocco"),
        ("Law No. 13.31", "Morocco"),
        ("public participation regulations of Elgeyo", "Elgeyo Marakwet"),
    ],
    "proposals-not-yet-done": [
        ("Open Morocco partnership agreement", "Strategy"),
        ("digital library for policy documents and laws on open practices", "Platform"),
    ],
    "report-sections": [
        ("1", "I. INTRODUCTION", "1", "14"),
        ("2", "II. OVERVIEW", "17", "52"),
        ("3", "III. BACKGROUND", "53", "100"),
        ("4", "IV. AGENDA", "101", "101"),
        ("5", "V. MOROCCO'S COMMITMENTS TOWARDS THE OPEN GOVERNMENT PRINCIPLES", "102", "201"),
        ("6", "VI. INTERNATIONAL ORIENTATIONS", "202", "275"),
        (
            "7",
            "VII. Open Subnational Governments Processes, Successes And Challenges",
            "278",
            "361",
        ),
        ("8", "VIII. The Role Of The Academic Sector And Civil Society", "362", "419"),
    ],
    "ogp-focal-points": [
        ("Hanan Khachani", "Regional Council of Tangier-Tetouan-Al Hoceima"),
        ("John Maritim", "County Government of Elgeyo"),
        ("Yusuf Auta", "Kaduna State Government"),
    ],
    "partners-of-impact-for-development": [
        ("Digital Arabia Network",),
        ("National Democratic Institute",),
        ("National Democratic Institute, Morocco",),
        ("National Endowment for Democracy",),
        ("Organization for Economic Cooperation and Development",),
    ],
    # Section V, R L124-129: the law, then joining the OGP ("after which"), then the 2018-2020
    # plan ("This milestone was followed by").
    "what-followed-what": [
        (
            "Law No. 13.31",
            "Moroccan Government in the Open Government Partnership",
            "Ahmed Laamoumri",
        ),
        (
            "Moroccan Government in the Open Government Partnership",
            "Morocco's Open Government action plan 2018-2020",
            "Ahmed Laamoumri",
        ),
        # The second plan after the first: the editors' reading of "second" (graph/editorial).
        (
            "Morocco's Open Government action plan 2018-2020",
            "second Moroccan Open Government National Action Plan",
            "",
        ),
    ],
    # R L135-137: "three bodies, a supervisory body, an implementation committee and a Civil
    # Society Forum".
    "governance-system-of-morocco": [
        ("governance system of Morocco's open government", "Morocco", "Civil Society Forum"),
        ("governance system of Morocco's open government", "Morocco", "implementation committee"),
        ("governance system of Morocco's open government", "Morocco", "supervisory body"),
    ],
    # R L59-61: the Government "represented by the Secretary General", the Parliament "by the
    # Deputy Speaker"; the posts are the web page's preferred forms (W 16, W 21).
    "who-represented-whom": [
        (
            "Ahmed Laamoumri",
            "Moroccan Government",
            "General Secretary of the Administration Reform Department under the Ministry of the"
            " Economy, Finance and Administration Reform",
        ),
        (
            "Mohammed Ouzzine",
            "Moroccan Parliament",
            "Deputy Speaker of the Chamber of Representatives",
        ),
    ],
    # R L318-319 (Elgeyo), L302-303 (Kaduna), L126-127 (Morocco), L284-285 (Ozurgeti), L80-83
    # and L236-238 (Tangier-Tetouan-Al Hoceima, told by the moderator and by Rudi Borrmann).
    "memberships-and-their-territory": [
        (
            "County Government of Elgeyo",
            "Open Government Partnership",
            "Elgeyo Marakwet",
            "John Maritim",
        ),
        ("Kaduna State Government", "Open Government Partnership", "Kaduna State", "Yusuf Auta"),
        ("Moroccan Government", "Open Government Partnership", "Morocco", "Ahmed Laamoumri"),
        ("Ozurgeti Municipality", "Open Government Partnership", "Ozurgeti", "Nana Tavdumadze"),
        (
            "Regional Council of Tangier-Tetouan-Al Hoceima",
            "OGP Local",
            "Tangier-Tetouan-Al Hoceima",
            "Rudi Borrmann",
        ),
        (
            "Regional Council of Tangier-Tetouan-Al Hoceima",
            "OGP Local",
            "Tangier-Tetouan-Al Hoceima",
            "Tarik Nesh-Nash",
        ),
    ],
    # R L149-152, L189-192, L327-329, L173-175, L293-294, L406-407.
    "what-each-talk-announced-or-proposed": [
        (
            "Ahmed Laamoumri",
            "Open Government Achievements Of The Moroccan Government",
            "Open Morocco partnership agreement",
            "proposed",
        ),
        (
            "Fatima El Hassani",
            "Open Region Achievements Of The Region Of Tanger-Tetouan-Al Houceima",
            "regional action plan for the open local government of Tangier-Tetouan-Al Hoceima",
            "to be adopted",
        ),
        (
            "John Maritim",
            "County Government Of Elgeyo Marakwet, Kenya",
            "digital library for policy documents and laws on open practices",
            "proposed",
        ),
        (
            "Mohammed Ouzzine",
            "Open Parliament Achievements of The Moroccan Parliament",
            "national event to enhance convergence for openness",
            "announced or proposed",
        ),
        ("Nana Tavdumadze", "Ozurgeti, Georgia", "Ozurgeti local action plan", "planned"),
        (
            "Samia El Baouchi",
            "Experiences Of Local Civil Society In The Field Of Open Smart City",
            "Forum focusing on Openness and intelligence at the local level",
            "announced or proposed",
        ),
    ],
    # R L391-393: "leading a global education for environment project, in partnership with ...".
    "environment-project-partners": [
        (
            "global education for environment project",
            "Al Akhawayn University",
            "Hassan II International Institute",
        ),
        (
            "global education for environment project",
            "Al Akhawayn University",
            "Mohammed VI Foundation",
        ),
        ("global education for environment project", "Al Akhawayn University", "United Nations"),
    ],
    # R L127-128, L75-76, L189-190, L139-140 (and L69-71).
    "plan-periods": [
        ("Morocco's Open Government action plan 2018-2020", "2018", "2020", "2018/2020"),
        ("2019-2020 Open Parliament Action Plan", "2019", "2020", "2019/2020"),
        (
            "regional action plan for the open local government of Tangier-Tetouan-Al Hoceima",
            "2020",
            "2022",
            "2020/2022",
        ),
        ("second Moroccan Open Government National Action Plan", "2020", "2022", "2020/2022"),
    ],
}


def _plain(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return term.value.removeprefix(LOCAL_BASE)
    return term.value


def _answer(dataset: Dataset, name: str) -> list[tuple[str, ...]]:
    result = dataset.store.query((QUERIES / f"{name}.rq").read_text(encoding="utf-8"))
    return [tuple(_plain(term) for term in row) for row in result.rows()]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_query_gives_the_answer_the_sources_give(dataset: Dataset, name: str) -> None:
    assert _answer(dataset, name) == EXPECTED[name]


def test_there_are_at_least_25_questions_and_each_has_a_title() -> None:
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 25
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# title: ") and lines[1].startswith("# title-fr: "), path


def test_every_query_file_has_a_checked_answer_or_a_shape_test() -> None:
    names = {p.stem for p in QUERIES.glob("*.rq")}
    unchecked = (
        names
        - set(EXPECTED)
        - {"conclusions", "milestones", "tangier-tetouan-al-hoceima-names", "external-links"}
    )
    assert unchecked == set()


def test_the_conclusions_are_the_twelve_bullets_in_order(dataset: Dataset) -> None:
    rows = _answer(dataset, "conclusions")
    assert [r[0] for r in rows] == [str(n) for n in range(1, 13)]
    report = (ROOT / "sources" / "forum-report.txt").read_text(encoding="utf-8")
    bullets = " ".join(report.splitlines()[16:52]).split("●")[1:]
    assert [" ".join(b.split()) for b in bullets] == [r[1] for r in rows]


def test_the_milestones_are_the_eight_bullets_in_order_attributed_to_the_moderator(
    dataset: Dataset,
) -> None:
    rows = _answer(dataset, "milestones")
    assert [r[0] for r in rows] == [str(n) for n in range(1, 9)]
    assert {r[2] for r in rows} == {"Tarik Nesh-Nash"}
    report = (ROOT / "sources" / "forum-report.txt").read_text(encoding="utf-8")
    bullets = " ".join(report.splitlines()[66:100]).split("●")[1:]
    assert [" ".join(b.split()) for b in bullets] == [r[1] for r in rows]


def test_external_links_gives_one_row_per_link_with_the_page_that_confirms_it(
    dataset: Dataset,
) -> None:
    rows = _answer(dataset, "external-links")
    [count] = dataset.store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?p { <http://www.w3.org/2002/07/owl#sameAs> "
        f"<{SKOS}closeMatch> <{SKOS}exactMatch> <{SKOS}notation> }} "
        f'?s ?p ?o FILTER(STRSTARTS(STR(?s), "{LOCAL_BASE}id/")) }}'
    )
    assert len(rows) == len(set(rows)) == int(count["n"].value) >= 20
    assert all(evidence.startswith("https://") for *_, evidence in rows)
    wikidata = "http://www.wikidata.org/entity/"
    owl_same_as = "http://www.w3.org/2002/07/owl#sameAs"
    links = {(entity, prop, identifier) for entity, _, prop, identifier, _ in rows}
    assert ("id/place/morocco", owl_same_as, wikidata + "Q1028") in links
    assert ("id/place/morocco", SKOS + "notation", "MA") in links
    assert (
        "id/place/morocco",
        SKOS + "exactMatch",
        "http://publications.europa.eu/resource/authority/country/MAR",
    ) in links
    # The funder "United Kingdom" is an organization, the item a country: a close match only.
    assert ("id/organization/united-kingdom", SKOS + "closeMatch", wikidata + "Q145") in links
    assert not any(e == "id/organization/united-kingdom" and p == owl_same_as for e, p, _ in links)


def test_every_spelling_of_the_region_is_kept_with_its_section(dataset: Dataset) -> None:
    rows = _answer(dataset, "tangier-tetouan-al-hoceima-names")
    forms = {(form, kind) for form, kind, _ in rows}
    assert ("Tangier-Tetouan-Al Hoceima", "preferred") in forms
    assert ("Tanger-Tetouan-Al Houceima", "hidden") in forms
    assert {
        ("Tanger-Tetouan-Al Hoceima", "alternative"),
        ("Tangier-Tétouan-Al Hoceïma", "alternative"),
        ("TTA", "alternative"),
    } <= forms
    hidden_source = {section for form, kind, section in rows if kind == "hidden"}
    assert hidden_source == {
        "Web page, agenda block 1: Morocco's Commitments Towards The Open Government Principles"
    }


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.stem)
def test_queries_declare_their_prefixes_so_any_endpoint_runs_them(path: Path) -> None:
    import rdflib.plugins.sparql as rdflib_sparql

    rdflib_sparql.prepareQuery(path.read_text(encoding="utf-8"))

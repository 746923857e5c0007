"""Entity IRIs and dataset-level resources over HTTP, with the clients that use them."""

from __future__ import annotations

import gzip
import hashlib
import re

import html5lib
import httpx
import pytest
import rdflib
from rdflib.namespace import DCAT, RDF

from ..conftest import TWINS, InProcessClient

# (client, Accept it sends, what an entity IRI must answer)
ENTITY_CLIENTS = [
    (
        "Firefox",
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        "text/html",
    ),
    (
        "Chrome",
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
        "text/html",
    ),
    ("Safari", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("curl", "*/*", "text/html"),
    ("no Accept header", None, "text/html"),
    (
        "rapper (Raptor)",
        "application/rdf+xml,text/rdf+n3;q=0.6,application/x-turtle;q=0.6,application/turtle;q=0.6,text/turtle;q=0.6,application/n-triples;q=0.6,*/*;q=0.1",
        "application/rdf+xml",
    ),
    (
        "rdflib, no format",
        "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, application/n-quads, application/trix, application/trig",
        "text/turtle",
    ),
    ("rdflib, turtle", "text/turtle, application/x-turtle, */*;q=0.1", "text/turtle"),
    (
        "rdflib, json-ld",
        "application/ld+json, application/json;q=0.9, */*;q=0.1",
        "application/ld+json",
    ),
    ("rdflib, nt", "text/plain, */*;q=0.1", "application/n-triples"),
    ("SPARQLWrapper, RDF/XML", "application/rdf+xml", "application/rdf+xml"),
    ("SPARQLWrapper, Turtle", "application/turtle,text/turtle", "text/turtle"),
    (
        "Jena RIOT",
        "text/turtle,application/n-quads;q=0.9,application/n-triples;q=0.9,application/trig;q=0.9,application/rdf+xml;q=0.8,application/ld+json;q=0.7,*/*;q=0.5",
        "text/turtle",
    ),
    (
        "Virtuoso sponger",
        "application/rdf+xml, text/rdf+n3;q=0.5, text/turtle;q=0.5, */*;q=0.1",
        "application/rdf+xml",
    ),
    (
        "GraphDB / RDF4J",
        "application/x-turtle, text/turtle, application/rdf+xml;q=0.9, application/n-triples;q=0.8, */*;q=0.1",
        "text/turtle",
    ),
    ("a quad client", "application/n-quads", "application/n-quads"),
    ("a TriG client", "application/trig", "application/trig"),
]

# (client, Accept it sends for a SELECT, acceptable answers) at /sparql
SPARQL_CLIENTS = [
    (
        "Virtuoso SERVICE",
        "application/sparql-results+xml, application/rdf+xml;q=0.5, text/rdf+n3;q=0.5, */*;q=0.1",
        {"application/sparql-results+xml"},
    ),
    (
        "GraphDB / RDF4J SERVICE",
        "application/x-binary-rdf-results-table, application/sparql-results+xml;q=0.8, application/sparql-results+json;q=0.8, text/csv;q=0.8, text/tab-separated-values;q=0.8",
        {"application/sparql-results+json", "application/sparql-results+xml"},
    ),
    (
        "Jena ARQ SERVICE",
        "application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.7, text/csv;q=0.5, application/json;q=0.2, application/xml;q=0.2, */*;q=0.1",
        {"application/sparql-results+json"},
    ),
    (
        "Comunica",
        "application/sparql-results+json,application/sparql-results+xml;q=0.9,application/n-triples;q=0.8,text/turtle;q=0.7,*/*;q=0.1",
        {"application/sparql-results+json"},
    ),
    (
        "SPARQLWrapper default",
        "application/sparql-results+xml,application/rdf+xml,*/*",
        {"application/sparql-results+xml"},
    ),
    ("curl", "*/*", {"application/sparql-results+json"}),
]

PERSON = "id/person/john-maritim"


def _media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


@pytest.mark.parametrize(
    ("client", "accept", "expected"), ENTITY_CLIENTS, ids=[c[0] for c in ENTITY_CLIENTS]
)
def test_entity_iris_answer_what_real_clients_ask_for(
    app_client: InProcessClient, client: str, accept: str | None, expected: str
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    response = app_client.get(PERSON, headers=headers)
    assert response.status_code == 200, response.text
    assert _media(response) == expected
    assert "Accept" in response.headers["vary"]
    assert 'rel="alternate"' in response.headers["link"]


@pytest.mark.parametrize(
    ("client", "accept", "expected"), SPARQL_CLIENTS, ids=[c[0] for c in SPARQL_CLIENTS]
)
def test_the_endpoint_answers_what_real_sparql_clients_ask_for(
    app_client: InProcessClient, client: str, accept: str, expected: set[str]
) -> None:
    response = app_client.get(
        "sparql",
        params={"query": "SELECT ?s WHERE { ?s a <http://schema.org/Person> } LIMIT 1"},
        headers={"Accept": accept},
    )
    assert response.status_code == 200
    assert _media(response) in expected


@pytest.mark.slow  # a real server process
def test_rdflib_dereferences_an_entity_iri(live_server: str) -> None:
    graph = rdflib.Graph().parse(live_server + PERSON)
    me = rdflib.URIRef(live_server + PERSON)
    assert (
        me,
        rdflib.URIRef("http://xmlns.com/foaf/0.1/name"),
        rdflib.Literal("John Maritim", lang="en"),
    ) in graph
    assert (None, rdflib.URIRef("http://schema.org/performer"), me) in graph  # incoming, too
    post = rdflib.URIRef(live_server + "id/post/ogp-focal-point-elgeyo")
    assert (post, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), None) in graph


def test_quad_formats_carry_the_source_graph_of_each_statement(app_client: InProcessClient) -> None:
    response = app_client.get(PERSON, headers={"Accept": "application/trig"})
    dataset = rdflib.Dataset()
    dataset.parse(data=response.content, format="trig")
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert {
        app_client.base_url + "graph/report-vii",
        app_client.base_url + "graph/web-agenda-3",
        app_client.base_url + "graph/editorial",
    } <= graphs
    hidden = [
        g
        for g in dataset.graphs()
        if (
            rdflib.URIRef(app_client.base_url + PERSON),
            rdflib.URIRef("http://www.w3.org/2004/02/skos/core#hiddenLabel"),
            rdflib.Literal("John Martin", lang="en"),
        )
        in g
    ]
    assert [str(g.identifier) for g in hidden] == [app_client.base_url + "graph/report-vii"]


@pytest.mark.parametrize(("suffix", "media_type"), TWINS)
def test_format_twins(app_client: InProcessClient, suffix: str, media_type: str) -> None:
    response = app_client.get(
        PERSON + suffix, headers={"Accept": "image/png"}
    )  # the suffix decides
    assert response.status_code == 200
    assert _media(response) == media_type


def test_every_local_iri_the_data_links_to_dereferences(app_client: InProcessClient) -> None:
    dump = gzip.decompress(app_client.get("dumps/openforum.nt.gz").content).decode()
    objects = set(
        re.findall(r"> <(" + re.escape(app_client.base_url) + r"id/[^>]+)> \.$", dump, re.MULTILINE)
    )
    assert len(objects) > 200
    for iri in sorted(objects):
        response = app_client.get(iri, headers={"Accept": "text/turtle"})
        assert response.status_code == 200, iri
        assert len(rdflib.Graph().parse(data=response.content, format="turtle")) > 0, iri


def test_etags_and_304(app_client: InProcessClient) -> None:
    first = app_client.get(PERSON, headers={"Accept": "text/turtle"})
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["last-modified"] and "max-age" in first.headers["cache-control"]
    again = app_client.get(PERSON, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    other = app_client.get(PERSON, headers={"Accept": "application/ld+json"})
    assert other.headers["etag"] != etag, "each representation has its own ETag"
    french = app_client.get(PERSON + "?lang=fr")
    english = app_client.get(PERSON + "?lang=en")
    assert french.headers["etag"] != english.headers["etag"]
    assert (
        app_client.head(
            PERSON, headers={"Accept": "text/turtle", "If-None-Match": etag}
        ).status_code
        == 304
    )


def test_head_on_every_route(app_client: InProcessClient) -> None:
    for path in (
        "",
        PERSON,
        PERSON + ".ttl",
        "id/person/",
        "catalog",
        "dumps/openforum.ttl",
        "context.jsonld",
        "validation",
        "sitemap.xml",
        "robots.txt",
        "healthz",
        "sparql",
        ".well-known/void",
        "graph/report-v",
        "ontology",
    ):
        get = app_client.get(path)
        head = app_client.head(path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path


def test_gzip_when_asked(app_client: InProcessClient) -> None:
    plain = app_client.get(PERSON, headers={"Accept": "text/turtle", "Accept-Encoding": "identity"})
    zipped = app_client.get(
        app_client.base_url + PERSON, headers={"Accept": "text/turtle", "Accept-Encoding": "gzip"}
    )
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == plain.content  # httpx decodes it
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert "Accept-Encoding" in zipped.headers["vary"]


def test_406_lists_what_is_offered(app_client: InProcessClient) -> None:
    response = app_client.get(PERSON, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text and "text/html" in response.text
    assert "Accept" in response.headers["vary"]


def test_unknown_entities_are_404_in_the_format_asked_for(app_client: InProcessClient) -> None:
    turtle = app_client.get("id/person/nobody-at-all", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 404 and _media(turtle) == "text/turtle"
    assert len(rdflib.Graph().parse(data=turtle.content, format="turtle")) == 0
    jsonld = app_client.get("id/person/nobody-at-all", headers={"Accept": "application/ld+json"})
    assert jsonld.status_code == 404 and _media(jsonld) == "application/ld+json"
    page = app_client.get("id/person/nobody-at-all", headers={"Accept": "text/html"})
    assert (
        page.status_code == 404
        and _media(page) == "text/html"
        and "<h1>Not found</h1>" in page.text
    )


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("id/person/john-martin", "/id/person/john-maritim"),
        ("id/person/rudi-borrman.ttl", "/id/person/rudi-borrmann.ttl"),
        ("id/person/John-Maritim", "/id/person/john-maritim"),
        ("id/place/tanger-tetouan-al-houceima", "/id/place/tangier-tetouan-al-hoceima"),
        ("id/person/j%C3%B6hn-maritim", "/id/person/john-maritim"),
        ("id/person", "/id/person/"),
    ],
)
def test_variant_spellings_redirect_permanently(
    app_client: InProcessClient, path: str, target: str
) -> None:
    response = app_client.get(path)
    assert response.status_code == 301
    assert response.headers["location"] == target
    assert all(ord(c) < 128 and c not in ' "<>' for c in response.headers["location"])


def test_dataset_level_resources(app_client: InProcessClient) -> None:
    assert _media(app_client.get("context.jsonld")) == "application/ld+json"
    sums = app_client.get("dumps/SHA256SUMS").text.splitlines()
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256(app_client.get("dumps/" + name).content).hexdigest() == digest
    sitemap = app_client.get("sitemap.xml").text
    assert f"<loc>{app_client.base_url}{PERSON}</loc>" in sitemap
    assert "Sitemap: " in app_client.get("robots.txt").text
    # The publication's files are at the URLs a static host gives them; nothing outside it is,
    # and nothing of `.server/` (the store, the index, the manifest).
    assert app_client.get("dumps/../version.json").json() == app_client.get("version.json").json()
    for bad in (
        "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "dumps/%2e%2e/%2e%2e/etc/passwd",
        "dumps/..%2f..%2fetc%2fpasswd",
        "dumps/x%00.ttl",
        ".server/manifest.json",
        ".server/index.sqlite",
        "%2eserver/manifest.json",
        ".htaccess",
    ):
        assert app_client.get(bad).status_code in (400, 404), bad


@pytest.mark.slow  # a real server process
def test_a_ckan_harvester_finds_the_dataset_and_its_release(live_server: str) -> None:
    with httpx.Client() as harvester:
        del harvester.headers["accept"]  # ckanext-dcat sends no Accept header
        head = harvester.head(live_server + "catalog")
        response = harvester.get(live_server + "catalog")
    assert head.status_code == 200
    assert response.status_code == 200
    assert _media(response) == head.headers["content-type"].split(";")[0] == "text/turtle"
    catalog = rdflib.Graph().parse(data=response.content, format="turtle")
    dataset = rdflib.URIRef(live_server + "catalog#dataset")
    # The server's config names a release: a dataset of its own, a version of the dataset.
    release = rdflib.URIRef(live_server + "catalog#release-2020.1")
    assert set(catalog.subjects(RDF.type, DCAT.Dataset)) == {dataset, release}
    assert (dataset, rdflib.URIRef(str(DCAT) + "hasVersion"), release) in catalog
    for harvested in (dataset, release):
        distributions = list(catalog.objects(harvested, DCAT.distribution))
        assert len(distributions) == 6
        for distribution in distributions:
            url = str(catalog.value(distribution, DCAT.downloadURL))
            assert url.startswith(live_server)
            assert httpx.head(url).status_code == 200


def test_pages_are_valid_html5_and_load_nothing_from_elsewhere(app_client: InProcessClient) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for path in (
        "",
        PERSON,
        "id/person/",
        "id/topic/open-government",
        "search?q=open",
        "sparql",
        "validation",
        "id/person/nobody",
        "?lang=fr",
        PERSON + "?lang=fr",
    ):
        response = app_client.get(path, headers={"Accept": "text/html"})
        parser.parse(response.content, transport_encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", response.text):
            # Signposting and alternates name other resources; they load nothing.
            if re.search(r'rel="(?:alternate|license|cite-as|describedby|type|item)"', tag):
                continue
            assert not re.search(r'(?:src|href)="https?://(?!127\.0\.0\.1)', tag), (path, tag)


def test_the_entity_page_for_people(app_client: InProcessClient) -> None:
    page = app_client.get(PERSON, headers={"Accept": "text/html"}).text
    assert '<h1 lang="en" dir="auto">John Maritim</h1>' in page
    assert (
        'href="/id/organization/county-government-of-elgeyo"' in page
        and ">County Government of Elgeyo</a>" in page
    )
    assert "speaker in" in page and "Report, section VII" in page
    assert 'hreflang="fr"' in page and 'hreflang="en"' in page
    assert "Conforms to the shape" in page and 'href="/validation#shape-PersonShape"' in page
    assert "/sparql?query=" in page
    assert '<script type="application/ld+json">' in page
    assert 'href="/id/person/john-maritim.ttl"' in page


def test_the_interface_speaks_french_by_parameter_or_accept_language(
    app_client: InProcessClient,
) -> None:
    by_parameter = app_client.get(PERSON + "?lang=fr").text
    assert '<html lang="fr">' in by_parameter and "Ce que disent les sources" in by_parameter
    assert "intervenant dans" in by_parameter
    by_header = app_client.get(
        "id/place/morocco", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
    )
    assert '<html lang="fr">' in by_header.text
    assert (
        '<h1 lang="fr" dir="auto">Maroc</h1>' in by_header.text
    )  # the label in the reader's language
    assert by_header.headers["content-language"] == "fr"
    fallback = app_client.get("id/person/tarik-nesh-nash?lang=fr").text
    assert '<h1 lang="en" dir="auto">Tarik Nesh-Nash</h1>' in fallback  # no French label: English


def test_the_home_page(app_client: InProcessClient, entities_of_kind: dict[str, int]) -> None:
    home = app_client.get("", headers={"Accept": "text/html"}).text
    assert "Open Smart Regions: Convergence for Openness" in home and "2020-11-20" in home
    assert home.count('href="/id/talk/') >= 15
    organizations = entities_of_kind["organization"]
    assert (
        f'href="/id/organization/">Organizations</a></th><td class="number">{organizations}</td>'
        in home
    )
    assert (
        'href="/sparql"' in home
        and 'href="/catalog"' in home
        and 'href="/dumps/openforum.ttl"' in home
    )


def test_search_is_case_and_accent_insensitive_and_knows_variant_spellings(
    app_client: InProcessClient,
) -> None:
    hits = app_client.get(
        "search", params={"q": "HOCEÏMA"}, headers={"Accept": "application/json"}
    ).json()["results"]
    assert any(h["iri"].endswith("/id/place/tangier-tetouan-al-hoceima") for h in hits)
    variant = app_client.get(
        "search", params={"q": "borrman"}, headers={"Accept": "application/json"}
    ).json()["results"]
    assert [h["iri"] for h in variant][:1] == [app_client.base_url + "id/person/rudi-borrmann"]
    exact = app_client.get("search", params={"q": "rudi borrman"})
    assert exact.status_code == 303 and exact.headers["location"] == "/id/person/rudi-borrmann"
    page = app_client.get("search", params={"q": "open"}, headers={"Accept": "text/html"}).text
    assert "Results for" in page and page.count("<li>") > 10
    assert app_client.get("search").status_code == 400


def test_listings_page_through_a_kind(
    app_client: InProcessClient, entities_of_kind: dict[str, int]
) -> None:
    page = app_client.get("id/topic/", headers={"Accept": "text/html"}).text
    topics = entities_of_kind["topic"]
    assert f"{topics} in all." in page
    assert len(re.findall(r'<li><a href="/id/topic/[a-z0-9]', page)) == topics
    assert app_client.get("id/unknown-kind/").status_code == 404
    assert app_client.get("id/topic/?page=9").status_code == 404
    assert app_client.get("id/topic/?page=zero").status_code == 400


def test_incoming_links_come_50_a_page(tmp_path, settings) -> None:
    import shutil

    from openforum_ld import publish
    from openforum_ld.publication import Publication

    from ..conftest import TEST_DATA

    data = tmp_path / "data"
    shutil.copytree(TEST_DATA / "valid", data)
    prefixes = (
        (TEST_DATA / "valid" / "forum.trig")
        .read_text(encoding="utf-8")
        .split("graph:minutes-1 {")[0]
    )
    talks = "".join(
        f"""    session:opening schema:subEvent talk:extra-{n} .
    talk:extra-{n} a schema:Event, ofo:Talk ;
        skos:prefLabel "Extra talk {n:02d}"@en ; schema:name "Extra talk {n:02d}"@en ;
        schema:superEvent session:opening ; ofo:agendaOrder {n + 2} ;
        schema:performer person:cy-guest ; schema:about topic:openness .
"""
        for n in range(1, 61)
    )
    (data / "many.trig").write_text(
        prefixes + "graph:minutes-1 {\n" + talks + "}\n", encoding="utf-8"
    )
    publish.build(settings.with_(data_dir=data), tmp_path / "site")
    publication = Publication.open(tmp_path / "site")
    with InProcessClient.serving(publication, settings) as client:
        first = client.get("id/topic/openness", headers={"Accept": "text/html"}).text
        assert 'subject of <span class="count">(61)</span>' in first  # the forum and 60 talks
        section = first.split("subject of <span")[1].split("</section>")[0]
        assert section.count("<li>") == 50
        assert "Page 1 of 2" in section
        [next_page] = re.findall(r'href="([^"]+)" rel="next"', section)
        second = client.get(next_page.replace("&amp;", "&"), headers={"Accept": "text/html"}).text
        rest = second.split("subject of <span")[1].split("</section>")[0]
        assert rest.count("<li>") == 11 and "Page 2 of 2" in rest
    publication.close()


def test_repeated_requests_get_the_variant_their_headers_ask_for(
    app_client: InProcessClient,
) -> None:
    # The server keeps finished responses for repeats: each must still be the one the request's
    # Accept, Accept-Language and Accept-Encoding select, and revalidation must still give 304.
    url = "id/person/john-maritim"
    asks = [
        {"Accept": "text/html", "Accept-Language": "en"},
        {"Accept": "text/html", "Accept-Language": "fr"},
        {"Accept": "text/turtle"},
        {"Accept": "application/ld+json"},
    ]
    first = {}
    for round_ in range(3):
        for encoding in ("identity", "gzip"):
            for ask in asks:
                headers = {**ask, "Accept-Encoding": encoding}
                response = app_client.get(url, headers=headers)
                assert response.status_code == 200
                key = (tuple(ask.items()), encoding)
                seen = (
                    response.headers["content-type"],
                    response.headers.get("content-language"),
                    response.headers.get("content-encoding"),
                    response.headers["etag"],
                    response.content,
                )
                if round_ == 0:
                    first[key] = seen
                assert seen == first[key], key
    html_en = first[((("Accept", "text/html"), ("Accept-Language", "en")), "identity")]
    html_fr = first[((("Accept", "text/html"), ("Accept-Language", "fr")), "identity")]
    assert html_en[1] == "en" and html_fr[1] == "fr" and html_en[4] != html_fr[4]
    assert first[((("Accept", "text/turtle"),), "gzip")][2] == "gzip"
    assert first[((("Accept", "text/turtle"),), "identity")][2] is None
    etag = html_en[3]
    again = app_client.get(
        url, headers={"Accept": "text/html", "Accept-Language": "en", "If-None-Match": etag}
    )
    assert again.status_code == 304
    head = app_client.head(url, headers={"Accept": "text/turtle", "Accept-Encoding": "identity"})
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(
        first[((("Accept", "text/turtle"),), "identity")][4]
    )


def test_an_entity_page_shows_its_links_to_other_datasets_with_their_evidence(
    app_client: InProcessClient, dataset
) -> None:
    rows = dataset.store.select(
        "SELECT ?o ?page WHERE { ?link rdf:subject ?s ; rdf:predicate owl:sameAs ; "
        "rdf:object ?o ; prov:wasDerivedFrom ?page "
        f"FILTER(?s = <{app_client.base_url}id/place/morocco>) }}"
    )
    [(item, evidence)] = [(row["o"].value, row["page"].value) for row in rows]
    page = app_client.get("id/place/morocco", headers={"Accept": "text/html"}).text
    assert f'<a href="{item}" class="external" dir="auto">' in page
    assert f'<a class="evidence" href="{evidence}" rel="nofollow">confirmed by</a>' in page
    french = app_client.get("id/place/morocco?lang=fr", headers={"Accept": "text/html"}).text
    assert "confirmé par" in french and "même entité que" in french
    # The link's description is shown with the link, not as a resource linking here.
    assert "graph/editorial#link-" not in page

"""Finding what a deployment publishes, the way a client would from the outside: its VoID at
`/.well-known/void`, its SPARQL endpoint, its DCAT catalog, its dumps and some of its entities.
What is found is kept on the `Deployment`, which every probe reads."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urldefrag, urljoin

from rdflib import RDF, Literal, Namespace, URIRef

from openforum_ld.check.client import Client, FetchError, describe, media_type, origin_of
from openforum_ld.check.probe import SkipError
from openforum_ld.check.rdf import RdfError, RemoteContextError, context_of, is_rdf, parse_rdf

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    import httpx
    from rdflib import Graph

T = TypeVar("T")

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
RDFS_SEE_ALSO = URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso")
DCTERMS_IS_PART_OF = URIRef("http://purl.org/dc/terms/isPartOf")
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"

ANY = "*/*"
RESULTS_JSON = "application/sparql-results+json"
#: Where endpoints and catalogs often are, tried when nothing names them.
SPARQL_PATHS = ("sparql", "query")
CATALOG_PATHS = ("catalog", "catalog.ttl", "dcat", "dcat.ttl")
_MAX_CATALOG_CANDIDATES = 8


@dataclass(frozen=True)
class CheckOptions:
    """What to check and how hard: the URL, what discovery cannot find, and the limits."""

    url: str
    sparql: str | None = None
    catalog: str | None = None
    sample: int = 20
    max_links: int = 300
    max_dump_bytes: int = 200 * 1024 * 1024
    timeout: float = 30.0


@dataclass(frozen=True)
class Document:
    """An RDF document the check fetched: the exchange, and its graph or why there is none."""

    url: str
    exchange: str
    graph: Graph | None
    problem: str | None
    response: httpx.Response | None = None


@dataclass(frozen=True)
class Endpoint:
    """The SPARQL endpoint, how it was found, and whether it answered an ASK."""

    url: str
    found_by: str
    answers: bool
    evidence: str


@dataclass(frozen=True)
class Dump:
    """A data dump as VoID or DCAT declares it."""

    url: str
    declared_by: tuple[str, ...]
    byte_size: int | None = None
    algorithm: str | None = None  # the hashlib name of spdx:algorithm
    checksum: str | None = None
    media_type: str | None = None
    compression: str | None = None


class Deployment:
    """A Linked Data deployment seen from outside; each fact is found once, when first asked."""

    def __init__(self, client: Client, options: CheckOptions) -> None:
        self.client = client
        self.options = options
        self.url = options.url
        self.origin = origin_of(options.url)
        self._cache: dict[tuple[str, str, tuple[tuple[str, str], ...]], httpx.Response] = {}
        self._lock = threading.Lock()
        self._memo: dict[str, object] = {}
        #: Names what this run's update probes insert, so that nothing else can match it.
        self.token = str(uuid.uuid4())
        #: (Content-Type, body) that undoes each update the endpoint wrongly accepted.
        self.accepted_updates: list[tuple[str, str]] = []

    # ------------------------------------------------------------------ fetching

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """What `compute` gives, computed once per deployment (downloads, say)."""
        with self._lock:
            if key in self._memo:
                return cast("T", self._memo[key])
        value = compute()
        with self._lock:
            self._memo.setdefault(key, value)
        return value

    def get(
        self, url: str, accept: str, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        """A GET, sent once per (URL, Accept, headers) however many probes ask for it."""
        key = (url, accept, tuple(sorted((headers or {}).items())))
        with self._lock:
            found = self._cache.get(key)
        if found is None:
            found = self.client.send("GET", url, accept=accept, headers=headers)
            with self._lock:
                self._cache[key] = found
        return found

    def fetch_rdf(self, url: str, accept: str = ANY) -> Document:
        """GET an RDF document and parse it (by its Content-Type)."""
        try:
            response = self.get(url, accept)
        except FetchError as error:
            return Document(url, str(error), None, str(error))
        exchange = describe(response)
        if not response.is_success:
            return Document(url, exchange, None, f"{exchange}: not a success", response)
        kind = media_type(response)
        if not is_rdf(kind):
            return Document(url, exchange, None, f"{exchange}: not an RDF media type", response)
        try:
            graph = parse_rdf(response.content, kind, str(response.url), self.load_context)
        except (RdfError, RemoteContextError) as error:
            problem = f"{exchange}: does not parse as {kind}: {error}"
            return Document(url, exchange, None, problem, response)
        return Document(url, exchange, graph, None, response)

    def load_context(self, url: str) -> Any:
        """A JSON-LD remote context, fetched through the client when it is on an allowed
        origin; None otherwise."""
        if not self.client.allows(url):
            return None
        try:
            response = self.get(url, "application/ld+json, application/json;q=0.9")
        except FetchError:
            return None
        return context_of(response.content) if response.is_success else None

    def query(self, text: str) -> dict[str, Any]:
        """SPARQL JSON results of a query sent by GET. FetchError or ValueError when the
        endpoint does not answer with them."""
        endpoint = self.sparql
        if endpoint is None or not endpoint.answers:
            raise ValueError("no SPARQL endpoint answers")
        response = self.client.send(
            "GET", endpoint.url, accept=RESULTS_JSON, params={"query": text}
        )
        if not response.is_success:
            raise ValueError(f"{describe(response)}: not a success")
        results: dict[str, Any] = json.loads(response.content)
        return results

    # ------------------------------------------------------------------ VoID and DCAT

    @cached_property
    def void_url(self) -> str:
        return self.origin + "/.well-known/void"

    @cached_property
    def void(self) -> Document:
        """The VoID description at `/.well-known/void`, asked for with `*/*`."""
        return self.fetch_rdf(self.void_url)

    @cached_property
    def catalog(self) -> tuple[Document | None, list[str]]:
        """The DCAT catalog (`--catalog`, the VoID itself when it has DCAT, a document the
        VoID links to, or a common path), and what each document tried in vain gave."""
        if self.options.catalog:
            return self.fetch_rdf(self.options.catalog), []
        void = self.void.graph
        if void is not None and _has_dcat(void):
            return self.void, []
        candidates: list[str] = []
        if void is not None:
            for predicate in (DCAT.catalog, RDFS_SEE_ALSO, DCTERMS_IS_PART_OF):
                candidates += [str(o) for o in void.objects(None, predicate)]
            datasets = set(void.subjects(RDF.type, VOID.Dataset))
            subjects = {s for s in void.subjects() if isinstance(s, URIRef)}
            candidates += sorted(str(s) for s in datasets if isinstance(s, URIRef))
            candidates += sorted(str(s) for s in subjects - datasets)
        candidates += [urljoin(self.url, path) for path in CATALOG_PATHS]
        candidates += [self.origin + "/" + path for path in CATALOG_PATHS]
        tried: list[str] = []
        problems: list[str] = []
        for candidate in candidates:
            document = urldefrag(candidate)[0]
            if (
                document in tried
                or document == self.void_url
                or not self.client.allows(document)
                or document.rstrip("/") == self.origin
            ):
                continue
            tried.append(document)
            found = self.fetch_rdf(document)
            if found.graph is not None and _has_dcat(found.graph):
                return found, problems
            problems.append(found.problem or f"{found.exchange}: no DCAT in it")
            if len(tried) >= _MAX_CATALOG_CANDIDATES:
                break
        return None, problems

    def described(self) -> Graph | None:
        """VoID and DCAT together (None when neither was found)."""
        graphs = [d.graph for d in (self.void, self.catalog[0]) if d and d.graph is not None]
        if not graphs:
            return None
        union = graphs[0]
        for graph in graphs[1:]:
            union = union + graph
        return union

    # ------------------------------------------------------------------ SPARQL

    @cached_property
    def sparql(self) -> Endpoint | None:
        """The SPARQL endpoint: `--sparql`, else the first that answers of those VoID and
        DCAT name and the common paths."""
        if self.options.sparql:
            return self.probe_endpoint(self.options.sparql, "--sparql")
        named: list[tuple[str, str]] = []
        void = self.void.graph
        if void is not None:
            named += [
                (str(o), "VoID void:sparqlEndpoint")
                for o in void.objects(None, VOID.sparqlEndpoint)
            ]
        catalog = self.catalog[0]
        if catalog is not None and catalog.graph is not None:
            named += [
                (str(o), "DCAT dcat:endpointURL")
                for o in catalog.graph.objects(None, DCAT.endpointURL)
            ]
        common = [(urljoin(self.url, p), f"the common path {p}") for p in SPARQL_PATHS]
        common += [(self.origin + "/" + p, f"the common path /{p}") for p in SPARQL_PATHS]
        first: Endpoint | None = None
        seen: set[str] = set()
        for url, found_by in named + common:
            if url in seen or not self.client.allows(url):
                continue
            seen.add(url)
            endpoint = self.probe_endpoint(url, found_by)
            if endpoint.answers:
                return endpoint
            if first is None and (url, found_by) in named:
                first = endpoint
        return first

    def probe_endpoint(self, url: str, found_by: str) -> Endpoint:
        """Whether a URL answers `ASK { ?s ?p ?o }` by GET with a SPARQL JSON boolean."""
        try:
            response = self.client.send(
                "GET", url, accept=RESULTS_JSON, params={"query": "ASK { ?s ?p ?o }"}
            )
        except FetchError as error:
            return Endpoint(url, found_by, False, str(error))
        evidence = describe(response)
        try:
            answers = response.is_success and isinstance(
                json.loads(response.content).get("boolean"), bool
            )
        except (ValueError, AttributeError):
            answers = False
        return Endpoint(url, found_by, answers, evidence)

    # ------------------------------------------------------------------ dumps and entities

    @cached_property
    def dumps(self) -> list[Dump]:
        """Every dump VoID (void:dataDump) or DCAT (dcat:downloadURL) declares, merged by URL."""
        graph = self.described()
        if graph is None:
            return []
        found: dict[str, Dump] = {}
        for url in sorted(str(o) for o in graph.objects(None, VOID.dataDump)):
            found[url] = Dump(url, ("void:dataDump",))
        for distribution in set(graph.subjects(DCAT.downloadURL, None)):
            for download in graph.objects(distribution, DCAT.downloadURL):
                url = str(download)
                declared = (
                    (*found[url].declared_by, "dcat:downloadURL")
                    if url in found
                    else ("dcat:downloadURL",)
                )
                found[url] = _describe_dump(graph, distribution, url, declared)
        return [found[url] for url in sorted(found)]

    @cached_property
    def entity_space(self) -> str:
        """Where the entity IRIs are: the VoID uriSpace when it is on this origin, else the
        origin itself."""
        void = self.void.graph
        if void is not None:
            for space in sorted(str(o) for o in void.objects(None, VOID.uriSpace)):
                if origin_of(space) == self.origin:
                    return space
        return self.origin + "/"

    @cached_property
    def entities(self) -> tuple[list[str], str]:
        """Up to `--sample` entity IRIs under the deployment's origin: VoID's example resources
        first, then one per class from SPARQL, then any typed subject. With how they were found."""
        found: list[str] = []
        how: list[str] = []
        void = self.void.graph
        if void is not None:
            examples = sorted(str(o) for o in void.objects(None, VOID.exampleResource))
            found += [e for e in examples if origin_of(e) == self.origin]
            if found:
                how.append(f"{len(found)} from void:exampleResource")
        space = json.dumps(self.entity_space)
        queries = (
            "SELECT ?type (SAMPLE(?s) AS ?entity) WHERE { ?s a ?type "
            f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {space})) }} "
            f"GROUP BY ?type ORDER BY ?type LIMIT {self.options.sample}",
            "SELECT DISTINCT ?entity WHERE { ?entity a ?type "
            f"FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), {space})) }} "
            f"LIMIT {self.options.sample}",
        )
        endpoint = self.sparql
        if endpoint is None or not endpoint.answers:
            how.append("no SPARQL endpoint answers")
        else:
            from_sparql = 0
            failure = None
            for text in queries:
                if len(found) >= self.options.sample:
                    break
                try:
                    bindings = self.query(text)["results"]["bindings"]
                except (FetchError, ValueError, KeyError, TypeError) as error:
                    failure = f"a SPARQL query for entities failed: {error}"
                    break
                for row in bindings:
                    value = row.get("entity", {}).get("value")
                    if isinstance(value, str) and value not in found:
                        found.append(value)
                        from_sparql += 1
            if failure:
                how.append(failure)
            elif from_sparql:
                how.append(f"{from_sparql} from SPARQL")
            elif not found:
                how.append(f"SPARQL finds no typed subject under {self.entity_space}")
        return found[: self.options.sample], "; ".join(how)

    @cached_property
    def missing_url(self) -> str:
        """An IRI beside the sample entity (or under the start URL) that names nothing."""
        entities, _ = self.entities
        return urljoin(
            entities[0] if entities else self.url, f"openforum-ld-check-{self.token[:8]}"
        )

    def entity(self) -> str:
        """The entity the negotiation and HTTP probes use. SkipError when there is none."""
        entities, _ = self.entities
        if not entities:
            raise SkipError(f"no entity under {self.entity_space} was found (see conneg.entity)")
        return entities[0]


def _has_dcat(graph: Graph) -> bool:
    return any(
        (None, RDF.type, kind) in graph for kind in (DCAT.Catalog, DCAT.Dataset, DCAT.Distribution)
    )


def _describe_dump(graph: Graph, distribution: Any, url: str, declared: tuple[str, ...]) -> Dump:
    size = graph.value(distribution, DCAT.byteSize)
    algorithm = checksum = None
    node = graph.value(distribution, SPDX.checksum)
    if node is not None:
        named = graph.value(node, SPDX.algorithm)
        value = graph.value(node, SPDX.checksumValue)
        if named is not None:
            algorithm = str(named).rsplit("checksumAlgorithm_", 1)[-1].lower()
        if value is not None:
            checksum = str(value).strip().lower()
    return Dump(
        url,
        declared,
        byte_size=int(size) if isinstance(size, Literal) and str(size).isdigit() else None,
        algorithm=algorithm,
        checksum=checksum,
        media_type=_media_type_of(graph.value(distribution, DCAT.mediaType)),
        compression=_media_type_of(graph.value(distribution, DCAT.compressFormat)),
    )


def _media_type_of(value: Any) -> str | None:
    """A media type from DCAT: an IANA IRI or a literal."""
    if value is None:
        return None
    text = str(value)
    return text.removeprefix(IANA_MEDIA_TYPES).lower()

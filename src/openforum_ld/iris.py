"""The one place that knows the shape of IRIs: namespaces, kinds, entity and graph IRIs."""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

SCHEMA = "http://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"
OFO = "https://w3id.org/openforum/ontology#"
ONTOLOGY_IRI = "https://w3id.org/openforum/ontology"

#: Prefixes the program writes and reads SPARQL with; order is the order they are printed in.
NAMESPACES: dict[str, str] = {
    "schema": SCHEMA,
    "foaf": FOAF,
    "org": ORG,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "sh": SH,
    "ofo": OFO,
}


@dataclass(frozen=True)
class Kind:
    """A kind of entity: the `{kind}` segment of its IRI and the class that defines it."""

    slug: str
    class_iri: str
    label_en: str
    label_fr: str


KINDS: tuple[Kind, ...] = (
    Kind("forum", OFO + "Forum", "Forums", "Forums"),
    Kind("session", OFO + "AgendaSection", "Agenda sections", "Sessions du programme"),
    Kind("talk", OFO + "Talk", "Talks", "Interventions"),
    Kind("event", SCHEMA + "Event", "Other events", "Autres événements"),
    Kind("person", SCHEMA + "Person", "People", "Personnes"),
    Kind("post", ORG + "Post", "Posts", "Postes"),
    Kind("membership", ORG + "Membership", "Memberships", "Adhésions"),
    Kind("organization", FOAF + "Organization", "Organizations", "Organisations"),
    Kind("place", SCHEMA + "Place", "Places", "Lieux"),
    Kind("programme", SCHEMA + "Project", "Programmes", "Programmes"),
    Kind("strategy", OFO + "Strategy", "Strategies", "Stratégies"),
    Kind("action-plan", OFO + "ActionPlan", "Action plans", "Plans d'action"),
    Kind("commitment", OFO + "Commitment", "Commitments", "Engagements"),
    Kind("law", SCHEMA + "Legislation", "Laws", "Textes juridiques"),
    Kind("platform", OFO + "Platform", "Platforms", "Plateformes"),
    Kind("figure", SCHEMA + "Observation", "Figures", "Chiffres"),
    Kind("conclusion", OFO + "Conclusion", "Conclusions", "Conclusions"),
    Kind("milestone", OFO + "Milestone", "Milestones", "Jalons"),
    Kind("topic", SKOS + "Concept", "Topics", "Thèmes"),
    Kind("scheme", SKOS + "ConceptScheme", "Concept schemes", "Schémas de concepts"),
    Kind("document", OFO + "SourceDocument", "Source documents", "Documents sources"),
    Kind("section", OFO + "SourceSection", "Source sections", "Sections des sources"),
)
KINDS_BY_SLUG: dict[str, Kind] = {kind.slug: kind for kind in KINDS}

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens, accents transliterated ("Hoceïma" -> "hoceima")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def is_slug(text: str) -> bool:
    """Whether `text` is a well-formed slug."""
    return bool(_SLUG.match(text))


@dataclass(frozen=True)
class Iris:
    """Mints the IRIs of one publication of the data under `base` (ending in "/")."""

    base: str

    def entity(self, kind: str, slug: str) -> str:
        """The IRI of an entity: `{base}id/{kind}/{slug}`."""
        return f"{self.base}id/{kind}/{slug}"

    def kind_prefix(self, kind: str) -> str:
        """The IRI prefix all entities of a kind share."""
        return f"{self.base}id/{kind}/"

    def graph(self, name: str) -> str:
        """The IRI of a named graph: `{base}graph/{name}`."""
        return f"{self.base}graph/{name}"

    @property
    def mentions_graph(self) -> str:
        """The graph the loader writes the computed `schema:mentions` links into."""
        return self.graph("mentions")

    def split_entity(self, iri: str) -> tuple[str, str] | None:
        """(kind, slug) of a local entity IRI, or None for any other IRI."""
        prefix = self.base + "id/"
        if not iri.startswith(prefix):
            return None
        kind, _, slug = iri[len(prefix) :].partition("/")
        if kind not in KINDS_BY_SLUG or not is_slug(slug):
            return None
        return kind, slug

    def is_local(self, iri: str) -> bool:
        """Whether an IRI is minted under this base."""
        return iri.startswith(self.base)


class StaticUrls:
    """Links between the files of the static site, relative to the page being written, so the
    site works under any base path and from the file system."""

    def __init__(self, iris: Iris, current: str = "index.html") -> None:
        self.iris = iris
        self.current = current

    def at(self, current: str) -> StaticUrls:
        """The same policy for another page."""
        return StaticUrls(self.iris, current)

    def _relative(self, target: str) -> str:
        return _relpath(target, posixpath.dirname(self.current) or ".")

    def resource(self, iri: str, suffix: str = ".html") -> str:
        """A page (or data file) about a resource; other sites' IRIs as they are."""
        split = self.iris.split_entity(iri)
        if split is not None:
            kind, slug = split
            return self._relative(f"id/{kind}/{slug}{suffix}")
        if iri.startswith(self.iris.base + "graph/"):
            return self._relative(f"graph/{iri[len(self.iris.base) + 6 :]}.trig")
        return iri

    def listing(self, kind: str, page: int = 1) -> str:
        """The list of all resources of a kind."""
        return self._relative(f"id/{kind}/" + ("index.html" if page == 1 else f"page-{page}.html"))

    def home(self) -> str:
        """The home page."""
        return self._relative("index.html")

    def file(self, path: str) -> str:
        """A file the build writes (dumps, catalog, validation report)."""
        return self._relative(path)

    def asset(self, name: str) -> str:
        """A stylesheet or script."""
        return self._relative(f"static/{name}")

    def sparql(self, query: str | None = None) -> str | None:
        """The SPARQL endpoint: a static site has none."""
        return None

    def incoming(self, iri: str, predicate_key: str, page: int) -> str:
        """A further page of incoming links."""
        split = self.iris.split_entity(iri)
        assert split is not None
        kind, slug = split
        return self._relative(f"id/{kind}/{slug}.{predicate_key}-{page}.html")


@functools.lru_cache(maxsize=4096)
def _relpath(target: str, here: str) -> str:
    # Pages link to the same few files (listings, assets, linked entities) over and over, and
    # relpath resolves both paths against the working directory every time.
    return posixpath.relpath(target, here)


class RootedStaticUrls(StaticUrls):
    """Static links from the base path, for a page that can be served at any depth (404.html)."""

    def __init__(self, iris: Iris) -> None:
        super().__init__(iris, "index.html")
        self.root = urlsplit(iris.base).path

    def _relative(self, target: str) -> str:
        return self.root + target


_SERVER_FILES = {
    "validation/index.html": "validation",
    "catalog.ttl": "catalog",
    "void.ttl": ".well-known/void",
    "ontology.ttl": "ontology",
}


class ServerUrls:
    """Links between the server's pages: paths under the base path. Entity links are the IRIs'
    own paths, so following one dereferences the IRI; a language chosen with `?lang=` is kept."""

    def __init__(self, iris: Iris, language: str | None = None) -> None:
        self.iris = iris
        self.root = urlsplit(iris.base).path or "/"
        self.language = language

    def _page(self, path: str, query: dict[str, str] | None = None) -> str:
        parameters = dict(query or {})
        if self.language:
            parameters["lang"] = self.language
        suffix = ("?" + urlencode(parameters)) if parameters else ""
        return self.root + path + suffix

    def resource(self, iri: str, suffix: str = ".html") -> str:
        """The page of a local resource (its IRI's path), or a twin with `suffix`."""
        split = self.iris.split_entity(iri)
        if split is not None:
            kind, slug = split
            if suffix == ".html":
                return self._page(f"id/{kind}/{quote(slug)}")
            return self.root + f"id/{kind}/{quote(slug)}{suffix}"
        if iri.startswith(self.iris.base + "graph/"):
            return self.root + "graph/" + quote(iri[len(self.iris.base) + 6 :])
        return iri

    def listing(self, kind: str, page: int = 1) -> str:
        """The list of all resources of a kind."""
        return self._page(f"id/{kind}/", {"page": str(page)} if page > 1 else None)

    def home(self) -> str:
        """The home page."""
        return self._page("")

    def file(self, path: str) -> str:
        """A dataset-level resource or a published file."""
        path, _, fragment = path.partition("#")
        target = _SERVER_FILES.get(path, path)
        shown = self._page(target) if target == "validation" else self.root + target
        return shown + (f"#{fragment}" if fragment else "")

    def asset(self, name: str) -> str:
        """A stylesheet or script."""
        return self.root + f"static/{name}"

    def sparql(self, query: str | None = None) -> str | None:
        """The SPARQL endpoint, with a query when given."""
        return self._page("sparql", {"query": query} if query else None)

    def incoming(self, iri: str, predicate_key: str, page: int) -> str:
        """A further page of incoming links."""
        split = self.iris.split_entity(iri)
        assert split is not None
        kind, slug = split
        return self._page(
            f"id/{kind}/{quote(slug)}", {"incoming": predicate_key, "page": str(page)}
        )


def linkable(iri: str) -> bool:
    """Whether an IRI from the data may become a link: only schemes a browser fetches or mails,
    so an IRI such as `javascript:...` in someone's data is shown as text, never followed."""
    scheme, _, _ = iri.partition(":")
    return scheme.lower() in _LINKABLE_SCHEMES


_LINKABLE_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})

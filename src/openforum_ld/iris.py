"""The one place that knows the shape of IRIs: namespaces, kinds, entity and graph IRIs."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

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
        return _split_entity(self.base, iri)

    def is_local(self, iri: str) -> bool:
        """Whether an IRI is minted under this base."""
        return iri.startswith(self.base)


@functools.lru_cache(maxsize=1 << 16)
def _split_entity(base: str, iri: str) -> tuple[str, str] | None:
    # Asked for every link of every page: the same IRIs over and over.
    prefix = base + "id/"
    if not iri.startswith(prefix):
        return None
    kind, _, slug = iri[len(prefix) :].partition("/")
    if kind not in KINDS_BY_SLUG or not is_slug(slug):
        return None
    return kind, slug


def linkable(iri: str) -> bool:
    """Whether an IRI from the data may become a link: only schemes a browser fetches or mails,
    so an IRI such as `javascript:...` in someone's data is shown as text, never followed."""
    scheme, _, _ = iri.partition(":")
    return scheme.lower() in _LINKABLE_SCHEMES


_LINKABLE_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})

"""What each resource can be sent as, in the order it is preferred: the server negotiates among
these, and the rewrite rules for static hosts make the same choices from the same table."""

from __future__ import annotations

from dataclasses import dataclass

from openforum_ld.rdf.formats import (
    RDF_FORMATS,
    RESULTS_FORMATS,
    RdfFormat,
    ResultsFormat,
)
from openforum_ld.views.entity import ENTITY_FORMATS

HTML = "text/html"


@dataclass(frozen=True)
class Offer:
    """A representation a resource offers: its media types (canonical first) and what it is."""

    key: str
    media_types: tuple[str, ...]
    format: RdfFormat | ResultsFormat | None  # None for HTML

    @property
    def media_type(self) -> str:
        return self.media_types[0]


_HTML_OFFER = Offer("html", (HTML, "application/xhtml+xml"), None)


def _offers(formats: tuple[RdfFormat, ...] | tuple[ResultsFormat, ...]) -> tuple[Offer, ...]:
    return tuple(Offer(f.key, f.media_types, f) for f in formats)


#: A SELECT or ASK result, and a CONSTRUCT or DESCRIBE result: the standard default first, so
#: `*/*` gets it; HTML last, so only clients that ask for it get it.
RESULT_OFFERS = (*_offers(RESULTS_FORMATS), _HTML_OFFER)
GRAPH_OFFERS = (*_offers(RDF_FORMATS), _HTML_OFFER)
#: An entity IRI: HTML first (browsers, `*/*`), then triple formats, then quad formats, so a
#: client that accepts several RDF formats gets one its plain graph parser reads.
ENTITY_OFFERS = (_HTML_OFFER, *_offers(ENTITY_FORMATS))
#: A named graph is a resource like an entity, negotiated the same way (so a static host's
#: rules serve both): a browser gets its page, an RDF client its description and statements.
GRAPH_RESOURCE_OFFERS = ENTITY_OFFERS

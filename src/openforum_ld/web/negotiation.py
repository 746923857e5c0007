"""Choosing a representation from Accept (q-values, wildcards) or a `format` parameter, among
the offers of `views.offers`. Accept and Accept-Language are parsed by werkzeug, not by hand.
"""

from __future__ import annotations

from functools import lru_cache

from werkzeug.datastructures import LanguageAccept, MIMEAccept
from werkzeug.http import parse_accept_header

from openforum_ld.i18n import DEFAULT_LANGUAGE, LANGUAGES
from openforum_ld.views.offers import GRAPH_OFFERS, HTML, RESULT_OFFERS, Offer


class NotAcceptableError(Exception):
    """Nothing the resource offers fits the request's Accept header."""

    def __init__(self, offers: tuple[Offer, ...]) -> None:
        self.offered = [o.media_type for o in offers]
        super().__init__(
            "none of the offered media types is acceptable: " + ", ".join(self.offered)
        )


def negotiate(
    offers: tuple[Offer, ...], accept: str | None, format_key: str | None = None
) -> Offer:
    """The offer to send. `format` (by key or media type) wins over Accept; no Accept, or an
    empty one, means the first offer; NotAcceptableError when nothing fits."""
    if format_key:
        for offer in offers:
            if format_key == offer.key or format_key in offer.media_types:
                return offer
        raise NotAcceptableError(offers)
    if accept is None or not accept.strip():
        return offers[0]
    best = _best_offer(offers, accept)
    if best is None:
        raise NotAcceptableError(offers)
    return best


# Clients send few distinct Accept headers, and parsing one costs more than answering a small
# query: remember the choice (keyed by the header's text; a bounded cache, so hostile variety
# only evicts).
@lru_cache(maxsize=1024)
def _best_offer(offers: tuple[Offer, ...], accept: str) -> Offer | None:
    parsed = parse_accept_header(accept, MIMEAccept)
    candidates = [media for offer in offers for media in offer.media_types]
    best = parsed.best_match(candidates)
    if best is None:
        return None
    return next(offer for offer in offers if best in offer.media_types)


def negotiate_language(requested: str | None, accept_language: str | None) -> str:
    """The interface language: `?lang=` when supported, else the best of Accept-Language."""
    if requested in LANGUAGES:
        return requested
    if accept_language:
        return _best_language(accept_language)
    return DEFAULT_LANGUAGE


@lru_cache(maxsize=1024)
def _best_language(accept_language: str) -> str:
    parsed = parse_accept_header(accept_language, LanguageAccept)
    return parsed.best_match(LANGUAGES) or DEFAULT_LANGUAGE


__all__ = [
    "GRAPH_OFFERS",
    "HTML",
    "RESULT_OFFERS",
    "NotAcceptableError",
    "Offer",
    "negotiate",
    "negotiate_language",
]

"""Where pages link to: one policy for the static site (relative files, one file per language)
and one for the server (paths under the base, the language as `?lang=`)."""

from __future__ import annotations

import functools
import posixpath
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote, urlencode, urlsplit

from openforum_ld.i18n import DEFAULT_LANGUAGE, LANGUAGES

if TYPE_CHECKING:
    from openforum_ld.iris import Iris


class Urls(Protocol):
    """Where pages link to: relative files for the static site, paths for the server."""

    language: str | None

    def resource(self, iri: str, suffix: str = ".html") -> str: ...
    def listing(self, kind: str, page: int = 1) -> str: ...
    def home(self) -> str: ...
    def file(self, path: str) -> str: ...
    def asset(self, name: str) -> str: ...
    def sparql(self, query: str | None = None) -> str | None: ...
    def search(self) -> str | None: ...
    def incoming(self, iri: str, predicate_key: str, page: int) -> str: ...


def page_in_language(path: str, language: str) -> str:
    """The static file of a page in a language: `x.html` in the main language, `x.fr.html` in
    French. Slugs hold no dots, so the language part is never mistaken for a name."""
    stem = path.removesuffix(".html")
    for code in LANGUAGES:
        stem = stem.removesuffix(f".{code}")
    return f"{stem}.html" if language == DEFAULT_LANGUAGE else f"{stem}.{language}.html"


class StaticUrls:
    """Links between the files of the static site, relative to the page being written, so the
    site works under any base path and from the file system. Pages link to pages in their own
    language."""

    def __init__(
        self, iris: Iris, current: str = "index.html", language: str | None = None
    ) -> None:
        self.iris = iris
        self.current = current
        self.language = language
        self._page_language = language or DEFAULT_LANGUAGE

    def _relative(self, target: str) -> str:
        return _relpath(target, posixpath.dirname(self.current) or ".")

    def _page(self, path: str) -> str:
        return self._relative(page_in_language(path, self._page_language))

    def resource(self, iri: str, suffix: str = ".html") -> str:
        """A page (or data file) about a resource or a named graph; other sites' IRIs as they
        are."""
        if "#" in iri and self.iris.is_local(iri):  # a hash IRI: a place in its document's page
            document, _, fragment = iri.partition("#")
            return self.resource(document, suffix) + (f"#{fragment}" if suffix == ".html" else "")
        split = self.iris.split_entity(iri)
        if split is not None:
            kind, slug = split
            if suffix == ".html":
                return self._page(f"id/{kind}/{slug}.html")
            return self._relative(f"id/{kind}/{slug}{suffix}")
        if iri.startswith(self.iris.base + "graph/"):
            stem = f"graph/{iri[len(self.iris.base) + 6 :]}"
            return (
                self._page(f"{stem}.html") if suffix == ".html" else self._relative(stem + suffix)
            )
        return iri

    def listing(self, kind: str, page: int = 1) -> str:
        """The list of all resources of a kind."""
        return self._page(f"id/{kind}/" + ("index.html" if page == 1 else f"page-{page}.html"))

    def home(self) -> str:
        """The home page."""
        return self._page("index.html")

    def file(self, path: str) -> str:
        """A file the build writes (dumps, catalog, validation page)."""
        target, _, fragment = path.partition("#")
        shown = self._page(target) if target.endswith(".html") else self._relative(target)
        return shown + (f"#{fragment}" if fragment else "")

    def asset(self, name: str) -> str:
        """A stylesheet or script."""
        return self._relative(f"static/{name}")

    def sparql(self, query: str | None = None) -> str | None:
        """The SPARQL endpoint: a static site has none."""
        return None

    def search(self) -> str | None:
        """The search page: a static site has none."""
        return None

    def incoming(self, iri: str, predicate_key: str, page: int) -> str:
        """A further page of incoming links."""
        split = self.iris.split_entity(iri)
        assert split is not None
        kind, slug = split
        return self._page(f"id/{kind}/{slug}.{predicate_key}-{page}.html")

    def translation(self, language: str) -> str:
        """This page in another language."""
        return _relpath(
            page_in_language(self.current, language), posixpath.dirname(self.current) or "."
        )


@functools.lru_cache(maxsize=1 << 16)
def _relpath(target: str, here: str) -> str:
    """`target` seen from the directory `here`, both paths in the site: what
    `posixpath.relpath` gives, without resolving both against the working directory on every
    link (a page links to dozens of files, the same ones over and over)."""
    into = [part for part in target.split("/") if part not in ("", ".")]
    start = [part for part in here.split("/") if part not in ("", ".")]
    if ".." in into or ".." in start:  # not a path the site writes, but answered all the same
        return posixpath.relpath(target, here)
    common = 0
    for mine, theirs in zip(into, start, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + into[common:]) or "."


class RootedStaticUrls(StaticUrls):
    """Static links from the base path, for a page that can be served at any depth (404.html)."""

    def __init__(self, iris: Iris, language: str | None = None) -> None:
        super().__init__(iris, "index.html", language)
        self.root = urlsplit(iris.base).path

    def _relative(self, target: str) -> str:
        return self.root + target

    def translation(self, language: str) -> str:
        return self.root + page_in_language("404.html", language)


_SERVER_FILES = {
    "validation/index.html": "validation",
    "not-in-sources/index.html": "not-in-sources",
    "uri-policy.html": "uri-policy",
    "catalog.ttl": "catalog",
    "void.ttl": ".well-known/void",
    "ontology.ttl": "ontology",
}

#: The dataset-level pages the server renders (in the reader's language), not files it sends:
#: their links keep the language chosen with ?lang=.
_SERVER_PAGES = frozenset({"validation", "not-in-sources", "uri-policy"})


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
        if "#" in iri and self.iris.is_local(iri):  # a hash IRI: a place in its document's page
            document, _, fragment = iri.partition("#")
            return self.resource(document, suffix) + (
                f"#{quote(fragment)}" if suffix == ".html" else ""
            )
        split = self.iris.split_entity(iri)
        if split is not None:
            kind, slug = split
            if suffix == ".html":
                return self._page(f"id/{kind}/{quote(slug)}")
            return self.root + f"id/{kind}/{quote(slug)}{suffix}"
        if iri.startswith(self.iris.base + "graph/"):
            stem = "graph/" + quote(iri[len(self.iris.base) + 6 :])
            return self._page(stem) if suffix == ".html" else self.root + stem + suffix
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
        if target.startswith("releases/") and target.endswith("/index.html"):
            target = target.removesuffix("index.html")  # served at the directory's address
            shown = self._page(target)
        else:
            shown = self._page(target) if target in _SERVER_PAGES else self.root + target
        return shown + (f"#{fragment}" if fragment else "")

    def asset(self, name: str) -> str:
        """A stylesheet or script."""
        return self.root + f"static/{name}"

    def sparql(self, query: str | None = None) -> str | None:
        """The SPARQL endpoint, with a query when given."""
        return self._page("sparql", {"query": query} if query else None)

    def search(self) -> str | None:
        """The search page (the form adds the query)."""
        return self.root + "search"

    def incoming(self, iri: str, predicate_key: str, page: int) -> str:
        """A further page of incoming links."""
        split = self.iris.split_entity(iri)
        assert split is not None
        kind, slug = split
        return self._page(
            f"id/{kind}/{quote(slug)}", {"incoming": predicate_key, "page": str(page)}
        )

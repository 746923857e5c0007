"""What every view reads: a store to ask, and what the build recorded about the publication."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from openforum_ld.views.describe import Describer
from openforum_ld.views.pages import SiteInfo

if TYPE_CHECKING:
    from openforum_ld.iris import Iris
    from openforum_ld.publication import Manifest
    from openforum_ld.rdf.terms import TermLabels
    from openforum_ld.store import SparqlStore
    from openforum_ld.views.search import LabelSearch
    from openforum_ld.views.source_text import SourceTexts


@dataclass
class ViewContext:
    """The store (embedded, or an endpoint), the publication's IRIs, the names of vocabulary
    terms, and the manifest: the counts, graphs, dumps, shapes and verdict the build recorded.
    The static build and every server process make one; views take nothing else."""

    store: SparqlStore
    iris: Iris
    terms: TermLabels
    manifest: Manifest
    labels: LabelSearch | None = None
    blank_nodes: bool = True  # whether documents may hold blank nodes
    texts: SourceTexts | None = None  # the publication's source texts, for section pages

    @cached_property
    def describer(self) -> Describer:
        """Describes resources of the store (it reads the sources once)."""
        return Describer(self.store, self.iris, self.terms, self.manifest.languages[0])

    @property
    def site(self) -> SiteInfo:
        """What every page's footer says."""
        return SiteInfo.of(self.manifest)

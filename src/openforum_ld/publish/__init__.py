"""publish: one build makes the publication: dumps, VoID, a DCAT catalog, the static site in
every language, the validation report, and `.server/` (store, index, manifest) for servers.

The build validates first and writes nothing when the data does not conform. It writes into a
temporary directory beside the output and swaps the two at the end, so a build that fails or is
killed leaves the previous publication as it was; a previous publication a server still reads
is set aside, not deleted, until no server reads it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import io
import json
import os
import shutil
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import rdflib

from openforum_ld import __version__
from openforum_ld.errors import InvalidDataError, PublishError
from openforum_ld.iris import NAMESPACES, ONTOLOGY_IRI
from openforum_ld.load import load_configured
from openforum_ld.publication import in_use
from openforum_ld.publish.catalog import (
    PublicationIris,
    dcat_catalog,
    void_description,
    write_build_record,
)
from openforum_ld.publish.dumps import file_sha256, write_dumps
from openforum_ld.publish.history import last_commit_time
from openforum_ld.publish.ledger import Ledger
from openforum_ld.publish.manifest import make_manifest, read_shapes
from openforum_ld.publish.quality import (
    describe_quality,
    validation_figures,
    with_checked_counts,
)
from openforum_ld.publish.releases import describe_releases, link_releases, prepare_releases
from openforum_ld.publish.rewrites import write_rewrite_rules
from openforum_ld.publish.server_files import write_manifest, write_server_files
from openforum_ld.publish.site import SiteWriter, entity_iris
from openforum_ld.publish.site_workers import PageJob, worker_count, write_pages
from openforum_ld.publish.source_texts import read_source_texts
from openforum_ld.rdf.convert import from_rdflib_graph
from openforum_ld.rdf.formats import TURTLE
from openforum_ld.rdf.graph import write_graph
from openforum_ld.rdf.jsonld import build_context
from openforum_ld.rdf.serialize import write_turtle
from openforum_ld.rdf.terms import TermLabels
from openforum_ld.rdf.writers import WriteOptions, rdf_bytes
from openforum_ld.store import process_running
from openforum_ld.validate import load_shapes, validate_dataset
from openforum_ld.validate.languages import put_in_forum_languages
from openforum_ld.views.context import ViewContext
from openforum_ld.views.source_text import SourceTexts

if TYPE_CHECKING:
    from collections.abc import Callable

    from openforum_ld.config import Settings
    from openforum_ld.load import Dataset
    from openforum_ld.publication import Manifest
    from openforum_ld.publish.dumps import Dump
    from openforum_ld.publish.quality import ValidationFigures
    from openforum_ld.publish.releases import ReleaseState
    from openforum_ld.validate import ValidationReport


@dataclass(frozen=True)
class BuildSummary:
    """What a build wrote."""

    out: Path
    files: int
    bytes: int
    triples: int
    seconds: float
    date: str
    # The validation the build passed, for its warnings (near-identical names).
    report: ValidationReport | None = None

    def line(self) -> str:
        """The summary a person reads at the end of a build."""
        return (
            f"Built {self.out}: {self.files:,} files, {self.bytes:,} bytes, "
            f"{self.triples:,} triples, {self.seconds:.2f} s"
        )


def publication_date(settings: Settings, inputs: list[Path]) -> str:
    """The date the publication carries: SOURCE_DATE_EPOCH when set; else the day of the last
    commit that changed the inputs, when they are committed in git (a fresh clone's files all
    carry the time of the checkout, which is not the data's); else the day the newest input
    file was modified. Never the clock, so the same inputs build the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), UTC)
        except ValueError:
            raise PublishError(
                f"SOURCE_DATE_EPOCH must be a number of seconds, got {epoch!r}"
            ) from None
    else:
        committed = last_commit_time(inputs)
        moment = datetime.fromtimestamp(
            committed if committed is not None else max(p.stat().st_mtime for p in inputs), UTC
        )
    return moment.date().isoformat()


def build(
    settings: Settings,
    out: Path,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    pages: bool = True,
    dataset: Dataset | None = None,
) -> BuildSummary:
    """Validate, then write the whole publication for `settings.base_uri` into `out`: dumps,
    descriptions, the static site in every language, and `.server/` for servers. Without
    `pages` the entity pages, listings and graphs are left out (a server renders them itself):
    for benchmarks on large data."""
    started = time.perf_counter()
    report_progress = progress or (lambda step, done, total: None)
    if dataset is None:
        dataset = load_configured(settings)
    shapes_graph = load_shapes(settings.shapes_dir)
    report = validate_dataset(dataset, settings.shapes_dir, settings.languages)
    if not report.conforms:
        raise InvalidDataError(report)
    dataset.forget_locations()  # the report holds the places it gives; nothing else asks
    # Validation used to set the in-memory store aside (written out and read back) for
    # pyshacl; the pages list statements in the store's order, and the order of a store read
    # back is kept so that a build writes the bytes it wrote before (issue 18).
    with dataset.store.set_aside():
        pass

    inputs = [source.path for source in dataset.files] + sorted(settings.shapes_dir.glob("*.ttl"))
    date = publication_date(settings, inputs)
    issued = settings.issued or date
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise PublishError(f"{out} exists and is not a directory")
    had_previous = out.exists()
    work = out.parent / f".{out.name}.build-{os.getpid()}"
    written = Ledger()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_publications(out)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        entities = entity_iris(dataset.store, dataset.iris) if pages else []
        total = len(entities) + 7

        report_progress("dumps", 0, total)
        workers = worker_count(settings.build_workers)
        dumps = write_dumps(
            dataset.store,
            settings.base_uri,
            work,
            settings.dataset_name,
            settings.license,
            workers,
        )
        for dump in dumps:
            written.add(dump.path, (dump.sha256, dump.size))
        written.add("dumps/SHA256SUMS")
        releases = prepare_releases(
            settings, out, work, dumps, date, dataset.store.default_graph_size()
        )
        written.extend(releases.files)
        report_progress("catalog", 1, total)
        quality = validation_figures(report, shapes_graph, dataset.store)
        written.extend(
            _write_descriptions(work, dataset, settings, dumps, releases, quality, date, issued)
        )
        # The pages say what the shapes checked: with the forum's languages, as validated.
        validated_shapes = rdflib.Graph()
        validated_shapes += shapes_graph
        put_in_forum_languages(validated_shapes, settings.languages)
        shapes = read_shapes(validated_shapes, dataset.store)
        manifest = replace(
            with_checked_counts(
                make_manifest(settings, dataset, report, shapes, dumps, date), quality
            ),
            releases=releases.releases,
            release=releases.current,
            unreleased=releases.unreleased,
        )
        texts = read_source_texts(dataset.store, dataset.iris, settings.sources_dir)
        ctx = view_context(dataset, settings, manifest, work)
        site_pages = SiteWriter(work, ctx, written.add)
        site_pages.write_source_texts(texts)
        jobs: list[PageJob] = [("entity", iri) for iri in entities]
        if pages:
            jobs += [("graph", name) for name in site_pages.graph_names()]
        total = len(jobs) + 7
        write_pages(
            site_pages,
            jobs,
            workers,
            lambda done: report_progress("pages", 1 + done, total),
        )
        if pages:
            site_pages.write_listings()
            site_pages.write_retired()
        site_pages.write_home()
        site_pages.write_releases()
        site_pages.write_diagrams()
        site_pages.write_validation(_report_turtle(report))
        site_pages.write_not_in_sources()
        report_progress("site", total - 5, total)
        site_pages.write_extras(_ontology_turtle(dataset), _context(settings.base_uri))
        version = {
            "version": dataset.version,
            "date": date,
            "software": __version__,
            **({"release": releases.current} if releases.current else {}),
        }
        (work / "version.json").write_text(json.dumps(version, indent=1) + "\n", encoding="utf-8")
        written.add("version.json")
        report_progress("store", total - 3, total)
        redirects, withdrawn = write_server_files(work, dataset)
        written.extend(write_rewrite_rules(work, settings.base_uri, redirects, withdrawn, manifest))
        texts_read = [settings.sources_dir / p.removeprefix("sources/") for p in sorted(texts)]
        input_records = [
            (_shown(p, settings), file_sha256(p), p.stat().st_size) for p in inputs + texts_read
        ]
        write_build_record(
            settings,
            input_records,
            written.paths(),
            partial(written.checksum, work),
            date,
            work / "build.ttl",
        )
        written.add("build.ttl")
        write_manifest(work, manifest)  # last: a publication without one is not finished
        report_progress("swap", total - 1, total)
        os.sync()
        _swap_into_place(work, out)
        report_progress("done", total, total)
    except OSError as error:
        raise PublishError(_write_error(error, work, out, had_previous)) from None
    finally:
        # After the swap `work` holds the previous publication (kept while a server reads it);
        # before it, a partial one.
        _retire(work, out)
    files = written.paths()
    return BuildSummary(
        out=out,
        files=len(files),
        bytes=sum((out / p).stat().st_size for p in files),
        triples=manifest.triples,
        seconds=time.perf_counter() - started,
        date=date,
        report=report,
    )


def view_context(
    dataset: Dataset, settings: Settings, manifest: Manifest, root: Path
) -> ViewContext:
    """What the views of a publication being written into `root` read: its store, its
    manifest, the ontology's labels and the source texts written there."""
    return ViewContext(
        dataset.store,
        dataset.iris,
        TermLabels(sorted(settings.ontology_dir.glob("*.ttl"))),
        manifest,
        blank_nodes=manifest.blank_nodes,
        texts=SourceTexts(root),
    )


def _write_descriptions(
    work: Path,
    dataset: Dataset,
    settings: Settings,
    dumps: list[Dump],
    releases: ReleaseState,
    quality: ValidationFigures,
    date: str,
    issued: str,
) -> list[str]:
    """VoID (also at .well-known/void) and the DCAT catalog, each with the quality measurements
    and the releases; returns the paths written."""
    dataset_iri = PublicationIris(settings.base_uri).dataset
    void = void_description(dataset, settings, dumps, date, issued)
    describe_quality(void, settings.base_uri, dataset_iri, quality, date)
    link_releases(void, settings, releases)
    catalog = dcat_catalog(dataset, settings, dumps, date, issued)
    describe_quality(catalog, settings.base_uri, dataset_iri, quality, date)
    describe_releases(catalog, settings, releases)
    paths = {"void.ttl": void, ".well-known/void": void, "catalog.ttl": catalog}
    for path, graph in paths.items():
        write_graph(graph, work / path, settings.base_uri)
    return list(paths)


def _report_turtle(report: ValidationReport) -> bytes:
    store = ox.Store()
    store.bulk_extend(from_rdflib_graph(report.graph))
    return rdf_bytes(store, TURTLE, WriteOptions())


def _ontology_turtle(dataset: Dataset) -> bytes:
    buffer = io.StringIO()
    write_turtle(dataset.store.oxigraph, buffer, dict(NAMESPACES), ox.NamedNode(ONTOLOGY_IRI))
    return buffer.getvalue().encode()


def _context(base: str) -> str:
    return json.dumps({"@context": build_context(base)}, ensure_ascii=False, indent=1) + "\n"


def _write_error(error: OSError, work: Path, out: Path, had_previous: bool) -> str:
    """What a failed write means to the operator: the reason (a full disk, a file size limit),
    the file being written, and that the previous publication is as it was."""
    message = f"cannot write the publication: {error.strerror or error}"
    if error.filename:
        written = Path(os.fsdecode(error.filename))
        with contextlib.suppress(ValueError):
            written = written.relative_to(work)  # the file's place in the publication
        message += f" (writing {written})"
    if had_previous:
        return message + f"; the previous publication in {out} is unchanged"
    return message + "; nothing was published"


def _shown(path: Path, settings: Settings) -> str:
    for root in (
        settings.data_dir,
        settings.ontology_dir,
        settings.shapes_dir,
        settings.sources_dir,
    ):
        with contextlib.suppress(ValueError):
            return f"{root.name}/{path.resolve().relative_to(root.resolve())}"
    return path.name


def remove_stale_publications(out: Path) -> None:
    """Directories beside `out` that nobody needs any more: builds whose process was killed,
    and earlier publications no server reads."""
    for stale in out.parent.glob(f".{out.name}.build-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not process_running(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    for retired in out.parent.glob(f".{out.name}.retired-*"):
        if not in_use(retired):
            shutil.rmtree(retired, ignore_errors=True)


def _retire(work: Path, out: Path) -> None:
    """Remove `work`, or, when it is a publication a server still reads, set it aside under a
    name the next build looks at (`remove_stale_publications`)."""
    if not work.exists():
        return
    if in_use(work):
        work.rename(out.parent / f".{out.name}.retired-{os.getpid()}-{time.time_ns()}")
        return
    shutil.rmtree(work, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _swap_into_place(work: Path, out: Path) -> None:
    """Put `work` at `out`. When `out` exists the two are exchanged in one step (Linux
    renameat2), so `out` is never missing; elsewhere the old directory is moved aside first."""
    if not out.exists():
        work.rename(out)
        return
    if _exchange(work, out):
        return
    aside = out.parent / f".{out.name}.previous-{os.getpid()}"
    out.rename(aside)
    work.rename(out)
    aside.rename(work)


def _exchange(first: Path, second: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))

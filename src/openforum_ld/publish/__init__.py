"""publish: one build makes dumps, VoID, a DCAT catalog, a static site and the validation report.

The build validates first and writes nothing when the data does not conform. It writes into a
temporary directory beside the output and swaps the two at the end, so a build that fails or is
killed leaves the previous publication as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from openforum_ld import __version__
from openforum_ld.errors import InvalidDataError, PublishError
from openforum_ld.load import load_dataset
from openforum_ld.publish.catalog import (
    dcat_catalog,
    void_description,
    write_build_record,
    write_graph,
)
from openforum_ld.publish.dumps import file_sha256, write_dumps
from openforum_ld.publish.site import SiteWriter, read_shapes
from openforum_ld.rdf.terms import TermLabels
from openforum_ld.store import process_running
from openforum_ld.validate import load_shapes, validate_dataset
from openforum_ld.views.describe import Describer
from openforum_ld.views.pages import SiteInfo

if TYPE_CHECKING:
    from collections.abc import Callable

    from openforum_ld.config import Settings
    from openforum_ld.load import Dataset


@dataclass(frozen=True)
class BuildSummary:
    """What a build wrote."""

    out: Path
    files: int
    bytes: int
    triples: int
    seconds: float
    date: str

    def line(self) -> str:
        """The summary a person reads at the end of a build."""
        return (
            f"Built {self.out}: {self.files:,} files, {self.bytes:,} bytes, "
            f"{self.triples:,} triples, {self.seconds:.2f} s"
        )


def publication_date(settings: Settings, inputs: list[Path]) -> str:
    """The date the publication carries: SOURCE_DATE_EPOCH when set, else the day the newest
    input file was modified. Never the clock, so the same inputs build the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), UTC)
        except ValueError:
            raise PublishError(
                f"SOURCE_DATE_EPOCH must be a number of seconds, got {epoch!r}"
            ) from None
    else:
        moment = datetime.fromtimestamp(max(p.stat().st_mtime for p in inputs), UTC)
    return moment.date().isoformat()


def build(
    settings: Settings,
    out: Path,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    pages: bool = True,
    dataset: Dataset | None = None,
) -> BuildSummary:
    """Validate, then write the whole publication for `settings.base_uri` into `out`. Without
    `pages`, only the dataset-level files (what a server needs beside its own pages)."""
    started = time.perf_counter()
    report_progress = progress or (lambda step, done, total: None)
    if dataset is None:
        dataset = load_dataset(
            settings.data_dir, settings.ontology_dir, settings.base_uri, settings.store_dir
        )
    report = validate_dataset(dataset, settings.shapes_dir)
    if not report.conforms:
        raise InvalidDataError(report)

    inputs = [source.path for source in dataset.files] + sorted(settings.shapes_dir.glob("*.ttl"))
    date = publication_date(settings, inputs)
    issued = settings.issued or date
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise PublishError(f"{out} exists and is not a directory")
    had_previous = out.exists()
    work = out.parent / f".{out.name}.build-{os.getpid()}"
    written: list[str] = []
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_builds(out)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        terms = TermLabels(settings.ontology_dir)
        describer = Describer(dataset.store, dataset.iris, terms)
        site = SiteInfo(settings.license, settings.license_name, dataset.version, __version__)
        writer = SiteWriter(
            work,
            dataset,
            describer,
            terms,
            site,
            read_shapes(load_shapes(settings.shapes_dir)),
            written.append,
        )
        entities = writer.entities() if pages else []
        total = len(entities) + 6

        report_progress("dumps", 0, total)
        dumps = write_dumps(dataset.store, settings.base_uri, work, settings.dataset_name)
        written.extend(d.path for d in dumps)
        written.append("dumps/SHA256SUMS")
        report_progress("catalog", 1, total)
        void = void_description(dataset, settings, dumps, date, issued)
        for path in ("void.ttl", ".well-known/void"):
            write_graph(void, work / path, settings.base_uri)
            written.append(path)
        write_graph(
            dcat_catalog(dataset, settings, dumps, date, issued),
            work / "catalog.ttl",
            settings.base_uri,
        )
        written.append("catalog.ttl")
        for done, iri in enumerate(entities, start=2):
            writer.write_entity(iri)
            report_progress("pages", done, total)
        if pages:
            writer.write_listings()
            writer.write_home(dumps)
            writer.write_graphs()
        writer.write_validation(report)
        report_progress("site", total - 2, total)
        writer.write_extras([p for p in written if p.endswith(".html") and p != "404.html"], date)
        version = {"version": dataset.version, "date": date, "software": __version__}
        (work / "version.json").write_text(json.dumps(version, indent=1) + "\n", encoding="utf-8")
        written.append("version.json")
        input_records = [(_shown(p, settings), file_sha256(p), p.stat().st_size) for p in inputs]
        write_build_record(settings, input_records, set(written), work, date, work / "build.ttl")
        written.append("build.ttl")
        report_progress("swap", total - 1, total)
        os.sync()
        _swap_into_place(work, out)
        report_progress("done", total, total)
    except OSError as error:
        raise PublishError(_write_error(error, work, out, had_previous)) from None
    finally:
        # After the swap `work` holds the previous publication; before it, a partial one.
        shutil.rmtree(work, ignore_errors=True)
    files = sorted(set(written))
    return BuildSummary(
        out=out,
        files=len(files),
        bytes=sum((out / p).stat().st_size for p in files),
        triples=dataset.store.default_graph_size(),
        seconds=time.perf_counter() - started,
        date=date,
    )


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
    for root in (settings.data_dir, settings.ontology_dir, settings.shapes_dir):
        with contextlib.suppress(ValueError):
            return f"{root.name}/{path.resolve().relative_to(root.resolve())}"
    return path.name


def _remove_stale_builds(out: Path) -> None:
    """Temporary directories of builds that were killed: their process is gone."""
    for stale in out.parent.glob(f".{out.name}.build-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not process_running(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


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

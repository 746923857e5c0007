"""Dumps: each one VoID or DCAT declares downloads, with the declared media type, size and
checksum, and parses as RDF. Each dump is downloaded once, streamed, up to a size limit."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from openforum_ld.check.client import FetchError, describe, iter_body, media_type
from openforum_ld.check.probe import ProbeList, Verdict, combine, failed, passed, skipped
from openforum_ld.check.rdf import (
    RDF_PARSERS,
    RDF_SUFFIXES,
    RdfError,
    RemoteContextError,
    is_rdf,
    parse_rdf,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from openforum_ld.check.discovery import Deployment, Dump

probes = ProbeList()

#: Most bytes (after gunzip) parsed; line-based formats are parsed up to here, others skipped.
PARSE_LIMIT = 16 * 1024 * 1024
_LINE_BASED = {"nt", "nquads"}
_GZIP_TYPES = {"application/gzip", "application/x-gzip"}
#: SPDX algorithm names that hashlib spells differently.
_HASHLIB_NAMES = {
    "sha3_256": "sha3_256",
    "sha3_384": "sha3_384",
    "sha3_512": "sha3_512",
    "blake2b512": "blake2b",
}


@dataclass
class Download:
    """What downloading a dump found."""

    dump: Dump
    exchange: str = ""
    problem: str | None = None  # why it did not download
    size: int = 0
    complete: bool = True  # False when it was cut at the size limit
    digest: str | None = None
    served_type: str = ""
    gzipped: bool = False
    head: bytes = b""  # the first PARSE_LIMIT bytes after gunzip
    cut: bool = False  # True when the content goes on past `head`


def _hasher(algorithm: str | None) -> hashlib._Hash | None:
    if algorithm is None:
        return None
    try:
        return hashlib.new(_HASHLIB_NAMES.get(algorithm, algorithm))
    except ValueError:
        return None


def _download(deployment: Deployment, dump: Dump) -> Download:
    found = Download(dump)
    hasher = _hasher(dump.algorithm)
    limit = deployment.options.max_dump_bytes
    # identity: the declared size and checksum are those of the file, not of a re-encoding
    headers = {"Accept-Encoding": "identity"}
    try:
        with deployment.client.stream(dump.url, accept="*/*", headers=headers) as response:
            found.exchange = describe(response)
            found.served_type = media_type(response)
            if not response.is_success:
                found.problem = f"{found.exchange}: expected a 2xx"
                return found
            inflate: zlib._Decompress | None = None
            kept = bytearray()
            for chunk in iter_body(response):
                if found.size == 0 and chunk[:2] == b"\x1f\x8b":
                    found.gzipped = True
                    inflate = zlib.decompressobj(wbits=31)
                if found.size + len(chunk) > limit:
                    chunk = chunk[: limit - found.size]
                    found.complete = False
                found.size += len(chunk)
                if hasher is not None:
                    hasher.update(chunk)
                if not found.cut:
                    room = PARSE_LIMIT + 1 - len(kept)
                    kept += inflate.decompress(chunk, room) if inflate is not None else chunk
                    if len(kept) > PARSE_LIMIT:
                        found.cut = True
                        del kept[PARSE_LIMIT:]
                if not found.complete:
                    break
    except FetchError as error:
        found.problem = str(error)
        return found
    except zlib.error as error:
        found.problem = f"{found.exchange}: the gzip stream is broken: {error}"
        return found
    found.head = bytes(kept)
    if hasher is not None and found.complete:
        found.digest = hasher.hexdigest()
    return found


def downloads(deployment: Deployment) -> list[Download]:
    """Every declared dump on an origin the check may contact, downloaded once."""

    def download_all() -> list[Download]:
        return [
            _download(deployment, dump)
            for dump in deployment.dumps
            if deployment.client.allows(dump.url)
        ]

    return deployment.memo("dumps", download_all)


def _each(deployment: Deployment, judge: Callable[[Download], Verdict]) -> Verdict:
    verdicts = [
        skipped(f"<{d.url}> is on another origin: not downloaded")
        for d in deployment.dumps
        if not deployment.client.allows(d.url)
    ]
    for found in downloads(deployment):
        if found.problem is not None:
            verdicts.append(skipped(f"<{found.dump.url}> did not download (see dumps.download)"))
        else:
            verdicts.append(judge(found))
    return combine(verdicts, "no dump is declared (see dumps.declared)")


@probes.add("dumps.declared", "VoID or DCAT declares at least one data dump")
def declared(deployment: Deployment) -> Verdict:
    if deployment.dumps:
        return passed(
            "\n".join(f"<{d.url}> ({', '.join(d.declared_by)})" for d in deployment.dumps)
        )
    if deployment.described() is None:
        return failed(
            "no VoID or DCAT was found to declare dumps (see void.reachable, dcat.reachable)"
        )
    return failed(
        "neither the VoID (void:dataDump) nor the DCAT catalog (dcat:downloadURL) declares a dump"
    )


@probes.add("dumps.download", "Each declared dump downloads")
def download(deployment: Deployment) -> Verdict:
    verdicts = [
        skipped(f"<{d.url}> is on another origin: not downloaded")
        for d in deployment.dumps
        if not deployment.client.allows(d.url)
    ]
    for found in downloads(deployment):
        if found.problem is not None:
            verdicts.append(failed(found.problem))
        elif not found.complete:
            verdicts.append(
                passed(
                    f"{found.exchange}: over {deployment.options.max_dump_bytes} bytes; stopped there"
                )
            )
        else:
            verdicts.append(passed(f"{found.exchange}: {found.size} bytes"))
    return combine(verdicts, "no dump is declared (see dumps.declared)")


def _media_type(found: Download) -> Verdict:
    declared = found.dump.media_type
    if declared is None:
        return skipped(f"<{found.dump.url}> declares no dcat:mediaType")
    compressed = found.dump.compression or ("application/gzip" if found.gzipped else None)
    allowed = {declared}
    if compressed:
        allowed |= {compressed} | _GZIP_TYPES
    if found.served_type not in allowed:
        return failed(
            f"{found.exchange}: declared as {declared}" + (f" ({compressed})" if compressed else "")
        )
    return passed(f"{found.exchange}: declared as {declared}")


@probes.add("dumps.media-type", "Each dump is served with the media type DCAT declares")
def served_type(deployment: Deployment) -> Verdict:
    return _each(deployment, _media_type)


def _size(found: Download) -> Verdict:
    declared = found.dump.byte_size
    if declared is None:
        return skipped(f"<{found.dump.url}> declares no dcat:byteSize")
    if not found.complete:
        return skipped(f"<{found.dump.url}> is over the download limit: size not verified")
    if found.size != declared:
        return failed(f"{found.exchange}: {found.size} bytes, dcat:byteSize says {declared}")
    return passed(f"<{found.dump.url}>: {found.size} bytes, as declared")


@probes.add("dumps.size", "Each dump has the size dcat:byteSize declares")
def size(deployment: Deployment) -> Verdict:
    return _each(deployment, _size)


def _checksum(found: Download) -> Verdict:
    dump = found.dump
    if dump.checksum is None or dump.algorithm is None:
        return skipped(f"<{dump.url}> declares no spdx:checksum")
    if not found.complete:
        return skipped(f"<{dump.url}> is over the download limit: checksum not verified")
    if found.digest is None:
        return skipped(f"<{dump.url}>: the algorithm {dump.algorithm} is not one the check knows")
    if found.digest != dump.checksum:
        return failed(
            f"{found.exchange}: {dump.algorithm} {found.digest}, spdx:checksumValue says {dump.checksum}"
        )
    return passed(f"<{dump.url}>: {dump.algorithm} {found.digest}, as declared")


@probes.add("dumps.checksum", "Each dump has the checksum spdx:checksum declares")
def checksum(deployment: Deployment) -> Verdict:
    return _each(deployment, _checksum)


def _rdf_type(found: Download) -> str | None:
    for candidate in (found.dump.media_type, found.served_type):
        if candidate and is_rdf(candidate):
            return candidate
    path = found.dump.url.split("?")[0].removesuffix(".gz")
    return next((t for suffix, t in RDF_SUFFIXES.items() if path.endswith(suffix)), None)


def _parses(deployment: Deployment) -> Callable[[Download], Verdict]:
    def judge(found: Download) -> Verdict:
        kind = _rdf_type(found)
        url = found.dump.url
        if kind is None:
            return failed(
                f"{found.exchange}: neither the declared nor the served media type, nor the file name, says which RDF syntax it is"
            )
        data = found.head
        note = ""
        if found.cut or not found.complete:
            if RDF_PARSERS[kind] not in _LINE_BASED:
                why = (
                    f"is over {PARSE_LIMIT} bytes of {kind}"
                    if found.complete
                    else "was cut at the download limit"
                )
                return skipped(f"<{url}> {why}: {kind} cannot be parsed in part")
            data = data[: data.rfind(b"\n") + 1]
            if not data.strip():
                return skipped(f"<{url}>: what was downloaded holds no complete line to parse")
            note = f" (the first {len(data)} bytes)"
        try:
            graph = parse_rdf(data, kind, url, deployment.load_context)
        except RemoteContextError as error:
            return skipped(f"<{url}>: its JSON-LD context <{error}> is on another origin")
        except RdfError as error:
            return failed(f"{found.exchange}: does not parse as {kind}{note}: {error}")
        if not len(graph):
            return failed(f"{found.exchange}: parses as {kind}{note} but holds no triple")
        return passed(
            f"<{url}>: {len(graph)} triples{note} ({kind}{', gzip' if found.gzipped else ''})"
        )

    return judge


@probes.add("dumps.parse", "Each dump parses as RDF (after gunzip)")
def parses(deployment: Deployment) -> Verdict:
    return _each(deployment, _parses(deployment))

"""The publication's files over HTTP, at the same URLs a static host gives them (`/catalog.ttl`,
`/dumps/...`, `/version.json`, ...), through Starlette's StaticFiles.

Their ETags come from the data version and the path, not from the files' times, so replicas
serving copies of one publication answer alike. Nothing whose name starts with a dot is served:
`.server/` (the store and the manifest) and the rewrite rules for static hosts stay private."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles

from openforum_ld.publication import media_type_of
from openforum_ld.web.http import http_date, strong_etag

if TYPE_CHECKING:
    import os

    from starlette.types import Scope

    from openforum_ld.publication import Publication

FILE_CACHE = "public, max-age=3600"


class PublishedFiles(StaticFiles):
    """The files of one publication, read through its handle (see `Publication.root`)."""

    def __init__(self, publication: Publication) -> None:
        # follow_symlink: paths are not resolved, so the handle is followed at every open rather
        # than turned once into a directory name that a new build may take over.
        super().__init__(directory=publication.root, follow_symlink=True)
        self.version = publication.manifest.version
        self.last_modified = http_date(publication.manifest.date)

    async def get_response(self, path: str, scope: Scope) -> Response:
        if any(part.startswith(".") for part in PurePosixPath(path).parts):
            raise HTTPException(status_code=404)
        return await super().get_response(path, scope)

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        relative = PurePosixPath(self.get_path(scope)).as_posix()
        headers = {
            "ETag": strong_etag(self.version, "file", relative),
            "Last-Modified": self.last_modified,
            "Cache-Control": FILE_CACHE,
        }
        response = FileResponse(
            full_path,
            status_code=status_code,
            headers=headers,
            media_type=media_type_of(PurePosixPath(relative).name),
            stat_result=stat_result,
        )
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response

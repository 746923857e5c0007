"""Errors as responses in the format the client asked for, never a traceback.

JSON clients get one pinned shape, `{"ok": false, "status": ..., "title": ..., "detail": ...}`;
browsers get an HTML page; everyone else plain text.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from starlette.responses import Response
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

if TYPE_CHECKING:
    from collections.abc import Callable

    from openforum_ld.web.jobs import Problem

_ERROR_TYPES = ("text/plain", "application/json", "application/problem+json", "text/html")


def problem_response(
    problem: Problem,
    accept: str | None,
    render_html: Callable[[Problem], str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem in the best of plain text, JSON and HTML for the request's Accept header."""
    chosen = "text/plain"
    if accept:
        try:
            chosen = (
                parse_accept_header(accept, MIMEAccept).best_match(_ERROR_TYPES) or "text/plain"
            )
        except ValueError:
            chosen = "text/plain"
    extra = dict(headers or {})
    if problem.offered:
        extra["X-Openforum-Offered"] = ", ".join(problem.offered)
    if chosen in ("application/json", "application/problem+json"):
        body = json.dumps(
            {
                "ok": False,
                "status": problem.status,
                "title": problem.title,
                "detail": problem.detail,
                **({"offered": list(problem.offered)} if problem.offered else {}),
            },
            ensure_ascii=False,
        )
        return Response(body, problem.status, extra, media_type=chosen)
    if chosen == "text/html" and render_html is not None:
        return Response(
            render_html(problem), problem.status, extra, media_type="text/html; charset=utf-8"
        )
    text = f"{problem.status} {problem.title}\n\n{problem.detail}\n"
    if problem.offered:
        text += "\nOffered: " + ", ".join(problem.offered) + "\n"
    return Response(text, problem.status, extra, media_type="text/plain; charset=utf-8")

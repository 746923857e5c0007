"""The `.htaccess` for w3id.org: the rules a publisher submits to the w3id repository
(github.com/perma-id/w3id.org), in its directory for the identifiers' path (`openforum/`), so
that w3id.org forwards every address under the IRIs' base to the host that serves them.

w3id.org only forwards: the host answers, content negotiation included. The forward is
temporary, as w3id practice has it (302 for GET and HEAD, 307 for other methods, which keeps a
SPARQL POST a POST), so clients keep asking w3id.org and the publisher can move the host by
changing one line; the path and the query go along as they are, and the headers a client sent
(Accept, Accept-Language) are sent again to the host by the client itself.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from openforum_ld.errors import PublishError

#: Where the rules forward to unless the publisher says otherwise: a placeholder (the
#: `example.org` domain is reserved for examples), to be replaced by the real host.
PLACEHOLDER_TARGET = "https://openforum.example.org/"
#: The w3id.org path the default base takes.
W3ID_PATH = "openforum"


def w3id_htaccess(target: str = PLACEHOLDER_TARGET, w3id_path: str = W3ID_PATH) -> str:
    """The `.htaccess` of `https://w3id.org/{w3id_path}/`, forwarding to `target` (an http(s)
    URL ending with `/`, under which the publication is served as at its base)."""
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.netloc or not target.endswith("/"):
        raise PublishError(
            f"the w3id target {target!r} must be an http(s) URL with a host, ending with '/' "
            "(for example https://data.example.org/openforum/)"
        )
    if parts.query or parts.fragment or any(c in target for c in " \"'\\$%"):
        raise PublishError(
            f"the w3id target {target!r} must have no query, fragment, spaces, quotes, '$' or '%'"
        )
    placeholder = (
        [
            "# THE TARGET IS A PLACEHOLDER: regenerate this file with the real host before",
            "# submitting it (openforum-ld w3id --target https://your.host/path/).",
        ]
        if target == PLACEHOLDER_TARGET
        else []
    )
    lines = [
        f"# https://w3id.org/{w3id_path}/ : the IRIs of the openforum-ld publication.",
        f"# Everything under it is forwarded to {target}, path and query as they are;",
        "# the host answers, content negotiation included. Written by openforum-ld",
        "# (openforum-ld w3id); see README.md beside this file for the contacts.",
        *placeholder,
        "",
        "RewriteEngine on",
        "",
        "# Temporary forwards, as w3id practice has it: the identifiers stay the w3id ones. A",
        "# GET or HEAD gets 302; any other method 307, which keeps it and its body (a SPARQL",
        "# query sent by POST).",
        "RewriteCond %{REQUEST_METHOD} ^(?:GET|HEAD)$",
        f"RewriteRule ^(.*)$ {target}$1 [R=302,L]",
        f"RewriteRule ^(.*)$ {target}$1 [R=307,L]",
        "",
    ]
    return "\n".join(lines)


def w3id_readme(
    target: str = PLACEHOLDER_TARGET,
    contact: tuple[str, str] = ("", ""),
    w3id_path: str = W3ID_PATH,
) -> str:
    """The README.md w3id asks for beside the rules: what the identifiers are, where they go,
    who to ask (`contact`: the publisher's name and e-mail address, from the settings)."""
    name, email = contact
    who = (
        f"{name} <{email}>"
        if email
        else (
            f"{name}: no e-mail address is configured. Set OPENFORUM_LD_CONTACT_EMAIL and "
            "regenerate this file before submitting it; w3id asks for a contact."
        )
    )
    note = (
        f"\n**The target is a placeholder** ({target}): no public host serves the publication "
        "yet. Regenerate both files with the real host before submitting them.\n"
        if target == PLACEHOLDER_TARGET
        else ""
    )
    return f"""# https://w3id.org/{w3id_path}/

Permanent identifiers of [openforum-ld](https://w3id.org/{w3id_path}/), the proceedings of a
civic forum published as linked open data: entities at `https://w3id.org/{w3id_path}/id/{{kind}}/{{slug}}`,
named graphs at `https://w3id.org/{w3id_path}/graph/{{name}}`, the ontology at
`https://w3id.org/{w3id_path}/ontology`, the dumps, catalog and SPARQL endpoint beside them.

Every address is forwarded (302; 307 for methods other than GET and HEAD) to
{target}, path and query unchanged; that host negotiates the format
and language, redirects replaced identifiers (301) and answers withdrawn ones with 410 and a
tombstone. The URI policy: https://w3id.org/{w3id_path}/uri-policy
{note}
## Contact

{who}

The publisher, as the publication's catalog names it (https://w3id.org/{w3id_path}/catalog).

## Generating these files

    OPENFORUM_LD_CONTACT_EMAIL=you@example.org \\
        openforum-ld w3id --target https://your.host/path/ --out deploy/w3id

writes `.htaccess` and `README.md` for the host and the contact given.
"""

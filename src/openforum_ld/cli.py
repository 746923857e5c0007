"""The `openforum-ld` command: errors become "Error: ..." on stderr and an exit code.

Exit codes: 0 success; 1 the data does not conform to the shapes, or a deployment fails a check;
2 a usage error, a file that cannot be read or parsed, a query that cannot be parsed, or a URL
that cannot be reached.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import click

from openforum_ld import __version__
from openforum_ld.config import Settings, normalise_base_uri
from openforum_ld.errors import InvalidDataError, OpenForumError
from openforum_ld.rdf.formats import RDF_FORMATS, RESULTS_FORMATS, rdf_format, results_format

if TYPE_CHECKING:
    from openforum_ld.check import CheckReport
    from openforum_ld.load import Dataset

# Each command imports the stages it runs when it runs: `serve SITE` never imports the loader,
# the validator (pyshacl) or the build, which makes a third of a second of its start.

F = TypeVar("F", bound=Callable[..., Any])

_CWD = Path.cwd


def _reports_errors(command: F) -> F:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except OpenForumError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature


def _data_options(command: F) -> F:
    options = [
        click.option(
            "--data",
            "data_dir",
            type=click.Path(path_type=Path),
            default=None,
            help="Directory of data files (TriG, Turtle, N-Quads, N-Triples, YAML sheets, "
            ".xlsx workbooks). "
            "Default: data/ of the forum project folder (the one whose openforum.toml is found "
            "upward from here), else the forum shipped with the package.",
        ),
        click.option(
            "--ontology",
            "ontology_dir",
            type=click.Path(path_type=Path),
            default=None,
            help="Directory of the ontology. Default: the project folder's ontology/, else the "
            "package's.",
        ),
        click.option(
            "--base-uri",
            "base_uri",
            default=None,
            help="Base URI the relative IRIs of the data resolve against. "
            "Default: base_uri of openforum.toml, else https://w3id.org/openforum/.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _load(settings: Settings) -> Dataset:
    from openforum_ld.load import load_configured

    return load_configured(settings)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="openforum-ld")
def main() -> None:
    """Publish a civic forum's proceedings as validated, sourced linked open data.

    The pipeline is load -> validate -> publish -> serve.
    """


@main.command()
@_data_options
@click.option(
    "--shapes",
    "shapes_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Directory of SHACL shapes. Default: the project folder's shapes/, else the package's.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "turtle", "json"]),
    default="text",
    show_default=True,
    help="How to print the report.",
)
@click.option(
    "--annotate",
    "annotated",
    type=click.Path(path_type=Path),
    default=None,
    metavar="OUT",
    help="Also write a copy of the data's workbook to OUT (.xlsx) with a comment on each cell "
    "in error (a directory for the copies when the data has several workbooks).",
)
@_reports_errors
def validate(
    data_dir: Path | None,
    ontology_dir: Path | None,
    base_uri: str | None,
    shapes_dir: Path | None,
    output_format: str,
    annotated: Path | None,
) -> None:
    """Check the data against the SHACL shapes.

    Exits 0 when the data conforms, 1 when it violates a shape, 2 when a file cannot be read or
    parsed, or a value is not what its column takes (reported as FILE:LINE:COLUMN: message, or
    the workbook, sheet and cell).
    """
    from openforum_ld.mapping.to_rdf import CellCheckError
    from openforum_ld.validate import cell_problems_json, validate_dataset
    from openforum_ld.validate.annotate import (
        annotate_workbooks,
        mistakes_of_cell_checks,
        mistakes_of_report,
    )

    settings = Settings.load(
        data_dir=data_dir, ontology_dir=ontology_dir, base_uri=base_uri, shapes_dir=shapes_dir
    )
    try:
        dataset = _load(settings)
    except CellCheckError as error:
        if annotated is not None:
            mistakes = mistakes_of_cell_checks(error.errors)
            for line in annotate_workbooks(_workbooks(settings), mistakes, annotated):
                click.echo(line, err=True)
        if output_format == "json":
            click.echo(cell_problems_json(error.errors, relative_to=_CWD()))
            sys.exit(error.exit_code)
        raise
    report = validate_dataset(dataset, settings.shapes_dir, settings.languages)
    if annotated is not None:
        for line in annotate_workbooks(_workbooks(settings), mistakes_of_report(report), annotated):
            click.echo(line, err=True)
    if output_format == "turtle":
        click.echo(report.to_turtle())
    elif output_format == "json":
        click.echo(report.to_json(relative_to=_CWD()))
    else:
        click.echo(report.to_text(relative_to=_CWD()))
    sys.exit(0 if report.conforms else 1)


def _workbooks(settings: Settings) -> list[Path]:
    from openforum_ld.load import list_source_files

    files = list_source_files(settings.data_dir, "data", yaml=True)
    return [p for p in files if p.suffix.lower() == ".xlsx"]


@main.command()
@_data_options
@click.option(
    "--out",
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Directory to write the publication into. Default: site/ (of the project folder, in one).",
)
@click.option(
    "--release",
    default=None,
    metavar="VERSION",
    help="Publish this release (e.g. 2026.1): its dumps are kept for good at "
    "releases/VERSION/, with its release notes. Default: OPENFORUM_LD_RELEASE, else none.",
)
@click.option("--quiet", is_flag=True, help="No progress bar and no summary.")
@_reports_errors
def build(
    data_dir: Path | None,
    ontology_dir: Path | None,
    base_uri: str | None,
    site_dir: Path | None,
    release: str | None,
    quiet: bool,
) -> None:
    """Validate, then write dumps, VoID, a DCAT catalog, the static site and the validation report.

    Nothing is written when the data does not conform (exit 1). The build happens beside the
    output directory and replaces it in one step at the end, so a failed or killed build leaves
    the previous publication as it was. Dates come from SOURCE_DATE_EPOCH or the data files,
    so the same inputs give the same bytes. Earlier releases (releases/*/) are kept; a release
    is never changed, so a version already published with other data is refused (exit 2).
    """
    from openforum_ld import publish

    settings = Settings.load(
        data_dir=data_dir,
        ontology_dir=ontology_dir,
        base_uri=base_uri,
        site_dir=site_dir,
        release=release,
    )
    show_bar = not quiet and sys.stderr.isatty()
    try:
        if show_bar:
            with click.progressbar(length=1, label="Building", file=sys.stderr) as bar:

                def progress(step: str, done: int, total: int) -> None:
                    bar.length = total
                    bar.update(done - bar.pos)

                summary = publish.build(settings, settings.site_dir, progress)
        else:
            summary = publish.build(settings, settings.site_dir)
    except InvalidDataError as error:
        click.echo(error.report.to_text(relative_to=_CWD()))
        click.echo(f"Error: {error}; nothing was written", err=True)
        sys.exit(1)
    if summary.report is not None:
        for line in summary.report.near_name_lines(relative_to=_CWD()):
            click.echo(line, err=True)
    if not quiet:
        click.echo(summary.line())


def _refuse_with_site(site: Path, given: dict[str, object]) -> None:
    """Options that say what to build mean nothing for a publication already built."""
    used = [name for name, value in given.items() if value is not None]
    if used:
        raise click.UsageError(
            f"{', '.join(used)} cannot be used with SITE: a publication is served as it was "
            f"built. Build it again with those options (`openforum-ld build --out {site} ...`), "
            "or serve without SITE."
        )


@main.command()
@click.argument("site", required=False, type=click.Path(path_type=Path))
@_data_options
@click.option(
    "--shapes",
    "shapes_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Directory of SHACL shapes (without SITE). Default: the project's shapes/.",
)
@click.option("--host", default=None, help="Address to listen on. Default: 127.0.0.1.")
@click.option(
    "--port", type=int, default=None, help="Port to listen on; 0 picks a free one. Default: 8000."
)
@click.option(
    "--workers", type=int, default=None, help="Server processes. Default: one per CPU, at most 4."
)
@click.option("--timeout", type=float, default=None, help="Seconds a query may run. Default: 30.")
@click.option(
    "--row-limit", type=int, default=None, help="Most rows a query returns. Default: 10000."
)
@click.option(
    "--federation",
    is_flag=True,
    default=None,
    help="Let queries call other endpoints with SERVICE.",
)
@click.option(
    "--endpoint",
    default=None,
    help="Send queries to this existing SPARQL endpoint; the publication's store is not opened.",
)
@_reports_errors
def serve(
    site: Path | None,
    data_dir: Path | None,
    ontology_dir: Path | None,
    base_uri: str | None,
    shapes_dir: Path | None,
    host: str | None,
    port: int | None,
    workers: int | None,
    timeout: float | None,
    row_limit: int | None,
    federation: bool | None,
    endpoint: str | None,
) -> None:
    """Serve a publication: a SPARQL 1.1 endpoint, entity pages and the published files.

    SITE is a directory `openforum-ld build` wrote: it is opened read-only, as it is, under the
    base it was built for (--base-uri, if given, must be that base). Without SITE, the forum's
    data (or --data) is built for the server's own address into a cache directory, unless it
    was already, then served; invalid data stops it from starting (exit 1). SIGHUP makes a
    running server open the publication at the same path again. With --endpoint, queries and
    pages go to that SPARQL server, which holds the publication's dumps.
    """
    from openforum_ld.publication import Publication
    from openforum_ld.web.serve import address_of, bind, serve_publication

    if site is not None:
        _refuse_with_site(
            site, {"--data": data_dir, "--ontology": ontology_dir, "--shapes": shapes_dir}
        )
    settings = Settings.load(
        data_dir=data_dir,
        ontology_dir=ontology_dir,
        shapes_dir=shapes_dir,
        host=host,
        port=port,
        workers=workers,
        timeout=timeout,
        row_limit=row_limit,
        federation=federation,
        endpoint=endpoint,
    )
    wanted_base = normalise_base_uri(base_uri) if base_uri else None
    if site is not None:
        # A publication that cannot be served is refused before the port is taken.
        publication = Publication.open(site, wanted_base)
        sock = bind(settings.host, settings.port)
        path = site
    else:
        from openforum_ld.cached_build import BuildFailedError, cached_publication

        sock = bind(settings.host, settings.port)
        base = wanted_base or address_of(sock)
        try:
            path = cached_publication(settings, base)
        except BuildFailedError as error:
            sys.exit(error.exit_code)  # the build has said why
        publication = Publication.open(path, base)
    serve_publication(settings, path, sock, publication)


_QUERY_FORMATS = ["table"] + [f.key for f in RESULTS_FORMATS] + [f.key for f in RDF_FORMATS]


@main.command()
@click.argument("query_text", metavar="QUERY|@FILE")
@_data_options
@click.option(
    "--site",
    type=click.Path(path_type=Path),
    default=None,
    help="Query the store of this publication (a directory `build` wrote), read-only.",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Keep the store on disk in this directory (reloaded only when the data changes).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(_QUERY_FORMATS),
    default="table",
    show_default=True,
    help="table for people; json, xml, csv, tsv for SELECT/ASK; "
    "turtle, nt, nq, trig, jsonld, rdfxml for CONSTRUCT/DESCRIBE.",
)
@_reports_errors
def query(
    query_text: str,
    data_dir: Path | None,
    ontology_dir: Path | None,
    base_uri: str | None,
    site: Path | None,
    store_dir: Path | None,
    output_format: str,
) -> None:
    """Run a SPARQL query on a publication's store (--site, read-only, as the server opens it),
    or on the data loaded for the query.

    QUERY is the query text, @FILE reads it from a file, and - reads it from standard input.
    The default graph is the union of the data graphs; GRAPH ?g reaches each source section's graph.
    Relative IRIs, such as <graph/mentions> as the table prints it, resolve against the base.
    A query that cannot be parsed exits 2 with the parser's message and position.
    """
    from openforum_ld.render import render_table
    from openforum_ld.store.sparql_text import check_complexity

    text = _read_query(query_text)
    check_complexity(text)
    if site is not None:
        _refuse_with_site(
            site, {"--data": data_dir, "--ontology": ontology_dir, "--store": store_dir}
        )
        from openforum_ld.publication import Publication
        from openforum_ld.store import Store

        publication = Publication.open(site, normalise_base_uri(base_uri) if base_uri else None)
        store = Store.read_only(publication.store_path)
        base = publication.manifest.base
    else:
        settings = Settings.load(
            data_dir=data_dir, ontology_dir=ontology_dir, base_uri=base_uri, store_dir=store_dir
        )
        if store_dir is not None:
            store_dir.mkdir(parents=True, exist_ok=True)
        store = _load(settings).store
        base = settings.base_uri
    # Relative IRIs resolve against the base, so an IRI the table shows can be pasted back.
    result = store.query(text, base_iri=base)
    if output_format == "table":
        if result.form == "graph":
            sys.stdout.buffer.write(result.serialize(rdf_format("turtle")))
        else:
            click.echo(render_table(result, base))
        return
    if result.form == "graph":
        if output_format not in {f.key for f in RDF_FORMATS}:
            raise click.UsageError(
                f"--format {output_format} is for SELECT and ASK results; a CONSTRUCT or "
                "DESCRIBE query needs one of: " + ", ".join(f.key for f in RDF_FORMATS)
            )
        sys.stdout.buffer.write(result.serialize(rdf_format(output_format)))
    else:
        if output_format not in {f.key for f in RESULTS_FORMATS}:
            raise click.UsageError(
                f"--format {output_format} is for CONSTRUCT and DESCRIBE results; a SELECT or "
                "ASK query needs one of: table, " + ", ".join(f.key for f in RESULTS_FORMATS)
            )
        sys.stdout.buffer.write(result.serialize(results_format(output_format)))


def _http_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and urlsplit(value).scheme not in ("http", "https"):
        raise click.BadParameter(f"{value!r} is not an http:// or https:// URL")
    if value is not None and not urlsplit(value).netloc:
        raise click.BadParameter(f"{value!r} has no host")
    return value


@main.command()
@click.argument("url", callback=_http_url)
@click.option(
    "--sparql",
    "sparql_url",
    metavar="URL",
    callback=_http_url,
    default=None,
    help="The SPARQL endpoint, when VoID and DCAT do not name it and it is not at "
    "/sparql or /query.",
)
@click.option(
    "--catalog",
    "catalog_url",
    metavar="URL",
    callback=_http_url,
    default=None,
    help="The DCAT catalog, when the VoID does not lead to it and it is not at /catalog.",
)
@click.option(
    "--sample",
    type=click.IntRange(1, 1000),
    metavar="N",
    default=20,
    show_default=True,
    help="Entities to dereference and follow links from.",
)
@click.option(
    "--max-links",
    type=click.IntRange(0),
    metavar="N",
    default=300,
    show_default=True,
    help="Most links to follow from the samples' RDF, and as many from their pages.",
)
@click.option(
    "--max-dump-size",
    "max_dump_mb",
    type=click.IntRange(1),
    metavar="MB",
    default=200,
    show_default=True,
    help="Megabytes of each dump to download; a larger dump is not verified.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0, min_open=True),
    metavar="SECONDS",
    default=30.0,
    show_default=True,
    help="Seconds to wait for each response.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the report.",
)
@_reports_errors
def check(
    url: str,
    sparql_url: str | None,
    catalog_url: str | None,
    sample: int,
    max_links: int,
    max_dump_mb: int,
    timeout: float,
    output_format: str,
) -> None:
    """Check a Linked Data deployment from the outside, over HTTP: ours or anyone's.

    It finds the VoID (/.well-known/void), the SPARQL endpoint, the DCAT catalog, the dumps and
    some entities, then checks content negotiation with real clients' Accept headers, 406,
    HEAD, Vary, ETag and 304, CORS (on errors too), the SPARQL protocol, the dumps' sizes and
    checksums, and that local links resolve. Only URL's origin (and those of --sparql and
    --catalog) is contacted. Exits 0 when no check fails, 1 when one fails, 2 when URL cannot
    be reached.
    """
    from openforum_ld.check import all_probes, run_check

    def run(progress: Callable[[object], None] | None = None) -> CheckReport:
        return run_check(
            url,
            sparql=sparql_url,
            catalog=catalog_url,
            sample=sample,
            max_links=max_links,
            max_dump_bytes=max_dump_mb * 1024 * 1024,
            timeout=timeout,
            progress=progress,
        )

    if output_format == "text" and sys.stderr.isatty():
        with click.progressbar(length=len(all_probes()), label="Checking", file=sys.stderr) as bar:
            report = run(lambda probe: bar.update(1))
    else:
        report = run()
    click.echo(report.to_json() if output_format == "json" else report.to_text())
    sys.exit(0 if report.ok else 1)


@main.command()
@click.option(
    "--target",
    default=None,
    help="The URL w3id.org forwards to: where the publication is served, ending with '/'. "
    "Default: a placeholder (https://openforum.example.org/) to be replaced by the real host.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("deploy/w3id"),
    show_default=True,
    help="Directory to write .htaccess and README.md into.",
)
@_reports_errors
def w3id(target: str | None, out: Path) -> None:
    """Write the w3id.org redirect rules for the default base (https://w3id.org/openforum/):
    the .htaccess and README.md to submit to the w3id repository, with the publisher and
    contact address of the settings (OPENFORUM_LD_PUBLISHER_NAME, OPENFORUM_LD_CONTACT_EMAIL)."""
    from openforum_ld.errors import PublishError
    from openforum_ld.publish.rewrites.w3id import PLACEHOLDER_TARGET, w3id_htaccess, w3id_readme

    chosen = target or PLACEHOLDER_TARGET
    settings = Settings.load()
    contact = (settings.publisher_name, settings.contact_email)
    htaccess, readme = w3id_htaccess(chosen), w3id_readme(chosen, contact)
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / ".htaccess").write_text(htaccess, encoding="utf-8", newline="\n")
        (out / "README.md").write_text(readme, encoding="utf-8", newline="\n")
    except OSError as error:
        raise PublishError(f"cannot write the w3id rules into {out}: {error.strerror}") from None
    click.echo(f"Wrote {out / '.htaccess'} and {out / 'README.md'}, forwarding to {chosen}")
    if chosen == PLACEHOLDER_TARGET:
        click.echo("The target is a placeholder: give --target the real host before submitting.")
    if not settings.contact_email:
        click.echo("No contact address: set OPENFORUM_LD_CONTACT_EMAIL before submitting.")


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("target", type=click.Path(path_type=Path))
@click.option(
    "--base-uri",
    "base_uri",
    default=None,
    help="Base URI the relative IRIs resolve against. Default: https://w3id.org/openforum/.",
)
@_reports_errors
def convert(source: Path, target: Path, base_uri: str | None) -> None:
    """Convert a forum's data between RDF, YAML sheets and workbooks, losing no statement.

    SOURCE is a directory of TriG/Turtle files (like data/), or sheets: a .yaml file, a .xlsx
    workbook, or a directory of them. TARGET is a .xlsx workbook (with each column's help from
    the shapes, and drop-downs) or a .yaml file, whatever SOURCE is; otherwise a directory that
    gets, from RDF, one YAML file per sheet, and from sheets, one TriG file per named graph.
    Sheets are checked as `validate` reads them: a mistake is reported at its line and column,
    or its cell (exit 2).
    """
    from openforum_ld.convert import convert_data

    settings = Settings.load(base_uri=base_uri)
    for line in convert_data(
        source,
        target,
        settings.base_uri,
        settings.sources_dir,
        settings.languages,
        settings.shapes_dir,
    ):
        click.echo(line)


@main.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--yaml",
    "as_yaml",
    is_flag=True,
    default=False,
    help="Write the forum's rows as YAML sheets, data/forum.yaml, instead of the workbook "
    "data/forum.xlsx.",
)
@click.option(
    "--base-uri",
    "base_uri",
    default=None,
    help="Base URI the forum's IRIs are published under. Default: https://example.org/forum/, "
    "to be replaced in openforum.toml.",
)
@click.option(
    "--languages",
    default=None,
    metavar="TAGS",
    help="Languages of the forum's data, separated by commas, the main language first, "
    "e.g. es,en. Default: en,fr.",
)
@_reports_errors
def init(folder: Path, as_yaml: bool, base_uri: str | None, languages: str | None) -> None:
    """Start a forum project in DIR (new or empty): openforum.toml, data/ with one example row
    per sheet, sources/ with the example's source text, and a README in English and French.

    The project validates and builds at once: run `openforum-ld validate`, `build` or `serve`
    inside DIR, then replace the example with the forum's own rows and texts.
    """
    from openforum_ld.scaffold import (
        DEFAULT_BASE_URI,
        DEFAULT_LANGUAGES,
        create_project,
        read_languages,
    )

    chosen = read_languages(languages) if languages is not None else DEFAULT_LANGUAGES
    written = create_project(
        folder,
        base_uri or DEFAULT_BASE_URI,
        chosen,
        as_yaml=as_yaml,
        shapes_dir=Settings.load(project=False).shapes_dir,
    )
    click.echo(f"Created the forum project {folder} ({len(written)} files):")
    for path in written:
        click.echo(f"  {path}")
    click.echo(f"Next: cd {folder} && openforum-ld validate && openforum-ld serve")


def _read_query(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    if argument.startswith("@"):
        path = Path(argument[1:])
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise click.BadParameter(f"cannot read query file {path}: {error}") from None
    return argument

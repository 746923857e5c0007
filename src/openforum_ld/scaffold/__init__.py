"""`openforum-ld init`: a new forum project folder that validates and builds at once.

The folder gets `openforum.toml`, a README in English and French, `data/` with one example row
per sheet and `sources/` with the example's source text. What it says is package data beside
this module (`example.yaml`, the templates, `sources/`); the rows are built once, as the sheets
of rows `mapping.from_rdf` reads and writes (`SheetRows`), and written as a workbook (every
sheet, every column, each explained from the shapes) or as YAML sheets.
"""

from __future__ import annotations

import json
import os
import shutil
from importlib import resources
from typing import TYPE_CHECKING, Any

import jinja2
import yaml

from openforum_ld.config import LANGUAGE_TAG, normalise_base_uri
from openforum_ld.errors import ConfigError, OpenForumError
from openforum_ld.mapping.column_help import read_column_help
from openforum_ld.mapping.from_rdf import SheetRows, rows_to_yaml
from openforum_ld.mapping.sheets import load_mapping
from openforum_ld.mapping.workbook_write import write_workbook
from openforum_ld.project import PROJECT_FILE

if TYPE_CHECKING:
    from pathlib import Path

DEFAULT_BASE_URI = "https://example.org/forum/"
DEFAULT_LANGUAGES = ("en", "fr")
#: The example's source document: its text is sources/{EXAMPLE_DOCUMENT}.txt.
EXAMPLE_DOCUMENT = "example-minutes"
_FALLBACK_LANGUAGE = "en"
_MAIN_LANGUAGE = "{main_language}"
_LAST_LINE = "{last_line}"


class ScaffoldError(OpenForumError):
    """The project folder cannot be made; nothing was written."""


def _files() -> Any:
    return resources.files(__package__)


def read_languages(text: str) -> tuple[str, ...]:
    """Languages written as `en,fr` (the main one first), checked as BCP 47 tags."""
    tags = tuple(tag.strip().lower() for tag in text.split(",") if tag.strip())
    if not tags:
        raise ConfigError("give at least one language, such as en or es,en")
    for tag in tags:
        if not LANGUAGE_TAG.fullmatch(tag):
            raise ConfigError(f"{tag!r} is not a BCP 47 language tag (such as es, pt-br)")
    if len(set(tags)) < len(tags):
        raise ConfigError(f"a language is given twice: {text}")
    return tags


def _in_language(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get(language.split("-")[0]) or texts[_FALLBACK_LANGUAGE]


def example_rows(languages: tuple[str, ...], last_line: int) -> SheetRows:
    """The example forum's rows, sheet by sheet, in the project's languages: each text in that
    language when the example has it, else in English. `last_line` is the number of lines of
    the example's source text."""
    template = yaml.safe_load(_files().joinpath("example.yaml").read_text(encoding="utf-8"))
    main = languages[0]
    sheets: SheetRows = {}
    for sheet, rows in template.items():
        sheets[sheet] = []
        for row in rows:
            written: dict[str, Any] = {}
            for key, value in row.items():
                if isinstance(value, dict) and key.endswith("@" + _MAIN_LANGUAGE):
                    # A text the shapes take in the main language only.
                    written[f"{key.split('@')[0]}@{main}"] = _in_language(value, main)
                elif isinstance(value, dict):
                    for language in languages:
                        written[f"{key}@{language}"] = _in_language(value, language)
                elif value == _MAIN_LANGUAGE:
                    written[key] = main
                elif value == _LAST_LINE:
                    written[key] = str(last_line)
                else:
                    written[key] = value
            sheets[sheet].append(written)
    return sheets


def example_sheets() -> list[str]:
    """The sheets an organizer fills, so those the example has a row in: every sheet of the
    mapping but the descriptions of graphs (made from the sections) and the generic rows."""
    return [s.name for s in load_mapping().sheets if s.kind not in (None, "graph")]


def example_source_text(language: str) -> str:
    """The example's source text in a language, else in English."""
    folder = _files().joinpath("sources")
    for tag in (language, language.split("-")[0], _FALLBACK_LANGUAGE):
        text_file = folder.joinpath(f"{EXAMPLE_DOCUMENT}.{tag}.txt")
        if text_file.is_file():
            return str(text_file.read_text(encoding="utf-8"))
    raise AssertionError("the package holds the example text in English")


def _templates() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("openforum_ld", "scaffold"),
        # TOML and Markdown, not HTML: values are escaped by the `toml` filter where needed.
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    # A JSON string is a TOML basic string: the same quotes and escapes.
    environment.filters["toml"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    return environment


def create_project(
    folder: Path,
    base_uri: str,
    languages: tuple[str, ...],
    *,
    as_yaml: bool = False,
    shapes_dir: Path | None = None,
) -> list[Path]:
    """Write a new forum project into `folder`, which must not exist or be empty; returns the
    files written. The rows go to the workbook data/forum.xlsx, its columns explained from the
    shapes of `shapes_dir`, or with `as_yaml` to data/forum.yaml. The project is written beside
    the folder and moved in at the end, so a failure leaves nothing behind."""
    base = normalise_base_uri(base_uri)
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder} is a file: give a new or empty folder; nothing was written")
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(
            f"{folder} is not empty: give a new or empty folder; nothing was written"
        )
    text = example_source_text(languages[0])
    rows = example_rows(languages, len(text.splitlines()))
    forum_name = rows["forums"][0][f"prefLabel@{languages[0]}"]
    data_file = "forum.yaml" if as_yaml else "forum.xlsx"
    templates = _templates()
    files = {
        PROJECT_FILE: templates.get_template("openforum.toml.j2").render(
            base_uri=base, languages=languages
        ),
        "README.md": templates.get_template("README.md.j2").render(
            forum_name=forum_name, languages=languages, data_file=data_file, workbook=not as_yaml
        ),
        f"sources/{EXAMPLE_DOCUMENT}.txt": text,
    }
    if as_yaml:
        files[f"data/{data_file}"] = rows_to_yaml(rows)
    work = folder.parent / f".{folder.name}.init-{os.getpid()}"
    try:
        for name, content in files.items():
            path = work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8", newline="\n")
        if not as_yaml:
            help_ = read_column_help(shapes_dir) if shapes_dir is not None else None
            write_workbook(
                rows, work / "data" / data_file, languages, all_sheets=True, column_help=help_
            )
        if folder.exists():
            folder.rmdir()
        work.rename(folder)
    except OSError as error:
        shutil.rmtree(work, ignore_errors=True)
        raise ScaffoldError(
            f"cannot write the project into {folder}: {error.strerror}; nothing was written"
        ) from None
    return sorted(
        [folder / name for name in files] + ([] if as_yaml else [folder / "data" / data_file])
    )

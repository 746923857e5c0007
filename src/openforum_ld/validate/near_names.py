"""Names so close that one entity may have been entered twice.

When several forums share a dataset, a person or an organization met again should keep its id.
A new id whose name is near-identical to an existing one's, once case, accents and punctuation
are set aside, is more often a second copy than a second entity: it is reported as a warning,
with both IRIs and where each is written, and the editor decides. Variants of one entity
(skos:altLabel, skos:hiddenLabel) are compared with other entities' names, never with each
other, so spelling variants recorded on purpose do not warn; two entities the editors have
declared distinct (`owl:differentFrom`, either way) are not reported.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from openforum_ld.mapping.cells import WorkbookSheet
from openforum_ld.validate.alike_candidates import alike_candidates

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.load import Dataset
    from openforum_ld.mapping.cells import RowsFile

#: The kinds that recur from one forum to the next; talks, sessions and what was said there
#: belong to one forum and are not compared.
RECURRING_KINDS = ("person", "organization", "place", "programme", "topic")
#: How alike two folded names must be (difflib's ratio) to be reported. 0.9 lets through one
#: wrong letter in ten: "Netwrok" for "Network", "Organisation" for "Organization".
THRESHOLD = 0.9

_LABELS = ("skos:prefLabel", "skos:altLabel", "skos:hiddenLabel", "schema:name")
_NOT_A_LETTER = re.compile(r"[\W_]+")
_TYPED = re.compile(r"^\s*\S+\s+(a|rdf:type)\s")


def fold(name: str) -> str:
    """`name` without case, accents or punctuation, for comparing."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_A_LETTER.sub(" ", letters).strip()


@dataclass(frozen=True)
class Named:
    """An entity under one of its names, and where it is written."""

    iri: str
    label: str
    location: tuple[RowsFile, int, int | None] | None


@dataclass(frozen=True)
class NearName:
    """Two entities of one kind whose names are near-identical."""

    kind: str
    first: Named
    second: Named
    ratio: float


def near_names(dataset: Dataset, threshold: float = THRESHOLD) -> list[NearName]:
    """The pairs of entities of a recurring kind with near-identical names, by kind then IRI."""
    base = dataset.iris.base
    found = []
    for kind in RECURRING_KINDS:
        prefix = f"{base}id/{kind}/"
        rows = dataset.store.select(
            f"""SELECT DISTINCT ?s ?label WHERE {{
                  VALUES ?p {{ {" ".join(_LABELS)} }}
                  ?s ?p ?label .
                  FILTER(STRSTARTS(STR(?s), "{prefix}"))
                }}"""
        )
        names: dict[str, dict[str, str]] = {}  # folded name -> IRI -> a label as written
        for row in rows:
            folded = fold(row["label"].value)
            if folded:
                names.setdefault(folded, {}).setdefault(row["s"].value, row["label"].value)
        found.extend(_close_pairs(dataset, kind, names, threshold))
    distinct = {
        frozenset((row["a"].value, row["b"].value))
        for row in dataset.store.select("SELECT ?a ?b WHERE { ?a owl:differentFrom ?b }")
    }
    return [n for n in found if frozenset((n.first.iri, n.second.iri)) not in distinct]


def _close_pairs(
    dataset: Dataset, kind: str, names: dict[str, dict[str, str]], threshold: float
) -> list[NearName]:
    # (first IRI, second IRI) -> (ratio, their labels); located once the best pairs are known.
    best: dict[tuple[str, str], tuple[float, str, str]] = {}
    matcher = difflib.SequenceMatcher(autojunk=False)
    for a, candidates in alike_candidates(names, threshold):
        matcher.set_seq2(a)
        for b in candidates:
            if a == b:
                ratio = 1.0
            else:
                matcher.set_seq1(b)
                if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                    continue
                ratio = matcher.ratio()
                if ratio < threshold or not words_alike(a, b, threshold):
                    continue
            for one, one_label in names[a].items():
                for other, other_label in names[b].items():
                    if one == other:
                        continue
                    first, second = sorted((one, other))
                    if (first, second) in best and best[first, second][0] >= ratio:
                        continue
                    labels = {one: one_label, other: other_label}
                    best[first, second] = (ratio, labels[first], labels[second])
    lines: dict[Path, list[str]] = {}
    return [
        NearName(
            kind,
            _named(dataset, first, first_label, lines),
            _named(dataset, second, second_label, lines),
            round(ratio, 3),
        )
        for (first, second), (ratio, first_label, second_label) in sorted(best.items())
    ]


def words_alike(a: str, b: str, threshold: float = THRESHOLD) -> bool:
    """Whether names of as many words differ by at most a slip in each word (or are alike as
    `threshold` says, for long words), not by a word: "Amina Cherkaoui" and "Lamia Cherkaoui"
    are alike as wholes, but are two people. Names of different lengths ("Co-operation",
    "Cooperation") are judged as wholes."""
    words_a, words_b = a.split(), b.split()
    if len(words_a) != len(words_b):
        return True
    return all(
        x == y
        or one_slip(x, y)
        or difflib.SequenceMatcher(None, x, y, autojunk=False).ratio() >= threshold
        for x, y in zip(words_a, words_b, strict=True)
    )


def one_slip(x: str, y: str) -> bool:
    """Whether one typing slip turns `x` into `y`: a letter wrong, missing, added, or two
    neighbours swapped."""
    if len(x) == len(y):
        wrong = [i for i, (a, b) in enumerate(zip(x, y, strict=True)) if a != b]
        return len(wrong) == 1 or (
            len(wrong) == 2
            and wrong[1] == wrong[0] + 1
            and x[wrong[0]] == y[wrong[1]]
            and x[wrong[1]] == y[wrong[0]]
        )
    shorter, longer = sorted((x, y), key=len)
    if len(longer) - len(shorter) != 1:
        return False
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _named(dataset: Dataset, iri: str, label: str, lines: dict[Path, list[str]]) -> Named:
    """The entity under `label`, located where a file first gives its type (where it is
    introduced), else where it is first described. `lines` keeps the files' lines read so far."""
    locations = dataset.locate(iri)
    typed = [
        (path, line, column) for path, line, column in locations if _types_it(path, line, lines)
    ]
    found = typed or locations
    return Named(iri, label, found[0] if found else None)


def _types_it(path: RowsFile, line: int, lines: dict[Path, list[str]]) -> bool:
    """Whether the statement starting on `line` of `path` gives its subject a type."""
    if isinstance(path, WorkbookSheet):
        return False  # a row of a workbook: where it is first written is where it is introduced
    if path not in lines:
        # Numbered as reading the file numbers them: universal newlines, nothing else.
        lines[path] = path.read_text(encoding="utf-8", errors="replace").split("\n")
    written = lines[path]
    return 0 < line <= len(written) and _TYPED.search(written[line - 1]) is not None

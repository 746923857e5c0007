"""bench/generate.py makes data the shapes accept, so the benchmarks measure valid data."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from openforum_ld.load import load_dataset
from openforum_ld.validate import validate_dataset

from .conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.slow
def test_generated_data_conforms_to_the_shapes(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), str(out), "--triples", "4000"],
        check=True,
        capture_output=True,
    )
    dataset = load_dataset(out, ROOT / "ontology", "http://127.0.0.1:8000/")
    report = validate_dataset(dataset, ROOT / "shapes")
    assert report.conforms, [(r.focus, r.message) for r in report.results[:5]]
    [row] = dataset.store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { ?f a <http://schema.org/Observation> ; "
        "<https://w3id.org/openforum/ontology#statedIn> ?talk }"
    )
    assert int(row["n"].value) > 0


@pytest.mark.slow  # some 80k triples to validate
def test_generating_by_talks_gives_at_least_that_many_talks_that_validate(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), str(out), "--talks", "1000"],
        check=True,
        capture_output=True,
    )
    dataset = load_dataset(out, ROOT / "ontology", "http://127.0.0.1:8000/")
    [row] = dataset.store.select(
        "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a <https://w3id.org/openforum/ontology#Talk> }"
    )
    assert int(row["n"].value) >= 1000
    report = validate_dataset(dataset, ROOT / "shapes")
    assert report.conforms, [(r.focus, r.message) for r in report.results[:5]]

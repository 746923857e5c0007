"""`serve` without SITE: the publication it builds for its own address into the cache directory,
built again only when something the build reads has changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from openforum_ld.cached_build import BuildFailedError, cached_publication, inputs_key
from openforum_ld.errors import DataError
from openforum_ld.publication import read_manifest

from .conftest import LOCAL_BASE

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.config import Settings


@pytest.fixture
def own(settings: Settings, data_copy: Path, tmp_path: Path) -> Settings:
    """Settings reading a copy of the data, with a cache directory of the test's own."""
    return settings.with_(data_dir=data_copy, cache_dir=tmp_path / "cache")


def test_a_publication_is_built_once_and_then_reused(own: Settings) -> None:
    first = cached_publication(own, LOCAL_BASE)
    manifest = first / ".server" / "manifest.json"
    built = manifest.stat().st_mtime_ns
    assert read_manifest(first).base == LOCAL_BASE
    again = cached_publication(own, LOCAL_BASE)
    assert again == first and manifest.stat().st_mtime_ns == built  # not built again
    elsewhere = cached_publication(own, "http://127.0.0.1:8001/")
    assert elsewhere != first and read_manifest(elsewhere).base == "http://127.0.0.1:8001/"


def test_a_changed_input_or_setting_builds_anew(own: Settings, data_copy: Path) -> None:
    key = inputs_key(own, LOCAL_BASE)
    editorial = data_copy / "editorial.trig"
    editorial.write_text(editorial.read_text(encoding="utf-8") + "\n# a comment\n")
    assert inputs_key(own, LOCAL_BASE) != key
    assert inputs_key(own.with_(license_name="CC0"), LOCAL_BASE) != inputs_key(own, LOCAL_BASE)
    assert inputs_key(own.with_(release="2026.1"), LOCAL_BASE) != inputs_key(own, LOCAL_BASE)
    assert inputs_key(own.with_(languages=("es",)), LOCAL_BASE) != inputs_key(own, LOCAL_BASE)
    assert inputs_key(own.with_(feedback_url="https://x.example/"), LOCAL_BASE) != inputs_key(
        own, LOCAL_BASE
    )
    assert inputs_key(own.with_(port=9999, workers=3), LOCAL_BASE) == inputs_key(own, LOCAL_BASE)


def test_a_file_that_cannot_be_parsed_stops_it_before_any_build(
    own: Settings, data_copy: Path
) -> None:
    (data_copy / "report-ii.trig").write_text("@prefix broken")
    with pytest.raises(DataError, match=r"report-ii\.trig:1:"):
        cached_publication(own, LOCAL_BASE)
    assert not (own.cache_dir / "publications").exists()


def test_invalid_data_is_reported_by_the_build_and_nothing_is_served(
    own: Settings, data_copy: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = data_copy / "web-expert.trig"
    path.write_text(path.read_text(encoding="utf-8").replace('"Mr."@en', '"Sir"@en'))
    with pytest.raises(BuildFailedError) as failed:
        cached_publication(own, LOCAL_BASE)
    assert failed.value.exit_code == 1
    out, err = capfd.readouterr()
    assert "Violation" in out and "does not conform to the shapes" in err
    [built] = (own.cache_dir / "publications").iterdir()
    assert not (built / "site").exists()

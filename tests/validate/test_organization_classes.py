"""An organization may carry any schema.org organization class, as schema.org lists them."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import rdflib

from openforum_ld.validate import validate_dataset

from ..conftest import ROOT
from ..invalid_cases import InvalidCase, load_broken

SHACL = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = rdflib.Namespace("http://schema.org/")


def _script():  # the generator is a script, not part of the package
    path = ROOT / "scripts" / "schemaorg_organization_classes.py"
    spec = importlib.util.spec_from_file_location("schemaorg_organization_classes", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shapes_list_schema_organization_and_every_subclass_of_the_vendored_release() -> None:
    shapes = rdflib.Graph().parse(ROOT / "shapes" / "schemaorg-organizations.ttl")
    select = str(next(shapes.objects(None, SHACL.select)))
    values = select.split("FILTER(?type IN (", 1)[1].split("))", 1)[0]
    members = {SCHEMA[name] for name in re.findall(r"schema:(\w+)", values)}

    vocabulary = rdflib.Graph().parse(ROOT / "vocab" / "schemaorg" / "schemaorg-current-http.ttl")
    expected = set(vocabulary.transitive_subjects(rdflib.RDFS.subClassOf, SCHEMA.Organization))
    assert members == expected
    assert {SCHEMA.ResearchOrganization, SCHEMA.NewsMediaOrganization} <= members
    assert (ROOT / "shapes" / "schemaorg-organizations.ttl").read_text(encoding="utf-8") == (
        _script().shapes_text(_script().organization_classes())
    )


def _retyped(old: str, new: str) -> InvalidCase:
    update = f"""DELETE {{ GRAPH ?g {{ organization:civic-lab a {old} }} }}
                 INSERT {{ GRAPH ?g {{ organization:civic-lab a {new} }} }}
                 WHERE {{ GRAPH ?g {{ organization:civic-lab a {old} }} }}"""
    return InvalidCase(Path("retype.ru"), "OrganizationShape", "", update)


@pytest.mark.parametrize(
    "schema_class",
    ["schema:ResearchOrganization", "schema:NewsMediaOrganization", "schema:Dentist"],
)
def test_an_organization_of_any_schema_org_organization_class_conforms(
    schema_class: str, settings
) -> None:
    report = validate_dataset(
        load_broken(_retyped("schema:NGO", schema_class), settings), settings.shapes_dir
    )
    assert report.conforms, report.to_text()


def test_a_schema_org_class_outside_the_organizations_is_a_violation(settings) -> None:
    report = validate_dataset(
        load_broken(_retyped("schema:NGO", "schema:Place"), settings), settings.shapes_dir
    )
    assert not report.conforms
    assert any("schema.org organization class" in r.message for r in report.violations)

"""SHACL: the shipped data conforms, a deliberately broken graph does not."""

from pathlib import Path

import pytest

import glocal
from glocal.builder import assemble
from glocal.validate import check

DATA = Path(__file__).parent / "data"


def test_shipped_data_conforms():
    check(assemble())


def test_valid_example_conforms():
    glocal.validate_files([DATA / "valid-example.ttl"])


def test_broken_example_is_refused_with_readable_report():
    with pytest.raises(glocal.ValidationError) as error:
        glocal.validate_files([DATA / "broken.ttl"])
    report = str(error.value)
    assert error.value.violations >= 4
    for needle in ("glo:country", "glo:geonamesId", "glo:partner", "glo:value"):
        assert needle in report, f"{needle} missing from:\n{report}"


def test_cli_validate_exit_codes(cli):
    assert cli("validate", DATA / "valid-example.ttl").exit_code == 0
    result = cli("validate", DATA / "broken.ttl")
    assert result.exit_code == 1
    assert "does not conform" in result.output and "Traceback" not in result.output

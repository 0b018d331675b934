"""SHACL: the shipped data conforms, a deliberately broken graph does not."""

from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

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


CITY = "https://w3id.org/glocal/id/city/"
ORG = "http://www.w3.org/ns/org#"
C40 = URIRef("https://w3id.org/glocal/id/network/c40")
BERLIN, LA = URIRef(CITY + "de-berlin"), URIRef(CITY + "us-ca-los-angeles")
TWINNED = URIRef("https://w3id.org/glocal/ontology/twinnedWith")
SCHEMA_IN = URIRef("https://schema.org/containedInPlace")


@pytest.mark.parametrize("remove, add, message", [
    ((BERLIN, URIRef(ORG + "memberOf"), C40), None, "shortcut <member> org:memberOf"),
    (None, (LA, URIRef(ORG + "memberOf"), C40), "has no glo:Membership node behind it"),
    ((BERLIN, TWINNED, LA), None, "glo:twinnedWith <other partner> is missing"),
    (None, (LA, TWINNED, URIRef(CITY + "us-ny-new-york")), "has no glo:Twinning node behind it"),
    (None, (LA, SCHEMA_IN, URIRef("https://w3id.org/glocal/id/region/de-be")), "lies in another country"),
])
def test_sparql_constraints_find_what_pyshacl_finds(remove, add, message):
    """The whole-graph run of the sh:sparql constraints agrees with pyshacl's per-node run."""
    import pyshacl
    from rdflib import Graph

    from glocal.builder import read_ontology
    from glocal.resources import ontology_dir
    from glocal.validate import shapes

    dataset = Dataset(default_union=True)
    read_ontology(dataset, ontology_dir())
    example = dataset.graph(URIRef("urn:example"))
    example.parse(DATA / "valid-example.ttl")
    if remove:
        example.remove(remove)
    if add:
        example.add(add)
    with pytest.raises(glocal.ValidationError) as error:
        check(dataset)
    assert message in str(error.value)

    union = Graph()
    for triple in dataset.triples((None, None, None)):
        union.add(triple)
    conforms, _, text = pyshacl.validate(union, shacl_graph=shapes(), inference="none")
    assert not conforms and message.split("{")[0] in text

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


BAD_DATA = """
@prefix glo: <https://w3id.org/glocal/ontology/> .  @prefix gli: <https://w3id.org/glocal/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .  @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dct: <http://purl.org/dc/terms/> .  @prefix org: <http://www.w3.org/ns/org#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .  @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .  @prefix void: <http://rdfs.org/ns/void#> .
gli:country\\/de rdfs:label "Allemagne"@fr , "Deutschland (BRD)"@de ; glo:iso2 "Deu" .
gli:city\\/de-berlin glo:geonamesId 2950159 ; geo:lat "95"^^xsd:decimal ; geo:long "east" ;
    rdfs:label "Berlin, Germany"@en , gli:berlin .
gli:city\\/us-ca-los-angeles glo:country gli:country\\/de ; rdfs:label "LA"@en .
gli:network\\/c40 glo:theme gli:challenge\\/segregation ; dct:description "" , "C40"@en ;
    dct:license "CC"@en .
gli:membership\\/c40--city-de-berlin org:member gli:network\\/c40 ; glo:startYear 2010 ; glo:endYear 2005 .
gli:twinning\\/de-berlin--us-ca-los-angeles glo:partner gli:network\\/c40 ;
    glo:twinningKind gli:theme\\/housing .
gli:group\\/g a glo:MetroGroup ; rdfs:label "g" ; glo:statedSize 0 ; skos:definition "d"@en ;
    prov:wasDerivedFrom gli:source\\/geonames ; glo:quote "" .
gli:theme\\/housing skos:definition "Wohnen"@de .
gli:not-a-concept skos:inScheme gli:scheme\\/themes .
glo:graph void:triples -1 ; a glo:SourceGraph .
"""
REMOVE = [(URIRef(CITY + "de-berlin"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None),
          (URIRef("https://w3id.org/glocal/id/theme/housing"), URIRef("http://www.w3.org/2004/02/skos/core#definition"),
           None), (URIRef("https://w3id.org/glocal/id/theme/housing"), URIRef("http://purl.org/dc/terms/source"), None)]


def test_both_engines_report_the_same_violations():
    """The SPARQL translation of the core constraints (the default engine) against pyshacl, on bad
    data that breaks every kind of constraint the shapes use, and on the shipped graph."""
    from collections import Counter

    from rdflib.namespace import SH

    from glocal.builder import read_ontology
    from glocal.resources import ontology_dir
    from glocal.validate import shapes, violations

    shapes_graph = shapes()

    def results(graph, engine):
        # a shape without sh:message gets each engine's own wording
        return Counter((v.focus, v.path, v.value, v.shape, v.component,
                        v.message if (v.shape, SH.message, None) in shapes_graph else None)
                       for v in violations(graph, shapes_graph, engine))

    dataset = Dataset(default_union=True)
    read_ontology(dataset, ontology_dir())
    example = dataset.graph(URIRef("urn:example"))
    example.parse(DATA / "valid-example.ttl")
    for triple in REMOVE:
        dataset.remove((*triple, None))
    example.parse(data=BAD_DATA, format="turtle")
    found = results(dataset, "oxigraph")
    assert found == results(dataset, "pyshacl")
    components = {str(component).rsplit("#", 1)[1].removesuffix("ConstraintComponent") for _, _, _, _, component, _
                  in found}
    assert components >= {"Class", "MinCount", "MaxCount", "Datatype", "NodeKind", "Pattern", "Node", "UniqueLang",
                          "Or", "LanguageIn", "MinInclusive", "MaxInclusive", "QualifiedMinCount",
                          "QualifiedMaxCount", "MinLength", "LessThanOrEquals", "SPARQL"}

    shipped = assemble()
    assert results(shipped, "oxigraph") == results(shipped, "pyshacl") == Counter()


EXTRA_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .  @prefix ex: <urn:ex:> .  @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:A a sh:NodeShape ; sh:targetNode ex:a , ex:b ;
    sh:property [ sh:path ex:p ; sh:in ( "x" "y" ) ; sh:maxLength 1 ] ,
                [ sh:path ex:n ; sh:minExclusive 0 ; sh:maxExclusive 10 ; sh:hasValue 5 ] ,
                [ sh:path ex:q ; sh:and ( [ sh:nodeKind sh:IRI ] [ sh:not [ sh:hasValue ex:bad ] ] ) ] ,
                [ sh:path ex:p ; sh:minCount 5 ; sh:severity sh:Warning ] ,
                [ sh:path ex:p ; sh:minCount 5 ; sh:deactivated true ] .
ex:B a sh:NodeShape ; sh:targetObjectsOf ex:q ; sh:nodeKind sh:BlankNodeOrIRI ;
    sh:property [ sh:path ex:r ; sh:maxCount 0 ] .
"""
EXTRA_DATA = """
@prefix ex: <urn:ex:> .
ex:a ex:p "x" , "zz" ; ex:n 5 , 10 ; ex:q ex:bad , ex:good , "text" .
ex:b ex:p "y" ; ex:n 0 ; ex:q ex:c .
ex:c ex:r 1 .
"""


def test_both_engines_agree_on_constraints_the_shapes_do_not_use_yet():
    """The rest of the translation (sh:in, sh:and, sh:not, lengths, exclusive bounds, targets by
    node and by object, severity, deactivation) against pyshacl on a small graph."""
    from collections import Counter

    from rdflib import Graph

    from glocal.validate import violations

    shapes_graph = Graph().parse(data=EXTRA_SHAPES, format="turtle")
    data = Graph().parse(data=EXTRA_DATA, format="turtle")

    def results(engine):
        return Counter((v.focus, v.path, v.value, v.shape, v.component) for v in violations(data, shapes_graph, engine))

    found = results("oxigraph")
    assert found == results("pyshacl")
    assert {str(c).rsplit("#", 1)[1] for *_, c in found} == {
        "InConstraintComponent", "MaxLengthConstraintComponent", "MaxExclusiveConstraintComponent",
        "MinExclusiveConstraintComponent", "HasValueConstraintComponent", "AndConstraintComponent",
        "NodeKindConstraintComponent", "MaxCountConstraintComponent"}

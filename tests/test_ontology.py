"""The ontology, the concept schemes and the shapes parse, and every term is documented."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from glocal.namespaces import GLI, GLO
from glocal.resources import ontology_dir


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(ontology_dir() / "glocal.ttl")


@pytest.fixture(scope="module")
def themes():
    return Graph().parse(ontology_dir() / "themes.ttl")


def glocal_terms(ontology):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    return sorted({s for k in kinds for s in ontology.subjects(RDF.type, k)
                   if isinstance(s, URIRef) and s.startswith(str(GLO))})


def test_ontology_header(ontology):
    header = URIRef("https://w3id.org/glocal/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    for predicate in ("title", "license"):
        assert ontology.value(header, URIRef(f"http://purl.org/dc/terms/{predicate}")) is not None
    assert ontology.value(header, OWL.versionInfo) is not None


def test_every_term_has_english_label_and_definition(ontology):
    terms = glocal_terms(ontology)
    assert len(terms) > 40
    for term in terms:
        labels = {label.language for label in ontology.objects(term, RDFS.label)}
        assert "en" in labels, f"{term} has no English label"
        definitions = list(ontology.objects(term, SKOS.definition)) + list(ontology.objects(term, RDFS.comment))
        assert definitions, f"{term} has no definition"


@pytest.mark.parametrize("name", ["City", "MetropolitanArea", "Region", "Country", "CityNetwork",
                                  "Membership", "Twinning", "Practice", "Policy", "BestPractice",
                                  "Outcome", "Indicator", "Observation", "Actor", "Source"])
def test_core_classes_exist_and_have_shapes(ontology, name):
    assert (GLO[name], RDF.type, OWL.Class) in ontology
    shapes = Graph().parse(ontology_dir() / "shapes.ttl")
    assert list(shapes.subjects(SH.targetClass, GLO[name])), f"no shape targets glo:{name}"


def test_reused_vocabularies_are_aligned(ontology):
    assert (GLO.Membership, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Membership")) in ontology
    assert (GLO.Observation, RDFS.subClassOf, URIRef("http://purl.org/linked-data/cube#Observation")) in ontology
    assert (GLO.twinnedWith, RDF.type, OWL.SymmetricProperty) in ontology


def test_concepts_are_labelled_in_english_and_german(themes):
    concepts = set(themes.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 30
    for concept in concepts:
        languages = {label.language for label in themes.objects(concept, SKOS.prefLabel)}
        assert {"en", "de"} <= languages, f"{concept} lacks an English or German label"
        assert themes.value(concept, SKOS.inScheme) is not None


@pytest.mark.parametrize("concept", ["theme/housing", "theme/inclusive-growth", "theme/growth",
                                     "theme/prosperity", "theme/inclusion", "challenge/climate-change",
                                     "challenge/covid-19-pandemic", "challenge/digitization-and-labour-markets",
                                     "challenge/socio-economic-inequality", "challenge/affordable-housing",
                                     "challenge/mobility-and-fair-access", "actor-type/philanthropy"])
def test_paper_concepts_exist(themes, concept):
    assert (GLI[concept], RDF.type, SKOS.Concept) in themes

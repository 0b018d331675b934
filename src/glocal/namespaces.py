"""The vocabularies Glocal uses, with their prefixes bound in one place."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SH, SKOS, VOID, XSD

BASE = "https://w3id.org/glocal/"
GLO = Namespace(BASE + "ontology/")  #: classes and properties
GLI = Namespace(BASE + "id/")  #: instances: GLI["city/de-berlin"]
GLG = Namespace(BASE + "graph/")  #: named graphs, one per source dataset
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, str] = {
    "glo": str(GLO),
    "gli": str(GLI),
    "glg": str(GLG),
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "geo": str(GEO),
    "gsp": str(GSP),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "qb": str(QB),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SCHEMA),
    "sh": str(SH),
    "skos": str(SKOS),
    "void": str(VOID),
    "xsd": str(XSD),
}

#: One prefix per kind of instance, so that SPARQL can say city:de-berlin (a prefixed name
#: cannot hold the '/' of gli:city/de-berlin).
KINDS = ("actor", "actor-type", "challenge", "city", "country", "dataset", "group", "indicator",
         "link", "membership", "metro", "network", "observation", "outcome", "practice", "region", "scheme",
         "source", "theme", "twinning", "twinning-kind")
PREFIXES.update({kind: f"{GLI}{kind}/" for kind in KINDS})
PREFIXES["paper"] = f"{GLI}source/working-paper/"  #: the working paper's sections: paper:introduction


"""The build's quads in plain dictionaries: the same set and the same N-Quads bytes as an rdflib Dataset."""

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from glocal.builder import assemble, canonical_nquads
from glocal.quads import Quads

G1, G2 = URIRef("urn:g1"), URIRef("urn:g2")
S, P = URIRef("urn:s"), URIRef("urn:p")


def test_a_quad_is_held_once_and_read_across_graphs():
    quads = Quads()
    for quad in [(S, P, Literal("a"), G1), (S, P, Literal("a"), G1), (S, P, Literal("b"), G1),
                 (S, P, Literal("a"), G2), (S, P, Literal("1", datatype=XSD.integer), G2)]:
        quads.add(quad)
    assert quads.sizes() == {G1: 2, G2: 2} and len(quads) == 4
    assert sorted(quads.objects(S, P)) == sorted([Literal("a"), Literal("b"), Literal("a"),
                                                  Literal("1", datatype=XSD.integer)])
    assert (S, P, Literal("b")) in quads and (S, P, Literal("c")) not in quads
    assert set(quads.subjects(P, Literal("b"))) == {S} and quads.value(S, RDFS.label) is None


def test_nquads_are_byte_identical_to_rdflib_serializer():
    quads = assemble()  # the curated graph: ontology (blank nodes), every kind of literal
    quads.add((S, RDFS.label, Literal('say "hi"\\\n\r', lang="en"), G1))
    quads.add((BNode("b0"), P, Literal("x", datatype=XSD.string), G1))
    assert canonical_nquads(quads) == canonical_nquads(quads.to_dataset())

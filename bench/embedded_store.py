"""How the embedded store (pyoxigraph on disk) compares with rdflib's memory store.

Generates a synthetic graph shaped like Glocal's (cities with twinnings and memberships),
loads it into both stores and times a few typical queries. Prints ratios against rdflib,
measured in the same run. Deterministic by seed.

    python bench/embedded_store.py --triples 1000000
"""

import argparse
import random
import statistics
import tempfile
import time

import pyoxigraph as ox
import rdflib

GLO = "https://w3id.org/glocal/ontology/"
GLI = "https://w3id.org/glocal/id/"
PREFIXES = f"PREFIX glo: <{GLO}>\nPREFIX org: <http://www.w3.org/ns/org#>\n" \
           "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
QUERIES = {
    "count twinnings": "SELECT (COUNT(*) AS ?n) WHERE { ?t a glo:Twinning }",
    "partners of one city": f"SELECT ?name WHERE {{ <{GLI}city/c7> glo:twinnedWith ?p . ?p rdfs:label ?name }}",
    "twinned members of one network (3-way join)":
        f"SELECT ?a ?b WHERE {{ ?a org:memberOf <{GLI}network/n3> . ?a glo:twinnedWith ?b . "
        f"?b org:memberOf <{GLI}network/n3> }}",
    "top partners by count":
        "SELECT ?c (COUNT(?p) AS ?n) WHERE { ?c glo:twinnedWith ?p } GROUP BY ?c ORDER BY DESC(?n) LIMIT 10",
}


def synthetic_ntriples(target: int, seed: int = 7) -> bytes:
    """About `target` triples: per city 4, plus 2 twinnings of 5 and 1 membership of 4."""
    rng = random.Random(seed)
    cities = max(10, target // 18)
    lines = []
    def iri(kind: str, i: int) -> str:
        return f"<{GLI}{kind}/{kind[0]}{i}>"

    typ = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    for i in range(cities):
        c = iri("city", i)
        lines += [f'{c} {typ} <{GLO}City> .', f'{c} {label} "City {i}"@en .',
                  f'{c} <{GLO}country> {iri("country", i % 200)} .',
                  f'{c} <http://www.w3.org/2003/01/geo/wgs84_pos#lat> "{rng.uniform(-90, 90):.5f}" .']
    for t in range(cities * 2):
        a, b = sorted(rng.sample(range(cities), 2))
        n = f"<{GLI}twinning/t{t}>"
        lines += [f"{n} {typ} <{GLO}Twinning> .", f"{n} <{GLO}partner> {iri('city', a)} .",
                  f"{n} <{GLO}partner> {iri('city', b)} .",
                  f"{iri('city', a)} <{GLO}twinnedWith> {iri('city', b)} .",
                  f"{iri('city', b)} <{GLO}twinnedWith> {iri('city', a)} ."]
    for m in range(cities):
        city, network = iri("city", rng.randrange(cities)), iri("network", rng.randrange(20))
        n = f"<{GLI}membership/m{m}>"
        lines += [f"{n} {typ} <{GLO}Membership> .", f"{n} <http://www.w3.org/ns/org#member> {city} .",
                  f"{n} <http://www.w3.org/ns/org#organization> {network} .",
                  f"{city} <http://www.w3.org/ns/org#memberOf> {network} ."]
    return ("\n".join(lines) + "\n").encode()


def median_seconds(run, repeat: int) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = synthetic_ntriples(args.triples)

    started = time.perf_counter()
    store = ox.Store(tempfile.mkdtemp())
    store.bulk_extend(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    store.flush()
    ox_load = time.perf_counter() - started
    size = len(store)

    started = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    rdf_load = time.perf_counter() - started

    print(f"synthetic graph: {size:,} triples")
    print(f"{'step':48} {'oxigraph (disk)':>16} {'rdflib (memory)':>16} {'speed-up':>9}")
    print(f"{'load (triples/s)':48} {size / ox_load:16,.0f} {size / rdf_load:16,.0f} {rdf_load / ox_load:8.1f}x")
    for name, query in QUERIES.items():
        ox_time = median_seconds(lambda q=query: list(store.query(PREFIXES + q)), args.repeat)
        rdf_time = median_seconds(lambda q=query: list(graph.query(PREFIXES + q)), args.repeat)
        print(f"{name[:36] + ' (median s)':48} {ox_time:16.4f} {rdf_time:16.4f} {rdf_time / ox_time:8.1f}x")


if __name__ == "__main__":
    main()

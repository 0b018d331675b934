"""A synthetic Glocal graph of any size with the real graph's shape, deterministic by seed.

The real graph (its sorted N-Quads export) is the template: the graph grows by copies of its
*replicable* entities — cities (with their geometries), twinnings, memberships, practices,
outcomes, observations, metros, regions and metro groups — each copy with its own IRIs
(``city/de-berlin`` becomes ``city/de-berlin-x7`` in copy 7), so every kind of entity keeps its
real proportion and every stored query finds the same vocabulary and IRI patterns. Shared
entities are not copied: countries, networks, concept schemes, themes, challenges, indicators,
sources, the ontology and the named-graph metadata, so a network or a country gains members as
the graph grows, as it would with more of the world's data. References inside a copy stay inside
it; the last copy is partial, its entities drawn at random (seeded), and its references to an
entity it did not draw go to the original. Copy 0 is the real graph itself, so the stored
queries' default parameters (city/de-berlin, network/c40…) still name entities.

    python -m bench.synthetic --store ./store --triples 1000000 > synthetic.nq
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter

GLI = "https://w3id.org/glocal/id/"
REPLICABLE = ("city", "twinning", "membership", "practice", "outcome", "observation", "metro", "region",
              "group")
ENTITY = re.compile(rf"<{re.escape(GLI)}({'|'.join(REPLICABLE)})/([^/>]+)")
SHARED_GRAPHS = (b"<https://w3id.org/glocal/graph/ontology> .", b"<https://w3id.org/glocal/graph/meta> .")


def replicable_lines(nquads: bytes) -> list[str]:
    """The lines of the template that describe a replicable entity (subject of that kind)."""
    lines = []
    for line in nquads.splitlines():
        if line.endswith(SHARED_GRAPHS):
            continue
        text = line.decode()
        match = ENTITY.match(text)
        if match:
            lines.append(text)
    return lines


def root(line: str) -> str:
    """The entity a line belongs to: its subject, up to the slug (city/x/geometry → city/x)."""
    match = ENTITY.match(line)
    return match.group(1) + "/" + match.group(2)


def generate(nquads: bytes, triples: int, seed: int = 7) -> bytes:
    """About `triples` quads, sorted N-Quads: the template plus copies of its replicable part."""
    template = [line for line in nquads.splitlines() if line.strip()]
    if triples < len(template):
        raise ValueError(f"{triples:,} triples is smaller than the real graph ({len(template):,}): "
                         "the generator only grows it")
    replicable = replicable_lines(nquads)
    extra = triples - len(template)
    full, partial = divmod(extra, len(replicable))
    rng = random.Random(seed)
    out = list(template)
    for copy in range(1, full + 1):
        suffix = f"-x{copy}"
        out += [ENTITY.sub(lambda m, s=suffix: f"<{GLI}{m.group(1)}/{m.group(2)}{s}", line).encode()
                for line in replicable]
    if partial:
        copy, fraction = full + 1, partial / len(replicable)
        entities = sorted({root(line) for line in replicable})
        drawn = {e for e in entities if rng.random() < fraction}

        def rename(m):
            key = m.group(1) + "/" + m.group(2)
            return f"<{GLI}{key}-x{copy}" if key in drawn else m.group(0)

        out += [ENTITY.sub(rename, line).encode() for line in replicable if root(line) in drawn]
    out.sort()
    return b"\n".join(out) + b"\n"


def shape(nquads: bytes) -> dict[str, int]:
    """Instances per Glocal class (rdf:type glo:X outside the ontology graph), to check proportions."""
    counts: Counter = Counter()
    marker = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/glocal/ontology/"
    for line in nquads.splitlines():
        at = line.find(marker)
        if at > 0 and not line.endswith(SHARED_GRAPHS):
            counts[line[at + len(marker):].split(b">", 1)[0].decode()] += 1
    return dict(sorted(counts.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="a built Glocal store: the template")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    import io

    import glocal

    buffer = io.BytesIO()
    glocal.open_graph(args.store).export("nq", buffer)
    data = memoryview(generate(buffer.getvalue(), args.triples, args.seed))
    for start in range(0, len(data), 1 << 28):  # one write of more than 2 GiB to stdout stops at 2 GiB
        sys.stdout.buffer.write(data[start:start + (1 << 28)])


if __name__ == "__main__":
    main()

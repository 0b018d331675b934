"""Network analytics over the graph (networkx): centralities, communities, bridges, paths, suggestions.

Every function takes the entity network of explore.network (or any graph with the same node
attributes kind, label, country and edge attribute relation) and returns rows (dicts), which
`format_rows` writes as a table, CSV or JSON.

The *diplomatic network* is the cities and city networks with the twinning and membership edges:
the ties through which cities act together. Paths also go through practices and challenges, but
never through countries or themes, which would join any two cities in two steps.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from itertools import combinations

import networkx as nx

from .errors import GlocalError
from .explore import resolve

DIPLOMATIC = {"twinned with", "member of"}
TIES = {"twinning": {"twinned with"}, "membership": {"member of"}, "both": DIPLOMATIC}
HUBS = {"in country", "theme"}
EXACT_LIMIT = 2000  #: above this many nodes, betweenness is estimated from SAMPLE sources
SAMPLE = 200


def betweenness(d: nx.Graph) -> dict:
    """Betweenness centrality: exact up to EXACT_LIMIT nodes, else estimated from SAMPLE sources
    (seeded, so the same graph gives the same figures; exact would take ~25 min at 17,000 nodes)."""
    if len(d) <= EXACT_LIMIT:
        return nx.betweenness_centrality(d)
    return nx.betweenness_centrality(d, k=SAMPLE, seed=1)


def diplomatic(g: nx.Graph, relations: set[str] = DIPLOMATIC) -> nx.Graph:
    """Cities and networks joined by twinnings and memberships (or by one of them)."""
    keep = [(a, b) for a, b, r in g.edges(data="relation") if r in relations]
    d = nx.Graph()
    d.add_nodes_from((n, g.nodes[n]) for n in g if g.nodes[n]["kind"] in ("city", "network"))
    d.add_edges_from((a, b, g.edges[a, b]) for a, b in keep)
    return d


def centrality(g: nx.Graph, top: int | None = None, ties: str = "both") -> list[dict]:
    """Cities by betweenness in the diplomatic network, with degree centrality, twinnings, networks;
    `ties` takes the twinning network, the membership network or both."""
    if ties not in TIES:
        raise GlocalError(f"ties are {', '.join(TIES)}, not '{ties}'")
    d = diplomatic(g, TIES[ties])
    between = betweenness(d)
    degree = nx.degree_centrality(d)
    rows = []
    for n, data in d.nodes(data=True):
        if data["kind"] != "city":
            continue
        rels = [d.edges[n, m]["relation"] for m in d[n]]
        rows.append({"city": n, "label": data["label"], "country": data.get("country", ""),
                     "twinnings": rels.count("twinned with"), "networks": rels.count("member of"),
                     "degree": round(degree[n], 6), "betweenness": round(between[n], 6)})
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], r["label"]))
    return rows[:top] if top else rows


def communities(g: nx.Graph) -> list[dict]:
    """Communities (Louvain, seeded) of the diplomatic network, largest first; lone cities left out."""
    d = diplomatic(g)
    d.remove_nodes_from([n for n in list(d) if d.degree(n) == 0])
    if not d:
        return []
    found = nx.community.louvain_communities(d, seed=1)
    ordered = sorted(found, key=lambda c: (-len(c), min(c)))
    rows = []
    for i, members in enumerate(ordered, 1):
        countries = defaultdict(int)
        for n in members:
            if d.nodes[n].get("country"):
                countries[d.nodes[n]["country"]] += 1
        rows.append({"community": i, "size": len(members),
                     "countries": " ".join(f"{c}:{k}" for c, k in sorted(countries.items())),
                     "members": ", ".join(sorted(d.nodes[n]["label"] for n in members))})
    return rows


def bridges(g: nx.Graph, a: str = "DE", b: str = "US") -> list[dict]:
    """Cities that bridge the cities of country `a` and country `b`: ranked by their ties to the other
    side (twinnings with its cities, and networks shared with them), then by betweenness."""
    d = diplomatic(g)
    between = betweenness(d)
    side = {a: b, b: a}
    rows = []
    for n, data in d.nodes(data=True):
        own = data.get("country")
        if data["kind"] != "city" or own not in side:
            continue
        other = side[own]
        partners = sorted(d.nodes[m]["label"] for m in d[n]
                          if d.edges[n, m]["relation"] == "twinned with" and d.nodes[m].get("country") == other)
        shared = sorted(d.nodes[net]["label"] for net in d[n] if d.nodes[net]["kind"] == "network"
                        and any(d.nodes[m].get("country") == other for m in d[net]))
        if partners or shared:
            reasons = ([f"twinned with {', '.join(partners)}"] if partners else []) + \
                      [f"in {net} with {other} cities" for net in shared]
            rows.append({"city": n, "label": data["label"], "country": own, "ties": len(partners) + len(shared),
                         "betweenness": round(between[n], 6), "reasons": "; ".join(reasons)})
    rows.sort(key=lambda r: (-r["ties"], -r["betweenness"], r["label"]))
    return rows


def path(g: nx.Graph, source: str, target: str) -> list[dict]:
    """The shortest diplomatic path between two cities: one row per step, with the relation taken."""
    a, b = resolve(g, source, ("city",)), resolve(g, target, ("city",))
    view = nx.Graph((x, y, d) for x, y, d in g.edges(data=True) if d["relation"] not in HUBS)
    view.add_nodes_from([a, b])
    try:
        nodes = nx.shortest_path(view, a, b)
    except nx.NetworkXNoPath:
        raise GlocalError(f"no diplomatic path between {g.nodes[a]['label']} and {g.nodes[b]['label']} "
                          "(through twinnings, networks, practices and challenges)") from None
    rows = []
    for i, n in enumerate(nodes):
        rows.append({"step": i, "node": n, "label": g.nodes[n]["label"], "kind": g.nodes[n]["kind"],
                     "relation": view.edges[nodes[i - 1], n]["relation"] if i else ""})
    return rows


def suggestions(g: nx.Graph, top: int | None = 20, cross_border: bool = False) -> list[dict]:
    """Pairs of cities not yet twinned that share networks, practices or challenges, ranked by how much
    they share (each shared network, practice or challenge counts one), each with its reasons."""
    shared = defaultdict(list)
    practices_of = defaultdict(set)
    for n, data in g.nodes(data=True):
        if data["kind"] == "practice":
            for m in g[n]:
                if g.nodes[m]["kind"] == "city" and g.edges[n, m]["relation"] == "implemented by":
                    practices_of[m].add(n)
    groups = defaultdict(set)  # reason -> cities
    for n, data in g.nodes(data=True):
        if data["kind"] != "city":
            continue
        for m in g[n]:
            if g.edges[n, m]["relation"] == "member of":
                groups[f"both members of {g.nodes[m]['label']}"].add(n)
        for p in practices_of[n]:
            groups[f"both implement {g.nodes[p]['label']}"].add(n)
            for c in g[p]:
                if g.nodes[c]["kind"] == "challenge":
                    groups[f"both address {g.nodes[c]['label']}"].add(n)
    for reason, cities in groups.items():
        for a, b in combinations(sorted(cities), 2):
            if g.has_edge(a, b) or (cross_border and g.nodes[a].get("country") == g.nodes[b].get("country")):
                continue
            shared[a, b].append(reason)
    rows = [{"city_a": g.nodes[a]["label"], "country_a": g.nodes[a].get("country", ""),
             "city_b": g.nodes[b]["label"], "country_b": g.nodes[b].get("country", ""),
             "score": len(reasons), "reasons": "; ".join(sorted(set(reasons)))}
            for (a, b), reasons in shared.items()]
    rows.sort(key=lambda r: (-r["score"], r["city_a"], r["city_b"]))
    return rows[:top] if top else rows


def format_rows(rows: list[dict], fmt: str = "table") -> str:
    """Rows as an aligned text table, CSV or JSON.

    >>> print(format_rows([{"city": "Berlin", "n": 2}], "csv"), end="")
    city,n
    Berlin,2
    """
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if not rows:
        return "" if fmt == "csv" else "(no rows)\n"
    columns = list(rows[0])
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    if fmt != "table":
        raise GlocalError(f"unknown format '{fmt}' (expected table, csv or json)")
    cells = [[str(r[c]) for c in columns] for r in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()
    return "\n".join([line(columns), line(["-" * w for w in widths]), *map(line, cells)]) + "\n"

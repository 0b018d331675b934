"""How the explorer (glocal viz) scales: generation time, file size and time to first render.

Sizes: the shipped graph (if a store is given), synthetic twinning networks of 1k and 10k cities
(Barabási–Albert trees plus random extra twinnings, cities scattered around 40 country centres,
5 % of them in one of 20 networks), and the full worldwide twinning list of Wikipedia (Hekman/
twincities `twin_cities.csv`, geocoded; give its path with --full), also aggregated to countries. Time to first render is from
opening the file in headless Chromium (Debian's, all network requests blocked) until the page has
drawn (its loading overlay hidden). Then times the analytics (glocal analyze) on the same graphs.
Deterministic by seed.

    python bench/explorer.py --store ./store --full ../shared/sources/twin-towns-wikipedia/twin_cities.csv
"""

import argparse
import csv
import random
import tempfile
import time
from pathlib import Path

import networkx as nx

from glocal import analyze, explore, viz


def synthetic(cities: int, seed: int = 7) -> nx.Graph:
    rng = random.Random(seed)
    g = nx.barabasi_albert_graph(cities, 1, seed=seed)
    edges = g.number_of_edges()  # counted here: number_of_edges() walks every node (quadratic in the loop)
    while edges < cities * 1.4:
        a, b = rng.sample(range(cities), 2)
        edges += not g.has_edge(a, b)
        g.add_edge(a, b)
    centres = [(rng.uniform(-50, 60), rng.uniform(-120, 140)) for _ in range(40)]
    g = nx.relabel_nodes(g, {i: f"city:c{i}" for i in range(cities)})
    for i, node in enumerate(list(g)):
        lat, lon = centres[i % 40]
        g.nodes[node].update(kind="city", type="City", label=f"City {i}", country=f"C{i % 40}",
                             lat=lat + rng.gauss(0, 3), lon=lon + rng.gauss(0, 3))
    nx.set_edge_attributes(g, "twinned with", "relation")
    for i in range(20):
        g.add_node(f"network:n{i}", kind="network", type="City network", label=f"Network {i}")
    for node in rng.sample([n for n in g if n.startswith("city:")], cities // 20):
        g.add_edge(node, f"network:n{rng.randrange(20)}", relation="member of")
        g.nodes[node].setdefault("networks", []).append("x")
    return g


def worldwide(path: Path) -> nx.Graph:
    """Every geocoded pair of the Wikipedia list, places keyed by name and country, self-pairs dropped."""
    g = nx.Graph()
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            a, b = (f"{row['city1']}|{row['country1']}", f"{row['city2']}|{row['country2']}")
            if a == b:
                continue
            for node, city, country, lat, lon in ((a, row["city1"], row["country1"], row["lat1"], row["lng1"]),
                                                  (b, row["city2"], row["country2"], row["lat2"], row["lng2"])):
                if node not in g:
                    g.add_node(node, kind="city", type="City", label=city, country=country.split(", ")[-1],
                               lat=float(lat), lon=float(lon))
            g.add_edge(a, b, relation="twinned with")
    return g


def first_render(browser, path: Path) -> float:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("document.getElementById('loadingBar').style.display === 'none'", timeout=600_000)
    seconds = time.perf_counter() - started
    drawn = page.evaluate("network.body.nodeIndices.length")
    page.close()
    return seconds, drawn


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="a built Glocal store: measure the shipped graph too")
    parser.add_argument("--full", type=Path, help="twin_cities.csv of Hekman/twincities (the worldwide list)")
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    graphs = []
    if args.store:
        import glocal

        graphs.append(("shipped graph", explore.network(glocal.open_graph(args.store)), ("DE", "US")))
    graphs += [(f"synthetic {int(n):,}", synthetic(int(n)), ("C0", "C1")) for n in args.sizes.split(",")]
    if args.full:
        world = worldwide(args.full)
        graphs.append(("worldwide twinnings", world, ("Germany", "United States")))
        graphs.append(("worldwide, by country", explore.by_country_level(world), ("Germany", "United States")))

    from playwright.sync_api import sync_playwright

    print(f"{'graph':22} {'nodes':>7} {'edges':>7} {'generate s':>10} {'file MB':>8} {'render s':>9} {'physics':>7}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--headless=new", "--disable-gpu"])
        for name, g, _ in graphs:
            out = Path(tmp) / "page.html"
            started = time.perf_counter()
            size = viz.write(g, out, name)
            generated = time.perf_counter() - started
            seconds, drawn = first_render(browser, out)
            assert drawn == len(g), (drawn, len(g))
            print(f"{name:22} {len(g):>7,} {g.number_of_edges():>7,} {generated:>10.2f} {size / 1e6:>8.1f} "
                  f"{seconds:>9.2f} {'on' if viz.physics_on(g) else 'off':>7}", flush=True)
        browser.close()

    print(f"\n{'graph':22} {'centrality s':>12} {'communities s':>13} {'bridges s':>9} {'suggest s':>9}")
    for name, g, countries in graphs:
        times = []
        for measure, *extra in ((analyze.centrality,), (analyze.communities,), (analyze.bridges, *countries),
                                (analyze.suggestions,)):
            started = time.perf_counter()
            measure(g, *extra)
            times.append(time.perf_counter() - started)
        print(f"{name:22} {times[0]:>12.2f} {times[1]:>13.2f} {times[2]:>9.2f} {times[3]:>9.2f}", flush=True)


if __name__ == "__main__":
    main()

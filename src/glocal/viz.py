"""The explorer: one self-contained, offline HTML page that draws a network with vis-network (pyvis).

The page makes no network request at all: vis-network is inlined from the copy that the pyvis
package ships (dual licensed Apache-2.0 / MIT; its licence header is kept), and the page uses no
Bootstrap or other CDN resource. Positions are precomputed in Python, so the browser only draws:
a spring layout (networkx) for small graphs, geographic positions (longitude, latitude) for cities
in large ones, with every other node at the centre of its neighbours. Above `PHYSICS_LIMIT` nodes
or edges physics is off, so even tens of thousands of nodes open at once.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx

from .errors import GlocalError

PHYSICS_LIMIT = (400, 1000)  #: above this many nodes or edges the page draws with physics off
SPRING_LIMIT = 499  #: above this, positions come from coordinates (networkx's spring layout turns slow at 500)
SCALE = 1000  #: layout units to pixels
STYLE = {  # kind: (legend label, colour, shape)
    "city": ("City", "#1f77b4", "dot"),
    "country": ("Country", "#7f7f7f", "square"),
    "network": ("City network", "#d62728", "diamond"),
    "practice": ("Practice", "#2ca02c", "triangle"),
    "challenge": ("Challenge", "#ff7f0e", "star"),
    "theme": ("Theme", "#9467bd", "hexagon"),
    "indicator": ("Indicator", "#8c564b", "triangleDown"),
    "other": ("Other", "#bcbd22", "dot"),
}
TEMPLATE = Path(__file__).parent / "templates"


def vis_network_files() -> tuple[str, str]:
    """The JavaScript and CSS of vis-network as shipped by pyvis (newest version it holds)."""
    import pyvis

    folders = sorted((Path(pyvis.__file__).parent / "templates" / "lib").glob("vis-*"),
                     key=lambda p: tuple(int(x) for x in p.name[4:].split(".")))
    if not folders:
        raise GlocalError("the pyvis package ships no vis-network copy: reinstall pyvis")
    folder = folders[-1]
    return ((folder / "vis-network.min.js").read_text(encoding="utf-8"),
            (folder / "vis-network.css").read_text(encoding="utf-8"))


def layout(g: nx.Graph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions in pixels: spring layout up to SPRING_LIMIT nodes, else coordinates and barycentres."""
    if not g:
        return {}
    if len(g) <= SPRING_LIMIT:
        pos = nx.spring_layout(g, seed=seed, k=1.5 / math.sqrt(len(g)))
        return {n: (x * SCALE * math.sqrt(len(g)) / 4, y * SCALE * math.sqrt(len(g)) / 4) for n, (x, y) in pos.items()}
    return geographic_layout(g)


def geographic_layout(g: nx.Graph, rounds: int = 3) -> dict[str, tuple[float, float]]:
    """Cities at their longitude and latitude (equirectangular); every other node at the mean of its
    placed neighbours; what stays unplaced goes on a row below the map. Linear in the graph's size.

    >>> g = nx.Graph([("a", "n"), ("b", "n")]); g.nodes["a"].update(lat=0, lon=0); g.nodes["b"].update(lat=0, lon=2)
    >>> geographic_layout(g)["n"]
    (10.0, 0.0)
    """
    pos = {n: (d["lon"] * 10.0, -d["lat"] * 10.0) for n, d in g.nodes(data=True) if "lat" in d and "lon" in d}
    for _ in range(rounds):
        placed = {}
        for node in g:
            if node not in pos:
                around = [pos[m] for m in g[node] if m in pos]
                if around:
                    placed[node] = (sum(x for x, _ in around) / len(around), sum(y for _, y in around) / len(around))
        pos.update(placed)
    for i, node in enumerate(n for n in g if n not in pos):
        pos[node] = (-1800.0 + (i % 360) * 10.0, 1000.0 + (i // 360) * 10.0)
    return pos


def node_sizes(g: nx.Graph, by: str = "degree") -> dict[str, float]:
    """Node sizes from 8 to 40 by the square root of degree or population (no population: 8).

    >>> g = nx.Graph([("a", "b"), ("a", "c")]); g.nodes["a"]["population"] = 400; g.nodes["b"]["population"] = 100
    >>> node_sizes(g, "population")
    {'a': 40.0, 'b': 24.0, 'c': 8.0}
    """
    if by not in ("degree", "population"):
        raise GlocalError(f"nodes are sized by degree or population, not '{by}'")
    values = {n: (d if by == "degree" else g.nodes[n].get("population", 0)) for n, d in g.degree}
    top = math.sqrt(max(values.values(), default=0)) or 1
    return {n: round(8 + 32 * math.sqrt(v) / top, 2) for n, v in values.items()}


def tooltip(d: dict, fallback_type: str) -> str:
    """The hover text (plain text, never HTML): label, type, up to four short facts, sources.

    >>> print(tooltip({"label": "Berlin", "type": "City", "facts": [["Country", "Germany"]],
    ...                "sources": [["GeoNames", ""]]}, "City"))
    Berlin (City)
    Country: Germany
    Sources: GeoNames
    """
    lines = [f"{d.get('label', '')} ({d.get('type', fallback_type)})"]
    lines += [f"{k}: {v}" for k, v in d.get("facts", []) if len(v) <= 60][:4]
    if d.get("sources"):
        lines.append("Sources: " + "; ".join(title for title, _ in d["sources"]))
    return "\n".join(lines)


def page_data(g: nx.Graph, size_by: str = "degree") -> tuple[list[dict], list[dict]]:
    """The node and edge lists vis-network draws, filled directly (pyvis's add_node is quadratic)."""
    pos, sizes = layout(g), node_sizes(g, size_by)
    nodes = []
    for node, d in g.nodes(data=True):
        kind = d.get("kind", "other") if d.get("kind") in STYLE else "other"
        label, colour, shape = STYLE[kind]
        x, y = pos[node]
        nodes.append({
            "id": node, "label": d.get("label", node), "title": tooltip(d, label),
            "shape": shape, "color": colour, "size": sizes[node], "x": round(x, 1), "y": round(y, 1),
            "kind": kind, "type": d.get("type", label), "country": d.get("country", ""),
            "networks": d.get("networks", []), "iri": d.get("iri", ""), "facts": d.get("facts", []),
            "sources": d.get("sources", []), "links": d.get("links", []), "degree": g.degree(node)})
    edges = [{"from": a, "to": b, "title": d.get("relation", ""), "sources": d.get("sources", []),
              "width": round(1 + math.log2(d.get("count", 1)), 2),
              "color": {"color": "rgba(31,119,180,0.5)" if "twinn" in d.get("relation", "") else "rgba(150,150,150,0.4)"}}
             for a, b, d in g.edges(data=True)]
    return nodes, edges


def physics_on(g: nx.Graph) -> bool:
    """Physics (the browser moving nodes until they settle) only for small, sparse graphs."""
    return len(g) <= PHYSICS_LIMIT[0] and g.number_of_edges() <= PHYSICS_LIMIT[1]


def render(g: nx.Graph, title: str = "Glocal explorer", size_by: str = "degree") -> str:
    """The explorer page for a network (from explore.network or a view of it), as HTML text."""
    from pyvis.network import Network

    if not g:
        raise GlocalError("the view is empty: nothing to draw")
    net = Network(height="100vh", width="100%", cdn_resources="in_line", heading=title)
    net.nodes, net.edges = page_data(g, size_by)
    physics = physics_on(g)
    net.options = {
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "stabilization": {"enabled": physics, "iterations": 150}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": not physics,
                        "hideEdgesOnZoom": not physics},
        "nodes": {"font": {"size": 12}}, "edges": {"smooth": physics, "width": 1}}
    net.set_template_dir(str(TEMPLATE) + "/", "explorer.html")
    js, css = vis_network_files()
    present = {n["kind"] for n in net.nodes}
    net.templateEnv.globals.update(
        vis_js=js, vis_css=css,
        legend=[{"kind": k, "label": s[0], "color": s[1], "shape": s[2]} for k, s in STYLE.items() if k in present],
        countries=sorted({n["country"] for n in net.nodes if n["country"]}),
        networks=sorted({m for n in net.nodes for m in n["networks"]}),
        counts=json.dumps({"nodes": len(net.nodes), "edges": len(net.edges)}))
    return net.generate_html()


def write(g: nx.Graph, output: Path, title: str = "Glocal explorer", size_by: str = "degree") -> int:
    """Write the explorer page; returns its size in bytes."""
    html = render(g, title, size_by).encode("utf-8")
    try:
        Path(output).write_bytes(html)
    except OSError as exc:
        raise GlocalError(f"cannot write {output}: {exc.strerror}") from None
    return len(html)

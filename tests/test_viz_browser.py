"""The explorer page in a real headless Chromium (Debian's chromium, driven by Playwright), with every
network request blocked: vis-network draws the expected nodes and edges, filters hide what they
should, and a click on a node shows its details."""

import pytest

from glocal import explore, viz

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--headless=new", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def net(graph):
    return explore.network(graph)


def open_page(browser, path):
    """Open a page offline; returns the page and the list of requests it tried (all blocked)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    tried, errors = [], []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            tried.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("document.getElementById('loadingBar').style.display === 'none'", timeout=120_000)
    return page, tried, errors


def drawn(page):
    return page.evaluate("[network.body.nodeIndices.length, network.body.edgeIndices.length]")


def test_whole_graph_draws_offline_and_filters(browser, net, tmp_path):
    path = tmp_path / "all.html"
    viz.write(net, path)
    page, tried, errors = open_page(browser, path)
    assert tried == [] and errors == []
    assert drawn(page) == [net.number_of_nodes(), net.number_of_edges()]

    cities = [n for n, d in net.nodes(data=True) if d["kind"] == "city"]
    page.uncheck(".f-kind[value=city]")
    rest = net.subgraph(set(net) - set(cities))
    assert drawn(page) == [rest.number_of_nodes(), rest.number_of_edges()]
    page.check(".f-kind[value=city]")

    page.uncheck(".f-country[value=US]")
    us = {n for n, d in net.nodes(data=True) if d.get("country") == "US"}
    rest = net.subgraph(set(net) - us)
    assert drawn(page) == [rest.number_of_nodes(), rest.number_of_edges()]
    page.check(".f-country[value=US]")

    page.select_option("#f-network", "C40")
    outside = {n for n in cities if "C40" not in net.nodes[n]["networks"]}
    assert drawn(page)[0] == net.number_of_nodes() - len(outside)
    assert page.text_content("#counts").startswith(f"{net.number_of_nodes() - len(outside)} of {net.number_of_nodes()} nodes")
    page.close()


def test_hover_and_click_show_details_and_links(browser, net, tmp_path):
    path = tmp_path / "berlin.html"
    viz.write(explore.ego(net, "Berlin", 1), path)
    page, tried, errors = open_page(browser, path)
    assert tried == [] and errors == [] and drawn(page) == [4, 4]  # Berlin, Los Angeles, C40, Germany; LA is in C40 too
    page.evaluate("network.setOptions({physics: false})")  # hold the nodes still for the click
    x, y = page.evaluate("""(() => { const p = network.canvasToDOM(network.getPosition('city:de-berlin'));
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; })()""")
    page.mouse.move(x, y)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().splitlines()[:2] == ["Berlin (City)", "Country: Germany"]
    page.mouse.click(x, y)
    details = page.locator("#details")
    assert details.locator("h1").text_content() == "Berlin"
    assert "GeoNames id" in details.text_content() and "C40" in details.text_content()
    assert details.get_by_role("link", name="Wikidata", exact=True).get_attribute("href") == "https://www.wikidata.org/wiki/Q64"
    assert details.get_by_role("link", name="GeoNames", exact=True).get_attribute("href") == "https://www.geonames.org/2950159"
    page.close()


def test_large_graph_draws_without_physics(browser, tmp_path):
    import networkx as nx

    g = nx.random_labeled_tree(3000, seed=2)
    for n in g:
        g.nodes[n].update(kind="city", label=f"c{n}", lat=(n * 37) % 120 - 60, lon=(n * 91) % 360 - 180)
    path = tmp_path / "large.html"
    viz.write(g, path)
    page, tried, errors = open_page(browser, path)
    assert tried == [] and errors == [] and drawn(page) == [3000, 2999]
    assert page.evaluate("network.physics.physicsEnabled") is False
    assert page.evaluate("network.getPosition('5')") == {"x": (5 * 91) % 360 * 10 - 1800, "y": -((5 * 37) % 120 - 60) * 10}
    page.close()

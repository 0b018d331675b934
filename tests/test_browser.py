"""The query page and an entity page in headless Chromium (Playwright, the Debian browser)."""

import shutil
from pathlib import Path

import pytest
from servers import glocal_serve

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]
CHROMIUM = "/usr/bin/chromium"

if not Path(CHROMIUM).exists():
    pytest.skip("Debian package chromium is not installed (.ci/apt-packages.txt)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(store, tmp_path_factory):
    running = glocal_serve(store, tmp_path_factory.mktemp("browser") / "serve.log")
    yield running
    running.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A page that records every request leaving 127.0.0.1 (there must be none: no CDN)."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.outside = []
    page.errors = []
    page.on("request", lambda r: None if r.url.startswith((server.url, "blob:", "data:")) else page.outside.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def test_stored_query_runs_in_the_page(page, server, graph, tmp_path):
    page.goto(server.url + "/")
    page.wait_for_selector(".CodeMirror")  # the YASQE editor is up
    page.select_option("#stored", "network-members")
    page.fill("#params input[name=network]", "network/iclei")  # the parameter is used: no members
    page.click("#run")
    page.wait_for_function("document.querySelector('#status').textContent.startsWith('0 rows')")
    page.fill("#params input[name=network]", "network/c40")
    page.click("#run")
    page.wait_for_selector("#result-table tr:nth-child(2)")
    expected = graph.run("network-members", {"network": "network/c40"}).rows
    assert len(expected) > 10 and page.locator("#result-table tr").count() == len(expected) + 1
    assert page.text_content("#status").startswith(f"{len(expected)} rows")
    member = page.locator("#result-table a[href^='/id/city/']").first
    with page.expect_download() as download:
        page.click("#csv")
    target = tmp_path / "members.csv"
    download.value.save_as(target)
    lines = target.read_text().splitlines()
    assert lines[0].startswith("network,member,name") and len(lines) == len(expected) + 1
    member.click()
    page.wait_for_selector("#facts")
    assert page.url.startswith(server.url + "/id/city/")
    page.wait_for_selector("#network canvas")  # the neighbourhood graph is drawn
    assert page.outside == [] and page.errors == []


def test_own_query_errors_and_json_download(page, server, tmp_path):
    page.goto(server.url + "/")
    page.wait_for_selector(".CodeMirror")
    page.evaluate("editor.setValue('SELECT ?x WHERE { ?x }')")
    page.click("#run")
    page.wait_for_selector("#error:not(:empty)")
    assert page.text_content("#error").startswith("SPARQL syntax error")
    page.evaluate("editor.setValue('SELECT ?name WHERE { city:de-berlin rdfs:label ?name }')")
    page.click("#run")
    page.wait_for_selector("#result-table")
    assert "Berlin" in page.text_content("#result-table")
    with page.expect_download() as download:
        page.click("#json")
    target = tmp_path / "berlin.json"
    download.value.save_as(target)
    assert '"value": "Berlin"' in target.read_text().replace('":"', '": "')
    assert page.outside == [] and page.errors == []


def test_no_bundled_file_is_fetched_from_elsewhere():
    static = Path(__file__).parents[1] / "src" / "glocal" / "web"
    assert (static / "static" / "yasqe" / "LICENSE.txt").is_file()
    for template in (static / "templates").glob("*.html"):
        text = template.read_text()
        assert "cdn" not in text.lower() and "src=\"http" not in text
    assert shutil.which("chromium") or Path(CHROMIUM).exists()

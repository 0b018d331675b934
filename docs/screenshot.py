"""Take docs/explorer.png: the explorer of the shipped graph in headless Chromium, Berlin clicked.

    glocal viz -o /tmp/glocal.html && python docs/screenshot.py /tmp/glocal.html docs/explorer.png
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

page_file, output = Path(sys.argv[1]).resolve(), sys.argv[2]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless=new"])
    page = browser.new_page(viewport={"width": 1000, "height": 600})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page.goto(page_file.as_uri())
    page.wait_for_function("document.getElementById('loadingBar').style.display === 'none'", timeout=600_000)
    page.evaluate("network.setOptions({physics: false})")
    x, y = page.evaluate("""(() => { const p = network.canvasToDOM(network.getPosition('city:de-berlin'));
        const r = document.getElementById('mynetwork').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; })()""")
    page.mouse.click(x, y)
    page.screenshot(path=output)
    browser.close()

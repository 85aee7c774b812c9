"""The pages in a real browser: Playwright driving Debian's headless Chromium.

Install what these need with ``scripts/install_browser.sh``. Set
``SANCTIONS_SCREENSHOTS=docs/screenshots`` to keep PNGs of the main pages.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.slow

ARTICLE = ("EU exports of integrated circuits (HS 8542) to Kazakhstan rose sharply in 2022 compared with "
           "2021, according to Eurostat data. Ivan Petrovich Testovsky, who is on a sanctions list, "
           "denied any role. The Council adopted the measures on 23 June 2023.")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: run scripts/install_browser.sh")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed: run scripts/install_browser.sh")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.dialogs = []  # any alert/confirm/prompt is a script that ran
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.page_errors = []
    tab.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    tab.csp_violations = []  # our own pages must live within their policy
    tab.on("console", lambda message: tab.csp_violations.append(message.text)
           if "Content Security Policy" in message.text else None)
    yield tab
    context.close()


def screenshot(page, name: str) -> None:
    """Keep a PNG of the page in $SANCTIONS_SCREENSHOTS (the docs use them)."""
    folder = os.environ.get("SANCTIONS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def test_search_then_document_then_claim(page, web_store):
    page.goto("/search")
    page.fill("#q", "exports of integrated circuits to Kazakhstan")
    page.select_option("select[name=kind]", "news")
    page.click("button[type=submit]")
    page.wait_for_selector("ol.hits li.hit")
    assert "passages for" in page.inner_text("#result-count")
    assert page.locator("ol.hits mark").count() > 0  # highlighted query terms
    screenshot(page, "search")

    sample = web_store["doc_by_file"]["sample_article_eu_chp_exports.txt"]
    page.locator(f"a.doc-link[href^='/documents/{sample}']").first.click()
    page.wait_for_selector("#doctext")
    assert page.locator("span.ann.a-hs_code.chp").count() >= 2
    code = page.locator("span.ann.a-hs_code", has_text="8542").first
    assert "CHP tier 1" in code.get_attribute("title")
    assert "Electronic integrated circuits" in code.get_attribute("title")
    date_title = page.locator("span.ann.a-date").first.get_attribute("title")
    assert "interval" in date_title
    assert page.locator("#passage").count() == 1  # the hit's passage is marked
    assert page.evaluate("window.scrollY") > 0 or page.locator("#passage").is_visible()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "document")
    # The layer toggles are our JavaScript, running under the CSP.
    page.uncheck("input[data-toggle=entity]")
    assert "hide-entity" in page.evaluate("document.body.className")
    page.check("input[data-toggle=entity]")

    page.locator("#claims a.claim-link").first.click()
    page.wait_for_selector("#claim")
    verdict = page.inner_text(".verdict-line .verdict")
    assert verdict in ("supported", "contradicted", "mixed", "no data")
    assert page.locator("#series tr").count() >= 2
    assert page.locator("figure.chart img").count() >= 1
    assert page.evaluate("document.querySelector('figure.chart img').naturalWidth") > 100
    screenshot(page, "claim")
    assert page.dialogs == [] and page.page_errors == [] and page.csp_violations == []


def test_tagging_page(page):
    pytest.importorskip("nlp.tag.tagging", reason="nlp.tag.tagging is not installed yet")
    page.goto("/tag")
    page.fill("#article-text", ARTICLE)
    assert "characters" in page.inner_text("#char-count")  # the counter script ran
    page.fill("input[name=published]", "2023-07-01")
    page.click("#tag-submit")
    page.wait_for_selector("#tag-result")
    entities = page.inner_text("#tag-entities")
    assert "Kazakhstan" in entities
    assert "8542" in page.inner_text("#tag-codes")
    assert page.locator("#tag-claims li").count() >= 1
    screenshot(page, "tag")
    assert page.dialogs == [] and page.page_errors == [] and page.csp_violations == []


@pytest.mark.parametrize("file_name", ["hostile_news.html", "hostile_text.txt"])
def test_hostile_documents_run_nothing(page, web_store, file_name):
    doc_id = web_store["doc_by_file"][file_name]
    page.goto(f"/documents/{doc_id}")
    page.wait_for_selector("#doctext")
    for selector in ("#doctext .text", "#doc-title", ".side li"):
        for element in page.locator(selector).all()[:20]:
            element.hover()  # mouseover handlers, had any survived
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.dialogs == []
    assert page.title() != "pwned" and page.title().endswith(" · sanctions-nlp")
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    assert page.evaluate("document.querySelectorAll('iframe, svg, img, [onerror], [onload], "
                         "[onmouseover]').length") == 0
    if file_name == "hostile_text.txt":
        shown = page.inner_text("#doctext")
        assert "<script>window.pwned" in shown  # the markup is visible as text
        assert "onerror=" in shown
        assert page.title() == "Hostile text <script>document.title='pwned'</script> · sanctions-nlp"
        screenshot(page, "hostile_document")


def test_hostile_search_query_runs_nothing(page):
    page.goto("/search?q=%3Cscript%3Ewindow.pwned%3D1%3C%2Fscript%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E")
    page.wait_for_selector("#search-form")
    assert page.evaluate("typeof window.pwned") == "undefined" and page.dialogs == []
    assert page.input_value("#q").startswith("<script>")


"""The documentation site builds, and a headless Chromium finds it whole.

The build (``mkdocs build --strict``) runs every code block of the site and fails
on any broken link or reference; this test builds it once into a temporary
folder, serves it over HTTP (the search index is fetched, which file:// forbids)
and opens it in Debian's Chromium through Playwright: the home page, the API
index and a tutorial render, the search box finds ``GradientTape``, and every
internal link of every page leads to a page that exists.
"""

import fcntl
import functools
import html.parser
import http.server
import os
import pathlib
import shutil
import subprocess
import sys
import threading
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("NDGRAD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SCREENSHOT = os.environ.get("NDGRAD_DOCS_SCREENSHOT")   # a PNG path, to look at the home page

pytest.importorskip("mkdocs", reason="the docs extra is not installed (pip install -e '.[docs]')")
pytest.importorskip("mkdocstrings_handlers.python", reason="the docs extra is not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site, built from this checkout into a temporary folder once per run:
    pytest-xdist's workers share the folder (the first builds, under a lock)."""
    shared = tmp_path_factory.getbasetemp().parent if os.environ.get("PYTEST_XDIST_WORKER") \
        else tmp_path_factory.getbasetemp()
    out = shared / "docs-site"
    with open(shared / "docs-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "index.html").exists():
            _build(out)
    return out


def _build(out):
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
                   "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    partial = out.with_name(out.name + "-partial")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(partial)],
                            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    partial.rename(out)                      # only a whole build is ever reused


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def _missing(reason):
    """Skip locally; fail where CI asks for the browser (.ci/run sets NDGRAD_DOCS_BROWSER)."""
    if os.environ.get("NDGRAD_DOCS_BROWSER") == "required":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        _missing(f"no Chromium at {CHROMIUM} (Debian: apt-get install -y chromium)")
    try:
        from playwright import sync_api
    except ImportError:
        _missing("playwright is not installed (pip install -e '.[docs]')")
    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_every_page_was_built(site):
    for name in ("index.html", "getting-started.html", "api/index.html", "api/nn.html",
                 "tutorials/is-it-trainable.html", "tutorials/why-no-gradient.html",
                 "tutorials/numpy-on-tensors.html", "tutorials/trainable-variables.html",
                 "guides/pytorch-users.html", "guides/keras-users.html", "guides/diagnostics.html",
                 "guides/checkpoints.html", "guides/speed.html", "guides/data-parallel.html"):
        assert (site / name).is_file(), name


def test_code_blocks_show_what_they_printed(site):
    # The build ran the tutorial's blocks and put their output under them.
    text = (site / "tutorials" / "is-it-trainable.html").read_text()
    assert "Output" in text and "True False False" in text


def test_home_page_renders(page, server):
    page.goto(server + "index.html")
    assert page.title().startswith("ndgrad")
    assert page.locator("h1").first.inner_text().startswith("ndgrad")
    assert page.locator("nav.md-nav").first.is_visible()
    assert "Getting started" in page.locator("nav.md-nav--primary").first.inner_text()
    if SCREENSHOT:
        page.screenshot(path=SCREENSHOT, full_page=False)


def test_api_index_and_reference_render(page, server):
    page.goto(server + "api/index.html")
    assert page.locator("h1").first.inner_text().startswith("API reference")
    page.goto(server + "api/core.html")
    heading = page.locator("h3", has_text="GradientTape").first
    assert heading.is_visible()
    assert page.locator(".doc-signature, .doc-heading").count() > 5


def test_tutorial_renders_with_code_and_output(page, server):
    page.goto(server + "tutorials/why-no-gradient.html")
    assert "Why does my variable not train" in page.locator("h1").first.inner_text()
    assert page.locator("pre code").count() >= 4
    assert "why: frozen" in page.content()


def test_search_finds_gradient_tape(page, server):
    page.goto(server + "index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.wait_for_function("() => !document.querySelector('.md-search-result__meta')"
                           ".textContent.includes('Initializing')", timeout=120000)
    # Material's search answers key presses, not a value set at once (fill)
    page.locator("input.md-search__input").press_sequentially("GradientTape", delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=60000)
    assert results.count() > 0
    assert "GradientTape" in page.locator(".md-search-result").inner_text()
    hrefs = [link.get_attribute("href") for link in page.locator("a.md-search-result__link").all()]
    targets = [urllib.parse.urlparse(href) for href in hrefs]
    assert any(t.path.endswith("api/core.html") and t.fragment == "ndgrad.GradientTape"
               for t in targets), hrefs


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.hrefs.append(value)


def test_no_internal_link_is_broken(site, server, page):
    """Crawl every page's internal href and src: each target file exists, and each
    #anchor exists on its page. The browser opens a sample of them too."""
    pages = sorted(site.rglob("*.html"))
    ids = {}
    broken = []
    for path in pages:
        parser = _Links()
        parser.feed(path.read_text())
        for href in parser.hrefs:
            parsed = urllib.parse.urlparse(href)
            if parsed.scheme or href.startswith(("//", "mailto:", "javascript:")):
                continue
            link = urllib.parse.unquote(parsed.path)
            if not link:
                target = path
            elif link.startswith("/"):            # the 404 page links from the site's root
                target = (site / link.lstrip("/")).resolve()
            else:
                target = (path.parent / link).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site)} -> {href}")
                continue
            if parsed.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(_ids(target.read_text()))
                if parsed.fragment not in ids[target]:
                    broken.append(f"{path.relative_to(site)} -> {href} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(broken[:50])
    for name in ("guides/pytorch-users.html", "guides/speed.html", "api/layers.html"):
        response = page.goto(server + name)
        assert response.ok, name


def _ids(text):
    class Ids(html.parser.HTMLParser):
        found = []

        def handle_starttag(self, tag, attrs):
            self.found.extend(value for name, value in attrs if name in ("id", "name") and value)
    parser = Ids()
    parser.found = []
    parser.feed(text)
    return parser.found

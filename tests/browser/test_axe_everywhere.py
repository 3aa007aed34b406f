"""axe-core finds no violation of any impact (minor and moderate included) on every public
page type of the demo site (tests/public_pages.py), the registration form with its errors
shown too, in English, Turkish and Urdu, at a desktop and a phone width; and on the
registrations dashboard of the admin. One live server and one demo load; one browser
context per width. On Urdu pages, the layout checks of `urdu_layout` too.

Each page's screenshot at both widths is left in tests/artifacts/pages/ for review."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.chromium import ARTIFACTS
from tests.browser.test_accessibility import describe
from tests.public_pages import demo_addresses

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTIFACTS_PAGES = ARTIFACTS / "pages"
VIEWPORTS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 740}}


def submit_empty(page):
    """Send the page's form as it is (the browser's own checks off): the server's errors."""
    with page.expect_navigation():
        page.evaluate(
            """() => {
                const form = document.querySelector("main form[method=post]");
                form.noValidate = true;
                form.requestSubmit();
            }"""
        )


def urdu_layout(page):
    """Nastaliq's tall letters: the hero title's ink stays within its own box (which
    starts below the hero image, or is a card over it), measured with the font's ink
    ascent (canvas) and its metrics (ascent 1.904 em, descent 0.596 em, site.css); help
    and error text keep clear of the input above them."""
    page.evaluate("document.fonts.ready")
    return page.evaluate(
        """() => {
            const out = [];
            const context = document.createElement("canvas").getContext("2d");
            for (const hero of document.querySelectorAll(".event-hero, .hero")) {
                const image = hero.querySelector("img");
                const title = hero.querySelector("h1");
                if (!title) continue;
                const t = title.getBoundingClientRect();
                const style = getComputedStyle(title);
                const size = parseFloat(style.fontSize);
                const leading = style.lineHeight === "normal"
                    ? 2.5 * size : parseFloat(style.lineHeight);
                context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                const ink = context.measureText(title.textContent.trim());
                const lineTop = t.top + parseFloat(style.paddingTop)
                    + parseFloat(style.borderTopWidth);
                const baseline = lineTop + (leading - 2.5 * size) / 2 + 1.904 * size;
                const inkTop = baseline - ink.actualBoundingBoxAscent;
                // A title set on a card of its own (a background) keeps its ink on the card;
                // one without keeps it below the image.
                const card = style.backgroundColor !== "rgba(0, 0, 0, 0)";
                if (card && inkTop < t.top - 1)
                    out.push(`title ink ${Math.round(t.top - inkTop)}px above its card`);
                if (image && !card) {
                    const i = image.getBoundingClientRect();
                    if (inkTop < i.bottom - 1 && t.left < i.right && t.right > i.left)
                        out.push(`title ink ${Math.round(i.bottom - inkTop)}px over the image`);
                }
            }
            for (const note of document.querySelectorAll(".field__help, .field__error")) {
                const input = note.parentElement.querySelector(
                    "input:not([type=checkbox]):not([type=radio]), select, textarea");
                if (!input) continue;
                const gap = note.getBoundingClientRect().top
                    - input.getBoundingClientRect().bottom;
                if (gap >= 0 && gap < 6) out.push(`${note.className} ${gap}px under its input`);
            }
            return out;
        }"""
    )


def test_no_axe_violations_on_public_pages_and_the_dashboard(demo_site, new_page, artifacts_dir):
    addresses = demo_addresses()
    shots = ARTIFACTS_PAGES
    shots.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    problems = []
    checked = 0
    for width, viewport in VIEWPORTS.items():
        page = new_page(viewport=viewport)
        for name, url in addresses.items():
            response = page.goto(url)
            expected = 404 if name.startswith("404") else 200
            assert response.status == expected, f"{url}: HTTP {response.status}"
            states = [(name, url)]
            if name.startswith("form-"):
                states.append((name.replace("form", "form-errors"), url))
            for state, address in states:
                if state.startswith("form-errors"):
                    submit_empty(page)
                page.wait_for_load_state("load")
                page.screenshot(path=shots / f"{state}-{width}.png")
                if state.endswith("-ur"):
                    problems += [f"{state} [{width}]: {p}" for p in urdu_layout(page)]
                results = axe.run(page).response
                assert results["passes"], f"{address}: axe checked nothing; did it run?"
                checked += 1
                problems += [
                    describe(f"{state} {address}", width, v) for v in results["violations"]
                ]
    assert checked == len(VIEWPORTS) * (len(addresses) + 3)
    problems += dashboard_problems(new_page, axe)
    assert not problems, f"axe found {len(problems)} violations:\n" + "\n".join(problems)


def dashboard_problems(new_page, axe):
    """The admin's dashboard panel of registrations (both forms of the next event): no axe
    violation within it (its sections were both named after the event: landmark-unique),
    the per-day chart clear of the tables and nothing cut at 1280 and 375 px. Checked in
    the same test as the public pages: one demo load for both."""
    from tests.browser.registration_helpers import log_in

    problems = []
    for width, viewport in VIEWPORTS.items():
        page = new_page(viewport=viewport)
        log_in(page, "registrar", "changeme")
        panel = page.locator("#registrations-summary-section")
        panel.wait_for()
        results = axe.run(page, context="#registrations-summary-section").response
        assert results["passes"], "axe checked nothing; did it run?"
        problems += [describe("dashboard", width, v) for v in results["violations"]]
        layout = page.evaluate(
            """() => {
                const box = (el) => el.getBoundingClientRect();
                const out = [];
                for (const summary of document.querySelectorAll(
                        "#registrations-summary-section .registrations-summary")) {
                    const chart = summary.querySelector(".registrations-chart");
                    for (const table of summary.querySelectorAll("table")) {
                        const t = box(table);
                        if (t.right > document.documentElement.clientWidth + 1 || t.left < -1)
                            out.push(`table cut: ${t.left}..${t.right}`);
                        if (chart) {
                            const c = box(chart);
                            const apart = c.right <= t.left || c.left >= t.right
                                || c.bottom <= t.top || c.top >= t.bottom;
                            if (!apart) out.push("chart overlaps a table");
                        }
                    }
                }
                return out;
            }"""
        )
        problems += [f"dashboard [{width}]: {problem}" for problem in layout]
        page.screenshot(path=ARTIFACTS_PAGES / f"admin-dashboard-{width}.png", full_page=True)
    return problems

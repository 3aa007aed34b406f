"""A visitor's journey through the events, in a real browser, on the demo content: the
events index in Turkish, the upcoming edition with its programme, its calendar file, then
the same event in Urdu, right to left, with its times still reading "10:00". axe-core finds
no serious or critical problem on the index and the event page in any language."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from icalendar import Calendar
from playwright.sync_api import expect

from events.models import EventIndexPage, EventPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
CLOCK = re.compile(r"^\d{2}:\d{2}$")
BLOCKING_IMPACTS = {"serious", "critical"}


def demo_pages(slug, model=EventPage):
    return {page.locale.language_code: page for page in model.objects.live().filter(slug=slug)}


def test_visitor_follows_the_next_conference_from_turkish_to_urdu(demo_site, new_page):
    index = demo_pages("events", EventIndexPage)
    event = demo_pages("next-conference")
    assert set(index) == set(event) == {"en", "tr", "ur"}, "the demo has every language"

    page = new_page(locale="tr-TR")
    page.goto("/tr/events/")
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(page.locator("h1")).to_have_text(index["tr"].title)
    upcoming = page.locator("section[aria-labelledby='group-upcoming']")
    expect(upcoming.locator("h2")).to_have_text("Yaklaşan etkinlikler")

    # The upcoming edition is the first card; it leads to the Turkish event page.
    upcoming.locator(".event-card__title a").first.click()
    expect(page).to_have_url(re.compile(r"/tr/events/next-conference/$"))
    expect(page.locator("h1")).to_have_text(event["tr"].title)

    # The programme, day by day, in Turkish.
    programme = page.locator("section.programme")
    expect(programme.locator("h2")).to_have_text("Program")
    expect(programme.locator(".programme-day")).to_have_count(3)
    expect(programme.get_by_text("Çalışma grubu: akademik çalışmalar").first).to_be_visible()
    assert programme.locator(".session").count() >= 10

    # The calendar file downloads and parses, in Turkish, in the event's zone.
    with page.expect_download() as download_info:
        page.locator(".event-calendar__ics").click()
    download = download_info.value
    assert download.suggested_filename == "next-conference-tr.ics"
    with open(download.path(), "rb") as file:
        calendar = Calendar.from_ical(file.read())
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event["tr"].title
    assert vevent["DTSTART"].dt == event["tr"].start
    assert vevent["DTSTART"].dt.tzinfo.key == "Europe/Istanbul"
    assert str(vevent["UID"]) == str(event["en"].uid)

    # The switcher leads to the same event in Urdu, right to left.
    page.locator(".language-switcher a[data-language='ur']").click()
    expect(page).to_have_url(re.compile(r"/ur/events/next-conference/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text(event["ur"].title)
    assert ARABIC_SCRIPT.search(event["ur"].title)
    programme = page.locator("section.programme")
    expect(programme.locator("h2")).to_have_text("پروگرام")
    expect(programme.get_by_text("ورکنگ گروپ: علمی کام").first).to_be_visible()

    page.wait_for_load_state("load")  # the stylesheet applied: the layout visitors see
    layout = page.evaluate(
        """() => {
            const session = document.querySelector(".programme .session");
            const times = [...document.querySelectorAll(".programme .session__time time")];
            const title = session.querySelector(".session__title").getBoundingClientRect();
            const time = session.querySelector(".session__time").getBoundingClientRect();
            return {
                direction: getComputedStyle(session).direction,
                timeDirections: [...new Set(times.map((t) => getComputedStyle(t).direction))],
                texts: times.map((t) => t.innerText),
                timeIsRightOfTitle: time.left >= title.right,
            };
        }"""
    )
    assert layout["direction"] == "rtl", layout
    # Each time is isolated left to right, so it reads "10:00", not "00:10".
    assert layout["timeDirections"] == ["ltr"], layout
    assert layout["texts"] and all(CLOCK.match(text) for text in layout["texts"]), layout
    assert "10:00" in layout["texts"]
    # The page mirrors: the time column is on the right, before the session's title.
    assert layout["timeIsRightOfTitle"], layout
    zone = page.locator(".event-facts__start .event-zone").first
    expect(zone).to_contain_text("استنبول")
    expect(zone.locator("span[dir='ltr']")).to_have_text("UTC+3")


def describe(url, violation):
    lines = [f"{url} {violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"][:5]:
        lines.append(f"    - {node['target']}: {' '.join(node.get('failureSummary', '').split())}")
        lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


def test_events_pages_have_no_serious_or_critical_axe_violations(demo_site, new_page):
    axe = Axe()
    page = new_page()
    problems, checked = [], 0
    for code in ("en", "tr", "ur"):
        for path in ("events/", "events/next-conference/", "events/first-conference/"):
            url = f"/{code}/{path}"
            response = page.goto(url)
            assert response.status == 200, f"{url}: HTTP {response.status}"
            results = axe.run(page).response
            assert results["passes"], f"{url}: axe checked nothing; did it run?"
            checked += 1
            problems += [
                describe(url, violation)
                for violation in results["violations"]
                if violation["impact"] in BLOCKING_IMPACTS
            ]
    assert checked == 9
    assert not problems, "axe found serious or critical violations:\n" + "\n".join(problems)

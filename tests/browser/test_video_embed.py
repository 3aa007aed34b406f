"""A visitor loads a video in a real browser: the page shows the placeholder, the click
puts in the privacy-enhanced player's iframe, and the page's Content-Security-Policy lets
exactly that frame through (and would stop one from another host). The provider is
answered by the test, so nothing leaves the machine."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.factories.home import StandardPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMBED = "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"
RECORD_VIOLATIONS = """
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
        window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
    });
"""


def test_clicking_the_placeholder_loads_the_player_within_the_policy(home, new_page):
    StandardPageFactory(
        parent=home,
        slug="live",
        title="Watch live",
        body=[
            {
                "type": "video",
                "id": str(uuid.uuid4()),
                "value": {
                    "video": "https://www.youtube.com/watch?v=M7lc1UVf-VE",
                    "title": "Opening plenary, live",
                },
            }
        ],
    )
    page = new_page()
    provider_requests = []

    def provider(route):
        provider_requests.append(route.request.url)
        route.fulfill(
            status=200, body="<!doctype html><title>player</title>", content_type="text/html"
        )

    page.route("https://www.youtube-nocookie.com/**", provider)
    page.route("https://player.vimeo.com/**", provider)
    page.add_init_script(RECORD_VIOLATIONS)

    page.goto("/en/live/")
    button = page.get_by_role(
        "button", name="Load the video from YouTube — this shares data with YouTube"
    )
    expect(button).to_be_visible()
    expect(page.get_by_role("link", name="Watch on YouTube")).to_have_attribute(
        "href", "https://www.youtube.com/watch?v=M7lc1UVf-VE"
    )
    assert page.locator("iframe").count() == 0
    assert provider_requests == []  # nothing reached the provider before the click

    button.click()

    frame = page.locator("iframe.video-embed__frame")
    expect(frame).to_have_attribute("src", f"{EMBED}?autoplay=1")
    expect(frame).to_have_attribute("title", "Opening plenary, live")
    expect(button).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert provider_requests == [f"{EMBED}?autoplay=1"]
    assert page.evaluate("window.cspViolations") == []

    # Negative control: a frame from a host this page does not show is refused.
    page.evaluate(
        """() => {
            const frame = document.createElement("iframe");
            frame.src = "https://player.vimeo.com/video/76979871?dnt=1";
            document.body.appendChild(frame);
        }"""
    )
    page.wait_for_function("() => window.cspViolations.length > 0")
    (violation,) = page.evaluate("window.cspViolations")
    assert violation.startswith("frame-src https://player.vimeo.com")
    assert provider_requests == [f"{EMBED}?autoplay=1"]

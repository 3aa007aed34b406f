"""Videos and live streams (issue #12, "Online and hybrid attendance"): YouTube, Vimeo and
PeerTube addresses turned into privacy-enhanced embed addresses without a network call
(home/embeds.py), refused otherwise in the editor; pages show a click-to-load placeholder,
never an iframe, and widen `frame-src` for exactly the hosts they show, cached or not."""

import uuid

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from wagtail.embeds.blocks import EmbedValue
from wagtail.test.utils.form_data import streamfield

from home.blocks import BodyBlock, VideoBlock, VideoEmbedBlock
from home.embeds import VideoFinder, allowed_frame_origins, video_for
from home.models import HomePage, StandardPage
from tests.factories.home import StandardPageFactory
from tests.helpers import edit_form_data, edit_url
from tests.test_security_headers import csp_directives, inline_code

YOUTUBE = "https://www.youtube.com/watch?v=M7lc1UVf-VE"
VIMEO = "https://vimeo.com/76979871"
PEERTUBE_HOST = "videos.example.org"
PEERTUBE_ID = "9c9de5e8-0a1e-484a-b099-e80766180a6d"


@pytest.fixture(autouse=True)
def peertube_host(settings):
    settings.EMBED_PEERTUBE_HOSTS = [PEERTUBE_HOST]


# The finder -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "embed_url", "watch_url"),
    [
        (
            YOUTUBE,
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE",
            "https://www.youtube.com/watch?v=M7lc1UVf-VE",
        ),
        (
            "https://youtu.be/M7lc1UVf-VE?t=90",
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?start=90",
            "https://www.youtube.com/watch?v=M7lc1UVf-VE&t=90s",
        ),
        (
            "https://m.youtube.com/watch?v=M7lc1UVf-VE&t=1m30s&feature=share",
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?start=90",
            "https://www.youtube.com/watch?v=M7lc1UVf-VE&t=90s",
        ),
        (
            "https://www.youtube.com/live/M7lc1UVf-VE?si=abc",
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE",
            "https://www.youtube.com/watch?v=M7lc1UVf-VE",
        ),
        (
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE",
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE",
            "https://www.youtube.com/watch?v=M7lc1UVf-VE",
        ),
        (VIMEO, "https://player.vimeo.com/video/76979871?dnt=1", "https://vimeo.com/76979871"),
        (
            "https://vimeo.com/76979871/abc123def",
            "https://player.vimeo.com/video/76979871?dnt=1&h=abc123def",
            "https://vimeo.com/76979871/abc123def",
        ),
        (
            "https://player.vimeo.com/video/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
            "https://vimeo.com/76979871",
        ),
        (
            "https://vimeo.com/channels/staffpicks/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
            "https://vimeo.com/76979871",
        ),
        (
            f"https://{PEERTUBE_HOST}/w/{PEERTUBE_ID}",
            f"https://{PEERTUBE_HOST}/videos/embed/{PEERTUBE_ID}?p2p=0",
            f"https://{PEERTUBE_HOST}/w/{PEERTUBE_ID}",
        ),
        (
            f"https://{PEERTUBE_HOST}/videos/watch/{PEERTUBE_ID}",
            f"https://{PEERTUBE_HOST}/videos/embed/{PEERTUBE_ID}?p2p=0",
            f"https://{PEERTUBE_HOST}/w/{PEERTUBE_ID}",
        ),
        (
            f"https://{PEERTUBE_HOST.upper()}/w/kkGMgK9ZtnKfYAgnEtQxbv",
            f"https://{PEERTUBE_HOST}/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv?p2p=0",
            f"https://{PEERTUBE_HOST}/w/kkGMgK9ZtnKfYAgnEtQxbv",
        ),
    ],
)
def test_the_finder_maps_each_providers_addresses_to_its_privacy_enhanced_player(
    url, embed_url, watch_url
):
    video = video_for(url)
    assert (video.embed_url, video.watch_url) == (embed_url, watch_url)
    assert video.frame_origin in allowed_frame_origins()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/watch?v=M7lc1UVf-VE",
        "https://www.youtube.com.example.org/watch?v=M7lc1UVf-VE",
        "https://example.org/www.youtube.com/watch?v=M7lc1UVf-VE",
        "https://user@www.youtube.com/watch?v=M7lc1UVf-VE",
        "https://www.youtube.com:8443/watch?v=M7lc1UVf-VE",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=M7lc1UVf-VE%22onload",
        "https://www.youtube.com/channel/UC123",
        "https://www.youtube.com/playlist?list=PL123",
        "javascript:alert(1)//www.youtube.com/watch?v=M7lc1UVf-VE",
        "ftp://vimeo.com/76979871",
        "https://vimeo.com/about",
        "https://vimeo.com/76979871/not-a-hash",
        f"https://peertube.example.net/w/{PEERTUBE_ID}",  # an instance not listed
        f"https://{PEERTUBE_HOST}/w/p/{PEERTUBE_ID}",  # a playlist
        f"https://{PEERTUBE_HOST}/about",
        "",
        None,
    ],
)
def test_the_finder_refuses_anything_else(url):
    assert video_for(url) is None
    assert not VideoFinder().accept(url or "")


def test_wagtails_embed_api_gets_the_iframe_from_our_finder_without_the_network(db):
    from wagtail.embeds.embeds import get_embed

    embed = get_embed(VIMEO)
    assert embed.provider_name == "Vimeo"
    assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in embed.html


def test_the_editor_refuses_other_addresses_with_a_clear_message():
    block = VideoEmbedBlock()
    with pytest.raises(ValidationError) as refused:
        block.clean(EmbedValue("https://example.org/some-video"))
    message = " ".join(refused.value.messages)
    assert "YouTube, Vimeo" in message
    assert PEERTUBE_HOST in message
    assert block.clean(EmbedValue(YOUTUBE)).url == YOUTUBE
    # In the page's stream too, through the struct block.
    with pytest.raises(ValidationError):
        VideoBlock().clean(VideoBlock().to_python({"video": "https://x.org/v", "title": "T"}))


def test_new_blocks_declare_icon_template_and_preview_value():
    for block in (VideoBlock(), VideoEmbedBlock()):
        assert block.meta.icon == "media"
        assert block.meta.template
        assert block.meta.preview_value
        html = block.render(block.get_preview_value())
        assert "data-embed-src=" in html
        assert "<iframe" not in html
    assert "video" in BodyBlock().child_blocks


@pytest.mark.parametrize(
    ("language", "button", "link"),
    [
        ("en", "Load the video from YouTube — this shares data with YouTube", "Watch on YouTube"),
        (
            "tr",
            "Videoyu YouTube üzerinden yükle — bu, verilerinizi YouTube ile paylaşır",
            "YouTube üzerinde izle",
        ),
        (
            "ur",
            "ویڈیو YouTube سے لوڈ کریں — اس سے آپ کا ڈیٹا YouTube کے ساتھ شیئر ہوتا ہے",
            "YouTube پر دیکھیں",
        ),
    ],
)
def test_the_placeholder_speaks_the_visitors_language(language, button, link):
    with translation.override(language):
        html = render_to_string(
            "home/includes/video_placeholder.html",
            {"video": video_for(YOUTUBE), "title": "Opening plenary"},
        )
    assert button in html
    assert link in html


# Pages ------------------------------------------------------------------------------------


def _video(url, title):
    return {"type": "video", "id": str(uuid.uuid4()), "value": {"video": url, "title": title}}


def make_pages(home_pk):
    home = HomePage.objects.get(pk=home_pk)
    with_video = StandardPageFactory(
        parent=home,
        slug="live",
        title="Watch live",
        body=[_video(YOUTUBE, "Opening plenary, live")],
    )
    two = StandardPageFactory(
        parent=home,
        slug="two-videos",
        body=[_video(VIMEO, "Panel"), _video(f"https://{PEERTUBE_HOST}/w/{PEERTUBE_ID}", "Q&A")],
    )
    without = StandardPageFactory(parent=home, slug="no-video", title="No video")
    return with_video.pk, two.pk, without.pk


@pytest.fixture(scope="module")
def page_pks(module_data, site_data):
    return module_data(lambda: make_pages(site_data["homes"]["en"]))


@pytest.fixture
def pages(page_pks, home):
    if page_pks is None:
        page_pks = make_pages(home.pk)
    return [StandardPage.objects.get(pk=pk) for pk in page_pks]


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_the_page_shows_a_placeholder_and_no_iframe(pages, client):
    html = client.get("/en/live/").content.decode()
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"' in html
    assert "Opening plenary, live" in html
    assert "Load the video from YouTube — this shares data with YouTube" in html
    # Without JavaScript the visitor still gets to the video.
    assert 'href="https://www.youtube.com/watch?v=M7lc1UVf-VE"' in html
    assert "<iframe" not in html
    assert "youtube.com/embed" not in html.replace("youtube-nocookie.com/embed", "")


def test_the_script_is_a_static_file_and_the_page_has_no_inline_code(pages, client, settings):
    html = client.get("/en/live/").content.decode()
    assert '<script src="/static/home/video.js" defer></script>' in html
    assert '<link rel="stylesheet" href="/static/home/video.css">' in html
    assert inline_code(html) == []
    assert finders.find("home/video.js")
    # Served as the site serves static files (WhiteNoise, here from the app folders).
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/home/video.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert b"data-embed-src" in body
    assert response["Content-Type"].startswith(("text/javascript", "application/javascript"))


def test_frame_src_is_widened_for_that_providers_host_only_and_kept_in_the_cache(
    pages, page_cache_on
):
    visitor = Client()
    first = visitor.get("/en/live/")
    second = visitor.get("/en/live/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    for response in (first, second):
        csp = csp_directives(response)
        assert csp["frame-src"] == ["'self'", "https://www.youtube-nocookie.com"]
        # Nothing else is widened.
        assert csp["script-src"] == ["'self'"]
        assert csp["default-src"] == ["'self'"]


def test_two_providers_widen_frame_src_for_both(pages, page_cache_on):
    response = Client().get("/en/two-videos/")
    assert csp_directives(response)["frame-src"] == [
        "'self'",
        "https://player.vimeo.com",
        f"https://{PEERTUBE_HOST}",
    ]


def test_pages_without_a_video_never_get_the_wider_policy(pages, page_cache_on):
    visitor = Client()
    visitor.get("/en/live/")  # a page with a video cached first
    for _ in range(2):
        for url in ("/en/no-video/", "/en/"):
            response = visitor.get(url)
            assert csp_directives(response)["frame-src"] == ["'self'"], url
    assert response["X-Page-Cache"] == "hit"


def test_text_that_merely_mentions_an_embed_address_widens_nothing(home, client):
    StandardPageFactory(
        parent=home,
        slug="mention",
        intro='data-embed-src="https://www.youtube-nocookie.com/embed/x"',
    )
    response = client.get("/en/mention/")
    assert "data-embed-src=&quot;" in response.content.decode()
    assert csp_directives(response)["frame-src"] == ["'self'"]


def test_the_editor_says_which_addresses_it_accepts_and_publishes_a_good_one(
    pages, admin_client, admin_user
):
    page = pages[2]  # no video yet

    def post(url):
        changes = {"body": streamfield([("video", {"video": url, "title": "Closing plenary"})])}
        return admin_client.post(edit_url(page), edit_form_data(page, admin_user, changes))

    refused = post("https://www.dailymotion.com/video/x7tgad0")
    assert refused.status_code == 200
    assert "Give the address of a video on YouTube, Vimeo or one of these PeerTube sites" in (
        refused.content.decode()
    )
    assert not StandardPage.objects.get(pk=page.pk).body

    published = post("https://youtu.be/M7lc1UVf-VE")
    assert published.status_code == 302
    html = Client().get("/en/no-video/").content.decode()
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"' in html

"""Videos and live streams from YouTube, Vimeo and PeerTube, embedded without a network
call and loaded only when the visitor asks for them.

Why our own finder rather than Wagtail's oEmbed one:

- Nothing is fetched from the provider, ever, by the server: an editor's URL is turned
  into the provider's embed address by rules (`video_for`). oEmbed would need the network
  on every save and on every first render (and fail in tests, offline demos and when a
  provider's endpoint is down), and it returns whatever HTML the provider chooses.
- The embed addresses are the privacy-enhanced ones: YouTube's `youtube-nocookie.com`,
  Vimeo's player with `dnt=1` (do not track), PeerTube's with `p2p=0` (its peer-to-peer
  player would tell other viewers the visitor's IP address).
- What can be framed is known in advance, so the Content-Security-Policy can allow
  exactly those hosts, and only on the responses that show a video: the placeholder
  carries the embed address in `data-embed-src`, and `VideoFramesMiddleware` widens
  `frame-src` for the hosts it finds in the HTML the visitor gets. It reads the finished
  HTML rather than relying on the blocks marking the request while they render, because
  the event page's programme is a `{% wagtailpagecache %}` fragment: on a fragment hit no
  block renders at all. The full-page cache (`home.page_cache`) stores the response with
  the header the middleware set, so a cached page keeps its policy and a page without a
  video never gets the wider one.
- Any other URL is refused with a clear message in the editor (`VideoEmbedBlock.clean`).

PeerTube is federated: its instances are listed in `EMBED_PEERTUBE_HOSTS` (host names,
e.g. `framatube.org`), so that an editor cannot open `frame-src` to an arbitrary site.

The page first shows a placeholder (`home/includes/video_placeholder.html`): the title,
the provider, a button that says the video is loaded from the provider and shares data
with it, and a link to watch it on the provider's site (which is all a visitor without
JavaScript gets). `home/static/home/video.js` puts the iframe in on click."""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from csp.decorators import csp_update
from django.conf import settings
from django.utils.html import format_html
from wagtail.embeds.exceptions import EmbedUnsupportedProviderException
from wagtail.embeds.finders.base import EmbedFinder

YOUTUBE_EMBED_ORIGIN = "https://www.youtube-nocookie.com"
VIMEO_EMBED_ORIGIN = "https://player.vimeo.com"

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}
_YOUTUBE_NOCOOKIE_HOSTS = {"youtube-nocookie.com", "www.youtube-nocookie.com"}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_PATH = re.compile(r"^/(?:live|embed|shorts|v)/([A-Za-z0-9_-]{11})/?$")
_YOUTUBE_TIME = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")

_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com"}
_VIMEO_PATHS = (
    re.compile(r"^/(\d+)(?:/([0-9a-f]+))?/?$"),
    re.compile(r"^/channels/[^/]+/(\d+)/?$"),
    re.compile(r"^/groups/[^/]+/videos/(\d+)/?$"),
    re.compile(r"^/showcase/\d+/video/(\d+)/?$"),
)
_VIMEO_PLAYER_PATH = re.compile(r"^/video/(\d+)/?$")
_VIMEO_HASH = re.compile(r"^[0-9a-f]+$")

# PeerTube ids: a UUID, or its short form (base58, 22 characters).
_PEERTUBE_PATH = re.compile(
    r"^/(?:w|videos/watch|videos/embed)/"
    r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[1-9A-HJ-NP-Za-km-z]{22})/?$"
)

PROVIDER_NAMES = {"youtube": "YouTube", "vimeo": "Vimeo", "peertube": "PeerTube"}


@dataclass(frozen=True)
class Video:
    """A video the site knows how to embed."""

    provider: str  # "youtube", "vimeo" or "peertube"
    video_id: str
    embed_url: str  # the privacy-enhanced player, what the iframe shows
    watch_url: str  # the page on the provider's site
    host: str = ""  # the PeerTube instance

    @property
    def provider_name(self):
        """Who the visitor's browser talks to once the video is loaded: the company, or
        the PeerTube instance (each is run by someone else)."""
        return self.host if self.provider == "peertube" else PROVIDER_NAMES[self.provider]

    @property
    def frame_origin(self):
        parts = urlsplit(self.embed_url)
        return f"{parts.scheme}://{parts.netloc}"


def peertube_hosts():
    return {host.strip().lower() for host in settings.EMBED_PEERTUBE_HOSTS if host.strip()}


def allowed_frame_origins():
    """Every origin a video placeholder may ask to frame."""
    return {
        YOUTUBE_EMBED_ORIGIN,
        VIMEO_EMBED_ORIGIN,
        *(f"https://{host}" for host in peertube_hosts()),
    }


def video_for(url):
    """The `Video` for a YouTube, Vimeo or (listed) PeerTube address, or None."""
    if not isinstance(url, str) or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        return None
    query = parse_qs(parts.query)
    if port is None and host in _YOUTUBE_HOSTS | _YOUTUBE_NOCOOKIE_HOSTS | {"youtu.be"}:
        return _youtube(host, parts.path, query)
    if port is None and host in _VIMEO_HOSTS | {"player.vimeo.com"}:
        return _vimeo(host, parts.path, query)
    netloc = host if port is None else f"{host}:{port}"
    if netloc in peertube_hosts():
        return _peertube(netloc, parts.path)
    return None


def _first(query, name):
    values = query.get(name)
    return values[0] if values else ""


def _seconds(value):
    """YouTube's `t`/`start`: `90`, `90s`, `1m30s`, `1h2m3s`."""
    match = _YOUTUBE_TIME.match(value or "")
    if not value or not match:
        return 0
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _youtube(host, path, query):
    if host == "youtu.be":
        video_id = path.strip("/")
    elif path.rstrip("/") == "/watch" and host in _YOUTUBE_HOSTS:
        video_id = _first(query, "v")
    else:
        match = _YOUTUBE_PATH.match(path)
        if not match or (host in _YOUTUBE_NOCOOKIE_HOSTS and not path.startswith("/embed/")):
            return None
        video_id = match.group(1)
    if not _YOUTUBE_ID.match(video_id):
        return None
    start = _seconds(_first(query, "t") or _first(query, "start"))
    embed_query = f"?{urlencode({'start': start})}" if start else ""
    watch_query = urlencode({"v": video_id, **({"t": f"{start}s"} if start else {})})
    return Video(
        provider="youtube",
        video_id=video_id,
        embed_url=f"{YOUTUBE_EMBED_ORIGIN}/embed/{video_id}{embed_query}",
        watch_url=f"https://www.youtube.com/watch?{watch_query}",
    )


def _vimeo(host, path, query):
    unlisted_hash = _first(query, "h")
    if host == "player.vimeo.com":
        match = _VIMEO_PLAYER_PATH.match(path)
        video_id = match.group(1) if match else None
    else:
        video_id = None
        for pattern in _VIMEO_PATHS:
            match = pattern.match(path)
            if match:
                video_id = match.group(1)
                if match.re.groups > 1 and match.group(2):
                    unlisted_hash = match.group(2)
                break
    if not video_id or (unlisted_hash and not _VIMEO_HASH.match(unlisted_hash)):
        return None
    embed_query = {"dnt": 1, **({"h": unlisted_hash} if unlisted_hash else {})}
    return Video(
        provider="vimeo",
        video_id=video_id,
        embed_url=f"{VIMEO_EMBED_ORIGIN}/video/{video_id}?{urlencode(embed_query)}",
        watch_url=f"https://vimeo.com/{video_id}" + (f"/{unlisted_hash}" if unlisted_hash else ""),
    )


def _peertube(host, path):
    match = _PEERTUBE_PATH.match(path)
    if not match:
        return None
    video_id = match.group(1)
    return Video(
        provider="peertube",
        video_id=video_id,
        embed_url=f"https://{host}/videos/embed/{video_id}?p2p=0",
        watch_url=f"https://{host}/w/{video_id}",
        host=host,
    )


class VideoFinder(EmbedFinder):
    """Wagtail's embed finder for the videos `video_for` knows: used by `EmbedBlock`
    (validation, and `{{ value }}` should a template ever print one) and the rich-text
    embed chooser in the admin. No network call. Listed in `WAGTAILEMBEDS_FINDERS`."""

    width, height = 640, 360

    def __init__(self, **options):
        self.options = options

    def accept(self, url):
        return video_for(url) is not None

    def find_embed(self, url, max_width=None, max_height=None):
        video = video_for(url)
        if video is None:
            raise EmbedUnsupportedProviderException
        html = format_html(
            '<iframe src="{}" width="{}" height="{}" title="{}" '
            'allow="autoplay; encrypted-media; fullscreen; picture-in-picture" '
            'allowfullscreen referrerpolicy="strict-origin-when-cross-origin"></iframe>',
            video.embed_url,
            self.width,
            self.height,
            video.provider_name,
        )
        return {
            "title": "",
            "author_name": "",
            "provider_name": video.provider_name,
            "type": "video",
            "thumbnail_url": "",
            "width": self.width,
            "height": self.height,
            "html": str(html),
        }


# The embed address as the placeholder carries it (`data-embed-src="https://host/…"`),
# HTML-escaped: text that merely mentions the attribute is escaped and does not match.
_EMBED_SRC = re.compile(rb'data-embed-src="(https://[A-Za-z0-9.-]+(?::\d+)?)/')


def frame_origins_in(response):
    """The allowed embed origins the placeholders in an HTML response ask for, sorted."""
    if getattr(response, "streaming", False):
        return []
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    content = response.content
    if b"data-embed-src" not in content:
        return []
    found = {origin.decode("ascii").lower() for origin in _EMBED_SRC.findall(content)}
    return sorted(found & allowed_frame_origins())


class VideoFramesMiddleware:
    """Adds the hosts of the videos a response shows to its `frame-src`, and nothing to a
    response that shows none. Inside `config.middleware.ContentSecurityPolicyMiddleware`
    (listed after it), which builds the header from django-csp's public `csp_update`.
    The page cache, outside both, stores the response with that header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origins = frame_origins_in(response)
        if origins:
            response = csp_update({"frame-src": origins})(lambda: response)()
        return response

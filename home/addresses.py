"""The site's public address, and absolute URLs built on it.

Emails, calendar files, structured data, canonical and hreflang links and the sitemap all
name pages by absolute URL. They take the host from one setting, `PUBLIC_BASE_URL`
(required in production), never from the request's `Host` header (which a client sets)
or Wagtail's Site record (whose hostname is often a placeholder behind a proxy): a page
has one address, whoever asks and however the request reached us."""

from django.conf import settings


def public_base_url():
    return settings.PUBLIC_BASE_URL.rstrip("/")


def absolute(url):
    """`url` made absolute on the public address (already absolute URLs, e.g. media on a
    CDN, are kept)."""
    if url is None or url.startswith(("http://", "https://")):
        return url
    return public_base_url() + "/" + url.lstrip("/")


def page_url(page, request=None):
    """The page's public absolute URL."""
    return absolute(page.get_url(request))


def admin_url(path):
    """`path` (an admin address, e.g. from `reverse()`) made absolute on the admin's
    address, `WAGTAILADMIN_BASE_URL` (which may differ from the public one)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/" + path.lstrip("/")

"""The head's meta tags for every page (site/templates/base.html): the `<title>`'s "where"
part, the meta description, Open Graph and Twitter card tags. A page's own text comes
from BasePage (home/models.py); views without a page (search, errors) fall back to this
language's home page."""

from django import template
from django.conf import settings
from django.utils import translation

from home import navigation
from home.addresses import absolute

register = template.Library()

# Open Graph wants language_TERRITORY.
OG_LOCALES = {"en": "en_GB", "tr": "tr_TR", "ur": "ur_PK"}


def _home(context):
    request = context.get("request")
    home = navigation.current_home(request) if request is not None else None
    return home.specific if home is not None else None


@register.simple_tag(takes_context=True)
def title_context(context, page=None):
    """ " — where", after the page's title: its event, else the site; nothing on the home
    page."""
    request = context.get("request")
    home = navigation.current_home(request) if request is not None else None
    site_title = home.title if home is not None else settings.WAGTAIL_SITE_NAME
    where = (
        page.title_context(site_title) if page and hasattr(page, "title_context") else site_title
    )
    return f" — {where}" if where else ""


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context, page=None, title=""):
    """Description, Open Graph and Twitter card tags. `title` is the view's own title
    (search, errors) where there is no page."""
    request = context.get("request")
    page = page or None
    own = page if hasattr(page, "meta_description") else None
    # This language's home page stands in for what a page (or a view without one) lacks;
    # looked up only then (it costs a query).
    fallback = []

    def home():
        if not fallback:
            fallback.append(own if own is not None and own.depth <= 2 else _home(context))
        return fallback[0]

    description = own.meta_description() if own is not None else ""
    if not description and home() is not None:
        description = home().meta_description()
    if own is not None:
        title = own.meta_title()
    elif not title and home() is not None:
        title = home().title
    image = own.share_image_or_fallback() if own is not None else None
    if image is None and home() is not None:
        image = home().share_image_or_fallback()
    image_url = None
    if image is not None:
        image_url = absolute(image.get_rendition("fill-1200x630|format-jpeg").url)
    if page is not None and request is not None and hasattr(page, "get_url"):
        url = absolute(page.get_url(request))
    elif request is not None:
        url = absolute(request.path)
    else:
        url = ""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "title": title,
        "description": description,
        "url": url,
        "image_url": image_url,
        "image_alt": getattr(image, "title", ""),
        "type": context.get("og_type", "website"),
        "og_locale": OG_LOCALES.get(language, language),
        "og_alternates": [
            OG_LOCALES.get(code, code) for code, _name in settings.LANGUAGES if code != language
        ],
        "site_name": settings.WAGTAIL_SITE_NAME,
    }

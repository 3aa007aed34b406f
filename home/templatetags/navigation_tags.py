from django import template
from django.conf import settings
from django.utils import translation

from home import navigation
from home.models import FooterText

register = template.Library()


@register.inclusion_tag("includes/header.html", takes_context=True)
def site_header(context):
    request = context.get("request")
    page = context.get("page")
    return {
        "request": request,
        "page": page,
        "home": navigation.current_home(request),
        "menu_pages": navigation.menu_pages(request),
        "language_links": navigation.language_links(request, page),
    }


@register.inclusion_tag("includes/alternates.html", takes_context=True)
def page_alternates(context, page):
    request = context.get("request")
    return {"alternates": navigation.alternate_links(request, page)}


@register.inclusion_tag("includes/footer.html", takes_context=True)
def site_footer(context):
    footer = footer_for_active_language()
    privacy_page = None
    if footer is not None and footer.privacy_page_id:
        privacy_page = footer.privacy_page.localized
    return {"request": context.get("request"), "footer": footer, "privacy_page": privacy_page}


def footer_for_active_language():
    """The footer in the active language, else the default language's."""
    codes = [translation.get_language(), settings.LANGUAGE_CODE]
    footers = {
        footer.locale.language_code: footer
        for footer in FooterText.objects.filter(locale__language_code__in=codes).select_related(
            "locale", "privacy_page"
        )
    }
    return next((footers[code] for code in codes if code in footers), None)

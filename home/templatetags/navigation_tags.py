from django import template

from home import navigation

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
    request = context.get("request")
    footer, privacy_page = navigation.footer(request)
    return {"request": request, "footer": footer, "privacy_page": privacy_page}

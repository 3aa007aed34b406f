from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page

from .locales import active_locale_id


def search(request):
    """Site search in the visitor's language: Turkish visitors search Turkish pages only."""
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    if query:
        results = (
            Page.objects.live()
            .public()
            .filter(locale_id=active_locale_id(request))
            .exclude(depth=1)
            .specific()
            .search(query)
        )
    paginator = Paginator(results, 10)
    page_obj = paginator.get_page(request.GET.get("page"))
    response = render(
        request,
        "home/search.html",
        {"query": query, "results": page_obj, "paginator": paginator},
    )
    return response

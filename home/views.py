import re

from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page

from .languages import active_locale_id

# Quotes and operators have meaning to the full-text engines behind Wagtail's database
# backend (an unbalanced quote is an SQL error in SQLite's FTS); visitors search for words.
_NOT_A_WORD = re.compile(r"[^\w\s]+")


def search(request):
    """Site search in the visitor's language: Turkish visitors search Turkish pages only."""
    query = " ".join(_NOT_A_WORD.sub(" ", request.GET.get("q", "")[:200]).split())
    results = Page.objects.none()
    if query:
        results = (
            Page.objects.live()
            .public()
            .filter(locale_id=active_locale_id())
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

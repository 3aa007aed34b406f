from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import FooterText


class FooterTextViewSet(SnippetViewSet):
    model = FooterText
    icon = "list-ul"
    menu_label = "Footer"
    list_display = ["organisers", "locale"]
    list_filter = ["locale"]


register_snippet(FooterTextViewSet)

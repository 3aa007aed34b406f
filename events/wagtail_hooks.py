from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Organiser, Partner, Speaker


class SpeakerViewSet(SnippetViewSet):
    model = Speaker
    icon = "user"
    menu_label = _("Speakers")
    list_display = ["name", "role", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "role"]


class OrganiserViewSet(SnippetViewSet):
    model = Organiser
    icon = "group"
    menu_label = _("Organisers")
    list_display = ["name", "locale"]
    list_filter = ["locale"]
    search_fields = ["name"]


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "site"
    menu_label = _("Partners and sponsors")
    list_display = ["name", "tier", "locale"]
    list_filter = ["locale", "tier"]
    search_fields = ["name"]


class EventPeopleGroup(SnippetViewSetGroup):
    items = (SpeakerViewSet, OrganiserViewSet, PartnerViewSet)
    menu_icon = "group"
    menu_label = _("Event people")
    menu_name = "event-people"


register_snippet(EventPeopleGroup)

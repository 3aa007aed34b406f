from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_editing, translation_drafts, translation_status_views
from .models import FooterText


class FooterTextViewSet(SnippetViewSet):
    model = FooterText
    icon = "list-ul"
    menu_label = "Footer"
    list_display = ["organisers", "locale"]
    list_filter = ["locale"]


register_snippet(FooterTextViewSet)


# Urdu content typed right to left in Nastaliq: page, snippet and translation editors.
@hooks.register("insert_editor_js")
def content_direction_script():
    return admin_editing.editor_script()


@hooks.register("insert_global_admin_css")
def content_direction_stylesheet():
    return admin_editing.editor_stylesheet()


# Before wagtail-localize's own hook (default order 0): the same addresses, answered by
# the views that add machine-translated first drafts and show machine translation
# failures to the editor (translation_drafts.py). wagtail-localize's URL names still
# reverse to these addresses.
@hooks.register("register_admin_urls", order=-1)
def register_translation_draft_urls():
    urls = [
        path(
            "submit/page/<int:page_id>/",
            translation_drafts.SubmitPageTranslationWithDraftsView.as_view(),
            name="submit_page_translation",
        ),
        path(
            "submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/",
            translation_drafts.SubmitSnippetTranslationWithDraftsView.as_view(),
            name="submit_snippet_translation",
        ),
        path(
            "translate/<int:translation_id>/machine_translate/",
            translation_drafts.machine_translate,
            name="machine_translate",
        ),
    ]
    return [path("localize/", include((urls, "translation_drafts")))]


# The translation status report (translation_status_views.py), under Reports.
@hooks.register("register_admin_urls")
def register_translation_status_url():
    return [
        path(
            "reports/translation-status/",
            translation_status_views.report,
            name="translation_status",
        )
    ]


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return MenuItem(
        _("Translation status"),
        reverse("translation_status"),
        icon_name="wagtail-localize-language",
        order=700,
    )

"""Right-to-left editing: Urdu content is typed right to left, in Nastaliq, in the admin.

The Wagtail admin's own interface has no Urdu and stays in the editor's language and
direction; the content being edited is in the page's or snippet's locale. This panel (in
every page type's and translatable snippet's edit form) names that language and its
direction, from Django's own language info (`bidi`), not a list of ours; the editor
script (`home/admin/content-direction.js`, with its stylesheet) then sets `lang` and `dir`
on the form's text fields and rich text, and does the same in wagtail-localize's
translation editor for its target language (read from the editor's own props)."""

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from wagtail.admin.panels import Panel
from wagtail.models import Locale


def editor_script():
    """The editor scripts: the direction script, told which site languages are written
    right to left, and the translation editor's "Keep as in source" (keep-source.js)."""
    rtl = " ".join(code for code, _name in settings.LANGUAGES if direction(code) == "rtl")
    return format_html(
        '<script src="{}" data-rtl-languages="{}"></script>'
        '<script src="{}" data-keep-label="{}"></script>',
        static("home/admin/content-direction.js"),
        rtl,
        static("home/admin/keep-source.js"),
        _("Keep as in source"),
    )


def editor_stylesheet():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("home/admin/content-direction.css")
    )


def content_language(instance, request=None):
    """The language code the instance's content is written in: its locale's, else (a new
    page or snippet) the one asked for in the address, else the default."""
    if getattr(instance, "locale_id", None):
        return instance.locale.language_code
    asked = request.GET.get("locale") if request is not None else None
    if asked:
        return asked
    return Locale.get_default().language_code


def direction(language_code):
    try:
        return "rtl" if get_language_info(language_code)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


class ContentLanguagePanel(Panel):
    """Shows which language the content is in, and tells the editor script (added to
    every editor by home/wagtail_hooks.py) which language and direction to write in."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", "")
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "home/admin/content_language_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            code = content_language(self.instance, self.request)
            try:
                name = get_language_info(code)["name_local"]
            except KeyError:
                name = code
            context.update({"language_code": code, "language_name": name, "dir": direction(code)})
            return context

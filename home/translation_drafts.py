"""Machine-translated first drafts, and machine translation failures the editor can see.

When an editor asks for a new translation ("Translate this page", or a snippet's
"Translate"), wagtail-localize creates it with every segment untranslated. Here, once that
is saved, each new translation whose language has an engine (home/machine_translation.py)
is filled in by it, the way the translation editor's own "Translate with …" button does
(wagtail-localize's `apply_machine_translation`), and its draft is saved again: the editor
opens a draft to review, not an empty form. Nothing is published that was not before: a
page translation stays a draft (`WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False`).

A failing engine (an error, no answer within the timeout, nobody listening) costs nothing:
the translation exists, untranslated segments stay untranslated, and the editor is told
what happened and that the button in the editor tries again. wagtail-localize's own button
view lets such an error escape as a server error; the same address is answered here first
(registered before wagtail-localize's in home/wagtail_hooks.py), with the message instead.
"""

import contextlib
import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.views.pages.utils import get_valid_next_url_from_request
from wagtail.models import DraftStateMixin
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import Translation
from wagtail_localize.views.edit_translation import apply_machine_translation
from wagtail_localize.views.submit_translations import (
    SubmitPageTranslationView,
    SubmitSnippetTranslationView,
)

from .machine_translation import MachineTranslationError

logger = logging.getLogger(__name__)


def _failure_message(translator, error):
    if isinstance(error, MachineTranslationError):
        reason = str(error)
    else:
        logger.exception("Machine translation with %s failed", translator.display_name)
        reason = _("%(engine)s failed.") % {"engine": translator.display_name}
    return _(
        "Machine translation failed: %(reason)s Nothing was lost; the translation editor's "
        "“Translate with %(engine)s” button tries again."
    ) % {"reason": reason, "engine": translator.display_name}


def translate_with_machine(request, translation, translator):
    """Fill `translation`'s untranslated segments with `translator`: True when something
    was filled in, False when nothing was left, None when it failed (the editor is told).
    """
    try:
        return apply_machine_translation(translation.pk, request.user, translator)
    except (Http404, PermissionDenied):
        # No engine for this language, or not the user's to edit: no draft to fill.
        return False
    except Exception as error:  # noqa: BLE001 - any engine failure is the editor's message
        messages.error(request, _failure_message(translator, error))
        return None


def fill_first_drafts(request, instance, locales):
    """Machine-translate the new translations of `instance` into `locales` and save their
    drafts again (after wagtail-localize created them)."""
    translator = get_machine_translator()
    if translator is None:
        return
    translations = Translation.objects.filter(
        source__object_id=instance.translation_key,
        source__locale_id=instance.locale_id,
        target_locale__in=locales,
    ).select_related("source__locale", "target_locale")
    # As wagtail-localize decides for a new translation: a draft where there can be one.
    publish = not isinstance(instance, DraftStateMixin)
    filled = []
    for translation in translations:
        if not translator.can_translate(translation.source.locale, translation.target_locale):
            continue
        if translate_with_machine(request, translation, translator):
            with contextlib.suppress(ValidationError):
                translation.save_target(user=request.user, publish=publish)
            filled.append(translation.target_locale.get_display_name())
    if filled:
        messages.success(
            request,
            _("Machine-translated by %(engine)s into %(languages)s: review it before publishing.")
            % {"engine": translator.display_name, "languages": ", ".join(filled)},
        )


class FirstDraftsMixin:
    def form_valid(self, form):
        # Read now: the field's choices exclude languages already translated, so the
        # lazy selection comes back empty once wagtail-localize has made the translations.
        locales = list(form.cleaned_data["locales"])
        response = super().form_valid(form)
        fill_first_drafts(self.request, self.object, locales)
        return response


class SubmitPageTranslationWithDraftsView(FirstDraftsMixin, SubmitPageTranslationView):
    pass


class SubmitSnippetTranslationWithDraftsView(FirstDraftsMixin, SubmitSnippetTranslationView):
    pass


@require_POST
def machine_translate(request, translation_id):
    """The translation editor's "Translate with …" button, with failures as a message."""
    translator = get_machine_translator()
    if translator is None:
        raise Http404
    try:
        done = apply_machine_translation(translation_id, request.user, translator)
    except (Http404, PermissionDenied):
        raise
    except Exception as error:  # noqa: BLE001 - any engine failure is the editor's message
        messages.error(request, _failure_message(translator, error))
    else:
        if done:
            messages.success(
                request, _("Successfully translated with %s.") % translator.display_name
            )
        else:
            messages.warning(request, _("There isn't anything left to translate."))
    return redirect(get_valid_next_url_from_request(request) or reverse("wagtailadmin_home"))

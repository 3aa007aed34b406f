"""The translation status report in the admin (Reports → Translations): every translated
page and snippet per language, filtered by language and state, with a bulk "Sync and
publish" for the ones that are behind (home/translation_status.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.models import Locale, Page
from wagtail.snippets.permissions import get_permission_name
from wagtail_localize.models import TranslationSource

from . import translation_status

SYNCABLE = (translation_status.OUT_OF_DATE, translation_status.DRAFT)


def can_submit(user):
    return user.has_perm("wagtail_localize.submit_translation")


def can_publish(user, instance):
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_publish()
    return user.has_perm(get_permission_name("change", type(instance)))


def report(request):
    user = request.user
    if not (can_submit(user) or user_has_any_page_permission(user)):
        raise PermissionDenied
    if request.method == "POST":
        return sync_selected(request)
    language = request.GET.get("language") or None
    state = request.GET.get("state") or None
    if state not in (None, *translation_status.STATES):
        state = None
    rows = translation_status.status_rows(language=language, state=state)
    for row in rows:
        row.can_sync = (
            row.state in SYNCABLE and can_submit(user) and can_publish(user, row.instance)
        )
    return TemplateResponse(
        request,
        "home/admin/translation_status.html",
        {
            "rows": rows,
            "languages": Locale.objects.exclude(pk=Locale.get_default().pk),
            "states": translation_status.STATES.items(),
            "language": language,
            "state": state,
            "any_syncable": any(row.can_sync for row in rows),
        },
    )


def _selected(request):
    for value in request.POST.getlist("row"):
        source_id, _sep, locale_id = value.partition(":")
        if source_id.isdigit() and locale_id.isdigit():
            yield int(source_id), int(locale_id)


def sync_selected(request):
    user = request.user
    if not can_submit(user):
        raise PermissionDenied
    selected = list(dict.fromkeys(_selected(request)))
    sources = TranslationSource.objects.in_bulk([source_id for source_id, _ in selected])
    locales = Locale.objects.in_bulk([locale_id for _, locale_id in selected])
    published, drafts, refused = [], [], []
    for source_id, locale_id in selected:
        source, locale = sources.get(source_id), locales.get(locale_id)
        if source is None or locale is None or locale.pk == source.locale_id:
            continue
        if not can_publish(user, source.get_source_instance()):
            refused.append(str(source.get_source_instance()))
            continue
        result = translation_status.sync(source, locale, user)
        if result.published:
            published.append(result.row_label)
        else:
            drafts.append(result)
    if published:
        messages.success(
            request,
            _("Synced and published: %(list)s.") % {"list": "; ".join(published)},
        )
    for result in drafts:
        if result.error:
            messages.error(request, f"{result.row_label}: {result.error}")
        else:
            messages.warning(
                request,
                ngettext(
                    "%(item)s: synced, not published: %(count)d string needs translating "
                    "in the translation editor.",
                    "%(item)s: synced, not published: %(count)d strings need translating "
                    "in the translation editor.",
                    result.missing,
                )
                % {"item": result.row_label, "count": result.missing},
            )
    if refused:
        messages.error(request, _("Not yours to publish: %(list)s.") % {"list": "; ".join(refused)})
    if not selected:
        messages.warning(request, _("Choose the translations to sync."))
    return redirect(request.get_full_path())

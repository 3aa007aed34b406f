"""Translating a page or snippet through wagtail-localize from a table of strings, the way
a translator's PO file would: the result is an ordinary wagtail-localize Translation, so
"Edit translation" in the admin opens the translation editor with the strings filled in."""

from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource


class MissingStrings(Exception):
    pass


@transaction.atomic
def translate(instance, language_code, strings, *, publish=True, user=None):
    """Create or update the `language_code` translation of `instance` from `strings`
    (source text -> translated text) and save it. Every translatable string of the source
    must be in `strings`: a demo or import that leaves English behind says so."""
    locale = Locale.objects.get(language_code=language_code)
    source, _created = TranslationSource.update_or_create_from_instance(instance)
    translation, _created = Translation.objects.get_or_create(
        source=source,
        target_locale=locale,
        defaults={"enabled": True},
    )
    po = translation.export_po()
    missing = []
    for entry in po:
        text = strings.get(entry.msgid)
        if text is None:
            missing.append(entry.msgid)
        else:
            entry.msgstr = text
    if missing:
        raise MissingStrings(
            f"{instance!r} has no {language_code} text for: "
            + "; ".join(repr(m[:60]) for m in missing)
        )
    translation.import_po(po, user=user)
    if not isinstance(instance, Page):
        translation.save_target(user=user)
        return instance.get_translation(locale)
    # wagtail-localize publishes a page translation in `transaction.on_commit`, from the
    # page object it held when saving; inside a longer transaction (a demo load, a test)
    # that stale object overwrites the tree counters of children translated meanwhile,
    # and it never runs in a test. Save a draft and publish its revision here instead.
    translation.save_target(user=user, publish=False)
    target = instance.get_translation(locale).specific
    if publish:
        target.get_latest_revision().publish(user=user)
        target.refresh_from_db()
    return target

"""Which translations are behind their source, and bringing them up to date in bulk.

For every page and snippet that wagtail-localize translates (it has a `TranslationSource`)
and every other site language, one state:

- missing: no translation in that language;
- out of date: the source has strings the translation does not have yet: new or reworded
  text since it was translated (the changed strings are listed), or a source edited since
  its snapshot was last taken (a snippet has no publish step that takes it);
- draft: every string is translated but the translation is not live, or has changes
  saved and not published;
- up to date.

Read from wagtail-localize's own models: the snapshot's string segments, the target
language's string translations, and the target object.

`sync()` does what wagtail-localize's "Sync translated pages" does (the snapshot is taken
again from the source) but never publishes English under another language: where an
engine is configured, the missing strings are machine-translated first; a translation that
still misses strings is left as it is and reported. Not saved as a draft either:
wagtail-localize's `save_target(publish=False)` writes a page's row before its revision,
and a live page is served from its row, so the source-language fallbacks would go live."""

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import DraftStateMixin, Locale, Page, get_translatable_models
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.segments.types import StringSegmentValue
from wagtail_localize.views.edit_translation import apply_machine_translation

# The apps whose translatable models are content editors translate (snippets); not form
# questions and other child rows, which are translated with their page.
SNIPPET_APPS = ("home", "events")

MISSING = "missing"
OUT_OF_DATE = "out_of_date"
DRAFT = "draft"
UP_TO_DATE = "up_to_date"
STATES = {
    MISSING: _("Missing"),
    OUT_OF_DATE: _("Out of date"),
    DRAFT: _("Draft"),
    UP_TO_DATE: _("Up to date"),
}


@dataclass
class Row:
    source: TranslationSource | None
    instance: object
    locale: Locale
    state: str
    translation: Translation | None = None
    target: object = None
    changed: list = field(default_factory=list)

    @property
    def state_label(self):
        return STATES[self.state]

    @property
    def kind(self):
        return self.instance._meta.verbose_name


def _current_strings(instance):
    return {
        segment.string.data
        for segment in extract_segments(instance)
        if isinstance(segment, StringSegmentValue)
    }


def _is_draft(target):
    if isinstance(target, Page):
        return not target.live or target.has_unpublished_changes
    if isinstance(target, DraftStateMixin):
        return not target.live or target.has_unpublished_changes
    return False


def status_rows(language=None, state=None):
    """Every (translated object, other language) with its state, sources in title order;
    optionally only one language's, or one state's."""
    locales = list(Locale.objects.all())
    sources = list(
        TranslationSource.objects.select_related("locale", "specific_content_type", "object")
    )
    # The snapshot's strings per source ((string, context) -> text), and which (string,
    # context) pairs each language has a translation of: two queries for the whole report.
    strings = defaultdict(dict)
    for source_id, string_id, context_id, data in StringSegment.objects.values_list(
        "source_id", "string_id", "context_id", "string__data"
    ):
        strings[source_id][(string_id, context_id)] = data
    translated = defaultdict(set)
    for string_id, context_id, locale_id in StringTranslation.objects.values_list(
        "translation_of_id", "context_id", "locale_id"
    ):
        translated[locale_id].add((string_id, context_id))
    translations = {
        (t.source_id, t.target_locale_id): t
        for t in Translation.objects.filter(source__in=[s.pk for s in sources])
    }

    rows = []
    for source in sources:
        instance = source.get_source_instance()
        if isinstance(instance, Page):
            instance = instance.specific
        model = type(instance)
        targets = {
            obj.locale_id: obj
            for obj in model.objects.filter(translation_key=instance.translation_key)
        }
        current = _current_strings(instance)
        snapshot = strings[source.pk]
        for locale in locales:
            if locale.pk == source.locale_id:
                continue
            if language and locale.language_code != language:
                continue
            target = targets.get(locale.pk)
            if target is not None and isinstance(target, Page):
                target = target.specific
            translation = translations.get((source.pk, locale.pk))
            changed = []
            if target is None:
                row_state = MISSING
            else:
                missing_ids = set(snapshot) - translated[locale.pk]
                changed = sorted(
                    {snapshot[i] for i in missing_ids} | (current - set(snapshot.values()))
                )
                if changed:
                    row_state = OUT_OF_DATE
                elif _is_draft(target):
                    row_state = DRAFT
                else:
                    row_state = UP_TO_DATE
            if state and row_state != state:
                continue
            rows.append(
                Row(source, instance, locale, row_state, translation, target, changed=changed)
            )
    # Pages and snippets never submitted for translation have no snapshot: missing in
    # every language they have no version in.
    if state in (None, MISSING):
        default = Locale.get_default()
        sourced = {source.object_id for source in sources}
        never = [
            Page.objects.filter(locale=default, depth__gt=1)
            .exclude(translation_key__in=sourced)
            .specific()
        ]
        never += [
            model.objects.filter(locale=default).exclude(translation_key__in=sourced)
            for model in get_translatable_models()
            if not issubclass(model, Page) and model._meta.app_label in SNIPPET_APPS
        ]
        for queryset in never:
            for instance in queryset:
                for locale in locales:
                    if locale.pk == default.pk:
                        continue
                    if language and locale.language_code != language:
                        continue
                    if not instance.has_translation(locale):
                        rows.append(Row(None, instance, locale, MISSING))
    rows.sort(key=lambda row: (str(row.instance).lower(), row.locale.language_code))
    return rows


@dataclass
class SyncResult:
    row_label: str
    published: bool
    missing: int
    error: str = ""


def sync(source, locale, user, *, publish=True):
    """Bring `source`'s translation into `locale` up to date: take the snapshot again,
    machine-translate missing strings where an engine is configured, then publish when
    every string is translated (else save a draft of a page, and say how many are missing).
    """
    label = f"{source.get_source_instance()} ({locale.get_display_name()})"
    with transaction.atomic():
        source.update_from_db()
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        translator = get_machine_translator()
        if translator is not None and translator.can_translate(source.locale, locale):
            # A failing engine leaves the strings untranslated: reported below.
            with contextlib.suppress(Exception), transaction.atomic():
                apply_machine_translation(translation.pk, user, translator)
        done = set(
            StringTranslation.objects.filter(locale=locale).values_list(
                "translation_of_id", "context_id"
            )
        )
        missing = sum(
            1
            for key in StringSegment.objects.filter(source=source).values_list(
                "string_id", "context_id"
            )
            if key not in done
        )
        instance = source.get_source_instance()
        can_draft = isinstance(instance, Page | DraftStateMixin)
        if missing:
            # Not even a draft: wagtail-localize saves a page's row before its revision, so
            # a "draft" with source-language fallbacks would show on the live page.
            return SyncResult(label, False, missing)
        try:
            translation.save_target(user=user, publish=publish or not can_draft)
        except ValidationError as error:
            return SyncResult(label, False, 0, error="; ".join(error.messages))
        return SyncResult(label, publish or not can_draft, 0)

"""Synchronised facts are right in every language the moment they are published.

wagtail-localize copies a page's synchronised fields into its translations only when
someone presses "Sync translated pages" or publishes the translation again. Until then the
Turkish and Urdu pages, their calendar files, structured data, listings and the emails
sent from them state the old dates, zone, status, capacity … of the English page.

Which fields are facts is wagtail-localize's own answer, for any page model: the
`SynchronizedField`s of `get_translatable_fields()` (overrides on the model, and what it
synchronises by default: dates, numbers, choices, URLs, images, non-translatable child rows
such as an event's organisers), all but the slug (see NOT_FACTS). Translatable content
(titles, text, StreamFields, form questions) is never touched here: a new English
paragraph waits for its translator, so nothing untranslated is published under /tr/ or
/ur/.

On `page_published`:

- of a source page (one with a wagtail-localize `TranslationSource`): the source snapshot
  is brought up to date, as "Sync translated pages" does first, so that a later
  translation publish builds from the new facts; then each enabled translation's page row
  gets the facts as wagtail-localize would copy them (`copy_synchronised_fields`, with the
  translator's overrides of overridable fields applied through `ingest_segments`). The
  translation is not re-published and gets no new revision: a translator's draft stays
  theirs, and a translation that is not live stays unpublished.
- of a translation: its row gets the facts of the live source page again, so publishing
  a draft, a scheduled revision or an old revision made before the source changed never
  brings the old facts back.

The rows are saved with `update_fields` (no validation, no SEQUENCE bump: the sequence is
one of the copied facts), which sends `post_save` (the page cache's invalidation); child
rows alone send nothing, so the page cache is emptied here as well (after commit).

Not covered: the synchronised fields of translatable child rows (a form question's answer
key and type travel with its label, so they wait for the translation), and translatable
snippets (speakers, organisers), which have no publish step.
"""

import json
import logging

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from modelcluster.fields import ParentalKey
from modelcluster.models import get_serializable_data_for_fields
from wagtail_localize.fields import (
    SynchronizedField,
    copy_synchronised_fields,
    get_translatable_fields,
)
from wagtail_localize.models import OverridableSegment, Translation, TranslationSource
from wagtail_localize.segments.ingest import ingest_segments
from wagtail_localize.segments.types import OverridableSegmentValue

from . import page_cache

logger = logging.getLogger(__name__)


# A page's address is synchronised too, but it is not a fact about the event: a translated
# page keeps its address until wagtail-localize's own sync moves it (with redirects), so
# that publishing a new English slug never breaks a Turkish link at once.
NOT_FACTS = {"slug"}


def synchronised_fields(model, instance):
    """The facts of `model`: wagtail-localize's synchronised fields (not the translatable
    ones it also copies before translating, such as StreamFields and child questions)."""
    return [
        field
        for field in get_translatable_fields(model)
        if isinstance(field, SynchronizedField)
        and field.field_name not in NOT_FACTS
        and field.is_synchronized(instance)
    ]


def synchronise_on_publish(sender, instance, revision=None, **kwargs):
    """`page_published` receiver (see the module docstring)."""
    if not instance.live:
        return  # scheduled for later: nothing has changed for visitors yet
    with transaction.atomic():
        changed = pull_facts(instance) | push_facts(instance)
    if changed:
        page_cache.invalidate()


def push_facts(page):
    """`page` was published: bring its TranslationSource up to date and copy its facts to
    every enabled translation. Returns the ids of the translations that changed."""
    if not TranslationSource.objects.filter(
        object_id=page.translation_key, locale_id=page.locale_id
    ).exists():
        return set()
    original = _fresh(page)
    source, _created = TranslationSource.update_or_create_from_instance(original)
    changed = set()
    translations = source.translations.filter(enabled=True).select_related("target_locale")
    for translation in translations:
        target = (
            type(original)
            .objects.filter(translation_key=page.translation_key, locale=translation.target_locale)
            .first()
        )
        if target is not None and copy_facts(source, original, target):
            changed.add(target.pk)
    return changed


def pull_facts(page):
    """`page` is a translation that was published: give it the live source's facts again.
    Returns {page.pk} when that changed it."""
    translation = (
        Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        )
        .select_related("source")
        .first()
    )
    if translation is None:
        return set()
    source = translation.source
    original = (
        source.specific_content_type.model_class()
        .objects.filter(translation_key=page.translation_key, locale_id=source.locale_id)
        .first()
    )
    if original is None or not original.live or original.pk == page.pk:
        return set()
    return {page.pk} if copy_facts(source, original, _fresh(page)) else set()


def copy_facts(source, original, target):
    """Save on `target` (a translation's row) the synchronised values of `original` (its
    live source), with the translator's overrides for `target`'s locale. Returns the names
    of the fields that changed."""
    model = type(target)
    if type(original) is not model:
        return []
    facts = synchronised_fields(model, original)
    # wagtail-localize's own copy, onto a scratch copy of the row (it also copies content
    # that is not ours to publish, such as StreamFields, which stays in the scratch copy).
    scratch = _fresh(target)
    copy_synchronised_fields(original, scratch)
    _apply_overrides(source, original, scratch, facts)

    changed = []
    for fact in facts:
        field = fact.get_field(model)
        if _is_child_relation(field):
            if _children(scratch, field) != _children(target, field):
                getattr(target, field.name).set(list(getattr(scratch, field.name).all()))
                changed.append(field.name)
            continue
        value = getattr(scratch, field.attname)
        if getattr(target, field.attname) != value:
            setattr(target, field.attname, value)
            changed.append(field.name)
    if not changed:
        return []
    target.save(update_fields=changed, clean=False)
    logger.info(
        "Synchronised %s of page %s (%s) from page %s",
        ", ".join(changed),
        target.pk,
        target.locale.language_code,
        original.pk,
    )
    return changed


def _apply_overrides(source, original, scratch, facts):
    """The translator's overrides of overridable facts, read and applied the way
    wagtail-localize applies them when it saves a translation."""
    names = [fact.field_name for fact in facts if fact.is_overridable(original)]
    if not names:
        return
    segments = [
        OverridableSegmentValue(
            segment.context.path, json.loads(segment.override_json), order=segment.order
        )
        for segment in OverridableSegment.objects.filter(source=source, context__path__in=names)
        .annotate_override_json(scratch.locale)
        .filter(override_json__isnull=False)
        .select_related("context")
    ]
    for segment in segments:
        try:
            ingest_segments(original, scratch, source.locale, scratch.locale, [segment])
        except ObjectDoesNotExist:
            # An overriding image (say) was deleted since: the source's value stands.
            logger.warning("Override of %s on page %s no longer applies", segment.path, scratch.pk)


def _fresh(page):
    return type(page).objects.select_related("locale").get(pk=page.pk)


def _is_child_relation(field):
    return field.one_to_many and isinstance(field.remote_field, ParentalKey)


def _children(instance, relation):
    """A child relation's rows as comparable data, without their ids and parent (their
    order is in their data: `sort_order`)."""
    rows = []
    for child in getattr(instance, relation.name).all():
        data = get_serializable_data_for_fields(child)
        for key in ("pk", "id", relation.remote_field.attname, relation.remote_field.name):
            data.pop(key, None)
        rows.append(json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder))
    return sorted(rows)

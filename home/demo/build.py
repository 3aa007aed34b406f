"""Idempotent helpers the demo loaders of every app share: create a page or snippet once
from a multilingual declaration, then translate it through wagtail-localize."""

from django.conf import settings
from wagtail.models import Locale

from home.localize import translate

from .text import english, strings


def other_languages():
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def ensure_child_page(parent, model, spec, out, **extra):
    """The child of `parent` with the spec's slug, created and published the first time."""
    fields = {**english(spec), **extra}
    slug = fields["slug"]
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = model(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    out(f"  created {model._meta.verbose_name} “{page.title}” at {page.url_path}")
    return page, True


def ensure_translations(instance, spec, out, *, extra_strings=None):
    """Translate `instance` into every other site language from `spec`, once."""
    created = []
    for code in other_languages():
        locale = Locale.objects.get(language_code=code)
        if instance.get_translation_or_none(locale) is not None:
            continue
        table = strings(spec, code)
        for extra in extra_strings or ():
            strings(extra, code, table)
        translate(instance, code, table)
        created.append(code)
    if created:
        out(f"  translated “{instance}” into {', '.join(created)}")
    return created


def ensure_snippet(model, lookup, spec, out):
    """A snippet in the default language, found by `lookup` or created from `spec`."""
    locale = Locale.get_default()
    existing = model.objects.filter(locale=locale, **lookup).first()
    if existing is not None:
        return existing, False
    instance = model(locale=locale, **english(spec))
    instance.save()
    out(f"  created {model._meta.verbose_name} “{instance}”")
    return instance, True

"""Keeps Wagtail's Locale rows in step with the configured site languages."""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS


def ensure_locales(using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    """Create a Locale for every configured language; idempotent."""
    if apps is not None:
        try:
            Locale = apps.get_model("wagtailcore", "Locale")
        except LookupError:  # wagtail's migrations have not run yet
            return
    else:
        from wagtail.models import Locale
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.using(using).get_or_create(language_code=code)

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# Templates every public page renders, compiled once before gunicorn forks its workers.
_TEMPLATES = (
    "base.html",
    "home/home_page.html",
    "home/standard_page.html",
    "events/event_page.html",
    "events/event_index_page.html",
    "forms_app/registration_form_page.html",
    "404.html",
)


def warm():
    """What a worker would otherwise do on its first requests, done once in gunicorn's
    master before it forks (gunicorn.conf.py, `when_ready`): every worker, including one
    that replaces a recycled worker, starts with the URL patterns resolved, the message
    catalogues of every language loaded and the page templates compiled, so its first
    page is no slower than the others. Touches no database connection (the workers must
    not share one)."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 (imports every URLconf)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Register")
    for name in _TEMPLATES:
        get_template(name)

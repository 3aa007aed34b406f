from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home and content pages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .locales import ensure_locales

        # After every migrate (and every test-database flush), so that a Locale exists for
        # each configured language whether or not the demo content has been loaded.
        post_migrate.connect(ensure_locales, sender=self)

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from home.page_cache import invalidate

        from .models import Organiser, Speaker

        # Event pages show speakers and organisers (snippets, saved without publishing a
        # page): cached pages are stale once one changes (home/page_cache.py).
        for model in (Speaker, Organiser):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{model}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-del-{model}")

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
        self.connect_page_cache_invalidation()
        self.connect_translation_sync()

    def connect_translation_sync(self):
        from wagtail.signals import page_published

        from .translation_sync import synchronise_on_publish

        # Dates, status, capacity … reach every language when the source is published.
        page_published.connect(synchronise_on_publish, dispatch_uid="translation-facts")

    def connect_page_cache_invalidation(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.images import get_image_model
        from wagtail.models import Locale, Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .models import FooterText
        from .page_cache import invalidate

        # Any change the public sees empties the page cache (and purges the proxy), which
        # also holds the header and footer (home/page_cache.py).
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(invalidate, dispatch_uid=f"page-cache-{id(signal)}")
        post_delete.connect(invalidate, sender=Page, dispatch_uid="page-cache-page-delete")
        # Any page type (sender=None): a draft save can create an alias or change a
        # restriction's subtree; cheap, since it only writes one key.
        post_save.connect(_page_saved, dispatch_uid="page-cache-page-save")
        for model in (PageViewRestriction, FooterText, Locale, Site, get_image_model()):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{model}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-del-{model}")


def _page_saved(sender, instance, **kwargs):
    from wagtail.models import Page

    from .page_cache import invalidate_app

    # A draft saved changes nothing the proxy keeps (publishing, moving and deleting
    # purge it), but a save can create an alias or move a subtree's restrictions.
    if isinstance(instance, Page):
        invalidate_app()

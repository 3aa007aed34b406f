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
        self.connect_navigation_invalidation()

    def connect_navigation_invalidation(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Locale, Page, PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .models import FooterText
        from .navigation import invalidate

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(invalidate, dispatch_uid=f"navigation-{id(signal)}")
        post_delete.connect(invalidate, sender=Page, dispatch_uid="navigation-page-delete")
        for model in (PageViewRestriction, FooterText, Locale):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"navigation-save-{model}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"navigation-del-{model}")

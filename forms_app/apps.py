from django.apps import AppConfig


class FormsAppConfig(AppConfig):
    name = "forms_app"
    verbose_name = "Registrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .signals import availability_changed, refresh_cached_pages

        availability_changed.connect(refresh_cached_pages, dispatch_uid="page-cache-availability")

from django.apps import AppConfig


class FormsAppConfig(AppConfig):
    name = "forms_app"
    verbose_name = "Registrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from home import page_cache

        from .signals import availability_changed

        # The event page above a form shows its availability, in every language.
        availability_changed.connect(page_cache.invalidate, dispatch_uid="page-cache-availability")
        self.plug_in_views()
        self.connect_publishing()

    def plug_in_views(self):
        # The form page's routes and its registrations list in the admin are answered by
        # views that sit above the models (views -> services -> models), so the page
        # model is given them here rather than importing them (see RegistrationFormPage).
        from . import views
        from .admin_views import RegistrationsListView
        from .models import RegistrationFormPage

        RegistrationFormPage.plug_in_views(
            public_views=views, submissions_list_view_class=RegistrationsListView
        )

    def connect_publishing(self):
        from wagtail.signals import page_published

        from .models import RegistrationFormPage
        from .publishing import promote_after_publish

        # More places published (admin or scheduler): the waiting list moves up at once.
        page_published.connect(
            promote_after_publish, sender=RegistrationFormPage, dispatch_uid="promote-on-publish"
        )

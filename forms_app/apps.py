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
        self.connect_remembered_settings(page_cache)
        self.plug_in_views()
        self.connect_publishing()
        self.plug_in_bulk_emails()

    def connect_remembered_settings(self, page_cache):
        from django.db.models.signals import post_delete, post_save

        from .models import RegistrationEmailSettings

        # Whether a form notifies its organisers is remembered under the page-cache epoch
        # (`RegistrationEmailSettings.notifies_organisers`); nothing public shows it.
        for signal in (post_save, post_delete):
            signal.connect(
                page_cache.invalidate_app,
                sender=RegistrationEmailSettings,
                dispatch_uid=f"page-cache-email-settings-{id(signal)}",
            )

    def plug_in_views(self):
        # The form page's routes and its registrations list in the admin are answered by
        # views that sit above the models (views -> services -> models), so the page
        # model is given them here rather than importing them (see RegistrationFormPage).
        from . import feedback_views, views
        from .admin_views import RegistrationsListView
        from .models import FeedbackFormPage, RegistrationFormPage

        RegistrationFormPage.plug_in_views(
            public_views=views, submissions_list_view_class=RegistrationsListView
        )
        FeedbackFormPage.plug_in_views(
            public_views=feedback_views,
            submissions_list_view_class=feedback_views.FeedbackResultsView,
        )

    def connect_publishing(self):
        from wagtail.signals import page_published

        from .models import RegistrationFormPage
        from .publishing import promote_after_publish

        # More places published (admin or scheduler): the waiting list moves up at once.
        page_published.connect(
            promote_after_publish, sender=RegistrationFormPage, dispatch_uid="promote-on-publish"
        )

    def plug_in_bulk_emails(self):
        # The emails owned by modules above `emails` (messages to registrants, reminders,
        # "the event changed") are built by them: `emails.build_message` is handed their
        # builders here rather than importing them (they import `emails`).
        from wagtail.signals import page_published

        from events.models import EventPage

        from . import emails, event_changes, messaging, reminders
        from .models import EmailKind

        emails.plug_in_builder(EmailKind.MESSAGE, messaging.build_email)
        emails.plug_in_builder(EmailKind.REMINDER, reminders.build_email)
        emails.plug_in_builder(EmailKind.EVENT_CHANGED, event_changes.build_email)
        # A published change of an event's dates, place or status is emailed to its
        # registrants (once per change).
        page_published.connect(
            event_changes.notify_on_publish, sender=EventPage, dispatch_uid="event-changed-emails"
        )

from django.utils.functional import cached_property
from wagtail.contrib.forms.panels import FormSubmissionsPanel

from .permissions import can_manage_registrations


class RegistrationsPanel(FormSubmissionsPanel):
    """Wagtail's "N submissions" panel, counting the whole pool (every language version of
    the form) and shown only to people allowed to see registrations."""

    class BoundPanel(FormSubmissionsPanel.BoundPanel):
        @cached_property
        def submissions(self):
            if not self.instance.pk:
                return self.panel.model.get_submission_class(self.instance).objects.none()
            return self.instance.get_submissions()

        def is_shown(self):
            return can_manage_registrations(self.request.user) and self.submission_count

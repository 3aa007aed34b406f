"""The small site the fault tests' app processes serve, built in their own database copy
(`build()` runs in a subprocess with that database's settings)."""

import datetime as dt

# Registration stays open: it closes when the event starts.
EVENT_STARTS_IN = dt.timedelta(days=90)
FORM_PATH = "/en/faults/register/"
CROWD_FORM_PATH = "/en/crowd/register/"
CROWD_CAPACITY = 10


def build():
    from django.utils import timezone

    from tests.factories.events import EventPageFactory
    from tests.factories.forms import RegistrationFormFieldFactory, RegistrationFormPageFactory
    from tests.factories.home import StandardPageFactory
    from tests.helpers import make_home

    home = make_home()
    StandardPageFactory(parent=home, title="About the conference", slug="about")

    start = timezone.now() + EVENT_STARTS_IN
    for slug, title, capacity in (
        ("faults", "Fault Conference", 1000),
        ("crowd", "Crowded Conference", CROWD_CAPACITY),
    ):
        event = EventPageFactory(
            parent=home, title=title, slug=slug, start=start, end=start + dt.timedelta(days=2)
        )
        form = RegistrationFormPageFactory(
            parent=event, slug="register", capacity=capacity, waiting_list=True
        )
        RegistrationFormFieldFactory(
            page=form,
            label="Area of work",
            field_type="checkboxes",
            choices="Academic work\nSocial media\nPolitical lobbying",
            sort_order=0,
        )
        form.save_revision().publish()

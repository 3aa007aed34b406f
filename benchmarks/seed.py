"""Bench data, on top of `load_demo`: an event with 40 sessions and 15 speakers whose
registration form already holds 50,000 registrations, and a workshop whose form has a
capacity for the registration-POST run. Prints what the runner needs as JSON.

Run by benchmarks/run.py with the bench's settings and database."""

import datetime as dt
import json
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles.storage import staticfiles_storage  # noqa: E402
from django.db import transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from events.models import EventIndexPage, EventPage, Speaker  # noqa: E402
from forms_app.models import (  # noqa: E402
    Registration,
    RegistrationEmailSettings,
    RegistrationFormPage,
    RegistrationStatus,
    normalise_email,
)

REGISTRATIONS = int(os.environ.get("BENCH_REGISTRATIONS", "50000"))
WORKSHOP_CAPACITY = int(os.environ.get("BENCH_WORKSHOP_CAPACITY", "5000"))


def programme(speakers, days=4, per_day=10):
    result, k = [], 0
    start = dt.date.today() + dt.timedelta(days=90)
    for d in range(days):
        sessions = []
        for s in range(per_day):
            chosen = [speakers[k % len(speakers)], speakers[(k + 1) % len(speakers)]]
            k += 2
            hour = 8 + s
            sessions.append(
                {
                    "type": "item",
                    "value": {
                        "start": f"{hour:02d}:00",
                        "end": f"{hour:02d}:45",
                        "title": f"Working group {d + 1}.{s + 1}",
                        "kind": "talk",
                        "description": "Reports from the working groups, then discussion.",
                        "room": f"Hall {'ABCD'[s % 4]}",
                        "speakers": [{"type": "item", "value": sp.pk} for sp in chosen],
                    },
                }
            )
        date = (start + dt.timedelta(days=d)).isoformat()
        result.append({"type": "day", "value": {"date": date, "title": "", "sessions": sessions}})
    return result


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def form(parent, slug, capacity):
    page = publish(
        parent,
        RegistrationFormPage(
            title="Register",
            slug=slug,
            intro="Register for the bench event.",
            capacity=capacity,
            waiting_list=False,
        ),
    )
    RegistrationEmailSettings.objects.create(
        page=page,
        from_address="conference@example.org",
        confirmation_texts={"en": {"body": "Thank you, {name}."}},
    )
    return page


@transaction.atomic
def main():
    en = Locale.objects.get(language_code="en")
    index = EventIndexPage.objects.live().filter(locale=en).first()
    speakers = [
        Speaker.objects.create(
            name=f"Bench Speaker {n}", role="Coordinator", bio="A bench biography.", locale=en
        )
        for n in range(15)
    ]
    start = timezone.now() + dt.timedelta(days=90)
    event = publish(
        index,
        EventPage(
            title="Bench Conference",
            slug="bench-conference",
            strapline="Forty sessions, fifteen speakers",
            introduction="The benchmark's event.",
            start=start,
            end=start + dt.timedelta(days=3),
            time_zone="Europe/Istanbul",
            venue_name="Congress Centre",
            street_address="1 Example Street",
            postal_code="34000",
            city="Istanbul",
            country="Turkey",
            programme=programme(speakers),
        ),
    )
    big_form = form(event, "register", REGISTRATIONS * 2)
    now = timezone.now()
    Registration.objects.bulk_create(
        (
            Registration(
                page_id=big_form.pk,
                status=RegistrationStatus.CONFIRMED,
                language=("en", "tr", "ur")[n % 3],
                name=f"Registrant {n}",
                email=f"registrant{n}@example.org",
                email_key=normalise_email(f"registrant{n}@example.org"),
                form_data={"country_of_residence": "Norway"},
                submission_token=uuid.uuid4(),
                consent_at=now,
            )
            for n in range(REGISTRATIONS)
        ),
        batch_size=5000,
    )
    workshop = publish(
        index,
        EventPage(
            title="Bench Workshop",
            slug="bench-workshop",
            introduction="Where the registration POSTs go.",
            start=start,
            end=start + dt.timedelta(hours=3),
            time_zone="Europe/Istanbul",
            venue_name="Congress Centre",
            city="Istanbul",
            country="Turkey",
        ),
    )
    small_form = form(workshop, "register", WORKSHOP_CAPACITY)
    return {
        "static": staticfiles_storage.url("css/site.css"),
        "home": index.get_parent().url,
        "index": index.url,
        "event": event.url,
        "workshop_form": small_form.url,
        "workshop_form_id": small_form.pk,
        "capacity": WORKSHOP_CAPACITY,
        "admin_list": reverse("wagtailforms:list_submissions", args=[big_form.pk]),
        "badge_form_id": big_form.pk,
        "registrations": Registration.objects.filter(page_id=big_form.pk).count(),
    }


if __name__ == "__main__":
    print(json.dumps(main()))

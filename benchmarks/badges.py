"""Badge rendering time (a `make bench` row): 300 badges of one form, as A6 pages and as A4
label sheets, through `forms_app.badges.render` (what the registrations admin's "Badges"
download runs). The people are made in memory, not stored: a third each with an Urdu,
a Turkish and an English name (and an affiliation for two in three), so that every badge
is shaped in its own script; their ticket codes are random.

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python benchmarks/badges.py [FORM_ID]

Without FORM_ID, the first registration form (e.g. the demo's). Prints one JSON line:
seconds for each format, the first (cold) badge, and the process's peak memory."""

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from forms_app import badges  # noqa: E402
from forms_app.models import (  # noqa: E402
    BadgeRole,
    Registration,
    RegistrationFormPage,
    RegistrationStatus,
    new_ticket_code,
)

COUNT = 300
PEOPLE = [
    ("ur", "محمد علی خان", "جامعہ کشمیر، سرینگر"),
    ("tr", "Işıl İnce Şahin Doğan", "İstanbul Üniversitesi"),
    ("en", "Margaret Anne Smith-Jones", ""),
    ("ur", "عائشہ بی بی", ""),
    ("tr", "Çağrı Güneş", "Ankara Sosyal Bilimler Üniversitesi"),
    ("en", "Rahul Koul", "University of Oxford"),
]
ROLES = list(BadgeRole)


def people(form_id):
    for n in range(COUNT):
        language, name, affiliation = PEOPLE[n % len(PEOPLE)]
        yield Registration(
            pk=n + 1,
            page_id=form_id,
            status=RegistrationStatus.CONFIRMED,
            language=language,
            name=f"{name} {n}" if n % 2 else name,
            email=f"badge{n}@example.org",
            form_data={"affiliation": affiliation} if affiliation else {},
            role=ROLES[n % len(ROLES)],
            ticket_code=new_ticket_code(),
        )


def main():
    if len(sys.argv) > 1:
        source = RegistrationFormPage.objects.get(pk=int(sys.argv[1]))
    else:
        source = RegistrationFormPage.objects.order_by("pk").first()
    registrations = list(people(source.pk))
    started = time.perf_counter()
    badges.render(registrations[:1], source, badges.A6)
    cold = time.perf_counter() - started
    result = {"badges": COUNT, "cold_first_badge_s": round(cold, 2)}
    for badge_format in (badges.A6, badges.A4):
        started = time.perf_counter()
        data = badges.render(registrations, source, badge_format)
        result[f"{badge_format}_s"] = round(time.perf_counter() - started, 2)
        result[f"{badge_format}_bytes"] = len(data)
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

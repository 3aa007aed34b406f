"""Certificates of attendance: a one-page PDF for each registration checked in at least
once, in the registrant's language (an Urdu name in Nastaliq, embedded, reading back in
logical order), naming the days they were checked in on and a reference that a
registration manager verifies on an admin page (a forged one is unknown, a cancelled
registration's is revoked). The manage page offers it once the event has started and
only to someone checked in (its route is a 404 otherwise); `send_certificates` emails it,
as a PDF attachment with the manage link, exactly once per registration, run twice or by
two processes at once (threads on PostgreSQL: test_certificate_concurrency.py, a module
of its own, since a transactional test cannot share this module's data).

PDFs are read with Debian's poppler-utils (`pdffonts`, `pdftotext`): CI installs it."""

import datetime as dt
import io
import subprocess

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from events.formatting import format_weekday_date
from events.models import EventPage
from forms_app import certificates, checkin, services
from forms_app.management.commands.send_certificates import queue_certificates
from forms_app.models import (
    EmailKind,
    OutgoingEmail,
    Registration,
    RegistrationFormPage,
)
from tests.helpers import debian_tool, register

pytestmark = pytest.mark.django_db

URDU_NAME = "محمد علی خان"
TURKISH_NAME = "Işıl İnce Şahin Doğan"
BIDI_CONTROLS = "\u202a\u202b\u202c\u200e\u200f"


def move_event(event, start):
    """The event (every language version) to start at `start`, for two days and a bit."""
    EventPage.objects.filter(translation_key=event.translation_key).update(
        start=start, end=start + dt.timedelta(days=2)
    )


def build_people():
    """The event ended yesterday (three days: day 0, 1, 2). Checked in: an Urdu registrant
    on days 0 and 2, a Turkish one on day 1, a cancelled one on day 0 (cancelled after);
    an English registrant who never came. Registration pks by role."""
    form = RegistrationFormPage.objects.get(slug="register", locale__language_code="en")
    RegistrationFormPage.objects.filter(pk=form.pk).update(capacity=None)
    form = RegistrationFormPage.objects.get(pk=form.pk)
    move_event(form.event, timezone.now() - dt.timedelta(days=3))
    form = RegistrationFormPage.objects.get(pk=form.pk)
    days = checkin.event_days(form.event)
    in_language = {
        page.locale.language_code: page
        for page in RegistrationFormPage.objects.filter(translation_key=form.translation_key)
    }
    urdu = register(in_language["ur"], URDU_NAME, "ali@example.org")
    turkish = register(in_language["tr"], TURKISH_NAME, "isil@example.org")
    absent = register(form, "Never Came", "absent@example.org")
    cancelled = register(form, "Left Early", "left@example.org")
    for registration, day_numbers in ((urdu, (0, 2)), (turkish, (1,)), (cancelled, (0,))):
        for number in day_numbers:
            checkin.check_in(form, day=days[number], registration_id=registration.pk)
    services.cancel(cancelled)
    return {"ur": urdu.pk, "tr": turkish.pk, "absent": absent.pk, "cancelled": cancelled.pk}


@pytest.fixture(scope="module")
def people_pks(module_data):
    """Built once for the module (None for a transactional test, which builds its own)."""
    return module_data(build_people)


@pytest.fixture
def people(people_pks, form_page):
    pks = people_pks or build_people()
    return {role: Registration.objects.get(pk=pk) for role, pk in pks.items()}


def pdf_lines(data, tmp_path):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        [debian_tool("pdftotext"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    text = "".join(c for c in result.stdout.decode() if c not in BIDI_CONTROLS)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def fonts(data, tmp_path):
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    result = subprocess.run([debian_tool("pdffonts"), str(path)], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def page_count(data, tmp_path):
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    info = subprocess.run(
        [debian_tool("pdfinfo"), str(path)], capture_output=True, text=True, timeout=60
    ).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def days_in(registration, language):
    with translation.override(language):
        return [format_weekday_date(day) for day in certificates.attended_days(registration)]


def manage_url(registration, language):
    return f"/{language}/third-conference/register/manage/{registration.manage_token}/"


# The PDF ------------------------------------------------------------------------------------


def test_an_urdu_certificate_sets_the_name_in_nastaliq_and_reads_back_in_order(people, tmp_path):
    registration = people["ur"]
    data = certificates.render(registration)
    assert page_count(data, tmp_path) == 1

    listed = fonts(data, tmp_path)
    nastaliq = [line for line in listed.splitlines() if "Noto-Nastaliq-Urdu" in line]
    assert nastaliq and all(" yes " in line for line in nastaliq), listed  # embedded

    lines = pdf_lines(data, tmp_path)
    assert URDU_NAME in lines  # whole, in logical order
    assert "تیسری کانفرنس" in lines  # the event in Urdu
    assert "حاضری کا سرٹیفکیٹ" in lines  # "Certificate of attendance"
    text = "\n".join(lines)
    assert certificates.reference(registration) in text
    # The two days attended (not the one missed), with Urdu month and weekday names.
    days = days_in(registration, "ur")
    assert len(days) == 2
    for day in days:
        words = [word for word in day.replace("،", " ").split() if not word.isdigit()]
        assert all(word in text for word in words), (day, lines)


def test_a_turkish_certificate_lists_the_days_attended_in_turkish(people, tmp_path):
    registration = people["tr"]
    lines = pdf_lines(certificates.render(registration), tmp_path)
    assert TURKISH_NAME in lines
    assert "Katılım Belgesi" in lines
    assert "Üçüncü Konferans" in lines
    [day] = days_in(registration, "tr")
    assert day in lines  # e.g. "1 Aralık 2026, Salı"
    assert any(certificates.reference(registration) in line for line in lines)


def test_only_a_registration_checked_in_has_a_certificate(people):
    assert certificates.has_certificate(people["ur"])
    assert not certificates.has_certificate(people["absent"])
    assert not certificates.has_certificate(people["cancelled"])  # revoked
    for role in ("absent", "cancelled"):
        with pytest.raises(ValueError):
            certificates.render(people[role])


# The manage page -------------------------------------------------------------------------


def test_the_manage_page_offers_the_certificate_to_people_checked_in(people, client):
    registration = people["ur"]
    html = client.get(manage_url(registration, "ur")).content.decode()
    pdf_url = manage_url(registration, "ur") + "certificate/"
    assert f'href="{pdf_url}"' in html
    assert "حاضری کا سرٹیفکیٹ" in html
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", ["absent", "cancelled"])
def test_no_certificate_without_a_check_in_or_after_cancelling(people, client, role):
    registration = people[role]
    html = client.get(manage_url(registration, "en")).content.decode()
    assert "certificate/" not in html
    assert client.get(manage_url(registration, "en") + "certificate/").status_code == 404


def test_no_certificate_before_the_event_has_started(people, client, form_page):
    registration = people["tr"]
    move_event(form_page.event, timezone.now() + dt.timedelta(days=5))
    html = client.get(manage_url(registration, "tr")).content.decode()
    assert "certificate/" not in html
    assert client.get(manage_url(registration, "tr") + "certificate/").status_code == 404


def test_an_unknown_token_is_a_404(people, client):
    assert client.get("/en/third-conference/register/manage/nope/certificate/").status_code == 404


# References ---------------------------------------------------------------------------------


def test_the_reference_verifies_and_a_forged_one_does_not(people):
    registration = people["ur"]
    reference = certificates.reference(registration)
    found = certificates.verify(reference)
    assert found.is_valid and found.registration == registration
    assert found.days == certificates.attended_days(registration)
    # As read over the phone: lower case, spaces.
    spaced = " ".join(reference.lower()[i : i + 4] for i in range(0, len(reference), 4))
    assert certificates.verify(spaced).is_valid

    number, code = reference.split("-")
    other = people["tr"].pk
    forged = [
        f"{number}-{code[:-1]}{'A' if code[-1] != 'A' else 'B'}",  # one character off
        f"{other}-{code}",  # another registration's id with this code
        f"{number}-",
        "",
        "12345678901234567890-" + code,
    ]
    for text in forged:
        assert certificates.verify(text).verdict == certificates.Verdict.UNKNOWN, text


def test_a_cancelled_registrations_certificate_is_revoked(people):
    result = certificates.verify(certificates.reference(people["cancelled"]))
    assert result.verdict == certificates.Verdict.REVOKED
    assert not result.is_valid
    result = certificates.verify(certificates.reference(people["absent"]))
    assert result.verdict == certificates.Verdict.NO_ATTENDANCE


def test_the_reference_depends_on_the_secret_key(people, settings):
    reference = certificates.reference(people["ur"])
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "another-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = []
    assert certificates.reference(people["ur"]) != reference
    assert not certificates.verify(reference).is_valid
    # The old key, listed as a fallback after a rotation, keeps earlier references valid.
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert certificates.verify(reference).is_valid


def verify_url(reference=None):
    url = reverse("forms_app_admin:verify_certificate")
    return url if reference is None else f"{url}?reference={reference}"


def test_registration_managers_verify_a_reference_on_the_admin_page(people, registrar_client):
    registration = people["tr"]
    response = registrar_client.get(verify_url(certificates.reference(registration)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid certificate." in html
    assert TURKISH_NAME in html and "Third Conference" in html
    [day] = certificates.attended_days(registration)
    assert str(day.year) in html

    html = registrar_client.get(verify_url(certificates.reference(people["cancelled"]))).content
    assert "revoked" in html.decode()
    assert "Left Early" in html.decode()
    html = registrar_client.get(verify_url("1-AAAAAAAAAAAAAAAA")).content.decode()
    assert "Unknown reference" in html
    assert registrar_client.get(verify_url()).status_code == 200  # the empty form
    # Found in the admin menu.
    assert f'"{verify_url()}"' in registrar_client.get("/admin/").content.decode()


def test_only_registration_managers_may_verify(people, editor_client):
    reference = certificates.reference(people["ur"])
    response = editor_client.get(verify_url(reference))
    assert response.status_code == 403
    assert URDU_NAME not in response.content.decode()
    anonymous = Client().get(verify_url(reference))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    assert verify_url() not in editor_client.get("/admin/").content.decode()


# The after-event email ----------------------------------------------------------------------


def certificate_emails():
    return [m for m in mail.outbox if m.attachments and m.attachments[-1][0].startswith("cert")]


def test_send_certificates_emails_each_attendee_exactly_once(people):
    mail.outbox.clear()
    call_command("send_certificates", stdout=io.StringIO())
    call_command("send_certificates", stdout=io.StringIO())  # run twice: nothing more

    sent = certificate_emails()
    assert sorted(m.to[0] for m in sent) == ["ali@example.org", "isil@example.org"]
    rows = OutgoingEmail.objects.filter(kind=EmailKind.CERTIFICATE)
    assert rows.count() == 2
    assert set(rows.values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}

    urdu = next(m for m in sent if m.to == ["ali@example.org"])
    assert urdu.extra_headers["Content-Language"] == "ur"
    assert "حاضری کا سرٹیفکیٹ" in urdu.subject and "تیسری کانفرنس" in urdu.subject
    name, content, mimetype = urdu.attachments[-1]
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    assert content.startswith(b"%PDF")
    registration = people["ur"]
    assert f"/ur/third-conference/register/manage/{registration.manage_token}/" in urdu.body
    assert certificates.reference(registration) in urdu.body
    html, _type = urdu.alternatives[0]
    assert 'dir="rtl"' in html

    # A later check-in (a correction at the door) is owed a certificate too; the others
    # are not sent again.
    mail.outbox.clear()
    form = RegistrationFormPage.objects.get(pk=people["absent"].page_id)
    day = checkin.event_days(form.event)[0]
    checkin.check_in(form, day=day, registration_id=people["absent"].pk)
    call_command("send_certificates", stdout=io.StringIO())
    assert [m.to for m in certificate_emails()] == [["absent@example.org"]]


def test_no_certificates_before_an_event_ends_or_long_after(people, form_page):
    mail.outbox.clear()
    move_event(form_page.event, timezone.now() - dt.timedelta(days=1, hours=12))  # still on
    assert queue_certificates() == []
    move_event(form_page.event, timezone.now() - dt.timedelta(days=90))
    assert queue_certificates() == []
    assert queue_certificates(max_age_days=100) != []


def test_a_registration_cancelled_after_queueing_is_not_sent_its_certificate(people):
    mail.outbox.clear()
    [email_id, *_] = queue_certificates()
    email = OutgoingEmail.objects.get(pk=email_id)
    services.cancel(email.registration)
    from forms_app import emails

    assert emails.deliver(email_id) is False
    assert certificate_emails() == []


def test_the_worker_runs_send_certificates(settings):
    assert "send_certificates" in settings.PERIODIC_JOBS


# Rendering time ---------------------------------------------------------------------------

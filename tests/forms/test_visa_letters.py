"""Visa invitation letters: a confirmed registrant asks from the manage page (in their
language, Urdu right to left, errors in it too; once, however often the form is sent),
waitlisted and cancelled ones are refused; the passport details are sealed (never plain
in the database, logs, exports, the person's data export, the organisers' email or the
audit log), seen decrypted by registration managers only; approval emails the PDF letter
(read back with poppler's pdftotext), a decline its reason; the reference verifies as
valid, revoked once the registration is cancelled, or unknown; the details are erased
VISA_DATA_RETENTION_DAYS after the event; a key rotation keeps old tokens readable."""

import datetime as dt
import io
import json
import logging
import subprocess
from unittest import mock

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import PageLogEntry

from events.models import EventPage
from forms_app import emails, privacy, services, visa, visa_letters
from forms_app.models import (
    EmailKind,
    OutgoingEmail,
    Registration,
    RegistrationEmailSettings,
    RegistrationFormPage,
    VisaLetterhead,
    VisaLetterRequest,
    VisaLetterStatus,
)
from tests.helpers import debian_tool, image, list_url, register

pytestmark = pytest.mark.django_db

PASSPORT = "U1234567"
TURKISH_NAME = "Işıl İnce Şahin"
URDU_NAME = "محمد علی خان"
COSTS = "The organisers pay for the participant's accommodation and meals in Istanbul."
COSTS_TR = "Katılımcının İstanbul'daki konaklama ve yemek giderlerini organizatörler karşılar."


def build_people():
    """The form offers letters (capacity 3): Turkish, Urdu and English registrants
    confirmed, one on the waiting list, one cancelled. The letterhead filled in."""
    form = RegistrationFormPage.objects.get(slug="register", locale__language_code="en")
    RegistrationFormPage.objects.filter(pk=form.pk).update(visa_letters=True)
    form = RegistrationFormPage.objects.get(pk=form.pk)
    in_language = {
        page.locale.language_code: page
        for page in RegistrationFormPage.objects.filter(translation_key=form.translation_key)
    }
    people = {
        "tr": register(in_language["tr"], TURKISH_NAME, "isil@example.org"),
        "ur": register(in_language["ur"], URDU_NAME, "ali@example.org"),
        "en": register(form, "Jane Doe", "jane@example.org"),
        "waitlisted": register(form, "Will Wait", "wait@example.org"),
        "cancelled": register(form, "Gone Away", "gone@example.org"),
    }
    services.cancel(people["cancelled"])
    letterhead = VisaLetterhead.load()
    letterhead.organisation = "Kashmir Diaspora Council"
    letterhead.address = "Meşrutiyet Cd. 1\n34430 Beyoğlu, İstanbul"
    letterhead.contact = "+90 212 000 00 00 · visa@example.org"
    letterhead.signatory_name = "Dr Aylin Kaya"
    letterhead.signatory_title = "Secretary General"
    letterhead.costs_statement = COSTS
    letterhead.costs_statement_tr = COSTS_TR
    letterhead.logo = image("logo", size=(120, 40))
    letterhead.signature = image("signature", size=(120, 40))
    letterhead.save()
    return {role: registration.pk for role, registration in people.items()}


@pytest.fixture(scope="module")
def people_pks(module_data):
    return module_data(build_people)


@pytest.fixture
def people(people_pks, form_page):
    pks = people_pks or build_people()
    return {role: Registration.objects.get(pk=pk) for role, pk in pks.items()}


def manage_url(registration, language):
    return f"/{language}/third-conference/register/manage/{registration.manage_token}/"


def details(**changes):
    today = timezone.localdate()
    data = {
        "passport_name": "ISIL INCE SAHIN",
        "nationality": "Pakistani",
        "passport_number": PASSPORT,
        "passport_expiry": (today + dt.timedelta(days=900)).isoformat(),
        "date_of_birth": "1990-04-12",
        "consulate_city": "Islamabad",
    }
    data.update(changes)
    return data


def ask(client, registration, language, **changes):
    return client.post(manage_url(registration, language) + "visa/", details(**changes))


@pytest.fixture
def decide(registrar_client, django_capture_on_commit_callbacks):
    """`decide(request, "approve")`, `decide(request, "decline", reason)`: a registration
    manager's decision, its emails sent (after commit) as the worker would."""

    def run(letter_request, action, reason=""):
        url = reverse("forms_app_admin:visa_request", args=[letter_request.pk])
        with django_capture_on_commit_callbacks(execute=True):
            return registrar_client.post(url, {"action": action, "reason": reason})

    return run


def pdf_text(data, tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        [debian_tool("pdftotext"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    return " ".join(result.stdout.decode().split())


def image_count(data, tmp_path):
    """Images drawn in the PDF (not their transparency masks)."""
    path = tmp_path / "images.pdf"
    path.write_bytes(data)
    listed = subprocess.run(
        [debian_tool("pdfimages"), "-list", str(path)], capture_output=True, text=True, timeout=60
    ).stdout
    return sum(1 for line in listed.splitlines()[2:] if line.split()[2:3] == ["image"])


# Asking ------------------------------------------------------------------------------------


def test_a_turkish_registrant_asks_on_the_manage_page_with_errors_in_turkish(people, client):
    registration = people["tr"]
    html = client.get(manage_url(registration, "tr")).content.decode()
    assert "Vize davet mektubu" in html  # the section, in Turkish
    assert 'action="' + manage_url(registration, "tr") + 'visa/"' in html

    response = ask(
        client,
        registration,
        "tr",
        passport_number="12",
        passport_expiry="2001-01-01",
        date_of_birth=(timezone.localdate() + dt.timedelta(days=3)).isoformat(),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pasaport numarası 5 ile 20 arasında harf ve rakamdan oluşur." in html
    assert "Bu pasaportun süresi dolmuş" in html
    assert "Doğum tarihini kontrol edin" in html
    assert not VisaLetterRequest.objects.filter(registration=registration).exists()

    response = ask(client, registration, "tr", passport_number=" u12-34 567 ")
    assert response.status_code == 303
    assert response["Location"] == manage_url(registration, "tr")
    letter_request = VisaLetterRequest.objects.get(registration=registration)
    assert letter_request.status == VisaLetterStatus.REQUESTED
    assert visa.unseal(letter_request.sealed_details)["passport_number"] == PASSPORT
    html = client.get(manage_url(registration, "tr")).content.decode()
    assert "vize davet mektubu istediniz" in html  # "requested", in Turkish
    assert 'action="' + manage_url(registration, "tr") + 'visa/"' not in html  # no form


def test_an_urdu_registrant_gets_the_errors_in_urdu_right_to_left(people, client):
    registration = people["ur"]
    response = ask(client, registration, "ur", passport_number="!!", passport_name="")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "پاسپورٹ نمبر میں 5 سے 20 حروف اور ہندسے ہوتے ہیں۔" in html
    assert "ویزا دعوت نامہ" in html
    # Each invalid field names its error message, which is there under that id.
    assert 'aria-describedby="passport_number-error"' in html
    assert 'id="passport_number-error"' in html
    assert ask(client, registration, "ur").status_code == 303
    assert VisaLetterRequest.objects.filter(registration=registration).count() == 1


def test_sending_twice_or_from_two_tabs_makes_one_request(people, client):
    registration = people["en"]
    assert ask(client, registration, "en").status_code == 303
    assert ask(client, registration, "en", nationality="Other").status_code == 303
    assert VisaLetterRequest.objects.filter(registration=registration).count() == 1
    existing = VisaLetterRequest.objects.get(registration=registration)
    assert visa.unseal(existing.sealed_details)["nationality"] == "Pakistani"  # the first

    # A second tab that passed the check before the first one stored its request: the
    # database refuses the second row, and the existing request is the answer.
    page = RegistrationFormPage.objects.get(pk=registration.page_id)
    with (
        mock.patch.object(visa, "refusal", return_value=None),
        mock.patch.object(visa, "request_of", side_effect=[None, existing]),
    ):
        found, created = visa.request_letter(page, registration, details())
    assert (found.pk, created) == (existing.pk, False)
    assert VisaLetterRequest.objects.filter(registration=registration).count() == 1


@pytest.mark.parametrize(
    ("role", "language", "message"),
    [
        ("waitlisted", "en", "You are on the waiting list"),
        ("cancelled", "en", "This registration is cancelled"),
        ("waitlisted", "tr", "Bekleme listesindesiniz"),
    ],
)
def test_waitlisted_and_cancelled_registrants_are_refused(people, client, role, language, message):
    registration = people[role]
    html = client.get(manage_url(registration, language)).content.decode()
    assert "visa/" not in html.split("<form")[-1] or 'name="passport_number"' not in html
    response = ask(client, registration, language)
    assert response.status_code == 403
    assert message in response.content.decode()
    assert not VisaLetterRequest.objects.filter(registration=registration).exists()


def test_a_form_without_letters_offers_none(people, client):
    registration = people["en"]
    RegistrationFormPage.objects.filter(pk=registration.page_id).update(visa_letters=False)
    html = client.get(manage_url(registration, "en")).content.decode()
    assert 'name="passport_number"' not in html
    assert ask(client, registration, "en").status_code == 403
    assert not VisaLetterRequest.objects.exists()


# Where the passport number never appears ------------------------------------------------------


def test_the_passport_number_never_appears_in_plain_text(
    people, client, registrar_client, decide, caplog, tmp_path
):
    caplog.set_level(logging.DEBUG)
    registration = people["tr"]
    RegistrationEmailSettings.objects.update_or_create(
        page_id=registration.page_id, defaults={"organiser_addresses": "team@example.org"}
    )
    assert ask(client, registration, "tr").status_code == 303
    letter_request = VisaLetterRequest.objects.get(registration=registration)
    assert (
        registrar_client.get(reverse("forms_app_admin:visa_request", args=[letter_request.pk]))
        .content.decode()
        .count(PASSPORT)
    )
    assert decide(letter_request, "approve").status_code == 302

    # The database row, read raw.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM forms_app_visaletterrequest WHERE id = %s", [letter_request.pk]
        )
        row = cursor.fetchone()
    assert PASSPORT not in repr(row) and "Islamabad" not in repr(row)
    # Nor anywhere else in the outbox.
    assert not OutgoingEmail.objects.filter(last_error__contains=PASSPORT).exists()

    # The exports (CSV and XLSX) of the form's registrations.
    page = RegistrationFormPage.objects.get(pk=registration.page_id)
    csv = registrar_client.get(list_url(page), {"export": "csv"})
    csv_text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert TURKISH_NAME in csv_text and PASSPORT not in csv_text
    xlsx = registrar_client.get(list_url(page), {"export": "xlsx"})
    content = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    cells = [
        str(cell)
        for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
        for cell in row
    ]
    assert TURKISH_NAME in cells and not any(PASSPORT in cell for cell in cells)

    # The person's own data export: the request's status and reference, no passport data.
    exported = json.dumps(privacy.export_person("isil@example.org"), ensure_ascii=False)
    assert PASSPORT not in exported and "Islamabad" not in exported
    [person] = privacy.export_person("isil@example.org")
    letter_request.refresh_from_db()
    assert person["visa_letter"]["reference"] == letter_request.reference
    assert person["visa_letter"]["status"] == "approved"

    # The organisers' notice of this registration.
    notice = emails.build_message(
        OutgoingEmail(registration=registration, kind=EmailKind.ORGANISER)
    )
    assert PASSPORT not in notice.body
    assert all(PASSPORT not in body for body, _type in notice.alternatives)

    # The audit log: ids only.
    entries = PageLogEntry.objects.filter(action__startswith="forms_app.visa_letter")
    assert {entry.action for entry in entries} >= {visa.REQUESTED, visa.APPROVED}
    for entry in entries:
        logged = json.dumps(entry.data, ensure_ascii=False)
        assert PASSPORT not in logged and "Islamabad" not in logged
        assert TURKISH_NAME not in logged

    # The letter's email body (the PDF carries it, the text does not).
    [letter_email] = [m for m in mail.outbox if m.attachments]
    assert PASSPORT not in letter_email.body

    # Nothing logged on the way.
    assert caplog.records  # the capture works (requests log at least something)
    assert PASSPORT not in caplog.text
    assert all(PASSPORT not in repr(record.__dict__) for record in caplog.records)


# The registration managers ----------------------------------------------------------------


def test_managers_see_the_details_and_editors_get_403(
    people, client, registrar_client, editor_client
):
    registration = people["ur"]
    ask(client, registration, "ur")
    letter_request = VisaLetterRequest.objects.get(registration=registration)
    list_page = reverse("forms_app_admin:visa_requests", args=[registration.page_id])
    detail_page = reverse("forms_app_admin:visa_request", args=[letter_request.pk])

    html = registrar_client.get(list_page).content.decode()
    assert URDU_NAME in html and "Requested" in html and PASSPORT not in html
    assert detail_page in html
    html = registrar_client.get(detail_page).content.decode()
    assert PASSPORT in html and "Islamabad" in html and "Pakistani" in html
    assert PageLogEntry.objects.filter(action=visa.DETAILS_VIEWED).exists()
    index = registrar_client.get(reverse("forms_app_admin:visa_index")).content.decode()
    assert list_page in index
    assert reverse("forms_app_admin:visa_index") in registrar_client.get("/admin/").content.decode()

    for url in (
        list_page,
        detail_page,
        reverse("forms_app_admin:visa_index"),
        reverse("forms_app_admin:verify_visa_letter"),
    ):
        response = editor_client.get(url)
        assert response.status_code == 403, url
        assert PASSPORT not in response.content.decode()
    response = editor_client.post(detail_page, {"action": "approve"})
    assert response.status_code == 403
    letter_request.refresh_from_db()
    assert letter_request.status == VisaLetterStatus.REQUESTED
    assert (
        reverse("forms_app_admin:visa_index") not in editor_client.get("/admin/").content.decode()
    )


def test_approval_emails_the_letter_in_pdf(people, client, registrar_client, decide, tmp_path):
    registration = people["tr"]
    ask(client, registration, "tr")
    letter_request = VisaLetterRequest.objects.get(registration=registration)
    mail.outbox.clear()
    assert decide(letter_request, "approve").status_code == 302
    letter_request.refresh_from_db()
    assert letter_request.status == VisaLetterStatus.APPROVED
    assert letter_request.reference.startswith(f"VL-{people['tr'].page.specific.event.start.year}-")
    assert len(letter_request.reference) == len("VL-2027-") + visa.REFERENCE_CODE_LENGTH

    [message] = mail.outbox
    assert message.to == ["isil@example.org"]
    assert message.extra_headers["Content-Language"] == "tr"
    assert "vize davet mektubunuz" in message.subject.lower()
    assert letter_request.reference in message.body
    assert manage_url(registration, "tr") in message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    text = pdf_text(content, tmp_path)
    for expected in (
        "ISIL INCE SAHIN",
        PASSPORT,
        letter_request.reference,
        "Third Conference",
        COSTS,
        "Pakistani",
        "Islamabad",
        "Kashmir Diaspora Council",
        "Dr Aylin Kaya",
    ):
        assert expected in text, expected
    assert COSTS_TR in text  # the Turkish page
    assert "Üçüncü Konferans" in text
    assert "Sayın Yetkili" in text and "Pasaport numarası" in text
    assert image_count(content, tmp_path) == 4  # the logo and the signature, on each page

    # The registrant downloads it again from the manage page.
    html = client.get(manage_url(registration, "tr")).content.decode()
    assert letter_request.reference in html
    response = client.get(manage_url(registration, "tr") + "visa-letter/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]

    # Cancelling revokes it: no download, the admin and the verification say so.
    services.cancel(Registration.objects.get(pk=registration.pk))
    assert client.get(manage_url(registration, "tr") + "visa-letter/").status_code == 404
    html = registrar_client.get(
        reverse("forms_app_admin:visa_requests", args=[registration.page_id])
    ).content.decode()
    assert "Revoked (registration cancelled)" in html


def test_the_letter_is_english_only_without_a_turkish_costs_statement(people, tmp_path):
    VisaLetterhead.objects.update(costs_statement_tr="")
    registration = people["en"]
    letter_request = VisaLetterRequest.objects.create(
        registration=registration,
        sealed_details=visa.seal(details()),
        status=VisaLetterStatus.APPROVED,
        reference="VL-2026-TEST",
    )
    text = pdf_text(visa_letters.render(letter_request), tmp_path)
    assert COSTS in text and COSTS_TR not in text
    assert "\f" not in text.strip()


def test_a_decline_emails_the_reason_and_the_registrant_may_ask_again(
    people, client, registrar_client, decide
):
    registration = people["ur"]
    ask(client, registration, "ur")
    letter_request = VisaLetterRequest.objects.get(registration=registration)
    url = reverse("forms_app_admin:visa_request", args=[letter_request.pk])
    # A reason is required.
    response = registrar_client.post(url, {"action": "decline", "reason": " "})
    assert response.status_code == 200
    mail.outbox.clear()
    reason = "The passport number does not match the copy you sent us."
    assert decide(letter_request, "decline", reason).status_code == 302
    letter_request.refresh_from_db()
    assert letter_request.status == VisaLetterStatus.DECLINED
    assert letter_request.reference is None
    [message] = mail.outbox
    assert message.to == ["ali@example.org"]
    assert reason in message.body and not message.attachments
    assert message.extra_headers["Content-Language"] == "ur"
    assert 'dir="rtl"' in message.alternatives[0][0]

    html = client.get(manage_url(registration, "ur")).content.decode()
    assert reason in html
    assert 'name="passport_number"' in html  # may ask again
    assert client.get(manage_url(registration, "ur") + "visa-letter/").status_code == 404
    assert ask(client, registration, "ur", passport_number="AB9876543").status_code == 303
    letter_request.refresh_from_db()
    assert letter_request.status == VisaLetterStatus.REQUESTED
    assert letter_request.decline_reason == ""
    assert VisaLetterRequest.objects.filter(registration=registration).count() == 1


# Verification -------------------------------------------------------------------------------


def verify_url(reference):
    return reverse("forms_app_admin:verify_visa_letter") + f"?reference={reference}"


def test_a_reference_verifies_as_valid_then_revoked_and_an_unknown_one_is_unknown(
    people, client, registrar_client, decide
):
    registration = people["en"]
    ask(client, registration, "en")
    letter_request = VisaLetterRequest.objects.get(registration=registration)
    decide(letter_request, "approve")
    letter_request.refresh_from_db()
    reference = letter_request.reference

    html = registrar_client.get(verify_url(reference.lower())).content.decode()
    assert "Valid letter." in html
    assert "ISIL INCE SAHIN" in html and "Pakistani" in html and "Third Conference" in html
    event = EventPage.objects.get(
        pk=RegistrationFormPage.objects.get(pk=registration.page_id).event.pk
    )
    assert str(event.local_start.year) in html
    assert PASSPORT not in html

    services.cancel(Registration.objects.get(pk=registration.pk))
    html = registrar_client.get(verify_url(reference)).content.decode()
    assert "Revoked, not valid" in html
    assert visa.verify(reference).verdict == visa.Verdict.REVOKED

    html = registrar_client.get(verify_url("VL-2026-AAAAAAAAAAAA")).content.decode()
    assert "Unknown reference" in html
    assert visa.verify("nonsense").verdict == visa.Verdict.UNKNOWN
    assert (
        reverse("forms_app_admin:verify_visa_letter")
        in registrar_client.get(reverse("forms_app_admin:visa_index")).content.decode()
    )


# Retention and keys ---------------------------------------------------------------------------


def test_erase_visa_details_blanks_them_after_the_retention_and_not_before(
    people, client, settings
):
    registration = people["tr"]
    ask(client, registration, "tr")
    letter_request = VisaLetterRequest.objects.get(registration=registration)
    event = RegistrationFormPage.objects.get(pk=registration.page_id).event
    settings.VISA_DATA_RETENTION_DAYS = 30

    def event_ended(days_ago):
        end = timezone.now() - dt.timedelta(days=days_ago)
        EventPage.objects.filter(translation_key=event.translation_key).update(
            start=end - dt.timedelta(days=2), end=end
        )

    event_ended(29)  # within the retention
    call_command("erase_visa_details", stdout=io.StringIO())
    letter_request.refresh_from_db()
    assert letter_request.sealed_details and letter_request.details_erased_at is None

    event_ended(31)
    assert "erase_visa_details" in settings.PERIODIC_JOBS
    call_command("erase_visa_details", stdout=io.StringIO())
    letter_request.refresh_from_db()
    assert letter_request.sealed_details == ""
    assert letter_request.details_erased_at is not None
    assert visa.details_of(letter_request) is None
    assert PageLogEntry.objects.filter(action=visa.DETAILS_ERASED).exists()
    # The request itself (status) stays with the registration.
    assert letter_request.status == VisaLetterStatus.REQUESTED


def test_a_token_sealed_with_an_old_key_opens_when_the_old_key_is_listed_second(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.VISA_DATA_KEYS = [old]
    token = visa.seal(details())
    settings.VISA_DATA_KEYS = [new]
    with pytest.raises(visa.DetailsUnavailable):
        visa.unseal(token)
    settings.VISA_DATA_KEYS = [new, old]
    assert visa.unseal(token)["passport_number"] == PASSPORT
    fresh = visa.seal(details())
    settings.VISA_DATA_KEYS = [new]
    assert visa.unseal(fresh)["passport_number"] == PASSPORT  # sealed with the first key
    assert PASSPORT not in token and PASSPORT not in fresh


def test_stored_tokens_are_resealed_under_the_new_key(people, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.VISA_DATA_KEYS = [old]
    letter_request = VisaLetterRequest.objects.create(
        registration=people["en"], sealed_details=visa.seal(details())
    )
    settings.VISA_DATA_KEYS = [new, old]
    output = io.StringIO()
    call_command("reseal_visa_details", stdout=output)
    assert "Re-sealed the details of 1 visa letter request" in output.getvalue()
    settings.VISA_DATA_KEYS = [new]
    letter_request.refresh_from_db()
    assert visa.unseal(letter_request.sealed_details)["passport_number"] == PASSPORT


def test_without_a_key_nothing_can_be_requested(people, client, settings):
    settings.VISA_DATA_KEYS = []
    registration = people["en"]
    response = ask(client, registration, "en")
    assert response.status_code == 403
    assert "cannot be requested at the moment" in response.content.decode()
    assert not VisaLetterRequest.objects.exists()

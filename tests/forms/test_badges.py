"""Badges: each name printed as its writer wrote it, in its own script. An Urdu name is
set in Nastaliq (the font embedded), joined (its ink is far narrower than the same letters
set apart), and reads back in logical order; a Turkish name keeps ı, İ, ş and ğ. The
"name on badge" and affiliation answers and the role are used; the event's name is in
the badge's language. A filtered list's badges come as one page each (A6) or eight to an
A4 sheet, only for the confirmed registrations it lists, logged in the audit trail; only
registration managers get them.

PDFs are read with Debian's poppler-utils (`pdffonts`, `pdftotext`, `pdftoppm`, `pdfinfo`)
and QR codes with zbar-tools' `zbarimg`: CI installs both (.ci/run)."""

import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageChops
from wagtail.contrib.forms.utils import get_field_clean_name
from wagtail.models import PageLogEntry

from forms_app import badges, services
from forms_app.models import BadgeRole, Registration, RegistrationFormPage
from tests.helpers import debian_tool, list_url, make_user, register

# Fixtures: registrar, editor, registrar_client, editor_client.
pytestmark = pytest.mark.django_db

URDU_NAME = "محمد علی خان"
TURKISH_NAME = "Işıl İnce Şahin Doğan"
ZWNJ = "\u200c"  # zero-width non-joiner: keeps neighbouring letters apart
BIDI_CONTROLS = "\u202a\u202b\u202c\u200e\u200f"


def run(*args, data, tmp_path, name="badge.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run([*args, str(path)], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def text_lines(data, tmp_path):
    pdftotext = debian_tool("pdftotext")
    path = tmp_path / "text.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()
    text = "".join(c for c in result.stdout.decode() if c not in BIDI_CONTROLS)
    return [line.strip() for line in text.splitlines() if line.strip()]


def page_count(data, tmp_path):
    info = run(debian_tool("pdfinfo"), data=data, tmp_path=tmp_path, name="info.pdf")
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def to_image(data, tmp_path, name):
    pdftoppm = debian_tool("pdftoppm")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    subprocess.run(
        [pdftoppm, "-r", "110", "-gray", "-png", "-singlefile", str(path), str(tmp_path / name)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return Image.open(tmp_path / f"{name}.png").convert("L")


def badge_pdf(registration, **changes):
    """The badge of `registration`, with attributes changed in memory (not saved)."""
    for name, value in changes.items():
        setattr(registration, name, value)
    return badges.render_one(registration)


def test_an_urdu_name_is_set_in_nastaliq_joined_and_reads_back_in_logical_order(form_in, tmp_path):
    registration = register(
        form_in("ur"), URDU_NAME, "ali@example.org", answers={"affiliation": "جامعہ کشمیر"}
    )
    data = badge_pdf(registration)

    fonts = run(debian_tool("pdffonts"), data=data, tmp_path=tmp_path)
    embedded = [line for line in fonts.splitlines() if "Noto-Nastaliq-Urdu" in line]
    assert embedded, fonts
    assert all(" yes " in line for line in embedded)  # embedded (subset), not substituted

    lines = text_lines(data, tmp_path)
    assert URDU_NAME in lines  # whole, letters in logical order
    assert "جامعہ کشمیر" in lines
    assert "تیسری کانفرنس" in lines  # the event in the badge's language
    assert "شرکت کنندہ" in lines  # the role, in Urdu
    # Nothing else in Arabic script: the Nastaliq glyphs themselves yield no broken text.
    arabic = [line for line in lines if any("\u0600" <= c <= "\u06ff" for c in line)]
    expected = {URDU_NAME, "جامعہ کشمیر", "تیسری کانفرنس", "شرکت کنندہ"}
    assert [
        line for line in arabic if line not in expected and not any(c.isdigit() for c in line)
    ] == []


def ink_width(image, blank):
    """The width of what `image` draws that `blank` (the same badge without a name) does
    not."""
    box = ImageChops.difference(image, blank).point(lambda v: 255 if v > 60 else 0).getbbox()
    assert box is not None, "nothing was drawn"
    return box[2] - box[0], box


def test_the_urdu_name_prints_joined_not_as_separate_letters(form_in, tmp_path):
    """Shaping check on pixels: the same letters kept apart by zero-width non-joiners (what
    a renderer without Arabic shaping prints) take far more room than the name as
    shaped. Broken shaping (no HarfBuzz, no Nastaliq font) would make the two alike."""
    registration = register(form_in("ur"), URDU_NAME, "ali@example.org")
    blank = to_image(badge_pdf(registration, name=""), tmp_path, "blank")
    joined_width, joined_box = ink_width(
        to_image(badge_pdf(registration, name=URDU_NAME), tmp_path, "joined"), blank
    )
    apart = " ".join(ZWNJ.join(word) for word in URDU_NAME.split())
    apart_width, _ = ink_width(
        to_image(badge_pdf(registration, name=apart), tmp_path, "apart"), blank
    )
    assert joined_width < 0.8 * apart_width, (joined_width, apart_width)
    # The name is on the badge's name line (between the event and the role), centred.
    page_width = blank.size[0]
    assert abs((joined_box[0] + joined_box[2]) / 2 - page_width / 2) < page_width * 0.05


def test_a_turkish_name_keeps_its_letters(form_in, tmp_path):
    registration = register(
        form_in("tr"),
        TURKISH_NAME,
        "isil@example.org",
        answers={"organisation": "İstanbul Üniversitesi"},
    )
    registration.role = BadgeRole.SPEAKER
    lines = text_lines(badge_pdf(registration), tmp_path)
    assert TURKISH_NAME in lines
    assert "İstanbul Üniversitesi" in lines
    assert "Konuşmacı" in lines
    assert "Üçüncü Konferans" in lines
    assert registration.ticket_code in lines


def test_the_name_on_badge_answer_and_a_role_answer_are_used(form_in, tmp_path):
    # What an editor's question labelled "Name on badge" (or "Affiliation", "Role") is
    # stored under, in every language of the form.
    assert get_field_clean_name("Name on badge") in badges.NAME_KEYS
    assert get_field_clean_name("Affiliation") in badges.AFFILIATION_KEYS
    assert get_field_clean_name("Role") in badges.ROLE_KEYS
    registration = register(
        form_in("en"),
        "Dr Margaret Anne Smith-Jones",
        "maggie@example.org",
        answers={"name_on_badge": "Maggie Smith", "role": "Press"},
    )
    lines = text_lines(badge_pdf(registration), tmp_path)
    assert "Maggie Smith" in lines and "Press" in lines
    assert not any("Margaret" in line for line in lines)
    # An empty answer falls back to the name as registered.
    registration.form_data = {"name_on_badge": "  "}
    lines = text_lines(badge_pdf(registration), tmp_path)
    assert "Maggie Smith" not in lines
    assert "Dr Margaret Anne Smith-Jones" in " ".join(lines)  # on two lines


def test_the_badges_qr_code_scans_as_the_ticket_code(form_in, tmp_path):
    registration = register(form_in("ur"), URDU_NAME, "ali@example.org")
    image = to_image(badge_pdf(registration), tmp_path, "qr")
    path = tmp_path / "badge.png"
    image.save(path)
    zbarimg = debian_tool("zbarimg", "zbar-tools")
    result = subprocess.run(
        [zbarimg, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [registration.ticket_code]


@pytest.fixture
def crowd(form_in):
    """A form without a capacity: nine confirmed in Turkish, two in English, one Turkish
    registration cancelled."""
    RegistrationFormPage.objects.filter(pk=form_in("en").pk).update(capacity=None)
    english_form = RegistrationFormPage.objects.get(pk=form_in("en").pk)
    turkish = [register(form_in("tr"), f"Katılımcı {n}", f"tr{n}@example.org") for n in range(9)]
    english = [register(english_form, f"Attendee {n}", f"en{n}@example.org") for n in range(2)]
    cancelled = register(form_in("tr"), "Gülşen İptal", "iptal@example.org")
    services.cancel(cancelled)
    everyone = [*turkish, *english]
    assert all(registration.status == "confirmed" for registration in everyone)
    return {"tr": turkish, "en": english, "cancelled": Registration.objects.get(pk=cancelled.pk)}


def test_badges_of_a_filtered_list_one_per_a6_page_or_eight_per_a4_sheet(
    registrar_client, registrar, form_in, crowd, tmp_path
):
    url = list_url(form_in("en"))
    response = registrar_client.get(url, {"language": "tr", "badges": "a6"})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    a6 = response.content
    assert page_count(a6, tmp_path) == 9
    codes = {registration.ticket_code for registration in crowd["tr"]}
    found = {line for line in text_lines(a6, tmp_path) if line in codes}
    assert found == codes  # each confirmed Turkish registration once; nobody else
    text = "\n".join(text_lines(a6, tmp_path))
    assert crowd["cancelled"].ticket_code not in text
    assert not any(r.ticket_code in text for r in crowd["en"])

    a4 = registrar_client.get(url, {"language": "tr", "badges": "a4"}).content
    assert page_count(a4, tmp_path) == 2  # 8 labels + 1
    lines = text_lines(a4, tmp_path)
    assert sum(line in codes for line in lines) == 9

    # Searching narrows it as it narrows the list.
    one = registrar_client.get(url, {"q": "tr3@example.org", "badges": "a6"}).content
    assert page_count(one, tmp_path) == 1

    # Logged like an export: who, the format, the filters and the count, no names.
    entries = PageLogEntry.objects.filter(action="forms_app.download_badges").order_by("pk")
    assert [entry.data for entry in entries] == [
        {"format": "a6", "count": 9, "filters": {"language": "tr"}, "searched": False},
        {"format": "a4", "count": 9, "filters": {"language": "tr"}, "searched": False},
        {"format": "a6", "count": 1, "filters": {}, "searched": True},
    ]
    assert {entry.user_id for entry in entries} == {registrar.pk}
    assert {entry.page_id for entry in entries} == {form_in("en").pk}


def test_the_list_offers_badges_with_its_filters_and_a_badge_per_confirmed_row(
    registrar_client, form_in, crowd
):
    html = registrar_client.get(list_url(form_in("en")), {"language": "tr"}).content.decode()
    assert "language=tr&amp;badges=a6" in html and "language=tr&amp;badges=a4" in html
    one = reverse("forms_app_admin:registration_badge", args=[crowd["tr"][0].pk])
    assert f'href="{one}"' in html
    cancelled = reverse("forms_app_admin:registration_badge", args=[crowd["cancelled"].pk])
    assert f'href="{cancelled}"' not in html


def test_one_registrations_badge_for_managers_only(
    registrar_client, editor_client, form_in, tmp_path
):
    registration = register(form_in("tr"), TURKISH_NAME, "isil@example.org")
    url = reverse("forms_app_admin:registration_badge", args=[registration.pk])
    bulk = list_url(form_in("en")) + "?badges=a6"

    response = registrar_client.get(url)
    assert response.status_code == 200
    assert page_count(response.content, tmp_path) == 1
    assert TURKISH_NAME in text_lines(response.content, tmp_path)

    # An editor who can edit the form page, and door staff, get neither.
    door_client = Client()
    door_client.force_login(make_user("door", "Check-in staff"))
    for other in (editor_client, door_client):
        assert other.get(url).status_code == 403
        assert other.get(bulk).status_code == 403
    assert not PageLogEntry.objects.filter(action="forms_app.download_badges").exists()

    # A cancelled registration has no badge.
    services.cancel(registration)
    response = registrar_client.get(url)
    assert response.status_code == 302
    assert response["Content-Type"].startswith("text/html")


def test_too_many_badges_for_one_file_asks_for_a_narrower_list(
    registrar_client, form_in, crowd, monkeypatch
):
    monkeypatch.setattr(badges, "MAX_PER_FILE", 10)
    url = list_url(form_in("en"))
    response = registrar_client.get(url, {"badges": "a6"}, follow=True)
    assert response.redirect_chain[0][0] == f"{url}?"
    assert "11 badges are too many for one file (at most 10)" in response.content.decode()
    assert not PageLogEntry.objects.filter(action="forms_app.download_badges").exists()
    # Nine fit.
    response = registrar_client.get(url, {"badges": "a4", "language": "tr"})
    assert response["Content-Type"] == "application/pdf"

"""Registration journeys in a real browser, on the demo content.

1. A visitor registers in Turkish and lands on the Turkish thank-you page; the answers are
   stored once, with the registrant's language and the choices' English values, and a
   refresh of the thank-you page stores nothing more.
2. The demo registrar finds the registration in the admin's Forms section among
   registrations in every language, filters by language and downloads the CSV.
3. The manage link from the confirmation email opens the registration in Turkish, where
   the visitor cancels it.
4. An empty Urdu form comes back right to left with a focused error summary linking to
   each field, and errors in Urdu.
5. axe-core finds no serious or critical problem on the form in each language (also with
   validation errors shown), nor on the thank-you page.

Journeys 1 to 3 share one demo load, 4 and 5 another (each load costs seconds).
Screenshots of the Turkish form, the thank-you page and the Urdu form with its errors are
left in tests/artifacts/."""

import csv
import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from forms_app.models import Registration, RegistrationEmailSettings, RegistrationStatus
from tests.browser.registration_helpers import (
    FORM_PATH,
    THANKS_PATH,
    blocking_violations,
    log_in,
    manage_link,
    registration_forms,
    sent_to,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
LANGUAGES = ("en", "tr", "ur")

NAME = "Zeynep Kaya"
EMAIL = "zeynep.kaya@example.org"
# The Turkish wording the visitor sees, and the English values that must be stored.
TURKISH_AREAS = {"Sosyal medya": "Social media", "Akademik çalışma": "Academic work"}
TURKISH_DAYS = {"1. gün": "Day 1", "3. gün": "Day 3"}
CSV_HEADINGS = [
    "Registered at (Europe/Istanbul)",
    "Name",
    "Email",
    "Status",
    "Language",
    "Attendance",
    "Country of residence",
    "Affiliation",
    "Area of work",
    "Days attending",
]


def fill_turkish_form(page):
    form = page.locator("form.registration-form")
    form.get_by_label("Ad soyad").fill(NAME)
    form.get_by_label("E-posta adresi").fill(EMAIL)
    form.get_by_label("İkamet ettiğiniz ülke").fill("Almanya")
    form.get_by_label("Bağlı olduğunuz kurum").fill("Örnek Diaspora Derneği")
    # The demo's next edition has online places: the visitor takes one.
    attendance = form.get_by_role("group", name=re.compile("^Nasıl katılacaksınız"))
    attendance.get_by_label(re.compile("Çevrim içi")).check()
    areas = form.get_by_role("group", name=re.compile("^Çalışma alanı"))
    for label in TURKISH_AREAS:
        areas.get_by_label(label, exact=True).check()
    days = form.get_by_role("group", name=re.compile("^Katılacağınız günler"))
    for label in TURKISH_DAYS:
        days.get_by_label(label, exact=True).check()
    form.get_by_role("checkbox", name=re.compile("^Verilerimin")).check()
    return form


def test_turkish_registration_cancelled_by_email_and_found_by_the_registrar(
    demo_site, new_page, artifacts_dir
):
    forms = registration_forms()
    assert set(forms) == set(LANGUAGES), "the demo has the form in every language"
    source = forms["en"]
    pool = Registration.objects.filter(page_id=source.pk)
    languages_in_pool = set(pool.values_list("language", flat=True))
    assert languages_in_pool == set(LANGUAGES), "the demo has registrations in every language"
    before = pool.count()
    mail.outbox.clear()

    # 1. The Turkish form: Turkish labels, choices worded in Turkish.
    page = new_page(locale="tr-TR")
    response = page.goto(FORM_PATH.format(code="tr"))
    assert response.status == 200
    assert "no-store" in response.headers.get("cache-control", "")
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(page.locator("h1")).to_have_text(forms["tr"].title)
    form = fill_turkish_form(page)
    page.screenshot(path=artifacts_dir / "registration-form-tr.png", full_page=True)

    with page.expect_navigation():
        form.get_by_role("button", name="Kaydol").click()
    expect(page).to_have_url(re.compile(r"/tr/events/next-conference/register/thanks/$"))
    expect(page.locator("h1")).to_have_text("Teşekkürler")
    expect(page.locator("main")).to_contain_text("Kaydınız için teşekkürler")
    page.screenshot(path=artifacts_dir / "registration-thanks-tr.png", full_page=True)

    registrations = Registration.objects.filter(email_key=EMAIL)
    assert registrations.count() == 1
    registration = registrations.get()
    assert registration.page_id == source.pk, "every language feeds the source page's pool"
    assert registration.language == "tr"
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.attendance == "online"
    assert registration.name == NAME
    assert registration.consent_at is not None
    # Choices stored in their canonical (English) wording, in the form's order.
    assert registration.form_data["area_of_work"] == ["Academic work", "Social media"]
    assert registration.form_data["days_attending"] == list(TURKISH_DAYS.values())
    assert registration.form_data["country_of_residence"] == "Almanya"
    assert pool.count() == before + 1

    # A refresh of the thank-you page sends nothing again.
    response = page.reload()
    assert response.status == 200
    assert response.request.method == "GET"
    expect(page.locator("h1")).to_have_text("Teşekkürler")
    assert registrations.count() == 1
    assert pool.count() == before + 1

    # 2. The registrar: Forms menu, the form's registrations in every language.
    admin = new_page()
    log_in(admin, "registrar", "changeme")
    admin.get_by_role("link", name="Forms", exact=True).click()
    expect(admin).to_have_url(re.compile(r"/admin/forms/$"))
    admin.get_by_role("link", name=source.title, exact=True).click()
    expect(admin).to_have_url(re.compile(rf"/admin/forms/submissions/{source.pk}/$"))

    listing = admin.locator("table.registrations-listing")
    rows = listing.locator("tbody tr")
    expect(rows).to_have_count(before + 1)
    for code in LANGUAGES:
        expect(rows.locator(f"td[lang='{code}']").first).to_be_visible()
    zeynep = rows.filter(has_text=EMAIL)
    expect(zeynep).to_have_count(1)
    expect(zeynep.locator("td[lang='tr']")).to_have_text("Türkçe")
    expect(zeynep.locator(".registrations-status--confirmed")).to_be_visible()
    # Answers shown in the source language.
    expect(zeynep).to_contain_text("Academic work, Social media")

    # Filter by language: Turkish only.
    turkish = pool.filter(language="tr").count()
    admin.get_by_role("button", name="Show filters").click()
    admin.locator("button.w-drilldown__toggle", has_text="Language").click()
    admin.get_by_label("Language").select_option("tr")
    expect(admin).to_have_url(re.compile(r"[?&]language=tr\b"))
    expect(rows).to_have_count(turkish)
    expect(rows.locator("td[lang='tr']")).to_have_count(turkish)
    expect(rows.locator("td[lang='en'], td[lang='ur']")).to_have_count(0)
    expect(zeynep).to_have_count(1)

    # The CSV, with the filter applied: BOM, English headings, Turkish rows.
    admin.locator("#w-slim-header-buttons").get_by_role("button", name="Actions").click()
    with admin.expect_download() as download_info:
        admin.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), "rb") as file:
        content = file.read()
    assert content.startswith(b"\xef\xbb\xbf"), "the CSV starts with a UTF-8 BOM"
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert table[0] == CSV_HEADINGS
    body = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert len(body) == turkish
    assert {row["Language"] for row in body} == {"tr"}
    (exported,) = [row for row in body if row["Email"] == EMAIL]
    assert exported["Name"] == NAME
    assert exported["Status"] == "Confirmed"
    assert exported["Affiliation"] == "Örnek Diaspora Derneği"
    assert exported["Area of work"] == "Academic work, Social media"
    assert exported["Days attending"] == "Day 1, Day 3"

    # 3. The confirmation email, in Turkish, holds the manage link.
    (confirmation,) = sent_to(EMAIL)
    turkish_subject, _body = RegistrationEmailSettings.for_page(source).confirmation_for("tr")
    assert turkish_subject and confirmation.subject == turkish_subject
    assert confirmation.extra_headers.get("Content-Language") == "tr"
    link = manage_link(confirmation, demo_site.url)
    assert f"/register/manage/{registration.manage_token}/" in link
    assert "/tr/" in link

    manage_response = page.goto(link)
    assert manage_response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(page.locator("h1")).to_have_text("Kaydınız")
    details = page.locator(".registration-details")
    expect(details).to_contain_text(NAME)
    expect(details).to_contain_text(EMAIL)
    expect(details.locator(".registration-status")).to_have_text("Onaylandı")
    # The answers are worded in Turkish again.
    expect(details).to_contain_text("Akademik çalışma, Sosyal medya")
    expect(details).to_contain_text("1. gün, 3. gün")

    cancel_form = page.locator("form.cancel-form")
    cancel_form.get_by_label(re.compile("^Evet, kaydımı iptal et")).check()
    with page.expect_response(lambda r: r.request.method == "POST") as cancel_post:
        cancel_form.get_by_role("button", name="Kaydı iptal et").click()
    # A refusal here (403, "Origin checking failed - null") means the browser sent
    # `Origin: null`, which it does when the page's Referrer-Policy is `no-referrer`.
    assert cancel_post.value.status == 303, (
        f"the cancel POST got HTTP {cancel_post.value.status}, not a redirect; "
        f"manage page Referrer-Policy: {manage_response.headers.get('referrer-policy')!r}"
    )
    expect(page.locator(".messages")).to_contain_text("Kaydınız iptal edildi.")
    expect(details.locator(".registration-status")).to_have_text("İptal edildi")
    expect(page.locator("form.cancel-form")).to_have_count(0)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.cancelled_at is not None
    assert len(sent_to(EMAIL)) == 2, "a cancellation notice follows the confirmation"


def test_urdu_errors_and_no_serious_axe_violations_on_the_registration_pages(
    demo_site, new_page, artifacts_dir
):
    forms = registration_forms()
    assert set(forms) == set(LANGUAGES), "the demo has the form in every language"
    before = Registration.objects.count()
    with translation.override("ur"):
        required_in_urdu = gettext("This field is required.")
    assert ARABIC_SCRIPT.search(required_in_urdu)

    axe = Axe()
    page = new_page(locale="ur-PK")
    problems, broken_links, checked = [], [], 0

    for code in LANGUAGES:
        url = FORM_PATH.format(code=code)
        response = page.goto(url)
        assert response.status == 200, f"{url}: HTTP {response.status}"
        expect(page.locator("h1")).to_have_text(forms[code].title)
        problems += blocking_violations(axe, page, url)
        checked += 1

        # Submit the form empty: it comes back with its errors.
        with page.expect_navigation():
            page.locator("form.registration-form button[type=submit]").click()
        summary = page.locator("#error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_be_focused()
        problems += blocking_violations(axe, page, f"{url} (with errors)")
        checked += 1

        if code == "ur":
            # 4. Right to left, in Urdu, the summary first and linked to each field.
            expect(page.locator("html")).to_have_attribute("lang", "ur")
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            expect(summary.locator("h2")).to_have_text("براہِ کرم درج ذیل کو درست کریں")
            links = summary.locator("a")
            # Required: name, email, in person or online, country of residence, days
            # attending, consent.
            expect(links).to_have_count(6)
            expect(summary).to_contain_text(required_in_urdu)
            expect(summary).to_contain_text(
                "رجسٹریشن کے لیے براہِ کرم رازداری کے نوٹس سے اتفاق کریں۔"
            )
            first_field = page.locator(".registration-form .field").first
            summary_box = summary.bounding_box()
            assert summary_box["y"] + summary_box["height"] <= first_field.bounding_box()["y"]
            targets = [
                href.removeprefix("#")
                for href in links.evaluate_all("(as) => as.map((a) => a.getAttribute('href'))")
            ]
            assert targets[:2] == ["id_name", "id_email"], targets
            # Every link leads to an element of the page (for a group of checkboxes, its
            # first box); `#` alone leads nowhere.
            for text, target in zip(links.all_inner_texts(), targets, strict=True):
                if not target or page.locator(f"[id='{target}']").count() != 1:
                    broken_links.append(f"{text!r} links to '#{target}'")
            for error in page.locator(".field__error").all():
                assert ARABIC_SCRIPT.search(error.inner_text())
            email = page.locator("#id_email")
            expect(email).to_have_attribute("dir", "ltr")
            expect(email).to_have_attribute("aria-invalid", "true")
            expect(email).to_have_attribute("aria-describedby", re.compile(r"\bemail-error\b"))
            assert email.evaluate("(e) => getComputedStyle(e).direction") == "ltr"
            page.screenshot(path=artifacts_dir / "registration-errors-ur.png", full_page=True)
            # A link in the summary takes the visitor, and the keyboard, to its field.
            links.nth(1).click()
            expect(email).to_be_focused()
            expect(email).to_be_in_viewport()

        # The thank-you page.
        thanks = THANKS_PATH.format(code=code)
        response = page.goto(thanks)
        assert response.status == 200, f"{thanks}: HTTP {response.status}"
        problems += blocking_violations(axe, page, thanks)
        checked += 1

    assert checked == 3 * len(LANGUAGES)
    assert Registration.objects.count() == before, "empty submissions store nothing"
    report = []
    if broken_links:
        report += ["error summary links that lead nowhere:", *broken_links]
    if problems:
        report += ["axe found serious or critical violations:", *problems]
    assert not report, "\n".join(report)

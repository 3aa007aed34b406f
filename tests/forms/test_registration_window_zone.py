"""Registration opens and closes in the event's time zone: entered there in the admin
whatever the editor's own zone, stored in UTC, and shown to visitors with the zone named
("Registration opens on 4 December 2026, 10:15 (Istanbul, UTC+3)") in each language."""

import calendar
import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.users.models import UserProfile

from forms_app.models import RegistrationFormPage
from forms_app.registration_window import RegistrationFormPageForm

pytestmark = pytest.mark.django_db

ISTANBUL = ZoneInfo("Europe/Istanbul")
TURKISH_MONTHS = [
    "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran",
    "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık",
]  # fmt: skip
URDU_MONTHS = [
    "جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون",
    "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر",
]  # fmt: skip


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def opening(form_page):
    """Registration opens in ten days at 10:15 Istanbul time (07:15 UTC)."""
    day = timezone.now().astimezone(ISTANBUL).date() + dt.timedelta(days=10)
    opens_at = dt.datetime.combine(day, dt.time(10, 15), tzinfo=ISTANBUL)
    RegistrationFormPage.objects.filter(pk=form_page.pk).update(opens_at=opens_at)
    return opens_at


def page_form(instance, parent, user):
    """The page editor's form, as Wagtail builds it from the panels."""
    form_class = RegistrationFormPage.get_edit_handler().get_form_class()
    assert issubclass(form_class, RegistrationFormPageForm)
    return form_class(instance=instance, parent_page=parent, for_user=user)


def test_the_admin_shows_and_reads_the_window_in_the_events_zone(form_page, opening, admin_user):
    form_page.refresh_from_db()
    # The editor's own zone (the admin activates it) is New York's.
    with timezone.override(ZoneInfo("America/New_York")):
        form = page_form(form_page, form_page.get_parent(), admin_user)
        shown = form["opens_at"].value()
        assert (shown.hour, shown.minute, shown.tzinfo) == (10, 15, None)
        assert "Istanbul time, UTC+3" in str(form.fields["opens_at"].help_text)
        parsed = form.fields["closes_at"].clean(f"{opening.date().isoformat()} 18:30")
    assert parsed == dt.datetime.combine(opening.date(), dt.time(15, 30), tzinfo=dt.UTC)


def test_the_admin_page_editor_renders_the_events_local_time(
    admin_client, admin_user, form_page, opening
):
    profile = UserProfile.get_for_user(admin_user)
    profile.current_time_zone = "America/New_York"
    profile.save()
    html = admin_client.get(f"/admin/pages/{form_page.pk}/edit/").content.decode()
    assert f'value="{opening.date().isoformat()} 10:15"' in html
    assert "Istanbul time, UTC+3" in html


def test_a_local_time_the_clock_skips_is_refused_with_a_message(form_page, event, admin_user):
    event.time_zone = "Europe/London"
    form = page_form(form_page, event, admin_user)
    # 01:30 on 28 March 2027 does not exist in London (the clocks go forward at 01:00).
    with pytest.raises(ValidationError) as refused:
        form.fields["opens_at"].clean("2027-03-28 01:30")
    assert "Europe/London" in str(refused.value)
    assert form.fields["opens_at"].clean("2027-03-28 02:30") == dt.datetime(
        2027, 3, 28, 1, 30, tzinfo=dt.UTC
    )


def test_a_new_form_page_takes_the_zone_of_the_event_it_is_added_under(event, admin_user):
    event.time_zone = "Asia/Karachi"
    form = page_form(RegistrationFormPage(), event, admin_user)
    assert form.fields["opens_at"].clean("2030-01-10 09:00") == dt.datetime(
        2030, 1, 10, 4, 0, tzinfo=dt.UTC
    )
    assert "Karachi time, UTC+5" in str(form.fields["opens_at"].help_text)


MOMENT = {
    "en": "{day} {en_month} {year}, 10:15 (Istanbul, UTC+3)",
    "tr": "{day} {tr_month} {year}, 10:15 (İstanbul, UTC+3)",
    "ur": "{day} {ur_month} {year}، 10:15 (استنبول، UTC+3)",
}
# The form page's sentence, and the event page's and home page's.
ON_FORM = {
    "en": "Registration opens on {when}.",
    "tr": "Kayıtlar {when} tarihinde açılacak.",
    "ur": "رجسٹریشن {when} کو شروع ہوگی۔",
}
ON_EVENT = {
    "en": "Registration opens on {when}",
    "tr": "Kayıt {when} tarihinde açılıyor",
    "ur": "رجسٹریشن {when} کو کھلے گی",
}


@pytest.mark.parametrize("language", ["en", "tr", "ur"])
def test_visitors_see_the_opening_in_the_events_zone_named(
    client, form_in, event, opening, language
):
    when = MOMENT[language].format(
        day=opening.day,
        year=opening.year,
        en_month=calendar.month_name[opening.month],
        tr_month=TURKISH_MONTHS[opening.month - 1],
        ur_month=URDU_MONTHS[opening.month - 1],
    )
    form_page = form_in(language)
    form_html = text(client.get(form_page.url).content.decode())
    assert ON_FORM[language].format(when=when) in form_html, form_html[:3000]

    event_in = event.get_translation(form_page.locale)
    event_html = text(client.get(event_in.url).content.decode())
    assert ON_EVENT[language].format(when=when) in event_html, event_html[:3000]
    home_html = text(client.get(f"/{language}/").content.decode())
    assert ON_EVENT[language].format(when=when) in home_html, home_html[:3000]

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.events import EventPageFactory
from tests.factories.forms import RegistrationFormFieldFactory, RegistrationFormPageFactory

AREAS_EN = "Academic work\nSocial media\nPolitical lobbying\nHuman-rights documentation"
AREAS_TR = "Akademik çalışma\nSosyal medya\nSiyasi lobicilik\nİnsan hakları belgeleme"
AREAS_UR = "علمی کام\nسوشل میڈیا\nسیاسی لابنگ\nانسانی حقوق کی دستاویز بندی"


def segment(text):
    """How wagtail-localize presents a multi-line text field to translators: one segment,
    lines joined by <br/> (translators keep them, one choice per line)."""
    return text.replace("\n", "<br/>")


@pytest.fixture
def event(home_in_all_languages, translated):
    start = timezone.now() + dt.timedelta(days=60)
    page = EventPageFactory(
        parent=home_in_all_languages["en"],
        title="Third Conference",
        slug="third-conference",
        start=start,
        end=start + dt.timedelta(days=2),
    )
    translated(page, "tr", {"Third Conference": "Üçüncü Konferans"})
    translated(page, "ur", {"Third Conference": "تیسری کانفرنس"})
    return page


@pytest.fixture
def form_page(event, translated, locales):
    """A registration form under the event with three questions, in three languages."""
    page = RegistrationFormPageFactory(parent=event, title="Register", slug="register")
    RegistrationFormFieldFactory(
        page=page, label="Country of residence", required=True, sort_order=0
    )
    RegistrationFormFieldFactory(
        page=page, label="Area of work", field_type="checkboxes", choices=AREAS_EN, sort_order=1
    )
    RegistrationFormFieldFactory(
        page=page, label="Attending in person", field_type="radio", choices="Yes\nNo", sort_order=2
    )
    page.save_revision().publish()
    page.refresh_from_db()
    translated(
        page,
        "tr",
        {
            "Register": "Kayıt ol",
            "Country of residence": "İkamet edilen ülke",
            "Area of work": "Çalışma alanı",
            segment(AREAS_EN): segment(AREAS_TR),
            "Attending in person": "Yüz yüze katılım",
            segment("Yes\nNo"): segment("Evet\nHayır"),
        },
    )
    translated(
        page,
        "ur",
        {
            "Register": "رجسٹریشن",
            "Country of residence": "رہائش کا ملک",
            "Area of work": "کام کا شعبہ",
            segment(AREAS_EN): segment(AREAS_UR),
            "Attending in person": "بالمشافہ شرکت",
            segment("Yes\nNo"): segment("ہاں\nنہیں"),
        },
    )
    return page


@pytest.fixture
def form_in(form_page, locales):
    def get(language_code):
        if language_code == form_page.locale.language_code:
            return form_page
        return form_page.get_translation(locales[language_code]).specific

    return get


def answers(**extra):
    data = {
        "name": "Test Registrant",
        "email": "registrant@example.org",
        "country_of_residence": "Norway",
        "consent": "on",
    }
    data.update(extra)
    return data

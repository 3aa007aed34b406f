"""Odd input in the registration form gets a clear answer in the visitor's language and
leaves nothing junk stored: a name of invisible characters is refused, control and bidi
characters are stripped from the name and every free-text answer (zero-width joiners
inside Urdu words kept), and a repeated multiple-choice answer is stored once."""

import csv
import datetime as dt
import io
import unicodedata

import pytest
from django.utils import timezone, translation

from forms_app.models import Registration
from tests.factories.events import EventPageFactory
from tests.factories.forms import RegistrationFormFieldFactory, RegistrationFormPageFactory
from tests.helpers import answers, list_url

# Fixtures: registrar, editor, registrar_client, editor_client.
pytestmark = pytest.mark.django_db

ZWSP, ZWNJ, ZWJ = "\u200b", "\u200c", "\u200d"
RLO, PDF, LRI, RLI, PDI = "\u202e", "\u202c", "\u2066", "\u2067", "\u2069"
INVISIBLE_NAMES = [
    ZWSP * 3,
    f"{RLO}{PDF}{LRI}{PDI}",
    "\x07\x1b\x00\x7f",
    f" {ZWSP}\t{RLI}\u0085{PDI} ",
    "\u2060\ufeff",
    "...",  # no letter at all
]
# "Ali Reza" in Urdu: ZWNJ keeps the two words' letters apart, as writers intend.
URDU_NAME = f"علی{ZWNJ}رضا"
JUNK = {f"{RLO}", "\x07", "\x1b", "\x00", "\x0b", f"{LRI}", f"{PDI}"}


def controls_in(text):
    """Control characters (Unicode Cc) other than newline and tab, and bidi controls."""
    return {
        char
        for char in text
        if (unicodedata.category(char) == "Cc" and char not in "\n\t")
        or "\u202a" <= char <= "\u202e"
        or "\u2066" <= char <= "\u2069"
    }


@pytest.fixture
def plain_form(home):
    """One English form (no translations) with each kind of free-text question and two
    multiple-choice ones."""
    start = timezone.now() + dt.timedelta(days=30)
    event = EventPageFactory(
        parent=home, slug="summit", start=start, end=start + dt.timedelta(days=1)
    )
    page = RegistrationFormPageFactory(parent=event, capacity=None)
    for order, (label, field_type, choices, required) in enumerate(
        [
            ("City", "singleline", "", True),
            ("Notes", "multiline", "", False),
            ("Badge", "hidden", "", False),
            ("Days", "checkboxes", "Friday\nSaturday\nSunday", False),
            ("Sessions", "multiselect", "Plenary\nWorkshop", False),
        ]
    ):
        RegistrationFormFieldFactory(
            page=page,
            label=label,
            field_type=field_type,
            choices=choices,
            required=required,
            sort_order=order,
        )
    return page


def bound_form(page, **data):
    form_class = page.get_form_class()
    values = {"name": "Amina", "email": "amina@example.org", "consent": "on", "city": "Oslo"}
    values.update(data)
    return form_class(values, page=page)


@pytest.mark.parametrize("language", ["en", "tr", "ur"])
def test_a_name_of_invisible_characters_is_refused_in_the_visitors_language(plain_form, language):
    expected = {"en": "Enter your name.", "tr": "Adınızı yazın.", "ur": "اپنا نام لکھیں۔"}
    with translation.override(language):
        for name in INVISIBLE_NAMES:
            form = bound_form(plain_form, name=name)
            assert not form.is_valid(), repr(name)
            assert form.errors["name"] == [expected[language]], repr(name)
        # A required answer made of invisible characters is no answer either.
        form = bound_form(plain_form, city=f"{ZWSP}{RLO}\x07")
        assert not form.is_valid() and list(form.errors) == ["city"]


def test_control_and_bidi_characters_are_stripped_and_choices_kept_once(plain_form):
    form = bound_form(
        plain_form,
        name=f"{RLO}{URDU_NAME}{PDF}\x07 ",
        email=f"amina{ZWSP}@exam{RLO}ple.org",
        city=f"Os\x1blo{LRI}\x00",
        notes=f"First line\r\nSecond\tline\x0b{RLI}end{PDI}\x07",
        badge=f"{ZWSP}VIP\x1b",
        days=["Sunday", "Friday"] * 1500 + ["Sunday"],
        sessions=["Workshop"] * 3000,
    )
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert data["name"] == URDU_NAME  # the joiner inside the word survives
    assert data["email"] == "amina@example.org"
    answers = form.question_answers()
    assert answers["city"] == "Oslo"
    assert answers["notes"] == "First line\nSecond\tlineend"
    assert answers["badge"] == "VIP"
    assert answers["days"] == ["Sunday", "Friday"]  # each once, in the order sent
    assert answers["sessions"] == ["Workshop"]
    # A joiner between Arabic-script letters in an answer stays too.
    form = bound_form(plain_form, city=f"میر{ZWJ}پور")
    assert form.is_valid() and form.question_answers()["city"] == f"میر{ZWJ}پور"
    # A choice that is not offered is still refused, however often it is sent.
    form = bound_form(plain_form, days=["Friday", "Monday"] * 10)
    assert not form.is_valid() and list(form.errors) == ["days"]


def test_through_the_urdu_form_nothing_junk_reaches_the_database_the_export_or_emails(
    client, registrar_client, form_page, django_capture_on_commit_callbacks, mailoutbox
):
    url = "/ur/third-conference/register/"
    response = client.post(url, answers(name=f"{ZWSP}{RLO}{ZWSP}\x07"))
    assert response.status_code == 200
    assert "اپنا نام لکھیں۔" in response.content.decode()
    assert not Registration.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            answers(
                name=f"{RLO}{URDU_NAME}\x1b[31m{PDI}",
                country_of_residence=f"پاکستان\x07{LRI}\x00",
                area_of_work=["Social media"] * 3000 + ["Academic work"],
            ),
        )
    assert response.status_code == 303
    registration = Registration.objects.get()
    assert registration.name == f"{URDU_NAME}[31m"
    assert registration.form_data["country_of_residence"] == "پاکستان"
    assert registration.form_data["area_of_work"] == ["Social media", "Academic work"]

    export = registrar_client.get(list_url(form_page), {"export": "csv"})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert not controls_in(body.replace("\r\n", "\n"))
    (row,) = list(csv.reader(io.StringIO(body)))[1:]
    assert URDU_NAME + "[31m" in row
    assert "Social media, Academic work" in row

    assert mailoutbox, "the confirmation was sent"
    for message in mailoutbox:
        texts = [message.subject, message.body]
        texts += [content for content, _type in getattr(message, "alternatives", [])]
        for text in texts:
            assert not controls_in(text.replace("\r\n", "\n")), message.subject

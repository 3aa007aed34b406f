"""Right in Urdu and Turkish: dates and lists with the Urdu comma on pages (as in the
emails), the programme's time zone written as a sentence in each language, Latin
fragments such as "(.ics)" isolated left to right in Urdu, Django's own Urdu form
messages spelt right (our catalogue overrides them), and the Urdu stylesheet only on
Urdu pages."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 12, 18, 6, 30, tzinfo=dt.UTC)  # 09:30 in Istanbul


def render(source, language, **context):
    with translation.override(language):
        return Template(source).render(Context(context))


def test_urdu_dates_and_zones_use_the_urdu_comma():
    moment = "{% load event_tags %}{% event_moment moment zone %}"
    urdu = render(moment, "ur", moment=MOMENT, zone="Europe/Istanbul")
    assert "جمعہ، 18 دسمبر 2026</time>، " in urdu, urdu
    assert '(استنبول، <span dir="ltr">UTC+3</span>)' in urdu
    assert ", " not in urdu.replace('", "', "")
    english = render(moment, "en", moment=MOMENT, zone="Europe/Istanbul")
    assert "</time>, " in english and '(Istanbul, <span dir="ltr">UTC+3</span>)' in english


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", 'All times are Istanbul time (<span dir="ltr">UTC+3</span>).'),
        ("tr", 'Tüm saatler İstanbul saatine göredir (<span dir="ltr">UTC+3</span>).'),
        ("ur", 'تمام اوقات استنبول کے وقت کے مطابق ہیں (<span dir="ltr">UTC+3</span>)۔'),
    ],
)
def test_the_time_zone_is_a_sentence_in_each_language(language, sentence):
    html = render(
        "{% load event_tags %}{% zone_sentence moment zone %}",
        language,
        moment=MOMENT,
        zone="Europe/Istanbul",
    )
    assert html == sentence


def test_latin_fragments_are_isolated_in_urdu_only():
    source = "{% load bidi_tags %}{{ text|isolate_latin }}"
    urdu = render(source, "ur", text="میرے کیلنڈر میں شامل کریں (.ics)")
    assert urdu == 'میرے کیلنڈر میں شامل کریں <bdi dir="ltr">(.ics)</bdi>'
    assert render(source, "en", text="Add to my calendar (.ics)") == "Add to my calendar (.ics)"
    escaped = render(source, "ur", text="<script>")
    assert "<script" not in escaped and "&lt;" in escaped


def test_event_pages_isolate_the_calendar_file_name(demo, client):
    html = client.get("/ur/events/next-conference/").content.decode()
    assert '<bdi dir="ltr">(.ics)</bdi>' in html
    assert "(استنبول، " in html
    assert "تمام اوقات" in html
    # The stylesheet for Nastaliq's spacing, on Urdu pages only.
    assert "css/urdu" in html
    assert "css/urdu" not in client.get("/en/events/next-conference/").content.decode()


def test_django_urdu_form_messages_are_spelt_right():
    from django import forms

    class Form(forms.Form):
        email = forms.EmailField()
        name = forms.CharField(max_length=3)
        choice = forms.ChoiceField(choices=[("a", "a")])

    with translation.override("ur"):  # the messages are lazy: read them in Urdu
        empty = {k: [str(m) for m in v] for k, v in Form({}).errors.items()}
        wrong = {
            k: [str(m) for m in v]
            for k, v in Form({"email": "x", "name": "abcd", "choice": "b"}).errors.items()
        }
    assert empty["email"] == ["یہ خانہ درکار ہے۔"]  # ہ, not Django's ھ
    assert wrong["email"] == ["درست ای میل پتہ درج کریں۔"]  # Django leaves it in English
    messages = " ".join(m for v in [*empty.values(), *wrong.values()] for m in v)
    assert "ھ" not in messages
    assert not any("a" <= c <= "z" for c in messages.replace("abcd", "").replace(" b ", ""))


def test_the_place_is_listed_with_the_urdu_comma_on_urdu_pages():
    from events.models import EventPage

    event = EventPage(venue_name="Venue", street_address="Street 1", city="City", country="Land")
    with translation.override("ur"):
        assert event.location_line == "Venue، City، Land"
        assert event.full_address == "Venue، Street 1، City، Land"
    with translation.override("tr"):
        assert event.location_line == "Venue, City, Land"

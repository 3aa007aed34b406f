"""The plain-text "when" of emails and calendar descriptions: one day reads as a day with
its hours; several days give each end its own date, so "18–20 December, 09:30–14:00" is
never read as a daily schedule. In each language, Urdu with its own comma."""

import datetime as dt

import pytest
from django.utils import translation

from events.formatting import local, when_text

ZONE = "Europe/Istanbul"
START = dt.datetime(2026, 12, 18, 6, 30, tzinfo=dt.UTC)  # 09:30 in Istanbul


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "18 December 2026, 09:30 – 20 December 2026, 14:00 (Istanbul, UTC+3)"),
        ("tr", "18 Aralık 2026, 09:30 – 20 Aralık 2026, 14:00 (İstanbul, UTC+3)"),
    ],
)
def test_several_days_give_each_end_its_date(language, expected):
    end = START + dt.timedelta(days=2, hours=4, minutes=30)
    with translation.override(language):
        assert when_text(local(START, ZONE), local(end, ZONE), ZONE) == expected


def test_urdu_uses_the_urdu_comma():
    end = START + dt.timedelta(days=2, hours=4, minutes=30)
    with translation.override("ur"):
        text = when_text(local(START, ZONE), local(end, ZONE), ZONE)
    assert "،" in text and ", " not in text
    assert "09:30" in text and "14:00" in text


def test_one_day_reads_as_a_day_with_its_hours():
    end = START + dt.timedelta(hours=8)
    with translation.override("en"):
        text = when_text(local(START, ZONE), local(end, ZONE), ZONE)
    assert text == "18 December 2026, 09:30–17:30 (Istanbul, UTC+3)"

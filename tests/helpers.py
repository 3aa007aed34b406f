"""Helpers shared by the test folders: the pages a test site is made of (in three
languages), a registrant's answers, the registrations admin, what an editor posts to
Wagtail's page edit view, reading event HTML and calendar files, and `manage.py` in a
process of its own. Fixtures are in tests/fixtures.py."""

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import uuid
from contextlib import nullcontext
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent

# The three-language site --------------------------------------------------------------------

EVENT_TITLES = {"en": "Third Conference", "tr": "Üçüncü Konferans", "ur": "تیسری کانفرنس"}
HOME_TITLES = {"tr": "Konferans ana sayfası", "ur": "کانفرنس کا صفحۂ اول"}
AREAS_EN = "Academic work\nSocial media\nPolitical lobbying\nHuman-rights documentation"
AREAS_TR = "Akademik çalışma\nSosyal medya\nSiyasi lobicilik\nİnsan hakları belgeleme"
AREAS_UR = "علمی کام\nسوشل میڈیا\nسیاسی لابنگ\nانسانی حقوق کی دستاویز بندی"
# The form's questions: (label, field type, choices) in English, then the translations.
QUESTIONS = {
    "en": [
        ("Country of residence", "singleline", ""),
        ("Area of work", "checkboxes", AREAS_EN),
        ("Attending in person", "radio", "Yes\nNo"),
    ],
    "tr": [
        ("İkamet edilen ülke", "singleline", ""),
        ("Çalışma alanı", "checkboxes", AREAS_TR),
        ("Yüz yüze katılım", "radio", "Evet\nHayır"),
    ],
    "ur": [
        ("رہائش کا ملک", "singleline", ""),
        ("کام کا شعبہ", "checkboxes", AREAS_UR),
        ("بالمشافہ شرکت", "radio", "ہاں\nنہیں"),
    ],
}
FORM_TITLES = {"en": "Register", "tr": "Kayıt ol", "ur": "رجسٹریشن"}


def segment(text):
    """How wagtail-localize presents a multi-line text field to translators: one segment,
    lines joined by <br/> (translators keep them, one choice per line)."""
    return text.replace("\n", "<br/>")


def answers(**extra):
    """A registrant's valid answers to the form of `build_form_page`, as posted."""
    data = {
        "name": "Test Registrant",
        "email": "registrant@example.org",
        "country_of_residence": "Norway",
        "consent": "on",
    }
    data.update(extra)
    return data


def make_home(**fields):
    """An English home page as the default site's root, in place of Wagtail's welcome
    page."""
    from wagtail.models import Page, Site

    from tests.factories.home import HomePageFactory

    root = Page.get_first_root_node()
    site = Site.objects.get(is_default_site=True)
    welcome = site.root_page
    page = HomePageFactory(parent=root, **{"slug": "home-en", **fields})
    site.root_page = page
    site.save()
    welcome.delete()
    return page


def translate_with_localize(page, language_code, table=None, *, publish=True):
    """A live translation made through wagtail-localize's PO round trip (what a
    translator's PO file does), so that "Sync translated pages" and the facts sync on
    publish know it. Strings missing from `table` keep the source text."""
    from wagtail_localize.models import StringSegment, TranslationSource

    from home.localize import translate

    source, _ = TranslationSource.update_or_create_from_instance(page)
    strings = StringSegment.objects.filter(source=source).values_list("string__data", flat=True)
    full_table = {string: string for string in strings}
    full_table.update(table or {})
    return translate(page, language_code, full_table, publish=publish)


def translate_by_copy(page, language_code, **fields):
    """A live translation made the quick way: Wagtail's `copy_for_translation`, the
    `fields` set on the copy, published (a snippet: saved). wagtail-localize knows nothing
    of it (no translation source): use `translate_with_localize` where the sync or the
    translation editor is under test."""
    from wagtail.models import Locale, Page

    if not isinstance(page, Page):
        copy = page.copy_for_translation(Locale.objects.get(language_code=language_code))
        for name, value in fields.items():
            setattr(copy, name, value)
        copy.save()
        return copy
    copy = _copy_for_translation(page, language_code)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


def _copy_for_translation(page, language_code):
    """`copy_for_translation`, then the synchronised facts the copy leaves out (a copy gets
    a new calendar UID, for instance), as wagtail-localize would copy them."""
    from wagtail.models import Locale
    from wagtail_localize.fields import SynchronizedField, get_translatable_fields

    page = page.specific
    copy = page.copy_for_translation(Locale.objects.get(language_code=language_code)).specific
    for translatable in get_translatable_fields(type(page)):
        if not isinstance(translatable, SynchronizedField) or translatable.field_name == "slug":
            continue
        field = translatable.get_field(type(page))
        if getattr(field, "concrete", False) and translatable.is_synchronized(page):
            setattr(copy, field.attname, getattr(page, field.attname))
    return copy


def translate_page(page, language_code, via, *, title, table=None, **fields):
    if via == "localize":
        return translate_with_localize(page, language_code, {page.title: title, **(table or {})})
    return translate_by_copy(page, language_code, title=title, **fields)


def build_home_in_all_languages(home, via="copy"):
    return {
        "en": home,
        **{
            code: translate_page(home, code, via, title=title)
            for code, title in HOME_TITLES.items()
        },
    }


def build_event(homes, via="copy"):
    """'Third Conference' under the home page, in three languages, starting in 60 days
    (registration is open until it starts)."""
    from django.utils import timezone

    from tests.factories.events import EventPageFactory

    start = timezone.now() + dt.timedelta(days=60)
    page = EventPageFactory(
        parent=homes["en"],
        title=EVENT_TITLES["en"],
        slug="third-conference",
        start=start,
        end=start + dt.timedelta(days=2),
    )
    for code in ("tr", "ur"):
        translate_page(page, code, via, title=EVENT_TITLES[code])
    return page


def build_form_page(event, via="copy"):
    """A registration form (capacity 3, with a waiting list) under `event` with three
    questions, in three languages."""
    from tests.factories.forms import RegistrationFormFieldFactory, RegistrationFormPageFactory

    page = RegistrationFormPageFactory(parent=event, title=FORM_TITLES["en"], slug="register")
    for order, (label, field_type, choices) in enumerate(QUESTIONS["en"]):
        RegistrationFormFieldFactory(
            page=page,
            label=label,
            field_type=field_type,
            choices=choices,
            required=order == 0,
            sort_order=order,
        )
    page.save_revision().publish()
    page.refresh_from_db()
    for code in ("tr", "ur"):
        if via == "localize":
            table = {}
            for (source, _, source_choices), (label, _, choices) in zip(
                QUESTIONS["en"], QUESTIONS[code], strict=True
            ):
                table[source] = label
                if source_choices:
                    table[segment(source_choices)] = segment(choices)
            translate_page(page, code, via, title=FORM_TITLES[code], table=table)
        else:
            _translate_form_by_copy(page, code)
    return page


def _translate_form_by_copy(page, language_code):
    copy = _copy_for_translation(page, language_code)
    copy.title = FORM_TITLES[language_code]
    fields = list(copy.form_fields.order_by("sort_order"))
    for field, (label, _, choices) in zip(fields, QUESTIONS[language_code], strict=True):
        # The answer key stays the English one (synchronised, not translated).
        field.label, field.choices = label, choices
        field.save(update_fields=["label", "choices"])
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


# What an editor posts to Wagtail's page edit view -------------------------------------------
#
# The edit form as it opens (the page's latest revision), with the fields the editor
# changed, and the button pressed. Tests then go through the real view
# (`/admin/pages/<id>/edit/`), its validation and its publish action, instead of calling
# model methods an editor never calls.


def edit_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def edit_form_data(page, user, changes=None, *, action="action-publish"):
    """POST data for the edit view of `page`, as `user` opens it, with `changes` (posted
    names -> posted values, nested values as for `nested_form_data`). A StreamField that
    is not empty must be given in `changes`."""
    from wagtail.test.utils.form_data import nested_form_data

    page = page.specific.get_latest_revision_as_object()
    form_class = page.get_edit_handler().get_form_class()
    form = form_class(instance=page, parent_page=page.get_parent(), for_user=user)
    data = {}
    _add_form(data, form)
    for formset in form.formsets.values():
        _add_form(data, formset.management_form)
        for child in formset.forms:
            _add_form(data, child)
    changed = nested_form_data(changes or {})
    for key in list(data):
        # A changed StreamField or formset replaces all of its posted keys.
        if any(key == name or key.startswith(f"{name}-") for name in (changes or {})):
            del data[key]
    data.update(changed)
    if action:
        data[action] = action.removeprefix("action-")
    return data


def _add_form(data, form):
    from django import forms
    from wagtail.blocks.base import BlockWidget

    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, BlockWidget):
            if bound.value():
                continue  # must be given in `changes`
            data[f"{bound.html_name}-count"] = "0"
            continue
        value = bound.value()
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        formatted = widget.format_value(value)
        if isinstance(formatted, list):  # select widgets
            data[bound.html_name] = [str(item) for item in formatted if item is not None]
        else:
            data[bound.html_name] = "" if formatted is None else str(formatted)


# The registrations admin ---------------------------------------------------------------------

GROUP_NAME = "Registration managers"
ANSWERS = {
    "country_of_residence": "Norway",
    "area_of_work": ["Social media"],
    "attending_in_person": "Yes",
}


def make_user(username, *groups, **extra):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="pw", **extra
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def attempt_registration(page, name, email, *, language=None, answers=None, **options):
    """What the real registration code answers for someone registering through `page`
    (any language version): the outcome, whether registered, waitlisted or refused.
    `options` go to `services.register` (`attendance`, `submission_token` …)."""
    from forms_app import services

    options.setdefault("submission_token", uuid.uuid4())
    return services.register(
        page,
        name=name,
        email=email,
        answers=dict(ANSWERS if answers is None else answers),
        language=language or page.locale.language_code,
        **options,
    )


def register(page, name, email, *, at=None, answers=None):
    """Register someone through `page` (any language version) with the real registration
    code; `at` sets the moment it happens (the registration's submit time)."""
    clock = mock.patch("django.utils.timezone.now", return_value=at) if at else nullcontext()
    with clock:
        outcome = attempt_registration(page, name, email, answers=answers)
    assert outcome.registration is not None, outcome
    return outcome.registration


def list_url(page):
    from django.urls import reverse

    return reverse("wagtailforms:list_submissions", args=[page.pk])


def moment(day, hour=12, minute=0):
    """An aware UTC datetime on day `day` of January 2026."""
    return dt.datetime(2026, 1, day, hour, minute, tzinfo=dt.UTC)


# Event pages and calendar files ---------------------------------------------------------------


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD script in the page"
    return json.loads(match.group(1))


def meta(html, prop):
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)
    return match.group(1) if match else None


def parse_ics(response):
    from icalendar import Calendar

    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def vevents(calendar):
    return list(calendar.walk("VEVENT"))


def image(title, size=(64, 48)):
    """An image in the library. Small: every rendition of it (`{% picture %}` asks for AVIF,
    WebP and JPEG) is encoded when a page shows it, and the tests look at which renditions
    and queries there are, not at their pixels."""
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    return Image.objects.create(
        title=title, file=get_test_image_file(filename=f"{title}.png", size=size)
    )


def event_with_programme(parent, *, days, sessions_per_day, speaker_count, slug):
    """An event with pictures: its hero image, its speakers' photos (dealt out over the
    programme) and two organisers' logos."""
    from tests.factories.events import (
        EventPageFactory,
        OrganiserFactory,
        SpeakerFactory,
        add_organisers,
        programme,
    )

    speakers = [SpeakerFactory(photo=image(f"{slug}-photo-{i}")) for i in range(speaker_count)]
    event = EventPageFactory(
        parent=parent,
        slug=slug,
        hero_image=image(f"{slug}-hero"),
        programme=programme(days, sessions_per_day, speakers),
    )
    add_organisers(event, [OrganiserFactory(logo=image(f"{slug}-logo-{i}")) for i in range(2)])
    return event


def count_queries(client, url):
    """The queries of the second GET of `url` (the first warms per-process caches: content
    types, site root paths), and its response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


# Processes -----------------------------------------------------------------------------------


def manage(*args, env, timeout=180, check=False):
    """`manage.py *args` in a process of its own with the environment `env`."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def debian_tool(name, package="poppler-utils"):
    """The path of a Debian command a test reads a PDF or an image with (pdftotext,
    zbarimg …). Skips, naming the package, where it is missing; CI installs it (.ci/run),
    and under REQUIRE_SERVICES=1 such a skip fails (tests/conftest.py)."""
    path = shutil.which(name)
    if path is None:
        import pytest

        pytest.skip(f"`{name}` is not installed (Debian's {package}; {INSTALLED_BY_CI})")
    return path


INSTALLED_BY_CI = ".ci/run installs it"


def run_at_once(count, work):
    """`work(n)` in `count` threads released together (a barrier), each closing its own
    database connection; returns the errors raised, as (thread number, repr)."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(count)
    errors = []

    def worker(n):
        try:
            barrier.wait(timeout=30)
            work(n)
        except Exception as error:  # reported to the caller, with the thread's number
            errors.append((n, repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors

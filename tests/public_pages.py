"""Every public page type of the demo site, in every language, for the checkers (the Nu
HTML checker, axe, Lighthouse): their addresses, found in the demo content (`load_demo`),
and the npm tools the checkers are (tests/checkers/package.json, installed by `make test`).

Page types: home, standard page, events index, event page, registration form (and the
form with errors, which is a POST), thank-you page, a registrant's manage page, the
feedback survey, search results and the 404 page."""

import shutil
from pathlib import Path

from tests.helpers import INSTALLED_BY_CI, ROOT

LANGUAGES = ("en", "tr", "ur")
CHECKERS = ROOT / "tests" / "checkers"
NODE_MODULES = CHECKERS / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"


def npm_tool(path, what):
    """The path of an npm checker (`make test` installs tests/checkers' packages with
    `npm ci`); skips where it is missing, which fails under REQUIRE_SERVICES=1
    (tests/conftest.py)."""
    import pytest

    if not Path(path).exists():
        pytest.skip(f"{what} is not installed (npm ci --prefix tests/checkers; {INSTALLED_BY_CI})")
    return Path(path)


def java():
    import pytest

    path = shutil.which("java")
    if path is None:
        pytest.skip(f"`java` is not installed (Debian's default-jre-headless; {INSTALLED_BY_CI})")
    return path


def demo_addresses():
    """{name: (language, path)} for every GET page type in every language, from the demo
    content in the tests' database. Names look like `event-ur`."""
    from wagtail.models import Locale

    from events.models import EventIndexPage, EventPage
    from forms_app.models import (
        FeedbackFormPage,
        Registration,
        RegistrationFormPage,
        RegistrationStatus,
    )

    default = Locale.get_default()
    index = EventIndexPage.objects.live().filter(locale=default).first()
    event = EventPage.objects.live().filter(locale=default, slug="next-conference").first()
    form = RegistrationFormPage.objects.live().child_of(event).first()
    survey = FeedbackFormPage.objects.live().filter(locale=default).first()
    registration = Registration.objects.filter(
        page_id=form.pk, status=RegistrationStatus.CONFIRMED
    ).first()
    if registration is None:  # the demo has none for the next event: one for the checkers
        from tests.helpers import register

        registration = register(form, "Checker", "checker@example.org", answers={})
    # A past registrant who has not answered the survey yet.
    respondent = (
        Registration.objects.filter(
            page__in=RegistrationFormPage.objects.child_of(survey.get_parent()),
            status=RegistrationStatus.CONFIRMED,
            feedback_responses__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    pages = {}
    for code in LANGUAGES:
        locale = Locale.objects.get(language_code=code)

        def url(page, suffix="", locale=locale):
            return page.get_translation(locale).url + suffix

        home = event.get_site().root_page.get_translation(locale)
        pages[f"home-{code}"] = home.url
        pages[f"standard-{code}"] = f"/{code}/about/"
        pages[f"events-{code}"] = url(index)
        pages[f"event-{code}"] = url(event)
        pages[f"form-{code}"] = url(form)
        pages[f"thanks-{code}"] = url(form, "thanks/")
        pages[f"manage-{code}"] = url(form, f"manage/{registration.manage_token}/")
        if respondent is not None:
            pages[f"survey-{code}"] = url(survey, f"{respondent.manage_token}/")
        pages[f"search-{code}"] = f"/{code}/search/?q=conference"
        pages[f"404-{code}"] = f"/{code}/no-such-page/"
    return pages

"""Helpers for the registration journeys: the demo's registration form in each language,
the manage link found in the sent emails, the admin login, and axe-core reporting."""

import re
from urllib.parse import urlsplit

from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from forms_app.models import RegistrationFormPage

FORM_PATH = "/{code}/events/next-conference/register/"
THANKS_PATH = FORM_PATH + "thanks/"
BLOCKING_IMPACTS = {"serious", "critical"}
MANAGE_LINK = re.compile(r"https?://\S+/register/manage/[\w-]+/")


def registration_forms():
    """The demo's registration form of the upcoming edition, by language code."""
    return {
        form.locale.language_code: form
        for form in RegistrationFormPage.objects.live().filter(slug="register")
    }


def sent_to(address):
    """The emails sent so far to `address`. Read `mail.outbox` at call time: the live
    server's threads append to the module's list, which pytest-django replaces per test."""
    return [message for message in mail.outbox if address in message.to]


def manage_link(message, live_server_url):
    """The manage link in an email's plain-text body, moved to the live server: links are
    absolute with WAGTAILADMIN_BASE_URL (http://testserver in tests)."""
    links = set(MANAGE_LINK.findall(message.body))
    assert len(links) == 1, f"expected one manage link in the email:\n{message.body}"
    (link,) = links
    parts = urlsplit(link)
    return live_server_url + parts.path + (f"?{parts.query}" if parts.query else "")


def log_in(page, username, password):
    page.goto(reverse("wagtailadmin_login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def describe_violation(where, violation):
    lines = [
        f"{where} {violation['id']} ({violation['impact']}): {violation['help']}",
        f"    {violation['helpUrl']}",
    ]
    for node in violation["nodes"][:5]:
        summary = " ".join(node.get("failureSummary", "").split())
        lines.append(f"    - {node['target']}: {summary}")
        lines.append(f"      {node['html'][:200]}")
    if len(violation["nodes"]) > 5:
        lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def blocking_violations(axe, page, where):
    """axe-core's serious and critical findings on the page as it is now, described."""
    results = axe.run(page).response
    assert results["passes"], f"{where}: axe checked nothing; did it run?"
    return [
        describe_violation(where, violation)
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]

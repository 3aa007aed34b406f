"""Fixtures of the registrations admin tests, loaded with
`pytest_plugins = ["tests.forms.admin_fixtures"]` (not imported, so pytest can rewrite
its asserts)."""

import pytest
from django.test import Client

from tests.forms.admin_helpers import GROUP_NAME, make_user


@pytest.fixture
def registrar(db):
    """A registration manager with no page permission at all."""
    return make_user("registrar", GROUP_NAME)


@pytest.fixture
def editor(db):
    """A member of Wagtail's Editors group, who can edit every page (the form included)."""
    return make_user("editor", "Editors")


@pytest.fixture
def registrar_client(client, registrar):
    client.force_login(registrar)
    return client


@pytest.fixture
def editor_client(editor):
    """Its own client, so that a test can use it next to `registrar_client`."""
    client = Client()
    client.force_login(editor)
    return client

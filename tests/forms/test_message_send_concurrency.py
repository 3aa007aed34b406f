"""A double click on "Send" as two requests at the same moment, with real threads on
PostgreSQL: the message is sent once (the second finds it sent under the row lock, and
the database would refuse a second copy to anyone anyway). The rest is in
test_messages_to_registrants.py."""

import pytest
from django.core import mail
from django.db import connection

from forms_app import messaging
from forms_app.models import OutgoingEmail, RegistrantMessage
from tests.forms.test_messages_to_registrants import TEXTS, build_people
from tests.helpers import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL; run with DATABASE_URL=postgres://…",
    ),
]


def test_two_clicks_at_once_send_the_message_once(form_page):
    build_people()
    message = messaging.write(form_page, texts=TEXTS, filters={}, user=None)
    mail.outbox.clear()
    results = []
    errors = run_at_once(2, lambda n: results.append(messaging.send(message.pk)))
    assert errors == []
    assert sorted(results, key=str) == [6, None]
    assert OutgoingEmail.objects.filter(message=message).count() == 6
    assert len(mail.outbox) == 6
    assert RegistrantMessage.objects.get(pk=message.pk).recipient_count == 6

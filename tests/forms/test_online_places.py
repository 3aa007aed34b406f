"""A form with online places: in person and online each have their own capacity and
waiting list, in every language, and the registrant chooses."""

import pytest

from forms_app import services
from forms_app.models import Registration, RegistrationStatus
from forms_app.summary import summarise
from tests.helpers import answers, attempt_registration

pytestmark = pytest.mark.django_db

URL = {code: f"/{code}/third-conference/register/" for code in ("en", "tr", "ur")}


@pytest.fixture
def hybrid_form(form_page):
    """The form with 3 in-person places (the fixture's capacity) and 2 online ones."""
    form_page.offers_online = True
    form_page.online_capacity = 2
    form_page.save_revision().publish()
    return form_page


def register(form, n, attendance, language="en"):
    return attempt_registration(
        form,
        f"Person {n}",
        f"person{n}@example.org",
        language=language,
        answers={},
        attendance=attendance,
    )


def pool(attendance, status):
    return list(
        Registration.objects.filter(attendance=attendance, status=status)
        .order_by("pk")
        .values_list("name", flat=True)
    )


def test_each_kind_of_place_fills_and_waitlists_on_its_own(hybrid_form, form_in):
    for n in range(4):
        register(form_in(["en", "tr", "ur", "tr"][n]), n, "in_person")
    for n in range(4, 7):
        register(form_in("ur"), n, "online", "ur")
    assert pool("in_person", "confirmed") == ["Person 0", "Person 1", "Person 2"]
    assert pool("in_person", "waitlisted") == ["Person 3"]
    assert pool("online", "confirmed") == ["Person 4", "Person 5"]
    assert pool("online", "waitlisted") == ["Person 6"]
    assert hybrid_form.seats_left("in_person") == 0
    assert hybrid_form.seats_left("online") == 0
    assert form_in("tr").seats_left() == 0


def test_a_freed_online_place_goes_to_the_online_waiting_list(
    hybrid_form, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        in_person = [register(hybrid_form, n, "in_person").registration for n in range(4)]
        online = [register(hybrid_form, n, "online").registration for n in range(4, 7)]
    # The in-person person waiting registered before the online one who waits.
    assert in_person[3].status == online[2].status == RegistrationStatus.WAITLISTED
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(online[0])
    assert promoted.pk == online[2].pk
    in_person[3].refresh_from_db()
    assert in_person[3].status == RegistrationStatus.WAITLISTED
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(in_person[0])
    assert promoted.pk == in_person[3].pk


def test_without_the_choice_on_the_form_everyone_is_in_person(form_page):
    outcome = register(form_page, 1, "online")
    assert outcome.registration.attendance == "in_person"


def test_the_form_asks_in_the_visitors_language_and_stores_the_choice(
    client, hybrid_form, mailoutbox, django_capture_on_commit_callbacks
):
    html = client.get(URL["tr"]).content.decode()
    assert 'name="attendance"' in html
    assert "Çevrim içi (2 yer kaldı)" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL["tr"], answers(attendance="online"))
    assert response.status_code == 303
    registration = Registration.objects.get()
    assert (registration.attendance, registration.status) == ("online", "confirmed")
    # The confirmation says which kind of place it is, in Turkish.
    assert "Katılım: Çevrim içi" in mailoutbox[0].body


def test_a_missing_choice_is_an_error_in_urdu(client, hybrid_form):
    response = client.post(URL["ur"], answers())
    assert response.status_code == 200
    assert "آن لائن" in response.content.decode()
    assert "error-summary" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_full_kind_without_waiting_list_offers_the_other(client, hybrid_form):
    hybrid_form.waiting_list = False
    hybrid_form.online_capacity = 1
    hybrid_form.save_revision().publish()
    assert (
        client.post(URL["en"], answers(email="a@example.org", attendance="online")).status_code
        == 303
    )
    html = client.get(URL["en"]).content.decode()
    assert "Online (fully booked)" in html
    response = client.post(URL["en"], answers(email="b@example.org", attendance="online"))
    assert response.status_code == 409
    assert "No places of this kind are left" in response.content.decode()
    assert Registration.objects.count() == 1
    # In person is still open.
    response = client.post(URL["en"], answers(email="b@example.org", attendance="in_person"))
    assert response.status_code == 303
    assert Registration.objects.count() == 2


def test_the_summary_and_the_export_show_each_kind(hybrid_form):
    for n in range(2):
        register(hybrid_form, n, "in_person")
    register(hybrid_form, 2, "online")
    summary = summarise(hybrid_form)
    pools = {p.attendance: (p.capacity, p.confirmed, p.seats_left) for p in summary.pools}
    assert pools == {"in_person": (3, 2, 1), "online": (2, 1, 1)}
    assert summary.capacity == 5
    assert summary.seats_left == 2
    columns = dict(hybrid_form.get_data_fields())
    assert "attendance" in columns
    row = Registration.objects.get(attendance="online").get_data()
    assert row["attendance"] == "Online"


def test_the_join_link_goes_to_online_places_only(hybrid_form, event):
    from events.choices import AttendanceMode
    from forms_app.emails import join_url_for

    event.attendance_mode = AttendanceMode.MIXED
    event.online_url = "https://meet.example.org/secret-room"
    event.save_revision().publish()
    in_person = register(hybrid_form, 1, "in_person").registration
    online = register(hybrid_form, 2, "online").registration
    assert join_url_for(online, event) == "https://meet.example.org/secret-room"
    assert join_url_for(in_person, event) == ""

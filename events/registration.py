"""How an event finds its registration form without knowing the forms app: a live, public
child page whose class is one of Wagtail's generic form pages (`FormMixin`).

Availability is duck-typed: a form page may define `registration_availability()` that
returns an `Availability`. Without it, a live form is open. A form page found under an
event is given that event as `parent_event`, so that it need not query its parent for it.

`Availability` is the one vocabulary of "can one register now?", used by the event page,
its structured data and the forms app (which may import events; events never imports it)."""

from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, IntegerField, OuterRef, Subquery, Value
from wagtail.contrib.forms.models import FormMixin
from wagtail.models import Page, PageViewRestriction

from home import page_cache


class Availability(models.TextChoices):
    """Whether one can register for an event through its form now. The values are shown
    in the event page's markup (`data-availability`)."""

    OPEN = "open"
    # Every place is taken and there is no waiting list.
    FULL = "full"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"


# schema.org availability for each state. Google reads InStock, SoldOut and PreOrder for
# events; a closed registration is reported as SoldOut (no place can be had any more).
SCHEMA_AVAILABILITY = {
    Availability.OPEN: "https://schema.org/InStock",
    Availability.FULL: "https://schema.org/SoldOut",
    Availability.NOT_YET_OPEN: "https://schema.org/PreOrder",
    Availability.CLOSED: "https://schema.org/SoldOut",
}


def is_form_page_model(model):
    return (
        issubclass(model, Page)
        and issubclass(model, FormMixin)
        and not model._meta.abstract
        and not model._meta.proxy
    )


@cache
def form_page_models():
    """Every concrete page model built on Wagtail's form classes, in any installed app."""
    return tuple(model for model in apps.get_models() if is_form_page_model(model))


def _form_children(models):
    content_types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    return (
        Page.objects.live()
        .filter(content_type__in=list(content_types.values()))
        # A form behind a password or login is not a public call to action.
        .exclude(Exists(PageViewRestriction.objects.filter(page_id=OuterRef("pk"))))
        .order_by("path")
    )


def annotate_registration_page(events, models=None):
    """Add each event's registration page id and content type to an event queryset, so
    that an event without a form costs no extra query and one with a form costs one."""
    models = form_page_models() if models is None else models
    if not models:
        return events.annotate(
            registration_page_id=Value(None, output_field=IntegerField()),
            registration_content_type_id=Value(None, output_field=IntegerField()),
        )
    children = _form_children(models).filter(
        path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1
    )
    return events.annotate(
        registration_page_id=Subquery(children.values("pk")[:1]),
        registration_content_type_id=Subquery(children.values("content_type_id")[:1]),
    )


def registration_page_for(event, models=None):
    """The first live, public form page under `event` (in the event's language, since a
    translated event's children are translations too), as its specific class, or None."""
    if hasattr(event, "registration_page_id"):
        if event.registration_page_id is None:
            return None
        model = ContentType.objects.get_for_id(event.registration_content_type_id).model_class()
        # With the id of its translations' original (the first created), which a form
        # page needs for its pool (`original_page_id`, read by forms_app).
        first_translation = Page.objects.filter(translation_key=OuterRef("translation_key"))
        page = (
            model.objects.filter(pk=event.registration_page_id)
            .annotate(original_page_id=Subquery(first_translation.order_by("pk").values("pk")[:1]))
            .first()
        )
    else:
        found = page_cache.remember(
            f"registration-page:{event.pk}", lambda: _find_registration_page(event, models)
        )
        if found is None:
            return None
        content_type_id, page_id, original_page_id = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model.objects.filter(pk=page_id).first() if model is not None else None
        if page is None:
            return None
        page.original_page_id = original_page_id
    if page is not None:
        # A form page that looks up its event (e.g. for its closing date) finds this one
        # here instead of querying its parent.
        page.parent_event = event
    return page


def _find_registration_page(event, models):
    """(content type id, id, its translations' original's id) of the form under `event`,
    or None. Kept in the page cache: which form an event has, and whether it is live and
    public, change only with a publish or a restriction, which start a new epoch. (The
    form itself still checks its restrictions when it is visited.)"""
    models = form_page_models() if models is None else models
    if not models:
        return None
    page = _form_children(models).child_of(event).first()
    if page is None:
        return None
    original = Page.objects.filter(translation_key=page.translation_key).order_by("pk").first()
    return page.content_type_id, page.pk, original.pk if original is not None else page.pk


def opening(form_page):
    """When registration opens on `form_page` (aware), or None: the form's source page's
    `opens_at`, read duck-typed (a translation's copy catches up only when synced)."""
    if form_page is None:
        return None
    source_of = getattr(form_page, "source_page", None)
    source = source_of() if callable(source_of) else form_page
    return getattr(source, "opens_at", None)


def availability(form_page):
    """The form page's `Availability`, or None when there is no form."""
    if form_page is None:
        return None
    method = getattr(form_page, "registration_availability", None)
    if not callable(method):
        return Availability.OPEN
    state = method()
    return Availability(state) if state in Availability.values else Availability.OPEN

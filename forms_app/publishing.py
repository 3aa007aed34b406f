"""What publishing and deleting pages mean for registrations.

- Publishing a form's source page with more places (or no limit) hands the new places to
  the waiting list at once, earliest first, whoever publishes (an editor in the admin or
  the scheduler): `promote_after_publish`, connected to `page_published` in apps.py.
- A page whose subtree holds registrations is not deleted: `Registration.page` protects
  them (registrations go only through the privacy tools), and Wagtail would answer the
  editor with a server error. The admin's delete views ask first (the `before_delete_page`
  and `before_bulk_action` hooks in wagtail_hooks.py) and refuse with a message that says
  why and what to do instead.
"""

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page

from . import services
from .models import Registration, RegistrationStatus


def promote_after_publish(sender, instance, **kwargs):
    """`page_published` receiver for form pages: fill free places from the waiting list.
    Places and registrations belong to the source page, so its publication decides."""
    if not instance.live:
        return  # scheduled for later: the new capacity is not in force yet
    source = instance.source_page()
    if source.pk != instance.pk:
        return
    waiting = Registration.objects.filter(page_id=source.pk, status=RegistrationStatus.WAITLISTED)
    if not waiting.exists():
        return
    if source.seats_left() == 0:
        return  # every pool is full (None: some pool has no limit)
    # Locks the pool, promotes as many as fit and queues their emails (sent after commit).
    services.fill_from_waiting_list(source)


# Deleting -------------------------------------------------------------------------------


def registrations_below(pages):
    """[(form page title, number of registrations)] held by `pages` and their descendants,
    in tree order."""
    subtrees = Q()
    for page in pages:
        subtrees |= Q(page__path__startswith=page.path)
    if not subtrees:
        return []
    rows = (
        Registration.objects.filter(subtrees)
        .values("page__path", "page__title")
        .annotate(count=Count("pk"))
        .order_by("page__path")
    )
    return [(row["page__title"], row["count"]) for row in rows]


def refusal_message(page, held):
    forms = "”, “".join(title for title, _count in held)
    count = sum(count for _title, count in held)
    return " ".join(
        [
            ngettext(
                "“%(page)s” was not deleted: %(count)d registration belongs to the "
                "registration form “%(form)s”.",
                "“%(page)s” was not deleted: %(count)d registrations belong to the "
                "registration form “%(form)s”.",
                count,
            )
            % {"page": page.get_admin_display_title(), "count": count, "form": forms},
            _(
                "Registrations are removed only through the privacy tools, never with "
                "their page. To take the page off the site, unpublish it instead."
            ),
        ]
    )


def _deleted_with(page):
    """The page and the translations Wagtail's delete view deletes with it."""
    pages = [page]
    if settings.WAGTAIL_I18N_ENABLED:
        for fn in hooks.get_hooks("construct_translated_pages_to_cascade_actions"):
            result = fn([page], "delete")
            if isinstance(result, dict):
                for more in result.values():
                    pages.extend(more)
    return pages


def refuse_page_deletion(request, page):
    """`before_delete_page`: on the confirmation page and on the delete itself."""
    held = registrations_below(_deleted_with(page))
    if not held:
        return None
    messages.error(request, refusal_message(page, held))
    # Back where the editor came from: the listing they deleted from, or the page.
    next_url = get_valid_next_url_from_request(request)
    return redirect(next_url) if next_url else redirect("wagtailadmin_pages:edit", page.pk)


def refuse_bulk_deletion(request, action_type, objects, action):
    """`before_bulk_action`: nothing of a bulk delete happens if any page holds
    registrations."""
    if action_type != "delete":
        return None
    pages = [obj for obj in objects if isinstance(obj, Page)]
    for page in pages:
        held = registrations_below([page])
        if held:
            messages.error(request, _("Nothing was deleted.") + " " + refusal_message(page, held))
            return redirect(action.next_url)
    return None

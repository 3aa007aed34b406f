"""The registrations audit trail, kept in Wagtail's own audit log.

Who exported a form's registrations (CSV or XLSX, with the filters and the number of rows)
or downloaded their badges (the format, the filters and the number of badges),
cancelled one, sent one its details again or deleted some in the admin, undid a check-in,
added a walk-in or corrected a name or address at the door (`forms_app.checkin`), and what the
privacy commands did (`export_person`, `forget_person`, `purge_registrations`), is logged
as a `PageLogEntry` of the form's source page. A data-protection officer reads it in
Reports > Site history (filter by action) or in the form page's History; the actions are
labelled by the `register_log_actions` hook (wagtail_hooks.py). A command's entries have
no user ("system").

Entries hold ids, counts and filter values only, never a name, an email address, an
answer or a search text: the label is the form page's title, and a deleted person's
name does not survive in the log."""

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log as wagtail_log

EXPORTED = "forms_app.export_registrations"
CANCELLED = "forms_app.cancel_registration"
RESENT = "forms_app.resend_registration_email"
DELETED = "forms_app.delete_registrations"
PERSON_EXPORTED = "forms_app.export_person"
PERSON_ERASED = "forms_app.forget_person"
PURGED = "forms_app.purge_registrations"
BADGES = "forms_app.download_badges"
CHECK_IN_UNDONE = "forms_app.undo_check_in"
WALK_IN = "forms_app.add_walk_in"
CORRECTED = "forms_app.correct_registration"


def record(form_page, action, *, user=None, **data):
    """Log `action` on `form_page` (a source registration form page). `data` must hold
    ids, counts and filter values only."""
    return wagtail_log(form_page, action, user=user, data=data)


def _ids(values):
    return ", ".join(str(value) for value in values or ())


def _with_filters(message, data):
    """`message`, followed by the list filters and whether a search narrowed it."""
    filters = [f"{name}: {value}" for name, value in (data.get("filters") or {}).items()]
    if data.get("searched"):
        filters.append(gettext("a search"))
    if not filters:
        return message
    return gettext("%(message)s; filtered by %(filters)s") % {
        "message": message,
        "filters": ", ".join(filters),
    }


class ExportedFormatter(LogFormatter):
    label = _("Export registrations")

    def format_message(self, log_entry):
        data = log_entry.data
        file_format = str(data.get("format", "")).upper()
        rows = data.get("rows")
        if rows is None:
            message = gettext("Started an export of registrations as %(format)s (not finished)") % {
                "format": file_format
            }
        else:
            message = ngettext(
                "Exported %(count)s registration as %(format)s",
                "Exported %(count)s registrations as %(format)s",
                rows,
            ) % {"count": rows, "format": file_format}
        return _with_filters(message, data)


class CancelledFormatter(LogFormatter):
    label = _("Cancel a registration")

    def format_message(self, log_entry):
        data = log_entry.data
        if data.get("by_registrant"):
            message = gettext("Registration %(id)s cancelled by the registrant") % {
                "id": data.get("registration")
            }
        else:
            message = gettext("Cancelled registration %(id)s") % {"id": data.get("registration")}
        if data.get("promoted"):
            message = gettext("%(message)s; registration %(promoted)s got the place") % {
                "message": message,
                "promoted": data["promoted"],
            }
        return message


class ResentFormatter(LogFormatter):
    label = _("Resend a registration's details")

    def format_message(self, log_entry):
        return gettext("Sent registration %(id)s its details again") % {
            "id": log_entry.data.get("registration")
        }


class ErasedFormatter(LogFormatter):
    """Deletions in the admin and by `forget_person`: the same path, told apart."""

    def counted(self, count):
        raise NotImplementedError

    def format_message(self, log_entry):
        data = log_entry.data
        message = self.counted(data.get("count", 0)) % {
            "count": data.get("count", 0),
            "ids": _ids(data.get("registrations")),
        }
        if data.get("promoted"):
            message = gettext("%(message)s; moved up from the waiting list: %(ids)s") % {
                "message": message,
                "ids": _ids(data["promoted"]),
            }
        return message


class DeletedFormatter(ErasedFormatter):
    label = _("Delete registrations")

    def counted(self, count):
        return ngettext(
            "Deleted %(count)s registration (%(ids)s)",
            "Deleted %(count)s registrations (%(ids)s)",
            count,
        )


class PersonErasedFormatter(ErasedFormatter):
    label = _("Erase a person's registrations (privacy request)")

    def counted(self, count):
        return ngettext(
            "Erased %(count)s registration of one person on request (%(ids)s)",
            "Erased %(count)s registrations of one person on request (%(ids)s)",
            count,
        )


class PersonExportedFormatter(LogFormatter):
    label = _("Export a person's data (privacy request)")

    def format_message(self, log_entry):
        data = log_entry.data
        return gettext("Exported the data of registrations %(ids)s") % {
            "ids": _ids(data.get("registrations"))
        }


class PurgedFormatter(LogFormatter):
    label = _("Purge registrations of a past event")

    def format_message(self, log_entry):
        data = log_entry.data
        count = data.get("count", 0)
        return ngettext(
            "Deleted %(count)s registration of an event ended more than %(days)s days ago",
            "Deleted %(count)s registrations of an event ended more than %(days)s days ago",
            count,
        ) % {"count": count, "days": data.get("days")}


class CheckInUndoneFormatter(LogFormatter):
    label = _("Undo a check-in")

    def format_message(self, log_entry):
        data = log_entry.data
        return gettext("Undid the check-in of registration %(id)s on %(day)s") % {
            "id": data.get("registration"),
            "day": data.get("day"),
        }


class WalkInFormatter(LogFormatter):
    label = _("Add a walk-in")

    def format_message(self, log_entry):
        return gettext("Added registration %(id)s at the door") % {
            "id": log_entry.data.get("registration")
        }


class CorrectedFormatter(LogFormatter):
    label = _("Correct a registrant's name or email")

    def format_message(self, log_entry):
        data = log_entry.data
        # Field names only ("name", "email"), never their old or new values.
        return gettext("Corrected %(fields)s of registration %(id)s") % {
            "fields": ", ".join(data.get("fields") or ()),
            "id": data.get("registration"),
        }


class BadgesFormatter(LogFormatter):
    label = _("Download badges")

    def format_message(self, log_entry):
        data = log_entry.data
        count = data.get("count", 0)
        message = ngettext(
            "Downloaded %(count)s badge (%(format)s)",
            "Downloaded %(count)s badges (%(format)s)",
            count,
        ) % {"count": count, "format": str(data.get("format", "")).upper()}
        return _with_filters(message, data)


FORMATTERS = {
    EXPORTED: ExportedFormatter,
    CANCELLED: CancelledFormatter,
    RESENT: ResentFormatter,
    DELETED: DeletedFormatter,
    PERSON_EXPORTED: PersonExportedFormatter,
    PERSON_ERASED: PersonErasedFormatter,
    PURGED: PurgedFormatter,
    BADGES: BadgesFormatter,
    CHECK_IN_UNDONE: CheckInUndoneFormatter,
    WALK_IN: WalkInFormatter,
    CORRECTED: CorrectedFormatter,
}


def register_actions(actions):
    """For the `register_log_actions` hook."""
    for action, formatter in FORMATTERS.items():
        actions.register_action(action)(formatter)

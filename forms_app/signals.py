"""Signals other apps may listen to without forms_app knowing about them."""

from django.dispatch import Signal

# Sent after the transaction commits when what a form's event page says about it may have
# changed: the form filled up (no waiting list) or a seat became free again, or the
# waiting list moved. `page_id` is the source-language form page's id. Not sent for a
# registration that leaves the availability as it was, so a busy form does not keep
# emptying the page cache.
availability_changed = Signal()

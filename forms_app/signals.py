"""Signals other apps may listen to without forms_app knowing about them."""

from django.dispatch import Signal

# Sent after the transaction commits whenever a registration takes or frees a confirmed
# or waitlisted seat of a form: `page_id` is the source-language form page's id. The page
# cache (home.page_cache) refreshes the event page above it, which shows availability.
seats_changed = Signal()

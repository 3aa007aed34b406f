"""Slow work that runs outside the request, through django-tasks (immediate in development
and tests, a worker process in production)."""

from django_tasks import task


@task()
def send_outgoing_email(email_id):
    from .emails import deliver

    deliver(email_id)

from django.core.management.base import BaseCommand

from forms_app.privacy import forget_person


class Command(BaseCommand):
    help = (
        "Erase every registration of the person with this email address (a confirmed place "
        "is cancelled first, so the waiting list moves up), as deleting it in the admin "
        "does. Written to the audit log (registration ids only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        count = forget_person(email)
        self.stdout.write(f"Erased {count} registration(s).")

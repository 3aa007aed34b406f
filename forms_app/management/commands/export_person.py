import json

from django.core.management.base import BaseCommand

from forms_app.privacy import export_person


class Command(BaseCommand):
    help = (
        "Print, as JSON, everything stored about the person with this email address. "
        "Written to the audit log (registration ids only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        data = export_person(email)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

"""Re-seal the stored passport details of visa letter requests under the first key of
VISA_DATA_KEYS, after a new key was put first (`forms_app.visa.rotate`). Once it has run,
the old key may be dropped from VISA_DATA_KEYS. Safe to run twice: a token already under
the first key is re-sealed under it again."""

from django.core.management.base import BaseCommand, CommandError

from forms_app import visa


class Command(BaseCommand):
    help = (
        "Re-seal visa letter requests' passport details under the first key of "
        "VISA_DATA_KEYS (key rotation); then the old key can be removed."
    )

    def handle(self, *args, **options):
        if not visa.available():
            raise CommandError("VISA_DATA_KEYS holds no key: nothing can be re-sealed.")
        count = visa.rotate()
        self.stdout.write(f"Re-sealed the details of {count} visa letter request(s).")

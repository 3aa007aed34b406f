import importlib
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Load the demo content: pages, events, registration forms and demo users, in every "
        "site language. Idempotent: running it again changes nothing."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            # Each project app may have a `demo` module with `load(out)`; apps are loaded in
            # INSTALLED_APPS order, so events can build on the home pages, and so on.
            for app_config in apps.get_app_configs():
                if not str(app_config.path).startswith(str(settings.BASE_DIR)):
                    continue
                try:
                    module = importlib.import_module(f"{app_config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app_config.name}.demo":
                        raise
                    continue
                module.load(self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready in {time.monotonic() - started:.1f} s.")
        )

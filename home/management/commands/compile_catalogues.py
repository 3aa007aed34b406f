from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Compile every .po message catalogue (site/locale and the apps' locale folders) to "
        ".mo with polib, so no system gettext is needed."
    )

    def handle(self, *args, **options):
        folders = [Path(p) for p in settings.LOCALE_PATHS]
        folders += [
            Path(settings.BASE_DIR) / app / "locale" for app in ("home", "events", "forms_app")
        ]
        compiled = 0
        for folder in folders:
            for po_path in sorted(folder.glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        self.stdout.write(f"Compiled {compiled} message catalogue(s).")

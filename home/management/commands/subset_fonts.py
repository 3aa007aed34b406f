"""`manage.py subset_fonts`: the Urdu web font subset to the characters the site uses
(home/fonts.py). Run it after adding Urdu text with letters the site has not used yet;
the test tests/test_font_subset.py fails until then."""

import logging
import shutil

from django.core.management.base import BaseCommand

from home import fonts


class Command(BaseCommand):
    help = "Subset the Noto Nastaliq Urdu web font files to the characters the site uses."

    def handle(self, *args, **options):
        logging.getLogger("fontTools").setLevel(logging.WARNING)
        characters = fonts.wanted_characters()
        for name in fonts.FILES:
            source, target = fonts.SOURCE_DIR / name, fonts.TARGET_DIR / name
            fonts.subset(source, target, characters)
            self.stdout.write(
                f"{name}: {source.stat().st_size // 1024} KB -> {target.stat().st_size // 1024} KB"
                f" ({len(characters)} characters)"
            )
        shutil.copyfile(fonts.SOURCE_DIR / fonts.LICENCE, fonts.TARGET_DIR / fonts.LICENCE)

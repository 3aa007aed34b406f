"""The Urdu web font, subset to what the site writes (`manage.py subset_fonts`).

Noto Nastaliq Urdu's Arabic-script files are ~160 KB a weight and block the first paint
of Urdu pages. The full files (from @fontsource/noto-nastaliq-urdu 5.3.0, font version
3.007, SIL Open Font License: site/fonts/OFL-NotoNastaliqUrdu.txt) stay in site/fonts/,
outside the static files; the subset written to site/static/fonts/ under the same names
keeps:

- every Arabic-script character in the Urdu catalogues (site/, home/, events/,
  forms_app/ `locale/ur`) and in the demo content and other source text of the apps;
- the Urdu alphabet (letters, the Urdu-specific forms, the common diacritics), so that
  an editor's text in the admin is covered even when no catalogue uses a letter yet
  (the site's own text uses 50 characters; the alphabet costs ~5 KB a weight more);
- Arabic punctuation (، ؛ ؟ ۔ ٪ ٫ ٬ ﴾ ﴿), Arabic-Indic and extended (Urdu) digits, and
  the joiners and direction marks (ZWNJ, ZWJ, LRM, RLM, ALM);
- the OpenType layout features Nastaliq needs (every feature: its joining, cursive
  attachment and mark positioning are all layout).

PDFs (tickets, badges, certificates: forms_app/pdf.py) do not use these files: WeasyPrint
takes "Noto Nastaliq Urdu" from the system (Debian's fonts-noto-core), full.
"""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SOURCE_DIR = ROOT / "site" / "fonts"
TARGET_DIR = ROOT / "site" / "static" / "fonts"
FILES = ("noto-nastaliq-urdu-arabic-400-normal.woff2", "noto-nastaliq-urdu-arabic-700-normal.woff2")
LICENCE = "OFL-NotoNastaliqUrdu.txt"

# Where the site's Urdu text is: catalogues and the apps' source (demo content).
TEXT_DIRS = ("site", "home", "events", "forms_app")
TEXT_SUFFIXES = {".po", ".py", ".html", ".txt"}
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")

URDU_ALPHABET = (
    "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"  # Arabic letters Urdu shares
    "ٹپچڈڑژکگںھہۂۃیےۓ"  # Urdu's own letters
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0654\u0656\u0670"  # diacritics
)
PUNCTUATION_AND_DIGITS = (
    "،؛؟۔٪٫٬﴾﴿ـ"  # Arabic comma, semicolon, question mark, full stop, percent, separators
    "٠١٢٣٤٥٦٧٨٩"  # Arabic-Indic digits
    "۰۱۲۳۴۵۶۷۸۹"  # extended (Urdu) digits
    "\u200c\u200d\u200e\u200f\u061c"  # ZWNJ, ZWJ, LRM, RLM, ALM
)


def site_characters():
    """Every Arabic-script character in the site's text files."""
    found = set()
    for directory in TEXT_DIRS:
        for path in (ROOT / directory).rglob("*"):
            if (
                path.suffix in TEXT_SUFFIXES
                and path.is_file()
                and "migrations" not in path.parts
                and path.resolve() != Path(__file__).resolve()  # its own lists below
            ):
                found.update(
                    ARABIC_SCRIPT.findall(path.read_text(encoding="utf-8", errors="ignore"))
                )
    return found


def urdu_catalogue_characters():
    """The Arabic-script characters of the Urdu message catalogues (what the test checks)."""
    found = set()
    for directory in TEXT_DIRS:
        for path in (ROOT / directory).glob("**/locale/ur/LC_MESSAGES/*.po"):
            found.update(ARABIC_SCRIPT.findall(path.read_text(encoding="utf-8")))
    return found


def wanted_characters():
    return site_characters() | set(URDU_ALPHABET) | set(PUNCTUATION_AND_DIGITS)


def subset(source, target, characters):
    """Write the subset of `source` with `characters` (and every layout feature) to
    `target` as WOFF2."""
    from fontTools import subset as fontsubset

    options = fontsubset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False  # no hinting instructions in these files; keep it small
    font = fontsubset.load_font(str(source), options)
    subsetter = fontsubset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in characters))
    subsetter.subset(font)
    fontsubset.save_font(font, str(target), options)


def cmap_characters(path):
    from fontTools.ttLib import TTFont

    return {chr(code) for code in TTFont(str(path)).getBestCmap()}

"""The Urdu web font is subset (`manage.py subset_fonts`, home/fonts.py) and the subset is
up to date: it has every character of the Urdu catalogues and of the site's Urdu text,
and nothing the site does not ask for; the full files and the licence are kept."""

import pytest

from home import fonts


@pytest.fixture(scope="module")
def subsets():
    return {name: fonts.cmap_characters(fonts.TARGET_DIR / name) for name in fonts.FILES}


def test_every_character_of_the_urdu_catalogues_is_in_the_subset(subsets):
    catalogue = fonts.urdu_catalogue_characters()
    assert len(catalogue) > 30  # the catalogues were read
    for name, characters in subsets.items():
        missing = catalogue - characters
        assert not missing, f"{name} lacks {sorted(missing)}: run manage.py subset_fonts"


def test_the_subset_is_what_the_command_makes_now(subsets):
    """The site's Urdu text (demo content included), the alphabet, punctuation and digits:
    all that the full font has of them, and no more (else: manage.py subset_fonts)."""
    wanted = fonts.wanted_characters()
    for name, characters in subsets.items():
        full = fonts.cmap_characters(fonts.SOURCE_DIR / name)
        assert not characters - wanted, sorted(characters - wanted)
        assert characters >= wanted & full, sorted((wanted & full) - characters)


def test_the_subset_is_smaller_and_the_licence_is_kept():
    for name in fonts.FILES:
        full = (fonts.SOURCE_DIR / name).stat().st_size
        subset = (fonts.TARGET_DIR / name).stat().st_size
        assert subset < 0.7 * full, (name, subset, full)
    licence = (fonts.SOURCE_DIR / fonts.LICENCE).read_text()
    assert "SIL OPEN FONT LICENSE" in licence.upper()
    assert (fonts.TARGET_DIR / fonts.LICENCE).read_text() == licence


def test_the_css_loads_the_subset_without_blocking_and_with_metrics():
    css = (fonts.ROOT / "site" / "static" / "css" / "site.css").read_text()
    for name in fonts.FILES:
        block = css[css.index(name) - 400 : css.index(name) + 400]
        assert "font-display: swap" in block
        assert "ascent-override" in block and "descent-override" in block
    assert "size-adjust" in css and '"Noto Nastaliq Urdu Fallback"' in css

"""Demo images drawn locally with Pillow, so loading the demo needs no network."""

import io
import math

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model


def _draw(width, height, base, accent, seed):
    image = PILImage.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(image)
    # Soft diagonal bands and circles: an abstract banner in the site's colours.
    for i in range(0, width + height, 60):
        shade = tuple(min(255, c + (i * 7 + seed * 13) % 40) for c in base)
        draw.line([(i, 0), (i - height, height)], fill=shade, width=30)
    for k in range(6):
        r = 40 + (seed * 17 + k * 29) % 120
        x = int(width * (0.1 + 0.15 * k))
        y = int(height * (0.5 + 0.3 * math.sin(seed + k)))
        draw.ellipse([x - r, y - r, x + r, y + r], outline=accent, width=6)
    return image


def demo_image(title, *, base=(7, 63, 51), accent=(242, 169, 0), seed=1, size=(1600, 900)):
    """The image with this title, drawn and saved the first time it is asked for."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing, False
    buffer = io.BytesIO()
    _draw(*size, base, accent, seed).save(buffer, format="PNG", optimize=True)
    name = title.lower().replace(" ", "-")[:40] + ".png"
    image = Image(title=title, file=ImageFile(buffer, name=name))
    image.save()
    return image, True

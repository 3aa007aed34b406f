"""Demo images drawn locally with Pillow, so loading the demo needs no network.

Illustrations after Kashmiri textiles in the site's palette: rows of boteh (paisley) as on
a Kashmir shawl, falling chinar leaves, a border of small boteh. Each title draws its own
composition (motif, ground, arrangement and scale come from a hash of the title), so no
two image slots show the same picture. Partner logos are simple wordmarks."""

import hashlib
import io
import math
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

# The palette of site.css: chinar green, deep green, chinar red, saffron, cream, walnut.
GREEN = (11, 93, 75)
DEEP = (7, 63, 51)
RED = (163, 50, 31)
SAFFRON = (242, 177, 52)
CREAM = (247, 242, 232)
WALNUT = (107, 66, 38)
INDIGO = (61, 79, 138)

GROUNDS = [DEEP, GREEN, RED, INDIGO, (39, 44, 54), CREAM]
FONT = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"


def _rng(title):
    return random.Random(int.from_bytes(hashlib.sha256(title.encode()).digest()[:8], "big"))


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _bezier(p0, p1, p2, steps=24):
    return [
        (
            (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t**2 * p2[0],
            (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t**2 * p2[1],
        )
        for t in (i / steps for i in range(steps + 1))
    ]


def _boteh_outline(size, shrink=1.0):
    """A boteh around (0, 0): a round body whose top narrows into a tip that curls over."""
    s = size * shrink
    body = [
        (s * 0.62 * math.cos(math.radians(a)), s * 0.62 * math.sin(math.radians(a)))
        for a in range(0, 181, 6)
    ]
    # Up the left side to the tip, which curls to the right, and back down the right side.
    up = _bezier((-s * 0.62, 0), (-s * 0.75, -s * 1.0), (s * 0.05, -s * 1.35))
    curl = _bezier((s * 0.05, -s * 1.35), (s * 0.55, -s * 1.45), (s * 0.45, -s * 1.1))
    down = _bezier((s * 0.45, -s * 1.1), (s * 0.15, -s * 0.85), (s * 0.62, 0))
    return body + up + curl + down


def _place(points, cx, cy, angle, dy=0.0):
    ca, sa = math.cos(angle), math.sin(angle)
    return [(cx + x * ca - (y + dy) * sa, cy + x * sa + (y + dy) * ca) for x, y in points]


def _boteh(draw, cx, cy, size, angle, fill, outline, inner):
    """A boteh (paisley) with an inner drop and a crown of dots, as on a shawl."""
    size = max(6, size)
    draw.polygon(
        _place(_boteh_outline(size), cx, cy, angle),
        fill=fill,
        outline=outline,
        width=max(2, size // 14),
    )
    draw.polygon(
        _place(_boteh_outline(size, 0.5), cx, cy, angle, dy=size * 0.1),
        fill=inner,
        outline=outline,
        width=max(1, size // 24),
    )
    r = max(2, size // 12)
    for j in range(7):
        t = math.radians(190 + j * 26)
        x, y = math.cos(t) * size * 0.8, math.sin(t) * size * 0.8 + size * 0.05
        ((px, py),) = _place([(x, y)], cx, cy, angle)
        draw.ellipse([px - r, py - r, px + r, py + r], fill=outline)


def _chinar(draw, cx, cy, size, angle, fill, vein):
    """A chinar (plane tree) leaf: five pointed lobes, a stalk and veins."""
    points = []
    lobes = 5
    for k in range(0, 360, 3):
        t = math.radians(k)
        lobe = abs(math.cos(lobes * t / 2))
        r = size * (0.45 + 0.55 * lobe**2.5)
        # The leaf is wider at the top than at the stalk.
        if math.sin(t) > 0.6:
            r *= 0.55
        points.append((cx + r * math.cos(t + angle), cy + r * math.sin(t + angle)))
    draw.polygon(points, fill=fill)
    for j in range(lobes):
        t = angle - math.pi / 2 + (j - 2) * (2 * math.pi / lobes) * 0.6
        draw.line(
            [(cx, cy), (cx + size * 0.85 * math.cos(t), cy + size * 0.85 * math.sin(t))],
            fill=vein,
            width=max(2, size // 18),
        )
    stalk = angle + math.pi / 2
    draw.line(
        [(cx, cy), (cx + size * 0.7 * math.cos(stalk), cy + size * 0.7 * math.sin(stalk))],
        fill=vein,
        width=max(3, size // 12),
    )


def _border(draw, width, height, y, colour, accent, scale):
    draw.rectangle([0, y, width, y + scale * 1.6], fill=colour)
    step = int(scale * 1.8)
    for x in range(step // 2, width, step):
        _boteh(draw, x, y + scale * 0.8, int(scale * 0.55), 0.0, accent, colour, colour)


def _draw(width, height, title):
    rng = _rng(title)
    ground = rng.choice(GROUNDS)
    light = ground == CREAM
    motif_colours = [SAFFRON, RED, GREEN, CREAM, WALNUT, INDIGO]
    motif_colours = [c for c in motif_colours if c != ground]
    image = PILImage.new("RGB", (width, height), ground)
    draw = ImageDraw.Draw(image)
    # A soft field: diagonal lozenges (the shawl's woven ground), slightly lighter.
    lattice = _mix(ground, (255, 255, 255) if not light else WALNUT, 0.08)
    step = rng.choice([60, 80, 100])
    for x in range(-height, width + height, step):
        draw.line([(x, 0), (x + height, height)], fill=lattice, width=2)
        draw.line([(x, height), (x + height, 0)], fill=lattice, width=2)

    composition = rng.choice(["boteh-rows", "chinar-fall", "medallion"])
    scale = rng.randint(55, 95) * max(width, height) // 1600
    if composition == "boteh-rows":
        rows = range(int(scale * 1.2), height + scale, int(scale * 2.3))
        for row, y in enumerate(rows):
            offset = (row % 2) * scale * 1.2
            for x in range(int(-scale + offset), width + scale, int(scale * 2.4)):
                fill = motif_colours[(row + x // 97) % len(motif_colours)]
                _boteh(
                    draw,
                    x,
                    y,
                    scale,
                    math.radians(15 if row % 2 else -15),
                    fill,
                    SAFFRON if fill != SAFFRON else RED,
                    ground,
                )
    elif composition == "chinar-fall":
        for _ in range(rng.randint(9, 16)):
            size = int(scale * rng.uniform(0.9, 2.2))
            x, y = rng.randint(0, width), rng.randint(0, height)
            colour = rng.choice([RED, SAFFRON, _mix(RED, SAFFRON, 0.5), WALNUT])
            if colour == ground:
                colour = SAFFRON
            _chinar(draw, x, y, size, rng.uniform(-0.8, 0.8), colour, _mix(colour, ground, 0.45))
    else:
        # A central medallion of boteh turning around a ring, as on a shawl's centre.
        cx, cy = width // 2 + rng.randint(-width // 6, width // 6), height // 2
        ring = min(width, height) * 0.3
        draw.ellipse(
            [cx - ring * 1.45, cy - ring * 1.45, cx + ring * 1.45, cy + ring * 1.45],
            outline=SAFFRON,
            width=max(4, scale // 10),
        )
        count = rng.choice([6, 8, 10])
        for k in range(count):
            t = 2 * math.pi * k / count
            _boteh(
                draw,
                cx + ring * math.cos(t),
                cy + ring * math.sin(t),
                int(scale * 0.9),
                t + math.pi / 2,
                motif_colours[k % 3],
                SAFFRON if motif_colours[k % 3] != SAFFRON else RED,
                ground,
            )
        _chinar(
            draw,
            cx,
            cy,
            int(ring * 0.55),
            0.0,
            RED if ground != RED else SAFFRON,
            SAFFRON if ground != RED else RED,
        )
    # A shawl's border at the foot (and the head when the image is tall enough).
    band = max(18, scale // 2)
    border_colour = RED if ground != RED else DEEP
    _border(draw, width, height, height - band * 1.6, border_colour, SAFFRON, band)
    if height > 700:
        _border(draw, width, height, 0, border_colour, SAFFRON, band)
    return image


def wordmark(name, *, size=(640, 240), colour=GREEN, accent=SAFFRON):
    """A partner's logo as a simple wordmark: a boteh mark and the name in Noto Sans."""
    width, height = size
    image = PILImage.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    mark = height // 3
    _boteh(draw, mark + 20, height // 2, mark, math.radians(-20), accent, colour, (255, 255, 255))
    words = name.split()
    lines = [" ".join(words[: (len(words) + 1) // 2]), " ".join(words[(len(words) + 1) // 2 :])]
    lines = [line for line in lines if line]
    font_size = 52 if len(lines) == 1 else 44
    try:
        font = ImageFont.truetype(FONT, font_size)
    except OSError:
        font = ImageFont.load_default()
    x = mark * 2 + 40
    total = len(lines) * font_size * 1.15
    y = (height - total) / 2
    for line in lines:
        draw.text((x, y), line, font=font, fill=colour)
        y += font_size * 1.15
    return image


def _save(title, picture, ext="png"):
    Image = get_image_model()
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    name = title.lower().replace(" ", "-")[:40] + "." + ext
    image = Image(title=title, file=ImageFile(buffer, name=name))
    image.save()
    return image


def draw_image(title, size=(1600, 900)):
    """The Pillow image drawn for `title` (not saved): the same title draws the same
    picture, different titles different ones."""
    return _draw(*size, title)


def demo_image(title, *, seed=None, size=(1600, 900), **_ignored):
    """The image with this title, drawn and saved the first time it is asked for. (`seed`
    and colour arguments of the earlier striped placeholder are accepted and ignored: the
    title chooses the picture.)"""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing, False
    return _save(title, draw_image(title, size)), True


def demo_logo(name):
    """A partner's wordmark logo in the image library, made once."""
    title = f"Logo: {name}"
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing, False
    return _save(title, wordmark(name)), True

"""Draw the skill's icons: ``interaction_model/assets/images/icon-108.png`` and ``-512.png``.

Alexa's skill icons are PNGs of exactly 108 x 108 and 512 x 512 pixels, referenced from
``skill.json`` (``smallIconUri``, ``largeIconUri``); ask-cli uploads ``file://assets/...``
with the skill package. Shapes only (no font, so every machine draws the same picture): a
straightened leg with the toes pulled back, the relief stretch, inside a countdown ring.
Drawn at 1024 px and scaled down, for smooth edges at both sizes.

Run after changing the drawing (needs Pillow, in the ``dev`` extra):
``.venv/bin/python tools/icons/draw.py``; ``tests/test_skill_package.py`` checks the committed
files are what this draws.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "interaction_model" / "assets" / "images"
SIZES = {"icon-108.png": 108, "icon-512.png": 512}
CANVAS = 1024
TOP, BOTTOM = (14, 124, 134), (22, 58, 110)  # teal to deep blue
WHITE = (255, 255, 255)
AMBER = (255, 200, 87)


def _round_line(draw: ImageDraw.ImageDraw, points: list[tuple[int, int]], width: int) -> None:
    draw.line(points, fill=WHITE, width=width, joint="curve")
    r = width // 2
    for x, y in (points[0], points[-1]):
        draw.ellipse((x - r, y - r, x + r, y + r), fill=WHITE)


def picture() -> Image.Image:
    """The icon at :data:`CANVAS` pixels."""
    image = Image.new("RGB", (CANVAS, CANVAS))
    draw = ImageDraw.Draw(image)
    for y in range(CANVAS):  # vertical gradient
        t = y / (CANVAS - 1)
        draw.line(
            [(0, y), (CANVAS, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(TOP, BOTTOM, strict=True)),
        )
    # The countdown ring: most of a circle, the rest still to run.
    ring = (142, 142, CANVAS - 142, CANVAS - 142)
    draw.arc(ring, start=-90, end=210, fill=WHITE, width=48)
    draw.arc(ring, start=210, end=270, fill=(120, 170, 200), width=48)
    # A person sitting with the leg straight, reaching for the toes, which are pulled back
    # toward the body: the relief stretch.
    hip, shoulder, heel, toes = (300, 660), (400, 440), (740, 660), (790, 540)
    _round_line(draw, [hip, heel], 92)  # the straightened leg
    _round_line(draw, [heel, toes], 64)  # the foot, toes pulled back
    _round_line(draw, [hip, shoulder], 92)  # the back, leaning forward
    _round_line(draw, [shoulder, (560, 560), (700, 560)], 56)  # the arm, reaching
    draw.ellipse((300, 270, 440, 410), fill=WHITE)  # the head
    # The pull: an amber arrow over the foot, toward the body.
    draw.arc((670, 390, 870, 590), start=200, end=330, fill=AMBER, width=30)
    draw.polygon([(640, 430), (712, 440), (668, 505)], fill=AMBER)
    return image


def render(size: int) -> bytes:
    """The PNG bytes of the icon at ``size`` pixels (optimised, no metadata)."""
    small = picture().resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size in SIZES.items():
        (OUT / name).write_bytes(render(size))
        print(f"wrote {OUT / name} ({size}x{size})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

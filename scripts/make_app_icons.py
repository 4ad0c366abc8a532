"""Draw the mobile app's icons (server/web/static/icons/): the extension's shield with a tick,
at the sizes a PWA needs, plus a maskable one with the safe-zone padding. Run by hand after a
design change (Pillow): python scripts/make_app_icons.py"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "server" / "web" / "static" / "icons"
BLUE, LIGHT, WHITE = (31, 111, 235), (66, 140, 245), (255, 255, 255)


def shield(size: int, scale: float, background: tuple | None) -> Image.Image:
    big = size * 4  # draw large, then downsample for smooth edges
    image = Image.new("RGBA", (big, big), background + (255,) if background else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    s = big * scale
    ox = oy = (big - s) / 2

    def p(x: float, y: float) -> tuple[float, float]:
        return ox + x * s, oy + y * s

    outline = [p(0.5, 0.04), p(0.9, 0.18), p(0.9, 0.48), p(0.82, 0.68), p(0.66, 0.85), p(0.5, 0.96),
               p(0.34, 0.85), p(0.18, 0.68), p(0.1, 0.48), p(0.1, 0.18)]
    draw.polygon(outline, fill=BLUE)
    draw.polygon([p(0.5, 0.04), p(0.9, 0.18), p(0.9, 0.48), p(0.82, 0.68), p(0.66, 0.85), p(0.5, 0.96)], fill=LIGHT)
    draw.line([p(0.3, 0.5), p(0.45, 0.65), p(0.72, 0.36)], fill=WHITE, width=int(s * 0.09), joint="curve")
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        shield(size, 0.92, None).save(OUT / f"icon-{size}.png", optimize=True)
    # Maskable: the launcher may cut a circle out of it; the shield stays in the inner 80%.
    shield(512, 0.66, WHITE).save(OUT / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()

"""Draw the app icon once: a white five-pointed star in a ring on the accent blue (no fonts, no sources)."""
import math
from pathlib import Path
from PIL import Image, ImageDraw

BLUE, WHITE = "#1455a5", "#ffffff"
OUT = Path("static/icons")


def star(cx, cy, outer, inner):
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        a = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return points


def png(size):
    big = size * 4  # drawn large, then shrunk: smooth edges
    image = Image.new("RGBA", (big, big), BLUE)  # full bleed: "maskable" on Android
    draw = ImageDraw.Draw(image)
    c = big / 2
    ring, width = big * 0.33, big * 0.045
    draw.ellipse((c - ring, c - ring, c + ring, c + ring), outline=WHITE, width=round(width))
    draw.polygon(star(c, c * 1.02, big * 0.22, big * 0.09), fill=WHITE)
    image.resize((size, size), Image.LANCZOS).save(OUT / f"icon-{size}.png", optimize=True)


def svg():
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in star(256, 261, 112.6, 46.1))
    (OUT / "icon.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        '<rect width="512" height="512" rx="96" fill="#1455a5"/>'
        '<circle cx="256" cy="256" r="157.4" fill="none" stroke="#fff" stroke-width="23"/>'
        f'<polygon points="{pts}" fill="#fff"/></svg>\n')


for s in (192, 512):
    png(s)
svg()

"""Screenshot → lines of text, with Tesseract (Debian's ``tesseract-ocr``, chi_sim + eng).

Phone screenshots are large (1080-1290 px wide, text 45-55 px high at 3x), often dark, with
grey labels. Tesseract reads best, and several times faster, with text about 20-30 px high on a
white page, so each image is turned grey, inverted when it is mostly dark, scaled to
``WIDTH`` px, stretched in contrast and binarised at a fixed level that keeps grey labels
black. Nothing leaves the machine: Tesseract runs as a local process (``pytesseract``).
"""
from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field

from PIL import Image, ImageChops, ImageFilter, ImageOps, ImageStat, UnidentifiedImageError

from ..errors import Unprocessable

WIDTH = 720
DARK_MEAN = 110       # below this mean level an image (or a block of it) is dark
BLOCK_RADIUS = 24     # px at WIDTH: a dark area this large is a block, not a letter
LOCAL_RADIUS = 14     # px at WIDTH: the surroundings a pixel is compared with
LOCAL_OFFSET = 24     # levels darker than the surroundings that make a pixel ink
ABSOLUTE_DARK = 90    # levels below which a pixel is ink whatever surrounds it
LANGS = "chi_sim"  # its digits and Latin letters are good; chi_sim+eng turns some CJK words to Latin junk
DIGIT_LANG = "eng"
MAX_PIXELS = 40_000_000
# The image as preprocessed (WIDTH px wide) holds at most this many pixels: a narrow image is
# scaled up to WIDTH, and a 277-byte PNG of 1 x 100,000 px asked for 720 x 72,000,000 (52 GB).
# 720 x 30,000 still takes the longest scrolling screenshot MAX_PIXELS lets in (1080 x 37,000 px).
MAX_SCALED_PIXELS = WIDTH * 30_000
# What a screenshot may be (Pillow would also open TIFF, BMP, ICO, PSD … whatever the bytes are).
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"


class OcrUnavailable(RuntimeError):
    """Tesseract (or one of its languages) is not installed."""


@dataclass
class Line:
    """One line as Tesseract read it: text (CJK joined without spaces), box and confidence."""

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float = 0.0
    words: list[tuple[str, int]] = field(default_factory=list)  # (word, left)

    @property
    def right(self) -> int:
        return self.left + self.width


def load_image(data: bytes) -> Image.Image:
    """The screenshot as a Pillow image; 422 for bytes that are not an image we can read."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
        # Sizes are checked before any pixel is decoded: Pillow only warns up to twice its limit
        # (a 298 KB PNG of 72 M pixels took 1.1 GB), and the scaling below has no limit of its own.
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise Unprocessable(f"the screenshot has {width} x {height} pixels, more than the {MAX_PIXELS:,} "
                                "read", field="file")
        if WIDTH * max(1, round(height * WIDTH / max(1, width))) > MAX_SCALED_PIXELS:
            raise Unprocessable(f"the screenshot ({width} x {height} pixels) is too long for its width to be "
                                "read; send it in parts", field="file")
        image.load()
    except UnidentifiedImageError:  # (its message is the repr of a buffer: "<_io.BytesIO object at 0x…>")
        raise Unprocessable(f"the screenshot is not a {', '.join(FORMATS)} image", field="file") from None
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as error:
        raise Unprocessable(f"the screenshot could not be read as an image ({error})", field="file") from None
    return image


def preprocess(image: Image.Image, width: int = WIDTH) -> Image.Image:
    """Grey, dark mode inverted, scaled to ``width``, binarised against each pixel's surroundings.

    - A mostly dark image (dark mode) is inverted as a whole; then any large dark block left (a
      toast or dialog with light text on a light page, a dark dialog in dark mode) is inverted on
      its own, so all text ends up darker than what is around it.
    - Binarising against the local mean, not one level, keeps grey labels, text on coloured chat
      bubbles and text in tinted dialogs, and drops the tints themselves.
    """
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        backdrop = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(backdrop, image)
    grey = image.convert("L")
    if grey.width > width:
        grey = grey.resize((width, max(1, round(grey.height * width / grey.width))), Image.Resampling.LANCZOS)
    elif grey.width < width * 0.6:
        grey = grey.resize((width, max(1, round(grey.height * width / grey.width))), Image.Resampling.BICUBIC)
    if ImageStat.Stat(grey).mean[0] < DARK_MEAN:
        grey = ImageOps.invert(grey)
    # Large dark blocks (their blurred level stays dark) hold light text: invert them in place.
    blocks = grey.filter(ImageFilter.BoxBlur(BLOCK_RADIUS)).point(lambda v: 255 if v < DARK_MEAN else 0)
    if blocks.getbbox():
        grey = Image.composite(ImageOps.invert(grey), grey, blocks)
    local = grey.filter(ImageFilter.BoxBlur(LOCAL_RADIUS))
    darker = ImageChops.subtract(local, grey)  # how much darker than its surroundings each pixel is
    text = darker.point(lambda d: 255 if d > LOCAL_OFFSET else 0)
    very_dark = grey.point(lambda v: 255 if v < ABSOLUTE_DARK else 0)
    ink = ImageChops.lighter(text, very_dark)
    return ImageOps.invert(ink)


def _join(words: list[str]) -> str:
    text = " ".join(w for w in words if w)
    # Tesseract puts spaces between CJK characters; a reader does not see them.
    text = re.sub(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def read_lines(image: Image.Image, langs: str = LANGS, psm: int = 4) -> list[Line]:
    """Tesseract's lines for a preprocessed image, top to bottom."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread per read: faster on a busy 2-core machine
    try:
        data = pytesseract.image_to_data(image, lang=langs, config=f"--psm {psm}",
                                         output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractNotFoundError:
        raise OcrUnavailable("tesseract is not installed (Debian: apt-get install tesseract-ocr "
                             "tesseract-ocr-chi-sim tesseract-ocr-eng)") from None
    except pytesseract.TesseractError as error:
        if "Failed loading language" in str(error) or "traineddata" in str(error):
            raise OcrUnavailable(f"a Tesseract language is missing ({langs})") from None
        raise
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word and word.strip():
            grouped.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    lines = []
    for indexes in grouped.values():
        left = min(data["left"][i] for i in indexes)
        top = min(data["top"][i] for i in indexes)
        right = max(data["left"][i] + data["width"][i] for i in indexes)
        bottom = max(data["top"][i] + data["height"][i] for i in indexes)
        confs = [float(data["conf"][i]) for i in indexes if float(data["conf"][i]) >= 0]
        words = [(data["text"][i].strip(), data["left"][i]) for i in sorted(indexes, key=lambda i: data["left"][i])]
        lines.append(Line(_join([w for w, _ in words]), left, top, right - left, bottom - top,
                          sum(confs) / len(confs) if confs else 0.0, words))
    lines.sort(key=lambda line: (line.top, line.left))
    return lines


def read_digits(image: Image.Image, line: Line) -> str:
    """One line read again as digits only (the English model, a character whitelist): large
    bold amounts are where the Chinese model misreads digits as look-alike characters."""
    import pytesseract

    pad = max(6, line.height // 3)
    box = (max(0, line.left - pad), max(0, line.top - pad), min(image.width, line.right + pad),
           min(image.height, line.top + line.height + pad))
    crop = image.crop(box)
    try:
        text = pytesseract.image_to_string(crop, lang=DIGIT_LANG,
                                           config="--psm 7 -c tessedit_char_whitelist=0123456789.,-+¥")
    except pytesseract.TesseractError as error:
        if "Failed loading language" in str(error):
            raise OcrUnavailable(f"the Tesseract language {DIGIT_LANG} is missing") from None
        raise
    return text.strip()

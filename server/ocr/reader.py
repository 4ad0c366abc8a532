"""One screenshot read: preprocess, Tesseract, a digits-only second look at the large amount,
then the fields (``read_screenshot``). Pure apart from running Tesseract locally."""
from __future__ import annotations

import time

from .engine import load_image, preprocess, read_digits, read_lines
from .fields import Reading, amount_line, read_fields


def read_screenshot(data: bytes, hint: str | None = None) -> tuple[Reading, int]:
    """(what the screenshot shows, milliseconds the read took)."""
    started = time.monotonic()
    image = preprocess(load_image(data))
    lines = read_lines(image)
    index = amount_line(lines)
    big = read_digits(image, lines[index]) if index is not None else None
    reading = read_fields(lines, hint, big_amount=big)
    return reading, int((time.monotonic() - started) * 1000)

"""One Chromium per OCR test module to render phone screenshots."""
from __future__ import annotations

import pytest

from .screens import Renderer


@pytest.fixture(scope="module")
def renderer():
    rendering = Renderer()
    yield rendering
    rendering.close()

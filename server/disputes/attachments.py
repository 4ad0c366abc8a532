"""What a buyer may attach: images, PDFs and text chat exports, recognised by their bytes (never
by the name or the declared type); archives and executables are refused."""
from __future__ import annotations

from .. import jsonsafe
from ..errors import BadRequest, TooLarge, Unprocessable
from ..evidence.pack import safe_filename
from ..facts import looks_like_html

# (magic at offset 0, content type)
BINARY_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)
ARCHIVES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b",
            b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd", b"MSCF", b"\x04\x22\x4d\x18")
EXECUTABLES = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")


def sniff(data: bytes) -> str:
    """The content type of an attachment, or raise 422 naming why it is refused."""
    if not data:
        raise Unprocessable("the file is empty", field="file")
    if data.startswith(ARCHIVES) or (len(data) > 262 and data[257:262] == b"ustar"):
        raise Unprocessable("archives (zip, rar, 7z, tar, gz…) are not accepted: attach the files themselves",
                            field="file")
    if data.startswith(EXECUTABLES):
        raise Unprocessable("programs and scripts are not accepted as evidence", field="file")
    for magic, content_type in BINARY_TYPES:
        if data.startswith(magic):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return _text_type(data)


def _text_type(data: bytes) -> str:
    """Chat exports: UTF-8 (or UTF-16 with a BOM) text, JSON or HTML."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise Unprocessable("the file is neither an image, a PDF nor readable text", field="file") from None
        return "text/plain; charset=utf-16" if "\x00" not in text else _refuse()
    if b"\x00" in data:
        _refuse()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse()
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            jsonsafe.loads(stripped)
            return "application/json"
        except ValueError:
            pass
    if looks_like_html(data):
        return "text/html; charset=utf-8"
    return "text/plain; charset=utf-8"


def _refuse():
    raise Unprocessable("the file is neither an image (png, jpeg, webp, gif), a PDF nor a text/JSON/HTML export",
                        field="file")


def check(data: bytes, filename: str | None, limit: int) -> tuple[str, str]:
    """(safe file name, content type) of an upload, or a 4xx naming the problem."""
    if len(data) > limit:
        raise TooLarge(f"the file is larger than {limit // (1024 * 1024)} MiB", field="file")
    content_type = sniff(data)
    name = safe_filename(filename or "")
    if len(name) > 200:
        raise BadRequest("the file name is too long", field="file")
    return name, content_type

"""Attack round e on the API: an export racing the deletion of its account."""
from __future__ import annotations

import pytest

from server.errors import NotFound
from tests.conftest import capture_body, pair_user


def _user_with_captures(app, client) -> str:
    token, user = pair_user(app, new_user=True)
    for i in range(3):
        body = capture_body("xingchen-km-order.html", f"https://www.xingchen-km.com/user/order/detail?no=XC2026112410032258{i}")
        assert client.post("/v1/snapshots", json=body, headers={"Authorization": f"Bearer {token}"}).status_code == 201
    return user


class _DeletesAt:
    """``r`` whose ``at``-th command (counting every call) is preceded by the user's deletion."""

    def __init__(self, r, at: int, user: str):
        self.r, self.at, self.user, self.calls = r, at, user, 0

    def __getattr__(self, name):
        attr = getattr(self.r, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            from server.rights.erase import delete_user

            self.calls += 1
            if self.calls == self.at:
                delete_user(self.r, self.user)
            return attr(*args, **kwargs)
        return call


@pytest.mark.parametrize("at", [3, 6, 9, 12, 14, 16])
def test_an_export_racing_the_deletion_of_its_account_hands_out_no_pack_and_leaves_nothing(app, client, tmp_path, at):
    """The deletion lands at each point of the build. Before: a signed pack of 0 items (the data
    already gone), a pack that does not verify (items without their chain links), or a 400 saying
    a capture's bytes are missing; and the export's quota count outlived the user. Now: 404, no key."""
    from server.api.export import pack_response

    user = _user_with_captures(app, client)
    r = app.extensions["kadun"].redis
    racing = _DeletesAt(r, at, user)
    with app.test_request_context("/v1/export"), pytest.raises(NotFound, match="deleted while its export"):
        pack_response(racing, user)
    assert racing.calls >= at  # the deletion did land inside the build
    assert [k for k in r.scan_iter(count=1000) if user.encode() in k] == []


def test_an_export_no_deletion_touches_still_verifies(app, client, tmp_path):
    from server.api.export import pack_response
    from server.evidence.verify import verify_pack

    user = _user_with_captures(app, client)
    with app.test_request_context("/v1/export"):
        response = pack_response(app.extensions["kadun"].redis, user)
        path = tmp_path / "export.zip"
        path.write_bytes(b"".join(response.response))
    result = verify_pack(path)
    assert result.ok and result.checked["items"] == 3, result


@pytest.mark.parametrize("data", [b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', b"GIF87a" + b"\0" * 3,
                                  b"\x89PNG\r\n\x1a\n" + b"garbage", b"BM" + b"\0" * 60],
                         ids=["svg", "gif-header-only", "png-garbage", "bmp"])
def test_a_screenshot_that_is_no_image_says_what_it_must_be_and_shows_no_memory_address(data):
    """Pillow's refusal was the repr of a buffer ("cannot identify image file <_io.BytesIO object at
    0x7f…>"), shown to the buyer as the OCR's answer."""
    from server.errors import Unprocessable
    from server.ocr.engine import load_image

    with pytest.raises(Unprocessable) as refused:
        load_image(data)
    assert "0x" not in refused.value.message and "object at" not in refused.value.message, refused.value.message

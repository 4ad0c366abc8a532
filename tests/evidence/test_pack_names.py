"""Attachment names chosen by the uploader end up as file names in the evidence pack: whatever
they are (long Chinese or emoji names, traversals, reserved or invisible characters), the pack
verifies and unzips on an ordinary file system (255 bytes per name), every file inside the folder,
and no name is shown reordered by bidirectional controls."""
from __future__ import annotations

import io
import os
import zipfile

from server.evidence.verify import verify_pack
from tests.hosted.world import act, join

NAMES = ["卡" * 200 + ".png", "付款截图" * 40, "😀" * 100, "x" * 300 + ".txt", "..", "../../etc/passwd",
         "..\\..\\boot.ini", "CON", "a\u202etxt.exe", "bill\u200b\u2066.pdf", "\x00", " . ", "a:b*c?.pdf",
         "ＡＢＣ.txt", "abc.TXT", "Abc.txt", "name." + "e" * 40]


def test_hostile_attachment_names_give_a_pack_that_verifies_and_unzips(app, tmp_path):
    person = act(app, join(app, "namer", 1))
    client = app.test_client()
    dispute = person.dispute_ids[0]
    for number, name in enumerate(NAMES):
        answer = client.post(f"/v1/disputes/{dispute}/attachments", headers=person.auth,
                             data={"kind": "other", "file": (io.BytesIO(b"bill %d" % number), name)})
        assert answer.status_code == 201, (name, answer.get_json())
    pack = client.get(f"/v1/disputes/{dispute}/pack", headers=person.auth)
    assert pack.status_code == 200
    path = tmp_path / "pack.zip"
    path.write_bytes(pack.get_data())
    assert verify_pack(path).ok
    out = tmp_path / "unzipped"
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        for name in names:
            for part in name.split("/"):
                assert len(part.encode("utf-8")) <= 255, name
            assert not any(ch in name for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b"), name
        zf.extractall(out)
    root = os.path.realpath(out)
    for folder, _, files in os.walk(out):
        for file in files:
            assert os.path.realpath(os.path.join(folder, file)).startswith(root + os.sep)
    assert len([n for n in names if n.startswith("attachments/")]) == len(NAMES) + 1  # and the world's bill

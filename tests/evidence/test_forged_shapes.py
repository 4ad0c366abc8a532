"""A manifest (and dispute.json) signed by its forger may hold anything: every field of it, set to
each wrong JSON type, gives a "not valid" naming where, never an exception out of the verifier.

Without ``--key`` a pack is checked against the key it carries, so whoever builds a pack signs its
manifest: the verifier must treat every value in it as hostile. Each path of the manifest (the
first element of each list) is replaced in turn, the manifest signed again (here with the server's
own key: the key holder can do no more than a forger with their own), and the pack verified."""
from __future__ import annotations

import copy
import json
import zipfile

from click.testing import CliRunner

from server.cli import main as kadun
from server.evidence.verify import verify_pack

from .packtools import rehash, rewrite

WRONG = [None, 0, -1, 10 ** 30, 1.5, True, "x", "", [], {}, [None], [{}], {"a": None}]


def _paths(value, prefix=()):
    """Every path into ``value``: each key of each object, and the first element of each list."""
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list) and value:
        yield from _paths(value[0], (*prefix, 0))


def _set(document, path, value):
    out = copy.deepcopy(document)
    if not path:
        return value
    node = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return out


def _signer(app):
    return app.extensions["kadun"].signer


def _crashes(path, tmp_path, app, target: str) -> tuple[int, list[str]]:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        document = json.loads(zf.read(target)) if target != "manifest.json" else manifest
    bad = tmp_path / "forged.zip"
    tried, crashes = 0, []
    for where in _paths(document):
        for value in WRONG:
            changed = _set(document, where, value)
            data = json.dumps(changed, ensure_ascii=False).encode()
            if target == "manifest.json":
                new_manifest = changed
            else:
                new_manifest = copy.deepcopy(manifest)
                rehash(new_manifest, target, data)

            def change(name, old, data=data, new_manifest=new_manifest):
                if name == "manifest.json":
                    return json.dumps(new_manifest, ensure_ascii=False).encode()
                return data if name == target else old

            rewrite(path, bad, change, resign=_signer(app))
            tried += 1
            try:
                result = verify_pack(bad)
            except Exception as error:  # noqa: BLE001 - the finding
                crashes.append(f"{target} {'/'.join(map(str, where))} = {value!r:.30}: {error!r:.160}")
                continue
            if not result.ok:
                assert result.problem and result.where is not None, (where, value, result)
    return tried, crashes


def test_every_manifest_field_of_the_wrong_type_is_refused_not_a_crash(stamped_pack, tmp_path):
    path, _, app = stamped_pack
    tried, crashes = _crashes(path, tmp_path, app, "manifest.json")
    assert tried > 500
    assert not crashes, f"{len(crashes)} of {tried}:\n" + "\n".join(crashes[:30])


def test_every_dispute_json_field_of_the_wrong_type_is_refused_not_a_crash(stamped_pack, tmp_path):
    path, _, app = stamped_pack
    tried, crashes = _crashes(path, tmp_path, app, "dispute.json")
    assert tried > 50
    assert not crashes, f"{len(crashes)} of {tried}:\n" + "\n".join(crashes[:30])


def test_kadun_verify_says_failed_for_a_forged_shape_in_one_line(stamped_pack, tmp_path):
    path, _, app = stamped_pack
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    manifest["items"] = [5]
    manifest["item_count"] = 1
    bad = tmp_path / "forged.zip"
    rewrite(path, bad, lambda n, d: json.dumps(manifest).encode() if n == "manifest.json" else d,
            resign=_signer(app))
    result = CliRunner().invoke(kadun, ["verify", str(bad)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("FAILED: ") and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_every_account_json_field_of_the_wrong_type_is_refused_not_a_crash(tsa_app, tmp_path):
    """An account export (``GET /v1/export``): account.json and the disputes it lists."""
    from tests.hosted.world import act, join

    person = act(tsa_app, join(tsa_app, "shapes"))
    path = tmp_path / "export.zip"
    response = tsa_app.test_client().get("/v1/export", headers=person.auth)
    assert response.status_code == 200
    path.write_bytes(response.get_data())
    assert verify_pack(path).ok
    tried, crashes = _crashes(path, tmp_path, tsa_app, "account.json")
    assert tried > 50
    assert not crashes, f"{len(crashes)} of {tried}:\n" + "\n".join(crashes[:30])


def _zip_with(path, entries):
    """A ZIP of (ZipInfo-or-name, bytes) entries, written as they are."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(path, "w") as zf:
            zf.comment = b"KaDun evidence pack"
            for info, data in entries:
                zf.writestr(info, data)


def _symlink(name: str, target: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (0o120777 << 16)
    return info


def test_symlinks_and_file_directory_clashes_are_refused(stamped_pack, tmp_path):
    """Entries that, unzipped, would write through a link or collide: refused naming the entry,
    even when the forger lists them in a manifest signed again."""
    path, _, app = stamped_pack
    with zipfile.ZipFile(path) as zf:
        first = next(n for n in zf.namelist() if n.startswith("captures/"))
    for extra, named in (([(_symlink("captures", "/etc"), b"/etc")], "captures"),
                         ([(_symlink("zz-link", "/etc/passwd"), b"/etc/passwd")], "zz-link"),
                         ([(first + "/evil.txt", b"x")], first + "/evil.txt")):
        bad = tmp_path / "links.zip"
        rewrite(path, bad, extra=extra)
        result = verify_pack(bad)
        assert not result.ok and result.where == named, (named, result)
        assert "link" in result.problem or "clash" in result.problem, result.problem


def test_a_fifo_or_directory_is_not_a_pack_and_nothing_blocks(tmp_path):
    import os

    fifo = tmp_path / "pack.zip"
    os.mkfifo(fifo)
    for target in (fifo, tmp_path):
        result = verify_pack(target)
        assert not result.ok and "not a regular file" in result.problem
    answer = CliRunner().invoke(kadun, ["verify", str(fifo)])
    assert answer.exit_code == 1 and answer.output.startswith("FAILED: "), answer.output


def test_every_file_truncated_or_garbage_is_refused_naming_it(stamped_pack, tmp_path):
    """Each file of the pack (tokens, TSA chains, the WACZ, captures …) replaced by garbage,
    emptied or cut in half, its new hash written into a manifest signed again: "not valid", never
    a crash (the payloads that follow the signature are as hostile as the manifest)."""
    import os

    path, _, app = stamped_pack
    with zipfile.ZipFile(path) as zf:
        contents = {n: zf.read(n) for n in zf.namelist() if n not in ("manifest.json", "manifest.sig")}
    bad = tmp_path / "garbage.zip"
    crashes, tried = [], 0
    for name, original in contents.items():
        for forged in (b"", os.urandom(700), original[: len(original) // 2], b"0\x82\xff\xff" + original[:64],
                       b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", b"[]", b"{}"):
            def change(n, d, name=name, forged=forged):
                if n == "manifest.json":
                    manifest = json.loads(d)
                    rehash(manifest, name, forged)
                    return json.dumps(manifest, ensure_ascii=False).encode()
                return forged if n == name else d

            rewrite(path, bad, change, resign=_signer(app))
            tried += 1
            try:
                verify_pack(bad)
            except Exception as error:  # noqa: BLE001 - the finding
                crashes.append(f"{name} <- {forged[:16]!r}: {error!r:.160}")
    assert tried > 50
    assert not crashes, f"{len(crashes)} of {tried}:\n" + "\n".join(crashes[:30])


def test_an_empty_key_pins_nothing_and_is_refused(stamped_pack):
    """`kadun verify pack --key "$KEY"` with KEY unset: not an OK that says "the key given with
    --key" while the pack's own key was used."""
    path, _, _ = stamped_pack
    for key in ("", "   "):
        assert not verify_pack(path, key).ok
        answer = CliRunner().invoke(kadun, ["verify", str(path), "--key", key])
        assert answer.exit_code == 1 and "OK" not in answer.output and "--key is empty" in answer.output, answer.output

"""Attack round f on the API and the CLI: a dispute's pack and `kadun export-user` racing the
deletion of their account (the account export had this race: test_hostile_e.py)."""
from __future__ import annotations

import threading
import time

import pytest
from click.testing import CliRunner

from server.cli import main as kadun
from server.errors import NotFound
from tests.hosted.world import act, join

from .test_hostile_e import _DeletesAt


def _leftovers(r, user: str) -> list:
    return [k for k in r.scan_iter(count=1000) if user.encode() in k]


@pytest.mark.parametrize("at", [2, 4, 6, 9, 12, 16, 20, 25, 28])
def test_a_dispute_pack_racing_the_deletion_of_its_account_hands_out_nothing_and_leaves_nothing(app, at):
    from server.api.disputes import dispute_pack_response

    person = act(app, join(app, "pack_race", devices=1))
    r = app.extensions["kadun"].redis
    racing = _DeletesAt(r, at, person.user)
    with app.test_request_context(f"/v1/disputes/{person.dispute_ids[0]}/pack"), \
            pytest.raises(NotFound, match="deleted while"):
        dispute_pack_response(racing, person.user, person.dispute_ids[0])
    assert racing.calls >= at
    assert _leftovers(r, person.user) == []


def test_a_dispute_pack_no_deletion_touches_still_verifies(app, tmp_path):
    from server.api.disputes import dispute_pack_response
    from server.evidence.verify import verify_pack

    person = act(app, join(app, "pack_calm", devices=1))
    with app.test_request_context("/"):
        response = dispute_pack_response(app.extensions["kadun"].redis, person.user, person.dispute_ids[0])
        (tmp_path / "p.zip").write_bytes(b"".join(response.response))
    assert verify_pack(tmp_path / "p.zip").ok


def test_dispute_packs_and_a_deletion_in_threads(app, tmp_path):
    """Real concurrency: packs asked for over HTTP while another thread deletes the account. Every
    answer is a whole pack that verifies, or a clear 401/404; nothing of the user is left."""
    from server.evidence.verify import verify_pack
    from server.rights.erase import delete_user

    r = app.extensions["kadun"].redis
    for round_ in range(4):
        person = act(app, join(app, f"pack_threads_{round_}", devices=1))
        path = f"/v1/disputes/{person.dispute_ids[0]}/pack"
        answers, stop = [], threading.Event()

        def ask(person=person, path=path, answers=answers, stop=stop):
            client = app.test_client()
            while not stop.is_set():
                response = client.get(path, headers=person.auth)
                answers.append((response.status_code, response.get_data()))
                if response.status_code != 200:
                    return
        worker = threading.Thread(target=ask)
        worker.start()
        time.sleep(0.05 + 0.1 * round_)
        delete_user(r, person.user)
        stop.set()
        worker.join(60)
        assert answers
        for i, (status, body) in enumerate(answers):
            assert status in (200, 401, 404), (status, body[:200])
            if status == 200:
                pack = tmp_path / f"{round_}-{i}.zip"
                pack.write_bytes(body)
                assert verify_pack(pack).ok
        assert _leftovers(r, person.user) == []


@pytest.mark.parametrize("at", [3, 6, 9, 12, 16, 20])
def test_export_user_racing_the_deletion_writes_no_pack_and_leaves_nothing(app, tmp_path, redis_url, monkeypatch, at):
    import server.rights as rights

    monkeypatch.setenv("KADUN_REDIS_URL", redis_url)
    person = act(app, join(app, "cli_race", devices=1))
    real = rights.export_user
    seen = {}

    def racing_export(r, user, *args, **kwargs):
        seen["r"] = _DeletesAt(r, at, user)
        return real(seen["r"], user, *args, **kwargs)
    monkeypatch.setattr(rights, "export_user", racing_export)
    out = tmp_path / "race.zip"
    result = CliRunner().invoke(kadun, ["export-user", person.user, "-o", str(out), "--data-dir",
                                        app.config["DATA_DIR"]])
    assert seen["r"].calls >= at
    assert result.exit_code != 0 and "deleted while" in result.output, result.output
    assert not out.exists() and not list(tmp_path.glob("race.zip*"))
    assert _leftovers(app.extensions["kadun"].redis, person.user) == []

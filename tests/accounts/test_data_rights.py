"""The account page's "Export everything" and "Delete my account" (hosted mode): forms with the
page's CSRF token over the same service functions as the API and the CLI (server.rights). An
export verifies with kadun's verifier and holds only the signed-in account's data; a deletion asks
for the username (and password), then signs the account out everywhere at once (this browser,
other browsers, device tokens) and leaves nothing of the user in the keyspace."""
from __future__ import annotations

import json
import uuid
import zipfile

from server.evidence.verify import verify_pack
from server.storage import accounts, devices, erasure
from server.storage import quotas as quota_store

from ..hosted.world import Person, act, traces
from .conftest import Pages

PASSWORD = "correct horse battery staple"


def _member(app, name: str, password: str | None = PASSWORD) -> tuple[Pages, Person]:
    """Someone signed up on the pages with an extension signed in (a device token) and captures."""
    r = app.extensions["kadun"].redis
    browser = Pages(app)
    assert browser.sign_up(name, password).status_code == 303
    user = accounts.find_by_name(r, name).user
    token, _ = devices.create(r, user, f"{name}-chromium", kind="account")
    person = Person(user=user, tokens=[token], marker=f"kadun-person-{name}-{uuid.uuid4().hex}",
                    device_names=[f"{name}-chromium"], account=[name])
    act(app, person)
    return browser, person


def test_export_everything_from_the_account_page_verifies_and_holds_only_this_account(hosted_app, tmp_path):
    browser, person = _member(hosted_app, "frida")
    _, other = _member(hosted_app, "gustav")
    response = browser.post("/account/export", {}, form_page="/account")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="kadun-export-')
    path = tmp_path / "export.zip"
    path.write_bytes(response.get_data())
    result = verify_pack(path)
    assert result.ok, result.problem
    assert result.checked["items"] == len(person.snapshot_ids) + len(person.attachment_ids)
    assert result.checked["disputes"] == len(person.dispute_ids) == 1
    with zipfile.ZipFile(path) as zf:
        everything = b"".join(zf.read(name) for name in zf.namelist())
        profile = json.loads(zf.read("account.json"))["profile"]
    # The account itself is in the copy too (its name, devices), never a password hash or a token.
    assert profile["account"]["username"] == "frida" and profile["account"]["has_password"] is True
    assert [d["name"] for d in profile["devices"]] == ["frida-chromium"]
    assert b"$argon2id$" not in everything and person.tokens[0].encode() not in everything
    assert person.marker.encode() in everything
    assert other.marker.encode() not in everything and other.user.encode() not in everything


def test_export_needs_the_pages_csrf_token_and_a_sign_in(hosted_app):
    browser, _ = _member(hosted_app, "hedda")
    refused = browser.post("/account/export", {}, csrf=False)
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    forged = browser.post("/account/export", {"csrf_token": "forged"}, csrf=False)
    assert forged.status_code == 403
    stranger = Pages(hosted_app)
    token = stranger.token("/account/signin")
    assert stranger.post("/account/export", {"csrf_token": token}, csrf=False).status_code == 401


def test_the_days_exports_used_up_says_so_on_the_page(hosted_app):
    browser, person = _member(hosted_app, "ingrid")
    r = hosted_app.extensions["kadun"].redis
    quota_store.set_override(r, person.user, "exports_per_day", 1)
    assert browser.post("/account/export", {}, form_page="/account").status_code == 200
    again = browser.post("/account/export", {}, form_page="/account")
    assert again.status_code == 429 and again.mimetype == "text/html"
    assert int(again.headers["Retry-After"]) > 0
    page = again.get_data(as_text=True)
    assert "今日导出全部数据已达上限" in page and "exports_per_day" not in page
    english = browser.post("/account/export?lang=en", {}, form_page="/account?lang=en")
    assert english.status_code == 429 and "Daily limit reached" in english.get_data(as_text=True)


def test_deleting_asks_for_the_username_and_password_first(hosted_app):
    browser, person = _member(hosted_app, "jonas")
    r = hosted_app.extensions["kadun"].redis
    wrong_name = browser.post("/account/delete", {"confirm": "jona", "current_password": PASSWORD},
                              form_page="/account")
    assert wrong_name.status_code == 400 and "输入的用户名不对" in wrong_name.get_data(as_text=True)
    wrong_password = browser.post("/account/delete", {"confirm": "jonas", "current_password": PASSWORD + "!"},
                                  form_page="/account")
    assert wrong_password.status_code == 400 and "当前密码不正确" in wrong_password.get_data(as_text=True)
    no_csrf = browser.post("/account/delete", {"confirm": "jonas", "current_password": PASSWORD}, csrf=False)
    assert no_csrf.status_code == 403
    assert erasure.user_exists(r, person.user) and accounts.find_by_name(r, "jonas").user == person.user
    assert browser.get("/account").status_code == 200


def test_deleting_from_the_page_signs_out_everywhere_at_once_and_leaves_nothing(hosted_app):
    browser, person = _member(hosted_app, "karin")
    _, other = _member(hosted_app, "lars")
    r = hosted_app.extensions["kadun"].redis
    elsewhere = Pages(hosted_app)
    assert elsewhere.sign_in("karin", PASSWORD).status_code == 303
    api = hosted_app.test_client()
    auth = {"Authorization": f"Bearer {person.tokens[0]}"}
    assert api.get("/v1/snapshots", headers=auth).status_code == 200  # the token is in the worker's cache now
    page = browser.get("/account").get_data(as_text=True)
    body = page[page.index("<main>"):]
    assert 'id="delete-account"' in body and 'id="export-everything"' in body

    # The username as typed in another form (full-width, other case) counts as the username.
    done = browser.post("/account/delete", {"confirm": "ＫＡＲＩＮ", "current_password": PASSWORD},
                        form_page="/account")
    assert done.status_code == 200 and "账户已删除" in done.get_data(as_text=True)
    deletion_id = erasure.deletions(r)[0]["deletion_id"]
    assert deletion_id in done.get_data(as_text=True)

    assert api.get("/v1/snapshots", headers=auth).status_code == 401
    assert api.post("/v1/snapshots", headers=auth, json={"client_id": "x", "url": "https://a.cn/",
                                                         "html": "<html></html>"}).status_code == 401
    assert browser.get("/account").status_code == 302
    assert elsewhere.get("/account").status_code == 302
    assert Pages(hosted_app).sign_in("karin", PASSWORD).status_code == 401
    assert traces(r, person) == []
    # The other account is untouched.
    assert accounts.find_by_name(r, "lars").user == other.user
    listed = api.get("/v1/snapshots?limit=500", headers=other.auth).get_json()["items"]
    assert sorted(i["id"] for i in listed) == sorted(other.snapshot_ids)


def test_a_passkey_only_account_is_deleted_with_its_username_and_a_fresh_passkey_check(hosted_app):
    from server.storage import signins
    from server.web.account.session import CSRF_HEADER

    from .softkey import SoftPasskey

    r = hosted_app.extensions["kadun"].redis
    made = accounts.create(r, "maja", password_hash=None)
    key = SoftPasskey()
    accounts.add_passkey(r, made.user, key.stored())
    browser = Pages(hosted_app)
    session_id = signins.create_session(r, made.user, "passkey", 600)
    with browser.client.session_transaction(base_url="https://localhost") as cookie:
        cookie["sid"] = session_id
    page = browser.get("/account").get_data(as_text=True)
    body = page[page.index("<main>"):]
    assert 'id="delete_confirm"' in body and 'id="delete_password"' not in page
    assert browser.post("/account/delete", {"confirm": "maja"}, form_page="/account").status_code == 400
    check = browser.client.post("/account/confirm/passkey/options", json={}, base_url="https://localhost",
                                headers={CSRF_HEADER: browser.token("/account")}).get_json()
    answer = browser.post("/account/delete", {"confirm": "maja", "ceremony": check["ceremony"],
                                              "credential": json.dumps(key.answer(check["options"]))},
                          form_page="/account")
    assert answer.status_code == 200
    assert not erasure.user_exists(r, made.user) and accounts.find_by_name(r, "maja") is None
    assert not [k for k in r.scan_iter() if made.user.encode() in k]


def test_the_admin_verbs_take_a_hosted_accounts_username(hosted_app, redis_url, tmp_path, monkeypatch):
    """kadun quota, export-user and delete-user: an operator knows the buyer's username, not the id."""
    from click.testing import CliRunner

    from server.cli import main as kadun

    monkeypatch.setenv("KADUN_REDIS_URL", redis_url)
    monkeypatch.setenv("KADUN_MODE", "hosted")
    _, person = _member(hosted_app, "Nora")
    data_dir = hosted_app.config["DATA_DIR"]
    shown = CliRunner().invoke(kadun, ["quota", "ｎｏｒａ", "--set", "captures_per_day=7", "--json"])
    assert shown.exit_code == 0, shown.output
    answer = json.loads(shown.output)
    assert answer["user"] == person.user
    assert {q["name"]: q["limit"] for q in answer["quotas"]}["captures_per_day"] == 7
    out = tmp_path / "nora.zip"
    exported = CliRunner().invoke(kadun, ["export-user", "nora", "-o", str(out), "--data-dir", data_dir])
    assert exported.exit_code == 0, exported.output
    assert verify_pack(out).ok
    deleted = CliRunner().invoke(kadun, ["delete-user", "Nora", "--yes", "--data-dir", data_dir])
    assert deleted.exit_code == 0, deleted.output
    assert traces(hosted_app.extensions["kadun"].redis, person) == []
    again = CliRunner().invoke(kadun, ["delete-user", "Nora", "--yes", "--data-dir", data_dir])
    assert again.exit_code != 0 and "no user Nora" in again.output

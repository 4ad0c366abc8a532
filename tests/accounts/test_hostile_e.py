"""Attack round e on hosted accounts: the extension sign-in's hand-over, the account record's
compare-and-set under contention, and a passkey added while its account is deleted."""
from __future__ import annotations

import hashlib
import secrets
import threading
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from server.accounts.grants import pkce_challenge
from server.errors import NotFound
from server.storage import accounts as store

from .conftest import BASE, Pages, hosted_config

PASSWORD = "correct horse battery staple"
OTHER_CHROME = "ponmlkjihgfedcbaponmlkjihgfedcba"   # a well-formed id that is not KaDun's
OTHER_FIREFOX = hashlib.sha1(b"steal@evil.example").hexdigest()


def _authorize(redirect_uri: str) -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    query = {"redirect_uri": redirect_uri, "state": secrets.token_urlsafe(16),
             "code_challenge": pkce_challenge(verifier), "code_challenge_method": "S256"}
    return "/account/extension/authorize?" + urlencode(query), verifier


@pytest.mark.parametrize("redirect_uri", [
    f"https://{OTHER_CHROME}.chromiumapp.org/kadun", f"https://{OTHER_FIREFOX}.extensions.allizom.org/"],
    ids=["chrome", "firefox"])
def test_an_extension_that_is_not_kadun_never_gets_a_code(hosted_app, redirect_uri):
    """A malicious extension opens the sign-in with its own redirect URL and its own verifier: a
    click on "allow" would have handed it the account. Refused on the page and on the post."""
    browser = Pages(hosted_app)
    browser.sign_up("victim_e", PASSWORD)
    path, _ = _authorize(redirect_uri)
    page = browser.get(path)
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "不是卡盾发布的扩展" in text
    answer = browser.post(path, {"decision": "allow"}, form_page="/account")
    assert answer.status_code == 400 and "Location" not in answer.headers
    r = hosted_app.extensions["kadun"].redis
    assert not list(r.scan_iter(match="kadun:account-grant:*"))


def test_by_default_kadun_firefox_add_on_and_the_configured_chrome_ids_sign_in(redis_client, data_dir):
    from server import create_app

    app = create_app(hosted_config(redis_client, data_dir, SIGNIN_EXTENSIONS=None,
                                   EXTENSION_IDS=f"chrome-extension://{OTHER_CHROME}"))
    browser = Pages(app)
    browser.sign_up("default_e", PASSWORD)
    kadun_firefox = hashlib.sha1(b"kadun@kadun.app").hexdigest()
    for redirect, admitted in ((f"https://{kadun_firefox}.extensions.allizom.org/", True),
                               (f"https://{OTHER_CHROME}.chromiumapp.org/", True),
                               (f"https://{'abcdefghijklmnop' * 2}.chromiumapp.org/", False),
                               (f"https://{OTHER_FIREFOX}.extensions.allizom.org/", False)):
        path, _ = _authorize(redirect)
        assert browser.get(path).status_code == (200 if admitted else 400), redirect


@pytest.mark.parametrize("listed", ["not-an-id", "ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP", "a@b@c"])
def test_a_malformed_allow_list_stops_the_start(redis_client, data_dir, listed):
    from server import create_app

    with pytest.raises(ValueError, match="KADUN_SIGNIN_EXTENSIONS"):
        create_app(hosted_config(redis_client, data_dir, SIGNIN_EXTENSIONS=listed))


def test_a_firefox_code_is_not_exchanged_outside_a_firefox_extension(hosted_app):
    browser = Pages(hosted_app)
    browser.sign_up("fox_e", PASSWORD)
    redirect = "https://" + hashlib.sha1(b"kadun@kadun.app").hexdigest() + ".extensions.allizom.org/"
    for origin in (None, "https://evil.example", f"chrome-extension://{OTHER_CHROME}"):
        path, verifier = _authorize(redirect)
        location = browser.post(path, {"decision": "allow"}, form_page=path).headers["Location"]
        code = parse_qs(urlsplit(location).query)["code"][0]
        headers = {"Origin": origin} if origin else {}
        answer = hosted_app.test_client().post("/v1/account/token", json={"code": code, "code_verifier": verifier},
                                                headers=headers, base_url=BASE)
        assert answer.status_code in (403, 404) and "token" not in (answer.get_json() or {}), origin


def _contended(monkeypatch, r, user: str) -> list[str]:
    """Every compare-and-set of ``user``'s account record loses: just before it runs, another
    writer (a real write to Redis) changes the record. Returns the e-mails the other writer set."""
    real_eval = r.eval
    written: list[str] = []

    def eval_(script, numkeys, *args):
        if script == store._SET_IF_VALUE and args and args[0] == store.keys.account(user):
            account = store.get(r, user)
            account.email = f"other{len(written)}@example.cn"
            r.set(store.keys.account(user), account.record())
            written.append(account.email)
        return real_eval(script, numkeys, *args)
    monkeypatch.setattr(r, "eval", eval_)
    return written


def test_an_account_update_that_always_loses_its_race_is_a_503_with_retry_after_and_changes_nothing(
        hosted_app, monkeypatch):
    r = hosted_app.extensions["kadun"].redis
    browser = Pages(hosted_app)
    browser.sign_up("busy_e", PASSWORD)
    user = store.find_by_name(r, "busy_e").user
    before = store.get(r, user).password
    written = _contended(monkeypatch, r, user)
    answer = browser.post("/account/password", {"current_password": PASSWORD, "password": "a new passphrase 2",
                                                "password2": "a new passphrase 2"}, form_page="/account")
    assert answer.status_code == 503 and answer.headers.get("Retry-After")
    assert "账户正被另一个请求修改" in answer.get_data(as_text=True)
    monkeypatch.undo()
    after = store.get(r, user)
    # Nothing of the refused change was written; every write of the other writer stayed.
    assert after.password == before and after.email == written[-1] and len(written) >= 8
    # Once the contention is over, the same change goes through.
    again = browser.post("/account/password", {"current_password": PASSWORD, "password": "a new passphrase 2",
                                               "password2": "a new passphrase 2"}, form_page="/account")
    assert again.status_code == 200 and store.get(r, user).password != before


def test_a_sign_in_whose_hash_upgrade_keeps_losing_still_signs_in(hosted_app, monkeypatch):
    from server.accounts.passwords import Passwords
    from server.accounts.service import Accounts

    r = hosted_app.extensions["kadun"].redis
    weak = Passwords(time_cost=1, memory_kib=8, parallelism=1)
    made = store.create(r, "rehash_e", password_hash=weak.hash(PASSWORD))
    _contended(monkeypatch, r, made.user)
    service = Accounts(r, Passwords(time_cost=1, memory_kib=8192, parallelism=1))
    assert service.authenticate("rehash_e", PASSWORD).user == made.user
    assert store.get(r, made.user).password == made.password  # the upgrade waits for the next sign-in


def _passkey(cid: str) -> store.Passkey:
    return store.Passkey(id=cid, public_key="pQECAyYgASFYIA", sign_count=0, name=cid, created_at="2026-12-01T00:00:00+08:00")


def _traces(r, user: str) -> list[bytes]:
    """Every key naming the user, or whose value names them (the service-wide pointers)."""
    found = [k for k in r.scan_iter(count=1000) if user.encode() in k]
    for pattern in ("kadun:passkey:*", "kadun:web-session:*", "kadun:account-name:*", "kadun:token:*"):
        found += [k for k in r.scan_iter(match=pattern, count=1000) if user.encode() in (r.get(k) or b"")]
    return found


@pytest.mark.parametrize("step", ["hset", "set"])
def test_a_passkey_added_as_the_account_is_deleted_leaves_no_pointer(hosted_app, step):
    """The deletion lands right after each write of the addition: the pointer never outlives it."""
    from server.rights.erase import delete_user

    r = hosted_app.extensions["kadun"].redis
    made = store.create(r, f"pk_del_{step}", password_hash=None)
    store.add_passkey(r, made.user, _passkey("first-key"))

    class Racing:
        def __init__(self):
            self.done = False

        def __getattr__(self, name):
            attr = getattr(r, name)
            if name != step or self.done:
                return attr

            def call(*args, **kwargs):
                self.done = True
                answer = attr(*args, **kwargs)
                delete_user(r, made.user)
                return answer
            return call

    with pytest.raises(store.AccountGone):
        store.add_passkey(Racing(), made.user, _passkey("late-key"))
    assert store.passkey_owner(r, "late-key") is None
    assert _traces(r, made.user) == []


def test_passkeys_and_sign_ins_racing_a_deletion_in_threads_leave_nothing(hosted_app, redis_url):
    """Real concurrency: threads on their own connections add passkeys and open web sessions while
    another deletes the account; afterwards not one key names the user."""
    from server.rights.erase import delete_user
    from server.storage import signins
    from server.storage.redis import connect

    r = hosted_app.extensions["kadun"].redis
    for round_ in range(6):
        made = store.create(r, f"pk_threads_{round_}", password_hash=None)
        start = threading.Barrier(5)
        outcomes: list[str] = []

        def adder(n: int, user=made.user, barrier=start, outcomes=outcomes):
            own = connect(redis_url)
            barrier.wait()
            for i in range(15):
                try:
                    if i % 2:
                        signins.create_session(own, user, "passkey", 600)
                    else:
                        store.add_passkey(own, user, _passkey(f"k{n}-{i}-{secrets.token_hex(4)}"))
                    outcomes.append("added")
                except store.AccountGone:
                    outcomes.append("gone")

        def deleter(user=made.user, barrier=start):
            own = connect(redis_url)
            barrier.wait()
            delete_user(own, user)

        threads = [threading.Thread(target=adder, args=(n,)) for n in range(4)] + [threading.Thread(target=deleter)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert len(outcomes) == 60
        assert _traces(r, made.user) == [], (round_, outcomes.count("gone"))


@pytest.mark.parametrize("target", ["/account\r\nSet-Cookie: a=1", "/account\n//evil.example", "/account\x7f",
                                    "/account\t//evil.example", "/account/../../admin", "/account/..//evil.example",
                                    "/account/%2e%2e/admin", "/accounting"],
                         ids=["crlf", "lf", "del", "tab", "climb", "climb-slashes", "climb-encoded", "other-path"])
def test_a_next_with_control_characters_or_climbing_out_goes_to_the_account_page(hosted_app, target):
    """A line break in ``next`` was a 500 (a header value with a newline); a tab was dropped on the
    way out and ``..`` left the account pages. Each goes to /account instead."""
    Pages(hosted_app).sign_up("next_e", PASSWORD)
    browser = Pages(hosted_app)
    shown = browser.get("/account/signin?" + urlencode({"next": target}))
    assert shown.status_code == 200 and "evil" not in shown.get_data(as_text=True)
    answer = browser.post("/account/signin", {"username": "next_e", "password": PASSWORD, "next": target})
    assert answer.status_code == 303 and answer.headers["Location"] == "/account", answer.headers.get("Location")
    again = browser.get("/account/signin?" + urlencode({"next": target}))
    assert again.status_code == 302 and again.headers["Location"] == "/account"


class _AfterFirst:
    """``r`` that runs ``other()`` just after its first call named ``name``."""

    def __init__(self, r, name: str, other):
        self.r, self.name, self.other, self.done = r, name, other, False

    def __getattr__(self, attr_name):
        attr = getattr(self.r, attr_name)
        if attr_name != self.name or self.done:
            return attr

        def call(*args, **kwargs):
            self.done = True
            answer = attr(*args, **kwargs)
            self.other()
            return answer
        return call


def test_a_pairing_code_used_as_its_user_is_deleted_leaves_no_token(hosted_app):
    """The phone's code is taken (GETDEL) just before the account's deletion runs: the device made
    from it would have outlived the user (a token and a token list naming them)."""
    from server.rights.erase import delete_user
    from server.storage import users

    r = hosted_app.extensions["kadun"].redis
    made = store.create(r, "pair_del_e", password_hash=None)
    code = users.pairing_code_for(r, made.user)
    racing = _AfterFirst(r, "getdel", lambda: delete_user(r, made.user))
    assert users.redeem_code(racing, code, "phone", kind="phone") is None
    assert _traces(r, made.user) == []


def test_a_sign_in_code_exchanged_as_the_account_is_deleted_leaves_no_token(hosted_app):
    from server.accounts import grants
    from server.rights.erase import delete_user

    r = hosted_app.extensions["kadun"].redis
    made = store.create(r, "grant_del_e", password_hash=None)
    verifier = secrets.token_urlsafe(48)
    request = grants.Request(redirect_uri=f"https://{'abcdefghijklmnop' * 2}.chromiumapp.org/", state="s" * 8,
                             code_challenge=pkce_challenge(verifier), device="x", browser="chrome",
                             extension_id="abcdefghijklmnop" * 2)
    code = parse_qs(urlsplit(grants.grant(r, request, made.user)).query)["code"][0]
    racing = _AfterFirst(r, "sadd", lambda: delete_user(r, made.user))
    with pytest.raises(NotFound):
        grants.exchange(racing, code=code, verifier=verifier, origin=f"chrome-extension://{'abcdefghijklmnop' * 2}",
                        device=None, lifetime_seconds=None)
    assert _traces(r, made.user) == []


def test_the_username_lockout_holds_against_guesses_sent_all_at_once(redis_client, data_dir):
    """The lockout (5 wrong passwords per username) counted a failure after the password was checked:
    guesses sent at once all passed the count before any was added, so 24 at once were 24 guesses.
    At most 5 of them may be checked; the rest are refused (429) before any password work."""
    from server import create_app

    app = create_app(hosted_config(redis_client, data_dir, RATELIMIT_ENABLED=True, SIGNIN_RATE_LIMIT="1000 per minute",
                                   SIGNIN_LOCKOUT="5 per 15 minutes", ARGON2_TIME_COST=2, ARGON2_MEMORY_KIB=16384))
    Pages(app).sign_up("locked_e", PASSWORD)
    browsers = [Pages(app) for _ in range(24)]
    tokens = [b.token("/account/signin") for b in browsers]
    start = threading.Barrier(len(browsers))
    statuses: list[int] = []

    def guess(browser, token, n):
        start.wait()
        answer = browser.client.post("/account/signin", data={"username": "locked_e", "password": f"wrong guess {n}",
                                                              "csrf_token": token}, base_url=BASE)
        statuses.append(answer.status_code)

    threads = [threading.Thread(target=guess, args=(b, t, n)) for n, (b, t) in enumerate(zip(browsers, tokens, strict=True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(statuses) == 24 and set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) <= 5, sorted(statuses)
    # The right password is refused too while locked (passkeys still sign in).
    assert Pages(app).sign_in("locked_e", PASSWORD).status_code == 429


def test_a_place_left_by_a_killed_attempt_frees_itself(redis_client, data_dir):
    """An attempt whose worker died never frees its place: it counts as in flight only for
    IN_FLIGHT_SECONDS, even while other attempts keep coming."""
    import hashlib
    import time

    from server import create_app
    from server.limits import IN_FLIGHT_SECONDS
    from server.storage import keys

    app = create_app(hosted_config(redis_client, data_dir, RATELIMIT_ENABLED=True, SIGNIN_RATE_LIMIT="1000 per minute",
                                   SIGNIN_LOCKOUT="1 per 15 minutes"))
    Pages(app).sign_up("killed_e", PASSWORD)
    counted = "name:" + store.digest(store.name_key("killed_e"))[:40]
    place = f"{keys.limits_prefix()}:in-flight:signin-name:{hashlib.sha256(counted.encode()).hexdigest()[:32]}"
    r = app.extensions["kadun"].redis
    r.zadd(place, {"killed-just-now": time.time()})
    assert Pages(app).sign_in("killed_e", PASSWORD).status_code == 429  # one in flight: the one left
    r.zadd(place, {"killed-just-now": time.time() - IN_FLIGHT_SECONDS - 1})
    assert Pages(app).sign_in("killed_e", PASSWORD).status_code == 303


@pytest.mark.parametrize("secret", ["grant", "ceremony"])
def test_a_sign_in_code_or_passkey_ceremony_kept_as_the_account_is_deleted_does_not_outlive_it(hosted_app, secret):
    """The deletion finds these single-use secrets by a scan; one kept just after the scan named
    the deleted user for its two (five) minutes."""
    from server.rights.erase import delete_user
    from server.storage import signins

    r = hosted_app.extensions["kadun"].redis
    made = store.create(r, f"secret_del_{secret}", password_hash=None)
    racing = _AfterFirst(r, "set", lambda: delete_user(r, made.user))
    with pytest.raises(store.AccountGone):
        if secret == "grant":
            signins.save_grant(racing, {"user": made.user, "challenge": "c" * 43}, 120)
        else:
            signins.save_ceremony(racing, {"purpose": "add", "user": made.user, "challenge": "c"}, 300)
    leftover = [k for pattern in ("kadun:account-grant:*", "kadun:webauthn:*") for k in r.scan_iter(match=pattern)
                if made.user.encode() in (r.get(k) or b"")]
    assert leftover == [] and _traces(r, made.user) == []

"""A small world of users acting through the HTTP API, and a reader of the whole keyspace."""
from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass, field

import zstandard

from server.storage import blobs, keys
from server.storage import users as user_store
from tests.conftest import FIXTURES, fixture_index
from tests.ops.helpers import _png

PAGES = ["xingchen-km-product.html", "xingchen-km-order.html", "risky-shop-order.html"]
ORDER_NO = "XC20261124100322581"


def fixture_url(file: str) -> str:
    return next(entry["url"] for entry in fixture_index() if entry["file"] == file)


@dataclass
class Person:
    """One buyer: their user id, devices (tokens) and everything they made."""

    user: str
    tokens: list[str]
    marker: str
    device_names: list[str] = field(default_factory=list)
    snapshot_ids: list[str] = field(default_factory=list)
    dispute_ids: list[str] = field(default_factory=list)
    attachment_ids: list[str] = field(default_factory=list)
    hashes: set[str] = field(default_factory=set)
    pairing_code: str | None = None
    account: list[str] = field(default_factory=list)  # a hosted account's username, e-mail, passkey id…

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.tokens[0]}"}

    def secrets(self) -> list[bytes]:
        """Every string that would show this person is still in the database."""
        from server.storage.profiles import user_digest

        out = [self.user, keys.user_hash_tag(self.user), user_digest(self.user), self.marker,
               *self.device_names, *self.snapshot_ids, *self.dispute_ids, *self.attachment_ids, *self.hashes]
        for token in self.tokens:
            out += [token, hashlib.sha256(token.encode()).hexdigest()]
        if self.pairing_code:
            out.append(hashlib.sha256(self.pairing_code.encode()).hexdigest())
        out += self.account
        return [s.encode() for s in out]


def join(app, name: str, devices: int = 2, *, default: bool = False, account: bool = False) -> Person:
    """A new buyer (or the backend's own user) paired from ``devices`` browsers; ``account``: one
    with a hosted account (a username and e-mail, a passkey, a signed-in web session, an extension
    sign-in still pending), its devices paired with codes made on the account page."""
    r = app.extensions["kadun"].redis
    client = app.test_client()
    tokens, user, names = [], None, []
    held: list[str] = []
    if account:
        user, held = _account(r, name)
    for n in range(devices):
        code = (code_for(r, user) if user is not None and not default
                else user_store.new_pairing_code(r, new_user=not default))
        device = f"{name}-device-{n}-{uuid.uuid4().hex[:6]}"
        answer = client.post("/v1/pair", json={"code": code, "device": device})
        assert answer.status_code == 201, answer.get_json()
        tokens.append(answer.get_json()["token"])
        user = answer.get_json()["user"]
        names.append(device)
    return Person(user=user, tokens=tokens, marker=f"kadun-person-{name}-{uuid.uuid4().hex}", device_names=names,
                  account=held)


def _account(r, name: str) -> tuple[str, list[str]]:
    """A hosted account with every record an account has: (user, the strings that show it)."""
    from server.accounts import grants
    from server.storage import accounts, signins

    username = f"{name}-{uuid.uuid4().hex[:8]}"
    email = f"{username}@example.cn"
    made = accounts.create(r, username, password_hash="$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA", email=email)
    passkey = "cGFzc2tleS0" + uuid.uuid4().hex
    accounts.add_passkey(r, made.user, accounts.Passkey(id=passkey, public_key="cGs", sign_count=1,
                                                        created_at="2026-12-06T00:00:00+08:00"))
    session = signins.create_session(r, made.user, "password", 600)
    request = grants.Request(redirect_uri="https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/", state="s" * 8,
                             code_challenge="c" * 43, device=name, browser="chrome",
                             extension_id="abcdefghijklmnopabcdefghijklmnop")
    code = grants.grant(r, request, made.user).split("code=")[1].split("&")[0]
    return made.user, [username, email, passkey, accounts.digest(passkey), session, accounts.digest(session),
                       accounts.digest(code), accounts.name_key(username)]


def code_for(r, user: str) -> str:
    """A one-time pairing code for an existing user (another device of theirs)."""
    import secrets

    code = "".join(secrets.choice(user_store.CODE_ALPHABET) for _ in range(user_store.CODE_LENGTH))
    r.set(keys.pairing_code(hashlib.sha256(code.encode()).hexdigest()), user, ex=600)
    return code


def act(app, person: Person, *, dispute: bool = True, screenshot: bool = True) -> Person:
    """Capture three pages (one with a screenshot), open a dispute with an attachment."""
    client = app.test_client()
    for i, file in enumerate(PAGES):
        html = (FIXTURES / file).read_text(encoding="utf-8").replace(
            "</body>", f"<!-- {person.marker} {i} --></body>", 1)
        body = {"client_id": str(uuid.uuid4()), "url": fixture_url(file), "title": file, "html": html,
                "captured_at": "2026-11-24T10:03:30+08:00"}
        if screenshot and i == 0:
            shot = _png(3 + len(person.marker) % 7, 2)
            import base64

            body["screenshot"] = "data:image/png;base64," + base64.b64encode(shot).decode()
            person.hashes.add(hashlib.sha256(shot).hexdigest())
        answer = client.post("/v1/snapshots", json=body, headers=person.auth)
        assert answer.status_code == 201, answer.get_json()
        person.snapshot_ids.append(answer.get_json()["id"])
        person.hashes.add(answer.get_json()["sha256"])
        person.hashes.add(answer.get_json()["chain_hash"])
    if dispute:
        opened = client.post("/v1/disputes", headers=person.auth, json={
            "domain": "xingchen-km.com", "order_no": ORDER_NO, "problem": "account_recovered",
            "occurred_at": "2026-11-26T11:00:00+08:00", "description": f"被找回了 {person.marker}"})
        assert opened.status_code == 201, opened.get_json()
        dispute_id = opened.get_json()["id"]
        person.dispute_ids.append(dispute_id)
        proof = f"支付宝账单 188.00 {person.marker}".encode()
        added = client.post(f"/v1/disputes/{dispute_id}/attachments", headers=person.auth,
                            data={"kind": "payment_proof", "file": (io.BytesIO(proof), "bill.txt")})
        assert added.status_code == 201, added.get_json()
        person.attachment_ids.append(added.get_json()["id"])
        person.hashes.add(added.get_json()["sha256"])
    return person


def _readable(value: bytes) -> list[bytes]:
    """A stored value as stored and, when it is one of our compressed forms, decompressed."""
    out = [value]
    if value[:4] == b"\x28\xb5\x2f\xfd":
        try:
            out.append(zstandard.ZstdDecompressor().decompress(value, max_output_size=64 << 20))
        except zstandard.ZstdError:
            pass
    elif value[:1] == b"\x01":
        try:
            out.append(blobs.unpack_record(value).encode())
        except ValueError:
            pass
    return out


def keyspace(r) -> dict[bytes, list[bytes]]:
    """Every key on every node with everything it holds (names, fields, members, values)."""
    out: dict[bytes, list[bytes]] = {}
    for key in r.scan_iter(count=1000):
        kind = r.type(key)
        kind = kind.decode() if isinstance(kind, bytes) else kind
        parts: list[bytes] = []
        if kind == "string":
            parts += _readable(r.get(key) or b"")
        elif kind == "hash":
            for name, value in r.hgetall(key).items():
                parts += [name, *_readable(value)]
        elif kind == "set":
            parts += list(r.smembers(key))
        elif kind == "list":
            for value in r.lrange(key, 0, -1):
                parts += _readable(value)
        elif kind == "zset":
            for member, _ in r.zrange(key, 0, -1, withscores=True):
                parts += _readable(member)
        else:
            raise AssertionError(f"a {kind} key {key!r} the test cannot read")
        out[key] = parts
    return out


def traces(r, person: Person) -> list[str]:
    """Every key whose name or content holds something of ``person`` (empty: nothing left)."""
    found = []
    wanted = person.secrets()
    for key, parts in keyspace(r).items():
        for secret in wanted:
            if secret in key or any(secret in part for part in parts):
                found.append(f"{key!r} holds {secret[:40]!r}")
    return found

"""Hosted accounts: who can sign in on the web, with what, and their signed-in sessions.
Reads and writes only (no judgement, no HTTP); ``server/accounts/`` holds the rules.

An account belongs to a user (``usr_…``), the same id that owns captures, disputes and paired
devices; ``KADUN_MODE=hosted`` creates one per sign-up. A device signed in from the extension is
an ordinary device of kind ``account`` (``storage/devices.py``), revoked like any other.

Per user, under the user's hash tag (so deleted with every other key of the user):

- ``kadun:{u:<user>}:account``: JSON ``{"username", "name_key", "email", "password",
  "created_at", "password_changed_at"}``. ``username`` is as typed (NFKC-normalised),
  ``name_key`` its comparison form (NFKC, case-folded), ``email`` optional and never verified or
  written to, ``password`` the Argon2id PHC string (``$argon2id$v=19$m=…``) or null for an
  account that signs in with passkeys only.
- ``kadun:{u:<user>}:passkeys``: hash, credential id (base64url) → JSON ``{"id", "public_key",
  "sign_count", "transports", "aaguid", "backed_up", "name", "created_at", "last_used_at"}``.
- ``kadun:{u:<user>}:web-sessions``: set of the digests of the user's signed-in web sessions.

Service-wide pointers, each found from a value the caller holds (the last three are written by
``signins.py``: web sessions and single-use secrets):

- ``kadun:account-name:<name key>`` → user (a username is unique; taken with SET NX);
- ``kadun:account-look:<look key>`` → user (no second account may have a name that looks the
  same: ``server/confusables.py``; the key is also in the account record as ``look_key``);
  ``kadun:account-look-indexed:<version>`` marks that accounts made before had theirs added;
- ``kadun:passkey:<sha256 of credential id>`` → user (a passkey signs in without a username);
- ``kadun:web-session:<sha256 of session id>`` → JSON ``{"user", "created_at", "method"}``,
  expiring with the session (the id itself lives only in the browser's cookie);
- ``kadun:webauthn:<sha256 of ceremony id>``: a passkey ceremony's challenge, single use;
- ``kadun:account-grant:<sha256 of code>``: an extension sign-in's authorization code, single use.

Every read through a pointer checks the user's own records: the user is still in ``kadun:users``,
their account record exists and still names the pointer (the session digest is still in their
set, the passkey still in their hash). So a pointer left behind names no one, and an account is
gone the moment its user leaves ``kadun:users``: its sessions, passkeys and username stop working
at once.

Deletion (``server.rights.delete_user`` over ``storage/erasure.py``): the user leaves
``kadun:users`` first and their ``{u:<user>}`` keys go last; ``erase_account(r, user)`` removes the
service-wide pointers above (and pending ceremonies and sign-in codes naming the user) in between,
since it reads the user's records to find them.
"""
from __future__ import annotations

import json
import secrets
import unicodedata
from dataclasses import dataclass, field

from .. import clock
from ..errors import NotFound, StorageUnavailable
from . import keys
from .records import sha256_hex

# Compare-and-delete: remove a pointer only while it still names this user.
_DEL_IF_VALUE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
# Compare-and-set: take over a pointer only while it still names the user it named when read.
_SET_IF_VALUE = ("if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) "
                 "return 1 end return 0")


class NameTaken(Exception):
    """The username is held by another account."""


class AccountBusy(StorageUnavailable):
    """The account record kept changing under an update (other writes won every round): 503 with
    Retry-After; nothing of this update was written, so sending it again is safe."""

    headers = {"Retry-After": "1"}

    def __init__(self, user: str):
        super().__init__("the account is being changed by another request right now; nothing was changed, "
                         "try again in a moment", reason="account_busy")
        self.reason = "account_busy"


def _text(value) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


def normal_name(username: str) -> str:
    """A username as stored: NFKC (full-width letters and digits become ordinary ones), trimmed."""
    return unicodedata.normalize("NFKC", username).strip()


def name_key(username: str) -> str:
    """What two usernames are compared by: NFKC, then case-folded (``Alice`` is ``ａｌｉｃｅ``)."""
    return unicodedata.normalize("NFKC", normal_name(username).casefold())


def digest(value: str) -> str:
    """The SHA-256 under which a secret or an identifier the browser holds is stored."""
    return sha256_hex(value.encode("utf-8", "surrogatepass"))


# --- users -------------------------------------------------------------------------------------
def user_active(r, user: str) -> bool:
    """The user exists (in ``kadun:users``): false the moment a deletion starts."""
    return bool(r.sismember(keys.users(), user))


def new_user_id() -> str:
    """A fresh user id (``usr_`` + 16 hex digits), as pairing makes them."""
    return "usr_" + secrets.token_hex(8)


def _new_user(r, user: str | None = None) -> str:
    user = user or new_user_id()
    r.set(keys.user_meta(user), json.dumps({"created_at": clock.now_iso(), "account": True}))
    r.sadd(keys.users(), user)
    return user


# --- accounts ----------------------------------------------------------------------------------
@dataclass
class Account:
    """One web account (its password hash stays inside the accounts service)."""

    user: str
    username: str
    name_key: str
    email: str | None
    password: str | None
    created_at: str
    password_changed_at: str | None = None
    look_key: str | None = None  # the form its look-alikes share (None: not indexed yet)

    def as_dict(self) -> dict:
        return {"user": self.user, "username": self.username, "email": self.email,
                "has_password": self.password is not None, "created_at": self.created_at}

    def record(self) -> str:
        return json.dumps({"username": self.username, "name_key": self.name_key, "email": self.email,
                           "password": self.password, "created_at": self.created_at,
                           "password_changed_at": self.password_changed_at,
                           **({"look_key": self.look_key} if self.look_key else {})},
                          ensure_ascii=False, separators=(",", ":"))


def _account(user: str, raw) -> Account | None:
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or not data.get("username"):
        return None
    return Account(user=user, username=data["username"], name_key=data.get("name_key") or name_key(data["username"]),
                   email=data.get("email"), password=data.get("password"), created_at=data.get("created_at") or "",
                   password_changed_at=data.get("password_changed_at"),
                   look_key=data.get("look_key") if isinstance(data.get("look_key"), str) else None)


def get(r, user: str) -> Account | None:
    """The account of ``user`` (None: no account, or the user was deleted)."""
    if not user_active(r, user):
        return None
    return _account(user, r.get(keys.account(user)))


def find_by_name(r, username: str) -> Account | None:
    """The account holding ``username`` (compared by ``name_key``), or None."""
    key = name_key(username)
    owner = _text(r.get(keys.account_name(key)))
    if owner is None:
        return None
    account = get(r, owner)
    return account if account is not None and account.name_key == key else None


def find_by_look(r, look: str) -> Account | None:
    """The live account whose username looks like ``look`` (a key from ``accounts.service.look_key``)."""
    owner = _text(r.get(keys.account_look(look)))
    account = get(r, owner) if owner is not None else None
    return account if account is not None and account.look_key == look else None


def _holds_look(r, holder: str, look: str) -> bool:
    account = get(r, holder)
    return account is not None and account.look_key == look


def _take(r, pointer: str, user: str, *, holder_owns) -> bool:
    """Take a service-wide pointer for ``user`` (SET NX), or take it over from a user who is gone
    or no longer holds it (``holder_owns(holder)`` False), unless someone else does first."""
    for _ in range(3):
        if r.set(pointer, user, nx=True):
            return True
        holder = _text(r.get(pointer))
        if holder is None:
            continue  # released meanwhile: try again
        if holder == user:
            return True
        if holder_owns(holder):
            return False  # held by a live account
        if r.eval(_SET_IF_VALUE, 1, pointer, holder, user):
            return True
    return False


def create(r, username: str, *, password_hash: str | None, email: str | None = None,
           user: str | None = None, look_key: str | None = None) -> Account:
    """A new user (``user``, a fresh id from new_user_id, or one made here) with an account named
    ``username``. Raises NameTaken if another account has it, or (``look_key`` given) has a name
    that looks like it.

    The account record is written before the name is taken, so a name's pointer always leads to
    a record; a pointer whose user is gone (deleted) is taken over. The look-alike pointer is
    taken after the name's: of two look-alike sign-ups at once, one gets it, the other lets its
    name go again."""
    now = clock.now_iso()
    username = normal_name(username)
    if user is not None and r.exists(keys.user_meta(user)):
        raise NameTaken(username)  # a user id is never reused
    account = Account(user=_new_user(r, user), username=username, name_key=name_key(username), email=email or None,
                      password=password_hash, created_at=now, password_changed_at=now if password_hash else None,
                      look_key=look_key or None)
    r.set(keys.account(account.user), account.record())
    name = keys.account_name(account.name_key)
    if _take(r, name, account.user, holder_owns=lambda holder: get(r, holder) is not None):
        if account.look_key is None or _take(r, keys.account_look(account.look_key), account.user,
                                             holder_owns=lambda holder: _holds_look(r, holder, account.look_key)):
            return account
        r.eval(_DEL_IF_VALUE, 1, name, account.user)
    _discard_user(r, account.user)
    raise NameTaken(username)


def index_look_keys(r, version: str, look_key_of) -> int:
    """Give every account made before look-alike pointers existed its pointer (``look_key_of``:
    username → key, the accounts service's rule). Once per storage and ``version``: the first run
    marks it done; harmless to run again or at the same time. How many accounts got one."""
    if r.exists(keys.account_look_indexed(version)):
        return 0
    done = 0
    for pointer in list(r.scan_iter(match=keys.account_name_pattern(), count=1000)):
        user = _text(r.get(pointer))
        account = get(r, user) if user else None
        if account is None or account.look_key is not None:
            continue
        look = look_key_of(account.username)

        def change(record: Account, look=look):
            if record.look_key is not None:
                return False
            record.look_key = look
        try:
            if not _update(r, account.user, change):
                continue
        except AccountBusy:
            continue
        # A name that already looks like another's keeps working; only the first has the pointer.
        if _take(r, keys.account_look(look), account.user,
                 holder_owns=lambda holder, look=look: _holds_look(r, holder, look)):
            done += 1
    r.set(keys.account_look_indexed(version), "1")
    return done


def _discard_user(r, user: str) -> None:
    """Undo a user made for a sign-up that did not go through."""
    r.srem(keys.users(), user)
    r.delete(keys.account(user), keys.user_meta(user))


def _update(r, user: str, change) -> bool:
    """Apply ``change(account)`` to the stored record as one compare-and-set, again when another
    write landed between the read and the write (a password change and an e-mail change, or a
    sign-in's rehash, must not undo each other). ``change`` returns False to write nothing.
    False if there is no account or nothing was written."""
    for _ in range(8):
        raw = r.get(keys.account(user))
        account = _account(user, raw)
        if account is None or change(account) is False:
            return False
        if r.eval(_SET_IF_VALUE, 1, keys.account(user), raw, account.record()):
            return True
    raise AccountBusy(user)


_ANY = object()


def set_password(r, user: str, password_hash: str | None, *, replacing=_ANY) -> bool:
    """Replace the account's password hash (None: passkeys only). False if there is no account, or
    when ``replacing`` is given and the stored hash is no longer that one (a sign-in upgrading the
    hash it checked must not undo a password changed meanwhile)."""
    def change(account: Account):
        if replacing is not _ANY and account.password != replacing:
            return False
        account.password = password_hash
        account.password_changed_at = clock.now_iso()
    return _update(r, user, change)


def set_email(r, user: str, email: str | None) -> bool:
    def change(account: Account):
        account.email = email or None
    return _update(r, user, change)


# --- passkeys ----------------------------------------------------------------------------------
@dataclass
class Passkey:
    """A WebAuthn credential registered to an account (its public key, base64url COSE)."""

    id: str
    public_key: str
    sign_count: int
    transports: list[str] = field(default_factory=list)
    aaguid: str | None = None
    backed_up: bool = False
    name: str = ""
    created_at: str = ""
    last_used_at: str | None = None

    def record(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, separators=(",", ":"))

    def as_dict(self) -> dict:
        """What the account page shows (no key material)."""
        return {"id": self.id, "name": self.name, "created_at": self.created_at, "last_used_at": self.last_used_at,
                "backed_up": self.backed_up}


def _passkey(raw) -> Passkey | None:
    try:
        data = json.loads(raw)
        return Passkey(**{k: data[k] for k in Passkey.__dataclass_fields__ if k in data})
    except (TypeError, ValueError, KeyError):
        return None


class AccountGone(NotFound):
    """The user was deleted while a record of theirs was being written; the write was undone (404)."""

    def __init__(self, user: str):
        super().__init__("this account was deleted meanwhile; nothing was added to it", reason="account_gone")
        self.reason = "account_gone"


def add_passkey(r, user: str, passkey: Passkey) -> None:
    """Register ``passkey`` to ``user``; the credential id must not belong to anyone yet. Raises
    AccountGone (nothing left behind) when the user is deleted meanwhile.

    A deletion (``erase_account``) finds the global pointer from the user's passkeys hash after the
    user left ``kadun:users``. So the field is written first, then the pointer, then membership is
    checked: a user still there means the deletion has not started and will find both; a user gone
    means it may have looked already, and this undoes both itself (cluster-safe: no script spans
    the keys of two slots)."""
    owner = keys.passkey_owner(digest(passkey.id))
    r.hset(keys.account_passkeys(user), passkey.id, passkey.record())
    r.set(owner, user)
    if not user_active(r, user):
        r.eval(_DEL_IF_VALUE, 1, owner, user)
        r.hdel(keys.account_passkeys(user), passkey.id)
        raise AccountGone(user)


def passkeys(r, user: str) -> list[Passkey]:
    """The user's passkeys, oldest first."""
    found = [_passkey(raw) for raw in (r.hgetall(keys.account_passkeys(user)) or {}).values()]
    return sorted((p for p in found if p is not None), key=lambda p: (p.created_at, p.id))


def passkey_owner(r, credential_id: str) -> tuple[Account, Passkey] | None:
    """The account a credential id signs in to, and its passkey record; None if it signs in nowhere."""
    if not credential_id or len(credential_id) > 1400:
        return None
    user = _text(r.get(keys.passkey_owner(digest(credential_id))))
    if user is None:
        return None
    account = get(r, user)
    raw = r.hget(keys.account_passkeys(user), credential_id) if account else None
    passkey = _passkey(raw) if raw else None
    return (account, passkey) if account and passkey else None


# Compare-and-set of one hash field: only while it still holds what was read (never re-creates it).
_HSET_IF_VALUE = ("if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then "
                  "redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) return 1 end return 0")
# Remove a passkey; with ARGV[2] "1", refuse (-1) to remove the last one of an account without a
# password, in the same step (two removals at once must not both see two passkeys).
_REMOVE_PASSKEY = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if ARGV[2] == '1' and redis.call('HLEN', KEYS[1]) <= 1 then
  local raw = redis.call('GET', KEYS[2])
  local ok, account = pcall(cjson.decode, raw or '')
  if not ok or type(account) ~= 'table' or account['password'] == nil or account['password'] == cjson.null then
    return -1
  end
end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
"""


class LastPasskey(Exception):
    """The passkey is the last way into an account without a password."""


def passkey_used(r, user: str, credential_id: str, sign_count: int, backed_up: bool | None = None) -> None:
    """Note a sign-in with the passkey: its new signature counter and when. A passkey removed (or
    an account deleted) meanwhile stays removed."""
    for _ in range(8):
        raw = r.hget(keys.account_passkeys(user), credential_id)
        passkey = _passkey(raw) if raw else None
        if passkey is None:
            return
        passkey.sign_count = int(sign_count)
        passkey.last_used_at = clock.now_iso()
        if backed_up is not None:
            passkey.backed_up = bool(backed_up)
        if r.eval(_HSET_IF_VALUE, 1, keys.account_passkeys(user), credential_id, raw, passkey.record()):
            return


def remove_passkey(r, user: str, credential_id: str, *, keep_a_way_in: bool = True) -> bool:
    """Take a passkey off the account; False if the account has no such passkey. Raises
    LastPasskey (nothing removed) when it is the last way into an account without a password,
    unless ``keep_a_way_in`` is False."""
    done = int(r.eval(_REMOVE_PASSKEY, 2, keys.account_passkeys(user), keys.account(user), credential_id,
                      "1" if keep_a_way_in else "0"))
    if done < 0:
        raise LastPasskey(credential_id)
    if not done:
        return False
    r.eval(_DEL_IF_VALUE, 1, keys.passkey_owner(digest(credential_id)), user)
    return True


# --- deletion ----------------------------------------------------------------------------------
def erase_account(r, user: str) -> int:
    """Remove the service-wide pointers to ``user``'s account (username, passkeys, sessions, their
    pending passkey ceremonies and extension sign-in codes); how many keys went. Run by a deletion after the user left ``kadun:users`` and before their own keys
    are deleted (it reads them); harmless to run again."""
    removed = 0
    raw = r.get(keys.account(user))
    account = _account(user, raw)
    if account is not None:
        removed += int(r.eval(_DEL_IF_VALUE, 1, keys.account_name(account.name_key), user) or 0)
        if account.look_key:
            removed += int(r.eval(_DEL_IF_VALUE, 1, keys.account_look(account.look_key), user) or 0)
    for credential_id in [_text(c) for c in r.hkeys(keys.account_passkeys(user)) or []]:
        removed += int(r.eval(_DEL_IF_VALUE, 1, keys.passkey_owner(digest(credential_id)), user) or 0)
    for hashed in [_text(m) for m in r.smembers(keys.account_sessions(user)) or []]:
        removed += int(r.delete(keys.web_session(hashed)) or 0)
    # Single-use secrets still waiting (a passkey being added, an extension sign-in's code) name
    # the user in their value: found by a scan of their few, short-lived keys.
    for pattern in (keys.webauthn_ceremony_pattern(), keys.account_grant_pattern()):
        for key in list(r.scan_iter(match=pattern, count=1000)):
            raw = r.get(key)
            try:
                named = json.loads(raw).get("user") if raw else None
            except (ValueError, AttributeError):
                named = None
            if named == user:
                removed += int(r.delete(key) or 0)
    return removed


__all__ = ["Account", "AccountBusy", "AccountGone", "LastPasskey", "NameTaken", "Passkey", "add_passkey", "create", "digest", "erase_account", "find_by_look", "find_by_name",
           "get", "index_look_keys", "name_key", "new_user_id", "normal_name", "passkey_owner", "passkey_used", "passkeys",
           "remove_passkey", "set_email", "set_password", "user_active"]

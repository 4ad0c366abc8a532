"""Accounts: signing up and signing in with a username and password (passkeys: passkeys.py).

Every refusal is a ``KadunError`` whose ``reason`` names it for the pages, which say it in the
reader's language (``server/web/account/texts.py``). A failed sign-in is one answer, "wrong
username or password", whatever went wrong, and costs one Argon2id verification either way.
"""
from __future__ import annotations

import unicodedata

from .. import confusables, sizes
from ..errors import BadRequest, Conflict
from ..storage import accounts as store
from .passwords import Passwords

NAME_PUNCTUATION = "_.-"
# The passwords every leaked list starts with (NIST SP 800-63B: refuse known-compromised ones).
# A short list, compared case-folded; the length rule already refuses shorter ones.
COMMON_PASSWORDS = frozenset({
    "12345678", "123456789", "1234567890", "12345678910", "87654321", "11111111", "00000000", "88888888",
    "66666666", "99999999", "11223344", "12341234", "123123123", "147258369", "password", "password1",
    "passw0rd", "iloveyou", "qwertyui", "qwertyuiop", "1qaz2wsx", "1q2w3e4r", "a1234567", "a12345678",
    "a123456789", "abc12345", "abcd1234", "aa123456", "woaini1314", "woaini520", "5201314520", "1314520520",
    "qq123456", "qq1234567", "zxcvbnm123", "asdfghjkl", "admin123", "letmein1", "welcome1",
})


class AccountRefused(BadRequest):
    """A form value the accounts service does not take; ``reason`` names the rule broken."""

    def __init__(self, message: str, field: str, reason: str):
        super().__init__(message, field=field, reason=reason)
        self.reason = reason


class UsernameUnavailable(Conflict):
    """Sign-up with a username that cannot be had (another account holds it)."""

    def __init__(self):
        super().__init__("this username is not available; choose another", field="username",
                         reason="username_unavailable")
        self.reason = "username_unavailable"


def check_username(username: str) -> str:
    """The username as it will be stored (NFKC, trimmed), or AccountRefused.

    Names that could pass for another are refused (``server/confusables.py``): invisible or
    blank-looking characters (fillers, zero-width and bidi controls, the braille blank), and
    letters of two scripts (a Cyrillic ``а`` in ``pаypal``) except Latin with Han (and the kana,
    bopomofo or hangul that go with Han). A look-alike of a name already taken is refused as
    taken (``Accounts.name_available``, ``storage.accounts.create``)."""
    name = store.normal_name(username or "")
    if any(confusables.invisible(ch) for ch in name):
        raise AccountRefused("a username cannot hold invisible or blank characters", "username",
                             "username_invisible")
    if not sizes.USERNAME_MIN <= len(name) <= sizes.USERNAME:
        raise AccountRefused(f"a username has {sizes.USERNAME_MIN} to {sizes.USERNAME} characters",
                             "username", "username_length")
    if not all(ch.isalnum() or ch in NAME_PUNCTUATION for ch in name):
        raise AccountRefused("a username has letters (any script), digits and _ . - only", "username",
                             "username_chars")
    if not confusables.single_script(name):
        raise AccountRefused("a username mixes letters of one script, or Chinese characters with Latin letters, "
                             f"not {' + '.join(sorted(confusables.scripts(name)))}", "username", "username_scripts")
    return name


def look_key(name: str) -> str:
    """The key a username's look-alikes share, as stored (``confusables``, versioned)."""
    return f"{confusables.LOOK_VERSION}:{confusables.look_key(name)}"


def index_look_alikes(r) -> int:
    """Give accounts made before look-alike names were refused their look-alike pointer (once per
    storage and version of the look-alike map); how many got one."""
    return store.index_look_keys(r, confusables.LOOK_VERSION, look_key)


def check_password(password: str, username: str | None = None) -> str:
    """The password unchanged (every character counts, spaces too), or AccountRefused."""
    password = password or ""
    if not sizes.PASSWORD_MIN <= len(password) <= sizes.PASSWORD:
        raise AccountRefused(f"a password has {sizes.PASSWORD_MIN} to {sizes.PASSWORD} characters",
                             "password", "password_length")
    folded = unicodedata.normalize("NFKC", password).casefold()
    if folded in COMMON_PASSWORDS or len(set(folded)) == 1:
        raise AccountRefused("this password is among the first that anyone tries; choose another",
                             "password", "password_common")
    if username and folded == store.name_key(username):
        raise AccountRefused("the password must not be the username", "password", "password_is_username")
    return password


def check_email(email: str | None) -> str | None:
    """An optional e-mail address (never verified, never written to), or AccountRefused."""
    email = (email or "").strip()
    if not email:
        return None
    local, at, domain = email.rpartition("@")
    if len(email) > sizes.EMAIL or not at or not local or "." not in domain.strip(".") \
            or any(ch.isspace() or ch in "<>\"'(),;:\\[]" for ch in email) or "@" in local:
        raise AccountRefused("this is not an e-mail address (leave it empty if you like)", "email", "email_format")
    return email


class Accounts:
    """Sign-up and password sign-in over one Redis, with one set of Argon2id parameters."""

    def __init__(self, r, passwords: Passwords):
        self.r = r
        self.passwords = passwords

    def sign_up(self, username: str, password: str | None, email: str | None = None) -> store.Account:
        """A new account (and user). ``password`` None: it will sign in with a passkey only."""
        name = check_username(username)
        index_look_alikes(self.r)  # (done at start; again here if the storage was down then)
        hashed = self.passwords.hash(check_password(password, name)) if password is not None else None
        mail = check_email(email)
        try:
            return store.create(self.r, name, password_hash=hashed, email=mail, look_key=look_key(name))
        except store.NameTaken:
            raise UsernameUnavailable() from None

    def name_available(self, username: str) -> None:
        """Check a name before a passkey sign-up starts (UsernameUnavailable / AccountRefused)."""
        name = check_username(username)
        index_look_alikes(self.r)
        if store.find_by_name(self.r, name) is not None or store.find_by_look(self.r, look_key(name)) is not None:
            raise UsernameUnavailable()

    def authenticate(self, username: str, password: str) -> store.Account | None:
        """The account if ``password`` is its password, else None (the same work either way)."""
        account = None
        if isinstance(username, str) and 0 < len(username) <= 4 * sizes.USERNAME:
            account = store.find_by_name(self.r, username)
        stored = account.password if account is not None else None
        if not self.passwords.check(stored, password if isinstance(password, str) else ""):
            return None
        if self.passwords.needs_rehash(stored):  # stronger parameters since it was made
            try:
                store.set_password(self.r, account.user, self.passwords.hash(password), replacing=stored)
            except store.AccountBusy:
                pass  # the upgrade waits for the next sign-in; this one is right and goes through
        return account

    def change_password(self, user: str, current: str | None, new: str) -> None:
        """Set a new password; the current one must be given when the account has one."""
        account = store.get(self.r, user)
        if account is None:
            raise AccountRefused("no such account", "username", "no_account")
        if account.password is not None and not self.passwords.check(account.password, current or ""):
            raise AccountRefused("the current password is not right", "current_password", "password_wrong")
        store.set_password(self.r, user, self.passwords.hash(check_password(new, account.username)))

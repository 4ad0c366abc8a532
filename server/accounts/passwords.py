"""Password hashes: Argon2id through ``argon2-cffi`` (PHC strings, parameters kept in each hash).

A sign-in costs one Argon2id verification whether or not the username exists: for an unknown
name the password is checked against a hash made once per process with the same parameters, so
the answer takes as long either way (``tests/accounts/test_enumeration.py`` measures it).
"""
from __future__ import annotations

import threading

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Passwords:
    """Hash and check passwords with one set of Argon2id parameters."""

    def __init__(self, time_cost: int = 3, memory_kib: int = 65536, parallelism: int = 4):
        self.hasher = PasswordHasher(time_cost=int(time_cost), memory_cost=int(memory_kib),
                                     parallelism=int(parallelism), type=Type.ID)
        self._dummy: str | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config) -> Passwords:
        return cls(config.get("ARGON2_TIME_COST") or 3, config.get("ARGON2_MEMORY_KIB") or 65536,
                   config.get("ARGON2_PARALLELISM") or 4)

    def hash(self, password: str) -> str:
        """A new PHC string (``$argon2id$v=19$m=…,t=…,p=…$salt$hash``) with a fresh salt."""
        return self.hasher.hash(password)

    def dummy(self) -> str:
        """A hash of nothing anyone knows, with this hasher's parameters (made once)."""
        if self._dummy is None:
            with self._lock:
                if self._dummy is None:
                    import secrets

                    self._dummy = self.hasher.hash(secrets.token_urlsafe(24))
        return self._dummy

    def check(self, stored: str | None, password: str) -> bool:
        """Whether ``password`` matches ``stored``; with no stored hash (no such account, or a
        passkey-only one) the same work is done against the dummy hash and the answer is False."""
        try:
            password.encode("utf-8")
            usable = True
        except UnicodeEncodeError:  # a lone surrogate (a JSON "\ud800"): no password, same work
            usable, password = False, password.encode("utf-8", "replace").decode("utf-8")
        try:
            return self.hasher.verify(stored or self.dummy(), password) and stored is not None and usable
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        """The stored hash was made with other parameters (rehash it at the next sign-in)."""
        try:
            return self.hasher.check_needs_rehash(stored)
        except (InvalidHashError, ValueError):
            return True

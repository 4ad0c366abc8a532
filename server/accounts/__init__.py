"""Hosted accounts (``KADUN_MODE=hosted``): the rules around ``storage/accounts.py``.

- ``service.py``: sign-up and password sign-in (Argon2id, ``passwords.py``), the username,
  password and e-mail rules, and refusals that name the rule broken.
- ``passkeys.py``: WebAuthn registration and sign-in through the ``webauthn`` package.
- ``grants.py``: signing in from the extension (an authorization code with PKCE, exchanged for a
  device token bound to the account).

The web pages (``server/web/account/``) and the token route (``server/api/account.py``) call
these; nothing here knows about HTTP.
"""

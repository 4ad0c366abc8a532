"""Every Redis key KaDun uses, built in one place.

A user's keys carry the hash tag ``{u:<user>}`` so they share one cluster slot and a capture
(blob, metadata, sightings, chain link, indexes) can be written in one MULTI. Shared profile keys
carry ``{p:<domain>}`` so a platform and its sellers share a slot too. Parts that come from
outside (domains, order numbers, seller ids) are escaped so that no value can forge a separator.
"""
from __future__ import annotations

import hashlib
import re

PREFIX = "kadun"
_SAFE = re.compile(r"[^A-Za-z0-9._\-]")


def _part(value: str) -> str:
    """A key segment: short safe values as they are, anything else as a stable digest.

    A digest starts with ``~``, which no safe value contains, so a value chosen to look like a
    digest can never land on another value's key.
    """
    value = str(value)
    if value and len(value) <= 120 and not _SAFE.search(value):
        return value
    return "~" + hashlib.sha256(value.encode("utf-8", errors="surrogatepass")).hexdigest()[:32]


def _user(user: str) -> str:
    return f"{PREFIX}:{{u:{_part(user)}}}"


def _site(domain: str) -> str:
    return f"{PREFIX}:{{p:{_part(domain.lower())}}}"


# --- service-wide keys -------------------------------------------------------------------------
def users() -> str:
    return f"{PREFIX}:users"


def default_user() -> str:
    return f"{PREFIX}:default-user"


def pairing_code(code_hash: str) -> str:
    return f"{PREFIX}:pair:{_part(code_hash)}"


def token(token_hash: str) -> str:
    return f"{PREFIX}:token:{_part(token_hash)}"


def pair_attempts(client: str) -> str:
    return f"{PREFIX}:pair-attempts:{_part(client)}"


def calendar_secret(secret_hash: str) -> str:
    """The user a calendar feed's secret (``GET /v1/reminders.ics?key=…``) belongs to, by the
    secret's SHA-256 (the secret itself is never stored)."""
    return f"{PREFIX}:calendar:{_part(secret_hash)}"


def extension_origins() -> str:
    """Hash: the browser-extension origins this backend was paired from → when each was pinned."""
    return f"{PREFIX}:extension-origins"


def auth_epoch() -> str:
    """A counter bumped whenever tokens are taken away at once (an account deleted): every worker
    polls it and forgets the tokens it had cached when it moves."""
    return f"{PREFIX}:auth-epoch"


def deletions_log() -> str:
    """List of account deletions (JSON: when, how many keys): no user id, no digest of one."""
    return f"{PREFIX}:audit:deletions"


# Keys whose value never changes once written (content-addressed): a backup copies them outside
# their user's transaction.
_IMMUTABLE = (b"}:blob:", b"}:facts:", b"}:warn:")


def is_immutable(key: bytes | str) -> bool:
    """A page's or screenshot's bytes, parsed facts or a warnings document: written once (NX)."""
    name = key if isinstance(key, bytes) else str(key).encode()
    return any(marker in name for marker in _IMMUTABLE)


# Keys about the running servers, not anybody's data: request figures and the /readyz probe. A
# backup leaves them out and a restore does not count them as data already there (a server left
# running against the emptied storage writes them within a second).
_OPERATIONAL = (f"{PREFIX}:metrics:".encode(), f"{PREFIX}:readyz".encode())


def is_operational(key: bytes | str) -> bool:
    """A server's own figures or probe key (``kadun:metrics:*``, ``kadun:readyz``)."""
    name = key if isinstance(key, bytes) else str(key).encode()
    return any(name == marker or (marker.endswith(b":") and name.startswith(marker)) for marker in _OPERATIONAL)


def user_pattern(user: str) -> str:
    """SCAN pattern of every key of one user (their hash tag): ``kadun:{u:<user>}:*``."""
    return f"{_user(user)}:*"


def user_prefix(user: str) -> str:
    """The prefix every key of one user starts with."""
    return f"{_user(user)}:"


def user_hash_tag(user: str) -> str:
    """The part of a user's keys that Redis Cluster hashes (``u:<user>``): one slot per user."""
    return f"u:{_part(user)}"


def site_user_views_pattern(user: str) -> str:
    """SCAN pattern of one user's views of every site (``…{p:<domain>}:u:<user>:…``)."""
    return f"{PREFIX}:{{p:*}}:u:{_part(user)}:*"


def site_pattern() -> str:
    """SCAN pattern of every key of every site (shared aggregates and per-user views)."""
    return f"{PREFIX}:{{p:*"


def pairing_code_pattern() -> str:
    return f"{PREFIX}:pair:*"


# --- one user's keys ---------------------------------------------------------------------------
def user_meta(user: str) -> str:
    return f"{_user(user)}:meta"


def user_tokens(user: str) -> str:
    return f"{_user(user)}:tokens"


def blob(user: str, sha256: str) -> str:
    """zstd-compressed bytes of one HTML page or screenshot, stored once per user."""
    return f"{_user(user)}:blob:{_part(sha256)}"


def facts(user: str, facts_id: str) -> str:
    """Parsed facts, shared by every capture of the same bytes at the same URL."""
    return f"{_user(user)}:facts:{_part(facts_id)}"


def warnings(user: str, digest: str) -> str:
    """Warnings given with captures, stored once per distinct list (repeat captures share one)."""
    return f"{_user(user)}:warn:{_part(digest)}"


def snapshot(user: str, snapshot_id: str) -> str:
    return f"{_user(user)}:snap:{_part(snapshot_id)}"


def client_id(user: str, client: str) -> str:
    """Idempotency: the extension's client_id → the snapshot id it produced (one key each;
    captures use the client_ids hash instead, which costs less per capture)."""
    return f"{_user(user)}:client:{_part(client)}"


def client_ids(user: str) -> str:
    """Hash: the extension's client_id → the snapshot id it produced (idempotency)."""
    return f"{_user(user)}:clients"


def sightings(user: str, sha256: str) -> str:
    return f"{_user(user)}:sight:{_part(sha256)}"


def chain(user: str) -> str:
    """List of chain links (JSON), position = chain_index."""
    return f"{_user(user)}:chain"


def snapshots_all(user: str) -> str:
    """Sorted set of snapshot ids scored by chain index (newest = highest)."""
    return f"{_user(user)}:snaps"


def snapshots_by_domain(user: str, domain: str) -> str:
    return f"{_user(user)}:snaps:domain:{_part(domain.lower())}"


def snapshots_by_order(user: str, order_no: str) -> str:
    return f"{_user(user)}:snaps:order:{_part(order_no)}"


def snapshots_by_shop_order(user: str, domain: str, order_no: str) -> str:
    """Sorted set of the snapshot ids of one order of one shop (domain and order number)."""
    return f"{_user(user)}:snaps:shop-order:{_part(domain.lower())}:{_part(order_no)}"


def orders(user: str) -> str:
    """Sorted set of the user's orders, member ``domain\norder_no``, scored by the chain index of
    the order's newest capture (newest order = highest)."""
    return f"{_user(user)}:orders"


def user_domains(user: str) -> str:
    """Set of the domains the user has captures of (the search looks for a domain here)."""
    return f"{_user(user)}:domains"


def search_indexed(user: str) -> str:
    """Set once the orders and domains indexes hold the captures made before they existed."""
    return f"{_user(user)}:orders:indexed"


def snapshots_by_kind(user: str, page_kind: str) -> str:
    return f"{_user(user)}:snaps:kind:{_part(page_kind)}"


def snapshots_by_seller(user: str, domain: str, seller_id: str) -> str:
    return f"{_user(user)}:snaps:seller:{_part(domain.lower())}:{_part(seller_id)}"


def dispute(user: str, dispute_id: str) -> str:
    return f"{_user(user)}:dispute:{_part(dispute_id)}"


def disputes_all(user: str) -> str:
    return f"{_user(user)}:disputes"


def attachment(user: str, attachment_id: str) -> str:
    return f"{_user(user)}:att:{_part(attachment_id)}"


def dispute_attachments(user: str, dispute_id: str) -> str:
    return f"{_user(user)}:dispute:{_part(dispute_id)}:atts"


def dispute_versions(user: str) -> str:
    """Hash: dispute id → how many attachments it has had (what its judgement was computed with)."""
    return f"{_user(user)}:disputes:versions"


def order_view(user: str, domain: str, order_no: str) -> str:
    """An order's windows as the badge shows them, with what they were computed from (a cache)."""
    return f"{_user(user)}:order-view:{_part(domain.lower())}:{_part(order_no)}"


def disputes_by_order(user: str) -> str:
    """Hash: ``<domain> <order_no>`` → the newest dispute of that order (the badge's order view)."""
    return f"{_user(user)}:disputes:by-order"


def reminder_states(user: str) -> str:
    """Hash: ``domain\norder_no`` → the buyer's word on the order's reminders (JSON: ``fine`` when
    the order turned out fine, ``muted`` when its reminders are switched off)."""
    return f"{_user(user)}:reminders:states"


def windows_due(user: str) -> str:
    """Sorted set of the user's orders (``domain\norder_no``) that have a dated window not met,
    scored by the last such deadline (epoch seconds): the orders that may still have open windows."""
    return f"{_user(user)}:windows:due"


def windows_stale(user: str) -> str:
    """Set of domains with captures newer than the windows kept for the user's orders there."""
    return f"{_user(user)}:windows:stale"


def windows_indexed(user: str) -> str:
    """Set once ``windows_due`` holds the orders captured before it existed."""
    return f"{_user(user)}:windows:indexed"


def calendar(user: str) -> str:
    """The user's calendar feed: JSON ``{"digest", "created_at"}`` of its current secret."""
    return f"{_user(user)}:calendar"


def uploads(user: str) -> str:
    """Sorted set of the user's screenshot uploads (attachment ids) scored by chain index."""
    return f"{_user(user)}:uploads"


def uploads_version(user: str) -> str:
    """Counter: bumped by every upload and every stored reading (what an order's judgement read)."""
    return f"{_user(user)}:uploads:version"


def ocr_reading(user: str, attachment_id: str) -> str:
    """What OCR read from one uploaded screenshot, and the state of its job (JSON)."""
    return f"{_user(user)}:ocr:{_part(attachment_id)}"


def order_uploads(user: str, order_no: str) -> str:
    """Set of uploads (attachment ids) matched to or filed under one order number."""
    return f"{_user(user)}:uploads:order:{_part(order_no)}"


# --- queues -----------------------------------------------------------------------------------
def ocr_queue() -> str:
    """Sorted set of OCR jobs ("<user>\t<attachment id>") scored by the time each may run next:
    a worker that claims a job pushes its score past its lease, so a job whose worker died runs
    again when the lease ends."""
    return f"{PREFIX}:{{q:ocr}}:jobs"


def ocr_job(user: str, attachment_id: str) -> str:
    """A member of :func:`ocr_queue`: one upload of one user waiting to be read."""
    return f"{user}\t{attachment_id}"


def ocr_jobs_of_pattern(user: str) -> str:
    """ZSCAN MATCH pattern of every member of :func:`ocr_queue` that is ``user``'s."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", user) + "\t*"


# --- shared profiles (aggregates across users) -------------------------------------------------
def platform_profile(domain: str) -> str:
    return f"{_site(domain)}:platform"


def seller_profile(domain: str, seller_id: str) -> str:
    return f"{_site(domain)}:seller:{_part(seller_id)}"


def site_users(domain: str) -> str:
    """Set of one-way digests of the users who captured this site: a count that names no one, and
    from which one contributor is removed when their account is deleted."""
    return f"{_site(domain)}:contributors"


def site_users_legacy(domain: str) -> str:
    """The HyperLogLog that counted the same before (a contributor cannot be taken out of it)."""
    return f"{_site(domain)}:users"


def user_platform_view(domain: str, user: str) -> str:
    """One user's platform profile of a site (readings with that user's evidence only)."""
    return f"{_site(domain)}:u:{_part(user)}:platform"


def user_seller_view(domain: str, user: str, seller: str) -> str:
    """One user's profile of one seller of a site."""
    return f"{_site(domain)}:u:{_part(user)}:seller:{_part(seller)}"


def user_platform_badge(domain: str, user: str) -> str:
    """The platform answer of GET /v1/risk precomputed for this user at capture time (header + JSON)."""
    return f"{_site(domain)}:u:{_part(user)}:badge"


def user_seller_badge(domain: str, user: str, seller: str) -> str:
    return f"{_site(domain)}:u:{_part(user)}:badge:seller:{_part(seller)}"


def user_site_urls(domain: str, user: str) -> str:
    """Hash: page URL (no fragment) → the seller that page showed, for this user's captures."""
    return f"{_site(domain)}:u:{_part(user)}:urls"


def user_site_orders(domain: str, user: str) -> str:
    """Hash: page URL (no fragment) → the order number that page showed, for this user's captures."""
    return f"{_site(domain)}:u:{_part(user)}:orders"


def user_site_counted(domain: str, user: str) -> str:
    """Hash: what this user's captures added to the site's shared counts (``platform``,
    ``seller:<seller>``, and ``domain``), so deleting the user can take exactly that out again."""
    return f"{_site(domain)}:u:{_part(user)}:counted"


def site_evidence(domain: str) -> str:
    """Per-site facts digests that profiles are built from (see risk)."""
    return f"{_site(domain)}:evidence"


def site_disputes(domain: str) -> str:
    """Hash: subject (platform or seller id) → count of disputes opened on this backend, and
    ``last_at``; the crowd signal counts users instead (``site_dispute_users``)."""
    return f"{_site(domain)}:disputes"


def site_dispute_users(domain: str, subject: str) -> str:
    """Set of one-way digests of the users who opened disputes about a subject of the site
    (``platform`` or ``seller:<key>``): distinct users, each once, naming no one."""
    return f"{_site(domain)}:disputes:users:{_part(subject)}"


def site_dispute_members(domain: str) -> str:
    """Hash: dispute id → the seller it was counted for ("" for none), so a retry never counts
    twice and a deleted account's disputes can be counted out (older data: a set of ids)."""
    return f"{_site(domain)}:disputes:counted"


def readiness() -> str:
    """A short-lived key /readyz writes to prove the storage takes writes."""
    return f"{PREFIX}:readyz"


def metrics(name: str) -> str:
    return f"{PREFIX}:metrics:{_part(name)}"


# --- trusted time (RFC 3161 stamps of chain heads) ---------------------------------------------
def stamp_due() -> str:
    """Sorted set: user → when (ms since the epoch) their chain head should next be stamped.
    One service-wide key, read by every app worker's stamper."""
    return f"{PREFIX}:stamp:due"


def stamps(user: str) -> str:
    """Sorted set of stamp records (JSON), scored by the chain index of the head they stamp."""
    return f"{_user(user)}:stamps"


def stamp_lock(user: str) -> str:
    """Held (SET NX PX) by the one worker stamping this user's head, so no head is stamped twice."""
    return f"{_user(user)}:stamp:lock"


def stamp_attempts(user: str) -> str:
    """Failed stamping rounds in a row (the retry backoff grows with it)."""
    return f"{_user(user)}:stamp:attempts"


def quota_overrides(user: str) -> str:
    """Hash: quota name → this user's own limit (a number, or "unlimited"), set by an admin."""
    return f"{_user(user)}:quota"


def quota_day(user: str, name: str, day: str) -> str:
    """Counter of one daily quota (captures, disputes, exports) on one China-time day (YYYYMMDD);
    expires two days later by itself."""
    return f"{_user(user)}:quota:{_part(name)}:{_part(day)}"


def quota_bytes(user: str) -> str:
    """The bytes of the user's distinct blobs (pages, screenshots, attachments), uncompressed."""
    return f"{_user(user)}:quota:bytes"


def tsa_chains(user: str) -> str:
    """Hash: SHA-256 fingerprint of a TSA signing certificate → its PEM chain (stored once)."""
    return f"{_user(user)}:tsa-chains"


# --- hosted accounts (server/storage/accounts.py) ----------------------------------------------
def account(user: str) -> str:
    """JSON: the user's web account (username, optional e-mail, Argon2id password hash or none)."""
    return f"{_user(user)}:account"


def account_passkeys(user: str) -> str:
    """Hash: credential id (base64url) → the passkey's public key and counters (JSON)."""
    return f"{_user(user)}:passkeys"


def account_sessions(user: str) -> str:
    """Set: digests of the user's signed-in web sessions (listing, signing out, erasure)."""
    return f"{_user(user)}:web-sessions"


def account_name(name_key: str) -> str:
    """Service-wide: a username's comparison key (NFKC, case-folded) → the user who holds it."""
    return f"{PREFIX}:account-name:{_part(name_key)}"


def account_look(look_key: str) -> str:
    """Service-wide: the form a username's look-alikes share (``accounts.service.look_key``) → the
    user who holds it (a second account cannot pass for the first)."""
    return f"{PREFIX}:account-look:{_part(look_key)}"


def account_look_pattern() -> str:
    """Every look-alike pointer (the start-up index of accounts made before they existed)."""
    return f"{PREFIX}:account-look:*"


def account_name_pattern() -> str:
    """Every username pointer."""
    return f"{PREFIX}:account-name:*"


def account_look_indexed(version: str) -> str:
    """Set once every account made before look-alike pointers (of map ``version``) has one."""
    return f"{PREFIX}:account-look-indexed:{_part(version)}"


def passkey_owner(credential_digest: str) -> str:
    """Service-wide: SHA-256 of a passkey's credential id → its user (sign-in without a username)."""
    return f"{PREFIX}:passkey:{_part(credential_digest)}"


def web_session(session_digest: str) -> str:
    """Service-wide: SHA-256 of a web session id → the session (JSON), expiring with it."""
    return f"{PREFIX}:web-session:{_part(session_digest)}"


def webauthn_ceremony(ceremony_digest: str) -> str:
    """Service-wide: one passkey ceremony's challenge (JSON), single use, a few minutes."""
    return f"{PREFIX}:webauthn:{_part(ceremony_digest)}"


def account_grant(code_digest: str) -> str:
    """Service-wide: an extension sign-in's one-time authorization code (JSON), single use."""
    return f"{PREFIX}:account-grant:{_part(code_digest)}"


def webauthn_ceremony_pattern() -> str:
    """Every pending passkey ceremony (a deletion removes those naming the user)."""
    return f"{PREFIX}:webauthn:*"


def account_grant_pattern() -> str:
    """Every pending extension sign-in code (a deletion removes those naming the user)."""
    return f"{PREFIX}:account-grant:*"


def web_secret() -> str:
    """The key that signs the account pages' session cookie and CSRF tokens when none is configured."""
    return f"{PREFIX}:secret:web"


def limits_prefix() -> str:
    """Prefix of flask-limiter's counters (pairing, sign-in, lockout), in the evidence Redis."""
    return pair_attempts("limiter")

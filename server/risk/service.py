"""Entry points the API and the disputes work call; the only risk module that touches Redis.

- ``after_capture(r, user, capture, facts, html=None) -> [Warning]``: fold a new capture into the user's
  platform and seller profiles of the site (and the shared aggregates), then return the checkout
  warnings for it. Never raises: the capture is already stored.
- ``risk_for_url(r, user, url) -> {"platform": Risk, "seller": Risk | None, "order": Order | None}``:
  the body of GET /v1/risk, read from the precomputed profiles in one or two round trips; on a page
  that showed an order, the order's windows from its judgement (the dispute's, for one instant).
- ``judge_order(r, user, domain=…, order_no=…)``: the one judgement of an order (``server.risk.order``).
- ``record_dispute(r, domain, seller_id, dispute_id, user)``: count a dispute for the crowd signal
  (idempotent per dispute id; each user once per subject; a one-way digest, never who).

Privacy: a user's answer is built from that user's own profile views (their captures' evidence)
plus shared aggregates that name no one (the first capture of the domain on this backend, how many
*other* users opened disputes). Another user's captures never appear as evidence.
"""
from __future__ import annotations

import copy
import json
import logging
from functools import lru_cache
from urllib.parse import urlsplit

from .. import caches, clock
from ..facts import PageFacts, typed
from ..storage import blobs
from ..storage import disputes as dispute_store
from ..storage import profiles as store
from ..storage import reminders as reminder_store
from ..storage.disputes import DisputeRecord
from . import profiles, score, warnings
from .gather import gather
from .model import PLATFORM, SELLER, SHOP_SELLER, Observation, seller_key
from .order import OrderJudgement, Problem, judge
from .pagetext import page_lines
from .signals import read_observation

log = logging.getLogger("kadun.risk")


@lru_cache(maxsize=4096)
def registered_domain(host: str) -> str:
    """example-km.com for shop.example-km.com (the platform a page belongs to), by the same rule
    the scrapers use for ``facts.domain`` so profiles and captures always meet."""
    import scrapers

    host = (host or "").lower()
    bare = host.strip(".")
    if not bare:  # a name of dots only is still the page's host
        return host
    netloc = f"[{bare}]" if ":" in bare else bare  # an IPv6 literal keeps its brackets in a URL
    return scrapers.registered_domain(f"http://{netloc}/") or bare


caches.register_lru("registered_domain", "page host → the platform's registered domain", registered_domain)


def domain_of(url: str) -> str:
    try:
        return registered_domain(urlsplit(url.strip()).hostname or "")
    except ValueError:
        return ""


def _observation(r, user: str, capture, facts: PageFacts, html: bytes | str | None = None, tree=None) -> Observation:
    if html is None:
        html = blobs.get(r, user, capture.sha256)
    return Observation(facts=facts, snapshot_id=capture.id, url=capture.url, seen_at=capture.received_at,
                       lines=page_lines(html, tree=tree))


def problem_of(record: DisputeRecord) -> Problem:
    """A dispute record's problem, as the judgement reads it."""
    from scrapers.facts import Money

    amount = record.amount or None
    return Problem(kind=record.problem, occurred_at=clock.parse_iso(record.occurred_at),
                   created_at=clock.parse_iso(record.created_at), description=record.description or "",
                   typed_amount=Money(str(amount["amount"]), str(amount.get("currency") or "CNY")) if amount else None)


def judge_order(r, user: str, *, domain: str | None, order_no: str | None, record: DisputeRecord | None = None,
                related: bool = False, known_lines: dict[str, list[str]] | None = None) -> OrderJudgement:
    """The judgement of one order: the badge, the checkout warnings and the dispute all call this.
    Without ``record``, the user's newest dispute about the order (if any) gives the problem.
    ``related``: gather the product, shop, terms and chat pages too (the dispute's evidence)."""
    if record is None and domain and order_no:
        record = dispute_store.for_order(r, user, domain, order_no)
    ev = gather(r, user, domain=domain, order_no=order_no, snapshot_ids=record.snapshot_ids if record else None,
                related=related, dispute_id=record.id if record else None, known_lines=known_lines)
    return judge(ev, problem_of(record) if record else None)


def after_capture(r, user: str, capture, facts: PageFacts | dict, html: bytes | str | None = None, *,
                  tree=None) -> list[dict]:
    """Update the site's profiles with a new capture and return the checkout warnings for it.
    ``html``: the page's bytes when the caller has them (else they are read back from storage);
    ``tree``: the scrapers' parse of those bytes, when the caller has it (saves a second parse)."""
    try:
        facts = typed(facts, url=capture.url)
        domain = (facts.domain or capture.domain or "").lower()
        if not domain:
            return []
        facts.domain = domain
        obs = _observation(r, user, capture, facts, html, tree)
        readings = read_observation(obs)
        seller = seller_key(facts)
        before: dict = {}

        def change(old_platform, old_seller, aggregates):
            before["platform"] = copy.deepcopy(old_platform)
            platform_state, seller_state = profiles.apply(old_platform, old_seller, obs, readings, seller)
            return (platform_state, seller_state,
                    *render_badges(domain, platform_state, seller, seller_state, aggregates, capture.received_at))

        platform_state, _ = store.update_views(r, domain, user, seller, capture.url, capture.received_at, change,
                                               order_no=facts.order.order_no)
        # Any capture of the site may change its orders' windows (a rule, a cross-border price):
        # the reminders read those orders again.
        reminder_store.mark_stale(r, user, domain)
        counts = store.disputes(r, domain, user, seller)
        platform_signals = score.judge_state(platform_state, PLATFORM, now=capture.received_at)
        crowd = {"platform": counts.get("platform", 0),
                 "seller": counts.get(store.seller_subject(seller), 0) if seller else 0}
        judgement = None
        if facts.order.order_no and facts.page_kind in ("order", "checkout", "chat"):
            judgement = judge_order(r, user, domain=domain, order_no=facts.order.order_no,
                                    known_lines={capture.sha256: obs.lines})
            # The badge of this page will show this order's windows: keep them made already.
            order_view(r, user, domain, facts.order.order_no, clock.parse_iso(capture.received_at),
                       int(platform_state.get("captures") or 0), judgement)
        return warnings.capture_warnings(obs, before.get("platform"), now=capture.received_at, disputes=crowd,
                                         platform_signals=platform_signals, judgement=judgement)
    except Exception:  # judging must never lose a stored capture
        log.exception("risk: after_capture failed for %s", getattr(capture, "id", "?"))
        return []


def shop_seller(platform_state: dict | None) -> str | None:
    """On a single-shop site, every page's seller is the shop itself."""
    return SHOP_SELLER if platform_state and SHOP_SELLER in (platform_state.get("sellers") or []) else None


def _seller_ids(key: str) -> dict:
    if key == SHOP_SELLER:
        return {"id": None}
    if key.startswith("name:"):
        return {"id": None}
    return {"id": key}


def answer(domain: str | None, platform_state: dict | None, seller: str | None, seller_state: dict | None, *,
           now=None, first_seen: str | None = None, disputes: dict | None = None,
           disputes_at: str | None = None) -> dict:
    """``{"platform": Risk, "seller": Risk | None}`` from profile states (pure; the CLI uses it too)."""
    now = now or clock.now()
    disputes = disputes or {}
    platform_state = platform_state or profiles.new_state()
    platform_signals = score.judge_state(platform_state, PLATFORM, now=now, first_seen=first_seen,
                                         disputes=disputes.get("platform", 0), disputes_at=disputes_at)
    platform = score.risk_object(PLATFORM, platform_signals, warnings.signal_warnings(platform_signals, PLATFORM),
                                 platform_state.get("updated_at"), domain=domain, name=platform_state.get("name"))
    if not seller:
        return {"platform": platform, "seller": None}
    seller_state = seller_state or profiles.new_state()
    single_shop = seller == SHOP_SELLER
    seller_signals = score.judge_state(seller_state, SELLER, now=now,
                                       disputes=disputes.get(store.seller_subject(seller), 0), disputes_at=disputes_at)
    seller_risk = score.risk_object(
        SELLER, seller_signals, warnings.signal_warnings(seller_signals, SELLER, platform_signals, single_shop),
        seller_state.get("updated_at"),
        # A single-shop site has no merchant of its own: the shop is not named as a seller of itself.
        name=None if single_shop else seller_state.get("name"), single_shop=single_shop, **_seller_ids(seller))
    return {"platform": platform, "seller": seller_risk}


def _dump(body) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _platform_fp(since: str | None, first_seen: str | None, disputes: dict, disputes_at: str | None, now) -> list:
    """What a precomputed platform answer depends on besides the user's own profile."""
    count = disputes.get("platform", 0)
    return [first_seen, count, disputes_at if count else None, score.age_years(now, since, first_seen)]


def _seller_fp(seller: str, disputes: dict, disputes_at: str | None, platform_version: int) -> list:
    count = disputes.get(store.seller_subject(seller), 0)
    return [count, disputes_at if count else None, platform_version]


def render_badges(domain: str, platform_state: dict, seller: str | None, seller_state: dict | None,
                  aggregates: dict, at: str) -> tuple[bytes, bytes | None]:
    """The answers GET /v1/risk will serve, made when the capture lands: each is a small header
    (what the answer depends on outside the profile) and the Risk JSON, one line each."""
    now = clock.parse_iso(at)
    first_seen, disputes, disputes_at = aggregates["first_seen"], aggregates["disputes"], aggregates.get("disputes_at")
    body = answer(domain, platform_state, seller, seller_state, now=now, first_seen=first_seen,
                  disputes=disputes, disputes_at=disputes_at)
    since = score.copyright_since(platform_state)
    version = int(platform_state.get("captures") or 0)
    header = {"fp": _platform_fp(since, first_seen, disputes, disputes_at, now), "since": since,
              "shop": shop_seller(platform_state) is not None, "v": version}
    platform_badge = _dump(header) + b"\n" + _dump(body["platform"])
    if not seller:
        return platform_badge, None
    seller_header = {"fp": _seller_fp(seller, disputes, disputes_at, version)}
    return platform_badge, _dump(seller_header) + b"\n" + _dump(body["seller"])


@lru_cache(maxsize=1)
def judgement_version() -> str:
    """A digest of what judges an order (the risk code, the rules files, the clause words): a
    cached order view made by another version is never served."""
    import hashlib
    from pathlib import Path

    from scrapers.text.rules import HERE as CLAUSES_HOME

    from ..rules import HERE as RULES_HOME

    digest = hashlib.sha256()
    for path in sorted([*Path(__file__).parent.glob("*.py"), *RULES_HOME.glob("*.toml"), *CLAUSES_HOME.glob("*.toml")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# A kept order view is two lines: a small header (what it was computed from, each window's deadline)
# and the view's JSON with each window's "overdue" left as a numbered placeholder, so serving it
# only parses the header and fills the placeholders (a NUL never appears unescaped in JSON text).
_OVERDUE = '"overdue":"\\u0000{}"'


def _view_bytes(view: dict) -> tuple[bytes, list[str | None]]:
    windows = view["windows"]
    marked = {**view, "windows": [{**w, "overdue": f"\0{i}"} for i, w in enumerate(windows)]}
    return _dump(marked), [w["deadline"] for w in windows]


def _fill_overdue(blob: bytes, deadlines: list[str | None], now) -> bytes:
    for i, deadline in enumerate(deadlines):
        late = bool(deadline and now > clock.parse_iso(deadline))
        blob = blob.replace(_OVERDUE.format(i).encode(), b'"overdue":' + (b"true" if late else b"false"), 1)
    return blob


def order_view_json(r, user: str, domain: str, order_no: str, now, platform_version: int | None = None,
                    judgement: OrderJudgement | None = None) -> bytes:
    """The ``order`` part of GET /v1/risk on a page that showed an order, as JSON: its windows (each
    with its start, deadline and basis) from the order's judgement, the same one the dispute reads.

    The view is kept with what it was computed from (the site's profile version, the order's
    captures, its newest dispute and that dispute's attachments, the judgement's version) and
    served again while all of those are unchanged; only ``overdue`` depends on ``now``."""
    cached, live = dispute_store.order_view(r, user, domain, order_no)
    fp = [platform_version, *live, judgement_version()]
    if cached and platform_version is not None and judgement is None:
        header_raw, blob = cached.split(b"\n", 1)
        header = json.loads(header_raw)
        if header.get("fp") == fp:
            return _fill_overdue(blob, header["deadlines"], now)
    judgement = judgement or judge_order(r, user, domain=domain, order_no=order_no)
    view = {"domain": domain, "order_no": order_no, "item": judgement.item, "cross_border": judgement.cross_border,
            "problem": judgement.problem.kind if judgement.problem else None, "windows": judgement.windows_dict(now)}
    blob, deadlines = _view_bytes(view)
    if platform_version is not None:
        unmet = [w.deadline for w in judgement.windows if w.deadline and not w.met]
        dispute_store.save_order_view(r, user, domain, order_no,
                                      _dump({"fp": fp, "deadlines": deadlines}) + b"\n" + blob,
                                      max(unmet).timestamp() if unmet else None)
    return _fill_overdue(blob, deadlines, now)


def order_view(r, user: str, domain: str, order_no: str, now, platform_version: int | None = None,
               judgement: OrderJudgement | None = None) -> dict:
    """``order_view_json`` as a dict."""
    return json.loads(order_view_json(r, user, domain, order_no, now, platform_version, judgement))


def order_windows(r, user: str, domain: str, order_no: str, now) -> dict:
    """The order's view (its windows, as the badge shows them), kept or made now and kept: what
    the reminders and the calendar feed read, so they give the badge's and the dispute's instants."""
    header = store.platform_badge_header(r, domain, user)
    return order_view(r, user, domain, order_no, now, int(header.get("v") or 0) if header else 0)


def badge_body(r, user: str, url: str, *, now=None) -> bytes:
    """The JSON body of GET /v1/risk. Fast path: the answers precomputed when the user's last
    capture of the site landed, served as they are when the live aggregates (dispute counts, first
    capture here, the platform's age) still match what they were made from; else computed now
    from the user's profile states (never a stale answer either way). On a page that showed an
    order, ``order`` holds that order's windows (computed now: they depend on the time)."""
    domain = domain_of(url)
    if not domain:
        return _dump({**answer(None, None, None, None), "order": None})
    now = clock.parse_iso(now) if isinstance(now, str) else (now or clock.now())
    live = store.badge_fast_read(r, domain, user, url, SHOP_SELLER)
    blob = live["badge"]
    if blob is None:  # this user has captured nothing here: aggregates only
        return _dump({**answer(domain, None, None, None, now=now, first_seen=live["first_seen"],
                               disputes=live["disputes"], disputes_at=live["disputes_at"]), "order": None})
    header_raw, platform_json = blob.split(b"\n", 1)
    header = json.loads(header_raw)
    order = order_view_json(r, user, domain, live["order_no"], now, header.get("v")) if live["order_no"] else b"null"
    seller = live["seller"] or (SHOP_SELLER if header.get("shop") else None)
    fresh = header.get("fp") == _platform_fp(header.get("since"), live["first_seen"], live["disputes"],
                                             live["disputes_at"], now)
    seller_json = b"null"
    if fresh and seller:
        seller_blob = live["seller_badge"]
        if seller_blob is None:
            fresh = False
        else:
            seller_header_raw, seller_json = seller_blob.split(b"\n", 1)
            fresh = json.loads(seller_header_raw).get("fp") == _seller_fp(
                seller, live["disputes"], live["disputes_at"], header.get("v"))
    if fresh:
        return b'{"platform":' + platform_json + b',"seller":' + seller_json + b',"order":' + order + b"}"
    platform_state, seller_state = store.read_views(r, domain, user, seller)
    body = _dump(answer(domain, platform_state, seller, seller_state, now=now, first_seen=live["first_seen"],
                        disputes=live["disputes"], disputes_at=live["disputes_at"]))
    return body[:-1] + b',"order":' + order + b"}"


def risk_for_url(r, user: str, url: str, *, now=None) -> dict:
    """The body of GET /v1/risk for ``url``, as seen by ``user`` (``now``: the server clock, or a
    given time for reproducible answers; it moves the platform's age and what is overdue)."""
    return json.loads(badge_body(r, user, url, now=now))


def record_dispute(r, domain: str, seller_id: str | None, dispute_id: str, user: str) -> None:
    """Count a dispute about ``domain`` (and its seller) once per dispute id, and its user once per
    subject, for the crowd signal. ``seller_id`` is the seller as the profiles key it
    (``model.seller_key(facts)``)."""
    try:
        domain = (domain or "").lower().strip()
        if not domain or not dispute_id:
            return
        store.record_dispute(r, domain, str(seller_id) if seller_id else None, str(dispute_id), clock.now_iso(), user)
    except Exception:  # the dispute itself matters more than its count
        log.exception("risk: record_dispute failed for %s", dispute_id)

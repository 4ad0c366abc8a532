"""kadun quota [USER] [--set NAME=VALUE …] [--reset NAME …] [--recount] [--json]: show and change
a user's quotas (an administrator's tool; the limits themselves are in server/quotas.py).

Without USER it lists every user with what they have used today and in all."""
from __future__ import annotations

import json

import click

from ._common import data_dir_option, echo, fail, redis_for, resolve_user, storage_dir


def _config() -> dict:
    """The service's configuration as the server reads it: defaults, then KADUN_* variables."""
    import os

    from ..config import DEFAULTS

    return {**DEFAULTS, **{k[6:]: v for k, v in os.environ.items() if k.startswith("KADUN_")}}


def _show_limit(item: dict) -> str:
    from ..quotas import human_bytes

    if item["limit"] is None:
        return "无限 unlimited"
    return human_bytes(item["limit"]) if item["unit"] == "bytes" else str(item["limit"])


def _show_used(item: dict) -> str:
    from ..quotas import human_bytes

    if item["used"] is None:
        return "-"
    return human_bytes(item["used"]) if item["unit"] == "bytes" else str(item["used"])


def _parse_sets(pairs: tuple[str, ...]) -> dict[str, int | None]:
    from ..errors import BadRequest
    from ..quotas import parse_limit

    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            fail(f"--set takes NAME=VALUE, such as captures_per_day=500, not {pair!r}")
        try:
            out[name.strip()] = parse_limit(name.strip(), value.strip())
        except BadRequest as error:
            fail(error.message)
    return out


@click.command("quota")
@click.argument("user", required=False)
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="Give USER their own limit (a number, a size such as 5GiB for bytes_stored, or unlimited).")
@click.option("--reset", "resets", multiple=True, metavar="NAME", help="Back to the service's default for NAME.")
@click.option("--recount", is_flag=True, help="Count USER's stored bytes again from their records.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@data_dir_option
def command(user: str | None, sets: tuple[str, ...], resets: tuple[str, ...], recount: bool, as_json: bool,
            data_dir) -> None:
    """Show USER's quotas (limit, used today or in all, default or their own) or change them. USER:
    a user id or a hosted account's username."""
    from .. import quotas
    from ..storage import quotas as store

    config = _config()
    try:
        quotas.defaults(config)
    except Exception as error:  # a KADUN_QUOTA_* value the server would refuse too
        fail(f"bad quota configuration: {getattr(error, 'message', error)}")
    changes = _parse_sets(sets)
    for name in resets:
        if name not in quotas.QUOTAS:
            fail(f"unknown quota {name!r}; one of: {', '.join(quotas.NAMES)}")
    if (changes or resets or recount) and not user:
        fail("name the USER whose quota to change")
    with redis_for(storage_dir(data_dir)) as r:
        known = _users(r)
        if user is None:
            rows = [{"user": u, **{i["name"]: i["used"] for i in quotas.usage(r, u, config)["quotas"]}}
                    for u in sorted(known)]
            if as_json:
                echo(json.dumps(rows, ensure_ascii=False))
                return
            echo(f"{len(rows)} 个用户 users (mode {quotas.mode_of(config)}); today's counts, bytes in all:")
            for row in rows:
                echo(f"  {row['user']}  captures {row['captures_per_day']}  disputes {row['disputes_per_day']}  "
                           f"stored {quotas.human_bytes(row['bytes_stored'])}")
            return
        user = resolve_user(r, user)
        if user not in known:
            fail(f"no user {user} on this backend (kadun quota without a user lists them)", error="not_found")
        for name, limit in changes.items():
            store.set_override(r, user, name, limit)
        for name in resets:
            store.clear_override(r, user, name)
        if recount:
            store.reset_bytes(r, user)
        report = quotas.usage(r, user, config)
    if as_json:
        echo(json.dumps({"user": user, **report}, ensure_ascii=False))
        return
    echo(f"用户 user {user} (mode {report['mode']}, day {report['day']} China time)")
    for item in report["quotas"]:
        source = "own limit" if item["source"] == "user" else "default"
        echo(f"  {item['name']:<24} {item['label']['zh']:<12} limit {_show_limit(item):<16} "
                   f"used {_show_used(item):<10} ({source})")


def _users(r) -> set[str]:
    from ..storage import keys

    return {m.decode() if isinstance(m, bytes) else str(m) for m in r.smembers(keys.users()) or []}

"""Deleting an account: the service function over storage/erasure.py."""
from __future__ import annotations

from ..errors import NotFound
from ..storage import erasure


def delete_user(r, user: str, *, must_exist: bool = True) -> dict:
    """Remove every trace of ``user`` (their keys in every slot and node, their tokens, their part
    of the crowd aggregates) and log the deletion without personal data. Returns what was removed,
    in counts (``deletion_id``, ``user_keys``, ``site_keys``, ``service_keys``, ``aggregates``).

    ``must_exist``: 404 for a user the service does not know (else erase whatever is left)."""
    if must_exist and not erasure.user_exists(r, user):
        raise NotFound("no such user")
    return erasure.erase_user(r, user).as_dict()

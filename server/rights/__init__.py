"""The buyer's data rights (《个人信息保护法》: access and copy, deletion), as service functions that
the HTTP routes, the CLI and the hosted account pages call:

- ``export_user(r, user, out, …)``: everything the user stored (captures, screenshots,
  attachments, disputes) as one signed evidence pack with a WACZ, which ``kadun verify`` checks.
- ``delete_user(r, user)``: every key of the user, across Redis Cluster, and their part of the
  shared aggregates; logged without personal data; their tokens stop working at once.
"""
from __future__ import annotations

from .erase import delete_user
from .export import export_user

__all__ = ["delete_user", "export_user"]

"""Exporting everything a user stored (filled in below)."""
from __future__ import annotations


def export_user(*args, **kwargs):
    raise NotImplementedError

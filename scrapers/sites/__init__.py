"""Site modules, one per shop system. Each registers itself with ``@register``; importing this
package imports every module in it, so adding a system is adding a file."""
from __future__ import annotations

import importlib
import pkgutil

from .base import REGISTRY, SiteExtractor, register

__all__ = ["REGISTRY", "SiteExtractor", "register", "pick"]

for _module in pkgutil.iter_modules(__path__):
    if _module.name not in ("base", "orders", "context"):
        importlib.import_module(f"{__name__}.{_module.name}")


def pick(doc) -> SiteExtractor:
    """The first registered module whose fingerprint matches ``doc`` (generic matches everything)."""
    for cls in REGISTRY:
        try:
            if cls.matches(doc):
                return cls(doc)
        except Exception:  # a broken fingerprint must not stop the others
            continue
    from .generic import Generic

    return Generic(doc)

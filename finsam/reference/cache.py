"""The active codes and the municipalities, kept per process for the API's input fields.

Reference data changes rarely (the admin, the data migrations), while every API registration
parsed its codes and municipality with two queries. Each process keeps one copy for at most
`TTL_SECONDS`; saving or deleting a code or a municipality drops the copy of that process at
once (the others within `TTL_SECONDS`: a code made inactive may be accepted by another server
process for up to a minute, as if it had been sent a minute earlier). The objects handed out are
shared: read them, never change them.
"""

from __future__ import annotations

import threading
import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from finsam.reference.models import Code, Municipality

TTL_SECONDS = 60.0

_lock = threading.Lock()
_kept: dict[str, tuple[float, dict]] = {}


def _get(name: str, load) -> dict:
    now = time.monotonic()
    kept = _kept.get(name)
    if kept is not None and now - kept[0] < TTL_SECONDS:
        return kept[1]
    value = load()
    with _lock:
        _kept[name] = (now, value)
    return value


def active_codes() -> dict[tuple[str, str], Code]:
    """Every active code by (code list, code)."""
    return _get(
        "codes",
        lambda: {(c.code_list, c.code): c for c in Code.objects.filter(active=True)},
    )


def municipalities() -> dict[str, Municipality]:
    """Every municipality by its four-digit code."""
    return _get("municipalities", lambda: {m.code: m for m in Municipality.objects.all()})


def clear() -> None:
    with _lock:
        _kept.clear()


@receiver(post_save, sender=Code, dispatch_uid="reference_cache_code_saved")
@receiver(post_delete, sender=Code, dispatch_uid="reference_cache_code_deleted")
@receiver(post_save, sender=Municipality, dispatch_uid="reference_cache_municipality_saved")
@receiver(post_delete, sender=Municipality, dispatch_uid="reference_cache_municipality_deleted")
def _changed(**kwargs) -> None:
    clear()

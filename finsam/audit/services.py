"""Writing the access log. Call `log_access` for every read or change of personal data."""

from __future__ import annotations

from collections.abc import Iterable

from finsam.audit.models import AccessEvent


def log_access(
    *,
    access,
    action: str,
    initiative,
    pseudonyms: Iterable[str],
    fields: str = "",
    channel: str = "web",
) -> None:
    """Record one row per participant whose personal data `access.user` read or changed.

    One INSERT whatever the number of participants (a list page logs all rows it shows).
    """
    role = access.primary_role or ""
    events = [
        AccessEvent(
            actor=access.user,
            actor_role=str(role),
            association_id=initiative.association_id,
            initiative=initiative,
            action=action,
            pseudonym=pseudonym,
            fields=fields,
            channel=channel,
        )
        for pseudonym in pseudonyms
    ]
    AccessEvent.objects.bulk_create(events)

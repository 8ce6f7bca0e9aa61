"""The rules of the members' contributions (finance-law-privacy.md §2.1), defined once.

Under 5 § of the Finsam law (FinsamL) the state (Försäkringskassan, also for
Arbetsförmedlingen) pays half, the region(s) a quarter and the municipalities a quarter. Each
member's share is a percentage; on any day the shares of the members valid that day add up to at
most 100 % (and, once the members are complete, to exactly 100 % split 50/25/25). A sum split
by shares is rounded to whole kronor by the largest remainder, so the parts always add up to it.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.associations.models import Member, MemberKind
from finsam.associations.selectors import is_valid_on
from finsam.core.formats import sv_percent_trimmed

PARTY_SHARES = {
    "state": Decimal("50"),
    "region": Decimal("25"),
    "municipalities": Decimal("25"),
}
PARTY_OF_KIND = {
    MemberKind.FORSAKRINGSKASSAN: "state",
    MemberKind.ARBETSFORMEDLINGEN: "state",
    MemberKind.REGION: "region",
    MemberKind.MUNICIPALITY: "municipalities",
}
PARTY_LABELS = {
    "state": gettext_lazy("staten (Försäkringskassan och Arbetsförmedlingen)"),
    "region": gettext_lazy("region(er)"),
    "municipalities": gettext_lazy("kommuner"),
}
WHOLE = Decimal("100")
K = TypeVar("K", bound=Hashable)


@dataclass
class ShareCheck:
    """How the members valid on `day` split the contributions, and what is off."""

    day: datetime.date
    total: Decimal = Decimal("0")
    parties: dict[str, Decimal] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def share_check(members: list[Member], day: datetime.date | None = None) -> ShareCheck:
    """Check that the shares of the members valid on `day` (today) add up to 100 % and follow
    50/25/25."""
    day = day or timezone.localdate()
    check = ShareCheck(day=day, parties=dict.fromkeys(PARTY_SHARES, Decimal("0")))
    for member in members:
        if is_valid_on(member, day):
            check.total += member.contribution_share
            check.parties[PARTY_OF_KIND[member.kind]] += member.contribution_share
    if check.total != WHOLE:
        check.problems.append(
            _("Medlemmarnas andelar är tillsammans %(total)s, inte 100 %%.")
            % {"total": sv_percent_trimmed(check.total)}
        )
    for party, expected in PARTY_SHARES.items():
        actual = check.parties[party]
        if actual != expected:
            check.problems.append(
                _(
                    "Andelen för %(party)s är %(actual)s; "
                    "enligt finsamlagen ska den vara %(expected)s."
                )
                % {
                    "party": PARTY_LABELS[party],
                    "actual": sv_percent_trimmed(actual),
                    "expected": sv_percent_trimmed(expected),
                }
            )
    return check


def share_error(share: Decimal | None) -> str | None:
    """The message for a share that is not a percentage (None when it is one)."""
    if share is None:
        return _("Ange medlemmens andel i procent.")
    if not Decimal("0") <= share <= WHOLE:
        return _("Andelen ska vara mellan 0 och 100 procent.")
    return None


_DAY_MIN, _DAY_MAX = datetime.date.min, datetime.date.max


def highest_total(member: Member, others: list[Member]) -> Decimal:
    """The highest total share on any day of `member`'s validity period, `member` included.

    The total only grows where some member's period starts, so checking the start of the
    period and every other start inside it is enough.
    """
    start = member.valid_from or _DAY_MIN
    end = member.valid_to or _DAY_MAX
    days = {start} | {o.valid_from for o in others if o.valid_from and start <= o.valid_from <= end}
    best = Decimal("0")
    for day in days:
        total = member.contribution_share + sum(
            (
                o.contribution_share
                for o in others
                if (o.valid_from or _DAY_MIN) <= day <= (o.valid_to or _DAY_MAX)
            ),
            Decimal("0"),
        )
        best = max(best, total)
    return best


def check_total(member: Member, others: list[Member]) -> None:
    """Raise when `member` would bring the shares on some day above 100 %."""
    total = highest_total(member, others)
    if total > WHOLE:
        raise ValidationError(
            {
                "contribution_share": _(
                    "Medlemmarnas andelar blir tillsammans %(total)s; de får inte överstiga 100 %%."
                )
                % {"total": sv_percent_trimmed(total)}
            }
        )


def largest_remainder(total: int, weights: Mapping[K, Decimal | float | int]) -> dict[K, int]:
    """`total` split in proportion to `weights` into whole numbers that add up to `total`
    exactly (the largest remainder method: the parts rounded down, then one more to the largest
    remainders; computed exactly, ties to the key that comes first)."""
    whole = sum((Fraction(w) for w in weights.values()), Fraction(0))
    raw = {key: Fraction(total) * Fraction(w) / whole for key, w in weights.items()}
    parts = {key: math.floor(value) for key, value in raw.items()}
    left = total - sum(parts.values())
    for key in sorted(raw, key=lambda key: raw[key] - parts[key], reverse=True)[:left]:
        parts[key] += 1
    return parts

"""Calendar arithmetic shared by the apps."""

import calendar
import datetime


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return datetime.date(year, month0 + 1, min(day.day, last))


def retention_day(day: datetime.date | None, today: datetime.date) -> datetime.date:
    """The day a retention job runs as of: `today`, or an earlier `day` (to catch up); never a
    later one, which would remove data whose time has not come."""
    if day is None:
        return today
    if day > today:
        raise ValueError(
            f"{day.isoformat()} is after today ({today.isoformat()}): retention never runs "
            "ahead of time."
        )
    return day

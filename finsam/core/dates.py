"""Calendar arithmetic shared by the apps."""

import calendar
import datetime


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return datetime.date(year, month0 + 1, min(day.day, last))


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Whole years of age on `day` (a 29 February birthday counts on 1 March in other years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


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

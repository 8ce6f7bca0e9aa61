"""Fictitious people for demo data and benchmarks: valid personal identity numbers and names.

The numbers are random but valid (real date, check digit, gender digit): they pass the same
validation as a registrar's input. They are not taken from any register and belong to nobody we
know of; a random valid number can of course coincide with a real person's, which is why nothing
else about a real person is ever attached to them.
"""

from __future__ import annotations

import datetime
import random

from finsam.core.validators import luhn_check_digit


def personal_number(birth_date: datetime.date, gender: str, rng: random.Random) -> str:
    """A valid personal identity number, YYYYMMDD-NNNC; the third serial digit is odd for men."""
    serial = rng.randrange(0, 100)
    gender_digit = rng.choice((1, 3, 5, 7, 9) if gender == "man" else (0, 2, 4, 6, 8))
    if serial == 0 and gender_digit == 0:
        serial = 1  # 000 is not a birth number
    ymd = birth_date.strftime("%Y%m%d")
    nnn = f"{serial:02d}{gender_digit}"
    check = luhn_check_digit(ymd[2:] + nnn)
    return f"{ymd}-{nnn}{check}"


def birth_date_for_age(age: int, on: datetime.date, rng: random.Random) -> datetime.date:
    """A birth date such that the person is exactly `age` years old on `on`."""
    latest = _years_before(on, age)  # birthday on `on` itself
    earliest = _years_before(on, age + 1) + datetime.timedelta(days=1)
    return earliest + datetime.timedelta(days=rng.randrange((latest - earliest).days + 1))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class NameMaker:
    """Swedish names from Faker's sv_SE provider, seeded so that reruns give the same names."""

    def __init__(self, seed: int = 0):
        from faker import Faker  # dev dependency (installed by `make run`); imported when used

        self.faker = Faker("sv_SE")
        self.faker.seed_instance(seed)

    def name(self, gender: str) -> str:
        first = (
            self.faker.first_name_female() if gender == "woman" else self.faker.first_name_male()
        )
        return f"{first} {self.faker.last_name()}"

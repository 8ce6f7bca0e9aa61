import datetime

import pytest

from finsam.associations.selectors import municipalities_by_region

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 1)


def test_municipalities_are_grouped_by_county_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        groups = municipalities_by_region()
    assert len(groups) == 21
    assert sum(len(ms) for _r, ms in groups) == 290
    region, municipalities = groups[0]
    assert region.code == "01"
    assert all(m.region_id == region.pk for m in municipalities)

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and used TOTP codes live in the (locmem) cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()

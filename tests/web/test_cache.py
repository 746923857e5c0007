"""The server process's one cache: least recently used out first, within its byte budget."""

from __future__ import annotations

from openforum_ld.web.cache import ResponseCache


def test_the_least_recently_used_goes_first_when_the_budget_is_spent() -> None:
    cache = ResponseCache(100, share=1)
    for key in "abc":
        cache.put(key, key.upper(), 30)
    assert cache.get("a") == "A"  # now the most recently used: "b" is the oldest
    cache.put("d", "D", 30)
    assert cache.get("b") is None
    assert [cache.get(key) for key in "acd"] == ["A", "C", "D"]
    assert cache.size == 90


def test_a_value_put_again_is_counted_once() -> None:
    cache = ResponseCache(100, share=1)
    cache.put("a", "first", 40)
    cache.put("a", "second", 50)
    assert cache.get("a") == "second"
    assert cache.size == 50
    cache.put("b", "B", 50)
    assert cache.size == 100
    assert cache.get("a") == "second"


def test_a_value_larger_than_its_share_is_not_kept_and_evicts_nothing() -> None:
    cache = ResponseCache(160, share=16)  # at most 10 bytes a value
    cache.put("small", "s", 10)
    cache.put("large", "l", 11)
    assert cache.get("large") is None
    assert cache.get("small") == "s"
    assert cache.size == 10


def test_a_cache_without_a_budget_keeps_nothing() -> None:
    cache = ResponseCache(0)
    cache.put("a", "A", 1)
    cache.put_on_repeat("b", "B", 1)
    cache.put_on_repeat("b", "B", 1)
    assert cache.get("a") is None
    assert cache.get("b") is None
    assert cache.size == 0

"""The list matcher is rebuilt off the request path: while a new one builds,
callers get the old one at once (server mode), then the new one."""

from __future__ import annotations

import threading

from nlp.tag.matcher_swap import SwappingCache


def test_stale_value_is_served_while_the_new_one_builds():
    cache: SwappingCache[str] = SwappingCache()
    cache.background = True
    assert cache.get("store", 1, lambda: "v1") == "v1"
    release = threading.Event()
    started = threading.Event()

    def slow_build() -> str:
        started.set()
        release.wait(30)
        return "v2"

    assert cache.get("store", 2, slow_build) == "v1"  # returns at once
    assert started.wait(30)
    assert cache.get("store", 2, slow_build) == "v1"  # one rebuild, not two
    release.set()
    cache.wait_idle()
    assert cache.get("store", 2, lambda: "never") == "v2"


def test_batch_mode_rebuilds_at_once():
    cache: SwappingCache[str] = SwappingCache()
    assert cache.get("store", 1, lambda: "v1") == "v1"
    assert cache.get("store", 2, lambda: "v2") == "v2"


def test_a_failed_rebuild_keeps_the_old_value():
    cache: SwappingCache[str] = SwappingCache()
    cache.background = True
    cache.get("store", 1, lambda: "v1")

    def broken() -> str:
        raise RuntimeError("store busy")

    assert cache.get("store", 2, broken) == "v1"
    cache.wait_idle()
    assert cache.get("store", 2, lambda: "v2") == "v1"  # rebuilding again in the background
    cache.wait_idle()
    assert cache.get("store", 2, lambda: "never") == "v2"

"""Freezing what a tagging process loaded out of the collector's full passes."""

from __future__ import annotations

import gc
import weakref

from nlp.tag.heap import freeze_loaded


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_freeze_keeps_loaded_objects_and_still_collects_later_garbage():
    before = _cycle()  # garbage already: collected by the freeze, not frozen
    loaded = [_Node()]
    try:
        frozen = freeze_loaded()
        assert frozen == gc.get_freeze_count() > 0
        assert before() is None
        assert gc.is_tracked(loaded) and loaded[0] is not None
        after = _cycle()  # made after the freeze: the collector still sees it
        gc.collect()
        assert after() is None
    finally:
        gc.unfreeze()

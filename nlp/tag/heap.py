"""Keep the garbage collector off the objects a tagging process loads once.

A tagging process holds hundreds of thousands of long-lived objects after
warm-up (spaCy's vocabulary and model, gazetteer tries, rule tables, the list
matcher). Python's cyclic collector walks every tracked object on each
full (oldest-generation) collection: one such pass costs a few hundred
milliseconds of CPU in a tag-batch worker, and in a worker forked from the fork
server it also writes to every page it walks (the collector keeps its
bookkeeping in each object's header), so the pages shared with the server are
copied into each worker. :func:`freeze_loaded` collects what is already garbage
and moves everything left to the collector's permanent generation
(:func:`gc.freeze`), which later collections skip; objects made afterwards
(each article's records) are collected as before.

What it does not do: turn the collector off, or free anything loaded (frozen
objects that later become cyclic garbage are not reclaimed, which is why only
what is loaded once for the whole process is frozen).
"""

from __future__ import annotations

import gc


def freeze_loaded() -> int:
    """Collect garbage now and freeze every object that survives; returns how many are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()

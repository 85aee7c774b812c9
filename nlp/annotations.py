"""Annotation layers: the names the store keeps and the keys of an extraction record.

An extraction record (``nlp.extract.pipeline``) holds one list per layer under
a plural key (``entities``, ``hs_codes``, ``dates``, ``citations``); the
store's ``annotations`` table holds the same items under a singular layer name
(``entity``, ``hs_code``, ``date``, ``citation``), plus the ``claim`` spans of
verified statements. Every stage that reads or writes annotations names the
layers through this module.

What it does not do: find annotations, store them, or render them.
"""

from __future__ import annotations

from typing import Final, Literal

Layer = Literal["entity", "hs_code", "date", "citation", "claim"]

ENTITY: Final = "entity"
HS_CODE: Final = "hs_code"
DATE: Final = "date"
CITATION: Final = "citation"
CLAIM: Final = "claim"

# record key -> store layer, in the record's order
RECORD_LAYERS: Final[dict[str, str]] = {
    "entities": ENTITY, "hs_codes": HS_CODE, "dates": DATE, "citations": CITATION,
}
RECORD_KEYS: Final[tuple[str, ...]] = tuple(RECORD_LAYERS)

# The item field the store's ``label`` column holds for each layer without a
# ``label`` of its own, so that search can filter on it without decoding ``data``.
STORE_LABEL: Final[dict[str, str]] = {HS_CODE: "code", DATE: "type", CITATION: "celex"}


def layer_of(record_key: str) -> str:
    """The store layer of a record key: ``layer_of("hs_codes")`` -> ``"hs_code"``."""
    return RECORD_LAYERS[record_key]

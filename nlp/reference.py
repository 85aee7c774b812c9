"""Reference data: the HS nomenclature (2022 and 2017 editions) and the
Common High Priority (CHP) list with its tiers.

Loads the shipped CSV/YAML files in ``nlp/data`` once (``functools.lru_cache``)
and answers look-ups: descriptions, validity, CHP tier of a code and the CHP
items a heading or chapter covers. The files are built by
``scripts/build_reference_data.py`` from the shared corpus; named tier sets
and the tier order live in ``nlp/data/chp_tier_sets.yaml``.

Codes are given as digits; dots, spaces and an ``ex`` prefix are ignored
(``"ex 8542.31"`` is ``854231``). Codes longer than 6 digits (CN 8, TARIC /
TN VED 10) are looked up by their HS6 part, since only the HS6 level is
international. CN pads undivided levels with zeros ("2507 00 80" lies under
HS 250700, "9026 00 00" stands for the whole heading 9026): see
:func:`hs_parts`.

CHP tier rule: a code of 6 or more digits has the tier of its HS6 (None
when that HS6 is not on the list). A heading (4 digits) or chapter (2 digits)
has the *most sensitive* tier (first in ``order``) among the CHP subheadings
under it, and :func:`chp_items_under` lists them all, so a caller that wants
the full picture (e.g. "heading 8542" covers four Tier-1 items) has it.

This module does not find codes in text (see :mod:`nlp.extract.hs_codes`)
and does not know national tariff lines below HS6.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from .settings import DATA_DIR

EDITIONS = ("2022", "2017")
LEVEL_NAMES = {2: "chapter", 4: "heading", 6: "subheading", 8: "CN", 10: "TARIC"}


@dataclass(frozen=True)
class HSEntry:
    code: str
    level: int
    parent: str | None
    section: str
    description: str


@dataclass(frozen=True)
class CHPItem:
    hs6: str
    tier: str
    description: str

    def to_dict(self) -> dict:
        return {"hs6": self.hs6, "tier": self.tier, "description": self.description}


def normalize_code(code: str) -> str:
    """Digits of a written code: ``"ex 8542.31"`` -> ``"854231"``."""
    text = re.sub(r"^\s*ex\s*", "", str(code), flags=re.I)
    return re.sub(r"[\s.\-\u00a0]", "", text)


@lru_cache(maxsize=None)
def _nomenclature(edition: str) -> dict[str, HSEntry]:
    if edition not in EDITIONS:
        raise ValueError(f"unknown HS edition {edition!r} (have {', '.join(EDITIONS)})")
    path = DATA_DIR / f"hs{edition}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: HSEntry(row["code"], int(row["level"]), row["parent"] or None,
                                 row["section"], row["description"])
            for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=1)
def _tier_config() -> dict:
    import yaml

    with (DATA_DIR / "chp_tier_sets.yaml").open(encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    config["order"] = [str(t) for t in config["order"]]
    config["sets"] = {name: [str(t) for t in tiers] for name, tiers in config["sets"].items()}
    return config


@lru_cache(maxsize=1)
def _chp() -> dict[str, CHPItem]:
    with (DATA_DIR / "chp_items.csv").open(encoding="utf-8", newline="") as handle:
        return {row["hs6"]: CHPItem(row["hs6"], row["tier"], row["description"])
                for row in csv.DictReader(handle)}


def hs_entry(code: str, edition: str = "2022") -> HSEntry | None:
    """The nomenclature row of an exact 2/4/6-digit code, or None."""
    return _nomenclature(edition).get(normalize_code(code))


def _exists(code: str) -> bool:
    return any(code in _nomenclature(ed) for ed in EDITIONS)


def hs_parts(code: str) -> list[str]:
    """The HS chapter/heading/subheading prefixes a code lies under, shortest
    first, each existing in HS2022 or HS2017; [] when the code is not valid.

    Zero padding is resolved the CN way: ``"9026 00 00"`` -> ``["90", "9026"]``
    (subheading 902600 does not exist, so the code stands for the heading);
    ``"2507 00 80"`` -> ``["25", "2507", "250700"]``.
    """
    digits = normalize_code(code)
    if not digits.isdigit() or len(digits) not in (2, 4, 6, 8, 10):
        return []
    parts: list[str] = []
    for size in (2, 4, 6):
        if len(digits) < size:
            break
        prefix = digits[:size]
        if _exists(prefix):
            parts.append(prefix)
            continue
        # CN pads an undivided heading with zeros ("9026 00 00"): an all-zero
        # rest after an existing heading means "the whole heading". A chapter
        # is never padded this way ("01 00 00" is not a code).
        if size == 6 and set(digits[4:]) == {"0"} and len(parts) == 2:
            break
        return []
    return parts


def is_valid_hs(code: str) -> bool:
    """True when the code's chapter, heading and subheading exist in HS2022 or
    HS2017 (CN/TARIC digits beyond 6 are not checked; zero padding allowed)."""
    return bool(hs_parts(code))


def hs_description(code: str, edition: str = "2022") -> str | None:
    """Description of the most specific HS level of the code (exact 2/4/6-digit
    codes, or the HS6/heading part of a longer code) in the edition; falls
    back to the other edition when the code exists only there."""
    parts = hs_parts(code)
    if not parts:
        return None
    for ed in (edition, *[e for e in EDITIONS if e != edition]):
        entry = _nomenclature(ed).get(parts[-1])
        if entry:
            return entry.description
    return None


def chp_items() -> list[CHPItem]:
    """The CHP list, most sensitive tier first."""
    order = _tier_config()["order"]
    return sorted(_chp().values(), key=lambda item: (order.index(item.tier), item.hs6))


def chp_items_under(code: str) -> list[CHPItem]:
    """CHP items whose HS6 lies under the code (a 2/4-digit prefix covers all
    its subheadings; a 6+ digit code covers at most its own HS6)."""
    digits = normalize_code(code)
    if len(digits) >= 6:
        item = _chp().get(digits[:6])
        return [item] if item else []
    return [item for item in chp_items() if item.hs6.startswith(digits)] if digits else []


def chp_tier(code: str) -> str | None:
    """CHP tier ("1", "2", "3A", ...) of a code, or None.

    6+ digits: the tier of the HS6. 2/4 digits: the most sensitive tier among
    the CHP subheadings under it (see :func:`chp_items_under`)."""
    items = chp_items_under(code)
    if not items:
        return None
    order = _tier_config()["order"]
    return min((item.tier for item in items), key=order.index)


def tier_order() -> list[str]:
    return list(_tier_config()["order"])


def tier_sets() -> dict[str, list[str]]:
    """Named sets of tiers, e.g. ``{"most_sensitive": ["1", "2"], ...}``."""
    return {name: list(tiers) for name, tiers in _tier_config()["sets"].items()}


def in_tier_set(code: str, set_name: str) -> bool:
    """True when the code's CHP tier is in the named set."""
    sets = _tier_config()["sets"]
    if set_name not in sets:
        raise KeyError(f"unknown tier set {set_name!r} (have {', '.join(sets)})")
    tier = chp_tier(code)
    return tier is not None and tier in sets[set_name]


def level_of(code: str) -> int:
    """Number of digits: 2 chapter, 4 heading, 6 subheading, 8 CN, 10 TARIC."""
    return len(normalize_code(code))

"""Country labels of trade tables -> ISO 3166 alpha-2 codes or aggregate codes.

Labels are resolved by the project's one country resolver
(:mod:`nlp.countries`); a trade fact needs a code, so a label that names no
country or group gets ``ZZ`` (ISO's "unknown"), and the printed label stays
in the fact's ``partner_label`` / ``reporter_label``.

What it does not do: read files or build facts.
"""

from __future__ import annotations

from typing import Any

from ...countries import code_of

UNKNOWN = "ZZ"


def country_code(label: Any) -> str:
    """ISO2 code, aggregate code (WORLD, EU27, CIS, ...) or ``ZZ`` for a label."""
    return code_of(label) or UNKNOWN

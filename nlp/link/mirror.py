"""Mirror statistics: the partner's side of a trade flow, when the reporter's own series is missing.

Kazakhstan's exports to Russia are also Russia's imports from Kazakhstan.
When a claim's own series has no figures for its window (the reporter does
not publish it, stopped publishing, or the corpus lacks it) and the partner
reports the other side, verification may use that *mirror* series. It is
never used silently: the series is labelled ``MIRROR: ...``, carries
``mirror: true`` and a caveat, and the verdict's explanation says it was
judged on the mirror. The caveats are the standard ones of mirror
statistics (UN IMTS 2010, Eurostat's asymmetry studies):

* **CIF/FOB**: imports are valued CIF (cost, insurance and freight to the
  importer's border), exports FOB, so mirror imports run higher, typically
  by a few per cent to ten;
* **timing**: goods are recorded when they leave and when they arrive, so
  shipments near a month's (or year's) end fall into different periods;
* **confidentiality**: each side suppresses different product/partner cells;
* **partner attribution**: importers usually record the country of
  *origin*, exporters the country of *destination*; goods re-exported by the
  reporter mostly appear under their origin country in the partner's
  imports. So re-export claims get **no** mirror: the partner's imports from
  the reporter measure mostly the reporter's own goods, not re-exports
  (verification's proxies show that series, labelled, without a verdict);
* currency and classification detail as the partner reports them.

What it does not do: adjust values for CIF/FOB or shift periods (the
figures are the partner's, as stored), or mirror aggregates that do not
report (``WORLD``) or proxy series.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..store import Store
from .frames import ClaimFrame
from .verify import SeriesResult, SeriesSpec, load_series

MIRROR_FLOWS = {"export": "import", "import": "export"}  # re-exports have no mirror (see above)
NON_REPORTERS = {"WORLD", "ZZ", "REST_OF_WORLD", "EXTRA_EU27", "NON_CIS", "NON_EU"}
CAVEAT = ("mirror data: {partner}'s {mflow} from {reporter} stand in for {reporter}'s own {flow} figures, "
          "which are missing. Imports are valued CIF and exports FOB, so mirror values run higher (typically "
          "a few per cent to ten); goods are recorded on leaving and on arriving, so months can shift; each side "
          "suppresses confidential cells differently; the partner may attribute goods to their country of "
          "origin rather than of consignment; values in {partner}'s currency and classification.")


@dataclass
class MirrorSpec(SeriesSpec):
    """A series spec read from the partner's side (``mirror`` marks it in results)."""

    mirror: bool = True
    mirrors: dict[str, Any] | None = None  # the spec it stands in for: reporter, partner, flow


def _name(code: str) -> str:
    from ..countries import name_of

    try:
        return name_of(code) or code
    except (KeyError, ValueError):
        return code


def mirror_spec(spec: SeriesSpec) -> MirrorSpec | None:
    """The partner-side spec of ``spec``, or None when there is no meaningful mirror."""
    if spec.proxy or getattr(spec, "mirror", False) or not spec.reporter or not spec.partner:
        return None
    if spec.partner in NON_REPORTERS or spec.reporter == spec.partner:
        return None
    flow = MIRROR_FLOWS.get(spec.flow)
    if flow is None:
        return None
    reporter, partner = _name(spec.reporter), _name(spec.partner)
    what = ", ".join(spec.codes) if spec.codes else "all goods"
    label = f"MIRROR: {partner}'s {flow}s from {reporter} ({what}), standing in for {reporter}'s {spec.flow}s"
    caveat = CAVEAT.format(partner=partner, reporter=reporter, flow=f"{spec.flow}s", mflow=f"{flow}s")
    return MirrorSpec(reporter=spec.partner, partner=spec.reporter, flow=flow, codes=list(spec.codes),
                      label=label, proxy=False, caveat=caveat,
                      mirrors={"reporter": spec.reporter, "partner": spec.partner, "flow": spec.flow})


def mirror_series(own: SeriesResult, frame: ClaimFrame, store: Store,
                  measure: Callable[[SeriesResult, ClaimFrame, Store], SeriesResult]) -> SeriesResult | None:
    """The measured mirror of ``own`` when ``own`` could not be measured and the mirror can; else None.

    ``measure`` is verification's own (passed in, so windows and trends are
    computed exactly as for any series).
    """
    if own.change is not None:
        return None
    spec = mirror_spec(own.spec)
    if spec is None:
        return None
    mirrored = measure(load_series(store, spec), frame, store)
    if mirrored.change is None:
        return None
    mirrored.note = (mirrored.note + "; " if mirrored.note else "") + \
        f"{own.spec.label}: {own.note or 'no stored figures'}"
    return mirrored


def explanation(series: SeriesResult) -> str:
    """The sentence verification adds when a verdict rests on a mirror series."""
    return f"judged on MIRROR data, not {series.spec.partner}'s own figures — {series.spec.caveat}"


__all__ = ["MirrorSpec", "explanation", "mirror_series", "mirror_spec"]

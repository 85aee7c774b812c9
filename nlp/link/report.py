"""Render a document's claims as an HTML or Markdown report with charts.

Each claim gets: its sentence and provenance (page/section), the frame, the
verdict with the explanation, a figures table, the series used (proxies
labelled), one chart per series (matplotlib PNG: the claim window and the
baseline shaded), evidence passages and the legal basis. HTML reports are
self-contained (charts inlined) and drawn by the claim template the web app
uses (:mod:`nlp.link.claim_view`, autoescaped); Markdown reports write PNGs
next to the file. :func:`series_charts` gives the charts of one claim to
both.
"""

from __future__ import annotations

import base64
import contextlib
import io
from pathlib import Path
from typing import Any, Mapping


def chart_png(series: dict[str, Any], points: dict[str, float], title: str) -> bytes:
    """A line chart of a series with the claim window and baseline shaded."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    periods = sorted(points)
    fig, ax = plt.subplots(figsize=(7.5, 2.8), dpi=110)
    xs = list(range(len(periods)))
    # Axes in millions with the unit: trade values run to billions of euros.
    ax.plot(xs, [points[p] / 1e6 for p in periods], color="#0969da", linewidth=1.4, marker="o", markersize=2)
    for key, colour, label in (("baseline", "#8c959f", "baseline"), ("window", "#d4a72c", "claim window")):
        span = series.get(key)
        if span and periods:
            first = next((i for i, p in enumerate(periods) if p >= span[0][:len(p)]), None)
            last = max((i for i, p in enumerate(periods) if p <= span[1][:len(p)]), default=None)
            if first is not None and last is not None and first <= last:
                ax.axvspan(first - 0.4, last + 0.4, color=colour, alpha=0.25, label=label)
    step = max(1, len(periods) // 12)
    ax.set_xticks(xs[::step])
    ax.set_xticklabels(periods[::step], rotation=45, ha="right", fontsize=7)
    ax.set_title(title[:110], fontsize=9)
    ax.set_ylabel(f"{series.get('currency') or 'value'} million", fontsize=8)
    ax.tick_params(axis="y", labelsize=7)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _series_points(store, series: dict[str, Any]) -> dict[str, float]:
    from .verify import SeriesSpec, load_series

    codes = [] if series.get("codes") == ["TOTAL"] else list(series.get("codes") or [])
    spec = SeriesSpec(reporter=series["reporter"], partner=series["partner"], flow=series["flow"],
                      codes=codes, label=series["label"], proxy=series["proxy"])
    return load_series(store, spec, series.get("granularity")).points


def series_charts(store, claim: Mapping[str, Any], lock: Any = None) -> list[dict[str, Any]]:
    """One chart per series of ``claim`` with at least two points: ``label``,
    ``proxy``, ``caveat``, ``title`` and the PNG as a ``data_uri``.

    ``lock`` (a context manager) is held while drawing: matplotlib's pyplot
    state is global, so a server draws one chart at a time."""
    out = []
    for series in claim.get("series") or []:
        points = _series_points(store, series)
        if len(points) < 2:
            continue
        title = ("PROXY: " if series.get("proxy") else "") + str(series.get("label"))
        with lock if lock is not None else contextlib.nullcontext():
            png = chart_png(series, points, title)
        out.append({"label": series.get("label"), "proxy": bool(series.get("proxy")),
                    "caveat": series.get("caveat"), "title": title,
                    "data_uri": "data:image/png;base64," + base64.b64encode(png).decode("ascii")})
    return out


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def render(doc, claims: list[dict[str, Any]], store, out: Path) -> Path:
    """Write the report for ``doc`` to ``out`` (.html or .md).

    HTML draws each claim with the web app's claim template
    (:mod:`nlp.link.claim_view`); Markdown is written here."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    claims = [with_fetch_command(claim) for claim in claims]
    if out.suffix.lower() not in (".md", ".markdown"):
        from .claim_view import render_report

        charts = [series_charts(store, claim) for claim in claims]
        out.write_text(render_report(doc, claims, charts), encoding="utf-8")
        return out
    chart_dir = out.with_name(out.stem + "_charts")
    title = doc.title or doc.source
    parts: list[str] = [f"# Claims in: {title}\n\nSource: `{doc.source}`; published {doc.published or 'unknown'}; "
                        f"{len(claims)} claims.\n"]
    for number, claim in enumerate(claims, 1):
        frame = claim["frame"]
        where = ", ".join(f"{k} {v}" for k, v in (claim.get("provenance") or {}).items() if v)
        frame_rows = [
            ("what", (frame.get("subject") or {}).get("label")), ("flow", frame.get("flow")),
            ("reporter", frame.get("reporter")), ("partner", frame.get("partner")),
            ("transit", frame.get("transit")), ("direction", frame.get("direction")),
            ("claimed change", _measure(frame.get("measure"))),
            ("window", (frame.get("periods") or {}).get("window") or _period(frame.get("period"))),
            ("baseline", (frame.get("periods") or {}).get("baseline") or _period(frame.get("baseline"))),
            ("attribution", frame.get("attribution")),
        ]
        parts.append(f"\n## {number}. {claim['claim']}\n\n*{where or 'offset ' + str(claim.get('start'))}*"
                     f"\n\n**Verdict: {claim['verdict']}** — {claim['explanation']}\n")
        parts.append("| field | value |\n|---|---|\n" + "\n".join(
            f"| {k} | {_fmt(v)} |" for k, v in frame_rows if v))
        parts.append(_md_series(claim["series"]))
        chart_dir.mkdir(exist_ok=True)
        for index, series in enumerate(claim["series"]):
            points = _series_points(store, series)
            if len(points) >= 2:
                name = f"claim{number}_series{index}.png"
                png = chart_png(series, points, ("PROXY: " if series["proxy"] else "") + series["label"])
                (chart_dir / name).write_bytes(png)
                parts.append(f"\n![{series['label']}]({chart_dir.name}/{name})\n")
        if claim.get("fetch"):
            parts.append(f"\nMissing series: fetch it with `{claim['fetch']}`\n")
        parts.append(_md_evidence(claim))
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return out


def with_fetch_command(claim: Mapping[str, Any]) -> dict[str, Any]:
    """``claim`` with ``fetch``: for a claim without data, the ``sanctions
    corpus fetch`` command that would supply its own series (None otherwise)."""
    from ..connectors.commands import suggest_fetch

    fetch = suggest_fetch(dict(claim)) if claim.get("verdict") == "no_data" else None
    return {**claim, "fetch": fetch}


def _measure(measure: dict | None) -> str | None:
    if not measure:
        return None
    value = measure.get("value")
    words = measure["kind"] + (f" {value:.3g}" if isinstance(value, (int, float)) else "")
    return f"{words} ({measure.get('rule', '')})"


def _period(period: dict | None) -> str | None:
    if not period:
        return None
    a, b = period["interval"]
    return f"{period['text']} [{a or '…'} .. {b or '…'}]"


_SERIES_COLUMNS = ("label", "codes", "window", "baseline", "window_mean", "baseline_mean",
                   "change_pct", "agrees", "note", "caveat", "source")


def _series_cell(series: dict, key: str) -> str:
    value = series.get(key)
    if key == "codes":
        codes = value or []
        value = ", ".join(codes[:6]) + (f" (+{len(codes) - 6})" if len(codes) > 6 else "")
    elif key == "source":
        value = "; ".join(Path(v).name for v in (value or []))
    elif key == "label" and series.get("proxy"):
        value = f"PROXY: {value}"
    elif isinstance(value, (list, tuple)):
        value = " .. ".join(str(v) for v in value)
    return _fmt(value)


def _md_series(series: list[dict]) -> str:
    if not series:
        return ""
    head = "\n\n| " + " | ".join(_SERIES_COLUMNS) + " |\n|" + "---|" * len(_SERIES_COLUMNS) + "\n"
    return head + "\n".join("| " + " | ".join(_series_cell(s, k).replace("|", "/") for k in _SERIES_COLUMNS)
                            + " |" for s in series) + "\n"


def _md_evidence(claim: dict) -> str:
    lines = []
    for item in claim.get("evidence", []):
        where = ", ".join(str(v) for v in (item.get("title") or item.get("source"), item.get("section"),
                                            item.get("published")) if v)
        lines.append(f"- *{item['stance']}* ({where}): {item['text'][:300].replace(chr(10), ' ')}")
    for basis in claim.get("legal_basis", []):
        if basis["kind"] == "chp":
            lines.append(f"- legal basis: CHP tier {basis['tier']} — HS {basis['code']} {basis['description'][:80]}")
        else:
            lines.append(f"- legal basis: {basis.get('title') or basis.get('source')} mentions {basis['mention']}")
    return ("\n**Evidence and legal basis**\n\n" + "\n".join(lines) + "\n") if lines else ""

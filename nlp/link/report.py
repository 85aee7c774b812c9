"""Render a document's claims as an HTML or Markdown report with charts.

Each claim gets: its sentence and provenance (page/section), the frame, the
verdict with the explanation, a figures table, the series used (proxies
labelled), one chart per series (matplotlib PNG: the claim window and the
baseline shaded), evidence passages and the legal basis. HTML reports are
self-contained (charts inlined); Markdown reports write PNGs next to the file.
Every piece of document text is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

VERDICT_COLOURS = {"supported": "#1a7f37", "contradicted": "#cf222e", "mixed": "#9a6700",
                   "no_data": "#57606a"}


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

    codes = [] if series["codes"] == ["TOTAL"] else series["codes"]
    spec = SeriesSpec(reporter=series["reporter"], partner=series["partner"], flow=series["flow"],
                      codes=codes, label=series["label"], proxy=series["proxy"])
    return load_series(store, spec, series.get("granularity")).points


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def render(doc, claims: list[dict[str, Any]], store, out: Path) -> Path:
    """Write the report for ``doc`` to ``out`` (.html or .md)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    markdown = out.suffix.lower() in (".md", ".markdown")
    chart_dir = out.with_name(out.stem + "_charts")
    e = html.escape
    parts: list[str] = []
    title = doc.title or doc.source
    if markdown:
        parts.append(f"# Claims in: {title}\n\nSource: `{doc.source}`; published {doc.published or 'unknown'}; "
                     f"{len(claims)} claims.\n")
    else:
        parts.append(f"<h1>Claims in: {e(title)}</h1><p class=meta>Source: <code>{e(doc.source)}</code>; "
                     f"published {e(doc.published or 'unknown')}; {len(claims)} claims.</p>")
    for number, claim in enumerate(claims, 1):
        frame = claim["frame"]
        verdict = claim["verdict"]
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
        charts = []
        for index, series in enumerate(claim["series"]):
            points = _series_points(store, series)
            if len(points) >= 2:
                png = chart_png(series, points, ("PROXY: " if series["proxy"] else "") + series["label"])
                charts.append((series, png, index))
        if markdown:
            parts.append(f"\n## {number}. {claim['claim']}\n\n*{where or 'offset ' + str(claim.get('start'))}*"
                         f"\n\n**Verdict: {verdict}** — {claim['explanation']}\n")
            parts.append("| field | value |\n|---|---|\n" + "\n".join(
                f"| {k} | {_fmt(v)} |" for k, v in frame_rows if v))
            parts.append(_md_series(claim["series"]))
            chart_dir.mkdir(exist_ok=True)
            for series, png, index in charts:
                name = f"claim{number}_series{index}.png"
                (chart_dir / name).write_bytes(png)
                parts.append(f"\n![{series['label']}]({chart_dir.name}/{name})\n")
            parts.append(_md_evidence(claim))
        else:
            colour = VERDICT_COLOURS.get(verdict, "#57606a")
            parts.append(
                f"<section class=claim><h2>{number}. {e(claim['claim'])}</h2>"
                f"<p class=meta>{e(where or 'offset ' + str(claim.get('start')))}</p>"
                f"<p><span class=verdict style='background:{colour}'>{e(verdict)}</span> "
                f"{e(claim['explanation'])}</p><table class=frame>"
                + "".join(f"<tr><th>{e(k)}</th><td>{e(_fmt(v))}</td></tr>" for k, v in frame_rows if v)
                + "</table>" + _html_series(claim["series"]))
            for series, png, _ in charts:
                data = base64.b64encode(png).decode("ascii")
                parts.append(f"<figure><img alt='{e(series['label'])}' src='data:image/png;base64,{data}'>"
                             f"<figcaption>{'PROXY — ' if series['proxy'] else ''}{e(series['label'])}"
                             f"{' — ' + e(series['caveat']) if series.get('caveat') else ''}</figcaption></figure>")
            parts.append(_html_evidence(claim) + "</section>")
    if markdown:
        out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    else:
        out.write_text(_HTML_HEAD.format(title=e(title)) + "\n".join(parts) + "</body></html>\n",
                       encoding="utf-8")
    return out


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
                   "change_pct", "agrees", "note", "source")


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


def _html_series(series: list[dict]) -> str:
    if not series:
        return ""
    e = html.escape
    return ("<table class=series><tr>" + "".join(f"<th>{e(c)}</th>" for c in _SERIES_COLUMNS) + "</tr>"
            + "".join("<tr" + (" class=proxy" if s.get("proxy") else "") + ">"
                      + "".join(f"<td>{e(_series_cell(s, k))}</td>" for k in _SERIES_COLUMNS) + "</tr>"
                      for s in series) + "</table>")


def _md_evidence(claim: dict) -> str:
    lines = []
    for item in claim.get("evidence", []):
        lines.append(f"- *{item['stance']}* ({item.get('source')}, {item.get('section') or ''}): "
                     f"{item['text'][:300].replace(chr(10), ' ')}")
    for basis in claim.get("legal_basis", []):
        if basis["kind"] == "chp":
            lines.append(f"- legal basis: CHP tier {basis['tier']} — HS {basis['code']} {basis['description'][:80]}")
        else:
            lines.append(f"- legal basis: {basis.get('title') or basis.get('source')} mentions {basis['mention']}")
    return ("\n**Evidence and legal basis**\n\n" + "\n".join(lines) + "\n") if lines else ""


def _html_evidence(claim: dict) -> str:
    e = html.escape
    rows = [f"<li><b>{e(i['stance'])}</b> <small>{e(str(i.get('source')))} {e(i.get('section') or '')}</small>"
            f"<br>{e(i['text'][:400])}</li>" for i in claim.get("evidence", [])]
    rows += [f"<li>legal basis: CHP tier {e(str(b['tier']))} — HS {e(b['code'])} {e(b['description'][:100])}</li>"
             if b["kind"] == "chp" else
             f"<li>legal basis: {e(str(b.get('title') or b.get('source')))} mentions {e(b['mention'])}</li>"
             for b in claim.get("legal_basis", [])]
    return f"<h3>Evidence and legal basis</h3><ul>{''.join(rows)}</ul>" if rows else ""


_HTML_HEAD = """<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<style>body{{font:14px/1.45 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1f2328}}
.verdict{{color:#fff;padding:2px 8px;border-radius:10px;font-weight:600}}
table{{border-collapse:collapse;margin:.6em 0;font-size:12px}}td,th{{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}}
tr.proxy td{{background:#fff8c5}}.meta{{color:#57606a}}section.claim{{border-top:2px solid #d0d7de;margin-top:1.5em}}
img{{max-width:100%}}</style></head><body>
"""

"""The one claim template, shared by the HTML report and the web app.

What it does: ``nlp/link/templates/claim_view.html`` holds the Jinja macros
``claim_view`` (a verified claim: sentence and provenance, verdict and
explanation, the parsed frame, figures, charts, the series used with proxies
labelled, evidence passages, legal basis) and ``verdict_badge``;
``report.html`` wraps one ``claim_view`` per claim into a self-contained
page. :func:`configure` lets another Jinja environment (the web app's) load
these templates and gives it the filters they use; :func:`render_report`
renders the report. Autoescaping is on: document text arrives as text.

What it does not do: compute charts or verdicts (:mod:`nlp.link.report`,
:mod:`nlp.link.verify`), or write files.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from ..text import file_name

TEMPLATES = Path(__file__).resolve().parent / "templates"


def fmt(value: Any) -> str:
    """A figure for a table cell: thousands separators, small shares with their significant digits."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, float):
        return f"{value:.3g}" if 0 < abs(value) < 0.1 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return " .. ".join(fmt(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k} {fmt(v)}" for k, v in value.items())
    return str(value)


def configure(env: jinja2.Environment) -> jinja2.Environment:
    """Let ``env`` load the claim templates (after its own) and use their filters."""
    own = [env.loader] if env.loader is not None else []
    env.loader = jinja2.ChoiceLoader([*own, jinja2.FileSystemLoader(str(TEMPLATES))])
    env.filters["fmt"] = fmt
    env.globals["file_name"] = file_name
    return env


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return configure(jinja2.Environment(autoescape=True, trim_blocks=False))


def render_report(doc: Any, claims: list[dict[str, Any]], charts: list[list[dict[str, Any]]]) -> str:
    """The HTML report of ``doc``'s claims; ``charts[i]`` are the charts of ``claims[i]``."""
    title = doc.title or doc.source
    return environment().get_template("report.html").render(doc=doc, claims=claims, charts=charts, title=title)

"""The extraction layers as spaCy components, all registered here in one style.

==================  ==============================  ==================
factory             spans in                        item of each span
==================  ==============================  ==================
``hs_codes``        ``doc.spans["hs_codes"]``        ``span._.hs``
``time_expressions``  ``doc.spans["dates"]``         ``span._.timex``
``legal_citations`` ``doc.spans["legal_citations"]``  ``span._.citation``
==================  ==============================  ==================

Each component is a :class:`~nlp.extract.spans.SpanTagger` over the layer's
finder (:func:`~nlp.extract.hs_codes.find_hs_codes`,
:func:`~nlp.extract.dates.find_dates`,
:func:`~nlp.extract.citations.find_citations`); the item on each span is the
finder's dict, exactly as it appears in an extraction record. Relative time
expressions are resolved against ``doc._.published`` (a date, or None to
keep TimeML's placeholders). The factories are also published as
``spacy_factories`` entry points (``pyproject.toml``), so any spaCy program
where the package is installed can ``nlp.add_pipe("hs_codes")``.

:func:`run_layer` runs a layer through its component on a Doc of
:func:`make_doc`. :func:`layer_items` gives the same items without the Doc,
and is what the project's own extraction (:mod:`nlp.extract.pipeline`)
calls: a component keeps every item a span can hold, and the token
boundaries never reach the record, so tokenising the text (1-4 ms an
800-word article) would buy nothing there.

What it does not do: find anything itself (the finder modules do), or add
the entity models (:mod:`nlp.extract.entities` runs spaCy's and natasha's
pipelines for those).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .citations import find_citations
from .dates import find_dates
from .hs_codes import find_hs_codes
from .safe_doc import safe_text
from .spans import SpanTagger

# record key -> (factory name, spans key, span extension)
LAYER_COMPONENTS: dict[str, tuple[str, str, str]] = {
    "hs_codes": ("hs_codes", "hs_codes", "hs"),
    "dates": ("time_expressions", "dates", "timex"),
    "citations": ("legal_citations", "legal_citations", "citation"),
}

for _, _, _attribute in LAYER_COMPONENTS.values():
    if not Span.has_extension(_attribute):
        Span.set_extension(_attribute, default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)
# The Doc's text kept as a string: ``Doc.text`` joins every token anew on each
# read, and each layer reads it once per document.
if not Doc.has_extension("source_text"):
    Doc.set_extension("source_text", default=None)


def _text(doc: Doc) -> str:
    return doc._.source_text if doc._.source_text is not None else doc.text


def _hs_codes(doc: Doc, lang: str) -> list[dict[str, Any]]:
    return find_hs_codes(_text(doc), lang)


def _dates(doc: Doc, lang: str) -> list[dict[str, Any]]:
    return find_dates(_text(doc), lang, doc._.published)


def _citations(doc: Doc, lang: str) -> list[dict[str, Any]]:
    return find_citations(_text(doc), lang)


@Language.factory("hs_codes", default_config={"lang": None})
def make_hs_codes(nlp: Language, name: str, lang: str | None) -> SpanTagger:
    return SpanTagger(_hs_codes, "hs_codes", "HS_CODE", "hs", lang or nlp.lang)


@Language.factory("time_expressions", default_config={"lang": None, "spans_key": "dates"})
def make_time_expressions(nlp: Language, name: str, lang: str | None, spans_key: str) -> SpanTagger:
    return SpanTagger(_dates, spans_key, lambda item: item["type"], "timex", lang or nlp.lang)


@Language.factory("legal_citations", default_config={"lang": None})
def make_legal_citations(nlp: Language, name: str, lang: str | None) -> SpanTagger:
    return SpanTagger(_citations, "legal_citations", "LEGAL_CITATION", "citation", lang or nlp.lang)


@lru_cache(maxsize=None)
def layer_pipeline(lang: str) -> Language:
    """A blank pipeline for ``lang`` (spaCy's multi-language one when it has
    none) holding every layer component."""
    import spacy

    try:
        pipeline = spacy.blank(lang)
    except (ImportError, KeyError, ValueError, OSError):  # spaCy has no class for this language
        pipeline = spacy.blank("xx")
    for factory, _, _ in LAYER_COMPONENTS.values():
        pipeline.add_pipe(factory, config={"lang": lang})
    return pipeline


def make_doc(text: str, lang: str, published: dt.date | None = None) -> Doc:
    """A Doc the layer components run on (tokenised once per text)."""
    from .safe_doc import make_safe_doc

    doc = make_safe_doc(layer_pipeline(lang), text)  # no quadratic tokenizing, no surrogates
    doc._.published = published
    doc._.source_text = safe_text(text)  # what doc.text would join, character for character
    return doc


# record key -> the finder its component wraps, as (text, lang, published) -> items
_FINDERS: dict[str, Callable[[str, str, dt.date | None], list[dict[str, Any]]]] = {
    "hs_codes": lambda text, lang, published: find_hs_codes(text, lang),
    "dates": lambda text, lang, published: find_dates(text, lang, published),
    "citations": lambda text, lang, published: find_citations(text, lang),
}


def layer_items(key: str, text: str, lang: str, published: dt.date | None = None) -> list[dict[str, Any]]:
    """What ``run_layer(key, make_doc(text, lang, published), lang)`` returns,
    without making the Doc.

    The component keeps an item when ``doc.char_span(start, end,
    alignment_mode="expand")`` gives a span. A Doc's tokens tile its text
    (spaces belong to the token before them, runs of spaces are tokens), so
    that holds exactly for the items that start inside the text and end
    after its first character and not beyond its last; the same filter
    here keeps the same items, in the finder's order. One difference, in
    the items' favour: spaCy keeps a span's extension value by its
    character offsets and label, so two items that expand to the same
    tokens ("августе" and "сентябре" where "августе-сентябре" is one token)
    come out of the Doc as the later item twice; here each stands."""
    text = safe_text(text)  # the text the Doc would hold
    size = len(text)
    lang = lang or layer_pipeline(lang).lang or "xx"  # what the component is configured with
    return [dict(item) for item in _FINDERS[key](text, lang, published)
            if 0 <= item["start"] < size and 0 < item["end"] <= size]


def run_layer(key: str, doc: Doc, lang: str) -> list[dict[str, Any]]:
    """The items of one layer (a record key: ``hs_codes``, ``dates``,
    ``citations``) found by its component in ``doc``."""
    factory, spans_key, attribute = LAYER_COMPONENTS[key]
    layer_pipeline(lang).get_pipe(factory)(doc)
    return [dict(getattr(span._, attribute)) for span in doc.spans[spans_key]]

"""One spaCy pipeline component for the regex extractors.

``SpanTagger`` runs a finder ``find(doc, lang) -> [{"start", "end", ...}]``
over a Doc and writes the items to ``doc.spans[key]``, each span's extension
attribute holding the item dict. Every extraction layer's component is an
instance of it; the factories are registered in
:mod:`nlp.extract.components`.
"""

from __future__ import annotations

from typing import Any, Callable

from spacy.tokens import Doc

Finder = Callable[[Doc, str], list[dict[str, Any]]]
Label = str | Callable[[dict[str, Any]], str]


class SpanTagger:
    def __init__(self, find: Finder, key: str, label: Label, attribute: str, lang: str | None = None):
        self.find, self.key, self.label, self.attribute, self.lang = find, key, label, attribute, lang

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for item in self.find(doc, self.lang or doc.lang_ or "en"):
            label = self.label(item) if callable(self.label) else self.label
            span = doc.char_span(item["start"], item["end"], label=label, alignment_mode="expand")
            if span is None:
                continue
            setattr(span._, self.attribute, item)
            spans.append(span)
        doc.spans[self.key] = spans
        return doc

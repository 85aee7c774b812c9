"""One spaCy pipeline component for the regex extractors.

``SpanTagger`` runs a finder ``find(text, lang) -> [{"start", "end", ...}]``
over ``doc.text`` and writes the items to ``doc.spans[key]``, each span's
extension attribute holding the item dict. The HS-code and citation
components are instances of it; it does not register factories itself.
"""

from __future__ import annotations

from typing import Any, Callable

from spacy.tokens import Doc

Finder = Callable[[str, str], list[dict[str, Any]]]


class SpanTagger:
    def __init__(self, find: Finder, key: str, label: str, attribute: str, lang: str | None = None):
        self.find, self.key, self.label, self.attribute, self.lang = find, key, label, attribute, lang

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for item in self.find(doc.text, self.lang or doc.lang_ or "en"):
            span = doc.char_span(item["start"], item["end"], label=self.label, alignment_mode="expand")
            if span is None:
                continue
            setattr(span._, self.attribute, item)
            spans.append(span)
        doc.spans[self.key] = spans
        return doc

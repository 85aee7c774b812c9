"""Evidence for a claim comes from other stories: the claim's own document and its
copies are left out before the best passages are chosen, so they cannot crowd
the others out of the list."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from nlp.link import evidence
from nlp.link.frames import frame_claim

CLAIM = "EU exports of microchips to Kazakhstan rose in 2023 compared with 2022"


@dataclass
class Hit:
    doc_id: str
    text: str
    score: float
    lang: str = "en"

    def to_dict(self):
        return {"doc_id": self.doc_id, "text": self.text, "score": self.score, "lang": self.lang}


class Index:
    def search(self, text, k, mode):
        own = [Hit("own", f"Paragraph {i} of the claim's own article on microchips.", 1.0 - i / 100)
               for i in range(12)]
        copy = [Hit("copy", f"Paragraph {i} of a reprint of the same article.", 0.8 - i / 100) for i in range(6)]
        other = [Hit(f"other{i}", f"Another outlet on microchip exports to Kazakhstan, part {i}.", 0.5 - i / 100)
                 for i in range(5)]
        return (own + copy + other)[:k]


def test_own_document_and_copies_do_not_crowd_out_other_evidence(monkeypatch):
    monkeypatch.setattr("nlp.index.current.using_index", lambda store_dir: contextlib.nullcontext(Index()))
    frame = frame_claim(CLAIM)

    class Store:
        dir = "unused"

    found = evidence.find_evidence(frame, Store(), k=5, exclude={"own", "copy"})
    assert [e["doc_id"] for e in found] == [f"other{i}" for i in range(5)]

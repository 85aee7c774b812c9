"""Comparing two results folders row by row (vectors within a tolerance)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nlp.scale.dataset import ResultsDir
from nlp.scale.stages import TABLES


def table_rows(folder: Path, table: str) -> tuple[list[dict], list]:
    """(rows without vectors, vectors) sorted by every other column."""
    rows = ResultsDir(folder).rows(table)
    rows.sort(key=lambda r: tuple(str(r[k]) for k in sorted(r) if k != "vector"))
    vectors = [r.pop("vector", None) for r in rows]
    return rows, vectors


def assert_same_results(a: Path, b: Path, tolerance: float = 1e-4) -> dict[str, int]:
    """Every table equal (same ids, same annotations), vectors within ``tolerance``."""
    counts = {}
    for table in TABLES:
        rows_a, vectors_a = table_rows(a, table)
        rows_b, vectors_b = table_rows(b, table)
        assert len(rows_a) == len(rows_b), f"{table}: {len(rows_a)} rows vs {len(rows_b)}"
        for row_a, row_b in zip(rows_a, rows_b):
            assert row_a == row_b, f"{table} differs:\n{row_a}\n{row_b}"
        if table == "passages" and rows_a:
            assert np.allclose(np.array(vectors_a, dtype=np.float32), np.array(vectors_b, dtype=np.float32),
                               atol=tolerance)
        counts[table] = len(rows_a)
    return counts


def assert_no_duplicates(folder: Path) -> None:
    keys = {"files": ("path",), "documents": ("file_id", "doc_id"), "passages": ("file_id", "passage_id"),
            "listings": ("file_id", "entry_id"),
            "annotations": ("file_id", "doc_id", "layer", "start", "end", "label", "data")}
    for table, columns in keys.items():
        rows = ResultsDir(folder).rows(table)
        seen = [tuple(r[c] for c in columns) for r in rows]
        assert len(seen) == len(set(seen)), f"duplicate rows in {table}"

"""Ingest orchestration: idempotence, replacement, isolation of failures, SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from nlp.cli import app
from nlp.ingest import ingest, read_path
from nlp.ingest.registry import ReadError
from nlp.store import Store

ARTICLE = """---
title: Sample article
date: 2024-06-07
author: Sample Author
---

Exports of processors (HS 8542 31) to Kazakhstan rose in late 2023.

Второй абзац на русском языке о реэкспорте.
"""


def _folder(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "b.jsonl").write_text(
        json.dumps({"_id": "d1", "title": "T1", "text": "first record"}) + "\n"
        + json.dumps({"_id": "d2", "title": "T2", "text": "второй документ"}) + "\n",
        encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "mystery.bin").write_bytes(b"\x00\x01\x02 binary")
    return src


def test_text_document_keeps_file_text_and_metadata(tmp_path):
    path = _folder(tmp_path) / "a.txt"
    _, result = read_path(path)
    [doc] = result.documents
    assert doc.text == ARTICLE
    assert (doc.title, doc.published, doc.author, doc.lang) == (
        "Sample article", "2024-06-07", "Sample Author", "en")
    for block in doc.blocks:
        assert doc.text[block.start:block.end] == block.text


def test_jsonl_records_keep_source_ids(tmp_path):
    _, result = read_path(_folder(tmp_path) / "b.jsonl")
    assert [(d.source_id, d.lang) for d in result.documents] == [("d1", "en"), ("d2", "ru")]


def test_ingest_reports_failures_and_is_idempotent(tmp_path):
    src = _folder(tmp_path)
    with Store(tmp_path / "store") as store:
        first = ingest([src], store)
        assert (first.files, first.ingested, first.failed) == (4, 2, 2)
        reasons = {Path(f["path"]).name: f["reason"] for f in first.failures}
        assert reasons["empty.txt"] == "empty file"
        assert reasons["mystery.bin"].startswith("unknown format")
        assert first.documents == 3
        second = ingest([src], store)
        assert (second.ingested, second.unchanged, second.documents) == (0, 2, 3)


def test_changed_file_replaces_previous_version(tmp_path):
    src = _folder(tmp_path)
    with Store(tmp_path / "store") as store:
        ingest([src], store)
        (src / "a.txt").write_text(ARTICLE.replace("late 2023", "early 2024"), encoding="utf-8")
        summary = ingest([src], store)
        assert summary.ingested == 1 and summary.documents == 3
        texts = [d.text for d in store.documents() if d.title == "Sample article"]
        assert len(texts) == 1 and "early 2024" in texts[0]


def test_broken_replacement_keeps_stored_version(tmp_path):
    src = _folder(tmp_path)
    with Store(tmp_path / "store") as store:
        ingest([src], store)
        (src / "b.jsonl").write_text("{not json\n", encoding="utf-8")
        summary = ingest([src], store)
        assert summary.failed == 3 and "invalid JSON" in summary.failures[0]["reason"]
        assert summary.documents == 3  # the two records from before are still there


def test_wrong_encoding_is_decoded_or_reported(tmp_path):
    cp1251 = tmp_path / "ru.txt"
    cp1251.write_bytes("Санкции против России и реэкспорт через Казахстан.".encode("cp1251"))
    _, result = read_path(cp1251)
    assert "Казахстан" in result.documents[0].text
    assert result.documents[0].meta["encoding"].lower().replace("-", "") in ("cp1251", "windows1251")
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 50)
    try:
        read_path(garbage)
    except ReadError as exc:
        assert "undecodable" in str(exc)
    else:  # pragma: no cover - a guess was accepted; it must not be binary junk
        raise AssertionError("binary bytes were accepted as text")


def test_too_large_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SANCTIONS_MAX_FILE_MB", "0.001")
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    try:
        read_path(big)
    except ReadError as exc:
        assert str(exc).startswith("too large")
    else:
        raise AssertionError("size limit not applied")


def test_cli_json_summary_and_exit_code(tmp_path):
    src = _folder(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(src), "--store", str(tmp_path / "s"), "--json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert set(summary) == {"files", "ingested", "unchanged", "failed", "documents", "listings",
                            "trade_facts", "failures", "partial"}
    assert summary["failed"] == 2
    stats = runner.invoke(app, ["corpus", "--store", str(tmp_path / "s"), "--json"])
    assert stats.exit_code == 0 and json.loads(stats.stdout)["documents"] == 3


def test_sigkill_midway_leaves_consistent_store(tmp_path):
    """Kill an ingest run hard while it writes, rerun, and check for duplicates."""
    src = tmp_path / "many"
    src.mkdir()
    for i in range(400):
        (src / f"doc{i:04}.txt").write_text(f"Document number {i}.\n\n" + "text " * 2000,
                                            encoding="utf-8")
    store_dir = tmp_path / "store"
    cmd = [sys.executable, "-m", "nlp", "ingest", str(src), "--store", str(store_dir), "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = store_dir / "store.sqlite"
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if db.exists() and Store(store_dir).totals()["documents"] >= 20:
            break
        time.sleep(0.05)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(store_dir) as store:
        partial = store.totals()["documents"]
        assert partial <= 400
        summary = ingest([src], store)
        assert summary.documents == 400 and summary.failed == 0
        assert summary.unchanged == partial  # what landed before the kill is complete
        rows = store.query("SELECT COUNT(*), COUNT(DISTINCT path) FROM documents")[0]
        assert tuple(rows) == (400, 400)
        orphans = store.query(
            "SELECT COUNT(*) FROM blocks WHERE doc_id NOT IN (SELECT doc_id FROM documents)")[0][0]
        assert orphans == 0

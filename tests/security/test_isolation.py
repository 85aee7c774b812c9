"""Readers run under a per-file time and memory limit in a worker process; a
file over a limit fails with the limit named, and the run goes on. Failure
reasons are one bounded line that says what is wrong; partial reads are told."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.ingest import ingest
from nlp.ingest.isolation import Limits, OverLimit, read_isolated
from nlp.ingest.partial import csv_truncation, partial_reasons, pdf_page_chars
from nlp.ingest.reasons import MAX_REASON_CHARS, describe, one_line
from nlp.records import Document, ReadResult
from nlp.store import Store

TEXT = "Exports of processors to Kazakhstan rose in late 2023.\n"


def endless_workbook(path: Path) -> Path:
    """An FSD programme workbook whose sheet declares its last cell at XFD1048576:
    openpyxl then walks 17 billion empty cells."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["CODE", "TITLE"])
    sheet.append(["RUS", "Russia"])
    sheet["XFD1048576"] = "x"
    book.save(path)
    return path


def test_endless_workbook_is_refused_before_reading(tmp_path):
    from nlp.ingest import read_path
    from nlp.ingest.registry import ReadError

    path = endless_workbook(tmp_path / "Abbreviation_FSD_extract_program.xlsx")
    with pytest.raises(ReadError, match=r"declares 17,179,869,184 cells .* but holds 5: refused"):
        read_path(path)


def test_pdf_with_millions_of_characters_on_a_page_is_refused_before_reading(tmp_path):
    from nlp.fuzzing import minimal_pdf
    from nlp.ingest import read_path
    from nlp.ingest.registry import ReadError

    path = tmp_path / "ops.pdf"
    path.write_bytes(minimal_pdf(b"BT /F1 1 Tf " + b"(x) Tj " * 300_000 + b"ET"))
    with pytest.raises(ReadError, match=r"page 1 holds 300,000 characters, over the 20,000"):
        read_path(path)


@pytest.mark.timeout(120)
def test_slow_file_fails_at_the_time_limit_and_the_run_goes_on(tmp_path, monkeypatch):
    from nlp.fuzzing import dense_pdf

    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "dense.pdf").write_bytes(dense_pdf(lines=75, pages=10))  # tens of seconds on any machine
    (folder / "good.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.setenv("SANCTIONS_READ_TIMEOUT_S", "2")
    with Store(tmp_path / "store") as store:
        summary = ingest([folder], store)
        reason = store.query("SELECT reason FROM files WHERE status = 'failed'")[0][0]
    assert summary.failed >= 1 and summary.failures[0]["reason"] == reason
    assert reason == "over the time limit: reading took more than 2 s (SANCTIONS_READ_TIMEOUT_S)"


@pytest.mark.timeout(120)
def test_memory_hungry_file_fails_at_the_memory_limit(tmp_path):
    from nlp.fuzzing import dense_pdf

    path = tmp_path / "dense.pdf"
    path.write_bytes(dense_pdf(lines=75, pages=10))
    with pytest.raises(OverLimit, match=r"memory limit: .*more than 100 MB \(SANCTIONS_READ_MEMORY_MB\)"):
        read_isolated(path, path.read_bytes(), Limits(seconds=100, memory_mb=100))


@pytest.mark.timeout(120)
def test_worker_is_reused_and_replaced_after_a_kill(tmp_path):
    from nlp.fuzzing import dense_pdf

    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    limits = Limits(seconds=15, memory_mb=1024)
    reader, result = read_isolated(good, good.read_bytes(), limits)
    assert reader.name == "text" and result.documents[0].text == TEXT
    bad = tmp_path / "dense.pdf"
    bad.write_bytes(dense_pdf(lines=75, pages=60))  # each page just under the bound; a minute to read
    # Killed at one of its limits: which one comes first depends on the machine's speed.
    with pytest.raises(OverLimit, match="time limit|memory limit"):
        read_isolated(bad, bad.read_bytes(), limits)
    reader, result = read_isolated(good, good.read_bytes(), limits)
    assert result.documents[0].text == TEXT


def test_reader_output_on_stdout_does_not_reach_stdout(tmp_path, monkeypatch, capsys):
    from nlp.ingest import read_path, registry

    def chatty(path, data):
        print("WARNING *** file size (1) not 512 + multiple of sector size (512)")
        return ReadResult(documents=[Document(doc_id="d", kind="news", source=str(path), text="text", lang="en")])

    monkeypatch.setitem(registry._READERS, "chatty", registry.Reader(
        "chatty", "test", lambda p, h: p.suffix == ".chatty", chatty, priority=999))
    path = tmp_path / "x.chatty"
    path.write_text("x", encoding="utf-8")
    read_path(path)
    captured = capsys.readouterr()
    assert captured.out == "" and "WARNING" in captured.err


def test_internal_exceptions_become_one_line_reasons_about_the_file():
    class Broken:
        pass

    try:
        Broken().missing  # type: ignore[attr-defined]
    except AttributeError as exc:
        reason = describe("pdf", exc)
    assert reason.startswith("unexpected content the reader does not handle (pdf reader; AttributeError")
    import zipfile

    assert describe("trade-xlsx", zipfile.BadZipFile("File is not a zip file")).startswith(
        "damaged zip container")
    long = describe("text", ValueError("line\n" * 20_000))
    assert "\n" not in long and len(long) <= MAX_REASON_CHARS
    assert one_line("a\r\n\tb\x00c" + "x" * 1000).startswith("a b c")
    assert len(one_line("x" * 70_000)) == MAX_REASON_CHARS


def test_failure_reasons_of_a_run_are_single_bounded_lines(tmp_path, monkeypatch):
    from nlp.ingest import registry
    from nlp.ingest.registry import ReadError

    def verbose(path, data):
        raise ReadError("first line\nsecond line " + "y" * 70_000)

    monkeypatch.setitem(registry._READERS, "verbose", registry.Reader(
        "verbose", "test", lambda p, h: p.suffix == ".verbose", verbose, priority=999))
    monkeypatch.setenv("SANCTIONS_READ_ISOLATION", "off")
    (tmp_path / "a.verbose").write_text("x", encoding="utf-8")
    with Store(tmp_path / "store") as store:
        summary = ingest([tmp_path / "a.verbose"], store)
        stored = store.query("SELECT reason FROM files")[0][0]
    reason = summary.failures[0]["reason"]
    assert reason == stored and reason.startswith("first line second line")
    assert len(reason) <= MAX_REASON_CHARS


def test_truncated_csv_is_reported_as_a_partial_read():
    header = "id,name,country\n"
    assert csv_truncation((header + "1,Ivan,RU\n").encode()) is None
    assert "2 of 3 fields" in csv_truncation((header + "1,Ivan,RU\n2,Pet").encode())
    assert "quoted field" in csv_truncation((header + '1,Ivan,RU\n2,"Pet').encode())
    result = ReadResult(documents=[Document(doc_id="d", kind="listing", source="x", text="t", lang="en")])
    assert partial_reasons(Path("l.csv"), (header + "1,Iv").encode(), result)[0].startswith("partial read:")


def _pdf_with_text() -> bytes:
    from nlp.fuzzing import minimal_pdf

    return minimal_pdf(b"BT /F1 12 Tf 72 720 Td (Exports rose in late 2023) Tj ET")


def test_pdf_with_text_on_its_pages_but_none_extracted_is_partial():
    data = _pdf_with_text()
    assert pdf_page_chars(data) > 10
    empty = ReadResult(documents=[Document(doc_id="d", kind="reference", source="x", text="", lang="en")])
    [reason] = partial_reasons(Path("a.pdf"), data, empty)
    assert reason.startswith("partial read: the pages hold text")
    full = ReadResult(documents=[Document(doc_id="d", kind="reference", source="x", text="Exports", lang="en")])
    assert partial_reasons(Path("a.pdf"), data, full) == []


def test_json_summary_lists_partial_reads(tmp_path):
    from typer.testing import CliRunner

    from nlp.cli import app

    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "d"), "--store", str(tmp_path / "s"), "--json"])
    assert json.loads(result.stdout)["partial"] == []


@pytest.mark.timeout(120)
def test_workbook_with_a_damaged_compressed_sheet_fails_with_a_reason(tmp_path):
    import openpyxl

    from nlp.ingest.registry import ReadError

    book = openpyxl.Workbook()
    for row in range(300):
        book.active.append([f"country {row}", row, row * 1.5, "exports"])
    path = tmp_path / "kg_nsc_4.03.00.17_exports_by_country_soms.xlsx"
    book.save(path)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 16] = b"\x00" * 16  # inside a deflate stream: zlib errors, CRC mismatches
    with pytest.raises(ReadError) as refused:
        read_isolated(path, bytes(data), Limits(seconds=30, memory_mb=1024))
    assert not isinstance(refused.value, OverLimit)
    assert "\n" not in str(refused.value) and "ended" not in str(refused.value)

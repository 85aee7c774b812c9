"""The folder walk refuses what it must not read: links out of the folder,
pipes, devices and sockets, undecodable names; each with a reason, the rest of
the run unharmed. ``watch --once`` must not hang on a FIFO either."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.cli import app
from nlp.ingest import ingest
from nlp.ingest.walk import NotRegular, entries, read_regular
from nlp.store import Store

TEXT = "Exports of processors to Kazakhstan rose in late 2023.\n"


@pytest.fixture()
def hostile(tmp_path: Path) -> Path:
    folder = tmp_path / "d"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(TEXT, encoding="utf-8")
    (folder / "sub" / "inner.txt").write_text("Второй документ о реэкспорте в Казахстан.\n", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("SANCTIONS_API_TOKEN=not-for-the-store\n", encoding="utf-8")
    os.symlink(secret, folder / "x.md")
    os.symlink("/proc/self/environ", folder / "env.txt")
    os.symlink(tmp_path, folder / "up")  # a folder link leaving the folder
    os.symlink(folder / "sub" / "inner.txt", folder / "inside.txt")
    os.mkfifo(folder / "pipe.txt")
    return folder


def _reasons(found) -> dict[str, str | None]:
    return {entry.path.name: entry.problem for entry in found}


def test_links_leaving_the_folder_and_fifos_are_refused_with_a_reason(hostile):
    reasons = _reasons(entries([hostile]))
    assert reasons["good.txt"] is None and reasons["inner.txt"] is None
    assert "outside the folder" in reasons["x.md"]
    assert "outside the folder" in reasons["env.txt"]
    assert "outside the folder" in reasons["up"]
    assert "not followed" in reasons["inside.txt"]
    assert "named pipe" in reasons["pipe.txt"]
    assert "secret.txt" not in reasons


def test_links_inside_the_folder_are_followed_when_allowed(hostile):
    found = list(entries([hostile], links="inside"))
    readable = [e.path for e in found if e.problem is None]
    # inside.txt is read as its target, and the target is not read twice as a new file
    assert sum(p.name == "inner.txt" for p in readable) == 2
    assert all(str(p).startswith(str(hostile.resolve())) or str(p).startswith(str(hostile))
               for p in readable)
    assert "outside the folder" in _reasons(found)["x.md"]


def test_link_loops_end(tmp_path):
    folder = tmp_path / "loop"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    os.symlink(folder, folder / "again")
    found = list(entries([folder], links="inside"))
    assert [e.path.name for e in found if e.problem is None] == ["a.txt"]


def test_sockets_and_devices_are_skipped(tmp_path):
    folder = tmp_path / "special"
    folder.mkdir()
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(folder / "sock"))
        reasons = _reasons(entries([folder]))
    finally:
        server.close()
    assert "socket" in reasons["sock"]
    assert "device file" in _reasons(entries([Path("/dev/null")]))["null"]


def test_unreadable_sub_folder_is_reported(tmp_path, monkeypatch):
    folder = tmp_path / "d"
    (folder / "locked").mkdir(parents=True)
    (folder / "ok.txt").write_text(TEXT, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    reasons = _reasons(entries([folder]))
    assert reasons["ok.txt"] is None
    assert reasons["locked"] == "cannot open folder: Permission denied"


def test_read_regular_refuses_a_file_swapped_for_a_link_or_pipe(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(NotRegular, match="named pipe"):
        read_regular(tmp_path / "pipe")  # returns at once: the open does not block
    target = tmp_path / "t.txt"
    target.write_text(TEXT, encoding="utf-8")
    os.symlink(target, tmp_path / "link.txt")
    with pytest.raises(NotRegular, match="symbolic link"):
        read_regular(tmp_path / "link.txt")
    assert read_regular(target) == TEXT.encode()
    assert read_regular(target, limit=3) is None


def test_ingest_stores_nothing_from_outside_and_reports_each_refusal(hostile, tmp_path):
    with Store(tmp_path / "store") as store:
        summary = ingest([hostile], store)
        texts = [row[0] for row in store.query("SELECT text FROM documents")]
    assert summary.ingested == 2
    assert not any("not-for-the-store" in t or "SANCTIONS_" in t for t in texts)
    failed = {Path(f["path"]).name: f["reason"] for f in summary.failures}
    assert set(failed) == {"x.md", "env.txt", "up", "inside.txt", "pipe.txt"}
    assert all("\n" not in reason for reason in failed.values())


def test_non_utf8_name_is_one_failure_among_many(tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "good.txt").write_text(TEXT, encoding="utf-8")
    bad = os.fsencode(str(folder)) + b"/bad-\xff\xfe.txt"
    with open(bad, "wb") as handle:
        handle.write(TEXT.encode())
    with Store(tmp_path / "store") as store:
        summary = ingest([folder], store)
        stored = [row[0] for row in store.query("SELECT path FROM files WHERE status = 'failed'")]
    assert (summary.ingested, summary.failed) == (1, 1)
    assert summary.failures[0]["path"].endswith("bad-\\xff\\xfe.txt")
    assert "not valid UTF-8" in summary.failures[0]["reason"]
    assert stored and stored[0].endswith("bad-\\xff\\xfe.txt")
    # the JSON summary can be printed
    result = CliRunner().invoke(app, ["ingest", str(folder), "--store", str(tmp_path / "s2"), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["failed"] == 1


def test_markup_in_paths_and_reasons_is_printed_as_text(tmp_path):
    folder = tmp_path / "[bold]x["  # the file's path holds "[bold]x[/odd.txt"
    folder.mkdir()
    (folder / "odd.txt").write_bytes(b"")
    result = CliRunner().invoke(app, ["ingest", str(folder), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1, result.output
    # rich wraps long lines anywhere: compare without white space
    assert "[bold]x[/odd.txt:emptyfile" in "".join(result.output.split())
    stats = CliRunner().invoke(app, ["corpus", "--store", str(tmp_path / "s")])
    assert stats.exit_code == 0, stats.output


@pytest.mark.timeout(120)
def test_watch_once_does_not_hang_on_a_fifo(tmp_path):
    folder = tmp_path / "w"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    result = CliRunner().invoke(app, ["watch", str(folder), "--once", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    logged = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(e["status"], e["error"]) for e in logged] == [
        ("failed", "ValueError: named pipe (FIFO): not a regular file, skipped")]


def test_search_output_prints_markup_in_queries_as_text():
    import io

    from rich.console import Console

    from nlp.cli_output import print_hits

    out = io.StringIO()
    print_hits(Console(file=out, width=200), "[/bold] exports", [], "[red]q1")
    assert "[/bold] exports  ([red]q1)  — no results" in out.getvalue()

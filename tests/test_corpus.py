"""Corpus manifest: building it from PROVENANCE.md, fetching from a mirror or
over HTTP (a tiny server on 127.0.0.1: there is no internet here)."""

from __future__ import annotations

import hashlib
import http.server
import json
import socket
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.corpus import build_manifest, fetch_all, fetch_one, provenance_rows, read_manifest, sha256_file

REPO = Path(__file__).resolve().parent.parent
MANIFEST = REPO / "corpus" / "sources.jsonl"

PROVENANCE = """# Provenance

| file (relative to corpus) | source repo / path | commit | licence (as stated) | size | contents |
|---|---|---|---|---|---|
| `lists/sdn.csv` | github moov-io/watchman `test/testdata/bench/sdn.csv` | repo HEAD d299005fe25f511fe8abdb6425c745e16cb5ca2c | Apache-2.0 | 5 | SDN |
| `lists/alt.csv` | moov-io/watchman `test/testdata/bench/alt.csv` | as above | Apache-2.0 | 5 | aliases |
| `lists/DERIVED_x.csv` | DERIVED here from that repo's files | n/a | none | 3 | x |
| `lists/README_md.txt`, `LICENCE_md.txt` | same repo `docs/README.md`, `docs/LICENCE.md` (renamed) | as above | MIT | 1 / 1 | docs |
| `news/*.txt (2 files)` | github agorahub/pen0 `_posts/<same name>.md` (Jekyll) | 6195bf2463162f45ca721457d103fd17bf5a58a7 | none | 4 total | posts |
"""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture()
def small_corpus(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    files = {"lists/sdn.csv": b"1,a\n", "lists/alt.csv": b"1,b\n", "lists/DERIVED_x.csv": b"x\n",
             "lists/README_md.txt": b"r", "lists/LICENCE_md.txt": b"l", "news/a.txt": b"aa",
             "news/b.txt": b"bb", "other/unlisted.bin": b"?"}
    for rel, data in files.items():
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (corpus / rel).write_bytes(data)
    (corpus / "PROVENANCE.md").write_text(PROVENANCE, encoding="utf-8")
    return corpus


def test_provenance_rows_are_keyed_by_column():
    rows = provenance_rows(PROVENANCE)
    assert len(rows) == 5
    assert rows[0]["file"] == "`lists/sdn.csv`" and rows[0]["licence"] == "Apache-2.0"


def test_build_manifest_resolves_same_repo_as_above_globs_and_derived(small_corpus):
    entries = {e["path"]: e for e in build_manifest(small_corpus)}
    assert "PROVENANCE.md" not in entries and len(entries) == 8
    sdn, alt = entries["lists/sdn.csv"], entries["lists/alt.csv"]
    assert sdn["url"] == ("https://raw.githubusercontent.com/moov-io/watchman/"
                          "d299005fe25f511fe8abdb6425c745e16cb5ca2c/test/testdata/bench/sdn.csv")
    assert alt["commit"] == sdn["commit"] and alt["repository"] == "https://github.com/moov-io/watchman"
    assert sdn["sha256"] == _sha(b"1,a\n") and sdn["size"] == 4 and sdn["derived"] is False
    assert entries["lists/DERIVED_x.csv"]["derived"] is True and entries["lists/DERIVED_x.csv"]["url"] is None
    # "same repo" after a derived row still means the last named repository
    assert entries["lists/LICENCE_md.txt"]["repo_path"] == "docs/LICENCE.md"
    assert entries["lists/LICENCE_md.txt"]["url"].endswith("/watchman/d299005fe25f511fe8abdb6425c745e16cb5ca2c"
                                                          "/docs/LICENCE.md")
    assert entries["news/b.txt"]["repo_path"] == "_posts/b.md"
    assert entries["other/unlisted.bin"]["licence"] is None and entries["other/unlisted.bin"]["derived"]


def _write_manifest(path: Path, entries: list[dict]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    return path


def test_mirror_copy_then_present_and_checksum_failure(small_corpus, tmp_path):
    manifest = _write_manifest(tmp_path / "sources.jsonl", [
        *build_manifest(small_corpus),
        {"path": "lists/sdn.csv.bad", "sha256": "0" * 64},  # not in the mirror
    ])
    dest = tmp_path / "dest"
    results = {r["path"]: r for r in fetch_all(manifest, dest, small_corpus)}
    assert results["lists/sdn.csv"]["status"] == "copied"
    assert (dest / "lists/sdn.csv").read_bytes() == b"1,a\n"
    assert results["lists/sdn.csv.bad"]["status"] == "failed"
    again = {r["path"]: r["status"] for r in fetch_all(manifest, dest, small_corpus)}
    assert again["lists/sdn.csv"] == "present"
    # a corrupted copy is replaced; a wrong checksum leaves no file, not even a partial one
    (dest / "lists/alt.csv").write_bytes(b"corrupt")
    assert fetch_one({"path": "lists/alt.csv", "sha256": _sha(b"1,b\n")}, dest, small_corpus)["status"] == "copied"
    wrong = fetch_one({"path": "news/a.txt", "sha256": _sha(b"other")}, tmp_path / "d2", small_corpus)
    assert wrong["status"] == "failed" and "checksum mismatch" in wrong["reason"]
    assert not list((tmp_path / "d2").rglob("*.*"))


def test_unsafe_paths_samples_and_bad_manifest(tmp_path, small_corpus):
    assert fetch_one({"path": "../escape.txt"}, tmp_path / "d", small_corpus)["reason"].startswith("unsafe path")
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / "s.txt").write_bytes(b"sample")
    manifest = _write_manifest(tmp_path / "sources.jsonl", [
        {"path": "samples/s.txt", "sample": True, "sha256": _sha(b"sample")},
        {"path": "samples/missing.txt", "sample": True},
    ])
    statuses = [r["status"] for r in fetch_all(manifest, tmp_path / "d", None)]
    assert statuses == ["present", "failed"]
    (tmp_path / "broken.jsonl").write_text("{not json\n", encoding="utf-8")
    [result] = fetch_all(tmp_path / "broken.jsonl", tmp_path / "d", None)
    assert result["status"] == "failed" and "invalid JSON" in result["reason"]
    [missing] = fetch_all(tmp_path / "nope.jsonl", tmp_path / "d", None)
    assert missing["status"] == "failed"


class _Handler(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}

    def do_GET(self):  # noqa: N802 (http.server API)
        data = self.files.get(self.path)
        if data is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture()
def http_base():
    _Handler.files = {"/repo/sdn.csv": b"1,a\n", "/repo/changed.csv": b"new bytes"}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_download_verifies_checksum_and_reports_http_errors(tmp_path, http_base):
    manifest = _write_manifest(tmp_path / "sources.jsonl", [
        {"path": "a/sdn.csv", "url": f"{http_base}/repo/sdn.csv", "sha256": _sha(b"1,a\n")},
        {"path": "a/changed.csv", "url": f"{http_base}/repo/changed.csv", "sha256": _sha(b"old bytes")},
        {"path": "a/gone.csv", "url": f"{http_base}/repo/gone.csv"},
        {"path": "a/down.csv", "url": f"http://127.0.0.1:{_closed_port()}/x.csv"},
        {"path": "a/derived.csv", "url": f"{http_base}/repo/sdn.csv", "derived": True},
        {"path": "a/nourl.csv"},
    ])
    dest = tmp_path / "dest"
    results = {r["path"]: r for r in fetch_all(manifest, dest, None)}
    assert results["a/sdn.csv"]["status"] == "fetched"
    assert (dest / "a/sdn.csv").read_bytes() == b"1,a\n"
    assert "checksum mismatch" in results["a/changed.csv"]["reason"]
    assert not (dest / "a/changed.csv").exists()
    assert "HTTP 404" in results["a/gone.csv"]["reason"]
    assert results["a/down.csv"]["reason"].startswith("cannot reach 127.0.0.1")
    assert "use --mirror" in results["a/derived.csv"]["reason"]
    assert "no download URL" in results["a/nourl.csv"]["reason"]
    assert sorted(p.name for p in (dest / "a").iterdir()) == ["sdn.csv"]  # no partial files
    assert fetch_all(manifest, dest, None)[0]["status"] == "present"


def test_cli_fetch_exit_codes(tmp_path, http_base):
    from nlp.cli import app

    good = _write_manifest(tmp_path / "good.jsonl",
                           [{"path": "sdn.csv", "url": f"{http_base}/repo/sdn.csv", "sha256": _sha(b"1,a\n")}])
    runner = CliRunner()
    ok = runner.invoke(app, ["corpus", "fetch", "--manifest", str(good), "--dest", str(tmp_path / "d"), "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout.splitlines()[0])["status"] == "fetched"
    bad = _write_manifest(tmp_path / "bad.jsonl", [{"path": "x.csv"}])
    assert runner.invoke(app, ["corpus", "fetch", "--manifest", str(bad), "--dest", str(tmp_path / "d")]).exit_code == 1


# -- the committed manifest against the shared corpus --------------------------

def test_committed_manifest_matches_the_shared_corpus(corpus):
    entries = [e for e in read_manifest(MANIFEST) if not e.get("sample")]
    on_disk = {p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file()} - {"PROVENANCE.md"}
    assert {e["path"] for e in entries} == on_disk
    for entry in entries:
        assert entry["size"] == (corpus / entry["path"]).stat().st_size, entry["path"]
        assert entry["sha256"] == sha256_file(corpus / entry["path"]), entry["path"]
        assert entry.get("url") or entry.get("derived"), entry["path"]


def test_fetch_with_mirror_from_the_shared_corpus(corpus, tmp_path):
    entries = [e for e in read_manifest(MANIFEST) if e["path"].startswith("sanctions_lists/")]
    manifest = _write_manifest(tmp_path / "sources.jsonl", entries)
    results = fetch_all(manifest, tmp_path / "mirror", corpus)
    assert {r["status"] for r in results} == {"copied"}, [r for r in results if r["status"] != "copied"]
    assert {r["status"] for r in fetch_all(manifest, tmp_path / "mirror", corpus)} == {"present"}

"""Watching folders and feeds: idempotence, restarts, the loopback feed, hostile HTML.

The tagger's extraction layer is replaced by a canned record (no model is
loaded), so these tests exercise the real watch -> tag -> store path quickly.
"""

from __future__ import annotations

import http.server
import json
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from nlp.tag import watch
from nlp.tag.watch import dir_items, feed_items, html_to_text, process

HOSTILE = "alert('pwned')"


@pytest.fixture()
def fast_tagger(monkeypatch):
    """Real tag_article/tag_path, with extraction and claims stubbed out."""
    import nlp.extract.pipeline as pipeline
    import nlp.link.frames as frames

    calls = []

    def fake_extract(doc, lang="auto", published=None, **_):
        calls.append(doc.doc_id)
        return {"doc_id": doc.doc_id, "source": doc.source, "lang": doc.lang or "en",
                "published": published, "entities": [], "hs_codes": [], "dates": [], "citations": []}

    monkeypatch.setattr(pipeline, "extract_document", fake_extract)
    monkeypatch.setattr(frames, "detect_claims", lambda *a, **k: [])
    return calls


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_dir_processed_twice_tags_once(tmp_path, store, fast_tagger):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _write(inbox, "a.txt", "Gazprombank was designated by the US Treasury on 21 November 2024.")
    _write(inbox, "b.txt", "Kazakhstan re-exports of CHP items to Russia rose again.")
    logged, log_file = [], store.dir / "watch.jsonl"

    first = process(dir_items(inbox), store, log=logged.append, log_file=log_file)
    second = process(dir_items(inbox), store, log=logged.append, log_file=log_file)

    assert first == {"tagged": 2, "skipped": 0, "failed": 0}
    assert second == {"tagged": 0, "skipped": 2, "failed": 0}
    assert len(fast_tagger) == 2
    assert store.totals()["documents"] == 2
    lines = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
    assert [e["status"] for e in lines] == ["tagged", "tagged"] and logged == lines
    assert all({"key", "doc_id", "lang", "listed", "topics"} <= set(e) for e in lines)


def test_new_and_changed_files_only(tmp_path, store, fast_tagger):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = _write(inbox, "a.txt", "First version of the article about the price cap.")
    process(dir_items(inbox), store, log=lambda e: None)
    _write(inbox, "c.txt", "A new article about the shadow fleet.")
    path.write_text("Second version of the article about the price cap.", encoding="utf-8")

    counts = process(dir_items(inbox), store, log=lambda e: None)

    assert counts == {"tagged": 2, "skipped": 0, "failed": 0}
    # The changed file replaced its old version: one document per file.
    assert store.totals()["documents"] == 2
    assert any("Second version" in d.text for d in store.documents())
    assert not any("First version" in d.text for d in store.documents())


def test_restart_after_crash_between_store_and_mark(tmp_path, store, fast_tagger, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _write(inbox, "a.txt", "Sovcomflot tankers were listed in the 15th package.")
    real_mark = watch.mark

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("killed after storing, before marking")

    monkeypatch.setattr(watch, "mark", crash)
    with pytest.raises(KeyboardInterrupt):
        process(dir_items(inbox), store, log=lambda e: None)
    assert store.totals()["documents"] == 1  # stored, but not marked seen

    monkeypatch.setattr(watch, "mark", real_mark)
    counts = process(dir_items(inbox), store, log=lambda e: None)
    assert counts["tagged"] == 1  # not lost: tagged again after the restart
    assert store.totals()["documents"] == 1  # and not duplicated
    assert process(dir_items(inbox), store, log=lambda e: None)["skipped"] == 1


def test_restart_with_a_fresh_store_object(tmp_path, fast_tagger):
    from nlp.store import Store

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _write(inbox, "a.txt", "EU agrees 17th package of sanctions.")
    with Store(tmp_path / "store") as db:
        assert process(dir_items(inbox), db, log=lambda e: None)["tagged"] == 1
    with Store(tmp_path / "store") as db:  # a new process opens the same store
        assert process(dir_items(inbox), db, log=lambda e: None) == {"tagged": 0, "skipped": 1, "failed": 0}


def test_bad_item_is_logged_not_fatal(tmp_path, store, fast_tagger):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _write(inbox, "empty.txt", "   \n")
    _write(inbox, "good.txt", "Export controls on machine tools were tightened.")
    logged = []
    counts = process(dir_items(inbox), store, log=logged.append)
    assert counts["tagged"] == 1 and counts["failed"] == 1
    failed = [e for e in logged if e["status"] == "failed"]
    assert failed and failed[0]["error"] and "\n" not in failed[0]["error"]
    # A failed item is remembered too: it is not retried until it changes.
    assert process(dir_items(inbox), store, log=lambda e: None)["skipped"] == 2


# -- feeds on loopback -------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test desk</title><link>http://127.0.0.1/</link>
<description>sanctions news</description>
{items}
</channel></rss>"""

RSS_ITEM = """<item><title>{title}</title><link>http://127.0.0.1/{guid}</link><guid>{guid}</guid>
<pubDate>Thu, 21 Nov 2024 10:00:00 GMT</pubDate><description>{body}</description></item>"""

HOSTILE_BODY = ("&lt;p&gt;The US designated Gazprombank.&lt;/p&gt;"
                "&lt;script&gt;alert('pwned')&lt;/script&gt;"
                "&lt;img src=x onerror=\"alert('pwned')\"&gt;"
                "&lt;style&gt;body{display:none}&lt;/style&gt;"
                "&lt;iframe src=\"javascript:alert('pwned')\"&gt;&lt;/iframe&gt;"
                "&lt;p&gt;Second &lt;b&gt;paragraph&lt;/b&gt;.&lt;/p&gt;")

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom desk</title><id>urn:desk</id>
<updated>2024-11-22T00:00:00Z</updated>
<entry><title>Shadow fleet tankers listed</title><id>urn:item:1</id>
<updated>2024-11-22T08:00:00Z</updated><link href="http://127.0.0.1/atom/1"/>
<content type="html">&lt;p&gt;Tankers &lt;script&gt;alert('pwned')&lt;/script&gt;were listed.&lt;/p&gt;</content></entry>
</feed>"""


@contextmanager
def serve(pages: dict[str, bytes]):
    """An HTTP server on 127.0.0.1 (ephemeral port) in a daemon thread."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = pages.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _rss(*items: tuple[str, str, str]) -> bytes:
    return RSS.format(items="\n".join(RSS_ITEM.format(guid=g, title=t, body=b) for g, t, b in items)).encode()


def test_loopback_feed_idempotent_and_sanitised(store, fast_tagger):
    pages = {"/feed.xml": _rss(("item-1", "US sanctions Gazprombank", HOSTILE_BODY))}
    with serve(pages) as base:
        url = f"{base}/feed.xml"
        items = list(feed_items(url))
        assert len(items) == 1
        item = items[0]
        assert item.published == "2024-11-21" and item.title == "US sanctions Gazprombank"
        assert "Gazprombank" in item.text and "Second paragraph." in item.text
        for bad in ("alert", "<script", "onerror", "javascript:", "display:none", "<"):
            assert bad not in item.text, bad

        assert process(feed_items(url), store, log=lambda e: None)["tagged"] == 1
        assert process(feed_items(url), store, log=lambda e: None) == {"tagged": 0, "skipped": 1, "failed": 0}

        # The feed moves on: one new item on top, the old one still listed.
        pages["/feed.xml"] = _rss(("item-2", "Price cap tightened", "&lt;p&gt;New text.&lt;/p&gt;"),
                                  ("item-1", "US sanctions Gazprombank", HOSTILE_BODY))
        assert process(feed_items(url), store, log=lambda e: None) == {"tagged": 1, "skipped": 1, "failed": 0}
    assert store.totals()["documents"] == 2
    assert all(HOSTILE not in d.text for d in store.documents())


def test_loopback_atom_feed(store, fast_tagger):
    with serve({"/atom.xml": ATOM.encode()}) as base:
        items = list(feed_items(f"{base}/atom.xml"))
    assert len(items) == 1
    assert items[0].key.endswith("#urn:item:1") and items[0].published == "2024-11-22"
    assert "Tankers" in items[0].text and "were listed." in items[0].text and "alert" not in items[0].text


def test_not_a_feed_is_a_clear_error(store):
    with serve({"/page": b"<html><body>just a page</body></html>"}) as base:
        with pytest.raises(ValueError, match="not an RSS/Atom feed"):
            list(feed_items(f"{base}/page"))
        with pytest.raises(OSError):  # 404: urllib's HTTPError is an OSError
            list(feed_items(f"{base}/missing"))


@pytest.mark.parametrize("html,kept,dropped", [
    ("<p>One</p><p>Two</p>", ["One", "Two"], []),
    ("<script>alert(1)</script>Text", ["Text"], ["alert"]),
    ("<p onclick=\"alert(1)\">Click</p>", ["Click"], ["alert", "onclick"]),
    ("<svg><script>alert(1)</script></svg>ok", ["ok"], ["alert"]),
    ("<noscript><img src=x onerror=alert(1)></noscript>fine", ["fine"], ["alert"]),
    ("", [], []),
    ("<!-- only a comment -->", [], ["comment"]),
])
def test_html_to_text(html, kept, dropped):
    text = html_to_text(html)
    assert all(k in text for k in kept) and not any(d in text for d in dropped)
    assert "<" not in text

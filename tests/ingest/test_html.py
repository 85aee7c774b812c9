"""HTML news reader: main text, metadata, structure, hostile and broken input."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.ingest import read_path
from nlp.ingest.html import decode_html, looks_like_code, read_html_document
from nlp.ingest.registry import ReadError, pick

ARTICLE = [
    "Customs officers detained an oil tanker suspected of sailing for a sanctioned shipping group on Tuesday, "
    "the port authority said in a statement.",
    "The vessel had switched off its transponder twice in the past month, according to tracking data reviewed "
    "by the authority, and had changed its flag registry in the spring.",
    "Officials said further inspections were planned and that the owners had been asked to provide documents "
    "about the cargo and the insurance of the ship.",
]

SCRIPT_MARKERS = ("alert", "document.", "javascript", "INJECTED", "eval(", "onerror", "window.", "function(")


def _page(head: str = "", body_extra: str = "", charset: str = "utf-8") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">'
            f"<title>Tanker detained in port | Example News</title>"
            f'<meta name="author" content="Anna Example">'
            f'<meta property="article:published_time" content="2024-06-25T08:00:00+00:00">{head}</head>'
            f'<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>'
            f"<article><h1>Tanker detained in port</h1>{paragraphs}{body_extra}</article>"
            f"<footer><p>© 2024 Example News. All rights reserved. Privacy policy.</p></footer></body></html>")


def _read(tmp_path: Path, data: bytes, name: str = "page.html"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_path(path)


def _consistent(doc) -> bool:
    return all(doc.text[b.start:b.end] == b.text for b in doc.blocks)


def test_news_page_text_metadata_and_blocks(tmp_path):
    reader, result = _read(tmp_path, _page().encode("utf-8"))
    doc = result.documents[0]
    assert reader.name == "html"
    assert doc.kind == "news" and doc.lang == "en"
    assert doc.title == "Tanker detained in port"
    assert doc.author == "Anna Example"
    assert doc.published == "2024-06-25"
    assert [b.text for b in doc.blocks if b.kind == "paragraph"] == ARTICLE
    assert doc.blocks[0].kind == "title"
    assert "Home" not in doc.text and "All rights reserved" not in doc.text
    assert _consistent(doc)


def test_headings_lists_and_tables_keep_structure(tmp_path):
    extra = ("<h2>Vessels named</h2><table><tr><th>Vessel</th><th>IMO</th></tr>"
             "<tr><td>Example Star</td><td>9123456</td></tr></table>"
             "<ul><li>first measure applies to ports</li><li>second measure applies to insurers</li></ul>")
    _, result = _read(tmp_path, _page(body_extra=extra).encode("utf-8"))
    doc = result.documents[0]
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.table == [["Vessel", "IMO"], ["Example Star", "9123456"]]
    assert table.section == "Vessels named"
    assert [b.text for b in doc.blocks if b.kind == "list_item"] == [
        "first measure applies to ports", "second measure applies to insurers"]
    assert any(b.kind == "heading" and b.text == "Vessels named" for b in doc.blocks)
    assert _consistent(doc)


def test_hostile_page_yields_clean_text_without_script(tmp_path):
    head = ("<script>var tracker = function(){ document.cookie = 'x=1'; alert('head'); };</script>"
            "<style>body{color:red}</style>")
    extra = ('<img src="x" onerror="alert(\'img\')"><iframe src="https://evil.example/frame">frame text</iframe>'
             '<p>See <a href="javascript:alert(\'link\')">the list of measures</a> for details of the ban.</p>'
             "<script>document.write('<p>INJECTED paragraph from a script</p>');</script>"
             "<object data='x.swf'>object fallback</object><noscript><p>Enable JavaScript to comment</p></noscript>"
             '<p onclick="alert(1)" onmouseover="eval(atob(\'YQ==\'))">Port officials said the inspection would '
             "continue for several days while documents were checked.</p>"
             f'<span style="display:none">{"QUJD" * 50_000}</span><div hidden>hidden text block</div>'
             "<script>eval(atob('YWxlcnQoMSk='))</script>")
    body = _page(head=head, body_extra=extra).replace("<body>", '<body onload="alert(\'load\')">')
    _, result = _read(tmp_path, body.encode("utf-8"))
    doc = result.documents[0]
    for marker in SCRIPT_MARKERS:
        assert marker not in doc.text, marker
    assert "QUJDQUJD" not in doc.text and "hidden text block" not in doc.text
    assert "the list of measures" in doc.text
    assert "inspection would continue" in doc.text
    assert _consistent(doc)


def test_broken_markup_is_recovered(tmp_path):
    broken = ("<html><head><title>Broken page</title><body><div><p>" + ARTICLE[0] + "<p>" + ARTICLE[1]
              + "<b><i>unclosed tags</b> and <p>" + ARTICLE[2] + "</div></span></table>")
    _, result = _read(tmp_path, broken.encode("utf-8"))
    doc = result.documents[0]
    assert ARTICLE[1][:40] in doc.text and ARTICLE[2][:40] in doc.text


def test_wrong_meta_charset_over_utf8_bytes(tmp_path):
    page = _page(charset="iso-8859-1").replace(ARTICLE[0], ARTICLE[0] + " Zürich-based analysts agreed — again.")
    _, result = _read(tmp_path, page.encode("utf-8"))
    assert "Zürich-based analysts agreed — again." in result.documents[0].text


def test_declared_legacy_charset_and_undeclared_cyrillic(tmp_path):
    russian = ("Таможенники задержали танкер, подозреваемый в перевозке нефти в обход санкций, сообщили в "
               "портовой администрации во вторник. По данным ведомства, судно дважды отключало транспондер.")
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
            f"<title>Задержан танкер</title></head><body><article><p>{russian}</p><p>{russian}</p>"
            f"</article></body></html>")
    text, notes = decode_html(page.encode("cp1251"))
    assert russian in text and notes["encoding"] == "cp1251"
    # Declared UTF-8 but really cp1251: falls back to a guess.
    wrong = page.replace("windows-1251", "utf-8").encode("cp1251")
    _, result = _read(tmp_path, wrong)
    assert result.documents[0].lang == "ru"
    assert "Таможенники задержали танкер" in result.documents[0].text


def test_utf16_with_bom(tmp_path):
    data = b"\xff\xfe" + _page().encode("utf-16-le")
    _, result = _read(tmp_path, data)
    assert ARTICLE[0] in result.documents[0].text


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"   \n\t ", "empty file"),
    (bytes(range(256)) * 40, "binary"),
    (b"\xff\xfe\x00\xd8\x00", "undecodable"),
    (b"<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>",
     "no main text found in HTML"),
])
def test_bad_input_raises_one_line_read_error(tmp_path, data, reason):
    path = tmp_path / "bad.html"
    path.write_bytes(data)
    with pytest.raises(ReadError) as info:
        read_path(path)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


def test_no_main_text_from_reader_function():
    with pytest.raises(ReadError, match="no main text found in HTML"):
        read_html_document(Path("x.html"), b"<html><body><script>alert(1)</script></body></html>")


def test_sniffs_html_content_without_suffix_but_not_other_suffixes():
    head = _page().encode("utf-8")[:4096]
    assert pick(Path("download"), head).name == "html"
    assert pick(Path("page.htm"), head).name == "html"
    assert pick(Path("notes.txt"), head).name != "html"


def test_looks_like_code():
    assert looks_like_code("var x = function(){ return document.cookie; };")
    assert looks_like_code("window.dataLayer.push({event: 'x'})")
    assert not looks_like_code("The Council adopted the 14th package (with 27 vessels) on 24 June 2024.")
    assert not looks_like_code("Articles 3(1)(a), 3(2)(b), 3(3)(c) and 4(1)(d) (as amended) apply; see 5(1).")

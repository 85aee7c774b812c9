"""EU legal acts: EUR-Lex OJ/consolidated HTML and Formex XML.

Counts asserted on the real files were verified independently of the reader,
by regular expressions or XPath over the raw files (done again in each test).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlp.ingest import read_path, walk
from nlp.ingest.act_blocks import act_from_title
from nlp.ingest.eurlex_html import parse_eurlex_html
from nlp.ingest.formex import looks_formex, parse_formex
from nlp.ingest.registry import ReadError, pick

EU = "eu_regulations"
WAYBACK = f"{EU}/eurlex_sanctions/reg_2024_1745_oj_wayback20240624.html"
FIXTURES = f"{EU}/format_fixtures_nonsanctions_lexparency"
OJ_2013 = f"{FIXTURES}/eurlex_oj_html_L_2013176EN_fragment.html"
CONSOLIDATED = f"{FIXTURES}/eurlex_consolidated_html_32009L0065_en_fragment.html"
VISA = f"{FIXTURES}/formex_consleg_32009R0810_de_visakodex.xml"
CRR = f"{FIXTURES}/formex_32013R0575_de_crr_fragment.xml"
CHROME = ("Wayback Machine", "archive.org", "Table of contents", "Display", "javascript", "Top\n",
          "Legal notice", "Site map", "►", "▼", "◄")


def _doc(path: Path):
    reader, result = read_path(path)
    return reader.name, result.documents[0]


def _consistent(doc) -> None:
    for block in doc.blocks:
        assert doc.text[block.start:block.end] == block.text
    assert all(a.end <= b.start for a, b in zip(doc.blocks, doc.blocks[1:]))


def _sections(doc, kind: str | None = None, prefix: str = "") -> list[str]:
    seen: list[str] = []
    for block in doc.blocks:
        if (kind is None or block.kind == kind) and block.section and block.section.startswith(prefix) \
                and block.section not in seen:
            seen.append(block.section)
    return seen


# -- every file under eu_regulations/ -------------------------------------------

def test_every_eu_regulations_file_reads(corpus):
    files = [p for p in walk([corpus / EU])]
    assert len(files) >= 6
    for path in files:
        reader, result = read_path(path)
        name, doc = reader.name, result.documents[0]
        for each in result.documents:
            _consistent(each)
        if path.suffix in (".html", ".xml"):
            assert len(result.documents) == 1
            assert name in ("eurlex-html", "formex"), path.name
            assert doc.kind == "regulation"
            assert doc.title and doc.published
            assert doc.meta.get("celex"), path.name
            for chrome in CHROME:
                assert chrome not in doc.text, (path.name, chrome)
        else:  # the guidance excerpts stay with the JSON records reader
            assert name == "json-records"


# -- Council Regulation (EU) 2024/1745 in a Wayback capture ----------------------

def test_reg_2024_1745_structure(corpus):
    path = corpus / WAYBACK
    raw = path.read_text(encoding="utf-8")
    name, doc = _doc(path)
    assert name == "eurlex-html"
    assert doc.title.startswith("COUNCIL REGULATION (EU) 2024/1745 of 24 June 2024 amending Regulation (EU) No 833/2014")
    assert doc.published == "2024-06-24"
    assert doc.lang == "en"
    assert doc.meta["celex"] == "32024R1745"
    assert doc.meta["act_type"] == "regulation"
    assert doc.meta["eli"] == "http://data.europa.eu/eli/reg/2024/1745/oj"
    assert doc.meta["oj_reference"] == "OJ L, 2024/1745, 24.6.2024"
    # recitals: one eli-subdivision rct_N per recital in the raw page
    raw_recitals = len(re.findall(r'id="rct_\d+"', raw))
    assert raw_recitals == 47
    assert _sections(doc, "recital") == [f"recital {n}" for n in range(1, raw_recitals + 1)]
    assert [b.text for b in doc.blocks if b.kind == "recital"][46].startswith("(47) Regulation (EU) No 833/2014")
    # articles of the act itself (amended articles quoted inside points are not)
    assert len(re.findall(r'id="art_\d+"', raw)) == 2
    assert _sections(doc, "heading", "Article") == ["Article 1", "Article 2"]
    # Article 1 lists numbered amending points (1)..(43)
    art1 = raw[raw.index('id="art_1"'):raw.index('id="art_2"')]
    raw_points = {int(n) for n in re.findall(r'<p class="oj-normal">\((\d+)\)</p>', art1)}
    assert max(raw_points) == 43
    points = [s for s in _sections(doc, "article") if s.startswith("Article 1, point")]
    assert points == [f"Article 1, point ({n})" for n in range(1, 44)]
    point_17 = " ".join(b.text for b in doc.blocks if b.section == "Article 1, point (14)")
    assert "Article 5ab" in point_17
    # footnotes at the end of the act: ntr1..ntr8
    assert len(re.findall(r'id="ntr\d+-', raw)) == 8
    assert _sections(doc, "footnote") == [f"footnote {n}" for n in range(1, 9)]
    assert any(b.section == "final" and "J. BORRELL FONTELLES" in b.text for b in doc.blocks)
    # the act starts ~206,500 characters into the capture; nothing before it is kept
    assert raw.find("COUNCIL REGULATION (EU) 2024/1745") > 200_000
    assert doc.text.startswith("COUNCIL REGULATION (EU) 2024/1745")
    _consistent(doc)


# -- older OJ HTML (unprefixed classes) -------------------------------------------

def test_oj_html_2013_fragment(corpus):
    path = corpus / OJ_2013
    raw = path.read_text(encoding="utf-8")
    name, doc = _doc(path)
    assert name == "eurlex-html"
    assert doc.published == "2013-06-26"
    assert doc.meta["celex"] == "32013R0575"
    assert doc.meta["oj_reference"] == "OJ L 176, 27.6.2013, p. 1"
    raw_articles = re.findall(r'class="ti-art"[^>]*>\s*(Article \d+)', raw)
    assert _sections(doc, "heading", "Article") == raw_articles == [
        "Article 1", "Article 2", "Article 3", "Article 4", "Article 521"]
    assert len(_sections(doc, "recital")) == 2
    assert _sections(doc, "heading", "Annex") == ["Annex I", "Annex II"]
    assert "Article 521(2)(a)" in _sections(doc, "article")
    assert len(re.findall(r'<p class="note">', raw)) == len(_sections(doc, "footnote")) == 2
    _consistent(doc)


# -- consolidated HTML -------------------------------------------------------------

def test_consolidated_html_fragment(corpus):
    path = corpus / CONSOLIDATED
    raw = path.read_text(encoding="utf-8")
    name, doc = _doc(path)
    assert name == "eurlex-html"
    assert doc.title.startswith("DIRECTIVE 2009/65/EC OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL of 13 July 2009")
    assert doc.published == "2009-07-13"
    assert doc.meta["celex"] == "32009L0065"
    assert doc.meta["consolidated_date"] == "2013-06-20"
    assert doc.meta["act_type"] == "directive"
    assert doc.meta["amended_by"] == ["32010L0078", "32011L0061", "32013L0014"]
    raw_articles = re.findall(r'class="title-article-norm">(Article \d+)<', raw)
    assert len(raw_articles) == 8
    assert _sections(doc, "heading", "Article") == raw_articles
    assert len(_sections(doc, "recital")) == 6
    assert _sections(doc, "heading", "Annex") == [f"Annex {n}" for n in ("I", "II", "III", "IV")] \
        == [f"Annex {n}" for n in re.findall(r'class="title-annex-1">ANNEX (\w+)<', raw)]
    # real tables (class borderOj) plus the "amended by" table
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == raw.count('class="borderOj"') + 1
    assert tables[0].section == "amended by"
    correlation = tables[-1]
    assert correlation.section == "Annex IV"
    assert correlation.table[0] == ["Directive 85/611/EEC", "This Directive"]
    assert "Article 2(1)(n)" in _sections(doc, "article")
    assert "Article 3, point (a)" in _sections(doc, "article")
    assert len(_sections(doc, "footnote")) == raw.count('class="footnote"') == 3
    _consistent(doc)


# -- Formex XML --------------------------------------------------------------------

def _formex_counts(path: Path) -> dict[str, int]:
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    return {
        "articles": len(root.xpath("//ARTICLE[not(ancestor::QUOT.S)]")),
        "all_articles": len(root.xpath("//ARTICLE")),
        "tables": len(root.xpath("//TBL[not(ancestor::QUOT.S)]")),
        "recitals": len(root.xpath("//CONSID")),
        "annexes": len(root.xpath("//ANNEX|//CONS.ANNEX")),
    }


def test_formex_consleg_visa_code(corpus):
    path = corpus / VISA
    counts = _formex_counts(path)
    assert counts["all_articles"] == 70 and counts["tables"] == 9 and counts["annexes"] == 14
    name, doc = _doc(path)
    assert name == "formex"
    assert doc.lang == "de"
    assert doc.title.startswith("Verordnung (EG) Nr. 810/2009 des Europäischen Parlaments und des Rates vom 13. Juli 2009")
    assert doc.published == "2009-07-13"
    assert doc.meta["celex"] == "32009R0810"
    assert doc.meta["consolidated_date"] == "2020-02-02"
    assert "32019R1155" in doc.meta["amended_by"]
    article_headings = [b for b in doc.blocks if b.kind == "heading" and b.section and "Article" in b.section]
    assert len(article_headings) == counts["articles"]
    assert {"Article 1", "Article 25a", "Article 58", "Annex XI, Article 9"} <= set(_sections(doc, "heading"))
    assert sum(b.kind == "table" for b in doc.blocks) == counts["tables"]
    assert len(_sections(doc, "recital")) == counts["recitals"] == 0
    annex_titles = {f"Annex {n}" for n in re.findall(r"<P>ANHANG[\s\u00a0]+([IVX]+)</P>",
                                                       path.read_text(encoding="utf-8"))}
    assert annex_titles and annex_titles <= set(_sections(doc, "heading", "Annex"))
    assert "Article 1(1)" in _sections(doc, "article")
    _consistent(doc)


def test_formex_crr_fragment(corpus):
    path = corpus / CRR
    counts = _formex_counts(path)
    assert counts["all_articles"] == 12
    name, doc = _doc(path)
    assert name == "formex"
    assert doc.lang == "de"
    assert doc.published == "2013-06-26"
    assert doc.meta["celex"] == "32013R0575"
    assert len([b for b in doc.blocks if b.kind == "heading" and b.section and b.section.startswith("Article")]) \
        == counts["articles"]
    assert len(_sections(doc, "recital")) == counts["recitals"] == 4
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == counts["tables"]
    assert tables[0].section == "Article 153(5)"  # a table inside a paragraph
    assert tables[0].table[0][:2] == ["Restlaufzeit", "Kategorie 1"]
    assert next(t for t in tables if t.section == "Annex IV").table[0][0] == "Diese Verordnung"
    footnotes = [b for b in doc.blocks if b.kind == "footnote"]
    assert footnotes[0].text.startswith("(1) ABl. C 105")
    assert all(re.match(r"\(\d+\) \S", b.text) for b in footnotes)
    _consistent(doc)


# -- without the corpus --------------------------------------------------------------

MINI_OJ = """<html><head><title>Regulation - EU - 2099/1 - EN - EUR-Lex</title>
<link rel="canonical" href="https://eur-lex.europa.eu/eli/reg/2099/1/oj"></head><body>
<div id="wm-ipp-base">Wayback Machine toolbar</div><nav>EUR-Lex menu</nav>
<div class="doc"><table><tr><td><p class="oj-hd-date">1.2.2099</p></td><td><p class="oj-hd-uniq">2099/1</p></td></tr></table>
<p class="oj-doc-ti">COUNCIL REGULATION (EU) 2099/1</p><p class="oj-doc-ti">of 1 February 2099</p>
<p class="oj-doc-ti">on test measures</p>
<p class="oj-normal">THE COUNCIL OF THE EUROPEAN UNION,</p><p class="oj-normal">Whereas:</p>
<table><tr><td><p class="oj-normal">(1)</p></td><td><p class="oj-normal">First reason.</p></td></tr></table>
<table><tr><td><p class="oj-normal">(2)</p></td><td><p class="oj-normal">Second reason.</p></td></tr></table>
<p class="oj-normal">HAS ADOPTED THIS REGULATION:</p>
<p class="oj-ti-art">Article 1</p><p class="oj-normal">1.   A rule applies.</p>
<table><tr><td><p class="oj-normal">(a)</p></td><td><p class="oj-normal">to goods;</p></td></tr></table>
<p class="oj-normal">2.   Another rule applies.</p>
<p class="oj-ti-art">Article 2</p><p class="oj-normal">This Regulation shall enter into force.</p>
<p class="oj-doc-ti">ANNEX I</p>
<table class="oj-table"><tr><td><p class="oj-tbl-hdr">Code</p></td><td><p class="oj-tbl-hdr">Item</p></td></tr>
<tr><td><p class="oj-tbl-txt">8471</p></td><td><p class="oj-tbl-txt">computers</p></td></tr></table>
<p class="oj-note">(1) A footnote.</p>
</div><footer>Legal notice</footer><script>alert(1)</script></body></html>"""


def test_minimal_oj_page_structure():
    doc = parse_eurlex_html(Path("mini.html"), MINI_OJ.encode("utf-8"))
    assert doc is not None
    assert doc.title == "COUNCIL REGULATION (EU) 2099/1 of 1 February 2099 on test measures"
    assert doc.published == "2099-02-01"
    assert doc.meta["celex"] == "32099R0001"
    assert [(b.kind, b.section) for b in doc.blocks if b.kind in ("recital", "article", "table", "footnote")] == [
        ("recital", "recital 1"), ("recital", "recital 2"), ("article", "Article 1(1)"),
        ("article", "Article 1(1)(a)"), ("article", "Article 1(2)"), ("article", "Article 2"),
        ("table", "Annex I"), ("footnote", "footnote 1")]
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.table == [["Code", "Item"], ["8471", "computers"]]
    for chrome in ("Wayback", "EUR-Lex menu", "Legal notice", "alert", "1.2.2099"):
        assert chrome not in doc.text
    _consistent(doc)


def test_eurlex_page_without_an_act_falls_back_to_news(tmp_path):
    page = ('<html><head><title>EUR-Lex news</title><link rel="canonical" href="https://eur-lex.europa.eu/news">'
            "</head><body><article><h1>Update</h1><p>" + "The search interface of the site was updated with "
            "new filters for legal acts and case law, the Publications Office said on Monday. " * 3
            + "</p></article></body></html>")
    path = tmp_path / "news.html"
    path.write_text(page, encoding="utf-8")
    reader, result = read_path(path)
    assert reader.name == "eurlex-html"
    assert result.documents[0].kind == "news"


MINI_FORMEX = """<?xml version="1.0" encoding="UTF-8"?>
<ACT xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://formex.publications.europa.eu/schema/formex-05.56-20160701.xd">
<BIB.INSTANCE><DOCUMENT.REF FILE="x"><COLL>L</COLL><NO.OJ>1</NO.OJ><YEAR>2099</YEAR><PAGE.FIRST>3</PAGE.FIRST></DOCUMENT.REF>
<DATE ISO="20990201">20990201</DATE><LG.DOC>FR</LG.DOC></BIB.INSTANCE>
<TITLE><TI><P>RÈGLEMENT (UE) 2099/1 DU CONSEIL</P><P>du <DATE ISO="20990201">1er février 2099</DATE></P></TI></TITLE>
<PREAMBLE><PREAMBLE.INIT>LE CONSEIL DE L'UNION EUROPÉENNE,</PREAMBLE.INIT>
<GR.CONSID><CONSID><NP><NO.P>(1)</NO.P><TXT>Premier motif<NOTE NOTE.ID="E0001"><P>JO L 1.</P></NOTE>.</TXT></NP></CONSID></GR.CONSID>
<PREAMBLE.FINAL>A ADOPTÉ LE PRÉSENT RÈGLEMENT:</PREAMBLE.FINAL></PREAMBLE>
<ENACTING.TERMS><ARTICLE IDENTIFIER="001"><TI.ART>Article premier</TI.ART>
<PARAG IDENTIFIER="001.001"><NO.PARAG>1.</NO.PARAG><ALINEA>Une règle <QUOT.START CODE="00AB"/>citée<QUOT.END CODE="00BB"/>:
<LIST TYPE="alpha"><ITEM><NP><NO.P>a)</NO.P><TXT>biens;</TXT></NP></ITEM></LIST></ALINEA></PARAG></ARTICLE>
<ARTICLE IDENTIFIER="002"><TI.ART>Article 2</TI.ART><ALINEA>Entrée en vigueur.</ALINEA></ARTICLE></ENACTING.TERMS>
<FINAL><P>Fait à Bruxelles.</P></FINAL></ACT>"""


def test_minimal_formex():
    data = MINI_FORMEX.encode("utf-8")
    assert looks_formex(data)
    assert pick(Path("act.xml"), data).name == "formex"
    doc = parse_formex(Path("act.xml"), data)
    assert doc.lang == "fr"
    assert doc.published == "2099-02-01"
    assert doc.meta["oj_reference"] == "OJ L 1/2099, p. 3"
    sections = [(b.kind, b.section) for b in doc.blocks]
    assert ("recital", "recital 1") in sections
    assert ("article", "Article 1(1)") in sections and ("article", "Article 2") in sections
    article_1 = next(b for b in doc.blocks if b.section == "Article 1(1)")
    assert article_1.text == "1. Une règle «citée»:\na) biens;"
    assert next(b for b in doc.blocks if b.kind == "recital").text == "(1) Premier motif (1)."
    assert doc.blocks[-1].kind == "footnote" and doc.blocks[-1].text == "(1) JO L 1."
    _consistent(doc)


def test_formex_sniff_rejects_other_xml():
    assert not looks_formex(b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="x"><INDIVIDUALS/>')
    assert not looks_formex(b"<html><body>x</body></html>")


def test_malformed_formex_is_a_read_error(tmp_path):
    path = tmp_path / "act.xml"
    path.write_bytes(MINI_FORMEX.encode("utf-8")[:600])
    with pytest.raises(ReadError, match="malformed Formex XML"):
        read_path(path)


@pytest.mark.parametrize("title, expected", [
    ("COUNCIL REGULATION (EU) 2024/1745 of 24 June 2024", ("regulation", "32024R1745")),
    ("REGULATION (EU) No 575/2013 OF THE EUROPEAN PARLIAMENT", ("regulation", "32013R0575")),
    ("COUNCIL REGULATION (EU) No 833/2014 of 31 July 2014", ("regulation", "32014R0833")),
    ("DIRECTIVE 2009/65/EC OF THE EUROPEAN PARLIAMENT", ("directive", "32009L0065")),
    ("COUNCIL DECISION (CFSP) 2024/1744 of 24 June 2024", ("decision", "32024D1744")),
    ("COUNCIL IMPLEMENTING REGULATION (EU) 2024/1746", ("implementing regulation", "32024R1746")),
    ("Verordnung (EG) Nr. 810/2009 des Europäischen Parlaments", ("regulation", "32009R0810")),
])
def test_act_from_title(title, expected):
    act = act_from_title(title)
    assert (act["act_type"], act["celex"]) == expected

from index_helpers import HashEmbedder, regulation

from nlp.index.passages import chunk_document, section_root
from nlp.records import Block, Document, TextBuilder


def words(texts):
    return [len(t.split()) for t in texts]


def check_offsets(doc, passages):
    for p in passages:
        assert doc.text[p.start:p.end] == p.text
    starts = [p.start for p in passages]
    assert starts == sorted(starts)


def test_section_root():
    assert section_root("Article 3a(2)") == "article 3a"
    assert section_root("Annex I, point 3") == "annex i"
    assert section_root(None) is None


def test_legal_act_one_article_per_passage_and_title_attached():
    doc = regulation()
    passages = chunk_document(doc, words, 200)
    check_offsets(doc, passages)
    assert [p.section for p in passages] == ["Article 1", "Article 2"]
    # The title (a heading) joins the first article instead of standing alone.
    assert passages[0].text.startswith("Council Regulation")
    assert passages[0].block_kind == "article"
    # Later passages carry the title as context for the model only.
    assert passages[1].embed_text.startswith("Council Regulation\n")
    assert not passages[1].text.startswith("Council Regulation")


def test_paragraphs_of_one_article_are_joined():
    tb = TextBuilder()
    tb.add("paragraph", "1. First point about exports.", section="Article 3(1)")
    tb.add("paragraph", "2. Second point about imports.", section="Article 3(2)")
    tb.add("paragraph", "1. Other article.", section="Article 4(1)")
    doc = Document("d", "regulation", "en", tb.text, "s", blocks=tb.blocks)
    passages = chunk_document(doc, words, 200)
    assert [p.section for p in passages] == ["Article 3(1)", "Article 4(1)"]
    assert "Second point" in passages[0].text


def test_news_paragraphs_packed_to_window_and_long_ones_split():
    paragraphs = [f"Sentence {i} about sanctions evasion through third countries." for i in range(30)]
    long_paragraph = " ".join(paragraphs)
    text = "Short opening paragraph.\n\n" + long_paragraph + "\n\nClosing words."
    doc = Document("n", "news", "en", text, "s")  # no blocks: paragraphs from blank lines
    passages = chunk_document(doc, words, 40)
    check_offsets(doc, passages)
    assert all(len(p.embed_text.split()) <= 40 for p in passages)
    assert len(passages) >= 6
    # Splits fall at sentence ends and everything is covered.
    assert all(p.text.rstrip().endswith((".", "paragraph.")) for p in passages)
    joined = " ".join(p.text for p in passages)
    assert all(s in joined for s in paragraphs)


def test_a_sentence_longer_than_the_window_is_cut_between_words():
    doc = Document("n", "news", "en", " ".join(f"w{i}" for i in range(100)), "s")
    passages = chunk_document(doc, words, 30)
    check_offsets(doc, passages)
    assert all(len(p.text.split()) <= 30 for p in passages)
    assert sum(len(p.text.split()) for p in passages) == 100


def test_listing_entries_are_one_passage_each():
    tb = TextBuilder()
    for n in range(3):
        tb.add("entry", f"Name {n}; born 1970; vessel IMO 90000{n}", section=f"entry {n}")
    doc = Document("l", "listing", "en", tb.text, "s", blocks=tb.blocks)
    passages = chunk_document(doc, words, 200)
    assert [p.section for p in passages] == ["entry 0", "entry 1", "entry 2"]
    assert all(p.block_kind == "entry" for p in passages)


def test_tables_are_cut_into_row_groups_with_the_header_repeated():
    tb = TextBuilder()
    tb.add("heading", "Exports by HS code")
    rows = [["code", "partner", "value"]] + [[f"85{i:02d}", "RU", str(i * 1000)] for i in range(40)]
    tb.add_table(rows, page=3, section="Table 1")
    doc = Document("t", "trade_table", "en", tb.text, "s", blocks=tb.blocks)
    passages = chunk_document(doc, words, 20)
    check_offsets(doc, passages)
    # The heading does not fit beside a full row group, so it stands alone.
    assert passages[0].text == "Exports by HS code"
    passages = passages[1:]
    assert len(passages) > 3
    assert all(p.page == 3 and p.block_kind == "table" for p in passages)
    for p in passages[1:]:
        assert p.embed_text.split("\n")[0] == "code\tpartner\tvalue"
        assert "\n" not in p.text or all(len(line.split("\t")) == 3 for line in p.text.split("\n"))
        assert len(p.embed_text.split()) <= 20
    # Every data row is in exactly one passage.
    found = [line for p in passages for line in p.text.split("\n") if line.startswith("85")]
    assert len(found) == 40 and len(set(found)) == 40


def test_metadata_blocks_and_empty_documents():
    doc = Document("e", "news", "en", "", "s")
    assert chunk_document(doc, words, 50) == []
    doc = Document("m", "news", "en", "meta\n\nbody text", "s",
                   blocks=[Block("metadata", "meta", 0, 4), Block("paragraph", "body text", 6, 15)])
    assert [p.text for p in chunk_document(doc, words, 50)] == ["body text"]


def test_passage_ids_are_stable():
    doc = regulation()
    first = chunk_document(doc, HashEmbedder().count_tokens, 200)
    second = chunk_document(doc, HashEmbedder().count_tokens, 200)
    assert [p.passage_id for p in first] == [p.passage_id for p in second] == ["reg1:0", "reg1:1"]

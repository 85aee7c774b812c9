"""Pure functions that turn annotation spans into render events."""

from __future__ import annotations

from nlp.records import Block
from nlp.serve import markup

TEXT = "Council Regulation (EU) No 833/2014 of 31 July 2014 bans HS 8542 chips to Russia."


def item(layer, start, end, **data):
    return {"layer": layer, "start": start, "end": end, "text": TEXT[start:end], **data}


def replay(events):
    """The text back from events, with brackets where spans open and close."""
    out = []
    for ev in events:
        if ev.kind == "text":
            out.append(ev.text)
        elif ev.kind == "open":
            out.append(f"[{ev.span.layer}:")
        else:
            out.append("]")
    return "".join(out)


def test_nested_spans_render_as_a_tree_and_keep_every_character():
    citation = item("citation", 0, 51, label="32014R0833")
    date = item("date", 39, 51, value="2014-07-31", interval=["2014-07-31", "2014-07-31"])
    code = item("hs_code", 57, 64, code="8542", chp_tier="1", description="Electronic integrated circuits")
    country = item("entity", 74, 80, label="GPE")
    events = markup.events(TEXT, markup.nest(markup.to_spans([date, citation, code, country], len(TEXT))))
    assert "".join(e.text for e in events if e.kind == "text") == TEXT
    assert replay(events) == ("[citation:Council Regulation (EU) No 833/2014 of [date:31 July 2014]] bans "
                              "[hs_code:HS 8542] chips to [entity:Russia].")


def test_crossing_and_invalid_spans_are_left_out():
    outer = item("entity", 0, 18, label="ORG")
    crossing = item("date", 10, 25)
    outside = {"layer": "entity", "start": 70, "end": 500, "text": "?"}
    unknown = item("sentiment", 0, 5)
    kept = markup.nest(markup.to_spans([outer, crossing, outside, unknown], len(TEXT)))
    assert [(s.layer, s.start, s.end) for s in kept] == [("entity", 0, 18)]


def test_tooltips_explain_codes_and_dates():
    code = markup.tooltip(item("hs_code", 57, 64, code="8542", system="HS", chp_tier="1",
                               description="Electronic integrated circuits", chp_items=["854231", "854232"]))
    assert code == "HS 8542 — Electronic integrated circuits — CHP tier 1 — 2 CHP items under it"
    date = markup.tooltip(item("date", 39, 51, type="DATE", value="2014-07-31",
                               interval=["2014-07-31", "2014-07-31"]))
    assert date == "DATE 2014-07-31 — interval 2014-07-31 .. 2014-07-31"
    assert markup.css_class(item("hs_code", 57, 64, chp_tier="1")) == "a-hs_code chp"


def test_render_blocks_follows_the_document_blocks():
    blocks = [Block("title", TEXT[:35], 0, 35, section="head"), Block("paragraph", TEXT[36:], 36, len(TEXT))]
    rendered = markup.render_blocks(TEXT, blocks, [item("entity", 74, 80, label="GPE"),
                                                   item("citation", 20, 40)])  # crosses the block edge
    assert [b.section for b in rendered] == ["head", None]
    assert replay(rendered[0].events) == TEXT[:35]
    assert replay(rendered[1].events) == TEXT[36:74] + "[entity:Russia]."
    whole = markup.render_blocks("plain text", [], [])
    assert len(whole) == 1 and replay(whole[0].events) == "plain text"


def test_highlight_pieces_and_ranges():
    assert markup.highlight_pieces("EU exports rose", [(3, 10)]) == [
        ("EU ", False), ("exports", True), (" rose", False)]
    assert markup.parse_range("3-10", 20) == (3, 10)
    for bad in ("", "10-3", "a-b", "3-99", "-1-4"):
        assert markup.parse_range(bad, 20) is None


def test_group_entities_counts_mentions():
    groups = markup.group_entities([{"label": "GPE", "text": "Russia"}, {"label": "GPE", "text": "Russia"},
                                    {"label": "ORG", "text": "EU"}])
    assert groups[0] == {"label": "GPE", "text": "Russia", "count": 2, "start": None}


def test_citation_tooltip_and_eurlex_links():
    citation = item("citation", 0, 35, celex="32014R0833", kind="act", act_type="regulation", number=833,
                    year=2014, article="12g")
    assert markup.tooltip(citation) == "CELEX 32014R0833 — regulation 833/2014 — article 12g"
    assert markup.eurlex_url("32014R0833").endswith("CELEX:32014R0833")
    for bad in ("javascript:alert(1)", "32014R0833\"><script>", None, ""):
        assert markup.eurlex_url(bad) is None

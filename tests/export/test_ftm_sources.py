"""FtM documents say who published them and which file they came from, truthfully:
the outlet or channel, never this tool; a file name, never a record id or URL segment."""

from __future__ import annotations

import pytest

from nlp.records import Document

pytest.importorskip("followthemoney")


def _entity(**fields):
    from nlp.export.ftm import document_entity

    doc = Document(doc_id="d", kind="news", lang="ru", text="Короткий пост о санкциях.", **fields)
    return document_entity(doc)


def test_a_web_article_names_its_site_as_publisher_and_no_url_segment_as_file_name():
    entity = _entity(source="https://www.example.kz/en/news/some-story/137391")
    assert entity.get("publisher") == ["example.kz"]
    assert entity.get("sourceUrl") == ["https://www.example.kz/en/news/some-story/137391"]
    assert entity.get("fileName") == []


def test_a_channel_post_names_its_channel_and_its_file():
    entity = _entity(source="corpus/telegram/1001_messages.json#61275", source_id="61275",
                     meta={"channel": "Example channel", "message_id": 61275})
    assert entity.get("publisher") == ["Example channel"]
    assert entity.get("fileName") == ["1001_messages.json"]


def test_a_local_file_has_no_invented_publisher():
    entity = _entity(source="news/vlast/2024-06-07_story.txt")
    assert entity.get("publisher") == []
    assert entity.get("fileName") == ["2024-06-07_story.txt"]

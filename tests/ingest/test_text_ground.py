"""The ground-floor text helpers: language, titles, corpus metadata."""

from __future__ import annotations

import pytest

from nlp.ingest.textutil import detect_lang as reexported
from nlp.text import checked_lang, detect_lang, is_corpus_metadata, parse_date, title_from_text


@pytest.mark.parametrize("text,lang", [
    ("Нефть Brent упала на 3,5%. @banksta", "ru"),                     # Latin brand and handle
    ("Курс юаня на Мосбирже поднялся выше 15 рублей https://t.me/banksta/123", "ru"),
    ("Die EU hat das 17. Sanktionspaket gegen Russland beschlossen. Die unten im Text erwähnten "
     "Akteure finden sich auf der Liste der sanktionierten Personen.", "de"),
    ("Kazakhstan's re-exports of sensitive goods to Russia increased, a spokesperson said.", "en"),
])
def test_detect_lang_script_first(text, lang):
    assert detect_lang(text) == lang
    assert reexported(text) == lang


def test_declared_language_gives_way_to_a_clear_detection():
    german = ("Geplante Russland-Sanktionen der EU zielen auch auf Einflussnahme in Deutschland. "
              "Am kommenden Dienstag will die EU das 17. Sanktionspaket gegen Russland beschließen. "
              "Darin finden sich auch Personen, die mit der Plattform in Verbindung stehen sollen. ") * 3
    assert checked_lang("en", german) == "de"
    assert checked_lang("en", "Нефть Brent упала на 3,5% за торговую сессию") == "ru"
    assert checked_lang("en", "Short English text") == "en"
    assert checked_lang("", "Короткий русский текст о санкциях") == "ru"


def test_title_from_text_skips_numbers_dates_and_credits():
    text = ("4338\n7 июня 2024\nPhoto by Beiimbet Moldagali.\n\n"
            "Kazakhstan’s Re-Exports Increase, Aiding Sanctions Circumvention – EU Spokesperson\n\nBody text.")
    assert title_from_text(text) == "Kazakhstan’s Re-Exports Increase, Aiding Sanctions Circumvention – EU Spokesperson"
    assert title_from_text("**❗️Банки в девяти странах прекратили обслуживать карты Газпромбанка** Такая") \
        .startswith("❗️Банки в девяти странах")
    assert title_from_text("134091\n?p=141754") is None
    assert len(title_from_text("word " * 100)) <= 201


def test_corpus_metadata_names():
    for name in ("PROVENANCE.md", "README", "README.md", "LICENSE.txt", "licence", "README.ru.md"):
        assert is_corpus_metadata(name), name
    for name in ("sources_of_chips.txt", "readme_about_sanctions_news.txt", "2024-06-07_vlast.txt"):
        assert not is_corpus_metadata(name), name


def test_parse_date_moved_with_its_behaviour():
    assert parse_date("2024-02-30") is None
    assert parse_date("7 июня 2024") == "2024-06-07"


def test_provenance_file_is_metadata_and_not_indexed(tmp_path):
    from nlp.index.build import sync_index
    from nlp.index.embed import HashingEmbedder
    from nlp.ingest import ingest
    from nlp.store import Store

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "PROVENANCE.md").write_text("# Provenance of the corpus\n\nWhere each folder came from.\n")
    (folder / "2024-06-07_news.txt").write_text("Kazakhstan bans the re-export of drones to Russia.\n")
    store = Store(tmp_path / "s")
    ingest([folder], store)
    kinds = {r[0]: r[1] for r in store.query("SELECT path, kind FROM documents")}
    assert sorted(kinds.values()) == ["metadata", "news"]
    summary = sync_index(store, embedder=HashingEmbedder())
    assert summary.documents == 1
    store.close()

"""Titles of web excerpts come from the headline, not from the page chrome above it
(site search boxes, language switchers, datelines with clock and weather, channel
promotions, image markup)."""

import pytest

from nlp.text import title_from_text

HEADLINE = "Customs tighten checks on machine parts bound for Russia"

CHROME_ABOVE_HEADLINE = [
    "Найти в Дзене\nNewsdesk.kz\n\n",                       # site search box, then the channel name
    "Search\nMenu\n\n",
    "ua en ru\n\n",                                         # language switcher
    "kz ru en\n",
    "Астана, 12 марта 09:15\n облачноВ Астане +4\n$ 480.10\n€ 530.30\n\n",   # dateline, weather, rates
    "Almaty, 3 May 14:05\nCloudy +12\n\n",
    "►Читайте наш телеграм-канал: свежие новости рынков\n",  # channel promotion behind a symbol
    "► Subscribe to our daily newsletter for free\n",
    "Home\nCategory\nTV Live Menu\nLoading data...\n\n",       # navigation bar
    "Support The Daily Courier!\n\n",                       # donation appeal
]


@pytest.mark.parametrize("chrome", CHROME_ABOVE_HEADLINE)
def test_page_chrome_above_the_headline_is_skipped(chrome):
    assert title_from_text(chrome + HEADLINE + "\n\nThe first paragraph of the story follows here.") == HEADLINE


def test_markdown_image_gives_its_alt_text_without_the_bang_or_the_url():
    text = f"![{HEADLINE}](https://img.example.org/800x400/filters:format(webp)/a%2Fb.jpg)\n\nBody text here."
    assert title_from_text(text) == HEADLINE


def test_a_leading_iso_date_label_is_not_part_of_the_title():
    assert title_from_text(f"date 2025-09-03 {HEADLINE}") == HEADLINE


def test_short_real_headlines_are_kept():
    assert title_from_text("Придёт серый волк\n\nТекст статьи.") == "Придёт серый волк"
    assert title_from_text("EU sanctions envoy visits Astana\n\nText.") == "EU sanctions envoy visits Astana"

"""Tests for nlp.extract.dates: English and Russian time expressions, TIMEX3 values, intervals."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

import pytest

from nlp.extract.dates import find_dates
from nlp.extract.dates.calendar import apply_mod, interval_for, value_interval

PUB = dt.date(2024, 6, 7)  # Vlast.kz article date, a Friday


def one(text: str, lang: str = "en", published: dt.date | None = PUB) -> dict:
    found = find_dates(text, lang, published)
    assert len(found) == 1, found
    return found[0]


def by_text(found: list[dict]) -> dict[str, dict]:
    return {d["text"]: d for d in found}


# --- English: absolute ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "extent", "value"),
    [
        ("Sanctions were adopted on 7 June 2024.", "7 June 2024", "2024-06-07"),
        ("The list was updated on June 7, 2024, in Brussels.", "June 7, 2024", "2024-06-07"),
        ("Listed on 17.3.2014 by the Council.", "17.3.2014", "2014-03-17"),
        ("Data as of 2024-06-07 show a rise.", "2024-06-07", "2024-06-07"),
        ("Exports fell in March 2022.", "March 2022", "2022-03"),
        ("Trade grew in 2023.", "2023", "2023"),
        ("Profit rose in the third quarter of 1989.", "the third quarter of 1989", "1989-Q3"),
        ("Output peaked in the 1990s.", "the 1990s", "199"),
    ],
)
def test_absolute_dates(text, extent, value):
    found = one(text)
    assert (found["text"], found["type"], found["value"]) == (extent, "DATE", value)
    assert text[found["start"]:found["end"]] == extent


def test_absolute_interval_is_calendar_period():
    assert one("Exports fell in March 2022.")["interval"] == ["2022-03-01", "2022-03-31"]
    assert one("Profit rose in the fourth quarter of 2023.")["interval"] == ["2023-10-01", "2023-12-31"]


# --- English: relative to the publication date ------------------------------------------


@pytest.mark.parametrize(
    ("text", "extent", "timex_type", "value"),
    [
        ("Exports rose last year.", "last year", "DATE", "2023"),
        ("He will travel to Astana on June 17.", "June 17", "DATE", "2024-06-17"),
        ("The minister spoke yesterday.", "yesterday", "DATE", "2024-06-06"),
        ("The ban took effect on Monday.", "Monday", "DATE", "2024-06-03"),
        ("Prices are rising now.", "now", "DATE", "PRESENT_REF"),
        ("Officials recently said so.", "recently", "DATE", "PAST_REF"),
        ("Shipments doubled over the past three years.", "the past three years", "DURATION", "P3Y"),
        ("Reports are filed quarterly.", "quarterly", "SET", "P1Q"),
        ("It happened two weeks ago.", "two weeks ago", "DATE", "2024-W21"),
        ("The talks last week failed.", "last week", "DATE", "2024-W22"),
    ],
)
def test_relative_expressions(text, extent, timex_type, value):
    found = one(text)
    assert (found["text"], found["type"], found["value"]) == (extent, timex_type, value)


def test_duration_counted_back_from_publication_has_interval():
    found = one("Shipments doubled over the past three years.")
    assert found["interval"] == ["2021-06-08", "2024-06-07"]


def test_without_publication_date_relative_values_are_unresolved():
    found = one("Exports rose last year.", published=None)
    assert found["value"] == "XXXX" and found["interval"] is None
    assert one("Sanctions were adopted on 7 June 2024.", published=None)["value"] == "2024-06-07"


# --- English: vague (the three Vlast phrases and friends) -----------------------------------


def test_late_2023_is_last_third_of_the_year():
    found = one("Despite a decrease in late 2023, re-exports grew.")
    assert (found["text"], found["value"], found["mod"]) == ("late 2023", "2023", "END")
    assert found["interval"] == ["2023-09-01", "2023-12-31"]


def test_after_april_2023_keeps_preposition_outside_and_opens_interval():
    found = one("Re-exports rose after April 2023.")
    assert (found["text"], found["value"], found["mod"]) == ("April 2023", "2023-04", "AFTER")
    assert found["interval"] == ["2023-05-01", None]


def test_in_recent_months_is_a_window_before_publication():
    found = one("Re-exports have increased in recent months.")
    assert (found["text"], found["type"], found["value"]) == ("recent months", "DURATION", "PXM")
    assert found["interval"] == ["2023-12-08", "2024-06-07"]


def test_pre_invasion_uses_domain_anchor():
    found = one("Trade is far above the pre-invasion level.")
    assert (found["text"], found["value"], found["mod"]) == ("pre-invasion", "2022-02-24", "BEFORE")
    assert found["interval"] == [None, "2022-02-23"]


@pytest.mark.parametrize(
    ("text", "extent", "mod"),
    [
        ("Exports to Russia rose since the full-scale invasion of Ukraine.", "the full-scale invasion of Ukraine", "ON_OR_AFTER"),
        ("Before the start of the war, Russia imported more.", "the start of the war", "BEFORE"),
    ],
)
def test_anchor_phrases_after_a_preposition(text, extent, mod):
    found = one(text)
    assert (found["text"], found["value"], found["mod"]) == (extent, "2022-02-24", mod)


@pytest.mark.parametrize("text", ["post-war Europe rebuilt.", "The war in Ukraine continues.", "Russia's war dragged on."])
def test_anchor_words_without_a_date_reading(text):
    assert find_dates(text, "en", PUB) == []


def test_pre_invasion_anchor_not_applied_before_the_event():
    assert find_dates("the pre-invasion level", "en", dt.date(1990, 8, 10)) == []


def test_since_the_start_of_2024():
    found = one("Prices have doubled since the start of 2024.")
    assert (found["text"], found["value"], found["mod"]) == ("the start of 2024", "2024", "START")
    assert found["interval"] == ["2024-01-01", None]


@pytest.mark.parametrize(
    ("text", "extent", "value", "mod"),
    [
        ("Sales slowed in early next year.", "early next year", "2025", "START"),
        ("Growth resumed in mid-2022.", "mid-2022", "2022", "MID"),
        ("Talks ended at the end of 2023.", "the end of 2023", "2023", "END"),
        ("It rose for nearly two years.", "nearly two years", "P2Y", "LESS_THAN"),
    ],
)
def test_modifiers(text, extent, value, mod):
    found = one(text)
    assert (found["text"], found["value"], found["mod"]) == (extent, value, mod)


# --- English: negatives -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Goods under HS 8542 31 are listed.",
        "The firm exported over €3.5 million in parts.",
        "See Article 12 of Regulation 833/2014.",
        "Call +7 495 123-45-67 or 8 800 2000 500.",
        "About 2000 troops crossed the border.",
        "He paid $1990 for the licence.",
        "The Daily Telegraph reported it.",
        "The 6-year-old boy was found.",
    ],
)
def test_numbers_that_are_not_dates(text):
    assert find_dates(text, "en", PUB) == []


def test_empty_text():
    assert find_dates("", "en", PUB) == []


# --- Russian ------------------------------------------------------------------------------------------

RU_PUB = dt.date(2024, 11, 20)


@pytest.mark.parametrize(
    ("text", "extent", "timex_type", "value", "mod"),
    [
        ("7 июня 2024 года ЕС ввел санкции.", "7 июня 2024 года", "DATE", "2024-06-07", None),
        ("Экспорт вырос в прошлом году.", "прошлом году", "DATE", "2023", None),
        ("Цены упали в конце 2023 года.", "конце 2023 года", "DATE", "2023", "END"),
        ("В феврале 2022 года США ввели санкции.", "феврале 2022 года", "DATE", "2022-02", None),
        ("Встреча пройдет в Брюсселе 18 ноября.", "18 ноября", "DATE", "2024-11-18", None),
        ("Прибыль выросла во втором квартале 2024 года.", "втором квартале 2024 года", "DATE", "2024-Q2", None),
        ("За последние восемь месяцев поставки выросли.", "последние восемь месяцев", "DURATION", "P8M", None),
        ("Это случилось три года назад.", "три года назад", "DATE", "2021", None),
        ("Доклад публикуется ежегодно.", "ежегодно", "SET", "P1Y", None),
        ("Рост продолжался в 1990-х годах.", "1990-х годах", "DATE", "199", None),
        ("Решение приняли вчера.", "вчера", "DATE", "2024-11-19", None),
        ("Документ от 17.03.2014 опубликован.", "17.03.2014", "DATE", "2014-03-17", None),
        ("Заседание начнется в 15:00 по московскому времени.", "15:00 по московскому времени", "TIME",
         "2024-11-20T15:00", None),
    ],
)
def test_russian_expressions(text, extent, timex_type, value, mod):
    found = one(text, "ru", RU_PUB)
    assert (found["text"], found["type"], found["value"], found["mod"]) == (extent, timex_type, value, mod)


def test_russian_since_start_of_year_opens_interval():
    found = one("С начала 2024 года цены выросли на 78%.", "ru", RU_PUB)
    assert (found["text"], found["mod"], found["interval"]) == ("начала 2024 года", "START", ["2024-01-01", None])


def test_russian_domain_anchor():
    found = one("До начала СВО экспорт был выше.", "ru", RU_PUB)
    assert (found["value"], found["mod"], found["interval"]) == ("2022-02-24", "BEFORE", [None, "2022-02-23"])


@pytest.mark.parametrize("text", ["Код ТН ВЭД 8542 31 000", "штраф 3,5 млн рублей", "статья 12 закона", "тел. 8 800 2000 500",
                                  "счёт 2:1 в пользу хозяев", "после окончания СВО"])
def test_russian_negatives(text):
    assert find_dates(text, "ru", RU_PUB) == []


# --- calendar helpers ------------------------------------------------------------------------------


def test_value_interval_covers_timeml_granularities():
    assert value_interval("2023-W01") == (dt.date(2023, 1, 2), dt.date(2023, 1, 8))
    assert value_interval("2023-H2") == (dt.date(2023, 7, 1), dt.date(2023, 12, 31))
    assert value_interval("2023-WI") == (dt.date(2023, 12, 1), dt.date(2024, 2, 29))
    assert value_interval("2023-02-30") is None
    assert value_interval("PXY") is None


def test_mod_thirds_by_days_for_a_month():
    first, last = value_interval("2024-06")
    assert apply_mod(first, last, "START") == (dt.date(2024, 6, 1), dt.date(2024, 6, 10))
    assert apply_mod(first, last, "END") == (dt.date(2024, 6, 21), dt.date(2024, 6, 30))


def test_present_ref_interval_is_publication_day():
    assert interval_for("PRESENT_REF", "DATE", None, PUB) == ["2024-06-07", "2024-06-07"]
    assert interval_for("P1Y", "SET", None, PUB) is None


# --- spaCy component -------------------------------------------------------------------------------


def test_spacy_component_writes_spans_with_timex():
    import spacy

    import nlp.extract.components  # noqa: F401  (registers the factory)

    pipeline = spacy.blank("en")
    pipeline.add_pipe("time_expressions")
    doc = pipeline.make_doc("Re-exports rose after April 2023 and in recent months.")
    doc._.published = PUB
    doc = pipeline.get_pipe("time_expressions")(doc)
    spans = doc.spans["dates"]
    assert [s.text for s in spans] == ["April 2023", "recent months"]
    assert spans[0]._.timex["mod"] == "AFTER"
    assert spans[1]._.timex["interval"] == ["2023-12-08", "2024-06-07"]


# --- real corpus text ------------------------------------------------------------------------------


@pytest.mark.corpus
def test_vlast_article_phrases(corpus):
    path = corpus / "news" / "vlast" / "2024-06-07_vlast_kazakhstans-re-exports-increase.txt"
    if not path.exists():
        pytest.skip(f"{path} not in this corpus copy")
    found = by_text(find_dates(path.read_text(encoding="utf-8"), "en", PUB))
    assert found["late 2023"]["interval"] == ["2023-09-01", "2023-12-31"]
    assert found["April 2023"]["mod"] == "AFTER"
    assert found["recent months"]["interval"] == ["2023-12-08", "2024-06-07"]
    assert found["pre-invasion"]["value"] == "2022-02-24"
    assert found["June 17"]["value"] == "2024-06-17"
    assert found["last year"]["value"] == "2023"


def _telegram_posts(corpus: Path) -> list[dict]:
    path = corpus / "news_ru" / "telegram_nktkln_2024" / "DERIVED_sanctions_keyword_posts.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not in this corpus copy")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _sentence_with(posts: list[dict], pattern: str) -> tuple[str, dt.date]:
    for post in posts:
        m = re.search(rf"[^.\n]*{pattern}[^.\n]*", post["text"])
        if m:
            return m[0], dt.date.fromisoformat(post["date"][:10])
    pytest.skip(f"no post matches {pattern!r}")


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("pattern", "value", "mod"),
    [
        (r"в феврале 2022 года", "2022-02", None),
        (r"[Вв] 2022 году", "2022", None),
        (r"С начала 2024 года", "2024", "START"),
        (r"\d{1,2} ноября", None, None),
    ],
)
def test_russian_telegram_posts(corpus, pattern, value, mod):
    sentence, published = _sentence_with(_telegram_posts(corpus), pattern)
    target = re.search(pattern, sentence)
    found = [d for d in find_dates(sentence, "ru", published) if d["start"] <= target.end() and target.start() < d["end"]]
    assert found, sentence
    if value is None:  # a day in November without a year: resolved to the posting year
        assert found[0]["value"].startswith(f"{published.year}-11-")
    else:
        assert (found[0]["value"], found[0]["mod"]) == (value, mod)


@pytest.mark.corpus
def test_english_news_reposts_find_dates(corpus):
    folder = corpus / "news" / "en_policytracker_planet"
    files = sorted(folder.glob("*politico*")) if folder.is_dir() else []
    if not files:
        pytest.skip(f"no Politico repost under {folder}")
    text = files[0].read_text(encoding="utf-8")
    found = find_dates(text, "en", dt.date(2025, 5, 23))
    values = {d["value"] for d in found}
    assert "2023" in values
    assert not any("3.5" in d["text"] or "€" in d["text"] for d in found)


@pytest.mark.slow
def test_tempeval3_dev_scores_meet_targets(eval_dir):
    root = eval_dir / "tempeval3" / "tbaq-cleaned"
    if not root.is_dir():
        pytest.skip(f"TempEval-3 data not found at {root}")
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
    from eval_dates import match, parse_tml, scores

    totals = {k: 0 for k in ("gold", "pred", "strict", "relaxed", "value", "type")}
    for path in sorted(root.glob("*/*.tml")):
        text, dct, gold = parse_tml(path)
        for k, v in match(gold, find_dates(text, "en", dct)).items():
            totals[k] += v
    result = scores(totals)
    assert result["strict_f1"] >= 0.85
    assert result["value_acc"] >= 0.80


# --- robustness ------------------------------------------------------------------------------------


def test_month_range_gives_first_month_the_closing_year():
    found = find_dates("Exports in January-March 2024 doubled.", "en", PUB)
    assert [(d["text"], d["value"]) for d in found] == [("January", "2024-01"), ("March 2024", "2024-03")]
    found = find_dates("за январь–октябрь 2024 года", "ru", RU_PUB)
    assert [(d["text"], d["value"]) for d in found] == [("январь", "2024-01"), ("октябрь 2024 года", "2024-10")]


def test_month_without_year_is_placed_near_publication():
    # a December story's "Feb. 24" is this year's, not next year's, unless the clause looks ahead
    assert one("Sales fell after its Feb. 24 invasion.", published=dt.date(2022, 12, 13))["value"] == "2022-02-24"
    assert one("Talks will resume on Feb. 24.", published=dt.date(2022, 12, 13))["value"] == "2023-02-24"
    assert one("В январе будет введен запрет", "ru", dt.date(2024, 11, 17))["value"] == "2025-01"
    assert one("В январе был введен запрет", "ru", dt.date(2024, 11, 17))["value"] == "2024-01"
    # tense from natasha's morphology: a perfective future verb ("выйдет") points to next year
    assert one("В октябре выйдет фильм", "ru", dt.date(2024, 11, 17))["value"] == "2025-10"
    assert one("В октябре вышел фильм", "ru", dt.date(2024, 11, 17))["value"] == "2024-10"
    assert one("Указ подписали в четверг", "ru", dt.date(2024, 11, 17))["value"] == "2024-11-14"


@pytest.mark.parametrize("published", [None, "2024-06-07", "not a date", dt.date(1, 1, 1), dt.date(9999, 12, 31),
                                       dt.datetime(2024, 6, 7, 12, 30)])
def test_any_publication_value_is_accepted(published):
    text = "Last year, after April 2023 and in recent months, two weeks ago, on Monday, the third quarter."
    found = find_dates(text, "en", published)  # never raises; year 1 has no "last year", so that one is dropped
    assert "April 2023" in [d["text"] for d in found]
    assert all(d["interval"] is None or len(d["interval"]) == 2 for d in found)


@pytest.mark.parametrize("text", ["Feb. 30", "31.02.2024", "2024-02-30", "June 31", "Q5 2020", "31 февраля 2024 года"])
def test_impossible_calendar_dates_are_not_dates(text):
    for lang in ("en", "ru"):
        assert not any(d["value"].endswith(("-02-30", "-06-31", "-02-31")) for d in find_dates(text, lang, PUB))


def test_russian_dateline_in_english_text():
    import datetime as dt

    from nlp.extract.dates import find_dates

    text = "4338\n7 июня 2024\nKazakhstan's re-exports rose in late 2023."
    found = [(d["text"], d["value"]) for d in find_dates(text, "en", dt.date(2024, 6, 7))]
    assert found == [("7 июня 2024", "2024-06-07"), ("late 2023", "2023")]


def _ru(text: str, published: str | None = "2024-06-12") -> list[tuple[str, str, str]]:
    return [(d["text"], d["type"], d["value"]) for d in find_dates(text, "ru", published)]


def test_ru_weekday_with_date_is_one_expression():
    assert _ru("Голосование пройдет в четверг, 20 июня.") == [("четверг, 20 июня", "DATE", "2024-06-20")]


def test_ru_date_with_clock_time_is_a_time():
    assert _ru("Письмо получено 03.06.2024 14:45.") == [("03.06.2024 14:45", "TIME", "2024-06-03T14:45")]
    assert _ru("Биржа закрылась 5 июня в 18:30 по московскому времени.") == [
        ("5 июня в 18:30 по московскому времени", "TIME", "2024-06-05T18:30")]


def test_ru_range_takes_the_year_at_its_end():
    assert _ru("С февраля по июль 2022 года поставки росли.", "2024-01-10") == [
        ("февраля", "DATE", "2022-02"), ("июль 2022 года", "DATE", "2022-07")]


def test_ru_periods_relative_to_a_period_named_before():
    assert _ru("В третьем квартале 2021 года выручка выросла к предыдущему кварталу.")[-1] == (
        "предыдущему кварталу", "DATE", "2021-Q2")
    assert _ru("Завод открыли в 2019 году, а в ноябре того же года закрыли.")[-1] == (
        "ноябре того же года", "DATE", "2019-11")


def test_ru_halves_abbreviated_months_rates_and_numbers():
    assert _ru("Во второй половине 2022 года спрос упал.") == [("второй половине 2022 года", "DATE", "2022-H2")]
    assert _ru("Срок — до 9 сент. 2024 г.") == [("9 сент. 2024 г.", "DATE", "2024-09-09")]
    assert _ru("Компания тратит 5 млн рублей в месяц.") == [("в месяц", "SET", "P1M")]
    assert _ru("Письмо № 77/14.05.2024 отозвано.") == []


def test_ru_forward_looking_first_of_january():
    assert _ru("Запрет вступает в силу 1 января.", "2024-12-02") == [("1 января", "DATE", "2025-01-01")]
    assert _ru("Запрет вступил в силу 1 января.", "2024-12-02") == [("1 января", "DATE", "2024-01-01")]


def test_ru_unanchored_month_day_has_no_year():
    assert _ru("Стороны встретятся 18 июня.", None) == [("18 июня", "DATE", "XXXX-06-18")]


def _en(text: str, published: str | None = "2024-01-10") -> list[tuple[str, str, str]]:
    return [(d["text"], d["type"], d["value"]) for d in find_dates(text, "en", published)]


def test_en_reference_time_moves_with_the_narrative():
    assert _en("In 2019, exports tripled. Later that year, the plant closed.")[-1] == (
        "Later that year", "DATE", "2019")
    assert _en("Output rose in the first half of 2021 and fell in the second half.")[-1] == (
        "the second half", "DATE", "2021-H2")


def test_en_rates_and_past_reference():
    assert _en("The firm earned $3 million a week.") == [("a week", "SET", "P1W")]
    assert _en("He waited for a week.") == [("a week", "DURATION", "P1W")]
    assert _en("At the time, the ministry denied it.") == [("the time", "DATE", "PAST_REF")]


def test_en_clock_time_with_zone_and_weekday():
    assert _en("Bids are due by 5 p.m. ET Friday.") == [("5 p.m. ET Friday", "TIME", "2024-01-12T17:00")]


def test_en_offsets_count_from_the_period_just_narrated():
    assert _en("The plant opened in March 2019. A year later, it was listed.")[-1] == (
        "A year later", "DATE", "2020-03")
    assert _en("Profit rose in the third quarter of 2022, up from a loss a year earlier.")[-1] == (
        "a year earlier", "DATE", "2021-Q3")


def test_ru_start_announced_late_in_the_year_is_the_coming_one():
    assert _ru("С 1 января вступают в силу новые пошлины.", "2024-12-20") == [("1 января", "DATE", "2025-01-01")]
    assert _ru("Новые правила начнут действовать с 1 марта.", "2024-12-20") == [("1 марта", "DATE", "2025-03-01")]
    assert _ru("Ограничения действуют с 1 марта.", "2024-12-20") == [("1 марта", "DATE", "2024-03-01")]


def test_ru_clock_words_and_clock_before_date():
    assert _ru("Встреча начнется в 9 утра.", "2024-11-15") == [("9 утра", "TIME", "2024-11-15T09:00")]
    assert _ru("Движение закрыто с 06:00 по местному времени 16 ноября.", "2024-11-15") == [
        ("06:00 по местному времени 16 ноября", "TIME", "2024-11-16T06:00")]


# --- year-on-year comparisons are not dates ---------------------------------------------

def test_a_calendar_year_before_year_on_year_is_that_year_not_a_duration():
    found = find_dates("Chip exports rose 40% in 2022, 2021 year on year.", "en", PUB)
    assert [(d["text"], d["type"], d["value"]) for d in found] == [("2022", "DATE", "2022"), ("2021", "DATE", "2021")]


@pytest.mark.parametrize("text", ["Exports were up 5% on the year.", "Exports doubled on the year in March 2022."])
def test_on_the_year_after_a_change_is_a_comparison(text):
    assert all(d["text"] != "the year" for d in find_dates(text, "en", PUB))


def test_the_year_elsewhere_is_still_a_date():
    assert one("Prices fell over the year.")["value"] == "2024"

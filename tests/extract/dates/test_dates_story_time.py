"""Time expressions that depend on the story around them, on tense and on TimeML conventions (EN and RU).

Every sentence here is written for these tests in the style of wire news,
trade reporting and Russian news posts.
"""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.extract.dates import find_dates


def _found(text: str, lang: str, published: str | None) -> list[tuple[str, str, str]]:
    day = dt.date.fromisoformat(published) if published else None
    return [(d["text"], d["type"], d["value"]) for d in find_dates(text, lang, day)]


# --- English ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, published, expected", [
    # a timetable in the present tense is about the coming day
    ("Voting on the package resumes Thursday.", "2024-05-14",
     [("Thursday", "DATE", "2024-05-16")]),
    ("The port reopens Monday, the operator says.", "2024-05-15",
     [("Monday", "DATE", "2024-05-20")]),
    # ... a deadline given to someone too
    ("Regulators gave the bank until Wednesday to sell the stake.", "2024-05-13",
     [("Wednesday", "DATE", "2024-05-15")]),
    # ... and a reporting verb in the past keeps the last one
    ("The ministry said on Monday that the quota was exhausted.", "2024-05-15",
     [("Monday", "DATE", "2024-05-13")]),
])
def test_weekday_follows_tense(text, published, expected):
    assert _found(text, "en", published) == expected


def test_month_in_past_clause_is_the_one_already_narrated():
    text = "The freighter was detained in October and released a week later."
    assert _found(text, "en", "2024-04-02")[0] == ("October", "DATE", "2023-10")


def test_rules_taking_effect_in_january_told_in_december():
    assert _found("The tariffs take effect on February 1.", "en", "2023-12-05") == [
        ("February 1", "DATE", "2024-02-01")]


def test_season_in_future_clause_is_the_coming_one():
    assert _found("The agency will publish the review in the summer.", "en", "2023-12-11") == [
        ("the summer", "DATE", "2024-SU")]


def test_the_following_period_counts_from_the_narrated_one():
    text = "The licence was suspended in 2021 and revoked the following year."
    assert _found(text, "en", "2024-06-01") == [("2021", "DATE", "2021"), ("the following year", "DATE", "2022")]
    text = "Talks began on June 3, 2022, and ended the next day."
    assert _found(text, "en", "2024-06-01")[-1] == ("the next day", "DATE", "2022-06-04")


def test_that_month_takes_the_reference_year():
    text = "The refinery stopped exports in March 2021. That July it resumed them."
    assert _found(text, "en", "2024-06-01")[-1] == ("That July", "DATE", "2021-07")


def test_offset_compared_with_a_plan_is_a_duration():
    text = "The pipeline was completed two years later than planned."
    assert _found(text, "en", "2024-06-01") == [("two years", "DURATION", "P2Y")]


def test_frequency_is_part_of_the_set():
    assert _found("The committee meets three times a year.", "en", "2024-06-01") == [
        ("three times a year", "SET", "P1Y")]


@pytest.mark.parametrize("text, word", [
    ("Banks today have far fewer correspondent accounts in Moscow.", "today"),
    ("Trading with Russia is much harder today than before the invasion.", "today"),
])
def test_today_in_a_general_sense_is_present_ref(text, word):
    assert (word, "DATE", "PRESENT_REF") in _found(text, "en", "2024-06-03")


def test_today_as_the_day_of_the_report():
    assert _found("The council adopted the package today.", "en", "2024-06-03") == [
        ("today", "DATE", "2024-06-03")]


def test_clock_time_then_on_weekday_are_two_expressions():
    found = _found("The vote closed at 11 p.m. on Sunday.", "en", "2024-06-04")
    assert found == [("11 p.m.", "TIME", "2024-06-02T23:00"), ("Sunday", "DATE", "2024-06-02")]


def test_clock_time_with_zone_and_weekday_is_one_expression():
    assert _found("Bids close at 10 a.m. GMT Thursday.", "en", "2024-06-04") == [
        ("10 a.m. GMT Thursday", "TIME", "2024-06-06T10:00")]


# --- Russian ---------------------------------------------------------------------------

def test_ru_reporting_period_after_za_is_past():
    found = _found("Отчёт за апрель будет опубликован на следующей неделе.", "ru", "2024-05-20")
    assert found[0] == ("апрель", "DATE", "2024-04")


def test_ru_future_start_written_in_december():
    assert _found("Пошлины начнут взиматься с 1 марта.", "ru", "2023-12-18") == [
        ("1 марта", "DATE", "2024-03-01")]


def test_ru_yearless_half_takes_the_named_year():
    text = "В первом полугодии 2023 года выпуск упал на 4% по сравнению со вторым полугодием."
    assert _found(text, "ru", "2024-10-01") == [("первом полугодии 2023 года", "DATE", "2023-H1"),
                                                ("вторым полугодием", "DATE", "2022-H2")]


def test_ru_month_in_story_told_about_an_earlier_year():
    text = "В 2021 году завод перешёл на китайские станки. В октябре он запустил новую линию."
    assert _found(text, "ru", "2024-03-01")[-1] == ("октябре", "DATE", "2021-10")


def test_ru_month_in_future_clause_keeps_the_publication_year():
    text = "В 2021 году завод перешёл на китайские станки. В октябре он планирует запустить новую линию."
    assert _found(text, "ru", "2024-03-01")[-1] == ("октябре", "DATE", "2024-10")


def test_ru_weekday_with_part_of_day_is_a_time():
    assert _found("Во вторник вечером ЦБ объявил новые ограничения.", "ru", "2024-06-07") == [
        ("вторник вечером", "TIME", "2024-06-04TEV")]


def test_ru_every_half_year_is_a_set():
    assert _found("Лицензии пересматриваются раз в полгода.", "ru", "2024-06-07") == [
        ("раз в полгода", "SET", "P6M")]


def test_ru_general_today_is_present_ref():
    text = "Сегодня расчёты в юанях стали нормой для импортёров."
    assert _found(text, "ru", "2024-06-07") == [("Сегодня", "DATE", "PRESENT_REF")]


def test_ru_today_as_the_day_of_the_post():
    assert _found("Сегодня Минфин разместил облигации.", "ru", "2024-06-07") == [
        ("Сегодня", "DATE", "2024-06-07")]


def test_ru_undated_document_keeps_month_without_year():
    assert _found("Запрет действует с 15 мая.", "ru", None) == [("15 мая", "DATE", "XXXX-05-15")]


def test_range_with_the_year_at_its_end():
    text = "The firm shipped routers to Moscow between August and October 2023."
    assert _found(text, "en", "2025-05-20")[:2] == [("August", "DATE", "2023-08"), ("October 2023", "DATE", "2023-10")]
    text = "Imports fell from November to February 2024."
    assert _found(text, "en", "2025-05-20")[0] == ("November", "DATE", "2023-11")


def test_month_just_ahead_of_publication_in_a_past_clause():
    assert _found("In July, the insurer dropped the tanker.", "en", "2025-06-10") == [("July", "DATE", "2024-07")]


def test_payment_date_just_ahead_stays_this_year():
    text = "The board declared a dividend of 10 cents, payable Aug. 1 to holders of record."
    assert _found(text, "en", "2025-06-10") == [("Aug. 1", "DATE", "2025-08-01")]


def test_ru_today_with_part_of_day_is_a_time():
    assert _found("Сегодня вечером министру стало плохо.", "ru", "2024-05-28") == [
        ("Сегодня вечером", "TIME", "2024-05-28TEV")]


def test_ru_year_named_only_for_comparison_does_not_move_the_story():
    text = ("Экспорт достиг минимума с марта 2022 года. По итогам октября поставки упали, "
            "а по сравнению с сентябрём снизились на 5%.")
    values = {t: v for t, _, v in _found(text, "ru", "2024-11-20")}
    assert values["октября"] == "2024-10" and values["сентябрём"] == "2024-09"


def test_year_opening_the_previous_sentence_sets_the_story_time():
    text = "During 2020 the shipyard lost its Dutch suppliers. In September it signed a deal with a Chinese firm."
    assert _found(text, "en", "2025-03-03")[-1] == ("September", "DATE", "2020-09")


def test_ru_clock_time_on_the_day_named_before_it():
    text = "В четверг, 5 июня, торги продлятся до 20:30 мск."
    assert _found(text, "ru", "2025-06-02") == [("четверг, 5 июня", "DATE", "2025-06-05"),
                                                ("20:30 мск", "TIME", "2025-06-05T20:30")]


def test_ru_last_half_year_is_a_duration():
    assert _found("За прошедшие полгода экспорт вырос.", "ru", "2025-06-02") == [
        ("прошедшие полгода", "DURATION", "P6M")]


def test_year_range_gives_two_years():
    assert _found("Grain exports in 2021-2023 tripled.", "en", "2024-05-15") == [
        ("2021", "DATE", "2021"), ("2023", "DATE", "2023")]


def test_wire_clock_time_with_zone():
    assert _found("Brent rose 2% by 1215 GMT.", "en", "2024-05-15") == [("1215 GMT", "TIME", "2024-05-15T12:15")]


def test_clock_time_takes_the_day_named_before_it():
    assert _found("On Tuesday, the exchange halted trading at 3 p.m.", "en", "2024-05-16") == [
        ("Tuesday", "DATE", "2024-05-14"), ("3 p.m.", "TIME", "2024-05-14T15:00")]


@pytest.mark.parametrize("text, expected", [
    ("Летом 2023 года завод остановили.", [("Летом 2023 года", "DATE", "2023-SU")]),
    ("Поставки начнутся осенью.", [("осенью", "DATE", "2024-FA")]),
    ("Накануне регулятор отозвал лицензию.", [("Накануне", "DATE", "2024-05-14")]),
    ("Накануне саммита лидеры встретились.", []),
    ("Торги проходят по понедельникам.", [("по понедельникам", "SET", "XXXX-WXX-1")]),
    ("В 1 кв. 2024 г. выручка выросла.", [("1 кв. 2024 г.", "DATE", "2024-Q1")]),
    ("Квартира стоит 300 тыс. руб. за 1 кв. м.", []),
    ("В минувшие выходные прошли протесты.", [("минувшие выходные", "DATE", "2024-W19-WE")]),
    ("Выходные данные модели проверены.", []),
    ("В ближайшие недели ЕС примет решение.", [("ближайшие недели", "DURATION", "PXW")]),
    ("В 90-е годы экспорт падал.", [("90-е годы", "DATE", "199")]),
])
def test_ru_seasons_eve_weekends_and_abbreviations(text, expected):
    assert _found(text, "ru", "2024-05-15") == expected


def test_year_after_time_preposition_before_a_count_noun():
    assert _found("In 2023 companies moved their treasuries to Dubai.", "en", "2024-05-01") == [("2023", "DATE", "2023")]
    assert _found("The ministry sent 2000 troops.", "en", "2024-05-01") == []


def test_seasons_told_in_december_and_autumn():
    assert _found("Prices rose last summer.", "en", "2024-12-10") == [("last summer", "DATE", "2024-SU")]
    assert _found("Выборы весной прошли спокойно.", "ru", "2024-12-03") == [("весной", "DATE", "2024-SP")]
    assert _found("Этой зимой запасов газа хватит.", "ru", "2024-11-28") == [("зимой", "DATE", "2024-WI")]


def test_ru_eve_of_an_event_is_not_a_date():
    assert _found("Его наградили накануне нынешнего юбилея.", "ru", "2024-11-19") == []


def test_same_period_a_year_before_the_named_one():
    text = "Во втором полугодии 2023 года выручка выросла по сравнению с аналогичным периодом прошлого года."
    assert _found(text, "ru", "2024-03-01")[-1] == ("аналогичным периодом прошлого года", "DATE", "2022-H2")
    text = "Shipments in the third quarter fell from the same period a year earlier."
    assert _found(text, "en", "2024-11-05")[-1] == ("the same period a year earlier", "DATE", "2023-Q3")


def test_ru_may_in_the_instrumental():
    assert _found("В июне добыча упала по сравнению с маем.", "ru", "2024-07-15") == [
        ("июне", "DATE", "2024-06"), ("маем", "DATE", "2024-05")]

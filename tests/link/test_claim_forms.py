"""Forms of trade statements the claim framer reads: period shorthands, signed and amount-pair
measures, goods codes in dotted and 10-digit forms, buyers and origins, and product words read
through the HS nomenclature."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.link.frames import frame_claim
from nlp.link.magnitudes import find_measure
from nlp.link.periods import read_periods
from nlp.products import resolve


@pytest.mark.parametrize("text, lang, published, window, baseline", [
    ("EU smartphone exports to Russia were flat in Q3'22 versus 2Q22.", "en", "2022-12-02",
     "2022-07..2022-09", "2022-04..2022-06"),
    ("EU TV exports to Kazakhstan up 20x in 11M22", "en", "2023-01-16", "2022-01..2022-11", "2021-01..2021-11"),
    ("Exports rose 20% in the quarter to September 2022 from the previous quarter.", "en", "2023-01-16",
     "2022-07..2022-09", "2022-04..2022-06"),
    ("Exports rose 20% year-to-date through September 2022.", "en", "2023-01-16",
     "2022-01..2022-09", "2021-01..2021-09"),
    ("Exports rose 20% in 2022 through November.", "en", "2023-01-16", "2022-01..2022-11", "2021-01..2021-11"),
    ("Exports rose 20% in September 2022 on the month.", "en", "2023-01-16", "2022-09..2022-09",
     "2022-08..2022-08"),
    ("Exports rose 20% in the second half of 2021 half on half.", "en", "2023-01-16", "2021-07..2021-12",
     "2021-01..2021-06"),
    ("Sales to Kazakhstan more than doubled in 2022's first nine months.", "en", "2023-01-16",
     "2022-01..2022-09", "2021-01..2021-09"),
    ("В 3 кв. 2022 г. поставки из ЕС в Россию упали на 30% кв/кв.", "ru", "2022-12-05",
     "2022-07..2022-09", "2022-04..2022-06"),
    ("Экспорт ноутбуков из ЕС в Киргизию: +360% за 11 мес. 2022 г.", "ru", "2023-01-21",
     "2022-01..2022-11", "2021-01..2021-11"),
    ("Экспорт вырос с начала 2022 года по сентябрь.", "ru", "2023-01-21", "2022-01..2022-09", "2021-01..2021-09"),
    ("Экспорт вырос в сентябре 2022 г. м/м.", "ru", "2023-01-21", "2022-09..2022-09", "2022-08..2022-08"),
    ("Exports sank in Q3 2022 compared with the year-earlier quarter.", "en", "2022-11-30", "2022-07..2022-09",
     "2021-07..2021-09"),
    # «РК» ends in «к», which is no comparison cue
    ("Экспорт микросхем из стран ЕС в РК за 9 месяцев 2022 года вырос в 2,3 раза.", "ru", "2023-02-01",
     "2022-01..2022-09", "2021-01..2021-09"),
])
def test_period_forms(text, lang, published, window, baseline):
    reading = read_periods(text, lang, dt.date.fromisoformat(published)).to_dict()
    assert (reading["window"], reading["baseline"]) == (window, baseline)


@pytest.mark.parametrize("text, kind, direction, value", [
    ("Экспорт ноутбуков из ЕС в Киргизию: +360% за 11 мес. 2022 г.", "pct", "up", 3.6),
    ("EU laptop exports to Kyrgyzstan: −36% in 11M22", "pct", "down", -0.36),
    ("EU TV exports to Kazakhstan were down 40pc in 2022", "pct", "down", -0.4),
    ("EU TV exports to Kazakhstan were cut by nine-tenths in 2022", "pct", "down", -0.9),
    ("EU base station exports to Belarus fell by only about a tenth in 2022.", "pct", "down", -0.1),
    ("EU car exports to Kazakhstan rose from €76m to €120m in 2022.", "times", "up", 120 / 76),
    ("EU car exports fell to EUR 5.1 million in 2022 from EUR 12.3 million in 2021.", "times", "down", 5.1 / 12.3),
    ("Экспорт автомобилей из ЕС в Казахстан вырос с 76 до 120 млн евро.", "times", "up", 120 / 76),
    ("EU chip exports to Armenia totalled EUR 4.5m in 2022 against EUR 311,216 a year earlier.", "times", "up",
     4.5e6 / 311216),
    ("Экспорт микросхем из ЕС в Армению составил 4,5 млн евро против 0,3 млн евро годом ранее.", "times", "up", 15.0),
    ("Экспорт телевизоров из ЕС сократился до трети от уровня 2021 года.", "times", "down", 1 / 3),
    ("Экспорт телевизоров из ЕС вырос в 4 с лишним раза.", "more", "up", 4.0),
    ("Экспорт телевизоров из ЕС вырос на 40 проц.", "pct", "up", 0.4),
    ("EU TV exports to Kazakhstan stayed roughly the same in 2022", "flat", "flat", None),
])
def test_measure_forms(text, kind, direction, value):
    measure = find_measure(text)
    assert measure is not None and (measure.kind, measure.direction) == (kind, direction)
    assert value is None or measure.value == pytest.approx(value)


def test_two_years_are_not_amounts():
    measure = find_measure("EU car exports to Kazakhstan rose from 2021 to 2022.")
    assert measure is not None and measure.kind == "dir"


@pytest.mark.parametrize("text, lang, codes", [
    ("EU exports of phones classified under 8517.13.00 to Georgia tripled in Q3 2022 from Q2.", "en", ["851713"]),
    ("Экспорт товаров по коду ТН ВЭД 8471 30 000 0 из ЕС в Грузию за 2022 год вырос на 30%.", "ru", ["847130"]),
    ("EU exports of goods under 8542.31.90 to Georgia rose 30% in 2022.", "en", ["85423190"]),
])
def test_code_forms(text, lang, codes):
    assert frame_claim(text, lang, dt.date(2023, 2, 1)).subject["codes"] == codes


@pytest.mark.parametrize("text, lang, reporter, partner", [
    # the buyer is the partner of the seller's exports; «в ЕС» after a purchase word is the seller
    ("Казахстан в первом полугодии 2022 года закупил в ЕС на 20% меньше стиральных машин, чем годом ранее.", "ru",
     "EU27", "KZ"),
    ("Грузия в III квартале 2022 года нарастила закупки часов в ЕС на 50%.", "ru", "EU27", "GE"),
    ("Kazakhstan stepped up purchases of European laptops by 40% in 1H22 year on year.", "en", "EU27", "KZ"),
    # in imports, an origin adjective after the flow word is the partner
    ("Uzbekistan's imports of EU-built cars slumped in the first nine months of 2022.", "en", "UZ", "EU27"),
    ("EU imports of Russian cars fell by half in January-November 2022.", "en", "EU27", "RU"),
    ("Белоруссия нарастила импорт европейских ноутбуков на 40% в первом полугодии 2022 года.", "ru", "BY", "EU27"),
    ("Поставки микросхем из ЕС в адрес Казахстана за 9 месяцев 2022 года выросли в 2,3 раза.", "ru", "EU27", "KZ"),
])
def test_buyers_and_origins(text, lang, reporter, partner):
    frame = frame_claim(text, lang, dt.date(2023, 2, 1))
    assert (frame.reporter, frame.partner) == (reporter, partner)


def test_product_slot_after_intake_and_comparatives():
    frame = frame_claim("Georgia's intake of surveying instruments from the EU doubled in January-September 2022.",
                        "en", dt.date(2022, 11, 21))
    assert frame.subject["codes"] == ["9015"]
    frame = frame_claim("Казахстан в первом полугодии 2022 года закупил в ЕС на 20% меньше стиральных машин, "
                        "чем годом ранее.", "ru", dt.date(2022, 9, 5))
    assert frame.subject["codes"] == ["8450"]


@pytest.mark.parametrize("phrase, lang, codes", [
    ("washing machines", "en", ["8450"]),               # not dish washing machines (8422)
    ("coffee machines", "en", ["851671"]),              # a machine head keeps the machinery chapters, not coffee
    ("hydraulic valves", "en", ["848120"]),             # "oleohydraulic" holds "hydraulic"
    ("гидравлических клапанов", "ru", ["848120"]),      # «маслогидравлических» holds «гидравлических»
    ("microwave ovens", "en", ["851650"]),              # 8516.60 says "(excluding microwaves)"
    ("пылесосов", "ru", ["8508"]),                      # «пылесосы прочие» only repeats the heading's word
    ("watches", "en", ["9101", "9102"]),                # not watch straps, cases or movements
    ("запчастей для подвижного состава", "ru", ["8607"]),  # «запчасти» are the nomenclature's «части»
    ("helicopters", "en", ["880211", "880212"]),
    ("электромобилей", "ru", ["870380"]),
])
def test_nomenclature_words(phrase, lang, codes):
    match = resolve(phrase, lang)
    assert match is not None and match.codes == codes


@pytest.mark.parametrize("phrase, lang", [("trucks", "en"),
                                          ("электронные компоненты", "ru")])
def test_ambiguous_words_abstain(phrase, lang):
    # "television" is only a complement in HS texts (cameras, reception apparatus: TV sets are a
    # synonym-table word, 8528.72/.73); electronic components are not the waste and scrap of
    # heading 8549: no guess
    assert resolve(phrase, lang) is None


def test_waste_only_when_asked():
    match = resolve("scrap of electronic components", "en")
    assert match is not None and all(c.startswith("8549") for c in match.codes)

"""Change words by lemma, and the period, product and country forms claims are written in."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.link.change_words import find_change
from nlp.link.frames import find_countries, frame_claim
from nlp.link.magnitudes import find_measure
from nlp.link.periods import read_periods
from nlp.products import find_products


@pytest.mark.parametrize("text, kind", [
    ("Deliveries dwindled last year", "down"),
    ("Deliveries have been dwindling", "down"),
    ("Sales edged up in the spring", "up"),
    ("Shipments sank after the ban", "down"),
    ("Exports slid for a third month", "down"),
    ("Sales nosedived in March", "down"),
    ("a sharp dip in exports", "down"),
    ("Поставки обвалились весной", "down"),
    ("Экспорт подскочил в мае", "up"),
    ("Exports barely budged", "flat"),
])
def test_change_classes(text, kind):
    found = find_change(text)
    assert found is not None and found[0] == kind


def test_budge_needs_a_hedge():
    assert find_change("Prices would not budge") == ("flat", 17)
    assert find_change("The budget was approved") is None


def test_measures_from_lemmas():
    assert find_measure("Exports dwindled in 2021").direction == "down"
    assert find_measure("a 15% dip in exports").value == pytest.approx(-0.15)
    assert find_measure("Sales barely budged in 2021 from 2020").kind == "flat"


def _months(text, lang="en", published="2023-02-01"):
    r = read_periods(text, lang, dt.date.fromisoformat(published)).to_dict()
    return r["window"], r["baseline"]


def test_period_forms():
    assert _months("Exports grew in H1 2022 year on year") == ("2022-01..2022-06", "2021-01..2021-06")
    assert _months("Exports fell in Mar-Oct 2022 y/y") == ("2022-03..2022-10", "2021-03..2021-10")
    assert _months("Exports rose in the July-September quarter from April-June 2022") == \
        ("2022-07..2022-09", "2022-04..2022-06")
    assert _months("Экспорт вырос в августе–ноябре 2022 года по сравнению с мартом–июнем", "ru") == \
        ("2022-08..2022-11", "2022-03..2022-06")


def test_product_modifier_narrows_a_group():
    assert find_products("memory ICs were shipped", "en").codes == ["854232"]
    assert find_products("EU chip exports", "en").codes == ["854231", "854232", "854233", "854239"]
    assert find_products("switching and routing equipment", "en").codes == \
        find_products("routing and switching equipment", "en").codes == ["851762"]


def test_cn_code_ending_in_00_is_the_subheading():
    frame = frame_claim("EU exports of CN 8542 33 00 to Armenia doubled in 2021.", "en", dt.date(2022, 3, 1))
    assert frame.subject["codes"] == ["854233"]


def test_long_state_form_keeps_the_role():
    assert find_countries("Поставки из ЕС в Республику Беларусь сократились")["partner"] == "BY"
    assert find_countries("EU exports to the Republic of Kazakhstan rose")["partner"] == "KZ"


def test_level_ratios_and_bounds():
    ratio = find_measure("Shipments were only 5% of the level of 2021")
    assert (ratio.kind, ratio.value) == ("times", pytest.approx(0.05))
    bound = find_measure("Sales rose more than a hundredfold")
    assert (bound.kind, bound.value) == ("more", 100.0)
    assert find_measure("Exports lost about 40% of their value").value == pytest.approx(-0.4)
    assert find_measure("Экспорт остался почти на уровне 2020 года").kind == "flat"


def test_receiving_country_is_the_partner():
    assert find_countries("Armenia received more diodes from the EU in 2021") == {"partner": "AM", "reporter": "EU27"}
    assert find_countries("Грузия закупила в ЕС больше антенн")["partner"] == "GE"


def test_level_kept_is_flat():
    assert find_measure("Exports stayed close to 2020 levels in 2021").kind == "flat"
    assert find_measure("Экспорт в 2021 году держался на уровне 2020 года").kind == "flat"


def test_coordinated_names_share_a_head_noun():
    assert find_products("helicopter and aeroplane parts", "en").codes == ["880730"]
    assert find_products("processors and memory chips", "en").codes == ["854231", "854232"]


def test_last_months_of_a_year_and_parts_words():
    assert _months("Sales were higher in the first six months of 2022 than in the last six months of 2021") == \
        ("2022-01..2022-06", "2021-07..2021-12")
    assert find_products("helicopter components", "en").codes == ["880730"]
    assert find_products("деталей для вертолетов", "ru").codes == ["880730"]


def test_level_with_and_on_the_year():
    assert find_measure("Exports were level with October").kind == "flat"
    assert _months("Exports grew by 20% in January-November 2022 on the year") == \
        ("2022-01..2022-11", "2021-01..2021-11")
    assert find_countries("Georgia's intake of EU routers rose")["partner"] == "GE"

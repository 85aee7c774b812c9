"""The claimed change: grammar (EN/RU, digits and words) and the verdict tolerances."""

from __future__ import annotations

import pytest

from nlp.link.magnitudes import Measure, find_measure, judge


@pytest.mark.parametrize("text, kind, value", [
    ("EU exports rose more than tenfold year on year", "more", 10.0),
    ("exports roughly quadrupled", "times", 4.0),
    ("were worth about four times as much as a year earlier", "times", 4.0),
    ("rose roughly two and a half times", "times", 2.5),
    ("were down by more than a third on a year earlier", "less", 2 / 3),
    ("were more than 90% lower than a year before", "less", 0.1),
    ("more than halved", "less", 0.5),
    ("rose by around half", "pct", 0.5),
    ("were worth some sixty per cent more", "pct", 0.6),
    ("fell by about two thirds year on year", "pct", -2 / 3),
    ("exports fell to a third of their 2021 level", "times", 1 / 3),
    ("экспорт вырос впятеро", "times", 5.0),
    ("экспорт сократился примерно в пять раз", "times", 0.2),
    ("вырос в два с половиной раза", "times", 2.5),
    ("сократился более чем вчетверо", "less", 0.25),
    ("поставил примерно на три четверти меньше", "pct", -0.75),
    ("упал более чем на 80%", "less", 0.2),
    ("ЕС более чем утроил поставки", "more", 3.0),
])
def test_measures(text, kind, value):
    measure = find_measure(text)
    assert measure is not None and measure.kind == kind and measure.value == pytest.approx(value, abs=1e-3)


@pytest.mark.parametrize("text, kind, direction", [
    ("exports held essentially steady in 2021", "flat", "flat"),
    ("практически не изменился по сравнению с 2020 годом", "flat", "flat"),
    ("exports picked up in the first half", "dir", "up"),
    ("транзисторов (мощностью менее 1 Вт) вырос", "dir", "up"),
    ("exports slipped in August", "dir", "down"),
])
def test_directions(text, kind, direction):
    measure = find_measure(text, masked=[(text.find("("), text.find(")") + 1)] if "(" in text else [])
    assert (measure.kind, measure.direction) == (kind, direction)


def test_tolerances_as_specified():
    assert judge(Measure("dir", "up"), 1.25) == ("supported", True)
    assert judge(Measure("dir", "up"), 0.75) == ("contradicted", True)
    assert judge(Measure("dir", "up"), 1.1)[1] is False          # grey zone
    assert judge(Measure("more", "up", 2.0), 2.4) == ("supported", True)
    assert judge(Measure("less", "down", 0.1), 0.08) == ("supported", True)
    assert judge(Measure("times", "up", 4.0), 3.85) == ("supported", True)
    assert judge(Measure("times", "up", 4.0), 6.0) == ("contradicted", True)
    assert judge(Measure("pct", "down", -0.8), 0.205) == ("supported", True)
    assert judge(Measure("flat", "flat"), 1.3) == ("contradicted", True)

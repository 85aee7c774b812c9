"""nlp.celex: CELEX numbers built from acts and read back from names, references, ELIs."""

from __future__ import annotations

import pytest

from nlp import celex


def test_build():
    assert celex.build("regulation", 2014, 833) == "32014R0833"
    assert celex.build("directive", 1998, 34) == "31998L0034"
    assert celex.build("COUNCIL IMPLEMENTING DECISION", "2024", "1744") == "32024D1744"
    with pytest.raises(ValueError):
        celex.build("recommendation", 2020, 1)


def test_from_act_number():
    assert celex.from_number("REGULATION", "2023/956") == "32023R0956"
    assert celex.from_number("COUNCIL REGULATION", "833/2014") == "32014R0833"
    assert celex.from_number("COUNCIL DECISION", "2014/512/CFSP") == "32014D0512"
    assert celex.from_number("REGULATION", "833") is None


def test_full_year():
    assert [celex.full_year(y) for y in ("2014", "87", "14", "50", "49")] == [2014, 1987, 2014, 1950, 2049]


def test_from_eli():
    assert celex.from_eli("http://data.europa.eu/eli/reg/2024/1745/oj") == "32024R1745"
    assert celex.from_eli("http://data.europa.eu/eli/dec/2024/1744/oj") == "32024D1744"
    assert celex.from_eli("http://data.europa.eu/eli/reg_impl/2024/1746/oj") == "32024R1746"
    assert celex.from_eli("https://example.org/") is None


def test_labelled_and_embedded():
    assert celex.labelled_in("CELEX_32014R0833_EN_TXT.pdf") == "32014R0833"
    assert celex.labelled_in("celex:32022d0266") == "32022D0266"
    assert celex.labelled_in("Regulation 833/2014") is None
    assert celex.embedded_in("2014R0833 — EN — 25.06.2024") == "32014R0833"
    assert celex.embedded_in("no reference here") is None


def test_parse_and_is_celex():
    act = celex.parse("32014R0269")
    assert act is not None and (act.year, act.letter, act.number, act.act_type) == (2014, "R", 269, "regulation")
    assert act.celex == "32014R0269"
    assert celex.parse("EU 269/2014") is None
    assert celex.is_celex("32014R0833") and celex.is_celex("32014R0833(01)")
    assert not celex.is_celex("32014R0833<script>") and not celex.is_celex("")

"""Entity mechanisms on project-written text: the English model setting, organisation
names that stop where they should, name particles, sports teams, full-name words."""

from __future__ import annotations

import pytest

from nlp import settings
from nlp.extract.entities import Entity, find_entities, find_rule_entities, propagate
from nlp.extract.entity_checks import person_particle_end
from nlp.extract.sports_teams import is_sports_report, relabel_teams


def _labels(text: str) -> dict[str, str]:
    return {e.text: e.label for e in find_entities(text, "en")}


def test_english_model_is_a_setting_with_a_fallback(monkeypatch, capsys):
    from nlp.extract.entities import _english_model, english_model

    monkeypatch.delenv("SANCTIONS_EN_MODEL", raising=False)
    assert settings.en_model() == settings.EN_MODEL_DEFAULT
    monkeypatch.setenv("SANCTIONS_EN_MODEL", "no_such_spacy_package")
    nlp = english_model()
    assert nlp.pipe_names == ["ner"]
    assert "no_such_spacy_package" in capsys.readouterr().err
    _english_model.cache_clear()


def test_organisation_noun_names_stop_before_a_place_and_a_second_organisation():
    found = {e.text for e in find_rule_entities("The Ministry of Industry and Trade in Moscow denied it.")}
    assert "Ministry of Industry and Trade" in found
    found = {e.text for e in find_rule_entities("Credit Bank of Moscow and Promsvyazbank were cut off.")}
    assert "Credit Bank of Moscow" in found and "Promsvyazbank" in found
    found = {e.text for e in find_rule_entities("The Bank for Reconstruction and Development lent more.")}
    assert "Bank for Reconstruction and Development" in found


def test_name_particles_run_on_to_the_surname():
    text = "Ursula von der Leyen spoke."
    assert text[:person_particle_end(text, 0, 14)] == "Ursula von der Leyen"
    text = "Mohammed bin Salman met him."
    assert text[:person_particle_end(text, 0, 8)] == "Mohammed bin Salman"
    assert person_particle_end("Anna said so.", 0, 4) == 4


def test_role_words_are_not_part_of_an_organisation():
    found = _labels("Maria Lopez, a European Commission Spokesperson, told reporters.")
    assert found.get("European Commission") == "ORG"
    assert "European Commission Spokesperson" not in found


def test_words_of_a_full_name_are_that_person():
    text = "Police detained dissident Zhao Wenhua on Monday. Zhao had organised a petition."
    found = propagate(text, [Entity(26, 37, "Zhao Wenhua", "PERSON"), Entity(49, 53, "Zhao", "ORG")], "en")
    assert ("Zhao", "PERSON") in {(e.text, e.label) for e in found}


_RESULTS = """CRICKET - COUNTY SCORES .
LEEDS 2024-05-03
Close of play scores in the county matches on Friday :
At Taunton : Somerset 312 and 140-4 , Lancashire 287 .
Derbyshire v Sussex was abandoned without a ball bowled in Derby .
Lancashire beat Durham by six wickets , and Sussex drew with Kent ."""


def test_sports_reports_make_teams_of_places():
    assert is_sports_report(_RESULTS)
    def at(name: str, after: int = 0) -> Entity:
        start = _RESULTS.index(name, after)
        return Entity(start, start + len(name), name, "GPE")

    ents = [at("LEEDS"), at("Taunton"), at("Somerset"), at("Derby", _RESULTS.index(" in Derby"))]
    out = relabel_teams(_RESULTS, ents, is_country=lambda name: False,
                        make=lambda a, b, label, source: Entity(a, b, _RESULTS[a:b], label, source))
    labels = {(e.text, e.label) for e in out}
    assert ("Somerset", "ORG") in labels
    assert ("Derby", "GPE") in labels and ("LEEDS", "GPE") in labels and ("Taunton", "GPE") in labels
    assert ("Lancashire", "ORG") in labels  # unlabelled names in a line with two scores


def test_trade_tables_and_national_sides_stay_places():
    table = "Exports to partners, EUR million\nKazakhstan 123 140\nArmenia 45 51\nGeorgia 30 29\n"
    assert not is_sports_report(table)
    ents = [Entity(table.index("Armenia"), table.index("Armenia") + 7, "Armenia", "GPE")]
    assert relabel_teams(table, ents, is_country=lambda n: False,
                         make=lambda a, b, label, source: Entity(a, b, table[a:b], label, source)) == ents
    text = "SOCCER - ENGLAND BEAT MOLDOVA .\nEngland 3 Moldova 0 in a World Cup qualifier on Sunday ."
    assert _labels(text).get("Moldova") in ("GPE", "LOC")


@pytest.mark.parametrize("text, name", [
    ("Gazprombank and Sovcomflot were added to the list on Thursday.", "Gazprombank"),
    ("Gazprombank and Sovcomflot were added to the list on Thursday.", "Sovcomflot"),
    ("The Treasury Department said the State Department would follow.", "Treasury Department"),
])
def test_field_organisations_in_plain_sentences(text, name):
    assert _labels(text).get(name) == "ORG"


def test_standings_rows_and_fixture_lines_name_teams():
    text = ("BASEBALL - LEAGUE STANDINGS .\nDENVER 2024-07-01\nStandings after games played on Sunday :\n"
            "W L PCT GB\nPORTLAND 50 31 .617 -\nBRAZIL 40 41 .494 10\nMONDAY 'S SCHEDULE\n"
            "PORTLAND AT TUCSON\n")
    out = relabel_teams(text, [], is_country=lambda name: name.title() == "Brazil",
                        make=lambda a, b, label, source: Entity(a, b, text[a:b], label, source))
    assert sorted(e.text for e in out) == ["PORTLAND", "PORTLAND", "TUCSON"]


def test_role_words_result_verbs_and_lists_name_teams_in_sports_reports():
    text = ("RUGBY LEAGUE - WEEKEND ROUND-UP .\nHULL 2024-03-02\n"
            "Title rivals Leeds , Wigan and Bradford all won on Saturday .\n"
            "Bradford captain Jon Smith said the side would recover . Fans travelled from Wigan .\n"
            "Leeds 24 Hull 12 .\n")

    def at(name: str, nth: int = 0) -> Entity:
        start = -1
        for _ in range(nth + 1):
            start = text.index(name, start + 1)
        return Entity(start, start + len(name), name, "GPE")

    ents = [at("HULL"), at("Leeds"), at("Wigan"), at("Bradford"), at("Bradford", 1), at("Wigan", 1)]
    out = relabel_teams(text, ents, is_country=lambda name: False,
                        make=lambda a, b, label, source: Entity(a, b, text[a:b], label, source))
    labels = [(e.text, e.label) for e in out]
    assert ("HULL", "GPE") in labels                   # the dateline stays a place
    assert labels.count(("Wigan", "ORG")) == 1 and ("Wigan", "GPE") in labels  # "from Wigan"
    assert labels.count(("Bradford", "ORG")) == 2 and ("Leeds", "ORG") in labels


def test_company_short_names_after_the_full_name():
    from nlp.extract.entities import short_names

    assert short_names("Magna International Inc") == ["Magna International", "Magna"]
    assert short_names("Bank of Russia") == [] and short_names("The Group") == []
    text = "Shares of Kestrel Instruments Corp rose. Kestrel Instruments said orders grew."
    found = propagate(text, [Entity(10, 34, "Kestrel Instruments Corp", "ORG")], "en")
    assert ("Kestrel Instruments", "ORG") in {(e.text, e.label) for e in found}


def test_organisation_name_stops_at_a_day_or_month():
    from nlp.extract.entities import find_rule_entities

    text = "The decision of the Monetary Union on Friday followed the Bank of Ruritania in March."
    names = {e.text for e in find_rule_entities(text) if e.label == "ORG"}
    assert "Monetary Union" in names and "Bank of Ruritania" in names
    assert not any("Friday" in name or "March" in name for name in names)
    assert "Committee on Foreign Trade" in {
        e.text for e in find_rule_entities("The Committee on Foreign Trade met.")}


def test_a_bare_acronym_is_not_a_person():
    from nlp.extract.entities import find_rule_entities
    from nlp.extract.entity_checks import acronym_as_person

    text = "The ZQRT said on Tuesday that it had charged the man."
    assert acronym_as_person(text, "The ZQRT", 0) == 4
    assert acronym_as_person(text, "Anton Trofimov", 0) is None
    headline = "TENNIS - ZQRT WINS AGAIN"
    assert acronym_as_person(headline, "ZQRT", 9) is None  # every word is in capitals there
    # "The" is not a given name before a capitalised surname
    assert not [e for e in find_rule_entities(text) if e.label == "PERSON"]
    listed = "The list names Aleksandr Viktorovich SIDYAKIN."
    assert [e.text for e in find_rule_entities(listed) if e.label == "PERSON"] == [
        "Aleksandr Viktorovich SIDYAKIN"]

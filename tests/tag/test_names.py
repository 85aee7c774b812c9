"""Name matching: transliteration, legal forms, word order, false-positive traps."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from nlp.cli import app
from nlp.records import ListingEntry
from nlp.tag.names import ListMatcher, match_pair, prepare, skeleton


@pytest.mark.parametrize("name1,name2,schema", [
    ("Сергей Шойгу", "Sergey Shoigu", "Person"),                 # Cyrillic -> Latin
    ("Sergei Shoigu", "Sergey Shoygu", "Person"),                # romanisation variants
    ("Shoigu Sergey", "Sergey Shoigu", "Person"),                # word order
    ("Vladimir Vladimirovich Putin", "Vladimir Putin", "Person"),  # patronymic dropped
    ("Mikhail Khodorkovsky", "Михаил Ходорковский", "Person"),
    ("Wolodymyr Selenskyj", "Volodymyr Zelenskyy", "Person"),    # German transliteration
    ("ООО «Ромашка»", "Romashka LLC", "Company"),                # legal form + script
    ("OAO Gazprom", "Gazprom JSC", "Company"),
    ("Siemens Aktiengesellschaft", "Siemens AG", "Company"),
    ("АО \"Концерн ВКО Алмаз-Антей\"", "JSC Concern VKO Almaz-Antey", "Company"),
    ("Three Percenters", "3 Percenters", "Organization"),
])
def test_matches(name1, name2, schema):
    result = match_pair(name1, name2, schema)
    assert result["match"], result


@pytest.mark.parametrize("name1,name2,schema", [
    ("Sergey Ivanov", "Sergey Viktorovich Lavrov", "Person"),    # shared first name only
    ("RUSTAM IBRAHIMOVICH ASELDEROV", "RUSTAM MAGOMEDOVICH ASELDEROV", "Person"),  # patronymic swap
    ("Banco Santander S.A.", "Banco Santander Chile S.A.", "Company"),  # added country
    ("Kazakhstan", "Kazakh Telecom JSC", "Company"),              # country name vs company
    ("Ivan", "Ivan Petrovich Ivanov", "Person"),                  # a common first name alone
    ("OOO", "OOO Romashka", "Company"),                           # a bare legal form
])
def test_non_matches(name1, name2, schema):
    result = match_pair(name1, name2, schema)
    assert not result["match"], result


def test_near_surname_is_below_the_text_threshold():
    # A near surname is worth a look in a pairwise review (the development
    # pairs label "Keir Starkey"/"Keir Starmer" a match), not a hit in text.
    from nlp.tag.names import rules

    assert match_pair("Raúl Castillo", "Raúl Castro", "Person")["score"] < rules()["tag_threshold"]


@pytest.mark.parametrize("name1,name2,schema", [
    ("Roman Abramov", "Roman Abramovich", "Person"),          # a patronymic-like ending is another name
    ("Gazprombank", "Belgazprombank", "Organization"),        # Bel- (Belarus) is another bank
    ("Gazprombank", "Belgazprombank", "Company"),
    ("Rosneft", "Russneft", "Organization"),                  # Ros- and Russ- are different companies
    ("NK Rosneft", "NK Russneft", "Company"),
    ("Сергей Петрович Иванов", "Сергей", "Person"),           # a bare given name alias
    ("Sergey Shoigu", "Sergey", "Person"),
    ("ABDULLAH BIN OMAR AL-MUHAMMAD", "OMAR BIN ABDULLAH AL-MUHAMMAD", "Person"),  # father and son
])
def test_issue_false_matches(name1, name2, schema):
    result = match_pair(name1, name2, schema)
    assert not result["match"], result


@pytest.mark.parametrize("name1,name2,schema", [
    ("ПАО Сбербанк", "Sberbank of Russia PJSC", "Company"),   # legal forms in RU and EN, "of Russia"
    ("ПАО Сбербанк", "Sberbank of Russia", "Organization"),
    ("ОАО «Газпром»", "Gazprom OJSC", "Company"),
    ("Публичное акционерное общество «Сбербанк России»", "Sberbank Rossii PAO", "Company"),
    ("MV Hellenic Spirit", "Hellenic Spirit", "Vessel"),       # vessel prefix
    ("Sergejs Lavrovs", "Sergey Lavrov", "Person"),            # one given name in two languages
])
def test_issue_missed_matches(name1, name2, schema):
    result = match_pair(name1, name2, schema)
    assert result["match"], result


def test_list_matcher_ignores_given_name_only_alias():
    entries = [ListingEntry(entry_id="g1", list_name="X", source_id="9", schema="Person",
                            name="Sergey Ivanovich Petrov", aliases=["Сергей"])]
    matcher = ListMatcher(entries)
    assert matcher.search("Сергей Шойгу", schema="Person") == []
    assert matcher.search("Sergey Kozlov", schema="Person") == []
    assert [h["entry_id"] for h in matcher.search("Sergei Petrov", schema="Person")] == ["g1"]


def test_skeleton_folds_romanisations():
    assert skeleton("khodorkovsky") == skeleton("hodorkovski")
    assert skeleton("zhukov") == skeleton("joukov")


def test_legal_forms_set_aside():
    form = prepare("LIMITED LIABILITY COMPANY ISKUSSTVO KRASOTY", "Company")
    assert form.tokens == ("iskusstvo", "krasoty")


def _entries():
    return [
        ListingEntry(entry_id="e1", list_name="EU 269/2014", source_id="1", schema="Person",
                     name="Sergei Kuzhugetovich SHOIGU", aliases=["Сергей Кужугетович Шойгу"],
                     programme="EU-UKR", listing_date="2022-02-23",
                     legal_act="Council Regulation (EU) No 269/2014"),
        ListingEntry(entry_id="e2", list_name="EU 833/2014", source_id="2", schema="Organization",
                     name="Joint Stock Company Concern VKO Almaz-Antey",
                     aliases=["АО «Концерн ВКО «Алмаз-Антей»"]),
        ListingEntry(entry_id="e3", list_name="OFAC SDN", source_id="3", schema="Person",
                     name="IVANOV, Sergei Borisovich"),
    ]


def test_list_matcher_finds_across_scripts():
    matcher = ListMatcher(_entries())
    hits = matcher.search("Сергей Шойгу", schema="Person")
    assert hits and hits[0]["entry_id"] == "e1"
    assert "alias" in hits[0]["explanation"] or "primary" in hits[0]["explanation"]
    hits = matcher.search("Concern VKO Almaz-Antey JSC", schema="Organization")
    assert hits and hits[0]["entry_id"] == "e2" and hits[0]["legal_act"] is None


def test_list_matcher_common_first_name_is_not_a_hit():
    matcher = ListMatcher(_entries())
    assert matcher.search("Sergei", schema="Person", threshold=0.84) == []


def test_match_names_cli(tmp_path):
    path = tmp_path / "pairs.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name1", "name2", "schema"])
        writer.writerow(["Сергей Шойгу", "Sergey Shoigu", "Person"])
        writer.writerow(["Roman Abramov", "Roman Abramovich", "Person"])
    result = CliRunner().invoke(app, ["match-names", str(path), "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["match"] for r in rows] == [True, False]
    assert set(rows[0]) >= {"name1", "name2", "score", "match"}


def test_match_names_cli_bad_header(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["match-names", str(path), "--json"])
    assert result.exit_code == 2 and "name1" in result.output


def test_stored_blocking_index_answers_like_the_in_memory_matcher(tmp_path):
    from nlp.records import ReadResult
    from nlp.store import Store
    from nlp.tag.name_index import StoredListMatcher, index_path, refresh_name_index
    from nlp.tag.names import list_matcher

    store = Store(tmp_path / "s")
    store.replace_file("lists.json", "sha", 1, "test", ReadResult(listings=_entries()))
    assert refresh_name_index(store) is True
    assert refresh_name_index(store) is False          # built once, reused
    stored = StoredListMatcher(index_path(store))
    memory = ListMatcher(_entries())
    for name, schema in [("Сергей Шойгу", "Person"), ("Concern VKO Almaz-Antey JSC", "Organization"),
                         ("Sergei Ivanov", "Person"), ("Almaz", None)]:
        assert stored.candidates(name, schema) == memory.candidates(name, schema)
        assert stored.search(name, schema=schema) == memory.search(name, schema=schema)
    assert len(stored.entries) == 3 and stored.entries[1].entry_id == "e2"
    assert [e.entry_id for e in stored.entries] == ["e1", "e2", "e3"]
    assert stored.names[0] == memory.names[0]
    # A changed list is noticed: the next matcher sees the new entry.
    extra = ListingEntry(entry_id="e4", list_name="X", source_id="4", schema="Person", name="Ivan Petrovich Sidorov")
    store.replace_file("lists.json", "sha2", 1, "test", ReadResult(listings=[*_entries(), extra]))
    hits = list_matcher(store).search("Ivan Sidorov", schema="Person")
    assert hits and hits[0]["entry_id"] == "e4"
    store.close()


@pytest.mark.parametrize("name1,name2,schema", [
    ("Юрий Ковальчук", "Yury Valentinovich Kovalchuk", "Person"),   # BGN romanisation (Ю -> Yu)
    ("Igor Sechin", "I. I. Sechin", "Person"),                     # "I." is an initial, not a particle
    ("Nikolai Patr ushev", "Nikolai Platonovich Patrushev", "Person"),  # a word split in two
    ("«Сбербанк России»", "SBERBANK OF RUSSIA", "Company"),         # a country in a Russian case form
    ("Закрытое акционерное общество «Стройтрансгаз»", "Stroytransgaz CJSC", "Company"),
    ("Brigade Forty 4", "Brigade 44", "Organization"),             # tens and units make one number
])
def test_general_mechanisms_match(name1, name2, schema):
    result = match_pair(name1, name2, schema)
    assert result["match"], result


@pytest.mark.parametrize("name1,name2,schema", [
    ("Roman Abramov", "Роман Аркадьевич Абрамович", "Person"),      # patronymic ending, across scripts
    ("Anna Petrova", "Anna Petrovna Ivanova", "Person"),            # a surname on a patronymic's root
    ("MOHAMAD IQBAL ABDURRAHIM", "MOHAMAD IQBAL ABDURRAHMAN", "Person"),  # abd al-Rahim / abd al-Rahman
    ("Bowne Global Solutions Denmark, A/S", "Bowne Global Solutions II Denmark A/S", "Company"),  # "II"
])
def test_general_mechanisms_keep_apart(name1, name2, schema):
    result = match_pair(name1, name2, schema)
    assert not result["match"], result


def test_russian_words_use_bgn_romanisation():
    from nlp.tag.names import ascii_form

    assert ascii_form("Юрий Ковальчук") == "yuriy kovalchuk"
    assert ascii_form("Объедков") == "obyedkov"
    assert ascii_form("Қасым-Жомарт")[0] in "qk"  # Kazakh letters: the generic transform


def test_check_pairs_file_is_well_formed():
    """The project-written check pairs (corpus/gold/name_pairs_check.csv)
    keep the development file's columns and hold people and companies."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "corpus" / "gold" / "name_pairs_check.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) >= 80
    assert {r["schema"] for r in rows} == {"Person", "Company"}
    assert {r["is_match"] for r in rows} == {"true", "false"}


def test_second_check_pairs_file_is_well_formed():
    """corpus/gold/name_pairs_check2.csv: the development file's columns,
    people, companies and vessels, matches and non-matches."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "corpus" / "gold" / "name_pairs_check2.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) >= 120
    assert set(rows[0]) == {"case_group", "schema", "name1", "name2", "is_match", "quality", "category", "notes"}
    assert {r["schema"] for r in rows} == {"Person", "Company", "Vessel"}
    assert {r["is_match"] for r in rows} == {"true", "false"}


@pytest.mark.parametrize("name1,name2,schema", [
    ("Citigroup Capital Trust XV", "Citigroup Capital Trust XX", "Company"),   # Roman numerals are numbers
    ("Goldman Sachs Mortgage Loan Trust 2004-1", "Goldman Sachs Mortgage Loan Trust 2005-1", "Company"),
    ("Nantahala Capital Offshore Fund, Ltd.", "Nantahala Capital Offshore Fund I, Ltd.", "Company"),
    ("Al-Resafa Refinery Company Private JSC", "Al Resafa Refinery Co.", "Company"),  # "Private JSC" is one form
    ("vanderbilt corp", "van der bilt corp", "Company"),                     # particles written into a word
    ("بشار الأسد", "Bashar al-Assad", "Person"),                             # Arabic article written on
    ("ហ៊ុន ម៉ាណាត", "ហ៊ុន ម៉ាណែត", "Person"),                                  # a script without romanisation
    ("김여정", "Kim Yo Jong", "Person"),                                      # Hangul as lists spell Korean names
    ("박동석", "PAK, Tong Sok", "Person"),
])
def test_series_forms_and_scripts_match(name1, name2, schema):
    result = match_pair(name1, name2, schema)
    assert result["match"], result


@pytest.mark.parametrize("name1,name2,schema", [
    ("ПАО «НК «Роснефть»", "PJSC NK RussNeft", "Company"),          # joined words keep their naming elements
    ("Vladimir Konstantinov", "Konstantin Vladimirov", "Person"),   # a surname made of a given name
    ("ПАО «Звезда»", "АО «Звёздочка»", "Company"),                  # a stem plus a suffix is another word
    ("김여정", "Kim Jong Un", "Person"),
    ("Andrey Spivak", "Andriy Spivakovsky", "Person"),
    ("ABD AL-RAHMAN MUHAMMAD MUSTAFA AL-MOSULI", "ABD AL-RAHMAN MUHAMMAD MUSTAFA AL-QADULI", "Person"),
    ("ហ៊ុន ម៉ាណាត", "ប៉ុល ពត", "Person"),                            # own-script words still compared
])
def test_series_forms_and_scripts_keep_apart(name1, name2, schema):
    result = match_pair(name1, name2, schema)
    assert not result["match"], result


def test_acronym_matches_the_words_it_abbreviates():
    assert match_pair("PLA", "People’s Liberation Army", "Organization")["match"]
    assert not match_pair("PLA", "People’s Liberation Army", "Person")["match"]
    assert not match_pair("VTB Bank", "VEB.RF", "Company")["match"]


def test_bootstrap_threshold_sits_inside_a_separable_gap():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "eval_names", Path(__file__).resolve().parents[2] / "scripts" / "eval_names.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    median, low, high = module.calibrate([0.2, 0.3, 0.4, 0.8, 0.9, 0.95], [False, False, False, True, True, True],
                                         rounds=200)
    assert 0.4 < low <= median <= high <= 0.8


@pytest.fixture()
def listed_store(tmp_path, monkeypatch):
    from nlp.records import ReadResult
    from nlp.store import Store

    monkeypatch.setenv("SANCTIONS_SERVER", "off")
    store = Store(tmp_path / "s")
    store.replace_file("lists.json", "sha", 1, "test", ReadResult(listings=_entries()))
    store.close()
    return str(tmp_path / "s")


@pytest.mark.parametrize("args,message", [
    (["  "], "error: name is empty"),
    (["Sergei Shoigu", "--schema", "Foo"], "error: unknown schema 'Foo': one of Person, "),
])
def test_match_cli_refuses_bad_input(listed_store, args, message):
    from typer.testing import CliRunner

    from nlp.cli import app

    result = CliRunner().invoke(app, ["match", *args, "--store", listed_store])
    assert result.exit_code == 2 and message in result.output, result.output


def test_match_cli_says_when_nothing_matches(listed_store):
    from typer.testing import CliRunner

    from nlp.cli import app

    runner = CliRunner()  # click 8.2+: stdout and stderr captured apart
    found = runner.invoke(app, ["match", "sergei shoigu", "--schema", "person", "--store", listed_store])
    assert found.exit_code == 0 and "SHOIGU" in found.stdout, found.output
    nothing = runner.invoke(app, ["match", "Zbigniew Wodecki", "--store", listed_store])
    assert nothing.exit_code == 0 and nothing.stdout == "", nothing.output
    assert "no listed entry matches 'Zbigniew Wodecki'" in nothing.stderr


def test_match_cli_refuses_a_missing_store(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from nlp.cli import app

    monkeypatch.setenv("SANCTIONS_SERVER", "off")
    result = CliRunner().invoke(app, ["match", "Sergei Shoigu", "--store", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no store at" in result.output, result.output
    assert not (tmp_path / "nowhere").exists()


def test_small_names_align_as_the_solver_does_and_ties_go_to_the_solver():
    import random
    from itertools import permutations

    import numpy as np
    from scipy.optimize import linear_sum_assignment

    from nlp.tag.names import _unique_best_assignment

    generator = random.Random(7)
    decided = 0
    for _ in range(500):
        rows, width = generator.randint(1, 4), 4
        rows = min(rows, width)
        # Coarse values make ties common, fine ones make them rare.
        step = generator.choice([0.5, 0.1, 0.001])
        matrix = [[round(generator.random() / step) * step for _ in range(width)] for _ in range(rows)]
        cols = _unique_best_assignment(matrix, width)
        if cols is None:
            totals = {}
            for perm in permutations(range(width), rows):
                totals[perm] = sum(row[c] for row, c in zip(matrix, perm))
            best = max(totals.values())
            assert sum(1 for t in totals.values() if best - t <= 1e-9) > 1  # a real tie
            continue
        decided += 1
        _, solver_cols = linear_sum_assignment(-np.array(matrix))
        assert cols == [int(c) for c in solver_cols]
    assert decided > 100


def test_word_similarity_follows_the_name_symbols_in_effect():
    from nlp.tag.names import _SYMBOLS, token_similarity

    def shared(_: str) -> frozenset[str]:
        return frozenset({"NAME:1"})

    def none(_: str) -> frozenset[str]:
        return frozenset()

    scores = {}
    for lookup in (shared, none, shared):
        token = _SYMBOLS.set(lookup)
        try:
            scores.setdefault(lookup.__name__, set()).add(token_similarity("sasha", "aleksandr"))
        finally:
            _SYMBOLS.reset(token)
    assert scores["shared"] == {0.85}
    assert max(scores["none"]) < 0.85

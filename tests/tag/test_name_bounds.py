"""The score bound that lets a list search skip candidates: never below the score, same search results."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp.records import ListingEntry
from nlp.tag import name_bounds
from nlp.tag.names import ListMatcher, score_names

GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold"
THRESHOLDS = (0.5, 0.73, 0.84, 0.95)

# Names that take each rule of the pair scorer (numbers, initials, merged
# and split words, acronyms, particles, scripts, patronymics, places).
NAMES = {
    "Person": ["Sergei Kuzhugetovich SHOIGU", "Сергей Шойгу", "Shoigu Sergey", "I. I. Sechin", "Igor Sechin",
               "Nikolai Patr ushev", "Nikolai Platonovich Patrushev", "RamiMakhlouf", "Rami Makhlouf",
               "Van der Bilt", "Vanderbilt", "Roman Abramov", "Roman Abramovich", "Sergejs Ivanovs",
               "Sergey Ivanov", "Petrova Anna", "Anna Petrovna", "Abdurrahim Ali", "Abdurrahman Ali",
               "Muhammad bin Salman", "Salman bin Abdulaziz", "بشار الأسد", "Bashar al-Assad", "김여정",
               "Kim Yo Jong", "Gregory C. Allen", "Grigore CARAMALAC", "Сергей", "Ivan Petrovich Sidorov"],
    "Organization": ["Joint Stock Company Concern VKO Almaz-Antey", "АО «Концерн ВКО «Алмаз-Антей»",
                     "Sberbank of Russia", "«Сбербанк России»", "Сбербанк", "People's Liberation Army", "PLA",
                     "Rosneft", "NK Russ Neft", "Gazprombank", "Belgazprombank", "Capital Trust I",
                     "Capital Trust", "Trust 2004-1", "Trust 2004-2", "Brigade Forty 4", "Brigade 44",
                     "Three Percenters", "3 Percenters", "Ministry of Finance", "M FINANS",
                     "Commercial Bank 'Khlynov' (Joint Stock Company)", "Банк Хлынов", "European Commission",
                     "Office of Foreign Assets Control", "Bank Rossiya", "Банк Россита"],
    "Vessel": ["MV Sea Star", "SEA STAR", "Sea Star II", "Ocean Pearl 1", "M/T Ocean Pearl"],
}


@pytest.fixture(autouse=True)
def name_symbols():
    """Name symbols as a list search gets them from its stored table; here
    every word of three letters or more shares a symbol with the words that
    start with the same two letters, so the one-name-in-two-forms rule comes
    up often (and rigour's analyser, seconds per word list, is not loaded)."""
    from nlp.tag import names

    token = names._SYMBOLS.set(lambda word: frozenset({word[:2]}) if len(word) >= 3 else frozenset())
    yield
    names._SYMBOLS.reset(token)


def _pairs() -> list[tuple[str, str, str]]:
    pairs = [(a, b, schema) for schema, names in NAMES.items() for a in names for b in names]
    for path in (GOLD / "name_pairs_check.csv", GOLD / "name_pairs_check2.csv"):
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        pairs += [(r["name1"], r["name2"], r["schema"]) for r in rows]
        # Every name against every other of its schema: mostly non-matches,
        # which is what a bound has to get right to be of use.
        by_schema: dict[str, list[str]] = {}
        for r in rows:
            by_schema.setdefault(r["schema"], []).extend([r["name1"], r["name2"]])
        for schema, names in by_schema.items():
            names = names[:40]
            pairs += [(a, b, schema) for a in names for b in names[::4]]
    return pairs


def _list_schema(schema: str) -> str:
    return "Person" if schema == "Person" else ("Vessel" if schema == "Vessel" else "Organization")


def test_no_candidate_that_reaches_the_threshold_is_skipped():
    skipped = 0
    pairs = _pairs()
    for name1, name2, schema in pairs:
        schema = _list_schema(schema)
        score = score_names(name1, name2, schema)[0]
        for threshold in THRESHOLDS:
            [can_reach] = name_bounds.reachable(name1, [(name2, schema)], threshold)
            if score >= threshold:
                assert can_reach, (name1, name2, schema, threshold, score)
            skipped += not can_reach
    # ... and the bound is tight enough to skip most non-matches.
    assert skipped > len(pairs) * len(THRESHOLDS) // 2


def test_word_bounds_are_at_least_the_word_similarities():
    from nlp.tag.names import prepare, token_similarity

    for schema, names in NAMES.items():
        schema = _list_schema(schema)
        words = sorted({t for name in names for t in prepare(name, schema).tokens})
        bounds = name_bounds.token_bounds(words, words, schema)
        for i, a in enumerate(words):
            for j, b in enumerate(words):
                assert bounds[i, j] >= token_similarity(a, b, schema), (a, b)


def test_many_candidates_at_once_are_bounded_like_one_at_a_time():
    for schema, names in NAMES.items():
        schema = _list_schema(schema)
        listed = [(name, schema) for name in names]
        for threshold in THRESHOLDS:
            for query in names[:6]:
                together = name_bounds.reachable(query, listed, threshold)
                apart = [name_bounds.reachable(query, [pair], threshold)[0] for pair in listed]
                assert together == apart


def test_a_threshold_of_zero_skips_nothing():
    assert name_bounds.reachable("Sergey Ivanov", [("Totally Different", "Person"), ("", "Person")], 0) == \
        [True, True]


def test_names_without_letters_cannot_reach_a_threshold():
    assert name_bounds.reachable("...", [("Sergey Ivanov", "Person")], 0.73) == [False]
    assert name_bounds.reachable("Sergey Ivanov", [("--", "Person")], 0.73) == [False]


def _entries() -> list[ListingEntry]:
    entries = []
    for schema, names in NAMES.items():
        for i, name in enumerate(names):
            entries.append(ListingEntry(entry_id=f"{schema}-{i}", list_name="test", source_id=str(i),
                                        schema="Company" if schema == "Organization" and i % 2 else schema,
                                        name=name, aliases=names[i + 1:i + 3]))
    return entries


@pytest.mark.parametrize("threshold", [None, 0.84, 0.95])
def test_search_results_are_the_same_as_scoring_every_candidate(monkeypatch, threshold):
    matcher = ListMatcher(_entries())
    queries = [(name, schema) for schema, names in NAMES.items() for name in names] + \
              [("Sergei Shoigu", "Person"), ("Almaz Antey", "Organization"), ("Sea Star", None),
               ("Sberbank Rossii", None), ("Ministry of Finance of Russia", "Organization")]
    pruned = [matcher.search(name, schema=schema, threshold=threshold) for name, schema in queries]
    monkeypatch.setattr(name_bounds, "reachable", lambda name, listed, threshold: [True] * len(listed))
    full = [matcher.search(name, schema=schema, threshold=threshold) for name, schema in queries]
    assert pruned == full
    assert any(pruned)


@pytest.mark.corpus
def test_no_development_pair_that_matches_is_skipped(shared):
    """Every pair of the development set (``eval/names``): the bound never
    hides a score at or above the thresholds."""
    path = shared / "eval" / "names" / "name_pairs_dev.csv"
    if not path.exists():
        pytest.skip(f"{path} not found")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        schema = _list_schema(row["schema"])
        score = score_names(row["name1"], row["name2"], schema)[0]
        for threshold in THRESHOLDS:
            if score >= threshold:
                assert name_bounds.reachable(row["name1"], [(row["name2"], schema)], threshold) == [True], row

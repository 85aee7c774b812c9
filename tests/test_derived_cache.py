"""Derived tables kept on disk: reused while their inputs are the same, derived again otherwise."""

from __future__ import annotations

from nlp.derived_cache import derived


def test_derived_once_then_read_and_again_after_an_input_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("SANCTIONS_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "table.csv"
    source.write_text("a,1\n", encoding="utf-8")
    builds = []

    def build() -> dict[str, set[str]]:
        builds.append(1)
        return {"a": {source.read_text(encoding="utf-8").strip()}}

    encode = {"encode": lambda v: {k: sorted(s) for k, s in v.items()},
              "decode": lambda d: {k: set(s) for k, s in d.items()}}
    first = derived("table", [source], build, **encode)
    again = derived("table", [source], build, **encode)
    assert first == again == {"a": {"a,1"}} and len(builds) == 1
    source.write_text("a,2\n", encoding="utf-8")
    assert derived("table", [source], build, **encode) == {"a": {"a,2"}} and len(builds) == 2


def test_an_unwritable_cache_folder_still_gives_the_value(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("SANCTIONS_CACHE_DIR", str(blocker / "cache"))
    source = tmp_path / "t.txt"
    source.write_text("v", encoding="utf-8")
    assert derived("t", [source], lambda: [1, 2]) == [1, 2]


def test_the_nomenclature_from_the_cache_equals_a_fresh_one(tmp_path, monkeypatch):
    from nlp import products

    monkeypatch.setenv("SANCTIONS_CACHE_DIR", str(tmp_path / "cache"))
    products.nomenclature.cache_clear()
    try:
        written = products.nomenclature()
        products.nomenclature.cache_clear()
        read = products.nomenclature()
        assert list((tmp_path / "cache").glob("nomenclature-*.json"))
        assert read == written == products._build_nomenclature()
    finally:
        products.nomenclature.cache_clear()

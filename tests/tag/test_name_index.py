"""The stored blocking index's memory of what it has read: same answers, each row read once."""

from __future__ import annotations

from nlp.records import ListingEntry, ReadResult
from nlp.store import Store
from nlp.tag.name_index import StoredListMatcher, index_path, refresh_name_index
from nlp.tag.names import ListMatcher


def _entries() -> list[ListingEntry]:
    names = ["Sergei Kuzhugetovich SHOIGU", "Sergey Borisovich Ivanov", "Sergei Ivanovich Petrov",
             "Joint Stock Company Concern VKO Almaz-Antey", "Sberbank of Russia", "Bank Rossiya"]
    return [ListingEntry(entry_id=f"e{i}", list_name="test", source_id=str(i),
                         schema="Person" if i < 3 else "Organization", name=name)
            for i, name in enumerate(names)]


def _stored(tmp_path) -> tuple[Store, StoredListMatcher]:
    store = Store(tmp_path / "s")
    store.replace_file("lists.json", "sha", 1, "test", ReadResult(listings=_entries()))
    refresh_name_index(store)
    return store, StoredListMatcher(index_path(store))


def test_shortlist_keys_are_read_once_and_match_the_in_memory_matcher(tmp_path):
    store, stored = _stored(tmp_path)
    memory = ListMatcher(_entries())
    queries: list[str] = []
    original = stored._query

    def counted(sql, args=()):
        queries.append(sql)
        return original(sql, args)

    stored._query = counted  # type: ignore[method-assign]
    ids = stored.candidates("Sergei Ivanov", "Person")
    assert ids
    assert stored.keys_of(ids) == memory.keys_of(ids)
    assert list(stored.keys_of(ids)) == ids                   # in the order asked
    reads = len(queries)
    assert stored.keys_of(ids[::-1]) == {i: memory.keys[i] for i in ids[::-1]}
    assert len(queries) == reads                              # no second read
    assert stored.keys_of([]) == {}
    stored.close()
    store.close()


def test_prefetched_rows_are_the_stored_rows(tmp_path):
    store, stored = _stored(tmp_path)
    memory = ListMatcher(_entries())
    stored.names.prefetch([0, 2])
    stored.names.prefetch([0, 1, 2, 3])                       # only the rows not yet seen
    assert [stored.names[i] for i in range(len(memory.names))] == memory.names
    assert stored.candidates("Sberbank Rossii", "Organization") == \
        memory.candidates("Sberbank Rossii", "Organization")
    stored.close()
    store.close()

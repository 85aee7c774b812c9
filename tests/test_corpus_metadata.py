"""Files that describe a collection are corpus metadata, in any common spelling."""

import pytest

from nlp.text import is_corpus_metadata


@pytest.mark.parametrize("name", ["README.md", "readme.ru.md", "README_ru.md", "README-en.txt", "PROVENANCE.md",
                                  "LICENSE", "LICENCE.txt", "provenance.json", "NOTICE", "SOURCES.md"])
def test_collection_descriptions_are_metadata(name):
    assert is_corpus_metadata(f"corpus/news/{name}")


@pytest.mark.parametrize("name", ["readme_analysis_of_exports.txt", "licenses_granted_2023.csv",
                                  "2024-06-07_vlast_story.txt", "sources_of_growth.md"])
def test_documents_are_not(name):
    assert not is_corpus_metadata(f"corpus/news/{name}")

"""Filter values an analyst types: a value that can name nothing is an error, not an empty result."""

import pytest

from nlp.index.filters import checked_kind, checked_tier


def test_unknown_chp_tier_is_an_error_not_zero_hits():
    assert checked_tier("3a") == "3A"
    assert checked_tier(" 1 ") == "1"
    with pytest.raises(ValueError, match="not a CHP tier: '9'"):
        checked_tier("9")


def test_unknown_document_kind_is_an_error_not_zero_hits():
    assert checked_kind(" news ") == "news"
    with pytest.raises(ValueError, match="not a document kind: 'weird'"):
        checked_kind("weird")

"""--reporter / --partner read through the project's country resolver, before any request:
names and ISO3 codes work, a code that names no country is a one-line error offline."""

from __future__ import annotations

import pytest

from nlp.connectors.commands import country_options
from nlp.connectors.http import ConnectorError


def test_names_and_codes_become_iso2():
    assert country_options(["Kazakhstan", "KAZ", "Казахстан", "kz"], "reporter") == ["KZ"]
    # groups keep the spelling each API knows them by; numbers are the API's own area codes
    assert country_options(["EU", "World", "398"], "partner") == ["EU", "WORLD", "398"]


def test_a_code_that_names_no_country_fails_before_any_request():
    with pytest.raises(ConnectorError, match="reporter 'XX' is not a country"):
        country_options(["XX"], "reporter")


def test_fetch_refuses_an_unknown_partner_without_the_network(tmp_path, monkeypatch):
    from nlp.connectors import commands

    monkeypatch.setenv("SANCTIONS_COMEXT_URL", "http://127.0.0.1:9")  # nothing listens: a request would fail
    options = commands.FetchOptions(source="comext", dest=tmp_path, partners=["Narnia"], codes=["8542"],
                                    first="2023-01", last="2023-02")
    with pytest.raises(ConnectorError, match="partner 'Narnia' is not a country"):
        commands.fetch_source(options)

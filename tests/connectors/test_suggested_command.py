"""The fetch command a report prints for a claim without data runs as printed."""

from __future__ import annotations

import shlex

import pytest
from typer.testing import CliRunner

from nlp.cli import app
from nlp.connectors import commands
from nlp.connectors.comtrade import hs_codes
from nlp.reference import chp_items

VLAST = {"frame": {"reporter": "KZ", "partner": "RU", "flow": "re-export", "published": "2024-06-07",
                   "subject": {"item_set": "chp", "tiers": ["1", "2"]}},
         "series": [{"proxy": False, "window": ["2024-01", "2024-05"], "baseline": ["2023-01", "2023-05"]}]}


def _options_of(command: str, monkeypatch) -> commands.FetchOptions:
    seen: list[commands.FetchOptions] = []
    monkeypatch.setenv("SANCTIONS_COMTRADE_KEY", "test-key")
    monkeypatch.setattr(commands, "fetch_source", lambda options, **_: seen.append(options) or [])
    args = shlex.split(command)
    assert args[:3] == ["sanctions", "corpus", "fetch"]
    result = CliRunner().invoke(app, args[1:])
    assert result.exit_code == 0, result.output
    return seen[0]


def test_the_vlast_suggestion_parses_to_tiers_one_and_two(monkeypatch):
    options = _options_of(commands.suggest_fetch(VLAST), monkeypatch)
    tiers_1_2 = {i.hs6 for i in chp_items() if i.tier.upper() in ("1", "2")}
    assert set(hs_codes(options.codes)) == tiers_1_2
    assert options.reporters == ["KZ"] and options.partners == ["RU"] and options.flows == ["X", "RX"]


@pytest.mark.parametrize("spec", ["chp:1,2", "chp:1-2", "8542,chp:1,2"])
def test_tier_lists_after_chp_stay_with_it(spec, monkeypatch):
    options = _options_of(f"sanctions corpus fetch --source comtrade --reporter KZ --partner RU --hs {spec} "
                          "--from 2023-01 --to 2023-02", monkeypatch)
    codes = set(hs_codes(options.codes))
    tiers_1_2 = {i.hs6 for i in chp_items() if i.tier.upper() in ("1", "2")}
    only_later_tiers = {i.hs6 for i in chp_items()} - tiers_1_2
    assert tiers_1_2 <= codes
    assert not only_later_tiers & codes


def test_suggestion_covers_the_claims_own_periods_when_no_series_was_computed():
    """A claim compared with the pre-invasion year needs months from before 2022,
    even when nothing was stored yet (no series months to read)."""
    claim = {"frame": {"reporter": "KZ", "partner": "RU", "flow": "re-export", "published": "2024-06-07",
                       "subject": {"item_set": "chp", "tiers": None},
                       "period": {"text": "recent months", "interval": ["2023-12-01", "2024-06-07"]},
                       "baseline": {"text": "pre-invasion", "interval": [None, "2022-02-23"]}},
             "series": [{"proxy": False, "window": None, "baseline": None}]}
    command = commands.suggest_fetch(claim)
    assert command.endswith("--from 2021-03 --to 2024-06"), command

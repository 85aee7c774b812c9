"""Trade-statistics readers: spreadsheets and CSV exports to ``TradeFact`` records.

Each reader turns one statistics file into :class:`~nlp.records.TradeFact`
records (one per numeric observation) plus ONE ``trade_table`` Document whose
text is a short generated description of the file (title, reporters,
partners, products, periods, units, counts). Facts carry ``location`` =
``"sheet!row"`` (or ``"csv!line"``) so every figure can be traced back.

Shapes handled (sniffed from header lines / workbook sheet names, so renamed
files still work):

* Eurostat Comext spreadsheet exports (one sheet per CN8 product, reporter x
  partner rows, one column per month; ``:`` = not available -> no fact) and the
  derived ``partner, reporter, month, sanctioned_export`` table;
* Comext CSV "relational view" exports (``REPORTER,PARTNER,PRODUCT,FLOW,...``);
* UN Comtrade-style CSV (``period, reporter, partner_iso, commodity_code,
  trade_flow, trade_value_us ...``), the Armenian re-export estimates, the
  official re-export series and the by-country table (unit not stated);
* Kazakhstan BNS bulletin (old ``.xls``, thousand USD, partner rows) and the
  BNS monthly total-exports CSV;
* Kyrgyz NSC trilingual yearly tables (thousand USD or thousand soms);
* Russian FTS tables: monthly trade with main partners (million USD), key
  imported goods by TN VED code (January 2022), trade by HS chapter, by
  country group and by commodity group (billion USD); IMF IMTS wide CSV;
* a documented generic long CSV (``reporter, partner, flow, product_code,
  period, value, currency`` [``code_system, quantity, quantity_unit,
  product_label, scale``]) for project-written samples (docs/ingest_trade.md).

What it does not do: it does not convert currencies, does not reconcile
mirror statistics, and keeps growth-rate and share columns out of the facts.
Country names become ISO 3166 alpha-2 codes through the project's country
resolver (:mod:`nlp.countries`: CLDR territory names in the label languages,
rigour's territory data, aliases and groups in ``nlp/data/countries``);
recognised aggregates get ``WORLD``, ``EU27`` or a group code (``CIS``,
``EAEU``, ``SCO``, ``EUROPE``, ``ASIA``, ...); anything else gets ``ZZ``
(ISO's "unknown") with the printed label kept in ``partner_label`` and counted
in the Document's ``meta``.

Modules: :mod:`.facts` (numbers, periods, flows, units; the fact builder),
:mod:`.sheets` (workbook and CSV access), :mod:`.countries` (country labels),
and one module per source family: :mod:`.eurostat`, :mod:`.comtrade`
(Comtrade and IMF), :mod:`.national` (Armenia, Kazakhstan, Kyrgyzstan,
Russia), :mod:`.generic`. Importing this package registers every reader.

Libraries: openpyxl (``read_only=True``, ``iter_rows(values_only=True)``:
streaming) for ``.xlsx``; for the big Comext exports only, the stdlib's C
ElementTree ``iterparse`` over the sheet XML (same rows, a third of the CPU
time; see :func:`.sheets._xlsx_sheets_fast`); xlrd for BIFF ``.xls``; the stdlib
``csv`` module for CSV.
"""

from __future__ import annotations

from . import comtrade, eurostat, generic, national  # noqa: F401  (registers the readers)
from .countries import country_code
from .facts import FactBuilder, flow_of, period_of, product_code_fields, to_number

__all__ = ["FactBuilder", "country_code", "flow_of", "period_of", "product_code_fields", "to_number"]

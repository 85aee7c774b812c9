"""Sanctions-list readers: one :class:`~nlp.records.ListingEntry` per listed
party, plus ONE ``listing`` document per file whose blocks are the entries.

Formats (each sniffed on its header line or root element, with a priority
above the generic CSV/XML/XLSX readers):

* **OpenSanctions EU journal CSV** (consolidated ``celex,recordId,...`` and
  amendment ``amendedCelex,amendmentCelex,...`` files): one entry per row;
  ``;``-separated multi-value cells are split with :mod:`csv` as the format's
  own contract says (``delimiter=";"``, quoted values kept whole).
* **OFAC SDN legacy CSV** (``sdn.csv``, no header, ``-0-`` = empty): joined by
  ``ent_num`` with the siblings ``alt.csv`` (aliases), ``add.csv`` (addresses)
  and ``sdn_comments.csv`` (remarks overflow) found in the same folder; DOB,
  nationality, passport, IMO, MMSI and a few id numbers are parsed out of the
  remarks. The siblings themselves are claimed by a small reader that returns a
  ``reference`` document saying they were merged into ``sdn.csv`` — so a
  folder ingests without failures and without counting entries twice.
* **UN Security Council consolidated XML** (``CONSOLIDATED_LIST``):
  INDIVIDUAL and ENTITY records, parsed with lxml (entities and network
  access disabled).
* **UK sanctions list CSVs** (covyr's normalised ``subjects.csv`` with
  ``subject_names.csv`` and ``subject_dobs.csv``): joined on ``unique_id``;
  the siblings are claimed like OFAC's.
* **EU FSF merged CSV** (FSF file joined with travel bans): rows grouped by
  entity logical id; names from the FSF name column and the ``nameAlias``
  records. ``Abbreviation_FSD_extract_program.xlsx`` (programme codes) is read
  with openpyxl into a ``reference`` document and, when it sits next to the
  FSF CSV, gives each entry its programme title.

* **UK OFSI regime PDFs** (numbered free-text entries), handed over by the
  PDF reader (:mod:`.ofsi`).

One module per list: :mod:`.eu_journal`, :mod:`.ofac`, :mod:`.un`, :mod:`.uk`,
:mod:`.eu_fsf`, :mod:`.ofsi`; :mod:`.common` holds the date and cell parsing
and the listing document they share. Importing this package registers every
list reader.

Dates become ISO strings (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) when they
parse, else stay as printed (``circa 1960``). Schemas are mapped to Person /
Organization / Vessel / Asset (aircraft and OpenSanctions assets are Asset).

This package does not match names across lists, resolve countries to codes,
or download lists; it reads files already on disk.
"""

from __future__ import annotations

from . import eu_fsf, eu_journal, ofac, uk, un  # noqa: F401  (registers the readers)
from .common import birth_dates, entry_text, iso_date, listing_date, split_multi
from .eu_fsf import programme_titles
from .eu_journal import eu_list_name
from .ofac import parse_ofac_remarks

__all__ = [
    "birth_dates", "entry_text", "eu_list_name", "iso_date", "listing_date", "parse_ofac_remarks",
    "programme_titles", "split_multi",
]

"""Sanctions-list readers: small hand-written files for behaviour, the real
lists (``corpus`` fixture) for counts, each counted independently here with
the standard library (csv / xml.etree), not with the reader's code."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nlp.ingest import ingest, read_path
from nlp.ingest.lists import birth_dates, eu_list_name, iso_date, parse_ofac_remarks, split_multi
from nlp.ingest.registry import ReadError, get

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LISTS = "sanctions_lists"

EU_HEADER = ("celex,recordId,programKey,annex,measure,startDate,reason,schema,name,alias,weakAlias,"
             "previousName,country,nationality,jurisdiction,birthDate,birthPlace,position,passportNumber,"
             "gender,appearance,ethnicity,fatherName,motherName,incorporationDate,legalForm,sector,"
             "registrationNumber,taxNumber,idNumber,innCode,ogrnCode,kppCode,okpoCode,leiCode,swiftBic,"
             "ticker,imoNumber,mmsi,flag,address,phone,email,website,notes")


def eu_row(**values: str) -> str:
    columns = EU_HEADER.split(",")
    out = []
    for column in columns:
        value = values.get(column, "")
        out.append('"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value)
    return ",".join(out)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


# -- pure helpers -------------------------------------------------------------

def test_dates_become_iso_or_stay_as_printed():
    assert iso_date("17.3.2014") == "2014-03-17"
    assert iso_date("29/06/2012") == "2012-06-29"
    assert iso_date("26 Feb. 2011") == "2011-02-26"
    assert iso_date("24 May 2026") == "2026-05-24"
    assert iso_date("Mar 1970") == "1970-03"
    assert iso_date("1971") == "1971"
    assert iso_date("31.2.2014") is None
    assert birth_dates(["18.1.1970 or 29.3.1965", "circa 1960"]) == ["1970-01-18", "1965-03-29", "circa 1960"]


def test_multi_value_cells_split_on_semicolons_keeping_quoted_values():
    assert split_multi('"Foo; Bar"; Baz') == ["Foo; Bar", "Baz"]
    assert split_multi("") == []


def test_celex_to_list_name_and_act():
    assert eu_list_name("32014R0269") == ("EU 269/2014", "Council Regulation (EU) No 269/2014")
    assert eu_list_name("32014R0833")[0] == "EU 833/2014"
    assert eu_list_name("32024R1745")[1] == "Council Regulation (EU) 2024/1745"


def test_ofac_remarks_give_dob_nationality_passport_imo():
    facts = parse_ofac_remarks("DOB 12 Mar 1970; nationality Russia; Passport 123456 (Russia); "
                               "Vessel Registration Identification IMO 9187629; a.k.a. 'IVAN'.")
    assert facts["dob"] == ["12 Mar 1970"]
    assert facts["nationality"] == ["Russia"]
    assert facts["passport"] == ["123456 (Russia)"]
    assert facts["imo"] == ["9187629"]
    assert facts["aka"] == ["IVAN"]


# -- readers on small files ----------------------------------------------------

def test_eu_journal_entries_document_and_cyrillic(tmp_path):
    path = write(tmp_path / "32014R0833.csv", "\n".join([
        EU_HEADER,
        eu_row(celex="32014R0833", recordId="1", programKey="EU-RUS", annex="IV", measure="Export control",
               startDate="12.9.2014", schema="LegalEntity", name="JSC Sirius",
               alias="Концерн «Сириус»; JSC Concern Sirius", innCode="7701234567"),
        eu_row(celex="32014R0833", recordId="1", programKey="EU-RUS", annex="XLII",
               measure="Transportation restrictions", startDate="24 May 2026", schema="Vessel",
               name="OCEAN STAR", imoNumber="9187629", flag="Cameroon"),
        eu_row(celex="32014R0833", programKey="EU-RUS", annex="V", measure="Financial restrictions",
               schema="LegalEntity", name="NO NUMBER BANK"),
    ]) + "\n")
    reader, result = read_path(path)
    assert reader.name == "eu-journal-csv"
    sirius, vessel, bank = result.listings
    assert sirius.list_name == "EU 833/2014" and sirius.legal_act == "Council Regulation (EU) No 833/2014"
    assert sirius.aliases == ["Концерн «Сириус»", "JSC Concern Sirius"]
    assert sirius.identifiers == {"inn": ["7701234567"]}
    assert sirius.listing_date == "2014-09-12" and sirius.programme == "EU-RUS"
    assert vessel.schema == "Vessel" and vessel.identifiers["imo"] == ["9187629"]
    assert vessel.listing_date == "2026-05-24"
    # same recordId in two annexes, and an entry without one: ids stay distinct
    assert len({e.entry_id for e in result.listings}) == 3
    assert bank.source_id == "V/NO NUMBER BANK"
    [document] = result.documents
    assert document.kind == "listing"
    assert all(e.doc_id == document.doc_id for e in result.listings)
    entries = [b for b in document.blocks if b.kind == "entry"]
    assert [b.section for b in entries] == [f"entry {e.source_id}" for e in result.listings]
    assert "Концерн «Сириус»" in document.text[entries[0].start:entries[0].end]


def _ofac_folder(folder: Path) -> Path:
    write(folder / "sdn.csv",
          '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
          '100,"PETROV, Ivan",individual,"UKRAINE-EO13660] [RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
          '-0- ,"DOB 12 Mar 1970; nationality Russia; Passport 7123 (Russia); Gen"\r\n'
          '4234,"HERMANN",vessel,"CUBA",-0- ,"CL2685","General Cargo","2597","1098","Cuba",'
          '"Compania Navegacion Golfo S.A.","Vessel Registration Identification IMO 8983569."\r\n\x1a')
    write(folder / "alt.csv", '100,1,"aka","ПЕТРОВ, Иван",-0- \r\n100,2,"fka","PETROFF, Ivan",-0- \r\n')
    write(folder / "add.csv", '36,25,-0- ,"Havana","Cuba",-0- \r\n')
    write(folder / "sdn_comments.csv", '100,"der Male."\r\n')
    return folder / "sdn.csv"


def test_ofac_sdn_joins_siblings(tmp_path):
    reader, result = read_path(_ofac_folder(tmp_path / "ofac"))
    assert reader.name == "ofac-sdn-csv"
    airline, person, vessel = result.listings
    assert airline.schema == "Organization" and airline.extra["addresses"] == ["Havana, Cuba"]
    assert person.schema == "Person" and person.source_id == "100"
    assert person.aliases == ["ПЕТРОВ, Иван", "PETROFF, Ivan"]
    assert person.birth_dates == ["1970-03-12"] and person.nationalities == ["Russia"]
    assert person.identifiers["passport"] == ["7123 (Russia)"]
    assert person.extra["gender"] == ["Male"]  # remark continued in sdn_comments.csv
    assert person.programme == "UKRAINE-EO13660; RUSSIA-EO14024"
    assert vessel.schema == "Vessel" and vessel.identifiers["imo"] == ["8983569"]
    assert vessel.extra["flag"] == "Cuba"


def test_ofac_folder_ingests_without_failures_or_double_counts(tmp_path, store):
    folder = tmp_path / "ofac"
    _ofac_folder(folder)
    summary = ingest([folder], store)
    assert summary.failed == 0, summary.failures
    assert summary.listings == 3
    readers = {Path(f["path"]).name: f["reader"] for f in summary.per_file}
    assert readers["alt.csv"] == readers["add.csv"] == readers["sdn_comments.csv"] == "ofac-sdn-part"
    names = {e.name for e in store.listings("OFAC SDN")}
    assert "PETROV, Ivan" in names


UN_XML = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
 <INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>IVAN</FIRST_NAME><SECOND_NAME>PETROV</SECOND_NAME>
  <UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.001</REFERENCE_NUMBER><LISTED_ON>2016-03-02</LISTED_ON>
  <COMMENTS1>Why listed.</COMMENTS1><NAME_ORIGINAL_SCRIPT>Иван Петров</NAME_ORIGINAL_SCRIPT>
  <NATIONALITY><VALUE>Russian Federation</VALUE></NATIONALITY>
  <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Vanya</ALIAS_NAME></INDIVIDUAL_ALIAS>
  <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Big Ivan</ALIAS_NAME></INDIVIDUAL_ALIAS>
  <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-03-12</DATE></INDIVIDUAL_DATE_OF_BIRTH>
  <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>P123</NUMBER></INDIVIDUAL_DOCUMENT>
 </INDIVIDUAL></INDIVIDUALS>
 <ENTITIES><ENTITY><DATAID>2</DATAID><FIRST_NAME>ACME TRADING</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
  <REFERENCE_NUMBER>KPe.001</REFERENCE_NUMBER><LISTED_ON>2017-08-05</LISTED_ON></ENTITY></ENTITIES>
</CONSOLIDATED_LIST>"""


def test_un_consolidated_individuals_and_entities(tmp_path):
    reader, result = read_path(write(tmp_path / "un.xml", UN_XML))
    assert reader.name == "un-consolidated-xml"
    person, entity = result.listings
    assert person.name == "IVAN PETROV" and person.schema == "Person"
    assert person.aliases == ["Иван Петров", "Vanya", "Big Ivan"]
    assert person.extra["weak_aliases"] == ["Big Ivan"]
    assert person.birth_dates == ["1970-03-12"] and person.nationalities == ["Russian Federation"]
    assert person.identifiers == {"un_reference": ["KPi.001"], "passport": ["P123"]}
    assert person.programme == "DPRK" and person.listing_date == "2016-03-02"
    assert person.reason == "Why listed."
    assert entity.schema == "Organization" and entity.source_id == "2"
    assert result.documents[0].published == "2026-02-27"


def test_uk_subjects_join_names_and_dobs(tmp_path, store):
    folder = tmp_path / "uk"
    write(folder / "subjects.csv", "unique_id,subject_type,un_reference_number,ofsi_group_id,date_designated,"
          "last_updated\nRUS0001,individual,,14000,15/03/2022,16/04/2026\nRUS0002,ship,,14001,01/02/2023,"
          "01/02/2023\n")
    write(folder / "subject_names.csv", "name_id,unique_id,name_type,alias_strength,full_name,name_6,name_1,"
          "name_2,name_3,name_4,name_5\n1,RUS0001,primary,,Ivan PETROV,,,,,,\n2,RUS0001,alias,"
          "low_quality_aka,Vanya,,,,,,\n3,RUS0001,primary_variation,,Иван ПЕТРОВ,,,,,,\n"
          "4,RUS0002,primary,,OCEAN STAR,,,,,,\n")
    write(folder / "subject_dobs.csv", "dob_id,unique_id,year,month,day,precision,parse_issues\n"
          "1,RUS0001,1970,03,12,exact,\n2,RUS0001,1971,,,year_only,\n")
    summary = ingest([folder], store)
    assert summary.failed == 0, summary.failures
    assert summary.listings == 2
    person, ship = sorted(store.listings("UK sanctions list"), key=lambda e: e.source_id)
    assert person.name == "Ivan PETROV" and person.aliases == ["Vanya", "Иван ПЕТРОВ"]
    assert person.birth_dates == ["1970-03-12", "1971"] and person.listing_date == "2022-03-15"
    assert person.programme == "RUS" and ship.schema == "Vessel"


def test_fsf_groups_rows_by_entity(tmp_path):
    header = ('"","Entity_logical_id...2","Subject_type","Leba_numtitle","Leba_publication_date","Leba_url",'
              '"Programme","Entity_remark","Naal_wholename","Birt_date","EU_ref_num","logicalId","remark",'
              '"nameAlias","nameAlias.wholeName","birthdate.year","citizenship.countryDescription","type"')
    rows = [
        '"1",13,"P","269/2014 (OJ L78)",2014-03-17,NA,"UKR",NA,"Ivan Petrov",1970-03-12,"EU.1.1",NA,NA,'
        '"[{\'wholeName\': \'Иван Петров\', \'function\': \'Minister\'}]",NA,NA,NA,"financial sanction"',
        '"2",13,"P","269/2014 (OJ L78)",2014-03-17,NA,"UKR",NA,"Vanya Petrov",NA,"EU.1.1",NA,NA,NA,NA,NA,NA,'
        '"financial sanction"',
        '"3",NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,7031,"Date of listing: 2012-05-03",NA,"Tomas DJASSI",1968,'
        '"GUINEA-BISSAU","travel ban"',
    ]
    reader, result = read_path(write(tmp_path / "merged_fsf.csv", "\n".join([header, *rows]) + "\n"))
    assert reader.name == "eu-fsf-csv"
    ivan, tomas = result.listings
    assert ivan.source_id == "13" and ivan.aliases == ["Иван Петров", "Vanya Petrov"]
    assert ivan.birth_dates == ["1970-03-12"] and ivan.listing_date == "2014-03-17"
    assert ivan.legal_act == "269/2014 (OJ L78)" and ivan.programme == "UKR"
    assert tomas.source_id == "7031" and tomas.listing_date == "2012-05-03"
    assert tomas.nationalities == ["GUINEA-BISSAU"] and tomas.birth_dates == ["1968"]


# -- broken input -------------------------------------------------------------

def test_wrong_columns_give_read_error(tmp_path):
    bad = write(tmp_path / "32014R0269.csv", EU_HEADER + "\n32014R0269,1,EU-UKR\n")
    with pytest.raises(ReadError, match="row 2 has 3 fields"):
        read_path(bad)
    with pytest.raises(ReadError, match="fields, expected 12"):
        read_path(write(tmp_path / "ofac" / "sdn.csv", "1,2,3\n"))


def test_empty_and_undecodable_give_read_error(tmp_path):
    eu = get("eu-journal-csv")
    with pytest.raises(ReadError, match="empty"):
        eu.read(tmp_path / "x.csv", b"")
    with pytest.raises(ReadError, match="undecodable|no rows|missing columns"):
        eu.read(tmp_path / "x.csv", bytes(range(256)) * 50)
    with pytest.raises(ReadError, match="invalid XML"):
        get("un-consolidated-xml").read(tmp_path / "un.xml", b"<CONSOLIDATED_LIST><INDIVIDUALS>")
    with pytest.raises(ReadError):
        get("eu-fsf-programmes").read(tmp_path / "Abbreviation_program.xlsx", b"PK\x03\x04 not a zip")


def test_broken_sibling_costs_its_facts_not_the_list(tmp_path, store):
    folder = tmp_path / "ofac"
    _ofac_folder(folder)
    write(folder / "alt.csv", "100,1\n")  # wrong field count
    summary = ingest([folder], store)
    assert summary.listings == 3
    assert [Path(f["path"]).name for f in summary.failures] == ["alt.csv"]
    assert "expected 5" in summary.failures[0]["reason"]
    _, result = read_path(folder / "sdn.csv")
    assert "alt.csv" in result.documents[0].meta["sibling_errors"]


def test_sibling_without_main_file_is_a_reference_not_a_failure(tmp_path):
    reader, result = read_path(write(tmp_path / "alt.csv", '100,1,"aka","X",-0- \r\n'))
    assert reader.name == "ofac-sdn-part"
    assert not result.listings and result.documents[0].kind == "reference"
    assert result.documents[0].meta["merged"] is False


# -- the real lists -----------------------------------------------------------

def _csv_dicts(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name, rows_in_provenance", [("32014R0269.csv", 2802), ("32014R0833.csv", 1746)])
def test_eu_journal_counts_match_the_csv(corpus, name, rows_in_provenance):
    path = corpus / LISTS / "opensanctions_eu_journal" / name
    rows = _csv_dicts(path)  # counted with csv.DictReader: one entry per data row
    _, result = read_path(path)
    assert len(result.listings) == len(rows) == rows_in_provenance
    assert len({e.entry_id for e in result.listings}) == len(rows)
    assert len(result.documents[0].blocks) == len(rows) + 1  # title + one block per entry
    # every Cyrillic alias cell survives as a Cyrillic alias
    cyrillic_rows = sum(1 for r in rows if CYRILLIC.search(r["alias"] + r["weakAlias"] + r["previousName"]))
    assert sum(1 for e in result.listings if any(CYRILLIC.search(a) for a in e.aliases)) == cyrillic_rows
    assert cyrillic_rows > 0


def test_ofac_sdn_counts_match_the_csv(corpus):
    folder = corpus / LISTS / "ofac_sdn_moov_watchman"
    with (folder / "sdn.csv").open(encoding="utf-8", newline="") as handle:
        # csv.reader rows with the 12 SDN fields (the last line is a lone DOS EOF byte)
        rows = [r for r in csv.reader(handle) if len(r) == 12]
    names = {r[0]: r[1] for r in rows}
    with (folder / "alt.csv").open(encoding="utf-8", newline="") as handle:
        # entries with an alt.csv name that differs from the primary name
        with_alias = {r[0] for r in csv.reader(handle) if len(r) == 5 and r[3] != names.get(r[0])}
    _, result = read_path(folder / "sdn.csv")
    assert len(result.listings) == len(rows) == 8976
    assert {e.source_id for e in result.listings if e.aliases} >= with_alias
    by_id = {e.source_id: e for e in result.listings}
    assert sum(1 for r in rows if "DOB " in r[11]) <= sum(1 for e in result.listings if e.birth_dates)
    assert sum(1 for r in rows if r[2].strip() == "vessel") == sum(1 for e in by_id.values() if e.schema == "Vessel")


def test_un_consolidated_counts_match_the_xml(corpus):
    path = corpus / LISTS / "un_consolidated_moov_watchman.xml"
    root = ET.parse(path).getroot()  # stdlib parser, counting elements
    individuals, entities = len(root.findall("INDIVIDUALS/INDIVIDUAL")), len(root.findall("ENTITIES/ENTITY"))
    _, result = read_path(path)
    schemas = [e.schema for e in result.listings]
    assert (schemas.count("Person"), schemas.count("Organization")) == (individuals, entities) == (730, 273)


def test_uk_counts_match_the_csv(corpus):
    folder = corpus / LISTS / "uk" / "uk_sanctions_list_covyr"
    subjects = {r["unique_id"] for r in _csv_dicts(folder / "subjects.csv")}  # distinct ids
    with_dob = {r["unique_id"] for r in _csv_dicts(folder / "subject_dobs.csv")}
    _, result = read_path(folder / "subjects.csv")
    assert {e.source_id for e in result.listings} == subjects and len(subjects) == 6046
    assert {e.source_id for e in result.listings if e.birth_dates} == with_dob


def test_fsf_counts_match_the_csv(corpus):
    path = corpus / LISTS / "eu_fsf_simonabisiani" / "merged_fsf_travelbans_20220913.csv"
    rows = _csv_dicts(path)
    # one entry per FSF entity logical id; travel-ban-only rows have only their own logicalId
    ids = {r["Entity_logical_id...2"] if r["Entity_logical_id...2"] != "NA" else r["logicalId"] for r in rows}
    ids.discard("NA")
    _, result = read_path(path)
    assert {e.source_id for e in result.listings} == ids
    ukr = next(e for e in result.listings if e.programme == "UKR")
    assert ukr.extra.get("programme_title") == "UKRAINE"  # from the abbreviation workbook next to it


def test_programme_abbreviations_are_a_reference_table(corpus):
    path = corpus / LISTS / "eu_fsf_simonabisiani" / "Abbreviation_FSD_extract_program.xlsx"
    reader, result = read_path(path)
    assert reader.name == "eu-fsf-programmes"
    [document] = result.documents
    table = next(b for b in document.blocks if b.kind == "table").table
    assert ["RUS", "RUSSIA"] in table and document.kind == "reference"


@pytest.mark.slow
def test_real_ofac_and_uk_folders_ingest_once(corpus, store):
    folders = [corpus / LISTS / "ofac_sdn_moov_watchman", corpus / LISTS / "uk" / "uk_sanctions_list_covyr"]
    summary = ingest(folders, store)
    assert summary.failed == 0, summary.failures
    assert summary.listings == 8976 + 6046

"""Coverage-guided fuzzing of the readers and extractors with atheris (libFuzzer).

Longer runs than the hypothesis suite (``tests/fuzz``): atheris mutates inputs
towards new code paths. The first input byte picks the target: a reader
(the bytes are written under a file name that reader sniffs, then read by
``read_path`` in this process) or an extractor (the rest decoded as text,
lone surrogates allowed). A target may refuse input with ReadError; any other
exception is a finding, and so is a case over ``--case-seconds`` (reported as
a timeout by libFuzzer's ``-timeout``).

    pip install -e ".[fuzz]"        # atheris, optional
    python scripts/fuzz_atheris.py -atheris_runs=20000 -timeout=20 corpus_dir/

Extra arguments go to libFuzzer (``-max_len``, ``-jobs``, a corpus folder to
grow). Seeds: ``--seed-dir`` writes the smallest corpus file of each reader
family (from $SANCTIONS_SHARED/corpus) into a folder to start from.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# File names the readers sniff on, one per target byte.
READER_NAMES = (
    "article.txt", "news.md", "records.jsonl", "records.json", "page.html", "act.xml",
    "doc.pdf", "sdn.csv", "subjects.csv", "un_consolidated.xml", "merged_fsf.csv", "32014R0833.csv",
    "Abbreviation_FSD_extract_program.xlsx", "trade.xlsx", "trade.xls", "codes.csv", "datapackage.json",
)
EXTRACTORS = ("dates-en", "dates-ru", "hs-en", "hs-ru", "citations-en", "citations-ru", "entity-rules",
              "entities-en", "entities-ru")
REFERENCE = dt.date(2024, 6, 7)


def _extract(name: str, text: str) -> None:
    from nlp.extract.citations import find_citations
    from nlp.extract.dates import find_dates
    from nlp.extract.entities import find_entities, find_rule_entities
    from nlp.extract.hs_codes import find_hs_codes

    kind, _, lang = name.partition("-")
    if kind == "dates":
        find_dates(text, lang, REFERENCE)
    elif kind == "hs":
        find_hs_codes(text, lang)
    elif kind == "citations":
        find_citations(text, lang)
    elif kind == "entity":
        find_rule_entities(text)
    else:
        find_entities(text, lang)


def make_target(folder: Path):
    from nlp.ingest import load_readers, read_path
    from nlp.ingest.registry import ReadError

    load_readers()

    def test_one_input(data: bytes) -> None:
        if not data:
            return
        pick, body = data[0], data[1:]
        targets = len(READER_NAMES) + len(EXTRACTORS)
        index = pick % targets
        if index < len(READER_NAMES):
            path = folder / READER_NAMES[index]
            path.write_bytes(body)
            try:
                read_path(path, body)
            except ReadError as exc:
                reason = str(exc)
                if "\n" in reason or len(reason) > 300:
                    raise AssertionError(f"reason not one bounded line: {reason[:200]!r}") from None
        else:
            _extract(EXTRACTORS[index - len(READER_NAMES)], body.decode("utf-8", "surrogateescape"))

    return test_one_input


def write_seeds(folder: Path) -> None:
    from nlp import settings
    from nlp.fuzzing import seed_files

    folder.mkdir(parents=True, exist_ok=True)
    for family, name, data in seed_files(settings.corpus_dir()):
        suffix = Path(name).suffix.lower()
        matches = [i for i, n in enumerate(READER_NAMES) if n == name or Path(n).suffix == suffix]
        if matches:
            (folder / f"{family}{suffix}").write_bytes(bytes([matches[0]]) + data)


def main() -> None:
    if "--seed-dir" in sys.argv:
        index = sys.argv.index("--seed-dir")
        write_seeds(Path(sys.argv[index + 1]))
        return
    try:
        import atheris
    except ImportError:
        sys.exit("atheris is not installed: pip install -e '.[fuzz]'")
    os.environ.setdefault("SANCTIONS_READ_ISOLATION", "off")
    with tempfile.TemporaryDirectory(prefix="atheris-") as folder:
        with atheris.instrument_imports():
            import nlp.extract.citations
            import nlp.extract.dates
            import nlp.extract.entities
            import nlp.extract.hs_codes
            import nlp.ingest  # noqa: F401
        atheris.Setup(sys.argv, make_target(Path(folder)))
        atheris.Fuzz()


if __name__ == "__main__":
    main()

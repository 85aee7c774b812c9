"""Structure the EU-act readers find in every HTML/XML file under
``corpus/eu_regulations``, next to counts taken straight from the raw files
(regular expressions / XPath, independent of the reader), and the time of a
warm read (second read of the file, so one-off imports are not counted).

Usage: ``python scripts/report_eurlex_structure.py`` (prints a Markdown table).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import settings  # noqa: E402
from nlp.ingest import read_path  # noqa: E402


def raw_counts(path: Path) -> dict[str, int]:
    """Counts from the raw file: articles, recitals, annexes, tables."""
    if path.suffix == ".xml":
        from lxml import etree

        root = etree.parse(str(path)).getroot()
        return {"articles": len(root.xpath("//ARTICLE[not(ancestor::QUOT.S)]")),
                "recitals": len(root.xpath("//CONSID")),
                "annexes": len(root.xpath("//ANNEX|//CONS.ANNEX")),
                "tables": len(root.xpath("//TBL[not(ancestor::QUOT.S)]"))}
    raw = path.read_text(encoding="utf-8", errors="replace")
    act = raw[raw.find('id="art_1"'):] if 'id="art_1"' in raw else raw
    articles = len(re.findall(r'id="art_\d+"', raw)) or len(re.findall(
        r'class="(?:oj-)?ti-art"|class="title-article-norm"', act))
    recitals = len(re.findall(r'id="rct_\d+"', raw))
    if not recitals:
        preamble = raw[:raw.find("ADOPTED")]
        recitals = len(re.findall(r'<p class="(?:normal|norm)">\s*\(\d+\)\s*</p>', preamble))
    annexes = len(re.findall(r'class="title-annex-1"|class="(?:oj-)?doc-ti"[^>]*>\s*ANNEX', raw))
    tables = len(re.findall(r'class="borderOj"|class="(?:oj-)?table"', raw))
    return {"articles": articles, "recitals": recitals, "annexes": annexes, "tables": tables}


def main() -> None:
    base = settings.corpus_dir() / "eu_regulations"
    files = sorted(p for p in base.rglob("*") if p.suffix in (".html", ".xml"))
    if not files:
        sys.exit(f"no HTML/XML files under {base}")
    print("| file | reader | chars | blocks | articles (raw) | recitals (raw) | annexes (raw) | tables (raw) |"
          " footnotes | celex | published | read s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for path in files:
        read_path(path)  # warm: the first call pays one-off imports (lxml, dateparser, langid)
        start = time.perf_counter()
        reader, result = read_path(path)
        seconds = time.perf_counter() - start
        doc = result.documents[0]
        heads = {b.section for b in doc.blocks if b.kind == "heading" and b.section}
        articles = sum(1 for b in doc.blocks if b.kind == "heading" and b.section and "Article" in b.section
                       and doc.text[b.start:b.end].split("\n")[0].lstrip("‘'").split()[0] in
                       ("Article", "Artikel"))
        recitals = len({b.section for b in doc.blocks if b.kind == "recital"})
        annexes = len({s.split(",")[0] for s in heads if s.startswith("Annex")})
        tables = sum(b.kind == "table" and b.section != "amended by" for b in doc.blocks)
        footnotes = sum(b.kind == "footnote" for b in doc.blocks)
        raw = raw_counts(path)
        print(f"| {path.name} | {reader.name} | {len(doc.text):,} | {len(doc.blocks)} | {articles} ({raw['articles']})"
              f" | {recitals} ({raw['recitals']}) | {annexes} ({raw['annexes']}) | {tables} ({raw['tables']})"
              f" | {footnotes} | {doc.meta.get('celex')} | {doc.published} | {seconds:.2f} |")


if __name__ == "__main__":
    main()

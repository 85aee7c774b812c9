"""Write corpus/sources.jsonl from the shared corpus and its PROVENANCE.md.

    python scripts/build_sources_manifest.py [--corpus DIR] [--out corpus/sources.jsonl]

One line per corpus file (path, sha256, size, licence, repository/commit/url,
derived). Lines already in the output with ``"sample": true`` (project-written
samples under corpus/samples/) are kept as they are, after the corpus lines.
Prints a one-line summary: entries, downloadable by URL, derived (mirror only).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import settings  # noqa: E402
from nlp.corpus import build_manifest, read_manifest, write_manifest  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None,
                        help="shared corpus folder (default: $SANCTIONS_SHARED/corpus)")
    parser.add_argument("--out", type=Path, default=settings.REPO_ROOT / "corpus" / "sources.jsonl")
    args = parser.parse_args(argv)
    corpus = args.corpus or settings.corpus_dir()
    if not (corpus / "PROVENANCE.md").is_file():
        print(f"error: no PROVENANCE.md in {corpus}", file=sys.stderr)
        return 2
    entries = build_manifest(corpus)
    samples = [e for e in read_manifest(args.out) if e.get("sample")] if args.out.is_file() else []
    count = write_manifest([*entries, *samples], args.out)
    downloadable = sum(1 for e in entries if e.get("url") and not e.get("derived"))
    derived = sum(1 for e in entries if e.get("derived"))
    print(f"{count} entries written to {args.out} ({len(entries)} corpus files: {downloadable} downloadable "
          f"by URL, {derived} derived/mirror only; {len(samples)} project samples kept)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

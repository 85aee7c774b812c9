"""Hostile inputs for the fuzzing suite and the fuzzing scripts.

What it does: picks small seed files per reader family from a corpus folder
(:func:`seed_files`), mutates bytes the way damaged or hostile files look
(:func:`mutate`: flipped bytes, cuts, repeated or spliced chunks, hostile
runs; members of zip containers are mutated inside the container so the
parsers behind the zip layer are reached), generates hostile files from
scratch (:func:`generated_files`) and hostile strings for the extractors
(:data:`HOSTILE_UNITS`, :func:`hostile_text`). :func:`check_file` reads one
file in the killable reader worker and classifies the outcome:

* ``ok`` - read;
* ``failed`` - refused with a one-line, bounded reason (the expected answer
  to a broken file);
* ``crashed`` - the reader process died, or the reason is not one bounded line;
* ``over_limit`` - the per-file time or memory limit ran out.

:func:`time_limit` bounds one in-process case (an extractor call) with a
timer signal. The suite (``tests/fuzz``), ``scripts/fuzz_report.py`` and
``scripts/fuzz_atheris.py`` share these pieces.

What it does not do: decide what counts as a pass (the tests and the report
do), or touch the store.
"""

from __future__ import annotations

import contextlib
import io
import random
import signal
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Characters and runs that have made text tools slow or crash: brackets and
# quotes (tokenizer affixes), capitalised and dotted runs (name rules), years,
# control and zero-width characters, lone surrogates, right-to-left marks.
HOSTILE_UNITS = (
    "(", ")", '"', "'", "«", "»", "“", "[", "{", "<", "A", "Aa ", "A.", "A. ", "Aa-", "2023 ", "2023-",
    "1 января ", "first quarter ", "Article 1 ", "HS 8542 ", "8542.", "ООО ", "No. ", "—", "-", ". ",
    "\n", "\t", "\x00", "\x07", "\x1b[31m", "\u200b", "\u200c", "\u200d", "\ufeff", "\u202e", "\u00ad",
    "\ud800", "\udc80", "\U0001F600", "字", "ا", "x" * 40, "&amp;", "[/bold]", "%s", "{0}",
)
WORDS = ("Kazakhstan", "Russia", "exports", "rose", "in", "2023", "Bank", "of", "Ministry", "Defence",
         "ООО", "«Ромашка»", "экспорт", "в", "году", "HS", "8542", "Regulation", "(EU)", "No", "833/2014",
         "Kontron", "AG", "January", "Q3", "JSC", "Rosneft", "the", "EU", "Commerce", "Department")
FAMILY_SEED_BYTES = 64 * 1024
BINARY_SEED_MAX = 600 * 1024
_BINARY_SUFFIXES = {".xlsx", ".xls", ".pdf"}


@dataclass(frozen=True)
class Outcome:
    kind: str  # ok | failed | crashed | over_limit
    reason: str | None = None
    reader: str | None = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "reason": self.reason, "reader": self.reader}


# -- seeds ------------------------------------------------------------------------------

def seed_files(corpus: Path, per_family: int = 1) -> list[tuple[str, str, bytes]]:
    """(reader family, file name, bytes) for the smallest files of each family.

    Text formats are cut to their first 64 KiB at a line end (cutting is a
    mutation readers meet anyway); binary containers are taken whole up to
    600 KiB. File names are kept, since several readers sniff them."""
    from .ingest import load_readers, walk
    from .ingest.registry import HEAD_BYTES, pick

    load_readers()
    families: dict[str, list[tuple[int, Path]]] = {}
    for path in walk([corpus]):
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
        chosen = pick(path, head)
        if chosen is None:
            continue
        size = path.stat().st_size
        if path.suffix.lower() in _BINARY_SUFFIXES and size > BINARY_SEED_MAX:
            continue
        families.setdefault(chosen.name, []).append((size, path))
    seeds = []
    for family, found in sorted(families.items()):
        for _, path in sorted(found)[:per_family]:
            data = path.read_bytes()
            if data[:5] == b"%PDF-":
                data = first_page(data)
            elif path.suffix.lower() not in _BINARY_SUFFIXES and len(data) > FAMILY_SEED_BYTES:
                cut = data.rfind(b"\n", 0, FAMILY_SEED_BYTES)
                data = data[:cut + 1 if cut > 0 else FAMILY_SEED_BYTES]
            seeds.append((family, path.name, data))
    return seeds


def first_page(data: bytes) -> bytes:
    """A PDF holding only the first page of ``data`` (small seeds fuzz faster)."""
    import pypdfium2 as pdfium

    try:
        source = pdfium.PdfDocument(data)
        target = pdfium.PdfDocument.new()
        target.import_pages(source, [0])
        out = io.BytesIO()
        target.save(out)
        return out.getvalue()
    except Exception:  # pdfium's own error kinds: keep the file as it is
        return data


# -- mutations ----------------------------------------------------------------------------

def _mutate_bytes(data: bytes, rng: random.Random, rounds: int) -> bytes:
    out = bytearray(data)
    for _ in range(rounds):
        if not out:
            out.extend(rng.choice(HOSTILE_UNITS).encode("utf-8", "surrogatepass"))
            continue
        op = rng.randrange(8)
        at = rng.randrange(len(out))
        if op == 0:  # flip bytes
            for _ in range(rng.randint(1, 8)):
                out[rng.randrange(len(out))] = rng.randrange(256)
        elif op == 1:  # cut the end
            del out[at:]
        elif op == 2:  # cut a piece out
            del out[at:at + rng.randint(1, 4096)]
        elif op == 3:  # repeat a chunk
            chunk = bytes(out[at:at + rng.randint(1, 256)])
            out[at:at] = chunk * rng.randint(2, 50)
        elif op == 4:  # a hostile run
            unit = rng.choice(HOSTILE_UNITS).encode("utf-8", "surrogatepass")
            out[at:at] = unit * rng.randint(1, 2000)
        elif op == 5:  # splice a chunk from elsewhere
            other = rng.randrange(len(out))
            out[at:at] = out[other:other + rng.randint(1, 512)]
        elif op == 6:  # interesting bytes
            out[at:at] = rng.choice([b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\"", b",", b";",
                                     b"<", b"]]>", b"&#0;", b"%PDF-", b"endobj", b"stream", b"\\"])
        else:  # swap two chunks
            other = rng.randrange(len(out))
            size = rng.randint(1, 64)
            a, b = bytes(out[at:at + size]), bytes(out[other:other + size])
            out[at:at + len(a)], out[other:other + len(b)] = b, a
    return bytes(out)


def mutate(data: bytes, rng: random.Random, rounds: int = 3) -> bytes:
    """A damaged version of ``data``; zip containers mostly keep their zip layer
    intact and have one member damaged, so the parsers behind it are reached."""
    if data[:2] == b"PK" and rng.random() < 0.8:
        try:
            source = zipfile.ZipFile(io.BytesIO(data))
            names = source.namelist()
            victim = rng.choice([n for n in names if n.endswith(".xml")] or names)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for name in names:
                    member = source.read(name)
                    if name == victim:
                        member = _mutate_bytes(member, rng, rounds)
                    target.writestr(name, member)
            return out.getvalue()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            pass
    return _mutate_bytes(data, rng, rounds)


# -- generated hostile files -------------------------------------------------------------

def generated_files(rng: random.Random) -> list[tuple[str, bytes]]:
    """Hostile files written from scratch: (file name, bytes)."""
    run = rng.randint(1000, 200_000)
    files = [
        ("deep.json", b"[" * run + b"]" * run),
        ("deep.jsonl", b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}\n"),
        ("long_line.txt", b"A" * run),
        ("quotes.csv", b'a,b,c\n"' + b'x' * run + b"\n"),
        ("fields.csv", b"a,b,c\n" + b"," * run + b"\n"),
        ("nested.html", b"<html><body>" + b"<div>" * 5000 + b"text" + b"</div>" * 5000 + b"</body></html>"),
        ("laughs.xml", b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                       b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
                       b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><CONSOLIDATED_LIST>&d;&d;&d;'
                       b"</CONSOLIDATED_LIST>"),
        ("xxe.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                    b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&e;</FIRST_NAME>"
                    b"</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"),
        ("ops.pdf", minimal_pdf(b"BT /F1 1 Tf " + b"(x) Tj " * rng.randint(1000, 50_000) + b"ET")),
        ("run.pdf", minimal_pdf(b"BT /F1 12 Tf 72 720 Td (" + b"A" * rng.randint(1000, 200_000) + b") Tj ET")),
        ("front.md", b"---\ntitle: " + b"[" * 2000 + b"\ndate: 99999-99-99\n---\n" + b"text\n"),
        ("bom.txt", b"\xef\xbb\xbf\xff\xfe" + "Экспорт \udc80".encode("utf-8", "surrogatepass") * 100),
    ]
    return files


def dense_pdf(lines: int = 70, chars: int = 250, pages: int = 1) -> bytes:
    """``pages`` pages of ``lines`` x ``chars`` tiny characters, all inside the
    page: under the preflight's per-page bound, yet slow for layout analysis
    (each character is an object)."""
    line = b"(" + b"x" * chars + b") Tj 0 -1 Td "
    return minimal_pdf(*[b"BT /F1 1 Tf 1 790 Td " + line * lines + b"ET"] * pages)


def minimal_pdf(*contents: bytes) -> bytes:
    """A minimal PDF with one page per content stream (Helvetica as F1)."""
    count = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for index, content in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * index))
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


# -- hostile strings -----------------------------------------------------------------------

def hostile_text(rng: random.Random, max_chars: int = 4000) -> str:
    """Mixed words, long runs, control, zero-width and surrogate characters, scripts."""
    parts: list[str] = []
    while sum(map(len, parts)) < rng.randint(1, max_chars):
        choice = rng.random()
        if choice < 0.4:
            parts.append(rng.choice(WORDS) + rng.choice(" \n,.;:"))
        elif choice < 0.7:
            parts.append(rng.choice(HOSTILE_UNITS) * rng.randint(1, 500))
        else:
            parts.append("".join(chr(rng.choice([rng.randrange(32, 0x2FF), rng.randrange(0x400, 0x4FF),
                                                 rng.randrange(0, 0x10FFFF)]))
                                 for _ in range(rng.randint(1, 20))))
    return "".join(parts)[:max_chars]


# -- running one case --------------------------------------------------------------------------

class CaseTimeout(BaseException):
    """One in-process fuzz case ran past its time limit (a BaseException, so
    the code under test cannot swallow it in an ``except Exception``)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`CaseTimeout` in this (main) thread after ``seconds``."""
    def expire(signum, frame):
        raise CaseTimeout(f"over the {seconds:g} s limit per case")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def reason_is_clean(reason: str) -> bool:
    from .ingest.reasons import MAX_REASON_CHARS

    return bool(reason) and "\n" not in reason and "\r" not in reason and len(reason) <= MAX_REASON_CHARS \
        and "Traceback" not in reason


def check_file(folder: Path, name: str, data: bytes, limits=None) -> Outcome:
    """Read ``data`` saved as ``folder/name`` in the reader worker; classify the outcome."""
    from .ingest.isolation import Limits, OverLimit, read_isolated
    from .ingest.reasons import one_line
    from .ingest.registry import ReadError

    limits = limits or Limits(seconds=30, memory_mb=1024)
    path = folder / name
    path.write_bytes(data)
    try:
        reader, _ = read_isolated(path, data, limits)
        return Outcome("ok", reader=reader.name)
    except OverLimit as exc:  # includes a worker ended by a signal at its memory limit
        return Outcome("over_limit", str(exc))
    except ReadError as exc:
        reason = str(exc)
        if "ended unexpectedly" in reason or "did not start" in reason or not reason_is_clean(reason):
            return Outcome("crashed", one_line(reason))
        return Outcome("failed", reason)
    except Exception as exc:  # noqa: BLE001 - anything escaping the worker protocol is a crash
        return Outcome("crashed", one_line(f"{type(exc).__name__}: {exc}"))
    finally:
        path.unlink(missing_ok=True)

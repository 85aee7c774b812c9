"""CELEX numbers of EU secondary law: built from an act's type, year and
number, and read back from names, references and ELI addresses.

A secondary act's CELEX number is sector ``3`` + the four-digit year + a type
letter (``R`` regulations, implementing and delegated ones too; ``D``
decisions; ``L`` directives) + the act's number padded to four digits:
Council Regulation (EU) No 833/2014 is ``32014R0833``. Which part of "a/b" is
the year follows EU numbering: regulations were "number/year" before 2015
("No 833/2014") and are "year/number" since ("2024/1745"); decisions and
directives put the year first ("2014/512/CFSP", "2009/65/EC"). Two-digit
years are 19xx from 50 up ("No 2658/87" -> 1987).

What it does not do: find citations in running text
(:mod:`nlp.extract.citations` does, with this module's :func:`build`), check
that a number exists on EUR-Lex, or handle sectors other than 3 beyond
recognising a well-formed number (:func:`is_celex`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

ActType = Literal["regulation", "decision", "directive"]

TYPE_LETTER: Final[dict[str, str]] = {"regulation": "R", "decision": "D", "directive": "L"}
LETTER_TYPE: Final[dict[str, str]] = {letter: kind for kind, letter in TYPE_LETTER.items()}

# Any sector: "32014R0833", "02014R0833", "32014R0833(01)".
_WELL_FORMED = re.compile(r"^[0-9][0-9]{4}[A-Z]{1,2}[0-9]{4}(\([0-9]+\))?$")
# "CELEX_32014R0833_EN.pdf", "CELEX:32014R0833"
_LABELLED = re.compile(r"\bCELEX[_:\s]*([0-9][0-9]{4}[A-Z]{1,2}[0-9]{4}[A-Z0-9()]*)", re.I)
# Year, letter and number standing alone in a reference: "2014R0833 — EN — 25.06.2024"
_EMBEDDED = re.compile(r"\b([0-9]{4})([RLD])([0-9]{4})\b")
_SECONDARY = re.compile(r"3(\d{4})([RDL])(\d{4})")
_ELI = re.compile(r"eli/(reg|dir|dec|reg_impl|dec_impl|reg_del|dir_impl|dir_del|dec_del)/(\d{4})/(\d+)", re.I)


@dataclass(frozen=True)
class Act:
    """A secondary act as its CELEX number names it."""

    year: int
    letter: str
    number: int

    @property
    def act_type(self) -> str:
        return LETTER_TYPE[self.letter]

    @property
    def celex(self) -> str:
        return f"3{self.year}{self.letter}{self.number:04d}"


def full_year(text: str) -> int:
    """``"2014"`` -> 2014, ``"87"`` -> 1987, ``"14"`` -> 2014."""
    year = int(text)
    if len(text) == 2:
        year += 1900 if year >= 50 else 2000
    return year


def type_letter(act_type: str) -> str | None:
    """The CELEX letter of an act type as written: "COUNCIL IMPLEMENTING
    REGULATION" -> ``R``, "Decision" -> ``D``; None when it names none."""
    words = act_type.lower()
    for kind, letter in TYPE_LETTER.items():
        if kind in words:
            return letter
    return None


def build(act_type: str, year: int | str, number: int | str) -> str:
    """``build("regulation", 2014, 833)`` -> ``"32014R0833"``; ``act_type`` is
    a bare type or a title's words ("COUNCIL DECISION")."""
    letter = TYPE_LETTER.get(act_type) or type_letter(act_type)
    if letter is None:
        raise ValueError(f"not a secondary-act type: {act_type!r}")
    return f"3{int(year)}{letter}{int(number):04d}"


def from_number(act_type: str, number: str) -> str | None:
    """CELEX of an act from its type and number as printed: ("REGULATION",
    "2023/956") -> ``32023R0956``, ("COUNCIL REGULATION", "833/2014") ->
    ``32014R0833``; None when the number is not "a/b"."""
    parts = number.split("/")
    if len(parts) < 2:
        return None
    first, second = parts[0], parts[1]
    year, seq = (first, second) if len(first) == 4 else (second, first)
    if not (seq.isdigit() and year.isdigit()):
        return None
    return f"3{full_year(year)}{type_letter(act_type) or 'R'}{int(seq):04d}"


def from_eli(eli: str) -> str | None:
    """CELEX of an ELI address: ``.../eli/reg_impl/2024/1746/oj`` -> ``32024R1746``."""
    m = _ELI.search(eli)
    if not m:
        return None
    letter = {"reg": "R", "dir": "L", "dec": "D"}[m[1].lower().split("_")[0]]
    return f"3{m[2]}{letter}{int(m[3]):04d}"


def labelled_in(text: str) -> str | None:
    """A number marked as CELEX in a file name or text ("CELEX_32014R0833_EN")."""
    m = _LABELLED.search(text)
    return m.group(1).upper() if m else None


def embedded_in(text: str) -> str | None:
    """The secondary act named in a reference such as a consolidated
    version's "2014R0833 — EN — 25.06.2024" -> ``32014R0833``."""
    m = _EMBEDDED.search(text)
    return f"3{m[1]}{m[2]}{m[3]}" if m else None


def parse(celex: str) -> Act | None:
    """``"32014R0269"`` -> ``Act(2014, "R", 269)``; None for anything else."""
    m = _SECONDARY.fullmatch(celex.strip().upper())
    return Act(int(m[1]), m[2], int(m[3])) if m else None


def is_celex(value: str) -> bool:
    """A well-formed CELEX number of any sector (``32014R0833``, ``32014R0833(01)``)."""
    return bool(_WELL_FORMED.match(value))

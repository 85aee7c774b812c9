"""Places that are sports teams: "Surrey 429-7", "CHICAGO 71 62 .534", "Essex beat Kent".

News wires write clubs by their town, county or state; in a sports report
those names are organisations (the CoNLL-2003 convention news taggers are
scored by), while a model trained on general text calls them places. This
module decides per document:

* a document is a sports report when its headline starts with a sport
  ("CRICKET - ...", "BASEBALL - ...") or sports words are dense in it;
* in such a document a place name (not a country: national sides stay
  places, as in "England captain") is a team where it stands in a score
  ("Surrey 429-7", "Cleveland 5 Boston 3"), a table row ("CHICAGO 71 62
  .534"), a fixture ("Derbyshire v Surrey") or next to a result verb
  ("Leicestershire beat Somerset"); every other mention of that name in the
  document, except after "in", "at" or "from" or as a dateline, is the team.

Unlabelled capitalised names in score lines with two or more scores, in
standings rows ("CLEVELAND 80 53 .602 -") and in fixture lines ("KANSAS
CITY AT DETROIT") are added as teams too.
It does not decide which sport, nor touch documents that are not sports
reports (a trade table "Kazakhstan 123.4" stays a place).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

_SPORTS = ("SOCCER|FOOTBALL|CRICKET|BASEBALL|BASKETBALL|TENNIS|GOLF|RUGBY|ICE HOCKEY|HOCKEY|"
           "CYCLING|ATHLETICS|MOTOR RACING|MOTORCYCLING|BOXING|SWIMMING|ROWING|SAILING|SKIING|"
           "HORSE RACING|SQUASH|BADMINTON|VOLLEYBALL|HANDBALL|SNOOKER|FORMULA ONE|NFL|NBA|NHL|"
           "AMERICAN FOOTBALL|AUSTRALIAN RULES|TABLE TENNIS|CHESS")
_HEADLINE = re.compile(rf"^\s*(?:{_SPORTS})\b[^\n]{{0,6}}[-:]", re.I)
_SPORTS_WORDS = re.compile(
    r"\b(?:innings|wickets?|halftime|half-time|goals?|scored|scorers?|standings|league|"
    r"championship|tournament|semifinals?|quarterfinals?|final|match(?:es)?|runs|points|"
    r"beat|beats|drew|defeated|won|lost|seed(?:ed)?|inning|homer(?:ed|s)?|pitcher|"
    r"striker|midfielder|goalkeeper|coach|season|fixtures?|play-?offs?|cup)\b", re.I)
_MIN_SPORTS_DENSITY = 0.03  # sports words per word

# A score right after the name: "429-7", "5", "71 62 .534"; not a dateline date.
_SCORE_AFTER = re.compile(r"[ \t]+(?!\d{4}-)\d{1,3}(?:-\d{1,3})?(?=[ \t\n]|$|,|;|\)|\.(?!\d))")
# A team's role nouns and result verbs after the name ("Surrey captain",
# "Essex reached 372"), and words that introduce a team before it
# ("played for Nice", "title rivals Essex").
_TEAM_AFTER = re.compile(
    r"^(?:[ \t]*['’]s)?[ \t]+(?:captain|coach|manager|skipper|all-rounder|batsman|bowler|opener|striker|"
    r"midfielder|defender|goalkeeper|keeper|pitcher|outfielder|need|needs|reached|closed|beat|beats|won|"
    r"lost|drew|scored|trailed|declared|collapsed|homered|rallied|edged|routed|thrashed|"
    r"lead|innings|bowlers|batsmen|fans|supporters)\b")
_TEAM_BEFORE = re.compile(r"\b(?:for|against|over|rivals|hopefuls|side|club|champions|leaders)[ \t]+$")
_LIST_JOIN = re.compile(r"^[ \t]*(?:,|and|or|&)[ \t]*(?:and[ \t]+)?$")
_FIXTURE = re.compile(r"^[ \t]+(?:v|vs\.?|beat|beats|drew[ \t]+with|lost[ \t]+to|defeated|"
                      r"edged|routed|thrashed|held)[ \t]+[A-Z]", re.M)
_FIXTURE_BEFORE = re.compile(r"(?:\bv|\bvs\.?|\bbeat|\bdrew[ \t]+with|\blost[ \t]+to|\bdefeated)[ \t]+$")
_PLACE_CUE_BEFORE = re.compile(r"\b(?:in|at|from|near|of)[ \t]+$", re.I)
_DATELINE_AFTER = re.compile(r"^[ \t]+\d{4}-\d\d-\d\d")
_SCORE_LINE_NAME = re.compile(r"(?:(?<=^)|(?<=, )|(?<=: )|(?<=; ))([A-Z][A-Za-z.'-]+(?:[ \t][A-Z][A-Za-z.'-]+){0,2})"
                              r"(?=[ \t]+\d{1,3}(?:-\d{1,3})?(?:[ \t]|$|,|\.(?!\d)))", re.M)
_NAME = r"[A-Z][A-Za-z.'-]*(?:[ \t][A-Z][A-Za-z.'-]*){0,2}"
# A standings row: a name and nothing but figures ("CLEVELAND 80 53 .602 -").
_STANDINGS_ROW = re.compile(
    rf"^[ \t]*(?P<a>{_NAME})(?:[ \t]+(?:\d+(?:\.\d+)?|\.\d+|\d+/\d+|-)){{2,}}[ \t]*$", re.M)
# A fixture line: "KANSAS CITY AT DETROIT", "Derby v Leeds".
_FIXTURE_LINE = re.compile(rf"^[ \t]*(?P<a>{_NAME})[ \t]+(?:at|AT|v|V|vs\.?|VS\.?)[ \t]+(?P<b>{_NAME})[ \t]*$", re.M)
_NOT_TEAMS = {"January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday",
              "Thursday", "Friday", "Saturday", "Sunday", "Jan", "Feb", "Mar", "Apr", "Jun",
              "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Round", "Group", "Game", "Week",
              "Day", "Race", "Stage", "Heat", "Division", "Innings", "Total", "Extras", "Fall",
              "Bowling", "Batting", "Overs", "Points", "Played", "Won", "Lost", "Drawn", "Note"}

E = TypeVar("E")


def is_sports_report(text: str) -> bool:
    if _HEADLINE.match(text):
        return True
    words = len(text.split())
    return words >= 30 and len(_SPORTS_WORDS.findall(text)) / words >= _MIN_SPORTS_DENSITY


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, line_end if line_end >= 0 else len(text)


def _team_context(text: str, start: int, end: int) -> bool:
    after = text[end:end + 40]
    before = text[max(0, start - 20):start]
    if _DATELINE_AFTER.match(after) or _PLACE_CUE_BEFORE.search(before):
        return False
    return bool(_SCORE_AFTER.match(after) or _FIXTURE.match(after) or _FIXTURE_BEFORE.search(before)
                or _TEAM_AFTER.match(after) or _TEAM_BEFORE.search(before))


def _listed_with_teams(text: str, places: list, teams: set[str]) -> set[str]:
    """Places in a coordinated list with a team ("Essex , Derbyshire and Surrey")."""
    more: set[str] = set()
    for left, right in zip(places, places[1:]):
        if _LIST_JOIN.match(text[left.end:right.start]):
            if left.text in teams and right.text not in teams:
                more.add(right.text)
            elif right.text in teams and left.text not in teams:
                more.add(left.text)
    return more


def relabel_teams(text: str, entities: list[E], *, is_country: Callable[[str], bool],
                  make: Callable[[int, int, str, str], E], add_unlabelled: bool = True) -> list[E]:
    """``entities`` with the place names that are teams relabelled ORG.

    Entities need ``start``, ``end``, ``text`` and ``label``; ``make`` builds
    a new one from (start, end, label, source); ``is_country`` tells national
    names, which stay places.
    """
    if not is_sports_report(text):
        return entities
    places = ("GPE", "LOC")
    candidates = [e for e in entities if e.label in places  # type: ignore[attr-defined]
                  and not is_country(e.text)]  # type: ignore[attr-defined]
    teams = {e.text for e in candidates if _team_context(text, e.start, e.end)}  # type: ignore[attr-defined]
    for _ in range(3):  # lists chain: "A , B and C" with only C in a score
        more = _listed_with_teams(text, candidates, teams)
        if not more:
            break
        teams |= more
    out: list[E] = []
    for e in entities:
        start, end, surface, label = e.start, e.end, e.text, e.label  # type: ignore[attr-defined]
        if label in places and surface in teams:
            before = text[max(0, start - 20):start]
            if not (_PLACE_CUE_BEFORE.search(before) or _DATELINE_AFTER.match(text[end:end + 40])):
                e = make(start, end, "ORG", "rule")
        out.append(e)
    if add_unlabelled:
        out.extend(_unlabelled_teams(text, out, is_country, make))
        out.sort(key=lambda e: e.start)  # type: ignore[attr-defined]
    return out


def _unlabelled_teams(text: str, entities: list[E], is_country: Callable[[str], bool],
                      make: Callable[[int, int, str, str], E]) -> list[E]:
    taken = sorted((e.start, e.end) for e in entities)  # type: ignore[attr-defined]
    found: list[E] = []
    for pattern in (_STANDINGS_ROW, _FIXTURE_LINE):
        for m in pattern.finditer(text):
            for group in ("a", "b"):
                if group not in pattern.groupindex:
                    continue
                start, end = m.start(group), m.end(group)
                surface = m.group(group)
                if surface.split()[0].capitalize() in _NOT_TEAMS or is_country(surface) \
                        or is_country(surface.title()):
                    continue
                if any(a < end and start < b for a, b in taken):
                    continue
                taken.append((start, end))
                found.append(make(start, end, "ORG", "rule"))
    for line in re.finditer(r"[^\n]+", text):
        names = list(_SCORE_LINE_NAME.finditer(line.group()))
        if len(names) < 2:
            continue
        for m in names:
            start, end = line.start() + m.start(1), line.start() + m.end(1)
            surface = m.group(1)
            if surface.split()[0] in _NOT_TEAMS or is_country(surface) or "." in surface[:3]:
                continue
            if any(a < end and start < b for a, b in taken):
                continue
            found.append(make(start, end, "ORG", "rule"))
    return found

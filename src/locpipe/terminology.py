"""Term extraction: words and names in the source articles that the glossary does not know yet.

:func:`suggest_terms` is pure: it takes unit texts and a glossary and returns ranked
:class:`TermSuggestion` objects; :func:`suggestions_to_csv` renders them as glossary rows.
Only :func:`project_texts` reads files.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from .errors import ConfigError
from .model import TermRule, UnitKind

if TYPE_CHECKING:
    from .glossary import Glossary
    from .project import Project

# Lowercase words that may stand inside a name, as in "Rafael van der Vaart".
NAME_PARTICLES = frozenset({"van", "de", "der", "den", "ten", "ter"})
_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*")  # "zo'n" is one word, apostrophe or quote mark
_SENTENCE_END = re.compile(r"[.!?…]")
_CONTEXT = 30  # characters of context either side of the example


class TermKind(StrEnum):
    """What sort of candidate a suggestion is; the order is the order of usefulness."""

    NAME = "name"  # several capitalised words: Keir Starmer, New York Times
    ACRONYM = "acronym"  # ATACMS, HIMARS
    WORD = "word"  # one capitalised word seen inside sentences: Oekraïne


@dataclass(frozen=True, slots=True)
class TermSuggestion:
    """A candidate glossary term with how often it was seen and one example of it."""

    term: str
    kind: TermKind
    count: int
    context: str  # the first occurrence with some text around it
    where: str  # where that occurrence is, as the caller named it

    @property
    def rule(self) -> TermRule:
        """The suggested rule: names and acronyms are usually kept as they are."""
        return TermRule.TRANSLATE if self.kind is TermKind.WORD else TermRule.KEEP

    @property
    def note(self) -> str:
        """The glossary note: frequency and the example."""
        times = "time" if self.count == 1 else "times"
        return f'seen {self.count} {times}: "{self.context}"'


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    end: int
    gap: str  # the text between the previous word and this one
    initial: bool  # first word of a unit or of a sentence


@dataclass(slots=True)
class _Seen:
    kind: TermKind
    count: int
    context: str
    where: str


def stop_words_for(language: str) -> frozenset[str]:
    """The stop-word list the ``stop-words`` package maintains for a language (``nl``).

    >>> {"de", "het", "een", "door"} <= stop_words_for("nl")
    True
    """
    from stop_words import StopWordError, get_stop_words  # type: ignore[import-untyped]

    try:
        words: list[str] = get_stop_words(language.split("_")[0].split("-")[0])
    except StopWordError as exc:
        raise ConfigError(f"no stop-word list for the source language {language!r}") from exc
    return frozenset(word.casefold() for word in words)


def suggest_terms(
    texts: Iterable[tuple[str, str]],
    glossary: Glossary,
    *,
    stop_words: Collection[str] = frozenset(),
    min_count: int = 1,
    limit: int | None = None,
) -> list[TermSuggestion]:
    """Candidate terms in ``(text, where)`` pairs that the glossary does not cover, best first.

    Acronyms and multi-word names are suggested from ``min_count`` occurrences on.  A single
    capitalised word must recur (at least twice), be seen capitalised inside a sentence, never
    occur in lowercase and not be a stop word, so "Volgens" or "Het" at a sentence start are
    not terms.  Anything that contains a glossary term is left out.

    >>> from locpipe.glossary import Glossary
    >>> found = suggest_terms([("Premier Keir Starmer zag HIMARS bij Storm Shadow.", "a:1")],
    ...                       Glossary(), stop_words={"bij"})
    >>> [(s.term, s.kind.value, s.count) for s in found]
    [('HIMARS', 'acronym', 1), ('Keir Starmer', 'name', 1), ('Storm Shadow', 'name', 1)]
    """
    stops = {word.casefold() for word in stop_words}
    units = [(text, where, _tokens(text)) for text, where in texts]
    lowercase: set[str] = set()
    inside: set[str] = set()  # capitalised words seen other than at a sentence start
    for _, _, tokens in units:
        for token in tokens:
            if token.text[0].islower():
                lowercase.add(token.text)
            elif _capitalised(token.text) and not token.initial:
                inside.add(token.text)

    seen: dict[str, _Seen] = {}
    for text, where, tokens in units:
        for run in _runs(tokens):
            # A sentence's first word is capitalised anyway: it is part of a name only if it
            # is also capitalised elsewhere ("Volgens de New York Times" is "New York Times").
            while run and run[0].initial and _sentence_word(run[0].text, inside, stops, lowercase):
                run = run[1:]
            while run and run[0].text[0].islower():
                run = run[1:]
            if not run:
                continue
            if len(run) > 1:
                kind = TermKind.NAME
            elif _acronym(run[0].text):
                kind = TermKind.ACRONYM
            else:
                kind = TermKind.WORD
            start, end = run[0].start, run[-1].end
            term = " ".join(text[start:end].split())
            if term in seen:
                seen[term].count += 1
            else:
                seen[term] = _Seen(kind, 1, _context(text, start, end), where)

    suggestions = []
    for term, found in seen.items():
        needed = max(min_count, 2) if found.kind is TermKind.WORD else min_count
        if found.count < needed or glossary.find(term):
            continue
        if found.kind is TermKind.WORD and (
            term.casefold() in stops or term.lower() in lowercase or term not in inside
        ):
            continue
        suggestions.append(
            TermSuggestion(term, found.kind, found.count, found.context, found.where)
        )
    suggestions.sort(key=lambda s: (s.kind is TermKind.WORD, -s.count, s.term))
    return suggestions if limit is None else suggestions[:limit]


def suggestions_to_csv(suggestions: Iterable[TermSuggestion], languages: Sequence[str]) -> str:
    """Glossary CSV, header ``term,rule,<lang>...,note`` and one row per suggestion.

    >>> s = TermSuggestion("ATACMS", TermKind.ACRONYM, 2, "een tekort aan ATACMS", "a:3")
    >>> list(csv.reader(io.StringIO(suggestions_to_csv([s], ["en", "de"]))))[1]
    ['ATACMS', 'keep', '', '', 'seen 2 times: "een tekort aan ATACMS"']
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["term", "rule", *languages, "note"])
    for s in suggestions:
        writer.writerow([s.term, s.rule.value, *("" for _ in languages), s.note])
    return out.getvalue()


def project_texts(project: Project) -> Iterator[tuple[str, str]]:
    """Every unit text of the project's source articles with ``path:line``.

    Table-of-contents lines repeat their headings, so they are left out to count each once.
    """
    from .segment import segment_article

    for files in project.articles():
        article = segment_article(
            files.source.read_bytes(),
            path=files.reference,
            name=files.name,
            options=project.segment_options(files),
        )
        for unit in article.units:
            if unit.kind is not UnitKind.TOC:
                yield unit.text, f"{files.reference}:{unit.line}"


def _tokens(text: str) -> list[_Token]:
    """The words of a text, each knowing whether it starts a sentence."""
    tokens: list[_Token] = []
    previous = 0
    for match in _TOKEN.finditer(text):
        gap = text[previous : match.start()]
        initial = not tokens or bool(_SENTENCE_END.search(gap))
        tokens.append(_Token(match.group(), match.start(), match.end(), gap, initial))
        previous = match.end()
    return tokens


def _runs(tokens: list[_Token]) -> Iterator[list[_Token]]:
    """Runs of capitalised words separated by spaces (or a hyphen), with name particles inside.

    A particle belongs to a run only when another capitalised word follows it.  An acronym is
    a run of its own: in "om Oekraïne ATACMS-raketten te leveren" the two are not one name.
    """
    index = 0
    while index < len(tokens):
        if not _capitalised(tokens[index].text):
            index += 1
            continue
        run = [tokens[index]]
        index += 1
        while index < len(tokens) and not _acronym(run[0].text):
            ahead = index
            while (
                ahead < len(tokens)
                and tokens[ahead].text.lower() in NAME_PARTICLES
                and tokens[ahead].text[0].islower()
                and _spaced(tokens[ahead])
            ):
                ahead += 1
            following = tokens[ahead] if ahead < len(tokens) else None
            if (
                following is None
                or not _capitalised(following.text)
                or _acronym(following.text)
                or not (_spaced(following) or (ahead == index and following.gap == "-"))
            ):
                break
            run.extend(tokens[index : ahead + 1])
            index = ahead + 1
        yield run


def _spaced(token: _Token) -> bool:
    """Whether only spaces on one line separate a word from the one before it."""
    return token.gap.isspace() and "\n" not in token.gap


def _capitalised(word: str) -> bool:
    return word[0].isupper() and not any(c.isdigit() for c in word)


def _acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and word.isalpha()


def _sentence_word(word: str, inside: set[str], stops: set[str], lowercase: set[str]) -> bool:
    """A capitalised word that is only capitalised because it starts a sentence."""
    if _acronym(word):
        return False
    return word not in inside or word.casefold() in stops or word.lower() in lowercase


def _context(text: str, start: int, end: int) -> str:
    """The occurrence with a few words either side, on one line."""
    left = max(0, start - _CONTEXT)
    right = min(len(text), end + _CONTEXT)
    # Cut at word boundaries so the example does not start or end in half a word.
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    snippet = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + snippet + ("…" if right < len(text) else "")

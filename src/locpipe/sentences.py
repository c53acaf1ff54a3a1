"""Sentences: where CAT tools cut a paragraph, so that sentence-level memories meet locpipe's
paragraph-sized units.

pysbd (rule-based sentence boundary detection, the Golden Rules of pySBD's and pragmatic
segmenter's test suites) does the cutting, in its rules for the language where it has them
and in its English ones elsewhere.  Its Dutch rules know the abbreviations (``o.a.``,
``bijv.``, ``mld.``) but not that a title such as ``dr.`` or ``prof.`` stands before a
name, nor that ``art.`` and ``nr.`` stand before a number; locpipe adds both, and months
(``jan.``) and titles its list lacks (``mevr.``, ``ds.``).
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

from .languages import base_language

# Titles: a capital after them starts a name, not a sentence.
_DUTCH_TITLES = ("dr", "drs", "mr", "prof", "ir", "ing", "dhr", "mevr", "mw", "ds", "mgr", "st")
# Words before a number: "art. 5", "nr. 12", "blz. 3".
_DUTCH_BEFORE_NUMBERS = ("art", "nr", "nrs", "no", "blz", "p", "pp", "fig", "hfst", "par")
# Abbreviations that end no sentence before a number or a lower-case word: "jan. 2024",
# "in feb. stopte het", "tel. 020".
_DUTCH_MORE = (
    "mld", "mln", "mrd", "ca", "resp", "incl", "excl", "evt", "i.p.v", "tel",
    "jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec",
)  # fmt: skip
# pysbd's time grows with the square of a text's length (16 kB: 0.8 s, 100 kB: half a
# minute); a text longer than this, no paragraph a person writes, stays one piece.
LONGEST_SPLIT = 20_000


def split_sentences(text: str, language: str) -> list[str]:
    """A text's sentences, each with the whitespace after it, so that joined they are the text
    (a text longer than :data:`LONGEST_SPLIT` characters is one).

    >>> for sentence in split_sentences("Dat zei dr. Jansen gisteren. Er waren o.a. tanks, "
    ...                                 "bijv. de Leopard 2. Zie art. 5 van de wet.", "nl"):
    ...     print(repr(sentence))
    'Dat zei dr. Jansen gisteren. '
    'Er waren o.a. tanks, bijv. de Leopard 2. '
    'Zie art. 5 van de wet.'
    >>> "".join(split_sentences("Waarom?  Daarom!\\nKlaar.", "nl"))
    'Waarom?  Daarom!\\nKlaar.'
    """
    if len(text) > LONGEST_SPLIT:
        return [text]
    found: list[str] = _segmenter(base_language(language)).segment(text)
    # Cut the text itself where pysbd's sentences start, so that nothing it trimmed or
    # changed is lost and the sentences joined are the text again.
    starts, position = [], 0
    for sentence in (s.strip() for s in found):
        start = text.find(sentence, position)
        if not sentence or start < 0:
            return [text]
        starts.append(start)
        position = start + len(sentence)
    bounds = [0, *starts[1:], len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds) if a < b] or [text]


@cache
def _segmenter(language: str) -> Any:
    import pysbd  # type: ignore[import-untyped]
    from pysbd.languages import LANGUAGE_CODES  # type: ignore[import-untyped]

    segmenter = pysbd.Segmenter(language="en", clean=False)
    if language == "nl":
        segmenter.language_module = _dutch()
    elif language in LANGUAGE_CODES:
        segmenter = pysbd.Segmenter(language=language, clean=False)
    return segmenter


def _dutch() -> Any:
    from pysbd.lang.dutch import Dutch  # type: ignore[import-untyped]

    class Abbreviation(Dutch.Abbreviation):  # type: ignore[misc]
        # pysbd looks only for the abbreviations on this list, titles and words before
        # numbers too: one missing from it ("mevr", "par") ends a sentence.
        ABBREVIATIONS = (
            *Dutch.Abbreviation.ABBREVIATIONS,
            *_DUTCH_MORE,
            *_DUTCH_TITLES,
            *_DUTCH_BEFORE_NUMBERS,
        )
        PREPOSITIVE_ABBREVIATIONS = _DUTCH_TITLES
        NUMBER_ABBREVIATIONS = _DUTCH_BEFORE_NUMBERS

    class DutchWithTitles(Dutch):  # type: ignore[misc]
        pass

    DutchWithTitles.Abbreviation = Abbreviation
    return DutchWithTitles

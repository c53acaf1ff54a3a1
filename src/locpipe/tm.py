"""Translation memory: what translators already translated, reused for the same or similar text.

Built per target language from every reviewed (translated, not fuzzy) entry of the
project's catalogs, then from imported memories.  Similar text is found with rapidfuzz's
normalized Indel ratio, the measure difflib's ``ratio`` gives, computed in C++: fast
enough to search thousands of entries for every untranslated one.

A paragraph whose every sentence a memory holds is filled sentence by sentence, since CAT
tools keep sentences where locpipe keeps paragraphs.  Only reviewed translations serve
similar text.  A draft or machine output from an imported
memory serves only the very text it translates, and says so, so that it is filled as what
it is.  A unit with inline tags serves the msgid whose inline Markdown its tags stand for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .sentences import split_sentences
from .tmx import MemoryUnit, Provenance, Trust, has_tags, markup_key, resolve_tags

_REVIEWED = Provenance(Trust.REVIEWED)
# Where a sentence may end: after a full stop, question or exclamation mark, ellipsis or
# colon, and any closing quotes or brackets, before the space that starts the next one.
_SENTENCE_END = re.compile(r"[.!?\u2026:;][\"'\u201d\u2019\u00bb)\]*_]*(?=\s+\S)")


@dataclass(frozen=True, slots=True)
class MemoryMatch:
    """A translation found in memory, how similar its source is (0-100), and where it is from."""

    source: str
    translation: str
    score: float
    origin: str
    provenance: Provenance = _REVIEWED
    notes: tuple[str, ...] = ()
    # For a paragraph filled sentence by sentence: the match of each sentence.
    sentences: tuple[MemoryMatch, ...] = ()


@dataclass(frozen=True, slots=True)
class _Remembered:
    translation: str
    origin: str
    provenance: Provenance
    notes: tuple[str, ...]


class TranslationMemory:
    """Translations by source text: reviewed ones first, then drafts and machine output."""

    def __init__(self, units: Iterable[tuple[str, str, str]] = ()) -> None:
        self._by_source: dict[str, _Remembered] = {}  # reviewed: they serve similar text
        self._unreviewed: dict[str, _Remembered] = {}  # drafts and machine output
        self._tagged: dict[str, list[tuple[str, _Remembered]]] = {}  # by markup_key
        # The longest remembered source and markup key: no longer first sentence can match.
        self._longest = self._longest_key = 0
        for source, translation, origin in units:
            self.add(source, translation, origin)

    def add(
        self,
        source: str,
        translation: str,
        origin: str,
        *,
        provenance: Provenance = _REVIEWED,
        notes: tuple[str, ...] = (),
    ) -> None:
        """Remember a translation (the first one seen for a source wins)."""
        if not (source and translation) or provenance.trust is Trust.REJECTED:
            return
        remembered = _Remembered(translation, origin, provenance, notes)
        if has_tags(source):
            key = markup_key(source)
            self._tagged.setdefault(key, []).append((source, remembered))
            self._longest_key = max(self._longest_key, len(key))
            return
        if provenance.trust is Trust.REVIEWED:
            self._by_source.setdefault(source, remembered)
        else:
            self._unreviewed.setdefault(source, remembered)
        self._longest = max(self._longest, len(source))

    def add_units(self, units: Iterable[MemoryUnit]) -> None:
        """Remember what an imported memory offers, in the order given."""
        for unit in units:
            self.add(
                unit.source,
                unit.translation,
                unit.origin,
                provenance=unit.provenance,
                notes=unit.notes,
            )

    def __len__(self) -> int:
        return len(self._by_source) + len(self._unreviewed) + len(self._tagged)

    def exact(self, source: str) -> MemoryMatch | None:
        """The translation of exactly this source text, a reviewed one if there is one."""
        found = self._by_source.get(source) or self._unreviewed.get(source)
        if found is not None:
            return _match(source, found.translation, found)
        tagged = [
            (translation, remembered)
            for unit_source, remembered in self._tagged.get(markup_key(source), [])
            if (translation := resolve_tags(unit_source, remembered.translation, source))
        ]
        # Reviewed first; otherwise in the order given (the newest first).
        tagged.sort(key=lambda item: item[1].provenance.trust.value)
        return _match(source, *tagged[0]) if tagged else None

    def by_sentences(self, source: str, language: str) -> MemoryMatch | None:
        """A paragraph of several sentences, each of which the memory holds exactly: their
        translations, joined as the sentences are.  It is only as trusted as its least
        trusted sentence.

        >>> tm = TranslationMemory([("Het regent.", "It rains.", "a.tmx"),
        ...                         ("Wij blijven thuis.", "We stay home.", "b.tmx")])
        >>> match = tm.by_sentences("Het regent. Wij blijven thuis.", "nl")
        >>> match.translation, match.origin, len(match.sentences)
        ('It rains. We stay home.', 'a.tmx, b.tmx', 2)
        """
        if not self._may_start(source):
            return None  # no first sentence of it is remembered: no need to split it
        sentences = split_sentences(source, language)
        if len(sentences) < 2:
            return None
        parts, matches = [], []
        for sentence in sentences:
            text = sentence.strip()
            match = self.exact(text)
            if match is None:
                return None
            start = sentence.index(text)
            parts.append(sentence[:start] + match.translation + sentence[start + len(text) :])
            matches.append(match)
        weakest = max((m.provenance for m in matches), key=lambda p: p.trust.value)
        origin = ", ".join(dict.fromkeys(m.origin for m in matches))
        notes = tuple(dict.fromkeys(note for m in matches for note in m.notes))
        return MemoryMatch(source, "".join(parts), 100.0, origin, weakest, notes, tuple(matches))

    def _may_start(self, source: str) -> bool:
        """Whether the memory holds a text that ends where a first sentence of ``source``
        may end: the splitter, far slower than this, is asked only then.

        Each candidate is a prefix of ``source``, so the search stops once the prefixes are
        longer than anything remembered: a long paragraph costs time in proportion to the
        memory's longest text, not to the square of its own length.  (A prefix whose end
        completes a link or tag spanning a sentence end could have a shorter key again;
        such a paragraph is then not tried sentence by sentence.)
        """
        for end in _SENTENCE_END.finditer(source):
            first = source[: end.end()].strip()
            if first in self._by_source or first in self._unreviewed:
                return True
            longer = len(first) > self._longest
            if self._tagged:
                key = markup_key(first)
                if key in self._tagged:
                    return True
                longer = longer and len(key) > self._longest_key
            if longer:
                return False
        return False

    def similar(self, source: str, *, threshold: float) -> MemoryMatch | None:
        """The most similar reviewed source at or above ``threshold`` percent.

        >>> tm = TranslationMemory([("Het Kremlin zweeg.", "The Kremlin was silent.", "a.po")])
        >>> match = tm.similar("Het Kremlin zweeg lang.", threshold=75)
        >>> match.translation, round(match.score)
        ('The Kremlin was silent.', 88)
        """
        from rapidfuzz import fuzz, process

        best = process.extractOne(
            source, self._by_source.keys(), scorer=fuzz.ratio, score_cutoff=threshold
        )
        if best is None:
            return None
        text, score, _ = best
        found = self._by_source[text]
        return MemoryMatch(
            text, found.translation, float(score), found.origin, found.provenance, found.notes
        )


def _match(source: str, translation: str, found: _Remembered) -> MemoryMatch:
    return MemoryMatch(source, translation, 100.0, found.origin, found.provenance, found.notes)
